"""The one cache rule: whatever is read from the course's files is cached until ``data.reload()``.

Every module that keeps something read from ``data/`` (tables, map shapes, citations, names)
caches it with :func:`cached` or registers its own ``clear`` with :func:`on_reload`, so one call
to ``helpers.data.reload()`` makes the next use read the files again. Files an instructor edits
while a notebook runs (course.yml, exercise banks, capstone YAML) are also re-read when their
modification time changes.
"""

import functools

__all__ = ["cached", "on_reload", "clear", "generation"]

_clears = []
_state = {"generation": 0}


def cached(fn):
    """``functools.lru_cache`` that :func:`clear` (``data.reload()``) empties."""
    wrapped = functools.lru_cache(maxsize=None)(fn)
    _clears.append(wrapped.cache_clear)
    return wrapped


def on_reload(clear_fn):
    """Call ``clear_fn()`` on every ``data.reload()``; returns it (usable as a decorator)."""
    _clears.append(clear_fn)
    return clear_fn


def clear():
    """Forget everything cached from the files (``data.reload()`` calls this)."""
    _state["generation"] += 1
    for fn in list(_clears):
        fn()


def generation():
    """A number that changes on every reload: a key for caches kept by hand."""
    return _state["generation"]
