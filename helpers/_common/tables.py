"""Tables a person reads: the text alternatives of the maps (``text=True``) and
``data.islands(readable=True)``.

pandas shows a table for analysis: long texts cut at 50 characters with "…", whole numbers read
from a column with gaps as ``3168.0`` and ``2016.0``, gaps as ``NaN`` or ``<NA>``. A screen-reader
user hears exactly that. A :class:`ReadableFrame` is an ordinary DataFrame (same columns, same
values, every pandas operation works and keeps it readable) that *shows* itself with every text
whole, numbers as numbers (``3,168``; a year as ``2016``) and a gap as "—".
"""

import html
import math
import re

import pandas as pd

__all__ = ["MISSING", "ReadableFrame", "readable", "cell_text"]

MISSING = "—"
_PLAIN = ("year", "date", "id")  # columns whose numbers are read without a thousands separator


def _missing(value):
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array in a cell
        return False


def cell_text(value, column=""):
    """One cell as a reader should hear it: "—" for a gap, ``3,168`` for 3168.0, ``2016`` in
    a year column, ``12.1`` for 12.1, "yes"/"no", a date as YYYY-MM-DD, a text as it is."""
    if _missing(value):
        return MISSING
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    plain = bool(set(re.split(r"[^a-z0-9]+", str(column).lower())) & set(_PLAIN))
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        if math.isinf(number):
            return str(value)
        if number.is_integer():
            return str(int(number)) if plain else f"{int(number):,}"
        text = f"{number:.2f}" if plain else f"{number:,.2f}"
        return text.rstrip("0").rstrip(".")
    return str(value)


def heading(column):
    """A column's name as a heading that can wrap: ``area_km2`` → ``area km2``."""
    return str(column).replace("_", " ")


def readable(frame):
    """A plain DataFrame of the texts :func:`cell_text` gives each cell (index kept), its
    column names as headings that wrap (a table as narrow as its texts allow: no sideways
    scrolling at 1024 px)."""
    out = pd.DataFrame([[cell_text(v, col) for col, v in zip(frame.columns, row, strict=True)]
                        for row in frame.itertuples(index=False, name=None)],
                       columns=[heading(c) for c in frame.columns])
    if not isinstance(frame.index, pd.RangeIndex):
        out.index = [cell_text(v, frame.index.name or "") for v in frame.index]
        out.index.name = heading(frame.index.name) if frame.index.name else None
    return out


class ReadableFrame(pd.DataFrame):
    """A DataFrame that shows every text whole, numbers as numbers and gaps as "—" (see the
    module). Its data is unchanged: ``frame["area_km2"].sum()`` works as on any DataFrame."""

    @property
    def _constructor(self):
        return ReadableFrame

    def _shown(self):
        return readable(pd.DataFrame(self))

    def _caption(self):
        """``attrs["caption"]``: the lines a figure shows around its plot (title, caption)."""
        lines = self.attrs.get("caption") or []
        return [lines] if isinstance(lines, str) else [str(line) for line in lines if line]

    def _repr_html_(self):
        shown = self._shown()
        with pd.option_context("display.max_colwidth", None):
            out = shown.to_html(index=not isinstance(self.index, pd.RangeIndex),
                                escape=True, border=0)
        out = "\n".join(line.strip() for line in out.splitlines())  # no indenting: HTML ignores it
        caption = self._caption()
        lines = "<br>".join(html.escape(line) for line in caption)
        head, rest = out.split(">", 1)
        # a long word may break where a column would otherwise push the table past a narrow
        # notebook (JupyterLab then scrolls the output sideways, out of a keyboard's reach)
        head += ' style="overflow-wrap:anywhere"'
        if caption:  # a table's caption is what a screen reader announces with it
            rest = f'<caption style="text-align:left">{lines}</caption>{rest}'
        return f"{head}>{rest}"

    def __repr__(self):
        """The plain-text form: the caption, then the headings and each row as cells joined by
        " | ", whole and unpadded (padding every column to its longest text doubled a long
        table's size in a saved notebook and made its lines no easier to read)."""
        shown = self._shown()
        if not isinstance(self.index, pd.RangeIndex):
            shown = shown.reset_index()
        lines = [" | ".join(str(c) for c in shown.columns)]
        lines += [" | ".join(str(v) for v in row) for row in shown.itertuples(index=False)]
        return "\n".join([*self._caption(), *lines])
