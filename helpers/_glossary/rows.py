"""The glossary's rows checked: every term sourced, in three languages, neutral in the course's
own voice (``data/glossary.csv``; columns in ``data/README.md``, choices in
``data/NOTES_glossary.md``).

Pure Python (csv, re): ``python -m helpers.instructor check`` reports each problem as a data
error, and ``tests/test_glossary_data.py`` tests each rule on a copy of the file with a planted
bad row.
"""

import csv
import re
from pathlib import Path

__all__ = ["COLUMNS", "REQUIRED", "read_rows", "split", "bgn_pcgn", "loaded_words",
           "glossary_problems", "row_problems"]

NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "notebooks"
COLUMNS = ["id", "term_en", "term_ja", "term_ja_romaji", "term_ru", "term_ru_latin", "definition",
           "usage", "see_also", "lessons", "sources", "ja_form_source", "ru_form_source", "notes"]
REQUIRED = ["id", "term_en", "term_ja", "term_ja_romaji", "term_ru", "term_ru_latin", "definition",
            "usage", "sources", "ja_form_source", "ru_form_source"]
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")  # kana and kanji
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")
ROMAJI = re.compile(r"^[A-Za-zāīūēōĀĪŪĒŌ0-9 '\"-]+$")  # modified Hepburn, macrons for long vowels

# Each government's vocabulary, which the course's own voice does not adopt: a definition may
# quote these words but not use them.
LOADED = {
    "illegal occupation": re.compile(r"\billegal(ly)?\W+occup\w*", re.I),
    "inherent territory": re.compile(r"\binherent\W+territor\w*", re.I),
    "liberated": re.compile(r"\bliberat(e|es|ed|ing|ion)\b", re.I),
    "return of the islands": re.compile(r"\breturn(s|ed)?\W+of\W+the\W+(four\W+)?islands\b", re.I),
    "returned to": re.compile(r"\breturned\W+to\b", re.I),
    "give back": re.compile(r"\b(give|gives|gave|given|giving)\W+back\b", re.I),
}
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|「[^」]*」|‘[^’]*’")

# BGN/PCGN (1947) romanization of Russian, as data/README.md documents it: е/ё are ye/yë at the
# start of a word and after a vowel, й, ъ or ь; ь and ъ are ʹ and ʺ; no optional middle dot.
BGN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "и": "i", "й": "y",
       "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
       "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ʺ",
       "ы": "y", "ь": "ʹ", "э": "e", "ю": "yu", "я": "ya"}
AFTER_YE = set("аеёиоуыэюяйъь")


def bgn_pcgn(text):
    out, prev = [], ""
    for ch in text:
        low = ch.lower()
        if low in "её":
            latin = "e" if low == "е" else "ë"
            if not CYRILLIC.match(prev) or prev.lower() in AFTER_YE:
                latin = "y" + latin
        else:
            latin = BGN.get(low, ch)
        if ch != low:
            latin = latin[:1].upper() + latin[1:]
        out.append(latin)
        prev = ch
    return "".join(out)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames or [], list(reader)


def split(cell):
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def loaded_words(text):
    """The loaded words a text uses outside quotation marks."""
    bare = QUOTED.sub(" ", text or "")
    return [word for word, pattern in LOADED.items() if pattern.search(bare)]


def glossary_problems(glossary, sources, notebooks=None):
    """Every problem in one glossary file, as readable text naming the row and the column."""
    return [f"{where}: {message}" if where else message
            for where, message in row_problems(glossary, sources, notebooks)]


def row_problems(glossary, sources, notebooks=None):
    """Every problem in one glossary file as ``(where, message)``: ``where`` is
    ``row N (id X)``, or "" for the file as a whole. ``sources``: the sources file, or the set of
    known source ids (None: unknown, e.g. the file is unreadable; sources are then not checked)."""
    notebooks = Path(notebooks) if notebooks else NOTEBOOKS
    header, rows = read_rows(glossary)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [("", f"{Path(glossary).name}: missing columns {missing}")]
    if isinstance(sources, (str, Path)):
        sources = {r.get("id") for r in read_rows(sources)[1]}
    stems = {p.stem for p in notebooks.glob("*.ipynb")}
    ids = [r["id"] for r in rows]
    out = []
    for n, r in enumerate(rows, start=2):
        where = f"row {n} (id {r['id'] or '?'})"
        for col in REQUIRED:
            if not (r[col] or "").strip():
                out.append((where, f"'{col}' is empty"))
        if r["id"] and not SLUG.match(r["id"]):
            out.append((where, "id is not a lowercase slug"))
        if ids.count(r["id"]) > 1:
            out.append((where, "id is not unique"))
        cited = split(r["sources"])
        for col in ("sources", "ja_form_source", "ru_form_source"):
            for s in split(r[col]):
                if sources is not None and s not in sources:
                    out.append((where, f"'{col}' names '{s}', which is not in sources.csv"))
                elif col != "sources" and s not in cited:
                    out.append((where, f"'{col}' source '{s}' is not in 'sources'"))
        for other in split(r["see_also"]):
            if other not in ids or other == r["id"]:
                out.append((where, f"see_also '{other}' is not another term's id"))
        for stem in split(r["lessons"]):
            if stem not in stems:
                out.append((where, f"lesson '{stem}' is not a notebook in notebooks/"))
        ja, ru = r["term_ja"] or "", r["term_ru"] or ""
        if ja and (not JAPANESE.search(ja) or CYRILLIC.search(ja) or LATIN.search(ja)):
            out.append((where, "term_ja is not written in Japanese script"))
        if ru and (not CYRILLIC.search(ru) or LATIN.search(ru) or JAPANESE.search(ru)):
            out.append((where, "term_ru is not written in Cyrillic"))
        if JAPANESE.search(r["term_en"] or "") or CYRILLIC.search(r["term_en"] or ""):
            out.append((where, "term_en is not in the Latin alphabet"))
        if r["term_ja_romaji"] and not ROMAJI.match(r["term_ja_romaji"]):
            out.append((where, "term_ja_romaji is not Hepburn romanization"))
        if ru and r["term_ru_latin"] != bgn_pcgn(ru):
            out.append((where, f"term_ru_latin should be '{bgn_pcgn(ru)}' (BGN/PCGN)"))
        usage = r["usage"] or ""
        if usage and not ("Japan" in usage and re.search(r"Russia|Soviet|Moscow|USSR", usage)):
            out.append((where, "usage does not say how each government uses the term"))
        for word in loaded_words(r["definition"]):
            out.append((where, f"definition uses '{word}' outside quotation marks"))
    return out
