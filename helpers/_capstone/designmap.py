"""The settlement designer's map: the four islands coloured by the sovereignty a design gives them.

Built from the same layers as helpers.maps (``helpers._maps.layers``), so it looks like the
other maps and draws offline. Colour and fill pattern repeat each other, and the legend and hover
say the same in words.
"""

import html

from .._common import figures
from .._maps import draw, layers
from . import rules

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
    timing = rules.value_label("timing", choices["timing"])
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


def spec(design, naming=None):
    """The figure dict of a normalised ``design`` (see ``helpers._maps.layers``)."""
    fills, hovers, used = {}, {}, {}
    for zone in draw.zone_paths("disputed"):
        if zone in rules.ISLANDS:
            choices = design["islands"][zone]
            colour, pattern, label = STYLES[choices["sovereignty"]]
            fills[zone], hovers[zone] = (colour, pattern), _hover(zone, choices, naming)
            used[label] = (colour, pattern)
        else:
            fills[zone] = OTHER
            hovers[zone] = f"{draw.zone_name(zone, naming)} (not part of the design)"
    # Every design draws the same traces with the same geometry and the same size, so a change
    # of design is a restyle in the browser (helpers/_common/explorers.py), of attributes
    # plotly redraws without recomputing the figure (tests/test_relay.py).
    land = layers.land(fills, hovers, "disputed")
    admins = _outline_borders(land, design)
    legend = _legend(layers.legend({label: (c, p) for c, p, label in STYLES.values()}), used)
    admin_legend = _legend(_admin_legend(), {_admin_name(a) for a in admins})
    stack = [
        land, legend, admin_legend,
        layers.labels(rules.ISLANDS, naming,
                      [html.escape(draw.safe_name(i, naming)) for i in rules.ISLANDS],
                      "disputed"),
        layers.scale("disputed", 20),
        layers.north("disputed"),
    ]
    # room for every legend entry a design can show
    rows = layers.legend_rows([{**t, "showlegend": True} for t in legend.traces
                               + admin_legend.traces])
    return layers.spec(stack, "disputed", "Your settlement design", "Sovereignty in this design",
                       [CAPTION], draw.CREDIT.split(" Data:")[0], rows=rows)


def figure(design, naming=None):
    """A plotly Figure of a normalised ``design``."""
    return figures.figure(spec(design, naming))


def _outline_borders(land, design):
    """A dashed border in the administrator's colour round each island whose administration
    and sovereignty part; the administrators so shown."""
    admins = set()
    for t in land.traces:
        c = design["islands"].get(t["meta"]) if t["meta"] in rules.ISLANDS else None
        if c and c["administration"] != _expected_admin(c["sovereignty"]):
            admins.add(c["administration"])
            t["line"] = {"color": ADMIN_INK[c["administration"]], "width": 2.5, "dash": "dash"}
    return admins


def _legend(layer, shown):
    """``layer``'s entries listed in the legend only for the names in ``shown``; an entry not
    listed keeps only what a restyle cannot cheaply change (the rest is sent when it shows),
    so a saved map is no bigger for the entries its design does not use."""
    keep = ("type", "x", "y", "mode", "fill", "name", "legendgroup", "meta", "showlegend",
            "hoverinfo")
    traces = []
    for t in layer.traces:
        t = {**t, "showlegend": t["name"] in shown}
        t.pop("visible", None)
        traces.append(t if t["showlegend"] else {k: t[k] for k in keep if k in t})
    return layer._replace(traces=traces)


def _admin_name(admin):
    words = "jointly" if admin == "joint" else f"by {ADMIN_WORDS[admin]}"
    return f"Administered {words} (dashed outline)"


def _admin_legend():
    """One legend entry per administrator: a dashed line in its colour."""
    return layers.Layer("outlines", [{
        "type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": _admin_name(admin),
        "line": {"color": ink, "width": 2.5, "dash": "dash"}, "legendgroup": f"admin-{admin}",
        "meta": f"admin-{admin}",
    } for admin, ink in ADMIN_INK.items()])
