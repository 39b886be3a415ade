"""Stage 4a: numbers stated in the report's prose → ``Fact`` candidates with evidence.

Takes the normalized text, its sections and language; gives facts for proactive disclosure
(total, categories, channels), applications received, reconsiderations, lawsuits and
consultations, each with the clause it came from. Works clause by clause: a number counts for a
metric only when the metric's words stand in the same clause (or, for channels, in the clause
just before it). "没有收到申请" is a stated 0, not a missing value.

Choosing one headline value per metric, and reconciling with the template tables, is
``etl.headlines``' job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from etl.model import Fact
from etl.numbers import NUMBER, parse_number, qualifier_around
from etl.sections import Section, section_at

# Channel words: (fine channel, output key, pattern). Order matters: first match wins.
CHANNEL_WORDS: tuple[tuple[str, str, str], ...] = (
    ("gazette", "other", r"政府公报|公报|gazette"),
    ("press_conference", "press_conference", r"新闻发布会|发布会|press conference"),
    ("wechat", "wechat", r"微信|公众号|wechat"),
    ("weibo", "weibo", r"微博|weibo"),
    ("douyin", "douyin", r"抖音|短视频|douyin"),
    ("app", "app", r"客户端|APP\b|移动端"),
    ("hotline", "hotline", r"热线|hotline"),
    ("bulletin_board", "bulletin_board",
     r"公开栏|公示栏|宣传栏|公告栏|信息栏|板报|展板|电子显示屏|电子屏|bulletin board|notice board"),
    ("public_access_point", "public_access_point",
     r"查阅点|查阅室|查阅场所|阅览室|档案馆|图书馆|public access|reading room|access places"),
    ("media", "media", r"报纸|日报|晚报|电视|广播|电台|新闻媒体|媒体|newspaper|radio|television|media"),
    ("website", "website", r"网站|门户|网页|政府网|教育网|信息网|website|portal|web site"),
    ("other_ways", "other", r"其他方式|其他渠道|其他形式"),
)
_CHANNEL_RES = tuple((fine, key, re.compile(pat, re.IGNORECASE)) for fine, key, pat in CHANNEL_WORDS)

# Numbers that are about something else even when a channel is named beside them.
_NOT_AN_ITEM_COUNT = re.compile(
    r"访问|浏览|点击|粉丝|关注|留言|来信|咨询|投诉|申请|人次|回复率|%|万人|账号|帐号|visits|followers|messages")
# ... and, beside a channel, documents being cleaned up or repealed are not items published there
_NOT_A_PUBLICATION_COUNT = re.compile(f"{_NOT_AN_ITEM_COUNT.pattern}|规范性文件|清理|废止")

_CN_COUNT = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*(?P<unit>人次|条|件|篇|期|场|次|个|项|份|起|宗|则|批)"
    rf"(?:[（(](?P<unit2>条|篇|件)[)）])?")
_EN_COUNT = re.compile(
    r"(?P<num>\d+(?:,\d{3})*)\s+(?:new\s+)?(?P<unit>pieces|items|articles|entries|messages|applications|"
    r"requests|cases|consultations|inquiries|enquiries|press conferences|issues)", re.IGNORECASE)

_SENTENCE = re.compile(r"[^。；;\n！？!?]+[。；;！？!?]?")
_CN_CLAUSE_SPLIT = re.compile(r"[，,：:]|[（(](?=含|其中|包括)")
_EN_CLAUSE_SPLIT = re.compile(r",|;|:|\band\b(?= \d)")

_PROACTIVE = re.compile(r"主动公开|主动发布|公开政府信息|公开各类")
_PROACTIVE_EXCLUDED = re.compile(r"目录|规范性文件|解读|依申请|申请|咨询|回应|热点|舆情|指南|其中")
_SUM_WORD = re.compile(r"合计|共计|总计")
_APPLICATION = re.compile(
    rf"(?:收到|受理|新收|接到|接收|共收到)[^，。；;]{{0,15}}?申请(?!人)(?:共|总数|数量|数)?\s*(?:为|达)?\s*"
    rf"(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*(?:件|份|条|个|宗|次|人次)")
_NO_APPLICATION = re.compile(
    r"(?:没有|未|无)(?:收到|受理|接到|出现|发生)?[^，。；;]{0,20}?(?:依申请公开|申请)(?!人)")
_RECONSIDERATION = re.compile(
    rf"行政复议(?:案件?|申请)?(?:数量?)?\s*(?:共|为)?\s*(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*(?:件|起|宗|个|次)")
_LITIGATION = re.compile(
    rf"(?:行政诉讼|提起诉讼)(?:案件?)?(?:数量?)?\s*(?:共|为)?\s*(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*"
    rf"(?:件|起|宗|个|次)")
_NEGATION = re.compile(r"未(?!经)|没有|无(?!法)|不存在")
_APPLICANT_APPEALED = re.compile(
    rf"(?P<num>{NUMBER})\s*(?:名|个|位|户)申请人[^。；;]{{0,40}}?(?:申请|提起)(?P<what>行政复议|行政诉讼|诉讼)")
_STATED_NONE_SENTENCE = re.compile(r"^[^\d]{0,30}(?:未发生|没有发生|未出现|没有出现|无此类|未产生|无)[^\d]{0,20}$")
_CONSULTATION = re.compile(
    rf"咨询[^，。；;]{{0,8}}?(?P<num>{NUMBER})\s*(?P<q>余|多)?\s*(?:人次|件|次|个|条|批)")
_NO_CONSULTATION = re.compile(r"(?:没有|未|无)(?:出现|收到|发生|接到)?[^，。；;]{0,12}?咨询(?!服务|电话)")
_DISCLOSURE_CONTEXT = re.compile(r"信息公开|政务公开|公开申请|依申请|公开答复|申请人")

# The (2008–2018) national statistics table: "2.政府网站公开政府信息数 | 条 | 401".
_STAT_ROW = re.compile(
    r"^[|\s]*(?:[（(]?[一二三四五六七八九十\d]+[)）.、．])?\s*(?:其中[:：])?\s*(?P<label>[^|\t\n]{2,40}?数(?:量)?)"
    r"\s*[|\t ]\s*(?P<unit>条|件|人次|个|次)\s*[|\t ]\s*(?P<num>\d+)\s*\|?\s*$", re.MULTILINE)
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
    r"(?:a total of\s+|more than\s+)?(?P<num>\d+(?:,\d{3})*)\s+(?:pieces|items|articles|entries)", re.IGNORECASE)
_EN_APPLICATION = re.compile(
    r"received\s+(?:a total of\s+)?(?P<num>\d+(?:,\d{3})*)\s+(?:new\s+)?(?:applications|requests)", re.IGNORECASE)
_EN_NO_APPLICATION = re.compile(r"\bno\s+(?:new\s+)?(?:applications|requests)\b|did not receive any", re.IGNORECASE)
_EN_RECONSIDERATION = re.compile(
    r"(?P<num>\d+)\s+(?:cases? of\s+|applications? for\s+)?administrative reconsiderations?", re.IGNORECASE)
_EN_LITIGATION = re.compile(
    r"(?P<num>\d+)\s+(?:cases? of\s+)?(?:administrative\s+)?(?:lawsuits?|litigations?(?: cases?)?)", re.IGNORECASE)
_EN_NO_REVIEW = re.compile(
    r"\bno\s+(?:cases? of\s+)?(?:administrative\s+)?(?P<what>reconsideration|litigation|lawsuit)", re.IGNORECASE)
_EN_CONSULTATION = re.compile(r"(?P<num>\d+(?:,\d{3})*)\s+(?:consultations|inquiries|enquiries)", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    text: str
    start: int
    sentence: str
    sentence_start: int


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[str, int]]:
    for m in _SENTENCE.finditer(text, start, len(text) if end is None else end):
        if m.group().strip():
            yield m.group(), m.start()


def clauses(sentence: str, offset: int, language: str) -> list[Clause]:
    splitter = _CN_CLAUSE_SPLIT if language == "zh" else _EN_CLAUSE_SPLIT
    out: list[Clause] = []
    pos = 0
    for m in [*splitter.finditer(sentence), None]:
        end = m.start() if m else len(sentence)
        if sentence[pos:end].strip():
            out.append(Clause(sentence[pos:end], offset + pos, sentence, offset))
        pos = m.end() if m else len(sentence)
    return out


def channel_of(text: str) -> tuple[str, str] | None:
    """(fine channel, output key) of the one channel a clause names; None for none or several."""
    found = [(fine, key) for fine, key, pattern in _CHANNEL_RES if pattern.search(text)]
    keys = {key for _, key in found}
    return found[0] if len(keys) == 1 else None


def _fact(metric: str, m: re.Match[str], clause: Clause | None, text: str, *, dimension: str | None = None,
          value: float | None = None, raw: str | None = None, flags: list[str] | None = None) -> Fact:
    """A fact whose evidence is the whole sentence around the match."""
    num = m.groupdict().get("num")
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
        num_start = base + m.start("num")
        qualifier = qualifier_around(text[max(0, num_start - 4):num_start], text[base + m.end("num"):end + 2])
    return Fact(metric=metric, value=value, raw=raw if raw is not None else (num or m.group()),
                evidence=evidence, start=ev_start, end=ev_start + len(evidence), dimension=dimension,
                qualifier=qualifier, flags=flags or [])


def extract_prose(text: str, sections: list[Section], language: str, start: int = 0) -> list[Fact]:
    """Every headline-relevant number stated in the prose, as fact candidates."""
    if language == "en":
        return _extract_english(text, sections, start)
    facts: list[Fact] = []
    for sentence, s_off in sentences(text, start):
        section = section_at(sections, s_off)
        kind = section.kind if section else "preamble"
        if "|" in sentence or "\t" in sentence:
            continue  # table rows are read by etl.tables or as statistics rows below
        line_start = text.rfind("\n", 0, s_off) + 1
        line_end = text.find("\n", s_off)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        facts.extend(_sentence_facts(text, sentence, s_off, kind, line))
        if (kind == "review" and section is not None and _STATED_NONE_SENTENCE.match(sentence.strip())
                and "复议" not in sentence and "诉讼" not in sentence):
            facts.extend(_section_stated_none(text, sentence, s_off, section))
        if kind not in NOT_PUBLICATION_SECTIONS and "主动公开" in text[max(0, s_off - 80):s_off + len(sentence)]:
            facts.extend(_category_facts(text, sentence, s_off, "zh"))
    facts.extend(_statistics_rows(text, start))
    return facts


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


NOT_PUBLICATION_SECTIONS = ("problems", "applications", "review", "fees", "consultations")


def _sentence_facts(text: str, sentence: str, s_off: int, kind: str, line: str) -> list[Fact]:
    facts: list[Fact] = []
    parts = clauses(sentence, s_off, "zh")
    disclosure_context = bool(_DISCLOSURE_CONTEXT.search(line)) or kind in ("review", "applications")
    pending_channel: tuple[str, str] | None = None
    channel_found = False
    appealed = _APPLICANT_APPEALED.search(sentence)
    if appealed and kind != "problems":
        metric = "reconsideration" if appealed.group("what") == "行政复议" else "litigation"
        facts.append(_fact(metric, appealed, Clause(sentence, s_off, sentence, s_off), text))
    for clause in parts:
        body = clause.text
        counts = list(_CN_COUNT.finditer(body))
        channel = channel_of(body)
        publication_context = kind not in NOT_PUBLICATION_SECTIONS and not _NOT_A_PUBLICATION_COUNT.search(body)
        if publication_context and counts and _publication_unit(counts[0].group("unit2") or counts[0].group("unit"),
                                                                channel):
            count = counts[0]
            use = channel or pending_channel
            is_total = bool(_PROACTIVE.search(body)) and not _PROACTIVE_EXCLUDED.search(body)
            if is_total and not use:
                facts.append(_fact("proactive_total", count, clause, text, flags=["strong"]))
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
            facts.extend(_application_and_review_facts(text, clause, disclosure_context, kind))
    return facts


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
            if channel_of(m.group()) or _EN_PROACTIVE.search(sentence[max(0, m.start() - 30):m.end()]):
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


def _application_and_review_facts(text: str, clause: Clause, disclosure_context: bool, kind: str) -> list[Fact]:
    body = clause.text
    facts: list[Fact] = []
    if "结转" not in body and "咨询" not in body.split("申请")[0]:
        m = _APPLICATION.search(body)
        if m:
            facts.append(_fact("applications_received", m, clause, text))
        elif "复议" not in body and "诉讼" not in body and "收费" not in body:
            neg = _NO_APPLICATION.search(body)
            if neg and kind in ("applications", "preamble", "overview", "other"):
                facts.append(_fact("applications_received", neg, clause, text, value=0.0, raw=neg.group(),
                                   flags=["stated_none"]))
    if disclosure_context:
        for metric, pattern, words in (("reconsideration", _RECONSIDERATION, ("复议",)),
                                       ("litigation", _LITIGATION, ("诉讼",))):
            m = pattern.search(body)
            if m:
                facts.append(_fact(metric, m, clause, text))
            elif any(w in body for w in words):
                neg = _NEGATION.search(body)
                if neg and neg.start() < body.index(words[0]):
                    facts.append(_fact(metric, neg, clause, text, value=0.0, raw=body.strip(), flags=["stated_none"]))
    m = _CONSULTATION.search(body)
    if m and "率" not in body[m.end():m.end() + 2]:
        facts.append(_fact("consultations", m, clause, text))
    else:
        neg = _NO_CONSULTATION.search(body)
        if neg and "费" not in body:
            facts.append(_fact("consultations", neg, clause, text, value=0.0, raw=neg.group(), flags=["stated_none"]))
    return facts


def _statistics_rows(text: str, start: int) -> list[Fact]:
    facts: list[Fact] = []
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
    for sentence, s_off in sentences(text, start):
        section = section_at(sections, s_off)
        kind = section.kind if section else "preamble"
        whole = Clause(sentence, s_off, sentence, s_off)
        if re.search(r"disclos", text[max(0, s_off - 200):s_off + len(sentence)], re.IGNORECASE):
            facts.extend(_category_facts(text, sentence, s_off, "en"))
        for m in _EN_PROACTIVE.finditer(sentence):
            facts.append(_fact("proactive_total", m, whole, text, flags=["strong"]))
        if kind != "problems":
            for clause in clauses(sentence, s_off, "en"):
                count = _EN_COUNT.search(clause.text)
                channel = channel_of(clause.text)
                if (count and channel and count.group("unit").lower() in ("pieces", "items", "articles", "entries")
                        and not _NOT_A_PUBLICATION_COUNT.search(clause.text)
                        and not _EN_PROACTIVE.search(clause.text)):
                    facts.append(_fact("channel", count, clause, text, dimension=channel[0]))
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
            if re.search(r"reconsideration (?:or|and|nor) (?:administrative )?(?:litigation|lawsuit)",
                         sentence[m.start():], re.IGNORECASE):
                facts.append(_fact("litigation", m, whole, text, value=0.0, raw=m.group(), flags=["stated_none"]))
    return facts
