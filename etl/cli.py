"""Command line: ``python -m etl ingest`` builds the database, ``python -m etl extract`` prints JSON.

``ingest [DIR|FILE ...] --db PATH`` reads every report under the folders (``data/raw`` by default),
prints one line per file (loaded / unchanged / skipped / failed with the reason) and a summary,
and swaps a new database in at PATH (``data/disclosure.duckdb`` by default). Its exit status is
non-zero only when nothing could be loaded. ``--workers N`` extracts in N processes (default: one
per core); ``--parquet [DIR]`` also exports partitioned Parquet (default ``parquet/`` beside the
database); ``--engine dask --scheduler ADDRESS`` runs the extraction on a Dask cluster (without an
address, on a local one).

``extract --jsonl FILE ...`` prints one JSON object per report without touching a database.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from etl.load import BATCH_SIZE, FileResult, build_database
from etl.model import ReadError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = ROOT / "data" / "raw"
DEFAULT_DB = ROOT / "data" / "disclosure.duckdb"
PARQUET_BESIDE = Path("<beside the database>")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="build the DuckDB database from report files")
    ingest.add_argument("inputs", nargs="*", type=Path, help=f"folders or files (default {DEFAULT_RAW})")
    ingest.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"database path (default {DEFAULT_DB})")
    ingest.add_argument("--quiet", action="store_true", help="print only the summary")
    ingest.add_argument("--workers", type=int, default=None, metavar="N",
                        help="extraction processes (default: one per core)")
    ingest.add_argument("--batch-size", type=int, default=BATCH_SIZE, metavar="N",
                        help=f"reports written to the database at a time (default {BATCH_SIZE})")
    ingest.add_argument("--parquet", type=Path, nargs="?", const=PARQUET_BESIDE, default=None, metavar="DIR",
                        help="also export partitioned Parquet to DIR (default: parquet/ beside the database)")
    ingest.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="where extraction runs (default: local processes)")
    ingest.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786")
    extract = sub.add_parser("extract", help="print what is extracted from each file")
    extract.add_argument("files", nargs="+", help="report files")
    extract.add_argument("--jsonl", action="store_true", help="one JSON object per line (the default)")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on odd PDFs are not ours to show
    if args.command == "ingest":
        parquet = args.db.parent / "parquet" if args.parquet is PARQUET_BESIDE else args.parquet
        return run_ingest(args.inputs or [DEFAULT_RAW], args.db, quiet=args.quiet, workers=args.workers,
                          batch_size=args.batch_size, parquet=parquet, engine=args.engine, scheduler=args.scheduler)
    return run_extract(args.files)


def run_ingest(inputs: list[Path], db: Path, quiet: bool = False, workers: int | None = None,
               batch_size: int = BATCH_SIZE, parquet: Path | None = None, engine: str = "local",
               scheduler: str | None = None) -> int:
    def show(result: FileResult) -> None:
        if quiet:
            return
        line = f"{result.status:9}{result.path}" + (f": {result.reason}" if result.reason else "")
        from tqdm import tqdm

        tqdm.write(line, file=sys.stderr if result.status == "failed" else sys.stdout)

    cluster = None
    if engine == "dask":
        from etl.dask_engine import DaskEngine

        try:
            cluster = DaskEngine(scheduler, workers)
        except ImportError as exc:
            print(f"failed   {exc}", file=sys.stderr)
            return 2
        except OSError as exc:  # includes timeouts
            print(f"failed   cannot reach the Dask scheduler {scheduler}: {exc}", file=sys.stderr)
            return 2
    try:
        summary = build_database(inputs, db, on_result=show, progress=not quiet, workers=workers,
                                 batch_size=batch_size, parquet_dir=parquet, engine=cluster, keep_results=False)
    finally:
        if cluster is not None:
            cluster.close()
    if parquet is not None:
        print(f"Parquet in {parquet}")
    print(f"{summary.count('loaded')} loaded, {summary.count('unchanged')} unchanged, "
          f"{summary.count('skipped')} skipped, {summary.count('failed')} failed; "
          f"{summary.reports_in_db} reports in {db}")
    return 0 if summary.reports_in_db else 1


def run_extract(files: list[str]) -> int:
    from etl.extract import extract_file, to_record

    for name in files:
        try:
            record = to_record(extract_file(name))
        except ReadError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            record = {"source": name, "error": str(exc)}
        except OSError as exc:
            print(f"{name}: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
            record = {"source": name, "error": str(exc)}
        print(json.dumps(record, ensure_ascii=False))
    return 0
