"""The start-here notebook and the capstone as Voila apps: maps drawn, widgets answer."""

import _harness as h
import pytest
from test_browser_learner import (CAN_STOP_KERNELS, VOILA_KERNEL_ID, expected_fills,
                                  kernel_stopped, painted, wait_for)

GUARD_SERVER = "voila"
CAPSTONE = h.ROOT / "notebooks" / "05_design_a_settlement.ipynb"


def assert_no_instructor_note(page):
    """The app shows learners no instructor note (course.yml as shipped: instructor_notes false)."""
    from test_instructor_notes import all_notes, leaked, plain

    text = plain(page.inner_text("body"))
    assert "Instructor notes." not in text and not leaked(all_notes(), text)
    assert page.locator(".kuril-instructor-note").count() == 0


def assert_no_notebook_only_text(page):
    """The app has no cells to run: the "How to use this notebook" cell (tagged notebook-only,
    see tests/test_lesson_skeleton.py) is not on the page, nor any word of Shift + Enter."""
    text = page.inner_text("body")
    assert "Shift" not in text and "How to use this notebook" not in text, \
        "the app tells its users to run cells"


@pytest.fixture(scope="module")
def start_here_app(browser, voila):
    """Start-here rendered by Voila once for the tests that visit it (a render is 5-7 s): the
    first visitor's page, with its guard, closed after the module."""
    context = h.new_context(browser)
    page = context.new_page()
    h.open_voila(page, voila, "00_start_here.ipynb")
    yield page, h.Guard(context, GUARD_SERVER)
    context.close()


@pytest.fixture
def start_here(start_here_app, request):
    """The shared start-here page: as with ``guard``, the test fails if the browser saw a problem
    the test did not check and clear; the guard is cleared for the next test."""
    yield start_here_app
    guard = start_here_app[1]
    problems = guard.problems()
    guard.clear()
    if problems and not getattr(request.node, "browser_call_failed", False):
        pytest.fail("The browser saw problems:\n  " + "\n  ".join(problems), pytrace=False)


def test_start_here_in_voila(start_here):
    page, guard = start_here
    cells = h.assert_renders(page, "00_start_here in Voila", "body")
    assert sum(len(c["plots"]) for c in cells) >= 1, "Voila drew no figure"
    assert_no_instructor_note(page)
    assert_no_notebook_only_text(page)
    h.screenshots(page, "voila-00_start_here", "body")

    # The map explorer answers its year slider and naming buttons (in the figure).
    from test_browser_learner import step_years

    from helpers import names

    explorer = page.locator(".kuril-map-explorer").first
    plot = explorer.locator(".js-plotly-plot").first
    before = h.figure_state(plot)
    years = step_years()
    h.slider_step(plot, len(years) - 1)
    year = years[-1]
    after = wait_for(lambda: (s := h.figure_state(plot)) and year in s["title"] and s,
                     what=f"the Voila map to redraw for {year}")
    want = expected_fills(year)
    assert {k: painted(v) for k, v in after["fills"].items() if k in want} == want
    assert h.changed(before, after, h.disputed_ids())
    plot.locator(".updatemenu-button", has_text="Russian usage").click()
    russian = [names.island_name(i, "russian") for i in h.disputed_ids()]
    wait_for(lambda: all(n in h.figure_state(plot)["texts"] for n in russian),
             what="Russian labels in Voila")

    # The course's naming switch and the explorer's year menu change the map in Voila too, in
    # the browser (the relay, helpers/_common/relay.py): with the kernel stopped.
    if CAN_STOP_KERNELS:
        toggle = page.locator(".widget-toggle-button", has_text="Japanese usage").first
        toggle.scroll_into_view_if_needed()
        japanese = [names.island_name(i, "japanese") for i in h.disputed_ids()]
        with kernel_stopped(page, VOILA_KERNEL_ID):
            toggle.click()
            wait_for(lambda: all(n in h.figure_state(plot)["texts"] for n in japanese),
                     timeout=5, what="Japanese names while the Voila kernel is stopped")
            explorer.locator("select").first.select_option(label=years[1])
            wait_for(lambda: years[1] in h.figure_state(plot)["title"], timeout=5,
                     what=f"the Voila map to show {years[1]} while its kernel is stopped")
    guard.assert_clean()


