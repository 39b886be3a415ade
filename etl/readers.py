"""Readers stage: a report file → ``etl.model.Document``.

``read_document(path, data=None)`` takes a path (and the bytes, when they come from an upload)
and gives the report's text as published: plain text in UTF-8, GB18030/GBK or Big5, the main
content of an HTML page, a PDF's text layer with pages separated by ``PAGE_BREAK``, or a DOCX's
paragraphs and tables. Tables become one ``| a | b | c |`` line per row.

The format is decided by the content (``%PDF``, a ZIP, ``<html``), not by the extension; a
mismatch is read by content and noted in ``Document.warnings``. Anything that cannot be read as
a report (empty, binary, too large, encrypted, scanned, damaged) raises ``ReadError`` with a
one-line reason. ``safe_name`` cleans an uploaded file name for storage.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from etl.model import Document, ReadError
from etl.readers_docx import read_docx
from etl.readers_html import looks_like_html, read_html
from etl.readers_pdf import read_pdf
from etl.readers_text import decode_text, title_from_lines

__all__ = ["MAX_BYTES", "SUPPORTED_SUFFIXES", "read_bytes", "read_document", "safe_name", "sniff_kind"]

MAX_BYTES = 50 * 1024 * 1024
"""Files larger than this are refused before they are read."""

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")

_SUFFIX_KIND = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".shtml": "html",
                ".xhtml": "html", ".pdf": "pdf", ".docx": "docx"}
_REFUSED_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office file (DOC/XLS/WPS): not supported, save it as DOCX"),
    (b"{\\rtf", "RTF document: not supported, save it as DOCX"),
    (b"\x89PNG", "image file (PNG), not a text report: needs OCR"),
    (b"\xff\xd8\xff", "image file (JPEG), not a text report: needs OCR"),
    (b"GIF8", "image file (GIF), not a text report: needs OCR"),
    (b"II*\x00", "image file (TIFF), not a text report: needs OCR"),
    (b"MM\x00*", "image file (TIFF), not a text report: needs OCR"),
    (b"Rar!", "RAR archive: unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive: unpack it first"),
    (b"\x1f\x8b", "gzip archive: unpack it first"),
)
_UNSAFE = re.compile(r'[<>:"|?*]')
_WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$", re.IGNORECASE)


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read one report file; ``data`` gives the bytes when they come from an upload.

    Returns a ``Document`` whose ``source`` is ``str(path)`` as given and whose ``kind`` is
    ``txt``, ``html``, ``pdf`` or ``docx``. Raises ``ReadError`` when the file cannot be read
    as a report.
    """
    source = str(path)
    suffix = Path(source.replace("\\", "/")).suffix.lower()
    raw = read_bytes(path, data)
    kind = sniff_kind(raw)
    if kind == "txt" and _SUFFIX_KIND.get(suffix) == "html":
        kind = "html"
    warnings = _extension_warnings(suffix, kind)
    if kind == "pdf":
        doc = read_pdf(raw, source)
    elif kind == "docx":
        doc = read_docx(raw, source)
    elif kind == "html":
        doc = read_html(raw, source)
    else:
        doc = _read_text(raw, source)
    doc.warnings[:0] = warnings
    return doc


def sniff_kind(raw: bytes) -> str:
    """``pdf``, ``docx``, ``html`` or ``txt`` from the content; ``ReadError`` for known non-report formats."""
    if b"%PDF-" in raw[:1024]:
        return "pdf"
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    for magic, reason in _REFUSED_MAGIC:
        if raw.startswith(magic):
            raise ReadError(reason)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = raw[:4096].decode("utf-16", errors="ignore")
    else:
        head = raw[:2048].decode("latin-1")
    return "html" if looks_like_html(head) else "txt"


def safe_name(name: str) -> str:
    """A file name safe to store: no directories, ``..``, control characters or reserved names.

    Keeps Chinese and other letters: ``safe_name("../../年报/2024年度报告.pdf") == "2024年度报告.pdf"``.
    Gives ``"upload"`` when nothing usable is left.
    """
    name = re.sub(r"[\t\n\r\v\f]", " ", unicodedata.normalize("NFC", name))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    parts = [part.strip() for part in re.split(r"[\\/]+", name)]
    parts = [part for part in parts if part not in ("", ".", "..")]
    base = _UNSAFE.sub("_", parts[-1]) if parts else ""
    base = " ".join(base.split()).lstrip(".").rstrip(". ")
    if _WINDOWS_RESERVED.match(base):
        base = f"_{base}"
    if len(base) > 150:
        stem, dot, ext = base.rpartition(".")
        base = f"{stem[: 150 - len(ext) - 1]}.{ext}" if dot and 0 < len(ext) <= 10 else base[:150]
    return base or "upload"


def content_hash(data: bytes) -> str:
    """The identity of a file's bytes (sha256): the same content twice is one report."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: str | Path, data: bytes | None = None) -> bytes:
    """The file's bytes (or ``data``), refusing empty files and files over ``MAX_BYTES`` before reading.

    For callers that also need the raw bytes (a content hash) under the same limits.
    """
    path = Path(path)
    if data is None:
        try:
            if path.is_dir():
                raise ReadError("a directory, not a file")
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise ReadError(_too_large(size))
            with path.open("rb") as handle:
                # One read sized by the file (a pipe or special file reports 0: read up to the limit);
                # one byte more shows a file that grew past the limit since.
                raw = handle.read((size or MAX_BYTES) + 1)
                if size and len(raw) > size:
                    raw += handle.read(MAX_BYTES + 1 - len(raw))
        except FileNotFoundError as exc:
            raise ReadError("file not found") from exc
        except OSError as exc:
            raise ReadError(f"cannot read the file: {exc.strerror or exc}") from exc
        except ValueError as exc:  # a NUL byte in the path
            raise ReadError(f"invalid path: {exc}") from exc
    else:
        raw = bytes(data)
    if len(raw) > MAX_BYTES:
        raise ReadError(_too_large(len(raw)))
    if not raw:
        raise ReadError("empty file (0 bytes)")
    return raw


def _too_large(size: int) -> str:
    return f"file too large: {size / 2**20:.1f} MB (limit {MAX_BYTES // 2**20} MB)"


def _extension_warnings(suffix: str, kind: str) -> list[str]:
    expected = _SUFFIX_KIND.get(suffix)
    if expected == kind or not suffix:
        return []
    if expected is None:
        return [f"unrecognised extension {suffix}: read by content as {kind}"]
    return [f"wrong extension: {suffix} file whose content is {kind}; read as {kind}"]


def _read_text(raw: bytes, source: str) -> Document:
    text, encoding, warnings = decode_text(raw)
    if not text.strip():
        raise ReadError("empty file (whitespace only)")
    return Document(source=source, text=text, kind="txt", encoding=encoding,
                    title=title_from_lines(text), warnings=warnings)
