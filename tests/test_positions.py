"""Positions at a date: the right row on period boundaries, island naming, and the explorer's steps.

Runs on tests/fixtures/data (copied per test); expected rows are read from that copy with csv.
"""

import csv
import html

import pandas as pd
import pytest
from fixture_tools import raw

from helpers import data, names, positions


def day(text, shift=0):
    return (pd.Timestamp(text) + pd.Timedelta(days=shift)).strftime("%Y-%m-%d")


def test_each_period_is_in_force_on_its_first_and_last_day_and_not_outside(fixture_data):
    for row in raw(fixture_data, "positions"):
        first = positions.positions_at(row["from_date"])
        assert first.loc[row["actor"], "id"] == row["id"]
        before = positions.positions_at(day(row["from_date"], -1))
        assert row["id"] not in set(before["id"])
        if row["to_date"]:
            assert positions.positions_at(row["to_date"]).loc[row["actor"], "id"] == row["id"]
            after = positions.positions_at(day(row["to_date"], 1))
            assert row["id"] not in set(after["id"])


def test_overlapping_periods_give_the_later_position_not_two_rows(fixture_data):
    rows = raw(fixture_data, "positions")
    first = next(r for r in rows if r["to_date"])
    later = dict(first, id=first["id"] + "-overlap", to_date="",
                 from_date=day(first["to_date"], -5))
    with open(fixture_data / "positions.csv", "a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=list(first)).writerow(later)
    data.reload()
    table = positions.positions_at(first["to_date"])
    assert table.index.is_unique and table.loc[first["actor"], "id"] == later["id"]


def test_one_row_per_government_in_a_fixed_order(fixture_data):
    rows = raw(fixture_data, "positions")
    busiest = max((r["from_date"] for r in rows),
                  key=lambda d: len(positions.positions_at(d)))
    table = positions.positions_at(busiest)
    assert table.index.is_unique and len(table) > 1
    order = [a for a in ("japan", "ussr", "russia", "usa") if a in table.index]
    assert list(table.index) == order


def test_a_year_means_its_end_and_a_month_its_last_day(fixture_data):
    row = next(r for r in raw(fixture_data, "positions") if r["from_date"][5:] not in ("01-01",))
    year, month = row["from_date"][:4], row["from_date"][:7]
    assert row["id"] in set(positions.positions_at(year)["id"])
    assert row["id"] in set(positions.positions_at(int(year))["id"])
    assert row["id"] in set(positions.positions_at(month)["id"])
    assert positions.positions_at(year).equals(positions.positions_at(f"{year}-12-31"))
    assert positions.positions_at(pd.Timestamp(row["from_date"]))["id"].equals(
        positions.positions_at(row["from_date"])["id"])
    when, label = positions.as_of(year)
    assert when == pd.Timestamp(f"{year}-12-31") and label == f"the end of {year}"


@pytest.mark.parametrize("bad", ["19566", "1956-13-01", "soon", None, 3.5, pd.NaT])
def test_a_bad_date_says_what_is_allowed(fixture_data, bad):
    with pytest.raises(ValueError, match="is not a date: use a year"):
        positions.positions_at(bad)


def test_columns_carry_formula_stances_in_words_and_attributed_sources(fixture_data):
    row = raw(fixture_data, "positions")[0]
    table = positions.positions_at(row["from_date"], naming="both")
    got = table.loc[row["actor"]]
    assert got["formula"] == row["formula"] and got["summary"] == row["summary"]
    for island in data.DISPUTED:
        label = names.island_name(island, "both")
        assert got[label] == positions.STANCE_TEXT[row[island]]
        assert "_" not in got[label]  # words, not the raw code
    titles = {d["id"]: d["short_title"] for d in raw(fixture_data, "documents")}
    assert got["documents"] == "; ".join(titles[d] for d in row["documents"].split(";"))
    assert "-" not in got["sources"].split(" ")[0]  # a citation, not a source id


@pytest.mark.parametrize("naming, col", [("japanese", "name_ja"), ("russian", "name_ru")])
def test_island_columns_follow_the_naming_convention(fixture_data, naming, col):
    isl = {r["id"]: r[col] for r in raw(fixture_data, "islands")}
    table = positions.positions_at(raw(fixture_data, "positions")[0]["from_date"], naming=naming)
    assert [isl[i] for i in data.DISPUTED] == [c for c in table.columns if c in isl.values()]
    other = "name_ru" if col == "name_ja" else "name_ja"
    etorofu = next(r for r in raw(fixture_data, "islands") if r["id"] == "etorofu-iturup")
    assert etorofu[other] not in table.columns


def test_a_date_before_any_position_gives_an_empty_table(fixture_data):
    first = min(r["from_date"] for r in raw(fixture_data, "positions"))
    table = positions.positions_at(day(first, -1))
    assert len(table) == 0 and "formula" in table.columns


def test_explorer_steps_through_turning_points(fixture_data):
    ex = positions.positions_explorer()
    try:
        assert ex.value == positions.TURNING_POINTS[0] and ex.prev_button.disabled
        ex.prev()
        assert ex.value == positions.TURNING_POINTS[0]
        ex.next()
        assert ex.value == positions.TURNING_POINTS[1]
        ex.value = "1960"
        assert ex.table.equals(positions.positions_at("1960"))
        ex.next_button.click()
        assert ex.value == positions.TURNING_POINTS[positions.TURNING_POINTS.index("1960") + 1]
        ex.value = positions.TURNING_POINTS[-1]
        ex.next()
        assert ex.value == positions.TURNING_POINTS[-1] and ex.next_button.disabled
        with pytest.raises(ValueError, match="not one of this explorer's dates"):
            ex.value = "1957"
    finally:
        ex.close()


def test_explorer_shows_stances_as_text_and_documents_each_side_relies_on(fixture_data):
    rows = raw(fixture_data, "positions")
    docs = {d["id"]: d["short_title"] for d in raw(fixture_data, "documents")}
    ex = positions.positions_explorer(dates=[r["from_date"] for r in rows])
    seen_shared = False
    try:
        for r in rows:
            ex.value = r["from_date"]
            assert r["id"] in set(ex.table["id"])
            assert html.escape(positions.STANCE_TEXT[r["shikotan"]]) in ex.stances.value
            assert '<th scope="col"' in ex.stances.value
            for d in r["documents"].split(";"):
                assert html.escape(docs[d]) in ex.details.value
            cited = [d for ids in ex.table["documents"] for d in ids.split("; ")]
            shared = len(cited) != len(set(cited))
            seen_shared = seen_shared or shared
            assert ("Compare how each government" in ex.details.value) == shared
        assert seen_shared  # the fixture has a date where two sides cite one document
    finally:
        ex.close()


def test_explorer_says_when_no_position_is_recorded(fixture_data):
    first = min(r["from_date"] for r in raw(fixture_data, "positions"))
    ex = positions.positions_explorer(dates=[day(first, -1), first])
    try:
        assert "records no government position" in ex.stances.value and len(ex.table) == 0
        ex.next()
        assert "records no government position" not in ex.stances.value
    finally:
        ex.close()


def test_explorer_relabels_islands_when_the_naming_changes(fixture_data):
    before = names.convention()
    ex = positions.positions_explorer(dates=["1960"])
    try:
        names.set_convention("japanese")
        assert "Etorofu" in ex.table.columns and ">Etorofu<" in ex.stances.value
        names.set_convention("russian")
        assert "Iturup" in ex.table.columns and ">Iturup<" in ex.stances.value
    finally:
        ex.close()
        names.set_convention(before)


def test_explorer_rejects_a_bad_date_at_once(fixture_data):
    with pytest.raises(ValueError, match="'19x6' is not a date"):
        positions.positions_explorer(dates=["1956", "19x6"])




def test_the_real_positions_give_one_row_per_government_at_each_turning_point():
    data.reload()
    for date in positions.TURNING_POINTS:
        table = positions.positions_at(date)
        assert table.index.is_unique, date
