"""Packaging: pyproject.toml, the conda files and the pins agree; the tests run what is pinned;
Binder's start script and run.py set up the same environment; notebooks carry no outputs; pytest
collects the lessons only and runs them in this environment."""

import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from helpers.course import lesson_files

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
HOLDS = ROOT / "requirements" / "holds.txt"
BINDER_ENV = ROOT / "binder" / "environment.yml"
LESSONS = [p for p in lesson_files(ROOT / "notebooks") if p.name[:2].isdigit()]


def _split(spec):
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _runtime():
    """The runtime packages and the app (Voila): what Binder and conda users install."""
    project = _project()
    return [*project["dependencies"], *project["optional-dependencies"]["app"]]


def _pins(lines):
    """{canonical name: version} of the `name==version` lines (comments and blanks skipped)."""
    out = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"{line!r} is not an exact pin"
            out[canonicalize_name(req.name)] = spec.version
    return out


def _constraints():
    return _pins(CONSTRAINTS.read_text().splitlines())


def _binder_pins():
    deps = yaml.safe_load(BINDER_ENV.read_text())["dependencies"]
    (pip,) = [d["pip"] for d in deps if isinstance(d, dict)]
    return _pins(pip)


def _run_py():
    spec = importlib.util.spec_from_file_location("kuril_run", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_environment_yml_lists_the_same_runtime_packages_as_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_split(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("python")
    assert conda == dict(_split(d) for d in _runtime())


@pytest.mark.parametrize("path", ["environment.yml", "binder/environment.yml"])
def test_conda_environments_install_no_local_path(path):
    """Nothing from the repository goes into the environment (binder/start adds it to PYTHONPATH),
    so editing notebooks or data never invalidates Binder's cached environment."""
    deps = yaml.safe_load((ROOT / path).read_text())["dependencies"]
    specs = [d for d in deps if isinstance(d, str)] + [s for d in deps if isinstance(d, dict)
                                                       for s in d["pip"]]
    assert specs
    local = [s for s in specs if re.search(r"^-e\b|^\.|file:|/|\\", s.strip())]
    assert not local


def test_binder_pins_are_the_tested_versions():
    """Binder builds exactly the versions the tests install (requirements/constraints.txt)."""
    binder, tested = _binder_pins(), _constraints()
    assert {n: v for n, v in binder.items() if tested.get(n) != v} == {}


def test_binder_has_every_package_the_runtime_needs():
    """The closure of the runtime and app requirements, read from the installed metadata, is in
    binder/environment.yml: nothing is left for conda or pip to choose on the day."""
    binder = _binder_pins()
    todo, seen, missing = [Requirement(r) for r in _runtime()], set(), set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen or (req.marker and not req.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        if name not in binder:
            missing.add(name)
        for dep in importlib.metadata.requires(name) or []:
            dep = Requirement(dep)
            if dep.marker is None or any(dep.marker.evaluate({"extra": e})
                                         for e in [*req.extras, ""]):
                todo.append(Requirement(dep.name + (f"[{','.join(dep.extras)}]"
                                                    if dep.extras else "")))
    assert not missing, (f"binder/environment.yml lacks {sorted(missing)}: "
                         "run scripts/pin_environment.py")


def test_floors_are_the_tested_versions():
    """Each runtime floor (`pandas>=x`) is the version the tests run: nothing older is claimed."""
    tested = _constraints()
    for spec in _runtime():
        req = Requirement(spec)
        (floor,) = [s for s in req.specifier if s.operator == ">="]
        assert floor.version == tested[canonicalize_name(req.name)], spec


def test_holds_are_in_the_pins():
    holds = _pins(HOLDS.read_text().splitlines())
    tested = _constraints()
    assert holds and {n: v for n, v in holds.items() if tested.get(n) != v} == {}


def test_this_environment_is_the_pinned_one():
    """The tests run the pinned versions: `python3 run.py test` installs .venv with -c
    requirements/constraints.txt (a package upgraded by hand shows up here)."""
    tested = _constraints()
    drift = {}
    for dist in importlib.metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name in tested and Version(dist.version) != Version(tested[name]):
            drift[name] = f"{dist.version} installed, {tested[name]} pinned"
    assert not drift, (f"{drift}: reinstall with `rm .venv/.installed && python3 run.py test`, "
                       "or refresh the pins (scripts/pin_environment.py)")


@pytest.mark.skipif(shutil.which("bash") is None, reason="binder/start is a bash script")
def test_binder_start_and_run_py_set_up_the_same_environment():
    """Binder runs the server through binder/start; run.py sets the same variables for `lab`."""
    base = {"PATH": os.environ["PATH"], "REPO_DIR": str(ROOT), "HOME": str(ROOT)}
    out = subprocess.run(["bash", str(ROOT / "binder" / "start"), "env", "-0"], env=base,
                         capture_output=True, text=True, check=True).stdout
    start = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    run = _run_py().course_env(base)
    names = ("PYTHONPATH", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH")
    assert {n: start.get(n) for n in names} == {n: run.get(n) for n in names}
    for n in names[1:]:
        assert Path(start[n]).is_dir(), f"{n}={start[n]} is not a folder of the repository"


def test_start_script_keeps_variables_already_set():
    if shutil.which("bash") is None:
        pytest.skip("binder/start is a bash script")
    base = {"PATH": os.environ["PATH"], "REPO_DIR": "/repo", "JUPYTER_PATH": "/theirs"}
    out = subprocess.run(["bash", str(ROOT / "binder" / "start"), "printenv", "JUPYTER_PATH"],
                         env=base, capture_output=True, text=True, check=True).stdout.strip()
    assert out == "/repo/share/jupyter:/theirs"
    assert _run_py().course_env({"JUPYTER_PATH": "/theirs"})["JUPYTER_PATH"] == os.pathsep.join(
        [str(ROOT / "share" / "jupyter"), "/theirs"])


def test_notebooks_are_committed_without_outputs():
    assert LESSONS
    for nb in LESSONS:
        cells = json.loads(nb.read_text())["cells"]
        dirty = [
            i
            for i, c in enumerate(cells)
            if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
        ]
        assert not dirty, f"{nb.name}: cells {dirty} carry outputs; clear them before committing"


def _tidy():
    import importlib.util

    spec = importlib.util.spec_from_file_location("tidy", ROOT / "scripts" / "tidy_notebooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_notebooks_are_nbformat_4_5_with_stable_ids():
    """Is every lesson already in the form the tidy script (and the pre-commit hook) writes?"""
    tidy = _tidy()
    for nb in LESSONS:
        text = nb.read_text(encoding="utf-8")
        data = json.loads(text)
        assert (data["nbformat"], data["nbformat_minor"]) == (4, 5), nb.name
        ids = [c.get("id") for c in data["cells"]]
        assert all(ids) and len(set(ids)) == len(ids), f"{nb.name}: missing or repeated cell ids"
        assert text == tidy.dumps(tidy.tidy(data)), (
            f"{nb.name} is not tidy: run python scripts/tidy_notebooks.py"
        )


def test_tidy_keeps_existing_ids_and_numbers_new_cells():
    """Does a 4.4 notebook gain ids without disturbing the ids cells already have?"""
    tidy = _tidy()
    old = {"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "a", "id": "c001"},
        {"cell_type": "code", "metadata": {}, "source": "1", "outputs": [{"x": 1}],
         "execution_count": 3},
        {"cell_type": "markdown", "metadata": {}, "source": "b", "id": "c001"},
        {"cell_type": "markdown", "metadata": {}, "source": "c", "id": "keep-me"},
    ]}
    new = tidy.tidy(old)
    assert [c["id"] for c in new["cells"]] == ["c001", "c002", "c003", "keep-me"]
    assert new["nbformat_minor"] == 5 and new["cells"][1]["outputs"] == []
    assert new["cells"][1]["execution_count"] is None
    assert tidy.tidy(new) == new


def test_notebooks_do_not_edit_sys_path():
    for nb in LESSONS:
        src = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"])
        assert "sys.path" not in src, nb.name


def _notebook(*sources):
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
              "outputs": [], "source": s} for i, s in enumerate(sources)]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {
        "display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5})


def _pytest_in(tmp_path, *args, env=None):
    """pytest run in a scratch project that has this repository's pytest configuration."""
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]
    return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env=env)


@pytest.mark.slow
def test_pytest_collects_the_lessons_but_not_scratch_notebooks(tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_one.py").write_text("def test_one():\n    pass\n")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("00_start_here.ipynb", "07_a_new_lesson.ipynb", "Untitled.ipynb",
                 "scratch-maps.ipynb", "Untitled1.ipynb"):
        (notebooks / name).write_text(_notebook("1 + 1"))
    run = _pytest_in(tmp_path, "--collect-only", "-q")
    assert run.returncode == 0, run.stdout + run.stderr
    collected = {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}
    assert collected == {"tests/test_one.py", "notebooks/00_start_here.ipynb",
                         "notebooks/07_a_new_lesson.ipynb"}


@pytest.mark.slow
def test_lessons_run_in_this_environment_whatever_kernel_the_user_has(tmp_path):
    """A user-level `python3` kernelspec pointing elsewhere must not run the lessons: nbval uses
    the current environment (--nbval-current-env). Jupyter prefers the venv's kernelspec by default,
    but not for a user who sets JUPYTER_PREFER_ENV_PATH=0; without the option that run fails."""
    data = tmp_path / "jupyter-data"
    spec = data / "kernels" / "python3"
    spec.mkdir(parents=True)
    spec.joinpath("kernel.json").write_text(json.dumps({
        "argv": [str(tmp_path / "no-such-python"), "-m", "ipykernel_launcher", "-f",
                 "{connection_file}"],
        "display_name": "Python 3 (elsewhere)", "language": "python"}))
    (tmp_path / "notebooks").mkdir()
    check = f"import sys\nassert sys.prefix == {sys.prefix!r}, sys.prefix"
    (tmp_path / "notebooks" / "00_lesson.ipynb").write_text(_notebook(check))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTEST"))}
    env.update(JUPYTER_PREFER_ENV_PATH="0", JUPYTER_DATA_DIR=str(data),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    ours = _pytest_in(tmp_path, "notebooks", env=env)
    assert ours.returncode == 0, ours.stdout[-3000:] + ours.stderr[-3000:]
    opts = _project_addopts().replace("--nbval-current-env", "")
    theirs = _pytest_in(tmp_path, "notebooks", "-o", f"addopts={opts}", env=env)
    assert theirs.returncode != 0, "the user's kernelspec was not used: this test proves nothing"


def _project_addopts():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"][
        "addopts"]


def test_run_py_fast_selects_the_fast_tests_and_keeps_pytest_arguments():
    run = _run_py()
    extras, cmd, _ = run.command(["test", "--fast"])
    assert extras == ["test"] and cmd[-4:] == ["--ignore=tests/browser", "-m", "not slow", "tests"]
    _, cmd, _ = run.command(["test", "--fast", "-x", "-k", "maps"])
    assert cmd[-6:] == ["-m", "not slow", "tests", "-x", "-k", "maps"]
    _, cmd, _ = run.command(["test", "--fast", "tests/test_maps.py::test_x"])
    assert "tests" not in cmd and cmd[-1] == "tests/test_maps.py::test_x" and "not slow" in cmd
    extras, cmd, _ = run.command(["test"])
    assert set(extras) == {"test", "integration"} and cmd[3:] == run._parallel([])
    assert run._parallel([]) == (["-n", "2"] if (os.cpu_count() or 1) >= 2 else [])
    for own in (["-n", "0"], ["-n4"], ["-p", "no:xdist"], ["--numprocesses=3"]):
        assert run.command(["test", *own])[1][3:] == own  # the caller's choice, not ours
    for name in ("lab", "app"):
        extras, cmd, env = run.command([name])
        assert extras == ["app"]
        assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(ROOT / "etc" / "jupyter")
    with pytest.raises(SystemExit):
        run.command(["lab", "--fast"])


@pytest.mark.slow
def test_the_fast_selection_leaves_out_browser_binder_servers_and_notebooks():
    """What `python3 run.py test --fast` collects: no browser test, no Binder dry run or server,
    no notebook run, nothing marked slow."""
    cmd = _run_py().command(["test", "--fast"])[1]
    run = subprocess.run([sys.executable, *cmd[1:], "--collect-only", "-q"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    ids = [line for line in run.stdout.splitlines() if "::" in line]
    assert run.returncode == 0 and len(ids) > 100, run.stdout[-2000:] + run.stderr[-2000:]
    slow = [i for i in ids if i.startswith(("tests/browser/", "tests/test_binder.py", "notebooks/"))
            or "whatever_kernel" in i or "scratch_notebooks" in i or "fast_selection" in i]
    assert not slow, slow
