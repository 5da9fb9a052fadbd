"""``python -m helpers.instructor build --out DIR``: a student release and an instructor pack.

The build is an ordered list of small named steps (``STEPS``). Each step is a pure function from
one in-memory :class:`Release` to a new one (it works on a copy); nothing touches ``DIR`` until
every step has succeeded. Then the release is written to a temporary folder beside ``DIR`` and
moved into place, so a failed build leaves ``DIR`` as it was (``output``: where a build may write;
``--force`` replaces only a folder an earlier build wrote, unchanged since).

``DIR/student/``     what learners get: the course's lessons without instructor cells, solutions
                     or outputs; data; exercise banks without instructor notes (and, in feedback
                     mode ``none``, without answers); the course file; the helpers package. Only
                     files of the kinds ``contents`` lists, never "whatever is in the folder".
``DIR/instructor/``  an answer key per lesson, as Markdown and HTML, with ``index.html``.
``DIR/.kuril-release``  what the build wrote (so a later ``--force`` knows it may replace it).

``Release.not_copied`` lists what the build left out of the course folder, for the report.
"""

import copy
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from .. import course, data
from .._quiz.kinds import ANSWER_FIELDS, KINDS
from ..errors import DataError, Problem
from . import answer_key, check, contents, leaks, links, output
from .notebooks import INSTRUCTOR_TAG, SOLUTION_TAG, clear_solution, has_tag, without_tag

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
    "DropMissingLinks",
    "CheckRelease",
    "ListNotCopied",
    "STEPS",
    "strip_bank",
    "run_steps",
    "write",
    "build",
]

_TEXT = (".md", ".csv", ".yml", ".yaml", ".json", ".geojson", ".py", ".txt", ".cff", ".toml",
         ".j2", ".html", ".css", ".js", "")  # what CheckRelease reads for answers


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
    texts: dict = field(default_factory=dict)       # path -> text (a file the build changed)
    origins: dict = field(default_factory=dict)     # path -> source Path of the last three
    originals: dict = field(default_factory=dict)   # path -> notebook as found (for leaks)
    not_copied: list = field(default_factory=list)  # (course path, why)
    notes: list = field(default_factory=list)       # lines for the report

    def copy(self):
        """A copy that a step may change without touching this one."""
        return Release(self.root, self.data_dir, self.settings, self.registry,
                       copy.deepcopy(self.notebooks), dict(self.files),
                       copy.deepcopy(self.banks), dict(self.instructor), dict(self.links),
                       dict(self.texts), dict(self.origins), self.originals,
                       list(self.not_copied), list(self.notes))

    def release_path(self, path):
        """Where a course file goes in the student release (ValueError when outside)."""
        path = Path(path).resolve()
        try:
            return "data/" + path.relative_to(Path(self.data_dir).resolve()).as_posix()
        except ValueError:
            return path.relative_to(Path(self.root).resolve()).as_posix()

    def paths(self):
        """Every path in the student release (files, notebooks, banks, texts, links)."""
        return set(self.files) | set(self.notebooks) | set(self.banks) | set(self.texts) | set(
            self.links)


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


def _stop_on(problems):
    if problems:
        raise BuildError(list(dict.fromkeys(problems)))  # each once, in order


class ValidateCourse(Step):
    """Stop the build if ``check`` finds any problem, a file the release would take is a
    symbolic link, or an extra file lies outside the course."""

    def apply(self, release):
        problems = []
        for found in (contents.notebook_files(release.root, release.settings["lessons"]),
                      contents.data_files(release.data_dir), contents.support_files(release.root)):
            problems += found.problems
        report = check.run()
        problems += report.problems
        for kind in course.EXTRA_KINDS:
            for path in course.extra_data_files(kind):
                try:
                    release.release_path(path)
                except ValueError:
                    problems.append(Problem(course.course_label(), "", f"extra.{kind}", (
                        f"'{path}' is outside the course folder: move it inside to build")))
        _stop_on(problems)
        release.registry = report.registry


class CopyNotebooks(Step):
    """Take the notebooks of the course's ``lessons`` (others are left out), images beside
    them, and the ``notebooks/helpers`` link; any other symbolic link stops the build."""

    def apply(self, release):
        found = contents.notebook_files(release.root, release.settings["lessons"])
        problems = list(found.problems)
        for label, path in found.files.items():
            if path.suffix != ".ipynb":
                release.files[label] = path
                continue
            nb, probs = check.read_notebook(path, label)
            problems += probs
            if nb is not None:
                release.notebooks[label] = nb
                release.origins[label] = path
        _stop_on(problems)
        release.originals = copy.deepcopy(release.notebooks)
        # notebooks/helpers -> ../helpers lets a JupyterHub kernel import the helpers: keep it.
        release.links.update(found.links)


