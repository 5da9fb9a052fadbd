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

from . import data, names
from ._common import dates, figures, labels
from ._common.tables import ReadableFrame
from ._maps import draw, frame, layers
from ._maps import geo as _geo

__all__ = [
    "region_map",
    "sovereignty_map",
    "sovereignty_timeline_map",
    "claims_map",
    "map_explorer",
    "explorer",
    "control_at",
    "nosappu_distance",
    "validate",
]

DISPUTED = data.DISPUTED
STANCE_WORDS = {
    "claims": "claims it",
    "offers_transfer": "holds it and offers to hand it over",
    "negotiable": "treats it as open to negotiation",
    "supports_japan": "supports Japan's claim",
    "supports_ussr": "supports the Soviet/Russian position",
    "no_position": "takes no stated position",
}
SHORT_STANCE = {
    "claims": "claims",
    "offers_transfer": "offers transfer",
    "negotiable": "negotiable",
    "supports_japan": "backs Japan",
    "supports_ussr": "backs USSR/Russia",
    "no_position": "no position",
}
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
    for r in dates.in_force_rows(_geo.control_rows() if control is None else control, day):
        out[r["zone"]] = r
    return out


def _lines_at(day, kinds=("treaty", "control", "claim")):
    features = [f for f in _geo.boundaries_geojson()["features"]
                if f["properties"].get("kind") in kinds]
    live = dates.in_force_rows([f["properties"] for f in features], day, "valid_from", "valid_to")
    return [f for f in features if f["properties"] in live]


def _steps():
    return {int(r["year"]): r for r in _geo.step_rows()}


# ---------------------------------------------------------------- shared pieces


def _fills(state, naming, titles, extent="region", named=True, detail=True):
    """Per zone: (colour, pattern) and hover text; legend categories {label: style} in order.
    ``named=False``: the hover text leaves out the zone's name (the explorer shows it apart);
    ``detail=False``: and the document that set the state (the slider's steps stay small)."""
    fills, hovers, cats = {}, {}, {}
    for zone in draw.zone_paths(extent):
        name = draw.zone_name(zone, naming) + ": " if named else ""
        if zone == "context":
            fills[zone], hovers[zone] = draw.STYLE["context"], name.rstrip(": ") or "—"
            continue
        row = state.get(zone)
        if row is None:
            style, label, since = draw.STYLE["none"], draw.NO_TREATY_LABEL, ""
        else:
            style, label = draw.style(row), row["label"]
            doc = titles.get(row["set_by_document"], row["set_by_document"]) if detail else ""
            since = f" (from {row['from_date'][:4]}{', ' + doc if doc else ''})"
        fills[zone], hovers[zone] = style, f"{name}{label}{since}"
        cats.setdefault(label, style)
    return fills, hovers, cats


def _map_notes(state):
    """The balanced notes control.csv attaches to the rows in force (each once)."""
    seen = []
    for row in state.values():
        if row and row.get("map_note") and row["map_note"] not in seen:
            seen.append(row["map_note"])
    return seen


def _region_labels(naming, hover=None):
    """The region's names. Without ``hover`` the dots have none (the name is beside them)."""
    ids = _with_shape(REGION_LABELS)
    layer = layers.labels(ids, naming, hover or [draw.safe_name(i, naming) for i in ids], "region")
    if hover is None:
        layer.traces[0].update(hoverinfo="skip", hovertemplate=None, hovertext=None)
    return layer


def _caption(lines, naming):
    """Caption lines with their ``{island:...}`` names in ``naming``."""
    return [names.render(line, naming) for line in lines]


def _with_shape(ids):
    feats = draw.features()
    groups = {v[1] for v in feats.values()}
    return [i for i in ids if i in feats or i in groups]


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


