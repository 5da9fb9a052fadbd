"""The table of exercise kinds: everything one kind of question needs, in one entry.

An entry (:class:`Kind`) says which fields a bank may give the kind, how to check and normalise
them, which answer widget it shows, when an answer is complete, how it is marked, how its
solution reads (feedback and answer keys), what a student release leaves out, and the words
around it. ``bank`` (loading), ``widgets`` (the quiz), ``instructor`` (answer keys, releases)
read the table; none has an ``if kind ==`` of its own. Adding a kind is one :func:`register`
call plus its docs (``data/exercises/README.md``) and tests.

Answers are plain Python values, the ones the journal stores:

| kind | answer |
|---|---|
| single, opinion with choices | the chosen choice's text |
| multiple | list of chosen choice texts |
| numeric | a number |
| ordering | list of item texts, first to last |
| matching | dict ``{left: right}`` |
| short, long, opinion without choices, open | text |
"""

import math
from dataclasses import dataclass, field

from .._common.checker import as_number, as_text, near, shown, visible
from ..text import is_blank

__all__ = ["Kind", "Mark", "KINDS", "COMMON", "VERDICTS", "register", "kind", "mark",
           "is_complete", "solution_lines", "incomplete_message"]

COMMON = ("id", "kind", "prompt", "hints", "points", "sources", "tags", "instructor_note")
VERDICTS = ("feedback_correct", "feedback_wrong")
# Fields a student release without answers (course.yml ``feedback: none``) leaves out, any kind.
ANSWER_FIELDS = ("answer", "tolerance", "feedback_correct", "feedback_wrong", "model_answer",
                 "rubric", "keywords")


@dataclass
class Mark:
    """``correct`` is True, False, or None for kinds that are not marked right or wrong."""

    correct: object
    messages: list = field(default_factory=list)
    score: float = 0.0


def _nothing(*_):
    return None


def _no_lines(ex):
    return []


@dataclass(frozen=True)
class Kind:
    """One kind of exercise. ``marked`` kinds' ``mark`` returns (right?, messages); the others'
    returns messages (the answer is recorded, never judged)."""

    name: str
    title: str  # in answer keys, e.g. "single choice"
    fields: tuple  # fields beyond COMMON
    check: object  # (raw, ex, checker, removed): fill ``ex`` from the bank's ``raw`` entry
    widget: object  # ex -> an answer input (see ``inputs``)
    complete: object  # (ex, answer) -> has every part been answered?
    ask: object  # what an incomplete answer is told: text, or ex -> text
    mark: object  # (ex, answer) -> (correct, messages) if marked, else messages
    marked: bool = False
    solution: object = _no_lines  # ex -> Markdown lines (after answering, and in answer keys)
    strip: object = _nothing  # raw -> None: the entry as a release without answers writes it
    points: float = 1
    saved: str = ""  # what an unmarked answer is told once recorded ("" : the usual words)
    button: str = ""  # the main button in immediate mode ("": Check or Submit)
    sources_required: bool = True
    show: object = None  # (ex, settings) -> a widget of its own instead of the exercise widget
    in_lesson: bool = True  # shown by quiz.show_lesson (open questions are asked in place)


KINDS = {}


def register(entry):
    """Add (or replace) a kind; returns it."""
    KINDS[entry.name] = entry
    return entry


def kind(ex):
    return KINDS[ex["kind"]]


def is_complete(ex, answer):
    """Has the learner answered every part (so that checking makes sense)?"""
    return answer is not None and kind(ex).complete(ex, answer)


def incomplete_message(ex):
    ask = kind(ex).ask
    return ask(ex) if callable(ask) else ask


def mark(ex, answer):
    """Mark ``answer``; messages are Markdown from the exercise (feedback, keyword hints)."""
    k = kind(ex)
    if not k.marked:
        return Mark(None, list(k.mark(ex, answer)))
    if ex.get("answers_removed"):
        return Mark(None, [])
    correct, messages = k.mark(ex, answer)
    verdict = ex.get("feedback_correct" if correct else "feedback_wrong")
    return Mark(correct, ([verdict] if verdict else []) + messages,
                ex["points"] if correct else 0.0)


def solution_lines(ex):
    """The correct answer as Markdown lines (for the reveal and for the answer key)."""
    return [] if ex.get("answers_removed") else kind(ex).solution(ex)


