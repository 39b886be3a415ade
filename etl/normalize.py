"""Stage 2: raw report text → normalized text.

Takes the text a reader produced and gives ``Normalized``: the text every later stage reads
(and whose offsets facts point into), the language, and flags saying what was repaired.

Steps, in order, each for a trap the genre is known for:

1. pinyin glosses glued after characters on mirror sites ("落實(shí)" → "落實") and the mangled
   character sometimes left before one ("?F(xiàn)將" → "將");
2. traditional → simplified characters with OpenCC, when the text is mostly traditional;
3. full-width digits, letters and spaces → ASCII (Chinese punctuation is kept), and a thousands
   separator typed as a full-width comma ("1，324条") → "1,324条";
   and the letter O typed or scanned for a zero inside a number ("2O19年", "2O件");
3a. pinyin fragments that mirror sites put in place of characters of the genre's key words
   ("主动gong开zheng府信息" → "主动公开政府信息");
4. page boilerplate: navigation, breadcrumbs, "全文查看", pagers, footers, related-article lists;
5. the same report pasted twice: the repeated run of paragraphs is dropped;
6. hard line wraps of PDF text joined back into paragraphs;
7. digits split by spaces ("20 1 1" → "2011"), with the repaired spans kept so that facts
   read from them can be flagged.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from etl.model import PAGE_BREAK

CJK = "\u4e00-\u9fff"
_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A bracketed pinyin syllable (or two) with at least one tone mark, right after a character.
_PINYIN_GLOSS = re.compile(
    rf"(?:\?[A-Za-z])?(?<=[{CJK}?A-Za-z])\((?=[a-zü{_TONE_VOWELS}\s]*[{_TONE_VOWELS}])"
    rf"[a-zü{_TONE_VOWELS}]{{1,7}}(?:\s[a-zü{_TONE_VOWELS}]{{1,7}})?\)"
)
# Mojibake left where a character could not be encoded: "?F(xiàn)", "?,F", "?zhèn)".
_MANGLED_BEFORE_GLOSS = re.compile(
    rf"\?[,.A-Za-z]{{1,2}}(?=\([a-zü{_TONE_VOWELS}]+\)|[{CJK}])|\?[a-zü{_TONE_VOWELS}]{{1,7}}\)"
)

_BOILERPLATE_WORDS = (
    r"首页\s*[|>｜]|当前位置|您的位置|无障碍\s*[|｜]|【\s*字体|字体[:：]\s*[大中小]|"
    r"索引号[:：]|浏览次数|浏览量|阅读次数|点击数|访问量[:：]|"
    r"网站标识码|ICP备|公安备案|备案号|主办单位[:：]|承办单位[:：]|技术支持[:：]|联系我们\s*[|｜]|"
    r"版权所有|Copyright|建议使用.*分辨率|分辨率.*浏览|"
    r"上一页|下一页|上一篇|下一篇|【\s*打印|【\s*关闭|分享到|扫一扫|"
    r"Current location\s*-|"
    r"相关(?:文章|阅读|链接|新闻)|延伸阅读|推荐阅读|热门文章"
)
_BOILERPLATE_LINE = re.compile(rf"^\s*(?:{_BOILERPLATE_WORDS})", re.IGNORECASE)
# The same words anywhere: a text without one has no boilerplate line (nor a related-articles
# header, whose words are among them). The lookahead holds the words' first characters.
_ANY_BOILERPLATE = re.compile(
    rf"(?=[首当您无【字索浏阅点访网ICP公备主承技联版建分上下扫相延推热])(?:{_BOILERPLATE_WORDS})", re.IGNORECASE)
# Lists that follow a "related articles" header until a blank line or the end.
_RELATED_HEADER = re.compile(r"^\s*(?:相关(?:文章|阅读|链接|新闻)|延伸阅读|推荐阅读|热门文章)")
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位)[:：]\s*[^\s|｜　]{2,30}")
_INLINE_JUNK = re.compile(r"\d{0,3}全文(?:查看|阅读)")

# Table rows: cells joined by "|" or tabs, or a label followed by two or more numbers.
_TABLE_LINE = re.compile(r"\||\t|(?:\d\s+){4,}\d|(?:\s-?\d+(?:\.\d+)?){2,}\s*$")
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|"
    r"\d+[、.．]|第[一二三四五六七八九十]+|[IVX]+\.|\(\d+\)|- ?\d+ ?-)"
)
_SENTENCE_END = "。！？；：”」』）)!?;:"

# Split digits: "20 1 1", "1 8 3", "4 14" (every group after the first has at most 2 digits).
_SPLIT_DIGITS = re.compile(r"(?<![\d.])(\d{1,3})((?: \d{1,2})+)(?![\d.%])")
# What every split number holds, a digit, a space and a digit; written to start with the space, which
# the search finds in C (a pattern starting with \d is tried at every position).
_DIGIT_SPACE_DIGIT = re.compile(r" (?<=\d )(?=\d)")
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"％": "%", "．": ".", "＋": "+", "－": "-", "／": "/", "｜": "|", "\u3000": " ",
                   "\u00a0": " "})
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)
# "1，324条": a full-width comma between a 1–3 digit group and groups of exactly three digits, right
# before a count unit, is a thousands separator (a clause break is never followed by a bare unit).
_FULLWIDTH_THOUSANDS = re.compile(
    r"(?<![\d.,，])\d{1,3}(?:，\d{3})+(?!\d)(?=\s*(?:余|多)?\s*(?:人次|[条件篇个项份起宗则批期场次万]))")

# Key words of the genre with the pinyin mirror sites write for some of their characters. Only
# these words are repaired: a fragment is read back only where the word it spells is certain.
PINYIN_WORDS: dict[str, tuple[str, ...]] = {
    "政府": ("zheng", "fu"), "信息": ("xin", "xi"), "公开": ("gong", "kai"), "申请": ("shen", "qing"),
    "主动": ("zhu", "dong"), "行政": ("xing", "zheng"), "复议": ("fu", "yi"), "诉讼": ("su", "song"),
    "咨询": ("zi", "xun"), "网站": ("wang", "zhan"), "政务": ("zheng", "wu"), "受理": ("shou", "li"),
    "年度": ("nian", "du"), "报告": ("bao", "gao"), "微信": ("wei", "xin"), "微博": ("wei", "bo"),
}
_PINYIN_WORD = re.compile("|".join(
    "".join(f"(?:{ch}|{syllable})" for ch, syllable in zip(word, syllables, strict=True))
    for word, syllables in sorted(PINYIN_WORDS.items(), key=lambda kv: -len("".join(kv[1])))
), re.IGNORECASE)
_SYLLABLES_TO_WORD = {"".join(syllables): word for word, syllables in PINYIN_WORDS.items()}
# Any syllable of those words: without one, every match of _PINYIN_WORD is the characters themselves.
# The lookahead (the characters re.IGNORECASE matches to an ASCII letter) only lets the search skip
# Chinese text quickly.
_PINYIN_SYLLABLE = re.compile(
    "(?=[A-Za-z\u0130\u0131\u017f\u212a])(?i:"
    + "|".join(sorted({y for ys in PINYIN_WORDS.values() for y in ys})) + ")")


@dataclass
class Normalized:
    text: str
    language: str  # "zh" or "en"
    flags: list[str] = field(default_factory=list)
    rejoined: list[tuple[int, int]] = field(default_factory=list)  # spans of repaired split digits

    def page_of(self, offset: int) -> int | None:
        """1-based page of an offset, or None for text without page breaks."""
        breaks = self._page_breaks
        if not breaks:
            return None
        return bisect.bisect_left(breaks, offset) + 1

    @functools.cached_property
    def _page_breaks(self) -> list[int]:
        """Offsets of the page breaks, found once: every fact of a report asks for its page."""
        text, found, at = self.text, [], self.text.find(PAGE_BREAK)
        while at >= 0:
            found.append(at)
            at = text.find(PAGE_BREAK, at + 1)
        return found

    def is_rejoined(self, start: int, end: int) -> bool:
        if not self.rejoined:
            return False
        return any(s < end and start < e for s, e in self.rejoined)


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


_CJK_RUN = re.compile(f"[{CJK}]+")
_LATIN_RUN = re.compile(r"[A-Za-z]+")


def _count(run: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` the matches of ``run`` (a repeated character class) cover;
    found run by run, which is much faster than one match per character."""
    return sum(map(len, run.findall(text)))


