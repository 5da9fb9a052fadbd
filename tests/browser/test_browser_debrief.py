"""The class debrief that ``collect`` writes opens in JupyterLab and runs: every cell, every
figure drawn (the settlement map with all four islands), learners' text shown as text.

The class is made with the course's own journal and export code (benchmarks/handins.py) and
collected into a folder outside the repository, which a JupyterLab of its own serves; the
debrief finds the course's helpers through the link collect put beside it.
"""

import _harness as h
import pytest

from benchmarks import handins
from helpers.instructor import collect

NOTEBOOK = "class/debrief.ipynb"


@pytest.fixture(scope="module")
def class_lab(browser_available, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("debrief")
    site = tmp / "site"
    handins.make_class(site / "handins", tmp / "journals", learners=40, seed=7)
    got, _ = collect.run(site / "handins", site / "class", log=lambda line: None)
    assert got is not None and got.settlements.designs
    server = h.lab_server(tmp / "lab", root=site)
    server.start()
    yield server
    server.stop()


def test_debrief_runs_and_draws_in_jupyterlab(class_lab, page, guard):
    h.open_notebook(page, class_lab, NOTEBOOK)
    h.run_all(page)
    problems = h.run_state_problems(page, NOTEBOOK)
    cells = h.report(page)
    problems += h.output_problems(cells, NOTEBOOK)
    h.screenshots(page, "debrief", problems=problems)
    assert not problems, f"{NOTEBOOK} in JupyterLab:\n  " + "\n  ".join(problems)
    plots = [p for c in cells for p in c["plots"]]
    maps = [p for p in plots if p["isMap"]]
    assert len(plots) >= 6 and len(maps) == 1, (len(plots), len(maps))
    text = " ".join(c["text"] for c in cells)
    assert "Most common wrong answer" in text and "Learner " in text
    assert h.inert(page), "a learner's text became page elements"
    class_lab.shutdown_kernels()
    guard.assert_clean()
