"""The instructor pack: an answer key per lesson, as Markdown and as HTML.

The HTML is made from the Markdown by ``helpers.text.markdown_html``, so any raw HTML in a
question or answer shows as text and never runs.
"""

from .._quiz.kinds import KINDS, solution_lines
from ..text import markdown_html, plain_html

__all__ = ["lesson_key", "index", "to_html"]

def _points(p):
    p = int(p) if float(p).is_integer() else p
    return f"{p} point" + ("" if p == 1 else "s")


def _exercise(n, ex, sources, hidden):
    lines = [f"## {n}. `{ex['id']}`: {KINDS[ex['kind']].title}, {_points(ex['points'])}"]
    if hidden:
        lines += ["", "*Hidden in this course (`hide_exercises` in the course file).*"]
    lines += ["", ex["prompt"].strip(), ""]
    if ex.get("choices"):
        lines.append("**Choices** (✓ marks a correct one):" if KINDS[ex["kind"]].marked else
                     "**Choices:**")
        lines.append("")
        for c in ex["choices"]:
            mark = "✓ " if c["correct"] else ""
            feedback = f" (feedback: {c['feedback'].strip()})" if c["feedback"] else ""
            # continuation lines indented so that they stay inside the list item
            lines.append(f"- {mark}{c['text']}{feedback}".replace("\n", "\n  "))
        lines.append("")
    solution = solution_lines(ex)
    if solution:
        lines += solution + [""]
    for fld, name in (("feedback_correct", "Feedback when right"),
                      ("feedback_wrong", "Feedback when wrong")):
        if ex.get(fld):
            lines += [f"**{name}:** {ex[fld].strip()}", ""]
    if ex.get("keywords"):
        lines += ["**Keywords** (learners are asked about missing ones): "
                  + ", ".join(ex["keywords"]), ""]
    if ex["hints"]:
        lines += ["**Hints:**", ""] + [f"{i}. {h}" for i, h in enumerate(ex["hints"], 1)] + [""]
    if ex["instructor_note"]:
        lines += ["**Instructor note:** " + ex["instructor_note"].strip(), ""]
    cited = [f"`{s}` ({sources[s]})" if s in sources else f"`{s}`" for s in ex["sources"]]
    lines += ["**Sources:** " + "; ".join(cited), ""]
    return lines


def lesson_key(lesson, title, exercises, settings, sources):
    """Markdown answer key for one lesson; ``exercises``: normalised dicts in bank order."""
    shown = [e for e in exercises if e["id"] not in settings["hide_exercises"]]
    heading = f"Answer key: {title}" if title else f"Answer key: {lesson}"
    lines = [f"# {heading}", "", f"Lesson `{lesson}`. Feedback mode: `{settings['feedback']}`; "
             f"attempts: {settings['attempts'] or 'unlimited'}. Total: "
             f"{_points(sum(e['points'] for e in shown))}.", ""]
    for n, ex in enumerate(exercises, 1):
        lines += _exercise(n, ex, sources, ex["id"] in settings["hide_exercises"])
    return "\n".join(lines).rstrip() + "\n"


def index(lessons):
    """Markdown list of the lesson keys; ``lessons``: (lesson id, title, number of exercises)."""
    lines = ["# Instructor pack", "", "Answer keys with correct answers, model answers and "
             "rubrics. Keep this folder away from students.", ""]
    for lesson, title, count in lessons:
        name = f"{lesson}: {title}" if title else lesson
        lines.append(f"- [{name}]({lesson}.html) ({count} exercise{'' if count == 1 else 's'}; "
                     f"[Markdown]({lesson}.md))")
    return "\n".join(lines) + "\n"


def to_html(markdown_text, title):
    """A standalone HTML page for ``markdown_text`` (raw HTML inside it is escaped)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{plain_html(title)}</title>\n"
        "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.5;"
        "padding:0 1em}h2{border-top:1px solid #ccc;padding-top:.6em}code{background:#f4f4f4}"
        "</style>\n</head>\n<body>\n" + markdown_html(markdown_text) + "</body>\n</html>\n")
