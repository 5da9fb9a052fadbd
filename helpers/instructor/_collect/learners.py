"""Who handed in what: hand-ins grouped by learner, the latest answer per question, pseudonyms.

Files belong to one learner when their names agree (as the journal files them: case, spacing and
punctuation aside) and they come from the same computer account (``export.account``). Two
accounts under one name are two learners, kept apart and reported. A file without an account
(saved on Binder) joins the only account of that name; with several, it stays apart too.
"""

import secrets
from dataclasses import dataclass, field

from ..._journal.book import DEFAULT_LEARNER
from ..._journal.store import slug
from .handin import when

_CODE = "ACDEFHJKMNPRTWXY34679"  # no look-alike characters (0/O, 1/I/L, 5/S, 8/B)


@dataclass
class Learner:
    """One learner: their hand-ins and their latest entry per question."""

    key: str  # stable: the name as filed, plus the account when a name is shared
    name: str  # as the learner typed it (the latest file's), with (1), (2) when shared
    handins: list = field(default_factory=list)
    latest: dict = field(default_factory=dict)  # item -> (entry, file name)
    replaced: int = 0  # questions answered again in a later file (the latest counts)
    clash: bool = False  # another learner handed in under the same name
    unnamed: bool = False  # the learner never typed a name (the journal's default)
    pseudonym: str = ""


def group(handins):
    """Learners (in order of first export) from accepted hand-ins; the latest answer counts."""
    by_name = {}
    for h in handins:
        by_name.setdefault(slug(h.learner), []).append(h)
    learners = _unnamed(by_name.pop(DEFAULT_LEARNER, []))
    for key, files in by_name.items():
        accounts = sorted({h.account for h in files if h.account})
        if len(accounts) <= 1:
            learners.append(_learner(key, files, clash=False))
            continue
        buckets = {a: [h for h in files if h.account == a] for a in accounts}
        loose = [h for h in files if not h.account]
        if loose:
            buckets[None] = loose
        ordered = sorted(buckets.items(), key=lambda kv: _first(kv[1]))
        for n, (account, group_files) in enumerate(ordered, start=1):
            found = _learner(f"{key}#{account or 'no-account'}", group_files, clash=True)
            found.name = f"{found.name} ({n})"
            learners.append(found)
    learners.sort(key=lambda lr: _first(lr.handins))
    return learners


def _unnamed(files):
    """Hand-ins under the journal's default name: one learner per computer account, and each
    file without an account on its own (nothing says whose it is)."""
    groups = {}
    for h in files:
        groups.setdefault(h.account or f"file {h.sha256[:12]}", []).append(h)
    out = []
    for token, group_files in groups.items():
        found = _learner(f"{DEFAULT_LEARNER}#{token}", group_files, clash=False)
        found.unnamed = True
        where = group_files[0].name if not group_files[0].account else \
            f"account {group_files[0].account[:6]}"
        found.name = f"(no name: {where})"
        out.append(found)
    return out


def _first(files):
    """When a learner's work began: the first download, then the first answer saved."""
    times = [e["time"] for h in files for e in h.entries]
    return min(h.exported for h in files), min(times, default="")


def _learner(key, files, clash):
    files = sorted(files, key=lambda h: h.exported)
    found = Learner(key=key, name=files[-1].learner, handins=files, clash=clash)
    for h in files:
        for entry in h.entries:
            old = found.latest.get(entry["item"])
            if old is None:
                found.latest[entry["item"]] = (entry, h.name)
                continue
            if entry["time"] == old[0]["time"]:
                continue  # the same saved answer, in two files
            if when(entry) > when(old[0]):
                found.latest[entry["item"]] = (entry, h.name)
            found.replaced += 1
    return found


def assign_pseudonyms(learners, known=None):
    """Give each learner a pseudonym: the one in ``known`` (key -> pseudonym, from an earlier
    collect's key file) when there is one, else a new random one never used before."""
    known = dict(known or {})
    taken, given = set(known.values()), set()
    for lr in learners:
        name = known.get(lr.key)
        if not name or name in given:
            name = _new(taken | given)
        given.add(name)
        lr.pseudonym = name
    return learners


def _new(used):
    size = 3
    while True:
        for _ in range(50):
            name = "Learner " + "".join(secrets.choice(_CODE) for _ in range(size))
            if name not in used:
                return name
        size += 1  # a crowded space: longer codes
