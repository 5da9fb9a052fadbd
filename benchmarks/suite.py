"""Tests: wall time of the whole pytest suite, without and with the browser tests.

pytest runs as a subprocess from the repository root with its own configuration (pyproject.toml:
tests/ and the notebooks through nbval). The floor is pytest itself: the same configuration
running one trivial test, i.e. interpreter, plugins and collection set-up. Budgets (2-core
machine, issue 15): the fast subset a contributor runs (``python3 run.py test --fast``) 1 minute;
the whole suite as CI runs it (``CI=true python3 run.py test``, browser tests included) 3 minutes
(were 3 minutes without the browser tests and 10 with them). The last lines of each run's output
say how its time split (collection, unit tests, notebooks, browser: tests/conftest.py).
"""

import importlib.util
import os
import signal
import subprocess
import tempfile
import textwrap
import time

from ._report import Row
from ._util import PYTHON, ROOT, log, quiet_env

LIMITS_MIN = {"fast subset (python3 run.py test --fast)": 1,
              "whole suite (CI=true python3 run.py test)": 3}


def _pytest(args, timeout, env=None):
    """(seconds, exit code or None on timeout, last line of output). The run has its own process
    group, so a timeout also stops the servers and browsers it started."""
    cmd = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args]
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=quiet_env(**(env or {})), stdout=out,
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
    split = [line for line in lines if line.startswith("time: ")]  # tests/conftest.py's line
    failed = [line[:200] for line in lines if line.startswith(("FAILED ", "ERROR "))]  # -ra's
    return seconds, code, " / ".join(split[-1:] + failed + lines[-1:]) or "(no output)"


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


def _run_py():
    """The repository's run.py as a module (the commands below are exactly what it runs)."""
    spec = importlib.util.spec_from_file_location("kuril_run_py", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(browser=True):
    """The fast subset (``python3 run.py test --fast``) and the whole suite as CI runs it
    (``CI=true python3 run.py test``: the browser tests included, two workers when pytest-xdist
    is installed), each as the pytest command run.py builds."""
    floor = _floor()
    run_py = _run_py()
    cases = {"fast subset (python3 run.py test --fast)": (["test", "--fast"], {})}
    if browser:
        cases["whole suite (CI=true python3 run.py test)"] = (["test"], {"CI": "true"})
    rows = []
    for label, (argv, env) in cases.items():
        log(f"  pytest: {label} ...")
        limit = LIMITS_MIN[label]
        cmd = run_py.command(argv)[1]
        seconds, code, tail = _pytest(cmd[3:], timeout=3 * limit * 60, env=env)
        status = {0: "passed", None: f"stopped after {3 * limit} min"}.get(code, f"exit {code}")
        rows.append(Row("tests", label, seconds / 60, "min", floor=floor / 60, limit=limit,
                        note=f"{status}: {tail}; floor: pytest running one trivial test"))
    return rows
