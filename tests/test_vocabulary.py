"""Does the course's own voice stay out of either government's vocabulary?

"return" / "give back" / "hand back" (of islands), "illegal occupation", "liberated" and "inherent
territory" are each side's words, and so are the two names for the disputed group, "Northern
Territories" (Japan's) and "Southern Kurils" (Russia's; an organisation's or a day's name, such as
Northern Territories Day, is no claim). The course may quote them, or put them in a government's or
an author's mouth ("Tokyo calls them ..."), but never use them as its own. This test reads what
learners read in the course's voice: every notebook's Markdown, every text in the exercise banks,
the titles, summaries and notes of events and documents, the briefs and "what you know" of the role
cards (a card's goals and red lines are the role's own voice, so they are not scanned), every text
of the proposals (data/proposals.yml) and of each government's conditions (data/conditions.yml:
title, statement, explanations, notes; a condition's verbatim `quote.text` is the government's own
wording, so only its translation and note are scanned), and the formula, condition and summary of
every row of data/positions.csv, and the text strings in code cells (a journal prompt is the course
speaking to the learner).

A sentence is allowed when the loaded word sits inside quotation marks (or 「」, a Markdown block
quotation, or is a single *italicised* word named as a word), when the sentence says whose words
they are (an actor such as Tokyo, Moscow, MOFA or a named author, together with a verb of saying,
holding or wording: "agreed to return" is an act told in the course's voice, not an attribution),
or when it is on ALLOWED below with a reason. Every ALLOWED entry must still match something, so
the list cannot go stale.
"""

import ast
import csv
import json
import re
from pathlib import Path

import pytest
import yaml

from helpers.course import lesson_files

ROOT = Path(__file__).resolve().parent.parent

# "return" and "give back" are loaded only when the sentence is about land.
PLACE = re.compile(
    r"\b(islands?|islets?|territor(y|ies)|Habomai|Shikotan|Kunashiri?|Etorofu|Iturup|Kuril(e)?s?|"
    r"Chishima|Sakhalin|Okinawa|Ryukyus?|land)\b", re.I)
LOADED = {
    "return": re.compile(r"(?<!\bin )\b(return(s|ed|ing)?|"
                         r"(give|gives|gave|given|giving|came|come|comes|hand|hands|handed|handing|"
                         r"get|gets|got|getting) back)\b", re.I),
    "illegal occupation": re.compile(r"\billegal(ly)?\W+occup\w*|\boccup\w*\W+illegally\b", re.I),
    "liberated": re.compile(r"\bliberat(e|es|ed|ing|ion)\b", re.I),
    "inherent territory": re.compile(r"\binherent\b", re.I),
    "a side's name for the islands": re.compile(r"\b(Northern Territories|South(ern)? Kurils?)\b"),
}
# Proper names that contain "Northern Territories" and are nobody's claim in the course's voice:
# an organisation, a day, a ministry page's title.
PROPER_NAMES = re.compile(
    r"Northern\s+Territories\s+(Issue|Day|Affairs)|Japan's\s+Northern\s+Territories|"
    r"South\s+Kuril\s+district")
ACTOR = re.compile(
    r"\b(Tokyo|Moscow|Kremlin|Japan|Japanese|Russia|Russian|Soviet|USSR|MOFA|Ministry|ministry|"
    r"Diet|Cabinet|Bluebook|government|Kishida|Abe|Koizumi|Hashimoto|Mori|Kan|Suga|Lavrov|Putin|"
    r"Zakharova|Stalin|Khrushchev|Malik|Gromyko|Shigemitsu|Yeltsin|Medvedev|Limarenko|column|"
    r"brief|Akaha|Vassilieva|Panov|Streltsov|author|authors|Washington|Dulles|United States|"
    r"residents|islanders|Ainu|association)\b")
SAYS = re.compile(
    r"\b(says?|said|saying|states?|stated|stating|calls?|called|calling|holds?|held|argues?|"
    r"argued|describes?|described|describing|regards?|regarded|speaks? of|spoke of|writes?|wrote|"
    r"written|put it|claims?|claimed|demands?|demanded|insists?|insisted|wording|phrase|term|"
    r"terms|verb|words?|reading|position|view|according to|in (its|their|his|her) (own )?words|"
    r"slogan|vocabulary|translation|translates?|counts?|counted|repl(y|ies|ied)|reports?|"
    r"reported)\b")  # lower case: "State Department" is not a verb
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|「[^」]*」|(?<![\w])'[^'\n]+?'(?![\w])|"
                    r"`[^`]*`|(?<!\*)\*[A-Za-z-]+\*(?!\*)")

