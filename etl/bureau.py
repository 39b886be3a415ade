"""Who published a report: the bureau's name, canonical name, kind, level and place.

``identify_bureau(text, title=None, language="zh") -> Bureau`` takes a report's normalized text
(full-width digits made ASCII, traditional made simplified, pinyin glosses and boilerplate
removed) and, when the reader found one, its title; it gives an ``etl.model.Bureau``:

* ``name``: the name as the report gives it, from the title ("信丰县教育局2014年…"), the
  signature at the end ("潮州市湘桥区教育局" over "2017年12月31日"), the page's publisher line
  ("发布机构：", "来源："), a sentence naming the compiler ("由…编制"), or the text's own full
  mentions when the title says only "区教育局"; English reports keep the English name.
* ``canonical``: prefecture + county + bureau in Chinese ("赣州市信丰县教育局", "云南省教育厅",
  "长沙市浏阳市大瑶镇人民政府"); a body named after a bare place stem keeps it ("宁波海关",
  "长沙高新技术产业开发区管理委员会"); None where the Chinese name cannot be known (an English
  town's pinyin) or the body's own division is hidden.
* ``kind``: education, health, civil_affairs … (``KINDS``), ``government``, ``government_office``,
  and for bodies below or beside the county ``township`` (镇/乡 government), ``subdistrict``
  (街道办事处), ``development_zone`` (开发区/高新区 管委会), plus vertical bodies ``tax`` and
  ``customs`` and institutions such as ``housing_fund``.
* ``level``: province, city or county, from the division the bureau belongs to; ``township`` for a
  town or subdistrict.
* ``province``/``city``/``county``: full gazetteer names; a 直辖市 is both province and city.
* ``flags``: ``city_inferred_from_counties`` (a masked or missing city placed by the counties
  the report names), ``ambiguous_county`` (a county name found in several prefectures with no
  evidence to choose; ``county_unresolved`` when the province is still known),
  ``place_from_text`` (a name like "市政府办公室" placed by the division the text names most),
  ``place_from_heading`` ("县交通运输局" placed by the county whose site heads the page),
  ``former_division`` (a name since changed, e.g. 海门市), ``name_masked`` ("XX市"),
  ``place_unrecognized`` (a word no gazetteer knows where the place should be, as mirror sites put
  spam in place of names: "亚博体育县人民政府"), ``county_unresolved``/``city_unresolved`` (such a
  hidden division not told by any evidence: only the ones above it are given),
  ``place_pinyin_restored`` (pinyin in a place name read back: "bao鸡市" → 宝鸡市),
  ``level_mismatch``, ``place_not_found``, ``bureau_not_found``.

Which name counts: the title's body decides the kind (a site-name header, a related-articles list
or a regulation's name never does); the place comes from the title, else from another name of the
same body and unit (signature, publisher line, compiler sentence), else from the places the text
writes before the body's name. A masked or spam-replaced place is filled only by evidence of the
level it says ("XX县" by a county), and left empty with a flag otherwise. The canonical name takes
the full form of the body (卫生健康局 over 卫健局) when any of its names gives it.

Masked names ("XX市", "XX Municipal") are never taken as data. English names are read with the
gazetteer's pinyin forms ("Li County" → 澧县), ``EN_SUBJECTS``/``EN_FORMS`` ("Education Bureau" →
教育局, "Department of Civil Affairs" → 民政厅) and ``EN_UNIT_RE`` (towns, subdistricts, zones,
customs).

``is_aggregate_report(text, title=None) -> bool`` tells a 全市/全县/全区-wide compilation from a
body's own report. ``bureau_key(b) -> str`` gives one key to renamed bodies of the same kind in
the same place (教育局 = 教育体育局, 卫生和计划生育局 = 卫生健康局, 襄樊市 = 襄阳市).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from etl import places
from etl.model import Bureau
from etl.places import Division, Mention

KINDS: tuple[tuple[str, str], ...] = (
    (r"人民政府办公[室厅]|政府办公[室厅]|政府办", "government_office"),
    (r"人民政府|政府", "government"),
    (r"教育(?:和|与)?体育局|教体局|教育局|教育厅|教育(?:工作)?委员会|教委", "education"),
    (r"卫生(?:和|与)?计划生育(?:局|委员会|委)|卫计[局委]|卫生健康(?:局|委员会|委)|卫健[局委]|卫生[局厅]"
     r"|卫生(?:工作)?委员会", "health"),
    (r"民政[局厅]", "civil_affairs"),
    (r"人力资源(?:和|与)?社会保障[局厅]|人社[局厅]|人事[局厅]|劳动(?:和|与)?社会保障[局厅]|人力资源局",
     "human_resources"),
    (r"自然资源(?:和|与)?规划(?:局|委员会)|自然资源[局厅]|国土资源(?:和|与)?规划局|国土资源[局厅]"
     r"|规划(?:和|与)?自然资源局|城乡规划局|规划局|国土局|资源规划局", "natural_resources"),
    (r"住房(?:和|与)?城乡建设(?:局|厅|委员会|委)|住房城乡建设(?:局|委员会)|住建[局委]|建设(?:和|与)?管理委员会"
     r"|建管委|城乡建设(?:局|委员会)|建设(?:局|委员会)|住房(?:保障)?(?:和|与)?房产?管理局|房产?管理局",
     "housing"),
    (r"交通运输(?:局|厅|委员会)|交通(?:局|厅|委员会)|交委|交运局", "transport"),
    (r"水务局|水利(?:局|厅)|水利(?:和|与)?湖泊局|水利(?:和|与)?水产局|水资源局|水利和?渔业局", "water"),
    (r"司法[局厅]", "justice"),
    (r"公安(?:分局|局|厅)", "public_security"),
    (r"财政[局厅]", "finance"),
    (r"农业农村[局厅]|农业(?:和|与)?农村(?:工作)?局|农业[局厅]|农牧(?:业)?局|农林(?:水)?局", "agriculture"),
    (r"生态环境[局厅]|环境保护[局厅]|环保局", "environment"),
    (r"市场监督管理局|市场监管局|工商(?:行政管理)?局|质量技术监督局|食品药品监督管理局", "market_regulation"),
    (r"发展(?:和|与)?改革(?:委员会|局|委)|发改[委局]", "development_reform"),
    (r"统计局", "statistics"),
    (r"审计[局厅]", "audit"),
    (r"税务局|国家税务局|地方税务局|国税局|地税局", "tax"),
    (r"海关", "customs"),
    (r"住房公积金管理中心|公积金管理中心|住房公积金中心|公积金中心", "housing_fund"),
    (r"外事(?:侨务)?办公室|外事(?:侨务)?局|外事办|外办", "foreign_affairs"),
    (r"国有资产监督管理委员会|国资委", "state_assets"),
    (r"乡村振兴局|扶贫开发(?:领导小组)?办公室|扶贫办", "rural_revitalization"),
    (r"地方金融(?:监督管理|工作)局|金融(?:工作)?办公室|金融办", "finance_regulation"),
    (r"大数据(?:发展)?(?:管理|资源)?局|数据资源管理局", "big_data"),
    (r"公共资源交易(?:中心|管理局|管理办公室)", "public_resources"),
    (r"气象局", "meteorology"),
    (r"应急管理[局厅]|安全生产监督管理局|安监局", "emergency"),
    (r"文化(?:和|与)?旅游(?:局|厅)|文化广电(?:和|与)?旅游局|文化广电体育(?:和|与)?旅游局|文广(?:新|旅)局"
     r"|文化(?:广电)?(?:新闻出版)?局|旅游局", "culture_tourism"),
    (r"商务[局厅]", "commerce"),
    (r"林业(?:和草原)?[局厅]", "forestry"),
    (r"科学技术[局厅]|科技局", "science_technology"),
    (r"退役军人事务[局厅]", "veterans"),
    (r"医疗保障局|医保局", "medical_security"),
    (r"城市管理(?:和综合执法|综合行政执法|行政执法)?局|城管(?:执法)?局", "urban_management"),
    (r"体育局", "sports"),
    (r"工业(?:和|与)?信息化[局厅]|经济(?:和|与)?信息化(?:局|委员会)|经信[局委]|工信局", "industry"),
    (r"行政审批(?:服务)?局|政务服务(?:和大数据|数据)?(?:管理)?局|政务服务中心", "administrative_services"),
    (r"民族(?:和)?宗教事务(?:局|委员会)", "ethnic_religious"),
    (r"信访局", "petitions"),
    (r"档案局", "archives"),
    (r"人民防空办公室|人防办", "civil_defense"),
    (r"粮食(?:和物资储备)?局", "grain"),
    (r"机关事务管理局", "government_affairs"),
)
"""Bureau-name endings → kind; renamed forms of one body share a kind."""

UNIT_KINDS: tuple[tuple[str, str], ...] = (
    (r"(?:镇|乡|苏木)(?:人民政府|政府)?", "township"),
    (r"街道(?:办事处|办)?", "subdistrict"),
)
"""Endings of bodies below the county (a town's government, a subdistrict office) → kind."""

ZONE_TYPES: tuple[str, ...] = (
    "高新技术产业开发区", "经济技术开发区", "高新技术开发区", "经济开发区", "综合保税区", "旅游度假区",
    "工业园区", "产业园区", "高新区", "经开区", "开发区", "工业园", "保税区", "度假区", "试验区",
    "示范区", "新区",
)
"""Kinds of development zone whose 管理委员会 publishes reports (长沙高新技术产业开发区管理委员会)."""

ZONE_BODIES = r"(?:党工委管委会|管理委员会|管委会|管理局|管理办公室)"

STEM_BODIES = ("海关", "住房公积金管理中心", "公积金管理中心")
"""Bodies named after a bare place stem ("宁波海关", "南宁住房公积金管理中心"); zones are too."""

ABBREVIATIONS: dict[str, str] = {
    "卫健局": "卫生健康局", "卫健委": "卫生健康委员会", "卫计局": "卫生和计划生育局",
    "卫计委": "卫生和计划生育委员会", "发改委": "发展和改革委员会", "发改局": "发展和改革局",
    "人社局": "人力资源和社会保障局", "住建局": "住房和城乡建设局",
    "教体局": "教育体育局", "环保局": "环境保护局", "市场监管局": "市场监督管理局", "医保局": "医疗保障局",
    "管委会": "管理委员会", "政府办": "人民政府办公室", "外办": "外事办公室", "交运局": "交通运输局",
    "街道办": "街道办事处",
    "经信局": "经济和信息化局", "工信局": "工业和信息化局", "文广旅局": "文化广电旅游局", "资规局": "自然资源和规划局",
}
"""Short forms of body names; a report's full form is preferred for the canonical name when it gives one."""

_KIND_RES = tuple((re.compile(f"(?:{pat})$"), kind) for pat, kind in KINDS)
_ZONE_RE = re.compile(
    rf"(?P<unit>[\u4e00-\u9fff]{{0,14}}?(?:{'|'.join(ZONE_TYPES)}))(?P<body>{ZONE_BODIES})$")
_UNIT_RE = re.compile(
    r"(?P<unit>(?P<stem>[\u4e00-\u9fff]{2,10}?)(?P<type>镇|乡|苏木|街道))"
    r"(?P<body>人民政府|政府|街道办事处|办事处|办)?$")
_UNIT_STEM_STOP = re.compile(r"^(?:各|全|本|该|我|所|城乡|乡镇|县|市|区|省)|[的和与及、]")

ORG_END = re.compile(
    r"(?:局|厅|委员会|委|办公室|办公厅|人民政府|政府|中心|管理处|办事处|管委会|海关|办|署|院|馆|站|所|队|部)$")
MASK = re.compile(r"(?:[XＸ]{1,3}|x{2,3}|×{1,3}|\*{2,3}|＊{1,3}|□{1,3}|○{2,3}|某)(?P<level>省|市|县|区|州|旗)")
YEARISH = (r"(?:(?:19|2[0Oo])\s?[\dOo]\s?[\dOo]|\d{3}[@#?？*＊xX]|\d{2}[@#?？*＊xX]{2}"
           r"|[一二][〇零○ＯOo0一二三四五六七八九]{3})")
"""A year as titles write it: digits (a letter O for a zero, spaces between), masked, or in numerals."""
DISCLOSURE = r"(?:政府信息公开|政务公开|信息公开|政务信息公开)"
TITLE_RE = re.compile(DISCLOSURE + r".{0,16}?(?:年度报告|年报|工作报告|报告)")
DATE_LINE = re.compile(
    r"^\s*(?:" + YEARISH + r")\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*$")
EN_DATE_LINE = re.compile(
    r"^\s*(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},?\s+\d{4}\s*$|^\s*\d{4}-\d{1,2}-\d{1,2}\s*$")
RELATED = re.compile(
    r"^\s*(?:相关文章|相关阅读|延伸阅读|推荐阅读|相关链接|相关新闻|相关推荐|猜你喜欢|上一篇|下一篇|热门文章"
    r"|Related (?:articles|reading|posts)|Recommended articles)\s*[:：]?", re.M)

LEVEL_NAMES = {"province": "province", "prefecture": "city", "county": "county"}

# Small patterns of the helpers below, compiled once (they run per line or per candidate name).
_SPACES = re.compile(r"\s+")
_TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|>|—{1,2}| - )\s*")
_NAME_LEAD = re.compile(r"^(?:关于|[【\[（(《“\"]+)")
_NAME_TAIL = re.compile(r"(?:关于|的|[】\]）)》”\"]+)$")
_TITLE_YEAR = re.compile(YEARISH + r"\s*年度?")
_DISCLOSURE_RE = re.compile(DISCLOSURE)
_SENTENCE_LIKE = re.compile(r"[，。；]|如下")
_BREADCRUMB = re.compile(r"\s*(?:>|＞|»|\|)\s*")
_NOT_IN_ORG = re.compile(r"[，。：:；;、,.!?！？()（）|>《》]")
_OWN_REPORT = re.compile(r"本报告为[^。]{0,20}本机关|反映[^。]{0,30}本机关|仅反映|编制的本机关")
_INFO_AFTER = re.compile(r"信息公开|信息")


