"""The role-play's files: role cards (``data/roles/<id>.yml``) and the case brief
(``data/roles/_scenario.yml``), read, checked and shown as HTML.

``helpers.roleplay`` is the public face; the negotiation widget (``negotiation``) reads the cards
here too.
"""

from .._common.checker import ID, Checker
from .._common.labels import cite
from ..errors import DataError, Problem
from ..text import markdown_html, plain_html
from . import files

SIDES = ("japan", "russia", "usa", "other")
SIDE_WORDS = {"japan": "Japan", "russia": "Russia", "usa": "United States",
              "other": "Not a government"}
CARD_FIELDS = (
    "role",
    "side",
    "team",
    "brief",
    "goals",
    "red_lines",
    "knows",
    "documents",
    "sources",
    "notes",
)
SCENARIO_FIELDS = (
    "title",
    "date",
    "check_date",
    "brief",
    "decision",
    "rounds",
    "documents",
    "sources",
    "notes",
)
SCENARIO_FILE = "_scenario.yml"


# ---------------------------------------------------------------- loading and checking


def _card_files():
    folder = files.roles_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yml") if not p.name.startswith("_"))


def _items(check, entry, field, sources, required=True):
    """A list of texts, each optionally {text, sources}; returns [(text, [source ids])]."""
    value = entry.get(field)
    if value is None:
        if required:
            check.bad(field, "is required: a list of texts")
        return []
    if not isinstance(value, list) or (required and not value):
        check.bad(field, "must be a list with at least one text")
        return []
    out = []
    for n, item in enumerate(value, start=1):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            out.append((" ".join(str(item).split()), []))
            continue
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("text"), str)
            or not item["text"].strip()
        ):
            check.bad(f"{field}[{n}]", "must be a text, or a mapping with 'text' and 'sources'")
            continue
        for key in item:
            if key not in ("text", "sources"):
                check.bad(f"{field}[{n}].{key}", "is not a known field; use text and sources")
        ids = check.ids(item, "sources", sources, "data/sources.csv", required=False)
        out.append((" ".join(item["text"].split()), ids))
    return out


def _load_card(path, sources, documents):
    raw, problems = files.read_yaml(path)
    file = files.label(path)
    check = Checker(file)
    check.where = f"role {path.stem}"
    if raw is None:
        return None, problems
    if not isinstance(raw, dict):
        return None, [
            Problem(file, check.where, "", "must be a mapping of fields (role, side, ...)")
        ]
    if not ID.match(path.stem):
        check.bad(
            "",
            f"the file name '{path.name}' is not a valid id: use lowercase letters, "
            "digits and hyphens, e.g. japan-prime-minister.yml",
        )
    check.unknown(raw, CARD_FIELDS)
    card = {"id": path.stem}
    for f in ("role", "team", "brief"):
        card[f] = " ".join(check.text(raw, f).split())
    card["side"] = check.choice(raw, "side", SIDES)
    card["goals"] = _items(check, raw, "goals", sources)
    card["red_lines"] = _items(check, raw, "red_lines", sources)
    card["knows"] = _items(check, raw, "knows", sources)
    card["documents"] = check.ids(raw, "documents", documents, "data/documents.csv", required=False)
    card["sources"] = check.ids(raw, "sources", sources, "data/sources.csv")
    card["notes"] = check.text(raw, "notes", required=False)
    return (card if not check.problems else None), problems + check.problems


def _load_cards():
    sources, documents = files.known_ids()
    cards, problems, teams = {}, [], {}
    for path in _card_files():
        card, found = _load_card(path, sources, documents)
        problems += found
        if card is not None:
            if card["team"] in teams:
                problems.append(
                    Problem(
                        files.label(path),
                        f"role {card['id']}",
                        "team",
                        f"'{card['team']}' is also the team of role {teams[card['team']]}; "
                        "team names must differ",
                    )
                )
                continue
            teams[card["team"]] = card["id"]
            cards[card["id"]] = card
    return cards, problems


