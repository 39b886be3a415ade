"""Every SQL statement the dashboard runs, each a constant with named ``$parameters``.

Takes a ``Scope`` (the sidebar's year range, region, bureau kind and level, and bureaus) or a
report id; gives pandas DataFrames with plain column names (``bureau_id``, ``bureau_name``,
``year``, ``value`` …) and, where figures are shown, an ``is_sample`` column. Values are never
pasted into SQL: each function passes them as parameters to ``app.db.query``.

Where a bureau has more than one report for a year, the charts use one of them: the template
report with the most headline facts (``chosen`` below); the overview's coverage grid still
counts every report. Only the active (newest) version of a report counts when the database
has report versions (``reports.is_active``, schema v2); older versions stay viewable on the
sources page. Values set by a supervisor's correction come with ``corrected`` and
``original_value`` when the database has them (``facts.corrected``), else ``corrected`` is
false. The statements carry markers (``@ACTIVE(r)@``, ``@CORR(f)@`` …) that ``_sql`` turns
into the right SQL for the database's schema version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from app import db
from app.db import query
from etl.model import CHANNELS, HEADLINE_METRICS, THEMES

OUTCOME_GROUPS: dict[str, tuple[str, ...]] = {
    "granted": ("R03",),
    "partly": ("R04",),
    "refused": tuple(f"R{i:02d}" for i in range(5, 13)),
    "unable": ("R13", "R14", "R15"),
    "not_handled": tuple(f"R{i:02d}" for i in range(16, 21)),
    "other": ("R21", "R22", "R23"),
}
T3_ROWS = tuple(f"R{i:02d}" for i in range(1, 26))
T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
APPLICANTS = T3_COLUMNS[:-1]
T4_ROWS = ("复议", "直接起诉", "复议后起诉")
T4_COLUMNS = ("维持", "纠正", "其他", "尚未审结", "总计")
NEW_MEDIA = ("wechat", "weibo", "douyin")
CHANGE_METRICS = ("proactive_total", "applications_received", "reconsideration", "litigation")
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
    return query(_sql(sql), params)


# Reports in scope, one row each, with the bureau's name and region. Reports without a bureau
# match keep a key of their own so they still show up as a row.
_SCOPED = """
scoped AS (
    SELECT r.report_id,
           r.year,
           coalesce(r.bureau_id, 'report:' || r.report_id) AS bureau_id,
           coalesce(b.name, r.bureau_name_raw, r.report_id) AS bureau_name,
           b.province, b.city, b.county, b.kind, b.level,
           r.era, r.template_version, r.is_aggregate,
           (r.is_sample OR coalesce(b.is_sample, FALSE)) AS is_sample
    FROM reports r
    LEFT JOIN bureaus b ON b.bureau_id = r.bureau_id
    WHERE r.year IS NOT NULL @ACTIVE(r)@
      AND ($year_from::INTEGER IS NULL OR r.year >= $year_from::INTEGER)
      AND ($year_to::INTEGER IS NULL OR r.year <= $year_to::INTEGER)
      AND ($province::VARCHAR IS NULL OR b.province = $province::VARCHAR)
      AND ($city::VARCHAR IS NULL OR b.city = $city::VARCHAR)
      AND ($county::VARCHAR IS NULL OR b.county = $county::VARCHAR)
      AND ($kind::VARCHAR IS NULL OR b.kind = $kind::VARCHAR)
      AND ($level::VARCHAR IS NULL OR b.level = $level::VARCHAR)
      AND (len($bureaus::VARCHAR[]) = 0 OR list_contains($bureaus::VARCHAR[], r.bureau_id))
),
chosen AS (
    SELECT s.*
    FROM scoped s
    LEFT JOIN (SELECT report_id, count(*) AS n FROM facts WHERE headline GROUP BY report_id) h
           ON h.report_id = s.report_id
    QUALIFY row_number() OVER (
        PARTITION BY s.bureau_id, s.year
        ORDER BY (s.era = 'template') DESC NULLS LAST, coalesce(h.n, 0) DESC, s.report_id) = 1
)"""


def _with(body: str) -> str:
    return "WITH " + _SCOPED + ",\n" + body


# --- sidebar options ------------------------------------------------------------------------

_BUREAU_OPTIONS = """
SELECT b.bureau_id, b.name AS bureau_name, b.province, b.city, b.county, b.level, b.kind,
       b.is_sample OR bool_or(r.is_sample) AS is_sample,
       min(r.year) AS first_year, max(r.year) AS last_year, count(*) AS n_reports
