"""The course glossary: each term in English, Japanese and Russian, with a neutral definition and
each government's usage, attributed (``data/glossary.csv``)::

    glossary.show("peace treaty")          # one term's card (id or any of its forms)
    glossary.explorer("01_shimoda_to_yalta")   # a menu of the terms a lesson uses, and the card
    glossary.cards("01_shimoda_to_yalta")      # a lesson's terms in short, each with an anchor
    glossary.terms()                       # every term as a table

An island's card is headed in the learner's naming and follows the naming switch. The private
code is in ``helpers._glossary``.
"""

import pandas as pd

from . import names
from ._common import widgets
from ._glossary import cards as _cards
from ._glossary.rows import split

__all__ = ["show", "card_html", "cards_html", "cards", "anchor", "explorer", "terms", "problems"]


def card_html(term, naming=None):
    """The HTML of ``term``'s card."""
    return _cards.card_html(term, naming)


def show(term, naming=None):
    """The card of ``term`` (its id, English, Japanese or Russian form); redrawn when the naming
    switch changes. An unknown term lists close ones."""
    box = widgets.HTML(_cards.card_html(term, naming))
    box.add_class("kuril-glossary-card")
    if naming is None:
        names.on_change(lambda _c: setattr(box, "value", _cards.card_html(term)))
    return box


def anchor(term_id):
    """The HTML id of a term's card in :func:`cards` (a lesson links to it as
    ``#glossary-<id>``)."""
    return f"glossary-{term_id}"


def _lesson_rows(lesson=None):
    rows = [r for r in _cards.terms().values() if lesson is None or lesson in split(r["lessons"])]
    return sorted(rows, key=lambda r: r["term_en"].casefold())


def cards_html(lesson=None, naming=None, compact=True):
    """The HTML of every card of ``lesson`` (every term when None), each card in an element whose
    ``id`` is ``glossary-<term id>``. ``compact`` (the default): a short entry per term (forms and
    definition; what each part is, the lesson's Markdown above the cell says, as it is saved
    once in the notebook, not in every output); ``compact=False``: the full cards as
    :func:`show` draws them."""
    found = _lesson_rows(lesson)
    if not found:
        return "<p>No glossary terms for this lesson.</p>"
    if compact:
        entries = "".join(_cards.compact_html(r, naming, anchor(r["id"])) for r in found)
        return f"{_cards.COMPACT_CSS}<dl>{entries}</dl>"
    return "".join(f'<div id="{anchor(r["id"])}">{_cards.card_html(r["id"], naming)}</div>'
                   for r in found)


def cards(lesson=None, naming=None, compact=True):
    """Every term of ``lesson`` (every term when None), each with a stable anchor
    ``#glossary-<term id>`` the lesson's prose links to; redrawn when the naming switch changes.
    Compact by default (see :func:`cards_html`); ``compact=False`` for the full cards."""
    box = widgets.HTML(cards_html(lesson, naming, compact))
    box.add_class("kuril-glossary-cards")
    if naming is None:
        names.on_change(lambda _c: setattr(box, "value", cards_html(lesson, compact=compact)))
    return box


def terms(lesson=None):
    """Every term (of ``lesson``, by the glossary's ``lessons`` column) as a table: id, English,
    Japanese, Hepburn, Russian, BGN/PCGN."""
    cols = ["id", "term_en", "term_ja", "term_ja_romaji", "term_ru", "term_ru_latin"]
    rows = [r for r in _cards.terms().values() if lesson is None or lesson in split(r["lessons"])]
    return pd.DataFrame([[r[c] for c in cols] for r in rows], columns=cols).set_index("id")


class Explorer(widgets.VBox):
    """A menu of terms and the chosen term's card. No term is chosen at first (the card appears
    under the menu when one is). Python path: ``ex.menu.value = "<id>"``; read
    ``ex.card.value``."""

    def __init__(self, lesson=None):
        rows = [r for r in _cards.terms().values()
                if lesson is None or lesson in split(r["lessons"])]
        rows.sort(key=lambda r: r["term_en"].casefold())
        # no term chosen at first: the lesson saves the menu, not a full card it may never read
        self.menu = widgets.Dropdown(options=[(r["term_en"], r["id"]) for r in rows], value=None,
                                     description="Term", style={"description_width": "initial"},
                                     layout={"width": "auto", "max_width": "100%"})
        self._card = None  # made when a term is first chosen: a lesson saves no empty card
        super().__init__([self.menu])
        self.add_class("kuril-glossary-explorer")
        self.menu.observe(lambda _change: self.redraw(), names="value")
        names.on_change(lambda _c: self.redraw())
        self.redraw()

    @property
    def card(self):
        """The HTML widget showing the chosen term's card (made, and shown under the menu, when
        it is first asked for)."""
        if self._card is None:
            self._card = widgets.HTML()
            self.children = (self.menu, self._card)
            self.redraw()
        return self._card

    def redraw(self):
        if self.menu.value:
            self.card.value = _cards.card_html(self.menu.value)
        elif not self.menu.options:
            self.card.value = "<p>No glossary terms for this lesson.</p>"
        elif self._card is not None:
            self._card.value = "<p>Choose a term from the menu to see its card.</p>"


def explorer(lesson=None):
    """The glossary terms a lesson uses (every term when ``lesson`` is None) in a menu, with the
    chosen term's card."""
    return Explorer(lesson)


def problems():
    """Every problem in data/glossary.csv (``check`` lists them as data errors)."""
    return _cards.problems()