def _region_ids(extent, table):
    if extent == "region":
        return _with_shape(REGION_LABELS)
    if extent == "disputed":  # (Urup's name would not fit east of the 1855 line)
        return _with_shape([*DISPUTED, "hokkaido"])
    islets = sorted(i for i, v in draw.features().items() if v[1] == "habomai" and i in table)
    return _with_shape(["shikotan", *islets, "hokkaido"])


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
    ids = _region_ids(extent, table)
    if text:
        cols = ["area_km2", "japanese_residents_1945", "russian_population",
                "russian_population_year"]
        feats = draw.features()
        out = ReadableFrame([{"island": draw.safe_name(i, naming), "id": i,
                              **{c: table.get(i, {}).get(c) for c in cols},
                              # what the hover gives when the data has no official area
                              "area_on_map_km2":
                                  round(feats[i][3], 1) if i in feats else None}
                             for i in ids])
        spec = _region_spec(naming, extent, table, ids)
        out.attrs["caption"] = [_title_text(spec), *_caption_texts(spec)]
        return out
    return figures.figure(_region_spec(naming, extent, table, ids))


def _title_text(spec):
    title = spec["layout"].get("title", {})
    return _plain(title.get("text", "") if isinstance(title, dict) else title)


def _caption_texts(spec):
    """The figure's caption lines (annotations under the plot) as plain text, whole."""
    out = []
    for note in spec["layout"].get("annotations", []):
        if note.get("yref") == "paper" and note.get("y", 0) < 0 and note.get("text"):
            text = _plain(note["text"])
            if text and text not in out:
                out.append(text)
    return out


def _plain(text):
    """Text of a plotly label: ``<br>`` as a space, other tags dropped, entities read."""
    import re

    text = re.sub(r"<br\s*/?>", " ", str(text))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _region_spec(naming, extent, table, ids):
    zones = draw.zone_paths(extent)
    fills = {z: draw.STYLE["context"] if z == "context" else
             (draw.LAND_DISPUTED, ".") if z in DISPUTED else (draw.LAND_NEUTRAL, "") for z in zones}
    region = names.region_name(naming)
    km, cape, islet, islet_id = nosappu_distance()
    measure = layers.Layer("measure", [{
        "type": "scatter", "x": [cape[0], islet[0]], "y": [cape[1], islet[1]], "mode": "lines",
        "line": {"color": "#D55E00", "width": 2.5, "dash": "dot"}, "meta": "nosappu",
        "name": f"Cape Nosappu to {draw.safe_name(islet_id, naming)}: {km:.1f} km",
        "hoverinfo": "name",
    }])
    stack = [
        layers.land(fills, {z: draw.zone_name(z, naming) for z in zones}, extent),
        layers.legend({f"The four disputed islands ({region})": (draw.LAND_DISPUTED, "."),
                       "Other land": (draw.LAND_NEUTRAL, "")}),
        measure,
        layers.scale(extent),
        layers.north(extent),
        layers.labels(ids, naming, [_island_hover(i, naming, table) for i in ids], extent),
    ]
    habomai = draw.safe_name("habomai", naming)
    caption = (f"Cape Nosappu (Hokkaido) to the nearest {habomai} islet: {km:.1f} km, measured on "
               "this map's coastline data, in which the smallest rocks are only approximately "
               "placed.")
    return layers.spec(stack, extent, f"The islands between Hokkaido and Kamchatka: the {region}",
                       caption=[caption], credit=draw.CREDIT.split(" Data:")[0])


# ---------------------------------------------------------------- sovereignty


def sovereignty_map(year, naming=None, extent="region", text=False, control=None):
    """Who administered each island at the end of ``year`` (or on a date such as "1945-08-30").

    Colour and fill pattern show the administering state and the legend names it. The boundary
    lines in force that day are drawn (schematic) and named with the treaty that set them.
    ``text=True`` returns the same as a table.
    """
    day = _as_date(year)
    state = control_at(day, control)
    titles = labels.document_titles()
    if text:
        out = _control_table(state, naming, titles)
        spec = _sovereignty_spec(year, naming, extent, state, titles)
        out.attrs["caption"] = [_title_text(spec), *_caption_texts(spec)]
        return out
    return figures.figure(_sovereignty_spec(year, naming, extent, state, titles))


def _sovereignty_spec(year, naming=None, extent="region", state=None, titles=None):
    day = _as_date(year)
    state = control_at(day) if state is None else state
    titles = labels.document_titles() if titles is None else titles
    fills, hovers, cats = _fills(state, naming, titles, extent)
    by_year = isinstance(year, int) or str(year).strip().isdigit()
    step = _steps().get(day.year) if by_year else None
    caption = _caption([f"{day.year}: {step['caption']}" if step else "", *_map_notes(state)],
                       naming)
    when = f"the end of {day.year}" if by_year else day.date().isoformat()
    stack = [layers.land(fills, hovers, extent), layers.legend(cats),
             layers.lines(_lines_at(day), naming=naming), _extent_labels(extent, naming),
             layers.scale(extent), layers.north(extent)]
    return layers.spec(stack, extent, f"Who administered the islands at {when}",
                       "Administered by", caption)