def kind_of(name: str | None) -> str | None:
    """The kind a bureau name's ending gives ("涧西区教育体育局" → "education"), None if unknown.

    A body below the county is told by its unit ("大瑶镇人民政府" → "township", "玉林街道办事处" →
    "subdistrict"), a zone's committee by the zone ("合肥经济技术开发区管理委员会" → "development_zone").
    """
    if not name:
        return None
    unit = _unit_of(name)
    if unit:
        return unit[1]
    for rx, kind in _KIND_RES:
        if rx.search(name):
            return kind
    return None


# --- text helpers ---------------------------------------------------------------------------


def _unit_of(rest: str) -> tuple[str, str, str] | None:
    """(unit, kind, body) when ``rest`` names a town, subdistrict or zone body, else None.

    "大瑶镇人民政府" → ("大瑶镇", "township", "人民政府"); "玉林街道办事处" → ("玉林街道",
    "subdistrict", "办事处"); "昆山高新区管委会" → ("昆山高新区", "development_zone", "管委会").
    """
    m = _ZONE_RE.fullmatch(rest)
    if m and len(m.group("unit")) > 1:
        return m.group("unit"), "development_zone", m.group("body")
    m = _UNIT_RE.fullmatch(rest)
    if m and not _UNIT_STEM_STOP.search(m.group("stem")) and not kind_of_plain(m.group("stem")):
        kind = "subdistrict" if m.group("type") == "街道" else "township"
        return m.group("unit"), kind, m.group("body") or ""
    return None


def kind_of_plain(name: str) -> str | None:
    """The kind from ``KINDS`` alone (no town, subdistrict or zone reading)."""
    for rx, kind in _KIND_RES:
        if rx.search(name):
            return kind
    return None


# The same report's text is read by several steps (title, signature, year, aggregate test): the
# functions below are pure and their results immutable, so the last few are kept.
@lru_cache(maxsize=16)
def main_text(text: str) -> str:
    """The text before a trailing related-articles list."""
    cut = len(text)
    for m in RELATED.finditer(text):
        if m.start() > len(text) * 0.3:
            cut = m.start()
            break
    return text[:cut]


@lru_cache(maxsize=16)
def _lines(text: str) -> tuple[str, ...]:
    # str.strip() also strips the ideographic space U+3000 (it is whitespace to str.isspace)
    return tuple([ln.strip() for ln in text.splitlines()])


def _title_pieces(title: str | None) -> list[str]:
    """A page title's pieces ("…年度报告_涿州市人民政府"), full-width forms folded (the title comes
    from the page as published, before normalization)."""
    if not title:
        return []
    title = unicodedata.normalize("NFKC", title)
    return [p.strip() for p in _TITLE_SEPARATOR.split(title) if p.strip()]


@dataclass
class _Name:
    """A bureau name found in the report and where it came from."""

    text: str
    source: str  # title, heading, signature, publisher, statement, body


# --- Chinese names ---------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = _SPACES.sub("", name)
    name = _NAME_LEAD.sub("", name)
    name = _NAME_TAIL.sub("", name)
    if name.endswith("人民"):
        name += "政府"
    return name


def _name_from_title_line(line: str) -> tuple[str, bool]:
    """The bureau part of a title line and whether a year was found in it."""
    line = _SPACES.sub(" ", line).strip()
    ym = _TITLE_YEAR.search(line)
    kw = _DISCLOSURE_RE.search(line)
    if kw is None:
        return "", bool(ym)
    if ym and ym.start() < kw.start():
        before = line[:ym.start()]
        after = line[ym.end():kw.start()]
        name = before if _clean_name(before) else after
    else:
        name = line[:kw.start()]
    return _clean_name(name), bool(ym)


def find_title(text: str, title: str | None = None) -> str | None:
    """The report's title line: the given title when it reads as one, else the first such line.

    A line naming the report ("…政府信息公开工作年度报告") counts; a site name or navigation
    line does not. When the title line carries no bureau ("2024 年政府信息公开工作年度报告"),
    the line before it is joined on.
    """
    return _find_title(text, title)[0]


@lru_cache(maxsize=16)
def _find_title(text: str, title: str | None = None) -> tuple[str | None, bool]:
    """``find_title`` and whether the name in it came from the line above (a heading or a site name)."""
    for piece in _title_pieces(title):
        if TITLE_RE.search(piece) and "，" not in piece:
            name, has_year = _name_from_title_line(piece)
            if name or has_year:
                return piece, False
    lines = _lines(main_text(text))
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > 40:
            break
        if len(line) > 70 or _SENTENCE_LIKE.search(line) or _LIST_ITEM.search(line):
            continue
        segment = _BREADCRUMB.split(line)[-1]
        if not TITLE_RE.search(segment):
            continue
        name, has_year = _name_from_title_line(segment)
        if not name and has_year:
            prev = next((ln for ln in reversed(lines[max(0, i - 3):i]) if ln), "")
            if prev and len(prev) <= 30 and _looks_like_org(prev):
                return prev + segment, True
        if name or has_year:
            return segment, False
    return None, False


