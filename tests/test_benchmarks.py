"""Does the benchmark command's table code work? Fake numbers only: nothing here is timed."""

import json

import pytest

from benchmarks import __main__ as cli
from benchmarks import _report
from benchmarks._report import Row
from benchmarks._util import lesson_modules, notebooks


def test_ratio_budget_met_and_missed():
    """Is a ratio budget judged against the floor, not against the raw value?"""
    assert Row("lessons", "a", 14.0, "s", floor=10.0, ratio=1.5).ok is True
    assert Row("lessons", "b", 16.0, "s", floor=10.0, ratio=1.5).ok is False
    assert Row("lessons", "c", 16.0, "s", floor=10.0, ratio=1.5).times_floor == pytest.approx(1.6)


def test_limit_applies_to_the_95th_percentile():
    """Is a timing over budget when only its p95 is over the limit?"""
    assert Row("interaction", "x", 20.0, "ms", limit=50, p95=49.0).ok is True
    assert Row("interaction", "x", 20.0, "ms", limit=50, p95=51.0).ok is False


def test_rows_without_budget_or_value_are_neither_ok_nor_over():
    assert Row("browser", "floor", 100.0, "ms").ok is None
    assert Row("interaction", "broken", None, "ms", limit=50, note="not measured").ok is None


def test_text_and_markdown_tables_show_every_row():
    rows = [Row("import", "import helpers", 0.9, "s", floor=0.8, ratio=1.2),
            Row("payload", "JSON map | big", 70.0, "KB", floor=6.4, limit=60),
            Row("interaction", "broken", None, "ms", limit=50, note="not measured: boom")]
    text = _report.text_table(rows)
    assert "1.12×" in text and "OVER" in text and "not measured: boom" in text
    md = _report.markdown_table(rows).splitlines()
    assert len(md) == 2 + len(rows)
    assert "map \\| big" in md[3]  # a pipe in an item must not split the Markdown cell
    assert _report.summary(rows) == (
        "1 within budget, 1 over, 1 not measured: payload/JSON map | big")


def test_median_and_p95_use_measured_values():
    values = [float(v) for v in range(1, 21)]  # 1..20
    assert _report.median(values) == 10.5
    assert _report.p95(values) == 19.0
    assert _report.median([]) is None and _report.p95([]) is None


def test_cli_prints_the_table_and_fails_on_a_missed_budget(monkeypatch, capsys, tmp_path):
    """Does `python -m benchmarks --only` run just the chosen sections and exit 1 when over?"""
    ran = []

    def fake(name, args):
        ran.append(name)
        return [Row(name, "fake", 2.0, "s", floor=1.0, ratio=1.5)]

    monkeypatch.setattr(cli, "_run", fake)
    out = tmp_path / "rows.json"
    code = cli.main(["--only", "import,interaction", "--json", str(out)])
    assert ran == ["import", "interaction"]
    assert code == 1
    printed = capsys.readouterr().out
    assert "2.00×" in printed and "0 within budget, 2 over" in printed
    assert [r["section"] for r in json.loads(out.read_text())["rows"]] == ran


def test_cli_rejects_an_unknown_section():
    with pytest.raises(SystemExit, match="unknown section 'speed'"):
        cli.main(["--only", "speed"])


def test_every_lesson_notebook_is_picked_up():
    """A new notebook in notebooks/ joins the lesson and import sections without a code change."""
    names = [p.name for p in notebooks()]
    assert names == sorted(names) and "00_start_here.ipynb" in names
    assert {"maps", "quiz", "journal"} <= set(lesson_modules())


def test_lesson_imports_are_read_from_the_notebooks(tmp_path):
    """Are one-line, parenthesised and dotted imports of helpers all found, comments ignored?"""
    cells = ["from helpers import maps, quiz as q  # the map and the questions",
             "from helpers import (\n    timeline,\n    names,\n)",
             "import helpers.settlement\nimport pandas as pd"]
    nb = {"cells": [{"cell_type": "code", "source": c} for c in cells]
          + [{"cell_type": "markdown", "source": "from helpers import nothing"}]}
    path = tmp_path / "09_test.ipynb"
    path.write_text(json.dumps(nb))
    assert lesson_modules([path]) == ["maps", "quiz", "timeline", "names", "settlement"]


def test_a_ratio_measured_in_pairs_is_the_one_judged():
    """When runs are paired with floor runs, is the median of the pairs used, not value/floor?"""
    row = Row("lessons", "05", 3.0, "s", floor=2.0, ratio=1.5, extra={"times_floor": 1.4})
    assert row.times_floor == 1.4 and row.ok is True
    assert "1.40×" in _report.text_table([row])
