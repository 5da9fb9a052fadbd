"""Offline maps of the islands: where they are, who administered them when, and who claims what.

Each function returns a plotly Figure; with ``text=True`` it returns a table saying the same thing
in words instead (for screen readers, print and checking). Island names follow ``helpers.names``:
pass ``naming="japanese"``, ``"russian"`` or ``"both"``, or ``None`` for the current setting.

    >>> from helpers import maps
    >>> maps.sovereignty_map(1905)                       # doctest: +SKIP
    >>> maps.sovereignty_timeline_map()                  # year slider; works without a kernel

Land comes from ``data/geo/islands.geojson`` (GSHHG coastlines), the schematic boundary lines from
``data/geo/boundaries.geojson``, who administered what from ``data/geo/control.csv`` and stated
claims from ``data/positions.csv``. Nothing is fetched from the network.
"""

import html

import pandas as pd
import plotly.graph_objects as go

from . import _geo, data, names
from ._common import dates
from . import _mapdraw as draw

__all__ = [
    "region_map",
    "sovereignty_map",
    "sovereignty_timeline_map",
    "claims_map",
    "map_explorer",
    "control_at",
    "nosappu_distance",
    "validate",
]

DISPUTED = data.DISPUTED
PLOTLY_MIME = "application/vnd.plotly.v1+json"
STANCE_WORDS = {
    "claims": "claims it",
    "offers_transfer": "holds it and offers to hand it over",
    "negotiable": "treats it as open to negotiation",
    "supports_japan": "supports Japan's claim",
    "supports_ussr": "supports the Soviet/Russian position",
    "no_position": "takes no stated position",
}
ACTOR_NAMES = {"japan": "Japan", "ussr": "USSR", "russia": "Russia", "usa": "United States"}
SHORT_STANCE = {
    "claims": "claims",
    "offers_transfer": "offers transfer",
    "negotiable": "negotiable",
    "supports_japan": "backs Japan",
    "supports_ussr": "backs USSR/Russia",
    "no_position": "no position",
}
CLAIM_LABEL_POSITION = {
    "etorofu-iturup": "bottom center",
    "kunashiri-kunashir": "bottom right",
    "shikotan": "bottom right",
    "habomai": "bottom center",
}
SHORT_ACTOR = {"japan": "Japan", "ussr": "USSR", "russia": "Russia", "usa": "US"}
# islands named on the whole-region maps (Habomai as one group label)
REGION_LABELS = (
    "etorofu-iturup",
    "kunashiri-kunashir",
    "shikotan",
    "habomai",
    "urup",
    "shumshu",
    "paramushir",
    "hokkaido",
    "sakhalin",
    "kamchatka",
)


def validate():
    """Problems in ``data/geo`` (file, row, field, what is allowed); empty when all is well."""
    return _geo.validate()


# ---------------------------------------------------------------- data in force on a date


def _as_date(when):
    """The day a map shows: a year or a month means its last day (``helpers._common.dates``)."""
    return pd.Timestamp(dates.day(when))


def control_at(when, control=None):
    """{zone: the control.csv row in force at ``when``, or None before the first treaty}.

    ``when`` is a year (its last day) or an ISO date. ``control`` replaces control.csv (a list of
    row dicts with its columns), e.g. for a what-if.
    """
    day = _as_date(when)
    out = {z: None for z in _geo.ZONES if z != "context"}
    for r in _geo.control_rows() if control is None else control:
        if dates.in_force(r["from_date"], r.get("to_date"), day):
            out[r["zone"]] = r
    return out


def _lines_at(day, kinds=("treaty", "control", "claim")):
    return [
        f
        for f in _geo.boundaries_geojson()["features"]
        if f["properties"].get("kind") in kinds
        and dates.in_force(f["properties"]["valid_from"], f["properties"].get("valid_to"), day)
    ]


def _doc_titles():
    try:
        docs = data.documents()
    except data.DataError:  # documents.csv missing or broken: show ids; check reports it
        return {}
    return dict(zip(docs["id"], docs["short_title"], strict=False))


def _steps():
    return {int(r["year"]): r for r in _geo.step_rows()}


# ---------------------------------------------------------------- shared pieces


