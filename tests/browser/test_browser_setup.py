"""run.py installs the browser for CI, and only there (no browser is started here)."""

import importlib.util

import _harness as h
import pytest


@pytest.fixture
def run_py(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("kuril_run", h.ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls = []
    monkeypatch.setattr(module.subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    monkeypatch.setattr(module.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(module.os, "geteuid", lambda: 0)
    present = tmp_path / "present"
    present.touch()
    monkeypatch.setattr(module, "BROWSER_PACKAGES", {"chromium": str(tmp_path / "absent"),
                                                     "fonts-noto-cjk": str(present)})
    module.calls = calls
    return module


def test_ci_installs_only_what_is_missing_after_an_update(run_py, monkeypatch):
    monkeypatch.setenv("CI", "true")
    run_py.browser_for_ci()
    assert run_py.calls[0][:2] == ["apt-get", "update"]
    assert run_py.calls[1][:2] == ["apt-get", "install"] and run_py.calls[1][-1] == "chromium"
    assert "fonts-noto-cjk" not in run_py.calls[1]


def test_ci_uses_sudo_when_not_root(run_py, monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(run_py.os, "geteuid", lambda: 1000)
    run_py.browser_for_ci()
    assert all(cmd[:2] == ["sudo", "-n"] for cmd in run_py.calls) and run_py.calls


@pytest.mark.parametrize("ci, apt", [(None, True), ("false", True), ("true", False)])
def test_nothing_is_installed_outside_ci_or_without_apt(run_py, monkeypatch, ci, apt):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    if not apt:
        monkeypatch.setattr(run_py.shutil, "which", lambda name: None)
    run_py.browser_for_ci()
    assert run_py.calls == []
