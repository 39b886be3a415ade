"""One extracted report → the rows it adds to each table, and batches of rows → Arrow tables.

Takes a ``Report`` and where its file sits (collection, sample flag, modification time); gives
``ReportRows``: plain tuples in the column order of ``COLUMNS``. ``to_arrow(table, rows)`` turns a
batch of them into a typed Arrow table for one ``INSERT``; the types stay fixed even when a batch
has only NULLs in a column. ``RowChunk.pack`` does that for the reports of one chunk of files, in
the process that extracted them: a worker sends one Arrow table per table of the database (``TABLES``,
``report_cells`` included; pickled as Arrow IPC streams) with each report's row range, and the
single writer only slices and concatenates them (``RowChunk.rows``) before inserting. ``RowsRef``
names one report of a chunk.
"""

from __future__ import annotations

import functools
import operator
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa

from etl.model import Report
from etl.summary import FactRow, cells_arrow, cells_row

_STR, _INT, _BOOL, _FLOAT = pa.string(), pa.int32(), pa.bool_(), pa.float64()
_LIST, _TIME = pa.list_(pa.string()), pa.timestamp("us")

SCHEMAS: dict[str, pa.Schema] = {
    "bureau": pa.schema([("bureau_id", _STR), ("name", _STR), ("kind", _STR), ("level", _STR), ("province", _STR),
                         ("city", _STR), ("county", _STR), ("is_sample", _BOOL), ("year", _INT)]),
    "reports": pa.schema([
        ("report_id", _STR), ("content_hash", _STR), ("path", _STR), ("collection", _STR), ("is_sample", _BOOL),
        ("file_kind", _STR), ("language", _STR), ("era", _STR), ("template_version", _STR), ("year", _INT),
        ("year_inferred", _BOOL), ("bureau_id", _STR), ("bureau_name_raw", _STR), ("title", _STR),
        ("is_aggregate", _BOOL), ("flags", _LIST), ("body", _STR), ("file_mtime", _TIME), ("version_key", _STR)]),
    "facts": pa.schema([
        ("report_id", _STR), ("metric", _STR), ("dimension", _STR), ("value", _FLOAT), ("value_kind", _STR),
        ("raw", _STR), ("unit", _STR), ("qualifier", _STR), ("headline", _BOOL), ("tbl", _INT), ("row_id", _STR),
        ("column_name", _STR), ("evidence", _STR), ("start_offset", _INT), ("end_offset", _INT), ("page", _INT),
        ("flags", _LIST)]),
    "problems": pa.schema([("report_id", _STR), ("kind", _STR), ("theme", _STR), ("sentence", _STR),
                           ("start_offset", _INT), ("end_offset", _INT)]),
    "validation_issues": pa.schema([("report_id", _STR), ("rule", _STR), ("severity", _STR), ("message", _STR),
                                    ("refs", _LIST)]),
    "ingest_log": pa.schema([("path", _STR), ("status", _STR), ("reason", _STR), ("report_id", _STR),
                             ("logged_at", _TIME)]),
}
COLUMNS = {name: tuple(schema.names) for name, schema in SCHEMAS.items()}


@dataclass
class ReportRows:
    """What one report adds: its bureau as this report names it, and its rows in five tables."""

    bureau: tuple
    report: tuple
    facts: list[tuple] = field(default_factory=list)
    problems: list[tuple] = field(default_factory=list)
    issues: list[tuple] = field(default_factory=list)
    cells: tuple | None = None  # its report_cells row (etl.summary)

    @property
    def report_id(self) -> str:
        return self.report[0]

    @property
    def path(self) -> str:
        return self.report[2]

    @property
    def bureau_id(self) -> str:
        return self.bureau[0]


def report_id_of(content_hash: str) -> str:
    return content_hash[:16]


def version_key(report: Report) -> str | None:
    """The bureau, year, scope and language that versions of one report share; None when unknown."""
    from etl.bureau import bureau_key

    b = report.bureau
    if report.year is None or not (b.canonical or b.name):
        return None
    if b.kind and not (b.province or b.city or b.county):
        return None  # "教育局" with no place could be any county's
    scope = "aggregate" if report.is_aggregate else "own"
    return f"{bureau_key(b)}|{report.year}|{scope}|{report.language}"


def report_rows(report: Report, path: str, collection: str | None, is_sample: bool,
                mtime: datetime | None) -> ReportRows:
    from etl.bureau import bureau_key  # the place tables load only where reports are extracted

    rid = report_id_of(report.content_hash)
    b = report.bureau
    bid = bureau_key(b)
    bureau = (bid, b.canonical or b.name or "", b.kind, b.level, b.province, b.city, b.county, is_sample,
              report.year)
    row = (rid, report.content_hash, path, collection, is_sample, report.kind, report.language, report.era,
           report.template_version, report.year, "year_inferred" in report.flags, bid, b.name, report.title,
           report.is_aggregate, list(report.flags), report.text, mtime, version_key(report))
    facts = [(rid, *_FACT_FIELDS(f), list(f.flags)) for f in report.facts]
    problems = [(rid, p.kind, theme, p.sentence, p.start, p.end)
                for p in report.problems for theme in (p.themes or ["other"])]
    issues = [(rid, i.rule, i.severity, i.message, list(i.refs)) for i in report.issues]
    cells = cells_row(rid, [_fact_row(_FACT_ROW_FIELDS(fact) + _NOT_CORRECTED) for fact in facts])
    return ReportRows(bureau, row, facts, problems, issues, cells)


