"""Stage 7: report files → a DuckDB database, written to a new file and swapped in atomically.

Takes folders or files of reports and a database path; gives an ``IngestSummary`` and a database
whose tables are documented in ``schema.sql``.

- ``build_database(inputs, db_path)`` (``python -m etl ingest``): afterwards the database holds the
  reports under ``inputs``. A file whose bytes are unchanged since the last build is copied from the
  old database instead of being extracted again, so a changed file replaces only its own rows. New
  files are extracted on all cores (``etl.parallel``, or a Dask cluster: ``etl.dask_engine``), in
  chunks whose rows come back as Arrow tables, in input order, and appended every ``batch_size``
  reports (``etl.store_write``): memory stays flat. This process reads and hashes each file (to
  find unchanged and duplicate ones), inserts, and logs; the names and hashes it keeps for the whole
  run take about 25 bytes a file (``etl.ingest_state``).
- ``add_files(files, db_path)`` (uploads from the dashboard): the old database plus the new
  files, which are stored under ``data/raw/uploads`` so that later ingests keep them.

Both build beside the live file and swap it in with ``os.replace`` (``etl.store_swap``): a reader
never sees a half-written database, and a process killed at any point leaves the previous one
intact (its leftover temp file is removed by the next build). A file that fails is logged with a
one-line reason and the rest go on. Both then number report versions (``etl.store_versions``),
merge and apply corrections (``etl.corrections``), run the cross-year checks (their text comparisons
on the extraction processes, when they were started) and can export Parquet (``etl.parquet_export``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path

import duckdb

from etl.corrections import apply_corrections, finish, merge_corrections
from etl.crossyear import cross_year_issues
from etl.ingest_state import DigestIndex, NameList
from etl.model import ReadError
from etl.parallel import (
    CHUNK,
    Engine,
    Extracted,
    FileResult,
    InlineEngine,
    PoolEngine,
    Task,
    one_line,
    run_ordered,
)
from etl.parquet_export import export_parquet
from etl.readers import SUPPORTED_SUFFIXES, content_hash, read_bytes, safe_name
from etl.store_rows import report_id_of
from etl.store_swap import (
    BUILD_THREADS,
    allow_summary_memory,
    building,
    clean_stale,
    connect_build,
    read_only,
    use_every_core,
    writer_lock,
)
from etl.store_versions import assign_versions
from etl.store_write import BATCH_SIZE, DERIVED_RULES, BatchWriter, insert_lists
from etl.summary import CELLS_DDL, build_summary

__all__ = ["FileResult", "IngestSummary", "add_files", "build_database", "find_report_files"]

SCHEMA_VERSION = "2"
SCHEMA_SQL = (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")
SKIPPED_NAMES = {"gold.jsonl", "MANIFEST.csv", "README.md", "SOURCES.csv"}
SAMPLE_COLLECTIONS = {"samples"}
POOL_MIN_FILES = 64
"""Fewer files than this are extracted in this process: starting the workers takes about a second."""


@dataclass
class IngestSummary:
    db_path: Path
    results: list[FileResult] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    keep_results: bool = True  # False: only counts, for corpora too large to list

    def add(self, result: FileResult) -> None:
        self.counts[result.status] += 1
        if self.keep_results:
            self.results.append(result)

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def reports_in_db(self) -> int:
        """Reports of this run in the database: loaded or unchanged (``add_files`` keeps the others too)."""
        return self.count("loaded") + self.count("unchanged")


@dataclass
class Carry:
    """An unchanged file: its rows are copied from the old database."""

    result: FileResult
    mtime: datetime | None


def find_report_files(inputs: Iterable[Path]) -> list[Path]:
    """The report files under ``inputs`` in ingest order: files as given, folders' files sorted by path."""
    return [Path(name) for name in report_file_names(inputs)]


def report_file_names(inputs: Iterable[Path]) -> list[str]:
    """``find_report_files`` as strings, without a ``Path`` per file.

    An ingest keeps the list for its whole run; 100,000 ``Path`` objects (and ``rglob``'s set of
    them) took about 50 MB of the writing process, their names alone take a quarter of that.
    A folder's files come in the order of their paths' parts (a walk visiting each folder's
    entries sorted by name); hidden files and folders, and files under a hidden input folder, are
    left out; symbolic links to folders are not followed, those to files are taken.
    """
    files: list[str] = []
    _collect_names(inputs, files)
    return files


def _collect_names(inputs: Iterable[Path], files: list[str] | NameList) -> None:
    for item in inputs:
        if item.is_file():
            files.append(str(item))
        elif item.is_dir() and not any(part.startswith(".") for part in item.parts):
            base = str(item)
            _walk(base, "" if base == "." else base if base.endswith(os.sep) else base + os.sep, files)


