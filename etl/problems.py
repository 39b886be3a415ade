"""Problems stage: the section on problems and improvements, split and tagged with themes.

Takes the normalized text of one report (simplified Chinese or English) and gives:

* ``find_problem_section(text)`` — the ``(start, end)`` offsets of the section on problems and
  improvements ("五、存在的主要问题及改进情况" and its variants, "Main problems and improvements",
  "(a) problems" …), ending before the next top-level heading, a signature or date line, an
  appendix or page boilerplate. Without such a heading it falls back to the paragraph that
  introduces shortcomings ("…但也存在一些不足：…"). ``None`` when neither is found.
* ``tag_problems(text, span=None)`` — the section split into sentences and clauses (。；, numbered
  items 一是/（一）/1、/第一，/First,), each a ``ProblemSentence`` with its kind ("problem" or
  "measure") and its themes from ``THEMES``; ``start``/``end`` are offsets in ``text`` and
  ``sentence == text[start:end]``.
* ``report_themes(sentences)`` — the sorted set of themes over the problem sentences only.

A problem sentence carries the one theme its wording weighs most towards (the vocabulary in
``VOCABULARY``, where a longer phrase masks the shorter ones inside it), or "other" when it is
a numbered item that plainly states a shortcoming in no theme's words. A measure sentence
carries every theme it names.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from etl.model import THEMES, ProblemSentence

# theme → language → phrase → weight. "…" inside a phrase stands for a short gap within one
# clause ("内容…拓宽" matches "公开的内容有待于进一步拓宽").
VOCABULARY: dict[str, dict[str, dict[str, int]]] = {
    "timeliness": {
        "zh": {
            "不及时": 3, "不够及时": 3, "未及时": 3, "没有及时": 3, "不太及时": 3, "及时性": 3,
            "时效性": 3, "时效": 3, "更新滞后": 3, "发布滞后": 3, "公开滞后": 3, "转载滞后": 3,
            "时限滞后": 3, "报送滞后": 3, "延后发布": 3, "延迟": 3, "推迟": 2, "迟缓": 3,
            "更新慢": 3, "更新缓慢": 3, "间隔较长": 3, "间隔时间长": 3, "间隔时间较长": 3,
            "后才": 3, "工作日内公开": 2, "滞后": 2, "时限": 2, "拖延": 2,
        },
        "en": {
            "not timely": 3, "untimely": 3, "timeliness": 3, "late": 3, "delay": 3, "delayed": 3,
            "delays": 3, "not updated in time": 3, "slow to update": 3, "lagging": 2, "lag": 2,
            "outdated": 2, "timely": 2, "in a timely manner": 2,
        },
    },
    "policy_interpretation": {
        "zh": {
            "政策解读": 3, "解读": 3, "看不懂": 3, "读不懂": 3, "看得懂": 2, "不易理解": 3,
            "难以理解": 3, "难懂": 3, "不够通俗": 3, "通俗": 2, "讲透": 3, "讲清楚": 2,
            "原文": 1, "照搬": 1, "摘抄": 1, "文件摘要": 1, "转述": 1,
        },
        "en": {
            "policy interpretation": 3, "interpretation": 3, "interpretations": 3, "interpret": 2,
            "hard to understand": 3, "difficult to understand": 3, "policy text": 1,
        },
    },
    "content_quality": {
        "zh": {
            "信息质量": 3, "内容质量": 3, "公开质量": 2, "质量不高": 3, "质量问题": 3, "质量": 2,
            "要素不全": 3, "要素不够完整": 3, "要素不完整": 3, "要素": 2, "不完整": 3, "不够完整": 3,
            "错别字": 3, "不准确": 3, "准确性": 3, "规范性不够": 3, "规范性不强": 3, "不规范": 3,
            "不够规范": 3, "内容…规范": 3, "信息…规范": 3, "前后不一致": 3, "不一致": 2,
            "缺失": 2, "遗漏": 2, "不清晰": 3, "不统一": 2, "参差不齐": 1, "缺少": 1, "差错": 3,
            "规范性": 2,
        },
        "en": {
            "quality": 3, "accuracy": 2, "not accurate": 2, "inaccurate": 2, "incomplete": 2,
            "not standardized": 2, "non-standard": 2, "errors": 2, "typos": 3,
        },
    },
    "content_scope": {
        "zh": {
            "内容…不够全面": 3, "内容…不全面": 3, "内容…偏少": 3, "内容…较少": 3, "内容…单薄": 3,
            "内容…不多": 3, "内容…拓宽": 3, "内容…丰富": 3, "内容…有待拓展": 3, "不够全面": 2,
            "公开范围": 3, "公开的范围": 3, "范围": 2, "广度": 3, "深度": 2, "覆盖面": 3, "公开不多": 2, "公开较少": 2,
            "公开偏少": 2, "不够充分": 2, "过程性信息": 2, "偏少": 1, "拓宽": 2,
        },
        "en": {
            "scope": 3, "coverage": 3, "breadth": 3, "depth": 2, "not comprehensive": 3,
            "content…enriched": 3, "content…enrich": 3, "enriched": 2,
        },
    },
    "channels_platforms": {
        "zh": {
            "渠道": 3, "载体": 3, "平台": 3, "网站栏目": 3, "栏目设置": 3, "专栏": 3, "新媒体": 3,
            "微信公众号": 3, "公众号": 3, "政务微博": 3, "微博": 3, "门户网站": 3, "移动端": 3,
            "客户端": 3, "公开栏": 2, "栏目": 2, "网站": 1, "形式单一": 2, "形式": 1,
            "查找不便": 2, "检索不便": 2, "查询不便": 2, "两头查找": 2, "单向": 1,
        },
        "en": {
            "channel": 3, "channels": 3, "carrier": 3, "carriers": 3, "platform": 3, "platforms": 3,
            "new media": 3, "wechat": 3, "weibo": 3, "microblog": 3, "official account": 3,
            "website": 2, "websites": 2, "column": 2, "columns": 2, "single form": 2,
        },
    },
    "mechanism_system": {
        "zh": {
            "长效机制": 3, "机制": 3, "制度": 3, "工作规范": 2, "工作规程": 3, "程序…规范": 3,
            "流程…规范": 3, "办理流程": 2, "流程": 2, "协同办理": 3, "转办": 2, "会商": 2, "理顺": 2,
        },
        "en": {
            "mechanism": 3, "mechanisms": 3, "system": 2, "systems": 2, "procedure": 2,
            "procedures": 2, "workflow": 2, "institutional": 2,
        },
    },
    "staff_capacity": {
        "zh": {
            "兼职": 3, "身兼数职": 3, "人员": 3, "工作人员": 3, "队伍": 3, "专业素质": 3,
            "业务素质": 3, "业务能力": 3, "专业能力": 3, "专业力量": 3, "工作力量": 3, "培训": 3,
            "信息员": 3, "流动大": 3, "调整频繁": 3, "变动频繁": 3, "调整较多": 2, "不熟悉": 2,
            "业务不熟": 3, "人手": 3,
        },
        "en": {
            "staff": 2, "personnel": 2, "training": 3, "part-time": 3, "professional": 2,
            "cadres": 2, "manpower": 3,
        },
    },
    "public_participation": {
        "zh": {
            "公众参与": 3, "群众参与": 3, "社会参与": 3, "参与度": 3, "征求意见": 3, "征求…意见": 3,
            "意见征集": 3, "征集意见": 3, "意见征询": 2, "互动交流": 3, "互动": 2, "反馈": 2,
            "回应": 2, "意见采纳": 2, "采纳情况": 2, "预公开": 2, "留言": 1,
        },
        "en": {
            "public participation": 3, "participation": 3, "interaction": 2, "interactive": 2,
            "solicit": 3, "soliciting": 3, "solicited": 3, "feedback": 2, "response": 2,
            "respond": 2,
        },
    },
    "supervision_assessment": {
        "zh": {
            "监督": 3, "考核": 3, "评议": 3, "督查": 3, "督导": 3, "考评": 3, "问责": 3,
            "检查": 2, "评估": 2, "通报": 1,
        },
        "en": {
            "supervision": 3, "supervise": 3, "assessment": 3, "evaluation": 2, "inspection": 2,
            "appraisal": 2, "accountability": 2,
        },
    },
}

# Words that contain a theme phrase without meaning it ("规范性文件" is not about 规范).
NEUTRAL_PHRASES: dict[str, tuple[str, ...]] = {
    "zh": (
        "规范性文件", "人数", "人民", "人大", "人次", "特困人员", "教学质量", "教育质量",
        "办学质量", "服务质量", "发展质量", "形式主义",
    ),
    "en": ("education system", "school system", "legal system", "staff members of the public"),
}

_CN_NUM = "一二三四五六七八九十"
_ITEM = (
    rf"(?:其|第)?[{_CN_NUM}]+是|其[{_CN_NUM}][，,、]|第[{_CN_NUM}]+[，,、]|"
    rf"[（(][{_CN_NUM}]{{1,3}}[）)]|[（(]\d{{1,2}}[）)]|\d{{1,2}}[、．](?!\d)|\d{{1,2}}\.(?=\s|[^\d\s])|"
    r"[①②③④⑤⑥⑦⑧⑨⑩]|"
    r"(?i:first|second|third|fourth|fifth|sixth|firstly|secondly|thirdly|finally|lastly)\b,|"
    r"(?:First|Second|Third|Fourth|Fifth|Sixth|Firstly|Secondly|Thirdly|Finally|Lastly)\b|"
    r"(?i:the (?:first|second|third|fourth|fifth) is)\b|\d{1,2},\s(?=[a-z])|\([a-z0-9]{1,3}\)"
)
# The characters an item marker can start with (ſ is an s to re.IGNORECASE): the lookahead lets a
# search pass other characters fast; it matches nothing the alternatives would not.
_ITEM_FIRST = rf"[其第{_CN_NUM}（(\d①②③④⑤⑥⑦⑧⑨⑩FfSsTtLl\u017f]"
_ITEM_MARKER = re.compile(rf"(?={_ITEM_FIRST})(?:{_ITEM})")
_ITEM_AT_START = re.compile(rf"\s*(?:{_ITEM})\s*")

# Headings. A heading line is short and starts with a numbering token (or is the bare phrase).
_NUMBERING = re.compile(
    rf"^\s*(?P<tok>[{_CN_NUM}]+\s*[、.．]|[（(][{_CN_NUM}]{{1,3}}[）)]|[（(]\d{{1,2}}[）)]|"
    r"\d{1,2}\s*[、.．](?!\d)|[IVX]{1,5}\.|\([a-zA-Z]\))\s*"
)
_PROBLEM_HEAD_ZH = re.compile(
    r"(?:存在|主要|工作中的?|面临的?|当前|目前)[^，。；]{0,4}(?:问题|不足|困难|差距|短板|薄弱环节)|"
    r"(?:问题|不足)(?:和|及|与|以及|、)[^，。；]{0,6}(?:改进|整改|措施|打算|计划|建议|下一步|对策|方向)|"
    r"^(?:问题|不足|不足之处)$"
)
_PROBLEM_HEAD_EN = re.compile(
    r"\b(?:problems?|shortcomings?|deficienc(?:y|ies)|weakness(?:es)?|issues)\b", re.IGNORECASE
)
_PROBLEM_HEAD_EN_BARE = re.compile(
    r"(?:the\s+)?(?:main\s+|major\s+|existing\s+)?(?:problems?|shortcomings?|deficienc(?:y|ies)|issues|"
    r"weaknesses)\b(?:\s+(?:and|&)\s+[a-z ]{0,40})?[.:]?$",
    re.IGNORECASE,
)
_MEASURE_HEAD = re.compile(
    r"^(?:改进|整改|下一步|今后|努力方向|工作(?:计划|打算|思路|安排)|\d{4}年(?:工作)?(?:计划|打算|思路)|"
    r"improvement|measures|work plan|plans?\b|next steps?)",
    re.IGNORECASE,
)
_OTHER_MATTERS = re.compile(r"其他需要报告|其它需要报告|其他事项|其他情况|other matters", re.IGNORECASE)
_END_LINE = re.compile(
    r"^\s*(?:附表|附件|附[:：]|附录|\d{0,3}全文(?:查看|阅读)|延伸阅读|推荐阅读|相关(?:文章|阅读|链接|新闻)|"
    r"上一页|下一页|上一篇|下一篇|【|责任编辑|分享到|打印本页|关闭窗口|扫一扫|"
    r"主办单位|网站标识码|版权所有|Related|Print this page)",
    re.IGNORECASE,
)
_TITLE_LINE = re.compile(r"(?:年度报告|年报|工作总结|annual report)\s*$", re.IGNORECASE)
_INLINE_HEAD = re.compile(
    r"^\s*[一二三四五六七八九十]{1,2}\s*、\s*(?:政府信息公开|政务公开)?(?:工作)?(?:存在的?(?:主要)?(?:问题|不足)|主要问题)"
    r"(?:和|及|与)(?:改进|整改)(?:情况|措施)"
)
# A word every problem heading has (``_PROBLEM_HEAD_ZH``, ``_PROBLEM_HEAD_EN(_BARE)``, ``_INLINE_HEAD``):
# lines without one are not searched for a heading. The lookahead (the words' first characters, with
# those re.IGNORECASE folds to them: ſ for s, ı and İ for i) lets the search pass other characters fast.
_PROBLEM_WORD = re.compile(
    "(?=[问不困差短薄PpSsDdWwIi\u0130\u0131\u017f])"
    "(?:问题|不足|困难|差距|短板|薄弱环节|problem|shortcoming|deficienc|weakness|issues)", re.IGNORECASE)
_INLINE_OTHER_MATTERS = re.compile(r"(?<=[。；;！？\s])[一二三四五六七八九十]{1,2}\s*、\s*其[他它]需要报告的事项")
_DATE_LINE = re.compile(
    r"^\s*(?:(?:\d\s*){4}|[〇○零一二三四五六七八九]{4}|\d{3}@|20[X×]{2})\s*年\s*"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*$|"
    r"^\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},?\s+\d{4}\s*$",
    re.IGNORECASE,
)
_INTRO = re.compile(
    r"(?:(?:仍|还|也|依然|尚|同时)(?:存在|有)|(?<![未不没])存在|暴露出?了?)(?:着)?(?:一些|以下|不少|若干|诸多|一定的?|几个|"
    r"[两三四五]个方面)?[^。，；\n]{0,8}(?:不足|问题|差距|薄弱环节|短板)|不足之处|做得不够|"
    r"there (?:are|is|were|was) still|the following (?:problems|shortcomings)|shortcomings|deficiencies",
    re.IGNORECASE,
)

# Kinds.
_MEASURE_CUE = re.compile(
    r"^\s*(?:下一步|今后|明年|来年|下阶段|下一阶段|针对(?:以上|上述|这些|存在的)|为此|对此|"
    r"(?:在)?以后(?:的)?工作中|(?:\d{4}|[〇○零一二三四五六七八九]{4}|\d{3}@)\s*年(?:起|度)?[，,]?"
    r"[^。；，,]{0,8}(?:将|要|拟|计划|力争))|"
    r"(?:我局|我厅|我委|我办|我们|本局|本机关|本单位|市政府|县政府|区政府|办公室|[局厅委办])"
    r"(?:将|拟|计划将?|决定)|将(?:采取|重点|从以下|着力|进一步|继续|认真|切实|加快|加大|加强|建立|"
    r"完善|制定|推行|推进|组织|开展|统一|细分|扩大|严格|对照|整合|落实|围绕)|今后|下一步|"
    r"\bwe (?:will|shall|plan|intend)\b|\bwill\b|\bnext year\b|\bplan to\b|\bin the next stage\b|"
    r"\bgoing forward\b",
    re.IGNORECASE,
)
_IMPERATIVE_START = re.compile(
    r"^(?:加强|加大|建立|健全|完善|推进|推动|进一步|强化|严格|扩大|落实|制定|明确|要|继续|坚持|提升|提高|"
    r"优化|创新|规范|深化|拓展|着力|探索|充实|整合|畅通|丰富|做好|抓好|实行|推行|开展|组织|统一|"
    r"further|strengthen|improve|establish|promote|continue|enhance|expand|deepen|optimi[sz]e|"
    r"to further|to strengthen|to improve)",
    re.IGNORECASE,
)
_DEFICIENCY = re.compile(
    r"不够|不足|不高|不强|不全|不及时|滞后|偏少|较少|不多|缺少|缺乏|欠缺|薄弱|单一|有待|仍需|还需|尚需|"
    r"尚未|尚不|没有|没人|未能|未做到|未充分|不畅|不规范|不完善|不健全|不到位|看不懂|不便|差距|短板|兼职|"
    r"后才|只把|只收到|只在|只是|较差|不清晰|不一致|遗漏|缺失|错别字|不熟悉|频繁|不明显|不理想|不充分|"
    r"不顺畅|不合理|不尽|参差不齐|单薄|问题|找不到|"
    r"\bnot\b|\black|insufficient|inadequate|\bweak|\bless\b|\bfew\b|\blittle\b|\blate\b|lagging|"
    r"needs? to be (?:further )?(?:improved|enriched|strengthened)|problem|shortcoming|deficien|incomplete|"
    r"hard to",
    re.IGNORECASE,
)
_GENERIC_LEADIN = re.compile(
    r"(?:存在|有|暴露)[^。；]{0,16}(?:不足|问题|差距|薄弱环节|短板)|(?:几|[两三四五])个方面|还有差距|"
    r"following (?:problems|shortcomings|aspects)|there are still",
    re.IGNORECASE,
)
_ENUMERATION = re.compile(r"(?:主要是|主要表现在|主要表现为|主要体现在|具体表现为|具体是|表现在)[:：]?")
_PROBLEM_LABEL = re.compile(
    r"^(?:存在的?(?:主要)?(?:问题|不足)|主要问题|问题|不足|存在问题|(?:main |existing )?problems?|"
    r"shortcomings)$",
    re.IGNORECASE,
)
_MEASURE_LABEL = re.compile(
    r"^(?:改进措施|改进情况|改进|整改措施|整改情况|改进方向|下一步(?:工作)?(?:打算|措施|计划|安排)?|"
    r"工作(?:计划|打算)|(?:improvement )?measures(?: for improvement)?|improvements?|"
    r"work plan(?: for \d{4})?)$",
    re.IGNORECASE,
)
_TABLE_ROW = re.compile(r"\||\t")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Small patterns used per line or per sentence, compiled once.
_EDGE_TAG = re.compile(r"^<[^>]+>|<[^>]+>$")
_EN_SENTENCE_INSIDE = re.compile(r"[.;:!?]\s*\S")
_ZH_SENTENCE_INSIDE = re.compile(r"[。；;！？]")
_COMMA = re.compile(r"[，,]")
_AFTER_SENTENCE = re.compile(r"(?<=[.。!?！？])\s+(?=\S)")
_CLAUSE_MARK = re.compile(r"[，,。；]")
_ABBREVIATION_END = re.compile(r"\b(?:No|Art|art|Mr|Ms|Dr|St|etc|e\.g|i\.e)$")
_BARE_ITEM = re.compile(r"\s*(?:[IVXivx]{1,5}|\d{1,2}|[A-Za-z])")
_LABEL_END = re.compile(r"[。：:.、\s]+$")
_SENTENCE_END = re.compile(r"[。；;！？!?]$")
_BREAK_CHAR = re.compile(r"[\n\f。！？；;!?：:.]")
_NUMBER_COMMA = re.compile(r"\d{1,2},\s")


class _Line(NamedTuple):  # a tuple: every line of every report gets one
    start: int
    end: int
    text: str


_new_line: Callable[[tuple[int, int, str]], _Line] = functools.partial(tuple.__new__, _Line)


def _lines(text: str) -> list[_Line]:
    """The lines between "\\n"/"\\f" breaks, each non-empty one followed by an empty line at its end
    (unless it ends the text): the matches ``re.finditer(r"[^\\n\\f]*", text)`` gives before the
    text's end, built from a split, which is faster."""
    out: list[_Line] = []
    pos, n = 0, len(text)
    for segment in text.replace("\f", "\n").split("\n"):
        end = pos + len(segment)
        if segment:
            out.append(_new_line((pos, end, segment)))
            if end < n:
                out.append(_new_line((end, end, "")))
        elif pos < n:
            out.append(_new_line((pos, pos, "")))
        pos = end + 1
    return out


