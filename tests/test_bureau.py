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


# --- bodies below and beside the county, vertical bodies, page mess --------------------------------


def test_town_government_is_a_township_placed_by_the_compiler_sentence() -> None:
    text = ("浏阳市人民政府门户网站\n大瑶镇人民政府2021年政府信息公开工作年度报告\n\n"
            "　　本报告根据《中华人民共和国政府信息公开条例》，由浏阳市大瑶镇人民政府编制。\n")
    b = identify_bureau(text)
    assert b.canonical == "长沙市浏阳市大瑶镇人民政府"
    assert (b.kind, b.level, *place(b)) == ("township", "township", "湖南省", "长沙市", "浏阳市")


def test_subdistrict_named_like_a_city_is_placed_by_the_source_line() -> None:
    text = ("玉林街道办事处2020年政府信息公开工作年度报告\n来源：成都市武侯区玉林街道办事处　　发布时间：2021-01-26\n"
            "　　2020年，玉林街道坚持以公开为常态。\n")
    b = identify_bureau(text)
    assert b.canonical == "成都市武侯区玉林街道办事处"
    assert (b.kind, *place(b)) == ("subdistrict", "四川省", "成都市", "武侯区")


def test_subdistrict_is_not_its_district_government() -> None:
    text = ("深圳市南山区粤海街道办事处2017年政府信息公开工作年度报告\n"
            "　　根据《深圳市南山区政府信息公开工作实施办法》，现将粤海街道办事处2017年工作情况报告如下。\n")
    b = identify_bureau(text)
    assert (b.canonical, b.kind) == ("深圳市南山区粤海街道办事处", "subdistrict")


@pytest.mark.parametrize(("text", "canonical", "expected"), [
    ("长沙高新技术产业开发区管理委员会2022年政府信息公开工作年度报告\n发布机构：长沙高新区管委会\n",
     "长沙高新技术产业开发区管理委员会", ("湖南省", "长沙市", None)),
    ("昆山高新区管委会2018年政府信息公开工作年度报告\n【发布单位：昆山高新技术产业开发区管理委员会】【发布时间：2019-03-12】\n",
     "苏州市昆山高新技术产业开发区管理委员会", ("江苏省", "苏州市", "昆山市")),
    ("苏州工业园区管理委员会2021年政府信息公开工作年度报告\n", "苏州市苏州工业园区管理委员会",
     ("江苏省", "苏州市", "苏州工业园区")),
    ("高新区管委会2019年政府信息公开工作年度报告\n　　2019年，长沙高新区管委会深化政务公开。\n", "长沙高新区管委会",
     ("湖南省", "长沙市", None)),
])
def test_zone_committee_is_placed_by_the_stem_it_is_named_after(
        text: str, canonical: str, expected: tuple[str, str, str | None]) -> None:
    b = identify_bureau(text)
    assert (b.canonical, b.kind, *place(b)) == (canonical, "development_zone", *expected)


def test_customs_and_tax_bodies() -> None:
    customs = identify_bureau("中华人民共和国宁波海关2018年政府信息公开工作年度报告\n信息来源：宁波海关办公室\n")
    assert (customs.canonical, customs.kind, *place(customs)) == ("宁波海关", "customs", "浙江省", "宁波市", None)
    tax = identify_bureau("国家税务总局桐乡市税务局2021年政府信息公开工作年度报告\n")
    assert tax.name == "国家税务总局桐乡市税务局"
    assert (tax.kind, tax.level, *place(tax)) == ("tax", "county", "浙江省", "嘉兴市", "桐乡市")


def test_spam_word_in_place_of_the_county_is_filled_by_the_compiler() -> None:
    text = ("亚博体育县人民政府2016年政府信息公开工作年度报告_亚博体育官网\n"
            "　　本报告根据《中华人民共和国政府信息公开条例》和《安徽省政府信息公开办法》要求，"
            "由灵璧县人民政府办公室编制。\n")
    b = identify_bureau(text)
    assert (b.name, b.canonical) == ("灵璧县人民政府", "宿州市灵璧县人民政府")
    assert place(b) == ("安徽省", "宿州市", "灵璧县")
    assert "place_unrecognized" in b.flags


def test_spam_word_in_place_of_the_county_without_evidence_gives_no_name() -> None:
    text = ("皇冠体育县人民政府2018年政府信息公开工作年度报告_皇冠体育\n"
            "　　本报告根据《中华人民共和国政府信息公开条例》和《安徽省政府信息公开办法》要求，由县政府办公室编制。\n"
            "　　2018年，全县认真贯彻落实亳州市政务公开工作部署。\n")
    b = identify_bureau(text)
    assert b.name is None and b.canonical is None
    assert (b.kind, b.level, *place(b)) == ("government", "county", "安徽省", "亳州市", None)
    assert {"place_unrecognized", "county_unresolved"} <= set(b.flags)


