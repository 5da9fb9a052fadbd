"""The journal's engine: who is writing, where their journal is, saving and exporting answers.

``helpers.journal`` is its public face; the widgets (``widgets``) and the other features (quiz
answers, the settlement designer, the negotiation log) record and read answers here. State lives
in this module: one learner and one lesson per kernel.

In JupyterLab a journal is keyed by the learner's typed name. In the Voila app (one kernel per
page, perhaps many visitors on one server) each page has a journal of its own, keyed by a random
token in ``<journal_dir>/app-sessions/``; the typed name is only a label, and no page can open
another's journal by typing a name. ``app_journals: by_name`` in course.yml keys app journals by
name again, for a single projector.
"""

import copy
import json
import math
import os
import re
import secrets
import weakref
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .. import course
from . import export as _export
from . import store as _store

DEFAULT_LEARNER = "learner"
MAX_ANSWER_CHARS = 1_000_000
BINDER_NOTE = (
    "On Binder the session ends after about ten idle minutes and keeps nothing: "
    "press Download my work before you leave."
)
_POINTER = "last-learner.txt"
APP_SESSIONS = "app-sessions"  # in the Voila app, one journal per page, in this folder
# Voila sets these in each kernel it starts (voila/handler.py, voila/voila_kernel_manager.py) and
# VOILA_KERNEL_ID before the notebook's first cell (voila/notebook_renderer.py).
VOILA_VARIABLES = ("VOILA_KERNEL_ID", "VOILA_BASE_URL", "VOILA_SERVER_URL", "VOILA_REQUEST_URL")
APP_NOTE = (
    "In this app each page keeps its own journal, whatever name is typed: press Download my "
    "work before you close or reload the page."
)
_ROOT = Path(__file__).resolve().parent.parent.parent  # the course folder
_FORMATS = {
    "html": ("html", "text/html"),
    "markdown": ("md", "text/markdown"),
    "md": ("md", "text/markdown"),
}

_state = {"learner": None, "lesson": None, "last_time": "", "save_error": None, "token": None}
_pending = {}  # journal path -> entries not yet on disk because a save failed
_session = {}  # item -> the latest entry recorded in this kernel (carried over on a name change)
_notices = []  # things the learner must be told: a file moved aside, ...
_downloads = weakref.WeakSet()


# ---------------------------------------------------------------- where and who


def _course():
    """The course settings (course.py re-reads course.yml only when it changes; never raises)."""
    return course.settings()


def journal_dir():
    """The journals' folder: $KURIL_JOURNAL_DIR, course.yml ``journal_dir``, or ~/kuril-journal."""
    env = os.environ.get("KURIL_JOURNAL_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    # course.py gives journal_dir as an absolute path (relative ones resolved against course.yml)
    try:
        return Path(_course().get("journal_dir") or course.DEFAULTS["journal_dir"]).expanduser()
    except RuntimeError:  # no home folder known
        return _ROOT / "kuril-journal"


def _clean_name(name):
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", _clean_text(str(name or ""))[0])
    return " ".join(text.split())[:80]


def in_app():
    """Is this kernel running a notebook as a Voila app (a page on a possibly shared server)?"""
    return any(os.environ.get(name) for name in VOILA_VARIABLES)


def per_session():
    """Does each app page keep its own journal? In the Voila app, unless course.yml says
    ``app_journals: by_name`` (one projector, one person). Never in JupyterLab."""
    if not in_app():
        return False
    try:
        return _course().get("app_journals") != "by_name"
    except Exception:  # the safe side: a page of its own
        return True


def session_token():
    """A random id for this kernel (this app page): the key of its journal."""
    if _state["token"] is None:
        _state["token"] = secrets.token_hex(12)
    return _state["token"]


def learner():
    """The learner name in use (the last name typed on this computer, else "learner"; in the app
    a name typed on this page only)."""
    if _state["learner"] is None and per_session():
        return DEFAULT_LEARNER  # no name is carried over from another visitor
    if _state["learner"] is None:
        try:
            saved = (journal_dir() / _POINTER).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            saved = ""
        _state["learner"] = _clean_name(saved.split("\n")[0]) or DEFAULT_LEARNER
    return _state["learner"]


def journal_path():
    """The journal file of the current learner (in the app: of this page, named by its token)."""
    if per_session():
        return journal_dir() / APP_SESSIONS / f"{session_token()}.json"
    return journal_dir() / f"{_store.slug(learner(), DEFAULT_LEARNER)}.json"


def set_learner(name):
    """Save to ``name``'s journal from now on (blank: the shared "learner" journal). Answers
    given earlier in this session are copied into it, so a name typed late loses nothing. Returns
    the journal's path."""
    old = journal_path()
    _state["learner"] = _clean_name(name) or DEFAULT_LEARNER
    path = journal_path()
    if per_session():  # the name is only a label on this page's journal: no restore by name
        if _session or _pending.get(path):
            _save([])  # write the label now
        refresh_downloads()
        return path
    try:
        folder = journal_dir()
        folder.mkdir(parents=True, exist_ok=True)
        shown = "" if _state["learner"] == DEFAULT_LEARNER else _state["learner"]
        _store.atomic_write(folder / _POINTER, (shown + "\n").encode("utf-8"))
    except OSError:
        pass  # only the remembered name is lost; the answers are not
    if path != old and (_session or _pending.get(old)):
        _save([*_pending.pop(old, []), *_session.values()])
    refresh_downloads()
    return path


def _show(path):
    """A path as the learner can read it (home folder as ~)."""
    try:
        return "~/" + Path(path).relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)