def _input(name, **options):
    """An answer input class of ``inputs`` by name (imported on first use: it loads ipywidgets)."""

    def make(ex):
        from . import inputs

        return getattr(inputs, name)(ex, **options)

    return make


def _num(x):
    return str(int(x)) if float(x).is_integer() else str(x)


# ---------------------------------------------------------------- choices


def _check_choices(raw, ex, chk, removed):
    name = ex["kind"]
    value = raw.get("choices")
    if value is None and name == "opinion":
        ex["choices"] = []
        return
    if not isinstance(value, list) or len(value) < 2:
        chk.bad("choices", "needs a list of at least 2 choices, each '- text: ...'")
        ex["choices"] = []
        return
    keys = ("text", "feedback") if name == "opinion" else ("text", "correct", "feedback")
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
                       else f"unknown field{near(key, keys)}; allowed: {', '.join(keys)}")
                chk.bad(f"{fld}.{key}", msg)
        text = as_text(item.get("text"))
        if text is None or not visible(text):
            chk.bad(f"{fld}.text", "is required: the text of the choice (with visible "
                    "characters)")
            continue
        correct = item.get("correct", False)
        if not isinstance(correct, bool):
            chk.bad(f"{fld}.correct", f"'{correct}' is not allowed: use true or false")
            correct = False
        feedback = item.get("feedback")
        if feedback is not None and (as_text(feedback) is None or not visible(feedback)):
            chk.bad(f"{fld}.feedback", "must be text (Markdown) with visible characters, or "
                    "left out")
            feedback = None
        out.append({"text": text, "correct": correct and name != "opinion",
                    "feedback": as_text(feedback) if feedback is not None else None})
    texts = [c["text"] for c in out]
    for t in texts:
        if texts.count(t) > 1:
            chk.bad("choices", f"the choice '{t}' appears twice: choices must be different")
            break
    ex["choices"] = out
    right = sum(c["correct"] for c in out)
    if removed or name == "opinion" or len(out) != len(value):
        return
    if name == "single" and right != 1:
        chk.bad("choices", f"a single-choice question needs exactly one choice with "
                f"'correct: true' (found {right}); use kind 'multiple' for several")
    if name == "multiple" and right < 1:
        chk.bad("choices", "a multiple-choice question needs at least one 'correct: true'")


def _mark_single(ex, answer):
    choice = next((c for c in ex["choices"] if c["text"] == answer), None)
    return bool(choice and choice["correct"]), [choice["feedback"]] if choice and choice[
        "feedback"] else []


def _mark_multiple(ex, answer):
    picked = set(answer)
    right = {c["text"] for c in ex["choices"] if c["correct"]}
    messages = [c["feedback"] for c in ex["choices"] if c["text"] in picked and c["feedback"]]
    if picked != right and picked & right:
        messages.append("Some of your choices are right, but not all of them, or some right "
                        "ones are missing.")
    return picked == right, messages


def _right_choices(ex):
    right = [c["text"] for c in ex["choices"] if c["correct"]]
    if ex["kind"] == "single":
        return ["**Answer:** " + right[0]]
    return ["**Answers:**"] + [f"- {t}" for t in right]


def _choice_texts_only(raw):
    if isinstance(raw.get("choices"), list):
        raw["choices"] = [{"text": c.get("text")} if isinstance(c, dict) else {"text": c}
                          for c in raw["choices"]]


def _choice_texts_sorted(raw):
    """A marked question's choices in a release without answers: texts only, sorted, so their
    order says nothing about which is right (banks tend to list the right one first)."""
    _choice_texts_only(raw)
    if isinstance(raw.get("choices"), list):
        raw["choices"] = sorted(raw["choices"], key=lambda c: str(c["text"]).casefold())


def _opinion_widget(ex):
    return _input("Choice")(ex) if ex["choices"] else _input("Text")(ex)


def _opinion_mark(ex, answer):
    return [c["feedback"] for c in ex["choices"] if c["text"] == answer and c["feedback"]]


# ---------------------------------------------------------------- numbers, orders, pairs


LARGEST = 1e15  # beyond this a float no longer holds every whole number


