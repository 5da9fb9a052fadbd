"""Every lesson (00–05) opens the same way (issue 13): one skeleton, so a learner finds the
question, the objectives, the time and how to work in the same place in each.

    # Lesson N. Title                    (N: the notebook's number)
    ## Central question                  (then the question in bold)
    ## Learning objectives               ("After this lesson you can:" and a numbered list)
    ## Time budget (about ... minutes)
    ## Before you start                  (- **Prerequisites:** ...)
  then a cell of its own, tagged notebook-only (the Voila app leaves it out: it has no cells):
    ## How to use this notebook          (Shift + Enter, Check, the journal, Download my work)
"""

import json
import re
from pathlib import Path

import pytest

from helpers.course import lesson_files

ROOT = Path(__file__).resolve().parents[1]
LESSONS = [p for p in lesson_files(ROOT / "notebooks")
           if p.name[:2] in ("00", "01", "02", "03", "04", "05")]
TAG = "notebook-only"
TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "offline-lab" / "index.html.j2"


def cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             c.get("metadata", {}).get("tags", [])) for c in nb["cells"]]


def headings(text):
    return [line for line in text.splitlines() if line.startswith("#")]


def test_there_are_six_lessons():
    assert [p.name[:2] for p in LESSONS] == ["00", "01", "02", "03", "04", "05"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_the_first_cell_follows_the_skeleton(path):
    kind, text, _ = cells(path)[0]
    assert kind == "markdown"
    heads = headings(text)
    number = int(path.name[:2])
    assert re.fullmatch(rf"# Lesson {number}\. \S.+", heads[0]), heads[0]
    assert heads[1:5] == ["## Central question", "## Learning objectives",
                          heads[3], "## Before you start"], heads
    assert re.fullmatch(r"## Time budget \(about \d+(–\d+)? minutes[^)]*\)", heads[3]), heads[3]
    question = text.split("## Central question", 1)[1].lstrip("\n")
    assert question.startswith("**") and "?**" in question.split("\n\n")[0]
    objectives = text.split("## Learning objectives", 1)[1].split("\n## ")[0]
    assert "After this lesson you can:\n\n1. " in objectives
    assert len(re.findall(r"^\d\. ", objectives, flags=re.M)) >= 3
    before = text.split("## Before you start", 1)[1]
    assert before.lstrip("\n").startswith("- **Prerequisites:**")
    assert "Shift" not in text and "How to use" not in text  # that is the next cell's


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_how_to_use_is_a_notebook_only_cell_near_the_top(path):
    found = [(n, c) for n, c in enumerate(cells(path)) if c[1].startswith("## How to use")]
    assert len(found) == 1, "one 'How to use this notebook' cell"
    n, (kind, text, tags) = found[0]
    assert n == 1 and kind == "markdown" and TAG in tags
    assert text.splitlines()[0] == "## How to use this notebook"
    for words in ("Shift + Enter", "**Check**", "journal", "**Download my work**"):
        assert words in text


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_only_notebook_only_cells_tell_how_to_run_cells(path):
    """What an app (Voila) shows must not ask for keys it has no use for."""
    for kind, text, tags in cells(path):
        if kind == "markdown" and re.search(r"Shift\s*\+\s*Enter", text):
            assert TAG in tags, text[:80]


def test_the_app_template_leaves_notebook_only_cells_out():
    template = TEMPLATE.read_text(encoding="utf-8")
    block = template.split("{%- block any_cell scoped -%}", 1)[1].split("endblock any_cell", 1)[0]
    assert f"'{TAG}' not in cell.metadata.get('tags', [])" in block and "super()" in block
    config = json.loads((ROOT / "etc" / "jupyter" / "voila.json").read_text(encoding="utf-8"))
    assert config["VoilaConfiguration"]["template"] == TEMPLATE.parent.name