# (where, a piece of the sentence) -> why the sentence is allowed
ALLOWED = {
    ("02_the_1956_declaration.ipynb", "`data.islands()` returns a table"):
        "a Python function returns a value; nothing is said about the islands' status",
    ("00_start_here.yml l0-japanese-name", "The Northern Territories"):
        "a quiz choice answering what the Japanese government calls the islands",
    ("00_start_here.yml l0-japanese-name", "The Southern Kurils"):
        "a wrong choice in the same quiz; its feedback names it as Russian usage",
    ("00_start_here.yml l0-russian-name", "As the Northern Territories"):
        "a wrong choice in the quiz on Russian usage; its feedback names it as Japan's",
    ("00_start_here.yml l0-which-name-before", "The Northern Territories"):
        "the learner's own choice of name before the course, not the course's",
    ("00_start_here.yml l0-which-name-before", "The Southern Kurils"):
        "the learner's own choice of name before the course, not the course's",
    ("04_putin_abe.yml l4-people-voices", "indigenous people of the Northern Territories"):
        "a view to be matched to its speaker (MOFA in 2007, as AFP reported); the prompt says "
        "it is the speaker's, not the course's",
}


def split_sentences(text):
    text = re.sub(r"\s+", " ", text)
    return [s.strip() for s in re.split(r"(?<=[.!?:;])\s+(?=[A-Z(*\"“'])", text) if s.strip()]


def findings(where, text, attributed=False):
    """(where, word, sentence) for each sentence of ``text`` using a loaded word unattributed."""
    out = []
    for sentence in split_sentences(text):
        bare = PROPER_NAMES.sub(" ", QUOTED.sub(" ", sentence))
        for word, pattern in LOADED.items():
            if not pattern.search(bare):
                continue
            if word == "return" and not PLACE.search(bare):
                continue
            if attributed or (ACTOR.search(bare) and SAYS.search(bare)):
                continue
            out.append((where, word, sentence))
    return out


def markdown_findings(where, source):
    """Markdown with tables: a table whose header names a government or author is attributed."""
    out, table_attributed = [], False
    for block in re.split(r"\n\s*\n", source):
        lines = block.splitlines()
        prose = []
        for line in lines:
            if line.lstrip().startswith(">"):  # a block quotation: someone else's words
                continue
            if line.lstrip().startswith("|"):
                if re.match(r"\s*\|[\s:|-]+\|\s*$", line):
                    continue
                if not table_attributed and prose == [] and line is lines[0]:
                    table_attributed = bool(ACTOR.search(line) and SAYS.search(line))
                out += findings(where, line.replace("|", ". "), attributed=table_attributed)
            else:
                prose.append(line)
        table_attributed = False
        out += findings(where, "\n".join(prose))
    return out


def texts_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from texts_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("id", "sources", "tags", "kind", "lesson"):
                yield from texts_in(item)


