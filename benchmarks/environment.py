"""Environment: installed size and package count of the runtime environment against the floor.

Floor: a venv with only jupyterlab, ipywidgets, pandas and plotly. Runtime: a venv with the course
installed as Binder builds it: the runtime packages and the app, Voila (``pip install .[app]``).
Both are built with pip at the pinned versions (``-c requirements/constraints.txt``, the same pins
for both) and kept in ``~/.cache/kuril-bench`` (rebuilt when the dependency list, the pins or Python
change), so a re-run only reinstalls the course itself. Budget: 1.05x the floor, for size and count.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from ._report import Row
from ._util import ROOT, log

RATIO = 1.05
FLOOR_PACKAGES = ["jupyterlab", "ipywidgets", "pandas", "plotly"]
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
CACHE = Path(os.environ.get("KURIL_BENCH_CACHE", Path.home() / ".cache" / "kuril-bench"))
# Left out of the copy that `pip install .` builds from: caches, builds, environments.
SKIP = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "*.egg-info", "build",
                              "dist", ".pytest_cache", ".ruff_cache", "artifacts",
                              ".ipynb_checkpoints", "kuril-journal")


def _dependencies():
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    return sorted([*project["dependencies"], *project["optional-dependencies"]["app"]])


def _pins():
    return ["-c", str(CONSTRAINTS)] if CONSTRAINTS.exists() else []


def _key(parts):
    pins = CONSTRAINTS.read_text() if CONSTRAINTS.exists() else ""
    text = json.dumps([sys.version.split()[0], pins, *parts])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _bin(env, name):
    return env / ("Scripts" if os.name == "nt" else "bin") / name


def _pip(env, *args):
    cmd = [str(_bin(env, "python")), "-m", "pip", "--disable-pip-version-check", "-q", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")


def _make(name, key, packages):
    """A cached venv with ``packages``; returns (path, freshly built?)."""
    env = CACHE / f"{name}-{key}"
    stamp = env / ".kuril-bench-ok"
    if stamp.exists():
        return env, False
    shutil.rmtree(env, ignore_errors=True)
    log(f"  building the {name} venv in {env} (cached for later runs) ...")
    venv.create(env, with_pip=True, clear=True)
    _pip(env, "install", *_pins(), *packages)
    stamp.write_text(" ".join(packages))
    return env, True


def _install_course(env):
    """``pip install .`` from a clean copy of the tree (no build/ or egg-info left in the repo)."""
    with tempfile.TemporaryDirectory(prefix="kuril-bench-src-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT, src, ignore=SKIP, symlinks=True)
        _pip(env, "install", "--no-deps", "--force-reinstall", str(src))
        _pip(env, "install", *_pins(), f"{src}[app]")  # anything a changed dependency list adds


def _measure(env):
    """(installed megabytes of the whole venv, number of installed distributions)."""
    size = sum(p.stat().st_size for p in env.rglob("*") if p.is_file() and not p.is_symlink())
    code = "import importlib.metadata as m; print(len({d.metadata['Name'].lower() "\
           "for d in m.distributions()}))"
    count = subprocess.run([str(_bin(env, "python")), "-I", "-c", code], capture_output=True,
                           text=True, check=True).stdout
    return size / 1e6, int(count)


def run():
    deps = _dependencies()
    floor_env, _ = _make("floor", _key(FLOOR_PACKAGES), FLOOR_PACKAGES)
    runtime_env, _ = _make("runtime", _key(deps), deps)
    _install_course(runtime_env)
    floor_mb, floor_n = _measure(floor_env)
    mb, n = _measure(runtime_env)
    note = (f"floor: venv of {', '.join(FLOOR_PACKAGES)}; runtime: pip install .[app] (with "
            "Voila, as on Binder); both at the pinned versions")
    return [
        Row("env", "installed size (whole venv)", mb, "MB", floor=floor_mb, ratio=RATIO,
            note=note),
        Row("env", "installed packages (distributions)", n, "n", floor=floor_n, ratio=RATIO,
            note="pip and setuptools count in both; the course itself counts"),
    ]
