"""Who published a report: the bureau's name, canonical name, kind, level and place.

``identify_bureau(text, title=None, language="zh") -> Bureau`` takes a report's normalized text
(full-width digits made ASCII, traditional made simplified, pinyin glosses and boilerplate
removed) and, when the reader found one, its title; it gives an ``etl.model.Bureau``:

* ``name``: the name as the report gives it, from the title ("信丰县教育局2014年…"), the
  signature at the end ("潮州市湘桥区教育局" over "2017年12月31日"), "发布机构：", or the text's
  own full mentions when the title says only "区教育局"; English reports keep the English name.
* ``canonical``: prefecture + county + bureau in Chinese ("赣州市信丰县教育局", "云南省教育厅").
* ``kind``: education, health, civil_affairs … (``KINDS``), ``government`` or ``government_office``.
* ``level``: province, city or county, from the division the bureau belongs to.
* ``province``/``city``/``county``: full gazetteer names; a 直辖市 is both province and city.
* ``flags``: ``city_inferred_from_counties`` (a masked or missing city placed by the counties
  the report names), ``ambiguous_county`` (a county name found in several prefectures with no
  evidence to choose; ``county_unresolved`` when the province is still known),
  ``place_from_text`` (a name like "市政府办公室" placed by the division the text names most),
  ``former_division`` (a name since changed, e.g. 海门市), ``name_masked`` ("XX市"),
  ``level_mismatch``, ``place_not_found``, ``bureau_not_found``.

Masked names ("XX市", "XX Municipal") are never taken as data. English names are read with the
gazetteer's pinyin forms ("Li County" → 澧县) and ``EN_KINDS`` ("Education Bureau" → 教育局).

``is_aggregate_report(text, title=None) -> bool`` tells a 全市/全县/全区-wide compilation from a
body's own report. ``bureau_key(b) -> str`` gives one key to renamed bodies of the same kind in
the same place (教育局 = 教育体育局, 卫生和计划生育局 = 卫生健康局).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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
    (r"税务局", "tax"),
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

_KIND_RES = tuple((re.compile(f"(?:{pat})$"), kind) for pat, kind in KINDS)

ORG_END = re.compile(
    r"(?:局|厅|委员会|委|办公室|办公厅|人民政府|政府|中心|管理处|办|署|院|馆|站|所|队|部)$")
MASK = re.compile(r"(?:[XＸ]{1,3}|x{2,3}|×{1,3}|\*{2,3}|＊{1,3}|□{1,3}|○{2,3}|某)(?P<level>省|市|县|区|州|旗)")
YEARISH = r"(?:(?:19|20)\s?\d\s?\d|\d{3}[@#?？*＊xX]|\d{2}[@#?？*＊xX]{2}|[二〇零○一三四五六七八九]{4})"
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


def kind_of(name: str | None) -> str | None:
    """The kind a bureau name's ending gives ("涧西区教育体育局" → "education"), None if unknown."""
    if not name:
        return None
    for rx, kind in _KIND_RES:
        if rx.search(name):
            return kind
    return None


# --- text helpers ---------------------------------------------------------------------------


def main_text(text: str) -> str:
    """The text before a trailing related-articles list."""
    cut = len(text)
    for m in RELATED.finditer(text):
        if m.start() > len(text) * 0.3:
            cut = m.start()
            break
    return text[:cut]


def _lines(text: str) -> list[str]:
    return [ln.strip().strip("\u3000").strip() for ln in text.splitlines()]


def _title_pieces(title: str | None) -> list[str]:
    if not title:
        return []
    return [p.strip() for p in re.split(r"\s*(?:_|\||｜|>|—{1,2}| - )\s*", title) if p.strip()]


@dataclass
class _Name:
    """A bureau name found in the report and where it came from."""

    text: str
    source: str  # title, heading, signature, publisher, statement, body


# --- Chinese names ---------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    name = re.sub(r"^(?:关于|[【\[（(《“\"]+)", "", name)
    name = re.sub(r"(?:关于|的|[】\]）)》”\"]+)$", "", name)
    if name.endswith("人民"):
        name += "政府"
    return name


