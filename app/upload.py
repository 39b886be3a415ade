"""Adding report files from the dashboard: a preview of each upload, then storing the accepted ones.

Takes uploaded files as ``(file name, bytes)``; gives

* ``refuse_size(name, size)``: the one-line refusal of a file over ``etl.readers.MAX_BYTES``, decided
  from its size before its bytes are read;
* ``preview(name, data)``: a ``Preview`` of what would be stored — the cleaned name
  (``etl.readers.safe_name``), bureau, year, headline numbers with their evidence, template cells,
  validation issues, reader notes and a plain-text excerpt — or the one-line reason the file cannot
  be read (empty, binary, damaged or encrypted PDF, zip bomb, unsupported type …). Nothing is stored;
* ``annotate(previews, db_path)``: marks, for the batch, files whose content is already in the
  database or earlier in the batch (they will be skipped) and files that are a new version of a
  report of the same bureau and year;
* ``confirm(previews, db_path, chosen=…)``: hands the accepted files to ``etl.load.add_files``,
  which stores them under ``<database folder>/raw/uploads`` (``data/raw/uploads`` for the
  dashboard's database) and swaps in a new database file with the old reports plus the new ones;
  gives an ``Outcome`` per file: loaded, versioned, skipped (same content) or failed;
* ``render_previews`` / ``render_outcomes``: the Streamlit elements of the "add reports" page.

Report text and file names are data: they are shown through ``st.dataframe``, ``st.code`` or
with every Markdown character escaped (``plain``), never as HTML.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from app.db import REPO_ROOT
from app.export import fmt_number
from app.i18n import current_lang, label
from etl.model import ReadError
from etl.readers import MAX_BYTES, SUPPORTED_SUFFIXES, safe_name

UPLOAD_TYPES = tuple(s.lstrip(".") for s in SUPPORTED_SUFFIXES)
MAX_UPLOAD_MB = MAX_BYTES // 2**20
EXCERPT_CHARS = 4000
MAX_REASON = 300
_SCRIPT = re.compile(rb"<script\b", re.IGNORECASE)
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=\"'&^%@])")

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "添加报告",
        "intro": "上传一个或多个年报文件（TXT、HTML、PDF、DOCX），先逐一预览将要存入的内容，确认后再载入数据库。"
                 "载入时看板照常可用，完成后显示新数据。",
        "uploader": "选择报告文件",
        "uploader_help": "每个文件不超过 {mb} MB；可一次选择多个文件。",
        "summary": "预览",
        "col.file": "文件",
        "col.status": "状态",
        "col.bureau": "机构",
        "col.year": "年度",
        "col.numbers": "数字",
        "col.cells": "表格单元格",
        "col.issues": "校验问题",
        "col.note": "说明",
        "col.field": "项目",
        "col.value": "内容",
        "col.metric": "指标",
        "col.dimension": "细分",
        "col.number": "数值",
        "col.raw": "原文写法",
        "col.qualifier": "限定",
        "col.evidence": "原文依据",
        "col.page": "页码",
        "col.rule": "规则",
        "col.severity": "级别",
        "col.message": "说明",
        "col.report_id": "报告编号",
        "col.stored": "保存位置",
        "col.version": "版本",
        "status.unreadable": "无法读取",
        "status.duplicate": "跳过：内容相同",
        "status.known": "跳过：已在库中",
        "status.version": "新版本",
        "status.new": "新报告",
        "status.unrecognised": "未识别为年报",
        "outcome.loaded": "已载入",
        "outcome.versioned": "已载入（新版本）",
        "outcome.skipped": "跳过（内容相同）",
        "outcome.failed": "失败",
        "field.name": "保存的文件名",
        "field.original": "上传的文件名",
        "field.size": "大小",
        "field.kind": "文件类型",
        "field.title": "标题",
        "field.bureau": "机构",
        "field.place": "地区",
        "field.year": "年度",
        "field.format": "格式",
        "field.language": "语言",
        "field.report_id": "报告编号",
        "format.template": "模板表格（{version} 版）",
        "format.free_text": "自由文本",
        "unknown": "未识别",
        "details": "详情",
        "reason": "无法读取：{reason}",
        "headlines": "主要数字及原文依据",
        "no_headlines": "未找到主要数字。",
        "issues": "校验问题",
        "no_issues": "没有校验问题。",
        "notes": "读取说明",
        "excerpt": "正文开头（纯文本）",
        "include": "载入此文件",
        "duplicate": "与本次上传的“{other}”内容相同，将跳过。",
        "known": "数据库中已有相同内容的报告 {report_id}，将跳过。",
        "version": "数据库中已有该机构该年度的报告（{versions} 个版本）：载入后成为第 {next} 版并作为当前版本，"
                   "旧版本仍可查看。",
        "unrecognised": "未找到机构、年度或数字：这可能不是政府信息公开工作年度报告，默认不载入。",
        "note.renamed": "文件名已清理：{original} → {name}",
        "note.scripts": "HTML 页面含脚本：脚本已丢弃，页面内容只作为纯文本读取，不会运行或显示为网页。",
        "too_large": "文件过大：{mb:.1f} MB（上限 {limit} MB）",
        "unsupported": "不支持的文件类型 {suffix}：只接受 TXT、HTML、HTM、PDF、DOCX",
        "no_suffix": "文件名没有扩展名：只接受 TXT、HTML、HTM、PDF、DOCX",
        "confirm": "确认载入 {n} 个文件",
        "confirm_disabled": "没有可载入的文件。",
        "sign_in_to_confirm": "登录后才能载入。",
        "loading": "正在载入并生成新的数据库……",
        "done": "完成：载入 {loaded} 个，新版本 {versioned} 个，跳过 {skipped} 个，失败 {failed} 个。",
        "error": "载入失败，数据库未改变：{reason}",
        "results": "上次载入的结果",
        "no_db": "数据库文件还不存在：确认载入时会新建。",
        "clear_results": "清除结果",
        "not_chosen": "未勾选，未载入。",
    },
    "en": {
        "title": "Add reports",
        "intro": "Upload one or more annual report files (TXT, HTML, PDF, DOCX). Each is previewed before anything "
                 "is stored; confirm to load them. The dashboard keeps working while they load and then shows "
                 "the new data.",
        "uploader": "Choose report files",
        "uploader_help": "Up to {mb} MB per file; several files at once.",
        "summary": "Preview",
        "col.file": "File",
        "col.status": "Status",
        "col.bureau": "Bureau",
        "col.year": "Year",
        "col.numbers": "Numbers",
        "col.cells": "Table cells",
        "col.issues": "Validation issues",
        "col.note": "Note",
        "col.field": "Field",
        "col.value": "Value",
        "col.metric": "Metric",
        "col.dimension": "Breakdown",
        "col.number": "Value",
        "col.raw": "As written",
        "col.qualifier": "Qualifier",
        "col.evidence": "Evidence",
        "col.page": "Page",
        "col.rule": "Rule",
        "col.severity": "Severity",
        "col.message": "Message",
        "col.report_id": "Report id",
        "col.stored": "Stored as",
        "col.version": "Version",
        "status.unreadable": "cannot be read",
        "status.duplicate": "skipped: same content",
        "status.known": "skipped: already loaded",
        "status.version": "new version",
        "status.new": "new report",
        "status.unrecognised": "not recognised as a report",
        "outcome.loaded": "loaded",
        "outcome.versioned": "loaded as a new version",
        "outcome.skipped": "skipped (same content)",
        "outcome.failed": "failed",
        "field.name": "Stored file name",
        "field.original": "Uploaded file name",
        "field.size": "Size",
        "field.kind": "File type",
        "field.title": "Title",
        "field.bureau": "Bureau",
        "field.place": "Place",
        "field.year": "Year",
        "field.format": "Format",
        "field.language": "Language",
        "field.report_id": "Report id",
        "format.template": "template tables ({version} version)",
        "format.free_text": "free text",
        "unknown": "not found",
        "details": "details",
        "reason": "Cannot be read: {reason}",
        "headlines": "Headline numbers and their evidence",
        "no_headlines": "No headline numbers found.",
        "issues": "Validation issues",
        "no_issues": "No validation issues.",
        "notes": "Reader notes",
        "excerpt": "Beginning of the text (plain text)",
        "include": "Load this file",
        "duplicate": "Same content as “{other}” in this upload: skipped.",
        "known": "Already in the database as report {report_id}: skipped.",
        "version": "The database has a report of this bureau and year ({versions} version(s)): this one becomes "
                   "version {next} and the active one; older versions stay viewable.",
        "unrecognised": "No bureau, year or numbers found: this may not be a disclosure annual report, so it is "
                        "not loaded unless you tick it.",
        "note.renamed": "File name cleaned: {original} → {name}",
        "note.scripts": "HTML page with scripts: they were dropped; the page is read as plain text only, never run "
                        "or shown as a web page.",
        "too_large": "file too large: {mb:.1f} MB (limit {limit} MB)",
        "unsupported": "unsupported file type {suffix}: only TXT, HTML, HTM, PDF and DOCX are accepted",
        "no_suffix": "no file extension: only TXT, HTML, HTM, PDF and DOCX are accepted",
        "confirm": "Load {n} file(s)",
        "confirm_disabled": "Nothing to load.",
        "sign_in_to_confirm": "Sign in to load files.",
        "loading": "Loading and building the new database…",
        "done": "Done: {loaded} loaded, {versioned} new version(s), {skipped} skipped, {failed} failed.",
        "error": "Loading failed; the database is unchanged: {reason}",
        "results": "Result of the last load",
        "no_db": "There is no database file yet: confirming creates it.",
        "clear_results": "Clear",
        "not_chosen": "not ticked: not loaded.",
    },
}


def tr(key: str, lang: str | None = None, **fmt: object) -> str:
    """This module's label for ``key`` in ``lang`` (default: the session's language)."""
    text = STRINGS.get(lang or current_lang(), STRINGS["zh"])[key]
    return text.format(**fmt) if fmt else text


def plain(text: object) -> str:
    """``text`` on one line with every Markdown character escaped, for labels and messages."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(text).split()))


