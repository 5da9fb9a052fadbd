"""Where ``build`` may write, and how: never deleting, renaming or overwriting what it did not
write.

A build writes ``DIR/student/``, ``DIR/instructor/`` and a marker file ``DIR/.kuril-release``
listing every file it wrote (with a SHA-256 hash) and the format version. ``--force`` replaces
``DIR`` only when that marker is there and still lists everything in ``DIR`` unchanged; anything
else is refused with a message saying why and what to do:

- a path that is a file, a symbolic link, or anything but a folder (never moved or renamed);
- the course folder, its data folder or an extra file's folder, a folder inside one of them, or
  a folder containing one;
- a non-empty folder without ``--force``; with ``--force``, a folder the build did not write, or
  one holding files added or changed since (a ``git init`` in ``student/`` included).

The release is written to a temporary folder beside ``DIR`` and moved into place at the end; on
any failure the temporary folder goes and ``DIR`` is as it was.
"""

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import Problem

__all__ = ["MARKER", "FORMAT", "refusals", "written_by_build", "write"]

MARKER = ".kuril-release"
FORMAT = 1
_SIGNATURE = "kuril-course release"
_SHOW = 5  # files named in a refusal before "and N more"


def refusals(out, protected, force):
    """Why the build may not write to ``out`` (a list of Problems; empty when it may).

    ``protected``: folders the build must never write into nor replace (the course folder, the
    data folder, the folders of extra files)."""
    raw = Path(os.path.abspath(Path(out).expanduser()))

    def no(message):
        return [Problem(str(out), "", "--out", message)]

    if os.path.islink(raw):
        return no(f"is a symbolic link (to {os.readlink(raw)}): the build never writes through "
                  "a link; give the path of a new folder instead")
    if os.path.lexists(raw) and not raw.is_dir():
        return no("is a file, not a folder: the build leaves files alone (it never moves, "
                  "renames or deletes one); give the path of a new folder, e.g. ../release")
    out = raw.resolve()
    for folder in protected:
        folder = Path(folder).resolve()
        if out == folder or folder in out.parents:
            return no(f"is inside the course folder ({folder}): a release there could be shared "
                      "or committed with its answer keys; give a folder outside it, e.g. "
                      "../release")
        if out in folder.parents:
            return no(f"contains the course folder ({folder}): the build never replaces it; "
                      "give a new folder outside it, e.g. ../release")
    if not raw.exists() or not any(raw.iterdir()):
        return []
    if not force:
        return no("already exists and is not empty: give a new or empty folder, or add --force "
                  "to replace a release that an earlier build wrote there")
    why = written_by_build(raw)
    return no(why) if why else []


def written_by_build(folder):
    """None when ``folder`` holds exactly what an earlier build wrote; otherwise why not."""
    folder = Path(folder)
    marker = folder / MARKER
    if not marker.is_file() or marker.is_symlink():
        return (f"was not written by build (it has no {MARKER} file): --force replaces only a "
                "release an earlier build wrote. Give a new or empty folder, or move this one's "
                "files elsewhere yourself")
    try:
        manifest = json.loads(marker.read_text(encoding="utf-8"))
        version, files = manifest["format"], manifest["files"]
        links = manifest.get("links", {})
        if manifest.get("written_by") != _SIGNATURE or not isinstance(files, dict):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        return (f"has a {MARKER} file that build cannot read, so it cannot tell what it wrote "
                "there: give a new or empty folder")
    if not isinstance(version, int) or version > FORMAT:
        return (f"was written by a newer build (format {version}; this one knows {FORMAT}): "
                "update the course tools, or give a new folder")
    added, changed = _differences(folder, files, links)
    if added or changed:
        parts = []
        if added:
            parts.append("files the build did not write: " + _some(added))
        if changed:
            parts.append("files changed since the build: " + _some(changed))
        return ("holds " + "; and ".join(parts) + ". --force would delete them, so it stops: "
                "move them out of the folder (or build into a new folder)")
    return None


