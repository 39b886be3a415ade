"""Corrections on the sources page: who may fix a number, how, and what was corrected.

``render(report_id, lang)`` draws, under a report's facts:

* for everyone, the report's corrected values, read-only: the item, the value now, the value the
  extraction found, the reason and when;
* for a signed-in user (``app.auth``), a form to pick one of the report's facts (a headline value,
  a headline metric the report does not state, or a template-table cell), enter the new value (or
  mark it as not stated) and a required reason, saved through ``etl.corrections.add_correction``,
  which keeps it through every later ingest; and the report's corrections so far (old value, new
  value, reason, who, when, and whether the database shows it yet);
* for everyone else, the sign-in form, or the message saying how sign-in is configured.

Facts are read with parameterized queries through ``app.db``; report text is shown only in tables.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from app import auth, db
from app.export import fmt_number
from app.i18n import label
from app.queries import T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_ROWS, report_facts_query
from app.upload import plain
from etl.model import HEADLINE_METRICS

KEY = ("metric", "dimension", "tbl", "row_id", "column_name")
MAX_RAW = 20

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "更正",
        "corrected": "已更正的数值",
        "none": "本报告没有更正。",
        "edit": "更正一个数值",
        "fact": "要更正的数值",
        "new_value": "新数值",
        "new_value_help": "阿拉伯数字，如 1326 或 1326.5；可带千位逗号。",
        "not_stated": "报告没有给出这个数（清除数值）",
        "reason": "理由（必填）",
        "reason_help": "例如：原文笔误，见政府网站更正公告；或：表三总计列抄录错误。",
        "submit": "保存更正",
        "need_reason": "请填写理由。",
        "need_value": "请填写新数值，或勾选“报告没有给出这个数”。",
        "bad_value": "“{value}”不是数字。",
        "same_value": "新数值与当前数值相同。",
        "saved": "已保存更正：{item}：{old} → {new}。",
        "pending": "已记录更正：{item}：{old} → {new}。数据库正在更新，更新完成后即显示。",
        "failed": "未能保存：{reason}",
        "history": "本报告的更正记录",
        "no_history": "还没有更正记录。",
        "no_support": "当前数据库不支持更正（版本过旧）：请重新运行 make run 生成数据库。",
        "no_facts": "本报告没有可更正的数值。",
        "not_stated_option": "（报告未给出）",
        "blank": "（无）",
        "table": "表{n}",
        "col.item": "项目",
        "col.value": "现值",
        "col.original": "原提取值",
        "col.old": "更正前",
        "col.new": "更正后",
        "col.reason": "理由",
        "col.by": "更正人",
        "col.at": "时间",
        "col.state": "状态",
        "state.applied": "生效中",
        "state.pending": "待生效",
        "state.replaced": "已被后来的更正取代",
    },
    "en": {
        "title": "Corrections",
        "corrected": "Corrected values",
        "none": "No value of this report has been corrected.",
        "edit": "Correct a value",
        "fact": "Value to correct",
        "new_value": "New value",
        "new_value_help": "Digits, such as 1326 or 1326.5; thousands commas are fine.",
        "not_stated": "The report does not state this number (clear the value)",
        "reason": "Reason (required)",
        "reason_help": "For example: typo in the original, see the correction notice on the government site; "
                       "or: table 3 total column copied wrongly.",
        "submit": "Save correction",
        "need_reason": "Enter a reason.",
        "need_value": "Enter the new value, or tick “The report does not state this number”.",
        "bad_value": "“{value}” is not a number.",
        "same_value": "The new value is the same as the current one.",
        "saved": "Correction saved: {item}: {old} → {new}.",
        "pending": "Correction recorded: {item}: {old} → {new}. The database is being updated and will show it "
                   "when the update is done.",
        "failed": "Not saved: {reason}",
        "history": "Corrections of this report",
        "no_history": "No corrections yet.",
        "no_support": "This database cannot hold corrections (built by an older version): run make run to rebuild it.",
        "no_facts": "This report has no values to correct.",
        "not_stated_option": "(not stated in the report)",
        "blank": "(none)",
        "table": "Table {n}",
        "col.item": "Item",
        "col.value": "Value now",
        "col.original": "Extracted value",
        "col.old": "Before",
        "col.new": "After",
        "col.reason": "Reason",
        "col.by": "Corrected by",
        "col.at": "When",
        "col.state": "State",
        "state.applied": "in effect",
        "state.pending": "pending",
        "state.replaced": "replaced by a later correction",
    },
}

_FACTS = """
SELECT f.fact_id, f.metric, f.dimension, f.tbl, f.row_id, f.column_name, f.value, f.value_kind, f.raw,
       f.headline, f.corrected, f.original_value, f.correction_id,
       c.reason, c.corrected_by, c.corrected_at
