"""``python -m helpers.instructor collect``: a synthetic class of 300 learners, made with the
course's own journal and export code (benchmarks/handins.py), collected and checked against what
was generated: the gradebook against the marks the course gave when each answer was saved, the
item analysis against counts made here, every bad file reported, the output folder written whole
and never over a folder collect did not write. (The tests of the output folder and rosters,
which collect again, use a class of 60.)"""

import csv
import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmarks import handins as sample
from helpers import names
from helpers._journal import export
from helpers._quiz import bank
from helpers.instructor import _output, collect, debrief
from helpers.instructor._collect import handin

ROOT = Path(__file__).resolve().parent.parent
BANKS = ROOT / "data" / "exercises"
UNPOINTED = {"opinion": 0, "open": 0}  # data/exercises/README.md: default points are 1, else


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def banks():
    """Every exercise in the course's banks as the YAML says, read here without helpers."""
    found = {}
    for path in sorted(BANKS.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for ex in data["exercises"]:
            found[ex["id"]] = {**ex, "lesson": data["lesson"],
                               "points": ex.get("points", UNPOINTED.get(ex["kind"], 1))}
    return found


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("class")
    truth = sample.make_class(tmp / "handins", tmp / "journals", learners=300)
    c, code = collect.run(tmp / "handins", tmp / "class", log=lambda line: None)
    return truth, c, code, tmp


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A class of 60, made and collected the same way, for the tests of the output folder and
    of rosters, which collect again: the size of the class changes nothing there, and a
    collect of 300 takes over a second."""
    tmp = tmp_path_factory.mktemp("small")
    truth = sample.make_class(tmp / "handins", tmp / "journals", learners=60)
    c, code = collect.run(tmp / "handins", tmp / "class", log=lambda line: None)
    return truth, c, code, tmp


# ---------------------------------------------------------------- every file accounted for


def test_every_bad_file_is_named_with_its_reason_and_the_rest_are_collected(made):
    truth, c, code, _ = made
    rejected = dict(c.rejected)
    assert set(rejected) == set(truth.bad), "a good file was refused or a bad one collected"
    for name, words in truth.bad.items():
        assert words in rejected[name], (name, rejected[name])
    assert dict(c.duplicates) == truth.duplicates
    accounted = len(c.handins) + len(c.rejected) + len(c.duplicates)
    assert accounted == c.seen == truth.files
    assert code == 1  # some files were not collected: the exit status says so


def test_the_report_names_each_bad_file_and_the_several_hand_ins(made):
    truth, c, _, tmp = made
    text = (tmp / "class" / "report.txt").read_text(encoding="utf-8")
    for name in truth.bad:
        assert f"  {name}: " in text
    assert "the latest answer to each question counts" in text
    for name in truth.several:
        assert f"  {name}: " in text
    assert "One name, different learners" in text
    assert f"{sample.TWINS} (1)" in text and f"{sample.TWINS} (2)" in text


# ---------------------------------------------------------------- the gradebook


def test_one_row_per_learner_two_for_the_namesakes(made):
    truth, _, _, tmp = made
    names = [r["learner"] for r in rows(tmp / "class" / "gradebook.csv")]
    assert sorted(names) == sorted(truth.learners)


def test_lesson_maxima_are_the_banks_points(made):
    _, c, _, tmp = made
    exercises = banks()
    header = next(csv.reader(open(tmp / "class" / "gradebook.csv", encoding="utf-8-sig")))
    for lesson, _, top in c.lessons:
        expected = sum(ex["points"] for ex in exercises.values() if ex["lesson"] == lesson)
        assert f"{lesson} (max {expected:g})" in header
        assert top == expected


def test_gradebook_matches_the_marks_the_course_gave(made):
    """Each learner's points per lesson = the points of the questions the course itself marked
    right when the answer was saved (quiz widget or the course's marker), latest answer only."""
    truth, _, _, tmp = made
    exercises = banks()
    book = {r["learner"]: r for r in rows(tmp / "class" / "gradebook.csv")}
    checked = 0
    for name, answers in truth.learners.items():
        row = book[name]
        for column, cell in row.items():
            if " (max " not in column or column.startswith("total"):
                continue
            lesson = column.split(" (max ")[0]
            mine = [i for i in answers if exercises.get(i, {}).get("lesson") == lesson]
            expected = sum(exercises[i]["points"] for i in mine if answers[i][1] is True)
            assert cell == ("" if not mine else f"{expected:g}"), (name, lesson)
            checked += 1
    assert checked > 300 * 5


def test_the_marks_compared_come_from_the_course_itself(made):
    """Not vacuous: many answers right and wrong, and two learners' marks were given by the quiz
    widgets as in a lesson (the journal holds what the widget decided)."""
    truth, _, _, tmp = made
    rights = Counter(c for a in truth.learners.values() for _, c in a.values())
    assert rights[True] > 1000 and rights[False] > 1000
    assert len(truth.widget_learners) == 2
    for name in truth.widget_learners:
        path, = (tmp / "journals").glob(f"*/{sample.store.slug(name)}.json")
        saved = json.loads(path.read_text())
        marked = {i: e["correct"] for i, e in saved["latest"].items() if e["kind"] == "single"}
        assert marked and all(truth.learners[name][i][1] is ok for i, ok in marked.items())


def test_an_edited_hand_in_cannot_turn_red_into_green(tmp_path, made):
    """Right/wrong in a file is never trusted: even a file whose data claims 'correct' for a
    wrong answer, with the checksum made to match, is marked by the instructor's banks."""
    truth, c, _, tmp = made
    learner = next(lr for lr in c.learners if len(lr.handins) == 1 and not lr.clash and
                   lr.handins[0].name.endswith(".html"))
    source = tmp / "handins" / learner.handins[0].name
    page = source.read_text(encoding="utf-8")
    start = page.index(handin.HTML_OPEN) + len(handin.HTML_OPEN)
    end = page.index("</script>", start)
    data = json.loads(page[start:end])
    for entry in data["entries"]:
        entry["correct"] = True
    data["checksum"] = export.checksum(data)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "claims.html").write_text(page[:start] + export.data_json(data) + page[end:])
    again, code = collect.run(folder, tmp_path / "out", log=lambda line: None)
    assert code == 0
    mine = again.answers[again.learners[0].key]
    wrong = [i for i, (_, ok) in truth.learners[learner.name].items() if ok is False]
    assert wrong and all(mine[i].correct is False for i in wrong)
    assert again.scores[again.learners[0].key] == c.scores[learner.key]


def test_a_graded_course_is_marked_with_the_instructors_answers(tmp_path, monkeypatch, made):
    """feedback: none (learners never saw the answers) changes nothing in the marking."""
    _, c, _, tmp = made
    course_file = tmp_path / "course.yml"
    text = (ROOT / "course.yml").read_text(encoding="utf-8")
    course_file.write_text(text.replace("feedback: immediate", "feedback: none"))
    monkeypatch.setenv("KURIL_COURSE_FILE", str(course_file))
    from helpers import course

    assert course.settings()["feedback"] == "none"
    first = c.learners[0]
    folder = tmp_path / "in"
    folder.mkdir()
    for h in first.handins:
        shutil.copy(tmp / "handins" / h.name, folder / Path(h.name).name)
    again = collect.collect(folder)
    assert again.scores[again.learners[0].key] == c.scores[first.key]


def test_banks_without_answers_stop_collect_before_anything_is_written(tmp_path, monkeypatch,
                                                                        made):
    _, _, _, tmp = made
    reg = bank.registry()
    stripped = bank.Registry({k: {**ex, "answers_removed": True} for k, ex in
                              reg.exercises.items()}, reg.lessons, reg.titles)
    monkeypatch.setattr(bank, "registry", lambda: stripped)
    lines = []
    got, code = collect.run(tmp / "handins", tmp_path / "out", log=lines.append)
    assert got is None and code == 1 and not (tmp_path / "out").exists()
    assert "student release" in lines[0]


# ---------------------------------------------------------------- item analysis


def same_answer(kind, answer):
    """Answers that are the same (a set for multiple choice; 2 and 2.0 alike)."""
    if kind == "multiple":
        return json.dumps(sorted(answer))
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return repr(float(answer))
    return json.dumps(answer, sort_keys=True)


def independent_items(truth, exercises):
    """Per question: answered, right, choice counts, wrong-answer counts, from the generator."""
    out = {}
    for answers in truth.learners.values():
        for item, (answer, correct) in answers.items():
            if item not in exercises:
                continue
            got = out.setdefault(item, {"answered": 0, "right": 0, "choices": Counter(),
                                        "wrong": Counter(), "example": {}})
            got["answered"] += 1
            got["right"] += correct is True
            picked = answer if isinstance(answer, list) else [answer]
            if exercises[item].get("choices"):
                got["choices"].update({str(p) for p in picked})
            if correct is False:
                key = same_answer(exercises[item]["kind"], answer)
                got["wrong"][key] += 1
                got["example"].setdefault(key, answer)
    return out


def test_item_analysis_matches_counts_made_independently(made):
    truth, c, _, tmp = made
    exercises = banks()
    expected = independent_items(truth, exercises)
    table = {r["question"]: r for r in rows(tmp / "class" / "items.csv")}
    assert set(table) == set(exercises)
    for item in c.items:
        want = expected.get(item.id, {"answered": 0, "right": 0, "choices": Counter(),
                                      "wrong": Counter()})
        assert item.answered == want["answered"] == int(table[item.id]["answered"]), item.id
        if item.marked:
            assert item.right == want["right"], item.id
            share = want["right"] / want["answered"] if want["answered"] else None
            assert item.share_right == share
        counts = {names.render(k): n for k, n in want["choices"].items()}  # names filled in
        for text, n, _ in item.spread if exercises[item.id].get("choices") else ():
            assert n == counts.get(text, 0), (item.id, text)
        if want["wrong"]:
            top = max(want["wrong"].values())
            assert item.wrong_count == top, item.id
            tied = [want["example"][k] for k, n in want["wrong"].items() if n == top]
            assert any(item.wrong == names.render(collect._items._shown_for(exercises[item.id], a))
                       for a in tied), item.id


def test_the_most_common_wrong_answer_carries_the_courses_feedback(made):
    _, c, _, _ = made
    exercises = banks()
    singles = [i for i in c.items if i.kind == "single" and i.wrong]
    assert singles
    for item in singles:
        choice = next(ch for ch in exercises[item.id]["choices"]
                      if names.render(ch["text"]) == item.wrong)
        if choice.get("feedback"):
            feedback = names.render(" ".join(choice["feedback"].split()))
            assert feedback in " ".join(item.wrong_feedback.split())


def test_what_the_instructor_reads_names_the_islands(made):
    """Course texts write islands as {island:<id>}; no file collect writes shows one (the item
    analysis, the answers, the debrief and its data), and the names are there instead."""
    _, c, _, tmp = made
    assert any("{island:" in json.dumps(ex) for ex in banks().values())  # not vacuous
    written = [p for p in (tmp / "class").rglob("*") if p.is_file() and p.suffix in
               (".csv", ".json", ".ipynb", ".md", ".html")]
    assert written
    for path in written:
        assert "{island:" not in path.read_text(encoding="utf-8-sig"), path.name
    results = debrief.load(tmp / "class")
    shown = [results.question(i.id) for i in c.items if "{island:" in i.id or i.wrong]
    assert not any("{island:" in str(getattr(x, "data", x)) for x in shown)
    assert "Etorofu" in (tmp / "class" / "items.csv").read_text(encoding="utf-8-sig")


# ---------------------------------------------------------------- settlements and debrief


def test_settlement_counts_match_the_designs_handed_in(made):
    truth, c, _, _ = made
    s = c.settlements
    assert len(s.designs) == len(truth.designs)
    for island in sample.settlement.ISLANDS:
        counted = Counter(d["islands"][island]["sovereignty"] for d, _ in truth.designs.values())
        assert {side: sum(t.values()) for side, t in s.islands[island].items()} == counted
    assert sum(s.dates.values()) == len(truth.designs)
    for row in s.outcomes:
        assert row["checked"] == sum(row[r] for r in sample.settlement.rules.RESULTS)


def test_settlement_outcomes_are_the_settlement_checks_own(made):
    truth, c, _, _ = made
    name, (design, date) = sorted(truth.designs.items())[0]
    key = next(lr.key for lr in c.learners if lr.name == name)
    table = sample.settlement.check(design, date)
    assert c.settlements.results[key] == dict(zip(table["id"], table["result"], strict=True))


def test_the_debrief_is_pseudonymous_and_its_key_is_apart(made):
    truth, c, _, tmp = made
    out = tmp / "class"
    shared = (out / debrief.DATA).read_text(encoding="utf-8") + \
        (out / "debrief.ipynb").read_text(encoding="utf-8")
    for name in truth.learners:
        assert name.split(" (")[0] not in shared, name
    key = {r["pseudonym"]: r["learner"] for r in rows(out / "pseudonyms.csv")}
    assert set(key.values()) == set(truth.learners)
    results = debrief.load(out)
    for question in results.data["texts"]:
        assert set(results.answers(question)["learner"]) <= set(key)


def test_the_debrief_shows_what_learners_typed_as_text(made):
    _, c, _, tmp = made
    results = debrief.load(tmp / "class")
    texts = [q for q, found in results.data["texts"].items()
             if any("<script>" in a for _, a in found)]
    assert texts, "the sample class has a script tag in some written answer"
    page = results.answers(texts[0]).to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page
    for question in results.hardest():
        shown = results.question(question)._repr_html_()
        assert "<script" not in shown
        assert results.figure(question).data


def test_every_debrief_call_works(made):
    _, _, _, tmp = made
    results = debrief.load(tmp / "class")
    assert len(results.lessons()) == 6
    assert len(results.items()) == len(results.data["items"])
    assert results.overview().data and results.settlement_map().data
    assert results.settlement_bars().data and results.outcome_figure().data
    assert results.settlements()["designs"].sum() == 4 * results.data["counts"]["designs"]
    assert len(results.outcomes()) and len(results.dates())
    with pytest.raises(KeyError, match="No question"):
        results.question("no-such-question")


def test_the_debrief_notebook_only_calls_the_debrief(made):
    _, _, _, tmp = made
    import nbformat

    nb = json.loads((tmp / "class" / "debrief.ipynb").read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] == 5
    nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))  # a valid notebook
    assert len({c["id"] for c in nb["cells"]}) == len(nb["cells"])
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "from helpers.instructor import debrief" in "".join(code[0]["source"])
    for cell in code:
        lines = "".join(cell["source"]).splitlines()
        assert 2 <= len(lines) <= 4 and lines[0].startswith("# "), lines
    assert (tmp / "class" / "helpers").is_symlink()
    assert (tmp / "class" / "helpers" / "instructor" / "debrief.py").exists()


