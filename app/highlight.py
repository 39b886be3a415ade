"""A report's text with its extracted numbers highlighted, as safe HTML.

Takes the report's normalized text (``reports.body``), its facts with the offsets of their
evidence, and its problem and measure sentences; gives an HTML fragment in which every
character of the report is escaped and the only tags are this module's own ``<mark>`` and
``<span>`` (with fixed classes and escaped ``title`` attributes). The report's own markup, if any,
shows as text and never runs.

Each fact's evidence is a sentence or a table row; the number itself is looked up inside it
(the raw text as written, with no digit on either side), and for table rows the cells are taken
in order, so the k-th cell fact of a row marks its own cell. When the number cannot be found,
the whole evidence is marked.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

from app.i18n import label, t
from app.values import fmt_value, is_true

BODY_STYLE = ("white-space:pre-wrap;line-height:1.9;font-size:15px;max-height:640px;overflow-y:auto;"
              "border:1px solid #dee2e6;border-radius:6px;padding:12px 16px;background:#fff;color:#212529")
STYLES = {
    "rb-number": "background:#ffe066;border-radius:3px;padding:1px 2px",
    "rb-zero": "background:#a5d8ff;border-radius:3px;padding:1px 2px",
    "rb-empty": "background:#dee2e6;outline:1px dashed #868e96;border-radius:3px;padding:1px 2px",
    "rb-corrected": "background:#b2f2bb;outline:1px solid #2f9e44;border-radius:3px;padding:1px 2px",
    "rb-evidence": "background:#fff3bf;padding:1px 0",
    "rb-problem": "border-bottom:2px solid #e03131",
    "rb-measure": "border-bottom:2px solid #2f9e44",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str
    title: str


def _kind_class(kind: object, corrected: object) -> str:
    if is_true(corrected):
        return "rb-corrected"
    if kind == "zero":
        return "rb-zero"
    if kind in ("blank", "slash", "dash", "text"):
        return "rb-empty"
    return "rb-number"


def _cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's text in a ``| a | b |`` row, the label cell included."""
    bars = [m.start() for m in re.finditer(r"\|", line)]
    out = []
    for a, b in pairwise(bars):
        inner = line[a + 1:b]
        stripped = inner.strip()
        if stripped:
            s = a + 1 + inner.index(stripped)
            out.append((s, s + len(stripped)))
        else:
            out.append((a + 1, b))
    return out


def _find_number(text: str, raw: str, from_right: bool, after: int = 0) -> tuple[int, int] | None:
    """Where ``raw`` stands in ``text`` with no digit beside it: the first match from ``after`` (or from
    the start when there is none), or the last match with ``from_right``."""
    if not raw:
        return None
    hits = [m.span() for m in re.finditer(rf"(?<![\d.]){re.escape(raw)}(?![\d.])", text)]
    if not hits:
        return None
    if from_right:
        return hits[-1]
    return next((h for h in hits if h[0] >= after), hits[0])


def fact_spans(body: str, facts: pd.DataFrame, lang: str) -> list[Span]:
    """Where each fact's number sits in ``body``, with a class for how it is written and a title."""
    spans: list[Span] = []
    cursor: dict[tuple[int, int], int] = {}
    for f in facts.itertuples():
        start, end = int(f.start_offset), int(f.end_offset)
        if not 0 <= start < end <= len(body):
            continue
        evidence = body[start:end]
        raw = str(f.raw).strip() if isinstance(f.raw, str) else ""
        css = _kind_class(f.value_kind, getattr(f, "corrected", False))
        name = label("metric", f.metric, lang)
        if not pd.isna(f.tbl):
            prefix = {3: "t3col", 4: "t4col"}.get(int(f.tbl), "col")
            name = f"{t('col.table', lang)} {int(f.tbl)} · {f.row_id} · {label(prefix, f.column_name, lang)}"
        elif isinstance(f.dimension, str) and f.dimension:
            name = f"{name} · {label('channel', f.dimension, lang)}"
        shown = fmt_value(f.value, f.value_kind if f.value_kind not in ("number", "zero") else None,
                          corrected=getattr(f, "corrected", False))
        title = f"{name}: {shown}"
        found: tuple[int, int] | None = None
        is_row = evidence.lstrip().startswith("|")
        if is_row and not pd.isna(f.tbl):
            cells = _cells(evidence)
            k = cursor.get((start, end), 1)
            for i in range(k, len(cells)):
                a, b = cells[i]
                if evidence[a:b].strip() == raw:
                    found, cursor[(start, end)] = (a, b), i + 1
                    break
        else:
            found = _find_number(evidence, raw, from_right=is_row,
                                 after=cursor.get((start, end), 0))
            if found is not None and not is_row:
                cursor[(start, end)] = found[1]
        if found is None:
            spans.append(Span(start, end, "rb-evidence", title))
        else:
            spans.append(Span(start + found[0], start + found[1], css, title))
    return spans


