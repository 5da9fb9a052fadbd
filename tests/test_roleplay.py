"""The role-play: role cards as data (checked, sourced, escaped), the negotiation's Python paths,
its journal (restored on re-run, never lost), and the debrief against 1956, 1993 and 2018-19.

Expected values are read from data/roles/ with a plain YAML reader, not written out here.
"""

import html
import importlib
from pathlib import Path

import pytest
import yaml

from helpers import roleplay, settlement
from helpers._capstone import negotiation as _negotiation
from helpers._common.style import AT_END

ROLES = Path(__file__).resolve().parent.parent / "data" / "roles"
CARD_FILES = sorted(p for p in ROLES.glob("*.yml") if not p.name.startswith("_"))
REQUIRED_ROLES = {
    "japan-prime-minister",
    "russia-president",
    "japan-foreign-minister",
    "russia-foreign-minister",
    "us-secretary-of-state",
    "hokkaido-governor",
    "former-island-residents",
    "current-island-residents",
    "sakhalin-governor",
    "ainu-voices",
}
TEAMS = ["japan-prime-minister", "russia-president", "former-island-residents"]


def raw(name):
    return yaml.safe_load((ROLES / name).read_text(encoding="utf-8"))


@pytest.fixture
def journal(tmp_path, monkeypatch):
    from helpers import journal
    from helpers._journal import book

    monkeypatch.setenv("KURIL_JOURNAL_DIR", str(tmp_path / "journals"))
    importlib.reload(book)  # the engine keeps the kernel's state: start afresh
    yield journal
    book._downloads.clear()


def alert_text(widget):
    assert "kuril-alert" in widget._dom_classes
    return html.unescape(widget.value)


# ---------------------------------------------------------------- cards


class TestCards:
    def test_the_brief_asks_for_these_roles(self):
        assert REQUIRED_ROLES <= {p.stem for p in CARD_FILES}

    def test_the_real_cards_have_no_problems(self):
        assert roleplay.problems() == []

    def test_role_cards_table_matches_the_files(self):
        table = roleplay.role_cards()
        assert set(table.index) == {p.stem for p in CARD_FILES}
        for path in CARD_FILES:
            card = raw(path.name)
            row = table.loc[path.stem]
            assert row["role"] == card["role"] and row["team"] == card["team"]
            assert len(row["goals"]) == len(card["goals"])
            assert len(row["red_lines"]) == len(card["red_lines"])
            assert len(row["knows"]) == len(card["knows"])

    @pytest.mark.parametrize("path", CARD_FILES, ids=lambda p: p.stem)
    def test_every_fact_a_role_knows_cites_a_source(self, path):
        for item in raw(path.name)["knows"]:
            assert isinstance(item, dict) and item.get("sources"), item

    def test_both_governments_have_a_leader_and_a_foreign_minister(self):
        table = roleplay.role_cards()
        for side in ("Japan", "Russia"):
            roles = " ".join(table.loc[table["side"] == side, "role"])
            assert "Foreign Minister" in roles and (
                "Prime Minister" in roles or "President" in roles
            )

    def test_the_administering_region_and_the_ainu_have_their_own_cards(self):
        """Is Sakhalin Oblast a Russian role, and are the Ainu a voice no government speaks for?"""
        table = roleplay.role_cards()
        assert table.loc["sakhalin-governor", "side"] == roleplay.SIDE_WORDS["russia"]
        assert table.loc["ainu-voices", "side"] == roleplay.SIDE_WORDS["other"]
        for role in ("sakhalin-governor", "ainu-voices"):
            card = raw(f"{role}.yml")
            assert all(item.get("sources") for item in card["knows"]), role

    def test_the_current_residents_card_reports_their_opposition_with_a_source(self):
        """Does the residents' card carry what residents were reported to say about a transfer?"""
        card = raw("current-island-residents.yml")
        opposed = [k for k in card["knows"]
                   if isinstance(k, dict) and "against" in k["text"] and k.get("sources")]
        assert opposed, "no sourced report of residents' opposition to a transfer"
        assert any("Russia" in g for g in card["goals"] if isinstance(g, str))

    def test_card_html_shows_goals_red_lines_knowledge_and_citations(self):
        card = raw("russia-president.yml")
        page = roleplay.card_html("russia-president")
        for heading in ("Your goals", "Your red lines", "What you know"):
            assert heading in page
        from helpers._common.labels import citation_table

        page = html.unescape(page)
        assert card["role"] in page
        cites = citation_table()
        for source in card["sources"]:  # cited in short form, never as a raw id
            assert cites[source] in page and source not in page

    def test_unknown_card_suggests_close_ids(self):
        page = roleplay.card_html("russia-presidnet")
        assert "No role card" in page and "russia-president" in page

    def test_viewer_python_path(self):
        viewer = roleplay.card_viewer()
        viewer.value = "hokkaido-governor"
        assert raw("hokkaido-governor.yml")["role"] in viewer.card.value