def _name_from_title_line(line: str) -> tuple[str, bool]:
    """The bureau part of a title line and whether a year was found in it."""
    line = re.sub(r"\s+", " ", line).strip()
    ym = re.search(YEARISH + r"\s*年度?", line)
    kw = re.search(DISCLOSURE, line)
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
    for piece in _title_pieces(title):
        if TITLE_RE.search(piece) and "，" not in piece:
            name, has_year = _name_from_title_line(piece)
            if name or has_year:
                return piece
    lines = _lines(main_text(text))
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > 40:
            break
        if len(line) > 70 or re.search(r"[，。；]|如下", line) or _LIST_ITEM.search(line):
            continue
        segment = re.split(r"\s*(?:>|＞|»|\|)\s*", line)[-1]
        if not TITLE_RE.search(segment):
            continue
        name, has_year = _name_from_title_line(segment)
        if not name and has_year:
            prev = next((ln for ln in reversed(lines[max(0, i - 3):i]) if ln), "")
            if prev and len(prev) <= 30 and _looks_like_org(prev):
                return prev + segment
        if name or has_year:
            return segment
    return None


_LIST_ITEM = re.compile(r"^[·•●◆■▪\-*]|\d{4}-\d{1,2}-\d{1,2}\s*$|\d{1,2}-\d{1,2}\s*$")


def _looks_like_org(s: str) -> bool:
    s = re.sub(r"\s+", "", s)
    if not s or len(s) > 40 or re.search(r"[，。：:；;、,.!?！？()（）|>《》]", s):
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
        if DATE_LINE.match(lines[i]) or EN_DATE_LINE.match(lines[i]):
            j = i - 1
            while j >= 0 and not lines[j]:
                j -= 1
            if j >= 0 and _looks_like_org(lines[j]) and not DATE_LINE.match(lines[j]):
                found = re.sub(r"\s+", "", lines[j]) if not _is_english(lines[j]) else lines[j]
    return found


def _publisher(text: str) -> str | None:
    m = re.search(r"(?:发布机构|发文机关|发布单位|来源单位)\s*[:：]\s*([^\s|｜　]{2,30})", text[:3000])
    return _clean_name(m.group(1)) if m else None


# --- place chains ----------------------------------------------------------------------------


@dataclass
class Token:
    """One place in a name: a gazetteer name with its candidates, or a mask like "XX市"."""

    text: str
    candidates: tuple[Division, ...] = ()
    masked_level: str | None = None  # 省, 市, 县 … for "XX市"


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

EN_KINDS: tuple[tuple[str, str, str], ...] = (
    (r"General Office of (?:the )?(?:{place})?People's Government", "人民政府办公室", "government_office"),
    (r"People's Government", "人民政府", "government"),
    (r"Education and Sports Bureau|Bureau of Education and Sports", "教育体育局", "education"),
    (r"Education Bureau|Bureau of Education", "教育局", "education"),
    (r"Department of Education|Education Department", "教育厅", "education"),
    (r"Education Commission|Commission of Education", "教育委员会", "education"),
    (r"Health and Family Planning Bureau", "卫生和计划生育局", "health"),
    (r"Health and Family Planning Commission", "卫生和计划生育委员会", "health"),
    (r"Health Commission", "卫生健康委员会", "health"),
    (r"Health Bureau|Bureau of Health", "卫生健康局", "health"),
    (r"Civil Affairs Bureau|Bureau of Civil Affairs", "民政局", "civil_affairs"),
    (r"Department of Civil Affairs|Civil Affairs Department", "民政厅", "civil_affairs"),
    (r"Human Resources and Social Security Bureau|Bureau of Human Resources and Social Security",
     "人力资源和社会保障局", "human_resources"),
    (r"Department of Human Resources and Social Security|Human Resources and Social Security Department",
     "人力资源和社会保障厅", "human_resources"),
    (r"Natural Resources and Planning Bureau|Bureau of Natural Resources and Planning",
     "自然资源和规划局", "natural_resources"),
    (r"Natural Resources Bureau|Bureau of Natural Resources", "自然资源局", "natural_resources"),
    (r"Housing and Urban[- ]Rural (?:Development|Construction) Bureau"
     r"|Bureau of Housing and Urban[- ]Rural (?:Development|Construction)", "住房和城乡建设局", "housing"),
    (r"Department of Housing and Urban[- ]Rural Development", "住房和城乡建设厅", "housing"),
    (r"Transport(?:ation)? Bureau|Bureau of Transport(?:ation)?|Transportation and Transport Bureau",
     "交通运输局", "transport"),
    (r"Water Affairs Bureau|Bureau of Water Affairs", "水务局", "water"),
    (r"Water Resources Bureau|Water Conservancy Bureau|Bureau of Water Resources", "水利局", "water"),
    (r"Justice Bureau|Bureau of Justice", "司法局", "justice"),
    (r"Public Security Bureau", "公安局", "public_security"),
    (r"Finance Bureau|Bureau of Finance", "财政局", "finance"),
)
"""English bureau names → Chinese ending and kind."""

