"""Stage 4a: numbers stated in the report's prose → ``Fact`` candidates with evidence.

Takes the normalized text, its sections and language; gives facts for proactive disclosure
(total, categories, channels), applications received, reconsiderations, lawsuits and
consultations, each with the clause it came from. Works clause by clause: a number counts for a
metric only when the metric's words stand in the same clause (or, for channels, in the clause
just before it, or in a "分别" list pairing channels with counts). "没有收到申请" is a stated 0, not
a missing value.

What the genre writes around a number decides whether it counts: after 增加/减少 it is a
difference, after 截至…累计 a running total since the regulation took effect, after 受理…许可申请
or 办理行政复议案件 the bureau's other business (permits, its role as the reconsideration body),
beside a 热线 a service hotline's volume. Those words are kept as vocabularies below, so that a
new phrasing is a new entry rather than a new rule.

Choosing one headline value per metric, and reconciling with the template tables, is
``etl.headlines``' job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from etl.model import Fact
from etl.numbers import CN_DIGITS, NUMBER, parse_number, qualifier_around
from etl.sections import Section, section_locator, subsection_kind

# Channel words: (fine channel, output key, pattern). Order matters: first match wins.
CHANNEL_WORDS: tuple[tuple[str, str, str], ...] = (
    ("gazette", "other", r"政府公报|公报|gazette"),
    ("press_conference", "press_conference",
     r"新闻发布会|发布会|新闻通气会|吹风会|press conferences?|news conferences?|press briefings?"),
    ("wechat", "wechat", r"微信|公众号|wechat"),
    ("weibo", "weibo", r"微博|weibo"),
    ("douyin", "douyin", r"抖音|短视频|douyin"),
    ("toutiao", "other", r"今日头条|头条号|toutiao"),
    ("app", "app", r"客户端|APP\b|移动端"),
    ("hotline", "hotline", r"热线|hotline"),
    ("bulletin_board", "bulletin_board",
     r"公开栏|公示栏|宣传栏|公告栏|信息栏|板报|展板|电子显示屏|电子屏|bulletin boards?|notice boards?"),
    ("public_access_point", "public_access_point",
     r"查阅点|查阅室|查阅场所|查阅中心|阅览室|档案馆|档案室|图书馆|政务服务中心|便民服务中心|政务大厅|"
     r"public access|reading room|access places"),
    ("media", "media", r"报纸|报刊|日报|晚报|电视|广播|电台|新闻媒体|媒体|newspapers?|radio|television|media"),
    ("website", "website", r"网站|门户|网页|政府网|教育网|信息网|政府在线|政务网|website|portal|web site"),
    ("other_ways", "other", r"其他方式|其他渠道|其他形式"),
)
_CHANNEL_RES = tuple((fine, key, re.compile(pat, re.IGNORECASE)) for fine, key, pat in CHANNEL_WORDS)
# Most clauses name no channel at all; these settle that with one or two cheap searches. The
# Chinese words are plain literals with no case, so they need no IGNORECASE (which makes a long
# alternation slow); the English ones are looked for only where a Latin letter occurs.
_CHANNEL_CJK = re.compile("|".join(w for _, _, pat in CHANNEL_WORDS for w in pat.split("|") if not w.isascii()))
_LATIN = re.compile("[a-z]", re.IGNORECASE)
_ANY_CHANNEL = re.compile("|".join(f"(?:{pat})" for _, _, pat in CHANNEL_WORDS), re.IGNORECASE)


def _may_name_channel(text: str) -> bool:
    """False only when no pattern of ``CHANNEL_WORDS`` can match ``text``."""
    return bool(_CHANNEL_CJK.search(text) or (_LATIN.search(text) and _ANY_CHANNEL.search(text)))


# Platforms with no channel key of their own: a clause naming one gives no channel, so that its
# count is not given to a key it only resembles ("视频号发布短视频56条" is not Douyin).
UNKEYED_PLATFORMS = ("视频号", "快手", "小红书", "哔哩哔哩", "B站", "bilibili", "kuaishou", "新媒体")
_UNKEYED_PLATFORM = re.compile("|".join(UNKEYED_PLATFORMS), re.IGNORECASE)

# Numbers that are about something else even when a channel is named beside them.
_NOT_AN_ITEM_COUNT = re.compile(
    r"访问|浏览|点击|阅读量|粉丝|关注|留言|来信|咨询|投诉|申请|人次|回复率|%|万人|账号|帐号|visits|followers|messages")
# ... and, beside a channel, these are not items published there: documents being cleaned up or
# repealed, interpretations (counted apart from the items), people attending a press conference.
NOT_PUBLICATION_WORDS = ("规范性文件", "清理", "废止", "解读", "图解", "出席", "参加", "参与")
_NOT_A_PUBLICATION_COUNT = re.compile(f"{_NOT_AN_ITEM_COUNT.pattern}|{'|'.join(NOT_PUBLICATION_WORDS)}")
# A hotline's or a service centre's cases ("热线受理群众诉求11.6万件") — unless what is counted is
# information itself ("公开环评审批公示等信息432条").
SERVICE_WORDS = ("受理", "办理", "办件", "办结", "诉求", "举报", "来电", "审批")
_SERVICE_COUNT = re.compile("|".join(SERVICE_WORDS))
_ITEM_NOUN_BEFORE = re.compile(r"(?:信息|消息|稿件|动态)\s*(?:共计|共|计|达|约|近|逾|超过)?\s*$")


def _not_publication(body: str, count: re.Match[str] | None) -> bool:
    if _NOT_A_PUBLICATION_COUNT.search(body):
        return True
    return bool(_SERVICE_COUNT.search(body)) and not (
        count is not None and _ITEM_NOUN_BEFORE.search(body[:count.start()]))
# A count right after these words is a year-on-year difference ("比上年增加86条", "多52条").
_CHANGE_BEFORE = re.compile(r"(?:增加|减少|增长|下降|上升|提高|降低|多出?|少了?)\s*$")
# A running total since the regulation took effect, not the year's figure …
_CUMULATIVE_CUE = re.compile(r"截至|截止|以来|近[一二两三四五六七八九十\d]+年|历年|累计至|至今")
# … and the year's own part of it ("累计…3,456条，其中2009年主动公开…1,287条").
_ANNUAL_PART = re.compile(r"^\s*其中\s*[,，]?\s*(?:\d{4}\s*年度?|本年度?|当年|全年|今年)")
# "共公开政府信息1,056条，其中主动公开1,050条，依申请公开6条", "发布各类信息3,562条，其中主动公开政府
# 信息2,314条": the proactive part of a broader count is the total.
_PROACTIVE_PART = re.compile(r"^\s*其中\s*[,，]?\s*主动(?:公开|发布)")

_CN_COUNT = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*(?P<unit>人次|条|件|篇|期|场|次|个|项|份|起|宗|则|批)"
    rf"(?:[（(](?P<unit2>条|篇|件)[)）])?")
# The end of every ``_CN_COUNT`` match's number and its unit: most clauses have none, and this
# search (no lookbehind first) says so faster.
_COUNT_HINT = re.compile(rf"[\d{CN_DIGITS}]\s*[余多]?\s*(?:人次|[条件篇期场次个项份起宗则批])")
_EN_NUM = r"\d+(?:,\d{3})*"
_EN_COUNT = re.compile(
    rf"(?P<num>{_EN_NUM})\s+(?:new\s+)?(?P<unit>pieces|items|articles|entries|messages|applications|"
    r"requests|cases|consultations|inquiries|enquiries|press conferences|issues)", re.IGNORECASE)

_SENTENCE = re.compile(r"[^。；;\n！？!?]+[。；;！？!?]?")
# English sentences also end at a full stop before the next capitalised word ("… account. The …").
_EN_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"”'])\.\s+(?=[A-Z(\"“])")
# Clause breaks: Chinese commas and colons; an ASCII comma unless it separates thousands
# ("1,234"); a bracket opening a breakdown ("（其中…", "（含…").
_CN_CLAUSE_SPLIT = re.compile(
    rf"，|[：:](?!\s*{NUMBER}\s*[余多]?\s*(?:人次|[条件篇次个项份场起宗])\s*(?:[；;。，,]|$))|"
    r"(?<!\d),|,(?!\d{3}(?!\d))|[（(](?=含|其中|包括)")
# … and 、 right after a count, which lists the parts of a breakdown ("门户网站96条、微信公众号312条").
_COUNT_THEN_LIST_MARK = re.compile(rf"[\d{CN_DIGITS}]\s*[余多]?\s*(?:人次|[条件篇次个项份场起宗])(?P<mark>、)")
_EN_CLAUSE_SPLIT = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|;|:|\band\b(?= \d)")

_PROACTIVE = re.compile(r"主动公开|主动发布|公开政府信息|公开各类")
_PROACTIVE_EXCLUDED = re.compile(r"目录|规范性文件|解读|依申请|申请|咨询|回应|热点|舆情|指南|其中")
_SUM_WORD = re.compile(r"合计|共计|总计")

# Applications. Words between the verb and 申请 that make it another kind of application (a permit,
# a benefit, a registration, an appeal): those are the bureau's business, not disclosure requests.
OTHER_APPLICATION_WORDS = ("许可", "审批", "登记", "待遇", "补贴", "补助", "资助", "仲裁", "低保", "救助", "专利",
                           "环评", "户籍", "出入境", "复议", "诉讼", "信访", "投诉", "举报", "资质", "备案", "核准",
                           "贷款", "退税", "落户", "入学", "招生", "报名", "注册", "变更", "注销", "评审", "认定",
                           "鉴定", "年检", "审查", "救济")
_OTHER_APPLICATION = re.compile("|".join(OTHER_APPLICATION_WORDS))
_APP_VERB = r"(?:收到|受理|新收|接到|接收|共收到)"
_APPLICATION = re.compile(
    rf"{_APP_VERB}(?P<what>[^，。；;]{{0,25}}?)申请(?!人|书|表)(?P<tail>公开(?:政府信息|信息|事项)?|事项)?"
    rf"(?:共|总数|数量|数|件数)?\s*(?:为|达|计)?\s*(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*(?:件|份|条|个|宗|次|人次)")
# "收到政府信息公开申请数为0。", "政府信息公开申请数：6件", "依申请公开件数为0件": the count of
# applications as a labelled figure opening its clause.
_APPLICATION_COUNT_IS = re.compile(
    rf"^\s*(?:\d{{4}}\s*年度?|本年度?|全年|今年)?\s*(?:共|累计)?\s*(?:{_APP_VERB})?(?P<what>[^，。；;]{{0,15}}?)"
    rf"(?:申请(?:公开)?|依申请公开)(?:数|数量|总数|件数)\s*(?:为|是|[：:])\s*(?P<num>{NUMBER})\s*(?:件)?\s*"
    rf"(?=[，,。；;]|$)")
# Labels of other figures of the request table: handled, answered, carried over.
_NOT_RECEIVED = re.compile(r"办结|答复|处理|结转|办理|予以|不予|部分")
_NO_APPLICATION = re.compile(
    r"(?:没有|未|无)(?:收到|受理|接到|出现|发生)?[^，。；;]{0,20}?(?:依申请公开|申请)(?!人)")
# "共受理…申请48件（含上年结转3件）": the carried-over ones are in the count; the year's new ones
# are the difference.
_CARRIED_IN = re.compile(
    rf"^\s*(?:[（(]\s*(?:其中)?\s*含|[，,]\s*其中\s*(?:含)?)\s*(?:上一?年度?|去年)结转(?:申请)?\s*"
    rf"(?P<num>{NUMBER})\s*件")
_DISCLOSURE_APPLICATION = re.compile(r"信息公开|依申请|公开申请|政府信息")

_RECONSIDERATION = re.compile(
    rf"行政复议(?:案件?|申请)?(?:数量?)?\s*(?:共|为|[：:])?\s*(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*(?:件|起|宗|个|次)")
_LITIGATION = re.compile(
    rf"(?:行政诉讼|提起诉讼)(?:案件?)?(?:数量?)?\s*(?:共|为|[：:])?\s*(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*"
    rf"(?:件|起|宗|个|次)")
_NEGATION = re.compile(r"未(?!经)|没有|无(?!法)|不存在")
# Before a reconsideration count, the bureau acting as the reconsideration body or for its
# government in court (a justice bureau's caseload, a police bureau's enforcement cases).
_REVIEWER_ROLE = re.compile(r"办理|审理|审结|受理|承办|代理|复议机构|复议机关|作为")
# Outcomes: "未出现被纠错", "零败诉" say nothing about how many cases there were.
_OUTCOME_WORDS = re.compile(r"纠错|败诉|撤销|被改变|确认违法|责任追究")
# Both stated none at once: "行政复议、行政诉讼均为0件", "行政复议和行政诉讼：无", "数均为零".
_JOINT_NONE = re.compile(
    r"(?:行政)?复议(?:案件)?\s*[和、及与或]\s*(?:行政)?诉讼(?:案件)?(?:的?情况)?(?:数量?|案件数)?\s*[:：]?\s*"
    r"(?:均为|都为|均是|皆为|均|为)?\s*(?:0|零|无)\s*(?:件|起|宗|个)?(?=[，,。；;”\"」]|\s*$)")
_ZERO_APPEALS = re.compile(r"零(?:行政)?复议\s*[、，,和与及]?\s*零(?:行政)?诉讼")
_APPEAL_PAIR = r"(?:行政)?复议(?:案件)?\s*[和、及与]\s*(?:(?:行政|提起)?诉讼|提起行政诉讼)(?:案件)?(?:数量?)?\s*"
# "行政复议、行政诉讼各1件": the same count for both.
_APPEALS_EACH = re.compile(rf"{_APPEAL_PAIR}各\s*(?P<num>{NUMBER})\s*(?:件|起|宗|个)")
# "行政复议和行政诉讼分别为2件和1件": the counts in the order named.
_APPEALS_RESPECTIVELY = re.compile(
    rf"{_APPEAL_PAIR}分别(?:为|是)?\s*(?P<num>{NUMBER})\s*(?:件|起|宗|个)?\s*[和、及与,，]\s*"
    rf"(?P<num2>{NUMBER})\s*(?:件|起|宗|个)")
_APPLICANT_APPEALED = re.compile(
    rf"(?P<num>{NUMBER})\s*(?:名|个|位|户)申请人[^。；;]{{0,40}}?(?:申请|提起)(?P<what>行政复议|行政诉讼|诉讼)")
_STATED_NONE_SENTENCE = re.compile(r"^[^\d]{0,30}(?:未发生|没有发生|未出现|没有出现|无此类|未产生|无)[^\d]{0,20}$")

_CONSULTATION = re.compile(
    rf"咨询[^，。；;]{{0,8}}?(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*(?:人次|件|次|个|条|批)")
_NO_CONSULTATION = re.compile(r"(?:没有|未|无)(?:出现|收到|发生|接到)?[^，。；;]{0,12}?咨询(?!服务|电话)")
# Consultations the bureau gives as its service, not about its information: a service hotline's
# volume (12345, 12328, 12348 …) and advice on a named subject. Either one counts only when the
# clause itself says it is about disclosure.
_CONSULTATION_CONTEXT = re.compile(r"信息公开|政务公开|依申请|政府信息|信息咨询")
_HOTLINE = re.compile(r"热线|\b123\d\d\b|服务电话")
CONSULTATION_TOPIC_WORDS = ("法律", "法援", "技术", "农技", "医疗", "诊疗", "健康", "心理", "就业", "创业", "招聘",
                            "社保", "医保", "纳税", "税务", "旅游", "消费", "投资", "招商", "证照", "办事", "业务")
_CONSULTATION_TOPIC = re.compile(f"(?:{'|'.join(CONSULTATION_TOPIC_WORDS)})[^，。；;]{{0,4}}咨询")
_DISCLOSURE_CONTEXT = re.compile(r"信息公开|政务公开|公开申请|依申请|公开答复|申请人")
# Where a sentence gives both the region's and this office's own figure, the report's is the latter.
_OWN_SCOPE = re.compile(r"本机关|本单位|本部门|本局|本委")
_REGION_SCOPE = re.compile(r"全[市区县省州镇盟旗]")

# The (2008–2018) national statistics table: "2.政府网站公开政府信息数 | 条 | 401".
_STAT_ROW = re.compile(
    r"^[|\s]*(?:[（(]?[一二三四五六七八九十\d]+[)）.、．])?\s*(?:其中[:：])?\s*(?P<label>[^|\t\n]{2,40}?数(?:量)?)"
    r"\s*[|\t ]\s*(?P<unit>条|件|人次|个|次)\s*[|\t ]\s*(?P<num>\d+)\s*\|?\s*$", re.MULTILINE)
# The part of a statistics row from its label's 数 on: a cheap search for it (a literal first
# character) spares the row pattern's line-by-line scan of reports that have no such table.
_STAT_ROW_HINT = re.compile(r"数量?\s*[|\t ]\s*(?:条|件|人次|个|次)\s*[|\t ]\s*\d")
STAT_LABELS: tuple[tuple[str, str | None, str], ...] = (
    ("proactive_total", None, r"^主动公开政府信息数"),
    ("channel", "gazette", r"政府公报公开"),
    ("channel", "website", r"政府网站公开"),
    ("channel", "weibo", r"政务微博公开"),
    ("channel", "wechat", r"政务微信公开"),
    ("channel", "other_ways", r"其他方式公开"),
    ("applications_received", None, r"^收到申请数"),
    ("consultations", None, r"咨询.*数"),
)
FINE_TO_KEY = {fine: key for fine, key, _ in CHANNEL_WORDS}

_EN_PROACTIVE = re.compile(
    r"(?:voluntarily|proactively|actively)\s+(?:disclosed|released|published|made public)\s+"
    rf"(?:a total of\s+|more than\s+)?(?P<num>{_EN_NUM})\s+(?:pieces|items|articles|entries)", re.IGNORECASE)
# "released a total of 1,036 items of government information on its own initiative"
_EN_PROACTIVE_AFTER = re.compile(
    rf"(?:released|disclosed|published|issued|made public)\s+(?:a total of\s+|more than\s+)?(?P<num>{_EN_NUM})\s+"
    r"(?:pieces|items|articles|entries)\s+of\s+(?:government\s+)?information\s+"
    r"(?:on (?:its|their) own initiative|proactively|voluntarily)", re.IGNORECASE)
# "issued 3,562 government information": only under a heading about voluntary disclosure.
_EN_PUBLISHED_INFO = re.compile(
    rf"(?:released|disclosed|published|issued|made public)\s+(?:a total of\s+)?(?P<num>{_EN_NUM})\s+"
    r"(?:(?:pieces|items) of\s+)?government information", re.IGNORECASE)
# A breakdown clause opening with its number: "1,652 were posted on the Commission's website",
# "including 2,856 through the government portal website".
_EN_BREAKDOWN = re.compile(
    rf"^\s*(?:(?:of these|of which|including|among them|and)\s*,?\s*)?(?P<num>{_EN_NUM})\s+"
    r"(?:(?:pieces|items|articles|entries|documents)\s+)?(?:(?:of\s+)?(?:government\s+)?information\s+)?"
    r"(?:(?:were|was)\s+)?(?:(?:posted|published|released|pushed|disclosed|made public|issued)\s+)?"
    r"(?:on|through|via|in|by)\b", re.IGNORECASE)
_EN_PRESS = re.compile(
    rf"(?:held|hosted|organized|organised|convened)\s+(?P<num>{_EN_NUM})\s+(?:press|news)\s+"
    r"(?:conferences|briefings)", re.IGNORECASE)
_EN_APPLICATION = re.compile(
    rf"received\s+(?:a total of\s+)?(?P<num>{_EN_NUM})\s+(?:new\s+)?(?:applications|requests)|"
    rf"(?P<num2>{_EN_NUM})\s+(?:new\s+)?(?:applications|requests)(?:\s+for\s+(?:government\s+)?information"
    r"(?:\s+disclosure)?)?\s+(?:were|was|have been|had been)\s+received", re.IGNORECASE)
_EN_NO_APPLICATION = re.compile(
    r"\bno\s+(?:new\s+)?(?:applications|requests)\b(?!\s+for\s+(?:administrative|reconsideration|review))|"
    r"did not receive any", re.IGNORECASE)
# "a total of 5,632 pieces of government information were proactively disclosed"
_EN_PROACTIVE_PASSIVE = re.compile(
    rf"(?P<num>{_EN_NUM})\s+(?:pieces|items|articles|entries)\s+of\s+(?:government\s+)?information\s+"
    r"(?:were|was|have been|had been)\s+(?:proactively|voluntarily|actively)\s+"
    r"(?:disclosed|released|published|made public)", re.IGNORECASE)
_EN_RECONSIDERATION = re.compile(
    r"(?P<num>\d+)\s+(?:cases? of\s+|applications? for\s+)?administrative reconsiderations?", re.IGNORECASE)
_EN_LITIGATION = re.compile(
    r"(?P<num>\d+)\s+(?:cases? of\s+)?(?:administrative\s+)?(?:lawsuits?|litigations?(?: cases?)?)", re.IGNORECASE)
_EN_NO_REVIEW = re.compile(
    r"\bno\s+(?:cases? of\s+|applications? for\s+)?(?:administrative\s+)?(?P<what>reconsideration|litigation|lawsuit)",
    re.IGNORECASE)
_EN_BOTH_NONE = re.compile(
    r"reconsiderations? (?:or|and|nor) (?:administrative )?(?:litigations?|lawsuits?)", re.IGNORECASE)
_EN_CONSULTATION = re.compile(rf"(?P<num>{_EN_NUM})\s+(?:consultations|inquiries|enquiries)", re.IGNORECASE)


class Clause(NamedTuple):
    """A clause of a sentence; a named tuple, as every sentence of a report is cut into them."""

    text: str
    start: int
    sentence: str
    sentence_start: int


def sentences(text: str, start: int = 0, end: int | None = None, language: str = "zh") -> Iterator[tuple[str, int]]:
    for m in _SENTENCE.finditer(text, start, len(text) if end is None else end):
        sentence = m.group()
        if not sentence.strip():
            continue
        if language != "en":
            yield sentence, m.start()
            continue
        pos = 0
        for stop in [*_EN_SENTENCE_END.finditer(sentence), None]:
            cut = stop.start() + 1 if stop else len(sentence)
            if sentence[pos:cut].strip():
                yield sentence[pos:cut], m.start() + pos
            pos = stop.end() if stop else cut


def clauses(sentence: str, offset: int, language: str) -> list[Clause]:
    splitter = _CN_CLAUSE_SPLIT if language == "zh" else _EN_CLAUSE_SPLIT
    cuts = [(m.start(), m.end()) for m in splitter.finditer(sentence)]
    if language == "zh" and "分别" not in sentence and "、" in sentence:
        cuts += [(m.start("mark"), m.end("mark")) for m in _COUNT_THEN_LIST_MARK.finditer(sentence)]
    out: list[Clause] = []
    pos = 0
    for cut_start, cut_end in [*sorted(cuts), (len(sentence), len(sentence))]:
        if cut_start < pos:
            continue
        if sentence[pos:cut_start].strip():
            out.append(Clause(sentence[pos:cut_start], offset + pos, sentence, offset))
        pos = cut_end
    return out


def channel_of(text: str) -> tuple[str, str] | None:
    """(fine channel, output key) of the one channel a clause names; None for none or several."""
    if not _may_name_channel(text) or _UNKEYED_PLATFORM.search(text):
        return None
    found = [(fine, key) for fine, key, pattern in _CHANNEL_RES if pattern.search(text)]
    keys = {key for _, key in found}
    return found[0] if len(keys) == 1 else None


def _fact(metric: str, m: re.Match[str], clause: Clause | None, text: str, *, dimension: str | None = None,
          value: float | None = None, raw: str | None = None, flags: list[str] | None = None) -> Fact:
    """A fact whose evidence is the whole sentence around the match (its number in group num or num2)."""
    group = next((g for g in ("num", "num2") if m.groupdict().get(g) is not None), None)
    num = m.group(group) if group else None
    if value is None and num is not None:
        value = parse_number(num)
    base = clause.start if clause else 0
    start, end = base + m.start(), base + m.end()
    if clause:
        ev_start, evidence = clause.sentence_start, clause.sentence.strip()
        ev_start += len(clause.sentence) - len(clause.sentence.lstrip())
    else:
        ev_start, evidence = start, m.group()
    qualifier = None
    if num is not None:
        num_start = base + m.start(group)
        qualifier = qualifier_around(text[max(0, num_start - 4):num_start], text[base + m.end(group):end + 2])
    return Fact(metric=metric, value=value, raw=raw if raw is not None else (num or m.group()),
                evidence=evidence, start=ev_start, end=ev_start + len(evidence), dimension=dimension,
                qualifier=qualifier, flags=flags or [])


# A template row printed with spaces: a label followed by three or more numbers.
_SPACED_TABLE_ROW = re.compile(r"(?:\s+-?\d+(?:\.\d+)?){3,}\s*$")


def _is_table_row(sentence: str) -> bool:
    if "|" in sentence or "\t" in sentence:
        return True
    # A spaced row ends with a digit; most sentences end with "。" and need no search.
    return sentence.rstrip()[-1:].isdigit() and _SPACED_TABLE_ROW.search(sentence) is not None


def extract_prose(text: str, sections: list[Section], language: str, start: int = 0) -> list[Fact]:
    """Every headline-relevant number stated in the prose, as fact candidates."""
    if language == "en":
        return _extract_english(text, sections, start)
    facts: list[Fact] = []
    line_start, line, disclosure_line = -1, "", False
    section_at = section_locator(sections)
    for sentence, s_off in sentences(text, start):
        if _is_table_row(sentence):
            continue  # table rows are read by etl.tables or as statistics rows below
        section = section_at(s_off)
        kind = section.kind if section else "preamble"
        counted = _may_state_fact(sentence)
        if counted:
            sub = subsection_kind(text, section, s_off)
            if sub in ("applications", "supervision") and kind in ("overview", "preamble", "proactive", "other"):
                kind = sub
            here = text.rfind("\n", 0, s_off) + 1
            if here != line_start:  # a new line: read it once for all its sentences
                line_start = here
                line_end = text.find("\n", s_off)
                line = text[line_start:line_end if line_end >= 0 else len(text)]
                disclosure_line = bool(_DISCLOSURE_CONTEXT.search(line)) or "监督保障" in line
            facts.extend(_sentence_facts(text, sentence, s_off, kind, line, disclosure_line))
        # a subsection neither makes a section "review" nor changes one that is, so sentences
        # skipped above are checked alike
        if (kind == "review" and section is not None and _STATED_NONE_SENTENCE.match(sentence.strip())
                and "复议" not in sentence and "诉讼" not in sentence):
            facts.extend(_section_stated_none(text, sentence, s_off, section))
        if (counted and kind not in NOT_PUBLICATION_SECTIONS
                and "主动公开" in text[max(0, s_off - 80):s_off + len(sentence)]):
            facts.extend(_category_facts(text, sentence, s_off, "zh"))
    facts.extend(_statistics_rows(text, start))
    return facts


# Words without which a sentence states no application, appeal or consultation (not even none).
FACT_WORDS = ("申请", "复议", "诉讼", "咨询")
_FACT_HINT = re.compile(f"{_COUNT_HINT.pattern}|{'|'.join(FACT_WORDS)}")


def _may_state_fact(sentence: str) -> bool:
    """False only for a sentence from which ``_sentence_facts`` and ``_category_facts`` read
    nothing: one with no count and none of ``FACT_WORDS``. Most sentences are such."""
    return _FACT_HINT.search(sentence) is not None


def _section_stated_none(text: str, sentence: str, s_off: int, section: Section) -> list[Fact]:
    """"本年度未发生此类情况。" under a heading about reconsiderations and lawsuits: both are 0."""
    whole = Clause(sentence, s_off, sentence, s_off)
    m = re.match(r".*", sentence.strip())
    assert m is not None
    facts = []
    for metric, word in (("reconsideration", "复议"), ("litigation", "诉讼")):
        if word in section.title:
            facts.append(_fact(metric, m, whole, text, value=0.0, raw=sentence.strip(), flags=["stated_none"]))
    return facts


NOT_PUBLICATION_SECTIONS = ("problems", "applications", "review", "fees", "consultations", "supervision")
# Where "没有收到申请" is this report's statement about its applications.
NONE_APPLICATION_SECTIONS = ("applications", "preamble", "overview", "other", "supervision")


def _publication_counts(body: str) -> list[re.Match[str]]:
    """Counts of a clause that can be numbers of items, leaving out year-on-year differences."""
    if not _COUNT_HINT.search(body):
        return []
    return [c for c in _CN_COUNT.finditer(body) if not _CHANGE_BEFORE.search(body[:c.start()])]


def _sentence_facts(text: str, sentence: str, s_off: int, kind: str, line: str, disclosure_line: bool) -> list[Fact]:
    """``disclosure_line``: the sentence's line speaks of disclosure (``_DISCLOSURE_CONTEXT``, 监督保障)."""
    facts: list[Fact] = []
    scoped: list[tuple[Fact, str]] = []  # application facts with their clause, for the scope check
    parts = clauses(sentence, s_off, "zh")
    disclosure_context = disclosure_line or kind in ("review", "applications", "supervision")
    pending_channel: tuple[str, str] | None = None
    cumulative_seen = False
    totals: list[_Total] = []  # proactive totals of this sentence, with their clause
    appealed = _APPLICANT_APPEALED.search(sentence) if "申请人" in sentence else None
    if appealed and kind != "problems":
        metric = "reconsideration" if appealed.group("what") == "行政复议" else "litigation"
        facts.append(_fact(metric, appealed, Clause(sentence, s_off, sentence, s_off), text))
    listed, paired = ([], False) if kind in NOT_PUBLICATION_SECTIONS else _respective_channels(text, sentence, s_off)
    facts.extend(listed)
    channel_found = bool(listed)
    publishing = kind not in NOT_PUBLICATION_SECTIONS
    for clause in parts:
        body = clause.text
        counts = _publication_counts(body)
        # a channel matters only where items are published (pending_channel is read there too)
        channel = channel_of(body) if publishing else None
        publication_context = publishing and not _not_publication(body, counts[0] if counts else None)
        before_count = sentence[:clause.start - s_off + (counts[0].start() if counts else 0)]
        cumulative = bool(counts) and ("累计" in body or "以来" in body) and bool(
            _CUMULATIVE_CUE.search(before_count) or _CUMULATIVE_CUE.search(body))
        if cumulative:
            cumulative_seen = True
            pending_channel = None
            continue
        if publication_context and counts and not (paired and "分别" in body) and _publication_unit(
                counts[0].group("unit2") or counts[0].group("unit"), channel):
            count = counts[0]
            use = channel or pending_channel
            annual_part = cumulative_seen and bool(_ANNUAL_PART.match(body))
            is_total = bool(_PROACTIVE.search(body)) and (
                annual_part or not _PROACTIVE_EXCLUDED.search(_ANNUAL_PART.sub("", body)))
            proactive_part = (not use and bool(_PROACTIVE_PART.match(body))
                              and not _PROACTIVE_EXCLUDED.search(_PROACTIVE_PART.sub("", body))
                              and not any("主动" in t.clause for t in totals))
            if proactive_part:
                # the broader count before it ("公开政府信息1,056条") is not the proactive total
                facts = [f for f in facts if not any(f is t.fact for t in totals)]
                totals.clear()
                facts.append(_fact("proactive_total", count, clause, text, flags=["strong", "proactive_part"]))
            elif is_total and not use:
                fact = _fact("proactive_total", count, clause, text, flags=["strong"])
                facts.append(fact)
                totals.append(_Total(fact, body))
            elif is_total and channel:
                # "网站主动公开各类政府信息5500余条": the total, unless a 合计 follows, and the channel.
                facts.append(_fact("proactive_total", count, clause, text, flags=["weak"]))
            elif _SUM_WORD.search(body[:count.start() + 1]) and channel_found:
                facts.append(_fact("proactive_total", count, clause, text, flags=["strong", "sum_of_channels"]))
                use = None
            if use:
                facts.append(_fact("channel", count, clause, text, dimension=use[0]))
                channel_found = True
            pending_channel = None
        else:
            pending_channel = channel if channel and not counts else None
        if kind != "problems":
            found = _application_and_review_facts(text, clause, disclosure_context, kind, line)
            facts.extend(found)
            scoped.extend((f, body) for f in found)
    if kind != "problems" and disclosure_context:
        facts.extend(_joint_appeals(text, sentence, s_off))
    return _prefer_own_scope(facts, scoped)