def _walk(folder: str, prefix: str, files: list[str] | NameList) -> None:
    """Append the report files under ``folder`` (named ``prefix`` + their path below it) to ``files``."""
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
    except PermissionError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        name = prefix + entry.name
        try:
            is_dir = entry.is_dir() and not entry.is_symlink()
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        if is_dir:
            _walk(entry.path, name + os.sep, files)
        elif (is_file and os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES
              and entry.name not in SKIPPED_NAMES):
            files.append(name)


def collection_of(path: Path, roots: list[Path], resolve: Callable[[Path], Path] = Path.resolve) -> str | None:
    for root in roots:
        try:
            rel = resolve(path).relative_to(resolve(root))
        except ValueError:
            continue
        return rel.parts[0] if len(rel.parts) > 1 else root.name
    return path.parent.name or None


def cached_resolve() -> Callable[[Path], Path]:
    """``Path.resolve`` for many files of few folders: each folder is resolved once, a file only when
    it is a symbolic link (otherwise it is its resolved folder plus its name)."""
    folders: dict[Path, Path] = {}

    def resolve(path: Path) -> Path:
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        folder = folders.get(path.parent)
        if folder is None:
            folder = folders[path.parent] = path.parent.resolve()
        return folder / path.name

    return resolve


def extractor_fingerprint() -> str:
    """A hash of the ETL's code: rows are reused from an old database only if it was built by the same code."""
    digest = hashlib.sha256()
    for source in [*sorted(Path(__file__).parent.glob("*.py")), Path(__file__).parent / "schema.sql"]:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA_SQL)
    con.execute(CELLS_DDL)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('built_at', ?), ('extractor', ?)",
                [SCHEMA_VERSION, datetime.now().isoformat(timespec="seconds"), extractor_fingerprint()])


