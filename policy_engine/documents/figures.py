"""Charts drawn as PNG images for the documents, with vl-convert (Vega-Lite rendered offline).

vl-convert embeds the Vega engine and its own Liberation Sans, which holds Cyrillic and the
Kazakh letters, so no host font is used. We deliberately do not register another font
directory: measured on this project's charts it made every chart about four times slower
(0.07 s → 0.29 s per PNG). PNG at scale 2 prints a 620-pixel chart at about 190 dpi on A4.

A chart that fails to render must not cost the officials their document: the failure is
returned as None and the renderers print a notice in its place.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

SCALE = 2


def render_png(spec: dict[str, Any], scale: float = SCALE) -> bytes:
    """One Vega-Lite spec (inline data) as PNG bytes."""
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=scale)


def render_all(figures: Iterable[Any], progress: Callable[[int, int], None] | None = None) -> dict[str, bytes | None]:
    """PNG of every figure by id; None where the chart could not be drawn. `progress(done, total)` is
    called after each figure so a page can show how far it got."""
    figures = list(figures)
    out: dict[str, bytes | None] = {}
    for i, fig in enumerate(figures, 1):
        out[fig.id] = _safe_png(fig)
        if progress:
            progress(i, len(figures))
    return out


def warm_up() -> None:
    """Start the Vega engine (about half a second, once per process) before a user waits for it."""
    render_png(
        {"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x", "type": "quantitative"}}},
        scale=1,
    )


_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ProcessPoolExecutor | None:
    """One worker process that keeps a warm Vega engine for the life of this process.

    vl-convert holds the GIL while it renders (measured: a chart thread and a Python loop took
    the sum of their times, not the longer), so charts are drawn in another process and the PDF's
    text is laid out here at the same time, on the machine's second core. `spawn`, not fork:
    the app's server has threads, and forking a threaded process is unsafe.
    """
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            try:
                _POOL = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up
                )
            except (OSError, NotImplementedError):  # no processes here: draw in this one
                return None
        return _POOL


def _reset_pool(wait: bool = False) -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=wait, cancel_futures=True)
        _POOL = None


def stop_worker() -> None:
    """Stop the chart worker. Needed in a process that multiprocessing itself started: at exit it
    joins its children before the pool is told to stop, and would wait for the worker forever."""
    _reset_pool(wait=True)


def start_worker() -> None:
    """Start the chart worker and wait until its engine is warm (about 1 s, once per process)."""
    pool = _pool()
    if pool is not None:
        pool.submit(warm_up).result()


def render_async(figures: Iterable[Any]) -> dict[str, Future]:
    """Start drawing every figure, in document order, in the worker process; a Future per id.

    Each Future gives PNG bytes or None. If the worker cannot be used (it died, or processes are
    not available), the figures are drawn here instead and the Futures are already done.
    """
    figures = list(figures)
    pool = _pool()
    if pool is not None:
        try:
            return {fig.id: pool.submit(_safe_png, fig) for fig in figures}
        except BrokenProcessPool:
            _reset_pool()
    out: dict[str, Future] = {}
    for fig_id, png in render_all(figures).items():
        out[fig_id] = Future()
        out[fig_id].set_result(png)
    return out


def _safe_png(figure: Any) -> bytes | None:
    """The figure's PNG: its spec is made here (in the worker) from the recipe, then drawn."""
    try:
        return render_png(figure.spec())
    except Exception:  # noqa: BLE001 - a broken chart leaves a notice, never a missing document
        return None


def resolve(value: bytes | None | Future) -> bytes | None:
    """The PNG behind a value of render_async or render_all; None when the chart was not drawn."""
    if not isinstance(value, Future):
        return value
    try:
        return value.result()
    except BrokenProcessPool:
        _reset_pool()
        return None
