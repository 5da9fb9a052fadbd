"""The journal file on disk: atomic saves, a lock shared between kernels, recovery of bad files.

One JSON file per learner::

    {"format": "kuril-journal", "version": 1, "learner": "Aiko",
     "latest": {item_id: entry, ...},   # in the order the items were first answered
     "history": [entry, ...]}           # older versions, oldest first, bounded

Every save re-reads the file under a lock, merges the new entries by (item, time) and replaces the
file atomically, so two notebooks saving at once keep each other's answers and a save cut short
leaves the previous file whole. A file that cannot be read is moved aside, never overwritten, and
the entries still readable in it are recovered. The file is strict JSON: no NaN or Infinity.
"""

import contextlib
import json
import math
import os
import re
import tempfile
import threading
import time
import unicodedata
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
try:
    import msvcrt
except ImportError:
    msvcrt = None

FORMAT = "kuril-journal"
VERSION = 1
HISTORY_PER_ITEM = 20
HISTORY_MAX = 500
HISTORY_CHARS = 2_000_000
LOCK_TIMEOUT = 10.0
ENTRY_FIELDS = ("lesson", "item", "answer", "kind", "correct", "prompt", "time")
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_thread_lock = threading.Lock()


class StoreError(OSError):
    """The journal file can be neither read nor moved aside, so it must not be written."""


class _Bad(Exception):
    def __init__(self, reason, salvage=()):
        super().__init__(reason)
        self.reason = reason
        self.salvage = list(salvage)


def slug(name, default="learner"):
    """A file-name-safe, lower-case form of ``name`` (letters of any script, digits, - and _)."""
    text = unicodedata.normalize("NFKC", str(name or "")).casefold()
    text = "".join(c if (c.isalnum() or c in "-_") else "-" for c in text)
    text = re.sub(r"-{2,}", "-", text).strip("-_")[:60].strip("-_")
    if not text:
        return default
    return f"{default}-{text}" if text in _RESERVED else text


def empty(learner=None):
    return {"format": FORMAT, "version": VERSION, "learner": learner, "latest": {}, "history": []}


def _answer_size(entry):
    answer = entry.get("answer")
    if isinstance(answer, str):
        return len(answer)
    try:
        return len(json.dumps(answer))
    except (TypeError, ValueError):
        return 0


def merge(data, new_entries):
    """Return ``data`` with ``new_entries`` added: one entry per (item, time), the newest per item
    in ``latest`` (first-answered order kept), the rest in a bounded ``history``."""
    seen, pool = set(), []
    for entry in [*data["latest"].values(), *data["history"], *new_entries]:
        key = (entry["item"], entry["time"])
        if key not in seen:
            seen.add(key)
            pool.append(entry)
    latest = {}
    for item in [*data["latest"], *(e["item"] for e in pool)]:
        latest.setdefault(item, None)
    for entry in pool:
        best = latest[entry["item"]]
        if best is None or entry["time"] > best["time"]:
            latest[entry["item"]] = entry
    winners = {id(e) for e in latest.values()}
    older = sorted((e for e in pool if id(e) not in winners), key=lambda e: e["time"])
    history, per_item, chars = [], {}, 0
    for entry in reversed(older):  # keep the most recent versions
        n = per_item.get(entry["item"], 0)
        size = _answer_size(entry)
        if n >= HISTORY_PER_ITEM or len(history) >= HISTORY_MAX or chars + size > HISTORY_CHARS:
            continue
        per_item[entry["item"]] = n + 1
        chars += size
        history.append(entry)
    history.reverse()
    return {**data, "latest": latest, "history": history}


def _check_entry(entry, where):
    if not isinstance(entry, dict):
        return f"{where} is not an entry"
    if not isinstance(entry.get("item"), str) or not entry["item"]:
        return f"{where} has no item id"
    if not isinstance(entry.get("time"), str) or not entry["time"]:
        return f"{where} has no time"
    if "answer" not in entry:
        return f"{where} has no answer"
    return None


def _validate(raw):
    """Return a well-formed journal from parsed JSON, or raise _Bad with what could be saved."""
    if not isinstance(raw, dict) or raw.get("format", FORMAT) != FORMAT:
        raise _Bad("it is not a course journal")
    if not isinstance(raw.get("version", VERSION), int) or raw.get("version", VERSION) > VERSION:
        raise _Bad("it was written by a newer version of the course")
    latest, history = raw.get("latest"), raw.get("history", [])
    if not isinstance(latest, dict) or not isinstance(history, list):
        raise _Bad("its 'latest' or 'history' section is missing or damaged")
    good, problems = [], []
    for key, entry in latest.items():
        problem = _check_entry(entry, f"answer {key!r}")
        if not problem and entry["item"] != key:
            problem = f"answer {key!r} is filed under the wrong id"
        (problems.append(problem) if problem else good.append(entry))
    for i, entry in enumerate(history):
        problem = _check_entry(entry, f"history entry {i + 1}")
        (problems.append(problem) if problem else good.append(entry))
    for entry in good:
        for field in ENTRY_FIELDS:
            entry.setdefault(field, None)
    if problems:
        raise _Bad("; ".join(problems[:3]), salvage=good)
    learner = raw.get("learner") if isinstance(raw.get("learner"), str) else None
    data = empty(learner)
    data.update({k: v for k, v in raw.items() if k not in data})  # keep unknown fields
    return merge(data, good)


