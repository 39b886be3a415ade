"""Every SQL statement the dashboard runs, each a constant with named ``$parameters``.

Takes a ``Scope`` (the sidebar's year range, region, bureau kind and level, and bureaus) or a
report id; gives pandas DataFrames with plain column names (``bureau_id``, ``bureau_name``,
``year``, ``value`` …) and, where figures are shown, an ``is_sample`` column. Values are never
pasted into SQL: each function passes them as parameters to ``app.db.query``.

Scope queries read ``report_summary`` (built at load time by ``etl.summary``: one wide row per
report), never the facts table, so a page costs the same whether the database holds a hundred
reports or a million. Where a bureau has more than one report for a year, the charts use one of
them: the template report with the most headline facts (``report_summary.chosen``); the
overview's coverage grid still counts every report. Only the active (newest) version of a
report counts; older versions stay viewable on the sources page. When a scope holds more than
``MAX_BUREAUS`` bureaus and none is picked, the charts show one series per region instead
(``unit_level``: the provinces of the country, the cities of a province, the counties of a
city), summing its bureaus' reports (provinces and cities from ``region_summary``, those reports
already summed per city and year, when the scope picks no kind). Values set by a supervisor's
correction come with ``corrected`` and ``original_value``. The single-report queries of the
sources page read the facts themselves; their statements carry markers (``@CORR(f)@`` …) that
``_sql`` turns into the right SQL for the database's schema version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from app import db
from app.db import query
from etl.model import CHANNELS, HEADLINE_METRICS, THEMES
from etl.summary import NEW_MEDIA as NEW_MEDIA
from etl.summary import SUMMARY_VERSION, T3_ROWS, measure_items_sql
from etl.summary import T4_COLUMNS as T4_COLUMN_KEYS
from etl.summary import T4_ROWS as T4_ROW_KEYS
from etl.tables_vocab import OUTCOME_GROUPS as OUTCOME_GROUPS
from etl.tables_vocab import T3_COLUMNS as T3_COLUMNS
from etl.tables_vocab import T4_COLUMNS as T4_COLUMNS
from etl.tables_vocab import T4_ROWS as T4_ROWS

APPLICANTS = T3_COLUMNS[:-1]
MEASURES = (*HEADLINE_METRICS, "new_media_share", "granted_rate", "correction_rate", "problems", "issues")
RATE_MEASURES = ("new_media_share", "granted_rate", "correction_rate")


@dataclass(frozen=True)
class Scope:
    """Which reports the pages look at; ``None`` and empty mean no restriction."""

    year_from: int | None = None
    year_to: int | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    bureaus: tuple[str, ...] = field(default_factory=tuple)
    kind: str | None = None
    level: str | None = None

    def params(self, *, all_versions: bool = False) -> dict[str, Any]:
        return {
            "year_from": self.year_from, "year_to": self.year_to, "province": self.province,
            "city": self.city, "county": self.county, "bureaus": list(self.bureaus),
            "kind": self.kind, "level": self.level, "all_versions": all_versions,
        }


def _features() -> tuple[bool, bool]:
    """Whether the database has report versions and corrections (schema v2)."""
    facts = db.columns("facts")
    return "is_active" in db.columns("reports"), {"corrected", "original_value"} <= facts


_MARKER = re.compile(r"@(ACTIVE|ONLY_ACTIVE|CORR|CFLAG|VERSION)\((\w+)\)@")


def _sql(text: str) -> str:
    """The statement with its schema markers replaced for the database at hand."""
    active, corrected = _features()

    def sub(m: re.Match[str]) -> str:
        what, alias = m.group(1), m.group(2)
        if what == "ACTIVE":
            return f"AND ($all_versions::BOOLEAN OR {alias}.is_active)" if active else \
                "AND ($all_versions::BOOLEAN OR TRUE)"
        if what == "ONLY_ACTIVE":
            return f"AND {alias}.is_active" if active else ""
        if what == "VERSION":
            return f"{alias}.version, {alias}.is_active" if active else "1 AS version, TRUE AS is_active"
        if what == "CFLAG":
            return f"coalesce({alias}.corrected, FALSE)" if corrected else "FALSE"
        if corrected:
            return f"coalesce({alias}.corrected, FALSE) AS corrected, {alias}.original_value"
        return "FALSE AS corrected, NULL::DOUBLE AS original_value"

    return _MARKER.sub(sub, text)


def _run(sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run a statement with the parameters it uses (a scope's unused fields are left out)."""
    text = _sql(sql)
    used = set(re.findall(r"\$(\w+)", text))
    return query(text, {k: v for k, v in (params or {}).items() if k in used})


# --- scope and units -------------------------------------------------------------------------
#
# Every scope query reads ``report_summary`` (etl.summary): one wide row per report, so no page
# joins the facts table. ``_WHERE`` keeps the reports in scope; ``s.chosen`` the one report a
# chart uses per bureau and year.

_FILTERS = {
    "year_from": "($year_from::INTEGER IS NULL OR s.year >= $year_from::INTEGER)",
    "year_to": "($year_to::INTEGER IS NULL OR s.year <= $year_to::INTEGER)",
    **{field: f"(${field}::VARCHAR IS NULL OR s.{field} = ${field}::VARCHAR)"
       for field in ("province", "city", "county", "kind", "level")},
    "bureaus": """(len($bureaus::VARCHAR[]) = 0 OR (list_contains($bureaus::VARCHAR[], s.bureau_id)
         AND s.bureau_id BETWEEN list_min($bureaus::VARCHAR[]) AND list_max($bureaus::VARCHAR[])))""",
}
"""The scope's filters on a summary row ``s``, by ``Scope`` field."""
_WHERE = "s.year IS NOT NULL AND ($all_versions::BOOLEAN OR s.is_active)\n    AND " + "\n    AND ".join(
    _FILTERS.values())
# The BETWEEN repeats list_contains in a form DuckDB can check against each row group's min and max
# bureau id (report_summary is stored in bureau id order), so picking a few bureaus reads few row groups.

