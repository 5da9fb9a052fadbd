"""The settlement engine behind ``helpers.settlement``: designs, the governments' stated
conditions, checking a design against them, what each side would hold, and proposals made.

Plain functions over plain dicts and DataFrames, no widgets; the designer (``designer``) and the
negotiation (``negotiation``) use it as ``helpers.settlement`` does.
"""

import copy

import pandas as pd

from .. import data
from .._common import dates, labels
from . import files, roles, rules

ISLANDS = rules.ISLANDS
ISLAND_OPTIONS = rules.ISLAND_OPTIONS
SETTLEMENT_OPTIONS = rules.SETTLEMENT_OPTIONS
# Turning points the designer offers (a year means its last day, as in the positions explorer).
CHECK_DATES = ("1951", "1956", "1960", "1991", "1993", "2001", "2016", "2019-01-22", "2020", "2022")
_ORDER = {"japan": 0, "ussr": 1, "russia": 2, "usa": 3}
SIDES = {"japan": "Japan", "russia": "Russia", "shared": "Shared", "deferred": "Left undecided"}


# ---------------------------------------------------------------- designs


def status_quo():
    """The design that changes nothing (Russian sovereignty and administration, no treaty)."""
    return rules.status_quo()


def design(islands=None, **settlement):
    """A complete design from the choices given; everything else keeps the status quo.

    ``islands`` maps island ids to a dict of choices (``sovereignty``, ``timing``,
    ``transition_years``, ``administration``) or just a sovereignty: ``{"habomai": "japan"}``.
    A sovereignty of ``japan`` given alone also sets Japanese administration. ``settlement``
    takes ``peace_treaty``, ``residents``, ``former_residents``, ``military``,
    ``joint_economic``. Allowed values: ``ISLAND_OPTIONS`` and ``SETTLEMENT_OPTIONS``.
    """
    islands = dict(islands or {})
    for island, choice in list(islands.items()):
        if isinstance(choice, str):  # shorthand: whoever is sovereign also administers
            admin = {"japan": "japan", "russia": "russia", "shared": "joint"}.get(choice, "russia")
            islands[island] = {"sovereignty": choice, "administration": admin}
    return rules.normalise({"islands": islands, **settlement})


def proposal_design(proposal_id):
    """The design encoding a proposal in data/proposals.yml (a copy you may change)."""
    found = {p["id"]: p for p in proposal_entries()[0]}
    if proposal_id not in found:
        raise ValueError(f"No proposal {proposal_id!r}. The proposals are: {', '.join(found)}")
    return copy.deepcopy(found[proposal_id]["design"])


# ---------------------------------------------------------------- data


def condition_entries():
    """(conditions that passed their checks, problems) from data/conditions.yml."""
    return files.load_conditions()


def proposal_entries():
    """(proposals, precedents, problems) from data/proposals.yml."""
    return files.load_proposals()


def problems():
    """Every problem in data/conditions.yml, data/proposals.yml and data/roles/ (file, entry,
    field, what is allowed); empty when all is well. ``python -m helpers.instructor check`` runs it.
    When course.yml does not list the capstone, missing files are not a problem."""
    needed = files.lesson_in_course()
    out = []
    for path, load in (
        (files.conditions_path(), lambda: condition_entries()[1]),
        (files.proposals_path(), lambda: proposal_entries()[2]),
    ):
        if path.exists() or needed:
            out += load()
    return out + files.island_problems() + roles.problems()


def checking_day(date):
    """(day, label) of a checking date: a year or month means its last day, as everywhere."""
    return pd.Timestamp(dates.day(date)), dates.label(date)


def _in_force(entry, when):
    return dates.in_force(entry["from_date"], entry.get("to_date"), when)


def _period(entry):
    return labels.period_text(str(entry["from_date"]), entry.get("to_date") or None)


def _quote_note(quote):
    if not quote:
        return ""
    status = {
        "official": "wording read on an official host",
        "third-party": "official wording via a third-party copy: check before print",
    }
    parts = [
        quote.get("translation", ""),
        status.get(quote.get("status"), ""),
        quote.get("note", ""),
    ]
    return "; ".join(str(p).strip() for p in parts if p)