_LIST_ITEM = re.compile(r"^(?:[·•●◆■▪\-]|\*(?![*＊]))|\d{4}-\d{1,2}-\d{1,2}\s*$|\d{1,2}-\d{1,2}\s*$")


def _looks_like_org(s: str) -> bool:
    s = _SPACES.sub("", s)
    if not s or len(s) > 40 or _NOT_IN_ORG.search(s):
        return False
    if ORG_END.search(s) or kind_of(s):
        return True
    tokens, rest = parse_chain(s)
    return bool(tokens) and rest == ""


def find_signature(text: str) -> str | None:
    """The name signed above the closing date ("潮州市湘桥区教育局" / "2017年12月31日")."""
    lines = _lines(main_text(text))
    found = None
    for i in range(1, len(lines)):
        line = lines[i]  # stripped: a date line ends with 日, an English one with a digit
        if (line.endswith("日") and DATE_LINE.match(line)) or (line[-1:].isdigit() and EN_DATE_LINE.match(line)):
            j = i - 1
            while j >= 0 and not lines[j]:
                j -= 1
            if j >= 0 and _looks_like_org(lines[j]) and not DATE_LINE.match(lines[j]):
                found = _SPACES.sub("", lines[j]) if not _is_english(lines[j]) else lines[j]
    return found


_PUBLISHER = re.compile(
    r"(?:发布机构|发文机关|发布单位|来源单位|发布部门|信息来源|发布者|来源)\s*[:：]\s*([^\s|｜　【】\[\]]{2,30})")


def _publisher(text: str) -> str | None:
    """The body a page's metadata names (发布机构：…, 来源：…), skipping sources that are no body
    ("来源：网络")."""
    for m in _PUBLISHER.finditer(text[:3000]):
        name = _clean_name(m.group(1))
        if _looks_like_org(name):
            return name
    return None


# --- place chains ----------------------------------------------------------------------------


@dataclass
class Token:
    """One place in a name: a gazetteer name with its candidates, or a mask like "XX市"."""

    text: str
    candidates: tuple[Division, ...] = ()
    masked_level: str | None = None  # 省, 市, 县 … for "XX市"
    unknown: bool = False  # a word no gazetteer knows stands where the place should ("亚博体育县")
    stem: bool = False  # a bare stem naming the place ("宁波" in "宁波海关")


def parse_chain(name: str) -> tuple[list[Token], str]:
    """Split a Chinese name into its leading places and the rest.

    "洛阳市涧西区教育体育局" → [洛阳市, 涧西区], "教育体育局"; "XX市交通运输局" → [XX市 (masked)],
    "交通运输局".
    """
    tokens: list[Token] = []
    i = 0
    while i < len(name):
        m = MASK.match(name, i)
        if m:
            tokens.append(Token(m.group(0), (), m.group("level")))
            i = m.end()
            continue
        found = places.name_at(name, i)
        if found is None:
            break
        tokens.append(Token(found.text, found.candidates))
        i = found.end
    return tokens, name[i:]


_NATIONAL = re.compile(r"^(?:中华人民共和国|国家税务总局)")
_UNKNOWN_PLACE = re.compile(r"(?P<stem>[\u4e00-\u9fff]{2,8}?)(?P<level>省|市|县|区|旗|州)(?P<rest>.+)")
_STEM_BODY = re.compile(
    rf"(?:{'|'.join(STEM_BODIES)})$|[\u4e00-\u9fff]{{0,8}}?(?:{'|'.join(ZONE_TYPES)}){ZONE_BODIES}$")


@dataclass
class ParsedName:
    """A Chinese body name split into who it is and where.

    "国家税务总局嘉兴市桐乡市税务局" → national "国家税务总局", tokens [嘉兴市, 桐乡市], rest "税务局";
    "浏阳市大瑶镇人民政府" → tokens [浏阳市], rest "大瑶镇人民政府", unit "大瑶镇", kind "township".
    """

    text: str
    tokens: list[Token]
    rest: str
    kind: str | None
    unit: str | None = None
    national: str = ""
    restored: bool = False  # pinyin in the place restored from the gazetteer ("bao鸡市" → 宝鸡市)

    @property
    def places(self) -> list[Token]:
        return [t for t in self.tokens if t.candidates]

    @property
    def masked(self) -> bool:
        """A place hidden on purpose ("XX市", "**县"); a spam word in its place is ``unknown``."""
        return any(t.masked_level and not t.unknown for t in self.tokens) or bool(MASK.search(self.text))

    @property
    def unknown(self) -> bool:
        return any(t.unknown for t in self.tokens)

    @property
    def marker(self) -> str | None:
        """The level a name says without naming the place: "区" in "区教育局", "县" in "XX县…"."""
        for t in self.tokens:
            if t.masked_level:
                return t.masked_level
        if not self.places and self.rest[:1] in "省市县区州旗" and _strip_marker(self.rest) != self.rest:
            return self.rest[0]
        return None

    @property
    def part(self) -> str:
        """The body without its places ("教育局", "大瑶镇人民政府"); a stem-named body keeps its stem."""
        if any(t.stem for t in self.tokens):
            return "".join(t.text for t in self.tokens if t.stem) + self.rest
        if self.unit and self.rest == self.unit:  # "虎门镇" alone names the town's government
            return self.rest + ("办事处" if self.kind == "subdistrict" else "人民政府")
        return _strip_marker(self.rest) or "人民政府"

    @property
    def unit_key(self) -> str | None:
        """The unit in a form shared by its short and full names (昆山高新区 = 昆山高新技术产业开发区)."""
        if not self.unit:
            return None
        key = re.sub("|".join(ZONE_TYPES), "区", self.unit)
        return re.sub(r"(?:街道|镇|乡|苏木)$", "", key)


def parse_name(name: str, allow_unknown: bool = False) -> ParsedName:
    """Split a body's name into its national prefix, places, unit and kind (see ``ParsedName``).

    ``allow_unknown`` reads "亚博体育县人民政府" (a word no gazetteer knows before 县, as mirror sites
    write in place of a name) as an unknown county: for names from a title, heading, publisher line or
    signature, where a real place is expected.
    """
    national_m = _NATIONAL.match(name)
    national = national_m.group(0) if national_m else ""
    core = name[len(national):]
    restored = places.restore_pinyin_place(core)  # "bao鸡市…" as mirror sites write 宝鸡市
    was_restored = restored != core
    if was_restored:
        core, name = restored, national + restored
    tokens, rest = parse_chain(core)
    if not tokens:
        stem = _leading_stem(core)
        if stem:
            tokens, rest = [stem], core[len(stem.text):]
    unit = _unit_of(rest)
    if unit is None and tokens and rest in ("管理委员会", "管委会", "党工委管委会") and \
            re.search(f"(?:{'|'.join(ZONE_TYPES)})$", tokens[-1].text):
        unit = (tokens[-1].text, "development_zone", rest)
    if unit is None and not tokens:
        m = _UNKNOWN_PLACE.fullmatch(rest)
        if m and (kind_of(m.group("rest")) or _unit_of(m.group("rest"))) and not places.lookup_stem(m.group("stem")) \
                and not re.search(r"[的和与及之关于本全各该我]", m.group("stem")):
            short = _short_form(m.group("stem"), m.group("level"))
            if short:  # "巴音郭楞州" for 巴音郭楞蒙古自治州
                tokens = [Token(m.group("stem") + m.group("level"), short)]
            elif allow_unknown:
                tokens = [Token(m.group("stem") + m.group("level"), (), m.group("level"), unknown=True)]
            if tokens:
                rest = m.group("rest")
                unit = _unit_of(rest)
    if unit and tokens and tokens[0].stem:
        unit = (tokens[0].text + unit[0], *unit[1:])
    if unit:
        kind: str | None = unit[1]
    else:
        kind = kind_of_plain(rest) if rest else ("government" if tokens else None)
    return ParsedName(name, tokens, rest, kind, unit[0] if unit else None, national, was_restored)


def _short_form(stem: str, level: str) -> tuple[Division, ...]:
    """The one division a short form names: its name's start and its level ("巴音郭楞" + "州" →
    巴音郭楞蒙古自治州, "博尔塔拉" + "州" → 博尔塔拉蒙古自治州); none when several or none fit."""
    if len(stem) < 3:
        return ()
    found = _distinct(d for d in places.divisions()
                      if d.current and d.name.startswith(stem) and _fits_marker(d, level))
    return tuple(found) if len(found) == 1 else ()


def _stem_before(text: str, word: str) -> Token | None:
    """The place stem the text writes before ``word`` ("长沙" in "长沙高新区管委会" for "高新区"),
    when every such stem agrees."""
    stems: Counter = Counter()
    for m in re.finditer(re.escape(word), text):
        for k in (4, 3, 2):
            stem = text[max(0, m.start() - k):m.start()]
            if len(stem) == k and stem not in places.COMMON_WORD_STEMS and \
                    any(d.current for d in places.lookup_stem(stem)):
                stems[stem] += 1
                break
    if len(stems) != 1:
        return None
    stem = next(iter(stems))
    return Token(stem, tuple(d for d in places.lookup_stem(stem) if d.current), stem=True)


