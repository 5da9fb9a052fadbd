"""Tools for tests/test_check_mutations.py: a writable copy of the real course, mutations of its
files (seeded, reproducible), and a runner for every lesson's code cells in this process.

A mutation changes one thing in one file (or adds one file) of the copy; ``CourseCopy.restore()``
puts back every byte it changed. The lesson runner executes the notebooks' code cells in a fresh
namespace per notebook, with the last expression's table rendered as Jupyter would, and widgets
and figures built but not displayed.
"""

import ast
import copy
import csv
import io
import json
import random
import shutil
from pathlib import Path

import pandas as pd
import yaml

from helpers import data
from helpers.course import lesson_files
from helpers._common import strict_yaml

REPO = Path(__file__).resolve().parent.parent
CSVS = ("eras", "sources", "events", "documents", "islands", "positions", "population")
NUMBER_COLUMNS = {name: list(spec.get("numbers", {})) for name, spec in data.SPECS.items()}
DATE_COLUMNS = {name: spec.get("dates", []) + ([spec["precise_date"][0]]
                                               if "precise_date" in spec else [])
                for name, spec in data.SPECS.items()}

# odd Unicode: invisible alone, harmless inside text
ZWSP, RLM, LRM, COMBINING, BOM, NBSP = "\u200b", "\u200f", "\u200e", "\u0301", "\ufeff", "\u00a0"
INVISIBLE = [ZWSP * 3, RLM + LRM, COMBINING * 2, BOM, NBSP + " ", ZWSP + RLM + COMBINING,
             "\u2060\u2061", "\u034f"]
ODD = ["🏝️", "🇯🇵🇷🇺", ZWSP, RLM, LRM, COMBINING, "\u202e", "\u2028", "e\u0301", "ｆｕｌｌ",
       "<script>alert(1)</script>", "**bold** [link](javascript:alert(1))", "=1+1", "'\"",
       "حبومای", "色丹島", "Шикотан"]
BAD_NUMBERS = ["nan", "NaN", "inf", "-inf", "1e400", "-1e400", "3.168,4", "٤٣٫٥", "٣١٦٨", "1,2",
               "12abc", "0x10", "1_000", "−5", "９", "1e308", "-5", "9" * 400, "Infinity"]
BAD_DATES = ["9999-12-31", "2101-01-01", "1956-02-30", "1956-13", "19561019", "1956/10/19",
             "today", "0000", "1956-1-5", "２０１９", "1956-10-19T00:00", " "]
ODD_DATES = ["1600-01-01", "1677-09-20", "2262-04-12", "0001-01-01", "2100-12-31", "1000"]
HUGE = 50_000


def misspell(word, rng):
    """A plausible typo of ``word``: two letters swapped, one dropped or doubled, or a case
    change."""
    if len(word) < 2:
        return word + "x"
    i = rng.randrange(len(word) - 1)
    return rng.choice([
        word[:i] + word[i + 1] + word[i] + word[i + 2:],
        word[:i] + word[i + 1:],
        word[:i] + word[i] + word[i:],
        word.capitalize() if word != word.capitalize() else word.upper(),
        word + " ",
    ])


