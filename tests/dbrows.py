"""Reading a built database in tests without holding a lock on it."""

from __future__ import annotations

from pathlib import Path

import duckdb


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """The rows of one query on `db`, read through a fresh in-memory connection that attaches it read-only."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS db (READ_ONLY)", [str(db)])
        con.execute("USE db")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
