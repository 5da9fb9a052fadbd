"""Lessons link a term's first use to its card (issue 17): every term data/glossary.csv lists for
a lesson is linked in that lesson's prose as ``[text](#glossary-<id>)``, on its first use, and the
lesson shows the cards the links point to with ``glossary.cards("<lesson>")``.

"Prose" is a lesson's Markdown outside headings, ``>`` block quotes (quoted official texts, never
altered), fenced and inline code, and other links. The first-use invariant checked here: no
unlinked occurrence of a link's own text (ignoring case and line breaks) comes before the link in
the lesson's prose (``OTHER_SENSE`` names the few words whose earlier use is a name or another
sense). Pure Python: the notebooks are read, not run.
"""

import json
import re
from pathlib import Path

import pytest

from helpers import glossary
from helpers._glossary import rows
from helpers.text import markdown_html, plain_html
from helpers.course import lesson_files

ROOT = Path(__file__).resolve().parent.parent
TERMS = {r["id"]: r for r in rows.read_rows(ROOT / "data" / "glossary.csv")[1]}
LESSONS = [p for p in lesson_files(ROOT / "notebooks") if p.name.startswith("0")]
GLOSSARY_LINK = re.compile(r"\[([^\]]+)\]\(#glossary-([^)\s]*)\)")
ANY_LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)|<[^>\n]+>|https?://\S+")
INLINE_CODE = re.compile(r"`[^`]*`")
# an earlier occurrence of a link's text followed by these words names something else: the
# "Sakhalin regional parliament" is the oblast's (its own term, linked as "Sakhalin oblast"); the
# Northern Territories Issue Association (and its Q&A pages) and Northern Territories Day are names
OTHER_SENSE = {"sakhalin": r"\s+(?:regional|oblast)",
               "northern territories": r"\s+(?:Issue|Day|Affairs)"}


def listed(lesson):
    return {i for i, r in TERMS.items() if lesson in rows.split(r["lessons"])}


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def prose(path):
    """The lesson's Markdown as one text (cells joined by blank lines) and the spans of it that
    are not prose: heading and ``>`` lines, fenced code, inline code, links."""
    text = "\n\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "markdown")
    spans, pos, fenced = [], 0, False
    for line in text.splitlines(keepends=True):
        bare = line.lstrip()
        if bare.startswith("```"):
            fenced = not fenced
        if fenced or bare.startswith(("```", "#", ">")):
            spans.append((pos, pos + len(line), "line"))
        pos += len(line)
    spans += [(*m.span(), "code") for m in INLINE_CODE.finditer(text)]
    spans += [(*m.span(), "link") for m in ANY_LINK.finditer(text)]
    return text, spans


def inside(span, spans, kinds):
    a, b = span
    return any(s < b and a < e for s, e, kind in spans if kind in kinds)


def glossary_links(path):
    text, spans = prose(path)
    return text, spans, list(GLOSSARY_LINK.finditer(text))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_term_listed_for_a_lesson_is_linked_in_its_prose(path):
    linked = {m.group(2) for m in glossary_links(path)[2]}
    assert listed(path.stem) - linked == set(), "terms listed for the lesson but never linked"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_link_names_a_term_whose_card_is_on_the_page(path):
    for m in glossary_links(path)[2]:
        assert m.group(2) in TERMS, f"{path.name}: {m.group(0)!r} names no glossary term"
        assert m.group(2) in listed(path.stem), (
            f"{path.name}: {m.group(0)!r}: the term does not list this lesson, so "
            "glossary.cards does not draw its card here")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_each_term_is_linked_once_on_its_first_use_in_prose(path):
    text, spans, links = glossary_links(path)
    ids = [m.group(2) for m in links]
    assert len(ids) == len(set(ids)), f"{path.name}: a term linked more than once"
    for m in links:
        assert not inside(m.span(), spans, {"line", "code"}), (
            f"{path.name}: {m.group(0)!r} is in a heading, a block quote or code")
        words = r"\s+".join(re.escape(w) for w in m.group(1).split())
        other = OTHER_SENSE.get(m.group(1).casefold(), r"(?!)")
        earlier = [e for e in re.finditer(rf"(?<![\w/-]){words}(?![\w/-])(?!{other})",
                                          text[:m.start()], re.I)
                   if not inside(e.span(), spans, {"line", "code", "link"})]
        assert not earlier, (f"{path.name}: {m.group(1)!r} is used before its link, at "
                             f"…{text[max(0, earlier[0].start() - 40):earlier[0].end()]!r}")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_each_lesson_shows_its_cards_after_the_links(path):
    found = cells(path)
    calls = [n for n, c in enumerate(found) if c["cell_type"] == "code"
             and f'glossary.cards("{path.stem}")' in "".join(c["source"])]
    assert len(calls) == 1, f"{path.name}: no cell calls glossary.cards({path.stem!r})"
    assert len([ln for ln in "".join(found[calls[0]]["source"]).splitlines() if ln.strip()]) <= 3
    html = glossary.cards_html(path.stem)
    for term in {m.group(2) for m in glossary_links(path)[2]}:
        assert re.search(f'id="?{glossary.anchor(term)}[" >]', html), (path.name, term)


