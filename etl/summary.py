"""Stage 8: facts → one wide row per report (``report_cells``) and the dashboard's ``report_summary``.

The dashboard's pages chart a handful of numbers per report; reading them out of the long facts
table (tens of millions of rows at national scale) on every page view is what made pages slow.
This module turns them into columns once:

- ``cells_row(report_id, facts)``: a report's facts (``FactRow`` tuples, in fact order) → its row
  of ``report_cells`` (columns ``CELL_COLUMNS``), a pure function of that one report. The writer
  stores it beside the facts at load time (``etl.store_rows``); ``refresh_cells`` recomputes it from
  the facts table for reports whose facts a correction changed (and, given no ids, for every
  report that has none: a database written without them).
- ``build_summary(con)``: the loaded database → ``report_summary``, one row per report with a year
  (older versions too, ``is_active`` false): ``report_cells`` joined with the report, its bureau
  (name, region, kind, level), its validation-issue counts, completeness and problem themes, plus
  what depends on other reports: ``chosen`` (the active report the charts use for its bureau and
  year: the template report with the most headline facts, then the lowest id) and, for the chosen
  ones, the previous calendar year's values (``<metric>_prev``, ``prev_report_id``), integer
  numbers of the bureau and its province, city and county (``bureau_num`` …, for fast distinct
  counts and grouping), per theme whether a problem (``pt_<theme>``) or any sentence
  (``st_<theme>``) of it is admitted, and the report's fact id range (``first_fact``,
  ``last_fact``: facts are stored in load order, so a lookup of one report's facts reads one row
  group) and ``has_appeals`` (it has table 4 or states a reconsideration or litigation count).
  Rows are stored in bureau id order, which begins with the region (province|city|county|…), so a
  filter on a region or on a few bureaus reads few row groups. They are written ``SUMMARY_CHUNK``
  reports at a time (ranges of bureau ids, appended in order), so that joining the wide cells fits
  the build's memory limit at a million reports.
  Rebuilt after every load and correction: it never disagrees with the facts. Beside it,
  ``bureau_summary``: one row per bureau with active reports (name, region, kind, level, sample
  flag, first and last year, number of reports, display ``label`` and ``color_num``: its place in
  bureau id order, which picks its colour), the sidebar's options; and ``measure_summary``: the
  compare page's measures of every chosen report as a list, in year, kind and level order, so the
  peers of one group are read from a few row groups; ``change_summary``: every headline number of
  a chosen report that differs from the bureau's previous calendar year, with the absolute and %
  change and ``change_rank`` (largest % change first), so the largest changes of any scope are a
  top-N over integers. ``report_summary.name_rank`` orders reports by bureau name, year and id.
  ``region_summary``: the chosen reports rolled up per city (province, city and their numbers),
  level, year and the flags the charts filter on (``has_t3``, ``has_channels``, ``has_appeals``),
  with ``n_reports``, ``is_sample`` and the partial sums of ``ROLLUP_SUMS``, non-NULL counts of
  ``ROLLUP_COUNTS`` and any-true of ``ROLLUP_ORS``: a chart of the provinces of the country or the
  cities of a province sums these (a fortieth of the rows at national scale) instead of every report.
  ``theme_summary``: every report with a year (older versions too) grouped the same way by city, level,
  year and ``is_active``, with ``n_reports`` and per theme the reports admitting it as a problem
  (``pt_<theme>``), whether a sample report does (``pt_<theme>_sample``) and whether any sentence has
  it (``st_<theme>``): the problems page's heatmap of a region adds up these.

``report_cells`` columns: ``n_headline``, ``n_stated`` (headline metrics stated), ``n_tables``
(template tables 2–4 present); per headline metric ``m``: ``m`` (value; NULL for blank, "/" or not
stated), ``m_kind`` (value kind; NULL when not stated), ``m_raw``, ``m_qualifier``,
``m_corrected``, ``m_original``; ``has_channels`` and per channel ``ch_<key>`` (items summed) and
``ch_<key>_raw``; table 3: ``has_t3``, the total column ``t3_r01`` … ``t3_r25``, ``t3_rows`` (the rows it
has), ``t3_corrected_rows`` (its rows a correction changed), new applications by applicant type ``app1`` … ``app6`` with
``_kind`` and ``_raw`` (order of ``APPLICANT_COLUMNS``); table 4: ``has_t4`` and per row key of
``T4_ROWS`` ``t4_<row>_present``, ``t4_<row>_<column>`` (keys of ``T4_COLUMNS``) and
``t4_<row>_corrected_columns``; ``categories`` (the proactive-disclosure categories as structs).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import duckdb
import pyarrow as pa

from etl.model import CHANNELS, HEADLINE_METRICS, THEMES, Fact
from etl.tables_vocab import T3_COLUMNS, T3_ORDER_2021
from etl.tables_vocab import T4_COLUMNS as T4_COLUMN_NAMES
from etl.tables_vocab import T4_ROWS as T4_ROW_NAMES

SUMMARY_VERSION = "7"
CHANGE_METRICS = ("proactive_total", "applications_received", "reconsideration", "litigation")
T3_ROWS = T3_ORDER_2021
APPLICANT_COLUMNS = T3_COLUMNS[:-1]
# Column-name keys for table 4's rows and columns (in the template's order).
T4_ROWS = dict(zip(("rec", "sue", "rec_sue"), T4_ROW_NAMES, strict=True))
T4_COLUMNS = dict(zip(("upheld", "corrected", "other", "pending", "total"), T4_COLUMN_NAMES, strict=True))


class FactRow(NamedTuple):
    """The fields of a fact that ``cells_row`` reads."""

    metric: str
    dimension: str | None
    value: float | None
    value_kind: str
    raw: str | None
    qualifier: str | None
    headline: bool
    tbl: int | None
    row_id: str | None
    column_name: str | None
    corrected: bool = False
    original_value: float | None = None


FACT_ROW_SQL = ", ".join(f"f.{name}" for name in FactRow._fields[:-2]) + \
    ", coalesce(f.corrected, FALSE), f.original_value"

_S, _F, _B, _I = pa.string(), pa.float64(), pa.bool_(), pa.int32()
_CATEGORY = pa.struct([("category", _S), ("value", _F), ("raw", _S), ("position", _I), ("corrected", _B),
                       ("original_value", _F)])


def _cell_schema() -> pa.Schema:
    fields: list[tuple[str, pa.DataType]] = [("report_id", _S), ("n_headline", _I), ("n_stated", _I),
                                              ("n_tables", _I)]
    for m in HEADLINE_METRICS:
        fields += [(m, _F), (f"{m}_kind", _S), (f"{m}_raw", _S), (f"{m}_qualifier", _S), (f"{m}_corrected", _B),
                   (f"{m}_original", _F)]
    fields.append(("has_channels", _B))
    for c in CHANNELS:
        fields += [(f"ch_{c}", _F), (f"ch_{c}_raw", _S)]
    fields.append(("has_t3", _B))
    fields += [(f"t3_{r.lower()}", _F) for r in T3_ROWS]
    fields += [("t3_rows", pa.list_(_S)), ("t3_corrected_rows", pa.list_(_S))]
    for i in range(1, len(APPLICANT_COLUMNS) + 1):
        fields += [(f"app{i}", _F), (f"app{i}_kind", _S), (f"app{i}_raw", _S)]
    fields.append(("has_t4", _B))
    for key in T4_ROWS:
        fields.append((f"t4_{key}_present", _B))
        fields += [(f"t4_{key}_{col}", _F) for col in T4_COLUMNS]
        fields.append((f"t4_{key}_corrected_columns", pa.list_(_S)))
    fields.append(("categories", pa.list_(_CATEGORY)))
    return pa.schema(fields)


CELL_SCHEMA = _cell_schema()
CELL_COLUMNS = tuple(CELL_SCHEMA.names)
_INDEX = {name: i for i, name in enumerate(CELL_COLUMNS)}
_T3_INDEX = {r: _INDEX[f"t3_{r.lower()}"] for r in T3_ROWS}
_APPLICANT_INDEX = {col: _INDEX[f"app{i}"] for i, col in enumerate(APPLICANT_COLUMNS, 1)}
_T4_ROW_KEY = {row: key for key, row in T4_ROWS.items()}
_T4_COLUMN_KEY = {name: key for key, name in T4_COLUMNS.items()}
_HEADLINE = set(HEADLINE_METRICS)
_CHANNELS = set(CHANNELS)


def from_fact(fact: Fact) -> FactRow:
    return FactRow(fact.metric, fact.dimension, fact.value, fact.value_kind, fact.raw, fact.qualifier,
                   fact.headline, fact.table, fact.row, fact.column)


def cells_row(report_id: str, facts: Iterable[FactRow]) -> tuple:
    """One report's ``report_cells`` row; where a report has two facts for one column, the first counts
    (two channels of one kind are summed)."""
    row: list[Any] = [None] * len(CELL_COLUMNS)
    row[0] = report_id
    n_headline, stated, tables = 0, set(), set()
    t3_rows: list[str] = []
    t3_corrected: list[str] = []
    t4_corrected: dict[str, list[str]] = {}
    channel_raw: dict[str, list[str]] = {}
    categories: list[dict[str, Any]] = []
    for f in facts:
        if f.tbl in (2, 3, 4):
            tables.add(f.tbl)
        if f.headline:
            n_headline += 1
            if f.metric in _HEADLINE and f.metric not in stated:
                stated.add(f.metric)
                i = _INDEX[f.metric]
                row[i:i + 6] = [f.value, f.value_kind, f.raw, f.qualifier, bool(f.corrected), f.original_value]
            elif f.metric == "channel" and f.dimension in _CHANNELS and f.value is not None:
                i = _INDEX[f"ch_{f.dimension}"]
                row[i] = (row[i] or 0.0) + f.value
                channel_raw.setdefault(f.dimension, []).append(f.raw or "")
        if f.tbl == 3:
            _t3_cell(row, f, t3_rows, t3_corrected)
        elif f.tbl == 4 and f.row_id in _T4_ROW_KEY:
            _t4_cell(row, f, t4_corrected)
        elif f.metric == "proactive_category" and f.value is not None and f.dimension is not None:
            categories.append({"category": f.dimension, "value": f.value, "raw": f.raw, "position": len(categories),
                               "corrected": bool(f.corrected), "original_value": f.original_value})
    row[_INDEX["n_headline"]], row[_INDEX["n_stated"]], row[_INDEX["n_tables"]] = n_headline, len(stated), len(tables)
    row[_INDEX["has_channels"]] = bool(channel_raw)
    for channel, raws in channel_raw.items():
        row[_INDEX[f"ch_{channel}_raw"]] = " + ".join(raws)
    row[_INDEX["has_t3"]] = bool(t3_rows)
    row[_INDEX["t3_rows"]] = t3_rows or None
    row[_INDEX["t3_corrected_rows"]] = t3_corrected or None
    row[_INDEX["has_t4"]] = bool(row[_INDEX["has_t4"]])
    for key in T4_ROWS:
        present = _INDEX[f"t4_{key}_present"]
        row[present] = bool(row[present])
        row[_INDEX[f"t4_{key}_corrected_columns"]] = t4_corrected.get(key)
    row[_INDEX["categories"]] = categories or None
    return tuple(row)


def _t3_cell(row: list[Any], f: FactRow, rows: list[str], corrected: list[str]) -> None:
    if f.column_name == "总计" and f.row_id in _T3_INDEX:
        rows.append(f.row_id)
        i = _T3_INDEX[f.row_id]
        if row[i] is None:
            row[i] = f.value
        if f.corrected:
            corrected.append(f.row_id)
    elif f.row_id == "R01" and f.column_name in _APPLICANT_INDEX:
        i = _APPLICANT_INDEX[f.column_name]
        if row[i + 1] is None:
            row[i:i + 3] = [f.value, f.value_kind, f.raw]


def _t4_cell(row: list[Any], f: FactRow, corrected: dict[str, list[str]]) -> None:
    key = _T4_ROW_KEY[f.row_id]  # type: ignore[index]
    row[_INDEX["has_t4"]] = True
    row[_INDEX[f"t4_{key}_present"]] = True
    column = _T4_COLUMN_KEY.get(f.column_name or "")
    if column is not None:
        i = _INDEX[f"t4_{key}_{column}"]
        if row[i] is None:
            row[i] = f.value
    if f.corrected and f.column_name:
        corrected.setdefault(key, []).append(f.column_name)


def cells_arrow(rows: list[tuple]) -> pa.Table:
    """A batch of ``cells_row`` rows as an Arrow table typed by ``CELL_SCHEMA``."""
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in CELL_COLUMNS]
    return pa.Table.from_arrays([pa.array(list(c), type=t) for c, t in zip(columns, CELL_SCHEMA.types,
                                                                                 strict=True)],
                                schema=CELL_SCHEMA)


def _ddl_type(t: pa.DataType) -> str:
    if pa.types.is_list(t):
        return _ddl_type(t.value_type) + "[]"
    if pa.types.is_struct(t):
        return "STRUCT(" + ", ".join(f"{f.name} {_ddl_type(f.type)}" for f in t) + ")"
    return {"string": "VARCHAR", "double": "DOUBLE", "bool": "BOOLEAN", "int32": "INTEGER"}[str(t)]


CELLS_DDL = "CREATE TABLE IF NOT EXISTS report_cells (" + ", ".join(
    f"{f.name} {_ddl_type(f.type)}" for f in CELL_SCHEMA) + ")"


def insert_cells(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    if not rows:
        return
    con.execute(CELLS_DDL)
    con.register("incoming_cells", cells_arrow(rows))
    try:
        con.execute(f"INSERT INTO report_cells ({', '.join(CELL_COLUMNS)}) "
                    f"SELECT {', '.join(CELL_COLUMNS)} FROM incoming_cells")
    finally:
        con.unregister("incoming_cells")


def _fact_groups(cur: duckdb.DuckDBPyConnection, batch: int = 50_000) -> Iterator[tuple[str, list[FactRow]]]:
    """(report id, its facts in order) from a cursor ordered by report id and fact id."""
    current: str | None = None
    facts: list[FactRow] = []
    while chunk := cur.fetchmany(batch):
        for report_id, *fields in chunk:
            if report_id != current:
                if current is not None:
                    yield current, facts
                current, facts = report_id, []
            facts.append(FactRow(*fields))
    if current is not None:
        yield current, facts


def refresh_cells(con: duckdb.DuckDBPyConnection, report_ids: Iterable[str] | None = None,
                  batch: int = 2_000) -> int:
    """Recompute ``report_cells`` from the facts table: for ``report_ids``, or for every report that has
    none (``None``); gives how many rows were written."""
    con.execute(CELLS_DDL)
    if report_ids is None:
        where = "f.report_id IN (SELECT report_id FROM reports EXCEPT SELECT report_id FROM report_cells)"
        params: list[Any] = []
    else:
        ids = sorted(set(report_ids))
        if not ids:
            return 0
        con.execute("DELETE FROM report_cells WHERE list_contains(?, report_id)", [ids])
        where, params = "list_contains(?, f.report_id)", [ids]
    written = 0
    cur = con.cursor()
    try:
        cur.execute(f"SELECT f.report_id, {FACT_ROW_SQL} FROM facts f WHERE {where} "
                    f"ORDER BY f.report_id, f.fact_id", params)
        rows: list[tuple] = []
        for report_id, facts in _fact_groups(cur):
            rows.append(cells_row(report_id, facts))
            if len(rows) >= batch:
                insert_cells(con, rows)
                written, rows = written + len(rows), []
        insert_cells(con, rows)
        written += len(rows)
    finally:
        cur.close()
    return written


SUMMARY_CHUNK = 100_000
"""Reports whose summary rows are joined with their cells at a time. Joining every report's wide cells
at once needs more memory than a build allows at a million reports."""


def _summary_keys_steps() -> list[tuple[str, str]]:
    """``(temporary table, query)`` pairs, in order, the last building ``summary_keys``: every column of
    ``report_summary`` but the cells, one narrow row per report.

    Each part is its own table, made one after the other, so that the groupings of every fact and
    problem and the window functions do not hold memory at the same time.
    """
    metrics = len(HEADLINE_METRICS)
    theme_flags = ", ".join(f"bool_or(kind = 'problem' AND theme = '{th}') AS pt_{th}, "
                            f"bool_or(theme = '{th}') AS st_{th}" for th in THEMES)
    theme_columns = ", ".join(f"coalesce(t.pt_{th}, FALSE) AS pt_{th}, coalesce(t.st_{th}, FALSE) AS st_{th}"
                              for th in THEMES)
    values = ", ".join(f"c.{m}" for m in CHANGE_METRICS)
    prev = ", ".join(f"CASE WHEN lag(year) OVER w = year - 1 THEN lag({m}) OVER w END AS {m}_prev"
                     for m in CHANGE_METRICS)
    # The window functions run over narrow rows (a window over the wide cells holds all of them).
    return [
        ("summary_issues", """
            SELECT report_id, count(*) AS n_issues,
                   count(*) FILTER (WHERE severity = 'error') AS n_errors,
                   count(*) FILTER (WHERE severity = 'warning') AS n_warnings
            FROM validation_issues GROUP BY report_id"""),
        ("summary_themes", f"""
            SELECT report_id,
                   coalesce(list(DISTINCT theme ORDER BY theme) FILTER (WHERE kind = 'problem'), [])
                     AS problem_themes,
                   list(DISTINCT theme ORDER BY theme) AS sentence_themes,
                   {theme_flags}
            FROM problems GROUP BY report_id"""),
        ("summary_ranges",
         "SELECT report_id, min(fact_id) AS first_fact, max(fact_id) AS last_fact FROM facts GROUP BY report_id"),
        ("summary_base", f"""
            SELECT r.report_id,
                   coalesce(r.bureau_id, 'report:' || r.report_id) AS bureau_id,
                   coalesce(b.name, r.bureau_name_raw, r.report_id) AS bureau_name,
                   b.province, b.city, b.county, b.kind, b.level, r.year, r.era, r.template_version,
                   r.is_aggregate, (r.is_sample OR coalesce(b.is_sample, FALSE)) AS is_sample, r.title, r.version,
                   r.is_active,
                   (coalesce(c.n_stated, 0) + CASE WHEN r.era = 'template' THEN coalesce(c.n_tables, 0) ELSE 0 END)
                     / ({metrics} + CASE WHEN r.era = 'template' THEN 3 ELSE 0 END) AS completeness,
                   r.is_active AND row_number() OVER (
                       PARTITION BY coalesce(r.bureau_id, 'report:' || r.report_id), r.year, r.is_active
                       ORDER BY (r.era = 'template') DESC NULLS LAST, coalesce(c.n_headline, 0) DESC, r.report_id)
                     = 1 AS chosen,
                   {values}
            FROM reports r
            LEFT JOIN bureaus b ON b.bureau_id = r.bureau_id
            LEFT JOIN report_cells c ON c.report_id = r.report_id
            WHERE r.year IS NOT NULL"""),
        ("summary_prev", f"""
            SELECT report_id, {prev},
                   CASE WHEN lag(year) OVER w = year - 1 THEN lag(report_id) OVER w END AS prev_report_id
            FROM summary_base WHERE chosen
            WINDOW w AS (PARTITION BY bureau_id ORDER BY year)"""),
        ("summary_ranks", """
            SELECT report_id,
                   row_number() OVER (ORDER BY bureau_name, year, report_id) AS name_rank,
                   dense_rank() OVER (ORDER BY bureau_id) AS bureau_num,
                   CASE WHEN province IS NOT NULL THEN dense_rank() OVER (ORDER BY province) END AS province_num,
                   CASE WHEN city IS NOT NULL THEN dense_rank() OVER (ORDER BY province, city) END AS city_num,
                   CASE WHEN county IS NOT NULL THEN dense_rank() OVER (ORDER BY province, city, county) END
                     AS county_num
            FROM summary_base"""),
        ("summary_keys", f"""
            SELECT k.* EXCLUDE ({', '.join(CHANGE_METRICS)}),
                   n.name_rank, n.bureau_num, n.province_num, n.city_num, n.county_num,
                   coalesce(i.n_issues, 0)::INTEGER AS n_issues, coalesce(i.n_errors, 0)::INTEGER AS n_errors,
                   coalesce(i.n_warnings, 0)::INTEGER AS n_warnings,
                   coalesce(t.problem_themes, []::VARCHAR[]) AS problem_themes,
                   coalesce(t.sentence_themes, []::VARCHAR[]) AS sentence_themes, {theme_columns},
                   g.first_fact, g.last_fact,
                   p.* EXCLUDE (report_id)
            FROM summary_base k
            JOIN summary_ranks n ON n.report_id = k.report_id
            LEFT JOIN summary_prev p ON p.report_id = k.report_id
            LEFT JOIN summary_issues i ON i.report_id = k.report_id
            LEFT JOIN summary_themes t ON t.report_id = k.report_id
            LEFT JOIN summary_ranges g ON g.report_id = k.report_id"""),
    ]


def _summary_rows_sql(where: str) -> str:
    """The ``report_summary`` rows of the reports of ``summary_keys`` that ``where`` keeps, with their cells."""
    return f"""
