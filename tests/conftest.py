"""Shared test set-up: keep every test (and every notebook kernel nbval starts) away from the
learner's real home folder and from the network."""

import os
import shutil
import tempfile

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
