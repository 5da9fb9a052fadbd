"""Instructor notes are data (data/instructor_notes/), shown in place only when course.yml says
``instructor_notes: true``: never to learners, never in a student release, always checked."""

import functools
import html
import json
import os
import re
import shutil
from pathlib import Path

import lesson_runs
import nbformat
import pytest
import yaml

from helpers import course
from helpers.course import lesson_files
from helpers.instructor.contents import SUPPORT_DIRS, SUPPORT_FILES
from helpers.text import markdown_html
from helpers._common import notes
from helpers.instructor import __main__ as cli
from helpers.instructor import build as b

REPO = Path(__file__).resolve().parent.parent
NOTES = REPO / "data" / "instructor_notes"
LESSONS = [p for p in lesson_files(REPO / "notebooks") if p.name[:2].isdigit()]


def plain(text):
    """Words of Markdown or HTML as a reader sees them: tags dropped, entities and space folded."""
    text = re.sub(r"<[^>]+>", " ", str(text))
    text = html.unescape(text).replace("*", " ").replace("`", " ")
    return " ".join(text.split())


@functools.lru_cache(maxsize=None)
def phrases(text, n=10):
    """Runs of ``n`` words from a note, every 5 words: any of them in an output means a leak.
    (Kept per note text: the release test asks for every note's runs once per file it reads.)"""
    words = plain(markdown_html(text)).split()
    return frozenset(" ".join(words[i:i + n]) for i in range(0, max(len(words) - n, 0) + 1, 5))


def leaked(texts, seen):
    """Ids of the notes whose words show in ``seen`` (plain text): more than half of a note's
    ten-word runs. (A few runs may be shared with lesson text, e.g. a quoted document.)"""
    found = []
    for ident, text in texts.items():
        runs = phrases(text)
        need, hits, left = len(runs) // 2 + 1, 0, len(runs)  # more than half of them
        for r in runs:  # stops once the answer is known: `need` found, or out of reach
            if hits >= need or hits + left < need:
                break
            hits += r in seen
            left -= 1
        if hits >= need:
            found.append(ident)
    return found


def all_notes():
    found = notes.read(NOTES)
    assert len(found) >= 44  # the 44 notes moved out of the lessons' markdown cells
    return found