def one_line(text: object) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


# --- preview -------------------------------------------------------------------------------------

@dataclass
class Preview:
    """What one uploaded file would add, or why it cannot be read."""

    name: str  # the cleaned name it is stored under
    original_name: str
    size: int
    reason: str | None = None  # one line, when the file cannot be read
    digest: str | None = None
    report_id: str | None = None
    kind: str | None = None
    title: str | None = None
    bureau: str | None = None
    bureau_id: str | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    year: int | None = None
    language: str | None = None
    era: str | None = None
    template_version: str | None = None
    version_key: str | None = None
    headlines: list[dict[str, Any]] = field(default_factory=list)
    cells: int = 0
    issues: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    excerpt: str = ""
    duplicate_of: str | None = None  # an earlier file of the batch with the same bytes
    known_as: str | None = None  # the report id of the same content in the database
    versions: int = 0  # reports of the same bureau, year, scope and language in the database
    data: bytes = field(default=b"", repr=False, compare=False)

    @property
    def readable(self) -> bool:
        return self.reason is None

    @property
    def recognised(self) -> bool:
        return self.readable and bool(self.bureau or self.year or self.headlines)

    @property
    def status(self) -> str:
        """unreadable, duplicate, known, version, new or unrecognised."""
        if not self.readable:
            return "unreadable"
        if self.duplicate_of:
            return "duplicate"
        if self.known_as:
            return "known"
        if not self.recognised:
            return "unrecognised"
        return "version" if self.versions else "new"

    @property
    def loadable(self) -> bool:
        """Readable, and neither in the database nor earlier in the batch."""
        return self.readable and not self.duplicate_of and not self.known_as


