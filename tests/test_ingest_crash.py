"""An ingest killed in the middle (SIGKILL) leaves the previous database intact, and the next run works."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.load import build_database

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "raw" / "samples"
COPIES = 12
TABLES = ("reports", "facts", "problems", "validation_issues", "bureaus", "ingest_log", "corrections")

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}
    finally:
        con.close()


def variants(folder: Path) -> int:
    """Each sample file in ``COPIES`` versions that differ in one number and a closing line."""
    folder.mkdir(parents=True)
    n = 0
    for source in sorted(SAMPLES.glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        for i in range(COPIES):
            (folder / f"{source.stem}_{i:02d}.txt").write_text(
                text.replace("条", f"条（第{i + 1}次修订）", 1) + f"\n本报告第{i + 1}稿。\n", encoding="utf-8")
            n += 1
    return n


def test_a_killed_ingest_keeps_the_old_database_and_the_next_run_cleans_up(tmp_path):
    db = tmp_path / "disclosure.duckdb"
    build_database([SAMPLES], db, workers=1)
    before = counts(db)
    corpus = tmp_path / "many"
    total = variants(corpus)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "ingest", str(corpus), "--db", str(db), "--workers", "2", "--batch-size", "10"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    loaded = 0
    deadline = time.monotonic() + 120
    try:
        for line in proc.stdout:
            loaded += line.startswith("loaded")
            if loaded >= 40 or time.monotonic() > deadline:
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its worker processes
        proc.wait(timeout=30)
        proc.stdout.close()
    assert loaded >= 40 and proc.returncode == -signal.SIGKILL
    assert list(tmp_path.glob("disclosure.duckdb.tmp-*")), "the kill should have left a half-built file"

    assert counts(db) == before
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS rpt (READ_ONLY)", [str(db)])
        assert con.execute("SELECT count(*) FROM rpt.report_values").fetchall()[0][0] > 0
    finally:
        con.close()

    summary = build_database([corpus], db, workers=2, batch_size=50)
    assert summary.count("loaded") == total and summary.count("failed") == 0
    assert counts(db)["reports"] == total
    assert not list(tmp_path.glob("disclosure.duckdb.tmp-*"))