def strings(value):
    """Every string inside a JSON value (outputs, widget state)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def write_course(root, **options):
    path = root / "course.yml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    settings.update(options)
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")


# ---------------------------------------------------------------- the notes files


class TestNotesFiles:
    def test_each_lesson_has_its_notes_and_every_note_parses(self):
        found, probs = notes._read(NOTES)
        assert probs == []
        for nb in LESSONS:
            assert (NOTES / f"{nb.stem}.md").is_file()
        assert all(text.startswith("**Instructor notes.**") for _, text in found.values())

    def test_a_note_keeps_its_text_exactly(self, tmp_path):
        body = "**Instructor notes.** Line one\n\n- a list\n  indented\n\n### a sub-heading"
        (tmp_path / "x.md").write_text(f"# Title\n\nabout the file\n\n## x-1\n\n{body}\n\n\n"
                                       "## x-2\nsecond\n", encoding="utf-8")
        assert notes.read(tmp_path) == {"x-1": body, "x-2": "second"}

    @pytest.mark.parametrize("text, words", [
        ("## ok\n\ntext\n\n## Bad Heading\n\nmore\n", "'## Bad Heading' is not a note id"),
        ("## a\n\none\n\n## a\n\ntwo\n", "the id is used twice"),
        ("## a\n\n\n## b\n\nfine\n", "note a: is empty"),
    ])
    def test_mistakes_are_named_with_file_and_line_or_note(self, tmp_path, text, words):
        (tmp_path / "l9.md").write_text(text, encoding="utf-8")
        found = [str(p) for p in notes.problems(tmp_path, [])]
        assert any(words in p and "l9.md" in p for p in found), found

    @pytest.mark.parametrize("raw, words", [
        (b"## a\n\n\xff\xfe bad\n", "not UTF-8"), (b"## a\n\ntext\x00\n", "NUL byte")])
    def test_unreadable_files_are_refused(self, tmp_path, raw, words):
        (tmp_path / "l9.md").write_bytes(raw)
        assert any(words in str(p) for p in notes.problems(tmp_path, []))
        assert notes.read(tmp_path) == {}

    def test_readme_is_not_a_notes_file_and_a_missing_folder_is_empty(self, tmp_path):
        (tmp_path / "README.md").write_text("## not-a-note\n\nabout\n", encoding="utf-8")
        assert notes.read(tmp_path) == {} and notes.read(tmp_path / "missing") == {}


# ---------------------------------------------------------------- shown only to instructors


class TestShowing:
    def test_learners_see_nothing_and_nothing_is_read(self, course_root, monkeypatch):
        write_course(course_root, instructor_notes=False)
        monkeypatch.setattr(notes, "read", lambda folder: pytest.fail("notes read for learners"))
        assert course.instructor_note("l1-framing") is None

    def test_instructors_see_the_note_rendered_and_escaped(self, course_root):
        write_course(course_root, instructor_notes=True)
        folder = course_root / "data" / notes.FOLDER
        folder.mkdir()
        (folder / "01_fixture_lesson.md").write_text(
            "## f-1\n\n**Instructor notes.** Ask *why*. <script>alert(1)</script>\n",
            encoding="utf-8")
        shown = course.instructor_note("f-1").data
        assert "<strong>Instructor notes.</strong>" in shown and "<em>why</em>" in shown
        assert "<script>" not in shown and "&lt;script&gt;" in shown
        assert "kuril-instructor-note" in shown

    def test_an_unknown_note_says_so_to_the_instructor(self, course_root):
        write_course(course_root, instructor_notes=True)
        shown = course.instructor_note("no-such-note").data
        assert "no-such-note" in shown and "instructor check" in shown

    def test_the_shipped_course_file_keeps_notes_off(self):
        assert yaml.safe_load((REPO / "course.yml").read_text(encoding="utf-8"))[
            "instructor_notes"] is False


# ---------------------------------------------------------------- in the lessons


def note_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if notes.CALL.search(c.source)]


class TestLessons:
    @pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
    def test_no_note_text_and_only_hidden_instructor_cells(self, path):
        """A learner opening the lesson in JupyterLab sees no note: the cells that show notes are
        code cells with hidden source, tagged instructor; no other cell is tagged instructor."""
        nb = nbformat.read(str(path), 4)
        texts = all_notes()
        for i, cell in enumerate(nb.cells):
            tags = cell.metadata.get("tags", [])
            if "instructor" in [t.lower() for t in tags]:
                assert cell.cell_type == "code", f"cell {i + 1} is {cell.cell_type}"
                assert notes.CALL.search(cell.source), f"cell {i + 1} shows no note"
                assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
            assert "Instructor notes." not in cell.source, f"cell {i + 1} holds a note's text"
        calls = [m[1] for _, c in note_cells(nb) for m in notes.CALL.findall(c.source)]
        assert calls and all(c in texts for c in calls)

    def test_every_note_is_shown_by_exactly_one_lesson(self):
        shown = [m[1] for path in LESSONS for _, c in note_cells(nbformat.read(str(path), 4))
                 for m in notes.CALL.findall(c.source)]
        assert sorted(shown) == sorted(all_notes())


# ---------------------------------------------------------------- check


class TestCheck:
    def lesson_with(self, root, source, tags=("instructor",)):
        path = root / "notebooks" / "01_fixture_lesson.ipynb"
        nb = nbformat.read(str(path), 4)
        cell = nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
        nbformat.write(nb, str(path))

    def run(self, capsys):
        code = cli.main(["check"])
        return code, capsys.readouterr().out

    def test_a_called_note_must_exist_and_every_note_must_be_used(self, course_root, capsys):
        folder = course_root / "data" / notes.FOLDER
        folder.mkdir()
        (folder / "01_fixture_lesson.md").write_text("## f-used\n\nused\n\n## f-spare\n\nspare\n",
                                                     encoding="utf-8")
        self.lesson_with(course_root, 'course.instructor_note("f-used")')
        self.lesson_with(course_root, 'course.instructor_note("f-typo")')
        code, out = self.run(capsys)
        assert code == 1
        assert "01_fixture_lesson.ipynb, cell" in out and "'f-typo' is not a note" in out
        assert "01_fixture_lesson.md, note f-spare" in out and "no notebook shows" in out
        assert "f-used" not in out.replace("f-used\")", "")  # the used note is fine

    def test_a_note_cell_must_be_tagged_instructor(self, course_root, capsys):
        folder = course_root / "data" / notes.FOLDER
        folder.mkdir()
        (folder / "01_fixture_lesson.md").write_text("## f-1\n\nnote\n", encoding="utf-8")
        self.lesson_with(course_root, 'course.instructor_note("f-1")', tags=())
        code, out = self.run(capsys)
        assert code == 1 and "must be tagged 'instructor'" in out

    def test_the_course_passes(self, capsys, monkeypatch):
        monkeypatch.delenv("KURIL_COURSE_FILE", raising=False)
        assert [p for p in notes.problems(NOTES, [
            (path.name, "", m[1]) for path in LESSONS
            for _, c in note_cells(nbformat.read(str(path), 4))
            for m in notes.CALL.findall(c.source)])] == []


# ---------------------------------------------------------------- the student release

SUPPORT = (*SUPPORT_FILES, *SUPPORT_DIRS)


def course_copy(dest, **options):
    """The repository's course (notebooks, data, helpers, project files) copied to ``dest`` and
    made the course in use, with ``options`` in its course.yml."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("notebooks", "data", *SUPPORT, "course.yml"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True, ignore=ignore)
        elif src.is_file():
            shutil.copy(src, dest / name)
    write_course(dest, **options)
    return dest


