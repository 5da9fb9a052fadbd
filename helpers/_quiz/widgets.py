"""The quiz's widgets: one exercise, a lesson's exercises, and a message in place of either.

Built by :func:`helpers.quiz.show` and :func:`helpers.quiz.show_lesson`. What differs between
kinds of exercise (the answer widget, marking, messages) comes from ``kinds.KINDS``; answers are
saved in the learner's journal (``helpers._journal.book``), and a re-run cell restores them.
"""

import difflib
import re

from .. import course, names
from .._common import widgets
from .._common.explorers import FollowsNaming
from .._common.style import box as _tone_box
from .._common.style import mark_end
from .._common.style import stylesheet
from .._journal import book as journal
from .._journal.export import when_saved
from ..text import markdown_html, plain_html
from . import bank
from .inputs import label
from .kinds import incomplete_message, is_complete, kind, mark, solution_lines

__all__ = ["show", "show_lesson", "show_extra", "ExerciseWidget", "LessonWidget",
           "MessageWidget"]

_NOT_QUITE = re.compile(r"^\s*Not quite\s*[.!:,;]?\s*", re.I)


def _box(tone, inner_html):
    return _tone_box(tone, inner_html)  # light and dark themes alike (helpers._common.style)


def _md_lines(lines):
    return "".join(markdown_html(line) for line in lines)


def show(exercise_id):
    """A widget for one exercise: prompt, answer boxes, Check and Hint buttons, feedback (an
    open question: the journal's answer box)."""
    try:
        return _show_one(str(exercise_id), standalone=True)
    except Exception as exc:  # a lesson must never show a traceback for content problems
        return MessageWidget("warn", [f"This exercise could not be shown ({type(exc).__name__}: "
                                      f"{exc}). Ask your instructor to run "
                                      "`python -m helpers.instructor check`."])


def show_lesson(lesson_id):
    """A widget with every exercise of a lesson's bank, in the order of the file."""
    try:
        return _show_lesson(str(lesson_id))
    except Exception as exc:  # see show()
        return MessageWidget("warn", [f"The exercises of lesson '{lesson_id}' could not be shown "
                                      f"({type(exc).__name__}: {exc})."])


def show_extra(lesson_id):
    """A widget with the questions the course's own files (``extra: exercises:`` in
    ``course.yml``) add to a lesson, or None when there are none (the cell then shows nothing,
    not an empty box). Every lesson calls it in the same place, just before its key points."""
    try:
        return _show_extra(str(lesson_id))
    except Exception as exc:  # see show()
        return MessageWidget("warn", [f"Your instructor's questions for lesson '{lesson_id}' "
                                      f"could not be shown ({type(exc).__name__}: {exc})."])


def _show_extra(lesson_id):
    settings, reg = course.settings(), bank.registry()
    extra = {bank.label(path) for path, is_extra in bank.bank_files() if is_extra}
    problems = [p for p in reg.problems if p.file in extra]
    ids = [i for i in reg.lessons.get(lesson_id, []) if reg.exercises[i]["file"] in extra]
    items = []
    for exercise_id in ids:
        item = _show_one(exercise_id, standalone=False, settings=settings, reg=reg)
        if not (getattr(item, "hidden", False) and not item.children):
            items.append(item)
    header = []
    if problems:
        header.append(MessageWidget("warn", ["Some of your instructor's questions could not be "
                                             "read:"], problems=problems))
    if not items and not header:
        return None
    if items:
        header.insert(0, widgets.HTML(markdown_html("**Questions from your instructor**")))
    return LessonWidget(lesson_id, settings, header, items)


def _course_notice():
    problems = course.problems()
    if not problems:
        return []
    lines = ["**The course file has problems**, so defaults are used for those options "
             "(an instructor can run `python -m helpers.instructor check`):"]
    return [widgets.HTML(_box("warn", _md_lines(lines) + "<ul>" + "".join(
        f"<li>{plain_html(p)}</li>" for p in problems) + "</ul>"))]


