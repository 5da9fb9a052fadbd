"""The learner's work as one file to hand in: self-contained HTML, or Markdown.

Everything the learner typed is escaped (HTML) or fenced (Markdown), so it shows as text and never
runs. Control characters are shown as visible symbols (U+2400 block), line breaks are kept.

Each hand-in also carries its answers as data, for ``python -m helpers.instructor collect``: the
HTML page in a ``<script type="application/json" id="kuril-handin">`` block (JSON is not run, and
the page's content-security policy allows no script anyway; ``<``, ``>`` and ``&`` are written as
``\u003c`` etc., so no text can close the block), the Markdown in a fenced ``kuril-handin`` block
at the end. The data (:func:`payload`) holds a format name and version, the course's identity,
the learner's name, a short code for the computer account (a hash: it tells two learners of the
same name apart, see :func:`account`), the entries (without right/wrong: the instructor marks
again) and a checksum of all that, which shows damage and hand edits (it is not a signature).
"""

import base64
import getpass
import hashlib
import html
import json
import os
import re
import socket
from datetime import datetime, timedelta, timezone

from ..text import markdown_html

TITLE = "Kuril Islands / Northern Territories course"
COURSE_ID = "kuril-islands-course"
FORMAT = "kuril-handin"
VERSION = 1
DATA_ID = "kuril-handin"  # the id of the HTML data block and the Markdown fence's info string
MARKER = f'<meta name="{FORMAT}" content="{VERSION}">'  # in the HTML head: this page has data
MD_MARKER = f"<!-- {FORMAT} {VERSION} -->"  # in the Markdown head
ENTRY_KEYS = ("lesson", "item", "answer", "kind", "prompt", "time", "note")
_BINDER = ("BINDER_LAUNCH_HOST", "BINDER_REPO_URL", "BINDER_REF_URL", "BINDER_REQUEST")
OTHER = "Other answers"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:50rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;margin-top:2rem}
.item{margin:1.25rem 0}.prompt{color:#333}.prompt p{margin:.25rem 0}
.answer{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext;background:#f6f8fa;
border-left:3px solid #1976d2;padding:.5rem .75rem;margin:.25rem 0}
.meta,.note{font-size:.85rem;color:#555}.note{color:#8a4b00}
"""


def visible(text):
    """``text`` with CR/LF line ends unified and other control characters shown as symbols."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")

    def show(m):
        code = ord(m.group())
        if code < 0x20:
            return chr(0x2400 + code)
        return "\u2421" if code == 0x7F else f"[U+{code:04X}]"

    return _CONTROL.sub(show, text)


# kinds whose answers are the bank's own texts (a choice, an order, matches, an opinion's choice):
# island names in them are written {island:<id>} and shown in the learner's naming; typed text is
# left as typed (an opinion without choices is typed too: only a placeholder typed by hand with a
# known island id would change)
_CHOSEN = {"single", "multiple", "ordering", "matching", "opinion"}


def shown_answer(entry):
    """The entry's answer as the learner saw it: chosen course texts with island names filled."""
    answer = entry.get("answer")
    if entry.get("kind") not in _CHOSEN or "{island:" not in json.dumps(answer, ensure_ascii=False):
        return answer
    from .. import names  # only for answers that name an island this way

    def fill(value):
        if isinstance(value, str):
            return names.render(value)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {fill(k): fill(v) for k, v in value.items()}
        return value

    return fill(answer)


NOT_CHOSEN = "(nothing chosen)"


def _item_text(value):
    if value is None or value == "":
        return NOT_CHOSEN
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def answer_text(answer, kind=None):
    """An answer as the learner would read it: text as is; a matching as one "left → right" line
    per item (in the exercise's order); an order as numbered lines; several choices one a line;
    a number as a number. Only something of no known shape falls back to indented JSON (the
    hand-in's data block keeps every answer as it was saved, whatever is shown here)."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, dict) and all(isinstance(k, str) for k in answer):
        return "\n".join(f"{k} → {_item_text(v)}" for k, v in answer.items()) or NOT_CHOSEN
    if isinstance(answer, (list, tuple)) and all(
            v is None or isinstance(v, (str, int, float)) for v in answer):
        if not answer:
            return NOT_CHOSEN
        if kind == "ordering":
            return "\n".join(f"{n}. {_item_text(v)}" for n, v in enumerate(answer, start=1))
        return "\n".join(f"• {_item_text(v)}" for v in answer)
    if answer is None or isinstance(answer, (bool, int, float)):
        return _item_text(answer)
    return json.dumps(answer, ensure_ascii=False, indent=2, sort_keys=True)


def zone(when):
    """The time zone of an aware datetime as a reader anywhere can take it: "UTC" or
    "UTC+09:00" (a name such as "JST" is not always known to the computer)."""
    offset = when.utcoffset()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _as_local(stamp):
    """A journal's time stamp (UTC) in the computer's local time; ValueError if unreadable."""
    when = datetime.fromisoformat(str(stamp))
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # the journal writes UTC
    return when.astimezone()


def local_time(stamp, fmt="%Y-%m-%d %H:%M", always_zone=True):
    """A saved time in the computer's local time, with its zone ("2026-12-06 14:05 UTC"): a hand-in
    is read on another computer, often in another zone (a Binder server's clock is UTC). With
    ``always_zone=False`` (what the learner reads on their own screen) only UTC is named."""
    try:
        when = _as_local(stamp)
        named = zone(when)
        return f"{when.strftime(fmt)} {named}" if always_zone or named == "UTC" else \
            when.strftime(fmt)
    except (TypeError, ValueError, OverflowError):
        return str(stamp or "")


def when_saved(stamp, now=None):
    """A saved time in words, in the computer's local time: "today at 14:05", "yesterday at
    09:30", "on Sunday 6 December 2026 at 14:05"; "at an unknown time" when it cannot be read.
    Where that local time is UTC (a server such as Binder's), the clock says so: "at 14:05 UTC"."""
    try:
        when = _as_local(stamp)
    except (TypeError, ValueError, OverflowError):
        return "at an unknown time"
    today = (now or datetime.now(timezone.utc)).astimezone().date()
    clock = f"{when:%H:%M}" + (" UTC" if when.utcoffset() == timedelta(0) else "")
    if when.date() == today:
        return f"today at {clock}"
    if (today - when.date()).days == 1:
        return f"yesterday at {clock}"
    return f"on {when:%A} {when.day} {when:%B %Y} at {clock}"


def group(entries, lesson_order=()):
    """``[(lesson, [entries])]``: course lessons in course order, then others as first met."""
    groups = {}
    for entry in entries:
        groups.setdefault(entry.get("lesson"), []).append(entry)
    order = [k for k in lesson_order if k in groups] + [k for k in groups if k not in lesson_order]
    return [(k, groups[k]) for k in order]


def account():
    """A short code for the computer account the work is saved under, or None where there is no
    lasting one (Binder: every session is a new machine). A hash of the JupyterHub user name, else
    of user@computer: the instructor's ``collect`` tells two learners of the same name apart by
    it; it does not reveal the name."""
    if any(os.environ.get(k) for k in _BINDER):
        return None
    user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if not user:
        try:
            user = f"{getpass.getuser()}@{socket.gethostname()}"
        except Exception:  # no user name known (some containers)
            return None
    return hashlib.sha256(f"{FORMAT}:{user}".encode("utf-8", "replace")).hexdigest()[:16]


def checksum(data):
    """The checksum of a hand-in's data (every field but ``checksum`` itself)."""
    body = {k: v for k, v in data.items() if k != "checksum"}
    text = json.dumps(body, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("ascii")).hexdigest()


def payload(entries, *, learner, lesson=None, exported=None):
    """The hand-in's data: what ``collect`` reads (see the module's docstring)."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "course": {"id": COURSE_ID, "title": TITLE},
        "learner": learner or "learner",
        "account": account(),
        "scope": lesson,
        "exported": exported or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        # right/wrong is left out: a graded course must not show it, and collect marks again
        "entries": [{k: e[k] for k in ENTRY_KEYS if k in e} for e in entries],
    }
    data["checksum"] = checksum(data)
    return data


def data_json(data):
    """``data`` as one line of ASCII JSON that no HTML or Markdown can break out of."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _checked(entry, show_correct):
    correct = entry.get("correct")
    if not show_correct or correct is None:
        return ""
    if correct is True:
        return "checked: correct"
    if correct is False:
        return "checked: not correct"
    return f"checked: {correct}"


def _meta(entry, show_correct):
    parts = [f"item {entry.get('item')}", f"saved {local_time(entry.get('time'))}"]
    if entry.get("kind"):
        parts.insert(1, str(entry["kind"]))
    checked = _checked(entry, show_correct)
    return " · ".join(parts + ([checked] if checked else []))


def _header_facts(learner, lesson, count):
    scope = f"lesson {lesson}" if lesson else "the whole course"
    now = local_time(datetime.now(timezone.utc).isoformat())
    return learner or "learner", scope, now, f"{count} answer{'s' if count != 1 else ''}"


WORKS_CITED = "Works cited"
_ITALIC = re.compile(r"[*]([^*]+)[*]")
STYLE_NOTE = "Chicago author–date style; markers such as [@shimoda-1855] in the answers point here."


def works_cited(entries):
    """``(references, unknown markers)`` for the citations in the entries' typed answers:
    Chicago author–date entries (``_cite.formats.chicago``), sorted, and the markers whose id
    the course does not know (shown, never dropped). Nothing when the data cannot be read."""
    texts = [e.get("answer") for e in entries if isinstance(e.get("answer"), str)]
    if not any("[@" in t for t in texts):
        return [], []
    try:
        from .. import data
        from .._cite import formats
        from .._cite.mix import compute

        found = compute("\n".join(texts))
        rows = data.raw_rows("sources")
        refs = sorted((formats.chicago(dict(rows[i], id=i)) for i in found.sources if i in rows),
                      key=str.casefold)
        return refs, list(dict.fromkeys(c.id or c.marker for c, _ in found.unknown))
    except Exception:  # a hand-in is never lost to a data problem
        return [], []


def _works_cited_html(entries):
    refs, unknown = works_cited(entries)
    if not refs and not unknown:
        return []
    esc = html.escape
    items = "".join("<li>" + _ITALIC.sub(r"<em>\1</em>", esc(r)) + "</li>" for r in refs)
    out = [f'<section class="works-cited"><h2>{WORKS_CITED}</h2>',
           f'<p class="meta">{esc(STYLE_NOTE)}</p>', f"<ul>{items}</ul>"]
    if unknown:
        out.append(f'<p class="note">Markers the course does not know: '
                   f'{esc(", ".join(unknown))}</p>')
    return out + ["</section>"]


def _works_cited_md(entries):
    refs, unknown = works_cited(entries)
    if not refs and not unknown:
        return []
    out = [f"## {WORKS_CITED}", "", f"*{STYLE_NOTE}*", ""] + [f"- {r}" for r in refs] + [""]
    if unknown:
        out += ["*Markers the course does not know: " + _md_escape(", ".join(unknown)) + "*", ""]
    return out


def _data(entries, learner, lesson):
    return data_json(payload(entries, learner=learner, lesson=lesson))


def to_html(entries, *, learner, lesson=None, lesson_order=(), show_correct=True):
    """One self-contained HTML page (no scripts, no outside files) with every entry."""
    esc = html.escape
    name, scope, now, count = _header_facts(learner, lesson, len(entries))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # No script may run in this page, whatever it contains.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        MARKER,
        f"<title>My work: {esc(visible(name))} ({esc(scope)})</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>My work: {TITLE}</h1>",
        f'<p class="meta">Learner: <strong dir="auto">{esc(visible(name))}</strong> · '
        f"{esc(scope)} · {count} · exported {now}</p>",
    ]
    if not entries:
        out.append("<p>No answers saved yet.</p>")
    for lesson_id, items in group(entries, lesson_order):
        out.append(f"<section><h2>{esc(str(lesson_id)) if lesson_id else OTHER}</h2>")
        for e in items:
            prompt = e.get("prompt")
            out.append(f'<div class="item" id="{esc(str(e.get("item")), quote=True)}">')
            out.append(
                f'<div class="prompt">{markdown_html(visible(prompt))}</div>'
                if prompt
                else f'<div class="prompt"><strong>{esc(str(e.get("item")))}</strong></div>'
            )
            text = visible(answer_text(shown_answer(e), e.get("kind")))
            out.append(f'<div class="answer" dir="auto">{esc(text)}</div>')
            if e.get("note"):
                out.append(f'<p class="note">{esc(visible(e["note"]))}</p>')
            out.append(f'<p class="meta">{esc(_meta(e, show_correct))}</p></div>')
        out.append("</section>")
    out += _works_cited_html(entries)
    # The answers as data for the instructor's collect (JSON: never run, see the docstring).
    out.append(f'<script type="application/json" id="{DATA_ID}">'
               f"{_data(entries, learner, lesson)}</script>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _md_escape(text):
    text = html.escape(visible(text).replace("\n", " "), quote=False)
    return re.sub(r"([\\`*_{}\[\]()#+!|>~-])", r"\\\1", text)


def _fence(text):
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def to_markdown(entries, *, learner, lesson=None, lesson_order=(), show_correct=True):
    """The same content as Markdown; each answer sits in a fenced block, so it shows as typed."""
    name, scope, now, count = _header_facts(learner, lesson, len(entries))
    out = [
        f"# My work: {TITLE}",
        MD_MARKER,
        "",
        f"Learner: **{_md_escape(name)}** · {scope} · {count} · exported {now}",
        "",
    ]
    if not entries:
        out += ["No answers saved yet.", ""]
    for lesson_id, items in group(entries, lesson_order):
        out += [f"## {_md_escape(lesson_id) if lesson_id else OTHER}", ""]
        for e in items:
            out += [f"### {_md_escape(e.get('item'))}", ""]
            if e.get("prompt"):
                prompt = html.escape(visible(e["prompt"]), quote=False)
                out += ["> " + line for line in prompt.split("\n")] + [""]
            text = visible(answer_text(shown_answer(e), e.get("kind")))
            fence = _fence(text)
            out += [fence + "text", text, fence, ""]
            if e.get("note"):
                out += [f"*{_md_escape(e['note'])}*", ""]
            out += [f"*{_md_escape(_meta(e, show_correct))}*", ""]
    out += _works_cited_md(entries)
    data = _data(entries, learner, lesson)
    fence = _fence(data)
    out += ["## Data for your instructor", "",
            "*The same answers as data, read by the instructor's tools. Please leave it as it is.*",
            "", fence + DATA_ID, data, fence, ""]
    return "\n".join(out)


def data_url(text, mime):
    """A ``data:`` URL holding ``text`` (UTF-8), for a browser download link."""
    payload = base64.b64encode(text.encode("utf-8", "replace")).decode("ascii")
    return f"data:{mime};charset=utf-8;base64,{payload}"
