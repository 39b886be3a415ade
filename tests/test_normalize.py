"""Normalization on real snippets of the genre's traps."""

from etl.normalize import normalize, rejoin_split_digits, strip_pinyin, to_halfwidth

# seed 004: traditional characters with pinyin glued after many of them
GENHE = ("為深入落實(shí)黨中央、國務(wù)院,自治區(qū)和呼倫貝爾市黨委政府"
         "關(guān)于全面推進(jìn)政務(wù)公開工作的系列部署,"
         "取得了明顯的效果?,F(xiàn)將2018年政府信息公開工作年度報(bào)告如下:\n"
         "2018年沒有出現(xiàn)依申請(qǐng)公開的政府信息工作。")


def test_pinyin_glosses_and_traditional_characters_are_removed():
    result = normalize(GENHE)
    assert result.text.startswith("为深入落实党中央、国务院,自治区和呼伦贝尔市党委政府关于全面推进政务公开工作")
    assert "(" not in result.text and "?" not in result.text
    assert "2018年没有出现依申请公开的政府信息工作。" in result.text
    assert {"pinyin_glosses_removed", "traditional_converted"} <= set(result.flags)


def test_strip_pinyin_keeps_ordinary_brackets():
    text, changed = strip_pinyin("(一)加强组织领导 (a) problems 落實(shí)")
    assert text == "(一)加强组织领导 (a) problems 落實"
    assert changed


def test_simplified_text_is_left_alone():
    text = "全年主动公开政府信息86条。"
    result = normalize(text)
    assert result.text == text
    assert result.flags == []


def test_split_digits_are_rejoined_and_remembered():
    # seed 000 and dev 030
    text, spans = rejoin_split_digits(
        "20 1 1, our bureau voluntarily disclosed 685 pieces. 4 14 information on policies")
    assert text == "2011, our bureau voluntarily disclosed 685 pieces. 414 information on policies"
    assert [text[s:e] for s, e in spans] == ["2011", "414"]
    text, _ = rejoin_split_digits("统计期限为20 1 9年1月1日至20 1 9年1 2月3 1日。全年主动公开政府信息 1 8 3 条")
    assert text == "统计期限为2019年1月1日至2019年12月31日。全年主动公开政府信息 183 条"


def test_table_rows_keep_their_separate_cells():
    row = "一、本年新收政府信息公开申请数量 15 2 0 0 0 0 17"
    assert rejoin_split_digits(row)[0] == row
    assert rejoin_split_digits("| 行政许可 | 1 2 | -1 | 2 1 5 |")[0] == "| 行政许可 | 1 2 | -1 | 2 1 5 |"


def test_fullwidth_digits_become_ascii_but_chinese_punctuation_stays():
    assert to_halfwidth("全年主动公开政府信息１３４条（含）") == "全年主动公开政府信息134条（含）"


def test_page_junk_and_duplicate_paste_are_dropped():
    # seed 001: "12全文查看" spliced into a sentence, and the whole report pasted twice
    body = "\n".join([
        "2010年我局在区委、区政府和市教育局的正确领导下,全面深入地做好全系统的信息公开工作。",
        "一、总体情况概述",
        "我局把政府信息公开工作作为转变政府职能的一项重要举措,科学制定工作规划,建立完善制度办法。",
        "共回复市、区网站网友投诉、咨询30余件,回复率100%。",
    ])
    raw = body + "\n12全文查看" + body + "\n延伸阅读\n2011年区教育局工作总结\n2012年区教育局工作总结"
    result = normalize(raw)
    assert result.text.count("共回复市、区网站网友投诉、咨询30余件") == 1
    assert "全文查看" not in result.text and "2012年区教育局工作总结" not in result.text
    assert "duplicate_paste_removed" in result.flags


def test_count_cut_from_its_unit_by_a_line_break_is_joined():
    result = normalize("共回复市、区网站网友投诉、咨询30余\n\n件,回复率100%。")
    assert "咨询30余件,回复率100%" in result.text


