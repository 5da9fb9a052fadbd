"""The glossary helper (helpers.glossary): term cards in three languages that follow the naming
switch, the lessons' glossary cells, and bad glossary rows reported by `check` as data errors."""

import csv
import json
import re
from pathlib import Path

import pytest

from helpers import glossary, names
from helpers._glossary import cards, rows
from helpers.course import lesson_files
from helpers.text import plain_html

ROOT = Path(__file__).resolve().parent.parent
TERMS = rows.read_rows(ROOT / "data" / "glossary.csv")[1]


@pytest.mark.parametrize("term", ["peace treaty", "peace-treaty", "Peace  Treaty", "平和条約",
                                  "мирный договор", "heiwa jōyaku", "mirnyy dogovor"])
def test_a_term_is_found_by_id_or_any_of_its_forms(term):
    assert cards.find(term)["id"] == "peace-treaty"


def test_every_card_shows_both_languages_their_romanizations_usage_and_sources():
    for row in TERMS:
        html = glossary.card_html(row["id"])
        for column in ("term_ja", "term_ja_romaji", "term_ru", "term_ru_latin"):
            assert plain_html(row[column]) in html, (row["id"], column)
        assert "How each government uses it" in html and "Definition (our words)" in html
        for source in rows.split(row["sources"]):
            assert f"[@{source}]" in html  # a learner can cite it as it stands


def test_an_unknown_term_names_close_ones_and_never_raises():
    html = glossary.card_html("peace treety")
    assert "No glossary term" in html and "peace treaty" in html
    assert "glossary.terms()" in glossary.card_html("zzzz qqqq")


def test_an_island_card_follows_the_naming_switch():
    before = names.convention()
    try:
        card = glossary.show("etorofu-iturup")
        names.set_convention("japanese")
        japanese = card.value
        names.set_convention("russian")
        russian = card.value
        assert "<h4>Etorofu" in japanese and "<h4>Iturup" in russian
        assert glossary.card_html("uruppu-urup", "russian") != glossary.card_html(
            "uruppu-urup", "japanese")  # the term id holds the island id urup
        # a term that names no island keeps its English form in every naming
        assert "<h4>peace treaty</h4>" in glossary.card_html("peace-treaty", "russian")
    finally:
        names.set_convention(before)


def test_the_explorer_lists_the_lessons_terms():
    lesson = "02_the_1956_declaration"
    explorer = glossary.explorer(lesson)
    expected = {r["id"] for r in TERMS if lesson in rows.split(r["lessons"])}
    assert {v for _, v in explorer.menu.options} == expected
    explorer.menu.value = "joint-declaration-1956"
    assert "日ソ共同宣言" in explorer.card.value or cards.find("joint-declaration-1956")[
        "term_ja"] in explorer.card.value
    assert set(glossary.terms(lesson).index) == expected
    assert len(glossary.terms()) == len(TERMS) >= 60


def test_the_explorer_starts_with_no_card_and_shows_one_when_a_term_is_chosen():
    explorer = glossary.explorer("04_putin_abe")
    assert explorer.menu.value is None and list(explorer.children) == [explorer.menu]
    explorer.menu.value = "new-approach"
    assert list(explorer.children) == [explorer.menu, explorer.card]
    assert "新しいアプローチ" in explorer.card.value
    explorer.menu.value = None
    assert "Choose a term" in explorer.card.value
    assert "No glossary terms" in glossary.explorer("no_such_lesson").card.value


def test_every_lesson_links_a_term_to_its_card():
    """Each lesson has a glossary cell after its opening cells, naming terms that exist."""
    for path in [p for p in lesson_files(ROOT / "notebooks") if p.name.startswith("0")]:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        calls = [c for c in cells if c["cell_type"] == "code" and "glossary." in "".join(
            c["source"])]
        assert calls, path.name
        for cell in calls:
            source = "".join(cell["source"])
            for term in re.findall(r'glossary\.show\("([^"]+)"\)', source):
                assert cards.find(term) is not None, (path.name, term)


@pytest.fixture
def bad_glossary(data_copy):
    path = data_copy / "glossary.csv"
    good = TERMS[0]

    def plant(**changes):
        with open(path, "a", newline="", encoding="utf-8") as f:
            csv.DictWriter(f, fieldnames=rows.COLUMNS, lineterminator="\n").writerow(
                {**good, "id": "planted-term", "see_also": "", **changes})
        return path

    return plant


@pytest.mark.parametrize("changes, words", [
    ({"term_ru": ""}, "'term_ru' is empty"),
    ({"sources": "no-such-source"}, "'no-such-source', which is not in sources.csv"),
    ({"definition": "The islands Japan calls its inherent territory."}, "inherent territory"),
    ({"usage": "Used in official texts."}, "how each government uses the term"),
])
def test_a_bad_glossary_row_is_a_data_error_in_check(bad_glossary, changes, words):
    from helpers.instructor import check

    bad_glossary(**changes)
    found = [p for p in check.run().problems if p.file == "data/glossary.csv"]
    assert any(words in p.message and "planted-term" in p.where for p in found), found
    assert all("row " in p.where for p in found)


def test_the_real_glossary_has_no_problems():
    assert glossary.problems() == []


def test_check_names_an_unknown_term_in_a_notebook(course_root):
    import nbformat

    from helpers.instructor import check

    path = course_root / "notebooks" / "01_fixture_lesson.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('glossary.show("peace treety")'))
    nbformat.write(nb, str(path))
    found = [p for p in check.run().problems if p.field == "glossary.show"]
    assert len(found) == 1 and "peace treety" in found[0].message
    assert found[0].file == "notebooks/01_fixture_lesson.ipynb"


@pytest.mark.parametrize("lesson", [p.stem for p in lesson_files(ROOT / "notebooks")
                                    if p.name.startswith("0")])
def test_a_lessons_cards_carry_one_anchor_per_term_of_that_lesson(lesson):
    html = glossary.cards(lesson).value
    ids = re.findall(r'<(?:dt|div) id="?glossary-([a-z0-9-]+)[" >]', html)
    expected = {r["id"] for r in TERMS if lesson in rows.split(r["lessons"])}
    assert ids and len(ids) == len(set(ids)) and set(ids) == expected
    assert all(glossary.anchor(i) == f"glossary-{i}" for i in ids)


def test_the_lesson_cards_follow_the_naming_switch():
    box = glossary.cards("01_shimoda_to_yalta")
    before, convention = box.value, names.convention()
    try:
        names.set_convention("japanese")
        ja = box.value
        names.set_convention("russian")
        assert box.value != ja
    finally:
        names.set_convention(convention)
    assert box.value == before
