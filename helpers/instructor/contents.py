"""What a course is made of: the explicit list of files a student release takes.

The build never copies "whatever is in the folder". It takes

- ``notebooks/<lesson>.ipynb`` for each lesson of ``course.yml``, the images in ``notebooks/``
  that a lesson names, and the ``notebooks/helpers`` link (recreated as a link to ``../helpers``);
- from the data folder, the files of known kinds listed in ``DATA`` (the course's tables, YAML
  files and notes at its top, by name, maps, role cards; never a sub-folder it does not name, such as instructor notes,
  nor a backup copy such as ``events.csv~`` or ``bank.yml.bak``); the exercise banks of the
  course's lessons are chosen by the build (``StripAnswers``);
- the support files in ``SUPPORT_FILES`` and ``SUPPORT_DIRS`` (the helpers package's ``.py``
  files, Jupyter's ``share/`` and ``etc/`` settings, Binder's files, the pinned requirements).

A symbolic link in any of those places stops the build (the release would carry whatever it
points to). An earlier release (a folder with a ``.kuril-release`` file, or holding ``student/``
and ``instructor/index.html``) and another course (a folder with its own ``course.yml``) inside the
course are never entered. :func:`not_copied` lists everything else left out, for the report.
"""

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from .output import MARKER

__all__ = [
    "DATA",
    "SUPPORT_FILES",
    "SUPPORT_DIRS",
    "IMAGES",
    "HELPERS_LINK",
    "Found",
    "notebook_files",
    "data_files",
    "support_files",
    "not_copied",
    "is_earlier_release",
]

IMAGES = ("*.png", "*.jpg", "*.jpeg", "*.gif", "*.svg", "*.webp")
IMAGES_SUFFIXES = tuple(p[1:] for p in IMAGES)
# Relative to the data folder: the patterns taken in each folder (never in sub-folders).
DATA = {
    # the course's own tables and YAML files by name (a stray grades.csv is listed, not taken)
    "": ("documents.csv", "eras.csv", "events.csv", "islands.csv", "population.csv",
         "positions.csv", "sources.csv", "glossary.csv", "conditions.yml", "proposals.yml",
         "README.md", "NOTES_*.md"),
    "geo": ("*.geojson", "*.csv", "*.md", "COPYING*"),
    "roles": ("*.yml",),
    "exercises": ("README.md",),
}
SUPPORT_FILES = ("README.md", "LICENSE", "LICENSE-*", "LICENSE.*", "CITATION.cff",
                 "pyproject.toml", "environment.yml", "run.py")
_BINDER = ("environment.yml", "requirements.txt", "apt.txt", "postBuild", "start",
           "runtime.txt")
# Folder: patterns taken in it and in its sub-folders (helpers: only its Python packages).
SUPPORT_DIRS = {
    "helpers": ("*.py",),
    "share": ("*.json", "*.j2", "*.css", "*.js", "*.html", "*.svg", "*.png"),
    "etc": ("*.json",),
    "binder": _BINDER,
    ".binder": _BINDER,
    "requirements": ("*.txt",),
}
HELPERS_LINK = ("notebooks/helpers", "../helpers")
# Tool and cache folders: never part of a course, never listed one by one.
TOOL_FOLDERS = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
                ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache", ".ruff_cache", "*.egg-info",
                ".tox", ".nox")


@dataclass
class Found:
    """Files found for the release: ``files`` release path -> source, ``links`` release path ->
    link target, ``problems`` (symbolic links that stop the build)."""

    files: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


def is_earlier_release(folder):
    """True for a folder an earlier build wrote (or a copy of one's parts)."""
    folder = Path(folder)
    return (folder / MARKER).exists() or (
        (folder / "student").is_dir() and (folder / "instructor" / "index.html").is_file())


def _is_tool(name):
    return any(fnmatch.fnmatch(name, pattern) for pattern in TOOL_FOLDERS)


def _pruned(folder, root):
    """Why a sub-folder of the course is never entered (or None)."""
    if _is_tool(folder.name):
        return "tool"
    if is_earlier_release(folder):
        return "release"
    if folder != root and (folder / "course.yml").is_file():
        return "course"
    return None


def _link_problem(label, path):
    return Problem(label, "", "", (
        f"is a symbolic link (to {os.readlink(path)}): a release never follows links, so it "
        "would carry whatever the link points to. Replace the link with the file or folder "
        "itself, or move it out of the course"))


def _walk(folder, root, label, patterns, recursive, found, keep_dir=None):
    """Add to ``found`` the files under ``folder`` matching ``patterns``; symbolic links are
    problems. ``label`` is the release path of ``folder``."""
    if folder.is_symlink():
        found.problems.append(_link_problem(label, folder))
        return
    if not folder.is_dir():
        return
    for entry in sorted(folder.iterdir()):
        rel = f"{label}/{entry.name}"
        if entry.name.startswith(".") or _is_tool(entry.name):
            continue
        if entry.is_symlink():
            if (rel, os.readlink(entry)) == HELPERS_LINK:
                found.links[rel] = HELPERS_LINK[1]
            else:
                found.problems.append(_link_problem(rel, entry))
        elif entry.is_dir():
            if recursive and not _pruned(entry, root) and (keep_dir is None or keep_dir(entry)):
                _walk(entry, root, rel, patterns, recursive, found, keep_dir)
        elif entry.is_file() and any(fnmatch.fnmatch(entry.name, p) for p in patterns):
            found.files[rel] = entry


def _named_in(lessons_text):
    """Keep an image only when a lesson names it (an answer key saved as a picture is not)."""
    return lambda rel: rel.split("/", 1)[1] in lessons_text or Path(rel).name in lessons_text