def _suffix(name: str) -> str:
    return Path(name).suffix.lower()


def refuse_size(name: str, size: int, lang: str = "en") -> Preview | None:
    """A refused ``Preview`` when ``size`` is over the limit, else None; the bytes need not be read."""
    if size <= MAX_BYTES:
        return None
    return Preview(safe_name(name), name, size,
                   reason=tr("too_large", lang, mb=size / 2**20, limit=MAX_UPLOAD_MB))


def preview(name: str, data: bytes, lang: str = "en") -> Preview:
    """Read and extract one upload without storing anything; any failure is a one-line ``reason``."""
    clean = safe_name(name)
    result = refuse_size(name, len(data), lang) or Preview(clean, name, len(data), data=bytes(data))
    if not result.readable:
        return result
    if clean != name:
        result.notes.append(tr("note.renamed", lang, original=repr(name), name=clean))
    suffix = _suffix(clean)
    if suffix not in SUPPORTED_SUFFIXES:
        result.reason = tr("unsupported", lang, suffix=suffix) if suffix else tr("no_suffix", lang)
        return result
    result.digest = hashlib.sha256(data).hexdigest()
    try:
        from etl.extract import extract_file
        from etl.store_rows import report_id_of, version_key

        report = extract_file(clean, data)
    except ReadError as exc:
        result.reason = one_line(exc) or type(exc).__name__
        return result
    except Exception as exc:
        result.reason = one_line(f"extraction error: {type(exc).__name__}: {exc}")
        return result
    _fill(result, report, report_id_of(result.digest), version_key(report), lang)
    if report.kind == "html" and _SCRIPT.search(data):
        result.notes.append(tr("note.scripts", lang))
    return result


