"""``python -m helpers.instructor collect HANDINS --out DIR``: a class at a glance.

Reads every hand-in in HANDINS (the files learners saved with "Download my work", HTML or
Markdown, any mix of lessons, several per learner), marks every answer again against the
instructor's own banks, and writes DIR all at once:

=====================  =====================================================================
``report.txt``         what was collected, every file that was not and why, what to do next
``gradebook.csv``      one row per learner, one column per lesson (points; maximum in the header)
``canvas_grades.csv``  the same in Canvas's gradebook import layout
``moodle_grades.csv``  the same for Moodle's CSV grade import (users by email or ID number)
``open_marks.csv``     written answers for you to mark (fill in ``mark``; ``--marks`` reads it)
``answers.csv``        every learner's latest answer to every question, marked again
``items.csv``          item analysis: answered, share right, spread, most common wrong answer
``settlements.csv``    the class's capstone designs: island, side, timing, designs
``conditions.csv``     how the designs fared against each government's stated conditions
``pseudonyms.csv``     the key from pseudonym to learner (keep it to yourself)
``debrief.ipynb``      a 15-minute class discussion (reads ``debrief_data.json``: pseudonyms)
=====================  =====================================================================

Nothing in a hand-in is run or rendered unescaped; a file that cannot be used is named with the
reason and the rest are collected. DIR is replaced only if ``collect`` wrote it and nothing in it
changed since (``helpers.instructor._output``).
"""

import json
import os
import statistics
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .. import course
from .._journal import export
from .._quiz import bank
from . import _output
from ._collect import designs as _designs
from ._collect import handin as _handin
from ._collect import items as _items
from ._collect import learners as _learners
from ._collect import lms, notebook, openmarks, tables
from ._collect.marking import (
    NOT_IN_COURSE,
    TO_MARK,
    answers_removed,
    exercise_max,
    remark,
)
from .debrief import DATA, FORMAT

__all__ = ["TOOL", "Collection", "CollectError", "collect", "run", "scan"]

TOOL = "collect"
SUFFIXES = (".html", ".htm", ".md", ".markdown", ".txt")
KEY_FILE = "pseudonyms.csv"
TEXT_CHARS = 2000  # written answers in the debrief data are cut to this length


class CollectError(Exception):
    """Collecting cannot start (no folder, banks without answers, ...)."""


@dataclass
class Collection:
    """Everything collected, in memory (``outputs`` turns it into files)."""

    folder: Path
    seen: int = 0
    handins: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (file, reason)
    duplicates: list = field(default_factory=list)  # (file, the file it repeats)
    skipped: list = field(default_factory=list)  # (folder, reason)
    learners: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # learner key -> {question: Answer}
    extras: dict = field(default_factory=dict)  # learner key -> [Answer] not in the banks
    exercises: list = field(default_factory=list)  # course order, hidden left out
    lessons: list = field(default_factory=list)  # (lesson, title, max points)
    scores: dict = field(default_factory=dict)  # learner key -> {lesson: (points, to mark)}
    items: list = field(default_factory=list)
    settlements: object = None
    waiting: list = field(default_factory=list)  # open answers: (answer id, learner, Answer)
    marks: dict = field(default_factory=dict)
    earlier: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # Problems in the filled marks file
    roster: object = None
    matches: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    moodle_left_out: list = field(default_factory=list)
    made: str = ""


# ---------------------------------------------------------------- reading


def scan(folder):
    """(hand-in candidates as (path, name), skipped folders as (name, reason)): every file under
    ``folder`` but hidden ones, and no folder ``collect`` wrote."""
    folder = Path(folder)
    found, skipped = [], []
    for top, dirs, names in os.walk(folder):
        base = Path(top)
        keep = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            if (base / d / _output.MARKER).exists():
                skipped.append((_handin.plain((base / d).relative_to(folder).as_posix(), 300),
                                "an output folder of collect, not hand-ins"))
                continue
            keep.append(d)
        dirs[:] = keep
        for name in sorted(names):
            if not name.startswith("."):
                path = base / name
                found.append((path, _handin.plain(path.relative_to(folder).as_posix(), 300)))
    return found, skipped


