"""Plotly figures for the pages, each paired with the table behind it.

Takes the DataFrames of ``app.queries``, a ``BureauStyle`` (one label and one colour per bureau)
and a language; gives ``Chart`` objects: the figure, the data behind it with translated column
headers (what the CSV download holds), and whether any of it is written sample data.

Every bureau keeps one colour on every chart: colours are assigned from a fixed palette in the
order of the sorted bureau ids of the whole database, not of the current selection. Years are
always categories on the axes, never numbers.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from app.i18n import label, t
from app.queries import APPLICANTS, OUTCOME_GROUPS, RATE_MEASURES
from app.values import CORRECTED, fmt_value, is_true, mark
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
        ids = list(options["bureau_id"])
        if {"label", "color_num"} <= set(options.columns):  # labels and colour numbers of the whole database
            tag = t("sample.tag", lang)
            return cls({bid: text + (tag if bool(sample) else "") for bid, text, sample
                        in zip(ids, options["label"], options["is_sample"], strict=True)},
                       {bid: PALETTE[int(n) % len(PALETTE)] for bid, n in zip(ids, options["color_num"], strict=True)})
        names = dict(zip(ids, options["bureau_name"], strict=True))
        sample = dict(zip(ids, options["is_sample"].astype(bool), strict=True))
        places = {bid: "".join(str(p) for p in parts if isinstance(p, str) and p)
                  for bid, *parts in zip(ids, options["province"], options["city"], options["county"], strict=True)}
        counts = Counter(names.values())
        labels: dict[str, str] = {}
        for bid, name in names.items():
            text = name if counts[name] == 1 else f"{name}（{places[bid] or bid}）"
            labels[bid] = text + (t("sample.tag", lang) if sample[bid] else "")
        colors = {bid: PALETTE[i % len(PALETTE)] for i, bid in enumerate(sorted(names))}
        return cls(labels, colors)

    def label(self, bureau_id: str, fallback: str | None = None) -> str:
        return self.labels.get(bureau_id, fallback or bureau_id)

    def color(self, bureau_id: str) -> str:
        """The bureau's colour; a series of its own (a region) gets a stable one from its id."""
        return self.colors.get(bureau_id) or PALETTE[zlib.crc32(bureau_id.encode("utf-8")) % len(PALETTE)]

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
    """Bureau × year grid: a cell per report year, coloured by how complete the report is.

    The cell text gives the template version (or "free text"), the completeness in %, and after
    ⚠ the number of validation issues; ×n marks several reports for one year.
    """
    d = style.labelled(df)
    years = [int(y) for y in _year_axis(d["year"])]
    bureaus = _bureau_order(d)
    z = pd.DataFrame(float("nan"), index=bureaus, columns=years)
    text = pd.DataFrame("", index=bureaus, columns=years)
    hover = pd.DataFrame("", index=bureaus, columns=years)
    for row in d.itertuples():
        z.loc[row.bureau, row.year] = row.completeness * 100
        version = row.template if row.is_template else t("overview.free_text", lang)
        cell = f"{row.completeness * 100:.0f}%"
        if row.n_reports > 1:
            cell += f" ×{row.n_reports}"
        if row.n_issues:
            cell += f" ⚠{row.n_issues}"
        text.loc[row.bureau, row.year] = cell
        hover.loc[row.bureau, row.year] = f"{version} · {cell}"
    fig = go.Figure(go.Heatmap(
        z=z.values, x=[str(y) for y in years], y=bureaus, text=text.values, texttemplate="%{text}",
        customdata=hover.values, textfont={"size": 11},
        zmin=0, zmax=100, xgap=3, ygap=3, showscale=True,
        colorscale=[[0, "#fde0dd"], [0.5, "#fff3bf"], [1, "#b2f2bb"]],
        colorbar={"title": t("col.completeness", lang), "ticksuffix": "%", "thickness": 12, "len": 0.8},
        hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
    ))
    fig.update_xaxes(type="category", side="top")
    fig.update_yaxes(type="category", autorange="reversed")
    _layout(fig, t("overview.coverage", lang), height=160 + 34 * len(bureaus), legend=False)
    fig.update_layout(margin={"t": 90})
    data = d[["bureau", "year", "n_reports", "template", "completeness", "n_issues", "is_sample"]].assign(
        completeness=lambda x: (x["completeness"] * 100).round(1),
    ).rename(columns={
        "bureau": t("col.bureau", lang), "year": t("col.year", lang), "n_reports": t("col.reports", lang),
        "template": t("col.template_version", lang), "completeness": t("col.completeness_pct", lang),
        "n_issues": t("col.issues", lang), "is_sample": t("col.sample", lang),
    })
    return Chart(fig, data, _any_sample(d))