def _number(text):
    """A JSON number as a float; one too large for a float (1e400) stays its text."""
    value = float(text)
    return value if math.isfinite(value) else text


# Older journals may hold bare NaN / Infinity (not JSON): read them as text, never write them.
_DECODER = json.JSONDecoder(parse_constant=str, parse_float=_number)


def _loads(text):
    return _DECODER.decode(text)


def salvage(text):
    """Every complete entry still readable in a damaged journal's text, read one by one."""
    found, i = [], text.find("{")
    while i >= 0:
        try:
            value, end = _DECODER.raw_decode(text, i)
        except ValueError:
            value, end = None, i + 1
        if isinstance(value, dict) and _check_entry(value, "") is None:
            for field in ENTRY_FIELDS:
                value.setdefault(field, None)
            found.append(value)
        else:
            end = i + 1  # a section around entries (or no object at all): look inside it
        i = text.find("{", end)
    return found


def _parse(path):
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _Bad(f"it could not be opened ({exc.strerror or exc})") from None
    try:
        parsed = _loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Bad("it is not UTF-8 text",
                   salvage(raw.decode("utf-8", "replace"))) from None
    except ValueError as exc:
        raise _Bad(f"it is not valid JSON ({exc})", salvage(raw.decode("utf-8"))) from None
    return _validate(parsed)


def _aside_name(path):
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.stem}.corrupt-{stamp}.json")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.corrupt-{stamp}-{n}.json")
        n += 1
    return candidate


def _recover(path, bad):
    """Move the bad file aside, start a new one with whatever could be saved; return the notice."""
    aside = _aside_name(path)
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        return empty(), []
    except OSError as exc:
        raise StoreError(
            f"The journal file {path} cannot be read ({bad.reason}) and could not be moved aside "
            f"({exc.strerror or exc}). It was left untouched; nothing new is saved there."
        ) from None
    data = merge(empty(), bad.salvage)
    note = (
        f"Your journal file could not be read ({bad.reason}). The damaged file was kept as "
        f"{aside.name} in {aside.parent}, and a new journal was started"
    )
    if bad.salvage:
        _write_json(path, data)
        n = len(data["latest"])
        note += f": {n} answer{'s' if n != 1 else ''} recovered from it"
    else:
        note += ": no answer could be recovered from it"
    return data, [note + "."]


def _read_locked(path):
    try:
        return (_parse(path) or empty()), []
    except _Bad as bad:
        return _recover(path, bad)


def read(path):
    """Return ``(journal, notices)``; a missing file is an empty journal. A bad file is moved aside
    (notice says so). Raises StoreError only if a bad file can be neither read nor moved."""
    path = Path(path)
    try:
        return (_parse(path) or empty()), []
    except _Bad:
        pass
    with _thread_lock, _locked(path):
        return _read_locked(path)


def update(path, new_entries, learner=None):
    """Add ``new_entries`` to the journal at ``path``: re-read, merge, atomic replace, all under
    the lock. Returns ``(journal, notices)``. Raises OSError when it cannot be saved."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _thread_lock, _locked(path):
        _remove_stale_temps(path)
        data, notes = _read_locked(path)
        data = merge(data, list(new_entries))
        if learner:
            data["learner"] = learner
        _write_json(path, data)
        return data, notes


def finite(value):
    """``value`` with every NaN or infinite float replaced by its text, so it is strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value


def _write_json(path, data):
    """Write the journal as strict JSON (no NaN or Infinity: any JSON reader can load it)."""
    data = finite(data)
    try:
        text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
        blob = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate slipped in: escape everything instead
        blob = json.dumps(data, ensure_ascii=True, indent=1, allow_nan=False).encode("ascii")
    atomic_write(path, blob)


def atomic_write(path, blob):
    """Write bytes to ``path`` so that readers see either the old file or the new one, whole."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            view = memoryview(blob)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _replace(src, dst):
    for attempt in range(5):
        try:
            return os.replace(src, dst)
        except PermissionError:  # Windows: the target is open in another process for a moment
            if os.name != "nt" or attempt == 4:
                raise
            time.sleep(0.05 * (attempt + 1))


def _fsync_dir(folder):
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale_temps(path):
    # Under the lock no other save is running, so old temp files are leftovers of killed saves.
    cutoff = time.time() - 60
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()


@contextlib.contextmanager
def _locked(path, timeout=None):
    """Hold an exclusive lock on ``.<name>.lock`` beside the journal. If no lock can be had (no
    locking on this system, or a stuck holder after ``timeout``), carry on unlocked: never hang."""
    try:
        handle = open(path.with_name(f".{path.name}.lock"), "a+b")  # noqa: SIM115
    except OSError:
        yield False
        return
    acquired = False
    try:
        deadline = time.monotonic() + (LOCK_TIMEOUT if timeout is None else timeout)
        while True:
            acquired = _try_lock(handle)
            if acquired is not False or time.monotonic() > deadline:
                break
            time.sleep(0.005)
        yield bool(acquired)
    finally:
        if acquired:
            _unlock(handle)
        handle.close()


def _try_lock(handle):
    """True when locked, False when busy, None when this system has no file locking."""
    try:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        if msvcrt is not None:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
    except BlockingIOError:
        return False
    except OSError as exc:
        if msvcrt is not None and exc.errno in (13, 36):  # EACCES / EDEADLK: held elsewhere
            return False
        return None
    return None


def _unlock(handle):
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        elif msvcrt is not None:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
