"""Notebook edits for the student release: solution markers, instructor cells, outputs.

A solution is either a whole cell tagged ``solution`` or the lines between a line
``### BEGIN SOLUTION`` and a line ``### END SOLUTION`` in any cell, whatever their case
(``Solution``, ``### Begin Solution``): a capital letter never leaks one. In the student
release a solution becomes a placeholder line: ``pass  # Your answer here`` in code (it keeps
the cell valid Python) and *Write your answer here.* in Markdown. An unclosed, nested or stray
marker is an error naming the notebook and cell.
"""

import re

from ..errors import Problem

__all__ = [
    "BEGIN",
    "END",
    "INSTRUCTOR_TAG",
    "SOLUTION_TAG",
    "clear_solution",
    "has_tag",
    "without_tag",
    "marker_problems",
    "tags",
]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
INSTRUCTOR_TAG, SOLUTION_TAG = "instructor", "solution"
CODE_PLACEHOLDER = "pass  # Your answer here"
MARKDOWN_PLACEHOLDER = "*Write your answer here.*"
_MARKER = re.compile(r"^(\s*)###\s*(BEGIN|END)\s+SOLUTION\s*$", re.IGNORECASE)


def tags(cell):
    """The cell's tags as a list (a malformed tags entry counts as none)."""
    found = cell.get("metadata", {}).get("tags", [])
    return [t for t in found if isinstance(t, str)] if isinstance(found, list) else []


def has_tag(cell, tag):
    """Whether the cell carries ``tag``, whatever its case or surrounding spaces."""
    return any(t.strip().casefold() == tag for t in tags(cell))


def without_tag(cell, tag):
    """The cell's tags less every spelling of ``tag``."""
    return [t for t in tags(cell) if t.strip().casefold() != tag]


def where(index, cell):
    """'cell 3' (1-based, as shown in JupyterLab) plus the cell id when it has one."""
    cid = cell.get("id")
    return f"cell {index + 1}" + (f" (id {cid})" if cid else "")


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _scan(cell, label, index):
    """Return (lines, [(begin, end)], problems) for the markers of one cell."""
    lines = _source(cell).split("\n")
    blocks, problems, start = [], [], None
    for n, line in enumerate(lines):
        found = _MARKER.match(line)
        if not found:
            continue
        if found.group(2).upper() == "BEGIN":
            if start is not None:
                problems.append(Problem(label, where(index, cell), "source", (
                    f"'{BEGIN}' on line {n + 1} is inside the solution opened on line "
                    f"{start + 1}: close it with '{END}' first (solutions cannot be nested)")))
                return lines, [], problems
            start = n
        else:
            if start is None:
                problems.append(Problem(label, where(index, cell), "source", (
                    f"'{END}' on line {n + 1} has no '{BEGIN}' before it")))
                return lines, [], problems
            blocks.append((start, n))
            start = None
    if start is not None:
        problems.append(Problem(label, where(index, cell), "source", (
            f"'{BEGIN}' on line {start + 1} is never closed: add a line '{END}'")))
        return lines, [], problems
    return lines, blocks, problems


def marker_problems(nb, label):
    """Every marker mistake in notebook ``nb`` (named ``label`` in messages)."""
    return [p for i, cell in enumerate(nb.get("cells", [])) for p in _scan(cell, label, i)[2]]


def clear_solution(cell, label, index):
    """Return the cell's new source with solutions replaced; raise ValueError(problems)."""
    lines, blocks, problems = _scan(cell, label, index)
    if problems:
        raise ValueError(problems)
    code = cell.get("cell_type") == "code"
    placeholder = CODE_PLACEHOLDER if code else MARKDOWN_PLACEHOLDER
    if not blocks:
        return placeholder if has_tag(cell, SOLUTION_TAG) else None
    out, last = [], 0
    for begin, end in blocks:
        indent = _MARKER.match(lines[begin]).group(1)
        out += lines[last:begin] + [indent + placeholder]
        last = end + 1
    out += lines[last:]
    return "\n".join(out)
