"""The class debrief: what ``python -m helpers.instructor collect`` found, for a discussion.

``collect`` writes ``debrief.ipynb`` and the data it reads (``debrief_data.json``, learners under
pseudonyms only) into its output folder. In the notebook::

    from helpers.instructor import debrief
    results = debrief.load()               # the folder the notebook is in
    results.lessons()                      # points per lesson: median and range
    results.items()                        # every question: answered, share right, ...
    results.question("l2-article9-says")   # the prompt, and the wrong answer given most often
    results.figure("l2-article9-says")     # how the class answered
    results.settlement_map()               # who got each island in the class's designs
    results.outcomes()                     # how the designs fared against each government

Everything a learner typed is shown escaped: tables through pandas, text through
``helpers.text``. Nothing here reads a learner's name.
"""

import json
from pathlib import Path

from ..text import markdown_html, plain_html

__all__ = ["DATA", "load", "Debrief"]

DATA = "debrief_data.json"
FORMAT = "kuril-debrief"


def _figure(name, *args):
    """A plotly Figure from the debrief figure ``name`` (plotly is imported on first use)."""
    from .._common import figures
    from ._collect import figures as plots

    return figures.figure(getattr(plots, name)(*args))


class Shown:
    """HTML for a notebook (and the same as plain text when printed)."""

    def __init__(self, html, text):
        self.html, self.text = html, text

    def _repr_html_(self):
        return self.html

    def __str__(self):
        return self.text

    __repr__ = __str__


def load(folder=None):
    """The debrief of the ``collect`` output in ``folder`` (default: the current folder)."""
    path = Path(folder or ".") / DATA
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FileNotFoundError(f"{path} could not be read ({exc}): run python -m "
                                "helpers.instructor collect first") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path} is not a debrief written by collect")
    return Debrief(data)


