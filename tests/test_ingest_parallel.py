"""The engine: parallel extraction in input order, streaming batches, incremental re-runs, Parquet export."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

import etl.load
from etl.cli import main
from etl.load import build_database, find_report_files
from etl.model import ReadError
from etl.parallel import Extracted, FileResult, PoolEngine, Task, run_ordered
from etl.readers import read_bytes
from tests.dbrows import rows

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
ORDER = {  # every table, in an order that does not depend on how the rows were written
    "reports": "SELECT * EXCLUDE (loaded_at) FROM reports ORDER BY report_id",
    "facts": "SELECT * FROM facts ORDER BY fact_id",
    "problems": "SELECT * FROM problems ORDER BY ALL",
    "validation_issues": "SELECT * FROM validation_issues ORDER BY ALL",
    "bureaus": "SELECT * FROM bureaus ORDER BY ALL",
    "ingest_log": "SELECT * EXCLUDE (logged_at) FROM ingest_log ORDER BY ALL",
    "corrections": "SELECT * FROM corrections ORDER BY ALL",
}


@pytest.fixture(autouse=True)
def same_extractor(monkeypatch):
    """Rows are reused only from a database built by the same ETL code; pin it while others edit the code."""
    monkeypatch.setattr("etl.load.extractor_fingerprint", lambda: "test")


def dump(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS db (READ_ONLY)", [str(db)])
        con.execute("USE db")
        return {t: con.execute(q).fetchall() for t, q in ORDER.items()}
    finally:
        con.close()


def test_parallel_batched_extraction_equals_one_process_row_for_row(tmp_path):
    one, many = tmp_path / "one.duckdb", tmp_path / "many.duckdb"
    build_database([RAW], one, workers=1)
    summary = build_database([RAW], many, workers=2, batch_size=3)
    assert summary.count("loaded") == 29
    assert [r.path for r in summary.results] == [str(p) for p in find_report_files([RAW])]
    assert dump(one) == dump(many)


def test_chunks_of_worker_arrow_tables_write_the_rows_of_one_process(tmp_path):
    """Chunks of 4 files come back as Arrow tables; batches of 5 reports cut across them, and the
    cross-year comparisons run on the same workers."""
    one, chunked = tmp_path / "one.duckdb", tmp_path / "chunked.duckdb"
    build_database([RAW], one, workers=1)
    engine = PoolEngine(2, chunk=4)
    try:
        summary = build_database([RAW], chunked, engine=engine, batch_size=5)
    finally:
        engine.close()
    assert summary.count("loaded") == 29
    assert [r.path for r in summary.results] == [str(p) for p in find_report_files([RAW])]
    assert dump(one) == dump(chunked)
    cells = "SELECT * FROM report_cells ORDER BY report_id"
    assert rows(one, cells) == rows(chunked, cells) and len(rows(one, cells)) == 29


def test_read_bytes_gives_the_bytes_or_a_reason(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"report")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "folder.txt").mkdir()
    assert read_bytes(tmp_path / "a.txt") == b"report" and read_bytes("upload.txt", b"abc") == b"abc"
    for name in ("empty.txt", "folder.txt", "missing.txt"):
        assert _error(read_bytes, tmp_path / name) != ""


def _error(read, path: Path) -> str:
    try:
        read(path)
    except ReadError as exc:
        return str(exc)
    return ""


class CountingEngine:
    window = 4

    def submit(self, task: Task) -> Task:
        return task

    def result(self, handle: Task, task: Task) -> Extracted:
        return Extracted(FileResult(task.path, "loaded"))

    def close(self) -> None:
        pass


def test_results_stream_in_input_order_with_a_bounded_read_ahead():
    pulled = []

    def endless():
        i = 0
        while True:
            pulled.append(i)
            yield Task(f"f{i}", "0" * 64) if i % 3 else Extracted(FileResult(f"f{i}", "skipped"))
            i += 1

    results = run_ordered(endless(), CountingEngine())
    first = [next(results).result.path for _ in range(10)]
    assert first == [f"f{i}" for i in range(10)]
    assert len(pulled) <= 10 + 3 * CountingEngine.window


def test_files_are_read_while_results_are_written_not_all_first(tmp_path, monkeypatch):
    reads: list[Path] = []
    real = etl.load.read_bytes
    monkeypatch.setattr("etl.load.read_bytes", lambda path, *rest: reads.append(path) or real(path, *rest))
    read_when_reported: list[int] = []
    build_database([RAW / "samples"], tmp_path / "r.duckdb", workers=1, batch_size=5,
                   on_result=lambda result: read_when_reported.append(len(reads)))
    assert read_when_reported[0] <= 2 and read_when_reported[-1] == 24
    assert all(n <= i + 2 for i, n in enumerate(read_when_reported, 1))


def explode_on_boom(task: Task) -> Extracted:
    """Run in a worker process: a file that kills the process that reads it."""
    if "boom" in task.path:
        os._exit(1)
    return Extracted(FileResult(task.path, "loaded"))


@pytest.mark.parametrize("chunk", [64, 2])
def test_a_file_that_kills_its_worker_fails_alone(chunk):
    engine = PoolEngine(2, fn=explode_on_boom, chunk=chunk)
    try:
        tasks = [Task(name, "0" * 64) for name in ("a.txt", "b.txt", "boom.txt", "c.txt", "d.txt", "e.txt")]
        results = [e.result for e in run_ordered(tasks, engine)]
    finally:
        engine.close()
    assert [(r.path, r.status) for r in results] == [
        ("a.txt", "loaded"), ("b.txt", "loaded"), ("boom.txt", "failed"), ("c.txt", "loaded"), ("d.txt", "loaded"),
        ("e.txt", "loaded")]
    assert "died" in results[2].reason


def test_a_changed_file_replaces_only_its_own_rows(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "samples", raw / "samples")
    db = tmp_path / "r.duckdb"
    build_database([raw], db, workers=1)
    before = dump(db)
    changed = raw / "samples" / "005.txt"
    changed.write_bytes(changed.read_bytes().replace(b"112", b"113", 1))
    summary = build_database([raw], db, workers=1)
    assert summary.count("loaded") == 1 and summary.count("unchanged") == 23
    new_id = next(r.report_id for r in summary.results if r.status == "loaded")
    old_id = next(r[0] for r in before["reports"] if r[2].endswith("005.txt"))
    after = dump(db)
    assert {r[0] for r in after["reports"]} == {r[0] for r in before["reports"]} - {old_id} | {new_id}

    def without(rows: list[tuple], report_id: str, drop_first: bool = False) -> list[tuple]:
        return sorted((r[1:] if drop_first else r for r in rows if report_id not in (r[0], r[1])), key=repr)

    assert without(after["reports"], new_id) == without(before["reports"], old_id)
    assert without(after["facts"], new_id, True) == without(before["facts"], old_id, True)
    assert without(after["problems"], new_id) == without(before["problems"], old_id)


def test_parquet_export_is_partitioned_by_year_and_province(tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "seeds", raw / "seeds")
    db = tmp_path / "data" / "r.duckdb"
    assert main(["ingest", str(raw), "--db", str(db), "--parquet", "--workers", "1", "--quiet"]) == 0
    out = tmp_path / "data" / "parquet"
    assert f"Parquet in {out}" in capsys.readouterr().out
    guangdong = out / "facts" / "year=2017" / "province=%E5%B9%BF%E4%B8%9C%E7%9C%81"
    assert list(guangdong.glob("*.parquet"))
    assert {p.name for p in out.glob("*.parquet")} == {"bureaus.parquet", "corrections.parquet",
                                                      "ingest_log.parquet", "meta.parquet"}
    facts = ds.dataset(out / "facts", format="parquet", partitioning="hive").to_table()
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert facts.num_rows == con.execute("SELECT count(*) FROM facts").fetchall()[0][0]
        by_place = con.execute(f"""
            SELECT year, province, count(*) FROM read_parquet('{out}/facts/**/*.parquet', hive_partitioning = true)
            GROUP BY ALL ORDER BY ALL""").fetchall()
        expected = con.execute("""
            SELECT r.year, b.province, count(*) FROM facts f JOIN reports r USING (report_id)
            JOIN bureaus b USING (bureau_id) GROUP BY ALL ORDER BY ALL""").fetchall()
    finally:
        con.close()
    assert by_place == expected and ("广东省" in {p for _, p, _ in by_place})
    assert main(["ingest", str(raw), "--db", str(db), "--parquet", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith("parquet")) == ["parquet"]
