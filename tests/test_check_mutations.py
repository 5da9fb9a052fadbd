"""Whatever `python -m helpers.instructor check` accepts, every lesson runs.

Each case issue 11 found (accepted by check, then breaking a notebook or giving nonsense) is
refused with the file, the row or entry, the field and what to write instead. Then the invariant
itself: seeded mutations of a copy of the real course (its data, banks, capstone files and
course.yml), where for each one either check reports a problem, or every public loader and every
lesson's code cells run without an exception.

Set KURIL_MUTATION_SEED to replay a run (the seed is printed with any failure) and
KURIL_MUTATIONS for more mutations (default 200).
"""

import json
import os
import pickle
import time
import traceback
from pathlib import Path

import pytest
from mutations import CourseCopy, lessons_reached, mutations, named_cases, run_lessons, run_loaders

from helpers import course, data
from helpers._common import cache, figures, strict_yaml
from helpers._common import widgets as common_widgets
from helpers.instructor import check

SEED = int(os.environ.get("KURIL_MUTATION_SEED", "11"))
COUNT = int(os.environ.get("KURIL_MUTATIONS", "200"))


@pytest.fixture(scope="module")
def copy_(tmp_path_factory):
    """One copy of the real course for the module; the helpers read it. Parsed YAML and
    notebooks are kept by content (a file read twice with the same bytes parses the same), and
    widgets are built but open no channel to a front end (there is none): all only save time."""
    import ipywidgets
    import nbformat

    parsed, parse = {}, strict_yaml.loads

    def loads(raw, label):
        key = (bytes(raw), label)
        if key not in parsed:
            parsed[key] = pickle.dumps(parse(raw, label))
        return pickle.loads(parsed[key])

    # check reads every lesson notebook several times per run (12 reads and validations a
    # mutation); no mutation changes a notebook. Same bytes, same notebook: parsed once. Anything
    # unusual (a file object, a read that fails) goes to nbformat itself.
    notebooks, read = {}, nbformat.read

    def read_notebook(fp, as_version, **kwargs):
        if kwargs or not isinstance(fp, (str, os.PathLike)):
            return read(fp, as_version, **kwargs)
        try:
            key = (Path(fp).read_bytes(), as_version)
        except OSError:
            return read(fp, as_version)
        if key not in notebooks:
            notebooks[key] = pickle.dumps(read(fp, as_version))
        return pickle.loads(notebooks[key])

    # plotly checks every figure a lesson draws (10-20 ms each). A figure whose dict is the same
    # as one checked before gets the same answer: each distinct figure is checked once.
    checked, make = set(), figures._figure_class

    def figure(spec):
        key = json.dumps(spec, sort_keys=True, default=repr)
        if key in checked:
            return make()(spec, _validate=False)
        fig = make()(spec)
        checked.add(key)
        return fig

    # Widgets open no channel here, so the shared layouts and styles would look closed and be
    # made again for every widget (helpers/_common/widgets.py): made once each, as in a kernel.
    shared, make_shared = {}, common_widgets._shared

    def shared_model(cls, settings=None):
        key = (cls, tuple(sorted((settings or {}).items())))
        if key not in shared:
            shared[key] = make_shared(cls, settings)
        return shared[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(common_widgets, "_shared", shared_model)
        mp.setattr(figures, "figure", figure)
        mp.setattr(strict_yaml, "loads", loads)
        mp.setattr(nbformat, "read", read_notebook)
        mp.setattr(ipywidgets.Widget, "open", lambda self: None)
        mp.setenv("KURIL_JOURNAL_DIR", str(tmp_path_factory.mktemp("journal")))
        c = CourseCopy(tmp_path_factory.mktemp("course"))
        c.point(mp)
        # data's tables and their problems come from the CSV files and course.yml only: a
        # mutation of an exercise bank or a capstone file reads the same tables as the course.
        loaded, load_all = {}, data._load_all.__wrapped__

        def load_all_once():
            key = frozenset((rel, raw) for rel, raw in c.changes()
                            if rel == "course.yml" or not rel.endswith((".yml", ".yaml")))
            if key not in loaded:
                loaded[key] = pickle.dumps(load_all())
            return pickle.loads(loaded[key])

        mp.setattr(data, "_load_all", cache.cached(load_all_once))
        yield c
    data.reload()


@pytest.fixture
def c(copy_):
    """The course copy, put back as it was after each test."""
    yield copy_
    copy_.restore()


def problems_after(c, mutation):
    mutation.apply(c)
    data.reload()
    return check.run().problems


def test_the_real_course_passes_check_and_every_lesson_runs(c):
    assert check.run().problems == []
    run_loaders(c.cells)
    run_lessons(c.cells, course.settings()["lessons"])


# ---------------------------------------------------------------- each case of issue 11

# case: (file, where, field, words of the message). "where" and "field" are matched exactly
# when given; the words must all be in the message.
REFUSED = {
    "9999 end date": ("data/events.csv", "row 2 (id 1855-shimoda-treaty)", "end_date",
                      ["'9999-12-31' is after 2100", "leave the end empty"]),
    "extra events without columns": ("my_course/events.csv", "", "title, summary, actors, type",
                                     ["column missing; the columns are: id, date"]),
    "extra events titel": ("my_course/events.csv", "", "titel",
                           ["is not a column of data/events.csv (did you mean 'title'?)"]),
    "misspelt column": ("data/islands.csv", "", "note",
                        ["is not a column of data/islands.csv (did you mean 'notes'?)"]),
    "points nan": (None, None, "points", ["'nan' is not allowed", "number 0 or more"]),
    "points inf": (None, None, "points", ["'inf' is not allowed", "at most 100"]),
    "points huge int": (None, None, "points", ["is not allowed", "at most 100"]),
    "answer nan": (None, None, "answer", ["'nan' is not allowed", "the correct answer as a "
                                          "number"]),
    "tolerance inf": (None, None, "tolerance", ["'inf' is not allowed", "leave it out for an "
                                                "exact answer"]),
    "end before date": ("data/events.csv", "row 2 (id 1855-shimoda-treaty)", "end_date",
                        ["'1800-01-01' is before date '1855-02-07'", "swap them"]),
    "to before from": ("data/positions.csv", None, "to_date",
                       ["'1800-01-01' is before from_date", "cannot come before its start"]),
    "overlap": ("data/positions.csv", None, "from_date",
                ["overlaps row", "which has no to_date (still in force)", "give that row a "
                                                                          "to_date before"]),
    "arabic-indic lat": ("data/islands.csv", None, "lat",
                         ["'٤٣٫٨' is not a number: write it with digits and a decimal point"]),
    "decimal comma": ("data/islands.csv", None, "area_km2",
                      ["'3.168,4' is not a number", "e.g. 3168.4 or 3,168.4"]),
    "late NUL": ("data/sources.csv", "", "", ["is not a text file (it has binary data on line",
                                              "save it as CSV, UTF-8"]),
    "bank for no lesson": ("my_course/questions.yml", "", "lesson",
                           ["'09_no_such_lesson' is not a lesson of this course",
                            "use one of the lessons in"]),
    "no lessons": (None, "", "lessons", ["lists no lesson", "name at least one notebook"]),
    "invisible prompt": (None, None, "prompt", ["has no visible characters", "write the text"]),
    "invisible notes": ("data/events.csv", "row 2 (id 1855-shimoda-treaty)", "notes",
                        ["has no visible characters", "or leave it empty"]),
}

@pytest.mark.parametrize("case", list(REFUSED))
def test_each_case_of_the_issue_is_refused_naming_file_row_and_field(c, case):
    mutation = named_cases(c)[case]
    file, where, field, words = REFUSED[case]
    found = problems_after(c, mutation)
    assert found, mutation
    match = [p for p in found if p.field == field and (file is None or p.file == file)
             and (where is None or p.where == where)]
    assert match, (mutation, found)
    for w in words:
        assert any(w in p.message for p in match), (w, match)


def test_an_era_from_1600_is_accepted_and_every_lesson_runs(c):
    """Dates load as microseconds, so a date before 1678 (pandas' nanosecond limit) works."""
    assert problems_after(c, named_cases(c)["era from 1600"]) == []
    assert data.eras()["start"].min().year == 1600
    run_loaders(c.cells)
    run_lessons(c.cells, course.settings()["lessons"])


def test_a_control_character_anywhere_in_a_bank_is_refused(c):
    rel = c.banks()[2]
    raw = c.read(rel)
    c.write(rel, raw[:-20] + b"\x07" + raw[-20:])
    data.reload()
    found = check.run().problems
    assert found[0].file == rel and "control character (U+0007) on line" in found[0].message
    assert {p.file for p in found[1:]} <= {f"notebooks/{Path(rel).stem}.ipynb"}  # its ids


def test_an_invisible_choice_hint_and_role_text_are_refused(c):
    rel = c.banks()[1]
    parsed = c.yaml(rel)
    ex = parsed["exercises"][0]
    ex["choices"][0]["text"] = "\u200b\u200f"
    ex["hints"] = ["\u0301"]
    c.write_yaml(rel, parsed)
    role = c.yaml("data/roles/russia-president.yml")
    role["brief"] = "\ufeff \u2060"
    c.write_yaml("data/roles/russia-president.yml", role)
    data.reload()
    found = {(p.file, p.field): p.message for p in check.run().problems}
    assert "choices[1].text" in {f for _, f in found} and "hints[1]" in {f for _, f in found}
    assert "has no visible characters" in found[("data/roles/russia-president.yml", "brief")]


def _edit_exercise(c, kind, change):
    """Change the first exercise of ``kind`` in the banks; returns its bank's path."""
    for rel in c.banks():
        parsed = c.yaml(rel)
        ex = next((e for e in parsed["exercises"] if e["kind"] == kind), None)
        if ex is not None:
            change(ex)
            c.write_yaml(rel, parsed)
            return rel
    raise LookupError(kind)


@pytest.mark.parametrize("kind, change, field, words", [
    ("numeric", lambda ex: ex.update(points=101), "points", "at most 100"),
    ("numeric", lambda ex: ex.update(answer=1e16), "answer", "a number between -1e+15 and 1e+15"),
    ("numeric", lambda ex: ex.update(tolerance=abs(ex["answer"]) + 1), "tolerance",
     "(the size of the answer)"),
    ("numeric", lambda ex: ex.update(answer=float("-inf")), "answer", "'-inf' is not allowed"),
    ("single", lambda ex: ex.update(kind={"text": "single"}), "kind", "is not a known kind"),
    ("single", lambda ex: ex.update(kind=["single"]), "kind", "is not a known kind"),
    ("single", lambda ex: ex["choices"][0].update(feedback="\u200b"), "choices[1].feedback",
     "with visible characters"),
    ("matching", lambda ex: ex["pairs"][0].update(left="\u200f\u200e"), "pairs[1]",
     "with visible characters"),
    ("ordering", lambda ex: ex["items"].__setitem__(0, "\u0301"), "items[1]",
     "with visible characters"),
    ("short", lambda ex: ex.update(model_answer="\u00a0\u200b"), "model_answer",
     "has no visible characters"),
])
def test_a_bank_field_that_would_break_or_mislead_a_lesson_is_refused(c, kind, change, field,
                                                                      words):
    rel = _edit_exercise(c, kind, change)
    data.reload()
    found = [p for p in check.run().problems if p.field == field]
    assert found and found[0].file == rel and found[0].where.startswith("exercise ")
    assert words in found[0].message, found


def test_an_invisible_bank_title_is_refused(c):
    rel = c.banks()[0]
    parsed = c.yaml(rel)
    parsed["title"] = "\u200b"
    c.write_yaml(rel, parsed)
    data.reload()
    (problem,) = check.run().problems
    assert (problem.file, problem.field) == (rel, "title")
    assert "with visible characters" in problem.message


@pytest.mark.parametrize("rel, change, field, words", [
    ("data/conditions.yml", lambda d: d["conditions"][0]["rule"][0]["require"].update(
        sovereignty=[["japan"]]), "rule", "has ['japan']; allowed:"),
    ("data/conditions.yml", lambda d: next(x for x in d["conditions"] if "quote" in x)[
        "quote"].update(source=["mofa-faq-nt"]), "quote.source", "is not an id"),
    ("data/conditions.yml", lambda d: next(x for x in d["conditions"] if "quote" in x)[
        "quote"].update(text="\u200b\u200b"), "quote.text", "with visible characters"),
    ("data/proposals.yml", lambda d: d["precedents"][0].update(questions=["\u2060"]),
     "questions", "each with visible characters"),
    ("data/proposals.yml", lambda d: d["proposals"][0].update(summary="\u200f"), "summary",
     "has no visible characters"),
    ("data/proposals.yml", lambda d: d["proposals"][0].update(date="9999-12-31"), "date",
     "is after 2100"),
    ("data/proposals.yml", lambda d: d["proposals"][0]["design"].update(
        residents={"text": "not_addressed"}), "design", "residents {'text': 'not_addressed'} is "
                                                       "not allowed"),
    ("data/proposals.yml", lambda d: d["proposals"][0]["design"]["islands"]["habomai"].update(
        timing="transition", transition_years=float("inf")), "design",
     "transition_years must be a whole number of years, got inf"),
])
def test_a_capstone_field_that_would_break_or_mislead_is_refused_not_crashed_on(c, rel, change,
                                                                                field, words):
    parsed = c.yaml(rel)
    change(parsed)
    c.write_yaml(rel, parsed)
    data.reload()
    problems = check.run().problems
    found = [p for p in problems if p.field == field]
    assert found and found[0].file == rel and words in found[0].message, problems
    assert not [p for p in problems if "could not be checked" in p.message]


def test_numbers_written_for_capstone_texts_are_used_as_text(c):
    parsed = c.yaml("data/proposals.yml")
    parsed["proposals"][0]["encoding_note"] = 1855
    parsed["precedents"][0]["what_happened"] = 1956
    c.write_yaml("data/proposals.yml", parsed)
    parsed = c.yaml("data/conditions.yml")
    parsed["conditions"][0]["statement"] = 1991
    c.write_yaml("data/conditions.yml", parsed)
    data.reload()
    assert check.run().problems == []
    run_loaders(c.cells)
    run_lessons(c.cells, ["05_design_a_settlement"])


def test_the_capstone_needs_a_row_for_each_disputed_island(c):
    header, rows = c.table("islands")
    c.write_table("data/islands.csv", header, [r for r in rows if r[0] != "etorofu-iturup"])
    data.reload()
    found = check.run().problems  # texts naming the island by {island:...} are reported too
    (problem,) = [p for p in found if p.file == "data/islands.csv"]
    assert (problem.file, problem.field) == ("data/islands.csv", "id")
    assert problem.message.startswith("'etorofu-iturup' has no row: 05_design_a_settlement needs")


def test_an_optional_column_left_out_loads_empty_and_the_lessons_run(c):
    header, rows = c.table("islands")
    i = header.index("russian_population")
    c.write_table("data/islands.csv", header[:i] + header[i + 1:],
                  [r[:i] + r[i + 1:] for r in rows])
    data.reload()
    assert check.run().problems == []
    assert data.islands()["russian_population"].isna().all()
    run_lessons(c.cells, ["00_start_here", "01_shimoda_to_yalta"])


# ---------------------------------------------------------------- the invariant


@pytest.mark.slow  # about 100 s: in the whole suite, not in `python3 run.py test --fast`
def test_whatever_check_accepts_every_loader_and_lesson_runs(c):
    found = mutations(c, SEED, COUNT)
    assert len(found) >= 200
    failures, refused, accepted, lessons_run = [], 0, 0, 0
    # Course states whose loaders and lessons already ran in this test. A mutation that leaves
    # the files byte-for-byte as an earlier one did (or as the real course: a cell set to the
    # value it had) gives the same run: the helpers read nothing but these files (data.reload()
    # empties every cache), each lesson runs in a fresh namespace with its naming listeners
    # dropped after it, and the lessons write nothing (no journal). Such a mutation is still
    # checked; its loaders and lessons are not run twice.
    ran, repeats = set(), 0
    start = time.perf_counter()
    for mutation in found:
        try:
            mutation.apply(c)
            data.reload()
            problems = check.run().problems
            if problems:
                refused += 1
                odd = [p for p in problems if not p.file or "could not be checked" in p.message]
                if odd:  # check itself failed, or cannot say which file
                    failures.append((mutation, "check: " + "; ".join(map(str, odd[:3]))))
            else:
                accepted += 1
                state = c.changes()
                if state in ran:
                    repeats += 1
                    continue
                ran.add(state)
                run_loaders(c.cells)
                reached = lessons_reached(c, course.settings()["lessons"])
                lessons_run += len(reached)
                run_lessons(c.cells, reached)
        except Exception:
            failures.append((mutation, traceback.format_exc(limit=-4)))
        finally:
            c.restore()
    seconds = time.perf_counter() - start
    print(f"\n{len(found)} mutations (seed {SEED}): {refused} refused by check, {accepted} "
          f"accepted ({lessons_run} lessons run; {repeats} left the files as an earlier one did), "
          f"in {seconds:.1f} s")
    assert not failures, (f"seed {SEED} (replay: KURIL_MUTATION_SEED={SEED}): "
                          f"{len(failures)} of {len(found)} mutations broke the invariant:\n"
                          + "\n".join(f"- {m}\n{why}" for m, why in failures[:10]))
    # the generator exercises both sides of the invariant
    assert refused >= len(found) // 3 and accepted >= 20, (refused, accepted)


def test_a_huge_value_is_quoted_short_in_the_message(c):
    rel = _edit_exercise(c, "numeric", lambda ex: ex.update(points=10 ** 400))
    data.reload()
    (problem,) = check.run().problems
    assert problem.file == rel and "… (401 characters)' is not allowed" in problem.message
    assert len(problem.message) < 200
