"""Problems: which problem themes the reports admit, per year, and the sentences behind them."""

from __future__ import annotations

import streamlit as st

from app import charts, export, filters, queries, ui
from app.i18n import label, t

f = filters.sidebar()
ui.header("problems.title", "problems.intro")

heat = queries.problem_heatmap(f.scope)
if heat.empty:
    ui.no_data()
    st.stop()
ui.chart(charts.problem_heatmap(heat, f.lang), "problem_themes")

st.subheader(t("problems.sentences"))
left, mid, right = st.columns(3)
theme = filters.page_choice("theme", t("problems.theme"), queries.problem_themes(f.scope),
                            format_func=lambda th: label("theme", th), none_label=t("sidebar.all"), where=left)
bureau = filters.page_choice("problem_bureau", t("problems.bureau"), list(f.bureaus["bureau_id"]),
                             format_func=f.style.label, none_label=t("sidebar.all_bureaus"), where=mid)
kind = filters.page_choice("kind", t("problems.kind_filter"), ["problem", "measure"],
                           format_func=lambda k: label("pkind", k), none_label=t("sidebar.all"), where=right)
sentences = queries.problem_sentences(f.scope, theme, bureau, kind)
if sentences.empty:
    ui.no_data()
else:
    ui.table(export.sentences(sentences, f.style, f.lang), "problem_sentences", sample=ui.any_sample(sentences))