FROM bureaus b JOIN reports r ON r.bureau_id = b.bureau_id
WHERE TRUE @ONLY_ACTIVE(r)@
GROUP BY b.bureau_id, b.name, b.province, b.city, b.county, b.level, b.kind, b.is_sample
ORDER BY b.province NULLS LAST, b.city NULLS LAST, b.county NULLS FIRST, b.name, b.bureau_id
"""

_YEARS = """
SELECT min(year) AS year_min, max(year) AS year_max FROM reports r WHERE year IS NOT NULL @ONLY_ACTIVE(r)@
"""


def bureau_options() -> pd.DataFrame:
    """Every bureau with at least one report: id, name, region, kind, level, sample flag, years covered."""
    return _run(_BUREAU_OPTIONS)


def year_bounds() -> tuple[int, int] | None:
    """The first and last report year, or None when no report has a year."""
    row = _run(_YEARS).iloc[0]
    if pd.isna(row["year_min"]):
        return None
    return int(row["year_min"]), int(row["year_max"])


# --- overview -------------------------------------------------------------------------------

_COUNTS = _with("""
issues AS (SELECT report_id, count(*) AS n FROM validation_issues GROUP BY report_id)
SELECT count(*) AS reports,
       count(DISTINCT s.bureau_id) AS bureaus,
       count(DISTINCT s.year) AS years,
       count(DISTINCT s.province) AS provinces,
       count(DISTINCT s.province || '|' || s.city) AS cities,
       count(DISTINCT s.province || '|' || s.city || '|' || s.county) AS counties,
       count(*) FILTER (WHERE s.is_sample) AS sample_reports,
       coalesce(sum(i.n), 0)::INTEGER AS issues
FROM scoped s LEFT JOIN issues i ON i.report_id = s.report_id
""")

_COVERAGE = _with("""
issues AS (
    SELECT report_id, count(*) AS n,
           count(*) FILTER (WHERE severity = 'error') AS n_errors,
           count(*) FILTER (WHERE severity = 'warning') AS n_warnings
    FROM validation_issues GROUP BY report_id
),
stated AS (
    SELECT f.report_id, count(DISTINCT f.metric) AS n
    FROM facts f JOIN scoped s ON s.report_id = f.report_id
    WHERE f.headline AND list_contains($metrics::VARCHAR[], f.metric)
    GROUP BY f.report_id
),
tables AS (
    SELECT f.report_id, count(DISTINCT f.tbl) AS n
    FROM facts f JOIN scoped s ON s.report_id = f.report_id
    WHERE f.tbl IN (2, 3, 4)
    GROUP BY f.report_id
),
per AS (
    SELECT s.*, coalesce(i.n, 0) AS n_issues, coalesce(i.n_errors, 0) AS n_errors,
           coalesce(i.n_warnings, 0) AS n_warnings,
           (coalesce(st.n, 0) + CASE WHEN s.era = 'template' THEN coalesce(tb.n, 0) ELSE 0 END)
             / (len($metrics::VARCHAR[]) + CASE WHEN s.era = 'template' THEN 3 ELSE 0 END) AS completeness
    FROM scoped s
    LEFT JOIN issues i ON i.report_id = s.report_id
    LEFT JOIN stated st ON st.report_id = s.report_id
    LEFT JOIN tables tb ON tb.report_id = s.report_id
)
SELECT bureau_id, bureau_name, province, city, county, year,
       count(*) AS n_reports,
       string_agg(DISTINCT coalesce(template_version, era), ' / ') AS template,
       bool_or(era = 'template') AS is_template,
       sum(n_issues)::INTEGER AS n_issues,
       sum(n_errors)::INTEGER AS n_errors,
       sum(n_warnings)::INTEGER AS n_warnings,
       max(completeness) AS completeness,
       bool_or(is_sample) AS is_sample
