"""Tools for instructors, run from a terminal in the course folder.

    python -m helpers.instructor check              # list every problem in the course files
    python -m helpers.instructor build --out DIR    # student release + instructor pack
    python -m helpers.instructor collect HANDINS --out DIR   # mark hand-ins, debrief the class

See INSTRUCTORS.md for a walk-through.
"""

__all__ = ["check", "build", "collect", "debrief", "main"]


def main(argv=None):
    """Run the command line (see ``__main__``); return the exit code."""
    from .__main__ import main as _main

    return _main(argv)
