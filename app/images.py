"""Static images of plotly figures (PNG, SVG) through kaleido and the system's Chromium.

Takes figures; gives image bytes with the Chinese glyphs drawn by the Noto CJK fonts Chromium
finds on the machine. Each Chromium launch costs seconds, so ``render`` draws a whole batch on
one kaleido server; nothing here runs unless a user asks for an image. ``available()`` says
whether a Chromium is installed (kaleido looks for ``chromium`` on ``PATH`` or ``BROWSER_PATH``).
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings
from collections.abc import Sequence

import plotly.graph_objects as go
import plotly.io as pio

from app.charts import FONT

WIDTH, HEIGHT = 1280, 720
_LOCK = threading.Lock()
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def available() -> bool:
    """Whether a Chromium for kaleido is installed."""
    path = os.environ.get("BROWSER_PATH")
    if path and os.path.exists(path):
        return True
    return any(shutil.which(name) for name in _BROWSERS)


def for_export(fig: go.Figure, subtitle: str | None = None, *, width: int = WIDTH, height: int | None = None,
               font_size: int = 16) -> go.Figure:
    """A copy of ``fig`` for a static image: white background, larger type, the filters under the title."""
    out = go.Figure(fig)
    title = out.layout.title.text or ""
    if subtitle:
        title = f"{title}<br><span style='font-size:{font_size - 2}px;color:#495057'>{subtitle}</span>"
    out.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"}, font={"family": FONT, "size": font_size},
        paper_bgcolor="white", plot_bgcolor="white", width=width,
        height=height or max(int(out.layout.height or 0), 640),
    )
    if out.layout.legend.orientation == "h" and (out.layout.legend.y or 0) < 0:
        out.update_layout(legend={"y": -0.2 - 24 / (height or 640)})
    top = max(int(out.layout.margin.t or 0), 110 if subtitle else 70)
    out.update_layout(margin={"t": top, "l": 20, "r": 30, "b": 30})
    return out


def render(figs: Sequence[go.Figure], fmt: str | Sequence[str] = "png", *, scale: float = 2) -> list[bytes]:
    """Images of ``figs`` in ``fmt`` (png, svg, pdf, jpeg; one for all or one per figure), on one kaleido server."""
    if not figs:
        return []
    import kaleido

    fmts = [fmt] * len(figs) if isinstance(fmt, str) else list(fmt)
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kaleido.start_sync_server(silence_warnings=True)
        try:
            return [pio.to_image(f, format=x, scale=scale if x in ("png", "jpeg") else 1)
                    for f, x in zip(figs, fmts, strict=True)]
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


def render_one(fig: go.Figure, fmt: str, subtitle: str | None = None) -> bytes:
    """One image of one figure, with the filters under its title."""
    return render([for_export(fig, subtitle)], fmt)[0]
