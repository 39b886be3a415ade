"""The per-report summary the dashboard reads (``etl.summary``), built from the bundled reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl import summary
from etl.extract import extract_file
from etl.load import build_database
from etl.model import THEMES
from etl.summary import CELL_COLUMNS, build_summary, cells_row, from_fact, refresh_cells

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "raw" / "samples"
TEMPLATE_SAMPLE = SAMPLES / "020.txt"  # a 2021-template report with tables 3 and 4


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("raw") / "samples"
    shutil.copytree(SAMPLES, raw)
    db = raw.parent / "reports.duckdb"
    build_database([raw], db)
    return db


def _cells(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    names = ", ".join(CELL_COLUMNS)
    return {r[0]: r for r in con.execute(f"SELECT {names} FROM report_cells").fetchall()}


def test_cells_row_reads_the_template_tables_of_a_real_report() -> None:
    report = extract_file(TEMPLATE_SAMPLE)
    row = dict(zip(CELL_COLUMNS, cells_row("x", [from_fact(f) for f in report.facts]), strict=True))
    new = next(f for f in report.facts if f.table == 3 and f.row == "R01" and f.column == "总计")
    natural = next(f for f in report.facts if f.table == 3 and f.row == "R01" and f.column == "自然人")
    assert (row["t3_r01"], row["app1"], row["app1_kind"]) == (new.value, natural.value, natural.value_kind)
    assert row["t3_r01"] == 9 and row["app1"] == 7 and row["has_t3"] and row["n_tables"] == 3
    assert "R01" in row["t3_rows"] and row["t3_corrected_rows"] is None
    received = report.headline("applications_received")
    assert received is not None and row["applications_received"] == received.value
    assert row["applications_received_raw"] == received.raw


def test_cells_written_at_load_equal_those_recomputed_from_the_facts(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(built, copy)
    with duckdb.connect(str(copy)) as con:
        at_load = _cells(con)
        assert len(at_load) == con.execute("SELECT count(*) FROM reports").fetchone()[0]
        con.execute("DELETE FROM report_cells")
        assert refresh_cells(con) == len(at_load)
        assert _cells(con) == at_load


def test_one_chosen_report_per_bureau_and_year_with_last_years_value(built: Path) -> None:
    with duckdb.connect(str(built), read_only=True) as con:
        dupes = con.execute("SELECT bureau_id, year, count(*) FROM report_summary WHERE chosen "
                            "GROUP BY ALL HAVING count(*) > 1").fetchall()
        assert dupes == []
        rows = con.execute("""
            SELECT s.year, s.proactive_total, s.proactive_total_prev, p.proactive_total
            FROM report_summary s JOIN report_summary p ON p.report_id = s.prev_report_id
            WHERE s.chosen AND s.proactive_total_prev IS NOT NULL""").fetchall()
        assert rows and all(prev == previous_row for _, _, prev, previous_row in rows)
        assert con.execute("SELECT count(*) FROM bureau_summary").fetchone()[0] == \
            con.execute("SELECT count(DISTINCT bureau_id) FROM reports WHERE is_active").fetchone()[0]


def test_region_summary_adds_up_to_the_chosen_reports(built: Path) -> None:
    totals = "sum(n_reports), sum(applications_received), sum(applications_received_kind), sum(t3_r01), " \
             "sum(app1_kind), bool_or(t4_rec_present)"
    counts = "count(*), sum(applications_received), count(applications_received_kind), sum(t3_r01), " \
             "count(app1_kind), bool_or(t4_rec_present)"
    with duckdb.connect(str(built), read_only=True) as con:
        per_year = con.execute(f"SELECT year, {totals} FROM region_summary GROUP BY year ORDER BY year").fetchall()
        per_report = con.execute(f"SELECT year, {counts} FROM report_summary WHERE chosen GROUP BY year "
                                 "ORDER BY year").fetchall()
        assert per_year == per_report and sum(row[1] for row in per_year) > 0
        appeals = con.execute("SELECT count(*) FILTER (WHERE has_appeals) FROM report_summary WHERE chosen "
                              "AND NOT (has_t4 OR reconsideration_kind IS NOT NULL OR litigation_kind IS NOT NULL)"
                              ).fetchone()[0]
        assert appeals == 0


def test_the_summary_joined_a_few_reports_at_a_time_is_the_same_in_the_same_order(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "chunked.duckdb"
    shutil.copy(built, copy)
    with duckdb.connect(str(copy)) as con:
        whole = con.execute("SELECT * FROM report_summary").fetchall()  # in storage order
        monkeypatch.setattr(summary, "SUMMARY_CHUNK", 3)
        build_summary(con)
        chunked = con.execute("SELECT * FROM report_summary").fetchall()
        bureaus = con.execute("SELECT count(DISTINCT bureau_id) FROM report_summary").fetchone()[0]
    assert len(whole) > 3 * 3 and bureaus > 3  # several chunks of several bureaus
    assert chunked == whole


def test_theme_summary_adds_up_to_the_reports(built: Path) -> None:
    themes = ", ".join(f"sum(pt_{th}), bool_or(pt_{th}_sample), bool_or(st_{th})" for th in THEMES)
    direct = ", ".join(f"count(*) FILTER (WHERE pt_{th}), bool_or(is_sample AND pt_{th}), bool_or(st_{th})"
                       for th in THEMES)
    with duckdb.connect(str(built), read_only=True) as con:
        rolled = con.execute(f"SELECT year, is_active, sum(n_reports), {themes} FROM theme_summary "
                             "GROUP BY ALL ORDER BY ALL").fetchall()
        per_report = con.execute(f"SELECT year, is_active, count(*), {direct} FROM report_summary "
                                 "GROUP BY ALL ORDER BY ALL").fetchall()
    assert rolled == per_report
    assert any(count for row in rolled for count in row[3::3])  # some theme is admitted


def test_a_correction_reaches_the_summary(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "corrected.duckdb"
    shutil.copy(built, copy)
    with duckdb.connect(str(copy)) as con:
        report_id, fact_id, value = con.execute(
            "SELECT report_id, fact_id, value FROM facts WHERE headline AND metric = 'proactive_total' "
            "AND value > 0 ORDER BY report_id LIMIT 1").fetchone()
        con.execute("UPDATE facts SET original_value = value, value = ?, corrected = TRUE WHERE fact_id = ?",
                    [value + 1, fact_id])
        refresh_cells(con, [report_id])
        build_summary(con)
        got = con.execute("SELECT proactive_total, proactive_total_corrected, proactive_total_original "
                          "FROM report_summary WHERE report_id = ?", [report_id]).fetchone()
    assert got == (value + 1, True, value)
