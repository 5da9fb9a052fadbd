"""Timelines of the dispute's events: a figure function and an explorer with filters.

``events_timeline()`` returns a plotly Figure with one marker per event on a date axis (a bar to the
end date when an event spans days), one row per event type (or per ``color`` group). Hovering shows
the date at the precision the data knows it, the summary, the islands (named through
``helpers.names``) and short source citations. Colours are the Okabe–Ito palette and each event type
has its own marker shape, so colour is never the only cue. ``describe(events)`` gives the same
content as text for screen readers; ``explorer()`` adds filters.
"""

import html
import re
import textwrap

import pandas as pd

from . import data
from ._common import dates, figures, widgets
from ._common.explorers import FollowsNaming, ShowsFigure
from ._common.labels import actor_name, citation_table, cite, format_date, island_label

__all__ = ["events_timeline", "explorer", "timeline_explorer", "filter_events", "describe",
           "Description", "TimelineExplorer"]

# Okabe & Ito (2008) colour-blind-safe palette, plus grey for a ninth group.
PALETTE = ("#0072B2", "#E69F00", "#56B4E9", "#D55E00", "#009E73", "#CC79A7", "#000000", "#F0E442",
           "#999999")
TYPE_STYLE = {  # type: (colour, marker symbol)
    "treaty": ("#0072B2", "square"),
    "summit": ("#E69F00", "circle"),
    "statement": ("#56B4E9", "diamond"),
    "military": ("#D55E00", "x"),
    "domestic": ("#009E73", "triangle-up"),
    "legal": ("#CC79A7", "star"),
    "negotiation": ("#000000", "hexagon"),
    "economic": ("#F0E442", "triangle-down"),
    "people": ("#999999", "cross"),
}
MULTI = ("actors", "islands", "documents", "sources")
NEEDED = ("date", "title", "type")
NONE_LABEL = "(none)"


def _as_set(value):
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


def _check_ids(kind, wanted, allowed):
    unknown = sorted(wanted - set(allowed))
    if unknown:
        raise ValueError(
            f"Unknown {kind}: {', '.join(unknown)}. The {kind} are: {', '.join(allowed)}")


def filter_events(events=None, era=None, actors=None, islands=None, types=None):
    """Events in ``era`` that involve any of ``actors``, concern any of ``islands`` and are of
    any of ``types`` (each a single id or a list; None or empty means no filter)."""
    ev = data.events() if events is None else events
    missing = [c for c in NEEDED if c not in ev.columns]
    if missing:
        raise ValueError(
            f"The events table needs the column(s) {', '.join(missing)}. "
            f"It has: {', '.join(map(str, ev.columns))}")
    if era is not None:
        _check_ids("eras", {era}, list(data.eras()["id"]))
        if "era" not in ev.columns:
            raise ValueError("Cannot filter by era: the events table has no 'era' column.")
        ev = ev[ev["era"] == era]
    for col, wanted, allowed in (("actors", actors, data.ACTORS),
                                 ("islands", islands, data.DISPUTED)):
        wanted = _as_set(wanted)
        if wanted:
            _check_ids(col, wanted, allowed)
            if col not in ev.columns:
                raise ValueError(f"Cannot filter by {col}: the events table has no '{col}' column.")
            ev = ev[[bool(wanted.intersection(data.split(c))) for c in ev[col]]]
    wanted = _as_set(types)
    if wanted:
        _check_ids("types", wanted, tuple(TYPE_STYLE))
        ev = ev[ev["type"].isin(wanted)]
    return ev.sort_values("date", kind="stable")


def _records(df):
    """Rows as dicts; ~10x faster than ``to_dict("records")`` on date columns (pandas 3)."""
    cols = [df[c].tolist() for c in df.columns]
    return [dict(zip(df.columns, vals, strict=True)) for vals in zip(*cols, strict=True)]


def _date_text(row):
    text = format_date(row["date"], row.get("date_precision") or "day")
    if not pd.isna(row.get("end_date")):
        text += f" – {format_date(row['end_date'])}"
    return text


_HOVERS = {}  # hover text by content: filter changes redraw the same events again and again


