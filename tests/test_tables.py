"""Tests for ``etl.tables``: template tables 2–4 in every shape the readers give.

Fixtures under ``fixtures/tables`` are excerpts (sections 二–四) of the dev corpus and of the
real 淮安市人民政府 2024 PDF, with every expected cell in ``expected.json`` (the dev gold's
format). The dev-corpus and PDF tests read ``../shared`` and skip when it is absent.
"""

from __future__ import annotations

import importlib.util
import json
import re
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.model import Fact
from etl.tables import TemplateTables, parse_tables

FIX = Path(__file__).parent / "fixtures" / "tables"
SHARED = Path(__file__).parents[2] / "shared"
EXPECTED: dict[str, dict[str, Any]] = json.loads((FIX / "expected.json").read_text(encoding="utf-8"))

T3_COLS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T4_COLS = ("维持", "纠正", "其他", "尚未审结", "总计")
T4_ROWS = {"行政复议": "复议", "未经复议直接起诉": "直接起诉", "复议后起诉": "复议后起诉"}
T2_COLS = {
    "2021": {
        "规章": ("本年制发件数", "本年废止件数", "现行有效件数"),
        "行政规范性文件": ("本年制发件数", "本年废止件数", "现行有效件数"),
        "行政许可": ("本年处理决定数量",), "行政处罚": ("本年处理决定数量",), "行政强制": ("本年处理决定数量",),
        "行政事业性收费": ("本年收费金额",),
    },
    "2019": {
        "规章": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        "规范性文件": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        "行政许可": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "其他对外管理服务事项": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "行政处罚": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "行政强制": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "行政事业性收费": ("上一年项目数量", "本年增/减"),
        "政府集中采购": ("采购项目数量", "采购总金额"),
    },
}

# The real PDF: table 3 and 4 from shared/corpus/pdf/gold.jsonl, table 2 read from the PDF's page 3-4.
HUAIAN: dict[str, Any] = {
    "version": "2021",
    "table2": {"规章": [1, 0, 11], "行政规范性文件": [8, 26, 66], "行政许可": [447228],
               "行政处罚": [3985758], "行政强制": [88283], "行政事业性收费": [96171.6]},
    "table3": {
        "R01": [3001, 53, 0, 0, 61, 4, 3119], "R02": [34, 0, 0, 0, 0, 0, 34],
        "R03": [1288, 21, 0, 0, 50, 3, 1362], "R04": [447, 7, 0, 0, 0, 0, 454],
        "R05": [2, 0, 0, 0, 0, 0, 2], "R06": [30, 1, 0, 0, 0, 0, 31], "R07": [5, 0, 0, 0, 0, 0, 5],
        "R08": [6, 0, 0, 0, 0, 0, 6], "R09": [7, 1, 0, 0, 0, 0, 8], "R10": [12, 0, 0, 0, 0, 0, 12],
        "R11": [9, 0, 0, 0, 0, 0, 9], "R12": [105, 0, 0, 0, 0, 0, 105],
        "R13": [746, 12, 0, 0, 10, 1, 769], "R14": [11, 0, 0, 0, 0, 0, 11], "R15": [1, 0, 0, 0, 0, 0, 1],
        "R16": [56, 6, 0, 0, 0, 0, 62], "R17": [25, 0, 0, 0, 0, 0, 25], "R18": [0, 0, 0, 0, 0, 0, 0],
        "R19": [0, 0, 0, 0, 0, 0, 0], "R20": [1, 0, 0, 0, 0, 0, 1], "R21": [67, 3, 0, 0, 1, 0, 71],
        "R22": [6, 0, 0, 0, 0, 0, 6], "R23": [108, 2, 0, 0, 0, 0, 110],
        "R24": [2932, 53, 0, 0, 61, 4, 3050], "R25": [103, 0, 0, 0, 0, 0, 103],
    },
    "table4": {"复议": [72, 64, 178, 37, 351], "直接起诉": [13, 4, 8, 1, 26], "复议后起诉": [12, 1, 1, 6, 20]},
}


# --- helpers ---------------------------------------------------------------------------------

def expected_cells(exp: dict[str, Any]) -> Iterator[tuple[int, str, str, Any]]:
    for row, cells in exp["table2"].items():
        yield from ((2, row, col, v) for col, v in zip(T2_COLS[exp["version"]][row], cells, strict=True))
    for row, cells in exp["table3"].items():
        yield from ((3, row, col, v) for col, v in zip(T3_COLS, cells, strict=True))
    for row, cells in exp["table4"].items():
        yield from ((4, T4_ROWS.get(row, row), col, v) for col, v in zip(T4_COLS, cells, strict=True))


