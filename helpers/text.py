"""Safe rendering of instructor and learner text.

Markdown is allowed; raw HTML (tags, scripts, event handlers) is escaped so it shows as text and
never runs, and mistune replaces javascript:, vbscript:, file: and data: links. An island named
``{island:<id>}`` is shown in the learner's naming (``helpers.names``). Every widget that
displays text someone typed goes through ``markdown_html`` or ``plain_html``.
"""

import html
import unicodedata

from ._common.markup import safe_markdown

# Letters that show as nothing: Hangul fillers and the blank Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


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
    return safe_markdown(text)


def plain_html(text):
    """Return ``text`` escaped for HTML, keeping line breaks."""
    return html.escape("" if text is None else str(text)).replace("\n", "<br>")


def is_blank(text):
    """True when ``text`` shows nothing: empty, or only spaces, line breaks, zero-width and other
    format or control characters (U+200B, U+2060, U+FEFF ...) and blank fillers."""
    return all(c.isspace() or c in _BLANK_LETTERS or unicodedata.category(c) in
               ("Cc", "Cf", "Zs", "Zl", "Zp") for c in ("" if text is None else str(text)))
