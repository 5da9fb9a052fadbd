"""The events timeline: which events a figure holds, what hovering shows, the explorer's filters.

Runs on the small dataset in tests/fixtures/data (copied per test, so a test may edit it); expected
values are read from that copy with the csv module, independently of the code under test.
"""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixture_tools import edit, raw

from helpers import data, names, timeline

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
             "#999999"}








def marker_traces(fig):
    return [t for t in fig.data if t.mode == "markers" and t.customdata is not None]


def shown_ids(fig):
    return {i for t in marker_traces(fig) for i in t.customdata}


def hover_of(fig, event_id):
    for t in marker_traces(fig):
        for i, h in zip(t.customdata, t.hovertext, strict=True):
            if i == event_id:
                return h
    raise AssertionError(f"{event_id} is not in the figure")


def islands_line(hover):
    return next(x for x in hover.split("<br>") if x.startswith("Islands: "))


def test_figure_holds_every_event_once_by_default(fixture_data):
    fig = timeline.events_timeline()
    ids = [i for t in marker_traces(fig) for i in t.customdata]
    assert sorted(ids) == sorted(r["id"] for r in raw(fixture_data, "events"))


@pytest.mark.parametrize("kwargs, keep", [
    (dict(actors="ussr"), lambda r: "ussr" in r["actors"].split(";")),
    (dict(islands=["shikotan"]), lambda r: "shikotan" in r["islands"].split(";")),
    (dict(types=("treaty", "people")), lambda r: r["type"] in ("treaty", "people")),
    (dict(era="declaration-1956"), lambda r: r["era"] == "declaration-1956"),
    (dict(actors=["japan"], types=["treaty"]),
     lambda r: "japan" in r["actors"].split(";") and r["type"] == "treaty"),
])
def test_figure_json_holds_the_filtered_events_only(fixture_data, kwargs, keep):
    fig = timeline.events_timeline(**kwargs)
    expected = {r["id"] for r in raw(fixture_data, "events") if keep(r)}
    assert expected and expected != {r["id"] for r in raw(fixture_data, "events")}
    assert shown_ids(fig) == expected
    assert all(i in fig.to_json() for i in expected)


def test_one_marker_trace_per_type_not_per_event(fixture_data):
    fig = timeline.events_timeline()
    types = {r["type"] for r in raw(fixture_data, "events")}
    assert sorted(t.name for t in marker_traces(fig)) == sorted(types)
    for t in marker_traces(fig):
        assert set(t.y) == {t.name}


def test_hover_shows_dates_at_their_precision(fixture_data):
    fig = timeline.events_timeline()
    for r in raw(fixture_data, "events"):
        hover = hover_of(fig, r["id"])
        y, *rest = r["date"].split("-")
        if r["date_precision"] == "year":
            assert f"<br>{y}" in hover and f"Jan {y}" not in hover
        elif r["date_precision"] == "month":
            month = time.strftime("%b", time.strptime(rest[0], "%m"))
            assert f"<br>{month} {y}" in hover and f"1 {month} {y}" not in hover
        else:
            month = time.strftime("%b", time.strptime(rest[0], "%m"))
            assert f"<br>{int(rest[1])} {month} {y}" in hover


def test_hover_shows_end_date_calendar_note_and_summary(fixture_data):
    fig = timeline.events_timeline()
    rows = raw(fixture_data, "events")
    spanning = next(r for r in rows if r["end_date"])
    assert " – " in hover_of(fig, spanning["id"])
    noted = next(r for r in rows if r["calendar_note"])
    assert noted["calendar_note"] in hover_of(fig, noted["id"])
    first_words = " ".join(rows[0]["summary"].split()[:4])
    assert first_words in hover_of(fig, rows[0]["id"])


def test_hover_cites_sources_by_short_citation_not_id(fixture_data):
    fig = timeline.events_timeline()
    authors = {r["id"]: r["author"] for r in raw(fixture_data, "sources")}
    for r in raw(fixture_data, "events"):
        hover = hover_of(fig, r["id"])
        assert "Sources: " in hover
        for sid in r["sources"].split(";"):
            assert sid not in hover
            if authors[sid].count(" ") <= 3 and not authors[sid].startswith("("):  # a person
                assert authors[sid].split()[-1] in hover