def _heading_kind(line: str, at_line_start: bool = True) -> str | None:
    """'problem' / 'measure' / 'other_matters' / 'top' for a heading line, else None."""
    s = line.strip()
    if not s or len(s) > 80:
        return None
    m = _NUMBERING.match(s)
    body = s[m.end():].strip() if m else s
    body = _EDGE_TAG.sub("", body).strip()
    is_en = not _CJK.search(body)
    if is_en:
        if len(body) > 70 or _EN_SENTENCE_INSIDE.search(body.rstrip(".")):
            return None
    else:
        if len(body) > 34 or _ZH_SENTENCE_INSIDE.search(body.rstrip("。")) or _COMMA.search(body[:-1]):
            return None
    if not m and not at_line_start:
        return None
    if _OTHER_MATTERS.search(body) and len(body) < 40:
        return "other_matters"
    if is_en:
        if (_PROBLEM_HEAD_EN.search(body) if m else _PROBLEM_HEAD_EN_BARE.match(body)):
            return "problem"
    elif _PROBLEM_HEAD_ZH.search(body) and (m or len(body) <= 24):
        return "problem"
    if _MEASURE_HEAD.match(body) and (m or len(body) <= 16):
        return "measure"
    return "top" if m else None


def _style(line: str) -> str | None:
    m = _NUMBERING.match(line)
    if not m:
        return None
    tok = m.group("tok").strip()
    if tok[0] in _CN_NUM:
        return "cn"
    if tok[0] in "（(":
        return "paren_cn" if tok[1] in _CN_NUM else "paren"
    if tok[0] in "IVX":
        return "roman"
    return "arabic"


