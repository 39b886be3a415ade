"""Sources and quality: one report at a time, its text with the extracted numbers highlighted, its headline
numbers with their evidence, its table cells and its validation issues."""

from __future__ import annotations

import importlib
import importlib.util

import streamlit as st

from app import export, filters, highlight, queries, ui
from app.i18n import t

f = filters.sidebar()
ui.header("sources.title", "sources.intro")

reports = queries.reports_in_scope(f.scope)
if reports.empty:
    ui.no_data()
    st.stop()
names = {r.report_id: f"{f.style.label(r.bureau_id, r.bureau_name)} · {r.year} · {r.report_id}"
         + ("" if r.is_active else f" · v{r.version}{t('sources.superseded')}")
         for r in reports.itertuples()}
linked = filters.requested("report")
if linked and linked not in names and (linked_meta := queries.report(linked)) is not None:
    # A link from another page to a report beyond the listed ones still opens it.
    names = {linked: f"{linked_meta['bureau_name']} · {linked_meta['year']} · {linked}", **names}
if len(reports) >= queries.REPORT_LIMIT:
    st.caption(t("scope.first_rows", n=f"{queries.REPORT_LIMIT:,}"))
report_id = filters.page_choice("report", t("sources.report"), list(names), format_func=names.__getitem__)
meta = queries.report(report_id) if report_id else None
if meta is None:
    ui.no_data()
    st.stop()
if meta["is_sample"]:
    st.warning(t("msg.sample_report"), icon=":material/warning:")
if not meta.get("is_active", True):
    st.info(t("sources.superseded_note"), icon=":material/history:")

left, right = st.columns([3, 2])
with left:
    st.subheader(t("sources.meta"))
    ui.table(export.report_meta(meta, f.lang), height="content", always=True)
with right:
    st.subheader(t("sources.issues"))
    issues = queries.report_issues(report_id)
    if issues.empty:
        st.success(t("sources.no_issues"))
    else:
        ui.table(export.issues(issues, f.lang), f"issues_{report_id}", always=True)

st.subheader(t("sources.text"))
body = queries.report_body(report_id)
if body:
    st.caption(t("sources.text_caption"))
    st.html(highlight.report_html(body, queries.report_spans(report_id), queries.report_sentences(report_id), f.lang))
else:
    st.caption(t("sources.no_text"))

st.subheader(t("sources.headlines"))
st.caption(t("sources.kinds_caption"))
ui.table(export.headlines(queries.report_headlines(report_id), f.lang), f"headlines_{report_id}",
         sample=bool(meta["is_sample"]), always=True)
if importlib.util.find_spec("app.corrections_ui") is not None:
    importlib.import_module("app.corrections_ui").render(report_id, f.lang)

cells = queries.report_cells(report_id)
if cells.empty:
    st.caption(t("sources.no_tables"))
else:
    st.caption(t("sources.cells_caption"))
    for tbl, key, build in ((3, "sources.table3", export.table3), (4, "sources.table4", export.table4),
                            (2, "sources.table2", export.table2)):
        if (cells["tbl"] == tbl).any():
            st.subheader(t(key))
            ui.table(build(cells, f.lang), f"table{tbl}_{report_id}", sample=bool(meta["is_sample"]),
                     height="content", always=True)