def _extent_labels(extent, naming):
    if extent == "region":
        return _region_labels(naming)
    ids = _region_ids(extent, draw.island_table())
    return layers.labels(ids, naming, [draw.safe_name(i, naming) for i in ids], extent)


def _control_table(state, naming, titles):
    rows = []
    for zone, row in state.items():
        rows.append({
            "zone": draw.zone_name(zone, naming),
            "administered_by": row["label"] if row else draw.NO_TREATY_LABEL,
            "since": labels.format_date(row["from_date"]) if row else "",
            "set_by": titles.get(row["set_by_document"], row["set_by_document"]) if row else "",
            "sources": labels.cite(row["sources"]) if row else "",  # in words, not ids
        })
    return ReadableFrame(rows)  # shown whole: no text cut, no NaN (helpers._common.tables)


AS_ABOVE = "(as above)"  # the text table: a year's change and notes stand on its first row


def sovereignty_timeline_map(naming=None, text=False):
    """The sovereignty map with a year slider built into the figure (no kernel needed).

    The steps are the years in data/geo/steps.csv; each shows who administered what at the end of
    that year, the boundary lines then in force, and a caption of what changed.
    """
    steps = _steps()
    years = sorted(steps)
    titles = labels.document_titles()
    states = {y: control_at(y) for y in years}
    if text:
        frames = []
        for y in years:
            t = _control_table(states[y], naming, titles)
            t.insert(0, "year", y)
            # a year's change and notes once, on its first row (read aloud once, not per zone)
            change = names.render(steps[y]["caption"], naming)
            notes = " ".join(_caption(_map_notes(states[y]), naming))
            t.insert(1, "what_changed", [change, *[AS_ABOVE if change else ""] * (len(t) - 1)])
            t["map_notes"] = [notes, *[AS_ABOVE if notes else ""] * (len(t) - 1)]
            frames.append(t)
        out = ReadableFrame(pd.concat(frames, ignore_index=True))
        out.attrs["caption"] = ["Who administered the islands at the end of each year of the "
                                "map's slider, and what changed that year"]
        return out
    return figures.figure(_timeline_spec(naming, steps, years, titles, states))


SLIDER_PX = 84  # the year slider under the map: its current-value line, rail and year labels


