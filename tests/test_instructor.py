"""python -m helpers.instructor: check every course file, build a release. One class per step.

Golden files: ``KURIL_UPDATE_GOLDEN=1 pytest tests/test_instructor.py -k golden`` rewrites
tests/golden/ from tests/fixtures/course/ (review the diff before committing it).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from helpers import data, quiz
from helpers._quiz import bank as _exercises
from helpers.instructor import __main__ as cli
from helpers.instructor import build as b
from helpers.instructor.notebooks import BEGIN, END

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "course"
GOLDEN = HERE / "golden"
REPO = HERE.parent


@pytest.fixture
def root(course_root):
    """A writable copy of the fixture course."""
    return course_root


def run_check(capsys):
    code = cli.main(["check"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def bank(root, name, text, binary=False):
    path = root / "data" / "exercises" / name
    if binary:
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


ONE = """
lesson: 03_extra
exercises:
  - id: {id}
    kind: {kind}
    prompt: A question
{body}
    sources: [stephan-1974]
"""


def exercise(kind="single", id="ex-1", body=""):
    return ONE.format(kind=kind, id=id, body=body)


# --- check ----------------------------------------------------------------------------------
class TestCheck:
    def test_a_clean_course_gives_one_ok_line_and_exit_zero(self, root, capsys):
        code, out = run_check(capsys)
        assert code == 0
        assert out.count("\n") == 1 and out.startswith("OK: checked")
        assert "3 exercise banks (12 exercises)" in out

    @pytest.mark.parametrize("name, text, expected", [
        ("malformed YAML", "lesson: 03_extra\nexercises: [\n",
         ["03_extra.yml, line 3", "not valid YAML"]),
        ("wrong type", exercise(body="    points: many\n    choices: [{text: a, correct: true}, x]"
                                ),
         ["exercise ex-1", "'points'", "number 0 or more"]),
        ("missing field", "lesson: 03_extra\nexercises:\n  - id: ex-1\n    kind: short\n"
         "    sources: [stephan-1974]\n", ["'prompt': is required", "'model_answer': is required"]),
        ("unknown kind", exercise(kind="essay"), ["'kind'", "'essay' is not a known kind"]),
        ("two correct in single", exercise(body="    choices: [{text: a, correct: true}, "
                                                "{text: b, correct: true}]"),
         ["'choices'", "exactly one", "found 2"]),
        ("ordering duplicates", exercise("ordering", body="    items: [a, b, a]"),
         ["'items'", "'a' appears twice"]),
        ("matching duplicate right", exercise("matching", body="    pairs: [{left: a, right: x},"
                                                               " {left: b, right: x}]"),
         ["'pairs'", "the right 'x' appears twice"]),
        ("numeric answer not a number", exercise("numeric", body="    answer: about 1855"),
         ["'answer'", "as a number"]),
        ("unknown field", exercise(body="    hint: [x]\n    choices: [{text: a, correct: true}, b]"
                                   ),
         ["'hint'", "did you mean 'hints'"]),
        ("unknown source", exercise(body="    choices: [{text: a, correct: true}, b]").replace(
            "stephan-1974", "stephan-1975"), ["'sources'", "'stephan-1975' is not a known id"]),
        ("bad id", exercise(id="Ex_1", body="    choices: [{text: a, correct: true}, b]"),
         ["'id'", "lowercase"]),
        ("lesson does not match file", exercise(body="    choices: [{text: a, correct: true}, b]"
                                                ).replace("03_extra", "03_other"),
         ["'lesson'", "must match the file name"]),
        ("repeated key", "lesson: 03_extra\nlesson: 03_extra\nexercises: []\n",
         ["line 2", "appears twice"]),
        ("opinion marked correct", exercise("opinion", body="    choices: [{text: a, correct: true}"
                                                            ", {text: b}]"),
         ["'choices[1].correct'", "no correct answer"]),
    ])
    def test_each_mistake_is_named_with_file_exercise_and_field(self, root, capsys, name, text,
                                                                 expected):
        bank(root, "03_extra.yml", text)
        code, out = run_check(capsys)
        assert code == 1, name
        assert "data/exercises/03_extra.yml" in out
        for words in expected:
            assert words in out, (name, words, out)
        assert out.strip().splitlines()[-1].endswith("file.") or "files." in out

    def test_duplicate_ids_across_banks(self, root, capsys):
        bank(root, "03_extra.yml", exercise(id="fx-single", body="    choices: [{text: a, correct:"
                                                                 " true}, b]"))
        code, out = run_check(capsys)
        assert code == 1
        assert "03_extra.yml, exercise fx-single, column/field 'id': duplicate id" in out
        assert "already used in data/exercises/01_fixture_lesson.yml" in out

    @pytest.mark.parametrize("raw, words", [
        (b"", "is empty"),
        (b"# only a comment\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("lesson: caf\u00e9\n".encode("latin-1"), "not UTF-8"),
        (b"x: " + b"a" * 1_000_001, "larger than 1 MB"),
        (b"a: " + b"[" * 200 + b"]" * 200, "nested more than"),
    ])
    def test_unreadable_files_are_refused(self, root, capsys, raw, words):
        bank(root, "03_extra.yml", raw, binary=True)
        code, out = run_check(capsys)
        assert code == 1 and "03_extra.yml" in out and words in out

    def test_python_tags_are_refused_and_nothing_runs(self, root, capsys, tmp_path):
        marker = tmp_path / "pwned"
        bank(root, "03_extra.yml", f"lesson: !!python/object/apply:os.system ['touch {marker}']\n"
                                   "exercises: []\n")
        bank(root, "03_more.yml", "!!python/object/new:os.system\n- touch {marker}\n")
        code, out = run_check(capsys)
        assert code == 1 and "!!python/object/apply:os.system" in out
        assert "03_more.yml" in out and not marker.exists()

    def test_billion_laughs_is_refused_quickly(self, root, capsys):
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
            lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        bank(root, "03_extra.yml", "\n".join(lines) + "\n")
        code, out = run_check(capsys)
        assert code == 1 and "anchors (&a) are not allowed" in out

    def test_a_broken_bank_does_not_hide_problems_elsewhere(self, root, capsys):
        bank(root, "03_extra.yml", "lesson: [\n")
        (root / "course.yml").write_text("feedback: loud\n", encoding="utf-8")
        (root / "data" / "sources.csv").write_text("id,kind,author,title\nx,book,A,T\n",
                                                   encoding="utf-8")
        code, out = run_check(capsys)
        assert code == 1
        assert "03_extra.yml" in out
        assert "course.yml, column/field 'feedback': 'loud' is not allowed" in out
        assert "data/sources.csv, row 2 (id x), column/field 'kind'" in out

    def test_notebook_problems_are_reported(self, root, capsys):
        nb = nbformat.read(str(root / "notebooks" / "02_fixture_second.ipynb"), 4)
        nb.cells.append(nbformat.v4.new_code_cell(f"{BEGIN}\nx = 1\n"))
        nb.cells.append(nbformat.v4.new_code_cell('quiz.show("no-such-id")'))
        nbformat.write(nb, str(root / "notebooks" / "02_fixture_second.ipynb"))
        (root / "notebooks" / "03_broken.ipynb").write_text("{not json", encoding="utf-8")
        code, out = run_check(capsys)
        assert code == 1
        assert "notebooks/02_fixture_second.ipynb, cell 3" in out and "never closed" in out
        assert "cell 4, column/field 'quiz.show': 'no-such-id' is not an exercise id" in out
        assert "notebooks/03_broken.ipynb: is not a readable notebook" in out

    def test_course_cross_checks(self, root, capsys):
        (root / "course.yml").write_text(
            "lessons: [01_fixture_lesson, 07_missing]\nhide_exercises: [fx-hiden]\n",
            encoding="utf-8")
        code, out = run_check(capsys)
        assert "'07_missing' has no notebook notebooks/07_missing.ipynb" in out
        assert "'hide_exercises': 'fx-hiden' is not an exercise id" in out

    def test_an_internal_error_is_one_line_and_exit_three(self, root, capsys, monkeypatch):
        def boom():
            raise RuntimeError("unexpected")

        monkeypatch.setattr("helpers.instructor.check.run", boom)
        assert cli.main(["check"]) == 3
        out, err = capsys.readouterr()
        assert "Internal error (RuntimeError: unexpected)" in err and "Traceback" not in err

    def test_a_wrong_command_line_prints_usage(self, capsys):
        with pytest.raises(SystemExit) as done:
            cli.main(["chek"])
        assert done.value.code == 2 and "invalid choice: 'chek'" in capsys.readouterr().err

    def test_the_command_line_runs_as_a_module(self, root):
        env = dict(os.environ, KURIL_DATA_DIR=str(root / "data"))
        bank(root, "03_extra.yml", exercise(kind="essay"))
        done = subprocess.run([sys.executable, "-m", "helpers.instructor", "--course",
                               str(root / "course.yml"), "check"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "'essay' is not a known kind" in done.stdout
        assert "Traceback" not in done.stderr

    @pytest.mark.parametrize("path", sorted((REPO / "data" / "exercises").glob("*.yml")),
                             ids=lambda p: p.name)
    def test_each_repository_bank_is_valid(self, path):
        reg = _exercises.load([(path, False)], _exercises.known_sources())
        assert [str(p) for p in reg.problems] == []

    def test_the_start_here_bank_has_at_least_eight_exercises(self):
        reg = _exercises.load([(REPO / "data" / "exercises" / "00_start_here.yml", False)])
        assert len(reg.lessons["00_start_here"]) >= 8
        assert {ex["kind"] for ex in reg.exercises.values()} >= {"single", "multiple", "numeric",
                                                                 "matching", "opinion"}


# --- build steps (one class per step) --------------------------------------------------------
def release_of(root, **nbs):
    """A Release holding notebooks given as lists of cells."""
    rel = b.Release(root=root, data_dir=root / "data", settings={
        "feedback": "immediate", "lessons": ["01_fixture_lesson", "02_fixture_second"]})
    for name, cells in nbs.items():
        nb = nbformat.v4.new_notebook(cells=cells)
        rel.notebooks[f"notebooks/{name}.ipynb"] = nb
    return rel


def code(src, tags=(), **kw):
    cell = nbformat.v4.new_code_cell(src, **kw)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def md(src, tags=()):
    cell = nbformat.v4.new_markdown_cell(src)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


class TestValidateCourse:
    def test_stops_on_any_problem(self, root):
        """Does a broken exercise stop the build with the checker's problems?"""
        bank(root, "03_extra.yml", exercise(kind="essay"))
        with pytest.raises(b.BuildError) as err:
            b.ValidateCourse()(release_of(root))
        assert any("'essay' is not a known kind" in str(p) for p in err.value.problems)

    def test_refuses_extra_files_outside_the_course(self, root, tmp_path):
        """Is an extra file outside the course folder refused (the release could not find it)?"""
        outside = tmp_path / "elsewhere.csv"
        shutil.copy(root / "my_course" / "events.csv", outside)
        text = (root / "course.yml").read_text().replace("my_course/events.csv", "../elsewhere.csv")
        (root / "course.yml").write_text(text)
        with pytest.raises(b.BuildError, match="outside the course folder"):
            b.ValidateCourse()(release_of(root))

    def test_passes_a_clean_course_and_keeps_the_exercises(self, root):
        """Does a clean course pass, handing the exercises to later steps?"""
        rel = b.ValidateCourse()(release_of(root))
        assert "fx-instructor-own" in rel.registry.exercises