_NOT_LATIN = bytes(b for b in range(128) if not chr(b).isalpha())


def detect_language(text: str) -> str:
    """"zh" when Chinese characters are at least a third as many as Latin letters, else "en"."""
    latin = len(text.encode("ascii", "ignore").translate(None, _NOT_LATIN))  # [A-Za-z], counted in C
    needed = -(-latin // 3)  # the fewest Chinese characters that make the text Chinese
    cjk = 0
    for run in _CJK_RUN.finditer(text):  # counted only as far as the decision needs
        if cjk >= needed:
            break
        cjk += run.end() - run.start()
    return "zh" if cjk >= needed else "en"


def strip_pinyin(text: str) -> tuple[str, bool]:
    if "?" not in text and "(" not in text:
        return text, False  # both patterns need one of them
    cleaned = _MANGLED_BEFORE_GLOSS.sub("", text)
    cleaned = _PINYIN_GLOSS.sub("", cleaned)
    return cleaned, cleaned != text


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert with OpenCC when a noticeable share of characters is traditional."""
    sample = text[:20000]
    converted_sample = _t2s().convert(sample)
    if converted_sample == sample:
        return text, False  # nothing traditional in the sample: no character changed
    changed = sum(a != b for a, b in zip(sample, converted_sample, strict=False))
    cjk = max(1, _count(_CJK_RUN, sample))
    if changed / cjk < 0.03:
        return text, False
    return _t2s().convert(text), True


# Runs of the characters the table maps: str.translate is slow on Chinese text (a failed lookup per
# character), so only these runs are translated.
_FULLWIDTH_RUN = re.compile("[" + re.escape("".join(_FULLWIDTH)) + "]+")


def to_halfwidth(text: str) -> str:
    return _FULLWIDTH_RUN.sub(lambda m: m.group().translate(_FULLWIDTH_TABLE), text)


# O for 0 after a digit and before a digit, a count unit or a date part; never in a word ("H2O" stays).
_LETTER_ZERO = re.compile(r"(?<=\d)[Oo]{1,2}(?=\d|[件条篇人次个项份年月日])")
# Quick tests of what every match contains, written to start with the letter or the comma: a
# pattern starting with a literal is searched for in C, far faster than one starting with \d.
_DIGIT_THEN_O = re.compile(r"[Oo](?<=\d[Oo])")
_DIGIT_COMMA_DIGIT = re.compile(r"，(?<=\d，)(?=\d)")


def repair_fullwidth_thousands(text: str) -> tuple[str, bool]:
    if not _DIGIT_COMMA_DIGIT.search(text):
        return text, False  # quick test of what every match contains
    repaired = _FULLWIDTH_THOUSANDS.sub(lambda m: m.group().replace("，", ","), text)
    return repaired, repaired != text


def repair_letter_zero(text: str) -> tuple[str, bool]:
    if not _DIGIT_THEN_O.search(text):
        return text, False  # quick test of what every match contains
    repaired = _LETTER_ZERO.sub(lambda m: "0" * len(m.group()), text)
    return repaired, repaired != text


def repair_pinyin_fragments(text: str) -> tuple[str, bool]:
    """"zheng府xin息gong开" → "政府信息公开" for the key words in ``PINYIN_WORDS``.

    A word written half in pinyin is repaired wherever it stands; one written wholly in pinyin
    only between Chinese characters, so that romanised names in English text are left alone.
    """
    def repl(m: re.Match[str]) -> str:
        found = m.group()
        if found.isascii() and found.lower() not in _SYLLABLES_TO_WORD:
            return found
        if found[0].isascii() and m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
            return found
        after = text[m.end():m.end() + 1]
        if found[-1].isascii() and after.isascii() and after.isalpha():
            return found
        if found.isascii():
            before = text[m.start() - 1:m.start()]
            if not (re.match(f"[{CJK}]", before) and re.match(f"[{CJK}]", after)):
                return found
            return _SYLLABLES_TO_WORD[found.lower()]
        if found == "".join(ch for ch in found if not ch.isascii()):
            return found  # already the characters
        return next(word for word, syllables in PINYIN_WORDS.items()
                    if re.fullmatch("".join(f"(?:{c}|{y})" for c, y in zip(word, syllables, strict=True)),
                                    found, re.IGNORECASE))

    if not _PINYIN_SYLLABLE.search(text):
        return text, False
    repaired = _PINYIN_WORD.sub(repl, text)
    return repaired, repaired != text


def drop_boilerplate(text: str) -> tuple[str, bool]:
    if "全文" not in text and not _ANY_BOILERPLATE.search(text):
        return text, False  # nothing the loop below would drop or clean
    out: list[str] = []
    dropped = False
    in_related = False
    for line in text.split("\n"):
        if in_related:
            if line.strip() == "" or _HEADING_START.match(line):
                in_related = False
            else:
                dropped = True
                continue
        if _RELATED_HEADER.match(line):
            in_related = True
            dropped = True
            continue
        if _BOILERPLATE_LINE.match(line):
            dropped = True
            publisher = _PUBLISHER.search(line)
            if publisher:  # "索引号：…　发布机构：鄞州区民政局" names the bureau: keep that part
                out.append(publisher.group().strip())
            continue
        cleaned = _INLINE_JUNK.sub("", line) if "全文" in line else line
        dropped |= cleaned != line
        out.append(cleaned)
    return "\n".join(out), dropped


def _key(paragraph: str) -> str:
    # the same as re.sub(r"\s+", "", paragraph): str.split and re's \s both use str.isspace
    return "".join(paragraph.split())


def drop_repeated_paste(text: str) -> tuple[str, bool]:
    """Drop a second copy of a run of paragraphs (a report pasted twice on one page).

    A copy starts where a substantial paragraph (≥ 20 characters) that appeared earlier comes
    again and the following paragraphs repeat too; it runs as long as they keep matching.
    """
    lines = text.split("\n")
    keys = [_key(line) for line in lines]
    substantial = [i for i, k in enumerate(keys) if len(k) >= 20]
    first_seen: dict[str, int] = {}
    drop: set[int] = set()
    i_pos = 0
    while i_pos < len(substantial):
        i = substantial[i_pos]
        k = keys[i]
        if k in first_seen and i not in drop:
            j = first_seen[k]
            run = _matching_run(keys, j, i)
            if sum(len(keys[x]) for x in run) >= 200 or len([x for x in run if keys[x]]) >= 4:
                drop.update(run)
        first_seen.setdefault(k, i)
        i_pos += 1
    if not drop:
        return text, False
    return "\n".join(line for n, line in enumerate(lines) if n not in drop), True


def _matching_run(keys: list[str], first: int, second: int) -> list[int]:
    """Indices of the second copy: lines from `second` on that repeat the lines from `first` on."""
    run: list[int] = []
    a, b = first, second
    while a < second and b < len(keys):
        if not keys[a]:
            a += 1
            continue
        if not keys[b]:
            run.append(b)
            b += 1
            continue
        if keys[a] == keys[b] or (keys[b].startswith(keys[a][:20]) and len(keys[b]) >= 20
                                  and (keys[a].startswith(keys[b]) or keys[b].startswith(keys[a]))):
            run.append(b)
            a += 1
            b += 1
            continue
        break
    while run and not keys[run[-1]]:
        run.pop()
    return run


def join_wrapped_lines(text: str) -> tuple[str, bool]:
    """Join lines that a PDF hard-wrapped in the middle of a sentence.

    Only for text that looks wrapped: many lines of nearly the same width. A line is joined to
    the next when it is about that width, does not end a sentence, and neither it nor the next
    line is a table row or a heading.
    """
    lines = text.split("\n")
    widths = sorted(_visual_width(line.strip()) for line in lines if len(line.strip()) >= 10)
    if len(widths) < 8:
        return text, False
    width = widths[int(len(widths) * 0.9)]
    near = sum(1 for w in widths if w >= width * 0.85)
    if near < len(widths) * 0.3:
        return text, False
    out: list[str] = []
    joined = False
    for line in lines:
        # the first line is the title: never glue the opening sentence onto it
        if len(out) > 1 and _wraps_into(out[-1], line, width):
            prev = out[-1].rstrip()
            sep = " " if prev[-1:].isascii() and prev[-1:].isalnum() and line.strip()[:1].isascii() else ""
            out[-1] = prev + sep + line.strip()
            joined = True
        else:
            out.append(line)
    return "\n".join(out), joined


def _visual_width(line: str) -> float:
    """Printed width in em: a Chinese character is one, a digit, letter or space half of one."""
    ascii_count = len(line.encode("ascii", "ignore"))
    return len(line) - 0.5 * ascii_count  # exact: every width is a multiple of 0.5


def _wraps_into(prev: str, line: str, width: float) -> bool:
    p, n = prev.strip(), line.strip()
    if not p or not n or PAGE_BREAK in prev or PAGE_BREAK in line:
        return False
    if _visual_width(p) < width * 0.8 or p[-1] in _SENTENCE_END:
        return False
    if _TABLE_LINE.search(p) or _TABLE_LINE.search(n) or _HEADING_START.match(n):
        return False
    return not re.fullmatch(r"[\d\s.,%\-/]+", n)


def rejoin_split_digits(text: str) -> tuple[str, list[tuple[int, int]]]:
    """"20 1 1" → "2011" outside table rows; returns the new text and the repaired spans."""
    if not _DIGIT_SPACE_DIGIT.search(text):
        return text, []  # _SPLIT_DIGITS needs a digit, a space and a digit
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if not _DIGIT_SPACE_DIGIT.search(line) or _TABLE_LINE.search(line):
            new_line = line
        else:
            pieces: list[str] = []
            last = 0
            for m in _SPLIT_DIGITS.finditer(line):
                if not _looks_split(line, m):
                    continue
                pieces.append(line[last:m.start()])
                joined = m.group(0).replace(" ", "")
                start = pos + sum(len(p) for p in pieces)
                spans.append((start, start + len(joined)))
                pieces.append(joined)
                last = m.end()
            pieces.append(line[last:])
            new_line = "".join(pieces)
        out.append(new_line)
        pos += len(new_line) + 1
    return "\n".join(out), spans


def _looks_split(line: str, m: re.Match[str]) -> bool:
    """A run of digit groups is one number when a unit, a date part or a word follows it."""
    groups = m.group(0).split(" ")
    if len(groups) > 6 or sum(len(g) for g in groups) > 6:
        return False
    after = line[m.end():m.end() + 2].lstrip()
    before = line[max(0, m.start() - 1):m.start()]
    if before in ("(", "（", "[", "〔"):
        return False
    return bool(after) and (bool(re.match(f"[{CJK}A-Za-z]", after[0])) or after[0] in "，,。")


def _halfwidth_step(text: str) -> tuple[str, bool]:
    return to_halfwidth(text), False  # full-width forms are routine, not worth a flag


# The repairs in order, each with the flag a report gets when it changed something.
STEPS: tuple[tuple[Callable[[str], tuple[str, bool]], str], ...] = (
    (strip_pinyin, "pinyin_glosses_removed"),
    (to_simplified, "traditional_converted"),
    (_halfwidth_step, ""),
    (repair_fullwidth_thousands, "fullwidth_thousands_separator"),
    (repair_letter_zero, "letter_o_as_zero"),
    (repair_pinyin_fragments, "pinyin_fragments_repaired"),
    (drop_boilerplate, "boilerplate_removed"),
    (drop_repeated_paste, "duplicate_paste_removed"),
    (join_wrapped_lines, "wrapped_lines_joined"),
)


_TRAILING_BLANKS = re.compile(r"[ \t]+\n")
# a count cut from its unit by a line break: "咨询30余\n\n件"
_CUT_COUNT = re.compile(r"(\d[余多]?)[ \t]*\n+[ \t]*(?=(?:人次|件|条|篇|个|项)[^\d\n]{0,3}[，,。；])")
_MAY_CUT_COUNT = re.compile(r"\n[ \t]*[人件条篇个项]")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize(raw: str) -> Normalized:
    flags: list[str] = []
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    for step, flag in STEPS:
        text, changed = step(text)
        if changed and flag:
            flags.append(flag)
    # Each substitution is skipped when a quick test shows it has nothing to replace.
    if " \n" in text or "\t\n" in text:
        text = _TRAILING_BLANKS.sub("\n", text)
    if _MAY_CUT_COUNT.search(text):
        text = _CUT_COUNT.sub(r"\1", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    text = text.strip()
    text, spans = rejoin_split_digits(text)
    if spans:
        flags.append("split_digits_rejoined")
    return Normalized(text=text, language=detect_language(text), flags=flags, rejoined=spans)
