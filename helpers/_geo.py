"""The files behind the maps, read once, checked and cached (the spherical maths is in ``_sphere``).

``islands.geojson`` holds one feature per island or islet (built by ``scripts/build_geo.py`` from
GSHHG); ``boundaries.geojson`` the schematic treaty lines; ``control.csv`` who administered which
zone when; ``steps.csv`` the captions of the timeline map.
"""

import functools
import json
from pathlib import Path

from . import data
from ._common import dates
from ._sphere import (  # noqa: F401 (re-exported for the maps)
    geometry_area_km2,
    haversine_km,
    nearest_vertex_km,
    polygons,
    ring_area_km2,
)
from .errors import DataError, Problem

# Zones: the unit control.csv speaks about. A feature's zone is in its properties.
ZONES = (
    "etorofu-iturup",
    "kunashiri-kunashir",
    "shikotan",
    "habomai",
    "kurils-urup-to-shumshu",
    "sakhalin-south",
    "sakhalin-north",
    "hokkaido",
    "kamchatka",
    "context",
)
ADMINISTRATORS = ("japan", "russia", "ussr", "joint")
STATUSES = ("sovereign", "joint", "occupation", "disputed")

CONTROL_COLUMNS = [
    "zone",
    "from_date",
    "to_date",
    "administered_by",
    "status",
    "label",
    "set_by_document",
    "sources",
    "notes",
    "map_note",
]
STEP_COLUMNS = ["year", "caption", "documents", "sources", "notes"]


def geo_dir():
    """``data/geo`` under the data folder in use (tests may point it elsewhere)."""
    return Path(data.DATA_DIR) / "geo"


# ---------------------------------------------------------------- files


def _read_json(name):
    path = geo_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(
            [
                Problem(
                    f"data/geo/{name}",
                    "",
                    "",
                    f"cannot be read ({exc.strerror or exc}); "
                    "rebuild it with: python scripts/build_geo.py",
                )
            ]
        ) from None
    except ValueError as exc:
        raise DataError(
            [Problem(f"data/geo/{name}", "", "", f"is not valid JSON ({exc})")]
        ) from None


def _read_csv(name, columns):
    label = f"data/geo/{name}"
    head, rows, problems = data.read_csv_file(geo_dir() / name, label)
    if problems:
        raise DataError(problems)
    missing = [c for c in columns if c not in head]
    if missing:
        raise DataError([Problem(label, "", ", ".join(missing),
                                 f"column missing; the columns are: {', '.join(columns)}")])
    return rows


def _key():
    return str(geo_dir())


@functools.lru_cache(maxsize=4)
def _islands(key):
    fc = _read_json("islands.geojson")
    problems = []
    for n, f in enumerate(fc.get("features", []), start=1):
        p = f.get("properties", {})
        if p.get("zone") not in ZONES:
            problems.append(
                Problem(
                    "data/geo/islands.geojson",
                    f"feature {n} ({p.get('id')})",
                    "zone",
                    f"'{p.get('zone')}' is not one of: {', '.join(ZONES)}",
                )
            )
    if problems:
        raise DataError(problems)
    return fc


@functools.lru_cache(maxsize=4)
def _boundaries(key):
    fc = _read_json("boundaries.geojson")
    problems = []
    for n, f in enumerate(fc.get("features", []), start=1):
        p = f.get("properties", {})
        where = f"feature {n} ({p.get('id')})"
        for col in ("id", "label", "valid_from", "sources"):
            if not p.get(col):
                problems.append(
                    Problem("data/geo/boundaries.geojson", where, col, "is empty but required")
                )
        for col in ("valid_from", "valid_to"):
            if p.get(col) and dates.period(p[col]) is None:
                problems.append(
                    Problem(
                        "data/geo/boundaries.geojson",
                        where,
                        col,
                        f"'{p[col]}' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY",
                    )
                )
    if problems:
        raise DataError(problems)
    return fc


