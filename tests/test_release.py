"""The student release an instructor can trust: ``build`` never deletes what it did not write,
never carries answers or outside files, and drops lessons cleanly; every lesson shows the
instructor's own questions.

Destructive cases run on copies in tmp_path (the fixture course, or a copy of this course);
``untouched`` proves at the end that the repository's own data/, notebooks/ and helpers/ did
not change.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import mistune
import nbformat
import pytest
import yaml

from helpers import course, data
from helpers._quiz import bank
from helpers._quiz import widgets as quiz_widgets
from helpers.instructor import __main__ as cli
from helpers.instructor import check
from helpers.instructor import build as b
from helpers.instructor import lessons, links, output

HERE = Path(__file__).parent
REPO = HERE.parent
MARKER = output.MARKER


def digest(*folders):
    """A hash per file and link under ``folders`` (links not followed)."""
    found = {}
    for folder in folders:
        for top, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names) + [d for d in dirs if (Path(top) / d).is_symlink()]:
                path = Path(top) / name
                if path.is_symlink():
                    found[str(path)] = "-> " + os.readlink(path)
                elif path.is_file():
                    found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module", autouse=True)
def untouched():
    """The repository's data, notebooks and helpers are the same after these tests."""
    folders = [REPO / "data", REPO / "notebooks", REPO / "helpers"]
    before = digest(*folders)
    yield
    assert digest(*folders) == before


@pytest.fixture
def root(course_root):
    """A writable copy of the fixture course (tests/fixtures/course)."""
    return course_root


_NOT_COURSE = ("tests", "benchmarks", "scripts", ".git", ".venv", "__pycache__", "*.egg-info",
               ".pytest_cache", ".ci", "BENCHMARKS.md", "CONTRIBUTING.md", "INSTRUCTORS.md")


def copy_course(dest):
    shutil.copytree(REPO, dest, symlinks=True, ignore=shutil.ignore_patterns(*_NOT_COURSE))
    return dest


def point_at(monkeypatch, dest):
    """Make the helpers read the course at ``dest``."""
    monkeypatch.setenv("KURIL_COURSE_FILE", str(dest / "course.yml"))
    monkeypatch.setattr(data, "DATA_DIR", dest / "data")
    data.reload()


@pytest.fixture
def real(tmp_path, monkeypatch):
    """A writable copy of this course (its lessons, data, helpers and support files)."""
    dest = copy_course(tmp_path / "kuril")
    point_at(monkeypatch, dest)
    yield dest
    data.reload()


@pytest.fixture(scope="module")
def _releases(tmp_path_factory):
    """This course copied and released once per feedback setting for the module: as its
    course.yml has it (immediate), and with ``feedback: none``. ``{feedback: (course copy,
    output folder, Release)}``; built on first use. The tests given them only read them
    (``digests`` proves it at the end)."""
    base, built = tmp_path_factory.mktemp("released"), {}

    def get(feedback):
        if feedback not in built:
            dest = copy_course(base / feedback / "kuril")
            with pytest.MonkeyPatch.context() as mp:
                point_at(mp, dest)
                if feedback != "immediate":
                    set_course(dest, feedback=feedback)
                built[feedback] = dest, base / feedback / "release", b.build(
                    base / feedback / "release")
            data.reload()
            built[feedback] += (digest(*built[feedback][:2]),)
        return built[feedback]

    yield get
    for dest, out, _, before in built.values():
        assert digest(dest, out) == before, "a test changed a shared course copy or release"


@pytest.fixture
def released(_releases, monkeypatch):
    """``released(feedback)``: (course copy, output folder, Release) of this course built with
    ``feedback`` (shared by the module: read, never change them); the helpers read that copy."""
    def get(feedback):
        dest, out, release, _ = _releases(feedback)
        point_at(monkeypatch, dest)
        return dest, out, release

    yield get
    data.reload()


def set_course(root, **options):
    """Change options of ``root/course.yml`` (YAML values)."""
    path = root / "course.yml"
    found = yaml.safe_load(path.read_text(encoding="utf-8"))
    found.update(options)
    path.write_text(yaml.safe_dump(found, sort_keys=False), encoding="utf-8")
    data.reload()


def refused(out, match, force=True):
    with pytest.raises(b.BuildError) as err:
        b.build(out, force=force)
    text = "\n".join(str(p) for p in err.value.problems)
    assert re.search(match, text), text
    return text