_EN_PLACE_WORD = r"(?:[A-Z][a-z]+(?:['’][a-z]+)?|XX|X{1,3}|\*{2,3})"
_EN_TYPE = r"(?:Autonomous\s+)?(?:County|District|City|Prefecture|Province|Banner)"
_EN_PLACE = rf"(?:{_EN_PLACE_WORD}(?:\s+{_EN_TYPE})?\s+)"
_EN_LEVEL = r"(?:Municipal|County|District|Provincial|City|Prefectural)"
EN_NAME_RE = re.compile(
    rf"(?P<place>{_EN_PLACE}{{0,3}})(?P<level>{_EN_LEVEL}\s+)?(?P<kind>"
    + "|".join(f"(?:{p.replace('{place}', _EN_PLACE + '*')})" for p, _, _ in EN_KINDS)
    + rf")(?:\s+of\s+(?P<of>(?:the\s+)?{_EN_PLACE_WORD}(?:\s+{_EN_TYPE})?(?:,\s*{_EN_PLACE_WORD}\s+Province)?))?"
)
_EN_KIND_RES = tuple((re.compile(p.replace("{place}", _EN_PLACE + "*")), zh, kind) for p, zh, kind in EN_KINDS)
_EN_LEVEL_ZH = {"Municipal": "市", "City": "市", "County": "县", "District": "区", "Provincial": "省",
                "Prefectural": "州"}
_EN_SKIP_WORDS = frozenset({"The", "Annual", "Report", "Of", "On", "Our", "This", "Party", "Group", "Summary",
                            "Recommended", "Current"})


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


def _parse_en_name(m: re.Match[str]) -> _EnName:
    place_words: list[tuple[str, str | None]] = []
    masked = False
    chunks = [m.group("place") or ""]
    if m.group("of"):
        chunks.append(m.group("of"))
    for chunk in chunks:
        for pm in re.finditer(rf"(?P<w>{_EN_PLACE_WORD})(?:\s+(?P<t>{_EN_TYPE}))?", chunk):
            word, typ = pm.group("w"), pm.group("t")
            if re.fullmatch(r"X{1,3}|\*{2,3}", word):
                masked = True
                continue
            if word in _EN_SKIP_WORDS or word == "the":
                continue
            place_words.append((word, typ.split()[-1] if typ else None))
    kind_text = m.group("kind")
    zh, kind = "", ""
    for rx, zh_suffix, k in _EN_KIND_RES:
        if rx.fullmatch(kind_text):
            zh, kind = zh_suffix, k
            break
    level = (m.group("level") or "").strip() or None
    text = m.group(0).strip()
    text = re.sub(r"^(?:The|the)\s+", "", text)
    return _EnName(text, place_words, _EN_LEVEL_ZH.get(level) if level else None, zh, kind, masked)


def _english_names(text: str, title: str | None) -> list[tuple[_EnName, str]]:
    main = main_text(text)
    lines = _lines(main)
    found: list[tuple[_EnName, str]] = []
    heads = [*_title_pieces(title), *[ln for ln in lines[:6] if ln]]
    for head in heads:
        piece = re.split(r"\s+-\s+", head)[-1]
        for m in EN_NAME_RE.finditer(piece):
            found.append((_parse_en_name(m), "title"))
    for i in range(1, len(lines)):
        if EN_DATE_LINE.match(lines[i]):
            j = i - 1
            while j >= 0 and not lines[j]:
                j -= 1
            if j >= 0:
                m = EN_NAME_RE.fullmatch(lines[j])
                if m:
                    found.append((_parse_en_name(m), "signature"))
    for m in EN_NAME_RE.finditer(main):
        found.append((_parse_en_name(m), "body"))
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
_STATEMENT_NAME = re.compile(
    rf"(?:现将|现公布|现予公布|现发布|公布|发布|编制|反映)(?:了)?(?P<a>{_NAME_CHARS}{{3,30}}?)(?:（[^）]{{0,20}}）)?"
    rf"(?:本机关)?\s*(?:{YEARISH}\s*年度?)?(?:本机关)?(?:政府信息公开|政务公开)"
    rf"|由(?P<b>{_NAME_CHARS}{{3,30}}?)(?:根据|依据|按照)[^。]{{0,80}}?编制"
    rf"|本报告为(?P<c>{_NAME_CHARS}{{3,30}}?)本机关")
