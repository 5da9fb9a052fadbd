"""The vantage point of a source, in the groups the citation mix counts.

``data/sources.csv`` describes each source's vantage point in words (``vantage``) and says what
kind of source it is (``kind``). The mix groups them with the rules below, read in order; the
first that fits decides. The rules read only those two columns, so a new source row is grouped
without touching code; ``tests/test_cite.py`` checks that every source lands in one group and
spot-checks each group.
"""

import re

__all__ = ["GROUPS", "group", "group_name"]

GROUPS = {
    "japan-official": "Japanese official",
    "russia-official": "Russian/Soviet official",
    "joint-official": "joint official (both governments)",
    "third-party-official": "third-party official",
    "scholarly": "scholarly",
    "press": "press",
    "reading-pack": "reading pack",
    "other": "other reference",
}

_JAPAN = re.compile(r"\bjapan|\bmofa\b|\bdiet\b|kokkai|councillors", re.I)
_RUSSIA = re.compile(r"russia|soviet|\bussr\b|kremlin|moscow", re.I)
_JOINT = re.compile(r"jointly|bilateral|both foreign ministries|both governments", re.I)
_THIRD = re.compile(r"united states|\bus\b|american|allied|allies|british|australian|united "
                    r"nations|multilateral|tribunal|chinese", re.I)
_PRESS = re.compile(r"newspaper|news|press|media|broadcaster", re.I)
_GOVERNMENT = re.compile(r"government|ministry|parliament|governing party|legislat", re.I)
_COPY = re.compile(r"reproduc|reprint", re.I)
_SCHOLARLY = re.compile(r"historian|scholar|scientist|geographer|geophysicist|researcher|"
                        r"academ|encyclopedia|linguist|gazetteer|reference work|universit", re.I)


def _official(vantage, publisher=""):
    if "treaty text" in vantage.lower() and not _THIRD.search(vantage):
        return "joint-official"  # a treaty's own text, between the two states
    if not (_JAPAN.search(vantage) or _RUSSIA.search(vantage) or _THIRD.search(vantage)):
        vantage = f"{vantage} {publisher}"  # e.g. "Official parliamentary record": whose?
    if _JOINT.search(vantage) or (_JAPAN.search(vantage) and _RUSSIA.search(vantage)):
        return "joint-official"
    if _JAPAN.search(vantage):
        return "japan-official"
    if _RUSSIA.search(vantage):
        return "russia-official"
    return "third-party-official"


def group(kind, vantage, publisher=""):
    """The group id of a source of ``kind`` (sources.csv ``kind``) and ``vantage`` (its words);
    ``publisher`` tells whose an official text is when the vantage names no state."""
    kind, vantage = str(kind or "").strip(), str(vantage or "")
    if kind == "reading_pack":
        return "reading-pack"
    if kind == "press":
        return "press"
    if kind in ("official", "primary"):
        if _PRESS.search(vantage) and not _GOVERNMENT.search(vantage):
            return "press"
        if _COPY.search(vantage) and not (_JAPAN.search(vantage) or _RUSSIA.search(vantage)):
            return "other"
        return _official(vantage, publisher)
    if _GOVERNMENT.search(vantage) and (_JAPAN.search(vantage) or _RUSSIA.search(vantage)):
        return _official(vantage, publisher)
    if _PRESS.search(vantage):
        return "press"
    if _SCHOLARLY.search(vantage):
        return "scholarly"
    return "other"


def group_name(group_id):
    return GROUPS.get(group_id, group_id)
