"""The settlement rule engine: a design in, findings out. Pure: no files, no widgets, no data.

A *design* is a plain dict (JSON-ready, so the journal can keep it)::

    {"islands": {"habomai": {"sovereignty": "japan", "timing": "peace_treaty",
                             "transition_years": None, "administration": "japan"}, ...},
     "peace_treaty": "now", "residents": "not_addressed", "former_residents": "none",
     "military": "not_addressed", "joint_economic": "not_addressed"}

A *condition's rule* (from data/conditions.yml) is a list of clauses; each clause picks islands
(``islands``, filtered by ``where``) and says which values they must have (``require``), and may
do the same for the settlement-wide choices (``settlement_where`` / ``settlement_require``).
Every clause must hold: any clause broken and the condition *conflicts with* the design; a
design that leaves a needed choice "not addressed" does *not address* it (silence never meets a
condition); a clause whose ``where`` finds nothing to judge does not count either way. A clause
with ``when_broken: unclear`` marks what the record leaves open: broken, it makes the finding
*unclear* (the government's statements neither accept nor reject the design), never *meets*.
"""

import math

ISLANDS = ("etorofu-iturup", "kunashiri-kunashir", "shikotan", "habomai")

# Choices: field -> {value: label}. Labels are generic interface text, not historical claims.
ISLAND_OPTIONS = {
    "sovereignty": {
        "japan": "Japan",
        "russia": "Russia",
        "shared": "Shared (joint sovereignty)",
        "deferred": "Left undecided (deferred)",
    },
    "timing": {
        "on_signing": "When this settlement is signed",
        "peace_treaty": "When a peace treaty is concluded",
        "transition": "After a transition period",
    },
    "administration": {
        "japan": "Japan",
        "russia": "Russia",
        "joint": "Joint administration",
    },
}
SETTLEMENT_OPTIONS = {
    "peace_treaty": {
        "now": "This settlement is the peace treaty",
        "later": "A peace treaty later, once the rest is settled",
        "none": "No peace treaty",
    },
    "residents": {
        "not_addressed": "Not addressed",
        "stay": "May stay permanently",
        "transition_only": "May stay during the transition only",
    },
    "former_residents": {
        "not_addressed": "Not addressed",
        "none": "No special access",
        "visa_free": "Visa-free visits, including grave visits",
        "free_access": "Free access to the islands",
    },
    "military": {
        "not_addressed": "Not addressed",
        "no_restriction": "No restrictions",
        "no_foreign_forces_islands": "No foreign forces on islands that change hands",
        "demilitarised_islands": "Islands that change hands are demilitarised",
        "no_foreign_forces_japan": "All foreign forces leave Japan",
    },
    "joint_economic": {
        "not_addressed": "Not addressed",
        "none": "None",
        "special_framework": "Under a special framework that prejudices neither side's position",
        "sovereign_law": "Under the law of the state that administers the island",
    },
}
FIELD_LABELS = {
    "sovereignty": "sovereignty",
    "timing": "handover",
    "transition_years": "transition (years)",
    "administration": "administration",
    "peace_treaty": "peace treaty",
    "residents": "current residents",
    "former_residents": "former residents' access",
    "military": "military restrictions",
    "joint_economic": "joint economic activity",
    "changes_hands": "changes hands",
    "after_peace_treaty": "handed over no earlier than a peace treaty",
}
# Facts worked out from the choices, which rules may test like any field (values true/false).
DERIVED = ("changes_hands", "after_peace_treaty")
NOT_ADDRESSED = "not_addressed"
MAX_YEARS = 99
STATUS_QUO_ISLAND = {
    "sovereignty": "russia",
    "timing": "on_signing",
    "transition_years": None,
    "administration": "russia",
}
STATUS_QUO_SETTLEMENT = {
    "peace_treaty": "none",
    "residents": "not_addressed",
    "former_residents": "not_addressed",
    "military": "not_addressed",
    "joint_economic": "not_addressed",
}

MEETS, CONFLICTS, NOT_ADDRESSED_RESULT = "meets", "conflicts with", "not addressed"
UNCLEAR = "unclear"  # the record does not say whether the government would accept the design
RESULTS = (MEETS, CONFLICTS, UNCLEAR, NOT_ADDRESSED_RESULT)
WHEN_BROKEN = ("conflicts", "unclear")


def status_quo():
    """The design that changes nothing: Russian sovereignty and administration, no treaty."""
    return {"islands": {i: dict(STATUS_QUO_ISLAND) for i in ISLANDS}, **STATUS_QUO_SETTLEMENT}


