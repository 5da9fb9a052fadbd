"""The strict YAML loaders behind ``strict_yaml`` (see its docstring for what they refuse):
:class:`StrictLoader`, and :class:`CStrictLoader` reading its events from libyaml when PyYAML
has it (else None). Imported when the first YAML file is read."""

import re

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

__all__ = ["StrictLoader", "CStrictLoader"]

MAX_DEPTH = 40  # levels of nesting; strict_yaml.MAX_DEPTH
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
