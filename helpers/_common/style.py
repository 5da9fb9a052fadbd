"""The course's own CSS: its widgets fit the notebook at any width (long texts wrap, menus take
the width they have), in JupyterLab and in Voila, in the light and the dark theme.

ipywidgets' defaults keep a control's label on one line and cut it with "…", which at 1024 px
with the file browser open cuts choices, matching items and buttons. The rules below apply only
inside the course's widgets (class names ``kuril-…``) and set no colours (the theme's stay).
Widgets that need them include ``stylesheet()`` (an HTML widget holding a ``<style>``): the
journal's start box (the top of every lesson), the quiz and the settlement designer.

Coloured boxes (quiz feedback, hints, notes, warnings) come from ``box()``: a coloured left
border and a see-through tint of the same colour, so the page's own background shows through and
the theme's own text colour stays readable on it, light or dark, in JupyterLab, Voila or a file
saved from either. No box sets a pale background under the theme's text (white on pale in the
dark theme) and none sets a text colour of its own.
"""

__all__ = ["CSS", "stylesheet", "STACKED", "AT_END", "mark_end", "TONES", "box", "box_style"]

STACKED = "kuril-stacked"  # a control whose label sits above it, at the full width
AT_END = "kuril-at-end"  # a button with nothing further to do (Previous/Next at an end, Hint
# after the last, Check once the answer is final): looks disabled, stays focusable (disabled, it
# would drop the focus to the page)

CSS = """
/* choices and checkboxes: long answers wrap instead of running under the next one */
.kuril-exercise .widget-radio-box label,
.kuril-exercise .widget-checkbox label,
.kuril-exercise .widget-checkbox .widget-label-basic {
  white-space: normal; height: auto; line-height: 1.35; overflow: visible; text-overflow: clip;
  align-items: flex-start; margin: 2px 0;
}
.kuril-exercise .widget-radio-box label input,
.kuril-exercise .widget-checkbox input { flex: none; margin-top: 3px; }
.kuril-exercise .widget-checkbox, .kuril-exercise .widget-radio-box { height: auto; width: auto; }
/* a control with its label above it: the label wraps, the menu takes the whole width */
.kuril-stacked.widget-inline-hbox { flex-wrap: wrap; height: auto; align-items: flex-start; }
.kuril-stacked.widget-inline-hbox > .widget-label {
  width: 100% !important; max-width: 100%; white-space: normal; height: auto;
  text-align: left; line-height: 1.3; overflow: visible; text-overflow: clip; margin: 2px 0;
}
.kuril-stacked.widget-inline-hbox > select, .kuril-stacked.widget-inline-hbox > input {
  flex: 1 1 100%; width: 100%; min-width: 0;
}
/* matching: each item's text wraps beside its menu */
.kuril-exercise .widget-dropdown { height: auto; }
.kuril-exercise .widget-dropdown > .widget-label {
  white-space: normal; height: auto; line-height: 1.3; overflow: visible; text-overflow: clip;
}
.kuril-exercise .widget-dropdown > select { min-width: 8em; }
/* a button with nothing further to do (style.mark_end): dimmed as a disabled one */
.kuril-at-end.jupyter-button { opacity: var(--jp-widgets-disabled-opacity, 0.6); cursor: default; }
/* buttons show their whole label */
.kuril-journal-start .widget-button, .kuril-designer .widget-button,
.kuril-exercise .widget-button { width: auto; min-width: fit-content; overflow: visible; }
.kuril-journal-start .widget-hbox, .kuril-designer .widget-hbox { flex-wrap: wrap; gap: 4px; }
/* links in widgets take the theme's link colour (the browser's own blue is dim on the dark theme) */
.widget-html-content a:not(.kuril-download-link) { color: var(--jp-content-link-color, #0d47a1); }
/* tables the designer writes scroll sideways rather than leave the notebook */
.kuril-designer .widget-html-content { overflow-x: auto; max-width: 100%; }
"""


def mark_end(button, at_end, tooltip, end_tooltip):
    """A button with nothing further to do (``at_end``: Previous/Next at the end of its list,
    Hint after the last hint, Check and Submit once the answer is final) looks disabled and says
    so in its tooltip, and stays enabled: its click should do nothing, or say why."""
    button.tooltip = end_tooltip if at_end else tooltip
    if at_end:
        button.add_class(AT_END)
    else:
        button.remove_class(AT_END)


# tone: (border colour, the same colour as "r, g, b" for the see-through tint)
TONES = {
    "correct": ("#2e7d32", "46, 125, 50"),
    "wrong": ("#c62828", "198, 40, 40"),
    "info": ("#1565c0", "21, 101, 192"),
    "warn": ("#ef6c00", "239, 108, 0"),
    "note": ("#6a1b9a", "106, 27, 154"),
}
TINT = 0.12  # light: about #edf7ed on white; dark: a dark green under white text


def box_style(tone):
    """The inline style of a box in ``tone`` (one of ``TONES``): border and tint, no text colour
    (the theme's is inherited, so it always suits the page's background)."""
    border, rgb = TONES[tone]
    return (f"border-left: 4px solid {border}; padding: 4px 10px; margin: 4px 0; "
            f"background: rgba({rgb}, {TINT});")


def box(tone, inner_html, cls=None, role=None):
    """``inner_html`` (already safe HTML) in a ``<div>`` box of ``tone``, class ``kuril-<tone>``
    (or ``cls``), with an ARIA ``role`` when given (e.g. ``"alert"``)."""
    attr = f' role="{role}"' if role else ""
    return (f'<div class="{cls or "kuril-" + tone}"{attr} style="{box_style(tone)}">'
            f"{inner_html}</div>")


_SHEET = []  # the one stylesheet widget of this kernel


def stylesheet():
    """The HTML widget holding the course's CSS (include it in each widget that needs it). It
    is one widget, shown wherever it is included: a lesson saves the CSS once, not once per
    quiz (a new one if it was closed)."""
    from . import widgets

    if not _SHEET or _SHEET[0].comm is None:
        box = widgets.HTML(f"<style>{CSS}</style>", layout={"height": "0px", "margin": "0"})
        box.add_class("kuril-style")
        _SHEET[:] = [box]
    return _SHEET[0]