def _allowed(options, name, value, where):
    if not isinstance(value, str) or value not in options:
        shown = ", ".join(repr(v) for v in options)
        raise ValueError(f"{where}: {name} {value!r} is not allowed; use one of: {shown}")
    return value


def _years(value, where):
    if value is None or value == "":
        return None
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value != int(value)):
        raise ValueError(
            f"{where}: transition_years must be a whole number of years, got {value!r}"
        )
    if not 1 <= int(value) <= MAX_YEARS:
        raise ValueError(
            f"{where}: transition_years must be between 1 and {MAX_YEARS}, got {value}"
        )
    return int(value)


def normalise(design):
    """A complete, checked copy of ``design``: missing choices keep the status quo.

    ``design["islands"][id]`` may be a dict of choices or just a sovereignty (``"japan"``).
    Raises ValueError naming the island and field when a value is not allowed.
    """
    if design is None:
        return status_quo()
    if not isinstance(design, dict):
        raise ValueError(
            f"A design is a dict (see settlement.status_quo()), got {type(design).__name__}"
        )
    unknown = set(design) - {"islands", *SETTLEMENT_OPTIONS}
    if unknown:
        raise ValueError(
            f"Unknown design field(s) {', '.join(sorted(map(str, unknown)))}; the fields "
            f"are: islands, {', '.join(SETTLEMENT_OPTIONS)}"
        )
    out = status_quo()
    islands = design.get("islands") or {}
    if not isinstance(islands, dict):
        raise ValueError("design['islands'] must map island ids to their choices")
    for island, choices in islands.items():
        if island not in ISLANDS:
            raise ValueError(f"Unknown island {island!r}; the islands are: {', '.join(ISLANDS)}")
        if isinstance(choices, str):
            choices = {"sovereignty": choices}
        if not isinstance(choices, dict):
            raise ValueError(f"design['islands'][{island!r}] must be a dict of choices")
        for name, value in choices.items():
            where = f"island {island}"
            if name == "transition_years":
                out["islands"][island][name] = _years(value, where)
            elif name in ISLAND_OPTIONS:
                out["islands"][island][name] = _allowed(ISLAND_OPTIONS[name], name, value, where)
            else:
                raise ValueError(
                    f"{where}: unknown choice {name!r}; the choices are: "
                    f"{', '.join([*ISLAND_OPTIONS, 'transition_years'])}"
                )
    for name, options in SETTLEMENT_OPTIONS.items():
        if name in design:
            out[name] = _allowed(options, name, design[name], "settlement")
    return out


def derived(island_choices, design):
    """The worked-out facts rules can test for one island."""
    sov, admin = island_choices["sovereignty"], island_choices["administration"]
    treaty, timing = design["peace_treaty"], island_choices["timing"]
    return {
        # any move away from Russian sovereignty and administration
        "changes_hands": sov in ("japan", "shared") or admin in ("japan", "joint"),
        # signed as the peace treaty, or timed to a treaty still to come
        "after_peace_treaty": treaty == "now" or (treaty == "later" and timing == "peace_treaty"),
    }


def consistency_notes(design, island_name=lambda i: i):
    """Plain-language warnings about choices that do not fit together (never a verdict)."""
    notes = []
    for island, c in design["islands"].items():
        name = island_name(island)
        moves = derived(c, design)["changes_hands"]
        if moves and c["timing"] == "peace_treaty" and design["peace_treaty"] == "none":
            notes.append(
                f"{name}: the handover waits for a peace treaty, but the design has "
                "none, so the handover would never happen."
            )
        if moves and c["timing"] == "transition" and c["transition_years"] is None:
            notes.append(f"{name}: a transition period is chosen but its length is not set.")
        if c["sovereignty"] == "shared" and c["administration"] != "joint":
            notes.append(f"{name}: sovereignty is shared but one state alone administers it.")
    return notes


def _values(island, design):
    c = design["islands"][island]
    return {**c, **derived(c, design)}