def _read_all(c, paths):
    by_sha = {}
    for path, name in paths:
        c.seen += 1
        try:
            h = _handin.read(path, name)
        except _handin.Unreadable as exc:
            reason = exc.reason
            if not name.lower().endswith(SUFFIXES) and reason.startswith("is not"):
                reason = "is not a hand-in (hand-ins are the .html or .md files of Download my " \
                         "work)"
            c.rejected.append((name, reason))
            continue
        if h.sha256 in by_sha:
            c.duplicates.append((name, by_sha[h.sha256]))
            continue
        by_sha[h.sha256] = name
        c.handins.append(h)


def _course_exercises(registry, settings):
    hidden = set(settings["hide_exercises"])
    order = [*settings["lessons"], *(k for k in registry.lessons if k not in settings["lessons"])]
    exercises, lessons = [], []
    for lesson in order:
        found = [registry.exercises[i] for i in registry.lessons.get(lesson, [])
                 if i not in hidden]
        if not found:
            continue
        exercises += found
        top = sum(exercise_max(ex, hidden) for ex in found)
        if top > 0:
            lessons.append((lesson, registry.titles.get(lesson) or lesson, top))
    return exercises, lessons, hidden


def collect(handins, marks=None, roster=None, known=None):
    """Collect the hand-ins in folder ``handins``; read filled open marks from ``marks`` and LMS
    ids from ``roster`` (paths, optional); ``known``: {learner key: pseudonym} to keep."""
    folder = Path(handins)
    if not folder.is_dir():
        raise CollectError(f"{folder} is not a folder: give the folder holding the hand-ins")
    registry, settings = bank.registry(), course.settings()
    if answers_removed(registry):
        raise CollectError("the exercise banks in use have no answers (a student release): run "
                           "collect in your own course folder, where the answer keys are")
    c = Collection(folder=folder, made=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))
    if registry.problems:
        c.notes.append(f"The exercise banks have {len(registry.problems)} problem(s); questions "
                       "that could not be loaded are not marked (run python -m helpers.instructor "
                       "check).")
    paths, c.skipped = scan(folder)
    _read_all(c, paths)
    c.learners = _learners.assign_pseudonyms(_learners.group(c.handins), known)
    c.exercises, c.lessons, hidden = _course_exercises(registry, settings)
    designs = {}
    for lr in c.learners:
        mine, extra = {}, []
        for item, (entry, file) in lr.latest.items():
            if entry.get("kind") == _designs.DESIGN_KIND and item not in registry.exercises:
                designs.setdefault(lr.key, []).append((entry, file))
            a = remark(entry, file, registry, hidden)
            (extra.append(a) if a.status == NOT_IN_COURSE else mine.__setitem__(item, a))
        c.answers[lr.key], c.extras[lr.key] = mine, extra
    c.waiting = openmarks.to_mark(c.learners, c.answers)
    if marks:
        c.marks, c.earlier, found = openmarks.read_marks(Path(marks), str(marks), c.waiting)
        c.problems += found
        openmarks.apply(c.waiting, c.marks)
    c.roster = lms.read_roster(Path(roster), str(roster)) if roster else lms.Roster()
    c.matches = lms.match(c.learners, c.roster) if c.roster.people else {}
    c.scores = {lr.key: _scores(c.answers[lr.key], c.lessons) for lr in c.learners}
    c.items = _items.analyse(c.exercises, c.answers)
    c.settlements = _designs.collect(designs)
    return c


def _scores(answers, lessons):
    out = {}
    for lesson, _, _ in lessons:
        mine = [a for a in answers.values() if a.lesson == lesson]
        if not mine:
            out[lesson] = None
            continue
        points = sum(a.points for a in mine if a.points is not None)
        out[lesson] = (points, sum(1 for a in mine if a.status == TO_MARK and a.points is None))
    return out


# ---------------------------------------------------------------- writing


