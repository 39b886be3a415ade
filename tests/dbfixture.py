"""A small hand-written report database for the dashboard's tests.

Takes a file path; ``build(path)`` applies ``etl/schema.sql`` to a fresh DuckDB file there,
inserts the rows below and builds the dashboard's summary (``etl.summary``); gives the path. The
constants name what the tests assert on.

Contents: four bureaus in two provinces over 2021–2023, of two kinds (education, health) and two
levels (county, city).

* 广州市天河区教育局 (广东省 广州市 天河区, education, county): reports for 2021, 2022, 2023, all in
  the 2021 template; the 2023 report (version 2; version 1 is kept inactive) has full table-3 and
  table-4 cells (including a blank and a "/" cell), proactive-disclosure categories, a validation
  issue, and a text with markup characters; timeliness is admitted in 2022 and 2023 (recurring).
* 广州市海珠区教育局 (广东省 广州市 海珠区, education, county): 2022 and 2023; an all-zero table 3 (a
  rate over no cases), zero applications in 2023, a Douyin channel.
* 深圳市卫生健康委员会 (广东省 深圳市, health, city): reports for 2021 and 2023 only (a gap year);
  table 4 all zero; its 2021 total was corrected by a supervisor (5000 → 500), and so was the
  new-applications cell of its 2023 table 3 (24 → 42).
* 赣州市信丰县教育局 (江西省 赣州市 信丰县, education, county): written sample data (``is_sample``),
  free-text reports for 2021–2023; timeliness admitted in 2021 and 2022 (recurring).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from etl.summary import build_summary

SCHEMA = Path(__file__).resolve().parent.parent / "etl" / "schema.sql"

GZ = "广东省|广州市|天河区|education|教育局"
HZ = "广东省|广州市|海珠区|education|教育局"
SZ = "广东省|深圳市||health|卫生健康委员会"
XF = "江西省|赣州市|信丰县|education|教育局"
NAMES = {GZ: "广州市天河区教育局", HZ: "广州市海珠区教育局", SZ: "深圳市卫生健康委员会", XF: "赣州市信丰县教育局"}

R_GZ = {2021: "a021000000000001", 2022: "a022000000000001", 2023: "a023000000000001"}
R_HZ = {2022: "d022000000000004", 2023: "d023000000000004"}
R_SZ = {2021: "b021000000000002", 2023: "b023000000000002"}
R_XF = {2021: "c021000000000003", 2022: "c022000000000003", 2023: "c023000000000003"}
R_GZ_2023_OLD = "a023000000000000"  # version 1 of 广州 2023, replaced by R_GZ[2023]
ACTIVE_REPORTS = 10

PROACTIVE = {
    GZ: {2021: 100, 2022: 120, 2023: 90},
    HZ: {2022: 200, 2023: 260},
    SZ: {2021: 500, 2023: 650},
    XF: {2021: 86, 2022: 92, 2023: 95},
}
PROACTIVE_OLD_VERSION = 80
SZ_2021_ORIGINAL = 5000  # what extraction gave before the correction
SZ_2023_R01_ORIGINAL = 24
APPLICATIONS = {GZ: {2021: 0, 2022: 5, 2023: 7}, HZ: {2022: 3, 2023: 0}, SZ: {2021: 30, 2023: 42}}
CHANNELS = {
    R_GZ[2022]: {"website": 100, "wechat": 20},
    R_GZ[2023]: {"website": 60, "wechat": 30},
    R_HZ[2023]: {"website": 200, "douyin": 60},
    R_SZ[2023]: {"website": 400, "weibo": 100, "media": 100},
    R_XF[2021]: {"website": 62, "bulletin_board": 24},
}
CHANNEL_NAMES = {"website": "政府网站", "wechat": "政务微信", "weibo": "政务微博", "douyin": "抖音",
                 "media": "报刊", "bulletin_board": "公开栏"}
CATEGORIES = {
    R_GZ[2023]: {"政策文件": 30, "工作动态": 50, "其他信息": 10},
    R_SZ[2023]: {"通知公告": 400, "人事信息": 200},
}
# Table 3, 总计 column of 广州 2023: R06 is blank, R07 is "/", rows not listed are "0".
T3_GZ_2023 = {"R01": "7", "R02": "1", "R03": "3", "R04": "1", "R06": "", "R07": "/", "R08": "1",
              "R13": "2", "R24": "7", "R25": "1"}
T3_GZ_2023_APPLICANTS = {"自然人": "6", "商业企业": "1"}  # row R01
T3_SZ_2023 = {"R01": "42", "R02": "0", "R03": "30", "R04": "5", "R13": "7", "R24": "42", "R25": "0"}
# Table 4 of 广州 2023: row -> (维持, 纠正, 其他, 尚未审结, 总计).
T4_GZ_2023 = {"复议": (1, 1, 0, 0, 2), "直接起诉": (0, 0, 0, 1, 1), "复议后起诉": (0, 0, 0, 0, 0)}
T4_SZ_2023 = {"复议": (0, 0, 0, 0, 0), "直接起诉": (0, 0, 0, 0, 0), "复议后起诉": (0, 0, 0, 0, 0)}
T4_COLUMNS = ("维持", "纠正", "其他", "尚未审结", "总计")
ISSUE_MESSAGE = "上年结转（R02=1）与 2022 年报告的结转下年度（R25=0）不一致"
PROBLEM_TIMELINESS_GZ = "部分栏目信息更新不够及时，个别栏目长时间无人维护。"
PROBLEM_TIMELINESS_GZ_2022 = "信息发布不够及时。"
MEASURE_TIMELINESS_GZ_2022 = "建立栏目巡查机制，确保信息及时更新。"
MARKUP_LINE = '备注：<script>alert("x")</script> **不是粗体** & <b>不是标签</b>'

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
        build_summary(con)
    finally:
        con.close()
    return path


def _title(bureau: str, year: int) -> str:
    return f"{NAMES[bureau]}{year}年政府信息公开工作年度报告"


def _reports() -> list[tuple[str, str, int, str, str | None, bool, int, bool]]:
    """(report id, bureau, year, era, template version, sample, version, active) of every report."""
    out = []
    for bureau, ids, era, version, sample in (
        (GZ, R_GZ, "template", "2021", False),
        (HZ, R_HZ, "template", "2021", False),
        (SZ, R_SZ, "template", "2021", False),
        (XF, R_XF, "free_text", None, True),
    ):
        for year, rid in ids.items():
            out.append((rid, bureau, year, era, version, sample, 2 if rid == R_GZ[2023] else 1, True))
    out.append((R_GZ_2023_OLD, GZ, 2023, "template", "2021", False, 1, False))
    return out


def _insert(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("INSERT INTO meta VALUES ('schema_version', '2'), ('built_by', 'tests/dbfixture.py')")
    con.executemany(
        "INSERT INTO bureaus VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [GZ, NAMES[GZ], "education", "county", "广东省", "广州市", "天河区", False],
            [HZ, NAMES[HZ], "education", "county", "广东省", "广州市", "海珠区", False],
            [SZ, NAMES[SZ], "health", "city", "广东省", "深圳市", None, False],
            [XF, NAMES[XF], "education", "county", "江西省", "赣州市", "信丰县", True],
        ],
    )
    facts = _facts()
    problems = _problems()
    bodies = _bodies(facts, problems)
    rows = []
    for rid, bureau, year, era, version, sample, number, active in _reports():
        rows.append([
            rid, rid * 4, f"data/raw/{'samples' if sample else 'seeds'}/{rid}.txt",
            "samples" if sample else "seeds", sample, "txt", "zh", era, version, year, False,
            bureau, NAMES[bureau], _title(bureau, year), False, [], bodies[rid], LOADED_AT,
            number, active, None, f"{bureau}|{year}|own|zh",
        ])
    con.executemany(
        "INSERT INTO reports (report_id, content_hash, path, collection, is_sample, file_kind, language, era, "
        "template_version, year, year_inferred, bureau_id, bureau_name_raw, title, is_aggregate, flags, body, "
        "loaded_at, version, is_active, file_mtime, version_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.executemany(_FACT_SQL, facts)
    con.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?)", problems)
    con.executemany(
        "INSERT INTO validation_issues VALUES (?, ?, ?, ?, ?)",
        [
            [R_GZ[2023], "V5", "warning", ISSUE_MESSAGE, ["R02", "R25"]],
            [R_SZ[2021], "V6", "info", "正文称收到申请 30 件，表三未找到", ["applications_received"]],
        ],
    )
    con.execute(
        "INSERT INTO corrections VALUES ('corr0001', ?, 'proactive_total', NULL, NULL, NULL, NULL, ?, ?, "
        "'多识别了一个 0', 'supervisor', ?, TRUE)",
        [R_SZ[2021], float(SZ_2021_ORIGINAL), float(PROACTIVE[SZ][2021]), LOADED_AT],
    )
    con.execute(
        "INSERT INTO corrections VALUES ('corr0002', ?, 'table3', NULL, 3, 'R01', '总计', ?, 42, "
        "'表三识别错位', 'supervisor', ?, TRUE)",
        [R_SZ[2023], float(SZ_2023_R01_ORIGINAL), LOADED_AT],
    )
    con.executemany(
        "INSERT INTO ingest_log VALUES (?, ?, ?, ?, ?)",
        [[f"data/raw/seeds/{R_GZ[2023]}.txt", "loaded", None, R_GZ[2023], LOADED_AT],
         ["data/raw/seeds/broken.pdf", "failed", "not a PDF", None, LOADED_AT]],
    )


_FACT_SQL = (
    "INSERT INTO facts (report_id, metric, dimension, value, value_kind, raw, unit, qualifier, headline, tbl, "
    "row_id, column_name, evidence, start_offset, end_offset, page, flags, corrected, original_value, correction_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_EVIDENCE, _START, _END = 12, 13, 14


def _headline(rid: str, metric: str, raw: str, evidence: str, dimension: str | None = None,
              qualifier: str | None = None, headline: bool = True) -> list:
    value, kind = _value_kind(raw)
    unit = "件" if metric in ("applications_received", "reconsideration", "litigation", "consultations") else "条"
    return [rid, metric, dimension, value, kind, raw, unit, qualifier, headline, None, None, None, evidence,
            None, None, None, [], False, None, None]


def _cell(rid: str, tbl: int, row: str, column: str, raw: str, evidence: str) -> list:
    value, kind = _value_kind(raw)
    return [rid, f"table{tbl}", None, value, kind, raw, None, None, False, tbl, row, column,
            evidence, None, None, None, [], False, None, None]


def _row_line(label: str, raws: list[str]) -> str:
    return "| " + " | ".join([label, *raws]) + " |"


def _facts() -> list[list]:
    rows: list[list] = []
    ids = {GZ: R_GZ, HZ: R_HZ, SZ: R_SZ, XF: R_XF}
    for bureau, by_year in PROACTIVE.items():
        for year, value in by_year.items():
            rid = ids[bureau][year]
            if bureau == SZ and year == 2023:
                rows.append(_headline(rid, "proactive_total", f"{value}余",
                                      f"全年主动公开政府信息{value}余条。", qualifier="more_than"))
            elif bureau == SZ and year == 2021:
                fact = _headline(rid, "proactive_total", str(SZ_2021_ORIGINAL),
                                 f"全年共主动公开政府信息{SZ_2021_ORIGINAL}条。")
                fact[3], fact[-3:] = float(value), [True, float(SZ_2021_ORIGINAL), "corr0001"]
                rows.append(fact)
            else:
                rows.append(_headline(rid, "proactive_total", str(value), f"全年共主动公开政府信息{value}条。"))
    rows.append(_headline(R_GZ_2023_OLD, "proactive_total", str(PROACTIVE_OLD_VERSION),
                          f"全年共主动公开政府信息{PROACTIVE_OLD_VERSION}条。"))
    for bureau, by_year in APPLICATIONS.items():
        for year, value in by_year.items():
            rows.append(_headline(ids[bureau][year], "applications_received", str(value),
                                  f"全年共收到政府信息公开申请{value}件。"))
    for rid, channels in CHANNELS.items():
        sentence = "，".join(f"通过{CHANNEL_NAMES[c]}发布信息{v}条" for c, v in channels.items()) + "。"
        for channel, value in channels.items():
            rows.append(_headline(rid, "channel", str(value), sentence, dimension=channel))
    for rid, cats in CATEGORIES.items():
        sentence = "按类别分，" + "，".join(f"{c}{v}条" for c, v in cats.items()) + "。"
        for cat, value in cats.items():
            rows.append(_headline(rid, "proactive_category", str(value), sentence, dimension=cat, headline=False))
    rows += [
        _headline(R_GZ[2023], "reconsideration", "2", "本年度发生政府信息公开行政复议案件2件。"),
        _headline(R_GZ[2023], "litigation", "1", "行政诉讼案件1件。"),
        _headline(R_SZ[2023], "reconsideration", "0", "未发生政府信息公开行政复议案件。"),
        _headline(R_SZ[2023], "litigation", "0", "未发生政府信息公开行政诉讼案件。"),
        _headline(R_XF[2021], "consultations", "12", "接受政府信息公开咨询12人次。"),
    ]
    t3_hz = {"R01": "0", "R02": "0", "R03": "0", "R24": "0", "R25": "0"}
    for rid, cells in ((R_GZ[2023], T3_GZ_2023), (R_SZ[2023], T3_SZ_2023), (R_HZ[2023], t3_hz)):
        full = cells if rid != R_GZ[2023] else {f"R{i:02d}": cells.get(f"R{i:02d}", "0") for i in range(1, 26)}
        for row, raw in full.items():
            applicants = T3_GZ_2023_APPLICANTS if (rid == R_GZ[2023] and row == "R01") else {}
            line = _row_line(row, [*applicants.values(), raw])
            rows += [_cell(rid, 3, row, col, v, line) for col, v in applicants.items()]
            rows.append(_cell(rid, 3, row, "总计", raw, line))
            if rid == R_SZ[2023] and row == "R01":
                rows[-1][-3:] = [True, float(SZ_2023_R01_ORIGINAL), "corr0002"]
    for rid, table in ((R_GZ[2023], T4_GZ_2023), (R_SZ[2023], T4_SZ_2023)):
        for row, values in table.items():
            line = _row_line(row, [str(v) for v in values])
            rows += [_cell(rid, 4, row, col, str(v), line) for col, v in zip(T4_COLUMNS, values, strict=True)]
    rows += [_cell(R_GZ[2023], 2, "规章", "本年制发件数", "/", "| 规章 | / |"),
             _cell(R_GZ[2023], 2, "行政许可", "本年处理决定数量", "15", "| 行政许可 | 15 |")]
    return rows


def _problems() -> list[list]:
    return [
        [R_GZ[2021], "problem", "content_scope", "公开内容还不够全面，过程性信息公开偏少。", None, None],
        [R_GZ[2021], "measure", "content_scope", "进一步扩大过程性信息公开范围。", None, None],
        [R_GZ[2022], "problem", "timeliness", PROBLEM_TIMELINESS_GZ_2022, None, None],
        [R_GZ[2022], "measure", "timeliness", MEASURE_TIMELINESS_GZ_2022, None, None],
        [R_GZ[2022], "measure", "content_scope", "已将过程性信息纳入主动公开目录。", None, None],
        [R_GZ[2023], "problem", "timeliness", PROBLEM_TIMELINESS_GZ, None, None],
        [R_GZ[2023], "measure", "timeliness", "建立信息发布台账，实行每月一查。", None, None],
        [R_SZ[2023], "problem", "policy_interpretation", "政策解读形式较为单一。", None, None],
        [R_XF[2021], "problem", "content_scope", "学校收费等信息多停留在结果公布。", None, None],
        [R_XF[2021], "problem", "timeliness", "部分信息更新滞后。", None, None],
        [R_XF[2022], "problem", "timeliness", "信息更新仍不够及时。", None, None],
    ]


def _bodies(facts: list[list], problems: list[list]) -> dict[str, str]:
    """Each report's text: its title, the evidence of its facts and its sentences, one per line.

    Fills in the offsets of the facts and sentences, which point into these texts.
    """
    lines: dict[str, list[str]] = {rid: [_title(b, y)] for rid, b, y, *_ in _reports()}
    for fact in facts:
        if fact[_EVIDENCE] not in lines[fact[0]]:
            lines[fact[0]].append(fact[_EVIDENCE])
    for p in problems:
        lines[p[0]].append(p[3])
    lines[R_GZ[2023]].append(MARKUP_LINE)
    bodies = {rid: "\n".join(text) for rid, text in lines.items()}
    for fact in facts:
        start = bodies[fact[0]].index(fact[_EVIDENCE])
        fact[_START], fact[_END] = start, start + len(fact[_EVIDENCE])
    for p in problems:
        start = bodies[p[0]].index(p[3])
        p[4], p[5] = start, start + len(p[3])
    return bodies


if __name__ == "__main__":
    import sys

    print(build(sys.argv[1] if len(sys.argv) > 1 else "fixture.duckdb"))
