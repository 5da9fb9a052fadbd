"""Issue 13: what a learner notices besides the maps. Readable in the dark theme, restored-answer
notes in words, hand-ins that read as text, feedback that says things once."""

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers._common import style
from helpers._journal import export
from helpers._quiz import widgets as quiz_widgets

ROOT = Path(__file__).resolve().parents[1]
STYLE_ATTR = re.compile(r"""style\s*=\s*(?:\\?["'])?[^"'<>]*""")


class TestDarkTheme:
    def test_no_box_sets_a_pale_background_under_the_theme_text(self):
        """A background the course writes is see-through (the theme's colour shows under the
        theme's text) or comes with its own text colour, never a pale colour alone."""
        found = []
        for path in sorted((ROOT / "helpers").rglob("*.py")):
            if "<!DOCTYPE html>" in path.read_text(encoding="utf-8"):
                continue  # a page of its own (hand-in, answer key): see the next test
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if "background" not in line or line.lstrip().startswith("#"):
                    continue
                for m in re.finditer(r"background(?:-color)?\s*:\s*([^;\"'}]+)", line):
                    value = m.group(1).strip()
                    if value.startswith(("rgba(", "var(--jp", "transparent", "{")):
                        continue
                    # a solid colour is allowed only beside a text colour of its own
                    if not re.search(r"(?<![-\w])color\s*:", line):
                        found.append(f"{path.relative_to(ROOT)}:{n}: background {value} "
                                     "without a text colour")
        assert not found, "\n".join(found)

    def test_the_hand_in_page_sets_its_own_text_and_background(self):
        body = re.search(r"body\{[^}]*\}", export._CSS).group()
        assert "color:#1a1a1a" in body and "background:#fff" in body

    @pytest.mark.parametrize("tone", sorted(style.TONES))
    def test_every_tone_is_a_tint_and_sets_no_text_colour(self, tone):
        css = style.box_style(tone)
        assert re.search(r"background: rgba\(\d+, \d+, \d+, 0\.\d+\)", css)
        assert not re.search(r"(?<![-\w])color\s*:", css)
        alpha = float(re.search(r"0\.\d+", css.split("background")[1]).group())
        assert alpha <= 0.2  # on white, close to the old pale colour; on #111, still dark

    def test_quiz_feedback_uses_the_shared_box(self):
        html = quiz_widgets._box("wrong", "<p>x</p>")
        assert 'class="kuril-wrong"' in html and style.box_style("wrong") in html


class TestSavedTimes:
    NOW = datetime(2026, 12, 6, 15, 0, tzinfo=timezone.utc)

    def test_a_saved_time_is_local_and_in_words(self, monkeypatch):
        monkeypatch.setenv("TZ", "UTC")
        import time
        time.tzset()
        # a computer whose local time is UTC (Binder's servers) names the zone
        assert export.when_saved("2026-12-06T14:05:09+00:00", self.NOW) == "today at 14:05 UTC"
        assert export.when_saved("2026-12-05T09:30:00+00:00", self.NOW) == "yesterday at 09:30 UTC"
        assert (export.when_saved("2024-01-01T10:00:00+00:00", self.NOW)
                == "on Monday 1 January 2024 at 10:00 UTC")
        assert export.when_saved("not a time", self.NOW) == "at an unknown time"
        assert export.when_saved(None, self.NOW) == "at an unknown time"

    def test_the_local_zone_is_used(self, monkeypatch):
        import time
        monkeypatch.setenv("TZ", "Asia/Tokyo")
        time.tzset()
        try:
            # 15:00 UTC is already 00:00 on the 7th in Tokyo
            assert export.when_saved("2026-12-06T14:05:00+00:00", self.NOW) == "yesterday at 23:05"
            assert "UTC" not in export.when_saved("2026-12-06T14:05:00+00:00")
            assert "T14:05" not in export.when_saved("2026-12-06T14:05:00+00:00")
        finally:
            monkeypatch.delenv("TZ")
            time.tzset()

    def test_a_restored_quiz_answer_says_when_in_words(self, course_root, monkeypatch):
        from test_quiz import FakeJournal, configure

        from helpers import quiz
        configure(course_root, feedback="immediate", attempts=0)
        fake = FakeJournal()
        monkeypatch.setattr(quiz_widgets, "journal", fake)
        stamp = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat(timespec="seconds")
        fake.latest["fx-numeric"] = {"answer": 1855.0, "time": stamp}
        shown = quiz.show("fx-numeric")
        assert "Your last saved answer (saved today at " in shown.feedback_text
        assert stamp not in shown.feedback_text and "+00:00" not in shown.feedback_text


