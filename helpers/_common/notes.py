"""Instructor notes as data: one Markdown file per lesson in ``data/instructor_notes/``.

A line ``## <id>`` (lower-case letters, digits and hyphens) starts a note; the note is every line
up to the next such line, blank lines at either end dropped. Text before the first note (a title,
a word on the file) is not part of any note. ``README.md`` in the folder is not a notes file::

    # Instructor notes: Lesson 9

    ## l9-timing

    **Instructor notes.** Give Part 2 twenty minutes ...

A notebook shows a note in place with ``course.instructor_note("l9-timing")``; nothing here
imports the rest of the course, so ``check`` and ``build`` can read the notes cheaply.
"""

import re
from pathlib import Path

from ..errors import Problem

__all__ = ["FOLDER", "ID", "CALL", "read", "problems"]

FOLDER = "instructor_notes"  # inside the course's data folder
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADING = re.compile(r"^##[ \t]+(\S.*?)[ \t]*$")
# how a notebook cell asks for a note: course.instructor_note("id")
CALL = re.compile(r"""\binstructor_note\s*\(\s*(['"])([^'"\n]*)\1\s*\)""")
MAX_BYTES = 1_000_000


def _files(folder):
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name != "README.md")


def _label(folder, path):
    return f"data/{FOLDER}/{Path(path).name}" if Path(path).parent == Path(folder) else str(path)


def _parse(text):
    """``([(id or bad heading, line number, text)], problems-as-(line, message))``."""
    notes, bad, current, lines = [], [], None, []

    def close():
        if current is not None:
            body = "\n".join(lines).strip("\n")
            notes.append((current[0], current[1], body))

    for n, line in enumerate(text.split("\n"), start=1):
        heading = _HEADING.match(line)
        if heading:
            close()
            ident = heading.group(1)
            if not ID.match(ident):
                bad.append((n, f"'## {ident}' is not a note id: write '## ' then lower-case "
                               "letters, digits and hyphens, e.g. '## l1-framing'"))
            current, lines = (ident, n), []
        elif current is not None:
            lines.append(line)
    close()
    return notes, bad


def _read(folder):
    """``({id: (file label, text)}, problems)`` for every notes file in ``folder``."""
    found, probs = {}, []
    for path in _files(folder):
        label = _label(folder, path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            probs.append(Problem(label, "", "", f"could not be read ({exc.strerror or exc})"))
            continue
        if len(raw) > MAX_BYTES:
            probs.append(Problem(label, "", "", f"is larger than {MAX_BYTES:,} bytes: split it"))
            continue
        if b"\x00" in raw:
            probs.append(Problem(label, "", "", "contains a NUL byte: it is not a text file"))
            continue
        try:
            text = raw.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            probs.append(Problem(label, "", "", "is not UTF-8 text: save it as UTF-8"))
            continue
        notes, bad = _parse(text)
        probs += [Problem(label, f"line {n}", "", message) for n, message in bad]
        for ident, n, body in notes:
            if not ID.match(ident):
                continue
            if ident in found:
                probs.append(Problem(label, f"note {ident}", "", (
                    f"the id is used twice (also in {found[ident][0]}): give each note its "
                    "own id")))
            elif not body.strip():
                probs.append(Problem(label, f"note {ident}", "", (
                    "is empty: write the note under its '## id' line, or remove the line")))
            else:
                found[ident] = (label, body)
    return found, probs


def read(folder):
    """Every note in ``folder`` as ``{id: Markdown text}`` (broken entries left out)."""
    return {ident: body for ident, (_, body) in _read(folder)[0].items()}


def problems(folder, calls):
    """What ``check`` reports: broken notes files, calls to a note that does not exist, and notes
    no notebook shows. ``calls`` is a list of ``(notebook label, where, note id)``."""
    found, probs = _read(folder)
    called = set()
    for label, where, ident in calls:
        called.add(ident)
        if ident not in found:
            probs.append(Problem(label, where, "course.instructor_note", (
                f"'{ident}' is not a note in data/{FOLDER}/ (a line '## {ident}' starts one)")))
    for ident, (label, _) in found.items():
        if ident not in called:
            probs.append(Problem(label, f"note {ident}", "", (
                "no notebook shows this note: add a cell course.instructor_note(\""
                f"{ident}\") tagged 'instructor' where it belongs, or remove the note")))
    return probs