def _timeline_spec(naming, steps, years, titles, states, active=None, switch=False):
    """The timeline map's figure dict: a year slider (plotly steps, in the browser) and, with
    ``switch``, naming buttons too (the explorer). ``active``: the year shown first.

    A step restyles only what a year changes (zone fills and their hover text, which legend
    entries and boundary lines show) and rewrites the title and caption; the naming buttons
    change only names (labels, zone and line names, which caption is shown), so the two never
    undo each other. The map's geometry does not depend on either (``frame.Column``).
    """
    active = years[0] if active is None else active
    naming = names.convention() if naming is None else naming
    namings = names.CONVENTIONS if switch else (naming,)
    line_feats = _geo.boundaries_geojson()["features"]
    per_year, all_cats = {}, {}
    for y in years:
        fills, hovers, cats = _fills(states[y], naming, titles, named=not switch, detail=False)
        shown = {f["properties"]["id"] for f in _lines_at(_as_date(y))}
        said = {c: draw.footnote_lines(_caption([f"{y}: {steps[y]['caption']}"], c))
                for c in namings}
        per_year[y] = (fills, hovers, cats, shown, said,
                       draw.footnote_lines(_caption(_map_notes(states[y]), naming)))
        for label, style in cats.items():
            all_cats.setdefault(label, style)
    fills, hovers, cats, shown, said, notes = per_year[active]
    rows = max((layers.legend_rows(layers.legend(all_cats, shown=per_year[y][2]).traces
                                   + layers.lines(line_feats, shown=per_year[y][3]).traces)
                for y in years), key=lambda r: r[0])
    stack = [layers.land(fills, hovers), layers.legend(all_cats, shown=cats),
             layers.lines(line_feats, shown=shown, naming=naming), _region_labels(naming),
             layers.scale("region", 100), layers.north("region")]
    most_said = max(len(n) for y in years for n in per_year[y][4].values())
    most_notes = max(len(per_year[y][5]) for y in years)
    spec = layers.spec(stack, "region", f"Who administered the islands at the end of {active}",
                       "Administered by", (), under=SLIDER_PX, rows=rows,
                       caption_lines=most_said + most_notes, caption_first=True)
    lay, data_ = spec["layout"], spec["data"]
    # the caption: what changed that year (one per naming in the explorer, the naming buttons
    # show one), then the notes on each side's position (the same in every naming)
    caption = lay["annotations"][0]
    notes_y = round(caption["y"] - frame.lines_height(most_said, frame.CAPTION_SIZE)
                    / frame.PLOT_HEIGHT["region"], 5)
    caption.update(_said(said, namings, "caption"), name="caption")
    extra = []
    if switch:  # the same place: captions whose names differ by naming, the buttons show one
        extra = [{**caption, **_said(said, namings, c), "name": f"caption-{c}",
                  "opacity": 1 if c == naming else 0} for c in namings]
    extra.append({**caption, "name": "notes", "y": notes_y, "text": "<br>".join(notes)})
    lay["annotations"][1:1] = extra
    # the captions a step rewrites are shape labels (draw.caption_shape): shapes[0..]
    k = 1 + len(extra)
    lay["shapes"] = [draw.caption_shape(n) for n in lay["annotations"][:k]]
    del lay["annotations"][:k]
    lay["template"] = {**lay["template"],
                       "layout": {**lay["template"]["layout"], "shapedefaults": draw.CAPTION_SHAPE}}
    if switch:  # the hover box: the year's words, and the zone's name beside them
        for t in data_:
            if t.get("meta") in _geo.ZONES:
                t.update(hoverinfo="text+name", name=draw.zone_name(t["meta"], naming))
            elif t.get("meta") == "labels":  # names are annotations; the dots show no text
                t.pop("text", None)
    # only the traces some year changes: zones (fill, hover), legend entries and lines (shown)
    changes = {}
    for i, t in enumerate(data_):
        kind = ("zone" if t.get("meta") in _geo.ZONES else
                {"held": "legend", "lines": "line"}.get(t.get("legendgroup")))
        if kind == "zone":
            seen = {(per_year[y][0][t["meta"]], per_year[y][1][t["meta"]]) for y in years}
        elif kind == "legend":
            seen = {t["name"] in per_year[y][2] for y in years}
        elif kind == "line":
            seen = {t["meta"] in per_year[y][3] for y in years}
        if kind in ("legend", "line"):
            t.update(_shown(t, t.pop("visible", True)))
        if kind and len(seen) > 1:
            changes[i] = kind
    indices = sorted(changes)
    # A step changes only attributes plotly redraws without recomputing the figure (a fifth of
    # the time): fills, hovertext, which legend entries and lines show (showlegend, opacity,
    # hoverinfo; not ``visible``), the title and the caption shapes' labels
    slider_steps = []
    for y in years:
        fills, hovers, cats, shown, said, notes = per_year[y]
        restyle = {key: [] for key in STEP_KEYS}
        for i in indices:
            t, kind = data_[i], changes[i]
            zone = t.get("meta")
            colour, pattern = fills[zone] if kind == "zone" else (
                (t["fillcolor"], t["fillpattern"]["shape"]) if kind == "legend" else (None, None))
            on = (t["name"] in cats) if kind == "legend" else (zone in shown)
            values = {"fillcolor": colour, "fillpattern.shape": pattern,
                      "hovertext": hovers[zone] if kind == "zone" else None,
                      **(_shown(t, on) if kind != "zone" else
                         {"showlegend": False, "opacity": 1, "hoverinfo": t["hoverinfo"]})}
            for key in STEP_KEYS:
                restyle[key].append(values[key])
        relayout = {"title.text": f"Who administered the islands at the end of {y}"}
        relayout.update({f"shapes[{k}].label.text": v for k, v in enumerate(
            [_said(said, namings, "caption")["text"]]
            + ([_said(said, namings, c)["text"] for c in namings] if switch else [])
            + ["<br>".join(notes)])})
        slider_steps.append({"label": str(y), "method": "update",
                             "args": [restyle, relayout, indices]})
    lay["sliders"] = [{
        "active": years.index(active), "steps": slider_steps, "x": 0, "len": 1,
        "xanchor": "left", "y": -frame.TICKS / frame.PLOT_HEIGHT["region"], "yanchor": "top",
        "currentvalue": {"prefix": "Year: ", "font": {"color": draw.INK, "size": 13}},
        "pad": {"t": 4, "b": 0, "l": 0, "r": 0}, "font": {"color": draw.INK, "size": 11},
        "bgcolor": "#E8EEF3", "activebgcolor": "#BFD3E3", "bordercolor": "#8A9BA8",
    }]
    if switch:
        _naming_buttons(spec, naming, line_feats)
    return spec


