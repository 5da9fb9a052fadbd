"""The course dataset: one loader per file in ``data/``, each validated on load.

Each loader returns a pandas DataFrame (a fresh copy, so a lesson may change it freely).
Multi-valued cells (``actors``, ``islands``, ``sources`` ...) stay as ``;``-separated text, as in
the spreadsheet: ``events()[events().islands.str.contains("shikotan")]`` finds the events about
Shikotan.

If a file has a mistake, loading raises :class:`helpers.errors.DataError` whose message names the
file, the spreadsheet row, the column and what is allowed. ``validate()`` lists every problem at
once.
"""

import csv
import os
from pathlib import Path

import pandas as pd

from . import course
from ._common import cache, dates
from ._common.checker import Checker, as_number, read_text
from ._common.checker import split as _split
from .errors import DataError, Problem

__all__ = [
    "DATA_DIR",
    "events",
    "documents",
    "islands",
    "positions",
    "sources",
    "eras",
    "population",
    "validate",
    "reload",
    "split",
    "read_csv_file",
    "records",
    "raw_rows",
    "parse_date",
    "DISPUTED",
    "ACTORS",
]

DATA_DIR = Path(os.environ.get("KURIL_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))

DISPUTED = ("etorofu-iturup", "kunashiri-kunashir", "shikotan", "habomai")
ACTORS = ("japan", "ussr", "russia", "usa", "uk", "china", "allies")
EVENT_TYPES = (
    "treaty",
    "summit",
    "statement",
    "military",
    "domestic",
    "legal",
    "negotiation",
    "economic",
    "people",
)
DOC_KINDS = (
    "treaty",
    "declaration",
    "statement",
    "communique",
    "agreement",
    "memorandum",
    "law",
    "proclamation",
)
STANCES = (
    "claims",
    "offers_transfer",
    "negotiable",
    "supports_japan",
    "supports_ussr",
    "no_position",
)
POPULATION_COUNTED = ("japanese-residents", "kuril-ainu", "soviet-citizens", "all-residents")
CHECKED = ("corroborated", "single-source", "disputed")
PRECISIONS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}

# Per file: required columns, optional columns, and how to check them.
SPECS = {
    "eras": dict(
        required=["id", "title", "start", "end", "notebook"],
        dates=["start", "end"],
        ends=["end"],
        period=("start", "end"),
    ),
    "sources": dict(
        required=["id", "kind", "author", "title"],
        optional=["publisher", "date", "url", "vantage", "notes"],
        enums={"kind": ("primary", "official", "reading_pack", "reference", "press")},
    ),
    "events": dict(
        required=[
            "id",
            "date",
            "date_precision",
            "era",
            "title",
            "summary",
            "actors",
            "sources",
            "type",
        ],
        optional=["end_date", "islands", "documents", "calendar_note", "notes"],
        dates=["end_date"],
        ends=["end_date"],
        precise_date=("date", "date_precision"),
        order=("date", "end_date"),
        enums={"type": EVENT_TYPES},
        lists={
            "actors": ACTORS,
            "islands": DISPUTED,
            "documents": "documents",
            "sources": "sources",
        },
        refs={"era": "eras"},
    ),
    "documents": dict(
        required=[
            "id",
            "title",
            "short_title",
            "date",
            "era",
            "kind",
            "parties",
            "summary",
            "sources",
        ],
        optional=[
            "date_in_force",
            "islands",
            "excerpt",
            "excerpt_language",
            "excerpt_translation",
            "excerpt_status",
            "provenance",
            "excerpt_english",
            "second_translation",
            "second_translation_source",
            "official_text",
            "date_precision",
            "calendar_note",
            "notes",
        ],
        dates=["date", "date_in_force"],
        enums={
            "date_precision": ("day", "month", "year", ""),
            "kind": DOC_KINDS,
            "excerpt_status": ("official", "third-party", "none", ""),
            "excerpt_language": ("en", "ja", "ru", ""),
        },
        lists={"parties": ACTORS, "islands": DISPUTED, "sources": "sources"},
        refs={"era": "eras"},
    ),
    "islands": dict(
        required=["id", "name_en", "name_ja", "name_ru", "disputed", "lat", "lon", "sources"],
        optional=[
            "group",
            "name_ja_kanji",
            "name_ru_cyrillic",
            "name_ainu",
            "area_km2",
            "area_source",
            "area_note",
            "japanese_residents_1945",
            "russian_population",
            "russian_population_year",
            "notes",
        ],
        numbers={
            "lat": (40, 60),
            "lon": (135, 165),
            "area_km2": (0, 100000),
            "japanese_residents_1945": (0, 10**7),
            "russian_population": (0, 10**7),
            "russian_population_year": (1990, 2100),
        },
        enums={"disputed": ("true", "false")},
        lists={"sources": "sources", "area_source": "sources"},
    ),
    "positions": dict(
        required=["id", "actor", "from_date", "formula", "summary", "sources", *DISPUTED],
        optional=["to_date", "condition", "documents"],
        dates=["from_date", "to_date"],
        ends=["to_date"],
        period=("from_date", "to_date"),
        enums={"actor": ("japan", "ussr", "russia", "usa"), **{i: STANCES for i in DISPUTED}},
        lists={"documents": "documents", "sources": "sources"},
    ),
    "population": dict(
        required=["id", "place", "year", "figure", "counted", "description", "counted_by",
                  "checked", "sources"],
        optional=["as_of", "notes"],
        dates=["as_of"],
        numbers={"year": (1800, 2100), "figure": (0, 10**6)},
        enums={"counted": POPULATION_COUNTED, "checked": CHECKED},
        lists={"place": DISPUTED, "sources": "sources"},
    ),
}
ORDER = ["eras", "sources", "documents", "events", "islands", "positions", "population"]
OPTIONAL_FILES = ("population",)  # a course may leave these out; their loaders then give no rows
INTEGERS = ("japanese_residents_1945", "russian_population", "russian_population_year", "year",
            "figure")


def split(cell):
    """Split a ``;``-separated cell into a list of ids (empty cell: empty list)."""
    return _split(cell)


def parse_date(text):
    """The first day of a written date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as a Timestamp,
    or None when ``text`` is not a date. Where an event or document sits on a time axis; a date
    *asked about* means the last day of its period instead (see ``helpers._common.dates``)."""
    found = dates.period(text)
    return None if found is None else pd.Timestamp(found.first)


def _read_rows(name, extra=()):
    """Read ``data/<name>.csv`` (and any instructor extra files) as lists of dicts of text.
    Returns (columns, rows, problems): the columns of every file, in the order first met."""
    problems, rows, header = [], [], []
    main = DATA_DIR / f"{name}.csv"
    if name in OPTIONAL_FILES and not main.exists():
        main = None
    for path in [p for p in (main, *extra) if p is not None]:
        label = _label(path)
        head, found, trouble = read_csv_file(path, label)
        trouble += _header_problems(name, head, label) if head else []
        problems += trouble
        if trouble and not found:
            continue
        if any(p.where == "" for p in trouble):  # a column missing or unknown: rows not used
            continue
        header += [h for h in head if h not in header]
        rows += [(label, n, row) for n, row in found]
    return header, rows, problems


def _header_problems(name, head, label):
    """Every required column present, every column a known one, none twice (one file)."""
    spec = SPECS[name]
    allowed = spec["required"] + spec.get("optional", [])
    check = Checker(label)
    missing = [c for c in spec["required"] if c not in head]
    if missing:
        check.bad(", ".join(missing), f"column missing; the columns are: {', '.join(allowed)}")
    check.unknown({h: None for h in head if h}, allowed, of=f"data/{name}.csv", word="column")
    if "" in head:
        check.bad("", "a column has no name in the header row: name it or delete the column")
    for h in head:
        if head.count(h) > 1 and h:
            check.bad(h, "is a column name twice in the header row: keep one")
            break
    return check.problems


def read_csv_file(path, label):
    """Read one CSV file as text. Returns (header, [(row number, {column: text})], problems);
    an unreadable, binary, non-UTF-8 or empty file, or a row with the wrong number of cells, is a
    Problem naming ``label``, never an exception."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return [], [], [Problem(label, "", "", f"cannot be read ({exc.strerror or exc})")]
    text, problems = read_text(raw, label, "CSV, UTF-8")
    if text is None:
        return [], [], problems
    reader = csv.reader(text.splitlines(keepends=True))
    rows, problems = [], []
    try:
        head = next(reader, None)
        if not head:
            return [], [], [Problem(label, "", "", "is empty: it needs a header row")]
        head = [h.strip() for h in head]
        for n, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(head):
                problems.append(Problem(
                    label, f"row {n}", "",
                    f"has {len(values)} cells but the header has {len(head)} columns "
                    "(a comma inside text needs the cell in double quotes)"))
                continue
            rows.append((n, {k: v.strip() for k, v in zip(head, values, strict=True)}))
    except csv.Error as exc:
        problems.append(Problem(label, "", "", f"is not valid CSV ({exc})"))
    return head, rows, problems


def _label(path):
    path = Path(path)
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def _check(name, header, rows, known):
    """Check rows of one file against SPECS[name]; ``known`` maps table name to its set of ids."""
    spec = SPECS[name]
    problems, seen = [], {}
    for file, n, row in rows:
        check = Checker(file, f"row {n}" + (f" (id {row['id']})" if row.get("id") else ""))
        check.entry_id(row, seen)
        for col in spec["required"]:
            if col not in spec.get("enums", {}):
                check.text(row, col)
        for col in spec.get("optional", []):
            check.visible(row, col)
        for col in spec.get("dates", []):
            check.date(row, col, required=False)
        if "period" in spec:
            check.period(row, *spec["period"])
        if "precise_date" in spec:
            col, pcol = spec["precise_date"]
            prec = row.get(pcol, "")
            if prec not in PRECISIONS:
                check.bad(pcol, f"'{prec}' is not allowed: use day, month or year")
            elif (dates.period(row.get(col, "")) or (None, None, None))[2] != prec:
                check.bad(col, f"'{row.get(col)}' is not a valid date at precision '{prec}'")
            else:
                check.date(row, col)  # the range every date keeps
        if "order" in spec:
            first, last = spec["order"]
            if dates.period(row.get(first, "")) and dates.period(row.get(last, "")):
                check.order(first, row[first], last, row[last])
        for col, allowed in spec.get("enums", {}).items():
            if col in row:
                check.choice(row, col, allowed)
        for col, (lo, hi) in spec.get("numbers", {}).items():
            check.number(row, col, lo, hi, whole=col in INTEGERS)
        for col, allowed in spec.get("lists", {}).items():
            pool = known.get(allowed) if isinstance(allowed, str) else set(allowed)
            what = f"data/{allowed}.csv" if isinstance(allowed, str) else ", ".join(allowed)
            check.ids(row, col, pool, what, required=col == "sources")
        for col, table in spec.get("refs", {}).items():
            if row.get(col) and known.get(table) is not None and row[col] not in known[table]:
                check.bad(col, f"'{row[col]}' is not an id in data/{table}.csv")
        problems += check.problems
    return problems


def _check_dates_in_era(name, rows, era_rows):
    spans = {r["id"]: (r["start"], r["end"]) for _, _, r in era_rows}
    problems = []
    for file, n, row in rows:
        span, when = spans.get(row.get("era")), dates.period(row.get("date", ""))
        if not span or when is None or None in map(dates.period, span):
            continue
        if not dates.in_force(*span, when.first):
            problems.append(Problem(
                file, f"row {n} (id {row['id']})", "era",
                f"date {row['date']} is outside era '{row['era']}' ({span[0]} to {span[1]})"))
    return problems


def _check_population_years(rows):
    """A population row's ``as_of`` date, when given, must fall in its ``year``."""
    problems = []
    for file, n, row in rows:
        when = dates.period(row.get("as_of", ""))
        if when is not None and row.get("year", "").strip() != str(when.first.year):
            check = Checker(file, f"row {n}" + (f" (id {row['id']})" if row.get("id") else ""))
            check.bad("as_of", f"date {row['as_of']} is not in the row's year {row.get('year')}")
            problems += check.problems
    return problems


def _check_overlaps(rows):
    """One government's periods in positions.csv may not overlap: on any day one position holds.
    Rows with a bad date are left to the row checks."""
    periods = {}
    for file, n, row in rows:
        first, last = dates.period(row.get("from_date", "")), dates.period(row.get("to_date", ""))
        if first is None or (row.get("to_date") and last is None):
            continue
        end = last.last if last else None
        periods.setdefault(row.get("actor"), []).append((first.first, end, file, n, row))
    problems = []
    for spans in periods.values():
        spans.sort(key=lambda s: s[0])
        before = spans[0]  # of the periods so far, the one that runs longest
        for after in spans[1:]:
            if before[1] is None or after[0] <= before[1]:
                _, end, _, m, prev = before
                file, n, row = after[2:]
                check = Checker(file, f"row {n} (id {row.get('id')})")
                still = "has no to_date (still in force)" if end is None else \
                    f"runs to {prev['to_date']}"
                check.bad("from_date", f"{row['from_date']} overlaps row {m} (id {prev.get('id')}) "
                          f"of the same government ({row.get('actor')}), which {still}: give "
                          f"that row a to_date before {row['from_date']}, or change this date")
                problems += check.problems
            if before[1] is not None and (after[1] is None or after[1] > before[1]):
                before = after
    return problems


@cache.cached
def _load_all():
    """Read and check every file; return ({name: (header, rows)}, {name: [problems]})."""
    tables, problems, known = {}, {}, {}
    for name in ORDER:
        header, rows, read_problems = _read_rows(name, course.extra_data_files(name))
        tables[name] = (header, rows)
        if header and not rows and not read_problems and name not in OPTIONAL_FILES:
            read_problems = [Problem(f"data/{name}.csv", "", "", "has a header but no rows: "
                                     "the lessons need at least one row")]
        problems[name] = read_problems
        # ids in a file that could not be read are not checked meanwhile (its problem says why)
        known[name] = None if read_problems and not rows else {r.get("id") for _, _, r in rows}
    for name in ORDER:
        header, rows = tables[name]
        if header:
            problems[name] += _check(name, header, rows, known)
    for name in ("events", "documents"):
        problems[name] += _check_dates_in_era(name, tables[name][1], tables["eras"][1])
    problems["population"] += _check_population_years(tables["population"][1])
    problems["positions"] += _check_overlaps(tables["positions"][1])
    return tables, problems


def validate():
    """Return a list of every problem in the dataset (empty when all is well)."""
    return [p for name in ORDER for p in _load_all()[1][name]]


def reload():
    """Forget everything read from the course's files (tables, map shapes, names, citations,
    exercise banks, capstone files), so the next call re-reads them (after editing them)."""
    cache.clear()


@cache.cached
def _frame(name):
    tables, problems = _load_all()
    if problems[name]:
        raise DataError(problems[name])
    header, rows = tables[name]
    spec = SPECS[name]
    # every column of the spec, those a file leaves out (optional ones) empty
    header = header + [c for c in spec["required"] + spec.get("optional", []) if c not in header]
    df = pd.DataFrame([[r.get(c, "") for c in header] for _, _, r in rows], columns=header,
                      dtype="str")
    for col in spec.get("dates", []) + (
        [spec["precise_date"][0]] if "precise_date" in spec else []
    ):
        end = col in spec.get("ends", ())  # a period's end: its last day (see _common.dates)
        # microseconds: any year a date may have (nanoseconds end at 1677 and 2262)
        df[col] = df[col].map(
            lambda t, end=end: pd.Timestamp(dates.period(t)[1 if end else 0]) if t else pd.NaT
        ).astype("datetime64[us]")
    for col in spec.get("numbers", {}):
        if col in df:
            df[col] = pd.to_numeric(df[col].map(as_number), errors="coerce").astype("float64")
            if col in INTEGERS:
                df[col] = df[col].astype("Int64")
    if "disputed" in df:
        df["disputed"] = df["disputed"] == "true"
    return df


@cache.cached
def _records(name):
    try:
        frame = _frame(name)
    except DataError:
        return {}
    return {r["id"]: r for r in frame.to_dict("records")}


def records(name):
    """{id: row dict} of one table (typed as the loaders type it), shared and read-only; empty
    when the file has problems (``validate()`` says which). Never raises: for labels and
    look-ups that must not stop a lesson."""
    return _records(name)


def raw_rows(name):
    """{id: row dict of text} of one table as read, problems or not (empty if unreadable): for
    checkers that must check ids even while another row of the file is wrong."""
    return {r.get("id"): r for _, _, r in _load_all()[0][name][1]}


def _loader(name, doc):
    def load():
        return _frame(name).copy()

    load.__name__ = name
    load.__doc__ = doc
    return load


eras = _loader(
    "eras",
    """The lesson eras. Each row is one era: ``id``, ``title``, ``start`` and
``end`` (dates), and the ``notebook`` that teaches it.""",
)

events = _loader(
    "events",
    """Dated events, 1855–2022. Each row is one event: ``id``, ``date``
(a Timestamp; ``date_precision`` says whether the day, month or only the year is known),
``end_date``, ``era``, ``title``, ``summary``, ``actors``, ``islands``, ``documents``, ``sources``,
``type``, ``calendar_note`` and ``notes``. Multi-valued columns are ``;``-separated ids.""",
)

documents = _loader(
    "documents",
    """Treaties, declarations and statements. Each row is one document:
``id``, ``title``, ``short_title``, ``date`` signed, ``date_in_force``, ``era``, ``kind``,
``parties``, ``islands``, ``summary`` (our words), ``excerpt`` (verbatim, only where verified),
``excerpt_language``, ``excerpt_translation``, ``excerpt_status``, ``provenance``, ``sources``.""",
)

_islands = _loader("islands", "")


def islands(disputed=None, readable=False):
    """Islands the course names. Each row is one island or Habomai islet:
    ``id``, ``group``, ``disputed`` (bool), names in English, Japanese (``name_ja``,
    ``name_ja_kanji``), Russian (``name_ru``, ``name_ru_cyrillic``) and Ainu, ``area_km2`` with
    ``area_source`` and ``area_note``, ``japanese_residents_1945``, ``russian_population``
    (``russian_population_year``), ``lat``, ``lon``, ``sources``.

    ``disputed=True`` keeps the four disputed islands (Habomai as one group, in the order of
    ``DISPUTED``); ``disputed=False`` the islands no one disputes. ``readable=True``: the same
    table, shown for reading (every text whole, ``3,168`` not ``3168.0``, a year as ``2016``, a
    gap as "—"; ``helpers._common.tables``)."""
    table = _islands()
    if disputed is None:
        pass
    elif disputed:
        rank = {i: n for n, i in enumerate(DISPUTED)}
        four = table[table["id"].isin(DISPUTED)]
        table = four.sort_values("id", key=lambda s: s.map(rank))
    else:
        table = table[~table["disputed"]]
    if readable:
        from ._common.tables import ReadableFrame

        return ReadableFrame(table)
    return table


positions = _loader(
    "positions",
    """Governments' stated positions over time. Each row is one
government's position for a period: ``actor``, ``from_date``, ``to_date`` (NaT if current),
``formula``, a stance column per disputed island (``claims``, ``offers_transfer``, ``negotiable``,
``supports_japan``, ``supports_ussr``, ``no_position``), ``condition``, ``summary``, ``documents``,
``sources``.""",
)

population = _loader(
    "population",
    """Published counts of the people who lived on the four islands, 1884–2018. Each row is one
figure as one source gives it: ``place`` (island ids, ``;``-separated when the count covers a
Russian district of several islands), ``year`` and ``as_of`` (the date counted, if known),
``figure`` (a number of people), ``counted`` (which people: ``japanese-residents``,
``kuril-ainu``, ``soviet-citizens`` or ``all-residents``), ``description`` (exactly what was
counted), ``counted_by`` (who made the count), ``checked`` (``corroborated`` by a second
independent source, ``single-source`` or ``disputed``, with the other figures in ``notes``) and
``sources``. Years with no row are years for which the course found no sourced figure: a gap, not a
zero. Where sources disagree there is one row per figure. An empty table if the course has no
``data/population.csv``.""",
)

sources = _loader(
    "sources",
    """The bibliography. Each row is one source: ``id``, ``kind``
(``primary``, ``official``, ``reading_pack``, ``reference``), ``author``, ``title``, ``publisher``,
``date``, ``url``, ``vantage`` (the author's standpoint) and ``notes``.""",
)
