"""Bureau identification on real report snippets: titles, signatures, junk, English, masks."""

from __future__ import annotations

import pytest

from etl.bureau import bureau_key, find_signature, find_title, identify_bureau, is_aggregate_report, kind_of
from etl.model import Bureau


def place(b: Bureau) -> tuple[str | None, str | None, str | None]:
    return b.province, b.city, b.county


XINFENG_2014 = """信丰县教育局2014年政府信息公开工作年度报告

发布时间：2015-03-09　　来源：县教育局　　【字体：大 中 小】

　　本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和县政府办公室关于做好2014年度政府信息公开年度报告编制工作的通知要求编制。

信丰县教育局
2015年3月6日
"""


def test_title_name_and_county_with_prefecture() -> None:
    b = identify_bureau(XINFENG_2014)
    assert b.name == "信丰县教育局"
    assert b.canonical == "赣州市信丰县教育局"
    assert (b.kind, b.level) == ("education", "county")
    assert place(b) == ("江西省", "赣州市", "信丰县")
    assert b.flags == []


def test_signature_gives_the_fuller_name() -> None:
    text = """2017年湘桥区教育局政府信息公开年报

2017-12-31 00:00  稿件作者:   浏览量:- 【浏览字体:

  根据《中华人民共和国政府信息公开条例》、《潮州市人民政府信息公开暂行办法》的规定和区委区政府相关要求,编制湘桥区教育局2017年度政府信息公开工作年度报告。

潮州市湘桥区教育局
2017年12月31日



附件:"""
    assert find_signature(text) == "潮州市湘桥区教育局"
    b = identify_bureau(text)
    assert b.canonical == "潮州市湘桥区教育局"
    assert place(b) == ("广东省", "潮州市", "湘桥区")


def test_site_name_line_is_not_the_bureau_and_ambiguous_county_is_resolved_from_text() -> None:
    text = """范文无忧网计划总结工作总结

2010年区教育局政府信息公开工作年度报告

11月10日 编辑 fanwen51.com

2010年我局在区委、区政府和市教育局的正确领导下,根据本部门的管理特点,以贯彻落实政府信息公开条例为契机。
我们通过政府网站向全社会发布了《长安区教育局关于征集西区新建小学校名的通告》,社会反响非常热烈,
编制了《2010年西安市长安区教育局信息公开目录》,有《2010年信息公开年度总结》。
"""
    assert find_title(text) == "2010年区教育局政府信息公开工作年度报告"
    b = identify_bureau(text)
    assert b.name == "西安市长安区教育局"
    assert b.canonical == "西安市长安区教育局"
    assert place(b) == ("陕西省", "西安市", "长安区")


def test_ambiguous_county_without_evidence_is_left_empty() -> None:
    b = identify_bureau("长安区教育局2015年政府信息公开工作年度报告\n2015年，我局认真落实条例。\n")
    assert place(b) == (None, None, None)
    assert b.canonical is None
    assert "ambiguous_county" in b.flags
    assert b.kind == "education"


@pytest.mark.parametrize(("text", "expected"), [
    ("普陀区民政局2020年政府信息公开工作年度报告\n根据《上海市政府信息公开规定》编制。",
     ("上海市", "上海市", "普陀区")),
    ("普陀区民政局2020年政府信息公开工作年度报告\n按照舟山市政务公开办部署编制。",
     ("浙江省", "舟山市", "普陀区")),
    ("长安区教育局2015年政府信息公开工作年度报告\n按照石家庄市政府要求编制。",
     ("河北省", "石家庄市", "长安区")),
    ("兰州市城关区民政局2024年政府信息公开工作年度报告\n", ("甘肃省", "兰州市", "城关区")),
])
def test_ambiguous_county_resolved_by_evidence(text: str, expected: tuple[str, str, str]) -> None:
    assert place(identify_bureau(text)) == expected


