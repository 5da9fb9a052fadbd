"""Load and check the exercise banks (``data/exercises/*.yml`` plus the course's extra files).

Each exercise comes back as a plain dict in one normal form whatever the YAML looked like, with a
``problems`` list: a broken exercise or bank is reported (file, exercise id, field, what is allowed)
and never stops the other banks from loading. The schema is documented in
``data/exercises/README.md``.
"""

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import course
from ._common import strict_yaml
from .errors import Problem

__all__ = ["KINDS", "MARKED", "Registry", "load", "registry", "bank_files", "label"]

MARKED = ("single", "multiple", "numeric", "ordering", "matching")
KINDS = MARKED + ("short", "long", "opinion")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LESSON = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_TOP = ("lesson", "title", "exercises", "answers_removed")
_COMMON = ("id", "kind", "prompt", "hints", "points", "sources", "tags", "instructor_note")
_VERDICTS = ("feedback_correct", "feedback_wrong")
_EXTRA = {
    "single": ("choices", *_VERDICTS),
    "multiple": ("choices", *_VERDICTS),
    "numeric": ("answer", "tolerance", "unit", *_VERDICTS),
    "ordering": ("items", *_VERDICTS),
    "matching": ("pairs", "lefts", "rights", *_VERDICTS),
    "short": ("model_answer", "rubric", "keywords"),
    "long": ("model_answer", "rubric", "keywords"),
    "opinion": ("choices",),
}


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
    from . import data  # imported late: it pulls in pandas

    return Path(data.DATA_DIR)


def bank_files():
    """The bank files in use: ``(path, is_extra)`` for data/exercises/*.yml, then course extras."""
    own = sorted(_data_dir().joinpath("exercises").glob("*.y*ml"))
    return [(p, False) for p in own] + [(p, True) for p in course.extra_data_files("exercises")]


def known_sources():
    """Source ids in data/sources.csv and the course's extra source files (None if unreadable)."""
    try:
        from . import data

        return {row.get("id") for _, _, row in data._load_all()[0]["sources"][1]}
    except Exception:  # the data checker reports unreadable data; here we just skip the check
        return None


_cache = {}


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


def _check_bank(data, name, stem, extra):
    probs = []

    def bad(fld, msg):
        probs.append(Problem(name, "", fld, msg))

    if not isinstance(data, dict):
        bad("", "must be a mapping with 'lesson:' and 'exercises:' (see data/exercises/README.md)")
        return None, None, [], False, probs
    for key in data:
        if key not in _TOP:
            bad(str(key), f"unknown field{_near(key, _TOP)}; a bank has: {', '.join(_TOP)}")
    lesson = data.get("lesson")
    if not isinstance(lesson, str) or not _LESSON.match(lesson):
        bad("lesson", "is required: the notebook name without .ipynb, e.g. 01_shimoda_to_yalta")
        return None, None, [], False, probs
    if not extra and lesson != stem:
        bad("lesson", f"'{lesson}' must match the file name '{stem}'")
    title = data.get("title")
    if title is not None and not isinstance(title, (str, int, float)):
        bad("title", "must be text")
        title = None
    removed = data.get("answers_removed", False)
    if not isinstance(removed, bool):
        bad("answers_removed", "must be true or false")
        removed = False
    entries = data.get("exercises")
    if not isinstance(entries, list):
        bad("exercises", "is required: a list of exercises, each starting with '- id:'")
        entries = []
    return lesson, (str(title) if title is not None else None), entries, removed, probs


def _near(word, options):
    near = difflib.get_close_matches(str(word), options, n=1)
    return f" (did you mean '{near[0]}'?)" if near else ""


