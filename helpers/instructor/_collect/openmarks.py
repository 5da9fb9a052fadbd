"""Written answers the instructor marks: listed in open_marks.csv, read back with ``--marks``.

Each row is one learner's latest answer to one question worth points that the course does not
mark itself (kinds ``short`` and ``long``). ``answer_id`` ties a mark to that exact answer: when
the learner hands in a changed answer, the old mark no longer applies (the new list shows it as
``earlier_mark`` beside the new answer, to mark again).
"""

import hashlib
import json

from ..._cite.mix import compute
from ..._quiz import bank
from ...errors import Problem
from . import tables
from .items import shown
from .marking import TO_MARK

HEADER = ("answer_id", "learner", "lesson", "question", "max_points", "mark", "comment",
          "earlier_mark", "answer", "citations", "course_hint", "file")
REQUIRED = ("answer_id", "mark")


def answer_id(learner_key, item, answer):
    text = json.dumps([learner_key, item, answer], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]


def to_mark(learners, answers):
    """[(answer_id, learner, Answer)] of every answer waiting for a mark, in learner order."""
    out = []
    for lr in learners:
        for a in answers[lr.key].values():
            if a.status == TO_MARK:
                out.append((answer_id(lr.key, a.item, a.answer), lr, a))
    return out


def read_marks(path, label, waiting):
    """({answer_id: (mark or None, comment)}, {(learner key, question): earlier mark}, problems)
    from a filled open_marks.csv; ``waiting`` is :func:`to_mark`'s list."""
    rows, problems = tables.read(path, label, REQUIRED)
    by_id = {aid: (lr, a) for aid, lr, a in waiting}
    by_pair = {(lr.key, a.item): aid for aid, lr, a in waiting}
    keys = {lr.name.casefold(): lr.key for _, lr, _ in waiting}
    marks, earlier, seen = {}, {}, {}
    for row in rows:
        where, aid = f"row {row['_row']}", row.get("answer_id", "").lstrip("'")
        try:
            mark = tables.as_mark(row.get("mark", ""))
        except ValueError:
            problems.append(Problem(label, where, "mark", (
                f"'{row.get('mark')}' is not a number: write the points given, e.g. 2 or 1.5, "
                "or leave it blank to mark later")))
            continue
        if aid in seen:
            problems.append(Problem(label, where, "answer_id", (
                f"'{aid}' is marked twice (also in row {seen[aid]}): the first mark is used")))
            continue
        seen[aid] = row["_row"]
        if aid not in by_id:
            pair = (keys.get(row.get("learner", "").casefold()), row.get("question", ""))
            if pair in by_pair and mark is not None:
                earlier[pair] = mark  # the learner changed the answer since it was marked
            elif mark is not None:
                problems.append(Problem(label, where, "answer_id", (
                    f"'{aid}' is no answer of this collection (a learner's answer changed, or "
                    "the row is from another class): the mark was not used")))
            continue
        _, answer = by_id[aid]
        if mark is not None and not 0 <= mark <= answer.max_points:
            problems.append(Problem(label, where, "mark", (
                f"{tables.number(mark)} is outside 0 to {tables.number(answer.max_points)}, the "
                f"points of {answer.item}: the mark was not used")))
            continue
        marks[aid] = (mark, row.get("comment", ""))
    return marks, earlier, problems


def apply(waiting, marks):
    """Give each waiting answer its mark (points stay None while unmarked)."""
    for aid, _, a in waiting:
        mark = marks.get(aid, (None, ""))[0]
        if mark is not None:
            a.points = mark


def write(waiting, marks, earlier):
    """open_marks.csv (with a byte-order mark, for Excel): marks given so far filled in."""
    rows = []
    for aid, lr, a in waiting:
        mark, comment = marks.get(aid, (None, ""))
        rows.append([aid, lr.name, a.lesson, a.item, a.max_points,
                     "" if mark is None else mark, comment,
                     tables.number(earlier.get((lr.key, a.item))), shown_text(a.answer),
                     citation_facts(a), " ".join(a.messages), a.file])
    return tables.write(HEADER, rows, bom=True)


def citation_facts(a):
    """What the answer's [@id] citations add up to, as the learner saw it under the answer: the
    facts (sources, vantage groups, era, wording), never a grade; empty when it cites nothing."""
    if not isinstance(a.answer, str) or "[@" not in a.answer:
        return ""
    ex = bank.find(a.item) or {}
    return " ".join(compute(a.answer, ex.get("citations")).sentences())


def shown_text(answer):
    """A written answer as the learner wrote it (line breaks kept); other values in one line."""
    return answer if isinstance(answer, str) else shown(answer)
