"""The simplest alternative to the dashboard's SQL: pandas over CSV files of the extracted data.

``export_csv(db, folder)`` writes what a user would have extracted: ``facts.csv`` (every fact with
its report's year, era and bureau columns), ``problems.csv`` and ``issues.csv``. ``load(folder)``
reads them with ``pandas.read_csv``; ``PAGES`` maps each dashboard page to a function doing the
same aggregations as its queries in ``app.queries`` with pandas ``groupby``, for a ``Scope``-like
dict (year range, province, city, county, bureaus) and a report id.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl.tables_vocab import OUTCOME_GROUPS

BUREAU_COLUMNS = ["bureau_id", "bureau_name", "province", "city", "county"]
Frames = dict[str, pd.DataFrame]


def export_csv(db: Path, folder: Path) -> dict[str, int]:
    """Write facts.csv, problems.csv and issues.csv from a report database; gives their sizes in bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    queries = {
        "facts": """
            SELECT f.report_id, r.year, r.bureau_id, b.name AS bureau_name, b.province, b.city, b.county,
                   b.kind, b.level, r.era, r.template_version, r.is_sample, f.fact_id, f.metric, f.dimension,
                   f.value, f.value_kind, f.raw, f.qualifier, f.headline, f.tbl, f.row_id, f.column_name,
                   f.evidence
            FROM facts f JOIN reports r USING (report_id) LEFT JOIN bureaus b USING (bureau_id)
            ORDER BY f.fact_id""",
        "problems": """
            SELECT p.report_id, r.year, r.bureau_id, b.name AS bureau_name, b.province, b.city, b.county,
                   b.kind AS bureau_kind, b.level, r.is_sample, p.kind, p.theme, p.sentence, p.start_offset
            FROM problems p JOIN reports r USING (report_id) LEFT JOIN bureaus b USING (bureau_id)""",
        "issues": "SELECT report_id, rule, severity, message FROM validation_issues",
    }
    sizes = {}
    with duckdb.connect(str(db), read_only=True) as con:
        con.execute("SET enable_progress_bar = false")
        for name, sql in queries.items():
            path = folder / f"{name}.csv"
            con.execute(f"COPY ({sql}) TO '{path}' (HEADER, DELIMITER ',')")
            sizes[name] = path.stat().st_size
    return sizes


def load(folder: Path) -> Frames:
    return {name: pd.read_csv(folder / f"{name}.csv") for name in ("facts", "problems", "issues")}


def _in_scope(df: pd.DataFrame, scope: dict[str, Any]) -> pd.DataFrame:
    mask = df["year"].notna()
    if scope.get("year_from") is not None:
        mask &= df["year"] >= scope["year_from"]
    if scope.get("year_to") is not None:
        mask &= df["year"] <= scope["year_to"]
    for key in ("province", "city", "county", "kind", "level"):
        column = "bureau_kind" if key == "kind" and "bureau_kind" in df else key
        if scope.get(key) is not None:
            mask &= df[column] == scope[key]
    if scope.get("bureaus"):
        mask &= df["bureau_id"].isin(scope["bureaus"])
    return df[mask]


def _reports(facts: pd.DataFrame) -> pd.DataFrame:
    cols = ["report_id", "year", *BUREAU_COLUMNS, "era", "template_version", "is_sample"]
    return facts.drop_duplicates("report_id")[cols]


def _chosen(facts: pd.DataFrame) -> pd.DataFrame:
    """One report per bureau and year: template first, then the most headline facts."""
    reports = _reports(facts)
    n = facts[facts["headline"]].groupby("report_id").size().rename("n")
    reports = reports.join(n, on="report_id").fillna({"n": 0})
    reports["is_template"] = reports["era"] == "template"
    reports = reports.sort_values(["bureau_id", "year", "is_template", "n", "report_id"],
                                  ascending=[True, True, False, False, True])
    return reports.drop_duplicates(["bureau_id", "year"])


def sidebar(d: Frames, scope: dict[str, Any], report_id: str) -> list[Any]:
    facts = d["facts"]
    options = facts.groupby(["bureau_id", "bureau_name", "province", "city", "county", "level", "kind"],
                            dropna=False).agg(first_year=("year", "min"), last_year=("year", "max"),
                                              n_reports=("report_id", "nunique")).reset_index()
    return [options.sort_values(["province", "city", "county", "bureau_name"]),
            (facts["year"].min(), facts["year"].max())]


def overview(d: Frames, scope: dict[str, Any], report_id: str) -> list[Any]:
    facts = _in_scope(d["facts"], scope)
    reports = _reports(facts)
    issues = d["issues"].groupby("report_id").size().rename("n_issues")
    reports = reports.join(issues, on="report_id").fillna({"n_issues": 0})
    counts = {"reports": len(reports), "bureaus": reports["bureau_id"].nunique(),
              "years": reports["year"].nunique(), "sample_reports": int(reports["is_sample"].sum()),
              "issues": int(reports["n_issues"].sum())}
    reports["is_template"] = reports["era"] == "template"
    grid = reports.groupby(["bureau_id", "bureau_name", "province", "city", "county", "year"], dropna=False).agg(
        n_reports=("report_id", "size"), is_template=("is_template", "any"), n_issues=("n_issues", "sum"),
        template=("template_version", "first")).reset_index()
    return [counts, grid.sort_values(["bureau_name", "bureau_id", "year"])]


