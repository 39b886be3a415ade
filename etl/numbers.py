"""Numbers as reports write them: Arabic or Chinese numerals, with approximation words.

Takes a number token and the words around it; gives its value and a qualifier:
"30余件" → (30, "more_than"), "三十余件" → (30, "more_than"), "近百条" → (100, "nearly"),
"两千" → 2000, "3,202" → 3202, "1326.5万元" → (1326.5, unit 万元). The value is always the stated
base number: an approximation is kept as a qualifier, never turned into a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
NUMBER = rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[{CN_DIGITS}]+)"
COUNT_UNITS = ("人次", "条", "件", "篇", "期", "场", "次", "个", "项", "份", "起", "宗", "则", "批")
MORE_THAN = ("余", "多", "以上", "多于")
NEARLY = ("近", "将近", "接近")
ABOUT = ("约", "大约", "左右")


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    qualifier: str | None = None


def parse_number(token: str) -> float | None:
    """Value of an Arabic or Chinese numeral token, or None when it is not a number."""
    token = token.strip().replace(",", "").replace(" ", "")
    if not token:
        return None
    if re.fullmatch(r"-?\d+(?:\.\d+)?", token):
        return float(token)
    if not re.fullmatch(f"[{CN_DIGITS}]+", token):
        return None
    if token[0] in "十百千万":
        token = "一" + token
    try:
        value = cn2an.cn2an(token.replace("〇", "零"), "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return float(value)


def qualifier_around(before: str, after: str) -> str | None:
    """The approximation a report attaches to a number: 余/多/以上 after it, 近/约 before it."""
    after = after.lstrip()
    if after.startswith(MORE_THAN) or re.match(r"^(?:[条件篇人次个项份]+)?以上", after):
        return "more_than"
    if re.search(r"(?:将近|接近|近)$", before):
        return "nearly"
    if re.search(r"(?:大约|约)$", before) or after.startswith("左右"):
        return "about"
    if re.search(r"(?:more than|over|nearly|about|approximately|around)\s*$", before, re.IGNORECASE):
        word = re.search(r"(more than|over|nearly|about|approximately|around)\s*$", before, re.IGNORECASE)
        assert word is not None
        return {"more than": "more_than", "over": "more_than", "nearly": "nearly"}.get(
            word.group(1).lower(), "about")
    return None


def as_int_if_whole(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
