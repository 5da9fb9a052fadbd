#!/usr/bin/env python3
"""How fast and how big the maps are (run on demand, not by pytest).

    python benchmarks/bench_maps.py [--repeat 30]

Reports, for each map: the first build (which reads and caches data/geo), the median rebuild, the
figure JSON size, and for the sovereignty map the time to redraw when the year changes (what the
map explorer does). Targets: build <= 30 ms, JSON <= 40 KB.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BUILD_MS, JSON_KB = 30, 40


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    from helpers import maps

    import_ms = (time.perf_counter() - start) * 1000

    cases = [
        ("region_map()", maps.region_map, (), {}),
        ("region_map(extent='habomai')", maps.region_map, (), {"extent": "habomai"}),
        ("sovereignty_map(1905)", maps.sovereignty_map, (1905,), {}),
        ("sovereignty_timeline_map()", maps.sovereignty_timeline_map, (), {}),
        ("claims_map('2019-01-01')", maps.claims_map, ("2019-01-01",), {}),
        ("explorer figure", lambda: maps.figures.figure(maps.explorer_spec()), (), {}),
    ]
    print(f"import helpers.maps: {import_ms:.0f} ms (reads no data)")
    print(f"{'map':32} {'first ms':>9} {'median ms':>10} {'JSON KB':>8}  ok")
    failed = False
    for label, fn, a, kw in cases:
        first, fig = timed(fn, *a, **kw)
        times = [timed(fn, *a, **kw)[0] for _ in range(args.repeat)]
        size = len(fig.to_json().encode()) / 1024
        ok = statistics.median(times) <= BUILD_MS and size <= JSON_KB
        failed |= not ok
        print(
            f"{label:32} {first:9.1f} {statistics.median(times):10.1f} {size:8.1f}  "
            f"{'yes' if ok else 'NO'}"
        )

    years = [1855, 1875, 1905, 1945, 1951, 1956, 1991, 1993, 2016, 2022]
    changes = [
        timed(maps.sovereignty_map, y)[0] for _ in range(max(1, args.repeat // 10)) for y in years
    ]
    print(
        f"year change (new sovereignty_map): median {statistics.median(changes):.1f} ms, "
        f"max {max(changes):.1f} ms over {len(changes)} changes"
    )
    print("in the browser the built-in slider restyles the figure without Python at all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
