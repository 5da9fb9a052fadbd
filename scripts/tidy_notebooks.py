#!/usr/bin/env python3
"""Keep the lesson notebooks in one form: nbformat 4.5, stable cell ids, no outputs.

    python scripts/tidy_notebooks.py            # rewrite notebooks/*.ipynb in place
    python scripts/tidy_notebooks.py --check    # list notebooks that are not tidy; exit 1 if any

JupyterLab 4 gives every cell a random id on save when a notebook is older than 4.5; ids that change
on every save make diffs noisy and nbgitpuller merges conflict. Here a cell keeps its id once it has
one; a cell without one gets the next free `c<number>`. Standard library only, so the pre-commit hook
and CI run it without the course's packages.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VALID_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def tidy(nb: dict) -> dict:
    """Return the notebook in the course's form (the input is not changed)."""
    nb = json.loads(json.dumps(nb))
    nb["nbformat"], nb["nbformat_minor"] = 4, 5
    meta = nb.setdefault("metadata", {})
    meta["kernelspec"] = dict(KERNELSPEC)
    meta["language_info"] = {"name": "python"}
    seen, cells = set(), nb.get("cells", [])
    for cell in cells:
        cid = cell.get("id")
        if isinstance(cid, str) and VALID_ID.match(cid) and cid not in seen:
            seen.add(cid)
        else:
            cell.pop("id", None)
    n = 0
    for cell in cells:
        if "id" not in cell:
            n += 1
            while f"c{n:03d}" in seen:
                n += 1
            cell["id"] = f"c{n:03d}"
            seen.add(cell["id"])
        if isinstance(cell.get("source"), str):
            cell["source"] = cell["source"].splitlines(keepends=True)
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
        cell.setdefault("metadata", {})
        for key in ("execution", "collapsed", "scrolled"):
            cell["metadata"].pop(key, None)
    return nb


def dumps(nb: dict) -> str:
    """Serialise as nbformat does (one-space indent, sorted keys, UTF-8 text)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def lesson_paths(args):
    paths = [Path(a) for a in args if not a.startswith("--")]
    return paths or sorted((ROOT / "notebooks").glob("*.ipynb"))


def main(argv) -> int:
    check = "--check" in argv
    untidy = []
    for path in lesson_paths(argv):
        text = path.read_text(encoding="utf-8")
        want = dumps(tidy(json.loads(text)))
        if text != want:
            untidy.append(path)
            if not check:
                path.write_text(want, encoding="utf-8")
    for path in untidy:
        print(f"{path}: {'not tidy (run python scripts/tidy_notebooks.py)' if check else 'tidied'}")
    return 1 if (check and untidy) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
