"""Report versions and adding files to a live database (uploads)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from dbrows import rows

from etl.load import add_files, build_database
from etl.store_preview import preview_files
from etl.store_versions import list_versions

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "raw" / "samples"
SEEDS = ROOT / "data" / "raw" / "seeds"
ORIGINAL = (SAMPLES / "001.txt").read_bytes()  # 信丰县教育局 2014, 86 items disclosed
REVISED = ORIGINAL.replace("全年共主动公开政府信息86条".encode(), "全年共主动公开政府信息90条".encode())
DATA_TABLES = ("reports", "facts", "problems", "validation_issues", "bureaus", "corrections")



@pytest.fixture(autouse=True)
def same_extractor(monkeypatch):
    """Rows are reused only from a database built by the same ETL code; pin it while others edit the code."""
    monkeypatch.setattr("etl.load.extractor_fingerprint", lambda: "test")


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every data table's rows, without the fact ids and load times that a rebuild renumbers."""
    queries = {
        "reports": "SELECT * EXCLUDE (loaded_at) FROM reports ORDER BY report_id",
        "facts": "SELECT * EXCLUDE (fact_id) FROM facts ORDER BY ALL",
    }
    return {t: rows(db, queries.get(t, f"SELECT * FROM {t} ORDER BY ALL")) for t in DATA_TABLES}


def proactive_2014(db: Path) -> list[tuple]:
    return rows(db, "SELECT v.value FROM report_values v WHERE v.metric = 'proactive_total' AND v.year = 2014")


@pytest.fixture()
def two_versions(tmp_path: Path) -> Path:
    folder = tmp_path / "raw" / "samples"
    folder.mkdir(parents=True)
    (folder / "001.txt").write_bytes(ORIGINAL)
    (folder / "001-revised.txt").write_bytes(REVISED)
    os.utime(folder / "001.txt", (1_600_000_000, 1_600_000_000))
    os.utime(folder / "001-revised.txt", (1_700_000_000, 1_700_000_000))
    return tmp_path / "raw"


def test_a_second_file_for_the_same_bureau_and_year_is_the_newer_active_version(two_versions, tmp_path):
    db = tmp_path / "r.duckdb"
    build_database([two_versions], db, workers=1)
    versions = rows(db, "SELECT path, version, is_active FROM reports ORDER BY version")
    assert [(Path(p).name, v, a) for p, v, a in versions] == [("001.txt", 1, False), ("001-revised.txt", 2, True)]
    assert proactive_2014(db) == [(90.0,)]
    assert rows(db, "SELECT count(*) FROM active_reports")[0][0] == 1
    assert rows(db, "SELECT count(*) FROM facts f JOIN reports r USING (report_id) WHERE NOT r.is_active")[0][0] > 0
    old_id = rows(db, "SELECT report_id FROM reports WHERE version = 1")[0][0]
    listed = list_versions(db, report_id=old_id)
    assert list(listed["version"]) == [2, 1] and list(listed["is_active"]) == [True, False]
    assert set(listed["versions"]) == {2} and set(listed["bureau_name"]) == {"赣州市信丰县教育局"}
    assert len(list_versions(db, bureau_id=listed["bureau_id"][0], year=2014)) == 2


def test_the_newest_file_wins_whatever_its_name(two_versions, tmp_path):
    os.utime(two_versions / "samples" / "001-revised.txt", (1_500_000_000, 1_500_000_000))
    db = tmp_path / "r.duckdb"
    build_database([two_versions], db, workers=1)
    assert proactive_2014(db) == [(86.0,)]


def test_other_years_and_bureaus_are_not_versions(tmp_path):
    db = tmp_path / "r.duckdb"
    build_database([SAMPLES], db, workers=1)
    assert rows(db, "SELECT bool_and(is_active), max(version) FROM reports") == [(True, 1)]


def test_add_files_keeps_the_old_reports_and_stores_the_new_file(tmp_path):
    raw = tmp_path / "raw" / "seeds"
    raw.mkdir(parents=True)
    for name in ("003_b8557501b183c911.txt", "004_56a78c0e6f61d296.txt"):
        shutil.copy(SEEDS / name, raw / name)
    db = tmp_path / "r.duckdb"
    build_database([tmp_path / "raw"], db, workers=1)
    before = snapshot(db)
    summary = add_files([SAMPLES / "001.txt"], db)
    assert [r.status for r in summary.results] == ["loaded"]
    stored = tmp_path / "raw" / "uploads" / "001.txt"
    assert stored.read_bytes() == ORIGINAL
    assert rows(db, "SELECT path, collection FROM reports WHERE year = 2014") == [(str(stored), "uploads")]
    after = snapshot(db)
    for table in ("problems", "validation_issues"):
        assert all(row in after[table] for row in before[table])
    old_ids = {r[0] for r in before["reports"]}
    assert [r for r in after["reports"] if r[0] in old_ids] == before["reports"]
    assert [f for f in after["facts"] if f[0] in old_ids] == before["facts"]
    # A later full ingest of the raw folder keeps the upload, without extracting anything again.
    again = build_database([tmp_path / "raw"], db, workers=1)
    assert again.count("unchanged") == 3 and again.count("loaded") == 0


