"""Where a map figure's names, dots, lines and land fall on screen, computed from its JSON.

Used by tests/test_maps.py to check that no name overlaps another name, a dot, a boundary line or
another island's land, at the figure widths the maps are laid out for. Text extents are
approximated from font size and character count (a little wider than Chromium draws them, see
CHAR_WIDTH); positions come from the axis ranges, the margins and the figure's width, as plotly
computes them for a map that keeps its aspect ratio (``scaleanchor``) and hugs the top left of
its plot area (``constraintoward``).
"""

import re
from dataclasses import dataclass, field

CHAR_WIDTH = 0.6  # Chromium draws the course's labels at 0.46-0.60 of the font size per character
PAD = 3  # the annotation's border padding and box, each side
LINE = 1.3


@dataclass
class Box:
    name: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other, slack=0.0):
        return (self.x0 < other.x1 - slack and other.x0 < self.x1 - slack
                and self.y0 < other.y1 - slack and other.y0 < self.y1 - slack)

    def inside(self, other):
        return (self.x0 >= other.x0 and self.x1 <= other.x1 and self.y0 >= other.y0
                and self.y1 <= other.y1)

    def hits_segment(self, a, b):
        """Whether the segment a-b (px) passes through the box."""
        if self.contains(a) or self.contains(b):
            return True
        corners = [(self.x0, self.y0), (self.x1, self.y0), (self.x1, self.y1), (self.x0, self.y1)]
        return any(_cross(a, b, corners[i], corners[(i + 1) % 4]) for i in range(4))

    def contains(self, p):
        return self.x0 < p[0] < self.x1 and self.y0 < p[1] < self.y1


@dataclass
class Scene:
    width: float
    map: Box
    labels: list = field(default_factory=list)  # Box: names, the scale's words, the N
    marks: list = field(default_factory=list)  # Box: dots
    lines: list = field(default_factory=list)  # (name, [(x, y), ...]) polylines
    leaders: list = field(default_factory=list)  # (label name, a, b): leader line of a label
    land: list = field(default_factory=list)  # (zone, [(x, y), ...]) polygons


def _cross(a, b, c, d):
    def orient(p, q, r):
        v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return (v > 0) - (v < 0)

    return (orient(a, b, c) != orient(a, b, d) and orient(c, d, a) != orient(c, d, b)
            and orient(a, b, c) != 0 and orient(a, b, d) != 0)


def plain(text):
    return re.sub(r"<[^>]+>", "", text or "").replace("&amp;", "&").replace("&lt;", "<")


def text_size(text, size, char_width=CHAR_WIDTH):
    """(width, height) in px of ``text`` (lines split at <br>) in a font of ``size`` px."""
    lines = plain(str(text).replace("<br>", "\n")).split("\n")
    return (max(len(t) for t in lines) * size * char_width + 2 * PAD,
            len(lines) * size * LINE + 2 * PAD)


def scene(fig, width):
    """A ``Scene`` of the figure dict ``fig`` (``json.loads(fig.to_json())``) ``width`` px wide."""
    lay = fig["layout"]
    (x0, x1), (y0, y1) = lay["xaxis"]["range"], lay["yaxis"]["range"]
    ratio = lay["yaxis"].get("scaleratio", 1)
    m = lay["margin"]
    plot_w, plot_h = width - m["l"] - m["r"], lay["height"] - m["t"] - m["b"]
    s = min(plot_w / (x1 - x0), plot_h / ((y1 - y0) * ratio))
    left, top = m["l"], m["t"]

    def px(lon, lat):
        return left + (lon - x0) * s, top + (y1 - lat) * ratio * s

    out = Scene(width, Box("map", left, top, left + (x1 - x0) * s, top + (y1 - y0) * ratio * s))
    defaults = lay.get("template", {}).get("layout", {}).get("annotationdefaults", {})
    for note in lay.get("annotations", []):
        note = {**defaults, **note, "font": {**defaults.get("font", {}), **note.get("font", {})}}
        if note.get("opacity", 1) == 0:  # drawn for another naming, not shown now
            continue
        if note.get("xref", "x") != "x" or not note.get("text") or note.get("visible") is False:
            if note.get("name") == "north-arrow":
                pass
            else:
                continue
        x, y = px(note["x"], note["y"])
        if note.get("showarrow"):
            tx, ty = x + note.get("ax", 0), y + note.get("ay", 0)
        else:
            tx, ty = x + note.get("xshift", 0), y - note.get("yshift", 0)
        if not note.get("text"):  # an arrow alone (the north arrow): a line
            out.lines.append((note.get("name", "arrow"), [(x, y), (tx, ty)]))
            continue
        w, h = text_size(note["text"], note["font"].get("size", 12))
        bx = {"left": tx, "right": tx - w}.get(note.get("xanchor"), tx - w / 2)
        by = {"top": ty, "bottom": ty - h}.get(note.get("yanchor"), ty - h / 2)
        box = Box(note.get("name") or plain(note["text"]), bx, by, bx + w, by + h)
        out.labels.append(box)
        if note.get("showarrow"):
            out.leaders.append((box.name, (x, y), (tx, ty)))
    for t in fig["data"]:
        xs, ys = t.get("x") or [], t.get("y") or []
        if t.get("meta") == "labels":
            r = t.get("marker", {}).get("size", 6) / 2
            for i, lon, lat in zip(t["ids"], xs, ys, strict=True):
                cx, cy = px(lon, lat)
                out.marks.append(Box(f"dot:{i}", cx - r, cy - r, cx + r, cy + r))
        elif t.get("fill") == "toself" and xs and xs[0] is not None:
            for ring in _parts(xs, ys):
                out.land.append((t.get("meta"), [px(*p) for p in ring]))
        elif t.get("mode") == "lines" and t.get("fill") in (None, "none") and xs and \
                xs[0] is not None and not str(t.get("meta", "")).startswith(("claim-", "admin-")):
            for part in _parts(xs, ys):
                out.lines.append((t.get("meta") or t.get("name"), [px(*p) for p in part]))
    return out


