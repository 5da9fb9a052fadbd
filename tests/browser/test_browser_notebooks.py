"""Every notebook in notebooks/, run through JupyterLab's menus as a learner would, must show no
error, draw every figure and render every widget. Screenshots go to tests/browser/artifacts/."""

import json

import _harness as h
import pytest

from helpers.course import is_scratch

NOTEBOOKS = sorted(p for p in (h.ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                   if not is_scratch(p.name))  # lessons, not scratch files


def test_notebooks_are_found():
    """Is the notebook list read from the folder (so a new lesson is tested without editing)?"""
    assert NOTEBOOKS, "no notebooks found in notebooks/"
    assert (h.ROOT / "notebooks" / "00_start_here.ipynb") in NOTEBOOKS


# Where a learner reads the lessons: a 1024x768 projector with JupyterLab's file browser open
# (the narrowest: the notebook is about 700 px wide), a wide screen without it, and a 1280 px
# laptop with it open. The lesson runs once, at the first size; the page is then resized. The
# last size is the one the lesson's next tests (axe, the learner's clicks) use, so they find the
# page already laid out for it.
SIZES = [("1024x768 with the file browser", 1024, 768, True),
         ("1920x1080", 1920, 1080, False),
         ("1280x900 with the file browser", 1280, 900, True)]


assert SIZES[0][1:] == h.RUN_SIZE, "lessons run at the first size (h.RUN_SIZE)"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_renders(lesson, notebook):
    """Runs with no error, draws every figure and widget, and at every size in SIZES each
    figure's plot area is at least half its width and 280 px, nothing plotly lays out round it
    is cut or overlaps, and no widget is cut or reaches past the notebook's edge. (The run is
    the one the other tests of the lesson share, made at the first size: see ``lesson``.)"""
    rel = notebook.relative_to(h.ROOT).as_posix()
    got = lesson(rel)
    page, guard = got.page, got.guard
    if got.runs > 1:  # another test used the page first: back to the size it ran at
        h.resize(page, *h.RUN_SIZE)
    problems = h.run_state_problems(page, rel)
    cells = h.report(page)
    problems += h.output_problems(cells, rel)
    shot = h.screenshots(page, notebook.stem, problems=problems)
    (h.ARTIFACTS / notebook.stem).mkdir(parents=True, exist_ok=True)
    (h.ARTIFACTS / notebook.stem / "report.json").write_text(json.dumps(cells, indent=1))
    measured = {}
    for label, width, height, browser_open in SIZES:
        h.resize(page, width, height, browser_open)
        found = h.layout(page)
        measured[label] = found
        problems += h.layout_problems(found, f"{rel} at {label}", half=width == 1024)
    (h.ARTIFACTS / notebook.stem / "layout.json").write_text(json.dumps(measured, indent=1))
    if problems and not shot:  # a layout problem: the page as it is now, for a person
        h.screenshots(page, notebook.stem, problems=problems)
    assert not problems, f"{rel} in JupyterLab:\n  " + "\n  ".join(problems)
    # A notebook whose code shows figures must have drawn them (not just "no error").
    source = notebook.read_text(encoding="utf-8")
    plots = sum(len(c["plots"]) for c in cells)
    if "maps." in source or "timeline." in source:
        assert plots > 0, f"{rel} calls maps/timeline but no figure appeared"
    assert all(len(found["plots"]) == plots for found in measured.values())
    guard.assert_clean()


def test_the_layout_check_sees_what_does_not_fit():
    """layout_problems flags a squeezed plot area, a caption cut at the figure's edge, a legend
    over the map, a handle off its rail and a widget past the notebook's edge."""
    def b(x0, y0, x1, y1):
        return {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "w": x1 - x0, "h": y1 - y0}

    plot = {"title": "t", "fig": b(0, 0, 588, 700), "area": b(50, 60, 220, 400),
            "parts": [{"kind": "note", "text": "US: backs Jap", **b(300, 420, 640, 440)},
                      {"kind": "legend", "text": "legend", **b(100, 300, 300, 380)}],
            "rail": b(50, 500, 500, 505), "grip": b(560, 495, 570, 510)}
    found = {"plots": [plot], "widgets": [{"cell": "# c", "what": 'button "Update download"',
                                            "why": "shows its text cut (151 > 148 px)"}]}
    problems = "\n".join(h.layout_problems(found, "x"))
    for expected in ("plot area 170 px wide", "is cut at the figure's edge",
                     "lies over the plot area", "handle is off its rail", "Update download"):
        assert expected in problems, (expected, problems)
    plot.update(area=b(50, 60, 500, 400), parts=[], grip=b(200, 495, 210, 510))
    assert h.layout_problems({"plots": [plot], "widgets": []}, "x") == []


@pytest.mark.lesson("notebooks/00_start_here.ipynb")
def test_lab_extensions_load(lesson):
    """Do the widget and plotly lab extensions load from the venv despite the temporary
    Jupyter folders (they live in sys.prefix/share/jupyter, not in the user's data folder)?"""
    got = lesson("notebooks/00_start_here.ipynb")
    config = json.loads(got.page.locator("#jupyter-config-data").text_content())
    names = {e["name"] for e in config.get("federated_extensions", [])}
    assert {"jupyterlab-plotly", "@jupyter-widgets/jupyterlab-manager"} <= names, names
    got.guard.assert_clean()


@pytest.mark.lesson("notebooks/00_start_here.ipynb")
def test_japanese_characters_render(lesson):
    """Are CJK fonts installed, so island names in kanji (e.g. 択捉島) are not empty boxes?"""
    got = lesson("notebooks/00_start_here.ipynb")
    assert h.glyphs_render(got.page), "CJK characters draw as boxes: install fonts-noto-cjk"
    got.guard.assert_clean()
