"""Coastlines cut to what a map shows: clipped to its extent and simplified to its scale.

Pure Python (no numpy, no shapely). A map of the whole region draws about 24 px per degree, so a
vertex every 0.001° is wasted there; the Habomai map draws 350. ``fit(ring, box, tolerance)``
returns the part of ``ring`` inside ``box`` (a little wider than the map, so the cut edges fall
outside the drawn area) with the vertices that move it by less than ``tolerance`` dropped.
"""

import math

__all__ = ["clip", "simplify", "fit"]


def clip(ring, box):
    """The polygon ``ring`` (list of (lon, lat)) cut to ``box`` ((x0, x1), (y0, y1)), by
    Sutherland–Hodgman: exact for a rectangle. An empty list when nothing is inside."""
    (x0, x1), (y0, y1) = box
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _at_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _at_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _at_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _at_y(a, b, y1)),
    )
    out = [tuple(p) for p in ring]
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    for inside, cut in edges:
        if not out:
            break
        points, out = out, []
        prev = points[-1]
        for p in points:
            if inside(p):
                if not inside(prev):
                    out.append(cut(prev, p))
                out.append(p)
            elif inside(prev):
                out.append(cut(prev, p))
            prev = p
    return out if len(out) >= 3 else []


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(ring, tolerance, aspect=1.0):
    """Douglas–Peucker on a closed ring; ``aspect`` stretches latitude as the map does, so the
    tolerance is the same in every direction on screen. Keeps at least the ring's 3 far points."""
    if tolerance <= 0 or len(ring) < 5:
        return list(ring)
    pts = [(x, y * aspect) for x, y in ring]
    # split the ring at its first point and the point farthest from it: two open paths
    far = max(range(len(pts)), key=lambda i: _dist2(pts[0], pts[i]))
    keep = {0, far}
    for lo, hi in ((0, far), (far, len(pts))):
        _dp(pts, lo, hi, tolerance * tolerance, keep)
    out = [ring[i] for i in sorted(keep)]
    return out if len(out) >= 3 else list(ring)


def _dp(pts, lo, hi, tol2, keep):
    stack = [(lo, hi)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        pa, pb = pts[a], pts[b % len(pts)]
        best, at = -1.0, None
        for i in range(a + 1, b):
            d = _seg_dist2(pts[i], pa, pb)
            if d > best:
                best, at = d, i
        if best > tol2:
            keep.add(at)
            stack += [(a, at), (at, b)]


def _dist2(p, q):
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2


def _seg_dist2(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return _dist2(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return _dist2(p, (a[0] + t * dx, a[1] + t * dy))


def fit(ring, box, tolerance, aspect=1.0, digits=3):
    """``ring`` clipped to ``box``, simplified to ``tolerance`` (degrees of latitude on screen) and
    rounded to ``digits``; repeated points after rounding dropped. Empty if nothing is left."""
    cut = clip(ring, box)
    if not cut:
        return []
    out = []
    for x, y in simplify(cut, tolerance, aspect):
        p = (round(x, digits), round(y, digits))
        if not out or p != out[-1]:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out if len(out) >= 3 else []


def bbox_px(ring, scale_x, scale_y):
    """Width and height of a ring's bounding box in pixels at the given scales."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (max(xs) - min(xs)) * scale_x, (max(ys) - min(ys)) * scale_y


def aspect_at(lat):
    """How much longer a degree of latitude is on screen than a degree of longitude at ``lat``."""
    return 1 / math.cos(math.radians(lat))
