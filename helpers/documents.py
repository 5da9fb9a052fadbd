"""The documents of the dispute: a card per treaty or statement, and a table of them all.

``show("joint-declaration-1956")`` returns a card a learner reads: title, dates, parties, our
summary, the verbatim excerpt where its wording was verified (with whose translation and where to
check it; a Japanese or Russian excerpt has the course's own English beside it, and a second
translation where one exists), where the official text is published, and sourcing questions.
``document_table()`` lists the documents; ``compare([...])`` sets summaries side by side;
``excerpt_problems()`` lists what ``python -m helpers.instructor check`` reports about excerpts.
The small formatting helpers here (``cite``, ``format_date``, ``doc_date``, ``island_label``,
``actor_name``) are shared with ``helpers.timeline`` and ``helpers.positions``.
"""

import difflib
import html

import pandas as pd

from . import data
from ._common import widgets
from ._common.checker import Checker
from ._common.labels import (  # noqa: F401 (shared with timeline and positions, kept here too)
    actor_name,
    citation_table,
    cite,
    doc_date,
    format_date,
    island_label,
)
from .errors import DataError
from .text import markdown_html, plain_html

__all__ = [
    "show", "card_html", "document_table", "compare", "cite", "citation_table", "format_date",
    "doc_date", "island_label", "actor_name", "excerpt_problems",
]

LANGUAGES = {"en": "English", "ja": "Japanese", "ru": "Russian"}
STATUS_TEXT = {
    "official": "wording checked on an official host",
    "third-party": "official wording via a third-party reproduction: check it before print",
}
_QUOTE = "border-left:4px solid #999;margin:0.5em 0;padding:0.2em 1em"  # widgets get no theme CSS
NO_WORDING = "No verified wording: summary is a paraphrase."
OUR_TRANSLATION = "English translation (the course's own, not an official text)"
NO_SECOND = "No second English translation has been verified for this course."
SOURCING_QUESTIONS = (
    "Who wrote or issued this document, and in what role?",
    "When was it written, and what had just happened?",
    "Why was it written: what did its authors want it to achieve?",
    "For whom was it written: the other party, a home audience, the wider world?",
    "Are you reading the original language or a translation, and whose translation?",
)
def _lookup(doc_id):
    docs = data.documents()
    hit = docs[docs["id"] == doc_id]
    return (hit.iloc[0].to_dict(), None) if len(hit) else (None, list(docs["id"]))


def _unknown_html(doc_id, known):
    close = difflib.get_close_matches(str(doc_id), known, n=5, cutoff=0.4)
    hint = ("Did you mean: " + ", ".join(f"<code>{html.escape(c)}</code>" for c in close) + "?"
            if close else "Use <code>documents.document_table()</code> to list the document ids.")
    return (f'<div class="kuril-doc" role="alert"><p><b>No document with id '
            f"<code>{html.escape(str(doc_id))}</code>.</b> {hint}</p></div>")


def card_html(doc_id, naming=None):
    """The HTML of the document card ``show`` displays (a message if the id is unknown)."""
    try:
        return _card(doc_id, naming)
    except DataError as exc:  # a broken data file: say which, rather than a traceback
        return f'<div class="kuril-doc" role="alert">{plain_html(exc)}</div>'


_SIGNED = {"treaty", "agreement", "declaration", "communique"}


def _card(doc_id, naming):
    doc, known = _lookup(doc_id)
    if doc is None:
        return _unknown_html(doc_id, known)
    esc = plain_html
    note = doc.get("calendar_note")
    parties = ", ".join(actor_name(a) for a in data.split(doc["parties"]))
    islands = ", ".join(island_label(i, naming) for i in data.split(doc.get("islands")))
    # Only signed texts say "Signed": Krasnoyarsk (1997), for one, was an oral understanding.
    verb = "Signed" if doc["kind"] in _SIGNED else "Dated"
    dates = f"{verb} {doc_date(doc)}"
    if not pd.isna(doc.get("date_in_force")):
        dates += f"; in force {format_date(doc['date_in_force'])}"
    parts = [
        f"<h3>{esc(doc['short_title'])}</h3>",
        f"<p><i>{esc(doc['title'])}</i></p>",
        f"<p><b>Date:</b> {esc(dates)}"
        + (f"<br><b>Calendar note:</b> {esc(note)}" if note else "") + "</p>",
        f"<p><b>Parties:</b> {esc(parties)}"
        + (f"<br><b>Islands:</b> {esc(islands)}" if islands else "") + "</p>",
        "<p><b>Summary (our words):</b></p>", markdown_html(doc["summary"]),
        _excerpt_html(doc),
        f"<p><b>Sources:</b> {esc(cite(doc['sources']))}</p>",
        f"<details><summary>Notes on the sources</summary><p>{esc(doc['notes'])}</p></details>"
        if doc.get("notes") else "",
        "<details><summary>Sourcing questions</summary><ul>"
        + "".join(f"<li>{esc(q)}</li>" for q in SOURCING_QUESTIONS) + "</ul></details>",
    ]
    return f'<div class="kuril-doc">{"".join(parts)}</div>'


def _excerpt_html(doc):
    status = doc.get("excerpt_status") or ""
    where = doc.get("official_text")
    if not doc.get("excerpt") or status in ("", "none"):
        about = doc.get("provenance")
        return (f"<p><b>{NO_WORDING}</b>"
                + (f"<br><b>Official text:</b> {plain_html(where)}" if where else "")
                + (f"<br><small>{plain_html(about)}</small>" if about else "") + "</p>")
    code = doc.get("excerpt_language") or ""
    lang = LANGUAGES.get(code, "")
    about = [f"{lang} text" if lang else "", doc.get("excerpt_translation") or "",
             STATUS_TEXT.get(status, status)]
    return (
        "<p><b>Excerpt (verbatim):</b></p>" + _quote(doc["excerpt"], code if lang else "")
        + _translations_html(doc, code)
        + f"<p><small>{plain_html('; '.join(a for a in about if a))}"
        + (f"<br>Provenance: {plain_html(doc['provenance'])}" if doc.get("provenance") else "")
        + (f"<br>Official text: {plain_html(where)}" if where else "") + "</small></p>"
    )