def _words(text):
    return " ".join(str(text or "").split())


def _condition_table(entries, findings=None):
    """One row per condition entry; ``findings`` [(result, explanation)] adds those columns."""
    table = pd.DataFrame({
        "government": [labels.governments(c["actors"]) for c in entries],
        "condition": [c["title"] for c in entries],
        "statement": [_words(c["statement"]) for c in entries],
        "quote": [_words((c.get("quote") or {}).get("text")) for c in entries],
        "quote_note": [_quote_note(c.get("quote")) for c in entries],
        "notes": [_words(c.get("notes")) for c in entries],
        "in_force": [_period(c) for c in entries],
        "documents": [labels.doc_titles(c.get("documents") or []) for c in entries],
        "sources": [labels.cite(c["sources"]) for c in entries],
        "id": [c["id"] for c in entries],
    }, columns=CONDITION_COLUMNS)
    if findings is not None:
        table.insert(2, "result", [r for r, _ in findings])
        table.insert(3, "explanation", [e for _, e in findings])
    return table


CONDITION_COLUMNS = ["government", "condition", "statement", "quote", "quote_note", "notes",
                     "in_force", "documents", "sources", "id"]


def conditions(date=None):
    """The stated conditions (one row per condition), or those in force at ``date``.

    Columns: ``government``, ``condition`` (title), ``statement`` (as that government states it,
    in our words), ``quote`` (verified wording only, else empty), ``quote_note``, ``notes`` (on
    the sources and dates), ``in_force``, ``documents``, ``sources`` (short citations), ``id``.
    """
    entries, _ = condition_entries()
    if date is not None:
        when, _ = checking_day(date)
        entries = [c for c in entries if _in_force(c, when)]
    return _condition_table(sorted(entries, key=_sort_key))


def _sort_key(c):
    actors = c["actors"]
    rank = 3 if len(actors) > 1 else _ORDER.get(actors[0], 4)
    return rank, str(c["from_date"])


def proposals():
    """Proposals actually made (one row each): ``proposal``, ``date``, ``proposed_by``, ``kind``,
    ``summary`` (our words), ``encoding_note`` (how the design reads it), ``sources``, ``id``."""
    entries = proposal_entries()[0]
    return pd.DataFrame(
        {
            "proposal": [p["title"] for p in entries],
            "date": [p["date"] for p in entries],
            "proposed_by": [p["proposed_by"] for p in entries],
            "kind": [p["kind"].replace("_", " ") for p in entries],
            "summary": [" ".join(p["summary"].split()) for p in entries],
            "encoding_note": [" ".join(p["encoding_note"].split()) for p in entries],
            "sources": [labels.cite(p["sources"]) for p in entries],
            "id": [p["id"] for p in entries],
        }
    )


def precedents():
    """The moments the role-play debrief compares with, as dicts (see data/proposals.yml)."""
    return copy.deepcopy(proposal_entries()[1])


# ---------------------------------------------------------------- checking


def _island_name(naming=None):
    return lambda island: labels.island_label(island, naming)


def _findings(design, when, naming=None):
    """[(condition, result, explanation)] for the conditions in force on ``when``."""
    design = rules.normalise(design)
    name = _island_name(naming)
    out = []
    for c in sorted((c for c in condition_entries()[0] if _in_force(c, when)), key=_sort_key):
        result, details = rules.evaluate(c["rule"], design)
        key = {rules.MEETS: "meets", rules.CONFLICTS: "conflicts", rules.UNCLEAR: "unclear"}
        key = key.get(result, "not_addressed")
        words = [" ".join(str(c["explain"][key]).split())]
        words += rules.detail_sentences(details, name)
        out.append((c, result, " ".join(words)))
    return out


