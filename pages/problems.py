"""Recurring problems: which problem themes the reports admit, per year; per bureau, the themes admitted in two
or more consecutive years, whether the promised improvement shows up the next year; the sentences behind them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import analysis, charts, export, filters, queries, ui
from app.filters import STORE
from app.i18n import label, t

f = filters.sidebar()
ui.header("problems.title", "problems.intro")

heat = queries.problem_heatmap(f.scope)
if heat.empty:
    ui.no_data()
    st.stop()
ui.chart(charts.problem_heatmap(heat, f.lang), "problem_themes")

st.subheader(t("problems.recurring"))
st.caption(t("problems.recurring_caption"))
if f.unit == "bureau":
    rec = analysis.recurring(queries.problem_sentences(f.scope, limit=None), queries.report_years(f.scope))
    only = filters.page_toggle("show", t("problems.show"), ["recurring", "all"],
                               format_func=lambda k: label("pshow", k))
    shown = rec[rec["recurring"]] if only == "recurring" else rec
    shown = shown.reset_index(drop=True)
    if shown.empty:
        st.caption(t("problems.no_recurring"))
    else:
        ui.chart(charts.recurring(shown, f.style, f.lang), "recurring")
else:  # recurrence is a bureau's own history; a region's sum of reports has none
    st.caption(t("scope.recurring_by_bureau"))
    shown = pd.DataFrame()


def _select() -> None:
    """Clicking a row of the table picks its bureau and theme for the sentences below."""
    rows = st.session_state["recurring_table"].selection.rows
    if rows:
        row = shown.iloc[rows[0]]
        store = st.session_state[STORE]
        store["theme"], store["problem_bureau"], store["pkind"] = row["theme"], row["bureau_id"], None


if not shown.empty and not f.meeting:
    st.caption(t("problems.click_caption"))
    table = charts.recurring_table(shown, f.style, f.lang)
    st.dataframe(table, hide_index=True, key="recurring_table", on_select=_select, selection_mode="single-row")
    ui.sample_note(ui.any_sample(shown))
    ui.downloads(table, "recurring_problems")

st.subheader(t("problems.sentences"))
left, mid, right = st.columns(3)
theme = filters.page_choice("theme", t("problems.theme"), queries.problem_themes(f.scope),
                            format_func=lambda th: label("theme", th), none_label=t("sidebar.all"), where=left)
bureau = filters.page_choice("problem_bureau", t("problems.bureau"), list(f.bureaus["bureau_id"]),
                             format_func=f.style.label, none_label=t("sidebar.all_bureaus"), where=mid)
kind = filters.page_choice("pkind", t("problems.kind_filter"), ["problem", "measure"],
                           format_func=lambda k: label("pkind", k), none_label=t("sidebar.all"), where=right)
sentences = queries.problem_sentences(f.scope, theme, bureau, kind)
if sentences.empty:
    ui.no_data()
else:
    if len(sentences) >= queries.SENTENCE_LIMIT:
        st.caption(t("scope.first_rows", n=f"{queries.SENTENCE_LIMIT:,}"))
    ui.table(export.sentences(sentences, f.style, f.lang), "problem_sentences", sample=ui.any_sample(sentences),
             links=[filters.link("sources", report=r) for r in sentences["report_id"]])
