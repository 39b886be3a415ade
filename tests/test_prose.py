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


# --- how real pages write their counts ---------------------------------------------------------

def test_thousands_separators_do_not_split_a_clause():
    values, channels, _ = headlines(
        "二、主动公开政府信息情况\n全年主动公开政府信息6,836条。其中，通过“无锡公安”门户网站发布各类信息2,310条；"
        "通过“平安无锡”政务微博发布信息4,526条，粉丝数达86万。")
    assert values == {"proactive_total": 6836}
    assert channels == {"website": 2310, "weibo": 4526}


def test_fullwidth_comma_as_thousands_separator_and_split_digits():
    values, channels, _ = headlines(
        "（一）主动公开情况。全年主动公开政府信息1，324条。其中，都昌县人民政府门户网站发布1，102条，"
        "“都昌水利”微信公众号发布2 2 2条。\n（二）依申请公开情况。全年收到依申请公开1 3件，均在法定期限内答复。")
    assert values == {"proactive_total": 1324, "applications_received": 13}
    assert channels == {"website": 1102, "wechat": 222}


def test_wan_counts_and_approximation_words():
    values, channels, facts = headlines(
        "（一）主动公开。全县主动公开政府信息1.86万条，其中县政府门户网站发布1.32万条，“射阳发布”微信公众号发布"
        "4,100余条，政务微博发布1,300余条。举办新闻发布会逾20场。县政务服务热线12345受理群众诉求11.6万件。")
    assert values == {"proactive_total": 18600}
    assert channels == {"website": 13200, "wechat": 4100, "weibo": 1300, "press_conference": 20}
    press = next(f for f in facts if f.headline and f.dimension == "press_conference")
    assert press.qualifier == "more_than"


def test_nearly_about_and_over_take_the_stated_number():
    values, channels, _ = headlines(
        "二、主动公开政府信息情况\n全年主动公开信息近600条，其中门户网站公开约420条，“兰陵卫生”微信发布超过150条。\n"
        "三、依申请公开政府信息情况\n受理信息公开申请5件，均已办结。接受群众电话咨询超过1000人次。")
    assert values == {"proactive_total": 600, "applications_received": 5, "consultations": 1000}
    assert channels == {"website": 420, "wechat": 150}


def test_pinyin_fragments_of_a_mirror_page():
    values, channels, _ = headlines(
        "2016年，全县共主动gong开zheng府信息16,823条。其中，县zheng府门户网站发布12,456条，"
        "“灵璧发布”微信公众号发布3,102条。\n全县共受理zheng府xin息公开申请68件，均已按时答复。")
    assert values == {"proactive_total": 16823, "applications_received": 68}
    assert channels == {"website": 12456, "wechat": 3102}


# --- channels -----------------------------------------------------------------------------------

def test_channels_listed_with_enumeration_commas():
    values, channels, _ = headlines("（一）主动公开。全年共主动公开政府信息408条，其中门户网站96条、微信公众号312条。"
                                    "镇村两级公开栏张贴公示公告54期。")
    assert values == {"proactive_total": 408}
    assert channels == {"website": 96, "wechat": 312}  # 54期 counts issues, not items


def test_channels_paired_with_counts_by_fenbie():
    values, channels, _ = headlines(
        "（一）主动公开。全年主动公开政府信息2,019条，通过大理市人民政府门户网站、“大理文旅”微信公众号、抖音号"
        "分别发布信息568条、1,236条、215条。")
    assert values == {"proactive_total": 2019}
    assert channels == {"website": 568, "wechat": 1236, "douyin": 215}


def test_fenbie_keeps_the_place_of_a_name_that_is_no_channel():
    _, channels, _ = headlines("通过局长信箱、门户网站分别发布信息12条、56条。")
    assert channels == {"website": 56}
    _, channels, _ = headlines("通过门户网站、微信公众号、局长信箱分别发布信息56条、12条。")
    assert channels == {}  # three names, two counts: no pairing


def test_new_platforms_toutiao_and_unkeyed_video_accounts():
    _, channels, _ = headlines(
        "（一）主动公开。2023年主动公开政府信息9,865条。其中，门户网站发布5,312条，抖音号发布视频386条，"
        "今日头条号发布353条，“湖滨发布”视频号发布短视频56条。")
    assert channels == {"website": 5312, "douyin": 386, "other": 353}


def test_district_site_named_zhengfu_zaixian_and_access_points():
    _, channels, _ = headlines("全年主动公开政府信息512条，其中南山区政府在线粤海街道专栏328条。")
    assert channels == {"website": 328}
    _, channels, _ = headlines("全年主动公开政府信息计356条，其中在昆山市政府信息公开网站公开296条，"
                               "通过镇便民服务中心、档案室等查阅点提供纸质信息60条。")
    assert channels == {"website": 296, "public_access_point": 60}


