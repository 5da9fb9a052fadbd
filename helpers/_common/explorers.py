"""What the course's explorer widgets share: following the naming switch, and a figure on show.

    class TimelineExplorer(FollowsNaming, ShowsFigure, widgets.VBox):
        ...
        self.follow_naming(self._on_naming, naming)   # redraw on a switch unless naming is fixed
        self.draw(self.output, spec)                  # show a figure dict; .figure is its Figure
"""

import itertools

from .. import names
from . import figures, relay

__all__ = ["FollowsNaming", "ShowsFigure"]

_redraws = itertools.count(1)


class FollowsNaming:
    """A widget that redraws when the learner switches island names, and stops when closed."""

    _naming_callback = None

    def follow_naming(self, callback, naming=None):
        """Call ``callback`` on every naming switch, unless the widget has a fixed ``naming``."""
        if naming is None:
            self._naming_callback = names.on_change(callback)

    def close(self):
        if self._naming_callback is not None:
            names.on_change(self._naming_callback, remove=True)
            self._naming_callback = None
        super().close()


class ShowsFigure:
    """A widget that shows one figure dict at a time; ``.figure`` is it as a plotly Figure.

    Redrawn while on show in a browser that runs the relays (``relay.py``), the figure is
    changed in place: only what changed (``figures.changes``, one ``Plotly.update``), or the
    whole figure (``Plotly.react``) when its traces differ in number. No new plot is built, and
    the browser makes none of the PNG copies it makes of every new plot. The browser says
    whether it found the figure; if not, the figure is drawn anew. Either way the Output widget
    ends up holding the figure on show, so a reloaded page shows it too."""

    _spec = _figure = None
    figure_id = None  # its mark in the browser (relay.mark)
    _on_show = None  # the Output widget it was last drawn into, through the kernel
    _waiting = None  # (n, output, spec, text, sent): an in-place redraw not yet confirmed
    _heard = None  # the relay whose reports it hears
    _sent = None  # the figure the browser was last sent (JSON), what the next change is from

    def draw(self, output, spec, text=None, in_place=True):
        """Show figure dict ``spec`` in ``output`` (in place when it is already on show)."""
        if self.figure_id is None:
            self.figure_id = relay.new_id()
        relay.mark(spec, figure_id=self.figure_id)
        self._spec, self._figure = spec, None
        on_show = in_place and self._on_show is output and figures.plain_mimetype()
        kernel = relay.kernel_relay() if on_show else None
        sent = figures.bundle(spec)[figures.PLOTLY_MIME]  # the figure as the browser gets it
        if kernel is not None and relay.live(kernel):
            n = next(_redraws)
            self._waiting = (n, output, spec, text, sent)
            if self._heard is not kernel:
                kernel.observe(self._redrawn, names="patched")
                self._heard = kernel
            # only what changed (Plotly.update), or the whole figure (Plotly.react)
            update = figures.changes(self._sent, sent) if self._sent else None
            self._sent = sent
            kernel.figure = ({"id": self.figure_id, "n": n, "update": update} if update
                             else {"id": self.figure_id, "n": n, "spec": sent})
            return
        figures.show(output, spec, text, sent=sent)
        self._on_show, self._waiting, self._sent = output, None, sent

    def _redrawn(self, change):
        report, waiting = change["new"], self._waiting
        if not waiting or report.get("id") != self.figure_id or report.get("n") != waiting[0]:
            return
        n, output, spec, text, sent = waiting
        self._waiting = None
        ids = report.get("ids")
        figures.show(output, spec, text, sent=sent,
                     quiet=isinstance(ids, list) and self.figure_id in ids)

    def record(self, output, spec, text=None):
        """The browser already shows ``spec`` (it switched the figure itself): keep it as the
        figure on show, and in ``output`` for a page loaded later, sending nothing."""
        relay.mark(spec, figure_id=self.figure_id)
        self._spec, self._figure = spec, None
        figures.show(output, spec, text, quiet=True)

    @property
    def figure(self):
        """The figure on show (a plotly Figure), or None before the first drawing."""
        if self._figure is None and self._spec is not None:
            self._figure = figures.figure(self._spec)
        return self._figure

    def close(self):
        if self._heard is not None:
            self._heard.unobserve(self._redrawn, names="patched")
            self._heard = None
        super().close()
