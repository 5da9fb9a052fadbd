"""Figure pieces for the maps: land as filled ``go.Scatter`` traces on plain lon/lat axes.

No trace type or layout here fetches anything: no geo base map, no ``locationmode``, no tiles, so a
map draws offline (in JupyterLab, Voila, a static HTML export). Colours are Okabe–Ito and every
colour has a second cue: a fill pattern, a legend entry and the hover text.
"""

import html

from .. import data, names
from .._common import cache
from . import frame, geo, placement, shapes
from .frame import EXTENTS

# Okabe–Ito colours for who administered a zone. Status changes the lightness (a pale tint under
# military occupation, the dark blue where Japan disputes Soviet or Russian sovereignty), so
# categories of one map differ at a glance, in any kind of colour vision; the fill pattern says it
# again without colour (solid Japan, hatched Russia/USSR, crossed where Japan disputes it, lines
# for undivided Sakhalin).
COLOURS = {"japan": "#E69F00", "russia": "#56B4E9", "ussr": "#56B4E9", "joint": "#CC79A7"}
FILLS = {  # (administered_by, status): (colour, pattern)
    ("japan", "sovereign"): ("#E69F00", ""),
    ("japan", "occupation"): ("#F3CF80", "|"),  # a pale tint of the orange
    ("japan", "disputed"): ("#D55E00", "+"),
    ("russia", "sovereign"): ("#56B4E9", "/"),
    ("ussr", "sovereign"): ("#56B4E9", "/"),
    ("ussr", "occupation"): ("#BBE1F6", "\\"),  # a pale tint of the sky blue
    ("russia", "occupation"): ("#BBE1F6", "\\"),
    ("ussr", "disputed"): ("#0072B2", "x"),  # Okabe–Ito's dark blue
    ("russia", "disputed"): ("#0072B2", "x"),
    ("joint", "joint"): ("#CC79A7", "-"),
}
PATTERNS = {key: pattern for key, (_, pattern) in FILLS.items()}
STYLE = {"none": ("#BBBBBB", "."), "context": ("#E4E4E4", "")}
CLAIM_INK = {"japan": "#D55E00", "ussr-russia": "#0072B2"}  # darker kin of the fill colours


def style(row):
    """(colour, pattern) for a control.csv row."""
    admin = row["administered_by"]
    return FILLS.get((admin, row["status"]), (COLOURS[admin], "/"))


LAND_NEUTRAL = "#D9CDB4"  # region map: all land one colour...
LAND_DISPUTED = "#F0E442"  # ...and the four disputed islands marked
SEA = "#F2F7FB"
INK = "#222222"
LINE_STYLE = {  # boundary kind: colour, dash, width
    "treaty": ("#000000", "dash", 2),
    "control": ("#D55E00", "dashdot", 2.5),
    "claim": ("#009E73", "dot", 3),
}
SCALE_KM = {"region": 100, "disputed": 20, "habomai": 5}

ZONE_NAMES = {  # generic geography, for hover on zones that have no single island name
    "kurils-urup-to-shumshu": "Kuril Islands from {island:urup} to {island:shumshu}",
    "sakhalin-south": "Sakhalin south of the 50th parallel",
    "sakhalin-north": "Sakhalin north of the 50th parallel",
    "hokkaido": "Hokkaido and nearby islands",
    "kamchatka": "Kamchatka",
    "context": "Honshu and the Asian mainland (outside the course's scope)",
}
NO_TREATY_LABEL = "No agreed boundary yet (before 1855)"
CREDIT = (
    "Coastlines: GSHHG (Wessel & Smith), LGPL-3.0-or-later. Boundary lines are schematic. "
    "Data: data/geo/control.csv"
)

@cache.cached
def _zones_cached(key, extent):
    """{zone: (xs, ys)}: every feature of a zone in one path, polygons separated by None, cut to
    ``extent`` and simplified to its scale (``shapes.fit``). Zones outside it have empty paths."""
    (x0, x1), (y0, y1) = EXTENTS[extent]
    mx, my = 0.03 * (x1 - x0), 0.03 * (y1 - y0)
    box = ((x0 - mx, x1 + mx), (y0 - my, y1 + my))
    px = frame.scale(extent)  # px per degree of longitude
    asp = frame.aspect(extent)
    digits = 2 if px < 60 else 3
    out = {}
    for f in geo.islands_geojson()["features"]:
        zone = f["properties"]["zone"]
        xs, ys = out.setdefault(zone, ([], []))
        for rings in geo.polygons(f["geometry"]):
            ring = shapes.fit(rings[0], box, 1.3 / px, asp, digits)
            if not ring:
                continue
            w, h = shapes.bbox_px(ring, px, px * asp)
            if max(w, h) < 1.5 and zone not in geo.ZONES[:4]:
                continue  # a rock too small to see at this scale
            if xs:
                xs.append(None)
                ys.append(None)
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
    return out


