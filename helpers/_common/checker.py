"""The one way the course checks what instructors write: CSV rows, YAML entries, course options.

A :class:`Checker` collects :class:`~helpers.errors.Problem` objects for one file; ``where`` names
the row or entry being checked (set it as you go). Each method checks one field, records what is
wrong in words an instructor can act on, and returns the usable value (or a safe default), so a
checker never raises and one bad field never hides the others.
"""

import difflib
import re

from ..errors import Problem
from . import dates

__all__ = ["Checker", "ID", "near", "as_text", "as_number", "split"]

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def split(cell):
    """A ``;``-separated cell as a list of ids (empty cell: empty list)."""
    return [p.strip() for p in str(cell or "").split(";") if p.strip()]


def near(word, options):
    """`` (did you mean 'x'?)`` for a close option, else ''."""
    found = difflib.get_close_matches(str(word), [str(o) for o in options], n=1)
    return f" (did you mean '{found[0]}'?)" if found else ""


def as_text(value):
    """Text fields take text or numbers (``title: 1855``), never lists, mappings or true/false."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value)


def as_number(value):
    """A number from a YAML number or a CSV cell (``"3,168.4"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def _missing(value):
    return value is None or (isinstance(value, str) and not value.strip())


class Checker:
    """Problems found in one file. ``bad(field, message)`` records one; the other methods check
    a field of ``entry`` (a dict: a CSV row or a YAML mapping) and return its usable value."""

    def __init__(self, file, where=""):
        self.file, self.where, self.problems = file, where, []

    def bad(self, field, message):
        self.problems.append(Problem(self.file, self.where, field, message))

    def text(self, entry, field, required=True, default="", strip=True):
        """Text (or a number written as text); ``default`` when missing or not text."""
        value = entry.get(field)
        if _missing(value):
            if required:
                self.bad(field, "is required" if value is None else "is empty but required")
            return default if value is None or not isinstance(value, str) else (
                value.strip() if strip else value)
        text = as_text(value)
        if text is None:
            self.bad(field, "must be text")
            return default
        return text.strip() if strip else text

    def texts(self, entry, field, min_len=0, distinct=False):
        """A list of non-empty texts."""
        value = entry.get(field)
        if value is None:
            value = []
        if not isinstance(value, list):
            self.bad(field, f"must be a list, e.g. {field}: [first, second]")
            return []
        out = []
        for i, item in enumerate(value, start=1):
            text = as_text(item)
            if text is None or not text.strip():
                self.bad(f"{field}[{i}]", "must be non-empty text")
            else:
                out.append(text)
        if len(out) < min_len:
            self.bad(field, f"needs at least {min_len} entries")
        if distinct and len(set(out)) != len(out):
            dup = next(t for t in out if out.count(t) > 1)
            self.bad(field, f"'{dup}' appears twice: entries must be different")
        return out

    def date(self, entry, field, required=True):
        """A date as written (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), or '' when missing/bad."""
        value = self.text(entry, field, required)
        if value and dates.period(value) is None:
            self.bad(field, f"'{value}' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
            return ""
        return value

    def period(self, entry, start, end):
        """``start`` (required) and ``end`` (optional) of a period; the end may not come first."""
        first, last = self.date(entry, start), self.date(entry, end, required=False)
        if first and last and dates.period(last).last < dates.period(first).first:
            self.bad(end, f"is before {start}")
        return first, last

    def ids(self, entry, field, pool, what, required=True, allowed_empty=False):
        """A list of ids (a YAML list, or a ``;``-separated CSV cell), each from ``pool`` (when
        ``pool`` is None the ids are not checked: the file they come from is broken)."""
        value = entry.get(field)
        if isinstance(value, str):
            value = split(value)
        if value is None and required and field == "sources":
            value = []  # said below: cites no source
        if value is None:
            if required:
                self.bad(field, f"is required: a list of ids from {what}")
            return []
        if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
            self.bad(field, f"must be a list of ids from {what}, e.g. [{field[:-1]}-id]")
            return []
        if not value and required and not allowed_empty:
            if field == "sources":
                self.bad(field, "cites no source: every row needs at least one id from "
                         "data/sources.csv")
            else:
                self.bad(field, f"lists no id: give at least one from {what}")
        for v in value:
            if pool is not None and v not in pool:
                self.bad(field, f"'{v}' is not a known id (see {what}){near(v, pool)}")
        return value

    def choice(self, entry, field, allowed):
        """One of ``allowed``."""
        value = entry.get(field)
        if value not in allowed:
            shown = ", ".join(str(a) for a in allowed if a != "")
            self.bad(field, f"'{value}' is not allowed; use one of: {shown}")
        return value

    def number(self, entry, field, low, high):
        """A number between ``low`` and ``high`` (None when missing or bad)."""
        value = entry.get(field)
        if _missing(value):
            return None
        number = as_number(value)
        if number is None:
            self.bad(field, f"'{value}' is not a number")
        elif not low <= number <= high:
            self.bad(field, f"{value} is outside the plausible range {low} to {high}")
            return None
        return number

    def unknown(self, entry, allowed, of="", word="field"):
        """Every key of ``entry`` must be one of ``allowed`` (``word``: what a key is called)."""
        for key in entry:
            if key not in allowed:
                what = f"a {word} of {of}" if of else f"a known {word}"
                self.bad(str(key), f"is not {what}{near(key, allowed)}; the {word}s are: "
                         f"{', '.join(allowed)}")

    def entry_id(self, entry, seen, field="id"):
        """A valid, unused id; ``seen`` maps ids already used to where (``row 3``) or is a set."""
        ident = entry.get(field)
        if not isinstance(ident, str) or not ID.match(ident):
            self.bad(field, f"'{ident}' is not a valid id: use lowercase letters, digits and "
                     "hyphens")
            return None
        if ident in seen:
            first = seen.get(ident) if isinstance(seen, dict) else None
            self.bad(field, f"duplicate id '{ident}'" + (f" (first used in {first})" if first
                                                          else ""))
        elif isinstance(seen, dict):
            seen[ident] = self.where
        else:
            seen.add(ident)
        return ident