class TestCopyNotebooks:
    def test_takes_only_the_course_lessons(self, root):
        """Are only the notebooks listed under ``lessons`` taken?"""
        (root / "notebooks" / "figure.png").write_bytes(b"\x89PNG")
        (root / "notebooks" / "answer_key.png").write_bytes(b"\x89PNG")
        lesson = root / "notebooks" / "02_fixture_second.ipynb"
        nb = nbformat.read(str(lesson), 4)
        nb.cells.append(nbformat.v4.new_markdown_cell("![A map](figure.png)"))
        nbformat.write(nb, str(lesson))
        rel = release_of(root)
        rel.settings = {"lessons": ["02_fixture_second"]}
        out = b.CopyNotebooks()(rel)
        assert list(out.notebooks) == ["notebooks/02_fixture_second.ipynb"]
        assert out.files["notebooks/figure.png"] == root / "notebooks" / "figure.png"
        assert "notebooks/answer_key.png" not in out.files  # an image no lesson names

    def test_a_malformed_notebook_is_named(self, root):
        """Does an unreadable notebook stop the build and name the file?"""
        (root / "notebooks" / "02_fixture_second.ipynb").write_text("{", encoding="utf-8")
        rel = release_of(root)
        rel.settings = {"lessons": ["02_fixture_second"]}
        with pytest.raises(b.BuildError, match="02_fixture_second.ipynb: is not a readable"):
            b.CopyNotebooks()(rel)


