"""The statistical year a report covers.

``find_year(text, title=None, language="zh") -> (year, flags)`` takes a report's normalized text
and, when known, its title; it gives the year the report's figures cover (``int`` or ``None``) and
a list of flags.

Evidence, in order of trust:

1. the title ("信丰县教育局2014年政府信息公开工作年度报告", "… for 2022");
2. the statistical period ("统计期限为2019年1月1日至12月31日") or the report naming itself
   ("现将2018年政府信息公开工作年度报告如下");
3. statements opening with the year ("2018年，我局…", "In 2011, our bureau…");
4. the signature date: a report signed in January–September of year Y covers Y−1
   ("2019年1月10日" → 2018), one signed in October–December covers Y; then the page's publication
   date when it falls in January–June ("发布日期：2020-01-15" → 2019), flagged
   ``year_from_publication_date`` and ``year_inferred``;
5. indirect evidence, flagged ``year_inferred``: next year's plans ("2018年工作打算",
   "Work plan for 2017" → the year before), document numbers ("〔2016〕", "[2016]") and the
   year's key-points documents ("《2017年政务公开工作要点》").

A masked year ("201@") is never read as a year: it only narrows the inferred one to its decade; such a
result carries ``year_masked`` and ``year_inferred``. Related-article lists at the end of a page and 索引号
lines are not read; metadata dates count only as the publication-date tier above. Other flags:
``year_from_signature`` (tier 4 decided) and ``year_conflict`` (the title and the statistical period
disagree; the title wins). Chinese-numeral years (二〇一四年, also typed 二O一九年 or 二0一九年) and
years typed with a letter O (2O19年) are read as digits. Chinese and English patterns are both tried
whatever ``language`` says, so a mixed page still gives its year.
"""

from __future__ import annotations

import re
from collections import Counter

from etl.bureau import DATE_LINE, EN_DATE_LINE, find_title, main_text

YEAR = r"((?:19[89]|20[0-4])\d)"
# A year not inside a longer number: as rf"(?<!\d){YEAR}(?!\d)", but with the test of the character
# before it made once its first digit is read ("1(?<!\d1)"), so that a pattern starting with a year
# starts with a digit the regex engine can scan for, instead of trying every position.
_Y = r"((?:1(?<!\d1)9[89]|2(?<!\d2)0[0-4])\d)(?!\d)"
MASKED_YEAR = re.compile(r"(?<![\dA-Za-z])((?:19|20)\d[@#?？*＊xX]|(?:19|20)[@#?？*＊xX]{2})(?![\dA-Za-z])")
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "o": "0", "0": "0", "一": "1", "二": "2",
              "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
# "二〇一四年", also typed with a Latin O or a zero ("二O一九年", "二0二0年").
_CN_YEAR = re.compile(r"([一二][〇零○ＯOo0一二三四五六七八九]{3})(\s*年)")
# A year typed with the letter O for a zero ("2O19年", "2O2O年").
_LETTER_O_YEAR = re.compile(r"(?<![\dA-Za-z])((?:19|2[0Oo])[\dOo]{2})(?=\s*年)")
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
# The lookahead (the first characters of the words) lets a search pass other characters fast.
_META_LINE = re.compile(r"(?=[索发生成更浏RrPpDd])"
                        r"(?:索\s*引\s*号|发布(?:时间|日期)|生成日期|成文日期|发文日期|更新(?:时间|日期)|浏览次数"
                        r"|Release date|Published|Date of (?:publication|release))", re.I)
_FUTURE = r"(?:将|计划|拟|要|准备|力争|继续|着力|重点做好)"
_SUBJECT = (r"(?:我局|我厅|我委|我办|我市|我区|我县|我们|本局|本机关|局机关|厅机关|全市|全县|全区|全省"
            r"|[^，。；\n《“]{0,10}?(?:局|厅|委|办|政府)(?![^，。；\n]{0,4}(?:印发|发布|制定|出台)))")


def _cn_number(s: str) -> int | None:
    """一 … 三十一 → 1 … 31; ASCII digits pass through."""
    if s.isdigit():
        return int(s)
    if not s or any(ch not in "一二三四五六七八九十" for ch in s):
        return None
    if "十" not in s:
        return int(_CN_DIGITS[s]) if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    return (int(_CN_DIGITS[tens]) if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0)