MAX_BUREAUS = 40
"""Above this many bureaus in scope (and none picked), charts show regions instead of bureaus."""
REGION_PREFIX = "region:"
OWN_LEVEL = "本级"
"""Appended to a province or city name for its own bureaus when its sub-regions are shown (四川省本级)."""

# What a chart's series is: the bureau, or the region one level below the scope's region. Region
# series get ids of their own ("region:四川省|成都市") and the region's name as the bureau name; they
# are grouped by the integer region numbers of report_summary, the names taken once per group.
_REGION_PARTS = {"province": ("province",), "city": ("province", "city"), "county": ("province", "city", "county")}
_UNIT_KEYS = {"province": "s.province_num", "city": "s.province_num, s.city_num",
              "county": "s.province_num, s.city_num, s.county_num"}
_UNIT_NAMES = {"province": "coalesce(any_value(s.province), '—')",
               "city": f"coalesce(any_value(s.city), any_value(s.province) || '{OWN_LEVEL}', '—')",
               "county": f"coalesce(any_value(s.county), any_value(s.city) || '{OWN_LEVEL}', '—')"}


def _unit_id(unit: str) -> str:
    parts = " || '|' || ".join(f"coalesce(any_value(s.{p}), '')" for p in _REGION_PARTS[unit])
    return f"'{REGION_PREFIX}' || {parts}"


def has_summary() -> bool:
    """Whether the database has the tables the scope queries read, as this version of ``etl.summary``
    builds them (a database built before gets the page's "rebuild it" message, not a query error)."""
    if not (db.columns("report_summary") and db.columns("bureau_summary") and db.columns("meta")):
        return False
    found = _run("SELECT value FROM meta WHERE key = 'summary_version'")
    return not found.empty and found.iloc[0]["value"] == SUMMARY_VERSION


_N_BUREAUS = f"SELECT count(DISTINCT s.bureau_num) AS n FROM report_summary s WHERE {_WHERE}"


def bureaus_in_scope(scope: Scope) -> int:
    """How many bureaus have an active report in scope."""
    return int(_run(_N_BUREAUS, scope.params()).iloc[0]["n"])


def _more_bureaus_than(scope: Scope, limit: int) -> bool:
    """Whether more than ``limit`` bureaus have an active report in scope.

    Each bureau has one chosen report a year, so the busiest year's chosen reports, summed from
    ``region_summary``, are a lower bound that settles a large scope without counting the distinct
    bureaus of every report; only a scope near the limit (or one the table does not cover) counts them.
    """
    if _rollup_covers(scope) and _run(_BUSIEST_YEAR, scope.params()).iloc[0]["n"] > limit:
        return True
    return bureaus_in_scope(scope) > limit


def unit_level(scope: Scope) -> str:
    """What the charts of ``scope`` show one series for: ``bureau``, or a region level when the scope
    holds more than ``MAX_BUREAUS`` bureaus and none is picked (the level below the chosen region)."""
    if scope.bureaus or scope.county is not None or not _more_bureaus_than(scope, MAX_BUREAUS):
        return "bureau"
    return "province" if scope.province is None else "city" if scope.city is None else "county"


# Series of provinces or cities over ``region_summary`` (etl.summary): the chosen reports already summed
# per city, level, year and filter flag, so a chart of the whole country sums a fortieth of the rows. It
# has no county, kind or bureau, so a scope filtering on those (or charting counties) reads report_summary.
_ROLLUP_WHERE = " AND ".join(_FILTERS[field] for field in ("year_from", "year_to", "province", "city", "level"))

_BUSIEST_YEAR = f"""
SELECT coalesce(max(n), 0)::BIGINT AS n
FROM (SELECT sum(s.n_reports) AS n FROM region_summary s WHERE {_ROLLUP_WHERE} GROUP BY s.year)
"""


def _rollup_covers(scope: Scope) -> bool:
    """Whether ``region_summary`` holds every report of ``scope`` apart: no county, kind or bureau picked."""
    return scope.county is None and scope.kind is None and not scope.bureaus and bool(db.columns("region_summary"))


def _rollup_fits(scope: Scope, unit: str, columns: dict[str, str], where: str) -> bool:
    """Whether a region series of ``scope`` can be summed from ``region_summary``: provinces or cities, a
    scope it covers, and every column the series and its filter ``where`` read."""
    if unit not in ("province", "city") or not _rollup_covers(scope):
        return False
    have = db.columns("region_summary")
    needed = {name for name, how in columns.items() if how != "keep"}
    needed |= {how[5:] for how in columns.values() if how.startswith("kind:")}
    needed |= set(re.findall(r"\bs\.(\w+)", where))
    return needed <= have


