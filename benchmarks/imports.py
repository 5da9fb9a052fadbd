"""Import: ``import helpers`` plus the submodules the lessons use, against the bare stack.

Each run is a fresh interpreter (``python -c ...``), so nothing is cached in memory; the two
commands alternate so that a busy machine slows both alike. Budget: 1.2x the floor.
"""

from ._report import Row, median
from ._util import PYTHON, ROOT, lesson_modules, quiet_env, wall

FLOOR = "import pandas, plotly.graph_objects, ipywidgets"
RATIO = 1.2


def _time(code, env):
    seconds, proc = wall([PYTHON, "-c", code], cwd=ROOT, env=env)
    if proc.returncode:
        raise RuntimeError(f"`python -c {code!r}` failed:\n{proc.stderr[-2000:]}")
    return seconds


def run(runs=7):
    modules = lesson_modules()
    cases = {
        "import helpers": "import helpers",
        f"import helpers + {', '.join(modules)}": "import helpers; from helpers import "
        + ", ".join(modules),
    }
    env = quiet_env()
    _time(FLOOR, env)  # warm the disk cache and .pyc files for both
    for code in cases.values():
        _time(code, env)
    floor, got = [], {label: [] for label in cases}
    for _ in range(runs):
        floor.append(_time(FLOOR, env))
        for label, code in cases.items():
            got[label].append(_time(code, env))
    base = median(floor)
    note = f"median of {runs} fresh interpreters; floor: {FLOOR}"
    return [Row("import", label, median(t), "s", floor=base, ratio=RATIO, note=note)
            for label, t in got.items()]
