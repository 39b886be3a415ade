"""What adding files would store, before anything is stored: the dashboard's upload preview.

Takes uploads (``(file name, bytes)`` pairs, or paths) and the database path; gives one ``Preview``
per file: whether it would be loaded, skipped (its content is already in the database) or refused
(with the one-line reason), the record ``python -m etl extract`` prints for it (bureau, year,
headline numbers with their evidence, facts, validation issues), and, when the database already
has a report for the same bureau, year, scope and language, which one the file would replace as
the active version. Nothing is written; ``etl.load.add_files`` does the loading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.model import ReadError
from etl.parallel import one_line
from etl.readers import content_hash, read_bytes, safe_name
from etl.store_rows import report_id_of, version_key
from etl.store_swap import read_only


@dataclass
class Preview:
    name: str
    status: str  # load, skip, fail
    reason: str = ""
    report_id: str | None = None
    record: dict[str, Any] = field(default_factory=dict)
    replaces: str | None = None  # report_id of the active version this file would supersede


def preview_files(files: Iterable[str | Path | tuple[str, bytes]], db_path: str | Path) -> list[Preview]:
    from etl.extract import extract_file, to_record

    db_path = Path(db_path)
    out = []
    for item in files:
        name, data = (safe_name(item[0]), item[1]) if isinstance(item, tuple) else (str(item), None)
        try:
            data = read_bytes(item if data is None else name, data)
            digest = content_hash(data)
            known = _lookup(db_path, "content_hash = ?", digest)
            if known:
                out.append(Preview(name, "skip", f"already loaded as report {known[0]} ({known[1]})", known[0]))
                continue
            report = extract_file(name, data)
        except ReadError as exc:
            out.append(Preview(name, "fail", one_line(str(exc))))
            continue
        except Exception as exc:  # one bad file must not stop the preview
            out.append(Preview(name, "fail", one_line(f"extraction error: {type(exc).__name__}: {exc}")))
            continue
        key = version_key(report)
        current = _lookup(db_path, "version_key = ? AND is_active", key) if key else None
        out.append(Preview(name, "load", report_id=report_id_of(digest), record=to_record(report),
                           replaces=current[0] if current else None))
    return out


def _lookup(db_path: Path, where: str, value: str) -> tuple[str, str] | None:
    if not db_path.exists():
        return None
    with read_only(db_path) as con:
        found = con.execute(f"SELECT report_id, path FROM reports WHERE {where} LIMIT 1", [value]).fetchall()
    return found[0] if found else None
