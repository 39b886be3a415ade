"""Exports: CSV and XLSX of the data behind a chart, PNG and SVG of a chart, and the meeting pack (PPTX + XLSX).

The image parts need a Chromium for kaleido and are skipped without one; everything else runs anywhere.
"""

from __future__ import annotations

import io
from pathlib import Path

import dbfixture as fx
import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from app import catalog, charts, export, images, meeting, queries
from app.charts import BureauStyle
from app.filters import Filters
from app.queries import Scope

needs_chromium = pytest.mark.skipif(not images.available(), reason="no Chromium for kaleido on this machine")


@pytest.fixture(autouse=True)
def _env(dashboard_env: Path) -> Path:
    return dashboard_env


def filters(lang: str = "zh", **scope: object) -> Filters:
    options = queries.bureau_options()
    return Filters(lang=lang, scope=Scope(**scope), style=BureauStyle.from_options(options, lang),  # type: ignore[arg-type]
                   bureaus=options, year_bounds=queries.year_bounds(), summary="2021–2023 · 全部地区",
                   options=options)


def proactive_chart(lang: str = "zh") -> charts.Chart:
    f = filters(lang)
    return charts.bureau_year_bars(queries.proactive(f.scope, gaps=True), f.style, lang, "volume.chart")


def test_csv_has_a_bom_and_xlsx_the_same_rows() -> None:
    data = proactive_chart().data
    csv = export.csv_bytes(data)
    assert csv.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    book = load_workbook(io.BytesIO(export.xlsx_bytes(data, "主动公开")))
    sheet = book["主动公开"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(data.columns) == list(back.columns)
    assert len(rows) - 1 == len(data) == len(back)
    assert sheet.freeze_panes == "A2"
    gz = [r for r in rows[1:] if r[0] == fx.NAMES[fx.GZ]]
    assert [r[2] for r in gz] == [100, 120, 90]
    sz21 = next(r for r in rows[1:] if r[0] == fx.NAMES[fx.SZ] and r[1] == 2021)
    assert "✎" in sz21


def test_xlsx_sheet_names_are_valid_and_unique() -> None:
    frames = {"a/b:c*?": pd.DataFrame({"x": [1]}), "a/b:c*?[]": pd.DataFrame({"x": [2]}),
              "很长的名字" * 10: pd.DataFrame({"x": [3]})}
    book = load_workbook(io.BytesIO(export.xlsx_bytes(frames)))
    assert len(book.sheetnames) == 3 and len(set(book.sheetnames)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in book.sheetnames)


def test_export_figure_keeps_the_title_and_adds_the_filters() -> None:
    fig = images.for_export(proactive_chart().figure, "2021–2023 · 广东省")
    assert fig.layout.title.text.startswith("主动公开信息数量（条）<br>") and "广东省" in fig.layout.title.text
    assert fig.layout.width == images.WIDTH and fig.layout.paper_bgcolor == "white"


def test_catalog_builds_every_chart_for_the_fixture() -> None:
    f = filters(bureaus=(fx.GZ, fx.SZ))
    built = {name: catalog.build(name, f) for name in catalog.CHARTS}
    assert all(c is not None for c in built.values()), [n for n, c in built.items() if c is None]
    assert catalog.build("compare", filters()) is None  # needs two to six bureaus in the sidebar
    assert catalog.build("recurring", filters(province="广东省", bureaus=(fx.SZ,))) is None


def _items(lang: str = "zh") -> list[meeting.PackItem]:
    f = filters(lang)
    names = ["coverage", "proactive_total", "flow", "recurring"]
    return [meeting.PackItem(n, catalog.title(n, lang), catalog.build(n, f)) for n in names]  # type: ignore[arg-type]


def _slide_texts(data: bytes) -> list[list[str]]:
    prs = Presentation(io.BytesIO(data))
    return [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in prs.slides]


def test_meeting_pack_slides_and_sheets_without_images() -> None:
    items = _items()
    pack = meeting.build(items, "年度评议", "2021–2023 · 全部地区", "zh", with_images=False)
    assert not pack.images
    texts = _slide_texts(pack.pptx)
    assert len(texts) == 1 + len(items)
    assert texts[0][0] == "年度评议" and texts[0][1].startswith("2021–2023 · 全部地区")
    assert [s[0] for s in texts[1:]] == ["收录情况：机构 × 年份", "主动公开信息数量（条）", "申请办理流向",
                                        "连续多年承认的问题"]
    assert all(s[1] == "2021–2023 · 全部地区" for s in texts[1:])
    assert all(any("没有图片" in x for x in s) for s in texts[1:])
    assert any("样例数据" in x for x in texts[2])  # the sample bureau's totals are in the chart
    prs = Presentation(io.BytesIO(pack.pptx))
    assert prs.slide_width > prs.slide_height

    book = load_workbook(io.BytesIO(pack.xlsx))
    assert book.sheetnames[:2] == ["说明", "目录"]
    about = {r[0]: r[1] for r in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert about["标题"] == "年度评议" and about["筛选条件"] == "2021–2023 · 全部地区"
    contents = list(book["目录"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in contents] == [i.title for i in items]
    assert [r[2] for r in contents] == book.sheetnames[2:]
    volume = book[contents[1][2]]
    header = [c.value for c in volume[1]]
    assert header[:3] == ["机构", "年份", "数值"]
    values = [(r[0], r[1], r[2]) for r in volume.iter_rows(min_row=2, values_only=True)]
    assert (fx.NAMES[fx.GZ], 2023, 90) in values and (fx.NAMES[fx.HZ], 2022, 200) in values
    flow = {(r[0], r[1]): r[2] for r in book[contents[2][2]].iter_rows(min_row=2, values_only=True)}
    assert flow[("本年新收", "申请总数")] == 49 and flow[("申请总数", "予以公开")] == 33


def test_meeting_pack_in_english() -> None:
    items = _items("en")[:2]
    pack = meeting.build(items, "Annual review", "2021–2023 · all regions", "en", with_images=False)
    texts = _slide_texts(pack.pptx)
    assert [s[0] for s in texts[1:]] == ["Coverage: bureau × year", "Items disclosed proactively"]
    book = load_workbook(io.BytesIO(pack.xlsx))
    assert book.sheetnames[:2] == ["About", "Contents"]
    assert book.sheetnames[3].startswith("02 Items disclosed")


@needs_chromium
def test_images_keep_chinese_glyphs() -> None:
    fig = go.Figure(go.Bar(x=["予以公开", "部分公开"], y=[3, 1]), layout_title_text="申请办理结果")
    png, svg = images.render([fig, images.for_export(fig, "2021–2023 · 广东省")], ["png", "svg"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    text = svg.decode("utf-8")
    assert text.startswith("<svg") and "申请办理结果" in text and "予以公开" in text
    assert "Noto Sans CJK SC" in text and "广东省" in text


@needs_chromium
def test_meeting_pack_with_images() -> None:
    items = _items()[:3]
    pack = meeting.build(items, "年度评议", "2021–2023 · 全部地区", "zh", with_images=True)
    assert pack.images
    prs = Presentation(io.BytesIO(pack.pptx))
    pictures = [[s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE] for slide in prs.slides]
    assert [len(p) for p in pictures] == [0, 1, 1, 1]
    blob = pictures[1][0].image.blob
    assert blob.startswith(b"\x89PNG") and pictures[1][0].image.size[0] >= meeting.IMAGE_W