def test_event_spanning_days_is_drawn_as_a_bar(fixture_data):
    fig = timeline.events_timeline()
    spanning = next(r for r in raw(fixture_data, "events") if r["end_date"])
    bars = [t for t in fig.data if t.mode == "lines"]
    xs = [str(x)[:10] for t in bars for x in t.x if x is not None]
    assert spanning["date"] in xs and spanning["end_date"] in xs


@pytest.mark.parametrize("naming, shown, hidden", [
    ("japanese", "Etorofu", "Iturup"), ("russian", "Iturup", "Etorofu"),
])
def test_naming_convention_names_the_islands(fixture_data, naming, shown, hidden):
    isl = {r["id"]: r for r in raw(fixture_data, "islands")}
    col = "name_ja" if naming == "japanese" else "name_ru"
    fig = timeline.events_timeline(color="islands", naming=naming)
    assert isl["etorofu-iturup"][col] == shown
    assert shown in fig.layout.yaxis.categoryarray and hidden not in fig.layout.yaxis.categoryarray
    event = next(r for r in raw(fixture_data, "events") if "etorofu-iturup" in r["islands"])
    assert f"Islands: {shown}" in hover_of(fig, event["id"])
    assert hidden not in islands_line(hover_of(fig, event["id"]))


def test_default_naming_follows_the_naming_toggle(fixture_data):
    before = names.convention()
    try:
        names.set_convention("russian")
        fig = timeline.events_timeline(islands="etorofu-iturup")
        lines = [islands_line(h) for t in marker_traces(fig) for h in t.hovertext]
        assert lines and all("Iturup" in x and "Etorofu" not in x for x in lines)
        names.set_convention("both")
        fig = timeline.events_timeline(islands="etorofu-iturup")
        hovers = [h for t in marker_traces(fig) for h in t.hovertext]
        assert all("Etorofu / Iturup" in islands_line(h) for h in hovers)
    finally:
        names.set_convention(before)


def test_colour_is_never_the_only_cue(fixture_data):
    fig = timeline.events_timeline()
    symbols = {}
    for t in marker_traces(fig):
        assert t.marker.color in OKABE_ITO
        each = t.marker.symbol if isinstance(t.marker.symbol, tuple) else [t.marker.symbol]
        for s in each:  # one symbol for the whole trace when every point has the same
            symbols.setdefault(t.name, set()).add(s)
    assert all(len(s) == 1 for s in symbols.values())  # one shape per type
    assert len({next(iter(s)) for s in symbols.values()}) == len(symbols)  # shapes differ
    by_actor = timeline.events_timeline(color="actors")
    assert all(c in OKABE_ITO for t in marker_traces(by_actor) for c in [t.marker.color])
    shapes = {t.name for t in by_actor.data if t.customdata is None and t.mode == "markers"}
    assert shapes == {r["type"] for r in raw(fixture_data, "events")}  # a legend of shapes


def test_group_by_actor_repeats_an_event_in_each_of_its_actors_rows(fixture_data):
    fig = timeline.events_timeline(color="actors")
    multi = next(r for r in raw(fixture_data, "events") if len(r["actors"].split(";")) > 2)
    rows = [t.name for t in marker_traces(fig) if multi["id"] in t.customdata]
    assert len(rows) == len(multi["actors"].split(";"))


def test_text_from_data_is_escaped_in_hover(fixture_data):
    rows = raw(fixture_data, "events")
    edit(fixture_data, "events", rows[0]["id"], title="<img src=x onerror=alert(1)>")
    hover = hover_of(timeline.events_timeline(), rows[0]["id"])
    assert "<img" not in hover and "&lt;img src=x" in hover