class TestRemoveInstructorCells:
    def test_removes_tagged_cells_only(self, tmp_path):
        """Are cells tagged ``instructor`` removed, the others kept in order?"""
        rel = release_of(tmp_path, a=[md("one"), code("x", tags=["instructor"]),
                                      md("two", tags=["instructor", "other"]), code("three")])
        out = b.RemoveInstructorCells()(rel)
        assert [c.source for c in out.notebooks["notebooks/a.ipynb"].cells] == ["one", "three"]

    def test_the_tag_in_any_case(self, tmp_path):
        """Are cells tagged ``Instructor`` or ``INSTRUCTOR`` removed too?"""
        rel = release_of(tmp_path, a=[md("one"), md("notes", tags=["Instructor"]),
                                      code("x", tags=["INSTRUCTOR "]), md("two")])
        out = b.RemoveInstructorCells()(rel)
        assert [c.source for c in out.notebooks["notebooks/a.ipynb"].cells] == ["one", "two"]

    def test_works_on_a_copy(self, tmp_path):
        """Is the release it was given left unchanged?"""
        rel = release_of(tmp_path, a=[code("x", tags=["instructor"])])
        b.RemoveInstructorCells()(rel)
        assert len(rel.notebooks["notebooks/a.ipynb"].cells) == 1