class CourseCopy:
    """A copy of the course (course.yml, data/, notebooks/) under ``root`` that the helpers read
    (``point()``), with a record of what mutations changed."""

    def __init__(self, root):
        self.root = Path(root)
        shutil.copy(REPO / "course.yml", self.root / "course.yml")
        shutil.copytree(REPO / "data", self.root / "data",
                        ignore=shutil.ignore_patterns("NOTES_*", "README.md", "COPYING*"))
        shutil.copytree(REPO / "notebooks", self.root / "notebooks",
                        ignore=shutil.ignore_patterns(".*", "helpers"))
        self.original = {}  # relative path -> bytes before the mutation (None: did not exist)
        self.cells = _lesson_cells(self.root / "notebooks")

    def point(self, monkeypatch):
        monkeypatch.setenv("KURIL_COURSE_FILE", str(self.root / "course.yml"))
        monkeypatch.setattr(data, "DATA_DIR", self.root / "data")
        data.reload()

    # ------------------------------------------------------------ reading and writing files

    def read(self, rel):
        return (self.root / rel).read_bytes()

    def write(self, rel, content):
        path = self.root / rel
        if rel not in self.original:
            self.original[rel] = path.read_bytes() if path.exists() else None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    def changes(self):
        """What the current mutation made differ from the real course: a frozenset of (path,
        bytes or None if deleted), empty when every file it wrote is byte-for-byte the original
        (a cell set to the value it had, a table written back unchanged)."""
        now = {rel: self.read(rel) if (self.root / rel).exists() else None
               for rel in self.original}
        return frozenset((rel, raw) for rel, raw in now.items() if raw != self.original[rel])

    def restore(self):
        for rel, content in self.original.items():
            path = self.root / rel
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(content)
        self.original.clear()
        data.reload()

    def table(self, name):
        """(header, rows as lists) of data/<name>.csv."""
        rows = list(csv.reader(io.StringIO(self.read(f"data/{name}.csv").decode("utf-8-sig"))))
        return rows[0], [r for r in rows[1:] if r]

    def write_table(self, rel, header, rows):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        self.write(rel, out.getvalue())

    def yaml(self, rel):
        parsed, problems = strict_yaml.loads(self.read(rel), rel)
        assert not problems, problems
        return parsed

    def write_yaml(self, rel, value):
        self.write(rel, yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=10_000))

    def banks(self):
        return sorted(f"data/exercises/{p.name}" for p in (self.root / "data" / "exercises")
                      .glob("*.yml"))

    def capstone_files(self):
        roles = sorted(f"data/roles/{p.name}" for p in (self.root / "data" / "roles").glob("*.yml"))
        return ["data/conditions.yml", "data/proposals.yml", *roles]

    def add_extra(self, kind, rel, content):
        """Write ``rel`` and list it in course.yml under ``extra: <kind>:``."""
        self.write(rel, content)
        settings = self.yaml("course.yml")
        settings.setdefault("extra", {})
        settings["extra"][kind] = [rel]
        self.write_yaml("course.yml", settings)


# ---------------------------------------------------------------- the lessons, run in-process


def _lesson_cells(folder):
    """{lesson: [(statements, last expression or None)]} compiled from each notebook's code."""
    out = {}
    for path in [p for p in lesson_files(folder) if p.name[:2].isdigit()]:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = []
        for n, cell in enumerate(nb["cells"], start=1):
            if cell["cell_type"] != "code":
                continue
            name = f"{path.name}, cell {n}"
            tree = ast.parse("".join(cell["source"]), name)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            cells.append((compile(tree, name, "exec"),
                          last and compile(ast.Expression(last.value), name, "eval")))
        out[path.stem] = cells
    return out


def render(value):
    """What Jupyter would compute to show ``value`` as text or a table (widgets and figures are
    built, not drawn)."""
    if isinstance(value, pd.DataFrame):
        value._repr_html_()
    elif hasattr(value, "_repr_markdown_"):
        value._repr_markdown_()
    elif isinstance(value, (pd.Series, str, int, float, list, tuple, dict)):
        repr(value)


def run_lessons(cells, lessons):
    """Execute every code cell of ``lessons`` (fresh namespace per notebook). The naming
    listeners a lesson's explorers register are dropped after it, as its kernel would be."""
    from helpers import names

    for lesson in lessons:
        namespace = {"display": lambda *values, **_: [render(v) for v in values]}
        saved = list(names._callbacks)
        try:
            for statements, last in cells.get(lesson, []):
                exec(statements, namespace)  # noqa: S102 - the course's own notebooks
                if last is not None:
                    render(eval(last, namespace))  # noqa: S307
        finally:
            names._callbacks[:] = saved


