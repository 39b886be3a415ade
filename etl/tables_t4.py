"""Table 4 (政府信息公开行政复议、行政诉讼情况): fifteen cells after the table's header.

Takes the report's ``Line`` records from the end of table 3; gives each cell with its row
(复议 / 直接起诉 / 复议后起诉) and column (维持, 纠正, 其他, 尚未审结, 总计) and the lines read.
The template prints one data row of 15 cells, which may wrap over several number-only lines;
a report that lays the table out as three labelled rows of five is read too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.tables_cells import Cell, Line, regroup
from etl.tables_vocab import SECTION_AFTER_T4, T4_COLUMNS, T4_HEADER, T4_ROW_ALIASES, T4_ROWS, key

WIDTH = len(T4_ROWS) * len(T4_COLUMNS)
_MAX_LINES = 60  # lines read after the first header line


@dataclass
class Cell4:
    row: str
    column: str
    cell: Cell
    lines: list[Line]


@dataclass
class Table4:
    cells: list[Cell4] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_table4(lines: list[Line], lo: int, text: str, expected: bool) -> Table4:
    """Read table 4 from line ``lo``; ``expected`` (other tables were found) asks for notes."""
    out = Table4()
    header = False
    run: list[Cell] = []
    run_lines: list[Line] = []
    by_row: dict[str, Line] = {}
    budget = _MAX_LINES
    for line in lines[lo:]:
        k = key(line.text)
        budget -= header
        if budget < 0 or (header and SECTION_AFTER_T4.match(k)):
            break
        if not line.values:
            header = header or any(h in k for h in T4_HEADER)
            run, run_lines = [], []
            continue
        row = _row_of(line.label) if line.labels else None
        if row and len(line.values) == len(T4_COLUMNS):
            by_row.setdefault(row, line)
            continue
        if not header or (line.labels and len(line.values) != WIDTH):
            run, run_lines = [], []
            continue
        run += line.values
        run_lines.append(line)
        if len(run) >= WIDTH:
            break
    if len(run) > WIDTH and len(run_lines) == 1:
        run = regroup(text, run, WIDTH, _adds_up) or run
    if len(run) == WIDTH:
        for n, cell in enumerate(run):
            out.cells.append(Cell4(T4_ROWS[n // 5], T4_COLUMNS[n % 5], cell, run_lines))
    elif by_row:
        for row, line in by_row.items():
            out.cells += [Cell4(row, col, cell, [line]) for col, cell in zip(T4_COLUMNS, line.values, strict=True)]
    elif run and expected:
        out.notes.append(f"table 4: {len(run)} cells where 15 expected at line {run_lines[0].index + 1}")
    elif header and expected:
        out.notes.append("table 4: header found but no row of numbers after it")
    return out


def _row_of(label: str) -> str | None:
    k = key(label)
    return next((row for row, aliases in T4_ROW_ALIASES if any(a in k for a in aliases)), None)


def _adds_up(values: list[float | None]) -> bool:
    for n in range(0, len(values), 5):
        group = values[n:n + 5]
        if len(group) == 5 and group[4] is not None and abs(sum(v or 0 for v in group[:4]) - group[4]) > 1e-6:
            return False
    return True