def _base(scope: Scope, columns: dict[str, str], where: str = "TRUE", unit: str | None = None) -> tuple[str, str]:
    """The ``base`` CTE: one row per series and year over the chosen reports in scope, and the unit.

    ``columns`` maps output names to how they roll up over the reports of a region: ``sum``,
    ``or`` (any true), ``keep`` (per bureau only; NULL for a region) or ``kind:<value column>``
    (the value kind of a summed value). Rows carry ``bureau_id``, ``bureau_name``, ``kind``, ``level``,
    ``year``, ``report_id`` (NULL for a region), ``is_sample`` and ``n_reports``. ``where`` filters the
    reports by their ``s.`` columns; a region series reads ``region_summary`` when those are among its
    flags (``etl.summary.ROLLUP_FLAGS``).
    """
    unit = unit or unit_level(scope)
    if unit == "bureau":
        cols = ", ".join(f"s.{c} AS {c}" for c in columns)
        sql = f"""base AS (
    SELECT s.bureau_id, s.bureau_name, s.kind, s.level, s.year, s.report_id, s.is_sample, 1 AS n_reports
           {', ' + cols if cols else ''}
    FROM report_summary s WHERE s.chosen AND {_WHERE} AND ({where})
)"""
        return sql, unit
    # region_summary holds each group's sums, counts of stated kinds and report count, which add up.
    rollup = _rollup_fits(scope, unit, columns, where)
    stated = "sum" if rollup else "count"
    aggs = []
    for name, how in columns.items():
        if how == "sum":
            aggs.append(f"sum(s.{name}) AS {name}")
        elif how == "or":
            aggs.append(f"bool_or(s.{name}) AS {name}")
        elif how.startswith("kind:"):
            value = f"sum(s.{how[5:]})"
            aggs.append(f"CASE WHEN {stated}(s.{name}) = 0 THEN NULL WHEN {value} IS NULL THEN 'blank' "
                        f"WHEN {value} = 0 THEN 'zero' ELSE 'number' END AS {name}")
        else:
            aggs.append(f"NULL AS {name}")
    n_reports, source = ("sum(s.n_reports)::BIGINT", f"region_summary s WHERE {_ROLLUP_WHERE}") if rollup else \
        ("count(*)", f"report_summary s WHERE s.chosen AND {_WHERE}")
    sql = f"""base AS (
    SELECT {_unit_id(unit)} AS bureau_id, {_UNIT_NAMES[unit]} AS bureau_name, NULL::VARCHAR AS kind,
           NULL::VARCHAR AS level, s.year, NULL::VARCHAR AS report_id, bool_or(s.is_sample) AS is_sample,
           {n_reports} AS n_reports {', ' + ', '.join(aggs) if aggs else ''}
    FROM {source} AND ({where})
    GROUP BY {_UNIT_KEYS[unit]}, s.year
)"""
    return sql, unit


# --- sidebar options ------------------------------------------------------------------------

MAX_PICKABLE = 3000
"""Bureaus listed at most in a picker; above it the sidebar asks for a region or kind first."""

# A bureau is in the year range when its reports span part of it; region, kind and level as chosen.
_OPTION_WHERE = """
    ($year_from::INTEGER IS NULL OR b.last_year >= $year_from::INTEGER)
    AND ($year_to::INTEGER IS NULL OR b.first_year <= $year_to::INTEGER)"""
_CASCADE = ("province", "city", "county", "kind", "level")


def _option_filter(fields: tuple[str, ...]) -> str:
    return _OPTION_WHERE + "".join(f"\n    AND (${k}::VARCHAR IS NULL OR b.{k} = ${k}::VARCHAR)" for k in fields)


_BUREAU_OPTIONS = f"""
SELECT bureau_id, bureau_name, province, city, county, level, kind, is_sample, first_year, last_year, n_reports,
       label, color_num
FROM bureau_summary b
WHERE {_option_filter(_CASCADE)}
  AND (len($bureaus::VARCHAR[]) = 0 OR list_contains($bureaus::VARCHAR[], b.bureau_id))
ORDER BY province NULLS LAST, city NULLS LAST, county NULLS FIRST, bureau_name, bureau_id
LIMIT $limit
"""

_REGION_CHOICES = "SELECT " + ",\n       ".join(
    f"list(DISTINCT b.{k} ORDER BY b.{k}) FILTER (WHERE b.{k} IS NOT NULL AND {_option_filter(_CASCADE[:i])}) AS {k}"
    for i, k in enumerate(_CASCADE)) + "\nFROM bureau_summary b"

_YEARS = "SELECT min(year) AS year_min, max(year) AS year_max FROM report_summary WHERE is_active"


def bureau_options(scope: Scope | None = None, limit: int | None = None) -> pd.DataFrame:
    """The bureaus with an active report in the scope's years, region, kind and level (and among its
    bureaus, when it names some), at most ``limit``: id, name, region, kind, level, sample flag, years
    covered, number of reports, display ``label`` and ``color_num`` (its place in id order). ``limit``
    defaults to one more than ``MAX_PICKABLE``, so a caller can tell that there are too many to list."""
    return _run(_BUREAU_OPTIONS, {**(scope or Scope()).params(), "limit": MAX_PICKABLE + 1 if limit is None else limit})


def region_choices(scope: Scope) -> dict[str, list[str]]:
    """What each sidebar box can offer: the provinces with bureaus in the scope's years, the cities of its
    province, the counties of its city, the kinds in its region and the levels of its kind."""
    row = _run(_REGION_CHOICES, scope.params()).iloc[0]
    return {k: [str(v) for v in row[k]] if isinstance(row[k], list | tuple | np.ndarray) else [] for k in _CASCADE}


def year_bounds() -> tuple[int, int] | None:
    """The first and last report year, or None when no report has a year."""
    row = _run(_YEARS).iloc[0]
    if pd.isna(row["year_min"]):
        return None
    return int(row["year_min"]), int(row["year_max"])


# --- overview -------------------------------------------------------------------------------

_COUNTS = f"""
SELECT count(*) AS reports,
       count(DISTINCT s.bureau_num) AS bureaus,
       count(DISTINCT s.year) AS years,
       count(DISTINCT s.province_num) AS provinces,
       count(DISTINCT s.city_num) AS cities,
       count(DISTINCT s.county_num) AS counties,
       count(*) FILTER (WHERE s.is_sample) AS sample_reports,
       coalesce(sum(s.n_issues), 0)::INTEGER AS issues
FROM report_summary s WHERE {_WHERE}
"""


def overview_counts(scope: Scope) -> dict[str, int]:
    """Reports, bureaus, years, provinces, cities, counties, sample reports and validation issues in scope."""
    row = _run(_COUNTS, scope.params()).iloc[0]
    keys = ("reports", "bureaus", "years", "provinces", "cities", "counties", "sample_reports", "issues")
    return {k: int(row[k]) for k in keys}


