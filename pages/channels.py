"""Channel mix: the share of each publication channel per bureau and year (100 % stacked bars)."""

from __future__ import annotations

import streamlit as st

from app import charts, filters, queries, ui
from app.i18n import t

f = filters.sidebar()
ui.header("channels.title", "channels.intro")

df = queries.channel_shares(f.scope)
if df.empty:
    ui.no_data()
    st.stop()
ui.chart(charts.channel_shares(df, f.style, f.lang), "channel_shares", caption=t("channels.caption"))
