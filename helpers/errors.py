"""Problems found in course files, reported in words an instructor can act on."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where it is and what is allowed instead."""

    file: str
    where: str  # a row number ("row 12") or an id ("exercise shimoda-1")
    field: str
    message: str

    def __str__(self):
        where = f", {self.where}" if self.where else ""
        field = f", column/field '{self.field}'" if self.field else ""
        return f"{self.file}{where}{field}: {self.message}"


class DataError(ValueError):
    """Raised when a course file cannot be used. ``problems`` lists every issue found."""

    def __init__(self, problems):
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"... and {len(self.problems) - 20} more problems")
        super().__init__("\n".join(lines))

    def _repr_markdown_(self):
        items = "\n".join(f"- {p}" for p in self.problems)
        return f"**The course data has problems** (fix the file, then re-run the cell):\n\n{items}"
