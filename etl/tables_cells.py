"""Lines and cells of the template tables.

Takes a report's text; gives ``Line`` records (one per text line, page footers dropped), each
split into label cells and the trailing run of value cells, with offsets into that text. Cells
may be joined by `` | ``, tabs or U+3000, or by plain spaces (PDF text), where the value run is
read from the end of the line. ``read_value`` reads one cell as written: blank, "0", "/", "—",
"-1" and "1326.5万元" stay distinct.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_NUMBER = re.compile(r"([-−–])?\s*(\d[\d\s,]*(?:\.\s*\d[\d\s]*)?)\s*(万元|元|件|条|个|项|次)?")
_SLASHES = frozenset({"/", "\\"})
_DASHES = frozenset({"—", "——", "-", "–", "―", "─", "一一"})
_MONEY = frozenset({"万元", "元"})
# A delimited cell may say "none" in words (kept as text, value None); in PDF text the same
# character ends group labels ("（四）无"), so there it is never a cell.
_WORDS = frozenset({"无"})
_FOOTER = re.compile(r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(\s*[,，]?\s*共\s*\d{1,3}\s*页)?")
_PIPES = "|｜"


@dataclass(frozen=True)
class Cell:
    raw: str  # as written, surrounding whitespace removed
    start: int
    end: int


@dataclass(frozen=True)
class Value:
    value: float | None
    unit: str | None  # 万元 or 元 when the cell states it
    joined: bool  # digits were split by spaces ("2 1 5")


@dataclass
class Line:
    index: int
    text: str
    start: int
    end: int
    labels: list[Cell]
    values: list[Cell]

    @property
    def label(self) -> str:
        return "".join(c.raw for c in self.labels)

    @property
    def numbers_only(self) -> bool:
        return bool(self.values) and not self.labels


def read_value(raw: str) -> Value | None:
    """The value of a cell as written, or None when the cell is not a value (a label)."""
    s = unicodedata.normalize("NFKC", raw).strip()
    if s == "" or s in _WORDS:
        return Value(None, None, False)
    if s in _SLASHES or s in _DASHES:
        return Value(None, None, False)
    m = _NUMBER.fullmatch(s)
    if not m:
        return None
    digits = m.group(2)
    number = re.sub(r"[\s,]", "", digits)
    if number.endswith(".") or len(number) > 16:  # no count or amount has that many digits
        return None
    value = float(number)
    if m.group(1):
        value = -value
    unit = m.group(3) if m.group(3) in _MONEY else None
    return Value(value, unit, bool(re.search(r"\d\s+\d", digits)))


def split_lines(text: str) -> list[Line]:
    """Every non-empty line of ``text`` (form feeds break lines too), page footers dropped."""
    lines: list[Line] = []
    for m in re.finditer(r"[^\n\r\f]+", text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped or _FOOTER.fullmatch(stripped):
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        lines.append(_split(len(lines), stripped, start))
    return lines


def _split(index: int, s: str, base: int) -> Line:
    if any(p in s for p in _PIPES):
        cells = _cut(s, base, r"[|｜]")
        if s[0] in _PIPES:
            cells = cells[1:]
        if s[-1] in _PIPES:
            cells = cells[:-1]
        return _classify(index, s, base, cells)
    if "\t" in s:
        return _classify(index, s, base, _cut(s, base, r"\t"))
    if "\u3000" in s:
        return _classify(index, s, base, _cut(s, base, r"\u3000+"))
    return _space_line(index, s, base)


def _cut(s: str, base: int, sep: str) -> list[Cell]:
    cells, pos = [], 0
    for m in [*re.finditer(sep, s), None]:
        stop = m.start() if m else len(s)
        piece = s[pos:stop]
        lead = len(piece) - len(piece.lstrip())
        raw = piece.strip()
        start = base + pos + (lead if raw else len(piece) // 2)
        cells.append(Cell(raw, start, start + len(raw)))
        if m:
            pos = m.end()
    return cells


def _classify(index: int, s: str, base: int, cells: list[Cell]) -> Line:
    cut = len(cells)
    while cut > 0 and read_value(cells[cut - 1].raw) is not None:
        cut -= 1
    labels = [c for c in cells[:cut] if c.raw]
    return Line(index, s, base, base + len(s), labels, cells[cut:])


def _space_line(index: int, s: str, base: int) -> Line:
    tokens = [Cell(m.group(), base + m.start(), base + m.end()) for m in re.finditer(r"\S+", s)]
    cut = len(tokens)
    while cut > 0 and tokens[cut - 1].raw not in _WORDS and read_value(tokens[cut - 1].raw) is not None:
        cut -= 1
    labels = []
    if cut:
        end = tokens[cut - 1].end - base
        labels = [Cell(s[:end], base, base + end)]
    return Line(index, s, base, base + len(s), labels, tokens[cut:])


def regroup(text: str, tokens: Sequence[Cell], n: int,
            check: Callable[[list[float | None]], bool] | None = None) -> list[Cell] | None:
    """Join digit tokens split by spaces ("2 1 5") into ``n`` cells.

    Returns the one way of joining that ``check`` (the row's arithmetic) accepts, or None when
    there is none or more than one: the caller then records a note instead of guessing.
    """
    if len(tokens) <= n or math.comb(len(tokens) - 1, n - 1) > 2000:
        return None
    found: list[list[Cell]] = []
    for cuts in itertools.combinations(range(1, len(tokens)), n - 1):
        bounds = list(itertools.pairwise((0, *cuts, len(tokens))))
        if not all(_joinable(tokens[a:b]) for a, b in bounds):
            continue
        cells = [Cell(text[tokens[a].start:tokens[b - 1].end], tokens[a].start, tokens[b - 1].end)
                 for a, b in bounds]
        values = [read_value(c.raw) for c in cells]
        if any(v is None for v in values):
            continue
        if check is None or check([v.value for v in values if v]):
            found.append(cells)
            if len(found) > 1:
                return None
    return found[0] if found else None


def _joinable(group: Sequence[Cell]) -> bool:
    """A sign may only lead a joined cell, a decimal part or unit only end it."""
    if len(group) == 1:
        return True
    raws = [unicodedata.normalize("NFKC", t.raw) for t in group]
    return (re.fullmatch(r"[-−–]?\d+", raws[0]) is not None
            and all(re.fullmatch(r"\d+", r) for r in raws[1:-1])
            and re.fullmatch(r"\d+(\.\d+)?(万元|元)?", raws[-1]) is not None)
