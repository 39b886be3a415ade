"""Every page run by Streamlit's AppTest against the fixture database: what it shows, in both languages."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import dbfixture as fx
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app import nav

REPO_ROOT = Path(__file__).resolve().parent.parent
CHART_PAGES = ("overview", "volume", "channels", "applications", "problems", "compare")
PAGES = (*CHART_PAGES, "sources", "meeting", "sql")


@pytest.fixture(autouse=True)
def _env(dashboard_env: Path) -> Path:
    return dashboard_env


def run(page: str, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(REPO_ROOT / "pages" / f"{page}.py", default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def spec_titled(at: AppTest, title: str) -> dict[str, Any]:
    return next(s for s in specs(at) if s["layout"]["title"]["text"].startswith(title))


def trace_names(spec: dict[str, Any]) -> list[str]:
    return [tr.get("name") for tr in spec["data"]]


def numbers(arr: Any) -> list[float]:
    """Values of a plotly array, which the figure JSON may hold as a base64 typed array."""
    if isinstance(arr, dict) and "bdata" in arr:
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])).tolist()
    return [float(v) for v in arr]


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def frame_with(at: AppTest, column: str):  # type: ignore[no-untyped-def]
    return next(d for d in frames(at) if column in d.columns)


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


# The sample bureau has no application figures, so the applications page shows no sample note.
@pytest.mark.parametrize(("page", "sample"), [(p, p not in ("applications", "meeting", "sql")) for p in PAGES])
def test_every_page_runs_with_downloads_and_the_sample_note(page: str, sample: bool) -> None:
    at = run(page) if page != "sources" else run(page, report=fx.R_XF[2021])
    assert at.title[0].value
    charts = len(at.get("plotly_chart"))
    assert (charts >= 1) == (page in CHART_PAGES)
    shown = labels(at)
    assert shown.count("下载 PNG") == shown.count("下载 SVG") == charts
    assert shown.count("下载 CSV") == shown.count("下载 XLSX") >= charts
    noted = "样例数据" in captions(at) or any("样例数据" in w.value for w in at.warning)
    assert noted == sample


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_english(page: str) -> None:
    at = run(page, lang="en") if page != "sources" else run(page, lang="en", report=fx.R_GZ[2023])
    texts = [at.title[0].value, *(c.value for c in at.caption), *(s.value for s in at.subheader)]
    texts += [s["layout"]["title"]["text"] for s in specs(at)]
    texts += labels(at)
    assert not [x for x in texts if any("\u4e00" <= ch <= "\u9fff" for ch in x)
                and not any(name in x for name in fx.NAMES.values())
                and "〔样例〕" not in x and "广东省" not in x and "江西省" not in x]


def test_overview_metrics_regions_and_coverage_grid() -> None:
    at = run("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["报告数"] == str(fx.ACTIVE_REPORTS) and metrics["机构数"] == "4" and metrics["校验问题"] == "2"
    assert (metrics["省份数"], metrics["城市数"], metrics["区县数"]) == ("2", "3", "3")
    grid = specs(at)[0]["data"][0]
    assert grid["type"] == "heatmap"
    assert fx.NAMES[fx.GZ] in grid["y"] and fx.NAMES[fx.XF] + "〔样例〕" in grid["y"]
    assert grid["x"] == ["2021", "2022", "2023"]
    cells = json.dumps(grid["text"], ensure_ascii=False)
    assert "88% ⚠1" in cells and "40%" in cells  # 广州 2023: 7 of 8 expected items, a warning; 信丰 2021: 2 of 5
    table = frame_with(at, "完整度").set_index(["机构", "年份"])
    assert table.loc[(fx.NAMES[fx.GZ], "2023"), "一致性"] == "⚠ 1 处警告"
    assert table.loc[(fx.NAMES[fx.GZ], "2022"), "一致性"] == "✓ 一致"
    assert table.loc[(fx.NAMES[fx.SZ], "2021"), "一致性"] == "ⓘ 1 条提示"
    changes = frame_with(at, "同比变化（%）")
    first = changes.iloc[0]
    assert (first["机构"], first["指标"], first["上年数值"], first["数值"], first["同比变化（%）"]) == (
        fx.NAMES[fx.HZ], "收到申请数", "3", "0", "-100.0%")
    assert changes.iloc[1]["同比变化（%）"] == "+40.0%"
    assert at.title[0].value == "概览"


def test_overview_in_english() -> None:
    at = run("overview", lang="en")
    assert at.title[0].value == "Overview"
    assert {m.label for m in at.metric} >= {"Reports", "Bureaus", "Years", "Provinces", "Cities", "Counties"}
    assert specs(at)[0]["layout"]["title"]["text"] == "Coverage: bureau × year"
    assert labels(at)[:4] == ["Download CSV", "Download XLSX", "Download PNG", "Download SVG"]
    assert "written sample data" in captions(at)
    assert "Largest changes from the previous year" in [s.value for s in at.subheader]


def test_volume_bars_one_colour_per_bureau_and_marks() -> None:
    at = run("volume")
    spec = specs(at)[0]
    by_name = {tr["name"]: tr for tr in spec["data"]}
    gz = by_name[fx.NAMES[fx.GZ]]
    assert gz["x"] == ["2021", "2022", "2023"]
    assert spec["layout"]["xaxis"]["type"] == "category"
    assert len({tr["marker"]["color"] for tr in spec["data"]}) == 4
    assert by_name[fx.NAMES[fx.SZ]]["text"][0] == "✎"  # corrected 2021 total
    yoy = frame_with(at, "同比变化")
    gz_rows = yoy[yoy["机构"] == fx.NAMES[fx.GZ]]
    assert gz_rows["同比变化"].tolist() == ["—", "+20", "-30"]
    assert gz_rows["同比变化（%）"].tolist() == ["—", "+20.0%", "-25.0%"]
    assert yoy[yoy["机构"] == fx.NAMES[fx.SZ]]["数值"].tolist() == ["500 ✎", "650"]
    assert "✎ 已人工更正" in captions(at)


def test_volume_ranking_warns_when_few_reports_stand_behind_it() -> None:
    at = run("volume")
    assert at.selectbox(key="w_rank_year").value == "2023"  # the year with the most figures
    assert "只有 4 个机构" in at.warning[0].value
    ranking = spec_titled(at, "2023 年主动公开数量排名")["data"][0]
    assert ranking["y"] == [fx.NAMES[fx.SZ], fx.NAMES[fx.HZ], fx.NAMES[fx.XF] + "〔样例〕", fx.NAMES[fx.GZ]]
    assert ranking["text"][0].endswith("#1") and ranking["text"][0].startswith("650")
    table = frame_with(at, "名次")
    assert table["名次"].tolist() == ["1", "2", "3", "4"]
    at = run("volume", rank_year="2022", province="广东省")
    assert frame_with(at, "名次")["机构"].tolist() == [fx.NAMES[fx.HZ], fx.NAMES[fx.GZ]]


def test_volume_categories_behind_the_totals() -> None:
    at = run("volume")
    cats = spec_titled(at, "按类别主动公开数量")
    texts = [x for tr in cats["data"] if tr.get("type") == "bar" and tr.get("text") for x in tr["text"]]
    assert {"政策文件", "工作动态", "其他信息", "通知公告", "人事信息"} <= set(texts)
    check = frame_with(at, "各类别之和").set_index("机构")
    assert check.loc[fx.NAMES[fx.GZ], "差额"] == "0" and check.loc[fx.NAMES[fx.SZ], "差额"] == "-50"


def test_volume_filters_from_the_url() -> None:
    at = run("volume", years=["2022", "2023"], bureau=fx.GZ, lang="en")
    assert at.title[0].value == "Disclosure volume"
    spec = specs(at)[0]
    assert trace_names(spec) == [fx.NAMES[fx.GZ]]
    assert spec["data"][0]["x"] == ["2022", "2023"]
    assert at.slider(key="w_years").value == (2022, 2023)
    assert at.multiselect(key="w_bureau").value == [fx.GZ]
    assert spec["layout"]["title"]["text"] == "Items disclosed proactively"


def test_kind_and_level_filters_from_the_url() -> None:
    at = run("volume", kind="education", level="county")
    assert at.selectbox(key="w_kind").value == "education" and at.selectbox(key="w_level").value == "county"
    assert set(trace_names(specs(at)[0])) == {fx.NAMES[fx.GZ], fx.NAMES[fx.HZ], fx.NAMES[fx.XF] + "〔样例〕"}
    assert at.query_params["kind"] == "education" and at.query_params["level"] == "county"
    at = run("volume", kind="health", lang="en")
    assert trace_names(specs(at)[0]) == [fx.NAMES[fx.SZ]]
    assert at.selectbox(key="w_kind").format_func("health") == "health"


def test_volume_as_lines_from_the_url() -> None:
    at = run("volume", chart="lines")
    spec = specs(at)[0]
    assert {tr["type"] for tr in spec["data"]} == {"scatter"}
    assert spec["layout"]["xaxis"]["categoryarray"] == ["2021", "2022", "2023"]
    sz = next(tr for tr in spec["data"] if tr["name"] == fx.NAMES[fx.SZ])
    assert sz["x"] == ["2021", "2023"]


def test_region_cascade_with_kind_and_level() -> None:
    at = run("volume", province="江西省")
    assert at.selectbox(key="w_city").options == ["赣州市"]
    assert at.multiselect(key="w_bureau").options == [fx.NAMES[fx.XF] + "〔样例〕"]
    assert trace_names(specs(at)[0]) == [fx.NAMES[fx.XF] + "〔样例〕"]
    at.selectbox(key="w_province").select("广东省").run()
    assert not at.exception
    assert at.query_params["province"] == "广东省"
    assert at.selectbox(key="w_city").options == ["广州市", "深圳市"]
    assert at.selectbox(key="w_kind").options == ["教育", "卫生健康"]
    at.selectbox(key="w_level").select("county").run()
    assert set(at.multiselect(key="w_bureau").options) == {fx.NAMES[fx.GZ], fx.NAMES[fx.HZ]}
    assert at.query_params["level"] == "county"
    at.selectbox(key="w_city").select("广州市").run()
    assert at.selectbox(key="w_county").options == ["天河区", "海珠区"]
    at.selectbox(key="w_county").select("海珠区").run()
    assert trace_names(specs(at)[0]) == [fx.NAMES[fx.HZ]]
    assert at.query_params["county"] == "海珠区"


def test_channels_stack_to_100_percent_and_trend() -> None:
    at = run("channels", lang="en")
    spec = specs(at)[0]
    assert spec["layout"]["barmode"] == "stack"
    assert "Government website" in trace_names(spec)
    totals: dict[tuple[str, str], float] = {}
    for tr in spec["data"]:
        assert tr["orientation"] == "h"
        for b, y, v in zip(tr["y"][0], tr["y"][1], numbers(tr["x"]), strict=True):
            totals[(b, y)] = totals.get((b, y), 0) + v
    assert at.title[0].value == "Channel mix"
    assert len(totals) == 5
    assert list(totals.values()) == pytest.approx([100.0] * 5)
    trend = spec_titled(at, "Share of all channel items")
    lines = {tr["name"]: tr for tr in trend["data"]}
    new_media = lines["New media (WeChat, Weibo, Douyin)"]
    assert dict(zip(new_media["x"], numbers(new_media["y"]), strict=True))["2023"] == pytest.approx(20.0)
    assert set(lines) == {"New media (WeChat, Weibo, Douyin)", "Government website",
                          "Print and on-site (press, boards, access points)"}


def test_applications_outcomes_flow_applicants_and_correction_rate() -> None:
    at = run("applications")
    names = [n for s in specs(at) for n in trace_names(s)]
    assert {"予以公开", "部分公开", "不予公开", "无法提供"} <= set(names)
    assert {"行政复议", "行政诉讼", "自然人", "商业企业"} <= set(names)
    appeals = frame_with(at, "纠正率")
    gz = appeals[appeals["机构"] == fx.NAMES[fx.GZ]].set_index("类别")["纠正率"]
    assert gz["行政复议"] == "50.0%"
    assert gz["未经复议直接起诉"] == "—"
    assert set(appeals[appeals["机构"] == fx.NAMES[fx.SZ]]["纠正率"]) == {"—"}
    carry = frame_with(at, "结转下年度")
    assert carry.set_index("机构").loc[fx.NAMES[fx.GZ], "结转下年度"] == "1"
    flow = spec_titled(at, "从收到申请到办理结果")
    assert "3 份报告合计" in flow["layout"]["title"]["text"]
    nodes = flow["data"][0]["node"]["label"]
    assert {"本年新收 49", "上年结转 1", "申请总数 50", "予以公开 33", "部分公开 6", "不予公开 1",
            "保护第三方合法权益 1", "无法提供 9", "结转下年度 1"} <= set(nodes)
    applicants = spec_titled(at, "本年新收申请的申请人构成")
    assert {tr["name"]: numbers(tr["x"]) for tr in applicants["data"] if tr.get("name")} == {
        "自然人": [6.0], "商业企业": [1.0]}


def test_applications_flow_for_one_bureau() -> None:
    at = run("applications", flow_bureau=fx.SZ)
    nodes = spec_titled(at, "从收到申请到办理结果")["data"][0]["node"]["label"]
    assert "本年新收 42" in nodes and "不予公开 0" not in nodes and not any(n.startswith("不予公开") for n in nodes)


def test_applications_in_english() -> None:
    at = run("applications", lang="en")
    assert at.title[0].value == "Applications"
    titles = [s["layout"]["title"]["text"] for s in specs(at)]
    assert titles[0] == "Applications received"
    assert "From applications received to outcomes (table 3, total column, 3 reports)" in titles
    assert "Correction rate" in frame_with(at, "Correction rate").columns


def test_problems_recurring_and_promises() -> None:
    at = run("problems")
    assert at.title[0].value == "反复出现的问题"
    heat = specs(at)[0]["data"][0]
    assert heat["type"] == "heatmap" and "更新不及时" in heat["y"]
    rec = frame_with(at, "反复出现").set_index(["机构", "主题"])
    assert list(rec.index) == [(fx.NAMES[fx.GZ], "更新不及时"), (fx.NAMES[fx.XF] + "〔样例〕", "更新不及时")]
    gz = rec.loc[(fx.NAMES[fx.GZ], "更新不及时")]
    assert (gz["承认问题的年份"], gz["反复出现"], gz["承诺改进的年份"]) == ("2022、2023", "↻ 连续 2 年", "2022、2023")
    assert gz["下一年的情况"] == "2022→2023：再次承认该问题（改进未见成效）；2023→2024：没有下一年的报告"
    timeline = spec_titled(at, "各机构承认的问题")
    assert any(tr["name"] == "承诺改进" for tr in timeline["data"])
    at = run("problems", show="all")
    rec = frame_with(at, "反复出现").set_index(["机构", "主题"])
    scope = rec.loc[(fx.NAMES[fx.GZ], "公开范围不全")]
    assert scope["反复出现"] == "" and "2021→2022：报告了该主题的改进" in scope["下一年的情况"]
    assert "2022→2023：未再提及" in scope["下一年的情况"]


def test_problems_sentences_as_data_from_the_url() -> None:
    at = run("problems", theme="timeliness", problem_bureau=fx.GZ, pkind="problem")
    sentences = frame_with(at, "句子")
    assert set(sentences["句子"]) == {fx.PROBLEM_TIMELINESS_GZ, fx.PROBLEM_TIMELINESS_GZ_2022}
    assert set(sentences["机构"]) == {fx.NAMES[fx.GZ]}
    assert not at.markdown or all(fx.PROBLEM_TIMELINESS_GZ not in m.value for m in at.markdown)


def test_problems_in_english() -> None:
    at = run("problems", lang="en")
    assert at.title[0].value == "Recurring problems"
    assert "Timeliness" in specs(at)[0]["data"][0]["y"]
    assert "Sentence" in frame_with(at, "Sentence").columns
    assert frame_with(at, "Recurring")["Recurring"].iloc[0] == "↻ 2 years running"


def test_compare_defaults_small_multiples_and_percentiles() -> None:
    at = run("compare")
    assert at.multiselect(key="w_cmp").value == [fx.GZ, fx.XF, fx.HZ]
    assert at.selectbox(key="w_cmp_year").value == "2023"
    multiples = spec_titled(at, "各项指标逐年对比")
    panels = [a["text"] for a in multiples["layout"]["annotations"]]
    assert panels[:2] == ["主动公开总数", "收到申请数"] and len(panels) == 10
    legend = [tr["name"] for tr in multiples["data"] if tr.get("showlegend")]
    assert legend == sorted([fx.NAMES[fx.GZ], fx.NAMES[fx.HZ], fx.NAMES[fx.XF] + "〔样例〕"])
    table = frame_with(at, "指标").set_index("指标")
    assert table.loc["主动公开总数", fx.NAMES[fx.GZ]] == "90　第 17 百分位（n=3）"
    assert table.loc["主动公开总数", fx.NAMES[fx.HZ]] == "260　第 83 百分位（n=3）"
    assert table.loc["公开率（予以公开 + 部分公开）", fx.NAMES[fx.HZ]] == "—"
    assert table.loc["收到申请数", fx.NAMES[fx.XF] + "〔样例〕"] == "∅"
    dots = spec_titled(at, "2023 年在同类型同层级机构中的百分位")
    gz = next(tr for tr in dots["data"] if tr.get("name") == fx.NAMES[fx.GZ])
    assert numbers(gz["x"])[0] == pytest.approx(100 * 0.5 / 3)
    assert "共 3 个同类机构" in captions(at)


def test_compare_from_the_url_and_needs_two() -> None:
    at = run("compare", cmp=[fx.GZ, fx.SZ], cmp_year="2021", lang="en")
    assert at.multiselect(key="w_cmp").value == [fx.GZ, fx.SZ]
    table = frame_with(at, "Measure").set_index("Measure")
    assert table.loc["Proactive disclosure total", fx.NAMES[fx.SZ]] == "500 ✎"  # its only peer is itself
    assert table.loc["Proactive disclosure total", fx.NAMES[fx.GZ]] == "100　P75 (n=2)"  # 100 against 86
    at = run("compare", cmp=fx.GZ)
    assert "至少选择两个机构" in at.info[0].value and not at.get("plotly_chart")


def test_sources_text_highlights_headlines_cells_and_issues() -> None:
    at = run("sources", report=fx.R_GZ[2023])
    assert at.title[0].value == "报告来源与质量"
    issues = frame_with(at, "说明")
    assert issues.iloc[0]["说明"] == fx.ISSUE_MESSAGE
    heads = frame_with(at, "原文依据")
    proactive = heads[heads["指标"] == "主动公开总数"].iloc[0]
    assert proactive["原文写法"] == "90" and proactive["原文依据"] == "全年共主动公开政府信息90条。"
    assert "∅ 未提及" in set(heads["填写情况"])
    t3 = frame_with(at, "自然人").set_index("行")
    assert (t3.loc["R06", "总计"], t3.loc["R07", "总计"], t3.loc["R05", "总计"]) == ("□", "/", "0")
    html = at.get("html")[0].proto.body
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert 'title="主动公开总数: 90">90</mark>' in html
    assert not any("样例" in w.value for w in at.warning)


def test_sources_lists_superseded_versions_and_corrections() -> None:
    at = run("sources", report=fx.R_GZ_2023_OLD)
    assert "旧版本" in at.info[0].value
    assert sum("（已被新版本取代）" in o for o in at.selectbox(key="w_report").options) == 1
    at = run("sources", report=fx.R_SZ[2021], lang="en")
    heads = frame_with(at, "Evidence").set_index("Metric")
    assert heads.loc["Proactive disclosure total", "Value"] == "500 ✎"
    assert heads.loc["Proactive disclosure total", "Extracted value"] == "5,000"
    assert 'class="rb-corrected"' in at.get("html")[0].proto.body


def test_sources_sample_report_warns_in_english() -> None:
    at = run("sources", report=fx.R_XF[2021], lang="en")
    assert at.title[0].value == "Sources and quality"
    assert "invented" in at.warning[0].value
    heads = frame_with(at, "Evidence")
    assert "12" in set(heads["As written"])


def test_meeting_pack_page_builds_both_files(monkeypatch: pytest.MonkeyPatch) -> None:
    from app import images

    monkeypatch.setattr(images, "available", lambda: False)
    at = run("meeting", charts=["coverage", "proactive_total", "flow"])
    assert at.multiselect(key="w_charts").value == ["coverage", "proactive_total", "flow"]
    assert "2021–2023 · 全部地区" in captions(at)
    at.button[0].click().run()
    assert not at.exception
    assert "共 3 张图表" in at.success[0].value
    assert labels(at) == ["下载 PPTX", "下载 XLSX"]
    assert [m.value for m in at.markdown][-1].splitlines() == [
        "1. 收录情况：机构 × 年份", "2. 主动公开信息数量（条）", "3. 申请办理流向"]


def test_sql_page_runs_one_select_and_refuses_the_rest() -> None:
    at = run("sql")
    at.text_area(key="w_sql_text").input("SELECT year, count(*) AS n FROM active_reports GROUP BY year ORDER BY year")
    at.button[0].click().run()
    assert not at.exception
    result = frames(at)[-1]
    assert result["n"].tolist() == [3, 3, 4]
    assert at.query_params["sql"].startswith("SELECT year")
    at.text_area(key="w_sql_text").input("DROP TABLE reports")
    at.button[0].click().run()
    assert "DROP 语句已被拒绝" in at.error[0].value
    at = run("sql", sql="SELECT * FROM range(20000)", lang="en")  # a link runs its query
    assert "only the first 1000" in at.warning[0].value


def test_missing_database_says_to_run_make(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DISCLOSURE_DB", str(tmp_path / "absent.duckdb"))
    for page in PAGES:
        at = run(page)
        assert "make run" in at.info[0].value
        assert not at.get("plotly_chart")


def test_entry_point_navigates_in_the_chosen_language() -> None:
    at = AppTest.from_file(REPO_ROOT / "dashboard.py", default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    at.switch_page("pages/applications.py").run()
    assert not at.exception
    assert at.title[0].value == "Applications"
    at.switch_page("pages/compare.py").run()
    assert at.title[0].value == "Compare bureaus"
    assert {"overview", "compare", "meeting", "sql"} <= set(nav.available())


def test_meeting_mode_from_the_url() -> None:
    at = AppTest.from_file(REPO_ROOT / "dashboard.py", default_timeout=60)
    at.query_params["meeting"] = "1"
    at.run()
    assert not at.exception
    assert at.button(key="meeting_exit").label == "退出会议模式"
    spec = specs(at)[0]
    assert spec["layout"]["height"] >= 680 and "2021–2023 · 全部地区" in spec["layout"]["title"]["text"]
    assert not at.get("download_button") and not at.dataframe  # one chart per screen, tables aside
    at.button(key="meeting_exit").click().run()
    assert "meeting" not in at.query_params and at.get("download_button")


def test_a_large_scope_is_charted_by_province_and_the_pickers_shrink(monkeypatch: pytest.MonkeyPatch) -> None:
    from app import queries

    monkeypatch.setattr(queries, "MAX_BUREAUS", 2)
    monkeypatch.setattr(queries, "MAX_PICKABLE", 2)
    at = run("volume")
    assert "当前范围内有 4 个机构，超过 2 个：图表按省份汇总" in captions(at)
    bars = {tr["name"]: tr for tr in specs(at)[0]["data"]}
    assert set(bars) == {"广东省", "江西省"}
    assert numbers(bars["广东省"]["y"])[-1] == 90 + 260 + 650  # the 2023 reports of its three bureaus
    assert at.sidebar.multiselect[0].options == []  # 4 bureaus, more than can be listed
    assert "按类别的数字只按机构列出" in captions(at)
    narrowed = run("volume", city="深圳市", province="广东省")
    assert [tr["name"] for tr in specs(narrowed)[0]["data"]] == [fx.NAMES[fx.SZ]]
