"""Marking again: every answer against the instructor's own banks, with the course's markers.

The learner's files say nothing about right or wrong that is trusted: each answer is marked by
``helpers._quiz.kinds.mark`` against the exercise as the instructor's banks define it (also in a
``feedback: none`` course, whose answers learners never saw). Written answers with points (kinds
that are not marked automatically) wait for the instructor's mark.
"""

from dataclasses import dataclass, field

from ..._quiz.kinds import KINDS, is_complete, mark

MARKED, TO_MARK, NOT_GRADED, HIDDEN, NOT_IN_COURSE = (
    "marked", "to mark", "not graded", "hidden", "not in the banks")
_SHAPE_ERRORS = (TypeError, AttributeError, ValueError, KeyError)


@dataclass
class Answer:
    """One learner's latest answer to one question, marked again."""

    item: str
    lesson: object
    kind: str
    answer: object
    time: str
    file: str
    prompt: object = None
    status: str = NOT_IN_COURSE
    correct: object = None  # True / False for marked kinds, else None
    points: object = None  # points given (None: not graded, or waiting for the instructor)
    max_points: float = 0.0
    messages: list = field(default_factory=list)  # the course's feedback for this answer
    note: str = ""  # why an answer could not be marked as it stands


def answers_removed(registry):
    """True when the banks have no answers (a student release): nothing can be marked."""
    return any(ex.get("answers_removed") for ex in registry.exercises.values())


def remark(entry, file, registry, hidden):
    """An :class:`Answer` for one journal ``entry`` from hand-in ``file``."""
    ex = registry.exercises.get(entry["item"])
    out = Answer(item=entry["item"], lesson=entry.get("lesson"), kind=str(entry.get("kind") or ""),
                 answer=entry.get("answer"), time=entry["time"], file=file,
                 prompt=entry.get("prompt"))
    if ex is None or ex.get("kind") not in KINDS:
        return out
    out.lesson, out.kind, out.prompt = ex["lesson"], ex["kind"], ex.get("prompt")
    if ex["id"] in hidden:
        out.status = HIDDEN
        return out
    kind = KINDS[ex["kind"]]
    out.max_points = float(ex["points"])
    if kind.marked:
        out.status = MARKED
        out.correct, out.points, out.messages, out.note = _marked(ex, out.answer)
        return out
    try:
        out.messages = [m for m in mark(ex, out.answer).messages if m]
    except _SHAPE_ERRORS:
        out.messages = []
    out.status = TO_MARK if ex["points"] else NOT_GRADED
    return out


def _marked(ex, answer):
    """(correct, points, messages, note) for a marked kind; a malformed answer is not right."""
    try:
        if not is_complete(ex, answer):
            return False, 0.0, [], "not every part was answered"
        result = mark(ex, answer)
    except _SHAPE_ERRORS:
        return False, 0.0, [], "the answer is not in the form this question takes"
    return bool(result.correct), float(result.score), [m for m in result.messages if m], ""


def exercise_max(ex, hidden):
    """The points an exercise counts for in the gradebook (0 when hidden or never graded)."""
    if ex["id"] in hidden or ex.get("kind") not in KINDS:
        return 0.0
    return float(ex["points"])