@dataclass
class _Total:
    """A proactive total read in a sentence and the clause that stated it."""

    fact: Fact
    clause: str


def _prefer_own_scope(facts: list[Fact], scoped: list[tuple[Fact, str]]) -> list[Fact]:
    """"全区共收到申请1,026件，其中本机关新收申请38件": keep the office's own figure."""
    if not scoped:
        return facts
    drop: set[int] = set()
    for metric in ("applications_received", "reconsideration", "litigation", "consultations"):
        group = [(f, body) for f, body in scoped if f.metric == metric and "stated_none" not in f.flags]
        own = [f for f, body in group if _OWN_SCOPE.search(body)]
        if own:
            drop.update(id(f) for f, body in group if _REGION_SCOPE.search(body) and not _OWN_SCOPE.search(body))
    return [f for f in facts if id(f) not in drop]


def _respective_channels(text: str, sentence: str, s_off: int) -> tuple[list[Fact], bool]:
    """"通过门户网站、《大连日报》、公开栏分别公开215条、36条、48条": channels and counts in order.

    Gives the channel facts and whether the sentence pairs a list of names with counts at all (then
    no count of that clause may go to a channel any other way). A name that is no channel (局长信箱)
    keeps its place; the pairing holds only when the counts are as many as the names and no
    channel is named twice.
    """
    at = sentence.find("分别")
    if at < 0:
        return [], False
    head_start = max(sentence.rfind(mark, 0, at) for mark in "，,：:") + 1
    head = sentence[head_start:at]
    names = [n for n in re.split(r"[、和及与]|以及", head) if n.strip()]
    if len(names) < 2:
        return [], False
    after = at + len("分别")
    tail_end = next((i for i in range(after, len(sentence)) if sentence[i] in "，：:。；;"), len(sentence))
    tail = sentence[after:tail_end]
    counts = list(_CN_COUNT.finditer(tail))
    channels = [channel_of(n) for n in names]
    named = [c for c in channels if c]
    if len(counts) != len(names) or not named or len(set(named)) != len(named) or _not_publication(tail, None):
        return [], True
    if not all(_publication_unit(c.group("unit"), ch) for c, ch in zip(counts, channels, strict=True) if ch):
        return [], True
    clause = Clause(tail, s_off + after, sentence, s_off)
    return [_fact("channel", c, clause, text, dimension=ch[0], flags=["respectively"])
            for c, ch in zip(counts, channels, strict=True) if ch], True


