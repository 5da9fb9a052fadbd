"""helpers.course: course.yml merged over defaults; a broken file never stops a notebook."""

from pathlib import Path

import pytest

from helpers import course, data

FIXTURE = Path(__file__).parent / "fixtures" / "course"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def root(course_root):
    """A writable copy of the fixture course."""
    return course_root


def write(root, text):
    (root / "course.yml").write_text(text, encoding="utf-8")


def fields(problems):
    return [p.field for p in problems]


def test_repository_course_file_is_valid(monkeypatch):
    monkeypatch.delenv("KURIL_COURSE_FILE", raising=False)
    assert course.course_file() == REPO / "course.yml"
    assert course.problems() == []
    s = course.settings()
    assert s["lessons"][0] == "00_start_here"
    assert s["feedback"] in course.FEEDBACK_MODES
    assert s["journal_dir"] == str(Path("~/kuril-journal").expanduser())


def test_fixture_values_are_read(root):
    s = course.settings()
    assert s["lessons"] == ["01_fixture_lesson", "02_fixture_second"]
    assert (s["feedback"], s["attempts"], s["instructor_notes"]) == ("none", 2, False)
    assert s["hide_exercises"] == ["fx-hidden"]
    assert s["extra"]["events"] == [str(root / "my_course" / "events.csv")]
    assert s["journal_dir"] == str(root / "journal")  # relative to the course file
    assert course.problems() == []


def test_missing_file_named_by_env_gives_defaults_and_a_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("KURIL_COURSE_FILE", str(tmp_path / "nope.yml"))
    s = course.settings()
    assert s["feedback"] == "immediate" and s["attempts"] == 0 and s["naming"] == "both"
    assert s["lessons"] == []  # no notebooks/ next to it
    assert "not found" in course.problems()[0].message


def test_default_lessons_are_the_notebooks_in_file_order(root):
    write(root, "feedback: immediate\n")
    assert course.settings()["lessons"] == ["01_fixture_lesson", "02_fixture_second", "99_draft"]


@pytest.mark.parametrize("text, field", [
    ("feedback: sometimes\n", "feedback"),
    ("attempts: -1\n", "attempts"),
    ("attempts: three\n", "attempts"),
    ("attempts: true\n", "attempts"),
    ("naming: english\n", "naming"),
    ("instructor_notes: maybe\n", "instructor_notes"),
    ("hide_exercises: {a: 1}\n", "hide_exercises"),
    ("lessons: 01_fixture_lesson\n", "lessons"),
    ("lessons: [a, a]\n", "lessons[1]"),
    ("lessons: ['../x']\n", "lessons[0]"),
    ("journal_dir: [a]\n", "journal_dir"),
    ("extra: [a.csv]\n", "extra"),
    ("extra: {maps: [a.csv]}\n", "extra.maps"),
    ("extra: {events: [missing.csv]}\n", "extra.events[0]"),
    ("extra: {events: [my_course/extra_questions.yml]}\n", "extra.events[0]"),
    ("extra: {exercises: [my_course/events.csv]}\n", "extra.exercises[0]"),
])
def test_a_wrong_value_is_named_and_replaced_by_its_default(root, text, field):
    write(root, "attempts: 3\n" + text if "attempts" not in text else text)
    problems = course.problems()
    assert field in fields(problems), problems
    s = course.settings()
    key = field.split(".")[0].split("[")[0]
    if key == "extra":
        assert s["extra"]["events"] == [] and s["extra"]["exercises"] == []
    elif key == "lessons":
        assert s["lessons"] == ["01_fixture_lesson", "02_fixture_second", "99_draft"]
    else:
        assert s[key] == course._defaults(root)[key]
    if "attempts" not in text:
        assert s["attempts"] == 3  # the good option in the same file still counts


def test_unknown_option_suggests_the_right_name(root):
    write(root, "feedbak: none\n")
    (problem,) = course.problems()
    assert problem.field == "feedbak" and "did you mean 'feedback'" in problem.message


@pytest.mark.parametrize("text, words", [
    ("feedback: [none\n", "not valid YAML"),
    ("- just\n- a list\n", "option: value"),
    ("", "is empty"),
    ("a: &x 1\nb: *x\n", "anchors"),
])
def test_malformed_file_gives_defaults_never_an_exception(root, text, words):
    write(root, text)
    s = course.settings()
    assert s["feedback"] == "immediate" and s["attempts"] == 0
    assert any(words in p.message for p in course.problems())


