"""The fast paths of places, problems, normalize and readers_text give what the plain definitions give."""

from __future__ import annotations

import random
import re

from etl import normalize, places, problems, readers_text
from etl.places import Mention

SAMPLES = [
    "",
    "西安市长安区教育局2019年政府信息公开工作年度报告",
    "洛阳市涧西区教育体育局。恩施州、长阳县和广西壮族自治区；内蒙古自治区包头市",
    "县政府召开县长办公会议，城区学校、新城区、市中区\n\n北京市朝阳区\f上海市浦东新区",
    "Problems: the website is not updated in time; we will strengthen training of staff.",
    "信息公开工作存在的问题：一是内容不够全面，二是更新不及时；三是规范性文件解读不到位。",
    "ſcope and the K channel, İnterpretation ı",
    "长沙市浏阳市大瑶镇人民政府\n2017年12月31日\n",
]


def _random_texts(alphabet: str, count: int = 3000, longest: int = 14) -> list[str]:
    rng = random.Random(7)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


# --- places ------------------------------------------------------------------------------------


def _find_places_plain(text: str) -> list[Mention]:
    """The scan as first written: every position, every name length."""
    names = places._index()
    lengths = sorted({len(n) for n in names}, reverse=True)
    out: list[Mention] = []
    i = 0
    while i < len(text):
        for length in lengths:
            piece = text[i:i + length]
            if len(piece) == length and piece in names:
                out.append(Mention(i, i + length, piece, names[piece]))
                i += length
                break
        else:
            i += 1
    return out


def test_find_places_matches_plain_scan() -> None:
    texts = SAMPLES + _random_texts("西安市长区县州恩施广壮族自治北京朝阳新城海门襄樊，、\n", longest=30)
    for text in texts:
        assert places.find_places(text) == _find_places_plain(text), text


def test_name_at_bounds() -> None:
    assert places.name_at("西安市", 0) == Mention(0, 3, "西安市", places.lookup("西安市"))
    assert places.name_at("西安市", 2) is None
    assert places.name_at("西安市", 3) is None
    assert places.name_at("西安市", 10) is None


# --- problems ----------------------------------------------------------------------------------


def _lines_plain(text: str) -> list[problems._Line]:
    return [problems._Line(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n\f]*", text)
            if m.start() < len(text) or m.group()]


def test_problem_lines_match_finditer() -> None:
    for text in SAMPLES + _random_texts("ab \n\f"):
        assert problems._lines(text) == _lines_plain(text), repr(text)


def _theme_scores_plain(sentence: str) -> dict[str, tuple[int, int]]:
    """Every phrase pattern run on the sentence, none skipped."""
    return problems.score_matches(problems._vocabulary().phrases, sentence)


def test_theme_scores_match_running_every_phrase() -> None:
    phrases = [p for langs in problems.VOCABULARY.values() for words in langs.values() for p in words]
    rng = random.Random(3)
    sentences = list(SAMPLES)
    for _ in range(400):
        picked = rng.sample(phrases, rng.randint(1, 4))
        glue = rng.choice(["", "，", "的", " ", "。", "ſ", "K"])
        sentences.append(glue.join(p.replace("…", rng.choice(["", "有待", "，"])) for p in picked))
        sentences.append(" ".join(picked).upper())
    for sentence in sentences:
        assert problems.theme_scores(sentence) == _theme_scores_plain(sentence), sentence


# --- normalize ---------------------------------------------------------------------------------


def test_visual_width_and_key() -> None:
    for line in SAMPLES + _random_texts("a1 中文\u3000\t\u00a0é"):
        assert normalize._visual_width(line) == sum(0.5 if ch.isascii() else 1.0 for ch in line)
        assert normalize._key(line) == re.sub(r"\s+", "", line)


def test_halfwidth_matches_translate() -> None:
    for text in SAMPLES + _random_texts("１Ａｚ％．｜\u3000\u00a0中a，"):
        assert normalize.to_halfwidth(text) == text.translate(normalize._FULLWIDTH_TABLE)


def test_prechecks_keep_results() -> None:
    assert normalize.repair_pinyin_fragments("主动gong开zheng府信息") == ("主动公开政府信息", True)
    assert normalize.repair_pinyin_fragments("主动公开政府信息 Li County") == ("主动公开政府信息 Li County", False)
    assert normalize.repair_letter_zero("2O19年受理2O件") == ("2019年受理20件", True)
    assert normalize.repair_letter_zero("H2O") == ("H2O", False)
    assert normalize.repair_fullwidth_thousands("共1，324条") == ("共1,324条", True)
    assert normalize.rejoin_split_digits("无数字") == ("无数字", [])
    assert normalize.detect_language("政府信息 open") == "zh"
    assert normalize.detect_language("Open government information 公开") == "en"


