"""Building the DuckDB database: atomic swap, incremental re-runs, bad input, cross-year checks."""

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from etl.load import build_database

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw" / "seeds"
SAMPLES = ROOT / "data" / "raw" / "samples"


@pytest.fixture(autouse=True)
def same_extractor(monkeypatch):
    """Rows are reused only from a database built by the same ETL code; pin it while others edit the code."""
    monkeypatch.setattr("etl.load.extractor_fingerprint", lambda: "test")


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw" / "seeds"
    folder.mkdir(parents=True)
    for name in ("003_b8557501b183c911.txt", "004_56a78c0e6f61d296.txt"):
        shutil.copy(SEEDS / name, folder / name)
    return tmp_path / "raw"


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_build_stores_reports_facts_with_evidence_and_problems(raw, tmp_path):
    db = tmp_path / "reports.duckdb"
    summary = build_database([raw], db)
    assert summary.count("loaded") == 2 and summary.count("failed") == 0
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 2
    value, evidence, start, end = rows(
        db, "SELECT f.value, f.evidence, f.start_offset, f.end_offset FROM facts f JOIN reports r USING (report_id) "
            "WHERE f.headline AND f.metric = 'proactive_total' AND r.year = 2017")[0]
    assert value == 68 and "累计主动公开政府信息68条" in evidence
    body = rows(db, "SELECT body FROM reports WHERE year = 2017")[0][0]
    assert body[start:end] == evidence
    assert rows(db, "SELECT province, city, county FROM bureaus WHERE name LIKE '%湘桥区教育局'") == [
        ("广东省", "潮州市", "湘桥区")]
    assert rows(db, "SELECT count(*) FROM problems WHERE theme = 'timeliness'")[0][0] >= 1
    assert rows(db, "SELECT collection, is_sample FROM reports LIMIT 1") == [("seeds", False)]


def test_rerun_skips_unchanged_files_and_keeps_their_rows(raw, tmp_path):
    db = tmp_path / "reports.duckdb"
    build_database([raw], db)
    before = rows(db, "SELECT count(*) FROM facts")[0][0]
    summary = build_database([raw], db)
    assert summary.count("unchanged") == 2 and summary.count("loaded") == 0
    assert rows(db, "SELECT count(*) FROM facts")[0][0] == before


def test_unchanged_reports_copied_block_by_block_keep_their_rows_and_order(raw, tmp_path, monkeypatch):
    from etl import store_write

    def rerun(name: str) -> list[tuple]:
        db = tmp_path / name / "reports.duckdb"
        db.parent.mkdir()
        build_database([raw], db)
        assert build_database([raw], db).count("unchanged") == 2
        return rows(db, "SELECT f.fact_id, r.path, f.metric, f.raw, f.start_offset FROM facts f "
                        "JOIN reports r USING (report_id) ORDER BY f.fact_id")

    whole = rerun("whole")
    monkeypatch.setattr(store_write, "CARRY_BLOCK", 1)  # one report per copy
    assert rerun("blocks") == whole and len({path for _, path, *_ in whole}) == 2


def test_facts_keep_unique_ids_and_existing_reports_through_changes_uploads_and_corrections(raw, tmp_path):
    """``facts`` has no key constraints (etl/schema.sql): what they guarded must hold by construction."""
    from etl.corrections import add_correction
    from etl.load import add_files

    db = tmp_path / "reports.duckdb"
    build_database([raw], db)
    changed = raw / "seeds" / "004_56a78c0e6f61d296.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n附件：无。\n", encoding="utf-8")
    shutil.copy(SEEDS / "002_46ddf779bae131d7.txt", raw / "seeds")
    assert build_database([raw], db).count("unchanged") == 1
    add_files([SEEDS / "000_6ff0f60036f403dd.txt"], db, uploads_dir=tmp_path / "uploads")
    target = rows(db, "SELECT fact_id FROM report_values WHERE metric = 'proactive_total' LIMIT 1")[0][0]
    add_correction(db, fact_id=target, new_value=1, reason="原文笔误", corrected_by="supervisor")
    build_database([raw], db)  # the rebuild re-applies the correction to a copied fact
    total, distinct = rows(db, "SELECT count(*), count(DISTINCT fact_id) FROM facts")[0]
    assert total == distinct > 0
    assert rows(db, "SELECT count(*) FROM facts WHERE report_id NOT IN (SELECT report_id FROM reports)") == [(0,)]
    assert rows(db, "SELECT count(*) FROM facts WHERE corrected AND value = 1") == [(1,)]


