"""Real-browser tests: one JupyterLab server and one Chromium for the whole session.

Chromium is Debian's (/usr/bin/chromium, or $KURIL_CHROMIUM). Without it the browser tests skip
with one line saying how to enable them, except under CI (CI=true), where they fail instead.
"""

import os
import shutil
from pathlib import Path

import _harness as h
import pytest

# Deliberately broken notebooks for test_browser_harness.py; nbval must not run them.
collect_ignore_glob = ["fixtures/*"]

ENABLE = ("to run them, install Chromium and CJK fonts (Debian/Ubuntu: "
          "sudo apt-get install chromium fonts-noto-cjk) or set KURIL_CHROMIUM=/path/to/chromium")


def chromium_path():
    """$KURIL_CHROMIUM if set (and only that), else Debian's /usr/bin/chromium or one on PATH."""
    chosen = os.environ.get("KURIL_CHROMIUM")
    candidates = [chosen] if chosen else ["/usr/bin/chromium", shutil.which("chromium"),
                                          shutil.which("chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _missing():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if chromium_path() is None:
        where = os.environ.get("KURIL_CHROMIUM") or "/usr/bin/chromium or on PATH"
        return f"no Chromium at {where}"
    return None


@pytest.fixture(scope="session")
def browser_available():
    """Skip (on a laptop) or fail (under CI), with one line for all, when the browser is missing.
    The servers and the browser depend on this, so it runs before any of them starts."""
    reason = _missing()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}; {ENABLE}", pytrace=False)
    if reason:
        pytest.skip(f"browser tests skipped: {reason}; {ENABLE}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed  # the guard then need not report twice
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and "browser tests skipped" in longrepr[2]:
        here = os.path.relpath(__file__, item.config.rootpath)
        report.longrepr = (here, 1, longrepr[2])  # one summary line for all, not one per test
    return report


@pytest.fixture(scope="session")
def lab(browser_available, tmp_path_factory):
    """JupyterLab serving the repository on 127.0.0.1 (random port, token), stopped at the end.
    Its config, runtime, home and journal folders are temporary; it cannot save files."""
    server = h.lab_server(tmp_path_factory.mktemp("lab"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=h.CHROMIUM_FLAGS,
                                      headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def guard(browser, request):
    """A fresh browser context whose requests, console, errors and dialogs are watched. The test
    fails if anything went wrong that the test itself did not check and clear."""
    context = h.new_context(browser)
    # a test module may say which server's known-benign messages apply (GUARD_SERVER = "voila")
    g = h.Guard(context, getattr(request.module, "GUARD_SERVER", "lab"))
    yield g
    problems = g.problems()
    context.close()
    if problems and not getattr(request.node, "browser_call_failed", False):
        pytest.fail("The browser saw problems:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def page(guard):
    return guard.context.new_page()


@pytest.fixture
def lab_page(lab, page, executed_lessons):
    """A page in the lab; kernels started by the test are shut down afterwards (and the lesson
    kept open for other tests is closed first: its kernel would be shut down anyway)."""
    executed_lessons.discard()
    yield page
    try:
        lab.shutdown_kernels()
    except OSError:
        pass


@pytest.fixture(scope="session")
def voila(browser_available, tmp_path_factory):
    """Voila serving notebooks/ on 127.0.0.1 (random port), with the same temporary folders."""
    server = h.voila_server(tmp_path_factory.mktemp("voila"), h.ROOT / "notebooks")
    server.start()
    yield server
    server.stop()


# ---------------------------------------------------------------- one run per lesson


@pytest.fixture(scope="session")
def executed_lessons(browser, lab):
    """The lesson page last run, kept for the next test of the same lesson (_harness.py)."""
    lessons = h.ExecutedLessons(browser, lab)
    yield lessons
    lessons.discard()


@pytest.fixture
def lesson(executed_lessons, request):
    """``lesson(path)``: the lesson at ``path`` (relative to the repository) open in JupyterLab
    after Run All at h.RUN_SIZE, as a Lesson (.page, .guard). The page is shared with the other
    tests of the same lesson (pytest_collection_modifyitems runs them one after another), so a
    lesson runs once, not once per test. The guard is the lesson's own: as with ``guard``, the
    test fails if the browser saw a problem the test did not clear; a lesson with a problem, or
    whose test failed, is closed, so the next test runs it again and sees for itself."""
    used = []

    def get(path):
        got = executed_lessons.get(path)
        used.append(got)
        return got

    yield get
    failed = getattr(request.node, "browser_call_failed", True)
    problems = [p for got in dict.fromkeys(used) for p in got.guard.problems()]
    if problems or failed:
        executed_lessons.discard()
    if problems and not failed:
        pytest.fail("The browser saw problems:\n  " + "\n  ".join(problems), pytrace=False)


def lesson_of(item):
    """The lesson a test shares through the ``lesson`` fixture (its ``notebook`` parameter, or
    the path in its ``pytest.mark.lesson``), or None."""
    if "lesson" not in getattr(item, "fixturenames", ()):
        return None
    marker = item.get_closest_marker("lesson")
    callspec = getattr(item, "callspec", None)
    if marker:
        path = marker.args[0]
    elif callspec and "notebook" in callspec.params:
        path = callspec.params["notebook"]
    else:
        return None
    return (h.ROOT / path).relative_to(h.ROOT).as_posix()


# Within one lesson's tests: the layout test first (it reports the page as Run All left it),
# then axe (light, then dark), then the learner's clicks, which change the page.
LESSON_RANK = {"test_browser_notebooks.py": 0, "test_browser_a11y.py": 1}


def pytest_configure(config):
    config.addinivalue_line("markers", "lesson(path): the lesson page a test shares (conftest)")


def pytest_generate_tests(metafunc):
    """A test marked ``lesson(path)`` gets the lesson's name in its id (``[00_start_here]``), as
    the tests parametrized by lesson have: under pytest-xdist, tests/conftest.py hands out all
    the tests of a lesson together (one run of it) by that name."""
    marker = metafunc.definition.get_closest_marker("lesson")
    if marker and "lesson" in metafunc.fixturenames:
        metafunc.parametrize("lesson", [marker.args[0]], indirect=True,
                             ids=[Path(marker.args[0]).stem])


def pytest_collection_modifyitems(session, config, items):
    """Put the browser tests of one lesson together, where the first of them was, so that each
    lesson runs once (the ``lesson`` fixture). Other tests keep their order."""
    browser = [(n, it) for n, it in enumerate(items)
               if str(it.nodeid).startswith("tests/browser/")]
    if not browser:
        return
    first = {}
    keys = {}
    for n, it in browser:
        path = lesson_of(it)
        if path is None:
            keys[n] = (n, 0, 0)
        else:
            first.setdefault(path, n)
            keys[n] = (first[path], 1 + LESSON_RANK.get(it.path.name, 9), n)
    ordered = [it for _, it in sorted(browser, key=lambda pair: keys[pair[0]])]
    for (n, _), it in zip(browser, ordered, strict=True):
        items[n] = it
