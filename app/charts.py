"""Plotly figures for the pages, each paired with the table behind it.

Takes the DataFrames of ``app.queries``, a ``BureauStyle`` (one label and one colour per bureau)
and a language; gives ``Chart`` objects: the figure, the data behind it with translated column
headers (what the CSV download holds), and whether any of it is written sample data.

Every bureau keeps one colour on every chart: colours are assigned from a fixed palette in the
order of the sorted bureau ids of the whole database, not of the current selection. Years are
always categories on the axes, never numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from app.i18n import label, t
from app.queries import OUTCOME_GROUPS
from etl.model import CHANNELS, THEMES

PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31", "#843c39", "#7b4173",
    "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363", "#6baed6", "#fd8d3c", "#74c476",
)
CHANNEL_COLORS = dict(zip(CHANNELS, (
    "#4e79a7", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#f28e2b", "#edc948", "#9c755f",
    "#ff9da7", "#86bcb6", "#bab0ac",
), strict=True))
OUTCOME_COLORS = {
    "granted": "#2e7d32", "partly": "#9ccc65", "refused": "#c62828", "unable": "#ef6c00",
    "not_handled": "#8d6e63", "other": "#90a4ae",
}
APPEAL_COLORS = {"reconsideration": "#3949ab", "litigation": "#8e24aa"}
FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


@dataclass(frozen=True)
class Chart:
    """A figure and the data behind it, ready for ``st.plotly_chart`` and a CSV download."""

    figure: go.Figure
    data: pd.DataFrame
    sample: bool


@dataclass(frozen=True)
class BureauStyle:
    """A display label and a colour for every bureau id."""

    labels: dict[str, str]
    colors: dict[str, str]

    @classmethod
    def from_options(cls, options: pd.DataFrame, lang: str) -> BureauStyle:
        """Built from ``queries.bureau_options()``: the whole database, so colours do not move with filters."""
        names = dict(zip(options["bureau_id"], options["bureau_name"], strict=True))
        sample = dict(zip(options["bureau_id"], options["is_sample"].astype(bool), strict=True))
        counts = Counter(names.values())
        labels: dict[str, str] = {}
        for bid, name in names.items():
            text = name
            if counts[name] > 1:
                row = options.loc[options["bureau_id"] == bid].iloc[0]
                place = "".join(str(row[c]) for c in ("province", "city", "county") if pd.notna(row[c]))
                text = f"{name}（{place or bid}）"
            labels[bid] = text + (t("sample.tag", lang) if sample[bid] else "")
        colors = {bid: PALETTE[i % len(PALETTE)] for i, bid in enumerate(sorted(names))}
        return cls(labels, colors)

    def label(self, bureau_id: str, fallback: str | None = None) -> str:
        return self.labels.get(bureau_id, fallback or bureau_id)

    def color(self, bureau_id: str) -> str:
        return self.colors.get(bureau_id, "#7f7f7f")

    def labelled(self, df: pd.DataFrame) -> pd.DataFrame:
        """``df`` with a ``bureau`` column holding each row's display label."""
        out = df.copy()
        out["bureau"] = [self.label(b, n) for b, n in zip(out["bureau_id"], out["bureau_name"], strict=True)]
        return out


def _layout(fig: go.Figure, title: str, *, height: int = 460, legend: bool = True) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        template="plotly_white",
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0, "xanchor": "left", "title": None},
        hoverlabel={"font_family": FONT},
    )
    return fig


def _years(values: pd.Series) -> list[str]:
    return [str(int(y)) for y in values]


def _any_sample(df: pd.DataFrame) -> bool:
    return bool(len(df) and "is_sample" in df and df["is_sample"].fillna(False).astype(bool).any())


def _bureau_order(df: pd.DataFrame) -> list[str]:
    return sorted(df["bureau"].unique(), key=str)


# --- overview -------------------------------------------------------------------------------

def coverage(df: pd.DataFrame, style: BureauStyle, lang: str) -> Chart:
    """Bureau × year grid: a cell per report, coloured by its number of validation issues."""
    d = style.labelled(df)
    years = [int(y) for y in _year_axis(d["year"])]
    bureaus = _bureau_order(d)
    z = pd.DataFrame(float("nan"), index=bureaus, columns=years)
    text = pd.DataFrame("", index=bureaus, columns=years)
    for row in d.itertuples():
        z.loc[row.bureau, row.year] = row.n_issues
        version = row.template if row.is_template else t("overview.free_text", lang)
        cell = str(version)
        if row.n_reports > 1:
            cell += f" ×{row.n_reports}"
        if row.n_issues:
            cell += f" ⚠{row.n_issues}"
        text.loc[row.bureau, row.year] = cell
    top = max(1.0, float(d["n_issues"].max()) if len(d) else 1.0)
    fig = go.Figure(go.Heatmap(
        z=z.values, x=[str(y) for y in years], y=bureaus, text=text.values, texttemplate="%{text}",
        zmin=0, zmax=top, xgap=3, ygap=3, showscale=False,
        colorscale=[[0, "#d6e6f4"], [min(0.999, 0.5 / top), "#fdd9b5"], [1, "#d9480f"]],
        hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
    ))
    fig.update_xaxes(type="category", side="top")
    fig.update_yaxes(type="category", autorange="reversed")
    _layout(fig, t("overview.coverage", lang), height=140 + 34 * len(bureaus), legend=False)
    fig.update_layout(margin={"t": 90})
    data = d[["bureau", "year", "n_reports", "template", "n_issues", "is_sample"]].rename(columns={
        "bureau": t("col.bureau", lang), "year": t("col.year", lang), "n_reports": t("col.reports", lang),
        "template": t("col.template_version", lang), "n_issues": t("col.issues", lang),
        "is_sample": t("col.sample", lang),
    })
    return Chart(fig, data, _any_sample(d))


