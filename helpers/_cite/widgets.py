"""The citation picker: search the course's sources, documents and events, insert a marker into
an answer's text box, and see under it what the citations add up to (``mix``).

Python paths (no browser needed): ``picker.search("shimoda")`` (returns the ids found and shows
them), ``picker.insert("shimoda-1855")`` (writes ``[@shimoda-1855]`` into the text box; with no
id, the one chosen in the results), ``picker.mix`` (the :class:`mix.Mix` of the text now), and
``picker.mix_box.value`` (what the learner reads).
"""

from .._common import persons, widgets
from . import catalogue, markers, spec
from .formats import is_person
from .mix import compute

__all__ = ["Picker", "attach", "attach_to_input"]

_TYPE = {"document": "document", "event": "event", "source": "source"}


def _option(entry):
    author = entry.get("author") or ""
    if is_person(author, entry.get("kind", "")):
        author = persons.display(author)
    who = f" · {author}" if author else ""
    date = entry.get("date") or "n.d."
    return f"{entry['title'] or entry['id']} ({date}{who}) — {_TYPE[entry['type']]} @{entry['id']}"


class Picker(widgets.VBox):
    """A search box, a results list, "Insert citation", and the mix of the text box's citations.

    ``area``: the Textarea to write markers into (a new one when None); ``requirement``: the
    exercise's ``citations`` (normal form); ``era``: (label, first, last) when the requirement
    names none (the lesson's era)."""

    def __init__(self, area=None, requirement=None, era=None):
        self.area = area if area is not None else widgets.Textarea(
            rows=6, placeholder="Write here; cite with [@id]", layout={"width": "100%"})
        self.requirement, self.era = requirement, era
        self.query = widgets.Text(
            placeholder="title, author, year or id", description="Find a source",
            style={"description_width": "initial"}, layout={"width": "auto"})
        self.results = widgets.Select(options=[], rows=5, description="Results",
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="100%"))  # its own: shown, hidden
        self.insert_button = widgets.Button(
            description="Insert citation", icon="quote-right",
            tooltip="Write the chosen item's marker, e.g. [@shimoda-1855], at the end of your text")
        self.status = widgets.HTML()
        self.mix_box = widgets.HTML()
        self.controls = [self.query, self.results, self.insert_button]
        row = widgets.HBox([self.query, self.insert_button],
                           layout={"flex_flow": "row wrap", "align_items": "center"})
        super().__init__([row, self.results, self.status, self.mix_box])
        self.add_class("kuril-cite")
        self.mix_box.add_class("kuril-cite-mix")
        self.results.layout.display = "none"  # shown once there is something to choose from
        self.query.observe(lambda change: self.search(change["new"]), names="value")
        self.insert_button.on_click(lambda _button: self.insert())
        self.area.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    def search(self, query):
        """Show the items that match ``query``; return their ids."""
        if self.query.value != query:
            self.query.value = query  # the observer calls back with the same query
            return [v for _, v in self.results.options]
        found = catalogue.search(query, limit=30) if str(query).strip() else []
        self.results.options = [(_option(e), e["id"]) for e in found]
        self.results.layout.display = None if found else "none"
        if found:
            self.results.value = found[0]["id"]
        self.status.value = ("" if found or not str(query).strip() else
                             "Nothing matches: try fewer words, a year, or part of an id.")
        return [e["id"] for e in found]

    def insert(self, item_id=None):
        """Write the marker of ``item_id`` (default: the chosen result) at the end of the text;
        return the text. An unknown id raises ValueError saying which ids are close."""
        item_id = item_id if item_id is not None else self.results.value
        if not item_id:
            self.status.value = "Search, then choose an item to cite."
            return self.area.value
        if catalogue.lookup(item_id) is None:
            near = catalogue.suggest(item_id)
            hint = f" Did you mean {', '.join(near)}?" if near else ""
            raise ValueError(f"'{item_id}' is not a source, document or event of the course.{hint}")
        text = self.area.value or ""
        gap = "" if not text or text.endswith((" ", "\n")) else " "
        self.area.value = f"{text}{gap}{markers.marker(item_id)}"
        self.status.value = ""
        return self.area.value

    @property
    def mix(self):
        return compute(self.area.value, self.requirement, self.era)

    def refresh(self):
        """Recompute the mix under the text (called whenever the text changes)."""
        try:
            self.mix_box.value = "<b>Your citations</b>" + self.mix.html()
        except Exception as exc:  # never a traceback under an answer
            self.mix_box.value = f"The citations could not be read ({type(exc).__name__})."


def _era(ex):
    try:
        return spec.lesson_era(ex.get("lesson"))
    except Exception:  # eras.csv unreadable: the data check says why
        return None


def attach(box, area, ex=None, at=None):
    """Add a :class:`Picker` for ``area`` to the widget ``box`` (after child ``at``, else last);
    ``box.cite`` is the picker. Returns ``box``."""
    ex = ex or {}
    picker = Picker(area, ex.get("citations"), _era(ex))
    children = list(box.children)
    where = children.index(at) + 1 if at is not None and at in children else len(children)
    box.children = tuple(children[:where] + [picker] + children[where:])
    box.cite = picker
    return box


def attach_to_input(inp, ex):
    """An answer input (``_quiz.inputs.Text``) with a picker under its text box."""
    picker = Picker(inp.area, ex.get("citations"), _era(ex))
    inp.widget = widgets.VBox([inp.area, picker])
    inp.controls = [*inp.controls, *picker.controls]
    inp.cite = picker
    return inp