def build_database(inputs: list[Path], db_path: Path, on_result: Callable[[FileResult], None] | None = None,
                   progress: bool = False, *, workers: int | None = None, batch_size: int = BATCH_SIZE,
                   parquet_dir: Path | None = None, engine: Engine | None = None,
                   keep_results: bool = True) -> IngestSummary:
    """Extract every report under ``inputs`` and swap a new database in at ``db_path``.

    ``workers`` processes extract (default: one per core); ``engine`` replaces them (a Dask
    cluster). ``parquet_dir`` also exports the database there. When nothing could be loaded and a
    database exists, it is kept as it was.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    summary = IngestSummary(db_path, keep_results=keep_results)
    with writer_lock(db_path) as writer:
        clean_stale(db_path)
        files = NameList()
        _collect_names(inputs, files)
        old = _old_hashes(db_path)
        old_digests = old if old is not None else DigestIndex()
        workers = workers or os.cpu_count() or 1
        own_engine = engine is None
        if engine is None:
            engine = (PoolEngine(workers, chunk=_chunk_size(len(files), workers))
                      if workers > 1 and len(files) >= POOL_MIN_FILES else InlineEngine())
        try:
            with building(db_path) as tmp:
                con = connect_build(tmp, BUILD_THREADS)
                try:
                    apply_schema(con)
                    if old is not None:
                        con.execute("ATTACH ? AS old (READ_ONLY)", [str(db_path)])
                    batches = BatchWriter(con, datetime.now(), batch_size, carry_from_old=old is not None)
                    bar = _progress(len(files)) if progress and len(files) > 5 else None
                    missing = [Extracted(FileResult(str(p), "failed", "no such file or folder"))
                               for p in inputs if not p.exists()]
                    for item in run_ordered(chain(missing, _plan(files, inputs, old_digests)), engine):
                        result = _record(item, batches)
                        summary.add(result)
                        batches.log(result)
                        if on_result:
                            on_result(result)
                        if bar is not None:
                            bar.update()
                    if bar is not None:
                        bar.close()
                    # A name per file and, on a re-run, a hash per old report: the steps below do not read them.
                    old_catalog, same_code = ("old" if old is not None else None), bool(old)
                    del files, old, old_digests
                    use_every_core(con)  # every file is extracted: the copy of unchanged reports gets all cores
                    batches.close()
                    if summary.reports_in_db == 0 and db_path.exists():
                        return summary  # nothing loaded: keep what was there
                    _finalize(con, db_path, old_catalog, same_code=same_code, engine=engine,
                              release=engine.close if own_engine else None)
                    finish(con, tmp, db_path, writer)
                finally:
                    con.close()
        finally:
            if own_engine:
                engine.close()
        if parquet_dir is not None:
            export_parquet(db_path, parquet_dir)
    return summary


def add_files(files: Iterable[str | Path | tuple[str, bytes]], db_path: str | Path, *,
              uploads_dir: str | Path | None = None, on_result: Callable[[FileResult], None] | None = None,
              parquet_dir: Path | None = None, engine: Engine | None = None) -> IngestSummary:
    """Add report files to the database at ``db_path``, keeping every report already in it.

    Each item is a path or an upload ``(file name, bytes)``. A file that loads and is not already
    under the raw-data folder is stored in ``uploads_dir`` (default ``<db folder>/raw/uploads``)
    under a safe name (``etl.readers.safe_name``), so that later ingests of ``data/raw`` keep it.
    Content already in the database is skipped; a second, different file for the same bureau and
    year becomes the newer, active version. Failed files are only logged: nothing of them is
    stored. The dashboard keeps reading the old file until the new one is swapped in.
    """
    db_path = Path(db_path)
    uploads = Path(uploads_dir) if uploads_dir is not None else db_path.parent / "raw" / "uploads"
    summary = IngestSummary(db_path)
    with writer_lock(db_path) as writer:
        clean_stale(db_path)
        _require_current_schema(db_path)
        items = list(_plan_uploads(files, uploads))
        known = _known_paths(db_path, [i.digest for i in items if isinstance(i, Task)])
        with building(db_path) as tmp:
            if db_path.exists():
                shutil.copyfile(db_path, tmp)
            con = connect_build(tmp)
            try:
                if not db_path.exists():
                    apply_schema(con)
                batches = BatchWriter(con, datetime.now())
                touched: set[str] = set()
                tasks = {i.path: i for i in items if isinstance(i, Task)}
                engine = engine or InlineEngine()
                for item in run_ordered([_already_known(i, known) for i in items], engine):
                    if item.rows is not None:
                        _store(tasks[item.rows.path])
                        touched.add(item.rows.bureau_id)
                        batches.add(item.rows)
                    summary.add(item.result)
                    batches.log(item.result)
                    if on_result:
                        on_result(item.result)
                batches.close()
                _finalize(con, db_path, None, touched, engine=engine)
                finish(con, tmp, db_path, writer)
            finally:
                con.close()
        if parquet_dir is not None:
            export_parquet(db_path, parquet_dir)
    return summary


def _chunk_size(files: int, workers: int) -> int:
    """``CHUNK`` files per task, fewer for a small corpus so that every worker gets a few chunks."""
    return max(1, min(CHUNK, files // (workers * 4)))


def _progress(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="file", file=sys.stderr, leave=False)


def _old_hashes(db_path: Path) -> DigestIndex | None:
    """The content hashes of an existing database to reuse rows from; None when there is none.

    Only a database of this schema version built by the same ETL code is reused: after a change to
    the extractor every file is extracted again (its corrections are still carried over).
    """
    if not db_path.exists():
        return None
    try:
        with read_only(db_path) as old:
            meta = dict(old.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("schema_version") != SCHEMA_VERSION or meta.get("extractor") != extractor_fingerprint():
                return DigestIndex() if meta.get("schema_version") == SCHEMA_VERSION else None
            # a report id is its hash's first 16 hex digits: ``digest_key`` in SQL
            keys = old.execute("SELECT k FROM (SELECT TRY_CAST('0x' || report_id AS UBIGINT) AS k FROM reports) "
                               "WHERE k IS NOT NULL").fetchnumpy()["k"]
            return DigestIndex(keys)
    except duckdb.Error:
        return None


def _plan(files: NameList, roots: list[Path], old: DigestIndex) -> Iterator[Task | Carry | Extracted]:
    """Each file as a task to extract, an unchanged one to carry, or a result already known (in order)."""
    seen = DigestIndex()  # content hash → the index of the first file with it
    resolve = cached_resolve()
    for index, name in enumerate(files):
        path = Path(name)
        try:
            digest = content_hash(read_bytes(path))
        except ReadError as exc:
            yield Extracted(FileResult(name, "failed", one_line(str(exc))))
            continue
        first = seen.get(digest)
        if first is not None:
            yield Extracted(FileResult(name, "skipped", f"same content as {files[first]}"))
            continue
        seen.add(digest, index)
        if digest in old:
            yield Carry(FileResult(name, "unchanged", "unchanged since the last build", report_id_of(digest)),
                        _mtime(path))
            continue
        collection = collection_of(path, roots, resolve)
        yield Task(name, digest, collection, collection in SAMPLE_COLLECTIONS, _mtime(path))


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None


def _record(item: Carry | Extracted, batches: BatchWriter) -> FileResult:
    if isinstance(item, Carry):
        batches.carry(item.result.report_id, item.result.path, item.mtime)
    elif item.rows is not None:
        batches.add(item.rows)
    return item.result


def _plan_uploads(files: Iterable[str | Path | tuple[str, bytes]], uploads: Path) -> Iterator[Task | Extracted]:
    """Uploads and outside files become tasks on their bytes, to be stored in ``uploads`` if they load."""
    raw_root = uploads.parent.resolve()
    taken: set[str] = set()
    seen: dict[str, str] = {}
    for item in files:
        if isinstance(item, tuple):
            label, data = safe_name(item[0]), item[1]
        else:
            label, data = str(item), None
        try:
            data = read_bytes(item if data is None else label, data)
        except ReadError as exc:
            yield Extracted(FileResult(label, "failed", one_line(str(exc))))
            continue
        digest = content_hash(data)
        if digest in seen:
            yield Extracted(FileResult(label, "skipped", f"same content as {seen[digest]}"))
            continue
        seen[digest] = label
        if not isinstance(item, tuple) and _is_under(Path(item), raw_root):
            path = Path(item)
            yield Task(str(path), digest, collection_of(path, [raw_root]), False, _mtime(path), data)
            continue
        target = _free_name(uploads, safe_name(Path(label).name), digest, taken)
        yield Task(str(target), digest, uploads.name, False, datetime.now(), data, label)


def _is_under(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _free_name(folder: Path, name: str, digest: str, taken: set[str]) -> Path:
    """``folder/name``, or ``name-<hash>.ext`` when another file already has that name."""
    target = folder / name
    if str(target) in taken or (target.exists() and content_hash(target.read_bytes()) != digest):
        target = folder / f"{target.stem}-{digest[:8]}{target.suffix}"
    taken.add(str(target))
    return target


def _known_paths(db_path: Path, digests: list[str]) -> dict[str, str]:
    """content_hash → path of those of ``digests`` already in the database."""
    if not db_path.exists() or not digests:
        return {}
    with read_only(db_path) as con:
        return dict(con.execute("SELECT content_hash, path FROM reports WHERE list_contains(?, content_hash)",
                                [digests]).fetchall())


def _require_current_schema(db_path: Path) -> None:
    if not db_path.exists():
        return
    with read_only(db_path) as con:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    if not version or version[0][0] != SCHEMA_VERSION:
        raise ValueError(f"{db_path} was built by an older version of the ETL: run python -m etl ingest first")


def _already_known(item: Task | Extracted, known: dict[str, str]) -> Task | Extracted:
    if isinstance(item, Task) and item.digest in known:
        return Extracted(FileResult(item.label or item.path, "skipped",
                                    f"already loaded as report {report_id_of(item.digest)} ({known[item.digest]})"))
    return item


def _store(task: Task) -> None:
    """Write an upload's bytes to its place under the uploads folder (atomically, never over another file)."""
    target = Path(task.path)
    if task.label is None or (target.exists() and content_hash(target.read_bytes()) == task.digest):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part-{os.getpid()}")
    partial.write_bytes(task.data or b"")
    os.replace(partial, target)