# --- bars per bureau and year ---------------------------------------------------------------

def _shown(part: pd.DataFrame, lang: str) -> tuple[list[float], list[str], list[str]]:
    """Bar heights, bar texts and hover notes for values that may be zero, blank, "/" or not stated."""
    heights, texts, notes = [], [], []
    for v, kind, corr, orig in zip(part["value"], part["value_kind"], part["corrected"], part["original_value"],
                                   strict=True):
        if pd.isna(v):
            heights.append(0.0)
            texts.append(mark(kind) or mark("not_stated"))
            notes.append(label("kind", kind if isinstance(kind, str) else "not_stated", lang))
            continue
        heights.append(float(v))
        note = label("kind", kind, lang) if kind == "zero" else ""
        text = "0" if kind == "zero" or v == 0 else ""
        if is_true(corr):
            text = (text + " " + CORRECTED).strip()
            note = t("msg.corrected_from", lang, value=fmt_value(orig))
        texts.append(text)
        notes.append(note)
    return heights, texts, notes


def _with_marks(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col, default in (("value_kind", "number"), ("corrected", False), ("original_value", float("nan"))):
        if col not in out:
            out[col] = default
    return out


def bureau_year_bars(df: pd.DataFrame, style: BureauStyle, lang: str, title_key: str,
                     kind: str = "bars") -> Chart:
    """One headline value per bureau and year: grouped bars (``kind="bars"``) or lines with markers.

    Years are categories covering every year from the first to the last, one colour per bureau.
    A zero shows as "0" on the axis, a year whose report leaves the figure blank, "/" or unstated
    shows its mark (□, /, ∅) instead of a bar, and a corrected value carries ✎.
    """
    d = _with_marks(style.labelled(df))
    fig = go.Figure()
    years = _year_axis(d["year"])
    for bid in sorted(d["bureau_id"].unique(), key=lambda b: style.label(b)):
        part = d[d["bureau_id"] == bid]
        heights, texts, notes = _shown(part, lang)
        raw = part["raw"].fillna("").astype(str)
        qual = [label("qualifier", q, lang) if isinstance(q, str) else "" for q in part["qualifier"]]
        common = {
            "x": _years(part["year"]), "name": part["bureau"].iloc[0], "legendgroup": bid,
            "customdata": list(zip(raw, qual, notes, strict=True)),
            "hovertemplate": "%{fullData.name}<br>%{x}: %{y:,.0f} %{customdata[2]}<br>" + t("col.raw", lang)
                             + ": %{customdata[0]} %{customdata[1]}<extra></extra>",
        }
        if kind == "lines":
            gaps = [i for i, v in enumerate(part["value"]) if pd.isna(v)]
            values = [None if i in gaps else h for i, h in enumerate(heights)]
            shown = ["" if i in gaps else x for i, x in enumerate(texts)]
            fig.add_scatter(mode="lines+markers+text", y=values, text=shown, textposition="top center",
                            line={"color": style.color(bid), "width": 2},
                            marker={"size": 8}, connectgaps=True, **common)
            if gaps:
                fig.add_scatter(mode="text", x=[common["x"][i] for i in gaps], y=[0] * len(gaps),
                                text=[texts[i] for i in gaps], textfont={"color": style.color(bid), "size": 15},
                                showlegend=False, legendgroup=bid, hoverinfo="skip")
        else:
            fig.add_bar(y=heights, text=texts, textposition="outside", cliponaxis=False,
                        textfont={"color": style.color(bid)}, marker_color=style.color(bid), **common)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, range=[-0.5, len(years) - 0.5],
                     title=t("col.year", lang))
    fig.update_yaxes(title=None, rangemode="tozero", separatethousands=True)
    fig.update_layout(barmode="group")
    _layout(fig, t(title_key, lang))
    data = d[["bureau", "year", "value", "raw", "qualifier", "value_kind", "corrected", "report_id"]].assign(
        qualifier=lambda x: [label("qualifier", q, lang) if isinstance(q, str) else "" for q in x["qualifier"]],
        value_kind=lambda x: [label("kind", k, lang) for k in x["value_kind"]],
        corrected=lambda x: [CORRECTED if is_true(c) else "" for c in x["corrected"]],
    ).rename(columns={
        "bureau": t("col.bureau", lang), "year": t("col.year", lang), "value": t("col.value", lang),
        "raw": t("col.raw", lang), "qualifier": t("col.qualifier", lang), "value_kind": t("col.value_kind", lang),
        "corrected": t("col.corrected", lang), "report_id": t("col.report_id", lang),
    })
    return Chart(fig, data, _any_sample(d[d["value"].notna()]))


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