def _show_one(exercise_id, standalone, settings=None, reg=None):
    settings = settings or course.settings()
    reg = reg or bank.registry()
    ex = reg.exercises.get(exercise_id)
    if ex is None:
        near = difflib.get_close_matches(exercise_id, list(reg.exercises), n=3)
        lines = [f"There is no exercise with id `{exercise_id}`."]
        if near:
            lines.append("Did you mean: " + ", ".join(f"`{n}`" for n in near) + "?")
        broken = sorted({p.file for p in reg.problems if not p.where})
        if broken:
            lines.append("These exercise files could not be read: " + ", ".join(broken))
        return MessageWidget("warn", lines, problems=[p for p in reg.problems if not p.where])
    if ex["problems"]:
        return MessageWidget(
            "warn", [f"Exercise `{exercise_id}` has mistakes and cannot be shown. "
                     "Fix the file, then re-run this cell:"], problems=ex["problems"])
    if exercise_id in settings["hide_exercises"]:
        lines = ([f"(Exercise `{exercise_id}` is hidden by `hide_exercises` in the course file.)"]
                 if settings["instructor_notes"] else [])
        return MessageWidget("note", lines, hidden=True)
    if kind(ex).show is not None:
        return kind(ex).show(ex, settings)
    notices = _course_notice() if standalone else []
    return ExerciseWidget(ex, settings, standalone=standalone, notices=notices)


def _show_lesson(lesson_id):
    settings, reg = course.settings(), bank.registry()
    ids = reg.lessons.get(lesson_id)
    files = {name for name, path, data in reg.banks if path.stem == lesson_id
             or (isinstance(data, dict) and data.get("lesson") == lesson_id)}
    shown = {p for i in ids or [] for p in reg.exercises[i]["problems"]}
    bank_problems = [p for p in reg.problems if p.file in files and p not in shown]
    if ids is None:
        near = difflib.get_close_matches(lesson_id, list(reg.lessons), n=3)
        lines = [f"There are no exercises for lesson `{lesson_id}`."]
        if near:
            lines.append("Did you mean: " + ", ".join(f"`{n}`" for n in near) + "?")
        return MessageWidget("warn", lines, problems=bank_problems)
    children = _course_notice()
    title = reg.titles.get(lesson_id)
    if title:
        children.append(widgets.HTML(f"<h3>{plain_html(title)}</h3>"))
    if bank_problems:
        children.append(MessageWidget("warn", ["Some exercises of this lesson could not be read:"],
                                      problems=bank_problems))
    items = []
    for exercise_id in ids:
        ex = reg.exercises[exercise_id]
        if not ex["problems"] and not kind(ex).in_lesson:
            continue  # an open question is asked where the lesson puts it
        item = _show_one(exercise_id, standalone=False, settings=settings, reg=reg)
        if getattr(item, "hidden", False) and not item.children:
            continue
        items.append(item)
    return LessonWidget(lesson_id, settings, children, items)


class MessageWidget(widgets.VBox):
    """A message in place of an exercise (unknown id, broken bank, hidden exercise)."""

    def __init__(self, tone, lines, problems=(), hidden=False):
        self.problems, self.hidden = list(problems), hidden
        self.feedback_text = "\n".join([*lines, *(str(p) for p in self.problems)])
        body = _md_lines(lines)
        if self.problems:
            body += "<ul>" + "".join(f"<li>{plain_html(p)}</li>" for p in self.problems) + "</ul>"
        super().__init__([widgets.HTML(_box(tone, body))] if lines or self.problems else [])


