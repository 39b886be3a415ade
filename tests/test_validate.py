"""The template's arithmetic on hand-made tables shaped like real ones."""

from etl.model import Fact
from etl.validate import T3_COLUMNS, validate


def cell(table: int, row: str, column: str, raw: str) -> Fact:
    value = float(raw) if raw.strip() not in ("", "/", "—") else None
    return Fact(metric=f"table{table}", value=value, raw=raw, evidence=row, start=0, end=0,
                table=table, row=row, column=column)


def table3(rows: dict[str, list[str]]) -> list[Fact]:
    return [cell(3, row, col, raw) for row, raws in rows.items() for col, raw in zip(T3_COLUMNS, raws, strict=True)]


ZERO = ["0"] * 7


def test_consistent_2019_table_has_no_issue():
    # dev 003: 3 new, 2 disclosed, 1 not held
    rows = {f"R{n:02d}": ZERO for n in range(1, 22)}
    rows |= {"R01": ["3", "0", "0", "0", "0", "0", "3"], "R03": ["2", "0", "0", "0", "0", "0", "2"],
             "R13": ["1", "0", "0", "0", "0", "0", "1"], "R24": ["3", "0", "0", "0", "0", "0", "3"], "R25": ZERO}
    assert validate(table3(rows), "2019") == []


def test_v1_names_the_column_and_cells():
    rows = {"R01": ["5", "0", "0", "0", "0", "0", "5"], "R02": ZERO,
            "R03": ["4", "0", "0", "0", "0", "0", "4"], "R24": ["4", "0", "0", "0", "0", "0", "4"], "R25": ZERO}
    issues = [i for i in validate(table3(rows), "2021") if i.rule == "V1"]
    assert len(issues) == 2  # 自然人 and 总计
    assert "自然人: new + carried over = 5, total handled + carried forward = 4" in issues[0].message
    assert "table3:R25:自然人" in issues[0].refs


def test_blank_total_cell_breaks_v2_and_v3():
    # dev 036: the 总计 cell of 部分公开 is blank although its row has 3 + 1
    rows = {"R01": ["24", "4", "", "", "", "", "28"], "R03": ["21", "3", "", "", "", "", "24"],
            "R04": ["3", "1", "", "", "", "", ""], "R24": ["24", "4", "", "", "", "", "28"]}
    rules = sorted({i.rule for i in validate(table3(rows), "2019")})
    assert rules == ["V2", "V3"]
    v3 = next(i for i in validate(table3(rows), "2019") if i.rule == "V3")
    assert v3.message == "R04: 总计 is blank, the applicant columns add up to 4"


def test_table4_totals():
    cells = [cell(4, "复议", c, raw) for c, raw in zip(("维持", "纠正", "其他", "尚未审结", "总计"),
                                                      ("72", "64", "178", "37", "351"), strict=True)]
    assert validate(cells, "2021") == []
    cells[-1] = cell(4, "复议", "总计", "350")
    assert [i.rule for i in validate(cells, "2021")] == ["V4"]


def test_categories_that_do_not_add_up_are_an_issue():
    # seed 000: 18 + "4 14" + 243 against 685
    total = Fact("proactive_total", 685, "685", "disclosed 685 pieces", 0, 20, headline=True)
    parts = [Fact("proactive_category", v, str(int(v)), "", 0, 0, dimension=d, flags=flags)
             for v, d, flags in ((18, "institutional functions", []), (414, "policies", ["split_digits"]),
                                 (243, "other", []))]
    issues = validate([total, *parts], None)
    assert [i.rule for i in issues] == ["parts_categories"]
    assert "add up to 675, the stated total is 685" in issues[0].message
    assert "414" in issues[0].message
