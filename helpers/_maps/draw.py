"""Figure pieces for the maps: land as filled ``go.Scatter`` traces on plain lon/lat axes.

No trace type or layout here fetches anything: no geo base map, no ``locationmode``, no tiles, so a
map draws offline (in JupyterLab, Voila, a static HTML export). Colours are Okabe–Ito and every
colour has a second cue: a fill pattern, a legend entry and the hover text.
"""

import html
import math
import textwrap

from .. import data, names
from .._common import cache
from .._common.figures import NO_THEME
from . import geo

# Okabe–Ito colours for who administered a zone; the fill pattern repeats it without colour
# (solid Japan, hatched Russia/USSR, crossed where Japan disputes it, lines for undivided Sakhalin).
COLOURS = {"japan": "#E69F00", "russia": "#56B4E9", "ussr": "#56B4E9", "joint": "#CC79A7"}
PATTERNS = {
    ("japan", "sovereign"): "",
    ("japan", "occupation"): "|",
    ("russia", "sovereign"): "/",
    ("ussr", "sovereign"): "/",
    ("ussr", "occupation"): "\\",
    ("russia", "occupation"): "\\",
    ("ussr", "disputed"): "x",
    ("russia", "disputed"): "x",
    ("japan", "disputed"): "+",
    ("joint", "joint"): "-",
}
STYLE = {"none": ("#BBBBBB", "."), "context": ("#E4E4E4", "")}
CLAIM_INK = {"japan": "#D55E00", "ussr-russia": "#0072B2"}  # darker kin of the fill colours


def style(row):
    """(colour, pattern) for a control.csv row."""
    admin = row["administered_by"]
    return COLOURS[admin], PATTERNS.get((admin, row["status"]), "/")


PATTERN_INK = "#1F4E79"
LAND_NEUTRAL = "#D9CDB4"  # region map: all land one colour...
LAND_DISPUTED = "#F0E442"  # ...and the four disputed islands marked
SEA = "#F2F7FB"
INK = "#222222"
LINE_STYLE = {  # boundary kind: colour, dash, width
    "treaty": ("#000000", "dash", 2),
    "control": ("#D55E00", "dashdot", 2.5),
    "claim": ("#009E73", "dot", 3),
}
EXTENTS = {
    "region": ((139.0, 158.0), (41.0, 55.0)),
    "disputed": ((144.9, 149.7), (43.0, 46.0)),
    "habomai": ((145.55, 146.95), (43.22, 43.92)),
}
SCALE_KM = {"region": 100, "disputed": 20, "habomai": 5}
SCALE_RATIO = 1 / math.cos(math.radians(47))

ZONE_NAMES = {  # generic geography, for hover on zones that have no single island name
    "kurils-urup-to-shumshu": "Kuril Islands from Urup to Shumshu",
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

# label placement for the islands the region map names (others keep "middle right")
TEXT_POSITION = {
    "habomai": "bottom right",
    "shikotan": "middle right",
    "kunashiri-kunashir": "top left",
    "hokkaido": "middle center",
    "sakhalin": "middle center",
    "kamchatka": "middle left",
    "etorofu-iturup": "middle right",
    "shumshu": "middle left",
    "paramushir": "middle left",
    "habomai-suisho-tanfilyeva": "top left",
    "habomai-kaigara-signalny": "bottom left",
    "habomai-yuri": "bottom center",
    "habomai-akiyuri-anuchina": "bottom right",
    "habomai-shibotsu-zelyony": "top center",
    "habomai-taraku-polonskogo": "top center",
}


@cache.cached
def _zones_cached(key):
    """{zone: (xs, ys)}: every feature of a zone in one path, polygons separated by None."""
    out = {}
    for f in geo.islands_geojson()["features"]:
        xs, ys = out.setdefault(f["properties"]["zone"], ([], []))
        for rings in geo.polygons(f["geometry"]):
            ring = rings[0]
            if xs:
                xs.append(None)
                ys.append(None)
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
    return out


def zone_paths():
    return _zones_cached(geo._key())


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
    """Label point of an island group: the mean of its members' points."""
    pts = [v[2] for v in features().values() if v[1] == group]
    return (
        round(sum(p[0] for p in pts) / len(pts), 3),
        round(sum(p[1] for p in pts) / len(pts), 3),
    )


def island_table():
    """islands.csv as {id: row dict}; empty if the file is not there yet or has problems."""
    return data.records("islands")


def zone_name(zone, naming):
    if zone in geo.ZONES[:4]:
        return safe_name(zone, naming)
    return ZONE_NAMES.get(zone, zone)


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


def zone_trace(zone, fill, pattern, hover):
    xs, ys = zone_paths()[zone]
    # Sakhalin is two zones cut at 50°N: no outline, or the cut would look like a border
    width = 0 if zone.startswith("sakhalin") else 0.6
    t = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "fill": "toself",
        "fillcolor": fill,
        "line": {"color": "#555555", "width": width},
        "hoveron": "fills",
        "hoverinfo": "text",
        "text": hover,
        "showlegend": False,
        "meta": zone,
        "name": zone,
    }
    t["fillpattern"] = pattern_style(fill, pattern)
    return t