class RemoveInstructorCells(Step):
    """Drop every cell tagged ``instructor`` (any case)."""

    def apply(self, release):
        for nb in release.notebooks.values():
            nb.cells = [c for c in nb.cells if not has_tag(c, INSTRUCTOR_TAG)]


class ClearSolutions(Step):
    """Replace solutions (cells tagged ``solution``; lines between ``### BEGIN SOLUTION`` and
    ``### END SOLUTION``; any case) with a placeholder; unclosed or nested markers stop the
    build."""

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
                    if has_tag(cell, SOLUTION_TAG):
                        cell.metadata["tags"] = without_tag(cell, SOLUTION_TAG)
                        if not cell.metadata["tags"]:
                            del cell.metadata["tags"]
        _stop_on(problems)


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
    """Take the data files of known kinds (``contents.DATA``; exercise banks are left to
    StripAnswers), the course file and the extra data files it lists."""

    def apply(self, release):
        found = contents.data_files(release.data_dir)
        problems = list(found.problems)
        if release.settings["feedback"] == "none":  # research notes discuss what exercises accept
            found.files = {r: f for r, f in found.files.items()
                           if not Path(r).name.startswith("NOTES_")}
        release.files.update(found.files)
        source = course.course_file()
        if source.is_symlink():
            problems.append(Problem(course.course_label(), "", "", (
                f"is a symbolic link (to {os.readlink(source)}): give the course file itself")))
        release.files["course.yml"] = source.resolve()
        for kind in course.EXTRA_KINDS:
            if kind != "exercises":
                for path in course.extra_data_files(kind):
                    release.files[release.release_path(path)] = path
        _stop_on(problems)


class CopySupportFiles(Step):
    """Take what the release needs to run (``contents.SUPPORT_FILES`` and ``SUPPORT_DIRS``):
    the helpers package's Python files, pyproject.toml, environment.yml, run.py, README,
    licences, CITATION.cff, Jupyter's settings (share/, etc/), Binder's files, requirements/."""

    def apply(self, release):
        found = contents.support_files(release.root)
        release.files.update(found.files)
        release.links.update(found.links)
        _stop_on(found.problems)


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
    """Copy the exercise banks of the course's lessons (a bank for a lesson left out is left out
    too) without instructor notes; in feedback mode ``none`` also without answers, feedback,
    model answers and rubrics (``answers_removed: true``)."""

    def apply(self, release):
        remove = release.settings["feedback"] == "none"
        lessons = set(release.settings["lessons"])
        for _, path, bank in release.registry.banks:
            if not isinstance(bank, dict) or bank.get("lesson") not in lessons:
                continue
            rel = release.release_path(path)
            new, changed = strip_bank(bank, remove)
            if changed:
                release.banks[rel] = new
                release.origins[rel] = Path(path)
            else:
                release.files[rel] = Path(path)


class DropMissingLinks(Step):
    """In the release's Markdown files and notebook text, drop the course tables' rows and the
    lines of links that lead to a lesson the course leaves out, and turn any other link to a
    file the release lacks into plain text (``links.drop_missing``)."""

    def apply(self, release):
        exists, notebook_exists = _lookups(release)
        for rel, source in sorted(release.files.items()):
            if rel.endswith(".md"):
                text = _read_text(source)
                new, done = links.drop_missing(text, rel, exists, notebook_exists)
                if done:
                    release.texts[rel] = new
                    release.origins[rel] = source
                    del release.files[rel]
        for rel, nb in release.notebooks.items():
            for cell in nb.cells:
                if cell.get("cell_type") == "markdown":
                    cell.source, _ = links.drop_missing(cell.source, rel, exists,
                                                        notebook_exists)