# --- readers_text ------------------------------------------------------------------------------


def test_common_count_and_control_share() -> None:
    common = readers_text.COMMON_HAN | readers_text._COMMON_PUNCT
    for text in SAMPLES + _random_texts("的一是abc，。龘\n"):
        assert readers_text.common_count(text) == sum(1 for ch in text if ch in common)
    rng = random.Random(5)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))
        expected = sum(1 for b in data if b in readers_text._CONTROL) / len(data) if data else 0.0
        assert readers_text.control_share(data) == expected


def test_lines_with_problem_word_match_per_line_search() -> None:
    rng = random.Random(11)
    tokens = ["问题", "不足", "薄弱环节", "a", "\n", "\f", " ", "Problems", "ISSUES", "问"]
    texts = SAMPLES + ["".join(rng.choice(tokens) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    for text in texts:
        lines = problems._lines(text)
        plain = [i for i, ln in enumerate(lines) if problems._PROBLEM_WORD.search(ln.text)]
        assert problems._lines_with_problem_word(text, lines) == plain, repr(text)


def test_place_names_have_two_characters() -> None:
    # ``find_places`` and ``name_at`` index names by their first two characters.
    assert min(len(name) for name in places._index()) >= 2


# --- dates -------------------------------------------------------------------------------------


def test_year_pattern_matches_lookbehind_form() -> None:
    from etl import dates

    plain = rf"(?<!\d){dates.YEAR}(?!\d)"
    rng = random.Random(13)
    tokens = ["1", "2", "0", "9", "8", "19", "20", "2019", "1998", "年", " ", "a", ".", "至", "12月31日"]
    texts = ["".join(rng.choice(tokens) for _ in range(rng.randint(0, 12))) for _ in range(4000)]
    for tail in ("", r"\s*年", r"\s*年度?[^。]{0,4}?至"):
        fast, slow = re.compile(dates._Y + tail), re.compile(plain + tail)
        for text in texts:
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
                [(m.span(), m.groups()) for m in slow.finditer(text)], text


def test_detect_language_matches_full_counts() -> None:
    def plain(text: str) -> str:
        cjk = len(re.findall(f"[{normalize.CJK}]", text))
        latin = len(re.findall(r"[A-Za-z]", text))
        return "zh" if cjk * 3 >= latin else "en"

    for text in SAMPLES + _random_texts("ab中文 1éªZ", count=5000, longest=20):
        assert normalize.detect_language(text) == plain(text), text


def test_item_marker_lookahead_keeps_matches() -> None:
    plain = re.compile(problems._ITEM)
    rng = random.Random(17)
    tokens = ["一是", "其二，", "第三、", "（一）", "(2)", "1、", "2.", "3. ", "①", "First,", "first,", "Secondly",
              "the first is", "THE FIRST IS", "12, a", "(a)", "ſecond,", " ", "。", "a", "1", "，", "\n", "x"]
    for _ in range(5000):
        text = "".join(rng.choice(tokens) for _ in range(rng.randint(0, 12)))
        assert [m.span() for m in problems._ITEM_MARKER.finditer(text)] == \
            [m.span() for m in plain.finditer(text)], text


# --- facts and pages ----------------------------------------------------------------------------

def test_a_table_cell_built_positionally_has_the_fields_named_alike() -> None:
    from etl.model import Fact

    span = (12, 40, "| 一、本年新收政府信息公开申请数量 | 3 |")
    cell = Fact.table_cell("table3", 3.0, "3", span, "万元", 3, "R01", "自然人", ["digits_joined"])
    assert cell == Fact(metric="table3", value=3.0, raw="3", evidence=span[2], start=12, end=40, unit="万元",
                        table=3, row="R01", column="自然人", flags=["digits_joined"])


def test_page_of_counts_the_breaks_before_an_offset_as_the_plain_count_does() -> None:
    for text in ["第一页\f第二页\f\f第四页", "\f开头就分页", "没有分页", "末尾分页\f"]:
        norm = normalize.normalize(text)
        for offset in range(len(norm.text) + 1):
            plain = norm.text.count("\f", 0, offset) + 1 if "\f" in norm.text else None
            assert norm.page_of(offset) == plain, (text, offset)
