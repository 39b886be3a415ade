"""Fuzzing the readers and the extractor: no input crashes them, and a file that fails changes no data.

Inputs tried per run (``max_examples``): 300 report-like texts through ``normalize``, the prose
extractor and ``extract_document``; 300 random byte strings and 300 mutated real files (text, HTML,
PDF, DOCX) through ``read_document`` and the extractor; 40 bad uploads through ``add_files``.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.extract import extract_document
from etl.load import add_files
from etl.model import Document, ReadError, Report
from etl.normalize import normalize
from etl.prose import extract_prose
from etl.readers import read_document
from etl.sections import report_start, split_sections

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TEXT = (ROOT / "data" / "raw" / "samples" / "023.txt").read_text(encoding="utf-8")
HTML = (Path(__file__).parent / "fixtures" / "readers" / "zhuozhou_035.html").read_bytes()
PDF = ROOT.parent / "shared" / "corpus" / "pdf" / "huaian-city-government-2024.pdf"
TOKENS = [
    "政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "本年度", "主动公开政府信息", "条",
    "件", "人次", "余", "近", "约", "万", "，", "。", "；", "：", "（", "）", "\n", "\n\n", " | ", "|", "\f", "　",
    "2019年", "2021年", "二〇二三年", "０１２３", "1,234", "3.5", "-", "/", "——", "收到申请", "行政复议", "行政诉讼",
    "咨询", "政府网站", "微信公众号", "政务微博", "县教育局", "市卫生健康委员会", "自然人", "总计", "维持", "纠正",
    "更新不够及时", "政策解读", "Government Information Disclosure", "applications", "more than 20", "政府資訊公開",
    "ü", "\u200b", "\ufeff", "\x00", "�",
]
report_like = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=120).map("".join)


@st.composite
def spliced(draw) -> str:
    """A window of a real report with report-like text inserted in it."""
    start = draw(st.integers(0, len(SAMPLE_TEXT)))
    end = draw(st.integers(start, len(SAMPLE_TEXT)))
    cut = draw(st.integers(start, end))
    return SAMPLE_TEXT[start:cut] + draw(report_like) + SAMPLE_TEXT[cut:end]


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("示例区民政局2023年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况 本年度主动公开政府信息88条。")
    table = document.add_table(rows=2, cols=3)
    for col, value in enumerate(["本年新收政府信息公开申请数量", "7", "2"]):
        table.cell(1, col).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FILES = {"report.txt": SAMPLE_TEXT.encode("gb18030"), "page.html": HTML, "report.docx": _docx()}
if PDF.exists():
    FILES["report.pdf"] = PDF.read_bytes()[:60_000] + PDF.read_bytes()[-2_000:]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    """A real file of each format, cut, with bytes flipped or spliced in, sometimes under a wrong name."""
    name = draw(st.sampled_from(sorted(FILES)))
    data = bytearray(FILES[name])
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(max_size=32))
        elif kind == "delete":
            del data[at: at + draw(st.integers(1, 64))]
        else:
            del data[at:]
    suffix = draw(st.sampled_from([Path(name).suffix, ".txt", ".pdf", ".docx", ".htm", "", ".exe"]))
    return f"../{Path(name).stem}{suffix}", bytes(data)


def _extract_or_refuse(name: str, data: bytes) -> Report | None:
    try:
        document = read_document(name, data)
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None
    assert isinstance(document, Document) and isinstance(document.text, str)
    return extract_document(document, "0" * 64)


SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=300, deadline=None, suppress_health_check=SLOW_OK)
@given(st.one_of(report_like, spliced()))
def test_normalize_prose_and_extraction_never_crash(text):
    norm = normalize(text)
    start = report_start(norm.text)
    sections = split_sections(norm.text, start)
    for fact in extract_prose(norm.text, sections, norm.language, start):
        assert 0 <= fact.start <= fact.end <= len(norm.text)
    report = extract_document(Document("fuzz.txt", text, "txt"), "0" * 64)
    assert isinstance(report, Report) and report.era in ("template", "free_text")


@settings(max_examples=300, deadline=None, suppress_health_check=SLOW_OK)
@given(st.sampled_from(["a.txt", "a.pdf", "a.docx", "a.html", "a", "../../a.txt"]), st.binary(max_size=4096))
def test_readers_refuse_random_bytes_with_a_reason(name, data):
    _extract_or_refuse(name, data)


@settings(max_examples=300, deadline=None, suppress_health_check=SLOW_OK)
@given(mutated())
def test_damaged_real_files_are_read_or_refused_never_crash(case):
    _extract_or_refuse(*case)


DATA_TABLES = ("reports", "facts", "problems", "validation_issues", "bureaus", "corrections")


def _data(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS db (READ_ONLY)", [str(db)])
        return {t: con.execute(f"SELECT * FROM db.{t} ORDER BY ALL").fetchall() for t in DATA_TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz_base")
    add_files([ROOT / "data" / "raw" / "samples" / "001.txt"], folder / "base.duckdb")
    return folder / "base.duckdb"


bad_upload = st.one_of(
    st.tuples(st.sampled_from(["x.pdf", "x.docx", "../x.txt", "x.html"]),
              st.one_of(st.just(b""), st.binary(max_size=64).map(lambda b: b"\x00\x01" + b),
                        st.binary(max_size=64).map(lambda b: b"%PDF-1.4\n" + b),
                        st.binary(max_size=64).map(lambda b: b"PK\x03\x04" + b),
                        st.binary(max_size=64).map(lambda b: b"\x89PNG" + b))),
    mutated(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[*SLOW_OK, HealthCheck.function_scoped_fixture])
@given(bad_upload)
def test_a_file_that_fails_changes_no_data(base_db, tmp_path_factory, upload):
    folder = tmp_path_factory.mktemp("fuzz_db")
    db = folder / "r.duckdb"
    shutil.copyfile(base_db, db)
    before = _data(db)
    summary = add_files([upload], db)
    result = summary.results[0]
    if result.status != "failed":
        return
    assert result.reason and "\n" not in result.reason
    assert _data(db) == before
    assert not (folder / "raw" / "uploads").exists()
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS db (READ_ONLY)", [str(db)])
        assert con.execute("SELECT status, reason FROM db.ingest_log WHERE status = 'failed'").fetchall() == [
            ("failed", result.reason)]
    finally:
        con.close()
    shutil.rmtree(folder, ignore_errors=True)
