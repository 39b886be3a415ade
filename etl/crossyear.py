"""Validation across a bureau's years, run on the loaded database.

Takes a connection to a database with reports and facts; gives validation-issue rows:

- V5  last year's carried-forward applications (table 3, R25 总计) should be this year's
      carried-over ones (R02 总计) when the two reports are for consecutive years;
- V9  a narrative nearly identical to the bureau's previous report (内容雷同, which the
      template's accountability clause names).
"""

from __future__ import annotations

from difflib import SequenceMatcher
from itertools import pairwise

import duckdb

SIMILAR_NARRATIVE = 0.9


def cross_year_issues(con: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = con.execute("""
        SELECT r.report_id, r.bureau_id, r.year, r.body,
               max(f.value) FILTER (WHERE f.tbl = 3 AND f.row_id = 'R02' AND f.column_name = '总计') AS carried_over,
               max(f.value) FILTER (WHERE f.tbl = 3 AND f.row_id = 'R25' AND f.column_name = '总计') AS carried_forward
        FROM reports r LEFT JOIN facts f USING (report_id)
        WHERE r.year IS NOT NULL AND r.bureau_id IS NOT NULL AND NOT r.is_aggregate
        GROUP BY ALL ORDER BY r.bureau_id, r.year
    """).fetchall()
    issues: list[dict] = []
    for prev, cur in pairwise(rows):
        if prev[1] != cur[1] or prev[2] == cur[2]:
            continue
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
