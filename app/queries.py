"""Every SQL statement the dashboard runs, each a constant with named ``$parameters``.

Takes a ``Scope`` (the sidebar's year range, region and bureaus) or a report id; gives pandas
DataFrames with plain column names (``bureau_id``, ``bureau_name``, ``year``, ``value`` …) and,
where figures are shown, an ``is_sample`` column. Values are never pasted into SQL: each
function passes them as parameters to ``app.db.query``.

Where a bureau has more than one report for a year, the charts use one of them: the template
report with the most headline facts (``chosen`` below); the overview's coverage grid still
counts every report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

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
T4_ROWS = ("复议", "直接起诉", "复议后起诉")
T4_COLUMNS = ("维持", "纠正", "其他", "尚未审结", "总计")


@dataclass(frozen=True)
class Scope:
    """Which reports the pages look at; ``None`` and empty mean no restriction."""

    year_from: int | None = None
    year_to: int | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    bureaus: tuple[str, ...] = field(default_factory=tuple)

    def params(self) -> dict[str, Any]:
        return {
            "year_from": self.year_from, "year_to": self.year_to, "province": self.province,
            "city": self.city, "county": self.county, "bureaus": list(self.bureaus),
        }


# Reports in scope, one row each, with the bureau's name and region. Reports without a bureau
# match keep a key of their own so they still show up as a row.
_SCOPED = """
scoped AS (
    SELECT r.report_id,
           r.year,
           coalesce(r.bureau_id, 'report:' || r.report_id) AS bureau_id,
           coalesce(b.name, r.bureau_name_raw, r.report_id) AS bureau_name,
           b.province, b.city, b.county,
           r.era, r.template_version, r.is_aggregate,
           (r.is_sample OR coalesce(b.is_sample, FALSE)) AS is_sample
    FROM reports r
    LEFT JOIN bureaus b ON b.bureau_id = r.bureau_id
    WHERE r.year IS NOT NULL
      AND ($year_from::INTEGER IS NULL OR r.year >= $year_from::INTEGER)
      AND ($year_to::INTEGER IS NULL OR r.year <= $year_to::INTEGER)
      AND ($province::VARCHAR IS NULL OR b.province = $province::VARCHAR)
      AND ($city::VARCHAR IS NULL OR b.city = $city::VARCHAR)
      AND ($county::VARCHAR IS NULL OR b.county = $county::VARCHAR)
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
GROUP BY b.bureau_id, b.name, b.province, b.city, b.county, b.level, b.kind, b.is_sample
ORDER BY b.province NULLS LAST, b.city NULLS LAST, b.county NULLS FIRST, b.name, b.bureau_id
"""

_YEARS = "SELECT min(year) AS year_min, max(year) AS year_max FROM reports WHERE year IS NOT NULL"


def bureau_options() -> pd.DataFrame:
    """Every bureau with at least one report: id, name, region, sample flag, years covered."""
    return query(_BUREAU_OPTIONS)


def year_bounds() -> tuple[int, int] | None:
    """The first and last report year, or None when no report has a year."""
    row = query(_YEARS).iloc[0]
    if pd.isna(row["year_min"]):
        return None
    return int(row["year_min"]), int(row["year_max"])


# --- overview -------------------------------------------------------------------------------

_COUNTS = _with("""
issues AS (SELECT report_id, count(*) AS n FROM validation_issues GROUP BY report_id)
SELECT count(*) AS reports,
       count(DISTINCT s.bureau_id) AS bureaus,
       count(DISTINCT s.year) AS years,
       count(*) FILTER (WHERE s.is_sample) AS sample_reports,
       coalesce(sum(i.n), 0)::INTEGER AS issues
FROM scoped s LEFT JOIN issues i ON i.report_id = s.report_id
""")

_COVERAGE = _with("""
issues AS (SELECT report_id, count(*) AS n FROM validation_issues GROUP BY report_id)
SELECT s.bureau_id, s.bureau_name, s.province, s.city, s.county, s.year,
       count(*) AS n_reports,
       string_agg(DISTINCT coalesce(s.template_version, s.era), ' / ') AS template,
       bool_or(s.era = 'template') AS is_template,
       coalesce(sum(i.n), 0)::INTEGER AS n_issues,
       bool_or(s.is_sample) AS is_sample
FROM scoped s LEFT JOIN issues i ON i.report_id = s.report_id
GROUP BY s.bureau_id, s.bureau_name, s.province, s.city, s.county, s.year
ORDER BY s.bureau_name, s.bureau_id, s.year
""")


def overview_counts(scope: Scope) -> dict[str, int]:
    """Reports, bureaus, years, sample reports and validation issues in scope."""
    row = query(_COUNTS, scope.params()).iloc[0]
    return {k: int(row[k]) for k in ("reports", "bureaus", "years", "sample_reports", "issues")}


def coverage(scope: Scope) -> pd.DataFrame:
    """One row per bureau and year with a report: count, template version or era, issues."""
    return query(_COVERAGE, scope.params())


# --- headline values ------------------------------------------------------------------------

_HEADLINE = _with("""
vals AS (
    SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample,
           v.value, v.raw, v.qualifier, v.value_kind, v.evidence
    FROM chosen c JOIN report_values v ON v.report_id = c.report_id
    WHERE v.metric = $metric
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


def headline(scope: Scope, metric: str) -> pd.DataFrame:
    """One headline metric per bureau and year, with the change from the year before.

    ``previous``, ``change_abs`` and ``change_pct`` are only set when the bureau has a report for
    the previous calendar year; ``change_pct`` also needs the previous value to be non-zero.
    """
    return query(_HEADLINE, {**scope.params(), "metric": metric})


def proactive(scope: Scope) -> pd.DataFrame:
    """Items disclosed proactively (``proactive_total``) per bureau and year, with year-over-year change."""
    return headline(scope, "proactive_total")


def applications_received(scope: Scope) -> pd.DataFrame:
    """Applications received per bureau and year (the headline value)."""
    return headline(scope, "applications_received")


_CHANNELS = _with("""
vals AS (
    SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample,
           v.dimension AS channel, sum(v.value) AS value, string_agg(v.raw, ' + ' ORDER BY v.fact_id) AS raw
    FROM chosen c JOIN report_values v ON v.report_id = c.report_id
    WHERE v.metric = 'channel' AND v.value IS NOT NULL AND v.dimension IS NOT NULL
    GROUP BY c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample, v.dimension
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
    df = query(_CHANNELS, scope.params())
    order = {c: i for i, c in enumerate(CHANNELS)}
    df["_o"] = df["channel"].map(order).fillna(len(order))
    return df.sort_values(["bureau_name", "bureau_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


# --- table 3 and table 4 --------------------------------------------------------------------

_T3_TOTALS = _with("""
SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample,
       f.row_id, f.value, f.value_kind, f.raw
FROM chosen c JOIN facts f ON f.report_id = c.report_id
WHERE f.tbl = 3 AND f.column_name = '总计'
ORDER BY c.bureau_name, c.bureau_id, c.year, f.row_id
""")


def _t3_totals(scope: Scope) -> pd.DataFrame:
    return query(_T3_TOTALS, scope.params())


def outcomes(scope: Scope) -> pd.DataFrame:
    """Table 3 total column summed into outcome groups per bureau and year (long form).

    ``value`` is the sum of the group's filled-in cells; it is NaN when every cell of the group
    is blank, "/" or missing, so a group that was not filled in is not shown as 0.
    """
    cells = _t3_totals(scope)
    group_of = {row: g for g, rows in OUTCOME_GROUPS.items() for row in rows}
    cells = cells[cells["row_id"].isin(group_of)].assign(outcome=lambda d: d["row_id"].map(group_of))
    keys = ["bureau_id", "bureau_name", "year", "report_id", "is_sample"]
    if cells.empty:
        return pd.DataFrame(columns=[*keys, "outcome", "value"])
    out = cells.groupby([*keys, "outcome"], sort=False)["value"].sum(min_count=1).reset_index()
    order = {g: i for i, g in enumerate(OUTCOME_GROUPS)}
    out["_o"] = out["outcome"].map(order)
    return out.sort_values(["bureau_name", "bureau_id", "year", "_o"]).drop(columns="_o").reset_index(drop=True)


def carry(scope: Scope) -> pd.DataFrame:
    """Table 3 total column: new (R01), carried over (R02), handled (R24), carried forward (R25)."""
    cells = _t3_totals(scope)
    keys = ["bureau_id", "bureau_name", "year", "report_id", "is_sample"]
    names = {"R01": "new", "R02": "carried_over", "R24": "total", "R25": "carried_forward"}
    cells = cells[cells["row_id"].isin(names)]
    if cells.empty:
        return pd.DataFrame(columns=[*keys, *names.values()])
    wide = cells.groupby([*keys, "row_id"], dropna=False)["value"].first().unstack("row_id")
    wide = wide.reindex(columns=list(names)).rename(columns=names).reset_index()
    wide.columns.name = None
    return wide.sort_values(["bureau_name", "bureau_id", "year"]).reset_index(drop=True)


_APPEALS = _with("""
hl AS (
    SELECT report_id,
           any_value(value) FILTER (WHERE metric = 'reconsideration') AS reconsideration,
           any_value(value) FILTER (WHERE metric = 'litigation') AS litigation
    FROM report_values WHERE metric IN ('reconsideration', 'litigation')
    GROUP BY report_id
),
t4 AS (
    SELECT report_id, row_id,
           any_value(value) FILTER (WHERE column_name = '维持') AS upheld,
           any_value(value) FILTER (WHERE column_name = '纠正') AS corrected,
           any_value(value) FILTER (WHERE column_name = '其他') AS other,
           any_value(value) FILTER (WHERE column_name = '尚未审结') AS pending,
           any_value(value) FILTER (WHERE column_name = '总计') AS total
    FROM facts WHERE tbl = 4
    GROUP BY report_id, row_id
)
SELECT c.bureau_id, c.bureau_name, c.year, c.report_id, c.is_sample,
       hl.reconsideration, hl.litigation,
       t4.row_id AS t4_row, t4.upheld, t4.corrected, t4.other, t4.pending, t4.total,
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
    return query(_APPEALS, scope.params())


def appeal_totals(scope: Scope) -> pd.DataFrame:
    """Headline reconsideration and litigation counts per bureau and year (long form, one row per metric)."""
    df = appeals(scope)
    keys = ["bureau_id", "bureau_name", "year", "report_id", "is_sample"]
    if df.empty:
        return pd.DataFrame(columns=[*keys, "metric", "value"])
    heads = df.drop_duplicates("report_id")[[*keys, "reconsideration", "litigation"]]
    long = heads.melt(id_vars=keys, var_name="metric", value_name="value").dropna(subset=["value"])
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
  AND ($kind::VARCHAR IS NULL OR p.kind = $kind::VARCHAR)
ORDER BY s.bureau_name, s.year, p.kind DESC, p.start_offset NULLS LAST, p.sentence
""")

_PROBLEM_THEMES = _with("""
SELECT DISTINCT p.theme FROM scoped s JOIN problems p ON p.report_id = s.report_id
""")


def problem_heatmap(scope: Scope) -> pd.DataFrame:
    """Number of reports admitting each problem theme, per theme and year."""
    return query(_PROBLEM_HEATMAP, scope.params())


def problem_themes(scope: Scope) -> list[str]:
    """Themes present in scope, in the vocabulary's order."""
    found = set(query(_PROBLEM_THEMES, scope.params())["theme"])
    return [th for th in THEMES if th in found] + sorted(found - set(THEMES))


def problem_sentences(scope: Scope, theme: str | None = None, bureau_id: str | None = None,
                      kind: str | None = None) -> pd.DataFrame:
    """Problem and measure sentences in scope, optionally for one theme, bureau or kind."""
    return query(_PROBLEM_SENTENCES, {**scope.params(), "theme": theme, "bureau": bureau_id, "kind": kind})


# --- sources --------------------------------------------------------------------------------

_REPORTS = _with("""
issues AS (SELECT report_id, count(*) AS n FROM validation_issues GROUP BY report_id)
SELECT s.report_id, s.bureau_id, s.bureau_name, s.year, s.is_sample, r.title,
       coalesce(i.n, 0)::INTEGER AS n_issues
FROM scoped s JOIN reports r ON r.report_id = s.report_id
LEFT JOIN issues i ON i.report_id = s.report_id
ORDER BY s.bureau_name, s.year, s.report_id
""")

_REPORT = """
SELECT r.report_id, coalesce(b.name, r.bureau_name_raw) AS bureau_name, r.bureau_name_raw, r.year,
       r.year_inferred, r.title, r.path, r.collection, r.file_kind, r.language, r.era,
       r.template_version, r.is_aggregate, r.flags, r.content_hash, r.loaded_at,
       b.province, b.city, b.county,
       (r.is_sample OR coalesce(b.is_sample, FALSE)) AS is_sample
FROM reports r LEFT JOIN bureaus b ON b.bureau_id = r.bureau_id
WHERE r.report_id = $report_id
"""

_REPORT_HEADLINES = """
SELECT metric, dimension, value, raw, unit, qualifier, value_kind, evidence, page, flags, fact_id
FROM facts
WHERE report_id = $report_id AND headline
ORDER BY fact_id
"""

_REPORT_CELLS = """
SELECT tbl, row_id, column_name, value, raw, value_kind, unit, evidence, page
FROM facts
WHERE report_id = $report_id AND tbl IS NOT NULL
ORDER BY tbl, fact_id
"""

_REPORT_ISSUES = """
SELECT rule, severity, message, refs
FROM validation_issues
WHERE report_id = $report_id
ORDER BY CASE severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, rule
"""


def reports_in_scope(scope: Scope) -> pd.DataFrame:
    """Every report in scope (not only the one charted per bureau-year), with its issue count."""
    return query(_REPORTS, scope.params())


def report(report_id: str) -> dict[str, Any] | None:
    """The report's metadata row as a dict, or None for an unknown id."""
    df = query(_REPORT, {"report_id": report_id})
    return None if df.empty else df.iloc[0].to_dict()


def report_headlines(report_id: str) -> pd.DataFrame:
    """The report's headline facts, plus a ``not_stated`` row for each headline metric it lacks."""
    df = query(_REPORT_HEADLINES, {"report_id": report_id})
    missing = [m for m in HEADLINE_METRICS if m not in set(df["metric"])]
    if missing:
        extra = pd.DataFrame({"metric": missing, "value_kind": ["not_stated"] * len(missing)})
        extra = extra.reindex(columns=df.columns)
        df = extra if df.empty else pd.concat([df, extra], ignore_index=True)
    return df.drop(columns=["fact_id"]).reset_index(drop=True)


def report_cells(report_id: str) -> pd.DataFrame:
    """The report's template-table cells (tables 2, 3 and 4) as written."""
    return query(_REPORT_CELLS, {"report_id": report_id})


def report_issues(report_id: str) -> pd.DataFrame:
    """The report's validation issues, errors first."""
    return query(_REPORT_ISSUES, {"report_id": report_id})