def _check_numeric(raw, ex, chk, removed):
    answer = raw.get("answer")
    ex["answer"] = as_number(answer) if not isinstance(answer, str) else None
    if ex["answer"] is not None and abs(ex["answer"]) > LARGEST:
        ex["answer"] = None
    if ex["answer"] is None and not (removed and answer is None):
        chk.bad("answer", f"'{shown(answer)}' is not allowed: the correct answer as a number "
                f"between -{LARGEST:.0e} and {LARGEST:.0e}, e.g. 1855 or 3168.4")
    tol = raw.get("tolerance", 0)
    ex["tolerance"] = as_number(tol) if not isinstance(tol, str) else None
    # a tolerance as large as the answer itself marks nearly any number right
    most = max(abs(ex["answer"]), 1) if ex["answer"] is not None else float("inf")
    if ex["tolerance"] is None or not 0 <= ex["tolerance"] < most:
        allowed = (f"from 0 to less than {_num(most)} (the size of the answer)"
                   if most < float("inf") else "0 or more")
        chk.bad("tolerance", f"'{shown(tol)}' is not allowed: a number {allowed}, or leave it "
                "out for an exact answer")
        ex["tolerance"] = 0.0
    ex["unit"] = chk.text(raw, "unit", required=False, strip=False)


def _mark_numeric(ex, answer):
    try:
        right = abs(float(answer) - ex["answer"]) <= ex["tolerance"]
    except (TypeError, ValueError, OverflowError):
        return False, []
    return bool(right and math.isfinite(float(answer))), []


def _numeric_solution(ex):
    unit = f" {ex['unit']}" if ex["unit"] else ""
    tol = f" (± {_num(ex['tolerance'])})" if ex["tolerance"] else ""
    return [f"**Answer:** {_num(ex['answer'])}{unit}{tol}"]


def _sorted(texts):
    return sorted(texts, key=lambda t: str(t).casefold())


def _check_ordering(raw, ex, chk, removed):
    ex["items"] = chk.texts(raw, "items", min_len=2, distinct=True)
    ex["order"] = None if removed else list(ex["items"])


def _mark_ordering(ex, answer):
    given = list(answer)
    if given == ex["order"]:
        return True, []
    placed = sum(a == b for a, b in zip(given, ex["order"], strict=False))
    return False, [f"{placed} of {len(ex['order'])} are in the right place."]


def _strip_ordering(raw):
    if isinstance(raw.get("items"), list):
        raw["items"] = _sorted(raw["items"])


def _check_matching(raw, ex, chk, removed):
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
            left, right = as_text(item.get("left")), as_text(item.get("right"))
            if not left or not right or not visible(left) or not visible(right):
                chk.bad(fld, "needs both 'left' and 'right' as text (with visible characters)")
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


def _mark_matching(ex, answer):
    right = sum(answer.get(left) == r for left, r in ex["pairs"].items())
    if right == len(ex["pairs"]):
        return True, []
    return False, [f"{right} of {len(ex['pairs'])} pairs are right."]


def _strip_matching(raw):
    if isinstance(raw.get("pairs"), list):
        # both sides sorted: the order then says nothing about which right fits which left
        pairs = [p for p in raw.pop("pairs") if isinstance(p, dict)]
        raw["lefts"] = _sorted(p.get("left") for p in pairs)
        raw["rights"] = _sorted(p.get("right") for p in pairs)


# ---------------------------------------------------------------- written answers


def _check_citations(raw, ex, chk):
    """``citations:`` (written answers): what the citation mix reports against (``_cite.spec``)."""
    from .._cite import spec  # reads eras.csv: only for banks that set it

    ex["citations"] = spec.check(raw.get("citations"), chk)


def _cited(make):
    """An answer input with the citation picker and mix under its text box."""

    def build(ex):
        from .._cite.widgets import attach_to_input

        return attach_to_input(make(ex), ex)

    return build


def _citation_report(ex, answer):
    """The lines of the citation mix that answer the exercise's ``citations:`` requirement."""
    if not ex.get("citations"):
        return []
    from .._cite.mix import compute

    return [("Done: " if met else "Not yet: ") + text
            for met, text in compute(answer, ex["citations"]).requirements]


def _check_written(raw, ex, chk, removed):
    _check_citations(raw, ex, chk)
    ex["model_answer"] = chk.text(raw, "model_answer", required=not removed, default=None,
                                  strip=False)
    ex["rubric"] = chk.texts(raw, "rubric", min_len=0 if removed else 1)
    ex["keywords"] = chk.texts(raw, "keywords")


