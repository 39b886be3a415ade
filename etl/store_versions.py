"""Report versions: more than one file for the same bureau and year.

The same content twice is one report (its content hash). Different files that share a
``reports.version_key`` (bureau, year, scope — the bureau's own report or a region-wide
compilation — and language) are versions of one report: ``assign_versions(con)`` numbers them
1, 2, … from the oldest and marks the newest ``is_active``; the older ones stay in the database,
viewable but not counted (the ``active_reports``, ``active_facts`` and ``report_values`` views skip
them). Newest means the latest file modification time, then the latest first load, then the last
path. Reports whose bureau or year is unknown have no key and are never versions of each other.

``list_versions(db_path, …)`` gives the versions as a DataFrame for the dashboard.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from etl.store_swap import read_only

_GROUP = "coalesce(version_key, report_id)"


def assign_versions(con: duckdb.DuckDBPyConnection) -> int:
    """Number every report's versions and mark the newest active; gives how many rows changed."""
    changed = con.execute(f"""
        UPDATE reports SET version = v.version, is_active = v.version = v.versions
        FROM (
            SELECT report_id,
                   row_number() OVER (PARTITION BY {_GROUP}
                                      ORDER BY file_mtime NULLS FIRST, loaded_at, path, report_id) AS version,
                   count(*) OVER (PARTITION BY {_GROUP}) AS versions
            FROM reports
        ) v
        WHERE reports.report_id = v.report_id
          AND (reports.version <> v.version OR reports.is_active <> (v.version = v.versions))
    """).fetchall()
    return int(changed[0][0]) if changed else 0


def list_versions(db_path: str | Path, *, bureau_id: str | None = None, year: int | None = None,
                  report_id: str | None = None) -> pd.DataFrame:
    """Versions newest first: all, a bureau's (and year's), or those of the report ``report_id``.

    Columns: report_id, bureau_id, bureau_name, year, is_aggregate, language, version, is_active,
    path, file_mtime, loaded_at, content_hash, title, versions (how many share its key).
    """
    where, params = ["TRUE"], []
    if report_id is not None:
        where.append(f"coalesce(r.version_key, r.report_id) = "
                     f"(SELECT {_GROUP} FROM reports WHERE report_id = ?)")
        params.append(report_id)
    if bureau_id is not None:
        where.append("v.bureau_id = ?")
        params.append(bureau_id)
    if year is not None:
        where.append("v.year = ?")
        params.append(year)
    with read_only(Path(db_path)) as con:
        return con.execute(f"""
            SELECT v.* FROM report_versions v JOIN reports r USING (report_id)
            WHERE {" AND ".join(where)}
            ORDER BY v.bureau_name NULLS LAST, v.year NULLS LAST, v.is_aggregate, v.language, v.version DESC
        """, params).df()
