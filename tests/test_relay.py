"""The controls that change a figure in the browser (helpers/_common/relay.py), kernel side.

In the browser: tests/browser/test_browser_learner.py stops the kernel and switches the map.
Here: every naming toggle and year menu is linked to a relay, the figure carries what the
browser code reads, and the explorer redraws exactly the figures the browser did not switch.
"""

import re

import pytest
from ipywidgets.widgets.widget_link import Link

from helpers import maps, names
from helpers._common import relay


@pytest.fixture
def box():
    names.set_convention("both")
    b = maps.map_explorer()
    yield b
    b.close()
    names.set_convention("both")


def linked(link, source, target):
    return (link.source, link.target) == (source, target) and isinstance(link, Link)


@pytest.fixture
def sends(monkeypatch):
    """sends(widget): the list of state keys the widget sends to the browser from now on."""
    def watch(widget):
        got = []
        original = widget.send_state

        def send_state(key=None):
            got.append(key)
            return original(key)

        monkeypatch.setattr(widget, "send_state", send_state)
        return got

    return watch


def go_live(box):
    for r in box._relays:
        r.live = True


def test_every_naming_toggle_is_linked_to_the_one_naming_relay():
    first, second = names.naming_toggle(), names.naming_toggle()
    try:
        one = first._relay
        assert second._relay is one and one.kind == "naming"
        assert one.choices == [value for _, value in first.options]
        for t in (first, second):
            assert linked(t._link, (t, "index"), (one, "index"))
    finally:
        for t in (first, second):
            names.on_change(t._follow, remove=True)


def test_the_explorer_marks_its_figure_for_its_relays(box):
    """What the browser code reads: the naming at each button (in button order) and the
    figure's id; the year menu's index k is the slider's step k."""
    kuril = box.figure.layout.meta["kuril"]
    buttons = [b.label for b in box.figure.layout.updatemenus[0].buttons]
    assert buttons == [maps.NAMING_BUTTONS[c] for c in kuril["naming"]]
    assert kuril["id"] == box.figure_id
    naming, step = box._relays
    assert naming is box.naming._relay
    assert step.kind == "step" and step.target == box.figure_id
    assert linked(step._link, (box.year, "index"), (step, "index"))
    steps = [s.label for s in box.figure.layout.sliders[0].steps]
    assert steps == [str(y) for y in box.year.options]
    other = maps.map_explorer()
    try:
        assert other.figure_id != box.figure_id
    finally:
        other.close()


def test_without_a_browser_the_kernel_redraws(box, sends):
    sent = sends(box.output)
    box.year.value = box.year.options[2]
    assert sent == ["outputs"]
    assert box.figure.layout.sliders[0].active == 2


def test_a_live_browser_switches_the_figure_and_the_kernel_does_not_redraw_it(box, sends):
    go_live(box)
    sent = sends(box.output)
    box.year.value = box.year.options[3]
    names.set_convention("russian")
    assert sent == []  # waiting for the browser's reports
    box._relays[1].shown = {"index": 3, "ids": [box.figure_id]}
    box._relays[0].shown = {"naming": "russian", "ids": [box.figure_id]}
    assert sent == []
    fig = box.figure  # what the browser now shows
    assert fig.layout.sliders[0].active == 3
    assert fig.layout.updatemenus[0].active == names.CONVENTIONS.index("russian")
    # and the Output widget holds it, for a page loaded later
    held = box.output.outputs[0]["data"][maps.figures.PLOTLY_MIME]["layout"]
    assert held["sliders"][0]["active"] == 3
    assert held["updatemenus"][0]["active"] == names.CONVENTIONS.index("russian")


@pytest.mark.parametrize("report", [{"index": 4, "ids": []}, {"naming": "japanese", "ids": []}])
def test_a_figure_the_browser_could_not_switch_is_redrawn_as_reported(box, report, sends):
    """The browser's report can reach the kernel before the change itself: the kernel draws
    what the report says, not what it knew."""
    go_live(box)
    sent = sends(box.output)
    which = box._relays[1] if "index" in report else box._relays[0]
    which.shown = {**report, "ids": ["another-figure"]}
    assert sent == ["outputs"]
    fig = box.figure
    if "index" in report:
        assert fig.layout.sliders[0].active == 4
    else:
        assert fig.layout.updatemenus[0].active == names.CONVENTIONS.index("japanese")