STEP_KEYS = ("fillcolor", "fillpattern.shape", "hovertext", "showlegend", "opacity", "hoverinfo")


def _shown(trace, on):
    """A legend entry or boundary line shown or hidden (in the legend, on the map, in hover)."""
    if trace.get("legendgroup") == "lines":
        return {"showlegend": on, "opacity": 1 if on else 0, "hoverinfo": "name" if on else "skip"}
    return {"showlegend": on, "opacity": 1, "hoverinfo": "skip"}


def _said(said, namings, which):
    """The caption annotation's text for ``which`` ("caption": the caption every naming shares,
    or a naming): a year's caption goes in the shared one unless its names differ by naming."""
    same = len({tuple(said[c]) for c in namings}) == 1
    if which == "caption":
        return {"text": "<br>".join(said[namings[0]]) if same else ""}
    return {"text": "" if same else "<br>".join(said[which])}


def _naming_buttons(spec, naming, line_feats):
    """Buttons over the map that switch every name on it between the three namings, in the
    browser: labels, the zones' and lines' names, and which caption is shown."""
    lay, data_ = spec["layout"], spec["data"]
    zones = [i for i, t in enumerate(data_) if t.get("meta") in _geo.ZONES]
    line_idx = [i for i, t in enumerate(data_) if t.get("legendgroup") == "lines"]
    captions = {n["name"][len("caption-"):]: k for k, n in enumerate(lay["shapes"])
                if n["name"].startswith("caption-")}
    by_id = {f["properties"]["id"]: f["properties"] for f in line_feats}

    def name(i, c):
        t = data_[i]
        return draw.zone_name(t["meta"], c) if i in zones else draw.line_name(by_id[t["meta"]], c)

    # only what a naming changes: trace names (the zones' hover, the lines' legend entries) and
    # the labels whose names differ
    indices = [i for i in zones + line_idx
               if len({name(i, c) for c in names.CONVENTIONS}) > 1]
    # a name that differs by naming is drawn three times in the same place, one shown at a time:
    # the buttons change only opacities (no text, so plotly redraws no more than the names)
    shown_as = {}  # annotation index -> naming it shows
    notes = lay["annotations"]
    for k, note in list(enumerate(notes)):
        island = note.get("name", "")[len("label:"):] if note.get("name", "").startswith(
            "label:") else None
        if not island or len({draw.safe_name(island, c) for c in names.CONVENTIONS}) == 1:
            continue
        for n, c in enumerate(names.CONVENTIONS):
            variant = note if n == 0 else {**note}
            variant.update(text=html.escape(draw.safe_name(island, c)),
                           opacity=1 if c == naming else 0)
            if n:
                notes.append(variant)
            shown_as[k if n == 0 else len(notes) - 1] = c
    buttons = []
    for c in names.CONVENTIONS:
        restyle = {"name": [name(i, c) for i in indices]}
        relayout = {f"shapes[{k}].label.font.color": draw.caption_ink(which == c)
                    for which, k in captions.items()}
        relayout.update({f"annotations[{k}].opacity": 1 if which == c else 0
                         for k, which in shown_as.items()})
        buttons.append({"label": NAMING_BUTTONS[c], "method": "update",
                        "args": [restyle, relayout, indices]})
    lay["margin"]["t"] += NAMING_PX
    lay["height"] += NAMING_PX
    lay["title"]["y"] = 1 - (1 - lay["title"]["y"]) * (lay["height"] - NAMING_PX) / lay["height"]
    lay["updatemenus"] = [{
        "type": "buttons", "direction": "right", "buttons": buttons, "showactive": True,
        "active": names.CONVENTIONS.index(naming), "x": 0, "xanchor": "left",
        "y": 1 + 8 / frame.PLOT_HEIGHT["region"], "yanchor": "bottom",
        "pad": {"l": 96, "t": 0, "b": 0, "r": 0}, "font": {"size": 12, "color": draw.INK},
        "bgcolor": "#E8EEF3", "bordercolor": "#8A9BA8",
    }]
    lay["annotations"].append({
        "text": "Island names:", "name": "naming-title", "showarrow": False,
        "xref": "paper", "yref": "paper", "x": 0, "xanchor": "left",
        "y": 1 + 12 / frame.PLOT_HEIGHT["region"], "yanchor": "bottom",
        "font": {"size": 12, "color": draw.INK},
    })