_CATEGORY_INTRO = re.compile(r"其中|按内容分|按类别分|按类型分|含|包括")
_EN_CATEGORY = re.compile(
    r"(?P<num>\d+(?:,\d{3})*)\s+(?:pieces of\s+)?(?P<label>(?:[a-z-]+\s+){0,2}?information(?:\s+on\s+[^,;.]+)?)",
    re.IGNORECASE)


def _category_facts(text: str, sentence: str, s_off: int, language: str) -> list[Fact]:
    """Counts by content category in a sentence introduced by 其中 / 按内容分 / Among them."""
    facts: list[Fact] = []
    if language == "en":
        if not re.search(r"among them|of which|including", sentence, re.IGNORECASE):
            return facts
        whole = Clause(sentence, s_off, sentence, s_off)
        for m in _EN_CATEGORY.finditer(sentence):
            if (channel_of(m.group()) or _EN_PROACTIVE.search(sentence[max(0, m.start() - 30):m.end()])
                    or m.group("label").lower() in ("information", "government information")):
                continue
            facts.append(_fact("proactive_category", m, whole, text, dimension=m.group("label").strip()))
        return facts
    intro = _CATEGORY_INTRO.search(sentence)
    if not intro:
        return facts
    for clause in clauses(sentence, s_off, "zh"):
        if clause.start < s_off + intro.start() or channel_of(clause.text) or _PROACTIVE.search(clause.text):
            continue
        count = _CN_COUNT.search(clause.text)
        if count and count.group("unit") in ("条", "篇", "件") and not _NOT_AN_ITEM_COUNT.search(clause.text):
            label = re.sub(r"^(?:其中|按内容分|含|包括)[:：，,]?", "", clause.text[:count.start()]).strip(" （(")
            if 1 <= len(label) <= 20:
                facts.append(_fact("proactive_category", count, clause, text, dimension=label))
    return facts


