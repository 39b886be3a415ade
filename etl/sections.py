"""Stage 3: normalized text → the report's parts and its numbered sections.

Gives where the disclosure report itself starts (pages often carry an unrelated work summary or
a site header first), and the top-level sections ("一、总体情况", "II. Voluntary disclosure …")
with a kind each, so that extractors read a number only where it belongs. Inside a section, the
template's sub-headings ("（二）依申请公开。", "（五）监督保障") give a finer kind: since 2019 the
总体情况 section restates applications and appeals in sub-paragraphs of their own.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

_TITLE_LINE = re.compile(r"^.{0,60}(?:政府信息公开|政务公开)(?:工作)?(?:年度)?(?:报告|年报)\s*$", re.MULTILINE)
_SUMMARY_MARK = re.compile(r"^(?:Summary|范文|篇)\s*\d+\s*[:：]\s*$", re.MULTILINE | re.IGNORECASE)
_DISCLOSURE_WORDS = re.compile(
    r"信息公开|政务公开|依申请|主动公开|information disclosure|government affairs disclosure|"
    r"disclosure of government information|disclosed", re.IGNORECASE)
# A Chinese heading is short (a longer line after "一、" is a sentence); English titles run longer.
_HEADING = re.compile(
    r"^\s*(?:(?P<cn>[一二三四五六七八九十]{1,3})\s*[、.．](?P<cn_title>[^\n]{0,60})|"
    r"(?:(?P<roman>[IVX]{1,4})\.\s|(?P<arabic>\d{1,2})\.\s+(?=[A-Z]))(?P<en_title>[^\n]{0,100}))$",
    re.MULTILINE,
)
# "（二）依申请公开。…", "(2) Disclosure upon application. …": a sub-heading opening a line.
_SUBHEADING = re.compile(
    r"^[ \t\u3000]*(?:[（(][一二三四五六七八九十]{1,2}[)）]|\(\d{1,2}\))\s*(?P<title>[^。.：:\n]{1,30})",
    re.MULTILINE)

SECTION_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("problems", ("问题", "不足", "改进", "problem", "improvement")),
    ("review", ("行政复议", "行政诉讼", "复议", "诉讼", "reconsideration", "litigation")),
    ("applications", ("依申请", "收到和处理", "申请公开", "申请情况", "application")),
    ("fees", ("收费", "减免", "fee")),
    ("consultations", ("咨询", "投诉", "consultation")),
    ("proactive", ("主动公开", "voluntary disclosure", "proactive")),
    ("overview", ("总体情况", "概述", "概况", "工作情况", "开展情况", "general situation", "overview")),
    ("other", ("其他需要报告", "其他事项", "other matters")),
)
# Sub-paragraph kinds that change how a number is read: applications (no publication counts) and
# supervision (监督保障: appeals stated there are the disclosure appeals of the template).
SUBSECTION_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("applications", ("依申请", "申请公开", "收到和处理", "upon application", "by application")),
    ("supervision", ("监督保障", "监督考核", "supervision")),
    ("proactive", ("主动公开", "proactive", "voluntary disclosure")),
)


@dataclass(frozen=True)
class Section:
    kind: str
    title: str
    start: int
    end: int


def report_start(text: str) -> int:
    """Offset where the disclosure report begins.

    A page may open with another document: a work summary before the report's own title line,
    or several numbered "Summary N:" pieces of which only one is about disclosure.
    """
    marks = list(_SUMMARY_MARK.finditer(text))
    if len(marks) >= 2:
        bounds = [m.start() for m in marks] + [len(text)]
        parts = [(bounds[i], bounds[i + 1]) for i in range(len(marks))]
        best = max(parts, key=lambda p: len(_DISCLOSURE_WORDS.findall(text, p[0], p[1])) / max(1, p[1] - p[0]))
        return best[0]
    for m in _TITLE_LINE.finditer(text):
        if m.start() > 300 and len(_DISCLOSURE_WORDS.findall(text, 0, m.start())) <= 2:
            return m.start()
    return 0


def kind_of(title: str) -> str:
    lowered = title.lower()
    for kind, words in SECTION_KINDS:
        if any(w in lowered for w in words):
            return kind
    return "other"


def split_sections(text: str, start: int = 0) -> list[Section]:
    """Top-level numbered sections from `start` on; text before the first heading is "preamble"."""
    heads = [m for m in _HEADING.finditer(text, start) if _title(m)]
    # Keep one numbering scheme: the first heading's (Chinese 一、, Roman I. or, in English, 1.).
    if heads:
        scheme = next(name for name in ("cn", "roman", "arabic") if heads[0].group(name))
        heads = [m for m in heads if m.group(scheme)]
    sections: list[Section] = []
    first = heads[0].start() if heads else len(text)
    if first > start:
        sections.append(Section("preamble", "", start, first))
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        sections.append(Section(kind_of(_title(m)), _title(m), m.start(), end))
    return sections


def _title(m: re.Match[str]) -> str:
    return (m.group("cn_title") or m.group("en_title") or "").strip()


def section_at(sections: list[Section], offset: int) -> Section | None:
    return next((s for s in sections if s.start <= offset < s.end), None)


def section_locator(sections: list[Section]) -> Callable[[int], Section | None]:
    """``section_at`` for many offsets: a binary search when the sections are sorted and disjoint,
    as ``split_sections`` gives them (then the one holding an offset is the last starting at or
    before it)."""
    starts = [s.start for s in sections]
    if any(a.start > b.start or a.end > b.start for a, b in itertools.pairwise(sections)):
        return lambda offset: section_at(sections, offset)

    def at(offset: int) -> Section | None:
        i = bisect.bisect_right(starts, offset) - 1
        return sections[i] if i >= 0 and offset < sections[i].end else None
    return at


def subsection_kind(text: str, section: Section | None, offset: int) -> str | None:
    """Kind of the sub-paragraph ("（二）依申请公开") of `section` that holds `offset`, if any."""
    lo = section.start if section else 0
    last = None
    for m in _SUBHEADING.finditer(text, lo, offset + 1):
        if m.start() <= offset:
            last = m
    if last is None:
        return None
    title = last.group("title").lower()
    return next((kind for kind, words in SUBSECTION_KINDS if any(w in title for w in words)), None)
