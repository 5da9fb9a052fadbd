"""The settlement designer's map: the four islands coloured by the sovereignty a design gives them.

Built from the same pieces as helpers.maps (coastlines, zone traces, labels, layout in
helpers._mapdraw), so it looks like the other maps and draws offline. Colour and fill pattern
repeat each other, and the legend and hover say the same in words.
"""

import html

import plotly.graph_objects as go

from . import _mapdraw as draw
from . import _rules

# Sovereignty in the design: (colour, fill pattern, legend label). Colours as in helpers.maps.
STYLES = {
    "japan": (draw.COLOURS["japan"], "", "Japan"),
    "russia": (draw.COLOURS["russia"], "/", "Russia"),
    "shared": (draw.COLOURS["joint"], "-", "Shared sovereignty"),
    "deferred": (draw.LAND_DISPUTED, ".", "Left undecided"),
}
OTHER = draw.STYLE["context"]
ADMIN_INK = {
    "japan": draw.CLAIM_INK["japan"],
    "russia": draw.CLAIM_INK["ussr-russia"],
    "joint": "#882255",
}
ADMIN_WORDS = {"japan": "Japan", "russia": "Russia", "joint": "jointly"}
CAPTION = (
    "A design to test against the governments' stated conditions, not an agreed boundary "
    "or the course's proposal."
)


def _hover(island, choices, naming):
    name = html.escape(draw.safe_name(island, naming))
    timing = _rules.value_label("timing", choices["timing"])
    if choices["timing"] == "transition":
        years = choices["transition_years"]
        timing = f"After a transition of {years} years" if years else "After a transition period"
    return (
        f"<b>{name}</b><br>Sovereignty: {html.escape(STYLES[choices['sovereignty']][2])}"
        f"<br>Administered by: {ADMIN_WORDS[choices['administration']]}"
        f"<br>Takes effect: {html.escape(timing)}"
    )


def _expected_admin(sovereignty):
    return {"japan": "japan", "russia": "russia", "shared": "joint"}.get(sovereignty)


def figure(design, naming=None):
    """A plotly Figure of a normalised ``design``."""
    paths = draw.zone_paths()
    traces, used = [], []
    for zone in paths:
        if zone in _rules.ISLANDS:
            choices = design["islands"][zone]
            colour, pattern, label = STYLES[choices["sovereignty"]]
            traces.append(draw.zone_trace(zone, colour, pattern, _hover(zone, choices, naming)))
            if label not in used:
                used.append(label)
        else:
            hover = f"{draw.zone_name(zone, naming)} (not part of the design)"
            traces.append(draw.zone_trace(zone, OTHER[0], OTHER[1], hover))
    for colour, pattern, label in STYLES.values():
        if label in used:
            traces.append(draw.legend_trace(label, colour, pattern))
    traces += _admin_outlines(design, paths)
    hovers = [_hover(i, design["islands"][i], naming) for i in _rules.ISLANDS]
    traces.append(draw.label_trace(list(_rules.ISLANDS), naming, hovers))
    bar, bar_note = draw.scale_bar("disputed", 20)
    traces.append(bar)
    notes = [draw.footnote([CAPTION]), bar_note, draw.credit(draw.CREDIT.split(" Data:")[0])]
    layout = draw.layout("disputed", "Your settlement design", "Sovereignty in this design", notes)
    return go.Figure({"data": traces, "layout": layout}, skip_invalid=False, _validate=False)


def _admin_outlines(design, paths):
    """A dashed outline in the administrator's colour where administration and sovereignty part."""
    out, seen = [], set()
    for island in _rules.ISLANDS:
        c = design["islands"][island]
        if c["administration"] == _expected_admin(c["sovereignty"]):
            continue
        xs, ys = paths[island]
        name = f"Administered by {ADMIN_WORDS[c['administration']]} (dashed outline)"
        out.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "name": name,
                "line": {"color": ADMIN_INK[c["administration"]], "width": 2.5, "dash": "dash"},
                "legendgroup": f"admin-{c['administration']}",
                "showlegend": name not in seen,
                "hoverinfo": "name",
                "meta": f"admin-{island}",
            }
        )
        seen.add(name)
    return out
