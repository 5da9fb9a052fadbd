"""Lesson execution: every notebook run headless with nbclient, against a floor notebook.

The floor notebook imports pandas, plotly and ipywidgets and draws one figure, so the floor is the
price of the stack itself (kernel start-up included in both). Runs alternate floor and lessons and
the median is kept. Budget: each lesson at most 1.2x the floor (issue 15; was 1.5x). The executed
notebooks are kept for the payload section (total output size of each; budget 0.5 MB, was 1 MB).
"""

import json
import time

import nbformat
from nbclient import NotebookClient

from ._report import Row, median
from ._util import NOTEBOOKS, kernel_manager, log, notebooks, quiet_env

RATIO = 1.2  # issue 15 (was 1.5)
OUTPUT_MB = 0.5  # issue 15 (was 1 MB)

FLOOR_CELLS = [
    "import pandas as pd\nimport plotly.graph_objects as go\nimport ipywidgets as widgets",
    "df = pd.DataFrame({'x': [1, 2, 3], 'y': [2, 1, 3]})\n"
    "go.Figure(go.Scatter(x=df['x'], y=df['y']))",
]


# The same notebook with its figure written as the lessons write theirs (helpers/_common/figures.py:
# plotly's mimetype JSON without plotly's renderer registry, which imports nbformat and jsonschema).
# Shown for information: what the lessons cost beyond the stack once that import is left out.
LEAN_CELLS = [
    FLOOR_CELLS[0],
    "import json\nfrom IPython.display import display\nimport plotly.io as pio\n"
    "df = pd.DataFrame({'x': [1, 2, 3], 'y': [2, 1, 3]})\n"
    "fig = go.Figure(go.Scatter(x=df['x'], y=df['y']))\n"
    "display({'application/vnd.plotly.v1+json': json.loads(pio.to_json(fig, validate=False))},"
    " raw=True)",
]


def floor_notebook(cells=FLOOR_CELLS):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def execute(nb, timeout=600):
    """Run ``nb`` in place in a fresh kernel (cwd notebooks/); return wall seconds."""
    client = NotebookClient(nb, km=kernel_manager(), timeout=timeout, startup_timeout=120,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    client.execute(env=quiet_env())  # journals go to a temp folder, never the learner's
    return time.perf_counter() - start


def output_bytes(nb):
    """(total, cell outputs) in bytes that the run adds to the .ipynb: the total includes the
    saved widget state, where the figures drawn inside Output widgets live."""
    outputs = sum(len(json.dumps(c.get("outputs", []), ensure_ascii=False).encode())
                  for c in nb.cells if c.cell_type == "code")
    state = nb.metadata.get("widgets", {})
    return outputs + (len(json.dumps(state, ensure_ascii=False).encode()) if state else 0), outputs


EXECUTED = {}  # name -> executed notebook from the last run (read by the payload section)


def run(runs=3, only=None):
    """Each lesson run right after a floor run; the ratio is the median of those pairs, so a
    machine that gets busier or quieter during the benchmark shifts both sides alike."""
    paths = [p for p in notebooks() if not only or any(o in p.name for o in only)]
    floors, lean, times, pairs = [], [], {p.name: [] for p in paths}, {p.name: [] for p in paths}
    for n in range(runs):
        lean.append(execute(floor_notebook(LEAN_CELLS)))
        for path in paths:
            nb = floor_notebook()
            floor = execute(nb)
            floors.append(floor)
            EXECUTED["(floor notebook)"] = nb
            nb = nbformat.read(path, as_version=4)
            seconds = execute(nb)
            EXECUTED[path.name] = nb
            times[path.name].append(seconds)
            pairs[path.name].append(seconds / floor)
            log(f"  lessons run {n + 1}/{runs}: {path.name} {seconds:.1f} s (floor {floor:.1f} s)")
    note = (f"median of {runs} runs, each paired with a floor run; kernel start-up included; "
            "floor: imports + one figure")
    lean_s = median(lean)
    rows = [Row("lessons", name, median(times[name]), "s", floor=median(floors), ratio=RATIO,
                note=f"{note}; {median(times[name]) / lean_s:.2f}× the lean floor",
                extra={"times_floor": median(pairs[name])}) for name in times]
    rows.append(Row("lessons", "(lean floor: its figure written as the lessons write theirs)",
                    lean_s, "s", floor=median(floors), note="for information: the floor "
                    "notebook without plotly's renderer registry (nbformat, jsonschema)"))
    return rows


def output_rows():
    """Payload rows for the notebooks executed by ``run`` (runs them once if it has not run)."""
    if not EXECUTED:
        for path in notebooks():
            nb = nbformat.read(path, as_version=4)
            execute(nb)
            EXECUTED[path.name] = nb
        nb = floor_notebook()
        execute(nb)
        EXECUTED["(floor notebook)"] = nb
    floor = output_bytes(EXECUTED["(floor notebook)"])[0] / 1e6
    rows = []
    for name, nb in EXECUTED.items():
        if name == "(floor notebook)":
            continue
        total, outputs = output_bytes(nb)
        rows.append(Row("payload", f"outputs of {name}", total / 1e6, "MB", floor=floor,
                        limit=OUTPUT_MB, note=f"cell outputs {outputs / 1e6:.2f} MB + widget "
                        f"state {(total - outputs) / 1e6:.2f} MB; floor: the floor notebook's"))
    return rows
