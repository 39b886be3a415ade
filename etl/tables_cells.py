"""Lines and cells of the template tables.

Takes a report's text; gives ``Line`` records (one per text line, page footers dropped), each
split into label cells and the trailing run of value cells, with offsets into that text. Cells
may be joined by `` | ``, tabs or U+3000, or by plain spaces (PDF text), where the value run is
read from the end of the line. ``read_value`` reads one cell as written: blank, "0", "/", "—",
"-1" and "1326.5万元" stay distinct.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

_NUMBER = re.compile(r"([-−–])?\s*(\d[\d\s,]*(?:\.\s*\d[\d\s]*)?)\s*(万元|元|件|条|个|项|次)?")
_SLASHES = frozenset({"/", "\\"})
_DASHES = frozenset({"—", "——", "-", "–", "―", "─", "一一"})
_MONEY = frozenset({"万元", "元"})
# A delimited cell may say "none" in words (kept as text, value None); in PDF text the same
# character ends group labels ("（四）无"), so there it is never a cell.
_WORDS = frozenset({"无"})
_FOOTER = re.compile(r"[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(\s*[,，]?\s*共\s*\d{1,3}\s*页)?")
_FOOTER_LEADS = frozenset("-—–第")  # the characters a footer can start with
_PIPES = "|｜"
_LINE = re.compile(r"[^\n\r\f]+")
_IDEOGRAPHIC_SEP = re.compile(r"\u3000+")
_DIGIT_SEPARATORS = re.compile(r"[\s,]")
_SPLIT_DIGITS = re.compile(r"\d\s+\d")
_JOIN_FIRST = re.compile(r"[-−–]?\d+")
_JOIN_MIDDLE = re.compile(r"\d+")
_JOIN_LAST = re.compile(r"\d+(\.\d+)?(万元|元)?")


def han_except(keep: str) -> re.Pattern[str]:
    """A CJK unified ideograph (U+4E00–U+9FFF) that is not in ``keep``."""
    ranges, lo = [], 0x4E00
    for point in sorted({ord(c) for c in keep if "\u4e00" <= c <= "\u9fff"}):
        if lo < point:
            ranges.append(f"{chr(lo)}-{chr(point - 1)}")
        lo = point + 1
    return re.compile(f"[{''.join(ranges)}{chr(lo)}-\u9fff]")


# Unified ideographs have no decomposition and compose with nothing, so NFKC keeps them: a cell
# holding one that no value pattern or word of a value uses is a label, known without normalizing.
_LABEL_HAN = han_except(_NUMBER.pattern + "".join(_SLASHES | _DASHES | _WORDS))


class Cell(NamedTuple):
    """One cell; a named tuple because a report's tables make tens of thousands of them."""

    raw: str  # as written, surrounding whitespace removed
    start: int
    end: int


# ``Cell(raw, start, end)`` goes through a Python-level ``__new__``; building the tuple directly
# gives the same named tuple about four times faster, and lines are cut into hundreds of cells.
_new_cell: Callable[[tuple[str, int, int]], Cell] = functools.partial(tuple.__new__, Cell)


@dataclass(frozen=True)
class Value:
    value: float | None
    unit: str | None  # 万元 or 元 when the cell states it
    joined: bool  # digits were split by spaces ("2 1 5")


@dataclass(slots=True)
class Line:
    index: int
    text: str
    start: int
    end: int
    labels: list[Cell]
    values: list[Cell]
    label: str = field(init=False)  # the label cells joined; every table parser reads it

    def __post_init__(self) -> None:
        self.label = "".join([c.raw for c in self.labels])

    @property
    def numbers_only(self) -> bool:
        return bool(self.values) and not self.labels


