"""The settlement designer: the rule engine against every stated condition, the checks, holdings
and comparisons, bad data files, the designer widget's Python paths, and the exercise answers
that depend on the engine.

Conditions are read from data/conditions.yml with a plain YAML reader, so a new condition without
an example here fails ``test_every_condition_has_examples``.
"""

import csv
import importlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import data, names, settlement
from helpers._capstone import rules as _rules
from helpers.errors import DataError

REAL = Path(__file__).resolve().parent.parent / "data"
CONDITIONS = yaml.safe_load((REAL / "conditions.yml").read_text(encoding="utf-8"))["conditions"]
BANK = yaml.safe_load(
    (REAL / "exercises" / "05_design_a_settlement.yml").read_text(encoding="utf-8")
)
D = settlement.design
HS = ("shikotan", "habomai")


def formula(**changes):
    """The 1956 formula as encoded in proposals.yml, with settlement-wide changes."""
    d = settlement.proposal_design("formula-1956")
    d.update(changes)
    return d


def two_islands_before_treaty():
    return D(
        islands={
            i: {"sovereignty": "japan", "administration": "japan", "timing": "on_signing"}
            for i in HS
        },
        peace_treaty="later",
    )


ALL_JAPAN = {i: "japan" for i in _rules.ISLANDS}

# condition id -> (a design meeting it, designs conflicting with it, designs it does not address)
EXAMPLES = {
    "jp-1951-habomai-shikotan": (
        D(islands={i: "japan" for i in HS}),
        [settlement.status_quo()],
        [],
    ),
    "jp-1955-all-four-with-the-treaty": (
        D(islands=ALL_JAPAN, peace_treaty="now"),
        [
            formula(),
            D(
                islands={
                    i: {
                        "sovereignty": "japan",
                        "administration": "japan",
                        "timing": "transition",
                        "transition_years": 10,
                    }
                    for i in _rules.ISLANDS
                }
            ),
        ],
        [],
    ),
    "jp-1960-no-troop-link": (
        formula(military="no_restriction"),
        [formula(military="no_foreign_forces_japan")],
        [settlement.status_quo(), formula()],
    ),
    "jp-1991-sovereignty-first": (
        D(
            islands={
                i: {
                    "sovereignty": "japan",
                    "administration": "russia",
                    "timing": "transition",
                    "transition_years": 30,
                }
                for i in _rules.ISLANDS
            }
        ),
        [formula(), settlement.status_quo()],
        [],
    ),
    "jp-1993-attribution-before-treaty": (
        D(islands=ALL_JAPAN, peace_treaty="now"),
        [
            formula(),
            settlement.proposal_design("akaha-vassilieva-2005"),
            D(peace_treaty="now"),  # a treaty leaving all four Russian: the mirror case
        ],
        [formula(peace_treaty="later")],
    ),
    "jp-2018-handover-is-sovereignty": (
        formula(),
        [D(islands={"habomai": {"sovereignty": "russia", "administration": "japan"}})],
        [settlement.status_quo()],
    ),
    "jp-2022-visits": (
        D(former_residents="visa_free"),
        [D(former_residents="none")],
        [settlement.status_quo()],
    ),
    "both-2016-no-prejudice": (
        D(joint_economic="special_framework"),
        [D(joint_economic="sovereign_law")],
        [D(joint_economic="none")],
    ),
    "ussr-1946-settled": (settlement.status_quo(), [D(islands={"habomai": "japan"})], []),
    "ussr-1956-two-islands-after-treaty": (
        formula(),
        [two_islands_before_treaty(), D(islands={"kunashiri-kunashir": "japan"})],
        [],
    ),
    "ussr-1960-foreign-troops": (
        formula(military="no_foreign_forces_japan"),
        [formula(military="no_restriction")],
        [formula()],
    ),
    "ussr-1961-no-territorial-question": (
        settlement.status_quo(),
        [D(islands={"habomai": {"administration": "joint"}})],
        [],
    ),
    "ussr-1991-communique": (
        settlement.status_quo(),
        [settlement.proposal_design("akaha-vassilieva-2005")],
        [],
    ),
    "ru-1991-law-and-justice": (
        settlement.status_quo(),
        [settlement.proposal_design("akaha-vassilieva-2005")],
        [],
    ),
    "ru-1992-two-islands-then-talks": (
        formula(),
        [
            D(islands=ALL_JAPAN, peace_treaty="now"),
            settlement.proposal_design("kawana-1998"),
            D(islands={"kunashiri-kunashir": {"administration": "japan"}}),
        ],
        [],
    ),
    "ru-1993-attribution-before-treaty": (
        formula(),
        [settlement.proposal_design("akaha-vassilieva-2005")],
        [formula(peace_treaty="none")],
    ),
    "ru-2000-1956-declaration": (
        formula(),
        [two_islands_before_treaty()],
        [settlement.status_quo()],
    ),
    "ru-2005-1956-two-islands-only": (
        formula(),
        [
            two_islands_before_treaty(),
            D(islands=ALL_JAPAN, peace_treaty="now"),
            D(islands={"etorofu-iturup": {"administration": "joint"}}),
        ],
        [],
    ),
    "ru-2005-not-for-discussion": (
        settlement.status_quo(),
        [D(islands={"kunashiri-kunashir": "japan"}), D(islands={"etorofu-iturup": "shared"})],
        [],
    ),
    "ru-2017-no-us-forces": (
        formula(military="demilitarised_islands"),
        [formula(military="no_restriction")],
        [settlement.status_quo(), formula()],
    ),
    "ru-2019-recognise-outcome-of-war": (
        D(
            islands={i: {"sovereignty": "russia", "administration": "japan"} for i in HS},
            peace_treaty="now",
        ),
        [formula(), D(islands={"etorofu-iturup": "shared"})],
        [],
    ),
    "ru-2020-constitution": (settlement.status_quo(), [], []),
    "ru-2022-talks-suspended": (
        D(joint_economic="none", former_residents="none"),
        [
            D(peace_treaty="now"),
            D(former_residents="visa_free"),
            D(joint_economic="special_framework"),
        ],
        [settlement.status_quo()],
    ),
}
# condition id -> designs on which the record is silent (a clause marked when_broken: unclear)
UNCLEAR = {
    "ussr-1991-communique": [formula(), D(islands=ALL_JAPAN, peace_treaty="now")],
    "ru-1991-law-and-justice": [formula(), D(islands={"habomai": {"administration": "joint"}})],
    "ru-1992-two-islands-then-talks": [
        D(islands={"etorofu-iturup": {"sovereignty": "shared", "administration": "joint"}})
    ],
    "ru-2005-not-for-discussion": [formula()],
    "ru-2020-constitution": [formula(), D(islands={"shikotan": "shared"})],
}


