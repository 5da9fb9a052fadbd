"""helpers.quiz: every kind, feedback mode, hint, attempt and journal path, without a browser."""

import importlib
import json
import math
import random
import re
import types
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pytest
import yaml

from helpers import quiz
from helpers._common import style
from helpers._quiz import bank
from helpers._quiz import kinds as _marking
from helpers._quiz import widgets as quiz_widgets

FIXTURE = Path(__file__).parent / "fixtures" / "course"
SHIMODA = "Between Etorofu/Iturup and Urup"


class FakeJournal(types.ModuleType):
    """Stands in for helpers.journal: keeps records in memory."""

    def __init__(self):
        super().__init__("helpers.journal")
        self.records, self.latest, self.fail = [], {}, None

    def record(self, lesson_id, item_id, answer, *, kind, correct=None, prompt=None):
        if self.fail:
            raise OSError(self.fail)
        entry = dict(lesson=lesson_id, item=item_id, answer=answer, kind=kind, correct=correct,
                     prompt=prompt, time="2024-01-01T10:00:00+00:00")
        self.records.append(entry)
        self.latest[item_id] = entry
        return entry

    def get(self, item_id):
        return self.latest.get(item_id)


@pytest.fixture
def root(course_root):
    """The fixture course in feedback mode ``immediate`` with unlimited attempts."""
    configure(course_root, feedback="immediate", attempts=0)
    return course_root


@pytest.fixture
def journal(monkeypatch):
    fake = FakeJournal()
    monkeypatch.setattr(quiz_widgets, "journal", fake)
    return fake


def configure(root, **options):
    path = root / "course.yml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings.update(options)
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")


def add_bank(root, name, text):
    (root / "data" / "exercises" / name).write_text(text, encoding="utf-8")


def html_of(widget):
    """All HTML shown inside ``widget`` (the values of its HTML children, recursively)."""
    out = []
    if isinstance(widget, widgets.HTML):
        out.append(widget.value)
    for child in getattr(widget, "children", ()):
        out.append(html_of(child))
    return "\n".join(out)


def labels_of(widget):
    out = []
    if isinstance(widget, (widgets.RadioButtons, widgets.Dropdown)):
        out += list(widget._options_labels)  # the labels sent to the browser
    if isinstance(widget, (widgets.Checkbox, widgets.Label)):
        out.append(widget.description if isinstance(widget, widgets.Checkbox) else widget.value)
    for child in getattr(widget, "children", ()):
        out += labels_of(child)
    return out