@pytest.mark.parametrize("report", [{}, {"index": 99, "ids": []}, {"naming": "klingon"},
                                    {"index": "2", "ids": None}])
def test_a_malformed_report_is_read_safely(box, report):
    go_live(box)
    box._relays[1].shown = report
    assert box.figure.layout.sliders[0].active == 0  # the year it showed


def test_a_closed_explorer_hears_no_more_reports(box, sends):
    naming = box._relays[0]
    go_live(box)
    sent = sends(box.output)
    box.close()
    naming.shown = {"naming": "russian", "ids": []}  # would redraw an open explorer
    assert sent == [] and box.output.outputs[0]["data"][maps.figures.PLOTLY_MIME]["layout"][
        "updatemenus"][0]["active"] == names.CONVENTIONS.index("both")


def test_the_browser_code_uses_only_the_relay_traits():
    """Every trait the browser code reads or writes is one the kernel syncs."""
    used = set(re.findall(r"\bm\.(?:get|set|on)\('(?:change:)?(\w+)'", relay.ESM))
    used |= set(re.findall(r"\bR\(m, '(\w+)'", relay.ESM))
    synced = set(relay._new().class_trait_names(sync=True))
    assert {"index", "figure", "shown", "patched", "live"} <= used <= synced, used - synced
    assert "export default" in relay.ESM and "initialize" in relay.ESM


# ---------------------------------------------------------------- redrawn in place


@pytest.fixture
def timeline_live(monkeypatch):
    """A timeline explorer on show in a browser that runs the relays (in a kernel whose plotly
    draws with its mimetype, as JupyterLab's does)."""
    from helpers import timeline

    monkeypatch.setattr(maps.figures, "plain_mimetype", lambda: True)
    ex = timeline.explorer()
    kernel = relay.kernel_relay()
    kernel.live = True
    yield ex, kernel
    kernel.live = False
    ex.close()


def shown_title(output):
    return output.outputs[0]["data"][maps.figures.PLOTLY_MIME]["layout"]["title"]["text"]


def test_a_figure_on_show_is_redrawn_in_place_and_recorded_quietly(timeline_live, sends):
    ex, kernel = timeline_live
    sent = sends(ex.output)
    ex.types.value = (ex.types.options[0],)
    ask = kernel.figure
    assert sent == [] and ask["id"] == ex.figure_id and ask["spec"]["data"]
    assert ask["spec"]["layout"]["meta"]["kuril"]["id"] == ex.figure_id
    kernel.patched = {"id": ex.figure_id, "n": ask["n"], "ids": [ex.figure_id]}
    assert sent == []  # the browser has it: nothing sent again
    assert ex.output.outputs[0]["data"][maps.figures.PLOTLY_MIME] == ask["spec"]
    assert ex.figure.to_dict()["layout"]["title"] == ask["spec"]["layout"]["title"]


def test_a_figure_the_browser_did_not_find_is_drawn_anew(timeline_live, sends):
    ex, kernel = timeline_live
    sent = sends(ex.output)
    ex.types.value = (ex.types.options[0],)
    n = kernel.figure["n"]
    kernel.patched = {"id": ex.figure_id, "n": n, "ids": []}
    assert sent == ["outputs"]


def test_only_the_report_on_the_latest_redraw_counts(timeline_live, sends):
    ex, kernel = timeline_live
    sent = sends(ex.output)
    ex.types.value = (ex.types.options[0],)
    first = kernel.figure["n"]
    ex.types.value = (ex.types.options[1],)
    latest = kernel.figure
    kernel.patched = {"id": ex.figure_id, "n": first, "ids": []}  # stale: ignored
    kernel.patched = {"id": "another-figure", "n": latest["n"], "ids": []}  # not this one
    assert sent == []
    kernel.patched = {"id": ex.figure_id, "n": latest["n"], "ids": [ex.figure_id]}
    assert sent == [] and ex.output.outputs[0]["data"][maps.figures.PLOTLY_MIME] == \
        latest["spec"]


