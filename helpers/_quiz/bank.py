"""Load and check the exercise banks (``data/exercises/*.yml`` plus the course's extra files).

Each exercise comes back as a plain dict in one normal form whatever the YAML looked like, with a
``problems`` list: a broken exercise or bank is reported (file, exercise id, field, what is allowed)
and never stops the other banks from loading. The schema is documented in
``data/exercises/README.md``.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import course
from .._common import cache, strict_yaml
from .._common.checker import Checker, as_number, as_text, near, shown, visible
from ..errors import Problem
from .kinds import COMMON, KINDS

__all__ = ["Registry", "load", "registry", "bank_files", "label", "known_sources", "find"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LESSON = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_TOP = ("lesson", "title", "exercises", "answers_removed")
MAX_POINTS = 100


@dataclass
class Registry:
    """Every exercise by id, the ids of each lesson in order, and every problem found."""

    exercises: dict = field(default_factory=dict)
    lessons: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)
    banks: list = field(default_factory=list)  # (label, path, raw data or None)
    problems: list = field(default_factory=list)


def label(path):
    """A short name for a file in messages: relative to the course folder when inside it."""
    path = Path(path).resolve()
    for base in (course.root(), _data_dir().parent):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def _data_dir():
    from .. import data  # imported late: it pulls in pandas

    return Path(data.DATA_DIR)


def bank_files():
    """The bank files in use: ``(path, is_extra)`` for data/exercises/*.yml, then course extras."""
    own = sorted(_data_dir().joinpath("exercises").glob("*.y*ml"))
    return [(p, False) for p in own] + [(p, True) for p in course.extra_data_files("exercises")]


def known_sources():
    """Source ids in data/sources.csv and the course's extra source files (None if unreadable:
    the data check reports that, and the banks' sources are not checked meanwhile)."""
    from .. import data

    return set(data.raw_rows("sources")) or None


_cache = {}
cache.on_reload(_cache.clear)  # data.reload() re-reads the banks too


def registry():
    """The exercises of the current course, re-read whenever a bank file changes."""
    files = bank_files()
    key = []
    for path, extra in files:
        try:
            st = os.stat(path)
            key.append((str(path), extra, st.st_mtime_ns, st.st_size))
        except OSError:
            key.append((str(path), extra, None, None))
    key = tuple(key)
    if key not in _cache:
        _cache.clear()
        _cache[key] = load(files, known_sources())
    return _cache[key]


def load(files, sources=None):
    """Read and check bank ``files`` (``(path, is_extra)`` pairs); ``sources``: known source ids."""
    reg = Registry()
    seen = {}
    for path, extra in files:
        name = label(path)
        data, probs = strict_yaml.load(path, name)
        reg.banks.append((name, Path(path), data))
        reg.problems += probs
        if probs:
            continue
        lesson, title, entries, removed, probs = _check_bank(data, name, Path(path).stem, extra)
        reg.problems += probs
        if lesson is None:
            continue
        reg.lessons.setdefault(lesson, [])
        if title and lesson not in reg.titles:
            reg.titles[lesson] = title
        for n, raw in enumerate(entries, start=1):
            ex = _check_exercise(raw, n, name, lesson, removed, sources)
            if ex["id"] in seen:
                other = reg.exercises[ex["id"]]
                ex["problems"].append(Problem(
                    name, f"exercise {ex['id']}", "id",
                    f"duplicate id: '{ex['id']}' is already used in {other['file']} "
                    "(ids must be unique across all banks)"))
                reg.problems += ex["problems"]
                continue
            if ex["id"]:
                seen[ex["id"]] = name
                reg.exercises[ex["id"]] = ex
                reg.lessons[lesson].append(ex["id"])
            reg.problems += ex["problems"]
    return reg


def find(exercise_id):
    """The exercise ``exercise_id`` of the current course (a normalised dict), or None."""
    return registry().exercises.get(exercise_id)


def _check_bank(data, name, stem, extra):
    check = Checker(name)
    if not isinstance(data, dict):
        check.bad("", "must be a mapping with 'lesson:' and 'exercises:' (see "
                  "data/exercises/README.md)")
        return None, None, [], False, check.problems
    check.unknown(data, _TOP, of="a bank")
    lesson = data.get("lesson")
    if not isinstance(lesson, str) or not _LESSON.match(lesson):
        check.bad("lesson", "is required: the notebook name without .ipynb, e.g. "
                  "01_shimoda_to_yalta")
        return None, None, [], False, check.problems
    if not extra and lesson != stem:
        check.bad("lesson", f"'{lesson}' must match the file name '{stem}'")
    title = data.get("title")
    if title is not None and (as_text(title) is None or not visible(title)):
        check.bad("title", "must be text with visible characters")
        title = None
    removed = data.get("answers_removed", False)
    if not isinstance(removed, bool):
        check.bad("answers_removed", "must be true or false")
        removed = False
    entries = data.get("exercises")
    if not isinstance(entries, list):
        check.bad("exercises", "is required: a list of exercises, each starting with '- id:'")
        entries = []
    return lesson, (str(title) if title is not None else None), entries, removed, check.problems


def _check_exercise(raw, n, file, lesson, removed, sources):
    if not isinstance(raw, dict):
        chk = Checker(file, f"exercise #{n}")
        chk.bad("", "must be a mapping starting with '- id:' (check the indentation)")
        return {"id": None, "problems": chk.problems}
    rid = raw.get("id")
    rid = as_text(rid) if rid is not None else None
    chk = Checker(file, f"exercise {rid}" if rid else f"exercise #{n}")
    if rid is None:
        chk.bad("id", "is required: lowercase letters, digits and hyphens, e.g. shimoda-boundary")
    elif not _ID.match(rid):
        chk.bad("id", f"'{rid}' is not allowed: use lowercase letters, digits and hyphens")
    name = raw.get("kind")
    ex = {"id": rid, "kind": name, "lesson": lesson, "file": file, "answers_removed": removed}
    if not isinstance(name, str) or name not in KINDS:
        chk.bad("kind", f"'{name}' is not a known kind{near(name, KINDS)}; "
                f"use one of: {', '.join(KINDS)}")
        ex["problems"] = chk.problems
        return ex
    kind = KINDS[name]
    chk.unknown(raw, COMMON + kind.fields, of=f"a {name} exercise")
    ex["prompt"] = chk.text(raw, "prompt", default="", strip=False)
    ex["hints"] = chk.texts(raw, "hints")
    ex["tags"] = chk.texts(raw, "tags")
    ex["instructor_note"] = chk.text(raw, "instructor_note", required=False, default=None,
                                     strip=False)
    points = raw.get("points", kind.points)
    ex["points"] = as_number(points) if not isinstance(points, str) else None
    if ex["points"] is None or not 0 <= ex["points"] <= MAX_POINTS:
        chk.bad("points", f"'{shown(points)}' is not allowed: use a number 0 or more, at most "
                f"{MAX_POINTS}")
        ex["points"] = 0.0
    ex["sources"] = chk.ids(raw, "sources", sources, "data/sources.csv",
                            required=kind.sources_required)
    for fld in ("feedback_correct", "feedback_wrong"):
        if fld in kind.fields:
            ex[fld] = chk.text(raw, fld, required=False, default=None, strip=False)
    kind.check(raw, ex, chk, removed)
    _check_island_names(raw, chk)
    ex["problems"] = chk.problems
    return ex


def _check_island_names(value, chk, field=""):
    """Every ``{island:<id>}`` in the exercise's texts names an island of data/islands.csv."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_island_names(item, chk, f"{field}.{key}" if field else str(key))
    elif isinstance(value, list):
        for n, item in enumerate(value, start=1):
            _check_island_names(item, chk, f"{field}[{n}]")
    elif isinstance(value, str) and "{island" in value:
        from .. import names  # reads data/islands.csv: only for texts that use the placeholder

        try:
            problems = names.placeholder_problems(value)
        except Exception as exc:  # islands.csv unreadable: the data check says why
            problems = [f"island names cannot be checked ({exc})"]
        for message in problems:
            chk.bad(field, message)