def lessons_reached(c, lessons):
    """The lessons of ``lessons`` that the files the current mutation changed can reach. An
    exercise bank reaches only the lessons whose cells name one of its words (an exercise id, its
    lesson); the capstone files only the lessons that use ``settlement`` or ``roleplay``; any
    other file (the tables, course.yml) every lesson."""
    reached = set()
    for rel in c.original:
        if rel.startswith("data/exercises/") or (rel.startswith("my_course/")
                                                 and rel.endswith(".yml")):
            words = set()
            for raw in (c.original[rel], c.read(rel)):
                parsed, _ = strict_yaml.loads(raw, rel) if raw else (None, [])
                words |= {v for _, v in _nodes(parsed) if isinstance(v, str)}
            reached |= {n for n in lessons if n in words or _words(c.cells[n]) & words}
        elif rel in c.capstone_files():
            reached |= {n for n in lessons if {"settlement", "roleplay"} & _names(c.cells[n])}
        else:
            return list(lessons)
    return [n for n in lessons if n in reached]


def _words(cells):
    return {w for code in _codes(cells) for w in code.co_consts if isinstance(w, str)}


def _names(cells):
    return {n for code in _codes(cells) for n in code.co_names}


def _codes(cells):
    return [code for pair in cells for code in pair if code is not None]


def run_loaders(cells):
    """Every public loader, and every exercise the lessons do not show (extra banks) as a
    widget."""
    from helpers import quiz, roleplay, settlement
    from helpers._quiz import bank, kinds

    for load in (data.events, data.documents, data.islands, data.positions, data.sources,
                 data.eras, data.population, lambda: data.islands(disputed=True),
                 settlement.conditions, settlement.proposals, settlement.precedents,
                 roleplay.role_cards, roleplay.scenario):
        render(load())
    render(settlement.conditions(settlement.CHECK_DATES[0]))
    for role in roleplay.role_cards().index:
        roleplay.card_html(role)
    reg = bank.registry()
    shown = {w for lesson in cells.values() for w in _words(lesson)}
    for ident, ex in reg.exercises.items():
        if not ex["problems"]:
            kinds.solution_lines(ex)
            if ident not in shown:
                quiz.show(ident)
    for lesson in reg.lessons:
        if lesson not in cells:
            quiz.show_lesson(lesson)


# ---------------------------------------------------------------- mutations


class Mutation:
    """One change to the course copy: ``name`` says what, ``apply(course)`` makes it."""

    def __init__(self, name, apply):
        self.name, self.apply = name, apply

    def __repr__(self):
        return self.name


def set_cell(name, row_id, column, value):
    """data/<name>.csv: the cell ``column`` of the row ``row_id`` (None: the first row)."""
    def apply(c):
        header, rows = c.table(name)
        row = next(r for r in rows if row_id is None or r[0] == row_id)
        row[header.index(column)] = value
        c.write_table(f"data/{name}.csv", header, rows)
    return Mutation(f"data/{name}.csv row {row_id or 'first'}: {column} = {value[:40]!r}", apply)


def set_field(rel, path, value, delete=False, raw=None):
    """YAML file ``rel``: the value at ``path`` (keys and list indexes); ``raw``: YAML text to
    write there instead of ``value`` (e.g. ``1.0e+400``, as an instructor would type it)."""
    def apply(c):
        parsed = c.yaml(rel)
        holder = parsed
        for key in path[:-1]:
            holder = holder[key]
        if delete:
            del holder[path[-1]]
        else:
            holder[path[-1]] = "__RAW__" if raw else value
        c.write_yaml(rel, parsed)
        if raw:
            c.write(rel, c.read(rel).decode("utf-8").replace("__RAW__", raw))
    what = "deleted" if delete else f"= {(raw or str(value))[:40]!r}"
    return Mutation(f"{rel} {'.'.join(map(str, path))} {what}", apply)


def write_file(rel, content, what):
    return Mutation(f"{rel}: {what}", lambda c: c.write(rel, content))


def _exercise_path(course_copy, kind):
    """(bank, index) of the first exercise of ``kind`` in the course's banks."""
    for rel in course_copy.banks():
        for i, ex in enumerate(course_copy.yaml(rel)["exercises"]):
            if ex.get("kind") == kind:
                return rel, ["exercises", i]
    raise LookupError(kind)


def _events_csv(columns):
    header = [c for c in data.SPECS["events"]["required"] + data.SPECS["events"]["optional"]]
    row = {"id": "my-1900-event", "date": "1900-01-01", "date_precision": "day",
           "era": "shimoda-to-yalta", "title": "A title", "summary": "A summary",
           "actors": "japan", "sources": "stephan-1974", "type": "treaty"}
    head = columns(header)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(head)
    writer.writerow([row.get(h, row.get(h.replace("titel", "title"), "")) for h in head])
    return out.getvalue()