class TestBadCards:
    def test_a_broken_card_names_file_role_and_field(self, data_copy):
        path = data_copy / "roles" / "hokkaido-governor.yml"
        text = path.read_text(encoding="utf-8")
        text = text.replace("side: japan", "side: hokkaido", 1).replace(
            "sources: [hoppou-islands-data, wessel-smith-1996]", "sources: [no-such-source]", 1
        )
        path.write_text(text + "\nmood: hopeful\n", encoding="utf-8")
        found = "\n".join(str(p) for p in roleplay.problems())
        assert (
            "data/roles/hokkaido-governor.yml, role hokkaido-governor, column/field 'side'" in found
        )
        assert "'no-such-source' is not a known id (see data/sources.csv)" in found
        assert "'mood': is not a known field" in found
        assert "hokkaido-governor" not in roleplay.role_cards().index  # the rest still load

    def test_bad_yaml_and_bad_file_names(self, data_copy):
        (data_copy / "roles" / "Bad Name.yml").write_text("role: x\n", encoding="utf-8")
        (data_copy / "roles" / "broken.yml").write_text("role: [\n", encoding="utf-8")
        found = "\n".join(str(p) for p in roleplay.problems())
        assert "'Bad Name.yml' is not a valid id" in found
        assert "data/roles/broken.yml" in found and "not valid YAML" in found

    def test_two_cards_with_one_team_name(self, data_copy):
        path = data_copy / "roles" / "japan-foreign-minister.yml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "team: Japan (foreign ministry)", "team: Japan", 1
            ),
            encoding="utf-8",
        )
        assert any("team names must differ" in str(p) for p in roleplay.problems())

    def test_a_broken_scenario(self, data_copy):
        path = data_copy / "roles" / "_scenario.yml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "check_date: 2019-01-22", "check_date: soon", 1
            ),
            encoding="utf-8",
        )
        assert any("'check_date'" in str(p) for p in roleplay.problems())
        box = roleplay.negotiation(TEAMS)
        assert "role-play data has problems" in alert_text(box)

    def test_missing_folder_matters_only_when_the_course_uses_the_capstone(
        self, data_copy, monkeypatch
    ):
        import shutil

        from helpers._capstone import files as _capstone

        shutil.rmtree(data_copy / "roles")
        monkeypatch.setattr(_capstone, "lesson_in_course", lambda: True)
        assert any("data/roles" in str(p) and "missing" in str(p) for p in roleplay.problems())
        monkeypatch.setattr(_capstone, "lesson_in_course", lambda: False)
        assert roleplay.problems() == []

    def test_card_text_is_escaped(self, data_copy):
        path = data_copy / "roles" / "hokkaido-governor.yml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "role: Governor of Hokkaido", "role: <img src=x onerror=alert(1)>", 1
            ),
            encoding="utf-8",
        )
        page = roleplay.card_html("hokkaido-governor")
        assert "<img" not in page and "&lt;img" in page


# ---------------------------------------------------------------- the negotiation


