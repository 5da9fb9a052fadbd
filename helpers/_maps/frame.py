"""Where everything sits on a map figure, in pixels, so the map never shrinks to make room.

A map figure is a column: the title, the map (its plot area has a fixed height per extent; the
map keeps its true shape inside it and hugs the left edge), then under the map whatever the map
carries (a year slider), the key (legend), the caption and the credit. Plotly is told not to
grow the margins (``margin.autoexpand``), so a legend or caption of any length can never squeeze
the map, and a slider's steps cannot move it.

Widths: a figure takes the width of the notebook. At 1024 px with JupyterLab's file browser open
that is about 590 px; the map's height is chosen so that the map is then limited by its height,
not its width, and so is drawn at the same size at every wider width too (``FIGURE_WIDTHS``).
"""

import math
import textwrap

__all__ = ["EXTENTS", "PLOT_HEIGHT", "FIGURE_WIDTHS", "aspect", "scale", "map_size", "Column",
           "text_width", "wrap_lines"]

EXTENTS = {
    "region": ((139.0, 158.0), (41.0, 55.0)),
    "disputed": ((144.9, 149.7), (43.0, 46.0)),
    "habomai": ((145.55, 146.95), (43.22, 43.92)),
}
PLOT_HEIGHT = {"region": 480, "disputed": 440, "habomai": 350}
MARGIN = {"l": 50, "r": 16}
# figure widths the maps are laid out for: 1024 px with the file browser open, 1280 px with it
# open, and a wide screen
FIGURE_WIDTHS = (588, 844, 1500)

TITLE_SIZE, CAPTION_SIZE, LEGEND_SIZE, CREDIT_SIZE, LABEL_SIZE = 16, 12, 11, 10, 12
LINE = 1.3  # plotly's line spacing (font size times this)
TICKS = 28  # the axis tick labels under the map
LEGEND_ROW, LEGEND_PAD, LEGEND_GROUP_GAP = 19, 6, 4
GAP = 10
# characters per line: fits the narrowest figure (588 px less the margins) in each font size
TITLE_WRAP, CAPTION_WRAP, CREDIT_WRAP = 54, 80, 100
CHAR_WIDTH = 0.58  # average glyph width of the sans-serif fonts, as a fraction of the font size


def aspect(extent):
    """Degrees of latitude are drawn this many times longer than degrees of longitude (the
    cosine of the extent's middle latitude), so shapes and distances look right."""
    (_, _), (y0, y1) = EXTENTS[extent]
    return 1 / math.cos(math.radians((y0 + y1) / 2))


def scale(extent, width=FIGURE_WIDTHS[0]):
    """Pixels per degree of longitude on a figure ``width`` px wide."""
    (x0, x1), (y0, y1) = EXTENTS[extent]
    plot_w = width - MARGIN["l"] - MARGIN["r"]
    return min(plot_w / (x1 - x0), PLOT_HEIGHT[extent] / ((y1 - y0) * aspect(extent)))


def map_size(extent, width=FIGURE_WIDTHS[0]):
    """(width, height) in px of the drawn map."""
    (x0, x1), (y0, y1) = EXTENTS[extent]
    s = scale(extent, width)
    return (x1 - x0) * s, (y1 - y0) * s * aspect(extent)


def text_width(text, size):
    """Approximate width in px of one line of ``text`` in a font of ``size`` px."""
    return len(text) * size * CHAR_WIDTH


def wrap_lines(text, width):
    return textwrap.wrap(text, width) or ([text] if text else [])


class Column:
    """The blocks under the map, top to bottom, each at a known distance from the map's foot.

        col = Column("region")
        y = col.add(60)            # a block 60 px high: its top, in paper units (negative)
        col.bottom                 # the bottom margin they all need
    """

    def __init__(self, extent, title_lines=1):
        self.extent = extent
        self.top = 12 + math.ceil(title_lines * TITLE_SIZE * LINE) + 14
        # plotly puts a title's first line at ``y`` and centres the rest on it: the y that puts
        # the top of the title 12 px under the figure's top
        self.title_y = 20 + (title_lines - 1) * TITLE_SIZE * LINE / 2
        self.used = TICKS

    def add(self, height, gap=GAP):
        """Reserve ``height`` px; returns the block's top as a paper y coordinate."""
        at = self.used + (gap if self.used > TICKS else 0)
        self.used = at + height
        return round(-at / PLOT_HEIGHT[self.extent], 5)

    @property
    def bottom(self):
        return self.used + GAP

    @property
    def height(self):
        return self.top + PLOT_HEIGHT[self.extent] + self.bottom


def legend_height(rows, groups=1, title=True):
    if not rows:
        return 0
    return (LEGEND_PAD * 2 + LEGEND_ROW * (rows + (1 if title else 0))
            + LEGEND_GROUP_GAP * max(0, groups - 1))


def lines_height(lines, size):
    return math.ceil(lines * size * LINE) + 4