def check(design, date, naming=None):
    """Check ``design`` against every condition in force at ``date``; one row per condition.

    Columns: ``government``, ``condition``, ``result`` ("meets", "conflicts with", "unclear"
    or "not addressed"), ``explanation`` (plain words, naming the islands concerned),
    ``statement`` (the condition as that government states it, in our words), ``quote``
    (verified wording only), ``quote_note``, ``notes``, ``in_force``, ``documents``, ``sources``,
    ``id``. Counting rows is not a score: the conditions differ in weight, and the governments
    change them.
    """
    when, label = checking_day(date)
    rows = _findings(design, when, naming)
    table = _condition_table([c for c, _, _ in rows], [(r, e) for _, r, e in rows])
    table.attrs["date"] = label
    return table


def unaddressed_choices(design, date):
    """Design choices that no condition in force at ``date`` tests (field names)."""
    design = rules.normalise(design)
    when, _ = checking_day(date)
    tested = set()
    for c in condition_entries()[0]:
        if _in_force(c, when):
            for clause in c["rule"]:
                for key in ("where", "require", "settlement_where", "settlement_require"):
                    tested |= set(clause.get(key) or {})
    if "after_peace_treaty" in tested:
        tested |= {"timing", "peace_treaty"}
    if "changes_hands" in tested:
        tested |= {"sovereignty", "administration"}
    fields = ["sovereignty", "timing", "administration", *rules.SETTLEMENT_OPTIONS]
    return [f for f in fields if f not in tested]


# ---------------------------------------------------------------- what each side holds


def _island_rows():
    return {i: r for i, r in data.records("islands").items() if i in ISLANDS}


def _number(value):
    return None if value is None or pd.isna(value) else value


def holdings(design, by="sovereignty", naming=None):
    """What each side would hold under ``design``: one row per side (Japan, Russia, Shared, Left
    undecided) with ``islands``, ``area_km2``, ``population`` (recent Russian figures, summed
    where published), ``population_note`` and ``residents_1945`` (Japanese residents in August
    1945). ``by="administration"`` groups by who administers instead. Figures: data/islands.csv.
    """
    if by not in ("sovereignty", "administration"):
        raise ValueError("by must be 'sovereignty' or 'administration'")
    design = rules.normalise(design)
    rows, name = _island_rows(), _island_name(naming)
    sides = (
        SIDES
        if by == "sovereignty"
        else {"japan": "Japan", "russia": "Russia", "joint": "Joint administration"}
    )
    out = []
    for side, label in sides.items():
        ids = [i for i in ISLANDS if design["islands"][i][by] == side]
        area = sum(float(_number(rows.get(i, {}).get("area_km2")) or 0) for i in ids)
        pops = {i: _number(rows.get(i, {}).get("russian_population")) for i in ids}
        years = sorted(
            {
                int(_number(rows[i].get("russian_population_year")))
                for i in ids
                if i in rows and _number(rows[i].get("russian_population_year"))
            }
        )
        missing = [name(i) for i, p in pops.items() if p is None]
        note = f"Russian statistics, {', '.join(map(str, years))}" if years else ""
        if missing:
            note += (
                "; " if note else ""
            ) + f"no civilian population recorded for {', '.join(missing)}"
        out.append(
            {
                by if by == "administration" else "side": label,
                "islands": ", ".join(name(i) for i in ids),
                "area_km2": round(area, 1),
                "population": int(sum(p for p in pops.values() if p is not None)),
                "population_note": note,
                "residents_1945": int(
                    sum(_number(rows.get(i, {}).get("japanese_residents_1945")) or 0 for i in ids)
                ),
            }
        )
    return pd.DataFrame(out)


# ---------------------------------------------------------------- comparing with proposals

_COMPARED = ("sovereignty", "administration", "timing")


def _timing_words(c):
    words = rules.value_label("timing", c["timing"])
    if c["timing"] == "transition" and c["transition_years"]:
        words += f" ({c['transition_years']} years)"
    return f"“{words}”"


NO_HANDOVER = "“no handover: the island stays with the state that holds it”"


