"""Bibliographies written with the standard library: BibTeX, CSL-JSON, RIS, and Chicago
author–date reference-list entries (the style of the hand-in's "Works cited").

Every function takes source rows as ``data/sources.csv`` has them (dicts of text: ``id, kind,
author, title, publisher, date, url, vantage, notes``). Authors are people ("Tsuneo Akaha and
Anna Vassilieva") or bodies ("Ministry of Foreign Affairs of Japan"); a body is written as one
literal name in every format, so no reference manager turns it into "Japan, Ministry ...".
Dates such as ``n.d.`` or ``c. 2003-2004`` keep their words (``note``) and give no year, or the
first year, as the text says.

A person's name is read given name(s) then family name, unless sources.csv writes the family name
in capitals ("TORII Ryūzō": family name first, as the author publishes it); see _common.persons.
Chicago then keeps the order and adds no comma ("Torii Ryūzō. 1903."), as it does for Japanese names
given family name first.
"""

import json
import re

from .._common import persons

__all__ = ["names", "is_person", "date_parts", "to_bibtex", "to_csl_json", "to_ris", "chicago",
           "FORMATS"]

_NO_AUTHOR = re.compile(r"^\(?(author not named|anonymous|n\.a\.)\)?$", re.I)
_BODY = re.compile(r"ministry|government|office|department|agency|association|cabinet|press|"
                   r"news|times|library|archive|center|centre|foundation|institute|university|"
                   r"council|house|party|empire|union|nations|town|city|prefect|bureau|service|"
                   r"encyc|museum|society|committee|league|secretariat|kremlin|tass|nhk|bbc|"
                   r"contributors|compilers|wiki|shuppan|entsiklop|kronol|brookings|"
                   r"\b(and the|of|the)\b|[()'\d]|\.com|\.org|\.ru|\.jp|[^\x00-\u024f]", re.I)
_EXACT = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_YEAR = re.compile(r"(\d{4})")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_BIB_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _text(row, key):
    return " ".join(str(row.get(key) or "").split())


def is_person(author, kind=""):
    """Is ``author`` one or more people (not a government, a paper, a database)?"""
    return (bool(author) and kind in ("reference", "reading_pack") and " " in author.strip()
            and not _BODY.search(author))


def names(row):
    """``(list of author names, are they people?)``; no author: ``([], False)``."""
    author = _text(row, "author")
    if not author or _NO_AUTHOR.match(author):
        return [], False
    if is_person(author, _text(row, "kind")):
        found = re.split(r",\s*(?:and\s+)?|\s+and\s+", author)
        return [a.strip() for a in found if a.strip()], True
    return [author], False


def _split_name(name):
    """``("Akaha", "Tsuneo")`` for "Tsuneo Akaha", ``("Torii", "Ryūzō")`` for "TORII Ryūzō"."""
    return persons.split(name)


def date_parts(row):
    """``(year, month, day, exact)``: numbers or None; ``exact`` when the date is YYYY[-MM[-DD]]."""
    text = _text(row, "date")
    m = _EXACT.match(text)
    if m:
        return int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3)), True
    if text.lower().startswith(("n.d", "ongoing")) or not text:
        return None, None, None, False
    found = _YEAR.search(text)
    return (int(found.group(1)) if found else None), None, None, False


def _note(row):
    parts = []
    if _text(row, "vantage"):
        parts.append(f"Vantage: {_text(row, 'vantage')}")
    year, _, _, exact = date_parts(row)
    if _text(row, "date") and not exact:
        parts.append(f"Date: {_text(row, 'date')}")
    return ". ".join(parts)


# ---------------------------------------------------------------- BibTeX

_BIB_ESCAPE = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
               "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
               "^": r"\textasciicircum{}"}


def _bib(text):
    return "".join(_BIB_ESCAPE.get(c, c) for c in text)


def _bib_key(sid):
    return re.sub(r"[^A-Za-z0-9_:.-]", "-", sid)


def to_bibtex(rows):
    """BibTeX (UTF-8; one ``@misc`` per source, the source id as the key)."""
    out = []
    for row in rows:
        people, person = names(row)
        year, month, day, exact = date_parts(row)
        fields = []
        if people:
            fields.append(("author", " and ".join(
                _bib(", ".join(x for x in _split_name(p) if x)) if person else "{" + _bib(p) + "}"
                for p in people)))
        fields.append(("title", "{" + _bib(_text(row, "title")) + "}"))
        if _text(row, "publisher"):
            fields.append(("publisher", _bib(_text(row, "publisher"))))
        if year:
            fields.append(("year", str(year)))
        if month:
            fields.append(("month", _BIB_MONTHS[month - 1]))
        if exact:
            fields.append(("date", _text(row, "date")))
        if _text(row, "url"):
            fields.append(("url", _text(row, "url")))
        if _note(row):
            fields.append(("note", _bib(_note(row))))
        fields.append(("keywords", _bib(_text(row, "kind"))))
        body = ",\n".join(f"  {k} = {{{v}}}" if k != "month" else f"  {k} = {v}"
                          for k, v in fields)
        out.append(f"@misc{{{_bib_key(row['id'])},\n{body}\n}}\n")
    return "\n".join(out)