def test_duckdb_keeps_to_one_thread_while_files_are_extracted_and_uses_every_core_after(raw, tmp_path, monkeypatch):
    import os

    from etl import store_write

    seen: dict[str, int] = {}
    flush, close = store_write.BatchWriter.flush, store_write.BatchWriter.close

    def threads(writer: store_write.BatchWriter) -> int:
        return int(writer.con.execute("SELECT current_setting('threads')").fetchone()[0])

    def recording_flush(self):
        seen.setdefault("writing", threads(self))
        flush(self)

    def recording_close(self):
        seen["copying"] = threads(self)
        close(self)

    monkeypatch.setattr(store_write.BatchWriter, "flush", recording_flush)
    monkeypatch.setattr(store_write.BatchWriter, "close", recording_close)
    build_database([raw], tmp_path / "reports.duckdb", batch_size=1)  # a batch is written while extracting
    assert seen == {"writing": 1, "copying": os.cpu_count()}


def test_bad_files_are_logged_and_the_batch_goes_on(raw, tmp_path):
    (raw / "seeds" / "empty.txt").write_bytes(b"")
    (raw / "seeds" / "junk.pdf").write_bytes(b"\x00\x01\x02 not a pdf at all")
    shutil.copy(raw / "seeds" / "003_b8557501b183c911.txt", raw / "seeds" / "copy.txt")
    db = tmp_path / "reports.duckdb"
    summary = build_database([raw], db)
    by_name = {Path(r.path).name: r for r in summary.results}
    assert by_name["empty.txt"].status == "failed" and by_name["empty.txt"].reason
    assert by_name["junk.pdf"].status == "failed"
    assert by_name["copy.txt"].status == "skipped" and "same content" in by_name["copy.txt"].reason
    assert summary.count("loaded") == 2
    logged = dict(rows(db, "SELECT status, count(*) FROM ingest_log GROUP BY status"))
    assert logged == {"failed": 2, "loaded": 2, "skipped": 1}


def test_nothing_loadable_keeps_the_previous_database(raw, tmp_path):
    db = tmp_path / "reports.duckdb"
    build_database([raw], db)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(broken), "--db", str(db), "--quiet"]) == 1
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 2


def test_cross_year_checks_on_a_bureau_series(tmp_path):
    db = tmp_path / "reports.duckdb"
    build_database([SAMPLES], db)
    years = rows(db, "SELECT b.name, list(r.year ORDER BY r.year) FROM reports r JOIN bureaus b USING (bureau_id) "
                     "GROUP BY b.name ORDER BY b.name")
    assert len(years) == 6  # six bureaus over four years, renamed bureaus kept as one
    assert all(len(y) == 4 for _, y in years)
    assert rows(db, "SELECT bool_and(is_sample) FROM bureaus")[0][0] is True


def test_cli_prints_one_line_per_file_and_a_summary(raw, tmp_path, capsys):
    db = tmp_path / "reports.duckdb"
    assert main(["ingest", str(raw), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "loaded   " in out and "2 loaded, 0 unchanged, 0 skipped, 0 failed; 2 reports in" in out


def test_extract_jsonl_has_the_documented_keys(capsys):
    assert main(["extract", "--jsonl", str(SEEDS / "003_b8557501b183c911.txt")]) == 0
    import json

    record = json.loads(capsys.readouterr().out)
    assert {"source", "bureau", "province", "city", "county", "year", "proactive_total", "channels",
            "applications_received", "reconsideration", "litigation", "consultations", "problems", "facts",
            "flags"} <= set(record)
    assert record["channels"] == {"website": 26, "wechat": 169}


def test_files_left_by_a_killed_build_are_removed_by_the_next(raw, tmp_path):
    db = tmp_path / "reports.duckdb"
    stale = [tmp_path / "reports.duckdb.tmp-999999999-0a1b2c3d", tmp_path / "reports.duckdb.tmp-999999999-0a1b2c3d.wal"]
    for path in stale:
        path.write_bytes(b"half-written")
    (tmp_path / "parquet.tmp-999999999-0a1b2c3d").mkdir()
    assert main(["ingest", str(raw), "--db", str(db), "--parquet", str(tmp_path / "parquet"), "--quiet"]) == 0
    assert not any(p.exists() for p in stale)
    assert sorted(p.name for p in tmp_path.iterdir() if "tmp-" in p.name or "old-" in p.name) == []


def test_a_database_of_an_older_schema_is_rebuilt_from_the_files(raw, tmp_path):
    db = tmp_path / "reports.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    summary = build_database([raw], db)
    assert summary.count("loaded") == 2
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]


def test_cli_workers_and_batches_give_the_same_lines_and_summary(raw, tmp_path, capsys):
    for name in ("001.txt", "002.txt", "003.txt", "004.txt", "005.txt", "006.txt"):
        shutil.copy(SAMPLES / name, raw / "seeds" / name)
    db = tmp_path / "reports.duckdb"
    assert main(["ingest", str(raw), "--db", str(db), "--workers", "2", "--batch-size", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out[:-1]] == ["loaded"] * 8
    assert [line.split(":")[0].split("/")[-1] for line in out[:-1]] == sorted(p.name for p in (raw / "seeds").iterdir())
    assert out[-1].startswith("8 loaded, 0 unchanged, 0 skipped, 0 failed; 8 reports in")
