"""Disclosure volume: items disclosed proactively per bureau and year, the change year over year,
the ranking within the chosen peers, and the categories behind the totals."""

from __future__ import annotations

import streamlit as st

from app import analysis, charts, export, filters, queries, ui
from app.i18n import label, t

f = filters.sidebar()
ui.header("volume.title", "volume.intro")

df = queries.proactive(f.scope, gaps=True)
if df["value"].notna().sum() == 0:
    ui.no_data()
    st.stop()
kind = filters.page_toggle("chart", t("chart.kind"), ["bars", "lines"], format_func=lambda k: label("chart", k))
ui.chart(charts.bureau_year_bars(df, f.style, f.lang, "volume.chart", kind), "proactive_total")
ui.values_note()
if not f.meeting:
    st.subheader(t("volume.yoy"))
    st.caption(t("volume.yoy_caption"))
ui.table(export.yoy(df, f.style, f.lang), "proactive_total_yoy", sample=ui.any_sample(df),
         links=[filters.link("sources", report=r) for r in df["report_id"]])

st.subheader(t("volume.ranking"))
years = analysis.ranking_years(df)
busiest = analysis.busiest_year(df)
year = filters.page_choice("rank_year", t("volume.rank_year"), [str(y) for y in years], preferred=str(busiest))
ranked = analysis.ranking(df, int(year or years[0]))
n_ranked = int(ranked["n_ranked"].iloc[0]) if len(ranked) else 0
if n_ranked < analysis.MIN_RANKED:
    st.warning(t("volume.few_ranked", n=n_ranked, min=analysis.MIN_RANKED), icon=":material/warning:")
st.caption(t("volume.ranking_caption", peers=f.summary))
ui.chart(charts.ranking(ranked, f.style, f.lang, int(year or years[0])), "ranking")
ui.table(export.ranking(ranked, f.style, f.lang), "ranking_table", sample=ui.any_sample(ranked),
         links=[filters.link("sources", report=r) for r in ranked["report_id"]])

st.subheader(t("volume.categories"))
cats = queries.categories(f.scope)
if f.unit != "bureau":
    st.caption(t("scope.by_bureau_only"))
elif cats.empty:
    st.caption(t("volume.no_categories"))
else:
    ui.chart(charts.categories(cats, f.style, f.lang), "categories", caption=t("volume.categories_caption"))
    ui.table(export.category_check(analysis.category_check(cats), f.style, f.lang), "categories_check",
             sample=ui.any_sample(cats))
