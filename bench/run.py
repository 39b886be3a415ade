"""Benchmarks of extraction, ingest and the dashboard's queries: ``python -m bench.run`` (``make bench``).

Parts, each on synthetic data from ``bench.generate`` (texts) or ``bench.synthdb`` (databases):

a. extraction throughput per era (free text, 2019 template, 2021 template) with
   ``etl.extract.extract_document``: one process (with tracemalloc's peak for a sample) and a process
   pool over every core; peak RSS; where the time goes (cProfile of the stages); how well the
   extracted values agree with the generator's manifest;
b. ingest of 1,000 and 10,000 report files with ``etl.load.build_database`` in a child process
   (time, peak RSS, database size), then the same ingest again with nothing changed;
c. ``--full``: the same for 100,000 files;
d. each dashboard page's queries (the ``app.queries`` functions its file in ``pages/`` calls, plus
   the sidebar's) p50/p95 on synthetic databases of 10,000, 100,000 and 1,000,000 reports, for four
   typical filters: the whole country, one province over 2019–2024, one city, six bureaus;
e. the same page aggregations in pandas over CSV files of the facts, and the ratio.

Modes: ``--quick`` (minutes: small samples, ingest of 1,000, queries at 10,000), the default
(ingest of 1,000 and 10,000, queries at 10,000 / 100,000 / 1,000,000) and ``--full`` (adds the
100,000-file ingest). Sizes can be set one by one. Results go to
``bench/results/<date>-<mode>.json`` and ``bench/results/latest.md``. Targets are reported, not
asserted. Generated corpora and databases live in ``--workdir`` (default: a folder in the
system's temporary directory) and are reused while the generator, the seed and the schema stay the
same.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import hashlib
import inspect
import json
import logging
import math
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import generate as gen

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "disclosure-bench"

MODES: dict[str, dict[str, Any]] = {
    "quick": {"extract_n": 150, "ingest_sizes": [1000], "query_sizes": [10000], "repeats": 5,
              "pandas_max": 10000, "page_budget": 5.0},
    "default": {"extract_n": 600, "ingest_sizes": [1000, 10000], "query_sizes": [10000, 100000, 1000000],
                "repeats": 15, "pandas_max": 100000, "page_budget": 20.0},
    "full": {"extract_n": 1000, "ingest_sizes": [1000, 10000, 100000], "query_sizes": [10000, 100000, 1000000],
             "repeats": 20, "pandas_max": 100000, "page_budget": 30.0},
}
TARGETS = {
    "reports_per_second_per_core": 300,
    "ingest_100k_seconds": 300,
    "peak_memory_mb": 1024,
    "page_queries_ms_at_1m": 150,
}
ERAS: dict[str, tuple[int, int]] = {"free_text": (2008, 2018), "template_2019": (2019, 2020),
                                     "template_2021": (2021, 2024)}
STAGES = (
    ("normalize", "normalize.py", "normalize"),
    ("sections", "sections.py", "split_sections"),
    ("tables", "tables.py", "parse_tables"),
    ("prose", "prose.py", "extract_prose"),
    ("headlines", "headlines.py", "choose_headlines"),
    ("problems", "problems.py", "tag_problems"),
    ("bureau", "bureau.py", "identify_bureau"),
    ("aggregate", "bureau.py", "is_aggregate_report"),
    ("year", "dates.py", "find_year"),
    ("validate", "validate.py", "validate"),
)
ARITHMETIC_RULES = ("V1", "V2", "V3", "V4", "parts_categories")


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size (ru_maxrss, KiB on Linux) in MiB."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def current_rss_mb() -> float | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    k = (len(ordered) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def cores() -> int:
    with contextlib.suppress(AttributeError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _busy_seconds() -> float | None:
    """CPU seconds the whole machine has been busy (all processes), from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class Contention:
    """How many cores other processes kept busy while a measurement ran (the machine may be shared).

    Busy CPU time of the whole machine minus this process's and its waited-for children's.
    """

    def __enter__(self) -> Contention:
        self._t0, self._w0, self._b0 = os.times(), time.perf_counter(), _busy_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        t1, wall, b1 = os.times(), time.perf_counter() - self._w0, _busy_seconds()
        own = sum(getattr(t1, k) - getattr(self._t0, k) for k in ("user", "system", "children_user",
                                                                     "children_system"))
        self.other_cores = (round(max(0.0, (b1 - self._b0 - own) / wall), 2)
                            if b1 is not None and self._b0 is not None and wall > 0 else None)


# --- machine --------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    import duckdb
    import pandas as pd

    info: dict[str, Any] = {
        "cores": cores(), "cpu_count": os.cpu_count(), "python": platform.python_version(),
        "duckdb": duckdb.__version__, "pandas": pd.__version__, "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    with contextlib.suppress(OSError):
        model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        if model:
            info["cpu"] = model.group(1).strip()
    with contextlib.suppress(Exception):
        import streamlit

        info["streamlit"] = streamlit.__version__
    with contextlib.suppress(Exception):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                timeout=10)
        info["commit"] = commit.stdout.strip() or None
    return info


# --- (a) extraction -------------------------------------------------------------------------

def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _extract(items: Iterable[tuple[str, str, str]]) -> int:
    from etl.extract import extract_document
    from etl.model import Document

    n = 0
    for path, text, digest in items:
        extract_document(Document(path, text, "txt"), digest)
        n += 1
    return n


_WARM = False


def _warm_worker(pause: float = 0.0) -> int:
    """Load the extractor's tables in this process (gazetteer, patterns) before timing."""
    global _WARM
    if not _WARM:
        _extract((s.relpath, s.text, "0" * 64) for s in gen.generate(6, 991))
        _WARM = True
    time.sleep(pause)
    return os.getpid()


def _pool_chunk(chunk: list[tuple[str, str, str]]) -> tuple[int, float]:
    start = time.perf_counter()
    n = _extract(chunk)
    return n, time.perf_counter() - start


def _compact(report: Any) -> dict[str, Any]:
    """What the agreement check reads from a Report."""
    return {
        "year": report.year, "era": report.era, "province": report.bureau.province, "kind": report.bureau.kind,
        "heads": {f.metric: f.value for f in report.facts if f.headline and f.metric != "channel"},
        "cells": {f"table{f.table}:{f.row}:{f.column}": f.raw for f in report.facts if f.table},
        "rules": {i.rule for i in report.issues if i.rule in ARITHMETIC_RULES and i.severity in ("error", "warning")},
    }


def _agreement(pairs: list[tuple[gen.Synthetic, dict[str, Any]]]) -> dict[str, Any]:
    """How often the extracted values equal the manifest's truth."""
    checks: dict[str, list[bool]] = {}
    broken_found: list[bool] = []
    false_alarms: list[bool] = []
    for s, r in pairs:
        t = s.truth
        for key in ("year", "era", "province", "kind"):
            checks.setdefault(key, []).append(r[key] == t[key])
        for metric in ("proactive_total", "applications_received", "reconsideration", "litigation"):
            checks.setdefault(metric, []).append(r["heads"].get(metric) == t.get(metric))
        if s.cells:
            checks.setdefault("template_cells_all_equal", []).append(r["cells"] == s.cells)
        if s.expected_rules:
            broken_found.append(set(s.expected_rules) <= r["rules"])
        else:
            false_alarms.append(bool(r["rules"]))
    out: dict[str, Any] = {k: round(sum(v) / len(v), 4) for k, v in checks.items() if v}
    out["files"] = len(pairs)
    out["broken_files"] = len(broken_found)
    out["broken_detected"] = round(sum(broken_found) / len(broken_found), 4) if broken_found else None
    out["false_alarm_rate"] = round(sum(false_alarms) / len(false_alarms), 4) if false_alarms else None
    return out