@pytest.fixture
def journal(tmp_path, monkeypatch):
    """A fresh journal in a temporary folder (as a new kernel would see it)."""
    from helpers import journal
    from helpers._journal import book

    monkeypatch.setenv("KURIL_JOURNAL_DIR", str(tmp_path / "journals"))
    importlib.reload(book)  # the engine keeps the kernel's state: start afresh
    yield journal
    book._downloads.clear()


@pytest.fixture
def both_names():
    before = names.convention()
    names.set_convention("both")
    yield
    names.set_convention(before)


def day(text, shift=0):
    return (pd.Timestamp(text) + pd.Timedelta(days=shift)).strftime("%Y-%m-%d")


# ---------------------------------------------------------------- the engine, each condition


class TestEveryCondition:
    def test_every_condition_has_examples(self):
        """Is each condition in conditions.yml tested with a design that meets and breaks it?"""
        missing = {c["id"] for c in CONDITIONS} - set(EXAMPLES)
        assert not missing, f"add examples for: {sorted(missing)}"
        assert not set(EXAMPLES) - {c["id"] for c in CONDITIONS}
        assert set(UNCLEAR) == {c["id"] for c in CONDITIONS if _rules.has_unclear(c["rule"])}

    @pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c["id"])
    def test_meets_and_breaks(self, condition):
        meets, breaks, silent = EXAMPLES[condition["id"]]
        unclear = UNCLEAR.get(condition["id"], [])
        rule = condition["rule"]
        assert _rules.evaluate(rule, _rules.normalise(meets))[0] == _rules.MEETS
        assert breaks or unclear, "each condition needs a design that breaks it"
        assert bool(breaks) == _rules.can_conflict(rule)
        for design in breaks:
            result, details = _rules.evaluate(rule, _rules.normalise(design))
            assert result == _rules.CONFLICTS
            assert details and all(d[4] == "broken" for d in details)
        for design in unclear:
            result, details = _rules.evaluate(rule, _rules.normalise(design))
            assert result == _rules.UNCLEAR
            assert details and all(d[4] == "unclear" for d in details)
        for design in silent:
            assert _rules.evaluate(rule, _rules.normalise(design))[0] == _rules.NOT_ADDRESSED_RESULT

    @pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: c["id"])
    def test_check_reports_it_on_its_first_and_last_day_only(self, condition):
        meets, breaks, _ = EXAMPLES[condition["id"]]
        start = str(condition["from_date"])
        result, key = ("conflicts with", "conflicts") if breaks else ("unclear", "unclear")
        table = settlement.check((breaks or UNCLEAR[condition["id"]])[0], start)
        row = table[table["id"] == condition["id"]]
        assert list(row["result"]) == [result]
        assert " ".join(str(condition["explain"][key]).split()) in row["explanation"].iloc[0]
        assert condition["id"] not in set(settlement.check(meets, day(start, -1))["id"])
        if condition.get("to_date"):
            end = str(condition["to_date"])
            last = settlement.check(meets, end)
            assert list(last.loc[last["id"] == condition["id"], "result"]) == ["meets"]
            assert condition["id"] not in set(settlement.check(meets, day(end, 1))["id"])


