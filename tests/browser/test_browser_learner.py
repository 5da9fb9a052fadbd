"""What a learner does in JupyterLab: move a year slider, switch the naming, answer a question
right and wrong, write an answer that contains HTML, reload, restart, download their work.

Expected values come from the course's own data and helpers, never from copies in this file.
"""

import html
import json
import re
import time

import _harness as h
import pytest

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
        time.sleep(0.25)


def first_notebook_with(text):
    for path in sorted((h.ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):  # not scratch files
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if any(text in "".join(c["source"]) for c in cells if c["cell_type"] == "code"):
            return path.relative_to(h.ROOT).as_posix()
    pytest.fail(f"no notebook calls {text}")


@pytest.fixture
def start_here(lab, lab_page):
    h.open_notebook(lab_page, lab, START)
    h.run_all(lab_page)
    return lab_page


def test_year_slider_and_naming_redraw_the_map(start_here, guard):
    page = start_here
    cell = h.cell_by_source(page, "maps.explorer()")
    plot = cell.locator(".js-plotly-plot")
    menu = cell.locator("select")
    shown = "s => s.options[s.selectedIndex].text"
    first_year = menu.evaluate(shown).strip()
    before = h.figure_state(plot)
    assert {k: painted(v) for k, v in before["fills"].items() if k in expected_fills(first_year)} \
        == expected_fills(first_year), "the map's colours differ from sovereignty_map()"

    # The year menu, set to its last year as a learner would pick it.
    menu.select_option(label=menu.evaluate("s => s.options[s.options.length - 1].text"))
    last_year = wait_for(lambda: (y := menu.evaluate(shown).strip()) != first_year and y,
                         what="the year menu to change")
    after = wait_for(lambda: (s := h.figure_state(plot)) and last_year in s["title"] and s,
                     what=f"the map to redraw for {last_year}")
    want = expected_fills(last_year)
    assert {k: painted(v) for k, v in after["fills"].items() if k in want} == want
    assert h.changed(before, after, h.disputed_ids()), (
        f"moving the slider from {first_year} to {last_year} changed no island's colour")

    # The naming switch: labels follow each side's usage, and the other toggle follows along.
    from helpers import names

    cell.locator(".widget-toggle-button", has_text="Russian usage").click()
    russian = [names.island_name(i, "russian") for i in h.disputed_ids()]
    japanese_only = [names.island_name(i, "japanese") for i in h.disputed_ids()
                     if names.island_name(i, "japanese") != names.island_name(i, "russian")]
    labels = wait_for(lambda: (t := h.figure_state(plot)["texts"])
                      and all(n in t for n in russian) and t, what="Russian labels")
    assert not [n for n in japanese_only if any(n in t for t in labels)], labels
    other = h.cell_by_source(page, "names.naming_toggle()")
    wait_for(lambda: "mod-active" in (other.locator(".widget-toggle-button",
                                                     has_text="Russian usage")
                                      .get_attribute("class") or ""),
             what="the other naming toggle to follow")
    cell.locator(".widget-toggle-button", has_text="Both").click()
    both = [names.island_name(i, "both") for i in h.disputed_ids()]
    wait_for(lambda: all(n in h.figure_state(plot)["texts"] for n in both),
             what="labels in both usages")
    guard.assert_clean()


def test_built_in_year_slider_recolours_the_islands(lab, lab_page, guard):
    page = lab_page
    h.open_notebook(page, lab, first_notebook_with("maps.sovereignty_timeline_map()"))
    h.run_all(page)
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


def test_quiz_feedback_right_and_wrong(start_here, guard):
    ex, right, wrong = single_choice_exercise("00_start_here")
    feedback = answer(start_here, ex, wrong)
    feedback.locator(".kuril-wrong").wait_for()
    assert words(wrong["feedback"])[:60] in words(feedback.inner_text())
    feedback = answer(start_here, ex, right)
    feedback.locator(".kuril-correct").wait_for()
    if right.get("feedback"):
        assert words(right["feedback"])[:60] in words(feedback.inner_text())
    guard.assert_clean()


def test_answers_are_text_survive_reload_and_restart_and_download(lab, start_here, guard):
    page = start_here
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