class TestClearSolutions:
    def solve(self, tmp_path, *cells):
        out = b.ClearSolutions()(release_of(tmp_path, a=list(cells)))
        return out.notebooks["notebooks/a.ipynb"].cells

    def test_replaces_lines_between_markers(self, tmp_path):
        """Are the lines between the markers replaced by one placeholder at the same indent?"""
        src = (f"def f():\n    {BEGIN}\n    return 18\n    {END}\n\nprint(f())\n"
               f"{BEGIN}\nx = 1\n{END}")
        (cell,) = self.solve(tmp_path, code(src))
        assert cell.source == ("def f():\n    pass  # Your answer here\n\nprint(f())\n"
                               "pass  # Your answer here")
        compile(cell.source, "cell", "exec")  # still valid Python

    def test_replaces_a_whole_solution_cell(self, tmp_path):
        """Is a cell tagged ``solution`` replaced whole, and the tag dropped?"""
        cells = self.solve(tmp_path, md("The answer is 18.", tags=["solution"]),
                           code("x = 18", tags=["solution", "keep"]))
        assert cells[0].source == "*Write your answer here.*" and "tags" not in cells[0].metadata
        assert cells[1].source == "pass  # Your answer here"
        assert cells[1].metadata["tags"] == ["keep"]

    @pytest.mark.parametrize("begin, end", [
        ("### Begin Solution", "### End Solution"), ("### begin solution", "### END solution"),
        ("###BEGIN SOLUTION", "###   end   Solution")])
    def test_markers_in_any_case_are_cleared(self, tmp_path, begin, end):
        """Does a marker written in another case still clear the solution (no leak)?"""
        (cell,) = self.solve(tmp_path, code(f"x = 1\n{begin}\nsecret = 18\n{end}"))
        assert cell.source == "x = 1\npass  # Your answer here" and "secret" not in cell.source

    @pytest.mark.parametrize("tag", ["Solution", "SOLUTION", " solution "])
    def test_a_solution_tag_in_any_case_is_cleared(self, tmp_path, tag):
        """Is a cell tagged ``Solution`` (any case) replaced, and the tag dropped?"""
        (cell,) = self.solve(tmp_path, md("The answer is 18.", tags=[tag, "keep"]))
        assert cell.source == "*Write your answer here.*" and cell.metadata["tags"] == ["keep"]

    def test_leaves_other_cells_alone(self, tmp_path):
        """Is a cell without markers or tag left exactly as it was?"""
        (cell,) = self.solve(tmp_path, code("# BEGIN SOLUTION is only text here\nx = 1"))
        assert cell.source == "# BEGIN SOLUTION is only text here\nx = 1"

    def test_error_when_there_is_no_end(self, tmp_path):
        """Is an error raised, naming the notebook and cell, when there is no END SOLUTION?"""
        with pytest.raises(b.BuildError) as err:
            self.solve(tmp_path, md("intro"), code(f"{BEGIN}\nx = 1"))
        (problem,) = err.value.problems
        assert problem.file == "notebooks/a.ipynb" and problem.where.startswith("cell 2")
        assert "never closed" in problem.message

    def test_error_for_nested_markers(self, tmp_path):
        """Is an error raised when a BEGIN SOLUTION sits inside another?"""
        with pytest.raises(b.BuildError, match="cannot be nested"):
            self.solve(tmp_path, code(f"{BEGIN}\n{BEGIN}\nx\n{END}\n{END}"))

    def test_error_for_an_end_without_begin(self, tmp_path):
        """Is an error raised for an END SOLUTION with no BEGIN before it?"""
        with pytest.raises(b.BuildError, match="has no '### BEGIN SOLUTION' before it"):
            self.solve(tmp_path, code(f"x = 1\n{END}"))

    def test_every_bad_cell_is_reported_at_once(self, tmp_path):
        """Are the mistakes of all cells listed together, not one per build?"""
        with pytest.raises(b.BuildError) as err:
            self.solve(tmp_path, code(BEGIN), code(END))
        assert len(err.value.problems) == 2


