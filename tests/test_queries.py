"""The dashboard's queries, tables and helpers on the fixture database (``tests/dbfixture.py``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import dbfixture as fx
import pandas as pd
import pytest

from app import db, export, queries
from app.charts import PALETTE, BureauStyle
from app.i18n import EN, ZH, t
from app.queries import Scope

ALL = Scope()


@pytest.fixture(autouse=True)
def _env(dashboard_env: Path) -> Path:
    return dashboard_env


def rows_of(df: pd.DataFrame, bureau: str) -> pd.DataFrame:
    return df[df["bureau_id"] == bureau].reset_index(drop=True)


def test_bureau_options_and_year_bounds() -> None:
    opts = queries.bureau_options()
    assert set(opts["bureau_id"]) == {fx.GZ, fx.SZ, fx.XF}
    assert opts.set_index("bureau_id").loc[fx.XF, "is_sample"]
    assert opts.set_index("bureau_id").loc[fx.SZ, "n_reports"] == 2
    assert queries.year_bounds() == (2021, 2023)


def test_overview_counts_follow_the_scope() -> None:
    assert queries.overview_counts(ALL) == {"reports": 8, "bureaus": 3, "years": 3, "sample_reports": 3, "issues": 2}
    guangdong = queries.overview_counts(Scope(province="广东省"))
    assert guangdong["reports"] == 5 and guangdong["sample_reports"] == 0
    assert queries.overview_counts(Scope(year_from=2022, year_to=2022))["reports"] == 2
    assert queries.overview_counts(Scope(bureaus=(fx.SZ,)))["issues"] == 1


def test_coverage_grid() -> None:
    grid = queries.coverage(ALL)
    assert len(grid) == 8
    gz23 = grid[(grid["bureau_id"] == fx.GZ) & (grid["year"] == 2023)].iloc[0]
    assert (gz23["n_issues"], gz23["template"], gz23["n_reports"]) == (1, "2021", 1)
    assert sorted(rows_of(grid, fx.SZ)["year"]) == [2021, 2023]
    xf = rows_of(grid, fx.XF)
    assert set(xf["template"]) == {"free_text"} and xf["is_sample"].all()


def test_proactive_totals_and_year_over_year_change() -> None:
    gz = rows_of(queries.proactive(ALL), fx.GZ)
    assert list(gz["year"]) == [2021, 2022, 2023]
    assert list(gz["value"]) == [100, 120, 90]
    assert pd.isna(gz.loc[0, "change_abs"])
    assert list(gz["change_abs"][1:]) == [20, -30]
    assert list(gz["change_pct"][1:]) == pytest.approx([20.0, -25.0])


def test_no_change_across_a_missing_year_and_qualifier_kept() -> None:
    sz = rows_of(queries.proactive(ALL), fx.SZ)
    last = sz[sz["year"] == 2023].iloc[0]
    assert last["value"] == 650 and last["raw"] == "650余" and last["qualifier"] == "more_than"
    assert pd.isna(last["change_abs"]) and pd.isna(last["change_pct"]) and pd.isna(last["previous"])


def test_applications_received_zero_is_a_value() -> None:
    gz = rows_of(queries.applications_received(ALL), fx.GZ)
    first = gz.iloc[0]
    assert first["value"] == 0 and first["value_kind"] == "zero"
    assert list(gz["value"]) == [0, 5, 7]


def test_channel_shares_sum_to_one_per_report() -> None:
    df = queries.channel_shares(ALL)
    sums = df.groupby("report_id")["share"].sum()
    assert sums.to_numpy() == pytest.approx([1.0] * len(sums))
    sz = df[df["report_id"] == fx.R_SZ[2023]].set_index("channel")["share"]
    assert sz["website"] == pytest.approx(400 / 600)
    assert list(df[df["report_id"] == fx.R_GZ[2023]]["channel"]) == ["website", "wechat"]


def test_outcomes_skip_blank_and_slash_cells() -> None:
    out = queries.outcomes(ALL)
    gz = out[out["report_id"] == fx.R_GZ[2023]].set_index("outcome")["value"]
    assert gz.to_dict() == {"granted": 3, "partly": 1, "refused": 1, "unable": 2, "not_handled": 0, "other": 0}
    sz = out[out["report_id"] == fx.R_SZ[2023]].set_index("outcome")["value"]
    assert "refused" not in sz.index  # not in the table at all: not shown as 0
    assert sz["granted"] == 30


def test_carry_over_and_forward() -> None:
    carry = queries.carry(ALL).set_index("report_id")
    assert carry.loc[fx.R_GZ[2023], ["new", "carried_over", "total", "carried_forward"]].tolist() == [7, 1, 7, 1]
    assert carry.loc[fx.R_SZ[2023], "new"] == 42


def test_correction_rate_is_undefined_over_zero_cases() -> None:
    ap = queries.appeals(ALL)
    gz = ap[ap["report_id"] == fx.R_GZ[2023]].set_index("t4_row")
    assert gz.loc["复议", "correction_rate"] == pytest.approx(0.5)
    assert pd.isna(gz.loc["直接起诉", "correction_rate"])  # one case, still pending
    assert pd.isna(gz.loc["复议后起诉", "correction_rate"])
    sz = ap[ap["report_id"] == fx.R_SZ[2023]]
    assert sz["correction_rate"].isna().all()
    assert (gz["reconsideration"] == 2).all() and (gz["litigation"] == 1).all()


def test_correction_rate_is_shown_as_a_dash_never_as_a_percentage() -> None:
    style = BureauStyle.from_options(queries.bureau_options(), "zh")
    table = export.appeals(queries.appeals(ALL), style, "zh")
    rates = table[t("col.rate", "zh")].tolist()
    assert "50.0%" in rates
    assert rates.count("—") == 5
    assert "0.0%" not in rates and "100.0%" not in rates


def test_appeal_totals_long_form() -> None:
    totals = queries.appeal_totals(ALL)
    gz = totals[totals["bureau_id"] == fx.GZ].set_index("metric")["value"]
    assert gz.to_dict() == {"litigation": 1, "reconsideration": 2}


def test_problem_heatmap_counts_reports_per_theme_and_year() -> None:
    heat = queries.problem_heatmap(ALL).set_index(["theme", "year"])["n_reports"]
    assert heat[("content_scope", 2021)] == 2
    assert heat[("timeliness", 2023)] == 1  # problem and measure of one report count once
    assert ("policy_interpretation", 2023) in heat.index
    assert queries.problem_themes(ALL) == ["timeliness", "policy_interpretation", "content_scope"]


def test_problem_sentences_filters() -> None:
    got = queries.problem_sentences(ALL, theme="timeliness", bureau_id=fx.GZ, kind="problem")
    assert set(got["sentence"]) == {"信息发布不够及时。", fx.PROBLEM_TIMELINESS_GZ}
    assert len(queries.problem_sentences(ALL, theme="timeliness")) == 4
    assert len(queries.problem_sentences(Scope(province="江西省"))) == 2


def test_scope_by_region_bureau_and_years() -> None:
    assert set(queries.proactive(Scope(province="江西省"))["bureau_id"]) == {fx.XF}
    assert set(queries.proactive(Scope(city="深圳市"))["bureau_id"]) == {fx.SZ}
    assert set(queries.proactive(Scope(county="天河区"))["bureau_id"]) == {fx.GZ}
    two = queries.proactive(Scope(bureaus=(fx.GZ, fx.SZ), year_from=2022, year_to=2023))
    assert sorted(zip(two["bureau_id"], two["year"], strict=True)) == [(fx.GZ, 2022), (fx.GZ, 2023), (fx.SZ, 2023)]


def test_sample_rows_are_flagged() -> None:
    df = queries.proactive(ALL)
    assert df[df["bureau_id"] == fx.XF]["is_sample"].all()
    assert not df[df["bureau_id"] != fx.XF]["is_sample"].any()


def test_report_headlines_mark_metrics_not_stated() -> None:
    df = queries.report_headlines(fx.R_XF[2022])
    kinds = dict(zip(df["metric"], df["value_kind"], strict=True))
    assert kinds["proactive_total"] == "number"
    assert [m for m, k in kinds.items() if k == "not_stated"] == [
        "applications_received", "reconsideration", "litigation", "consultations"]
    shown = export.headlines(df, "en")
    assert "∅ not stated" in set(shown["Filled in as"])


def test_report_cells_keep_blank_and_slash_apart_from_zero() -> None:
    cells = queries.report_cells(fx.R_GZ[2023])
    t3 = cells[(cells["tbl"] == 3) & (cells["column_name"] == "总计")].set_index("row_id")
    assert t3.loc["R06", "value_kind"] == "blank" and pd.isna(t3.loc["R06", "value"])
    assert t3.loc["R07", "value_kind"] == "slash" and t3.loc["R07", "raw"] == "/"
    assert t3.loc["R05", "value_kind"] == "zero" and t3.loc["R05", "value"] == 0
    grid = export.table3(cells, "zh").set_index("行")
    assert (grid.loc["R06", "总计"], grid.loc["R07", "总计"], grid.loc["R05", "总计"]) == ("□", "/", "0")
    assert grid.loc["R01", "自然人"] == "6" and grid.loc["R02", "自然人"] == "·"
    assert len(export.table4(cells, "zh")) == 3


def test_report_metadata_and_issues() -> None:
    meta = queries.report(fx.R_GZ[2023])
    assert meta is not None and meta["bureau_name"] == fx.NAMES[fx.GZ] and meta["template_version"] == "2021"
    assert queries.report("ffffffffffffffff") is None
    issues = queries.report_issues(fx.R_GZ[2023])
    assert issues.iloc[0]["message"] == fx.ISSUE_MESSAGE
    assert export.issues(issues, "zh").iloc[0]["涉及"] == "R02、R25"


def test_reports_in_scope_lists_every_report() -> None:
    df = queries.reports_in_scope(Scope(bureaus=(fx.GZ,)))
    assert list(df["report_id"]) == [fx.R_GZ[2021], fx.R_GZ[2022], fx.R_GZ[2023]]
    assert list(df["n_issues"]) == [0, 0, 1]


def test_bureau_colours_are_stable_and_sample_bureaus_labelled() -> None:
    opts = queries.bureau_options()
    style = BureauStyle.from_options(opts, "zh")
    assert style.colors == {b: PALETTE[i] for i, b in enumerate(sorted([fx.GZ, fx.SZ, fx.XF]))}
    assert BureauStyle.from_options(opts.iloc[::-1], "en").colors == style.colors
    assert style.label(fx.XF) == fx.NAMES[fx.XF] + "〔样例〕"
    assert BureauStyle.from_options(opts, "en").label(fx.XF).endswith("[sample]")
    assert style.label(fx.GZ) == fx.NAMES[fx.GZ]


def test_yoy_table_formats_changes() -> None:
    style = BureauStyle.from_options(queries.bureau_options(), "en")
    table = export.yoy(queries.proactive(Scope(bureaus=(fx.GZ,))), style, "en")
    assert table["Change"].tolist() == ["—", "+20", "-30"]
    assert table["Change (%)"].tolist() == ["—", "+20.0%", "-25.0%"]


def test_csv_has_a_utf8_bom() -> None:
    data = export.csv_bytes(pd.DataFrame({"机构": ["广州市天河区教育局"], "数值": [1]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["机构,数值", "广州市天河区教育局,1"]


def test_every_string_exists_in_both_languages() -> None:
    assert set(ZH) == set(EN)
    assert all(v.strip() for v in [*ZH.values(), *EN.values()])


def test_swapped_database_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = fx.build(tmp_path / "live.duckdb")
    monkeypatch.setenv("DISCLOSURE_DB", str(live))
    assert queries.overview_counts(ALL)["reports"] == 8
    new = fx.build(tmp_path / "new.duckdb")
    import duckdb

    with duckdb.connect(str(new)) as con:
        con.execute("DELETE FROM validation_issues WHERE report_id = ?", [fx.R_SZ[2021]])
        con.execute("DELETE FROM facts WHERE report_id = ?", [fx.R_SZ[2021]])
        con.execute("DELETE FROM reports WHERE report_id = ?", [fx.R_SZ[2021]])
    time.sleep(0.01)
    os.utime(new)
    os.replace(new, live)
    assert queries.overview_counts(ALL)["reports"] == 7


def test_missing_database_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCLOSURE_DB", str(tmp_path / "absent.duckdb"))
    assert not db.database_exists()
    monkeypatch.setenv("DISCLOSURE_DB", "data/x.duckdb")
    assert db.database_path() == db.REPO_ROOT / "data" / "x.duckdb"
