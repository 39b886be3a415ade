"""Prose numbers and headline choice on real sentences of the genre (Chinese and English)."""

from etl.headlines import choose_headlines
from etl.model import Fact
from etl.normalize import normalize
from etl.prose import extract_prose
from etl.sections import report_start, split_sections


def headlines(raw: str) -> tuple[dict, dict, list[Fact]]:
    norm = normalize(raw)
    start = report_start(norm.text)
    facts = extract_prose(norm.text, split_sections(norm.text, start), norm.language, start)
    added, _issues, _flags = choose_headlines(facts, [])
    facts += added
    values = {f.metric: f.value for f in facts if f.headline and f.metric != "channel"}
    channels: dict[str, float] = {}
    for f in facts:
        if f.headline and f.metric == "channel":
            channels[f.dimension] = channels.get(f.dimension, 0) + f.value
    return values, channels, facts


def test_total_categories_and_channels():
    # dev 001
    values, channels, facts = headlines(
        "二、主动公开政府信息情况\n（一）公开数量。全年共主动公开政府信息86条。按内容分，机构职能类5条，规范性文件4条，"
        "教育工作动态49条，招生考试类17条，财政资金及收费类11条。\n（二）公开渠道。一是县政府门户网站教育局子栏目，"
        "全年发布62条，是我局公开信息的主要平台；二是局机关和各中小学的校务公开栏，张贴收费标准等信息24条。")
    assert values["proactive_total"] == 86
    assert channels == {"website": 62, "bulletin_board": 24}
    categories = {f.dimension: f.value for f in facts if f.metric == "proactive_category"}
    assert categories["机构职能类"] == 5 and sum(categories.values()) == 86
    total = next(f for f in facts if f.headline and f.metric == "proactive_total")
    assert total.evidence == "（一）公开数量。全年共主动公开政府信息86条。"[8:]


def test_sum_after_channels_wins_over_a_channel_clause():
    # dev 025 (after normalization): the portal clause also says 主动公开, the 合计 is the total
    values, channels, _ = headlines(
        "二、主动公开政府信息情况\n2018年全年在集安市人民政府网站主动公开政府信息58条，通过“集安民政”微信公众号发布16条，合计74条。")
    assert values["proactive_total"] == 74
    assert channels == {"website": 58, "wechat": 16}


def test_a_count_inherits_the_channel_named_in_the_clause_before():
    # dev 009
    _, channels, _ = headlines(
        "（二）公开形式。牡丹江教育网和市政府门户网站是主渠道，全年发布信息298条；同时借助《牡丹江日报》、"
        "牡丹江电视台等新闻媒体发布招生考试和重大教育政策信息58条。")
    assert channels == {"website": 298, "media": 58}


def test_two_channels_in_one_clause_give_no_channel():
    # dev 019: a count after a clause naming both the portal and WeChat belongs to neither
    _, channels, _ = headlines(
        "疫情初期每日通过县政府门户网站和“健康安吉”微信公众号发布疫情通报，全年发布疫情防控类信息138条。"
        "全年主动公开政府信息472条，其中门户网站298条，微信公众号174条。")
    assert channels == {"website": 298, "wechat": 174}


def test_stated_none_is_zero_not_missing():
    values, _, facts = headlines(
        "三、依申请公开信息的情况\n2010年，我局没有收到关于信息公开的申请。\n"
        "四、因政府信息公开申请行政复议、提起行政诉讼情况\n本年度未发生此类情况。\n"
        "五、关注群众呼声\n共回复市、区网站网友投诉、咨询30余件,回复率100%。")
    assert values == {"applications_received": 0, "reconsideration": 0, "litigation": 0, "consultations": 30}
    consultation = next(f for f in facts if f.headline and f.metric == "consultations")
    assert consultation.qualifier == "more_than"


def test_applicant_who_appealed_is_one_reconsideration():
    # dev 006
    values, _, _ = headlines("四、行政复议和行政诉讼情况\n2018年，1名申请人对上述不予公开答复不服，"
                             "向区人民政府申请行政复议，区政府作出维持决定。未发生行政诉讼。")
    assert values["reconsideration"] == 1 and values["litigation"] == 0


def test_chinese_numerals_and_approximations():
    # dev 031
    values, channels, facts = headlines(
        "全年主动公开各类政府信息两千余条。其中，通过宜昌市人力资源和社会保障局门户网站公开一千八百余条，"
        "通过“宜昌人社”政务微博发布近百条。全年受理政府信息公开申请三十余件。全年因政府信息公开被申请行政复议一件。")
    assert values["proactive_total"] == 2000
    assert channels == {"website": 1800, "weibo": 100}
    assert values["applications_received"] == 30 and values["reconsideration"] == 1
    weibo = next(f for f in facts if f.headline and f.dimension == "weibo")
    assert weibo.qualifier == "nearly"


def test_old_statistics_table_rows():
    # dev 022: the 2008-2018 national statistics table, 政府公报 counted as "other"
    _, channels, _ = headlines(
        "| （一）主动公开政府信息数 | 条 | 1538 |\n| 1.政府公报公开政府信息数 | 条 | 37 |\n"
        "| 2.政府网站公开政府信息数 | 条 | 1102 |\n| 3.政务微博公开政府信息数 | 条 | 131 |\n"
        "| 4.政务微信公开政府信息数 | 条 | 268 |")
    assert channels == {"other": 37, "website": 1102, "weibo": 131, "wechat": 268}


def test_english_translation():
    # seed 000
    values, channels, facts = headlines(
        "20 1 1, our bureau voluntarily disclosed 685 pieces of government information. Among them, there are 18 "
        "information on institutional functions, 4 14 information on policies, regulations and normative documents, "
        "and 243 other information. Of the 685 pieces of government information voluntarily disclosed by our bureau, "
        "260 pieces were made public through websites, 400 pieces were made public through newspapers, radio, "
        "television and other media, and 25 pieces were made public through government information public access "
        "places.")
    assert values == {"proactive_total": 685}
    assert channels == {"website": 260, "media": 400, "public_access_point": 25}
    garbled = next(f for f in facts if f.metric == "proactive_category" and f.value == 414)
    assert garbled.raw == "414"


def test_conflicting_totals_give_no_value():
    values, _, _ = headlines("全年主动公开政府信息120条。全年主动公开政府信息135条。")
    assert "proactive_total" not in values
