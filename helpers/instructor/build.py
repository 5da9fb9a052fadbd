"""``python -m helpers.instructor build --out DIR``: a student release and an instructor pack.

The build is an ordered list of small named steps (``STEPS``). Each step is a pure function from
one in-memory :class:`Release` to a new one (it works on a copy); nothing touches ``DIR`` until
every step has succeeded. Then the release is written to a temporary folder beside ``DIR`` and
moved into place, so a failed build leaves ``DIR`` as it was.

``DIR/student/``     what learners get: notebooks without instructor cells, solutions or
                     outputs; data; exercise banks without instructor notes (and, in feedback
                     mode ``none``, without answers); the course file; the helpers package.
``DIR/instructor/``  an answer key per lesson, as Markdown and HTML, with ``index.html``.
"""

import copy
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from .. import course, data
from .._common import notes
from .._quiz.kinds import ANSWER_FIELDS, KINDS
from ..errors import DataError, Problem
from . import answer_key, check
from .notebooks import INSTRUCTOR_TAG, SOLUTION_TAG, clear_solution, tags

__all__ = [
    "BuildError",
    "Release",
    "Step",
    "ValidateCourse",
    "CopyNotebooks",
    "RemoveInstructorCells",
    "ClearSolutions",
    "ClearOutputs",
    "CopyData",
    "CopySupportFiles",
    "WriteAnswerKey",
    "StripAnswers",
    "STEPS",
    "strip_bank",
    "run_steps",
    "write",
    "build",
]

# Files and folders of the course folder that a student release needs in order to run.
SUPPORT = (
    "helpers", "pyproject.toml", "environment.yml", "README.md", "LICENSE", "LICENSE-CONTENT.md",
    "run.py", "binder", ".binder", "postBuild", "start", "apt.txt", "requirements.txt",
    "share", "CITATION.cff",
)
_SKIP = ("__pycache__", ".ipynb_checkpoints", ".DS_Store")


class BuildError(DataError):
    """The build stopped; ``problems`` says why (file, cell or exercise, field, message)."""


@dataclass
class Release:
    """A release in memory. Paths are relative (POSIX) to ``student/`` or ``instructor/``."""

    root: Path
    data_dir: Path
    settings: dict
    registry: object = None
    notebooks: dict = field(default_factory=dict)   # path -> NotebookNode
    files: dict = field(default_factory=dict)       # path -> source Path, copied as is
    banks: dict = field(default_factory=dict)       # path -> exercise bank (dict), as YAML
    instructor: dict = field(default_factory=dict)  # path -> text
    links: dict = field(default_factory=dict)       # path -> relative symlink target

    def copy(self):
        """A copy that a step may change without touching this one."""
        return Release(self.root, self.data_dir, self.settings, self.registry,
                       copy.deepcopy(self.notebooks), dict(self.files),
                       copy.deepcopy(self.banks), dict(self.instructor), dict(self.links))

    def release_path(self, path):
        """Where a course file goes in the student release (ValueError when outside)."""
        path = Path(path).resolve()
        try:
            return "data/" + path.relative_to(Path(self.data_dir).resolve()).as_posix()
        except ValueError:
            return path.relative_to(Path(self.root).resolve()).as_posix()


class Step:
    """One named build step: ``step(release)`` returns a changed copy of ``release``."""

    def __call__(self, release):
        new = release.copy()
        self.apply(new)
        return new

    def apply(self, release):  # pragma: no cover - every step overrides it
        raise NotImplementedError

    def __repr__(self):
        return type(self).__name__


class ValidateCourse(Step):
    """Stop the build if ``check`` finds any problem or an extra file lies outside the course."""

    def apply(self, release):
        report = check.run()
        problems = list(report.problems)
        for kind in course.EXTRA_KINDS:
            for path in course.extra_data_files(kind):
                try:
                    release.release_path(path)
                except ValueError:
                    problems.append(Problem(course.course_label(), "", f"extra.{kind}", (
                        f"'{path}' is outside the course folder: move it inside to build")))
        if problems:
            raise BuildError(problems)
        release.registry = report.registry


