"""References to lessons a course leaves out, for ``python -m helpers.instructor check``.

A lesson is *dropped* when its notebook is in ``notebooks/`` but not under ``lessons`` in
``course.yml``. The build removes what it can by itself (the course tables' rows and lines of
links to the dropped notebook, see ``links.drop_missing``); :func:`problems` lists every other
reference that would reach learners, so the instructor can reword it:

- in the course's notebooks (cells not tagged ``instructor``): the notebook's name
  (``03_tokyo_1993``, with or without ``.ipynb``; ``scratch.ipynb`` for a name without a number),
  "Lesson 3", "lessons 2 and 3", "Lessons 1–4";
  a ``quiz.show`` or ``journal.respond`` of a question from the dropped lesson's bank;
- in ``README.md`` (by line) and in the exercise banks of the course's lessons (by exercise and
  field).

Numbers count only when no kept lesson has the same number. It also reports a
``quiz.show_extra("...")`` naming a lesson that does not exist.
"""

import re
from pathlib import Path

import nbformat

from .. import course
from .._quiz import bank
from ..errors import Problem
from . import links
from .notebooks import INSTRUCTOR_TAG, has_tag, where

__all__ = ["problems", "dropped", "mentions"]

_NUMBER = re.compile(r"^(\d+)_")
_LESSONS = re.compile(
    r"\blessons?\s+(\d+(?:\s*(?:[–—-]|\bto\b|\band\b|\bor\b|,|&)\s*\d+)*)", re.IGNORECASE)
_RANGE = re.compile(r"(\d+)\s*(?:[–—-]|\bto\b)\s*(\d+)")
_IDS = re.compile(r"""\b(?:quiz\s*\.\s*show|journal\s*\.\s*respond)\s*\(\s*(['"])([^'"]+)\1""")
_EXTRA = re.compile(r"""\bquiz\s*\.\s*show_extra\s*\(\s*(['"])([^'"]+)\1""")


def dropped(root, lessons):
    """The notebook names in ``root/notebooks`` that ``lessons`` leaves out."""
    folder = Path(root) / "notebooks"
    return [p.stem for p in sorted(folder.glob("*.ipynb")) if p.stem not in lessons]


def _numbers(names):
    return {int(m.group(1)) for m in map(_NUMBER.match, names) if m}


def mentions(text, names, numbers):
    """``[(dropped lesson name, the words found)]`` in ``text``: ``names`` are dropped notebook
    names, ``numbers`` maps a lesson number to the dropped notebook it stands for."""
    found = []
    for name in names:  # a bare name only when it looks like a lesson's ("03_tokyo_1993")
        ending = r"(?:\.ipynb)?" if _NUMBER.match(name) else r"\.ipynb"
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}{ending}(?![\w-])", text):
            found.append((name, m.group(0)))
    for m in _LESSONS.finditer(text):
        said = set()
        for a, b in _RANGE.findall(m.group(1)):
            said |= set(range(int(a), int(b) + 1))
        said |= {int(n) for n in re.findall(r"\d+", m.group(1))}
        for n in sorted(said & set(numbers)):
            found.append((numbers[n], m.group(0)))
    return found


def problems():
    """Every reference to a dropped lesson that would reach learners (see the module)."""
    settings = course.settings()
    root = course.root()
    kept = list(settings["lessons"])
    names = dropped(root, kept)
    if not names:
        return _extra_calls(root, kept, names)
    numbers = {n: name for name in names for n in _numbers([name]) if n not in _numbers(kept)}
    reg = bank.registry()
    gone = {i for i, ex in reg.exercises.items() if ex.get("lesson") in names}
    found = []
    for lesson in kept:
        found += _notebook(root, lesson, kept, names, numbers, gone)
    found += _readme(root, kept, names, numbers)
    found += _banks(reg, kept, names, numbers)
    return found + _extra_calls(root, kept, names)


def _message(name, words, context):
    return (f"mentions the lesson {name}, which course.yml leaves out (\"{context}\"): reword "
            f"it, or add {name} back under lessons")


def _context(line, words):
    line = " ".join(line.split())
    at = line.find(words)
    start = max(0, at - 40) if at >= 0 else 0
    snippet = line[start:start + 100]
    return ("…" if start else "") + snippet + ("…" if start + 100 < len(line) else "")


def _lines(text, base, kept, names, numbers):
    """``(line number, name, words, line)`` for the mentions of dropped lessons, except in the
    table rows and lines of links that the build removes."""

    def exists(path):
        return not (path.endswith(".ipynb") and Path(path).stem in names)

    def notebook_exists(name):
        return name[:-6] not in names

    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not links.drop_missing(line, base, exists, notebook_exists)[0]:
            continue  # a table row or a line of links: the build removes it
        for name, words in mentions(line, names, numbers):
            out.append((n, name, words, line))
    return out


def _read(path):
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception:  # an unreadable notebook is reported by the notebook check
        return None


def _notebook(root, lesson, kept, names, numbers, gone):
    label = f"notebooks/{lesson}.ipynb"
    nb = _read(Path(root) / label)
    found = []
    for i, cell in enumerate(nb.cells if nb is not None else []):
        if has_tag(cell, INSTRUCTOR_TAG):
            continue  # the build removes it
        source = cell.get("source", "")
        for n, name, words, line in _lines(source, label, kept, names, numbers):
            found.append(Problem(label, f"{where(i, cell)}, line {n}", "",
                                 _message(name, words, _context(line, words))))
        if cell.get("cell_type") == "code":
            for _, ident in _IDS.findall(source):
                if ident in gone:
                    found.append(Problem(label, where(i, cell), "", (
                        f"shows the question '{ident}' of a lesson course.yml leaves out: "
                        "remove the cell, or add the lesson back under lessons")))
    return found


def _readme(root, kept, names, numbers):
    path = Path(root) / "README.md"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [Problem("README.md", f"line {n}", "", _message(name, words, _context(line, words)))
            for n, name, words, line in _lines(text, "README.md", kept, names, numbers)]


def _strings(value, path=""):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _strings(inner, f"{path}[{n}]")


def _banks(reg, kept, names, numbers):
    found = []
    for label, _path, data in reg.banks:
        if not isinstance(data, dict) or data.get("lesson") not in kept:
            continue
        for n, raw in enumerate(data.get("exercises") or [], start=1):
            ident = raw.get("id") if isinstance(raw, dict) else None
            for fld, text in _strings(raw):
                if fld == "instructor_note" or fld.startswith("instructor_note"):
                    continue  # never reaches learners
                for name, words in mentions(text, names, numbers):
                    found.append(Problem(label, f"exercise {ident or f'#{n}'}", fld,
                                         _message(name, words, _context(text, words))))
    return found


def _extra_calls(root, kept, names):
    found = []
    for lesson in kept:
        label = f"notebooks/{lesson}.ipynb"
        nb = _read(Path(root) / label)
        for i, cell in enumerate(nb.cells if nb is not None else []):
            if cell.get("cell_type") != "code":
                continue
            for _, ident in _EXTRA.findall(cell.get("source", "")):
                if ident not in kept and ident not in names:
                    found.append(Problem(label, where(i, cell), "quiz.show_extra", (
                        f"'{ident}' is not a lesson of the course: write "
                        f"quiz.show_extra(\"{lesson}\") to show the questions added to this "
                        "lesson")))
    return found
