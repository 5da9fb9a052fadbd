"""The answer widgets the exercise kinds use, with a Python path to read and set the answer.

Each input has ``.widget`` (what the learner sees), ``.controls`` (what locking disables),
``get()`` (the answer as the journal stores it, see ``kinds``) and ``set(value)`` (raises
ValueError with a readable message when ``value`` does not fit the exercise). Which kind uses
which input is said in ``kinds.KINDS``.
"""

import html
import random
import re

from .._common import widgets
from ..text import markdown_html
from .numbers import read_number, show_number

__all__ = ["Choice", "Multiple", "Numeric", "Ordering", "Matching", "Text", "label", "shuffled",
           "shown_choices"]

_CHOOSE = "Choose…"


def label(text):
    """Plain text for a widget label: Markdown marks dropped; raw HTML stays visible as text."""
    rendered = re.sub(r"<[^>]+>", "", markdown_html(text))  # only our own tags remain here
    return " ".join(html.unescape(rendered).split())


def shuffled(items, seed):
    """``items`` in an order fixed by ``seed`` (stable across re-runs) and never the given one."""
    out = list(items)
    random.Random(seed).shuffle(out)
    if len(out) > 1 and out == list(items):
        out = out[1:] + out[:1]
    return out


def _texts_of(ex, value, what):
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"give the {what} as a list")
    return [_one_of(ex, v, what) for v in value]


def _one_of(ex, value, what):
    options = [c["text"] for c in ex["choices"]]
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(options):
        return options[value]
    if value not in options:
        raise ValueError(f"{value!r} is not one of the {what}: {options}")
    return value


def shown_choices(ex):
    """The choices in the order a learner sees them: a marked question's in an order fixed by its
    id and never the bank's (banks tend to list the right answer first, so position would give it
    away); an opinion's as written (a scale keeps its order)."""
    return list(ex["choices"]) if ex.get("kind") == "opinion" else shuffled(ex["choices"], ex["id"])


class Choice:
    """single, and opinion with choices: one RadioButtons."""

    def __init__(self, ex):
        self.ex = ex
        self.radio = widgets.RadioButtons(
            options=[(label(c["text"]), c["text"]) for c in shown_choices(ex)], value=None,
            layout={"width": "auto"})
        self.widget, self.controls = self.radio, [self.radio]

    def get(self):
        return self.radio.value

    def set(self, value):
        self.radio.value = _one_of(self.ex, value, "choices")


class Multiple:
    """multiple: one Checkbox per choice."""

    def __init__(self, ex):
        self.ex = ex
        self.shown = shown_choices(ex)
        self.boxes = [widgets.Checkbox(value=False, description=label(c["text"]), indent=False,
                                       layout={"width": "auto"})
                      for c in self.shown]
        self.widget, self.controls = widgets.VBox(self.boxes), self.boxes

    def get(self):  # in the bank's order, whatever order they are shown in
        ticked = {c["text"] for c, box in zip(self.shown, self.boxes, strict=True) if box.value}
        return [c["text"] for c in self.ex["choices"] if c["text"] in ticked]

    def set(self, value):
        chosen = set(_texts_of(self.ex, value, "choices"))
        for c, box in zip(self.shown, self.boxes, strict=True):
            box.value = c["text"] in chosen


class Numeric:
    """numeric: a text box read by ``numbers.read_number`` (so ``12,6`` can be seen and read as
    12.6, and ``1,234`` refused, instead of a browser number box dropping the comma), and the
    unit. ``problem()`` says why the text is not a number; ``note()`` how it was read."""

    def __init__(self, ex):
        self.box = widgets.Text(value="", description="Your answer:",
                                placeholder="a number, e.g. 3168.4",
                                style={"description_width": "initial"},
                                layout={"width": "16em"})
        parts = [self.box] + ([widgets.Label(ex["unit"])] if ex["unit"] else [])
        self.widget, self.controls = widgets.HBox(parts), [self.box]

    def _read(self):
        try:
            return read_number(self.box.value) + (None,)
        except ValueError as exc:
            return None, None, str(exc)

    def get(self):
        return self._read()[0]

    def problem(self):
        return self._read()[2]

    def note(self):
        return self._read()[1]

    def set(self, value):
        number, _ = read_number(value)  # ValueError with the learner's message
        if isinstance(value, str):
            self.box.value = value.strip()
        else:
            self.box.value = "" if number is None else show_number(number)


class Ordering:
    """ordering: a Dropdown per position (1st, 2nd ...) offering every item."""

    def __init__(self, ex):
        self.ex = ex
        options = [(_CHOOSE, None)] + [(label(t), t) for t in shuffled(ex["items"], ex["id"])]
        self.menus = [widgets.Dropdown(options=options, value=None,
                                       description=f"{n}.", layout={"width": "auto"})
                      for n in range(1, len(ex["items"]) + 1)]
        self.widget, self.controls = widgets.VBox(self.menus), self.menus

    def get(self):
        return [m.value for m in self.menus]

    def set(self, value):
        if not isinstance(value, (list, tuple)) or len(value) != len(self.menus):
            raise ValueError(f"give the order as a list of {len(self.menus)} items")
        for v in value:
            if v is not None and v not in self.ex["items"]:
                raise ValueError(f"{v!r} is not one of the items: {self.ex['items']}")
        for menu, v in zip(self.menus, value, strict=True):
            menu.value = v


class Matching:
    """matching: for each left item, a Dropdown of the right items."""

    def __init__(self, ex):
        self.ex = ex
        options = [(_CHOOSE, None)] + [(label(r), r) for r in shuffled(ex["rights"], ex["id"])]
        # The left item is the dropdown's own description, so the <select> has an accessible name.
        self.menus = {left: widgets.Dropdown(options=options, value=None, description=label(left),
                                             style={"description_width": "14em"},
                                             layout={"width": "auto"})
                      for left in ex["lefts"]}
        self.controls = list(self.menus.values())
        self.widget = widgets.VBox(self.controls)

    def get(self):
        return {left: menu.value for left, menu in self.menus.items()}

    def set(self, value):
        if not isinstance(value, dict):
            raise ValueError("give the matches as a dict {left: right}")
        for left, right in value.items():
            if left not in self.menus:
                raise ValueError(f"{left!r} is not one of: {list(self.menus)}")
            if right is not None and right not in self.ex["rights"]:
                raise ValueError(f"{right!r} is not one of: {self.ex['rights']}")
        for left, menu in self.menus.items():
            menu.value = value.get(left)


class Text:
    """short, long, and opinion without choices: a Textarea of ``rows`` lines."""

    def __init__(self, ex, rows=3):
        self.area = widgets.Textarea(value="", placeholder="Type your answer here",
                                     rows=rows, layout={"width": "100%"})
        self.widget, self.controls = self.area, [self.area]

    def get(self):
        return self.area.value

    def set(self, value):
        if not isinstance(value, str):
            raise ValueError("give the answer as text")
        self.area.value = value