def bench_extraction(n: int, seed: int, workers: int) -> dict[str, Any]:
    from etl.extract import extract_document, extract_file
    from etl.model import Document

    log(f"extraction: {n} reports per era, 1 process and {workers} processes")
    _warm_worker()
    out: dict[str, Any] = {"n_per_era": n, "workers": workers, "eras": {}}
    profile_docs: list[tuple[str, str, str]] = []
    for era, years in ERAS.items():
        docs = list(gen.generate(n, seed, inconsistent=0.05, years=years))
        items = [(s.relpath, s.text, _digest(s.text)) for s in docs]
        chars = sum(len(s.text) for s in docs)
        gc.collect()
        contention = Contention().__enter__()
        rates = []
        wall = cpu = 0.0
        batch = max(1, math.ceil(n / 5))
        for i in range(0, n, batch):
            start, cpu0 = time.perf_counter(), time.process_time()
            done = _extract(items[i:i + batch])
            dt = time.perf_counter() - start
            wall, cpu = wall + dt, cpu + time.process_time() - cpu0
            rates.append(done / dt)
        contention.__exit__()
        # the reader included: bytes → encoding detection → Document → extraction
        sample = items[: max(1, n // 3)]
        start = time.perf_counter()
        for path, text, _ in sample:
            extract_file(path, text.encode("utf-8"))
        with_reader = len(sample) / (time.perf_counter() - start)
        # the largest memory one extraction takes (tracemalloc), and agreement with the manifest
        k = min(n, 120)
        pairs = []
        one_peak = 0
        tracemalloc.start()
        for s, (path, text, digest) in zip(docs[:k], items[:k], strict=True):
            base, _ = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            report = extract_document(Document(path, text, "txt"), digest)
            one_peak = max(one_peak, tracemalloc.get_traced_memory()[1] - base)
            pairs.append((s, _compact(report)))
            del report
        tracemalloc.stop()
        agreement = _agreement(pairs)
        profile_docs += items[:30]
        with Contention() as pool_contention:
            pool = _pool_run(items, workers)
        out["eras"][era] = {
            "reports": n, "mean_chars": round(chars / n), "single_seconds": round(wall, 2),
            "single_reports_per_second": round(statistics.median(rates), 1),
            "single_batch_rates": [round(r, 1) for r in rates],
            "single_cpu_reports_per_second": round(n / cpu, 1),
            "with_reader_reports_per_second": round(with_reader, 1),
            "ms_per_report": round(1000 / statistics.median(rates), 2),
            "tracemalloc_peak_mb_one_report": round(one_peak / 2**20, 2),
            **pool, "agreement": agreement,
            "other_cores_busy_single": contention.other_cores, "other_cores_busy_pool": pool_contention.other_cores,
        }
        e = out["eras"][era]
        log(f"  {era}: {e['single_reports_per_second']}/s one process, {e['pool_reports_per_second_per_core']}/s "
            f"per core with {workers} processes")
    out["peak_rss_mb_main"] = rss_mb()
    out["peak_rss_mb_largest_worker"] = rss_mb(resource.RUSAGE_CHILDREN)
    out["profile"] = _profile(profile_docs)
    return out


def _pool_run(items: list[tuple[str, str, str]], workers: int, rounds: int = 3) -> dict[str, Any]:
    """The pool's throughput: the median of ``rounds`` passes over the items."""
    size = max(1, math.ceil(len(items) / (workers * 6)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    walls, busy = [], []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_warm_worker, [0.3] * workers))
        for _ in range(rounds):
            start = time.perf_counter()
            results = list(pool.map(_pool_chunk, chunks))
            walls.append(time.perf_counter() - start)
            busy.append(sum(t for _, t in results))
    n = len(items)
    wall = statistics.median(walls)
    return {"pool_seconds": round(wall, 2), "pool_rounds": rounds,
            "pool_round_rates": [round(n / w, 1) for w in walls],
            "pool_reports_per_second": round(n / wall, 1),
            "pool_reports_per_second_per_core": round(n / wall / workers, 1),
            "pool_worker_reports_per_busy_second": round(n / statistics.median(busy), 1)}


def _profile(items: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Share of extraction time per stage (cumulative time of each stage's entry function)."""
    profiler = cProfile.Profile()
    profiler.enable()
    _extract(items)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = next((v[3] for (file, _, name), v in stats.items()
                  if file.endswith("extract.py") and name == "extract_document"), None)
    if not total:
        return {}
    shares = {}
    for stage, file, func in STAGES:
        cum = sum(v[3] for (f, _, name), v in stats.items() if f.endswith(file) and name == func)
        shares[stage] = round(cum / total, 3)
    shares["other"] = round(max(0.0, 1 - sum(shares.values())), 3)
    return {"reports": len(items), "share_of_time": shares}


# --- (b, c) ingest --------------------------------------------------------------------------

def _corpus(workdir: Path, n: int, seed: int) -> Path:
    folder = workdir / f"corpus-{n}-s{seed}"
    manifest = folder / gen.MANIFEST
    stamp = folder / ".generator"
    fingerprint = hashlib.sha256(Path(gen.__file__).read_bytes()).hexdigest()[:16]
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    log(f"generating {n} report files in {folder}")
    gen.write_corpus(folder, n, seed)
    stamp.write_text(fingerprint)
    return folder


def _ingest_child(corpus: str, db: str, workers: str) -> None:
    """Child process: one ``build_database`` run; prints its figures as JSON."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from etl.load import build_database

    params = inspect.signature(build_database).parameters
    kwargs: dict[str, Any] = {}
    if "workers" in params:
        kwargs["workers"] = int(workers)
    if "keep_results" in params:  # as ``python -m etl ingest`` calls it: only counts, not a result per file
        kwargs["keep_results"] = False
    start = time.perf_counter()
    summary = build_database([Path(corpus)], Path(db), **kwargs)
    seconds = time.perf_counter() - start
    counts = {}
    for status in ("loaded", "unchanged", "skipped", "failed"):
        with contextlib.suppress(Exception):
            counts[status] = summary.count(status)
    print(json.dumps({"seconds": seconds, "peak_rss_mb_main": rss_mb(),
                      "peak_rss_mb_largest_worker": rss_mb(resource.RUSAGE_CHILDREN),
                      "counts": counts, "kwargs": kwargs,
                      "signature": str(inspect.signature(build_database))}))


def _proc_kib(path: Path, key: str) -> int | None:
    """The ``key:`` line (in KiB) of a /proc file, or None when it is missing or unreadable."""
    with contextlib.suppress(OSError, ValueError):
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    return None


PSS_EVERY = 2.0
"""Seconds between two readings of the tree's PSS. Reading ``smaps_rollup`` walks a process's page
tables (8 ms for a 700 MB process) and holds off its memory mappings meanwhile: read four times a
second, it slowed the measured ingest. The peaks it records last longer (the summary's, seconds)."""


def _tree_memory_mb(pid: int, with_pss: bool = True) -> tuple[float, float | None]:
    """Memory of a process and all its descendants in MiB: the sum of RSS, and the sum of PSS
    (None without ``with_pss``).

    RSS counts a page shared by several processes (the interpreter, libraries, pages a forked
    worker inherited) once in each; PSS divides it among them, so its sum is what the tree takes
    from the machine. PSS comes from ``smaps_rollup``; a process without one counts its RSS.
    """
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        proc = Path(f"/proc/{p}")
        own_rss = _proc_kib(proc / "status", "VmRSS:")
        if own_rss is not None:
            own_pss = _proc_kib(proc / "smaps_rollup", "Pss:") if with_pss else None
            rss += own_rss
            pss += own_rss if own_pss is None else own_pss
        with contextlib.suppress(OSError, ValueError):
            for task in (proc / "task").iterdir():
                with contextlib.suppress(OSError, ValueError):
                    todo += [int(c) for c in (task / "children").read_text().split()]
    return rss / 1024, pss / 1024 if with_pss else None


def _watch(args: list[str], out_path: Path, limit_seconds: float, limit_rss_mb: float,
           progress: Path | None = None) -> tuple[int | None, str | None, float, float]:
    """Run ``python -m bench.run ARGS`` with stdout to ``out_path``; kill it (and its children) when the item in
    progress (the last ``start`` line of ``progress``, else the whole run) takes longer than ``limit_seconds`` or
    the process tree's memory (sum of RSS) passes ``limit_rss_mb``. Gives the exit status (None when killed), why
    it was killed, and the largest memory of the tree seen: sum of RSS and sum of PSS."""
    err_path = out_path.with_suffix(".stderr")
    cmd = [sys.executable, "-m", "bench.run", *args]
    peak = peak_pss = 0.0
    with out_path.open("w") as out, err_path.open("w") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                start_new_session=True)
        started = pss_read = time.time()
        reason = None
        while proc.poll() is None:
            time.sleep(0.25)
            with_pss = time.time() - pss_read >= PSS_EVERY
            rss, pss = _tree_memory_mb(proc.pid, with_pss)
            peak = max(peak, rss)
            if pss is not None:
                peak_pss, pss_read = max(peak_pss, pss), time.time()
            since = started
            if progress is not None and progress.exists():
                with contextlib.suppress(OSError, ValueError):
                    lines = progress.read_text(encoding="utf-8").splitlines()
                    starts = [json.loads(x)["t"] for x in lines if x.startswith('{"start"')]
                    since = starts[-1] if starts else started
            if rss > limit_rss_mb:
                reason = f"memory passed {limit_rss_mb / 1024:.0f} GB"
            elif time.time() - since > limit_seconds:
                reason = f"took longer than {limit_seconds:.0f} s"
            if reason:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, 9)
                proc.wait()
                return None, reason, round(peak, 1), round(peak_pss, 1)
    return proc.returncode, None, round(peak, 1), round(peak_pss, 1)


def _child(args: list[str], workdir: Path, limit_seconds: float = 6 * 3600,
           limit_rss_mb: float = 8 * 1024) -> dict[str, Any]:
    """Run a child mode whose last stdout line is JSON, under the watchdog; gives that JSON."""
    out_path = workdir / f"child-{args[0].strip('_')}.out"
    code, reason, peak, peak_pss = _watch(args, out_path, limit_seconds, limit_rss_mb)
    if reason:
        raise RuntimeError(f"{args[0]} stopped: {reason} (peak {peak:.0f} MiB)")
    if code != 0:
        err = out_path.with_suffix(".stderr").read_text(errors="replace").strip()
        raise RuntimeError(f"{args[0]} failed: {err[-2000:]}")
    result = json.loads(out_path.read_text().strip().splitlines()[-1])
    result["watchdog_peak_tree_rss_mb"] = peak
    result["watchdog_peak_tree_pss_mb"] = peak_pss
    return result


def _dir_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _ingest_quality(db: Path, corpus: Path) -> dict[str, Any]:
    """Validation and headline agreement of the ingested database with the manifest."""
    import duckdb

    manifest = corpus / gen.MANIFEST
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            con.execute("SET enable_progress_bar = false")
            row = con.execute(f"""
                WITH m AS (SELECT * FROM read_csv('{manifest}', all_varchar = true)),
                r AS (
                    SELECT r.report_id, regexp_extract(r.path, 'reports/\\d+/\\d+\\.txt') AS file
                    FROM reports r
                ),
                found AS (
                    SELECT r.file, list(DISTINCT v.rule) FILTER (WHERE v.rule IN {ARITHMETIC_RULES}) AS rules
                    FROM r LEFT JOIN validation_issues v USING (report_id) GROUP BY r.file
                ),
                heads AS (
                    SELECT r.file, any_value(f.value) FILTER (WHERE f.metric = 'proactive_total') AS proactive,
                           any_value(f.value) FILTER (WHERE f.metric = 'applications_received') AS received
                    FROM r JOIN facts f USING (report_id) WHERE f.headline GROUP BY r.file
                )
                SELECT count(*) AS files,
                       count(found.file) AS in_db,
                       count(*) FILTER (WHERE m.consistent = '0') AS broken,
                       count(*) FILTER (WHERE m.consistent = '0' AND list_contains(found.rules, m.broken_rule))
                           AS broken_detected,
                       count(*) FILTER (WHERE m.consistent = '1') AS consistent,
                       count(*) FILTER (WHERE m.consistent = '1' AND len(found.rules) > 0) AS false_alarms,
                       avg((heads.proactive = m.proactive_total::DOUBLE)::INTEGER) AS proactive_agrees,
                       avg((heads.received = m.applications_received::DOUBLE)::INTEGER) AS received_agrees
                FROM m LEFT JOIN found USING (file) LEFT JOIN heads USING (file)
            """).fetchone()
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}
    assert row is not None
    files, in_db, broken, detected, consistent, alarms, proactive, received = row
    return {"files": files, "in_db": in_db, "broken": broken,
            "broken_detected": round(detected / broken, 4) if broken else None,
            "false_alarm_rate": round(alarms / consistent, 4) if consistent else None,
            "proactive_total_agrees": round(proactive or 0, 4), "applications_received_agrees": round(received or 0, 4)}


def bench_ingest(sizes: list[int], seed: int, workdir: Path, workers: int,
                 limit_rss_mb: float = 8 * 1024, rerun: bool = True) -> list[dict[str, Any]]:
    out = []
    for n in sizes:
        corpus = _corpus(workdir, n, seed)
        folder = workdir / f"ingest-{n}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        db = folder / "reports.duckdb"
        log(f"ingest of {n} files ({workers} workers)")
        entry: dict[str, Any] = {"reports": n, "corpus_bytes": _dir_bytes(corpus / "reports")}
        try:
            with Contention() as busy:
                first = _child(["_ingest", str(corpus / "reports"), str(db), str(workers)], workdir,
                               limit_rss_mb=limit_rss_mb)
            entry.update(seconds=round(first["seconds"], 1), reports_per_second=round(n / first["seconds"], 1),
                         reports_per_second_per_core=round(n / first["seconds"] / workers, 1),
                         peak_rss_mb_main=first["peak_rss_mb_main"],
                         peak_rss_mb_largest_worker=first["peak_rss_mb_largest_worker"],
                         peak_tree_rss_mb=first["watchdog_peak_tree_rss_mb"],
                         peak_tree_pss_mb=first["watchdog_peak_tree_pss_mb"],
                         counts=first["counts"], build_database=first["signature"], kwargs=first["kwargs"],
                         db_bytes=db.stat().st_size if db.exists() else None, folder_bytes=_dir_bytes(folder),
                         other_cores_busy=busy.other_cores)
            log(f"  {n}: {entry['seconds']} s, peak RSS {entry['peak_rss_mb_main']} MiB, "
                f"all processes' PSS {entry['peak_tree_pss_mb']} MiB")
            if not rerun:
                entry["quality"] = _ingest_quality(db, corpus)
                out.append(entry)
                continue
            with Contention() as busy:
                again = _child(["_ingest", str(corpus / "reports"), str(db), str(workers)], workdir,
                               limit_rss_mb=limit_rss_mb)
            entry.update(rerun_seconds=round(again["seconds"], 2), rerun_counts=again["counts"],
                         rerun_peak_rss_mb_main=again["peak_rss_mb_main"],
                         rerun_peak_tree_pss_mb=again["watchdog_peak_tree_pss_mb"],
                         rerun_other_cores_busy=busy.other_cores)
            log(f"  {n} again, nothing changed: {entry['rerun_seconds']} s")
            entry["quality"] = _ingest_quality(db, corpus)
        except Exception as exc:
            entry["error"] = str(exc)[-2000:]
            log(f"  {n}: failed: {entry['error'][-300:]}")
        out.append(entry)
    return out


# --- (d) page queries -----------------------------------------------------------------------

def page_calls() -> dict[str, list[str]]:
    """The ``app.queries`` functions each page calls, in order; the sidebar's under "sidebar"."""
    pattern = re.compile(r"\bqueries\.([a-z_][a-z0-9_]*)\s*\(")
    pages: dict[str, list[str]] = {}
    sources = [("sidebar", ROOT / "app" / "filters.py"), *((p.stem, p) for p in sorted((ROOT / "pages").glob("*.py")))]
    for name, path in sources:
        if not path.exists():
            continue
        found = list(dict.fromkeys(pattern.findall(path.read_text(encoding="utf-8"))))
        if found:
            pages[name] = found
    return pages


PEER_GROUP = {"year": 2023, "kind": "education", "level": "county"}
"""The peer group the compare page's percentiles are timed over: county education bureaus in 2023."""
CHOSEN_ON = {"compare": "six_bureaus"}
"""Pages that chart only bureaus the user picks: with none picked in the sidebar, they are timed with these."""


def _call_args(fn: Callable[..., Any], scope: Any, report_id: str) -> list[Any] | None:
    args: list[Any] = []
    for p in inspect.signature(fn).parameters.values():
        if p.name == "scope":
            args.append(scope)
        elif p.name == "report_id":
            args.append(report_id)
        elif p.name == "metric":
            args.append("proactive_total")
        elif p.name in PEER_GROUP:
            args.append(PEER_GROUP[p.name])
        elif p.default is not inspect.Parameter.empty:
            break
        else:
            return None
    return args


def pick_scopes(db: Path) -> tuple[dict[str, dict[str, Any]], str]:
    """Typical filters: the whole country, the largest province over 2019–2024, its largest city, that city's
    county education bureaus (what a city supervisor ranks), six bureaus of the city."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        province = con.execute("""SELECT b.province FROM reports r JOIN bureaus b USING (bureau_id)
                                  GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""").fetchone()[0]  # type: ignore
        city = con.execute("""SELECT b.city FROM reports r JOIN bureaus b USING (bureau_id)
                              WHERE b.province = ? AND b.city IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1
                              LIMIT 1""", [province]).fetchone()[0]  # type: ignore[index]
        bureaus = [r[0] for r in con.execute("""
            SELECT b.bureau_id FROM reports r JOIN bureaus b USING (bureau_id)
            WHERE b.province = ? AND b.city = ? GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 6""",
                                              [province, city]).fetchall()]
        report_id = con.execute("""
            SELECT r.report_id FROM reports r LEFT JOIN validation_issues v USING (report_id)
            WHERE r.bureau_id = ? ORDER BY (r.era = 'template') DESC, (v.rule IS NOT NULL) DESC, r.year DESC
            LIMIT 1""", [bureaus[0]]).fetchone()[0]  # type: ignore[index]
    scopes = {
        "country": {},
        "province_2019_2024": {"province": province, "year_from": 2019, "year_to": 2024},
        "city": {"province": province, "city": city},
        "city_county_education": {"province": province, "city": city, "kind": "education", "level": "county"},
        "six_bureaus": {"bureaus": bureaus},
    }
    return scopes, report_id


def _scope(queries: Any, spec: dict[str, Any]) -> Any:
    fields = set(inspect.signature(queries.Scope).parameters)
    kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in spec.items() if k in fields}
    return queries.Scope(**kwargs)


def _quiet_streamlit() -> None:
    for name in ["streamlit", *logging.root.manager.loggerDict]:
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _time_page(queries: Any, clear: Callable[[], None], names: list[str], scope: Any, report_id: str,
               repeats: int, budget: float, emit: Callable[..., None]) -> dict[str, Any]:
    """Render one page's calls repeatedly; the result cache is cleared before each render."""
    calls, skipped = [], []
    for fname in names:
        fn = getattr(queries, fname, None)
        args = _call_args(fn, scope, report_id) if fn else None
        if args is None:
            skipped.append(fname)
        else:
            calls.append((fname, fn, args))
    totals: list[float] = []
    each: dict[str, list[float]] = {f: [] for f, _, _ in calls}
    rows = 0
    spent = 0.0
    with Contention() as busy:
        for rep in range(repeats + 1):
            clear()
            total = 0.0
            for fname, fn, args in calls:
                start = time.perf_counter()
                result = fn(*args)
                dt = time.perf_counter() - start
                total += dt
                if rep:
                    each[fname].append(dt)
                elif hasattr(result, "__len__"):
                    rows += len(result)
            emit(render=rep, seconds=round(total, 4))
            spent += total
            if rep:
                totals.append(total)
            if (rep >= 5 and spent > budget) or (rep >= 1 and spent > 3 * budget):
                break
    return {"p50_ms": round(percentile(totals, 0.5) * 1000, 1), "p95_ms": round(percentile(totals, 0.95) * 1000, 1),
            "runs": len(totals), "rows": rows, "skipped": skipped, "other_cores_busy": busy.other_cores,
            "calls_p50_ms": {f: round(percentile(v, 0.5) * 1000, 1) for f, v in each.items()}}


def _operators(node: dict[str, Any], out: list[dict[str, Any]]) -> None:
    info = node.get("extra_info") or {}
    detail = "; ".join(f"{k}: {v}" for k, v in info.items() if k in ("Table", "Filters", "Groups", "Join Type",
                                                                        "Conditions", "Partitions", "Orders"))
    out.append({"operator": node.get("type") or node.get("operator_type"),
                "ms": round((node.get("timing") or node.get("operator_timing") or 0) * 1000, 1),
                "rows": node.get("intermediate_rows", node.get("operator_cardinality")),
                "rows_scanned": node.get("rows_scanned"), "detail": " ".join(detail.split())[:240]})
    for child in node.get("children", []):
        _operators(child, out)


def _explain_call(queries: Any, appdb: Any, clear: Callable[[], None], fname: str, scope: Any, report_id: str,
                  db: str) -> dict[str, Any]:
    """One call timed, and each SQL statement it runs profiled with EXPLAIN ANALYZE (results discarded):
    the statement's time, its most expensive operators, and the time the call spends outside SQL."""
    import duckdb

    fn = getattr(queries, fname)
    args = _call_args(fn, scope, report_id)
    if args is None:
        return {"call": fname, "error": "arguments unknown"}
    captured: list[tuple[str, dict[str, Any]]] = []
    original = queries.query

    def spy(sql: str, params: Any = None) -> Any:
        captured.append((sql, dict(params or {})))
        return original(sql, params)

    queries.query = spy
    try:
        clear()
        start = time.perf_counter()
        fn(*args)
        call_ms = (time.perf_counter() - start) * 1000
    finally:
        queries.query = original
    statements = []
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{db}' AS rpt (READ_ONLY)")
        con.execute("USE rpt")
        con.execute("PRAGMA enable_profiling = 'json'")
        for sql, params in captured:
            row = con.execute("EXPLAIN ANALYZE " + sql, params).fetchone()
            tree = json.loads(row[1]) if row else {}
            ops: list[dict[str, Any]] = []
            for node in tree.get("operator", []):
                _operators(node, ops)
            total = (tree.get("query") or {}).get("total_time") or 0
            statements.append({"sql_ms": round(total * 1000, 1), "result_rows": None,
                               "top_operators": sorted(ops, key=lambda o: -o["ms"])[:4]})
    finally:
        con.close()
    sql_ms = sum(st["sql_ms"] for st in statements)
    return {"call": fname, "call_ms": round(call_ms, 1), "sql_ms": round(sql_ms, 1),
            "outside_sql_ms": round(max(0.0, call_ms - sql_ms), 1), "statements": statements}


def _pages_child(spec_path: str, progress_path: str) -> None:
    """Child process: time page renders and profile calls, writing one JSON line per event to ``progress_path``."""
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    os.environ["DISCLOSURE_DB"] = spec["db"]
    _quiet_streamlit()
    from app import db as appdb
    from app import queries

    _quiet_streamlit()
    clear = getattr(getattr(appdb, "_run", None), "clear", None) or appdb.clear_caches
    with open(progress_path, "a", encoding="utf-8") as out:
        def emit(**kw: Any) -> None:
            out.write(json.dumps(kw, ensure_ascii=False) + "\n")
            out.flush()

        for kind, scope_name, name in spec["items"]:
            emit(start=[kind, scope_name, name], t=time.time())
            scope = _scope(queries, spec["scopes"][scope_name])
            if kind == "page" and name in CHOSEN_ON and not scope.bureaus:  # the compare page's 2–6 bureaus
                scope = replace(scope, bureaus=tuple(spec["scopes"][CHOSEN_ON[name]]["bureaus"]))
            try:
                if kind == "page":
                    result = _time_page(queries, clear, spec["pages"][name], scope, spec["report_id"],
                                        spec["repeats"], spec["budget"], emit)
                else:
                    result = _explain_call(queries, appdb, clear, name, scope, spec["report_id"], spec["db"])
            except Exception as exc:
                result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
            result["rss_mb"] = current_rss_mb()
            emit(done=[kind, scope_name, name], result=result)


def _run_items(db: Path, scopes: dict[str, dict[str, Any]], report_id: str, pages: dict[str, list[str]],
               items: list[list[str]], repeats: int, budget: float, limit_seconds: float, limit_rss_mb: float,
               workdir: Path) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Run the items in child processes under the watchdog; an item that is stopped is recorded as aborted,
    with the renders it finished, and the rest go on in a new child."""
    results: dict[tuple[str, str, str], dict[str, Any]] = {}
    todo = [list(i) for i in items]
    while todo:
        spec_path = workdir / "pages-spec.json"
        progress = workdir / "pages-progress.jsonl"
        progress.unlink(missing_ok=True)
        spec_path.write_text(json.dumps({"db": str(db), "scopes": scopes, "report_id": report_id, "pages": pages,
                                         "items": todo, "repeats": repeats, "budget": budget}, ensure_ascii=False),
                             encoding="utf-8")
        code, reason, peak, _ = _watch(["_pages", str(spec_path), str(progress)], workdir / "pages.out",
                                       limit_seconds, limit_rss_mb, progress)
        current: tuple[str, str, str] | None = None
        renders: list[float] = []
        lines = progress.read_text(encoding="utf-8").splitlines() if progress.exists() else []
        for line in lines:
            event = json.loads(line)
            if "start" in event:
                current, renders = tuple(event["start"]), []  # type: ignore[assignment]
            elif "render" in event:
                renders.append(event["seconds"])
            elif "done" in event:
                results[tuple(event["done"])] = event["result"]  # type: ignore[index]
                current = None
        todo = [i for i in todo if tuple(i) not in results]
        if reason or code not in (0, None):
            if current is None and todo:
                current = tuple(todo[0])  # type: ignore[assignment]
            why = reason or (workdir / "pages.stderr").read_text(errors="replace").strip()[-500:]
            if current is not None:
                results[current] = {"aborted": why, "renders_s": renders, "peak_tree_rss_mb": peak,
                                    "p50_ms": None, "p95_ms": None}
                log(f"    {current[2]} ({current[1]}): stopped, {why}")
                todo = [i for i in todo if tuple(i) != current]
        elif code == 0:
            break
    return results


def time_pages(db: Path, scopes: dict[str, dict[str, Any]], report_id: str, repeats: int, budget: float,
               limit_seconds: float, limit_rss_mb: float, workdir: Path, explain: int = 0) -> dict[str, Any]:
    """p50/p95 of each page's queries per filter (in child processes under a time and memory watchdog),
    and a profile of the ``explain`` slowest calls."""
    pages = page_calls()
    items = [["page", s, p] for s in scopes for p in pages]
    results = _run_items(db, scopes, report_id, pages, items, repeats, budget, limit_seconds, limit_rss_mb, workdir)
    out: dict[str, Any] = {"pages": pages, "by_scope": {}, "other_cores_busy": {}}
    for scope_name in scopes:
        per_page = {p: results.get(("page", scope_name, p), {"error": "not run"}) for p in pages}
        out["by_scope"][scope_name] = per_page
        busy = [t.get("other_cores_busy") for t in per_page.values() if t.get("other_cores_busy") is not None]
        out["other_cores_busy"][scope_name] = round(sum(busy) / len(busy), 2) if busy else None
        done = [(p, t) for p, t in per_page.items() if t.get("p50_ms") is not None]
        if done:
            worst = max(done, key=lambda kv: kv[1]["p50_ms"])
            log(f"    {scope_name}: slowest page {worst[0]} p50 {worst[1]['p50_ms']} ms")
    out["skipped_calls"] = sorted({f"{p}:{f}" for pages_ in out["by_scope"].values() for p, t in pages_.items()
                                   for f in t.get("skipped", [])})
    out["missing_functions"] = sorted({f for fs in pages.values() for f in fs} - _defined_functions())
    if explain:
        worst: dict[str, tuple[float, str]] = {}
        for scope_name, per_page in out["by_scope"].items():
            for t in per_page.values():
                for fname, ms in (t.get("calls_p50_ms") or {}).items():
                    if ms > worst.get(fname, (0.0, ""))[0]:
                        worst[fname] = (ms, scope_name)
        chosen = sorted(worst.items(), key=lambda kv: -kv[1][0])[:explain]
        if chosen:
            log(f"  profiling the slowest calls: {', '.join(f for f, _ in chosen)}")
            found = _run_items(db, scopes, report_id, pages, [["explain", s, f] for f, (_, s) in chosen], 0, budget,
                               limit_seconds, limit_rss_mb, workdir)
            out["explain"] = [{**found.get(("explain", s, f), {}), "call": f, "filter": s} for f, (_, s) in chosen]
    return out


def _defined_functions() -> set[str]:
    source = (ROOT / "app" / "queries.py").read_text(encoding="utf-8")
    return set(re.findall(r"^def ([a-z_][a-z0-9_]*)\(", source, re.M))


def _pandas_child(folder: str, spec_path: str) -> None:
    """Child process: load the CSVs with pandas and time each page's aggregations."""
    from bench import pandas_pages

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    start = time.perf_counter()
    frames = pandas_pages.load(Path(folder))
    load_seconds = time.perf_counter() - start
    rss_loaded = current_rss_mb()
    out: dict[str, Any] = {"load_seconds": round(load_seconds, 2), "rss_mb_after_load": rss_loaded,
                           "rows": {k: len(v) for k, v in frames.items()}, "by_scope": {}}
    for scope_name, scope in spec["scopes"].items():
        per_page = {}
        for page, fn in pandas_pages.PAGES.items():
            times: list[float] = []
            spent = 0.0
            for rep in range(spec["repeats"] + 1):
                t0 = time.perf_counter()
                fn(frames, scope, spec["report_id"])
                dt = time.perf_counter() - t0
                spent += dt
                if rep:
                    times.append(dt)
                if rep >= 3 and spent > spec["budget"]:
                    break
            per_page[page] = {"p50_ms": round(percentile(times, 0.5) * 1000, 1),
                              "p95_ms": round(percentile(times, 0.95) * 1000, 1), "runs": len(times)}
        out["by_scope"][scope_name] = per_page
    out["peak_rss_mb"] = rss_mb()
    print(json.dumps(out))


def bench_queries(sizes: list[int], seed: int, workdir: Path, repeats: int, budget: float, pandas_max: int,
                  rebuild: bool, skip_pandas: bool, limit_seconds: float, limit_rss_mb: float,
                  explain: int = 5) -> list[dict[str, Any]]:
    from bench import pandas_pages, synthdb

    out = []
    for n in sizes:
        db = workdir / f"synth-{n}-s{seed}.duckdb"
        log(f"queries at {n} reports: building (or reusing) {db}")
        entry: dict[str, Any] = {"reports": n}
        try:
            entry["database"] = synthdb.build(db, n, seed, force=rebuild)
            log(f"  database: {entry['database']}")
            scopes, report_id = pick_scopes(db)
            entry["scopes"], entry["report_id"] = scopes, report_id
            reps = repeats if n < 1_000_000 else max(5, repeats // 2)
            entry["duckdb"] = time_pages(db, scopes, report_id, reps, budget, limit_seconds, limit_rss_mb, workdir,
                                         explain=explain if n == max(sizes) else 0)
        except Exception as exc:
            entry["error"] = f"{type(exc).__name__}: {exc}"[-2000:]
            log(f"  failed: {entry['error'][-300:]}")
            out.append(entry)
            continue
        if not skip_pandas and n <= pandas_max:
            folder = workdir / f"csv-{n}-s{seed}"
            try:
                facts_csv = folder / "facts.csv"
                newest_input = max(db.stat().st_mtime, Path(pandas_pages.__file__).stat().st_mtime)
                if not facts_csv.exists() or newest_input > facts_csv.stat().st_mtime:
                    log(f"  exporting CSV for pandas to {folder}")
                    entry["csv_bytes"] = pandas_pages.export_csv(db, folder)
                else:
                    entry["csv_bytes"] = {p.stem: p.stat().st_size for p in folder.glob("*.csv")}
                spec = folder / "spec.json"
                spec.write_text(json.dumps({"scopes": scopes, "report_id": report_id,
                                            "repeats": max(3, repeats // 3), "budget": budget}),
                                encoding="utf-8")
                log("  pandas over the CSV")
                entry["pandas"] = _child(["_pandas", str(folder), str(spec)], workdir,
                                         limit_seconds=limit_seconds * 8, limit_rss_mb=limit_rss_mb)
                entry["ratio_pandas_over_duckdb_p50"] = _ratios(entry["duckdb"]["by_scope"],
                                                                entry["pandas"]["by_scope"])
            except Exception as exc:
                entry["pandas_error"] = f"{type(exc).__name__}: {exc}"[-2000:]
                log(f"  pandas failed: {entry['pandas_error'][-300:]}")
        elif n > pandas_max:
            entry["pandas_skipped"] = (f"not run above {pandas_max:,} reports (--pandas-max): the facts CSV would hold "
                                       f"{entry['database'].get('facts', 0):,} rows, too many for pandas in memory")
        out.append(entry)
    return out


def _ratios(duck: dict[str, Any], pand: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    out: dict[str, dict[str, float | None]] = {}
    for scope, pages in pand.items():
        out[scope] = {}
        for page, t in pages.items():
            d = duck.get(scope, {}).get(page)
            out[scope][page] = round(t["p50_ms"] / d["p50_ms"], 2) if d and d.get("p50_ms") else None
    return out


# --- verdicts and report --------------------------------------------------------------------

def verdicts(res: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    ex = res.get("extraction")
    if ex:
        worst = min(ex["eras"].items(), key=lambda kv: kv[1]["pool_reports_per_second_per_core"])
        value = worst[1]["pool_reports_per_second_per_core"]
        out.append({"target": "≥ 300 text reports/s per core", "measured": f"{value}/s per core ({worst[0]}, pool)",
                    "met": value >= TARGETS["reports_per_second_per_core"]})
    ingest = [i for i in res.get("ingest", []) if "seconds" in i]
    if ingest:
        full = next((i for i in ingest if i["reports"] == 100_000), None)
        if full:
            out.append({"target": "100,000 reports ingested < 5 min on 2 cores",
                        "measured": f"{full['seconds']} s", "met": full["seconds"] < TARGETS["ingest_100k_seconds"]})
        else:
            big = max(ingest, key=lambda i: i["reports"])
            est = big["seconds"] * 100_000 / big["reports"]
            out.append({"target": "100,000 reports ingested < 5 min on 2 cores",
                        "measured": f"≈ {est:.0f} s (extrapolated from {big['reports']:,})",
                        "met": est < TARGETS["ingest_100k_seconds"]})
    peaks = [("extraction", ex.get("peak_rss_mb_main", 0) if ex else 0)]
    peaks += [(f"ingest {i['reports']:,}, main process", i.get("peak_rss_mb_main", 0)) for i in ingest]
    if any(v for _, v in peaks):
        where, value = max(peaks, key=lambda kv: kv[1])
        measured = f"{value:.0f} MiB ({where})"
        pss = [(i["reports"], i["peak_tree_pss_mb"]) for i in ingest if i.get("peak_tree_pss_mb")]
        trees = [(i["reports"], i["peak_tree_rss_mb"]) for i in ingest if i.get("peak_tree_rss_mb")]
        if pss:  # PSS counts shared pages once: what the processes take together
            n, tree = max(pss, key=lambda kv: kv[1])
            measured += (f"; all ingest processes together up to {tree:.0f} MiB at {n:,} reports "
                         "(sum of PSS, shared pages divided among the processes)")
            value = max(value, tree)
        elif trees:  # results from before PSS was measured
            n, tree = max(trees, key=lambda kv: kv[1])
            measured += (f"; all ingest processes together up to {tree:.0f} MiB at {n:,} reports "
                         "(sum of RSS, shared pages counted in each process)")
            value = max(value, tree)
        out.append({"target": "peak memory < 1 GB", "measured": measured, "met": value < TARGETS["peak_memory_mb"]})
    for q in res.get("queries", []):
        if "duckdb" not in q:
            continue
        worst_ms, worst_at = 0.0, ""
        stopped = []
        for scope, pages in q["duckdb"]["by_scope"].items():
            for page, t in pages.items():
                if t.get("p50_ms") is None:
                    stopped.append(f"{page}, {scope}")
                elif t["p50_ms"] > worst_ms:
                    worst_ms, worst_at = t["p50_ms"], f"{page}, {scope}"
        over = sum(1 for pages in q["duckdb"]["by_scope"].values() for t in pages.values()
                   if t.get("p50_ms") is None or t["p50_ms"] >= TARGETS["page_queries_ms_at_1m"])
        total = sum(len(pages) for pages in q["duckdb"]["by_scope"].values())
        label = "every page's queries < 150 ms" + (" at 1,000,000 reports" if q["reports"] == 1_000_000 else
                                                     f" (at {q['reports']:,} reports)")
        measured = (f"{over} of {total} page × filter combinations over; slowest finished p50 {worst_ms:.0f} ms "
                    f"({worst_at})")
        if stopped:
            measured += f"; stopped by the watchdog: {'; '.join(stopped)}"
        out.append({"target": label, "measured": measured, "met": over == 0})
    return out


def _cores(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f} cores"


def _fmt_bytes(n: int | None) -> str:
    if n is None:
        return "—"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def markdown(res: dict[str, Any], json_name: str) -> str:
    m = res["machine"]
    lines = [
        f"# Benchmark results ({res['mode']}, {res['started'][:10]})",
        "",
        f"Machine: {m.get('cores')} cores ({m.get('cpu', 'CPU unknown')}), {m.get('memory_gb', '?')} GB memory, "
        f"Python {m.get('python')}, DuckDB {m.get('duckdb')}, pandas {m.get('pandas')}, "
        f"Streamlit {m.get('streamlit', '?')}, {m.get('platform')}; commit {m.get('commit') or '?'} "
        "(plus uncommitted work in the tree). "
        f"Full figures: `bench/results/{json_name}`. All data is synthetic (`bench.generate`, `bench.synthdb`).",
        "",
        "## Targets",
        "",
        "| Target | Measured | Met |",
        "|---|---|---|",
    ]
    lines += [f"| {v['target']} | {v['measured']} | {'yes' if v['met'] else '**no**'} |" for v in res["verdicts"]]
    sources = res.get("part_sources") or {}
    if sources:
        lines += ["", "Parts not run this time, taken from earlier results: "
                  + "; ".join(f"{k} from `{v}`" for k, v in sources.items()) + "."]
    ex = res.get("extraction")
    if ex:
        lines += ["", f"## Extraction (`extract_document`, {ex['n_per_era']} reports per era)", "",
                  "| Era | ms/report | 1 process: reports/s | with reader (bytes in) | "
                  f"{ex['workers']} processes: reports/s | per core | tracemalloc peak | chars/report | "
                  "other processes' load (1 process / pool) |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for era, e in ex["eras"].items():
            lines.append(f"| {era} | {e['ms_per_report']} | {e['single_reports_per_second']} | "
                         f"{e['with_reader_reports_per_second']} | {e['pool_reports_per_second']} | "
                         f"{e['pool_reports_per_second_per_core']} | "
                         f"{e['tracemalloc_peak_mb_one_report']} MiB | {e['mean_chars']} | "
                         f"{_cores(e.get('other_cores_busy_single'))} / {_cores(e.get('other_cores_busy_pool'))} |")
        lines += ["", f"Peak RSS: main process {ex['peak_rss_mb_main']} MiB, largest worker "
                  f"{ex['peak_rss_mb_largest_worker']} MiB."]
        shares = ex.get("profile", {}).get("share_of_time")
        if shares:
            lines += ["", "Where extraction time goes (cProfile, cumulative, overlapping stages not nested): "
                      + ", ".join(f"{k} {v:.0%}" for k, v in sorted(shares.items(), key=lambda kv: -kv[1]))
                      + "."]
        lines += ["", "Agreement with the manifest (sample per era): "]
        for era, e in ex["eras"].items():
            a = e["agreement"]
            keys = ("year", "province", "kind", "proactive_total", "applications_received", "template_cells_all_equal",
                    "broken_detected", "false_alarm_rate")
            lines.append(f"- {era}: " + ", ".join(f"{k} {a[k]}" for k in keys if a.get(k) is not None))
    ingest = res.get("ingest")
    if ingest:
        lines += ["", "## Ingest (`build_database`, text files → DuckDB)", "",
                  "| Reports | Time | Reports/s | per core | Peak RSS main / all (sum of RSS) | "
                  "Peak PSS all processes | DB size | Re-run unchanged | "
                  "Validation: broken found / false alarms | other processes' load |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for i in ingest:
            if "seconds" not in i:
                lines.append(f"| {i['reports']:,} | failed: {i.get('error', '')[-200:]} | | | | | | | | |")
                continue
            q = i.get("quality", {})
            lines.append(f"| {i['reports']:,} | {i['seconds']} s | {i['reports_per_second']} | "
                         f"{i['reports_per_second_per_core']} | {i['peak_rss_mb_main']} / "
                         f"{i.get('peak_tree_rss_mb', '?')} MiB | "
                         + (f"{i['peak_tree_pss_mb']} MiB" if i.get("peak_tree_pss_mb") else "—")
                         + f" | {_fmt_bytes(i['db_bytes'])} "
                         f"(folder {_fmt_bytes(i['folder_bytes'])}) | {i.get('rerun_seconds', '—')} s | "
                         f"{q.get('broken_detected', '—')} / {q.get('false_alarm_rate', '—')} | "
                         f"{_cores(i.get('other_cores_busy'))} |")
        lines.append("")
        lines.append(f"`build_database{ingest[0].get('build_database', '')}` called with {ingest[0].get('kwargs')}.")
    for q in res.get("queries", []):
        lines += ["", f"## Page queries at {q['reports']:,} reports", ""]
        if "error" in q:
            lines.append(f"Failed: {q['error'][-300:]}")
            continue
        d = q["database"]
        lines.append(f"Synthetic database: {d['reports']:,} reports, {d['bureaus']:,} bureaus, {d['facts']:,} facts, "
                     f"{d['problems']:,} problem rows, {_fmt_bytes(d['db_bytes'])}"
                     + (f", built in {d['build_seconds']} s" if d.get("build_seconds") else ", reused") + ".")
        scopes = q["scopes"]
        lines.append("Filters: " + "; ".join(f"{k} = {v or 'none'}" for k, v in scopes.items()) + ".")
        busy = q["duckdb"].get("other_cores_busy")
        lines += ["", "p50 / p95 in ms per page render (result cache cleared, connection kept)"
                  + (", other processes' load per filter: " + ", ".join(f"{k} {_cores(v)}" for k, v in busy.items())
                     if busy else "") + ":", ""]
        names = list(q["duckdb"]["by_scope"])
        lines += ["| Page | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
        pages = list(next(iter(q["duckdb"]["by_scope"].values())))
        for page in pages:
            cells = []
            for s in names:
                t = q["duckdb"]["by_scope"][s][page]
                if t.get("p50_ms") is None:
                    done = t.get("renders_s") or []
                    cells.append(f"stopped: {t.get('aborted') or t.get('error', '?')}"
                                 + (f" (renders: {', '.join(f'{x:.0f} s' for x in done)})" if done else ""))
                    continue
                mark = "" if t["p50_ms"] < TARGETS["page_queries_ms_at_1m"] else " ⚠"
                cells.append(f"{t['p50_ms']:.0f} / {t['p95_ms']:.0f}{mark}")
            lines.append(f"| {page} | " + " | ".join(cells) + " |")
        slow = sorted(((f, ms, page, s) for s in names for page, t in q["duckdb"]["by_scope"][s].items()
                       for f, ms in (t.get("calls_p50_ms") or {}).items()), key=lambda x: -x[1])[:5]
        lines += ["", "Slowest calls (p50): " + "; ".join(f"`{f}` {ms:.0f} ms ({page}, {s})"
                                                        for f, ms, page, s in slow) + "."]
        explained = q["duckdb"].get("explain") or []
        if explained:
            lines += ["", "Where the slowest calls spend their time (one run; SQL profiled with EXPLAIN ANALYZE, the "
                      "rest is DataFrame conversion, pandas, Python and Streamlit's cache):", ""]
            for e in explained:
                if "statements" not in e:
                    lines.append(f"- `{e['call']}` ({e['filter']}): not profiled: "
                                 f"{e.get('aborted') or e.get('error', '?')}")
                    continue
                tops = [o for st in e["statements"] for o in st["top_operators"]]
                tops = sorted(tops, key=lambda o: -o["ms"])[:3]
                ops = "; ".join(f"{o['operator']} {o['ms']:.0f} ms"
                                + (f" ({o['detail'][:90]})" if o["detail"] else "") for o in tops)
                lines.append(f"- `{e['call']}` ({e['filter']}): {e['call_ms']:.0f} ms, of which SQL "
                             f"{e['sql_ms']:.0f} ms in {len(e['statements'])} statement(s) and "
                             f"{e['outside_sql_ms']:.0f} ms outside SQL. Top operators: {ops}.")
        if q["duckdb"].get("missing_functions"):
            lines.append(f"Called by the pages but not in app.queries: {', '.join(q['duckdb']['missing_functions'])}.")
        if q["duckdb"].get("skipped_calls"):
            lines.append(f"Not timed (arguments unknown): {', '.join(q['duckdb']['skipped_calls'])}.")
        if "pandas" in q:
            p = q["pandas"]
            lines += ["", f"pandas over CSV ({', '.join(f'{k} {_fmt_bytes(v)}' for k, v in q['csv_bytes'].items())}): "
                      f"read_csv {p['load_seconds']} s, RSS after load {p['rss_mb_after_load']} MiB. "
                      "Ratio pandas p50 / DuckDB p50 (above 1: DuckDB faster):", "",
                      "| Page | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
            for page in pandas_pages_order(q):
                cells = []
                for s in names:
                    r = q["ratio_pandas_over_duckdb_p50"].get(s, {}).get(page)
                    pt = p["by_scope"].get(s, {}).get(page, {}).get("p50_ms")
                    cells.append("—" if r is None else f"{r}× ({pt:.0f} ms)")
                lines.append(f"| {page} | " + " | ".join(cells) + " |")
        elif q.get("pandas_skipped"):
            lines += ["", f"pandas: {q['pandas_skipped']}."]
        elif q.get("pandas_error"):
            lines += ["", f"pandas failed: {q['pandas_error'][-300:]}"]
    lines.append("")
    return "\n".join(lines)


def pandas_pages_order(q: dict[str, Any]) -> list[str]:
    first = next(iter(q["ratio_pandas_over_duckdb_p50"].values()), {})
    return list(first)


# --- main -----------------------------------------------------------------------------------

PARTS = ("extraction", "ingest", "queries")


def with_latest_parts(res: dict[str, Any], json_name: str) -> dict[str, Any]:
    """The run's results, with each part it skipped taken from the newest earlier results file that has it."""
    view = dict(res)
    view["part_sources"] = {}
    missing = [p for p in PARTS if p not in res]
    if missing:
        files = sorted((p for p in RESULTS.glob("*.json") if p.name != json_name), key=lambda p: p.stat().st_mtime,
                       reverse=True)
        for path in files:
            try:
                other = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            for part in [p for p in missing if p in other]:
                view[part] = other[part]
                view["part_sources"][part] = f"{path.name} (mode {other.get('mode')}, {other.get('started')})"
                missing.remove(part)
    view["verdicts"] = verdicts(view)
    return view


def _sizes(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_ingest"]:
        _ingest_child(*argv[1:4])
        return 0
    if argv[:1] == ["_pandas"]:
        _pandas_child(*argv[1:3])
        return 0
    if argv[:1] == ["_pages"]:
        _pages_child(*argv[1:3])
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="a few minutes: small samples, 1,000 ingest, 10,000 queries")
    mode.add_argument("--full", action="store_true", help="also ingest 100,000 report files (many minutes)")
    parser.add_argument("--extract-n", type=int, help="reports per era for the extraction benchmark")
    parser.add_argument("--ingest-sizes", type=_sizes, help="comma-separated corpus sizes to ingest")
    parser.add_argument("--query-sizes", type=_sizes, help="comma-separated synthetic database sizes")
    parser.add_argument("--repeats", type=int, help="timed renders per page and filter")
    parser.add_argument("--page-budget", type=float, help="seconds per page and filter after which repeats stop "
                                                          "(at least 5 runs)")
    parser.add_argument("--pandas-max", type=int, help="largest database size compared with pandas")
    parser.add_argument("--page-timeout", type=float, default=300.0,
                        help="seconds one page and filter may take in all (renders stop earlier); default 300")
    parser.add_argument("--rss-limit-gb", type=float, default=8.0,
                        help="memory at which a child process (ingest, page timing, pandas) is stopped; default 8")
    parser.add_argument("--explain", type=int, default=5, help="slowest calls to profile at the largest size")
    parser.add_argument("--skip", default="", help="parts to leave out: extract,ingest,rerun (the ingest's second run),"
                        "queries,pandas")
    parser.add_argument("--workers", type=int, default=cores(), help="processes for the pool (default: all cores)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help=f"default {DEFAULT_WORKDIR}")
    parser.add_argument("--rebuild", action="store_true", help="rebuild synthetic databases even when reusable")
    parser.add_argument("--name", help="results file name part (default: the mode)")
    parser.add_argument("--render", type=Path, metavar="JSON", help="only rewrite latest.md from a results file")
    args = parser.parse_args(argv)
    if args.render:
        res = json.loads(args.render.read_text(encoding="utf-8"))
        view = with_latest_parts(res, args.render.name)
        (RESULTS / "latest.md").write_text(markdown(view, args.render.name), encoding="utf-8")
        return 0

    mode_name = "quick" if args.quick else "full" if args.full else "default"
    cfg = dict(MODES[mode_name])
    for key in ("extract_n", "ingest_sizes", "query_sizes", "repeats", "pandas_max", "page_budget"):
        if getattr(args, key) is not None:
            cfg[key] = getattr(args, key)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    args.workdir.mkdir(parents=True, exist_ok=True)
    res: dict[str, Any] = {"mode": args.name or mode_name, "started": datetime.now().isoformat(timespec="seconds"),
                           "config": {**cfg, "skip": sorted(skip), "workers": args.workers, "seed": args.seed,
                                      "workdir": str(args.workdir), "page_timeout": args.page_timeout,
                                      "rss_limit_gb": args.rss_limit_gb},
                           "machine": machine(), "targets": TARGETS}
    log(f"bench mode {res['mode']}: {cfg}")
    if "extract" not in skip:
        res["extraction"] = bench_extraction(cfg["extract_n"], args.seed, args.workers)
    if "ingest" not in skip:
        res["ingest"] = bench_ingest(cfg["ingest_sizes"], args.seed, args.workdir, args.workers,
                                     args.rss_limit_gb * 1024, rerun="rerun" not in skip)
    if "queries" not in skip:
        res["queries"] = bench_queries(cfg["query_sizes"], args.seed, args.workdir, cfg["repeats"],
                                       cfg["page_budget"], cfg["pandas_max"], args.rebuild, "pandas" in skip,
                                       args.page_timeout, args.rss_limit_gb * 1024, args.explain)
    res["finished"] = datetime.now().isoformat(timespec="seconds")
    res["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    res["verdicts"] = verdicts(res)
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_name = f"{res['started'][:10]}-{res['mode']}.json"
    (RESULTS / json_name).write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    view = with_latest_parts(res, json_name)
    (RESULTS / "latest.md").write_text(markdown(view, json_name), encoding="utf-8")
    log(f"results: {RESULTS / json_name}, {RESULTS / 'latest.md'}")
    for v in res["verdicts"]:
        log(f"  {'met ' if v['met'] else 'MISS'} {v['target']}: {v['measured']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
