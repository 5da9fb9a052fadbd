"""A synthetic class of hand-ins, made with the course's own journal and export code.

Used by ``tests/test_collect.py`` (what collect must find) and the ``collect`` benchmark section.
Each learner answers the course's real questions (right or wrong at random, harder questions more
often wrong); the answers are saved in a real journal (``helpers._journal``: a few learners through
the quiz widgets, the rest through the journal's store) and downloaded with the real export, as one
file for the whole course, one per lesson, Markdown, or several files with answers changed in
between. Then the class's usual accidents are added, each a file with a known reason: cut short,
edited, a duplicate, an old download without data, another course's, a newer format, 50 MB, a
photo, and two different learners of the same name. :func:`make_class` returns what collect
should find (:class:`Truth`), computed here from what was generated, not by collect's code.
"""

import json
import os
import random
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from helpers import course, settlement
from helpers._journal import book, export, store
from helpers._quiz import bank
from helpers._quiz.kinds import KINDS, mark

DESIGN_ITEM, DESIGN_LESSON = "l5-design", "05_design_a_settlement"
FIRST = ["Aiko", "Boris", "Chen", "Dana", "Emil", "Fatima", "Goro", "Hana", "Igor", "Jun", "Kira",
         "Lena", "Mei", "Nikolai", "Olga", "Pavel", "Rin", "Sasha", "Taro", "Yuki"]
LAST = ["Abe", "Belova", "Chiba", "Dmitrieva", "Endo", "Fujita", "Gromov", "Hayashi", "Ivanova",
        "Kato", "Lebedev", "Mori", "Nakamura", "Orlova", "Petrov", "Saito", "Tanaka", "Volkova"]
ODD_TEXT = ["<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "```fence``` and ~~~",
            "Южные Курилы / 北方領土", "line one\nline two\r\nline three", "@SUM(A1:A9)"]
TWINS = "Alex Kim"  # two different learners hand in under this name


@dataclass
class Truth:
    """What collect must find in the generated folder."""

    learners: dict = field(default_factory=dict)  # name shown -> {item: (answer, correct)}
    accounts: dict = field(default_factory=dict)  # name -> account code
    bad: dict = field(default_factory=dict)  # file name -> words its reason must contain
    duplicates: dict = field(default_factory=dict)  # file name -> the file it repeats
    several: set = field(default_factory=set)  # learners with more than one file
    widget_learners: set = field(default_factory=set)  # answered through the quiz widgets
    twins: str = TWINS
    designs: dict = field(default_factory=dict)  # name -> (design, date)
    files: int = 0


# ---------------------------------------------------------------- answers


def _answer(ex, rng, right):
    """An answer of the form ``ex``'s kind takes, right (for marked kinds) or not."""
    kind = ex["kind"]
    if kind == "single":
        texts = [c["text"] for c in ex["choices"]]
        good = [c["text"] for c in ex["choices"] if c["correct"]]
        return good[0] if right else rng.choice([t for t in texts if t not in good])
    if kind == "multiple":
        good = [c["text"] for c in ex["choices"] if c["correct"]]
        if right:
            return good
        wrong = good[: max(0, len(good) - 1)]
        others = [c["text"] for c in ex["choices"] if not c["correct"]]
        if others and rng.random() < 0.7:
            wrong = [*wrong, rng.choice(others)]
        return wrong or [rng.choice(others)]
    if kind == "numeric":
        if right:
            return ex["answer"]
        return ex["answer"] + ex["tolerance"] + rng.choice([1, 2, 5, 10, 100])
    if kind == "ordering":
        order = list(ex["order"])
        if right:
            return order
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
        return order
    if kind == "matching":
        pairs = dict(ex["pairs"])
        if right:
            return pairs
        lefts = list(pairs)
        a, b = rng.sample(lefts, 2)
        pairs[a], pairs[b] = pairs[b], pairs[a]
        return pairs
    if kind == "opinion" and ex["choices"]:
        return rng.choice(ex["choices"])["text"]
    text = rng.choice(["The record shows", "Both governments", "I think", "Tokyo argues",
                       "Moscow argues"]) + f" answer {rng.randrange(10**6)}."
    return text + (" " + rng.choice(ODD_TEXT) if rng.random() < 0.1 else "")


def _design(rng):
    islands = {}
    for island in settlement.ISLANDS:
        side = rng.choices(["japan", "russia", "shared", "deferred"], [4, 4, 1, 1])[0]
        timing = rng.choice(["on_signing", "peace_treaty", "transition"])
        choice = {"sovereignty": side, "timing": timing}
        if timing == "transition":
            choice["transition_years"] = rng.choice([5, 10, 20])
        islands[island] = choice
    return settlement.design(islands, peace_treaty=rng.choice(["now", "later", "none"]),
                             residents=rng.choice(["stay", "not_addressed"]))


# ---------------------------------------------------------------- the journal


