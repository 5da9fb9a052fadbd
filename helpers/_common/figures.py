"""Figures as plain plotly JSON: built as dicts, returned as a ``go.Figure``, drawn into widgets.

The maps and the timeline build each figure as a dict (``{"data": [...], "layout": {...}}``).
What a function returns is ``figure(spec)``, a ``plotly.graph_objects.Figure`` checked by plotly
as usual. An explorer that redraws on every change does not need the Figure: ``show(output,
spec)`` hands the dict to plotly's own mimetype renderer (``plotly.io.renderers``), which writes
the JSON without checking it again, so a redraw costs what drawing costs.
"""

import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["PLOTLY_MIME", "NO_THEME", "figure", "bundle", "show"]

PLOTLY_MIME = "application/vnd.plotly.v1+json"
# plotly's "none" template written out (an empty template would be replaced by the default
# theme): no 7 KB theme in every figure; each figure sets its own colours.
NO_THEME = {"data": {"scatter": [{"type": "scatter"}]}}


def figure(spec):
    """The plotly Figure of a dict ``spec`` (plotly checks every trace and the layout)."""
    return go.Figure(spec)


def bundle(spec):
    """What ``display()`` sends for ``spec`` with plotly's mimetype renderer."""
    return pio.renderers["plotly_mimetype"].to_mimebundle(dict(spec))


def show(output, spec, text=None):
    """Draw ``spec`` into the ipywidgets Output ``output``, replacing what it showed.

    Replacing the outputs is one message; ``clear_output`` + ``display`` costs several, each
    waiting on the kernel's output thread. Where a kernel has plotly set to render some other
    way than its mimetype (``plotly.io.renderers.default``), the Figure is displayed as plotly
    would."""
    if pio.renderers.default != "plotly_mimetype" and _in_kernel():
        from IPython.display import display

        with output:
            output.clear_output(wait=True)
            display(figure(spec))
        return
    data = bundle(spec)
    if text:
        data["text/plain"] = text
    output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)


def _in_kernel():
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None