def test_python_tag_is_refused_and_nothing_runs(root, tmp_path):
    marker = tmp_path / "ran"
    write(root, f"feedback: !!python/object/apply:os.system ['touch {marker}']\n")
    assert course.settings()["feedback"] == "immediate"
    assert "!!python/object/apply:os.system" in course.problems()[0].message
    assert not marker.exists()


def test_binary_file_is_refused(root):
    (root / "course.yml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert course.settings()["feedback"] == "immediate"
    assert "binary" in course.problems()[0].message


def test_edits_apply_without_restarting(root):
    assert course.settings()["feedback"] == "none"
    write(root, "feedback: after_submit\nattempts: 10\n")
    assert course.settings()["feedback"] == "after_submit"


def test_settings_is_a_copy(root):
    course.settings()["hide_exercises"].append("x")
    assert course.settings()["hide_exercises"] == ["fx-hidden"]


def test_lesson_names_may_end_in_ipynb(root):
    write(root, "lessons: [01_fixture_lesson.ipynb]\n")
    assert course.settings()["lessons"] == ["01_fixture_lesson"]


def test_journal_dir_expands_home(root):
    write(root, "journal_dir: ~/somewhere\n")
    assert course.journal_dir() == Path("~/somewhere").expanduser()


def test_extra_data_files_reach_the_data_loaders(root):
    assert course.extra_data_files("events") == [root / "my_course" / "events.csv"]
    assert course.extra_data_files("documents") == []
    assert course.extra_data_files("islands") == []  # a kind course.yml does not offer
    ids = set(data.events().id)
    assert {"1855-shimoda-treaty", "1875-st-petersburg-treaty"} <= ids


def test_an_extra_data_file_with_a_mistake_is_reported_by_data(root):
    (root / "my_course" / "events.csv").write_text(
        "id,date,date_precision,end_date,era,title,summary,actors,islands,documents,sources,type,"
        "calendar_note,notes\n"
        "x,1875-05-07,day,,shimoda-to-yalta,T,S,japan,,,no-such-source,treaty,,\n",
        encoding="utf-8")
    data.reload()
    problems = data.validate()
    assert any(p.file.endswith("my_course/events.csv") and p.field == "sources" for p in problems)


def test_an_empty_lesson_list_is_refused_and_every_notebook_is_used(root):
    write(root, "lessons: []\n")
    (problem,) = course.problems()
    assert problem.field == "lessons" and "lists no lesson" in problem.message
    assert course.settings()["lessons"] == ["01_fixture_lesson", "02_fixture_second", "99_draft"]


@pytest.mark.parametrize("raw, words", [
    (b"feedback: none\n# note \x07\n", "control character (U+0007) on line 2"),
    (b"feedback: none\n" + b"# " + b"x" * 5000 + b"\nnaming: both\x00\n", "binary data on line 3"),
])
def test_control_characters_anywhere_in_the_course_file_are_refused(root, raw, words):
    (root / "course.yml").write_bytes(raw)
    assert course.settings()["feedback"] == "immediate"
    assert words in course.problems()[0].message


@pytest.mark.parametrize("name, scratch", [
    ("01_shimoda_to_yalta-Copy1.ipynb", True), ("00_start_here-Copy2", True),
    ("Untitled.ipynb", True), ("Untitled3.ipynb", True), ("03_tokyo_1993.ipynb", False),
    ("05_design_a_settlement.ipynb", False), ("week3_untitled.ipynb", False)])
def test_copies_jupyterlab_makes_are_never_lessons(name, scratch):
    from helpers import course

    assert course.is_scratch(name) is scratch


def test_a_course_without_a_lesson_list_leaves_out_scratch_copies(tmp_path):
    from helpers import course

    (tmp_path / "notebooks").mkdir()
    for name in ("01_a.ipynb", "01_a-Copy1.ipynb", "Untitled.ipynb", "my_week.ipynb"):
        (tmp_path / "notebooks" / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in course.lesson_files(tmp_path / "notebooks")] == ["01_a.ipynb",
                                                                            "my_week.ipynb"]
    assert course._defaults(tmp_path)["lessons"] == ["01_a", "my_week"]