def _leading_stem(core: str) -> Token | None:
    """A bare place stem opening a stem-named body ("宁波" in "宁波海关", "长沙" in "长沙高新区管委会")."""
    for k in (4, 3, 2):
        stem, remainder = core[:k], core[k:]
        if len(core) <= k or not _STEM_BODY.fullmatch(remainder):
            continue
        cands = tuple(d for d in places.lookup_stem(stem) if d.current)
        if cands and stem not in places.COMMON_WORD_STEMS:
            return Token(stem, cands, stem=True)
    return None


def _fits_marker(div: Division, marker: str | None) -> bool:
    """Whether a division is of the level a name's marker says ("县" → a county named …县)."""
    if marker is None:
        return True
    if marker == "省":
        return div.level == "province"
    if marker == "州":
        return div.level == "prefecture" and div.name.endswith("州")
    if marker == "市":
        return (div.level != "province" and div.name.endswith("市")) or div.code[:2] in places.MUNICIPALITIES
    return div.level == "county" and div.name.endswith(marker)


def _contains(outer: Division, inner: Division) -> bool:
    if outer.level == "province":
        return inner.code[:2] == outer.code[:2]
    if outer.level == "prefecture":
        return inner.prefecture_code == outer.code or inner.code == outer.code
    return inner.code == outer.code


@dataclass
class _Evidence:
    """Place evidence gathered once from a whole text."""

    prefecture: Counter = field(default_factory=Counter)
    province: Counter = field(default_factory=Counter)
    chains: Counter = field(default_factory=Counter)  # county code → times written after its prefecture
    county: Counter = field(default_factory=Counter)


def _group_key(d: Division) -> tuple[str, str | None, str]:
    cur = places.current_of(d)
    return (cur.province_code, cur.prefecture_code, cur.name)


def _distinct(cands: Iterable[Division]) -> list[Division]:
    """Candidates with former names folded into the current division in the same place."""
    seen: dict[tuple, Division] = {}
    for d in cands:
        key = _group_key(d)
        if key not in seen or (d.current and not seen[key].current):
            seen[key] = d
    return list(seen.values())


def _evidence(mentions: Sequence[Mention]) -> _Evidence:
    ev = _Evidence()
    prev: Mention | None = None
    for m in mentions:
        cands = _distinct(m.candidates)
        if prev is not None and prev.end == m.start:
            outer = [c for c in prev.candidates if c.level != "county"]
            inside = [c for c in cands if any(_contains(o, c) for o in outer)]
            if inside:
                cands = inside
                for c in inside:
                    if c.level == "county":
                        ev.chains[c.code] += 1
        if m.full and m.text in places.GENERIC_NAMES and len(cands) > 1:
            prev = m
            continue
        weight = (1.0 if m.full else 0.6) / max(1, len(cands))
        for c in cands:
            if c.level == "county":
                ev.county[c.code] += weight
            if c.level == "province":
                ev.province[c.code] += weight
            else:
                ev.prefecture[c.prefecture_code] += weight
                ev.province[c.province_code] += weight * 0.5
        prev = m
    return ev


def _choose(cands: Sequence[Division], ev: _Evidence) -> tuple[Division | None, bool]:
    """The candidate the text's evidence favours; (None, True) when it cannot tell."""
    cands = _distinct(cands)
    if len(cands) == 1:
        return cands[0], False
    if not cands:
        return None, False

    def score(d: Division) -> float:
        s = 5.0 * ev.chains.get(d.code, 0)
        if d.level != "province":
            s += ev.prefecture.get(d.prefecture_code, 0.0)
        s += 0.5 * ev.province.get(d.province_code, 0.0)
        return s

    ranked = sorted(cands, key=score, reverse=True)
    top, second = score(ranked[0]), score(ranked[1])
    # Without evidence, a prefecture-level reading beats a county-level one.
    levels = {d.level for d in cands}
    if top - second < 0.25:
        prefs = [d for d in cands if d.level == "prefecture"]
        if len(prefs) == 1 and "county" in levels:
            return prefs[0], False
        return None, True
    return ranked[0], False


def _resolve_tokens(tokens: Sequence[Token], ev: _Evidence) -> tuple[Division | None, list[str]]:
    """The division a chain of place tokens names, narrowed by each enclosing token."""
    flags: list[str] = []
    real = [t for t in tokens if t.candidates]
    if not real:
        return None, flags
    target = real[-1]
    cands = list(target.candidates)
    for outer in real[:-1]:
        narrowed = [c for c in cands if any(_contains(o, c) for o in outer.candidates)]
        if narrowed:
            cands = narrowed
    chosen, ambiguous = _choose(cands, ev)
    if ambiguous:
        flags.append("ambiguous_county")
        chosen = None
        outers = {(c.province_code, c.prefecture_code) for c in _distinct(cands)}
        provinces = {p for p, _ in outers}
        if len(provinces) == 1:
            chosen = places.by_code(provinces.pop())
            flags.append("county_unresolved")
    return chosen, flags


def _infer_prefecture(mentions: Sequence[Mention], province_hint: str | None,
                      exclude: str | None = None) -> Division | None:
    """The prefecture most of the named counties belong to, when they clearly agree."""
    votes: Counter = Counter()
    names_by_pref: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    for m in mentions:
        if m.text in seen or (m.full and m.text in places.GENERIC_NAMES):
            continue
        seen.add(m.text)
        cands = [c for c in _distinct(m.candidates) if c.level == "county"]
        if province_hint:
            inside = [c for c in cands if c.province_code == province_hint]
            cands = inside or cands
        if not cands:
            continue
        for c in cands:
            pref = c.prefecture_code
            if pref == exclude:
                continue
            votes[pref] += 1.0 / len(cands)
            names_by_pref[pref].add(m.text)
    if not votes:
        return None
    ranked = votes.most_common()
    best, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if len(names_by_pref[best]) >= 2 and score >= 2 * second and score >= 1.5:
        return places.by_code(best)
    return None


# --- English names ---------------------------------------------------------------------------

EN_SUBJECTS: tuple[tuple[str, str, str], ...] = (
    (r"Education and Sports", "教育体育", "education"),
    (r"Education", "教育", "education"),
    (r"Health and Family Planning", "卫生和计划生育", "health"),
    (r"Civil Affairs", "民政", "civil_affairs"),
    (r"Human Resources and Social Security", "人力资源和社会保障", "human_resources"),
    (r"Natural Resources and Planning", "自然资源和规划", "natural_resources"),
    (r"Natural Resources", "自然资源", "natural_resources"),
    (r"Land and Resources", "国土资源", "natural_resources"),
    (r"Housing and Urban[- ]Rural (?:Development|Construction)", "住房和城乡建设", "housing"),
    (r"Transport(?:ation)?", "交通运输", "transport"),
    (r"Water Affairs", "水务", "water"),
    (r"Water Resources|Water Conservancy", "水利", "water"),
    (r"Justice", "司法", "justice"),
    (r"Public Security", "公安", "public_security"),
    (r"Finance", "财政", "finance"),
    (r"Agriculture and Rural Affairs|Agricultural and Rural Affairs", "农业农村", "agriculture"),
    (r"Agriculture", "农业", "agriculture"),
    (r"Ecology and Environment|Ecological Environment", "生态环境", "environment"),
    (r"Environmental Protection", "环境保护", "environment"),
    (r"Market Supervision(?: and)? (?:Administration|Management)|Market Regulation|Market Supervision",
     "市场监督管理", "market_regulation"),
    (r"Development and Reform", "发展和改革", "development_reform"),
    (r"Statistics", "统计", "statistics"),
    (r"Audit", "审计", "audit"),
    (r"Tax(?:ation)?", "税务", "tax"),
    (r"Emergency Management", "应急管理", "emergency"),
    (r"Culture,? Radio,? Television,? (?:and )?Tourism", "文化广电旅游", "culture_tourism"),
    (r"Culture and Tourism", "文化和旅游", "culture_tourism"),
    (r"Commerce", "商务", "commerce"),
    (r"Forestry(?: and Grassland)?", "林业", "forestry"),
    (r"Science and Technology", "科学技术", "science_technology"),
    (r"Veterans Affairs|Veterans", "退役军人事务", "veterans"),
    (r"(?:Medical|Healthcare) (?:Security|Insurance)", "医疗保障", "medical_security"),
    (r"Urban Management(?: and (?:Comprehensive )?Law Enforcement)?", "城市管理", "urban_management"),
    (r"Sports", "体育", "sports"),
    (r"Industry and Information Technology", "工业和信息化", "industry"),
    (r"Economy and Information Technology", "经济和信息化", "industry"),
    (r"Administrative Approval(?: Service)?", "行政审批", "administrative_services"),
    (r"Ethnic and Religious Affairs", "民族宗教事务", "ethnic_religious"),
    (r"Foreign Affairs", "外事", "foreign_affairs"),
    (r"Grain(?: and Material Reserves?)?", "粮食", "grain"),
    (r"Statistics", "统计", "statistics"),
)
"""English subjects of departments → Chinese stem and kind; longer subjects before the shorter ones
they start with. Each gives "{S} Bureau" / "Bureau of {S}" (…局), "{S} Department" / "Department of
{S}" (…厅), "{S} Commission" / "Commission of {S}" (…委员会), "{S} Administration" (…局) and
"{S} Office" (…办公室)."""

