"""Link the first use of each glossary term in a lesson's prose to its card.

    python scripts/link_glossary.py           # list what it would link, and terms it cannot find
    python scripts/link_glossary.py --write   # wrap each first use in [text](#glossary-<id>)

For every lesson a term of ``data/glossary.csv`` lists, the first match of one of the term's forms
(``FORMS`` below; case is ignored, any run of spaces or a line break may separate words) in the
lesson's Markdown, outside headings, ``>`` block quotes, code and existing links, is wrapped in a
link to the card that ``glossary.cards(lesson)`` draws. Not a word of the prose changes. A term
already linked in a lesson is left as it is. Read every link it makes before committing: a form
may match a word used in another sense (``FORMS`` lists only forms that, where they occur, carry
the term's sense). Afterwards run ``python scripts/tidy_notebooks.py``.
"""

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# term id -> its forms as they occur in the lessons' prose (regular expressions; a space is any
# whitespace). Longer terms are linked first, so "San Francisco Peace Treaty" is not taken by
# "peace treaty".
FORMS = {
    # a name that holds the term (the Issue Association, Northern Territories Day) is no use of it
    "northern-territories": [r"Northern Territories(?!\s+(?:Issue|Day|Affairs))"],
    "southern-kurils": [r"Southern Kurils", r"southern Kuril Islands"],
    "kuril-islands": [r"Kuril Islands", r"Kuril chain", r"Kurils"],
    "chishima": [r"Chishima"],
    "four-islands": [r"four islands"],
    "habomai": [r"Habomai islets", r"Habomai"],
    "shikotan": [r"Shikotan"],
    "kunashiri-kunashir": [r"Kunashiri/Kunashir", r"Kunashiri", r"Kunashir"],
    "etorofu-iturup": [r"Etorofu/Iturup", r"Etorofu", r"Iturup"],
    "uruppu-urup": [r"Uruppu/Urup", r"Uruppu", r"Urup"],
    "shumshu": [r"Shumushu/Shumshu", r"Shumshu", r"Shumushu"],
    "sakhalin-karafuto": [r"Sakhalin/Karafuto", r"Karafuto",
                          r"Sakhalin(?!\s+(?:Oblast|Region|regional))"],
    "hokkaido": [r"Hokkaido"],
    "sakhalin-oblast": [r"South Sakhalin oblast", r"Sakhalin Oblast", r"Sakhalin Region",
                        r"Sakhalin regional"],
    "peace-treaty": [r"peace treaty", r"peace treaties"],
    "peace-treaty-problem": [r"peace-treaty issue", r"peace treaty issue", r"peace-treaty question",
                             r"peace-treaty problem", r"peace treaty problem"],
    "territorial-issue": [r"territorial issue", r"territorial question", r"territorial problem"],
    "sovereignty": [r"sovereignty"],
    "administration": [r"administration", r"administered", r"administering", r"administers",
                       r"administer"],
    "jurisdiction": [r"jurisdiction"],
    "attribution": [r"attribution"],
    "delimitation": [r"border delimitation", r"delimitation"],
    "renounce": [r"renounces", r"renounced", r"renounce", r"renouncing", r"renunciation"],
    "inherent-territory": [r"inherent territory", r"inherent territories", r"inherent"],
    "illegal-occupation": [r"illegal occupation", r"illegally occupied", r"illegal"],
    "hand-over": [r"hand over", r"handed over", r"hands over", r"handing over", r"hand-over",
                  r"handover", r"hand them over", r"hand the islands over"],
    "return": [r'"return"', r"“return”", r"return of the islands", r"return of the four islands",
               r"return of the territories", r"return of the Northern Territories",
               r"return of Japanese land"],
    "liberation": [r"liberation", r"liberated"],
    "outcome-of-ww2": [r"outcome of the Second World War", r"results of the Second World War",
                       r"the war's outcome"],
    "continuator-state": [r"continuator state", r"continuator", r"successor state",
                          r"same state as the USSR", r"successor"],
    "treaty-of-shimoda": [r"Treaty of Shimoda", r"Shimoda Treaty", r"Shimoda"],
    "treaty-of-saint-petersburg": [r"Treaty of Saint Petersburg", r"Saint Petersburg"],
    "treaty-of-portsmouth": [r"Treaty of Portsmouth", r"Portsmouth"],
    "neutrality-pact": [r"Soviet-Japanese Neutrality Pact", r"Neutrality Pact"],
    "kantokuen": [r"Kantokuen"],
    "nomonhan": [r"Nomonhan", r"Khalkhin Gol"],
    "cairo-declaration": [r"Cairo Declaration", r"Cairo Communiqué", r"Cairo"],
    "yalta-agreement": [r"Yalta agreement", r"Yalta Agreement", r"Yalta"],
    "potsdam-declaration": [r"Potsdam Declaration", r"Potsdam"],
    "kuril-landing-operation": [r"Kuril landing operation", r"landing operation", r"landings?"],
    "instrument-of-surrender": [r"Instrument of Surrender"],
    "general-order-no-1": [r"General Order No\. 1", r"General Order"],
    "scapin-677": [r"SCAPIN-677"],
    "removal-of-residents": [r"forced removal", r"removals", r"removal"],
    "san-francisco-peace-treaty": [r"San Francisco Peace Treaty", r"Treaty of San Francisco",
                                   r"San Francisco treaty", r"San Francisco"],
    "joint-declaration-1956": [r"Soviet-Japanese Joint Declaration", r"Joint Declaration",
                               r"1956 Declaration"],
    "joint-communique-1991": [r"Japanese-Soviet Joint Communiqué", r"Joint Communiqué"],
    "tokyo-declaration": [r"Tokyo Declaration"],
    "moscow-declaration": [r"Moscow Declaration"],
    "irkutsk-statement": [r"Irkutsk Statement", r"Irkutsk"],
    "action-plan-2003": [r"Japan-Russia Action Plan", r"Action Plan"],
    "new-approach": [r"new approach"],
    "eight-point-plan": [r"eight-point cooperation plan", r"eight-point plan", r"eight-point"],
    "joint-economic-activities": [r"joint economic activities", r"joint economic activity"],
    "special-arrangement": [r"special arrangement"],
    "legal-positions": [r"without prejudice to (?:the )?legal positions",
                        r"prejudice either country's position",
                        r"prejudice (?:to )?(?:the|either side's|their) legal positions?",
                        r"legal positions?"],
    "basis-of-1956": [r"on the basis of the 1956 Declaration",
                      r"on the basis of the 1956 Joint Declaration", r"on the basis of 1956"],
    "alienation-ban": [r"alienation", r"alienating", r"alienate", r"new clause"],
    "visa-free-exchanges": [r"visa-free exchanges", r"visa-free"],
    "grave-visits": [r"grave visits", r"visits to graves", r"visit(?:ed)? family graves",
                     r"visited graves"],
    "free-visits": [r"free visits", r"free-visit", r"simplified visits"],
    "former-residents": [r"former residents", r"former islanders"],
    "ainu": [r"Ainu"],
    "northern-territories-day": [r"Northern Territories Day"],
    "end-of-war-day": [r"3 September"],
    "state-of-war": [r"state of war"],
}

LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)|<[^>\n]+>|https?://\S+")
INLINE_CODE = re.compile(r"`[^`]*`")
LINKED = re.compile(r"\]\(#glossary-([a-z0-9-]+)\)")


def protected(text):
    """Spans of ``text`` (one Markdown cell) that are not prose to link in: heading and block
    quote lines, fenced code, inline code, links (with their text), raw HTML tags and URLs."""
    spans, pos, fenced = [], 0, False
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith("```"):
            fenced = not fenced
            spans.append((pos, pos + len(line)))
        elif fenced or stripped.startswith("#") or stripped.startswith(">"):
            spans.append((pos, pos + len(line)))
        pos += len(line)
    for pattern in (LINK, INLINE_CODE):
        spans += [m.span() for m in pattern.finditer(text)]
    return spans


def form_regex(form):
    words = r"\s+".join(form.split(" "))
    return re.compile(rf"(?<![\w/-]){words}(?![\w/-])", re.I)


def first_use(cells, forms):
    """(cell index, start, end) of the first match of any of ``forms`` in the Markdown
    ``cells`` ({index: text}) outside protected spans, or None."""
    patterns = [form_regex(f) for f in forms]
    for index, text in cells.items():
        spans = protected(text)
        hits = [m.span() for p in patterns for m in p.finditer(text)
                if not any(a < m.end() and m.start() < b for a, b in spans)]
        if hits:
            start = min(h[0] for h in hits)
            end = max(h[1] for h in hits if h[0] == start)
            return index, start, end
    return None


def lesson_terms():
    with open(ROOT / "data" / "glossary.csv", newline="", encoding="utf-8") as f:
        found = list(csv.DictReader(f))
    out = {}
    for row in found:
        for stem in [p.strip() for p in (row["lessons"] or "").split(";") if p.strip()]:
            out.setdefault(stem, []).append(row["id"])
    return out


def main(write=False):
    terms = lesson_terms()
    missing = []
    for path in sorted(NOTEBOOKS.glob("0*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = {i: "".join(c["source"]) for i, c in enumerate(nb["cells"])
                 if c["cell_type"] == "markdown"}
        already = {m for text in cells.values() for m in LINKED.findall(text)}
        wanted = [t for t in terms.get(path.stem, []) if t not in already]
        wanted.sort(key=lambda t: -max(len(f) for f in FORMS.get(t, [""])))
        for term in wanted:
            hit = first_use(cells, FORMS.get(term, []))
            if hit is None:
                missing.append((path.stem, term))
                continue
            index, start, end = hit
            text = cells[index]
            word = text[start:end]
            cells[index] = f"{text[:start]}[{word}](#glossary-{term}){text[end:]}"
            context = text[max(0, start - 50):end + 30].replace("\n", " ")
            print(f"{path.stem} cell {index}: {term:28} <- {word!r}   …{context}…")
        if write:
            for index, text in cells.items():
                nb["cells"][index]["source"] = text.splitlines(keepends=True)
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    for stem, term in missing:
        print(f"NOT FOUND: {stem}: {term}")
    return 0


if __name__ == "__main__":
    sys.exit(main(write="--write" in sys.argv))
