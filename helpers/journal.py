"""The learner's journal: every answer saved the moment it is given, downloadable as one file.

A Binder session that sits idle for about ten minutes is deleted with everything in it, so answers
go to disk at once, and the learner can download all of it as one HTML (or Markdown) file::

    journal.start("01_shimoda_to_yalta")       # name field, where work is saved, download link
    journal.respond("l1-central-claim")        # an open question from the lesson's exercise bank
    journal.record("01_shimoda_to_yalta", "q3", ["a", "c"], kind="choice", correct=True)

Each learner name has one JSON file in ``$KURIL_JOURNAL_DIR``, else ``journal_dir`` in course.yml,
else ``~/kuril-journal``. Nothing is sent anywhere. An entry is a dict with ``lesson, item, answer,
kind, correct, prompt, time`` (UTC, ISO 8601) and, when the answer had to be cleaned, ``note``.
The engine is ``helpers._journal.book``; the widgets are in ``helpers._journal.widgets``.
"""

from ._journal import book
from ._journal.book import (
    BINDER_NOTE,
    DEFAULT_LEARNER,
    entries,
    export_filename,
    export_html,
    export_markdown,
    get,
    journal_dir,
    journal_path,
    learner,
    record,
    save_error,
    set_learner,
    status,
    write_export,
)
from ._journal.widgets import DownloadBox, ResponseBox, StartBox

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
    "save_error",
    "BINDER_NOTE",
    "DEFAULT_LEARNER",
    "DownloadBox",
    "ResponseBox",
    "StartBox",
]


def start(lesson_id):
    """The journal box for the top of a lesson: name, save status, download. Safe to call twice."""
    book.set_lesson(lesson_id)
    return StartBox(lesson_id)


def respond(prompt_id, prompt=None, lesson=None, long=False):
    """An open-response box, saved in the journal under ``prompt_id`` as the learner writes.

    ``journal.respond("l1-central-claim")`` asks the open question of that id in the exercise
    banks (kind ``open``: its prompt, lesson and length come from there). With a ``prompt``
    (Markdown) of its own it asks that instead, e.g. in an instructor's own notebook."""
    book.check_id("prompt_id", prompt_id)
    if prompt is None:
        from . import quiz  # the banks: one place for every question a lesson asks

        return quiz.show(prompt_id)
    return ResponseBox(prompt_id, prompt, lesson or book.lesson(), long)


def download_button(lesson=None):
    """A "Download my work" control: one HTML file with every answer of ``lesson`` or the course."""
    return DownloadBox(lesson)