EN_FORMS: tuple[tuple[str, str], ...] = (
    ("{s} Bureau|Bureau (?:of|for) {s}|{s} Administration|Administration (?:of|for) {s}|{s} Service", "局"),
    ("{s} Department|Department of {s}", "厅"),
    ("{s} Commission|Commission of {s}|{s} Committee", "委员会"),
    ("{s} Office|Office of {s}", "办公室"),
)

EN_KINDS: tuple[tuple[str, str, str], ...] = (
    (r"General Office of (?:the )?(?:{place})?(?:People's )?Government", "人民政府办公室", "government_office"),
    (r"Office of (?:the )?(?:{place})?People's Government", "人民政府办公室", "government_office"),
    (r"People's Government (?:General )?Office|Government (?:General )?Office", "人民政府办公室",
     "government_office"),
    (r"People's Government", "人民政府", "government"),
    (r"Health Commission|Commission of Health", "卫生健康委员会", "health"),
    (r"Health Bureau|Bureau of Health", "卫生健康局", "health"),
    (r"Housing Provident Fund Management Cent(?:er|re)|Housing Provident Fund Cent(?:er|re)",
     "住房公积金管理中心", "housing_fund"),
    (r"Public Resources? Trading Cent(?:er|re)", "公共资源交易中心", "public_resources"),
    *((form.replace("{s}", f"(?:{subject})"), zh + ending, kind)
      for subject, zh, kind in EN_SUBJECTS for form, ending in EN_FORMS),
)
"""English body names → Chinese ending and kind."""

EN_UNIT_TYPES = {"Town": ("镇", "township"), "Township": ("乡", "township"), "Subdistrict": ("街道", "subdistrict"),
                 "Sub-district": ("街道", "subdistrict"), "Street": ("街道", "subdistrict")}
EN_ZONE_TYPES: tuple[tuple[str, str], ...] = (
    (r"Industrial Park", "工业园区"),
    (r"High-?[Tt]ech(?:nology)?(?: Industrial)?(?: Development)? Zone", "高新技术产业开发区"),
    (r"Economic(?: and |-)Technological Development Zone", "经济技术开发区"),
    (r"Economic Development Zone", "经济开发区"),
    (r"Development Zone", "开发区"),
    (r"New Area", "新区"),
    (r"(?:Comprehensive )?Bonded Zone", "保税区"),
)
"""English zone types → Chinese (Suzhou Industrial Park → 苏州工业园区)."""

_EN_PLACE_WORD = r"(?:[A-Z][a-z]+(?:['’-][a-z]+)?|XX|X{1,3}|\*{2,3})"
_EN_TYPE = r"(?:Autonomous\s+)?(?:County|District|City|Prefecture|Province|Banner)"
_EN_PLACE = rf"(?:{_EN_PLACE_WORD}(?:\s+{_EN_TYPE})?\s+)"
_EN_LEVEL = r"(?:Municipal|County|District|Provincial|City|Prefectural)"
_EN_TAIL = (rf"(?:(?:,[ ]*|[ ]+of[ ]+(?:the[ ]+)?|[ ]+in[ ]+)"
            rf"(?:{_EN_PLACE_WORD}(?:[ ]+[A-Z][a-z]+){{0,4}}?[ ]+Autonomous[ ]+(?:Prefecture|County|Region)"
            rf"|{_EN_PLACE_WORD}(?:[ ]+{_EN_TYPE}|[ ]+(?:Municipality|League))?))")
EN_NAME_RE = re.compile(
    rf"(?P<place>{_EN_PLACE}{{0,3}})(?P<level>{_EN_LEVEL}\s+)?(?P<kind>"
    + "|".join(f"(?:{p.replace('{place}', _EN_PLACE + '*')})" for p, _, _ in EN_KINDS)
    + rf")(?P<of>{_EN_TAIL}{{0,3}})"
)
_EN_KIND_RES = tuple((re.compile(p.replace("{place}", _EN_PLACE + "*")), zh, kind) for p, zh, kind in EN_KINDS)
_EN_ZONE = "|".join(f"(?:{p})" for p, _ in EN_ZONE_TYPES)
_EN_COMMITTEE = r"(?:Administrative|Management|Administration)\s+(?:Committee|Commission)"
EN_UNIT_RE = re.compile(
    rf"(?:(?P<unit>{_EN_PLACE_WORD})\s+(?P<type>Town|Township|Sub-?district|Street)\s+"
    rf"(?P<body>People's Government|Government|(?:Administrative\s+)?Office)"
    rf"|(?:People's Government|Government|(?:Administrative\s+)?Office)\s+of\s+(?:the\s+)?"
    rf"(?P<unit2>{_EN_PLACE_WORD})\s+(?P<type2>Town|Township|Sub-?district|Street)"
    rf"|(?P<zstem>{_EN_PLACE_WORD})\s+(?P<zone>{_EN_ZONE})\s+{_EN_COMMITTEE}"
    rf"|{_EN_COMMITTEE}\s+of\s+(?:the\s+)?(?P<zstem2>{_EN_PLACE_WORD})\s+(?P<zone2>{_EN_ZONE})"
    rf"|(?P<cstem>{_EN_PLACE_WORD})\s+Customs(?:\s+District)?)"
    rf"(?P<of>{_EN_TAIL}{{0,3}})"
)
"""Bodies the English names by a word that is no division: a town or subdistrict ("Zhouzhuang Town
People's Government of Kunshan City"), a zone's committee ("Suzhou Industrial Park Administrative
Committee") or a customs district ("Xiamen Customs")."""
_EN_LEVEL_ZH = {"Municipal": "市", "City": "市", "County": "县", "District": "区", "Provincial": "省",
                "Prefectural": "州"}
_EN_SKIP_WORDS = frozenset({"The", "Annual", "Report", "Of", "On", "Our", "This", "Party", "Group", "Summary",
                            "Recommended", "Current", "General", "Office", "People's", "Government", "State",
                            "Taxation", "Administration", "Customs", "In", "For", "And"})
_EN_SCAN = re.compile(
    rf"(?P<w>{_EN_PLACE_WORD}(?:\s+Mongolia)?)(?:\s+(?P<t>{_EN_TYPE}|Municipality|League|Provincial|Municipal"
    r"|Prefectural))?")


def _is_english(s: str) -> bool:
    letters = sum(ch.isascii() and ch.isalpha() for ch in s)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in s)
    return letters > 3 * cjk and letters > 0


@dataclass
class _EnName:
    text: str
    places: list[tuple[str, str | None]]  # (word, type word)
    level_zh: str | None
    zh_suffix: str
    kind: str
    masked: bool
    unit: str | None = None  # the town, subdistrict, zone or customs word ("Zhouzhuang", "Suzhou")
    unit_zh: str = ""  # its Chinese type ("镇", "工业园区", "海关")


def _scan_places(chunk: str, skip: Iterable[str] = ()) -> tuple[list[tuple[str, str | None]], bool, str | None]:
    """Place words in a piece of an English name: (word, type) pairs, whether a mask was seen, and the
    level an adjective gives ("Provincial" → 省)."""
    out: list[tuple[str, str | None]] = []
    masked, level = False, None
    words = set(skip)
    for pm in _EN_SCAN.finditer(chunk):
        word, typ = pm.group("w"), pm.group("t")
        if re.fullmatch(r"X{1,3}|\*{2,3}", word):
            masked = True
            continue
        if typ in _EN_LEVEL_ZH and typ not in ("County", "District", "City"):
            level = _EN_LEVEL_ZH[typ]
        if word in _EN_SKIP_WORDS or word in words or word == "the" or word in _EN_LEVEL_ZH:
            if word in _EN_LEVEL_ZH and word not in ("County", "District", "City"):
                level = _EN_LEVEL_ZH[word]
            continue
        out.append((word, typ.split()[-1] if typ else None))
    return out, masked, level


@cache
def _kind_words() -> frozenset[str]:
    """Words of the English kind names, which are never places ("Security", "Resources")."""
    return frozenset(w for p, _, _ in EN_KINDS for w in re.findall(r"[A-Z][a-z]+", p))


def _parse_en_name(m: re.Match[str]) -> _EnName:
    kind_text = m.group("kind")
    zh, kind = "", ""
    for rx, zh_suffix, k in _EN_KIND_RES:
        if rx.fullmatch(kind_text):
            zh, kind = zh_suffix, k
            break
    chunks = [m.group("place") or "", m.group("of") or ""]
    if kind_text.endswith("Government"):  # "General Office of Sichuan Provincial People's Government"
        chunks.append(kind_text)
    found: list[tuple[str, str | None]] = []
    masked, level = False, None
    for chunk in chunks:
        words, was_masked, adj = _scan_places(chunk, _kind_words())
        found += words
        masked = masked or was_masked
        level = level or adj
    stated = (m.group("level") or "").strip() or None
    text = _trim_en_name(m.group(0))
    return _EnName(text, found, _EN_LEVEL_ZH.get(stated) if stated else level, zh, kind, masked)


def _trim_en_name(text: str) -> str:
    """The name without a leading article or a trailing piece that names no place (", State")."""
    text = re.sub(r"^(?:The|the)\s+", "", text.strip())
    while True:
        m = re.search(r"(?:,\s*|\s+of\s+(?:the\s+)?|\s+in\s+)([A-Z][a-z]+)$", text)
        if not m or m.group(1) not in _EN_SKIP_WORDS | _kind_words():
            return text.rstrip(" ,")
        text = text[:m.start()]


