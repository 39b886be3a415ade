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

REPO_ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overview", "volume", "channels", "applications", "problems", "sources")


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


def trace_names(spec: dict[str, Any]) -> list[str]:
    return [tr.get("name") for tr in spec["data"]]


def numbers(arr: Any) -> list[float]:
    """Values of a plotly array, which the figure JSON may hold as a base64 typed array."""
    if isinstance(arr, dict) and "bdata" in arr:
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])).tolist()
    return [float(v) for v in arr]


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


# The sample bureau has no application figures, so the applications page shows no sample note.
@pytest.mark.parametrize(("page", "sample"), [(p, p != "applications") for p in PAGES])
def test_every_page_runs_with_charts_downloads_and_the_sample_note(page: str, sample: bool) -> None:
    at = run(page) if page != "sources" else run(page, report=fx.R_XF[2021])
    assert at.title[0].value
    downloads = at.get("download_button")
    assert len(downloads) >= len(at.get("plotly_chart"))
    assert all(b.proto.label == "下载 CSV" for b in downloads)
    noted = "样例数据" in captions(at) or any("样例数据" in w.value for w in at.warning)
    assert noted == sample


def test_overview_metrics_and_coverage_grid() -> None:
    at = run("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["报告数"] == "8" and metrics["机构数"] == "3" and metrics["校验问题"] == "2"
    grid = specs(at)[0]["data"][0]
    assert grid["type"] == "heatmap"
    assert fx.NAMES[fx.GZ] in grid["y"] and fx.NAMES[fx.XF] + "〔样例〕" in grid["y"]
    assert grid["x"] == ["2021", "2022", "2023"]
    assert "2021 ⚠1" in json.dumps(grid["text"], ensure_ascii=False)
    assert at.title[0].value == "概览"


def test_overview_in_english() -> None:
    at = run("overview", lang="en")
    assert at.title[0].value == "Overview"
    assert {m.label for m in at.metric} >= {"Reports", "Bureaus", "Years", "Validation issues"}
    assert specs(at)[0]["layout"]["title"]["text"] == "Coverage: bureau × year"
    assert at.get("download_button")[0].proto.label == "Download CSV"
    assert "written sample data" in captions(at)


def test_volume_bars_one_colour_per_bureau_and_years_as_categories() -> None:
    at = run("volume")
    spec = specs(at)[0]
    by_name = {tr["name"]: tr for tr in spec["data"]}
    gz = by_name[fx.NAMES[fx.GZ]]
    assert gz["x"] == ["2021", "2022", "2023"]
    assert spec["layout"]["xaxis"]["type"] == "category"
    colours = {tr["marker"]["color"] for tr in spec["data"]}
    assert len(colours) == 3
    yoy = frames(at)[0]
    gz_rows = yoy[yoy["机构"] == fx.NAMES[fx.GZ]]
    assert gz_rows["同比变化"].tolist() == ["—", "+20", "-30"]
    assert gz_rows["同比变化（%）"].tolist() == ["—", "+20.0%", "-25.0%"]


def test_volume_filters_from_the_url() -> None:
    at = run("volume", years=["2022", "2023"], bureau=fx.GZ, lang="en")
    assert at.title[0].value == "Disclosure volume"
    spec = specs(at)[0]
    assert trace_names(spec) == [fx.NAMES[fx.GZ]]
    assert spec["data"][0]["x"] == ["2022", "2023"]
    assert at.slider(key="w_years").value == (2022, 2023)
    assert at.multiselect(key="w_bureau").value == [fx.GZ]
    assert spec["layout"]["title"]["text"] == "Items disclosed proactively"


def test_volume_as_lines_from_the_url() -> None:
    at = run("volume", chart="lines")
    spec = specs(at)[0]
    assert {tr["type"] for tr in spec["data"]} == {"scatter"}
    assert spec["layout"]["xaxis"]["categoryarray"] == ["2021", "2022", "2023"]
    sz = next(tr for tr in spec["data"] if tr["name"] == fx.NAMES[fx.SZ])
    assert sz["x"] == ["2021", "2023"]


def test_region_cascade() -> None:
    at = run("volume", province="江西省")
    assert at.selectbox(key="w_city").options == ["赣州市"]
    assert at.multiselect(key="w_bureau").options == [fx.NAMES[fx.XF] + "〔样例〕"]
    assert trace_names(specs(at)[0]) == [fx.NAMES[fx.XF] + "〔样例〕"]
    at.selectbox(key="w_province").select("广东省").run()
    assert not at.exception
    assert at.query_params["province"] == "广东省"
    assert at.selectbox(key="w_city").options == ["广州市", "深圳市"]
    at.selectbox(key="w_city").select("深圳市").run()
    assert trace_names(specs(at)[0]) == [fx.NAMES[fx.SZ]]
    assert at.query_params["city"] == "深圳市"


def test_channels_stack_to_100_percent() -> None:
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
    assert len(totals) == 4
    assert list(totals.values()) == pytest.approx([100.0] * 4)


def test_applications_outcomes_and_correction_rate() -> None:
    at = run("applications")
    names = [n for s in specs(at) for n in trace_names(s)]
    assert {"予以公开", "部分公开", "不予公开", "无法提供"} <= set(names)
    assert {"行政复议", "行政诉讼"} <= set(names)
    appeals = frames(at)[-1]
    gz = appeals[appeals["机构"] == fx.NAMES[fx.GZ]].set_index("类别")["纠正率"]
    assert gz["行政复议"] == "50.0%"
    assert gz["未经复议直接起诉"] == "—"
    sz = appeals[appeals["机构"] == fx.NAMES[fx.SZ]]["纠正率"]
    assert set(sz) == {"—"}
    carry = frames(at)[0]
    assert carry.set_index("机构").loc[fx.NAMES[fx.GZ], "结转下年度"] == "1"


def test_applications_in_english() -> None:
    at = run("applications", lang="en")
    assert at.title[0].value == "Applications"
    titles = [s["layout"]["title"]["text"] for s in specs(at)]
    assert titles == ["Applications received", "Outcomes of applications (table 3, total column)",
                      "Reconsideration and litigation cases"]
    assert "Correction rate" in frames(at)[-1].columns


def test_problems_heatmap_and_sentences_as_data() -> None:
    at = run("problems", theme="timeliness", problem_bureau=fx.GZ)
    heat = specs(at)[0]["data"][0]
    assert heat["type"] == "heatmap" and "更新不及时" in heat["y"]
    sentences = frames(at)[-1]
    assert fx.PROBLEM_TIMELINESS_GZ in set(sentences["句子"])
    assert set(sentences["机构"]) == {fx.NAMES[fx.GZ]}
    assert not at.markdown or all(fx.PROBLEM_TIMELINESS_GZ not in m.value for m in at.markdown)


def test_problems_in_english() -> None:
    at = run("problems", lang="en")
    assert at.title[0].value == "Problems"
    assert "Timeliness" in specs(at)[0]["data"][0]["y"]
    assert "Sentence" in frames(at)[-1].columns


def test_sources_headlines_cells_and_issues() -> None:
    at = run("sources", report=fx.R_GZ[2023])
    tables = frames(at)
    issues = next(d for d in tables if "说明" in d.columns)
    assert issues.iloc[0]["说明"] == fx.ISSUE_MESSAGE
    heads = next(d for d in tables if "原文依据" in d.columns)
    proactive = heads[heads["指标"] == "主动公开总数"].iloc[0]
    assert proactive["原文写法"] == "90" and proactive["原文依据"] == "全年共主动公开政府信息90条。"
    assert "∅ 未提及" in set(heads["填写情况"])
    t3 = next(d for d in tables if "自然人" in d.columns).set_index("行")
    assert (t3.loc["R06", "总计"], t3.loc["R07", "总计"], t3.loc["R05", "总计"]) == ("□", "/", "0")
    assert not at.warning


def test_sources_sample_report_warns_in_english() -> None:
    at = run("sources", report=fx.R_XF[2021], lang="en")
    assert at.title[0].value == "Sources"
    assert "invented" in at.warning[0].value
    heads = next(d for d in frames(at) if "Evidence" in d.columns)
    assert "12" in set(heads["As written"])


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
