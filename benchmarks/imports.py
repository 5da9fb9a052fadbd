"""Import: ``import helpers`` plus the submodules the lessons use, against the bare stack.

Each run is a fresh interpreter (``python -c ...``), so nothing is cached in memory. Each case
runs right after a floor run and the ratio is the median of those pairs, so a machine that gets
busier during the benchmark slows both sides alike. Budget: 1.2x the floor.
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
    floor, got, pairs = [], {label: [] for label in cases}, {label: [] for label in cases}
    for _ in range(runs):
        for label, code in cases.items():
            base = _time(FLOOR, env)  # each case right after a floor run: the pair shares load
            seconds = _time(code, env)
            floor.append(base)
            got[label].append(seconds)
            pairs[label].append(seconds / base)
    note = f"median of {runs} fresh interpreters, each paired with a floor run; floor: {FLOOR}"
    return [Row("import", label, median(t), "s", floor=median(floor), ratio=RATIO, note=note,
                extra={"times_floor": median(pairs[label])}) for label, t in got.items()]