def coverage(scope: Scope) -> pd.DataFrame:
    """One row per bureau (or region, see ``unit_level``) and year with a report: count, template, issues,
    completeness.

    ``completeness`` is the share of expected items the report states: the headline numbers of
    ``HEADLINE_METRICS`` and, for template reports, tables 2, 3 and 4 (the best report of the year;
    the mean over a region's reports). ``n_errors`` and ``n_warnings`` count validation issues of
    those severities.
    """
    unit = unit_level(scope)
    if unit == "bureau":
        keys, uid, uname = "s.bureau_id, s.province, s.city, s.county", "s.bureau_id", "any_value(s.bureau_name)"
        region, best = "s.province, s.city, s.county", "max(s.completeness)"
    else:
        keys, uid, uname = _UNIT_KEYS[unit], _unit_id(unit), _UNIT_NAMES[unit]
        # a region's own parts only: below its level, its reports' places differ
        parts = _REGION_PARTS[unit]
        region = ", ".join(f"any_value(s.{p}) AS {p}" if p in parts else f"NULL::VARCHAR AS {p}"
                           for p in ("province", "city", "county"))
        best = "round(avg(s.completeness), 9)"  # the float sum's order varies between runs
    sql = f"""
SELECT {uid} AS bureau_id, {uname} AS bureau_name, {region}, s.year,
       count(*) AS n_reports,
       string_agg(DISTINCT coalesce(s.template_version, s.era), ' / ' ORDER BY coalesce(s.template_version, s.era))
         AS template,
       bool_or(s.era = 'template') AS is_template,
       sum(s.n_issues)::INTEGER AS n_issues, sum(s.n_errors)::INTEGER AS n_errors,
       sum(s.n_warnings)::INTEGER AS n_warnings,
       {best} AS completeness,
       bool_or(s.is_sample) AS is_sample
FROM report_summary s WHERE {_WHERE}
GROUP BY {keys}, s.year
ORDER BY bureau_name, bureau_id, s.year
"""
    return _run(sql, scope.params())


def _changes_sql() -> str:
    return f"""
SELECT s.bureau_id, s.bureau_name, s.year, s.report_id, s.is_sample, s.metric, s.value, s.previous,
       s.previous_report, s.change_abs, s.change_pct
FROM change_summary s
WHERE {_WHERE} AND ($year_from::INTEGER IS NULL OR s.year - 1 >= $year_from::INTEGER)
ORDER BY s.change_rank
LIMIT $limit
"""


_CHANGES = _changes_sql()


def changes(scope: Scope, limit: int = 1000) -> pd.DataFrame:
    """Headline numbers of a bureau that changed from its previous calendar year in scope, largest first.

    Ordered by the size of the change in % (a change from 0 has no % and comes after), then by
    the absolute change; unchanged values are left out; at most ``limit`` rows.
    """
    return _run(_CHANGES, {**scope.params(), "limit": limit})


# --- headline values ------------------------------------------------------------------------

def _metric(metric: str) -> str:
    if metric not in HEADLINE_METRICS:
        raise ValueError(f"not a headline metric: {metric}")
    return metric


def headline(scope: Scope, metric: str, gaps: bool = False) -> pd.DataFrame:
    """One headline metric per bureau (or region) and year, with the change from the year before.

    ``previous``, ``change_abs`` and ``change_pct`` are only set when the series has a value for
    the previous calendar year in scope; ``change_pct`` also needs the previous value to be
    non-zero. With ``gaps``, a bureau-year whose report does not state the metric has a row too,
    with ``value_kind`` ``not_stated`` and no value. A region's value is the sum over its bureaus'
    reports that state one (``n_reports``).
    """
    m = _metric(metric)
    base, _ = _base(scope, {m: "sum", f"{m}_kind": f"kind:{m}", f"{m}_raw": "keep", f"{m}_qualifier": "keep",
                               f"{m}_corrected": "or", f"{m}_original": "keep"})
    sql = f"""
WITH {base},
vals AS (
    SELECT bureau_id, bureau_name, year, report_id, is_sample, kind, level,
           {m} AS value, {m}_raw AS raw, {m}_qualifier AS qualifier,
           coalesce({m}_kind, 'not_stated') AS value_kind,
           coalesce({m}_corrected, FALSE) AS corrected, {m}_original AS original_value, n_reports
    FROM base WHERE $gaps OR {m}_kind IS NOT NULL
)
SELECT *,
       CASE WHEN lag(year) OVER w = year - 1 THEN lag(value) OVER w END AS previous,
       CASE WHEN lag(year) OVER w = year - 1 THEN value - lag(value) OVER w END AS change_abs,
       CASE WHEN lag(year) OVER w = year - 1 AND lag(value) OVER w <> 0
            THEN (value - lag(value) OVER w) / lag(value) OVER w * 100 END AS change_pct
FROM vals
WINDOW w AS (PARTITION BY bureau_id ORDER BY year)
ORDER BY bureau_name, bureau_id, year
"""
    return _run(sql, {**scope.params(), "gaps": gaps})


def proactive(scope: Scope, gaps: bool = False) -> pd.DataFrame:
    """Items disclosed proactively (``proactive_total``) per bureau and year, with year-over-year change."""
    return headline(scope, "proactive_total", gaps)


def applications_received(scope: Scope, gaps: bool = False) -> pd.DataFrame:
    """Applications received per bureau and year (the headline value)."""
    return headline(scope, "applications_received", gaps)


_CATEGORY_COLUMNS = ["bureau_id", "bureau_name", "year", "report_id", "is_sample", "category", "value", "raw",
                     "position", "total", "corrected", "original_value", "share"]


def categories(scope: Scope) -> pd.DataFrame:
    """The categories a report splits its proactive disclosure into, as it names them, with the total.

    Per bureau only: category names are the reports' own, so they are not summed over a region
    (empty when ``unit_level`` is a region).
    """
    if unit_level(scope) != "bureau":
        return pd.DataFrame(columns=_CATEGORY_COLUMNS)
    sql = f"""
WITH cats AS (
    SELECT s.bureau_id, s.bureau_name, s.year, s.report_id, s.is_sample, s.proactive_total AS total,
           unnest(s.categories) AS c
    FROM report_summary s WHERE s.chosen AND {_WHERE} AND s.categories IS NOT NULL
)
SELECT bureau_id, bureau_name, year, report_id, is_sample, c.category AS category, c.value AS value,
       c.raw AS raw, c.position AS position, total, coalesce(c.corrected, FALSE) AS corrected,
       c.original_value AS original_value
FROM cats ORDER BY bureau_name, bureau_id, year, position
"""
    df = _run(sql, scope.params())
    df["share"] = df["value"] / df["total"].where(df["total"] > 0)
    return df


