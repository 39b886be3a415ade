"""Rendering helpers the pages share: headers, charts with their CSV, tables, notes.

Takes ``Chart`` objects and display DataFrames; gives Streamlit elements laid out the same way
on every page: the figure, a "download CSV" button for the data behind it, and a plain caption
whenever written sample data is among the figures. Report text is always shown through
``st.dataframe`` (data, never HTML).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.charts import Chart
from app.export import csv_bytes
from app.i18n import t

PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def header(title_key: str, intro_key: str | None = None) -> None:
    st.title(t(title_key))
    if intro_key:
        st.caption(t(intro_key))


def sample_note(sample: bool) -> None:
    if sample:
        st.caption(":orange[" + t("msg.sample") + "]")


def download(df: pd.DataFrame, name: str) -> None:
    st.download_button(t("download"), csv_bytes(df), file_name=f"{name}.csv", mime="text/csv",
                       key=f"dl_{name}", icon=":material/download:", on_click="ignore")


def chart(c: Chart, name: str, caption: str | None = None) -> None:
    """The figure, its CSV download, an optional caption and the sample-data note."""
    st.plotly_chart(c.figure, key=f"chart_{name}", theme=None, config=PLOTLY_CONFIG)
    if caption:
        st.caption(caption)
    sample_note(c.sample)
    download(c.data, name)


def table(df: pd.DataFrame, name: str | None = None, *, sample: bool = False, height: int | str = "auto") -> None:
    """A read-only table, with a CSV download when ``name`` is given."""
    st.dataframe(df, hide_index=True, height=height)
    sample_note(sample)
    if name:
        download(df, name)


def no_data() -> None:
    st.info(t("msg.no_data"))


def any_sample(df: pd.DataFrame) -> bool:
    return bool(len(df) and "is_sample" in df and df["is_sample"].fillna(False).astype(bool).any())
