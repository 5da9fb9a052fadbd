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

import re

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from ..errors import Problem
from .checker import read_text

__all__ = ["load", "loads", "MAX_BYTES", "StrictLoader", "CStrictLoader"]

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
_BOOL, _TIMESTAMP = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses tags, anchors, aliases, deep nesting and repeated keys."""

    # YAML 1.1 resolves yes/no/on/off to booleans and 2019-01-22 to a date; keep those as text.
    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise ComposerError(None, None, "aliases (*name) are not allowed: write the text out "
                                "in full", event.start_mark)
        if isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if event.anchor is not None:
                raise ComposerError(None, None, f"anchors (&{event.anchor}) are not allowed: "
                                    "write the text out in full", event.start_mark)
            if event.tag is not None:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                raise ComposerError(None, None, f"tags such as '{tag}' are not allowed: plain "
                                    "text, numbers, lists and mappings only", event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                    event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                raise ConstructorError(None, None, f"the key '{key}' appears twice in one entry",
                                       key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

if getattr(yaml, "__with_libyaml__", False):
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.cyaml import CParser
    from yaml.resolver import Resolver

    class CStrictLoader(CParser, StrictLoader):
        """:class:`StrictLoader` reading its events from libyaml: the scanner and parser are C,
        the composer (tags, anchors, depth) and constructor (repeated keys) the Python ones."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        # CParser composes nodes in C, which would skip StrictLoader's checks: compose in Python
        check_node = Composer.check_node
        get_node = Composer.get_node
        get_single_node = Composer.get_single_node
else:  # pragma: no cover - PyYAML built without libyaml
    CStrictLoader = None


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
    if CStrictLoader is not None and "\t" not in text:
        try:
            return yaml.load(text, Loader=CStrictLoader), []  # noqa: S506 - a SafeLoader
        except (yaml.YAMLError, RecursionError):
            pass  # the pure-Python loader below gives the message
    return _parse(text, fail, StrictLoader)


def _parse(text, fail, loader):
    """(data, []) or ``fail(message, where)`` for ``text`` parsed with ``loader``."""
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
        return fail(f"is nested too deeply (more than {MAX_DEPTH} levels)")
    return data, []
