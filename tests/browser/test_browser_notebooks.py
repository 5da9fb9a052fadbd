"""Every notebook in notebooks/, run through JupyterLab's menus as a learner would, must show no
error, draw every figure and render every widget. Screenshots go to tests/browser/artifacts/."""

import json

import _harness as h
import pytest

NOTEBOOKS = sorted((h.ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))  # lessons, not scratch files


def test_notebooks_are_found():
    """Is the notebook list read from the folder (so a new lesson is tested without editing)?"""
    assert NOTEBOOKS, "no notebooks found in notebooks/"
    assert (h.ROOT / "notebooks" / "00_start_here.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_renders(lab, lab_page, guard, notebook):
    page = lab_page
    rel = notebook.relative_to(h.ROOT).as_posix()
    h.open_notebook(page, lab, rel)
    h.run_all(page)
    problems = h.run_state_problems(page, rel)
    cells = h.report(page)
    problems += h.output_problems(cells, rel)
    h.screenshots(page, notebook.stem)
    (h.ARTIFACTS / notebook.stem / "report.json").write_text(json.dumps(cells, indent=1))
    assert not problems, f"{rel} in JupyterLab:\n  " + "\n  ".join(problems)
    # A notebook whose code shows figures must have drawn them (not just "no error").
    source = notebook.read_text(encoding="utf-8")
    plots = sum(len(c["plots"]) for c in cells)
    if "maps." in source or "timeline." in source:
        assert plots > 0, f"{rel} calls maps/timeline but no figure appeared"
    guard.assert_clean()


def test_lab_extensions_load(lab, lab_page, guard):
    """Do the widget and plotly lab extensions load from the venv despite the temporary
    Jupyter folders (they live in sys.prefix/share/jupyter, not in the user's data folder)?"""
    h.open_notebook(lab_page, lab, "notebooks/00_start_here.ipynb")
    config = json.loads(lab_page.locator("#jupyter-config-data").text_content())
    names = {e["name"] for e in config.get("federated_extensions", [])}
    assert {"jupyterlab-plotly", "@jupyter-widgets/jupyterlab-manager"} <= names, names
    guard.assert_clean()


def test_japanese_characters_render(lab, lab_page, guard):
    """Are CJK fonts installed, so island names in kanji (e.g. 択捉島) are not empty boxes?"""
    h.open_notebook(lab_page, lab, "notebooks/00_start_here.ipynb")
    assert h.glyphs_render(lab_page), "CJK characters draw as boxes: install fonts-noto-cjk"
    guard.assert_clean()