def _fill(result: Preview, report: Any, report_id: str, key: str | None, lang: str) -> None:
    from etl.bureau import bureau_key

    b = report.bureau
    result.report_id = report_id
    result.kind = report.kind
    result.title = report.title
    result.bureau = b.canonical or b.name
    result.bureau_id = bureau_key(b) if result.bureau else None
    result.province, result.city, result.county = b.province, b.city, b.county
    result.year = report.year
    result.language = report.language
    result.era = report.era
    result.template_version = report.template_version
    result.version_key = key
    result.headlines = [
        {"metric": f.metric, "dimension": f.dimension, "value": f.value, "raw": f.raw, "qualifier": f.qualifier,
         "unit": f.unit, "evidence": f.evidence, "page": f.page}
        for f in report.facts if f.headline
    ]
    result.cells = sum(1 for f in report.facts if f.table is not None)
    result.issues = [{"rule": i.rule, "severity": i.severity, "message": i.message}
                     for i in report.issues if i.rule != "reader"]
    result.notes += [i.message for i in report.issues if i.rule == "reader"]
    result.excerpt = report.text[:EXCERPT_CHARS]


def annotate(previews: Sequence[Preview], db_path: str | Path | None = None) -> list[Preview]:
    """Copies of ``previews`` marked with duplicates in the batch, content already loaded and new versions."""
    out = [replace(p, notes=list(p.notes)) for p in previews]
    first: dict[str, str] = {}
    for p in out:
        if p.digest is None or not p.readable:
            continue
        if p.digest in first:
            p.duplicate_of = first[p.digest]
        else:
            first[p.digest] = p.name
    known, versions = _database_matches(db_path, out)
    for p in out:
        if p.readable and p.digest is not None:
            p.known_as = known.get(p.digest)
            p.versions = versions.get(p.version_key, 0) if p.version_key else 0
    return out


