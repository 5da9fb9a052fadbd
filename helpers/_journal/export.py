"""The learner's work as one file to hand in: self-contained HTML, or Markdown.

Everything the learner typed is escaped (HTML) or fenced (Markdown), so it shows as text and never
runs. Control characters are shown as visible symbols (U+2400 block), line breaks are kept.
"""

import base64
import html
import json
import re
from datetime import datetime, timezone

from ..text import markdown_html

TITLE = "Kuril Islands / Northern Territories course"
OTHER = "Other answers"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:50rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a}
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


# kinds whose answers are the bank's own texts (a choice, an order, matches): island names in
# them are written {island:<id>} and shown in the learner's naming; typed text is left as typed
_CHOSEN = {"single", "multiple", "ordering", "matching"}


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


def answer_text(answer):
    """An answer as the learner would read it: text as is, anything else as indented JSON."""
    if isinstance(answer, str):
        return answer
    return json.dumps(answer, ensure_ascii=False, indent=2, sort_keys=True)


def local_time(stamp, fmt="%Y-%m-%d %H:%M"):
    try:
        return datetime.fromisoformat(str(stamp)).astimezone().strftime(fmt)
    except (TypeError, ValueError):
        return str(stamp or "")


def group(entries, lesson_order=()):
    """``[(lesson, [entries])]``: course lessons in course order, then others as first met."""
    groups = {}
    for entry in entries:
        groups.setdefault(entry.get("lesson"), []).append(entry)
    order = [k for k in lesson_order if k in groups] + [k for k in groups if k not in lesson_order]
    return [(k, groups[k]) for k in order]


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
    now = datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
    return learner or "learner", scope, now, f"{count} answer{'s' if count != 1 else ''}"


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
            out.append(
                f'<div class="answer" dir="auto">{esc(visible(answer_text(shown_answer(e))))}</div>'
            )
            if e.get("note"):
                out.append(f'<p class="note">{esc(visible(e["note"]))}</p>')
            out.append(f'<p class="meta">{esc(_meta(e, show_correct))}</p></div>')
        out.append("</section>")
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
            text = visible(answer_text(shown_answer(e)))
            fence = _fence(text)
            out += [fence + "text", text, fence, ""]
            if e.get("note"):
                out += [f"*{_md_escape(e['note'])}*", ""]
            out += [f"*{_md_escape(_meta(e, show_correct))}*", ""]
    return "\n".join(out)


def data_url(text, mime):
    """A ``data:`` URL holding ``text`` (UTF-8), for a browser download link."""
    payload = base64.b64encode(text.encode("utf-8", "replace")).decode("ascii")
    return f"data:{mime};charset=utf-8;base64,{payload}"