def test_bad_filters_and_tables_give_messages_that_teach(fixture_data):
    with pytest.raises(ValueError, match="japn.*The actors are: japan"):
        timeline.events_timeline(actors="japn")
    with pytest.raises(ValueError, match="The eras are:.*shimoda-to-yalta"):
        timeline.events_timeline(era="1956")
    with pytest.raises(ValueError, match="needs the column"):
        timeline.events_timeline(data.events().drop(columns="type"))
    with pytest.raises(ValueError, match="no such column"):
        timeline.events_timeline(color="colour")


def test_no_matching_events_gives_an_empty_figure_with_a_note(fixture_data):
    fig = timeline.events_timeline(actors="china")
    assert shown_ids(fig) == set()
    assert "No events match" in fig.layout.annotations[0].text


def test_describe_lists_count_span_and_titles(fixture_data):
    rows = sorted(raw(fixture_data, "events"), key=lambda r: r["date"])
    text = timeline.describe()
    assert text.startswith(f"{len(rows)} events, from ")
    assert all(r["title"] in text for r in rows)
    month = next(r for r in rows if r["date_precision"] == "month")
    y, m = month["date"].split("-")
    assert f"- {time.strftime('%b', time.strptime(m, '%m'))} {y}: {month['title']}" in text
    one = timeline.describe(timeline.filter_events(types="summit"))
    assert one.startswith("1 event, ")


def test_explorer_filters_change_the_figure_and_the_count(fixture_data):
    rows = raw(fixture_data, "events")
    ex = timeline.timeline_explorer()
    try:
        assert shown_ids(ex.figure) == {r["id"] for r in rows}
        assert f"{len(rows)} events shown" in ex.status.value
        ex.types.value = ("treaty",)
        treaties = {r["id"] for r in rows if r["type"] == "treaty"}
        assert shown_ids(ex.figure) == treaties
        assert f"{len(treaties)} events shown" in ex.status.value
        ex.actors.value = ("usa",)
        both = {r["id"] for r in rows if r["type"] == "treaty" and "usa" in r["actors"]}
        assert shown_ids(ex.figure) == both and set(ex.events["id"]) == both
        ex.islands.value = ("habomai",)
        assert shown_ids(ex.figure) == set() and "0 events shown" in ex.status.value
        ex.reset()
        assert shown_ids(ex.figure) == {r["id"] for r in rows}
        assert ex.text.value.count("\n- ") == len(rows)
    finally:
        ex.close()


def test_explorer_of_an_era_offers_only_that_eras_choices(fixture_data):
    ex = timeline.timeline_explorer(era="shimoda-to-yalta")
    try:
        rows = [r for r in raw(fixture_data, "events") if r["era"] == "shimoda-to-yalta"]
        assert shown_ids(ex.figure) == {r["id"] for r in rows}
        assert set(ex.types.options) == {r["type"] for r in rows}
        actors = {a for r in rows for a in r["actors"].split(";")}
        assert {v for _, v in ex.actors.options} == actors
    finally:
        ex.close()


def test_explorer_can_start_on_the_people_strand_and_be_cleared(fixture_data):
    rows = raw(fixture_data, "events")
    people = {r["id"] for r in rows if r["type"] == "people"}
    ex = timeline.timeline_explorer(types="people")
    try:
        assert people and ex.types.value == ("people",)
        assert shown_ids(ex.figure) == people == set(ex.events["id"])
        assert f"{len(people)} event{'s' if len(people) != 1 else ''} shown" in ex.status.value
        ex.types.value = ()  # the learner clears the preset: every event again
        assert shown_ids(ex.figure) == {r["id"] for r in rows}
    finally:
        ex.close()


def test_explorer_keeps_a_preset_type_the_era_lacks_and_shows_none(fixture_data):
    rows = [r for r in raw(fixture_data, "events") if r["era"] == "shimoda-to-yalta"]
    assert "people" not in {r["type"] for r in rows}
    ex = timeline.timeline_explorer(era="shimoda-to-yalta", types=["people"])
    try:
        assert "people" in ex.types.options and ex.types.value == ("people",)
        assert shown_ids(ex.figure) == set() and "0 events shown" in ex.status.value
    finally:
        ex.close()