NAMING_PX = 38  # room over the map for the naming buttons
NAMING_BUTTONS = {"japanese": "Japanese usage", "russian": "Russian usage", "both": "Both"}


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
    if text:  # the stances in words, as the figure's hover says them; its title and caption
        out = ReadableFrame([{**r, **{a: STANCE_WORDS.get(r[a], r[a]) for a in stances}}
                             for r in rows])
        spec = _claims_spec(day, naming, rows, stances, state)
        out.attrs["caption"] = [_title_text(spec), *_caption_texts(spec)[:1]]
        return out
    return figures.figure(_claims_spec(day, naming, rows, stances, state))


def _claims_spec(day, naming, rows, stances, state):
    fills, hovers, cats = _fills(state, naming, labels.document_titles(), "disputed")
    show_claim = stances.get("japan", {}).get("etorofu-iturup") == "claims"
    lines = [f for f in _lines_at(day, ("control", "claim"))
             if f["properties"]["kind"] == "control" or show_claim]
    hover, stance_lines = [], []
    for r in rows:
        said = [f"{labels.actor_name(a)} {STANCE_WORDS.get(r[a], r[a])}" for a in stances]
        hover.append(
            f"<b>{html.escape(r['island'])}</b><br>Administered by: "
            f"{html.escape(r['administered_by'])}" + "".join(f"<br>{html.escape(s)}" for s in said)
        )
        short = " · ".join(
            f"{labels.actor_name(a, short=True)}: {SHORT_STANCE.get(r[a], r[a])}" for a in stances
        )
        if short:
            stance_lines.append(f"{r['island']}: {short}")
    # the stances per island go in the caption, not on the map, where they would cover the sea
    # between the islands (and Hokkaido) at any size that leaves the map readable
    stack = [layers.land(fills, hovers, "disputed"), layers.legend(cats),
             layers.lines(lines, naming=naming), _claim_outlines(rows, stances, state),
             layers.labels(DISPUTED, naming, hover, "disputed"),
             layers.scale("disputed", 20), layers.north("disputed")]
    formulas = [f"{labels.actor_name(a)}: {row['formula']}" for a, row in stances.items()]
    caption = (["Stated positions on this date: " + "; ".join(formulas) + ".",
                "Each island, who said what:", *stance_lines] if formulas
               else ["No stated positions in the course data for this date."])
    caption = _caption(caption, naming)
    return layers.spec(stack, "disputed", f"Claims and control on {day.date().isoformat()}",
                       "Administered by", caption, draw.CREDIT + "; data/positions.csv")


def _claim_outlines(rows, stances, state):
    """A dashed outline, in the claimant's colour, round each island claimed by a government that
    does not administer it: the gap between claim and control."""
    family = {"japan": "japan", "ussr": "ussr-russia", "russia": "ussr-russia"}
    items = []
    for r in rows:
        ctrl = state.get(r["id"])
        holder = family.get(ctrl["administered_by"]) if ctrl else None
        for actor, row in stances.items():
            if actor in family and row[r["id"]] == "claims" and family[actor] != holder:
                name = f"Claimed by {labels.actor_name(actor)}, administered by another state"
                items.append((r["id"], name, draw.CLAIM_INK[family[actor]], f"claim-{actor}",
                              f"claim-{actor}-{r['id']}"))
    return layers.outlines(items, "disputed")