# --- each kind -------------------------------------------------------------------------
class TestKinds:
    def test_single_is_radio_buttons_marked_with_choice_feedback(self, root, journal):
        q = quiz.show("fx-single")
        assert isinstance(q.input.widget, widgets.RadioButtons)
        assert q.check_button.description == "Check"
        q.answer("At the strait off Kamchatka").check()
        assert "Not quite" in q.feedback_text and "1875 boundary" in q.feedback_text
        assert SHIMODA not in q.feedback_text  # no answer given away while attempts remain
        q.answer(0)  # by position, too
        result = q.check()
        assert result.correct is True and "Correct" in q.feedback_text
        assert "Article 2" in q.feedback_text
        assert [r["correct"] for r in journal.records] == [False, True]
        last = journal.records[-1]
        assert (last["lesson"], last["item"], last["answer"], last["kind"]) == (
            "01_fixture_lesson", "fx-single", SHIMODA, "single")
        assert "Treaty of Shimoda" in last["prompt"]

    def test_multiple_is_checkboxes_and_needs_the_exact_set(self, root, journal):
        q = quiz.show("fx-multiple")
        boxes = q.input.controls
        assert all(isinstance(b, widgets.Checkbox) for b in boxes) and len(boxes) == 3
        box = {b.description: b for b in boxes}  # shown in an order fixed by the id, not the bank's
        box["Shikotan"].value = True  # Shikotan only
        assert q.check().correct is False
        assert "Some of your choices are right" in q.feedback_text
        box["Habomai"].value = True
        assert q.check().correct is True
        assert "counted as one" in q.feedback_text  # feedback of each picked choice
        assert journal.records[-1]["answer"] == ["Shikotan", "Habomai"]

    def test_numeric_uses_tolerance_and_shows_unit(self, root, journal):
        add_bank(root, "03_num.yml", """
lesson: 03_num
exercises:
  - id: num-area
    kind: numeric
    prompt: Area?
    answer: 3168
    tolerance: 10
    unit: km²
    sources: [stephan-1974]
""")
        q = quiz.show("num-area")
        number, unit = q.input.widget.children
        assert isinstance(number, widgets.Text) and unit.value == "km²"
        q.check()
        assert "Type a number first" in q.feedback_text and journal.records == []
        number.value = "3179"  # what the learner types
        assert q.check().correct is False
        number.value = "3177.5"
        assert q.check().correct is True
        assert [r["answer"] for r in journal.records] == [3179.0, 3177.5]

    def test_every_input_has_an_accessible_name(self, root, journal):
        """Screen readers need a name on each control: the left item, or "Your answer"."""
        matching = quiz.show("fx-matching")
        assert [m.description for m in matching.input.controls] == matching.exercise["lefts"]
        assert quiz.show("fx-numeric").input.controls[0].description == "Your answer:"

    def test_ordering_has_a_dropdown_per_position(self, root, journal):
        q = quiz.show("fx-ordering")
        menus = q.input.controls
        assert len(menus) == 3 and all(isinstance(m, widgets.Dropdown) for m in menus)
        offered = [v for _, v in menus[0].options if v is not None]
        assert sorted(offered) == sorted(q.exercise["items"]) and offered != q.exercise["items"]
        q.answer(["Treaty of Shimoda", "Treaty of Shimoda", None]).check()
        assert "different item for every position" in q.feedback_text and q.attempts == 0
        q.answer(["Treaty of Shimoda", "Treaty of Portsmouth", "Treaty of Saint Petersburg"])
        assert q.check().correct is False and "1 of 3 are in the right place" in q.feedback_text
        q.answer(["Treaty of Shimoda", "Treaty of Saint Petersburg", "Treaty of Portsmouth"])
        assert q.check().correct is True

    def test_matching_has_a_dropdown_per_left_item_and_buttons_click(self, root, journal):
        q = quiz.show("fx-matching")
        menus = q.input.menus
        assert list(menus) == ["Treaty of Shimoda", "Treaty of Saint Petersburg"]
        menus["Treaty of Shimoda"].value = "1875"
        menus["Treaty of Saint Petersburg"].value = "1855"
        q.check_button.click()
        assert q.last_mark.correct is False and "0 of 2 pairs are right" in q.feedback_text
        assert "Check the dates" in q.feedback_text
        q.answer({"Treaty of Shimoda": "1855", "Treaty of Saint Petersburg": "1875"})
        q.check_button.click()
        assert q.last_mark.correct is True
        assert journal.records[-1]["answer"] == {"Treaty of Shimoda": "1855",
                                                 "Treaty of Saint Petersburg": "1875"}

    def test_short_answer_is_recorded_with_model_answer_and_keyword_hint(self, root, journal):
        q = quiz.show("fx-short")
        assert isinstance(q.input.widget, widgets.Textarea) and q.input.widget.rows == 3
        assert q.check_button.description == "Submit"
        q.input.widget.value = "Japan received the northern Kurils."
        assert q.check().correct is None
        assert "Did you consider: Sakhalin?" in q.feedback_text
        assert "Model answer" in q.feedback_text and "names the northern Kurils" in q.feedback_text
        assert journal.records[-1]["correct"] is None and journal.records[-1]["kind"] == "short"
        q.answer("Japan gave up Sakhalin.").check()
        assert "Did you consider" not in q.feedback_text

    def test_long_answer_has_a_bigger_box(self, root, journal):
        q = quiz.show("fx-long")
        assert q.input.area.rows == 8 and q.input.area in q.input.widget.children
        assert q.input.cite.area is q.input.area  # the citation picker writes into the box

    def test_opinion_with_choices_is_never_marked(self, root, journal):
        q = quiz.show("fx-opinion")
        assert isinstance(q.input.widget, widgets.RadioButtons)
        assert q.check_button.description == "Save"
        q.answer("The treaty text").check()
        assert "no right or wrong" in q.feedback_text
        assert "Not quite" not in q.feedback_text and journal.records[-1]["correct"] is None
        assert not q.locked

    def test_opinion_without_choices_is_a_text_box(self, root, journal):
        q = quiz.show("fx-opinion-free")
        assert isinstance(q.input.widget, widgets.Textarea)
        q.check()
        assert "Write your answer first" in q.feedback_text
        q.answer("The 1875 exchange.").check()
        assert journal.records[-1]["answer"] == "The 1875 exchange."

    def test_parts_carry_class_names_for_browser_tests(self, root, journal):
        q = quiz.show("fx-single")
        assert "kuril-exercise" in q._dom_classes
        assert "kuril-check" in q.check_button._dom_classes
        assert "kuril-hint" in q.hint_button._dom_classes
        assert "kuril-feedback" in q.feedback_area._dom_classes

    def test_bad_values_for_answer_say_what_fits(self, root, journal):
        q = quiz.show("fx-single")
        with pytest.raises(ValueError, match="not one of the choices"):
            q.answer("Somewhere else")
        with pytest.raises(ValueError, match="list of 3"):
            quiz.show("fx-ordering").answer(["Treaty of Shimoda"])


