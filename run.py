#!/usr/bin/env python3
"""Set up the course in a local virtual environment, then launch JupyterLab or run the tests.

    python3 run.py lab     # set up, then open JupyterLab on the start-here notebook
    python3 run.py test    # set up, then run the whole test suite

Only the standard library is used here, so this works on a fresh machine with Python 3.10+.
"""

import hashlib
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


def main(argv):
    if len(argv) != 1 or argv[0] not in ("lab", "test"):
        sys.exit(__doc__)
    setup()
    if argv[0] == "lab":
        cmd = [str(BIN / "jupyter"), "lab", "notebooks/00_start_here.ipynb"]
    else:
        browser_for_ci()
        cmd = [str(PY), "-m", "pytest"]
    os.chdir(ROOT)
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