SELECT k.*, c.* EXCLUDE (report_id, n_stated, n_tables),
       (coalesce(c.has_t4, FALSE) OR c.reconsideration_kind IS NOT NULL OR c.litigation_kind IS NOT NULL)
         AS has_appeals
FROM summary_keys k
LEFT JOIN report_cells c ON c.report_id = k.report_id
WHERE {where}
ORDER BY k.bureau_id, k.year, k.report_id
"""


def _build_report_summary(con: duckdb.DuckDBPyConnection) -> None:
    """``report_summary`` in bureau id order, its cells joined ``SUMMARY_CHUNK`` reports at a time: each
    chunk is a range of bureau ids, appended in order."""
    steps = _summary_keys_steps()
    for name, query in steps:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {query}")
    for name, _ in steps[:-1]:
        con.execute(f"DROP TABLE {name}")
    bounds = [row[0] for row in con.execute(
        "SELECT bureau_id FROM (SELECT bureau_id, row_number() OVER (ORDER BY bureau_id) - 1 AS i FROM summary_keys) "
        "WHERE i % ? = 0 ORDER BY i", [SUMMARY_CHUNK]).fetchall()]
    con.execute(f"CREATE OR REPLACE TABLE report_summary AS {_summary_rows_sql('FALSE')}")
    chunk = _summary_rows_sql("k.bureau_id >= ? AND (? IS NULL OR k.bureau_id < ?)")
    for low, high in zip(bounds, [*bounds[1:], None], strict=True):
        if low != high:  # a bureau with more reports than a chunk spans two bounds: its rows go once
            con.execute(f"INSERT INTO report_summary {chunk}", [low, high, high])
    con.execute("DROP TABLE summary_keys")


NEW_MEDIA = ("wechat", "weibo", "douyin")


def measure_items_sql() -> str:
    """A list of ``{measure, value, value_kind, corrected}`` structs over a ``report_summary`` row ``s``: the
    measures the compare page shows (see ``app.queries.measures``)."""
    channels = " + ".join(f"coalesce(s.ch_{c}, 0)" for c in CHANNELS)
    new_media = " + ".join(f"coalesce(s.ch_{c}, 0)" for c in NEW_MEDIA)
    granted = "CASE WHEN s.t3_r03 IS NULL AND s.t3_r04 IS NULL THEN NULL " \
              "ELSE coalesce(s.t3_r03, 0) + coalesce(s.t3_r04, 0) END"
    t4 = {col: "list_sum([" + ", ".join(f"s.t4_{key}_{col}" for key in T4_ROWS) + "])"
          for col in ("upheld", "corrected", "other")}
    concluded = f"CASE WHEN {t4['upheld']} IS NULL AND {t4['corrected']} IS NULL AND {t4['other']} IS NULL " \
                f"THEN NULL ELSE coalesce({t4['upheld']}, 0) + coalesce({t4['corrected']}, 0) " \
                f"+ coalesce({t4['other']}, 0) END"
    heads = [f"{{'measure': '{m}', 'value': s.{m}, 'value_kind': coalesce(s.{m}_kind, 'not_stated'), "
             f"'corrected': coalesce(s.{m}_corrected, FALSE)}}" for m in HEADLINE_METRICS]

    def rate(name: str, num: str, den: str, present: str) -> str:
        kind = f"CASE WHEN NOT coalesce({present}, FALSE) THEN 'not_stated' WHEN coalesce({den}, 0) = 0 " \
               f"THEN 'undefined' ELSE 'rate' END"
        return f"{{'measure': '{name}', 'value': ({num}) / nullif({den}, 0), 'value_kind': {kind}, 'corrected': FALSE}}"

    counts = [f"{{'measure': '{name}', 'value': {expr}::DOUBLE, "
              f"'value_kind': CASE WHEN {expr} = 0 THEN 'zero' ELSE 'number' END, 'corrected': FALSE}}"
              for name, expr in (("problems", "len(s.problem_themes)"), ("issues", "s.n_issues"))]
    items = [*heads, rate("new_media_share", new_media, channels, "s.has_channels"),
             rate("granted_rate", granted, "s.t3_r24", "s.has_t3"),
             rate("correction_rate", t4["corrected"], concluded, "s.has_t4"), *counts]
    return f"[{', '.join(items)}]"


_MEASURE_SUMMARY = """
CREATE OR REPLACE TABLE measure_summary AS
SELECT s.bureau_id, s.bureau_name, s.year, s.report_id, s.is_sample, s.kind, s.level, {items} AS measures
FROM report_summary s WHERE s.chosen
ORDER BY s.year, s.kind, s.level, s.bureau_id
"""

def _change_summary_sql() -> str:
    pairs = ", ".join(f"{{'metric': '{m}', 'value': s.{m}, 'previous': s.{m}_prev}}" for m in CHANGE_METRICS)
    return f"""
