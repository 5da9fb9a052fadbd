"""The generated ``debrief.ipynb``: a 15-minute class discussion from the class's own answers.

The notebook only calls :mod:`helpers.instructor.debrief` (1-3 lines a cell, each opening with a
comment); every word in its Markdown cells is written here or is a question id (lowercase letters,
digits and hyphens, checked), never anything a learner typed. Written as nbformat 4.5 JSON
directly (stable cell ids, no outputs): importing nbformat would cost a second or more.
"""

import json
import re

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _lines(text):
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def _cells(spec):
    cells = []
    for n, (kind, source) in enumerate(spec, start=1):
        cell = {"cell_type": "markdown" if kind == "md" else "code", "id": f"debrief-{n:02d}",
                "metadata": {}, "source": _lines(source)}
        if kind != "md":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    return {"cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}


def build(counts, hardest, text_question, has_designs, made):
    """The notebook as text (JSON). ``hardest``: question ids to discuss; ``text_question``: an
    open question whose answers to read, or None."""
    for qid in [*hardest, *([text_question] if text_question else [])]:
        if not _ID.match(qid):
            raise ValueError(f"not a question id: {qid!r}")
    spec = [
        ("md", "# Class debrief\n\n"
               f"Made by `collect` on {made} from {counts['handins']} hand-ins of "
               f"{counts['learners']} learners. Learners appear under pseudonyms; the key "
               "(`pseudonyms.csv`) stays with you, out of this notebook.\n\n"
               "A plan for 15 minutes: how the class did (2 minutes), the questions it found "
               "hardest (8 minutes), the class's settlements (5 minutes). Run the cells from the "
               "top (Run → Run All Cells)."),
        ("code", "# The course's helpers, and this class's answers (read from this folder)\n"
                 "from helpers.instructor import debrief\n"
                 "results = debrief.load()"),
        ("code", "# Learners, hand-ins and designs collected\nresults.summary()"),
        ("md", "## 1. How the class did (2 minutes)\n\nPoints per lesson, as marked again "
               "against your answer keys (open answers count once you have marked them)."),
        ("code", "# Points per lesson: learners who handed it in, median and range\n"
                 "results.lessons()"),
        ("code", "# The share right of every marked question, hardest at the top\n"
                 "results.overview()"),
        ("md", "## 2. The questions the class found hardest (8 minutes)\n\nFor each: read the "
               "question aloud, show how the class answered, then ask those who gave the most "
               "common wrong answer what made it convincing. The feedback shown is what the "
               "course told them (or would have, in a graded course)."),
        ("code", "# Every question, hardest first\nresults.items()"),
    ]
    if not hardest:
        spec.append(("md", "*No marked question was answered by enough learners to discuss.*"))
    for qid in hardest:
        spec += [
            ("md", f"### `{qid}`"),
            ("code", "# The question, and the wrong answer given most often\n"
                     f'results.question("{qid}")'),
            ("code", f'# How the class answered\nresults.figure("{qid}")'),
        ]
    if text_question:
        spec += [
            ("md", f"### In their own words: `{text_question}`\n\nPick two answers that disagree "
                   "and read them out (pseudonyms only)."),
            ("code", f'# Written answers, under pseudonyms\nresults.answers("{text_question}")'),
        ]
    spec.append(("md", "## 3. The class's settlements (5 minutes)\n\nEach design was checked "
                       "again against each government's stated conditions at the date its "
                       "learner chose. No design wins: ask which condition the class found "
                       "hardest to meet, and whose condition it was."))
    if has_designs:
        spec += [
            ("code", "# Who gets each island in the class's designs (hover for the timings)\n"
                     "results.settlement_map()"),
            ("code", "# The same as a table: island, side, handover timing, designs\n"
                     "results.settlements()"),
            ("code", "# The dates the learners checked their designs against\nresults.dates()"),
            ("code", "# How the designs fared against each government's conditions\n"
                     "results.outcomes()"),
            ("code", "# The same as a figure\nresults.outcome_figure()"),
        ]
    else:
        spec.append(("md", "*No settlement designs were handed in.*"))
    return json.dumps(_cells(spec), indent=1, ensure_ascii=False) + "\n"
