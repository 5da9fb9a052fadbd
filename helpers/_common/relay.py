"""Controls that change a figure in the browser, with no kernel round trip (anywidget).

A figure that already carries every state a control can show (the map explorer's naming buttons
and year steps) can be switched where it is drawn. A ``Relay`` is an invisible widget whose
browser code does that: ``jslink`` ties a control's value to the relay in the browser, and the
relay presses the figure's own button or step, exactly as a mouse on the figure would.

    naming_relay(toggle)          # one per kernel, jslinked to every naming toggle's index
    step_relay(figure_id, menu)   # one per explorer, jslinked to its year menu's index

Which figures follow: those whose ``layout.meta.kuril`` says so (``mark``): ``naming`` (the
naming each button shows, in button order) makes a figure follow the course's naming switch;
``id`` names it for a ``step_relay`` and in reports. The kernel still holds the truth
(``.value``, ``.figure``). ``live`` turns True once a browser has run the relay's code; after
each change the browser reports in ``shown`` which marked figures now show it, so an explorer
redraws through the kernel only a figure the browser could not switch (not drawn yet, or drawn
somewhere the page cannot reach). Without a browser (nbclient, tests) ``live`` stays False and
the kernel redraws as before.
"""

import itertools

__all__ = ["kernel_relay", "naming_relay", "step_relay", "new_id", "mark", "live",
           "ESM"]

# The browser code, run once per relay in each page (anywidget's ``initialize``). It travels in
# every relay's saved state, so it is kept short and its notes are here:
# - F(test): the drawn figures whose layout.meta.kuril passes ``test``. Plotly is the one that
#   drew them (jupyterlab-plotly puts it on window); a figure not drawn yet is not found.
# - P(div, kind, k): apply button k of the first updatemenu (kind "updatemenus") or step k of the
#   first slider ("sliders"): its own method and args, marking it active as a click does. True
#   when the figure now shows it.
# - R(model, key, value): set a trait and send it to the kernel: ``live`` once, then the
#   reports (``shown``, ``patched``); the kernel redraws the figures not in their ``ids``.
# - On a change of ``index``: a naming relay presses the button of choices[index] in every figure
#   that follows the naming; a step relay presses step ``index`` of its target figure.
# - A page opened on a relay another page made live (a reload) reports at once: its figures
#   are not drawn yet, so the kernel redraws them as it last knew them, and a change no page
#   saw is not lost.
# - On a change of ``figure`` ({id, n, update} or {id, n, spec}): change the figure marked ``id``
#   in place (U: one Plotly.update of [[trace, {path: value}], ...] and a relayout, see
#   figures.changes; an attribute a trace does not list is undefined there, which plotly
#   skips; or Plotly.react with the whole figure), clear ``figure`` (no copy kept in the saved
#   state) and report in ``patched``.
ESM = r"""const W = () => window.Plotly;
const F = (t) => [...document.querySelectorAll('.js-plotly-plot')].filter((d) =>
  d.layout && d.layout.meta && d.layout.meta.kuril && t(d.layout.meta.kuril));
function P(d, kind, k) {
  const g = (d.layout[kind] || [])[0], it = g && (kind == 'sliders' ? g.steps : g.buttons)[k];
  if (!W() || !it || it.method != 'update') return false;
  const [a, b, c] = it.args;
  if (g.active !== k) W().update(d, a || {}, {...b, [kind + '[0].active']: k}, c);
  return true;
}
function R(m, key, what) { m.set(key, what); m.save_changes(); }
function changed(m) {
  const k = m.get('index'), id = m.get('target'), ids = [];
  if (k < 0) return;
  if (m.get('kind') == 'naming') {
    const c = m.get('choices')[k];
    for (const d of F((x) => Array.isArray(x.naming))) {
      const x = d.layout.meta.kuril;
      if (P(d, 'updatemenus', x.naming.indexOf(c)) && x.id) ids.push(x.id);
    }
    R(m, 'shown', {naming: c, ids});
  } else if (id) {
    for (const d of F((x) => x.id == id)) if (P(d, 'sliders', k)) ids.push(id);
    R(m, 'shown', {index: k, ids});
  }
}
function U(d, rows, lay) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r[1])))];
  const s = Object.fromEntries(keys.map((k) => [k, rows.map((r) => r[1][k])]));
  W().update(d, s, lay, rows.map((r) => r[0]));
}
function redraw(m) {
  const f = m.get('figure'), u = f && f.update;
  if (!f || !f.id) return;
  const ds = W() ? F((x) => x.id == f.id) : [];
  for (const d of ds) u ? U(d, ...u) : W().react(d, f.spec.data, f.spec.layout);
  m.set('figure', {});
  R(m, 'patched', {id: f.id, n: f.n, ids: ds.length ? [f.id] : []});
}
export default {initialize({model: m}) {
  m.on('change:index', () => changed(m));
  m.on('change:figure', () => redraw(m));
  if (m.get('live')) { changed(m); redraw(m); }
  R(m, 'live', true);
}};
"""