def zone_paths(extent="region"):
    """{zone: (xs, ys)} as drawn on a map of ``extent`` (see ``_zones_cached``)."""
    return _zones_cached(geo._key(), extent)


@cache.cached
def _features_cached(key):
    """{feature id: (zone, group, label point, area of the simplified shape)}."""
    out = {}
    for f in geo.islands_geojson()["features"]:
        p = f["properties"]
        polys = geo.polygons(f["geometry"])
        biggest = max(polys, key=lambda rings: geo.ring_area_km2(rings[0]))
        out.setdefault(p["id"], (p["zone"], p["group"], _centroid(biggest[0]), p["area_km2_full"]))
    return out


def features():
    return _features_cached(geo._key())


def _centroid(ring):
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        c = x1 * y2 - x2 * y1
        a += c
        cx += (x1 + x2) * c
        cy += (y1 + y2) * c
    if abs(a) < 1e-12:
        return ring[0][0], ring[0][1]
    return round(cx / (3 * a), 3), round(cy / (3 * a), 3)


def group_point(group):
    """Label point of an island group: its largest member's (so the dot is on land)."""
    members = [v for v in features().values() if v[1] == group]
    return max(members, key=lambda v: v[3])[2]


def island_table():
    """islands.csv as {id: row dict}; empty if the file is not there yet or has problems."""
    return data.records("islands")


def zone_name(zone, naming):
    if zone in geo.ZONES[:4]:
        return safe_name(zone, naming)
    return names.render(ZONE_NAMES.get(zone, zone), naming)


def safe_name(island_id, naming):
    """The island's display name, or the English name in the GeoJSON if islands.csv lacks it."""
    try:
        return names.island_name(island_id, naming)
    except (ValueError, data.DataError):
        for f in geo.islands_geojson()["features"]:
            if f["properties"]["id"] == island_id:
                return f["properties"]["name_en"] or island_id
        return island_id


# ---------------------------------------------------------------- traces (plain dicts: fast)


def zone_trace(zone, fill, pattern, hover, extent="region"):
    xs, ys = zone_paths(extent)[zone]
    t = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "fill": "toself",
        "fillcolor": fill,
        "hoveron": "fills",
        "hoverinfo": "text",
        "hovertext": hover,  # not ``text``: plotly restyles hovertext without recomputing
        "showlegend": False,
        "meta": zone,
        "name": zone,
    }
    t["fillpattern"] = pattern_style(fill, pattern)
    if zone.startswith("sakhalin"):  # two zones cut at 50°N: no outline, or the cut would look
        t["line"] = {"width": 0}     # like a border (others: COAST, from the template)
    return t


def pattern_style(fill, pattern):
    # the rest of the pattern's style is in the figure's template (PATTERN, MAP_TEMPLATE)
    return {"shape": pattern}


# "overlay": plotly.js draws the hatch over the trace's own fillcolor, in a colour that contrasts
# with it (dark on light fills, white on the dark blue), so a slider step that changes fillcolor
# changes the hatch's background and ink with it
PATTERN = {"fillmode": "overlay", "size": 6, "solidity": 0.2}


def legend_trace(name, fill, pattern, visible=True, group="held"):
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "lines",
        "fill": "toself",
        "fillcolor": fill,
        "name": name,
        "fillpattern": pattern_style(fill, pattern),
        "legendgroup": group,
        "hoverinfo": "skip",
        "visible": visible,
    }


def line_trace(feature, visible=True, naming=None):
    p = feature["properties"]
    colour, dash, width = LINE_STYLE.get(p.get("kind"), LINE_STYLE["treaty"])
    xs, ys = zip(*feature["geometry"]["coordinates"], strict=False)
    return {
        "type": "scatter",
        "x": list(xs),
        "y": list(ys),
        "mode": "lines",
        "line": {"color": colour, "dash": dash, "width": width},
        "name": line_name(p, naming),
        "meta": p["id"],
        "legendgroup": "lines",
        "hoverinfo": "name",
        "visible": visible,
    }


