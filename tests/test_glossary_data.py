"""Is data/glossary.csv complete, sourced, in the right scripts and neutral in its own voice?

The glossary's columns are documented in data/README.md; how its terms were chosen and checked is
in data/NOTES_glossary.md. `glossary_problems` (helpers/_glossary/rows.py; `check` runs it too)
checks one copy of the file and returns every problem as "row N (id X): ..." text, so each check
is tested twice: on the real file (no problems) and on a temporary copy with a planted bad row
(the problem is found).
"""

import csv
import shutil
from pathlib import Path

import pytest

# The rules live in helpers/_glossary/rows.py: `check` reports the same problems as data errors.
from helpers._glossary.rows import (
    COLUMNS,
    bgn_pcgn,
    glossary_problems,
    loaded_words,
    read_rows,
    split,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


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
