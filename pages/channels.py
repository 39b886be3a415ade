"""Channel mix: the share of each publication channel per bureau and year (100 % stacked bars), and the
trend of new media (WeChat, Weibo, Douyin) against websites and print."""

from __future__ import annotations

import streamlit as st

from app import analysis, charts, filters, queries, ui
from app.i18n import t

f = filters.sidebar()
ui.header("channels.title", "channels.intro")

df = queries.channel_shares(f.scope)
if df.empty:
    ui.no_data()
    st.stop()
ui.chart(charts.channel_shares(df, f.style, f.lang), "channel_shares", caption=t("channels.caption"))
st.subheader(t("channels.trend"))
trend = analysis.channel_trend(df)
ui.chart(charts.channel_trend(trend, f.lang), "channel_trend", caption=t("channels.trend_caption"))
