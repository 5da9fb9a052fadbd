"""Packaging: Binder's environment.yml and pyproject.toml agree, and notebooks carry no outputs."""

import json
import re
from pathlib import Path

import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def _split(spec):
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_lists_the_same_runtime_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_split(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("python")
    pip = dict(_split(d) for d in project["dependencies"])
    assert conda == pip


def test_environment_yml_installs_no_local_path():
    text = (ROOT / "environment.yml").read_text()
    assert not re.search(r"-e\s|\s\.\s*$|file:|\./", text, re.M)


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for nb in notebooks:
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
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
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
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        src = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"])
        assert "sys.path" not in src, nb.name


def test_binder_start_script_puts_the_repository_on_pythonpath():
    start = (ROOT / "start").read_text()
    assert "PYTHONPATH" in start and 'exec "$@"' in start
