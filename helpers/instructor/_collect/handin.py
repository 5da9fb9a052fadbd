"""One hand-in file: find its data block, check it, and say plainly what is wrong with it.

A hand-in is the HTML or Markdown file a learner saved with "Download my work"; its answers are in
a data block written by ``helpers._journal.export`` (see there). :func:`read` returns a
:class:`Handin` or raises :class:`Unreadable` with one sentence saying why, in words an instructor
can act on. Nothing in a file is run or rendered: the data block is parsed as JSON, the rest of
the file is only searched for the markers the export writes.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..._journal import export

MAX_BYTES = 25 * 1024 * 1024  # far above any real hand-in (answers are capped at 1 MB each)
HTML_OPEN = f'<script type="application/json" id="{export.DATA_ID}">'
HTML_CLOSE = "</script>"
_MD_OPEN = re.compile(rf"^(`{{3,}}){re.escape(export.DATA_ID)}[ \t]*$", re.M)
_OWN_TITLE = f"My work: {export.TITLE}"
_ANY_TITLE = re.compile(r"<h1>My work: ([^<]{1,200})</h1>|^# My work: (.{1,200})$", re.M)
ASK_AGAIN = "ask the learner to press Download my work again and hand in the new file"
MAX_DEPTH = 64  # no answer the course records is nested deeper (a matching answer: 2)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Unreadable(Exception):
    """The file is not collected; ``reason`` says why (it follows the file's name)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Handin:
    """A hand-in that passed every check."""

    name: str  # the file as messages name it (relative to the hand-ins folder)
    learner: str
    account: object  # str or None
    scope: object  # the lesson exported, or None for the whole course
    exported: str
    entries: list
    checksum: str
    sha256: str  # of the file's bytes: finds duplicates
    size: int = 0
    notes: list = field(default_factory=list)


def read(path, name):
    """Read the hand-in at ``path`` (called ``name`` in messages); raise Unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise Unreadable(f"is {size / 2**20:.1f} MB, larger than any hand-in can be (the "
                             f"limit is {MAX_BYTES // 2**20} MB); it was not opened")
        blob = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"could not be opened ({exc.strerror or exc})") from None
    if not blob.strip():
        raise Unreadable("is empty")
    return parse(blob, name)


def parse(blob, name):
    """A Handin from the bytes of a file (``name`` for messages); raise Unreadable."""
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("is not a text file, so not a hand-in from this course") from None
    raw = _data_block(text)
    data = _json(raw)
    try:
        _check_identity(data)
        entries = _check_fields(data)
    except RecursionError:
        raise Unreadable(f"its answer data is nested too deeply to be a hand-in (edited?); "
                         f"{ASK_AGAIN}") from None
    return Handin(name=name, learner=plain(data["learner"]), account=data["account"],
                  scope=data["scope"], exported=data["exported"], entries=entries,
                  checksum=data["checksum"], sha256=hashlib.sha256(blob).hexdigest(),
                  size=len(blob))


# ---------------------------------------------------------------- finding the data


def _data_block(text):
    html_at = text.find(HTML_OPEN)
    if html_at >= 0:
        if text.find(HTML_OPEN, html_at + 1) >= 0:
            raise Unreadable("holds two answer-data blocks: it was edited; " + ASK_AGAIN)
        end = text.find(HTML_CLOSE, html_at)
        if end < 0:
            raise Unreadable(f"is cut short (truncated) inside its answer data; {ASK_AGAIN}")
        return text[html_at + len(HTML_OPEN):end]
    found = list(_MD_OPEN.finditer(text))
    if found:
        return _md_block(text, found[-1])
    if export.MARKER in text or export.MD_MARKER in text:
        raise Unreadable(f"is cut short (truncated): its answer data at the end is missing; "
                         f"{ASK_AGAIN}")
    title = _ANY_TITLE.search(text[:20_000])
    if title and _OWN_TITLE.split(": ", 1)[1] in (title.group(1) or title.group(2) or ""):
        raise Unreadable("was downloaded before hand-ins carried their answers as data, so its "
                         f"answers cannot be read exactly; {ASK_AGAIN}")
    if title:
        other = plain(title.group(1) or title.group(2), 80)
        raise Unreadable(f"is a hand-in from another course ('{other}')")
    raise Unreadable("is not a hand-in (no 'My work' page from this course)")


def _md_block(text, opening):
    fence = opening.group(1)
    rest = text[opening.end():].lstrip("\r\n")
    close = re.search(rf"^{fence}[ \t]*$", rest, re.M)
    if close is None:
        raise Unreadable(f"is cut short (truncated) inside its answer data; {ASK_AGAIN}")
    return rest[:close.start()]


def _json(raw):
    raw = raw.strip()
    try:
        return json.loads(raw)
    except RecursionError:
        raise Unreadable("its answer data is nested too deeply to be a hand-in (edited?)") from None
    except ValueError as exc:
        near_end = getattr(exc, "pos", 0) >= len(raw) - 1
        if near_end and not raw.endswith("}"):
            raise Unreadable(f"is cut short (truncated) inside its answer data; {ASK_AGAIN}") \
                from None
        where = f"line {getattr(exc, 'lineno', '?')}, column {getattr(exc, 'colno', '?')}"
        raise Unreadable(f"its answer data is not valid JSON ({where}): the file was edited or "
                         f"damaged; {ASK_AGAIN}") from None


# ---------------------------------------------------------------- checking the data


def _check_identity(data):
    if not isinstance(data, dict) or data.get("format") != export.FORMAT:
        raise Unreadable("its answer-data block is not in the hand-in format (edited?)")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise Unreadable(f"its hand-in format version ({version!r}) is not a number this course "
                         "ever wrote (edited?)")
    if version > export.VERSION:
        raise Unreadable(f"was made by a newer version of the course (hand-in format {version}; "
                         f"this copy reads format {export.VERSION}): update your copy of the "
                         "course, then collect again")
    course = data.get("course")
    course_id = course.get("id") if isinstance(course, dict) else None
    if course_id != export.COURSE_ID:
        title = course.get("title") if isinstance(course, dict) else None
        shown = f"'{str(title)[:80]}'" if title else repr(course_id)
        raise Unreadable(f"is a hand-in from another course ({plain(shown, 90)})")
    if data.get("checksum") != export.checksum(data):
        raise Unreadable("its answers were changed after it was downloaded (the checksum does "
                         f"not match); {ASK_AGAIN}")


def _time(value):
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
        return True
    except ValueError:
        return False


def _check_fields(data):
    learner = data.get("learner")
    if not isinstance(learner, str) or not plain(learner):
        raise Unreadable("its data has no learner name (edited?)")
    for key, kinds in (("account", (str, type(None))), ("scope", (str, type(None))),
                       ("exported", (str,)), ("entries", (list,))):
        if not isinstance(data.get(key), kinds):
            raise Unreadable(f"its data field '{key}' is missing or of the wrong type (edited?)")
    entries = []
    for n, entry in enumerate(data["entries"], start=1):
        problem = _entry_problem(entry)
        if not problem and isinstance(entry["answer"], (list, dict)) and _too_deep(entry["answer"]):
            problem = "is nested deeper than any answer can be"
        if problem:
            raise Unreadable(f"answer {n} in its data {problem} (edited?)")
        entries.append(entry)
    return entries


def _entry_problem(entry):
    if not isinstance(entry, dict):
        return "is not an answer"
    if not isinstance(entry.get("item"), str) or not entry["item"]:
        return "has no question id"
    if "answer" not in entry:
        return "has no answer"
    if not _time(entry.get("time")):
        return "has no valid time"
    for key in ("lesson", "kind", "prompt", "note"):
        if not isinstance(entry.get(key), (str, type(None))):
            return f"has a '{key}' that is not text"
    return None


def plain(text, limit=120):
    """A name as one line of printable text (control and direction characters become spaces),
    so that nothing typed can move the cursor or colour a terminal, or reorder a line."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())[:limit]


def _too_deep(value):
    """True when lists and dicts in ``value`` nest deeper than MAX_DEPTH."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        inner = item.values() if isinstance(item, dict) else item
        stack += [(v, depth + 1) for v in inner if isinstance(v, (list, dict))]
    return False


def when(entry):
    """An entry's time as an aware datetime (naive times are taken as UTC)."""
    moment = datetime.fromisoformat(entry["time"])
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