def _fills(state, naming, titles):
    """Per zone: (colour, pattern) and hover text; legend categories {label: style} in order."""
    fills, hovers, cats = {}, {}, {}
    for zone in draw.zone_paths():
        name = draw.zone_name(zone, naming)
        if zone == "context":
            fills[zone], hovers[zone] = draw.STYLE["context"], name
            continue
        row = state.get(zone)
        if row is None:
            style, label, since = draw.STYLE["none"], draw.NO_TREATY_LABEL, ""
        else:
            style, label = draw.style(row), row["label"]
            doc = titles.get(row["set_by_document"], row["set_by_document"])
            since = f" (from {row['from_date'][:4]}{', ' + doc if doc else ''})"
        fills[zone], hovers[zone] = style, f"{name}: {label}{since}"
        cats.setdefault(label, style)
    return fills, hovers, cats


def _map_notes(state):
    """The balanced notes control.csv attaches to the rows in force (each once)."""
    seen = []
    for row in state.values():
        if row and row.get("map_note") and row["map_note"] not in seen:
            seen.append(row["map_note"])
    return seen


def _zone_traces(fills, hovers):
    return [draw.zone_trace(z, fills[z][0], fills[z][1], hovers[z]) for z in draw.zone_paths()]


def _region_labels(naming, hover=None):
    ids = _with_shape(REGION_LABELS)
    return draw.label_trace(ids, naming, hover or [draw.safe_name(i, naming) for i in ids])


def _with_shape(ids):
    feats = draw.features()
    groups = {v[1] for v in feats.values()}
    return [i for i in ids if i in feats or i in groups]


def _figure(traces, layout):
    # The traces are plain plotly JSON built above; checking them would take ~60 ms, so it is
    # skipped while building and switched back on for whatever the learner changes afterwards.
    fig = go.Figure({"data": traces, "layout": layout}, skip_invalid=False, _validate=False)
    fig._validate = True
    return fig


# ---------------------------------------------------------------- region map


def nosappu_distance():
    """Cape Nosappu to the nearest Habomai islet, measured on the coastline data with haversine.

    Returns (km, cape lon/lat, islet lon/lat, islet id). The cape is Hokkaido's easternmost vertex.
    """
    feats = _geo.islands_geojson()["features"]
    hokkaido = next(f for f in feats if f["properties"]["id"] == "hokkaido")
    cape = max(
        (pt for rings in _geo.polygons(hokkaido["geometry"]) for pt in rings[0]),
        key=lambda pt: pt[0],
    )
    best = None
    for f in feats:
        if f["properties"]["zone"] == "habomai":
            km, pt = _geo.nearest_vertex_km(cape, f["geometry"])
            if best is None or km < best[0]:
                best = (km, tuple(cape), tuple(pt), f["properties"]["id"])
    return best


def _present(value):
    return value is not None and value != "" and not pd.isna(value)


def _island_hover(island_id, naming, table):
    row = table.get(island_id, {})
    lines = [f"<b>{html.escape(draw.safe_name(island_id, naming))}</b>"]
    if _present(row.get("area_km2")):
        lines.append(f"Area: {float(row['area_km2']):,.1f} km²")
    elif island_id in draw.features():
        lines.append(f"Area on this map's coastline data: {draw.features()[island_id][3]:,.1f} km²")
    if _present(row.get("japanese_residents_1945")):
        lines.append(f"Japanese residents, August 1945: {int(row['japanese_residents_1945']):,}")
    if _present(row.get("russian_population")):
        year = row.get("russian_population_year")
        when = f" ({int(year)})" if _present(year) else ""
        lines.append(f"Population{when}: {int(row['russian_population']):,}")
    return "<br>".join(lines)


