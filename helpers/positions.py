"""What each government said about the islands at a given date, and an explorer over turning points.

``positions_at("1956-10-19")`` returns one row per government with the position it stated at that
date: formula, stance on each disputed island (labelled through ``helpers.names``), condition,
summary (attributed, in our words), documents relied on and sources. A year alone (``"1956"``)
means the end of that year, so it shows the position after that year's turning point; a month
(``"1956-10"``) means the end of that month.
"""

import html
import re

import pandas as pd

from . import data
from ._common import dates, labels, widgets
from ._common.explorers import FollowsNaming
from ._common.style import mark_end, stylesheet
from .text import markdown_html, plain_html

__all__ = ["positions_at", "explorer", "positions_explorer", "as_of", "PositionsExplorer",
           "TURNING_POINTS"]

TURNING_POINTS = ("1855", "1875", "1905", "1945", "1951", "1956", "1960", "1991", "1993", "2001",
                  "2016", "2019-01-22", "2020", "2022")
STANCE_TEXT = {
    "claims": "claims sovereignty",
    "offers_transfer": "offers to transfer",
    "negotiable": "open to negotiation",
    "supports_japan": "supports Japan's claim",
    "supports_ussr": "supports the Soviet/Russian claim",
    "no_position": "no stated position",
    "": "not recorded",
}
ACTOR_ORDER = ("japan", "ussr", "russia", "usa")


def as_of(date):
    """(Timestamp, label) for a date given as ``"1956"``, ``"1956-10"``, ``"1956-10-19"``, an int
    year, or a Timestamp/datetime. A year or month means its last day (``helpers._common.dates``,
    the course's one reading of a date)."""
    return pd.Timestamp(dates.day(date)), dates.label(date)


def _in_force(when):
    """Position rows in force at ``when`` (from_date and to_date inclusive), one per actor."""
    pos = data.positions()
    live = pos[[dates.in_force(f, t, when) for f, t in zip(pos["from_date"], pos["to_date"],
                                                             strict=True)]]
    live = live.sort_values("from_date").drop_duplicates("actor", keep="last")
    rank = {a: n for n, a in enumerate(ACTOR_ORDER)}
    return live.sort_values("actor", key=lambda s: s.map(rank).fillna(len(rank)))


def positions_at(date, naming=None):
    """One row per government (index: actor id) with the position it stated at ``date``.

    Columns: ``government``, ``formula``, one column per disputed island (named in the naming
    convention; the stance in words), ``condition``, ``summary``, ``documents`` (short titles),
    ``sources`` (short citations), ``in_force`` (the period) and ``id`` (the row in positions.csv).
    """
    return _table(_in_force(as_of(date)[0]), naming, _documents())


def _table(live, naming, docs):
    titles = {d: doc["short_title"] for d, doc in docs.items()}
    citations = labels.citation_table()
    islands = {i: labels.island_label(i, naming) for i in data.DISPUTED}
    table = pd.DataFrame({
        "government": [labels.actor_name(a) for a in live["actor"]],
        "formula": list(live["formula"]),
        **{islands[i]: [STANCE_TEXT.get(s, s) for s in live[i]] for i in data.DISPUTED},
        "condition": list(live["condition"]) if "condition" in live else "",
        "summary": list(live["summary"]),
        "documents": ["; ".join(titles.get(d, d) for d in data.split(c))
                      for c in live.get("documents", [""] * len(live))],
        "sources": [labels.cite(c, citations) for c in live["sources"]],
        "in_force": [labels.period_text(f, t)
                     for f, t in zip(live["from_date"], live["to_date"], strict=True)],
        "id": list(live["id"]),
    }, index=pd.Index(list(live["actor"]), name="actor"))
    return table