def _publication_unit(unit: str, channel: tuple[str, str] | None) -> bool:
    if unit in ("场", "次"):
        return channel is not None and channel[0] == "press_conference"
    return unit in ("条", "篇", "件", "则")  # 期 counts issues of a gazette, not items


def _application_facts(text: str, clause: Clause, kind: str, line: str) -> list[Fact]:
    body = clause.text
    # every pattern below needs 申请; most clauses have none
    if "申请" not in body or "结转" in body or "咨询" in body.split("申请")[0]:
        return []
    m = _APPLICATION.search(body) or _APPLICATION_COUNT_IS.search(body)
    if m:
        what = m.group("what") or ""
        if (_OTHER_APPLICATION.search(what) and not _DISCLOSURE_APPLICATION.search(what)) or _NOT_RECEIVED.search(what):
            return []
        if not (_DISCLOSURE_APPLICATION.search(m.group()) or kind == "applications"
                or _DISCLOSURE_CONTEXT.search(clause.sentence) or _DISCLOSURE_CONTEXT.search(line)):
            return []
        fact = _fact("applications_received", m, clause, text)
        carried = _CARRIED_IN.match(clause.sentence[clause.start - clause.sentence_start + m.end():])
        if carried and fact.value is not None:
            inside = parse_number(carried.group("num"))
            if inside is None or inside > fact.value:
                return []
            fact.value -= inside
            fact.flags.append("carried_over_subtracted")
        return [fact]
    if "复议" in body or "诉讼" in body or "收费" in body:
        return []
    neg = _NO_APPLICATION.search(body)
    if neg and kind in NONE_APPLICATION_SECTIONS and not _OTHER_APPLICATION.search(neg.group()):
        return [_fact("applications_received", neg, clause, text, value=0.0, raw=neg.group(), flags=["stated_none"])]
    return []


