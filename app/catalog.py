"""Every chart of the dashboard by name, built for the current filters: what the meeting pack offers.

Takes a ``Filters`` value; gives ``build(name, filters)`` → ``Chart`` or None (no data) and
``CHARTS`` (name → title key, page) in the order of the pages. Each builder runs the same queries
and chart functions as its page, with the page's default choices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app import analysis, charts, queries
from app.charts import Chart
from app.filters import Filters
from app.i18n import t


@dataclass(frozen=True)
class Entry:
    title_key: str
    page: str
    build: Callable[[Filters], Chart | None]


def _coverage(f: Filters) -> Chart | None:
    df = queries.coverage(f.scope)
    return None if df.empty else charts.coverage(df, f.style, f.lang)


def _proactive(f: Filters) -> Chart | None:
    df = queries.proactive(f.scope, gaps=True)
    return None if df["value"].notna().sum() == 0 else charts.bureau_year_bars(df, f.style, f.lang, "volume.chart")


def _ranking(f: Filters) -> Chart | None:
    df = queries.proactive(f.scope, gaps=True)
    year = analysis.busiest_year(df)
    if year is None:
        return None
    return charts.ranking(analysis.ranking(df, year), f.style, f.lang, year)


def _categories(f: Filters) -> Chart | None:
    df = queries.categories(f.scope)
    return None if df.empty else charts.categories(df, f.style, f.lang)


def _channel_shares(f: Filters) -> Chart | None:
    df = queries.channel_shares(f.scope)
    return None if df.empty else charts.channel_shares(df, f.style, f.lang)


def _channel_trend(f: Filters) -> Chart | None:
    df = analysis.channel_trend(queries.channel_shares(f.scope))
    return None if df.empty else charts.channel_trend(df, f.lang)


def _received(f: Filters) -> Chart | None:
    df = queries.applications_received(f.scope, gaps=True)
    if df["value"].notna().sum() == 0:
        return None
    return charts.bureau_year_bars(df, f.style, f.lang, "applications.received")


def _applicants(f: Filters) -> Chart | None:
    df = queries.applicants(f.scope)
    return None if df["value"].notna().sum() == 0 else charts.applicants(df, f.style, f.lang)


def _flow(f: Filters) -> Chart | None:
    cells = queries.table3_cells(f.scope)
    links = analysis.flow(cells)
    if links.empty:
        return None
    return charts.flow(links, f.lang, analysis.reports_behind(cells), bool(cells["is_sample"].any()))


def _outcomes(f: Filters) -> Chart | None:
    df = queries.outcomes(f.scope)
    return None if df.empty else charts.outcomes(df, f.style, f.lang)


def _appeals(f: Filters) -> Chart | None:
    df = queries.appeal_totals(f.scope)
    return None if df.empty else charts.appeals(df, f.style, f.lang)


def _heatmap(f: Filters) -> Chart | None:
    df = queries.problem_heatmap(f.scope)
    return None if df.empty else charts.problem_heatmap(df, f.lang)


def _recurring(f: Filters) -> Chart | None:
    rec = analysis.recurring(queries.problem_sentences(f.scope), queries.report_years(f.scope))
    rec = rec[rec["recurring"]]
    return None if rec.empty else charts.recurring(rec, f.style, f.lang)


def _multiples(f: Filters) -> Chart | None:
    if not 2 <= len(f.scope.bureaus) <= 6:
        return None
    df = queries.measures(f.scope)
    return None if df.empty else charts.small_multiples(df, f.style, f.lang, list(queries.MEASURES))


CHARTS: dict[str, Entry] = {
    "coverage": Entry("overview.coverage", "overview", _coverage),
    "proactive_total": Entry("volume.chart", "volume", _proactive),
    "ranking": Entry("volume.ranking", "volume", _ranking),
    "categories": Entry("volume.categories", "volume", _categories),
    "channel_shares": Entry("channels.chart", "channels", _channel_shares),
    "channel_trend": Entry("channels.trend", "channels", _channel_trend),
    "applications_received": Entry("applications.received", "applications", _received),
    "applicants": Entry("applications.applicants", "applications", _applicants),
    "flow": Entry("applications.flow", "applications", _flow),
    "outcomes": Entry("applications.outcomes", "applications", _outcomes),
    "appeals": Entry("applications.appeals", "applications", _appeals),
    "problem_themes": Entry("problems.heatmap", "problems", _heatmap),
    "recurring": Entry("problems.recurring", "problems", _recurring),
    "compare": Entry("compare.multiples", "compare", _multiples),
}


def title(name: str, lang: str) -> str:
    return t(CHARTS[name].title_key, lang)


def build(name: str, f: Filters) -> Chart | None:
    """The chart ``name`` for the filters ``f``, or None when there is nothing to show."""
    return CHARTS[name].build(f)
