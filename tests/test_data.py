"""The dataset loads, is internally consistent, and broken files give messages an instructor
can act on."""

import csv

import pandas as pd
import pytest

from helpers import data
from helpers.errors import DataError

LOADERS = [data.events, data.documents, data.islands, data.positions, data.sources, data.eras,
           data.population]


def rows(name):
    with open(data.DATA_DIR / f"{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_real_dataset_has_no_problems():
    assert data.validate() == []


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_each_loader_returns_a_nonempty_frame_with_unique_ids(loader):
    df = loader()
    assert len(df) > 0
    assert df["id"].is_unique


def test_loaders_return_copies_a_lesson_may_change():
    df = data.events()
    df.loc[:, "title"] = "changed"
    assert (data.events()["title"] != "changed").all()


def test_dates_are_timestamps_and_numbers_are_numbers():
    assert pd.api.types.is_datetime64_any_dtype(data.events()["date"])
    assert pd.api.types.is_datetime64_any_dtype(data.documents()["date"])
    assert pd.api.types.is_float_dtype(data.islands()["lat"])
    assert data.islands()["disputed"].dtype == bool


def test_at_least_80_events_span_1855_to_2022():
    ev = data.events()
    assert len(ev) >= 80
    assert ev["date"].min().year == 1855
    assert ev["date"].max().year == 2022


def test_every_era_has_events_and_a_notebook_name():
    ev = data.events()
    for era in data.eras().itertuples():
        assert (ev["era"] == era.id).sum() >= 10, era.id
        assert era.notebook.endswith(".ipynb")


REQUIRED_DOCUMENTS = [
    "shimoda-1855",
    "stpetersburg-1875",
    "portsmouth-1905",
    "neutrality-pact-1941",
    "cairo-1943",
    "yalta-1945",
    "potsdam-1945",
    "surrender-1945",
    "san-francisco-1951",
    "joint-declaration-1956",
    "soviet-memorandum-1960",
    "joint-communique-1991",
    "tokyo-declaration-1993",
    "krasnoyarsk-1997",
    "kawana-1998",
    "moscow-declaration-1998",
    "irkutsk-statement-2001",
    "action-plan-2003",
    "press-statement-2016",
    "ru-constitution-2020",
    "ru-mfa-2022",
]


def test_the_documents_the_lessons_need_are_present():
    missing = set(REQUIRED_DOCUMENTS) - set(data.documents()["id"])
    assert not missing


def test_a_document_with_an_excerpt_says_whose_wording_it_is():
    docs = data.documents()
    with_text = docs[docs["excerpt"].fillna("") != ""]
    assert len(with_text) >= 5
    for d in with_text.itertuples():
        assert d.excerpt_status in ("official", "third-party"), d.id
        assert d.provenance and d.excerpt_translation and d.excerpt_language, d.id


def test_no_excerpt_where_the_status_says_there_is_none():
    docs = data.documents()
    none = docs[docs["excerpt_status"].fillna("none").isin(["none", ""])]
    assert (none["excerpt"].fillna("") == "").all()


def test_the_four_disputed_islands_have_names_in_both_languages_and_an_area():
    isl = data.islands().set_index("id")
    for i in data.DISPUTED:
        row = isl.loc[i]
        assert (
            row["name_ja"] and row["name_ru"] and row["name_ja_kanji"] and row["name_ru_cyrillic"]
        )
        assert row["area_km2"] > 0 and row["area_source"]


def test_the_reading_pack_is_in_the_bibliography_without_file_names():
    src = data.sources()
    pack = src[src["kind"] == "reading_pack"]
    assert len(pack) == 5
    assert not src.apply(
        lambda r: r.astype(str).str.contains(r"\d{3}_[0-9a-f]{16}").any(), axis=1
    ).any()


def test_positions_cover_both_governments_at_every_capstone_turning_point():
    pos = data.positions()
    for year in [
        1855,
        1875,
        1905,
        1945,
        1951,
        1956,
        1960,
        1991,
        1993,
        2001,
        2016,
        2019,
        2020,
        2022,
    ]:
        when = pd.Timestamp(f"{year}-12-31")
        live = pos[(pos["from_date"] <= when) & (pos["to_date"].isna() | (pos["to_date"] >= when))]
        assert "japan" in set(live["actor"]), year
        assert {"ussr", "russia"} & set(live["actor"]), year


def test_periods_of_one_government_do_not_overlap():
    pos = data.positions().sort_values("from_date")
    for actor, grp in pos.groupby("actor"):
        ends = grp["to_date"].tolist()[:-1]
        starts = grp["from_date"].tolist()[1:]
        for end, start in zip(ends, starts, strict=True):
            assert pd.notna(end) and end < start, actor  # to_date is the last day in force


# Broken files: the message names file, row and column, and says what is allowed.


def test_population_1945_and_2016_figures_agree_with_the_island_table():
    pop, isl = data.population(), data.islands().set_index("id")
    one_place = pop[~pop["place"].str.contains(";")]
    jp = one_place[(one_place["counted"] == "japanese-residents") & (one_place["year"] == 1945)]
    assert sorted(jp["place"]) == sorted(data.DISPUTED)
    assert jp["figure"].sum() == isl.loc[list(data.DISPUTED), "japanese_residents_1945"].sum()
    for r in jp.itertuples():
        assert r.figure == isl.loc[r.place, "japanese_residents_1945"], r.id
    ru = one_place[(one_place["counted"] == "all-residents") & (one_place["year"] == 2016)]
    assert sorted(ru["place"]) == sorted(data.DISPUTED)
    for r in ru.itertuples():
        expected = isl.loc[r.place, "russian_population"]
        assert r.figure == (0 if pd.isna(expected) else expected), r.id


def test_population_rows_say_how_far_each_figure_can_be_trusted():
    pop = data.population()
    assert all(pd.api.types.is_integer_dtype(pop[c]) for c in ("year", "figure"))
    for r in pop.itertuples():
        if r.checked == "corroborated":
            assert len(data.split(r.sources)) >= 2, r.id
        else:  # one source, or sources that disagree: the notes must say which and why
            assert isinstance(r.notes, str) and len(r.notes) > 20, r.id
    # where sources disagree, every figure has its own row
    disputed = pop[pop["checked"] == "disputed"]
    assert (disputed.groupby(["place", "year", "counted"])["figure"].nunique() > 1).any()


def test_a_course_without_population_data_gets_an_empty_table_and_no_problem(fixture_data):
    assert not (fixture_data / "population.csv").exists()
    assert data.validate() == []
    pop = data.population()
    assert len(pop) == 0 and {"place", "year", "figure", "sources"} <= set(pop.columns)


def test_a_bad_population_row_is_reported_with_field_and_allowed_values(data_copy):
    path = data_copy / "population.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(id="x-1", place="shikotan", year="1946", as_of="1947-01", figure="12",
               counted="russians", description="d", counted_by="c", checked="corroborated",
               sources=rows("sources")[0]["id"])
    write(path, path.read_text(encoding="utf-8") + ",".join(row[h] for h in header) + "\n")
    data.reload()
    msg = error_text(data.population)
    assert "data/population.csv" in msg and "(id x-1)" in msg
    assert "'russians' is not allowed" in msg and "kuril-ainu" in msg
    assert "not in the row's year 1946" in msg


