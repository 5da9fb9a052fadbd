"""What nbval's kernels published while they ran the lessons, kept for tests that check a lesson's
outputs as a learner gets them (tests/test_instructor_notes.py), so that a lesson is executed once
per pytest process for both, not once by nbval and again by the test.

``install()`` (called by tests/conftest.py) wraps nbval's ``IPyNbFile.get_kernel_message``, the one
place nbval reads its kernel's iopub channel, and ``cell_finished`` counts the cells that passed.
Every output message (display data, results, streams, errors) and every widget message
(``comm_open``, ``comm_msg``) is kept whatever cell it belongs to, so the record holds all that an
nbclient run saves in the notebook (cell outputs and the widget state, which is built from those
same comm messages) and more: outputs later cleared and every intermediate widget state too.
"""

import os
from pathlib import Path

import pytest

OUTPUTS = {"display_data", "execute_result", "update_display_data", "stream", "error"}
WIDGETS = {"comm_open", "comm_msg"}


class Run:
    def __init__(self, path, env):
        self.path = path
        self.env = env  # the variables the kernel inherited that change what a lesson shows
        self.outputs = []  # every output, as nbformat.v4.output_from_msg makes it
        self.widgets = []  # the content of every widget message
        self.passed = 0
        self.failed = False


_RUNS = {}  # resolved notebook path -> Run
ENV = ("KURIL_COURSE_FILE", "KURIL_DATA_DIR")


def install():
    """Record nbval's kernels (no-op without nbval). Returns a function that undoes it."""
    try:
        from nbformat.v4 import output_from_msg
        from nbval.plugin import IPyNbFile
    except ImportError:
        return lambda: None
    read, setup = IPyNbFile.get_kernel_message, IPyNbFile.setup

    def recording_setup(self):
        _RUNS[Path(str(self.fspath)).resolve()] = Run(
            Path(str(self.fspath)), {k: os.environ.get(k) for k in ENV})
        return setup(self)

    def recording_read(self, *args, **kwargs):
        msg = read(self, *args, **kwargs)
        run = _RUNS.get(Path(str(self.fspath)).resolve())
        kind = msg.get("msg_type")
        if run is not None and kind in OUTPUTS:  # as nbclient saves it in the notebook
            if kind == "update_display_data":  # nbclient puts it in place of the one it updates
                msg = {**msg, "header": {**msg["header"], "msg_type": "display_data"}}
            run.outputs.append(output_from_msg(msg))
        elif run is not None and kind in WIDGETS:
            run.widgets.append(msg["content"])
        return msg

    IPyNbFile.setup, IPyNbFile.get_kernel_message = recording_setup, recording_read

    def undo():
        IPyNbFile.setup, IPyNbFile.get_kernel_message = setup, read
    return undo


class Plugin:
    """Registered by tests/conftest.py as a plugin: a conftest's own hooks see only the items
    under its folder, and the lessons are in notebooks/."""

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        cell_finished(item, report)
        return report


def cell_finished(item, report):
    """Count a cell nbval ran: its call passed, or a set-up, call or tear-down did not (then the
    run is not used)."""
    parent = getattr(item, "parent", None)
    run = _RUNS.get(Path(str(getattr(parent, "fspath", ""))).resolve()) if parent else None
    if run is None:
        return
    if report.passed and report.when == "call":
        run.passed += 1
    elif not report.passed:
        run.failed = True


def complete(path, code_cells, env):
    """(outputs, widget messages) of nbval's run of ``path`` in this process, if it ran every
    one of its ``code_cells`` code cells without a failure, with the environment ``env``
    ({variable: value or None}); else None (then the caller runs the lesson itself)."""
    run = _RUNS.get(Path(path).resolve())
    if run is None or run.failed or run.passed != code_cells:
        return None
    if any(run.env.get(k) != v for k, v in env.items()):
        return None
    return list(run.outputs), list(run.widgets)
