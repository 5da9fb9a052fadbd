"""helpers.names: island names under each side's usage, and the switch between them."""

import warnings

import pytest

from helpers import data, names


@pytest.fixture(autouse=True)
def fresh_names():
    """Each test starts from the course default with no listeners, and leaves it that way."""
    saved = list(names._callbacks)
    names._callbacks.clear()
    names._state["convention"] = None
    yield
    names._callbacks[:] = saved
    names._state["convention"] = None


def row(island_id):
    return data.islands().set_index("id").loc[island_id]


class TestIslandName:
    def test_each_convention_uses_its_column(self):
        r = row("etorofu-iturup")
        assert names.island_name("etorofu-iturup", "japanese") == r.name_ja
        assert names.island_name("etorofu-iturup", "russian") == r.name_ru
        assert names.island_name("etorofu-iturup", "both") == f"{r.name_ja} / {r.name_ru}"

    def test_both_names_differ_for_every_disputed_island_but_shikotan(self):
        # Shikotan is spelled the same in both usages, so "both" shows it once
        for island in data.DISPUTED:
            both = names.island_name(island, "both")
            r = row(island)
            if r.name_ja.casefold() == r.name_ru.casefold():
                assert both == r.name_ja
            else:
                assert r.name_ja in both and r.name_ru in both

    def test_no_side_is_the_silent_default(self):
        names.set_convention("russian")
        assert names.island_name("kunashiri-kunashir") == row("kunashiri-kunashir").name_ru
        names.set_convention("japanese")
        assert names.island_name("kunashiri-kunashir") == row("kunashiri-kunashir").name_ja

    def test_unknown_id_names_the_known_ones(self):
        with pytest.raises(ValueError) as err:
            names.island_name("iturup")
        assert "etorofu-iturup" in str(err.value) and "data/islands.csv" in str(err.value)

    def test_island_names_covers_every_row(self):
        assert set(names.island_names("both")) == set(data.islands()["id"])

    def test_names_follow_an_edited_islands_csv(self, data_copy):
        path = data_copy / "islands.csv"
        path.write_text(
            path.read_text(encoding="utf-8").replace(",Iturup,", ",Iturup-test,"), encoding="utf-8"
        )
        data.reload()
        assert names.island_name("etorofu-iturup", "russian") == "Iturup-test"


class TestConvention:
    def test_bad_convention_lists_the_allowed_ones(self):
        with pytest.raises(ValueError) as err:
            names.set_convention("english")
        for allowed in names.CONVENTIONS:
            assert allowed in str(err.value)
        with pytest.raises(ValueError):
            names.island_name("shikotan", "Japanese")

    def test_default_comes_from_course_settings(self, monkeypatch):
        course = pytest.importorskip("helpers.course")
        monkeypatch.setattr(course, "settings", lambda: {"naming": "japanese"})
        assert names.convention() == "japanese"

    def test_unusable_setting_falls_back_to_both(self, monkeypatch):
        course = pytest.importorskip("helpers.course")
        monkeypatch.setattr(course, "settings", lambda: {"naming": "klingon"})
        assert names.convention() == "both"

    def test_default_is_read_from_the_course_file(self, tmp_path, monkeypatch):
        (tmp_path / "course.yml").write_text("naming: russian\n", encoding="utf-8")
        monkeypatch.setenv("KURIL_COURSE_FILE", str(tmp_path / "course.yml"))
        assert names.convention() == "russian"

    def test_broken_course_yml_falls_back_to_both(self, tmp_path, monkeypatch):
        (tmp_path / "course.yml").write_text("naming: [unclosed\n", encoding="utf-8")
        monkeypatch.setenv("KURIL_COURSE_FILE", str(tmp_path / "course.yml"))
        assert names.convention() == "both"

    def test_region_name(self):
        assert names.region_name("japanese") == "Northern Territories"
        assert names.region_name("russian") == "Southern Kurils"
        both = names.region_name("both")
        assert names.region_name("japanese") in both and names.region_name("russian") in both


class TestCallbacks:
    def test_callback_hears_each_change_once(self):
        heard = []
        names.set_convention("both")
        names.on_change(heard.append)
        names.set_convention("russian")
        names.set_convention("russian")  # no change, no call
        names.set_convention("japanese")
        assert heard == ["russian", "japanese"]

    def test_remove_stops_the_calls(self):
        heard = []
        names.set_convention("both")
        names.on_change(heard.append)
        names.on_change(heard.append, remove=True)
        names.set_convention("russian")
        assert heard == []

    def test_a_failing_listener_does_not_stop_the_others(self):
        heard = []
        names.set_convention("both")

        def broken(c):
            raise RuntimeError("boom")

        names.on_change(broken)
        names.on_change(heard.append)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            names.set_convention("japanese")
        assert heard == ["japanese"]
        assert any("boom" in str(w.message) for w in caught)


