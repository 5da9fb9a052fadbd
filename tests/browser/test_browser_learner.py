"""What a learner does in JupyterLab: move a year slider, switch the naming, answer a question
right and wrong, write an answer that contains HTML, reload, restart, download their work.

Expected values come from the course's own data and helpers, never from copies in this file.
"""

import contextlib
import html
import json
import os
import re
import signal
import time
from pathlib import Path

import _harness as h
import pytest

from helpers.course import is_scratch

START = "notebooks/00_start_here.ipynb"
PAYLOAD = h.XSS
NAME = "Aiko <b>bold</b>"


def words(text):
    return " ".join(str(text).split())


def rgb(hex_colour):
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def painted(paint):
    """The colour in a rendered fill: "rgb(...)" or "pattern(rgb(...),shape)"."""
    found = re.search(r"rgb\(\d+, \d+, \d+\)", paint or "")
    return found.group(0) if found else paint


def expected_fills(year):
    """{disputed island: colour} as the course's own sovereignty_map draws it for ``year``."""
    from helpers import maps

    fig = maps.sovereignty_map(int(year))
    return {t.meta: rgb(t.fillcolor) for t in fig.data if t.meta in h.disputed_ids()}


def wait_for(check, timeout=30, what="the page to change"):
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def kept_the_focus_at_end(button, what):
    """Wait until ``button`` is marked as having nothing further to do (style.AT_END), then
    whether it still has the focus and is enabled."""
    wait_for(lambda: "kuril-at-end" in (button.get_attribute("class") or ""),
             what=f"{what} to be marked as at the end")
    return button.evaluate("b => document.activeElement === b && !b.disabled")


