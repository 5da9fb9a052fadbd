"""Shared test set-up: keep every test (and every notebook kernel nbval starts) away from the
learner's real home folder and from the network."""

import os
import re
import shutil
import tempfile
import time

import lesson_runs
import pytest
from fixture_tools import FIXTURE_COURSE, FIXTURE_DATA

from helpers import data

# Set before any kernel starts: nbval's kernels inherit this environment.
_JOURNALS = tempfile.mkdtemp(prefix="kuril-journal-tests-")
os.environ.setdefault("KURIL_JOURNAL_DIR", _JOURNALS)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/ that the loaders read instead of the real one."""
    dest = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, dest, ignore=shutil.ignore_patterns("geo", "exercises"))
    monkeypatch.setattr(data, "DATA_DIR", dest)
    data.reload()
    yield dest
    data.reload()


@pytest.fixture
def fixture_data(tmp_path, monkeypatch):
    """A writable copy of the tiny test dataset that the loaders read instead of data/."""
    dest = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, dest)
    monkeypatch.setattr(data, "DATA_DIR", dest)
    data.reload()
    yield dest
    data.reload()


@pytest.fixture
def course_root(tmp_path, monkeypatch):
    """A writable copy of the fixture course (tests/fixtures/course): its course.yml and data/
    are the ones the helpers read."""
    dest = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, dest)
    monkeypatch.setenv("KURIL_COURSE_FILE", str(dest / "course.yml"))
    monkeypatch.setattr(data, "DATA_DIR", dest / "data")
    data.reload()
    yield dest
    data.reload()


# ---------------------------------------------------------------- where the suite's time goes

_TIMES = {"start": None, "collected": None, "parts": {}, "workers": {}}


def _part(item_or_report):
    """The part of the suite a test belongs to: browser, notebooks (nbval), slow, unit."""
    path = str(item_or_report.nodeid).split("::")[0]
    if path.startswith("tests/browser/"):
        return "browser"
    if path.endswith(".ipynb"):
        return "notebooks (nbval)"
    if "slow" in getattr(item_or_report, "keywords", {}):
        return "slow (servers, Binder)"
    return "unit"


def pytest_sessionstart(session):
    _TIMES["start"] = time.perf_counter()


def pytest_collection_finish(session):
    _TIMES["collected"] = time.perf_counter()


def pytest_runtest_logreport(report):
    part = _TIMES["parts"].setdefault(_part(report), {"setup": 0.0, "call": 0.0,
                                                      "teardown": 0.0, "tests": 0})
    part[report.when] += report.duration
    part["tests"] += report.when == "call" or (report.when == "setup" and report.skipped)
    worker = getattr(report, "worker_id", None) or getattr(
        getattr(getattr(report, "node", None), "gateway", None), "id", None)
    if worker:  # under pytest-xdist: how long each worker was busy
        _TIMES["workers"][worker] = _TIMES["workers"].get(worker, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    """One line saying how the run's time split (collection, then each part: its tests' set-up,
    calls and tear-down); BENCHMARKS.md quotes it. Nothing is asserted on it."""
    if _TIMES["start"] is None or not _TIMES["parts"]:
        return
    wall = time.perf_counter() - _TIMES["start"]
    collect = (_TIMES["collected"] or _TIMES["start"]) - _TIMES["start"]
    parts = [f"{name} {sum(v for k, v in t.items() if k != 'tests'):.0f} s ({t['tests']} tests; "
             f"set-up {t['setup']:.0f} s)" for name, t in sorted(_TIMES["parts"].items())]
    workers = [f"{w} {t:.0f} s" for w, t in sorted(_TIMES["workers"].items())]
    terminalreporter.write_line(f"time: {wall:.0f} s in all; collection {collect:.0f} s; "
                                + "; ".join(parts)
                                + (f"; busy: {', '.join(workers)}" if workers else ""))


# ---------------------------------------------------------------- nbval's runs of the lessons


def pytest_configure(config):
    """Keep what nbval's kernels publish (tests/lesson_runs.py): test_instructor_notes.py reads
    the lessons' outputs from nbval's run instead of running each lesson again. (A plugin, not
    this file's hooks: those see only the items under tests/, and the lessons are not.)"""
    config.add_cleanup(lesson_runs.install())
    config.pluginmanager.register(lesson_runs.Plugin(), "kuril-lesson-runs")


# ---------------------------------------------------------------- naming listeners


def _keep_naming_listeners():
    """Put ``names``' list of naming callbacks back as it was: every explorer a test builds
    registers one, and left there it would redraw on every later naming switch of the session
    (the suite's slowest tests were redrawing hundreds of explorers of earlier tests)."""
    from helpers import names

    saved = list(names._callbacks)
    yield
    names._callbacks[:] = saved


keep_naming_listeners_per_module = pytest.fixture(scope="module", autouse=True)(
    _keep_naming_listeners)
keep_naming_listeners_per_test = pytest.fixture(autouse=True)(_keep_naming_listeners)


# ---------------------------------------------------------------- parallel runs (pytest-xdist)


def pytest_xdist_make_scheduler(config, log):
    """Under ``pytest -n 2`` (what ``python3 run.py test`` runs when pytest-xdist is installed),
    whatever ``--dist`` says: the browser tests of one lesson on one worker, one after another
    (they share one run of the lesson in JupyterLab), each other file's tests on one worker
    (nbval runs a notebook's cells in order in one kernel; a module's fixtures are built once),
    and the instructor-notes check of what learners see with its lesson's nbval cells (_scope).
    Each worker that runs browser tests starts its own JupyterLab and Chromium (and Voila, if it
    runs those tests). Units go to whichever worker is free, in collection order: the lessons'
    browser tests first (the longest part), on both workers. (pytest-xdist's ``--dist
    loadgroup`` cannot be used for this: with pytest 9 its group tag on the node id has no
    effect. Splitting the browser tests by *file* over both workers was slower: each lesson then
    ran on both.)"""
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return _scope(nodeid)

    # Hand the files out in collection order (pytest_collection_modifyitems below), not
    # xdist's default of the files with most tests first: that put the browser tests, the
    # longest part, 21st, after a minute of unit tests on both workers.
    config.option.loadscopereorder = False
    return BrowserTestsTogether(config, log)


# test_instructor_notes.py's check of what learners see in an executed lesson reads nbval's run of
# that lesson (tests/lesson_runs.py): it goes with the lesson's cells, after them.
LEARNER_VIEW = "tests/test_instructor_notes.py::test_an_executed_lesson_shows_learners_no_note["


# A browser test of one lesson names it last in its id: [00_start_here], [dark-00_start_here]
# (tests/browser/conftest.py gives the tests marked ``lesson(path)`` that id too).
BROWSER_LESSON = re.compile(r"\[(?:[^\]]*-)?(\d\d_[^\]\-]+)\]$")


def _scope(nodeid):
    """What one worker runs together: the browser tests of one lesson (they share its page, so
    it runs once), one file, or a lesson's nbval cells and the instructor-notes check of what
    learners see in it."""
    nodeid = str(nodeid)
    if nodeid.startswith(LEARNER_VIEW):
        return f"notebooks/{nodeid[len(LEARNER_VIEW):-1]}.ipynb"
    path = nodeid.split("::", 1)[0]
    lesson = BROWSER_LESSON.search(nodeid) if path.startswith("tests/browser/") else None
    return f"tests/browser/{lesson[1]}" if lesson else path


def _is_lesson_or_test(nodeid):
    from helpers.course import is_scratch

    path = str(nodeid).split("::", 1)[0]
    return not (path.endswith(".ipynb") and is_scratch(path))


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has put each lesson's together
def pytest_collection_modifyitems(session, config, items):
    """The order the scheduler hands units out in (and one process runs them in): the browser
    tests of each lesson first (the longest part: both workers start on them at once), then the
    other browser files, the files with slow tests (servers, Binder, the 200-mutation
    invariant), the notebooks (nbval, each with its instructor-notes check after its cells),
    then the other files, those with most tests first, so that the last files taken are short
    and both workers finish together. A file's own order is kept. A copy of a lesson JupyterLab
    made (``01_shimoda_to_yalta-Copy1.ipynb``) matches the notebooks' pattern but is not a
    lesson: its cells are deselected."""
    copies = [i for i in items if not _is_lesson_or_test(i.nodeid)]
    if copies:
        config.hook.pytest_deselected(items=copies)
        items[:] = [i for i in items if _is_lesson_or_test(i.nodeid)]
    files = {}
    for item in items:
        files.setdefault(_scope(item.nodeid), []).append(item)

    def rank(scope):
        tests = files[scope]
        if scope.startswith("tests/browser/"):  # a lesson's tests (in order), then the others
            return (0, 0) if not scope.endswith(".py") else (1, -len(tests))
        if scope.endswith(".ipynb"):
            return (3, -len(tests))
        return (2 if any(t.get_closest_marker("slow") for t in tests) else 4, -len(tests))

    def own_first(item):  # a lesson's cells before the test that reads their run
        return not str(item.nodeid).startswith(_scope(item.nodeid))

    items[:] = [item for scope in sorted(files, key=rank)
                for item in sorted(files[scope], key=own_first)]
