"""Distances and areas on the sphere, in plain Python (no numpy, no pandas): shared by the maps and
by ``scripts/build_geo.py``, so the build and the tests measure areas the same way."""

import math

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def haversine_km(lon1, lat1, lon2, lat2):
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def ring_area_km2(ring, lon0=None):
    """Area in km² of a closed lon/lat ring, on a sphere (sinusoidal equal-area projection)."""
    if len(ring) < 3:
        return 0.0
    if lon0 is None:
        lon0 = sum(p[0] for p in ring) / len(ring)
    k = math.pi / 180 * EARTH_RADIUS_KM
    pts = [((lon - lon0) * k * math.cos(math.radians(lat)), lat * k) for lon, lat in ring]
    s = 0.0
    for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=False):
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


def polygons(geometry):
    """The polygons of a GeoJSON Polygon or MultiPolygon, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError(f"not a polygon geometry: {geometry['type']}")


def geometry_area_km2(geometry):
    """Area in km² of a GeoJSON (Multi)Polygon, holes subtracted."""
    total = 0.0
    for rings in polygons(geometry):
        total += ring_area_km2(rings[0]) - sum(ring_area_km2(r) for r in rings[1:])
    return total


def nearest_vertex_km(point, geometry):
    """(km, vertex): the vertex of ``geometry`` nearest to ``point`` (lon, lat), and how far."""
    lon, lat = point
    return min(
        (haversine_km(lon, lat, x, y), (x, y))
        for rings in polygons(geometry)
        for ring in rings
        for x, y in ring
    )