def _written(ex, answer):
    return not is_blank(answer)  # zero-width spaces alone are no answer


def _mark_written(ex, answer):
    text = str(answer).casefold()
    missing = [k for k in ex["keywords"] if k.casefold() not in text]
    if not missing:
        return _citation_report(ex, answer)
    return _citation_report(ex, answer) + [
        "Compare your answer with the model answer. Did you consider: "
        + ", ".join(missing) + "?"]


def _written_solution(ex):
    lines = []
    if ex["model_answer"]:
        lines += ["**Model answer:**", "", ex["model_answer"].strip()]
    if ex["rubric"]:
        lines += ["", "**What a good answer does:**"] + [f"- {r}" for r in ex["rubric"]]
    return lines


def _check_open(raw, ex, chk, removed):
    _check_citations(raw, ex, chk)
    value = raw.get("long", False)
    if not isinstance(value, bool):
        chk.bad("long", f"'{shown(value)}' is not allowed: use true or false")
        value = False
    ex["long"] = value


def _open_box(ex, settings):
    from .._cite.widgets import attach
    from .._journal.widgets import ResponseBox

    box = ResponseBox(ex["id"], ex["prompt"], ex["lesson"], ex["long"])
    return attach(box, box.text, ex, at=box.text)


# ---------------------------------------------------------------- the built-in kinds

CHOOSE = "Choose an answer first."
WRITE = "Write your answer first."

for _entry in (
    Kind("single", "single choice", ("choices", *VERDICTS), _check_choices, _input("Choice"),
         lambda ex, a: True, CHOOSE, _mark_single, marked=True, solution=_right_choices,
         strip=_choice_texts_sorted),
    Kind("multiple", "multiple choice", ("choices", *VERDICTS), _check_choices,
         _input("Multiple"), lambda ex, a: len(a) > 0, CHOOSE, _mark_multiple, marked=True,
         solution=_right_choices, strip=_choice_texts_sorted),
    Kind("numeric", "number", ("answer", "tolerance", "unit", *VERDICTS), _check_numeric,
         _input("Numeric"), lambda ex, a: True, "Type a number first.", _mark_numeric,
         marked=True, solution=_numeric_solution),
    Kind("ordering", "put in order", ("items", *VERDICTS), _check_ordering, _input("Ordering"),
         lambda ex, a: len(a) == len(ex["items"]) and None not in a and len(set(a)) == len(a),
         "Choose a different item for every position first.", _mark_ordering, marked=True,
         solution=lambda ex: ["**Correct order:**"] + [f"{i}. {t}" for i, t in
                                                        enumerate(ex["order"], 1)],
         strip=_strip_ordering),
    Kind("matching", "matching", ("pairs", "lefts", "rights", *VERDICTS), _check_matching,
         _input("Matching"),
         lambda ex, a: len(a) == len(ex["lefts"]) and None not in a.values(),
         "Choose a match for every item first.", _mark_matching, marked=True,
         solution=lambda ex: ["**Pairs:**"] + [f"- {left} → {right}" for left, right in
                                                ex["pairs"].items()],
         strip=_strip_matching),
    Kind("short", "short answer", ("model_answer", "rubric", "keywords", "citations"),
         _check_written, _input("Text", rows=3), _written, WRITE, _mark_written,
         solution=_written_solution),
    Kind("long", "long answer", ("model_answer", "rubric", "keywords", "citations"),
         _check_written, _cited(_input("Text", rows=8)), _written, WRITE, _mark_written,
         solution=_written_solution),
    Kind("opinion", "opinion (not marked)", ("choices",), _check_choices, _opinion_widget,
         lambda ex, a: not is_blank(a) if not ex["choices"] else True,
         lambda ex: CHOOSE if ex["choices"] else WRITE, _opinion_mark, points=0,
         saved="Saved. There is no right or wrong answer here.", button="Save",
         strip=_choice_texts_only),
    Kind("open", "open question (answered in the journal, not marked)", ("long", "citations"),
         _check_open,
         _input("Text", rows=4), _written, WRITE, _citation_report, points=0,
         sources_required=False, show=_open_box, in_lesson=False),
):
    register(_entry)

MARKED = tuple(k.name for k in KINDS.values() if k.marked)