def write(path, text):
    path.write_text(text, encoding="utf-8")


def first_event_line(path, change):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = change(lines[1])
    path.write_text("".join(lines), encoding="utf-8")


def error_text(loader):
    with pytest.raises(DataError) as exc:
        loader()
    return str(exc.value)


def test_an_unparseable_date_is_reported_with_row_and_column(data_copy):
    first = rows("events")[0]
    first_event_line(
        data_copy / "events.csv", lambda line: line.replace(first["date"], "1855-13-45", 1)
    )
    data.reload()
    msg = error_text(data.events)
    assert "data/events.csv" in msg and "row 2" in msg and "'date'" in msg and "1855-13-45" in msg


def test_an_unknown_source_id_is_reported(data_copy):
    first = rows("events")[0]
    first_event_line(
        data_copy / "events.csv", lambda line: line.replace(first["sources"], "no-such-source", 1)
    )
    data.reload()
    msg = error_text(data.events)
    assert "'no-such-source' is not a known id" in msg and "'sources'" in msg


def test_a_duplicate_id_is_reported_with_both_rows(data_copy):
    path = data_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    data.reload()
    msg = error_text(data.events)
    assert "duplicate id" in msg and "first used in row 2" in msg


def test_an_event_outside_its_era_is_reported(data_copy):
    first = rows("events")[0]
    first_event_line(
        data_copy / "events.csv", lambda line: line.replace(f",{first['era']},", ",putin-abe,", 1)
    )
    data.reload()
    msg = error_text(data.events)
    assert "outside era 'putin-abe'" in msg


def test_a_row_with_a_stray_comma_is_reported(data_copy):
    path = data_copy / "sources.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "x,reference,A, B,T,,,,,\n", encoding="utf-8"
    )
    data.reload()
    msg = error_text(data.sources)
    assert "cells but the header has 9 columns" in msg and "double quotes" in msg