# --- hints, attempts, modes -----------------------------------------------------------------
class TestHints:
    def test_hints_appear_one_at_a_time(self, root, journal):
        q = quiz.show("fx-single")
        assert q.hint_button.description == "Hint (1 of 2)"
        assert q.hint() == "Find Article 2 of the treaty."
        assert "Hint 1" in q.hints_area.value and "Hint 2" not in q.hints_area.value
        q.hint_button.click()
        assert "Hint 2" in q.hints_area.value and q.hint_button.description == "No more hints"
        # at the last hint the button keeps the focus: enabled, dimmed, and it says why
        assert not q.hint_button.disabled and style.AT_END in q.hint_button._dom_classes
        assert "All the hints are shown" in q.hint_button.tooltip
        assert q.hint() is None
        q.hint_button.click()  # does nothing more
        assert q.hints_area.value.count("Hint 2") == 1

    def test_no_hint_button_without_hints(self, root, journal):
        assert quiz.show("fx-ordering").hint_button is None


class TestAttempts:
    def test_attempt_limit_locks_and_reveals_the_answer(self, root, journal):
        configure(root, attempts=2)
        q = quiz.show("fx-single")
        q.answer("At the strait off Kamchatka").check()
        assert "1 of 2 attempts left" in q.feedback_text and not q.locked
        q.check()
        assert q.locked and f"**Answer:** {SHIMODA}" in q.feedback_text
        assert q.input.radio.disabled
        # Check keeps the keyboard focus: enabled, dimmed, saying why; a press changes nothing
        assert not q.check_button.disabled and style.AT_END in q.check_button._dom_classes
        assert "This answer is final" in q.check_button.tooltip
        q.answer(SHIMODA)
        assert q.check() is None and len(journal.records) == 2
        q.check_button.click()
        assert len(journal.records) == 2 and "This answer is final" in q.feedback_text

    def test_a_right_answer_locks(self, root, journal):
        q = quiz.show("fx-single").answer(SHIMODA)
        q.check()
        assert q.locked and q.check() is None and "final" in q.feedback_text

    def test_unlimited_attempts_never_lock_a_wrong_answer(self, root, journal):
        q = quiz.show("fx-numeric")
        for n in range(5):
            q.answer(1800 + n).check()
        assert not q.locked and q.attempts == 5 and "**Answer:**" not in q.feedback_text


class TestFeedbackModes:
    def test_none_saves_but_shows_no_correctness_or_answers(self, root, journal):
        configure(root, feedback="none")
        q = quiz.show("fx-single")
        assert q.check_button.description == "Save answer"
        assert q.answer("At the strait off Kamchatka").check() is None
        text = q.feedback_text + html_of(q)
        assert "Answer saved" in text
        for secret in ("Not quite", "Correct", "1875 boundary", "**Answer:**"):
            assert secret not in text
        assert journal.records[-1]["correct"] is None
        assert journal.records[-1]["answer"] == "At the strait off Kamchatka"
        s = quiz.show("fx-short").answer("Sakhalin for the Kurils")
        s.check()
        assert "Model answer" not in s.feedback_text and "Did you consider" not in s.feedback_text

    def test_none_with_attempt_limit_locks_after_the_last_save(self, root, journal):
        configure(root, feedback="none", attempts=1)
        q = quiz.show("fx-numeric").answer(1855)
        q.check()
        assert q.locked and len(journal.records) == 1

    def test_after_submit_saves_then_gives_feedback_on_submit(self, root, journal):
        configure(root, feedback="after_submit")
        q = quiz.show("fx-single")
        assert q.check_button.description == "Save answer" and q.submit_button is not None
        q.answer("At the strait off Kamchatka").check()
        assert "Feedback appears after you press **Submit**" in q.feedback_text
        assert "Not quite" not in q.feedback_text and journal.records[-1]["correct"] is None
        q.submit_button.click()
        assert q.locked and "Not quite" in q.feedback_text and SHIMODA in q.feedback_text
        assert journal.records[-1]["correct"] is False

    def test_after_submit_lesson_submits_everything_at_once(self, root, journal):
        configure(root, feedback="after_submit")
        lesson = quiz.show_lesson("01_fixture_lesson")
        assert all(w.submit_button is None for w in lesson.exercises)
        lesson.get("fx-single").answer(SHIMODA)
        lesson.get("fx-numeric").answer(1855).check()
        results = lesson.submit()
        assert results["fx-single"].correct is True and results["fx-numeric"].correct is True
        assert results["fx-multiple"] is None  # not answered
        assert "You did not answer" in lesson.get("fx-multiple").feedback_text
        assert all(w.locked for w in lesson.exercises)
        assert style.AT_END in lesson.submit_button._dom_classes
        assert not lesson.submit_button.disabled and "submitted" in lesson.submit_button.tooltip
        saved = len(journal.records)
        lesson.submit_button.click()  # a second press saves nothing more
        assert len(journal.records) == saved

    def test_submit_outside_after_submit_mode_does_nothing(self, root, journal):
        q = quiz.show("fx-single").answer(SHIMODA)
        assert q.submit() is None and journal.records == []


