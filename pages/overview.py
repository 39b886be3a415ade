"""Overview: how many reports, bureaus and years are in scope, and which bureau has which year."""

from __future__ import annotations

import streamlit as st

from app import charts, export, filters, queries, ui
from app.i18n import t

f = filters.sidebar()
ui.header("overview.title", "overview.intro")

counts = queries.overview_counts(f.scope)
cols = st.columns(5)
cols[0].metric(t("overview.reports"), counts["reports"])
cols[1].metric(t("overview.bureaus"), counts["bureaus"])
cols[2].metric(t("overview.years"), counts["years"])
cols[3].metric(t("overview.sample_reports"), counts["sample_reports"])
cols[4].metric(t("overview.issues"), counts["issues"])

grid = queries.coverage(f.scope)
if grid.empty:
    ui.no_data()
    st.stop()
ui.chart(charts.coverage(grid, f.style, f.lang), "coverage", caption=t("overview.coverage_caption"))
st.subheader(t("overview.coverage_table"))
ui.table(export.coverage(grid, f.style, f.lang), "coverage_details", sample=ui.any_sample(grid))