CREATE OR REPLACE TABLE change_summary AS
WITH long AS (
    SELECT s.bureau_id, s.bureau_name, s.year, s.report_id, s.is_sample, s.is_active, s.province, s.city,
           s.county, s.kind, s.level, s.prev_report_id AS previous_report, unnest([{pairs}], recursive := true)
    FROM report_summary s WHERE s.chosen AND s.prev_report_id IS NOT NULL
),
changed AS (
    SELECT *, value - previous AS change_abs,
           CASE WHEN previous <> 0 THEN (value - previous) / previous * 100 END AS change_pct
    FROM long WHERE value IS NOT NULL AND previous IS NOT NULL AND value <> previous
)
SELECT *, row_number() OVER (ORDER BY abs(change_pct) DESC NULLS LAST, abs(change_abs) DESC, year DESC,
                                      bureau_name, metric, report_id) AS change_rank
FROM changed
ORDER BY bureau_id, year
"""


_BUREAU_SUMMARY = """
CREATE OR REPLACE TABLE bureau_summary AS
WITH b AS (
    SELECT bureau_id, any_value(bureau_name) AS bureau_name, any_value(province) AS province,
           any_value(city) AS city, any_value(county) AS county, any_value(level) AS level,
           any_value(kind) AS kind, bool_or(is_sample) AS is_sample, min(year) AS first_year,
           max(year) AS last_year, count(*) AS n_reports
    FROM report_summary
    WHERE is_active AND NOT starts_with(bureau_id, 'report:')
    GROUP BY bureau_id
)
SELECT *,
       -- a name two bureaus share is told apart by the place
       CASE WHEN count(*) OVER (PARTITION BY bureau_name) > 1
            THEN bureau_name || '（' || coalesce(nullif(concat_ws('', province, city, county), ''), bureau_id) || '）'
            ELSE bureau_name END AS label,
       (row_number() OVER (ORDER BY bureau_id) - 1)::INTEGER AS color_num