def test_without_a_browser_a_redraw_goes_through_the_output(sends):
    from helpers import timeline

    ex = timeline.explorer()
    try:
        sent = sends(ex.output)
        ex.types.value = (ex.types.options[0],)
        assert sent == ["outputs"]
    finally:
        ex.close()


# ---------------------------------------------------------------- only what changed


def course_figure_pairs():
    """Pairs of figures one widget draws in turn: the designer's map for different designs, the
    timeline under different filters, the map explorer and the claims map over time."""
    import itertools

    from helpers import settlement, timeline
    from helpers._capstone import designmap

    designs = [settlement.status_quo()] + [
        settlement.proposal_design(p) for p in settlement.proposals()["id"]]
    pairs = [(designmap.spec(a, c), designmap.spec(b, c))
             for a, b in itertools.permutations(designs[:4], 2) for c in names.CONVENTIONS]
    events = timeline.filter_events()
    kinds = sorted(set(events["type"]))
    shown = [timeline._spec(timeline.filter_events(events, types=t)) for t in
             [(), kinds[:1], kinds[1:3], kinds[-1:]]]
    pairs += list(itertools.permutations(shown, 2))
    years = sorted(maps._steps())
    pairs += [(maps.explorer_spec(a, c), maps.explorer_spec(b, d))
              for a, b in zip(years, years[1:]) for c, d in zip(names.CONVENTIONS,
                                                                names.CONVENTIONS[1:])]
    pairs += [(maps.claims_map(a).to_dict(), maps.claims_map(b).to_dict())
              for a, b in [("1956-10-19", "1993-10-13"), ("1993-10-13", "2022-03-21")]]
    return pairs


def pruned(value):
    """A figure dict without empty containers ({"fillpattern": {}} is plotly's default too)."""
    if isinstance(value, dict):
        out = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v != {}}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


def apply_changes(fig, update):
    """What the browser code (relay.ESM's U) does with ``figures.changes``: one Plotly.update
    whose restyle leaves an attribute a trace does not list undefined (plotly skips it), as
    tests/test_maps.py's apply_step emulates Plotly.update."""
    from test_maps import _set

    rows, relayout = update
    for i, values in rows:
        for path, value in values.items():
            _set(fig["data"][i], path, value)
    for path, value in relayout.items():
        _set(fig["layout"], path, value)
    return fig


def test_changes_turn_each_figure_into_the_next():
    """Whatever ``changes`` sends, the browser makes of the figure on show exactly the new one;
    where it cannot, it says so."""
    import copy

    updated = 0
    for old, new in course_figure_pairs():
        a = maps.figures.bundle(old)[maps.figures.PLOTLY_MIME]
        b = maps.figures.bundle(new)[maps.figures.PLOTLY_MIME]
        update = maps.figures.changes(a, b)
        if update is None:
            assert len(a["data"]) != len(b["data"]) or [t.get("type") for t in a["data"]] != [
                t.get("type") for t in b["data"]]
            continue
        updated += 1
        assert pruned(apply_changes(copy.deepcopy(a), update)) == pruned(b)
    assert updated >= 10  # the designer's map mostly changes in place


def test_changes_send_only_what_changed():
    from helpers import settlement
    from helpers._capstone import designmap

    design = settlement.status_quo()
    a = maps.figures.bundle(designmap.spec(design))[maps.figures.PLOTLY_MIME]
    assert maps.figures.changes(a, a) == [[], {}]
    other = settlement.status_quo()
    island = next(iter(other["islands"]))
    other["islands"][island]["sovereignty"] = "shared"
    b = maps.figures.bundle(designmap.spec(other))[maps.figures.PLOTLY_MIME]
    update = maps.figures.changes(a, b)
    rows, relayout = update  # every design draws the same traces (designmap.spec)
    assert 0 < len(rows) < len(b["data"])
    changed = {path for _, values in rows for path in values} | set(relayout)
    # only what plotly restyles without recomputing the figure: no geometry, no text drawn,
    # no visibility, no layout (the figure keeps its size whatever the design)
    style = {"fillcolor", "hovertext", "line.color", "line.dash", "line.width", "showlegend"}
    assert {p for p in changed if not p.startswith("fillpattern.")} <= style, changed