def region_map(naming=None, extent="region", text=False):
    """The islands and their neighbours, named in the chosen convention.

    Hover over a name for its area and population (data/islands.csv). ``extent="disputed"`` zooms
    in on the four disputed islands, ``extent="habomai"`` on the Habomai islets, each named. A
    dotted line measures Cape Nosappu to the nearest Habomai islet on the coastline data; the bar
    gives the scale.
    """
    if extent not in draw.EXTENTS:
        raise ValueError(f"extent must be one of: {', '.join(draw.EXTENTS)}")
    table = draw.island_table()
    if extent == "region":
        ids = _with_shape(REGION_LABELS)
    elif extent == "disputed":
        ids = _with_shape([*DISPUTED, "urup", "hokkaido"])
    else:
        islets = sorted(i for i, v in draw.features().items() if v[1] == "habomai" and i in table)
        ids = _with_shape(["shikotan", *islets, "hokkaido"])
    if text:
        cols = [
            "area_km2",
            "japanese_residents_1945",
            "russian_population",
            "russian_population_year",
        ]
        return pd.DataFrame(
            [
                {
                    "island": draw.safe_name(i, naming),
                    "id": i,
                    **{c: table.get(i, {}).get(c) for c in cols},
                }
                for i in ids
            ]
        )
    traces = []
    for zone in draw.zone_paths():
        if zone == "context":
            fill, pattern = draw.STYLE["context"]
        else:
            fill, pattern = (
                (draw.LAND_DISPUTED, ".") if zone in DISPUTED else (draw.LAND_NEUTRAL, "")
            )
        traces.append(draw.zone_trace(zone, fill, pattern, draw.zone_name(zone, naming)))
    region = names.region_name(naming)
    traces.append(
        draw.legend_trace(f"The four disputed islands ({region})", draw.LAND_DISPUTED, ".")
    )
    traces.append(draw.legend_trace("Other land", draw.LAND_NEUTRAL, ""))
    km, cape, islet, islet_id = nosappu_distance()
    traces.append(
        {
            "type": "scatter",
            "x": [cape[0], islet[0]],
            "y": [cape[1], islet[1]],
            "mode": "lines",
            "line": {"color": "#D55E00", "width": 2.5, "dash": "dot"},
            "meta": "nosappu",
            "name": f"Cape Nosappu to {draw.safe_name(islet_id, naming)}: {km:.1f} km",
            "hoverinfo": "name",
        }
    )
    bar, bar_note = draw.scale_bar(extent, draw.SCALE_KM[extent])
    traces.append(bar)
    traces.append(draw.label_trace(ids, naming, [_island_hover(i, naming, table) for i in ids]))
    note = (
        f"Cape Nosappu (Hokkaido) to the nearest Habomai islet: {km:.1f} km, measured on this "
        "map's coastline data, in which the smallest rocks are only approximately placed."
    )
    notes = [draw.footnote([note]), bar_note, draw.credit(draw.CREDIT.split(" Data:")[0])]
    title = f"The islands between Hokkaido and Kamchatka: the {region}"
    return _figure(traces, draw.layout(extent, title, annotations=notes))


# ---------------------------------------------------------------- sovereignty


def sovereignty_map(year, naming=None, extent="region", text=False, control=None):
    """Who administered each island at the end of ``year`` (or on a date such as "1945-08-30").

    Colour and fill pattern show the administering state and the legend names it. The boundary
    lines in force that day are drawn (schematic) and named with the treaty that set them.
    ``text=True`` returns the same as a table.
    """
    day = _as_date(year)
    state = control_at(day, control)
    titles = _doc_titles()
    if text:
        return _control_table(state, naming, titles)
    fills, hovers, cats = _fills(state, naming, titles)
    traces = _zone_traces(fills, hovers)
    traces += [draw.legend_trace(label, c, p) for label, (c, p) in cats.items()]
    traces += [draw.line_trace(f) for f in _lines_at(day)]
    traces.append(_region_labels(naming))
    by_year = isinstance(year, int) or str(year).strip().isdigit()
    step = _steps().get(day.year) if by_year else None
    lines = [f"{day.year}: {step['caption']}" if step else "", *_map_notes(state)]
    bar, bar_note = draw.scale_bar(extent, draw.SCALE_KM[extent])
    traces.append(bar)
    when = f"the end of {day.year}" if by_year else day.date().isoformat()
    return _figure(
        traces,
        draw.layout(
            extent,
            f"Who administered the islands at {when}",
            "Administered by",
            [draw.footnote(lines), bar_note, draw.credit()],
        ),
    )


def _control_table(state, naming, titles):
    rows = []
    for zone, row in state.items():
        rows.append(
            {
                "zone": draw.zone_name(zone, naming),
                "administered_by": row["label"] if row else draw.NO_TREATY_LABEL,
                "since": row["from_date"] if row else "",
                "set_by": titles.get(row["set_by_document"], row["set_by_document"]) if row else "",
                "sources": row["sources"] if row else "",
            }
        )
    return pd.DataFrame(rows)