# --- journal ------------------------------------------------------------------------------
class TestJournal:
    def test_last_answer_is_restored(self, root, journal):
        journal.latest["fx-multiple"] = {"answer": ["Habomai"], "time": "2024-05-01T09:00"}
        journal.latest["fx-matching"] = {"answer": {"Treaty of Shimoda": "1855"}}
        journal.latest["fx-short"] = {"answer": "my old text"}
        assert quiz.show("fx-multiple").value == ["Habomai"]
        shown = quiz.show("fx-multiple").feedback_text
        assert "1 May 2024 at" in shown and "2024-05-01T09:00" not in shown  # words, local
        assert quiz.show("fx-matching").value == {"Treaty of Shimoda": "1855",
                                                  "Treaty of Saint Petersburg": None}
        assert quiz.show("fx-short").value == "my old text"

    def test_an_answer_that_no_longer_fits_is_shown_not_lost(self, root, journal):
        journal.latest["fx-single"] = {"answer": "<b>An old choice</b>"}
        q = quiz.show("fx-single")
        assert q.value is None and "no longer fits" in q.feedback_text
        assert "&lt;b&gt;An old choice" in q.feedback_area.value
        assert "<b>An old choice" not in q.feedback_area.value

    def test_a_failing_journal_is_reported_and_feedback_still_shown(self, root, journal):
        journal.fail = "disk full"
        q = quiz.show("fx-single").answer(SHIMODA)
        assert q.check().correct is True
        assert "could not be saved" in q.feedback_text and "disk full" in q.feedback_text

    def test_quiz_works_when_the_journal_cannot_be_read_or_written(self, root, journal):
        def unreadable(item_id):
            raise ValueError("journal file damaged")

        journal.get, journal.fail = unreadable, "read-only folder"
        q = quiz.show("fx-single").answer(SHIMODA)
        assert q.check().correct is True and "could not be saved" in q.feedback_text

    def test_real_journal_saves_and_restores(self, root, tmp_path, monkeypatch):
        journal = pytest.importorskip("helpers.journal")
        monkeypatch.setenv("KURIL_JOURNAL_DIR", str(tmp_path / "journals"))
        quiz.show("fx-ordering").answer(
            ["Treaty of Shimoda", "Treaty of Saint Petersburg", "Treaty of Portsmouth"]).check()
        entry = journal.get("fx-ordering")
        assert entry["correct"] is True and entry["lesson"] == "01_fixture_lesson"
        assert quiz.show("fx-ordering").value[0] == "Treaty of Shimoda"


# --- what learners type -------------------------------------------------------------------
DECIMAL_BANK = """
lesson: 03_num
exercises:
  - id: num-decimal
    kind: numeric
    prompt: How many?
    answer: 12.6
    tolerance: 0.001
    sources: [stephan-1974]
"""
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff \u00a0\n\u3164"


