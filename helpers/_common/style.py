"""The course's own CSS: its widgets fit the notebook at any width (long texts wrap, menus take
the width they have), in JupyterLab and in Voila, in the light and the dark theme.

ipywidgets' defaults keep a control's label on one line and cut it with "…", which at 1024 px
with the file browser open cuts choices, matching items and buttons. The rules below apply only
inside the course's widgets (class names ``kuril-…``) and set no colours (the theme's stay).
Widgets that need them include ``stylesheet()`` (an HTML widget holding a ``<style>``): the
journal's start box (the top of every lesson), the quiz and the settlement designer.
"""

__all__ = ["CSS", "stylesheet", "STACKED"]

STACKED = "kuril-stacked"  # a control whose label sits above it, at the full width

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
/* buttons show their whole label */
.kuril-journal-start .widget-button, .kuril-designer .widget-button,
.kuril-exercise .widget-button { width: auto; min-width: fit-content; overflow: visible; }
.kuril-journal-start .widget-hbox, .kuril-designer .widget-hbox { flex-wrap: wrap; gap: 4px; }
/* tables the designer writes scroll sideways rather than leave the notebook */
.kuril-designer .widget-html-content { overflow-x: auto; max-width: 100%; }
"""


def stylesheet():
    """An HTML widget holding the course's CSS (include it once in a widget that needs it)."""
    import ipywidgets as widgets

    box = widgets.HTML(f"<style>{CSS}</style>", layout=widgets.Layout(height="0px", margin="0"))
    box.add_class("kuril-style")
    return box
