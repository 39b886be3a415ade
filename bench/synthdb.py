"""Synthetic report databases of any size, built directly in DuckDB with SQL.

``build(path, n_reports, seed)`` applies ``etl/schema.sql`` to a new file and fills it with
``n_reports`` reports of bureaus placed in the real gazetteer (``bench.generate.gazetteer``):
bureaus of many kinds at province, city and county level, each with a run of consecutive years,
about 2 % of bureau-years with a second report; per report the headline facts (proactive total,
channels, applications, reconsideration, litigation, consultations) and, for template-era reports
(2019 on), every table 2, 3 and 4 cell; problem and measure sentences by theme; validation issues
for about one report in eight; bodies of realistic length taken from generated report texts.
Rows are made by SQL, not by extracting text, so a million reports take minutes on two cores.

Inserts name their columns, so columns added to the schema later take their defaults. The file
records what it holds in ``meta`` (``bench_synthetic``), and ``build`` reuses a file whose
record matches the request and the current schema.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from bench import generate as gen
from etl.summary import build_summary, summary_is_current

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "etl" / "schema.sql"
BUILDER_VERSION = "1"
YEARS = (gen.FIRST_YEAR, gen.LAST_YEAR)

# Kinds beyond the generator's, so that a million reports find enough distinct bureaus.
EXTRA_KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("public_security", "公安局", "公安局", "公安厅"),
    ("tax", "税务局", "税务局", "税务局"),
    ("urban_management", "城市管理局", "城市管理局", "城市管理局"),
    ("sports", "体育局", "体育局", "体育局"),
    ("industry", "工业和信息化局", "工业和信息化局", "工业和信息化厅"),
    ("administrative_services", "行政审批局", "行政审批局", "政务服务管理局"),
    ("ethnic_religious", "民族宗教事务局", "民族宗教事务局", "民族宗教事务委员会"),
    ("archives", "档案局", "档案局", "档案局"),
    ("civil_defense", "人民防空办公室", "人民防空办公室", "人民防空办公室"),
    ("grain", "粮食和物资储备局", "粮食和物资储备局", "粮食和物资储备局"),
    ("government_affairs", "机关事务管理局", "机关事务管理局", "机关事务管理局"),
    ("government", "人民政府", "人民政府", "人民政府"),
)


def _schema_digest() -> str:
    return hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest()[:16]


def signature(n_reports: int, seed: int) -> str:
    return f"{n_reports}:{seed}:{BUILDER_VERSION}:{_schema_digest()}"


def existing_signature(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'bench_synthetic'").fetchone()
            return row[0] if row else None
    except duckdb.Error:
        return None


def _places() -> pd.DataFrame:
    rows = []
    for province in gen.gazetteer():
        for place in (province.own, *province.cities, *province.counties):
            rows.append({"province": place.province, "city": place.city, "county": place.county,
                         "level": place.level, "municipality": place.municipality})
    df = pd.DataFrame(rows)
    df.insert(0, "pid", range(len(df)))
    return df


def _kinds() -> pd.DataFrame:
    rows = [{"kind": k.key, "weight": k.weight, "s_county": k.names[0], "s_city": k.names[1],
             "s_province": k.names[2]} for k in gen.KINDS]
    rows += [{"kind": key, "weight": 1.0, "s_county": c, "s_city": ci, "s_province": p}
             for key, c, ci, p in EXTRA_KINDS]
    df = pd.DataFrame(rows)
    df.insert(0, "kid", range(len(df)))
    return df


def _cells() -> pd.DataFrame:
    """One row per template-table cell of each version: table, row, column, label and value scale."""
    rows: list[dict[str, Any]] = []
    for version, outcomes in (("2019", gen.OUTCOMES_2019), ("2021", gen.OUTCOMES_2021)):
        for r in ("R01", "R02", *outcomes, "R24", "R25"):
            label = "（六）其他处理" if version == "2019" and r == "R21" else gen.T3_LABELS[r]
            scale = {"R01": 6.0, "R02": 0.5, "R03": 3.0, "R13": 1.5, "R24": 6.0, "R25": 0.5}.get(r, 0.3)
            for c in gen.T3_COLUMNS:
                col_scale = {"自然人": 1.0, "总计": 1.1, "商业企业": 0.15, "法律服务机构": 0.08}.get(c, 0.02)
                rows.append({"version": version, "tbl": 3, "row_id": r, "column_name": c, "label": label,
                             "scale": scale * col_scale})
        for g in gen.T4_GROUPS:
            for c in gen.T4_COLUMNS:
                rows.append({"version": version, "tbl": 4, "row_id": g, "column_name": c, "label": g,
                             "scale": 0.3 if g == "复议" else 0.1})
    t2 = {
        "2019": [("规章", ("本年新制作数量", "本年新公开数量", "对外公开总数量")),
                 ("规范性文件", ("本年新制作数量", "本年新公开数量", "对外公开总数量")),
                 *((item, ("上一年项目数量", "本年增/减", "处理决定数量"))
                   for item in ("行政许可", "其他对外管理服务事项", "行政处罚", "行政强制")),
                 ("行政事业性收费", ("上一年项目数量", "本年增/减")), ("政府集中采购", ("采购项目数量", "采购总金额"))],
        "2021": [("规章", ("本年制发件数", "本年废止件数", "现行有效件数")),
                 ("行政规范性文件", ("本年制发件数", "本年废止件数", "现行有效件数")),
                 *((item, ("本年处理决定数量",)) for item in ("行政许可", "行政处罚", "行政强制")),
                 ("行政事业性收费", ("本年收费金额",))],
    }
    for version, items in t2.items():
        for item, columns in items:
            for c in columns:
                rows.append({"version": version, "tbl": 2, "row_id": item, "column_name": c, "label": item,
                             "scale": 40.0 if "处理决定" in c else 5.0})
    df = pd.DataFrame(rows)
    df["k"] = df.groupby("version").cumcount()
    return df


def _problem_pool() -> pd.DataFrame:
    rows = []
    for theme, (problems, measures) in gen._PROBLEMS.items():
        rows += [{"theme": theme, "kind": "problem", "sentence": s + "。"} for s in problems]
        rows += [{"theme": theme, "kind": "measure", "sentence": s + "。"} for s in measures]
    df = pd.DataFrame(rows)
    df["n"] = df.groupby(["theme", "kind"]).cumcount()
    df["of"] = df.groupby(["theme", "kind"])["n"].transform("size")
    return df


def _bodies(seed: int, count: int = 400) -> pd.DataFrame:
    texts = [s.text.split("\n", 2)[-1] for s in gen.generate(count, seed + 1)]
    return pd.DataFrame({"b": range(len(texts)), "body": texts})


def build(path: Path, n_reports: int, seed: int = 0, threads: int | None = None,
          memory_limit: str | None = None, force: bool = False) -> dict[str, Any]:
    """Build (or reuse) a synthetic database of ``n_reports`` reports at ``path``; gives row counts and timing."""
    path = Path(path)
    sig = signature(n_reports, seed)
    if not force and existing_signature(path) == sig:
        summary_seconds = _ensure_summary(path)
        return {**_counts(path), "reused": True, "build_seconds": None, "summary_seconds": summary_seconds,
                "db_bytes": path.stat().st_size}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(tmp))
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute("SET enable_progress_bar = false")
        con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
        _fill(con, n_reports, seed, sig)
        build_summary(con)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, path)
    return {**_counts(path), "reused": False, "build_seconds": round(time.perf_counter() - started, 1),
            "db_bytes": path.stat().st_size}


def _ensure_summary(path: Path) -> float | None:
    """Build the dashboard's summary tables (``etl.summary``) into a reused database that lacks them; gives
    the seconds it took, None when they were current."""
    with duckdb.connect(str(path)) as con:
        if summary_is_current(con):
            return None
        started = time.perf_counter()
        build_summary(con)
        con.execute("CHECKPOINT")
    return round(time.perf_counter() - started, 1)


def _counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in ("reports", "bureaus", "facts", "problems", "validation_issues")}


def _fill(con: duckdb.DuckDBPyConnection, n: int, seed: int, sig: str) -> None:
    places, kinds, cells, pool, bodies = _places(), _kinds(), _cells(), _problem_pool(), _bodies(seed)
    for name, frame in (("s_places", places), ("s_kinds", kinds), ("s_cells", cells), ("s_pool", pool),
                        ("s_bodies", bodies)):
        con.register(name + "_df", frame)
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(name + "_df")
    n_bodies = len(bodies)
    try:
        from etl.load import SCHEMA_VERSION
    except ImportError:
        SCHEMA_VERSION = "unknown"
    con.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?), ('built_at', ?), "
                "('bench_synthetic', ?) ON CONFLICT DO NOTHING",
                [str(SCHEMA_VERSION), time.strftime("%Y-%m-%dT%H:%M:%S"), sig])
    universe = con.execute("SELECT count(*) FROM s_places, s_kinds").fetchone()[0]  # type: ignore[index]
    span = YEARS[1] - YEARS[0] + 1
    n_bureaus = min(universe, max(1, round(n / 7.5)))
    avg = n / n_bureaus * 1.08
    # Bureaus: a weighted sample of (place, kind) without replacement (key u^(1/w), largest first).
    con.execute(f"""
        CREATE TEMP TABLE s_bureaus AS
        WITH u AS (
            SELECT p.*, k.kind, k.s_county, k.s_city, k.s_province,
                   k.weight * CASE p.level WHEN 'province' THEN 40 WHEN 'city' THEN 8 ELSE 1 END AS w,
                   ((hash(p.pid, k.kid, {seed}) % 1000000007) + 1) / 1000000008.0 AS u1
            FROM s_places p, s_kinds k
        )
        SELECT row_number() OVER (ORDER BY pow(u1, 1.0 / w) DESC) - 1 AS j,
               province || '|' || coalesce(city, '') || '|' || coalesce(county, '') || '|' || kind || '|' || level
                   AS bureau_id,
               CASE level WHEN 'province' THEN province || CASE WHEN municipality THEN s_city ELSE s_province END
                          WHEN 'city' THEN city || s_city
                          ELSE coalesce(city, '') || county || s_county END AS name,
               kind, level, province, city, county
        FROM u
        ORDER BY pow(u1, 1.0 / w) DESC
        LIMIT {n_bureaus}
    """)
    con.execute("""INSERT INTO bureaus (bureau_id, name, kind, level, province, city, county, is_sample)
                   SELECT bureau_id, name, kind, level, province, city, county, FALSE FROM s_bureaus""")
    # Reports: each bureau a run of consecutive years; ~2 % of bureau-years with a second report.
    con.execute(f"""
        CREATE TEMP TABLE s_reports AS
        WITH runs AS (
            SELECT b.*,
                   greatest(1, least({span}, round({avg} * (0.35 + 1.3 * ((hash(j, 'len', {seed}) % 1000) / 1000.0)))
                   ))::INTEGER AS len,
                   (hash(j, 'start', {seed}) % 1000) / 1000.0 AS u2
            FROM s_bureaus b
        ),
        years AS (
            SELECT r.*, unnest(range({YEARS[0]} + floor(u2 * ({span} - len + 1))::INTEGER,
                                     {YEARS[0]} + floor(u2 * ({span} - len + 1))::INTEGER + len)) AS year
            FROM runs r
        ),
        copies AS (
            SELECT y.*, c.copy FROM years y, (VALUES (0), (1)) c(copy)
            WHERE c.copy = 0 OR hash(y.j, y.year, 'dup', {seed}) % 50 = 0
        )
        SELECT row_number() OVER (ORDER BY j, year, copy) - 1 AS i, *
        FROM copies
        ORDER BY j, year, copy
        LIMIT {n}
    """)
    con.execute(f"""
        CREATE TEMP TABLE s_rep AS
        SELECT i, j, bureau_id, name, level, kind, year, copy,
               substr(md5('{seed}:' || i), 1, 16) AS report_id,
               md5('{seed}:' || i) || md5('{seed}:' || i || ':2') AS content_hash,
               CASE WHEN year >= 2019 THEN 'template' ELSE 'free_text' END AS era,
               CASE WHEN year >= 2021 THEN '2021' WHEN year >= 2019 THEN '2019' END AS template_version,
               CASE level WHEN 'province' THEN 6.0 WHEN 'city' THEN 2.5 ELSE 1.0 END AS scale,
               hash(i, {seed}) AS h
        FROM s_reports
    """)
    con.execute(f"""
        INSERT INTO reports (report_id, content_hash, path, collection, is_sample, file_kind, language, era,
                             template_version, year, year_inferred, bureau_id, bureau_name_raw, title,
                             is_aggregate, flags, body, loaded_at)
        SELECT r.report_id, r.content_hash, 'synthetic/' || r.report_id || '.txt', 'synthetic', FALSE, 'txt', 'zh',
               r.era, r.template_version, r.year, FALSE, r.bureau_id, r.name,
               r.name || r.year || '年政府信息公开工作年度报告',
               FALSE, CASE WHEN r.copy = 1 THEN ['duplicate_copy'] ELSE [] END::VARCHAR[],
               r.name || r.year || '年政府信息公开工作年度报告' || chr(10) || b.body, TIMESTAMP '2026-01-01 12:00:00'
        FROM s_rep r JOIN s_bodies b ON b.b = r.i % {n_bodies}
        ORDER BY r.i
    """)
    _facts(con, seed)
    _problems(con, seed)
    _issues(con, seed)
    con.execute("""INSERT INTO ingest_log (path, status, reason, report_id, logged_at)
                   SELECT 'synthetic/' || report_id || '.txt', 'loaded', name || ', ' || year, report_id,
                          TIMESTAMP '2026-01-01 12:00:00' FROM s_rep""")


# Headline facts: (metric, dimension, k, median at county level, probability for free text, for template).
_HEADLINES = (
    ("proactive_total", None, 0, 150.0, 0.97, 0.98),
    ("applications_received", None, 1, 4.0, 0.9, 1.0),
    ("reconsideration", None, 2, 0.2, 0.7, 1.0),
    ("litigation", None, 3, 0.1, 0.7, 1.0),
    ("consultations", None, 4, 20.0, 0.5, 0.2),
    ("channel", "website", 5, 110.0, 0.95, 0.95),
    ("channel", "wechat", 6, 40.0, 0.35, 0.85),
    ("channel", "weibo", 7, 15.0, 0.3, 0.15),
    ("channel", "douyin", 8, 10.0, 0.0, 0.25),
    ("channel", "bulletin_board", 9, 20.0, 0.3, 0.05),
    ("channel", "media", 10, 8.0, 0.12, 0.1),
    ("channel", "other", 11, 12.0, 0.1, 0.1),
    ("proactive_category", "机构职能类", 12, 8.0, 0.6, 0.0),
    ("proactive_category", "规范性文件", 13, 5.0, 0.6, 0.0),
    ("proactive_category", "工作动态", 14, 60.0, 0.6, 0.0),
    ("proactive_category", "公示公告类", 15, 20.0, 0.5, 0.0),
    ("applications_received", "prose", 16, 4.0, 0.0, 0.6),
)
_SENTENCES = {
    "proactive_total": "全年共主动公开政府信息{v}条。",
    "applications_received": "全年共收到政府信息公开申请{v}件。",
    "reconsideration": "本年度发生政府信息公开行政复议案件{v}件。",
    "litigation": "行政诉讼案件{v}件。",
    "consultations": "全年接受政府信息公开咨询{v}人次。",
    "channel": "通过{d}发布信息{v}条。",
    "proactive_category": "按内容分，{d}{v}条。",
}


def _facts(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    spec = pd.DataFrame([
        {"metric": m, "dimension": d, "k": k, "median": med, "p_free": pf, "p_template": pt,
         "sentence": _SENTENCES[m], "unit": "件" if m in ("applications_received", "reconsideration", "litigation")
         else ("人次" if m == "consultations" else "条")}
        for m, d, k, med, pf, pt in _HEADLINES
    ])
    con.register("s_spec_df", spec)
    con.execute("CREATE TEMP TABLE s_spec AS SELECT * FROM s_spec_df")
    con.unregister("s_spec_df")
    columns = ("fact_id, report_id, metric, dimension, value, value_kind, raw, unit, qualifier, headline, tbl, row_id, "
               "column_name, evidence, start_offset, end_offset, page, flags")
    # A value drawn from a log-normal-ish spread around the median, times the level's scale.
    spread = (f"((hash(r.i, s.k, {seed}) % 1000)::INTEGER + (hash(r.i, s.k, 'b', {seed}) % 1000)::INTEGER - 1000)"
              " / 1000.0")
    value = f"floor(s.median * r.scale * (1 + 0.06 * (r.year - 2008)) * exp(1.6 * {spread}))"
    con.execute(f"""
        INSERT INTO facts ({columns})
        WITH v AS (
            SELECT r.i, r.report_id, s.metric, s.dimension, s.k, s.unit, s.sentence,
                   CASE WHEN s.metric IN ('reconsideration', 'litigation')
                        THEN CASE WHEN hash(r.i, s.k, 'z', {seed}) % 8 = 0
                                  THEN 1 + hash(r.i, s.k, {seed}) % 3 ELSE 0 END
                        ELSE {value} END::DOUBLE AS value
            FROM s_rep r JOIN s_spec s
              ON (hash(r.i, s.k, 'p', {seed}) % 1000) < 1000 * CASE r.era WHEN 'template' THEN s.p_template
                                                                        ELSE s.p_free END
        )
        SELECT v.i * 512 + v.k, v.report_id, v.metric,
               CASE WHEN v.dimension = 'prose' THEN NULL ELSE v.dimension END, v.value,
               CASE WHEN v.value = 0 THEN 'zero' ELSE 'number' END, v.value::BIGINT::VARCHAR, v.unit,
               CASE WHEN v.metric = 'proactive_total' AND hash(v.i, 'q', {seed}) % 20 = 0 THEN 'more_than' END,
               v.dimension IS DISTINCT FROM 'prose' AND v.metric <> 'proactive_category',
               NULL, NULL, NULL,
               replace(replace(v.sentence, '{{v}}', v.value::BIGINT::VARCHAR), '{{d}}', coalesce(v.dimension, '')),
               100 + v.k * 40, 120 + v.k * 40, NULL, []::VARCHAR[]
        FROM v
        ORDER BY v.i, v.k
    """)
    # Template tables: every cell, mostly small numbers and zeros, a few blanks and "/".
    con.execute(f"""
        INSERT INTO facts ({columns})
        WITH c AS (
            SELECT r.i, r.report_id, c.tbl, c.row_id, c.column_name, c.label, c.k,
                   hash(r.i, c.k, {seed}) AS h,
                   floor(c.scale * r.scale * ((hash(r.i, c.k, {seed}) % 1000) / 250.0)) AS v
            FROM s_rep r JOIN s_cells c ON c.version = r.template_version
        )
        SELECT c.i * 512 + 32 + c.k, c.report_id, 'table' || c.tbl, NULL,
               CASE WHEN c.h % 97 = 0 THEN NULL ELSE c.v END,
               CASE WHEN c.h % 97 = 0 THEN (CASE WHEN c.tbl = 2 THEN 'slash' ELSE 'blank' END)
                    WHEN c.v = 0 THEN 'zero' ELSE 'number' END,
               CASE WHEN c.h % 97 = 0 THEN (CASE WHEN c.tbl = 2 THEN '/' ELSE '' END) ELSE c.v::BIGINT::VARCHAR END,
               NULL, NULL, FALSE, c.tbl, c.row_id, c.column_name,
               '| ' || c.label || ' | ' || c.v::BIGINT::VARCHAR || ' |',
               2000 + c.k * 30, 2020 + c.k * 30, NULL, []::VARCHAR[]
        FROM c
        ORDER BY c.i, c.k
    """)


def _problems(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    themes = "[" + ", ".join(f"'{t}'" for t in gen._THEMES) + "]"
    con.execute(f"""
        INSERT INTO problems (report_id, kind, theme, sentence, start_offset, end_offset)
        WITH picks AS (
            SELECT r.i, r.report_id, t.n AS slot,
                   CASE WHEN t.n < 3 THEN 'problem' ELSE 'measure' END AS kind,
                   {themes}[(1 + hash(r.i, t.n % 3, {seed}) % {len(gen._THEMES)})::BIGINT] AS theme
            FROM s_rep r, range(6) t(n)
            WHERE t.n % 3 < 1 + hash(r.i, 'np', {seed}) % 3
        )
        SELECT p.report_id, p.kind, p.theme, s.sentence, 3000 + p.slot * 60, 3040 + p.slot * 60
        FROM picks p JOIN s_pool s
          ON s.theme = p.theme AND s.kind = p.kind AND s.n = hash(p.i, p.slot, 's', {seed}) % s.of
        ORDER BY p.i, p.slot
    """)


def _issues(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    con.execute(f"""
        INSERT INTO validation_issues (report_id, rule, severity, message, refs)
        SELECT report_id,
               CASE WHEN era = 'template'
                    THEN ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'][(1 + hash(i, 'rule', {seed}) % 6)::BIGINT]
                    ELSE 'parts_categories' END AS rule,
               CASE WHEN era = 'template' AND hash(i, 'rule', {seed}) % 6 < 4 THEN 'error' ELSE 'warning' END,
               'synthetic validation issue', ['table3:R24:总计']
        FROM s_rep
        WHERE hash(i, 'issue', {seed}) % 8 = 0
    """)