def test_the_checks_catch_a_broken_link(tmp_path):
    """The invariants above fail on a lesson whose link is moved off the first use, names an
    unknown term, or sits in a block quote."""
    lesson = next(p for p in LESSONS if p.stem == "02_the_1956_declaration")
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if "#glossary-peace-treaty)" in "".join(c["source"]))
    source = "".join(first["source"])
    nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {},
                           "source": "A peace treaty, a [word](#glossary-no-such-term).\n\n"
                                     "> [Quoted](#glossary-liberation)"})
    first["source"] = source.replace("[peace treaty](#glossary-peace-treaty)", "peace treaty")
    broken = tmp_path / lesson.name
    broken.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(AssertionError, match="never linked"):
        test_every_term_listed_for_a_lesson_is_linked_in_its_prose(broken)
    with pytest.raises(AssertionError, match="names no glossary term"):
        test_every_link_names_a_term_whose_card_is_on_the_page(broken)
    with pytest.raises(AssertionError, match="block quote|used before its link"):
        test_each_term_is_linked_once_on_its_first_use_in_prose(broken)
    first["source"] = source + "\n\nA later [peace treaty](#glossary-peace-treaty)."
    nb["cells"].pop(0)
    broken.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(AssertionError, match="more than once"):
        test_each_term_is_linked_once_on_its_first_use_in_prose(broken)


def test_a_link_after_an_unlinked_use_fails_the_first_use_check(tmp_path):
    lesson = next(p for p in LESSONS if p.stem == "01_shimoda_to_yalta")
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    nb["cells"].insert(1, {"cell_type": "markdown", "metadata": {},
                           "source": "Before it: the\nKurils, `sovereignty` in code.\n"})
    broken = tmp_path / lesson.name
    broken.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(AssertionError, match="'Kurils' is used before its link"):
        test_each_term_is_linked_once_on_its_first_use_in_prose(broken)


def test_the_lesson_cards_are_compact_and_the_full_cards_remain():
    lesson = "04_putin_abe"
    compact, full = glossary.cards_html(lesson), glossary.cards_html(lesson, compact=False)
    assert len(compact) < len(full) / 2
    for term in listed(lesson):
        row = TERMS[term]
        block = compact.split(f"<dt id={glossary.anchor(term)}>")[1].split("<dt ")[0]
        for column in ("term_ja", "term_ja_romaji", "term_ru", "term_ru_latin"):
            assert plain_html(row[column]).replace("&quot;", '"') in block, (term, column)
        assert '<i lang=ja>' in block and '<i lang=ru>' in block and "<dd>" in block
        # the definition, as the full card shows it, quotes as plain '"' (text only, no attributes)
        words = re.sub(r"<[^>]+>", "", markdown_html(row["definition"])).replace("&quot;", '"')
        assert words.strip() in re.sub(r"<[^>]+>", "", block), term
    assert "How each government uses it" not in compact and "How each government uses it" in full
    assert compact.count("<style>") == 1  # one small rule set, not one per entry
    assert f'<div id="{glossary.anchor("peace-treaty")}">' in full