def test_a_hotline_or_service_count_is_not_a_channel():
    _, channels, _ = headlines(
        "（一）主动公开。全年主动公开政府信息9,865条，其中门户网站发布5,312条。"
        "12369环保举报热线受理群众投诉举报6,532件，办结率100%。县政务服务热线12345受理群众诉求11.6万件。")
    assert channels == {"website": 5312}


def test_information_described_with_a_service_word_still_counts():
    # 审批 describes what was published; the count is of 信息. Two website counts and no sum: no value.
    _, channels, facts = headlines(
        "二、主动公开政府信息情况\n全年在区政府网站公开环境信息156条，在局网站公开环保动态、环评审批公示等信息432条。")
    assert sorted(f.value for f in facts if f.metric == "channel") == [156, 432]
    assert channels == {}


def test_interpretations_and_attendance_are_not_channel_counts():
    _, channels, _ = headlines(
        "（一）主动公开。市政府举办新闻发布会128场，市领导出席发布会32场次。在门户网站发布政策解读45篇。")
    assert channels == {"press_conference": 128}


# --- the proactive total ------------------------------------------------------------------------

def test_cumulative_total_since_the_regulation_is_not_the_years():
    values, _, _ = headlines(
        "（一）公开数量。截至2009年12月31日，县政府办公室累计主动公开政府信息3,456条，"
        "其中2009年主动公开政府信息1,287条。")
    assert values == {"proactive_total": 1287}
    values, _, _ = headlines("2016年，我局认真落实区政府关于政务公开工作的部署，近三年累计公开政府信息1,024条。")
    assert values == {}


def test_year_on_year_differences_are_not_counts():
    values, channels, _ = headlines(
        "二、主动公开政府信息情况\n全年主动公开政府信息365条，比上年增加86条，增长30.8%。"
        "其中门户网站公开298条（比上年多52条），“西城民政”微信公众号发布67条。")
    assert values == {"proactive_total": 365}
    assert channels == {"website": 298, "wechat": 67}


def test_a_portal_share_is_not_the_total_when_another_channel_has_a_count():
    values, channels, _ = headlines(
        "二、主动公开政府信息情况\n2017年，我局在青秀区政府门户网站主动公开各类信息共计685条，"
        "在“青秀住建”微信公众号发布信息213条。")
    assert "proactive_total" not in values
    assert channels == {"website": 685, "wechat": 213}
    values, _, _ = headlines("全年通过三台县政府信息公开网站主动公开财政信息218条。")
    assert values == {"proactive_total": 218}


# --- applications -------------------------------------------------------------------------------

def test_applications_written_as_yishenqing_gongkai():
    for raw, expected in (("全年受理依申請公開8件，均已在法定期限內答復。", 8),
                          ("本年度，我县各级行政机关共受理依申请公开政府信息142件。", 142),
                          ("全年受理依申请公开事项三件，均在规定期限内予以答复。", 3),
                          ("（二）依申请公开情况。本年度收到依申请公开0件。", 0),
                          ("全年受理公民、法人和其他组织提出的政府信息公开申请86件，已全部答复。", 86)):
        values, _, _ = headlines(raw)
        assert values.get("applications_received") == expected, raw


def test_applications_given_as_a_labelled_figure():
    assert headlines("（二）依申请公开\n本年度收到政府信息公开申请数为0。")[0] == {"applications_received": 0}
    assert headlines("主要数据如下：\n政府信息公开申请数：6件；")[0] == {"applications_received": 6}
    assert headlines("（二）依申请公开。全年依申请公开件数为0件。")[0] == {"applications_received": 0}
    assert headlines("（二）依申请公开。全年办结申请数：5件。")[0] == {}


def test_other_kinds_of_applications_are_not_disclosure_requests():
    values, _, _ = headlines(
        "一、概述\n2012年，市公安局把警务公开作为政府信息公开工作的重要内容。全年受理户籍、出入境、交管等行政许可申请"
        "38.6万件。全年受理建设项目环评审批申请86件。\n三、依申请公开政府信息情况\n"
        "本年度我局未收到公民、法人或其他组织的政府信息公开申请，也未接到相关咨询。")
    assert values == {"applications_received": 0, "consultations": 0}


def test_carried_over_applications_inside_the_count_are_subtracted():
    values, _, facts = headlines("（二）依申请公开。全年共受理政府信息公开申请48件（含上年结转3件），"
                                 "办结46件，结转下年度2件。")
    assert values == {"applications_received": 45}
    assert "carried_over_subtracted" in next(f for f in facts if f.headline).flags