# --- bars per bureau and year ---------------------------------------------------------------

def bureau_year_bars(df: pd.DataFrame, style: BureauStyle, lang: str, title_key: str,
                     kind: str = "bars") -> Chart:
    """One headline value per bureau and year: grouped bars (``kind="bars"``) or lines with markers.

    Years are categories covering every year from the first to the last, one colour per bureau.
    """
    d = style.labelled(df).dropna(subset=["value"])
    fig = go.Figure()
    years = _year_axis(d["year"])
    for bid in sorted(d["bureau_id"].unique(), key=lambda b: style.label(b)):
        part = d[d["bureau_id"] == bid]
        raw = part["raw"].fillna("").astype(str)
        qual = [label("qualifier", q, lang) if isinstance(q, str) else "" for q in part["qualifier"]]
        common = {
            "x": _years(part["year"]), "y": part["value"], "name": part["bureau"].iloc[0],
            "customdata": list(zip(raw, qual, strict=True)),
            "hovertemplate": "%{fullData.name}<br>%{x}: %{y:,.0f}<br>" + t("col.raw", lang)
                             + ": %{customdata[0]} %{customdata[1]}<extra></extra>",
        }
        if kind == "lines":
            fig.add_scatter(mode="lines+markers", line={"color": style.color(bid), "width": 2},
                            marker={"size": 8}, connectgaps=True, **common)
        else:
            fig.add_bar(marker_color=style.color(bid), **common)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, range=[-0.5, len(years) - 0.5],
                     title=t("col.year", lang))
    fig.update_yaxes(title=None, rangemode="tozero", separatethousands=True)
    fig.update_layout(barmode="group")
    _layout(fig, t(title_key, lang))
    data = d[["bureau", "year", "value", "raw", "qualifier"]].assign(
        qualifier=lambda x: [label("qualifier", q, lang) if isinstance(q, str) else "" for q in x["qualifier"]]
    ).rename(columns={
        "bureau": t("col.bureau", lang), "year": t("col.year", lang), "value": t("col.value", lang),
        "raw": t("col.raw", lang), "qualifier": t("col.qualifier", lang),
    })
    return Chart(fig, data, _any_sample(d))


def _year_axis(years: pd.Series) -> list[str]:
    """Every year from the first to the last one present, so that a missing year shows as a gap."""
    if years.empty:
        return []
    return [str(y) for y in range(int(years.min()), int(years.max()) + 1)]


def _rows(d: pd.DataFrame) -> list[list[str]]:
    """Two-level categories (bureau, year) for a horizontal bar per bureau and year."""
    return [list(d["bureau"]), _years(d["year"])]


def _sorted_bureau_years(d: pd.DataFrame) -> pd.DataFrame:
    return d.sort_values(["bureau", "year"], key=lambda s: s.astype(str) if s.name == "bureau" else s)


def _row_frame(fig: go.Figure, d: pd.DataFrame) -> None:
    """An invisible first trace holding every (bureau, year) row, which fixes the row order.

    Plotly orders the inner level (years) of a two-level axis by first appearance over the whole
    axis, so the rows are listed year first: years then ascend within every bureau, and bureaus
    come in the order of their first year.
    """
    rows = d[["bureau", "year"]].drop_duplicates().sort_values(["year", "bureau"])
    fig.add_bar(y=_rows(rows), x=[0] * len(rows), orientation="h", showlegend=False, hoverinfo="skip",
                marker_color="rgba(0,0,0,0)")


def _row_layout(fig: go.Figure, d: pd.DataFrame, title: str) -> go.Figure:
    n_rows = len(d[["bureau", "year"]].drop_duplicates())
    fig.update_yaxes(autorange="reversed", categoryorder="trace", title=None, tickfont={"size": 12})
    _layout(fig, title, height=150 + 26 * n_rows)
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left",
                              "traceorder": "normal"},
                      margin={"t": 90})
    return fig