def _parts(xs, ys):
    part = []
    for x, y in zip(xs, ys, strict=True):
        if x is None or y is None:
            if part:
                yield part
            part = []
        else:
            part.append((x, y))
    if part:
        yield part


def bounds(pts):
    """(x0, y0, x1, y1) of the points ``pts`` (at least one)."""
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def apart(box, extent):
    """True when nothing within ``extent`` (``bounds`` of a line or polygon) can touch ``box``:
    every point of it lies beyond one side of the box, so no point is inside the box, no segment
    crosses it, and a polygon cannot hold its centre. A quick no before the exact tests."""
    return extent[2] < box.x0 or extent[0] > box.x1 or extent[3] < box.y0 or extent[1] > box.y1


def polygon_hits_box(poly, box):
    if any(box.contains(p) for p in poly):
        return True
    for a, b in zip(poly, poly[1:] + poly[:1], strict=True):
        if box.hits_segment(a, b):
            return True
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    return _inside(poly, (cx, cy))


def _inside(poly, p):
    x, y, hit = p[0], p[1], False
    for (xa, ya), (xb, yb) in zip(poly, poly[1:] + poly[:1], strict=True):
        if (ya > y) != (yb > y) and x < xa + (y - ya) * (xb - xa) / (yb - ya):
            hit = not hit
    return hit


def problems(fig, width, own_zones):
    """Every overlap on the figure at ``width``, as readable lines. ``own_zones(label name)``:
    the zones a label may sit on (its own island's)."""
    sc = scene(fig, width)
    out = []
    at = f"at {width} px"
    lines = [(name, pts, bounds(pts)) for name, pts in sc.lines if pts]
    land = [(zone, poly, bounds(poly)) for zone, poly in sc.land if poly]
    for i, a in enumerate(sc.labels):
        if not a.inside(sc.map):
            out.append(f"{a.name} reaches past the map's edge {at}")
        for b in sc.labels[i + 1:]:
            if a.overlaps(b):
                out.append(f"{a.name} overlaps {b.name} {at}")
        for dot in sc.marks:
            if a.overlaps(dot):
                out.append(f"{a.name} covers the dot {dot.name} {at}")
        for name, pts, extent in lines:
            if name == a.name or apart(a, extent):
                continue
            if any(a.hits_segment(p, q) for p, q in zip(pts, pts[1:], strict=False)):
                if not (a.name == "scale" and name == "scale"):
                    out.append(f"{a.name} is crossed by the line {name} {at}")
        for owner, p, q in sc.leaders:
            if owner != a.name and _leader_hits(a, p, q, sc):
                out.append(f"{a.name} is crossed by the leader line of {owner} {at}")
        mine = own_zones(a.name)
        for zone, poly, extent in land:
            if zone not in mine and not apart(a, extent) and polygon_hits_box(poly, a):
                out.append(f"{a.name} sits on the land of {zone} {at}")
                break
    for i, (owner, p, q) in enumerate(sc.leaders):
        for dot in sc.marks:
            if dot.name.split(":", 1)[1] != owner.split(":", 1)[1] and dot.hits_segment(p, q):
                out.append(f"the leader line of {owner} crosses the dot {dot.name} {at}")
        for other, r, t in sc.leaders[i + 1:]:
            if _cross(p, q, r, t):
                out.append(f"the leader lines of {owner} and {other} cross {at}")
    return out


def _leader_hits(box, p, q, sc):
    return box.hits_segment(p, q)