def test_the_offices_own_figure_wins_over_the_districts():
    values, _, _ = headlines(
        "（二）依申请公开。2024年，全区共收到政府信息公开申请1,026件，其中区政府办公室（本机关）新收政府信息公开申请"
        "38件，上年结转2件。")
    assert values == {"applications_received": 38}


# --- reconsiderations and lawsuits --------------------------------------------------------------

def test_the_bureau_as_reconsideration_body_is_not_its_own_appeals():
    values, _, _ = headlines(
        "一、总体情况\n2020年，区司法局在做好政务公开工作的同时，作为区政府行政复议机构，全年共办理行政复议案件236件，"
        "审结221件。全区法律援助中心受理法律援助咨询5,600余人次，12348公共法律服务热线接听咨询电话1.3万个。\n"
        "（五）监督保障情况。本机关未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。")
    assert values == {"reconsideration": 0, "litigation": 0}


def test_appeals_stated_together():
    for raw, expected in (("（五）监督保障。行政复议、行政诉讼均为0件。", (0, 0)),
                          ("四、因政府信息公开申请行政复议、提起行政诉讼情况\n行政复议和行政诉讼：无。", (0, 0)),
                          ("（五）监督保障情况。本年度行政复议、行政诉讼数均为零。", (0, 0)),
                          ("（五）监督保障。未发生因政府信息公开引发的行政复议和行政诉讼，"
                           "实现“零复议、零诉讼”。", (0, 0)),
                          ("（五）监督保障。行政复议0件，行政诉讼0件。", (0, 0)),
                          ("四、行政复议、行政诉讼情况\n全年政府信息公开行政复议、行政诉讼各1件。", (1, 1)),
                          ("四、行政复议、行政诉讼情况\n因政府信息公开申请行政复议和提起行政诉讼"
                           "分别为2件和1件。", (2, 1))):
        values, _, _ = headlines(raw)
        assert (values.get("reconsideration"), values.get("litigation")) == expected, raw


def test_zero_lost_or_corrected_is_not_zero_cases():
    values, _, _ = headlines(
        "（五）监督保障。全年全市政府信息公开行政复议案件45件、行政诉讼案件32件，"
        "连续三年实现政府信息公开行政诉讼“零败诉”。")
    assert values == {"reconsideration": 45, "litigation": 32}
    assert headlines("四、行政复议、行政诉讼情况\n未出现行政复议被纠错和行政诉讼败诉的情况。")[0] == {}


def test_lawsuits_with_the_after_reconsideration_part_in_brackets():
    values, _, _ = headlines("（五）监督保障。全年涉及政府信息公开的行政复议18件，行政诉讼7件（其中复议后起诉2件）。")
    assert values == {"reconsideration": 18, "litigation": 7}


# --- consultations ------------------------------------------------------------------------------

def test_service_consultations_are_not_disclosure_consultations():
    values, _, _ = headlines(
        "一、概述\n2016年，12328交通运输服务监督热线全年受理咨询、投诉18.6万件。组织农技人员开展农业技术咨询服务"
        "1,200余人次。\n（一）主动公开。通过“局长信箱”答复群众咨询457件。")
    assert values == {"consultations": 457}


def test_separate_consultation_counts_without_a_total_give_no_value():
    values, _, _ = headlines("三、依申请公开政府信息情况\n全市各级政府信息公开查阅场所接受公众现场咨询1.2万人次，"
                             "电话咨询8,600余人次。")
    assert "consultations" not in values


# --- English translations -----------------------------------------------------------------------

def test_english_on_its_own_initiative_and_plural_appeals():
    values, channels, _ = headlines(
        "II. Proactive Disclosure of Government Information\nIn 2016, the bureau released a total of 1,036 items of "
        "government information on its own initiative, including 812 items on the county government portal, 164 items "
        "via the \"Fengxiang Health\" WeChat account and 60 items on bulletin boards at township health centers.\n"
        "IV. Administrative Reconsideration and Litigation\nThere were no administrative reconsiderations or lawsuits "
        "concerning information disclosure in 2016.")
    assert values == {"proactive_total": 1036, "reconsideration": 0, "litigation": 0}
    assert channels == {"website": 812, "wechat": 164, "bulletin_board": 60}


