"""Readers: every supported format, the Chinese encodings, and each kind of bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfmaker import make_pdf

from etl import readers
from etl.model import PAGE_BREAK, Document, ReadError
from etl.readers import MAX_BYTES, SUPPORTED_SUFFIXES, read_document, safe_name
from etl.readers_text import COMMON_HAN

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
HUAIAN_PDF = Path(__file__).parents[2] / "shared" / "corpus" / "pdf" / "huaian-city-government-2024.pdf"


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("示例区民政局2023年政府信息公开工作年度报告", level=1)
    document.add_paragraph("一、总体情况")
    document.add_paragraph("本年度主动公开政府信息88条。")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "申请情况"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "申请人情况"
    table.cell(1, 1).text = "自然人"
    table.cell(1, 2).text = "法人或其他组织"
    for col, value in enumerate(["一、本年新收政府信息公开申请数量", "7", "2"]):
        table.cell(2, col).text = value
    document.add_paragraph("二、存在的主要问题及改进情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def reason(path: str | Path, data: bytes | None = None) -> str:
    with pytest.raises(ReadError) as info:
        read_document(path, data)
    return str(info.value)


# --- plain text in Chinese encodings ---------------------------------------------------------------

def test_gbk_text_keeps_lines_and_finds_title() -> None:
    doc = read_document(FIXTURES / "gbk.txt")
    assert (doc.kind, doc.encoding) == ("txt", "gb18030")
    assert doc.title == "示例县教育局2023年政府信息公开工作年度报告"
    assert "主动公开政府信息123条，其中政府网站96条" in doc.text
    assert doc.text.split("\n")[:3] == ["示例县教育局2023年政府信息公开工作年度报告", "", "一、总体情况"]
    assert "\r" not in doc.text
    assert doc.warnings == []
    assert doc.source == str(FIXTURES / "gbk.txt")


def test_big5_text() -> None:
    doc = read_document(FIXTURES / "big5.txt")
    assert doc.encoding == "big5"
    assert doc.title == "臺北示例局2023年政府資訊公開工作年度報告"
    assert "本年度主動公開政府資訊45條" in doc.text


def test_utf8_bom_text() -> None:
    doc = read_document(FIXTURES / "utf8_bom.txt")
    assert doc.encoding == "utf-8-sig"
    assert doc.text.startswith("示例市卫生健康局2022年")
    assert "\ufeff" not in doc.text


@pytest.mark.parametrize(("text", "codec"), [
    ("年度报告", "gbk"), ("政府信息公开", "gbk"), ("本年度未收取信息处理费。", "gb18030"), ("一", "gbk"),
    ("年度報告", "big5"), ("政府資訊公開工作", "big5"), ("主動公開政府資訊", "big5"),
])
def test_short_chinese_is_never_read_as_korean(text: str, codec: str) -> None:
    doc = read_document("short.txt", text.encode(codec))
    assert doc.text == text
    assert doc.encoding in ("gb18030", "big5")


def test_utf16_text_with_a_byte_order_mark() -> None:
    doc = read_document("notepad.txt", "政府信息公开\r\n年度报告".encode("utf-16"))
    assert (doc.encoding, doc.text) == ("utf-16", "政府信息公开\n年度报告")


def test_upload_bytes_keep_the_given_name_as_source() -> None:
    doc = read_document(Path("uploads") / "报告.txt", "主动公开政府信息5条".encode())
    assert doc.source == str(Path("uploads") / "报告.txt")
    assert (doc.encoding, doc.text) == ("utf-8", "主动公开政府信息5条")


def test_utf8_with_one_bad_byte_is_read_with_a_warning() -> None:
    data = "本年度主动公开政府信息356条，政府网站发布300条。".encode() * 20 + b"\xff"
    doc = read_document("bad-byte.txt", data)
    assert doc.encoding == "utf-8"
    assert doc.text.startswith("本年度主动公开政府信息356条")
    assert doc.warnings == ["1 undecodable byte sequences replaced (utf-8)"]


# --- HTML ----------------------------------------------------------------------------------------

def test_html_honours_meta_charset_and_drops_boilerplate() -> None:
    doc = read_document(FIXTURES / "gbk_meta.html")
    assert (doc.kind, doc.encoding) == ("html", "gb18030")
    assert doc.title == "示例县人民政府办公室2023年政府信息公开工作年度报告"
    lines = doc.text.split("\n")
    assert lines[0] == doc.title
    assert "一、总体情况" in lines
    assert "本年度主动公开政府信息356条。" in lines
    assert "二、收到和处理政府信息公开申请情况" in lines
    table = [line for line in lines if line.startswith("|")]
    assert table == [
        "| 申请情况 | 申请人情况 |",
        "| 自然人 | 法人或其他组织 |",
        "| 一、本年新收政府信息公开申请数量 | 12 | 3 |",
        "| 二、上年结转政府信息公开申请数量 | 1 | 0 |",
    ]
    assert lines[-1] == "政策解读形式比较单一。"
    for gone in ("首页", "政务公开", "当前位置", "打印", "分享到", "相关阅读", "2022年政府信息公开工作年度报告",
                 "上一篇", "版权所有", "统计代码", "脚本文本", "color"):
        assert gone not in doc.text, gone


def test_saved_government_page_035() -> None:
    doc = read_document(FIXTURES / "zhuozhou_035.html")
    assert doc.title == "涿州市自然资源和规划局2024年政府信息公开工作年度报告"
    lines = doc.text.split("\n")
    assert "| 一、本年新收政府信息公开申请数量 | 18 | 2 | 0 | 0 | 1 | 0 | 21 |" in lines
    assert "| 行政许可 | 143 |" in lines
    assert "| 三、本年度办理结果 | （一）予以公开 | 6 | 1 | 0 | 0 | 0 | 0 | 7 |" in lines
    assert "| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 3 | 0 | 0 | 0 | 0 | 0 | 3 |" in lines
    assert "首页 | 政务公开" not in doc.text
    assert "当前位置" not in doc.text
    assert "冀ICP备" not in doc.text and "网站标识码" not in doc.text
    assert "$.get" not in doc.text
    assert lines[-1] == "本年度未收取信息处理费。"


def test_html_named_txt_is_read_as_html_with_a_warning() -> None:
    data = "<html><body><p>第一段</p><p>第二段<br>第三行</p></body></html>".encode()
    doc = read_document("page.txt", data)
    assert doc.kind == "html"
    assert doc.text == "第一段\n第二段\n第三行"
    assert doc.warnings == ["wrong extension: .txt file whose content is html; read as html"]


def test_html_with_a_wrong_declared_charset_is_detected() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>政府信息公开工作年度报告</p></body></html>'
    doc = read_document("page.html", page.encode("gbk"))
    assert doc.text == "政府信息公开工作年度报告"
    assert doc.encoding == "gb18030"
    assert doc.warnings == ["declared charset 'utf-8' does not match the bytes"]


def test_html_declared_western_charset_loses_to_chinese() -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>主动公开政府信息246条</p></body></html>'
    doc = read_document("page.html", page.encode("gbk"))
    assert (doc.text, doc.encoding) == ("主动公开政府信息246条", "gb18030")
    assert doc.warnings == ["declared charset 'iso-8859-1' ignored: the text is Chinese in gb18030"]


def test_html_layout_table_is_read_as_blocks() -> None:
    para = "本年度主动公开政府信息一百余条，涉及规划、财政预决算、重大项目等领域。" * 8
    page = (f"<html><body><table><tr><td><a href='/'>首页</a></td></tr><tr><td><p>{para}</p>"
            f"<table border=1><tr><td>规章</td><td>0</td></tr></table><p>完</p></td></tr></table></body></html>")
    doc = read_document("layout.html", page.encode())
    assert doc.text.split("\n") == [para, "| 规章 | 0 |", "完"]


OLD_LAYOUT_PAGE = """<html><head><meta http-equiv=Content-Type content="text/html; charset=gbk">
<title>2022-2023年度信息公开 - 某某区人民政府</title></head><body><table width=980>
<tr><td class=dh><a href=/>网站首页</a> | <a href=/a>机构概况</a> | <a href=/b>政务公开</a></td></tr>
<tr><td><table><tr><td width=200><a href=/x>通知公告</a><br><a href=/y>工作动态</a><br><a>领导之窗</a></td>
<td><div align=center><b>某某区审计局2022年度政府信息公开工作报告</b></div>
<div id=zoom><p class=MsoNormal><span>　　一、总体情况</span></p>
<p class=MsoNormal><span>　　2022年，我局主动公开政府信息45条。</span></p>
<table class=MsoTableGrid border=1><tr><td><p class=MsoNormal><span>信息内容</span></p></td><td><p>本年制发件数</p>
</td></tr><tr><td><p>规章</p></td><td><p>0</p></td></tr></table>
<p>　　二、存在的问题<br>　　公开内容不够全面。<br>　　下一步加强培训。</p></div></td></tr></table></td></tr>
<tr><td class=copyright>版权所有：某某区人民政府 地址：某某路1号 电话：0000-1234567</td></tr></table></body></html>"""


def test_html_old_layout_page_with_word_markup() -> None:
    doc = read_document("old.htm", OLD_LAYOUT_PAGE.encode("gbk"))
    assert doc.encoding == "gb18030"
    assert doc.title == "某某区审计局2022年度政府信息公开工作报告"
    assert doc.text.split("\n") == [
        "某某区审计局2022年度政府信息公开工作报告",
        "一、总体情况",
        "2022年，我局主动公开政府信息45条。",
        "| 信息内容 | 本年制发件数 |",
        "| 规章 | 0 |",
        "二、存在的问题",
        "公开内容不够全面。",
        "下一步加强培训。",
    ]


def test_html_title_from_the_title_element_keeps_year_ranges() -> None:
    page = "<html><head><title>2022-2023年度信息公开_某某区人民政府</title></head><body><p>正文</p></body></html>"
    assert read_document("t.html", page.encode()).title == "2022-2023年度信息公开"
    page = "<title>年度报告 - 某某区人民政府</title><article><header><h1>某某区年报</h1></header><p>正文</p></article>"
    assert read_document("t.html", page.encode()).title == "某某区年报"


def test_html_drops_characters_xml_cannot_hold() -> None:
    page = "<p>" + "政府信息公开" * 10 + "<script>x</script>\x0c尾\ufffe</p>"
    assert read_document("ff.html", page.encode()).text == "政府信息公开" * 10 + "尾"


def test_html_without_text_is_refused() -> None:
    assert reason("img.html", b"<html><body><img src='scan.png'></body></html>") == (
        "HTML page without text (images or frames only?)")


# --- PDF -----------------------------------------------------------------------------------------

def test_pdf_pages_are_joined_with_form_feeds() -> None:
    data = make_pdf([["示例县财政局", "2023年政府信息公开工作年度报告", "一、总体情况"], ["二、主动公开政府信息情况"]])
    doc = read_document("report.pdf", data)
    assert doc.kind == "pdf"
    assert doc.text == ("示例县财政局\n2023年政府信息公开工作年度报告\n一、总体情况"
                        f"{PAGE_BREAK}二、主动公开政府信息情况")
    assert doc.title == "示例县财政局2023年政府信息公开工作年度报告"
    assert doc.warnings == []


@pytest.mark.skipif(not HUAIAN_PDF.exists(), reason="shared corpus not present")
def test_real_pdf_report() -> None:
    doc = read_document(HUAIAN_PDF)
    assert doc.text.count(PAGE_BREAK) == 5
    assert "淮安市人民政府" in doc.text.split(PAGE_BREAK)[0]
    assert "2024 年政府信息公开工作年度报告" in doc.text
    assert doc.title == "淮安市人民政府2024 年政府信息公开工作年度报告"


def test_pdf_with_a_scanned_page_warns() -> None:
    doc = read_document("mixed.pdf", make_pdf([["第一页文字"], []]))
    assert doc.text == f"第一页文字{PAGE_BREAK}"
    assert doc.warnings == ["pages without a text layer (scanned?): 2"]


def test_scanned_pdf_is_refused() -> None:
    assert reason("scan.pdf", make_pdf([[], []])) == "scanned PDF without a text layer: needs OCR"


def test_encrypted_pdf_is_refused() -> None:
    assert reason("locked.pdf", make_pdf([["机密"]], encrypt=True)) == "encrypted PDF"


@pytest.mark.parametrize("cut", [9, 100, 400, -60])
def test_truncated_pdf_is_refused(cut: int) -> None:
    data = make_pdf([["第一页"], ["第二页"]])
    assert reason("cut.pdf", data[:cut]).startswith("damaged PDF: ")


def test_pdf_named_txt_is_read_as_pdf_with_a_warning() -> None:
    doc = read_document("report.txt", make_pdf([["政府信息公开工作年度报告"]]))
    assert (doc.kind, doc.text) == ("pdf", "政府信息公开工作年度报告")
    assert doc.warnings == ["wrong extension: .txt file whose content is pdf; read as pdf"]


# --- DOCX ----------------------------------------------------------------------------------------

def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(make_docx())
    doc = read_document(path)
    assert doc.kind == "docx"
    assert doc.title == "示例区民政局2023年政府信息公开工作年度报告"
    assert doc.text.split("\n") == [
        "示例区民政局2023年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度主动公开政府信息88条。",
        "| 申请情况 | 申请人情况 |",
        "| 自然人 | 法人或其他组织 |",
        "| 一、本年新收政府信息公开申请数量 | 7 | 2 |",
        "二、存在的主要问题及改进情况",
    ]


def test_docx_named_pdf_is_read_as_docx_with_a_warning() -> None:
    doc = read_document("report.pdf", make_docx())
    assert doc.kind == "docx"
    assert doc.warnings == ["wrong extension: .pdf file whose content is docx; read as docx"]


def test_docx_over_the_unpacked_limit_is_refused() -> None:
    data = zip_bytes({"word/document.xml": b"\0" * (51 * 1024 * 1024)})
    assert reason("big.docx", data) == "zip bomb refused: 51 MB unpacked (limit 50 MB)"


def test_docx_with_a_high_compression_ratio_is_refused() -> None:
    data = zip_bytes({"word/document.xml": b" " * (4 * 1024 * 1024)})
    message = reason("bomb.docx", data)
    assert message.startswith("zip bomb refused: compression ratio ")
    assert message.endswith("(limit 100)")


def test_zip_that_is_not_a_word_document() -> None:
    assert reason("a.docx", zip_bytes({"xl/workbook.xml": b"<x/>"})) == "Excel workbook (XLSX), not a Word document"
    assert reason("b.docx", zip_bytes({"notes.txt": b"hi"})) == (
        "ZIP archive that is not a Word document (no word/document.xml)")


def test_damaged_docx_is_refused() -> None:
    data = zip_bytes({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"})
    assert reason("broken.docx", data).startswith("damaged DOCX: ")
    assert reason("cut.docx", make_docx()[:300]).startswith("damaged DOCX: ")


# --- bad input -----------------------------------------------------------------------------------

def test_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert reason(empty) == "empty file (0 bytes)"
    assert reason("upload.txt", b"") == "empty file (0 bytes)"
    assert reason("blank.txt", b" \r\n\t\n") == "empty file (whitespace only)"


def test_binary_junk_is_refused() -> None:
    assert reason("junk.txt", bytes(range(256)) * 8) == "binary data, not text (10% control bytes)"
    assert reason("nul.txt", "报告".encode() + b"\0" * 50) == "binary data, not text (89% control bytes)"
    assert reason("junk.txt", b"\xfe" * 300 + b"\xff" * 300) == "undecodable text: not UTF-8, GB18030 or Big5"


def test_known_binary_formats_are_named() -> None:
    assert reason("scan.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 20) == "image file (PNG), not a text report: needs OCR"
    assert reason("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20) == (
        "legacy Office file (DOC/XLS/WPS): not supported, save it as DOCX")


def test_too_large_files_are_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    assert reason(huge) == "file too large: 50.0 MB (limit 50 MB)"
    assert reason("upload.txt", b"a" * (MAX_BYTES + 1)) == "file too large: 50.0 MB (limit 50 MB)"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert reason(tmp_path / "nope.txt") == "file not found"
    assert reason(tmp_path) == "a directory, not a file"
    assert reason("bad\0name.txt") == "invalid path: embedded null byte"


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".html", ".htm", ".pdf", ".docx"}


@pytest.mark.parametrize(("name", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\张三\\2024年度报告.pdf", "2024年度报告.pdf"),
    ("..", "upload"),
    ("", "upload"),
    ("a\x00b\x1f\u202ec.txt", "abc.txt"),
    ("..\\..\\.hidden.txt", "hidden.txt"),
    ("报告<1>?.docx", "报告_1__.docx"),
    ("  政府 信息\t公开.txt ", "政府 信息 公开.txt"),
    ("CON.txt", "_CON.txt"),
])
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name) == expected


def test_safe_name_keeps_the_suffix_of_long_names() -> None:
    name = safe_name("年" * 300 + ".pdf")
    assert len(name) == 150
    assert name.endswith("年.pdf")


# --- properties ----------------------------------------------------------------------------------

SUFFIXES = st.sampled_from(["x.txt", "x.html", "x.pdf", "x.docx", "x", "x.doc"])
PREFIXES = st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><meta charset=gbk>", b"\xef\xbb\xbf",
                            b"\xff\xfe", b"<table><tr><td rowspan=2>"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=SUFFIXES, prefix=PREFIXES, body=st.binary(max_size=2000))
def test_any_bytes_give_a_document_or_a_read_error(name: str, prefix: bytes, body: bytes) -> None:
    try:
        doc = read_document(name, prefix + body)
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(doc, Document)
        assert doc.kind in ("txt", "html", "pdf", "docx")
        assert isinstance(doc.text, str) and doc.text.strip()


HTML_TOKENS = st.sampled_from([
    "<p>", "</p>", "<br>", "<div class=nav>", "<div id=content>", "</div>", "<a href=/>", "</a>", "<script>",
    "</script>", "<table>", "</table>", "<tr>", "<td rowspan=2>", "<td colspan=3>", "<th>", "<h1>", "</h1>",
    "<li>", "<pre>", "</pre>", "相关阅读", "分享到", "政府信息公开", "123", "|", " ", "\n", "\x0c", "\ufffe", "\x00",
    "<title>年报_某某县</title>", "<meta charset=gbk>", "<!--", "-->", "&nbsp;", "&#0;", "<?xml version='1.0'?>",
])


@settings(max_examples=300, deadline=None)
@given(tokens=st.lists(HTML_TOKENS, max_size=60), codec=st.sampled_from(["utf-8", "gb18030", "big5"]))
def test_any_html_gives_a_document_or_a_read_error(tokens: list[str], codec: str) -> None:
    data = "".join(tokens).encode(codec, errors="replace")
    try:
        doc = read_document("page.html", data)
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert doc.kind == "html" and doc.text.strip()


VALID_FILES = {
    "r.pdf": make_pdf([["示例县财政局", "2023年政府信息公开工作年度报告"], ["二、主动公开"]]),
    "r.docx": make_docx(),
    "r.html": (FIXTURES / "gbk_meta.html").read_bytes(),
    "r.txt": (FIXTURES / "big5.txt").read_bytes(),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(VALID_FILES)), data=st.data())
def test_damaged_copies_of_valid_files_give_a_document_or_a_read_error(name: str, data: st.DataObject) -> None:
    raw = bytearray(VALID_FILES[name])
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if action == "flip":
            raw[at] = data.draw(st.integers(0, 255))
        elif action == "cut":
            raw = raw[: max(at, 1)]
        elif action == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=16))
        else:
            del raw[at: at + data.draw(st.integers(1, 64))]
            raw = raw or bytearray(b"x")
    try:
        doc = read_document(name, bytes(raw))
    except ReadError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert doc.kind in ("txt", "html", "pdf", "docx")


PUNCT_DIGITS = list("，。、：（）0123456789")
GBK_CHARS = sorted(ch for ch in COMMON_HAN if len(ch.encode("gb18030")) == 2) + PUNCT_DIGITS
BIG5_CHARS = sorted(ch for ch in COMMON_HAN if ch.encode("big5", errors="ignore")) + PUNCT_DIGITS


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=GBK_CHARS, min_size=4, max_size=60), codec=st.sampled_from(["gb18030", "utf-8"]))
def test_simplified_text_round_trips(text: str, codec: str) -> None:
    assert read_document("r.txt", text.encode(codec)).text == text


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=BIG5_CHARS, min_size=4, max_size=60))
def test_traditional_big5_text_round_trips(text: str) -> None:
    assert read_document("r.txt", text.encode("big5")).text == text


def test_readers_module_exports_the_interface(tmp_path: Path) -> None:
    assert readers.read_document is read_document
    assert readers.MAX_BYTES == 50 * 1024 * 1024
    path = tmp_path / "r.txt"
    path.write_bytes("报告".encode("gbk"))
    assert readers.read_bytes(path) == "报告".encode("gbk")
    assert readers.read_bytes("upload.txt", b"abc") == b"abc"
