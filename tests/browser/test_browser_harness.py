"""Does the harness catch what it is for? Each test runs a deliberately broken notebook from
tests/browser/fixtures/ through the same steps and checks as the real lessons, and asserts that
the harness reports the fault (and names it)."""

import _harness as h
import pytest

FIXTURES = "tests/browser/fixtures"


@pytest.fixture(scope="module")
def shared(browser, lab, executed_lessons):
    """One page for the broken notebooks, each opened in it after the last (as the lessons are):
    loading JupyterLab once, not once a notebook. That is the page the last lesson ran in, when
    there is one (its JupyterLab is loaded already); the page is closed afterwards."""
    taken = executed_lessons.take()
    if taken:
        page, guard = taken
    else:
        context = h.new_context(browser)
        page, guard = context.new_page(), h.Guard(context, "lab")
    yield {"page": page, "guard": guard, "opened": bool(taken)}
    guard.context.close()
    lab.shutdown_kernels()


@pytest.fixture
def lab_page(shared):
    return shared["page"]


@pytest.fixture
def guard(shared, request):
    """The shared page's guard: as with the usual one, the test fails if the browser saw a
    problem the test did not check and clear (and it is cleared for the next test)."""
    g = shared["guard"]
    yield g
    problems = g.problems()
    g.clear()
    if problems and not getattr(request.node, "browser_call_failed", False):
        pytest.fail("The browser saw problems:\n  " + "\n  ".join(problems), pytrace=False)


def run_fixture(lab, page, shared, name):
    path = f"{FIXTURES}/{name}"
    if shared["opened"]:
        h.switch_notebook(page, lab, path)
    else:
        h.open_notebook(page, lab, path)
        shared["opened"] = True
    h.run_all(page)
    return h.output_problems(h.report(page), name)


def test_a_blank_map_is_flagged(lab, lab_page, shared, guard):
    """Is a map whose disputed islands drew nothing, and an empty figure, reported?"""
    found = "\n".join(run_fixture(lab, lab_page, shared, "blank_map.ipynb"))
    assert "is a map without these disputed islands drawn: " + ", ".join(h.disputed_ids()) \
        in found, found
    assert "figure 'empty' is blank" in found, found


def test_broken_widgets_are_flagged(lab, lab_page, shared, guard):
    """Are a widget that cannot load, one shown as plain text and one never arriving reported?"""
    found = run_fixture(lab, lab_page, shared, "broken_widgets.ipynb")
    text = "\n".join(found)
    assert any("cell 1" in p and ("did not render" in p or "widget error" in p)
               for p in found), text
    assert "a widget is shown as plain text" in text, text
    assert any("cell 3" in p and ("did not render" in p or "rendered nothing" in p)
               for p in found), text
    # and the browser console error that goes with it would fail a lesson test on its own
    assert any("kuril-no-such-module" in c for c in guard.console), guard.problems()
    guard.console.clear()
    guard.page_errors.clear()


def test_an_error_and_the_cells_it_skipped_are_flagged(lab, lab_page, shared, guard):
    """Is an error output reported, and are the cells Run All never reached counted?"""
    found = run_fixture(lab, lab_page, shared, "error_cell.ipynb")
    found += h.run_state_problems(lab_page, "error_cell.ipynb")
    text = "\n".join(found)
    assert "error output" in text and "deliberately broken cell" in text, text
    assert "1 code cell(s) did not run" in text, (text, h.run_state(lab_page)["prompts"])


def test_a_request_leaving_the_machine_is_blocked_and_flagged(lab, lab_page, shared, guard):
    """Is a request to the internet aborted and reported, with its address?"""
    run_fixture(lab, lab_page, shared, "phones_home.ipynb")
    lab_page.wait_for_timeout(500)
    assert "https://example.org/kuril-test-pixel.png" in guard.offhost
    assert any("request left the machine: https://example.org/" in p for p in guard.problems())
    guard.clear()


def test_learner_text_that_executes_is_flagged(lab, lab_page, shared, guard):
    """Is learner text that becomes live HTML caught, by the same steps the lesson test uses?"""
    found = run_fixture(lab, lab_page, shared, "unsafe_echo.ipynb")
    assert not found, found  # the box itself renders fine: only typing into it shows the bug
    h.write_response(lab_page, h.XSS)
    assert not h.inert(lab_page), "the injected <img> should be in the page"
    assert any(d.startswith("alert: 1") for d in guard.dialogs), guard.problems()
    guard.clear()


def test_inert_tells_a_data_block_from_a_script(page, guard):
    """A hand-in keeps the learner's text in a JSON data block, which never runs: that is inert;
    the same text in a script that could run is not."""
    data = '<script type="application/json" id="d">{"a": "\\u003cscript\\u003ealert(1)"}</script>'
    page.set_content(f"<p>text</p>{data}")
    assert h.inert(page)
    page.set_content("<script>window.x = 'alert(1)';</script>")
    assert not h.inert(page)
    guard.assert_clean()


def test_a_jupyterlab_version_mismatch_is_flagged(page, guard):
    """Is webpack's warning that an extension wants another JupyterLab (as Voila 0.5.9+ and newer
    widget extensions log against Voila's 4.2.5) reported, and an ordinary warning not?"""
    page.set_content("<script>"
                     "console.warn('Unsatisfied version 4.2.5 from _JUPYTERLAB.CORE_OUTPUT of "
                     "shared singleton module @jupyterlab/services (required ^7.6.2)');"
                     "console.warn('No satisfying version (^4.6.2) of shared module "
                     "@jupyterlab/outputarea found in shared scope default.');"
                     "console.warn('an ordinary warning');</script>")
    page.wait_for_timeout(200)
    assert len(guard.console) == 2 and all("@jupyterlab/" in c for c in guard.console), \
        guard.problems()
    guard.clear()
