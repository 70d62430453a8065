"""The gradient-descent map's landscape raster (viz.descent.landscape_rgba and the PNG
it is sent as), checked against hand-built grids and a decoded PNG."""

import base64
import io

import numpy as np
from PIL import Image

from core.landscapes import LANDSCAPES
from viz import descent as vd


def _decode(uri: str) -> np.ndarray:
    head = "data:image/png;base64,"
    assert uri.startswith(head)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri[len(head) :]))))


def test_bands_follow_height_and_the_image_is_read_top_down():
    # a ramp along y: the grid's first row (lowest y) is the lowest band, and an image is
    # read top down, so the raster's LAST row holds it
    z = np.repeat(np.linspace(0.0, 1.0, 25)[:, None], 7, axis=1)
    img = vd.landscape_rgba(z)
    n = (25 - 1) * vd.UPSAMPLE + 1
    assert img.shape == (n, (7 - 1) * vd.UPSAMPLE + 1, 4)
    assert (img[..., 3] == 255).all()
    bottom, top = img[-1, 0, :3].astype(int), img[0, 0, :3].astype(int)
    assert not np.array_equal(bottom, top)
    # Viridis: dark purple at the low end, yellow at the high end
    assert bottom[2] > bottom[1] and top[0] > top[2]
    # each row is one height: one colour per row across x
    assert (img[:, :, :3] == img[:, :1, :3]).all()
    # BANDS bands, separated by lighter line rows: distinct colours = bands + lines
    colours = {tuple(c) for c in img[:, 0, :3]}
    assert vd.BANDS <= len(colours) <= 2 * vd.BANDS


def test_non_finite_cells_are_transparent_and_ignored_for_the_scale():
    z = np.linspace(0.0, 1.0, 36).reshape(6, 6)
    z[0, 0] = np.nan
    z[5, 5] = np.inf
    img = vd.landscape_rgba(np.where(np.isfinite(z), z, np.nan))
    assert img[-1, 0, 3] == 0  # grid (0, 0) is the image's bottom-left corner
    assert img[0, -1, 3] == 0  # grid (5, 5): top-right
    assert img[img.shape[0] // 2, img.shape[1] // 2, 3] == 255
    assert not vd.landscape_rgba(np.full((4, 4), np.nan)).any()


def test_the_lowest_band_holds_the_known_minima():
    land = LANDSCAPES["himmelblau"]
    x, y, z = land.grid(60)
    zd = vd.display_z(z)[0]
    img = vd.landscape_rgba(zd)
    low = img[..., :3].astype(int).sum(axis=-1)  # dark = low on Viridis
    fx = (len(x) - 1) * vd.UPSAMPLE / (x[-1] - x[0])
    fy = (len(y) - 1) * vd.UPSAMPLE / (y[-1] - y[0])
    for mx, my in land.minima:
        col = round((mx - x[0]) * fx)
        row = img.shape[0] - 1 - round((my - y[0]) * fy)
        assert low[row, col] <= np.percentile(low, 10), (mx, my)


def test_png_round_trip():
    z = LANDSCAPES["rosenbrock"].grid(30)[2]
    img = vd.landscape_rgba(vd.display_z(z)[0])
    assert np.array_equal(_decode(vd.png_data_uri(img)), img)


def test_the_map_places_its_image_on_the_grid_and_animates_without_redraw():
    land = LANDSCAPES["himmelblau"]
    x, y, z = land.grid(30)
    fig = vd.contour_figure(x, y, z, [], 0, vd.Labels(), minima=land.minima, colorbar="L")
    d = fig.to_dict()
    (im,) = d["layout"]["images"]
    assert (im["x"], im["y"]) == (x[0], y[-1])  # top-left corner, anchored top-left
    assert (im["sizex"], im["sizey"]) == (x[-1] - x[0], y[-1] - y[0])
    assert im["layer"] == "below" and im["xref"] == "x" and im["yref"] == "y"
    assert np.array_equal(_decode(im["source"]), vd.landscape_rgba(vd.display_z(z)[0]))
    bar = d["data"][0]["marker"]
    lo, hi = float(np.nanmin(z)), float(np.nanmax(z))
    assert (bar["cmin"], bar["cmax"]) == (lo, hi) and bar["showscale"]
    play = d["layout"]["updatemenus"][0]["buttons"][0]["args"][1]
    assert play["frame"]["redraw"] is False


def test_the_map_shows_its_step_as_text_that_the_frames_move():
    """No in-figure slider on the 2-D views (the page's step slider does that job); the
    map's frames carry a "step N" label, N the step the walker stands at in that frame."""
    from core.optimizers import descend

    land = LANDSCAPES["himmelblau"]
    x, y, z = land.grid(30)
    tr = descend(land, (0.0, 0.0), optimizer="gd", lr=0.01, steps=40)
    path = vd.PathView("gd", vd.PALETTE[0], tr.points, tr.losses, tr.learning_rates, tr.gradients)
    lab = vd.Labels()
    d = vd.contour_figure(x, y, z, [path], 5, lab, minima=land.minima).to_dict()
    assert "sliders" not in d["layout"]
    assert [b["label"] for b in d["layout"]["updatemenus"][0]["buttons"]] == [lab.play, lab.pause]
    (label,) = [t for t in d["data"] if t.get("mode") == "text"]
    assert list(label["text"]) == [f"{lab.frame}5"]
    last = len(tr.points) - 1
    for f in d["frames"]:
        (text,) = [t for t in f["data"] if "text" in t]
        assert text["text"] == [f"{lab.frame}{min(int(f['name']), last)}"]