FROM per
GROUP BY bureau_id, bureau_name, province, city, county, year
ORDER BY bureau_name, bureau_id, year
""")


def overview_counts(scope: Scope) -> dict[str, int]:
    """Reports, bureaus, years, provinces, cities, counties, sample reports and validation issues in scope."""
    row = _run(_COUNTS, scope.params()).iloc[0]
    keys = ("reports", "bureaus", "years", "provinces", "cities", "counties", "sample_reports", "issues")
    return {k: int(row[k]) for k in keys}


def coverage(scope: Scope) -> pd.DataFrame:
    """One row per bureau and year with a report: count, template, issues, completeness.

    ``completeness`` is the share of expected items the report states: the headline numbers of
    ``HEADLINE_METRICS`` and, for template reports, tables 2, 3 and 4 (the best report of the year).
    ``n_errors`` and ``n_warnings`` count validation issues of those severities.
    """
    return _run(_COVERAGE, {**scope.params(), "metrics": list(HEADLINE_METRICS)})


_CHANGES = _with("""
vals AS (
    SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample, f.metric, f.value
    FROM chosen c JOIN facts f ON f.report_id = c.report_id
    WHERE f.headline AND list_contains($metrics::VARCHAR[], f.metric)
),
lagged AS (
    SELECT *,
           CASE WHEN lag(year) OVER w = year - 1 THEN lag(value) OVER w END AS previous,
           CASE WHEN lag(year) OVER w = year - 1 THEN lag(report_id) OVER w END AS previous_report
    FROM vals
    WINDOW w AS (PARTITION BY bureau_id, metric ORDER BY year)
)
SELECT *, value - previous AS change_abs,
       CASE WHEN previous <> 0 THEN (value - previous) / previous * 100 END AS change_pct
FROM lagged
WHERE previous IS NOT NULL AND value IS NOT NULL
""")


def changes(scope: Scope) -> pd.DataFrame:
    """Headline numbers that changed from the previous calendar year, largest first.

    Ordered by the size of the change in % (a change from 0 has no % and comes after), then by
    the absolute change; unchanged values are left out.
    """
    df = _run(_CHANGES, {**scope.params(), "metrics": list(CHANGE_METRICS)})
    df = df[df["change_abs"] != 0].copy()
    df["_pct"] = df["change_pct"].abs()
    df["_abs"] = df["change_abs"].abs()
    df = df.sort_values(["_pct", "_abs", "year"], ascending=[False, False, False], na_position="last")
    return df.drop(columns=["_pct", "_abs"]).reset_index(drop=True)


# --- headline values ------------------------------------------------------------------------

_HEADLINE = _with("""
vals AS (
    SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample, c.kind, c.level,
           v.value, v.raw, v.qualifier, coalesce(v.value_kind, 'not_stated') AS value_kind, v.evidence,
           coalesce(v.corrected, FALSE) AS corrected, v.original_value
    FROM chosen c
    LEFT JOIN (SELECT f.report_id, f.value, f.raw, f.qualifier, f.value_kind, f.evidence, @CORR(f)@
               FROM facts f WHERE f.headline AND f.metric = $metric) v ON v.report_id = c.report_id
    WHERE $gaps OR v.report_id IS NOT NULL
)
SELECT *,
       CASE WHEN lag(year) OVER w = year - 1 THEN lag(value) OVER w END AS previous,
       CASE WHEN lag(year) OVER w = year - 1 THEN value - lag(value) OVER w END AS change_abs,
       CASE WHEN lag(year) OVER w = year - 1 AND lag(value) OVER w <> 0
            THEN (value - lag(value) OVER w) / lag(value) OVER w * 100 END AS change_pct
