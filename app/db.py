"""Opening the report database read-only and running cached, parameterized queries on it.

Takes the database path from the environment variable ``DISCLOSURE_DB`` (default
``data/disclosure.duckdb``; a relative path is taken from the repository root); gives
``query(sql, params)`` → ``pandas.DataFrame``, ``columns(table)`` (which columns a table or view
has, so queries can use columns added by later schema versions), ``sandbox()`` (a locked-down
connection for the analysts' SQL page) and ``database_path()`` / ``database_exists()``.

The file is attached to a fresh in-memory DuckDB connection (``ATTACH … (READ_ONLY)``), never
opened directly: DuckDB reuses an already open database instance for the same path within a
process, so a file swapped in by the ETL's ``os.replace`` would otherwise go unseen. Connections
and results are cached per file modification time, so a swapped file is picked up on the next
query. Each query runs on its own cursor, because Streamlit runs sessions in parallel threads
and a DuckDB connection refuses concurrent calls.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("data") / "disclosure.duckdb"
ENV_VAR = "DISCLOSURE_DB"
CATALOG = "rpt"

Params = Mapping[str, Any]


def database_path() -> Path:
    """The database file the dashboard reads."""
    path = Path(os.environ.get(ENV_VAR) or DEFAULT_DB).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path


def database_exists() -> bool:
    return database_path().is_file()


def _stamp(path: Path) -> int:
    return path.stat().st_mtime_ns


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=2, on_release=_close, show_spinner=False)
def _connection(path: str, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the file attached read-only; one per file version."""
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {CATALOG} (READ_ONLY)", [path])
    return con


def _freeze(params: Params | None) -> tuple[tuple[str, Any], ...]:
    """Parameters as a hashable, order-independent tuple (lists become tuples)."""
    items = (params or {}).items()
    return tuple(sorted((k, tuple(v) if isinstance(v, list | tuple) else v) for k, v in items))


@st.cache_data(max_entries=1024, show_spinner=False)
def _run(path: str, mtime_ns: int, sql: str, frozen: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    params = {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}
    cur = _connection(path, mtime_ns).cursor()
    try:
        cur.execute(f"USE {CATALOG}")
        return cur.execute(sql, params).df()
    finally:
        cur.close()


def query(sql: str, params: Params | None = None) -> pd.DataFrame:
    """Run one SELECT with named ``$parameters`` and return its rows (cached per file version)."""
    path = database_path()
    return _run(str(path), _stamp(path), sql, _freeze(params))


_COLUMNS = """
SELECT table_name, column_name FROM information_schema.columns WHERE table_catalog = $catalog
"""


# A resource, not data: every query asks which columns exist, and a cache_data hit unpickles a copy of
# this whole map (a millisecond or more each time). Callers only read it.
@st.cache_resource(max_entries=8, show_spinner=False)
def _columns(path: str, mtime_ns: int) -> dict[str, frozenset[str]]:
    df = _run(path, mtime_ns, _COLUMNS, (("catalog", CATALOG),))
    return {str(t): frozenset(g["column_name"]) for t, g in df.groupby("table_name")}


def columns(table: str) -> frozenset[str]:
    """The columns of a table or view of the database (empty when it has no such table)."""
    path = database_path()
    return _columns(str(path), _stamp(path)).get(table, frozenset())


@st.cache_resource(max_entries=2, on_release=_close, show_spinner=False)
def _sandbox(path: str, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    """The file attached read-only to a connection that can reach nothing else and cannot be reconfigured."""
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {CATALOG} (READ_ONLY)", [path])
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET threads = 2")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def sandbox() -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the analysts' connection: read-only database, no files, no extensions, no settings."""
    path = database_path()
    cur = _sandbox(str(path), _stamp(path)).cursor()
    cur.execute(f"USE {CATALOG}")
    return cur


def clear_caches() -> None:
    """Forget cached connections and results (tests use this between fixture databases)."""
    _run.clear()
    _columns.clear()
    _connection.clear()
    _sandbox.clear()
