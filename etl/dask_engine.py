"""The extraction mapped over a Dask cluster (``dask.distributed``), for corpora beyond one machine.

Takes a scheduler address (``tcp://host:8786``; none starts a local cluster of ``workers``
processes); gives an engine for ``etl.load.build_database`` that sends ``etl.parallel.extract_task``
to the cluster in chunks of ``chunk`` files and hands the results back in input order. Everything
else, the DuckDB writes, versions, corrections and the Parquet export, is the same code as on one
machine, so the output is the same: only the extraction, the costly part, is distributed. The
workers must be able to import this project (install it, or start them from the repository) and
read the report files at the same paths (a shared file system). Dask is imported here only, when
this engine is used.
"""

from __future__ import annotations

from typing import Any

from etl.parallel import Extracted, Task, extract_chunk, failed, plain_main

RESULT_TIMEOUT = 3600


class DaskEngine:
    def __init__(self, scheduler: str | None = None, workers: int | None = None, chunk: int = 8) -> None:
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
        threads = sum(self.client.nthreads().values()) or 1
        self.chunk = max(1, chunk)
        self.window = threads * self.chunk * 4
        self._filling: dict[str, Any] | None = None

    def submit(self, task: Task) -> tuple[dict[str, Any], int]:
        """A place in a chunk; the chunk goes to the cluster when full or when its first result is needed."""
        if self._filling is None:
            self._filling = {"tasks": [], "future": None, "results": None}
        chunk = self._filling
        chunk["tasks"].append(task)
        index = len(chunk["tasks"]) - 1
        if index + 1 >= self.chunk:
            self._send()
        return chunk, index

    def _send(self) -> None:
        chunk, self._filling = self._filling, None
        if chunk is not None:
            chunk["future"] = self.client.submit(extract_chunk, chunk.pop("tasks"), pure=False)

    def result(self, handle: tuple[dict[str, Any], int], task: Task) -> Extracted:
        chunk, index = handle
        if chunk["future"] is None:
            self._send()
        if chunk["results"] is None:
            try:
                chunk["results"] = chunk["future"].result(timeout=RESULT_TIMEOUT)
            except Exception as exc:  # a worker died or the cluster went away
                chunk["results"] = exc
            chunk["future"].release()
        if isinstance(chunk["results"], Exception):
            error = chunk["results"]
            return failed(task, f"the Dask cluster could not extract this file: {type(error).__name__}: {error}")
        return chunk["results"][index]

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
