"""Corrections: stored with old value, new value, reason and time; applied; kept through every rebuild."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dbrows import rows

from etl.corrections import add_correction, apply_corrections, journal_path, list_corrections
from etl.load import build_database
from etl.store_swap import SUMMARY_MEMORY, writer_lock
from etl.summary import build_summary

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "raw" / "seeds"



@pytest.fixture(autouse=True)
def same_extractor(monkeypatch):
    """Rows are reused only from a database built by the same ETL code; pin it while others edit the code."""
    monkeypatch.setattr("etl.load.extractor_fingerprint", lambda: "test")


def headline(db: Path, year: int = 2017) -> tuple:
    """(value, corrected, original_value) of the year's proactive_total as the dashboard reads it."""
    return rows(db, "SELECT value, corrected, original_value FROM report_values "
                    "WHERE metric = 'proactive_total' AND year = ?", [year])[0]


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path]:
    raw = tmp_path / "raw" / "seeds"
    raw.mkdir(parents=True)
    for name in ("003_b8557501b183c911.txt", "004_56a78c0e6f61d296.txt"):
        shutil.copy(SEEDS / name, raw / name)
    db = tmp_path / "r.duckdb"
    build_database([tmp_path / "raw"], db, workers=1)
    return tmp_path / "raw", db


def fact_id(db: Path, year: int = 2017) -> int:
    return rows(db, "SELECT fact_id FROM report_values WHERE metric = 'proactive_total' AND year = ?", [year])[0][0]


def test_a_correction_is_stored_applied_and_shown(built):
    _, db = built
    assert headline(db) == (68.0, False, None)
    c = add_correction(db, fact_id=fact_id(db), new_value=70, reason="原文笔误，见政府网站更正公告",
                       corrected_by="张主任")
    assert c.status == "applied" and c.old_value == 68.0
    assert headline(db) == (70.0, True, 68.0)
    stored = rows(db, "SELECT report_id, metric, old_value, new_value, reason, corrected_by, applied FROM corrections")
    assert stored == [(c.report_id, "proactive_total", 68.0, 70.0, "原文笔误，见政府网站更正公告", "张主任", True)]
    assert rows(db, "SELECT c.reason FROM report_values v JOIN corrections c USING (correction_id) "
                    "WHERE v.corrected") == [("原文笔误，见政府网站更正公告",)]
    line = json.loads(journal_path(db).read_text(encoding="utf-8"))
    assert line["correction_id"] == c.correction_id and line["new_value"] == 70.0
    assert not list(db.parent.glob("r.duckdb.tmp-*"))


def test_the_summary_after_a_correction_gets_the_summary_memory(built, monkeypatch):
    # At 256 MB (a build's limit while extraction runs beside it) the summary of 100,000 reports fails.
    _, db = built
    limits = []

    def build_and_note(con):
        limits.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        return build_summary(con)

    monkeypatch.setattr("etl.corrections.build_summary", build_and_note)
    add_correction(db, fact_id=fact_id(db), new_value=70, reason="原文笔误", corrected_by="张主任")
    with duckdb.connect(":memory:", config={"memory_limit": SUMMARY_MEMORY}) as con:
        expected = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limits == [expected]
    assert headline(db) == (70.0, True, 68.0)


def test_a_correction_survives_rebuilds_a_deleted_database_and_a_lost_journal(built):
    raw, db = built
    add_correction(db, fact_id=fact_id(db), new_value=70, reason="typo", corrected_by="supervisor")
    assert build_database([raw], db, workers=1).count("unchanged") == 2
    assert headline(db) == (70.0, True, 68.0)
    db.unlink()  # rebuilt from scratch: the journal brings the correction back
    build_database([raw], db, workers=1)
    assert headline(db) == (70.0, True, 68.0)
    journal_path(db).unlink()  # the journal lost: the old database carries it
    build_database([raw], db, workers=1)
    assert headline(db) == (70.0, True, 68.0)
    assert rows(db, "SELECT count(*) FROM corrections")[0][0] == 1