_ORG_START = re.compile("|".join(f"(?:{pat})" for pat, _ in KINDS))
_PRONOUN_END = {"我局": "局", "本局": "局", "局机关": "局", "我厅": "厅", "本厅": "厅", "厅机关": "厅",
                "我委": "委", "本委": "委", "我办": "办", "本办": "办"}
_MARKED_ORG = re.compile(r"(?<![\u4e00-\u9fff])[省市县区]|(?<=[，。；、\n（(“])[省市县区]")


def _statement_names(text: str) -> list[str]:
    """Names in sentences such as "现公布云南省教育厅2018年…报告" or "本报告由…编制"."""
    head = re.sub(r"\s+", "", text[:6000])
    own = bool(re.search(r"本报告为[^。]{0,20}本机关|反映[^。]{0,30}本机关|仅反映", head[:1500]))
    out = []
    for m in _STATEMENT_NAME.finditer(head):
        name = _clean_name(m.group("a") or m.group("b") or m.group("c") or "")
        if not name or not _looks_like_org(name) or name.startswith("本"):
            continue
        if m.group("b") and not own and kind_of(name) == "government_office":
            name = re.sub(r"(?:人民)?政府办公[室厅]$|政府办$", "人民政府", name)
        out.append(name)
    return out


def _heading_org(text: str) -> str | None:
    """An organisation's name standing alone on one of the first lines (a PDF's heading)."""
    for line in [ln for ln in _lines(text) if ln][:5]:
        if TITLE_RE.search(line):
            return None
        compact = re.sub(r"\s+", "", line)
        tokens, rest = parse_chain(compact)
        if tokens and _looks_like_org(compact) and (rest == "" or kind_of(rest)):
            return compact
    return None


def _frequent_org(text: str, mentions: Sequence[Mention]) -> str | None:
    """The place-named body the text names most often, matched to its own pronoun (我局 → …局)."""
    counts: Counter = Counter()
    longest: dict[str, str] = {}
    by_end = {m.end: m for m in mentions}
    for m in mentions:
        org = _ORG_START.match(text, m.end)
        if not org:
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
        if org and not org.group(0).startswith(("人民政府", "政府")):
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
    head = find_title(text, title)
    if head:
        name, _ = _name_from_title_line(head)
        if name and (_looks_like_org(name) or MASK.match(name)):
            out.append(_Name(name, "title"))
    heading = _heading_org(text)
    if heading is None and title and not TITLE_RE.search(title):
        piece = re.sub(r"\s+", "", _title_pieces(title)[0]) if _title_pieces(title) else ""
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
    if not any(parse_chain(c.text)[0] for c in out):
        frequent = _frequent_org(text, mentions)
        if frequent:
            out.append(_Name(frequent, "body"))
    return out


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
            flags: list[str]) -> Bureau:
    province, city, county = _place_names(div)
    prefix = _prefix_of(province, city, county)
    canonical = (prefix + bureau_part) if (prefix and bureau_part) else None
    if div is None:
        flags.append("place_not_found")
    elif not div.current and div.successor:
        flags.append("former_division")
    return Bureau(name=name, canonical=canonical, kind=kind, level=_level_of(div), province=province,
                  city=city, county=county, flags=sorted(set(flags)))


