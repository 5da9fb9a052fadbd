"""The ``citations:`` field of an open exercise in a bank: what the marker reports against.

```yaml
citations: {min_sources: 3, vantages: [japan-official, russia-official], era: 1956}
```

``min_sources`` (a whole number, 1 to 50), ``vantages`` (group ids, see ``vantage.GROUPS``) and
``era`` (an era id of ``data/eras.csv``, a year, or ``[first, last]`` years) are each optional.
:func:`check` fills the normal form and records problems with the bank's checker (file,
exercise id, field); :func:`era_span` reads an era the same way for the mix.
"""

from .. import data
from .._common.checker import as_number, near, shown
from .vantage import GROUPS

__all__ = ["FIELDS", "check", "era_span", "lesson_era"]

FIELDS = ("min_sources", "vantages", "era")
MOST = 50


def _year(value):
    number = as_number(value) if not isinstance(value, str) else None
    if number is None or not number.is_integer() or not 1000 <= number <= 2999:
        return None
    return int(number)


def era_span(value):
    """``(label, first year, last year)`` for an era id, a year or a [first, last] pair; None
    when ``value`` is none of those."""
    if isinstance(value, str):
        row = data.raw_rows("eras").get(value.strip())
        if row is None:
            return None
        first, last = (_year(int(t)) if str(t)[:4].isdigit() else None
                       for t in (str(row.get("start", ""))[:4], str(row.get("end", ""))[:4]))
        if first is None or last is None:
            return None
        return row.get("title") or value, first, last
    if isinstance(value, list):
        if len(value) != 2:
            return None
        first, last = _year(value[0]), _year(value[1])
        if first is None or last is None or last < first:
            return None
        return f"{first}–{last}", first, last
    year = _year(value)
    return None if year is None else (str(year), year, year)


def lesson_era(lesson):
    """The era of a lesson (eras.csv ``notebook``), as :func:`era_span` gives it, or None."""
    for era_id, row in data.raw_rows("eras").items():
        if str(row.get("notebook", "")).removesuffix(".ipynb") == str(lesson or ""):
            return era_span(era_id)
    return None


def check(raw, chk):
    """Check ``raw`` (the YAML value of ``citations``); return the normal form or None."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        chk.bad("citations", "must be a mapping, e.g. citations: {min_sources: 3, vantages: "
                "[japan-official, russia-official], era: 1956}")
        return None
    chk.unknown(raw, FIELDS, of="citations")
    out = {"min_sources": None, "vantages": [], "era": None}
    if "min_sources" in raw:
        value = raw["min_sources"]
        number = as_number(value) if not isinstance(value, str) else None
        if number is None or not number.is_integer() or not 1 <= number <= MOST:
            chk.bad("citations.min_sources", f"'{shown(value)}' is not allowed: a whole number "
                    f"from 1 to {MOST}")
        else:
            out["min_sources"] = int(number)
    if "vantages" in raw:
        value = raw["vantages"]
        if not isinstance(value, list) or not value:
            chk.bad("citations.vantages", f"must be a list of vantage groups, e.g. [japan-official,"
                    f" russia-official]; the groups: {', '.join(GROUPS)}")
        else:
            for n, item in enumerate(value, start=1):
                if item in GROUPS and item not in out["vantages"]:
                    out["vantages"].append(item)
                elif item not in GROUPS:
                    chk.bad(f"citations.vantages[{n}]", f"'{shown(item)}' is not a vantage group"
                            f"{near(item, GROUPS)}; use one of: {', '.join(GROUPS)}")
    if "era" in raw:
        value = raw["era"]
        out["era"] = era_span(value)
        if out["era"] is None:
            eras = list(data.raw_rows("eras"))
            chk.bad("citations.era", f"'{shown(value)}' is not an era{near(value, eras)}: use an "
                    f"era id of data/eras.csv ({', '.join(eras)}), a year such as 1956, or "
                    "[first, last] years")
    return out