def index(tables: TemplateTables) -> dict[tuple[int, str, str], Fact]:
    out: dict[tuple[int, str, str], Fact] = {}
    for f in tables.cells:
        assert f.table is not None and f.row and f.column
        assert (f.table, f.row, f.column) not in out, f"duplicate cell {f.table} {f.row} {f.column}"
        out[(f.table, f.row, f.column)] = f
    return out


def cell_matches(fact: Fact | None, gold: Any) -> bool:
    """Exact: blank, "/" and text-with-unit keep their raw form; numbers their value."""
    if fact is None:
        return False
    if gold is None:
        return fact.raw == "" and fact.value is None
    if gold == "/":
        return fact.raw == "/" and fact.value is None
    if isinstance(gold, str):
        m = re.fullmatch(r"(-?[\d.]+)(万元|元)", gold)
        assert m, gold
        return fact.raw == gold and fact.value == float(m.group(1)) and fact.unit == m.group(2)
    return fact.raw != "" and fact.value == float(gold)


def mismatches(tables: TemplateTables, exp: dict[str, Any]) -> list[str]:
    got = index(tables)
    wrong = [f"{t} {r} {c}: want {v!r}, got {None if got.get((t, r, c)) is None else got[(t, r, c)].raw!r}"
             for t, r, c, v in expected_cells(exp) if not cell_matches(got.get((t, r, c)), v)]
    extra = set(got) - {(t, r, c) for t, r, c, _ in expected_cells(exp)}
    return wrong + [f"unexpected cell {k}" for k in sorted(extra)]


def assert_offsets(text: str, tables: TemplateTables) -> None:
    for f in tables.cells:
        assert text[f.start:f.end] == f.evidence
        assert f.page is None and f.metric == f"table{f.table}"
        if f.raw:
            assert f.raw in f.evidence


def fixture(name: str) -> str:
    return (FIX / f"{name}.txt").read_text(encoding="utf-8")


def cell(tables: TemplateTables, table: int, row: str, column: str) -> Fact:
    return index(tables)[(table, row, column)]


# --- every cell of every fixture shape -------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_every_cell(name: str) -> None:
    text = fixture(name)
    tables = parse_tables(text)
    assert tables.version == EXPECTED[name]["version"]
    assert mismatches(tables, EXPECTED[name]) == []
    assert tables.notes == []
    assert_offsets(text, tables)


def test_pdf_text_excerpt() -> None:
    text = fixture("huaian_pdf_2024")
    tables = parse_tables(text)
    assert (tables.version, tables.notes) == ("2021", [])
    assert mismatches(tables, HUAIAN) == []
    assert_offsets(text, tables)


# --- value semantics -------------------------------------------------------------------------

def test_blank_zero_slash_and_yuan_stay_distinct() -> None:
    tables = parse_tables(fixture("blank_slash_2019"))
    permit = cell(tables, 2, "行政许可", "本年增/减")
    assert (permit.raw, permit.value, permit.value_kind) == ("", None, "blank")
    rules = cell(tables, 2, "规章", "本年新制作数量")
    assert (rules.raw, rules.value, rules.value_kind) == ("/", None, "slash")
    penalty = cell(tables, 2, "行政处罚", "本年增/减")
    assert (penalty.raw, penalty.value, penalty.value_kind) == ("0", 0.0, "zero")
    amount = cell(tables, 2, "政府集中采购", "采购总金额")
    assert (amount.raw, amount.value, amount.unit) == ("3865200元", 3865200.0, "元")
    assert cell(tables, 3, "R04", "总计").value_kind == "blank"
    assert cell(tables, 3, "R21", "自然人").raw == "/"
    assert cell(tables, 4, "直接起诉", "维持").value_kind == "zero"
    assert cell(tables, 4, "复议后起诉", "维持").value_kind == "blank"


def test_negative_and_unit_written_in_cell() -> None:
    tables = parse_tables(fixture("pipe_2019"))
    fee = cell(tables, 2, "行政事业性收费", "本年增/减")
    assert (fee.raw, fee.value) == ("-1", -1.0)
    amount = cell(tables, 2, "政府集中采购", "采购总金额")
    assert (amount.raw, amount.value, amount.unit) == ("1326.5万元", 1326.5, "万元")