def _finalize(con: duckdb.DuckDBPyConnection, db_path: Path, old: str | None,
              bureau_ids: set[str] | None = None, *, same_code: bool = False, engine: Engine | None = None,
              release: Callable[[], None] | None = None) -> None:
    """Versions, corrections and cross-year checks (for ``bureau_ids`` only, when given), then the
    dashboard's summary (``etl.summary``) and meta.

    ``old`` is the attached previous database; when it was built by the same code (``same_code``)
    the cross-year checks reuse its verdicts on pairs of reports it holds too. Their text
    comparisons run on ``engine`` (``Engine.map_ordered``); ``release`` is called once they are
    done (closing the extraction processes), so that their memory is free before the summary,
    the step where DuckDB uses the most: its memory limit is raised to ``SUMMARY_MEMORY`` for it.
    """
    assign_versions(con)
    merge_corrections(con, db_path, old)
    apply_corrections(con)
    if bureau_ids is not None:
        con.execute("DELETE FROM validation_issues WHERE list_contains(?, rule) AND report_id IN "
                    "(SELECT report_id FROM reports WHERE list_contains(?, bureau_id))",
                    [list(DERIVED_RULES), sorted(bureau_ids)])
    if bureau_ids is None or bureau_ids:
        mapper = engine.map_ordered if engine is not None else map
        _insert_issues(con, cross_year_issues(con, bureau_ids, old if same_code else None, mapper))
    if release is not None:
        release()
    allow_summary_memory(con)
    if old:
        con.execute(f"DETACH {old}")
    build_summary(con)
    con.execute("UPDATE meta SET value = ? WHERE key = 'built_at'", [datetime.now().isoformat(timespec="seconds")])


def _insert_issues(con: duckdb.DuckDBPyConnection, issues: list[dict]) -> None:
    rows = [(i["report_id"], i["rule"], i["severity"], i["message"], i["refs"]) for i in issues]
    if rows:
        insert_lists(con, "validation_issues", rows, ("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR[]"))