def _quote(text, lang=""):
    attr = f' lang="{lang}"' if lang else ""  # for screen readers
    return f'<blockquote style="{_QUOTE}"{attr}>{plain_html(text)}</blockquote>'


def _translations_html(doc, code):
    """The course's English beside a Japanese or Russian excerpt, then a second translation."""
    if code in ("", "en"):
        return ""
    ours = doc.get("excerpt_english")
    if not ours:  # check reports this; a card still shows what it has
        return f"<p><i>{OUR_TRANSLATION}: not yet written.</i></p>"
    second, whose = doc.get("second_translation"), doc.get("second_translation_source")
    return (f"<p><b>{OUR_TRANSLATION}:</b></p>" + _quote(ours, "en")
            + (f"<p><b>Second translation, for comparison ({plain_html(whose or '')}):</b></p>"
               + _quote(second, "en") if second else f"<p><small>{NO_SECOND}</small></p>"))


_VERIFIED = ("official", "third-party")


def excerpt_problems():
    """What a documents file must say once it quotes a text: whose wording, where it comes from,
    and, for a Japanese or Russian excerpt, the course's English; without an excerpt, where the
    official text is published. An empty list when all is well (or when the file has problems of
    its own, which ``data.validate()`` reports)."""
    out = []
    for doc in data.records("documents").values():  # empty when the file has problems
        check = Checker("data/documents.csv", f"id {doc['id']}")
        text = {k: ("" if pd.isna(v) else str(v).strip()) for k, v in doc.items()}
        has, status = bool(text.get("excerpt")), text.get("excerpt_status", "")
        code = text.get("excerpt_language", "")
        if has and status not in _VERIFIED:
            check.bad("excerpt_status", "the row has an excerpt, so say how its wording was "
                      "verified: official or third-party (or empty the excerpt)")
        if status in _VERIFIED and not has:
            check.bad("excerpt", f"excerpt_status is '{status}' but there is no excerpt")
        if has:
            for field, what in (("excerpt_language", "en, ja or ru"),
                                ("excerpt_translation", "whose English it is, or 'original'"),
                                ("provenance", "where the wording is from and where to check it")):
                if not text.get(field):
                    check.bad(field, f"is empty; an excerpt needs it ({what})")
        if has and code in ("ja", "ru") and not text.get("excerpt_english"):
            check.bad("excerpt_english", "is empty; a Japanese or Russian excerpt needs the "
                      "course's own English translation beside it")
        if text.get("excerpt_english") and (not has or code == "en"):
            check.bad("excerpt_english", "is only for the English of a Japanese or Russian excerpt")
        if bool(text.get("second_translation")) != bool(text.get("second_translation_source")):
            check.bad("second_translation_source", "second_translation and "
                      "second_translation_source go together: the wording, and whose translation "
                      "it is and where it is printed")
        if text.get("second_translation") and code not in ("ja", "ru"):
            check.bad("second_translation", "is only for a Japanese or Russian excerpt")
        if not has and not text.get("official_text"):
            check.bad("official_text", "is empty; without an excerpt, say where the official text "
                      "is published (or that none was published) so an instructor can add it")
        out += check.problems
    return out


def show(doc_id, naming=None):
    """A card for one document, e.g. ``show("shimoda-1855")``; an unknown id lists close ones."""
    return widgets.HTML(card_html(doc_id, naming))


def document_table(era=None, naming=None):
    """One row per document (index: id): date, short_title, kind, parties, islands; by date."""
    docs = data.documents()
    if era is not None:
        eras = list(data.eras()["id"])
        if era not in eras:
            raise ValueError(f"There is no era '{era}'. The eras are: {', '.join(eras)}")
        docs = docs[docs["era"] == era]
    labels = {}
    islands = docs["islands"] if "islands" in docs else [""] * len(docs)
    table = pd.DataFrame({
        "date": docs["date"],
        "short_title": docs["short_title"],
        "kind": docs["kind"],
        "parties": [", ".join(actor_name(a) for a in data.split(p)) for p in docs["parties"]],
        "islands": [", ".join(labels.setdefault(i, island_label(i, naming)) for i in data.split(c))
                    for c in islands],
    })
    table.index = pd.Index(docs["id"], name="id")
    return table.sort_values("date")


def compare(doc_ids, naming=None):
    """Summaries of several documents side by side (an HTML table, one column per document)."""
    cells = []
    for doc_id in doc_ids:
        doc, known = _lookup(doc_id)
        if doc is None:
            cells.append(_unknown_html(doc_id, known))
            continue
        cells.append(
            f"<h4>{plain_html(doc['short_title'])}</h4><p>{plain_html(doc_date(doc))}; "
            f"{plain_html(', '.join(actor_name(a) for a in data.split(doc['parties'])))}</p>"
            f"{markdown_html(doc['summary'])}"
            + ("" if doc.get("excerpt") and doc.get("excerpt_status") not in ("", "none")
               else f"<p><small>{NO_WORDING}</small></p>"))
    row = "".join(f'<td style="vertical-align:top;padding:0 1em">{c}</td>' for c in cells)
    return widgets.HTML(f'<table class="kuril-compare"><tr>{row}</tr></table>')