class TestDatedPositions:
    """Periods the sources fix: a condition must be in force where the record puts it."""

    def ids_at(self, date):
        return set(settlement.conditions(date)["id"])

    def test_tokyo_offered_flexibility_only_after_russias_approach_of_late_1991(self):
        # Cabinet answers of 26 Oct and 6 Nov 2007: no flexibility before Russia's new approach.
        mid_1991 = self.ids_at("1991-09-01")
        assert "jp-1955-all-four-with-the-treaty" in mid_1991
        assert "jp-1991-sovereignty-first" not in mid_1991
        assert "jp-1991-sovereignty-first" in self.ids_at("1992-09-01")

    def test_moscows_2017_19_conditions_outlive_the_2020_constitution(self):
        # Lavrov (July 2020) and Putin (June 2021) restated them; talks suspended 21 March 2022.
        in_2021 = self.ids_at("2021-06-04")
        for cid in (
            "ru-2005-1956-two-islands-only",
            "ru-2017-no-us-forces",
            "ru-2019-recognise-outcome-of-war",
            "ru-2020-constitution",
        ):
            assert cid in in_2021
        after = self.ids_at("2022-03-21")
        assert "ru-2019-recognise-outcome-of-war" not in after
        assert {"ru-2020-constitution", "ru-2022-talks-suspended"} <= after

    def test_the_1960_condition_gives_way_to_the_1961_position(self):
        # Khrushchev's letters to Ikeda run from 12 August to 8 December 1961.
        assert "ussr-1960-foreign-troops" in self.ids_at("1961-08-11")
        later = self.ids_at("1961-08-12")
        assert "ussr-1960-foreign-troops" not in later
        assert "ussr-1961-no-territorial-question" in later


# ---------------------------------------------------------------- the engine's own rules


