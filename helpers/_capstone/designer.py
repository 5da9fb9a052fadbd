"""The settlement designer widget (``helpers.settlement.designer()``).

Every control is an ipywidget whose ``.value`` can be set from Python; buttons have ``.click()``.
Each change re-checks the design (findings, holdings, comparison) and redraws the map only when
what the map shows has changed. Nothing here decides anything: the words come from
the settlement engine (``engine``) and the data files.
"""

import html
import time

import pandas as pd

from .. import names
from .._common import widgets
from .._common.explorers import FollowsNaming, ShowsFigure
from .._common.labels import island_label
from .._common.style import STACKED, stylesheet
from .._journal import book as journal
from ..errors import DataError
from ..text import markdown_html, plain_html
from . import designmap, rules
from . import engine as settlement

LESSON = "05_design_a_settlement"
ITEM = "l5-design"
RESULT_STYLE = {  # symbol + words + colour: the colour is never the only cue
    rules.MEETS: ("✓", "#1B7837", "#E7F4E4"),
    rules.CONFLICTS: ("✗", "#B2182B", "#FBE6E6"),
    rules.UNCLEAR: ("?", "#7A4A00", "#FDF1DC"),
    rules.NOT_ADDRESSED_RESULT: ("–", "#555555", "#F0F0F0"),
}
_CELL = 'style="border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top"'
STATUS_QUO = "status-quo"
YEARS_HELP = "0 = not set"


def _dropdown(options, value, description="", width="auto", **layout):
    return widgets.Dropdown(
        options=[(label, key) for key, label in options.items()],
        value=value,
        description=description,
        layout={"width": width, **layout},  # shared: never changed after this
        style={"description_width": "initial"},
    )


