"""Figures as plain plotly JSON: built as dicts, returned as a ``go.Figure``, drawn into widgets.

The maps and the timeline build each figure as a dict (``{"data": [...], "layout": {...}}``).
What a function returns is ``figure(spec)``, a ``plotly.graph_objects.Figure`` checked by plotly
as usual. An explorer that redraws on every change does not need the Figure: ``show(output,
spec)`` writes the dict as plotly's mimetype renderer would, without checking it again, so a
redraw costs what drawing costs.

Displaying a figure the usual way loads ``plotly.io``'s renderer registry, which imports
nbformat and with it jsonschema (1.5-2 s in a fresh kernel, most of a lesson's first map). Where
plotly would render with its mimetype anyway (a Jupyter kernel, no renderer chosen: JupyterLab,
Voila), ``bundle`` writes the same JSON itself (tests/test_figures.py compares the two on every
course figure); anywhere else, or once anyone has chosen a renderer, plotly does the drawing.
"""

import functools
import os
import sys

import plotly.graph_objects as go

__all__ = ["PLOTLY_MIME", "NO_THEME", "Figure", "figure", "bundle", "show"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
# plotly's "none" template written out (an empty template would be replaced by the default
# theme): no 7 KB theme in every figure; each figure sets its own colours.
NO_THEME = {"data": {"scatter": [{"type": "scatter"}]}}
# What makes plotly choose a renderer other than its mimetype (plotly/io/_renderers.py).
_PLOTLY_CHOOSES = ("PLOTLY_RENDERER", "COLAB_NOTEBOOK_ID", "AZURE_NOTEBOOKS_HOST", "VSCODE_PID",
                   "NTERACT_EXE", "COCALC_PROJECT_ID", "DATABRICKS_RUNTIME_VERSION")


@functools.cache
def _figure_class():
    """``Figure``, made on first use: subclassing ``go.Figure`` loads plotly's figure code (about
    40 ms), which importing the helpers should not pay before a lesson draws anything."""

    class Figure(go.Figure):
        """A ``go.Figure`` (checked by plotly as usual) that displays without loading plotly's
        renderer registry where that registry would choose the plain mimetype."""

        def _ipython_display_(self):
            if not plain_mimetype():
                return super()._ipython_display_()
            from IPython.display import display

            display(bundle(self.to_dict()), raw=True)

        def _repr_mimebundle_(self, include=None, exclude=None, validate=True, **kwargs):
            if not plain_mimetype():
                return super()._repr_mimebundle_(include, exclude, validate, **kwargs)
            return bundle(self.to_dict())

    Figure.__module__ = __name__
    Figure.__qualname__ = "Figure"
    return Figure


def __getattr__(name):
    if name == "Figure":  # figures.Figure, the class every course figure is
        return _figure_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def figure(spec):
    """The plotly Figure of a dict ``spec`` (plotly checks every trace and the layout)."""
    return _figure_class()(spec)


def bundle(spec):
    """What ``display()`` sends for ``spec`` with plotly's mimetype renderer."""
    import json

    from plotly.io import to_json

    return {PLOTLY_MIME: json.loads(to_json(dict(spec), validate=False, remove_uids=False))}


def plain_mimetype():
    """True where plotly would display a figure with its plain mimetype renderer."""
    loaded = sys.modules.get("plotly.io._renderers")
    if loaded is not None:
        return loaded.renderers.default == "plotly_mimetype" and loaded.renderers.render_on_display
    if any(name in os.environ for name in _PLOTLY_CHOOSES) or os.path.exists("/kaggle/input"):
        return False
    return _in_kernel()


def show(output, spec, text=None, quiet=False, sent=None):
    """Draw ``spec`` into the ipywidgets Output ``output``, replacing what it showed.

    Replacing the outputs is one message; ``clear_output`` + ``display`` costs several, each
    waiting on the kernel's output thread. Where a kernel has plotly set to render some other
    way than its mimetype (``plotly.io.renderers.default``), the Figure is displayed as plotly
    would. ``quiet``: the browser already shows ``spec`` (redrawn in place, ``relay.py``); the
    Output widget records it for a page loaded later, and nothing is sent to this page.
    ``sent``: ``spec`` as plotly's JSON, when the caller has it already (``bundle``)."""
    if _in_kernel() and not plain_mimetype():
        from IPython.display import display

        with output:
            output.clear_output(wait=True)
            display(go.Figure(spec))
        return
    data = {PLOTLY_MIME: sent} if sent is not None else bundle(spec)
    if text:
        data["text/plain"] = text
    outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)
    if not quiet:
        output.outputs = outputs
        return
    import json

    # ipywidgets sends no change the browser itself reported (the same value, as JSON)
    with output._lock_property(outputs=json.loads(json.dumps(outputs))):
        output.outputs = outputs


def _in_kernel():
    """True in an IPython kernel (ipykernel's shell), as plotly checks it."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return (type(shell).__name__ == "ZMQInteractiveShell"
            and type(shell).__module__.startswith("ipykernel."))


def changes(old, new):
    """``[traces, relayout]`` that turn figure dict ``old`` into ``new`` in the browser, or None
    where the traces differ in number or kind (then the browser redraws the whole figure).

    ``traces``: ``[[index, {path: value}], ...]``, each trace's changed attributes alone (the
    browser leaves the others as they are: plotly redraws only what their kind of change
    needs); ``relayout``: ``{path: value}``. ``None`` as a value resets it to plotly's default.
    Nothing changed: ``[[], {}]``."""
    a, b = old.get("data", []), new.get("data", [])
    if len(a) != len(b) or any(s.get("type") != t.get("type") for s, t in zip(a, b)):
        return None
    traces = [[i, d] for i, d in enumerate(_diff(s, t) for s, t in zip(a, b)) if d]
    return [traces, _diff(old.get("layout", {}), new.get("layout", {}), lists=True)]


def _flat(d, prefix="", lists=False):
    """{"a.b": value} for a nested dict; with ``lists``, a list of dicts is opened as "a[0].b"
    (the layout's annotations, shapes, ...)."""
    out = {}
    for key, value in d.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(_flat(value, path + ".", lists))
        elif (lists and isinstance(value, list) and value
              and all(isinstance(v, dict) for v in value)):
            out[path + "#"] = len(value)
            for i, v in enumerate(value):
                out.update(_flat(v, f"{path}[{i}].", False))
        else:
            out[path] = value
    return out


def _diff(old, new, lists=False):
    """{path: new value (None: removed)} where ``new`` differs from ``old``; a list whose
    length changed is given whole."""
    a, b = _flat(old, lists=lists), _flat(new, lists=lists)
    resized = {k[:-1] for k in a.keys() | b.keys() if k.endswith("#") and a.get(k) != b.get(k)}
    out = {k: _at(new, k) for k in resized}
    for k in a.keys() | b.keys():
        if k.endswith("#") or any(k.startswith(r + "[") for r in resized):
            continue
        if a.get(k, _MISSING) != b.get(k, _MISSING):
            out[k] = b.get(k)
    return out


_MISSING = object()


def _at(d, path):
    """The value at dotted ``path`` ("annotations", "title.text") of dict ``d``."""
    for key in path.split("."):
        d = d.get(key) if isinstance(d, dict) else None
    return d