def test_municipality_district() -> None:
    text = ("重庆市渝北区民政局2018年政府信息公开工作年度报告\n\n　　按照《中华人民共和国政府信息公开条例》和"
            "区政府办公室工作安排，现将我局2018年政府信息公开工作情况报告如下。\n\n重庆市渝北区民政局\n2019年1月25日\n")
    b = identify_bureau(text)
    assert b.canonical == "重庆市渝北区民政局"
    assert (b.level, *place(b)) == ("county", "重庆市", "重庆市", "渝北区")


def test_provincial_department() -> None:
    text = ("云南省教育厅2015年政府信息公开工作年度报告\n\n　　本报告根据《中华人民共和国政府信息公开条例》"
            "（以下简称《条例》）和《云南省政府信息公开规定》要求，由云南省教育厅编制。\n\n云南省教育厅\n2016年3月28日\n")
    b = identify_bureau(text)
    assert (b.canonical, b.kind, b.level) == ("云南省教育厅", "education", "province")
    assert place(b) == ("云南省", None, None)


def test_county_level_city_has_its_prefecture() -> None:
    text = ("为深入落实党中央、国务院，自治区和呼伦贝尔市党委政府关于全面推进政务公开工作的系列部署，"
            "2018年根河市教体局紧密结合实际。\n2018年，教育体育局政府信息公开工作取得了一定的成绩。\n"
            "根河市教育体育局\n2019年1月10日")
    b = identify_bureau(text)
    assert b.name == "根河市教育体育局"
    assert b.canonical == "呼伦贝尔市根河市教育体育局"
    assert place(b) == ("内蒙古自治区", "呼伦贝尔市", "根河市")


def test_masked_city_inferred_from_named_counties() -> None:
    text = """XX市交通运输局201@年政府信息公开工作年度报告

根据《中华人民共和国政府信息公开条例》和《广东省政府信息公开规定》，按照XX市政务公开办公室统一部署，现公布我局201@年度政府信息公开工作年度报告。
一、概述
201@年，我局认真贯彻国务院办公厅《2017年政务公开工作要点》。我局指导蓬江、江海、新会三区和台山、开平、鹤山、恩平四市交通运输部门统一使用交通运输领域主动公开目录。

XX市交通运输局
201@年1月26日
"""
    b = identify_bureau(text)
    assert b.canonical == "江门市交通运输局"
    assert b.name == "江门市交通运输局"
    assert place(b) == ("广东省", "江门市", None)
    assert (b.kind, b.level) == ("transport", "city")
    assert "city_inferred_from_counties" in b.flags
    assert "XX" not in (b.name or "")


def test_masked_city_without_evidence_stays_unknown() -> None:
    b = identify_bureau("XX市教育局201@年政府信息公开工作年度报告\n201@年，我局认真落实条例。\n")
    assert place(b) == (None, None, None)
    assert b.name is None and b.canonical is None
    assert b.kind == "education"


def test_english_city_bureau() -> None:
    text = ("Current location - Education and Training Encyclopedia - Educational institution - "
            "Annual report of Shangqiu Education Bureau\nAnnual report of Shangqiu Education Bureau\n"
            "2011 our bureau conscientiously implements the spirit of the regulations on the disclosure of "
            "government information in People's Republic of China (PRC).")
    b = identify_bureau(text, language="en")
    assert b.name == "Shangqiu Education Bureau"
    assert b.canonical == "商丘市教育局"
    assert (b.kind, b.level) == ("education", "city")
    assert place(b) == ("河南省", "商丘市", None)


def test_english_county_bureau() -> None:
    text = ("Annual Report on Government Information Disclosure of Li County Education Bureau for 2022\n\n"
            "This report is prepared by Li County Education Bureau of Changde City, Hunan Province, in accordance "
            "with the Regulations of the People's Republic of China on the Disclosure of Government Information.\n\n"
            "Li County Education Bureau\nJanuary 16, 2023\n")
    b = identify_bureau(text, language="en")
    assert b.name == "Li County Education Bureau"
    assert b.canonical == "常德市澧县教育局"
    assert place(b) == ("湖南省", "常德市", "澧县")


