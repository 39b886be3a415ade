"""Tables as the pages show them, and CSV and XLSX files of them.

Takes the DataFrames of ``app.queries``, a ``BureauStyle`` and a language; gives DataFrames with
translated headers and vocabulary, numbers formatted where a bare number would mislead (a
change or a rate over nothing is "—", never 0 % or 100 %; 0, □ blank, / and ∅ not stated are
told apart, see ``app.values``), ``csv_bytes(df)``: UTF-8 with a byte-order mark so that Excel
on Chinese Windows opens it correctly, and ``xlsx_bytes(sheets)``: a workbook with a sheet per frame.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from app.charts import BureauStyle
from app.i18n import label, t
from app.queries import MEASURES, RATE_MEASURES, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_ROWS
from app.values import CORRECTED, fmt_number, fmt_pct, fmt_value, is_true
from app.values import missing as _missing

KIND_MARK = {"number": None, "zero": None, "blank": "□", "slash": "/", "dash": "—", "text": None}
__all__ = ["csv_bytes", "fmt_number", "fmt_pct", "fmt_value", "xlsx_bytes"]


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with a BOM, without the index."""
    return df.to_csv(index=False).encode("utf-8-sig")


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name: no []:*?/\\, at most 31 characters."""
    base = _SHEET_BAD.sub("_", name).strip("'") or "Sheet"
    base = base[:31]
    out, i = base, 2
    while taken is not None and out in taken:
        suffix = f"~{i}"
        out, i = base[: 31 - len(suffix)] + suffix, i + 1
    if taken is not None:
        taken.add(out)
    return out


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame] | pd.DataFrame, sheet: str = "data") -> bytes:
    """A workbook with one sheet per frame (a single frame goes on ``sheet``), header row bold and frozen."""
    frames = {sheet: sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    buf = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in frames.items():
            title = sheet_name(name, taken)
            df.to_excel(writer, sheet_name=title, index=False)
            ws = writer.sheets[title]
            ws.freeze_panes = "A2"
            for i, col in enumerate(df.columns, start=1):
                width = max([len(str(col)), *(len(str(v)) for v in df[col].head(200))], default=8)
                ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, max(8, width * 1.6))
    return buf.getvalue()


def _rename(df: pd.DataFrame, cols: dict[str, str], lang: str) -> pd.DataFrame:
    out = df[list(cols)].rename(columns={c: t(k, lang) for c, k in cols.items()})
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].fillna("")
    return out


def _values(df: pd.DataFrame) -> list[str]:
    kinds = df["value_kind"] if "value_kind" in df else [None] * len(df)
    corr = df["corrected"] if "corrected" in df else [False] * len(df)
    return [fmt_value(v, k if k not in ("number", "zero") else None, corrected=c)
            for v, k, c in zip(df["value"], kinds, corr, strict=True)]


def yoy(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """Headline values with the year-over-year change, absolute and in %; marks for missing figures."""
    d = style.labelled(df).assign(
        value=lambda x: _values(x),
        previous=lambda x: [fmt_number(v) for v in x["previous"]],
        change_abs=lambda x: [fmt_number(v, signed=True) for v in x["change_abs"]],
        change_pct=lambda x: [fmt_pct(v, signed=True) for v in x["change_pct"]],
        year=lambda x: x["year"].astype(str),
    )
    return _rename(d, {"bureau": "col.bureau", "year": "col.year", "value": "col.value", "raw": "col.raw",
                       "previous": "col.previous", "change_abs": "col.change_abs",
                       "change_pct": "col.change_pct"}, lang)


def carry(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """Table 3 new, carried over, handled and carried forward per bureau and year."""
    d = style.labelled(df).assign(year=lambda x: x["year"].astype(str))
    fixed = d["corrected"] if "corrected" in d else [[]] * len(d)
    for c in ("new", "carried_over", "total", "carried_forward"):
        d[c] = [fmt_value(v, corrected=c in f) for v, f in zip(d[c], fixed, strict=True)]
    return _rename(d, {"bureau": "col.bureau", "year": "col.year", "new": "outcome.new",
                       "carried_over": "outcome.carried_over", "total": "outcome.total",
                       "carried_forward": "outcome.carried_forward"}, lang)


def appeals(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """Table 4 per bureau, year and row, with the correction rate ("—" over no concluded case)."""
    d = style.labelled(df[df["t4_row"].notna()]).assign(
        year=lambda x: x["year"].astype(str),
        t4_row=lambda x: [label("t4row", r, lang) for r in x["t4_row"]],
        correction_rate=lambda x: [fmt_pct(v, ratio=True) for v in x["correction_rate"]],
    )
    listed = d["corrected_columns"] if "corrected_columns" in d else [None] * len(d)
    fixed = [set(x) if isinstance(x, list | tuple | np.ndarray) else set() for x in listed]
    for c, column in (("upheld", "维持"), ("corrected", "纠正"), ("other", "其他"), ("pending", "尚未审结"),
                      ("total", "总计")):
        d[c] = [fmt_value(v, corrected=column in f) for v, f in zip(d[c], fixed, strict=True)]
    return _rename(d, {"bureau": "col.bureau", "year": "col.year", "t4_row": "col.group", "upheld": "t4col.维持",
                       "corrected": "t4col.纠正", "other": "t4col.其他", "pending": "t4col.尚未审结",
                       "total": "t4col.总计", "correction_rate": "col.rate"}, lang)


def consistency(errors: int, warnings: int, issues: int, lang: str) -> str:
    """A report's validation state in words: consistent, or how many errors and warnings."""
    if errors:
        return t("overview.errors", lang, n=errors)
    if warnings:
        return t("overview.warnings", lang, n=warnings)
    return t("overview.consistent", lang) if not issues else t("overview.notes", lang, n=issues)


