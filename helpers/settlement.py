"""Design a settlement for the four islands; check it against each government's stated conditions.

A *design* is a plain dict: for each island its sovereignty, handover timing and administration,
and settlement-wide choices (peace treaty, residents, former residents' access, military
restrictions, joint economic activity)::

    >>> from helpers import settlement
    >>> d = settlement.design(islands={"habomai": "japan", "shikotan": "japan"}, peace_treaty="now")
    >>> settlement.check(d, "2019-01-22")        # doctest: +SKIP
    >>> settlement.compare(d)                    # doctest: +SKIP
    >>> settlement.designer()                    # the widget: choose, see the map and findings

``check`` lists, for each condition a government had stated by that date (data/conditions.yml),
whether the design *meets* it, *conflicts with* it, does *not address* it, or is *unclear* (the
record does not say whether that government would accept it), with a plain explanation and
sources. It never declares a winner or a right answer. ``compare`` sets the design
beside proposals actually made (data/proposals.yml); ``holdings`` says what each side would hold.
A year or month given as a date means its last day ("1993": the end of 1993), as everywhere in
the course. The engine is ``helpers._capstone.engine``; the rules ``helpers._capstone.rules``.
"""

from ._capstone import rules
from ._capstone.engine import (
    CHECK_DATES,
    ISLAND_OPTIONS,
    ISLANDS,
    SETTLEMENT_OPTIONS,
    check,
    compare,
    conditions,
    describe,
    design,
    holdings,
    precedents,
    problems,
    proposal_design,
    proposals,
    status_quo,
    unaddressed_choices,
)

__all__ = [
    "designer",
    "check",
    "compare",
    "holdings",
    "design",
    "status_quo",
    "proposal_design",
    "conditions",
    "proposals",
    "precedents",
    "design_map",
    "describe",
    "unaddressed_choices",
    "problems",
    "CHECK_DATES",
    "ISLANDS",
    "ISLAND_OPTIONS",
    "SETTLEMENT_OPTIONS",
]


def design_map(design, naming=None):
    """The four islands coloured by the sovereignty in ``design`` (a plotly Figure).

    Colour and fill pattern repeat each other; hover gives each island's full choices; the legend
    names each colour. Other land is grey: the design says nothing about it.
    """
    from ._capstone import designmap

    return designmap.figure(rules.normalise(design), naming)


def designer(design=None, date="2019-01-22", naming=None):
    """The settlement designer: choose for each island and for the settlement as a whole, and see
    the design on the map, checked against the conditions stated at ``date``, and beside the
    proposals actually made.

    Python path (no browser needed): ``d.controls[island][field].value = ...`` and
    ``d.controls["settlement"][field].value = ...``; ``d.date.value = "1956"``;
    ``d.start_from.value = "formula-1956"`` then ``d.load_button.click()`` (or ``d.load(id)``);
    ``d.design = {...}``; ``d.save_button.click()`` (or ``d.save()``) keeps it in the journal.
    Read ``d.design``, ``d.findings`` (DataFrame), ``d.holdings``, ``d.comparison``, ``d.figure``.
    """
    from ._capstone import designer as _designer

    return _designer.Designer(design=design, date=date, naming=naming)