def sentence_spans(body: str, sentences: pd.DataFrame, lang: str) -> list[Span]:
    out = []
    for s in sentences.itertuples():
        start, end = int(s.start_offset), int(s.end_offset)
        if 0 <= start < end <= len(body):
            css = "rb-problem" if s.kind == "problem" else "rb-measure"
            out.append(Span(start, end, css, f"{label('pkind', s.kind, lang)} · {label('theme', s.theme, lang)}"))
    return out


def _layer(spans: list[Span]) -> list[Span]:
    """Spans without overlaps: a span overlapping an earlier one is merged into it (titles joined)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda x: (x.start, -x.end)):
        if out and s.start < out[-1].end:
            last = out[-1]
            title = last.title if s.title in last.title else f"{last.title}\n{s.title}"
            out[-1] = Span(last.start, max(last.end, s.end), last.css, title)
        else:
            out.append(s)
    return out


def _at(spans: list[Span], pos: int) -> Span | None:
    for s in spans:
        if s.start <= pos < s.end:
            return s
        if s.start > pos:
            break
    return None


def _tag(tag: str, span: Span, inner: str) -> str:
    title = html.escape(span.title, quote=True)
    return f'<{tag} class="{span.css}" style="{STYLES[span.css]}" title="{title}">{inner}</{tag}>'


def to_html(body: str, numbers: list[Span], sentences: list[Span]) -> str:
    """The escaped body with number marks inside sentence underlines, as one ``<div>``."""
    nums, sents = _layer(numbers), _layer(sentences)
    cuts = sorted({0, len(body), *(p for s in (*nums, *sents) for p in (s.start, s.end) if 0 <= p <= len(body))})
    parts = [f'<div class="rb-body" style="{BODY_STYLE}">']
    for a, b in pairwise(cuts):
        text = html.escape(body[a:b].replace("\f", "\n\n"))
        num, sent = _at(nums, a), _at(sents, a)
        if num is not None:
            text = _tag("mark", num, text)
        if sent is not None:
            text = _tag("span", sent, text)
        parts.append(text)
    parts.append("</div>")
    return "".join(parts)


def legend(lang: str) -> str:
    items = [("mark", "rb-number", "sources.hl_number"), ("mark", "rb-zero", "sources.hl_zero"),
             ("mark", "rb-empty", "sources.hl_empty"), ("mark", "rb-corrected", "sources.hl_corrected"),
             ("mark", "rb-evidence", "sources.hl_evidence"), ("span", "rb-problem", "sources.hl_problem"),
             ("span", "rb-measure", "sources.hl_measure")]
    inner = "".join(f'<{tag} class="{css}" style="{STYLES[css]};margin-right:12px">{html.escape(t(key, lang))}'
                    f"</{tag}>" for tag, css, key in items)
    return f'<div class="rb-legend" style="line-height:2.2;font-size:14px">{inner}</div>'


def report_html(body: str, facts: pd.DataFrame, sentences: pd.DataFrame, lang: str) -> str:
    """Style, legend and highlighted text of one report."""
    return legend(lang) + to_html(body, fact_spans(body, facts, lang), sentence_spans(body, sentences, lang))
