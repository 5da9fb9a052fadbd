"""The map core: a map is a list of named layers over one extent, made into one figure.

    spec = layers.spec(
        [layers.land(fills, hovers), layers.legend(categories), layers.lines(features),
         layers.labels(ids, naming, hover), layers.scale("region")],
        "region", "Who administered the islands at the end of 1905", "Administered by",
        caption=["1905: ..."])
    figures.figure(spec)        # the Figure a map function returns

A layer is ``(name, traces, annotations)``: its plotly traces (plain dicts, see ``draw``) and any
text it puts on the map (the scale bar's "100 km"). ``spec`` stacks the layers in order and adds
the caption under the map (always ``annotations[0]``, so a slider step can replace it) and the
credit line. ``helpers.maps`` and the settlement designer's map are both built this way.
"""

from collections import namedtuple

from . import draw

__all__ = ["Layer", "land", "legend", "lines", "labels", "scale", "outlines", "spec"]

Layer = namedtuple("Layer", "name traces annotations", defaults=((),))


def land(fills, hovers):
    """Every zone filled: ``fills`` {zone: (colour, pattern)}, ``hovers`` {zone: text}."""
    return Layer("land", [draw.zone_trace(z, *fills[z], hovers[z]) for z in draw.zone_paths()])


def legend(categories, shown=None):
    """One legend entry per ``{label: (colour, pattern)}``; ``shown``: the labels visible now."""
    return Layer("legend", [
        draw.legend_trace(label, colour, pattern, visible=shown is None or label in shown)
        for label, (colour, pattern) in categories.items()])


def lines(features, shown=None):
    """Boundary lines (GeoJSON features); ``shown``: the ids visible now (default: all)."""
    return Layer("lines", [
        draw.line_trace(f, visible=shown is None or f["properties"]["id"] in shown)
        for f in features])


def labels(ids, naming, hover, positions=None, text=None):
    """A dot and a name on each island of ``ids``; ``text`` replaces the names shown."""
    trace = draw.label_trace(list(ids), naming, hover, positions)
    if text is not None:
        trace["text"] = text
    return Layer("labels", [trace])


def scale(extent, km=None):
    """The scale bar at the lower left and its length in words."""
    trace, note = draw.scale_bar(extent, km or draw.SCALE_KM[extent])
    return Layer("scale", [trace], [note])


def outlines(items):
    """Dashed outlines round zones: ``items`` are (zone, legend name, colour, group, meta); each
    legend name is listed once."""
    traces, seen = [], set()
    for zone, name, colour, group, meta in items:
        xs, ys = draw.zone_paths()[zone]
        traces.append({
            "type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": name,
            "line": {"color": colour, "width": 2.5, "dash": "dash"}, "legendgroup": group,
            "showlegend": name not in seen, "hoverinfo": "name", "meta": meta,
        })
        seen.add(name)
    return Layer("outlines", traces)


def spec(stack, extent, title, legend_title="", caption=(), credit=draw.CREDIT):
    """The figure dict of the layers ``stack`` over ``extent`` (see ``draw.EXTENTS``)."""
    data = [t for layer in stack for t in layer.traces]
    notes = [draw.footnote(caption), *(n for layer in stack for n in layer.annotations),
             draw.credit(credit)]
    return {"data": data, "layout": draw.layout(extent, title, legend_title, notes)}
