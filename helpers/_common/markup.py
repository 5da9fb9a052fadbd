"""Markdown to safe HTML, with no knowledge of the course (so any module may use it).

Raw HTML is escaped so it shows as text and never runs; mistune replaces javascript:, vbscript:,
file: and data: links. ``helpers.text.markdown_html`` adds the learner's island names on top.
"""

import functools

# The course's own texts (prompts, feedback, hints, summaries) are shown again and again: every
# widget of a lesson, every hand-in page exported, every card. Their HTML is kept (Markdown to
# HTML depends on the text alone); a long text (a learner's essay) is converted each time, so
# the cache stays small (at most CACHED texts of at most CACHED_CHARS characters).
CACHED, CACHED_CHARS = 512, 2000


@functools.cache
def _markdown():
    import mistune  # on first use: `import helpers` stays cheap (~8 ms saved)

    return mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])


@functools.lru_cache(maxsize=CACHED)
def _kept(text):
    return _markdown()(text)


def safe_markdown(text):
    """HTML for Markdown ``text`` with any raw HTML shown as text (``None`` gives "")."""
    if text is None:
        return ""
    text = str(text)
    return _kept(text) if len(text) <= CACHED_CHARS else _markdown()(text)