def _hover(row, isl_names, citations):
    key = (
        row["title"], _date_text(row), row.get("calendar_note") or "", row.get("summary") or "",
        row["type"], ", ".join(isl_names.get(i, i) for i in data.split(row.get("islands"))),
        cite(row["sources"], citations) if row.get("sources") else "",
    )
    if key not in _HOVERS:
        if len(_HOVERS) > 20000:
            _HOVERS.clear()
        _HOVERS[key] = _hover_text(*key)
    return _HOVERS[key]


def _hover_text(title, when, note, summary, kind, islands, sources):
    esc = html.escape
    lines = [f"<b>{esc(title)}</b>", esc(when + (f"; {note}" if note else ""))]
    lines += [esc(part) for part in textwrap.wrap(str(summary), 70)]
    lines.append(f"Type: {esc(kind)}")
    if islands:
        lines.append("Islands: " + esc(islands))
    if sources:
        lines += [esc(p) for p in textwrap.wrap("Sources: " + sources, 70)]
    return "<br>".join(lines)


def _groups(ev, color, naming):
    """({group: y-axis label} in display order, and for each event the list of its groups)."""
    if color not in ev.columns:
        raise ValueError(f"Cannot group by '{color}': the events table has no such column. "
                         f"Try one of: type, era, actors, islands.")
    if color in MULTI:
        values = [data.split(c) or [NONE_LABEL] for c in ev[color]]
    else:
        values = [[str(v) or NONE_LABEL] for v in ev[color]]
    present = {v for vs in values for v in vs}
    order, label = {
        "type": (TYPE_STYLE, str),
        "era": (_era_titles(), _era_titles().get),
        "actors": (data.ACTORS, actor_name),
        "islands": (data.DISPUTED, lambda i: island_label(i, naming)),
    }.get(color, ((), str))
    order = [g for g in order if g in present]
    order += sorted(present - set(order) - {NONE_LABEL})
    order += [NONE_LABEL] if NONE_LABEL in present else []
    return {g: g if g == NONE_LABEL else (label(g) or g) for g in order}, values


def events_timeline(events=None, era=None, color="type", actors=None, islands=None, types=None,
                    naming=None):
    """A Figure with one marker per event on a date axis, one row per ``color`` group.

    ``events``: a table like ``data.events()`` (default: all events); ``era``: an era id;
    ``actors``, ``islands``, ``types``: keep only events matching any of these ids;
    ``color``: ``type`` (default), ``era``, ``actors`` or ``islands`` (an event with several
    actors or islands appears once in each of their rows); ``naming``: island naming convention
    (default: the learner's current choice in ``helpers.names``).
    """
    return figures.figure(_spec(events, era, color, actors, islands, types, naming))


def _one_or_each(values):
    """One value for every point when all are the same (smaller JSON), else the list."""
    return values[0] if values and len(set(values)) == 1 else values