class TestClearOutputs:
    def test_outputs_counts_and_widget_state_go(self, tmp_path):
        """Are outputs, execution counts and saved widget state removed, text kept?"""
        out_cell = code("1 + 1", execution_count=4,
                        outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "2"},
                                                        execution_count=4)])
        out_cell.metadata["execution"] = {"iopub.status.busy": "2024"}
        rel = release_of(tmp_path, a=[md("text"), out_cell])
        rel.notebooks["notebooks/a.ipynb"].metadata["widgets"] = {"state": {}}
        nb = b.ClearOutputs()(rel).notebooks["notebooks/a.ipynb"]
        assert nb.cells[1].outputs == [] and nb.cells[1].execution_count is None
        assert "execution" not in nb.cells[1].metadata and "widgets" not in nb.metadata
        assert nb.cells[0].source == "text" and nb.cells[1].source == "1 + 1"


class TestCopyData:
    def test_takes_data_course_file_and_extras_but_not_banks(self, root):
        """Are data files, the course file and extra data files taken, and banks left out?"""
        out = b.CopyData()(release_of(root))
        assert out.files["data/events.csv"] == root / "data" / "events.csv"
        assert out.files["course.yml"] == root / "course.yml"
        assert out.files["my_course/events.csv"] == root / "my_course" / "events.csv"
        assert not any(k.startswith("data/exercises/") for k in out.files)


class TestCopySupportFiles:
    def test_takes_the_package_and_project_files(self, tmp_path):
        """Are helpers/ and the project files taken, caches left out?"""
        (tmp_path / "helpers" / "__pycache__").mkdir(parents=True)
        (tmp_path / "helpers" / "quiz.py").write_text("")
        (tmp_path / "helpers" / "__pycache__" / "quiz.cpython-311.pyc").write_bytes(b"")
        (tmp_path / "pyproject.toml").write_text("")
        (tmp_path / "tests").mkdir()
        out = b.CopySupportFiles()(release_of(tmp_path))
        assert sorted(out.files) == ["helpers/quiz.py", "pyproject.toml"]