def coverage(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """One row per bureau and year with a report, for the overview's table under the grid."""
    d = style.labelled(df).assign(
        year=lambda x: x["year"].astype(str),
        template=lambda x: [v if tmpl else t("overview.free_text", lang)
                            for v, tmpl in zip(x["template"], x["is_template"], strict=True)],
        completeness=lambda x: [fmt_pct(v, ratio=True) for v in x["completeness"]],
        consistency=lambda x: [consistency(e, w, n, lang) for e, w, n in
                               zip(x["n_errors"], x["n_warnings"], x["n_issues"], strict=True)],
    )
    return _rename(d, {"bureau": "col.bureau", "province": "col.province", "city": "col.city",
                       "county": "col.county", "year": "col.year", "n_reports": "col.reports",
                       "template": "col.template_version", "completeness": "col.completeness",
                       "consistency": "col.consistency", "n_issues": "col.issues"}, lang)


def changes(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """The largest changes from the previous year: bureau, metric, year, before, after, change."""
    d = style.labelled(df).assign(
        metric=lambda x: [label("metric", m, lang) for m in x["metric"]],
        year=lambda x: x["year"].astype(str),
        previous=lambda x: [fmt_number(v) for v in x["previous"]],
        value=lambda x: [fmt_number(v) for v in x["value"]],
        change_abs=lambda x: [fmt_number(v, signed=True) for v in x["change_abs"]],
        change_pct=lambda x: [fmt_pct(v, signed=True) for v in x["change_pct"]],
    )
    return _rename(d, {"bureau": "col.bureau", "metric": "col.metric", "year": "col.year",
                       "previous": "col.previous", "value": "col.value", "change_abs": "col.change_abs",
                       "change_pct": "col.change_pct", "report_id": "col.report_id"}, lang)


def ranking(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """A year's ranking: rank, bureau, value as shown (marks for missing figures), as written."""
    d = style.labelled(df).assign(
        rank=lambda x: ["—" if pd.isna(r) else str(int(r)) for r in x["rank"]],
        value=lambda x: _values(x),
        year=lambda x: x["year"].astype(str),
    )
    return _rename(d, {"rank": "col.rank", "bureau": "col.bureau", "year": "col.year", "value": "col.value",
                       "raw": "col.raw", "report_id": "col.report_id"}, lang)


def category_check(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """Per report: stated total, sum of its categories, number of categories, difference."""
    d = style.labelled(df).assign(
        year=lambda x: x["year"].astype(str),
        total=lambda x: [fmt_value(v) for v in x["total"]],
        categories=lambda x: [fmt_number(v) for v in x["categories"]],
        difference=lambda x: ["—" if _missing(v) else fmt_number(v, signed=True) for v in x["difference"]],
    )
    return _rename(d, {"bureau": "col.bureau", "year": "col.year", "total": "col.total",
                       "categories": "col.categories_sum", "n_categories": "col.n_categories",
                       "difference": "col.difference"}, lang)


def compare(df: pd.DataFrame, style: BureauStyle, lang: str, measures: list[str] | tuple[str, ...] = MEASURES
            ) -> pd.DataFrame:
    """Measures as rows, bureaus as columns; each cell the value as shown and its percentile among peers."""
    d = style.labelled(df)
    bureaus = list(dict.fromkeys(d["bureau"]))
    table = pd.DataFrame({t("col.measure", lang): [label("measure", m, lang) for m in measures]})
    for bureau in bureaus:
        part = d[d["bureau"] == bureau].set_index("measure")
        cells = []
        for m in measures:
            if m not in part.index:
                cells.append("")
                continue
            row = part.loc[m]
            text = fmt_value(row["value"], row["value_kind"] if row["value_kind"] not in ("number", "zero", "rate")
                             else None, corrected=row.get("corrected"), rate=m in RATE_MEASURES)
            if "percentile" in part and not _missing(row["percentile"]):
                text += "　" + t("compare.pct_cell", lang, p=f"{row['percentile']:.0f}", n=int(row["n_peers"]))
            cells.append(text)
        table[bureau] = cells
    return table


def sentences(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """Problem and measure sentences with their bureau, year, kind and theme."""
    d = style.labelled(df).assign(
        year=lambda x: x["year"].astype(str),
        kind=lambda x: [label("pkind", k, lang) for k in x["kind"]],
        theme=lambda x: [label("theme", th, lang) for th in x["theme"]],
    )
    return _rename(d, {"bureau": "col.bureau", "year": "col.year", "kind": "col.kind", "theme": "col.theme",
                       "sentence": "col.sentence"}, lang)


def headlines(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A report's headline facts: value, as written, qualifier, marker of how it was filled in, evidence."""
    d = df.assign(
        metric=lambda x: [label("metric", m, lang) for m in x["metric"]],
        dimension=lambda x: [label("channel", c, lang) if isinstance(c, str) else "" for c in x["dimension"]],
        value=lambda x: [(fmt_number(v) + (" " + CORRECTED if is_true(c) else "")) if k in ("number", "zero")
                         else "" for v, k, c in zip(x["value"], x["value_kind"], x["corrected"], strict=True)],
        original=lambda x: [fmt_number(o) if is_true(c) else "" for o, c in
                            zip(x["original_value"], x["corrected"], strict=True)],
        qualifier=lambda x: [label("qualifier", q, lang) if isinstance(q, str) else "" for q in x["qualifier"]],
        value_kind=lambda x: [label("kind", k, lang) for k in x["value_kind"]],
        raw=lambda x: [r if isinstance(r, str) else "" for r in x["raw"]],
        unit=lambda x: [u if isinstance(u, str) else "" for u in x["unit"]],
        evidence=lambda x: [e if isinstance(e, str) else "" for e in x["evidence"]],
    )
    cols = {"metric": "col.metric", "dimension": "col.dimension", "value_kind": "col.value_kind",
            "value": "col.value", "raw": "col.raw", "unit": "col.unit", "qualifier": "col.qualifier",
            "evidence": "col.evidence"}
    if d["corrected"].map(is_true).any():
        cols["original"] = "col.original_value"
    return _rename(d, cols, lang)


def _cell_text(raw: object, kind: str, corrected: object = False, value: object = None) -> str:
    mark = KIND_MARK.get(kind)
    if is_true(corrected):
        return f"{fmt_number(value) if not _missing(value) else '∅'} {CORRECTED}"
    if mark:
        return mark
    return str(raw).strip() if isinstance(raw, str) else ""


def _corr(row: object) -> tuple[object, object]:
    return getattr(row, "corrected", False), getattr(row, "value", None)


def table3(cells: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Table 3 as a grid of cells as written (rows R01–R25 × the seven columns); · where absent."""
    d = cells[cells["tbl"] == 3]
    grid = pd.DataFrame("·", index=list(T3_ROWS), columns=list(T3_COLUMNS))
    for row in d.itertuples():
        if row.row_id in grid.index and row.column_name in grid.columns:
            grid.loc[row.row_id, row.column_name] = _cell_text(row.raw, row.value_kind, *_corr(row))
    grid = grid[[r in set(d["row_id"]) for r in grid.index]]
    grid.columns = [label("t3col", c, lang) for c in grid.columns]
    grid.insert(0, t("col.item", lang), [label("t3", r, lang) for r in grid.index])
    grid.insert(0, t("col.row", lang), grid.index)
    return grid.reset_index(drop=True)


def table4(cells: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Table 4 as a grid of cells as written (three rows × five columns); · where absent."""
    d = cells[cells["tbl"] == 4]
    grid = pd.DataFrame("·", index=list(T4_ROWS), columns=list(T4_COLUMNS))
    for row in d.itertuples():
        if row.row_id in grid.index and row.column_name in grid.columns:
            grid.loc[row.row_id, row.column_name] = _cell_text(row.raw, row.value_kind, *_corr(row))
    grid = grid[[r in set(d["row_id"]) for r in grid.index]]
    grid.columns = [label("t4col", c, lang) for c in grid.columns]
    grid.insert(0, t("col.group", lang), [label("t4row", r, lang) for r in grid.index])
    return grid.reset_index(drop=True)


def table2(cells: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Table 2 cells as a list: row, column, as written, marker, unit."""
    d = cells[cells["tbl"] == 2].assign(
        raw=lambda x: [_cell_text(r, k) for r, k in zip(x["raw"], x["value_kind"], strict=True)],
        value_kind=lambda x: [label("kind", k, lang) for k in x["value_kind"]],
        unit=lambda x: [u if isinstance(u, str) else "" for u in x["unit"]],
    )
    return _rename(d, {"row_id": "col.row", "column_name": "col.column", "raw": "col.raw",
                       "value_kind": "col.value_kind", "unit": "col.unit"}, lang)


def issues(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Validation issues: rule, severity, message, the cells or sentences involved."""
    d = df.assign(
        severity=lambda x: [label("severity", s, lang) for s in x["severity"]],
        refs=lambda x: ["、".join(map(str, r)) if r is not None and len(r) else "" for r in x["refs"]],
    )
    return _rename(d, {"rule": "col.rule", "severity": "col.severity", "message": "col.message",
                       "refs": "col.refs"}, lang)


def _version_text(meta: dict, lang: str) -> str:
    version = meta.get("version")
    if _missing(version):
        return ""
    text = f"v{int(version)}"  # type: ignore[arg-type]
    return text if is_true(meta.get("is_active", True)) else text + t("sources.superseded", lang)


def report_meta(meta: dict, lang: str) -> pd.DataFrame:
    """A report's metadata as two columns: field and value."""
    fields = [
        ("col.report_id", meta.get("report_id")), ("col.bureau", meta.get("bureau_name")),
        ("col.year", meta.get("year")), ("col.title", meta.get("title")),
        ("col.province", meta.get("province")), ("col.city", meta.get("city")), ("col.county", meta.get("county")),
        ("col.era", label("era", meta.get("era"), lang)),
        ("col.template_version", meta.get("template_version")),
        ("col.file_kind", meta.get("file_kind")), ("col.language", meta.get("language")),
        ("col.path", meta.get("path")),
        ("col.sample", "✓" if meta.get("is_sample") else ""),
        ("col.aggregate", "✓" if meta.get("is_aggregate") else ""),
        ("col.year_inferred", "✓" if meta.get("year_inferred") else ""),
        ("col.bureau_kind", label("bkind", meta.get("kind"), lang) if meta.get("kind") else ""),
        ("col.level", label("level", meta.get("level"), lang) if meta.get("level") else ""),
        ("col.version", _version_text(meta, lang)),
    ]
    flags = meta.get("flags")
    if flags is not None and len(flags):
        fields.append(("col.flags", "、".join(map(str, flags))))
    return pd.DataFrame({
        t("col.item", lang): [t(k, lang) for k, _ in fields],
        t("col.value", lang): ["" if _missing(v) else str(v) for _, v in fields],
    })