def channel_shares(scope: Scope) -> pd.DataFrame:
    """Items per channel and their share of the report's channel total, per bureau (or region) and year.

    A report naming two channels of the same kind (two "other" channels) gets one row with their sum.
    """
    cols: dict[str, str] = {"has_channels": "or"}
    for c in CHANNELS:
        cols[f"ch_{c}"] = "sum"
        cols[f"ch_{c}_raw"] = "keep"
    base, _ = _base(scope, cols, "s.has_channels")
    pairs = ", ".join(f"{{'channel': '{c}', 'value': ch_{c}, 'raw': ch_{c}_raw}}" for c in CHANNELS)
    sql = f"""
WITH {base},
long AS (
    SELECT bureau_id, bureau_name, year, report_id, is_sample, unnest([{pairs}], recursive := true)
    FROM base
)
SELECT bureau_id, bureau_name, year, report_id, is_sample, channel, value, raw,
       value / sum(value) OVER (PARTITION BY bureau_id, year) AS share
FROM long
WHERE value IS NOT NULL
QUALIFY sum(value) OVER (PARTITION BY bureau_id, year) > 0
ORDER BY bureau_name, bureau_id, year
"""
    df = _run(sql, scope.params())
    order = {c: i for i, c in enumerate(CHANNELS)}
    df["_o"] = df["channel"].map(order).fillna(len(order))
    return df.sort_values(["bureau_name", "bureau_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


# --- table 3 and table 4 --------------------------------------------------------------------

_KEYS = ["bureau_id", "bureau_name", "year", "report_id", "is_sample"]


def _series_starts(df: pd.DataFrame) -> np.ndarray:
    """Which rows of ``df`` (ordered by bureau or region and year) begin a new bureau-year."""
    ids, years = df["bureau_id"].to_numpy(), df["year"].to_numpy()
    starts = np.ones(len(df), dtype=bool)
    starts[1:] = (ids[1:] != ids[:-1]) | (years[1:] != years[:-1])
    return starts


def table3_cells(scope: Scope) -> pd.DataFrame:
    """The total column of table 3 per bureau (or region) and year, one row per table row.

    ``value`` is NaN for a blank or "/" cell; a region lists the cells some report filled in;
    ``corrected`` marks a value set by a correction; ``n_reports`` is how many reports stand behind it.
    """
    base, unit = _t3_base(scope)
    pairs = ", ".join(f"{{'row_id': '{r}', 'value': t3_{r.lower()}}}" for r in T3_ROWS)
    corrected = "coalesce(list_contains(t3_corrected_rows, row_id), FALSE)" if unit == "bureau" else "FALSE"
    # A bureau's cell is listed when its table has the row (blank or not); a region's when a report filled it in.
    present = "list_contains(t3_rows, row_id)" if unit == "bureau" else "value IS NOT NULL"
    sql = f"""
WITH {base},
long AS (
    SELECT {', '.join(_KEYS)}, n_reports, t3_rows, t3_corrected_rows, unnest([{pairs}], recursive := true)
    FROM base
)
SELECT {', '.join(_KEYS)}, row_id, '总计' AS column_name, value, {corrected} AS corrected, n_reports
FROM long WHERE {present}
ORDER BY bureau_name, bureau_id, year, row_id
"""
    return _run(sql, scope.params())


def _t3_base(scope: Scope) -> tuple[str, str]:
    cols: dict[str, str] = {f"t3_{r.lower()}": "sum" for r in T3_ROWS}
    cols.update({"t3_rows": "keep", "t3_corrected_rows": "keep"})
    return _base(scope, cols, "s.has_t3")


def outcomes(scope: Scope) -> pd.DataFrame:
    """Table 3 total column summed into outcome groups per bureau (or region) and year (long form).

    ``value`` is the sum of the group's filled-in cells; it is NaN when every cell of the group
    is blank, "/" or missing, so a group that was not filled in is not shown as 0; a group none of
    whose rows the table has is left out. Computed from ``table3_cells`` (one query for the page).
    """
    cells = table3_cells(scope)
    group_of = {row: g for g, rows in OUTCOME_GROUPS.items() for row in rows}
    cells = cells[cells["row_id"].isin(group_of)].assign(outcome=lambda d: d["row_id"].map(group_of))
    if cells.empty:
        return pd.DataFrame(columns=[*_KEYS, "outcome", "value"])
    out = cells.groupby([*_KEYS, "outcome"], sort=False, dropna=False)["value"].sum(min_count=1).reset_index()
    # Grouped in order of appearance, the bureau-years keep the order of ``table3_cells``: only the groups
    # within each need ordering (sorting the whole frame by name cost more than the query).
    series = np.cumsum(_series_starts(out))
    rank = out["outcome"].map({g: i for i, g in enumerate(OUTCOME_GROUPS)}).to_numpy()
    return out.take(np.lexsort((rank, series))).reset_index(drop=True)


def carry(scope: Scope) -> pd.DataFrame:
    """Table 3 total column: new (R01), carried over (R02), handled (R24), carried forward (R25), and which
    of them a correction set (``corrected``, a list of those names). Computed from ``table3_cells``."""
    cells = table3_cells(scope)
    names = {"R01": "new", "R02": "carried_over", "R24": "total", "R25": "carried_forward"}
    cells = cells[cells["row_id"].isin(names)]
    if cells.empty:
        return pd.DataFrame(columns=[*_KEYS, *names.values(), "corrected"])
    wide = cells.groupby([*_KEYS, "row_id"], dropna=False)["value"].first().unstack("row_id")
    wide = wide.reindex(columns=list(names)).rename(columns=names).reset_index()
    wide.columns.name = None
    # A dict: looking (bureau, year) up in a Series' MultiIndex row by row took longer than the query.
    fixed = cells[cells["corrected"].astype(bool)].groupby(["bureau_id", "year"])["row_id"].agg(
        lambda rows: sorted(names[r] for r in rows)).to_dict()
    wide["corrected"] = [fixed.get((b, y), []) for b, y in zip(wide["bureau_id"], wide["year"], strict=True)]
    return wide.sort_values(["bureau_name", "bureau_id", "year"]).reset_index(drop=True)


def applicants(scope: Scope) -> pd.DataFrame:
    """New applications (table 3, row R01) by applicant type per bureau (or region) and year (long form).

    Blank and "/" cells keep no value (NaN), so they are not counted as 0.
    """
    cols: dict[str, str] = {}
    for i in range(1, len(APPLICANTS) + 1):
        cols.update({f"app{i}": "sum", f"app{i}_kind": f"kind:app{i}", f"app{i}_raw": "keep"})
    base, _ = _base(scope, cols, "s.has_t3")
    pairs = ", ".join(f"{{'applicant': '{a}', 'position': {i}, 'value': app{i}, 'value_kind': app{i}_kind, "
                      f"'raw': app{i}_raw}}" for i, a in enumerate(APPLICANTS, 1))
    sql = f"""
WITH {base},
long AS (SELECT {', '.join(_KEYS)}, unnest([{pairs}], recursive := true) FROM base)
SELECT {', '.join(_KEYS)}, applicant, value, value_kind, raw
FROM long WHERE value_kind IS NOT NULL
ORDER BY bureau_name, bureau_id, year, position
"""
    return _run(sql, scope.params())


def _appeals_sql(base: str) -> str:
    # One struct per table-4 row the report has, and one empty row for a report with only headline counts.
    structs = []
    for order, (key, name) in enumerate(T4_ROW_KEYS.items(), 1):
        values = ", ".join(f"'{col}': t4_{key}_{col}" for col in T4_COLUMN_KEYS)
        structs.append(f"CASE WHEN t4_{key}_present THEN {{'t4_row': '{name}', 'o': {order}, {values}, "
                       f"'corrected_columns': t4_{key}_corrected_columns}} END")
    none = " AND ".join(f"NOT coalesce(t4_{key}_present, FALSE)" for key in T4_ROW_KEYS)
    nulls = ", ".join(f"'{col}': NULL::DOUBLE" for col in T4_COLUMN_KEYS)
    structs.append(f"CASE WHEN {none} AND (reconsideration_kind IS NOT NULL OR litigation_kind IS NOT NULL) "
                   f"THEN {{'t4_row': NULL::VARCHAR, 'o': 4, {nulls}, 'corrected_columns': NULL::VARCHAR[]}} END")
    concluded = "coalesce(upheld, 0) + coalesce(corrected, 0) + coalesce(other, 0)"
    return f"""
WITH {base},
rows AS (
    SELECT {', '.join(_KEYS)}, reconsideration, litigation,
           unnest(list_filter([{', '.join(structs)}], lambda x: x IS NOT NULL), recursive := true)
    FROM base
)
SELECT {', '.join(_KEYS)}, reconsideration, litigation, t4_row, upheld, corrected, other, pending, total,
       corrected_columns,
       CASE WHEN {concluded} > 0 THEN coalesce(corrected, 0) / ({concluded}) END AS correction_rate
FROM rows
ORDER BY bureau_name, bureau_id, year, o
"""


def appeals(scope: Scope) -> pd.DataFrame:
    """Reconsideration and litigation per bureau (or region), year and table-4 row, with the correction rate.

    ``correction_rate`` = corrected / (upheld + corrected + other), the share of concluded cases
    that were corrected; it is NaN (shown as "—") when no case was concluded.
    """
    cols: dict[str, str] = {"reconsideration": "sum", "reconsideration_kind": "kind:reconsideration",
                            "litigation": "sum", "litigation_kind": "kind:litigation"}
    for key in T4_ROW_KEYS:
        cols[f"t4_{key}_present"] = "or"
        cols.update({f"t4_{key}_{col}": "sum" for col in T4_COLUMN_KEYS})
        cols[f"t4_{key}_corrected_columns"] = "keep"
    base, _ = _base(scope, cols, "s.has_appeals")
    return _run(_appeals_sql(base), scope.params())


_APPEAL_METRICS = pd.Index(["litigation", "reconsideration"])
"""The headline appeal counts, in the (name) order ``appeal_totals`` lists them."""


def appeal_totals(scope: Scope) -> pd.DataFrame:
    """Headline reconsideration and litigation counts per bureau and year (long form, one row per metric),
    from ``appeals`` (one query for the page)."""
    df = appeals(scope)
    if df.empty:
        return pd.DataFrame(columns=[*_KEYS, "metric", "value"])
    # ``appeals`` is ordered by bureau name, id and year, so the first row of each bureau-year comes in the
    # order of the result, and each gives its metrics in name order: built directly, without the melt and
    # sort that cost more than the query on the page's few hundred rows.
    heads = df[_series_starts(df)]
    values = heads[list(_APPEAL_METRICS)].to_numpy(dtype=float).ravel()  # per bureau-year, each metric
    long = heads[_KEYS].iloc[np.repeat(np.arange(len(heads)), len(_APPEAL_METRICS))].reset_index(drop=True)
    long["metric"] = _APPEAL_METRICS.take(np.tile(np.arange(len(_APPEAL_METRICS)), len(heads)))
    long["value"] = values
    return long[~np.isnan(values)].reset_index(drop=True)


# --- problems -------------------------------------------------------------------------------

SENTENCE_LIMIT = 2000
"""Problem sentences shown at most; the page says when there are more."""

# One scan gives the problems page both its heatmap and its theme list: per year, the reports admitting
# each theme as a problem, whether a sample report does, and whether any sentence (problem or measure) has it.
_THEME_YEARS = f"""
SELECT s.year, {", ".join(f"count(*) FILTER (WHERE s.pt_{th}) AS {th}, bool_or(s.is_sample AND s.pt_{th}) AS "
                          f"{th}_sample, bool_or(s.st_{th}) AS {th}_any" for th in THEMES)}
FROM report_summary s WHERE {_WHERE} GROUP BY s.year ORDER BY s.year
"""
# The same from ``theme_summary`` (etl.summary), where the reports of each city, level, year and version
# state are counted already: the country's heatmap adds up thousands of rows instead of every report. It
# has no county, kind or bureau, so a scope filtering on those reads report_summary.
_THEME_YEARS_ROLLUP = f"""
SELECT s.year, {", ".join(f"sum(s.pt_{th})::BIGINT AS {th}, bool_or(s.pt_{th}_sample) AS {th}_sample, "
                          f"bool_or(s.st_{th}) AS {th}_any" for th in THEMES)}
FROM theme_summary s WHERE ($all_versions::BOOLEAN OR s.is_active) AND {_ROLLUP_WHERE}
GROUP BY s.year ORDER BY s.year
"""


def _theme_years(scope: Scope) -> pd.DataFrame:
    rollup = _rollup_covers(scope) and bool(db.columns("theme_summary"))
    return _run(_THEME_YEARS_ROLLUP if rollup else _THEME_YEARS, scope.params())


_PROBLEM_SENTENCES = f"""
WITH reports AS (  -- the first reports in order whose sentences can match; the sentences come from them
    SELECT s.report_id, s.bureau_id, s.bureau_name, s.year, s.is_sample
    FROM report_summary s
    WHERE {_WHERE} AND len(s.sentence_themes) > 0
      AND ($theme::VARCHAR IS NULL OR list_contains(s.sentence_themes, $theme::VARCHAR))
      AND ($bureau::VARCHAR IS NULL OR s.bureau_id = $bureau::VARCHAR)
    ORDER BY s.name_rank
    LIMIT $limit
)
SELECT r.bureau_id, r.bureau_name, r.year, r.report_id, r.is_sample, p.kind, p.theme, p.sentence
FROM reports r JOIN problems p ON p.report_id = r.report_id
WHERE ($theme::VARCHAR IS NULL OR p.theme = $theme::VARCHAR)
  AND ($pkind::VARCHAR IS NULL OR p.kind = $pkind::VARCHAR)
ORDER BY r.bureau_name, r.year, p.kind DESC, p.start_offset NULLS LAST, p.sentence
LIMIT $limit
"""

_REPORT_YEARS = f"""
SELECT s.bureau_id, s.bureau_name, s.year, s.is_sample FROM report_summary s WHERE s.chosen AND {_WHERE}
ORDER BY s.bureau_name, s.bureau_id, s.year
"""


def problem_heatmap(scope: Scope) -> pd.DataFrame:
    """Number of reports admitting each problem theme, per theme and year (themes in name order)."""
    years = _theme_years(scope)
    parts = [pd.DataFrame({"theme": th, "year": years["year"], "n_reports": years[th],
                           "is_sample": years[f"{th}_sample"]}) for th in sorted(THEMES)]
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return long[long["n_reports"] > 0].reset_index(drop=True)


def problem_themes(scope: Scope) -> list[str]:
    """Themes of the problem and measure sentences in scope, in the vocabulary's order."""
    years = _theme_years(scope)
    return [th for th in THEMES if years[f"{th}_any"].fillna(False).astype(bool).any()]


def problem_sentences(scope: Scope, theme: str | None = None, bureau_id: str | None = None,
                      kind: str | None = None, limit: int | None = SENTENCE_LIMIT) -> pd.DataFrame:
    """Problem and measure sentences in scope, optionally for one theme, bureau or kind; at most ``limit``
    (``None``: all)."""
    params = {**scope.params(), "theme": theme, "bureau": bureau_id, "pkind": kind,
              "limit": limit if limit is not None else 2**62}
    return _run(_PROBLEM_SENTENCES, params)


def report_years(scope: Scope) -> pd.DataFrame:
    """Which bureau has a report for which year, in scope; per bureau only, like the recurring problems it
    serves (empty when ``unit_level`` is a region)."""
    if unit_level(scope) != "bureau":
        return pd.DataFrame(columns=["bureau_id", "bureau_name", "year", "is_sample"])
    return _run(_REPORT_YEARS, scope.params())


# --- measures for comparing bureaus -----------------------------------------------------------

def _measures_sql() -> str:
    return f"""
WITH long AS (
    SELECT s.bureau_id, s.bureau_name, s.year, s.report_id, s.is_sample, s.kind, s.level,
           unnest({measure_items_sql()}, recursive := true)
    FROM report_summary s WHERE s.chosen AND {_WHERE}
)
SELECT * FROM long ORDER BY bureau_name, bureau_id, year, measure
"""


_MEASURES = _measures_sql()


_PEER_MEASURES = """
WITH long AS (
    SELECT m.bureau_id, m.bureau_name, m.year, m.report_id, m.is_sample, m.kind, m.level,
           unnest(m.measures, recursive := true)
    FROM measure_summary m
    WHERE m.year = $year AND m.kind IS NOT DISTINCT FROM $kind::VARCHAR
      AND m.level IS NOT DISTINCT FROM $level::VARCHAR
)
SELECT * FROM long ORDER BY bureau_name, bureau_id, year, measure
"""


def peer_measures(year: int, kind: str | None, level: str | None) -> pd.DataFrame:
    """``measures`` of every bureau of one kind and level in one year: the peers of a percentile (read from
    ``measure_summary``, stored in year, kind and level order)."""
    df = _run(_PEER_MEASURES, {"year": year, "kind": kind, "level": level})
    order = {m: i for i, m in enumerate(MEASURES)}
    df["_o"] = df["measure"].map(order)
    return df.sort_values(["bureau_name", "bureau_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


def measures(scope: Scope) -> pd.DataFrame:
    """Every measure the compare page shows, per bureau and year (long form; always per bureau).

    Measures: the headline numbers; ``new_media_share`` (WeChat, Weibo and Douyin items of all
    channel items); ``granted_rate`` ((granted + partly granted) / handled, table 3);
    ``correction_rate`` (corrected / concluded cases, table 4); ``problems`` (problem themes
    admitted); ``issues`` (validation issues). ``value_kind`` tells a number from a zero, a
    blank or "/" cell, a figure the report does not state (``not_stated``) and a rate over no
    cases (``undefined``, value NaN, shown as "—").
    """
    df = _run(_MEASURES, scope.params())
    order = {m: i for i, m in enumerate(MEASURES)}
    df["_o"] = df["measure"].map(order)
    return df.sort_values(["bureau_name", "bureau_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


# --- sources --------------------------------------------------------------------------------

REPORT_LIMIT = 5000
"""Reports listed at most on the sources page; the page says when there are more."""

_REPORTS = f"""
SELECT s.report_id, s.bureau_id, s.bureau_name, s.year, s.is_sample, s.title, s.version, s.is_active, s.n_issues
FROM report_summary s WHERE {_WHERE}
ORDER BY s.name_rank
LIMIT $limit
"""

_REPORT = """
SELECT r.report_id, coalesce(b.name, r.bureau_name_raw) AS bureau_name, r.bureau_name_raw, r.year,
       r.year_inferred, r.title, r.path, r.collection, r.file_kind, r.language, r.era,
       r.template_version, r.is_aggregate, r.flags, r.content_hash, r.loaded_at, @VERSION(r)@,
       b.province, b.city, b.county, b.kind, b.level,
       (r.is_sample OR coalesce(b.is_sample, FALSE)) AS is_sample
FROM reports r LEFT JOIN bureaus b ON b.bureau_id = r.bureau_id
WHERE r.report_id = $report_id
"""

_REPORT_BODY = "SELECT body FROM reports WHERE report_id = $report_id"

_REPORT_HEADLINES = """
SELECT metric, dimension, value, raw, unit, qualifier, value_kind, evidence, page, flags, @CORR(f)@, fact_id
FROM facts f
WHERE report_id = $report_id @RANGE@ AND headline
ORDER BY fact_id
"""

_REPORT_CELLS = """
SELECT tbl, row_id, column_name, value, raw, value_kind, unit, evidence, page, @CORR(f)@
FROM facts f
WHERE report_id = $report_id @RANGE@ AND tbl IS NOT NULL
ORDER BY tbl, fact_id
"""

_REPORT_SPANS = """
SELECT fact_id, metric, dimension, tbl, row_id, column_name, value, raw, value_kind, headline,
       start_offset, end_offset, @CORR(f)@
FROM facts f
WHERE report_id = $report_id @RANGE@ AND start_offset IS NOT NULL AND end_offset IS NOT NULL
ORDER BY start_offset, fact_id
"""

_REPORT_SENTENCES = """
SELECT kind, theme, sentence, start_offset, end_offset
FROM problems
WHERE report_id = $report_id AND start_offset IS NOT NULL AND end_offset IS NOT NULL
ORDER BY start_offset
"""

_REPORT_ISSUES = """
SELECT rule, severity, message, refs
FROM validation_issues
WHERE report_id = $report_id
ORDER BY CASE severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, rule
"""


def reports_in_scope(scope: Scope, limit: int = REPORT_LIMIT) -> pd.DataFrame:
    """The reports in scope (at most ``limit``), older versions included, with their version and issue count."""
    return _run(_REPORTS, {**scope.params(all_versions=True), "limit": limit})


_FACT_RANGE = "SELECT first_fact, last_fact FROM report_summary WHERE report_id = $report_id"


def report_facts_query(sql: str, report_id: str) -> pd.DataFrame:
    """A single-report facts statement, narrowed to the report's fact ids when the summary knows them:
    facts are stored in load order, so the range lets DuckDB skip all other row groups."""
    found = _run(_FACT_RANGE, {"report_id": report_id}) if has_summary() else pd.DataFrame()
    if len(found) and pd.notna(found.iloc[0]["first_fact"]):
        row = found.iloc[0]
        return _run(sql.replace("@RANGE@", "AND fact_id BETWEEN $lo AND $hi"),
                    {"report_id": report_id, "lo": int(row["first_fact"]), "hi": int(row["last_fact"])})
    return _run(sql.replace("@RANGE@", ""), {"report_id": report_id})


def report(report_id: str) -> dict[str, Any] | None:
    """The report's metadata row as a dict, or None for an unknown id."""
    df = _run(_REPORT, {"report_id": report_id})
    return None if df.empty else df.iloc[0].to_dict()


def report_body(report_id: str) -> str:
    """The report's normalized text, which the facts' offsets point into ("" when none)."""
    df = _run(_REPORT_BODY, {"report_id": report_id})
    body = df.iloc[0]["body"] if len(df) else None
    return body if isinstance(body, str) else ""


def report_headlines(report_id: str) -> pd.DataFrame:
    """The report's headline facts, plus a ``not_stated`` row for each headline metric it lacks."""
    df = report_facts_query(_REPORT_HEADLINES, report_id)
    missing = [m for m in HEADLINE_METRICS if m not in set(df["metric"])]
    if missing:
        extra = pd.DataFrame({"metric": missing, "value_kind": ["not_stated"] * len(missing),
                              "corrected": [False] * len(missing)})
        extra = extra.reindex(columns=df.columns)
        df = extra if df.empty else pd.concat([df, extra], ignore_index=True)
    return df.drop(columns=["fact_id"]).reset_index(drop=True)


def report_cells(report_id: str) -> pd.DataFrame:
    """The report's template-table cells (tables 2, 3 and 4) as written."""
    return report_facts_query(_REPORT_CELLS, report_id)


def report_spans(report_id: str) -> pd.DataFrame:
    """The report's facts that point into its text (``start_offset``/``end_offset`` of the evidence)."""
    return report_facts_query(_REPORT_SPANS, report_id)


def report_sentences(report_id: str) -> pd.DataFrame:
    """The report's problem and measure sentences with their offsets in its text."""
    return _run(_REPORT_SENTENCES, {"report_id": report_id})


def report_issues(report_id: str) -> pd.DataFrame:
    """The report's validation issues, errors first."""
    return _run(_REPORT_ISSUES, {"report_id": report_id})
