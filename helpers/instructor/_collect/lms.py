"""Import files for Canvas and Moodle, and the roster that gives each learner the LMS's ids.

Layouts follow each system's gradebook CSV import (sources in INSTRUCTORS.md, "Import the grades"):

- Canvas: ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per assignment
  (a new name creates an assignment; ``Name (id)`` updates an existing one), and a ``Points
  Possible`` row as in Canvas's own export.
- Moodle: a user column to map from (``Email address`` or ``ID number``) and one column per grade
  item; every row must name a user Moodle knows, so learners without one are left out (and listed).

A roster (``--roster``) is the LMS's own gradebook export (Canvas: Student, ID, ...; Moodle: First
name, Last name, ID number, Email address). Learners are matched to it by name: the same words in
any order, case and accents aside; a learner who typed only part of the name is matched when one
roster entry alone fits (and the report says so).
"""

from dataclasses import dataclass, field

from ...errors import Problem
from . import tables

CANVAS_IDS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_IDS = ("First name", "Last name", "ID number", "Email address")


@dataclass
class Roster:
    """People in the LMS: one dict per person with the CANVAS_IDS / MOODLE_IDS they have."""

    kind: str = ""  # "canvas", "moodle" or "" (no roster)
    people: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def read_roster(path, label):
    """The roster in the LMS export at ``path``."""
    rows, problems = tables.read(path, label, required=())
    if problems:
        return Roster(problems=problems)
    if not rows:
        return Roster(problems=[Problem(label, "", "", "has no people in it")])
    columns = set(rows[0])
    if "student" in columns:
        kind, get = "canvas", _canvas_person
    elif {"first name", "last name"} <= columns or "email address" in columns:
        kind, get = "moodle", _moodle_person
    else:
        return Roster(problems=[Problem(label, "row 1", "", (
            "is not a Canvas or Moodle gradebook export: it needs the column 'Student' "
            "(Canvas) or 'First name', 'Last name' and 'Email address' (Moodle)"))])
    people = []
    for row in rows:
        person = get(row)
        if person:
            person["_row"] = row["_row"]
            person["tokens"] = tables.name_tokens(person["name"])
            people.append(person)
    return Roster(kind=kind, people=people)


def _canvas_person(row):
    name = row.get("student", "")
    if not name or "points possible" in name.casefold() or not (row.get("id") or name):
        return None  # the export's "Points Possible" row
    return {"name": name, "Student": name, "ID": row.get("id", ""),
            "SIS User ID": row.get("sis user id", ""), "SIS Login ID": row.get("sis login id", ""),
            "Section": row.get("section", ""), "Email address": "", "ID number": "",
            "First name": "", "Last name": ""}


def _moodle_person(row):
    first, last = row.get("first name", ""), row.get("last name", "")
    name = " ".join(p for p in (first, last) if p)
    if not name and not row.get("email address"):
        return None
    return {"name": name, "Student": f"{last}, {first}".strip(", "), "ID": "",
            "SIS User ID": "", "SIS Login ID": "", "Section": "",
            "Email address": row.get("email address", ""), "ID number": row.get("id number", ""),
            "First name": first, "Last name": last}


def match(learners, roster):
    """{learner key: (person or None, note)}: each learner's roster entry, if one fits."""
    out, taken = {}, {}
    for lr in learners:
        mine = tables.name_tokens(lr.name.rsplit(" (", 1)[0] if lr.clash else lr.name)
        exact = [p for p in roster.people if p["tokens"] == mine]
        partial = [p for p in roster.people if mine and mine < p["tokens"]]
        email = [p for p in roster.people if "@" in lr.name and
                 p["Email address"].casefold() == lr.name.strip().casefold()]
        found, note = None, ""
        if len(exact) == 1:
            found = exact[0]
        elif len(email) == 1:
            found = email[0]
        elif len(exact) > 1:
            note = f"{len(exact)} people in the roster have this name"
        elif len(partial) == 1:
            found, note = partial[0], f"matched on part of the name: '{partial[0]['name']}'"
        elif len(partial) > 1:
            note = f"the name fits {len(partial)} people in the roster"
        else:
            note = "not in the roster"
        if found is not None and id(found) in taken:
            note = f"the same roster entry as {taken[id(found)]}: check both"
            found = None
        if found is not None:
            taken[id(found)] = lr.name
        out[lr.key] = (found, note)
    return out


def canvas(learners, lessons, scores, matches):
    """canvas_grades.csv: Canvas's gradebook import layout."""
    header = [*CANVAS_IDS, *(lesson for lesson, _, _ in lessons)]
    rows = [["Points Possible", "", "", "", "", *(m for _, _, m in lessons)]]
    for lr in learners:
        person = matches.get(lr.key, (None, ""))[0]
        ids = [person[c] for c in CANVAS_IDS] if person else [lr.name, "", "", "", ""]
        rows.append([*ids, *(_points(scores[lr.key], lesson) for lesson, _, _ in lessons)])
    return tables.write(header, rows)


def moodle(learners, lessons, scores, matches):
    """(moodle_grades.csv, learners left out): Moodle's CSV grade import, users by email / ID
    number."""
    header = [*MOODLE_IDS, *(lesson for lesson, _, _ in lessons)]
    rows, left_out = [], []
    for lr in learners:
        person = matches.get(lr.key, (None, ""))[0]
        if person and not (person["Email address"] or person["ID number"]):
            person = None
        if person is None and "@" in lr.name and " " not in lr.name.strip():
            person = {"First name": "", "Last name": "", "ID number": "",
                      "Email address": lr.name.strip()}
        if person is None:
            left_out.append(lr.name)
            continue
        rows.append([*(person[c] for c in MOODLE_IDS),
                     *(_points(scores[lr.key], lesson) for lesson, _, _ in lessons)])
    return tables.write(header, rows), left_out


def _points(score, lesson):
    got = score.get(lesson)
    return "" if got is None else got[0]
