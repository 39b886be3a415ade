"""Appending reports to an open database in batches: extracted ones, and unchanged ones carried over.

Takes an open DuckDB connection whose tables follow ``schema.sql`` (optionally with the previous
database attached read-only as ``old``); gives ``BatchWriter``, which buffers new reports (their
rows of every table, ``report_cells`` included: a ``RowsRef`` into the Arrow tables a worker packed,
or a ``ReportRows`` packed here), ids of unchanged reports to copy from ``old``, and ingest-log
lines, and appends them every ``batch_size`` reports, so memory stays flat however large the
corpus. A batch's new rows are slices of its chunks' tables, concatenated without copying and
inserted with one ``INSERT … SELECT`` per table; the values added here (input order, load time)
are SQL parameters, not Arrow, so that pyarrow does not import pandas in this process. Bureaus are
upserted per batch: a bureau keeps the name, kind and place of its latest report and is sample
data only when all of its reports are. The rows of unchanged reports are copied from ``old`` once,
by ``close``, in input order: one pass over the old tables instead of one per batch.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa

from etl.parallel import FileResult
from etl.store_rows import COLUMNS, ReportRows, RowChunk, RowsRef, as_ref
from etl.summary import CELL_COLUMNS, CELLS_DDL

DERIVED_RULES = ("V5", "V9")
"""Validation rules computed across reports; recomputed on every build rather than carried."""
BATCH_SIZE = 2000
"""Reports appended at a time. Each append has a fixed cost (the bureau upsert, a partly filled row
group per table): batches of 2,000 took about 30 % less of the writing process's CPU than batches of
500, for about 20 MB more at the peak of a 10,000-report ingest."""
CARRY_BLOCK = 20_000
"""Input positions whose unchanged reports are copied from the previous database in one statement."""

_FACT_COLUMNS = ", ".join(COLUMNS["facts"])
_BUREAU_ATTRS = ("name", "kind", "level", "province", "city", "county")


class BatchWriter:
    """Buffers reports and log lines for one open database and appends them ``batch_size`` reports at a time."""

    def __init__(self, con: duckdb.DuckDBPyConnection, loaded_at: datetime, batch_size: int = BATCH_SIZE,
                 carry_from_old: bool = False) -> None:
        self.con = con
        self.loaded_at = loaded_at
        self.batch_size = max(1, batch_size)
        self.carry_from_old = carry_from_old
        self._new: list[RowsRef] = []
        self._carried: list[tuple[str, str, datetime | None]] = []
        self._log: list[tuple] = []
        self._seq = 0
        con.execute("CREATE OR REPLACE TEMP TABLE carried_all (report_id VARCHAR, path VARCHAR, "
                    "file_mtime TIMESTAMP, seq BIGINT)")
        con.execute(CELLS_DDL)
        con.execute("CREATE OR REPLACE TEMP TABLE bureau_latest (bureau_id VARCHAR PRIMARY KEY, latest INTEGER)")
        con.execute("INSERT INTO bureau_latest SELECT bureau_id, max(coalesce(year, 0)) FROM reports "
                    "WHERE bureau_id IS NOT NULL GROUP BY bureau_id")

    def add(self, rows: ReportRows | RowsRef) -> None:
        self._new.append(as_ref(rows))
        self._maybe_flush()

    def carry(self, report_id: str, path: str, mtime: datetime | None) -> None:
        """Copy an unchanged report's rows from ``old``, with its current path and modification time."""
        self._carried.append((report_id, path, mtime))
        self._maybe_flush()

    def log(self, result: FileResult) -> None:
        self._log.append((result.path, result.status, result.reason, result.report_id, datetime.now()))
        if len(self._log) >= self.batch_size * 4:
            self._flush_log()

    def _maybe_flush(self) -> None:
        if len(self._new) + len(self._carried) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Append the buffered new reports and bureaus; unchanged reports wait for ``close``."""
        if self._carried and not self.carry_from_old:
            raise RuntimeError("carry() needs the previous database attached as 'old'")
        if self._new or self._carried:
            if self._carried:
                self._register_carried()
            self._write_bureaus()
            self._write_new()
            if self._carried:
                self.con.execute("INSERT INTO carried_all SELECT * FROM carried")
            self._new, self._carried = [], []
        self._flush_log()

    def close(self) -> None:
        """Flush, then copy the rows of every unchanged report from ``old``."""
        self.flush()
        self._write_carried()
        for table in ("carried_all", "carried", "bureau_batch", "bureau_agg", "bureau_latest"):
            self.con.execute(f"DROP TABLE IF EXISTS {table}")

    def _insert(self, table: str, arrow: pa.Table, computed: dict[str, str] | None = None,
                params: list | None = None) -> None:
        """Insert ``arrow``'s columns into ``table``; ``computed`` sets columns to SQL expressions (of
        ``params``), so that values made here are not turned into Arrow, which would import pandas."""
        if arrow.num_rows == 0:
            return
        computed = computed or {}
        kept = [name for name in arrow.column_names if name not in computed]
        target, values = ", ".join([*kept, *computed]), ", ".join([*kept, *computed.values()])
        self.con.register("incoming", arrow)
        try:
            self.con.execute(f"INSERT INTO {table} ({target}) SELECT {values} FROM incoming", params or [])
        finally:
            self.con.unregister("incoming")

    def _flush_log(self) -> None:
        if self._log:
            self._insert_lists("ingest_log", self._log, ("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "TIMESTAMP"))
            self._log = []

    def _insert_lists(self, table: str, rows: list[tuple], types: tuple[str, ...]) -> None:
        insert_lists(self.con, table, rows, types)

    def _write_bureaus(self) -> None:
        """Insert the batch's new bureaus, and update those whose latest report is in the batch."""
        con = self.con
        con.execute("CREATE OR REPLACE TEMP TABLE bureau_batch (bureau_id VARCHAR, name VARCHAR, kind VARCHAR, "
                    "level VARCHAR, province VARCHAR, city VARCHAR, county VARCHAR, is_sample BOOLEAN, "
                    "year INTEGER, seq BIGINT)")
        if self._new:  # one insert for the batch; seq, the place in a chunk, becomes the place in the input
            rows = self._gather("bureau")
            # from a NumPy buffer: ``pa.array`` of Python ints would import pandas in this process
            order = np.arange(self._seq, self._seq + rows.num_rows, dtype=np.int64)
            seq = pa.Array.from_buffers(pa.int64(), rows.num_rows, [None, pa.py_buffer(order)])
            self._insert("bureau_batch", rows.set_column(rows.column_names.index("seq"), "seq", seq))
            self._seq += rows.num_rows
        if self._carried:
            con.execute("""
                INSERT INTO bureau_batch
                SELECT b.bureau_id, b.name, b.kind, b.level, b.province, b.city, b.county, b.is_sample, r.year,
                       k.seq
                FROM carried k JOIN old.reports r USING (report_id) JOIN old.bureaus b ON b.bureau_id = r.bureau_id
            """)
            self._seq += len(self._carried)
        order = "coalesce(year, 0) * 1000000000000 + seq"
        attrs = ", ".join(f"arg_max({a}, {order}) AS {a}" for a in _BUREAU_ATTRS)
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE bureau_agg AS
            SELECT bureau_id, {attrs}, bool_and(is_sample) AS is_sample, max(coalesce(year, 0)) AS latest
            FROM bureau_batch GROUP BY bureau_id
        """)
        con.execute("INSERT OR IGNORE INTO bureaus (bureau_id, name, kind, level, province, city, county, is_sample) "
                    "SELECT bureau_id, name, kind, level, province, city, county, is_sample FROM bureau_agg")
        newer = ", ".join(f"{a} = CASE WHEN a.latest >= coalesce(e.latest, -1) THEN a.{a} ELSE bureaus.{a} END"
                          for a in _BUREAU_ATTRS)
        con.execute(f"""
            UPDATE bureaus SET {newer}, is_sample = bureaus.is_sample AND a.is_sample
            FROM bureau_agg a LEFT JOIN bureau_latest e USING (bureau_id)
            WHERE bureaus.bureau_id = a.bureau_id
        """)
        con.execute("""
            INSERT OR REPLACE INTO bureau_latest
            SELECT a.bureau_id, greatest(a.latest, coalesce(e.latest, -1))
            FROM bureau_agg a LEFT JOIN bureau_latest e USING (bureau_id)
        """)

    def _write_new(self) -> None:
        if not self._new:
            return
        self._insert("reports", self._gather("reports"), {"loaded_at": "?::TIMESTAMP"}, [self.loaded_at])
        for table in ("facts", "problems", "validation_issues", "report_cells"):
            self._insert(table, self._gather(table))

    def _gather(self, table: str) -> pa.Table:
        """The rows of ``table`` of the buffered new reports, in order (slices of their chunks)."""
        return pa.concat_tables([chunk.rows(table, start, stop) for chunk, start, stop in _runs(self._new)])

    def _register_carried(self) -> None:
        """The batch's unchanged reports as the temp table ``carried``, numbered in input order."""
        self.con.execute("CREATE OR REPLACE TEMP TABLE carried (report_id VARCHAR, path VARCHAR, "
                         "file_mtime TIMESTAMP, seq BIGINT)")
        rows = [(*c, self._seq + len(self._new) + i) for i, c in enumerate(self._carried)]
        self._insert_lists("carried", rows, ("VARCHAR", "VARCHAR", "TIMESTAMP", "BIGINT"))

    def _write_carried(self) -> None:
        """Copy the unchanged reports' rows from ``old``, a block of ``CARRY_BLOCK`` input positions at a time:
        one copy of them all would sort every fact of the corpus at once, more than the build's memory limit."""
        con = self.con
        first, last = con.execute("SELECT min(seq), max(seq) FROM carried_all").fetchall()[0]
        if first is None:
            return
        for lo in range(first, last + 1, CARRY_BLOCK):
            con.execute("CREATE OR REPLACE TEMP TABLE carried_block AS SELECT * FROM carried_all "
                        "WHERE seq >= ? AND seq < ?", [lo, lo + CARRY_BLOCK])
            self._copy_block()
        con.execute("DROP TABLE IF EXISTS carried_block")

    def _copy_block(self) -> None:
        con = self.con
        con.execute("""
            INSERT INTO reports
            SELECT r.* REPLACE (k.path AS path, coalesce(k.file_mtime, r.file_mtime) AS file_mtime)
            FROM carried_block k JOIN old.reports r USING (report_id) ORDER BY k.seq
        """)
        con.execute(f"""
            INSERT INTO facts ({_FACT_COLUMNS}, corrected, original_value, correction_id)
            SELECT {", ".join("f." + c for c in COLUMNS["facts"])}, f.corrected, f.original_value, f.correction_id
            FROM carried_block k JOIN old.facts f USING (report_id)
            WHERE NOT list_contains(coalesce(f.flags, []), 'added_by_correction')
            ORDER BY k.seq, f.fact_id
        """)
        con.execute("INSERT INTO problems SELECT p.* FROM carried_block k JOIN old.problems p USING (report_id) "
                    "ORDER BY k.seq")
        con.execute("INSERT INTO validation_issues SELECT v.* FROM carried_block k "
                    "JOIN old.validation_issues v USING (report_id) WHERE v.rule NOT IN (SELECT unnest(?::VARCHAR[])) "
                    "ORDER BY k.seq", [list(DERIVED_RULES)])
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'old' "
                       "AND table_name = 'report_cells'").fetchall()[0][0]:  # else etl.summary computes them
            con.execute(f"INSERT INTO report_cells SELECT {', '.join('c.' + n for n in CELL_COLUMNS)} "
                        "FROM carried_block k JOIN old.report_cells c USING (report_id)")


def insert_lists(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple], types: tuple[str, ...]) -> None:
    """Insert small rows as parallel lists (no Arrow, which would make pyarrow import pandas)."""
    columns = list(zip(*rows, strict=True))
    unnests = ", ".join(f"unnest(?::{t}[])" for t in types)
    con.execute(f"INSERT INTO {table} SELECT {unnests}", [list(c) for c in columns])


def _runs(refs: list[RowsRef]) -> list[tuple[RowChunk, int, int]]:
    """Consecutive reports of one chunk as ``(chunk, start, stop)``."""
    runs: list[tuple[RowChunk, int, int]] = []
    for ref in refs:
        if runs and runs[-1][0] is ref.chunk and runs[-1][2] == ref.index:
            runs[-1] = (ref.chunk, runs[-1][1], ref.index + 1)
        else:
            runs.append((ref.chunk, ref.index, ref.index + 1))
    return runs
