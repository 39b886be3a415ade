"""PDF files → text with pdfplumber: ``page.extract_text()`` per page, pages joined by ``PAGE_BREAK``.

Takes the PDF's bytes and gives a ``Document`` of kind ``pdf``. Refuses scanned PDFs (no text
layer), PDFs that need a password and damaged files with a one-line ``ReadError``.
"""

from __future__ import annotations

import io
import re

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from etl.model import PAGE_BREAK, Document, ReadError
from etl.readers_text import title_from_lines

_CID = re.compile(r"\(cid:\d+\)")


def read_pdf(data: bytes, source: str) -> Document:
    warnings: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if getattr(pdf.doc, "encryption", None):
                warnings.append("encrypted PDF opened with an empty password")
            pages = _page_texts(pdf, warnings)
    except ReadError:
        raise
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise ReadError("encrypted PDF") from exc
        raise ReadError(f"damaged PDF: {_one_line(cause)}") from exc
    except Exception as exc:  # pdfminer raises many kinds on malformed files
        raise ReadError(f"damaged PDF: {_one_line(exc)}") from exc
    if not pages:
        raise ReadError("damaged PDF: no pages")
    text = PAGE_BREAK.join(pages)
    if not text.strip():
        raise ReadError("scanned PDF without a text layer: needs OCR")
    cids = len(_CID.findall(text))
    if cids and cids * 8 > len(text.strip()):
        raise ReadError("PDF text layer without a Unicode mapping (cid codes): needs OCR")
    if cids:
        warnings.append(f"{cids} characters without a Unicode mapping, left as (cid:N)")
    empty = [str(i) for i, page in enumerate(pages, 1) if not page.strip()]
    if empty:
        warnings.append(f"pages without a text layer (scanned?): {', '.join(empty)}")
    return Document(source=source, text=text, kind="pdf", encoding=None,
                    title=title_from_lines(pages[0]) if pages[0].strip() else None, warnings=warnings)


def _page_texts(pdf: pdfplumber.PDF, warnings: list[str]) -> list[str]:
    pages: list[str] = []
    failed: list[str] = []
    for number, page in enumerate(pdf.pages, 1):
        try:
            pages.append(page.extract_text() or "")
        except Exception as exc:  # one bad page should not lose the others
            failed.append(f"{number} ({_one_line(exc)})")
            pages.append("")
        finally:
            page.close()
    if failed and len(failed) == len(pages):
        raise ReadError(f"damaged PDF: no page could be read: {failed[0]}")
    if failed:
        warnings.append(f"pages that could not be read: {', '.join(failed)}")
    return pages


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
