"""Mark one answer to one exercise (a normalised dict from ``_exercises``): pure, no widgets.

Answers are plain Python values, the same ones the journal stores:

| kind | answer |
|---|---|
| single, opinion with choices | the chosen choice's text |
| multiple | list of chosen choice texts |
| numeric | a number |
| ordering | list of item texts, first to last |
| matching | dict ``{left: right}`` |
| short, long, opinion without choices | text |
"""

from dataclasses import dataclass, field

__all__ = ["Mark", "mark", "is_complete", "solution_lines"]


@dataclass
class Mark:
    """``correct`` is True, False, or None for kinds that are not marked right or wrong."""

    correct: object
    messages: list = field(default_factory=list)
    score: float = 0.0


def is_complete(ex, answer):
    """Has the learner answered every part (so that checking makes sense)?"""
    kind = ex["kind"]
    if answer is None:
        return False
    if kind in ("short", "long") or (kind == "opinion" and not ex["choices"]):
        return bool(str(answer).strip())
    if kind == "multiple":
        return len(answer) > 0
    if kind == "ordering":
        return len(answer) == len(ex["items"]) and None not in answer and len(set(answer)) == len(
            answer)
    if kind == "matching":
        return len(answer) == len(ex["lefts"]) and None not in answer.values()
    return True


def mark(ex, answer):
    """Mark ``answer``; messages are Markdown from the exercise (feedback, keyword hints)."""
    kind = ex["kind"]
    if kind == "opinion":
        chosen = [c for c in ex["choices"] if c["text"] == answer]
        return Mark(None, [c["feedback"] for c in chosen if c["feedback"]])
    if kind in ("short", "long"):
        text = str(answer).casefold()
        missing = [k for k in ex["keywords"] if k.casefold() not in text]
        messages = []
        if missing:
            messages.append("Compare your answer with the model answer. Did you consider: "
                            + ", ".join(missing) + "?")
        return Mark(None, messages)
    if ex.get("answers_removed"):
        return Mark(None, [])
    messages = []
    if kind == "single":
        choice = next((c for c in ex["choices"] if c["text"] == answer), None)
        correct = bool(choice and choice["correct"])
        if choice and choice["feedback"]:
            messages.append(choice["feedback"])
    elif kind == "multiple":
        picked = set(answer)
        right = {c["text"] for c in ex["choices"] if c["correct"]}
        correct = picked == right
        messages += [c["feedback"] for c in ex["choices"] if c["text"] in picked and c["feedback"]]
        if not correct and picked & right:
            messages.append("Some of your choices are right, but not all of them, or some "
                            "right ones are missing.")
    elif kind == "numeric":
        try:
            correct = abs(float(answer) - ex["answer"]) <= ex["tolerance"]
        except (TypeError, ValueError):
            correct = False
    elif kind == "ordering":
        given = list(answer)
        correct = given == ex["order"]
        if not correct:
            placed = sum(a == b for a, b in zip(given, ex["order"], strict=False))
            messages.append(f"{placed} of {len(ex['order'])} are in the right place.")
    elif kind == "matching":
        right = sum(answer.get(left) == r for left, r in ex["pairs"].items())
        correct = right == len(ex["pairs"])
        if not correct:
            messages.append(f"{right} of {len(ex['pairs'])} pairs are right.")
    else:  # pragma: no cover - kinds are checked when the bank loads
        raise ValueError(f"unknown kind {kind!r}")
    verdict = ex.get("feedback_correct" if correct else "feedback_wrong")
    if verdict:
        messages.insert(0, verdict)
    return Mark(correct, messages, ex["points"] if correct else 0.0)


def solution_lines(ex):
    """The correct answer as Markdown lines (for the reveal and for the answer key)."""
    kind = ex["kind"]
    if ex.get("answers_removed"):
        return []
    if kind in ("single", "multiple"):
        right = [c["text"] for c in ex["choices"] if c["correct"]]
        return ["**Answer:** " + right[0]] if kind == "single" else (
            ["**Answers:**"] + [f"- {t}" for t in right])
    if kind == "numeric":
        unit = f" {ex['unit']}" if ex["unit"] else ""
        tol = f" (± {_num(ex['tolerance'])})" if ex["tolerance"] else ""
        return [f"**Answer:** {_num(ex['answer'])}{unit}{tol}"]
    if kind == "ordering":
        return ["**Correct order:**"] + [f"{i}. {t}" for i, t in enumerate(ex["order"], 1)]
    if kind == "matching":
        return ["**Pairs:**"] + [f"- {left} → {right}" for left, right in ex["pairs"].items()]
    if kind in ("short", "long"):
        lines = []
        if ex["model_answer"]:
            lines += ["**Model answer:**", "", ex["model_answer"].strip()]
        if ex["rubric"]:
            lines += ["", "**What a good answer does:**"] + [f"- {r}" for r in ex["rubric"]]
        return lines
    return []


def _num(x):
    return str(int(x)) if float(x).is_integer() else str(x)
