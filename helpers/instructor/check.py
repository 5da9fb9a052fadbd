"""``python -m helpers.instructor check``: every problem in the course, in one list.

Checks the course file, every data file (``helpers.data.validate()``, then what a document's
excerpt needs: ``helpers.documents.excerpt_problems()``, then the glossary's rows:
``helpers._glossary.rows``), every exercise bank, the notebooks
(solution markers; ids given to ``quiz.show`` / ``quiz.show_lesson``) and the instructor notes
they show (``data/instructor_notes/``: every id called exists, every note is used). A section
that fails in an unexpected way is reported as a problem too, never as a traceback.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import course, data, settlement
from .._common import notes
from .._common.checker import near
from .._quiz import bank
from .._quiz.kinds import KINDS
from ..errors import Problem
from . import contents
from .lessons import problems as lesson_problems
from .notebooks import INSTRUCTOR_TAG, has_tag, marker_problems

__all__ = ["Report", "run", "read_notebook"]

_SHOW = re.compile(r"""quiz\s*\.\s*(show|show_lesson)\s*\(\s*(['"])([^'"]+)\2""")
# journal.respond("id") with no prompt of its own asks an open question from the banks
_GLOSSARY = re.compile(r"""glossary\s*\.\s*show\s*\(\s*(['"])([^'"]+)\1""")
_RESPOND = re.compile(r"""journal\s*\.\s*respond\s*\(\s*(['"])([^'"]+)\1\s*\)""")


@dataclass
class Report:
    """What ``check`` found: the problems, and counts for the OK line."""

    problems: list = field(default_factory=list)
    registry: object = None
    counts: dict = field(default_factory=dict)

    def summary(self):
        c = self.counts
        return (f"{c.get('data', 0)} data files, {c.get('banks', 0)} exercise banks "
                f"({c.get('exercises', 0)} exercises), {c.get('notebooks', 0)} notebooks and "
                f"{course.course_label()}")


def read_notebook(path, label):
    """Read a notebook; return (notebook or None, problems)."""
    try:
        return nbformat.read(str(path), as_version=4), []
    except Exception as exc:  # malformed JSON, wrong format version, unreadable file
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, [Problem(label, "", "", f"is not a readable notebook ({reason[:200]})")]


def run():
    """Check everything; return a Report."""
    report = Report()
    settings = course.settings()
    _section(report, course.course_label(), lambda: course.problems())
    _section(report, "data/", lambda: _data(report))
    _section(report, "data/documents.csv", _excerpts)  # excerpts say whose words and where
    _section(report, "data/glossary.csv", _glossary)  # every term sourced, trilingual, neutral
    _section(report, "data/ (capstone)", settlement.problems)  # conditions, proposals, roles
    _section(report, "data/geo/", lambda: _maps())
    _section(report, "data/exercises/", lambda: _banks(report))
    _section(report, "notebooks/", lambda: _notebooks(report, settings))
    _section(report, "notebooks/", lesson_problems)  # references to lessons left out
    _section(report, "data/", lambda: _links(settings))  # what build would refuse to copy
    if report.registry is not None:
        _section(report, course.course_label(), lambda: _hidden(report, settings))
        _section(report, "data/exercises/", lambda: _extra_lessons(report, settings))
    return report


def _links(settings):
    """Symbolic links among the files a release takes: build stops on them, so check says so."""
    root = course.root()
    found = [contents.notebook_files(root, settings["lessons"]),
             contents.data_files(data.DATA_DIR), contents.support_files(root)]
    return [p for f in found for p in f.problems]


def _section(report, label, fn):
    try:
        report.problems += fn()
    except Exception as exc:  # report, keep checking the rest
        report.problems.append(Problem(label, "", "", (
            f"could not be checked ({type(exc).__name__}: {exc})")))


def _data(report):
    data.reload()
    report.counts["data"] = len(data.ORDER) + sum(
        len(course.extra_data_files(name)) for name in data.ORDER)
    return data.validate()


def _excerpts():
    from .. import documents  # imported here: it needs ipywidgets, which data checks do not

    return documents.excerpt_problems()


def _glossary():
    from .._glossary import cards  # imported here: only the glossary check needs it

    return cards.problems()


def _maps():
    if not (data.DATA_DIR / "geo").is_dir():  # a course without maps (e.g. a small custom course)
        return []
    from .. import maps  # imported here: plotly is only needed when checking the map data

    return maps.validate()


def _banks(report):
    files = bank.bank_files()
    report.registry = bank.load(files, bank.known_sources())
    report.counts["banks"] = len(files)
    report.counts["exercises"] = len(report.registry.exercises)
    return report.registry.problems


def _notebooks(report, settings):
    folder = course.root() / "notebooks"
    problems = []
    for lesson in settings["lessons"]:
        if not (folder / f"{lesson}.ipynb").is_file():
            problems.append(Problem(course.course_label(), "", "lessons", (
                f"'{lesson}' has no notebook notebooks/{lesson}.ipynb")))
    paths = sorted(folder.glob("*.ipynb"))
    report.counts["notebooks"] = len(paths)
    calls = []
    for path in paths:
        label = f"notebooks/{path.name}"
        nb, probs = read_notebook(path, label)
        problems += probs
        if nb is None:
            continue
        problems += marker_problems(nb, label)
        problems += _note_calls(nb, label, calls)
        problems += _glossary_calls(nb, label)
        if report.registry is not None:
            problems += _quiz_ids(nb, label, report.registry)
    return problems + notes.problems(course.notes_dir(), calls)


def _note_calls(nb, label, calls):
    """Collect ``course.instructor_note("id")`` calls; such a cell must be tagged instructor."""
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        found = [m[1] for m in notes.CALL.findall(cell.get("source", ""))]
        calls += [(label, f"cell {i + 1}", ident) for ident in found]
        if found and not has_tag(cell, INSTRUCTOR_TAG):
            problems.append(Problem(label, f"cell {i + 1}", "tags", (
                "a cell showing an instructor note must be tagged 'instructor', so that the "
                "student release leaves it out")))
    return problems


def _glossary_calls(nb, label):
    """``glossary.show("term")`` names a term of data/glossary.csv."""
    found = [(i, m[1]) for i, cell in enumerate(nb.cells) if cell.get("cell_type") == "code"
             for m in _GLOSSARY.findall(cell.get("source", ""))]
    if not found:
        return []
    from .._glossary import cards  # imported here: only notebooks that show a term need it

    return [Problem(label, f"cell {i + 1}", "glossary.show", (
        f"'{term}' is not a term of data/glossary.csv (give its id or any of its forms)"))
        for i, term in found if cards.find(term) is None]


def _quiz_ids(nb, label, reg):
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        for _, ident in _RESPOND.findall(cell.get("source", "")):
            ex = reg.exercises.get(ident)
            if ex is None or ex["kind"] not in KINDS or KINDS[ex["kind"]].show is None:
                problems.append(Problem(label, f"cell {i + 1}", "journal.respond", (
                    f"'{ident}' is not an open question in data/exercises (give the prompt "
                    "as the second argument, or add the question to the lesson's bank)")))
        for func, _, ident in _SHOW.findall(cell.get("source", "")):
            known = reg.exercises if func == "show" else reg.lessons
            if ident not in known:
                what = "an exercise id" if func == "show" else "a lesson with exercises"
                problems.append(Problem(label, f"cell {i + 1}", f"quiz.{func}", (
                    f"'{ident}' is not {what} in data/exercises")))
    return problems


def _extra_lessons(report, settings):
    """An extra bank (course.yml ``extra: exercises:``) must be for a lesson of the course."""
    problems, lessons = [], settings["lessons"]
    extras = {Path(p).resolve() for p in course.extra_data_files("exercises")}
    for label, path, raw in report.registry.banks:
        lesson = raw.get("lesson") if isinstance(raw, dict) else None
        if path.resolve() in extras and isinstance(lesson, str) and lesson not in lessons:
            problems.append(Problem(label, "", "lesson", (
                f"'{lesson}' is not a lesson of this course{near(lesson, lessons)}; use one of "
                f"the lessons in {course.course_label()}: {', '.join(lessons)}")))
    return problems


def _hidden(report, settings):
    label = course.course_label()
    return [Problem(label, "", "hide_exercises", f"'{i}' is not an exercise id")
            for i in settings["hide_exercises"] if i not in report.registry.exercises]

