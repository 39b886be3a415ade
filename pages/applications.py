"""Applications: received per bureau and year, their outcomes (table 3), reconsideration and litigation (table 4)."""

from __future__ import annotations

import streamlit as st

from app import charts, export, filters, queries, ui
from app.i18n import label, t

f = filters.sidebar()
ui.header("applications.title", "applications.intro")

received = queries.applications_received(f.scope)
outcomes = queries.outcomes(f.scope)
carry = queries.carry(f.scope)
appeals = queries.appeals(f.scope)
if received.empty and outcomes.empty and appeals.empty:
    ui.no_data()
    st.stop()

if not received.empty:
    kind = filters.page_toggle("chart", t("chart.kind"), ["bars", "lines"], format_func=lambda k: label("chart", k))
    ui.chart(charts.bureau_year_bars(received, f.style, f.lang, "applications.received", kind),
             "applications_received")
if not outcomes.empty:
    ui.chart(charts.outcomes(outcomes, f.style, f.lang), "outcomes", caption=t("applications.outcomes_caption"))
if not carry.empty:
    st.subheader(t("applications.carry"))
    ui.table(export.carry(carry, f.style, f.lang), "carry", sample=ui.any_sample(carry))
if not appeals.empty:
    totals = queries.appeal_totals(f.scope)
    if not totals.empty:
        ui.chart(charts.appeals(totals, f.style, f.lang), "appeals")
    st.subheader(t("applications.appeals_table"))
    st.caption(t("applications.rate_caption"))
    ui.table(export.appeals(appeals, f.style, f.lang), "appeal_results", sample=ui.any_sample(appeals))
