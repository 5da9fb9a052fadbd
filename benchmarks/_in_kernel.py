"""The widget updates timed by the interaction section. Runs INSIDE a Jupyter kernel.

In a kernel a redraw really displays its figure (plotly serialises it and the kernel sends it to
the front end), so what is timed here is the whole Python side of an update. Each update goes
through the widget's Python path, as the notebook's own tests do: set ``.value``, ``.click()``.
``run()`` returns {label: {"ms": [...]} or {"error": "..."}}. The benchmark gives each case a
kernel of its own, so the widgets one case leaves behind cannot slow the next.
"""

import time
import traceback


def _timed(updates, repeat, warmup=2):
    """Time ``repeat`` calls of the next update in ``updates`` (a cycle of callables)."""
    out = []
    for i in range(warmup + repeat):
        update = updates[i % len(updates)]
        start = time.perf_counter()
        update()
        if i >= warmup:
            out.append((time.perf_counter() - start) * 1000)
    return out


def _setter(obj, attr, value):
    return lambda: setattr(obj, attr, value)


def floor(repeat):
    """The stack's own price: a slider whose observer draws a one-trace figure into an Output."""
    import ipywidgets as widgets
    import plotly.graph_objects as go
    from IPython.display import display

    slider = widgets.SelectionSlider(options=list(range(10)), value=0)
    out = widgets.Output()

    def redraw(change):
        fig = go.Figure(go.Scatter(x=[0, 1, 2], y=[change["new"], 1, 2]))
        with out:
            out.clear_output(wait=True)
            display(fig)

    slider.observe(redraw, names="value")
    display(widgets.VBox([slider, out]))
    return _timed([_setter(slider, "value", v) for v in [*range(1, 10), 0]], repeat)


def map_year(repeat, keep):
    from helpers import maps

    box = keep.setdefault("map", maps.explorer())
    years = list(box.year.options)
    return _timed([_setter(box.year, "value", y) for y in [*years[1:], years[0]]], repeat)


def naming_switch(repeat, keep):
    """One switch redraws every explorer following the names: a lesson shows all three."""
    from helpers import maps, positions, timeline

    box = keep.setdefault("map", maps.explorer())
    keep.setdefault("timeline", timeline.explorer())
    keep.setdefault("positions", positions.explorer())
    order = ["japanese", "russian", "both"]
    return _timed([_setter(box.naming, "value", c) for c in order], repeat)


def timeline_filter(repeat, keep):
    from helpers import timeline

    ex = keep.setdefault("timeline", timeline.explorer())
    steps = []
    for w in (ex.types, ex.actors, ex.islands):
        for value in [v for _, v in w.options] if isinstance(w.options[0], tuple) else w.options:
            steps += [_setter(w, "value", (value,)), _setter(w, "value", ())]
    steps.append(ex.reset_button.click)
    return _timed(steps, repeat)


def positions_date(repeat, keep):
    from helpers import positions

    ex = keep.setdefault("positions", positions.explorer())
    return _timed([_setter(ex, "value", d) for d in [*ex.dates[1:], ex.dates[0]]], repeat)


def quiz_answer(repeat, keep):
    """Pick a wrong answer, then press Check (a wrong answer never locks the question)."""
    from helpers import quiz
    from helpers._quiz import bank as _exercises

    reg = _exercises.registry()
    ex = next(e for e in reg.exercises.values()
              if e["kind"] == "single" and not e["problems"] and not e["answers_removed"])
    wrong = [c["text"] for c in ex["choices"] if not c.get("correct")]
    q = keep.setdefault("quiz", quiz.show(ex["id"]))

    def answer(text):
        def go():
            q.answer(text)
            q.check_button.click()
        return go

    return _timed([answer(t) for t in wrong], repeat)


def journal_save(repeat, keep):
    """Type into an open-response box and leave it (the box saves to disk at once)."""
    from helpers import journal

    box = keep.setdefault("respond", journal.respond("bench-response", "Why did ...?",
                                                     lesson="00_start_here"))
    words = "The declaration promised Shikotan and the Habomai islets after a peace treaty. " * 6
    counter = iter(range(10**9))
    return _timed([lambda: setattr(box.text, "value", f"{next(counter)} {words}")], repeat)


def settlement_check(repeat, keep):
    """Change one choice of the designer (an island's or the settlement's); it re-checks the
    design and redraws what changed. Uses the documented path ``d.controls[...][field].value``."""
    from helpers import settlement

    d = keep.setdefault("designer", settlement.designer())
    steps = []
    for group in d.controls.values():
        for w in group.values():
            if not hasattr(w, "options"):
                continue  # the transition-years box: a number, not a choice
            values = [o[1] if isinstance(o, tuple) else o for o in w.options]
            first = w.value
            steps += [_setter(w, "value", v) for v in values if v != first]
            steps.append(_setter(w, "value", first))
    return _timed(steps, repeat)


def naming_switch_capstone(repeat, keep):
    """The capstone shows the positions explorer and the settlement designer."""
    from helpers import names, positions, settlement

    keep.setdefault("positions", positions.explorer())
    keep.setdefault("designer", settlement.designer())
    toggle = keep.setdefault("toggle", names.naming_toggle())
    return _timed([_setter(toggle, "value", c) for c in ["japanese", "russian", "both"]], repeat)


def naming_after_reruns(repeat, keep, runs=3):
    """A learner re-ran each explorer's cell three times: the old widgets are still alive.
    JupyterLab sends the id of the cell with each run; the kernel's parent header says so here."""
    from IPython import get_ipython

    from helpers import maps, positions, timeline

    kernel = get_ipython().kernel
    real = kernel.get_parent()
    makers = [maps.explorer, timeline.explorer, positions.explorer]
    boxes = []
    try:
        for _ in range(runs):
            run = []
            for k, make in enumerate(makers):
                parent = {**real, "metadata": {**real.get("metadata", {}), "cellId": f"cell-{k}"}}
                kernel.get_parent = lambda *a, p=parent, **kw: p
                run.append(make())
            boxes.append(run)
    finally:
        del kernel.get_parent  # back to the class's method
    keep["reruns"] = boxes
    toggle = boxes[-1][0].naming
    return _timed([_setter(toggle, "value", c) for c in ["japanese", "russian", "both"]], repeat)


CASES = [
    ("floor: slider redraws a one-trace figure", floor),
    ("map year (map_explorer year control)", map_year),
    ("naming switch (map, timeline, positions explorers shown)", naming_switch),
    ("timeline filter (actors / islands / types, reset)", timeline_filter),
    ("positions date (positions_explorer)", positions_date),
    ("settlement check (designer choice)", settlement_check),
    ("naming switch (capstone: positions explorer, settlement designer)",
     naming_switch_capstone),
    ("naming switch after each explorer cell was run 3 times", naming_after_reruns),
    ("quiz answer (pick + Check)", quiz_answer),
    ("journal save (respond box)", journal_save),
]


def run(repeat=30, only=None):
    """Time the cases named in ``only`` (function names; all when None) in this kernel."""
    keep, results = {}, {}
    for label, fn in CASES:
        if only and fn.__name__ not in only:
            continue
        try:
            ms = fn(repeat) if fn is floor else fn(repeat, keep)
            results[label] = {"ms": ms}
        except Exception as exc:  # reported in the table, the other cases still run
            results[label] = {"error": f"{type(exc).__name__}: {exc}",
                              "trace": traceback.format_exc(limit=3)}
    return results