def channel_shares(df: pd.DataFrame, style: BureauStyle, lang: str) -> Chart:
    """100 % stacked bars of channel shares, one bar per bureau and year."""
    d = _sorted_bureau_years(style.labelled(df))
    fig = go.Figure()
    _row_frame(fig, d)
    for channel in [c for c in CHANNELS if c in set(d["channel"])] + sorted(set(d["channel"]) - set(CHANNELS)):
        part = d[d["channel"] == channel]
        fig.add_bar(
            y=_rows(part), x=part["share"] * 100, orientation="h", name=label("channel", channel, lang),
            marker_color=CHANNEL_COLORS.get(channel, "#bab0ac"), customdata=part["value"],
            hovertemplate="%{y}<br>%{fullData.name}: %{x:.1f}% (%{customdata:,.0f})<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, 100], ticksuffix="%", title=None)
    _row_layout(fig, d, t("channels.chart", lang))
    data = d[["bureau", "year", "channel", "value", "share"]].assign(
        channel=lambda x: [label("channel", c, lang) for c in x["channel"]],
        share=lambda x: x["share"].round(4),
    ).rename(columns={
        "bureau": t("col.bureau", lang), "year": t("col.year", lang), "channel": t("col.channel", lang),
        "value": t("col.value", lang), "share": t("col.share", lang),
    })
    return Chart(fig, data, _any_sample(d))


def outcomes(df: pd.DataFrame, style: BureauStyle, lang: str) -> Chart:
    """Stacked bars of table-3 outcome groups (total column), one bar per bureau and year."""
    d = _sorted_bureau_years(style.labelled(df))
    fig = go.Figure()
    _row_frame(fig, d)
    for group in OUTCOME_GROUPS:
        part = d[(d["outcome"] == group) & d["value"].notna()]
        if part.empty:
            continue
        fig.add_bar(
            y=_rows(part), x=part["value"], orientation="h", name=label("outcome", group, lang),
            marker_color=OUTCOME_COLORS[group],
            hovertemplate="%{y}<br>%{fullData.name}: %{x:,.0f}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=None, rangemode="tozero")
    _row_layout(fig, d, t("applications.outcomes", lang))
    data = d[["bureau", "year", "outcome", "value"]].assign(
        outcome=lambda x: [label("outcome", o, lang) for o in x["outcome"]]
    ).rename(columns={
        "bureau": t("col.bureau", lang), "year": t("col.year", lang), "outcome": t("col.outcome", lang),
        "value": t("col.count", lang),
    })
    return Chart(fig, data, _any_sample(d))


def appeals(df: pd.DataFrame, style: BureauStyle, lang: str) -> Chart:
    """Grouped bars of reconsideration and litigation cases per bureau and year."""
    d = _sorted_bureau_years(style.labelled(df))
    fig = go.Figure()
    _row_frame(fig, d)
    for metric in ("reconsideration", "litigation"):
        part = d[d["metric"] == metric]
        if part.empty:
            continue
        fig.add_bar(
            y=_rows(part), x=part["value"], orientation="h", name=label("metric", metric, lang),
            marker_color=APPEAL_COLORS[metric],
            hovertemplate="%{y}<br>%{fullData.name}: %{x:,.0f}<extra></extra>",
        )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(title=None, rangemode="tozero", dtick=1 if len(d) and d["value"].max() <= 10 else None)
    _row_layout(fig, d, t("applications.appeals", lang))
    data = d[["bureau", "year", "metric", "value"]].assign(
        metric=lambda x: [label("metric", m, lang) for m in x["metric"]]
    ).rename(columns={
        "bureau": t("col.bureau", lang), "year": t("col.year", lang), "metric": t("col.metric", lang),
        "value": t("col.count", lang),
    })
    return Chart(fig, data, _any_sample(d))


# --- problems -------------------------------------------------------------------------------

def problem_heatmap(df: pd.DataFrame, lang: str) -> Chart:
    """Themes × years: how many reports admit a problem of each theme."""
    themes = [th for th in THEMES if th in set(df["theme"])] + sorted(set(df["theme"]) - set(THEMES))
    years = [int(y) for y in _year_axis(df["year"])]
    grid = (df.pivot_table(index="theme", columns="year", values="n_reports", aggfunc="sum")
            .reindex(index=themes, columns=years))
    names = [label("theme", th, lang) for th in themes]
    fig = go.Figure(go.Heatmap(
        z=grid.values, x=[str(y) for y in years], y=names, colorscale="Oranges", xgap=3, ygap=3,
        text=grid.fillna(0).astype(int).astype(str).where(grid.notna(), "").values, texttemplate="%{text}",
        hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
        colorbar={"title": t("col.n_reports", lang), "dtick": 1, "thickness": 14},
        zmin=0,
    ))
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category", autorange="reversed")
    _layout(fig, t("problems.heatmap", lang), height=140 + 40 * len(themes), legend=False)
    data = df[["theme", "year", "n_reports"]].assign(
        theme=lambda x: [label("theme", th, lang) for th in x["theme"]]
    ).rename(columns={"theme": t("col.theme", lang), "year": t("col.year", lang),
                      "n_reports": t("col.n_reports", lang)})
    return Chart(fig, data, _any_sample(df))