def pattern_style(fill, pattern):
    # bgcolor explicit: without it plotly.js draws the hatch on white, losing the colour cue
    return {"shape": pattern, "bgcolor": fill, "fgcolor": PATTERN_INK, "size": 6, "solidity": 0.2}


def legend_trace(name, fill, pattern, visible=True, group="held"):
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "lines",
        "fill": "toself",
        "fillcolor": fill,
        "line": {"color": "#555555", "width": 0.6},
        "name": name,
        "fillpattern": pattern_style(fill, pattern),
        "legendgroup": group,
        "hoverinfo": "skip",
        "visible": visible,
    }


def line_trace(feature, visible=True):
    p = feature["properties"]
    colour, dash, width = LINE_STYLE.get(p.get("kind"), LINE_STYLE["treaty"])
    xs, ys = zip(*feature["geometry"]["coordinates"], strict=False)
    return {
        "type": "scatter",
        "x": list(xs),
        "y": list(ys),
        "mode": "lines",
        "line": {"color": colour, "dash": dash, "width": width},
        "name": f"{p['label']} (schematic)",
        "meta": p["id"],
        "legendgroup": "lines",
        "hoverinfo": "name",
        "visible": visible,
    }


def label_trace(ids, naming, hover, positions=None):
    pts = [label_point(i) for i in ids]
    return {
        "type": "scatter",
        "x": [p[0] for p in pts],
        "y": [p[1] for p in pts],
        "ids": list(ids),
        "mode": "markers+text",
        "text": [safe_name(i, naming) for i in ids],
        "textposition": [(positions or TEXT_POSITION).get(i, "middle right") for i in ids],
        "textfont": {"color": INK, "size": 12},
        "marker": {"size": 5, "color": INK, "symbol": "circle"},
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "showlegend": False,
        "meta": "labels",
        "name": "labels",
    }


def label_point(island_id):
    feats = features()
    if island_id in feats:
        return feats[island_id][2]
    if any(v[1] == island_id for v in feats.values()):
        return group_point(island_id)
    raise ValueError(f"island {island_id!r} has no shape in data/geo/islands.geojson")


def scale_bar(extent, km):
    """A scale bar of ``km`` at the lower left, its length measured with haversine."""
    (x0, x1), (y0, y1) = EXTENTS[extent]
    lon, lat = x0 + 0.04 * (x1 - x0), y0 + 0.05 * (y1 - y0)
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
        "showarrow": False,
        "yshift": 10,
        "font": {"color": INK, "size": 11},
    }
    return trace, note


def layout(extent, title, legend_title="", annotations=()):
    (x0, x1), (y0, y1) = EXTENTS[extent]
    axis = {
        "showgrid": True,
        "gridcolor": "#DDE6EE",
        "zeroline": False,
        "color": "#555555",
        "constrain": "domain",
    }
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 16}},
        # the map keeps the left part; the legend sits beside it, never over the islands
        "xaxis": {**axis, "range": [x0, x1], "ticksuffix": "°E", "domain": [0, 0.64]},
        "yaxis": {
            **axis,
            "range": [y0, y1],
            "ticksuffix": "°N",
            "scaleanchor": "x",
            "scaleratio": SCALE_RATIO,
        },
        # no theme (colours set here keep the map legible in JupyterLab dark mode too)
        "template": NO_THEME,
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": SEA,
        "font": {"color": INK, "family": "Arial, 'Noto Sans', 'Noto Sans CJK JP', sans-serif"},
        "height": 660,
        "margin": {"l": 50, "r": 10, "t": 50, "b": 120},
        "legend": {
            "title": {"text": legend_title},
            "bgcolor": "#FFFFFF",
            "x": 0.66,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 11},
        },
        "hoverlabel": {"bgcolor": "#FFFFFF", "font": {"color": INK}},
        "annotations": list(annotations),
    }


def footnote_text(lines):
    return "<br>".join(wrap(line) for line in lines if line)


def footnote(lines):
    """The caption under the map: always annotations[0], so a slider step can replace it."""
    return {
        "text": footnote_text(lines),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": -0.07,
        "xanchor": "left",
        "yanchor": "top",
        "showarrow": False,
        "align": "left",
        "font": {"size": 12, "color": INK},
    }


def credit(text=CREDIT):
    """Sources of the map, in small type at the foot of the legend column."""
    return {
        "text": wrap(text, 48),
        "xref": "paper",
        "yref": "paper",
        "x": 0.66,
        "y": 0,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "align": "left",
        "font": {"size": 10, "color": "#555555"},
    }


def wrap(text, width=110):
    return "<br>".join(textwrap.wrap(html.escape(text), width))