def _problem_heading_in(line: _Line) -> int | None:
    """Offset (in the line) where a problem heading starts, for a heading at the line start or
    one glued to the end of a sentence ("… access places. (a) problems")."""
    if _heading_kind(line.text) == "problem":
        return len(line.text) - len(line.text.lstrip())
    for m in _AFTER_SENTENCE.finditer(line.text):
        tail = line.text[m.end():]
        if _NUMBERING.match(tail) and _heading_kind(tail, at_line_start=False) == "problem":
            return m.end()
    return None


def _rank(line: str) -> int:
    """Heading level from its numbering: 1 for 五、/ V. / 2. (and bare headings), then （一）, 1、, (1)."""
    style = _style(line)
    if style in (None, "cn", "roman"):
        return 1
    if style == "arabic":
        return 3 if _CJK.search(line) else 1
    return 2 if style == "paren_cn" else 4


def _section_end(text: str, lines: list[_Line], i: int) -> int:
    """End offset of a section whose heading is line ``i``."""
    kept = [i]
    own_rank = _rank(lines[i].text)
    seen_measure_head = False
    for j in range(i + 1, len(lines)):
        s = lines[j].text.strip()
        if not s:
            continue
        if _END_LINE.match(s) or (_TITLE_LINE.search(s) and len(s) <= 60 and not _NUMBERING.match(s)):
            break
        if _DATE_LINE.match(s):
            if len(kept) > 1 and _is_signature(lines[kept[-1]].text):
                kept.pop()
            break
        kind = _heading_kind(s)
        if kind is None:
            kept.append(j)
            continue
        if kind == "other_matters":
            break
        rank = _rank(s)
        if kind == "measure" and (rank > own_rank or (rank == own_rank and not seen_measure_head)):
            seen_measure_head = seen_measure_head or rank == own_rank
            kept.append(j)
            continue
        if rank <= own_rank:
            break
        kept.append(j)
    return _rstrip(text, lines[i].start, lines[kept[-1]].end)


