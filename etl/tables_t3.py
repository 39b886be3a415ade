"""Table 3 (收到和处理政府信息公开申请情况): rows placed by label, cells by column.

Takes the report's ``Line`` records and gives each placed row (R01–R25) with its seven value
cells and the lines it was read from. A row is a run of seven value cells: on one line with
its label, or spread over number-only lines (one cell per line, PDF rows whose label wraps
around its numbers). Its label is the text on that line, else the text lines since the
previous row, else the next text line. Rows must follow the template's order; a run no label
places is placed by position only when the gap it sits in leaves exactly one choice.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from etl.tables_cells import Cell, Line, regroup
from etl.tables_vocab import (
    SECTION_AFTER_T4,
    T3_2021_ONLY,
    T3_ORDER_2019,
    T3_ORDER_2021,
    T3_ROWS,
    T3_STOP,
    finder,
    key,
)

WIDTH = 7
# Rows whose label is a bare word that also occurs inside other labels ("其他法律…", "不计其他情形"):
# they match only a label cell that is exactly that word once its numbering is removed.
_EXACT = {"R23": ("其他", "其它", "其他情形", "other", "others")}
# A cell can leave one of those words only if it holds the word's first character.
_EXACT_CHARS = frozenset(word[0] for words in _EXACT.values() for word in words)
_NUMBERING = re.compile(r"^[(]?[\d一二三四五六七八九十]{1,2}[).、．]?")
_NON_WORD = re.compile(r"[^\w]")
_MAX_GAP = 40  # text lines in a row without numbers: the table has ended
_MAX_RUNS = 60  # the template has 25 rows; past this the numbers are not table 3
_FRAGMENTS, _ROW_OF = finder({r: w for r, w in T3_ROWS.items() if r not in _EXACT})
# A label can give R01 only if it holds one of these: a cheap test before the full scan.
_R01_FRAGMENTS = tuple(f for f, row in _ROW_OF.items() if row == "R01")


@dataclass
class Run:
    """Value cells read as one row, and the text around them."""

    values: list[Cell]
    lines: list[Line]  # lines holding the values
    own: Line | None  # the first value line when it carries a label too
    before: list[Line]  # text lines since the previous run
    after: Line | None = None  # the next text line
    row: str | None = None
    first: Line | None = None  # where the label that placed the row starts


@dataclass
class Table3:
    runs: list[Run] = field(default_factory=list)
    version: str | None = None  # what the （六）其他处理 rows show, if anything
    end: int = 0  # index of the first line after the table
    notes: list[str] = field(default_factory=list)

    @property
    def placed(self) -> list[Run]:
        return [r for r in self.runs if r.row]


def find_start(lines: list[Line]) -> int | None:
    """Index of the R01 line: its label followed by a row of numbers."""
    for i, line in enumerate(lines):
        k = key(line.label)
        if not any(f in k for f in _R01_FRAGMENTS) or not _label_hits(k, ("R01",)):
            continue
        if len(line.values) >= 5 or (not line.values and i + 1 < len(lines) and lines[i + 1].numbers_only):
            return i
    return None


def parse_table3(lines: list[Line], start: int, text: str, version_hint: str | None) -> Table3:
    out = Table3(end=len(lines))
    pending: list[Line] = []
    run: Run | None = None
    last = -1
    for i in range(start, len(lines)):
        line = lines[i]
        k = key(line.text)
        if i > start and ((not line.values and any(s in k for s in T3_STOP)) or SECTION_AFTER_T4.match(k)):
            out.end = i
            break
        if _is_text(line):
            if run:
                last = _close(run, out, text, last)
                run = None
            if len(pending) > _MAX_GAP:
                out.end = i
                break
            pending.append(line)
            continue
        if line.labels or run is None:
            if run:
                last = _close(run, out, text, last)
            run = Run([], [], line if line.labels else None, pending)
            pending = []
        run.values += line.values
        run.lines.append(line)
        if len(run.values) >= WIDTH:
            last = _close(run, out, text, last)
            run = None
            if last == len(T3_ORDER_2021) - 1 or len(out.runs) >= _MAX_RUNS:  # R25 closes the table
                out.end = i + 1
                break
    if run:
        _close(run, out, text, last)
    for k, r in enumerate(out.runs):
        nxt = out.runs[k + 1].before if k + 1 < len(out.runs) else pending
        r.after = nxt[0] if nxt else None
    out.version = _version(out)
    _place_leftovers(out, out.version or version_hint)
    return out


def _is_text(line: Line) -> bool:
    if not line.values:
        return True
    # Blank cells alone are a row only when a label comes with all seven of them; otherwise
    # they are a group label's empty cells ("| （三）不予公开 |  |") or a spacer row.
    blank = all(not c.raw for c in line.values)
    return blank and not (line.labels and len(line.values) == WIDTH)


def _close(run: Run, out: Table3, text: str, last: int) -> int:
    """Check the run's width, place it by label, and return the order index of the last row."""
    out.runs.append(run)
    if len(run.values) > WIDTH:
        joined = regroup(text, run.values, WIDTH, _row_adds_up) if len(run.lines) == 1 else None
        if joined is None:
            out.notes.append(f"table 3: {len(run.values)} cells where 7 expected at {_describe(run)}; row skipped")
            run.values = []
            return last
        run.values = joined
    elif len(run.values) < WIDTH:
        out.notes.append(f"table 3: {len(run.values)} cells where 7 expected at {_describe(run)}; row skipped")
        run.values = []
        return last
    cands = list(T3_ORDER_2021[last + 1:])  # rows are placed in order, so these are all free
    hit = _place(run, cands, use_after=False)
    if hit is None:
        return last
    return T3_ORDER_2021.index(hit)