def _differences(mine, theirs, name):
    """(choices in common, choices compared, differences in words). Every proposal is compared
    on the same choices: for each island its sovereignty, administration and handover (an island
    that does not change hands has "no handover", whatever timing was left set), and each
    settlement-wide choice; so "12 of 17" and "8 of 17" count the same things."""
    same = total = 0
    diffs = []
    for island in ISLANDS:
        a, b = mine["islands"][island], theirs["islands"][island]
        moves = (
            rules.derived(a, mine)["changes_hands"],
            rules.derived(b, theirs)["changes_hands"],
        )
        for f in _COMPARED:
            if f == "timing":
                va = _timing_words(a) if moves[0] else NO_HANDOVER
                vb = _timing_words(b) if moves[1] else NO_HANDOVER
            else:
                va, vb = rules._quoted(f, a[f]), rules._quoted(f, b[f])
            total += 1
            if va == vb:
                same += 1
            else:
                diffs.append(f"{name(island)}, {rules.FIELD_LABELS[f]}: yours {va}, theirs {vb}")
    for f in rules.SETTLEMENT_OPTIONS:
        total += 1
        if mine[f] == theirs[f]:
            same += 1
        else:
            diffs.append(
                f"{rules.FIELD_LABELS[f].capitalize()}: yours "
                f"{rules._quoted(f, mine[f])}, theirs {rules._quoted(f, theirs[f])}"
            )
    return same, total, diffs


def compare(design, naming=None):
    """``design`` beside each proposal actually made: one row per proposal with ``proposal``,
    ``date``, ``proposed_by``, ``same`` / ``of`` (choices in common), ``differences`` (each in
    words), and the area each side would hold under the proposal (``japan_km2``, ``russia_km2``,
    ``other_km2`` for shared or undecided). Similar is not better: this says only how close."""
    design = rules.normalise(design)
    name = _island_name(naming)
    rows = _island_rows()
    out = []
    for p in proposal_entries()[0]:
        same, total, diffs = _differences(design, p["design"], name)
        area = {
            side: sum(
                float(_number(rows.get(i, {}).get("area_km2")) or 0)
                for i in ISLANDS
                if p["design"]["islands"][i]["sovereignty"] == side
            )
            for side in SIDES
        }
        out.append(
            {
                "proposal": p["title"],
                "date": p["date"],
                "proposed_by": p["proposed_by"],
                "same": same,
                "of": total,
                "differences": "; ".join(diffs) or "none",
                "japan_km2": round(area["japan"], 1),
                "russia_km2": round(area["russia"], 1),
                "other_km2": round(area["shared"] + area["deferred"], 1),
                "sources": labels.cite(p["sources"]),
                "id": p["id"],
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "proposal",
            "date",
            "proposed_by",
            "same",
            "of",
            "differences",
            "japan_km2",
            "russia_km2",
            "other_km2",
            "sources",
            "id",
        ],
    )


# ---------------------------------------------------------------- words and pictures


def describe(design, naming=None):
    """The design in words (Markdown): the text alternative to :func:`design_map`."""
    design = rules.normalise(design)
    name = _island_name(naming)
    lines = []
    for island in ISLANDS:
        c = design["islands"][island]
        timing = rules.value_label("timing", c["timing"]).lower()
        if c["timing"] == "transition":
            timing = (
                f"after a transition of {c['transition_years']} years"
                if c["transition_years"]
                else "after a transition period of unstated length"
            )
        lines.append(
            f"- **{name(island)}**: "
            f"sovereignty {rules.value_label('sovereignty', c['sovereignty'])}; "
            f"administered by {rules.value_label('administration', c['administration'])}; "
            f"takes effect {timing}."
        )
    for f in rules.SETTLEMENT_OPTIONS:
        lines.append(
            f"- {rules.FIELD_LABELS[f].capitalize()}: {rules.value_label(f, design[f])}."
        )
    notes = rules.consistency_notes(design, name)
    if notes:
        lines.append("")
        lines += [f"- Note: {n}" for n in notes]
    return "\n".join(lines)