def test_explorer_refuses_an_unknown_preset_type_with_the_list(fixture_data):
    with pytest.raises(ValueError, match="peopel.*The types are: treaty"):
        timeline.timeline_explorer(types="peopel")


def test_the_real_people_strand_runs_through_every_era():
    data.reload()
    strand = timeline.filter_events(types="people")
    assert len(strand) >= 12 and set(strand["type"]) == {"people"}
    for era in data.eras()["id"]:
        in_era = timeline.filter_events(era=era, types="people")
        assert len(in_era) >= 2, era
        assert set(in_era["id"]) <= set(strand["id"])
    ex = timeline.timeline_explorer(era="putin-abe", types="people")
    try:
        assert shown_ids(ex.figure) == set(strand[strand["era"] == "putin-abe"]["id"])
    finally:
        ex.close()


def test_explorer_relabels_islands_when_the_naming_changes(fixture_data):
    before = names.convention()
    ex = timeline.timeline_explorer()
    try:
        names.set_convention("japanese")
        ex.islands.value = ("etorofu-iturup",)
        assert ("Etorofu", "etorofu-iturup") in ex.islands.options
        names.set_convention("russian")
        assert ("Iturup", "etorofu-iturup") in ex.islands.options
        assert ex.islands.value == ("etorofu-iturup",)  # the choice survives relabelling
        assert all(islands_line(h).startswith("Islands: Iturup")
                   for t in marker_traces(ex.figure) for h in t.hovertext)
    finally:
        ex.close()
        names.set_convention(before)




def test_importing_the_modules_reads_no_data(tmp_path):
    code = "import helpers.timeline, helpers.positions, helpers.documents; print('ok')"
    env = {"KURIL_DATA_DIR": str(tmp_path / "missing"), "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_the_real_events_draw_with_one_marker_each():
    data.reload()
    ev = data.events()
    fig = timeline.events_timeline()
    assert len([i for t in marker_traces(fig) for i in t.customdata]) == len(ev)
    assert len(marker_traces(fig)) == ev["type"].nunique()


def test_grouping_by_era_labels_rows_with_era_titles_in_order(fixture_data):
    fig = timeline.events_timeline(color="era")
    eras = raw(fixture_data, "eras")
    used = {r["era"] for r in raw(fixture_data, "events")}
    assert list(fig.layout.yaxis.categoryarray) == [e["title"] for e in eras if e["id"] in used]


def test_describe_takes_the_filters_and_reads_as_a_list():
    by_era = timeline.describe(era="tokyo-1993")
    assert by_era == timeline.describe(timeline.filter_events(era="tokyo-1993"))
    lines = by_era.split("\n")
    assert len(lines) == 1 + len(timeline.filter_events(era="tokyo-1993"))
    shown = by_era._repr_markdown_()
    assert shown.split("\n")[1] == "" and shown.count("\n- ") == len(lines) - 1
    only = timeline.describe(types=["treaty"])
    assert only.count("\n- ") == int((data.events()["type"] == "treaty").sum())
    assert all(line.endswith("(treaty)") for line in only.split("\n")[1:])


def test_new_names_and_old_names_are_the_same_functions():
    from helpers import maps, positions

    assert timeline.timeline_explorer is timeline.explorer
    assert positions.positions_explorer is positions.explorer
    assert maps.map_explorer is maps.explorer


def test_the_text_version_is_written_when_opened_or_read_and_follows_the_filters():
    """The closed "Text version" box holds nothing until the learner opens it (a lesson saves no
    second copy of every event); once open, or read from Python, it matches the events shown."""
    ex = timeline.explorer()
    try:
        assert ex._text.value == ""
        ex._text_box.selected_index = 0
        assert ex._text.value.count("\n- ") == len(ex.events) > 0
        ex.types.value = ("treaty",)
        assert ex._text.value.count("\n- ") == len(ex.events) < len(ex._all)
        ex._text_box.selected_index = None
        ex.types.value = ()
        assert ex.text.value.count("\n- ") == len(ex._all)  # reading it writes it
    finally:
        ex.close()