class TestEngine:
    def test_a_condition_cannot_be_met_by_saying_nothing(self):
        rule = [
            {"islands": ["etorofu-iturup"], "require": {"sovereignty": ["russia"]}},
            {"settlement_require": {"military": ["demilitarised_islands"]}},
        ]
        result, details = _rules.evaluate(rule, _rules.status_quo())
        assert result == _rules.NOT_ADDRESSED_RESULT
        assert details == [(None, "military", "not_addressed", ["demilitarised_islands"], "silent")]

    def test_a_clause_whose_where_matches_nothing_does_not_count(self):
        rule = [{"where": {"changes_hands": [True]}, "require": {"after_peace_treaty": [True]}}]
        assert _rules.evaluate(rule, _rules.status_quo())[0] == _rules.NOT_ADDRESSED_RESULT
        moved = D(islands={"habomai": "japan"})
        assert _rules.evaluate(rule, moved)[0] == _rules.CONFLICTS
        assert (
            _rules.evaluate(rule, D(islands={"habomai": "japan"}, peace_treaty="now"))[0]
            == _rules.MEETS
        )

    def test_worked_out_facts(self):
        d = D(
            islands={
                "habomai": {"sovereignty": "deferred"},
                "shikotan": {"administration": "joint"},
            },
            peace_treaty="later",
        )
        assert not _rules.derived(d["islands"]["habomai"], d)["changes_hands"]
        assert _rules.derived(d["islands"]["shikotan"], d)["changes_hands"]
        assert not _rules.derived(d["islands"]["shikotan"], d)["after_peace_treaty"]
        d["islands"]["shikotan"]["timing"] = "peace_treaty"
        assert _rules.derived(d["islands"]["shikotan"], d)["after_peace_treaty"]

    @pytest.mark.parametrize(
        "design, words",
        [
            ({"islands": {"hokkaido": "japan"}}, ["Unknown island 'hokkaido'", "etorofu-iturup"]),
            (
                {"islands": {"habomai": "chinese"}},
                ["island habomai", "sovereignty 'chinese'", "'japan'"],
            ),
            ({"islands": {"habomai": {"transition_years": 120}}}, ["between 1 and 99"]),
            ({"islands": {"habomai": {"transition_years": "ten"}}}, ["whole number"]),
            ({"islands": {"habomai": {"flag": "x"}}}, ["unknown choice 'flag'"]),
            ({"military": "nuclear"}, ["military 'nuclear'", "'no_foreign_forces_japan'"]),
            ({"treaty": "now"}, ["Unknown design field", "peace_treaty"]),
            ("japan", ["A design is a dict"]),
        ],
    )
    def test_bad_designs_say_what_is_allowed(self, design, words):
        with pytest.raises(ValueError) as err:
            _rules.normalise(design)
        for w in words:
            assert w in str(err.value)

    def test_shorthand_sets_matching_administration(self):
        d = D(islands={"habomai": "japan", "shikotan": "shared", "etorofu-iturup": "deferred"})
        assert d["islands"]["habomai"]["administration"] == "japan"
        assert d["islands"]["shikotan"]["administration"] == "joint"
        assert d["islands"]["etorofu-iturup"]["administration"] == "russia"

    def test_rule_problems_name_the_clause_and_field(self):
        found = _rules.rule_problems(
            [
                {"islands": ["hokkaido"], "require": {"sovereignty": ["japan"]}},
                {"require": {"colour": ["red"]}},
                {"settlement_require": {"military": ["yes"]}},
                {"where": {"changes_hands": ["true"]}, "require": {"sovereignty": ["japan"]}},
                {"islands": "all"},
            ]
        )
        text = "\n".join(found)
        assert "clause 1: islands must be" in text
        assert "clause 2: 'require' names unknown field 'colour'" in text
        assert "clause 3: 'settlement_require.military' has 'yes'" in text
        assert "clause 4: 'where.changes_hands' has 'true'" in text  # text, not a boolean
        assert "clause 5 has neither 'require' nor 'settlement_require'" in text
        assert _rules.rule_problems([]) == ["must be a list of one or more clauses"]

    def test_silence_cannot_be_listed_as_meeting_a_condition(self):
        found = _rules.rule_problems(
            [
                {"settlement_require": {"military": ["not_addressed", "no_restriction"]}},
                {"settlement_where": {"joint_economic": ["not_addressed"]}, "require": {}},
                {"settlement_require": {"peace_treaty": ["now"]}, "when_broken": "maybe"},
            ]
        )
        text = "\n".join(found)
        assert "clause 1: 'settlement_require.military' lists not_addressed" in text
        assert "clause 2: 'settlement_where" not in text  # a filter may test for silence
        assert "clause 3: when_broken 'maybe' is not allowed; use: conflicts, unclear" in text

    def test_a_clause_marked_unclear_never_conflicts_and_never_meets_when_broken(self):
        rule = [
            {"islands": ["etorofu-iturup"], "require": {"sovereignty": ["russia"]}},
            {
                "islands": ["habomai"],
                "require": {"sovereignty": ["russia"]},
                "when_broken": "unclear",
            },
        ]
        assert _rules.evaluate(rule, _rules.status_quo()) == (_rules.MEETS, [])
        result, details = _rules.evaluate(rule, D(islands={"habomai": "japan"}))
        assert result == _rules.UNCLEAR
        assert details == [("habomai", "sovereignty", "japan", ["russia"], "unclear")]
        words = _rules.detail_sentences(details)
        assert words == [
            "habomai: in your design the sovereignty is “Japan”; the record does not say if that "
            "is acceptable."
        ]
        # a plain conflict elsewhere outranks it
        both = D(islands={"habomai": "japan", "etorofu-iturup": "japan"})
        assert _rules.evaluate(rule, both)[0] == _rules.CONFLICTS
        # and silence on something needed still outranks nothing: unclear before not addressed
        silent = [*rule, {"settlement_require": {"military": ["no_restriction"]}}]
        assert _rules.evaluate(silent, D(islands={"habomai": "japan"}))[0] == _rules.UNCLEAR
        assert _rules.evaluate(silent, settlement.status_quo())[0] == _rules.NOT_ADDRESSED_RESULT
        assert _rules.has_unclear(rule) and _rules.can_conflict(rule)
        assert not _rules.can_conflict(rule[1:])

    def test_no_condition_in_the_data_lets_silence_meet_it(self):
        for c in CONDITIONS:
            for clause in c["rule"]:
                for key in ("require", "settlement_require"):
                    for allowed in (clause.get(key) or {}).values():
                        assert "not_addressed" not in allowed, c["id"]


# ---------------------------------------------------------------- check, holdings, compare


class TestCheck:
    def test_a_year_means_its_last_day(self):
        late = [c for c in CONDITIONS if str(c["from_date"])[5:] not in ("01-01",)]
        c = late[0]
        year = str(c["from_date"])[:4]
        assert c["id"] in set(settlement.check(settlement.status_quo(), year)["id"])

    def test_explanations_name_islands_in_the_chosen_convention(self, both_names):
        table = settlement.check(formula(), "2019-01-22", naming="russian")
        text = table.loc[table["id"] == "jp-1991-sovereignty-first", "explanation"].iloc[0]
        assert "Iturup" in text and "Etorofu" not in text
        table = settlement.check(formula(), "2019-01-22", naming="japanese")
        text = table.loc[table["id"] == "jp-1991-sovereignty-first", "explanation"].iloc[0]
        assert "Etorofu" in text and "Iturup" not in text

    def test_quotes_appear_only_where_the_data_gives_verified_wording(self):
        table = settlement.check(formula(), "2019-01-22")
        by_id = {c["id"]: c for c in CONDITIONS}
        for _, row in table.iterrows():
            quote = by_id[row["id"]].get("quote")
            assert bool(row["quote"]) == bool(quote)
            if quote:
                assert quote["status"] in ("official", "third-party")
                assert row["quote_note"]

    def test_results_use_only_the_four_words(self):
        seen = set()
        for date in settlement.CHECK_DATES:
            results = set(settlement.check(formula(), date)["result"])
            assert results <= {"meets", "conflicts with", "not addressed", "unclear"}
            seen |= results
        assert "unclear" in seen  # the 1956 formula in 1991 and in 2016

    def test_a_date_with_no_stated_condition_gives_an_empty_table(self):
        table = settlement.check(settlement.status_quo(), "1920")
        assert len(table) == 0 and list(table.columns)[:3] == ["government", "condition", "result"]

    def test_unaddressed_choices_are_those_no_condition_tests(self):
        assert set(settlement.unaddressed_choices(formula(), "2019-01-22")) == {
            "residents",
            "former_residents",
        }
        assert "former_residents" not in settlement.unaddressed_choices(formula(), "2022")

    def test_sources_are_short_citations_of_known_ids(self):
        table = settlement.check(formula(), "2019-01-22")
        assert table["sources"].str.len().gt(0).all()
        assert not table["sources"].str.contains("text-lavrov-2019").any()  # cited, not raw ids


