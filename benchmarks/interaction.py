"""Interaction: the Python-side time of every widget update, measured inside a real kernel.

The updates are in ``_in_kernel.py``; here a kernel is started (cwd notebooks/, journals in a temp
folder), told to run them and to print the timings as JSON. The floor is a bare slider redrawing a
one-trace figure into an Output widget in the same kernel. Budget: 50 ms, median and 95th
percentile.
"""

import json

from ._report import Row, median, p95
from ._util import NOTEBOOKS, ROOT, kernel_manager, quiet_env

LIMIT_MS = 50


def in_kernel(code, timeout=900):
    """Run ``code`` in a fresh kernel; return its stdout (raises with the traceback on error)."""
    km = kernel_manager()
    km.start_kernel(cwd=str(NOTEBOOKS), env=quiet_env())
    kc = km.client()
    kc.start_channels()
    chunks, errors = [], []

    def hook(msg):
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["name"] == "stdout":
            chunks.append(content["text"])
        elif kind == "error":
            errors.append("\n".join(content["traceback"]))

    try:
        kc.wait_for_ready(timeout=120)
        kc.execute_interactive(code, output_hook=hook, timeout=timeout, store_history=False)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    if errors:
        raise RuntimeError("the kernel raised:\n" + errors[0])
    return "".join(chunks)


def measure(repeat=30, only=None):
    """{label: {"ms": [...]} or {"error": ...}}, each case in a fresh kernel."""
    from . import _in_kernel

    names = [fn.__name__ for _, fn in _in_kernel.CASES if not only or fn.__name__ in only]
    results = {}
    for name in names:
        code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r})\n"
                "from benchmarks import _in_kernel\n"
                f"print('@@' + json.dumps(_in_kernel.run({repeat}, [{name!r}])))")
        results.update(json.loads(in_kernel(code).split("@@", 1)[1]))
    return results


def run(repeat=30, only=None):
    results = measure(repeat, only)
    floor_label = next((label for label in results if label.startswith("floor")), None)
    floor_ms = median(results.pop(floor_label)["ms"]) if floor_label else None
    rows = [Row("interaction", floor_label, floor_ms, "ms", note="the floor itself")]
    for label, res in results.items():
        if "error" in res:
            rows.append(Row("interaction", label, None, "ms", limit=LIMIT_MS,
                            note="not measured: " + res["error"]))
            continue
        ms = res["ms"]
        rows.append(Row("interaction", label, median(ms), "ms", floor=floor_ms, limit=LIMIT_MS,
                        p95=p95(ms), note=f"{len(ms)} updates, each case in a fresh kernel"))
    return rows
