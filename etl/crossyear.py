"""Validation across a bureau's years, run on the loaded database.

Takes a connection to a database with reports and facts (optionally the bureaus to check, and the
name of an attached previous database built by the same code, whose V9 verdicts are reused); gives
validation-issue rows, comparing each active report with the bureau's previous active one:

- V5  last year's carried-forward applications (table 3, R25 总计) should be this year's
      carried-over ones (R02 总计) when the two reports are for consecutive years;
- V9  a narrative nearly identical to the bureau's previous report (内容雷同, which the
      template's accountability clause names): ``difflib.SequenceMatcher(None, previous, body)
      .ratio()`` of at least ``SIMILAR_NARRATIVE``, computed by cydifflib (the same algorithm in C,
      with the same results; ``tests/test_crossyear.py`` compares the two).

The pairs and V5 are found in SQL (window functions). A pair that the previous database compared
too (same two report ids, i.e. the same two contents, under the same code) keeps its V9 verdict
without reading the bodies; the others are compared by ``similar``, which gives the verdict of
``ratio()`` but tries cheap upper bounds first. Pairs are read in the reports' storage order,
``BATCH`` at a time, and each batch's issues are found by ``batch_issues`` through the given
``mapper`` (``map``, or the extraction processes' ``Engine.map_ordered``, which runs batches in
parallel and gives them back in order), so memory does not grow with the corpus and the issues
are the same wherever they are computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING

from cydifflib import SequenceMatcher
from rapidfuzz.distance import LCSseq

if TYPE_CHECKING:
    import duckdb

SIMILAR_NARRATIVE = 0.9
BATCH = 64
"""Pairs a worker compares at a time."""
BODY_BLOCK = 2048
"""Pairs whose bodies are read from the database together."""

_CHECKED = "r.is_active AND r.year IS NOT NULL AND r.bureau_id IS NOT NULL AND NOT r.is_aggregate"
_WINDOW = "WINDOW w AS (PARTITION BY r.bureau_id ORDER BY r.year, r.report_id)"


def _pairs_sql(catalog: str) -> str:
    """Each checked report with the bureau's previous one, when their years differ (two ``?``: bureaus or NULL)."""
    return f"""
        SELECT * FROM (
            SELECT r.bureau_id, r.report_id, r.year, t.carried_over, r.rowid AS row_at,
                   lag(r.report_id) OVER w AS prev_id, lag(r.year) OVER w AS prev_year,
                   lag(t.carried_forward) OVER w AS prev_forward, lag(r.rowid) OVER w AS prev_row_at
            FROM {catalog}.reports r LEFT JOIN (
                SELECT report_id, max(value) FILTER (WHERE row_id = 'R02') AS carried_over,
                       max(value) FILTER (WHERE row_id = 'R25') AS carried_forward
                FROM {catalog}.facts WHERE tbl = 3 AND column_name = '总计' AND row_id IN ('R02', 'R25')
                GROUP BY report_id
            ) t USING (report_id)
            WHERE {_CHECKED} AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], r.bureau_id))
            {_WINDOW}
        ) WHERE prev_id IS NOT NULL AND year <> prev_year
    """


def _known_sql(known: str | None) -> str:
    """The V9 verdict the previous database ``known`` holds for each pair it compared (NULL: not compared)."""
    if known is None:
        return "SELECT NULL::VARCHAR AS prev_id, NULL::VARCHAR AS report_id, NULL::BOOLEAN AS verdict LIMIT 0"
    return f"""
        SELECT o.prev_id, o.report_id, v.refs IS NOT NULL AS verdict
        FROM ({_pairs_sql(known)}) o
        LEFT JOIN (SELECT DISTINCT refs FROM {known}.validation_issues WHERE rule = 'V9') v
          ON v.refs = [o.prev_id, o.report_id]
    """


Mapper = Callable[[Callable[[list[tuple]], list[dict]], Iterable[list[tuple]]], Iterable[list[dict]]]


def cross_year_issues(con: duckdb.DuckDBPyConnection, bureau_ids: Iterable[str] | None = None,
                      known: str | None = None, mapper: Mapper = map) -> list[dict]:
    """V5 and V9 issues of the checked reports (of ``bureau_ids`` only, when given), in storage order;
    ``mapper`` runs ``batch_issues`` over the batches of pairs (like ``map``)."""
    return list(chain.from_iterable(mapper(batch_issues, _pair_batches(con, bureau_ids, known))))


def batch_issues(rows: list[tuple]) -> list[dict]:
    """The issues of a batch of pairs as ``cross_year_issues`` reads them, in order."""
    return [issue for row in rows for issue in _issues(row)]


