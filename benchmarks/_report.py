"""The results table: one row per figure, each set against its floor from the same run.

A row holds what was measured, the floor it is compared with and the budget. A budget is either a
ratio to the floor (``ratio=1.5``) or an absolute limit in the row's unit (``limit=50``); a row
with neither is shown for information. This module does no timing, so it is tested on fake numbers
(tests/test_benchmarks.py).
"""

import math
from dataclasses import dataclass, field

UNITS = {"s": "{:.2f} s", "ms": "{:.1f} ms", "KB": "{:.1f} KB", "MB": "{:.2f} MB",
         "min": "{:.2f} min", "n": "{:.0f}"}


@dataclass
class Row:
    section: str
    item: str
    value: float | None  # None: could not be measured (``note`` says why)
    unit: str
    floor: float | None = None
    ratio: float | None = None  # budget: value <= ratio * floor
    limit: float | None = None  # budget: value <= limit (same unit as value)
    p95: float | None = None  # for timings with a spread; the limit applies to it too
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def times_floor(self):
        """value / floor, or the ratio measured pair by pair when the section gives one."""
        if self.value is None or not self.floor:
            return None
        return self.extra.get("times_floor", self.value / self.floor)

    @property
    def ok(self):
        """True (within budget), False (over it), None (no budget, or nothing measured)."""
        if self.value is None or (self.ratio is None and self.limit is None):
            return None
        good = True
        if self.ratio is not None:
            good &= self.times_floor is not None and self.times_floor <= self.ratio
        if self.limit is not None:
            good &= max(self.value, self.p95 or 0) <= self.limit
        return good

    def budget_text(self):
        parts = []
        if self.ratio is not None:
            parts.append(f"≤ {self.ratio:g}× floor")
        if self.limit is not None:
            p95 = " (p95)" if self.p95 is not None else ""
            parts.append(f"≤ {self.limit:g} {self.unit}{p95}")
        return ", ".join(parts) or "—"


def fmt(value, unit):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return UNITS.get(unit, "{:g} " + unit).format(value)


def cells(row):
    value = fmt(row.value, row.unit)
    if row.p95 is not None:
        value += f" (p95 {fmt(row.p95, row.unit)})"
    ratio = row.times_floor
    verdict = {True: "ok", False: "OVER", None: "n/a" if row.value is None else "info"}[row.ok]
    return [row.section, row.item, value, fmt(row.floor, row.unit),
            "—" if ratio is None else f"{ratio:.2f}×", row.budget_text(), verdict, row.note]


HEAD = ["section", "item", "measured", "floor", "× floor", "budget", "verdict", "note"]


def text_table(rows):
    """A fixed-width table for the terminal."""
    body = [cells(r) for r in rows]
    widths = [max(len(str(line[i])) for line in [HEAD, *body]) for i in range(len(HEAD))]
    widths[-1] = 0  # notes run on
    out = ["  ".join(h.ljust(w) for h, w in zip(HEAD, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * max(w, 4) for w in widths).rstrip())
    out += ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in body]
    return "\n".join(out)


def markdown_table(rows):
    """The same table in Markdown (for BENCHMARKS.md)."""
    esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
    out = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    out += ["| " + " | ".join(esc(c) for c in cells(r)) + " |" for r in rows]
    return "\n".join(out)


def summary(rows):
    """One line: how many budgets were met, missed, or could not be measured."""
    met = sum(r.ok is True for r in rows)
    missed = [r for r in rows if r.ok is False]
    absent = sum(r.value is None for r in rows)
    line = f"{met} within budget, {len(missed)} over"
    if absent:
        line += f", {absent} not measured"
    if missed:
        line += ": " + "; ".join(f"{r.section}/{r.item}" for r in missed)
    return line


def median(values):
    values = sorted(values)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def p95(values):
    """The 95th percentile (nearest rank), so it is always one of the measured values."""
    values = sorted(values)
    if not values:
        return None
    return values[max(0, math.ceil(0.95 * len(values)) - 1)]
