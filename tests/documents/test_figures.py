"""Charts drawn as PNG for the documents (policy_engine/documents/figures.py): vl-convert in a worker
process, PNG at scale 2, a broken chart returned as None so the document still comes out, and
progress after each figure. ../shared/PITFALLS.md §5: text silently vanishes from a PNG when the
font is not found, so a drawn title is checked by what it changes in the picture."""

from __future__ import annotations

import io
import struct
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
from PIL import Image

from policy_engine.documents import figures
from policy_engine.documents.roadmap import FIGURE_WIDTH, Figure
from tests.documents.test_charts import LABELS, ROWS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (it always comes first)."""
    assert png[:8] == PNG_SIGNATURE and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def figure(ident: str, chart: str = "identity_by_layer", **args) -> Figure:
    return Figure(
        id=ident,
        caption=ident,
        chart=chart,
        args=args or {"rows": ROWS[chart], "labels": LABELS},
    )


@pytest.fixture(scope="module", autouse=True)
def _stop_the_worker():
    """A chart worker left running would hold up the test process's exit."""
    yield
    figures.stop_worker()


def test_a_spec_becomes_a_png_at_twice_its_size():
    spec = figure("a").spec()
    big, small = figures.render_png(spec), figures.render_png(spec, scale=1)
    (w2, h2), (w1, h1) = png_size(big), png_size(small)
    assert w1 >= FIGURE_WIDTH  # the chart at the document's width, plus its axis and legend
    assert abs(w2 - 2 * w1) <= 2 and abs(h2 - 2 * h1) <= 2  # scale 2: about 190 dpi on A4


def dark_pixels(png: bytes, rows: int) -> int:
    """How many pixels of the picture's top `rows` rows are dark (text on the white background)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    band = image.crop((0, 0, image.width, rows))
    return sum(band.histogram()[:128])


@pytest.mark.parametrize("title", ["Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East"])
def test_title_text_is_drawn_in_the_png(title):
    """With a font it cannot find, vl-convert draws no text and says nothing (PITFALLS §5): the
    title's band would be white. Checked: with config.font "NoSuchFont" it has 0 dark pixels."""
    base = {
        "data": {"values": [{"x": 1}]},
        "mark": "point",
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
        "background": "white",
    }
    plain = figures.render_png(base, scale=1)
    titled = figures.render_png({**base, "title": title}, scale=1)
    band = png_size(titled)[1] - png_size(plain)[1]  # the room made for the title
    assert band > 5
    assert dark_pixels(titled, band) > 100  # glyphs drawn in it


def test_render_all_draws_each_figure_in_order_and_reports_progress():
    figs = [figure("layers"), figure("heat", "lq_heatmap"), figure("events", "events_timeline")]
    calls = []
    out = figures.render_all(figs, progress=lambda done, total: calls.append((done, total)))
    assert list(out) == ["layers", "heat", "events"]
    assert all(png[:8] == PNG_SIGNATURE for png in out.values())
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert figures.render_all([]) == {}


def test_a_chart_that_cannot_be_drawn_is_none_and_the_others_still_are():
    broken = figure("broken", "lq_heatmap", rows=ROWS["lq_heatmap"], labels={})  # its labels are missing
    unknown = figure("unknown", "no_such_chart", rows=[])
    out = figures.render_all([figure("ok"), broken, unknown])
    assert out["broken"] is None and out["unknown"] is None
    assert out["ok"][:8] == PNG_SIGNATURE


def test_render_async_draws_in_the_worker_process():
    figs = [figure("layers"), figure("broken", "lq_heatmap", rows=[], labels={}), figure("kpi", "kpi_paths")]
    futures = figures.render_async(figs)
    assert list(futures) == ["layers", "broken", "kpi"]  # in document order
    assert all(isinstance(f, Future) for f in futures.values())
    drawn = {k: figures.resolve(f) for k, f in futures.items()}
    assert drawn["broken"] is None
    assert drawn["layers"] == figures.render_png(figs[0].spec())  # the same picture as drawn here
    assert png_size(drawn["kpi"])[0] > 0


def test_without_a_worker_the_figures_are_drawn_here(monkeypatch):
    monkeypatch.setattr(figures, "_pool", lambda: None)
    futures = figures.render_async([figure("layers")])
    assert futures["layers"].done()
    assert figures.resolve(futures["layers"])[:8] == PNG_SIGNATURE


def test_resolve_passes_bytes_and_none_through_and_survives_a_dead_worker():
    assert figures.resolve(b"png") == b"png" and figures.resolve(None) is None
    dead = Future()
    dead.set_exception(BrokenProcessPool("the worker died"))
    assert figures.resolve(dead) is None
    assert figures._POOL is None  # the next figure starts a new worker
    futures = figures.render_async([figure("again")])
    assert figures.resolve(futures["again"])[:8] == PNG_SIGNATURE