def _application_and_review_facts(text: str, clause: Clause, disclosure_context: bool, kind: str,
                                  line: str) -> list[Fact]:
    body = clause.text
    facts = _application_facts(text, clause, kind, line)
    if disclosure_context:
        for metric, pattern, words in (("reconsideration", _RECONSIDERATION, ("复议",)),
                                       ("litigation", _LITIGATION, ("诉讼",))):
            if words[0] not in body:
                continue  # both the count and the stated none need the word
            m = pattern.search(body)
            if m:
                if _REVIEWER_ROLE.search(body[:m.start()]) and not _DISCLOSURE_CONTEXT.search(body):
                    continue  # the bureau deciding or defending others' cases
                facts.append(_fact(metric, m, clause, text))
            elif any(w in body for w in words) and not _OUTCOME_WORDS.search(body):
                neg = _NEGATION.search(body)
                if neg and neg.start() < body.index(words[0]):
                    facts.append(_fact(metric, neg, clause, text, value=0.0, raw=body.strip(), flags=["stated_none"]))
    if "咨询" not in body:
        return facts  # both the count and the stated none need the word
    service = bool(_HOTLINE.search(body) or _CONSULTATION_TOPIC.search(body))
    if not (service and not _CONSULTATION_CONTEXT.search(body)):
        m = _CONSULTATION.search(body)
        if m and "率" not in body[m.end():m.end() + 2]:
            facts.append(_fact("consultations", m, clause, text))
        else:
            neg = _NO_CONSULTATION.search(body)
            if neg and "费" not in body:
                facts.append(_fact("consultations", neg, clause, text, value=0.0, raw=neg.group(),
                                   flags=["stated_none"]))
    return facts