def _place(run: Run, cands: list[str], use_after: bool) -> str | None:
    """Place the run by its own label, else with the text before it, else the next line."""
    own = [(run.own, key(run.own.label))] if run.own else []
    before = [(ln, key(ln.label or ln.text)) for ln in run.before]
    tries = [own, before + own]
    if use_after and run.after:
        tries.append([*before, *own, (run.after, key(run.after.label or run.after.text))])
    for pieces in tries:
        hit = _best(pieces, cands)
        if hit:
            run.row, run.first = hit
            return run.row
    return None


def _best(pieces: list[tuple[Line, str]], cands: list[str]) -> tuple[str, Line] | None:
    """The first candidate row, in template order, whose label occurs in the pieces."""
    if not pieces:
        return None
    joined = pieces[0][1] if len(pieces) == 1 else "".join(p for _, p in pieces)
    bounds = list(itertools.accumulate(len(p) for _, p in pieces))
    hits = _matches(joined)
    for line, piece in pieces:
        cells = [key(c.raw) for c in line.labels] or [piece]
        for cell in cells:
            if _EXACT_CHARS.isdisjoint(cell):
                continue  # no exact word can remain of it
            bare = _NUMBERING.sub("", _NON_WORD.sub("", cell))
            hits += [(row, 0, 0, line) for row, words in _EXACT.items() if bare in words]
    for row in cands:
        for hit_row, start, _, line in hits:
            if hit_row != row:
                continue
            if line is None:
                line = pieces[next(n for n, b in enumerate(bounds) if start < b)][0]
            return row, line
    return None


def _matches(s: str) -> list[tuple[str, int, int, Line | None]]:
    """Leftmost-longest, non-overlapping label fragments of every row found in ``s``."""
    return [(_ROW_OF[m.group()], m.start(), m.end(), None) for m in _FRAGMENTS.finditer(s)]


def _label_hits(s: str, rows: tuple[str, ...]) -> bool:
    return any(r in rows for r, *_ in _matches(s))


def _row_adds_up(values: list[float | None]) -> bool:
    if len(values) != WIDTH or values[-1] is None:
        return True
    return abs(sum(v or 0 for v in values[:-1]) - values[-1]) < 1e-6


def _version(out: Table3) -> str | None:
    rows = {r.row: r for r in out.placed}
    if "R22" in rows or "R23" in rows:
        return "2021"
    if "R21" in rows:
        r = rows["R21"]
        text = key("".join(ln.text for ln in [*r.before, *r.lines]))
        return "2021" if any(w in text for w in T3_2021_ONLY) else "2019"
    return None


def _place_leftovers(out: Table3, version: str | None) -> None:
    """Place runs no label placed: with the next text line, then by position in a gap."""
    if all(run.row or not run.values for run in out.runs):
        return  # the usual table: every run placed by its label
    order = T3_ORDER_2019 if version == "2019" else T3_ORDER_2021
    for loose, free in _gaps(out, order):
        for run in loose:
            if _place(run, free, use_after=True):
                free = [f for f in free if f != run.row]
    for loose, free in _gaps(out, order):
        if len(loose) == len(free):
            for run, row in zip(loose, free, strict=True):
                run.row, run.first = row, run.lines[0]
                out.notes.append(f"table 3: placed {row} by position at {_describe(run)}")
    for run in out.runs:
        if run.values and not run.row:
            out.notes.append(f"table 3: could not place the row at {_describe(run)}")


def _gaps(out: Table3, order: tuple[str, ...]) -> list[tuple[list[Run], list[str]]]:
    """Unplaced runs between two placed rows, with the template rows still free between them."""
    taken = {r.row for r in out.placed}
    anchors = [(-1, -1)] + [(k, order.index(r.row)) for k, r in enumerate(out.runs)
                            if r.row in order] + [(len(out.runs), len(order))]
    gaps = []
    for (k0, r0), (k1, r1) in itertools.pairwise(anchors):
        loose = [out.runs[k] for k in range(k0 + 1, k1) if out.runs[k].values and not out.runs[k].row]
        free = [order[n] for n in range(r0 + 1, r1) if order[n] not in taken]
        if loose and free:
            gaps.append((loose, free))
    return gaps


def _describe(run: Run) -> str:
    label = (run.own.label if run.own else "".join(ln.text for ln in run.before[-2:]))[:40]
    nums = " ".join(c.raw for c in run.values)[:40]
    return f"line {run.lines[0].index + 1} '{label}' [{nums}]"
