"""The debrief's figures, built as dicts (``helpers._common.figures``): how the class answered a
question, the share right per question, the class's settlements on one map, and how the designs
fared against each government's conditions.

Colour is never the only cue: right answers are marked ✓ in their label and drawn solid, wrong ones
hatched; the map repeats each side's colour with its fill pattern, and says everything in the hover.
"""

import html

from ..._capstone import designmap, rules
from ..._common.figures import NO_THEME
from ..._maps import draw, layers

RIGHT, WRONG, NEUTRAL = "#1B7837", "#B2182B", "#4C72B0"
RESULT_COLOURS = {rules.MEETS: "#1B7837", rules.CONFLICTS: "#B2182B", rules.UNCLEAR: "#C98A1B",
                  rules.NOT_ADDRESSED_RESULT: "#8C8C8C"}
RESULT_PATTERNS = {rules.MEETS: "", rules.CONFLICTS: "/", rules.UNCLEAR: ".",
                   rules.NOT_ADDRESSED_RESULT: "-"}
SIDE_ORDER = ("japan", "russia", "shared", "deferred")


def _wrap(text, width=60):
    return draw.wrap(str(text), width)  # escaped, lines joined with <br>


def _layout(title, height, **extra):
    return {"template": NO_THEME, "title": {"text": title}, "height": height,
            "margin": {"l": 10, "r": 10, "t": 60, "b": 40}, "plot_bgcolor": "#FFFFFF",
            "font": {"family": "system-ui, sans-serif", "size": 13}, **extra}


def spread(item):
    """Bars: how many learners gave each answer (``item``: a debrief item dict)."""
    rows = list(reversed(item["spread"]))  # plotly draws the first bar at the bottom
    labels = [("✓ " if ok else "") + _wrap(text, 50) for text, _, ok in rows]
    colours = [RIGHT if ok else WRONG if ok is False else NEUTRAL for _, _, ok in rows]
    patterns = ["" if ok is not False else "/" for _, _, ok in rows]
    trace = {"type": "bar", "orientation": "h", "x": [n for _, n, _ in rows], "y": labels,
             "marker": {"color": colours, "pattern": {"shape": patterns}},
             "text": [n for _, n, _ in rows], "textposition": "outside", "cliponaxis": False,
             "textfont": {"color": draw.INK},
             "hovertemplate": "%{y}<br>%{x} learners<extra></extra>"}
    answered = item["answered"]
    title = f"{item['id']}: how {answered} learner{'s' if answered != 1 else ''} answered"
    return {"data": [trace], "layout": _layout(
        title, 140 + 34 * len(rows), xaxis={"title": {"text": "learners"}, "rangemode": "tozero"},
        yaxis={"automargin": True}, showlegend=False)}


def overview(items):
    """Bars: the share right of every marked question, hardest at the top."""
    marked = [i for i in items if i["share_right"] is not None]
    marked.sort(key=lambda i: (-i["share_right"], i["id"]))
    trace = {"type": "bar", "orientation": "h",
             "x": [round(100 * i["share_right"]) for i in marked],
             "y": [i["id"] for i in marked], "marker": {"color": NEUTRAL},
             "customdata": [[i["lesson"], i["answered"]] for i in marked],
             "hovertemplate": "%{y} (%{customdata[0]})<br>%{x}% right of %{customdata[1]} "
                              "answering<extra></extra>"}
    return {"data": [trace], "layout": _layout(
        "Share of learners right, per question", 120 + 18 * len(marked),
        xaxis={"title": {"text": "% right"}, "range": [0, 100]}, yaxis={"automargin": True},
        showlegend=False)}


def _side_words(side):
    return designmap.STYLES[side][2]