def outputs(c):
    """{file name: bytes} for the output folder."""
    lessons = c.lessons
    files = {
        "gradebook.csv": _gradebook(c),
        "canvas_grades.csv": lms.canvas(c.learners, lessons, c.scores, c.matches),
        "open_marks.csv": openmarks.write(c.waiting, c.marks, c.earlier),
        "answers.csv": _answers(c),
        "items.csv": tables.write(_items.COLUMNS, [[i.row()[k] for k in _items.COLUMNS]
                                                   for i in c.items], bom=True),
        "settlements.csv": tables.write(
            ("island", "side", "timing", "designs"),
            [(island, side, timing, n) for island, sides in c.settlements.islands.items()
             for side, timings in sides.items() for timing, n in timings.items()]),
        "conditions.csv": tables.write(
            ("government", "condition", "checked", *_designs.RESULTS, "id"),
            [[r["government"], r["condition"], r["checked"], *(r[k] for k in _designs.RESULTS),
              r["id"]] for r in c.settlements.outcomes]),
        KEY_FILE: tables.write(("pseudonym", "learner", "learner_key", "files"),
                               [(lr.pseudonym, lr.name, lr.key,
                                 "; ".join(h.name for h in lr.handins)) for lr in c.learners],
                               bom=True),
        DATA: json.dumps(_debrief_data(c), ensure_ascii=False, indent=1).encode("utf-8"),
    }
    files["moodle_grades.csv"], c.moodle_left_out = lms.moodle(c.learners, lessons, c.scores,
                                                                c.matches)
    hardest = _hardest(c)
    texts = _text_question(c)
    files["debrief.ipynb"] = notebook.build(_counts(c), hardest, texts,
                                            bool(c.settlements.designs), c.made).encode("utf-8")
    files["report.txt"] = "\n".join(report(c)).encode("utf-8")
    return files


def _gradebook(c):
    header = ["learner", *(f"{lesson} (max {tables.number(m)})" for lesson, _, m in c.lessons),
              f"total (max {tables.number(sum(m for _, _, m in c.lessons))})",
              "open answers to mark", "hand-ins"]
    rows = []
    for lr in c.learners:
        got = c.scores[lr.key]
        cells = ["" if got[lesson] is None else got[lesson][0] for lesson, _, _ in c.lessons]
        total = sum(v[0] for v in got.values() if v)
        pending = sum(v[1] for v in got.values() if v)
        rows.append([lr.name, *cells, total, pending, len(lr.handins)])
    return tables.write(header, rows, bom=True)


def _answers(c):
    header = ("learner", "lesson", "question", "kind", "status", "right", "points", "max_points",
              "answer", "time", "file", "note")
    rows = []
    for lr in c.learners:
        for a in [*c.answers[lr.key].values(), *c.extras[lr.key]]:
            rows.append([lr.name, a.lesson or "", a.item, a.kind, a.status,
                         "" if a.correct is None else a.correct,
                         "" if a.points is None else a.points,
                         a.max_points if a.status != NOT_IN_COURSE else "",
                         _answer_text(a), a.time, a.file, a.note])
    return tables.write(header, rows, bom=True)


def _answer_text(a):
    """As the learner saw it: a chosen course text with its island names filled in."""
    return openmarks.shown_text(export.shown_answer({"kind": a.kind, "answer": a.answer}))


def _counts(c):
    return {"learners": len(c.learners), "handins": len(c.handins),
            "designs": len(c.settlements.designs)}