class CopyNotebooks(Step):
    """Take the notebooks of the course's ``lessons`` (others are left out), and the other
    files in ``notebooks/`` such as images."""

    def apply(self, release):
        folder = Path(release.root) / "notebooks"
        problems = []
        for lesson in release.settings["lessons"]:
            label = f"notebooks/{lesson}.ipynb"
            nb, probs = check.read_notebook(folder / f"{lesson}.ipynb", label)
            problems += probs
            if nb is not None:
                release.notebooks[label] = nb
        if problems:
            raise BuildError(problems)
        for path in _walk(folder):
            if path.suffix != ".ipynb":
                release.files["notebooks/" + path.relative_to(folder).as_posix()] = path
        # notebooks/helpers -> ../helpers lets a JupyterHub kernel import the helpers: keep it.
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.is_symlink() and not os.path.isabs(os.readlink(path)):
                release.links["notebooks/" + path.name] = os.readlink(path)


class RemoveInstructorCells(Step):
    """Drop every cell tagged ``instructor``."""

    def apply(self, release):
        for nb in release.notebooks.values():
            nb.cells = [c for c in nb.cells if INSTRUCTOR_TAG not in tags(c)]


class ClearSolutions(Step):
    """Replace solutions (cells tagged ``solution``; lines between ``### BEGIN SOLUTION`` and
    ``### END SOLUTION``) with a placeholder; unclosed or nested markers stop the build."""

    def apply(self, release):
        problems = []
        for label, nb in release.notebooks.items():
            for i, cell in enumerate(nb.cells):
                try:
                    new = clear_solution(cell, label, i)
                except ValueError as exc:
                    problems += exc.args[0]
                    continue
                if new is not None:
                    cell.source = new
                    if SOLUTION_TAG in tags(cell):
                        cell.metadata["tags"] = [t for t in tags(cell) if t != SOLUTION_TAG]
                        if not cell.metadata["tags"]:
                            del cell.metadata["tags"]
        if problems:
            raise BuildError(problems)


class ClearOutputs(Step):
    """Empty every code cell's outputs and execution count, and drop saved widget state."""

    def apply(self, release):
        for nb in release.notebooks.values():
            nb.metadata.pop("widgets", None)
            for cell in nb.cells:
                cell.metadata.pop("execution", None)
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None


class CopyData(Step):
    """Take ``data/`` (exercise banks are left to StripAnswers), the course file and the extra
    data files it lists."""

    def apply(self, release):
        folder = Path(release.data_dir)
        for path in _walk(folder):
            rel = path.relative_to(folder)
            if rel.parts[0] == "exercises" and path.suffix in (".yml", ".yaml"):
                continue
            if rel.parts[0] == notes.FOLDER:  # instructor notes never go to learners
                continue
            release.files["data/" + rel.as_posix()] = path
        release.files["course.yml"] = course.course_file()
        for kind in course.EXTRA_KINDS:
            if kind != "exercises":
                for path in course.extra_data_files(kind):
                    release.files[release.release_path(path)] = path


class CopySupportFiles(Step):
    """Take what the release needs to run: the helpers package, pyproject.toml,
    environment.yml, README, licences and Binder files, when the course folder has them."""

    def apply(self, release):
        root = Path(release.root)
        for name in SUPPORT:
            path = root / name
            if path.is_file():
                release.files[name] = path
            elif path.is_dir():
                for inner in _walk(path):
                    if not inner.name.endswith((".pyc", ".egg-info")):
                        release.files[inner.relative_to(root).as_posix()] = inner


class WriteAnswerKey(Step):
    """Write the instructor pack: per lesson an answer key (Markdown and HTML) with correct
    answers, model answers, rubrics, hints, instructor notes and sources; and an index."""

    def apply(self, release):
        reg, settings = release.registry, release.settings
        names = _source_names()
        listed = []
        for lesson in settings["lessons"]:
            ids = reg.lessons.get(lesson)
            if not ids:
                continue
            title = reg.titles.get(lesson)
            text = answer_key.lesson_key(lesson, title, [reg.exercises[i] for i in ids],
                                         settings, names)
            release.instructor[f"{lesson}.md"] = text
            release.instructor[f"{lesson}.html"] = answer_key.to_html(text, f"Answer key: {lesson}")
            listed.append((lesson, title, len(ids)))
        text = answer_key.index(listed)
        release.instructor["index.md"] = text
        release.instructor["index.html"] = answer_key.to_html(text, "Instructor pack")