def test_pdf_line_wraps_are_joined_but_tables_are_not():
    lines = [
        "淮安市人民政府 2024 年政府信息公开工作年度报告",
        "（二）依申请公开情况。定期对政府信息公开申请集中的领",
        "域和热点问题进行研判，探索从源头上解决实际问题。着力强化",
        "与申请人的直接沟通，准确了解申请人诉求，提高答复的及时性",
        "和针对性。2024 年，全市共受理政府信息公开申请 3119 件，答",
        "复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度",
        "答复），均在法定期限内予以答复。政府信息公开行政复议 351",
        "件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚",
        "未审结 37 件；政府信息公开行政诉讼 46 件。",
        "二、主动公开政府信息情况",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章 1 0 11",
        "行政规范性文件 8 26 66",
    ]
    text = normalize("\n".join(lines)).text
    assert "全市共受理政府信息公开申请 3119 件，答复 3050 件" in text
    assert "政府信息公开行政复议 351件，其中结果维持 72 件" in text
    assert "\n规章 1 0 11\n行政规范性文件 8 26 66" in text


def test_language_detection():
    assert normalize("Annual report of Shangqiu Education Bureau. 2011 our bureau").language == "en"
    assert normalize("信丰县教育局2014年政府信息公开工作年度报告").language == "zh"


def test_page_of_offset_counts_form_feeds():
    result = normalize("第一页内容\f第二页内容\f第三页")
    assert result.page_of(result.text.index("第二页")) == 2
    assert result.page_of(0) == 1
    assert normalize("没有分页").page_of(0) is None


def test_fullwidth_comma_before_three_digits_and_a_unit_is_a_thousands_separator():
    result = normalize("全年主动公开政府信息１，３２４条，其中网站1，102条，分别为3，4条。")
    assert result.text == "全年主动公开政府信息1,324条，其中网站1,102条，分别为3，4条。"
    assert "fullwidth_thousands_separator" in result.flags


def test_pinyin_fragments_of_key_words_are_read_back():
    result = normalize("亚博体育县人民政府2016年zheng府xin息公开工作年度报告\n全县共主动gong开zheng府信息16,823条，"
                       "受理ZHENG府信息公开shen请68件，主动gongkai政府信息。")
    assert result.text == ("亚博体育县人民政府2016年政府信息公开工作年度报告\n全县共主动公开政府信息16,823条，"
                           "受理政府信息公开申请68件，主动公开政府信息。")
    assert "pinyin_fragments_repaired" in result.flags


def test_romanised_names_in_english_are_not_pinyin_fragments():
    text = "Zheng Fu Road, the Xinxi building and the Gongkai column of Shenqing county."
    assert normalize(text).text == text


def test_letter_o_for_zero_inside_numbers():
    result = normalize("2O19年，全县共收到政府信息公开申请2O件，2OO9年以来。H2O and CO2 stay.")
    assert result.text == "2019年，全县共收到政府信息公开申请20件，2009年以来。H2O and CO2 stay."
    assert "letter_o_as_zero" in result.flags


def test_metadata_line_is_dropped_but_its_publisher_kept():
    # dev 028: the 索引号 line also names the publishing bureau
    text = normalize("索引号：K13020104/2024-00007　　发布机构：鄞州区民政局　　公开方式：主动公开\n一、总体情况").text
    assert text == "发布机构：鄞州区民政局\n一、总体情况"


def test_every_kind_of_page_boilerplate_line_is_dropped_on_its_own():
    # what government sites put around a report, one line at a time (the quick whole-text test must
    # know each of them, or a page with only that one would keep it)
    junk = ["首页 > 政务公开 > 年度报告", "当前位置：首页 > 信息公开", "您的位置：首页", "无障碍 | 长者模式",
            "【字体：大 中 小】", "字体：大 中 小", "索引号：11370100/2024-00012", "浏览次数：1024", "浏览量：36",
            "阅读次数：12", "点击数：7", "访问量：88", "网站标识码：3701000001", "ICP备05012345号",
            "公安备案 37010202000", "备案号：鲁ICP备05012345号", "主办单位：济南市人民政府办公厅",
            "承办单位：济南市大数据局", "技术支持：某某公司", "联系我们 | 网站地图", "版权所有：济南市人民政府",
            "copyright © 2024", "建议使用1920×1080分辨率", "分辨率1024×768以上浏览", "上一页", "下一页",
            "上一篇：2022年度报告", "下一篇：2024年度报告", "【打印本页】", "【关闭窗口】", "分享到：微信",
            "扫一扫在手机打开", "current location - Home", "相关文章", "延伸阅读", "推荐阅读", "热门文章"]
    for line in junk:
        assert normalize(f"一、总体情况\n{line}\n二、主动公开情况").text == "一、总体情况\n二、主动公开情况", line
