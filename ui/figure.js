// The app's figures (ui/figure.py). Plotly draws a figure once and then updates it in
// place (Plotly.react) when a rerun sends a changed one: Streamlit 1.67's st.plotly_chart
// builds every changed figure from scratch, which made a slider move 2-4x slower in the
// browser than an empty app (bench/notes.md). plotly.js is Streamlit's own chunk, the same
// file st.plotly_chart loads (it sets window.Plotly), so nothing extra is downloaded.
// Everything here comes from the app's own code: no user text is turned into HTML.
// If plotly.js cannot load (a dropped connection) or cannot draw a figure, the figure's
// box shows ui/figure.py's translated notice instead of staying blank, and the next call
// (the next rerun) tries again.

let loading = null;
let attempts = 0;
const failed = new Set(); // boxes showing the notice, drawn again once plotly.js loads

function plotly(chunk) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
    const url = new URL(chunk, main ? main.src : document.baseURI);
    // a browser may keep a failed import of a URL for the page's life: a retry asks for
    // the same file under a URL of its own (the failed one never ran)
    if (attempts) url.searchParams.set("retry", String(attempts));
    attempts += 1;
    loading = import(url.href)
      .then(() => {
        if (!window.Plotly) throw new Error("plotly.js loaded without window.Plotly");
        return window.Plotly;
      })
      .catch((err) => {
        // not kept: the next call loads again
        loading = null;
        throw err;
      });
  }
  return loading;
}

// The notice is a live region from the start (an empty one takes no room), so screen
// readers announce its text when it appears. It covers the box, and so a figure it no
// longer matches, in the theme's colours (Streamlit sets --st-* on every component).
const NOTICE_CSS = "position:absolute;inset:0;z-index:1002;display:flex;align-items:center;"
  + "justify-content:center;padding:1rem;text-align:center;line-height:1.6;"
  + "text-wrap:balance;word-break:auto-phrase;" // Japanese breaks between phrases
  + "background:var(--st-secondary-background-color);color:var(--st-text-color);"
  + "border:1px solid var(--st-border-color);border-radius:var(--st-base-radius)";

function notify(box, text) {
  const { notice } = box._app;
  notice.textContent = text || "";
  notice.style.cssText = text ? NOTICE_CSS : "";
}

const FULLSCREEN_ICON = {
  width: 24,
  height: 24,
  path: "M3 3h7v2H5v5H3zM14 3h7v7h-2V5h-5zM3 14h2v5h5v2H3zM19 14h2v7h-7v-2h5z",
};

function setUp(parentElement) {
  const box = document.createElement("div");
  box.className = "app-figure";
  box.style.position = "relative";
  const gd = document.createElement("div");
  box.appendChild(gd);
  const notice = document.createElement("div");
  notice.className = "app-figure-failed";
  notice.setAttribute("role", "status");
  box.appendChild(notice);
  parentElement.appendChild(box);
  let frame = 0;
  const resize = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      if (window.Plotly && gd._fullLayout) window.Plotly.Plots.resize(gd);
    });
  });
  resize.observe(box);
  box.addEventListener("fullscreenchange", () => {
    const full = document.fullscreenElement === box;
    box.style.background = full ? gd._fullLayout?.paper_bgcolor || "" : "";
    if (window.Plotly && gd._fullLayout) {
      window.Plotly.relayout(gd, {
        height: full ? window.innerHeight - 16 : gd._appHeight, width: null, autosize: true,
      });
    }
  });
  box._app = { gd, notice, resize, button: null, calls: 0 };
  return box;
}

export default function ({ data: payload, parentElement }) {
  // ui/figure.py's pack(): a line of JSON about the figure, then the figure's JSON
  const text = new TextDecoder().decode(payload);
  const cut = text.indexOf("\n");
  const data = JSON.parse(text.slice(0, cut));
  const fig = JSON.parse(text.slice(cut + 1));
  const box = parentElement.querySelector(":scope > .app-figure") || setUp(parentElement);
  const { gd, resize } = box._app;
  // one button object per title: a new one (a new click function) on every call would
  // make Plotly.react see a changed config and build the whole plot again (newPlot)
  if (box._app.button?.title !== data.fullscreen) {
    box._app.button = {
      name: "fullscreen",
      title: data.fullscreen,
      icon: FULLSCREEN_ICON,
      click: () => (document.fullscreenElement === box
        ? document.exitFullscreen()
        : box.requestFullscreen()),
    };
  }
  const button = box._app.button;
  if (data.alt) {
    box.setAttribute("role", "figure");
    box.setAttribute("aria-label", data.alt);
  }
  const layout = Object.assign({}, fig.layout, { autosize: true });
  gd._appHeight = layout.height || 450;
  if (document.fullscreenElement !== box) layout.height = gd._appHeight;
  else layout.height = window.innerHeight - 16;
  box.style.minHeight = gd._appHeight + "px";
  // out of view the box is not drawn (ui/style.py): it keeps the figure's own height
  // meanwhile, so that nothing below it moves when it is drawn
  box.style.containIntrinsicSize = "auto " + gd._appHeight + "px";
  const config = Object.assign({}, data.config, {
    modeBarButtonsToAdd: [button],
  });
  // only the latest call shows or clears the notice (an older one may settle later)
  const call = ++box._app.calls;
  const draw = () => plotly(data.chunk)
    .then((Plotly) =>
      Plotly.react(gd, { data: fig.data, layout, frames: fig.frames || [], config }),
    )
    .then(
      () => {
        if (call !== box._app.calls) return;
        notify(box, "");
        failed.delete(box);
        // plotly.js loads now: figures that failed and that no rerun has sent again
        // (their data did not change) are drawn too
        for (const other of [...failed]) {
          failed.delete(other);
          if (other.isConnected) other._app.draw();
        }
      },
      (err) => {
        console.error("app figure:", err);
        if (call !== box._app.calls) return;
        notify(box, data.failed);
        failed.add(box);
      },
    );
  box._app.draw = draw;
  draw();
  // Streamlit calls the last cleanup when the figure leaves the page, but also at once
  // when a newer call overtook this one: only a box that has left the page is let go.
  return () => {
    if (box.isConnected) return;
    resize.disconnect();
    if (window.Plotly) window.Plotly.purge(gd);
  };
}
