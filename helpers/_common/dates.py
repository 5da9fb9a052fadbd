"""One way to read a date for the whole course, and one rule for "in force on a day".

Pure Python (no pandas), so build scripts and checkers can use it too.

- A date is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (or an int year, a ``datetime.date``, a pandas
  Timestamp, a numpy datetime64).
- A date you *ask about* (a map's year, a positions date, a checking date) means the **last day**
  of its period: ``"1945-08"`` is 31 August 1945, ``1945`` and ``"1945"`` are 31 December 1945.
- A period in the data (``from_date`` .. ``to_date``, ``valid_from`` .. ``valid_to``,
  ``start`` .. ``end``) is in force from the first day of its start through the last day of its
  end, both days included; an empty end means "still in force". So a period ending ``1919`` and
  the next starting ``1920`` join with no gap and no day in common.
"""

import calendar
import datetime
import functools
import re

__all__ = ["FORMS", "Period", "period", "day", "in_force", "in_force_rows", "label", "iso"]

FORMS = "a year (1956), a month (1956-10) or a day (1956-10-19)"
_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class Period(tuple):
    """(first day, last day, precision) of a written date; precision is day, month or year."""

    __slots__ = ()

    def __new__(cls, first, last, precision):
        return super().__new__(cls, (first, last, precision))

    first = property(lambda self: self[0])
    last = property(lambda self: self[1])
    precision = property(lambda self: self[2])


def period(text):
    """The Period a text date stands for, or None when ``text`` is not a valid date."""
    text = str(text).strip()
    return _period(text) if len(text) <= 10 else None  # YYYY-MM-DD at the longest


@functools.lru_cache(maxsize=4096)  # a Period never changes: the same few dates are read again
def _period(text):
    found = _FORM.fullmatch(text)
    if not found:
        return None
    year, month, dd = (int(g) if g else None for g in found.groups())
    try:
        if dd is not None:
            one = datetime.date(year, month, dd)
            return Period(one, one, "day")
        if month is not None:
            last = calendar.monthrange(year, month)[1]
            return Period(datetime.date(year, month, 1), datetime.date(year, month, last), "month")
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year")
    except ValueError:  # month 13, 30 February, year 0
        return None


def day(when):
    """The day ``when`` stands for, as a ``datetime.date``: a year or a month means its last day.

    Raises ValueError naming the allowed forms when ``when`` is not a date."""
    if isinstance(when, bool) or when is None:
        raise ValueError(f"{when!r} is not a date: use {FORMS}")
    if isinstance(when, int):
        when = str(when)
    if isinstance(when, str):
        found = period(when)
        if found is None:
            raise ValueError(f"{when!r} is not a date: use {FORMS}")
        return found.last
    if isinstance(when, datetime.datetime):  # a pandas Timestamp is one too
        if when != when:  # NaT
            raise ValueError(f"{when!r} is not a date: use {FORMS}")
        return when.date()
    if isinstance(when, datetime.date):
        return when
    if hasattr(when, "astype"):  # numpy datetime64
        value = when.astype("datetime64[D]").item()
        if isinstance(value, datetime.date):
            return value
    raise ValueError(f"{when!r} is not a date: use {FORMS}")


def _bound(value, end):
    """A period's first day (``end=False``) or last day; None for an empty end."""
    if value is None or value == "" or value != value:  # missing, empty or NaN/NaT
        return None
    if isinstance(value, str):
        found = period(value)
        if found is None:
            raise ValueError(f"{value!r} is not a date: use {FORMS}")
        return found.last if end else found.first
    return day(value)


def in_force(start, end, on):
    """True when the period ``start`` .. ``end`` (both days included; empty end: open) covers
    the day ``on`` (any form :func:`day` reads)."""
    on = day(on)
    first = _bound(start, end=False)
    last = _bound(end, end=True)
    return first is not None and first <= on and (last is None or on <= last)


def in_force_rows(rows, on, start="from_date", end="to_date", key=None):
    """The rows (dicts) in force on ``on``; with ``key`` (a field such as ``"actor"``), only the
    latest-starting row for each value of that field, in the order the rows come."""
    on = day(on)
    live = [r for r in rows if in_force(r.get(start), r.get(end), on)]
    if key is None:
        return live
    best = {}
    for r in live:
        first = _bound(r.get(start), end=False)
        if r[key] not in best or first >= best[r[key]][0]:
            best[r[key]] = (first, r)
    return [r for r in live if best[r[key]][1] is r]


def label(when):
    """How a date asked about reads in a heading: "the end of 1956", "the end of Oct 1956", or
    "19 Oct 1956"."""
    if isinstance(when, (int, str)) and not isinstance(when, bool):
        found = period(str(when))
        if found is None:
            raise ValueError(f"{when!r} is not a date: use {FORMS}")
        if found.precision == "year":
            return f"the end of {found.last.year}"
        if found.precision == "month":
            return f"the end of {found.last:%b} {found.last.year}"
    one = day(when)
    return f"{one.day} {one:%b} {one.year}"


def iso(when):
    """``YYYY-MM-DD`` of the day ``when`` stands for."""
    return day(when).isoformat()
