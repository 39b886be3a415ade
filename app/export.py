"""Tables as the pages show them, and CSV files of them.

Takes the DataFrames of ``app.queries``, a ``BureauStyle`` and a language; gives DataFrames with
translated headers and vocabulary, numbers formatted where a bare number would mislead (a
change or a rate over nothing is "—", never 0 % or 100 %), and ``csv_bytes(df)``: UTF-8 with a
byte-order mark so that Excel on Chinese Windows opens it correctly.
"""

from __future__ import annotations

import math

import pandas as pd

from app.charts import BureauStyle
from app.i18n import label, t
from app.queries import T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_ROWS

KIND_MARK = {"number": None, "zero": None, "blank": "□", "slash": "/", "dash": "—", "text": None}


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with a BOM, without the index."""
    return df.to_csv(index=False).encode("utf-8-sig")


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def fmt_number(x: object, *, signed: bool = False) -> str:
    """A count without decimals when whole ("—" when missing)."""
    if _missing(x):
        return "—"
    v = float(x)  # type: ignore[arg-type]
    text = f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"
    return ("+" + text) if signed and v > 0 else text


def fmt_pct(x: object, *, signed: bool = False, ratio: bool = False) -> str:
    """A percentage with one decimal ("—" when missing); ``ratio`` means x is a fraction."""
    if _missing(x):
        return "—"
    v = float(x) * (100 if ratio else 1)  # type: ignore[arg-type]
    return ("+" if signed and v > 0 else "") + f"{v:.1f}%"


def _rename(df: pd.DataFrame, cols: dict[str, str], lang: str) -> pd.DataFrame:
    out = df[list(cols)].rename(columns={c: t(k, lang) for c, k in cols.items()})
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].fillna("")
    return out


def yoy(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """Headline values with the year-over-year change, absolute and in %."""
    d = style.labelled(df).assign(
        value=lambda x: [fmt_number(v) for v in x["value"]],
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
    for c in ("new", "carried_over", "total", "carried_forward"):
        d[c] = [fmt_number(v) for v in d[c]]
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
    for c in ("upheld", "corrected", "other", "pending", "total"):
        d[c] = [fmt_number(v) for v in d[c]]
    return _rename(d, {"bureau": "col.bureau", "year": "col.year", "t4_row": "col.group", "upheld": "t4col.维持",
                       "corrected": "t4col.纠正", "other": "t4col.其他", "pending": "t4col.尚未审结",
                       "total": "t4col.总计", "correction_rate": "col.rate"}, lang)


def coverage(df: pd.DataFrame, style: BureauStyle, lang: str) -> pd.DataFrame:
    """One row per bureau and year with a report, for the overview's table under the grid."""
    d = style.labelled(df).assign(
        year=lambda x: x["year"].astype(str),
        template=lambda x: [v if tmpl else t("overview.free_text", lang)
                            for v, tmpl in zip(x["template"], x["is_template"], strict=True)],
    )
    return _rename(d, {"bureau": "col.bureau", "province": "col.province", "city": "col.city",
                       "county": "col.county", "year": "col.year", "n_reports": "col.reports",
                       "template": "col.template_version", "n_issues": "col.issues"}, lang)


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
        value=lambda x: [fmt_number(v) if k in ("number", "zero") else "" for v, k in
                         zip(x["value"], x["value_kind"], strict=True)],
        qualifier=lambda x: [label("qualifier", q, lang) if isinstance(q, str) else "" for q in x["qualifier"]],
        value_kind=lambda x: [label("kind", k, lang) for k in x["value_kind"]],
        raw=lambda x: [r if isinstance(r, str) else "" for r in x["raw"]],
        unit=lambda x: [u if isinstance(u, str) else "" for u in x["unit"]],
        evidence=lambda x: [e if isinstance(e, str) else "" for e in x["evidence"]],
    )
    return _rename(d, {"metric": "col.metric", "dimension": "col.dimension", "value_kind": "col.value_kind",
                       "value": "col.value", "raw": "col.raw", "unit": "col.unit", "qualifier": "col.qualifier",
                       "evidence": "col.evidence"}, lang)


def _cell_text(raw: object, kind: str) -> str:
    mark = KIND_MARK.get(kind)
    if mark:
        return mark
    return str(raw).strip() if isinstance(raw, str) else ""


def table3(cells: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Table 3 as a grid of cells as written (rows R01–R25 × the seven columns); · where absent."""
    d = cells[cells["tbl"] == 3]
    grid = pd.DataFrame("·", index=list(T3_ROWS), columns=list(T3_COLUMNS))
    for row in d.itertuples():
        if row.row_id in grid.index and row.column_name in grid.columns:
            grid.loc[row.row_id, row.column_name] = _cell_text(row.raw, row.value_kind)
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
            grid.loc[row.row_id, row.column_name] = _cell_text(row.raw, row.value_kind)
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
    ]
    flags = meta.get("flags")
    if flags is not None and len(flags):
        fields.append(("col.flags", "、".join(map(str, flags))))
    return pd.DataFrame({
        t("col.item", lang): [t(k, lang) for k, _ in fields],
        t("col.value", lang): ["" if _missing(v) else str(v) for _, v in fields],
    })