# ---------------------------------------------------------------- CSL-JSON

_CSL_TYPE = {"press": "article-newspaper", "primary": "legislation", "official": "webpage",
             "reference": "book", "reading_pack": "article"}


def csl_items(rows):
    """CSL-JSON items (a list of dicts), as reference managers import them."""
    items = []
    for row in rows:
        people, person = names(row)
        year, month, day, _ = date_parts(row)
        item = {"id": row["id"], "type": _CSL_TYPE.get(_text(row, "kind"), "document"),
                "title": _text(row, "title")}
        if people:
            item["author"] = [
                dict(zip(("family", "given"), _split_name(p), strict=True)) if person
                else {"literal": p} for p in people]
        if year:
            item["issued"] = {"date-parts": [[x for x in (year, month, day) if x]]}
        elif _text(row, "date"):
            item["issued"] = {"literal": _text(row, "date")}
        if _text(row, "publisher"):
            item["publisher"] = _text(row, "publisher")
        if _text(row, "url"):
            item["URL"] = _text(row, "url")
        if _note(row):
            item["note"] = _note(row)
        items.append(item)
    return items


def to_csl_json(rows):
    return json.dumps(csl_items(rows), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- RIS

_RIS_TYPE = {"press": "NEWS", "primary": "GOVDOC", "official": "GOVDOC", "reference": "BOOK",
             "reading_pack": "GEN"}


def to_ris(rows):
    """RIS: ``TY`` to ``ER`` per source; ``ID`` is the source id."""
    out = []
    for row in rows:
        people, person = names(row)
        year, month, day, _ = date_parts(row)
        lines = [("TY", _RIS_TYPE.get(_text(row, "kind"), "GEN")), ("ID", row["id"])]
        for p in people:
            family, given = _split_name(p) if person else (p, "")
            lines.append(("AU", f"{family}, {given}" if given else family))
        lines.append(("TI", _text(row, "title")))
        if year:
            lines.append(("PY", str(year)))
            if month:
                lines.append(("DA", f"{year}/{month:02d}/{day:02d}/" if day else
                              f"{year}/{month:02d}//"))
        if _text(row, "publisher"):
            lines.append(("PB", _text(row, "publisher")))
        if _text(row, "url"):
            lines.append(("UR", _text(row, "url")))
        if _note(row):
            lines.append(("N1", _note(row)))
        lines.append(("ER", ""))
        out.append("\n".join(f"{tag}  - {value}".rstrip() if tag == "ER" else f"{tag}  - {value}"
                             for tag, value in lines))
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------- Chicago author–date


def _chicago_names(people, person):
    if not person:
        return people[0]
    lead = people[0]
    first = (persons.display(lead) if persons.family_first(lead)
             else ", ".join(x for x in _split_name(lead) if x))
    rest = [persons.display(p) for p in people[1:]]
    if not rest:
        return first
    if len(rest) == 1:  # "Akaha, Tsuneo, and Anna Vassilieva" but "Ōya Kyōsuke and Tōmine Ryōta"
        return f"{first}, and {rest[0]}" if "," in first else f"{first} and {rest[0]}"
    return f"{first}, " + ", ".join(rest[:-1]) + f", and {rest[-1]}"


def _end(text):
    return text if text.endswith((".", "?", "!")) else text + "."


def chicago(row):
    """One reference-list entry, Chicago author–date (17th ed.), as plain text with the title in
    *asterisks* (Markdown italics): ``Author. Year. *Title*. Publisher. URL.`` A body (a
    ministry, a newspaper) is the author as named; a source with no author starts with its title."""
    people, person = names(row)
    year, month, day, exact = date_parts(row)
    when = str(year) if year else "n.d."
    if year and not exact and _text(row, "date").lower().startswith("c"):
        when = f"ca. {year}"
    title, publisher = _text(row, "title"), _text(row, "publisher")
    if people:
        lead = _chicago_names(people, person)
        if publisher == people[0]:
            publisher = ""
    else:  # no author: the title leads
        lead, title = f"*{title}*", ""
    parts = [_end(lead), _end(when)]
    if title:
        parts.append(_end(f"*{title}*"))
    if exact and month:
        parts.append(_end(f"{MONTHS[month - 1]} {day}" if day else MONTHS[month - 1]))
    if publisher:
        parts.append(_end(publisher))
    if _text(row, "url"):
        parts.append(_end(_text(row, "url")))
    return " ".join(parts)


FORMATS = {"bibtex": ("bib", to_bibtex, "application/x-bibtex"),
           "csl-json": ("json", to_csl_json, "application/vnd.citationstyles.csl+json"),
           "ris": ("ris", to_ris, "application/x-research-info-systems")}