FROM vals
WINDOW w AS (PARTITION BY bureau_id ORDER BY year)
ORDER BY bureau_name, bureau_id, year
""")


def headline(scope: Scope, metric: str, gaps: bool = False) -> pd.DataFrame:
    """One headline metric per bureau and year, with the change from the year before.

    ``previous``, ``change_abs`` and ``change_pct`` are only set when the bureau has a report for
    the previous calendar year; ``change_pct`` also needs the previous value to be non-zero.
    With ``gaps``, a bureau-year whose report does not state the metric has a row too, with
    ``value_kind`` ``not_stated`` and no value.
    """
    return _run(_HEADLINE, {**scope.params(), "metric": metric, "gaps": gaps})


def proactive(scope: Scope, gaps: bool = False) -> pd.DataFrame:
    """Items disclosed proactively (``proactive_total``) per bureau and year, with year-over-year change."""
    return headline(scope, "proactive_total", gaps)


def applications_received(scope: Scope, gaps: bool = False) -> pd.DataFrame:
    """Applications received per bureau and year (the headline value)."""
    return headline(scope, "applications_received", gaps)


_CATEGORIES = _with("""
totals AS (
    SELECT f.report_id, any_value(f.value) AS total
    FROM facts f JOIN chosen c ON c.report_id = f.report_id
    WHERE f.headline AND f.metric = 'proactive_total'
    GROUP BY f.report_id
)
SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample,
       f.dimension AS category, f.value, f.raw, f.evidence, f.fact_id, t.total, @CORR(f)@
FROM chosen c
JOIN facts f ON f.report_id = c.report_id
LEFT JOIN totals t ON t.report_id = c.report_id
WHERE f.metric = 'proactive_category' AND f.value IS NOT NULL AND f.dimension IS NOT NULL
ORDER BY c.bureau_name, c.bureau_id, c.year, f.fact_id
""")


def categories(scope: Scope) -> pd.DataFrame:
    """The categories a report splits its proactive disclosure into, as it names them, with the total."""
    df = _run(_CATEGORIES, scope.params())
    df["share"] = df["value"] / df["total"].where(df["total"] > 0)
    return df


_CHANNELS = _with("""
vals AS (
    SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample,
           f.dimension AS channel, sum(f.value) AS value, string_agg(f.raw, ' + ' ORDER BY f.fact_id) AS raw
    FROM chosen c JOIN facts f ON f.report_id = c.report_id
    WHERE f.headline AND f.metric = 'channel' AND f.value IS NOT NULL AND f.dimension IS NOT NULL
    GROUP BY c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample, f.dimension
)
SELECT *, value / sum(value) OVER (PARTITION BY report_id) AS share
FROM vals
QUALIFY sum(value) OVER (PARTITION BY report_id) > 0
ORDER BY bureau_name, bureau_id, year, channel
""")


def channel_shares(scope: Scope) -> pd.DataFrame:
    """Items per channel and their share of the report's channel total, per bureau and year.

    A report naming two channels of the same kind (two "other" channels) gets one row with their sum.
    """
    df = _run(_CHANNELS, scope.params())
    order = {c: i for i, c in enumerate(CHANNELS)}
    df["_o"] = df["channel"].map(order).fillna(len(order))
    return df.sort_values(["bureau_name", "bureau_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


# --- table 3 and table 4 --------------------------------------------------------------------

_T3 = _with("""
SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample,
       f.row_id, f.column_name, f.value, f.value_kind, f.raw, @CORR(f)@
