"""Template tables 2–4 of a 政府信息公开工作年度报告, read from the report's normalized text.

Takes the text as readers and normalization give it: table rows with cells joined by `` | ``,
tabs, U+3000 or spaces, one cell per line, or PDF text whose labels wrap around their numbers.
Gives ``TemplateTables``: the template version ("2019" trial or "2021"), one ``Fact`` per cell
(``table``/``row``/``column`` named as in ``shared/tools/score_cells.py``, ``raw`` as written,
``evidence`` the row's lines with ``start``/``end`` their offsets in the text) and a one-line
note for anything it could not place. Tables are found by labels and structure:

1. ``tables_cells`` splits the text into lines of label cells and value cells;
2. table 3 starts at its R01 row (``tables_t3.find_start``); table 2 is read before it;
3. the version comes from table 2's headers and rows, else from table 3's （六）其他处理 rows;
4. table 3's rows are placed by label in the template's order; table 4 is read after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from etl.model import Fact
from etl.tables_cells import Cell, Line, read_value, split_lines
from etl.tables_t2 import Table2, columns_for, parse_table2, row_name
from etl.tables_t3 import Table3, find_start, parse_table3
from etl.tables_t4 import parse_table4
from etl.tables_vocab import T2_DEFAULT, T2_ROW_NAME, T3_COLUMNS, T3_ORDER_2019, T3_ORDER_2021

__all__ = ["TemplateTables", "parse_tables"]


@dataclass
class TemplateTables:
    version: str | None = None  # "2019", "2021", or None without template tables
    cells: list[Fact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_tables(text: str) -> TemplateTables:
    """Read every template-table cell of a report; see the module docstring."""
    lines = split_lines(text)
    out = TemplateTables()
    t3_start = find_start(lines)
    t2 = parse_table2(lines, 0, len(lines) if t3_start is None else t3_start)
    t3 = parse_table3(lines, t3_start, text, t2.version) if t3_start is not None else None
    v3 = t3.version if t3 else None
    if t2.version and v3 and v3 != t2.version:
        out.notes.append(f"version: table 2 reads as {t2.version}, table 3 as {v3}; table 2 decides")
    out.version = t2.version or v3

    _table2(out, t2, text)
    if t3:
        _table3(out, t3, text)
    t4_from = t3.end if t3 else max((r.lines[-1].index + 1 for r in t2.rows), default=0)
    t4 = parse_table4(lines, t4_from, text, expected=bool(out.cells))
    out.notes += t4.notes
    out.cells += [_fact(4, c.row, c.column, c.cell, _Span.of(text, c.lines)) for c in t4.cells]
    if out.version is None and out.cells:
        out.notes.append("version: neither table 2 nor table 3 shows which template the report uses")
    return out


def _table2(out: TemplateTables, t2: Table2, text: str) -> None:
    out.notes += t2.notes
    for r in t2.rows:
        name = row_name(r, out.version)
        span = _Span.of(text, r.lines)
        for cell, column, unit in columns_for(r, out.version, text, out.notes):
            out.cells.append(_fact(2, name, column, cell, span, unit))
    expected = T2_DEFAULT.get(out.version or "", {})
    names = T2_ROW_NAME.get(out.version or "", {})
    missing = [names.get(row, row) for row in expected if not any(r.row == row for r in t2.rows)]
    if t2.rows and missing:
        out.notes.append("table 2: rows not found: " + ", ".join(missing))


def _table3(out: TemplateTables, t3: Table3, text: str) -> None:
    out.notes += t3.notes
    for run in t3.placed:
        span = _Span.of(text, [*([run.first] if run.first else []), *run.lines])
        for column, cell in zip(T3_COLUMNS, run.values, strict=True):
            out.cells.append(_fact(3, run.row or "", column, cell, span))
    order = T3_ORDER_2019 if out.version == "2019" else T3_ORDER_2021
    have = {r.row for r in t3.placed}
    missing = [r for r in order if r not in have]
    if have and missing:
        out.notes.append("table 3: rows not found: " + ", ".join(missing))


class _Span(NamedTuple):
    """The evidence of a row: the text from its first line to its last, shared by its cells."""

    start: int
    end: int
    evidence: str

    @classmethod
    def of(cls, text: str, lines: list[Line]) -> _Span:
        start = min(ln.start for ln in lines)
        end = max(ln.end for ln in lines)
        return cls(start, end, text[start:end])


_METRIC = {2: "table2", 3: "table3", 4: "table4"}


def _fact(table: int, row: str, column: str, cell: Cell, span: _Span, header_unit: str | None = None) -> Fact:
    v = read_value(cell.raw)
    if v is None:
        return Fact.table_cell(_METRIC[table], None, cell.raw, span, header_unit, table, row, column, [])
    return Fact.table_cell(_METRIC[table], v.value, cell.raw, span, v.unit or header_unit, table, row, column,
                           ["digits_joined"] if v.joined else [])