class TestHandInText:
    def test_a_matching_answer_reads_as_lines_not_json(self):
        text = export.answer_text({"Treaty of Shimoda": "1855", "Portsmouth": None}, "matching")
        assert text == "Treaty of Shimoda → 1855\nPortsmouth → (nothing chosen)"
        assert "{" not in text and '"' not in text

    def test_an_order_is_numbered_and_choices_listed(self):
        assert export.answer_text(["b", "a"], "ordering") == "1. b\n2. a"
        assert export.answer_text(["b", "a"], "multiple") == "• b\n• a"

    def test_numbers_read_as_numbers(self):
        assert export.answer_text(1855.0, "numeric") == "1855"
        assert export.answer_text(3177.5, "numeric") == "3177.5"
        assert export.answer_text(25000.0, "numeric") == "25,000"

    def test_the_page_shows_text_and_keeps_the_data_as_saved(self):
        entries = [{"lesson": "L1", "item": "m", "kind": "matching", "time": "2024-01-01T10:00",
                    "answer": {"Shimoda": "1855", "Portsmouth": "1905"}}]
        page = export.to_html(entries, learner="Aiko")
        md = export.to_markdown(entries, learner="Aiko")
        for text in (page, md):
            assert "Shimoda → 1855" in text
        shown = page.split('<script type="application/json"')[0]
        assert "{&quot;" not in shown and '{"' not in shown
        data = export.payload(entries, learner="Aiko")["entries"][0]["answer"]
        assert data == {"Shimoda": "1855", "Portsmouth": "1905"}  # the data block: unchanged
        assert '"Shimoda":"1855"' in export.data_json(export.payload(entries, learner="Aiko"))


class TestFeedbackSaysItOnce:
    def test_not_quite_appears_once_in_numeric_feedback(self, course_root, monkeypatch):
        from test_quiz import FakeJournal, add_bank, configure

        from helpers import quiz
        configure(course_root, feedback="immediate", attempts=0)
        monkeypatch.setattr(quiz_widgets, "journal", FakeJournal())
        add_bank(course_root, "03_num.yml", """
lesson: 03_num
exercises:
  - id: num-twice
    kind: numeric
    prompt: Area?
    answer: 3168
    tolerance: 10
    feedback_wrong: Not quite. Add the four areas.
    sources: [stephan-1974]
""")
        q = quiz.show("num-twice").answer(1)
        assert q.check().correct is False
        assert q.feedback_text.lower().count("not quite") == 1
        assert "Add the four areas." in q.feedback_text


