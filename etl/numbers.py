"""Numbers as reports write them: Arabic or Chinese numerals, with approximation words.

Takes a number token and the words around it; gives its value and a qualifier:
"30余件" → (30, "more_than"), "三十余件" → (30, "more_than"), "近百条" → (100, "nearly"),
"两千" → 2000, "3,202" → 3202, "1.86万条" → 18600, "逾20场" → (20, "more_than"),
"1326.5万元" → (1326.5, unit 万元). The value is always the stated base number: an approximation
is kept as a qualifier, never turned into a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
# An Arabic number never starts inside another one ("11.6万件" must not give "6万件" or "万件") or
# right after a letter (OCR "l,234条" is not 234, "PM2.5" not a count), and a 万/千 right after it is
# a multiplier ("1.86万条" is 18600 items).
_ARABIC = r"(?<![\d.A-Za-z])(?<![\dA-Za-z],)\d+(?:,\d{3})*(?:\.\d+)?[万千]?"
_CHINESE = rf"(?<![\d.{CN_DIGITS}])[{CN_DIGITS}]+"
NUMBER = rf"(?:{_ARABIC}|{_CHINESE})"
COUNT_UNITS = ("人次", "条", "件", "篇", "期", "场", "次", "个", "项", "份", "起", "宗", "则", "批")
MORE_THAN = ("余", "多", "以上", "多于")
MORE_THAN_BEFORE = ("逾", "超过", "超", "多于")
NEARLY = ("近", "将近", "接近")
ABOUT = ("约", "大约", "左右")
_MULTIPLIERS = {"万": Decimal(10000), "千": Decimal(1000)}
_ARABIC_TOKEN = re.compile(r"(-?\d+(?:\.\d+)?)([万千]?)")
_CHINESE_TOKEN = re.compile(f"[{CN_DIGITS}]+")
_MORE_THAN_AFTER = re.compile(r"^(?:[条件篇人次个项份]+)?以上")
_MORE_THAN_END = re.compile(r"(?:逾|超过|超|多于)$")
_NEARLY_END = re.compile(r"(?:将近|接近|近)$")
_ABOUT_END = re.compile(r"(?:大约|约)$")
_EN_APPROXIMATE_END = re.compile(r"(more than|over|nearly|about|approximately|around)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    qualifier: str | None = None


def parse_number(token: str) -> float | None:
    """Value of an Arabic or Chinese numeral token, or None when it is not a number."""
    token = token.strip().replace(",", "").replace(" ", "")
    if not token:
        return None
    m = _ARABIC_TOKEN.fullmatch(token)
    if m:
        try:
            value = Decimal(m.group(1)) * _MULTIPLIERS.get(m.group(2), Decimal(1))
        except InvalidOperation:
            return None
        return float(value)
    if not _CHINESE_TOKEN.fullmatch(token):
        return None
    if token[0] in "十百千万":
        token = "一" + token
    try:
        value = cn2an.cn2an(token.replace("〇", "零"), "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return float(value)


def qualifier_around(before: str, after: str) -> str | None:
    """The approximation a report attaches to a number: 余/多/以上 after it, 逾/近/约 before it."""
    after = after.lstrip()
    if after.startswith(MORE_THAN) or _MORE_THAN_AFTER.match(after):
        return "more_than"
    if _MORE_THAN_END.search(before):
        return "more_than"
    if _NEARLY_END.search(before):
        return "nearly"
    if _ABOUT_END.search(before) or after.startswith("左右"):
        return "about"
    word = _EN_APPROXIMATE_END.search(before)
    if word:
        return {"more than": "more_than", "over": "more_than", "nearly": "nearly"}.get(
            word.group(1).lower(), "about")
    return None


def as_int_if_whole(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
