"""Exercises in the notebooks: ``quiz.show("exercise-id")`` or ``quiz.show_lesson("lesson-id")``;
``quiz.show_extra("lesson-id")`` shows the questions an instructor's own files add to a lesson
(every lesson calls it just before its key points).

Questions live in ``data/exercises/*.yml`` (see the README there). Both functions return a widget
for the cell to display; they never raise for a bad bank or id, but show a message naming the file,
exercise and field instead.

Every button has a Python path, so a test (or a curious learner) can do without a browser::

    q = quiz.show("shimoda-boundary")
    q.answer("Between Etorofu/Iturup and Urup")   # same as picking it
    q.check()          # the Check / Save answer button
    q.hint()           # the Hint button
    q.submit()         # the Submit button (feedback mode after_submit)
    q.feedback_text    # what the feedback area says

How much feedback appears follows ``course.yml`` (``feedback``, ``attempts``); every checked or
saved answer goes to the learner's journal (``helpers.journal``), and a re-run cell restores it.
The kinds of exercise are one table, ``helpers._quiz.kinds``; loading and checking the banks is
``helpers._quiz.bank``; the widgets are ``helpers._quiz.widgets``.
"""

from ._quiz.widgets import (
    ExerciseWidget,
    LessonWidget,
    MessageWidget,
    show,
    show_extra,
    show_lesson,
)

__all__ = ["show", "show_lesson", "show_extra", "ExerciseWidget", "LessonWidget",
           "MessageWidget"]
