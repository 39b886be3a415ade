"""Disclosure volume: items disclosed proactively per bureau and year, and the change year over year."""

from __future__ import annotations

import streamlit as st

from app import charts, export, filters, queries, ui
from app.i18n import label, t

f = filters.sidebar()
ui.header("volume.title", "volume.intro")

df = queries.proactive(f.scope)
if df.empty:
    ui.no_data()
    st.stop()
kind = filters.page_toggle("chart", t("chart.kind"), ["bars", "lines"], format_func=lambda k: label("chart", k))
ui.chart(charts.bureau_year_bars(df, f.style, f.lang, "volume.chart", kind), "proactive_total")
st.subheader(t("volume.yoy"))
st.caption(t("volume.yoy_caption"))
ui.table(export.yoy(df, f.style, f.lang), "proactive_total_yoy", sample=ui.any_sample(df))