def test_capstone_in_voila(voila, page, guard):
    if not CAPSTONE.exists():
        pytest.skip("notebooks/05_design_a_settlement.ipynb does not exist yet")
    from helpers import settlement

    h.open_voila(page, voila, CAPSTONE.name)
    cells = h.assert_renders(page, "05_design_a_settlement in Voila", "body")
    assert sum(len(c["plots"]) for c in cells) >= 1, "Voila drew no figure"
    assert_no_instructor_note(page)
    assert_no_notebook_only_text(page)
    h.screenshots(page, "voila-05_design_a_settlement", "body")

    # The settlement designer answers: load a proposal, and its map takes that proposal's colours.
    designer = page.locator(".kuril-designer").first
    proposals = {r["id"]: {"id": r["id"], "title": r["proposal"]}
                 for r in settlement.proposals().to_dict("records")}
    chosen = proposals.get("four-islands") or next(iter(proposals.values()))
    plot = designer.locator(".js-plotly-plot").first
    before = h.figure_state(plot)
    designer.locator("select").first.select_option(label=chosen["title"])
    designer.locator("button", has_text="Load").click()
    fig = settlement.design_map(settlement.proposal_design(chosen["id"]))
    from test_browser_learner import rgb

    want = {t.meta: rgb(t.fillcolor) for t in fig.data if t.meta in h.disputed_ids()}
    after = wait_for(lambda: (s := h.figure_state(plot)) and
                     {k: painted(v) for k, v in s["fills"].items() if k in want} == want and s,
                     what=f"the designer's map to show {chosen['id']}")
    if want != {k: painted(v) for k, v in before["fills"].items() if k in want}:
        assert h.changed(before, after, h.disputed_ids())
    guard.assert_clean()


def test_two_app_pages_with_the_same_name_keep_their_answers_apart(voila, start_here, guard):
    """Two visitors of the app type the same name: neither sees the other's answer, and each
    page's answers are in a journal of its own (app-sessions/), none keyed by the name. The
    first visitor is the page the other tests of start-here used (the map explored, no name
    given); the second opens the app afresh."""
    import json

    from test_browser_learner import answer, single_choice_exercise, wait_for, words

    from helpers._journal import book

    name = "Aiko Same-Name"
    ex, right, wrong = single_choice_exercise("00_start_here")
    sessions = voila.dirs["journal"] / book.APP_SESSIONS
    before = set(sessions.glob("*.json"))

    def visit(choice, expect, page=None):
        if page is None:
            page = guard.context.new_page()
            h.open_voila(page, voila, "00_start_here.ipynb")
        start = page.locator(".kuril-journal-start").first
        field = start.locator("input[type=text]")
        assert field.input_value() == "", "the app offered another visitor's name"
        field.fill(name)
        field.press("Enter")
        status = start.locator(".kuril-journal-status")
        wait_for(lambda: "Now saving as" in status.inner_text(), what="the name to be taken")
        assert "Restored" not in status.inner_text() and "own journal" in status.inner_text()
        box = page.locator(".kuril-exercise").filter(has_text=words(ex["prompt"])).first
        assert "last saved answer" not in box.inner_text()
        assert box.locator("input[type=radio]:checked").count() == 0
        answer(page, ex, choice).locator(expect).wait_for()
        return page

    visit(right, ".kuril-correct", page=start_here[0])
    visit(wrong, ".kuril-wrong")
    new = wait_for(lambda: (found := set(sessions.glob("*.json")) - before) and
                   len(found) == 2 and found, what="two page journals")
    saved = sorted(json.loads(p.read_text(encoding="utf-8"))["latest"][ex["id"]]["answer"]
                   for p in new)
    assert saved == sorted([right["text"], wrong["text"]])
    assert {json.loads(p.read_text(encoding="utf-8"))["learner"] for p in new} == {name}
    assert not list(voila.dirs["journal"].glob("aiko*.json"))
    guard.assert_clean()
    start_here[1].assert_clean()