class TestLearnerInput:
    @pytest.fixture
    def q(self, root, journal):
        add_bank(root, "03_num.yml", DECIMAL_BANK)
        return quiz.show("num-decimal")

    def typed(self, q, text):
        q.input.box.value = text  # what the learner types in the box
        return q.check()

    def test_a_decimal_comma_is_read_as_a_decimal_and_said_so(self, q, journal):
        result = self.typed(q, "12,6")
        assert result.correct is True and "Read '12,6' as 12.6 (a decimal comma)" in q.feedback_text
        assert journal.records[-1]["answer"] == 12.6 and q.attempts == 1

    @pytest.mark.parametrize("text, words", [
        ("1,234", "could be 1234 (a comma between thousands) or 1.234 (a decimal comma)"),
        ("1,234,567", "separators between its digits"),
        ("1.234,5", "separators between its digits"),
        ("3 168", "separators between its digits"),
        ("nan", "is not a number"), ("inf", "is not a number"), ("-Infinity", "is not a number"),
        ("1e309", "too large"), ("9" * 320, "too long for a number"),
        ("12\u200b6", "invisible character"),
        ("twelve", "is not a number"),
    ])
    def test_what_cannot_be_read_is_refused_and_uses_no_attempt(self, q, journal, text, words):
        assert self.typed(q, text) is None
        assert words in q.feedback_text and journal.records == [] and q.attempts == 0
        assert "Not quite" not in q.feedback_text

    @pytest.mark.parametrize("value, words", [
        (float("nan"), "is not a number"), (float("inf"), "finite number"),
        (10 ** 400, "too large"), ("1e309", "too large"), ("1,234", "could be 1234"),
        (True, "as a number"), ([1], "is not a number")])
    def test_the_python_path_refuses_with_a_message(self, q, journal, value, words):
        with pytest.raises(ValueError, match=re.escape(words)):
            q.answer(value)
        assert q.value is None and journal.records == []

    def test_the_python_path_takes_numbers_and_typed_text(self, q, journal):
        assert q.answer(12.6).input.box.value == "12.6" and q.check().correct is True
        assert quiz.show("fx-numeric").answer(1855).input.box.value == "1855"
        assert quiz.show("fx-numeric").answer("１８５５").value == 1855.0

    def test_the_feedback_modes_without_marks_still_say_how_it_was_read(self, root, journal):
        configure(root, feedback="none")
        add_bank(root, "03_num.yml", DECIMAL_BANK)
        q = quiz.show("num-decimal")
        self.typed(q, "0,5")
        assert "Answer saved" in q.feedback_text and "as 0.5" in q.feedback_text

    def test_typed_numbers_are_never_reinterpreted(self, q, journal):
        """Random typing: either refused (no record, no attempt) or saved as the finite number
        the text says, with a comma only ever a decimal point."""
        rng = random.Random(11)
        alphabet = "0123456789,.,. -e" + "\u200b"
        words = ["nan", "inf", "1e309", "1e-5", "+", "12,6", "1,234", "0,123"]
        for n in range(400):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
            if n % 4 == 0:
                text = rng.choice(words) + text[:2]
            before, attempts = len(journal.records), q.attempts
            q.locked = False
            q.input.box.value = text
            q.check()
            if len(journal.records) == before:
                assert q.attempts == attempts, text
                continue
            saved = journal.records[-1]["answer"]
            assert isinstance(saved, float) and math.isfinite(saved), text
            json.dumps(saved, allow_nan=False)
            plain = text.strip(" \u200b")
            assert plain.count(",") <= 1 and not ("," in plain and "." in plain), text
            assert saved == float(plain.replace(",", ".")), text

    @pytest.mark.parametrize("exercise", ["fx-short", "fx-opinion-free"])
    def test_invisible_text_is_no_answer_and_uses_no_attempt(self, root, journal, exercise):
        q = quiz.show(exercise)
        q.answer(ZERO_WIDTH).check()
        assert "Write your answer first" in q.feedback_text
        assert q.attempts == 0 and journal.records == []
        q.answer("A real\u200b answer").check()
        assert q.attempts == 1 and journal.records[-1]["answer"] == "A real\u200b answer"

    def test_a_saved_answer_that_is_not_a_number_is_shown_not_lost(self, q, journal):
        journal.latest["fx-numeric"] = {"answer": "NaN", "time": "2024-05-01T09:00"}
        shown = quiz.show("fx-numeric")
        assert shown.value is None and "no longer fits" in shown.feedback_text
        assert "NaN" in shown.feedback_text


# --- course options, hidden and broken exercises, safety --------------------------------------
class TestCourseOptions:
    def test_hidden_exercise_does_not_show(self, root, journal):
        hidden = quiz.show("fx-hidden")
        assert hidden.children == () and hidden.hidden
        ids = [w.id for w in quiz.show_lesson("01_fixture_lesson").exercises]
        assert "fx-hidden" not in ids and "fx-single" in ids

    def test_instructors_see_that_an_exercise_is_hidden(self, root, journal):
        configure(root, instructor_notes=True)
        assert "hidden by `hide_exercises`" in quiz.show("fx-hidden").feedback_text

    def test_instructor_note_only_when_turned_on(self, root, journal):
        assert "who lived on the islands" not in html_of(quiz.show("fx-single"))
        configure(root, instructor_notes=True)
        assert "who lived on the islands" in html_of(quiz.show("fx-single"))

    def test_lesson_includes_the_instructors_extra_file(self, root, journal):
        lesson = quiz.show_lesson("01_fixture_lesson")
        assert lesson.exercises[-1].id == "fx-instructor-own"
        assert "Fixture lesson" in html_of(lesson)

    def test_broken_course_file_shows_a_warning_and_uses_defaults(self, root, journal):
        (root / "course.yml").write_text("feedback: sometimes\n", encoding="utf-8")
        q = quiz.show("fx-single")
        assert q.mode == "immediate"
        assert "course file has problems" in html_of(q) and "sometimes" in html_of(q)