def test_an_unknown_stance_lists_the_allowed_ones(data_copy):
    path = data_copy / "positions.csv"
    text = path.read_text(encoding="utf-8")
    r = rows("positions")[0]
    path.write_text(text.replace(f",{r['habomai']},", ",owns,", 1), encoding="utf-8")
    data.reload()
    msg = error_text(data.positions)
    assert "'owns' is not allowed" in msg and "offers_transfer" in msg


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", "id,kind\n".encode("utf-16")])
def test_empty_binary_or_wrongly_encoded_files_are_reported_not_raised_as_tracebacks(
    data_copy, content
):
    (data_copy / "eras.csv").write_bytes(content)
    data.reload()
    msg = error_text(data.eras)
    assert "data/eras.csv" in msg
    assert any(w in msg for w in ("empty", "not a text file", "not UTF-8"))


def test_a_missing_column_names_the_columns_expected(data_copy):
    write(data_copy / "eras.csv", "id,title,start,end\nx,X,1855,1900\n")
    data.reload()
    msg = error_text(data.eras)
    assert "notebook" in msg and "column missing" in msg


def test_the_error_shows_as_a_readable_list_in_a_notebook(data_copy):
    write(data_copy / "eras.csv", "id,title,start,end\nx,X,1855,1900\n")
    data.reload()
    with pytest.raises(DataError) as exc:
        data.eras()
    assert exc.value._repr_markdown_().startswith("**The course data has problems**")


def test_islands_disputed_keeps_the_four_or_the_rest():
    four = data.islands(disputed=True)
    assert list(four["id"]) == list(data.DISPUTED)
    rest = data.islands(disputed=False)
    assert not rest["disputed"].any() and len(rest) + int(data.islands()["disputed"].sum()) == len(
        data.islands())


# What check accepts must load: each refusal below used to be accepted (issue 11).


def set_cell(dest, name, row_id, column, value):
    table = rows_of(dest, name)
    for r in table:
        if r["id"] == row_id:
            r[column] = value
    write_rows(dest, name, list(table[0]), table)


