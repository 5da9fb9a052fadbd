#!/usr/bin/env python3
"""Set up the course in a local virtual environment, then open it or run the tests.

    python3 run.py lab          # set up, then open JupyterLab on the start-here notebook
    python3 run.py app          # set up, then open the capstone as an app (Voila)
    python3 run.py test         # set up, then run the whole test suite (CI runs exactly this)
    python3 run.py test --fast  # the fast tests only: no browser, Binder, servers or notebooks
                                # (under a minute on two cores; the whole suite under three)

Anything after `test` or `test --fast` goes to pytest, e.g.
`python3 run.py test --fast -x tests/test_maps.py`.
Packages are installed at the exact versions in requirements/constraints.txt, the ones the tests
and Binder use. Only the standard library is used here, so this works on a fresh machine with
Python 3.11+.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
PINNED_PYTHON = (3, 11)  # the Python the pins are resolved for (Binder's)
CAPSTONE = "notebooks/05_design_a_settlement.ipynb"

# What each command installs (extras of pyproject.toml).
EXTRAS = {"lab": ["app"], "app": ["app"], "fast": ["test"], "test": ["test", "integration"]}
# `--fast` leaves out what needs a browser, repo2docker, a server or a kernel per notebook.
FAST = ["--ignore=tests/browser", "-m", "not slow"]
# Two pytest workers (pytest-xdist, in the test extra) where there are two cores: the browser
# tests on one, the other files on whichever is free (tests/conftest.py says how they are split).
# `-n 0` (or `-p no:xdist`) after `test` runs everything in one process.
PARALLEL = ["-n", "2"]


def _parallel(rest):
    """PARALLEL unless the machine has one core or the arguments choose for themselves."""
    chosen = any(a in ("-n", "--numprocesses", "no:xdist") or a.startswith(("-n", "--numproc"))
                 for a in rest)
    return [] if chosen or (os.cpu_count() or 1) < 2 else PARALLEL


def course_env(base=None):
    """The environment Binder's binder/start gives the server: the repository on PYTHONPATH, its
    Jupyter data (Voila's offline template) and config (news pop-up off, Voila's template)."""
    env = dict(os.environ if base is None else base)
    for var, path in (("PYTHONPATH", ROOT), ("JUPYTER_PATH", ROOT / "share" / "jupyter"),
                      ("JUPYTER_CONFIG_PATH", ROOT / "etc" / "jupyter")):
        env[var] = os.pathsep.join([str(path)] + ([env[var]] if env.get(var) else []))
    return env


def _pins_hash():
    text = (ROOT / "pyproject.toml").read_bytes()
    if CONSTRAINTS.exists():
        text += CONSTRAINTS.read_bytes()
    return hashlib.sha256(text).hexdigest()


def _installed():
    """(pins hash, extras) of the last install, or (None, []) when there is none."""
    try:
        stamp = json.loads(STAMP.read_text())
        return stamp["hash"], stamp["extras"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, []


def setup(extras):
    """Create .venv and install the course with ``extras`` at the pinned versions (skipped when
    the pins, pyproject.toml and the extras already installed cover it)."""
    if sys.version_info < (3, 11):
        sys.exit("The course needs Python 3.11 or newer.")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    want = _pins_hash()
    done_hash, done_extras = _installed()
    if done_hash == want and set(extras) <= set(done_extras):
        return
    if done_hash == want:
        extras = sorted(set(extras) | set(done_extras))
    print(f"Installing the course and its packages ({', '.join(extras)}) into .venv ...",
          flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["--upgrade", "pip"], check=True)
    target = ["-e", f"{ROOT}[{','.join(extras)}]"]
    if not CONSTRAINTS.exists():
        print("No requirements/constraints.txt: installing the newest versions (not pinned).")
        subprocess.run(pip + target, check=True)
    elif subprocess.run(pip + ["-c", str(CONSTRAINTS)] + target).returncode:
        if sys.version_info[:2] == PINNED_PYTHON:
            sys.exit("Installing the pinned packages failed (see above).")
        print(f"The pins are made for Python {'.'.join(map(str, PINNED_PYTHON))} and do not all "
              f"install on {sys.version.split()[0]}: installing the newest versions instead "
              "(untested).", flush=True)
        subprocess.run(pip + target, check=True)
    STAMP.write_text(json.dumps({"hash": want, "extras": sorted(extras)}))


# Debian packages the browser tests need (tests/browser/), and a file each one installs.
BROWSER_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "fonts-noto-cjk": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Japanese names
}


def browser_for_ci():
    """Under CI (CI=true) with apt-get, install Chromium and CJK fonts when missing: the browser
    tests fail under CI without them (on a laptop they skip and say how to enable them)."""
    if os.environ.get("CI") != "true" or not shutil.which("apt-get"):
        return
    missing = [pkg for pkg, path in BROWSER_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print(f"Installing {', '.join(missing)} for the browser tests ...", flush=True)
    subprocess.run(sudo + ["apt-get", "update", "-q"], check=True, env=env)
    apt = ["apt-get", "install", "-y", "-q", "--no-install-recommends"]
    subprocess.run(sudo + apt + missing, check=True, env=env)


def command(argv):
    """(extras to install, command to run, environment) for the command line ``argv``."""
    if not argv or argv[0] not in ("lab", "app", "test") or (argv[0] != "test" and len(argv) > 1):
        sys.exit(__doc__)
    if argv[0] == "lab":
        return EXTRAS["lab"], [str(BIN / "jupyter"), "lab", "notebooks/00_start_here.ipynb"], \
            course_env()
    if argv[0] == "app":
        return EXTRAS["app"], [str(BIN / "voila"), CAPSTONE], course_env()
    pytest, rest = [str(PY), "-m", "pytest"], argv[1:]
    if rest[:1] == ["--fast"]:
        rest = rest[1:]
        given = any((ROOT / a.split("::")[0]).exists() for a in rest if not a.startswith("-"))
        paths = [] if given else ["tests"]
        return EXTRAS["fast"], pytest + _parallel(rest) + FAST + paths + rest, dict(os.environ)
    return EXTRAS["test"], pytest + _parallel(rest) + rest, dict(os.environ)


def main(argv):
    extras, cmd, env = command(argv)
    setup(extras)
    if argv[0] == "test" and argv[1:2] != ["--fast"]:
        browser_for_ci()
    os.chdir(ROOT)
    return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