_SPACED_YEAR = re.compile(r"(?<![\d.])2\s?0\s?([0-4])\s?(\d)(?=\s*年)")
# Quick tests for the two repairs below: a year they change has a letter O before 年, or a space
# after its 2, 20 or 20x. Without one, every match would be replaced by itself.
_MAY_HAVE_LETTER_O = re.compile(r"[Oo][\dOo]{0,2}\s*年")
_MAY_HAVE_SPACE = re.compile(r"2\s0|20\s[0-4]|20[0-4]\s\d")


def _prepare(text: str) -> str:
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)) + m.group(2), text)
    if _MAY_HAVE_LETTER_O.search(text):
        text = _LETTER_O_YEAR.sub(lambda m: m.group(1).replace("O", "0").replace("o", "0"), text)
    if _MAY_HAVE_SPACE.search(text):
        text = _SPACED_YEAR.sub(lambda m: "20" + m.group(1) + m.group(2), text)
    return text


def _years(pattern: str, text: str, flags: int = 0) -> list[int]:
    return [int(next(g for g in m.groups() if g)) for m in re.finditer(pattern, text, flags)]


def _title_year(text: str, title: str | None) -> tuple[int | None, str | None]:
    """The title's year, or the masked form found there ("201@")."""
    line = find_title(text, title)
    if line is None:
        head = [ln for ln in text.splitlines()[:8] if ln.strip()]
        pieces = [*(title.split(" - ") if title else []), *head]
        for piece in pieces:
            if re.search(r"annual report|年度报告|年报", piece, re.I):
                # "… for 2022", "… for the Year 2019", "… in 2017", "(2018)", "2020 Annual Report".
                found = {int(y) for y in re.findall(rf"(?<![\d.,-]){YEAR}(?![\d.,-]\d)", piece)}
                if len(found) == 1:
                    return found.pop(), None
                mm = MASKED_YEAR.search(piece)
                if mm:
                    return None, mm.group(1)
        return None, None
    line = _prepare(line)
    m = re.search(rf"{_Y}\s*年", line)
    if m:
        return int(m.group(1)), None
    mm = MASKED_YEAR.search(line)
    return None, (mm.group(1) if mm else None)


# What the slower period patterns below all contain, searched for first: "1月1日", and "January" as
# re.IGNORECASE reads it (no character outside ASCII folds to one of its letters).
_JANUARY_FIRST = re.compile(r"1\s*月\s*1\s*日")
_JANUARY = re.compile("[Jj][Aa][Nn][Uu][Aa][Rr][Yy]")


def _period_years(text: str) -> list[int]:
    out = _years(rf"统计(?:期限|时限|时间|区间|周期|范围)?[^。\n]{{0,16}}?{_Y}\s*年\s*1\s*月\s*1\s*日", text)
    if _JANUARY_FIRST.search(text):
        out += [int(m.group(1)) for m in re.finditer(
            rf"{_Y}\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|－|~)\s*(?:{_Y}\s*年\s*)?12\s*月\s*31\s*日",
            text) if not m.group(2) or m.group(2) == m.group(1)]
    out += _years(rf"(?:将|公布|发布|编制)[^。\n]{{0,30}}?{_Y}\s*年度?[^。\n]{{0,14}}?"
                  r"(?:政府信息公开|政务公开)[^。\n]{0,14}?(?:年度)?报告", text)
    if _JANUARY.search(text):
        out += _years(rf"(?i)statistical period[^.\n]{{0,60}}?January 1,?\s*{_Y}", text)
        out += _years(rf"(?i)from January 1,?\s*{_Y}\s*to December 31", text)
    return out


def _statement_years(text: str) -> list[int]:
    out = [int(m.group(1)) for m in re.finditer(
        rf"(?:^|[\n。；;！，,：:）)])\s*(?:在|截至)?\s*{_Y}\s*年度?(?:是|以来|里|中|内|全年)?\s*[，,]?\s*(?=({_SUBJECT}))",
        text) if not re.match(rf"[^，。\n]{{0,14}}?{_FUTURE}", text[m.end():])]
    for m in re.finditer(rf"(?:^|\n|[.;]\s+|\b[Ii]n\s+){_Y}\s*(?:year)?\s*,?\s+(?:our|the|this|we)\b", text):
        tail = text[m.end():m.end() + 60]
        if not re.search(r"\b(?:will|plans? to|is going to|shall)\b", tail):
            out.append(int(m.group(1)))
    return out


