"""Tests for the problems stage: section detection, sentence kinds and theme tags."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.model import THEMES
from etl.problems import VOCABULARY, find_problem_section, report_themes, tag_problems, theme_scores


def _section(body: str, heading: str = "五、存在的主要问题及改进情况") -> str:
    return f"四、政府信息公开行政复议、行政诉讼情况\n本年度无。\n\n{heading}\n{body}\n\n六、其他需要报告的事项\n无。\n"


def _problems(text: str) -> list[tuple[str, list[str]]]:
    return [(p.sentence, p.themes) for p in tag_problems(text) if p.kind == "problem"]


# Problem clauses quoted from the seeds and the dev corpus, with the one theme each states.
PROBLEM_CLAUSES = [
    ("公开的内容有待于进一步拓宽完善；", "content_scope"),
    ("个别信息公开的时限滞后；", "timeliness"),
    ("信息公开的长效机制建立不完善；", "mechanism_system"),
    ("信息公开的渠道还不够畅通等。", "channels_platforms"),
    ("1、信息公开的时效性存在进一步提升的空间；", "timeliness"),
    ("2、信息公开日益增多,对政策解读的力度有待进一步提升。", "policy_interpretation"),
    ("（一）政策解读工作相对滞后，解读材料多为文件摘要，缺乏对群众关心问题的回应；", "policy_interpretation"),
    ("各股室信息员都是兼职,对《条例》和保密规定掌握不够,报送的信息质量参差不齐。", "staff_capacity"),
    ("（三）公众参与教育决策的渠道还不够畅通，政策起草阶段公开征求意见的比例不高。", "public_participation"),
    ("一是新旧《条例》衔接中，依申请公开的补正告知、第三方意见征询等程序还不够规范，"
     "厅机关与直属单位之间的转办机制有待完善；", "mechanism_system"),
    ("二是政务新媒体以单向发布为主，留言互动功能未充分开启。", "channels_platforms"),
    ("二是微信公众号关注人数少，网站栏目更新不够及时，信息公开的载体作用发挥不充分。", "channels_platforms"),
    ("（一）老旧小区改造项目进度信息更新滞后，有的项目开工一个多月后才公开；", "timeliness"),
    ("二是部分处罚结果信息未做到7个工作日内公开。", "timeliness"),
    ("二是部分项目招标结果公示内容不完整，缺少中标金额。", "content_quality"),
    ("部分征地公告图件不清晰、缺少文号；", "content_quality"),
    ("二是养老服务、儿童福利等领域的公开内容还比较单薄。", "content_scope"),
    ("二是公众参与的广度不够，重要政策征求意见期间收到的有效意见较少。", "public_participation"),
    ("（三）对州（市）教育部门政务公开工作的考核评价偏重形式，对质量的评估不足。", "supervision_assessment"),
    ("（一）部分规范性文件解读质量不高，存在简单摘抄原文的情况；", "policy_interpretation"),
    ("二是区民政局和镇（街道）民政办从事政务公开工作的人员多为兼职，业务能力有待提升。", "staff_capacity"),
    ("First, the quality of information disclosure needs to be further improved.", "content_quality"),
    ("Second, the content of information disclosure needs to be further enriched, and the staff's "
     "definition of the scope of information disclosure is not very accurate.", "content_scope"),
    ("Third, there is a passive and lagging phenomenon in the basic inspection training of "
     "information disclosure.", "staff_capacity"),
    ("First, some notices on enrollment and recruitment were posted late, only one or two days "
     "before the registration period began.", "timeliness"),
    ("Second, policy interpretation is weak.", "policy_interpretation"),
]


@pytest.mark.parametrize(("clause", "theme"), PROBLEM_CLAUSES)
def test_problem_clause_gets_its_one_theme(clause: str, theme: str) -> None:
    text = _section(clause)
    got = _problems(text)
    assert got == [(clause, [theme])]


def test_seed_001_list_after_colon_splits_into_four_problems() -> None:
    body = ("我局信息公开工作通过努力,虽然取得了一些阶段性的成果,但通过自查,也暴露了一些在信息公开方面"
            "存在的薄弱环节,如:公开的内容有待于进一步拓宽完善;个别信息公开的时限滞后;"
            "信息公开的长效机制建立不完善;信息公开的渠道还不够畅通等。所有这些都是今后加强信息公开工作需要改进的。\n\n"
            "(一)加大对信息公开工作的资金投入,加强信息公开硬件建设,畅通信息公开渠道。\n\n"
            "(二)加强干部队伍素质建设和责任心教育。")
    sents = tag_problems(_section(body, "七、政府信息公开工作存在的主要问题及改进情况"))
    problems = [p for p in sents if p.kind == "problem"]
    assert [p.themes for p in problems] == [
        [], ["content_scope"], ["timeliness"], ["mechanism_system"], ["channels_platforms"]]
    assert [p.kind for p in sents[-3:]] == ["measure"] * 3
    assert report_themes(sents) == ["channels_platforms", "content_scope", "mechanism_system", "timeliness"]


def test_enumeration_after_zhuyao_shi_splits_on_commas() -> None:
    body = ("2018年，教育体育局政府信息公开工作取得了一定的成绩，但对照上级的要求和公众的期望，还存在一些不足的问题，"
            "主要是主动公开的内容还需进一步规范，信息公开的载体和形式还需要进一步丰富。\n"
            "在以后工作中，我局将继续认真落实上级信息公开工作要求，进一步健全信息公开机制，深化主动公开内容。")
    sents = tag_problems(_section(body, "六、存在的主要问题和改进情况"))
    assert [(p.kind, p.themes) for p in sents] == [
        ("problem", []),
        ("problem", ["content_quality"]),
        ("problem", ["channels_platforms"]),
        ("measure", ["mechanism_system"]),
    ]
    assert report_themes(sents) == ["channels_platforms", "content_quality"]


def test_labelled_problem_and_measure_parts() -> None:
    body = ("（一）问题。一是个别公开信息存在错别字、附件无法打开等质量问题；二是公众参与的广度不够，"
            "重要政策征求意见期间收到的有效意见较少。\n"
            "（二）改进。一是实行信息发布“两审一校”，每月对网站内容进行巡检；二是对涉及群众切身利益的政策草案，"
            "同步在网站、微信公众号征求意见，并公开意见采纳情况。")
    sents = tag_problems(_section(body))
    assert [p.kind for p in sents] == ["problem", "problem", "measure", "measure"]
    assert sents[0].sentence == "一是个别公开信息存在错别字、附件无法打开等质量问题；"
    assert report_themes(sents) == ["content_quality", "public_participation"]


def test_plainly_worded_problems_each_followed_by_its_fix() -> None:
    body = (
        "回头看一年的工作，我们感到有四个方面做得不够：\n"
        "第一，低保、临时救助审批名单往往在区里审批会开过一个多月后才挂到网上，群众查询时常常找不到最新结果。"
        "今后审批会议结束后7个工作日内必须挂网，由社会救助科负责跟踪。\n"
        "第二，新调整的救助标准、养老服务补贴办法，我们只把文件原文挂了出去，不少老人和家属打电话说“看不懂”"
        "“不知道自己够不够条件”。明年起凡是涉及群众待遇的文件，都要配一份“明白纸”。\n"
        "第三，各镇（街道）民政办负责公开工作的大多是兼职人员，一年换了好几拨。"
        "我们将为每个镇（街道）固定一名联络员，每半年集中培训一次。\n"
        "第四，区养老服务设施布局规划征求意见时，网上只收到十来条反馈，意见采纳了多少也没有向社会说明。"
        "今后重要规划、政策征求意见时，除网上征集外还要到社区召开座谈会。"
    )
    sents = tag_problems(_section(body, "四、工作中的不足和下一步措施"))
    assert [p.kind for p in sents] == ["problem"] + ["problem", "measure"] * 4
    assert [p.themes for p in sents if p.kind == "problem"] == [
        [], ["timeliness"], ["policy_interpretation"], ["staff_capacity"], ["public_participation"]]


def test_english_section_with_glued_heading_and_measures() -> None:
    text = (
        "Of the 685 pieces, 25 pieces were made public through public access places. (a) problems\n\n"
        "20 1 1 The government information disclosure mainly has the following problems: First, the quality "
        "of information disclosure needs to be further improved. At present, there are many official documents "
        "and less interpretable information; Third, there is a passive and lagging phenomenon in the basic "
        "inspection training of information disclosure.\n\n"
        "(2) Improvement measures\n\n"
        "1. Further deepen the disclosure of government information based on social needs. Strengthen the "
        "construction of portal websites and optimize the columns of government information disclosure."
    )
    span = find_problem_section(text)
    assert span is not None
    assert text[span[0]:].startswith("(a) problems")
    assert text[:span[1]].endswith("government information disclosure.")
    sents = tag_problems(text, span)
    assert [p.kind for p in sents] == ["problem"] * 4 + ["measure"] * 2
    assert sents[-1].themes == ["channels_platforms"]
    assert report_themes(sents) == ["content_quality", "staff_capacity"]


def test_measures_do_not_add_themes() -> None:
    body = ("一是部分信息发布不够及时，个别招生公告在报名开始后才上网。下一步，我局将建立信息发布限时制度；"
            "对照《条例》第二十条逐项梳理栏目，年内完成子栏目调整。")
    sents = tag_problems(_section(body))
    assert [(p.kind, p.themes) for p in sents] == [
        ("problem", ["timeliness"]), ("measure", ["mechanism_system"]), ("measure", ["channels_platforms"])]
    assert report_themes(sents) == ["timeliness"]


def test_shortcoming_without_theme_words_is_other() -> None:
    text = ("2. Existing problems\n\nWe also realize that there are still areas that need to be improved: "
            "First, there is less effective and practical information that people pay attention to, and "
            "there are too many work updates.\n\n3. Work plan for 2017\n\nWe will push the work to a new level.")
    sents = tag_problems(text)
    assert [(p.kind, p.themes) for p in sents] == [("problem", []), ("problem", ["other"]), ("measure", [])]


# ------------------------------------------------------------ section detection

TEMPLATE_EXCERPT = """四、政府信息公开行政复议、行政诉讼情况
| 0 | 0 | 0 | 0 | 0 |