FROM facts f LEFT JOIN corrections c USING (correction_id)
WHERE f.report_id = $report_id AND (f.headline OR f.tbl IS NOT NULL) @RANGE@
ORDER BY f.headline DESC, f.tbl NULLS FIRST, f.row_id, f.column_name, f.metric, f.dimension, f.fact_id
"""


def tr(key: str, lang: str, **fmt: object) -> str:
    text = STRINGS.get(lang, STRINGS["zh"])[key]
    return text.format(**fmt) if fmt else text


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and pd.isna(x)) or x is pd.NA or x is pd.NaT


def _opt(x: object) -> Any:
    """A DataFrame cell as a plain Python value (None for missing, int for table numbers)."""
    if _missing(x):
        return None
    if hasattr(x, "item"):
        return x.item()
    return x


def fact_key(row: Any) -> tuple[str, str | None, int | None, str | None, str | None]:
    """(metric, dimension, tbl, row_id, column_name) of a fact row, as ``etl.corrections`` matches facts."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    tbl = _opt(get("tbl"))
    return (str(get("metric")), _opt(get("dimension")), None if tbl is None else int(tbl), _opt(get("row_id")),
            _opt(get("column_name")))


def item_label(key: tuple[str, str | None, int | None, str | None, str | None], lang: str) -> str:
    """A fact's name for people: the metric (and channel), or the table, row and column of a cell."""
    metric, dimension, tbl, row_id, column = key
    if tbl == 3:
        return f"{tr('table', lang, n=3)} {row_id} {label('t3', row_id, lang)} · {label('t3col', column, lang)}"
    if tbl == 4:
        return f"{tr('table', lang, n=4)} {label('t4row', row_id, lang)} · {label('t4col', column, lang)}"
    if tbl is not None:
        return f"{tr('table', lang, n=tbl)} {row_id or ''} · {column or ''}"
    text = label("metric", metric, lang)
    return f"{text} · {label('channel', dimension, lang)}" if dimension else text


def show_value(value: object, lang: str) -> str:
    return tr("blank", lang) if _missing(value) else fmt_number(value)


def parse_value(text: str) -> float:
    """A number typed by a person: full-width digits, thousands commas and spaces allowed; ValueError otherwise."""
    cleaned = unicodedata.normalize("NFKC", text or "").replace(",", "").replace(" ", "").strip()
    if not cleaned:
        raise ValueError("empty")
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("not finite")
    return value


def report_facts(report_id: str) -> pd.DataFrame:
    """The report's headline facts and table cells, with the correction that set each corrected one."""
    return report_facts_query(_FACTS, report_id)


def _order(row: dict[str, Any]) -> tuple:
    """Headline values in the usual metric order, then table 3, 4 and 2 in the template's row and column order."""
    metric, dimension, tbl, row_id, column = fact_key(row)
    if tbl is None:
        rank = HEADLINE_METRICS.index(metric) if metric in HEADLINE_METRICS else len(HEADLINE_METRICS)
        return (0, rank, 0, metric, 0, dimension or "")
    rows = {3: T3_ROWS, 4: T4_ROWS}.get(tbl, ())
    columns = {3: T3_COLUMNS, 4: T4_COLUMNS}.get(tbl, ())
    return (1, {3: 0, 4: 1}.get(tbl, 2), rows.index(row_id) if row_id in rows else len(rows), row_id or "",
            columns.index(column) if column in columns else len(columns), column or "")


