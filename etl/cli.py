"""Command line: ``python -m etl ingest`` builds the database, ``python -m etl extract`` prints JSON.

``ingest [DIR|FILE ...] --db PATH`` reads every report under the folders (``data/raw`` by default),
prints one line per file (loaded / unchanged / skipped / failed with the reason) and a summary,
and swaps a new database in at PATH (``data/disclosure.duckdb`` by default). Its exit status is
non-zero only when nothing could be loaded.

``extract --jsonl FILE ...`` prints one JSON object per report without touching a database.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from etl.extract import extract_file, to_record
from etl.load import FileResult, build_database
from etl.model import ReadError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = ROOT / "data" / "raw"
DEFAULT_DB = ROOT / "data" / "disclosure.duckdb"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="build the DuckDB database from report files")
    ingest.add_argument("inputs", nargs="*", type=Path, help=f"folders or files (default {DEFAULT_RAW})")
    ingest.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"database path (default {DEFAULT_DB})")
    ingest.add_argument("--quiet", action="store_true", help="print only the summary")
    extract = sub.add_parser("extract", help="print what is extracted from each file")
    extract.add_argument("files", nargs="+", help="report files")
    extract.add_argument("--jsonl", action="store_true", help="one JSON object per line (the default)")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings on odd PDFs are not ours to show
    if args.command == "ingest":
        return run_ingest(args.inputs or [DEFAULT_RAW], args.db, quiet=args.quiet)
    return run_extract(args.files)


def run_ingest(inputs: list[Path], db: Path, quiet: bool = False) -> int:
    missing = [p for p in inputs if not p.exists()]
    for p in missing:
        print(f"failed   {p}: no such file or folder", file=sys.stderr)
    inputs = [p for p in inputs if p.exists()]

    def show(result: FileResult) -> None:
        if quiet:
            return
        line = f"{result.status:9}{result.path}" + (f": {result.reason}" if result.reason else "")
        from tqdm import tqdm

        tqdm.write(line, file=sys.stderr if result.status == "failed" else sys.stdout)

    summary = build_database(inputs, db, on_result=show, progress=not quiet)
    print(f"{summary.count('loaded')} loaded, {summary.count('unchanged')} unchanged, "
          f"{summary.count('skipped')} skipped, {summary.count('failed') + len(missing)} failed; "
          f"{summary.reports_in_db} reports in {db}")
    return 0 if summary.reports_in_db else 1


def run_extract(files: list[str]) -> int:
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