def _database_matches(db_path: str | Path | None, previews: Sequence[Preview]) -> tuple[dict[str, str],
                                                                                      dict[str, int]]:
    """content hash → report id, and version key → reports, of the batch's files already in the database."""
    if db_path is None or not Path(db_path).is_file():
        return {}, {}
    digests = [p.digest for p in previews if p.digest]
    keys = [p.version_key for p in previews if p.version_key]
    if not digests:
        return {}, {}
    from etl.store_swap import read_only

    try:
        with read_only(Path(db_path)) as con:
            known = dict(con.execute("SELECT content_hash, report_id FROM reports WHERE list_contains(?, content_hash)",
                                     [digests]).fetchall())
            versions = dict(con.execute("SELECT version_key, count(*) FROM reports WHERE list_contains(?, version_key) "
                                        "GROUP BY version_key", [keys]).fetchall()) if keys else {}
    except duckdb.Error:
        return {}, {}
    return known, versions


# --- confirm -------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What confirming did with one file."""

    name: str
    status: str  # loaded, versioned, skipped, failed
    reason: str = ""
    report_id: str | None = None
    stored: str | None = None
    version: int | None = None
    versions: int | None = None
    bureau: str | None = None
    year: int | None = None


def uploads_dir(db_path: str | Path) -> Path:
    """Where uploads are stored: ``raw/uploads`` beside the database (``data/raw/uploads``)."""
    return Path(db_path).parent / "raw" / "uploads"


def is_chosen(p: Preview, chosen: Iterable[str] | None) -> bool:
    """A loadable file the user left ticked (every loadable file when ``chosen`` is None)."""
    return p.loadable and (chosen is None or p.digest in set(chosen))


def _sendable(p: Preview, chosen: Iterable[str] | None) -> bool:
    """Whether the loader gets the file: chosen ones, and the ones it will skip or refuse itself.

    Files already loaded, repeated in the batch or unreadable (of a supported type and size) go
    along so that the loader records them in the ingest log; nothing of them is stored.
    """
    if p.loadable:
        return is_chosen(p, chosen)
    return p.size <= MAX_BYTES and _suffix(p.name) in SUPPORTED_SUFFIXES


def _local_outcome(p: Preview, lang: str) -> Outcome:
    if p.loadable:
        return Outcome(p.name, "skipped", tr("not_chosen", lang))
    if p.readable:
        return Outcome(p.name, "skipped", _status_note(p, lang), p.known_as)
    return Outcome(p.name, "failed", p.reason or "")


def confirm(previews: Sequence[Preview], db_path: str | Path, *, chosen: Iterable[str] | None = None,
            uploads: str | Path | None = None, lang: str = "en") -> list[Outcome]:
    """Load the files (``Preview.data``) with ``etl.load.add_files``; one ``Outcome`` per preview, in order.

    ``chosen`` holds the digests of the loadable files to load (default: all). The files that load
    are stored under ``uploads`` (default ``uploads_dir(db_path)``) and the database is rebuilt
    beside the live file and swapped in; content already in the database is skipped. When no file
    is to be loaded nothing is called. Raises what ``add_files`` raises when the whole batch cannot
    be loaded (the database is then unchanged).
    """
    chosen = None if chosen is None else list(chosen)
    send = [p for p in previews if _sendable(p, chosen)]
    if not any(is_chosen(p, chosen) for p in send):
        return [_local_outcome(p, lang) for p in previews]
    from etl.load import add_files

    db_path = Path(db_path)
    folder = Path(uploads) if uploads is not None else uploads_dir(db_path)
    summary = add_files([(p.name, p.data) for p in send], db_path, uploads_dir=folder)
    results = summary.results
    if len(results) == len(send):
        by_preview = {id(p): r for p, r in zip(send, results, strict=True)}
    else:
        by_name = {r.path: r for r in results}
        by_preview = {id(p): by_name[p.name] for p in send if p.name in by_name}
    loaded = [r.report_id for r in results if r.status == "loaded" and r.report_id]
    rows = _loaded_rows(db_path, loaded)
    root = folder.resolve()
    outcomes = []
    for p in previews:
        result = by_preview.get(id(p))
        if result is None:
            outcomes.append(_local_outcome(p, lang))
        elif result.status != "loaded" or result.report_id is None:
            status = "failed" if result.status == "failed" else "skipped"
            outcomes.append(Outcome(p.name, status, result.reason, result.report_id))
        else:
            row = rows.get(result.report_id, {})
            stored = row.get("path")
            versions = int(row.get("versions") or 1)
            status = "versioned" if versions > 1 else "loaded"
            if stored and not Path(stored).resolve().is_relative_to(root):
                status, stored = "failed", None
            outcomes.append(Outcome(p.name, status, result.reason, result.report_id, stored, row.get("version"),
                                    versions, row.get("bureau_name"), row.get("year")))
    return outcomes


