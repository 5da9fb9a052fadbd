"""Safe rendering of instructor and learner text.

Markdown is allowed; raw HTML (tags, scripts, event handlers) is escaped so it shows as text and
never runs, and mistune replaces javascript:, vbscript:, file: and data: links. An island named
``{island:<id>}`` is shown in the learner's naming (``helpers.names``). Every widget that
displays text someone typed goes through ``markdown_html`` or ``plain_html``.
"""

import functools
import html


@functools.cache
def _markdown():
    import mistune  # on first use: `import helpers` stays cheap (~8 ms saved)

    return mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])


def markdown_html(text):
    """Return HTML for Markdown ``text`` with any raw HTML shown as text.

    Course texts name islands as ``{island:<id>}`` (see ``helpers.names.render``); they are
    shown in the learner's naming ("Etorofu", "Iturup" or "Etorofu / Iturup")."""
    if text is None:
        return ""
    text = str(text)
    if "{island:" in text:
        from . import names  # only for texts that name an island this way

        text = names.render(text)
    return _markdown()(text)


def plain_html(text):
    """Return ``text`` escaped for HTML, keeping line breaks."""
    return html.escape("" if text is None else str(text)).replace("\n", "<br>")