def _signature_year(text: str) -> int | None:
    lines = [ln.strip() for ln in text.splitlines()]
    found: int | None = None
    for line in lines:
        if DATE_LINE.match(line):
            m = re.match(rf"\s*{_Y}\s*年\s*(\d{{1,2}}|[一二三四五六七八九十]{{1,2}})\s*月", line)
            if m:
                month = _cn_number(m.group(2))
                if month:
                    found = int(m.group(1)) - (1 if month <= 9 else 0)
        elif EN_DATE_LINE.match(line):
            m = re.match(r"\s*([A-Za-z]+)\s+\d{1,2},?\s+(\d{4})", line)
            if m and m.group(1).lower() in _MONTHS:
                found = int(m.group(2)) - (1 if _MONTHS[m.group(1).lower()] <= 9 else 0)
    return found


_PUBLISHED = re.compile(
    r"(?:发布(?:时间|日期)|成文日期|发文日期|生成日期)\s*[:：]\s*((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})")


def _publication_year(text: str) -> int | None:
    """The year before a report's publication date, when it was published in January–June.

    Annual reports are due early in the next year, so a page published 2020-01-15 with no year of
    its own reports on 2019; a later date says nothing sure (a late report, an update, a re-post).
    Only the page's first date line counts, never the dates in a related-articles list.
    """
    m = _PUBLISHED.search(text[:1500])
    if m is None:
        return None
    month = int(m.group(2))
    return int(m.group(1)) - 1 if 1 <= month <= 6 else None


def _indirect_votes(text: str) -> Counter:
    votes: Counter = Counter()
    for y in _years(rf"{_Y}\s*年度?\s*(?:工作)?(?:打算|计划|工作思路|工作安排|展望)", text):
        votes[y - 1] += 2
    for y in _years(rf"{_Y}\s*年度?\s*[，,]?\s*{_SUBJECT}?\s*{_FUTURE}", text):
        votes[y - 1] += 2
    for y in _years(rf"(?i)\b(?:work )?plans? for {_Y}\b", text):
        votes[y - 1] += 2
    for y in _years(rf"(?i)\bin {_Y},? (?:our|the|we)\b[^.]{{0,60}}?\b(?:will|shall)\b", text):
        votes[y - 1] += 2
    for y in _years(rf"《{_Y}\s*年(?:政务公开|政府信息公开)[^》]{{0,12}}要点》", text):
        votes[y] += 2
    for y in _years(rf"[〔\[［【(（]\s*{_Y}\s*[〕\]］】)）]\s*(?:第\s*)?\d+\s*号?|\b{_Y}\]\s*No\.", text):
        votes[y] += 1
    return votes


def _fits(year: int, mask: str | None) -> bool:
    if not mask:
        return True
    prefix = re.match(r"\d+", mask)
    return bool(prefix) and str(year).startswith(prefix.group(0))


def find_year(text: str, title: str | None = None, language: str = "zh") -> tuple[int | None, list[str]]:
    """The statistical year of a report and flags saying how it was found (module docstring)."""
    raw = main_text(text or "")
    lines = raw.splitlines()
    if _META_LINE.search(raw):  # a line can hold a match only if the whole text does
        lines = [ln for ln in lines if not _META_LINE.search(ln)]
    body = _prepare("\n".join(lines))
    flags: list[str] = []

    title_year, mask = _title_year(raw, title)
    period = Counter(_period_years(body))
    if title_year is not None:
        if period and title_year not in period:
            flags.append("year_conflict")
        return title_year, flags
    if mask is None:
        mm = MASKED_YEAR.search(body[:3000])
        mask = mm.group(1) if mm else None
    if mask:
        flags.append("year_masked")

    if period and not mask:
        return period.most_common(1)[0][0], flags
    statements = Counter(y for y in _statement_years(body) if _fits(y, mask))
    if statements and not mask:
        return statements.most_common(1)[0][0], flags
    signed = _signature_year(body)
    if signed is not None and not mask:
        return signed, [*flags, "year_from_signature"]
    published = _publication_year(raw)
    if published is not None and _fits(published, mask):
        return published, [*flags, "year_from_publication_date", "year_inferred"]

    votes = _indirect_votes(body)
    for y, n in period.items():
        votes[y] += 3 * n
    for y, n in statements.items():
        votes[y] += n
    votes = Counter({y: n for y, n in votes.items() if _fits(y, mask)})
    if votes:
        return votes.most_common(1)[0][0], [*flags, "year_inferred"]
    loose = Counter(y for y in _years(_Y, body) if _fits(y, mask))
    if loose:
        return loose.most_common(1)[0][0], [*flags, "year_inferred"]
    return None, flags
