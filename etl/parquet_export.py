"""The database as Parquet files, partitioned by year and province, readable by any engine.

Takes an open DuckDB connection (or a database path) and a folder; gives the folder with

- ``reports/``, ``facts/``, ``problems/``, ``validation_issues/``: one row per report or per
  report's row, with the report's ``year`` and its bureau's ``province`` added, written by
  ``COPY … (FORMAT parquet, PARTITION_BY (year, province))`` as
  ``<table>/year=2023/province=<percent-encoded name>/data_0.parquet`` (an unknown year or
  province is ``__HIVE_DEFAULT_PARTITION__``); facts also carry the report's ``is_active`` and
  ``version``;
- ``bureaus.parquet``, ``corrections.parquet``, ``ingest_log.parquet``, ``meta.parquet``.

Read it back with ``read_parquet('<dir>/facts/**/*.parquet', hive_partitioning = true)`` in DuckDB,
``pyarrow.dataset.dataset('<dir>/facts', partitioning='hive')``, Spark or Polars. The folder is
written beside as ``<dir>.tmp-…`` and then renamed over the old one, so a reader sees a whole
export, old or new (only for the instant between the two renames is there none).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from etl.store_swap import clean_stale, read_only, temp_path

_WITH_PLACE = "JOIN reports r USING (report_id) LEFT JOIN bureaus b ON b.bureau_id = r.bureau_id"
PARTITIONED = {
    "reports": "SELECT r.*, b.province FROM reports r LEFT JOIN bureaus b ON b.bureau_id = r.bureau_id "
               "ORDER BY r.report_id",
    "facts": f"SELECT f.*, r.year, b.province, r.is_active, r.version FROM facts f {_WITH_PLACE} ORDER BY f.fact_id",
    "problems": f"SELECT p.*, r.year, b.province FROM problems p {_WITH_PLACE} "
                "ORDER BY p.report_id, p.start_offset, p.theme",
    "validation_issues": f"SELECT v.*, r.year, b.province FROM validation_issues v {_WITH_PLACE} "
                         "ORDER BY v.report_id, v.rule, v.message",
}
PLAIN = {
    "bureaus": "SELECT * FROM bureaus ORDER BY bureau_id",
    "corrections": "SELECT * FROM corrections ORDER BY corrected_at, correction_id",
    "ingest_log": "SELECT * FROM ingest_log",
    "meta": "SELECT * FROM meta ORDER BY key",
}


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Write every table into ``folder`` (which must not exist yet)."""
    folder.mkdir(parents=True)
    for table, query in PARTITIONED.items():
        con.execute(f"COPY ({query}) TO {_literal(folder / table)} "
                    "(FORMAT parquet, PARTITION_BY (year, province), COMPRESSION zstd)")
    for table, query in PLAIN.items():
        con.execute(f"COPY ({query}) TO {_literal(folder / f'{table}.parquet')} (FORMAT parquet, COMPRESSION zstd)")


def export_parquet(source: duckdb.DuckDBPyConnection | str | Path, out_dir: str | Path) -> Path:
    """Export the database (an open connection or a file) to ``out_dir``, replacing what is there."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out_dir)
    tmp = temp_path(out_dir)
    try:
        if isinstance(source, duckdb.DuckDBPyConnection):
            write_parquet(source, tmp)
        else:
            with read_only(Path(source)) as con:
                write_parquet(con, tmp)
        replace_folder(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def replace_folder(new: Path, target: Path) -> None:
    old = temp_path(target, "old")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