# --- volume: ranking and categories ---------------------------------------------------------

def ranking(df: pd.DataFrame, style: BureauStyle, lang: str, year: int) -> Chart:
    """Horizontal bars of one year's values, highest first, one colour per bureau; unranked bureaus last."""
    d = _with_marks(style.labelled(df))
    heights, texts, notes = _shown(d, lang)
    shown = [f"{fmt_value(v, corrected=c)}  #{int(r)}" if pd.notna(v) else x
             for v, c, r, x in zip(d["value"], d["corrected"], d["rank"], texts, strict=True)]
    fig = go.Figure(go.Bar(
        y=list(d["bureau"]), x=heights, orientation="h", marker_color=[style.color(b) for b in d["bureau_id"]],
        text=shown, textposition="outside", cliponaxis=False, customdata=notes,
        hovertemplate="%{y}: %{x:,.0f} %{customdata}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", type="category", title=None)
    fig.update_xaxes(title=None, rangemode="tozero", separatethousands=True)
    _layout(fig, t("volume.ranking_chart", lang, year=year), height=140 + 34 * len(d), legend=False)
    fig.update_layout(margin={"r": 90})
    data = d[["rank", "bureau", "value", "raw", "value_kind", "report_id"]].assign(
        rank=lambda x: ["" if pd.isna(r) else int(r) for r in x["rank"]],
        value_kind=lambda x: [label("kind", k, lang) for k in x["value_kind"]],
    ).rename(columns={"rank": t("col.rank", lang), "bureau": t("col.bureau", lang), "value": t("col.value", lang),
                      "raw": t("col.raw", lang), "value_kind": t("col.value_kind", lang),
                      "report_id": t("col.report_id", lang)})
    return Chart(fig, data, _any_sample(d[d["value"].notna()]))


CATEGORY_COLORS = ("#a5d8ff", "#ffd8a8", "#b2f2bb", "#eebefa", "#ffec99", "#c5f6fa", "#ffc9c9", "#d0bfff",
                   "#e9ecef", "#d8f5a2")


def categories(df: pd.DataFrame, style: BureauStyle, lang: str) -> Chart:
    """Stacked bars of the categories behind each report's total, labelled with the report's own names."""
    d = _sorted_bureau_years(style.labelled(df))
    d = d.assign(position=d.groupby("report_id").cumcount())
    fig = go.Figure()
    _row_frame(fig, d)
    for pos in sorted(d["position"].unique()):
        part = d[d["position"] == pos]
        fig.add_bar(
            y=_rows(part), x=part["value"], orientation="h", showlegend=False,
            marker={"color": CATEGORY_COLORS[pos % len(CATEGORY_COLORS)], "line": {"color": "white", "width": 1}},
            text=list(part["category"]), textposition="inside", insidetextanchor="middle",
            customdata=list(zip(part["category"], part["share"].fillna(float("nan")), strict=True)),
            hovertemplate="%{y}<br>%{customdata[0]}: %{x:,.0f} (%{customdata[1]:.1%})<extra></extra>",
        )
    totals = d.drop_duplicates("report_id")
    fig.add_scatter(y=_rows(totals), x=totals["total"], mode="markers", name=t("col.total", lang),
                    marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": "#212529"}},
                    hovertemplate="%{y}<br>" + t("col.total", lang) + ": %{x:,.0f}<extra></extra>")
    fig.update_layout(barmode="stack", uniformtext={"minsize": 9, "mode": "hide"})
    fig.update_xaxes(title=None, rangemode="tozero", separatethousands=True)
    _row_layout(fig, d, t("volume.categories_chart", lang))
    data = d[["bureau", "year", "category", "value", "raw", "total", "share", "report_id"]].assign(
        share=lambda x: x["share"].round(4),
    ).rename(columns={
        "bureau": t("col.bureau", lang), "year": t("col.year", lang), "category": t("col.category", lang),
        "value": t("col.value", lang), "raw": t("col.raw", lang), "total": t("col.total", lang),
        "share": t("col.share", lang), "report_id": t("col.report_id", lang),
    })
    return Chart(fig, data, _any_sample(d))


# --- channels: trend of channel groups ------------------------------------------------------

GROUP_COLORS = {"new_media": "#e8590c", "website": "#1971c2", "print": "#5c940d", "other": "#868e96"}


def channel_trend(df: pd.DataFrame, lang: str) -> Chart:
    """Lines of each channel group's share of all channel items per year (new media, websites, print)."""
    fig = go.Figure()
    years = _year_axis(df["year"])
    for group in [g for g in GROUP_COLORS if g in set(df["group"])]:
        part = df[df["group"] == group]
        fig.add_scatter(
            x=_years(part["year"]), y=part["share"] * 100, name=label("cgroup", group, lang), mode="lines+markers",
            line={"color": GROUP_COLORS[group], "width": 3, "dash": "dot" if group == "other" else "solid"},
            marker={"size": 9}, customdata=list(zip(part["items"], part["reports"], strict=True)),
            hovertemplate="%{fullData.name}<br>%{x}: %{y:.1f}% (%{customdata[0]:,.0f} / "
                          + t("channels.n_reports", lang) + " %{customdata[1]})<extra></extra>",
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, title=t("col.year", lang))
    fig.update_yaxes(range=[0, 100], ticksuffix="%", title=None)
    _layout(fig, t("channels.trend_chart", lang))
    data = df.assign(group=lambda x: [label("cgroup", g, lang) for g in x["group"]],
                     share=lambda x: x["share"].round(4))[["year", "group", "items", "total", "share", "reports"]]
    data = data.rename(columns={"year": t("col.year", lang), "group": t("col.channel_group", lang),
                                "items": t("col.value", lang), "total": t("col.total", lang),
                                "share": t("col.share", lang), "reports": t("col.reports", lang)})
    return Chart(fig, data, _any_sample(df))


# --- applications: applicant types and the flow of applications ---------------------------------

APPLICANT_COLORS = dict(zip(APPLICANTS, ("#4263eb", "#f08c00", "#0ca678", "#ae3ec9", "#e03131", "#868e96"),
                            strict=True))


def applicants(df: pd.DataFrame, style: BureauStyle, lang: str) -> Chart:
    """Stacked bars of new applications by applicant type (table 3, row R01), one bar per bureau and year."""
    d = _sorted_bureau_years(style.labelled(df))
    fig = go.Figure()
    _row_frame(fig, d)
    for applicant in APPLICANTS:
        part = d[(d["applicant"] == applicant) & d["value"].notna()]
        if part.empty:
            continue
        fig.add_bar(y=_rows(part), x=part["value"], orientation="h", name=label("t3col", applicant, lang),
                    marker_color=APPLICANT_COLORS[applicant],
                    hovertemplate="%{y}<br>%{fullData.name}: %{x:,.0f}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=None, rangemode="tozero")
    _row_layout(fig, d, t("applications.applicants_chart", lang))
    data = d[["bureau", "year", "applicant", "value", "raw", "value_kind"]].assign(
        applicant=lambda x: [label("t3col", a, lang) for a in x["applicant"]],
        value_kind=lambda x: [label("kind", k, lang) for k in x["value_kind"]],
    ).rename(columns={"bureau": t("col.bureau", lang), "year": t("col.year", lang),
                      "applicant": t("col.applicant", lang), "value": t("col.count", lang),
                      "raw": t("col.raw", lang), "value_kind": t("col.value_kind", lang)})
    return Chart(fig, data, _any_sample(d))


FLOW_COLORS = {"new": "#74c0fc", "carried_over": "#a5d8ff", "received": "#495057",
               "carried_forward": "#ced4da", **OUTCOME_COLORS}


def _flow_label(key: str, lang: str) -> str:
    if key.startswith("R"):
        return label("reason", key, lang)
    return label("flow", key, lang) if key in ("received",) else label("outcome", key, lang)


def flow(links: pd.DataFrame, lang: str, n_reports: int, sample: bool) -> Chart:
    """Sankey of applications from received (new and carried over) to outcomes and refusal reasons."""
    nodes = list(dict.fromkeys([*links["source"], *links["target"]]))
    index = {k: i for i, k in enumerate(nodes)}
    names = [_flow_label(k, lang) for k in nodes]
    totals = {k: max(links.loc[links["target"] == k, "value"].sum(), links.loc[links["source"] == k, "value"].sum())
              for k in nodes}
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": [f"{n} {totals[k]:,.0f}" for n, k in zip(names, nodes, strict=True)], "pad": 14,
              "thickness": 16, "color": [FLOW_COLORS.get(k, OUTCOME_COLORS["refused"]) for k in nodes]},
        link={"source": [index[s] for s in links["source"]], "target": [index[x] for x in links["target"]],
              "value": list(links["value"]), "color": "rgba(134,142,150,0.25)",
              "hovertemplate": "%{source.label} → %{target.label}: %{value:,.0f}<extra></extra>"},
    ))
    _layout(fig, t("applications.flow_chart", lang, n=n_reports), height=520, legend=False)
    data = links.assign(source=[_flow_label(k, lang) for k in links["source"]],
                        target=[_flow_label(k, lang) for k in links["target"]]).rename(columns={
        "source": t("col.from", lang), "target": t("col.to", lang), "value": t("col.count", lang)})
    return Chart(fig, data, sample)


