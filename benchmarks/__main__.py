"""Run the course's performance benchmarks and print one table, each figure against its floor.

    python -m benchmarks                          # every section (about 10-15 minutes)
    python -m benchmarks --only import,interaction
    python -m benchmarks --skip tests,env --markdown

Sections: import, interaction, payload, lessons, browser, collect, env, lab, tests. Every figure
is set against a floor measured in the same run (the bare stack doing the same kind of work),
because absolute times vary from machine to machine. Exit status 1 when a budget is missed. Run
on demand; pytest never runs these. See BENCHMARKS.md for the budgets and the latest table.
"""

import argparse
import json
import sys
import time

from . import _machine
from ._report import markdown_table, summary, text_table
from ._util import log

SECTIONS = ("import", "interaction", "payload", "lessons", "browser", "collect", "env", "lab",
            "tests")
ALIASES = {"imports": "import", "lesson": "lessons", "environment": "env", "test": "tests",
           "interactions": "interaction", "maps": "payload", "clone": "lab"}


def _sections(text):
    if not text:
        return []
    out = []
    for name in (s.strip().lower() for s in text.split(",") if s.strip()):
        name = ALIASES.get(name, name)
        if name not in SECTIONS:
            raise SystemExit(f"unknown section {name!r}: choose from {', '.join(SECTIONS)}")
        out.append(name)
    return out


def _run(name, args):
    if name == "import":
        from . import imports
        return imports.run(runs=args.import_runs)
    if name == "interaction":
        from . import interaction
        return interaction.run(repeat=args.repeat)
    if name == "payload":
        from . import payload
        return payload.run()
    if name == "lessons":
        from . import lessons
        return lessons.run(runs=args.runs)
    if name == "browser":
        from . import browser
        return browser.run(repeat=args.browser_repeat)
    if name == "collect":
        from . import collect
        return collect.run()
    if name == "env":
        from . import environment
        return environment.run()
    if name == "lab":
        from . import lab
        return lab.run()
    if name == "tests":
        from . import suite
        return suite.run()
    raise ValueError(name)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated sections to run: " + ", ".join(SECTIONS))
    parser.add_argument("--skip", help="comma-separated sections to leave out")
    parser.add_argument("--runs", type=int, default=3, help="runs per notebook (default 3)")
    parser.add_argument("--import-runs", type=int, default=9,
                        help="fresh interpreters per import case (default 9)")
    parser.add_argument("--repeat", type=int, default=40,
                        help="updates per widget in the interaction section (default 40)")
    # 40: a p95 by nearest rank is then the 38th of 40 changes (of 15, it was the slowest one)
    parser.add_argument("--browser-repeat", type=int, default=40,
                        help="changes per control in the browser section (default 40)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON to PATH")
    args = parser.parse_args(argv)

    chosen = _sections(args.only) or list(SECTIONS)
    chosen = [s for s in chosen if s not in _sections(args.skip)]
    if "payload" in chosen and "lessons" in chosen:  # payload reads the executed lessons
        chosen.remove("payload")
        chosen.insert(chosen.index("lessons") + 1, "payload")
    print(_machine.text(), flush=True)
    rows, failed = [], []
    for name in chosen:
        log(f"[{name}] ...")
        start = time.perf_counter()
        try:
            rows += _run(name, args)
        except Exception as exc:  # one broken section must not hide the others
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
            log(f"[{name}] FAILED: {exc}")
        log(f"[{name}] done in {time.perf_counter() - start:.0f} s")
    print()
    print(markdown_table(rows) if args.markdown else text_table(rows))
    print()
    print(summary(rows))
    print("at the end, load average (1, 5, 15 min):",
          _machine.info()["load average (1, 5, 15 min)"])
    for line in failed:
        print("section failed:", line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"machine": _machine.info(), "failed": failed,
                       "rows": [r.__dict__ for r in rows]}, f, indent=1, default=str)
    return 1 if failed or any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
