"""The negotiation widget behind ``helpers.roleplay.negotiation()``, and the role-card viewer.

All state lives in plain lists and dicts (``offers``, ``round``, ``outcome_record``) that are
saved to the journal after every action and restored when the cell is run again, so re-running a
cell never loses a class's log.
"""

import hashlib
import html
from datetime import datetime, timezone

import pandas as pd

from .._common import widgets
from .._common.labels import cite, island_label
from .._common.style import mark_end, stylesheet
from .._journal import book as journal
from ..errors import DataError
from ..text import markdown_html, plain_html
from . import engine as settlement
from . import roles, rules

LESSON = "05_design_a_settlement"
KINDS = {
    "statement": "Statement",
    "offer": "Offer",
    "counter": "Counter-offer",
    "accept": "Accepts the offer on the table",
    "reject": "Rejects the offer on the table",
    "question": "Question",
}
NEEDS_TEXT = ("statement", "offer", "counter", "question")
OUTCOMES = {"": "(not recorded yet)", "agreement": "Agreement",
            "partial": "Partial agreement (next steps only)", "none": "No agreement"}
MAX_TEXT = 5000
MIN_TEAMS, MAX_TEAMS = 2, 8
_CELL = 'style="border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top"'
LOG_COLUMNS = ["round", "round_title", "team", "role", "kind", "offer", "design", "time"]


class CardViewer(widgets.VBox):
    """A drop-down of role cards and the card chosen. Python path: ``.value = role_id``."""

    def __init__(self, options):
        self.picker = widgets.Dropdown(
            options=options,
            value=options[0][1],
            description="Role card:",
            style={"description_width": "initial"},
        )
        self.card = widgets.HTML(roles.card_html(options[0][1]))
        self.picker.observe(
            lambda ch: setattr(self.card, "value", roles.card_html(ch["new"])), names="value"
        )
        super().__init__([self.picker, self.card])

    @property
    def value(self):
        return self.picker.value

    @value.setter
    def value(self, role_id):
        self.picker.value = role_id


def _parse_teams(teams, cards):
    if isinstance(teams, str):
        teams = [teams]
    out, seen = [], set()
    for t in teams:
        if isinstance(t, str):
            name, role = None, t
        elif isinstance(t, dict):
            name, role = t.get("name"), t.get("role")
        elif isinstance(t, (tuple, list)) and len(t) == 2:
            name, role = t
        else:
            raise ValueError(f"A team is a role id or a (team name, role id) pair, got {t!r}")
        if role not in cards:
            raise ValueError(f"No role card {role!r}. The cards are: {', '.join(cards)}")
        name = " ".join(str(name or cards[role]["team"]).split())[:60]
        if name in seen:
            raise ValueError(f"Two teams are called {name!r}: give each team its own name")
        seen.add(name)
        out.append({"name": name, "role": role})
    if not MIN_TEAMS <= len(out) <= MAX_TEAMS:
        raise ValueError(
            f"A negotiation needs {MIN_TEAMS} to {MAX_TEAMS} teams (it is designed "
            f"for 3 to 6); got {len(out)}"
        )
    return out


def _item_id(teams, session):
    key = "|".join(f"{t['name']}={t['role']}" for t in teams) + f"|{session}"
    return "l5-negotiation-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def design_summary(design):
    """One line saying who holds what in a design (for the log)."""
    by = {}
    for island in rules.ISLANDS:
        by.setdefault(design["islands"][island]["sovereignty"], []).append(island_label(island))
    words = {"japan": "Japan", "russia": "Russia", "shared": "shared", "deferred": "undecided"}
    return "; ".join(f"{words[k]}: {', '.join(v)}" for k, v in by.items()) + (
        f"; peace treaty: {rules.value_label('peace_treaty', design['peace_treaty']).lower()}"
    )