def options(facts: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Choice id → fact (key, current value, raw) for the form: one per key, headline first, then missing metrics."""
    out: dict[str, dict[str, Any]] = {}
    for row in sorted(facts.to_dict("records"), key=_order):
        key = fact_key(row)
        choice = json.dumps(key, ensure_ascii=False)
        if choice not in out:
            out[choice] = {"key": key, "value": _opt(row["value"]), "raw": _opt(row["raw"]), "stated": True}
    stated = {o["key"][0] for o in out.values() if o["key"][2] is None}
    for metric in HEADLINE_METRICS:
        if metric not in stated:
            key = (metric, None, None, None, None)
            out[json.dumps(key, ensure_ascii=False)] = {"key": key, "value": None, "raw": None, "stated": False}
    return out


def corrected_table(facts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The report's corrected values, for everyone."""
    done = facts[facts["corrected"].fillna(False).astype(bool)]
    return pd.DataFrame({
        tr("col.item", lang): [item_label(fact_key(r), lang) for r in done.to_dict("records")],
        tr("col.value", lang): [show_value(v, lang) for v in done["value"]],
        tr("col.original", lang): [show_value(v, lang) for v in done["original_value"]],
        tr("col.reason", lang): [r if isinstance(r, str) else "" for r in done["reason"]],
        tr("col.at", lang): [_when(t) for t in done["corrected_at"]],
    })


def _when(value: object) -> str:
    if _missing(value):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def history(report_id: str) -> pd.DataFrame:
    """The report's corrections, newest first, including those an ingest has yet to apply."""
    from etl.corrections import list_corrections

    return list_corrections(db.database_path(), report_id)


def history_table(df: pd.DataFrame, lang: str, applied: set[str] | None = None) -> pd.DataFrame:
    """Old value, new value, reason, who, when and state of each correction."""
    applied = applied or set()

    def state(row: dict[str, Any]) -> str:
        if row["correction_id"] in applied:
            return tr("state.applied", lang)
        if bool(_opt(row.get("applied"))):
            return tr("state.replaced", lang)
        return tr("state.pending", lang)

    records = df.to_dict("records")
    return pd.DataFrame({
        tr("col.item", lang): [item_label(fact_key(r), lang) for r in records],
        tr("col.old", lang): [show_value(r["old_value"], lang) for r in records],
        tr("col.new", lang): [show_value(r["new_value"], lang) for r in records],
        tr("col.reason", lang): [str(r["reason"]) for r in records],
        tr("col.by", lang): [str(r["corrected_by"]) for r in records],
        tr("col.at", lang): [_when(r["corrected_at"]) for r in records],
        tr("col.state", lang): [state(r) for r in records],
    })


def save(report_id: str, key: tuple, new_value: float | None, reason: str, user: str,
         db_path: str | Path | None = None) -> Any:
    """Store one correction through ``etl.corrections``; gives its ``Correction`` (status applied or pending)."""
    from etl.corrections import add_correction

    metric, dimension, tbl, row_id, column_name = key
    return add_correction(db_path or db.database_path(), report_id=report_id, metric=metric, dimension=dimension,
                          tbl=tbl, row_id=row_id, column_name=column_name, new_value=new_value, reason=reason,
                          corrected_by=user)


def _message_key(report_id: str) -> str:
    return f"_corr_msg_{report_id}"


def form_keys(report_id: str) -> dict[str, str]:
    """Keys of the form and its widgets; they change after each saved correction, which empties the form."""
    n = st.session_state.get(f"_corr_round_{report_id}", 0)
    return {name: f"corr_{name}_{report_id}_{n}" for name in ("form", "fact", "value", "clear", "reason")}


def _form(report_id: str, choices: dict[str, dict[str, Any]], user: str, lang: str) -> None:
    def fmt(choice: str) -> str:
        o = choices[choice]
        if not o["stated"]:
            return f"{item_label(o['key'], lang)} {tr('not_stated_option', lang)}"
        raw = o["raw"].strip() if isinstance(o["raw"], str) else ""
        shown = show_value(o["value"], lang)
        written = f" ({raw})" if raw and raw != shown and len(raw) <= MAX_RAW else ""
        return f"{item_label(o['key'], lang)} = {shown}{written}"

    keys = form_keys(report_id)
    ids = list(choices)
    last = st.session_state.get(f"_corr_last_{report_id}")
    with st.form(keys["form"], clear_on_submit=False):
        choice = st.selectbox(tr("fact", lang), ids, index=ids.index(last) if last in ids else 0, format_func=fmt,
                              key=keys["fact"])
        text = st.text_input(tr("new_value", lang), key=keys["value"], help=tr("new_value_help", lang))
        clear = st.checkbox(tr("not_stated", lang), key=keys["clear"])
        reason = st.text_area(tr("reason", lang), key=keys["reason"], help=tr("reason_help", lang), max_chars=1000)
        submitted = st.form_submit_button(tr("submit", lang), type="primary", icon=":material/edit:")
    if not submitted or choice is None:
        return
    current = choices[choice]
    if not (reason or "").strip():
        st.error(tr("need_reason", lang))
        return
    new_value: float | None = None
    if not clear:
        if not (text or "").strip():
            st.error(tr("need_value", lang))
            return
        try:
            new_value = parse_value(text)
        except ValueError:
            st.error(plain(tr("bad_value", lang, value=text)))
            return
    if new_value == current["value"] and current["stated"]:
        st.error(tr("same_value", lang))
        return
    try:
        done = save(report_id, current["key"], new_value, reason, user)
    except (ValueError, OSError, duckdb.Error) as exc:
        st.error(plain(tr("failed", lang, reason=exc)))
        return
    item = item_label(current["key"], lang)
    message = "saved" if done.status == "applied" else "pending"
    st.session_state[_message_key(report_id)] = tr(message, lang, item=item, old=show_value(done.old_value, lang),
                                                   new=show_value(new_value, lang))
    st.cache_data.clear()
    st.session_state[f"_corr_round_{report_id}"] = st.session_state.get(f"_corr_round_{report_id}", 0) + 1
    st.session_state[f"_corr_last_{report_id}"] = choice
    st.rerun()


def render(report_id: str, lang: str) -> None:
    """The corrections block of one report on the sources page (see the module docstring)."""
    if not db.database_exists():
        return
    st.subheader(tr("title", lang))
    try:
        facts = report_facts(report_id)
    except duckdb.Error:
        st.caption(tr("no_support", lang))
        return

    message = st.session_state.pop(_message_key(report_id), None)
    if message:
        st.success(plain(message), icon=":material/check_circle:")

    st.markdown(f"**{tr('corrected', lang)}**")
    if facts["corrected"].fillna(False).astype(bool).any():
        st.dataframe(corrected_table(facts, lang), hide_index=True)
    else:
        st.caption(tr("none", lang))

    user = auth.current_user()
    with st.expander(tr("edit", lang), expanded=user is not None, icon=":material/edit:"):
        user = auth.require_user(lang, key=f"corr_auth_{report_id}")
        if user is None:
            return
        choices = options(facts)
        if not choices:
            st.caption(tr("no_facts", lang))
        else:
            _form(report_id, choices, user, lang)
        st.markdown(f"**{tr('history', lang)}**")
        past = history(report_id)
        if past.empty:
            st.caption(tr("no_history", lang))
        else:
            shown = set(facts["correction_id"].dropna())
            st.dataframe(history_table(past, lang, shown), hide_index=True)
