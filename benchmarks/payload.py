"""Payload: the figure JSON of each map (budget 40 KB) and each executed notebook's outputs (1 MB).

The map cases come from ``bench_maps.py`` (the maps helper's own benchmark); the sovereignty and
claims maps are also measured at every year/date a learner can pick, and the largest is reported.
The floor for a figure is an empty ``go.Figure()`` (plotly's default template alone); for a
notebook it is the floor notebook of the lessons section.
"""

from ._report import Row

JSON_KB = 40


def _kb(fig):
    return len(fig.to_json().encode()) / 1024


def _bench_maps():
    """bench_maps.py's list of (label, fn, args, kwargs), when it exposes one."""
    try:
        from . import bench_maps
    except ImportError:
        return None, JSON_KB
    cases = getattr(bench_maps, "CASES", None)
    return (cases() if callable(cases) else cases), getattr(bench_maps, "JSON_KB", JSON_KB)


def map_rows():
    import plotly.graph_objects as go

    from helpers import maps, positions

    floor = _kb(go.Figure())
    cases, limit = _bench_maps()
    if not cases:  # bench_maps keeps its list inside main(): the same five maps
        cases = [
            ("region_map()", maps.region_map, (), {}),
            ("region_map(extent='disputed')", maps.region_map, (), {"extent": "disputed"}),
            ("region_map(extent='habomai')", maps.region_map, (), {"extent": "habomai"}),
            ("sovereignty_timeline_map()", maps.sovereignty_timeline_map, (), {}),
            ("explorer() figure (year slider and naming buttons)",
             lambda: maps.figures.figure(maps.explorer_spec()), (), {}),
        ]
    rows = [Row("payload", f"JSON {label}", _kb(fn(*a, **kw)), "KB", floor=floor, limit=limit,
                note="figure.to_json(); floor: go.Figure()")
            for label, fn, a, kw in cases]
    sizes = {y: _kb(maps.sovereignty_map(y)) for y in maps._steps()}
    worst = max(sizes, key=sizes.get)
    rows.append(Row("payload", f"JSON sovereignty_map(year), largest ({worst})", sizes[worst],
                    "KB", floor=floor, limit=limit, note=f"over the {len(sizes)} slider years"))
    sizes = {d: _kb(maps.claims_map(positions.as_of(d)[0])) for d in positions.TURNING_POINTS}
    worst = max(sizes, key=sizes.get)
    rows.append(Row("payload", f"JSON claims_map(date), largest ({worst})", sizes[worst], "KB",
                    floor=floor, limit=limit, note=f"over the {len(sizes)} turning points"))
    return rows


def run():
    from . import lessons

    return map_rows() + lessons.output_rows()
