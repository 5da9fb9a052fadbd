"""Writing a whole output folder at once, and never over a folder this tool did not write.

:func:`write_folder` writes every file into a new temporary folder beside the target, then puts
it in place with renames: a reader sees the old folder or the new one, never half of either, and
a failure leaves the old one as it was. The target must be new, empty, or a folder this tool wrote
before (it holds :data:`MARKER`, listing each file with its checksum) whose files are all still
as written; anything added or changed there is named and the folder is left alone. Jupyter's own
caches (``.ipynb_checkpoints``, ``__pycache__``) do not count as changes.
"""

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

MARKER = ".kuril-output.json"
CACHES = (".ipynb_checkpoints", "__pycache__")


class OutputError(Exception):
    """The folder cannot be written; the message says why and what to do."""


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder):
    """{relative path: Path} of every file and link under ``folder`` (links not followed),
    caches left out."""
    found = {}
    for top, dirs, names in os.walk(folder):
        base = Path(top)
        dirs[:] = [d for d in dirs if d not in CACHES]
        for name in [*names, *(d for d in dirs if (base / d).is_symlink())]:
            path = base / name
            found[path.relative_to(folder).as_posix()] = path
    return found


def problems(out, tool, replaceable=()):
    """Why ``out`` may not be (re)written by ``tool`` (a list of sentences; empty: it may).
    ``replaceable``: files the caller has read and carries over, which may have changed."""
    out = Path(out)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        return [f"{out} exists and is not a folder: choose a new folder"]
    if not out.exists() or not any(out.iterdir()):
        return []
    try:
        marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
        written = marker["files"] if marker.get("tool") == tool else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        written = None
    if not isinstance(written, dict):
        return [f"{out} is not empty and was not written by {tool}: choose a new folder (nothing "
                "there is replaced)"]
    changed = []
    for rel, path in _listing(out).items():
        if rel == MARKER or rel in replaceable:
            continue
        if rel not in written:
            changed.append(f"{rel} (added)")
        elif path.is_symlink():
            if written[rel] != "link:" + os.readlink(path):
                changed.append(f"{rel} (changed)")
        elif written[rel] != _sha(path):
            changed.append(f"{rel} (changed)")
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5
                                          else "")
        return [f"{out} was written by {tool}, but since then: {shown}. Move what you want to "
                "keep out of it, or choose a new folder; nothing there is replaced"]
    return []


def write_folder(out, files, tool, links=None, replaceable=()):
    """Write ``files`` ({relative path: bytes}) and ``links`` ({relative path: target}) as the
    folder ``out``, replacing an earlier output of ``tool``. Raises OutputError or OSError."""
    out = Path(out).absolute()
    found = problems(out, tool, replaceable)
    if found:
        raise OutputError(found[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-writing-", dir=out.parent))
    try:
        written = {}
        for rel, blob in sorted(files.items()):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
            written[rel] = hashlib.sha256(blob).hexdigest()
        for rel, link in sorted((links or {}).items()):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.symlink_to(link, target_is_directory=True)
                written[rel] = "link:" + os.readlink(target)
            except OSError:  # no symbolic links here (some Windows set-ups): go without
                pass
        (tmp / MARKER).write_text(json.dumps({"tool": tool, "files": written}, indent=1),
                                  encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(written)


def _swap(tmp, out):
    if not out.exists():
        os.rename(tmp, out)
        return
    if not any(out.iterdir()):
        os.rmdir(out)  # an empty folder: nothing in it to lose
        os.rename(tmp, out)
        return
    old = tmp.with_name(tmp.name.replace("-writing-", "-old-"))
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