def test_english_masked_municipal_bureau_inferred_from_counties() -> None:
    text = ("Joke Collection Website - News headlines - Recommended reading summary of the work of the "
            "Municipal Education Bureau\n\nSummary 2:\n\nIn 201@, the Municipal Education Bureau followed the "
            "relevant arrangements. The \"XX Municipal Education Bureau Information Disclosure Implementation Plan\" "
            "was formulated. The Fujian Provincial Department of Education sponsored it. According to the provincial "
            "deployment, five counties and cities including Jianou, Shunchang, Pucheng, Songxi, and Zhenghe carried "
            "out the work. Leagues are organized in XX, Shaowu, Jianyang, Songxi and other places. The Xincheng "
            "Branch of Yanping District Experimental Primary School was named.")
    b = identify_bureau(text, language="en")
    assert b.canonical == "南平市教育局"
    assert b.name == "南平市教育局"
    assert place(b) == ("福建省", "南平市", None)
    assert "city_inferred_from_counties" in b.flags


def test_english_district_in_a_named_city() -> None:
    text = ("Annual Report on Government Information Disclosure of Chang'an District Education Bureau of "
            "Xi'an City for 2012\nIn 2012, our bureau worked hard.")
    b = identify_bureau(text, language="en")
    assert b.canonical == "西安市长安区教育局"
    assert place(b) == ("陕西省", "西安市", "长安区")


def test_html_page_title_with_site_suffix() -> None:
    b = identify_bureau("本报告依据《中华人民共和国政府信息公开条例》编制。",
                        title="涿州市自然资源和规划局2024年政府信息公开工作年度报告_涿州市人民政府")
    assert b.canonical == "保定市涿州市自然资源和规划局"
    assert (b.kind, *place(b)) == ("natural_resources", "河北省", "保定市", "涿州市")


def test_navigation_and_related_articles_are_not_the_bureau() -> None:
    text = """首页 | 政务公开 | 政务服务 | 互动交流 | 数据开放 | 走进鄞州
当前位置：首页 > 政府信息公开 > 区民政局 > 政府信息公开年报
索引号：K13020104/2024-00007　　发布机构：鄞州区民政局　　公开方式：主动公开

宁波市鄞州区民政局2023年政府信息公开工作年度报告

本年度未收取信息处理费。

鄞州区民政局
2024年1月18日

相关文章
· 鄞州区民政局2022年政府信息公开工作年度报告　2023-01-17
主办单位：宁波市鄞州区人民政府办公室　　承办：鄞州区大数据发展中心
"""
    b = identify_bureau(text)
    assert b.canonical == "宁波市鄞州区民政局"
    assert (b.kind, *place(b)) == ("civil_affairs", "浙江省", "宁波市", "鄞州区")


def test_city_government_report_compiled_by_its_office() -> None:
    text = ("淮安市人民政府\n2024 年政府信息公开工作年度报告\n"
            "本报告由淮安市人民政府办公室根据《中华人民共和国政府\n"
            "信息公开条例》（国令第 711 号）（以下简称《条例》）规定编\n制。\n"
            "2024 年，全市共受理政府信息公开申请 3119 件。")
    b = identify_bureau(text)
    assert (b.name, b.canonical, b.kind, b.level) == ("淮安市人民政府", "淮安市人民政府", "government", "city")
    assert place(b) == ("江苏省", "淮安市", None)


LESHAN_AGGREGATE = (
    "乐山市2022年政府信息公开工作年度报告\n\n　　本报告由乐山市人民政府办公室根据"
    "《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求，"
    "汇总全市11个县（市、区）人民政府和市政府各部门的政府信息公开工作年度报告编制而成。"
    "市政府办公室本机关年度报告另行发布。\n")