def _joint_appeals(text: str, sentence: str, s_off: int) -> list[Fact]:
    """Reconsiderations and lawsuits stated in one phrase.

    None for both ("均为0件", "：无", "零复议、零诉讼"), the same count for both ("各1件"), or
    a count for each ("分别为2件和1件").
    """
    if "复议" not in sentence:
        return []  # every pattern below names 复议
    whole = Clause(sentence, s_off, sentence, s_off)
    m = _APPEALS_RESPECTIVELY.search(sentence)
    if m:
        values = (parse_number(m.group("num")), parse_number(m.group("num2")))
        return [_fact(metric, m, whole, text, value=value, raw=m.group(), flags=["respectively"])
                for metric, value in zip(("reconsideration", "litigation"), values, strict=True)
                if value is not None]
    m = _APPEALS_EACH.search(sentence)
    if m:
        return [_fact(metric, m, whole, text) for metric in ("reconsideration", "litigation")]
    m = _JOINT_NONE.search(sentence) or _ZERO_APPEALS.search(sentence)
    if not m or _OUTCOME_WORDS.search(sentence[m.start():m.end() + 4]):
        return []
    return [_fact(metric, m, whole, text, value=0.0, raw=m.group(), flags=["stated_none"])
            for metric in ("reconsideration", "litigation")]