def _spec(events=None, era=None, color="type", actors=None, islands=None, types=None,
          naming=None):
    """The timeline as a figure dict (see ``events_timeline``)."""
    ev = filter_events(events, era, actors, islands, types)
    labels, groups = _groups(ev, color, naming)
    rows = _records(ev)
    isl_names = {i: island_label(i, naming) for i in data.DISPUTED}
    citations = citation_table()
    hovers = [_hover(r, isl_names, citations) for r in rows]
    traces = []
    for n, (group, label) in enumerate(labels.items()):
        idx = [i for i, gs in enumerate(groups) if group in gs]
        colour = TYPE_STYLE.get(group, (None,))[0] if color == "type" else None
        colour = colour or PALETTE[n % len(PALETTE)]
        spans = [i for i in idx if not pd.isna(rows[i].get("end_date"))]
        if spans:  # events that span days: a thick line from start to end, drawn under the marker
            xs, ys = [], []
            for i in spans:
                xs += [dates.iso(rows[i]["date"]), dates.iso(rows[i]["end_date"]), None]
                ys += [label, label, None]
            traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", legendgroup=label,
                               showlegend=False, hoverinfo="skip",
                               line=dict(color=colour, width=8)))
        traces.append(dict(
            type="scatter", name=label, legendgroup=label, mode="markers",
            showlegend=color == "type",  # otherwise the y axis names the groups
            x=[dates.iso(rows[i]["date"]) for i in idx], y=[label] * len(idx),  # days only
            hovertext=[hovers[i] for i in idx], hovertemplate="%{hovertext}<extra></extra>",
            customdata=[rows[i].get("id", "") for i in idx],
            marker=dict(color=colour, size=13, opacity=0.9, line=dict(color="#333333", width=1),
                        symbol=_one_or_each([TYPE_STYLE.get(rows[i]["type"], ("", "circle"))[1]
                                             for i in idx])),
        ))
    if color != "type":  # legend entries for the marker shapes
        for t in [t for t in TYPE_STYLE if t in set(ev["type"])]:
            traces.append(dict(type="scatter", x=[None], y=[None], mode="markers", name=t,
                               hoverinfo="skip",
                               marker=dict(color="#777777", size=11, symbol=TYPE_STYLE[t][1])))
    layout = dict(
        title=dict(text=_title(ev, era)),
        template=figures.NO_THEME,  # styled here: copying a named template costs ~8 ms a redraw
        font=dict(family="Arial, sans-serif", size=13, color="#222222"),
        plot_bgcolor="white", paper_bgcolor="white",
        height=160 + max(48 * len(labels), 30 * len(set(ev["type"]))),
        margin=dict(l=10, r=10, t=60, b=40),
        xaxis=dict(type="date", title=dict(text="Date"), showgrid=True, gridcolor="#e6e6e6",
                   linecolor="#999999", ticks="outside"),
        yaxis=dict(type="category", categoryorder="array", categoryarray=list(labels.values()),
                   autorange="reversed", showgrid=True, gridcolor="#f0f0f0", automargin=True),
        hovermode="closest", hoverlabel=dict(align="left"),
        legend=dict(title=dict(text="Event type")),
    )
    if not len(ev):
        layout["annotations"] = [dict(text="No events match these filters.", showarrow=False,
                                      xref="paper", yref="paper", x=0.5, y=0.5)]
    return {"data": traces, "layout": layout}


def _era_titles():
    eras = data.eras()
    return dict(zip(eras["id"], eras["title"], strict=True))


def _title(ev, era):
    n = len(ev)
    count = f"{n} event{'s' if n != 1 else ''}"
    if era is not None:
        title = _era_titles().get(era, era)
        return f"{html.escape(title)}: {count}"
    if not n:
        return "Events in the dispute: none shown"
    span = f"{ev['date'].min().year}–{ev['date'].max().year}"
    return f"Events in the dispute, {span}: {count}"


class Description(str):
    """A timeline in words: plain text (``print`` it, or compare it), shown in a notebook as a
    Markdown list."""

    def _repr_markdown_(self):
        head, *items = self.split("\n")
        return "\n".join([_md(head), "", *(_md(i) for i in items)])


def _md(text):
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def describe(events=None, era=None, actors=None, islands=None, types=None):
    """The timeline in words: how many events, their span, and each date and title.

    Takes the filters of :func:`filter_events` (``describe(era="tokyo-1993")``) or a table of
    events. Returns text; the last line of a notebook cell shows it as a list."""
    ev = filter_events(events, era, actors, islands, types)
    if not len(ev):
        return Description("No events.")
    rows = _records(ev)
    head = (f"{len(rows)} event{'s' if len(rows) != 1 else ''}, from {_date_text(rows[0])} "
            f"to {_date_text(rows[-1])}:")
    return Description("\n".join(
        [head] + [f"- {_date_text(r)}: {r['title']} ({r['type']})" for r in rows]))


def _filter_look():  # each filter menu has its own: the explorer sets them
    return {"layout": {"width": "auto"}, "style": {"description_width": "initial"}}