def settlement_map(islands, designs, naming=None):
    """The four islands, each in the colour of the side most designs gave it; hover: every side
    with its timings. ``islands``: {island: {side: {timing: n}}}."""
    fills, hovers, used = {}, {}, {}
    label_text, label_hover = [], []
    for zone in draw.zone_paths():
        if zone not in rules.ISLANDS:
            fills[zone] = designmap.OTHER
            hovers[zone] = f"{draw.zone_name(zone, naming)} (not part of the designs)"
            continue
        sides = islands.get(zone, {})
        totals = {s: sum(t.values()) for s, t in sides.items()}
        top = max(SIDE_ORDER, key=lambda s: (totals.get(s, 0), -SIDE_ORDER.index(s)))
        colour, pattern, label = designmap.STYLES[top]
        fills[zone] = (colour, pattern) if totals else designmap.OTHER
        if totals:
            used[label] = (colour, pattern)
        name = html.escape(draw.safe_name(zone, naming))
        lines = [f"<b>{name}</b>: {designs} design{'s' if designs != 1 else ''}"]
        for side in SIDE_ORDER:
            if totals.get(side):
                timing = ", ".join(f"{html.escape(t)} {n}" for t, n in
                                   sorted(sides[side].items(), key=lambda kv: -kv[1]))
                lines.append(f"{_side_words(side)}: {totals[side]} ({timing})")
        hovers[zone] = "<br>".join(lines)
        label_hover.append(hovers[zone])
        label_text.append(f"{name}<br>{_side_words(top)} {totals.get(top, 0)} of {designs}"
                          if totals else name)
    legend = {lab: style for lab, style in
              ((designmap.STYLES[s][2], designmap.STYLES[s][:2]) for s in SIDE_ORDER)
              if lab in used}
    stack = [layers.land(fills, hovers, "disputed"), layers.legend(legend),
             layers.labels(rules.ISLANDS, naming, label_hover, "disputed", text=label_text),
             layers.scale("disputed", 20), layers.north("disputed")]
    caption = [f"Each island in the colour of the side most of the class's {designs} designs gave "
               "it; hover for every side and handover timing. A class's designs, not an agreed "
               "boundary."]
    return layers.spec(stack, "disputed", "The class's settlements: who gets each island",
                       "Most designs give it to", caption, draw.CREDIT.split(" Data:")[0])


def settlement_bars(rows):
    """Stacked bars: for each island, how many designs gave it to each side (``rows``: dicts of
    island, side, timing, designs)."""
    traces = []
    for side in SIDE_ORDER:
        colour, pattern, label = designmap.STYLES[side]
        per_island = {}
        for r in rows:
            if r["side_id"] == side:
                per_island[r["island"]] = per_island.get(r["island"], 0) + r["designs"]
        if not per_island:
            continue
        names = list(dict.fromkeys(r["island"] for r in rows))
        traces.append({"type": "bar", "orientation": "h", "name": label,
                       "y": names, "x": [per_island.get(n, 0) for n in names],
                       "marker": {"color": colour, "pattern": {"shape": pattern}},
                       "hovertemplate": f"{label}: %{{x}} designs<extra>%{{y}}</extra>"})
    return {"data": traces, "layout": _layout(
        "Who gets each island in the class's designs", 320, barmode="stack",
        xaxis={"title": {"text": "designs"}}, yaxis={"automargin": True},
        legend={"traceorder": "normal"})}


def outcomes(rows):
    """Stacked bars: for each stated condition, how many designs meet it, conflict with it, are
    unclear, or do not address it (at each design's own date)."""
    labels = [_wrap(f"{r['government']}: {r['condition']}", 55) for r in rows]
    traces = [{"type": "bar", "orientation": "h", "name": result, "y": labels,
               "x": [r[result] for r in rows],
               "marker": {"color": RESULT_COLOURS[result],
                          "pattern": {"shape": RESULT_PATTERNS[result]}},
               "hovertemplate": f"%{{x}} designs: {result}<extra></extra>"}
              for result in rules.RESULTS]
    return {"data": traces, "layout": _layout(
        "How the class's designs fared against each government's stated conditions",
        160 + 44 * len(rows), barmode="stack", xaxis={"title": {"text": "designs"}},
        yaxis={"automargin": True, "autorange": "reversed"}, legend={"traceorder": "normal"})}
