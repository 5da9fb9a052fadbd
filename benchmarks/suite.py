"""Tests: wall time of the whole pytest suite, without and with the browser tests.

pytest runs as a subprocess from the repository root with its own configuration (pyproject.toml:
tests/ and the notebooks through nbval). The floor is pytest itself: the same configuration
running one trivial test, i.e. interpreter, plugins and collection set-up. Budgets (2-core
machine): 3 minutes without the browser tests, 10 minutes with them.
"""

import os
import tempfile
import textwrap

from ._report import Row
from ._util import PYTHON, ROOT, log, quiet_env, wall

LIMITS_MIN = {"without browser tests": 3, "with browser tests": 10}


def _pytest(args, timeout):
    seconds, proc = wall([PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                         cwd=ROOT, env=quiet_env(), timeout=timeout)
    tail = proc.stdout.strip().splitlines()[-1:] or ["(no output)"]
    return seconds, proc.returncode, tail[0]


def _floor():
    with tempfile.TemporaryDirectory(prefix="kuril-bench-pytest-") as tmp:
        path = os.path.join(tmp, "test_floor.py")
        with open(path, "w") as f:
            f.write(textwrap.dedent("def test_floor():\n    assert 1 + 1 == 2\n"))
        seconds, code, tail = _pytest([path, "--rootdir", str(ROOT), "-c",
                                       str(ROOT / "pyproject.toml")], timeout=300)
    if code:
        raise RuntimeError(f"the floor pytest run failed: {tail}")
    return seconds


def run(browser=True):
    floor = _floor()
    cases = {"without browser tests": ["--ignore=tests/browser"]}
    if browser:
        cases["with browser tests"] = []
    rows = []
    for label, args in cases.items():
        log(f"  pytest {label} ...")
        seconds, code, tail = _pytest(args, timeout=3600)
        status = "passed" if code == 0 else f"exit {code}"
        rows.append(Row("tests", f"pytest {label}", seconds / 60, "min", floor=floor / 60,
                        limit=LIMITS_MIN[label],
                        note=f"{status}: {tail}; floor: pytest running one trivial test"))
    return rows
