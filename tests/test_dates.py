"""Statistical year on real report snippets: title, period, statements, signature, masks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.dates import find_year


def test_title_beats_the_next_years_publication_date() -> None:
    text = ("信丰县教育局2014年政府信息公开工作年度报告\n\n发布时间：2015-03-09　　来源：县教育局\n\n"
            "　　2015年，我局将重点做好以下几点。\n\n信丰县教育局\n2015年3月6日\n")
    assert find_year(text) == (2014, [])


def test_year_first_title() -> None:
    assert find_year("2017年湘桥区教育局政府信息公开年报\n\n2017-12-31 00:00  稿件作者:\n")[0] == 2017


def test_title_given_separately() -> None:
    title = "涿州市自然资源和规划局2024年政府信息公开工作年度报告_涿州市人民政府"
    year, _ = find_year("本报告依据条例编制。", title=title)
    assert year == 2024


def test_statistical_period() -> None:
    text = "本报告根据《中华人民共和国政府信息公开条例》和省、市有关要求编制，统计期限为2016年1月1日至12月31日。"
    assert find_year(text) == (2016, [])


def test_statement_opening_with_the_year() -> None:
    text = "　　一、概述\n　　2015年，省教育厅以贯彻落实国务院办公厅《2015年政府信息公开工作要点》为重点。\n"
    assert find_year(text)[0] == 2015


def test_signature_in_january_covers_the_year_before() -> None:
    text = ("六、存在的主要问题和改进情况\n在以后工作中，我局将继续认真落实上级信息公开工作要求。\n"
            "根河市教育体育局\n2019年1月10日")
    assert find_year(text) == (2018, ["year_from_signature"])


def test_signature_in_december_covers_its_own_year() -> None:
    text = "继续抓好以点带面工作。\n\n潮州市湘桥区教育局\n2017年12月31日\n"
    assert find_year(text) == (2017, ["year_from_signature"])


def test_english_statement() -> None:
    text = ("Annual report of Shangqiu Education Bureau\n2011 our bureau conscientiously implements the spirit "
            "of the regulations on the disclosure of government information.")
    assert find_year(text, language="en")[0] == 2011


def test_english_title() -> None:
    text = ("Annual Report on Government Information Disclosure of Li County Education Bureau for 2022\n\n"
            "Li County Education Bureau\nJanuary 16, 2023\n")
    assert find_year(text, language="en") == (2022, [])


def test_masked_year_inferred_from_plans_and_document_numbers() -> None:
    text = """XX市交通运输局201@年政府信息公开工作年度报告

本报告所列数据统计期限为201@年1月1日至201@年12月31日。
201@年，我局认真贯彻国务院办公厅《2017年政务公开工作要点》，制定了《XX市交通运输局政务公开工作实施方案》（XX交〔2017〕58号）。
2018年，我局将制定“双公示”信息报送规范。

XX市交通运输局
201@年1月26日
"""
    year, flags = find_year(text)
    assert year == 2017
    assert {"year_masked", "year_inferred"} <= set(flags)


def test_masked_year_in_english() -> None:
    text = ("Summary 2:\n\nIn 201@, the Municipal Education Bureau followed the relevant arrangements, closely "
            "focusing on the spirit of \"Key Points of Government Affairs Disclosure\" "
            "(Huang Zhengban [2016] No. 10).\n"
            "3. Work plan for 2017\n\nIn 2017, our bureau will study, publicize and implement the spirit.")
    year, flags = find_year(text, language="en")
    assert year == 2016
    assert "year_inferred" in flags


def test_masked_year_is_never_read_and_evidence_outside_its_decade_is_ignored() -> None:
    text = "XX县教育局201@年政府信息公开工作年度报告\n201@年，我局认真落实。\n2021年，我局将扩大公开范围。"
    assert find_year(text) == (None, ["year_masked"])


def test_chinese_numeral_year() -> None:
    text = ("宜昌市人力资源和社会保障局二〇一四年政府信息公开工作年度报告\n\n　　二〇一五年，我局将扩大公开范围。\n\n"
            "宜昌市人力资源和社会保障局\n二〇一五年三月十日\n")
    assert find_year(text)[0] == 2014
    assert find_year("二〇一四年，我局按照市政府的总体部署推进公开。")[0] == 2014
    assert find_year("宜昌市人力资源和社会保障局\n二〇一五年三月十日\n") == (2014, ["year_from_signature"])


def test_split_digits_before_nian() -> None:
    assert find_year("霍山县自然资源和规划局20 1 9年政府信息公开工作年度报告\n")[0] == 2019


def test_related_articles_and_metadata_are_not_read() -> None:
    text = """首页 | 政务公开