class TestWriteAnswerKey:
    def key(self, root):
        rel = b.ValidateCourse()(release_of(root))
        rel.settings = dict(rel.settings, **__import__("helpers").course.settings())
        return b.WriteAnswerKey()(rel).instructor

    def test_one_key_per_lesson_in_markdown_and_html(self, root):
        """Is there a Markdown and an HTML key for each lesson, and an index?"""
        assert sorted(self.key(root)) == [
            "01_fixture_lesson.html", "01_fixture_lesson.md", "02_fixture_second.html",
            "02_fixture_second.md", "index.html", "index.md"]

    def test_key_holds_answers_model_answers_rubrics_and_notes(self, root):
        """Does the key give correct answers, model answers, rubrics and instructor notes?"""
        text = self.key(root)["01_fixture_lesson.md"]
        for words in ("- ✓ Between Etorofu/Iturup and Urup", "**Answer:** 1855",
                      "1. Treaty of Shimoda", "Treaty of Shimoda → 1855",
                      "Japan gave up its rights on Sakhalin", "- names the northern Kurils",
                      "Ask who drew this line", "*Hidden in this course",
                      "`fx-instructor-own`", "`stephan-1974` (John J. Stephan"):
            assert words in text, words

    def test_html_is_escaped(self, root):
        """Is raw HTML from a question shown as text in the HTML key?"""
        page = self.key(root)["01_fixture_lesson.html"]
        assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold" not in page
        assert page.startswith("<!DOCTYPE html>")


class TestStripAnswers:
    def strip(self, root, feedback):
        rel = b.ValidateCourse()(release_of(root))
        rel.settings = {"feedback": feedback, "lessons": ["01_fixture_lesson", "02_fixture_second"]}
        return b.StripAnswers()(rel)

    def test_banks_of_lessons_left_out_are_left_out(self, root):
        """Is the bank of a lesson the course leaves out (and an extra bank for it) not copied?"""
        rel = b.ValidateCourse()(release_of(root))
        rel.settings = {"feedback": "none", "lessons": ["02_fixture_second"]}
        out = b.StripAnswers()(rel)
        assert sorted(out.banks) + sorted(out.files) == ["data/exercises/02_fixture_second.yml"]

    def test_feedback_none_removes_every_answer(self, root):
        """In feedback mode none, are answers, feedback, model answers and rubrics gone?"""
        out = self.strip(root, "none")
        text = yaml.safe_dump(out.banks["data/exercises/01_fixture_lesson.yml"])
        for word in ("correct", "feedback", "model_answer", "rubric", "keywords", "answer:",
                     "instructor_note", "put the line between", "pairs"):
            assert word not in text, word
        stripped = out.banks["data/exercises/01_fixture_lesson.yml"]
        assert stripped["answers_removed"] is True
        order = next(e for e in stripped["exercises"] if e["id"] == "fx-ordering")["items"]
        assert order == sorted(order, key=str.casefold)
        match = next(e for e in stripped["exercises"] if e["id"] == "fx-matching")
        assert match["lefts"] == ["Treaty of Saint Petersburg", "Treaty of Shimoda"]
        assert "my_course/extra_questions.yml" in out.banks

    def test_stripped_banks_load_and_show_without_marking(self, root, monkeypatch):
        """Does a stripped bank pass the checker, and does the quiz save without marking?"""
        out = self.strip(root, "none")
        for rel, content in out.banks.items():
            target = root / rel
            target.write_text(b._dump_bank(content), encoding="utf-8")
        reg = _exercises.load([(p, False) for p in sorted(
            (root / "data" / "exercises").glob("*.yml"))], _exercises.known_sources())
        assert reg.problems == []
        (root / "course.yml").write_text("feedback: immediate\n", encoding="utf-8")
        monkeypatch.setitem(sys.modules, "helpers.journal", None)
        q = quiz.show("fx-single").answer("At the strait off Kamchatka")
        assert q.check().correct is None and "Not quite" not in q.feedback_text

    def test_other_modes_only_drop_instructor_notes(self, root):
        """With feedback shown, are only instructor notes removed (other banks copied as is)?"""
        out = self.strip(root, "immediate")
        first = out.banks["data/exercises/01_fixture_lesson.yml"]
        assert "answers_removed" not in first
        single = first["exercises"][0]
        assert "instructor_note" not in single and single["choices"][0]["correct"] is True
        assert out.files["data/exercises/02_fixture_second.yml"] == (
            root / "data" / "exercises" / "02_fixture_second.yml")

    def test_strip_bank_keeps_its_input(self):
        """Does strip_bank leave the bank it was given untouched?"""
        original = {"lesson": "x", "exercises": [{"id": "a", "kind": "numeric", "answer": 3,
                                                  "instructor_note": "n"}]}
        new, changed = b.strip_bank(original, remove_answers=True)
        assert changed and original["exercises"][0]["answer"] == 3
        assert "answer" not in new["exercises"][0]
        assert list(new)[:2] == ["lesson", "answers_removed"]


