"""Helpers for the Kuril Islands / Northern Territories course.

Notebooks import what they need: ``from helpers import maps, quiz``. Submodules load on first use,
so ``import helpers`` stays cheap and reads no data.
"""

import importlib

__all__ = [
    "course",
    "data",
    "documents",
    "journal",
    "maps",
    "names",
    "positions",
    "quiz",
    "roleplay",
    "settlement",
    "timeline",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