def line_name(properties, naming=None):
    """A boundary line's legend name, its island names in ``naming``."""
    return f"{names.render(properties['label'], naming)} (schematic)"


def label_trace(ids, naming, hover, extent="region"):
    """A dot on each island of ``ids`` (hover: ``hover``); the names are ``label_note``s."""
    pts = [label_point(i, extent) for i in ids]
    return {
        "type": "scatter",
        "x": [p[0] for p in pts],
        "y": [p[1] for p in pts],
        "ids": list(ids),
        "mode": "markers",
        "text": [safe_name(i, naming) for i in ids],
        "marker": {"size": MARKER_SIZE, "color": INK, "symbol": "circle"},
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "showlegend": False,
        "meta": "labels",
        "name": "labels",
    }


MARKER_SIZE = 5
LABEL_BG = "rgba(255,255,255,0.8)"  # a light box: a name stays legible over a hatched fill


# What every annotation on a map is unless it says otherwise: an island's name (set once in the
# figure's template, not repeated in each of them)
LABEL_STYLE = {
    "showarrow": False, "yanchor": "middle", "align": "left", "borderpad": 1,
    "font": {"color": INK, "size": frame.LABEL_SIZE}, "bgcolor": LABEL_BG,
    "arrowhead": 0, "arrowwidth": 1, "arrowcolor": "#444444", "standoff": MARKER_SIZE / 2 + 1,
}
# Every trace's line, unless it says otherwise: the coast of a zone (and its legend swatch)
COAST = {"color": "#555555", "width": 0.6}
MAP_TEMPLATE = {"data": {"scatter": [{"type": "scatter", "fillpattern": PATTERN, "line": COAST}]},
                "layout": {"annotationdefaults": LABEL_STYLE}}


def label_note(island_id, text, extent):
    """The name beside an island's dot: an annotation placed as ``placement.PLACES`` says (beside
    the dot, or further out with a thin leader line to it). Its style is ``LABEL_STYLE``."""
    lon, lat = label_point(island_id, extent)
    dx, dy, xanchor, leader = placement.place(extent, island_id)
    note = {"x": lon, "y": lat, "text": html.escape(text), "name": f"label:{island_id}",
            "xanchor": xanchor}
    if leader:
        note.update(showarrow=True, ax=dx, ay=dy)
    else:
        note.update(xshift=dx, yshift=-dy)
    return note


def label_point(island_id, extent="region"):
    """Where an island's dot goes: the centroid of its largest polygon (of a group: the mean of
    its members'), unless ``placement.POINTS`` moves it on this extent's map."""
    moved = placement.point(extent, island_id)
    feats = features()
    if island_id in feats:
        return moved or feats[island_id][2]
    if any(v[1] == island_id for v in feats.values()):
        return moved or group_point(island_id)
    raise ValueError(f"island {island_id!r} has no shape in data/geo/islands.geojson")


def scale_bar(extent, km):
    """A scale bar of ``km`` (its length measured with haversine) where ``placement`` puts it."""
    lon, lat = placement.SCALE_AT[extent]
    dlon = km / geo.haversine_km(lon, lat, lon + 1, lat)
    trace = {
        "type": "scatter",
        "x": [lon, lon + dlon],
        "y": [lat, lat],
        "mode": "lines",
        "line": {"color": INK, "width": 3},
        "hoverinfo": "skip",
        "showlegend": False,
        "meta": "scale",
        "name": "scale",
    }
    note = {
        "x": lon + dlon / 2,
        "y": lat,
        "text": f"{km:g} km",
        "name": "scale",
        "showarrow": False,
        "yshift": 10,
        "font": {"color": INK, "size": 11},
        "bgcolor": LABEL_BG,
    }
    return trace, note


def north_arrow(extent):
    """An arrow pointing north with an N above it (on these lon/lat axes north is straight up)."""
    lon, lat = placement.NORTH_AT[extent]
    arrow = {
        "x": lon, "y": lat, "text": "", "name": "north-arrow", "showarrow": True,
        "ax": 0, "ay": NORTH_ARROW_PX, "axref": "pixel", "ayref": "pixel",
        "arrowhead": 2, "arrowsize": 1.3, "arrowwidth": 2.5, "arrowcolor": INK,
        "hovertext": "North", "captureevents": False,
    }
    letter = {
        "x": lon, "y": lat, "text": "<b>N</b>", "name": "north", "showarrow": False,
        "yanchor": "bottom", "yshift": 2, "font": {"color": INK, "size": 13},
    }
    return [arrow, letter]


NORTH_ARROW_PX = 26