class TestHoldings:
    def rows(self):
        with open(REAL / "islands.csv", encoding="utf-8") as f:
            return {r["id"]: r for r in csv.DictReader(f) if r["id"] in _rules.ISLANDS}

    def test_areas_and_people_add_up_from_islands_csv(self):
        rows = self.rows()
        table = settlement.holdings(formula()).set_index("side")
        japan = [rows[i] for i in HS]
        assert table.loc["Japan", "area_km2"] == pytest.approx(
            sum(float(r["area_km2"]) for r in japan)
        )
        assert table.loc["Japan", "residents_1945"] == sum(
            int(r["japanese_residents_1945"]) for r in japan
        )
        assert table.loc["Russia", "population"] == sum(
            int(rows[i]["russian_population"]) for i in ("etorofu-iturup", "kunashiri-kunashir")
        )
        total = sum(float(r["area_km2"]) for r in rows.values())
        assert table["area_km2"].sum() == pytest.approx(total)

    def test_an_island_without_a_population_figure_is_named_not_counted_as_zero(self, both_names):
        table = settlement.holdings(D(islands={"habomai": "japan"})).set_index("side")
        assert (
            "no civilian population recorded for Habomai" in table.loc["Japan", "population_note"]
        )

    def test_by_administration(self):
        d = D(islands={"habomai": {"sovereignty": "russia", "administration": "joint"}})
        table = settlement.holdings(d, by="administration").set_index("administration")
        assert "Habomai" in table.loc["Joint administration", "islands"]
        with pytest.raises(ValueError):
            settlement.holdings(d, by="colour")


class TestCompare:
    def test_a_proposal_compared_with_itself_has_no_differences(self):
        for pid in settlement.proposals()["id"]:
            row = settlement.compare(settlement.proposal_design(pid)).set_index("id").loc[pid]
            assert row["same"] == row["of"] and row["differences"] == "none"

    def test_differences_name_island_and_choice(self, both_names):
        d = formula()
        d["islands"]["shikotan"]["sovereignty"] = "shared"
        row = settlement.compare(d).set_index("id").loc["formula-1956"]
        assert row["same"] == row["of"] - 1
        assert (
            "Shikotan, sovereignty: yours “Shared (joint sovereignty)”, theirs “Japan”"
            in row["differences"]
        )

    def test_area_columns_follow_each_proposals_sovereignty(self):
        table = settlement.compare(settlement.status_quo()).set_index("id")
        four = table.loc["four-islands"]
        assert four["russia_km2"] == 0 and four["japan_km2"] > 5000
        assert table.loc["joint-economic-2016", "other_km2"] == four["japan_km2"]

    def test_unknown_proposal_lists_the_known_ones(self):
        with pytest.raises(ValueError, match="formula-1956"):
            settlement.proposal_design("formula-1955")


# ---------------------------------------------------------------- words and the map


