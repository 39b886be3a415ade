"""Overview: what is covered (reports, bureaus, years, regions), how complete and consistent each report is,
and the largest changes since the year before."""

from __future__ import annotations

import streamlit as st

from app import charts, export, filters, queries, ui
from app.i18n import t

f = filters.sidebar()
ui.header("overview.title", "overview.intro")

counts = queries.overview_counts(f.scope)
top = st.columns(4)
top[0].metric(t("overview.reports"), counts["reports"])
top[1].metric(t("overview.bureaus"), counts["bureaus"])
top[2].metric(t("overview.years"), counts["years"])
top[3].metric(t("overview.issues"), counts["issues"])
regions = st.columns(4)
regions[0].metric(t("overview.provinces"), counts["provinces"])
regions[1].metric(t("overview.cities"), counts["cities"])
regions[2].metric(t("overview.counties"), counts["counties"])
regions[3].metric(t("overview.sample_reports"), counts["sample_reports"])

grid = queries.coverage(f.scope)
if grid.empty:
    ui.no_data()
    st.stop()
ui.chart(charts.coverage(grid, f.style, f.lang), "coverage", caption=t("overview.coverage_caption"))
st.subheader(t("overview.coverage_table"))
ui.table(export.coverage(grid, f.style, f.lang), "coverage_details", sample=ui.any_sample(grid))

changes = queries.changes(f.scope)
if not f.meeting:
    st.subheader(t("overview.changes"))
    st.caption(t("overview.changes_caption"))
    if changes.empty:
        st.caption(t("overview.no_changes"))
    else:
        top_changes = changes.head(10)
        ui.table(export.changes(top_changes, f.style, f.lang), "largest_changes", sample=ui.any_sample(top_changes),
                 links=[filters.link("sources", report=r) for r in top_changes["report_id"]])