def test_unit_stated_in_header() -> None:
    amount = cell(parse_tables(fixture("relabelled_header_2019")), 2, "政府集中采购", "采购总金额")
    assert (amount.raw, amount.value, amount.unit) == ("5268.4", 5268.4, "万元")
    fee = cell(parse_tables(fixture("space_2019")), 2, "行政许可", "本年增/减")
    assert (fee.raw, fee.value) == ("-2", -2.0)
    assert cell(parse_tables(fixture("tab_2021")), 2, "行政事业性收费", "本年收费金额").unit == "万元"


def test_digits_split_by_spaces_in_a_pipe_cell() -> None:
    f = cell(parse_tables(fixture("split_digits_2019")), 2, "行政许可", "处理决定数量")
    assert (f.raw, f.value, f.flags) == ("2 1 5", 215.0, ["digits_joined"])


def test_split_digits_in_space_rows_use_the_row_total() -> None:
    text = "一、本年新收政府信息公开申请数量 1 2 0 0 0 0 0 1 2\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n"
    tables = parse_tables(text)
    assert [cell(tables, 3, "R01", c).value for c in T3_COLS] == [12, 0, 0, 0, 0, 0, 12]


def test_ambiguous_split_digits_are_noted_not_guessed() -> None:
    text = "信息内容 上一年项目数量 本年增/减 处理决定数量\n行政许可 1 2 -1 2 1 5\n其他对外管理服务事项 5 0 67\n"
    tables = parse_tables(text)
    assert not any(f.row == "行政许可" for f in tables.cells)
    assert [f.value for f in tables.cells if f.row == "其他对外管理服务事项"] == [5, 0, 67]
    assert any("行政许可" in n and "do not fit" in n for n in tables.notes)


# --- versions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_columns_never_cross_versions(name: str) -> None:
    tables = parse_tables(fixture(name))
    version = EXPECTED[name]["version"]
    allowed = {c for cols in T2_COLS[version].values() for c in cols}
    assert {f.column for f in tables.cells if f.table == 2} <= allowed
    rows3 = {f.row for f in tables.cells if f.table == 3}
    assert ("R22" in rows3) == (version == "2021") and ("R23" in rows3) == (version == "2021")


def test_version_from_table3_alone() -> None:
    text = fixture("one_cell_per_line_2021")
    only_t3 = text[text.index("三、收到"):]
    assert parse_tables(only_t3).version == "2021"
    text19 = fixture("space_2019")
    assert parse_tables(text19[text19.index("三、收到"):]).version == "2019"


def test_no_template_tables() -> None:
    text = ("一、总体情况\n全年主动公开政府信息86条。因政府信息公开被申请行政复议1件，结果为维持。\n"
            "五、存在的主要问题\n无。\n")
    assert parse_tables(text) == TemplateTables(None, [], [])


# --- structure: group labels, headings, unplaceable rows -------------------------------------

def test_group_label_sharing_a_line_goes_with_the_first_sub_row() -> None:
    tables = parse_tables(fixture("pipe_group_share_2021"))
    r03 = cell(tables, 3, "R03", "总计")
    assert r03.evidence.startswith("| 三、本年度办理结果 | （一）予以公开 |") and r03.value == 51


def _minimal(table4_heading: str) -> str:
    rows = [f"{label} {n} 0 0 0 0 0 {n}" for label, n in (
        ("一、本年新收政府信息公开申请数量", 2), ("二、上年结转政府信息公开申请数量", 0), ("（一）予以公开", 2))]
    return "\n".join([*rows, "（七）总计 2 0 0 0 0 0 2", "四、结转下年度继续办理 0 0 0 0 0 0 0",
                      table4_heading, "行政复议 行政诉讼", "结果维持 结果纠正 其他结果 尚未审结 总计",
                      "1 0 0 0 1 0 0 0 0 0 0 0 0 0 0", "五、存在的主要问题及改进措施", "1 2 3"])


@pytest.mark.parametrize("heading", [
    "四、政府信息公开行政复议、行政诉讼情况",
    "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
    "四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
    "四、政府信息公开行政复议和行政诉讼情况",
])
def test_table4_under_every_heading_variant(heading: str) -> None:
    tables = parse_tables(_minimal(heading))
    assert [cell(tables, 4, "复议", c).value for c in T4_COLS] == [1, 0, 0, 0, 1]
    assert cell(tables, 3, "R25", "总计").value == 0
    assert len([f for f in tables.cells if f.table == 4]) == 15