def _loaded_rows(db_path: Path, report_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not report_ids:
        return {}
    from etl.store_swap import read_only

    with read_only(db_path) as con:
        df = con.execute("SELECT report_id, path, version, versions, bureau_name, year FROM report_versions "
                         "WHERE list_contains(?, report_id)", [report_ids]).df()
    return {r["report_id"]: r for r in df.to_dict("records")}


def counts(outcomes: Iterable[Outcome]) -> dict[str, int]:
    out = {"loaded": 0, "versioned": 0, "skipped": 0, "failed": 0}
    for o in outcomes:
        out[o.status] = out.get(o.status, 0) + 1
    return out


# --- rendering -----------------------------------------------------------------------------------

def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _place(p: Preview) -> str:
    return " ".join(x for x in (p.province, p.city, p.county) if x)


def _format(p: Preview, lang: str) -> str:
    if p.era == "template":
        return tr("format.template", lang, version=p.template_version or "?")
    return tr("format.free_text", lang) if p.era else ""


def _status_note(p: Preview, lang: str) -> str:
    if p.status == "unreadable":
        return p.reason or ""
    if p.status == "duplicate":
        return tr("duplicate", lang, other=p.duplicate_of)
    if p.status == "known":
        return tr("known", lang, report_id=p.known_as)
    if p.status == "version":
        return tr("version", lang, versions=p.versions, next=p.versions + 1)
    if p.status == "unrecognised":
        return tr("unrecognised", lang)
    return "; ".join(p.notes)


def summary_table(previews: Sequence[Preview], lang: str) -> pd.DataFrame:
    """One row per file: name, status, bureau, year, numbers, cells, issues and the reason or note."""
    return pd.DataFrame({
        tr("col.file", lang): [p.name for p in previews],
        tr("col.status", lang): [tr(f"status.{p.status}", lang) for p in previews],
        tr("col.bureau", lang): [_text(p.bureau) for p in previews],
        tr("col.year", lang): [_text(p.year) for p in previews],
        tr("col.numbers", lang): [len(p.headlines) for p in previews],
        tr("col.cells", lang): [p.cells for p in previews],
        tr("col.issues", lang): [len(p.issues) for p in previews],
        tr("col.note", lang): [_status_note(p, lang) for p in previews],
    })


def meta_table(p: Preview, lang: str) -> pd.DataFrame:
    unknown = tr("unknown", lang)
    rows = [
        ("field.name", p.name), ("field.original", p.original_name), ("field.size", f"{p.size:,} B"),
        ("field.kind", (p.kind or "").upper()), ("field.title", p.title or ""),
        ("field.bureau", p.bureau or unknown), ("field.place", _place(p) or unknown),
        ("field.year", _text(p.year) or unknown), ("field.format", _format(p, lang)),
        ("field.language", p.language or ""), ("field.report_id", p.report_id or ""),
    ]
    return pd.DataFrame({tr("col.field", lang): [tr(k, lang) for k, _ in rows],
                         tr("col.value", lang): [str(v) for _, v in rows]})


def headline_table(p: Preview, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        tr("col.metric", lang): [label("metric", h["metric"], lang) for h in p.headlines],
        tr("col.dimension", lang): [label("channel", h["dimension"], lang) if h["dimension"] else ""
                                    for h in p.headlines],
        tr("col.number", lang): [fmt_number(h["value"]) if h["value"] is not None else "" for h in p.headlines],
        tr("col.raw", lang): [_text(h["raw"]) for h in p.headlines],
        tr("col.qualifier", lang): [label("qualifier", h["qualifier"], lang) if h["qualifier"] else ""
                                    for h in p.headlines],
        tr("col.evidence", lang): [_text(h["evidence"]) for h in p.headlines],
        tr("col.page", lang): [_text(h["page"]) for h in p.headlines],
    })


