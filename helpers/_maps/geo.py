"""The files behind the maps, read once, checked and cached (the spherical maths is in ``sphere``).

``islands.geojson`` holds one feature per island or islet (built by ``scripts/build_geo.py`` from
GSHHG); ``boundaries.geojson`` the schematic treaty lines; ``control.csv`` who administered which
zone when; ``steps.csv`` the captions of the timeline map.
"""

import json
from pathlib import Path

from .. import data, names
from .._common import cache
from .._common.checker import Checker
from ..errors import DataError, Problem
from .sphere import (  # noqa: F401 (re-exported for the maps)
    geometry_area_km2,
    haversine_km,
    nearest_vertex_km,
    polygons,
    ring_area_km2,
)

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
        reason = (f"cannot be read ({exc.strerror or exc}); "
                  "rebuild it with: python scripts/build_geo.py")
    except ValueError as exc:
        reason = f"is not valid JSON ({exc})"
    raise DataError([Problem(f"data/geo/{name}", "", "", reason)])


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


def _raise(check):
    if check.problems:
        raise DataError(check.problems)


def _features(name, check_properties):
    """The GeoJSON file ``name``, each feature's properties checked (DataError if any is bad)."""
    fc = _read_json(name)
    check = Checker(f"data/geo/{name}")
    for n, f in enumerate(fc.get("features", []), start=1):
        p = f.get("properties", {})
        check.where = f"feature {n} ({p.get('id')})"
        check_properties(check, p)
    _raise(check)
    return fc


def _island(check, p):
    check.choice(p, "zone", ZONES)


def _boundary(check, p):
    for col in ("id", "label", "sources"):
        check.text(p, col)
    check.period(p, "valid_from", "valid_to")


@cache.cached
def _islands(key):
    return _features("islands.geojson", _island)


@cache.cached
def _boundaries(key):
    return _features("boundaries.geojson", _boundary)


def _table(name, columns, check_row):
    """The rows (dicts) of the CSV file ``name``, each checked (DataError if any is bad)."""
    rows = _read_csv(name, columns)
    check = Checker(f"data/geo/{name}")
    for n, r in rows:
        check.where = f"row {n}"
        check_row(check, r)
        check.ids(r, "sources", None, "data/sources.csv")
    _raise(check)
    return [r for _, r in rows]


def _control_row(check, r):
    check.choice(r, "zone", ZONES)
    check.choice(r, "administered_by", ADMINISTRATORS)
    check.choice(r, "status", STATUSES)
    check.period(r, "from_date", "to_date")


def _step_row(check, r):
    if not r["year"].isdigit():
        check.bad("year", f"'{r['year']}' is not a year (four digits)")
    check.text(r, "caption")


@cache.cached
def _control(key):
    return _table("control.csv", CONTROL_COLUMNS, _control_row)


@cache.cached
def _steps(key):
    return _table("steps.csv", STEP_COLUMNS, _step_row)


def islands_geojson():
    return _islands(_key())


def boundaries_geojson():
    return _boundaries(_key())


def control_rows():
    return _control(_key())


def step_rows():
    return _steps(_key())


def reload():
    """Forget the cached files (after editing data/geo): the same as ``data.reload()``."""
    data.reload()


def validate():
    """Problems in data/geo: unreadable files, bad values, and ids unknown to the dataset."""
    problems, loaded = [], {}
    for name, load in (("islands", islands_geojson), ("boundaries", boundaries_geojson),
                       ("control", control_rows), ("steps", step_rows)):
        try:
            loaded[name] = load()
        except DataError as exc:
            problems += exc.problems
    sources = set(data.raw_rows("sources")) or None
    if sources is None:
        return problems  # data.validate() reports an unreadable sources.csv
    documents = set(data.raw_rows("documents")) or None
    checks = (
        ("data/geo/control.csv", loaded.get("control", []),
         lambda r: f"zone {r['zone']} from {r['from_date']}", "set_by_document",
         ("label", "map_note")),
        ("data/geo/steps.csv", loaded.get("steps", []), lambda r: f"year {r['year']}",
         "documents", ("caption",)),
        ("data/geo/boundaries.geojson",
         [f["properties"] for f in loaded.get("boundaries", {}).get("features", [])],
         lambda r: r.get("id"), "document", ("label",)),
    )
    for file, rows, where, doc_field, texts in checks:
        check = Checker(file)
        for r in rows:
            check.where = where(r)
            check.ids(r, "sources", sources, "data/sources.csv", required=False)
            check.ids(r, doc_field, documents, "data/documents.csv", required=False)
            for field in texts:  # island names written as {island:<id>}
                for message in names.placeholder_problems(r.get(field)):
                    check.bad(field, message)
        problems += check.problems
    return problems