class ExerciseWidget(FollowsNaming, widgets.VBox):
    """One exercise. Python paths: ``answer(value)``, ``value``, ``check()``, ``hint()``,
    ``submit()``, ``feedback_text``, ``attempts``, ``locked``; and the widgets ``check_button``,
    ``hint_button``, ``submit_button`` (``.click()``) and ``input`` (the answer widgets)."""

    def __init__(self, ex, settings, standalone=True, notices=()):
        self.exercise, self.id, self.kind = ex, ex["id"], ex["kind"]
        self.mode, self.limit = settings["feedback"], settings["attempts"]
        self.attempts, self.hints_shown = 0, 0
        self.locked = self.submitted = False
        self.last_mark, self.feedback_text = None, ""
        self.marked = kind(ex).marked and not ex["answers_removed"]
        self.input = kind(ex).widget(ex)
        self.check_button = widgets.Button(description=self._check_label(), button_style="primary")
        self.check_button.on_click(lambda _button: self.check())
        buttons = [self.check_button]
        self.hint_button = None
        if ex["hints"]:
            self.hint_button = widgets.Button(description=self._hint_label(1))
            self.hint_button.on_click(lambda _button: self.hint())
            buttons.append(self.hint_button)
        self.submit_button = None
        if self.mode == "after_submit" and standalone:
            self.submit_button = widgets.Button(description="Submit", button_style="warning")
            self.submit_button.on_click(lambda _button: self.submit())
            buttons.append(self.submit_button)
        # an exercise without hints has no hints area (one model less in the saved notebook)
        self.hints_area = widgets.HTML() if ex["hints"] else None
        self.feedback_area = widgets.HTML()
        self.prompt_area = widgets.HTML(markdown_html(ex["prompt"]))
        style = [stylesheet()] if standalone else []  # a lesson widget carries it once
        areas = [a for a in (self.hints_area, self.feedback_area) if a is not None]
        children = [*style, *notices, self.prompt_area, self.input.widget,
                    widgets.HBox(buttons), *areas]
        if settings["instructor_notes"] and ex["instructor_note"]:
            note = _md_lines(["**Instructor note** (hidden from students):", ex["instructor_note"]])
            children.append(widgets.HTML(_box("note", note)))
        super().__init__(children, layout={
            "border": "1px solid #ddd", "padding": "6px 10px", "margin": "8px 0"})
        # class names let browser tests find each part
        self.add_class("kuril-exercise")
        parts = {"kuril-check": self.check_button, "kuril-hint": self.hint_button,
                 "kuril-submit": self.submit_button, "kuril-hints": self.hints_area,
                 "kuril-feedback": self.feedback_area, "kuril-input": self.input.widget}
        for name, part in parts.items():
            if part is not None:
                part.add_class(name)
        self._restore()
        if standalone:  # in a lesson, the lesson widget relabels its exercises
            self.follow_naming(self.relabel)

    def relabel(self, *_):
        """Show every island name (prompt, choices, hints, feedback) in the current naming:
        the bank writes them ``{island:<id>}``; the answers keep the bank's own text."""
        self.prompt_area.value = markdown_html(self.exercise["prompt"])
        _relabel_input(self.input, self.exercise)
        if self.hints_shown:
            self._show_hints()
        if self._said_now is not None:
            self._say(*self._said_now)

    _said_now = None

    def _hint_label(self, n):
        total = len(self.exercise["hints"])
        return "Hint" if total == 1 else f"Hint ({n} of {total})"

    def _check_label(self):
        if self.mode != "immediate":
            return "Save answer"
        return kind(self.exercise).button or ("Check" if self.marked else "Submit")

    # --- the Python paths -------------------------------------------------------------
    @property
    def value(self):
        """The answer as the widgets show it now (see ``kinds`` for each kind's form)."""
        return self.input.get()

    def answer(self, value):
        """Fill in ``value`` as if the learner had; returns the widget so calls can chain."""
        self.input.set(value)
        return self

    def hint(self):
        """Reveal the next hint and return its text (None when all are shown)."""
        hints = self.exercise["hints"]
        if self.hints_shown >= len(hints):
            return None
        self.hints_shown += 1
        shown = hints[: self.hints_shown]
        self._show_hints()
        if self.hint_button is not None:
            more = self.hints_shown < len(hints)
            # stays enabled (a button disabled while it has the focus drops it to the page)
            mark_end(self.hint_button, not more, None, "All the hints are shown above")
            self.hint_button.description = (
                self._hint_label(self.hints_shown + 1) if more else "No more hints")
        return names.render(shown[-1])

    def _show_hints(self):
        shown = self.exercise["hints"][: self.hints_shown]
        self.hints_area.value = _box("info", _md_lines(
            [f"**Hint {n}:** {h}" for n, h in enumerate(shown, start=1)]))

    def check(self):
        """Press the main button: mark (immediate) or save (after_submit, none) the answer.

        Returns the Mark in immediate mode, else None (nothing about correctness leaves the
        widget before feedback is due).
        """
        if self.locked:
            self._say("info", ["This answer is final: " + self._lock_reason])
            return None
        answer = self.value
        if not is_complete(self.exercise, answer):
            self._say("info", [self._incomplete_message()])
            return None
        if self.limit and self.attempts >= self.limit:
            self._say("info", [f"You have used all {self.limit} attempts."])
            return None
        self.attempts += 1
        result = mark(self.exercise, answer)
        if self.mode == "immediate":
            self._record(answer, result.correct)
            out_of_attempts = bool(self.limit) and self.attempts >= self.limit
            reveal = not self.marked or result.correct is True or out_of_attempts
            self._show_mark(result, reveal=reveal)
            if result.correct is True or (out_of_attempts and self.marked):
                self._lock("it is right." if result.correct else "no attempts are left.")
            elif out_of_attempts:
                self._lock("no attempts are left.")
            self.last_mark = result
            return result
        saved = self._record(answer, None)
        lines = ["Answer saved." if saved else "Your answer could not be saved (see below)."]
        lines += self._input_notes()
        if self.mode == "after_submit":
            lines.append("Feedback appears after you press **Submit**.")
        if self.limit:
            left = self.limit - self.attempts
            lines.append(f"{left} of {self.limit} saves left." if left else
                         "You have used all your attempts; your last answer is kept.")
        self._say("info", lines + self._save_errors)
        if self.limit and self.attempts >= self.limit:
            if self.mode == "none":
                self._lock("no attempts are left; your last answer is saved.")
            else:
                mark_end(self.check_button, True, None,
                         f"You have used all {self.limit} attempts; press Submit for feedback")
        return None

    def submit(self):
        """Press Submit (feedback mode after_submit): save, lock and show the feedback."""
        if self.mode != "after_submit":
            self._say("info", ["There is nothing to submit: " + (
                "press Check." if self.mode == "immediate" else "your answers are saved.")])
            return None
        if self.submitted:
            return self.last_mark
        answer = self.value
        self.submitted = True
        if not is_complete(self.exercise, answer):
            self._lock("the answers were submitted.")
            lines = [f"You did not answer this question. {self._incomplete_message()}"]
            self._say("wrong" if self.marked else "info", lines + self._solution())
            return None
        result = mark(self.exercise, answer)
        self._record(answer, result.correct)
        self._show_mark(result, reveal=True)
        self._lock("the answers were submitted.")
        self.last_mark = result
        return result

    # --- helpers ------------------------------------------------------------------------
    def _incomplete_message(self):
        """Why there is nothing to mark: what the input could not read, or what is missing."""
        problem = getattr(self.input, "problem", None)
        return (problem() if problem else None) or incomplete_message(self.exercise)

    def _input_notes(self):
        """How the input read the answer, when the learner should know (a decimal comma)."""
        note = getattr(self.input, "note", None)
        found = note() if note else None
        return [found] if found else []

    def _solution(self):
        return solution_lines(self.exercise) if self.mode != "none" else []

    def _show_mark(self, result, reveal):
        if result.correct is True:
            tone, head = "correct", ["✓ **Correct.**"]
        elif result.correct is False:
            tone, head = "wrong", ["✗ **Not quite.**"]
            if self.limit and self.mode == "immediate" and self.attempts < self.limit:
                head.append(f"{self.limit - self.attempts} of {self.limit} attempts left.")
        elif kind(self.exercise).saved:
            tone, head = "info", [kind(self.exercise).saved]
        else:
            tone, head = "info", ["Saved. Compare your answer with the model answer below."
                                  if self._solution() else "Saved."]
        messages = list(result.messages)
        if tone == "wrong":  # a bank's own "Not quite. ..." after the heading says it twice
            messages = [_NOT_QUITE.sub("", m, count=1) for m in messages]
        lines = head + self._input_notes() + [m for m in messages if m.strip()]
        if reveal and result.correct is not True:
            lines += self._solution()
        self._say(tone, lines + self._save_errors + self._source_lines())

    def _source_lines(self):
        names = _source_names(self.exercise["sources"])
        return ["*Sources:* " + "; ".join(names)] if names else []

    def _say(self, tone, lines):
        self._said_now = (tone, lines)
        self.feedback_text = names.render("\n".join(lines))
        self.feedback_area.value = _box(tone, _md_lines(lines))

    def _lock(self, reason):
        """The answer is final: its controls are disabled. Its buttons look it and say so, and
        stay enabled: the one just pressed keeps the keyboard focus, and a press says why."""
        self.locked, self._lock_reason = True, reason
        for control in self.input.controls:
            control.disabled = True
        for button in (self.check_button, self.submit_button):
            if button is not None:
                mark_end(button, True, None, "This answer is final: " + reason)

    _lock_reason = ""
    _save_errors = []

    def _record(self, answer, correct):
        """Save to the journal; True on success. Failures are shown, never raised."""
        self._save_errors = []
        try:
            journal.record(self.exercise["lesson"], self.id, answer, kind=self.kind,
                           correct=correct, prompt=names.render(self.exercise["prompt"]))
        except Exception as exc:
            self._save_errors = [f"*Your answer could not be saved to the journal: {exc}*"]
            return False
        return True

    def _restore(self):
        """Fill in the learner's last saved answer, if the journal has one."""
        try:
            entry = journal.get(self.id)
        except Exception:  # a broken journal must not hide the question
            return
        if not isinstance(entry, dict) or entry.get("answer") is None:
            return
        when = f" (saved {when_saved(entry['time'])})" if entry.get("time") else ""
        try:
            self.input.set(entry["answer"])
        except (ValueError, TypeError, KeyError):
            self._say("warn", [f"Your saved answer{when} no longer fits this question, which "
                               "has changed. Here it is, so nothing is lost:",
                               "`" + str(entry["answer"]).replace("`", "'") + "`"])
            return
        self._say("info", [f"Your last saved answer{when} is filled in."])


