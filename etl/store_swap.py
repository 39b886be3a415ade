"""Replacing the database file so that no reader ever sees a half-written one.

Takes the path of the live database; gives ``temp_path`` (a build file beside it, named
``<db>.tmp-<pid>-<random>``), ``swap_in`` (``os.replace``: atomic, readers keep the file they
opened), ``clean_stale`` (removes build files a killed process left behind), and two locks on
files beside the database: ``writer_lock`` (one writer at a time: an ingest, an upload, a
correction) and ``journal_lock`` (held briefly around the corrections journal; see
``etl.corrections``). The live file is only ever read, copied or replaced, never written in place,
so a process killed at any moment leaves the previous database intact.

Locks use ``fcntl.flock`` and are released by the kernel when their process dies; where ``fcntl``
is missing (Windows) they do nothing.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_TMP_PID = re.compile(r"\.(?:tmp|old)-(\d+)")


class Lock:
    """An exclusive ``flock`` on ``path``; ``release`` may be called early and more than once."""

    def __init__(self, path: Path, blocking: bool = True) -> None:
        self.path = path
        self._fd: int | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is None:
            self._fd = fd
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def writer_lock(db_path: Path, blocking: bool = True) -> Lock:
    """Held by whoever writes a new database file; raises ``BlockingIOError`` when busy and not ``blocking``."""
    return Lock(Path(f"{db_path}.lock"), blocking)


def journal_lock(db_path: Path) -> Lock:
    return Lock(Path(f"{db_path}.journal.lock"))


def temp_path(path: Path, suffix: str = "tmp") -> Path:
    return path.with_name(f"{path.name}.{suffix}-{os.getpid()}-{uuid.uuid4().hex[:8]}")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def clean_stale(path: Path) -> list[Path]:
    """Remove ``<path>.tmp-*`` / ``.old-*`` files and folders of processes no longer running; gives them."""
    removed = []
    if not path.parent.is_dir():
        return removed
    for stale in path.parent.glob(f"{glob_escape(path.name)}.*"):
        match = _TMP_PID.match(stale.name[len(path.name):])
        if not match or _pid_alive(int(match.group(1))):
            continue
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
        removed.append(stale)
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def remove_db_file(path: Path) -> None:
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)


def swap_in(tmp: Path, target: Path) -> None:
    """Move the finished file ``tmp`` over ``target`` in one step, and make the rename durable."""
    os.replace(tmp, target)
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def building(target: Path) -> Iterator[Path]:
    """A temp path beside ``target``, removed (with its WAL) unless the caller swapped it in."""
    tmp = temp_path(target)
    try:
        yield tmp
    finally:
        if tmp.exists() or Path(f"{tmp}.wal").exists():
            remove_db_file(tmp)


@contextlib.contextmanager
def read_only(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the live file, attached read-only to a fresh in-memory database.

    Never ``duckdb.connect(db_path)``: DuckDB reuses an instance already open in this process for the
    same path, which would still show the file from before the last swap.
    """
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"no database at {db_path}: run python -m etl ingest first")
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS live (READ_ONLY)", [str(db_path)])
        con.execute("USE live")
        yield con
    finally:
        con.close()


BUILD_MEMORY = "256MB"
"""DuckDB's memory for writing a database file (it caches freely otherwise), while the extraction
processes run beside it: inserting needs little, and what it caches of the written tables grows with
the corpus up to this limit."""
SUMMARY_MEMORY = "512MB"
"""DuckDB's memory once the extraction processes are gone: building the summary tables of 100,000
reports needs more than ``BUILD_MEMORY``."""


BUILD_THREADS = 1
"""DuckDB's threads while extraction processes run beside it: a batch's inserts are small, and a
second thread only takes a core from the extraction (the same inserts took about a third more CPU)."""


def connect_build(path: Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a database file being built (never the live one); ``threads``
    (default: one per core) is ``BUILD_THREADS`` while extraction processes run beside it."""
    return duckdb.connect(str(path), config={"memory_limit": BUILD_MEMORY, "threads": threads or os.cpu_count() or 1})


def use_every_core(con: duckdb.DuckDBPyConnection) -> None:
    """Lift ``BUILD_THREADS`` once nothing is extracted any more (copying unchanged reports, the summary)."""
    con.execute(f"SET threads = {os.cpu_count() or 1}")


def allow_summary_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Ready a build connection for the summary: a checkpoint writes out the indexes its inserts built
    (the primary keys of ``reports`` and ``bureaus``, otherwise held in memory), and the memory limit
    is raised to ``SUMMARY_MEMORY``."""
    con.execute("CHECKPOINT")
    con.execute(f"SET memory_limit = '{SUMMARY_MEMORY}'")
