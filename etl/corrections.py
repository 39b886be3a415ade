"""Corrections: a supervisor fixes one extracted number, with a reason, and the fix survives every ingest.

Takes a database path and a fact (by ``fact_id``, or by report and key: metric, dimension, tbl,
row_id, column_name) with the new value, the reason and who corrects; ``add_correction`` gives a
``Correction`` whose ``status`` is ``applied`` (the database now shows it) or ``pending`` (an
ingest is running and applies it before it swaps its database in). ``list_corrections`` gives them
as a DataFrame; ``apply_corrections(con)`` and ``merge_corrections(con, db_path)`` are what every
build runs.

Where corrections live, and why. Each correction is first appended to a journal beside the
database, ``<db>.corrections.jsonl`` (one JSON object a line, fsynced): appending a line is cheap
and cannot damage what is there, it survives the database file being deleted or rebuilt from
scratch, and it can be written while an ingest holds the database. Then the correction is copied
into the database's ``corrections`` table, which is what the dashboard reads: the database file is
copied, the copy corrected and swapped in with ``os.replace`` (``etl.store_swap``), so readers see
the old file or the corrected one, never a half-written one. Every build (a full ingest or
``etl.load.add_files``) merges the old database's corrections and the journal by ``correction_id``
and applies them; it reads the journal under ``journal_lock`` just before its swap, so a correction
made during an ingest is either in that build or applied by ``add_correction`` itself.

Applying is idempotent: facts corrected before are first restored to their extracted value and
facts a correction added are removed; then each correction, oldest first, sets the value of the
report's facts with its key (only the headline ones when several match; ``facts.corrected``,
``original_value`` and ``correction_id`` record it). When no fact matches, the number is added as a
fact flagged ``added_by_correction``. A correction belongs to one report (one content hash): a new
version of the file is another report and is not corrected by it.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from etl.store_swap import (
    allow_summary_memory,
    building,
    connect_build,
    journal_lock,
    read_only,
    swap_in,
    writer_lock,
)
from etl.summary import build_summary, refresh_cells

KEY = ("metric", "dimension", "tbl", "row_id", "column_name")
ADDED_FLAG = "added_by_correction"


@dataclass
class Correction:
    correction_id: str
    report_id: str
    metric: str
    dimension: str | None
    tbl: int | None
    row_id: str | None
    column_name: str | None
    old_value: float | None
    new_value: float | None
    reason: str
    corrected_by: str
    corrected_at: datetime
    status: str = "pending"  # applied: the database shows it; pending: the running ingest applies it

    def to_json(self) -> str:
        record = asdict(self)
        record.pop("status")
        record["corrected_at"] = self.corrected_at.isoformat()
        return json.dumps(record, ensure_ascii=False)


COLUMNS = tuple(f.name for f in fields(Correction) if f.name != "status")


def journal_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.corrections.jsonl")


def add_correction(db_path: str | Path, *, new_value: float | None, reason: str, corrected_by: str,
                   fact_id: int | None = None, report_id: str | None = None, metric: str | None = None,
                   dimension: str | None = None, tbl: int | None = None, row_id: str | None = None,
                   column_name: str | None = None, old_value: float | None = None) -> Correction:
    """Record a correction and show it in the database.

    Give either ``fact_id`` (as in ``report_values`` or ``facts``) or ``report_id`` and ``metric``
    (plus ``dimension``, ``tbl``, ``row_id``, ``column_name`` as the fact has them). ``old_value``
    defaults to the value the database shows now. Raises ``ValueError`` for a missing reason or
    author, a value that is not a finite number, or an unknown fact or report, and
    ``FileNotFoundError`` when there is no database yet.
    """
    db_path = Path(db_path)
    reason, corrected_by = " ".join((reason or "").split()), " ".join((corrected_by or "").split())
    if not reason or not corrected_by:
        raise ValueError("a correction needs a reason and who makes it")
    if new_value is not None:
        new_value = float(new_value)
        if not math.isfinite(new_value):
            raise ValueError("the new value must be a finite number")
    with read_only(db_path) as con:
        current_schema = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'live' "
                                     "AND table_name = 'corrections'").fetchall()[0][0] > 0
        if fact_id is not None:
            found = con.execute(f"SELECT report_id, {', '.join(KEY)}, value FROM facts WHERE fact_id = ?",
                                [fact_id]).fetchall()
            if not found:
                raise ValueError(f"no fact {fact_id}")
            report_id, metric, dimension, tbl, row_id, column_name, current = found[0]
        else:
            if not report_id or not metric:
                raise ValueError("give fact_id, or report_id and metric")
            if not con.execute("SELECT count(*) FROM reports WHERE report_id = ?", [report_id]).fetchall()[0][0]:
                raise ValueError(f"no report {report_id}")
            current = con.execute(f"SELECT value FROM facts WHERE report_id = ? AND {_match_sql()} "
                                  "ORDER BY headline DESC, fact_id LIMIT 1",
                                  [report_id, metric, dimension, tbl, row_id, column_name]).fetchall()
            current = current[0][0] if current else None
    correction = Correction(uuid.uuid4().hex, report_id, metric, dimension, tbl, row_id, column_name,
                            current if old_value is None else float(old_value), new_value, reason, corrected_by,
                            datetime.now())
    with journal_lock(db_path):
        _append(journal_path(db_path), correction)
        if not current_schema:
            return correction  # a database of an older schema: the next ingest applies it
        try:
            writer = writer_lock(db_path, blocking=False)
        except BlockingIOError:
            return correction  # an ingest is running: it reads the journal before its swap
    with writer, building(db_path) as tmp:
        shutil.copyfile(db_path, tmp)
        con = connect_build(tmp)
        try:
            finish(con, tmp, db_path, writer)
        finally:
            con.close()
    correction.status = "applied"
    return correction


def finish(con: duckdb.DuckDBPyConnection, tmp: Path, db_path: Path, writer) -> None:
    """Merge the journal, apply corrections, close ``con`` and swap ``tmp`` in; releases ``writer``.

    The end of every build: holding ``journal_lock`` from the last read of the journal to the
    release of the writer lock means a correction appended meanwhile finds the writer lock free.
    """
    with journal_lock(db_path):
        if merge_corrections(con, db_path):
            apply_corrections(con)
            allow_summary_memory(con)  # nothing is extracted beside it; 100,000 reports need more than 256 MB
            build_summary(con)
        con.execute("CHECKPOINT")
        con.close()
        swap_in(tmp, db_path)
        writer.release()


def _append(path: Path, correction: Correction) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (correction.to_json() + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_journal(db_path: str | Path) -> list[Correction]:
    """The journal's corrections; a line cut short by a crash is skipped."""
    path = journal_path(db_path)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
            record["corrected_at"] = datetime.fromisoformat(record["corrected_at"])
            out.append(Correction(**{k: record.get(k) for k in COLUMNS}))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def merge_corrections(con: duckdb.DuckDBPyConnection, db_path: str | Path, old: str | None = None) -> int:
    """Add to ``con``'s corrections those of the attached catalog ``old`` and of the journal; gives how many."""
    before = con.execute("SELECT count(*) FROM corrections").fetchall()[0][0]
    names = ", ".join(COLUMNS)
    if old and con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = "
                           "'corrections'", [old]).fetchall()[0][0]:
        con.execute(f"INSERT OR IGNORE INTO corrections ({names}) SELECT {names} FROM {old}.corrections")
    rows = [[getattr(c, k) for k in COLUMNS] for c in read_journal(db_path)]
    if rows:
        con.executemany(f"INSERT OR IGNORE INTO corrections ({names}) VALUES ({', '.join('?' * len(COLUMNS))})",
                        rows)
    return con.execute("SELECT count(*) FROM corrections").fetchall()[0][0] - before