def evaluate(rule, design):
    """Judge ``design`` (normalised) by ``rule`` (a list of clauses); return (result, details).

    Every clause must hold. A clause *conflicts* (a value outside what it allows), is *unclear*
    (the same, in a clause marked ``when_broken: unclear``), is *silent* (the design leaves a
    field it needs "not addressed"), *meets*, or is *skipped* (its ``where`` or
    ``settlement_where`` finds nothing to judge). Any conflict: the condition conflicts with the
    design. Else anything unclear: unclear. Else any silence: not addressed (a condition cannot
    be met by saying nothing). Else any clause met: meets. Else nothing applied: not addressed.

    ``details`` are (island or None, field, value, allowed, kind) tuples, kind being ``broken``,
    ``unclear``, ``silent`` or ``skipped``.
    """
    kinds, details = [], []
    for clause in rule:
        kind, found = _clause(clause, design)
        kinds.append(kind)
        details += found
    if "conflicts" in kinds:
        return CONFLICTS, [d for d in details if d[4] == "broken"]
    if "unclear" in kinds:
        return UNCLEAR, [d for d in details if d[4] == "unclear"]
    if "silent" in kinds:
        return NOT_ADDRESSED_RESULT, [d for d in details if d[4] == "silent"]
    if "meets" in kinds:
        return MEETS, []
    return NOT_ADDRESSED_RESULT, details


def _clause(clause, design):
    """("meets" | "conflicts" | "unclear" | "silent" | "skipped", details) for one clause."""
    kind, found = _judge_clause(clause, design)
    if kind == "conflicts" and clause.get("when_broken") == "unclear":
        return "unclear", [f[:4] + ("unclear",) if f[4] == "broken" else f for f in found]
    return kind, found


def _judge_clause(clause, design):
    for name, allowed in (clause.get("settlement_where") or {}).items():
        if design[name] not in allowed:
            return "skipped", [(None, name, design[name], allowed, "skipped")]
    islands = clause.get("islands") or "all"
    chosen = list(ISLANDS) if islands == "all" else list(islands)
    where = clause.get("where") or {}
    values = {i: _values(i, design) for i in chosen}
    selected = [i for i in chosen if all(values[i][k] in v for k, v in where.items())]
    if where and not selected:
        return "skipped", [(tuple(chosen), k, None, v, "skipped") for k, v in where.items()]
    found = []
    for island in selected:
        for name, allowed in (clause.get("require") or {}).items():
            found.append(_judge(island, name, values[island][name], allowed))
    for name, allowed in (clause.get("settlement_require") or {}).items():
        found.append(_judge(None, name, design[name], allowed))
    found = [f for f in found if f is not None]
    if any(f[4] == "broken" for f in found):
        return "conflicts", [f for f in found if f[4] == "broken"]
    if found:
        return "silent", found
    return "meets", []


def _judge(island, name, value, allowed):
    if value in allowed:
        return None
    return (island, name, value, allowed, "silent" if value == NOT_ADDRESSED else "broken")


# ---------------------------------------------------------------- words


def value_label(name, value):
    """A choice's label for people ('Japan', 'When a peace treaty is concluded', 'yes')."""
    if name in DERIVED:
        return "yes" if value else "no"
    if name == "transition_years":
        return "not set" if value is None else f"{value} years"
    options = ISLAND_OPTIONS.get(name) or SETTLEMENT_OPTIONS.get(name) or {}
    return options.get(value, str(value))


def _quoted(name, value):
    label = value_label(name, value)
    return label if name in DERIVED else f"“{label}”"


def _either(name, allowed):
    labels = [_quoted(name, v) for v in allowed]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


# Worked-out facts in a sentence: (field, value) -> (what the design does, what is needed)
DERIVED_WORDS = {
    ("after_peace_treaty", True): (
        "the handover comes no earlier than a peace treaty",
        "a handover no earlier than a peace treaty",
    ),
    ("after_peace_treaty", False): (
        "the handover comes before any peace treaty",
        "a handover before any peace treaty",
    ),
    ("changes_hands", True): ("the island changes hands", "the island to change hands"),
    ("changes_hands", False): (
        "the island stays under Russian sovereignty and administration",
        "the island to stay as it is",
    ),
}


def detail_sentences(details, island_name=lambda i: i):
    """Sentences for the details :func:`evaluate` returns, one per island (and one for the
    settlement-wide choices). ``skipped`` details are left out: the condition's own
    not-addressed text says why it does not apply."""
    groups = {}
    for island, name, value, allowed, kind in details:
        if kind != "skipped":
            groups.setdefault(island, []).append((name, value, allowed, kind))
    out = []
    for island, items in groups.items():
        where = f"{island_name(island)}: " if island else "Settlement-wide: "
        silent = [FIELD_LABELS.get(n, n) for n, _, _, k in items if k == "silent"]
        broken = [(n, v, a) for n, v, a, k in items if k == "broken"]
        unclear = [(n, v) for n, v, _, k in items if k == "unclear"]
        parts = []
        if broken:
            have = ", ".join(_have(n, v) for n, v, _ in broken)
            need = ", ".join(_need(n, a) for n, _, a in broken)
            parts.append(f"in your design {have}; this condition needs {need}")
        if unclear:
            have = ", ".join(_have(n, v) for n, v in unclear)
            parts.append(f"in your design {have}; the record does not say if that is acceptable")
        if silent:
            parts.append(f"your design leaves the {' and the '.join(silent)} not addressed")
        out.append(where + "; ".join(parts) + ".")
    return out