@contextmanager
def _kernel(journals, account):
    """A fresh kernel's journal state on computer account ``account`` (its own journal folder in
    ``journals``, as on its own computer)."""
    saved_env = {k: os.environ.get(k) for k in ("KURIL_JOURNAL_DIR", "JUPYTERHUB_USER")}
    saved_state = (dict(book._state), dict(book._session), dict(book._pending))
    os.environ["KURIL_JOURNAL_DIR"] = str(Path(journals) / account)
    os.environ["JUPYTERHUB_USER"] = account
    book._state.update(learner=None, lesson=None, last_time="", save_error=None)
    book._session.clear()
    book._pending.clear()
    try:
        yield
    finally:
        for k, v in saved_env.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        book._state.clear()
        book._state.update(saved_state[0])
        book._session.clear()
        book._session.update(saved_state[1])
        book._pending.clear()
        book._pending.update(saved_state[2])


def _entry(lesson, item, answer, kind, correct, prompt, when):
    value, note = book._clean(answer)
    entry = {"lesson": lesson, "item": item, "answer": value, "kind": kind,
             "correct": correct, "prompt": prompt, "time": when.isoformat()}
    if note:
        entry["note"] = note
    return entry


def _save(entries):
    """Into the current learner's journal file, as the journal's own saving does (one merge)."""
    store.update(book.journal_path(), entries, learner=book.learner())


def _by_widget(ex, answer):
    """Answer through the quiz widget, which marks and saves as in a lesson; returns correct."""
    from helpers import quiz

    widget = quiz.show(ex["id"])
    widget.answer(answer)
    result = widget.check()
    return None if result is None else result.correct


# ---------------------------------------------------------------- one learner


@dataclass
class _Plan:
    name: str
    account: str
    style: str  # course-html | lessons-html | course-md | lessons-then-course
    ability: float
    widgets: bool = False
    lessons: list = field(default_factory=list)
    label: str = ""  # the name collect shows, when it differs from the name typed


def _learner(plan, reg, exercises, folder, journals, rng, start, truth):
    final = {}
    with _kernel(journals, plan.account):
        book.set_learner(plan.name)
        entries, moment = [], start
        for ex in exercises:
            if ex["lesson"] not in plan.lessons or rng.random() < 0.05:
                continue  # a question left out
            marked = KINDS[ex["kind"]].marked
            difficulty = zlib.crc32(ex["id"].encode()) % 3 / 3
            right = rng.random() < plan.ability - 0.3 * difficulty
            answer = _answer(ex, rng, right)
            moment += timedelta(seconds=rng.randrange(5, 90))
            if plan.widgets and marked:
                correct = _by_widget(ex, answer)
                final[ex["id"]] = (book.get(ex["id"])["answer"], correct)
                continue
            correct = mark(ex, answer).correct if marked else None
            entries.append(_entry(ex["lesson"], ex["id"], answer, ex["kind"], correct,
                                  ex["prompt"], moment))
            final[ex["id"]] = (entries[-1]["answer"], correct)
        if DESIGN_LESSON in plan.lessons:
            design, date = _design(rng), rng.choice(settlement.CHECK_DATES)
            moment += timedelta(minutes=5)
            entries.append(_entry(DESIGN_LESSON, DESIGN_ITEM, {"design": design, "date": date},
                                  "design", None, "My settlement design", moment))
            truth.designs[plan.label or plan.name] = (design, date)
        _save(entries)
        files = _export(plan, folder, rng, reg, exercises, final, moment)
        truth.accounts[plan.label or plan.name] = export.account()
    truth.learners[plan.label or plan.name] = final
    if plan.widgets:
        truth.widget_learners.add(plan.name)
    if len(files) > 1:
        truth.several.add(plan.label or plan.name)
    return files


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _export(plan, folder, rng, reg, exercises, final, moment):
    slug = store.slug(plan.name)
    tag = plan.account[-4:]
    files = []
    if plan.style in ("lessons-html", "lessons-then-course"):
        for lesson in plan.lessons:
            files.append(_write(folder, f"{slug}-{tag}-{lesson}.html", book.export_html(lesson)))
    if plan.style == "lessons-then-course":  # answers changed later, then the whole course
        changed = [ex for ex in exercises if ex["id"] in final and KINDS[ex["kind"]].marked]
        later = []
        for ex in rng.sample(changed, min(3, len(changed))):
            answer = _answer(ex, rng, rng.random() < 0.5)
            moment += timedelta(minutes=1)
            correct = mark(ex, answer).correct
            later.append(_entry(ex["lesson"], ex["id"], answer, ex["kind"], correct, ex["prompt"],
                                moment))
            final[ex["id"]] = (later[-1]["answer"], correct)
        _save(later)
    if plan.style in ("course-html", "lessons-then-course"):
        files.append(_write(folder, f"{slug}-{tag}-course.html", book.export_html()))
    if plan.style == "course-md":
        files.append(_write(folder, f"{slug}-{tag}-course.md", book.export_markdown()))
    return files


# ---------------------------------------------------------------- the class


STYLES = ["course-html"] * 4 + ["lessons-html"] * 3 + ["course-md"] * 2 + ["lessons-then-course"]