class Designer(FollowsNaming, ShowsFigure, widgets.VBox):
    """The settlement designer. See :func:`helpers.settlement.designer` for the Python path."""

    def __init__(self, design=None, date="2019-01-22", naming=None):
        self.naming = naming
        self._hold = False
        self._map_key = None
        self._design = None
        self.findings = self.holdings = self.comparison = None
        self.last_update_ms = None
        self.dates = list(settlement.CHECK_DATES)
        date = str(date)
        if date not in self.dates:
            settlement.checking_day(date)  # a malformed date fails here, with the allowed forms
            self.dates.append(date)
        self.problems_box = widgets.HTML()
        self.start_from = widgets.Dropdown(
            description="Start from:",
            layout={"width": "100%", "max_width": "40em"},
            style={"description_width": "initial"},
        )
        self.load_button = widgets.Button(
            description="Load", tooltip="Set every choice to this proposal"
        )
        self.load_button.on_click(lambda _: self.load(self.start_from.value))
        self.date = widgets.Dropdown(
            options=[(_date_label(d), d) for d in self.dates],
            value=date,
            description="Check against the conditions stated at:",
            style={"description_width": "initial"},
            layout={"width": "100%", "max_width": "28em"},
        )
        self.date.add_class(STACKED)
        self.controls = {"settlement": {}}
        self.island_labels = {}
        self._build_controls()
        self.save_button = widgets.Button(
            description="Save my design", icon="save", tooltip="Keep this design in your journal"
        )
        self.save_button.on_click(lambda _: self.save())
        self.save_status = widgets.HTML()
        self.findings_box = widgets.HTML()
        self.map_output = widgets.Output()
        self.map_text = widgets.HTML()
        self.holdings_box = widgets.HTML()
        self.comparison_box = widgets.HTML()
        super().__init__(
            [
                stylesheet(),
                widgets.HTML(
                    "<h3>Settlement designer</h3><p><small>Choose for each island, then for the "
                    "settlement as a whole. The findings below say, condition by condition, "
                    "whether your design meets what each government stated, conflicts with it, "
                    "does not address it, or is unclear (the record does not say whether that "
                    "government would accept it). Nothing here says which design is right."
                    "</small></p>"
                ),
                self.problems_box,
                widgets.HBox([self.start_from, self.load_button],
                             layout={"flex_flow": "row wrap"}),
                self.grid,
                self.settlement_box,
                self.date,
                widgets.HBox([self.save_button, self.save_status],
                             layout={"flex_flow": "row wrap"}),
                widgets.HTML("<h4>Findings</h4>"),
                self.findings_box,
                widgets.HTML("<h4>Your design on the map</h4>"),
                self.map_output,
                widgets.HTML("<p><b>The map in words:</b></p>"),
                self.map_text,
                widgets.HTML("<h4>What each side would hold</h4>"),
                self.holdings_box,
                widgets.HTML("<h4>Compared with proposals actually made</h4>"),
                self.comparison_box,
            ]
        )
        self.add_class("kuril-designer")
        self.follow_naming(self._on_naming, naming)
        self._fill_start_options()
        start = design if design is not None else self._restored()
        self.set_design(start if start is not None else settlement.status_quo())
        self.date.observe(lambda _: self.update(), names="value")

    # ------------------------------------------------------------ building

    def _build_controls(self):
        # One card per island, as many side by side as the notebook's width allows (four on a
        # wide screen, two at 1024 px with the file browser open): every menu shows its whole
        # choice, and nothing is cut at the notebook's edge.
        fields = (
            ("sovereignty", "Sovereignty"),
            ("timing", "Handover"),
            ("transition_years", f"Transition, years ({YEARS_HELP})"),
            ("administration", "Administered by"),
        )
        cards = []
        for island in settlement.ISLANDS:
            label = widgets.HTML()
            self.island_labels[island] = label
            c = {
                "sovereignty": _dropdown(rules.ISLAND_OPTIONS["sovereignty"], "russia",
                                         width="100%"),
                "timing": _dropdown(rules.ISLAND_OPTIONS["timing"], "on_signing", width="100%"),
                "transition_years": widgets.BoundedIntText(
                    value=0, min=0, max=rules.MAX_YEARS, layout={"width": "100%"},
                    style={"description_width": "initial"},
                ),
                "administration": _dropdown(rules.ISLAND_OPTIONS["administration"], "russia",
                                            width="100%"),
            }
            for f, text in fields:  # the label sits above its menu (style.STACKED)
                c[f].description = text
                c[f].add_class(STACKED)
            self.controls[island] = c
            for w in c.values():
                w.observe(self._changed, names="value")
            card = widgets.VBox([label, *c.values()], layout={
                "border": "1px solid var(--jp-border-color1, #bbb)", "padding": "4px 8px",
                "min_width": "0"})
            card.add_class("kuril-island-card")
            cards.append(card)
        self.grid = widgets.GridBox(
            cards,
            layout={
                "grid_template_columns": "repeat(auto-fill, minmax(19em, 1fr))",
                "grid_gap": "6px", "width": "100%",
            },
        )
        labels = {
            "peace_treaty": "Peace treaty:",
            "residents": "Current residents:",
            "former_residents": "Former residents' access:",
            "military": "Military restrictions:",
            "joint_economic": "Joint economic activity:",
        }
        boxes = [widgets.HTML("<b>For the settlement as a whole</b>")]
        for f, options in rules.SETTLEMENT_OPTIONS.items():
            w = _dropdown(options, rules.STATUS_QUO_SETTLEMENT[f], labels[f], width="100%",
                          max_width="44em")
            w.add_class(STACKED)
            w.observe(self._changed, names="value")
            self.controls["settlement"][f] = w
            boxes.append(w)
        self.settlement_box = widgets.VBox(boxes)
        self._relabel()

    def _fill_start_options(self):
        options = [("Status quo (nothing changes)", STATUS_QUO)]
        try:
            options += [(p["title"], p["id"]) for p in settlement.proposal_entries()[0]]
        except DataError as exc:
            self._show_problems(exc.problems)
        self.start_from.options = options
        self.start_from.value = STATUS_QUO

    def _relabel(self):
        for island, label in self.island_labels.items():
            label.value = f"<b>{plain_html(_island(island, self.naming))}</b>"

    def _on_naming(self, *_):
        self._relabel()
        self._map_key = None
        self.update()

    # ------------------------------------------------------------ the design

    @property
    def design(self):
        """The design the controls show (a normalised dict)."""
        islands = {}
        for island in settlement.ISLANDS:
            c = self.controls[island]
            years = c["transition_years"].value
            islands[island] = {
                "sovereignty": c["sovereignty"].value,
                "timing": c["timing"].value,
                "transition_years": years or None,
                "administration": c["administration"].value,
            }
        chosen = {f: w.value for f, w in self.controls["settlement"].items()}
        return rules.normalise({"islands": islands, **chosen})

    @design.setter
    def design(self, value):
        self.set_design(value)

    def set_design(self, design):
        """Show ``design`` (any form ``settlement.design`` accepts) and check it once."""
        if not isinstance(design, dict):
            raise ValueError(f"A design is a dict (see settlement.status_quo()), got {design!r}")
        design = settlement.design(**design)
        self._hold = True
        try:
            for island in settlement.ISLANDS:
                for f, v in design["islands"][island].items():
                    self.controls[island][f].value = (v or 0) if f == "transition_years" else v
            for f, w in self.controls["settlement"].items():
                w.value = design[f]
        finally:
            self._hold = False
        self.update()

    def load(self, proposal_id):
        """Set every choice to a proposal's design (``"status-quo"`` for no change)."""
        if proposal_id == STATUS_QUO:
            self.set_design(settlement.status_quo())
        else:
            self.set_design(settlement.proposal_design(proposal_id))
        if self.start_from.value != proposal_id:
            self.start_from.value = proposal_id

    def _changed(self, change):
        if not self._hold:
            self.update()

    # ------------------------------------------------------------ showing

    def update(self):
        """Re-check the design and redraw what changed; returns the time taken in ms."""
        start = time.perf_counter()
        for island in settlement.ISLANDS:
            c = self.controls[island]
            c["transition_years"].disabled = c["timing"].value != "transition"
        problems = []
        try:
            design = self.design
            self._design = design
            self.findings = settlement.check(design, self.date.value, self.naming)
            self.holdings = settlement.holdings(design, naming=self.naming)
            self.comparison = settlement.compare(design, naming=self.naming)
            untested = settlement.unaddressed_choices(design, self.date.value)
            self.findings_box.value = _findings_html(
                self.findings,
                untested,
                rules.consistency_notes(design, lambda i: _island(i, self.naming)),
            )
            self.holdings_box.value = _holdings_html(self.holdings)
            self.comparison_box.value = _comparison_html(self.comparison)
            self.save_status.value = self._saved_note(design)
            problems += settlement.condition_entries()[1] + settlement.proposal_entries()[2]
            self._draw_map(design)
        except DataError as exc:  # a broken data file: say which, never a traceback
            problems += exc.problems
        self._show_problems(problems)
        self.last_update_ms = (time.perf_counter() - start) * 1000
        return self.last_update_ms

    def _draw_map(self, design):
        key = (
            tuple(tuple(design["islands"][i].values()) for i in settlement.ISLANDS),
            self.naming or names.convention(),
        )
        self.map_text.value = markdown_html(settlement.describe(design, self.naming))
        if key == self._map_key:
            return
        self._map_key = key
        self.draw(self.map_output, designmap.spec(design, self.naming),
                  text="Map of the design: see 'The map in words' below.")

    def _show_problems(self, problems):
        if not problems:
            self.problems_box.value = ""
            return
        items = "".join(f"<li>{plain_html(p)}</li>" for p in problems[:20])
        self.problems_box.value = (
            '<div role="alert" style="border:1px solid #B2182B;padding:4px 8px">'
            "<b>Some capstone data could not be used</b> (the designer works with the rest; ask "
            "your instructor to run <code>python -m helpers.instructor check</code>):"
            f"<ul>{items}</ul></div>"
        )

    # ------------------------------------------------------------ journal

    def _restored(self):
        try:
            saved = journal.get(ITEM)
        except Exception:  # an unreadable journal must not stop the designer
            return None
        if not saved or not isinstance(saved.get("answer"), dict):
            return None
        try:
            design = rules.normalise(saved["answer"].get("design"))
        except ValueError:
            return None
        saved_date = str(saved["answer"].get("date", ""))
        if saved_date in self.dates:
            self.date.value = saved_date
        self._saved = design
        return design

    _saved = None

    def _saved_note(self, design):
        if self._saved is None:
            return "<small>Not saved yet.</small>"
        if self._saved == design:
            return "<small>This design is saved in your journal.</small>"
        return "<small>Changed since you last saved.</small>"

    def save(self):
        """Keep the design, the date and the findings in the journal; returns the entry."""
        design = self.design
        findings = (
            self.findings
            if self.findings is not None
            else pd.DataFrame(columns=["id", "result", "government", "condition"])
        )
        answer = {
            "design": design,
            "date": self.date.value,
            "findings": dict(zip(findings["id"], findings["result"], strict=True)),
            # the same in words, for the downloaded journal
            "summary": [
                line.lstrip("- ").replace("**", "")
                for line in settlement.describe(design, self.naming).splitlines()
                if line
            ]
            + [f"{r.government}: {r.condition}: {r.result}" for r in findings.itertuples()],
        }
        try:
            entry = journal.record(
                LESSON, ITEM, answer, kind="design", prompt="My settlement design"
            )
        except Exception as exc:  # never a traceback under the learner's work
            self.save_status.value = f"<small>Could not save ({plain_html(exc)}).</small>"
            return None
        self._saved = design
        problem = journal.save_error()
        self.save_status.value = (
            "<small>" + plain_html(problem) + "</small>"
            if problem
            else "<small>Saved in your journal.</small>"
        )
        return entry


