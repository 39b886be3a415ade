"""The dashboard's queries, tables and helpers on the fixture database (``tests/dbfixture.py``)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import dbfixture as fx
import pandas as pd
import pytest

from app import analysis, charts, db, export, highlight, queries, sqlrun, values
from app.charts import PALETTE, BureauStyle
from app.i18n import EN, ZH, t
from app.queries import Scope
from etl.summary import build_summary

ALL = Scope()


@pytest.fixture(autouse=True)
def _env(dashboard_env: Path) -> Path:
    return dashboard_env


def rows_of(df: pd.DataFrame, bureau: str) -> pd.DataFrame:
    return df[df["bureau_id"] == bureau].reset_index(drop=True)


def test_bureau_options_and_year_bounds() -> None:
    opts = queries.bureau_options()
    assert set(opts["bureau_id"]) == {fx.GZ, fx.HZ, fx.SZ, fx.XF}
    assert opts.set_index("bureau_id").loc[fx.GZ, "n_reports"] == 3  # the superseded version does not count
    assert opts.set_index("bureau_id").loc[fx.XF, "is_sample"]
    assert opts.set_index("bureau_id").loc[fx.SZ, "n_reports"] == 2
    assert queries.year_bounds() == (2021, 2023)


def test_overview_counts_follow_the_scope() -> None:
    assert queries.overview_counts(ALL) == {"reports": fx.ACTIVE_REPORTS, "bureaus": 4, "years": 3, "provinces": 2,
                                            "cities": 3, "counties": 3, "sample_reports": 3, "issues": 2}
    guangdong = queries.overview_counts(Scope(province="广东省"))
    assert guangdong["reports"] == 7 and guangdong["sample_reports"] == 0
    assert queries.overview_counts(Scope(year_from=2022, year_to=2022))["reports"] == 3
    assert queries.overview_counts(Scope(kind="health"))["reports"] == 2
    assert queries.overview_counts(Scope(kind="education", level="county"))["bureaus"] == 3
    assert queries.overview_counts(Scope(level="city"))["counties"] == 0
    assert queries.overview_counts(Scope(bureaus=(fx.SZ,)))["issues"] == 1


def test_coverage_grid() -> None:
    grid = queries.coverage(ALL)
    assert len(grid) == 10
    gz23 = grid[(grid["bureau_id"] == fx.GZ) & (grid["year"] == 2023)].iloc[0]
    assert (gz23["n_issues"], gz23["n_warnings"], gz23["template"], gz23["n_reports"]) == (1, 1, "2021", 1)
    # 5 headline numbers + tables 2, 3, 4 expected; 广州 2023 states 4 numbers (no consultations) and 3 tables
    assert gz23["completeness"] == pytest.approx(7 / 8)
    xf21 = grid[(grid["bureau_id"] == fx.XF) & (grid["year"] == 2021)].iloc[0]
    assert xf21["completeness"] == pytest.approx(2 / 5)  # free text: proactive total and consultations
    assert sorted(rows_of(grid, fx.SZ)["year"]) == [2021, 2023]
    xf = rows_of(grid, fx.XF)
    assert set(xf["template"]) == {"free_text"} and xf["is_sample"].all()


def test_changes_from_the_previous_year_largest_first() -> None:
    ch = queries.changes(ALL)
    first = ch.iloc[0]
    assert (first["bureau_id"], first["metric"], first["previous"], first["value"]) == (fx.HZ, "applications_received",
                                                                                     3, 0)
    assert first["change_pct"] == pytest.approx(-100)
    assert list(ch["change_pct"].iloc[1:3].round(1)) == [40.0, 30.0]
    from_zero = ch[(ch["bureau_id"] == fx.GZ) & (ch["year"] == 2022) & (ch["metric"] == "applications_received")]
    assert pd.isna(from_zero.iloc[0]["change_pct"]) and from_zero.index[0] == len(ch) - 1  # no %: last
    assert not (ch["bureau_id"] == fx.SZ).any()  # 2021 → 2023 is not a change from the previous year


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


def test_superseded_versions_do_not_count() -> None:
    gz = rows_of(queries.proactive(ALL), fx.GZ)
    assert fx.PROACTIVE_OLD_VERSION not in set(gz["value"])
    assert fx.R_GZ_2023_OLD not in set(queries.coverage(ALL).get("report_id", pd.Series(dtype=str)))


def test_corrected_values_carry_their_original() -> None:
    sz = rows_of(queries.proactive(ALL), fx.SZ).set_index("year")
    assert sz.loc[2021, "value"] == fx.PROACTIVE[fx.SZ][2021] and sz.loc[2021, "corrected"]
    assert sz.loc[2021, "original_value"] == fx.SZ_2021_ORIGINAL
    assert not sz.loc[2023, "corrected"]
    heads = queries.report_headlines(fx.R_SZ[2021]).set_index("metric")
    assert heads.loc["proactive_total", "corrected"]
    shown = export.headlines(queries.report_headlines(fx.R_SZ[2021]), "zh").set_index("指标")
    assert shown.loc["主动公开总数", "数值"] == "500 ✎" and shown.loc["主动公开总数", "原提取值"] == "5,000"


def test_headline_gaps_mark_figures_not_stated() -> None:
    df = queries.applications_received(ALL, gaps=True)
    xf = rows_of(df, fx.XF)
    assert list(xf["value_kind"]) == ["not_stated"] * 3 and xf["value"].isna().all()
    assert len(rows_of(queries.applications_received(ALL), fx.XF)) == 0
    style = BureauStyle.from_options(queries.bureau_options(), "zh")
    shown = export.yoy(df, style, "zh")
    values = dict(zip(zip(shown["机构"], shown["年份"], strict=True), shown["数值"], strict=True))
    assert values[(fx.NAMES[fx.XF] + "〔样例〕", "2021")] == "∅"
    assert values[(fx.NAMES[fx.HZ], "2023")] == "0"
    assert values[(fx.NAMES[fx.GZ], "2023")] == "7"


def test_kind_and_level_scope() -> None:
    assert set(queries.proactive(Scope(kind="health"))["bureau_id"]) == {fx.SZ}
    assert set(queries.proactive(Scope(level="county"))["bureau_id"]) == {fx.GZ, fx.HZ, fx.XF}
    assert set(queries.proactive(Scope(province="广东省", level="county"))["bureau_id"]) == {fx.GZ, fx.HZ}


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
    assert heat[("timeliness", 2022)] == 2
    assert ("policy_interpretation", 2023) in heat.index
    assert queries.problem_themes(ALL) == ["timeliness", "policy_interpretation", "content_scope"]
    nowhere = Scope(province="不存在省")
    assert queries.problem_heatmap(nowhere).empty and queries.problem_themes(nowhere) == []


def test_the_problem_heatmap_of_a_region_is_summed_from_theme_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    scopes = [ALL, Scope(province="广东省"), Scope(level="county"), Scope(year_from=2022, year_to=2023)]
    read: list[str] = []
    run = queries.query
    monkeypatch.setattr(queries, "query", lambda sql, params=None: read.append(sql) or run(sql, params))
    rolled = [(queries.problem_heatmap(scope), queries.problem_themes(scope)) for scope in scopes]
    assert any("FROM theme_summary" in sql for sql in read)
    assert rolled[0][0].set_index(["theme", "year"]).loc[("timeliness", 2022), "n_reports"] == 2
    monkeypatch.setattr(queries, "_rollup_covers", lambda scope: False)
    db.clear_caches()
    read.clear()
    for scope, (heat, themes) in zip(scopes, rolled, strict=True):
        pd.testing.assert_frame_equal(heat, queries.problem_heatmap(scope), check_exact=True)
        assert themes == queries.problem_themes(scope)
    assert read and not any("theme_summary" in sql for sql in read)


def test_problem_sentences_filters() -> None:
    got = queries.problem_sentences(ALL, theme="timeliness", bureau_id=fx.GZ, kind="problem")
    assert set(got["sentence"]) == {"信息发布不够及时。", fx.PROBLEM_TIMELINESS_GZ}
    assert len(queries.problem_sentences(ALL, theme="timeliness")) == 6
    assert len(queries.problem_sentences(Scope(province="江西省"))) == 3


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


def test_reports_in_scope_lists_every_report_and_version() -> None:
    df = queries.reports_in_scope(Scope(bureaus=(fx.GZ,)))
    assert list(df["report_id"]) == [fx.R_GZ[2021], fx.R_GZ[2022], fx.R_GZ_2023_OLD, fx.R_GZ[2023]]
    assert list(df["n_issues"]) == [0, 0, 0, 1]
    assert list(df["is_active"]) == [True, True, False, True] and list(df["version"]) == [1, 1, 1, 2]


def test_bureau_colours_are_stable_and_sample_bureaus_labelled() -> None:
    opts = queries.bureau_options()
    style = BureauStyle.from_options(opts, "zh")
    assert style.colors == {b: PALETTE[i] for i, b in enumerate(sorted([fx.GZ, fx.HZ, fx.SZ, fx.XF]))}
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
    assert queries.overview_counts(ALL)["reports"] == fx.ACTIVE_REPORTS
    new = fx.build(tmp_path / "new.duckdb")
    import duckdb

    with duckdb.connect(str(new)) as con:
        con.execute("DELETE FROM validation_issues WHERE report_id = ?", [fx.R_SZ[2021]])
        con.execute("DELETE FROM facts WHERE report_id = ?", [fx.R_SZ[2021]])
        con.execute("DELETE FROM reports WHERE report_id = ?", [fx.R_SZ[2021]])
        build_summary(con)
    time.sleep(0.01)
    os.utime(new)
    os.replace(new, live)
    assert queries.overview_counts(ALL)["reports"] == fx.ACTIVE_REPORTS - 1


def test_missing_database_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCLOSURE_DB", str(tmp_path / "absent.duckdb"))
    assert not db.database_exists()
    monkeypatch.setenv("DISCLOSURE_DB", "data/x.duckdb")
    assert db.database_path() == db.REPO_ROOT / "data" / "x.duckdb"


# --- new views ------------------------------------------------------------------------------

def test_categories_behind_the_totals() -> None:
    cats = queries.categories(ALL)
    gz = cats[cats["report_id"] == fx.R_GZ[2023]]
    assert dict(zip(gz["category"], gz["value"], strict=True)) == fx.CATEGORIES[fx.R_GZ[2023]]
    assert gz["total"].iloc[0] == 90 and gz["share"].sum() == pytest.approx(1.0)
    check = analysis.category_check(cats).set_index("report_id")
    assert check.loc[fx.R_GZ[2023], "difference"] == 0
    assert check.loc[fx.R_SZ[2023], "difference"] == -50  # 400 + 200 of "650余"


def test_ranking_within_the_scope_and_its_year() -> None:
    df = queries.proactive(ALL, gaps=True)
    assert analysis.busiest_year(df) == 2023
    assert analysis.ranking_years(df) == [2023, 2022, 2021]
    ranked = analysis.ranking(df, 2023)
    assert list(ranked["bureau_id"]) == [fx.SZ, fx.HZ, fx.XF, fx.GZ]
    assert list(ranked["rank"]) == [1, 2, 3, 4] and ranked["n_ranked"].iloc[0] == 4 < analysis.MIN_RANKED
    received = analysis.ranking(queries.applications_received(ALL, gaps=True), 2023)
    assert list(received["bureau_id"])[-1] == fx.XF and pd.isna(received["rank"].iloc[-1])  # not stated: unranked
    assert received["n_ranked"].iloc[0] == 3
    ties = pd.DataFrame({"bureau_id": ["a", "b", "c"], "bureau_name": ["a", "b", "c"], "year": [1, 1, 1],
                         "value": [5.0, 5.0, 1.0]})
    assert list(analysis.ranking(ties, 1)["rank"]) == [1, 1, 3]


def test_channel_trend_groups_new_media_websites_and_print() -> None:
    trend = analysis.channel_trend(queries.channel_shares(Scope(year_from=2023, year_to=2023)))
    row = trend.set_index("group")
    assert row.loc["new_media", "items"] == 30 + 60 + 100  # WeChat 广州, Douyin 海珠, Weibo 深圳
    assert row.loc["new_media", "share"] == pytest.approx(190 / 950)
    assert row.loc["website", "items"] == 660 and row.loc["print", "items"] == 100
    assert row.loc["new_media", "reports"] == 3
    assert "other" not in row.index
    assert analysis.channel_group("douyin") == "new_media" and analysis.channel_group("hotline") == "other"


def test_applicants_by_type_keep_blanks_apart() -> None:
    df = queries.applicants(ALL)
    assert dict(zip(df["applicant"], df["value"], strict=True)) == {"自然人": 6, "商业企业": 1}


def test_flow_from_received_to_outcomes() -> None:
    links = analysis.flow(queries.table3_cells(ALL))
    got = {(s, t_): v for s, t_, v in links.itertuples(index=False)}
    assert got[("new", "received")] == 7 + 42 and got[("carried_over", "received")] == 1
    assert got[("received", "granted")] == 33 and got[("received", "partly")] == 6
    assert got[("received", "refused")] == 1 and got[("refused", "R08")] == 1
    assert got[("received", "unable")] == 9 and got[("received", "carried_forward")] == 1
    assert ("refused", "R06") not in got  # blank cell: nothing, not 0
    assert all(v > 0 for v in got.values())
    assert analysis.flow(queries.table3_cells(Scope(bureaus=(fx.XF,)))).empty


def test_recurring_problems_and_what_came_of_promises() -> None:
    rec = analysis.recurring(queries.problem_sentences(ALL), queries.report_years(ALL))
    by = {(r.bureau_id, r.theme): r for r in rec.itertuples()}
    gz = by[(fx.GZ, "timeliness")]
    assert gz.recurring and gz.run == 2 and gz.problem_years == [2022, 2023]
    assert gz.follow_up == {2022: "recurred", 2023: "no_report"}
    xf = by[(fx.XF, "timeliness")]
    assert xf.recurring and xf.problem_years == [2021, 2022] and xf.follow_up == {}
    scope = by[(fx.GZ, "content_scope")]
    assert not scope.recurring and scope.follow_up == {2021: "followed_up", 2022: "silent"}
    assert not by[(fx.SZ, "policy_interpretation")].recurring
    assert list(rec["recurring"][:2]) == [True, True] and not rec["recurring"][2:].any()
    assert analysis.longest_run([2019, 2021, 2022, 2023]) == 3 and analysis.longest_run([]) == 0
    style = BureauStyle.from_options(queries.bureau_options(), "zh")
    table = charts.recurring_table(rec, style, "zh").set_index(["机构", "主题"])
    assert table.loc[(fx.NAMES[fx.GZ], "更新不及时"), "反复出现"] == "↻ 连续 2 年"
    assert "2022→2023：再次承认该问题" in table.loc[(fx.NAMES[fx.GZ], "更新不及时"), "下一年的情况"]


def test_measures_tell_zero_not_stated_and_undefined_apart() -> None:
    m = queries.measures(Scope(year_from=2023, year_to=2023))
    cell = {(r.bureau_id, r.measure): (r.value, r.value_kind) for r in m.itertuples()}
    assert cell[(fx.GZ, "granted_rate")][0] == pytest.approx(4 / 7)
    assert cell[(fx.HZ, "granted_rate")][1] == "undefined" and pd.isna(cell[(fx.HZ, "granted_rate")][0])
    assert cell[(fx.XF, "granted_rate")][1] == "not_stated"
    assert cell[(fx.SZ, "correction_rate")][1] == "undefined"
    assert cell[(fx.GZ, "correction_rate")][0] == pytest.approx(0.5)
    assert cell[(fx.HZ, "applications_received")] == (0, "zero")
    assert cell[(fx.XF, "applications_received")][1] == "not_stated"
    assert cell[(fx.HZ, "new_media_share")][0] == pytest.approx(60 / 260)
    assert cell[(fx.GZ, "problems")] == (1, "number") and cell[(fx.GZ, "issues")] == (1, "number")
    assert list(m[m["bureau_id"] == fx.GZ]["measure"]) == list(queries.MEASURES)


def test_percentiles_among_peers_of_the_same_kind_and_level() -> None:
    own = queries.measures(Scope(year_from=2023, year_to=2023, bureaus=(fx.GZ, fx.HZ, fx.XF, fx.SZ)))
    peers = pd.concat([queries.measures(Scope(year_from=2023, year_to=2023, kind="education", level="county")),
                       queries.measures(Scope(year_from=2023, year_to=2023, kind="health", level="city"))])
    pct = analysis.percentiles(own, peers)
    got = {(r.bureau_id, r.measure): (r.percentile, r.n_peers) for r in pct.itertuples()}
    assert got[(fx.GZ, "proactive_total")] == (pytest.approx(100 * 0.5 / 3), 3)  # 90 < 95 < 260
    assert got[(fx.XF, "proactive_total")][0] == pytest.approx(50)
    assert got[(fx.HZ, "proactive_total")][0] == pytest.approx(100 * 2.5 / 3)
    assert got[(fx.GZ, "applications_received")] == (pytest.approx(75), 2)  # 7 against 0; 信丰 states none
    assert pd.isna(got[(fx.SZ, "proactive_total")][0])  # its only peer is itself
    assert pd.isna(got[(fx.HZ, "granted_rate")][0])  # rate over no case
    style = BureauStyle.from_options(queries.bureau_options(), "zh")
    table = export.compare(pct, style, "zh").set_index("指标")
    assert table.loc["主动公开总数", fx.NAMES[fx.GZ]] == "90　第 17 百分位（n=3）"
    assert table.loc["公开率（予以公开 + 部分公开）", fx.NAMES[fx.HZ]] == "—"
    assert table.loc["收到申请数", fx.NAMES[fx.XF] + "〔样例〕"] == "∅"
    assert table.loc["收到申请数", fx.NAMES[fx.HZ]].startswith("0　")


def test_default_comparison_and_its_year() -> None:
    opts = queries.bureau_options()
    assert analysis.default_peers(opts) == [fx.GZ, fx.XF, fx.HZ]
    assert analysis.common_year(queries.measures(Scope(bureaus=(fx.GZ, fx.XF, fx.HZ)))) == 2023
    assert analysis.common_year(queries.measures(Scope(bureaus=(fx.SZ, fx.HZ)))) == 2023


def test_values_are_written_apart() -> None:
    assert values.fmt_value(0, "zero") == "0"
    assert values.fmt_value(None, "blank") == "□" and values.fmt_value(None, "slash") == "/"
    assert values.fmt_value(None, "not_stated") == "∅" and values.fmt_value(None) == "∅"
    assert values.fmt_value(float("nan"), "undefined", rate=True) == "—"
    assert values.fmt_value(float("nan"), rate=True) == "—"
    assert values.fmt_value(0.5, rate=True) == "50.0%" and values.fmt_value(1234.0) == "1,234"
    assert values.fmt_value(500.0, corrected=True) == "500 ✎" and values.fmt_value(500.0, corrected=pd.NA) == "500"


# --- report text highlighting ---------------------------------------------------------------

def test_report_text_is_escaped_and_numbers_are_marked() -> None:
    rid = fx.R_GZ[2023]
    body = queries.report_body(rid)
    html = highlight.report_html(body, queries.report_spans(rid), queries.report_sentences(rid), "zh")
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;不是标签&lt;/b&gt;" in html and "**不是粗体**" in html
    tags = set(re.findall(r"</?([a-zA-Z]+)", html))
    assert tags <= {"div", "mark", "span"}
    assert 'title="主动公开总数: 90">90</mark>条' in html
    # table 4 row "| 复议 | 1 | 1 | 0 | 0 | 2 |": each cell fact marks its own cell, in order
    row = re.search(r"\| 复议 \|(.*?)\n", html).group(1)  # type: ignore[union-attr]
    assert re.findall(r'title="表 4 · 复议 · ([^:]+): (\d)"', row) == [
        ("结果维持", "1"), ("结果纠正", "1"), ("其他结果", "0"), ("尚未审结", "0"), ("总计", "2")]
    assert 'class="rb-empty"' in html  # the blank R06 cell and the "/" R07 cell
    assert 'class="rb-zero"' in html
    assert 'class="rb-problem"' in html and fx.PROBLEM_TIMELINESS_GZ in html


def test_highlight_merges_overlaps_and_ignores_bad_offsets() -> None:
    spans = [highlight.Span(0, 4, "rb-number", "a"), highlight.Span(2, 6, "rb-zero", "b"),
             highlight.Span(50, 60, "rb-number", "out of range")]
    out = highlight.to_html("0123456789<>", spans[:2], [])
    assert out.count("<mark") == 1 and "a\nb" in out and out.endswith("6789&lt;&gt;</div>")
    facts = pd.DataFrame({"start_offset": [50], "end_offset": [60], "raw": ["1"], "value_kind": ["number"],
                          "metric": ["proactive_total"], "tbl": [None], "dimension": [None], "value": [1.0]})
    assert highlight.fact_spans("short", facts, "zh") == []


def test_corrected_values_are_marked_in_the_text() -> None:
    rid = fx.R_SZ[2021]
    html = highlight.report_html(queries.report_body(rid), queries.report_spans(rid), queries.report_sentences(rid),
                                 "en")
    assert 'class="rb-corrected"' in html and "500 ✎" in html


# --- analysts' SQL --------------------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "DROP TABLE reports", "DELETE FROM facts", "UPDATE reports SET year = 1", "INSERT INTO meta VALUES ('a', 'b')",
    "CREATE TABLE t AS SELECT 1", "ALTER TABLE reports ADD COLUMN x INT", "ATTACH '/tmp/x.duckdb' AS x",
    "DETACH rpt", "COPY reports TO '/tmp/x.csv'", "INSTALL fts", "LOAD fts", "PRAGMA version", "SET threads = 1",
    "EXPORT DATABASE '/tmp/x'", "CALL pragma_version()", "USE memory",
])
def test_sql_refuses_everything_but_one_select(sql: str) -> None:
    result = sqlrun.run(sql)
    assert result.data is None and result.error is not None and result.error.key == "sql.not_select"
    assert result.error.detail["kind"] == sql.split()[0].upper()
    assert t(result.error.key, "zh", **result.error.detail).startswith("只允许查询")


def test_sql_runs_one_select_with_a_row_limit() -> None:
    ok = sqlrun.run("SELECT count(*) AS n FROM reports")
    assert ok.error is None and ok.data is not None and int(ok.data["n"].iloc[0]) == fx.ACTIVE_REPORTS + 1
    active = sqlrun.run("WITH a AS (SELECT * FROM active_reports) SELECT count(*) AS n FROM a;")
    assert active.data is not None and int(active.data["n"].iloc[0]) == fx.ACTIVE_REPORTS
    big = sqlrun.run("SELECT * FROM range(5000)", limit=100)
    assert big.data is not None and len(big.data) == 100 and big.truncated
    assert sqlrun.run("SELECT 1; SELECT 2").error == sqlrun.Refusal("sql.one_statement", {"n": "2"})
    assert sqlrun.run("  ").error == sqlrun.Refusal("sql.empty")


def test_sql_errors_are_clear() -> None:
    syntax = sqlrun.run("SELEC 1").error
    assert syntax is not None and syntax.key == "sql.syntax" and "SELEC" in syntax.detail["error"]
    unknown = sqlrun.run("SELECT * FROM nosuch").error
    assert unknown is not None and unknown.key == "sql.unknown_name" and "nosuch" in unknown.detail["error"]
    files = sqlrun.run("SELECT * FROM read_csv('/etc/passwd')").error
    assert files is not None and files.key == "sql.permission"
    assert sqlrun.run("SELECT * FROM glob('/*')").error.key == "sql.permission"  # type: ignore[union-attr]


def test_sql_is_interrupted_after_the_timeout() -> None:
    start = time.perf_counter()
    result = sqlrun.run("SELECT count(*) FROM range(100000000000) a, range(1000) b", timeout=0.5)
    assert result.error == sqlrun.Refusal("sql.timeout", {"seconds": "0.5"})
    assert time.perf_counter() - start < 5
    assert sqlrun.run("SELECT 42 AS x").data.iloc[0]["x"] == 42  # type: ignore[union-attr]


# --- schema v1 ------------------------------------------------------------------------------

def test_a_database_without_the_summary_is_recognised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    assert queries.has_summary()
    old = fx.build(tmp_path / "old.duckdb")
    with duckdb.connect(str(old)) as con:
        con.execute("DROP TABLE report_summary")
    monkeypatch.setenv("DISCLOSURE_DB", str(old))
    assert not queries.has_summary()
    assert queries.report_headlines(fx.R_SZ[2021])["corrected"].any()  # the single-report queries still work


def test_a_summary_built_by_an_earlier_version_is_recognised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    earlier = fx.build(tmp_path / "earlier.duckdb")
    with duckdb.connect(str(earlier)) as con:
        con.execute("UPDATE meta SET value = '5' WHERE key = 'summary_version'")
    monkeypatch.setenv("DISCLOSURE_DB", str(earlier))
    assert not queries.has_summary()  # its tables lack columns this version's queries read


def test_repeated_numbers_of_one_row_each_get_their_own_mark() -> None:
    body = "标题\n行政强制  0  0  0\n全年收到申请3件，办结3件。"
    start = body.index("行政强制")
    row = body[start:body.index("\n", start)]
    facts = pd.DataFrame({
        "start_offset": [start] * 3, "end_offset": [start + len(row)] * 3, "raw": ["0", "0", "0"],
        "value_kind": ["zero"] * 3, "metric": ["table2"] * 3, "tbl": [2, 2, 2], "row_id": ["行政强制"] * 3,
        "column_name": ["a", "b", "c"], "dimension": [None] * 3, "value": [0.0] * 3})
    spans = highlight.fact_spans(body, facts, "zh")
    assert [body[s.start:s.end] for s in spans] == ["0", "0", "0"]
    assert len({s.start for s in spans}) == 3


def test_corrected_table_cells_are_marked() -> None:
    style = BureauStyle.from_options(queries.bureau_options(), "zh")
    carry = export.carry(queries.carry(ALL), style, "zh").set_index("机构")
    assert carry.loc[fx.NAMES[fx.SZ], "本年新收"] == "42 ✎" and carry.loc[fx.NAMES[fx.GZ], "本年新收"] == "7"
    grid = export.table3(queries.report_cells(fx.R_SZ[2023]), "zh").set_index("行")
    assert grid.loc["R01", "总计"] == "42 ✎" and grid.loc["R03", "总计"] == "30"
    appeals = export.appeals(queries.appeals(ALL), style, "zh")
    assert not appeals.apply(lambda col: col.astype(str).str.contains("✎")).any().any()


def test_region_series_summed_from_region_summary_match_the_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "MAX_BUREAUS", 2)
    calls = {
        "received": lambda s: queries.applications_received(s, gaps=True), "proactive": queries.proactive,
        "channels": queries.channel_shares, "cells": queries.table3_cells, "outcomes": queries.outcomes,
        "carry": queries.carry, "applicants": queries.applicants, "appeals": queries.appeals,
        "appeal_totals": queries.appeal_totals,
    }
    scopes = [ALL, Scope(province="广东省"), Scope(level="county"), Scope(year_from=2022, year_to=2023)]
    read: list[str] = []
    run = queries.query
    monkeypatch.setattr(queries, "query", lambda sql, params=None: read.append(sql) or run(sql, params))
    rolled = {(i, name): fn(scope) for i, scope in enumerate(scopes) for name, fn in calls.items()}
    assert any("FROM region_summary" in sql for sql in read)
    assert not any("FROM report_summary" in sql for sql in read)  # unit_level too: the busiest year settles it
    monkeypatch.setattr(queries, "_rollup_covers", lambda scope: False)
    db.clear_caches()
    read.clear()
    for (i, name), df in rolled.items():
        pd.testing.assert_frame_equal(df, calls[name](scopes[i]), check_exact=True)
    assert not any("region_summary" in sql for sql in read)
    cells = rolled[(0, "cells")].set_index(["bureau_name", "year", "row_id"])
    assert cells.loc[("广东省", 2023, "R01"), ["value", "n_reports"]].tolist() == [7 + 0 + 42, 3]  # 天河, 海珠, 深圳
    totals = rolled[(0, "appeal_totals")]
    assert totals[["bureau_id", "year", "metric", "value"]].values.tolist() == [
        ["region:广东省", 2023, "litigation", 1], ["region:广东省", 2023, "reconsideration", 2]]
    people = rolled[(0, "applicants")].set_index(["bureau_name", "year", "applicant"])
    assert people.loc[("广东省", 2023, "自然人"), ["value", "value_kind"]].tolist() == [6, "number"]


def test_a_large_scope_is_charted_by_region(monkeypatch: pytest.MonkeyPatch) -> None:
    by_bureau = queries.proactive(ALL)
    assert queries.unit_level(ALL) == "bureau"
    monkeypatch.setattr(queries, "MAX_BUREAUS", 2)
    assert queries.unit_level(ALL) == "province"
    assert queries.unit_level(Scope(bureaus=(fx.GZ, fx.HZ, fx.SZ))) == "bureau"
    assert queries.unit_level(Scope(province="广东省")) == "city"
    regions = queries.proactive(ALL).set_index(["bureau_name", "year"])
    guangdong = by_bureau[by_bureau["bureau_id"].isin([fx.GZ, fx.HZ, fx.SZ])].groupby("year")["value"].sum()
    assert regions.loc[("广东省", 2023), "value"] == guangdong[2023] == 90 + 260 + 650
    assert regions.loc[("广东省", 2023), "n_reports"] == 3 and regions.loc[("江西省", 2023), "is_sample"]
    assert regions.loc[("广东省", 2023), "change_abs"] == guangdong[2023] - guangdong[2022]
    cities = queries.outcomes(Scope(province="广东省")).set_index(["bureau_name", "outcome"])
    assert cities.loc[("广州市", "granted"), "value"] == 3  # 天河区 granted 3, 海珠区 0
    assert queries.categories(ALL).empty  # category names are a report's own: not summed
    shares = queries.channel_shares(ALL)
    assert shares.groupby(["bureau_id", "year"])["share"].sum().round(9).eq(1).all()
    assert set(shares["bureau_id"]) <= {"region:广东省", "region:江西省"}


def test_region_coverage_names_only_the_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "MAX_BUREAUS", 2)
    cities = queries.coverage(Scope(province="广东省")).set_index(["bureau_name", "year"])
    guangzhou = cities.loc[("广州市", 2023)]
    assert guangzhou["province"] == "广东省" and guangzhou["city"] == "广州市"
    assert cities["county"].isna().all()  # the cities' reports come from several counties
    provinces = queries.coverage(ALL)
    assert provinces["city"].isna().all() and provinces["county"].isna().all()
