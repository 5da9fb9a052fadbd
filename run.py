#!/usr/bin/env python3
"""Set up the course in a local virtual environment, then launch JupyterLab or run the tests.

    python3 run.py lab     # set up, then open JupyterLab on the start-here notebook
    python3 run.py test    # set up, then run the whole test suite

Only the standard library is used here, so this works on a fresh machine with Python 3.10+.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def setup():
    """Create .venv and install the course with its test extra (skipped when nothing changed)."""
    if sys.version_info < (3, 10):
        sys.exit("The course needs Python 3.10 or newer.")
    if not PY.exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == want:
        return
    print("Installing the course and its packages into .venv ...", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["--upgrade", "pip"], check=True)
    subprocess.run(pip + ["-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(want)


def main(argv):
    if len(argv) != 1 or argv[0] not in ("lab", "test"):
        sys.exit(__doc__)
    setup()
    if argv[0] == "lab":
        cmd = [str(BIN / "jupyter"), "lab", "notebooks/00_start_here.ipynb"]
    else:
        cmd = [str(PY), "-m", "pytest"]
    os.chdir(ROOT)
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
