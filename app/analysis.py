"""Computations on the query results that the pages show: rankings, trends, flows, recurrences, percentiles.

Takes DataFrames of ``app.queries``; gives DataFrames with plain column names. No Streamlit,
no SQL: every function here is tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from app.queries import NEW_MEDIA, OUTCOME_GROUPS
from etl.model import THEMES

MIN_RANKED = 5
"""Below this many bureaus with a figure, a ranking carries a warning."""
MIN_PEERS = 2
"""A percentile needs at least this many peers with a figure (the bureau itself included)."""

CHANNEL_GROUPS: dict[str, tuple[str, ...]] = {
    "new_media": NEW_MEDIA,
    "website": ("website",),
    "print": ("media", "bulletin_board", "public_access_point"),
}
"""Channel groups of the trend chart; every other channel counts as ``other``."""

FOLLOW_UP = ("recurred", "followed_up", "silent", "no_report")
"""What the next year's report says about a theme for which measures were promised."""


# --- volume ---------------------------------------------------------------------------------

def ranking(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """The bureaus of ``df`` (a ``queries.headline`` result) ranked by their value in ``year``.

    Highest value first; ties share the better rank; bureau-years without a figure (not stated,
    blank, "/") keep no rank and come last. ``n_ranked`` is how many bureaus have a figure.
    """
    d = df[df["year"] == year].copy()
    d["rank"] = d["value"].rank(ascending=False, method="min")
    d["n_ranked"] = int(d["value"].notna().sum())
    return d.sort_values(["rank", "bureau_name", "bureau_id"], na_position="last").reset_index(drop=True)


def ranking_years(df: pd.DataFrame) -> list[int]:
    """Years with at least one figure, latest first."""
    return sorted({int(y) for y in df.loc[df["value"].notna(), "year"]}, reverse=True)


def busiest_year(df: pd.DataFrame) -> int | None:
    """The year with the most bureaus with a figure (the latest of equals), or None."""
    d = df[df["value"].notna()]
    if d.empty:
        return None
    counts = d.groupby("year")["bureau_id"].nunique()
    return int(max(counts.index, key=lambda y: (counts[y], y)))


def category_check(cats: pd.DataFrame) -> pd.DataFrame:
    """Per report: the total it states, the sum of its categories and the difference."""
    keys = ["bureau_id", "bureau_name", "year", "report_id", "is_sample"]
    if cats.empty:
        return pd.DataFrame(columns=[*keys, "total", "categories", "n_categories", "difference"])
    out = cats.groupby(keys, sort=False).agg(total=("total", "first"), categories=("value", "sum"),
                                             n_categories=("category", "count")).reset_index()
    out["difference"] = out["categories"] - out["total"]
    return out


# --- channels -------------------------------------------------------------------------------

def channel_group(channel: str) -> str:
    return next((g for g, members in CHANNEL_GROUPS.items() if channel in members), "other")


def channel_trend(shares: pd.DataFrame) -> pd.DataFrame:
    """Items per channel group and year over the reports in ``shares`` (``queries.channel_shares``).

    ``share`` is the group's items over all channel items of the year's reports; a group a
    report does not list counts 0 for that report. ``reports`` is how many reports list channels.
    """
    cols = ["year", "group", "items", "total", "share", "reports", "is_sample"]
    if shares.empty:
        return pd.DataFrame(columns=cols)
    d = shares.assign(group=[channel_group(c) for c in shares["channel"]])
    per_year = d.groupby("year").agg(total=("value", "sum"), reports=("report_id", "nunique"),
                                     is_sample=("is_sample", "any"))
    groups = [*CHANNEL_GROUPS, "other"]
    grid = pd.MultiIndex.from_product([per_year.index, groups], names=["year", "group"])
    items = d.groupby(["year", "group"])["value"].sum().reindex(grid, fill_value=0).rename("items").reset_index()
    out = items.merge(per_year.reset_index(), on="year")
    out["share"] = out["items"] / out["total"]
    present = set(d["group"])
    out = out[out["group"].isin([g for g in groups if g in present or g != "other"])]
    return out[cols].reset_index(drop=True)


# --- applications ---------------------------------------------------------------------------

REFUSAL_ROWS = OUTCOME_GROUPS["refused"]


def reports_behind(cells: pd.DataFrame) -> int:
    """How many reports stand behind ``queries.table3_cells`` rows (a region's row sums several)."""
    if cells.empty:
        return 0
    return int(cells.drop_duplicates(["bureau_id", "year"])["n_reports"].sum())


def flow(cells: pd.DataFrame) -> pd.DataFrame:
    """Links of the applications Sankey, summed over the reports of ``cells`` (table-3 total column).

    received ← new (R01) + carried over (R02); received → granted, partly granted, refused, unable
    to provide, not handled, other handling, carried forward (R25); refused → each refusal reason
    (R05–R12). Blank and "/" cells add nothing; links of 0 are left out.
    """
    sums = cells.groupby("row_id")["value"].sum(min_count=1) if len(cells) else pd.Series(dtype=float)

    def total(rows: Iterable[str]) -> float:
        vals = [sums.get(r) for r in rows]
        vals = [float(v) for v in vals if v is not None and not pd.isna(v)]
        return sum(vals) if vals else 0.0

    links = [("new", "received", total(["R01"])), ("carried_over", "received", total(["R02"]))]
    links += [("received", group, total(rows)) for group, rows in OUTCOME_GROUPS.items()]
    links.append(("received", "carried_forward", total(["R25"])))
    links += [("refused", row, total([row])) for row in REFUSAL_ROWS]
    out = pd.DataFrame(links, columns=["source", "target", "value"])
    return out[out["value"] > 0].reset_index(drop=True)


# --- problems -------------------------------------------------------------------------------

def longest_run(years: Iterable[int]) -> int:
    """The length of the longest run of consecutive years."""
    ys = sorted(set(years))
    best = run = 0
    for i, y in enumerate(ys):
        run = run + 1 if i and y == ys[i - 1] + 1 else 1
        best = max(best, run)
    return best


def recurring(sentences: pd.DataFrame, report_years: pd.DataFrame) -> pd.DataFrame:
    """Per bureau and theme admitted as a problem: in which years, whether it recurs, what came of promises.

    ``sentences`` is ``queries.problem_sentences``; ``report_years`` is ``queries.report_years``.
    A theme is ``recurring`` when it is admitted in two or more consecutive calendar years.
    For every year with measures (promises) of the theme, ``follow_up`` says what the next
    year's report shows: ``recurred`` (the problem is admitted again), ``followed_up`` (it
    reports measures of the theme and does not admit it again), ``silent`` (neither) or
    ``no_report`` (no report for that year). Recurring themes come first.
    """
    cols = ["bureau_id", "bureau_name", "theme", "problem_years", "run", "recurring", "measure_years",
            "follow_up", "is_sample"]
    if sentences.empty:
        return pd.DataFrame(columns=cols)
    have = report_years.groupby("bureau_id")["year"].agg(lambda s: {int(y) for y in s}).to_dict()
    rows = []
    for (bid, theme), g in sentences.groupby(["bureau_id", "theme"], sort=False):
        problems = sorted({int(y) for y in g.loc[g["kind"] == "problem", "year"]})
        if not problems:
            continue
        measures = sorted({int(y) for y in g.loc[g["kind"] == "measure", "year"]})
        follow = {}
        for y in measures:
            if y + 1 not in have.get(bid, set()):
                follow[y] = "no_report"
            elif y + 1 in problems:
                follow[y] = "recurred"
            elif y + 1 in measures:
                follow[y] = "followed_up"
            else:
                follow[y] = "silent"
        run = longest_run(problems)
        rows.append({"bureau_id": bid, "bureau_name": g["bureau_name"].iloc[0], "theme": theme,
                     "problem_years": problems, "run": run, "recurring": run >= 2, "measure_years": measures,
                     "follow_up": follow, "is_sample": bool(g["is_sample"].any())})
    out = pd.DataFrame(rows, columns=cols)
    order = {th: i for i, th in enumerate(THEMES)}
    out["_t"] = out["theme"].map(order).fillna(len(order))
    out = out.sort_values(["recurring", "run", "bureau_name", "_t"], ascending=[False, False, True, True])
    return out.drop(columns="_t").reset_index(drop=True)


# --- compare --------------------------------------------------------------------------------

def default_peers(bureaus: pd.DataFrame, n: int = 3) -> list[str]:
    """Bureaus to compare when none are chosen: the ``n`` with the most reports among the largest group
    of one kind and level (``bureaus`` as ``queries.bureau_options``)."""
    if bureaus.empty:
        return []
    d = bureaus.assign(kind=bureaus["kind"].fillna(""), level=bureaus["level"].fillna(""))
    sizes = d.groupby(["kind", "level"])["bureau_id"].transform("size")
    d = d.assign(_size=sizes).sort_values(["_size", "kind", "level", "n_reports", "bureau_id"],
                                          ascending=[False, True, True, False, True])
    top = d[(d["kind"] == d["kind"].iloc[0]) & (d["level"] == d["level"].iloc[0])]
    return list(top["bureau_id"].head(n))


def common_year(measures: pd.DataFrame) -> int | None:
    """The year for which the most of the compared bureaus have a report (the latest of equals)."""
    if measures.empty:
        return None
    counts = measures.groupby("year")["bureau_id"].nunique()
    return int(max(counts.index, key=lambda y: (counts[y], y)))


def percentiles(own: pd.DataFrame, peers: pd.DataFrame) -> pd.DataFrame:
    """``own`` (``queries.measures`` rows of one year) with each value's percentile among its peers.

    Peers are the rows of ``peers`` with the same bureau kind, level, year and measure (the
    bureau itself included). ``percentile`` = 100 × (peers below + half the peers equal) / peers
    with a figure; NaN without a figure of its own or with fewer than ``MIN_PEERS`` peers.
    ``n_peers`` counts the peers with a figure.
    """
    out = own.copy()
    pct, count = [], []
    valid = peers[peers["value"].notna()]
    groups = {k: g["value"].to_numpy() for k, g in valid.groupby(["kind", "level", "year", "measure"])}
    for row in out.itertuples():
        vals = groups.get((row.kind, row.level, row.year, row.measure))
        n = 0 if vals is None else len(vals)
        count.append(n)
        if vals is None or pd.isna(row.value) or n < MIN_PEERS:
            pct.append(float("nan"))
            continue
        below = float((vals < row.value).sum())
        equal = float((vals == row.value).sum())
        pct.append(100 * (below + 0.5 * equal) / n)
    out["percentile"] = pct
    out["n_peers"] = count
    return out