# Cached: the same few cells ("0", "1", "") recur in every table and are read several times
# (splitting lines, then building facts); ``Value`` is frozen, so sharing one is safe.
@functools.lru_cache(maxsize=8192)
def read_value(raw: str) -> Value | None:
    """The value of a cell as written, or None when the cell is not a value (a label)."""
    if _LABEL_HAN.search(raw):
        return None
    s = unicodedata.normalize("NFKC", raw).strip()
    if s == "" or s in _WORDS:
        return Value(None, None, False)
    if s in _SLASHES or s in _DASHES:
        return Value(None, None, False)
    m = _NUMBER.fullmatch(s)
    if not m:
        return None
    digits = m.group(2)
    number = _DIGIT_SEPARATORS.sub("", digits)
    if number.endswith(".") or len(number) > 16:  # no count or amount has that many digits
        return None
    value = float(number)
    if m.group(1):
        value = -value
    unit = m.group(3) if m.group(3) in _MONEY else None
    return Value(value, unit, bool(_SPLIT_DIGITS.search(digits)))


def split_lines(text: str) -> list[Line]:
    """Every non-empty line of ``text`` (form feeds break lines too), page footers dropped."""
    lines: list[Line] = []
    for m in _LINE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped or (stripped[0] in _FOOTER_LEADS and _FOOTER.fullmatch(stripped)):
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        lines.append(_split(len(lines), stripped, start))
    return lines


def _split(index: int, s: str, base: int) -> Line:
    if "|" in s or "｜" in s:
        cells = _cut(s.replace("｜", "|").split("|"), base)
        if s[0] in _PIPES:
            cells = cells[1:]
        if s[-1] in _PIPES:
            cells = cells[:-1]
        return _classify(index, s, base, cells)
    if "\t" in s:
        return _classify(index, s, base, _cut(s.split("\t"), base))
    if "\u3000" in s:
        return _classify(index, s, base, _cut_runs(s, base))
    return _space_line(index, s, base)


def _cut(pieces: list[str], base: int) -> list[Cell]:
    """Cells of a line split at one-character separators; a blank cell sits mid-gap."""
    cells, pos = [], base
    for piece in pieces:
        width = len(piece)
        raw = piece.strip()
        if len(raw) == width:  # the common case: nothing to strip
            cells.append(_new_cell((raw, pos, pos + width)))
        elif raw:
            start = pos + width - len(piece.lstrip())
            cells.append(_new_cell((raw, start, start + len(raw))))
        else:
            cells.append(_new_cell((raw, pos + width // 2, pos + width // 2)))
        pos += width + 1
    return cells


def _cut_runs(s: str, base: int) -> list[Cell]:
    """Cells of a line split at runs of U+3000, placed as ``_cut`` places them."""
    cells, pos = [], 0
    for m in [*_IDEOGRAPHIC_SEP.finditer(s), None]:
        stop = m.start() if m else len(s)
        piece = s[pos:stop]
        raw = piece.strip()
        start = base + pos + (len(piece) - len(piece.lstrip()) if raw else len(piece) // 2)
        cells.append(_new_cell((raw, start, start + len(raw))))
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
    tokens = _tokens(s, base)
    cut = len(tokens)
    while cut > 0 and tokens[cut - 1].raw not in _WORDS and read_value(tokens[cut - 1].raw) is not None:
        cut -= 1
    labels = []
    if cut:
        end = tokens[cut - 1].end - base
        labels = [Cell(s[:end], base, base + end)]
    return Line(index, s, base, base + len(s), labels, tokens[cut:])


def _tokens(s: str, base: int) -> list[Cell]:
    """The runs of non-space characters of ``s`` (``\\S+``): ``str.split`` knows the same spaces as
    ``re``'s ``\\s`` and is much faster on long lines of prose."""
    tokens, pos = [], 0
    for word in s.split():
        at = s.find(word, pos)  # only spaces lie between pos and the word
        pos = at + len(word)
        tokens.append(_new_cell((word, base + at, base + pos)))
    return tokens


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
    return (_JOIN_FIRST.fullmatch(raws[0]) is not None
            and all(_JOIN_MIDDLE.fullmatch(r) for r in raws[1:-1])
            and _JOIN_LAST.fullmatch(raws[-1]) is not None)
