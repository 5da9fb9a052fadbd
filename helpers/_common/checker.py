"""The one way the course checks what instructors write: CSV rows, YAML entries, course options.

A :class:`Checker` collects :class:`~helpers.errors.Problem` objects for one file; ``where`` names
the row or entry being checked (set it as you go). Each method checks one field, records what is
wrong in words an instructor can act on, and returns the usable value (or a safe default), so a
checker never raises and one bad field never hides the others.
"""

import difflib
import math
import re
import unicodedata

from ..errors import Problem
from . import dates

__all__ = ["Checker", "ID", "near", "as_text", "as_number", "visible", "shown", "split",
           "read_text",
           "NUMBER_FORM", "LATEST_YEAR"]

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A number as written in a data file: ASCII digits, an optional sign, a decimal point, commas
# only between groups of three digits (3,168.4), an optional exponent. Not 3.168,4 (a decimal
# comma) nor Arabic-Indic digits, which pandas would not read.
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?",
                     re.ASCII)
NUMBER_FORM = "write it with digits and a decimal point, e.g. 3168.4 or 3,168.4"
LATEST_YEAR = 2100  # no date in a course file is later (9999-12-31 is not an open end)
# Control characters a text file may not hold: all but tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
    """A finite number from a YAML number or a CSV cell (``"3,168.4"``), else None (text that is
    not a number as :data:`_NUMBER` writes it, NaN, infinity, an integer too large for a float)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not _NUMBER.fullmatch(value):
            return None
        value = value.replace(",", "")
    elif not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None


def shown(value, limit=60):
    """``value`` as a message quotes it: long text cut to ``limit`` characters, saying so."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit - 1]}… ({len(text)} characters)"


def visible(text):
    """Does ``text`` hold a character one can see (a letter, digit, punctuation or symbol)? Not
    when it is only spaces, zero-width or direction marks, combining marks or control
    characters."""
    text = str(text)
    if text[:1].isalnum():  # a letter or digit first (most texts): categories L and N
        return True
    return any(unicodedata.category(c)[0] in "LNPS" for c in text)


def read_text(raw, label, save_as):
    """Decode the bytes of a file an instructor wrote: (text, []) or (None, [Problem]). The file
    must be UTF-8 text with no control character but tab and line breaks, anywhere in it;
    ``save_as`` says how to save it instead (e.g. "CSV, UTF-8")."""
    def fail(message):
        return None, [Problem(label, "", "", message)]

    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return fail(f"is not a text file (it has binary data on line {line}): save it as "
                    f"{save_as}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return fail(f"is not UTF-8 text (line {line}, byte {exc.start}): save it as {save_as}")
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        return fail(f"has a control character (U+{ord(found.group()):04X}) on line {line}: "
                    f"only tabs and line breaks are allowed; delete it and save it as {save_as}")
    return text, []


def _missing(value):
    return value is None or (isinstance(value, str) and not value.strip())


_INVISIBLE = ("has no visible characters (only spaces, zero-width or direction marks, or "
              "combining marks): write the text")


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
        if not visible(text):
            self.bad(field, _INVISIBLE + ("" if required else ", or leave it out"))
            return default
        return text.strip() if strip else text

    def visible(self, entry, field):
        """An optional text that, when given, must have a visible character."""
        value = entry.get(field)
        if isinstance(value, str) and value.strip() and not visible(value):
            self.bad(field, _INVISIBLE + ", or leave it empty")

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
            if text is None or not visible(text):
                self.bad(f"{field}[{i}]", "must be non-empty text (with visible characters)")
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
        if not value:
            return value
        found = dates.period(value)
        if found is None:
            self.bad(field, f"'{shown(value)}' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
            return ""
        if found.last.year > LATEST_YEAR:
            self.bad(field, f"'{shown(value)}' is after {LATEST_YEAR}: give a real date (for a "
                     "period still running, leave the end empty)")
            return ""
        return value

    def period(self, entry, start, end):
        """``start`` (required) and ``end`` (optional) of a period; the end may not come first."""
        first, last = self.date(entry, start), self.date(entry, end, required=False)
        self.order(start, first, end, last)
        return first, last

    def order(self, start, first, end, last):
        """Record a problem when the date ``last`` (field ``end``) comes before ``first``."""
        if first and last and dates.period(last).last < dates.period(first).first:
            self.bad(end, f"'{last}' is before {start} '{first}': the end of a period cannot "
                     f"come before its start (swap them, or correct the date)")

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
                self.bad(field, f"'{shown(v)}' is not a known id (see {what}){near(v, pool)}")
        return value

    def choice(self, entry, field, allowed):
        """One of ``allowed``."""
        value = entry.get(field)
        if value not in allowed:
            options = ", ".join(str(a) for a in allowed if a != "")
            self.bad(field, f"'{shown(value)}' is not allowed; use one of: {options}")
        return value

    def number(self, entry, field, low, high, whole=False):
        """A number between ``low`` and ``high`` (None when missing or bad); ``whole``: a whole
        number (a count, a year)."""
        value = entry.get(field)
        if _missing(value):
            return None
        number = as_number(value)
        if number is None:
            self.bad(field, f"'{shown(value)}' is not a number: {NUMBER_FORM}")
        elif not low <= number <= high:
            self.bad(field, f"{value} is outside the plausible range {low} to {high}")
            return None
        elif whole and not number.is_integer():
            self.bad(field, f"'{value}' is not a whole number: write a count or a year without "
                     "a fraction, e.g. 3168")
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
            self.bad(field, f"'{shown(ident)}' is not a valid id: use lowercase letters, digits "
                     "and hyphens")
            return None
        if ident in seen:
            first = seen.get(ident) if isinstance(seen, dict) else None
            self.bad(field, f"duplicate id '{shown(ident)}'" + (f" (first used in {first})" if first
                                                          else ""))
        elif isinstance(seen, dict):
            seen[ident] = self.where
        else:
            seen.add(ident)
        return ident