class TestBrokenBanks:
    def test_broken_exercise_names_file_exercise_and_field(self, root, journal):
        add_bank(root, "03_bad.yml", """
lesson: 03_bad
exercises:
  - id: bad-single
    kind: single
    prompt: Two right answers?
    choices:
      - {text: A, correct: true}
      - {text: B, correct: true}
    sources: [stephan-1974]
""")
        w = quiz.show("bad-single")
        assert isinstance(w, quiz.MessageWidget)
        assert "data/exercises/03_bad.yml" in w.feedback_text
        assert "exercise bad-single" in w.feedback_text and "'choices'" in w.feedback_text
        assert "exactly one" in w.feedback_text

    def test_a_malformed_bank_does_not_stop_the_others(self, root, journal):
        add_bank(root, "03_bad.yml", "lesson: 03_bad\nexercises: [\n")
        assert isinstance(quiz.show("fx-single"), quiz.ExerciseWidget)
        message = quiz.show_lesson("03_bad")
        assert "03_bad.yml" in message.feedback_text and "not valid YAML" in message.feedback_text

    def test_bank_problems_are_shown_above_the_lesson(self, root, journal):
        add_bank(root, "03_part.yml", """
lesson: 03_part
exercises:
  - id: good-one
    kind: opinion
    prompt: Fine?
    sources: [stephan-1974]
  - kind: single
    prompt: no id here
""")
        lesson = quiz.show_lesson("03_part")
        assert [w.id for w in lesson.exercises] == ["good-one"]
        assert "exercise #2" in html_of(lesson)

    def test_unknown_id_suggests_a_close_one(self, root, journal):
        w = quiz.show("fx-singel")
        assert "no exercise with id `fx-singel`" in w.feedback_text
        assert "Did you mean: `fx-single`" in w.feedback_text
        assert "no exercises for lesson" in quiz.show_lesson("nope").feedback_text

    def test_an_unexpected_error_becomes_a_message(self, root, journal, monkeypatch):
        def boom():
            raise RuntimeError("bank on fire")

        monkeypatch.setattr(bank, "registry", boom)
        assert "bank on fire" in quiz.show("fx-single").feedback_text
        assert "bank on fire" in quiz.show_lesson("01_fixture_lesson").feedback_text


class TestSafety:
    def test_html_in_exercise_text_is_shown_as_text(self, root, journal):
        add_bank(root, "03_xss.yml", """
lesson: 03_xss
exercises:
  - id: xss
    kind: single
    prompt: "Pick <script>alert(1)</script> <img src=x onerror=alert(2)>"
    choices:
      - text: "<b>bold</b> choice"
        correct: true
        feedback: "<script>alert(3)</script>"
      - text: other
    hints: ["<iframe src=x></iframe>"]
    sources: [stephan-1974]
""")
        q = quiz.show("xss").answer("<b>bold</b> choice")
        q.check()
        q.hint()
        shown = html_of(q)
        for tag in ("<script", "<img", "<iframe", "<b>bold"):
            assert tag not in shown
        assert "&lt;script&gt;alert(1)" in shown and "&lt;iframe" in shown
        assert "<b>bold</b> choice" in labels_of(q)  # labels are plain text widgets

    def test_learner_text_in_the_journal_is_escaped_when_restored(self, root, journal):
        journal.latest["fx-opinion"] = {"answer": "<script>alert(1)</script>"}
        q = quiz.show("fx-opinion")
        assert "<script>" not in html_of(q) and "&lt;script&gt;" in html_of(q)

    def test_markdown_in_choices_becomes_clean_labels(self, root, journal):
        add_bank(root, "03_md.yml", """
lesson: 03_md
exercises:
  - id: md
    kind: single
    prompt: "*Which*?"
    choices:
      - {text: "The *Shimoda* treaty", correct: true}
      - {text: "`code` & more"}
    sources: [stephan-1974]
""")
        q = quiz.show("md")
        assert sorted(labels_of(q)) == ["The Shimoda treaty", "code & more"]
        assert q.answer("The *Shimoda* treaty").value == "The *Shimoda* treaty"