def _pair_batches(con: duckdb.DuckDBPyConnection, bureau_ids: Iterable[str] | None,
                  known: str | None) -> Iterator[list[tuple]]:
    """The pairs in the order the reports are stored, ``BATCH`` at a time, with the two bodies where
    V9 must compare them.

    The ordered query stays narrow (ids, years, V5, known verdict, row numbers); bodies are read for
    ``BODY_BLOCK`` pairs at a time by row number, so sorting never holds the texts (a hundred
    thousand reports' bodies would not fit the build's memory limit). In storage order a block's
    reports are neighbours, and so usually are their previous years' (files of one bureau or of one
    year lie together): each read touches a few stretches of the table. Read in bureau order, by id,
    each block read nearly every stretch, and the step grew with the square of the corpus.
    """
    only = None if bureau_ids is None else sorted(set(bureau_ids))
    cur = con.cursor()
    try:
        cur.execute(f"""
            WITH pairs AS ({_pairs_sql("main")}), known AS ({_known_sql(known)})
            SELECT p.report_id, p.year, p.prev_id, p.prev_year, p.carried_over, p.prev_forward,
                   p.year = p.prev_year + 1 AND p.prev_forward IS NOT NULL AND p.carried_over IS NOT NULL
                       AND p.prev_forward <> p.carried_over AS v5,
                   k.verdict, p.row_at, p.prev_row_at
            FROM pairs p LEFT JOIN known k USING (prev_id, report_id)
            ORDER BY p.row_at
        """, [only, only] + ([None, None] if known else []))
        while block := cur.fetchmany(BODY_BLOCK):
            bodies = _bodies(con, {at for row in block if row[7] is None for at in (row[8], row[9])})
            rows = [(*row[:8], bodies.get(row[9]), bodies.get(row[8])) if row[7] is None else (*row[:8], None, None)
                    for row in block]
            for start in range(0, len(rows), BATCH):
                yield rows[start:start + BATCH]
    finally:
        cur.close()


def _bodies(con: duckdb.DuckDBPyConnection, rows_at: set[int]) -> dict[int, str | None]:
    """The bodies of the reports at these row numbers (``rowid``), by row number."""
    if not rows_at:
        return {}
    found = con.execute("SELECT rowid, body FROM reports WHERE rowid IN (SELECT unnest(?::BIGINT[]))",
                        [sorted(rows_at)]).fetchall()
    return dict(found)


def _issues(row: tuple) -> list[dict]:
    report_id, year, prev_id, prev_year, carried_over, prev_forward, v5, verdict, prev_body, body = row
    issues = []
    if v5:
        issues.append({"report_id": report_id, "rule": "V5", "severity": "warning",
                       "message": f"{year}: carried over from last year is {carried_over:g}, "
                                  f"but the {prev_year} report carried {prev_forward:g} forward",
                       "refs": [f"table3:R02:总计 ({year})", f"table3:R25:总计 ({prev_year})"]})
    if verdict if verdict is not None else similar(prev_body or "", body or ""):
        issues.append({"report_id": report_id, "rule": "V9", "severity": "warning",
                       "message": f"the {year} report's text is nearly identical to the {prev_year} report's",
                       "refs": [prev_id, report_id]})
    return issues


def _reaches(matches: int, total: int, threshold: float) -> bool:
    """``SequenceMatcher``'s ratio formula for ``matches`` matching characters, against ``threshold``."""
    return (2.0 * matches / total if total else 1.0) >= threshold


def similar(a: str, b: str, threshold: float = SIMILAR_NARRATIVE) -> bool:
    """``SequenceMatcher(None, a, b).ratio() >= threshold``, with exact upper bounds tried first.

    The matches ``ratio()`` counts are never more than the shorter length (``real_quick_ratio``)
    or the longest common subsequence: the blocks ``get_matching_blocks`` finds are in the same
    order in both strings, so together they are a common subsequence. Each bound is far cheaper
    than the next, and one below the threshold decides without ``ratio()``.
    """
    total = len(a) + len(b)
    for bound in (_shorter, _longest_common_subsequence):
        if not _reaches(bound(a, b), total, threshold):
            return False
    return SequenceMatcher(None, a, b).ratio() >= threshold


def _longest_common_subsequence(a: str, b: str) -> int:
    """Its length, from rapidfuzz (bit-parallel, in C)."""
    return LCSseq.similarity(a, b)


def _shorter(a: str, b: str) -> int:
    return min(len(a), len(b))