# ---------------------------------------------------------------- CSV files


def test_no_cell_can_run_as_a_formula(made):
    _, _, _, tmp = made
    for path in (tmp / "class").glob("*.csv"):
        for line in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for cell in line:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path.name, cell)
                if cell.startswith("-"):
                    float(cell)  # only a negative number may start with a minus


def test_canvas_file_follows_the_canvas_import_layout(made):
    _, c, _, tmp = made
    table = list(csv.reader(open(tmp / "class" / "canvas_grades.csv", encoding="utf-8")))
    assert table[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert table[0][5:] == [lesson for lesson, _, _ in c.lessons]
    assert table[1][0] == "Points Possible"
    assert len(table) == 2 + len(c.learners)


def test_open_marks_round_trip(tmp_path, small):
    """Fill in marks (as a spreadsheet might: decimal comma, a blank, a mistake), collect again:
    the marks count, each mistake is named by row, the new list keeps the marks."""
    _, c, _, tmp = small
    out = tmp_path / "class"
    shutil.copytree(tmp / "class", out, symlinks=True)
    table = rows(out / "open_marks.csv")
    assert len(table) == len(c.waiting) > 0
    table[0]["mark"] = "1,5"
    table[1]["mark"] = "2"
    table[2]["mark"] = "lots"
    table[3]["mark"] = "99"
    table[4]["mark"] = "0"
    with open(out / "open_marks.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(table[0]), delimiter=";")
        w.writeheader()
        w.writerows(table)
    lines = []
    again, code = collect.run(tmp / "handins", out, marks=out / "open_marks.csv",
                              log=lines.append)
    assert again is not None and code == 1
    problems = [str(p) for p in again.problems]
    assert any("row 4" in p and "'lots' is not a number" in p for p in problems)
    assert any("row 5" in p and "outside 0 to" in p for p in problems)
    given = {r["answer_id"]: r["mark"] for r in rows(out / "open_marks.csv") if r["mark"]}
    assert given == {table[0]["answer_id"]: "1.5", table[1]["answer_id"]: "2",
                     table[4]["answer_id"]: "0"}
    assert (out / "marks_used.csv").exists()
    learner = next(lr for lr in again.learners if lr.name == table[0]["learner"])
    lesson = table[0]["lesson"]
    before = next(lr for lr in c.learners if lr.name == table[0]["learner"])
    bonus = 1.5 + (2 if table[1]["learner"] == table[0]["learner"] and
                   table[1]["lesson"] == lesson else 0)
    assert again.scores[learner.key][lesson][0] == c.scores[before.key][lesson][0] + bonus


# ---------------------------------------------------------------- the output folder


def test_a_folder_collect_did_not_write_is_never_replaced(tmp_path, small):
    _, _, _, tmp = small
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    lines = []
    got, code = collect.run(tmp / "handins", out, log=lines.append)
    assert got is None and code == 1 and "not written by collect" in lines[0]
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_an_earlier_output_is_replaced_unless_something_in_it_changed(tmp_path, small):
    _, c, _, tmp = small
    out = tmp_path / "class"
    shutil.copytree(tmp / "class", out, symlinks=True)
    before = rows(out / "pseudonyms.csv")
    (out / ".ipynb_checkpoints").mkdir()  # Jupyter's own cache does not count
    again, _ = collect.run(tmp / "handins", out, log=lambda line: None)
    assert again is not None
    assert rows(out / "pseudonyms.csv") == before  # stable pseudonyms
    (out / "debrief.ipynb").write_text("{}")  # the instructor saved notes in it
    lines = []
    got, code = collect.run(tmp / "handins", out, log=lines.append)
    assert got is None and code == 1 and "debrief.ipynb (changed)" in lines[0]
    assert (out / "debrief.ipynb").read_text() == "{}"


def test_git_never_picks_up_the_output_folder(tmp_path, small):
    """A class folder written inside a repository (the course's own included) shows nothing to
    commit: it holds learners' names and answers."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    _, _, _, tmp = small
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    collect.run(tmp / "handins", repo / "class", log=lambda line: None)
    assert (repo / "class" / "pseudonyms.csv").exists()
    status = subprocess.run([git, "-C", str(repo), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True, check=True).stdout
    assert status == "", status


def test_a_failure_while_writing_leaves_the_old_output_whole(tmp_path, monkeypatch, small):
    _, _, _, tmp = small
    out = tmp_path / "class"
    shutil.copytree(tmp / "class", out, symlinks=True)
    snapshot = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def fail(tmp_dir, target):
        raise OSError("disk full")

    monkeypatch.setattr(_output, "_swap", fail)
    with pytest.raises(OSError):
        collect.run(tmp / "handins", out, log=lambda line: None)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == snapshot
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".class-")]


def test_an_output_folder_inside_the_hand_ins_is_skipped_next_time(tmp_path, small):
    _, c, _, tmp = small
    folder = tmp_path / "in"
    shutil.copytree(tmp / "handins" / "copies", folder)
    first, _ = collect.run(folder, folder / "class", log=lambda line: None)
    again, code = collect.run(folder, folder / "class", log=lambda line: None)
    assert code == 0 and again.seen == first.seen
    assert again.skipped == [("class", "an output folder of collect, not hand-ins")]


# ---------------------------------------------------------------- reading one file


@pytest.fixture
def one_page(made):
    _, c, _, tmp = made
    name = next(h.name for h in c.handins if h.name.endswith(".html"))
    return (tmp / "handins" / name).read_bytes()


def test_a_file_cut_anywhere_is_read_whole_or_refused(one_page):
    whole = handin.parse(one_page, "x.html").entries
    for n in range(0, len(one_page), max(1, len(one_page) // 97)):
        try:
            got = handin.parse(one_page[:n], "x.html")
        except handin.Unreadable as exc:
            assert any(w in exc.reason for w in ("cut short", "not a hand-in", "not a text",
                                                 "is empty", "before hand-ins")), exc.reason
        else:
            assert got.entries == whole


def test_the_markdown_hand_in_holds_the_same_answers(tmp_path, monkeypatch):
    from helpers._journal import book

    monkeypatch.setenv("KURIL_JOURNAL_DIR", str(tmp_path))
    monkeypatch.setattr(book, "_state", {"learner": None, "lesson": None, "last_time": "",
                                         "save_error": None})
    monkeypatch.setattr(book, "_session", {})
    book.set_learner("Mei ``` Mori")
    book.record("L1", "q1", "```kuril-handin\n{}\n```", kind="text")
    book.record("L1", "q2", ["a", "</script>"], kind="multiple")
    md = handin.parse(book.export_markdown().encode(), "m.md")
    page = handin.parse(book.export_html().encode(), "m.html")
    assert md.entries == page.entries and len(md.entries) == 2
    assert md.learner == page.learner == "Mei ``` Mori"


def test_the_command_line(tmp_path, small):
    _, _, _, tmp = small
    folder = tmp_path / "in"
    shutil.copytree(tmp / "handins" / "copies", folder)
    run = subprocess.run([sys.executable, "-m", "helpers.instructor", "collect", str(folder),
                          "--out", str(tmp_path / "class")], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Collected 2 hand-ins" in run.stdout and "Traceback" not in run.stderr
    run = subprocess.run([sys.executable, "-m", "helpers.instructor", "collect",
                          str(tmp_path / "nowhere"), "--out", str(tmp_path / "x")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "is not a folder" in run.stdout


# ---------------------------------------------------------------- rosters


def write_csv(path, header, table, delimiter=","):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        w.writerows(table)
    return path


def test_a_canvas_roster_fills_in_the_canvas_ids(tmp_path, small):
    truth, c, _, tmp = small
    people = [lr.name for lr in c.learners if not lr.clash][:40]
    table = [["    Points Possible", "", "", "", "", "10"]]
    for n, name in enumerate(people):
        first, last = name.split(" ", 1)
        table.append([f"{last}, {first}", str(1000 + n), f"S{n:04d}", f"login{n}", "Sec A", ""])
    table.append(["Nobody, Absent", "9999", "S9999", "absent", "Sec A", ""])
    roster = write_csv(tmp_path / "canvas_export.csv", ["Student", "ID", "SIS User ID",
                                                         "SIS Login ID", "Section", "Quiz (7)"],
                       table)
    again, _ = collect.run(tmp / "handins", tmp_path / "class", roster=roster,
                           log=lambda line: None)
    out = {r["Student"]: r for r in rows(tmp_path / "class" / "canvas_grades.csv")}
    for n, name in enumerate(people):
        first, last = name.split(" ", 1)
        assert out[f"{last}, {first}"]["ID"] == str(1000 + n)
        assert out[f"{last}, {first}"]["SIS Login ID"] == f"login{n}"
    report = (tmp_path / "class" / "report.txt").read_text(encoding="utf-8")
    assert "Roster (canvas): 41 people." in report
    assert "No hand-in from 1 in the roster: Nobody, Absent" in report


def test_a_moodle_roster_gives_the_moodle_file_its_users(tmp_path, small):
    _, c, _, tmp = small
    people = [lr.name for lr in c.learners if not lr.clash][:25]
    table = [[*name.split(" ", 1), f"ID{n}", "Uni", "Dept", f"p{n}@example.edu"]
             for n, name in enumerate(people)]
    roster = write_csv(tmp_path / "moodle_export.csv", ["First name", "Last name", "ID number",
                                                        "Institution", "Department",
                                                        "Email address"], table, ";")
    again, _ = collect.run(tmp / "handins", tmp_path / "class", roster=roster,
                           log=lambda line: None)
    out = rows(tmp_path / "class" / "moodle_grades.csv")
    assert [r["Email address"] for r in out] == [f"p{n}@example.edu" for n in range(25)]
    lessons = [lesson for lesson, _, _ in again.lessons]
    assert list(out[0]) == ["First name", "Last name", "ID number", "Email address", *lessons]
    assert len(again.moodle_left_out) == len(again.learners) - 25  # no user to map them to


def test_names_that_look_like_formulas_stay_text(tmp_path, monkeypatch):
    from helpers._journal import book

    monkeypatch.setenv("KURIL_JOURNAL_DIR", str(tmp_path / "j"))
    monkeypatch.setattr(book, "_state", {"learner": None, "lesson": None, "last_time": "",
                                         "save_error": None})
    monkeypatch.setattr(book, "_session", {})
    book.set_learner("=HYPERLINK(\"http://example.com\",\"x\")")
    book.record("01_shimoda_to_yalta", "l1-potsdam-minor", "+1 and @me", kind="short")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "f.html").write_text(book.export_html(), encoding="utf-8")
    collect.run(folder, tmp_path / "out", log=lambda line: None)
    book_rows = list(csv.reader(open(tmp_path / "out" / "gradebook.csv", encoding="utf-8-sig")))
    assert book_rows[1][0].startswith("'=HYPERLINK")
    marks = rows(tmp_path / "out" / "open_marks.csv")
    assert marks[0]["answer"] == "'+1 and @me"


def test_hand_ins_without_a_name_are_never_merged(tmp_path, monkeypatch):
    """Learners who never typed a name all save as "learner": on Binder (no account) each file
    stays its own row, and the report asks who they are."""
    from helpers._journal import book

    folder = tmp_path / "in"
    folder.mkdir()
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    for n, answer in enumerate(["Between {island:etorofu-iturup} and {island:urup}", "wrong"]):
        monkeypatch.setenv("KURIL_JOURNAL_DIR", str(tmp_path / f"j{n}"))
        monkeypatch.setattr(book, "_state", {"learner": None, "lesson": None, "last_time": "",
                                             "save_error": None})
        monkeypatch.setattr(book, "_session", {})
        book.record("01_shimoda_to_yalta", "l1-shimoda-boundary", answer, kind="single")
        (folder / f"my-work-learner-{n}.html").write_text(book.export_html(), encoding="utf-8")
    c, _ = collect.run(folder, tmp_path / "out", log=lambda line: None)
    assert len(c.learners) == 2 and all(lr.unnamed for lr in c.learners)
    scores = sorted(c.scores[lr.key]["01_shimoda_to_yalta"][0] for lr in c.learners)
    assert scores == [0, 1]
    assert "Hand-ins without a name (2" in (tmp_path / "out" / "report.txt").read_text()


def test_odd_data_is_refused_or_made_plain_never_a_crash(one_page):
    page = one_page.decode("utf-8")
    start = page.index(handin.HTML_OPEN) + len(handin.HTML_OPEN)
    end = page.index("</script>", start)
    data = json.loads(page[start:end])

    def with_data(changed):
        changed["checksum"] = export.checksum(changed)
        return (page[:start] + export.data_json(changed) + page[end:]).encode()

    deep = json.loads(json.dumps(data))
    deep["entries"][0]["answer"] = json.loads("[" * 100 + "]" * 100)
    with pytest.raises(handin.Unreadable, match="nested"):
        handin.parse(with_data(deep), "deep.html")
    deeper = (page[:start] + "[" * 100_000 + "]" * 100_000 + page[end:]).encode()
    with pytest.raises(handin.Unreadable):
        handin.parse(deeper, "deeper.html")
    named = json.loads(json.dumps(data))
    named["learner"] = "Eve\x1b[31m red \u202egnp.exe\n" + "x" * 500
    got = handin.parse(with_data(named), "named.html")
    assert got.learner.startswith("Eve [31m red gnp.exe x") and len(got.learner) == 120
    for broken in ({"entries": "none"}, {"learner": ""}, {"entries": [{"item": "q"}]},
                   {"entries": [{"item": "q", "answer": 1, "time": "yesterday"}]},
                   {"version": "1"}, {"format": "other"}):
        with pytest.raises(handin.Unreadable):
            handin.parse(with_data({**data, **broken}), "broken.html")


def test_the_marking_sheet_shows_what_a_written_answer_cites(made):
    """open_marks.csv: the citation facts the learner saw under the answer, for the marker;
    the requirement's 'Done/Not yet' lines stay in course_hint; nothing for an answer citing
    nothing."""
    from types import SimpleNamespace

    from helpers.instructor._collect import openmarks

    text = "Article 9 [@text-joint-declaration-1956] and Stephan [@stephan-1974]."
    facts = openmarks.citation_facts(SimpleNamespace(answer=text, item="l1-central-claim"))
    assert "2 sources" in facts or "2 distinct" in facts, facts
    assert "at least" in facts  # the exercise's citations: requirement, as the learner saw it
    assert openmarks.citation_facts(SimpleNamespace(answer="No markers.", item="x")) == ""
    _, _, _, tmp = made
    assert "citations" in rows(tmp / "class" / "open_marks.csv")[0]