def test_a_correction_survives_a_change_of_extractor(built, monkeypatch):
    raw, db = built
    add_correction(db, fact_id=fact_id(db), new_value=70, reason="typo", corrected_by="supervisor")
    monkeypatch.setattr("etl.load.extractor_fingerprint", lambda: "a-newer-extractor")
    assert build_database([raw], db, workers=1).count("loaded") == 2
    assert headline(db) == (70.0, True, 68.0)


def test_the_latest_correction_wins_and_the_extracted_value_is_kept(built):
    _, db = built
    add_correction(db, fact_id=fact_id(db), new_value=70, reason="first", corrected_by="a")
    second = add_correction(db, fact_id=fact_id(db), new_value=71, reason="second", corrected_by="b")
    assert second.old_value == 70.0
    assert headline(db) == (71.0, True, 68.0)
    assert rows(db, "SELECT reason FROM corrections ORDER BY corrected_at") == [("first",), ("second",)]


def test_a_table_cell_is_corrected_by_its_key_and_a_missing_number_is_added(tmp_path):
    db = tmp_path / "r.duckdb"
    build_database([ROOT / "data" / "raw" / "samples" / "023.txt"], db, workers=1)
    rid, tbl, row_id, column, value = rows(
        db, "SELECT report_id, tbl, row_id, column_name, value FROM facts WHERE tbl = 3 AND value IS NOT NULL "
            "ORDER BY fact_id LIMIT 1")[0]
    add_correction(db, report_id=rid, metric="table3", tbl=tbl, row_id=row_id, column_name=column,
                   new_value=value + 1, reason="表格错位", corrected_by="审核员")
    assert rows(db, "SELECT value, original_value, corrected FROM facts WHERE report_id = ? AND tbl = ? "
                    "AND row_id = ? AND column_name = ?", [rid, tbl, row_id, column]) == [(value + 1, value, True)]
    add_correction(db, report_id=rid, metric="consultations", new_value=12, reason="正文第三段漏提取",
                   corrected_by="审核员")
    added = rows(db, "SELECT value, headline, corrected, flags FROM facts WHERE report_id = ? "
                     "AND metric = 'consultations' AND corrected", [rid])
    assert added == [(12.0, True, True, ["added_by_correction"])]


def test_applying_twice_changes_nothing(built):
    _, db = built
    add_correction(db, fact_id=fact_id(db), new_value=0, reason="none were disclosed", corrected_by="a")
    con = duckdb.connect(str(db))
    try:
        before = con.execute("SELECT * EXCLUDE (fact_id) FROM facts ORDER BY ALL").fetchall()
        apply_corrections(con)
        apply_corrections(con)
        assert con.execute("SELECT * EXCLUDE (fact_id) FROM facts ORDER BY ALL").fetchall() == before
        assert con.execute("SELECT value_kind FROM facts WHERE corrected").fetchall() == [("zero",)]
    finally:
        con.close()


def test_a_correction_made_during_an_ingest_waits_in_the_journal(built):
    raw, db = built
    target = fact_id(db)
    with writer_lock(db):  # as an ingest holds it
        pending = add_correction(db, fact_id=target, new_value=99, reason="late", corrected_by="a")
    assert pending.status == "pending"
    assert headline(db) == (68.0, False, None)
    listed = list_corrections(db)
    assert list(listed["correction_id"]) == [pending.correction_id] and not listed["applied"][0]
    build_database([raw], db, workers=1)
    assert headline(db) == (99.0, True, 68.0)
    assert list(list_corrections(db)["applied"]) == [True]


def test_bad_corrections_are_refused(built):
    _, db = built
    with pytest.raises(ValueError, match="reason"):
        add_correction(db, fact_id=fact_id(db), new_value=1, reason="  ", corrected_by="a")
    with pytest.raises(ValueError, match="no fact"):
        add_correction(db, fact_id=10**9, new_value=1, reason="x", corrected_by="a")
    with pytest.raises(ValueError, match="no report"):
        add_correction(db, report_id="0" * 16, metric="proactive_total", new_value=1, reason="x", corrected_by="a")
    with pytest.raises(ValueError, match="finite"):
        add_correction(db, fact_id=fact_id(db), new_value=float("nan"), reason="x", corrected_by="a")
    assert not journal_path(db).exists()
