"""What the course's explorer widgets share: following the naming switch, and a figure on show.

    class TimelineExplorer(FollowsNaming, ShowsFigure, widgets.VBox):
        ...
        self.follow_naming(self._on_naming, naming)   # redraw on a switch unless naming is fixed
        self.draw(self.output, spec)                  # show a figure dict; .figure is its Figure
"""

from .. import names
from . import figures

__all__ = ["FollowsNaming", "ShowsFigure"]


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
    """A widget that shows one figure dict at a time; ``.figure`` is it as a plotly Figure."""

    _spec = _figure = _make = None

    def draw(self, output, spec, text=None):
        self._spec, self._figure, self._make = spec, None, None
        figures.show(output, spec, text)

    def shown_in_browser(self, make):
        """The browser has switched the figure itself: ``make()`` gives the dict it now shows
        (built only if ``.figure`` is asked for)."""
        self._spec, self._figure, self._make = None, None, make

    @property
    def figure(self):
        """The figure on show (a plotly Figure), or None before the first drawing."""
        if self._spec is None and self._make is not None:
            self._spec = self._make()
        if self._figure is None and self._spec is not None:
            self._figure = figures.figure(self._spec)
        return self._figure
