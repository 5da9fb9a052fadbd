"""Safe rendering of instructor and learner text.

Markdown is allowed; raw HTML (tags, scripts, event handlers) is escaped so it shows as text and
never runs, and mistune replaces javascript:, vbscript:, file: and data: links. Every widget that
displays text someone typed goes through ``markdown_html`` or ``plain_html``.
"""

import functools
import html
import unicodedata

# Letters that show as nothing: Hangul fillers and the blank Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


@functools.cache
def _markdown():
    import mistune  # on first use: `import helpers` stays cheap (~8 ms saved)

    return mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])


def markdown_html(text):
    """Return HTML for Markdown ``text`` with any raw HTML shown as text."""
    return "" if text is None else _markdown()(str(text))


def plain_html(text):
    """Return ``text`` escaped for HTML, keeping line breaks."""
    return html.escape("" if text is None else str(text)).replace("\n", "<br>")


def is_blank(text):
    """True when ``text`` shows nothing: empty, or only spaces, line breaks, zero-width and other
    format or control characters (U+200B, U+2060, U+FEFF ...) and blank fillers."""
    return all(c.isspace() or c in _BLANK_LETTERS or unicodedata.category(c) in
               ("Cc", "Cf", "Zs", "Zl", "Zp") for c in ("" if text is None else str(text)))