_FACT_FIELDS = operator.attrgetter("metric", "dimension", "value", "value_kind", "raw", "unit", "qualifier", "headline",
                                   "table", "row", "column", "evidence", "start", "end", "page")
"""The fields of a ``Fact`` in the order of ``COLUMNS["facts"]``, between the report id and the flags."""
# A fact's ``FactRow`` (what ``cells_row`` reads) taken from its row of ``facts`` rather than from the
# ``Fact`` again: a report has about a hundred facts, and their value kinds were computed twice.
_FACT_ROW_FIELDS = operator.itemgetter(*(COLUMNS["facts"].index(name) for name in FactRow._fields[:-2]))
_NOT_CORRECTED = (False, None)  # a fact just extracted: ``corrected``, ``original_value``
_fact_row: Callable[[tuple], FactRow] = functools.partial(tuple.__new__, FactRow)


def arrow_without_pandas() -> None:
    """Let pyarrow build arrays from lists in this process without importing pandas.

    ``pa.array`` first asks whether its input is a pandas object, and imports pandas (about 75 MB
    per process) to find out, unless an earlier attempt to import it failed. One failed attempt
    made here settles that for the lazy checks; explicit conversions (``to_pandas``) still import
    pandas when called. For the extraction workers, which only turn row tuples into Arrow.
    """
    if "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes ``import pandas`` raise ImportError
    try:
        pa.lib._pandas_api.have_pandas  # noqa: B018  # the lazy import attempt, which now fails
    except AttributeError:  # a pyarrow without the shim: nothing to settle
        pass
    finally:
        del sys.modules["pandas"]


def to_arrow(table: str, rows: list[tuple]) -> pa.Table:
    """A batch of row tuples for ``table`` (a key of ``SCHEMAS``) as a typed Arrow table."""
    schema = SCHEMAS[table]
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)],
                                schema=schema)


TABLES = ("bureau", "reports", "facts", "problems", "validation_issues", "report_cells")
"""The tables of a ``RowChunk``: ``bureau`` holds each report's bureau as it names it, and the
report's place in the chunk (``seq``)."""


def _table_rows(rows: ReportRows, table: str) -> list[tuple]:
    if table in ("bureau", "reports"):
        return [rows.bureau if table == "bureau" else rows.report]
    if table == "report_cells":
        return [rows.cells] if rows.cells is not None else []
    return {"facts": rows.facts, "problems": rows.problems, "validation_issues": rows.issues}[table]


@dataclass
class RowChunk:
    """The rows of a run of reports as one Arrow table per table; report ``i`` has the rows
    ``offsets[table][i]:offsets[table][i + 1]`` of each."""

    tables: dict[str, pa.Table]
    offsets: dict[str, list[int]]

    @classmethod
    def pack(cls, reports: Sequence[ReportRows]) -> RowChunk:
        tables, offsets = {}, {}
        for table in TABLES:
            rows, ends = [], [0]
            for report in reports:
                rows += _table_rows(report, table)
                ends.append(len(rows))
            tables[table] = cells_arrow(rows) if table == "report_cells" else to_arrow(table, rows)
            offsets[table] = ends
        tables["bureau"] = tables["bureau"].append_column("seq", pa.array(range(len(reports)), type=pa.int64()))
        return cls(tables, offsets)

    def __len__(self) -> int:
        return len(self.offsets["reports"]) - 1

    def __getstate__(self) -> dict[str, Any]:
        """Pickled as Arrow IPC streams: several times cheaper both ways than pickling the tables."""
        return {"ipc": {name: _ipc(table) for name, table in self.tables.items()}, "offsets": self.offsets}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.tables = {name: pa.ipc.open_stream(data).read_all() for name, data in state["ipc"].items()}
        self.offsets = state["offsets"]

    def rows(self, table: str, start: int, stop: int) -> pa.Table:
        """The rows of ``table`` of reports ``start`` to ``stop - 1`` (a zero-copy slice)."""
        first, end = self.offsets[table][start], self.offsets[table][stop]
        return self.tables[table].slice(first, end - first)

    def value(self, table: str, column: str, index: int) -> Any:
        return self.tables[table].column(column)[self.offsets[table][index]].as_py()


@dataclass
class RowsRef:
    """Report ``index`` of ``chunk``: what the writer is given for a report extracted in a chunk."""

    chunk: RowChunk
    index: int

    @property
    def report_id(self) -> str:
        return self.chunk.value("reports", "report_id", self.index)

    @property
    def path(self) -> str:
        return self.chunk.value("reports", "path", self.index)

    @property
    def bureau_id(self) -> str:
        return self.chunk.value("bureau", "bureau_id", self.index)


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def as_ref(rows: ReportRows | RowsRef) -> RowsRef:
    return rows if isinstance(rows, RowsRef) else RowsRef(RowChunk.pack([rows]), 0)