# ---------------------------------------------------------------- explorer


def map_explorer(years=None):
    """The sovereignty map with a year slider and naming buttons that work in the browser.

    Moving the slider or pressing a naming button changes the figure in the browser (plotly
    steps and buttons: no kernel round trip); the year menu under the map does the same from the
    keyboard (through the kernel). From Python: ``box.year.value = 1956`` and
    ``box.naming.value = "russian"`` (which switches the course's naming, as the naming toggle
    does) redraw it showing that year and naming; ``box.figure`` is the figure on show. The
    explorer follows the course's naming switch in any other cell too.
    """
    return __getattr__("MapExplorer")(years)


explorer = map_explorer  # the name the lessons use: maps.explorer()


def explorer_spec(year=None, naming=None, years=None):
    """The explorer's figure dict: the timeline map at ``year`` with the naming buttons."""
    steps = _steps()
    years = sorted(years or steps)
    missing = [y for y in years if y not in steps]
    if missing:
        raise ValueError(f"years without a step in data/geo/steps.csv: {missing}; "
                         f"the steps are {sorted(steps)}")
    states = {y: control_at(y) for y in years}
    return _timeline_spec(naming, steps, years, labels.document_titles(), states,
                          years[0] if year is None else year, switch=True)


def _explorer_class():
    from ._common import relay, widgets

    from ._common.explorers import FollowsNaming, ShowsFigure

    class MapExplorer(FollowsNaming, ShowsFigure, widgets.VBox):
        """The map explorer; see :func:`map_explorer`."""

        def __init__(self, years=None):
            years = sorted(years or _steps())
            # The figure carries the controls a mouse uses (slider and naming buttons, in the
            # browser). A labelled menu under it is the keyboard's way to a year (plotly's SVG
            # controls take no focus); the course's naming toggle is the keyboard's naming
            # switch, and the explorer follows it. ``naming`` is a Python path only.
            self.naming = names.naming_toggle()
            self.year = widgets.Dropdown(options=years, value=years[0],
                                         description="Year (keyboard):",
                                         style={"description_width": "initial"})
            self.output = widgets.Output()
            super().__init__([self.output, self.year])
            self.add_class("kuril-map-explorer")
            # the menu and the naming switch also change the figure in the browser (relay.py)
            self.figure_id = relay.new_id()
            self._relays = (self.naming._relay, relay.step_relay(self.figure_id, self.year))
            for r in self._relays:
                r.observe(self._reported, names="shown")
            self.year.observe(self._changed, names="value")
            self.follow_naming(self._changed)
            self.redraw()

        def _spec_for(self, year=None, naming=None):
            spec = explorer_spec(year or self.year.value, naming or names.convention(),
                                 list(self.year.options))
            return relay.mark(spec, names.CONVENTIONS, self.figure_id)

        def redraw(self, *_, year=None, naming=None):
            self.draw(self.output, self._spec_for(year, naming), in_place=False)

        def _changed(self, *_):
            if not relay.live(*self._relays):
                self.redraw()  # no browser runs the relays: the kernel draws
            # else the browser switches the figure and reports it (``_reported``)

        def _reported(self, change):
            """The browser says which figures show a change; redraw this one if it does not."""
            report, options = change["new"], list(self.year.options)
            year, naming, index = self.year.value, names.convention(), report.get("index")
            if report.get("naming") in names.CONVENTIONS:
                naming = report["naming"]
            if isinstance(index, int) and 0 <= index < len(options):
                year = options[index]
            ids = report.get("ids")
            if isinstance(ids, list) and self.figure_id in ids:
                self.record(self.output, self._spec_for(year, naming))
            else:
                self.redraw(year=year, naming=naming)

        def close(self):
            relays = self.__dict__.pop("_relays", None)  # None: closed, or never built
            if relays:
                names.on_change(self.naming._follow, remove=True)
                for r in relays:
                    r.unobserve(self._reported, names="shown")
                relays[1]._link.close()
                relays[1].close()
            super().close()

    return MapExplorer


def __getattr__(name):  # the widget class, defined on first use (ipywidgets loads then)
    if name == "MapExplorer":
        cls = globals().get("_MapExplorer") or _explorer_class()
        globals()["_MapExplorer"] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