# ---------------------------------------------------------------- saving


def _clean_text(text):
    """Text that can be saved as UTF-8: lone surrogate halves become U+FFFD (with a note)."""
    try:
        text.encode("utf-8")
        return text, None
    except UnicodeEncodeError:
        fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return fixed, "Some characters could not be saved and were replaced with \ufffd."


def _jsonable(value, depth=0):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if depth > 50:
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_jsonable(v, depth + 1) for v in value), key=repr)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "item"):  # numpy / pandas scalars
        try:
            return _jsonable(value.item(), depth + 1)
        except Exception:
            pass
    return str(value)


def _clean(value):
    """A JSON copy of ``value`` that can be saved, and a note on what had to change (or None)."""
    notes = []
    try:
        value = json.loads(json.dumps(value))
    except (TypeError, ValueError):
        value = json.loads(json.dumps(_jsonable(value)))
        notes.append("Part of this answer was not text or numbers and was saved as text.")

    def fix(v):
        if isinstance(v, str):
            text, note = _clean_text(v)
            if note and note not in notes:
                notes.append(note)
            return text
        if isinstance(v, float) and not math.isfinite(v):  # NaN and Infinity are not JSON
            note = "A value that was not a finite number was saved as text."
            if note not in notes:
                notes.append(note)
            return str(v)
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, dict):
            return {fix(k): fix(x) for k, x in v.items()}
        return v

    value = fix(value)
    size = len(value) if isinstance(value, str) else len(json.dumps(value))
    if size > MAX_ANSWER_CHARS:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        value = text[:MAX_ANSWER_CHARS]
        notes.append(
            f"This answer was {size:,} characters long; "
            f"only the first {MAX_ANSWER_CHARS:,} were saved."
        )
    return value, " ".join(notes) or None


def _now():
    """UTC time, strictly increasing within this kernel so two saves never share a time."""
    now = datetime.now(timezone.utc)
    if _state["last_time"]:
        last = datetime.fromisoformat(_state["last_time"])
        if now <= last:
            now = last + timedelta(microseconds=1)
    _state["last_time"] = now.isoformat(timespec="microseconds")
    return _state["last_time"]


def check_id(name, value, optional=False):
    if optional and value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"journal: {name} must be a non-empty text id, got {value!r}")
    return value


def record(lesson_id, item_id, answer, *, kind, correct=None, prompt=None):
    """Save one answer now and return the saved entry.

    ``answer`` is any JSON value (text, number, list, dict). If the disk cannot be written the entry
    is kept in memory (and in downloads) and saving is retried with the next answer; ``status()``
    says so. Never raises for a saving problem."""
    check_id("lesson_id", lesson_id, optional=True)
    check_id("item_id", item_id)
    answer, note = _clean(answer)
    entry = {
        "lesson": lesson_id,
        "item": item_id,
        "answer": answer,
        "kind": str(kind),
        "correct": _clean(correct)[0],
        "prompt": None if prompt is None else _clean_text(str(prompt))[0],
        "time": _now(),
    }
    if note:
        entry["note"] = note
    _session[item_id] = entry
    _save([entry])
    refresh_downloads()
    return copy.deepcopy(entry)


