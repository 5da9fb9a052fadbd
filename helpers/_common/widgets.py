"""ipywidgets, with the layouts and styles that never change shared among the course's widgets.

    from .._common import widgets          # instead of ``import ipywidgets as widgets``
    widgets.HTML("...")                    # the shared default layout and style
    widgets.Button(description="Save", layout={"width": "auto"})  # a dict: shared with every
                                           # widget given the same settings, never changed
    widgets.Select(layout=widgets.Layout(width="100%"))  # an instance: its own, it may change

ipywidgets gives every widget created without ``layout=`` a ``Layout`` of its own (a model of
about 1.1 KB, mostly nulls, and one comm message) and a style model of its own, and
``layout={...}`` builds one more; a lesson builds about 400 widgets, so most of an executed
lesson's saved widget state was copies of the same few layouts and styles. Here a widget class
(``widgets.HTML``, ``widgets.VBox``, ...) is a subclass of ipywidgets' own whose layout and
style, when not given or given as a dict, are one shared model per class and settings; the front
end shows the same thing, and ``isinstance(w, ipywidgets.HTML)`` still holds. Everything else
(``Layout``, ``DescriptionStyle``, ``jslink``, ...) is ipywidgets' own object.

The shared models must never change: they refuse every change (``TraitError``, also noted in
``REFUSED``). A widget whose layout or style changes after it is built (shown and hidden with
``layout.display``, a width set later) is given its own at construction:
``layout=widgets.Layout(...)``, ``style=widgets.own_style(widgets.Text, ...)``.
``tests/test_shared_widgets.py`` runs every lesson, uses each of its widgets, and checks that no
shared model was asked to change and that each still holds its settings.
"""

import ipywidgets
from traitlets import TraitError, default, validate

__all__ = ["shared_layout", "shared_style", "own_style", "is_shared", "REFUSED"]

_FROZEN = {}  # model class -> its frozen subclass
_SHARED = {}  # (model class, settings) -> the one shared instance
_PLAIN = {}  # widget class -> its subclass with the shared defaults
# every refused change, as text: a click handler's error is only logged by ipywidgets, so the
# tests read this list rather than count on the TraitError reaching them
REFUSED = []


def _refuse(self, proposal):
    if not getattr(self, "_sealed", False):  # its settings, given once when it is made
        return proposal["value"]
    message = (f"the shared {type(self).__mro__[1].__name__} cannot change "
               f"({proposal['trait'].name!r} = {proposal['value']!r}): give this widget its own "
               "at construction, e.g. layout=widgets.Layout(...)")
    REFUSED.append(message)
    raise TraitError(message)


def _frozen(cls):
    if cls not in _FROZEN:
        names = [n for n in cls.class_trait_names(sync=True) if not n.startswith("_")]
        _FROZEN[cls] = type(f"Shared{cls.__name__}", (cls,),
                            {"_refuse": validate(*names)(_refuse), "__module__": __name__})
    return _FROZEN[cls]


def _shared(cls, settings=None):
    """The one shared, unchangeable instance of the model class ``cls`` with ``settings`` (a new
    one if the last was closed, e.g. by ``Widget.close_all()``)."""
    key = (cls, tuple(sorted((settings or {}).items())))
    model = _SHARED.get(key)
    if model is None or getattr(model, "comm", None) is None:
        model = _SHARED[key] = _frozen(cls)(**dict(key[1]))
        model._sealed, model.settings = True, dict(key[1])
    return model


def shared_layout(**settings):
    """The shared ``Layout`` with ``settings`` (the default one without)."""
    return _shared(ipywidgets.Layout, settings)


def shared_style(widget_class, **settings):
    """The shared style of ``widget_class`` with ``settings`` (None if it has no style)."""
    trait = widget_class.class_traits().get("style")
    return _shared(trait.klass, settings) if trait is not None else None


def own_style(widget_class, **settings):
    """A style of ``widget_class``'s kind with ``settings``, for one widget that changes it."""
    return widget_class.class_traits()["style"].klass(**settings)


def is_shared(model):
    """True for a shared default layout or style."""
    return type(model) in _FROZEN.values()


def _plain(cls):
    """``cls`` with the shared layout and style (cached, one subclass per class)."""
    if cls not in _PLAIN:
        def __init__(self, *args, **kwargs):
            if isinstance(kwargs.get("layout"), dict):
                kwargs["layout"] = shared_layout(**kwargs["layout"])
            if isinstance(kwargs.get("style"), dict):
                kwargs["style"] = shared_style(type(self), **kwargs["style"])
            super(plain, self).__init__(*args, **kwargs)

        body = {"__module__": __name__, "__doc__": cls.__doc__, "__init__": __init__,
                "_shared_layout": default("layout")(lambda self: shared_layout())}
        if "style" in cls.class_traits():
            body["_shared_style"] = default("style")(lambda self: shared_style(type(self)))
        plain = _PLAIN[cls] = type(cls.__name__, (cls,), body)
    return _PLAIN[cls]


def __getattr__(name):
    obj = getattr(ipywidgets, name)
    if isinstance(obj, type) and issubclass(obj, ipywidgets.DOMWidget):
        return _plain(obj)
    return obj
