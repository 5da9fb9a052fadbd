"""The class's settlements: every capstone design handed in, counted island by island, and checked
against each government's stated conditions at the date its learner chose.

A design is the settlement designer's saved answer (journal kind ``design``: the design and the
checking date). Designs are checked again here with ``helpers.settlement.check``; what the learner's
file says the findings were is not used.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from ... import settlement
from ..._capstone import rules
from ..._capstone.engine import checking_day

DESIGN_KIND = "design"
CHANGES_HANDS = ("japan", "shared")  # a timing matters only where sovereignty changes
RESULTS = rules.RESULTS


@dataclass
class Settlements:
    """What the class designed and how the designs fared."""

    designs: list = field(default_factory=list)  # (learner key, design, date)
    islands: dict = field(default_factory=dict)  # island -> {sovereignty -> {timing -> n}}
    dates: dict = field(default_factory=dict)  # checking date -> designs
    outcomes: list = field(default_factory=list)  # one dict per condition
    results: dict = field(default_factory=dict)  # learner key -> {condition id: result}
    problems: list = field(default_factory=list)  # (learner key, file, reason)


def timing_of(choices):
    """The handover timing of one island's choices, in words for tables ('—' if it stays)."""
    if choices["sovereignty"] not in CHANGES_HANDS:
        return "no change of hands" if choices["sovereignty"] == "russia" else "left undecided"
    if choices["timing"] == "transition" and choices.get("transition_years"):
        return f"after a transition ({choices['transition_years']} years)"
    return rules.value_label("timing", choices["timing"])


def collect(answers_by_learner):
    """Settlements from {learner key: [(entry, file)]} of design answers."""
    out = Settlements()
    for key, found in answers_by_learner.items():
        for entry, file in found:
            problem = _add(out, key, entry)
            if problem:
                out.problems.append((key, file, problem))
    _count(out)
    _check(out)
    return out


def _add(out, key, entry):
    answer = entry.get("answer")
    if not isinstance(answer, dict):
        return "the saved design is not a design"
    try:
        design = rules.normalise(answer.get("design"))
        date = str(answer.get("date") or "")
        checking_day(date)  # the one date reader: a year means its last day
    except (ValueError, TypeError) as exc:
        return f"the saved design could not be read ({exc})"
    out.designs.append((key, design, date))
    return None


def _count(out):
    islands = {i: {} for i in rules.ISLANDS}
    for _, design, _date in out.designs:
        for island in rules.ISLANDS:
            choices = design["islands"][island]
            side = islands[island].setdefault(choices["sovereignty"], Counter())
            side[timing_of(choices)] += 1
    out.islands = {i: {s: dict(t) for s, t in sides.items()} for i, sides in islands.items()}
    out.dates = dict(Counter(date for _, _, date in out.designs))


def _check(out):
    cache, table = {}, {}
    for key, design, date in out.designs:
        token = (json.dumps(design, sort_keys=True), date)
        if token not in cache:
            found = settlement.check(design, date)
            cache[token] = list(zip(found["id"], found["government"], found["condition"],
                                    found["result"], strict=True))
        out.results[key] = {cid: result for cid, _, _, result in cache[token]}
        for cid, government, condition, result in cache[token]:
            row = table.setdefault(cid, {"id": cid, "government": government,
                                         "condition": condition, "checked": 0,
                                         **{r: 0 for r in RESULTS}})
            row["checked"] += 1
            row[result] += 1
    out.outcomes = sorted(table.values(), key=lambda r: (r["government"], r["condition"]))
