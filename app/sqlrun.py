"""Analysts' own read-only SQL: one SELECT, a row limit, a time limit, clear errors.

Takes a SQL text; ``check(sql)`` gives ``None`` when it is one query statement, else a
``Refusal`` (a message key of ``app.i18n`` and what to fill in); ``run(sql, limit, timeout)``
gives a ``Result``: the first ``limit`` rows, whether there were more, the time taken, or the
error. Statements run on ``app.db.sandbox()``: the database attached read-only to a connection
that can open no file, load no extension and change no setting, so even a query that slipped
past ``check`` could not write or read outside the database. DDL, DML, ATTACH, COPY, INSTALL,
LOAD, PRAGMA, SET and every other non-query statement are refused before they reach DuckDB.
A timer thread interrupts a query that runs past the time limit.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from app import db

DEFAULT_LIMIT = 1000
LIMITS = (100, 1000, 10000)
TIMEOUT_SECONDS = 10.0
MAX_CHARS = 20000
ALLOWED = {duckdb.StatementType.SELECT}


@dataclass(frozen=True)
class Refusal:
    key: str
    detail: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    data: pd.DataFrame | None
    truncated: bool = False
    seconds: float = 0.0
    error: Refusal | None = None


def _statement_name(kind: object) -> str:
    return str(getattr(kind, "name", kind)).upper()


def check(sql: str) -> Refusal | None:
    """``None`` when ``sql`` is exactly one query statement, else why it is refused."""
    text = (sql or "").strip()
    if not text:
        return Refusal("sql.empty")
    if len(text) > MAX_CHARS:
        return Refusal("sql.too_long", {"n": str(MAX_CHARS)})
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.Error as exc:
        return Refusal("sql.syntax", {"error": _first_line(exc)})
    if not statements:
        return Refusal("sql.empty")
    if len(statements) > 1:
        return Refusal("sql.one_statement", {"n": str(len(statements))})
    kind = statements[0].type
    if kind not in ALLOWED:
        word = statements[0].query.strip().split(None, 1)[0].upper() if statements[0].query.strip() else ""
        return Refusal("sql.not_select", {"kind": word or _statement_name(kind)})
    return None


def _first_line(exc: BaseException) -> str:
    lines = [ln for ln in str(exc).splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__


def _error(exc: BaseException, timeout: float) -> Refusal:
    if isinstance(exc, duckdb.InterruptException):
        return Refusal("sql.timeout", {"seconds": f"{timeout:g}"})
    if isinstance(exc, duckdb.PermissionException):
        return Refusal("sql.permission", {"error": _first_line(exc)})
    if isinstance(exc, duckdb.ParserException):
        return Refusal("sql.syntax", {"error": _first_line(exc)})
    if isinstance(exc, duckdb.CatalogException | duckdb.BinderException):
        return Refusal("sql.unknown_name", {"error": _first_line(exc)})
    if isinstance(exc, duckdb.OutOfMemoryException):
        return Refusal("sql.memory", {})
    return Refusal("sql.failed", {"error": _first_line(exc)})


def run(sql: str, limit: int = DEFAULT_LIMIT, timeout: float = TIMEOUT_SECONDS) -> Result:
    """Run one checked query on the sandbox; at most ``limit`` rows, interrupted after ``timeout`` seconds."""
    refusal = check(sql)
    if refusal is not None:
        return Result(None, error=refusal)
    cur = db.sandbox()
    timer = threading.Timer(timeout, cur.interrupt)
    start = time.perf_counter()
    timer.start()
    try:
        rel = cur.sql(sql.strip().rstrip(";"))
        if rel is None:
            return Result(None, error=Refusal("sql.not_select", {"kind": "?"}))
        df = rel.limit(limit + 1).df()
    except duckdb.Error as exc:
        return Result(None, seconds=time.perf_counter() - start, error=_error(exc, timeout))
    finally:
        timer.cancel()
        cur.close()
    truncated = len(df) > limit
    return Result(df.head(limit), truncated, time.perf_counter() - start)
