"""Citation markers in plain text: ``[@shimoda-1855]``, several as ``[@a; @b]``.

A marker is written in square brackets; each citation in it starts with ``@`` followed by the id of
a source (``data/sources.csv``), a document (``documents.csv``) or an event (``events.csv``). A
citation may carry a locator after a comma: ``[@shimoda-1855, art. 2]``. The syntax is the one
Pandoc and most reference managers read, so a hand-in keeps its citations as typed, and it reads
well as plain text. Pure Python: no data is read here.
"""

import re
from dataclasses import dataclass

__all__ = ["Citation", "find", "ids", "marker"]

# one marker: [@...] with no brackets inside
_MARKER = re.compile(r"\[(\s*@[^\[\]]*)\]")
_ID = re.compile(r"@([A-Za-z0-9][A-Za-z0-9._:/-]*[A-Za-z0-9]|[A-Za-z0-9])")


@dataclass(frozen=True)
class Citation:
    """One citation in a text: ``id`` as typed, its ``locator`` (text after a comma, or ""), the
    whole ``marker`` it sits in and where that marker starts in the text."""

    id: str
    locator: str
    marker: str
    start: int


def find(text):
    """Every citation in ``text``, in reading order; a part of a marker that is not ``@id`` is
    returned with an empty id (so that it can be reported, never dropped)."""
    out = []
    for m in _MARKER.finditer(str(text or "")):
        for part in m.group(1).split(";"):
            part = part.strip()
            if not part:
                continue
            head, _, locator = part.partition(",")
            found = _ID.fullmatch(head.strip())
            out.append(Citation(found.group(1) if found else "", locator.strip(), m.group(0),
                                m.start()))
    return out


def ids(text):
    """The distinct ids cited in ``text``, in order of first use."""
    return list(dict.fromkeys(c.id for c in find(text) if c.id))


def marker(*cited):
    """The marker for one or more ids: ``marker("a", "b")`` is ``[@a; @b]``."""
    return "[" + "; ".join(f"@{i}" for i in cited) + "]"