五、存在的主要问题及改进情况

一是部分信息发布不够及时，个别招生公告在报名开始后才上网；二是县政府网站教育局栏目设置沿用多年，与新《条例》规定的主动公开事项对应不够，群众查找不便。下一步，我局将建立信息发布限时制度，明确重要通知至少提前5个工作日公开；对照《条例》第二十条逐项梳理栏目，年内完成子栏目调整。

六、其他需要报告的事项

本年度无其他需要报告的事项。
"""


def test_template_section_ends_before_other_matters() -> None:
    span = find_problem_section(TEMPLATE_EXCERPT)
    assert span is not None
    section = TEMPLATE_EXCERPT[span[0]:span[1]]
    assert section.startswith("五、存在的主要问题及改进情况")
    assert section.endswith("年内完成子栏目调整。")
    assert "六、" not in section
    assert report_themes(tag_problems(TEMPLATE_EXCERPT, span)) == ["channels_platforms", "timeliness"]


FREE_TEXT_EXCERPT = """五、依申请公开情况
全年收到申请2件。

　　六、存在的主要问题和改进措施

　　对照《条例》要求，我局工作还有差距：一是公开内容还不够全面，学校收费、学生资助等信息多停留在结果公布，过程性信息公开偏少；二是部分信息更新滞后，个别栏目长时间无人维护。