# --- problems: recurring themes -------------------------------------------------------------

def recurring(df: pd.DataFrame, style: BureauStyle, lang: str) -> Chart:
    """Timeline per bureau and theme: years the problem was admitted (●, joined when consecutive) and
    years measures were promised (◇)."""
    d = style.labelled(df).reset_index(drop=True)
    rows = [f"{b} · {label('theme', th, lang)}" for b, th in zip(d["bureau"], d["theme"], strict=True)]
    all_years = sorted({y for ys in [*d["problem_years"], *d["measure_years"]] for y in ys})
    fig = go.Figure()
    seen: set[str] = set()
    for row, rec in zip(rows, d.itertuples(), strict=True):
        colour = style.color(rec.bureau_id)
        xs: list[float | None] = []
        for i, y in enumerate(rec.problem_years):
            if i and y != rec.problem_years[i - 1] + 1:
                xs.append(None)
            xs.append(y)
        fig.add_scatter(x=xs, y=[row] * len(xs), mode="lines+markers", name=t("problems.admitted", lang),
                        legendgroup="problem", showlegend="problem" not in seen,
                        line={"color": colour, "width": 5 if rec.recurring else 1},
                        marker={"size": 14, "color": colour, "symbol": "circle"},
                        hovertemplate=row + "<br>%{x}: " + t("problems.admitted", lang) + "<extra></extra>")
        seen.add("problem")
        if rec.measure_years:
            notes = [label("followup", rec.follow_up.get(y), lang) for y in rec.measure_years]
            fig.add_scatter(x=[y + 0.18 for y in rec.measure_years], y=[row] * len(rec.measure_years), mode="markers",
                            name=t("problems.promised", lang), legendgroup="measure",
                            showlegend="measure" not in seen, customdata=notes,
                            marker={"size": 11, "color": "white", "symbol": "diamond",
                                    "line": {"color": colour, "width": 2}},
                            hovertemplate=row + "<br>%{x:.0f}: " + t("problems.promised", lang)
                                          + " → %{customdata}<extra></extra>")
            seen.add("measure")
    fig.update_xaxes(tickvals=all_years, ticktext=[str(y) for y in all_years], title=t("col.year", lang),
                     range=[min(all_years, default=0) - 0.5, max(all_years, default=0) + 0.7])
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=rows, autorange="reversed", title=None)
    _layout(fig, t("problems.recurring_chart", lang), height=170 + 32 * len(rows))
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "xanchor": "left"},
                      margin={"t": 90})
    data = _recurring_data(d, lang)
    return Chart(fig, data, _any_sample(d))