def _some(names):
    shown = ", ".join(names[:_SHOW])
    return shown + (f" and {len(names) - _SHOW} more" if len(names) > _SHOW else "")


def _differences(folder, files, links):
    added, changed = [], []
    for rel, kind, path in _entries(folder):
        if rel == MARKER:
            continue
        if kind == "link":
            if links.get(rel) != os.readlink(path):
                (changed if rel in links else added).append(rel)
        elif kind == "file":
            if rel not in files:
                added.append(rel)
            elif files[rel] != _hash(path):
                changed.append(rel)
        elif kind != "dir":
            added.append(rel)
    return added, changed


def _entries(folder):
    """``(relative POSIX path, 'dir' | 'file' | 'link' | 'other', path)`` for everything under
    ``folder``, never following a link."""
    for top, dirs, names in os.walk(folder):
        for name in sorted(dirs) + sorted(names):
            path = Path(top) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                yield rel, "link", path
            elif path.is_dir():
                yield rel, "dir", path
            elif path.is_file():
                yield rel, "file", path
            else:
                yield rel, "other", path
        dirs[:] = [d for d in dirs if not (Path(top) / d).is_symlink()]


def _hash(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_marker(folder):
    files, links = {}, {}
    for rel, kind, path in _entries(folder):
        if kind == "file":
            files[rel] = _hash(path)
        elif kind == "link":
            links[rel] = os.readlink(path)
    manifest = {"written_by": _SIGNATURE, "format": FORMAT,
                "note": "Written by `python -m helpers.instructor build`; `build --force` replaces "
                        "this folder only while this file lists everything in it, unchanged.",
                "files": files, "links": links}
    (folder / MARKER).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8")


class Refused(Exception):
    """The output folder changed during the build so that it may no longer be written."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def write(out, fill, protected, force):
    """Write a release to ``out``: ``fill(tmp)`` writes the content into a new temporary folder
    beside ``out``; the marker is added and the folder moved into place. Returns notes for the
    report (usually none). Raises :class:`Refused` when ``out`` may not be written (checked again
    at the end), OSError when writing fails; in both cases ``out`` is as it was and nothing is
    left beside it."""
    out = Path(os.path.abspath(Path(out).expanduser()))
    problems = refusals(out, protected, force)
    if problems:
        raise Refused(problems)
    created, tmp = [], None
    try:
        _make_parents(out.parent, created)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a release is to be shared
        fill(tmp)
        _write_marker(tmp)
        problems = refusals(out, protected, force)  # anything changed while we built?
        if problems:
            raise Refused(problems)
        notes = _move_into_place(tmp, out)
        tmp = None
        return notes
    finally:
        if tmp is not None or created:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            for folder in created:  # only the empty folders this call made
                try:
                    folder.rmdir()
                except OSError:
                    break


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _make_parents(parent, created):
    """Make the missing folders above ``out``; ``created`` gets each, deepest first."""
    missing = []
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        folder.mkdir()
        created.insert(0, folder)


def _move_into_place(tmp, out):
    if not out.exists():
        tmp.rename(out)
        return []
    if not any(out.iterdir()):  # an empty folder of the user's: fill it, keep the folder
        moved = []
        try:
            for name in ("instructor", "student", MARKER):  # the marker last
                if (tmp / name).exists():
                    (tmp / name).rename(out / name)
                    moved.append(name)
        except OSError:
            for name in reversed(moved):
                (out / name).rename(tmp / name)
            raise
        tmp.rmdir()
        return []
    # An earlier release (checked by refusals()): set it aside, move the new one in, then
    # delete the old one only if it still holds nothing but what the build wrote.
    holder = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    old = holder / out.name
    out.rename(old)
    try:
        tmp.rename(out)
    except OSError:
        old.rename(out)
        holder.rmdir()
        raise
    if written_by_build(old) is None:
        shutil.rmtree(holder)
        return []
    # something appeared in the moment between the check and the move: keep it all
    return [f"The earlier release changed while the build ran, so it was not deleted: it is in "
            f"{old} (delete it yourself once you have what you need from it)."]