def _headline(facts: pd.DataFrame, chosen: pd.DataFrame, metric: str) -> pd.DataFrame:
    vals = facts[facts["headline"] & (facts["metric"] == metric) & facts["report_id"].isin(chosen["report_id"])]
    vals = vals[["bureau_id", "bureau_name", "year", "report_id", "is_sample", "value", "raw", "qualifier",
                 "value_kind", "evidence"]].sort_values(["bureau_id", "year"])
    prev = vals.groupby("bureau_id")[["year", "value"]].shift()
    consecutive = prev["year"] == vals["year"] - 1
    vals["previous"] = prev["value"].where(consecutive)
    vals["change_abs"] = vals["value"] - vals["previous"]
    vals["change_pct"] = (vals["change_abs"] / vals["previous"].where(vals["previous"] != 0) * 100)
    return vals.sort_values(["bureau_name", "bureau_id", "year"])


def volume(d: Frames, scope: dict[str, Any], report_id: str) -> list[Any]:
    facts = _in_scope(d["facts"], scope)
    return [_headline(facts, _chosen(facts), "proactive_total")]


def channels(d: Frames, scope: dict[str, Any], report_id: str) -> list[Any]:
    facts = _in_scope(d["facts"], scope)
    chosen = _chosen(facts)
    ch = facts[facts["headline"] & (facts["metric"] == "channel") & facts["value"].notna()
               & facts["dimension"].notna() & facts["report_id"].isin(chosen["report_id"])]
    vals = ch.groupby(["bureau_id", "bureau_name", "year", "report_id", "is_sample", "dimension"],
                      dropna=False)["value"].sum().reset_index()
    total = vals.groupby("report_id")["value"].transform("sum")
    vals = vals[total > 0].assign(share=vals["value"] / total)
    return [vals.sort_values(["bureau_name", "bureau_id", "year", "dimension"])]


def applications(d: Frames, scope: dict[str, Any], report_id: str) -> list[Any]:
    facts = _in_scope(d["facts"], scope)
    chosen = _chosen(facts)
    received = _headline(facts, chosen, "applications_received")
    keys = ["bureau_id", "bureau_name", "year", "report_id", "is_sample"]
    cells = facts[(facts["tbl"] == 3) & (facts["column_name"] == "总计") & facts["report_id"].isin(chosen["report_id"])]
    group_of = {row: g for g, rows in OUTCOME_GROUPS.items() for row in rows}
    grouped = cells[cells["row_id"].isin(group_of)].assign(outcome=lambda x: x["row_id"].map(group_of))
    outcomes = grouped.groupby([*keys, "outcome"], dropna=False)["value"].sum(min_count=1).reset_index()
    names = {"R01": "new", "R02": "carried_over", "R24": "total", "R25": "carried_forward"}
    carry = (cells[cells["row_id"].isin(names)].pivot_table(index=keys, columns="row_id", values="value",
                                                            aggfunc="first").rename(columns=names).reset_index())
    t4 = facts[(facts["tbl"] == 4) & facts["report_id"].isin(chosen["report_id"])]
    t4 = t4.pivot_table(index=["report_id", "row_id"], columns="column_name", values="value",
                        aggfunc="first").reset_index()
    heads = facts[facts["headline"] & facts["metric"].isin(["reconsideration", "litigation"])]
    heads = heads.pivot_table(index="report_id", columns="metric", values="value", aggfunc="first")
    appeals = chosen[keys].merge(heads, on="report_id", how="left").merge(t4, on="report_id", how="left")
    concluded = appeals[["维持", "纠正", "其他"]].fillna(0).sum(axis=1) if "维持" in appeals else None
    if concluded is not None:
        appeals["correction_rate"] = appeals["纠正"].fillna(0) / concluded.where(concluded > 0)
    totals = appeals.drop_duplicates("report_id").melt(
        id_vars=keys, value_vars=[c for c in ("reconsideration", "litigation") if c in appeals],
        var_name="metric", value_name="value").dropna(subset=["value"])
    new = facts[(facts["tbl"] == 3) & (facts["row_id"] == "R01") & (facts["column_name"] != "总计")
                & facts["report_id"].isin(chosen["report_id"])]
    applicants = new[[*keys, "column_name", "value", "value_kind", "raw"]].sort_values(["bureau_name", "year"])
    return [received, outcomes, carry, appeals, totals, applicants]


def problems(d: Frames, scope: dict[str, Any], report_id: str) -> list[Any]:
    p = _in_scope(d["problems"], scope)
    heat = p[p["kind"] == "problem"].groupby(["theme", "year"]).agg(
        n_reports=("report_id", "nunique"), is_sample=("is_sample", "any")).reset_index()
    themes = sorted(p["theme"].unique())
    sentences = p.sort_values(["bureau_name", "year", "kind", "start_offset", "sentence"],
                              ascending=[True, True, False, True, True])
    return [heat, themes, sentences]


def sources(d: Frames, scope: dict[str, Any], report_id: str) -> list[Any]:
    facts = _in_scope(d["facts"], scope)
    issues = d["issues"]
    reports = _reports(facts).join(issues.groupby("report_id").size().rename("n_issues"), on="report_id")
    reports = reports.fillna({"n_issues": 0}).sort_values(["bureau_name", "year", "report_id"])
    one = d["facts"][d["facts"]["report_id"] == report_id]
    return [reports, one.head(1), issues[issues["report_id"] == report_id],
            one[one["headline"]], one[one["tbl"].notna()].sort_values(["tbl", "fact_id"])]


PAGES: dict[str, Callable[[Frames, dict[str, Any], str], list[Any]]] = {
    "sidebar": sidebar, "overview": overview, "volume": volume, "channels": channels,
    "applications": applications, "problems": problems, "sources": sources,
}