# ---------------------------------------------------------------- helpers


def _island(island, naming):
    return island_label(island, naming)


def _date_label(d):
    return f"the end of {d}" if d.isdigit() else d


def _badge(result):
    symbol, ink, bg = RESULT_STYLE[result]
    return (
        f'<span style="color:{ink};background:{bg};padding:0 4px;border-radius:3px;'
        f'white-space:nowrap"><b>{symbol} {html.escape(result)}</b></span>'
    )


def _findings_html(table, untested, notes):
    label = table.attrs.get("date", "")
    if not len(table):
        body = (
            f"<p>The course data records no stated condition in force at {plain_html(label)}. "
            "Look at the positions explorer for what each government said then.</p>"
        )
    else:
        parts = []
        for government, rows in table.groupby("government", sort=False):
            counts = rows["result"].value_counts()
            tally = " · ".join(f"{counts.get(r, 0)} {r}" for r in RESULT_STYLE)
            items = "".join(_finding_item(r) for _, r in rows.iterrows())
            parts.append(
                f"<h5>{plain_html(government)} <small>({tally})</small></h5><ul>{items}</ul>"
            )
        body = (
            f"<p>Conditions in force at {plain_html(label)}. The counts are not a score: "
            "conditions differ in weight, and governments change them.</p>" + "".join(parts)
        )
    if untested:
        words = ", ".join(rules.FIELD_LABELS.get(f, f) for f in untested)
        body += (
            f"<p><small>No condition in force at this date speaks to: {plain_html(words)}. "
            "Those choices are yours to argue for.</small></p>"
        )
    if notes:
        body += (
            "<p><b>Check your design:</b></p><ul>"
            + "".join(f"<li>{plain_html(n)}</li>" for n in notes)
            + "</ul>"
        )
    return body


