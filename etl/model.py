"""Records passed between the ETL stages.

files → ``Document`` (readers) → normalized ``Text`` (normalize) → sections → ``Fact`` /
``ProblemSentence`` / ``Issue`` (extractors, validation) → ``Report`` → DuckDB (load).

Every stage takes and gives these plain dataclasses, so each can be tested on its own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PAGE_BREAK = "\f"
"""Readers separate PDF pages with a form feed; normalization keeps it, so a character offset
in the normalized text tells its page (1 + the number of form feeds before it)."""

CHANNELS = (
    "website", "wechat", "weibo", "douyin", "app", "media", "bulletin_board",
    "public_access_point", "press_conference", "hotline", "other",
)
THEMES = (
    "timeliness", "policy_interpretation", "content_quality", "content_scope",
    "channels_platforms", "mechanism_system", "staff_capacity",
    "public_participation", "supervision_assessment", "other",
)
HEADLINE_METRICS = (
    "proactive_total", "applications_received", "reconsideration", "litigation", "consultations",
)


class ReadError(Exception):
    """A file that cannot be read as a report; the message says why in one line."""


@dataclass
class Document:
    """What a reader gives: the report's text as published, before any cleaning.

    Tables keep their structure as one line per row with cells joined by `` | ``
    (``| 规章 | 0 | 0 | 0 |``); PDF pages are separated by ``PAGE_BREAK``.
    """

    source: str
    text: str
    kind: str  # "txt", "html", "pdf", "docx"
    encoding: str | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)  # no per-instance dict: a report makes about 200 facts
class Fact:
    """One number found in a report, with the exact text it came from.

    ``metric`` names what the number measures (``proactive_total``, ``channel``,
    ``applications_received``, ``table3`` …); ``dimension`` refines it (the channel key, the
    category). Template-table cells carry ``table``/``row``/``column`` and keep the cell as
    written in ``raw`` ("0", "", "/", "—", "1326.5万元"); ``value`` is None for a blank or
    "/" cell. ``start``/``end`` are offsets of the evidence in the normalized text.
    """

    metric: str
    value: float | None
    raw: str
    evidence: str
    start: int
    end: int
    dimension: str | None = None
    unit: str | None = None
    qualifier: str | None = None  # "more_than" (余/多/以上/more than), "nearly" (近), "about" (约)
    page: int | None = None
    table: int | None = None
    row: str | None = None
    column: str | None = None
    headline: bool = False
    flags: list[str] = field(default_factory=list)

    @property
    def value_kind(self) -> str:
        """How the value was written: number, zero, blank, slash, dash or text."""
        if self.value is not None:
            return "zero" if self.value == 0 else "number"
        raw = (self.raw or "").strip()
        if raw == "":
            return "blank"
        if raw in ("/", "／"):
            return "slash"
        if raw in ("—", "-", "–", "－", "——"):
            return "dash"
        return "text"

    @classmethod
    def table_cell(cls, metric: str, value: float | None, raw: str, span: tuple[int, int, str], unit: str | None,
                   table: int, row: str, column: str, flags: list[str]) -> Fact:
        """A template-table cell. Positional on purpose: a report has about 200 cells, and keyword
        arguments make building them more than twice as slow; the order is the fields' order above."""
        start, end, evidence = span
        return cls(metric, value, raw, evidence, start, end, None, unit, None, None, table, row, column, False, flags)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["value_kind"] = self.value_kind
        return {k: v for k, v in out.items() if v is not None and v != []}


@dataclass
class ProblemSentence:
    """A sentence from the problems-and-improvements section, tagged with themes."""

    kind: str  # "problem" or "measure"
    sentence: str
    themes: list[str]
    start: int
    end: int


@dataclass
class Issue:
    """A validation finding: which rule, how bad, and the cells or sentences involved."""

    rule: str
    severity: str  # "error", "warning", "info"
    message: str
    refs: list[str] = field(default_factory=list)


@dataclass
class Bureau:
    name: str | None = None  # as the report gives it
    canonical: str | None = None  # prefecture + county + bureau
    kind: str | None = None  # education, health, civil_affairs, … or government
    level: str | None = None  # province, city, county
    province: str | None = None
    city: str | None = None
    county: str | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Everything extracted from one file."""

    source: str
    content_hash: str
    kind: str
    language: str  # "zh" or "en"
    text: str  # normalized text; fact offsets point into it
    era: str  # "template" or "free_text"
    template_version: str | None  # "2019", "2021" or None
    year: int | None
    bureau: Bureau
    facts: list[Fact] = field(default_factory=list)
    problems: list[ProblemSentence] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    title: str | None = None
    is_aggregate: bool = False

    def headline(self, metric: str) -> Fact | None:
        return next((f for f in self.facts if f.headline and f.metric == metric), None)

    def channels(self) -> dict[str, float]:
        return {f.dimension: f.value for f in self.facts
                if f.headline and f.metric == "channel" and f.dimension and f.value is not None}