def _parse_en_unit(m: re.Match[str]) -> _EnName:
    """A town, subdistrict, zone or customs name (``EN_UNIT_RE``) as an ``_EnName``."""
    tail, masked, level = _scan_places(m.group("of") or "")
    unit = m.group("unit") or m.group("unit2")
    if unit:
        typ = m.group("type") or m.group("type2")
        zh_type, kind = EN_UNIT_TYPES.get(typ.capitalize(), EN_UNIT_TYPES["Subdistrict"])
        body = "People's Government" if kind == "township" else "Office"
        return _EnName(f"{unit} {typ} {body}", tail, level, zh_type + ("人民政府" if kind == "township" else "办事处"),
                       kind, masked, unit, zh_type)
    stem = m.group("zstem") or m.group("zstem2")
    if stem:
        zone = m.group("zone") or m.group("zone2")
        zone_zh = next(zh for p, zh in EN_ZONE_TYPES if re.fullmatch(p, zone))
        text = re.sub(r"^(?:The|the)\s+", "", m.group(0)[:m.start("of") - m.start()].strip())
        return _EnName(text, [(stem, None), *tail], level, zone_zh + "管理委员会", "development_zone", masked,
                       stem, zone_zh)
    stem = m.group("cstem")
    return _EnName(f"{stem} Customs", [(stem, None), *tail], level, "海关", "customs", masked, stem, "海关")


def _english_names(text: str, title: str | None) -> list[tuple[_EnName, str]]:
    main = main_text(text)
    lines = _lines(main)
    found: list[tuple[_EnName, str]] = []

    def names_in(piece: str) -> list[_EnName]:
        units = [(mm.start(), mm.end(), _parse_en_unit(mm)) for mm in EN_UNIT_RE.finditer(piece)]
        out = [u for _, _, u in units]
        for mm in EN_NAME_RE.finditer(piece):
            # "Zhouzhuang Town People's Government" is the town's, not a "People's Government" of places.
            if not any(s <= mm.start("kind") < e for s, e, _ in units):
                out.append(_parse_en_name(mm))
        return out

    heads = [*_title_pieces(title), *[ln for ln in lines[:6] if ln]]
    for head in heads:
        piece = re.split(r"\s+-\s+", head)[-1]
        found += [(n, "title") for n in names_in(piece)]
    for i in range(1, len(lines)):
        if EN_DATE_LINE.match(lines[i]):
            j = i - 1
            while j >= 0 and not lines[j]:
                j -= 1
            if j >= 0:
                m = EN_NAME_RE.fullmatch(lines[j])
                if m:
                    found.append((_parse_en_name(m), "signature"))
    found += [(n, "body") for n in names_in(main)]
    return found


# --- assembling ------------------------------------------------------------------------------


def _place_names(div: Division | None) -> tuple[str | None, str | None, str | None]:
    if div is None:
        return None, None, None
    if div.level == "province":
        city = div.name if div.code[:2] in places.MUNICIPALITIES else None
        return div.province, city, None
    if div.level == "prefecture":
        return div.province, div.name, None
    return div.province, div.prefecture, div.name


def _level_of(div: Division | None) -> str | None:
    return LEVEL_NAMES[div.level] if div else None


def _prefix_of(province: str | None, city: str | None, county: str | None) -> str:
    if county:
        return (city or "") + county
    if city:
        return city
    return province or ""


def _strip_marker(rest: str) -> str:
    """"区教育局" → "教育局" once the place is known."""
    if len(rest) > 2 and rest[0] in "省市县区州旗" and kind_of(rest[1:]):
        return rest[1:]
    return rest


def _bureau_part(rest: str) -> str:
    rest = _strip_marker(rest)
    return rest or "人民政府"


_NAME_CHARS = r"[^\s，。、；：:,;（）()《》“”\"|>]"
# The lookahead lets the search skip, in C, the positions where none of the alternatives can start.
_STATEMENT_NAME = re.compile(
    r"(?=[现公发编反由本])"
    rf"(?:(?:现将|现公布|现予公布|现发布|公布|发布|编制|反映)(?:了)?(?P<a>{_NAME_CHARS}{{3,30}}?)(?:（[^）]{{0,20}}）)?"
    rf"(?:本机关)?\s*(?:{YEARISH}\s*年度?)?(?:本机关)?(?:政府信息公开|政务公开)"
    rf"|由(?P<b>{_NAME_CHARS}{{3,30}}?)(?:根据|依据|按照)[^。]{{0,80}}?编制"
    rf"|由(?P<d>{_NAME_CHARS}{{3,30}}?)(?:负责|组织)?编制"
    rf"|本报告为(?P<c>{_NAME_CHARS}{{3,30}}?)本机关)")
_ORG_START = re.compile("|".join(f"(?:{pat})" for pat, _ in KINDS))
_PRONOUN_END = {"我局": "局", "本局": "局", "局机关": "局", "我厅": "厅", "本厅": "厅", "厅机关": "厅",
                "我委": "委", "本委": "委", "我办": "办", "本办": "办"}
_MARKED_ORG = re.compile(r"(?<![\u4e00-\u9fff])[省市县区]|(?<=[，。；、\n（(“])[省市县区]")


def _statement_names(text: str) -> list[str]:
    """Names in sentences such as "现公布云南省教育厅2018年…报告" or "本报告由…编制"."""
    head = "".join(text[:6000].split())  # as _SPACES.sub("", …): re's \s is str.isspace
    own = bool(_OWN_REPORT.search(head[:1500]))
    out = []
    for m in _STATEMENT_NAME.finditer(head):
        name = _clean_name(m.group("a") or m.group("b") or m.group("d") or m.group("c") or "")
        if not name or not _looks_like_org(name) or name.startswith("本"):
            continue
        # A government's report is compiled by its office: "由…人民政府办公室编制" names the
        # government unless the report says it is the office's own (本机关).
        if (m.group("b") or m.group("d")) and not own and kind_of(name) == "government_office":
            name = re.sub(r"(?:人民)?政府办公[室厅]$|政府办$", "人民政府", name)
        out.append(name)
    return out


def _heading_org(text: str) -> str | None:
    """An organisation's name standing alone on one of the first lines (a PDF's heading)."""
    for line in [ln for ln in _lines(text) if ln][:5]:
        if TITLE_RE.search(line):
            return None
        compact = _SPACES.sub("", line)
        tokens, rest = parse_chain(compact)
        if tokens and _looks_like_org(compact) and (rest == "" or kind_of(rest)):
            return compact
    return None


def _inside_document_title(text: str, start: int, end: int) -> bool:
    """Whether a name stands inside a document's title (《安徽省政府信息公开办法》) or is the issuer
    part of "…政府信息公开" (a regulation or the genre's own words), not a body acting."""
    if _INFO_AFTER.match(text[end:end + 4]):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    return before.count("《") > before.count("》")


def _frequent_org(text: str, mentions: Sequence[Mention]) -> str | None:
    """The place-named body the text names most often, matched to its own pronoun (我局 → …局)."""
    counts: Counter = Counter()
    longest: dict[str, str] = {}
    by_end = {m.end: m for m in mentions}
    for m in mentions:
        org = _ORG_START.match(text, m.end)
        if not org or _inside_document_title(text, m.start, org.end()):
            continue
        start = m.start
        while start in by_end:
            start = by_end[start].start
        key = text[m.start:org.end()]
        counts[key] += 1
        if len(text[start:org.end()]) > len(longest.get(key, "")):
            longest[key] = text[start:org.end()]
    for m in _MARKED_ORG.finditer(text):
        if m.start() in by_end:
            continue
        org = _ORG_START.match(text, m.end())
        if org and not org.group(0).startswith(("人民政府", "政府")) and \
                not _inside_document_title(text, m.start(), org.end()):
            counts[text[m.start():org.end()]] += 0.5
    if not counts:
        return None
    pronouns = Counter()
    for word, end in _PRONOUN_END.items():
        pronouns[end] += text.count(word)
    if pronouns and pronouns.most_common(1)[0][1] > 0:
        end = pronouns.most_common(1)[0][0]
        fitting = Counter({k: v for k, v in counts.items() if k.endswith(end) or
                           (end == "委" and k.endswith("委员会")) or (end == "办" and k.endswith("办公室"))})
        counts = fitting
    if not counts:
        return None
    best = counts.most_common(1)[0][0]
    return longest.get(best, best)


def _chinese_candidates(text: str, title: str | None, mentions: Sequence[Mention]) -> list[_Name]:
    out: list[_Name] = []
    head, joined = _find_title(text, title)
    if head:
        name, _ = _name_from_title_line(head)
        if name and (_looks_like_org(name) or MASK.match(name)):
            # A name from the line above a nameless title may be a site's name ("沭阳县人民政府"
            # over "2022年政府信息公开工作年度报告"): it counts as a heading, after the publisher.
            out.append(_Name(name, "heading" if joined else "title"))
    heading = _heading_org(text)
    if heading is None and title and not TITLE_RE.search(title):
        piece = _SPACES.sub("", _title_pieces(title)[0]) if _title_pieces(title) else ""
        tokens, rest = parse_chain(piece)
        if tokens and _looks_like_org(piece) and (rest == "" or kind_of(rest)):
            heading = piece
    if heading:
        out.append(_Name(heading, "heading"))
    sig = find_signature(text)
    if sig:
        out.append(_Name(sig, "signature"))
    pub = _publisher(text)
    if pub and _looks_like_org(pub):
        out.append(_Name(pub, "publisher"))
    out += [_Name(n, "statement") for n in _statement_names(text)]
    headings = [c for c in out if c.source == "heading"]
    headings_disagree = bool(headings) and _self_reference(text) is not None and all(
        kind_of(c.text) in ("government", "government_office") for c in headings)
    placed = [c for c in out if parse_chain(c.text)[0]]
    if all(c.source == "heading" for c in placed) and (headings_disagree or not placed):
        frequent = _frequent_org(text, mentions)
        if frequent:
            # The body that speaks as 我局/本局 is the publisher, not the government a heading names.
            out.append(_Name(frequent, "speaker" if headings_disagree else "body"))
    return out


