"""DOCX files → text: paragraphs and tables in document order, tables as ``| a | b |`` rows.

Takes the file's bytes and gives a ``Document`` of kind ``docx``. The zip is checked before it is
opened: more than ``MAX_UNPACKED`` bytes unpacked, a compression ratio over ``MAX_RATIO`` or too
many members is refused as a possible zip bomb. A merged cell appears once, in the first row it
spans, as in HTML.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from etl.model import Document, ReadError
from etl.readers_text import collapse, pipe_row, title_from_lines

MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000
_TITLE_STYLE = re.compile(r"^(?:Title|Heading 1|标题 ?1?)$")


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open the zip after checking its members' sizes; refuse zip bombs and non-Word archives."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError for odd versions, EOFError, ValueError …
        raise ReadError(f"damaged DOCX: {' '.join(str(exc).split())[:200] or type(exc).__name__}") from exc
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"zip bomb refused: {len(infos)} members")
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if unpacked > MAX_UNPACKED:
        raise ReadError(f"zip bomb refused: {unpacked / 2**20:.0f} MB unpacked (limit {MAX_UNPACKED // 2**20} MB)")
    if unpacked > 1024 * 1024 and unpacked > MAX_RATIO * max(packed, 1):
        raise ReadError(f"zip bomb refused: compression ratio {unpacked / max(packed, 1):.0f} (limit {MAX_RATIO})")
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise ReadError("Excel workbook (XLSX), not a Word document")
        if "ppt/presentation.xml" in names:
            raise ReadError("PowerPoint file (PPTX), not a Word document")
        raise ReadError("ZIP archive that is not a Word document (no word/document.xml)")
    return archive


def read_docx(data: bytes, source: str) -> Document:
    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
        lines, title = _lines(document)
        core_title = (document.core_properties.title or "").strip()
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged package
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise ReadError(f"damaged DOCX: {reason}") from exc
    text = "\n".join(lines)
    if not text.strip():
        raise ReadError("DOCX without text")
    title = title or core_title or title_from_lines(text)
    return Document(source=source, text=text, kind="docx", encoding=None, title=title)


def _blocks(parent: BlockItemContainer, element: BaseOxmlElement) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables of the body in document order, including those in content controls.

    Like ``Document.iter_inner_content()``, which skips what is inside a ``w:sdt``.
    """
    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(parent, content)


def _lines(document: DocxDocument) -> tuple[list[str], str | None]:
    lines: list[str] = []
    title: str | None = None
    body = document.element.body
    for block in _blocks(document._body, body):  # the body container gives paragraphs their styles
        if isinstance(block, Paragraph):
            text = block.text
            style = (block.style.name if block.style is not None else "") or ""
            if title is None and text.strip() and _TITLE_STYLE.match(style):
                title = collapse(text)
            if text.strip():
                lines.extend(text.replace("\r", "\n").split("\n"))
        else:
            lines.extend(_table_rows(block))
    return lines, title


def _table_rows(table: Table) -> list[str]:
    rows: list[str] = []
    for tr in table._tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:
            if tc.vMerge == "continue":
                continue
            cells.append(collapse(_Cell(tc, table).text))
        if any(cells):
            rows.append(pipe_row(cells))
    return rows
