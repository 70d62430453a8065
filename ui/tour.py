"""The guided tour: stops along the article's path, each a deep link.

A stop names a chapter and the state of its view, declared once as that chapter's
settings (``HomeSettings(data="noisy", bias=True)``, ui/model/); its link is those
settings' query string, so it carries option keys and opens the same view in either
language. ``?tour=N`` shows the tour bar (where you are, what to try, what to
notice, back / forward) above the page; the thing a stop talks about is wrapped by the
page in :func:`focus`, which the bar scrolls into view and highlights.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.scale import KNOWN_MODELS
from ui.chapters import BY_KEY
from ui.fmt import num, power_of_ten
from ui.i18n import t
from ui.model import all_models
from ui.model.att import AttSettings
from ui.model.gd import GdSettings
from ui.model.home import HomeSettings
from ui.model.inside import InsideSettings
from ui.model.nn import NnSettings
from ui.model.scale import ScaleSettings
from ui.state import Model
from ui.urlstate import frame_params
from ui.widgets import defaults

Params = dict[str, str | list[str]]
GOTO = "_tour_goto"  # stop to switch to (a page switch cannot happen in a callback)
FOCUS_KEY = "tour_focus"  # st.container key: CSS class st-key-tour_focus


@dataclass(frozen=True)
class Stop:
    key: str  # locale id: tour.<key>.title / .try / .notice; focus(key) on the page
    chapter: str  # chapter key
    settings: Model | None = None  # the chapter's settings at this stop (None: defaults)

    @property
    def state(self) -> dict[str, Any]:
        """The controls this stop sets: URL key -> value, for every field of its settings
        that differs from the chapter's default."""
        s = self.settings
        if s is None:
            return {}
        default = type(s)()
        return {
            p.key: getattr(s, name)
            for name, p in type(s).params().items()
            if getattr(s, name) != getattr(default, name)
        }

    def params(self) -> Params:
        """The URL parameters of this stop's view (option keys, never labels)."""
        if self.settings is None:
            return {}
        q = self.settings.to_query()
        return {k: v if len(v) > 1 or k in _MULTI else v[0] for k, v in q.items()}

    def values(self) -> dict[str, str]:
        """The numbers and names its try / notice sentences state, read from its declared
        state (and from the model preset it selects): never typed into the locales."""
        s, out = self.state, {}
        if "gd_lr" in s:
            out["lr"] = num(s["gd_lr"])
        if "gd_h" in s:
            out["h"] = power_of_ten(s["gd_h"])
        if "scale_model" in s:
            m = KNOWN_MODELS[s["scale_model"]]
            out |= {"model": m.name, "layers": str(m.shape.n_layers)}
        return out

    def text(self, part: str) -> str:
        """Its ``part`` sentence ("title", "try" or "notice"), translated and filled."""
        return t(f"tour.{self.key}.{part}", **self.values())


STOPS: tuple[Stop, ...] = (
    Stop("function", "home"),
    Stop("loss", "home", HomeSettings(data="noisy", bias=True)),
    Stop("descent", "gd"),
    Stop("lr_large", "gd", GdSettings(lr=0.05)),
    Stop("numerical", "gd", GdSettings(grad="forward", h=1e-10)),
    Stop("activation", "nn", NnSettings(acts=("sigmoid", "relu"))),
    Stop("xor", "nn", NnSettings(ldata="xor")),
    Stop("attention", "att", AttSettings(step=6)),
    Stop("bpe", "inside", InsideSettings(merges=12)),
    Stop("kv_cache", "inside", InsideSettings(generated=8)),
    Stop("next_token", "nt"),
    Stop("scale", "scale", ScaleSettings(model="gpt3-175b")),
)
#: Multi-choice URL keys: always a list of values, even with one chosen.
_MULTI = frozenset(p.key for m in all_models() for p in m.params().values() if p.kind == "multi")


def stop_params(i: int) -> Params:
    """Every URL parameter of stop ``i`` (1-based): its view, the tour, language, presenter."""
    return {**frame_params(), **STOPS[i - 1].params(), "tour": str(i)}


def current_stop() -> int | None:
    """The 1-based stop number from ``?tour=``, or None: anything but 1-3 ASCII digits
    naming a stop is ignored (``isdigit`` would accept '²', which ``int`` refuses)."""
    raw = st.query_params.get("tour")
    if raw is None or not re.fullmatch(r"[0-9]{1,3}", raw):
        return None
    i = int(raw)
    return i if 1 <= i <= len(STOPS) else None


def _open_stop() -> Stop | None:
    i = current_stop()
    return STOPS[i - 1] if i is not None else None