def _self_reference(text: str) -> str | None:
    """The ending of the body a report speaks as ("局" for 我局/本局), when it speaks as a department."""
    counts = Counter({end: 0 for end in _PRONOUN_END.values()})
    for word, end in _PRONOUN_END.items():
        counts[end] += text.count(word)
    end, n = counts.most_common(1)[0]
    return end if n else None


def _body_chains(text: str, core: str, mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Places written right before ``core`` in the text ("西安市长安区" + "教育局")."""
    by_end: dict[int, Mention] = {m.end: m for m in mentions}
    out: list[list[Mention]] = []
    for m in re.finditer(re.escape(core), text):
        end = m.start()
        chain: list[Mention] = []
        while end in by_end:
            mm = by_end[end]
            chain.insert(0, mm)
            end = mm.start
        if chain:
            out.append(chain)
    return out


def _pick_body_chain(chains: Sequence[list[Mention]], marker: str | None) -> tuple[list[Token], str] | None:
    """The place the text most often writes before the bureau: the most frequent last place,
    in its longest written form."""
    scored: Counter = Counter()
    keep: dict[str, list[Token]] = {}
    for chain in chains:
        if marker and not chain[-1].text.endswith(marker):
            continue
        key = "".join(m.text for m in chain)
        scored[key] += 1
        keep[key] = [Token(m.text, m.candidates) for m in chain]
    if not scored:
        return None
    tails: Counter = Counter()
    for key, n in scored.items():
        tails[keep[key][-1].text] += n
    tail = tails.most_common(1)[0][0]
    best = max((k for k in scored if keep[k][-1].text == tail), key=lambda k: (len(keep[k]), scored[k]))
    return keep[best], best


def identify_bureau(text: str, title: str | None = None, language: str = "zh") -> Bureau:
    """Identify the bureau that published a report (see the module docstring)."""
    text = text or ""
    if language == "en" or (language != "zh" and _is_english(text[:2000])):
        return _identify_english(text, title)
    return _identify_chinese(text, title)


def _finish(name: str | None, div: Division | None, bureau_part: str, kind: str | None,
            flags: list[str], *, stem_named: bool = False, hidden: str | None = None) -> Bureau:
    """The ``Bureau`` for a body of ``kind`` in ``div``.

    A stem-named body ("长沙高新技术产业开发区管理委员会", "宁波海关") carries its place in its own
    name, so only the places above it are prefixed. With ``hidden`` ("county", "city") the body is of
    that level but its own division could not be told (masked, or a spam word in its place): the
    divisions above it are given, its name and canonical name are not.
    """
    province, city, county = _place_names(div)
    if stem_named and div is not None:
        prefix = city if div.level == "county" else ""
        prefix = prefix or ""
    else:
        prefix = _prefix_of(province, city, county)
    canonical = (prefix + bureau_part) if ((prefix or stem_named) and bureau_part and div) else None
    level = _level_of(div)
    if kind in ("township", "subdistrict"):
        level = "township"
    if hidden:
        canonical, level = None, hidden
    if div is None:
        flags.append("place_not_found")
    elif not div.current and div.successor:
        flags.append("former_division")
    return Bureau(name=name, canonical=canonical, kind=kind, level=level, province=province,
                  city=city, county=county, flags=sorted(set(flags)))


_SOURCE_RANK = {"title": 0, "signature": 1, "publisher": 2, "speaker": 3, "heading": 4, "statement": 5, "body": 6}
"""Whose word counts first: the report's own title, then its signature, the page's publisher line, a
heading line above a title that names no body (unless the report speaks as another body: "我局"),
sentences naming the compiler, the body text."""
_PLACE_EXPECTED = ("title", "heading", "publisher", "signature")


def _compatible(p: ParsedName, anchor: ParsedName) -> bool:
    """Whether ``p`` can name the same body as ``anchor``: same kind, same unit, a place of the
    level the anchor's marker says ("XX县…" is no 安徽省 body, "区教育局" no 县's)."""
    if p is anchor:
        return True
    if anchor.kind is None or p.kind != anchor.kind:
        return False
    if anchor.unit_key and p.unit_key != anchor.unit_key:
        return False
    marker = anchor.marker
    return not (marker and p.places and not any(_fits_marker(c, marker) for c in p.places[-1].candidates))


def _abbreviated(part: str) -> bool:
    return any(part.endswith(short) for short in ABBREVIATIONS)


def _part_source(pool: Sequence[ParsedName], anchor: ParsedName) -> ParsedName:
    """The name whose body part is used for the canonical name: the anchor's (the title's), unless it
    is a short form (卫健局, 管委会) and another name of the same body gives the full one."""
    if not anchor.places:
        # "澳门威尼斯人国土资源局": words in front of the body that no place explains (a spam word
        # where the place was) are dropped when a placed name of the same body ends the same way.
        for p in pool:
            if p.places and p.part != anchor.part and anchor.part.endswith(p.part):
                return p
    if not _abbreviated(anchor.part):
        return anchor
    return next((p for p in pool if not _abbreviated(p.part) and p.part), anchor)


def _identify_chinese(text: str, title: str | None) -> Bureau:
    main = main_text(text)
    mentions = places.find_places(main)
    ev = _evidence(mentions)
    candidates = sorted(_chinese_candidates(main, title, mentions), key=lambda c: _SOURCE_RANK[c.source])
    flags: list[str] = []
    if not candidates:
        return Bureau(flags=["bureau_not_found"])

    parsed = [parse_name(c.text, allow_unknown=c.source in _PLACE_EXPECTED) for c in candidates]
    anchor = next((p for p in parsed if p.kind), parsed[0])
    pool = [p for p in parsed if _compatible(p, anchor)] if anchor.kind else parsed
    with_place = [p for p in pool if p.places]
    masked = anchor.masked or anchor.unknown or any(p.masked for p in pool)
    marker = anchor.marker
    chosen = max(with_place, key=lambda p: (len(p.places), -pool.index(p))) if with_place else anchor
    name: str | None = chosen.text
    kind = anchor.kind
    source = _part_source(pool, anchor)
    bureau_part, stem_named = source.part, any(t.stem for t in source.tokens)
    if stem_named and not any(t.stem for t in chosen.tokens):
        bureau_part, stem_named = chosen.part, False
    hidden: str | None = None  # the level of a body whose own division is hidden

    div: Division | None = None
    if with_place:
        div, more = _resolve_tokens(chosen.tokens, ev)
        flags += more
    if div is None and "ambiguous_county" not in flags:
        core = _strip_marker(anchor.rest)
        if core:
            picked = _pick_body_chain(_body_chains(main, core, mentions), marker if marker != "州" else None)
            if picked:
                body_tokens, body_place = picked
                found, more = _resolve_tokens(body_tokens, ev)
                # A masked or spam-replaced place is filled only by a place of the level it says.
                if found is not None and (not masked or _fits_marker(found, marker)):
                    div = found
                    flags += more
                    if not chosen.places:
                        name = body_place + core
                        chosen = parse_name(name)
    if div is None and not anchor.places and anchor.kind in ("development_zone", "customs", "housing_fund"):
        # "高新区管委会" in the title, "长沙高新区" in the text: the stem the text writes names the place.
        stem = _stem_before(main, anchor.unit or anchor.rest)
        if stem is not None:
            div, more = _resolve_tokens([stem], ev)
            flags += more
            if div is not None:
                name = stem.text + anchor.rest
                chosen = parse_name(name)
                bureau_part, stem_named = chosen.part, True
    if div is None and (masked or not with_place) and "ambiguous_county" not in flags:
        level = marker if masked else None
        if level is None and anchor.rest[:1] in ("市", "州"):
            level = anchor.rest[0]
        if level in ("市", "州"):
            pref = _infer_prefecture(list(mentions) + places.find_listed_stems(main), _province_hint(ev))
            if pref is not None:
                div = pref
                flags.append("city_inferred_from_counties")
            elif masked and _province_hint(ev):
                # A hidden city whose counties are not named: only its province is told.
                div = places.by_code(_province_hint(ev) or "")
                if div is not None:
                    hidden = "city"
                    flags.append("city_unresolved")
        elif masked and level in ("县", "区", "旗"):
            # The county is hidden: its prefecture may still be told by the text (落实亳州市…部署).
            div = _named_prefecture(mentions, ev)
            if div is None and _province_hint(ev):
                div = places.by_code(_province_hint(ev) or "")
            if div is not None:
                hidden = "county"
                flags.append("county_unresolved")
    if div is None and not masked and not anchor.places and anchor.kind in ("township", "subdistrict"):
        # A town's report sits on its county's site or names the county as its superior
        # ("在永康市委、市政府的领导下"): that county, when it is the only one in sight.
        for c, p in zip(candidates, parsed, strict=True):
            if c.source == "heading" and p.places:
                found, _ = _resolve_tokens(p.tokens, ev)
                if found is not None and found.level != "province":
                    div = found
                    flags.append("place_from_heading")
                    break
        if div is None:
            div = _named_county(mentions)
            if div is not None:
                flags.append("place_from_text")
        if div is not None:
            name = _prefix_of(*_place_names(div)) + anchor.part
            chosen = parse_name(name)
    if div is None and not masked and marker and not anchor.places:
        # "县交通运输局" published under a site headed "沭阳县人民政府": the county whose site it is.
        for c, p in zip(candidates, parsed, strict=True):
            if c.source == "heading" and p.places and any(_fits_marker(d, marker) for d in p.places[-1].candidates):
                found, more = _resolve_tokens(p.tokens, ev)
                if found is not None and _fits_marker(found, marker):
                    div = found
                    flags += [*more, "place_from_heading"]
                    name = _prefix_of(*_place_names(div)) + _strip_marker(anchor.rest)
                    chosen = parse_name(name)
                    break
    if div is None and not masked and "ambiguous_county" not in flags and anchor.rest[:1] in "省市县区" \
            and not anchor.places:
        counter = {"省": ev.province, "市": ev.prefecture}.get(anchor.rest[0], ev.county)
        code = _dominant(counter)
        if code:
            div = places.by_code(code)
            flags.append("place_from_text")
            name = _prefix_of(*_place_names(div)) + _strip_marker(anchor.rest)
            chosen = parse_name(name)
    if chosen.masked or chosen.unknown or MASK.search(name or "") \
            or "city_inferred_from_counties" in flags or hidden:
        name = None
    elif name and chosen.tokens and chosen.rest == "":
        name += "人民政府"
    if masked:
        flags.append("name_masked" if anchor.masked or any(p.masked for p in pool) else "place_unrecognized")
    if chosen.restored or anchor.restored:
        flags.append("place_pinyin_restored")
    bureau = _finish(name, div, bureau_part, kind, flags, stem_named=stem_named, hidden=hidden)
    if bureau.name is None:
        bureau.name = bureau.canonical
    return bureau


def _named_county(mentions: Sequence[Mention]) -> Division | None:
    """The one county-level division a text names, when its name is unambiguous, else None."""
    found = {c.code for m in mentions if m.text not in places.GENERIC_NAMES
             for c in _distinct(m.candidates) if c.level == "county" and len(_distinct(m.candidates)) == 1}
    return places.by_code(found.pop()) if len(found) == 1 else None


def _named_prefecture(mentions: Sequence[Mention], ev: _Evidence) -> Division | None:
    """The one prefecture a text names (in its province, when that is clear), else None."""
    hint = _province_hint(ev)
    prefs = {c.code for m in mentions for c in _distinct(m.candidates)
             if c.level == "prefecture" and (hint is None or c.province_code == hint)}
    return places.by_code(prefs.pop()) if len(prefs) == 1 else None


def _dominant(counter: Counter, minimum: float = 2.0) -> str | None:
    ranked = counter.most_common(2)
    if not ranked or ranked[0][1] < minimum:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def _province_hint(ev: _Evidence) -> str | None:
    if not ev.province:
        return None
    ranked = ev.province.most_common(2)
    if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
        return ranked[0][0]
    return None


def _identify_english(text: str, title: str | None) -> Bureau:
    main = main_text(text)
    found = _english_names(main, title)
    mentions = places.find_english_places(main)
    ev = _evidence(mentions)
    flags: list[str] = []
    if not found:
        return Bureau(flags=["bureau_not_found"])

    def rank(item: tuple[_EnName, str]) -> tuple[int, int, int]:
        en, source = item
        return (bool(en.places) or en.masked or bool(en.level_zh), source != "body",
                {"title": 2, "signature": 1}.get(source, 0))

    en, _source = max(found, key=rank)
    tokens: list[Token] = []
    unit_div: Division | None = None
    for word, typ in en.places:
        cands = places.lookup_pinyin(word, typ)
        if en.unit_zh and word == en.unit and en.kind != "township" and en.kind != "subdistrict":
            # A zone or customs district is named after a city: "Suzhou Industrial Park" is 苏州工业园区
            # (not 宿州), "Xiamen Customs" 厦门海关.
            named = [d for c in cands for d in places.lookup(c.stem + en.unit_zh)]
            if len(_distinct(named)) == 1:
                unit_div = named[0]
            cands = tuple(c for c in cands if c.level != "county") or cands
        if cands:
            tokens.append(Token(f"{word} {typ or ''}".strip(), cands))
    tokens = _order_tokens(tokens)
    div: Division | None = unit_div
    if div is None and tokens:
        div, more = _resolve_tokens(tokens, ev)
        flags += more
    if div is None and "ambiguous_county" not in flags and not en.unit and \
            (en.masked or en.level_zh in ("市", None)):
        pref = _infer_prefecture(mentions, _province_hint(ev))
        if pref is not None:
            div = pref
            flags.append("city_inferred_from_counties")
            if en.masked:
                flags.append("name_masked")
    if div is not None and en.level_zh == "县" and div.level != "county":
        flags.append("level_mismatch")
    part, stem_named = en.zh_suffix, False
    if en.kind == "government_office" and div is not None and div.level == "province":
        part = "人民政府办公厅"  # a province's general office is a 厅
    if en.kind in ("township", "subdistrict"):
        part = ""  # the town's Chinese name is not known from its pinyin: no canonical name
    elif en.unit and div is not None:
        if unit_div is not None:
            part = en.zh_suffix.removeprefix(en.unit_zh)
        else:
            part, stem_named = div.stem + en.zh_suffix, True
    bureau = _finish(en.text, div, part, en.kind or None, flags, stem_named=stem_named)
    if en.masked or "city_inferred_from_counties" in flags:
        bureau.name = bureau.canonical
    return bureau


def _order_tokens(tokens: list[Token]) -> list[Token]:
    """Outer places first (province, prefecture, county) whatever order the English gives."""
    def rank(t: Token) -> int:
        return min(places.LEVEL_RANK[c.level] for c in t.candidates)
    return sorted(tokens, key=rank)


# --- aggregate reports and keys --------------------------------------------------------------

_AGG_STRONG = re.compile(r"汇总(?:了)?全(?:市|县|区|省|州|旗)|全(?:市|县|区|省|州|旗)各级(?:行政机关|政府)")
_AGG_NEGATIVE = re.compile(
    r"本报告为[^。]{0,20}本机关|仅反映[^。]{0,20}本机关|反映[^。]{0,30}本机关"
    r"|全(?:市|县|区|省|州|旗)[^。]{0,20}报告另行(?:发布|公布)|全(?:市|县|区|省|州|旗)情况见")
_AGG_WEAK = re.compile(
    r"本机关(?:年度)?报告另行(?:发布|公布)"
    r"|全(?:市|县|区|省|州|旗)(?:共|累计)?(?:新收|受理|收到)[^。]{0,12}政府信息公开申请")


def is_aggregate_report(text: str, title: str | None = None) -> bool:
    """True for a report compiling a whole city/county/district (全市…汇总), not a body's own.

    A place-only title ("乐山市2022年政府信息公开工作年度报告") or a statement that the report
    sums up the area's bodies counts; a report that calls itself the 本机关 report does not.
    """
    head = (text or "")[:4000]
    if _AGG_STRONG.search(head):
        return True
    if _AGG_NEGATIVE.search(head):
        return False
    if _AGG_WEAK.search(head):
        return True
    line = find_title(text or "", title)
    if line:
        name, _ = _name_from_title_line(line)
        tokens, rest = parse_chain(name)
        if tokens and rest == "":
            return True
    return False


def bureau_key(b: Bureau) -> str:
    """One key for a body across renames: province|city|county|kind|level.

    "安吉县卫生和计划生育局" and "安吉县卫生健康局" both give "浙江省|湖州市|安吉县|health|county";
    a renamed county or city keys as its current name (海门市 = 海门区, 襄樊市 = 襄阳市). A town,
    subdistrict or zone adds its own name in pinyin, so that two towns of a county stay apart and a
    Chinese and an English report of one town meet ("…|township|township|zhouzhuang"). A body of
    unknown kind keys on its canonical name instead.
    """
    province, city, county = b.province or "", b.city or "", b.county or ""
    if county:
        for div in places.lookup(county):
            if (div.prefecture or "") == city or div.province == province:
                county = places.current_of(div).name
                break
    if city:
        for div in places.lookup(city):
            if div.level == "prefecture" and div.province == province:
                city = places.current_of(div).name
                break
    if b.kind:
        key = "|".join([province, city, county, b.kind, b.level or ""])
        unit = _unit_key(b)
        return f"{key}|{unit}" if unit else key
    tail = b.canonical or b.name or ""
    return "|".join([province, city, county, "other", tail])


def _unit_key(b: Bureau) -> str | None:
    """The pinyin of a town's, subdistrict's or zone's own name, for ``bureau_key``."""
    if b.kind not in ("township", "subdistrict", "development_zone"):
        return None
    text = b.canonical or b.name or ""
    if _is_english(text):
        m = EN_UNIT_RE.search(text)
        word = m and (m.group("unit") or m.group("unit2") or m.group("zstem") or m.group("zstem2"))
        return places.pinyin_key(word) if word else places.pinyin_key(text)
    unit = parse_name(text).unit_key
    if unit is None:
        return places.pinyin_key(places.pinyin_of(text)) or text
    return places.pinyin_key(places.pinyin_of(unit))