class TimelineExplorer(FollowsNaming, ShowsFigure, widgets.VBox):
    """A timeline with filters. Python path: set ``.actors.value``, ``.islands.value`` or
    ``.types.value`` (tuples of ids; empty means all), or call ``.reset()``; read ``.figure``,
    ``.events`` (the events shown) and ``.status.value``. ``types`` picks the event types shown
    at first (e.g. ``"people"``); the learner can change or clear the choice."""

    def __init__(self, era=None, naming=None, types=None):
        self.era, self.naming = era, naming
        self._all = filter_events(era=era)
        start_types = _as_set(types)
        if start_types:
            _check_ids("types", start_types, tuple(TYPE_STYLE))
        self._holding = False
        present = lambda col: {v for c in self._all[col] for v in data.split(c)}  # noqa: E731
        self.actors = widgets.SelectMultiple(
            options=[(actor_name(a), a) for a in data.ACTORS if a in present("actors")],
            description="Actors", rows=5, **_filter_look())
        self.islands = widgets.SelectMultiple(description="Islands", rows=4, **_filter_look())
        present_types = set(self._all["type"]) | start_types  # a chosen type stays listed
        self.types = widgets.SelectMultiple(
            options=[t for t in TYPE_STYLE if t in present_types], description="Types", rows=5,
            **_filter_look())
        self.types.value = tuple(t for t in TYPE_STYLE if t in start_types)
        self._island_ids = [i for i in data.DISPUTED if i in present("islands")]
        self._label_islands()
        self.reset_button = widgets.Button(description="Show all events",
                                           tooltip="Clear every filter")
        self.reset_button.on_click(lambda _: self.reset())
        hint = widgets.HTML("<small>Pick one or more in each list (Ctrl/Cmd-click for several); "
                            "an empty list means no filter.</small>")
        self.status = widgets.HTML()
        self.output = widgets.Output()
        self._text, self._text_stale = widgets.HTML(), True  # written when opened or read
        self._text_box = text_box = widgets.Accordion(
            children=[self._text], titles=("Text version of the timeline",), selected_index=None)
        text_box.observe(lambda _change: self._fill_text(), names="selected_index")
        for w in (self.actors, self.islands, self.types):
            w.observe(self._update, names="value")
        filters = widgets.HBox([self.actors, self.islands, self.types],
                               layout={"flex_flow": "row wrap"})
        super().__init__([filters,
                          widgets.HBox([self.reset_button, hint]), self.status, self.output,
                          text_box])
        self.events = None
        self._watch_naming()
        self._update()

    @property
    def text(self):
        """The text version of the events shown (an HTML widget, in the closed "Text version"
        box). It is written when the learner opens the box or when Python reads it, so a lesson
        saves no second copy of every event that nobody opened."""
        self._fill_text(force=True)
        return self._text

    def _fill_text(self, force=False):
        if self._text_stale and (force or self._text_box.selected_index is not None):
            self._text.value = (f"<pre style='white-space:pre-wrap'>"
                                f"{html.escape(describe(self.events))}</pre>")
            self._text_stale = False

    def _label_islands(self):
        chosen = self.islands.value
        self._holding = True
        self.islands.options = [(island_label(i, self.naming), i) for i in self._island_ids]
        self.islands.value = tuple(v for v in chosen if v in self._island_ids)
        self._holding = False

    def _watch_naming(self):
        self.follow_naming(lambda *_: self._on_naming(), self.naming)

    def _on_naming(self):
        self._label_islands()
        self._update()

    def reset(self):
        """Clear every filter and show all events."""
        self._holding = True
        self.actors.value = self.islands.value = self.types.value = ()
        self._holding = False
        self._update()

    def _update(self, *_):
        if self._holding:
            return
        filters = dict(actors=self.actors.value, islands=self.islands.value, types=self.types.value)
        self.events = filter_events(self._all, **filters)
        spec = _spec(self.events, era=self.era, naming=self.naming)
        n = len(self.events)
        self.status.value = (f'<div role="status">{n} event{"s" if n != 1 else ""} shown'
                             + ("" if n else ": no events match these filters") + "</div>")
        self._text_stale = True
        self._fill_text()
        self.draw(self.output, spec)


def explorer(era=None, naming=None, types=None):
    """The timeline with filters by actor, island and type, and a count of the events shown.
    ``types`` starts the type filter on those event types: ``types="people"`` shows the strand on
    the people of the islands (an id or a list of ids)."""
    return TimelineExplorer(era=era, naming=naming, types=types)


timeline_explorer = explorer  # the earlier name, kept for notebooks that use it