FROM chosen c JOIN facts f ON f.report_id = c.report_id
WHERE f.tbl = 3 AND ($column::VARCHAR IS NULL OR f.column_name = $column::VARCHAR)
ORDER BY c.bureau_name, c.bureau_id, c.year, f.row_id, f.fact_id
""")

_KEYS = ["bureau_id", "bureau_name", "year", "report_id", "is_sample"]


def table3_cells(scope: Scope, column: str | None = "总计") -> pd.DataFrame:
    """Table-3 cells of the charted reports: one column (the total by default) or all (``None``)."""
    return _run(_T3, {**scope.params(), "column": column})


def outcomes(scope: Scope) -> pd.DataFrame:
    """Table 3 total column summed into outcome groups per bureau and year (long form).

    ``value`` is the sum of the group's filled-in cells; it is NaN when every cell of the group
    is blank, "/" or missing, so a group that was not filled in is not shown as 0.
    """
    cells = table3_cells(scope)
    group_of = {row: g for g, rows in OUTCOME_GROUPS.items() for row in rows}
    cells = cells[cells["row_id"].isin(group_of)].assign(outcome=lambda d: d["row_id"].map(group_of))
    if cells.empty:
        return pd.DataFrame(columns=[*_KEYS, "outcome", "value"])
    out = cells.groupby([*_KEYS, "outcome"], sort=False)["value"].sum(min_count=1).reset_index()
    order = {g: i for i, g in enumerate(OUTCOME_GROUPS)}
    out["_o"] = out["outcome"].map(order)
    return out.sort_values(["bureau_name", "bureau_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


def carry(scope: Scope) -> pd.DataFrame:
    """Table 3 total column: new (R01), carried over (R02), handled (R24), carried forward (R25)."""
    cells = table3_cells(scope)
    names = {"R01": "new", "R02": "carried_over", "R24": "total", "R25": "carried_forward"}
    cells = cells[cells["row_id"].isin(names)]
    if cells.empty:
        return pd.DataFrame(columns=[*_KEYS, *names.values(), "corrected"])
    wide = cells.groupby([*_KEYS, "row_id"], dropna=False)["value"].first().unstack("row_id")
    wide = wide.reindex(columns=list(names)).rename(columns=names).reset_index()
    wide.columns.name = None
    fixed = cells[cells["corrected"].astype(bool)].groupby("report_id")["row_id"].agg(
        lambda rows: sorted(names[r] for r in rows))
    wide["corrected"] = [fixed.get(r, []) for r in wide["report_id"]]
    return wide.sort_values(["bureau_name", "bureau_id", "year"]).reset_index(drop=True)


def applicants(scope: Scope) -> pd.DataFrame:
    """New applications (table 3, row R01) by applicant type per bureau and year (long form).

    Blank and "/" cells keep no value (NaN), so they are not counted as 0.
    """
    cells = table3_cells(scope, None)
    cells = cells[(cells["row_id"] == "R01") & cells["column_name"].isin(APPLICANTS)]
    out = cells[[*_KEYS, "column_name", "value", "value_kind", "raw"]].rename(columns={"column_name": "applicant"})
    order = {c: i for i, c in enumerate(APPLICANTS)}
    out = out.assign(_o=out["applicant"].map(order))
    return out.sort_values(["bureau_name", "bureau_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


_APPEALS = _with("""
hl AS (
    SELECT f.report_id,
           any_value(f.value) FILTER (WHERE f.metric = 'reconsideration') AS reconsideration,
           any_value(f.value) FILTER (WHERE f.metric = 'litigation') AS litigation
    FROM facts f JOIN chosen c ON c.report_id = f.report_id
    WHERE f.headline AND f.metric IN ('reconsideration', 'litigation')
    GROUP BY f.report_id
),
t4 AS (
    SELECT f.report_id, f.row_id,
           any_value(f.value) FILTER (WHERE f.column_name = '维持') AS upheld,
           any_value(f.value) FILTER (WHERE f.column_name = '纠正') AS corrected,
           any_value(f.value) FILTER (WHERE f.column_name = '其他') AS other,
           any_value(f.value) FILTER (WHERE f.column_name = '尚未审结') AS pending,
           any_value(f.value) FILTER (WHERE f.column_name = '总计') AS total,
           list(f.column_name ORDER BY f.fact_id) FILTER (WHERE @CFLAG(f)@) AS corrected_columns
    FROM facts f JOIN chosen c ON c.report_id = f.report_id
    WHERE f.tbl = 4
    GROUP BY f.report_id, f.row_id
)
SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample,
       hl.reconsideration, hl.litigation,
       t4.row_id AS t4_row, t4.upheld, t4.corrected, t4.other, t4.pending, t4.total, t4.corrected_columns,
       CASE WHEN coalesce(t4.upheld, 0) + coalesce(t4.corrected, 0) + coalesce(t4.other, 0) > 0
            THEN coalesce(t4.corrected, 0)
                 / (coalesce(t4.upheld, 0) + coalesce(t4.corrected, 0) + coalesce(t4.other, 0))
       END AS correction_rate
