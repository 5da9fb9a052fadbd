"""Read instructor-edited YAML files without running anything and with bounded memory.

``load(path)`` returns ``(data, problems)``. Each of these is refused with a :class:`Problem`
naming the file: files over 1 MB; empty or binary files; text that is not UTF-8 or holds a
control character (``checker.read_text``: the rule every course file keeps); tags of any
kind (``!!python/...`` could run code in an unsafe loader, and plain data never needs a tag);
anchors and aliases (``&x`` / ``*x``, from which the "billion laughs" bomb is built); nesting
deeper than 40 levels; a key written twice in one mapping. Dates and ``yes``/``no`` stay text,
so ``text: No`` is the word "No".

When PyYAML has libyaml (``yaml.__with_libyaml__``), the text is scanned and parsed by libyaml
(:class:`CStrictLoader`, about seven times faster) while the nodes are still composed and
constructed by the Python code of :class:`StrictLoader`, so every check above runs the same way.
Any error, and any text with a tab (libyaml accepts a tab after ``key:`` where PyYAML refuses
it), is parsed again by the pure-Python loader, so results and messages are the same word for
word with or without libyaml (tests/test_strict_yaml.py compares both on every course file).
"""

import sys

from ..errors import Problem
from .checker import read_text

__all__ = ["load", "loads", "MAX_BYTES", "MAX_DEPTH", "StrictLoader", "CStrictLoader"]

MAX_BYTES = 1_000_000


def __getattr__(name):
    # the loader classes live in yaml_loaders, imported on first use: PyYAML and the classes
    # cost about 12 ms that importing the helpers should not pay before a file is read
    if name in ("StrictLoader", "CStrictLoader", "MAX_DEPTH"):
        from . import yaml_loaders

        return getattr(yaml_loaders, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(path, label=None):
    """Read the YAML file at ``path``; return ``(data, problems)`` (data is None on failure)."""
    label = label or str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # never read more than the limit into memory
    except OSError as exc:
        return None, [Problem(label, "", "", f"cannot be read ({exc.strerror or exc})")]
    return loads(raw, label)


def loads(raw, label):
    """Parse YAML bytes ``raw`` read from the file named ``label``; return ``(data, problems)``."""

    def fail(message, where=""):
        return None, [Problem(label, where, "", message)]

    if len(raw) > MAX_BYTES:
        return fail(f"is larger than {MAX_BYTES // 1_000_000} MB: split it into smaller files")
    text, problems = read_text(raw, label, "UTF-8 text")  # binary, not UTF-8, control characters
    if text is None:
        return None, problems
    if not text.strip() or all(
            not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return fail("is empty: it needs at least one entry")
    import yaml

    this = sys.modules[__name__]  # the loaders as this module names them (a test may swap one)
    if this.CStrictLoader is not None and "\t" not in text:
        try:
            return yaml.load(text, Loader=this.CStrictLoader), []  # noqa: S506 - a SafeLoader
        except (yaml.YAMLError, RecursionError):
            pass  # the pure-Python loader below gives the message
    return _parse(text, fail, this.StrictLoader)


def _parse(text, fail, loader):
    """(data, []) or ``fail(message, where)`` for ``text`` parsed with ``loader``."""
    import yaml

    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark else ""
        message = " ".join(str(m) for m in (exc.context, exc.problem) if m)
        return fail(f"is not valid YAML: {message}", where)
    except yaml.YAMLError as exc:
        return fail(f"is not valid YAML: {exc}")
    except RecursionError:
        from .yaml_loaders import MAX_DEPTH

        return fail(f"is nested too deeply (more than {MAX_DEPTH} levels)")
    return data, []