class LessonWidget(FollowsNaming, widgets.VBox):
    """All exercises of a lesson. ``exercises`` lists the exercise widgets; ``get(id)`` finds one;
    ``submit()`` (feedback mode after_submit) submits them all, like the Submit button."""

    def __init__(self, lesson_id, settings, header, items):
        self.lesson_id, self.items = lesson_id, items
        self.exercises = [w for w in items if isinstance(w, ExerciseWidget)]
        self.submit_button = None
        footer = []
        if settings["feedback"] == "after_submit" and self.exercises:
            self.submit_button = widgets.Button(description="Submit all answers",
                                                button_style="warning")
            self.submit_button.on_click(lambda _button: self.submit())
            self.submit_button.add_class("kuril-submit-all")
            footer = [widgets.HTML(markdown_html(
                "Save each answer, then press **Submit all answers** to see the feedback. "
                "After that the answers cannot be changed.")), self.submit_button]
        super().__init__([stylesheet(), *header, *items, *footer])
        self.add_class("kuril-lesson")
        self.follow_naming(self.relabel)

    def relabel(self, *_):
        """Show the island names of every exercise in the current naming."""
        for w in self.exercises:
            w.relabel()

    def get(self, exercise_id):
        """The widget of one exercise of this lesson (KeyError if absent or hidden)."""
        for w in self.exercises:
            if w.id == exercise_id:
                return w
        raise KeyError(exercise_id)

    def submit(self):
        """Submit every exercise; returns ``{id: Mark or None}``."""
        if self.submit_button is not None:
            mark_end(self.submit_button, True, None, "Your answers are submitted")
        return {w.id: w.submit() for w in self.exercises}


def _relabel_input(inp, ex):
    """The answer widgets' labels in the current naming; what is chosen stays chosen (the values
    are the bank's own texts, so a saved answer matches in every naming)."""
    menus = getattr(inp, "menus", None)
    for control in [getattr(inp, "radio", None), *(
            menus.values() if isinstance(menus, dict) else menus or [])]:
        if control is not None and hasattr(control, "options"):
            chosen = control.value
            control.options = [(label(v) if v is not None else text, v)
                               for text, v in control.options]
            control.value = chosen
    if isinstance(menus, dict):
        for left, menu in menus.items():
            menu.description = label(left)
    for c, box in zip(ex.get("choices") or [], getattr(inp, "boxes", []), strict=False):
        box.description = label(c["text"])


def _source_names(ids):
    """'Author, *Title* (date)' for each source id, when data/sources.csv can be read."""
    from .._common import labels  # imported late: it pulls in pandas

    return labels.full_citations(ids)
