"""Is data/glossary.csv complete, sourced, in the right scripts and neutral in its own voice?

The glossary's columns are documented in data/README.md; how its terms were chosen and checked is
in data/NOTES_glossary.md. `glossary_problems` checks one copy of the file and returns every
problem as "row N (id X): ..." text, so each check is tested twice: on the real file (no
problems) and on a temporary copy with a planted bad row (the problem is found).
"""

import csv
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"

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


def glossary_problems(glossary, sources, notebooks=NOTEBOOKS):
    """Every problem in one glossary file, as readable text naming the row and the column."""
    header, rows = read_rows(glossary)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [f"{glossary.name}: missing columns {missing}"]
    source_ids = {r["id"] for r in read_rows(sources)[1]}
    stems = {p.stem for p in notebooks.glob("*.ipynb")}
    ids = [r["id"] for r in rows]
    out = []
    for n, r in enumerate(rows, start=2):
        where = f"row {n} (id {r['id'] or '?'})"
        for col in REQUIRED:
            if not (r[col] or "").strip():
                out.append(f"{where}: '{col}' is empty")
        if r["id"] and not SLUG.match(r["id"]):
            out.append(f"{where}: id is not a lowercase slug")
        if ids.count(r["id"]) > 1:
            out.append(f"{where}: id is not unique")
        cited = split(r["sources"])
        for col in ("sources", "ja_form_source", "ru_form_source"):
            for s in split(r[col]):
                if s not in source_ids:
                    out.append(f"{where}: '{col}' names '{s}', which is not in sources.csv")
                elif col != "sources" and s not in cited:
                    out.append(f"{where}: '{col}' source '{s}' is not in 'sources'")
        for other in split(r["see_also"]):
            if other not in ids or other == r["id"]:
                out.append(f"{where}: see_also '{other}' is not another term's id")
        for stem in split(r["lessons"]):
            if stem not in stems:
                out.append(f"{where}: lesson '{stem}' is not a notebook in notebooks/")
        ja, ru = r["term_ja"] or "", r["term_ru"] or ""
        if ja and (not JAPANESE.search(ja) or CYRILLIC.search(ja) or LATIN.search(ja)):
            out.append(f"{where}: term_ja is not written in Japanese script")
        if ru and (not CYRILLIC.search(ru) or LATIN.search(ru) or JAPANESE.search(ru)):
            out.append(f"{where}: term_ru is not written in Cyrillic")
        if JAPANESE.search(r["term_en"] or "") or CYRILLIC.search(r["term_en"] or ""):
            out.append(f"{where}: term_en is not in the Latin alphabet")
        if r["term_ja_romaji"] and not ROMAJI.match(r["term_ja_romaji"]):
            out.append(f"{where}: term_ja_romaji is not Hepburn romanization")
        if ru and r["term_ru_latin"] != bgn_pcgn(ru):
            out.append(f"{where}: term_ru_latin should be '{bgn_pcgn(ru)}' (BGN/PCGN)")
        usage = r["usage"] or ""
        if usage and not ("Japan" in usage and re.search(r"Russia|Soviet|Moscow|USSR", usage)):
            out.append(f"{where}: usage does not say how each government uses the term")
        for word in loaded_words(r["definition"]):
            out.append(f"{where}: definition uses '{word}' outside quotation marks")
    return out


def test_the_glossary_has_at_least_sixty_terms_and_no_problems():
    _, rows = read_rows(DATA / "glossary.csv")
    assert len(rows) >= 60
    assert glossary_problems(DATA / "glossary.csv", DATA / "sources.csv") == []


def test_every_japanese_and_russian_form_was_read_in_a_cited_source():
    """Is each form's own source one the row cites, and are most of them governments' texts?"""
    _, rows = read_rows(DATA / "glossary.csv")
    kinds = {r["id"]: r["kind"] for r in read_rows(DATA / "sources.csv")[1]}
    official = {"primary", "official"}
    ja = sum(any(kinds[s] in official for s in split(r["ja_form_source"])) for r in rows)
    ru = sum(any(kinds[s] in official for s in split(r["ru_form_source"])) for r in rows)
    # Measured when the glossary was written: Japanese forms mostly from Japanese government
    # pages, Russian forms more often from the press quoting officials (see NOTES_glossary.md).
    assert ja >= 45 and ru >= 15, (ja, ru)