class TestNegotiation:
    def test_teams_by_role_id_or_named_pairs(self, journal):
        n = roleplay.negotiation(
            [
                ("Team A", "japan-prime-minister"),
                ("Team B", "russia-president"),
                "us-secretary-of-state",
            ]
        )
        assert list(n.team.options) == [
            "Team A",
            "Team B",
            raw("us-secretary-of-state.yml")["team"],
        ]

    @pytest.mark.parametrize(
        "teams, words",
        [
            (["japan-prime-minister"], "needs 2 to 8 teams"),
            (["japan-prime-minister", "emperor"], "No role card 'emperor'"),
            (
                [("A", "japan-prime-minister"), ("A", "russia-president")],
                "Two teams are called 'A'",
            ),
        ],
    )
    def test_bad_team_lists_give_a_message_not_a_traceback(self, journal, teams, words):
        assert words in alert_text(roleplay.negotiation(teams))

    def test_record_through_the_widgets(self, journal):
        n = roleplay.negotiation(TEAMS)
        first, second = list(n.team.options)[:2]
        assert n.team.value == first and n.round == 1
        n.kind.value = "statement"
        n.text.value = "We want a peace treaty."
        n.record_button.click()
        log = n.log
        assert list(log["team"]) == [first] and list(log["offer"]) == ["We want a peace treaty."]
        assert list(log["round_title"]) == [n.scenario["rounds"][0]["title"]]
        assert n.text.value == "" and n.team.value == second  # next team's turn

    def test_an_offer_needs_text_but_an_acceptance_does_not(self, journal):
        n = roleplay.negotiation(TEAMS)
        n.kind.value = "offer"
        n.text.value = "   "
        n.record_button.click()
        assert len(n.log) == 0 and "needs some text" in n.status.value
        n.kind.value = "accept"
        n.record_button.click()
        assert list(n.log["kind"]) == [_negotiation.KINDS["accept"]]

    def test_record_method_validates(self, journal):
        n = roleplay.negotiation(TEAMS)
        with pytest.raises(ValueError, match="No team"):
            n.record("Atlantis", "offer", "x")
        with pytest.raises(ValueError, match="kind must be one of"):
            n.record("russia-president", "threat", "x")
        offer = n.record("russia-president", "offer", "x" * (_negotiation.MAX_TEXT + 10))
        assert len(offer["offer"]) == _negotiation.MAX_TEXT and "cut to the first" in n.status.value

    def test_rounds_advance_and_stop_at_the_last(self, journal):
        n = roleplay.negotiation(TEAMS)
        total = len(n.scenario["rounds"])
        for _ in range(total + 2):
            n.next_button.click()
        assert n.round == total and not n.next_button.disabled
        assert AT_END in n.next_button._dom_classes and "last round" in n.status.value
        assert f"Round {total} of {total}" in n.round_box.value

    def test_an_attached_design_comes_from_the_designer(self, journal):
        d = settlement.designer()
        d.load("formula-1956")
        n = roleplay.negotiation(TEAMS, designer=d)
        assert not n.attach.disabled
        n.kind.value, n.text.value, n.attach.value = "offer", "The 1956 terms", True
        n.record_button.click()
        assert n.offers[-1]["design"] == settlement.proposal_design("formula-1956")
        from helpers._common.labels import island_label

        expected = f"Japan: {island_label('shikotan')}, {island_label('habomai')}"
        assert expected in n.log["design"].iloc[-1]
        assert n.attach.value is False
        without = roleplay.negotiation(["japan-prime-minister", "russia-president"])
        assert without.attach.disabled

    def test_every_action_is_saved_and_a_rerun_restores_it(self, journal):
        n = roleplay.negotiation(TEAMS)
        n.record("japan-prime-minister", "statement", "Opening")
        n.next_round()
        n.record(
            "russia-president",
            "offer",
            "Two islands, Russian sovereignty",
            design=settlement.design(islands={"habomai": {"administration": "japan"}}),
        )
        saved = journal.get(n.item)["answer"]
        assert saved["round"] == 1 and len(saved["offers"]) == 2
        again = roleplay.negotiation(TEAMS)
        assert again.round == 2 and len(again.offers) == 2
        assert again.offers[1]["design"]["islands"]["habomai"]["administration"] == "japan"
        assert "Restored 2 recorded offers" in again.status.value
        assert again.team.value == list(again.team.options)[2]  # the turn after Russia's

    def test_different_teams_or_sessions_never_overwrite_each_other(self, journal):
        a = roleplay.negotiation(TEAMS)
        a.record("japan-prime-minister", "statement", "A")
        b = roleplay.negotiation(TEAMS, session="period 2")
        c = roleplay.negotiation(TEAMS[:2])
        assert len(b.offers) == 0 and len(c.offers) == 0
        assert len({a.item, b.item, c.item}) == 3
        assert len(roleplay.negotiation(TEAMS).offers) == 1

    def test_learner_text_is_escaped_in_the_log(self, journal):
        n = roleplay.negotiation(TEAMS)
        n.record("japan-prime-minister", "statement", "<script>alert('x')</script>")
        assert "<script>" not in n.log_box.value and "&lt;script&gt;" in n.log_box.value

    def test_debrief_compares_the_last_design_with_each_precedent(self, journal):
        n = roleplay.negotiation(TEAMS)
        n.record(
            "russia-president",
            "offer",
            "1956 terms",
            design=settlement.proposal_design("formula-1956"),
        )
        n.outcome.value, n.outcome_note.value = "partial", "Visits resume; sovereignty open"
        n.debrief_button.click()
        page = html.unescape(n.debrief_box.value)
        assert "Partial agreement" in page and "Visits resume" in page
        for p in settlement.precedents():
            assert p["title"] in page
            for result in set(
                settlement.check(settlement.proposal_design("formula-1956"), p["check_date"])[
                    "result"
                ]
            ):
                assert f"{result}:" in page
        assert journal.get(n.item)["answer"]["outcome"]["outcome"] == "partial"

    def test_debrief_without_a_design_is_qualitative(self, journal):
        n = roleplay.negotiation(TEAMS)
        n.debrief()
        assert "No design was attached" in n.debrief_box.value
        assert "conflicts with:" not in n.debrief_box.value

    def test_log_is_a_dataframe_with_fixed_columns(self, journal):
        n = roleplay.negotiation(TEAMS)
        assert list(n.log.columns) == _negotiation.LOG_COLUMNS and len(n.log) == 0