def test_english_breakdown_sentences_and_press_conferences():
    values, channels, _ = headlines(
        "I. General Situation\n(1) Proactive disclosure. In 2023, the Commission proactively published 2,318 pieces of "
        "government information. Of these, 1,652 were posted on the Commission's website, 521 were pushed through the "
        "\"Healthy Xiamen\" WeChat official account, and 145 were released on its Weibo account. The Commission held 9 "
        "press conferences on medical insurance. The 12345 hotline forwarded 35,600 calls to the Commission.")
    assert values == {"proactive_total": 2318}
    assert channels == {"website": 1652, "wechat": 521, "weibo": 145, "press_conference": 9}


def test_english_literal_translation_under_a_numbered_heading():
    values, channels, _ = headlines(
        "2. The situation of voluntary disclosure of government information\nIn 2018, the office issued 3,562 "
        "government information, including 2,856 through the government portal website, 512 through the "
        "\"Ruijin Release\" WeChat public account and 194 through the government affairs Weibo.")
    assert values == {"proactive_total": 3562}
    assert channels == {"website": 2856, "wechat": 512, "weibo": 194}


def test_english_passive_voice():
    values, channels, _ = headlines(
        "I. General Situation\nIn 2019, a total of 5,632 pieces of government information were proactively disclosed "
        "by the Bureau, of which 4,905 pieces were published on the Bureau's website and 727 pieces on its WeChat "
        "account.\nIn terms of disclosure upon application, 23 applications were received during the year.\n"
        "No application for administrative reconsideration was filed and no administrative lawsuit was brought.")
    assert values == {"proactive_total": 5632, "applications_received": 23, "reconsideration": 0, "litigation": 0}
    assert channels == {"website": 4905, "wechat": 727}


# --- numbers and sections the rules above rely on ----------------------------------------------

def test_parse_number_forms():
    from etl.numbers import parse_number

    assert parse_number("1,234") == 1234
    assert parse_number("1.86万") == 18600
    assert parse_number("46.8万") == 468000
    assert parse_number("两千") == 2000
    assert parse_number("一百零八") == 108


def test_a_number_is_never_read_from_the_middle_of_another():
    import re

    from etl.numbers import NUMBER

    assert [m.group() for m in re.finditer(rf"{NUMBER}(?=件)", "热线受理群众诉求11.6万件，咨询电话1.3万件")] == [
        "11.6万", "1.3万"]


def test_sub_headings_of_the_overview_give_their_kind():
    from etl.sections import section_at, subsection_kind

    text = "一、总体情况\n（一）主动公开。全年1条。\n（二）依申请公开。收到2件。\n（五）监督保障\n无复议。"
    sections = split_sections(text)
    offsets = [text.index(w) for w in ("全年", "收到", "无复议")]
    kinds = [subsection_kind(text, section_at(sections, o), o) for o in offsets]
    assert kinds == ["proactive", "applications", "supervision"]


def test_english_sections_numbered_with_arabic_digits_and_long_titles():
    text = ("Report\n\n1. General situation\nText.\n2. The situation of voluntary disclosure of government "
            "information\nText.\n3. The situation of government information disclosure by application\nText.")
    assert [s.kind for s in split_sections(text)] == ["preamble", "overview", "proactive", "applications"]


def test_the_proactive_part_of_a_broader_count_is_the_total():
    values, _, _ = headlines("2009年，我局共公开政府信息1,056条，其中主动公开1,050条，依申请公开6条。")
    assert values == {"proactive_total": 1050}
    values, _, _ = headlines("2014年，市政府办公室全年累计发布各类信息3,562条，其中主动公开政府信息2,314条。")
    assert values == {"proactive_total": 2314}
    values, _, _ = headlines("全年主动公开政府信息2,000条，其中主动公开财政信息200条。")
    assert values == {"proactive_total": 2000}


def test_government_new_media_is_no_single_channel():
    _, channels, _ = headlines("（一）主动公开。我委主动公开政府信息1,560条，其中门户网站发布信息986条，"
                               "政务新媒体发布574条。")
    assert channels == {"website": 986}


def test_a_number_glued_to_a_letter_is_not_read():
    values, _, _ = headlines("全县主动公开政府信息l,234条。")
    assert values == {}


def test_space_separated_table_row_is_not_prose():
    # dev 007: the row label "无正当理由大量反复申请" must not read as "no applications"
    values, _, _ = headlines("三、收到和处理政府信息公开申请情况\n4.无正当理由大量反复申请 0 0 0 0 0 0 0\n")
    assert "applications_received" not in values


def test_portal_count_beside_another_portal_count_is_not_a_total():
    # seed 004: 20 items on the portal, 102 submitted to the portal: no single proactive total
    values, _, _ = headlines("二、主动公开的政府信息情况\n"
                             "2018年全年在根河政务网站主动发布的政务信息20条，发布政策解读3条，向根河政务网站报送信息102条。")
    assert "proactive_total" not in values
