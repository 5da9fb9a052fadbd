"""The journal's widgets: the start box, the open-response box and "Download my work".

Built by :func:`helpers.journal.start`, :func:`helpers.journal.respond` and
:func:`helpers.journal.download_button`; every action has a Python path (see each class).
"""

import json
import os
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from .._common import widgets
from .._common.style import box, stylesheet
from ..text import is_blank, markdown_html, plain_html
from . import book
from . import export as _export


def _esc(text):
    return plain_html(text)


def _warnings_html():
    return "".join(
        box("warn", f"<b>Note:</b> {_esc(p)}", cls="kuril-journal-warning")
        for p in book._problems()
    )


def _link_html(lesson):
    found = book.entries(lesson)
    args = book._export_args(lesson)
    page = _export.to_html(found, **args)
    notes = _export.to_markdown(found, **args)
    scope = "this lesson" if lesson else "the whole course"
    n = len(found)
    style = (
        "display:inline-block;padding:4px 12px;border:1px solid #1976d2;border-radius:4px;"
        "background:#1976d2;color:#fff;text-decoration:none;font-weight:600"
    )
    return (
        f'<a class="kuril-download-link" download="{_esc(book.export_filename(lesson))}" '
        f'href="{_export.data_url(page, "text/html")}" style="{style}">Download my work</a> '
        f'<a class="kuril-download-md" download="{_esc(book.export_filename(lesson, "md"))}" '
        f'href="{_export.data_url(notes, "text/markdown")}">as Markdown</a> '
        f'<span class="kuril-download-count">({n} answer{"s" if n != 1 else ""}, {scope})</span>'
    )


