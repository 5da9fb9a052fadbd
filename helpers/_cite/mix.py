"""What the citations in one answer add up to: facts, never a grade.

:func:`compute` reads the markers of a text (``markers``), resolves each id in the catalogue
(a document or an event stands for the sources it rests on), and counts the distinct sources,
their vantage groups, which cited documents and events fall in the question's era, and whether
a cited document's wording was checked on an official host or comes from a reproduction
(``documents.csv`` ``excerpt_status``). An id that is not known is listed with "did you mean",
never dropped. With a ``citations:`` requirement from the bank (``spec``), the mix says how the
answer stands against each part of it.
"""

import html
from dataclasses import dataclass, field

from . import catalogue, markers
from .vantage import GROUPS, group_name

__all__ = ["Mix", "compute"]

_WORDING = {
    "official": "wording checked on an official host",
    "third-party": "wording from a reproduction (not the official host)",
    "none": "no verified wording (paraphrase only)",
}


@dataclass(repr=False)
class Mix:
    citations: list = field(default_factory=list)  # markers.Citation, in reading order
    items: list = field(default_factory=list)  # distinct catalogue entries cited
    unknown: list = field(default_factory=list)  # (Citation, [suggested ids])
    sources: list = field(default_factory=list)  # distinct source ids, in order of first use
    groups: dict = field(default_factory=dict)  # group id -> number of distinct sources
    era: object = None  # (label, first year, last year) or None
    in_era: list = field(default_factory=list)  # documents and events cited in the era
    out_of_era: list = field(default_factory=list)  # ... and outside it
    later_sources: list = field(default_factory=list)  # sources published after the era
    wording: list = field(default_factory=list)  # (document entry, excerpt_status)
    spec: object = None
    requirements: list = field(default_factory=list)  # (met: bool, text)

    def sentences(self):
        """The mix in plain sentences (what the widget and the hand-in show)."""
        return _sentences(self)

    def html(self):
        lines = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences())
        return f'<ul class="kuril-cite-mix">{lines}</ul>'

    def _repr_html_(self):  # a notebook cell shows the sentences
        return self.html()

    def __str__(self):
        return "\n".join(self.sentences())

    __repr__ = __str__


def _entry_source_groups(ids):
    entries = catalogue.catalogue()
    groups = {}
    for sid in ids:
        entry = entries.get(sid)
        gid = entry["group"] if entry and entry["type"] == "source" else "other"
        groups[gid] = groups.get(gid, 0) + 1
    return {g: groups[g] for g in [*GROUPS, *groups] if g in groups}


def compute(text, spec=None, era=None):
    """The :class:`Mix` of ``text``. ``spec``: the exercise's ``citations`` (normal form, see
    ``spec.check``); ``era``: ``(label, first, last)`` when the spec gives none."""
    mix = Mix(citations=markers.find(text), spec=spec)
    mix.era = (spec or {}).get("era") or era
    seen, sources = {}, {}
    for cit in mix.citations:
        entry = catalogue.lookup(cit.id) if cit.id else None
        if entry is None:
            if all(cit != c for c, _ in mix.unknown):
                mix.unknown.append((cit, catalogue.suggest(cit.id) if cit.id else []))
            continue
        if entry["id"] not in seen:
            seen[entry["id"]] = entry
            for sid in entry["sources"]:
                sources.setdefault(sid, None)
    mix.items = list(seen.values())
    mix.sources = list(sources)
    mix.groups = _entry_source_groups(mix.sources)
    if mix.era:
        _, first, last = mix.era
        for entry in mix.items:
            if entry["type"] != "source":
                where = mix.in_era if entry["year"] and first <= entry["year"] <= last else (
                    mix.out_of_era)
                where.append(entry)
        for sid in mix.sources:
            entry = catalogue.lookup(sid)
            if entry and entry["year"] and entry["year"] > last:
                mix.later_sources.append(entry)
    mix.wording = [(e, e.get("excerpt_status", "")) for e in mix.items if e["type"] == "document"]
    mix.requirements = _requirements(mix)
    return mix


def _requirements(mix):
    spec = mix.spec or {}
    out = []
    need = spec.get("min_sources")
    if need:
        n = len(mix.sources)
        out.append((n >= need, f"Asked for: at least {need} source{'s' if need != 1 else ''}; "
                    f"your citations rest on {n}."))
    for gid in spec.get("vantages") or []:
        n = mix.groups.get(gid, 0)
        out.append((n > 0, f"Asked for a {group_name(gid)} source: "
                    + (f"{n} cited." if n else "none cited yet.")))
    if spec.get("era"):
        label = spec["era"][0]
        n = len(mix.in_era)
        things = "document or event" if n == 1 else "documents or events"
        out.append((n > 0, f"Asked about {_about(label)}: {n} cited {things} from then."))
    return out


def _about(label):
    return label if label[:1].isdigit() else f"the era “{label}”"


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def _title(entry):
    year = f", {entry['year']}" if entry.get("year") else ""
    return f"{entry['title'] or entry['id']}{year}"


def _sentences(mix):
    out = []
    if not mix.citations:
        out.append("No citations yet: write a marker such as [@shimoda-1855], or use the picker.")
    if mix.items:
        n = len(mix.sources)
        groups = list(mix.groups.items())
        if len(groups) == 1:
            kinds = f"all {group_name(groups[0][0])}" if n > 1 else group_name(groups[0][0])
        else:
            kinds = ", ".join(f"{c} {group_name(g)}" for g, c in groups)
        through = (f" (from {_plural(len(mix.items), 'cited item')})"
                   if len(mix.items) != n or any(e["type"] != "source" for e in mix.items) else "")
        out.append(f"{_plural(n, 'source')}{through}: {kinds}." if n else
                   "The cited items name no source.")
        sides = [g for g in ("japan-official", "russia-official") if g in mix.groups]
        if len(sides) == 1:  # one government's own texts, not the other's
            other = "russia-official" if sides[0] == "japan-official" else "japan-official"
            out.append(f"No {group_name(other)} source among them.")
    if mix.era and mix.items:
        label, first, last = mix.era
        dated = mix.in_era + mix.out_of_era
        if dated:
            text = (f"The question is about {_about(label)}: {len(mix.in_era)} of {len(dated)} "
                    "cited documents and events fall in it")
            if mix.out_of_era:
                text += " (outside: " + "; ".join(_title(e) for e in mix.out_of_era) + ")"
            out.append(text + ".")
        if mix.later_sources:
            years = sorted({e["year"] for e in mix.later_sources})
            out.append(f"{_plural(len(mix.later_sources), 'source')} "
                       f"{'is' if len(mix.later_sources) == 1 else 'are'} from after {last} "
                       f"({', '.join(str(y) for y in years)}).")
    for entry, status in mix.wording:
        out.append(f"{entry['title']}: {_WORDING.get(status, 'wording status not recorded')}.")
    for met, text in mix.requirements:
        out.append(("✓ " if met else "… ") + text)
    for cit, near in mix.unknown:
        shown = cit.id or cit.marker
        hint = (" Did you mean " + " or ".join(f"[@{s}]" for s in near) + "?") if near else (
            " Search for it in the picker.")
        out.append(f"Not found: {shown!s} in {cit.marker}.{hint}")
    return out