LESHAN_OFFICE = (
    "乐山市人民政府办公室2022年政府信息公开工作年度报告\n\n"
    "根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求,编制本报告。"
    "本报告为市政府办公室本机关年度报告,全市情况见《乐山市2022年政府信息公开工作年度报告》。\n")
LESHAN_OFFICE_2014 = (
    "乐山市人民政府办公室2014年政府信息公开工作年度报告\n\n"
    "　　本报告依据《中华人民共和国政府信息公开条例》和《四川省政府信息公开规定》编制，"
    "反映乐山市人民政府办公室（以下简称“市政府办公室”）本机关2014年度政府信息公开工作情况。"
    "全市政府信息公开工作年度报告另行发布。\n")


def test_aggregate_report_and_office_report_are_distinct() -> None:
    agg, office = identify_bureau(LESHAN_AGGREGATE), identify_bureau(LESHAN_OFFICE)
    assert (agg.name, agg.kind) == ("乐山市人民政府", "government")
    assert (office.name, office.kind) == ("乐山市人民政府办公室", "government_office")
    assert bureau_key(agg) != bureau_key(office)
    assert is_aggregate_report(LESHAN_AGGREGATE)
    assert not is_aggregate_report(LESHAN_OFFICE)
    assert not is_aggregate_report(LESHAN_OFFICE_2014)
    assert not is_aggregate_report(XINFENG_2014)


def test_renamed_bureau_keeps_its_name_but_shares_the_key() -> None:
    old = identify_bureau("安吉县卫生和计划生育局2016年度政府信息公开工作报告\n\n"
                          "信息来源：县卫计局　　发布时间：2017-02-17\n")
    new = identify_bureau("安吉县卫生健康局关于2018年政府信息公开工作的年度报告\n\n"
                          "按照要求，现将2018年度政府信息公开工作情况报告如下。\n")
    assert old.canonical == "湖州市安吉县卫生和计划生育局"
    assert new.canonical == "湖州市安吉县卫生健康局"
    assert old.kind == new.kind == "health"
    assert bureau_key(old) == bureau_key(new) == "浙江省|湖州市|安吉县|health|county"

    edu = identify_bureau("洛阳市涧西区教育局2015年政府信息公开工作年度报告\n")
    edu_sport = identify_bureau("洛阳市涧西区教育体育局2020年政府信息公开工作年度报告\n")
    assert bureau_key(edu) == bureau_key(edu_sport)
    assert edu.canonical != edu_sport.canonical


def test_former_county_name_shares_the_key_with_the_current_one() -> None:
    old = identify_bureau("海门市司法局2018年政府信息公开工作年度报告\n2018年，我局按照南通市要求。\n")
    new = identify_bureau("南通市海门区司法局2022年政府信息公开工作年度报告\n")
    assert place(old) == ("江苏省", "南通市", "海门市")
    assert "former_division" in old.flags
    assert bureau_key(old) == bureau_key(new)


@pytest.mark.parametrize(("name", "kind"), [
    ("信丰县教育局", "education"),
    ("涧西区教育体育局", "education"),
    ("根河市教体局", "education"),
    ("云南省教育厅", "education"),
    ("安吉县卫生和计划生育局", "health"),
    ("安吉县卫生健康局", "health"),
    ("集安市民政局", "civil_affairs"),
    ("榆次区人力资源和社会保障局", "human_resources"),
    ("霍山县自然资源和规划局", "natural_resources"),
    ("兴庆区住房和城乡建设局", "housing"),
    ("上海市普陀区建设和管理委员会", "housing"),
    ("江门市交通运输局", "transport"),
    ("庄河市水务局", "water"),
    ("海门区司法局", "justice"),
    ("乐山市人民政府办公室", "government_office"),
    ("乐山市人民政府", "government"),
    ("某某档案馆", None),
])
def test_kind_of(name: str, kind: str | None) -> None:
    assert kind_of(name) == kind


def test_nothing_to_find() -> None:
    b = identify_bureau("")
    assert b.name is None and "bureau_not_found" in b.flags