class CheckRelease(Step):
    """A last guard: stop the build if a link in the release still leads nowhere, or if any
    file of it holds an instructor note or a solution (or, in feedback mode ``none``, a model
    answer, a rubric or feedback) — say, pasted into a notebook's text by hand."""

    def apply(self, release):
        exists, notebook_exists = _lookups(release)
        texts = _texts(release)
        problems = []
        for rel, text in sorted(texts.items()):
            if not rel.endswith((".md", ".ipynb")):
                continue
            for part, where in _markdown_parts(rel, text, release):
                for link in links.find(part):
                    why = links.dangling(rel, link, exists, notebook_exists)
                    if why:
                        problems.append(Problem(rel, where, "link", why))
        hidden = release.settings["feedback"] == "none"
        folder = Path(release.data_dir) / leaks.NOTES_FOLDER
        notes = {f"data/{leaks.NOTES_FOLDER}/{p.name}": _read_text(p)
                 for p in sorted(folder.glob("*")) if p.is_file() and not p.is_symlink()}
        found = leaks.secrets(release.registry, release.originals, hidden, notes)
        for rel, what in leaks.find(found, texts):
            problems.append(Problem(rel, "", "", (
                f"contains {what}: the student release must not. Tag the cell 'instructor' or "
                "'solution', or remove the text")))
        _stop_on(problems)


class ListNotCopied(Step):
    """List what the release leaves out of the course folder (``Release.not_copied``)."""

    def apply(self, release):
        used = {Path(p).resolve() for p in release.files.values()}
        used |= {Path(p).resolve() for p in release.origins.values()}
        links_kept = {rel for rel in release.links}
        release.not_copied = contents.not_copied(release.root, used, links_kept)


STEPS = (
    ValidateCourse(), CopyNotebooks(), RemoveInstructorCells(), ClearSolutions(), ClearOutputs(),
    CopyData(), CopySupportFiles(), WriteAnswerKey(), StripAnswers(), DropMissingLinks(),
    CheckRelease(), ListNotCopied(),
)


def _lookups(release):
    """``exists(release path)`` and ``notebook_exists(file name)`` for the release as it is."""
    present = release.paths()
    folders = {q.as_posix() for p in present for q in Path(p).parents}
    notebooks = {Path(p).name for p in present if p.endswith(".ipynb")}
    return (lambda path: path in present or path in folders), (lambda name: name in notebooks)


def _read_text(path):
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _texts(release):
    """Every text of the student release, by path (notebooks as their cells' text)."""
    texts = {rel: _read_text(src) for rel, src in release.files.items()
             if Path(rel).suffix in _TEXT}
    texts.update(release.texts)
    for rel, bank in release.banks.items():
        texts[rel] = _dump_bank(bank)
    for rel, nb in release.notebooks.items():
        texts[rel] = "\n\n".join(str(c.get("source", "")) for c in nb.cells)
    return texts


def _markdown_parts(rel, text, release):
    if rel.endswith(".md"):
        return [(text, "")]
    nb = release.notebooks[rel]
    return [(c.source, f"cell {i + 1}") for i, c in enumerate(nb.cells)
            if c.get("cell_type") == "markdown"]


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
    """Build the course into ``out``; return the Release. ``out`` must be a new or empty folder
    outside the course; with ``force`` it may also be a release an earlier build wrote there."""
    root = course.root()
    data_dir = Path(data.DATA_DIR).resolve()
    protected = [root, data_dir]
    problems = output.refusals(out, protected, force)
    _stop_on(problems)
    release = Release(root=root, data_dir=data_dir, settings=course.settings())
    release = run_steps(release, steps, log)
    try:
        release.notes += output.write(out, lambda tmp: write(release, tmp), protected, force)
    except output.Refused as exc:
        raise BuildError(exc.problems) from None
    return release


def write(release, folder):
    """Write ``release`` into ``folder`` (``student/`` and ``instructor/``); ``build`` gives it
    a new temporary folder, and moves it into place once everything is written."""
    folder = Path(folder)
    student, instructor = folder / "student", folder / "instructor"
    for rel, path in sorted(release.files.items()):
        shutil.copy(path, _target(student, rel))  # keeps the mode: `start` stays executable
    for rel, nb in sorted(release.notebooks.items()):
        nbformat.write(nb, str(_target(student, rel)))
    for rel, bank in sorted(release.banks.items()):
        _target(student, rel).write_text(_dump_bank(bank), encoding="utf-8")
    for rel, text in sorted(release.texts.items()):
        _target(student, rel).write_text(text, encoding="utf-8")
    for rel, text in sorted(release.instructor.items()):
        _target(instructor, rel).write_text(text, encoding="utf-8")
    for rel, link in sorted(release.links.items()):
        _target(student, rel).symlink_to(link)


def _target(base, rel):
    path = base / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


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