class StripAnswers(Step):
    """Copy the exercise banks without instructor notes; in feedback mode ``none`` also without
    answers, feedback, model answers and rubrics (``answers_removed: true``)."""

    def apply(self, release):
        remove = release.settings["feedback"] == "none"
        for _, path, bank in release.registry.banks:
            rel = release.release_path(path)
            new, changed = strip_bank(bank, remove)
            if changed:
                release.banks[rel] = new
            else:
                release.files[rel] = Path(path)


STEPS = (
    ValidateCourse(), CopyNotebooks(), RemoveInstructorCells(), ClearSolutions(), ClearOutputs(),
    CopyData(), CopySupportFiles(), WriteAnswerKey(), StripAnswers(),
)

def strip_bank(bank, remove_answers):
    """Return ``(bank without instructor notes [and answers], changed?)``; ``bank`` is kept."""
    bank = copy.deepcopy(bank)
    changed = False
    for ex in bank.get("exercises") or []:
        if not isinstance(ex, dict):
            continue
        if ex.pop("instructor_note", None) is not None:
            changed = True
        if not remove_answers:
            continue
        for key in ANSWER_FIELDS:
            ex.pop(key, None)
        if ex.get("kind") in KINDS:
            KINDS[ex["kind"]].strip(ex)
    if remove_answers:
        head = {k: bank[k] for k in ("lesson", "title") if k in bank}
        rest = {k: v for k, v in bank.items() if k not in head}
        bank = {**head, "answers_removed": True, **rest}
        changed = True
    return bank, changed


def run_steps(release, steps=STEPS, log=None):
    """Apply ``steps`` in order; ``log(name)`` is told each step's name as it starts."""
    for step in steps:
        if log:
            log(repr(step))
        release = step(release)
    return release


def build(out, force=False, steps=STEPS, log=None):
    """Build the course into ``out`` (must be new or empty unless ``force``); return the Release."""
    out = Path(out).expanduser().resolve()
    root = course.root()
    if out == root or out in root.parents:
        raise BuildError([Problem(str(out), "", "--out", "is the course folder or contains it: "
                                  "choose a new folder")])
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise BuildError([Problem(str(out), "", "--out", "already exists and is not empty: "
                                  "choose a new folder, or add --force to replace it")])
    release = Release(root=root, data_dir=Path(data.DATA_DIR), settings=course.settings())
    release = run_steps(release, steps, log)
    write(release, out)
    return release


def write(release, out):
    """Write ``release`` to ``out`` through a temporary folder, replacing ``out`` at the end."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        student, instructor = tmp / "student", tmp / "instructor"
        for rel, path in sorted(release.files.items()):
            shutil.copy(path, _target(student, rel))  # keeps the mode: `start` stays executable
        for rel, nb in sorted(release.notebooks.items()):
            nbformat.write(nb, str(_target(student, rel)))
        for rel, bank in sorted(release.banks.items()):
            _target(student, rel).write_text(_dump_bank(bank), encoding="utf-8")
        for rel, text in sorted(release.instructor.items()):
            _target(instructor, rel).write_text(text, encoding="utf-8")
        for rel, link in sorted(release.links.items()):
            _target(student, rel).symlink_to(link)
        if out.exists():
            old = tmp.with_name(tmp.name + "-old")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _target(base, rel):
    path = base / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _walk(folder):
    """Files under ``folder`` in sorted order, leaving out caches and hidden files."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not any(
        part in _SKIP or part.startswith(".") for part in p.relative_to(folder).parts))


def _source_names():
    return {i: f"{r.get('author', '')}, {r.get('title', '')}"
            for i, r in data.raw_rows("sources").items()}


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as a literal block (``|``), as an instructor would."""


def _str(dumper, text):
    block = "\n" in text and all(line == line.rstrip() for line in text.split("\n"))
    style = "|" if block else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def _dump_bank(bank):
    head = ("# Student release, written by `python -m helpers.instructor build`.\n"
            "# Answers, feedback and instructor notes are left out where the course says so.\n")
    return head + yaml.dump(bank, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