def _have(name, value):
    if name in DERIVED:
        return DERIVED_WORDS[(name, bool(value))][0]
    return f"the {FIELD_LABELS.get(name, name)} is {_quoted(name, value)}"


def _need(name, allowed):
    if name in DERIVED:
        return " or ".join(DERIVED_WORDS[(name, bool(v))][1] for v in allowed)
    return f"{FIELD_LABELS.get(name, name)} {_either(name, allowed)}"


# ---------------------------------------------------------------- checking rules written in data


def rule_problems(rule):
    """Messages for a rule that the engine could not use (empty when it is fine)."""
    if not isinstance(rule, list) or not rule:
        return ["must be a list of one or more clauses"]
    problems = []
    keys = {"islands", "where", "require", "settlement_where", "settlement_require", "when_broken"}
    island_fields = {
        **{k: set(v) for k, v in ISLAND_OPTIONS.items()},
        **{k: {True, False} for k in DERIVED},
    }
    settlement_fields = {k: set(v) for k, v in SETTLEMENT_OPTIONS.items()}
    for n, clause in enumerate(rule, start=1):
        at = f"clause {n}"
        if not isinstance(clause, dict):
            problems.append(f"{at} must be a mapping with some of: {', '.join(sorted(keys))}")
            continue
        for key in set(clause) - keys:
            problems.append(f"{at}: unknown key {key!r}; use: {', '.join(sorted(keys))}")
        if clause.get("when_broken", "conflicts") not in WHEN_BROKEN:
            problems.append(
                f"{at}: when_broken {clause['when_broken']!r} is not allowed; use: "
                + ", ".join(WHEN_BROKEN)
            )
        if not any(clause.get(k) for k in ("require", "settlement_require")):
            problems.append(
                f"{at} has neither 'require' nor 'settlement_require', so it tests nothing"
            )
        islands = clause.get("islands", "all")
        if islands != "all" and (
            not isinstance(islands, list) or not islands or any(i not in ISLANDS for i in islands)
        ):
            problems.append(f"{at}: islands must be 'all' or a list of: {', '.join(ISLANDS)}")
        for key, pool in (
            ("where", island_fields),
            ("require", island_fields),
            ("settlement_where", settlement_fields),
            ("settlement_require", settlement_fields),
        ):
            problems += _field_problems(at, key, clause.get(key), pool)
    return problems


def has_unclear(rule):
    """True when a rule has a clause whose breach is 'unclear' (it then needs explain.unclear)."""
    return isinstance(rule, list) and any(
        isinstance(c, dict) and c.get("when_broken") == "unclear" for c in rule
    )


def can_conflict(rule):
    """True unless every clause is marked unclear (then explain.conflicts is not needed)."""
    return not isinstance(rule, list) or any(
        not isinstance(c, dict) or c.get("when_broken", "conflicts") != "unclear" for c in rule
    )


def _field_problems(at, key, spec, pool):
    if spec is None:
        return []
    if not isinstance(spec, dict):
        return [f"{at}: '{key}' must map field names to lists of allowed values"]
    out = []
    for name, allowed in spec.items():
        if name not in pool:
            out.append(f"{at}: '{key}' names unknown field {name!r}; use one of: {', '.join(pool)}")
            continue
        if not isinstance(allowed, list) or not allowed:
            out.append(f"{at}: '{key}.{name}' must be a list of values")
            continue
        for value in allowed:
            known = isinstance(value, (str, bool)) and value in pool[name]
            if not known or isinstance(value, bool) != (name in DERIVED):
                shown = ", ".join(sorted(str(v).lower() for v in pool[name]))
                out.append(f"{at}: '{key}.{name}' has {value!r}; allowed: {shown}")
            elif value == NOT_ADDRESSED and key.endswith("require"):
                out.append(
                    f"{at}: '{key}.{name}' lists not_addressed, but silence never meets a "
                    "condition: list only the values that meet it"
                )
    return out