_state = {"kernel": None}
_ids = itertools.count(1)


def _relay_class():
    import anywidget
    import traitlets

    from . import widgets

    class Relay(anywidget.AnyWidget):
        """Switches marked figures in the browser; see the module's docstring."""

        _esm = ESM
        kind = traitlets.Unicode("step").tag(sync=True)  # "naming" or "step"
        index = traitlets.Int(-1).tag(sync=True)  # jslinked to a control's ``index``
        choices = traitlets.List().tag(sync=True)  # naming: the naming at each index
        target = traitlets.Unicode("").tag(sync=True)  # step: the figure's id
        live = traitlets.Bool(False).tag(sync=True)
        # the browser's report after each change: {"naming": ...} or {"index": ...}, and "ids",
        # the marked figures that now show it
        shown = traitlets.Dict().tag(sync=True)
        # a figure to change in place, {"id", "n", "update" or "spec"}, and the browser's report:
        # {"id", "n", "ids"} (ids: [id] when it was redrawn, [] when not found)
        figure = traitlets.Dict().tag(sync=True)
        patched = traitlets.Dict().tag(sync=True)

    return widgets._plain(Relay)


def _new(**traits):
    cls = _state.get("class") or _state.setdefault("class", _relay_class())
    return cls(**traits)


def kernel_relay():
    """The kernel's one relay for the naming switch and in-place redraws (made on first use,
    again if it was closed)."""
    relay = _state["kernel"]
    if relay is None or getattr(relay, "comm", None) is None:
        relay = _state["kernel"] = _new(kind="naming")
    return relay


def naming_relay(toggle):
    """The kernel relay, jslinked to the naming ``toggle`` (its ``index``: its options' values
    in order)."""
    from . import widgets

    relay = kernel_relay()
    if not relay.choices:
        relay.choices = [value for _, value in toggle.options]
        relay.index = toggle.index
    toggle._link = widgets.jslink((toggle, "index"), (relay, "index"))
    return relay


def step_relay(figure_id, control):
    """A relay that shows the slider step of the figure marked ``figure_id`` at ``control``'s
    ``index`` (a menu of the same steps, in order), jslinked to it."""
    from . import widgets

    relay = _new(kind="step", target=figure_id, index=control.index)
    relay._link = widgets.jslink((control, "index"), (relay, "index"))
    return relay


def new_id():
    """A name for one figure, unique in this kernel."""
    return f"kuril-figure-{next(_ids)}"


def mark(spec, naming=None, figure_id=None):
    """Mark figure dict ``spec`` (in place) as followed by relays: ``naming``, the naming each
    button of its first updatemenu shows; ``figure_id``, its name for a step relay."""
    kuril = spec["layout"].setdefault("meta", {}).setdefault("kuril", {})
    if naming:
        kuril["naming"] = list(naming)
    if figure_id:
        kuril["id"] = figure_id
    return spec


def live(*relays):
    """True when a browser runs the code of every relay given (and at least one is given)."""
    return bool(relays) and all(getattr(r, "live", False) for r in relays)