def _hardest(c, n=3):
    enough = max(3, len(c.learners) // 10)
    marked = [i for i in c.items if i.share_right is not None and i.answered >= enough]
    marked.sort(key=lambda i: (i.share_right, -i.answered, i.id))
    return [i.id for i in marked[:n]]


def _text_question(c):
    written = [i for i in c.items if not i.marked and not i.spread and i.answered]
    open_first = sorted(written, key=lambda i: (i.kind != "open", -i.answered))
    return open_first[0].id if open_first else None


def _debrief_data(c):
    pseudonym = {lr.key: lr.pseudonym for lr in c.learners}
    texts = {}
    for i in c.items:
        if i.marked or i.spread:
            continue
        texts[i.id] = [[pseudonym[key], openmarks.shown_text(a[i.id].answer)[:TEXT_CHARS]]
                       for key, a in c.answers.items() if i.id in a]
    lessons = []
    for lesson, title, top in c.lessons:
        got = [s[lesson][0] for s in c.scores.values() if s.get(lesson)]
        lessons.append({"lesson": lesson, "title": title, "handed_in": len(got),
                        "median": statistics.median(got) if got else None,
                        "lowest": min(got) if got else None, "highest": max(got) if got else None,
                        "max_points": top})
    s = c.settlements
    return {
        "format": FORMAT, "version": 1, "made": c.made, "course": export.TITLE,
        "counts": _counts(c), "lessons": lessons,
        "items": [{"id": i.id, "lesson": i.lesson, "kind": i.kind, "prompt": i.prompt,
                   "points": i.points, "answered": i.answered, "right": i.right,
                   "share_right": i.share_right, "spread": i.spread, "wrong": i.wrong,
                   "wrong_count": i.wrong_count, "wrong_feedback": i.wrong_feedback}
                  for i in c.items],
        "texts": texts,
        "settlements": {"designs": len(s.designs), "islands": s.islands, "dates": s.dates,
                        "outcomes": s.outcomes},
    }


# ---------------------------------------------------------------- the report


def _n(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def report(c):
    """The report as lines of text (report.txt and the terminal)."""
    answers = sum(len(a) for a in c.answers.values())
    lines = [f"collect, {c.made}: {_n(c.seen, 'file')} in {c.folder}",
             f"Collected {_n(len(c.handins), 'hand-in')} from {_n(len(c.learners), 'learner')}; "
             f"{_n(answers, 'answer')} marked again against your banks."]
    lines += c.notes
    if c.rejected:
        lines += ["", f"Not collected ({len(c.rejected)} file{'s' if len(c.rejected) != 1 else ''}"
                  "; the rest were):"]
        lines += [f"  {name}: {reason}" for name, reason in c.rejected]
    if c.duplicates:
        lines += ["", f"Duplicates, read once ({len(c.duplicates)}):"]
        lines += [f"  {name}: the same file as {first}" for name, first in c.duplicates]
    if c.skipped:
        lines += ["", "Skipped folders:"] + [f"  {n}: {why}" for n, why in c.skipped]
    clashes = [lr for lr in c.learners if lr.clash]
    if clashes:
        lines += ["", "One name, different learners (hand-ins from different computer accounts; "
                  "kept apart, numbered in order of hand-in):"]
        lines += [f"  {lr.name}: {', '.join(h.name for h in lr.handins)}" for lr in clashes]
        lines.append("  If two of these are one person on two computers, add their rows up; "
                     "ask learners to use their full name.")
    unnamed = [lr for lr in c.learners if lr.unnamed]
    if unnamed:
        lines += ["", f"Hand-ins without a name ({len(unnamed)}; the learner never typed one): "
                  "each is kept as its own row, files from one computer account together. Ask "
                  "who they are, or have the learner type a name and download again:"]
        lines += [f"  {lr.name}: {', '.join(h.name for h in lr.handins)}" for lr in unnamed]
    several = [lr for lr in c.learners if len(lr.handins) > 1]
    if several:
        lines += ["", f"Learners with several hand-ins ({len(several)}): the latest answer to "
                  "each question counts."]
        for lr in several:
            again = (f"; {lr.replaced} answer{'s' if lr.replaced != 1 else ''} replaced by a "
                     "later one" if lr.replaced else "")
            lines.append(f"  {lr.name}: {len(lr.handins)} files{again}")
    if c.settlements.problems:
        lines += ["", "Settlement designs that could not be read:"]
        names = {lr.key: lr.name for lr in c.learners}
        lines += [f"  {names[k]} ({file}): {why}" for k, file, why in c.settlements.problems]
    lines += _marks_lines(c)
    lines += _roster_lines(c)
    return lines


def _marks_lines(c):
    pending = sum(1 for _, _, a in c.waiting if a.points is None)
    lines = ["", f"Open answers: {len(c.waiting)} to mark, {len(c.waiting) - pending} marked."]
    if pending:
        lines.append("  Fill in the 'mark' column of open_marks.csv and collect again with "
                     "--marks open_marks.csv; until then they count 0 in the grade files.")
    changed = len(c.earlier)
    if changed:
        lines.append(f"  {changed} answer{'s' if changed != 1 else ''} changed since you marked "
                     "them: the earlier mark is shown beside the new answer (earlier_mark).")
    lines += [f"  {p}" for p in c.problems]
    return lines


def _roster_lines(c):
    lines = [""]
    if not c.roster or not c.roster.kind:
        lines.append("No roster given: canvas_grades.csv names learners as they typed their "
                     "names (Canvas matches them by name); moodle_grades.csv holds only learners "
                     "who typed an email address. Give your LMS's gradebook export with --roster "
                     "to fill in the ids.")
        lines += [f"  {p}" for p in (c.roster.problems if c.roster else [])]
        return lines
    lines.append(f"Roster ({c.roster.kind}): {len(c.roster.people)} people.")
    notes = [(lr.name, c.matches[lr.key][1]) for lr in c.learners if c.matches[lr.key][1]]
    lines += [f"  {name}: {note}" for name, note in notes]
    matched = {id(p) for p, _ in c.matches.values() if p}
    missing = [p["name"] for p in c.roster.people if id(p) not in matched]
    if missing:
        lines.append(f"  No hand-in from {len(missing)} in the roster: {', '.join(missing[:30])}"
                     + (" ..." if len(missing) > 30 else ""))
    if c.moodle_left_out:
        lines.append("  Left out of moodle_grades.csv (no email or ID number): "
                     + ", ".join(c.moodle_left_out))
    return lines


# ---------------------------------------------------------------- the command


GITIGNORE = (b"# Written by python -m helpers.instructor collect: this folder holds learners' names\n"
             b"# and answers, so git leaves all of it out (delete this file only on purpose).\n*\n")


def _known_pseudonyms(out):
    path = Path(out) / KEY_FILE
    if not (Path(out) / _output.MARKER).exists() or not path.exists():
        return {}
    rows, problems = tables.read(path, KEY_FILE, ("pseudonym", "learner_key"))
    return {} if problems else {r["learner_key"]: r["pseudonym"] for r in rows
                                if r["learner_key"] and r["pseudonym"]}


def _helpers_link(out):
    """Where the output folder's ``helpers`` link points: the course's own helpers package
    (a relative link when the folder is inside the course, so the two move together)."""
    target = Path(__file__).resolve().parent.parent
    out = Path(out).resolve()
    if not out.is_relative_to(target.parent):
        return str(target)
    return os.path.relpath(target, out)


def run(handins, out, marks=None, roster=None, log=print):
    """Collect and write ``out``; return (Collection or None, exit code: 0 all collected, 1 some
    files or marks not used, or nothing written)."""
    out = Path(out)
    replaceable = set()
    if marks and Path(marks).resolve().parent == out.resolve():
        replaceable.add(Path(marks).name)  # read now, carried over as marks_used.csv
    found = _output.problems(out, TOOL, replaceable)
    if found:
        log(f"Nothing written: {found[0]}")
        return None, 1
    try:
        c = collect(handins, marks, roster, _known_pseudonyms(out))
    except CollectError as exc:
        log(f"Nothing written: {exc}")
        return None, 1
    if not c.handins:
        for line in report(c):
            log(line)
        log(f"Nothing written: no hand-in in {handins} could be collected.")
        return c, 1
    files = outputs(c)
    files[".gitignore"] = GITIGNORE  # learners' names never go into a repository by accident
    if marks:
        files["marks_used.csv"] = Path(marks).read_bytes()
    _output.write_folder(out, files, TOOL, links={"helpers": _helpers_link(out)},
                         replaceable=replaceable)
    for line in report(c):
        log(line)
    log("")
    log(f"Wrote {out}: report.txt, gradebook.csv, canvas_grades.csv, moodle_grades.csv, "
        "open_marks.csv, answers.csv, items.csv, settlements.csv, conditions.csv, "
        "pseudonyms.csv (keep to yourself), debrief.ipynb.")
    return c, 1 if c.rejected or c.problems or c.roster.problems else 0
