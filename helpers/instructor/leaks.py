"""The build's last guard: no answer text in the student release.

``secrets`` gathers the texts a learner must not see: instructor notes (bank field
``instructor_note``, cells tagged ``instructor``, files in ``data/instructor_notes/``) and
solutions, always; in feedback mode
``none`` also model answers, rubrics and feedback. ``find`` looks for each (whitespace and case
ignored, Markdown emphasis and backticks too) in the release's texts. Short texts are left out:
a few words ("Yes.") occur anywhere.
"""

import re

from .notebooks import INSTRUCTOR_TAG, SOLUTION_TAG, has_tag

__all__ = ["MIN_LENGTH", "NOTES_FOLDER", "secrets", "find", "normal"]

NOTES_FOLDER = "instructor_notes"  # in the data folder: notes shown only to instructors
MIN_LENGTH = 30  # characters, once normalised
_MARKUP = re.compile(r"[*_`>#|]+")
_SOLUTION = re.compile(r"^\s*###\s*begin\s+solution\s*$(.*?)^\s*###\s*end\s+solution\s*$",
                       re.IGNORECASE | re.MULTILINE | re.DOTALL)


def normal(text):
    """``text`` lower-cased, without Markdown emphasis, with single spaces."""
    return " ".join(_MARKUP.sub(" ", str(text)).casefold().split())


def _pieces(text):
    """A text, each of its paragraphs and sentences, normalised, long enough to mean
    something."""
    parts = [text] + re.split(r"\n\s*\n", str(text)) + re.split(r"(?<=[.!?])\s+", str(text))
    return {n for n in map(normal, parts) if len(n) >= MIN_LENGTH}


def secrets(registry, notebooks, answers_hidden, notes=None):
    """``{normalised text: what it is}`` for the course's answer texts. ``notebooks``: the
    source notebooks (label -> notebook), before the build removed anything; ``notes``: other
    instructor-only texts (label -> text)."""
    found = {}

    def add(text, what):
        for piece in _pieces(text):
            found.setdefault(piece, what)

    for label, text in (notes or {}).items():
        add(text, f"the instructor notes of {label}")

    for ex in registry.exercises.values():
        who = f"exercise {ex['id']}"
        if ex.get("instructor_note"):
            add(ex["instructor_note"], f"the instructor note of {who}")
        if not answers_hidden:
            continue
        for fld in ("model_answer", "feedback_correct", "feedback_wrong"):
            if ex.get(fld):
                add(ex[fld], f"the {fld.replace('_', ' ')} of {who}")
        for item in ex.get("rubric") or []:
            add(item, f"the rubric of {who}")
        for choice in ex.get("choices") or []:
            if isinstance(choice, dict) and choice.get("feedback"):
                add(choice["feedback"], f"a choice's feedback in {who}")
    for label, nb in notebooks.items():
        for i, cell in enumerate(nb.cells):
            source = cell.get("source", "")
            if has_tag(cell, INSTRUCTOR_TAG):
                add(source, f"the instructor cell {i + 1} of {label}")
            elif has_tag(cell, SOLUTION_TAG):
                add(source, f"the solution in cell {i + 1} of {label}")
            else:
                for block in _SOLUTION.findall(source):
                    add(block, f"the solution in cell {i + 1} of {label}")
    return found


def find(secrets_found, texts):
    """``[(release path, what it contains)]``: ``texts`` maps a release path to its text."""
    hits = []
    for path, text in texts.items():
        flat = normal(text)
        for secret, what in secrets_found.items():
            if secret in flat:
                hits.append((path, what))
    return hits