def test_uploads_are_stored_under_a_safe_name_and_the_same_content_is_one_report(tmp_path):
    db = tmp_path / "r.duckdb"
    summary = add_files([("../../etc/年报 2014.txt", ORIGINAL)], db)
    assert summary.results[0].status == "loaded" and summary.results[0].path == "年报 2014.txt"
    assert [p.name for p in (tmp_path / "raw" / "uploads").iterdir()] == ["年报 2014.txt"]
    assert not (tmp_path / "etc").exists()
    again = add_files([("copy.txt", ORIGINAL)], db)
    assert again.results[0].status == "skipped" and "already loaded as report" in again.results[0].reason
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 1
    assert [p.name for p in (tmp_path / "raw" / "uploads").iterdir()] == ["年报 2014.txt"]


def test_an_uploaded_revision_with_the_same_name_becomes_the_active_version(tmp_path):
    db = tmp_path / "r.duckdb"
    add_files([("001.txt", ORIGINAL)], db)
    summary = add_files([("001.txt", REVISED)], db)
    assert summary.count("loaded") == 1
    names = {p.name for p in (tmp_path / "raw" / "uploads").iterdir()}
    assert "001.txt" in names and len(names) == 2
    assert next(n for n in names if n != "001.txt").startswith("001-")
    assert proactive_2014(db) == [(90.0,)]
    assert rows(db, "SELECT version, is_active FROM reports ORDER BY version") == [(1, False), (2, True)]


def test_a_failed_upload_stores_nothing_changes_no_data_and_is_logged(tmp_path):
    db = tmp_path / "r.duckdb"
    add_files([("001.txt", ORIGINAL)], db)
    before = snapshot(db)
    summary = add_files([("年报.pdf", b"%PDF-1.7\n1 0 obj << >> garbage"), ("empty.txt", b"")], db)
    assert [r.status for r in summary.results] == ["failed", "failed"]
    assert all(r.reason and "\n" not in r.reason for r in summary.results)
    assert snapshot(db) == before
    assert [p.name for p in (tmp_path / "raw" / "uploads").iterdir()] == ["001.txt"]
    logged = rows(db, "SELECT path, status, reason FROM ingest_log WHERE status = 'failed' ORDER BY path")
    assert [(p, s) for p, s, _ in logged] == [("empty.txt", "failed"), ("年报.pdf", "failed")]
    assert logged[0][2] == "empty file (0 bytes)"


def test_a_reader_keeps_its_database_while_files_are_added(tmp_path):
    db = tmp_path / "r.duckdb"
    add_files([("001.txt", ORIGINAL)], db)
    reader = duckdb.connect()
    reader.execute("ATTACH ? AS rpt (READ_ONLY)", [str(db)])
    try:
        add_files([SAMPLES / "002.txt", SAMPLES / "003.txt"], db)
        assert reader.execute("SELECT count(*) FROM rpt.reports").fetchall() == [(1,)]
    finally:
        reader.close()
    assert rows(db, "SELECT count(*) FROM reports")[0][0] == 3
    assert not list(tmp_path.glob("r.duckdb.tmp-*"))


def test_the_upload_preview_says_what_would_be_stored_and_stores_nothing(tmp_path):
    db = tmp_path / "r.duckdb"
    first = preview_files([("001.txt", ORIGINAL), ("bad.pdf", b"%PDF-1.4 broken")], db)
    assert [(p.status, p.name) for p in first] == [("load", "001.txt"), ("fail", "bad.pdf")]
    assert first[0].record["bureau"] == "赣州市信丰县教育局" and first[0].record["year"] == 2014
    assert first[0].record["proactive_total"] == 86 and first[0].replaces is None
    assert first[1].reason and not db.exists() and not (tmp_path / "raw").exists()
    add_files([("001.txt", ORIGINAL)], db)
    again, revised = preview_files([("001.txt", ORIGINAL), ("001 更正版.txt", REVISED)], db)
    assert again.status == "skip" and again.report_id == first[0].report_id
    assert revised.status == "load" and revised.replaces == first[0].report_id
    assert revised.record["proactive_total"] == 90
