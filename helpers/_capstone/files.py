"""Read and check the capstone's data files: conditions.yml, proposals.yml and roles/*.yml.

Files are read with the project's strict YAML loader and checked against small schemas here;
every problem is a :class:`~helpers.errors.Problem` naming the file, the entry and the field.
Reads are cached per file and redone when the file changes, so an instructor's edit shows up on
the next call without restarting the kernel.
"""

import os
from pathlib import Path

from .. import course, data
from .._common import cache, strict_yaml
from .._common.checker import Checker, visible
from ..errors import Problem
from . import rules as _rules

LESSON = "05_design_a_settlement"
ACTORS = ("japan", "ussr", "russia", "usa")
PROPOSAL_KINDS = (
    "agreed_document",
    "position",
    "proposal",
    "reported_proposal",
    "scholarly_proposal",
)
QUOTE_STATUS = ("official", "third-party")


def data_dir():
    return Path(data.DATA_DIR)


def label(path):
    try:
        return str(Path(path).relative_to(data_dir().parent))
    except ValueError:
        return str(path)


def _stamp(path):
    try:
        st = os.stat(path)
        return (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(path), None, None)


@cache.cached
def _read(stamp):
    path = stamp[0]
    if stamp[1] is None:
        return None, [Problem(label(path), "", "", "is missing")]
    return strict_yaml.load(path, label(path))


def read_yaml(path):
    """(data, problems) for the YAML file at ``path``, cached until the file changes."""
    return _read(_stamp(path))


def known_ids():
    """(source ids, document ids) as read; None for a file that cannot be read (the data check
    says why), so that the ids pointing into it are not checked meanwhile."""
    return (set(data.raw_rows("sources")) or None, set(data.raw_rows("documents")) or None)


def _each(raw, key, check, problems, seen, fields):
    """Yield each entry of the top-level list ``key`` that is a mapping, with ``check.where``
    naming it, and whether it was clean so far; problems of its id and fields are recorded."""
    word = key[:-1]
    for n, entry in enumerate(_entries(raw, key, check.file, problems), start=1):
        check.where = f"{word} {n}"
        if not isinstance(entry, dict):
            check.bad("", "must be a mapping of fields")
            continue
        before = len(check.problems)
        ident = check.entry_id(entry, seen)
        check.where = f"{word} {ident or n}"
        check.unknown(entry, fields)
        yield entry, before


def _entries(raw, key, file, problems):
    if raw is None:
        return []
    if not isinstance(raw, dict) or not isinstance(raw.get(key), list):
        problems.append(Problem(file, "", key, f"the file must have a top-level '{key}:' list"))
        return []
    return raw[key]


# ---------------------------------------------------------------- conditions

CONDITION_FIELDS = (
    "id",
    "actors",
    "from_date",
    "to_date",
    "title",
    "statement",
    "quote",
    "documents",
    "sources",
    "rule",
    "explain",
    "notes",
)
QUOTE_FIELDS = ("text", "language", "translation", "status", "source", "note")
# "unclear" is needed only by a rule with a clause marked when_broken: unclear; "conflicts" by
# a rule with at least one clause that is not
EXPLAIN_FIELDS = ("meets", "conflicts", "not_addressed", "unclear")


def conditions_path():
    return data_dir() / "conditions.yml"


def proposals_path():
    return data_dir() / "proposals.yml"


def roles_dir():
    return data_dir() / "roles"


def load_conditions():
    """(list of condition dicts that passed every check, problems); checked once per version of
    the file (until it changes or ``data.reload()``). The lists are fresh, the entries shared:
    read them, do not change them."""
    entries, problems = _conditions(_stamp(conditions_path()))
    return list(entries), list(problems)


@cache.cached
def _conditions(stamp):
    raw, problems = _read(stamp)
    problems = list(problems)  # _read's list is cached: add to a copy
    file = label(conditions_path())
    sources, documents = known_ids()
    out, check = [], Checker(file)
    for entry, before in _each(raw, "conditions", check, problems, set(), CONDITION_FIELDS):
        actors = check.ids(entry, "actors", ACTORS, "japan, ussr, russia, usa")
        first, last = check.period(entry, "from_date", "to_date")
        # the checked values (a number written as a title becomes its text), as used from here
        texts = {f: check.text(entry, f) for f in ("title", "statement")}
        texts.update(from_date=first, to_date=last or None)
        check.ids(entry, "documents", documents, "data/documents.csv", required=False)
        check.ids(entry, "sources", sources, "data/sources.csv")
        _check_quote(check, entry.get("quote"), sources)
        for message in _rules.rule_problems(entry.get("rule")):
            check.bad("rule", message)
        explain = entry.get("explain")
        if not isinstance(explain, dict):
            check.bad("explain", "is required: a mapping with meets, conflicts and not_addressed")
        else:
            check.unknown(explain, EXPLAIN_FIELDS)
            rule = entry.get("rule")
            needed = {"unclear": _rules.has_unclear(rule), "conflicts": _rules.can_conflict(rule)}
            words = {f: check.text(explain, f, required=needed.get(f, True))
                     for f in EXPLAIN_FIELDS}
            texts["explain"] = {f: words[f] for f in EXPLAIN_FIELDS if f in explain}
        texts["notes"] = check.text(entry, "notes", required=False)
        if len(check.problems) == before and actors:
            out.append({**entry, **texts})
    return out, problems + check.problems


