// The app's figures (ui/figure.py). Plotly draws a figure once and then updates it in
// place (Plotly.react) when a rerun sends a changed one: Streamlit 1.67's st.plotly_chart
// builds every changed figure from scratch, which made a slider move 2-4x slower in the
// browser than an empty app (bench/notes.md). plotly.js is Streamlit's own chunk, the same
// file st.plotly_chart loads (it sets window.Plotly), so nothing extra is downloaded.
// Everything here comes from the app's own code: no user text is turned into HTML.

let loading = null;

function plotly(chunk) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
    const url = new URL(chunk, main ? main.src : document.baseURI).href;
    loading = import(url).then(() => window.Plotly);
  }
  return loading;
}

const FULLSCREEN_ICON = {
  width: 24,
  height: 24,
  path: "M3 3h7v2H5v5H3zM14 3h7v7h-2V5h-5zM3 14h2v5h5v2H3zM19 14h2v7h-7v-2h5z",
};

function setUp(parentElement) {
  const box = document.createElement("div");
  box.className = "app-figure";
  const gd = document.createElement("div");
  box.appendChild(gd);
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
  box._app = { gd, resize, button: null };
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
  const config = Object.assign({}, data.config, {
    modeBarButtonsToAdd: [button],
  });
  plotly(data.chunk).then((Plotly) =>
    Plotly.react(gd, { data: fig.data, layout, frames: fig.frames || [], config }),
  );
  // Streamlit calls the last cleanup when the figure leaves the page, but also at once
  // when a newer call overtook this one: only a box that has left the page is let go.
  return () => {
    if (box.isConnected) return;
    resize.disconnect();
    if (window.Plotly) window.Plotly.purge(gd);
  };
}