def named_cases(c):
    """{name: Mutation} for the cases issue 11 lists (all refused by check but the era from
    1600, which the loaders now handle)."""
    numeric, where = _exercise_path(c, "numeric")
    single, one = _exercise_path(c, "single")
    events = c.table("events")[1]
    positions = c.table("positions")
    ended = next(r for r in positions[1] if r[positions[0].index("to_date")])
    bank = c.banks()[1]
    extra_bank = c.read(bank).decode("utf-8").replace("lesson: 01_shimoda_to_yalta",
                                                      "lesson: 09_no_such_lesson")
    big = c.read("data/sources.csv")
    return {
        "9999 end date": set_cell("events", events[0][0], "end_date", "9999-12-31"),
        "era from 1600": set_cell("eras", None, "start", "1600"),  # handled: the lessons run
        "extra events without columns": Mutation(
            "extra events file without title, summary, type, actors", lambda c: c.add_extra(
                "events", "my_course/events.csv", _events_csv(
                    lambda h: [x for x in h if x not in ("title", "summary", "type", "actors")]))),
        "extra events titel": Mutation(
            "extra events file with 'titel' for 'title'", lambda c: c.add_extra(
                "events", "my_course/events.csv", _events_csv(
                    lambda h: ["titel" if x == "title" else x for x in h]))),
        "misspelt column": Mutation(
            "data/islands.csv: column notes spelt 'note'", lambda c: c.write(
                "data/islands.csv",
                c.read("data/islands.csv").replace(b",notes\n", b",note\n", 1))),
        "points nan": set_field(numeric, [*where, "points"], None, raw=".nan"),
        "points inf": set_field(numeric, [*where, "points"], None, raw="1.0e+400"),
        "points huge int": set_field(numeric, [*where, "points"], 10 ** 400),
        "answer nan": set_field(numeric, [*where, "answer"], None, raw=".nan"),
        "tolerance inf": set_field(numeric, [*where, "tolerance"], None, raw=".inf"),
        "end before date": set_cell("events", events[0][0], "end_date", "1800-01-01"),
        "to before from": set_cell("positions", ended[0], "to_date", "1800-01-01"),
        "overlap": set_cell("positions", ended[0], "to_date", ""),  # runs into the next period
        "arabic-indic lat": set_cell("islands", "shikotan", "lat", "٤٣٫٨"),
        "decimal comma": set_cell("islands", "shikotan", "area_km2", "3.168,4"),
        "late NUL": write_file("data/sources.csv", big[:6000] + b"\x00" + big[6000:],
                               "a NUL byte after the first 4 KB"),
        "bank for no lesson": Mutation(
            "extra bank for a lesson that does not exist", lambda c: c.add_extra(
                "exercises", "my_course/questions.yml",
                extra_bank.replace("- id: l1-", "- id: my-l1-"))),
        "no lessons": set_field("course.yml", ["lessons"], []),
        "invisible prompt": set_field(single, [*one, "prompt"], ZWSP * 5),
        "invisible notes": set_cell("events", events[0][0], "notes", ZWSP + RLM),
    }


# ---------------------------------------------------------------- random mutations


def random_mutation(c, rng):
    """One random mutation of the course copy ``c``."""
    kind = rng.choices(["csv", "yaml", "file", "course"], weights=[50, 38, 6, 6])[0]
    if kind == "csv":
        return _random_csv(c, rng)
    if kind == "yaml":
        rel = rng.choice(c.banks() * 2 + c.capstone_files())
        return _random_yaml(c, rng, rel)
    if kind == "file":
        return _random_file(c, rng)
    return _random_course(c, rng)