class TestWordsAndMap:
    def test_describe_gives_every_island_and_choice(self, both_names):
        text = settlement.describe(settlement.proposal_design("akaha-vassilieva-2005"))
        assert (
            "**Shikotan**: sovereignty Japan; administered by Japan; "
            "takes effect after a transition of 20 years." in text
        )
        assert "Current residents: May stay permanently." in text
        assert text.count("- **") == 4

    def test_describe_flags_choices_that_do_not_fit(self):
        d = D(islands={"habomai": {"sovereignty": "japan", "timing": "peace_treaty"}})
        assert "the handover would never happen" in settlement.describe(d)

    def test_map_colours_each_island_by_its_sovereignty(self):
        from helpers._capstone import designmap as _designmap

        d = D(islands={"habomai": "japan", "shikotan": "shared", "kunashiri-kunashir": "deferred"})
        fig = settlement.design_map(d).to_dict()
        zones = {t["meta"]: t for t in fig["data"] if t.get("fill") == "toself" and t.get("meta")}
        for island, sov in [
            ("habomai", "japan"),
            ("shikotan", "shared"),
            ("kunashiri-kunashir", "deferred"),
            ("etorofu-iturup", "russia"),
        ]:
            colour, pattern, _ = _designmap.STYLES[sov]
            assert zones[island]["fillcolor"] == colour
            assert zones[island]["fillpattern"]["shape"] == pattern
        legend = [t["name"] for t in fig["data"] if t.get("legendgroup") == "held"
                  and t.get("showlegend", True)]
        assert legend == ["Japan", "Russia", "Shared sovereignty", "Left undecided"]
        assert zones["hokkaido"]["fillcolor"] == _designmap.OTHER[0]

    def test_map_marks_administration_that_differs_from_sovereignty(self):
        from helpers._capstone import designmap as _designmap

        d = D(islands={"habomai": {"sovereignty": "russia", "administration": "japan"}})
        fig = settlement.design_map(d).to_dict()
        def outlined(fig):  # island: its border's colour, where it is dashed
            return {t["meta"]: t["line"]["color"] for t in fig["data"]
                    if t.get("meta") in settlement.ISLANDS
                    and t.get("line", {}).get("dash") == "dash"}

        def legend(fig):
            return [t["name"] for t in fig["data"] if str(t.get("meta", "")).startswith("admin-")
                    and t.get("showlegend", True)]

        assert outlined(fig) == {"habomai": _designmap.ADMIN_INK["japan"]}
        assert legend(fig) == ["Administered by Japan (dashed outline)"]
        plain = settlement.design_map(settlement.status_quo()).to_dict()
        assert outlined(plain) == {} and legend(plain) == []
        # every design draws the same traces: a change of design restyles them
        assert [t.get("meta") for t in plain["data"]] == [t.get("meta") for t in fig["data"]]

    def test_map_hover_follows_the_naming_convention(self):
        labels = [
            t
            for t in settlement.design_map(formula(), naming="russian").to_dict()["data"]
            if t.get("meta") == "labels"
        ][0]
        assert any("Iturup" in h for h in labels["hovertext"])
        assert not any("Etorofu" in h for h in labels["hovertext"])


# ---------------------------------------------------------------- bad data files


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def edit_entry(text, entry_id, old, new):
    """Replace ``old`` with ``new`` inside one entry (from its "- id:" line to the next)."""
    head, sep, rest = text.partition(f"  - id: {entry_id}\n")
    assert sep, entry_id
    body, nxt, tail = rest.partition("\n  - id: ")
    assert old in body
    return head + sep + body.replace(old, new, 1) + nxt + tail


