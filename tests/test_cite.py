"""Citations in open answers (helpers.cite, helpers._cite): the marker syntax, the picker's
Python path, the mix of an answer's citations, misspelt markers, the ``citations:`` bank field,
the bibliography exports (each read back with a parser) and the works cited in the hand-in."""

import importlib
import json
import random

import pytest

from helpers import cite, data
from helpers._cite import catalogue, formats, markers, spec, vantage
from helpers._cite.mix import compute
from helpers._common.checker import Checker
from helpers._journal import book
from helpers._journal import export as handin_export

SOURCES = data.raw_rows("sources")
ALL_IDS = sorted(catalogue.catalogue())


# ---------------------------------------------------------------- markers


@pytest.mark.parametrize("text, ids, locators", [
    ("As [@shimoda-1855] says", ["shimoda-1855"], [""]),
    ("[@shimoda-1855; @mofa-faq-nt]", ["shimoda-1855", "mofa-faq-nt"], ["", ""]),
    ("[@shimoda-1855, art. 2]", ["shimoda-1855"], ["art. 2"]),
    ("two: [@a] and [ @b , p. 3 ]", ["a", "b"], ["", "p. 3"]),
    ("an e-mail user@example.org and [not a marker]", [], []),
    ("[@]", [""], [""]),  # kept, with no id: reported, never dropped
])
def test_markers_are_found_with_their_locators(text, ids, locators):
    found = markers.find(text)
    assert [c.id for c in found] == ids
    assert [c.locator for c in found] == locators


def test_a_marker_written_by_the_picker_reads_back_as_its_ids():
    for ids in (["shimoda-1855"], ["yalta-1945", "mofa-faq-nt", "1855-shimoda-treaty"]):
        assert markers.ids("text " + markers.marker(*ids)) == ids


def test_ids_of_sources_documents_and_events_never_collide():
    tables = [set(data.raw_rows(n)) for n in ("sources", "documents", "events")]
    assert not (tables[0] & tables[1] or tables[0] & tables[2] or tables[1] & tables[2])
    assert len(ALL_IDS) == sum(len(t) for t in tables)


# ---------------------------------------------------------------- vantage groups


def test_every_source_falls_in_exactly_one_known_group():
    groups = {e["id"]: e["group"] for e in catalogue.catalogue().values() if e["type"] == "source"}
    assert set(groups) == set(SOURCES)
    assert set(groups.values()) <= set(vantage.GROUPS)
    # every group the mix names is used by some source of the course
    assert set(groups.values()) == set(vantage.GROUPS)


@pytest.mark.parametrize("source, group", [
    ("mofa-northern-territories", "japan-official"),
    ("kremlin-transcripts", "russia-official"),
    ("text-ussr-decree-1946", "russia-official"),
    ("frus-1955-57-v23", "third-party-official"),
    ("text-potsdam-1945", "third-party-official"),
    ("mofa-compendium-1992", "joint-official"),
    ("text-tokyo-declaration-1993", "joint-official"),
    ("hasegawa-1998", "scholarly"),
    ("tass-2016-12-13", "press"),
    ("panov-2011", "reading-pack"),
])
def test_spot_checks_of_the_vantage_groups(source, group):
    assert catalogue.lookup(source)["group"] == group


# ---------------------------------------------------------------- the mix