def _plans(n, rng, lessons, styles=STYLES, everything=False):
    plans = []
    for i in range(n):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
        if i // (len(FIRST) * len(LAST)):
            name += f" {i // (len(FIRST) * len(LAST)) + 1}"
        done = lessons if everything or rng.random() < 0.8 else \
            lessons[: rng.randrange(1, len(lessons) + 1)]
        plans.append(_Plan(name, f"user{i:04d}", rng.choice(styles), rng.uniform(0.35, 0.95),
                           lessons=list(done)))
    if everything:
        return plans
    for p in plans[:2]:
        p.widgets = True  # these two answer through the quiz widgets, as in a lesson
    # two learners of one name on two accounts: collect numbers them in order of hand-in
    plans.append(_Plan(TWINS, "twin-a", "course-html", 0.7, lessons=list(lessons),
                       label=f"{TWINS} (1)"))
    plans.append(_Plan(TWINS, "twin-b", "course-html", 0.5, lessons=list(lessons),
                       label=f"{TWINS} (2)"))
    return plans


def make_class(folder, journals, learners=300, seed=16, accidents=True, simple=False):
    """Write a class of ``learners`` (+ two namesakes) into ``folder``; return the Truth.
    ``simple``: each learner answers every lesson and hands in one HTML file for the whole
    course, nothing else (the benchmark's class: ``learners`` hand-ins of all lessons)."""
    rng = random.Random(seed)
    folder, journals = Path(folder), Path(journals)
    folder.mkdir(parents=True, exist_ok=True)
    reg, settings = bank.registry(), course.settings()
    hidden = set(settings["hide_exercises"])
    lessons = [lesson for lesson in settings["lessons"] if reg.lessons.get(lesson)]
    exercises = [reg.exercises[i] for lesson in lessons for i in reg.lessons[lesson]
                 if i not in hidden]
    truth = Truth()
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    written = []
    plans = _plans(learners, rng, lessons, ["course-html"] if simple else STYLES, simple)
    for n, plan in enumerate(plans):
        written += _learner(plan, reg, exercises, folder, journals, rng,
                            start + timedelta(hours=n), truth)
    if accidents and not simple:
        _accidents(folder, rng, written, truth)
    truth.files = sum(1 for p in folder.rglob("*") if p.is_file())
    return truth


def _rewrite(data):
    data["checksum"] = export.checksum(data)
    return export.data_json(data)


def _accidents(folder, rng, written, truth):
    """Bad files, each of a known kind (the good files they copy stay as they are)."""
    sources = [p for p in written if p.suffix == ".html"]
    picks = rng.sample(sources, 8)
    text = [p.read_text(encoding="utf-8") for p in picks]
    open_tag = f'id="{export.DATA_ID}">'

    def data_of(page):
        start = page.index(open_tag) + len(open_tag)
        return start, page.index("</script>", start)

    start, end = data_of(text[0])
    _write(folder, "cut-short.html", text[0][: (start + end) // 2])
    truth.bad["cut-short.html"] = "cut short"

    start, end = data_of(text[1])
    data = json.loads(text[1][start:end])
    marked = [e for e in data["entries"] if isinstance(e["answer"], str)]
    (marked or data["entries"])[0]["answer"] = "edited to look right"
    _write(folder, "edited-answer.html",
           text[1][:start] + export.data_json(data) + text[1][end:])
    truth.bad["edited-answer.html"] = "changed after it was downloaded"

    start, end = data_of(text[2])
    broken = text[2][start:end].replace('":', '"=', 1)
    _write(folder, "broken-json.html", text[2][:start] + broken + text[2][end:])
    truth.bad["broken-json.html"] = "not valid JSON"

    start, end = data_of(text[3])
    old = text[3][: start - len(f'<script type="application/json" {open_tag}')] + \
        text[3][end + len("</script>"):]
    _write(folder, "old-download.html", old.replace(export.MARKER, ""))
    truth.bad["old-download.html"] = "before hand-ins carried their answers"

    start, end = data_of(text[4])
    data = json.loads(text[4][start:end])
    data["course"] = {"id": "another-course", "title": "Another course"}
    _write(folder, "another-course.html", text[4][:start] + _rewrite(data) + text[4][end:])
    truth.bad["another-course.html"] = "another course"

    start, end = data_of(text[5])
    data = json.loads(text[5][start:end])
    data["version"] = export.VERSION + 1
    _write(folder, "newer-format.html", text[5][:start] + _rewrite(data) + text[5][end:])
    truth.bad["newer-format.html"] = "newer version"

    (folder / "huge.html").write_bytes(b"<!DOCTYPE html>" + b" " * (50 * 2**20))
    truth.bad["huge.html"] = "larger than any hand-in"
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    truth.bad["photo.jpg"] = "not a hand-in"
    _write(folder, "notes.txt", "Remember to hand in lesson 3.\n")
    truth.bad["notes.txt"] = "not a hand-in"

    for n, source in enumerate(picks[6:8]):
        copy = folder / "copies" / f"copy-{n}{source.suffix}"
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(source.read_bytes())
        truth.duplicates[f"copies/{copy.name}"] = source.name