class TestToggle:
    def test_setting_value_switches_the_convention(self):
        toggle = names.naming_toggle()
        assert toggle.value == names.convention()
        toggle.value = "russian"
        assert names.convention() == "russian"
        assert names.island_name("etorofu-iturup") == row("etorofu-iturup").name_ru

    def test_toggles_in_two_cells_stay_in_step(self):
        first, second = names.naming_toggle(), names.naming_toggle()
        first.value = "japanese"
        assert second.value == "japanese"
        names.set_convention("both")
        assert first.value == second.value == "both"

    def test_offers_exactly_the_conventions(self):
        toggle = names.naming_toggle()
        assert [value for _, value in toggle.options] == list(names.CONVENTIONS)


def test_naming_note_names_both_usages():
    note = names.NAMING_NOTE
    assert names.region_name("japanese") in note and names.region_name("russian") in note
    for island in ("etorofu-iturup", "kunashiri-kunashir"):
        assert row(island).name_ja in note and row(island).name_ru in note


def test_naming_note_displays_the_note_as_markdown():
    note = names.naming_note()
    assert note._repr_markdown_() == names.NAMING_NOTE


@pytest.mark.parametrize("convention", ["japanese", "russian", "both"])
def test_uncontested_places_keep_their_english_name_in_every_convention(convention):
    assert names.island_name("hokkaido", convention) == "Hokkaido"
    assert names.island_name("sakhalin", convention) == "Sakhalin"


def test_habomai_is_labelled_with_each_sides_short_form():
    assert names.island_name("habomai", "japanese") == "Habomai"
    assert names.island_name("habomai", "russian") == "Khabomai"
    assert names.island_name("habomai", "both") == "Habomai / Khabomai"


class _Kernel:
    """Stands in for ipykernel: the parent header of the cell being run."""

    def __init__(self):
        self.cell = None

    def get_parent(self):
        return {"metadata": {"cellId": self.cell}} if self.cell else {}


def test_rerunning_a_cell_replaces_the_callback_it_registered(monkeypatch):
    import IPython

    kernel = _Kernel()
    monkeypatch.setattr(IPython, "get_ipython", lambda: type("Shell", (), {"kernel": kernel})())
    calls = []

    def make(tag):
        def redraw(c):
            calls.append((tag, c))
        return redraw

    kernel.cell = "cell-a"
    names.on_change(make("first run"))
    names.on_change(make("second run"))  # the same cell run again: replaces the first
    kernel.cell = "cell-b"
    names.on_change(make("other cell"))
    kernel.cell = None
    names.on_change(make("outside a notebook"))
    names.set_convention("russian" if names.convention() != "russian" else "japanese")
    assert sorted(tag for tag, _ in calls) == ["other cell", "outside a notebook", "second run"]


# ---------------------------------------------------------------- names inside course texts


class TestPlaceholders:
    @pytest.mark.parametrize("convention", names.CONVENTIONS)
    def test_render_fills_each_placeholder_in_the_convention(self, convention):
        text = "Between {island:etorofu-iturup} and {island:urup}; {island:shikotan}."
        want = (f"Between {names.island_name('etorofu-iturup', convention)} and "
                f"{names.island_name('urup', convention)}; Shikotan.")
        assert names.render(text, convention) == want

    def test_render_follows_the_current_convention(self):
        names.set_convention("russian")
        assert names.render("{island:kunashiri-kunashir}") == "Kunashir"

    def test_text_without_placeholders_is_returned_as_is(self):
        for text in ("Etorofu/Iturup", "{not:one}", "", None, 3):
            assert names.render(text) == text

    def test_unknown_or_unclosed_placeholder_is_named_not_raised(self):
        assert names.render("{island:atlantis}") == "{island:atlantis}"
        problems = names.placeholder_problems("{island:atlantis} and {island:urup")
        assert any("atlantis" in p and "etorofu-iturup" in p for p in problems)
        assert any("not closed" in p for p in problems)
        assert names.placeholder_problems("{island:urup} and {island:shumshu}") == []

    def test_markdown_shows_the_name_and_escapes_the_rest(self):
        from helpers.text import markdown_html

        names.set_convention("japanese")
        out = markdown_html("**{island:etorofu-iturup}** <b>x</b>")
        assert "<strong>Etorofu</strong>" in out and "&lt;b&gt;" in out