def _save(new_entries):
    path = journal_path()
    todo = [*_pending.pop(path, []), *new_entries]
    try:
        _, notes = _store.update(path, todo, learner=learner())
    except Exception as exc:  # disk full, read-only folder, ...: keep the work in memory
        _pending[path] = todo
        reason = getattr(exc, "strerror", None) or str(exc)
        _state["save_error"] = (
            f"Could not save to {_show(path)} ({reason}). Your answers are kept while this "
            "notebook stays open: use Download my work to keep a copy."
        )
        return False
    _state["save_error"] = None
    _notify(notes)
    return True


def _notify(notes):
    for note in notes:
        if note not in _notices:
            _notices.append(note)


def _load():
    path = journal_path()
    try:
        data, notes = _store.read(path)
    except Exception as exc:
        data, notes = _store.empty(), [str(exc)]
    _notify(notes)
    pending = _pending.get(path)
    return _store.merge(data, pending) if pending else data


def get(item_id):
    """The latest saved entry for ``item_id`` (a dict), or None."""
    entry = _load()["latest"].get(item_id)
    return copy.deepcopy(entry) if entry else None


def entries(lesson_id=None):
    """The latest entry of every item (of one lesson if given), in the order first answered."""
    found = _load()["latest"].values()
    return [copy.deepcopy(e) for e in found if lesson_id is None or e.get("lesson") == lesson_id]


def status():
    """What the learner should know about their journal, in plain words."""
    where = (
        f"Your answers are saved as you go in {_show(journal_path())} on the computer running this "
        "notebook; nothing is sent anywhere."
    )
    return " ".join([where, *([APP_NOTE] if per_session() else []), *_problems()])


def save_error():
    """Why the last save did not reach the disk (None when it did). The answer is still kept in
    memory, shown in downloads, and written with the next save that works."""
    return _state["save_error"]


def _problems():
    return [*_notices, *([_state["save_error"]] if _state["save_error"] else [])]


# ---------------------------------------------------------------- exports


def _export_args(lesson):
    settings = _course()
    lessons = settings.get("lessons") if isinstance(settings.get("lessons"), list) else []
    return {
        "learner": learner(),
        "lesson": lesson,
        "lesson_order": lessons,
        # In graded mode learners see no feedback, so their download must not show it either.
        "show_correct": settings.get("feedback") != "none",
    }


def export_html(lesson=None):
    """One self-contained HTML page with every answer (of ``lesson``, or the whole course)."""
    return _export.to_html(entries(lesson), **_export_args(lesson))


def export_markdown(lesson=None):
    """The same as :func:`export_html`, as Markdown (answers in fenced blocks)."""
    return _export.to_markdown(entries(lesson), **_export_args(lesson))


def _fmt(fmt):
    if fmt not in _FORMATS:
        raise ValueError(
            f"journal: export format must be one of {', '.join(_FORMATS)}, got {fmt!r}"
        )
    return _FORMATS[fmt]


def export_filename(lesson=None, fmt="html"):
    """The download's file name, e.g. ``my-work-aiko-01_shimoda_to_yalta.html``."""
    scope = _store.slug(lesson, "lesson") if lesson else "course"
    return f"my-work-{_store.slug(learner(), DEFAULT_LEARNER)}-{scope}.{_fmt(fmt)[0]}"


def write_export(lesson=None, fmt="html"):
    """Write the export next to the journal and return its path (OSError if the disk refuses)."""
    _fmt(fmt)
    text = export_html(lesson) if fmt == "html" else export_markdown(lesson)
    name = export_filename(lesson, fmt)
    if per_session():  # beside this page's journal: another visitor's copy is never replaced
        path = journal_path().parent / f"{session_token()}-{name}"
    else:
        path = journal_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    _store.atomic_write(path, text.encode("utf-8", "replace"))
    return path


# ---------------------------------------------------------------- the lesson being worked on


def set_lesson(lesson_id):
    """Answers given without a lesson go under ``lesson_id`` from now on (``journal.start``)."""
    check_id("lesson_id", lesson_id)
    _state["lesson"] = lesson_id


def lesson():
    """The lesson last started in this kernel, or None."""
    return _state["lesson"]


def refresh_downloads():
    for box in list(_downloads):
        box.refresh()
