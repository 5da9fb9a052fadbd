"""Accessibility: axe-core (vendored, tests/browser/vendor/axe.min.js) on rendered notebooks.

Serious and critical violations in what the course controls (cell outputs and rendered Markdown)
fail the test, in JupyterLab's light theme and in its dark theme (where a pale background under
the theme's white text would fail axe's colour-contrast rule). JupyterLab's own interface and the
few upstream widget defects listed in UPSTREAM are recorded, not failed: see tests/browser/A11Y.md.
Every violation found is written to tests/browser/artifacts/a11y-<notebook>[-dark].json.
"""

import json

import _harness as h
import pytest

from helpers.course import is_scratch

# Every lesson: each runs once in the browser and axe reads the page already executed.
NOTEBOOKS = sorted(f"notebooks/{p.name}" for p in (h.ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                   if not is_scratch(p.name))

# Violations inside outputs whose markup the course cannot change (rule id, HTML start, why).
UPSTREAM = [
    ("scrollable-region-focusable", '<div class="lm-Widget jp-RenderedHTMLCommon',
     "JupyterLab's output area scrolls a wide table but is not focusable"),
]


def upstream(rule, node):
    return any(rule == r and node["html"].startswith(start) for r, start, _ in UPSTREAM)


THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
# What a theme can change: colours. In the dark theme axe runs the rules that read them; the
# page's structure, names and roles are the light run's, already checked there. (All rules in
# the dark theme cost Chromium about 4 s of CPU a lesson.)
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# Where axe looks: a 1280x900 laptop with the file browser open.
SIZE = (1280, 900, True)


@pytest.fixture(params=list(THEMES))
def theme(request, lab, executed_lessons):
    """JupyterLab's theme for the test, set on the lesson's page by the command Settings → Theme
    runs, which JupyterLab saves in the server's user settings. Afterwards the page goes
    back to the default (light), for the lesson's next tests or the next lesson opened in it, and
    the saved choice is removed."""
    yield request.param
    if request.param != "light" and executed_lessons.current is not None:
        try:
            h.set_theme(executed_lessons.current.page, THEMES["light"])
        except Exception:  # a page that cannot switch back is not shared further
            executed_lessons.discard()
    h.theme_settings_path(lab).unlink(missing_ok=True)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.split("/")[-1][:-6])
def test_no_serious_accessibility_violations_in_course_content(lesson, notebook, theme):
    """axe on the lesson after Run All (the run its other tests share), in ``theme``."""
    got = lesson(notebook)
    page = got.page
    h.resize(page, *SIZE)
    if page.evaluate("() => document.body.dataset.jpThemeName") != THEMES[theme]:
        h.set_theme(page, THEMES[theme])
    light = page.evaluate("() => document.body.dataset.jpThemeLight")
    assert light == ("true" if theme == "light" else "false"), f"the {theme} theme is not on"
    violations = h.run_axe(page, rules=None if theme == "light" else COLOUR_RULES)
    h.ARTIFACTS.mkdir(exist_ok=True)
    name = notebook.split("/")[-1][:-6] + ("" if theme == "light" else f"-{theme}")
    (h.ARTIFACTS / f"a11y-{name}.json").write_text(json.dumps(violations, indent=1))
    ours = [f"{v['impact']} {v['id']} ({v['help']}) in {n['where'] or n['target']}: "
            f"{n['html'][:120]}"
            for v in violations if v["impact"] in ("serious", "critical")
            for n in v["nodes"] if n["ours"] and not upstream(v["id"], n)]
    if theme != "light":  # for a person to look at the dark theme too
        h.screenshots(page, name, problems=ours)
    assert not ours, f"{notebook}: accessibility violations in course content:\n  " + \
        "\n  ".join(ours)
    got.guard.assert_clean()
