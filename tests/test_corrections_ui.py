"""The corrections block of the sources page: read-only for everyone, a form for signed-in users.

Runs ``app.corrections_ui.render`` under AppTest on a temporary database built from the bundled
seeds; a saved correction is shown, listed with who made it and why, and survives a rebuild.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app import auth, corrections_ui, upload
from etl.load import build_database

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("data/raw/seeds")
SEED_003 = REPO_ROOT / SEEDS / "003_b8557501b183c911.txt"  # 潮州市湘桥区教育局 2017: 68 items disclosed
RID = hashlib.sha256(SEED_003.read_bytes()).hexdigest()[:16]
HASH = auth.hash_password("pw-for-tests", iterations=auth.MIN_ITERATIONS)
PROACTIVE = json.dumps(["proactive_total", None, None, None, None])
REASON = "原文笔误：网站更正公告为70条"


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(REPO_ROOT)
    db = tmp_path / "data" / "disclosure.duckdb"
    build_database([SEEDS], db, workers=1)
    monkeypatch.setenv("DISCLOSURE_DB", str(db))
    monkeypatch.delenv(auth.ADMIN_ENV, raising=False)
    monkeypatch.delenv(auth.USERS_ENV, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db
    st.cache_data.clear()
    st.cache_resource.clear()


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS d (READ_ONLY)", [str(db)])
        con.execute("USE d")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def corrections_app(report_id: str, lang: str) -> None:
    from app import corrections_ui

    corrections_ui.render(report_id, lang)


def app(report_id: str = RID, *, user: str | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_function(corrections_app, args=(report_id, lang), default_timeout=60)
    at.secrets["auth"] = {"users": {"zhang": HASH}}
    if user is not None:
        at.session_state[auth.SESSION_USER] = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def keys(at: AppTest, report_id: str = RID) -> dict[str, str]:
    """The form's current widget keys (``corrections_ui.form_keys`` in the test's session)."""
    n = at.session_state.get(f"_corr_round_{report_id}", 0)
    return {name: f"corr_{name}_{report_id}_{n}" for name in ("form", "fact", "value", "clear", "reason")}


def correct(at: AppTest, choice: str, value: str, reason: str, *, clear: bool = False,
            report_id: str = RID) -> AppTest:
    k = keys(at, report_id)
    at.selectbox(key=k["fact"]).set_value(choice)
    at.text_input(key=k["value"]).input(value)
    if clear:
        at.checkbox(key=k["clear"]).check()
    at.text_area(key=k["reason"]).input(reason)
    at.button(key=f"FormSubmitter:{k['form']}-{corrections_ui.tr('submit', 'en')}").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def headline(db: Path, metric: str = "proactive_total") -> tuple:
    return rows(db, "SELECT value, corrected, original_value FROM report_values WHERE report_id = ? AND metric = ?",
                [RID, metric])[0]


def test_signed_out_sees_no_corrections_and_the_sign_in_form(env: Path) -> None:
    at = app()
    assert at.subheader[0].value == "Corrections"
    assert "No value of this report has been corrected." in [c.value for c in at.caption]
    assert at.text_input(key=f"corr_auth_{RID}_form_password")
    assert not at.selectbox


def test_the_form_offers_headline_values_and_missing_metrics(env: Path) -> None:
    at = app(user="zhang")
    labels = at.selectbox(key=keys(at)["fact"]).options
    assert labels[0] == "Proactive disclosure total = 68"
    assert "Items per channel · WeChat = 169" in labels
    assert "Consultations (not stated in the report)" in labels
    assert "Reconsideration = 0" in labels


def test_a_saved_correction_is_shown_listed_and_survives_a_rebuild(env: Path) -> None:
    at = correct(app(user="zhang"), PROACTIVE, "７0", REASON)
    assert at.success[0].value.replace("\\", "") == "Correction saved: Proactive disclosure total: 68 → 70."
    corrected = at.dataframe[0].value
    assert corrected.iloc[0].to_dict() | {"When": ""} == {
        "Item": "Proactive disclosure total", "Value now": "70", "Extracted value": "68", "Reason": REASON, "When": ""}
    past = at.dataframe[-1].value
    assert past.iloc[0][["Before", "After", "Reason", "Corrected by", "State"]].tolist() == [
        "68", "70", REASON, "zhang", "in effect"]
    assert headline(env) == (70.0, True, 68.0)
    k = keys(at)
    assert k["value"].endswith("_1") and at.text_input(key=k["value"]).value == ""
    assert at.text_area(key=k["reason"]).value == ""
    assert at.selectbox(key=k["fact"]).value == PROACTIVE
    assert at.selectbox(key=k["fact"]).options[0] == "Proactive disclosure total = 70 (68)"
    stored = rows(env, "SELECT old_value, new_value, reason, corrected_by FROM corrections WHERE report_id = ?", [RID])
    assert stored == [(68.0, 70.0, REASON, "zhang")]

    build_database([SEEDS], env, workers=1)
    assert headline(env) == (70.0, True, 68.0)
    st.cache_data.clear()
    at = app(lang="zh")
    assert at.subheader[0].value == "更正"
    after = at.dataframe[0].value
    assert after.iloc[0][["项目", "现值", "原提取值", "理由"]].tolist() == ["主动公开总数", "70", "68", REASON]


def test_a_second_correction_replaces_the_first(env: Path) -> None:
    at = correct(app(user="zhang"), PROACTIVE, "70", REASON)
    at = correct(at, PROACTIVE, "1,070", "再次核对：应为1070条")
    assert headline(env) == (1070.0, True, 68.0)
    past = at.dataframe[-1].value
    assert past[["Before", "After", "State"]].values.tolist() == [
        ["70", "1,070", "in effect"], ["68", "70", "replaced by a later correction"]]


def test_a_value_can_be_cleared(env: Path) -> None:
    choice = json.dumps(["channel", "wechat", None, None, None])
    correct(app(user="zhang"), choice, "", "微信数字是粉丝数，不是发布条数", clear=True)
    value = rows(env, "SELECT value, corrected, original_value FROM report_values WHERE report_id = ? AND "
                      "metric = 'channel' AND dimension = 'wechat'", [RID])
    assert value == [(None, True, 169.0)]


@pytest.mark.parametrize(("value", "reason", "message"), [
    ("70", "   ", "Enter a reason."),
    ("", REASON, "Enter the new value"),
    ("七十", REASON, "is not a number"),
    ("68", REASON, "The new value is the same as the current one."),
])
def test_invalid_input_is_refused_and_nothing_is_stored(env: Path, value: str, reason: str, message: str) -> None:
    at = correct(app(user="zhang"), PROACTIVE, value, reason)
    assert message in at.error[0].value
    assert rows(env, "SELECT count(*) FROM corrections") == [(0,)]
    assert headline(env) == (68.0, False, None)


def test_a_table_cell_of_an_uploaded_template_report_can_be_corrected(env: Path) -> None:
    from test_add_reports import TEMPLATE_BYTES

    outcome = upload.confirm([upload.preview("德清民政2022.txt", TEMPLATE_BYTES)], env)[0]
    rid = outcome.report_id
    st.cache_data.clear()
    at = app(rid, user="zhang")
    cell = json.dumps(["table3", None, 3, "R01", "总计"], ensure_ascii=False)
    labels = at.selectbox(key=keys(at, rid)["fact"]).options
    assert "Table 3 R01 New applications · Total = 14" in labels
    assert labels.index("Table 3 R01 New applications · Natural persons = 12") < labels.index(
        "Table 3 R01 New applications · Total = 14") < labels.index("Table 3 R02 Carried over from last year · "
                                                                      "Natural persons = 2")
    correct(at, cell, "15", "表三总计列抄录错误", report_id=rid)
    assert rows(env, "SELECT value, corrected, original_value FROM facts WHERE report_id = ? AND tbl = 3 "
                     "AND row_id = 'R01' AND column_name = '总计'", [rid]) == [(15.0, True, 14.0)]
    upload.confirm([upload.preview("seed.txt", (REPO_ROOT / SEEDS / "000_6ff0f60036f403dd.txt").read_bytes())], env)
    assert rows(env, "SELECT value FROM facts WHERE report_id = ? AND tbl = 3 AND row_id = 'R01' "
                     "AND column_name = '总计'", [rid]) == [(15.0,)]


def test_everyone_sees_corrected_values_read_only(env: Path) -> None:
    correct(app(user="zhang"), PROACTIVE, "70", REASON)
    st.cache_data.clear()
    at = app()
    assert at.dataframe[0].value["Value now"].tolist() == ["70"]
    assert len(at.dataframe) == 1
    assert not at.selectbox and not at.text_area


@pytest.mark.parametrize(("text", "value"), [("70", 70.0), ("1,326.5", 1326.5), ("１３２６", 1326.0),
                                             (" 0 ", 0.0)])
def test_parse_value(text: str, value: float) -> None:
    assert corrections_ui.parse_value(text) == value


@pytest.mark.parametrize("text", ["", "abc", "nan", "inf", "七十"])
def test_parse_value_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        corrections_ui.parse_value(text)


def test_a_correction_made_during_an_ingest_is_pending_then_applied(env: Path) -> None:
    from etl.store_swap import writer_lock

    with writer_lock(env):
        at = correct(app(user="zhang"), PROACTIVE, "70", REASON)
        assert "will show it when the update is done" in at.success[0].value
        assert at.dataframe[-1].value["State"].tolist() == ["pending"]
        assert headline(env) == (68.0, False, None)
    build_database([SEEDS], env, workers=1)
    assert headline(env) == (70.0, True, 68.0)
