"""Fresh clone to JupyterLab open: ``git clone`` of the repository, then ``python3 run.py lab``
until JupyterLab answers on /lab, with pip's cache warm and cold (issue 15).

Floor: the same steps for the bare stack: a fresh venv, ``pip install`` of jupyterlab,
ipywidgets, pandas and plotly at the same pins, then ``jupyter lab`` until /lab answers. "Warm"
uses the user's pip cache (so nothing is downloaded if the pins were installed before); "cold"
gives pip an empty cache directory of its own and no configured wheel folder or extra index, so
every wheel is downloaded from PyPI. The
clone is of the committed HEAD (uncommitted changes are not in it). Reported, not budgeted: the
time is mostly pip's and the network's; the environment's size budget is the env section's.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import venv
from pathlib import Path

from ._report import Row
from ._util import ROOT, log

FLOOR_PACKAGES = ["jupyterlab", "ipywidgets", "pandas", "plotly"]
URL = re.compile(r"(http://(?:127\.0\.0\.1|localhost):\d+/lab[^\s?]*\?token=\w+)")


def _wait_for_lab(cmd, cwd, env, timeout=900):
    """Start ``cmd`` (a JupyterLab server); seconds until its /lab page answers 200, then stop it.
    """
    log_path = Path(tempfile.mkstemp(prefix="kuril-bench-lab-", suffix=".log")[1])
    with open(log_path, "w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    start = time.perf_counter()
    try:
        while time.perf_counter() - start < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]} stopped: {log_path.read_text()[-2000:]}")
            found = URL.search(log_path.read_text(errors="replace"))
            if found:
                try:
                    with urllib.request.urlopen(found.group(1), timeout=10) as page:
                        if page.status == 200:
                            return time.perf_counter() - start
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it had stopped already (the error above says why)
        log_path.unlink(missing_ok=True)


def _env(tmp, cold):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL"))}
    env.update(BROWSER="true", JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), KURIL_JOURNAL_DIR=str(tmp / "journal"),
               JUPYTER_PLATFORM_DIRS="1")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # JupyterLab refuses root without this
        (tmp / "config").mkdir(exist_ok=True)
        (tmp / "config" / "jupyter_server_config.json").write_text(
            '{"ServerApp": {"allow_root": true}}')
    if cold:  # an empty cache, and no local wheel folders or indexes: every wheel from PyPI
        for var in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX"):
            env.pop(var, None)
        env.update(PIP_CACHE_DIR=str(tmp / "pip-cache"), PIP_CONFIG_FILE=os.devnull)
    return env


def course(cold):
    """Seconds from ``git clone`` to /lab answering, through ``python3 run.py lab``."""
    with tempfile.TemporaryDirectory(prefix="kuril-bench-clone-") as tmp:
        tmp = Path(tmp)
        env = _env(tmp, cold)
        start = time.perf_counter()
        subprocess.run(["git", "clone", "-q", str(ROOT), str(tmp / "course")], check=True,
                       env=env)
        python = shutil.which("python3") or sys.executable  # as a learner would type it
        lab = _wait_for_lab([python, "run.py", "lab"], tmp / "course", env)
        return time.perf_counter() - start, lab


def floor(cold):
    """Seconds from an empty folder to /lab answering for the bare stack at the same pins."""
    with tempfile.TemporaryDirectory(prefix="kuril-bench-floor-") as tmp:
        tmp = Path(tmp)
        env = _env(tmp, cold)
        start = time.perf_counter()
        venv.create(tmp / "venv", with_pip=True)
        py = str(tmp / "venv" / "bin" / "python")
        pip = [py, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run(pip + ["--upgrade", "pip"], check=True, env=env)
        pins = ROOT / "requirements" / "constraints.txt"
        subprocess.run(pip + ["-c", str(pins), *FLOOR_PACKAGES], check=True, env=env)
        (tmp / "work").mkdir()
        lab = _wait_for_lab([py, "-m", "jupyter", "lab"], tmp / "work", env)
        return time.perf_counter() - start, lab


def run(modes=("warm", "cold")):
    if not shutil.which("git"):
        raise RuntimeError("git is needed to clone the repository")
    rows = []
    for mode in modes:
        cold = mode == "cold"
        log(f"  fresh clone to JupyterLab, pip cache {mode} ...")
        seconds, lab = course(cold)
        log(f"  the bare stack, pip cache {mode} ...")
        base, base_lab = floor(cold)
        rows.append(Row("lab", f"fresh clone to JupyterLab open, pip cache {mode}", seconds, "s",
                        floor=base,
                        note=f"git clone + python3 run.py lab until /lab answers (run.py lab "
                             f"{lab:.1f} s of it); floor: venv + pip install of "
                             f"{', '.join(FLOOR_PACKAGES)} + jupyter lab ({base_lab:.1f} s)"))
    return rows
