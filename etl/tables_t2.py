"""Table 2 (主动公开政府信息情况): rows by label, columns by the header above them.

Takes the report's ``Line`` records before table 3; gives the rows found, the header columns
in force for each (with a money unit the header states, "采购总金额（万元）"), and the template
version the headers and rows show: 2019 (本年新制作数量 … 政府集中采购) or 2021 (本年制发件数 …).
A row is its label (the whole label cell, Chinese or English) with the value cells on its line,
or on the number lines below it when cells sit one per line. Columns are never carried from one
version to the other; the template's own columns are used only when a row has no fitting header.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from etl.tables_cells import Cell, Line, regroup
from etl.tables_vocab import (
    HEADER_UNITS,
    T2_BLOCK,
    T2_COLUMNS,
    T2_COLUMNS_2019,
    T2_COLUMNS_2021,
    T2_DEFAULT,
    T2_ONLY_2019_ROWS,
    T2_ROW_NAME,
    T2_ROWS,
    alias_ids,
    finder,
    key,
)

Header = list[tuple[str, str | None]]  # (column, unit stated in the header)
_COLUMNS, _COLUMN_OF = finder(T2_COLUMNS)
_HEADER_LEAD = re.compile(r"[|｜]?(信息内容|informationcontent)")
_BRACKETED = re.compile(r"\([^)]*\)")
_NOT_LABEL_TEXT = re.compile(r"\([^)]*\)|[^\w/]")
_PUNCTUATION = re.compile(r"[^\w/]")
_ROW_NUMBER = re.compile(r"^([\d一二三四五六七八九十]{1,2}[.、])")
_ROW_OF_ALIAS = alias_ids(T2_ROWS)


@dataclass
class Row2:
    row: str  # key of T2_ROWS
    lines: list[Line]  # the row's label line, and its number lines when cells sit one per line
    values: list[Cell]
    header: Header | None

    @property
    def label(self) -> str:
        return "".join(ln.label for ln in self.lines)


@dataclass
class Table2:
    rows: list[Row2] = field(default_factory=list)
    version: str | None = None
    notes: list[str] = field(default_factory=list)


def parse_table2(lines: list[Line], lo: int, hi: int) -> Table2:
    out = Table2()
    header: Header | None = None
    extend = False  # the line before was header too: headers may wrap or sit one cell per line
    columns_seen: set[str] = set()
    repeats: dict[str, int] = {}
    i = lo
    while i < hi:
        line, i = lines[i], i + 1
        k = key(line.text)
        if T2_BLOCK.match(k):
            header, extend = None, False
        found = [] if line.values else header_columns(k)
        if found:
            header = [*header, *found] if extend and header else found
            columns_seen.update(c for c, _ in found)
            extend = True
            continue
        if not line.values and _HEADER_LEAD.match(k):
            header, extend = None, True
            continue
        row_lines, row = [line], row_of(line.label)
        if line.values and row is None and i >= lo + 2 and not lines[i - 2].values:
            # a PDF label wrapped onto the line of its numbers: "行政规范性" / "文件 1 0 5"
            row_lines, row = [lines[i - 2], line], row_of(lines[i - 2].label + line.label)
        if row is None:
            continue
        values = list(line.values)
        while not line.values and i < hi and lines[i].numbers_only:  # one cell per line
            values += lines[i].values
            row_lines.append(lines[i])
            i += 1
        if not values:
            continue
        extend = False
        if any(r.row == row for r in out.rows):
            repeats[row] = repeats.get(row, 0) + 1
            continue
        out.rows.append(Row2(row, row_lines, values, header))
    out.notes += [f"table 2: row {row} appears {n + 1} times; kept the first" for row, n in repeats.items()]
    out.version = _version(out, columns_seen)
    return out


def header_columns(k: str) -> Header:
    """Template columns named in a header line, in order, each with a unit stated after it.

    A line counts as a header when it opens with 信息内容 or column labels make up most of it,
    so prose that mentions 现行有效 does not.
    """
    spans = [(m.start(), m.end(), _COLUMN_OF[m.group()]) for m in _COLUMNS.finditer(k)]
    covered = sum(end - start for start, end, _ in spans)
    if not spans or not (_HEADER_LEAD.match(k) or covered * 2 >= len(_NOT_LABEL_TEXT.sub("", k))):
        return []
    out: Header = []
    for n, (_, end, col) in enumerate(spans):
        tail = k[end:spans[n + 1][0] if n + 1 < len(spans) else len(k)]
        out.append((col, next((unit for word, unit in HEADER_UNITS if word in tail), None)))
    return out


@functools.lru_cache(maxsize=4096)  # the same labels recur in every report
def row_of(label: str) -> str | None:
    """The table-2 row a label names: the whole label, brackets and numbering aside."""
    k = _BRACKETED.sub("", key(label))
    k = _ROW_NUMBER.sub("", _PUNCTUATION.sub("", k))
    return _ROW_OF_ALIAS.get(k)


def _version(t2: Table2, columns: set[str]) -> str | None:
    votes = {"2019": sum(c in columns for c in T2_COLUMNS_2019)
             + sum(r.row in T2_ONLY_2019_ROWS for r in t2.rows),
             "2021": sum(c in columns for c in T2_COLUMNS_2021)}
    if votes["2019"] and votes["2021"]:
        t2.notes.append(f"table 2: headers of both versions ({votes}); the majority decides")
    if votes["2019"] == votes["2021"]:
        # no header: a 2019 table gives 行政许可/处罚/强制 three cells and 收费 two, 2021 one
        for r in t2.rows:
            if r.row in ("行政许可", "行政处罚", "行政强制", "行政事业性收费"):
                votes["2019" if len(r.values) > 1 else "2021"] += 1
    if votes["2019"] == votes["2021"]:
        return None
    return max(votes, key=lambda v: votes[v])


def columns_for(r: Row2, version: str | None, text: str, notes: list[str]) -> list[tuple[Cell, str, str | None]]:
    """The row's cells with their column and header unit; a note when they cannot be placed."""
    options: list[Header] = []
    if r.header:
        options.append(r.header)
    default = T2_DEFAULT.get(version or "", {}).get(r.row)
    if default:
        options.append([(c, None) for c in default])  # a unit counts only where the report states it
    for cols in options:
        cells = r.values
        if len(cells) > len(cols):
            cells = regroup(text, cells, len(cols)) or cells
        if len(cells) == len(cols):
            return [(cell, col, unit) for cell, (col, unit) in zip(cells, cols, strict=True)]
    notes.append(f"table 2: {len(r.values)} cells for {r.row} at line {r.lines[0].index + 1} "
                 f"'{r.lines[0].text[:60]}' do not fit its columns; row skipped")
    return []


def row_name(r: Row2, version: str | None) -> str:
    if version in T2_ROW_NAME:
        return T2_ROW_NAME[version].get(r.row, r.row)
    return "行政规范性文件" if r.row == "规范性文件" and "行政" in r.label else r.row
