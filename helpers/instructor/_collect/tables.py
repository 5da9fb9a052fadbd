"""The CSV files ``collect`` writes and reads: written safely, read forgivingly.

Every cell a learner could have typed is neutralised for spreadsheets (a leading ``=``, ``+``,
``-``, ``@``, tab or carriage return gets a ``'`` in front, so no formula runs when the file is
opened). Files read back (the filled open-answer marks, an LMS roster) may come from Excel: a
byte-order mark, ``;`` or tab as separator and a decimal comma are all accepted, and every problem
names the file, row and column.
"""

import csv
import io
import re
import unicodedata

from ...errors import Problem

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_STARTS = frozenset(_FORMULA)


def safe(value):
    """A cell value that no spreadsheet runs as a formula (numbers stay numbers)."""
    if isinstance(value, str):
        return "'" + value if value[:1] in _STARTS else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def number(value):
    """A number as a spreadsheet reads it: 3, 2.5, 0.333 (never 3.0)."""
    if value is None or value == "":
        return ""
    value = round(float(value), 3)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def write(header, rows, bom=False):
    """CSV bytes (UTF-8, with a byte-order mark for Excel when ``bom``); every cell made safe."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([safe(h) for h in header])
    for row in rows:
        w.writerow([safe(v) for v in row])
    text = out.getvalue()
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def read(path, label, required):
    """(rows as dicts with stripped keys, problems) of a CSV file someone edited by hand."""
    try:
        blob = path.read_bytes()
    except OSError as exc:
        return [], [Problem(label, "", "", f"could not be opened ({exc.strerror or exc})")]
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = blob.decode("cp1252")  # Excel's "CSV" on Windows
        except UnicodeDecodeError:
            return [], [Problem(label, "", "", "is not a text file: save it as CSV (UTF-8)")]
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as exc:
        return [], [Problem(label, "", "", f"is not a readable CSV file ({exc})")]
    if not lines:
        return [], [Problem(label, "", "", "is empty")]
    header = [_column(h) for h in lines[0]]
    missing = [c for c in required if c not in header]
    if missing:
        return [], [Problem(label, "row 1", missing[0], (
            f"the column is missing; the file needs the columns {', '.join(required)} "
            f"(found: {', '.join(h for h in header if h) or 'none'})"))]
    rows = []
    for n, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        row["_row"] = n
        rows.append(row)
    return rows, []


def _column(name):
    return " ".join(str(name).replace("\ufeff", "").split()).casefold()


def as_mark(text):
    """A mark typed in a spreadsheet as a float (``1,5`` and ``'2`` too), None when blank;
    ValueError when it is not a number."""
    text = text.strip().lstrip("'").replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"-?\d+,\d+", text):
        text = text.replace(",", ".")
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def name_tokens(name):
    """A name as a set of words, whatever the order, case, accents or commas ('Tanaka, Aiko')."""
    text = unicodedata.normalize("NFKD", str(name or "")).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return frozenset(re.findall(r"\w+", text))