索引号：K13020104/2024-00007　　发布机构：鄞州区民政局
成文日期：2024-01-18　　发布日期：2024-01-19 15:42　　浏览次数：1286

2023年，我局主动公开政府信息。

六、其他需要报告的事项
本年度未收取信息处理费。

相关文章
· 鄞州区民政局2022年政府信息公开工作年度报告　2023-01-17
· 鄞州区民政局2021年政府信息公开工作年度报告　2022-01-20
· 鄞州区民政局2020年政府信息公开工作年度报告　2021-01-22
"""
    assert find_year(text)[0] == 2023


def test_work_summary_title_is_not_the_report_title() -> None:
    text = ("庄河市水务局2020年工作总结和2021年工作计划\n\n　　2020年，市水务局在市委、市政府的领导下推进工作。\n\n"
            "庄河市水务局2020年政府信息公开工作年度报告\n\n　　报告统计期限为2020年1月1日至2020年12月31日。\n")
    assert find_year(text) == (2020, [])


def test_nothing_to_find() -> None:
    assert find_year("") == (None, [])


@given(st.integers(min_value=2008, max_value=2040))
def test_any_title_year(year: int) -> None:
    text = f"信丰县教育局{year}年政府信息公开工作年度报告\n\n信丰县教育局\n{year + 1}年3月6日\n"
    assert find_year(text) == (year, [])


@pytest.mark.parametrize(("month", "expected_offset"), [(1, -1), (3, -1), (6, -1), (11, 0), (12, 0)])
def test_signature_month_rule(month: int, expected_offset: int) -> None:
    year, _ = find_year(f"本年度未收取信息处理费。\n\n某某局\n2020年{month}月15日\n")
    assert year == 2020 + expected_offset


@pytest.mark.parametrize(("title", "year"), [
    ("北京市朝阳区三里屯街道办事处2O19年政府信息公开工作年度报告", 2019),
    ("攸县教育局二O一九年政府信息公开工作年度报告", 2019),
    ("攸县教育局二0二0年政府信息公开工作年度报告", 2020),
])
def test_years_typed_with_a_letter_o_or_a_zero(title: str, year: int) -> None:
    assert find_year(f"{title}\n", title=title)[0] == year


@pytest.mark.parametrize("title", [
    "Annual Report of the People's Government of Wuyuan County on Government Information Disclosure in 2017",
    "Annual Report on Government Information Disclosure of the Education Bureau of Xishuangbanna (2017)",
    "Annual Report on Government Information Disclosure for the Year 2017 of Wuhu Municipal Education Bureau",
])
def test_english_title_years(title: str) -> None:
    assert find_year(f"{title}\n\nWuhu Municipal Education Bureau\nJanuary 16, 2019\n", language="en") == (2017, [])


def test_publication_date_in_the_first_half_year_gives_the_year_before_and_is_flagged() -> None:
    text = "瑞安市司法局政府信息公开工作年度报告\n发布日期：2021-02-03\n　　一、主动公开情况\n　　全年公开信息128条。\n"
    assert find_year(text) == (2020, ["year_from_publication_date", "year_inferred"])


def test_publication_date_later_in_the_year_says_nothing() -> None:
    text = "瑞安市司法局政府信息公开工作年度报告\n发布日期：2021-10-03\n　　全年主动公开信息128条。\n"
    assert find_year(text) == (None, [])


def test_statement_beats_the_publication_date() -> None:
    text = "瑞安市司法局政府信息公开工作年度报告\n发布日期：2021-02-03\n　　2019年，我局主动公开信息128条。\n"
    assert find_year(text)[0] == 2019