def _text(value):
    """Text fields accept text or numbers (``text: 1855``), never lists, mappings or true/false."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value)


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


class _Checker:
    """Collects problems for one exercise, naming its file, id and field."""

    def __init__(self, file, where):
        self.file, self.where, self.problems = file, where, []

    def bad(self, fld, message):
        self.problems.append(Problem(self.file, self.where, fld, message))

    def text(self, raw, fld, required=False, default=None):
        if fld not in raw or raw[fld] is None:
            if required:
                self.bad(fld, "is required")
            return default
        value = _text(raw[fld])
        if value is None:
            self.bad(fld, "must be text (Markdown)")
            return default
        if required and not value.strip():
            self.bad(fld, "is empty but required")
        return value

    def texts(self, raw, fld, min_len=0, distinct=False):
        value = raw.get(fld)
        if value is None:
            value = []
        if not isinstance(value, list):
            self.bad(fld, f"must be a list, e.g. {fld}: [first, second]")
            return []
        out = []
        for i, item in enumerate(value):
            text = _text(item)
            if text is None or not text.strip():
                self.bad(f"{fld}[{i + 1}]", "must be non-empty text")
            else:
                out.append(text)
        if len(out) < min_len:
            self.bad(fld, f"needs at least {min_len} entries")
        if distinct and len(set(out)) != len(out):
            dup = next(t for t in out if out.count(t) > 1)
            self.bad(fld, f"'{dup}' appears twice: entries must be different")
        return out


def _check_exercise(raw, n, file, lesson, removed, sources):
    if not isinstance(raw, dict):
        chk = _Checker(file, f"exercise #{n}")
        chk.bad("", "must be a mapping starting with '- id:' (check the indentation)")
        return {"id": None, "problems": chk.problems}
    rid = raw.get("id")
    rid = _text(rid) if rid is not None else None
    chk = _Checker(file, f"exercise {rid}" if rid else f"exercise #{n}")
    if rid is None:
        chk.bad("id", "is required: lowercase letters, digits and hyphens, e.g. shimoda-boundary")
    elif not _ID.match(rid):
        chk.bad("id", f"'{rid}' is not allowed: use lowercase letters, digits and hyphens")
    kind = raw.get("kind")
    ex = {"id": rid, "kind": kind, "lesson": lesson, "file": file, "answers_removed": removed}
    if kind not in KINDS:
        chk.bad("kind", f"'{kind}' is not a known kind{_near(kind, KINDS)}; "
                f"use one of: {', '.join(KINDS)}")
        ex["problems"] = chk.problems
        return ex
    allowed = _COMMON + _EXTRA[kind]
    for key in raw:
        if key not in allowed:
            chk.bad(str(key), f"is not a field of a {kind} exercise{_near(key, allowed)}; "
                    f"allowed: {', '.join(allowed)}")
    ex["prompt"] = chk.text(raw, "prompt", required=True, default="")
    ex["hints"] = chk.texts(raw, "hints")
    ex["tags"] = chk.texts(raw, "tags")
    ex["instructor_note"] = chk.text(raw, "instructor_note")
    points = raw.get("points", 0 if kind == "opinion" else 1)
    ex["points"] = _number(points)
    if ex["points"] is None or ex["points"] < 0:
        chk.bad("points", f"'{points}' is not allowed: use a number 0 or more")
        ex["points"] = 0.0
    ex["sources"] = chk.texts(raw, "sources")
    if "sources" not in raw or not raw.get("sources"):
        chk.bad("sources", "cites no source: list at least one id from data/sources.csv")
    elif sources is not None:
        for sid in ex["sources"]:
            if sid not in sources:
                chk.bad("sources", f"'{sid}' is not an id in data/sources.csv{_near(sid, sources)}")
    for fld in _VERDICTS:
        if fld in _EXTRA[kind]:
            ex[fld] = chk.text(raw, fld)
    _KIND_CHECKS[kind](raw, ex, chk, removed)
    ex["problems"] = chk.problems
    return ex


def _choices(raw, ex, chk, removed):
    kind = ex["kind"]
    value = raw.get("choices")
    if value is None and kind == "opinion":
        ex["choices"] = []
        return
    if not isinstance(value, list) or len(value) < 2:
        chk.bad("choices", "needs a list of at least 2 choices, each '- text: ...'")
        ex["choices"] = []
        return
    keys = ("text", "feedback") if kind == "opinion" else ("text", "correct", "feedback")
    out = []
    for i, item in enumerate(value, start=1):
        fld = f"choices[{i}]"
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            item = {"text": item}  # a bare '- text' line is a choice with no feedback
        if not isinstance(item, dict):
            chk.bad(fld, "must be a mapping: '- text: ...' with optional correct and feedback")
            continue
        for key in item:
            if key not in keys:
                msg = ("opinion questions have no correct answer" if key == "correct"
                       else f"unknown field{_near(key, keys)}; allowed: {', '.join(keys)}")
                chk.bad(f"{fld}.{key}", msg)
        text = _text(item.get("text"))
        if text is None or not text.strip():
            chk.bad(f"{fld}.text", "is required: the text of the choice")
            continue
        correct = item.get("correct", False)
        if not isinstance(correct, bool):
            chk.bad(f"{fld}.correct", f"'{correct}' is not allowed: use true or false")
            correct = False
        feedback = item.get("feedback")
        if feedback is not None and _text(feedback) is None:
            chk.bad(f"{fld}.feedback", "must be text (Markdown)")
            feedback = None
        out.append({"text": text, "correct": correct and kind != "opinion",
                    "feedback": _text(feedback) if feedback is not None else None})
    texts = [c["text"] for c in out]
    for t in texts:
        if texts.count(t) > 1:
            chk.bad("choices", f"the choice '{t}' appears twice: choices must be different")
            break
    ex["choices"] = out
    right = sum(c["correct"] for c in out)
    if removed or kind == "opinion" or len(out) != len(value):
        return
    if kind == "single" and right != 1:
        chk.bad("choices", f"a single-choice question needs exactly one choice with "
                f"'correct: true' (found {right}); use kind 'multiple' for several")
    if kind == "multiple" and right < 1:
        chk.bad("choices", "a multiple-choice question needs at least one 'correct: true'")


def _numeric(raw, ex, chk, removed):
    answer = raw.get("answer")
    ex["answer"] = _number(answer)
    if ex["answer"] is None and not (removed and answer is None):
        chk.bad("answer", f"'{answer}' is not allowed: the correct answer as a number, "
                "e.g. 1855 or 3168.4")
    tol = raw.get("tolerance", 0)
    ex["tolerance"] = _number(tol)
    if ex["tolerance"] is None or ex["tolerance"] < 0:
        chk.bad("tolerance", f"'{tol}' is not allowed: a number 0 or more")
        ex["tolerance"] = 0.0
    ex["unit"] = chk.text(raw, "unit", default="")


def _ordering(raw, ex, chk, removed):
    ex["items"] = chk.texts(raw, "items", min_len=2, distinct=True)
    ex["order"] = None if removed else list(ex["items"])


def _matching(raw, ex, chk, removed):
    if removed and "pairs" not in raw:
        ex["lefts"] = chk.texts(raw, "lefts", min_len=2, distinct=True)
        ex["rights"] = chk.texts(raw, "rights", min_len=2, distinct=True)
        ex["pairs"] = None
        return
    for key in ("lefts", "rights"):
        if key in raw:
            chk.bad(key, "is only used in student releases; write 'pairs' of '{left, right}'")
    value = raw.get("pairs")
    pairs = []
    if not isinstance(value, list) or len(value) < 2:
        chk.bad("pairs", "needs a list of at least 2 pairs, each '- {left: ..., right: ...}'")
    else:
        for i, item in enumerate(value, start=1):
            fld = f"pairs[{i}]"
            if not isinstance(item, dict) or set(item) - {"left", "right"}:
                chk.bad(fld, "must be a mapping with exactly 'left' and 'right'")
                continue
            left, right = _text(item.get("left")), _text(item.get("right"))
            if not left or not right or not left.strip() or not right.strip():
                chk.bad(fld, "needs both 'left' and 'right' as text")
                continue
            pairs.append((left, right))
    for side, pos in (("left", 0), ("right", 1)):
        values = [p[pos] for p in pairs]
        for v in values:
            if values.count(v) > 1:
                chk.bad("pairs", f"the {side} '{v}' appears twice: every {side} must be different")
                break
    ex["lefts"] = [p[0] for p in pairs]
    ex["rights"] = [p[1] for p in pairs]
    ex["pairs"] = dict(pairs)


def _open(raw, ex, chk, removed):
    ex["model_answer"] = chk.text(raw, "model_answer", required=not removed)
    ex["rubric"] = chk.texts(raw, "rubric", min_len=0 if removed else 1)
    ex["keywords"] = chk.texts(raw, "keywords")


_KIND_CHECKS = {
    "single": _choices,
    "multiple": _choices,
    "opinion": _choices,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
    "short": _open,
    "long": _open,
}