def rows_of(dest, name):
    with open(dest / f"{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_rows(dest, name, header, table):
    with open(dest / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(table)
    data.reload()


def problem(field):
    found = [p for p in data.validate() if p.field == field]
    assert len(found) == 1, data.validate()
    return found[0]


@pytest.mark.parametrize("value, words", [
    ("nan", "'nan' is not a number: write it with digits and a decimal point"),
    ("inf", "'inf' is not a number"),
    ("1e400", "'1e400' is not a number"),
    ("3.168,4", "'3.168,4' is not a number"),
    ("٣١٦٨", "'٣١٦٨' is not a number"),
    ("1,2", "'1,2' is not a number"),
    ("-5", "-5 is outside the plausible range 0 to 100000"),
])
def test_a_number_pandas_would_misread_is_refused(data_copy, value, words):
    set_cell(data_copy, "islands", "shikotan", "area_km2", value)
    found = problem("area_km2")
    assert found.file == "data/islands.csv" and "(id shikotan)" in found.where
    assert words in found.message


def test_thousands_commas_still_load_as_numbers(data_copy):
    set_cell(data_copy, "islands", "shikotan", "area_km2", "3,168.4")
    assert data.validate() == []
    assert data.islands().set_index("id").loc["shikotan", "area_km2"] == 3168.4


@pytest.mark.parametrize("column, value, words", [
    ("end_date", "9999-12-31", "'9999-12-31' is after 2100: give a real date (for a period still "
                               "running, leave the end empty)"),
    ("date", "2101-01-01", "'2101-01-01' is after 2100"),
    ("end_date", "1854", "'1854' is before date"),
])
def test_an_event_date_after_2100_or_an_end_before_the_date_is_refused(data_copy, column, value,
                                                                        words):
    first = rows("events")[0]
    set_cell(data_copy, "events", first["id"], column, value)
    found = problem(column)
    assert found.where == f"row 2 (id {first['id']})" and words in found.message


def test_dates_before_1678_load_and_a_period_end_before_its_start_is_refused(data_copy):
    """pandas' nanoseconds end in 1677: the loaders read dates as microseconds."""
    first = rows("eras")[0]
    set_cell(data_copy, "eras", first["id"], "start", "1600")
    assert data.validate() == []
    assert data.eras()["start"].min() == pd.Timestamp("1600-01-01")
    set_cell(data_copy, "eras", first["id"], "end", "1599")
    assert "'1599' is before start '1600'" in problem("end").message


def test_to_date_before_from_date_is_refused(data_copy):
    row = next(r for r in rows("positions") if r["to_date"])
    set_cell(data_copy, "positions", row["id"], "to_date", "1800")
    assert "'1800' is before from_date" in problem("to_date").message


@pytest.mark.parametrize("rename, field, words", [
    ({"notes": "ntoes"}, "ntoes", "is not a column of data/events.csv (did you mean 'notes'?)"),
    ({"title": "titel"}, "titel", "is not a column of data/events.csv (did you mean 'title'?)"),
    ({"title": "titel"}, "title", "column missing; the columns are:"),
    ({"notes": ""}, "", "a column has no name in the header row"),
    ({"notes": "summary"}, "summary", "is a column name twice in the header row"),
])
def test_every_column_of_a_file_must_be_known_and_named_once(data_copy, rename, field, words):
    table = rows_of(data_copy, "events")
    header = [rename.get(h, h) for h in table[0]]
    path = data_copy / "events.csv"
    text = path.read_text(encoding="utf-8").split("\n", 1)[1]
    path.write_text(",".join(header) + "\n" + text, encoding="utf-8")
    data.reload()
    found = [p for p in data.validate() if p.field == field]
    assert found and found[0].file == "data/events.csv" and words in found[0].message
    with pytest.raises(DataError):
        data.events()


def test_an_optional_column_left_out_loads_as_empty(data_copy):
    table = rows_of(data_copy, "islands")
    header = [h for h in table[0] if h != "russian_population"]
    write_rows(data_copy, "islands", header,
               [{k: v for k, v in r.items() if k in header} for r in table])
    assert data.validate() == []
    assert data.islands()["russian_population"].isna().all()


@pytest.mark.parametrize("value", ["\u200b\u200b", "\u200f\u200e", "\u0301", "\ufeff", "\u2060"])
def test_a_cell_of_only_invisible_characters_is_refused(data_copy, value):
    first = rows("events")[0]
    set_cell(data_copy, "events", first["id"], "title", value)
    set_cell(data_copy, "events", first["id"], "notes", value)
    assert "has no visible characters" in problem("title").message
    assert "or leave it empty" in problem("notes").message


def test_text_with_odd_characters_among_visible_ones_loads(data_copy):
    first = rows("events")[0]
    set_cell(data_copy, "events", first["id"], "title", "Shimoda\u200b 🏝️ e\u0301 \u200f")
    assert data.validate() == []


@pytest.mark.parametrize("at, char", [(6000, b"\x00"), (5000, b"\x07"), (100, b"\x1b"),
                                      (7000, "\u0085".encode())])
def test_a_control_character_anywhere_in_a_csv_file_is_refused(data_copy, at, char):
    path = data_copy / "sources.csv"
    raw = path.read_bytes()
    at = raw.index(b"\n", at) + 1
    path.write_bytes(raw[:at] + char + raw[at:])
    data.reload()
    (found,) = data.validate()
    line = raw.count(b"\n", 0, at) + 1
    assert found.file == "data/sources.csv" and f"on line {line}" in found.message
    assert "save it as CSV, UTF-8" in found.message


def test_a_document_date_precision_must_be_day_month_or_year(data_copy):
    table = rows_of(data_copy, "documents")
    for r in table:
        r["date_precision"] = "day"
    table[0]["date_precision"] = "decade"
    write_rows(data_copy, "documents", list(table[0]), table)
    assert "'decade' is not allowed" in problem("date_precision").message


def test_a_long_period_is_reported_against_every_later_period_it_covers(data_copy):
    table = rows_of(data_copy, "positions")
    japan = sorted((r for r in table if r["actor"] == "japan"), key=lambda r: r["from_date"])
    long = dict(japan[0], id="japan-long", to_date=japan[2]["from_date"])
    write_rows(data_copy, "positions", list(table[0]), table + [long])
    found = [p for p in data.validate() if p.field == "from_date"]
    assert {p.where.split("(id ")[1][:-1] for p in found} >= {japan[1]["id"], japan[2]["id"]}
    assert all("(id japan-long)" in p.message or "(id japan-long)" in p.where for p in found)


@pytest.mark.parametrize("name", ["eras", "sources", "events", "documents", "islands",
                                  "positions"])
def test_a_required_file_with_a_header_but_no_rows_is_refused(data_copy, name):
    path = data_copy / f"{name}.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    data.reload()
    found = [p for p in data.validate() if p.file == f"data/{name}.csv"]
    assert found and "has a header but no rows" in found[0].message


def test_population_may_have_a_header_and_no_rows(data_copy):
    path = data_copy / "population.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    data.reload()
    assert data.validate() == [] and len(data.population()) == 0


@pytest.mark.parametrize("column, value", [("figure", "3.5"), ("year", "2015.5")])
def test_a_count_or_year_with_a_fraction_is_refused(data_copy, column, value):
    row = rows("population")[0]
    set_cell(data_copy, "population", row["id"], column, value)
    assert f"'{value}' is not a whole number" in problem(column).message
    set_cell(data_copy, "population", row["id"], column, row[column] + ".0")  # whole: loads
    assert data.validate() == [] and data.population()[column].dtype == "Int64"