def notebook_files(root, lessons):
    """The lessons' notebooks (``files``, by release path), the images they name, and the helpers
    link."""
    root = Path(root)
    found = Found()
    _walk(root / "notebooks", root, "notebooks", IMAGES, True, found)
    text = "\n".join(_lesson_text(root / "notebooks" / f"{lesson}.ipynb") for lesson in lessons)
    named = _named_in(text)
    for rel in [r for r in found.files if not named(r)]:
        del found.files[rel]
    helpers = root / "notebooks" / "helpers"
    # A checkout without symbolic links (Windows) holds the link as a file with its target.
    if helpers.is_file() and not helpers.is_symlink() and _text(helpers) == HELPERS_LINK[1]:
        found.links[HELPERS_LINK[0]] = HELPERS_LINK[1]
    for lesson in lessons:
        path = root / "notebooks" / f"{lesson}.ipynb"
        rel = f"notebooks/{lesson}.ipynb"
        if path.is_symlink():
            found.problems.append(_link_problem(rel, path))
        else:
            found.files[rel] = path
    return found


def _lesson_text(path):
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return ""


def _text(path):
    try:
        return path.read_text(encoding="utf-8").strip() if path.stat().st_size < 100 else None
    except (OSError, UnicodeDecodeError):
        return None


def data_files(data_dir):
    """The data files of known kinds (``DATA``), by release path (``data/...``)."""
    data_dir = Path(data_dir)
    found = Found()
    if data_dir.is_symlink():
        found.problems.append(_link_problem("data", data_dir))
        return found
    for sub, patterns in DATA.items():
        folder = data_dir / sub if sub else data_dir
        _walk(folder, data_dir, "data" + (f"/{sub}" if sub else ""), patterns, False, found)
    for rel in [r for r in found.files if r.startswith("data/exercises/")
                and r != "data/exercises/README.md"]:
        del found.files[rel]
    return found


def support_files(root):
    """The helpers package and the project's support files, by release path."""
    root = Path(root)
    found = Found()
    for entry in sorted(root.iterdir()) if root.is_dir() else []:
        if not any(fnmatch.fnmatch(entry.name, p) for p in SUPPORT_FILES):
            continue
        if entry.is_symlink():
            found.problems.append(_link_problem(entry.name, entry))
        elif entry.is_file():
            found.files[entry.name] = entry
    for name, patterns in SUPPORT_DIRS.items():
        keep = (lambda d: (d / "__init__.py").is_file()) if name == "helpers" else None
        _walk(root / name, root, name, patterns, True, found, keep_dir=keep)
    return found


def not_copied(root, used, links=()):
    """What the release leaves out of the course folder ``root``: a list of ``(path, why)``.
    ``used``: the resolved source paths the release took; ``links``: links it recreates (paths
    relative to ``root``). A top folder of which nothing is taken is one line
    (``tests/ (57 files)``); tool and cache folders (``.git``, ``.venv``...) are one line."""
    root = Path(root)
    used = {Path(p) for p in used}
    left, tools = [], set()
    for top, dirs, names in os.walk(root):
        top = Path(top)
        keep = []
        for name in sorted(dirs):
            path = top / name
            why = None if path.is_symlink() else _pruned(path, root)
            if path.is_symlink():
                names.append(name)  # listed below, like a file
            elif why == "tool":
                tools.add(name)
            elif why:
                left.append((path.relative_to(root).as_posix() + "/", _PRUNED[why]))
            else:
                keep.append(name)
        dirs[:] = keep
        for name in sorted(names):
            path = top / name
            rel = path.relative_to(root).as_posix()
            if rel in links or (not path.is_symlink() and path.resolve() in used):
                continue
            if top == root and _is_tool(name):  # .git is a file in a git worktree
                tools.add(name)
                continue
            left.append((rel, _reason(path, root)))
    taken = {u.relative_to(root).parts[0] for u in used if _inside(u, root)}
    taken |= {link.split("/")[0] for link in links}
    lines, grouped = [], set()
    for rel, why in left:
        head = rel.split("/")[0]
        if "/" not in rel.rstrip("/") or head in taken:
            lines.append((rel, why))
        elif head not in grouped:
            grouped.add(head)
            count = _count(root / head)
            lines.append((f"{head}/", f"{count} file{'s' if count != 1 else ''}, none of them "
                          "part of a course release"))
    if tools:
        lines.append((", ".join(sorted(tools)), "tool and cache files and folders"))
    return sorted(lines)


def _count(folder):
    total = 0
    for _top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not _is_tool(d)]
        total += len(names)
    return total


_PRUNED = {
    "release": "an earlier release (never copied into a new one)",
    "course": "another course (it has its own course.yml)",
}


def _inside(path, root):
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _reason(path, root):
    rel = path.relative_to(root).as_posix()
    name = path.name
    if path.is_symlink():
        return "a symbolic link"
    if name.startswith("."):
        return "a hidden file"
    if name.endswith(("~", ".bak", ".orig", ".swp", ".tmp")) or name.startswith("#"):
        return "a backup or temporary copy"
    if rel.startswith("notebooks/") and name.endswith(".ipynb"):
        return "not a lesson listed in course.yml"
    if "/exercises/" in f"/{rel}" and name.endswith((".yml", ".yaml")):
        return "an exercise bank of a lesson not in course.yml"
    if rel.startswith("notebooks/") and name.lower().endswith(IMAGES_SUFFIXES):
        return "an image no lesson names"
    if name.startswith("NOTES_") and name.endswith(".md"):
        return ("research notes: left out when feedback is none, since they discuss what some "
                "exercises accept")
    return "not a kind of file a course release takes"