def _years_text(years: list[int]) -> str:
    return "、".join(str(y) for y in years)


def _recurring_data(d: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("col.bureau", lang): d["bureau"],
        t("col.theme", lang): [label("theme", th, lang) for th in d["theme"]],
        t("col.problem_years", lang): [_years_text(ys) for ys in d["problem_years"]],
        t("col.recurring", lang): [t("problems.recurring_mark", lang, n=r) if rec else ""
                                   for r, rec in zip(d["run"], d["recurring"], strict=True)],
        t("col.measure_years", lang): [_years_text(ys) for ys in d["measure_years"]],
        t("col.follow_up", lang): ["；".join(f"{y}→{y + 1}：{label('followup', s, lang)}" for y, s in f.items())
                                   for f in d["follow_up"]],
    })


def recurring_table(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """The table under the recurring-problems chart, one row per bureau and theme."""
    return _recurring_data(style.labelled(df).reset_index(drop=True), lang)


# --- compare --------------------------------------------------------------------------------

def _measure_value(v: object, measure: str) -> float | None:
    if pd.isna(v):  # type: ignore[arg-type]
        return None
    return float(v) * 100 if measure in RATE_MEASURES else float(v)  # type: ignore[arg-type]


def small_multiples(df: pd.DataFrame, style: BureauStyle, lang: str, measures: list[str]) -> Chart:
    """One panel per measure, years across, a line per bureau in its colour; marks for missing figures."""
    from plotly.subplots import make_subplots

    d = _with_marks(style.labelled(df))
    cols = 3
    n_rows = max(1, -(-len(measures) // cols))
    titles = [label("measure", m, lang) for m in measures]
    fig = make_subplots(rows=n_rows, cols=cols, subplot_titles=titles, vertical_spacing=0.42 / n_rows,
                        horizontal_spacing=0.07)
    years = _year_axis(d["year"])
    bureaus = sorted(d["bureau_id"].unique(), key=lambda b: style.label(b))
    for i, measure in enumerate(measures):
        r, c = i // cols + 1, i % cols + 1
        part_m = d[d["measure"] == measure]
        for bid in bureaus:
            part = part_m[part_m["bureau_id"] == bid]
            if part.empty:
                continue
            ys = [_measure_value(v, measure) for v in part["value"]]
            shown = [fmt_value(v, k, corrected=cr, rate=measure in RATE_MEASURES)
                     for v, k, cr in zip(part["value"], part["value_kind"], part["corrected"], strict=True)]
            fig.add_scatter(x=_years(part["year"]), y=ys, mode="lines+markers", name=style.label(bid),
                            legendgroup=bid, showlegend=i == 0, connectgaps=True,
                            line={"color": style.color(bid), "width": 2}, marker={"size": 7}, customdata=shown,
                            hovertemplate="%{fullData.name}<br>%{x}: %{customdata}<extra></extra>", row=r, col=c)
            gaps = [j for j, y in enumerate(ys) if y is None]
            if gaps:
                fig.add_scatter(x=[_years(part["year"])[j] for j in gaps], y=[0] * len(gaps), mode="text",
                                text=[shown[j] for j in gaps], textfont={"color": style.color(bid), "size": 14},
                                showlegend=False, legendgroup=bid, hoverinfo="skip", row=r, col=c)
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, row=r, col=c)
        fig.update_yaxes(rangemode="tozero", ticksuffix="%" if measure in RATE_MEASURES else "", row=r, col=c)
    _layout(fig, t("compare.multiples_chart", lang), height=120 + 260 * n_rows)
    fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0 + 0.12 / n_rows, "x": 0,
                              "xanchor": "left"}, margin={"t": 140})
    fig.update_annotations(font={"size": 13})
    data = _measure_data(d, lang)
    return Chart(fig, data, _any_sample(d))


