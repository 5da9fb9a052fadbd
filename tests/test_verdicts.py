"""The golden verdict table: seven designs at every check date, judged for each government.

tests/verdicts/verdicts.csv is reviewed like data: one row per design x ``settlement.CHECK_DATES``
entry x government, with the result the historical record leads us to expect, the conditions that
decide it, a one-line reason and its sources. The designs are in tests/verdicts/designs.yml. A
government's verdict is the worst result among its conditions in force (conflicts with, then
unclear, then not addressed, then meets); a condition stated by both governments (the 2016 press
statement) counts for each.

If a change to data/conditions.yml changes a verdict, this test fails: either the change is wrong,
or the table (and its reason) must be revised with a source.
"""

import csv
from pathlib import Path

import pytest
import yaml

from helpers import settlement
from helpers._capstone import rules as _rules

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "data"
DESIGNS = yaml.safe_load((HERE / "verdicts" / "designs.yml").read_text(encoding="utf-8"))["designs"]
with open(HERE / "verdicts" / "verdicts.csv", newline="", encoding="utf-8") as f:
    TABLE = list(csv.DictReader(f))
GOVERNMENTS = {"japan": "Tokyo", "ussr": "Moscow", "russia": "Moscow"}
WORST_FIRST = (_rules.CONFLICTS, _rules.UNCLEAR, _rules.NOT_ADDRESSED_RESULT, _rules.MEETS)
CONDITIONS = {
    c["id"]: c
    for c in yaml.safe_load((DATA / "conditions.yml").read_text(encoding="utf-8"))["conditions"]
}


def verdicts(design, date):
    """{government: (worst result, {condition ids with that result})} from the engine."""
    table = settlement.check(design, date)
    found = {}
    for cid, result in zip(table["id"], table["result"], strict=True):
        for government in {GOVERNMENTS[a] for a in CONDITIONS[cid]["actors"]}:
            found.setdefault(government, []).append((result, cid))
    out = {}
    for government, pairs in found.items():
        worst = min((r for r, _ in pairs), key=WORST_FIRST.index)
        out[government] = (worst, {cid for r, cid in pairs if r == worst})
    return out


def test_the_table_covers_every_design_date_and_government():
    assert len(DESIGNS) >= 7
    keys = [(r["design"], r["date"], r["government"]) for r in TABLE]
    assert len(keys) == len(set(keys)), "a design, date and government appear twice"
    want = {
        (d, date, g)
        for d in DESIGNS
        for date in settlement.CHECK_DATES
        for g in ("Tokyo", "Moscow")
    }
    assert set(keys) == want
    print(
        f"\nverdict table: {len(DESIGNS)} designs x {len(settlement.CHECK_DATES)} dates x 2 "
        f"governments = {len(TABLE)} rows"
    )


def test_every_row_has_a_reason_and_known_sources_and_conditions():
    with open(DATA / "sources.csv", newline="", encoding="utf-8") as f:
        sources = {r["id"] for r in csv.DictReader(f)}
    for row in TABLE:
        where = f"{row['design']} at {row['date']} ({row['government']})"
        assert row["expected"] in WORST_FIRST, where
        assert len(row["reason"].split()) >= 8, f"{where}: give a reason"
        cited = row["sources"].split(";")
        assert cited and set(cited) <= sources, f"{where}: unknown source {set(cited) - sources}"
        deciding = row["deciding"].split(";")
        assert set(deciding) <= set(CONDITIONS), f"{where}: unknown condition"
        for cid in deciding:
            assert row["government"] in {GOVERNMENTS[a] for a in CONDITIONS[cid]["actors"]}


@pytest.mark.parametrize("row", TABLE, ids=lambda r: f"{r['design']}@{r['date']}:{r['government']}")
def test_the_engine_reproduces_the_table(row):
    result, deciding = verdicts(DESIGNS[row["design"]]["design"], row["date"])[row["government"]]
    assert result == row["expected"], row["reason"]
    assert deciding == set(row["deciding"].split(";"))


# ---------------------------------------------------------------- what the issue asked for, by name


def expected(design, date, government):
    return next(
        r["expected"]
        for r in TABLE
        if (r["design"], r["date"], r["government"]) == (design, date, government)
    )


@pytest.mark.parametrize("date", ["1993", "2001"])
@pytest.mark.parametrize("design", ["four-at-once", "four-with-transition", "kawana"])
def test_moscow_is_on_record_against_all_four_to_japan_in_the_1990s(design, date):
    assert expected(design, date, "Moscow") == _rules.CONFLICTS


def test_moscow_reads_1956_as_two_islands_only_from_2005():
    for date in ("2016", "2019-01-22", "2020"):
        assert (
            "ru-2005-1956-two-islands-only"
            in verdicts(DESIGNS["four-at-once"]["design"], date)["Moscow"][1]
        )


def test_the_mirror_tokyo_rejects_a_treaty_leaving_all_four_russian():
    all_russian_treaty = settlement.design(peace_treaty="now")
    for date in ("1993", "2001", "2019-01-22", "2022"):
        result, ids = verdicts(all_russian_treaty, date)["Tokyo"]
        assert result == _rules.CONFLICTS
        assert "jp-1993-attribution-before-treaty" in ids


def test_no_design_in_the_table_passes_both_governments():
    """The record shows no settlement both sides accepted; if one appears, the data changed."""
    for design in DESIGNS:
        for date in settlement.CHECK_DATES:
            assert not (
                expected(design, date, "Tokyo") == expected(design, date, "Moscow") == "meets"
            ), (design, date)


def test_every_check_date_has_a_stated_condition_for_each_government():
    for date in settlement.CHECK_DATES:
        assert set(verdicts(settlement.status_quo(), date)) == {"Tokyo", "Moscow"}, date
