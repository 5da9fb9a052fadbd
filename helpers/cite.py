"""Cite the course's evidence in open answers, see what the citations add up to, take the
bibliography with you.

A citation is a marker in the text of an answer: ``[@shimoda-1855]``, several as
``[@shimoda-1855; @mofa-faq-nt]``, with a page or article after a comma
(``[@shimoda-1855, art. 2]``). Ids are those of ``data/sources.csv``, ``documents.csv`` and
``events.csv``. Every open answer (``journal.respond``, kind ``long``) has a picker under its
text box that writes markers, and a list of facts about the citations (``mix``)::

    cite.search("shimoda")                  # what can be cited, by title, author, date or id
    cite.mix("[@shimoda-1855] and [@mofa-faq-nt]")   # facts about a text's citations
    cite.mix(lesson="01_shimoda_to_yalta")  # ... about everything cited in a lesson's answers
    cite.export()                           # BibTeX, CSL-JSON and RIS of what you cited
    cite.bibliography("ris")                # every source of the course, as text

The private code is in ``helpers._cite``.
"""

from . import data
from ._cite import catalogue, formats, markers, spec
from ._cite.mix import Mix, compute
from ._cite.vantage import GROUPS
from ._cite.widgets import Picker
from ._common import widgets

__all__ = ["search", "markers_in", "mix", "picker", "bibliography", "cited_sources",
           "works_cited", "export", "save", "ExportBox", "FORMATS", "GROUPS", "Mix", "Picker"]

FORMATS = tuple(formats.FORMATS)


def search(query, limit=20):
    """Sources, documents and events whose id, title, author, date or publisher hold every word
    of ``query``, as a list of ``(id, type, title, date)``."""
    return [(e["id"], e["type"], e["title"], e["date"])
            for e in catalogue.search(query, limit=limit)]


def markers_in(text):
    """The ids cited in ``text``, in order of first use."""
    return markers.ids(text)


def _answer_texts(lesson=None, item=None):
    from ._journal import book

    found = [e for e in book.entries(lesson) if item is None or e.get("item") == item]
    return [e["answer"] for e in found if isinstance(e.get("answer"), str)]


def mix(text=None, lesson=None):
    """The facts about the citations in ``text``: a question id of the banks or the journal
    (its saved answer, against its ``citations:`` requirement), or text itself; with no text,
    everything cited in ``lesson``'s saved answers (the whole course when no lesson either).
    A notebook shows it as a list."""
    if text is not None and not markers.find(text):
        from ._quiz import bank

        ex, saved = bank.find(str(text)), _answer_texts(item=text)
        if ex is not None or saved:
            era = spec.lesson_era((ex or {}).get("lesson") or lesson)
            return compute(saved[-1] if saved else "", (ex or {}).get("citations"), era)
    if text is None:
        return compute("\n".join(_answer_texts(lesson)), None, spec.lesson_era(lesson))
    return compute(text, None, spec.lesson_era(lesson))


def picker(text=""):
    """A picker with a text box of its own (to find a source and copy its marker)."""
    area = widgets.Textarea(value=text, rows=4, placeholder="Write here; cite with [@id]",
                            layout={"width": "100%"})
    box = widgets.VBox([area])
    from ._cite.widgets import attach

    return attach(box, area).cite


def _rows(ids=None):
    rows = data.raw_rows("sources")
    keep = rows if ids is None else [i for i in ids if i in rows]
    return [dict(rows[i], id=i) for i in keep]


def cited_sources(lesson=None):
    """The source ids a learner's saved answers cite (documents and events count as the sources
    they rest on), in order of first use; of one lesson, or of the whole course."""
    return compute("\n".join(_answer_texts(lesson))).sources


def bibliography(fmt="bibtex", cited=False, lesson=None):
    """Every source of the course (``cited=True``: only those the learner's answers cite) as
    ``bibtex``, ``csl-json`` or ``ris`` text."""
    if fmt not in formats.FORMATS:
        raise ValueError(f"cite: the format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return formats.FORMATS[fmt][1](_rows(cited_sources(lesson) if cited else None))


def works_cited(text):
    """Chicago author–date reference-list entries for the sources ``text`` cites (sorted)."""
    return sorted((formats.chicago(r) for r in _rows(compute(text).sources)), key=str.casefold)


def _file_name(fmt, lesson, cited):
    from ._journal import book, store

    scope = store.slug(lesson, "lesson") if lesson else "course"
    which = "my-citations" if cited else "all-sources"
    return f"bibliography-{store.slug(book.learner(), book.DEFAULT_LEARNER)}-{scope}-{which}." \
        + formats.FORMATS[fmt][0]


def save(lesson=None):
    """Write the learner's cited sources and the whole course bibliography, in every format,
    beside the journal; return the paths written (OSError if the disk refuses)."""
    from ._journal import book, store

    folder = book.journal_path().parent
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for cited in (True, False):
        for fmt in FORMATS:
            name = _file_name(fmt, lesson, cited)
            if book.per_session():  # beside this page's journal, never another visitor's copy
                name = f"{book.session_token()}-{name}"
            path = folder / name
            store.atomic_write(path, bibliography(fmt, cited, lesson).encode("utf-8"))
            paths.append(path)
    return paths


class ExportBox(widgets.VBox):
    """Download links for the cited sources and "Save as files" (all sources too).

    Python paths: ``box.save()`` (returns the paths), ``box.links.value``, ``box.status.value``.
    """

    def __init__(self, lesson=None):
        from ._journal.export import data_url

        self.lesson = lesson
        ids = cited_sources(lesson)
        scope = "this lesson" if lesson else "the course"
        links = " · ".join(
            f'<a download="{_file_name(fmt, lesson, True)}" '
            f'href="{data_url(bibliography(fmt, True, lesson), mime)}">{label}</a>'
            for fmt, label, mime in (("bibtex", "BibTeX", formats.FORMATS["bibtex"][2]),
                                     ("csl-json", "CSL-JSON", formats.FORMATS["csl-json"][2]),
                                     ("ris", "RIS", formats.FORMATS["ris"][2])))
        n = len(ids)
        self.links = widgets.HTML(
            f"<b>Your bibliography</b> ({n} source{'s' if n != 1 else ''} cited in {scope}): "
            + (links if n else "nothing cited yet; cite with the picker under an open answer."))
        self.button = widgets.Button(
            description="Save as files", icon="save",
            tooltip="Your cited sources and every source of the course, in BibTeX, CSL-JSON "
                    "and RIS, saved beside your journal")
        self.status = widgets.HTML()
        self.button.on_click(lambda _button: self.save())
        super().__init__([self.links, widgets.HBox([self.button, self.status])])
        self.add_class("kuril-cite-export")

    def save(self):
        from ._journal import book

        try:
            paths = save(self.lesson)
        except OSError as exc:
            self.status.value = f"The files could not be written ({exc.strerror or exc})."
            return []
        self.status.value = f"Saved {len(paths)} files in <code>{book._show(paths[0].parent)}" \
            "</code>."
        return paths


def export(lesson=None):
    """Download links for the sources the learner cited (BibTeX, CSL-JSON, RIS), and a button
    that saves those and every source of the course as files beside the journal."""
    return ExportBox(lesson)