def _random_csv(c, rng):
    name = rng.choice(CSVS)
    header, rows = c.table(name)
    rel = f"data/{name}.csv"
    r = rng.randrange(len(rows))
    col = rng.randrange(len(header))
    column, row_id = header[col], rows[r][0]
    op = rng.choice(["delete column", "rename column", "blank", "odd unicode", "invisible",
                     "number", "date", "odd date", "duplicate id", "broken reference",
                     "swap cells", "huge", "delete row", "duplicate row", "value of another row",
                     "type swap"] * 3 + ["shuffle"])
    if op in ("number",) and NUMBER_COLUMNS[name]:
        column = rng.choice(NUMBER_COLUMNS[name])
    if op in ("date", "odd date") and DATE_COLUMNS[name]:
        column = rng.choice(DATE_COLUMNS[name])
    col = header.index(column)

    def edit(change):
        def apply(course_copy):
            h, rs = course_copy.table(name)
            change(h, rs)
            course_copy.write_table(rel, h, rs)
        return apply

    def cell(value):
        return Mutation(f"{rel} row {r + 2} (id {row_id}): {column} = {value[:40]!r}",
                        edit(lambda h, rs: rs[r].__setitem__(col, value)))

    if op == "delete column":
        return Mutation(f"{rel}: column {column} deleted", edit(
            lambda h, rs: [h.pop(col)] + [x.pop(col) for x in rs]))
    if op == "rename column":
        new = misspell(column, rng)
        return Mutation(f"{rel}: column {column} renamed {new!r}", edit(
            lambda h, rs: h.__setitem__(col, new)))
    if op == "blank":
        return cell("")
    if op == "odd unicode":
        text = rows[r][col]
        at = rng.randrange(len(text) + 1)
        return cell(text[:at] + rng.choice(ODD) + text[at:])
    if op == "invisible":
        return cell(rng.choice(INVISIBLE))
    if op == "number":
        return cell(rng.choice(BAD_NUMBERS + ["0", "-0", "1e-300", "100000", "59.999"]))
    if op == "date":
        return cell(rng.choice(BAD_DATES))
    if op == "odd date":
        return cell(rng.choice(ODD_DATES))
    if op == "duplicate id":
        other = rows[(r + 1) % len(rows)][0]
        return Mutation(f"{rel} row {r + 2}: id {row_id} -> {other}", edit(
            lambda h, rs: rs[r].__setitem__(0, other)))
    if op == "broken reference":
        return cell(rng.choice(["no-such-id", "japan;mars", "shikotan;atlantis",
                                rows[r][col] + ";" + misspell(rows[r][col] or "x", rng),
                                rows[r][col].replace(";", ", "), rows[r][col].upper()]))
    if op == "swap cells":
        other = rng.randrange(len(header))
        return Mutation(f"{rel} row {r + 2}: {column} and {header[other]} swapped", edit(
            lambda h, rs: rs[r].__setitem__(slice(None), _swap(rs[r], col, other))))
    if op == "huge":
        return cell(rng.choice(["x" * HUGE, "word " * (HUGE // 5), "9" * 200_000]))
    if op == "delete row":
        return Mutation(f"{rel}: row {r + 2} (id {row_id}) deleted", edit(lambda h, rs: rs.pop(r)))
    if op == "duplicate row":
        return Mutation(f"{rel}: row {r + 2} (id {row_id}) twice", edit(
            lambda h, rs: rs.append(list(rs[r]))))
    if op == "shuffle":
        seed = rng.random()
        return Mutation(f"{rel}: rows shuffled",
                        edit(lambda h, rs: random.Random(seed).shuffle(rs)))
    if op == "value of another row":
        other = rows[rng.randrange(len(rows))][col]
        return cell(other)
    # type swap: a number where text is, text where a number or date is, a list where one id is
    return cell(rng.choice(["1855", "true", "[a, b]", "{}", "None", "null", "-1", "3.5",
                            "japan;russia", ";", ";;", "a;b"]))


def _swap(row, i, j):
    row = list(row)
    row[i], row[j] = row[j], row[i]
    return row


def _nodes(value, path=()):
    """Every (path, value) in a parsed YAML document, containers included."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _nodes(v, (*path, i))


def _random_yaml(c, rng, rel):
    parsed = c.yaml(rel)
    nodes = [(p, v) for p, v in _nodes(parsed) if p]
    path, value = rng.choice(nodes)
    others = [v for p, v in nodes if p[-1] == path[-1] and v != value] if isinstance(
        path[-1], str) else []
    if isinstance(value, str):
        options = [rng.choice(INVISIBLE), value + rng.choice(ODD), rng.choice(ODD) + value,
                   [value], 1855, True, None, {"text": value}, "x" * HUGE, "", misspell(value, rng)]
        options += [rng.choice(others)] * 3 if others else []
    elif isinstance(value, bool):
        options = ["yes", 1, None, "true", [value]]
    elif isinstance(value, (int, float)):
        options = [float("nan"), float("inf"), -float("inf"), 10 ** 400, -1, 10 ** 30, 1e-300,
                   str(value), [value], None, 0, True]
    elif isinstance(value, list):
        options = [[], ", ".join(map(str, value)), {"a": value}, None, value + value[:1],
                   value[1:], list(reversed(value)), value * 50]
    else:
        options = [[value], "text", None, {**value, "extra_field": "x"},
                   {k: v for k, v in value.items() if k != rng.choice(list(value) or ["x"])},
                   {(misspell(k, rng) if k == rng.choice(list(value) or ["x"]) else k): v
                    for k, v in value.items()}]
    new = copy.deepcopy(rng.choice(options))
    if rng.random() < 0.1 and isinstance(path[-1], str):
        return set_field(rel, list(path), None, delete=True)
    return set_field(rel, list(path), new)


def _random_file(c, rng):
    rel = rng.choice([f"data/{n}.csv" for n in CSVS] + c.banks() + c.capstone_files()
                     + ["course.yml"])
    raw = c.read(rel)
    at = rng.randrange(len(raw))
    at = raw.rfind(b"\n", 0, at) + 1  # at a line start: a valid UTF-8 boundary
    choices = {
        "NUL byte": raw[:at] + b"\x00" + raw[at:],
        "bell character": raw[:at] + b"\x07" + raw[at:],
        "C1 control": raw[:at] + "\u0085".encode() + raw[at:],
        "Latin-1 byte": raw[:at] + b"\xe9" + raw[at:],
        "CRLF line ends": raw.replace(b"\n", b"\r\n"),
        "BOM": b"\xef\xbb\xbf" + raw,
        "cut in half": raw[: len(raw) // 2],
        "empty": b"",
        "only a header": raw.split(b"\n")[0] + b"\n",
        "UTF-16": raw.decode("utf-8").encode("utf-16"),
        "trailing blank lines": raw + b"\n\n\n",
    }
    what = rng.choice(sorted(choices))
    return write_file(rel, choices[what], what)


def _random_course(c, rng):
    lessons = sorted(c.cells)
    ids = [e["id"] for rel in c.banks() for e in c.yaml(rel)["exercises"]]
    return rng.choice([
        set_field("course.yml", ["lessons"], rng.sample(lessons, rng.randrange(1, len(lessons)))),
        set_field("course.yml", ["lessons"], [*lessons, "07_missing"]),
        set_field("course.yml", ["lessons"], "00_start_here"),
        set_field("course.yml", ["lessons"], []),
        set_field("course.yml", ["feedback"], rng.choice(["none", "after_submit", "sometimes"])),
        set_field("course.yml", ["attempts"], rng.choice([1, 0, -1, 10 ** 400, "3", 2.5])),
        set_field("course.yml", ["naming"], rng.choice(["japanese", "russian", "English"])),
        set_field("course.yml", ["instructor_notes"], rng.choice([True, "yes", None])),
        set_field("course.yml", ["hide_exercises"], rng.sample(ids, 5)),
        set_field("course.yml", ["hide_exercises"], ids),
        set_field("course.yml", ["journal_dir"], rng.choice(["", ZWSP, ["a"]])),
        set_field("course.yml", ["extra", "events"], ["data/events.csv"]),
        set_field("course.yml", ["extra", "exercises"], [c.banks()[0]]),
    ])


def mutations(c, seed, count):
    """The named cases, then random mutations up to ``count`` in all (seeded)."""
    rng = random.Random(seed)
    found = list(named_cases(c).values())
    while len(found) < count:
        found.append(random_mutation(c, rng))
    return found
