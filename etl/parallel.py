"""Extracting many files on all cores, in input order, with bounded memory.

Takes ``Task`` records (a file to extract: path or uploaded bytes, content hash, collection, sample
flag, modification time); gives ``Extracted`` records (a ``FileResult`` and, when the file loaded,
its rows) in the order of the tasks. ``extract_task`` is the one function every engine runs on a
file: ``InlineEngine`` runs it in this process (rows as ``ReportRows`` tuples); ``PoolEngine`` (a
``ProcessPoolExecutor``) and the Dask engine of ``etl.dask_engine`` send files in chunks to
``extract_chunk``, which packs the rows of a chunk into Arrow tables in the worker
(``etl.store_rows.RowChunk``: each loaded file's ``rows`` is a ``RowsRef`` into them), so the
process that writes the database only inserts them. ``run_ordered`` keeps at most
``engine.window`` tasks in flight, so memory does not grow with the corpus. A chunk whose worker
process dies (a reader exhausting memory) is run again file by file: the file that kills its
process fails alone, the pool is restarted and the other files load. ``Engine.map_ordered`` runs
other work (the cross-year comparisons of ``etl.crossyear``) on the same processes, in order.

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
from etl.store_rows import ReportRows, RowChunk, RowsRef, arrow_without_pandas, report_id_of, report_rows

MAX_REASON = 300
MAX_QUEUED = 10_000
"""Finished items (unchanged, skipped) waiting behind a slow file before reading further."""
CHUNK = 64
"""Files sent to a worker at a time: the rows of a chunk come back as one Arrow table per table."""
CHUNKS_PER_WORKER = 3
"""Chunks in flight per worker process: one running, the others queued behind it."""


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
    rows: ReportRows | RowsRef | None = None


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


def extract_chunk(tasks: list[Task], fn: Callable[[Task], Extracted] = extract_task) -> list[Extracted]:
    """``fn`` on each task, in order; the rows of those that loaded packed into one ``RowChunk``."""
    done = [fn(task) for task in tasks]
    loaded = [e for e in done if isinstance(e.rows, ReportRows)]
    chunk = RowChunk.pack([e.rows for e in loaded])  # type: ignore[misc]
    for index, extracted in enumerate(loaded):
        extracted.rows = RowsRef(chunk, index)
    return done


class Engine(Protocol):
    window: int

    def submit(self, task: Task) -> Any: ...

    def result(self, handle: Any, task: Task) -> Extracted: ...

    def map_ordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]: ...

    def close(self) -> None: ...


class InlineEngine:
    """Extraction in this process, one file at a time, when it is needed."""

    window = 1

    def submit(self, task: Task) -> Task:
        return task

    def result(self, handle: Task, task: Task) -> Extracted:
        return extract_task(task)

    def map_ordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(fn, items)

    def close(self) -> None:
        pass


@dataclass
class _Chunk:
    tasks: list[Task]
    handle: Any = None
    results: list[Extracted] | None = None


class ChunkedEngine:
    """An engine that sends tasks to ``extract_chunk`` ``chunk`` at a time: when a chunk is full, or
    when a result of a chunk not yet sent is needed. Subclasses send (``_send``) and collect
    (``_collect``) a chunk's results, in order."""

    def __init__(self, chunk: int, window: int) -> None:
        self.chunk = max(1, chunk)
        self.window = window
        self._filling: _Chunk | None = None

    def submit(self, task: Task) -> tuple[_Chunk, int]:
        if self._filling is None:
            self._filling = _Chunk([])
        chunk = self._filling
        chunk.tasks.append(task)
        if len(chunk.tasks) >= self.chunk:
            self._send_filling()
        return chunk, len(chunk.tasks) - 1

    def _send_filling(self) -> None:
        chunk, self._filling = self._filling, None
        if chunk is not None:
            chunk.handle = self._send(chunk.tasks)

    def result(self, handle: tuple[_Chunk, int], task: Task) -> Extracted:
        chunk, index = handle
        if chunk is self._filling:
            self._send_filling()
        if chunk.results is None:
            chunk.results = self._collect(chunk.handle, chunk.tasks)
            chunk.handle = None
        return chunk.results[index]

    def _send(self, tasks: list[Task]) -> Any:
        raise NotImplementedError

    def _collect(self, handle: Any, tasks: list[Task]) -> list[Extracted]:
        raise NotImplementedError