def _is_signature(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 40 and not re.search(r"[。；;，,:：]", s)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def find_problem_section(text: str) -> tuple[int, int] | None:
    """Offsets of the section on problems and improvements, or of the paragraph introducing
    shortcomings when the report has no such heading; None when there is neither."""
    if not text:
        return None
    lines = _lines(text)
    candidates: list[tuple[int, int]] = []
    for i in _lines_with_problem_word(text, lines):
        ln = lines[i]
        off = _problem_heading_in(ln)
        if off is None:
            if not _INLINE_HEAD.match(ln.text):
                continue
            off = len(ln.text) - len(ln.text.lstrip())
        start = ln.start + off
        sub = _Line(start, ln.end, ln.text[off:])
        end = _section_end(text, [*lines[:i], sub, *lines[i + 1:]], i)
        inline_end = _INLINE_OTHER_MATTERS.search(text, start, end)
        if inline_end:
            end = _rstrip(text, start, inline_end.start())
        if end > start:
            candidates.append((start, end))
    if candidates:
        outer = [c for c in candidates
                 if not any(o != c and o[0] < c[0] < o[1] for o in candidates)]
        return outer[-1]
    return _fallback_section(text, lines)


def _lines_with_problem_word(text: str, lines: list[_Line]) -> list[int]:
    """Indices of the lines holding a ``_PROBLEM_WORD`` (no other line can hold a problem heading),
    found with one search of the whole text (no word spans a line break)."""
    starts = [ln.start for ln in lines]
    return sorted({bisect_right(starts, m.start()) - 1 for m in _PROBLEM_WORD.finditer(text)})


def _fallback_section(text: str, lines: list[_Line]) -> tuple[int, int] | None:
    hit: tuple[int, int] | None = None
    for i, ln in enumerate(lines):
        if _TABLE_ROW.search(ln.text) or _END_LINE.match(ln.text.strip()):
            continue
        for m in _INTRO.finditer(ln.text):
            hit = (i, m.start())
    if hit is None:
        return None
    i, pos = hit
    line = lines[i].text
    cut = max((m.end() for m in re.finditer(r"[。！？!?]|[.;；](?=\s)", line[:pos])), default=0)
    while cut < len(line) and line[cut].isspace():
        cut += 1
    start = lines[i].start + cut
    end = _section_end(text, lines, i)
    return (start, end) if end > start else None


# ---------------------------------------------------------------- splitting


@dataclass
class _Piece:
    start: int
    end: int
    para_start: bool
    enumerated: bool = False


_PAGE_FOOTER = re.compile(r"\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?)\s*")


def _line_before(sec: str, i: int) -> str:
    """The last non-blank line ending before ``i``, passing over page footers ("- 5 -")."""
    q = i
    while True:
        q -= 1
        while q >= 0 and sec[q].isspace():
            q -= 1
        if q < 0:
            return ""
        line = sec[max(sec.rfind("\n", 0, q + 1), sec.rfind("\f", 0, q + 1)) + 1:q + 1].strip()
        if not _PAGE_FOOTER.fullmatch(line):
            return line
        q -= len(line)


def _boundaries(sec: str) -> list[tuple[int, bool]]:
    """Cut points in ``sec`` with whether each begins a paragraph."""
    cuts: list[tuple[int, bool]] = [(0, True)]
    head = _INLINE_HEAD.match(sec)
    if head:
        cuts.append((head.end(), False))
    n = len(sec)
    i = 0
    for m in _BREAK_CHAR.finditer(sec):  # the characters the steps below act on; others are passed
        if m.start() < i:
            continue  # inside a run a step below has already read
        i = m.start()
        ch = sec[i]
        if ch in "\n\f":
            j = i
            blank = False
            while j < n and sec[j] in "\n\f \t\u3000\r":
                if sec[j] in "\n\f" and j > i:
                    blank = True
                j += 1
            prev_line = _line_before(sec, i)
            nxt = sec[j:j + 40]
            if (blank or not prev_line or prev_line[-1] in "。；;！？!?：:.”\"）)"
                    or (len(prev_line) <= 30 and not _CLAUSE_MARK.search(prev_line))
                    or _ITEM_AT_START.match(nxt) or _heading_kind(nxt.split("\n", 1)[0]) is not None):
                cuts.append((j, True))
            i = j
            continue
        if ch in "。！？；;!?":
            j = i + 1
            while j < n and sec[j] in "”\"’）)":
                j += 1
            if ch == ";" or ch in "。！？；" or (j < n and sec[j] in " \n"):
                cuts.append((j, False))
            i = j
            continue
        if ch in "：:":
            if ch == "：" or (i + 1 < n and (sec[i + 1] == " " or _CJK.match(sec[i + 1]))):
                cuts.append((i + 1, False))
        elif ch == "." and i + 1 < n and sec[i + 1] == " ":
            k = i + 1
            while k < n and sec[k] == " ":
                k += 1
            before = sec[max(0, i - 4):i]
            line_head = sec[sec.rfind("\n", 0, i) + 1:i]
            if (k < n and (sec[k].isupper() or sec[k].isdigit() or sec[k] == "(")
                    and not _ABBREVIATION_END.search(before)
                    and not _BARE_ITEM.fullmatch(line_head)):
                cuts.append((k, False))
    for m in _ITEM_MARKER.finditer(sec):
        p = m.start()
        if p == 0:
            continue
        q = p - 1
        while q >= 0 and sec[q] in " \t\u3000":
            q -= 1
        if q < 0 or sec[q] in "。；;：:，,、.!?！？\n\f)）":
            if _NUMBER_COMMA.match(m.group()) and sec[q] not in ".。;；\n":
                continue
            cuts.append((p, False))
    cuts.sort()
    out: list[tuple[int, bool]] = []
    for c, para in cuts:
        if out and out[-1][0] == c:
            out[-1] = (c, out[-1][1] or para)
        else:
            out.append((c, para))
    return out


def _pieces(text: str, span: tuple[int, int]) -> list[_Piece]:
    s, e = span
    sec = text[s:e]
    cuts = _boundaries(sec)
    pieces: list[_Piece] = []
    for k, (c, para) in enumerate(cuts):
        nxt = cuts[k + 1][0] if k + 1 < len(cuts) else len(sec)
        a, b = c, nxt
        while a < b and sec[a].isspace():
            a += 1
        while b > a and sec[b - 1].isspace():
            b -= 1
        if a < b and _WORD.search(sec[a:b]):
            pieces.append(_Piece(s + a, s + b, para))
    return pieces


def _split_enumeration(text: str, piece: _Piece) -> list[_Piece]:
    """"主要是A，B" → A and B as separate clauses."""
    seg = text[piece.start:piece.end]
    m = _ENUMERATION.search(seg)
    if not m:
        return [piece]
    out = [_Piece(piece.start, piece.start + m.start(), piece.para_start)] if m.start() else []
    for part in re.finditer(r"[^，,]+[，,]?", seg[m.end():]):
        a = m.end() + part.start()
        b = m.end() + part.end()
        out.append(_Piece(piece.start + a, piece.start + b, False, enumerated=True))
    return [p for p in (_trim(text, p) for p in out) if p is not None]


def _trim(text: str, p: _Piece) -> _Piece | None:
    a, b = p.start, p.end
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a >= b or not _WORD.search(text[a:b]):
        return None
    return _Piece(a, b, p.para_start, p.enumerated)


# ---------------------------------------------------------------- themes


def _compile_phrase(phrase: str, lang: str) -> re.Pattern[str]:
    gap = r"[^。；;，,！？!?\n]{0,10}" if lang == "zh" else r"[^.;:!?\n]{0,60}"
    body = gap.join(re.escape(part) for part in phrase.split("…"))
    if lang == "en":
        if phrase[0].isalnum():
            body = r"\b" + body
        if phrase[-1].isalnum():
            body = body + r"\b"
        return re.compile(body, re.IGNORECASE)
    return re.compile(body)


@dataclass(frozen=True)
class _Phrase:
    """A vocabulary phrase compiled, with the literal parts any match of it must contain."""

    theme: str | None  # None for a neutral phrase
    weight: int
    pattern: re.Pattern[str]
    parts: tuple[str, ...]  # lower-cased for an English (case-insensitive) phrase
    english: bool


@dataclass(frozen=True)
class _Vocabulary:
    """Every phrase in ``VOCABULARY`` and ``NEUTRAL_PHRASES`` order, indexed by its literal parts
    so that a sentence is matched only against the phrases whose parts it contains."""

    phrases: tuple[_Phrase, ...]
    parts_by_first: dict[bool, dict[str, tuple[str, ...]]]  # english → first character → parts
    phrases_by_part: dict[bool, dict[str, tuple[int, ...]]]  # english → part → phrase indices


@cache
def _vocabulary() -> _Vocabulary:
    entries = [(theme, weight, phrase, lang) for theme, langs in VOCABULARY.items()
               for lang, phrases in langs.items() for phrase, weight in phrases.items()]
    entries += [(None, 0, phrase, lang) for lang, phrases in NEUTRAL_PHRASES.items() for phrase in phrases]
    phrases: list[_Phrase] = []
    by_part: dict[bool, dict[str, list[int]]] = {False: defaultdict(list), True: defaultdict(list)}
    for i, (theme, weight, phrase, lang) in enumerate(entries):
        english = lang == "en"
        parts = tuple(part.lower() if english else part for part in phrase.split("…"))
        phrases.append(_Phrase(theme, weight, _compile_phrase(phrase, lang), parts, english))
        for part in parts:
            by_part[english][part].append(i)
    by_first: dict[bool, dict[str, list[str]]] = {False: defaultdict(list), True: defaultdict(list)}
    for english, index in by_part.items():
        for part in index:
            by_first[english][part[0]].append(part)
    return _Vocabulary(
        tuple(phrases),
        {lang: {ch: tuple(parts) for ch, parts in index.items()} for lang, index in by_first.items()},
        {lang: {part: tuple(ids) for part, ids in index.items()} for lang, index in by_part.items()},
    )


# Characters other than ASCII letters that re.IGNORECASE matches to an ASCII letter (İ ı ſ K); in a
# sentence with none of them, an English phrase can match only where its lower-cased parts occur in
# the lower-cased sentence.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
_ASCII_LETTER = re.compile("[A-Za-z]")


def _candidates(vocabulary: _Vocabulary, text: str, english: bool) -> set[int]:
    """Indices of the phrases of one language whose literal parts all occur in ``text``; the
    others cannot match, so leaving them out changes no result."""
    first = vocabulary.parts_by_first[english]
    present = {part for ch in first.keys() & set(text) for part in first[ch] if part in text}
    by_part = vocabulary.phrases_by_part[english]
    ids = {i for part in present for i in by_part[part]}
    return {i for i in ids if all(part in present for part in vocabulary.phrases[i].parts)}


def theme_scores(sentence: str) -> dict[str, tuple[int, int]]:
    """Theme → (summed weight, first position) over non-overlapping phrase matches, longest first."""
    vocabulary = _vocabulary()
    candidates = _candidates(vocabulary, sentence, english=False)
    if _FOLDS_TO_ASCII.search(sentence):
        candidates.update(i for i, p in enumerate(vocabulary.phrases) if p.english)
    elif _ASCII_LETTER.search(sentence):  # every English phrase has a letter
        candidates |= _candidates(vocabulary, sentence.lower(), english=True)
    return score_matches([vocabulary.phrases[i] for i in sorted(candidates)], sentence)


def score_matches(phrases: Iterable[_Phrase], sentence: str) -> dict[str, tuple[int, int]]:
    """``theme_scores`` over the matches of ``phrases`` (in the vocabulary's order: ties keep it)."""
    matches = [(m.start(), m.end(), p.theme, p.weight) for p in phrases
               for m in p.pattern.finditer(sentence) if m.end() > m.start()]
    matches.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
    taken: list[tuple[int, int]] = []
    scores: dict[str, tuple[int, int]] = {}
    for a, b, theme, weight in matches:
        if any(a < y and x < b for x, y in taken):
            continue
        taken.append((a, b))
        if theme is None:
            continue
        total, first = scores.get(theme, (0, a))
        scores[theme] = (total + weight, min(first, a))
    return scores


def _ranked(scores: dict[str, tuple[int, int]]) -> list[str]:
    return [t for t, _ in sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[1][1], kv[0]))]


