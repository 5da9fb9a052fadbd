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
    legend = {label: (c, p) for c, p, label in STYLES.values() if label in used}
    stack = [
        layers.land(fills, hovers, "disputed"),
        layers.legend(legend),
        _admin_outlines(design),
        layers.labels(rules.ISLANDS, naming,
                      [_hover(i, design["islands"][i], naming) for i in rules.ISLANDS], "disputed"),
        layers.scale("disputed", 20),
        layers.north("disputed"),
    ]
    return layers.spec(stack, "disputed", "Your settlement design", "Sovereignty in this design",
                       [CAPTION], draw.CREDIT.split(" Data:")[0])


def figure(design, naming=None):
    """A plotly Figure of a normalised ``design``."""
    return figures.figure(spec(design, naming))


def _admin_outlines(design):
    """A dashed outline in the administrator's colour where administration and sovereignty part."""
    items = []
    for island in rules.ISLANDS:
        c = design["islands"][island]
        if c["administration"] != _expected_admin(c["sovereignty"]):
            admin = c["administration"]
            items.append((island, f"Administered by {ADMIN_WORDS[admin]} (dashed outline)",
                          ADMIN_INK[admin], f"admin-{admin}", f"admin-{island}"))
    return layers.outlines(items, "disputed")