def test_spam_word_without_a_level_is_dropped_from_the_canonical_name() -> None:
    text = ("澳门威尼斯人国土资源局2015年政府信息公开工作年度报告 - 澳门威尼斯人官网\n"
            "　　根据条例规定，现公布寿光市国土资源局2015年政府信息公开工作年度报告。\n")
    assert identify_bureau(text).canonical == "潍坊市寿光市国土资源局"


def test_masked_county_takes_the_publisher_and_the_full_body_name() -> None:
    text = "**县卫生健康局2020年政府信息公开工作年度报告\n发布机构：通道县卫健局　　发布日期：2021-01-20\n"
    b = identify_bureau(text)
    assert b.canonical == "怀化市通道侗族自治县卫生健康局"
    assert place(b) == ("湖南省", "怀化市", "通道侗族自治县")


def test_short_title_takes_the_full_name_of_the_signature() -> None:
    b = identify_bureau("县发改委2015年政府信息公开工作年度报告\n\n　　2015年，我委认真落实条例。\n\n"
                        "宁都县发展和改革委员会\n2016年3月10日\n")
    assert (b.canonical, b.kind) == ("赣州市宁都县发展和改革委员会", "development_reform")


def test_regulation_titles_are_never_the_bureau() -> None:
    b = identify_bureau("2019年政府信息公开工作年度报告\n　　根据《安徽省政府信息公开办法》编制。\n")
    assert b.name is None and b.province is None


def test_site_name_over_a_nameless_title_yields_to_the_publisher_line() -> None:
    text = ("沭阳县人民政府\n2022年政府信息公开工作年度报告\n发布机构：沭阳县交通运输局　　发布日期：2023-01-16\n"
            "　　2022年，县交通运输局主动公开政府信息318条。\n")
    assert identify_bureau(text).canonical == "宿迁市沭阳县交通运输局"


def test_site_name_over_a_report_that_speaks_as_a_bureau_gives_only_the_place() -> None:
    text = ("沭阳县人民政府\n2022年政府信息公开工作年度报告\n\n"
            "　　2022年，县交通运输局认真落实条例，我局主动公开政府信息318条。\n")
    b = identify_bureau(text)
    assert (b.canonical, b.kind) == ("宿迁市沭阳县交通运输局", "transport")
    assert "place_from_heading" in b.flags


@pytest.mark.parametrize(("name", "prefecture"), [
    ("巴音郭楞州教育局", "巴音郭楞蒙古自治州"),
    ("克孜勒苏州人民政府", "克孜勒苏柯尔克孜自治州"),
    ("凉山州教育和体育局", "凉山彝族自治州"),
])
def test_short_forms_of_autonomous_prefectures(name: str, prefecture: str) -> None:
    b = identify_bureau(f"{name}2019年政府信息公开工作年度报告\n")
    assert b.city == prefecture and "place_unrecognized" not in b.flags


def test_former_prefecture_name_keeps_its_name_and_shares_the_key() -> None:
    old = identify_bureau("襄樊市财政局2009年政府信息公开工作年度报告\n")
    new = identify_bureau("襄阳市财政局2012年政府信息公开工作年度报告\n")
    assert (old.canonical, old.city) == ("襄樊市财政局", "襄樊市")
    assert "former_division" in old.flags
    assert bureau_key(old) == bureau_key(new)


