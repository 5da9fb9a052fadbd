"""Island names under each side's usage, and the switch between them.

The same islands carry a Japanese and a Russian name, and the choice is itself part of the dispute,
so no side's usage is a silent default. Every map, timeline, table and widget gets its labels here:

    >>> from helpers import names
    >>> names.island_name("etorofu-iturup", "both")       # doctest: +SKIP
    'Etorofu / Iturup'
    >>> names.set_convention("russian")                    # doctest: +SKIP

The names themselves come from ``data/islands.csv`` (columns ``name_ja``, ``name_ru``, ``name_en``).
The starting convention is ``naming`` in ``course.yml`` (``both`` when unset).
"""

import re
import warnings

from . import course, data
from ._common import cache

__all__ = [
    "CONVENTIONS",
    "NAMING_NOTE",
    "naming_note",
    "convention",
    "set_convention",
    "island_name",
    "island_names",
    "region_name",
    "on_change",
    "naming_toggle",
    "render",
    "placeholder_problems",
    "PLACEHOLDER",
]

CONVENTIONS = ("japanese", "russian", "both")
_LABELS = {"japanese": "Japanese usage", "russian": "Russian usage", "both": "Both"}

# What each government calls the disputed group as a whole (generic labels, not a statement).
_REGION = {
    "japanese": "Northern Territories",
    "russian": "Southern Kurils",
    "both": "Northern Territories / Southern Kurils",
}

NAMING_NOTE = """\
**Why the names matter.** The four disputed islands have two sets of names, and the choice
between them is part of the dispute. In Japanese usage they are Etorofu, Kunashiri, Shikotan and
the Habomai islets, together the *Northern Territories*; the Japanese government holds that they
were never part of the Kuril Islands that Japan gave up in 1951. In Russian usage they are Iturup,
Kunashir, Shikotan and the Habomai (Khabomai) group, the southern end of the Kuril chain, the
*Southern Kurils*; the Russian government holds that they passed to the Soviet Union, and so to
Russia, as a result of the Second World War. A map or sentence that uses only one set quietly
takes that side's framing. This course shows both by default ("Etorofu / Iturup"); the naming
switch shows each side's usage. Neither is the course's verdict.
"""



def naming_note():
    """The note on why naming is part of the dispute, ready to display in a notebook."""
    from IPython.display import Markdown

    return Markdown(NAMING_NOTE)


_state = {"convention": None}
_callbacks = []


def _check(c):
    if c not in CONVENTIONS:
        raise ValueError(f"Unknown naming convention {c!r}. Use one of: {', '.join(CONVENTIONS)}.")
    return c


def _configured():
    """The course's default convention: course.yml ``naming``, else ``both``."""
    value = course.settings().get("naming")  # never raises: course.problems() says what is wrong
    return value if value in CONVENTIONS else "both"


def convention():
    """The naming convention in use now: ``japanese``, ``russian`` or ``both``."""
    return _current()


def _current():
    if _state["convention"] is None:
        _state["convention"] = _configured()
    return _state["convention"]


def _pick(c):
    return _check(c) if c is not None else _current()


def set_convention(c):
    """Switch every later label to convention ``c`` and tell the registered callbacks."""
    _check(c)
    old = _current()
    _state["convention"] = c
    if c != old:
        for _, callback in list(_callbacks):
            try:
                callback(c)
            except Exception as exc:  # one broken listener must not stop the others
                warnings.warn(f"naming callback {callback!r} failed: {exc}", stacklevel=2)


def on_change(callback, remove=False):
    """Call ``callback(convention)`` whenever the convention changes (``remove=True`` to stop).

    When a notebook cell is run again, the callback it registered last time (same cell, same
    function) is replaced, so re-running an explorer's cell does not leave the old, hidden
    explorer redrawing on every switch. Returns the callback, so it also works as a decorator.
    """
    if remove:
        _callbacks[:] = [(k, cb) for k, cb in _callbacks if cb != callback]
        return callback
    if any(cb == callback for _, cb in _callbacks):
        return callback
    key = _cell_key(callback)
    if key is not None:
        _callbacks[:] = [(k, cb) for k, cb in _callbacks if k != key]
    _callbacks.append((key, callback))
    return callback


def _cell_key(callback):
    """(id of the notebook cell being run, the callback's name), or None outside a notebook."""
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        cell = kernel.get_parent().get("metadata", {}).get("cellId") if kernel else None
    except Exception:  # no IPython, or a kernel without parent headers
        return None
    return (cell, getattr(callback, "__qualname__", repr(callback))) if cell else None