def _finding_item(r):
    quote = ""
    if r["quote"]:
        quote = (
            f'<blockquote style="border-left:4px solid #999;margin:0.3em 0;padding:0 0.8em">'
            f"{plain_html(r['quote'])}</blockquote><small>{plain_html(r['quote_note'])}</small>"
        )
    docs = f"<br><small>Documents: {plain_html(r['documents'])}</small>" if r["documents"] else ""
    if r["notes"]:
        docs += f"<br><small>Note: {plain_html(r['notes'])}</small>"
    return (
        f"<li>{_badge(r['result'])} <b>{plain_html(r['condition'])}</b>"
        f"<br>{plain_html(r['explanation'])}"
        f"<details><summary>What was stated, and where</summary><p>{plain_html(r['statement'])}</p>"
        f"{quote}<p><small>In force {plain_html(r['in_force'])}. Sources: "
        f"{plain_html(r['sources'])}</small>{docs}</p></details></li>"
    )


def _table(frame, columns):
    head = "".join(
        f'<th scope="col" {_CELL}>{plain_html(label)}</th>' for label in columns.values()
    )
    rows = "".join(
        "<tr>" + "".join(f"<td {_CELL}>{plain_html(_fmt(r[c]))}</td>" for c in columns) + "</tr>"
        for _, r in frame.iterrows()
    )
    return f'<table style="border-collapse:collapse"><tr>{head}</tr>{rows}</table>'


def _fmt(value):
    if isinstance(value, float):
        return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _holdings_html(frame):
    return _table(
        frame,
        {
            "side": "Sovereignty",
            "islands": "Islands",
            "area_km2": "Area (km²)",
            "population": "Population (recent)",
            "population_note": "Note",
            "residents_1945": "Japanese residents, Aug 1945",
        },
    ) + (
        "<p><small>Areas: Japan's government survey (data/islands.csv), 5,004 km² in all as "
        "rounded here. Populations: Russian statistics as published by Japan's Northern "
        "Territories Issue Association.</small></p>"
    )


def _comparison_html(frame):
    rows = []
    for _, r in frame.iterrows():
        diffs = r["differences"].split("; ") if r["differences"] != "none" else []
        detail = (
            "<details><summary>Differences</summary><ul>"
            + "".join(f"<li>{plain_html(d)}</li>" for d in diffs)
            + "</ul></details>"
            if diffs
            else "Same choices throughout."
        )
        rows.append(
            f"<tr><td {_CELL}><b>{plain_html(r['proposal'])}</b><br><small>"
            f"{plain_html(r['proposed_by'])}, {plain_html(r['date'])}</small></td>"
            f"<td {_CELL}>{r['same']} of {r['of']}</td><td {_CELL}>{detail}</td>"
            f"<td {_CELL}>{_fmt(r['japan_km2'])} / {_fmt(r['russia_km2'])} / "
            f"{_fmt(r['other_km2'])}</td></tr>"
        )
    head = "".join(
        f'<th scope="col" {_CELL}>{h}</th>'
        for h in (
            "Proposal",
            "Choices in common",
            "How yours differs",
            "Area under the proposal, km²: Japan / Russia / shared or undecided",
        )
    )
    return (
        f'<table style="border-collapse:collapse"><tr>{head}</tr>{"".join(rows)}</table>'
        "<p><small>Every proposal is compared on the same choices: for each island its "
        "sovereignty, administration and handover (“no handover” for an island that stays "
        "with the state that holds it), and each choice for the settlement as a whole. "
        "Closeness is not a judgement: a design can be close to a proposal that "
        "failed. Load a proposal above to see it checked against the conditions.</small></p>"
    )
