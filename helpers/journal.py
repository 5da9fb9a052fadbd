"""The learner's journal: every answer saved the moment it is given, downloadable as one file.

A Binder session that sits idle for about ten minutes is deleted with everything in it, so answers
go to disk at once, and the learner can download all of it as one HTML (or Markdown) file::

    journal.start("01_shimoda_to_yalta")       # name field, where work is saved, download link
    journal.respond("l1-why", "Why did ...?")  # a text box, saved as the learner writes
    journal.record("01_shimoda_to_yalta", "q3", ["a", "c"], kind="choice", correct=True)

Each learner name has one JSON file in ``$KURIL_JOURNAL_DIR``, else ``journal_dir`` in course.yml,
else ``~/.kuril-course``. Nothing is sent anywhere. An entry is a dict with ``lesson, item, answer,
kind, correct, prompt, time`` (UTC, ISO 8601) and, when the answer had to be cleaned, ``note``.
"""

import copy
import json
import os
import re
import weakref
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import ipywidgets as widgets

from . import _export, _store
from .text import markdown_html, plain_html

__all__ = [
    "record",
    "get",
    "entries",
    "start",
    "respond",
    "download_button",
    "export_html",
    "export_markdown",
    "write_export",
    "export_filename",
    "learner",
    "set_learner",
    "journal_dir",
    "journal_path",
    "status",
]

DEFAULT_LEARNER = "learner"
MAX_ANSWER_CHARS = 1_000_000
BINDER_NOTE = (
    "On Binder the session ends after about ten idle minutes and keeps nothing: "
    "press Download my work before you leave."
)
_POINTER = "last-learner.txt"
_ROOT = Path(__file__).resolve().parent.parent
_FORMATS = {
    "html": ("html", "text/html"),
    "markdown": ("md", "text/markdown"),
    "md": ("md", "text/markdown"),
}

_state = {"learner": None, "lesson": None, "last_time": "", "course": None, "save_error": None}
_pending = {}  # journal path -> entries not yet on disk because a save failed
_session = {}  # item -> the latest entry recorded in this kernel (carried over on a name change)
_notices = []  # things the learner must be told: a file moved aside, ...
_downloads = weakref.WeakSet()


# ---------------------------------------------------------------- where and who


def _course():
    if _state["course"] is None:
        try:
            from . import course

            _state["course"] = dict(course.settings())
        except Exception:  # no or broken course.yml: `instructor check` reports it; keep saving
            _state["course"] = {}
    return _state["course"]