def sovereignty_timeline_map(naming=None, text=False):
    """The sovereignty map with a year slider built into the figure (no kernel needed).

    The steps are the years in data/geo/steps.csv; each shows who administered what at the end of
    that year, the boundary lines then in force, and a caption of what changed.
    """
    steps = _steps()
    years = sorted(steps)
    titles = _doc_titles()
    states = {y: control_at(y) for y in years}
    if text:
        frames = []
        for y in years:
            t = _control_table(states[y], naming, titles)
            t.insert(0, "year", y)
            t.insert(1, "what_changed", steps[y]["caption"])
            frames.append(t)
        return pd.concat(frames, ignore_index=True)
    zones = list(draw.zone_paths())
    per_year, all_cats = {}, {}
    for y in years:
        fills, hovers, cats = _fills(states[y], naming, titles)
        lines = {f["properties"]["id"] for f in _lines_at(_as_date(y))}
        note = draw.footnote_text([f"{y}: {steps[y]['caption']}", *_map_notes(states[y])])
        per_year[y] = (fills, hovers, cats, lines, note)
        for label, style in cats.items():
            all_cats.setdefault(label, style)
    fills, hovers, cats, lines, note = per_year[years[0]]
    line_feats = _geo.boundaries_geojson()["features"]
    traces = _zone_traces(fills, hovers)
    traces += [
        draw.legend_trace(lab, c, p, visible=lab in cats) for lab, (c, p) in all_cats.items()
    ]
    traces += [draw.line_trace(f, visible=f["properties"]["id"] in lines) for f in line_feats]
    traces.append(_region_labels(naming))
    bar, bar_note = draw.scale_bar("region", 100)
    traces.append(bar)
    # each step restyles zones, legend entries and lines (labels and scale bar keep theirs):
    # zones get this year's colour, pattern and hover; legend entries and lines their visibility
    cat_traces = traces[len(zones) : len(zones) + len(all_cats)]
    indices = list(range(len(zones) + len(all_cats) + len(line_feats)))
    slider_steps = []
    for y in years:
        fills, hovers, cats, lines, note = per_year[y]
        restyle = {
            "visible": [True] * len(zones)
            + [lab in cats for lab in all_cats]
            + [f["properties"]["id"] in lines for f in line_feats],
            "fillcolor": [fills[z][0] for z in zones]
            + [t["fillcolor"] for t in cat_traces]
            + [None] * len(line_feats),
            "fillpattern.shape": [fills[z][1] for z in zones]
            + [t["fillpattern"]["shape"] for t in cat_traces]
            + [None] * len(line_feats),
            "fillpattern.bgcolor": [fills[z][0] for z in zones]
            + [t["fillcolor"] for t in cat_traces]
            + [None] * len(line_feats),
            "text": [hovers[z] for z in zones] + [None] * (len(all_cats) + len(line_feats)),
        }
        relayout = {
            "title.text": f"Who administered the islands at the end of {y}",
            "annotations[0].text": note,
        }
        slider_steps.append(
            {"label": str(y), "method": "update", "args": [restyle, relayout, indices]}
        )
    foot = draw.footnote([])
    foot["text"], foot["y"] = per_year[years[0]][4], -0.27  # under the slider
    lay = draw.layout(
        "region",
        f"Who administered the islands at the end of {years[0]}",
        "Administered by",
        [foot, bar_note, draw.credit()],
    )
    lay["sliders"] = [
        {
            "active": 0,
            "steps": slider_steps,
            "x": 0.0,
            "len": 0.64,
            "y": -0.06,
            "yanchor": "top",
            "currentvalue": {"prefix": "Year: ", "font": {"color": draw.INK}},
            "pad": {"t": 10},
            "font": {"color": draw.INK},
        }
    ]
    lay["margin"] = {"l": 50, "r": 10, "t": 50, "b": 230}
    lay["height"] = 790
    return _figure(traces, lay)


# ---------------------------------------------------------------- claims


def _stances_at(day, positions):
    """{actor: positions row (dict)} for the rows in force on ``day`` (latest start wins)."""
    rows = positions.to_dict("records")
    return {r["actor"]: r for r in dates.in_force_rows(rows, day, key="actor")}