class TestMarking:
    """The pure marking used by the widgets (and by the answer key)."""

    def ex(self, **fields):
        base = dict(kind="numeric", answer=10.0, tolerance=0.5, unit="", points=2.0,
                    feedback_correct=None, feedback_wrong=None, answers_removed=False)
        base.update(fields)
        return base

    def test_numeric_score_and_bounds(self):
        assert _marking.mark(self.ex(), 10.5).score == 2.0
        assert _marking.mark(self.ex(), 10.51).correct is False
        assert _marking.mark(self.ex(), "ten").correct is False

    def test_unmarked_when_answers_were_removed(self):
        assert _marking.mark(self.ex(answers_removed=True, answer=None), 3).correct is None
        assert _marking.solution_lines(self.ex(answers_removed=True)) == []

    def test_solution_lines_show_unit_and_tolerance(self):
        assert _marking.solution_lines(self.ex(unit="km²")) == ["**Answer:** 10 km² (± 0.5)"]


# --- one table of kinds: a new kind is one entry ---------------------------------------------
TRUE_FALSE_BANK = """\
lesson: 03_true_false
exercises:
  - id: tf-shimoda
    kind: true_false
    prompt: The 1855 Treaty of Shimoda left Sakhalin undivided.
    answer: true
    feedback_wrong: Read Article 2 again.
    sources: [mofa-compendium-1992]
  - id: tf-broken
    kind: true_false
    prompt: Not a yes-or-no answer.
    answer: perhaps
    sources: [mofa-compendium-1992]
"""


def _check_true_false(raw, ex, chk, removed):
    value = raw.get("answer")
    if not isinstance(value, bool) and not (removed and value is None):
        chk.bad("answer", f"'{value}' is not allowed: use true or false")
    ex["answer"] = value
    ex["choices"] = [{"text": t, "correct": False, "feedback": None} for t in ("True", "False")]


@pytest.fixture
def true_false(monkeypatch):
    """The one entry that adds a kind: fields, check, widget, completeness, marking, solution."""
    from helpers._quiz import inputs, kinds

    entry = kinds.Kind(
        "true_false", "true or false", ("answer", *kinds.VERDICTS), _check_true_false,
        widget=inputs.Choice, complete=lambda ex, a: a in ("True", "False"),
        ask="Choose True or False first.",
        mark=lambda ex, a: ((a == "True") == ex["answer"], []), marked=True,
        solution=lambda ex: [f"**Answer:** {ex['answer']}"])
    monkeypatch.setitem(kinds.KINDS, "true_false", entry)
    return entry


class TestANewKindIsOneEntry:
    def test_loads_shows_marks_and_saves(self, root, journal, true_false):
        add_bank(root, "03_true_false.yml", TRUE_FALSE_BANK)
        reg = bank.registry()
        assert reg.exercises["tf-shimoda"]["problems"] == []
        assert any("'perhaps' is not allowed" in str(p) for p in reg.problems)
        q = quiz.show("tf-shimoda")
        assert isinstance(q.input.widget, widgets.RadioButtons)
        assert q.check() is None and "Choose True or False first." in q.feedback_text
        assert q.answer("False").check().correct is False and "Article 2" in q.feedback_text
        assert q.answer("True").check().correct is True and "Correct" in q.feedback_text
        assert [r["correct"] for r in journal.records] == [False, True]
        assert [r["kind"] for r in journal.records] == ["true_false"] * 2
        assert [w.id for w in quiz.show_lesson("03_true_false").exercises] == ["tf-shimoda"]

    def test_answer_key_and_student_release_follow_the_entry(self, root, true_false):
        from helpers.instructor import answer_key, build

        add_bank(root, "03_true_false.yml", TRUE_FALSE_BANK.split("  - id: tf-broken")[0])
        reg = bank.registry()
        ex = reg.exercises["tf-shimoda"]
        key = answer_key.lesson_key("03_true_false", None, [ex], {
            "hide_exercises": [], "feedback": "immediate", "attempts": 0}, {})
        assert "true or false, 1 point" in key and "**Answer:** True" in key
        raw = next(data for name, _, data in reg.banks if name.endswith("03_true_false.yml"))
        stripped, changed = build.strip_bank(raw, remove_answers=True)
        assert changed and "answer" not in stripped["exercises"][0]
        released = root / "data" / "exercises" / "03_true_false.yml"
        released.write_text(yaml.safe_dump(stripped), encoding="utf-8")
        q = quiz.show("tf-shimoda")
        assert q.feedback_text == "", q.feedback_text
        result = q.answer("True").check()  # without answers: saved, never marked
        assert result.correct is None and not q.marked and "Correct" not in q.feedback_text


