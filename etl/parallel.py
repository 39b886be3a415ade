"""Extracting many files on all cores, in input order, with bounded memory.

Takes ``Task`` records (a file to extract: path or uploaded bytes, content hash, collection, sample
flag, modification time); gives ``Extracted`` records (a ``FileResult`` and, when the file loaded,
its ``ReportRows``) in the order of the tasks. ``extract_task`` is the one function every engine
runs: ``InlineEngine`` (this process), ``PoolEngine`` (a ``ProcessPoolExecutor``) or the Dask engine
of ``etl.dask_engine``. ``run_ordered`` keeps at most ``engine.window`` tasks in flight, so memory
does not grow with the corpus. A file that kills its worker process (a reader exhausting memory)
fails alone: the pool is restarted and the other files are retried.

The extraction stack is imported only where a file is extracted (a worker, or this process for
``InlineEngine``), and the pool starts at the first file to extract, so a re-run with nothing
changed starts no workers and imports no extractor. Workers come from a fork server (a clean
process that imported the extractor once), never forked from a process that has DuckDB threads.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from etl.model import ReadError
from etl.readers import content_hash, read_bytes
from etl.store_rows import ReportRows, report_id_of, report_rows

MAX_REASON = 300
MAX_QUEUED = 10_000
"""Finished items (unchanged, skipped) waiting behind a slow file before reading further."""


@dataclass
class FileResult:
    path: str
    status: str  # loaded, unchanged, skipped, failed
    reason: str = ""
    report_id: str | None = None


@dataclass
class Task:
    """One file to extract; ``data`` holds the bytes of an upload, otherwise the worker reads ``path``."""

    path: str
    digest: str
    collection: str | None = None
    is_sample: bool = False
    mtime: datetime | None = None
    data: bytes | None = None
    label: str | None = None  # what the result line shows, when not the path


@dataclass
class Extracted:
    result: FileResult
    rows: ReportRows | None = None


def one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def failed(task: Task, reason: str) -> Extracted:
    return Extracted(FileResult(task.label or task.path, "failed", one_line(reason)))


def extract_task(task: Task) -> Extracted:
    """Read and extract one file; any error becomes a failed result with a one-line reason."""
    from etl.extract import extract_file

    try:
        data = read_bytes(task.path, task.data)
        if content_hash(data) != task.digest:
            return failed(task, "the file changed during the ingest; run it again")
        report = extract_file(task.path, data)
    except ReadError as exc:
        return failed(task, str(exc))
    except Exception as exc:  # one bad file must not stop the batch
        return failed(task, f"extraction error: {type(exc).__name__}: {exc}")
    rows = report_rows(report, task.path, task.collection, task.is_sample, task.mtime)
    note = f"{report.bureau.canonical or report.bureau.name or 'bureau unknown'}, {report.year or 'year unknown'}"
    return Extracted(FileResult(task.label or task.path, "loaded", note, report_id_of(task.digest)), rows)


def extract_chunk(tasks: list[Task]) -> list[Extracted]:
    return [extract_task(t) for t in tasks]


class Engine(Protocol):
    window: int

    def submit(self, task: Task) -> Any: ...

    def result(self, handle: Any, task: Task) -> Extracted: ...

    def close(self) -> None: ...


class InlineEngine:
    """Extraction in this process, one file at a time, when it is needed."""

    window = 1

    def submit(self, task: Task) -> Task:
        return task

    def result(self, handle: Task, task: Task) -> Extracted:
        return extract_task(task)

    def close(self) -> None:
        pass


def warm_up() -> None:
    """Build the extractor's lazily built tables before the first real file."""
    from etl.extract import extract_document
    from etl.model import Document

    text = "某某市某某县教育局2020年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息12条。\n"
    extract_document(Document("warm-up.txt", text, "txt"), "0" * 64)


def _worker_init(parent: int) -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    warm_up()


def _exit_with(parent: int) -> None:
    """End this worker when the process that started the ingest is gone, even killed with SIGKILL."""
    while True:
        time.sleep(1)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except OSError:
            pass


@contextmanager
def plain_main() -> Iterator[None]:
    """Start child processes without re-running the caller's ``__main__`` file.

    A new worker (and the fork server) re-imports the parent's main module from its path. Under
    Streamlit or its AppTest that module is a page script, which must not run in a worker: while
    processes start, ``__main__`` is an empty module. A main run with ``-m`` (``python -m etl``)
    is imported by name and skipped by multiprocessing itself, so it is left as it is.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None or not getattr(main, "__file__", None):
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


class PoolEngine:
    """Extraction in ``workers`` processes, started at the first file to extract."""

    def __init__(self, workers: int | None = None, fn: Callable[[Task], Extracted] = extract_task) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.fn = fn
        self.window = self.workers * 4
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if self._context.get_start_method() == "forkserver":
            self._context.set_forkserver_preload(["etl.extract"])
        self._generation = 0
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, task: Task) -> tuple[int, Future]:
        for _attempt in range(2):
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=self._context, initializer=_worker_init,
                                                 initargs=(os.getpid(),))
            try:
                with plain_main():
                    return self._generation, self._pool.submit(self.fn, task)
            except BrokenProcessPool:
                self._restart(self._generation)
        raise BrokenProcessPool("the extraction processes cannot be started")

    def _restart(self, generation: int) -> None:
        """Replace the pool that ``generation`` ran on, unless that was done already."""
        if generation == self._generation and self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._generation += 1
            self._pool = None

    def result(self, handle: tuple[int, Future], task: Task) -> Extracted:
        """The task's result; a task whose process died is run once more, alone, before it is failed."""
        generation, future = handle
        for attempt in range(2):
            try:
                return future.result()
            except BrokenProcessPool:
                self._restart(generation)
                if attempt == 0:
                    generation, future = self.submit(task)
        return failed(task, "the extraction process died on this file (out of memory or a crash)")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def run_ordered(items: Iterable[Any], engine: Engine) -> Iterator[Any]:
    """Each ``Task`` in ``items`` replaced by its ``Extracted``, other items passed through, in order."""
    queue: deque[tuple[Any, Any]] = deque()
    in_flight = 0
    source = iter(items)
    exhausted = False
    while True:
        while not exhausted and in_flight < engine.window and len(queue) < MAX_QUEUED:
            item = next(source, None)
            if item is None:
                exhausted = True
            elif isinstance(item, Task):
                queue.append((item, engine.submit(item)))
                in_flight += 1
            else:
                queue.append((item, None))
        if not queue:
            return
        item, handle = queue.popleft()
        if isinstance(item, Task):
            in_flight -= 1
            yield engine.result(handle, item)
        else:
            yield item