def _load_scenario():
    path = files.roles_dir() / SCENARIO_FILE
    raw, problems = files.read_yaml(path)
    sources, documents = files.known_ids()
    check = Checker(files.label(path))
    check.where = "scenario"
    if raw is None:
        return None, problems
    if not isinstance(raw, dict):
        return None, [
            Problem(check.file, "scenario", "", "must be a mapping of fields (title, brief, ...)")
        ]
    check.unknown(raw, SCENARIO_FIELDS)
    out = {f: " ".join(check.text(raw, f).split()) for f in ("title", "brief", "decision")}
    out["date"] = check.date(raw, "date")
    out["check_date"] = check.date(raw, "check_date")
    rounds = raw.get("rounds")
    out["rounds"] = []
    if not isinstance(rounds, list) or not rounds:
        check.bad("rounds", "is required: a list of rounds, each with title and instructions")
    else:
        for n, r in enumerate(rounds, start=1):
            if (
                not isinstance(r, dict)
                or not isinstance(r.get("title"), str)
                or not r["title"].strip()
            ):
                check.bad(f"rounds[{n}]", "needs a 'title' (and 'instructions')")
                continue
            out["rounds"].append(
                {
                    "title": r["title"].strip(),
                    "instructions": " ".join(str(r.get("instructions", "")).split()),
                }
            )
    out["documents"] = check.ids(raw, "documents", documents, "data/documents.csv", required=False)
    out["sources"] = check.ids(raw, "sources", sources, "data/sources.csv")
    return (out if not check.problems else None), problems + check.problems


def problems():
    """Every problem in data/roles/ (file, role, field, what is allowed); empty when all is well.
    When course.yml does not list the capstone, a missing folder is not a problem."""
    if not files.roles_dir().is_dir():
        if not files.lesson_in_course():
            return []
        return [
            Problem(
                files.label(files.roles_dir()),
                "",
                "",
                "is missing: it holds the role cards (one .yml file per role)",
            )
        ]
    found = _load_cards()[1] + _load_scenario()[1]
    if not _card_files():
        found.append(Problem(files.label(files.roles_dir()), "", "", "has no role cards"))
    return found


def valid_cards():
    """{role id: card} for every card that passed its checks (DataError when none did)."""
    cards, problems = _load_cards()
    if not cards and problems:
        raise DataError(problems)
    return cards


def scenario():
    """The case brief as a dict: title, date, check_date, brief, decision, rounds, sources."""
    found, problems = _load_scenario()
    if found is None:
        raise DataError(problems)
    return found


def _unknown(role_id, cards):
    import difflib
    import html

    close = difflib.get_close_matches(str(role_id), list(cards), n=3, cutoff=0.4)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    return (
        f'<div role="alert"><b>No role card <code>{html.escape(str(role_id))}</code>.</b>{hint} '
        f"The cards are: {html.escape(', '.join(cards))}.</div>"
    )


def card_html(role_id):
    """The HTML of one role card (a message naming the cards if the id is unknown)."""
    try:
        cards = valid_cards()
    except DataError as exc:
        return f'<div role="alert">{plain_html(exc)}</div>'
    if role_id not in cards:
        return _unknown(role_id, cards)
    c = cards[role_id]

    def items(pairs):
        return (
            "<ul>"
            + "".join(
                f"<li>{plain_html(t)}"
                + (f" <small>({plain_html(cite(s))})</small>" if s else "")
                + "</li>"
                for t, s in pairs
            )
            + "</ul>"
        )

    return (
        f'<div class="kuril-role-card" style="border:1px solid #999;padding:4px 12px">'
        f"<h3>{plain_html(c['role'])}</h3><p><i>Team: {plain_html(c['team'])} · "
        f"{plain_html(SIDE_WORDS[c['side']])}</i></p>{markdown_html(c['brief'])}"
        f"<p><b>Your goals</b></p>{items(c['goals'])}"
        f"<p><b>Your red lines</b></p>{items(c['red_lines'])}"
        f"<p><b>What you know</b></p>{items(c['knows'])}"
        f"<p><small>Sources: {plain_html(cite(c['sources']))}. Written for this course in "
        "our own words; no quotation is invented.</small></p></div>"
    )
