"""helpers/_common/figures.py: a course figure displays exactly as plotly's mimetype renderer
would write it, without loading plotly's renderer registry (nbformat, jsonschema) in a kernel, and
hands the drawing back to plotly wherever plotly would choose another renderer."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import plotly.io as pio
import pytest

from helpers import maps, settlement, timeline
from helpers._common import figures

REPO = Path(__file__).resolve().parent.parent


def course_figures():
    """Every kind of figure the lessons show (each map, the timeline, a settlement design)."""
    out = {"region": maps.region_map(), "region-habomai": maps.region_map(extent="habomai"),
           "timeline-map": maps.sovereignty_timeline_map(),
           "claims-1956": maps.claims_map("1956-10-19"),
           "events": timeline.events_timeline(era="putin-abe"),
           "design": settlement.design_map({})}
    for year in (1855, 1875, 1905, 1945, 2024):
        out[f"sovereignty-{year}"] = maps.sovereignty_map(year)
    return out


def plotly_bundle(fig):
    return pio.renderers["plotly_mimetype"].to_mimebundle(fig.to_dict())


@pytest.fixture
def kernel(monkeypatch):
    """As inside a Jupyter kernel, with plotly's renderer left as plotly chose it there."""
    monkeypatch.setattr(figures, "_in_kernel", lambda: True)
    for name in figures._PLOTLY_CHOOSES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(pio.renderers, "default", "plotly_mimetype")


def test_every_course_figure_is_written_as_plotlys_mimetype_renderer_writes_it(kernel):
    for name, fig in course_figures().items():
        assert isinstance(fig, figures.Figure), name
        ours = fig._repr_mimebundle_()
        assert ours == plotly_bundle(fig), name
        assert list(ours) == [figures.PLOTLY_MIME] and ours[figures.PLOTLY_MIME]["data"], name


def test_a_spec_drawn_into_a_widget_is_plotlys_bundle_of_it():
    spec = maps.region_map().to_dict()
    assert figures.bundle(spec) == pio.renderers["plotly_mimetype"].to_mimebundle(dict(spec))


@pytest.mark.parametrize("renderer", ["json", "plotly_mimetype+notebook", "png"])
def test_a_renderer_chosen_by_the_user_is_plotlys_to_draw_with(kernel, monkeypatch, renderer):
    monkeypatch.setattr(pio.renderers, "default", renderer)
    assert figures.plain_mimetype() is False
    fig = maps.region_map()
    seen = []
    monkeypatch.setattr(figures.go.Figure, "_repr_mimebundle_",
                        lambda self, *a, **k: seen.append(type(self)) or {"from": "plotly"})
    assert fig._repr_mimebundle_() == {"from": "plotly"} and seen == [figures.Figure]


@pytest.mark.parametrize("variable", figures._PLOTLY_CHOOSES)
def test_where_plotly_would_choose_from_the_environment_plotly_chooses(kernel, monkeypatch,
                                                                       variable):
    monkeypatch.delitem(sys.modules, "plotly.io._renderers")
    monkeypatch.setenv(variable, "1")
    assert figures.plain_mimetype() is False


def test_outside_a_kernel_plotly_draws(monkeypatch):
    monkeypatch.setattr(figures, "_in_kernel", lambda: False)
    monkeypatch.delitem(sys.modules, "plotly.io._renderers")
    assert figures.plain_mimetype() is False


@pytest.mark.slow
def test_in_a_kernel_a_map_displays_without_loading_nbformat(tmp_path):
    """The saving itself: a lesson's first map in a fresh kernel shows plotly's JSON, and neither
    nbformat nor jsonschema has been imported to write it."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in (
        "from helpers import maps\nmaps.sovereignty_map(1956)",
        "import sys\nprint(sorted(m for m in ('nbformat', 'jsonschema', 'plotly.io._renderers')"
        " if m in sys.modules))")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    env = {"KURIL_JOURNAL_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(REPO / "notebooks")}},
                   ).execute(env={**os.environ, **env})
    shown = [o for o in nb.cells[0].outputs if "data" in o]
    assert shown and figures.PLOTLY_MIME in shown[0]["data"]
    assert json.loads(json.dumps(shown[0]["data"][figures.PLOTLY_MIME]))["data"]
    assert nb.cells[1].outputs[0]["text"].strip() == "[]"


def test_a_fresh_interpreter_draws_a_spec_without_plotlys_renderer_registry():
    code = textwrap.dedent("""
        import sys
        from helpers import maps
        from helpers._common import figures
        figures.bundle(maps.region_map().to_dict())
        print('nbformat' in sys.modules, 'plotly.io._renderers' in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False"]
