"""A small hand-written report database for the dashboard's tests.

Takes a file path; ``build(path)`` applies ``etl/schema.sql`` to a fresh DuckDB file there and
inserts the rows below; gives the path. The constants name what the tests assert on.

Contents: three bureaus in two provinces over 2021–2023.

* 广州市天河区教育局 (广东省 广州市 天河区): reports for 2021, 2022, 2023, all in the 2021 template;
  the 2023 report has full table-3 and table-4 cells (including a blank and a "/" cell) and a
  validation issue.
* 深圳市卫生健康委员会 (广东省 深圳市): reports for 2021 and 2023 only (a gap year); table 4 all zero.
* 赣州市信丰县教育局 (江西省 赣州市 信丰县): written sample data (``is_sample``), free-text reports
  for 2021–2023.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

SCHEMA = Path(__file__).resolve().parent.parent / "etl" / "schema.sql"

GZ = "广东省|广州市|天河区|education|教育局"
SZ = "广东省|深圳市||health|卫生健康委员会"
XF = "江西省|赣州市|信丰县|education|教育局"
NAMES = {GZ: "广州市天河区教育局", SZ: "深圳市卫生健康委员会", XF: "赣州市信丰县教育局"}

R_GZ = {2021: "a021000000000001", 2022: "a022000000000001", 2023: "a023000000000001"}
R_SZ = {2021: "b021000000000002", 2023: "b023000000000002"}
R_XF = {2021: "c021000000000003", 2022: "c022000000000003", 2023: "c023000000000003"}

PROACTIVE = {
    GZ: {2021: 100, 2022: 120, 2023: 90},
    SZ: {2021: 500, 2023: 650},
    XF: {2021: 86, 2022: 92, 2023: 95},
}
APPLICATIONS = {GZ: {2021: 0, 2022: 5, 2023: 7}, SZ: {2021: 30, 2023: 42}}
CHANNELS = {
    R_GZ[2022]: {"website": 100, "wechat": 20},
    R_GZ[2023]: {"website": 60, "wechat": 30},
    R_SZ[2023]: {"website": 400, "weibo": 100, "media": 100},
    R_XF[2021]: {"website": 62, "bulletin_board": 24},
}
# Table 3, 总计 column of 广州 2023: R06 is blank, R07 is "/", rows not listed are "0".
T3_GZ_2023 = {"R01": "7", "R02": "1", "R03": "3", "R04": "1", "R06": "", "R07": "/", "R08": "1",
              "R13": "2", "R24": "7", "R25": "1"}
T3_SZ_2023 = {"R01": "42", "R02": "0", "R03": "30", "R04": "5", "R13": "7", "R24": "42", "R25": "0"}
# Table 4 of 广州 2023: row -> (维持, 纠正, 其他, 尚未审结, 总计).
T4_GZ_2023 = {"复议": (1, 1, 0, 0, 2), "直接起诉": (0, 0, 0, 1, 1), "复议后起诉": (0, 0, 0, 0, 0)}
T4_SZ_2023 = {"复议": (0, 0, 0, 0, 0), "直接起诉": (0, 0, 0, 0, 0), "复议后起诉": (0, 0, 0, 0, 0)}
T4_COLUMNS = ("维持", "纠正", "其他", "尚未审结", "总计")
ISSUE_MESSAGE = "上年结转（R02=1）与 2022 年报告的结转下年度（R25=0）不一致"
PROBLEM_TIMELINESS_GZ = "部分栏目信息更新不够及时，个别栏目长时间无人维护。"

LOADED_AT = datetime(2026, 1, 1, 12, 0, 0)


def _value_kind(raw: str) -> tuple[float | None, str]:
    text = raw.strip()
    if text == "":
        return None, "blank"
    if text in ("/", "／"):
        return None, "slash"
    if text in ("—", "-", "——"):
        return None, "dash"
    digits = text.rstrip("余多")
    value = float(digits)
    return value, "zero" if value == 0 else "number"


def build(path: Path | str) -> Path:
    """Write the fixture database to ``path`` (replacing any file there) and return the path."""
    path = Path(path)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        _insert(con)
    finally:
        con.close()
    return path


def _insert(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('built_by', 'tests/dbfixture.py')")
    con.executemany(
        "INSERT INTO bureaus VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [GZ, NAMES[GZ], "education", "county", "广东省", "广州市", "天河区", False],
            [SZ, NAMES[SZ], "health", "city", "广东省", "深圳市", None, False],
            [XF, NAMES[XF], "education", "county", "江西省", "赣州市", "信丰县", True],
        ],
    )
    reports = []
    for bureau, ids, era, version, sample in (
        (GZ, R_GZ, "template", "2021", False),
        (SZ, R_SZ, "template", "2021", False),
        (XF, R_XF, "free_text", None, True),
    ):
        for year, rid in ids.items():
            reports.append([
                rid, rid * 4, f"data/raw/{'samples' if sample else 'seeds'}/{rid}.txt",
                "samples" if sample else "seeds", sample, "txt", "zh", era, version, year, False,
                bureau, NAMES[bureau], f"{NAMES[bureau]}{year}年政府信息公开工作年度报告", False, [],
                f"{NAMES[bureau]}{year}年政府信息公开工作年度报告……", LOADED_AT,
            ])
    con.executemany(
        "INSERT INTO reports (report_id, content_hash, path, collection, is_sample, file_kind, language, era, "
        "template_version, year, year_inferred, bureau_id, bureau_name_raw, title, is_aggregate, flags, body, "
        "loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        reports,
    )
    _insert_facts(con)
    _insert_problems(con)
    con.executemany(
        "INSERT INTO validation_issues VALUES (?, ?, ?, ?, ?)",
        [
            [R_GZ[2023], "V5", "warning", ISSUE_MESSAGE, ["R02", "R25"]],
            [R_SZ[2021], "V6", "info", "正文称收到申请 30 件，表三未找到", ["applications_received"]],
        ],
    )
    con.executemany(
        "INSERT INTO ingest_log VALUES (?, ?, ?, ?, ?)",
        [[f"data/raw/seeds/{R_GZ[2023]}.txt", "loaded", None, R_GZ[2023], LOADED_AT],
         ["data/raw/seeds/broken.pdf", "failed", "not a PDF", None, LOADED_AT]],
    )


_FACT_SQL = (
    "INSERT INTO facts (report_id, metric, dimension, value, value_kind, raw, unit, qualifier, headline, tbl, "
    "row_id, column_name, evidence, start_offset, end_offset, page, flags) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _headline(rid: str, metric: str, raw: str, evidence: str, dimension: str | None = None,
              qualifier: str | None = None) -> list:
    value, kind = _value_kind(raw)
    unit = "件" if metric in ("applications_received", "reconsideration", "litigation", "consultations") else "条"
    return [rid, metric, dimension, value, kind, raw, unit, qualifier, True, None, None, None, evidence,
            10, 10 + len(evidence), None, []]


def _cell(rid: str, tbl: int, row: str, column: str, raw: str) -> list:
    value, kind = _value_kind(raw)
    return [rid, f"table{tbl}", None, value, kind, raw, None, None, False, tbl, row, column,
            f"| {row} | {raw} |", None, None, None, []]


def _insert_facts(con: duckdb.DuckDBPyConnection) -> None:
    rows: list[list] = []
    ids = {GZ: R_GZ, SZ: R_SZ, XF: R_XF}
    for bureau, by_year in PROACTIVE.items():
        for year, value in by_year.items():
            rid = ids[bureau][year]
            if bureau == SZ and year == 2023:
                rows.append(_headline(rid, "proactive_total", f"{value}余",
                                      f"全年主动公开政府信息{value}余条。", qualifier="more_than"))
            else:
                rows.append(_headline(rid, "proactive_total", str(value), f"全年共主动公开政府信息{value}条。"))
    for bureau, by_year in APPLICATIONS.items():
        for year, value in by_year.items():
            rows.append(_headline(ids[bureau][year], "applications_received", str(value),
                                  f"全年共收到政府信息公开申请{value}件。"))
    for rid, channels in CHANNELS.items():
        for channel, value in channels.items():
            rows.append(_headline(rid, "channel", str(value), f"通过{channel}发布信息{value}条。", dimension=channel))
    rows += [
        _headline(R_GZ[2023], "reconsideration", "2", "本年度发生政府信息公开行政复议案件2件。"),
        _headline(R_GZ[2023], "litigation", "1", "行政诉讼案件1件。"),
        _headline(R_SZ[2023], "reconsideration", "0", "未发生政府信息公开行政复议案件。"),
        _headline(R_SZ[2023], "litigation", "0", "未发生政府信息公开行政诉讼案件。"),
        _headline(R_XF[2021], "consultations", "12", "接受政府信息公开咨询12人次。"),
    ]
    for rid, cells in ((R_GZ[2023], T3_GZ_2023), (R_SZ[2023], T3_SZ_2023)):
        full = cells if rid == R_SZ[2023] else {f"R{i:02d}": cells.get(f"R{i:02d}", "0") for i in range(1, 26)}
        rows += [_cell(rid, 3, row, "总计", raw) for row, raw in full.items()]
    rows += [_cell(R_GZ[2023], 3, "R01", "自然人", "6"), _cell(R_GZ[2023], 3, "R01", "商业企业", "1")]
    for rid, table in ((R_GZ[2023], T4_GZ_2023), (R_SZ[2023], T4_SZ_2023)):
        for row, values in table.items():
            rows += [_cell(rid, 4, row, col, str(v)) for col, v in zip(T4_COLUMNS, values, strict=True)]
    rows += [_cell(R_GZ[2023], 2, "规章", "本年制发件数", "/"),
             _cell(R_GZ[2023], 2, "行政许可", "本年处理决定数量", "15")]
    con.executemany(_FACT_SQL, rows)


def _insert_problems(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(
        "INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)",
        [
            [R_GZ[2021], "problem", "content_scope", "公开内容还不够全面，过程性信息公开偏少。", 100, 120],
            [R_GZ[2022], "problem", "timeliness", "信息发布不够及时。", 100, 110],
            [R_GZ[2023], "problem", "timeliness", PROBLEM_TIMELINESS_GZ, 100, 126],
            [R_GZ[2023], "measure", "timeliness", "建立信息发布台账，实行每月一查。", 130, 146],
            [R_SZ[2023], "problem", "policy_interpretation", "政策解读形式较为单一。", 90, 101],
            [R_XF[2021], "problem", "content_scope", "学校收费等信息多停留在结果公布。", 80, 96],
            [R_XF[2021], "problem", "timeliness", "部分信息更新滞后。", 97, 105],
        ],
    )


if __name__ == "__main__":
    import sys

    print(build(sys.argv[1] if len(sys.argv) > 1 else "fixture.duckdb"))
