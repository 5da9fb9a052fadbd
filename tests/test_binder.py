"""Binder: repo2docker's dry run builds binder/environment.yml before it copies the repository and
starts the server through binder/start; the pinned environment has Voila's server extension, and a
server started the way Binder starts it renders the capstone as an app with the course's offline
template and asks learners no news question.

repo2docker comes with `python3 run.py test`; without it (e.g. after `run.py test --fast`) the dry
run skips with one line, except under CI (CI=true), where it fails."""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CAPSTONE = "notebooks/05_design_a_settlement.ipynb"
pytestmark = pytest.mark.slow


def _repo2docker():
    exe = Path(sys.executable).with_name("jupyter-repo2docker")
    found = str(exe) if exe.exists() else shutil.which("jupyter-repo2docker")
    if found:
        return found
    why = "jupyter-repo2docker is not installed (python3 run.py test installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"Binder's dry run cannot run under CI: {why}", pytrace=False)
    pytest.skip(f"Binder dry run skipped: {why}")


@pytest.fixture(scope="module")
def dockerfile():
    run = subprocess.run([_repo2docker(), "--no-build", "--debug", str(ROOT)],
                         capture_output=True, text=True, timeout=120)
    return run.stdout + run.stderr


def test_environment_is_installed_before_the_repository_is_copied(dockerfile):
    assert "Building conda environment" in dockerfile
    lines = dockerfile.splitlines()
    env_copy = next(i for i, line in enumerate(lines)
                    if line.startswith("COPY") and "src/binder/environment.yml" in line)
    env_install = next(i for i, line in enumerate(lines)
                       if "env update" in line and "environment.yml" in line)
    repo_copy = next(i for i, line in enumerate(lines)
                     if line.startswith("COPY") and "src/ ${REPO_DIR}/" in line)
    assert env_copy < env_install < repo_copy
    # binder/ wins over the top-level files: the conda users' environment.yml is not built
    assert not any(line.startswith("COPY") and "src/environment.yml" in line for line in lines)


def test_binder_uses_the_start_script(dockerfile):
    assert 'R2D_ENTRYPOINT="${REPO_DIR}/binder/start"' in dockerfile


def _jupyter(*args, env=None):
    exe = Path(sys.executable).with_name("jupyter")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120, env=env)


def test_voila_server_extension_is_enabled():
    """`?urlpath=voila/render/...` needs Voila's server extension in Binder's server; the pinned
    environment (this .venv) enables it when Voila is installed, with no extra step."""
    run = _jupyter("server", "extension", "list")
    lines = [line for line in (run.stdout + run.stderr).splitlines() if "voila" in line]
    assert any("enabled" in line for line in lines), run.stdout + run.stderr
    assert any("OK" in line for line in lines), run.stdout + run.stderr


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def binder_server(tmp_path_factory):
    """JupyterLab started through binder/start as on Binder (REPO_DIR = this repository), on
    127.0.0.1 with a token; user config, data, runtime, home and journals are temporary."""
    if shutil.which("bash") is None:
        pytest.skip("binder/start is a bash script")
    tmp = tmp_path_factory.mktemp("binder")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.pop("PYTHONPATH", None)
    for name in ("home", "config", "data", "runtime", "journal"):
        (tmp / name).mkdir()
    env.update(REPO_DIR=str(ROOT), HOME=str(tmp / "home"), JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_DATA_DIR=str(tmp / "data"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               KURIL_JOURNAL_DIR=str(tmp / "journal"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]))
    port, token = _free_port(), secrets.token_hex(16)
    cmd = ["bash", str(ROOT / "binder" / "start"), sys.executable, "-m", "jupyterlab",
           "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def get(path, timeout=30):
        sep = "&" if "?" in path else "?"
        with urllib.request.urlopen(f"{base}{path}{sep}token={token}", timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")

    deadline = time.monotonic() + 120
    while True:
        try:
            get("/api/status", timeout=5)
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.close()
                log_text = (tmp / "server.log").read_text()[-3000:]
                pytest.fail(f"the server did not start:\n{log_text}")
            time.sleep(0.5)
    try:
        yield get
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()


def test_binder_server_renders_the_capstone_as_an_app_offline(binder_server):
    """What the README's app badge opens: /voila/render/<capstone>, with the course's offline
    template (Voila's own `lab` template links Font Awesome from a CDN) and every cell run."""
    status, page = binder_server(f"/voila/render/{CAPSTONE}", timeout=300)
    assert status == 200
    assert "cdn.jsdelivr.net" not in page and "https://" not in _links(page), _links(page)
    outputs = _outputs(page)
    assert outputs, "Voila rendered no cell output"
    errors = [o for o in outputs if o.get("output_type") == "error" or
              "Traceback" in json.dumps(o)]
    assert not errors, errors[:2]
    assert "There was an error when executing cell" not in page


def _links(page):
    """The href/src attributes of <link> and <script> tags."""
    return " ".join(re.findall(r"<(?:link|script)\b[^>]*\b(?:href|src)=\"([^\"]*)\"", page))


def _outputs(page):
    blobs = re.findall(
        r'<script type="application/vnd\.voila\.cell-output\+json">(.*?)</script>', page, re.S)
    return [json.loads(b) for b in blobs]


def test_binder_server_asks_no_news_or_update_question(binder_server):
    """JupyterLab's 'get notified about official Jupyter news?' pop-up is off for the course: the
    labconfig in etc/jupyter (reached through binder/start, and run.py) sets the defaults."""
    status, body = binder_server("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert status == 200
    setting = json.loads(body)
    props = setting["schema"]["properties"]
    assert props["fetchNews"]["default"] == "false"
    assert props["checkForUpdates"]["default"] is False
    assert "fetchNews" not in setting["settings"]  # the default is what the learner gets