@pytest.mark.parametrize(("text", "canonical", "kind", "expected"), [
    ("Ruijin Municipal People's Government Office 2018 Government Information Disclosure Work Annual Report\n",
     "赣州市瑞金市人民政府办公室", "government_office", ("江西省", "赣州市", "瑞金市")),
    ("Annual Report on Government Information Disclosure of the Office of the People's Government of Dehua County "
     "for 2021\n", "泉州市德化县人民政府办公室", "government_office", ("福建省", "泉州市", "德化县")),
    ("2020 Annual Report on Government Information Disclosure of the General Office of Sichuan Provincial "
     "People's Government\n", "四川省人民政府办公厅", "government_office", ("四川省", None, None)),
    ("Xiamen Customs 2020 Annual Report on Government Information Disclosure\n", "厦门海关", "customs",
     ("福建省", "厦门市", None)),
    ("Suzhou Industrial Park Administrative Committee\n2021 Annual Report on Government Information Disclosure\n",
     "苏州市苏州工业园区管理委员会", "development_zone", ("江苏省", "苏州市", "苏州工业园区")),
    ("Annual Report on Government Information Disclosure of Qingdao Municipal Tax Service, State Taxation "
     "Administration (2020)\n", "青岛市税务局", "tax", ("山东省", "青岛市", None)),
    ("Nanning Housing Provident Fund Management Center\nAnnual Report on Government Information Disclosure for 2021\n",
     "南宁市住房公积金管理中心", "housing_fund", ("广西壮族自治区", "南宁市", None)),
    ("Shenzhen Municipal Administration for Market Regulation 2020 Annual Report on Government Information "
     "Disclosure\n", "深圳市市场监督管理局", "market_regulation", ("广东省", "深圳市", None)),
])
def test_english_names_of_other_kinds(text: str, canonical: str, kind: str,
                                      expected: tuple[str, str | None, str | None]) -> None:
    b = identify_bureau(text, language="en")
    assert (b.canonical, b.kind, *place(b)) == (canonical, kind, *expected)


def test_english_town_and_subdistrict_keep_their_english_names() -> None:
    town = identify_bureau("2018 Annual Report on Government Information Disclosure of Zhouzhuang Town People's "
                           "Government, Kunshan City\n", language="en")
    assert (town.name, town.canonical, town.kind, town.level) == (
        "Zhouzhuang Town People's Government", None, "township", "township")
    assert place(town) == ("江苏省", "苏州市", "昆山市")
    street = identify_bureau("Annual Report of Shekou Subdistrict Office of Nanshan District, Shenzhen on "
                             "Government Information Disclosure for 2019\n", language="en")
    assert (street.name, street.kind, *place(street)) == (
        "Shekou Subdistrict Office", "subdistrict", "广东省", "深圳市", "南山区")


def test_towns_of_one_county_have_their_own_keys_in_either_language() -> None:
    zhouzhuang = identify_bureau("昆山市周庄镇人民政府2018年政府信息公开工作年度报告\n")
    qiandeng = identify_bureau("昆山市千灯镇人民政府2018年政府信息公开工作年度报告\n")
    english = identify_bureau("2019 Annual Report on Government Information Disclosure of Zhouzhuang Town "
                              "People's Government, Kunshan City\n", language="en")
    county = identify_bureau("昆山市人民政府2018年政府信息公开工作年度报告\n")
    assert len({bureau_key(zhouzhuang), bureau_key(qiandeng), bureau_key(county)}) == 3
    assert bureau_key(zhouzhuang) == bureau_key(english)


@pytest.mark.parametrize(("name", "kind"), [
    ("大瑶镇人民政府", "township"),
    ("景宁畲族自治县大均乡人民政府", "township"),
    ("玉林街道办事处", "subdistrict"),
    ("合肥经济技术开发区管理委员会", "development_zone"),
    ("宁波海关", "customs"),
    ("国家税务总局无锡市税务局", "tax"),
    ("泉州市住房公积金管理中心", "housing_fund"),
    ("青岛市人民政府外事办公室", "foreign_affairs"),
    ("住房和城乡建设局", "housing"),
    ("乡镇人民政府", "government"),
])
def test_kind_of_other_bodies(name: str, kind: str) -> None:
    assert kind_of(name) == kind


def test_pinyin_in_the_place_of_a_mirror_title_is_read_back() -> None:
    b = identify_bureau("bao鸡市陈仓区人民政府2017年政府信息公开工作年度报告\n　　2017年，区政府全面推进政务公开。\n")
    assert (b.canonical, *place(b)) == ("宝鸡市陈仓区人民政府", "陕西省", "宝鸡市", "陈仓区")
    assert "place_pinyin_restored" in b.flags


def test_town_without_its_county_in_the_name_is_placed_by_the_county_site_or_its_superior() -> None:
    by_site = identify_bureau("永康市人民政府\n唐先镇人民政府2020年政府信息公开工作年度报告\n发布机构：唐先镇\n"
                              "　　2020年，唐先镇全面推进政务公开。\n")
    assert (by_site.canonical, *place(by_site)) == ("金华市永康市唐先镇人民政府", "浙江省", "金华市", "永康市")
    assert "place_from_heading" in by_site.flags
    by_text = identify_bureau("唐先镇人民政府2020年政府信息公开工作年度报告\n"
                              "　　2020年，唐先镇在永康市委、市政府的领导下，全面推进政务公开。\n")
    assert place(by_text) == ("浙江省", "金华市", "永康市")
