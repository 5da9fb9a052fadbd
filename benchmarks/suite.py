"""Tests: wall time of the whole pytest suite, without and with the browser tests.

pytest runs as a subprocess from the repository root with its own configuration (pyproject.toml:
tests/ and the notebooks through nbval). The floor is pytest itself: the same configuration
running one trivial test, i.e. interpreter, plugins and collection set-up. Budgets (2-core
machine): 3 minutes without the browser tests, 10 minutes with them.
"""

import os
import signal
import subprocess
import tempfile
import textwrap
import time

from ._report import Row
from ._util import PYTHON, ROOT, log, quiet_env

LIMITS_MIN = {"without browser tests": 3, "with browser tests": 10}


def _pytest(args, timeout):
    """(seconds, exit code or None on timeout, last line of output). The run has its own process
    group, so a timeout also stops the servers and browsers it started."""
    cmd = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=quiet_env(), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            code = None
        seconds = time.perf_counter() - start
        out.seek(0)
        lines = [line for line in out.read().splitlines() if line.strip()]
    return seconds, code, (lines[-1] if lines else "(no output)")


def _floor():
    with tempfile.TemporaryDirectory(prefix="kuril-bench-pytest-") as tmp:
        path = os.path.join(tmp, "test_floor.py")
        with open(path, "w") as f:
            f.write(textwrap.dedent("def test_floor():\n    assert 1 + 1 == 2\n"))
        seconds, code, tail = _pytest([path, "--rootdir", str(ROOT), "-c",
                                       str(ROOT / "pyproject.toml")], timeout=300)
    if code != 0:
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
        limit = LIMITS_MIN[label]
        seconds, code, tail = _pytest(args, timeout=3 * limit * 60)
        status = {0: "passed", None: f"stopped after {3 * limit} min"}.get(code, f"exit {code}")
        rows.append(Row("tests", f"pytest {label}", seconds / 60, "min", floor=floor / 60,
                        limit=limit,
                        note=f"{status}: {tail}; floor: pytest running one trivial test"))
    return rows
