#!/usr/bin/env python3
"""Refresh the exact pins: what the tests install and what Binder builds.

    .venv/bin/python scripts/pin_environment.py    # resolve, then write the three files below
    python3 run.py test                             # reinstall .venv from the new pins and test

pip resolves the course with every extra the tests use (plus `notebook`, which Binder's base image
carries), taking the newest release of each package that requirements/holds.txt allows, and writes:

- requirements/constraints.txt: every package, `name==version`; run.py installs .venv with `-c`;
- binder/environment.yml: the runtime packages, the app (Voila) and `notebook`, with all their
  dependencies, pinned to the same versions (repo2docker reads binder/ before the top-level files);
- the floors in pyproject.toml and environment.yml, raised to the pinned versions: the floors are
  what the tests ran, nothing older is claimed.

Run it with Python 3.11 on Linux, the Python Binder uses (the pins are resolved for it). It needs
the network (PyPI) and `packaging` (in .venv).
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

try:
    import tomllib
except ImportError:  # pragma: no cover - the script asks for 3.11 below
    tomllib = None

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "3.11"
HOLDS = ROOT / "requirements" / "holds.txt"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
BINDER = ROOT / "binder" / "environment.yml"
EXTRAS = ("app", "test", "integration")
# Binder's base image (repo2docker) already has these; pinning them keeps its Jupyter coherent.
BINDER_EXTRA = ("notebook",)

CONSTRAINTS_HEAD = f"""\
# Exact versions the tests run (python3 run.py installs .venv with -c this file), resolved for
# Python {PYTHON} on Linux. Written by scripts/pin_environment.py: do not edit by hand; deliberate
# holds live in requirements/holds.txt.
"""
BINDER_HEAD = """\
# Binder's environment (repo2docker reads binder/ before the top-level files). Exact pins: the
# course's runtime packages, the app (Voila) and Binder's `notebook`, with all their dependencies,
# at the versions in requirements/constraints.txt, i.e. what the tests ran. Written by
# scripts/pin_environment.py: do not edit by hand. Python stays at the minor version of
# repo2docker's own base environment, so conda does not re-solve it. The repository itself is not
# installed here: binder/start puts it on PYTHONPATH, so edits to notebooks or data reuse the
# cached environment.
"""


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def resolve():
    """pip's resolution of the course with its extras, as {canonical name: (version, requires)}."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "-q",
               "--disable-pip-version-check", "--report", str(report), "-c", str(HOLDS),
               f"{ROOT}[{','.join(EXTRAS)}]", *BINDER_EXTRA]
        subprocess.run(cmd, check=True)
        items = json.loads(report.read_text())["install"]
    own = canonicalize_name(project()["name"])
    out = {}
    for item in items:
        meta = item["metadata"]
        name = canonicalize_name(meta["name"])
        if name != own:
            out[name] = (meta["version"], meta.get("requires_dist") or [])
    return out


def closure(roots, resolved):
    """Every package the requirements ``roots`` pull in, markers evaluated for this Python."""
    seen, todo = set(), [Requirement(r) for r in roots]
    extras_seen = {}
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        extras = set(req.extras)
        if name in seen and extras <= extras_seen[name]:
            continue
        seen.add(name)
        extras_seen[name] = extras_seen.get(name, set()) | extras
        for dep in resolved[name][1]:
            dep = Requirement(dep)
            if dep.marker is None or any(dep.marker.evaluate({"extra": e})
                                         for e in extras_seen[name] | {""}):
                todo.append(Requirement(str(dep).split(";")[0]))
    return seen


def runtime_roots():
    p = project()
    return [*p["dependencies"], *p["optional-dependencies"]["app"], *BINDER_EXTRA]


def write_constraints(resolved):
    lines = [f"{name}=={resolved[name][0]}" for name in sorted(resolved)]
    CONSTRAINTS.write_text(CONSTRAINTS_HEAD + "\n".join(lines) + "\n")


def write_binder(resolved):
    names = sorted(closure(runtime_roots(), resolved))
    pins = "\n".join(f"      - {n}=={resolved[n][0]}" for n in names)
    BINDER.write_text(BINDER_HEAD + "name: kuril-course\nchannels:\n  - conda-forge\n"
                      f"dependencies:\n  - python={PYTHON}\n  - pip\n  - pip:\n{pins}\n")


def raise_floors(resolved):
    """Set every `name>=x` floor of the runtime and app packages to the pinned version."""
    p = project()
    names = [Requirement(r).name for r in [*p["dependencies"], *p["optional-dependencies"]["app"]]]
    for path in (ROOT / "pyproject.toml", ROOT / "environment.yml"):
        text = path.read_text()
        for name in names:
            version = resolved[canonicalize_name(name)][0]
            text = re.sub(rf"(?m)(^\s*(?:- )?\"?{re.escape(name)})>=[^\s\",]+",
                          rf"\g<1>>={version}", text)
        path.write_text(text)


def main():
    if f"{sys.version_info[0]}.{sys.version_info[1]}" != PYTHON:
        sys.exit(f"Run this with Python {PYTHON} (Binder's), e.g. .venv/bin/python; "
                 f"this is {sys.version.split()[0]}.")
    resolved = resolve()
    write_constraints(resolved)
    write_binder(resolved)
    raise_floors(resolved)
    print(f"Pinned {len(resolved)} packages; Binder gets "
          f"{len(closure(runtime_roots(), resolved))}. Now run: python3 run.py test")


if __name__ == "__main__":
    main()
