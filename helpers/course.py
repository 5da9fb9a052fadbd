"""The instructor's course configuration, ``course.yml``, merged over safe defaults.

``settings()`` never raises: a missing, malformed or half-wrong file gives the defaults for every
option it cannot use, and ``problems()`` says what was wrong (widgets show a warning, and
``python -m helpers.instructor check`` lists them). Set the environment variable
``KURIL_COURSE_FILE`` to use another course file (tests do).
"""

import copy
import os
import re
from pathlib import Path

from ._common import cache, notes, strict_yaml
from ._common.checker import Checker, shown
from ._common.markup import safe_markdown
from ._common.style import box
from .errors import Problem

__all__ = [
    "DEFAULTS",
    "FEEDBACK_MODES",
    "EXTRA_KINDS",
    "course_file",
    "course_label",
    "root",
    "settings",
    "problems",
    "extra_data_files",
    "journal_dir",
    "instructor_note",
    "notes_dir",
]

ROOT = Path(__file__).resolve().parent.parent
FEEDBACK_MODES = ("immediate", "after_submit", "none")
NAMING = ("both", "japanese", "russian")
# In the Voila app: a journal per page (visitor), or by typed name (one projector, one person)
APP_JOURNALS = ("per_session", "by_name")
EXTRA_KINDS = {
    "events": ".csv", "documents": ".csv", "sources": ".csv", "exercises": (".yml", ".yaml"),
}
_LESSON = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

DEFAULTS = {
    "lessons": None,  # None: every notebook in notebooks/, in file-name order
    "feedback": "immediate",
    "attempts": 0,
    "naming": "both",
    "instructor_notes": False,
    "hide_exercises": [],
    "extra": {kind: [] for kind in EXTRA_KINDS},
    "journal_dir": "~/kuril-journal",
    "app_journals": "per_session",
}

_cache = {}
cache.on_reload(_cache.clear)  # data.reload() re-reads the course file too


def course_file():
    """The course file in use: ``$KURIL_COURSE_FILE`` if set, else ``course.yml`` at the top."""
    env = os.environ.get("KURIL_COURSE_FILE")
    return Path(env).expanduser() if env else ROOT / "course.yml"


def course_label():
    """The course file's name as messages give it (``course.yml`` for the course's own)."""
    return _label(course_file())


def root():
    """The course folder (the one holding the course file, ``notebooks/`` and ``data/``)."""
    return course_file().resolve().parent


def settings():
    """Return every option as a dict: the course file's values, and defaults for the rest.

    Keys: ``lessons`` (list of notebook names without ``.ipynb``), ``feedback`` (``immediate``,
    ``after_submit`` or ``none``), ``attempts`` (int, 0 = unlimited), ``naming`` (``both``,
    ``japanese``, ``russian``), ``instructor_notes`` (bool), ``hide_exercises`` (list of ids),
    ``extra`` (``{events, documents, sources, exercises}``: lists of absolute paths of the files
    that exist), ``journal_dir`` (absolute path, ``~`` expanded) and ``app_journals``
    (``per_session`` or ``by_name``: how the Voila app keys journals).
    """
    return copy.deepcopy(_read()[0])


def problems():
    """Return the list of :class:`Problem` found in the course file (empty when all is well)."""
    return list(_read()[1])


def extra_data_files(kind):
    """Instructor files listed under ``extra: <kind>:`` in the course file, as Paths that exist."""
    return [Path(p) for p in _read()[0]["extra"].get(kind, [])]


def journal_dir():
    """Where learners' journals are saved, as a Path."""
    return Path(_read()[0]["journal_dir"])


def notes_dir():
    """The instructor notes' folder: ``instructor_notes/`` in the course's data folder."""
    data_dir = os.environ.get("KURIL_DATA_DIR")
    return (Path(data_dir) if data_dir else root() / "data") / notes.FOLDER


def instructor_note(note_id):
    """Show the instructor note ``note_id`` (from ``data/instructor_notes/``) in place.

    Only when the course file says ``instructor_notes: true``; otherwise (the default, what
    learners have) it shows nothing and reads nothing. A notebook calls it in a code cell tagged
    ``instructor`` with its source hidden, so learners see neither code nor note, and ``build``
    drops the cell from the student release.
    """
    if not settings()["instructor_notes"]:
        return None
    from IPython.display import HTML  # a display object: the note is static text

    text = notes.read(notes_dir()).get(str(note_id))
    if text is None:
        text = (f"*There is no instructor note `{note_id}` in `data/{notes.FOLDER}/`; "
                "run `python -m helpers.instructor check`.*")
    return HTML(box("note", safe_markdown(text), cls="kuril-instructor-note"))


def _read():
    """Parse the course file once per change (keyed on path, size and modification time)."""
    path = course_file()
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (str(path), None, None)
    if key not in _cache:
        _cache.clear()
        try:
            _cache[key] = _parse(path)
        except Exception as exc:  # a bug here must not stop a notebook: fall back to defaults
            found = _defaults(path.parent)
            _cache[key] = (found, [Problem(_label(path), "", "", f"could not be read ({exc})")])
    return _cache[key]


def _label(path):
    return path.name if path.resolve().parent == ROOT else str(path)