FROM chosen c
LEFT JOIN hl ON hl.report_id = c.report_id
LEFT JOIN t4 ON t4.report_id = c.report_id
WHERE hl.report_id IS NOT NULL OR t4.report_id IS NOT NULL
ORDER BY c.bureau_name, c.bureau_id, c.year,
         CASE t4.row_id WHEN '复议' THEN 1 WHEN '直接起诉' THEN 2 WHEN '复议后起诉' THEN 3 ELSE 4 END
""")


def appeals(scope: Scope) -> pd.DataFrame:
    """Reconsideration and litigation per bureau, year and table-4 row, with the correction rate.

    ``correction_rate`` = corrected / (upheld + corrected + other), the share of concluded cases
    that were corrected; it is NaN (shown as "—") when no case was concluded.
    """
    return _run(_APPEALS, scope.params())


def appeal_totals(scope: Scope) -> pd.DataFrame:
    """Headline reconsideration and litigation counts per bureau and year (long form, one row per metric)."""
    df = appeals(scope)
    if df.empty:
        return pd.DataFrame(columns=[*_KEYS, "metric", "value"])
    heads = df.drop_duplicates("report_id")[[*_KEYS, "reconsideration", "litigation"]]
    long = heads.melt(id_vars=_KEYS, var_name="metric", value_name="value").dropna(subset=["value"])
    return long.sort_values(["bureau_name", "bureau_id", "year", "metric"]).reset_index(drop=True)


# --- problems -------------------------------------------------------------------------------

_PROBLEM_HEATMAP = _with("""
SELECT p.theme, s.year, count(DISTINCT s.report_id) AS n_reports, bool_or(s.is_sample) AS is_sample
FROM scoped s JOIN problems p ON p.report_id = s.report_id
WHERE p.kind = 'problem'
GROUP BY p.theme, s.year
ORDER BY p.theme, s.year
""")

_PROBLEM_SENTENCES = _with("""
SELECT s.bureau_id, s.bureau_name, s.year, s.report_id, s.is_sample, p.kind, p.theme, p.sentence
FROM scoped s JOIN problems p ON p.report_id = s.report_id
WHERE ($theme::VARCHAR IS NULL OR p.theme = $theme::VARCHAR)
  AND ($bureau::VARCHAR IS NULL OR s.bureau_id = $bureau::VARCHAR)
  AND ($pkind::VARCHAR IS NULL OR p.kind = $pkind::VARCHAR)
ORDER BY s.bureau_name, s.year, p.kind DESC, p.start_offset NULLS LAST, p.sentence
""")

_PROBLEM_THEMES = _with("""
SELECT DISTINCT p.theme FROM scoped s JOIN problems p ON p.report_id = s.report_id
""")

_REPORT_YEARS = _with("""
SELECT DISTINCT bureau_id, bureau_name, year, is_sample FROM scoped ORDER BY bureau_name, bureau_id, year
""")


def problem_heatmap(scope: Scope) -> pd.DataFrame:
    """Number of reports admitting each problem theme, per theme and year."""
    return _run(_PROBLEM_HEATMAP, scope.params())


def problem_themes(scope: Scope) -> list[str]:
    """Themes present in scope, in the vocabulary's order."""
    found = set(_run(_PROBLEM_THEMES, scope.params())["theme"])
    return [th for th in THEMES if th in found] + sorted(found - set(THEMES))


def problem_sentences(scope: Scope, theme: str | None = None, bureau_id: str | None = None,
                      kind: str | None = None) -> pd.DataFrame:
    """Problem and measure sentences in scope, optionally for one theme, bureau or kind."""
    return _run(_PROBLEM_SENTENCES, {**scope.params(), "theme": theme, "bureau": bureau_id, "pkind": kind})


def report_years(scope: Scope) -> pd.DataFrame:
    """Which bureau has a report for which year, in scope."""
    return _run(_REPORT_YEARS, scope.params())


