"""One reading of a date and one "in force on a day" rule for the whole course.

A year or a month asked about means its last day, in every module: the maps, the positions, the
settlement's conditions. A period in the data is in force from its first day through its last
day, both included (see data/README.md).
"""

import datetime

import pandas as pd
import pytest

from helpers import data, maps, positions, settlement
from helpers._common import dates


def frame_text(frame):
    return frame.to_csv()


# Each public function that takes a date, reduced to something comparable.
READERS = {
    "maps.claims_map": lambda d: frame_text(maps.claims_map(d, text=True)),
    "maps.sovereignty_map": lambda d: frame_text(maps.sovereignty_map(d, text=True)),
    "maps.control_at": lambda d: repr(maps.control_at(d)),
    "positions.positions_at": lambda d: frame_text(positions.positions_at(d)),
    "positions.as_of": lambda d: positions.as_of(d)[0],
    "settlement.conditions": lambda d: frame_text(settlement.conditions(d)),
    "settlement.check": lambda d: frame_text(settlement.check(settlement.status_quo(), d)),
    "settlement.unaddressed_choices": lambda d: settlement.unaddressed_choices(
        settlement.status_quo(), d),
}


@pytest.mark.parametrize("name", READERS)
@pytest.mark.parametrize("partial, last_day", [("1945-08", "1945-08-31"), ("1945", "1945-12-31"),
                                                ("1955-12", "1955-12-31"), ("1991", "1991-12-31")])
def test_every_module_reads_a_month_or_a_year_as_its_last_day(name, partial, last_day):
    read = READERS[name]
    assert read(partial) == read(last_day)
    assert read(int(partial) if partial.isdigit() else partial) == read(last_day)


def test_the_readers_see_changes_inside_those_periods():
    """Not vacuous: in each period above something changes, so the first day reads otherwise."""
    changed = {name for name, read in READERS.items()
               for partial, first in (("1945-08", "1945-08-01"), ("1955-12", "1955-12-01"),
                                      ("1991", "1991-01-01"))
               if read(partial) != read(first)}
    assert changed == set(READERS)


def test_headings_say_the_end_of_the_period():
    assert positions.as_of("1945-08")[1] == "the end of Aug 1945"
    assert settlement.check(settlement.status_quo(), "1993").attrs["date"] == "the end of 1993"
    assert "1945-08-31" in maps.sovereignty_map("1945-08").layout.title.text


class TestRule:
    def test_both_ends_are_in_force(self):
        assert dates.in_force("1956-10-19", "1960-01-26", "1956-10-19")
        assert dates.in_force("1956-10-19", "1960-01-26", "1960-01-26")
        assert not dates.in_force("1956-10-19", "1960-01-26", "1960-01-27")
        assert not dates.in_force("1956-10-19", "1960-01-26", "1956-10-18")
        assert dates.in_force("1991-12-26", "", "2100-01-01")

    def test_partial_bounds_cover_their_whole_period(self):
        assert dates.in_force("1920", "1925-05-14", "1920-01-01")
        assert dates.in_force("1875-05-07", "1919", "1919-12-31")
        assert not dates.in_force("1875-05-07", "1919", "1920-01-01")

    def test_any_form_of_a_day(self):
        day = datetime.date(1945, 9, 2)
        for form in ("1945-09-02", datetime.datetime(1945, 9, 2, 12), pd.Timestamp("1945-09-02"),
                     pd.Timestamp("1945-09-02").to_datetime64(), day):
            assert dates.day(form) == day

    @pytest.mark.parametrize("bad", ["1945-13", "1945-02-30", "the fifties", "", None, True,
                                     pd.NaT])
    def test_bad_dates_name_the_allowed_forms(self, bad):
        with pytest.raises(ValueError, match="is not a date: use a year"):
            dates.day(bad)


def test_no_government_holds_two_positions_on_one_day():
    """Shipped data follows the rule: a period ends on its to_date, the next begins after it."""
    rows = data.positions().to_dict("records")
    for actor in {r["actor"] for r in rows}:
        mine = sorted((r for r in rows if r["actor"] == actor), key=lambda r: r["from_date"])
        for before, after in zip(mine, mine[1:], strict=False):
            assert not pd.isna(before["to_date"]) and before["to_date"] < after["from_date"], actor


def test_era_of_every_event_and_document_covers_its_date():
    eras = {r["id"]: r for r in data.eras().to_dict("records")}
    for table in (data.events(), data.documents()):
        for r in table.to_dict("records"):
            era = eras[r["era"]]
            assert dates.in_force(era["start"], era["end"], r["date"]), r["id"]