def code_strings(source):
    """The text strings of a code cell (a prompt, a label), not its names or comments."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value]


def course_findings():
    out = []
    for path in lesson_files(ROOT / "notebooks"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for n, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "markdown":
                out += markdown_findings(f"{path.name} cell {n}", "".join(cell["source"]))
            elif cell["cell_type"] == "code":
                for text in code_strings("".join(cell["source"])):
                    out += findings(f"{path.name} cell {n} (code)", text)
    for path in sorted((ROOT / "data" / "exercises").glob("*.yml")):
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        for ex in bank.get("exercises", []):
            for text in texts_in(ex):
                out += findings(f"{path.name} {ex['id']}", text)
    for name, fields in (("events", ("title", "summary", "notes")),
                         ("documents", ("summary", "notes"))):
        with open(ROOT / "data" / f"{name}.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for field in fields:
                    out += findings(f"{name}.csv {row['id']} {field}", row[field])
    proposals = yaml.safe_load((ROOT / "data" / "proposals.yml").read_text(encoding="utf-8"))
    for section, items in proposals.items():
        for item in items:
            for key, value in item.items():
                if key not in ("id", "kind", "design", "actors", "documents", "sources", "date"):
                    for text in texts_in(value):
                        out += findings(f"proposals.yml {item['id']} {key}", text)
    conditions = yaml.safe_load((ROOT / "data" / "conditions.yml").read_text(encoding="utf-8"))
    for entry in conditions["conditions"]:
        for key, value in entry.items():
            if key in ("id", "rule", "actors", "documents", "sources", "from_date", "to_date"):
                continue
            if key == "quote":  # the verbatim text is the government's; its translation is ours
                value = {k: v for k, v in value.items() if k != "text"}
            for text in texts_in(value):
                out += findings(f"conditions.yml {entry['id']} {key}", text)
    with open(ROOT / "data" / "positions.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for field in ("formula", "condition", "summary"):
                out += findings(f"positions.csv {row['id']} {field}", row[field])
    for path in sorted((ROOT / "data" / "roles").glob("*.yml")):
        card = yaml.safe_load(path.read_text(encoding="utf-8"))
        for field in ("brief", "knows"):
            for text in texts_in(card.get(field, [])):
                out += findings(f"roles/{path.name} {field}", text)
    return out


def allowed(finding):
    where, _, sentence = finding
    return any(w in where and piece in sentence for (w, piece) in ALLOWED)


def test_the_course_never_speaks_either_governments_vocabulary():
    """Is every loaded word in the course quoted, attributed or allowed with a reason?"""
    found = [f for f in course_findings() if not allowed(f)]
    report = "\n".join(f"{where}: '{word}' in: {sentence}" for where, word, sentence in found)
    assert not found, "Loaded words in the course's own voice:\n" + report


def test_every_allowed_entry_is_still_needed():
    """Does each ALLOWED entry still match a sentence (so the list cannot go stale)?"""
    found = course_findings()
    stale = [key for key in ALLOWED
             if not any(key[0] in where and key[1] in sentence for where, _, sentence in found)]
    assert not stale, f"ALLOWED entries that match nothing any more: {stale}"


@pytest.mark.parametrize("sentence", [
    "In 1956 the USSR agreed to return Habomai and Shikotan after a peace treaty.",
    "The two islands were given back in a treaty.",
    "The islands remain under illegal occupation.",
    "Soviet troops liberated the Kurils in 1945.",
    "Tokyo wants the Kurils handed back.",
    "The Northern Territories lie north-east of Hokkaido.",
    "Fishing around the Southern Kurils is rich.",
    "The four islands are Japan's inherent territory.",
    "| Yalta | the islands were returned |",
])
def test_a_loaded_word_in_the_course_voice_is_caught(sentence):
    """Would the scanner catch the course saying these things in its own voice?"""
    assert markdown_findings("planted", sentence)


@pytest.mark.parametrize("sentence", [
    "Tokyo calls the four islands its inherent territory.",
    'The Bluebook described them as "illegally occupied".',
    "Akaha and Vassilieva (2005) say the USSR agreed to *return* the two islands.",
    "Return to your first guess at the end of the lesson.",
    "Moscow's position is that the war liberated the islands.",
    "Japan calls the islands the Northern Territories; Russia counts them as the Southern Kurils.",
    "Former residents met at the Northern Territories Issue Association on Northern Territories "
    "Day.",
    "Russia's foreign ministry replied that the South Kurils were Russian.",
    "| question | Tokyo's position (as Japan's government states it) |\n|---|---|\n"
    "| 1956 | the two islands to be returned first |",
])
def test_quoted_or_attributed_words_are_not_flagged(sentence):
    """Are quotations, attributed positions and non-territorial uses left alone?"""
    assert markdown_findings("planted", sentence) == []


def test_proposals_conditions_and_positions_are_scanned(tmp_path, monkeypatch):
    """A loaded word planted in each data file is caught; the quoted text of a condition is not."""
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "notebooks").mkdir()

    def plant(name, section, item):
        path = tmp_path / "data" / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data[section].append(item)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    plant("proposals.yml", "proposals", {"id": "planted", "title": "All four islands returned"})
    plant("conditions.yml", "conditions", {
        "id": "planted", "title": "The islands were liberated in 1945",
        "quote": {"text": "the islands were liberated", "note": "as quoted"}})
    with open(tmp_path / "data" / "positions.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0]["summary"] = "The islands are under illegal occupation."
    with open(tmp_path / "data" / "positions.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    found = course_findings()
    flagged = {(where.split()[0], where.split()[-1], word) for where, word, _ in found}
    assert ("proposals.yml", "title", "return") in flagged
    assert ("conditions.yml", "title", "liberated") in flagged
    assert ("positions.csv", "summary", "illegal occupation") in flagged
    assert not any(where.startswith("conditions.yml planted quote") for where, _, _ in found)


def test_code_cell_strings_are_scanned(tmp_path, monkeypatch):
    """A loaded word in a code cell's prompt string is caught; the same word in a comment is not."""
    (tmp_path / "notebooks").mkdir()
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    nb = {"cells": [{"cell_type": "code", "source": [
        "# the islands returned (a comment is not scanned)\n",
        "journal.respond('x', 'Why were the islands returned in 1956?')\n"]}]}
    (tmp_path / "notebooks" / "planted.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    found = [f for f in course_findings() if f[0].startswith("planted.ipynb")]
    flagged = [(where, word) for where, word, _ in found]
    assert flagged == [("planted.ipynb cell 0 (code)", "return")]
