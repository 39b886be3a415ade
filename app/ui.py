"""Rendering helpers the pages share: headers, charts with their downloads, tables, notes, meeting mode.

Takes ``Chart`` objects and display DataFrames; gives Streamlit elements laid out the same way
on every page: the figure, then downloads of the data behind it (CSV in UTF-8 with BOM, XLSX)
and of the figure itself (PNG, SVG: drawn by kaleido only when the button is clicked), and a
plain caption whenever written sample data is among the figures. Report text is shown through
``st.dataframe`` (data, never HTML), except on the sources page, where ``app.highlight`` builds
escaped HTML.

In meeting mode (``meeting=1``) each chart fills a screen, in large type, titled with the
filters in force; tables and downloads step aside.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import images
from app.charts import Chart
from app.export import csv_bytes, xlsx_bytes
from app.filters import MEETING_KEY, SUMMARY_KEY
from app.i18n import t

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
MEETING_HEIGHT = 680
MEETING_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarCollapseButton"] {display: none !important;}
[data-testid="stMainBlockContainer"] {max-width: 100% !important; padding: 4.5rem 2.5rem 2rem !important;}
[data-testid="stMain"] h1 {font-size: 2.8rem !important;}
[data-testid="stMain"] p, [data-testid="stMain"] label, [data-testid="stMain"] li {font-size: 1.25rem !important;}
[data-testid="stMetricValue"] {font-size: 3.2rem !important;}
[class*="st-key-meet_"] {min-height: 94vh; display: flex; flex-direction: column; justify-content: center;
 border-bottom: 1px dashed #dee2e6; padding-bottom: 1rem;}
</style>
"""


def meeting() -> bool:
    return bool(st.session_state.get(MEETING_KEY))


def summary() -> str:
    return str(st.session_state.get(SUMMARY_KEY, ""))


def meeting_css() -> None:
    """The styles of meeting mode (called by ``dashboard.py`` when it is on)."""
    st.markdown(MEETING_CSS, unsafe_allow_html=True)


def header(title_key: str, intro_key: str | None = None) -> None:
    st.title(t(title_key))
    if intro_key and not meeting():
        st.caption(t(intro_key))


def sample_note(sample: bool) -> None:
    if sample:
        st.caption(":orange[" + t("msg.sample") + "]")


def values_note() -> None:
    """What 0, □, /, ∅, — and ✎ mean in the tables and charts."""
    if not meeting():
        st.caption(t("msg.values"))


def download(df: pd.DataFrame, name: str, where: object = None) -> None:
    (where or st).download_button(t("download"), csv_bytes(df), file_name=f"{name}.csv", mime="text/csv",
                                  key=f"dl_{name}", icon=":material/download:", on_click="ignore")


def _xlsx(df: pd.DataFrame, name: str, where: object) -> None:
    where.download_button(t("download.xlsx"), lambda: xlsx_bytes(df, name),  # type: ignore[attr-defined]
                          file_name=f"{name}.xlsx", key=f"xl_{name}", icon=":material/table_view:",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          on_click="ignore")


def _image(fig: go.Figure, name: str, fmt: str, where: object) -> None:
    text = summary()
    mime = {"png": "image/png", "svg": "image/svg+xml"}[fmt]
    where.download_button(  # type: ignore[attr-defined]
        t(f"download.{fmt}"), lambda: images.render_one(fig, fmt, text), file_name=f"{name}.{fmt}", mime=mime,
        key=f"img_{fmt}_{name}", icon=":material/image:", on_click="ignore", disabled=not images.available(),
        help=t("download.image_help") if images.available() else t("download.no_chromium"))


def for_meeting(fig: go.Figure, text: str) -> go.Figure:
    """The figure in large type, screen-high, with the filters in force under its title."""
    out = go.Figure(fig)
    title = out.layout.title.text or ""
    out.update_layout(
        title={"text": f"{title}<br><span style='font-size:18px;color:#495057'>{text}</span>", "font": {"size": 30}},
        font={"size": 18}, height=max(MEETING_HEIGHT, int(out.layout.height or 0)),
        margin={"t": 130},
    )
    if out.layout.legend.orientation == "h" and (out.layout.legend.y or 0) < 0:
        out.update_layout(legend={"y": -0.14 - 60 / out.layout.height})
    return out


def chart(c: Chart, name: str, caption: str | None = None) -> None:
    """The figure, downloads of its data (CSV, XLSX) and image (PNG, SVG), a caption and the sample note."""
    if meeting():
        with st.container(key=f"meet_{name}"):
            st.plotly_chart(for_meeting(c.figure, summary()), key=f"chart_{name}", theme=None, config=PLOTLY_CONFIG)
            sample_note(c.sample)
        return
    st.plotly_chart(c.figure, key=f"chart_{name}", theme=None, config=PLOTLY_CONFIG)
    if caption:
        st.caption(caption)
    sample_note(c.sample)
    row = st.container(horizontal=True, gap="small")
    download(c.data, name, row)
    _xlsx(c.data, name, row)
    _image(c.figure, name, "png", row)
    _image(c.figure, name, "svg", row)


def table(df: pd.DataFrame, name: str | None = None, *, sample: bool = False, height: int | str = "auto",
          links: pd.Series | None = None, always: bool = False) -> None:
    """A read-only table with CSV and XLSX downloads when ``name`` is given; hidden in meeting mode.

    ``links`` adds a last column of links to the sources page (shown only, not downloaded).
    """
    if meeting() and not always:
        return
    shown, config = df, None
    if links is not None:
        column = t("col.source")
        shown = df.assign(**{column: list(links)})
        config = {column: st.column_config.LinkColumn(column, display_text=t("sources.open"))}
    st.dataframe(shown, hide_index=True, height=height, column_config=config)
    sample_note(sample)
    if name:
        downloads(df, name)


def downloads(df: pd.DataFrame, name: str) -> None:
    """CSV and XLSX downloads of a table, side by side."""
    row = st.container(horizontal=True, gap="small")
    download(df, name, row)
    _xlsx(df, name, row)


def no_data() -> None:
    st.info(t("msg.no_data"))


def any_sample(df: pd.DataFrame) -> bool:
    return bool(len(df) and "is_sample" in df and df["is_sample"].fillna(False).astype(bool).any())