# --- the whole build --------------------------------------------------------------------------
def tree(folder):
    """Every file under ``folder`` and its bytes (the build's marker file left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".kuril-release"}


class TestBuild:
    def test_golden_directory(self, root, tmp_path):
        """Does a build of the fixture course match tests/golden/ file for file?"""
        out = tmp_path / "release"
        b.build(out)
        if os.environ.get("KURIL_UPDATE_GOLDEN"):
            shutil.rmtree(GOLDEN, ignore_errors=True)
            shutil.copytree(out, GOLDEN)
        got, want = tree(out), tree(GOLDEN)
        assert sorted(got) == sorted(want)
        for name in want:
            assert got[name] == want[name], f"{name} differs from tests/golden/{name}"

    def test_the_release_passes_check(self, root, tmp_path, monkeypatch, capsys):
        """Does the student release pass check by itself (stripped banks included)?"""
        out = tmp_path / "release"
        b.build(out)
        student = out / "student"
        monkeypatch.setenv("KURIL_COURSE_FILE", str(student / "course.yml"))
        monkeypatch.setattr(data, "DATA_DIR", student / "data")
        code, text = run_check(capsys)
        assert code == 0, text

    def test_nothing_is_written_when_validation_fails(self, root, tmp_path):
        """Does a failed build leave no trace in DIR or beside it?"""
        bank(root, "03_extra.yml", exercise(kind="essay"))
        with pytest.raises(b.BuildError):
            b.build(tmp_path / "release")
        assert not (tmp_path / "release").exists()
        assert [p.name for p in tmp_path.iterdir()] == ["course"]

    def test_nothing_is_written_when_a_late_step_fails(self, root, tmp_path):
        """Does a solution-marker error found during the build keep DIR unchanged?"""
        out = tmp_path / "release"
        b.build(out)
        before = tree(out)
        path = root / "notebooks" / "02_fixture_second.ipynb"
        nb = nbformat.read(str(path), 4)
        nb.cells.append(code(END))
        nbformat.write(nb, str(path))
        steps = [_NoCheck(), *(s for s in b.STEPS if not isinstance(s, b.ValidateCourse))]
        with pytest.raises(b.BuildError, match="02_fixture_second.ipynb"):
            b.build(out, force=True, steps=steps)
        assert tree(out) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["course", "release"]

    def test_a_non_empty_folder_needs_force(self, root, tmp_path):
        """Is an earlier release refused without --force, and replaced with it?"""
        out = tmp_path / "release"
        b.build(out)
        path = root / "notebooks" / "02_fixture_second.ipynb"
        nb = nbformat.read(str(path), 4)
        nb.cells.append(md("A paragraph added after the first build."))
        nbformat.write(nb, str(path))
        built = out / "student" / "notebooks" / "02_fixture_second.ipynb"
        with pytest.raises(b.BuildError, match="--force"):
            b.build(out)
        assert "added after the first build" not in built.read_text()
        b.build(out, force=True)
        assert "added after the first build" in built.read_text()

    def test_the_course_folder_itself_is_refused(self, root):
        """Can the build never replace the course it is built from?"""
        with pytest.raises(b.BuildError, match="course folder"):
            b.build(root.parent, force=True)

    def test_command_line_build(self, root, tmp_path):
        """Does ``python -m helpers.instructor build --out DIR`` work and report failures?"""
        env = dict(os.environ, KURIL_COURSE_FILE=str(root / "course.yml"),
                   KURIL_DATA_DIR=str(root / "data"))
        args = [sys.executable, "-m", "helpers.instructor", "build", "--out"]
        done = subprocess.run(args + [str(tmp_path / "ok")], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "ClearSolutions" in done.stdout and "OK: wrote 2 notebooks" in done.stdout
        assert (tmp_path / "ok" / "instructor" / "01_fixture_lesson.html").exists()
        bank(root, "03_extra.yml", "lesson: [\n")
        done = subprocess.run(args + [str(tmp_path / "bad")], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "nothing was written" in done.stdout
        assert "03_extra.yml" in done.stdout and "Traceback" not in done.stderr
        assert not (tmp_path / "bad").exists()


class _NoCheck(b.ValidateCourse):
    """ValidateCourse without the notebook check, so a later step meets the bad marker."""

    def apply(self, release):
        release.registry = _exercises.load(_exercises.bank_files(), _exercises.known_sources())


class TestInstructorsGuide:
    def test_the_example_question_is_valid(self, root):
        """Does the question in INSTRUCTORS.md pass the checker as written?"""
        guide = (REPO / "INSTRUCTORS.md").read_text(encoding="utf-8")
        section = guide.split("## Add your own question")[1]
        example = section.split("```yaml")[1].split("```")[0]
        path = root / "my_course" / "questions.yml"
        path.write_text("\n".join(line[3:] for line in example.splitlines()), encoding="utf-8")
        reg = _exercises.load([(path, True)], {"mofa-compendium-1992"})
        assert reg.problems == [] and list(reg.exercises) == ["my-1875-exchange"]

    def test_the_sample_messages_are_the_real_ones(self, root, capsys):
        """Are the two sample problem lines in INSTRUCTORS.md what check really prints?"""
        guide = (REPO / "INSTRUCTORS.md").read_text(encoding="utf-8")
        (root / "course.yml").write_text("feedback: sometimes\n", encoding="utf-8")
        bank(root, "03_extra.yml", exercise(id="shimoda-boundary", body=(
            "    choices: [{text: a, correct: true}, {text: b, correct: true}]")))
        code, out = run_check(capsys)
        for line in out.splitlines()[:-1]:
            message = line.split(", column/field ", 1)[1]
            assert message in guide, message


class TestTheGuidesBuildCommand:
    def test_the_documented_build_command_works_from_the_course_folder(self, root, monkeypatch,
                                                                       capsys):
        """Is the command INSTRUCTORS.md gives accepted, writing outside the course folder?"""
        guide = (REPO / "INSTRUCTORS.md").read_text(encoding="utf-8")
        section = guide.split("## Build a student release and an instructor pack")[1]
        command = section.split("```bash")[1].split("```")[0].strip()
        args = command.split("python -m helpers.instructor ")[1].split()
        monkeypatch.chdir(root)
        assert cli.main(args) == 0, capsys.readouterr().out
        out = (root / args[args.index("--out") + 1]).resolve()
        assert root not in out.parents and (out / "student" / "course.yml").is_file()


class TestCheckMaps:
    def test_broken_map_data_is_reported_by_file(self, root, capsys):
        """Does check report a broken data/geo file by name, without a traceback?"""
        shutil.copytree(REPO / "data" / "geo", root / "data" / "geo")
        (root / "data" / "geo" / "control.csv").write_text("nonsense\n1,2\n", encoding="utf-8")
        code, out = run_check(capsys)
        assert code == 1
        assert "control.csv" in out


class TestCopyNotebooksLinks:
    def test_the_notebooks_helpers_link_is_kept_as_a_link(self, root, tmp_path, capsys):
        """Does the release keep notebooks/helpers -> ../helpers, so hub kernels can import it?"""
        (root / "notebooks" / "helpers").symlink_to("../helpers")
        out = tmp_path / "release"
        assert cli.main(["build", "--out", str(out)]) == 0
        link = out / "student" / "notebooks" / "helpers"
        assert link.is_symlink() and os.readlink(link) == "../helpers"