def claims_map(date, naming=None, text=False, positions=None, control=None):
    """What each government claimed on ``date`` set against who administered each disputed island.

    Fill shows who administered the island; hover on a name gives each government's stated stance
    (from data/positions.csv) and the note under the map its formula. Where claim and control
    differ, that gap is the dispute. ``text=True`` returns the table of stances.
    """
    day = _as_date(date)
    positions = data.positions() if positions is None else positions
    stances = _stances_at(day, positions)
    state = control_at(day, control)
    rows = []
    for island in DISPUTED:
        ctrl = state.get(island)
        entry = {
            "island": draw.safe_name(island, naming),
            "id": island,
            "administered_by": ctrl["label"] if ctrl else draw.NO_TREATY_LABEL,
        }
        entry.update({actor: row[island] for actor, row in stances.items()})
        rows.append(entry)
    if text:
        return pd.DataFrame(rows)
    titles = _doc_titles()
    fills, hovers, cats = _fills(state, naming, titles)
    traces = _zone_traces(fills, hovers)
    traces += [draw.legend_trace(label, c, p) for label, (c, p) in cats.items()]
    japan = stances.get("japan", {})
    show_claim = japan.get("etorofu-iturup") == "claims"
    traces += [
        draw.line_trace(f)
        for f in _lines_at(day, ("control", "claim"))
        if f["properties"]["kind"] == "control" or show_claim
    ]
    traces += _claim_outlines(rows, stances, state)
    hover, labels = [], []
    for r in rows:
        said = [f"{ACTOR_NAMES.get(a, a)} {STANCE_WORDS.get(r[a], r[a])}" for a in stances]
        hover.append(
            f"<b>{html.escape(r['island'])}</b><br>Administered by: "
            f"{html.escape(r['administered_by'])}" + "".join(f"<br>{html.escape(s)}" for s in said)
        )
        short = " · ".join(
            f"{SHORT_ACTOR.get(a, a)}: {SHORT_STANCE.get(r[a], r[a])}" for a in stances
        )
        labels.append(f"{html.escape(r['island'])}<br><span style='font-size:10px'>{short}</span>")
    label_trace = draw.label_trace(list(DISPUTED), naming, hover, CLAIM_LABEL_POSITION)
    label_trace["text"] = labels
    traces.append(label_trace)
    bar, bar_note = draw.scale_bar("disputed", 20)
    traces.append(bar)
    formulas = [f"{ACTOR_NAMES.get(a, a)}: {row['formula']}" for a, row in stances.items()]
    lines = [
        "Stated positions on this date: " + "; ".join(formulas)
        if formulas
        else "No stated positions in the course data for this date."
    ]
    notes = [draw.footnote(lines), bar_note, draw.credit(draw.CREDIT + "; data/positions.csv")]
    return _figure(
        traces,
        draw.layout(
            "disputed", f"Claims and control on {day.date().isoformat()}", "Administered by", notes
        ),
    )


def _claim_outlines(rows, stances, state):
    """A dashed outline, in the claimant's colour, round each island claimed by a government that
    does not administer it: the gap between claim and control."""
    family = {"japan": "japan", "ussr": "ussr-russia", "russia": "ussr-russia"}
    out, seen = [], set()
    for r in rows:
        ctrl = state.get(r["id"])
        holder = family.get(ctrl["administered_by"]) if ctrl else None
        for actor, row in stances.items():
            if actor in family and row[r["id"]] == "claims" and family[actor] != holder:
                xs, ys = draw.zone_paths()[r["id"]]
                name = f"Claimed by {ACTOR_NAMES[actor]}, administered by another state"
                out.append(
                    {
                        "type": "scatter",
                        "x": xs,
                        "y": ys,
                        "mode": "lines",
                        "name": name,
                        "line": {
                            "color": draw.CLAIM_INK[family[actor]],
                            "width": 2.5,
                            "dash": "dash",
                        },
                        "legendgroup": f"claim-{actor}",
                        "showlegend": name not in seen,
                        "hoverinfo": "name",
                        "meta": f"claim-{actor}-{r['id']}",
                    }
                )
                seen.add(name)
    return out


# ---------------------------------------------------------------- explorer


def map_explorer(years=None):
    """A naming switch and a year slider that redraw the sovereignty map below them.

    From Python: ``box.naming.value = "russian"``, ``box.year.value = 1956``; ``box.figure`` is the
    figure on show. (The figure is drawn into an Output widget, so no extra packages are needed.)
    """
    import ipywidgets as widgets
    from IPython.display import display

    years = list(years or sorted(_steps()))
    toggle = names.naming_toggle()
    # A labelled menu, not a slider: ipywidgets' slider handle has no accessible name.
    year = widgets.Dropdown(options=years, value=years[0], description="Year:")
    out = widgets.Output()
    box = widgets.VBox([toggle, year, out])

    def redraw(*_):
        box.figure = sovereignty_map(year.value)
        # Replacing the outputs is one message; clear_output + display costs ~8 ms more per
        # redraw (several messages, each waiting on the kernel's output thread).
        bundle = box.figure._repr_mimebundle_()  # what display() would send
        if set(bundle) == {PLOTLY_MIME}:  # other renderers may need set-up that display() does
            out.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)
            return
        with out:  # a renderer that is not a mime type
            out.clear_output(wait=True)
            display(box.figure)

    year.observe(redraw, names="value")
    names.on_change(redraw)
    box.naming, box.year, box.output, box.redraw = toggle, year, out, redraw
    redraw()
    return box
