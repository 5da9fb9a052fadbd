"""Command line: ``python -m helpers.instructor check`` / ``build --out DIR [--force]`` /
``collect HANDINS --out DIR [--marks FILE] [--roster FILE]``.

Exit codes: 0 all well, 1 problems found (each printed as ``file, where, field: message``),
2 wrong command line. Bad input never produces a traceback.
"""

import argparse
import os
import sys


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m helpers.instructor",
        description="Check the course files, build a student release and instructor pack, or "
                    "collect learners' hand-ins.")
    parser.add_argument("--course", metavar="FILE",
                        help="course file to use instead of course.yml")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{check,build,collect}")
    sub.add_parser("check", help="validate data files, exercise banks, notebooks, course file")
    build = sub.add_parser("build", help="write DIR/student (release) and DIR/instructor (keys)")
    build.add_argument("--out", required=True, metavar="DIR",
                       help="a new or empty folder outside the course, e.g. ../release")
    build.add_argument("--force", action="store_true",
                       help="replace DIR if an earlier build wrote it (and nothing was added or "
                            "changed there since); any other folder or file is refused")
    collect = sub.add_parser("collect", help="mark the hand-ins in HANDINS; write gradebooks, "
                             "item analysis and a debrief notebook to DIR")
    collect.add_argument("handins", metavar="HANDINS", help="the folder of hand-in files")
    collect.add_argument("--out", required=True, metavar="DIR",
                         help="a new or empty folder, or one collect wrote before")
    collect.add_argument("--marks", metavar="FILE",
                         help="open_marks.csv with the 'mark' column filled in")
    collect.add_argument("--roster", metavar="FILE",
                         help="your Canvas or Moodle gradebook export, for the learners' ids")
    return parser


def _report(problems, out):
    for p in problems:
        print(p, file=out)
    files = len({p.file for p in problems})
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in "
          f"{files} file{'s' if files != 1 else ''}.", file=out)


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.course:
        os.environ["KURIL_COURSE_FILE"] = os.path.abspath(args.course)
    try:
        if args.command == "check":
            return _check()
        if args.command == "collect":
            return _collect(args)
        return _build(args.out, args.force)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input: still one readable line, no traceback
        print(f"Internal error ({type(exc).__name__}: {exc}). Please report it with the "
              "command you ran.", file=sys.stderr)
        return 3


def _check():
    from . import check

    report = check.run()
    if report.problems:
        _report(report.problems, sys.stdout)
        return 1
    print(f"OK: checked {report.summary()}; no problems found.")
    return 0


def _build(out, force):
    from .build import BuildError, build

    def log(name):
        print(f"  {name}", flush=True)

    print("Building the course:")
    try:
        release = build(out, force=force, log=log)
    except BuildError as exc:
        print("The build stopped; nothing was written.", file=sys.stdout)
        _report(exc.problems, sys.stdout)
        return 1
    except OSError as exc:
        print(f"The build could not write {out}: {exc.strerror or exc}", file=sys.stdout)
        return 1
    if release.not_copied:
        print("Not copied from the course folder (a student release takes only the course's "
              "lessons, data, banks and support files):")
        for path, why in release.not_copied:
            print(f"  {path}: {why}")
    for note in release.notes:
        print(note)
    print(f"OK: wrote {len(release.notebooks)} notebooks to {os.path.join(out, 'student')} and "
          f"{len(release.instructor) // 2 - 1} answer keys to {os.path.join(out, 'instructor')}.")
    return 0


def _collect(args):
    from .collect import run

    try:
        return run(args.handins, args.out, marks=args.marks, roster=args.roster,
                   log=lambda line: print(line, flush=True))[1]
    except OSError as exc:
        print(f"Nothing written: {args.out} could not be written ({exc.strerror or exc}).")
        return 1


if __name__ == "__main__":
    sys.exit(main())
