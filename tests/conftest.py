"""Shared test set-up: keep every test (and every notebook kernel nbval starts) away from the
learner's real home folder and from the network."""

import os
import tempfile

import pytest

# Set before any kernel starts: nbval's kernels inherit this environment.
_JOURNALS = tempfile.mkdtemp(prefix="kuril-journal-tests-")
os.environ.setdefault("KURIL_JOURNAL_DIR", _JOURNALS)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/ that the loaders read instead of the real one."""
    import shutil

    from helpers import data

    dest = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, dest, ignore=shutil.ignore_patterns("geo", "exercises"))
    monkeypatch.setattr(data, "DATA_DIR", dest)
    data.reload()
    yield dest
    data.reload()