class Negotiation(widgets.VBox):
    """Round-by-round negotiation; see :func:`helpers.roleplay.negotiation` for the Python path."""

    def __init__(self, teams, designer=None, session=""):
        cards = roles.valid_cards()
        self.scenario = roles.scenario()
        self.teams = _parse_teams(teams, cards)
        self.roles = {t["name"]: cards[t["role"]] for t in self.teams}
        self.designer = designer
        self.item = _item_id(self.teams, session)
        self.offers, self._round, self.outcome_record = [], 0, {}
        self.rounds = self.scenario["rounds"]

        self.header = widgets.HTML(self._header_html())
        self.cards = CardViewer(
            [(f"{t['name']}: {cards[t['role']]['role']}", t["role"]) for t in self.teams]
        )
        self.round_box = widgets.HTML()
        self.team = widgets.Dropdown(
            options=[t["name"] for t in self.teams],
            description="Team:",
            style={"description_width": "initial"},
        )
        self.kind = widgets.Dropdown(
            options=[(v, k) for k, v in KINDS.items()],
            value="statement",
            description="Kind:",
            style={"description_width": "initial"},
        )
        self.text = widgets.Textarea(
            placeholder="The offer or statement, in your own words.",
            description="Offer:",
            rows=3,
            layout={"width": "100%"},
        )
        self.attach = widgets.Checkbox(
            value=False,
            description="Attach the design shown in the settlement designer",
            indent=False,
            disabled=designer is None,
            layout={"width": "auto"},
        )
        self.record_button = widgets.Button(
            description="Record", icon="check", tooltip="Add to the log (saved in the journal)"
        )
        self.next_button = widgets.Button(description="Next round ▶")
        self.status = widgets.HTML()
        self.log_box = widgets.HTML()
        self.outcome = widgets.Dropdown(
            options=[(v, k) for k, v in OUTCOMES.items()],
            value="",
            description="Outcome:",
            style={"description_width": "initial"},
        )
        self.outcome_note = widgets.Textarea(
            placeholder="What was agreed, or why not (for the debrief).",
            rows=2,
            layout={"width": "100%"},
        )
        self.debrief_button = widgets.Button(description="Debrief", icon="flag-checkered")
        self.debrief_box = widgets.HTML()
        self.record_button.on_click(lambda _: self._record_from_widgets())
        self.next_button.on_click(lambda _: self.next_round())
        self.debrief_button.on_click(lambda _: self.debrief())
        super().__init__(
            [
                stylesheet(),
                self.header,
                widgets.Accordion(children=[self.cards], titles=("Role cards",)),
                self.round_box,
                widgets.HBox([self.team, self.kind]),
                self.text,
                self.attach,
                widgets.HBox([self.record_button, self.next_button, self.status]),
                widgets.HTML("<h4>Offer log</h4>"),
                self.log_box,
                widgets.HTML("<h4>Debrief</h4>"),
                widgets.HBox([self.outcome, self.debrief_button]),
                self.outcome_note,
                self.debrief_box,
            ]
        )
        self.add_class("kuril-negotiation")
        from .._cite.widgets import attach  # cite the evidence in an offer: [@id]

        attach(self, self.text, {"lesson": LESSON}, at=self.text)
        self._restore()
        self._refresh()

    # ------------------------------------------------------------ state

    @property
    def round(self):
        """The current round, counted from 1."""
        return self._round + 1

    @property
    def log(self):
        """Every recorded offer, in order: a DataFrame with round, round_title, team, role, kind,
        offer (the text), design (who holds what, if a design was attached) and time (UTC)."""
        rows = [
            {
                **{c: o.get(c, "") for c in LOG_COLUMNS},
                "design": design_summary(o["design"]) if o.get("design") else "",
            }
            for o in self.offers
        ]
        return pd.DataFrame(rows, columns=LOG_COLUMNS)

    def _state(self):
        return {
            "teams": self.teams,
            "round": self._round,
            "offers": self.offers,
            "outcome": self.outcome_record,
            "scenario": self.scenario["title"],
        }

    def _restore(self):
        try:
            saved = journal.get(self.item)
        except Exception:  # an unreadable journal must not stop the class
            saved = None
        answer = saved.get("answer") if saved else None
        if not isinstance(answer, dict) or answer.get("teams") != self.teams:
            return
        offers = [o for o in answer.get("offers") or [] if isinstance(o, dict)]
        for o in offers:
            if o.get("design"):
                try:
                    o["design"] = rules.normalise(o["design"])
                except ValueError:
                    o["design"] = None
        self.offers = offers
        rnd = answer.get("round")
        self._round = rnd if isinstance(rnd, int) and 0 <= rnd < len(self.rounds) else 0
        outcome = answer.get("outcome") if isinstance(answer.get("outcome"), dict) else {}
        self.outcome_record = outcome
        if outcome.get("outcome") in OUTCOMES:
            self.outcome.value = outcome["outcome"]
        self.outcome_note.value = str(outcome.get("note", ""))
        if self.offers:
            self.status.value = (
                f"<small>Restored {len(self.offers)} recorded "
                f"offer{'s' if len(self.offers) != 1 else ''} from the journal.</small>"
            )
            last = self.offers[-1].get("team")
            names = [t["name"] for t in self.teams]
            if last in names:
                self.team.value = names[(names.index(last) + 1) % len(names)]

    def _save(self):
        try:
            names = ", ".join(f"{t['name']} ({t['role']})" for t in self.teams)
            journal.record(
                LESSON,
                self.item,
                self._state(),
                kind="negotiation",
                prompt=f"Negotiation role-play: {names}",
            )
            problem = journal.save_error()
        except Exception as exc:  # keep the log on screen even if the disk refuses
            problem = f"Could not save to the journal ({exc})."
        return problem

    # ------------------------------------------------------------ actions

    def _team_name(self, team):
        names = [t["name"] for t in self.teams]
        if team in names:
            return team
        by_role = [t["name"] for t in self.teams if t["role"] == team]
        if by_role:
            return by_role[0]
        raise ValueError(f"No team {team!r} in this negotiation; the teams are: {', '.join(names)}")

    def record(self, team, kind, text="", design=None):
        """Add one offer to the log and save it; returns the recorded offer (a dict)."""
        name = self._team_name(team)
        if kind not in KINDS:
            raise ValueError(f"kind must be one of: {', '.join(KINDS)}; got {kind!r}")
        text = str(text or "").strip()
        if not text and kind in NEEDS_TEXT:
            raise ValueError(f"Write the {KINDS[kind].lower()} first: it needs some text")
        note = ""
        if len(text) > MAX_TEXT:
            text, note = text[:MAX_TEXT], f" (cut to the first {MAX_TEXT:,} characters)"
        offer = {
            "round": self.round,
            "round_title": self.rounds[self._round]["title"],
            "team": name,
            "role": self.roles[name]["role"],
            "kind": KINDS[kind],
            "offer": text,
            "design": rules.normalise(design) if design is not None else None,
            "time": _now(),
        }
        self.offers.append(offer)
        problem = self._save()
        names = [t["name"] for t in self.teams]
        self.team.value = names[(names.index(name) + 1) % len(names)]
        self.status.value = (
            "<small>" + plain_html(problem or f"Recorded{note}; saved in the journal.") + "</small>"
        )
        self._refresh()
        return dict(offer)

    def _record_from_widgets(self):
        design = None
        if self.attach.value and self.designer is not None:
            design = self.designer.design
        try:
            self.record(self.team.value, self.kind.value, self.text.value, design)
        except ValueError as exc:
            self.status.value = f"<small>{plain_html(exc)}</small>"
            return
        self.text.value = ""
        self.attach.value = False

    def next_round(self):
        """Move to the next round (stays on the last); returns the round number."""
        if self._round < len(self.rounds) - 1:
            self._round += 1
            self.status.value = "<small>" + plain_html(self._save() or "Next round.") + "</small>"
        else:
            self.status.value = (
                "<small>This is the last round: record the outcome and press Debrief.</small>"
            )
        self._refresh()
        return self.round

    def debrief(self):
        """Record the outcome and compare it with 1956, 1993 and 2018-19; return the debrief box."""
        self.outcome_record = {
            "outcome": self.outcome.value,
            "note": self.outcome_note.value.strip(),
            "time": _now(),
        }
        problem = self._save()
        try:
            self.debrief_box.value = self._debrief_html()
        except DataError as exc:
            self.debrief_box.value = f'<div role="alert">{plain_html(exc)}</div>'
        if problem:
            self.status.value = f"<small>{plain_html(problem)}</small>"
        return self.debrief_box

    # ------------------------------------------------------------ showing

    def _header_html(self):
        s = self.scenario
        teams = "".join(
            f"<li><b>{plain_html(t['name'])}</b>: {plain_html(self.roles[t['name']]['role'])}</li>"
            for t in self.teams
        )
        return (
            f"<h3>{plain_html(s['title'])}</h3>{markdown_html(s['brief'])}"
            f"<p><b>The decision:</b> {plain_html(s['decision'])}</p>"
            f"<p><b>Teams</b></p><ul>{teams}</ul>"
        )

    def _refresh(self):
        r = self.rounds[self._round]
        self.round_box.value = (
            f"<h4>Round {self.round} of {len(self.rounds)}: "
            f"{plain_html(r['title'])}</h4><p>{plain_html(r['instructions'])}</p>"
        )
        # at the last round the button stays enabled (its click says why nothing happens):
        # disabling the button just pressed would drop the keyboard focus to the page
        mark_end(self.next_button, self._round >= len(self.rounds) - 1, "Go to the next round",
                 "This is the last round")
        self.log_box.value = _log_html(self.log)

    def _final_design(self):
        for offer in reversed(self.offers):
            if offer.get("design"):
                return offer
        return None

    def _debrief_html(self):
        outcome = OUTCOMES.get(self.outcome_record.get("outcome", ""), "")
        parts = [
            f"<p><b>Your outcome:</b> {plain_html(outcome)}"
            + (
                f" ({plain_html(self.outcome_record['note'])})"
                if self.outcome_record.get("note")
                else ""
            )
            + f". Offers recorded: {len(self.offers)}.</p>"
        ]
        final = self._final_design()
        if final:
            parts.append(
                f"<p><b>The last design on the table</b> ({plain_html(final['team'])}, "
                f"round {final['round']}):</p>"
                + markdown_html(settlement.describe(final["design"]))
            )
        else:
            parts.append(
                "<p>No design was attached to an offer, so the comparison below is "
                "qualitative. Attach a design from the settlement designer to see each "
                "precedent's stated conditions checked against it.</p>"
            )
        for p in settlement.precedents():
            parts.append(_precedent_html(p, final["design"] if final else None))
        parts.append(
            "<p><small>None of these outcomes is the right one: the point is to see "
            "what each side could and could not accept, then and now.</small></p>"
        )
        return "".join(parts)


