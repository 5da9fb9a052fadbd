"""The glossary's terms as cards: English, Japanese (script and Hepburn), Russian (Cyrillic and
BGN/PCGN), a definition in the course's own voice, each government's usage as the row attributes
it, related terms and sources.

A term is found by its id, its English form, its Japanese or Russian form or their
romanizations, ignoring case. An island's card is headed with the island's name in the learner's
naming (``helpers.names``), so it follows the switch like the maps do.
"""

import csv
import difflib
import html
import re

from .. import data, names
from .._common import cache
from ..text import markdown_html, plain_html
from . import rows as _rows

__all__ = ["terms", "find", "card_html", "compact_html", "COMPACT_CSS", "unknown_html", "island_of",
           "problems"]

SLUG_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # an id that needs no quotes in HTML
_KEYS = ("id", "term_en", "term_ja", "term_ja_romaji", "term_ru", "term_ru_latin")


def path():
    return data.DATA_DIR / "glossary.csv"


@cache.cached
def terms():
    """{id: row} of data/glossary.csv as read (empty when there is no glossary file)."""
    if not path().exists():
        return {}
    try:
        found = _rows.read_rows(path())[1]
    except (OSError, UnicodeDecodeError, csv.Error):  # check says what is wrong
        return {}
    return {r["id"]: r for r in found if r.get("id")}


def find(term):
    """The row of ``term`` (id, or a form in any language), or None."""
    key = " ".join(str(term or "").split()).casefold()
    for row in terms().values():
        if any(key == " ".join(str(row.get(k) or "").split()).casefold() for k in _KEYS):
            return row
    return None


def island_of(row):
    """The islands.csv id a term names (``uruppu-urup`` -> ``urup``), or None."""
    known = set(data.raw_rows("islands"))
    for candidate in [row["id"], *row["id"].split("-")]:
        if candidate in known:
            return candidate
    return None


def unknown_html(term):
    forms = [r.get(k) for r in terms().values() for k in ("id", "term_en") if r.get(k)]
    close = difflib.get_close_matches(str(term), forms, n=4, cutoff=0.5)
    hint = ("Did you mean: " + ", ".join(f"<code>{html.escape(c)}</code>" for c in close) + "?"
            if close else "<code>glossary.terms()</code> lists every term.")
    return (f'<div class="kuril-glossary" role="alert"><p><b>No glossary term '
            f"<code>{html.escape(str(term))}</code>.</b> {hint}</p></div>")


def _title(row, naming):
    island = island_of(row)
    if island is None:
        return row["term_en"]
    try:
        shown = names.island_name(island, naming)
    except ValueError:
        return row["term_en"]
    return shown if shown == row["term_en"] else f"{shown} ({row['term_en']})"


def _source_line(ids):
    found = data.raw_rows("sources")
    return "; ".join(f"{found[i].get('title') or i} [@{i}]" if i in found else f"[@{i}]"
                     for i in ids)


def card_html(term, naming=None):
    """The HTML of one term's card (a message naming close terms when ``term`` is unknown)."""
    row = find(term)
    if row is None:
        return unknown_html(term)
    esc = plain_html
    related = [terms()[i]["term_en"] for i in _rows.split(row.get("see_also")) if i in terms()]
    parts = [
        f"<h4>{esc(_title(row, naming))}</h4>",
        '<table class="kuril-glossary-forms">',
        f'<tr><th scope="row">Japanese</th><td lang="ja">{esc(row["term_ja"])}</td>'
        f"<td><i>{esc(row['term_ja_romaji'])}</i> (Hepburn)</td></tr>",
        f'<tr><th scope="row">Russian</th><td lang="ru">{esc(row["term_ru"])}</td>'
        f"<td><i>{esc(row['term_ru_latin'])}</i> (BGN/PCGN)</td></tr></table>",
        "<p><b>Definition (our words):</b></p>", markdown_html(row["definition"]),
        "<p><b>How each government uses it:</b></p>", markdown_html(row["usage"]),
    ]
    if related:
        parts.append(f"<p><b>See also:</b> {esc(', '.join(related))}</p>")
    parts.append(f"<p><b>Sources:</b> {esc(_source_line(_rows.split(row['sources'])))}</p>")
    if row.get("notes"):
        parts.append(f"<details><summary>Notes</summary><p>{esc(row['notes'])}</p></details>")
    return f'<div class="kuril-glossary">{"".join(parts)}</div>'


# the headword line bold; a Japanese or Russian form is an <i lang=..> (HTML's element for a term
# in another language) set upright, its romanization after it in brackets
# (set out in full: JupyterLab lays a widget's <dl> out in two columns at the widget's 28 px lines)
COMPACT_CSS = ("<style>.kuril-glossary-cards>.widget-html-content{line-height:1.45}"
               ".kuril-glossary-cards dl{display:block;margin:0}"
               ".kuril-glossary-cards dt{display:block;float:none;width:auto;font-weight:bold;"
               "margin:.7em 0 .1em}.kuril-glossary-cards dt i{font-style:normal}"
               ".kuril-glossary-cards dd{display:block;float:none;margin:0 0 0 1.5em}</style>")


def compact_html(row, naming=None, anchor=None):
    """A short entry for a lesson's glossary section, a ``<dt>``/``<dd>`` pair of a ``<dl>``:
    the English term (an island's in the learner's naming), the Japanese and Russian forms with
    their romanizations (Hepburn, BGN/PCGN), then the definition; ``glossary.show(term)`` gives
    the full card with each government's usage and the sources. ``anchor``: the entry's id.

    Kept small, as a lesson saves one entry per term it uses: no source titles, no attribute
    quotes, the optional end tags left out (HTML allows it for ``dt`` and ``dd``)."""
    esc = plain_html
    attr = "" if not anchor else (f" id={anchor}" if SLUG_ID.match(anchor)
                                  else f' id="{esc(anchor)}"')
    definition = markdown_html(row["definition"]).strip()
    if definition.startswith("<p>") and definition.endswith("</p>") and definition.count(
            "<p>") == 1:
        definition = definition[3:-4]
    entry = (f"{esc(_title(row, naming))}, <i lang=ja>{esc(row['term_ja'])}</i>"
             f" ({esc(row['term_ja_romaji'])}), <i lang=ru>{esc(row['term_ru'])}</i>"
             f" ({esc(row['term_ru_latin'])})<dd>{definition}")
    # no attribute in the entry holds a quote, so text quotes can be '"' (1 byte, not 6)
    return f"<dt{attr}>" + entry.replace("&quot;", '"')


def problems():
    """Every problem in data/glossary.csv as a ``Problem`` (for ``check``)."""
    from ..errors import Problem

    if not path().exists():
        return []
    label = "data/glossary.csv"
    known = set(data.raw_rows("sources")) - {None}  # with the course's extra sources files
    try:
        found = _rows.row_problems(path(), known or None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [Problem(label, "", "", f"cannot be read as UTF-8 CSV ({exc})")]
    return [Problem(label, where, "", message) for where, message in found]