def _statistics_rows(text: str, start: int) -> list[Fact]:
    facts: list[Fact] = []
    if not _STAT_ROW_HINT.search(text, start):
        return facts
    for m in _STAT_ROW.finditer(text, start):
        label = re.sub(r"\s+", "", m.group("label"))
        for metric, fine, pattern in STAT_LABELS:
            if re.search(pattern, label):
                facts.append(Fact(metric=metric, value=float(m.group("num")), raw=m.group("num"),
                                  evidence=m.group().strip(" |\n"), start=m.start(), end=m.end(),
                                  dimension=fine, flags=["statistics_table"]))
                break
    return facts


def _extract_english(text: str, sections: list[Section], start: int) -> list[Fact]:
    facts: list[Fact] = []
    section_at = section_locator(sections)
    for sentence, s_off in sentences(text, start, language="en"):
        section = section_at(s_off)
        kind = section.kind if section else "preamble"
        sub = subsection_kind(text, section, s_off)
        whole = Clause(sentence, s_off, sentence, s_off)
        if re.search(r"disclos", text[max(0, s_off - 200):s_off + len(sentence)], re.IGNORECASE):
            facts.extend(_category_facts(text, sentence, s_off, "en"))
        totals = [*_EN_PROACTIVE.finditer(sentence), *_EN_PROACTIVE_AFTER.finditer(sentence),
                  *_EN_PROACTIVE_PASSIVE.finditer(sentence)]
        if not totals and "proactive" in (kind, sub):
            totals = list(_EN_PUBLISHED_INFO.finditer(sentence))
        for m in totals:
            facts.append(_fact("proactive_total", m, whole, text, flags=["strong"]))
        if kind != "problems":
            facts.extend(_english_channels(text, sentence, s_off, kind, sub))
        for pattern, metric in ((_EN_APPLICATION, "applications_received"),
                                (_EN_RECONSIDERATION, "reconsideration"),
                                (_EN_LITIGATION, "litigation"),
                                (_EN_CONSULTATION, "consultations")):
            for m in pattern.finditer(sentence):
                facts.append(_fact(metric, m, whole, text))
        if _EN_NO_APPLICATION.search(sentence):
            m = _EN_NO_APPLICATION.search(sentence)
            assert m is not None
            facts.append(_fact("applications_received", m, whole, text, value=0.0, raw=m.group(),
                               flags=["stated_none"]))
        for m in _EN_NO_REVIEW.finditer(sentence):
            metric = "reconsideration" if m.group("what").lower() == "reconsideration" else "litigation"
            facts.append(_fact(metric, m, whole, text, value=0.0, raw=m.group(), flags=["stated_none"]))
            if metric == "reconsideration" and _EN_BOTH_NONE.match(sentence, m.start("what")):
                facts.append(_fact("litigation", m, whole, text, value=0.0, raw=m.group(), flags=["stated_none"]))
    return facts