def _check_quote(check, quote, sources):
    if quote is None:
        return
    if not isinstance(quote, dict):
        check.bad("quote", "must be a mapping with text, language, translation, status and source")
        return
    check.unknown(quote, QUOTE_FIELDS)
    for f in ("text", "translation"):
        if not isinstance(quote.get(f), str) or not visible(quote[f]):
            check.bad(f"quote.{f}", "is required (text with visible characters)")
    if quote.get("language") not in ("en", "ja", "ru"):
        check.bad("quote.language", f"'{quote.get('language')}' is not allowed; use en, ja or ru")
    if quote.get("status") not in QUOTE_STATUS:
        check.bad(
            "quote.status",
            (
                f"'{quote.get('status')}' is not allowed; use official or "
                "third-party (quote only verified wording; otherwise paraphrase)"
            ),
        )
    source = quote.get("source")
    if sources is not None and (not isinstance(source, str) or source not in sources):
        check.bad("quote.source", f"'{quote.get('source')}' is not an id in data/sources.csv")


# ---------------------------------------------------------------- proposals and precedents

PROPOSAL_FIELDS = (
    "id",
    "title",
    "date",
    "actors",
    "proposed_by",
    "kind",
    "summary",
    "design",
    "encoding_note",
    "documents",
    "sources",
    "notes",
)
PRECEDENT_FIELDS = (
    "id",
    "title",
    "date",
    "check_date",
    "what_happened",
    "documents",
    "sources",
    "questions",
    "notes",
)


def load_proposals():
    """(proposals, precedents, problems); each proposal's ``design`` is normalised. Checked once
    per version of the file, like :func:`load_conditions`."""
    proposals, precedents, problems = _proposals(_stamp(proposals_path()))
    return list(proposals), list(precedents), list(problems)


@cache.cached
def _proposals(stamp):
    raw, problems = _read(stamp)
    problems = list(problems)  # _read's list is cached: add to a copy
    file = label(proposals_path())
    sources, documents = known_ids()
    proposals, precedents, seen, check = [], [], set(), Checker(file)
    for entry, before in _each(raw, "proposals", check, problems, seen, PROPOSAL_FIELDS):
        texts = {f: check.text(entry, f) for f in ("title", "proposed_by", "summary",
                                                   "encoding_note")}
        texts["date"] = check.date(entry, "date")
        check.ids(entry, "actors", ACTORS, "japan, ussr, russia, usa", allowed_empty=True)
        check.choice(entry, "kind", PROPOSAL_KINDS)
        check.ids(entry, "documents", documents, "data/documents.csv", required=False)
        check.ids(entry, "sources", sources, "data/sources.csv")
        design = None
        try:
            design = _rules.normalise(entry.get("design"))
        except ValueError as exc:
            check.bad("design", str(exc))
        if not isinstance(entry.get("design"), dict):
            check.bad(
                "design", "is required: the proposal as a design (islands and settlement choices)"
            )
        if len(check.problems) == before:
            proposals.append({**entry, **texts, "design": design})
    for entry, before in _each(raw, "precedents", check, problems, seen, PRECEDENT_FIELDS):
        texts = {f: check.text(entry, f) for f in ("title", "what_happened")}
        texts.update(date=check.date(entry, "date"), check_date=check.date(entry, "check_date"))
        check.ids(entry, "documents", documents, "data/documents.csv", required=False)
        check.ids(entry, "sources", sources, "data/sources.csv")
        questions = entry.get("questions", [])
        if not isinstance(questions, list) or any(
                not isinstance(q, str) or not visible(q) for q in questions):
            check.bad("questions", "must be a list of texts (each with visible characters)")
        if len(check.problems) == before:
            precedents.append({**entry, **texts})
    return proposals, precedents, problems + check.problems


def island_problems():
    """The capstone shows and weighs the four disputed islands by id: each needs its row in
    data/islands.csv (a course without the capstone may have fewer)."""
    if not lesson_in_course() or any(p.file == "data/islands.csv" for p in data.validate()):
        return []  # a file that cannot be read, or has no rows, says so itself
    ids = data.raw_rows("islands")
    return [Problem("data/islands.csv", "", "id",
                    f"'{i}' has no row: {LESSON} needs a row for each of the four disputed "
                    f"islands ({', '.join(_rules.ISLANDS)})") for i in _rules.ISLANDS
            if i not in ids]


def lesson_in_course():
    """True when course.yml lists the capstone (then its files must exist)."""
    return LESSON in (course.settings().get("lessons") or [])
