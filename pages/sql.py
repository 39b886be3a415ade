"""SQL for analysts: one read-only SELECT on the report database, with a row limit and a time limit."""

from __future__ import annotations

import streamlit as st

from app import db, filters, sqlrun, ui
from app.filters import STORE
from app.i18n import t

f = filters.sidebar()
ui.header("sql.title", "sql.intro")

EXAMPLE = ("SELECT b.name, r.year, f.value\nFROM facts f\nJOIN reports r USING (report_id)\n"
           "JOIN bureaus b USING (bureau_id)\nWHERE f.metric = 'proactive_total' AND f.headline\n"
           "ORDER BY b.name, r.year")

with st.expander(t("sql.schema")):
    st.caption(t("sql.schema_caption"))
    tables = db.query("SELECT table_name, string_agg(column_name, ', ' ORDER BY ordinal_position) AS columns "
                      "FROM information_schema.columns WHERE table_catalog = 'rpt' GROUP BY table_name "
                      "ORDER BY table_name")
    st.dataframe(tables.rename(columns={"table_name": t("sql.table"), "columns": t("sql.columns")}),
                 hide_index=True)

store = st.session_state[STORE]
if "sql" not in store:
    raw = store.get("_raw", {}).get("sql") or []
    store["sql"] = raw[-1] if raw else ""
if "w_sql_text" not in st.session_state:
    st.session_state["w_sql_text"] = store["sql"] or EXAMPLE
with st.form("sql_form"):
    text = st.text_area(t("sql.query"), height=180, key="w_sql_text")
    limit = st.selectbox(t("sql.limit"), list(sqlrun.LIMITS), index=list(sqlrun.LIMITS).index(sqlrun.DEFAULT_LIMIT))
    run = st.form_submit_button(t("sql.run"), type="primary", icon=":material/play_arrow:")
st.caption(t("sql.rules", seconds=f"{sqlrun.TIMEOUT_SECONDS:g}"))

if run or ("_sql_result" not in st.session_state and store["sql"]):
    store["sql"] = text
    st.session_state["_sql_result"] = (text, limit, sqlrun.run(text, limit=limit))
filters.keep_in_url({"sql": store["sql"] or None})

saved = st.session_state.get("_sql_result")
if saved is not None:
    _, shown_limit, result = saved
    if result.error is not None:
        st.error(t(result.error.key, **result.error.detail), icon=":material/block:")
    else:
        data = result.data
        st.caption(t("sql.done", rows=len(data), ms=f"{result.seconds * 1000:.0f}"))
        if result.truncated:
            st.warning(t("sql.truncated", limit=shown_limit), icon=":material/warning:")
        ui.table(data, "sql_result", always=True)