def test_the_transliteration_follows_bgn_pcgn():
    assert bgn_pcgn("Южные Курилы") == "Yuzhnyye Kurily"
    assert bgn_pcgn("Северные территории") == "Severnyye territorii"
    assert bgn_pcgn("Японией") == "Yaponiyey"
    assert bgn_pcgn("Курильские") == "Kurilʹskiye"
    assert bgn_pcgn("ёлка, объём") == "yëlka, obʺyëm"


@pytest.mark.parametrize("text, found", [
    ("Russia's presence since 1945, which Japan calls illegal occupation.", ["illegal occupation"]),
    ("The islands were illegally occupied in 1945.", ["illegal occupation"]),
    ("Japan's inherent territories.", ["inherent territory"]),
    ("Soviet troops liberated the chain.", ["liberated"]),
    ("Talks on the return of the islands.", ["return of the islands"]),
    ("Habomai would be returned to Japan.", ["returned to"]),
    ("Moscow would give back two islands.", ["give back"]),
    ("Japan's term is \"illegal occupation\".", []),
    ("Tokyo speaks of 「不法占拠」 and Moscow of «освобождение».", []),
    ("The clause says the islands are “returned to Japan”.", []),
    ("A handover to Japan after a peace treaty.", []),
])
def test_loaded_words_are_found_only_outside_quotation_marks(text, found):
    assert loaded_words(text) == found


@pytest.fixture
def copy(tmp_path):
    """A temporary copy of the glossary and the bibliography, and a way to add a row to it."""
    for name in ("glossary.csv", "sources.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    good = read_rows(DATA / "glossary.csv")[1][0]

    def plant(**changes):
        row = {**good, "id": "planted-term", "see_also": "", **changes}
        with open(tmp_path / "glossary.csv", "a", newline="", encoding="utf-8") as f:
            csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n").writerow(row)
        return glossary_problems(tmp_path / "glossary.csv", tmp_path / "sources.csv")

    return plant


@pytest.mark.parametrize("changes, message", [
    (dict(definition="Russia's presence, in the course's words an illegal occupation."),
     "definition uses 'illegal occupation' outside quotation marks"),
    (dict(definition="The islands, liberated in 1945, ..."),
     "definition uses 'liberated' outside quotation marks"),
    (dict(definition="Japan's inherent territory since 1855."),
     "definition uses 'inherent territory' outside quotation marks"),
    (dict(term_ja=""), "'term_ja' is empty"),
    (dict(term_ru=""), "'term_ru' is empty"),
    (dict(definition=""), "'definition' is empty"),
    (dict(sources=""), "'sources' is empty"),
    (dict(sources="no-such-source"),
     "'sources' names 'no-such-source', which is not in sources.csv"),
    (dict(ja_form_source="stephan-1974"),
     "'ja_form_source' source 'stephan-1974' is not in 'sources'"),
    (dict(see_also="no-such-term"), "see_also 'no-such-term' is not another term's id"),
    (dict(lessons="07_no_such_lesson"), "lesson '07_no_such_lesson' is not a notebook"),
    (dict(term_ja="Hoppō ryōdo"), "term_ja is not written in Japanese script"),
    (dict(term_ru="Severnyye territorii"), "term_ru is not written in Cyrillic"),
    (dict(term_ru="Южные Курилы", term_ru_latin="Juzhnye Kurily"), "should be 'Yuzhnyye Kurily'"),
    (dict(term_ja_romaji="北方領土"), "term_ja_romaji is not Hepburn romanization"),
    (dict(usage="Used in official texts."), "usage does not say how each government uses the term"),
    (dict(id="Northern Territories"), "id is not a lowercase slug"),
])
def test_a_planted_bad_row_is_reported_with_its_row_and_column(copy, changes, message):
    problems = copy(**changes)
    assert any(message in p and "row " in p for p in problems), problems


def test_a_duplicate_id_is_reported(copy):
    first = read_rows(DATA / "glossary.csv")[1][0]["id"]
    problems = copy(id=first)
    assert any(f"(id {first}): id is not unique" in p for p in problems), problems


def test_a_quoted_loaded_word_in_a_planted_row_passes(copy):
    assert copy(definition="What Japan's government calls \"illegal occupation\".") == []