　　2015年，我局将重点做好以下几点：一是扩大公开范围，把教育经费使用、学校建设项目等纳入公开目录；二是建立信息发布台账，实行每月一查。

信丰县教育局
2015年3月6日
"""


def test_free_text_section_stops_at_signature() -> None:
    span = find_problem_section(FREE_TEXT_EXCERPT)
    assert span is not None
    section = FREE_TEXT_EXCERPT[span[0]:span[1]]
    assert section.startswith("六、存在的主要问题和改进措施")
    assert section.endswith("实行每月一查。")
    sents = tag_problems(FREE_TEXT_EXCERPT, span)
    assert [p.kind for p in sents] == ["problem"] * 3 + ["measure"] * 3
    assert report_themes(sents) == ["content_scope", "timeliness"]


def test_separate_shortcomings_and_measures_headings_form_one_section() -> None:
    text = ("一、工作开展情况\n全年主动公开341条。\n\n二、存在的不足\n"
            "一是政策解读偏少，群众对签约费用、转诊流程仍有不少疑问；二是局机关负责信息公开的同志身兼数职，业务培训机会少。\n\n"
            "三、改进措施\n（一）坚持政策文件与解读材料同步发布。\n\n四、其他事项\n本年度未收取费用。\n")
    span = find_problem_section(text)
    assert span is not None
    section = text[span[0]:span[1]]
    assert section.startswith("二、存在的不足") and section.endswith("同步发布。")
    sents = tag_problems(text, span)
    assert [p.kind for p in sents] == ["problem", "problem", "measure"]
    assert report_themes(sents) == ["policy_interpretation", "staff_capacity"]


def test_last_report_on_a_page_wins_over_an_earlier_summary() -> None:
    text = ("IV. Main issues in promoting the construction of a law-based government\n\n"
            "1. The construction of law enforcement teams needs to be further strengthened.\n\n"
            "5. Actively improve work and improve the level of legal government construction\n\n"
            "Summary 2:\n\n2. Existing problems\n\nFirst, there is less effective information.\n\n"
            "3. Work plan for 2017\n\nFirst, we will further improve working mechanisms.")
    span = find_problem_section(text)
    assert span is not None
    assert text[span[0]:span[1]].startswith("2. Existing problems")
    assert text[span[0]:span[1]].endswith("working mechanisms.")


def test_fallback_without_heading_takes_the_paragraph_on_shortcomings() -> None:
    text = ("2016年，我局全年主动公开政府信息120条，其中网站公开98条。\n\n"
            "今年的工作取得了一定成效，但也存在一些不足：信息公开的内容还不够全面，部分信息更新不及时。"
            "下一步，我局将进一步扩大公开范围。\n\n某某县教育局\n2017年3月1日\n")
    span = find_problem_section(text)
    assert span is not None
    assert text[span[0]:span[1]] == ("今年的工作取得了一定成效，但也存在一些不足：信息公开的内容还不够全面，"
                                     "部分信息更新不及时。下一步，我局将进一步扩大公开范围。")
    sents = tag_problems(text, span)
    assert [p.kind for p in sents] == ["problem", "problem", "measure"]
    assert sents[1].themes == ["content_scope", "timeliness"]


def test_heading_run_into_its_text_on_one_line() -> None:
    text = ("前言。\n五、存在的主要问题及改进情况 一是部分信息发布不够及时；二是网站栏目设置不合理，群众查找不便。"
            "下一步，我局将建立信息发布限时制度。六、其他需要报告的事项 无。")
    span = find_problem_section(text)
    assert span is not None
    assert text[span[0]:span[1]].endswith("限时制度。")
    assert [(p.kind, p.themes) for p in tag_problems(text, span)] == [
        ("problem", ["timeliness"]), ("problem", ["channels_platforms"]), ("measure", ["mechanism_system"])]


def test_pdf_page_footer_inside_a_sentence_does_not_split_it() -> None:
    text = ("五、存在的主要问题及改进情况\n对照上级新要求和公众新期待，还有一些需要加强和改进的\n- 5 -\f地方。"
            "一是政策解读质量仍需提升，个别单位政策\n解读内容简单、形式单一；二是政务公开队伍建设还需进一步加\n强，"
            "个别单位存在人员配备不足、兼职多、流动性过快的问题。\n六、其他需要报告的事项\n无。")
    sents = tag_problems(text)
    assert sents[0].sentence.endswith("地方。")
    assert [p.themes for p in sents] == [[], ["policy_interpretation"], ["staff_capacity"]]


def test_no_section_gives_nothing() -> None:
    text = "一、总体情况\n全年主动公开政府信息86条。\n二、依申请公开情况\n全年未收到申请。\n"
    assert find_problem_section(text) is None
    assert tag_problems(text) == []


def test_vocabulary_covers_every_theme_but_other() -> None:
    assert set(VOCABULARY) == set(THEMES) - {"other"}
    assert all(langs.get("zh") and langs.get("en") for langs in VOCABULARY.values())


def test_longer_phrase_masks_the_shorter_one_inside_it() -> None:
    scores = theme_scores("依申请公开办理流程不够规范")
    assert set(scores) == {"mechanism_system"}
    assert "content_quality" not in theme_scores("部分规范性文件未按时公开")


# ------------------------------------------------------------ properties

_ALPHABET = st.sampled_from(
    list("一二三五六是的问题不足改进措施情况信息公开政策解读渠道网站人员兼职考核机制滞后及时质量范围征求意见将下步今后")
    + list("，。；：、（）()“”\n\f 　.;:,") + list("abcFirstSecondwillproblemsV1234567890")
)
_PHRASES = st.sampled_from([
    "五、存在的主要问题及改进情况\n", "六、其他需要报告的事项\n", "（一）", "一是", "二是", "改进措施：",
    "(a) problems\n", "V. Main problems and improvements\n", "First, ", "主要是", "2019年1月10日\n",
    "但也存在一些不足：", "下一步，我局将", "\n\n", "\n- 5 -\f", "六、存在的主要问题和改进措施 一是",
])
_TEXTS = st.lists(st.one_of(st.text(_ALPHABET, max_size=30), _PHRASES), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_tag_problems_never_raises_and_offsets_are_in_the_text(text: str) -> None:
    span = find_problem_section(text)
    if span is not None:
        assert 0 <= span[0] < span[1] <= len(text)
    for p in tag_problems(text):
        assert 0 <= p.start < p.end <= len(text)
        assert p.sentence == text[p.start:p.end] == text[p.start:p.end].strip()
        assert p.kind in ("problem", "measure")
        assert set(p.themes) <= set(THEMES)


@settings(max_examples=150, deadline=None)
@given(_TEXTS, st.integers(-5, 400), st.integers(-5, 400))
def test_tag_problems_accepts_any_span(text: str, a: int, b: int) -> None:
    for p in tag_problems(text, (a, b)):
        assert 0 <= p.start < p.end <= len(text)
        assert p.sentence == text[p.start:p.end]