class PositionsExplorer(FollowsNaming, widgets.VBox):
    """Governments' positions at a chosen turning point. Python path: set ``.value`` (a date
    string from ``.dates``), call ``.next()`` / ``.prev()``; read ``.table`` (the DataFrame
    shown)."""

    def __init__(self, dates=None, naming=None):
        self.naming = naming
        self.dates = [str(d) for d in (dates or TURNING_POINTS)]
        for d in self.dates:
            as_of(d)  # a bad date fails here, with a clear message, not on first click
        # A labelled menu, not a slider: ipywidgets' slider handle has no accessible name.
        self.slider = widgets.Dropdown(
            options=[(_slider_label(d), d) for d in self.dates], value=self.dates[0],
            description="Date", style={"description_width": "initial"})
        self.prev_button = widgets.Button(description="◀ Previous", tooltip="Earlier turning point")
        self.next_button = widgets.Button(description="Next ▶", tooltip="Later turning point")
        self.prev_button.on_click(lambda _: self.prev())
        self.next_button.on_click(lambda _: self.next())
        self.heading, self.stances, self.details = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.slider.observe(self._update, names="value")
        super().__init__([
            stylesheet(),
            widgets.HBox([self.prev_button, self.slider, self.next_button]),
            self.heading, self.stances, self.details,
        ])
        self.table = None
        self.follow_naming(lambda *_: self._update(), naming)
        self._update()

    @property
    def value(self):
        return self.slider.value

    @value.setter
    def value(self, date):
        if date not in self.dates:
            raise ValueError(
                f"{date!r} is not one of this explorer's dates: {', '.join(self.dates)}")
        self.slider.value = date

    def next(self):
        """Move to the next turning point (stays on the last one)."""
        i = self.dates.index(self.value)
        self.value = self.dates[min(i + 1, len(self.dates) - 1)]

    def prev(self):
        """Move to the previous turning point (stays on the first one)."""
        i = self.dates.index(self.value)
        self.value = self.dates[max(i - 1, 0)]

    def _update(self, *_):
        when, label = as_of(self.value)
        live, docs = _in_force(when), _documents()
        self.table = _table(live, self.naming, docs)
        self.heading.value = (
            f"<h3>Positions in force at {html.escape(label)}</h3>"
            "<p><small>Each government's position as it stated it, summarised in our words and "
            "attributed. The course takes no side.</small></p>")
        if not len(self.table):
            self.stances.value = (
                "<p>The data records no government position on the four islands at this date. "
                "See the timeline and the documents for this period.</p>")
            self.details.value = ""
        else:
            self.stances.value = _stance_html(self.table)
            self.details.value = _details_html(self.table, live, docs)
        # the buttons last: the new date's texts are sent, and painted, first. At either end a
        # button stays enabled and does nothing, marked by its look and tooltip: disabling the
        # button just pressed would drop the keyboard focus to the page (and JupyterLab restyles
        # the whole notebook when the next click brings it back, about 40 ms)
        i = self.dates.index(self.value)
        mark_end(self.prev_button, i == 0, "Earlier turning point",
                 "This is the first turning point")
        mark_end(self.next_button, i == len(self.dates) - 1, "Later turning point",
                 "This is the last turning point")


def _slider_label(d):
    return d if re.fullmatch(r"\d{4}", d) else labels.format_date(as_of(d)[0])


_CELL = 'style="border:1px solid #bbb;padding:3px 8px;text-align:left"'  # widgets get no theme CSS


def _stance_html(table):
    islands = [c for c in table.columns if c not in (
        "government", "formula", "condition", "summary", "documents", "sources", "in_force", "id")]
    head = "".join(f'<th scope="col" {_CELL}>{plain_html(c)}</th>' for c in islands)
    rows = "".join(
        f'<tr><th scope="row" {_CELL}>{plain_html(r["government"])}</th>'
        + "".join(f"<td {_CELL}>{plain_html(r[c])}</td>" for c in islands) + "</tr>"
        for _, r in table.iterrows())
    return ('<table class="kuril-stances" style="border-collapse:collapse">'
            '<caption style="text-align:left;font-weight:bold">Stance on each island</caption>'
            f'<tr><th scope="col" {_CELL}>Government</th>{head}</tr>{rows}</table>')


def _details_html(table, live, docs):
    titles = {d: doc["short_title"] for d, doc in docs.items()}
    cited_by = {}
    parts = []
    relied_on = live.get("documents", [""] * len(live))
    for (_, r), cell in zip(table.iterrows(), relied_on, strict=True):
        ids = data.split(cell)
        for d in ids:
            cited_by.setdefault(d, []).append(r["government"])
        relied = "".join(
            f"<li>{plain_html(titles.get(d, d))} ({plain_html(_when(docs, d))})</li>"
            for d in ids)
        parts.append(
            f"<h4>{plain_html(r['government'])}: {plain_html(r['formula'])}</h4>"
            f"<p>{plain_html(r['summary'])}</p>"
            + (f"<p><b>Condition:</b> {plain_html(r['condition'])}</p>" if r["condition"] else "")
            + (f"<p><b>Relies on:</b></p><ul>{relied}</ul>" if relied else "")
            + f"<p><small>Position {plain_html(r['in_force'])}. Sources: "
              f"{plain_html(r['sources'])}</small></p>")
    if cited_by:
        parts.append("<p><b>The documents cited</b> (open one for our summary and the notes on "
                     "how it is read):</p><ul>" + "".join(
                         _document_item(docs.get(d, {}), d, govs) for d, govs in cited_by.items())
                     + "</ul>")
    return "".join(parts)


def _when(docs, doc_id):
    return labels.doc_date(docs[doc_id]) if doc_id in docs else ""


def _document_item(doc, doc_id, govs):
    both = " Compare how each government's summary above reads it." if len(govs) > 1 else ""
    return (
        f"<li><details><summary>{plain_html(doc.get('short_title', doc_id))} "
        f"({plain_html(labels.doc_date(doc) if doc else '')}): "
        f"cited by {plain_html(' and '.join(govs))}."
        f"{both}</summary>{markdown_html(doc.get('summary', ''))}"
        + (f"<p><small>Notes: {plain_html(doc['notes'])}</small></p>" if doc.get("notes") else "")
        + "</details></li>")


def _documents():
    return {d["id"]: d for d in data.documents().to_dict("records")}


def explorer(dates=None, naming=None):
    """Step through turning points and see each government's stated position at each."""
    return PositionsExplorer(dates=dates, naming=naming)


positions_explorer = explorer  # the earlier name, kept for notebooks that use it
