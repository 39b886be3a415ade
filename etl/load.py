"""Stage 7: report files → a DuckDB database, written to a new file and swapped in atomically.

Takes folders or files of reports and a database path; gives an ``IngestSummary`` and a
database whose tables are documented in ``schema.sql``. A reader of the old file never sees a
half-written one: the new database is built beside it and moved over it with ``os.replace``.
Files whose bytes are unchanged since the last build are copied from the old database instead of
being extracted again; a file that fails is logged with its reason and the rest go on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from etl.bureau import bureau_key
from etl.crossyear import cross_year_issues
from etl.extract import content_hash, extract_file
from etl.model import ReadError, Report
from etl.readers import SUPPORTED_SUFFIXES

SCHEMA_VERSION = "1"
SCHEMA_SQL = (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")
SKIPPED_NAMES = {"gold.jsonl", "MANIFEST.csv", "README.md", "SOURCES.csv"}
SAMPLE_COLLECTIONS = {"samples"}


@dataclass
class FileResult:
    path: str
    status: str  # loaded, unchanged, skipped, failed
    reason: str = ""
    report_id: str | None = None


@dataclass
class IngestSummary:
    db_path: Path
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def reports_in_db(self) -> int:
        return self.count("loaded") + self.count("unchanged")


def find_report_files(inputs: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for item in inputs:
        if item.is_file():
            files.append(item)
        elif item.is_dir():
            files.extend(p for p in sorted(item.rglob("*"))
                         if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                         and p.name not in SKIPPED_NAMES and not any(part.startswith(".") for part in p.parts))
    return files


def collection_of(path: Path, roots: list[Path]) -> str | None:
    for root in roots:
        try:
            rel = path.resolve().relative_to(root.resolve())
        except ValueError:
            continue
        return rel.parts[0] if len(rel.parts) > 1 else root.name
    return path.parent.name or None


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_SQL)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('built_at', ?)",
                [SCHEMA_VERSION, datetime.now().isoformat(timespec="seconds")])


def build_database(inputs: list[Path], db_path: Path,
                   on_result: Callable[[FileResult], None] | None = None,
                   progress: bool = False) -> IngestSummary:
    """Extract every report under `inputs` and swap a new database in at `db_path`."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
    tmp_path.unlink(missing_ok=True)
    summary = IngestSummary(db_path)
    files = find_report_files(inputs)
    old = _old_reports(db_path)
    con = duckdb.connect(str(tmp_path))
    try:
        apply_schema(con)
        if old:
            con.execute("ATTACH ? AS old (READ_ONLY)", [str(db_path)])
        seen: dict[str, str] = {}
        reports: list[tuple[Report, str | None, bool]] = []
        iterator = _progress(files) if progress and len(files) > 5 else files
        for path in iterator:
            result, report = _ingest_one(path, inputs, seen, old)
            if report is not None:
                reports.append(report)
            summary.results.append(result)
            if on_result:
                on_result(result)
        unchanged = [r.report_id for r in summary.results if r.status == "unchanged" and r.report_id]
        _write_reports(con, reports, unchanged)
        if unchanged:
            _copy_unchanged(con, unchanged, {r.report_id: r.path for r in summary.results if r.report_id})
        _write_cross_year(con)
        _write_log(con, summary)
        if old:
            con.execute("DETACH old")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp_path.unlink(missing_ok=True)
        raise
    con.close()
    if summary.reports_in_db == 0 and db_path.exists():
        tmp_path.unlink(missing_ok=True)  # nothing loaded: keep what was there
        return summary
    os.replace(tmp_path, db_path)
    return summary


def _progress(files: list[Path]):
    from tqdm import tqdm

    return tqdm(files, unit="file", file=sys.stderr, leave=False)


def _old_reports(db_path: Path) -> dict[str, str]:
    """content_hash → report_id of an existing database with the same schema version."""
    if not db_path.exists():
        return {}
    try:
        with duckdb.connect(str(db_path), read_only=True) as old:
            version = old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
            if not version or version[0][0] != SCHEMA_VERSION:
                return {}
            return dict(old.execute("SELECT content_hash, report_id FROM reports").fetchall())
    except duckdb.Error:
        return {}


def _ingest_one(path: Path, roots: list[Path], seen: dict[str, str], old: dict[str, str]):
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(str(path), "failed", f"cannot read the file: {exc.strerror or exc}"), None
    digest = content_hash(data)
    if digest in seen:
        return FileResult(str(path), "skipped", f"same content as {seen[digest]}"), None
    seen[digest] = str(path)
    collection = collection_of(path, roots)
    if digest in old:
        return FileResult(str(path), "unchanged", "unchanged since the last build", old[digest]), None
    try:
        report = extract_file(path, data)
    except ReadError as exc:
        return FileResult(str(path), "failed", str(exc)), None
    except Exception as exc:  # one bad file must not stop the batch
        return FileResult(str(path), "failed", f"extraction error: {type(exc).__name__}: {exc}"), None
    report_id = digest[:16]
    note = f"{report.bureau.canonical or report.bureau.name or 'bureau unknown'}, {report.year or 'year unknown'}"
    return (FileResult(str(path), "loaded", note, report_id),
            (report, collection, collection in SAMPLE_COLLECTIONS))