@contextlib.contextmanager
def focus(stop_key: str, where: Any = st) -> Iterator[Any]:
    """Wrap what tour stop ``stop_key`` talks about. While that stop is open, this is
    ``st.container(key="tour_focus")``, which the tour bar scrolls to and highlights;
    otherwise a plain container (the page's layout does not change)."""
    stop = _open_stop()
    if stop is not None and stop.key == stop_key:
        box = where.container(key=FOCUS_KEY)
    else:
        box = where.container()
    with box:
        yield box


# Static script and style (no user text, no URL value reaches them): bring the focused
# element to the middle of the screen once it is drawn, and outline it. The stop number
# in the markup makes the element new for every stop, so the script runs once per stop.
_FOCUS_HTML = """
<style>
.st-key-tour_focus {{ outline: 4px solid #D55E00; outline-offset: 6px; border-radius: 6px;
  scroll-margin: 96px; }}
</style>
<span data-tour-stop="{i}"></span>
<script>
(() => {{
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  let tries = 0;
  const go = () => {{
    const el = doc.querySelector(".st-key-tour_focus");
    if (el && el.getBoundingClientRect().height > 0) {{
      const center = () => el.scrollIntoView({{block: "center", behavior: "instant"}});
      center();
      // The focus, and the page above it, grow while figures are drawn (later on a slow
      // phone): it is centred again on every change of either size for a few seconds,
      // until the reader scrolls.
      let reader = false;
      const stop = () => {{ reader = true; }};
      for (const type of ["wheel", "touchmove", "keydown", "mousedown"]) {{
        win.addEventListener(type, stop, {{once: true, passive: true, capture: true}});
      }}
      const watch = new win.ResizeObserver(() => {{ if (!reader) center(); }});
      watch.observe(el);
      const page = doc.querySelector("[data-testid=stMainBlockContainer]");
      if (page) watch.observe(page);
      setTimeout(() => watch.disconnect(), 5000);
      return;
    }}
    if (++tries < 60) setTimeout(go, 100);
  }};
  setTimeout(go, 50);
}})();
</script>
"""


def _go(i: int, chapter: str) -> None:
    """Button callback: move the tour to stop ``i`` from a page of ``chapter``."""
    stop = STOPS[i - 1]
    if stop.chapter != chapter:
        st.session_state[GOTO] = i
        return
    for key, default in defaults().items():
        if key.startswith(BY_KEY[chapter].key_prefix) and key not in stop.state:
            st.session_state[key] = default
    for key, value in stop.state.items():
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    st.query_params["tour"] = str(i)


def _follow_goto() -> None:
    i = st.session_state.pop(GOTO, None)
    if i is not None:
        st.switch_page(BY_KEY[STOPS[i - 1].chapter].file, query_params=stop_params(i))


def tour_bar(chapter: str) -> None:
    """The tour bar above the page, when ``?tour=N`` names a stop of this chapter."""
    _follow_goto()
    i = current_stop()
    if i is None or STOPS[i - 1].chapter != chapter:
        return
    stop = STOPS[i - 1]
    st.html(_FOCUS_HTML.format(i=i), unsafe_allow_javascript=True)
    with st.container(border=True):
        title = t(f"tour.{stop.key}.title")
        st.progress(i / len(STOPS), text=t("tour.where", i=i, n=len(STOPS), title=title))
        st.markdown(f"**{t('tour.try')}** {stop.text('try')}")
        st.markdown(f"**{t('tour.notice')}** {stop.text('notice')}")
        back, end, forward = st.columns(3)
        if i > 1:
            back.button(
                t("tour.back"),
                key="app_tour_back",
                icon=":material/arrow_back:",
                on_click=_go,
                args=(i - 1, chapter),
                width="stretch",
                shortcut="Shift+Left",
            )
        if end.button(t("tour.end"), key="app_tour_end", icon=":material/close:", width="stretch"):
            del st.query_params["tour"]
            st.rerun()
        if i < len(STOPS):
            forward.button(
                t("tour.forward"),
                key="app_tour_next",
                type="primary",
                icon=":material/arrow_forward:",
                on_click=_go,
                args=(i + 1, chapter),
                width="stretch",
                shortcut="Shift+Right",
            )


def tour_start_button(chapter: str) -> None:
    """A button (on a page of ``chapter``) that starts the tour at its first stop."""
    st.button(
        t("tour.start", n=len(STOPS)),
        key="app_tour_start",
        icon=":material/tour:",
        on_click=_go,
        args=(1, chapter),
    )