def _problem_themes(sentence: str, numbered: bool) -> list[str]:
    scores = theme_scores(sentence)
    if scores:
        ranked = _ranked(scores)
        top = scores[ranked[0]][0]
        return [t for t in ranked if scores[t][0] == top and top >= 3][:2] or ranked[:1]
    body = _ITEM_AT_START.sub("", sentence, count=1)
    if (numbered and _DEFICIENCY.search(body) and not _GENERIC_LEADIN.search(body)
            and len(_WORD.findall(body)) >= 6):
        return ["other"]
    return []


def _measure_themes(sentence: str) -> list[str]:
    scores = theme_scores(sentence)
    return [t for t in _ranked(scores) if scores[t][0] >= 2]


# ---------------------------------------------------------------- tagging


def _label(body: str) -> str | None:
    core = _LABEL_END.sub("", body).strip()
    core = _EDGE_TAG.sub("", core).strip()
    if _PROBLEM_LABEL.match(core):
        return "problem"
    if _MEASURE_LABEL.match(core):
        return "measure"
    return None


def tag_problems(text: str, span: tuple[int, int] | None = None) -> list[ProblemSentence]:
    """Split the problems section into sentences and tag each with its kind and themes."""
    if span is None:
        span = find_problem_section(text)
    if span is None:
        return []
    s, e = max(0, span[0]), min(len(text), span[1])
    if s >= e:
        return []
    state = "problem"
    out: list[ProblemSentence] = []
    for piece in _pieces(text, (s, e)):
        line_text = text[piece.start:piece.end]
        hk = _heading_kind(line_text) if "\n" not in line_text else None
        if hk in ("problem", "measure") and not _SENTENCE_END.search(line_text):
            state = hk
            continue
        if hk == "other_matters":
            break
        body = _ITEM_AT_START.sub("", line_text, count=1)
        label = _label(body)
        if label is not None:
            state = label
            continue
        subpieces = _split_enumeration(text, piece) if state == "problem" else [piece]
        for sp in subpieces:
            out.extend(_classify(text, sp, state))
            state = out[-1].kind if out else state
    return out


def _classify(text: str, piece: _Piece, state: str) -> list[ProblemSentence]:
    sentence = text[piece.start:piece.end]
    body = _ITEM_AT_START.sub("", sentence, count=1)
    marker = _ITEM_AT_START.match(sentence)
    numbered = bool(marker and marker.end()) or piece.enumerated
    if _label(body) is not None:
        return []
    if (state == "measure" and piece.para_start and _DEFICIENCY.search(body)
            and not _MEASURE_CUE.search(body) and not _IMPERATIVE_START.match(body.strip())):
        state = "problem"
    if state == "problem" and _MEASURE_CUE.search(body):
        state = "measure"
    themes = _problem_themes(sentence, numbered) if state == "problem" else _measure_themes(sentence)
    return [ProblemSentence(kind=state, sentence=sentence, themes=themes,
                            start=piece.start, end=piece.end)]


def report_themes(sentences: Iterable[ProblemSentence]) -> list[str]:
    """Sorted set of themes over the problem sentences (measures do not add themes)."""
    found = {t for p in sentences if p.kind == "problem" for t in p.themes}
    return sorted(t for t in found if t in THEMES)