class TestRelease:
    @pytest.mark.parametrize("feedback", ["immediate", "none"])
    def test_a_student_release_carries_no_note_text(self, tmp_path, monkeypatch, feedback):
        """Build the real course and grep every file of the student release for every note."""
        root = course_copy(tmp_path / "course", feedback=feedback, instructor_notes=True)
        monkeypatch.setenv("KURIL_COURSE_FILE", str(root / "course.yml"))
        monkeypatch.setattr(b.data, "DATA_DIR", root / "data")
        b.data.reload()
        try:
            b.build(tmp_path / "release")
        finally:
            b.data.reload()
        student = tmp_path / "release" / "student"
        assert (student / "notebooks").is_dir() and (student / "data" / "events.csv").is_file()
        assert not (student / "data" / notes.FOLDER).exists()
        texts = all_notes()
        lines = {line.strip() for text in texts.values() for line in text.split("\n")
                 if len(line.strip()) > 40}
        for path in student.rglob("*"):
            if not path.is_file() or path.is_symlink():
                continue
            content = path.read_bytes().decode("utf-8", "replace")
            same = [line for line in lines if line in content]
            assert not same, f"{path.relative_to(student)} holds note text: {same[0]!r}"
            assert not leaked(texts, plain(content)), path.relative_to(student)
        for nb in (student / "notebooks").glob("*.ipynb"):
            assert "instructor_note" not in nb.read_text(encoding="utf-8")


# ---------------------------------------------------------------- executed lessons


def execute(path, env):
    """Run a lesson in a fresh kernel; return the executed notebook (widget state kept)."""
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), 4)
    old = dict(os.environ)
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    return nb


def output_text(nb, cells=None):
    chosen = nb.cells if cells is None else [nb.cells[i] for i in cells]
    found = [s for c in chosen for o in c.get("outputs", []) for s in strings(dict(o))]
    if cells is None:
        found += list(strings(dict(nb.metadata.get("widgets", {}))))
    return plain(" ".join(found))


def learner_view(path):
    """The words of everything ``path`` shows when run with the environment as it is (the course
    file as shipped): cell outputs and widget state, as plain text. From nbval's run of the
    lesson in this process when it ran every cell in the same environment (tests/lesson_runs.py:
    every output and widget message its kernel sent, a superset of what an nbclient run saves in
    the notebook); else the lesson is run here, in a fresh kernel."""
    code_cells = sum(c.cell_type == "code" for c in nbformat.read(str(path), 4).cells)
    env = {k: os.environ.get(k) for k in lesson_runs.ENV}
    recorded = lesson_runs.complete(path, code_cells, env)
    if recorded is not None:
        outputs, widgets = recorded  # the outputs first, then the widgets, as in output_text
        return plain(" ".join([*strings([dict(o) for o in outputs]), *strings(widgets)]))
    return output_text(execute(path, {}))


# Under pytest-xdist, tests/conftest.py hands each of these out with its lesson's nbval cells,
# after them, on the same worker: the lesson then runs once (nbval's run) for both.
@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_an_executed_lesson_shows_learners_no_note(path, monkeypatch):
    """With the shipped course.yml no output (widget state included) holds any note's words."""
    monkeypatch.delenv("KURIL_COURSE_FILE", raising=False)
    shown = leaked(all_notes(), learner_view(path))
    assert not shown, f"{path.name} shows instructor notes to learners: {shown}"


@pytest.fixture(scope="module")
def notes_shown_to_instructors(tmp_path_factory):
    """{lesson: [(note id, words of its cell's output)]}: the note cells of every lesson, alone,
    run one after another in one fresh kernel with ``instructor_notes: true`` (each note cell
    imports what it needs: ``from helpers import course``)."""
    tmp = tmp_path_factory.mktemp("notes-on")
    on = tmp / "course.yml"
    on.write_text(json.dumps({"instructor_notes": True}), encoding="utf-8")
    nb = nbformat.read(str(LESSONS[0]), 4)
    nb.cells, owners = [], []
    for path in LESSONS:
        for _, cell in note_cells(nbformat.read(str(path), 4)):
            nb.cells.append(nbformat.v4.new_code_cell(cell.source, metadata=cell.metadata))
            owners.append((path.stem, notes.CALL.search(cell.source)[2]))
    tmp_nb = tmp / "notes.ipynb"
    nbformat.write(nb, str(tmp_nb))
    shutil.copytree(REPO / "helpers", tmp / "helpers")  # `from helpers import` from there
    done = execute(tmp_nb, {"KURIL_COURSE_FILE": str(on), "KURIL_DATA_DIR": str(REPO / "data")})
    found = {}
    for i, (lesson, ident) in enumerate(owners):
        found.setdefault(lesson, []).append((ident, output_text(done, [i])))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_an_executed_lesson_shows_each_note_to_instructors(path, notes_shown_to_instructors):
    """With ``instructor_notes: true`` each note cell of the lesson shows its note."""
    texts = all_notes()
    shown = notes_shown_to_instructors[path.stem]
    assert [ident for ident, _ in shown] == [notes.CALL.search(c.source)[2]
                                             for _, c in note_cells(nbformat.read(str(path), 4))]
    for ident, seen in shown:
        assert plain(markdown_html(texts[ident])) in seen, ident