def _log_html(log):
    if not len(log):
        return "<p><small>No offers recorded yet.</small></p>"
    head = "".join(
        f'<th scope="col" {_CELL}>{h}</th>' for h in ("Round", "Team", "Kind", "Offer", "Design")
    )
    rows = "".join(
        f"<tr><td {_CELL}>{r['round']}</td><td {_CELL}>{plain_html(r['team'])}</td>"
        f"<td {_CELL}>{plain_html(r['kind'])}</td><td {_CELL}>{plain_html(r['offer'])}</td>"
        f"<td {_CELL}><small>{plain_html(r['design'])}</small></td></tr>"
        for _, r in log.iterrows()
    )
    return f'<table style="border-collapse:collapse"><tr>{head}</tr>{rows}</table>'


def _precedent_html(p, design):
    out = [
        f"<h5>{plain_html(p['title'])}</h5>"
        f"<p>{plain_html(' '.join(p['what_happened'].split()))}</p>"
    ]
    if design is not None:
        table = settlement.check(design, p["check_date"])
        if len(table):
            items = "".join(
                f"<li>{html.escape(r['result'])}: {plain_html(r['government'])}, "
                f"{plain_html(r['condition'])}</li>"
                for _, r in table.iterrows()
            )
            out.append(
                f"<p>Your last design, against the conditions stated at "
                f"{plain_html(table.attrs.get('date', p['check_date']))}:</p><ul>{items}</ul>"
            )
    if p.get("questions"):
        out.append(
            "<p><b>Discuss:</b></p><ul>"
            + "".join(f"<li>{plain_html(q)}</li>" for q in p["questions"])
            + "</ul>"
        )
    out.append(f"<p><small>Sources: {plain_html(cite(p['sources']))}</small></p>")
    return "".join(out)