class Debrief:
    """The class's answers, aggregated; learners appear under pseudonyms only."""

    def __init__(self, data):
        self.data = data
        self._items = {i["id"]: i for i in data["items"]}

    # ------------------------------------------------------------ overview

    def summary(self):
        """One paragraph: how many learners, hand-ins, designs, and when collected."""
        c = self.data["counts"]
        text = (f"{c['learners']} learners, {c['handins']} hand-ins, {c['designs']} settlement "
                f"designs; collected {self.data['made']}.")
        return Shown(f"<p>{plain_html(text)}</p>", text)

    def lessons(self):
        """Points per lesson: learners who handed it in, median, lowest and highest, maximum."""
        import pandas as pd

        return pd.DataFrame(self.data["lessons"],
                            columns=["lesson", "title", "handed_in", "median", "lowest", "highest",
                                     "max_points"])

    def items(self, lesson=None, hardest_first=True):
        """Every question (of ``lesson``): answered, share right, the most common wrong answer."""
        import pandas as pd

        rows = [i for i in self.data["items"] if lesson in (None, i["lesson"])]
        if hardest_first:
            rows.sort(key=lambda i: (i["share_right"] is None, i["share_right"] or 0, i["id"]))
        table = pd.DataFrame([{
            "question": i["id"], "lesson": i["lesson"], "kind": i["kind"],
            "answered": i["answered"],
            "share_right": None if i["share_right"] is None else round(i["share_right"], 2),
            "most_common_wrong_answer": i["wrong"], "learners_giving_it": i["wrong_count"] or None,
        } for i in rows], columns=["question", "lesson", "kind", "answered", "share_right",
                                   "most_common_wrong_answer", "learners_giving_it"])
        return table

    def hardest(self, n=3, least=3):
        """The ids of the ``n`` marked questions with the lowest share right (answered by at
        least ``least`` learners)."""
        marked = [i for i in self.data["items"]
                  if i["share_right"] is not None and i["answered"] >= least]
        marked.sort(key=lambda i: (i["share_right"], -i["answered"], i["id"]))
        return [i["id"] for i in marked[:n]]

    def overview(self):
        """A figure: the share right of every marked question, hardest at the top."""
        return _figure("overview", self.data["items"])

    # ------------------------------------------------------------ one question

    def _item(self, question):
        if question not in self._items:
            raise KeyError(f"No question {question!r} in this collection; the questions are: "
                           f"{', '.join(self._items)}")
        return self._items[question]

    def question(self, question):
        """The prompt, how many answered and were right, and the wrong answer given most often
        with the feedback the course gives it."""
        i = self._item(question)
        parts = [f"<h4>{plain_html(i['id'])} ({plain_html(i['lesson'])}, {plain_html(i['kind'])})"
                 "</h4>", markdown_html(i["prompt"])]
        words = [f"{i['answered']} answered"]
        if i["share_right"] is not None:
            words.append(f"{i['right']} right ({round(100 * i['share_right'])}%)")
        parts.append(f"<p><b>{plain_html('; '.join(words))}</b></p>")
        text = [f"{i['id']}: {'; '.join(words)}"]
        if i["wrong"]:
            parts.append(f"<p>Most common wrong answer ({i['wrong_count']} learners): "
                         f"<b>{plain_html(i['wrong'])}</b></p>")
            text.append(f"Most common wrong answer ({i['wrong_count']}): {i['wrong']}")
            if i["wrong_feedback"]:
                parts.append("<div style=\"border-left:3px solid #B2182B;padding-left:.75em\">"
                             f"<p><i>What the course tells them:</i></p>"
                             f"{markdown_html(i['wrong_feedback'])}</div>")
                text.append(f"Feedback: {i['wrong_feedback']}")
        return Shown("\n".join(parts), "\n".join(text))

    def figure(self, question):
        """A figure: how many learners gave each answer (✓ marks the right ones)."""
        return _figure("spread", self._item(question))

    def answers(self, question):
        """Written answers to ``question``, each under its learner's pseudonym."""
        import pandas as pd

        self._item(question)
        rows = self.data["texts"].get(question, [])
        return pd.DataFrame(rows, columns=["learner", "answer"])

    # ------------------------------------------------------------ settlements

    def _settlements(self):
        return self.data["settlements"]

    def settlement_map(self, naming=None):
        """The four islands, each in the colour of the side most designs gave it (hover: all)."""
        s = self._settlements()
        return _figure("settlement_map", s["islands"], s["designs"], naming)

    def settlements(self):
        """For each island, side and handover timing: how many designs chose it."""
        import pandas as pd

        rows = self._settlement_rows()
        return pd.DataFrame([{k: r[k] for k in ("island", "side", "timing", "designs")}
                             for r in rows], columns=["island", "side", "timing", "designs"])

    def settlement_bars(self):
        """A figure: for each island, how many designs gave it to each side."""
        return _figure("settlement_bars", self._settlement_rows())

    def _settlement_rows(self, naming=None):
        from .._capstone.engine import SIDES
        from .._common.labels import island_label

        rows = []
        for island, sides in self._settlements()["islands"].items():
            for side in SIDES:
                for timing, n in sorted(sides.get(side, {}).items(), key=lambda kv: -kv[1]):
                    rows.append({"island": island_label(island, naming), "side_id": side,
                                 "side": SIDES[side], "timing": timing, "designs": n})
        return rows

    def dates(self):
        """The checking dates the learners chose, and how many chose each."""
        import pandas as pd

        found = self._settlements()["dates"]
        return pd.DataFrame(sorted(found.items()), columns=["date", "designs"])

    def outcomes(self):
        """For each stated condition: how many designs were checked against it (its government
        had stated it by the date chosen), and how many meet it, conflict, are unclear, or do not
        address it."""
        import pandas as pd

        from .._capstone import rules

        return pd.DataFrame(self._settlements()["outcomes"],
                            columns=["government", "condition", "checked", *rules.RESULTS])

    def outcome_figure(self):
        """A figure of :meth:`outcomes`."""
        return _figure("outcomes", self._settlements()["outcomes"])