def layout(extent, title_lines, legend_title, annotations, col, legend_y):
    """The layout of a map of ``extent``: ``col`` (a ``frame.Column``) says where the blocks under
    the map go and how tall the figure is; the legend's top is ``legend_y`` (paper units)."""
    (x0, x1), (y0, y1) = EXTENTS[extent]
    axis = {
        "showgrid": True,
        "gridcolor": "#DDE6EE",
        "zeroline": False,
        "color": "#555555",
        "constrain": "domain",
        "fixedrange": False,
    }
    return {
        "title": {"text": "<br>".join(html.escape(t) for t in title_lines),
                  "x": 0, "xref": "paper", "xanchor": "left",
                  "y": 1 - col.title_y / col.height, "yref": "container", "yanchor": "top",
                  "font": {"size": frame.TITLE_SIZE}},
        # the map takes the whole width it needs and hugs the left edge, as the blocks under it do
        "xaxis": {**axis, "range": [x0, x1], "ticksuffix": "°E", "domain": [0, 1],
                  "constraintoward": "left"},
        "yaxis": {
            **axis,
            "range": [y0, y1],
            "ticksuffix": "°N",
            "scaleanchor": "x",
            "scaleratio": round(frame.aspect(extent), 4),
            "constraintoward": "top",
        },
        # no theme (colours set here keep the map legible in JupyterLab dark mode too)
        "template": MAP_TEMPLATE,
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": SEA,
        "font": {"color": INK, "family": "Arial, 'Noto Sans', 'Noto Sans CJK JP', sans-serif"},
        "height": col.height,
        # fixed margins: nothing under the map (legend, caption, slider) can push into it
        "margin": {**frame.MARGIN, "t": col.top, "b": col.bottom, "autoexpand": False},
        "legend": {
            "title": {"text": legend_title},
            "bgcolor": "#FFFFFF",
            "orientation": "v",
            "x": 0,
            "y": legend_y,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": frame.LEGEND_SIZE},
            "tracegroupgap": frame.LEGEND_GROUP_GAP,
        },
        "hoverlabel": {"bgcolor": "#FFFFFF", "font": {"color": INK}, "namelength": -1},
        "annotations": list(annotations),
    }


def footnote_lines(lines, width=frame.CAPTION_WRAP):
    """The caption's lines, each wrapped to the narrowest figure."""
    return [part for line in lines if line for part in frame.wrap_lines(html.escape(line), width)]


def footnote_text(lines):
    return "<br>".join(footnote_lines(lines))


def footnote(lines, y=-0.1):
    """The caption under the map: always annotations[0] (``caption_shape`` makes it a shape's
    label where a slider step rewrites it)."""
    return {
        "text": footnote_text(lines),
        "name": "caption",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": y,
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "align": "left",
        "font": {"size": frame.CAPTION_SIZE, "color": INK},
    }


# A caption that a slider step rewrites is the label of an empty shape, not an annotation: plotly
# recomputes the whole figure when an annotation's text changes, and redraws only the shape when
# a shape's label does. Its style, in the figure's template (``shapedefaults``):
CAPTION_SHAPE = {
    "type": "rect", "xref": "paper", "yref": "paper", "x0": 0, "x1": 0, "line": {"width": 0},
    "label": {"textposition": "top left", "padding": 0,
              "font": {"size": frame.CAPTION_SIZE, "color": INK}},
}


HIDDEN_INK = "rgba(0,0,0,0)"  # a caption drawn for another naming (a shape's opacity leaves
# its label shown; the label's colour is restyled without recomputing the figure too)


def caption_shape(note):
    """The caption annotation ``note`` (``footnote``) as a shape's label at the same place; a
    note of opacity 0 is written in ``HIDDEN_INK``."""
    shape = {"name": note["name"], "y0": note["y"], "y1": note["y"],
             "label": {"text": note["text"]}}
    if "opacity" in note:
        shape["label"]["font"] = {"color": caption_ink(note["opacity"])}
    return shape


def caption_ink(shown):
    return INK if shown else HIDDEN_INK


def credit(text=CREDIT, y=-0.2):
    """Sources of the map, in small type under the caption."""
    return {
        "text": wrap(text, frame.CREDIT_WRAP),
        "name": "credit",
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": y,
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "align": "left",
        "font": {"size": frame.CREDIT_SIZE, "color": "#555555"},
    }


def wrap(text, width=frame.CAPTION_WRAP):
    return "<br>".join(frame.wrap_lines(html.escape(text), width))