def is_scratch(name):
    """A notebook JupyterLab made, not a lesson: ``01_x-Copy1``, ``Untitled``, ``Untitled2``."""
    stem = Path(name).stem
    return bool(re.search(r"-Copy\d*$", stem) or re.match(r"Untitled\d*$", stem))


def lesson_files(folder):
    """The notebooks in ``folder`` that may be lessons (not scratch copies), by name."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if not is_scratch(p.name))


def _defaults(base):
    found = copy.deepcopy(DEFAULTS)
    found["lessons"] = [p.stem for p in lesson_files(base / "notebooks")]
    found["journal_dir"] = str(Path(DEFAULTS["journal_dir"]).expanduser())
    return found


def _parse(path):
    label, base = _label(path), path.resolve().parent
    found = _defaults(base)
    if not path.exists():
        if os.environ.get("KURIL_COURSE_FILE"):
            return found, [Problem(label, "", "", "not found (KURIL_COURSE_FILE points here)")]
        return found, []
    data, probs = strict_yaml.load(path, label)
    if probs:
        return found, [Problem(p.file, p.where, p.field, p.message + "; using the defaults")
                       for p in probs]
    if not isinstance(data, dict):
        return found, [Problem(label, "", "", "must be a list of 'option: value' lines; "
                               "using the defaults")]

    checker = Checker(label)
    checker.unknown(data, tuple(DEFAULTS), word="option")
    for key, check in _CHECKS.items():
        if key in data and data[key] is not None:
            value = check(data[key], base, checker.bad)
            if value is not _INVALID:
                found[key] = value
    return found, checker.problems


_INVALID = object()


def _lessons(value, base, bad):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        bad("lessons", "must be a list of notebook names, e.g. [00_start_here, 01_shimoda_to_yalta]"
            )
        return _INVALID
    if not value:
        bad("lessons", "lists no lesson: name at least one notebook, e.g. [00_start_here], or "
            "leave the option out for every notebook in notebooks/")
        return _INVALID
    names = [v[:-6] if v.endswith(".ipynb") else v for v in value]
    for i, name in enumerate(names):
        if not _LESSON.match(name):
            bad(f"lessons[{i}]", f"'{name}' is not a notebook name (letters, digits, _ and -)")
            return _INVALID
        if name in names[:i]:
            bad(f"lessons[{i}]", f"'{name}' is listed twice")
            return _INVALID
    return names


def _choice(key, allowed):
    def check(value, base, bad):
        if value not in allowed:
            bad(key, f"'{shown(value)}' is not allowed; use one of: {', '.join(allowed)}")
            return _INVALID
        return value
    return check


def _attempts(value, base, bad):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        bad("attempts", f"'{shown(value)}' is not allowed: use a whole number, 0 for unlimited")
        return _INVALID
    return value


def _instructor_notes(value, base, bad):
    if not isinstance(value, bool):
        bad("instructor_notes", f"'{shown(value)}' is not allowed: use true or false")
        return _INVALID
    return value


def _hide(value, base, bad):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        bad("hide_exercises", "must be a list of exercise ids, e.g. [shimoda-boundary]")
        return _INVALID
    return list(value)


def _extra(value, base, bad):
    if not isinstance(value, dict):
        bad("extra", "must list files by kind, e.g. 'events: [my_course/events.csv]'")
        return _INVALID
    found = {kind: [] for kind in EXTRA_KINDS}
    for kind, paths in value.items():
        if kind not in EXTRA_KINDS:
            bad(f"extra.{kind}", f"unknown kind; use one of: {', '.join(EXTRA_KINDS)}")
            continue
        if paths is None:
            continue
        if isinstance(paths, str):
            paths = [paths]
        if not isinstance(paths, list):
            bad(f"extra.{kind}", "must be a list of file paths relative to the course file")
            continue
        for i, rel in enumerate(paths):
            field = f"extra.{kind}[{i}]"
            if not isinstance(rel, str) or not rel.strip():
                bad(field, "must be a file path relative to the course file")
                continue
            path = (base / Path(rel).expanduser()).resolve()
            if not path.name.lower().endswith(EXTRA_KINDS[kind]):
                want = EXTRA_KINDS[kind] if isinstance(EXTRA_KINDS[kind], str) else ".yml"
                bad(field, f"'{rel}' should be a {want} file")
            elif not path.is_file():
                bad(field, f"file '{rel}' not found (paths are relative to the course file)")
            elif str(path) not in found[kind]:
                found[kind].append(str(path))
    return found


def _journal_dir(value, base, bad):
    if not isinstance(value, str) or not value.strip():
        bad("journal_dir", "must be a folder path, e.g. ~/kuril-journal")
        return _INVALID
    path = Path(os.path.expandvars(value.strip())).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())


_CHECKS = {
    "lessons": _lessons,
    "feedback": _choice("feedback", FEEDBACK_MODES),
    "attempts": _attempts,
    "naming": _choice("naming", NAMING),
    "instructor_notes": _instructor_notes,
    "hide_exercises": _hide,
    "extra": _extra,
    "journal_dir": _journal_dir,
    "app_journals": _choice("app_journals", APP_JOURNALS),
}