def _random_texts(n=60, seed=17):
    rng = random.Random(seed)
    for _ in range(n):
        ids = rng.sample(ALL_IDS, rng.randint(1, 6))
        bad = rng.sample(["shimoda-185", "yalta", "no-such-thing-at-all", ""], rng.randint(0, 2))
        parts = [markers.marker(*ids[: len(ids) // 2 or 1])] + [f"[@{i}]" for i in ids] + [
            f"[@{b}]" for b in bad]
        rng.shuffle(parts)
        yield " text ".join(parts), ids, bad


def test_mix_invariants_over_random_answers():
    era = spec.era_span("declaration-1956")
    for text, ids, bad in _random_texts():
        mix = compute(text, None, era)
        expected = {s for i in ids for s in catalogue.lookup(i)["sources"]}
        assert set(mix.sources) == expected and len(mix.sources) == len(expected)
        # every source is counted once, in exactly one group
        assert sum(mix.groups.values()) == len(mix.sources)
        assert set(mix.groups) <= set(vantage.GROUPS)
        assert [e["id"] for e in mix.items] == [i for i in markers.ids(text) if i in ids]
        # every document and event is either in the era or outside it
        dated = [e for e in mix.items if e["type"] != "source"]
        assert len(mix.in_era) + len(mix.out_of_era) == len(dated)
        assert all(1946 <= e["year"] <= 1990 for e in mix.in_era)
        # nothing is dropped: every citation resolved or listed as unknown
        unknown = {c.id for c, _ in mix.unknown}
        assert unknown == set(bad)
        assert all(c.id in unknown or catalogue.lookup(c.id) for c in mix.citations)
        assert len(mix.sentences()) >= 1 + len(mix.unknown)


def test_the_mix_states_facts_like_the_issue_example():
    mix = compute("[@mofa-faq-nt] [@cao-nt-day; @mofa-un-2016]",
                  {"min_sources": 4, "vantages": ["russia-official"], "era": spec.era_span(1956)})
    text = str(mix)
    assert "3 sources: all Japanese official." in text
    assert "No Russian/Soviet official source among them." in text
    assert "1 source is from after 1956 (2016)." in text
    assert "at least 4 sources; your citations rest on 3" in text
    assert [met for met, _ in mix.requirements] == [False, False, False]
    met = compute("[@mofa-faq-nt] [@cao-nt-day; @mofa-un-2016] [@kremlin-transcripts]",
                  {"min_sources": 4, "vantages": ["russia-official"]})
    assert [m for m, _ in met.requirements] == [True, True]


def test_quotations_say_official_text_or_reproduction():
    docs = data.raw_rows("documents")
    for doc_id, row in docs.items():
        mix = compute(f"[@{doc_id}]")
        assert mix.wording == [(catalogue.lookup(doc_id), row["excerpt_status"])]
    official = next(i for i, r in docs.items() if r["excerpt_status"] == "official")
    copied = next(i for i, r in docs.items() if r["excerpt_status"] == "third-party")
    assert "checked on an official host" in str(compute(f"[@{official}]"))
    assert "from a reproduction" in str(compute(f"[@{copied}]"))


@pytest.mark.parametrize("typo, meant", [
    ("shimoda-185", "shimoda-1855"),
    ("yalta-1954", "yalta-1945"),
    ("mofa-faq", "mofa-faq-nt"),
    ("hasegawa-1989", "hasegawa-1998"),
])
def test_a_misspelt_marker_is_shown_with_did_you_mean(typo, meant):
    mix = compute(f"Claim [@{typo}] and [@stephan-1974]")
    assert [c.id for c, _ in mix.unknown] == [typo]
    assert meant in mix.unknown[0][1]
    line = next(s for s in mix.sentences() if s.startswith("Not found"))
    assert typo in line and f"[@{meant}]" in line and "Did you mean" in line
    assert mix.sources == ["stephan-1974"]  # the known one still counts


def test_a_marker_with_no_usable_id_is_reported_too():
    mix = compute("see [@] and [@ two words]")
    assert len(mix.unknown) == 2
    assert sum(s.startswith("Not found") for s in mix.sentences()) == 2


# ---------------------------------------------------------------- the picker's Python path


def test_the_picker_searches_by_title_author_date_and_id():
    picker = cite.picker()
    assert "shimoda-1855" in picker.search("shimoda")
    assert "hasegawa-1998" in picker.search("Hasegawa 1998")
    assert "yalta-1945" in picker.search("1945-02")  # by date
    assert picker.search("no such words anywhere zzz") == []
    assert "Nothing matches" in picker.status.value
    for word in ("treaty", "Panov", "2019"):
        for found in picker.search(word):
            assert word.casefold() in catalogue._haystack(catalogue.lookup(found))


def test_the_picker_inserts_markers_and_the_mix_follows():
    picker = cite.picker("My claim.")
    picker.search("shimoda")
    picker.insert()  # the first result is chosen
    picker.insert("mofa-faq-nt")
    assert picker.area.value == "My claim. [@shimoda-1855] [@mofa-faq-nt]"
    assert picker.mix.sources[0] == "text-shimoda-1855"
    assert "Japanese official" in picker.mix_box.value
    with pytest.raises(ValueError, match="did you mean|Did you mean"):
        picker.insert("shimoda-185")
    assert picker.area.value.endswith("[@mofa-faq-nt]")  # nothing written


@pytest.fixture
def fresh_journal(tmp_path, monkeypatch):
    monkeypatch.setenv("KURIL_JOURNAL_DIR", str(tmp_path / "journals"))
    importlib.reload(book)
    yield book
    book._downloads.clear()


def test_every_open_answer_has_a_picker_that_writes_into_the_saved_answer(fresh_journal):
    from helpers import journal

    box = journal.respond("l1-central-claim")
    assert box.cite.area is box.text
    box.cite.insert("yalta-1945")
    assert fresh_journal.get("l1-central-claim")["answer"] == "[@yalta-1945]"
    assert "Shimoda to Yalta" in box.cite.mix_box.value  # the lesson's era
    assert cite.mix("l1-central-claim").sources == catalogue.lookup("yalta-1945")["sources"]
    assert cite.cited_sources() == catalogue.lookup("yalta-1945")["sources"]


def test_long_answers_and_the_negotiation_have_a_picker(fresh_journal):
    from helpers import quiz, roleplay
    from helpers._quiz import bank

    ids = [i for i, e in bank.registry().exercises.items() if e["kind"] == "long"]
    q = quiz.show(ids[0])
    q.input.cite.insert("potsdam-1945")
    assert q.value == "[@potsdam-1945]"
    n = roleplay.negotiation(teams=["japan-prime-minister", "russia-president"])
    n.cite.insert("lavrov-2019")
    assert n.text.value == "[@lavrov-2019]"


# ---------------------------------------------------------------- the citations: bank field


def _checked(value):
    chk = Checker("data/exercises/x.yml", "exercise l9-essay")
    return spec.check(value, chk), [str(p) for p in chk.problems]


def test_a_good_requirement_is_read_in_its_normal_form():
    out, problems = _checked({"min_sources": 3, "vantages": ["japan-official", "russia-official"],
                              "era": 1956})
    assert problems == []
    assert out == {"min_sources": 3, "vantages": ["japan-official", "russia-official"],
                   "era": ("1956", 1956, 1956)}
    assert _checked({"era": "declaration-1956"})[0]["era"][1:] == (1946, 1990)
    assert _checked({"era": [1945, 1956]})[0]["era"] == ("1945–1956", 1945, 1956)


@pytest.mark.parametrize("value, field, words", [
    ("three", "citations", "must be a mapping"),
    ({"min_sources": 0}, "citations.min_sources", "whole number from 1 to 50"),
    ({"min_sources": 2.5}, "citations.min_sources", "whole number"),
    ({"min_sources": "3"}, "citations.min_sources", "whole number"),
    ({"vantages": "japan-official"}, "citations.vantages", "must be a list"),
    ({"vantages": ["japan-oficial"]}, "citations.vantages[1]", "did you mean 'japan-official'"),
    ({"era": "declaration-1965"}, "citations.era", "did you mean 'declaration-1956'"),
    ({"era": [1990, 1950]}, "citations.era", "[first, last]"),
    ({"era": True}, "citations.era", "is not an era"),
    ({"min_source": 3}, "min_source", "min_sources"),
])
def test_a_bad_requirement_names_the_file_exercise_and_field(value, field, words):
    _, problems = _checked(value)
    assert problems, value
    assert any("data/exercises/x.yml" in p and "l9-essay" in p and field in p and words in p
               for p in problems), problems


def test_check_reports_a_bad_citations_field_in_a_bank(course_root):
    from helpers.instructor import check

    bank_file = course_root / "data" / "exercises" / "01_fixture_lesson.yml"
    text = bank_file.read_text(encoding="utf-8")
    bank_file.write_text(text.replace("  - id: fx-long\n    kind: long\n",
                                      "  - id: fx-long\n    kind: long\n"
                                      "    citations: {min_sources: many, vantages: [pres]}\n"),
                         encoding="utf-8")
    problems = [str(p) for p in check.run().problems]
    assert any("fx-long" in p and "citations.min_sources" in p for p in problems), problems
    assert any("citations.vantages[1]" in p and "'press'" in p for p in problems), problems


def test_a_requirement_is_reported_when_a_long_answer_is_checked():
    from helpers._quiz import kinds

    ex = {"kind": "long", "keywords": [], "citations": {"min_sources": 2, "vantages": [],
                                                         "era": None}}
    assert kinds.mark(ex, "[@stephan-1974]").messages == [
        "Not yet: Asked for: at least 2 sources; your citations rest on 1."]


# ---------------------------------------------------------------- exports, read back


def test_bibtex_round_trips_through_bibtexparser():
    bibtexparser = pytest.importorskip("bibtexparser")
    from bibtexparser.middlewares import LatexDecodingMiddleware

    lib = bibtexparser.parse_string(cite.bibliography("bibtex"),
                                    append_middleware=[LatexDecodingMiddleware()])
    raw = {e.key: e for e in bibtexparser.parse_string(cite.bibliography("bibtex")).entries}
    assert lib.failed_blocks == []
    assert [e.key for e in lib.entries] == list(SOURCES)
    for entry in lib.entries:
        row = SOURCES[entry.key]
        assert entry.fields_dict["title"].value == " ".join(row["title"].split())
        year = formats.date_parts(row)[0]
        assert ("year" in entry.fields_dict) == bool(year)
        if row["url"]:
            assert raw[entry.key].fields_dict["url"].value == row["url"]  # not LaTeX: as is


def test_ris_round_trips_through_rispy():
    rispy = pytest.importorskip("rispy")
    records = rispy.loads(cite.bibliography("ris"))
    assert [r["id"] for r in records] == list(SOURCES)
    for record in records:
        row = SOURCES[record["id"]]
        assert record["title"] == " ".join(row["title"].split())
        people, person = formats.names(row)
        assert len(record.get("authors", [])) == len(people)
        if row["url"]:
            assert record["urls"] == [row["url"]]


def test_csl_json_is_read_and_formatted_by_citeproc():
    pytest.importorskip("citeproc")
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = json.loads(cite.bibliography("csl-json"))
    assert [i["id"] for i in items] == list(SOURCES)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    rendered = [str(x) for x in bib.bibliography()]
    assert len(rendered) == len(items)
    assert all(any(i["title"] in r for r in rendered) for i in items)


def test_the_cited_subset_holds_exactly_the_cited_sources(fresh_journal):
    fresh_journal.record("L1", "essay", "[@shimoda-1855] [@stephan-1974] [@nope]", kind="text")
    expected = set(catalogue.lookup("shimoda-1855")["sources"]) | {"stephan-1974"}
    assert set(cite.cited_sources()) == expected
    import rispy

    assert {r["id"] for r in rispy.loads(cite.bibliography("ris", cited=True))} == expected
    assert {i["id"] for i in json.loads(cite.bibliography("csl-json", cited=True))} == expected
    box = cite.export()
    assert f"({len(expected)} sources cited" in box.links.value
    paths = box.save()
    assert len(paths) == 6 and all(p.parent == fresh_journal.journal_path().parent for p in paths)
    assert {p.suffix for p in paths} == {".bib", ".json", ".ris"}


def test_an_unknown_format_is_refused_by_name():
    with pytest.raises(ValueError, match="bibtex, csl-json, ris"):
        cite.bibliography("endnote")


def test_special_characters_survive_bibtex():
    row = {"id": "x-1", "kind": "reference", "author": "A. B. Smith", "title":
           "100% of {braces} & $money_# ~", "publisher": "P & Q", "date": "2001-02-03",
           "url": "", "vantage": "", "notes": ""}
    bibtexparser = pytest.importorskip("bibtexparser")
    from bibtexparser.middlewares import LatexDecodingMiddleware

    lib = bibtexparser.parse_string(formats.to_bibtex([row]),
                                    append_middleware=[LatexDecodingMiddleware()])
    assert lib.entries[0].fields_dict["title"].value == row["title"]


# ---------------------------------------------------------------- works cited in the hand-in


def test_the_handin_lists_works_cited_and_keeps_its_data_block():
    from helpers.instructor._collect import handin

    entries = [{"lesson": "L1", "item": "essay", "kind": "text", "time": "2026-01-01T00:00:00Z",
                "answer": "Claim [@stephan-1974, p. 3] and [@panov-2011; @shimoda-185]."}]
    page = handin_export.to_html(entries, learner="Aiko")
    notes = handin_export.to_markdown(entries, learner="Aiko")
    for text in (page, notes):
        assert "Works cited" in text and "Chicago author–date" in text
        assert "Stephan, John J. 1974." in text and "Panov, Alexander. 2011." in text
        assert text.index("Panov, Alexander") < text.index("Stephan, John J.")  # sorted
        assert "shimoda-185" in text.split("Works cited")[1]  # unknown marker shown
        parsed = handin.parse(text.encode("utf-8"), "x")
        assert parsed.entries[0]["answer"] == entries[0]["answer"]
    assert "<em>The Kuril Islands" in page


def test_no_works_cited_section_without_markers():
    entries = [{"lesson": "L1", "item": "q", "kind": "text", "answer": "no citations",
                "time": "2026-01-01T00:00:00Z"}]
    assert "Works cited" not in handin_export.to_html(entries, learner="A")


def test_chicago_entries_are_consistent():
    for sid, row in SOURCES.items():
        entry = formats.chicago(dict(row, id=sid))
        assert entry.endswith(".") and ".." not in entry.replace("...", "")
        year = formats.date_parts(row)[0]
        assert (str(year) in entry) if year else ("n.d." in entry)


def _people():
    for sid, row in SOURCES.items():
        people, person = formats.names(row)
        if person:
            yield sid, row, people


def test_a_family_name_in_capitals_leads_and_every_format_agrees_on_it():
    """Whatever order sources.csv writes a person in, every format names the same family name,
    and no format shows the capitals that mark it."""
    from helpers._common import labels, persons

    rispy = pytest.importorskip("rispy")
    ris = {r["id"]: r for r in rispy.loads(cite.bibliography("ris"))}
    csl = {i["id"]: i for i in json.loads(cite.bibliography("csl-json"))}
    for sid, row, people in _people():
        families = [persons.split(p)[0] for p in people]
        assert [a["family"] for a in csl[sid]["author"]] == families, sid
        assert [a.split(",")[0] for a in ris[sid]["authors"]] == families, sid
        chicago = formats.chicago(dict(row, id=sid))
        assert chicago.startswith(families[0]), sid
        short = labels._short_citation(row)
        assert short.startswith(" and ".join(families)), (sid, short)
        for text in (chicago, short):
            assert not any(len(w) > 1 and w.isalpha() and w.isupper() and w in p
                           for p in people for w in text.split()), (sid, text)


@pytest.mark.parametrize("author, chicago_lead, short", [
    ("TORII Ryūzō", "Torii Ryūzō. 1903.", "Torii 1903"),
    ("ŌYA Kyōsuke and TŌMINE Ryōta", "Ōya Kyōsuke and Tōmine Ryōta. 1903.", "Ōya and Tōmine 1903"),
    ("Tsuneo Akaha and Anna Vassilieva", "Akaha, Tsuneo, and Anna Vassilieva. 1903.",
     "Akaha and Vassilieva 1903"),
    ("Tsuneo AKAHA", "Akaha, Tsuneo. 1903.", "Akaha 1903"),
])
def test_japanese_names_keep_the_order_the_author_publishes(author, chicago_lead, short):
    from helpers._common import labels

    row = {"id": "x", "kind": "reference", "author": author, "title": "T", "date": "1903"}
    assert formats.chicago(row).startswith(chicago_lead)
    assert labels._short_citation(row) == short


def test_an_undated_source_is_never_given_the_year_of_its_note():
    from helpers._common import labels

    row = {"id": "x", "kind": "reference", "author": "KUROIWA Yukiko", "title": "T",
           "date": "n.d. (after 2009)"}
    assert labels._short_citation(row) == "Kuroiwa n.d."
    assert "n.d." in formats.chicago(row) and "2009" not in formats.chicago(row)