def _measure_data(d: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = pd.DataFrame({
        t("col.bureau", lang): d["bureau"], t("col.year", lang): d["year"],
        t("col.measure", lang): [label("measure", m, lang) for m in d["measure"]],
        t("col.value", lang): [round(float(v), 4) if pd.notna(v) else None for v in d["value"]],
        t("col.shown_as", lang): [fmt_value(v, k, corrected=c, rate=m in RATE_MEASURES) for v, k, c, m in
                                  zip(d["value"], d["value_kind"], d["corrected"], d["measure"], strict=True)],
    })
    if "percentile" in d:
        out[t("col.percentile", lang)] = [round(p, 1) if pd.notna(p) else None for p in d["percentile"]]
        out[t("col.n_peers", lang)] = d["n_peers"]
    return out


def percentile_dots(df: pd.DataFrame, style: BureauStyle, lang: str, measures: list[str], year: int) -> Chart:
    """Each bureau's percentile among peers of its kind and level, one row per measure (0–100)."""
    d = _with_marks(style.labelled(df))
    rows = [label("measure", m, lang) for m in measures]
    fig = go.Figure()
    for bid in sorted(d["bureau_id"].unique(), key=lambda b: style.label(b)):
        part = d[(d["bureau_id"] == bid) & d["measure"].isin(measures)]
        shown = [fmt_value(v, k, corrected=c, rate=m in RATE_MEASURES) for v, k, c, m in
                 zip(part["value"], part["value_kind"], part["corrected"], part["measure"], strict=True)]
        fig.add_scatter(
            x=part["percentile"], y=[label("measure", m, lang) for m in part["measure"]], mode="markers",
            name=style.label(bid),
            marker={"size": 15, "color": style.color(bid), "line": {"color": "white", "width": 1}},
            customdata=list(zip(shown, part["n_peers"], strict=True)),
            hovertemplate="%{fullData.name}<br>%{y}: %{customdata[0]}<br>P%{x:.0f} (n=%{customdata[1]})<extra></extra>",
        )
    fig.add_vline(x=50, line={"color": "#adb5bd", "dash": "dash", "width": 1})
    fig.update_xaxes(range=[-3, 103], title=t("col.percentile", lang), dtick=25)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=rows, autorange="reversed", title=None)
    _layout(fig, t("compare.percentile_chart", lang, year=year), height=160 + 40 * len(rows))
    data = _measure_data(d[d["measure"].isin(measures)], lang)
    return Chart(fig, data, _any_sample(d))
