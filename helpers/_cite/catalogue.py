"""Everything a learner can cite: the sources, documents and events of the course, as one list.

Each entry is a plain dict: ``id``, ``type`` (``source``, ``document`` or ``event``), ``title``,
``author``, ``date`` (as written), ``year`` (or None), ``sources`` (the source ids it rests on: a
source rests on itself), and for sources ``kind``, ``publisher``, ``url``, ``vantage`` and
``group`` (see ``vantage``); for documents and events their ``era``; for documents
``excerpt_status``. Read with ``data.raw_rows`` (never raises: a file with a problem gives what
could be read, and ``check`` says what is wrong).
"""

import difflib
import re

from .. import data
from .._common import cache
from .._common.checker import split
from . import vantage

__all__ = ["catalogue", "lookup", "suggest", "search", "TYPES"]

TYPES = ("source", "document", "event")
_YEAR = re.compile(r"(\d{4})")


def _year(text):
    found = _YEAR.search(str(text or ""))
    return int(found.group(1)) if found else None


@cache.cached
def catalogue():
    """{id: entry} over sources, documents and events (the first table to use an id keeps it)."""
    out = {}
    for sid, r in data.raw_rows("sources").items():
        if sid:
            out[sid] = {
                "id": sid, "type": "source", "title": r.get("title", ""),
                "author": r.get("author", ""), "date": r.get("date", ""),
                "year": _year(r.get("date")), "sources": [sid], "kind": r.get("kind", ""),
                "publisher": r.get("publisher", ""), "url": r.get("url", ""),
                "vantage": r.get("vantage", ""),
                "group": vantage.group(r.get("kind"), r.get("vantage"), r.get("publisher")),
            }
    for name in ("documents", "events"):
        for rid, r in data.raw_rows(name).items():
            if rid and rid not in out:
                out[rid] = {
                    "id": rid, "type": name[:-1], "title": r.get("title", ""), "author": "",
                    "date": r.get("date", ""), "year": _year(r.get("date")),
                    "sources": split(r.get("sources")), "era": r.get("era", ""),
                    "excerpt_status": r.get("excerpt_status", ""),
                }
    return out


def lookup(item_id):
    """The entry of ``item_id`` (None when unknown)."""
    return catalogue().get(item_id)


def suggest(item_id, n=3):
    """Up to ``n`` known ids close to a misspelt ``item_id`` (difflib), best first."""
    ids = list(catalogue())
    found = difflib.get_close_matches(str(item_id), ids, n=n, cutoff=0.6)
    if not found:  # a fragment of an id ("shimoda") is a near miss too
        low = str(item_id).casefold()
        found = [i for i in ids if low and low in i.casefold()][:n]
    return found


def _haystack(entry):
    return " ".join(str(entry.get(k, "")) for k in ("id", "title", "author", "date",
                                                    "publisher")).casefold()


def search(query, limit=20, types=TYPES):
    """Entries whose id, title, author, date or publisher hold every word of ``query``
    (case-insensitive); documents first, then events, then sources, each by date."""
    words = str(query or "").casefold().split()
    order = {"document": 0, "event": 1, "source": 2}
    found = [e for e in catalogue().values()
             if e["type"] in types and all(w in _haystack(e) for w in words)]
    found.sort(key=lambda e: (order[e["type"]], str(e["date"]), e["id"]))
    return found[:limit] if limit else found