# Places with a settled English name that neither side contests today: labelled in English whatever
# the convention, so the switch changes only names that are part of the dispute or its history.
_ENGLISH = {"hokkaido", "sakhalin", "kamchatka"}


@cache.cached
def _table():
    """{id: (name_ja, name_ru, name_en)} from islands.csv (read again after ``data.reload()``)."""
    table = {}
    for island_id, row in data.records("islands").items():
        en = row["name_en"]
        if island_id in _ENGLISH:
            table[island_id] = (en, en, en)
        else:
            table[island_id] = (row["name_ja"] or en, row["name_ru"] or en, en)
    if not table:
        data.islands()  # islands.csv has problems: raise the DataError that names them
    return table


def _join(ja, ru):
    return ja if ja.casefold() == ru.casefold() else f"{ja} / {ru}"


def island_name(island_id, convention=None):
    """The display name of island ``island_id`` (an id from islands.csv) in ``convention``.

    ``convention=None`` uses the current one. ``both`` gives "Japanese / Russian" where they differ.
    """
    c = _pick(convention)
    table = _table()
    if island_id not in table:
        raise ValueError(
            f"Unknown island id {island_id!r}. The ids in data/islands.csv are: "
            f"{', '.join(sorted(table))}."
        )
    ja, ru, _ = table[island_id]
    return {"japanese": ja, "russian": ru, "both": _join(ja, ru)}[c]


def island_names(convention=None):
    """{island id: display name} for every island in islands.csv."""
    return {i: island_name(i, convention) for i in _table()}


def region_name(convention=None):
    """What the disputed group is called: "Northern Territories", "Southern Kurils" or both."""
    return _REGION[_pick(convention)]


def naming_toggle():
    """Buttons that switch island names for every map and table drawn afterwards.

    Set ``.value`` to ``"japanese"``, ``"russian"`` or ``"both"`` to switch from Python. Toggles in
    other cells follow along.
    """
    from ._common import relay, widgets

    toggle = widgets.ToggleButtons(
        options=[(_LABELS[c], c) for c in CONVENTIONS],
        value=_current(),
        description="Island names:",
        tooltips=[
            "Names used by Japan (Etorofu, Kunashiri ...)",
            "Names used by Russia (Iturup, Kunashir ...)",
            "Both names, e.g. Etorofu / Iturup",
        ],
        style={"description_width": "initial"},
    )
    toggle.observe(lambda change: set_convention(change["new"]), names="value")
    # in the browser too: the figures that follow the naming switch at once (_common/relay.py)
    toggle._relay = relay.naming_relay(toggle)

    def follow(c):
        if toggle.value != c:
            toggle.value = c

    on_change(follow)
    toggle._follow = follow  # kept so a test or caller can unregister it
    return toggle


# ---------------------------------------------------------------- names inside texts

# Course texts (exercise banks, the maps' captions) name an island as ``{island:<id>}``, e.g.
# ``{island:etorofu-iturup}``; ``render`` puts in its name in the learner's naming.
PLACEHOLDER = re.compile(r"\{island:([^{}]*)\}")


def render(text, convention=None):
    """``text`` with every ``{island:<id>}`` replaced by that island's name in ``convention``
    (``None``: the current one). An unknown id is left as written (``placeholder_problems`` and
    the course check name it); a text without placeholders comes back unchanged."""
    if not isinstance(text, str) or "{island:" not in text:
        return text
    c = _pick(convention)
    table = _table()

    def name(match):
        island = match.group(1).strip()
        return island_name(island, c) if island in table else match.group(0)

    return PLACEHOLDER.sub(name, text)


def placeholder_problems(text):
    """Why the ``{island:...}`` placeholders in ``text`` cannot all be filled (empty: they can)."""
    if not isinstance(text, str) or "{island" not in text:
        return []
    known = {i for i in data.raw_rows("islands") if i}  # ids as read, even if a row is wrong
    if not known:
        return []  # islands.csv itself is unreadable: its own check says so
    out = []
    for match in PLACEHOLDER.finditer(text):
        island = match.group(1).strip()
        if island not in known:
            out.append(f"{match.group(0)} names no island in data/islands.csv (ids: "
                       f"{', '.join(sorted(known))})")
    broken = re.sub(PLACEHOLDER, "", text)
    if "{island" in broken:
        out.append("a {island:...} placeholder is not closed with }")
    return out
