"""Validation across a bureau's years, run on the loaded database.

Takes a connection to a database with reports and facts (and optionally the bureaus to check);
gives validation-issue rows, comparing each active report with the bureau's previous active one:

- V5  last year's carried-forward applications (table 3, R25 总计) should be this year's
      carried-over ones (R02 总计) when the two reports are for consecutive years;
- V9  a narrative nearly identical to the bureau's previous report (内容雷同, which the
      template's accountability clause names).

Reports are read in order, a few hundred at a time, so memory does not grow with the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

import duckdb

SIMILAR_NARRATIVE = 0.9
FETCH = 500


def cross_year_issues(con: duckdb.DuckDBPyConnection, bureau_ids: Iterable[str] | None = None) -> list[dict]:
    only = None if bureau_ids is None else sorted(set(bureau_ids))
    cur = con.cursor()
    try:
        cur.execute("""
            SELECT r.report_id, r.bureau_id, r.year, r.body,
                   max(f.value) FILTER (WHERE f.tbl = 3 AND f.row_id = 'R02' AND f.column_name = '总计'),
                   max(f.value) FILTER (WHERE f.tbl = 3 AND f.row_id = 'R25' AND f.column_name = '总计')
            FROM reports r LEFT JOIN facts f USING (report_id)
            WHERE r.is_active AND r.year IS NOT NULL AND r.bureau_id IS NOT NULL AND NOT r.is_aggregate
              AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], r.bureau_id))
            GROUP BY ALL ORDER BY r.bureau_id, r.year, r.report_id
        """, [only, only])
        issues: list[dict] = []
        prev = None
        while batch := cur.fetchmany(FETCH):
            for cur_row in batch:
                if prev is not None:
                    issues += _compare(prev, cur_row)
                prev = cur_row
        return issues
    finally:
        cur.close()


def _compare(prev: tuple, cur: tuple) -> list[dict]:
    if prev[1] != cur[1] or prev[2] == cur[2]:
        return []
    issues = []
    report_id, _, year, body, carried_over, _ = cur
    if cur[2] == prev[2] + 1 and prev[5] is not None and carried_over is not None and prev[5] != carried_over:
        issues.append({"report_id": report_id, "rule": "V5", "severity": "warning",
                       "message": f"{year}: carried over from last year is {carried_over:g}, "
                                  f"but the {prev[2]} report carried {prev[5]:g} forward",
                       "refs": [f"table3:R02:总计 ({year})", f"table3:R25:总计 ({prev[2]})"]})
    ratio = SequenceMatcher(None, prev[3] or "", body or "", autojunk=False).quick_ratio()
    if ratio >= SIMILAR_NARRATIVE and SequenceMatcher(None, prev[3] or "", body or "").ratio() >= SIMILAR_NARRATIVE:
        issues.append({"report_id": report_id, "rule": "V9", "severity": "warning",
                       "message": f"the {year} report's text is nearly identical to the {prev[2]} report's",
                       "refs": [prev[0], report_id]})
    return issues
