"""Item analysis: for each question, how many answered, the share right, how the answers were
spread, and the wrong answer given most often with the feedback the course gives for it.

Counts are of learners (each learner's latest answer), never of attempts. A choice question counts
every choice, including those nobody picked; other marked kinds count the answers given (the
most frequent first).
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from ... import names
from ..._quiz.kinds import KINDS, mark
from .marking import MARKED

TOP = 8  # answers listed for kinds without fixed choices
COLUMNS = ("lesson", "question", "kind", "answered", "right", "share_right",
           "most_common_wrong_answer", "learners_giving_it", "its_feedback", "spread", "prompt")


@dataclass
class Item:
    """What the class did with one question."""

    id: str
    lesson: str
    kind: str
    prompt: str
    points: float
    answered: int = 0
    right: object = None  # int for marked kinds
    share_right: object = None  # right / answered, None when nobody answered or not marked
    spread: list = field(default_factory=list)  # [(answer shown, learners, correct or None)]
    wrong: str = ""  # the most common wrong answer, as shown
    wrong_count: int = 0
    wrong_feedback: str = ""  # what the course tells a learner who gives it (Markdown)
    marked: bool = False

    def row(self):
        """The item as a flat dict (a row of items.csv)."""
        return {
            "lesson": self.lesson, "question": self.id, "kind": self.kind,
            "answered": self.answered, "right": "" if self.right is None else self.right,
            "share_right": "" if self.share_right is None else round(self.share_right, 3),
            "most_common_wrong_answer": self.wrong, "learners_giving_it": self.wrong_count or "",
            "its_feedback": " ".join(self.wrong_feedback.split()),
            "spread": "; ".join(f"{text}: {n}" for text, n, _ in self.spread),
            "prompt": " ".join(self.prompt.split()),
        }


def shown(answer):
    """An answer as one line of text, e.g. ``A; C`` or ``left → right; ...``."""
    if isinstance(answer, str):
        return " ".join(answer.split())
    if isinstance(answer, bool) or answer is None:
        return json.dumps(answer)
    if isinstance(answer, (int, float)):
        return f"{answer:g}"
    if isinstance(answer, list):
        return " → ".join(shown(a) for a in answer) if answer else "(nothing)"
    if isinstance(answer, dict):  # pairs in a fixed order, however the file ordered them
        return "; ".join(f"{shown(k)} → {shown(v)}" for k, v in
                         sorted(answer.items(), key=lambda kv: str(kv[0]).casefold()))
    return str(answer)


def _key(ex, answer):
    """Answers that are the same for this question share a key (a set for multiple choice)."""
    if ex["kind"] == "multiple" and isinstance(answer, list):
        return json.dumps(sorted(map(str, answer)))
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return json.dumps(float(answer))
    return json.dumps(answer, sort_keys=True, default=str)


def _shown_for(ex, answer):
    if ex["kind"] == "multiple" and isinstance(answer, list):
        order = {c["text"]: i for i, c in enumerate(ex.get("choices") or [])}
        return "; ".join(sorted(map(str, answer), key=lambda t: (order.get(t, 1e9), t))) or \
            "(nothing)"
    return shown(answer)


def analyse(exercises, answers_by_learner):
    """Items for ``exercises`` (normalised dicts, in course order); ``answers_by_learner``:
    {learner key: {question id: marking.Answer}}."""
    return [_item(ex, [a[ex["id"]] for a in answers_by_learner.values() if ex["id"] in a])
            for ex in exercises]


def _item(ex, given):
    kind = KINDS[ex["kind"]]
    item = Item(id=ex["id"], lesson=ex["lesson"], kind=ex["kind"], prompt=ex.get("prompt") or "",
                points=float(ex["points"]), answered=len(given),
                marked=kind.marked and not ex.get("answers_removed"))
    if item.marked:
        item.right = sum(1 for a in given if a.status == MARKED and a.correct)
        item.share_right = item.right / item.answered if item.answered else None
    if ex.get("choices"):
        item.spread = _choice_spread(ex, given, item.marked)
    elif item.marked:
        item.spread = _answer_spread(ex, given)
    if item.marked:
        _most_common_wrong(ex, given, item)
    return _named(item)


def _named(item):
    """Island names filled in everything shown (course texts write ``{island:<id>}``), in the
    course's naming; answers are grouped before this, on the texts as saved."""
    item.prompt, item.wrong = names.render(item.prompt), names.render(item.wrong)
    item.wrong_feedback = names.render(item.wrong_feedback)
    item.spread = [(names.render(text), n, right) for text, n, right in item.spread]
    return item


def _choice_spread(ex, given, marked):
    counts = Counter()
    for a in given:
        picked = a.answer if isinstance(a.answer, list) else [a.answer]
        for text in {str(p) for p in picked}:
            counts[text] += 1
    spread = [(c["text"], counts.pop(c["text"], 0), c["correct"] if marked else None)
              for c in ex["choices"]]
    for text, n in counts.most_common():  # answers that are no choice of this bank (edited?)
        spread.append((text, n, False if marked else None))
    return spread


def _answer_spread(ex, given):
    counts, example, right = Counter(), {}, {}
    for a in given:
        key = _key(ex, a.answer)
        counts[key] += 1
        example.setdefault(key, a.answer)
        right[key] = bool(a.correct)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    spread = [(_shown_for(ex, example[k]), n, right[k]) for k, n in ranked[:TOP]]
    rest = sum(n for _, n in ranked[TOP:])
    if rest:
        spread.append((f"({len(ranked) - TOP} other answers)", rest, None))
    return spread


def _most_common_wrong(ex, given, item):
    counts, example = Counter(), {}
    for a in given:
        if a.status == MARKED and not a.correct:
            key = _key(ex, a.answer)
            counts[key] += 1
            example.setdefault(key, a.answer)
    if not counts:
        return
    key, n = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    answer = example[key]
    item.wrong, item.wrong_count = _shown_for(ex, answer), n
    try:
        messages = [m.strip() for m in mark(ex, answer).messages if m and m.strip()]
    except (TypeError, AttributeError, ValueError, KeyError):
        messages = []
    item.wrong_feedback = "\n\n".join(dict.fromkeys(messages))
