"""Stage 6: one file → ``Report``, running the stages in order.

read (``readers``) → normalize → find where the report starts and its sections → template
tables, prose numbers, problems, bureau and year → headline values → validation. Also gives the
JSON record that ``python -m etl extract --jsonl`` prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from etl.bureau import identify_bureau, is_aggregate_report
from etl.dates import find_year
from etl.headlines import choose_headlines
from etl.model import CHANNELS, Document, Fact, Issue, Report
from etl.normalize import Normalized, normalize
from etl.problems import report_themes, tag_problems
from etl.prose import extract_prose
from etl.readers import content_hash, read_bytes, read_document
from etl.sections import report_start, split_sections
from etl.tables import parse_tables
from etl.validate import validate


def extract_file(path: str | Path, data: bytes | None = None) -> Report:
    """Read and extract one report; raises ``ReadError`` for a file that is not a readable report."""
    raw = read_bytes(path, data)
    document = read_document(path, raw)
    return extract_document(document, content_hash(raw))


def extract_document(document: Document, digest: str) -> Report:
    norm = normalize(document.text)
    text = norm.text
    start = report_start(text)
    flags = list(norm.flags)
    if start:
        flags.append("preamble_skipped")
    sections = split_sections(text, start)
    body = text[start:]
    title = document.title or _first_line(body)

    tables = parse_tables(body)
    cells = _shift(tables.cells, start, norm)
    prose = _locate(extract_prose(text, sections, norm.language, start), norm)
    added, issues, choice_flags = choose_headlines(prose, cells)
    flags += choice_flags
    facts = [*prose, *added, *cells]

    problems = [p for p in tag_problems(text) if p.start >= start]
    # The bureau may be named only in a preamble of the same page (its work summary); the year is
    # the report's own, so it is read from the report part first.
    bureau = identify_bureau(text, title, norm.language)
    year, year_flags = find_year(body, title, norm.language)
    if year is None and start:
        year, year_flags = find_year(text, title, norm.language)
    flags += year_flags + bureau.flags
    issues += validate(facts, tables.version)
    issues += [Issue("reader", "info", warning) for warning in document.warnings]
    issues += [Issue("tables", "info", note) for note in tables.notes]
    return Report(
        source=document.source, content_hash=digest, kind=document.kind, language=norm.language, text=text,
        era="template" if tables.version else "free_text", template_version=tables.version, year=year,
        bureau=bureau, facts=facts, problems=problems, issues=issues, flags=sorted(set(flags)), title=title,
        is_aggregate=is_aggregate_report(body, title),
    )


def _first_line(text: str) -> str | None:
    return next((line.strip() for line in text.splitlines() if line.strip()), None)


def _shift(cells: list[Fact], offset: int, norm: Normalized) -> list[Fact]:
    """Table cells are read from the report's body: move their offsets into the whole text."""
    if offset:
        for cell in cells:
            cell.start += offset
            cell.end += offset
    return _locate(cells, norm)


def _locate(facts: list[Fact], norm: Normalized) -> list[Fact]:
    """Give each fact its page and flag numbers whose digits normalization rejoined."""
    if norm.page_of(0) is None and not norm.rejoined:  # most reports: nothing to set
        return facts
    for fact in facts:
        fact.page = norm.page_of(fact.start)
        if norm.is_rejoined(fact.start, fact.end) and fact.raw and any(
                s <= fact.start + fact.evidence.find(fact.raw) < e for s, e in norm.rejoined):
            fact.flags.append("split_digits")
    return facts


def _number(fact: Fact | None) -> int | float | None:
    if fact is None or fact.value is None:
        return None
    return int(fact.value) if float(fact.value).is_integer() else fact.value


def to_record(report: Report) -> dict[str, Any]:
    """The JSON object ``extract --jsonl`` prints for a report."""
    channels: dict[str, float] = {}
    for f in report.facts:
        if f.headline and f.metric == "channel" and f.dimension in CHANNELS and f.value is not None:
            channels[f.dimension] = channels.get(f.dimension, 0) + f.value
    b = report.bureau
    return {
        "source": report.source,
        "bureau": b.canonical or b.name,
        "bureau_as_written": b.name,
        "bureau_kind": b.kind,
        "level": b.level,
        "province": b.province,
        "city": b.city,
        "county": b.county,
        "year": report.year,
        "language": report.language,
        "era": report.era,
        "template_version": report.template_version,
        "is_aggregate": report.is_aggregate,
        "proactive_total": _number(report.headline("proactive_total")),
        "channels": {k: int(v) if float(v).is_integer() else v for k, v in channels.items()},
        "applications_received": _number(report.headline("applications_received")),
        "reconsideration": _number(report.headline("reconsideration")),
        "litigation": _number(report.headline("litigation")),
        "consultations": _number(report.headline("consultations")),
        "problems": report_themes(report.problems),
        "problem_sentences": [{"kind": p.kind, "themes": p.themes, "sentence": p.sentence} for p in report.problems],
        "facts": [f.to_json() for f in report.facts],
        "issues": [{"rule": i.rule, "severity": i.severity, "message": i.message, "refs": i.refs}
                   for i in report.issues],
        "flags": report.flags,
    }