# --- measures for comparing bureaus -----------------------------------------------------------

_MEASURES = _with("""
hl AS (
    SELECT c.report_id, m.metric AS measure, f.value, coalesce(f.value_kind, 'not_stated') AS value_kind,
           coalesce(f.corrected, FALSE) AS corrected
    FROM chosen c
    CROSS JOIN (SELECT unnest($metrics::VARCHAR[]) AS metric) m
    LEFT JOIN (SELECT f.report_id, f.metric, f.value, f.value_kind, @CORR(f)@
               FROM facts f WHERE f.headline) f
           ON f.report_id = c.report_id AND f.metric = m.metric
),
ch AS (
    SELECT f.report_id,
           sum(f.value) FILTER (WHERE list_contains($new_media::VARCHAR[], f.dimension)) AS new_media,
           sum(f.value) AS items
    FROM facts f JOIN chosen c ON c.report_id = f.report_id
    WHERE f.headline AND f.metric = 'channel' AND f.value IS NOT NULL
    GROUP BY f.report_id
),
t3 AS (
    SELECT f.report_id,
           sum(f.value) FILTER (WHERE f.row_id IN ('R03', 'R04')) AS granted,
           any_value(f.value) FILTER (WHERE f.row_id = 'R24') AS handled
    FROM facts f JOIN chosen c ON c.report_id = f.report_id
    WHERE f.tbl = 3 AND f.column_name = '总计'
    GROUP BY f.report_id
),
t4 AS (
    SELECT f.report_id,
           sum(f.value) FILTER (WHERE f.column_name = '纠正') AS corrected,
           sum(f.value) FILTER (WHERE f.column_name IN ('维持', '纠正', '其他')) AS concluded
    FROM facts f JOIN chosen c ON c.report_id = f.report_id
    WHERE f.tbl = 4
    GROUP BY f.report_id
),
pr AS (
    SELECT p.report_id, count(DISTINCT p.theme) AS n
    FROM problems p JOIN chosen c ON c.report_id = p.report_id
    WHERE p.kind = 'problem'
    GROUP BY p.report_id
),
iss AS (SELECT report_id, count(*) AS n FROM validation_issues GROUP BY report_id),
long AS (
    SELECT report_id, measure, value, value_kind, corrected FROM hl
    UNION ALL
    SELECT c.report_id, 'new_media_share',
           coalesce(ch.new_media, 0) / nullif(ch.items, 0),
           CASE WHEN ch.report_id IS NULL THEN 'not_stated' WHEN coalesce(ch.items, 0) = 0 THEN 'undefined'
                ELSE 'rate' END, FALSE
    FROM chosen c LEFT JOIN ch ON ch.report_id = c.report_id
    UNION ALL
    SELECT c.report_id, 'granted_rate', t3.granted / nullif(t3.handled, 0),
           CASE WHEN t3.report_id IS NULL THEN 'not_stated' WHEN coalesce(t3.handled, 0) = 0 THEN 'undefined'
                ELSE 'rate' END, FALSE
    FROM chosen c LEFT JOIN t3 ON t3.report_id = c.report_id
    UNION ALL
    SELECT c.report_id, 'correction_rate', t4.corrected / nullif(t4.concluded, 0),
           CASE WHEN t4.report_id IS NULL THEN 'not_stated' WHEN coalesce(t4.concluded, 0) = 0 THEN 'undefined'
                ELSE 'rate' END, FALSE
    FROM chosen c LEFT JOIN t4 ON t4.report_id = c.report_id
    UNION ALL
    SELECT c.report_id, 'problems', coalesce(pr.n, 0), CASE WHEN coalesce(pr.n, 0) = 0 THEN 'zero' ELSE 'number' END,
           FALSE
    FROM chosen c LEFT JOIN pr ON pr.report_id = c.report_id
    UNION ALL
    SELECT c.report_id, 'issues', coalesce(iss.n, 0), CASE WHEN coalesce(iss.n, 0) = 0 THEN 'zero' ELSE 'number' END,
           FALSE
    FROM chosen c LEFT JOIN iss ON iss.report_id = c.report_id
)
SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample, c.kind, c.level,
       l.measure, l.value, l.value_kind, l.corrected
FROM chosen c JOIN long l ON l.report_id = c.report_id
ORDER BY c.bureau_name, c.bureau_id, c.year, l.measure
""")