def test_unknown_row_is_noted_not_placed() -> None:
    text = fixture("tab_2021").replace("（三）不予公开\n", "（三）不予公开小计\t1\t0\t0\t0\t0\t0\t1\n")
    assert text != fixture("tab_2021")
    tables = parse_tables(text)
    assert mismatches(tables, EXPECTED["tab_2021"]) == []
    assert any("could not place" in n and "不予公开小计" in n for n in tables.notes)


def test_single_gap_is_filled_by_position_with_a_note() -> None:
    text = fixture("tab_2021").replace("2.其他法律行政法规禁止公开", "2.（标签缺失）")
    assert text != fixture("tab_2021")
    tables = parse_tables(text)
    assert mismatches(tables, EXPECTED["tab_2021"]) == []
    assert any("placed R06 by position" in n for n in tables.notes)


# --- the real PDF and the dev corpus (need ../shared) ------------------------------------------

@pytest.mark.skipif(not (SHARED / "corpus" / "pdf").is_dir(), reason="../shared/corpus/pdf is absent")
def test_real_pdf() -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(SHARED / "corpus" / "pdf" / "huaian-city-government-2024.pdf") as pdf:
        text = "\f".join(page.extract_text() or "" for page in pdf.pages)
    tables = parse_tables(text)
    assert (tables.version, tables.notes) == ("2021", [])
    assert mismatches(tables, HUAIAN) == []
    assert_offsets(text, tables)


def html_rows(html: str) -> str:
    """What a reader makes of <table> markup: one `` | `` line per <tr>, each cell once."""
    bs4 = pytest.importorskip("bs4")
    soup = bs4.BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    for tr in soup.find_all("tr"):
        tr.replace_with("\n| " + " | ".join(c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])) + " |\n")
    return soup.get_text("\n")


def dev_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = html_rows(text) if path.suffix == ".html" else text
    return re.sub(r"[０-９]", lambda m: unicodedata.normalize("NFKC", m.group()), text)


@pytest.mark.skipif(not (SHARED / "corpus" / "dev").is_dir(), reason="../shared/corpus/dev is absent")
def test_dev_corpus_scores_every_cell() -> None:
    spec = importlib.util.spec_from_file_location("score_cells", SHARED / "tools" / "score_cells.py")
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    dev = SHARED / "corpus" / "dev"
    golds = [json.loads(x) for x in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    right = total = 0
    wrong: list[tuple[Any, ...]] = []
    elapsed = 0.0
    for g in golds:
        path = next(dev.glob(f"{g['id']}.*"))
        text = dev_text(path)
        began = time.perf_counter()
        tables = parse_tables(text)
        elapsed += time.perf_counter() - began
        if not g.get("table3"):
            assert (tables.version, tables.cells) == (None, []), g["id"]
            continue
        assert tables.version == ("2019" if "R22" not in g["table3"] else "2021"), g["id"]
        pred = scorer.pred_index({"facts": [f.to_json() for f in tables.cells]})
        for table, row, col, val in scorer.gold_cells(g):
            ok = scorer.right(val, scorer.find(pred, table, row, scorer.squash(col)))
            right, total = right + ok, total + 1
            if not ok:
                wrong.append((g["id"], table, row, col, val))
    assert wrong == [] and right == total > 4000
    assert elapsed < 2.0  # the whole corpus is parsed in about a tenth of that


# --- properties --------------------------------------------------------------------------------

def _valid(text: str, tables: TemplateTables) -> None:
    assert tables.version in (None, "2019", "2021")
    assert_offsets(text, tables)
    assert all(isinstance(n, str) and "\n" not in n for n in tables.notes)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 |\t\u3000\n\f-/—.元万一二三（）()、R总计其他处理"), max_size=400)
       | st.text(max_size=300))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    _valid(text, parse_tables(text))


_FIXTURE_LINES = {name: fixture(name).splitlines() for name in [*EXPECTED, "huaian_pdf_2024"]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(_FIXTURE_LINES)), st.data())
def test_never_raises_on_shuffled_or_truncated_tables(name: str, data: st.DataObject) -> None:
    lines = _FIXTURE_LINES[name]
    kept = data.draw(st.lists(st.sampled_from(lines), max_size=len(lines)))
    cut = data.draw(st.integers(0, max(len(lines) - 1, 0)))
    for text in ("\n".join(kept), "\n".join(lines[:cut]), "\n".join(lines[cut:]),
                 "\n".join(lines)[: data.draw(st.integers(0, 3000))]):
        _valid(text, parse_tables(text))
