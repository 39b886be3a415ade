"""Stage 5: the template's arithmetic (勾稽关系) and other cross-checks → ``Issue`` records.

Takes one report's facts (table cells and headline facts); gives the issues, each naming the
cells or sentences involved. Rules (research/anchors.md a.6):

- V1  table 3, per column: R01 + R02 = R24 + R25 (the rule printed in the template);
- V2  table 3, per column: R24 = the sum of the outcome rows;
- V3  table 3, per row: 总计 = the sum of the six applicant columns;
- V4  table 4, per group: 总计 = 维持 + 纠正 + 其他 + 尚未审结;
- parts  proactive categories and channels against the stated total.

Cross-year rules (V5 carried forward → carried over, V9 near-identical narrative) need the
bureau's other reports and run in ``etl.crossyear`` at load time.
"""

from __future__ import annotations

from etl.model import Fact, Issue
from etl.tables_vocab import T3_COLUMNS, T4_COLUMNS, T4_ROWS

T4_PARTS = T4_COLUMNS[:-1]
OUTCOME_ROWS_2021 = tuple(f"R{n:02d}" for n in range(3, 24))
OUTCOME_ROWS_2019 = tuple(f"R{n:02d}" for n in range(3, 22))


def _grid(cells: list[Fact], table: int) -> dict[tuple[str, str], Fact]:
    return {(c.row or "", c.column or ""): c for c in cells if c.table == table}


def _ref(table: int, row: str, column: str) -> str:
    return f"table{table}:{row}:{column}"


def _sum(cells: list[Fact | None]) -> float | None:
    """Sum of the stated cells; None when none of them is stated."""
    values = [c.value for c in cells if c is not None and c.value is not None]
    return float(sum(values)) if values else None


def check_table3(cells: list[Fact], version: str | None) -> list[Issue]:
    grid = _grid(cells, 3)
    if not grid:
        return []
    issues: list[Issue] = []
    outcome_rows = OUTCOME_ROWS_2019 if version == "2019" else OUTCOME_ROWS_2021
    for col in T3_COLUMNS:
        left = _sum([grid.get(("R01", col)), grid.get(("R02", col))])
        right = _sum([grid.get(("R24", col)), grid.get(("R25", col))])
        if left is not None and right is not None and left != right:
            issues.append(Issue("V1", "error", f"{col}: new + carried over = {left:g}, "
                                f"total handled + carried forward = {right:g}",
                                [_ref(3, r, col) for r in ("R01", "R02", "R24", "R25")]))
        total = grid.get(("R24", col))
        parts = _sum([grid.get((r, col)) for r in outcome_rows])
        if total is not None and parts is not None and (total.value or 0) != parts:
            issues.append(Issue("V2", "error", f"{col}: 总计 (R24) is {total.raw or 'blank'}, "
                                f"the outcome rows add up to {parts:g}", [_ref(3, "R24", col)]))
    rows = sorted({r for r, _ in grid})
    for row in rows:
        total = grid.get((row, "总计"))
        parts = _sum([grid.get((row, c)) for c in T3_COLUMNS[:-1]])
        if total is not None and parts is not None and (total.value or 0) != parts:
            issues.append(Issue("V3", "error", f"{row}: 总计 is {total.raw or 'blank'}, "
                                f"the applicant columns add up to {parts:g}", [_ref(3, row, "总计")]))
    return issues


def check_table4(cells: list[Fact]) -> list[Issue]:
    grid = _grid(cells, 4)
    issues: list[Issue] = []
    for row in T4_ROWS:
        total = grid.get((row, "总计"))
        parts = _sum([grid.get((row, c)) for c in T4_PARTS])
        if total is not None and parts is not None and (total.value or 0) != parts:
            issues.append(Issue("V4", "error", f"{row}: 总计 is {total.raw or 'blank'}, "
                                f"维持 + 纠正 + 其他 + 尚未审结 = {parts:g}", [_ref(4, row, c) for c in T4_PARTS]))
    return issues


def check_parts(facts: list[Fact]) -> list[Issue]:
    total = next((f for f in facts if f.headline and f.metric == "proactive_total"), None)
    if total is None or total.value is None:
        return []
    issues: list[Issue] = []
    categories = [f for f in facts if f.metric == "proactive_category" and f.value is not None]
    if len(categories) >= 2:
        parts = sum(f.value for f in categories if f.value is not None)
        if parts != total.value:
            garbled = [f.raw for f in categories if "split_digits" in f.flags]
            note = f" (digits repaired from a split number: {', '.join(garbled)})" if garbled else ""
            issues.append(Issue("parts_categories", "warning",
                                f"proactive categories add up to {parts:g}, the stated total is {total.value:g}{note}",
                                [total.evidence[:200], *(f"{f.dimension}={f.raw}" for f in categories)]))
    # press conferences and hotlines are counted in events or calls, not items published
    channels = [f for f in facts if f.headline and f.metric == "channel" and f.value is not None
                and f.dimension not in ("press_conference", "hotline")]
    if channels:
        parts = sum(f.value for f in channels if f.value is not None)
        if parts > total.value:
            issues.append(Issue("parts_channels", "info",
                                f"channels add up to {parts:g}, more than the stated total {total.value:g} "
                                "(the same item may be published on several channels)",
                                [f"{f.dimension}={f.raw}" for f in channels]))
    return issues


def validate(facts: list[Fact], version: str | None) -> list[Issue]:
    cells = [f for f in facts if f.table is not None]
    return [*check_table3(cells, version), *check_table4(cells), *check_parts(facts)]