FROM b
ORDER BY province NULLS LAST, city NULLS LAST, county NULLS FIRST, bureau_name, bureau_id
"""


# What ``region_summary`` keeps per group: the value columns a region's chart sums, the value-kind columns
# whose non-NULL count tells whether any report states the value, and the flags a region has when any
# report has them. Keep columns (raw text, qualifiers, corrected lists) are per bureau only.
ROLLUP_SUMS = (*HEADLINE_METRICS, *(f"ch_{c}" for c in CHANNELS), *(f"t3_{r.lower()}" for r in T3_ROWS),
               *(f"app{i}" for i in range(1, len(APPLICANT_COLUMNS) + 1)),
               *(f"t4_{key}_{col}" for key in T4_ROWS for col in T4_COLUMNS))
ROLLUP_COUNTS = (*(f"{m}_kind" for m in HEADLINE_METRICS),
                 *(f"app{i}_kind" for i in range(1, len(APPLICANT_COLUMNS) + 1)))
ROLLUP_ORS = (*(f"{m}_corrected" for m in HEADLINE_METRICS), *(f"t4_{key}_present" for key in T4_ROWS))
ROLLUP_FLAGS = ("has_t3", "has_channels", "has_appeals")
"""The flags ``app.queries`` filters a chart's reports on; they are group keys of ``region_summary``."""


