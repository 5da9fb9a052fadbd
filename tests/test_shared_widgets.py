"""The shared default layout and styles (helpers/_common/widgets.py): every lesson is run and each
of its widgets is used (every button clicked, every menu, list, box and field set), and the shared
models must never have been asked to change and must still hold ipywidgets' defaults."""

from pathlib import Path

import ipywidgets
import pytest
from ipywidgets.widgets.widget import _instances
from mutations import _lesson_cells, run_lessons
from traitlets import TraitError

from helpers import course, names
from helpers._common import widgets

REPO = Path(__file__).resolve().parent.parent


def _state(model):
    state = model.get_state()
    return {k: v for k, v in state.items() if not k.startswith("_")}


def _base(model):
    return type(model).__mro__[1]


def _use(w):
    """Do to ``w`` what a learner can: click it, pick each end of its options, type, tick."""
    if isinstance(w, ipywidgets.Button):
        w.click()
    elif isinstance(w, ipywidgets.SelectMultiple):
        for value in (tuple(w._options_values[-1:]), tuple(w._options_values[:2]), ()):
            w.value = value
    elif hasattr(w, "_options_values"):
        for value in (w._options_values[-1:] + w._options_values[:1]):
            w.value = value
    elif isinstance(w, (ipywidgets.Text, ipywidgets.Textarea)):
        for value in ("Habomai, Shikotan [@shimoda-1855] 1956", ""):
            w.value = value
    elif isinstance(w, (ipywidgets.Checkbox, ipywidgets.ToggleButton)):
        w.value = not w.value
        w.value = not w.value
    elif isinstance(w, (ipywidgets.IntText, ipywidgets.BoundedIntText, ipywidgets.IntSlider,
                        ipywidgets.FloatText, ipywidgets.BoundedFloatText,
                        ipywidgets.FloatSlider)):
        for value in (getattr(w, "max", 3), getattr(w, "min", 0)):
            w.value = value
    elif isinstance(w, (ipywidgets.Accordion, ipywidgets.Tab)) and w.children:
        w.selected_index = len(w.children) - 1


@pytest.fixture(scope="module")
def lessons_used(tmp_path_factory):
    """Run every lesson in this process and use every widget it built (and every widget those
    uses built, three rounds); return the widgets."""
    import os

    old, naming = os.getcwd(), dict(names._state)
    os.chdir(tmp_path_factory.mktemp("cwd"))  # anything a button writes lands in a temp folder
    try:
        before = set(_instances)
        run_lessons(_lesson_cells(REPO / "notebooks"), course.settings()["lessons"])
        seen = set(before)
        for _round in range(3):
            new = [w for k, w in list(_instances.items()) if k not in seen]
            seen |= {w.model_id for w in new}
            for w in new:
                try:
                    _use(w)
                except (TraitError, ValueError, TypeError):
                    pass  # a value this widget refuses; a refused shared change is in REFUSED
        return [w for k, w in list(_instances.items()) if k not in before]
    finally:
        os.chdir(old)
        names._state.update(naming)  # the naming toggle was clicked too


def test_the_shared_models_never_change_while_the_lessons_are_used(lessons_used):
    assert widgets.REFUSED == []
    used = {id(w.layout) for w in lessons_used if isinstance(w, ipywidgets.DOMWidget)}
    shared = list(widgets._SHARED.values())  # made by the lessons or by earlier tests
    assert any(id(m) in used and _base(m) is ipywidgets.Layout for m in shared)
    for model in shared:
        assert _state(model) == _state(_base(model)(**model.settings)), (model, model.settings)


def test_most_lesson_widgets_share_the_default_layout(lessons_used):
    """The point of the sharing (payload): most widgets carry no layout of their own."""
    dom = [w for w in lessons_used if isinstance(w, ipywidgets.DOMWidget)]
    own = {id(w.layout) for w in dom if not widgets.is_shared(w.layout)}
    assert len(dom) > 300
    assert len(own) < len(dom) / 3, (len(own), len(dom))


def test_a_shared_layout_or_style_refuses_a_change_and_a_widget_of_its_own_does_not():
    a, b = widgets.HTML("a"), widgets.HTML("b")
    assert a.layout is b.layout and a.style is b.style and isinstance(a, ipywidgets.HTML)
    before = len(widgets.REFUSED)
    with pytest.raises(TraitError, match="shared Layout"):
        a.layout.display = "none"
    with pytest.raises(TraitError, match="shared HTMLStyle"):
        b.style.font_size = "20px"
    assert a.layout.display is None and b.style.font_size is None
    assert len(widgets.REFUSED) == before + 2
    del widgets.REFUSED[before:]
    own = widgets.Dropdown(options=["x"], layout=widgets.Layout(), style=widgets.own_style(widgets.Dropdown))
    own.layout.display = "none"
    own.style.description_width = "initial"
    assert own.layout.display == "none" and widgets.Dropdown().layout.display is None


def test_a_closed_shared_layout_is_replaced():
    a = widgets.Label("a")
    a.layout.close()
    b = widgets.Label("b")
    assert b.layout is not a.layout and b.layout.comm is not None


def test_every_helper_builds_its_widgets_through_the_shared_module():
    """A new widget module gets the sharing too: only helpers/_common/widgets.py imports
    ipywidgets itself."""
    direct = [str(p.relative_to(REPO)) for p in (REPO / "helpers").rglob("*.py")
              if p != REPO / "helpers/_common/widgets.py"
              and any(line.strip().startswith(("import ipywidgets", "from ipywidgets"))
                      for line in p.read_text(encoding="utf-8").splitlines())]
    assert direct == []
