"""The negotiation role-play: role cards from data/roles/, and a round-by-round negotiation widget.

Each file ``data/roles/<id>.yml`` is one role card (role, side, brief, goals, red lines, what the
role knows, sources); ``data/roles/_scenario.yml`` is the case brief and the rounds. Instructors
edit them without touching Python::

    >>> from helpers import roleplay
    >>> roleplay.role_cards()                                  # doctest: +SKIP
    >>> roleplay.show_card("russia-president")                 # doctest: +SKIP
    >>> n = roleplay.negotiation(teams=["japan-prime-minister", "russia-president",
    ...                                 "former-island-residents"])   # doctest: +SKIP
    >>> n.log                                                  # the offers so far, a DataFrame

The negotiation runs from one projected notebook for 2-8 teams (designed for 3-6), or for one
learner playing every side. Every offer is saved in the journal at once.
"""

import pandas as pd

from ._capstone import roles as _roles
from ._capstone.roles import SIDE_WORDS, SIDES
from ._common.labels import cite
from .errors import DataError
from .text import plain_html

__all__ = [
    "role_cards",
    "show_card",
    "card_html",
    "card_viewer",
    "scenario",
    "negotiation",
    "problems",
    "SIDES",
    "SIDE_WORDS",
    "DEFAULT_TEAMS",
]

DEFAULT_TEAMS = (
    "japan-prime-minister",
    "russia-president",
    "us-secretary-of-state",
    "former-island-residents",
)


def problems():
    """Every problem in data/roles/ (file, role, field, what is allowed); empty when all is well.
    When course.yml does not list the capstone, a missing folder is not a problem."""
    return _roles.problems()


def scenario():
    """The case brief as a dict: title, date, check_date, brief, decision, rounds, sources."""
    return _roles.scenario()


def card_html(role_id):
    """The HTML of one role card (a message naming the cards if the id is unknown)."""
    return _roles.card_html(role_id)


def role_cards():
    """One row per role card (index: role id): ``role``, ``side``, ``team``, ``brief``,
    ``goals``, ``red_lines``, ``knows`` (each a list of texts), ``sources`` (short citations)."""
    cards = _roles.valid_cards()
    return pd.DataFrame(
        {
            "role": [c["role"] for c in cards.values()],
            "side": [SIDE_WORDS[c["side"]] for c in cards.values()],
            "team": [c["team"] for c in cards.values()],
            "brief": [c["brief"] for c in cards.values()],
            "goals": [[t for t, _ in c["goals"]] for c in cards.values()],
            "red_lines": [[t for t, _ in c["red_lines"]] for c in cards.values()],
            "knows": [[t for t, _ in c["knows"]] for c in cards.values()],
            "sources": [cite(c["sources"]) for c in cards.values()],
        },
        index=pd.Index(list(cards), name="id"),
    )


def show_card(role_id):
    """One role card as a widget, e.g. ``show_card("russia-president")``."""
    from ._common import widgets

    return widgets.HTML(card_html(role_id))


def card_viewer(roles=None):
    """A drop-down of role cards and the chosen card. Python path: ``viewer.value = role_id``."""
    from ._common import widgets

    from ._capstone.negotiation import CardViewer

    try:
        cards = _roles.valid_cards()
    except DataError as exc:
        return widgets.HTML(f'<div role="alert">{plain_html(exc)}</div>')
    ids = [r for r in (roles or cards) if r in cards] or list(cards)
    return CardViewer([(cards[i]["role"], i) for i in ids])


# ---------------------------------------------------------------- negotiation


def negotiation(teams=None, designer=None, session=""):
    """A structured negotiation: the case brief, the teams' cards, one round at a time, an offer
    log saved in the journal, and a debrief against 1956, 1993 and 2018-19.

    ``teams``: role ids from data/roles (e.g. ``["japan-prime-minister", "russia-president"]``),
    or ``(team name, role id)`` pairs; default: four teams. ``designer``: a
    ``settlement.designer()`` whose current design an offer can attach. ``session``: a label to
    keep two negotiations with the same teams apart in the journal.

    Python path: ``n.team.value``, ``n.kind.value``, ``n.text.value``, ``n.attach.value`` then
    ``n.record_button.click()`` (or ``n.record(team, kind, text, design=None)``);
    ``n.next_button.click()`` / ``n.next_round()``; ``n.outcome.value``, ``n.outcome_note.value``,
    ``n.debrief_button.click()`` / ``n.debrief()``; read ``n.log`` (a DataFrame) and ``n.round``.
    """
    from ._capstone import negotiation as _negotiation

    try:
        return _negotiation.Negotiation(teams or DEFAULT_TEAMS, designer=designer, session=session)
    except DataError as exc:  # a broken role file: say which, rather than a traceback
        return _alert(
            "The role-play data has problems (ask your instructor to run "
            "python -m helpers.instructor check):\n" + str(exc)
        )
    except ValueError as exc:  # a mistyped team list in the notebook cell
        return _alert(f"The negotiation could not start: {exc}")


def _alert(text):
    from ._common import widgets

    box = widgets.HTML(
        f'<div role="alert" style="border:1px solid #B2182B;padding:4px 8px">'
        f"{plain_html(text)}</div>"
    )
    box.add_class("kuril-alert")
    return box
