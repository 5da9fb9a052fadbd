"""The browser-test harness: servers, a guard on every page, and what a learner would see.

Everything a test asserts about a page goes through here, so the harness self-tests
(test_browser_harness.py) prove the same code that checks the real lessons.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "vendor" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1"}

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Console errors JupyterLab itself logs on a healthy page. Each is matched as a regular expression
# against the whole message; keep the list short and say why each one is harmless.
BENIGN_CONSOLE = [
    # Reloading the page closes the kernel and event websockets mid-flight; JupyterLab reconnects.
    (r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/api/(kernels|events)/.*' failed: .*",
     "websocket closed by a page reload or kernel restart"),
    # The debugger sidebar asks a restarting kernel for its state; the restart cancels the reply.
    (r"Could not restore the debugger state: Canceled future for debug_request message .*",
     "debugger state request cut short by a kernel restart"),
    # Chromium's note on a request this guard aborted; the request itself is reported.
    (r"Failed to load resource: net::ERR_BLOCKED_BY_CLIENT.*", "echo of a blocked request"),
]
# Console warnings that are problems: a lab extension built for another JupyterLab than the page
# provides (webpack's shared-module check). The pins (requirements/holds.txt) keep Voila's bundled
# JupyterLab 4.2.5 and the widget extensions in agreement.
VERSION_MISMATCH = re.compile(r"(Unsatisfied version|No satisfying version) .* shared")
# Page errors known to be harmless, per server. (jupyterlab-plotly's failing PNG cache in Voila,
# "setData is not a function", is caught by the course's Voila template itself.)
BENIGN_PAGE_ERRORS = {
    # JupyterLab 4.6 talks to widgets over kernel subshells (ipykernel 7); a kernel restarted or
    # shut down while one is being opened cancels that request, and JupyterLab leaves the
    # cancelled promise unhandled. The widgets work after the restart (the tests check them).
    "lab": [(r"Error: Canceled future for create_subshell_request message before replies were "
             r"done", "a widget's subshell request cut short by a kernel restart or shutdown")],
}
# Where a known request to the internet comes from, to make the failure message useful.
KNOWN_OFFHOST = [
    (r"https://cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@.*",
     "Voila's own 'lab' template links Font Awesome from this CDN (the same stylesheet is bundled "
     "in voila.js); serve Voila with a template without those two <link>s"),
]

TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\w*(Error|Exception)\b", re.M)
WIDGET_REPR = re.compile(r"^\s*[A-Z]\w*\((children|value|description|options|layout|outputs)=")
WIDGET_BROKEN = ("Loading widget...", "Error displaying widget", "Failed to load view class",
                 "Failed to create view", "model not found", "Click to show javascript error")


# ---------------------------------------------------------------- servers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(tmp):
    """Environment for a server whose Jupyter config, runtime files, home and journals all live in
    ``tmp``. JUPYTER_DATA_DIR is left alone: kernelspecs and lab extensions are found in the venv's
    share/jupyter (sys.prefix), which Jupyter searches whatever the user's data folder."""
    tmp = Path(tmp)
    dirs = {name: tmp / name for name in ("home", "config", "runtime", "journal", "checkpoints")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update(
        HOME=str(dirs["home"]),
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTERLAB_SETTINGS_DIR=str(dirs["config"] / "lab" / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["config"] / "lab" / "workspaces"),
        KURIL_JOURNAL_DIR=str(dirs["journal"]),
        PYTHONDONTWRITEBYTECODE="1",
    )
    settings = {
        # Never write a notebook back to the repository (the server refuses too, see below).
        "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
        # Render every cell, not only those on screen, so each output can be checked.
        "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
        # No news or update checks: they would be requests to the internet.
        "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                        "checkForUpdates": False},
    }
    for plugin, value in settings.items():
        ext, name = plugin.split(":")
        path = Path(env["JUPYTERLAB_SETTINGS_DIR"], ext, f"{name}.jupyterlab-settings")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    (dirs["config"] / "jupyter_server_config.py").write_text(
        "from tornado.web import HTTPError\n\n\n"
        "def _refuse(model, path, **kwargs):\n"
        "    raise HTTPError(403, f'browser tests do not save files ({path})')\n\n\n"
        "c.FileContentsManager.pre_save_hook = _refuse\n"
        f"c.FileCheckpoints.checkpoint_dir = {str(dirs['checkpoints'])!r}\n"
    )
    # A failed cell must stop Run All however late the next cells' requests reach the kernel:
    # ipykernel aborts only the requests already queued unless given a window (its
    # stop_on_error_timeout, 0 by default), so under load a cell after an error could still run.
    # (ipykernel 7 with its shell-channel thread ignores the window: it aborts what it holds
    # when the cell fails. fixtures/error_cell.ipynb fails a second after Run All for that.)
    profile = dirs["home"] / ".ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_kernel_config.py").write_text("c.Kernel.stop_on_error_timeout = 3.0\n")
    return env, dirs


