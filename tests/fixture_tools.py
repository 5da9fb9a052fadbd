"""Small tools shared by the tests that run on tests/fixtures/data (a tiny valid dataset)."""

import csv
from pathlib import Path

from helpers import data

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"


def raw(dest, name):
    """Rows of ``dest/<name>.csv`` read with the csv module, independently of helpers.data."""
    with open(dest / f"{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def edit(dest, name, row_id, **changes):
    """Change cells of one row of ``dest/<name>.csv``, then make the loaders re-read it."""
    rows = raw(dest, name)
    for r in rows:
        if r["id"] == row_id:
            r.update(changes)
    with open(dest / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    data.reload()