def measures(scope: Scope) -> pd.DataFrame:
    """Every measure the compare page shows, per bureau and year (long form).

    Measures: the headline numbers; ``new_media_share`` (WeChat, Weibo and Douyin items of all
    channel items); ``granted_rate`` ((granted + partly granted) / handled, table 3);
    ``correction_rate`` (corrected / concluded cases, table 4); ``problems`` (problem themes
    admitted); ``issues`` (validation issues). ``value_kind`` tells a number from a zero, a
    blank or "/" cell, a figure the report does not state (``not_stated``) and a rate over no
    cases (``undefined``, value NaN, shown as "—").
    """
    params = {**scope.params(), "metrics": list(HEADLINE_METRICS), "new_media": list(NEW_MEDIA)}
    df = _run(_MEASURES, params)
    order = {m: i for i, m in enumerate(MEASURES)}
    df["_o"] = df["measure"].map(order)
    return df.sort_values(["bureau_name", "bureau_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


# --- sources --------------------------------------------------------------------------------

_REPORTS = _with("""
issues AS (SELECT report_id, count(*) AS n FROM validation_issues GROUP BY report_id)
SELECT s.report_id, s.bureau_id, s.bureau_name, s.year, s.is_sample, r.title, @VERSION(r)@,
       coalesce(i.n, 0)::INTEGER AS n_issues
FROM scoped s JOIN reports r ON r.report_id = s.report_id
LEFT JOIN issues i ON i.report_id = s.report_id
ORDER BY s.bureau_name, s.year, r.report_id
""")

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
WHERE report_id = $report_id AND headline
ORDER BY fact_id
"""

_REPORT_CELLS = """
SELECT tbl, row_id, column_name, value, raw, value_kind, unit, evidence, page, @CORR(f)@
FROM facts f
WHERE report_id = $report_id AND tbl IS NOT NULL
ORDER BY tbl, fact_id
"""

_REPORT_SPANS = """
SELECT fact_id, metric, dimension, tbl, row_id, column_name, value, raw, value_kind, headline,
       start_offset, end_offset, @CORR(f)@
FROM facts f
WHERE report_id = $report_id AND start_offset IS NOT NULL AND end_offset IS NOT NULL
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


def reports_in_scope(scope: Scope) -> pd.DataFrame:
    """Every report in scope, older versions included, with its version and issue count."""
    return _run(_REPORTS, scope.params(all_versions=True))


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
    df = _run(_REPORT_HEADLINES, {"report_id": report_id})
    missing = [m for m in HEADLINE_METRICS if m not in set(df["metric"])]
    if missing:
        extra = pd.DataFrame({"metric": missing, "value_kind": ["not_stated"] * len(missing),
                              "corrected": [False] * len(missing)})
        extra = extra.reindex(columns=df.columns)
        df = extra if df.empty else pd.concat([df, extra], ignore_index=True)
    return df.drop(columns=["fact_id"]).reset_index(drop=True)


def report_cells(report_id: str) -> pd.DataFrame:
    """The report's template-table cells (tables 2, 3 and 4) as written."""
    return _run(_REPORT_CELLS, {"report_id": report_id})


def report_spans(report_id: str) -> pd.DataFrame:
    """The report's facts that point into its text (``start_offset``/``end_offset`` of the evidence)."""
    return _run(_REPORT_SPANS, {"report_id": report_id})


def report_sentences(report_id: str) -> pd.DataFrame:
    """The report's problem and measure sentences with their offsets in its text."""
    return _run(_REPORT_SENTENCES, {"report_id": report_id})


def report_issues(report_id: str) -> pd.DataFrame:
    """The report's validation issues, errors first."""
    return _run(_REPORT_ISSUES, {"report_id": report_id})
