"""The course's words for its ids: actors, islands, dates, periods, documents and citations.

Every table, card, hover and widget names things through here, so a government or an island is
called the same everywhere, and a citation is written one way. Interface words only: no
historical statement lives here.
"""

import re

import pandas as pd

from .. import data, names
from . import cache, dates, persons

__all__ = [
    "ACTOR_NAMES", "SHORT_ACTOR_NAMES", "actor_name", "governments", "island_label",
    "format_date", "doc_date", "period_text", "document_titles", "doc_titles", "cite",
    "citation_table", "full_citations",
]

# Generic UI labels for actor ids (not historical statements).
ACTOR_NAMES = {
    "japan": "Japan", "ussr": "USSR", "russia": "Russia", "usa": "United States",
    "uk": "United Kingdom", "china": "China", "allies": "Allied Powers",
}
SHORT_ACTOR_NAMES = {**ACTOR_NAMES, "usa": "US"}


def actor_name(actor_id, short=False):
    """``Japan``, ``United States`` (``US`` with ``short=True``); an unknown id as it is."""
    return (SHORT_ACTOR_NAMES if short else ACTOR_NAMES).get(actor_id, actor_id)


def governments(actor_ids):
    """``Japan``, ``Japan and Russia``, ``Japan, USSR and Russia``."""
    words = [actor_name(a) for a in actor_ids]
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def island_label(island_id, naming=None):
    """Display name of an island through ``helpers.names`` (``naming``: a convention or None)."""
    try:
        return names.island_name(island_id, naming)
    except ValueError:
        if naming is not None and naming not in names.CONVENTIONS:
            raise  # a mistyped convention: names says which are allowed
        return island_id  # an id islands.csv does not name: show it as is


# ---------------------------------------------------------------- dates


def format_date(when, precision="day"):
    """``7 Feb 1855`` for a day, ``Feb 1855`` for a month, ``1855`` for a year; '' if missing.
    ``when`` is a Timestamp/date or a written date (read by ``_common.dates``)."""
    if when is None or (not isinstance(when, str) and pd.isna(when)) or when == "":
        return ""
    if isinstance(when, str):  # a written date keeps its own precision
        found = dates.period(when)
        if found is None:
            return when
        if precision == "day":
            precision = found.precision
        when = found.first
    when = pd.Timestamp(when)
    if precision == "year":
        return str(when.year)
    if precision == "month":
        return f"{when:%b} {when.year}"
    return f"{when.day} {when:%b} {when.year}"


def doc_date(doc):
    """A document's date; ``date_precision`` is used if documents.csv has that column."""
    return format_date(doc["date"], doc.get("date_precision") or "day")


def period_text(start, end=None):
    """``from 7 Feb 1855 to 6 May 1875``, or ``from 26 Dec 1991`` when still in force."""
    missing = end is None or end == "" or (not isinstance(end, str) and pd.isna(end))
    return f"from {format_date(start)}" + ("" if missing else f" to {format_date(end)}")


# ---------------------------------------------------------------- documents and sources


def document_titles():
    """{document id: short title}; empty when documents.csv cannot be read (check says why)."""
    return {i: r["short_title"] for i, r in data.records("documents").items()}


def doc_titles(ids):
    """Short titles of the documents ``ids`` (a list or a ``;``-separated cell), ``; ``-joined."""
    titles = document_titles()
    return "; ".join(titles.get(i, i) for i in _ids(ids))


def _ids(ids):
    return data.split(ids) if isinstance(ids, str) or ids is None else list(ids)


# Words that mark an author as an organisation, not a person (for short citations).
_ORG_WORDS = set("""
Agency Archive Archives Association Bank Broadcasting Cabinet Center Centre Chronicle
Commission Committee Council Daily Department Embassy Encyclopedia Encyclopædia Federation
Foundation Gazette Government Herald House Institute Journal Kingdom Kronológia Library
Ministry Monitor News Office Party Post Press Project Radio Republic Review Shimbun Sputnik Sun
Television Times Town Tribune Union United University""".split())


def _is_person(author):
    """True for 'John J. Stephan' or 'Tsuneo Akaha and Anna Vassilieva', not 'The Japan Times'."""
    for part in author.split(" and "):
        words = part.split()
        cased = all(w[:1].isupper() for w in words) or part.islower()  # "ann-elise lewallen"
        if not 2 <= len(words) <= 4 or not cased:
            return False
        if any(c in part for c in "()0123456789,/") or _ORG_WORDS & set(words):
            return False
    return True


def _short_citation(row):
    """'Stephan 1974' for people, 'The Japan Times 2000' for bodies, else the title. Nothing is
    cut: a long body's name or a title is given whole, as a screen reader must hear it (issue 13).
    A ``short`` column in sources.csv, if there is one, overrides this."""
    if row.get("short"):
        return str(row["short"])
    date = str(row.get("date") or "")
    span = re.fullmatch(r"(\d{4})-(\d{4})", date)
    year = re.search(r"\d{4}", date)
    if date.lower().startswith("n.d"):  # "n.d. (after 2009)" is not "2009"
        year = "n.d."
    elif span:
        year = f"{span[1]}–{span[2]}"
    else:
        year = ("c. " if date.startswith("c") else "") + year.group() if year else ""
    author = str(row.get("author") or "").strip()
    if author and not author.startswith("(") and _is_person(author):
        name = " and ".join(persons.split(part)[0] for part in author.split(" and "))
    else:
        name = str(author if author and not author.startswith("(") else row["title"])
    return f"{name} {year}".strip()


@cache.cached
def citation_table():
    """{source id: short citation} for every source (rebuilt after ``data.reload()``)."""
    return {i: _short_citation(r) for i, r in data.records("sources").items()}


def cite(source_ids, citations=None):
    """Short citations for source ids (a list or a ``;``-separated cell):
    ``'Stephan 1974; Hasegawa 1998'``. An unknown id is shown as it is."""
    table = citations if citations is not None else citation_table()
    return "; ".join(table.get(i, i) for i in _ids(source_ids))


def full_citations(source_ids):
    """'Author, *Title* (date)' for each known source id (Markdown), from the rows as read."""
    rows = data.raw_rows("sources")
    out = []
    for sid in _ids(source_ids):
        row = rows.get(sid)
        if row:
            when = f" ({row['date']})" if row.get("date") else ""
            out.append(f"{row.get('author', '')}, *{row.get('title', sid)}*{when}")
    return out
