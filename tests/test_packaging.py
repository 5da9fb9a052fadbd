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


def test_notebooks_do_not_edit_sys_path():
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        src = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"])
        assert "sys.path" not in src, nb.name


def test_binder_start_script_puts_the_repository_on_pythonpath():
    start = (ROOT / "start").read_text()
    assert "PYTHONPATH" in start and 'exec "$@"' in start
