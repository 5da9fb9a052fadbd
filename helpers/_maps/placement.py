"""Where each name, the scale bar and the north arrow go on each extent's map.

Names are placed by hand, per extent, because the islands are crowded: a name sits beside its
dot, or out in open sea with a thin leader line back to the dot. Offsets are in pixels, so a
name keeps its distance from its dot at any size; ``tests/test_maps.py`` computes every name's
box at the figure widths in ``frame.FIGURE_WIDTHS`` and checks that no name overlaps another
name, a dot, a boundary line, the scale bar, the north arrow or another island's land.

    PLACES[extent][island] = (dx, dy, xanchor, leader)

``dx``, ``dy``: pixels from the dot to the name's anchor (right and down); ``xanchor``: which
side of the name that anchor is (``left``: the name starts there); ``leader``: draw a line from
the name to the dot. Islands not listed sit just right of their dot.
"""

__all__ = ["PLACES", "POINTS", "SCALE_AT", "NORTH_AT", "place", "point"]

BESIDE = (6, 0, "left", False)
BESIDE_LEFT = (-6, 0, "right", False)

PLACES = {
    "region": {
        # the four islands: a column of names out in the Pacific, south-east of the chain
        "etorofu-iturup": (16, 14, "left", True),
        "kunashiri-kunashir": (61, 7, "left", True),
        "shikotan": (42, 18, "left", True),
        "habomai": (55, 31, "left", True),
        "hokkaido": BESIDE_LEFT,
        # the northern Kurils: names in the Sea of Okhotsk, west of the chain
        "shumshu": (-13, -18, "right", True),
        "paramushir": (-9, 6, "right", False),
        "kamchatka": BESIDE_LEFT,
    },
    "disputed": {
        "etorofu-iturup": BESIDE,
        "kunashiri-kunashir": BESIDE,
        "shikotan": BESIDE,
        "habomai": (15, 32, "left", True),
    },
    "habomai": {
        "habomai-suisho-tanfilyeva": (-11, -35, "center", True),
        "habomai-kaigara-signalny": (13, 48, "left", True),
        "habomai-akiyuri-anuchina": (50, 5, "left", True),
    },
}

# Dots moved from the centroid of an island's largest polygon (lon, lat), per extent ("all": on
# every map): where the centroid is off the island or outside the map (Hokkaido on close-ups).
POINTS = {
    "all": {"sakhalin": (142.4, 48.4)},  # the centroid falls in Terpeniya Bay
    "disputed": {"hokkaido": (145.1, 43.3)},
    "habomai": {"hokkaido": (145.63, 43.335)},
}

SCALE_AT = {  # the left end of the scale bar (lon, lat), in open sea
    "region": (155.0, 41.6),
    "disputed": (148.2, 43.2),
    "habomai": (146.45, 43.26),
}
NORTH_AT = {  # the tip of the north arrow (lon, lat), in open sea
    "region": (148.5, 53.8),
    "disputed": (145.3, 45.7),
    "habomai": (146.85, 43.6),
}


def place(extent, island_id):
    """(dx, dy, xanchor, leader) for ``island_id``'s name on a map of ``extent``."""
    return PLACES.get(extent, {}).get(island_id, BESIDE)


def point(extent, island_id):
    """Where ``island_id``'s dot goes on a map of ``extent`` if not at its centroid, else None."""
    return POINTS.get(extent, {}).get(island_id) or POINTS["all"].get(island_id)
