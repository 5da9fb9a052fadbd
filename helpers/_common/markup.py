"""Markdown to safe HTML, with no knowledge of the course (so any module may use it).

Raw HTML is escaped so it shows as text and never runs; mistune replaces javascript:, vbscript:,
file: and data: links. ``helpers.text.markdown_html`` adds the learner's island names on top.
"""

import functools


@functools.cache
def _markdown():
    import mistune  # on first use: `import helpers` stays cheap (~8 ms saved)

    return mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])


def safe_markdown(text):
    """HTML for Markdown ``text`` with any raw HTML shown as text (``None`` gives "")."""
    return "" if text is None else _markdown()(str(text))
