"""The map core: a map is a list of named layers over one extent, made into one figure.

    spec = layers.spec(
        [layers.land(fills, hovers), layers.legend(categories), layers.lines(features),
         layers.labels(ids, naming, hover), layers.scale("region")],
        "region", "Who administered the islands at the end of 1905", "Administered by",
        caption=["1905: ..."])
    figures.figure(spec)        # the Figure a map function returns

A layer is ``(name, traces, annotations)``: its plotly traces (plain dicts, see ``draw``) and any
text it puts on the map (the scale bar's "100 km"). ``spec`` stacks the layers in order and adds
the caption under the map (``annotations[0]``; a map with a year slider makes its captions
shapes' labels, ``draw.caption_shape``) and the credit line. ``helpers.maps`` and the settlement
designer's map are both built this way.
"""

from collections import namedtuple

from . import draw, frame

__all__ = ["Layer", "land", "legend", "lines", "labels", "scale", "north", "outlines", "spec"]

Layer = namedtuple("Layer", "name traces annotations", defaults=((),))


def land(fills, hovers, extent="region"):
    """Every zone filled: ``fills`` {zone: (colour, pattern)}, ``hovers`` {zone: text}."""
    return Layer("land", [draw.zone_trace(z, *fills[z], hovers[z], extent)
                          for z in draw.zone_paths(extent)])


def legend(categories, shown=None):
    """One legend entry per ``{label: (colour, pattern)}``; ``shown``: the labels visible now."""
    return Layer("legend", [
        draw.legend_trace(label, colour, pattern, visible=shown is None or label in shown)
        for label, (colour, pattern) in categories.items()])


def lines(features, shown=None, naming=None):
    """Boundary lines (GeoJSON features); ``shown``: the ids visible now (default: all)."""
    return Layer("lines", [
        draw.line_trace(f, visible=shown is None or f["properties"]["id"] in shown, naming=naming)
        for f in features])


def labels(ids, naming, hover, extent="region", text=None):
    """A dot on each island of ``ids`` and its name beside it (``placement`` says where);
    ``text`` replaces the names shown."""
    ids = list(ids)
    trace = draw.label_trace(ids, naming, hover, extent)
    shown = text if text is not None else trace["text"]
    return Layer("labels", [trace], [draw.label_note(i, t, extent) for i, t in zip(ids, shown,
                                                                                   strict=True)])


def scale(extent, km=None):
    """The scale bar and its length in words."""
    trace, note = draw.scale_bar(extent, km or draw.SCALE_KM[extent])
    return Layer("scale", [trace], [note])


def north(extent):
    """The north arrow."""
    return Layer("north", [], draw.north_arrow(extent))


def outlines(items, extent="region"):
    """Dashed outlines round zones: ``items`` are (zone, legend name, colour, group, meta); each
    legend name is listed once."""
    traces, seen = [], set()
    for zone, name, colour, group, meta in items:
        xs, ys = draw.zone_paths(extent)[zone]
        traces.append({
            "type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": name,
            "line": {"color": colour, "width": 2.5, "dash": "dash"}, "legendgroup": group,
            "showlegend": name not in seen, "hoverinfo": "name", "meta": meta,
        })
        seen.add(name)
    return Layer("outlines", traces)


def legend_rows(traces):
    """(entries, groups) the legend lists for ``traces`` as they are now."""
    shown = [t for t in traces if t.get("showlegend", True) and t.get("visible", True) is True]
    return len(shown), len({t.get("legendgroup") for t in shown})


def spec(stack, extent, title, legend_title="", caption=(), credit=draw.CREDIT, under=0,
         rows=None, caption_lines=None, caption_first=False):
    """The figure dict of the layers ``stack`` over ``extent`` (see ``draw.EXTENTS``).

    Under the map, top to bottom: ``under`` px left free (for a slider), the legend, the caption
    (or the caption first, ``caption_first``) and the credit (``frame.Column``). A figure
    whose legend or caption changes (a slider step)
    reserves room for the most it will show: ``rows`` (legend entries, legend groups) and
    ``caption_lines``.
    """
    data = [t for layer in stack for t in layer.traces]
    title_lines = frame.wrap_lines(title, frame.TITLE_WRAP)
    col = frame.Column(extent, len(title_lines))
    if under:
        col.add(under)
    entries, groups = rows or legend_rows(data)
    n = max(len(draw.footnote_lines(caption)), caption_lines or 0)

    def add_caption():
        return draw.footnote(caption, col.add(frame.lines_height(n, frame.CAPTION_SIZE)))

    if caption_first:  # a slider's caption (what changed that year) right under the slider
        cap = add_caption()
    legend_y = col.add(frame.legend_height(entries, groups, bool(legend_title)))
    if not caption_first:
        cap = add_caption()
    credit_lines = frame.wrap_lines(credit, frame.CREDIT_WRAP)
    foot = draw.credit(credit, col.add(frame.lines_height(len(credit_lines), frame.CREDIT_SIZE)))
    notes = [cap, *(note for layer in stack for note in layer.annotations), foot]
    return {"data": data,
            "layout": draw.layout(extent, title_lines, legend_title, notes, col, legend_y)}