@functools.lru_cache(maxsize=4)
def _control(key):
    rows = _read_csv("control.csv", CONTROL_COLUMNS)
    problems = []
    for n, r in rows:
        where = f"row {n}"

        def bad(col, msg, where=where):
            problems.append(Problem("data/geo/control.csv", where, col, msg))

        if r["zone"] not in ZONES:
            bad("zone", f"'{r['zone']}' is not allowed; use one of: {', '.join(ZONES)}")
        if r["administered_by"] not in ADMINISTRATORS:
            bad(
                "administered_by",
                f"'{r['administered_by']}' is not allowed; use one of: {', '.join(ADMINISTRATORS)}",
            )
        if r["status"] not in STATUSES:
            bad("status", f"'{r['status']}' is not allowed; use one of: {', '.join(STATUSES)}")
        for col in ("from_date", "to_date"):
            if (r[col] or col == "from_date") and dates.period(r[col]) is None:
                bad(col, f"'{r[col]}' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
        if not data.split(r["sources"]):
            bad("sources", "cites no source: every row needs at least one id from data/sources.csv")
    if problems:
        raise DataError(problems)
    return [r for _, r in rows]


@functools.lru_cache(maxsize=4)
def _steps(key):
    rows = _read_csv("steps.csv", STEP_COLUMNS)
    problems = []
    for n, r in rows:
        if not r["year"].isdigit():
            problems.append(
                Problem(
                    "data/geo/steps.csv",
                    f"row {n}",
                    "year",
                    f"'{r['year']}' is not a year (four digits)",
                )
            )
        if not r["caption"]:
            problems.append(
                Problem("data/geo/steps.csv", f"row {n}", "caption", "is empty but required")
            )
        if not data.split(r["sources"]):
            problems.append(
                Problem(
                    "data/geo/steps.csv",
                    f"row {n}",
                    "sources",
                    "cites no source: every row needs at least one id from data/sources.csv",
                )
            )
    if problems:
        raise DataError(problems)
    return [r for _, r in rows]


def islands_geojson():
    return _islands(_key())


def boundaries_geojson():
    return _boundaries(_key())


def control_rows():
    return _control(_key())


def step_rows():
    return _steps(_key())


def reload():
    """Forget the cached files (after editing data/geo)."""
    for f in (_islands, _boundaries, _control, _steps):
        f.cache_clear()


def validate():
    """Problems in data/geo: unreadable files, bad values, and ids unknown to the dataset."""
    problems = []
    loaders = (
        ("islands", islands_geojson),
        ("boundaries", boundaries_geojson),
        ("control", control_rows),
        ("steps", step_rows),
    )
    loaded = {}
    for name, load in loaders:
        try:
            loaded[name] = load()
        except DataError as exc:
            problems += exc.problems
    try:
        source_ids = set(data.sources()["id"])
    except DataError:
        return problems  # data.validate() reports those
    try:
        doc_ids = set(data.documents()["id"])
    except DataError:
        doc_ids = None

    def check(label, where, col, ids, pool, table):
        for i in ids:
            if pool is not None and i not in pool:
                problems.append(
                    Problem(label, where, col, f"'{i}' is not a known id (see data/{table}.csv)")
                )

    for r in loaded.get("control", []):
        where = f"zone {r['zone']} from {r['from_date']}"
        check(
            "data/geo/control.csv",
            where,
            "sources",
            data.split(r["sources"]),
            source_ids,
            "sources",
        )
        check(
            "data/geo/control.csv",
            where,
            "set_by_document",
            data.split(r["set_by_document"]),
            doc_ids,
            "documents",
        )
    for r in loaded.get("steps", []):
        where = f"year {r['year']}"
        check(
            "data/geo/steps.csv", where, "sources", data.split(r["sources"]), source_ids, "sources"
        )
        check(
            "data/geo/steps.csv",
            where,
            "documents",
            data.split(r["documents"]),
            doc_ids,
            "documents",
        )
    for f in loaded.get("boundaries", {}).get("features", []):
        p = f["properties"]
        check(
            "data/geo/boundaries.geojson",
            p.get("id"),
            "sources",
            data.split(p.get("sources")),
            source_ids,
            "sources",
        )
        check(
            "data/geo/boundaries.geojson",
            p.get("id"),
            "document",
            data.split(p.get("document")),
            doc_ids,
            "documents",
        )
    return problems
