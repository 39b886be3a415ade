"""The extraction mapped over a Dask cluster (``dask.distributed``), for corpora beyond one machine.

Takes a scheduler address (``tcp://host:8786``; none starts a local cluster of ``workers``
processes); gives an engine for ``etl.load.build_database`` that sends ``etl.parallel.extract_chunk``
to the cluster in chunks of ``chunk`` files (the rows of each chunk come back as Arrow tables) and
hands the results back in input order; ``map_ordered`` runs the cross-year comparisons there too.
Everything else, the DuckDB writes, versions, corrections and the Parquet export, is the same code
as on one machine, so the output is the same: only the extraction, the costly part, is distributed.
The workers must be able to import this project (install it, or start them from the repository)
and read the report files at the same paths (a shared file system). Dask is imported here only,
when this engine is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from etl.parallel import ChunkedEngine, Extracted, Task, extract_chunk, failed, in_flight, plain_main

RESULT_TIMEOUT = 3600
CHUNK = 32


class DaskEngine(ChunkedEngine):
    def __init__(self, scheduler: str | None = None, workers: int | None = None, chunk: int = CHUNK) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ImportError("the dask engine needs dask.distributed: pip install 'dask[distributed]'") from exc
        self._cluster = None
        if scheduler:
            self.client = Client(scheduler, timeout=60)
        else:
            with plain_main():  # the workers are new processes: see etl.parallel.plain_main
                self._cluster = LocalCluster(n_workers=workers or None, threads_per_worker=1, dashboard_address=None)
            self.client = Client(self._cluster)
        self.threads = sum(self.client.nthreads().values()) or 1
        super().__init__(chunk, self.threads * max(1, chunk) * 4)

    def _send(self, tasks: list[Task]) -> Any:
        return self.client.submit(extract_chunk, tasks, pure=False)

    def _collect(self, future: Any, tasks: list[Task]) -> list[Extracted]:
        try:
            return future.result(timeout=RESULT_TIMEOUT)
        except Exception as exc:  # a worker died or the cluster went away
            reason = f"the Dask cluster could not extract this file: {type(exc).__name__}: {exc}"
            return [failed(task, reason) for task in tasks]
        finally:
            future.release()

    def map_ordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``map(fn, items)`` on the cluster, a few items per worker thread in flight, in order."""
        return in_flight(items, lambda item: self.client.submit(fn, item, pure=False), self._take, self.threads * 2)

    @staticmethod
    def _take(future: Any) -> Any:
        try:
            return future.result(timeout=RESULT_TIMEOUT)
        finally:
            future.release()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