# --- build never deletes what it did not write ------------------------------------------------
class TestWhereBuildWrites:
    @pytest.mark.parametrize("inside", ["data", "notebooks", "helpers", "data/exercises", ".",
                                        "my_course", "notebooks/release"])
    def test_a_folder_inside_the_course_is_refused(self, root, inside):
        """--out data --force (and the like) is refused; the course is the same afterwards."""
        (root / "helpers").mkdir()
        (root / "helpers" / "quiz.py").write_text("# the course's own code\n")
        before = digest(root)
        refused(root / inside, "course folder")
        assert digest(root) == before

    def test_a_folder_containing_the_course_is_refused(self, root):
        before = digest(root.parent)
        refused(root.parent, "contains the course folder")
        refused(Path(root.anchor), "contains the course folder")
        assert digest(root.parent) == before

    def test_a_link_pointing_into_the_course_is_refused(self, root, tmp_path):
        """--out LINK where LINK -> data/, and a path through such a link, are refused."""
        link = tmp_path / "link"
        link.symlink_to(root / "data")
        before = digest(root)
        refused(link, "symbolic link")
        refused(link / "release", "inside the course folder")
        assert digest(root) == before and os.readlink(link) == str(root / "data")

    def test_someone_elses_folder_is_never_replaced(self, root, tmp_path):
        """--out ~/Documents --force: a folder the build did not write is left alone."""
        docs = tmp_path / "Documents"
        (docs / "thesis").mkdir(parents=True)
        (docs / "thesis" / "chapter1.tex").write_text("years of work")
        before = digest(tmp_path)
        text = refused(docs, "was not written by build")
        assert "no .kuril-release file" in text and "new or empty folder" in text
        refused(docs, "not empty.*--force", force=False)
        assert digest(tmp_path) == before

    def test_a_file_is_never_moved_renamed_or_deleted(self, root, tmp_path):
        """--out notes.txt --force: refused; no hidden copy appears beside it."""
        notes = tmp_path / "notes.txt"
        notes.write_text("my notes")
        listing = sorted(p.name for p in tmp_path.iterdir())
        refused(notes, "is a file, not a folder")
        refused(notes, "is a file", force=False)
        assert notes.read_text() == "my notes"
        assert sorted(p.name for p in tmp_path.iterdir()) == listing

    def test_a_path_under_a_file_fails_without_touching_it(self, root, tmp_path, capsys):
        notes = tmp_path / "notes.txt"
        notes.write_text("my notes")
        assert cli.main(["build", "--out", str(notes / "release")]) == 1
        assert "could not write" in capsys.readouterr().out
        assert notes.read_text() == "my notes"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["course", "notes.txt"]

    def test_force_replaces_an_earlier_release(self, root, tmp_path):
        out = tmp_path / "release"
        b.build(out)
        marker = json.loads((out / MARKER).read_text())
        assert marker["format"] == output.FORMAT and "student/course.yml" in marker["files"]
        assert output.written_by_build(out) is None
        b.build(out, force=True)
        assert (out / "student" / "course.yml").is_file() and (out / MARKER).is_file()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["course", "release"]

    @pytest.mark.parametrize("added", ["notes.txt", "student/.git/HEAD", "instructor/marks.csv"])
    def test_force_refuses_a_release_holding_files_of_yours(self, root, tmp_path, added):
        """A file added since the build (a git init in student/, marks...) stops --force."""
        out = tmp_path / "release"
        b.build(out)
        (out / added).parent.mkdir(parents=True, exist_ok=True)
        (out / added).write_text("mine")
        before = digest(out)
        text = refused(out, "files the build did not write")
        assert added in text
        assert digest(out) == before

    def test_force_refuses_a_release_changed_since(self, root, tmp_path):
        out = tmp_path / "release"
        b.build(out)
        readme = out / "instructor" / "index.md"
        readme.write_text("my own index")
        refused(out, r"changed since the build: instructor/index\.md")
        assert readme.read_text() == "my own index"

    @pytest.mark.parametrize("marker, words", [
        ('{"written_by": "kuril-course release", "format": 99, "files": {}}', "newer build"),
        ("not json", "cannot read"),
        ('{"format": 1, "files": {}}', "cannot read"),
    ])
    def test_an_unknown_marker_is_refused(self, root, tmp_path, marker, words):
        out = tmp_path / "release"
        out.mkdir()
        (out / MARKER).write_text(marker)
        refused(out, words)
        assert (out / MARKER).read_text() == marker

    def test_a_link_to_an_earlier_release_is_refused(self, root, tmp_path):
        out = tmp_path / "release"
        b.build(out)
        before = digest(out)
        (tmp_path / "link").symlink_to(out)
        refused(tmp_path / "link", "symbolic link")
        assert digest(out) == before

    def test_an_empty_folder_is_filled_and_kept(self, root, tmp_path):
        out = tmp_path / "release"
        out.mkdir()
        inode = out.stat().st_ino
        b.build(out)
        assert out.stat().st_ino == inode and (out / "student" / "course.yml").is_file()
        assert output.written_by_build(out) is None

    def test_a_failed_write_leaves_the_earlier_release_and_nothing_beside_it(
            self, root, tmp_path, monkeypatch):
        out = tmp_path / "release"
        b.build(out)
        before = digest(out)

        def half(release, folder):
            (Path(folder) / "student").mkdir()
            (Path(folder) / "student" / "half.txt").write_text("half")
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(b, "write", half)
        with pytest.raises(OSError):
            b.build(out, force=True)
        assert digest(out) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["course", "release"]

    def test_a_failed_write_to_a_new_folder_leaves_nothing(self, root, tmp_path, monkeypatch):
        def fail(release, folder):
            raise OSError(13, "Permission denied")

        monkeypatch.setattr(b, "write", fail)
        with pytest.raises(OSError):
            b.build(tmp_path / "a" / "b" / "release")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["course"]

    def test_the_command_line_says_why_and_writes_nothing(self, root, tmp_path):
        env = dict(os.environ, KURIL_COURSE_FILE=str(root / "course.yml"),
                   KURIL_DATA_DIR=str(root / "data"))
        before = digest(root)
        done = subprocess.run([sys.executable, "-m", "helpers.instructor", "build", "--out",
                               str(root / "data"), "--force"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "nothing was written" in done.stdout
        assert "is inside the course folder" in done.stdout and "../release" in done.stdout
        assert "Traceback" not in done.stderr and digest(root) == before


# --- what the release takes ------------------------------------------------------------------
def student_files(out):
    base = out / "student"
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*")
                  if p.is_file() or p.is_symlink())


class TestWhatTheReleaseTakes:
    def test_an_earlier_release_in_the_course_is_never_copied(self, root, tmp_path):
        first = tmp_path / "first"
        b.build(first)
        shutil.copytree(first, root / "notebooks" / "release", symlinks=True)
        shutil.copytree(first, root / "data" / "old", symlinks=True)
        (root / "data" / "old" / MARKER).unlink()  # a release from before the marker
        (root / "helpers").mkdir()
        (root / "helpers" / "__init__.py").write_text("")
        shutil.copytree(first / "student", root / "helpers" / "student_copy", symlinks=True)
        release = b.build(tmp_path / "second")
        files = student_files(tmp_path / "second")
        assert not [f for f in files if "release" in f or "old/" in f or "student_copy" in f]
        assert not (tmp_path / "second" / "student" / "instructor").exists()
        why = dict(release.not_copied)
        assert why["notebooks/release/"].startswith("an earlier release")
        assert why["data/old/"].startswith("an earlier release")
        assert why["helpers/student_copy/"].startswith("another course")

    def test_backups_of_banks_are_not_copied_and_are_listed(self, root, tmp_path, capsys):
        bank = root / "data" / "exercises" / "01_fixture_lesson.yml"
        for name in ("01_fixture_lesson.yml.bak", "01_fixture_lesson.yml~",
                     ".01_fixture_lesson.yml.swp", "#01_fixture_lesson.yml#"):
            shutil.copy(bank, bank.with_name(name))
        shutil.copy(root / "data" / "events.csv", root / "data" / "events.csv~")
        out = tmp_path / "release"
        assert cli.main(["build", "--out", str(out)]) == 0
        text = capsys.readouterr().out
        assert student_files(out) == sorted([
            "course.yml", "data/documents.csv", "data/eras.csv", "data/events.csv",
            "data/exercises/01_fixture_lesson.yml", "data/exercises/02_fixture_second.yml",
            "data/islands.csv", "data/positions.csv", "data/sources.csv",
            "my_course/events.csv", "my_course/extra_questions.yml",
            "notebooks/01_fixture_lesson.ipynb", "notebooks/02_fixture_second.ipynb"])
        assert "Not copied from the course folder" in text
        for name in ("data/exercises/01_fixture_lesson.yml.bak: a backup",
                     "data/exercises/01_fixture_lesson.yml~: a backup",
                     "data/exercises/.01_fixture_lesson.yml.swp: a hidden file",
                     "data/events.csv~: a backup",
                     "notebooks/99_draft.ipynb: not a lesson listed in course.yml"):
            assert f"  {name}" in text, name

    def test_only_files_of_known_kinds_are_taken(self, root, tmp_path):
        (root / "data" / "private").mkdir()
        (root / "data" / "private" / "answers.csv").write_text("id,answer\nx,18\n")
        (root / "data" / "instructor_notes").mkdir()
        (root / "data" / "instructor_notes" / "01_fixture_lesson.md").write_text("note")
        (root / "data" / "marks.xlsx").write_bytes(b"PK")
        (root / "data" / ".env").write_text("TOKEN=1")
        (root / "helpers" / "_quiz").mkdir(parents=True)
        for name in ("__init__.py", "_quiz/__init__.py", "_quiz/kinds.py"):
            (root / "helpers" / name).write_text("")
        (root / "helpers" / "notes.txt").write_text("notes")
        (root / "helpers" / "scratch").mkdir()
        (root / "helpers" / "scratch" / "try.py").write_text("")
        (root / "etc" / "jupyter").mkdir(parents=True)
        (root / "etc" / "jupyter" / "voila.json").write_text("{}")
        (root / "LICENSE").write_text("MIT")
        (root / "secrets.txt").write_text("x")
        release = b.build(tmp_path / "release")
        files = student_files(tmp_path / "release")
        assert {"helpers/__init__.py", "helpers/_quiz/__init__.py", "helpers/_quiz/kinds.py",
                "etc/jupyter/voila.json", "LICENSE"} <= set(files)
        for name in ("data/private/answers.csv", "data/instructor_notes/01_fixture_lesson.md",
                     "data/marks.xlsx", "data/.env", "helpers/notes.txt",
                     "helpers/scratch/try.py", "secrets.txt"):
            assert name not in files
            assert name in dict(release.not_copied), name

    @pytest.mark.parametrize("where", ["data/extra.csv", "data/exercises/03_link.yml",
                                       "data/geo", "helpers/evil.py", "notebooks/figure.png",
                                       "README.md"])
    def test_a_symbolic_link_stops_the_build(self, root, tmp_path, where):
        """A link (to a file outside the course, or any other) is refused, not followed."""
        secret = tmp_path / "outside"
        secret.mkdir()
        (secret / "private.txt").write_text("my private text")
        (root / "helpers").mkdir(exist_ok=True)
        (root / where).parent.mkdir(parents=True, exist_ok=True)
        (root / where).symlink_to(secret if where == "data/geo" else secret / "private.txt")
        with pytest.raises(b.BuildError) as err:
            b.build(tmp_path / "release")
        text = "\n".join(map(str, err.value.problems))
        assert f"{where}: is a symbolic link (to {secret}" in text
        assert "Replace the link with the file or folder itself" in text
        assert not (tmp_path / "release").exists()
        # check says so first: it never passes what build stops
        assert f"{where}: is a symbolic link" in "\n".join(map(str, check.run().problems))

    def test_a_stray_file_in_data_is_listed_not_taken(self, root, tmp_path):
        """Only the course's own data files by name: an instructor's grades.csv stays behind."""
        (root / "data" / "grades.csv").write_text("name,grade\nAiko,A\n", encoding="utf-8")
        release = b.build(tmp_path / "release")
        assert not (tmp_path / "release" / "student" / "data" / "grades.csv").exists()
        assert ("data/grades.csv", "not a kind of file a course release takes") in \
            release.not_copied

    def test_the_notebooks_helpers_link_is_recreated_other_links_are_refused(self, root,
                                                                             tmp_path):
        (root / "notebooks" / "helpers").symlink_to("../helpers")
        b.build(tmp_path / "one")
        link = tmp_path / "one" / "student" / "notebooks" / "helpers"
        assert link.is_symlink() and os.readlink(link) == "../helpers"
        (root / "notebooks" / "helpers").unlink()
        (root / "notebooks" / "helpers").symlink_to("/etc")
        with pytest.raises(b.BuildError, match="notebooks/helpers: is a symbolic link"):
            b.build(tmp_path / "two")

    @pytest.mark.parametrize("feedback", ["immediate", "none"])
    def test_this_course_released_is_a_course_that_passes_check(self, released, monkeypatch,
                                                                 capsys, feedback):
        """The explicit list leaves nothing out that the lessons need."""
        _, out, _ = released(feedback)
        student = out / "student"
        for name in ("etc/jupyter/voila.json", "binder/start", "requirements/constraints.txt",
                     "share/jupyter/voila/templates/offline-lab/conf.json", "run.py",
                     "helpers/instructor/build.py", "data/geo/islands.geojson",
                     "data/roles/_scenario.yml", "data/exercises/README.md", "LICENSE"):
            assert (student / name).is_file(), name
        assert os.access(student / "binder" / "start", os.X_OK)
        monkeypatch.setenv("KURIL_COURSE_FILE", str(student / "course.yml"))
        monkeypatch.setattr(data, "DATA_DIR", student / "data")
        data.reload()
        assert cli.main(["check"]) == 0, capsys.readouterr().out

    def test_a_link_outside_the_release_areas_is_only_listed(self, root, tmp_path):
        (root / "scripts").mkdir()
        (root / "scripts" / "passwd").symlink_to("/etc/passwd")
        release = b.build(tmp_path / "release")
        assert ("scripts/", "1 file, none of them part of a course release") in release.not_copied


# --- no answers under feedback: none ----------------------------------------------------------
def normal(text):
    return " ".join(re.sub(r"[*_`>#|]+", " ", str(text)).casefold().split())


def released_texts(out):
    """Each text file of the student release, normalised (notebooks: their cells' text)."""
    texts = {}
    for path in (out / "student").rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.suffix == ".ipynb":
            raw = "\n\n".join("".join(c["source"]) for c in json.loads(raw)["cells"])
        texts[path.relative_to(out / "student").as_posix()] = raw
    return texts


def answer_strings(root, data_dir):
    """``[(what, text)]``: every answer-like text of the course's banks (as written there) and
    every instructor note and solution of its notebooks."""
    found = []
    banks = sorted((data_dir / "exercises").glob("*.y*ml")) + sorted(
        Path(p) for p in course.extra_data_files("exercises"))
    for path in banks:
        raw = path.read_text(encoding="utf-8")
        for line in raw.splitlines():  # numeric answers, formatted as in the bank
            m = re.match(r"^\s*(answer|tolerance):\s*(\S+)\s*$", line)
            if m and isinstance(yaml.safe_load(m.group(2)), (int, float)):
                found.append((f"{path.name}: {m.group(1)}", f"{m.group(1)}: {m.group(2)}"))
        for ex in yaml.safe_load(raw).get("exercises") or []:
            who = f"{path.name} {ex['id']}"
            for key in ("model_answer", "feedback_correct", "feedback_wrong", "instructor_note"):
                if ex.get(key):
                    found.append((f"{who} {key}", ex[key]))
                    found += [(f"{who} {key}", part) for part in str(ex[key]).split("\n\n")]
            found += [(f"{who} rubric", item) for item in ex.get("rubric") or []]
            for choice in ex.get("choices") or []:
                if isinstance(choice, dict) and choice.get("feedback"):
                    found.append((f"{who} choice feedback", choice["feedback"]))
            for pair in ex.get("pairs") or []:
                found.append((f"{who} pair", f"left: {pair['left']} right: {pair['right']}"))
                found.append((f"{who} pair", f"{pair['left']} → {pair['right']}"))
            items = ex.get("items") or []
            if ex.get("kind") == "ordering" and items != sorted(items, key=str.casefold):
                found.append((f"{who} order", " ".join(f"- {i}" for i in items)))
    for nb_path in sorted((root / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(nbformat.read(str(nb_path), 4).cells):
            tags = {t.strip().casefold() for t in cell.metadata.get("tags", [])}
            text = cell.source
            if tags & {"instructor", "solution"}:
                found += [(f"{nb_path.name} cell {i + 1}", p) for p in text.split("\n\n")]
            for block in re.findall(r"(?ims)^\s*###\s*begin solution\s*$(.*?)^\s*###\s*end "
                                    r"solution\s*$", text):
                found.append((f"{nb_path.name} cell {i + 1} solution", block))
    notes = data_dir / "instructor_notes"
    for path in sorted(notes.glob("*")) if notes.is_dir() else []:
        found += [(f"note {path.name}", p) for p in path.read_text().split("\n\n")]
    return [(what, normal(text)) for what, text in found if len(normal(text)) >= 12]


def assert_no_answers(root, data_dir, out):
    strings = answer_strings(root, data_dir)
    assert len(strings) > 10  # not vacuous
    texts = {path: normal(text) for path, text in released_texts(out).items()}
    hits = [(path, what) for what, s in strings for path, text in texts.items() if s in text]
    assert hits == []
    for path in (out / "student").rglob("*.y*ml"):
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(bank, dict) and "exercises" in bank:
            assert bank["answers_removed"] is True
            flat = json.dumps(bank)
            for key in ("correct", "answer", "model_answer", "rubric", "feedback", "pairs",
                        "instructor_note", "keywords", "tolerance"):
                assert f'"{key}"' not in flat, (path, key)
            for ex in bank["exercises"]:
                for key in ("items", "lefts", "rights"):
                    if key in ex:  # an order that says nothing about the answer
                        assert ex[key] == sorted(ex[key], key=str.casefold), (path, key)


class TestNoAnswersWithFeedbackNone:
    def test_the_fixture_release_has_no_answer(self, root, tmp_path):
        nb_path = root / "notebooks" / "01_fixture_lesson.ipynb"
        nb = nbformat.read(str(nb_path), 4)
        nb.cells.append(nbformat.v4.new_code_cell(
            "# mixed case markers\n### Begin Solution\nsecret_total = 17291\n### end solution"))
        cell = nbformat.v4.new_markdown_cell("The full model answer for the essay question.")
        cell.metadata["tags"] = ["Solution"]
        nb.cells.append(cell)
        nbformat.write(nb, str(nb_path))
        out = tmp_path / "release"
        b.build(out)
        assert "secret total = 17291" in " ".join(a for _, a in answer_strings(root, root / "data"))
        assert_no_answers(root, root / "data", out)

    def test_this_course_released_with_feedback_none_has_no_answer(self, released):
        real, out, _ = released("none")
        assert_no_answers(real, real / "data", out)
        keys = (out / "instructor" / "01_shimoda_to_yalta.md").read_text()
        assert "**Answer:**" in keys or "✓" in keys  # the answers went to the instructor pack

    def test_research_notes_stay_out_of_a_release_without_answers(self, released):
        """data/NOTES_*.md discuss what some exercises accept: not in a feedback-none release."""
        real, out, release = released("none")
        assert list((real / "data").glob("NOTES_*.md"))  # not vacuous
        assert not list((out / "student" / "data").glob("NOTES_*.md"))
        assert any(rel.startswith("data/NOTES_") and "feedback is none" in why
                   for rel, why in release.not_copied)

    def test_a_release_without_answers_says_nothing_by_the_order_of_choices(self, released):
        """Banks tend to list the right choice first; a release without answers keeps no such
        order (the invariant: across its marked choice questions, the right answer is not mostly
        listed first, and no question keeps the bank's order when that order put it first)."""
        _, out, _ = released("none")
        source = {ex["id"]: ex for ex in bank.registry().exercises.values()}
        first = total = 0
        for path in (out / "student" / "data" / "exercises").glob("*.yml"):
            for ex in yaml.safe_load(path.read_text(encoding="utf-8"))["exercises"]:
                if ex["kind"] not in ("single", "multiple"):
                    continue
                right = [c["text"] for c in source[ex["id"]]["choices"] if c["correct"]]
                listed = [c["text"] for c in ex["choices"]]
                assert sorted(listed) == sorted(c["text"] for c in source[ex["id"]]["choices"])
                total += 1
                first += listed[0] in right
        assert total > 20
        assert first / total < 0.5, f"{first} of {total} list a right answer first"

    def test_the_same_search_finds_the_answers_when_feedback_is_shown(self, released):
        """Not vacuous: with feedback immediate the banks keep their answers, and it sees them."""
        real, out, _ = released("immediate")
        texts = {path: normal(text) for path, text in released_texts(out).items()}
        found = {what.split()[-1] for what, s in answer_strings(real, real / "data")
                 if any(s in text for text in texts.values())}
        assert {"answer", "model_answer", "feedback_correct", "rubric", "pair",
                "feedback"} <= found, found

    def test_an_answer_pasted_into_a_notebook_stops_the_build(self, root, tmp_path):
        """A model answer in an untagged cell, with feedback none: the guard stops the build."""
        reg = b.ValidateCourse()(b.Release(root, root / "data", course.settings())).registry
        model = next(ex["model_answer"] for ex in reg.exercises.values()
                     if ex.get("model_answer"))
        path = root / "notebooks" / "02_fixture_second.ipynb"
        nb = nbformat.read(str(path), 4)
        nb.cells.append(nbformat.v4.new_markdown_cell("A strong answer:\n\n" + model))
        nbformat.write(nb, str(path))
        with pytest.raises(b.BuildError, match="02_fixture_second.ipynb: contains the model "
                                               "answer of exercise"):
            b.build(tmp_path / "release")
        assert not (tmp_path / "release").exists()

    def test_an_instructor_note_copied_into_a_lesson_stops_the_build(self, root, tmp_path):
        path = root / "notebooks" / "02_fixture_second.ipynb"
        nb = nbformat.read(str(path), 4)
        for text, tags in (("**For the instructor:** spend ten minutes here. Then ask the class "
                            "who drew the line, and why there.", ["instructor"]),
                           ("*Then ask the class who drew the line, and why there.* Read on.",
                            [])):
            cell = nbformat.v4.new_markdown_cell(text)
            cell.metadata["tags"] = tags
            nb.cells.append(cell)
        nbformat.write(nb, str(path))
        set_course(root, feedback="immediate")
        with pytest.raises(b.BuildError, match="contains the instructor cell"):
            b.build(tmp_path / "release")


# --- links and dropped lessons ---------------------------------------------------------------
_AST = mistune.create_markdown(renderer="ast", plugins=["table"])


def _urls(tokens):
    for token in tokens:
        if token.get("type") in ("link", "image"):
            yield token["attrs"]["url"]
        if token.get("type") in ("inline_html", "block_html"):
            yield from re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)""", token["raw"])
        yield from _urls(token.get("children") or [])


def dangling_links(student):
    """A link checker (mistune's parser, not the build's): every local link of every Markdown
    file and notebook Markdown cell resolves inside ``student``, and every notebook a link names
    (web addresses included) is there. Returns ``[(file, target)]``."""
    bad = []
    notebooks = {p.name for p in student.rglob("*.ipynb")}
    for path in sorted(student.rglob("*")):
        if path.suffix == ".md":
            parts = [path.read_text(encoding="utf-8")]
        elif path.suffix == ".ipynb":
            parts = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                     if c["cell_type"] == "markdown"]
        else:
            continue
        for text in parts:
            for url in _urls(_AST(text)):
                for name in re.findall(r"([\w.-]+\.ipynb)", url):
                    if name not in notebooks:
                        bad.append((path.relative_to(student).as_posix(), url))
                if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", url, re.I):
                    continue
                target = (path.parent / url.split("#")[0].split("?")[0]).resolve()
                if not target.exists() or student.resolve() not in [target, *target.parents]:
                    bad.append((path.relative_to(student).as_posix(), url))
    return bad


def lesson_rows(text):
    """The notebook names the course table rows of ``text`` link to."""
    return re.findall(r"^\|\s*\[[^\]]+\]\((?:notebooks/)?(\w+)\.ipynb\)", text, re.MULTILINE)


def start_here_table(student):
    nb = nbformat.read(str(student / "notebooks" / "00_start_here.ipynb"), 4)
    return next(c.source for c in nb.cells if "| notebook |" in c.source)


class TestLinksAndDroppedLessons:
    def test_the_full_release_has_no_dangling_link(self, released):
        _, out, _ = released("immediate")
        assert dangling_links(out / "student") == []
        readme = (out / "student" / "README.md").read_text()
        everything = course.settings()["lessons"]
        assert lesson_rows(readme) == everything
        assert lesson_rows(start_here_table(out / "student")) == everything[1:]
        assert "CONTRIBUTING" in readme and "](CONTRIBUTING.md)" not in readme  # unlinked

    def test_check_lists_every_reference_to_a_dropped_lesson(self, real, capsys):
        """Lesson 3 left out: check names file, cell/line and text; the tables are the build's."""
        set_course(real, lessons=[n for n in course.settings()["lessons"] if n != "03_tokyo_1993"])
        assert cli.main(["check"]) == 1
        out = capsys.readouterr().out
        for words in ("notebooks/02_the_1956_declaration.ipynb, cell ",
                      'That visit opens Lesson 3."', "notebooks/04_putin_abe.ipynb, cell ",
                      "(Lesson 3)", "notebooks/05_design_a_settlement.ipynb, cell ",
                      "Lessons 1–4", "data/exercises/05_design_a_settlement.yml, exercise "
                      "l5-first-guess, column/field 'prompt'"):
            assert words in out, words
        assert "which course.yml leaves out" in out and "add 03_tokyo_1993 back" in out
        assert "README.md" not in out and "00_start_here" not in out  # rows the build drops
        with pytest.raises(b.BuildError, match="Lesson 3"):
            b.build(real.parent / "release")

    def test_a_release_without_the_capstone_has_no_dangling_link(self, real, tmp_path, capsys):
        kept = [n for n in course.settings()["lessons"] if n != "05_design_a_settlement"]
        set_course(real, lessons=kept)
        assert cli.main(["check"]) == 1
        out = capsys.readouterr().out
        lines = sorted({int(m) for m in re.findall(r"^README\.md, line (\d+):", out, re.M)})
        assert lines and all("README.md" in line for line in out.splitlines()[:-1])
        readme = (real / "README.md").read_text().splitlines()
        for n in reversed(lines):  # the instructor rewords them (here: removes them)
            del readme[n - 1]
        (real / "README.md").write_text("\n".join(readme) + "\n")
        assert cli.main(["check"]) == 0, capsys.readouterr().out
        out = tmp_path / "release"
        b.build(out)
        student = out / "student"
        assert dangling_links(student) == []
        text = (student / "README.md").read_text()
        assert lesson_rows(text) == kept and "05_design" not in text
        assert lesson_rows(start_here_table(student)) == kept[1:]
        assert not (student / "data" / "exercises" / "05_design_a_settlement.yml").exists()

    def test_prose_links_to_a_dropped_lesson_are_reported_then_unlinked(self, root, tmp_path,
                                                                        capsys):
        (root / "README.md").write_text(
            "# My course\n\n| notebook | what |\n|---|---|\n"
            "| [One](notebooks/01_fixture_lesson.ipynb) | first |\n"
            "| [Two](notebooks/02_fixture_second.ipynb) | second |\n\n"
            "[![Open](badge.svg)](https://mybinder.org/v2/gh/me/c/main?urlpath=lab/tree/"
            "notebooks/02_fixture_second.ipynb)\n\n"
            "Read [the guide](GUIDE.md) and `notebooks/02_fixture_second.ipynb` later.\n")
        path = root / "notebooks" / "01_fixture_lesson.ipynb"
        nb = nbformat.read(str(path), 4)
        nb.cells.append(nbformat.v4.new_markdown_cell(
            "Next: [the second lesson](02_fixture_second.ipynb)."))
        nbformat.write(nb, str(path))
        set_course(root, lessons=["01_fixture_lesson"])
        assert cli.main(["check"]) == 1
        out = capsys.readouterr().out
        assert "notebooks/01_fixture_lesson.ipynb, cell 8" in out
        assert "[the second lesson](02_fixture_second.ipynb)" in out
        assert "README.md, line 10" in out and "notebooks/02_fixture_second.ipynb` later" in out
        assert "line 6" not in out and "line 8" not in out  # the row and the badge: the build's
        release = b.Release(root, root / "data", course.settings())
        release.registry = bank.load(bank.bank_files(), bank.known_sources())
        found = b.run_steps(release, b.STEPS[1:10])  # as far as DropMissingLinks, unchecked
        text = found.texts["README.md"]
        assert lesson_rows(text) == ["01_fixture_lesson"] and "badge.svg" not in text
        assert "Read the guide and" in text
        cell = found.notebooks["notebooks/01_fixture_lesson.ipynb"].cells[-1].source
        assert cell == "Next: the second lesson."

    def test_show_extra_with_an_unknown_lesson_is_reported(self, root, capsys):
        path = root / "notebooks" / "02_fixture_second.ipynb"
        nb = nbformat.read(str(path), 4)
        nb.cells.append(nbformat.v4.new_code_cell('quiz.show_extra("02_fixture_secnd")'))
        nbformat.write(nb, str(path))
        assert cli.main(["check"]) == 1
        assert ("column/field 'quiz.show_extra': '02_fixture_secnd' is not a lesson of the "
                'course: write quiz.show_extra("02_fixture_second")') in capsys.readouterr().out


class TestLinkTools:
    def test_find_skips_code_and_sees_badges_references_and_html(self):
        text = ("[a](x.md) `[b](y.md)` ![c](p.png) [![d](i.svg)](https://h/n.ipynb)\n"
                "```\n[e](z.md)\n```\n[ref]: r.md\n<a href='h.md'>h</a>\n")
        assert [lk.target for lk in links.find(text)] == [
            "x.md", "p.png", "https://h/n.ipynb", "i.svg", "r.md", "h.md"]

    def test_mentions_reads_ranges_and_lists(self):
        numbers = {3: "03_x"}
        for text in ("Lesson 3", "lessons 2 and 3", "Lessons 1–4", "lessons 01, 02 and 03",
                     "as in 03_x.ipynb", "Lessons 1 to 4"):
            assert [n for n, _ in lessons.mentions(text, ["03_x"], numbers)] == ["03_x"], text
        for text in ("Lesson 13", "lesson 2", "03_xy", "Lessons 4–5", "the 1993 lesson"):
            assert lessons.mentions(text, ["03_x"], numbers) == [], text
        assert lessons.mentions("Untitled work", ["Untitled"], {}) == []
        assert lessons.mentions("see Untitled.ipynb", ["Untitled"], {}) == [
            ("Untitled", "Untitled.ipynb")]


# --- the instructor's own questions appear in every lesson ------------------------------------
LESSONS = yaml.safe_load((REPO / "course.yml").read_text(encoding="utf-8"))["lessons"]
_CALL = re.compile(r"""quiz\.(show_extra|show_lesson)\(\s*["']([^"']+)["']\s*\)""")


def own_question(lesson):
    return (f"lesson: {lesson}\nexercises:\n  - id: my-question-{lesson[:2]}\n    kind: single\n"
            f"    prompt: An instructor's own question for {lesson}\n    choices:\n"
            "      - text: Yes\n        correct: true\n      - text: No\n"
            "    sources: [mofa-compendium-1992]\n")


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_shows_the_instructors_own_questions(lesson, tmp_path, monkeypatch):
    """Every lesson has one cell, in the same place (just before its key points; the start-here
    notebook: its lesson's exercises), where a question from ``extra: exercises`` appears."""
    nb = nbformat.read(str(REPO / "notebooks" / f"{lesson}.ipynb"), 4)
    calls = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and any(name == lesson for _, name in _CALL.findall(c.source))]
    assert len(calls) == 1, [c.source for _, c in calls]
    index, cell = calls[0]
    if lesson != "00_start_here":
        assert "quiz.show_extra" in cell.source
        assert nb.cells[index + 1].source.startswith("## Key points")
    lines = cell.source.splitlines()
    assert lines[0].startswith("# ") and len(lines) <= 3

    (tmp_path / "mine.yml").write_text(own_question(lesson), encoding="utf-8")
    (tmp_path / "course.yml").write_text(
        f"lessons: [{lesson}]\nextra:\n  exercises: [mine.yml]\n", encoding="utf-8")
    monkeypatch.setenv("KURIL_COURSE_FILE", str(tmp_path / "course.yml"))
    data.reload()
    try:
        scope = {}
        exec("from helpers import quiz", scope)
        exec("\n".join(lines[:-1]), scope)
        widget = eval(lines[-1], scope)
    finally:
        data.reload()
    assert isinstance(widget, quiz_widgets.LessonWidget)
    assert f"my-question-{lesson[:2]}" in [w.id for w in widget.exercises]
    html = " ".join(str(getattr(w, "value", "") or "") for ex in widget.exercises
                    for w in ex.children)
    assert f"An instructor&#x27;s own question for {lesson}" in html or (
        f"An instructor's own question for {lesson}" in html)


def test_show_extra_is_empty_without_questions_and_warns_on_a_broken_file(root, tmp_path):
    from helpers import quiz

    assert quiz.show_extra("02_fixture_second") is None  # the cell shows nothing at all
    extra = quiz.show_extra("01_fixture_lesson")
    assert [w.id for w in extra.exercises] == ["fx-instructor-own"]
    (root / "my_course" / "extra_questions.yml").write_text("lesson: [\n")
    data.reload()
    warn = quiz.show_extra("01_fixture_lesson")
    assert any("could not be read" in getattr(c, "feedback_text", "") for c in warn.children)
