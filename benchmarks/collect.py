"""Collect: ``python -m helpers.instructor collect`` on a class of 300 hand-ins of all six lessons.

The class is made first (``benchmarks.handins``: the course's own journal and export code; one
HTML file per learner, every lesson answered) and is not timed. Each run is the real command in a
fresh interpreter, writing a new output folder: imports, reading, marking again, item analysis,
checking the settlement designs, writing the CSVs and the notebook. The floor is a fresh
interpreter that only finds each file's data block and parses its JSON. Each collect run comes
right after a floor run and the ratio is the median of those pairs. Budget: 10 s (issue 16).
"""

import shutil
import tempfile
from pathlib import Path

from ._report import Row, median
from ._util import PYTHON, ROOT, log, quiet_env, wall

LEARNERS = 300
LIMIT_S = 10
FLOOR = """
import json, pathlib, sys
opening = '<script type="application/json" id="kuril-handin">'
for path in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    text = path.read_text(encoding="utf-8")
    start = text.index(opening) + len(opening)
    json.loads(text[start:text.index("</script>", start)])
"""


def _class(tmp):
    from . import handins

    folder = tmp / "handins"
    handins.make_class(folder, tmp / "journals", learners=LEARNERS, simple=True)
    files = sorted(folder.iterdir())
    return folder, len(files), sum(p.stat().st_size for p in files)


def run(runs=3):
    tmp = Path(tempfile.mkdtemp(prefix="kuril-bench-collect-"))
    try:
        log(f"  making a class of {LEARNERS} learners ...")
        folder, count, size = _class(tmp)
        env = quiet_env()
        floor_cmd = [PYTHON, "-c", FLOOR, str(folder)]
        floors, times, pairs = [], [], []
        for n in range(runs + 1):  # the first pair warms the disk cache and .pyc files
            base, proc = wall(floor_cmd, cwd=ROOT, env=env)
            if proc.returncode:
                raise RuntimeError(f"the floor run failed:\n{proc.stderr[-2000:]}")
            out = tmp / f"class-{n}"
            seconds, proc = wall([PYTHON, "-m", "helpers.instructor", "collect", str(folder),
                                  "--out", str(out)], cwd=ROOT, env=env)
            if proc.returncode not in (0,):
                raise RuntimeError(f"collect failed ({proc.returncode}):\n"
                                   f"{(proc.stdout + proc.stderr)[-2000:]}")
            if n:
                floors.append(base)
                times.append(seconds)
                pairs.append(seconds / base)
        note = (f"{count} hand-ins ({size / 2**20:.1f} MB), {LEARNERS} learners x 6 lessons; "
                f"median of {runs} fresh interpreters, each paired with a floor run; floor: "
                "read each file and json.loads its data block")
        return [Row("collect", f"collect {count} hand-ins of all six lessons", median(times),
                    "s", floor=median(floors), limit=LIMIT_S, note=note,
                    extra={"times_floor": median(pairs)})]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