def _identify_chinese(text: str, title: str | None) -> Bureau:
    main = main_text(text)
    mentions = places.find_places(main)
    ev = _evidence(mentions)
    candidates = _chinese_candidates(main, title, mentions)
    flags: list[str] = []
    if not candidates:
        return Bureau(flags=["bureau_not_found"])

    parsed = [(c, *parse_chain(c.text)) for c in candidates]

    def kind_in(item: tuple[_Name, list[Token], str]) -> str | None:
        _, toks, rest = item
        return kind_of(rest) or ("government" if rest == "" and toks else None)

    anchor = next((k for k in map(kind_in, parsed) if k), None)
    pool = [p for p in parsed if kind_in(p) == anchor] or parsed
    with_place = [p for p in pool if any(t.candidates for t in p[1])]
    masked = [p for p in pool if any(t.masked_level for t in p[1]) or MASK.search(p[0].text)]
    chosen = max(with_place, key=lambda p: (sum(bool(t.candidates) for t in p[1]),
                                             -pool.index(p))) if with_place else pool[0]
    cand, tokens, rest = chosen
    name = cand.text
    kind = kind_of(rest) or ("government" if rest == "" else None)
    bureau_part = _bureau_part(rest)

    div: Division | None = None
    if with_place:
        div, more = _resolve_tokens(tokens, ev)
        flags += more
    if div is None and not masked and "ambiguous_county" not in flags:
        marker = rest[0] if rest and rest[0] in "县区市" and kind_of(rest[1:]) else None
        core = _strip_marker(rest)
        if core:
            picked = _pick_body_chain(_body_chains(main, core, mentions), marker)
            if picked:
                body_tokens, body_place = picked
                div, more = _resolve_tokens(body_tokens, ev)
                flags += more
                if div is not None and not any(t.candidates for t in tokens):
                    name = body_place + core
    if div is None and (masked or not with_place) and "ambiguous_county" not in flags:
        level = None
        for _, toks, _ in masked or [chosen]:
            level = next((t.masked_level for t in toks if t.masked_level), level)
        if level is None and rest[:1] in ("市", "州"):
            level = rest[0]
        if level in ("市", "州"):
            pref = _infer_prefecture(list(mentions) + places.find_listed_stems(main), _province_hint(ev))
            if pref is not None:
                div = pref
                flags.append("city_inferred_from_counties")
                if masked:
                    flags.append("name_masked")
    if div is None and not masked and "ambiguous_county" not in flags and rest[:1] in "省市县区":
        counter = {"省": ev.province, "市": ev.prefecture}.get(rest[0], ev.county)
        code = _dominant(counter)
        if code:
            div = places.by_code(code)
            flags.append("place_from_text")
            name = _prefix_of(*_place_names(div)) + _strip_marker(rest)
    if MASK.search(name or "") or "city_inferred_from_counties" in flags:
        name = None
        if masked:
            flags.append("name_masked")
    elif name and tokens and rest == "":
        name += "人民政府"
    bureau = _finish(name, div, bureau_part, kind, flags)
    if bureau.name is None:
        bureau.name = bureau.canonical
    return bureau


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
    for word, typ in en.places:
        cands = places.lookup_pinyin(word, typ)
        if cands:
            tokens.append(Token(f"{word} {typ or ''}".strip(), cands))
    tokens = _order_tokens(tokens)
    div: Division | None = None
    if tokens:
        div, more = _resolve_tokens(tokens, ev)
        flags += more
    if div is None and "ambiguous_county" not in flags and (en.masked or en.level_zh in ("市", None)):
        pref = _infer_prefecture(mentions, _province_hint(ev))
        if pref is not None:
            div = pref
            flags.append("city_inferred_from_counties")
            if en.masked:
                flags.append("name_masked")
    if div is not None and en.level_zh == "县" and div.level != "county":
        flags.append("level_mismatch")
    bureau = _finish(en.text, div, en.zh_suffix, en.kind or None, flags)
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

    "安吉县卫生和计划生育局" and "安吉县卫生健康局" both give "浙江省|湖州市|安吉县|health|county".
    A body of unknown kind keys on its canonical name instead.
    """
    province, city, county = b.province or "", b.city or "", b.county or ""
    if county:
        for div in places.lookup(county):
            if (div.prefecture or "") == city or div.province == province:
                county = places.current_of(div).name
                break
    if b.kind:
        return "|".join([province, city, county, b.kind, b.level or ""])
    tail = b.canonical or b.name or ""
    return "|".join([province, city, county, "other", tail])
