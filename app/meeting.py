"""The meeting pack: a PPTX with one slide per chosen chart and an XLSX of the data behind them.

Takes ``PackItem`` values (a chart's title and its ``Chart``), the pack's title and the filters in
force as one line of text; gives the bytes of both files. Slide images are drawn in one batch by
``app.images`` (kaleido with the system's Chromium); without Chromium, or with ``images=False``,
each slide says that the image is missing and the XLSX still holds every chart's data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from app import images
from app.charts import Chart
from app.export import sheet_name, xlsx_bytes
from app.i18n import t

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
IMAGE_W, IMAGE_H = 1600, 820
FONT = "Microsoft YaHei"
GREY = RGBColor(0x49, 0x50, 0x57)


@dataclass(frozen=True)
class PackItem:
    key: str
    title: str
    chart: Chart


@dataclass(frozen=True)
class Pack:
    pptx: bytes
    xlsx: bytes
    images: bool


def _text(slide, left, top, width, height, text: str, size: int, *, bold: bool = False,  # type: ignore[no-untyped-def]
          color: RGBColor | None = None) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    if color is not None:
        run.font.color.rgb = color


def slide_images(items: list[PackItem], subtitle: str) -> list[bytes]:
    """PNG images of the items' charts, all drawn on one kaleido server."""
    figs = [images.for_export(i.chart.figure, None, width=IMAGE_W, height=IMAGE_H, font_size=18) for i in items]
    return images.render(figs, "png", scale=1.5)


def pptx_bytes(items: list[PackItem], title: str, subtitle: str, lang: str,
               pictures: list[bytes] | None) -> bytes:
    """A title slide, then one slide per item: its title, the filters, the chart image (or a note)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = title
    first.placeholders[1].text = f"{subtitle}\n{datetime.now():%Y-%m-%d}"
    blank = prs.slide_layouts[6]
    for n, item in enumerate(items):
        slide = prs.slides.add_slide(blank)
        _text(slide, Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.7), item.title, 28, bold=True)
        _text(slide, Inches(0.5), Inches(0.9), Inches(12.3), Inches(0.4), subtitle, 13, color=GREY)
        if pictures is not None:
            top, max_w, max_h = Inches(1.35), Inches(12.3), Inches(5.6)
            ratio = min(max_w / IMAGE_W, max_h / IMAGE_H)
            w, h = Emu(int(IMAGE_W * ratio)), Emu(int(IMAGE_H * ratio))
            slide.shapes.add_picture(io.BytesIO(pictures[n]), int((SLIDE_W - w) / 2), top, w, h)
        else:
            _text(slide, Inches(0.5), Inches(3.2), Inches(12.3), Inches(1), t("meeting.no_image", lang), 18,
                  color=GREY)
        note = t("meeting.source", lang) + ("　" + t("msg.sample", lang) if item.chart.sample else "")
        _text(slide, Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4), note, 10, color=GREY)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def workbook(items: list[PackItem], title: str, subtitle: str, lang: str) -> bytes:
    """An about sheet (title, filters, date, source), a contents sheet (one line per chart), then each chart's data."""
    about, contents = t("meeting.about", lang), t("meeting.contents", lang)
    taken: set[str] = {sheet_name(about), sheet_name(contents)}
    names = [sheet_name(f"{n + 1:02d} {i.title}", taken) for n, i in enumerate(items)]
    sheets = {
        about: pd.DataFrame({
            t("col.item", lang): [t("meeting.col_title", lang), t("meeting.col_filters", lang),
                                  t("meeting.col_made", lang), t("meeting.col_source", lang)],
            t("col.value", lang): [title, subtitle, f"{datetime.now():%Y-%m-%d %H:%M}", t("meeting.source", lang)],
        }),
        contents: pd.DataFrame({
            t("meeting.col_no", lang): list(range(1, len(items) + 1)),
            t("meeting.col_chart", lang): [i.title for i in items],
            t("meeting.col_sheet", lang): names,
            t("col.sample", lang): ["✓" if i.chart.sample else "" for i in items],
        }),
    }
    sheets.update({name: item.chart.data for name, item in zip(names, items, strict=True)})
    return xlsx_bytes(sheets)


def build(items: list[PackItem], title: str, subtitle: str, lang: str, *, with_images: bool = True) -> Pack:
    """Both files of the pack; slide images only when asked for and Chromium is installed."""
    pictures = slide_images(items, subtitle) if with_images and images.available() and items else None
    return Pack(pptx_bytes(items, title, subtitle, lang, pictures), workbook(items, title, subtitle, lang),
                pictures is not None)