def _write_reports(con: duckdb.DuckDBPyConnection, reports: list[tuple[Report, str | None, bool]],
                   unchanged: list[str]) -> None:
    now = datetime.now()
    report_rows, fact_rows, problem_rows, issue_rows, bureau_rows = [], [], [], [], []
    for report, collection, is_sample in reports:
        rid = report.content_hash[:16]
        b = report.bureau
        bid = bureau_key(b)
        bureau_rows.append({"bureau_id": bid, "name": b.canonical or b.name or "", "kind": b.kind, "level": b.level,
                            "province": b.province, "city": b.city, "county": b.county, "is_sample": is_sample,
                            "year": report.year})
        report_rows.append({
            "report_id": rid, "content_hash": report.content_hash, "path": report.source, "collection": collection,
            "is_sample": is_sample, "file_kind": report.kind, "language": report.language, "era": report.era,
            "template_version": report.template_version, "year": report.year,
            "year_inferred": "year_inferred" in report.flags, "bureau_id": bid, "bureau_name_raw": b.name,
            "title": report.title, "is_aggregate": report.is_aggregate, "flags": report.flags,
            "body": report.text, "loaded_at": now})
        for f in report.facts:
            fact_rows.append({
                "report_id": rid, "metric": f.metric, "dimension": f.dimension, "value": f.value,
                "value_kind": f.value_kind, "raw": f.raw, "unit": f.unit, "qualifier": f.qualifier,
                "headline": f.headline, "tbl": f.table, "row_id": f.row, "column_name": f.column,
                "evidence": f.evidence, "start_offset": f.start, "end_offset": f.end, "page": f.page,
                "flags": f.flags})
        for p in report.problems:
            for theme in p.themes or ["other"]:
                problem_rows.append({"report_id": rid, "kind": p.kind, "theme": theme, "sentence": p.sentence,
                                     "start_offset": p.start, "end_offset": p.end})
        for i in report.issues:
            issue_rows.append({"report_id": rid, "rule": i.rule, "severity": i.severity, "message": i.message,
                               "refs": i.refs})
    _insert(con, "bureau_staging", bureau_rows, create=True)
    if unchanged:
        con.execute("INSERT INTO bureau_staging SELECT b.bureau_id, b.name, b.kind, b.level, b.province, b.city, "
                    "b.county, b.is_sample, r.year FROM old.reports r JOIN old.bureaus b USING (bureau_id) "
                    "WHERE r.report_id IN (SELECT unnest(?::VARCHAR[]))", [unchanged])
    _write_bureaus(con)
    _insert(con, "reports", report_rows)
    _insert(con, "facts", fact_rows)
    _insert(con, "problems", problem_rows)
    _insert(con, "validation_issues", issue_rows)


STAGING_DDL = ("CREATE TEMP TABLE bureau_staging (bureau_id VARCHAR, name VARCHAR, kind VARCHAR, level VARCHAR, "
               "province VARCHAR, city VARCHAR, county VARCHAR, is_sample BOOLEAN, year INTEGER)")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], create: bool = False) -> None:
    """Append rows (dicts keyed by column name) to a table; `create` makes the staging table first."""
    if create:
        con.execute(STAGING_DDL)
    if not rows:
        return
    frame = pd.DataFrame(rows)
    con.register("incoming", frame)
    try:
        columns = ", ".join(frame.columns)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    finally:
        con.unregister("incoming")


def _copy_unchanged(con: duckdb.DuckDBPyConnection, report_ids: list[str], paths: dict[str, str]) -> None:
    """Carry the rows of unchanged files over from the old database."""
    con.execute("CREATE TEMP TABLE keep AS SELECT unnest(?::VARCHAR[]) AS report_id", [report_ids])
    con.execute("INSERT INTO reports SELECT r.* FROM old.reports r JOIN keep USING (report_id)")
    columns = ("report_id, metric, dimension, value, value_kind, raw, unit, qualifier, headline, tbl, row_id, "
               "column_name, evidence, start_offset, end_offset, page, flags")
    con.execute(f"INSERT INTO facts ({columns}) SELECT {columns} FROM old.facts JOIN keep USING (report_id)")
    con.execute("INSERT INTO problems SELECT p.* FROM old.problems p JOIN keep USING (report_id)")
    con.execute("INSERT INTO validation_issues SELECT v.* FROM old.validation_issues v JOIN keep USING (report_id) "
                "WHERE v.rule NOT IN ('V5', 'V9')")
    for rid, path in paths.items():
        if rid in report_ids:
            con.execute("UPDATE reports SET path = ? WHERE report_id = ?", [path, rid])


def _write_bureaus(con: duckdb.DuckDBPyConnection) -> None:
    """One row per bureau: the name of its latest report; sample when every report of it is."""
    con.execute("""
        INSERT INTO bureaus
        SELECT bureau_id, arg_max(name, coalesce(year, 0)), arg_max(kind, coalesce(year, 0)),
               arg_max(level, coalesce(year, 0)), arg_max(province, coalesce(year, 0)),
               arg_max(city, coalesce(year, 0)), arg_max(county, coalesce(year, 0)), bool_and(is_sample)
        FROM bureau_staging GROUP BY bureau_id
    """)


def _write_cross_year(con: duckdb.DuckDBPyConnection) -> None:
    rows = cross_year_issues(con)
    _insert(con, "validation_issues", rows)


def _write_log(con: duckdb.DuckDBPyConnection, summary: IngestSummary) -> None:
    now = datetime.now()
    rows = [{"path": r.path, "status": r.status, "reason": r.reason, "report_id": r.report_id, "logged_at": now}
            for r in summary.results]
    _insert(con, "ingest_log", rows)