def test_every_kind_in_the_table_is_documented():
    from helpers._quiz import kinds

    readme = (FIXTURE.parent.parent.parent / "data" / "exercises" / "README.md").read_text(
        encoding="utf-8")
    for name in kinds.KINDS:
        assert f"| `{name}` |" in readme, name


OPEN_BANK = """\
lesson: 03_open
exercises:
  - id: fx-open
    kind: open
    long: true
    prompt: Why might **both** governments hold to their readings?
  - id: fx-open-single
    kind: single
    prompt: A marked question beside it.
    choices: [{text: a, correct: true}, b]
    sources: [mofa-compendium-1992]
"""


class TestOpenQuestions:
    def test_journal_respond_asks_the_banks_open_question(self, root, tmp_path, monkeypatch):
        from helpers import journal
        from helpers._journal import book

        monkeypatch.setenv("KURIL_JOURNAL_DIR", str(tmp_path / "journals"))
        importlib.reload(book)
        add_bank(root, "03_open.yml", OPEN_BANK)
        box = journal.respond("fx-open")
        assert isinstance(box, journal.ResponseBox) and "<strong>both</strong>" in box.prompt.value
        assert box.text.rows == 12  # long: true
        box.text.value = "Because each relies on a different document."
        saved = journal.get("fx-open")
        assert saved["lesson"] == "03_open" and saved["answer"].startswith("Because")
        assert "both" in saved["prompt"]
        assert journal.respond("fx-open").text.value.startswith("Because")  # restored
        assert [w.id for w in quiz.show_lesson("03_open").exercises] == ["fx-open-single"]

    def test_an_unknown_open_question_is_a_message_not_a_traceback(self, root):
        from helpers import journal

        shown = journal.respond("fx-no-such-question")
        assert "no exercise with id" in shown.feedback_text

    def test_instructor_check_names_an_unknown_open_question(self, root):
        from helpers.instructor import check

        add_bank(root, "03_open.yml", OPEN_BANK)
        nb = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell('journal.respond("fx-open")'),
            nbformat.v4.new_code_cell('journal.respond("fx-open-single")'),
            nbformat.v4.new_code_cell('journal.respond("my-own", "A prompt of my own")')])
        problems = check._quiz_ids(nb, "notebooks/x.ipynb", bank.registry())
        assert [p.where for p in problems] == ["cell 2"]
        assert "'fx-open-single' is not an open question" in problems[0].message


def _marked_choice_exercises():
    reg = bank.registry()
    return [ex for ex in reg.exercises.values() if ex["kind"] in ("single", "multiple")]


def test_a_choice_never_gives_its_answer_away_by_its_place():
    """Banks tend to list the right choice first. Whatever order a bank uses, no marked question
    shows its choices in that order, and across the course the right answer is not mostly
    shown first (an 'always pick the first' learner scores no better than chance)."""
    from helpers._quiz import inputs

    exercises = _marked_choice_exercises()
    assert len(exercises) > 20
    first = 0
    for ex in exercises:
        shown = inputs.shown_choices(ex)
        assert sorted(c["text"] for c in shown) == sorted(c["text"] for c in ex["choices"])
        assert [c["text"] for c in shown] != [c["text"] for c in ex["choices"]], ex["id"]
        assert shown == inputs.shown_choices(ex)  # the same order every time it is shown
        first += shown[0]["correct"]
    assert first / len(exercises) < 0.5, f"{first} of {len(exercises)} show a right answer first"


def test_widgets_show_the_shuffled_order_and_read_back_in_the_banks_order():
    from helpers._quiz import inputs

    for ex in _marked_choice_exercises():
        w = inputs.Choice(ex) if ex["kind"] == "single" else inputs.Multiple(ex)
        shown = [c["text"] for c in inputs.shown_choices(ex)]
        if ex["kind"] == "single":
            assert [v for _, v in w.radio.options] == shown
            w.set(0)  # an index counts in the bank's order, as before
            assert w.get() == ex["choices"][0]["text"]
        else:
            assert [b.description for b in w.boxes] == [inputs.label(t) for t in shown]
            right = [c["text"] for c in ex["choices"] if c["correct"]]
            w.set(list(reversed(right)))
            assert w.get() == right  # the bank's order, whatever was ticked first