class Server:
    """A Jupyter server (JupyterLab or Voila) in its own process group, logging to a file."""

    def __init__(self, name, args, env, log, status_path, token=""):
        self.name, self.args, self.env, self.log, self.token = name, args, env, log, token
        self.status_path = status_path
        self.proc = None
        self.port = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path, **query):
        if self.token:
            query["token"] = self.token
        tail = "&".join(f"{k}={v}" if v is not None else k for k, v in query.items())
        return f"{self.base}{path}" + (f"?{tail}" if tail else "")

    def start(self, timeout=90):
        for _attempt in range(3):  # a port taken between choosing and binding: try another
            self.port = free_port()
            args = [a.replace("{port}", str(self.port)) for a in self.args]
            with open(self.log, "ab") as log:
                self.proc = subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=log,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                             start_new_session=True)
            if self._wait(timeout):
                return self
            self.stop()
        raise RuntimeError(f"{self.name} did not start; its log ({self.log}) ends:\n{self.tail()}")

    def _wait(self, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.url(self.status_path), timeout=5) as r:
                    if r.status == 200:
                        return True
            except OSError:
                pass
            time.sleep(0.25)
        return False

    def api(self, method, path, body=None):
        req = urllib.request.Request(self.url(path), method=method,
                                     data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read()
        return json.loads(text) if text else None

    def shutdown_kernels(self):
        """Stop every kernel this server runs (between notebooks: two cores are few)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def tail(self, n=40):
        try:
            return "\n".join(Path(self.log).read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)  # the server stops its kernels on SIGTERM
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def lab_server(tmp, root=ROOT):
    env, dirs = isolated_env(tmp)
    token = secrets.token_hex(24)
    args = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", "--port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            # window.jupyterapp: the next lesson opens in the page already loaded (ExecutedLessons)
            "--LabApp.expose_app_in_browser=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        args.append("--allow-root")
    server = Server("JupyterLab", args, env, Path(tmp) / "lab.log", "/api/status", token)
    server.dirs = dirs
    return server


def voila_server(tmp, folder):
    env, dirs = isolated_env(tmp)
    shared = ROOT / "share" / "jupyter"  # templates the course may ship (found via JUPYTER_PATH)
    if shared.is_dir():
        env["JUPYTER_PATH"] = str(shared)
    args = [sys.executable, "-m", "voila", str(folder), "--no-browser", "--port={port}",
            "--template=offline-lab",  # the course's template: no Font Awesome from a CDN
            "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
    server = Server("Voila", args, env, Path(tmp) / "voila.log", "/")
    server.dirs = dirs
    return server


# ---------------------------------------------------------------- the guard on every page


class Guard:
    """Watches one browser context: aborts and records every request that would leave 127.0.0.1,
    records console errors, page errors and dialogs (an alert is learner text executing)."""

    def __init__(self, context, server="lab"):
        self.context = context
        self.offhost, self.console, self.page_errors, self.dialogs = [], [], [], []
        self.tolerated = []  # (message, why): known-benign messages, kept for the record
        self.benign_page_errors = BENIGN_PAGE_ERRORS.get(server, [])
        context.route("**/*", self._route)
        context.on("page", self.watch)
        context.on("request", self._request)
        for page in context.pages:
            self.watch(page)

    def _local(self, url):
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            return True
        return parsed.hostname in LOCAL_HOSTS

    def _offhost(self, url):
        if url not in self.offhost:
            self.offhost.append(url)

    def _route(self, route):
        if self._local(route.request.url):
            route.continue_()
        else:
            self._offhost(route.request.url)
            route.abort("blockedbyclient")

    def _request(self, request):  # requests no route sees (if any) are still recorded
        if not self._local(request.url):
            self._offhost(request.url)

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("dialog", self._dialog)
        page.on("websocket", lambda ws: None if self._local(ws.url) else self._offhost(ws.url))

    def _benign(self, text, patterns, found):
        for pattern, why in patterns:
            if re.fullmatch(pattern, text, flags=re.S):
                self.tolerated.append((text, why))
                return
        found.append(text)

    def _console(self, msg):
        if msg.type == "error":
            self._benign(msg.text, BENIGN_CONSOLE, self.console)
        elif msg.type == "warning" and VERSION_MISMATCH.search(msg.text):
            self.console.append(f"(warning) {msg.text}")

    def _page_error(self, exc):
        self._benign(str(exc), self.benign_page_errors, self.page_errors)

    def _dialog(self, dialog):
        if dialog.type == "beforeunload":  # "leave with unsaved changes?" on reload: yes
            dialog.accept()
            return
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def problems(self):
        out = []
        for url in self.offhost:
            why = [w for pattern, w in KNOWN_OFFHOST if re.fullmatch(pattern, url)]
            out.append(f"request left the machine: {url}" + (f" ({why[0]})" if why else ""))
        out += [f"console error: {t}" for t in self.console]
        out += [f"page error: {t}" for t in self.page_errors]
        out += [f"dialog opened (learner text executed?): {t}" for t in self.dialogs]
        return out

    def clear(self):
        for found in (self.offhost, self.console, self.page_errors, self.dialogs):
            found.clear()

    def assert_clean(self):
        found = self.problems()
        assert not found, "The browser saw problems:\n  " + "\n  ".join(found)


# ---------------------------------------------------------------- browser contexts and lesson pages

CONTEXT = {"viewport": {"width": 1280, "height": 900}, "service_workers": "block",
           "accept_downloads": True, "locale": "en-GB", "timezone_id": "UTC"}


def new_context(browser):
    """A fresh browser context as every test gets it (1280x900, English, UTC, downloads on)."""
    context = browser.new_context(**CONTEXT)
    context.set_default_timeout(60_000)
    return context


# Where a lesson runs: a 1024x768 projector with JupyterLab's file browser open (the narrowest
# screen test_browser_notebooks.py measures). A test that wants another size resizes the page.
RUN_SIZE = (1024, 768, True)


class Lesson:
    """One lesson opened in JupyterLab and run (Run All), in a browser context of its own with
    its own guard. ``runs`` counts the tests that have used it."""

    def __init__(self, rel, page, guard):
        self.rel, self.page, self.guard = rel, page, guard
        self.runs = 0
        self.spent = False  # a test changed it beyond what the next test may see (reload...)


class ExecutedLessons:
    """The last lesson run, kept open so that the next test of the same lesson (the layout test,
    axe in both themes, the learner's clicks) checks that page instead of running the lesson
    again: a run is 10-25 s on two cores. One lesson is kept at a time (its kernel and page);
    asking for another closes its notebook and opens the next in the same page (switch_notebook),
    so JupyterLab loads once, not once a lesson. A test that leaves the page in a state the next
    one must not inherit marks it ``spent``; any problem or failure discards the page (the next
    lesson gets a new browser context)."""

    def __init__(self, browser, lab):
        self.browser, self.lab = browser, lab
        self.current = None

    def get(self, rel):
        if self.current is not None and self.current.rel == rel and not self.current.spent:
            self.current.runs += 1
            return self.current
        before = self.current
        if before is not None and not before.spent and not before.guard.problems():
            # the page JupyterLab already runs in: the lesson opens there, as from the file
            # browser (loading JupyterLab again costs Chromium 4 s of CPU)
            lesson = Lesson(rel, before.page, before.guard)
            self.current = lesson  # discarded if the run below fails
            lesson.page.evaluate(_CLOSE_ALL)  # resized empty: a run lesson is slow to lay out
            self._size(lesson.page)
            switch_notebook(lesson.page, self.lab, rel)
        else:
            self.discard()
            context = new_context(self.browser)
            lesson = Lesson(rel, context.new_page(), Guard(context, "lab"))
            self.current = lesson
            self._size(lesson.page)
            open_notebook(lesson.page, self.lab, rel)
        show_file_browser(lesson.page, RUN_SIZE[2])
        run_all(lesson.page)
        lesson.runs = 1
        return lesson

    def take(self):
        """(page, guard) of the page JupyterLab already runs in, emptied (no notebook, no
        kernel), for a test that opens other notebooks there and closes it afterwards; None
        when there is no page fit to hand on. The lesson is no longer kept."""
        lesson = self.current
        if lesson is None or lesson.spent or lesson.guard.problems():
            self.discard()
            return None
        self.current = None
        lesson.page.evaluate(_CLOSE_ALL)
        self.lab.shutdown_kernels()
        lesson.page.set_viewport_size(CONTEXT["viewport"])
        lesson.guard.clear()
        return lesson.page, lesson.guard

    @staticmethod
    def _size(page):
        width, height, _ = RUN_SIZE
        page.set_viewport_size({"width": width, "height": height})

    def discard(self):
        lesson, self.current = self.current, None
        if lesson is None:
            return
        try:
            lesson.guard.context.close()
        except Exception:  # the browser may already be gone at the session's end
            pass
        try:
            self.lab.shutdown_kernels()
        except OSError:
            pass


# ---------------------------------------------------------------- JupyterLab actions


def open_notebook(page, lab, path):
    """Open ``path`` (relative to the repository) in a fresh JupyterLab workspace."""
    page.goto(lab.url(f"/lab/tree/{path}", reset=None))
    panel = current_panel(page)
    panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
    wait_kernel_idle(page, timeout=60_000)
    return panel


_CLOSE_ALL = """() => {
  const app = window.jupyterapp;  // LabApp.expose_app_in_browser (lab_server)
  for (const w of [...app.shell.widgets('main')]) {
    if (w.context) w.context.model.dirty = false;  // a run lesson: closed without saving
    w.close();
  }
}"""


def switch_notebook(page, lab, path):
    """Close what the page shows (unsaved), stop its kernel, and open ``path`` (relative to the
    repository) in the same page, as from the file browser, without loading JupyterLab again."""
    page.evaluate(_CLOSE_ALL)
    lab.shutdown_kernels()
    page.evaluate("(path) => window.jupyterapp.commands.execute("
                  "'docmanager:open', {path, factory: 'Notebook'}).then(() => null)", path)
    # the address open_notebook goes to: a reload (a learner's F5) then opens this notebook in a
    # fresh workspace, not the saved one that may still list the closed notebook
    page.evaluate("(url) => history.replaceState(history.state, '', url)",
                  lab.url(f"/lab/tree/{path}", reset=None))
    panel = current_panel(page)
    panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
    wait_kernel_idle(page, timeout=60_000)
    return panel


def theme_settings_path(server):
    """The user-settings file of JupyterLab's theme (Settings → Theme) for ``server``."""
    return (server.dirs["config"] / "lab" / "user-settings" / "@jupyterlab"
            / "apputils-extension" / "themes.jupyterlab-settings")


def set_theme(page, theme):
    """Switch JupyterLab to ``theme`` (e.g. "JupyterLab Dark") with the command its Settings →
    Theme menu runs: the open page changes theme in place (its outputs stay) and JupyterLab
    saves the choice in the server's user settings. Waits until the page shows the theme.
    (Clicking through the menus took 0.6 s more and tested only JupyterLab's own menu.)"""
    page.evaluate("(theme) => window.jupyterapp.commands.execute("
                  "'apputils:change-theme', {theme}).then(() => null)", theme)
    # JupyterLab names the theme on <body> once its stylesheet is in; wait for the page's own
    # colour to follow (dark text on light, or light on dark)
    page.wait_for_function(
        """(name) => {
          const b = document.body;
          if (b.dataset.jpThemeName !== name) return false;
          const c = getComputedStyle(document.documentElement)
                      .getPropertyValue('--jp-layout-color0').trim();
          const probe = document.createElement('div');
          probe.style.color = c;
          document.body.appendChild(probe);
          const rgb = getComputedStyle(probe).color.match(/\\d+(\\.\\d+)?/g).map(Number);
          probe.remove();
          const dark = rgb[0] + rgb[1] + rgb[2] < 3 * 128;
          return dark === (b.dataset.jpThemeLight === 'false');
        }""", arg=theme, timeout=30_000, polling=100)


def current_panel(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")


def menu(page, top, command):
    """Click a main-menu entry (``top``, e.g. "Run") and its item by command id."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(f".lm-Menu-content .lm-Menu-item[data-command='{command}']").click()


_RUN_STATE = """(panel) => {
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const prompts = cells.map(c => (c.querySelector('.jp-InputPrompt') || {}).textContent || '');
  const sources = cells.map(c => ((c.querySelector('.cm-content') || {}).innerText || '').trim());
  const status = (panel.querySelector('.jp-Notebook-ExecutionIndicator') || {dataset: {}})
                   .dataset.status;
  const errors = panel.querySelectorAll('[data-mime-type="application/vnd.jupyter.error"]').length;
  return {prompts, sources, status, errors};
}"""


def run_state(page):
    return current_panel(page).evaluate(_RUN_STATE)


def wait_kernel_idle(page, timeout=300_000):
    page.wait_for_function(
        """() => {
          const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
          const i = p && p.querySelector('.jp-Notebook-ExecutionIndicator');
          // the status bar says "Python 3 (ipykernel) | Idle" once a kernel is connected
          const bar = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
                        .some(e => /^(?!No Kernel).+ [|] Idle$/.test(e.textContent.trim()));
          return bar && i && i.dataset.status === 'idle';
        }""", timeout=timeout, polling=100)


def wait_run_finished(page, timeout=300_000):
    """Wait until every cell queued by Run All has run (or a cell failed and stopped the run)."""
    prompts = """[...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
        .map(x => x.textContent)"""
    page.wait_for_function(f"() => {prompts}.some(t => /\\d|\\*/.test(t))", timeout=60_000,
                           polling=100)
    page.wait_for_function(
        f"""() => {{
          const i = document.querySelector(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
          return i && i.dataset.status === 'idle' && {prompts}.every(t => !t.includes('*'));
        }}""", timeout=timeout, polling=100)
    wait_settled(page)


def run_all(page, timeout=300_000):
    """Run → Run All Cells, as a learner would, and wait for the kernel to finish."""
    menu(page, "Run", "runmenu:run-all")
    wait_run_finished(page, timeout)


def restart_and_run_all(page, timeout=300_000):
    """Kernel → Restart Kernel and Run All Cells…, confirmed in JupyterLab's dialog."""
    menu(page, "Kernel", "runmenu:restart-and-run-all")
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll(
              '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
              .some(x => /\\d/.test(x.textContent))""", timeout=timeout, polling=100)
    wait_run_finished(page, timeout)


_SETTLED = """(root) => {
  const outs = [...root.querySelectorAll('.jp-OutputArea-output')];
  if (outs.some(o => o.textContent.includes('Loading widget...'))) return false;
  return [...root.querySelectorAll('.js-plotly-plot')].every(g => g._fullLayout && g._fullData);
}"""


def wait_settled(page, root_selector=".jp-NotebookPanel:not(.lm-mod-hidden)", timeout=30_000):
    """Give widgets and figures that render after the kernel is idle time to draw; a page that
    never settles is reported by the checks below, not here."""
    try:
        page.locator(root_selector).first.evaluate(
            f"""(root) => new Promise(done => {{
                  const ok = {_SETTLED};
                  const t0 = Date.now();
                  const tick = () => (ok(root) || Date.now() - t0 > {timeout})
                                     ? done() : setTimeout(tick, 200);
                  tick();
                }})""")
    except Exception:  # navigation during the wait: the checks will say what is wrong
        pass
    wait_still(page, root_selector)


_STILL = """([root, quiet, timeout]) => new Promise(done => {
  // what a redraw moves: the panel, each output area, each figure's drawing and plot area
  const shot = () => [...document.querySelectorAll(root)].flatMap(r => [r, ...r.querySelectorAll(
      '.jp-OutputArea, .js-plotly-plot .main-svg, .js-plotly-plot .nsewdrag')])
    .map(e => { const b = e.getBoundingClientRect();
                return [b.left, b.top, b.width, b.height].map(Math.round).join(','); })
    .join(';');
  const t0 = performance.now();
  let last = shot(), since = t0, frames = 0;
  const tick = () => {
    const now = shot(), t = performance.now();
    if (now !== last) { last = now; since = t; frames = 0; } else { frames += 1; }
    if ((t - since >= quiet && frames >= 3) || t - t0 > timeout) done();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def wait_still(page, root_selector=".jp-NotebookPanel:not(.lm-mod-hidden)", quiet=200,
               timeout=10_000):
    """Wait until nothing on the page moves: the boxes of ``root_selector``, its output areas
    and its figures unchanged for ``quiet`` ms (and three frames). A page that never stops
    moving is left to the checks after ``timeout`` ms."""
    try:
        page.evaluate(_STILL, [root_selector, quiet, timeout])
    except Exception:  # navigation during the wait: the checks will say what is wrong
        pass


def open_voila(page, server, notebook, timeout=300_000):
    """Render ``notebook`` (a name in the served folder) in Voila and wait until it has drawn."""
    page.goto(server.url(f"/voila/render/{notebook}"), timeout=timeout)
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-OutputArea-output').length > 0",
        timeout=timeout, polling=100)
    wait_settled(page, "body")
    # Widgets render one after another: wait until the count of widget views stops changing
    # (the same for 450 ms).
    last, same = -1, 0
    for _ in range(120):
        now = page.evaluate("() => document.querySelectorAll('.jupyter-widgets').length")
        same = same + 1 if now == last else 0
        last = now
        if same >= 3:
            break
        page.wait_for_timeout(150)
    wait_settled(page, "body")


# ---------------------------------------------------------------- what the learner sees

# One entry per output area (a code cell in JupyterLab, an output block in Voila).
_REPORT = r"""(root) => {
  const zoneMetas = new Set(ARGS.zones);
  const plotReport = (gd) => {
    const traces = [...gd.querySelectorAll('g.trace')].map(g => {
      const cd = g.__data__, t = cd && cd[0] && cd[0].trace;
      if (!t) return null;
      const xs = Array.isArray(t.x) || ArrayBuffer.isView(t.x) ? [...t.x] : [];
      const fill = g.querySelector('path.js-fill');
      let paint = fill ? fill.style.fill || fill.getAttribute('fill') || '' : '';
      const m = /url\("?#([^")]+)"?\)/.exec(paint);
      if (m) {  // a patterned fill: its colour is the pattern's background
        const pat = document.getElementById(m[1]);
        const rect = pat && pat.querySelector('rect');
        const shape = pat ? [...pat.children].slice(1).map(c => c.tagName).join('+') : '';
        paint = 'pattern(' + (rect ? rect.getAttribute('fill') : '?') + ',' + shape + ')';
      }
      return {meta: t.meta === undefined ? null : String(t.meta), name: t.name || '',
              visible: t.visible === true, fill: t.fill || 'none',
              points: xs.filter(v => v !== null && v !== undefined && v !== '').length,
              fillD: fill ? (fill.getAttribute('d') || '').length : 0, paint};
    }).filter(Boolean);
    const marks = [...gd.querySelectorAll('g.trace path')]
      .filter(p => (p.getAttribute('d') || '').length > 10).length;
    const texts = [...gd.querySelectorAll('g.trace text')]
      .map(t => t.textContent).filter(Boolean);
    const box = gd.getBoundingClientRect();
    return {title: (gd._fullLayout && gd._fullLayout.title && gd._fullLayout.title.text) || '',
            traces, marks, texts, width: box.width, height: box.height,
            isMap: traces.some(t => zoneMetas.has(t.meta))};
  };
  const groups = new Map();
  for (const out of root.querySelectorAll('.jp-OutputArea-output')) {
    if (out.parentElement.closest('.jp-OutputArea-output')) continue;  // nested: counted above
    const area = out.closest('.jp-Cell') || out.closest('.jp-OutputArea') || root;
    if (!groups.has(area)) groups.set(area, []);
    groups.get(area).push(out);
  }
  const cells = [...root.querySelectorAll('.jp-Cell')];
  return [...groups.entries()].map(([area, outs]) => {
    const text = outs.map(o => o.innerText || '').join('\n');
    const mimeOf = (o) => o.getAttribute('data-mime-type') || '';
    const src = area.querySelector('.cm-content');
    const widgetOuts = outs.filter(o => mimeOf(o).includes('widget-view')
                                        || o.querySelector(':scope > .jupyter-widgets'));
    const emptyWidgets = widgetOuts.filter(o => {
      const w = o.querySelector('.jupyter-widgets, .lm-Widget');
      const b = w && w.getBoundingClientRect();
      return !w || !b || b.height === 0;
    }).length;
    return {
      cell: cells.indexOf(area),
      source: src ? src.innerText.trim() : '',
      errors: outs.filter(o => mimeOf(o) === 'application/vnd.jupyter.error')
                  .map(o => o.innerText.slice(-600)),
      stderr: outs.filter(o => mimeOf(o) === 'application/vnd.jupyter.stderr')
                  .map(o => o.innerText.slice(-1500)),
      plainTexts: outs.filter(o => mimeOf(o) === 'text/plain').map(o => o.innerText.slice(0, 200)),
      widgetErrors: [...area.querySelectorAll('.jupyter-widgets-error-widget, .widget-error')]
                      .map(e => (e.title || e.innerText).slice(0, 300)),
      text: text.slice(0, 4000),
      widgets: widgetOuts.length, emptyWidgets,
      plots: [...area.querySelectorAll('.js-plotly-plot')].map(plotReport),
    };
  });
}"""


def zone_ids():
    from helpers._maps import geo as _geo

    return list(_geo.ZONES)


def disputed_ids():
    from helpers import data

    return list(data.DISPUTED)


def report(page, root_selector=".jp-NotebookPanel:not(.lm-mod-hidden)"):
    """What each output area shows: errors, widgets, figures (see _REPORT)."""
    js = _REPORT.replace("ARGS", json.dumps({"zones": zone_ids()}))
    return page.locator(root_selector).first.evaluate(js)


def plot_problems(plot, where):
    """Why a rendered plotly figure is not what a learner should see (empty list: it is)."""
    out = []
    name = f"{where}: figure {plot['title']!r}"
    if plot["width"] < 50 or plot["height"] < 50:
        out.append(f"{name} has no size ({plot['width']:.0f}x{plot['height']:.0f} px)")
    if plot["marks"] == 0:
        out.append(f"{name} is blank: no line, area, marker or bar was drawn")
    for t in plot["traces"]:
        if t["visible"] and t["fill"] != "none" and t["points"] >= 3 and t["fillD"] < 20:
            out.append(f"{name}: the filled shape {t['meta'] or t['name']!r} was not drawn")
    if plot["isMap"]:
        drawn = {t["meta"] for t in plot["traces"] if t["visible"] and t["fillD"] >= 20
                 and t["paint"] not in ("", "none")}
        missing = [i for i in disputed_ids() if i not in drawn]
        if missing:
            out.append(f"{name} is a map without these disputed islands drawn: "
                       + ", ".join(missing))
    return out


def output_problems(cells, where="", stderr_ok=False):
    """Everything wrong with a rendered notebook, as readable lines naming the cell."""
    out = []
    for c in cells:
        at = f"{where} cell {c['cell']}" + (f" ({c['source'].splitlines()[0][:70]!r})"
                                            if c["source"] else "")
        out += [f"{at}: error output:\n{e}" for e in c["errors"]]
        for e in c["stderr"]:  # JupyterLab renders tracebacks with the stderr mime type
            if TRACEBACK.search(e):
                out.append(f"{at}: error output:\n{e}")
            elif not stderr_ok:
                out.append(f"{at}: stderr output (shown to the learner in red):\n{e}")
        for marker in WIDGET_BROKEN:
            if marker in c["text"]:
                out.append(f"{at}: a widget did not render ({marker!r})")
        out += [f"{at}: widget error: {e}" for e in c["widgetErrors"]]
        if c["emptyWidgets"]:
            out.append(f"{at}: {c['emptyWidgets']} widget output(s) rendered nothing")
        out += [f"{at}: a widget is shown as plain text (widget manager missing?): {t[:80]!r}"
                for t in c["plainTexts"] if WIDGET_REPR.match(t)]
        for plot in c["plots"]:
            out += plot_problems(plot, at)
    return out


def assert_renders(page, where, root_selector=".jp-NotebookPanel:not(.lm-mod-hidden)"):
    cells = report(page, root_selector)
    found = output_problems(cells, where)
    assert not found, f"{where} does not render as it should:\n  " + "\n  ".join(found)
    return cells


def run_state_problems(page, where):
    """Cells Run All did not reach (a failed cell stops the run)."""
    state = run_state(page)
    missed = [n for n, (p, s) in enumerate(zip(state["prompts"], state["sources"], strict=True))
              if s and not re.search(r"\d", p)]
    if missed:
        return [f"{where}: {len(missed)} code cell(s) did not run (first: code cell {missed[0]})"]
    return []


# ---------------------------------------------------------------- figures a learner changes


def cell_by_source(page, text, root_selector=".jp-NotebookPanel:not(.lm-mod-hidden)"):
    """The code cell whose source contains ``text`` (exactly one)."""
    cells = page.locator(f"{root_selector} .jp-CodeCell").filter(
        has=page.locator(".cm-content", has_text=text))
    assert cells.count() >= 1, f"no code cell contains {text!r}"
    return cells.first


_FIGURE_STATE = """(gd) => {
  const out = {};
  gd.querySelectorAll('g.trace').forEach(g => {
    const cd = g.__data__, t = cd && cd[0] && cd[0].trace;
    const f = g.querySelector('path.js-fill');
    if (!t || !f || t.meta === undefined) return;
    let paint = f.style.fill || '';
    const m = /url\\("?#([^")]+)"?\\)/.exec(paint);
    if (m) {
      const pat = document.getElementById(m[1]);
      const r = pat && pat.querySelector('rect');
      paint = 'pattern(' + (r ? r.getAttribute('fill') : '?') + ','
              + (pat ? [...pat.children].slice(1).map(c => c.tagName).join('+') : '') + ')';
    }
    out[t.meta] = paint;
  });
  // names: drawn as trace text, annotations (the maps' labels) or shapes' labels (captions)
  const hidden = (el) => { for (let e = el; e && e !== gd; e = e.parentElement) {
      const cs = getComputedStyle(e);  // transparent, or written in transparent ink (captions)
      if (parseFloat(cs.opacity) === 0 || parseFloat(cs.fillOpacity) === 0) return true; }
    return false; };  // a name drawn for another naming
  const texts = [...gd.querySelectorAll(
      'g.trace text, .infolayer .annotation-text, .shapelayer .shape-label-text')]
    .filter(t => !hidden(t)).map(t => t.textContent);
  const current = gd.querySelector('.slider-group > text.slider-label');  // "Year: 1855"
  return {fills: out, texts, current: current ? current.textContent : null,
          title: gd._fullLayout.title.text};
}"""


def figure_state(plot_locator):
    """Fill paint of every island zone (by id), the label texts and the slider's current value."""
    return plot_locator.evaluate(_FIGURE_STATE)


def changed(before, after, islands):
    return [i for i in islands if before["fills"].get(i) != after["fills"].get(i)]


# ---------------------------------------------------------------- screenshots and axe


# Screenshots are for a person to look at, not checked by any test: taken when asked
# (KURIL_SCREENSHOTS=1 python3 run.py test tests/browser) or when the test has found a problem.
# Each costs Chromium 2-4 s of CPU per lesson, a tenth of the suite on two cores.
SCREENSHOTS = os.environ.get("KURIL_SCREENSHOTS", "") not in ("", "0")


def screenshots(page, name, root_selector=".jp-NotebookPanel:not(.lm-mod-hidden)",
                problems=None):
    """The first screen, and every figure, of a notebook, for a person to look at: when
    SCREENSHOTS is on, or when ``problems`` (what the test found) is not empty."""
    if not (SCREENSHOTS or problems):
        return []
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    saved = []
    page.screenshot(path=folder / "00-top.png")
    saved.append(folder / "00-top.png")
    plots = page.locator(f"{root_selector} .js-plotly-plot")
    for n in range(plots.count()):
        path = folder / f"figure-{n + 1:02d}.png"
        plots.nth(n).scroll_into_view_if_needed()
        plots.nth(n).screenshot(path=path)
        saved.append(path)
    return saved


OURS = ".jp-OutputArea-output, .jp-MarkdownOutput, .jp-RenderedMarkdown"


def run_axe(page, context_selector=None, rules=None):
    """axe-core's violations on the page (the vendored copy: nothing is fetched), from every
    rule, or only the axe rule ids in ``rules``. Each node says whether it sits in content the
    course controls (a cell's output or rendered Markdown), and in which widget or exercise."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async ([sel, ours, rules]) => {
          const ctx = sel ? {include: [sel]} : document;
          const options = {resultTypes: ['violations'], elementRef: true};
          if (rules) options.runOnly = {type: 'rule', values: rules};
          const r = await axe.run(ctx, options);
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            helpUrl: v.helpUrl, nodes: v.nodes.map(n => {
              const el = n.element;
              const ex = el && el.closest('.kuril-exercise');
              const widget = el && el.closest('.jupyter-widgets');
              return {target: n.target.join(' '), html: n.html.slice(0, 300), impact: n.impact,
                ours: !!(el && el.closest(ours)),
                where: ex ? 'exercise: ' + ex.innerText.trim().split('\\n')[0].slice(0, 80)
                       : widget ? 'widget: ' + [...widget.classList].join('.') : ''};
            })}));
        }""", [context_selector, OURS, rules])


def glyphs_render(page, chars="択捉"):
    """Whether two different CJK characters draw differently (the same box means no font)."""
    return page.evaluate(
        """(chars) => {
          const draw = (ch) => { const c = document.createElement('canvas'); c.width = 40;
            c.height = 40; const x = c.getContext('2d'); x.font = '32px sans-serif';
            x.fillText(ch, 2, 34); return Array.from(x.getImageData(0, 0, 40, 40).data); };
          const a = draw(chars[0]), b = draw(chars[1]);
          return a.some(v => v) && a.some((v, i) => v !== b[i]);
        }""", chars)


# ---------------------------------------------------------------- learner text

XSS = "Islands <img src=x onerror=alert(1)> and <script>alert(1)</script> end"


def write_response(page, text, box=None):
    """Type ``text`` into an open-response box (the first .kuril-respond) and press Save."""
    box = box or page.locator(".kuril-respond").first
    box.locator("textarea").fill(text)
    box.locator("button", has_text="Save").click()
    box.locator(".kuril-respond-status", has_text="Saved at").wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # let anything the text might trigger happen
    return box


def inert(page):
    """Nothing the payload could create exists in the page (no img src=x, no script with it
    that could run: a hand-in's answers sit in a JSON data block, which a browser never runs)."""
    return page.evaluate(
        """() => document.querySelectorAll('img[src="x"]').length === 0 &&
             ![...document.scripts].some(s => s.type !== 'application/json' &&
                                              s.textContent.includes('alert(1)'))""")


# ---------------------------------------------------------------- fitting the window

def file_browser_open(page):
    return page.evaluate("""() => { const fb = document.getElementById('filebrowser');
        return !!fb && !fb.classList.contains('lm-mod-hidden') && fb.offsetWidth > 0; }""")


def show_file_browser(page, shown=True):
    """Open (or close) JupyterLab's file browser in the left sidebar, as a learner would, by
    clicking its tab; returns the width left for the notebook."""
    if file_browser_open(page) != shown:
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='filebrowser']").click()
        page.wait_for_function(f"() => {{ const fb = document.getElementById('filebrowser');"
                               f" return (!!fb && !fb.classList.contains('lm-mod-hidden') &&"
                               f" fb.offsetWidth > 0) === {'true' if shown else 'false'}; }}")
    return current_panel(page).evaluate("p => p.getBoundingClientRect().width")


def resize(page, width, height, file_browser=True):
    """Give the page a new size (and the file browser its state) and wait for every figure to
    take the new width (plotly redraws on JupyterLab's resize message). A page already at that
    size is left as it is (only waited on until still): redrawing every figure of a lesson
    costs Chromium about a second of CPU."""
    if page.viewport_size == {"width": width, "height": height} and \
            file_browser_open(page) == file_browser:
        wait_still(page)
        return
    page.set_viewport_size({"width": width, "height": height})
    show_file_browser(page, file_browser)
    wait_still(page, quiet=150)  # JupyterLab has laid its panels out for the new size
    page.evaluate("() => window.dispatchEvent(new Event('resize'))")
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) '
                  + '.js-plotly-plot')].every(g => {
              const svg = g.querySelector('.main-svg');
              return !svg || Math.abs(svg.getBoundingClientRect().width
                                      - g.getBoundingClientRect().width) < 2; })""",
        timeout=15_000, polling=100)
    wait_still(page)  # and plotly has finished redrawing them


# What a figure and the widgets around it occupy on screen. Per figure: its box, its plot area
# (the largest .nsewdrag: the drawn map or chart), and the boxes of the parts plotly lays out
# round it (title, legend, slider, buttons, and captions: annotations placed on the paper and
# shapes' labels; names placed on the map are left to tests/test_maps.py). Per widget: whatever
# is cut off or reaches past the notebook's edge (a scrolling box inside the output is fine:
# that scrolls).
_LAYOUT = r"""(root) => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, w: r.width, h: r.height}; };
  const plots = [...root.querySelectorAll('.js-plotly-plot')].map(gd => {
    const fig = box(gd.querySelector('.main-svg') || gd);
    const drags = [...gd.querySelectorAll('.nsewdrag')].map(box)
      .sort((a, b) => b.w * b.h - a.w * a.h);
    const parts = [];
    const hidden = (el) => { for (let e = el; e && e !== gd; e = e.parentElement) {
        const cs = getComputedStyle(e);  // transparent, or in transparent ink (captions)
        if (parseFloat(cs.opacity) === 0 || parseFloat(cs.fillOpacity) === 0) return true; }
      return false; };  // drawn for another naming
    const add = (kind, el, text) => { const b = box(el);
      if (b.w > 0.5 && b.h > 0.5 && !hidden(el))
        parts.push({kind, text: (text || el.textContent || '').slice(0, 60), ...b}); };
    gd.querySelectorAll('.gtitle').forEach(t => add('title', t));
    gd.querySelectorAll('.legend .bg').forEach(l => add('legend', l, 'legend'));
    gd.querySelectorAll('.slider-container').forEach(s => add('slider', s, 'slider'));
    gd.querySelectorAll('.updatemenu-header-group').forEach(u => add('buttons', u));
    const notes = (gd._fullLayout && gd._fullLayout.annotations) || [];
    gd.querySelectorAll('.infolayer .annotation').forEach(a => {
      const n = notes[+a.getAttribute('data-index')];
      if (n && n.xref === 'paper' && n.text) add('note', a.querySelector('.annotation-text') || a);
    });
    // captions a slider step rewrites are shapes' labels (helpers/_maps/draw.caption_shape)
    gd.querySelectorAll('.shapelayer .shape-label-text').forEach(t => add('note', t));
    const rail = gd.querySelector('.slider-rail-rect');
    const grip = gd.querySelector('.slider-grip-rect');
    return {title: (gd._fullLayout && gd._fullLayout.title && gd._fullLayout.title.text) || '',
            fig, area: drags[0] || null, parts,
            rail: rail ? box(rail) : null, grip: grip ? box(grip) : null};
  });
  const widgets = [];
  const canvas = document.createElement('canvas').getContext('2d');
  const name = (el) => {
    const t = (el.innerText || el.value || '').trim().split('\n')[0];
    return `${el.tagName.toLowerCase()} "${t.slice(0, 50)}"`;
  };
  for (const area of root.querySelectorAll('.jp-Cell .jp-OutputArea')) {
    const edge = box(area);
    if (edge.w === 0) continue;
    const cell = area.closest('.jp-Cell');
    const src = ((cell.querySelector('.cm-content') || {}).innerText || '').split('\n')[0];
    const els = area.querySelectorAll(['button', 'select', 'input', 'textarea', 'label',
      '.widget-label', '.widget-html-content', '.widget-gridbox', '.widget-hbox', 'table']
      .map(s => '.jupyter-widgets ' + s).join(', '));
    for (const el of els) {
      const r = box(el);
      if (r.w === 0 || r.h === 0) continue;
      let scrolls = false, cut = null;
      for (let a = el.parentElement; a && a !== area; a = a.parentElement) {
        const cs = getComputedStyle(a), ar = box(a);
        if (['auto', 'scroll'].includes(cs.overflowX) && a.scrollWidth > a.clientWidth + 1) {
          scrolls = true; break;
        }
        if (['hidden', 'clip'].includes(cs.overflowX) && (r.x1 > ar.x1 + 1 || r.x0 < ar.x0 - 1)) {
          cut = `cut off ${Math.round(r.x1 - ar.x1)} px by its box`; break;
        }
      }
      const problems = [];
      if (cut) problems.push(cut);
      else if (!scrolls && r.x1 > edge.x1 + 1)
        problems.push(`reaches ${Math.round(r.x1 - edge.x1)} px past the notebook's edge`);
      const cs = getComputedStyle(el);
      if (el.tagName === 'SELECT' && el.selectedIndex >= 0 && !el.closest('.kuril-exercise')) {
        canvas.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const text = el.options[el.selectedIndex].text;
        const need = canvas.measureText(text).width + parseFloat(cs.paddingLeft)
                     + parseFloat(cs.paddingRight) + 14;
        if (need > el.clientWidth + 1)
          problems.push(`shows its choice cut ("${text.slice(0, 40)}")`);
      } else if (['hidden', 'clip'].includes(cs.overflowX) && el.scrollWidth > el.clientWidth + 1
                 && !['TEXTAREA', 'INPUT', 'SELECT'].includes(el.tagName)) {
        problems.push(`shows its text cut (${el.scrollWidth} > ${el.clientWidth} px)`);
      }
      for (const why of problems) widgets.push({cell: src.slice(0, 70), what: name(el), why});
    }
  }
  return {plots, widgets};
}"""


def layout(page, root_selector=".jp-NotebookPanel:not(.lm-mod-hidden)"):
    return page.locator(root_selector).first.evaluate(_LAYOUT)


def _overlap(a, b, slack=1.0):
    return (a["x0"] < b["x1"] - slack and b["x0"] < a["x1"] - slack
            and a["y0"] < b["y1"] - slack and b["y0"] < a["y1"] - slack)


def layout_problems(found, where, half=True):
    """Why the figures and widgets of ``layout(page)`` do not fit (empty list: they do): a plot
    area under half its figure's width or under 280 px; a title, legend, caption, slider or
    button past the figure's edge, over the plot area or over another; a slider's handle off its
    rail; a widget cut off or past the notebook's edge (wrap or scroll, never clip). ``half``:
    whether the plot area must be half the figure's width (at 1024 px; a map keeps its size on a
    wider screen, so it is then less than half)."""
    out = []
    for n, p in enumerate(found["plots"], start=1):
        name = f"{where}: figure {n} ({p['title'][:50]!r})"
        fig, area = p["fig"], p["area"]
        if area is None:
            continue
        if area["w"] < 280 or (half and area["w"] < fig["w"] / 2):
            out.append(f"{name}: plot area {area['w']:.0f} px wide in a {fig['w']:.0f} px figure")
        for part in p["parts"]:
            what = f"{part['kind']} {part['text']!r}"
            if (part["x0"] < fig["x0"] - 1 or part["x1"] > fig["x1"] + 1
                    or part["y0"] < fig["y0"] - 1):
                out.append(f"{name}: {what} is cut at the figure's edge")
            if part["kind"] != "title" and _overlap(part, area, slack=2):
                out.append(f"{name}: {what} lies over the plot area")
        parts = p["parts"]
        for i, a in enumerate(parts):
            for b in parts[i + 1:]:
                if _overlap(a, b, slack=2):
                    out.append(f"{name}: {a['kind']} {a['text']!r} overlaps {b['kind']} "
                               f"{b['text']!r}")
        if p["rail"] and p["grip"]:
            rail, grip = p["rail"], p["grip"]
            centre = (grip["x0"] + grip["x1"]) / 2
            if not rail["x0"] - 1 <= centre <= rail["x1"] + 1:
                out.append(f"{name}: the slider's handle is off its rail")
    out += [f"{where}: cell {w['cell']!r}: {w['what']} {w['why']}" for w in found["widgets"]]
    return out


def slider_step(plot, k):
    """Click the k-th step of a plotly figure's slider, where a learner would."""
    tick = plot.locator(".slider-tick-rect").nth(k)
    rail = plot.locator(".slider-rail-touch-rect").first
    tick.scroll_into_view_if_needed()
    t, r = tick.bounding_box(), rail.bounding_box()
    plot.page.mouse.click(t["x"] + t["width"] / 2, r["y"] + r["height"] / 2)
