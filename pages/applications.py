"""Applications: received per bureau and year, by applicant type, the flow from received to outcomes
(table 3), carried over, and reconsideration and litigation with the correction rate (table 4)."""

from __future__ import annotations

import streamlit as st

from app import analysis, charts, export, filters, queries, ui
from app.i18n import label, t

f = filters.sidebar()
ui.header("applications.title", "applications.intro")

received = queries.applications_received(f.scope, gaps=True)
outcomes = queries.outcomes(f.scope)
carry = queries.carry(f.scope)
appeals = queries.appeals(f.scope)
has_received = bool(received["value"].notna().any())
if not has_received and outcomes.empty and appeals.empty:
    ui.no_data()
    st.stop()

if has_received:
    kind = filters.page_toggle("chart", t("chart.kind"), ["bars", "lines"], format_func=lambda k: label("chart", k))
    ui.chart(charts.bureau_year_bars(received, f.style, f.lang, "applications.received", kind),
             "applications_received")
    ui.values_note()

applicants = queries.applicants(f.scope)
if applicants["value"].notna().any():
    ui.chart(charts.applicants(applicants, f.style, f.lang), "applicants", caption=t("applications.applicants_caption"))

cells = queries.table3_cells(f.scope)
if not cells.empty:
    st.subheader(t("applications.flow"))
    bureau_ids = list(dict.fromkeys(cells["bureau_id"]))
    one = filters.page_choice("flow_bureau", t("applications.flow_bureau"), bureau_ids, format_func=f.style.label,
                              none_label=t("sidebar.all_bureaus"))
    part = cells if one is None else cells[cells["bureau_id"] == one]
    links = analysis.flow(part)
    if links.empty:
        st.caption(t("applications.no_flow"))
    else:
        ui.chart(charts.flow(links, f.lang, analysis.reports_behind(part), ui.any_sample(part)), "flow",
                 caption=t("applications.flow_caption"))
if not outcomes.empty:
    ui.chart(charts.outcomes(outcomes, f.style, f.lang), "outcomes", caption=t("applications.outcomes_caption"))
if not carry.empty:
    if not f.meeting:
        st.subheader(t("applications.carry"))
    ui.table(export.carry(carry, f.style, f.lang), "carry", sample=ui.any_sample(carry))
if not appeals.empty:
    totals = queries.appeal_totals(f.scope)
    if not totals.empty:
        ui.chart(charts.appeals(totals, f.style, f.lang), "appeals")
    if not f.meeting:
        st.subheader(t("applications.appeals_table"))
        st.caption(t("applications.rate_caption"))
    ui.table(export.appeals(appeals, f.style, f.lang), "appeal_results", sample=ui.any_sample(appeals))