def issue_table(p: Preview, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        tr("col.rule", lang): [i["rule"] for i in p.issues],
        tr("col.severity", lang): [label("severity", i["severity"], lang) for i in p.issues],
        tr("col.message", lang): [i["message"] for i in p.issues],
    })


def render_previews(previews: Sequence[Preview], lang: str, key: str = "upload") -> list[str]:
    """The summary table and one expander per file; gives the digests of the files ticked for loading."""
    st.subheader(tr("summary", lang))
    st.dataframe(summary_table(previews, lang), hide_index=True)
    chosen: list[str] = []
    for p in previews:
        title = f"{plain(p.name)} · {tr(f'status.{p.status}', lang)}"
        with st.expander(title, expanded=len(previews) == 1):
            if not p.readable:
                st.error(plain(tr("reason", lang, reason=p.reason)), icon=":material/block:")
                st.dataframe(meta_table(p, lang).head(3), hide_index=True)
                continue
            if p.loadable:
                ticked = st.checkbox(tr("include", lang), value=p.recognised, key=f"{key}_include_{p.digest}")
                if ticked and p.digest:
                    chosen.append(p.digest)
            note = _status_note(p, lang) if p.status in ("duplicate", "known", "version", "unrecognised") else ""
            if note:
                st.info(plain(note), icon=":material/info:")
            st.dataframe(meta_table(p, lang), hide_index=True)
            st.markdown(f"**{tr('headlines', lang)}**")
            if p.headlines:
                st.dataframe(headline_table(p, lang), hide_index=True)
            else:
                st.caption(tr("no_headlines", lang))
            st.markdown(f"**{tr('issues', lang)}**")
            if p.issues:
                st.dataframe(issue_table(p, lang), hide_index=True)
            else:
                st.caption(tr("no_issues", lang))
            if p.notes:
                st.markdown(f"**{tr('notes', lang)}**")
                st.text("\n".join(p.notes))
            st.markdown(f"**{tr('excerpt', lang)}**")
            st.code(p.excerpt, language=None, wrap_lines=True, height=240)
    return chosen


def _shown_path(path: str | None) -> str:
    """A stored path relative to the repository when it is inside it."""
    if not path:
        return ""
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return path


def outcome_table(outcomes: Sequence[Outcome], lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        tr("col.file", lang): [o.name for o in outcomes],
        tr("col.status", lang): [tr(f"outcome.{o.status}", lang) for o in outcomes],
        tr("col.bureau", lang): [_text(o.bureau) for o in outcomes],
        tr("col.year", lang): [_text(o.year) for o in outcomes],
        tr("col.version", lang): [f"{o.version}/{o.versions}" if o.version else "" for o in outcomes],
        tr("col.report_id", lang): [_text(o.report_id) for o in outcomes],
        tr("col.stored", lang): [_shown_path(o.stored) for o in outcomes],
        tr("col.note", lang): [o.reason for o in outcomes],
    })


def render_outcomes(outcomes: Sequence[Outcome], lang: str) -> None:
    n = counts(outcomes)
    message = tr("done", lang, **n)
    if n["loaded"] + n["versioned"]:
        st.success(message, icon=":material/check_circle:")
    else:
        st.warning(message, icon=":material/warning:")
    st.dataframe(outcome_table(outcomes, lang), hide_index=True)
