"""``--engine dask``: the same extraction on a Dask cluster writes the same Parquet as one machine."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.cli import main

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
TABLES = {  # table → (columns to leave out, as they hold the time of the run)
    "reports": "loaded_at", "facts": "", "problems": "", "validation_issues": "", "bureaus": "",
    "ingest_log": "logged_at", "corrections": "", "meta": "",
}


@pytest.fixture(autouse=True)
def same_extractor(monkeypatch):
    monkeypatch.setattr("etl.load.extractor_fingerprint", lambda: "test")


def parquet_rows(folder: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect()
    try:
        out = {}
        for table, skip in TABLES.items():
            plain = folder / f"{table}.parquet"
            source = (f"read_parquet('{plain}')" if plain.exists()
                      else f"read_parquet('{folder / table}/**/*.parquet', hive_partitioning = true)")
            exclude = f" EXCLUDE ({skip})" if skip else ""
            where = " WHERE key <> 'built_at'" if table == "meta" else ""
            out[table] = con.execute(f"SELECT *{exclude} FROM {source}{where} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def test_dask_cluster_output_equals_the_single_machine_run_row_for_row(tmp_path):
    local_db, dask_db = tmp_path / "local" / "r.duckdb", tmp_path / "dask" / "r.duckdb"
    assert main(["ingest", str(RAW), "--db", str(local_db), "--parquet", "--workers", "2", "--quiet"]) == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_class=distributed.Nanny) as cluster:
        assert main(["ingest", str(RAW), "--db", str(dask_db), "--parquet", "--engine", "dask",
                     "--scheduler", cluster.scheduler_address, "--quiet"]) == 0
    local, remote = parquet_rows(local_db.parent / "parquet"), parquet_rows(dask_db.parent / "parquet")
    assert len(local["reports"]) == 29 and len(local["facts"]) > 1000
    assert local == remote