def in_flight(items: Iterable[Any], send: Callable[[Any], Any], take: Callable[[Any], Any],
              limit: int) -> Iterator[Any]:
    """``take(send(item))`` for each item, in order, with up to ``limit`` items sent ahead (``map_ordered``)."""
    pending: deque[Any] = deque()
    for item in items:
        pending.append(send(item))
        if len(pending) > limit:
            yield take(pending.popleft())
    while pending:
        yield take(pending.popleft())


def warm_up() -> None:
    """Build the extractor's lazily built tables before the first real file."""
    from etl.extract import extract_document
    from etl.model import Document

    text = "某某市某某县教育局2020年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息12条。\n"
    extract_document(Document("warm-up.txt", text, "txt"), "0" * 64)


def _worker_init(parent: int) -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    arrow_without_pandas()
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


class PoolEngine(ChunkedEngine):
    """Extraction in ``workers`` processes, started at the first file to extract, ``chunk`` files per task.

    ``fn`` extracts one file (``extract_task``); the workers run it through ``extract_chunk``.
    """

    def __init__(self, workers: int | None = None, fn: Callable[[Task], Extracted] = extract_task,
                 chunk: int = CHUNK) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        super().__init__(chunk, self.workers * max(1, chunk) * CHUNKS_PER_WORKER)
        self.fn = fn
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if self._context.get_start_method() == "forkserver":
            self._context.set_forkserver_preload(["etl.extract", "etl.store_rows"])  # shared by the workers
        self._generation = 0
        self._pool: ProcessPoolExecutor | None = None

    def _submit(self, fn: Callable[..., Any], *args: Any) -> tuple[int, Future]:
        for _attempt in range(2):
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=self._context, initializer=_worker_init,
                                                 initargs=(os.getpid(),))
            try:
                with plain_main():
                    return self._generation, self._pool.submit(fn, *args)
            except BrokenProcessPool:
                self._restart(self._generation)
        raise BrokenProcessPool("the extraction processes cannot be started")

    def _restart(self, generation: int) -> None:
        """Replace the pool that ``generation`` ran on, unless that was done already."""
        if generation == self._generation and self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._generation += 1
            self._pool = None

    def _send(self, tasks: list[Task]) -> tuple[int, Future]:
        return self._submit(extract_chunk, tasks, self.fn)

    def _collect(self, handle: tuple[int, Future], tasks: list[Task]) -> list[Extracted]:
        """The chunk's results; when its process died (or it failed as a whole), each file run alone."""
        generation, future = handle
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart(generation)
        except Exception:  # e.g. a row that does not fit its column: found file by file
            pass
        return [self._alone(task) for task in tasks]

    def _alone(self, task: Task) -> Extracted:
        """One file of a chunk that did not come back, by itself: failed if it kills its process again."""
        generation, future = self._submit(extract_chunk, [task], self.fn)
        try:
            return future.result()[0]
        except BrokenProcessPool:
            self._restart(generation)
            return failed(task, "the extraction process died on this file (out of memory or a crash)")
        except Exception as exc:  # its rows could not be packed or sent
            return failed(task, f"extraction error: {type(exc).__name__}: {exc}")

    def map_ordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``map(fn, items)`` on the workers, a few items in flight; here when no worker was started."""
        if self._pool is None:
            yield from map(fn, items)
            return
        yield from in_flight(items, lambda item: (item, self._submit(fn, item)),
                             lambda sent: self._mapped(fn, *sent), self.workers * CHUNKS_PER_WORKER)

    def _mapped(self, fn: Callable[[Any], Any], item: Any, handle: tuple[int, Future]) -> Any:
        generation, future = handle
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart(generation)
            return fn(item)

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