class TestBadFiles:
    def test_the_real_files_have_no_problems(self):
        assert settlement.problems() == []

    @pytest.mark.parametrize(
        "edit, words",
        [
            (
                lambda t: t.replace(
                    "sources: [mofa-faq-nt, kantei-2012-05-07",
                    "sources: [mofa-faq-nt, kantei-2012-05-99",
                    1,
                ),
                [
                    "condition jp-1991-sovereignty-first",
                    "'sources'",
                    "'kantei-2012-05-99' is not a known id",
                ],
            ),
            (
                lambda t: edit_entry(
                    t,
                    "jp-1991-sovereignty-first",
                    "require: {sovereignty: [japan]}",
                    "require: {sovereignty: [nippon]}",
                ),
                [
                    "condition jp-1991-sovereignty-first, column/field 'rule'",
                    "'require.sovereignty' has 'nippon'",
                ],
            ),
            (
                lambda t: t.replace("      status: official\n", "      status: probably\n", 1),
                ["'quote.status'", "'probably' is not allowed"],
            ),
            (
                lambda t: t.replace("    from_date: 1992-01-01", "    from_date: early 1992", 1),
                ["'from_date'", "'early 1992' is not a date"],
            ),
            (
                lambda t: t.replace("    title: No link", "    titel: No link", 1),
                ["'titel'", "is not a known field", "'title'", "is required"],
            ),
            (
                lambda t: edit_entry(
                    t,
                    "ru-2020-constitution",
                    "      unclear: >",
                    "      unclair: >",
                ),
                [
                    "condition ru-2020-constitution, column/field 'unclear': is required",
                    "'unclair': is not a known field",
                ],
            ),
            (
                lambda t: t + "\n  - id: jp-1991-sovereignty-first\n",
                ["duplicate id 'jp-1991-sovereignty-first'"],
            ),
            (lambda t: t.replace("conditions:", "conditions: [", 1), ["not valid YAML"]),
            (
                lambda t: t.replace(
                    "  - id: jp-1951", "  - id: !!python/object:os.system jp-1951", 1
                ),
                ["tags such as"],
            ),
        ],
    )
    def test_a_broken_conditions_file_is_reported_with_file_entry_and_field(
        self, data_copy, edit, words
    ):
        path = data_copy / "conditions.yml"
        write(path, edit(path.read_text(encoding="utf-8")))
        text = "\n".join(str(p) for p in settlement.problems())
        assert "data/conditions.yml" in text
        for w in words:
            assert w in text

    def test_a_broken_proposal_is_reported(self, data_copy):
        path = data_copy / "proposals.yml"
        text = path.read_text(encoding="utf-8").replace(
            "peace_treaty: now", "peace_treaty: soon", 1
        )
        write(path, text.replace("kind: position", "kind: rumour", 1))
        found = "\n".join(str(p) for p in settlement.problems())
        assert "data/proposals.yml, proposal formula-1956, column/field 'design'" in found
        assert "peace_treaty 'soon' is not allowed" in found
        assert "proposal four-islands, column/field 'kind': 'rumour' is not allowed" in found

    def test_a_missing_file_is_a_problem_only_when_the_course_uses_the_capstone(
        self, data_copy, monkeypatch
    ):
        from helpers._capstone import files as _capstone

        (data_copy / "conditions.yml").unlink()
        monkeypatch.setattr(_capstone, "lesson_in_course", lambda: True)
        assert any(
            "data/conditions.yml" in str(p) and "missing" in str(p) for p in settlement.problems()
        )
        monkeypatch.setattr(_capstone, "lesson_in_course", lambda: False)
        assert not any("conditions.yml" in str(p) for p in settlement.problems())

    def test_check_skips_a_broken_entry_and_keeps_the_rest(self, data_copy):
        path = data_copy / "conditions.yml"
        write(
            path,
            edit_entry(
                path.read_text(encoding="utf-8"),
                "jp-1991-sovereignty-first",
                "require: {sovereignty: [japan]}",
                "require: {sovereignty: [nippon]}",
            ),
        )
        table = settlement.check(formula(), "2019-01-22")
        assert "jp-1991-sovereignty-first" not in set(table["id"])
        assert "ru-2019-recognise-outcome-of-war" in set(table["id"])

    def test_the_designer_shows_the_problem_instead_of_failing(self, data_copy, journal):
        path = data_copy / "conditions.yml"
        write(path, path.read_text(encoding="utf-8").replace("conditions:", "conditions: [", 1))
        d = settlement.designer()
        assert "Some capstone data could not be used" in d.problems_box.value
        assert "not valid YAML" in d.problems_box.value
        assert len(d.findings) == 0

    def test_instructor_check_lists_capstone_problems(self, data_copy, capsys):
        from helpers.instructor import __main__ as cli

        path = data_copy / "conditions.yml"
        write(
            path, path.read_text(encoding="utf-8").replace("actors: [japan]", "actors: [nippon]", 1)
        )
        code = cli.main(["check"])
        out = capsys.readouterr().out
        assert code == 1 and "Traceback" not in out
        assert (
            "data/conditions.yml, condition jp-1951-habomai-shikotan, column/field 'actors'" in out
        )


# ---------------------------------------------------------------- the designer widget


class TestDesigner:
    def test_setting_a_control_rechecks_and_redraws(self, journal):
        d = settlement.designer(date="2019-01-22")
        before = d.findings.set_index("id")["result"].to_dict()
        fig_before = d.figure
        d.controls["habomai"]["sovereignty"].value = "japan"
        after = d.findings.set_index("id")["result"].to_dict()
        assert before["ru-2019-recognise-outcome-of-war"] == "meets"
        assert after["ru-2019-recognise-outcome-of-war"] == "conflicts with"
        assert d.figure is not fig_before
        assert d.design["islands"]["habomai"]["sovereignty"] == "japan"
        assert "conflicts with" in d.findings_box.value

    def test_a_settlement_wide_change_keeps_the_map(self, journal):
        d = settlement.designer()
        fig = d.figure
        d.controls["settlement"]["military"].value = "no_restriction"
        assert d.figure is fig and d.design["military"] == "no_restriction"

    def test_load_a_proposal_by_button_and_by_method(self, journal):
        d = settlement.designer()
        d.start_from.value = "akaha-vassilieva-2005"
        d.load_button.click()
        assert d.design == settlement.proposal_design("akaha-vassilieva-2005")
        assert d.controls["shikotan"]["transition_years"].value == 20
        assert not d.controls["shikotan"]["transition_years"].disabled
        assert d.controls["etorofu-iturup"]["transition_years"].disabled
        d.load("status-quo")
        assert d.design == settlement.status_quo()
        assert d.start_from.value == "status-quo"

    def test_date_changes_the_conditions(self, journal):
        d = settlement.designer(design=formula(), date="2019-01-22")
        d.date.value = "1956"
        assert set(d.findings["id"]) == {
            "jp-1955-all-four-with-the-treaty",
            "ussr-1956-two-islands-after-treaty",
        }
        assert "the end of 1956" in d.findings_box.value

    def test_design_setter_and_a_bad_date(self, journal):
        d = settlement.designer()
        d.design = {"islands": {"habomai": "japan"}, "peace_treaty": "now"}
        assert d.controls["habomai"]["administration"].value == "japan"
        assert d.controls["settlement"]["peace_treaty"].value == "now"
        extra = settlement.designer(date="2018-11-14")
        assert "2018-11-14" in extra.dates
        with pytest.raises(ValueError, match="is not a date"):
            settlement.designer(date="14 Nov 2018")

    def test_save_keeps_design_date_and_findings_and_a_new_designer_restores_them(self, journal):
        d = settlement.designer(design=formula(), date="2022")
        d.save_button.click()
        entry = journal.get("l5-design")
        assert entry["answer"]["design"] == formula()
        assert entry["answer"]["date"] == "2022"
        assert entry["answer"]["findings"]["ru-2022-talks-suspended"] == "conflicts with"
        summary = entry["answer"]["summary"]  # the same in words, for the download
        assert any(line.startswith("Shikotan: sovereignty Japan") for line in summary)
        assert any(line.endswith(": conflicts with") and "Russia" in line for line in summary)
        again = settlement.designer()
        assert again.design == formula() and again.date.value == "2022"
        assert "saved in your journal" in again.save_status.value
        again.controls["habomai"]["sovereignty"].value = "shared"
        assert "Changed since you last saved" in again.save_status.value

    def test_learner_text_in_the_data_is_escaped(self, data_copy, journal):
        path = data_copy / "conditions.yml"
        write(
            path,
            edit_entry(
                path.read_text(encoding="utf-8"),
                "jp-2022-visits",
                "title: Resume visits",
                "title: <script>alert(1)</script> Resume visits",
            ),
        )
        d = settlement.designer(date="2022")
        assert "<script>" not in d.findings_box.value and "&lt;script&gt;" in d.findings_box.value

    def test_naming_switch_relabels_the_grid(self, journal, both_names):
        d = settlement.designer()
        names.set_convention("russian")
        try:
            assert "Iturup" in d.island_labels["etorofu-iturup"].value
            assert "Etorofu" not in d.island_labels["etorofu-iturup"].value
        finally:
            names.set_convention("both")
            d.close()


