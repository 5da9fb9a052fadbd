"""Document cards and tables: what a card shows, that data text is escaped, and unknown ids.

Runs on tests/fixtures/data (copied per test, so a test may edit it); expected values are read from
that copy with csv.
"""

import csv
import html

import pandas as pd
import pytest
from fixture_tools import edit, raw

from helpers import data, documents, names


def with_excerpt(dest):
    return next(r for r in raw(dest, "documents") if r["excerpt"] and r["excerpt_status"] != "none")


def test_card_shows_title_dates_parties_summary_and_sources(fixture_data):
    doc = next(r for r in raw(fixture_data, "documents") if r["date_in_force"] and r["islands"])
    card = documents.show(doc["id"], naming="both").value
    assert f"<h3>{html.escape(doc['short_title'])}</h3>" in card
    assert html.escape(doc["summary"]) in card
    y, m, d = doc["date"].split("-")
    assert f"{int(d)} {pd.Timestamp(doc['date']):%b} {y}" in card and "in force" in card
    for island in doc["islands"].split(";"):
        assert html.escape(names.island_name(island, "both")) in card
    assert "Japan" in card if "japan" in doc["parties"] else True
    assert "Sources:" in card and doc["sources"].split(";")[0] not in card
    assert "Sourcing questions" in card and "Who wrote" in card
    assert f"Notes on the sources</summary><p>{html.escape(doc['notes'])}</p>" in card


def test_card_shows_the_calendar_note(fixture_data):
    doc = next(r for r in raw(fixture_data, "documents") if r["calendar_note"])
    assert html.escape(doc["calendar_note"]) in documents.card_html(doc["id"])


