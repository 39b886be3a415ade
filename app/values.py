"""How a value is written on screen, the same in every table and chart.

Takes a number and how the report filled it in (``value_kind``: number, zero, blank, slash, dash,
text; plus ``not_stated`` when the report does not give it and ``undefined`` for a rate over no
cases); gives a short text. A zero is "0", a blank cell "□", a "/" cell "/", a figure the report
does not state "∅", a rate over zero cases "—" (never 0 % or 100 %), and a value a supervisor
corrected carries "✎".
"""

from __future__ import annotations

import math

import pandas as pd

MARKS = {"blank": "□", "slash": "/", "dash": "—", "text": "T", "not_stated": "∅", "undefined": "—"}
CORRECTED = "✎"
NUMERIC_KINDS = ("number", "zero", "rate")


def missing(x: object) -> bool:
    """None, NaN or pandas' NA."""
    if x is None or x is pd.NA:
        return True
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def fmt_number(x: object, *, signed: bool = False) -> str:
    """A count without decimals when whole ("—" when missing)."""
    if missing(x):
        return "—"
    v = float(x)  # type: ignore[arg-type]
    text = f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"
    return ("+" + text) if signed and v > 0 else text


def fmt_pct(x: object, *, signed: bool = False, ratio: bool = False) -> str:
    """A percentage with one decimal ("—" when missing); ``ratio`` means x is a fraction."""
    if missing(x):
        return "—"
    v = float(x) * (100 if ratio else 1)  # type: ignore[arg-type]
    return ("+" if signed and v > 0 else "") + f"{v:.1f}%"


def fmt_value(value: object, kind: object = None, *, corrected: object = False, rate: bool = False) -> str:
    """The value as shown: a number, a rate, or the mark of how the report filled it in."""
    if isinstance(kind, str) and kind in MARKS:
        return MARKS[kind]
    if missing(value):
        return MARKS["undefined"] if rate else MARKS["not_stated"] if kind is None else "—"
    text = fmt_pct(value, ratio=True) if rate else fmt_number(value)
    return f"{text} {CORRECTED}" if is_true(corrected) else text


def is_true(x: object) -> bool:
    """True for a true boolean, False for false, None, NaN or NA."""
    return not missing(x) and bool(x)


def mark(kind: object) -> str:
    """The mark of a value that is not a number ("" for numbers and zeros)."""
    return MARKS.get(kind, "") if isinstance(kind, str) else ""