def journal_dir():
    """The journals' folder: $KURIL_JOURNAL_DIR, course.yml ``journal_dir``, or ~/.kuril-course."""
    env = os.environ.get("KURIL_JOURNAL_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    value = _course().get("journal_dir")
    try:
        if value:
            path = Path(str(value)).expanduser()
            return path if path.is_absolute() else _ROOT / path
        return Path.home() / ".kuril-course"
    except RuntimeError:  # no home folder known
        return _ROOT / ".kuril-course"


def _clean_name(name):
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", _clean_text(str(name or ""))[0])
    return " ".join(text.split())[:80]


def learner():
    """The learner name in use (the last name typed on this computer, else "learner")."""
    if _state["learner"] is None:
        try:
            saved = (journal_dir() / _POINTER).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            saved = ""
        _state["learner"] = _clean_name(saved.split("\n")[0]) or DEFAULT_LEARNER
    return _state["learner"]


def journal_path():
    """The journal file of the current learner."""
    return journal_dir() / f"{_store.slug(learner(), DEFAULT_LEARNER)}.json"


def set_learner(name):
    """Save to ``name``'s journal from now on (blank: the shared "learner" journal). Answers
    given earlier in this session are copied into it, so a name typed late loses nothing. Returns
    the journal's path."""
    old = journal_path()
    _state["learner"] = _clean_name(name) or DEFAULT_LEARNER
    path = journal_path()
    try:
        folder = journal_dir()
        folder.mkdir(parents=True, exist_ok=True)
        shown = "" if _state["learner"] == DEFAULT_LEARNER else _state["learner"]
        _store.atomic_write(folder / _POINTER, (shown + "\n").encode("utf-8"))
    except OSError:
        pass  # only the remembered name is lost; the answers are not
    if path != old and (_session or _pending.get(old)):
        _save([*_pending.pop(old, []), *_session.values()])
    _refresh_downloads()
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


def _check_id(name, value, optional=False):
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
    _check_id("lesson_id", lesson_id, optional=True)
    _check_id("item_id", item_id)
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
    _refresh_downloads()
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
    lines = [
        f"Your answers are saved as you go in {_show(journal_path())} on the computer running this "
        "notebook; nothing is sent anywhere."
    ]
    return " ".join([*lines, *_problems()])


def _problems():
    return [*_notices, *([_state["save_error"]] if _state["save_error"] else [])]


# ---------------------------------------------------------------- exports


def _export_args(lesson):
    course = _course()
    lessons = course.get("lessons") if isinstance(course.get("lessons"), list) else []
    return {
        "learner": learner(),
        "lesson": lesson,
        "lesson_order": lessons,
        # In graded mode learners see no feedback, so their download must not show it either.
        "show_correct": course.get("feedback") != "none",
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
    path = journal_dir() / export_filename(lesson, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    _store.atomic_write(path, text.encode("utf-8", "replace"))
    return path


# ---------------------------------------------------------------- widgets


def _esc(text):
    return plain_html(text)


def _warnings_html():
    return "".join(
        f'<div class="kuril-journal-warning" style="color:#8a4b00"><b>Note:</b> {_esc(p)}</div>'
        for p in _problems()
    )


def _link_html(lesson):
    found = entries(lesson)
    args = _export_args(lesson)
    page = _export.to_html(found, **args)
    notes = _export.to_markdown(found, **args)
    scope = "this lesson" if lesson else "the whole course"
    n = len(found)
    style = (
        "display:inline-block;padding:4px 12px;border:1px solid #1976d2;border-radius:4px;"
        "background:#1976d2;color:#fff;text-decoration:none;font-weight:600"
    )
    return (
        f'<a class="kuril-download-link" download="{_esc(export_filename(lesson))}" '
        f'href="{_export.data_url(page, "text/html")}" style="{style}">Download my work</a> '
        f'<a class="kuril-download-md" download="{_esc(export_filename(lesson, "md"))}" '
        f'href="{_export.data_url(notes, "text/markdown")}">as Markdown</a> '
        f'<span class="kuril-download-count">({n} answer{"s" if n != 1 else ""}, {scope})</span>'
    )


def _file_link(path):
    """A link relative to the notebook's folder, when the file is somewhere Jupyter will serve."""
    path = Path(path).resolve()
    # Only inside the course folder (Jupyter's root on Binder) or below the notebook is it served.
    if not any(path.is_relative_to(top) for top in (_ROOT, Path.cwd().resolve())):
        return ""
    try:
        rel = Path(os.path.relpath(path, Path.cwd().resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return ""
    if any(part.startswith(".") and part != ".." for part in rel.split("/")):
        return ""  # Jupyter hides dot-folders
    return f' <a class="kuril-download-file" href="{quote(rel)}" target="_blank">open the copy</a>'


class DownloadBox(widgets.VBox):
    """The "Download my work" control: a link that saves one HTML file in the browser (rebuilt
    whenever an answer is saved in this notebook), a Markdown link, and an "Update download"
    button that rebuilds both (picking up answers saved in other notebooks) and writes the HTML
    next to the journal.

    Python paths: ``box.button.click()``; read ``box.link.value`` and ``box.status.value``."""

    def __init__(self, lesson=None):
        self.link = widgets.HTML()
        self.button = widgets.Button(
            description="Update download",
            icon="refresh",
            tooltip="Rebuild the download with everything saved so far and save a copy as a file",
        )
        self.status = widgets.HTML()
        super().__init__([widgets.HBox([self.link, self.button]), self.status])
        self.lesson = lesson
        self.add_class("kuril-download")
        self.link.add_class("kuril-download-links")
        self.status.add_class("kuril-download-status")
        self.button.on_click(lambda _button: self.update())
        self.refresh()
        _downloads.add(self)

    def refresh(self):
        """Rebuild the download link from the journal."""
        try:
            self.link.value = _link_html(self.lesson)
        except Exception as exc:
            self.status.value = _esc(f"The download could not be prepared: {exc}")

    def update(self):
        """Rebuild the link, write the HTML copy next to the journal; return its path (or None)."""
        self.refresh()
        stamp = datetime.now().strftime("%H:%M")
        try:
            path = write_export(self.lesson)
        except Exception as exc:
            reason = getattr(exc, "strerror", None) or exc
            self.status.value = _esc(
                f"Updated at {stamp}. A copy could not be written as a file ({reason}); "
                "the Download my work link still works."
            )
            return None
        self.status.value = (
            f"Updated at {stamp}. A copy is also saved as <code>{_esc(_show(path))}</code>."
            + _file_link(path)
        )
        return path


def _refresh_downloads():
    for box in list(_downloads):
        box.refresh()


def download_button(lesson=None):
    """A "Download my work" control: one HTML file with every answer of ``lesson`` or the course."""
    return DownloadBox(lesson)


class StartBox(widgets.VBox):
    """The top of a notebook: "Your name", where work is saved (and what was restored), download.

    Python paths: ``box.name.value = "Aiko"``; read ``box.status.value``; ``box.download``."""

    def __init__(self, lesson_id):
        name = learner()
        self.name = widgets.Text(
            value="" if name == DEFAULT_LEARNER else name,
            description="Your name",
            placeholder="type your name, then press Enter",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.status = widgets.HTML()
        self.download = DownloadBox(lesson_id)
        super().__init__([self.name, self.status, self.download])
        self.lesson = lesson_id
        self.add_class("kuril-journal-start")
        self.status.add_class("kuril-journal-status")
        self.name.observe(self._on_name, names="value")
        self.show_status(restored=True)

    def show_status(self, restored=False, extra=""):
        here = entries(self.lesson)
        lines = [
            "Your answers are saved as you go in "
            f"<code>{_esc(_show(journal_path()))}</code> on the computer running this notebook; "
            "nothing is sent anywhere."
        ]
        if restored and here:
            others = len(entries()) - len(here)
            more = f" ({others} more from other lessons)" if others else ""
            lines.append(f"Restored {len(here)} answer{'s' if len(here) != 1 else ''}{more}.")
        if extra:
            lines.append(_esc(extra))
        lines.append(BINDER_NOTE)
        self.status.value = "<br>".join(lines) + _warnings_html()

    def _on_name(self, change):
        try:
            before = journal_path()
            carried = len(_session)
            path = set_learner(change["new"])
            extra = f"Now saving as {learner()}."
            if path != before and carried:
                extra += f" Answers from this session copied into this journal: {carried}."
            self.show_status(restored=True, extra=extra)
        except Exception as exc:
            self.status.value = _esc(f"The name could not be changed: {exc}")


def start(lesson_id):
    """The journal box for the top of a lesson: name, save status, download. Safe to call twice."""
    _check_id("lesson_id", lesson_id)
    _state["lesson"] = lesson_id
    return StartBox(lesson_id)


def _as_text(answer):
    if answer is None:
        return ""
    return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)


class ResponseBox(widgets.VBox):
    """An open question: the prompt (Markdown, raw HTML shown as text), a text box saved when the
    learner clicks outside it or presses Save, and "Saved at HH:MM". Shows the saved text again when
    the notebook is reopened.

    Python paths: ``box.text.value = "..."`` (saves), ``box.save_button.click()``, ``box.save()``;
    read ``box.status.value``."""

    def __init__(self, prompt_id, prompt, lesson=None, long=False):
        saved = get(prompt_id)
        self.prompt = widgets.HTML(markdown_html(prompt))
        self.text = widgets.Textarea(
            value=_as_text(saved and saved["answer"]),
            placeholder="Write your answer here. It is saved when you click outside the box.",
            continuous_update=False,
            rows=12 if long else 4,
            layout=widgets.Layout(width="100%"),
        )
        self.save_button = widgets.Button(description="Save", icon="save")
        self.status = widgets.HTML()
        super().__init__([self.prompt, self.text, widgets.HBox([self.save_button, self.status])])
        self.item, self.prompt_text, self.lesson = prompt_id, prompt, lesson
        self.add_class("kuril-respond")
        self.status.add_class("kuril-respond-status")
        if saved:
            when = _export.local_time(saved["time"], "%H:%M on %Y-%m-%d")
            self._show(f"Restored your answer saved at {when}.", saved)
        else:
            self._show("Not saved yet.")
        self.text.observe(lambda _change: self.save(), names="value")
        self.save_button.on_click(lambda _button: self.save())

    def _show(self, message, entry=None):
        note = f" {entry['note']}" if entry and entry.get("note") else ""
        self.status.value = _esc(message + note) + _warnings_html()

    def save(self):
        """Save the text in the box now; return the saved entry (None: nothing to save)."""
        try:
            value = self.text.value
            latest = get(self.item)
            if latest and latest["answer"] == value:
                self._show(f"Saved at {_export.local_time(latest['time'], '%H:%M')}.", latest)
                return latest
            if latest is None and not value:
                self._show("Nothing to save yet.")
                return None
            entry = record(self.lesson, self.item, value, kind="text", prompt=self.prompt_text)
            if _state["save_error"]:
                self._show("Not saved to disk.", entry)  # the warning below says why and what to do
            else:
                self._show(f"Saved at {_export.local_time(entry['time'], '%H:%M')}.", entry)
            return entry
        except Exception as exc:  # never a traceback under a learner's answer
            self.status.value = _esc(
                f"Could not save ({exc}). Your text is still in the box; copy it somewhere safe."
            )
            return None


def respond(prompt_id, prompt, lesson=None, long=False):
    """An open-response box for ``prompt`` (Markdown), saved in the journal under ``prompt_id``."""
    _check_id("prompt_id", prompt_id)
    return ResponseBox(prompt_id, prompt, lesson or _state["lesson"], long)