def test_a_date_precision_column_if_present_limits_the_date_shown(fixture_data):
    rows = raw(fixture_data, "documents")
    for r in rows:
        r["date_precision"] = "year" if r is rows[0] else "day"
    with open(fixture_data / "documents.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    data.reload()
    stamp = pd.Timestamp(rows[0]["date"])
    card = documents.card_html(rows[0]["id"])
    signed = rows[0]["kind"] in ("treaty", "agreement", "declaration", "communique")
    verb = "Signed" if signed else "Dated"
    assert f"{verb} {stamp.year}" in card and f"{stamp:%b} {stamp.year}" not in card


def test_verified_excerpt_is_a_blockquote_with_translation_status_and_provenance(fixture_data):
    doc = with_excerpt(fixture_data)
    card = documents.card_html(doc["id"])
    quote = card.split("<blockquote")[1].split(">", 1)[1].split("</blockquote>")[0]
    assert quote == html.escape(doc["excerpt"])
    assert html.escape(doc["excerpt_translation"]) in card
    assert html.escape(doc["provenance"]) in card
    assert documents.STATUS_TEXT[doc["excerpt_status"]] in card
    assert documents.NO_WORDING not in card


def test_no_verified_wording_says_the_summary_is_a_paraphrase(fixture_data):
    doc = next(r for r in raw(fixture_data, "documents") if r["excerpt_status"] == "none")
    card = documents.card_html(doc["id"])
    assert "No verified wording: summary is a paraphrase" in card
    assert "<blockquote" not in card


def test_an_excerpt_without_a_verified_status_is_never_shown(fixture_data):
    doc = with_excerpt(fixture_data)
    edit(fixture_data, "documents", doc["id"], excerpt_status="none")
    card = documents.card_html(doc["id"])
    assert "<blockquote" not in card and documents.NO_WORDING in card


def test_excerpt_and_summary_html_is_escaped(fixture_data):
    doc = with_excerpt(fixture_data)
    edit(fixture_data, "documents", doc["id"],
         excerpt="<script>alert('x')</script> & <b>bold</b>",
         summary="Raw <img src=x onerror=alert(1)> in a *summary*",
         short_title="<i>Title</i>")
    card = documents.show(doc["id"]).value
    assert "<script>" not in card and "&lt;script&gt;" in card
    assert "<b>bold</b>" not in card and "&amp; &lt;b&gt;" in card
    assert "<img" not in card and "&lt;img" in card
    assert "<em>summary</em>" in card  # Markdown still works in the summary
    assert "<i>Title</i>" not in card


def test_unknown_id_gives_a_message_with_close_ids_not_a_traceback(fixture_data):
    doc = raw(fixture_data, "documents")[0]
    typo = doc["id"].replace("-", "", 1)
    card = documents.show(typo).value
    assert "No document with id" in card and html.escape(typo) in card
    assert f"<code>{doc['id']}</code>" in card.split("Did you mean:")[1]
    far = documents.card_html("<zzzzzz>")
    assert "&lt;zzzzzz&gt;" in far and "document_table()" in far


def test_a_broken_data_file_gives_its_message_in_the_card(fixture_data):
    doc = raw(fixture_data, "documents")[0]
    edit(fixture_data, "documents", doc["id"], kind="poem")
    card = html.unescape(documents.card_html(doc["id"]))
    assert "data/documents.csv" in card and "'poem' is not allowed" in card


def test_document_table_lists_an_eras_documents_by_date(fixture_data):
    rows = raw(fixture_data, "documents")
    era = rows[-1]["era"]
    table = documents.document_table(era, naming="japanese")
    expected = sorted((r for r in rows if r["era"] == era), key=lambda r: r["date"])
    assert list(table.index) == [r["id"] for r in expected]
    assert list(table.columns) == ["date", "short_title", "kind", "parties", "islands"]
    assert table["date"].is_monotonic_increasing
    isl = {r["id"]: r["name_ja"] for r in raw(fixture_data, "islands")}
    for r in expected:
        got = table.loc[r["id"], "islands"]
        assert got == ", ".join(isl[i] for i in r["islands"].split(";") if i)
    assert len(documents.document_table()) == len(rows)
    with pytest.raises(ValueError, match="There is no era 'nope'. The eras are: shimoda-to-yalta"):
        documents.document_table("nope")


def test_compare_sets_summaries_side_by_side(fixture_data):
    a, b = raw(fixture_data, "documents")[:2]
    out = documents.compare([a["id"], b["id"], "no-such-doc"]).value
    assert out.count("<td") == 3
    assert html.escape(a["summary"]) in out and html.escape(b["summary"]) in out
    assert "No document with id" in out


def test_cite_names_people_by_surname_and_bodies_in_full(fixture_data):
    src = list(raw(fixture_data, "sources"))
    person = next(s for s in src if s["author"].count(" ") == 2 and "." in s["author"])
    body = next(s for s in src if "Department" in s["author"] and len(s["author"]) < 40)
    long_body = next(s for s in src if len(s["author"]) > 60)
    unnamed = next(s for s in src if s["author"].startswith("("))
    got = documents.cite(";".join(s["id"] for s in (person, body, long_body, unnamed))).split("; ")
    assert got[0] == f"{person['author'].split()[-1]} {person['date'][:4]}"
    assert got[1] == f"{body['author']} {body['date'][:4]}"
    assert got[2] == f"{long_body['author']} {long_body['date'][:4]}"  # whole, never cut
    assert got[3].startswith(unnamed["title"].split()[0]) and "author" not in got[3]


@pytest.mark.parametrize("precision, expected", [
    ("day", "7 Feb 1855"), ("month", "Feb 1855"), ("year", "1855"),
])
def test_format_date_keeps_only_the_known_precision(precision, expected):
    assert documents.format_date(pd.Timestamp("1855-02-07"), precision) == expected
    assert documents.format_date(pd.NaT) == ""


def test_every_real_document_has_a_card():
    data.reload()
    for doc_id in data.documents()["id"]:
        card = documents.card_html(doc_id)
        assert "No document with id" not in card and "<h3>" in card, doc_id


def test_only_signed_texts_are_called_signed():
    assert "<b>Date:</b> Signed " in documents.card_html("joint-declaration-1956")
    assert "<b>Date:</b> Dated " in documents.card_html("krasnoyarsk-1997")


# ---------------------------------------------------------------- translations and official texts


def problems_for(doc_id):
    return {p.field: p.message for p in documents.excerpt_problems() if doc_id in p.where}


def test_a_non_english_excerpt_shows_the_courses_english_and_a_second_translation(fixture_data):
    """Does a Russian excerpt come with the course's English, marked as ours, and a second one?"""
    doc = with_excerpt(fixture_data)
    edit(fixture_data, "documents", doc["id"], excerpt="Обе Стороны", excerpt_language="ru",
         excerpt_translation="original", excerpt_english="Both Parties",
         second_translation="The two Sides", second_translation_source="A news agency, 1941")
    card = documents.card_html(doc["id"])
    quotes = [q.split(">", 1)[1].split("</blockquote>")[0] for q in card.split("<blockquote")[1:]]
    assert quotes == ["Обе Стороны", "Both Parties", "The two Sides"]
    assert 'lang="ru"' in card and 'lang="en"' in card
    assert documents.OUR_TRANSLATION in card and "A news agency, 1941" in card
    assert card.index(documents.OUR_TRANSLATION) < card.index("The two Sides")
    assert documents.NO_SECOND not in card and problems_for(doc["id"]) == {}


def test_without_a_second_translation_the_card_says_so(fixture_data):
    doc = with_excerpt(fixture_data)
    edit(fixture_data, "documents", doc["id"], excerpt="第二条", excerpt_language="ja",
         excerpt_english="Article 2")
    card = documents.card_html(doc["id"])
    assert card.count("<blockquote") == 2 and documents.NO_SECOND in card


def test_an_english_excerpt_has_no_translation_block(fixture_data):
    doc = with_excerpt(fixture_data)
    card = documents.card_html(doc["id"])
    assert card.count("<blockquote") == 1 and documents.OUR_TRANSLATION not in card


def test_a_card_without_wording_says_where_the_official_text_is(fixture_data):
    doc = next(r for r in raw(fixture_data, "documents") if r["excerpt_status"] == "none")
    card = documents.card_html(doc["id"])
    assert documents.NO_WORDING in card and html.escape(doc["official_text"]) in card


@pytest.mark.parametrize("changes, field, words", [
    (dict(excerpt_language="ru", excerpt_english=""), "excerpt_english", "Russian excerpt needs"),
    (dict(excerpt_status="none"), "excerpt_status", "official or third-party"),
    (dict(provenance=""), "provenance", "where the wording is from"),
    (dict(excerpt_translation=""), "excerpt_translation", "whose English"),
    (dict(second_translation="Other words"), "second_translation_source", "go together"),
    (dict(excerpt_english="Our words"), "excerpt_english", "only for the English of"),
])
def test_check_names_the_field_an_excerpt_is_missing(fixture_data, changes, field, words):
    """Does check say which field a quoted document lacks, instead of showing a bare quotation?"""
    doc = with_excerpt(fixture_data)
    assert problems_for(doc["id"]) == {}
    edit(fixture_data, "documents", doc["id"], **changes)
    found = problems_for(doc["id"])
    assert field in found and words in found[field]


def test_a_document_without_wording_must_say_where_its_text_is(fixture_data):
    doc = next(r for r in raw(fixture_data, "documents") if r["excerpt_status"] == "none")
    edit(fixture_data, "documents", doc["id"], official_text="")
    assert "official_text" in problems_for(doc["id"])
    edit(fixture_data, "documents", doc["id"], excerpt_status="official")
    assert "there is no excerpt" in problems_for(doc["id"])["excerpt"]


def test_adding_a_verified_excerpt_is_a_data_only_change(fixture_data):
    """Can an instructor turn a paraphrase-only card into a quoted one by editing the CSV alone?"""
    doc = next(r for r in raw(fixture_data, "documents") if r["excerpt_status"] == "none")
    edit(fixture_data, "documents", doc["id"], excerpt="第二条 今より後",
         excerpt_status="third-party")
    assert set(problems_for(doc["id"])) == {"excerpt_language", "excerpt_translation"}
    edit(fixture_data, "documents", doc["id"], excerpt_language="ja",
         excerpt_translation="original")
    assert set(problems_for(doc["id"])) == {"excerpt_english"}
    edit(fixture_data, "documents", doc["id"], excerpt_english="Article 2. From now on")
    assert problems_for(doc["id"]) == {}
    card = documents.card_html(doc["id"])
    assert "第二条 今より後" in card and "Article 2. From now on" in card
    assert documents.NO_WORDING not in card


def test_the_real_documents_pass_the_excerpt_check():
    """Do the course's own cards each have their English and say where every text is?"""
    data.reload()
    assert documents.excerpt_problems() == []
    docs = data.documents().fillna("")
    foreign = docs[docs["excerpt_language"].isin(["ja", "ru"]) & (docs["excerpt"] != "")]
    assert len(foreign) >= 4 and (foreign["excerpt_english"] != "").all()
    assert (docs.loc[docs["excerpt"] == "", "official_text"] != "").all()