def _english_channels(text: str, sentence: str, s_off: int, kind: str, sub: str | None) -> list[Fact]:
    """Channel counts of an English sentence: "260 pieces were made public through websites"."""
    facts: list[Fact] = []
    for m in _EN_PRESS.finditer(sentence):
        facts.append(_fact("channel", m, Clause(sentence, s_off, sentence, s_off), text,
                           dimension="press_conference"))
    breakdown_context = "proactive" in (kind, sub) or bool(
        _EN_PROACTIVE.search(sentence) or _EN_PROACTIVE_AFTER.search(sentence) or _EN_PROACTIVE_PASSIVE.search(sentence)
        or re.match(r"\s*(?:of these|of which|among them)\b", sentence, re.IGNORECASE))
    for clause in clauses(sentence, s_off, "en"):
        channel = channel_of(clause.text)
        if (not channel or channel[0] == "press_conference" or _not_publication(clause.text, None)
                or _EN_PROACTIVE.search(clause.text) or _EN_PROACTIVE_AFTER.search(clause.text)
                or _EN_PROACTIVE_PASSIVE.search(clause.text)):
            continue
        count = _EN_COUNT.search(clause.text)
        if count and count.group("unit").lower() in ("pieces", "items", "articles", "entries"):
            facts.append(_fact("channel", count, clause, text, dimension=channel[0]))
            continue
        breakdown = _EN_BREAKDOWN.match(clause.text)
        if breakdown and breakdown_context:
            facts.append(_fact("channel", breakdown, clause, text, dimension=channel[0]))
    return facts
