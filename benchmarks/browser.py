"""Browser: from a slider or naming change to the repainted figure, in JupyterLab with Chromium.

A JupyterLab server is started on a scratch notebook (the map explorer, whose year slider and
naming buttons are in the figure; the sovereignty map with its built-in year slider; a floor: a
bare ipywidgets slider redrawing a one-trace figure; the course's naming toggle, which the
explorer follows through the kernel; and the lessons' kernel-side controls: the timeline
explorer's type filter, the positions explorer's Next / Previous and a settlement designer menu)
and driven with Playwright. The server and Chromium settings
come from the browser tests' harness (tests/browser/_harness.py: isolated config, home and
journals, no network); a minimal server of our own stands in when that harness is absent.

The clock starts in the page when the real input event arrives (capture listener on
``mousedown``/``keydown``) and stops at the first animation frame after the new figure is drawn,
so Playwright's own latency is left out; frame polling makes the resolution about 16 ms. The
polling starts before the input (``WATCH_JS``), so a page kept busy after the change by other
work is not mistaken for a late change. Each input comes from a quiet page (``SETTLE_S``).
Budget: 100 ms. Chromium: ``KURIL_CHROMIUM``, else the system's, else Playwright's download.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

from ._report import Row, median, p95
from ._util import PYTHON, ROOT, log, quiet_env

LIMIT_MS = 100
CELLS = [
    "from helpers import maps, names\nbox = maps.explorer()\nbox",
    "maps.sovereignty_timeline_map()",
    "import ipywidgets as widgets, plotly.graph_objects as go\n"
    "from IPython.display import display\n"
    "s = widgets.SelectionSlider(options=list(range(10)), value=0, continuous_update=False)\n"
    "o = widgets.Output()\n"
    "def redraw(change):\n"
    "    with o:\n"
    "        o.clear_output(wait=True)\n"
    "        display(go.Figure(go.Scatter(x=[0, 1, 2], y=[change['new'], 1, 2]),\n"
    "                          layout_title_text=f\"floor {change['new']}\"))\n"
    "s.observe(redraw, names='value')\n"
    "redraw({'new': 0})\n"
    "widgets.VBox([s, o])",
    "t = widgets.SelectionSlider(options=list(range(10)), value=0, continuous_update=False)\n"
    "p = widgets.Output()\n"
    "def echo(change):\n"
    "    text = f\"value {change['new']}\\n\"\n"
    "    p.outputs = ({'output_type': 'stream', 'name': 'stdout', 'text': text},)\n"
    "t.observe(echo, names='value')\n"
    "echo({'new': 0})\n"
    "widgets.VBox([t, p])",
    "names.naming_toggle()",
    # kernel-side controls of the lessons (issue 15: "kernel-side controls included")
    "from helpers import timeline, positions, settlement\ntimeline.explorer(era=\"putin-abe\")",
    "positions.explorer()",
    "settlement.designer()",
]
FIGURE_CELLS = 3  # the first three cells draw a figure; the others text and a toggle
TIMELINE, POSITIONS, DESIGNER = 5, 6, 7  # the cells of the kernel-side controls

# Installed once per page: records when the next real input event arrives (a menu choice made
# with select_option fires input/change without a key or mouse event).
ARM_JS = """() => {
  if (!window.__kb) {
    window.__kb = {armed: false, t0: null};
    const mark = () => { if (window.__kb.armed) { window.__kb.t0 = performance.now();
                                                   window.__kb.armed = false; } };
    for (const kind of ['mousedown', 'keydown', 'input', 'change'])
      document.addEventListener(kind, mark, true);
  }
  window.__kb.armed = true; window.__kb.t0 = null;
}"""

# Starts watching before the input: every animation frame checks `done(cell, old)`, and
# window.__kb.result resolves with the ms from the input event to the frame after it first holds
# (null after timeoutMs); with a signature, to the frame after the signature last changed, once
# it has not changed for settleMs. Watching from before the input matters: a page busy right after it (a
# kernel's redraw of other cells arriving) would delay a check started afterwards, and a change
# painted at once would be timed when the page was free again.
WATCH_JS = """([index, doneSrc, timeoutMs, sigSrc, settleMs]) => {
  const done = eval(doneSrc), sig = sigSrc ? eval(sigSrc) : null, kb = window.__kb, old = kb.old;
  const cell = document.querySelectorAll('.jp-Notebook .jp-CodeCell')[index];
  const start = performance.now();
  kb.result = new Promise((resolve) => {
    let last = null, at = null;  // the signature last seen, and the frame after it first showed
    const tick = () => {
      const now = performance.now();
      if (kb.t0 !== null && done(cell, old)) {
        if (!sig) { requestAnimationFrame(() => resolve(performance.now() - kb.t0)); return; }
        const s = sig(cell);
        if (s !== last) { last = s; at = null; }
        else if (at === null) { at = now; }
        else if (now - at >= settleMs) { resolve(at - kb.t0); return; }
      }
      if (now - start > timeoutMs) { resolve(null); return; }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}"""

NEW_PLOT = """(cell, old) => { const p = cell.querySelector('.widget-output .js-plotly-plot');
  return p && p !== old && p.querySelector('.main-svg .gtitle'); }"""
NEW_TEXT = """(cell, old) => { const o = cell.querySelector('.widget-output .jp-OutputArea-output');
  return o && o.textContent !== old; }"""
OLD_TEXT_JS = ("cell => (cell.querySelector('.widget-output .jp-OutputArea-output') || {})"
               ".textContent")
PLOT_TITLE = """(cell, old) => { const t = cell.querySelector('.js-plotly-plot .gtitle');
  return t && t.textContent !== old; }"""
# the names on a map (annotations): done when they differ from before the click
LABELS_JS = """cell => [...cell.querySelectorAll('.js-plotly-plot .infolayer .annotation-text')]
  .filter(t => { for (let e = t; e && !e.classList.contains('js-plotly-plot'); e = e.parentElement)
                   if (parseFloat(getComputedStyle(e).opacity) === 0) return false;
                 return true; })
  .map(t => t.textContent).join('|')"""  # names drawn for another naming are transparent
# done when the map shows names again, other than before (while a figure is replaced, the cell
# shows none for a moment: that is not the new map)
NEW_LABELS = f"""(cell, old) => {{ const l = ({LABELS_JS})(cell); return l !== '' && l !== old; }}"""


def _port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _harness():
    """tests/browser/_harness.py as a module, or None when it is not there (or does not load)."""
    folder = str(ROOT / "tests" / "browser")
    sys.path.insert(0, folder)
    try:
        import _harness

        return _harness if hasattr(_harness, "lab_server") else None
    except Exception:  # the harness is the tests' business; fall back to our own server
        return None
    finally:
        sys.path.remove(folder)


def _chromium(p, flags=()):
    exe = os.environ.get("KURIL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if os.path.exists(exe):  # the browser tests use the system's Chromium too
        return p.chromium.launch(executable_path=exe, args=list(flags))
    return p.chromium.launch(args=list(flags))  # Playwright's own download


class Lab:
    """A minimal JupyterLab server on a scratch folder (used only without the tests' harness)."""

    def __init__(self, folder):
        self.folder, self.port, self.token = folder, _port(), "kuril-bench"
        self.proc = None

    def __enter__(self):
        env = quiet_env(JUPYTER_CONFIG_DIR=str(self.folder / ".jupyter"),
                        JUPYTER_RUNTIME_DIR=str(self.folder / ".runtime"))
        cmd = [PYTHON, "-m", "jupyterlab", "--no-browser", f"--port={self.port}",
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.folder}", "--LabApp.expose_app_in_browser=True",
               f"--LabApp.workspaces_dir={self.folder / '.ws'}",
               f"--LabApp.user_settings_dir={self.folder / '.settings'}", "--allow-root",
               # offline: no update check, no extension manager reaching PyPI
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly"]
        self.log = open(self.folder / "lab.log", "w")
        self.proc = subprocess.Popen(cmd, cwd=self.folder, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2)
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("JupyterLab did not start:\n"
                           + (self.folder / "lab.log").read_text()[-2000:])

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def _open(page, lab, harness):
    if harness:
        harness.open_notebook(page, lab, "bench.ipynb")
        harness.run_all(page)
    else:
        page.goto(f"{lab.url}/lab/tree/bench.ipynb?token={lab.token}")
        page.wait_for_function(
            "() => window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=90_000)
        page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
            return w && w.sessionContext && w.sessionContext.session &&
                   w.sessionContext.session.kernel &&
                   w.sessionContext.session.kernel.connectionStatus === 'connected'; }""",
                               timeout=90_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    for i in [*range(FIGURE_CELLS), TIMELINE, DESIGNER]:
        page.wait_for_function(
            f"() => document.querySelectorAll('.jp-Notebook .jp-CodeCell')[{i}]"
            ".querySelector('.js-plotly-plot .main-svg')", timeout=120_000)
    time.sleep(1)


class _Started:
    """The harness's server as a context manager."""

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        return self.server.start()

    def __exit__(self, *exc):
        self.server.stop()


# Each change starts from a quiet page, as a learner reads what changed before the next input:
# the kernel idle, then SETTLE_S without input. (Back to back, an input waits for the previous
# change's last messages and repaints: the positions explorer's Next read 76 ms at the median
# and 126 ms at p95 that way, 43 ms and 92 ms from a quiet page.)
SETTLE_S = 0.25
KERNEL_IDLE_JS = """() => { const i = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return !i || i.dataset.status === 'idle'; }"""


def _measure(page, index, act, done, old_js, timeout_ms=10_000, settle=None):
    """ms from the input ``act()`` makes to the frame after ``done`` holds; with ``settle``
    (signature JS, ms), to the frame after the signature last changed (none for that long)."""
    page.wait_for_function(KERNEL_IDLE_JS, timeout=60_000, polling=50)
    time.sleep(SETTLE_S)
    page.evaluate(f"""() => {{ const cell = document.querySelectorAll(
        '.jp-Notebook .jp-CodeCell')[{index}]; window.__kb.old = ({old_js})(cell); }}""")
    page.evaluate(ARM_JS)
    sig, settle_ms = settle or ("", 0)
    page.evaluate(WATCH_JS, [index, done, timeout_ms, sig, settle_ms])
    act()
    return page.evaluate("() => window.__kb.result")


OLD_PLOT = "cell => cell.querySelector('.widget-output .js-plotly-plot')"
# any text of the cell's output (an HTML widget's, a figure's) differs from before the input
# A kernel-side control changes several parts of its cell (texts, a figure), each in its own
# message: timed until the last part is painted. What the cell shows: its text and, for each
# figure, what each trace looks like; done once it differs from before with every figure drawn
# (a replaced figure is missing for a moment), then settled (SETTLE_MS without a change).
CELL_SIG_JS = """cell => { const o = cell.querySelector('.jp-Cell-outputArea');
  const plots = [...cell.querySelectorAll('.js-plotly-plot')].map(p => JSON.stringify(
    (p._fullData || []).map(t => [t.visible, t.showlegend, t.fillcolor, t.opacity,
      t.line && t.line.color, t.line && t.line.dash, (t.x || []).length])));
  return (o ? o.textContent : '') + '|' + plots.join('|'); }"""
CELL_OLD_JS = f"""cell => ({{sig: ({CELL_SIG_JS})(cell),
  plots: cell.querySelectorAll('.js-plotly-plot').length}})"""
CELL_CHANGED = f"""(cell, old) => {{
  const plots = [...cell.querySelectorAll('.js-plotly-plot')];
  return plots.length === old.plots && plots.every(p => p._fullLayout && p.querySelector('.main-svg'))
    && ({CELL_SIG_JS})(cell) !== old.sig; }}"""
SETTLE_MS = 150
OLD_TITLE = "cell => (cell.querySelector('.js-plotly-plot .gtitle') || {}).textContent"


def _cell(page, index):
    return page.locator(".jp-Notebook .jp-CodeCell").nth(index)


def measure(repeat=40):
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory(prefix="kuril-bench-lab-") as tmp:
        folder = Path(tmp)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, folder / "bench.ipynb")
        harness = _harness()
        if harness:
            lab = harness.lab_server(Path(tempfile.mkdtemp(prefix="kuril-bench-labhome-")),
                                     root=folder)
            server = _Started(lab)
        else:
            server = Lab(folder)
        with server as lab, sync_playwright() as p:
            browser = _chromium(p, getattr(harness, "CHROMIUM_FLAGS", ()))
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            _open(page, lab, harness)
            page.evaluate(ARM_JS)

            def year_steps(index, label, done=NEW_PLOT, old=OLD_PLOT):
                """The year control: a slider (arrow keys) or a menu (choose an option)."""
                cell = _cell(page, index)
                handle, menu = cell.locator(".noUi-handle"), cell.locator("select")
                if handle.count():
                    handle.first.scroll_into_view_if_needed()
                else:
                    menu.first.scroll_into_view_if_needed()
                    options = menu.first.locator("option").all_inner_texts()
                times = []
                for i in range(repeat + 1):
                    if handle.count():
                        key = "ArrowRight" if (i // 4) % 2 == 0 else "ArrowLeft"
                        handle.first.focus()
                        act = lambda key=key: page.keyboard.press(key)  # noqa: E731
                    else:
                        choice = options[(i + 1) % len(options)]
                        act = lambda c=choice: menu.first.select_option(label=c)  # noqa: E731
                    ms = _measure(page, index, act, done, old)
                    if i:  # the first change warms up
                        times.append(ms)
                results[label] = times

            def naming(index, label):
                buttons = _cell(page, index).locator(".widget-toggle-button")
                order = [1, 0, 2]  # Russian, Japanese, Both usage
                times = []
                for i in range(repeat + 1):
                    button = buttons.nth(order[i % 3])
                    ms = _measure(page, index, button.click, NEW_PLOT, OLD_PLOT)
                    if i:
                        times.append(ms)
                results[label] = times

            def plotly_slider(index, label):
                """Click the slider's steps (a different one each time), where a learner would."""
                cell = _cell(page, index)
                ticks = cell.locator(".slider-tick-rect")
                rail = cell.locator(".slider-rail-touch-rect").first
                rail.scroll_into_view_if_needed()
                box = rail.bounding_box()
                xs = [(b := ticks.nth(k).bounding_box())["x"] + b["width"] / 2
                      for k in range(ticks.count())]
                order = [3, 7, 1, 8, 5, 0, 9, 2, 6, 4]
                times = []
                for i in range(repeat + 1):
                    x = xs[order[i % len(order)] % len(xs)]
                    y = box["y"] + box["height"] / 2
                    ms = _measure(page, index, lambda x=x, y=y: page.mouse.click(x, y), PLOT_TITLE,
                                  OLD_TITLE)
                    if i:
                        times.append(ms)
                results[label] = times

            def plotly_buttons(index, label):
                """The naming buttons inside the figure (plotly updatemenus)."""
                buttons = _cell(page, index).locator(".updatemenu-button")
                buttons.first.scroll_into_view_if_needed()
                order = [1, 0, 2]  # Russian, Japanese, Both usage
                times = []
                for i in range(repeat + 1):
                    button = buttons.nth(order[i % 3])
                    ms = _measure(page, index, button.click, NEW_LABELS, LABELS_JS)
                    if i:
                        times.append(ms)
                results[label] = times

            def course_toggle(index, label):
                """The course's naming switch shown in another cell: the explorer follows it
                through the kernel (what a learner sees change is the map, so that is timed)."""
                buttons = _cell(page, index).locator(".widget-toggle-button")
                buttons.first.scroll_into_view_if_needed()
                order = [1, 0, 2]
                times = []
                for i in range(repeat + 1):
                    button = buttons.nth(order[i % 3])
                    ms = _measure(page, 0, button.click, NEW_LABELS, LABELS_JS)
                    if i:
                        times.append(ms)
                results[label] = times

            def kernel_control(index, label, pick):
                """A control whose change goes through the kernel: ``pick(cell, i)`` makes the
                i-th change; timed until the cell shows all of it (CELL_CHANGED, settled)."""
                cell = _cell(page, index)
                cell.scroll_into_view_if_needed()
                times = []
                for i in range(repeat + 1):
                    ms = _measure(page, index, lambda i=i: pick(cell, i), CELL_CHANGED,
                                  CELL_OLD_JS, settle=(CELL_SIG_JS, SETTLE_MS))
                    if i:
                        times.append(ms)
                results[label] = times

            def timeline_type(cell, i):  # one event type, then another
                menu = cell.locator("select[multiple]").nth(2)
                options = menu.locator("option").all_inner_texts()
                menu.select_option(label=options[i % 2])

            def positions_step(cell, i):  # Next twice, Previous twice, ...
                cell.locator(".widget-button").nth(1 if (i // 2) % 2 == 0 else 0).click()

            def designer_choice(cell, i):  # the first island's sovereignty, back and forth
                menu = cell.locator(".kuril-island-card select").first
                options = menu.locator("option").all_inner_texts()
                menu.select_option(label=options[i % 2])

            for label, fn, index in [
                ("floor: bare slider redraws a one-trace figure", year_steps, 2),
                ("(kernel round trip alone: slider to a line of text)",
                 lambda i, label: year_steps(i, label, NEW_TEXT, OLD_TEXT_JS), 3),
                ("map explorer: year slider (in the figure)", plotly_slider, 0),
                ("map explorer: naming buttons (in the figure)", plotly_buttons, 0),
                ("map explorer: year menu (keyboard; the relay switches it in the browser)",
                 lambda i, label: year_steps(i, label, PLOT_TITLE, OLD_TITLE), 0),
                ("sovereignty_timeline_map: built-in year slider", plotly_slider, 1),
                ("course naming switch (kernel; timed until the explorer's map follows)",
                 course_toggle, 4),
                ("timeline explorer: an event-type filter (kernel)",
                 lambda i, label: kernel_control(i, label, timeline_type), TIMELINE),
                ("positions explorer: Next / Previous (kernel)",
                 lambda i, label: kernel_control(i, label, positions_step), POSITIONS),
                ("settlement designer: an island's sovereignty (kernel)",
                 lambda i, label: kernel_control(i, label, designer_choice), DESIGNER),
            ]:
                try:
                    fn(index, label)
                except Exception as exc:  # report it, measure the rest
                    results[label] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                log(f"  browser: {label}: {json.dumps(results[label])[:120]}")
            browser.close()
    return results


def run(repeat=40):
    results = measure(repeat)
    floor_label = next(k for k in results if k.startswith("floor"))
    floor = results.pop(floor_label)
    floor_ms = median([t for t in floor if t is not None]) if isinstance(floor, list) else None
    rows = [Row("browser", floor_label, floor_ms, "ms",
                note="the floor itself" if floor_ms else f"not measured: {floor}")]
    for label, times in results.items():
        if isinstance(times, str) or not [t for t in times if t is not None]:
            why = times if isinstance(times, str) else "no repaint seen within 10 s"
            rows.append(Row("browser", label, None, "ms", limit=LIMIT_MS,
                            note=f"not measured: {why}"))
            continue
        missed = sum(t is None for t in times)
        ok = [t for t in times if t is not None]
        note = f"{len(ok)} changes, input event to painted frame, JupyterLab + Chromium"
        if missed:
            note += f"; {missed} changes saw no repaint within 10 s"
        info = label.startswith("(")  # a second floor, shown to explain the first
        rows.append(Row("browser", label, median(ok), "ms", floor=floor_ms,
                        limit=None if info else LIMIT_MS, p95=p95(ok),
                        note="no figure: what any kernel-side redraw pays first" if info else note))
    return rows
