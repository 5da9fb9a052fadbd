"""Shared bits: where things are, which notebooks and helper modules the lessons use, timing."""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PYTHON = sys.executable


def notebooks():
    """Every lesson notebook, picked up from notebooks/ (a new lesson joins automatically)."""
    return sorted(p for p in NOTEBOOKS.glob("[0-9]*.ipynb") if ".ipynb_checkpoints" not in str(p))


_IMPORT = re.compile(
    r"^\s*from\s+helpers\s+import\s+(\([^)]*\)|[^\n]+)|^\s*import\s+helpers\.(\w+)", re.M)


def lesson_modules(paths=None):
    """The helpers submodules the lessons import, in first-seen order."""
    found = []
    for path in paths or notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        for names, module in _IMPORT.findall(source):
            names = re.sub(r"#[^\n]*", "", names).strip("()")
            for name in (names.split(",") if names else [module]):
                name = name.split(" as ")[0].strip()
                if name.isidentifier() and name not in found:
                    found.append(name)
    return found


def quiet_env(**extra):
    """Environment for child processes: journals in a temp folder, never the learner's; Python
    writes its bytecode cache as it does for a learner (a shell with PYTHONDONTWRITEBYTECODE set
    would make every fresh interpreter compile the helpers again, 50-60 ms, while pandas, plotly
    and ipywidgets come compiled from their wheels: the floors would not be like for like)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("KURIL_JOURNAL_DIR", tempfile.mkdtemp(prefix="kuril-bench-journal-"))
    env.update(extra)
    return env


def kernel_manager():
    """A python3 kernel manager on IPC sockets in a fresh temp folder.

    TCP kernels pick free ports just before binding them, so kernels started at the same moment
    by other processes (a test run, another benchmark) can collide and hang; IPC cannot.
    """
    from jupyter_client import KernelManager

    folder = tempfile.mkdtemp(prefix="kuril-bench-kernel-")
    return KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(folder, "k"))


def wall(cmd, **kwargs):
    """Run ``cmd``; return (seconds, CompletedProcess)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - start, proc


def log(message):
    print(message, file=sys.stderr, flush=True)