# ---------------------------------------------------------------- exercise answers from the engine


def exercise(ex_id):
    return next(e for e in BANK["exercises"] if e["id"] == ex_id)


class TestExerciseAnswers:
    def test_formula_1956_conflicts_in_january_2019(self):
        choice_to_id = {
            "Tokyo: Japanese sovereignty over the four islands first": "jp-1991-sovereignty-first",
            "Tokyo: settle that all four islands are Japan's, then conclude the peace treaty": (
                "jp-1993-attribution-before-treaty"
            ),
            "Moscow: first, Japan recognises Russian sovereignty over all the islands": (
                "ru-2019-recognise-outcome-of-war"
            ),
            "Moscow: the 1956 Declaration covers {island:habomai} and Shikotan only, after a peace "
            "treaty": (
                "ru-2005-1956-two-islands-only"
            ),
            "Moscow: the islands became Russian through the Second World War": (
                "ru-2005-not-for-discussion"
            ),
            "Moscow: no US forces or missile defence on islands that change hands": (
                "ru-2017-no-us-forces"
            ),
        }
        results = settlement.check(formula(), "2019-01-22").set_index("id")["result"]
        assert results["ru-2005-1956-two-islands-only"] == "meets"
        assert results["ru-2005-not-for-discussion"] == "unclear"
        assert results["ru-2017-no-us-forces"] == "not addressed"
        for choice in exercise("l5-formula-1956-in-2019")["choices"]:
            expected = bool(choice.get("correct"))
            assert (results[choice_to_id[choice["text"]]] == "conflicts with") == expected, choice[
                "text"
            ]

    def test_silent_choice_is_the_residents(self):
        untested = settlement.unaddressed_choices(formula(), "2019-01-22")
        correct = [c["text"] for c in exercise("l5-silent-choices")["choices"] if c.get("correct")]
        assert correct == ["What happens to the islands' current residents"]
        assert "residents" in untested
        assert not {"military", "peace_treaty", "joint_economic"} & set(untested)

    def test_residents_on_the_two_islands(self):
        table = settlement.holdings(formula()).set_index("side")
        assert (
            table.loc["Japan", "residents_1945"] == exercise("l5-residents-two-islands")["answer"]
        )

    def test_sovereignty_or_administration(self):
        d = formula()
        for i in HS:
            d["islands"][i]["sovereignty"] = "russia"
        results = settlement.check(d, "2019-01-22").set_index("id")["result"]
        assert results["ru-2019-recognise-outcome-of-war"] == "meets"
        assert results["ru-2005-1956-two-islands-only"] == "meets"
        assert results["ru-2005-not-for-discussion"] == "meets"
        assert results["jp-2018-handover-is-sovereignty"] == "conflicts with"


def test_data_copy_fixture_keeps_the_capstone_files(data_copy):
    """The shared data_copy fixture copies conditions.yml, proposals.yml and roles/ too."""
    assert (data_copy / "conditions.yml").exists() and (data_copy / "roles").is_dir()
    assert Path(data.DATA_DIR) == data_copy
    shutil.rmtree(data_copy / "roles")
    with pytest.raises(DataError):
        from helpers import roleplay

        roleplay.scenario()