def _match_sql(alias: str = "") -> str:
    return " AND ".join(f"{alias}{k} {'=' if k == 'metric' else 'IS NOT DISTINCT FROM'} ?" for k in KEY)


_KIND_OF_RAW = """CASE WHEN original_value IS NOT NULL THEN CASE WHEN original_value = 0 THEN 'zero' ELSE 'number' END
    WHEN trim(coalesce(raw, '')) = '' THEN 'blank' WHEN trim(raw) IN ('/', '／') THEN 'slash'
    WHEN trim(raw) IN ('—', '-', '–', '－', '——') THEN 'dash' ELSE 'text' END"""


def apply_corrections(con: duckdb.DuckDBPyConnection) -> int:
    """Restore the extracted values, then apply every correction whose report is here; gives how many applied.

    The ``report_cells`` rows of the reports whose facts this changed are recomputed (``etl.summary``).
    """
    touched = {r for (r,) in con.execute("SELECT DISTINCT report_id FROM facts WHERE corrected").fetchall()}
    con.execute("DELETE FROM facts WHERE list_contains(coalesce(flags, []), ?)", [ADDED_FLAG])
    con.execute(f"UPDATE facts SET value = original_value, value_kind = {_KIND_OF_RAW}, corrected = FALSE, "
                "original_value = NULL, correction_id = NULL WHERE corrected")
    con.execute("UPDATE corrections SET applied = FALSE WHERE applied")
    todo = con.execute(f"""
        SELECT correction_id, report_id, {", ".join(KEY)}, new_value, reason FROM corrections
        WHERE report_id IN (SELECT report_id FROM reports) ORDER BY corrected_at, correction_id
    """).fetchall()
    for cid, rid, metric, dimension, tbl, row_id, column_name, new_value, reason in todo:
        key = [rid, metric, dimension, tbl, row_id, column_name]
        matches = con.execute(f"SELECT fact_id, headline FROM facts WHERE report_id = ? AND {_match_sql()}",
                              key).fetchall()
        kind = "blank" if new_value is None else "zero" if new_value == 0 else "number"
        if matches:
            ids = [f for f, headline in matches if headline] or [f for f, _ in matches]
            con.execute("UPDATE facts SET original_value = CASE WHEN corrected THEN original_value ELSE value END, "
                        "corrected = TRUE, value = ?, value_kind = ?, correction_id = ? "
                        "WHERE fact_id IN (SELECT unnest(?::BIGINT[]))", [new_value, kind, cid, ids])
        else:
            raw = "" if new_value is None else f"{new_value:g}"
            con.execute("""
                INSERT INTO facts (report_id, metric, dimension, tbl, row_id, column_name, value, value_kind, raw,
                                   headline, evidence, flags, corrected, correction_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, [?], TRUE, ?)
            """, [*key, new_value, kind, raw, tbl is None, f"added by a correction: {reason}", ADDED_FLAG, cid])
        con.execute("UPDATE corrections SET applied = TRUE WHERE correction_id = ?", [cid])
        touched.add(rid)
    refresh_cells(con, touched)
    return len(todo)


def list_corrections(db_path: str | Path, report_id: str | None = None) -> pd.DataFrame:
    """Corrections newest first, with the report's year and bureau name; those pending in the journal included."""
    with read_only(Path(db_path)) as con:
        stored = con.execute("""
            SELECT c.*, r.year, b.name AS bureau_name FROM corrections c
            LEFT JOIN reports r USING (report_id) LEFT JOIN bureaus b USING (bureau_id)
            WHERE ? IS NULL OR c.report_id = ? ORDER BY c.corrected_at DESC, c.correction_id
        """, [report_id, report_id]).df()
    pending = [c for c in read_journal(db_path) if c.correction_id not in set(stored["correction_id"])
               and report_id in (None, c.report_id)]
    if pending:
        import pandas as pd

        extra = pd.DataFrame([{**asdict(c), "applied": False} for c in pending]).drop(columns="status")
        stored = pd.concat([extra, stored], ignore_index=True)
    return stored