def _bank_texts():
    """(file, exercise id, text) for every text of every exercise bank."""
    from helpers._quiz import bank

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                yield from walk(v)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v)
        elif isinstance(value, str):
            yield value

    for name, _path, raw in bank.registry().banks:
        for ex in (raw or {}).get("exercises", []):
            for text in walk(ex):
                yield name, ex.get("id"), text


class TestCourseTexts:
    def test_banks_name_the_islands_through_the_switch(self):
        """The course's own voice writes {island:<id>}: the joined forms ("Etorofu/Iturup")
        appear only in quotation marks, where a text talks about the names themselves."""
        import re

        joined = re.compile(r"Etorofu/Iturup|Kunashiri/Kunashir|Uruppu/Urup")
        found = []
        for name, ex_id, text in _bank_texts():
            bare = re.sub(r'"[^"]*"', "", text)
            if joined.search(bare):
                found.append(f"{name} {ex_id}: {text[:80]!r}")
        assert not found, "\n".join(found)
        assert sum("{island:" in t for _, _, t in _bank_texts()) > 50

    def test_every_placeholder_in_the_banks_names_an_island(self):
        from helpers._quiz import bank

        assert not [p for p in bank.registry().problems if "island" in str(p)]
        for name, ex_id, text in _bank_texts():
            assert names.placeholder_problems(text) == [], (name, ex_id)

    def test_the_check_names_a_bad_placeholder(self, tmp_path):
        from helpers._quiz import bank

        path = tmp_path / "00_start_here.yml"
        path.write_text(
            "lesson: 00_start_here\nexercises:\n  - id: x-bad-name\n    kind: single\n"
            "    prompt: Which is {island:atlantis}?\n    choices:\n"
            "      - {text: '{island:urup}', correct: true}\n      - text: Shikotan\n"
            "    sources: [wessel-smith-1996]\n", encoding="utf-8")
        reg = bank.load([(path, False)], {"wessel-smith-1996"})
        problems = [str(p) for p in reg.problems]
        assert any("prompt" in p and "atlantis" in p for p in problems), problems
        assert not any("choices" in p for p in problems), problems

    def test_the_geo_check_names_a_bad_placeholder(self, monkeypatch):
        from helpers._maps import geo

        rows = [dict(r) for r in geo.step_rows()]
        rows[0]["caption"] = "Between {island:nowhere} and Urup."
        monkeypatch.setattr(geo, "step_rows", lambda: rows)
        problems = [str(p) for p in geo.validate()]
        assert any("steps.csv" in p and "nowhere" in p and "caption" in p for p in problems)


class TestQuizFollowsTheSwitch:
    def test_choices_prompt_and_feedback_switch_and_the_answer_stays(self):
        from helpers import quiz

        names.set_convention("both")
        w = quiz.show("l1-shimoda-boundary")
        try:
            w.answer(0)
            assert w.check().correct is True
            before = w.value
            shown = [label for label, _ in w.input.radio.options]
            assert "Between Etorofu / Iturup and Uruppu / Urup" in shown
            names.set_convention("russian")
            shown = [label for label, _ in w.input.radio.options]
            assert "Between Iturup and Urup" in shown
            assert w.value == before  # the answer is the bank's own text, in any naming
            assert "Iturup" in w.feedback_text and "Etorofu" not in w.feedback_text
            assert "Etorofu" not in w.feedback_area.value
        finally:
            w.close()

    def test_a_lesson_relabels_every_exercise(self):
        from helpers import quiz

        names.set_convention("both")
        lesson = quiz.show_lesson("01_shimoda_to_yalta")
        try:
            names.set_convention("japanese")
            for w in lesson.exercises:
                prompt = w.prompt_area.value
                assert "Iturup" not in prompt and "{island:" not in prompt, w.id
                for control in w.input.controls:
                    for text, _value in getattr(control, "options", ()):
                        assert "{island:" not in text and "Iturup" not in text, (w.id, text)
        finally:
            lesson.close()


def test_hand_in_shows_chosen_answers_in_the_naming_and_typed_text_as_typed():
    from helpers._journal import export

    names.set_convention("japanese")
    chosen = {"kind": "matching", "answer": {"{island:urup}": "north of {island:etorofu-iturup}"}}
    assert export.shown_answer(chosen) == {"Uruppu": "north of Etorofu"}
    typed = {"kind": "short", "answer": "I wrote {island:urup} myself"}
    assert export.shown_answer(typed) == "I wrote {island:urup} myself"