def _file_link(path):
    """A link relative to the notebook's folder, when the file is somewhere Jupyter will serve."""
    path = Path(path).resolve()
    # Only inside the course folder (Jupyter's root on Binder) or below the notebook is it served.
    if not any(path.is_relative_to(top) for top in (book._ROOT, Path.cwd().resolve())):
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
    next to the book.

    Python paths: ``box.button.click()``; read ``box.link.value`` and ``box.status.value``."""

    def __init__(self, lesson=None):
        self.link = widgets.HTML()
        self.button = widgets.Button(
            description="Update download",
            icon="refresh",
            tooltip="Rebuild the download with everything saved so far and save a copy as a file",
            layout={"width": "auto", "min_width": "fit-content"},
        )
        self.status = widgets.HTML()
        row = widgets.HBox([self.link, self.button],
                           layout={"flex_flow": "row wrap", "align_items": "center"})
        super().__init__([stylesheet(), row, self.status])
        self.lesson = lesson
        self.add_class("kuril-download")
        self.link.add_class("kuril-download-links")
        self.status.add_class("kuril-download-status")
        self.button.on_click(lambda _button: self.update())
        self.status.value = (
            "The link holds every answer saved in this notebook so far. Press Update download to "
            "add answers saved in other notebooks and to keep a copy as a file too."
        )
        self.refresh()
        book._downloads.add(self)

    def refresh(self):
        """Rebuild the download link from the book."""
        try:
            self.link.value = _link_html(self.lesson)
        except Exception as exc:
            self.status.value = _esc(f"The download could not be prepared: {exc}")

    def update(self):
        """Rebuild the link, write the HTML copy next to the journal; return its path (or None)."""
        self.refresh()
        stamp = datetime.now().strftime("%H:%M")
        try:
            path = book.write_export(self.lesson)
        except Exception as exc:
            reason = getattr(exc, "strerror", None) or exc
            self.status.value = _esc(
                f"Updated at {stamp}. A copy could not be written as a file ({reason}); "
                "the Download my work link still works."
            )
            return None
        self.status.value = (
            f"Updated at {stamp}. A copy is also saved as <code>{_esc(book._show(path))}</code>."
            + _file_link(path)
        )
        return path


class StartBox(widgets.VBox):
    """The top of a notebook: "Your name", where work is saved (and what was restored), download.

    Python paths: ``box.name.value = "Aiko"``; read ``box.status.value``; ``box.download``."""

    def __init__(self, lesson_id):
        name = book.learner()
        self.name = widgets.Text(
            value="" if name == book.DEFAULT_LEARNER else name,
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

    def show_status(self, restored=False, extra="", fresh=()):
        """``fresh``: items answered in this session, which a new name's journal holds because
        they were just copied into it (not restored from an earlier visit)."""
        here = [e for e in book.entries(self.lesson) if e.get("item") not in fresh]
        lines = [
            "Your answers are saved as you go in "
            f"<code>{_esc(book._show(book.journal_path()))}</code> on the computer running "
            "this notebook; nothing is sent anywhere."
        ]
        if restored and here:
            others = len([e for e in book.entries() if e.get("item") not in fresh]) - len(here)
            more = f" ({others} more from other lessons)" if others else ""
            lines.append(f"Restored {len(here)} answer{'s' if len(here) != 1 else ''}{more}.")
        if extra:
            lines.append(_esc(extra))
        lines.append(book.APP_NOTE if book.per_session() else book.BINDER_NOTE)
        self.status.value = "<br>".join(lines) + _warnings_html()

    def _on_name(self, change):
        try:
            before = book.journal_path()
            fresh = set(book._session)
            path = book.set_learner(change["new"])
            extra = f"Now saving as {book.learner()}."
            if path != before and fresh:
                n = len(fresh)
                extra += (f" The {n} answer{'s' if n != 1 else ''} you gave before typing your "
                          f"name {'are' if n != 1 else 'is'} saved in this journal too.")
            self.show_status(restored=path != before, extra=extra, fresh=fresh)
        except Exception as exc:
            self.status.value = _esc(f"The name could not be changed: {exc}")


def _as_text(answer):
    if answer is None:
        return ""
    return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)


class ResponseBox(widgets.VBox):
    """An open question: the prompt (Markdown, raw HTML shown as text), a text box saved when the
    learner clicks outside it or presses Save, and "Saved at HH:MM". Shows the saved text again
    when the notebook is reopened.

    Python paths: ``box.text.value = "..."`` (saves), ``box.save_button.click()``, ``box.save()``;
    read ``box.status.value``."""

    def __init__(self, prompt_id, prompt, lesson=None, long=False):
        saved = book.get(prompt_id)
        self.prompt = widgets.HTML(markdown_html(prompt))
        self.text = widgets.Textarea(
            value=_as_text(saved and saved["answer"]),
            placeholder="Write your answer here. It is saved when you click outside the box.",
            continuous_update=False,
            rows=12 if long else 4,
            layout={"width": "100%"},
        )
        self.save_button = widgets.Button(description="Save", icon="save")
        self.status = widgets.HTML()
        super().__init__([self.prompt, self.text, widgets.HBox([self.save_button, self.status])])
        self.item, self.prompt_text, self.lesson = prompt_id, prompt, lesson
        self.add_class("kuril-respond")
        self.status.add_class("kuril-respond-status")
        if saved:
            self._say(f"Restored your answer saved {_export.when_saved(saved['time'])}.", saved)
        else:
            self._say("Not saved yet.")
        self.text.observe(lambda _change: self.save(), names="value")
        self.save_button.on_click(lambda _button: self.save())

    def _say(self, message, entry=None):
        note = f" {entry['note']}" if entry and entry.get("note") else ""
        self.status.value = _esc(message + note) + _warnings_html()

    def save(self):
        """Save the text in the box now; return the saved entry (None: nothing to save)."""
        try:
            value = self.text.value
            latest = book.get(self.item)
            if latest and latest["answer"] == value:
                clock = _export.local_time(latest["time"], "%H:%M", always_zone=False)
                self._say(f"Saved at {clock}.", latest)
                return latest
            if latest is None and is_blank(value):  # zero-width spaces alone are no answer
                self._say("Nothing to save yet.")
                return None
            entry = book.record(
                self.lesson, self.item, value, kind="text", prompt=self.prompt_text
            )
            if book.save_error():
                self._say("Not saved to disk.", entry)  # the warning below says why and what to do
            else:
                clock = _export.local_time(entry["time"], "%H:%M", always_zone=False)
                self._say(f"Saved at {clock}.", entry)
            return entry
        except Exception as exc:  # never a traceback under a learner's answer
            self.status.value = _esc(
                f"Could not save ({exc}). Your text is still in the box; copy it somewhere safe."
            )
            return None