def _region_summary_sql() -> str:
    aggregates = [*(f"sum({c}) AS {c}" for c in ROLLUP_SUMS), *(f"count({c}) AS {c}" for c in ROLLUP_COUNTS),
                  *(f"bool_or({c}) AS {c}" for c in ROLLUP_ORS)]
    keys = f"province_num, city_num, province, city, level, year, {', '.join(ROLLUP_FLAGS)}"
    return f"""
CREATE OR REPLACE TABLE region_summary AS
SELECT {keys}, count(*) AS n_reports, bool_or(is_sample) AS is_sample,
       {', '.join(aggregates)}
FROM report_summary WHERE chosen
GROUP BY {keys}
ORDER BY province_num NULLS LAST, city_num NULLS FIRST, level, year
"""


def _theme_summary_sql() -> str:
    themes = ", ".join(f"count(*) FILTER (WHERE pt_{th}) AS pt_{th}, bool_or(is_sample AND pt_{th}) AS pt_{th}_sample, "
                       f"bool_or(st_{th}) AS st_{th}" for th in THEMES)
    keys = "province_num, city_num, province, city, level, year, is_active"
    return f"""
CREATE OR REPLACE TABLE theme_summary AS
SELECT {keys}, count(*) AS n_reports, {themes}
FROM report_summary WHERE year IS NOT NULL
GROUP BY {keys}
ORDER BY province_num NULLS LAST, city_num NULLS FIRST, level, year, is_active
"""


def build_summary(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)build ``report_summary`` and the tables derived from it (computing missing ``report_cells`` rows
    first); gives the number of summary rows."""
    refresh_cells(con)
    con.execute("DELETE FROM report_cells WHERE report_id NOT IN (SELECT report_id FROM reports)")
    _build_report_summary(con)
    con.execute(_BUREAU_SUMMARY)
    con.execute(_region_summary_sql())
    con.execute(_theme_summary_sql())
    con.execute(_MEASURE_SUMMARY.format(items=measure_items_sql()))
    con.execute(_change_summary_sql())
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('summary_version', ?)", [SUMMARY_VERSION])
    return int(con.execute("SELECT count(*) FROM report_summary").fetchone()[0])  # type: ignore[index]


def summary_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has a ``report_summary`` of this code's version."""
    row = con.execute("SELECT value FROM meta WHERE key = 'summary_version'").fetchone()
    return row is not None and row[0] == SUMMARY_VERSION
