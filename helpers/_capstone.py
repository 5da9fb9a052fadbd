"""Read and check the capstone's data files: conditions.yml, proposals.yml and roles/*.yml.

Files are read with the project's strict YAML loader and checked against small schemas here;
every problem is a :class:`~helpers.errors.Problem` naming the file, the entry and the field.
Reads are cached per file and redone when the file changes, so an instructor's edit shows up on
the next call without restarting the kernel.
"""

import functools
import os
import re
from pathlib import Path

from . import _rules, _yaml, data
from .errors import DataError, Problem

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
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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


@functools.lru_cache(maxsize=64)
def _read(stamp):
    path = stamp[0]
    if stamp[1] is None:
        return None, [Problem(label(path), "", "", "is missing")]
    return _yaml.load(path, label(path))


def read_yaml(path):
    """(data, problems) for the YAML file at ``path``, cached until the file changes."""
    return _read(_stamp(path))


_KNOWN = {}


def known_ids():
    """(source ids, document ids); empty sets when those files are broken (data check says why)."""
    try:
        frames = (data._frame("sources"), data._frame("documents"))
    except DataError:
        return set(), set()
    old = _KNOWN.get("frames")
    if old is None or any(a is not b for a, b in zip(old, frames, strict=True)):
        _KNOWN.update(frames=frames, ids=(set(frames[0]["id"]), set(frames[1]["id"])))
    return _KNOWN["ids"]


# ---------------------------------------------------------------- small field checkers


class Checker:
    """Collects problems for one file; ``where`` names the entry being checked."""

    def __init__(self, file):
        self.file, self.problems, self.where = file, [], ""

    def bad(self, field, message):
        self.problems.append(Problem(self.file, self.where, field, message))

    def text(self, entry, field, required=True):
        value = entry.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.bad(field, "is required (text)")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.bad(field, "must be text")
            return ""
        return str(value).strip()

    def date(self, entry, field, required=True):
        value = self.text(entry, field, required)
        if value and data.parse_date(value) is None:
            self.bad(field, f"'{value}' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
            return ""
        return value

    def ids(self, entry, field, pool, what, required=True, allowed_empty=False):
        value = entry.get(field)
        if value is None:
            if required:
                self.bad(field, f"is required: a list of ids from {what}")
            return []
        if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
            self.bad(field, f"must be a list of ids from {what}, e.g. [{field[:-1]}-id]")
            return []
        if not value and required and not allowed_empty:
            self.bad(field, f"lists no id: give at least one from {what}")
        for v in value:
            if pool and v not in pool:
                self.bad(field, f"'{v}' is not an id in {what}")
        return value

    def choice(self, entry, field, allowed):
        value = entry.get(field)
        if value not in allowed:
            self.bad(field, f"'{value}' is not allowed; use one of: {', '.join(allowed)}")
        return value

    def unknown(self, entry, allowed):
        for key in entry:
            if key not in allowed:
                self.bad(str(key), f"is not a known field; the fields are: {', '.join(allowed)}")

    def entry_id(self, entry, seen):
        ident = entry.get("id")
        if not isinstance(ident, str) or not _ID.match(ident):
            self.bad(
                "id", f"'{ident}' is not a valid id: use lowercase letters, digits and hyphens"
            )
            return None
        if ident in seen:
            self.bad("id", f"duplicate id '{ident}'")
        seen.add(ident)
        return ident


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
    """(list of condition dicts that passed every check, problems)."""
    raw, problems = read_yaml(conditions_path())
    file = label(conditions_path())
    sources, documents = known_ids()
    out, seen, check = [], set(), Checker(file)
    for n, entry in enumerate(_entries(raw, "conditions", file, problems), start=1):
        check.where = f"condition {n}"
        if not isinstance(entry, dict):
            check.bad("", "must be a mapping of fields")
            continue
        before = len(check.problems)
        ident = check.entry_id(entry, seen)
        check.where = f"condition {ident or n}"
        check.unknown(entry, CONDITION_FIELDS)
        actors = check.ids(entry, "actors", ACTORS, "japan, ussr, russia, usa")
        check.date(entry, "from_date")
        end = check.date(entry, "to_date", required=False)
        if end and entry.get("from_date") and data.parse_date(str(entry["from_date"])) is not None:
            if data.parse_date(end) < data.parse_date(str(entry["from_date"])):
                check.bad("to_date", "is before from_date")
        for f in ("title", "statement"):
            check.text(entry, f)
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
            for f in EXPLAIN_FIELDS:
                check.text(explain, f, required=needed.get(f, True))
        check.text(entry, "notes", required=False)
        if len(check.problems) == before and actors:
            out.append(entry)
    return out, problems + check.problems


def _check_quote(check, quote, sources):
    if quote is None:
        return
    if not isinstance(quote, dict):
        check.bad("quote", "must be a mapping with text, language, translation, status and source")
        return
    check.unknown(quote, QUOTE_FIELDS)
    for f in ("text", "translation"):
        if not isinstance(quote.get(f), str) or not quote[f].strip():
            check.bad(f"quote.{f}", "is required (text)")
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
    if quote.get("source") not in sources and sources:
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
    """(proposals, precedents, problems); each proposal's ``design`` is normalised."""
    raw, problems = read_yaml(proposals_path())
    file = label(proposals_path())
    sources, documents = known_ids()
    proposals, precedents, seen, check = [], [], set(), Checker(file)
    for n, entry in enumerate(_entries(raw, "proposals", file, problems), start=1):
        check.where = f"proposal {n}"
        if not isinstance(entry, dict):
            check.bad("", "must be a mapping of fields")
            continue
        before = len(check.problems)
        ident = check.entry_id(entry, seen)
        check.where = f"proposal {ident or n}"
        check.unknown(entry, PROPOSAL_FIELDS)
        for f in ("title", "proposed_by", "summary", "encoding_note"):
            check.text(entry, f)
        check.date(entry, "date")
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
            proposals.append({**entry, "design": design, "date": str(entry["date"])})
    for n, entry in enumerate(_entries(raw, "precedents", file, problems), start=1):
        check.where = f"precedent {n}"
        if not isinstance(entry, dict):
            check.bad("", "must be a mapping of fields")
            continue
        before = len(check.problems)
        ident = check.entry_id(entry, seen)
        check.where = f"precedent {ident or n}"
        check.unknown(entry, PRECEDENT_FIELDS)
        for f in ("title", "what_happened"):
            check.text(entry, f)
        check.date(entry, "date")
        check.date(entry, "check_date")
        check.ids(entry, "documents", documents, "data/documents.csv", required=False)
        check.ids(entry, "sources", sources, "data/sources.csv")
        questions = entry.get("questions", [])
        if not isinstance(questions, list) or any(not isinstance(q, str) for q in questions):
            check.bad("questions", "must be a list of texts")
        if len(check.problems) == before:
            precedents.append(entry)
    return proposals, precedents, problems + check.problems


def lesson_in_course():
    """True when course.yml lists the capstone (then its files must exist)."""
    try:
        from . import course

        return LESSON in (course.settings().get("lessons") or [])
    except Exception:  # a broken course.yml is reported by the course check
        return True
