"""The figures' controls change only what plotly.js redraws without recomputing the figure.

plotly.js gives every attribute an ``editType``. An edit whose type includes "calc" or "plot"
recomputes and redraws the whole figure: about 60 ms for the map explorer on a 2-core machine,
most of a learner's 100 ms. The other edit types restyle the traces, or redraw one annotation or
shape. This module reads the schema of the plotly.js that the course ships (plotly's package
data) in Chromium, on a blank page with no server. It then checks every edit that a control of
the course's figures makes in the browser:
- a year step of a slider;
- a naming button;
- what the kernel sends as an in-place update (``figures.changes``) for a change of design, or
  of the map explorer's year or naming when no browser switched it.
"""

import json
from pathlib import Path

import _harness as h
import plotly
import pytest

from helpers import maps, names, settlement
from helpers._capstone import designmap

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SLOW = ("calc", "plot")

# editType of each restyle path ("fillpattern.shape") of a scatter trace, or relayout path
# ("shapes[1].label.text"); a container without its own editType gives its parent's
EDIT_TYPES = """(keys) => {
  const schema = Plotly.PlotSchema.get();
  return keys.map(([kind, path]) => {
    let node = kind === 'trace' ? schema.traces.scatter.attributes
                                : schema.layout.layoutAttributes;
    let type = null;
    for (const part of path.split('.')) {
      const m = /^([^\\[]+)(\\[\\d+\\])?$/.exec(part);
      if (!m || !node || !node[m[1]]) return null;
      node = node[m[1]];
      if (node.editType) type = node.editType;
      if (m[2]) { node = Object.values(node.items)[0]; if (node.editType) type = node.editType; }
    }
    return node.editType || type;
  });
}"""


@pytest.fixture(scope="module")
def schema_page(browser):
    """One blank page with the course's plotly.js, for the whole module (loading it takes 2 s)."""
    context = h.new_context(browser)
    guard = h.Guard(context)
    page = context.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(path=str(PLOTLY_JS))
    yield page
    problems = guard.problems()
    context.close()
    assert not problems, problems


def edit_types(page, edits):
    """{(kind, path): editType} for every (kind, path) in ``edits`` (None: not in the schema)."""
    keys = sorted(set(edits))
    types = page.evaluate(EDIT_TYPES, [list(k) for k in keys])
    return dict(zip(keys, types, strict=True))


def control_edits(fig):
    """(control, kind, path) of every edit a slider step or button of ``fig`` makes."""
    out = []
    lay = fig["layout"]
    for group, items in [("sliders", "steps"), ("updatemenus", "buttons")]:
        for g in lay.get(group, []):
            for item in g[items]:
                assert item["method"] == "update", item["method"]
                restyle, relayout = item["args"][:2]
                where = f"{group}: {item['label']}"
                out += [(where, "trace", p) for p in restyle]
                out += [(where, "layout", p) for p in relayout]
    return out


def in_place_edits(pairs):
    """(change, kind, path) of the in-place updates from one figure dict to another, for each
    (change, old, new) in ``pairs``."""
    out = []
    for where, old, new in pairs:
        a, b = (maps.figures.bundle(f)[maps.figures.PLOTLY_MIME] for f in (old, new))
        rows, relayout = maps.figures.changes(a, b)
        out += [(where, "trace", p) for _, values in rows for p in values]
        out += [(where, "layout", p) for p in relayout]
    return out


def design_edits():
    """The designer's map, one island and choice at a time from the status quo."""
    base = settlement.status_quo()
    pairs = []
    for island in base["islands"]:
        for choice in ("japan", "russia", "shared"):
            design = json.loads(json.dumps(base))
            design["islands"][island]["sovereignty"] = choice
            pairs.append((f"design: {island} {choice}", designmap.spec(base),
                          designmap.spec(design)))
    return in_place_edits(pairs)


def explorer_kernel_edits():
    """The map explorer redrawn by the kernel: from its first year to each other, and to each
    naming."""
    first = maps.explorer_spec()
    years = [int(s["label"]) for s in first["layout"]["sliders"][0]["steps"]]
    pairs = [(f"year {y}", first, maps.explorer_spec(year=y)) for y in years[1:]]
    pairs += [(f"naming {c}", first, maps.explorer_spec(naming=c))
              for c in names.CONVENTIONS]
    return in_place_edits(pairs)


def test_the_schema_lookup_sees_edits_that_recompute(schema_page):
    """The check below can fail: ``visible`` and an annotation's text recompute the figure."""
    types = edit_types(schema_page, [("trace", "visible"), ("layout", "annotations[0].text"),
                                     ("trace", "fillcolor"), ("layout", "no.such")])
    assert "calc" in types[("trace", "visible")]
    assert "calc" in types[("layout", "annotations[0].text")]
    assert types[("trace", "fillcolor")] == "style"
    assert types[("layout", "no.such")] is None


@pytest.mark.parametrize("name", ["explorer", "sovereignty_timeline_map", "designer",
                                  "explorer redrawn by the kernel"])
def test_controls_edit_only_what_plotly_redraws_without_recomputing(schema_page, name):
    if name == "designer":
        edits = design_edits()
    elif name == "explorer redrawn by the kernel":
        edits = explorer_kernel_edits()
    else:
        spec = (maps.explorer_spec() if name == "explorer"
                else json.loads(maps.sovereignty_timeline_map().to_json()))
        edits = control_edits(spec)
    assert edits, f"{name}: no control found"
    types = edit_types(schema_page, [(kind, path) for _, kind, path in edits])
    slow = sorted({f"{where}: {kind} {path} ({types[(kind, path)]})"
                   for where, kind, path in edits
                   if types[(kind, path)] is None
                   or any(s in types[(kind, path)].split("+") for s in SLOW)})
    assert not slow, "edits that recompute the figure (or are not in plotly's schema):\n" + \
        "\n".join(slow)