class TestTextAlternatives:
    """A screen-reader user gets at least what a sighted user gets: texts whole, sources in
    words, numbers as numbers, a gap as "—"."""

    RAW = re.compile(r"\bNaN\b|<NA>|\bnan\b|\bNaT\b|(?<!LGPL-)\d\.0\b")  # (a licence name)

    def shown(self, frame):
        text, page = repr(frame), frame._repr_html_()
        return text + "\n" + page

    def test_the_timeline_table_keeps_every_text_whole_and_cites_in_words(self):
        from helpers import data, maps
        from helpers._maps import geo

        table = maps.sovereignty_timeline_map(text=True)
        shown = self.shown(table)
        assert "…" not in shown and not self.RAW.search(shown)
        for row in geo.step_rows():  # each year's caption, whole, as the slider shows it
            assert row["caption"].split("{")[0][:60] in shown
        ids = set(data.sources()["id"])
        cells = {c for cell in table["sources"] for c in cell.split("; ")}
        assert cells and not cells & ids  # citations, not source ids
        assert "mofa-compendium-1992" not in shown

    @pytest.mark.parametrize("call", ["region", "sovereignty", "claims"])
    def test_each_map_table_shows_numbers_and_gaps_readably(self, call):
        from helpers import maps

        table = {"region": lambda: maps.region_map(text=True),
                 "sovereignty": lambda: maps.sovereignty_map(1945, text=True),
                 "claims": lambda: maps.claims_map("2019-01-22", text=True)}[call]()
        shown = self.shown(table)
        assert not self.RAW.search(shown), self.RAW.search(shown)
        assert "…" not in shown
        page = table._repr_html_()
        assert "<caption" in page  # the figure's title and caption, read first
        assert 'style="overflow-wrap:anywhere"' in page.split(">", 1)[0]  # wraps, never scrolls

    def test_region_table_numbers(self):
        from helpers import maps

        shown = repr(maps.region_map(text=True))
        assert "3,168" in shown and "2016" in shown and "2,016" not in shown and "—" in shown

    def test_claims_table_gives_stances_in_words(self):
        from helpers import maps

        table = maps.claims_map("2019-01-22", text=True)
        words = set(maps.STANCE_WORDS.values())
        assert set(table["japan"]) <= words and "claims" not in set(table["japan"])

    def test_islands_readable_is_the_same_data_shown_readably(self):
        from helpers import data

        plain, shown = data.islands(disputed=True), data.islands(disputed=True, readable=True)
        assert shown.equals(plain)  # the same values: sums and filters work as before
        cols = ["name_en", "area_km2", "japanese_residents_1945", "russian_population",
                "russian_population_year"]
        part = shown[cols]
        text = self.shown(part) + self.shown(shown.set_index("name_en")[cols[1:]])
        assert not self.RAW.search(text) and "3,168" in text and "—" in text
        assert part["area_km2"].sum() == plain["area_km2"].sum()

    def test_no_citation_is_cut(self):
        from helpers._common import labels

        assert not [c for c in labels.citation_table().values() if "…" in c]


def test_cell_text_rules():
    from helpers._common.tables import MISSING, cell_text

    assert cell_text(float("nan")) == MISSING and cell_text(None) == MISSING
    assert cell_text(3168.0, "area_km2") == "3,168"
    assert cell_text(2016.0, "russian_population_year") == "2016"
    assert cell_text(3174.71, "area_km2") == "3,174.71" and cell_text(12.1) == "12.1"
    assert cell_text(True) == "yes" and cell_text("text") == "text"


def test_every_proposal_is_compared_on_the_same_choices():
    """'12 of 15' beside '8 of 17' read as a mistake: every row counts the same choices."""
    from helpers import settlement
    from helpers._capstone import rules

    for design in (settlement.status_quo(), settlement.proposal_design("formula-1956")):
        table = settlement.compare(design)
        expected = len(rules.ISLANDS) * 3 + len(rules.SETTLEMENT_OPTIONS)
        assert set(table["of"]) == {expected}
        assert (table["same"] <= table["of"]).all()


def test_hovers_and_the_positions_explorer_cut_no_source_title():
    """A title cut with "…" is cut for everyone, screen readers too ("[…]" in an excerpt, which
    marks a gap in a quoted text, is the source's own)."""
    from helpers import maps, positions, timeline

    cut = re.compile(r"(?<!\[)(…|\\u2026)")
    for fig in (timeline.events_timeline(), maps.sovereignty_timeline_map(),
                maps.claims_map(2019)):
        assert not cut.search(fig.to_json())
    box = positions.explorer()
    for date in box.dates:
        box.value = date
        for part in (box.heading, box.stances, box.details):
            assert not cut.search(part.value), (date, part.value[:120])