def first_notebook_with(text):
    for path in sorted((h.ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if is_scratch(path.name):  # a copy JupyterLab made
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if any(text in "".join(c["source"]) for c in cells if c["cell_type"] == "code"):
            return path.relative_to(h.ROOT).as_posix()
    pytest.fail(f"no notebook calls {text}")


# Where a learner clicks: a 1280x900 laptop with the file browser open.
SIZE = (1280, 900, True)


@pytest.fixture
def start_here(lesson):
    """Start-here after Run All (the run the lesson's other tests share), at SIZE."""
    got = lesson(START)
    h.resize(got.page, *SIZE)
    return got


def step_years():
    from helpers import maps

    return [str(y) for y in sorted(maps._steps())]


@pytest.mark.lesson(START)
def test_map_explorer_switches_year_and_naming_in_the_browser(start_here):
    """The explorer's slider and naming buttons are in the figure: each changes only what it is
    about (a year keeps the naming, a naming keeps the year), and the explorer follows the
    course's naming switch in another cell too."""
    from helpers import names

    page, guard = start_here.page, start_here.guard
    cell = h.cell_by_source(page, "maps.explorer()")
    plot = cell.locator(".js-plotly-plot").first
    years = step_years()
    before = h.figure_state(plot)
    first = years[0]
    assert {k: painted(v) for k, v in before["fills"].items() if k in expected_fills(first)} \
        == expected_fills(first), "the map's colours differ from sovereignty_map()"

    h.slider_step(plot, len(years) - 1)
    last = years[-1]
    after = wait_for(lambda: (s := h.figure_state(plot)) and last in s["title"] and s,
                     what=f"the map to show {last}")
    want = expected_fills(last)
    assert {k: painted(v) for k, v in after["fills"].items() if k in want} == want
    assert h.changed(before, after, h.disputed_ids())

    russian = [names.island_name(i, "russian") for i in h.disputed_ids()]
    japanese_only = [names.island_name(i, "japanese") for i in h.disputed_ids()
                     if names.island_name(i, "japanese") != names.island_name(i, "russian")]
    plot.locator(".updatemenu-button", has_text="Russian usage").click()
    shown = wait_for(lambda: (s := h.figure_state(plot)) and all(n in s["texts"] for n in russian)
                     and s, what="Russian names on the map")
    assert not [n for n in japanese_only if any(n in t for t in shown["texts"])], shown["texts"]
    assert last in shown["title"], "the naming switch changed the year"
    assert {k: painted(v) for k, v in shown["fills"].items() if k in want} == want

    h.slider_step(plot, 0)  # 1855: the caption names Iturup and Urup, in Russian usage
    caption = wait_for(lambda: (t := " ".join(h.figure_state(plot)["texts"])) and first in t
                       and t, what=f"the caption of {first}")
    assert names.island_name("etorofu-iturup", "russian") in caption
    assert names.island_name("etorofu-iturup", "japanese") not in caption

    # the course's naming switch in another cell: the explorer follows (through the kernel)
    other = h.cell_by_source(page, "names.naming_toggle()")
    other.locator(".widget-toggle-button", has_text="Japanese usage").click()
    japanese = [names.island_name(i, "japanese") for i in h.disputed_ids()]
    wait_for(lambda: all(n in h.figure_state(plot)["texts"] for n in japanese),
             what="the explorer to follow the naming switch")
    other.locator(".widget-toggle-button", has_text="Both").click()
    both = [names.island_name(i, "both") for i in h.disputed_ids()]
    wait_for(lambda: all(n in h.figure_state(plot)["texts"] for n in both),
             what="labels in both usages")
    guard.assert_clean()


_KERNEL_ID = "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.id"
# a Voila page names its kernel in its configuration
VOILA_KERNEL_ID = ("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
                   ".kernelId")
CAN_STOP_KERNELS = Path("/proc/self/cmdline").exists() and hasattr(signal, "SIGSTOP")


def kernel_pid(page, kernel_id=_KERNEL_ID):
    """The process of the lesson's kernel (its command line names its connection file)."""
    kernel = page.evaluate(kernel_id).encode()  # LabApp.expose_app_in_browser (lab_server)
    for proc in Path("/proc").iterdir():
        try:
            line = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if kernel in line and b"ipykernel" in line:
            return int(proc.name)
    pytest.fail("the lesson's kernel process was not found")


@contextlib.contextmanager
def kernel_stopped(page, kernel_id=_KERNEL_ID):
    """The kernel stopped (SIGSTOP): it reads no message until the block ends."""
    pid = kernel_pid(page, kernel_id)
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


@pytest.mark.skipif(not CAN_STOP_KERNELS,
                    reason="stops the kernel with SIGSTOP, found through /proc")
@pytest.mark.lesson(START)
def test_naming_switch_and_year_menu_change_the_map_in_the_browser(start_here):
    """The course's naming switch and the explorer's year menu change the map in the browser
    (helpers/_common/relay.py): with the kernel stopped, the map already shows the new names
    and year; once the kernel runs again it does not draw the map back."""
    from helpers import names

    page, guard = start_here.page, start_here.guard
    cell = h.cell_by_source(page, "maps.explorer()")
    plot = cell.locator(".js-plotly-plot").first
    toggle = h.cell_by_source(page, "names.naming_toggle()")
    years = step_years()
    year = years[len(years) // 2]
    russian = [names.island_name(i, "russian") for i in h.disputed_ids()]
    h.wait_kernel_idle(page)
    with kernel_stopped(page):
        toggle.locator(".widget-toggle-button", has_text="Russian usage").click()
        wait_for(lambda: all(n in h.figure_state(plot)["texts"] for n in russian), timeout=5,
                 what="Russian names on the map while the kernel is stopped")
        cell.locator("select").first.select_option(label=year)
        wait_for(lambda: year in h.figure_state(plot)["title"], timeout=5,
                 what=f"the map to show {year} while the kernel is stopped")
    h.wait_kernel_idle(page, timeout=30_000)
    time.sleep(1)  # the kernel has read the changes and the reports: no redraw back
    state = h.figure_state(plot)
    assert year in state["title"] and all(n in state["texts"] for n in russian), state
    toggle.locator(".widget-toggle-button", has_text="Both").click()
    both = [names.island_name(i, "both") for i in h.disputed_ids()]
    wait_for(lambda: all(n in h.figure_state(plot)["texts"] for n in both),
             what="labels in both usages")
    guard.assert_clean()


TIMELINE = first_notebook_with("maps.sovereignty_timeline_map()")


@pytest.mark.lesson(TIMELINE)
def test_built_in_year_slider_recolours_the_islands(lesson):
    got = lesson(TIMELINE)
    page, guard = got.page, got.guard
    h.resize(page, *SIZE)
    cell = h.cell_by_source(page, "maps.sovereignty_timeline_map()")
    plot = cell.locator(".js-plotly-plot").first
    before = h.figure_state(plot)
    rail = plot.locator("rect.slider-rail-touch-rect")
    rail.scroll_into_view_if_needed()
    box = rail.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 3, box["y"] + box["height"] / 2)
    after = wait_for(lambda: (s := h.figure_state(plot))["current"] != before["current"] and s,
                     what="the slider's year to change")
    year = re.search(r"\d{4}", after["current"]).group(0)
    want = expected_fills(year)
    assert {k: painted(v) for k, v in after["fills"].items() if k in want} == want, (
        f"after moving the slider to {year} the islands' colours differ from sovereignty_map()")
    assert h.changed(before, after, h.disputed_ids())
    guard.assert_clean()


@pytest.mark.lesson(TIMELINE)
def test_timeline_map_keeps_its_geometry_for_every_year(lesson):
    """At 1024x768 with the file browser open, stepping the built-in slider through every year
    leaves the map where it was, the same size, and the handle on its rail (the issue: the map
    shrank and moved as the legend changed width)."""
    got = lesson(TIMELINE)
    page, guard = got.page, got.guard
    h.resize(page, 1024, 768, True)
    cell = h.cell_by_source(page, "maps.sovereignty_timeline_map()")
    plot = cell.locator(".js-plotly-plot").first
    years = step_years()
    seen = []
    for k, year in enumerate(years):
        h.slider_step(plot, k)
        wait_for(lambda year=year: year in (h.figure_state(plot)["current"] or ""),
                 what=f"the slider to reach {year}")
        h.wait_still(page, quiet=150)
        found = plot.evaluate("""gd => { const b = e => { const r = e.getBoundingClientRect();
            return [r.left, r.top, r.width, r.height].map(v => Math.round(v * 2) / 2); };
            return {area: b(gd.querySelector('.nsewdrag')),
                    rail: b(gd.querySelector('.slider-rail-rect')),
                    grip: b(gd.querySelector('.slider-grip-rect'))}; }""")
        x, _, w, _ = found["rail"]
        gx, _, gw, _ = found["grip"]
        assert x - 1 <= gx + gw / 2 <= x + w + 1, f"{year}: the handle is off its rail"
        seen.append((year, found["area"], found["rail"]))
    areas = {tuple(a) for _, a, _ in seen}
    assert len(areas) == 1, f"the map moved or changed size: {seen}"
    assert seen[0][1][2] >= 280
    guard.assert_clean()


def single_choice_exercise(lesson):
    """The first single-choice exercise of ``lesson``'s bank with a right and a wrong answer."""
    from helpers._quiz import bank as _exercises

    reg = _exercises.registry()
    for ex_id in reg.lessons[lesson]:
        ex = reg.exercises[ex_id]
        if ex["kind"] == "single" and not ex["problems"]:
            right = [c for c in ex["choices"] if c.get("correct")]
            wrong = [c for c in ex["choices"] if not c.get("correct") and c.get("feedback")]
            if right and wrong:
                return ex, right[0], wrong[0]
    pytest.fail(f"lesson {lesson} has no single-choice exercise to answer")


def answer(page, ex, choice):
    from helpers._quiz.inputs import label

    box = page.locator(".kuril-exercise").filter(has_text=words(ex["prompt"])).first
    box.locator(".kuril-input label", has_text=label(choice["text"])).click()
    box.locator("button.kuril-check").click()
    return box.locator(".kuril-feedback")


@pytest.mark.lesson(START)
def test_answers_are_text_survive_reload_and_restart_and_download(lab, start_here):
    page, guard = start_here.page, start_here.guard
    start = page.locator(".kuril-journal-start").first
    start.locator("input[type=text]").fill(NAME)
    start.locator("input[type=text]").press("Enter")
    status = start.locator(".kuril-journal-status")
    wait_for(lambda: "Now saving as" in status.inner_text(), what="the name to be taken")
    assert NAME in status.inner_text(), "the learner's name is not shown as typed"

    box = h.write_response(page, PAYLOAD)
    assert box.locator("textarea").input_value() == PAYLOAD
    assert h.inert(page), "the learner's HTML became page elements"
    ex, right, _ = single_choice_exercise("00_start_here")
    answer(page, ex, right).locator(".kuril-correct").wait_for()
    guard.assert_clean()  # no alert: the payload did not run

    # "Download my work": one HTML file with the answers, the learner's text escaped.
    link = start.locator("a.kuril-download-link")
    wait_for(lambda: "answer" in start.locator(".kuril-download-count").inner_text())
    with page.expect_download() as got:
        link.click()
    saved = got.value.path().read_text(encoding="utf-8")
    assert html.escape(PAYLOAD, quote=False) in saved or html.escape(PAYLOAD) in saved
    assert "<img src=x" not in saved and "<script>alert" not in saved
    assert html.escape(right["text"], quote=False) in saved or right["text"] in saved
    opened = guard.context.new_page()
    opened.set_content(saved)
    assert PAYLOAD in words(opened.locator("body").inner_text())
    assert h.inert(opened)
    opened.close()
    guard.assert_clean()  # the download opened offline, without a dialog

    # The journal on disk holds the answer.
    journals = [json.loads(p.read_text()) for p in lab.dirs["journal"].glob("*.json")]
    assert PAYLOAD in json.dumps(journals, ensure_ascii=False)

    # Reload the page (outputs are not saved), restart the kernel and run everything again.
    page.reload()
    h.current_panel(page).locator(".jp-Cell").first.wait_for()
    h.wait_kernel_idle(page)
    h.restart_and_run_all(page)
    box = page.locator(".kuril-respond").first
    assert box.locator("textarea").input_value() == PAYLOAD, "the answer was not restored"
    assert "Restored" in box.locator(".kuril-respond-status").inner_text()
    assert page.locator(".kuril-journal-start input[type=text]").first.input_value() == NAME
    assert h.inert(page)
    guard.assert_clean()


@pytest.mark.lesson(START)
def test_quiz_feedback_right_and_wrong(start_here):
    page, guard = start_here.page, start_here.guard
    ex, right, wrong = single_choice_exercise("00_start_here")
    feedback = answer(page, ex, wrong)
    feedback.locator(".kuril-wrong").wait_for()
    assert words(wrong["feedback"])[:60] in words(feedback.inner_text())
    feedback = answer(page, ex, right)
    feedback.locator(".kuril-correct").wait_for()
    if right.get("feedback"):
        assert words(right["feedback"])[:60] in words(feedback.inner_text())
    # the right answer is final: Check, just pressed, keeps the focus (enabled, dimmed)
    check = page.locator(".kuril-exercise").filter(has_text=words(ex["prompt"])).first.locator(
        "button.kuril-check")
    assert kept_the_focus_at_end(check, "Check"), "the focus left the Check button"
    guard.assert_clean()


@pytest.mark.lesson(START)
def test_hint_at_the_last_hint_keeps_the_focus(start_here):
    """The Hint button that shows the last hint keeps the focus: enabled, dimmed, and saying in
    its tooltip that all the hints are shown (disabled, it would drop the focus to the page)."""
    from helpers._quiz import bank as _exercises

    page, guard = start_here.page, start_here.guard
    reg = _exercises.registry()
    ex = next(reg.exercises[i] for i in reg.lessons["00_start_here"]
              if reg.exercises[i]["hints"] and not reg.exercises[i]["problems"])
    box = page.locator(".kuril-exercise").filter(has_text=words(ex["prompt"])).first
    hint = box.locator("button.kuril-hint")
    hint.scroll_into_view_if_needed()
    for _ in ex["hints"]:
        hint.click()
    assert kept_the_focus_at_end(hint, "Hint"), "the focus left the Hint button"
    assert float(hint.evaluate("b => getComputedStyle(b).opacity")) < 1, "not dimmed"
    assert "All the hints are shown" in (hint.get_attribute("title") or "")
    guard.assert_clean()


CAPSTONE = first_notebook_with("settlement.designer(")


@pytest.mark.lesson(CAPSTONE)
def test_the_designers_map_is_redrawn_in_place(lesson):
    """A choice in the designer redraws its map in place (helpers/_common/explorers.py): the
    same plot, now in the new colours, and no second plot beside it."""
    got = lesson(CAPSTONE)
    page, guard = got.page, got.guard
    designer = page.locator(".kuril-designer").first
    plot = designer.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    plot.evaluate("d => { d.__kuril_kept = true; }")
    before = h.figure_state(plot)
    menu = designer.locator(".kuril-island-card select").first
    options = menu.locator("option").all_inner_texts()
    chosen = menu.evaluate("s => s.selectedIndex")
    menu.select_option(label=options[(chosen + 1) % len(options)])
    after = wait_for(lambda: (s := h.figure_state(plot)) and h.changed(before, s, h.disputed_ids())
                     and s, what="the designer's map to change")
    assert plot.evaluate("d => d.__kuril_kept === true && d.isConnected"), "a new plot was drawn"
    assert designer.locator(".js-plotly-plot").count() == 1
    assert after["title"] == before["title"]
    menu.select_option(label=options[chosen])  # as it was, for the lesson's other tests
    wait_for(lambda: not h.changed(before, h.figure_state(plot), h.disputed_ids()),
             what="the designer's map to change back")
    guard.assert_clean()


@pytest.mark.lesson(CAPSTONE)
def test_previous_at_the_first_date_keeps_the_focus(lesson):
    """Previous back to the first turning point leaves the button focused, dimmed and enabled:
    a button disabled while focused drops the focus to the page (and a keyboard user with it)."""
    got = lesson(CAPSTONE)
    page, guard = got.page, got.guard
    prev = page.locator(".jupyter-button", has_text="◀ Previous").first
    nxt = page.locator(".jupyter-button", has_text="Next ▶").first
    prev.scroll_into_view_if_needed()
    heading = prev.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]//h3").first
    first = heading.inner_text()
    assert "kuril-at-end" in (prev.get_attribute("class") or "")
    nxt.click()
    wait_for(lambda: heading.inner_text() != first, what="the next turning point")
    wait_for(lambda: "kuril-at-end" not in (prev.get_attribute("class") or ""),
             what="Previous to be marked as having somewhere to go")
    prev.click()
    wait_for(lambda: heading.inner_text() == first, what="the first turning point again")
    assert kept_the_focus_at_end(prev, "Previous"), "the focus left the Previous button"
    assert float(prev.evaluate("b => getComputedStyle(b).opacity")) < 1, "not dimmed"
    guard.assert_clean()
