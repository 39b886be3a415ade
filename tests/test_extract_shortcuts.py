"""The shortcuts that keep table and prose extraction fast must never change what they read.

Each cheap test (a pre-check, a cache, a faster split) is checked against the slower original it
stands in for, on generated text drawn from the characters and words the original looks at.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from etl import prose, tables_cells, tables_t3
from etl.sections import Section, section_at, section_locator
from etl.tables_vocab import alias_ids, key

FAST = settings(max_examples=300, deadline=None)


def _text(pieces: list[str], max_size: int = 12) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


# --- tables_cells ----------------------------------------------------------------------------

def test_han_except_matches_every_other_unified_ideograph() -> None:
    pattern = tables_cells.han_except("万元一x")
    found = {c for c in map(chr, range(0x4DF0, 0xA010)) if pattern.fullmatch(c)}
    expected = {chr(c) for c in range(0x4E00, 0xA000)} - set("万元一")
    assert found == expected


def test_nfkc_keeps_every_unified_ideograph() -> None:
    # what lets read_value call a cell with such an ideograph a label without normalizing it
    for c in map(chr, range(0x4E00, 0xA000)):
        assert unicodedata.normalize("NFKC", c) == c
        assert unicodedata.normalize("NFKC", c + "\u0301\u3099")[0] == c


CELL_PIECES = ["0", "1", "5", "１", "，", ",", ".", " ", "\u3000", "\t", "\u00a0", "-", "—", "/", "无", "一",
               "万元", "元", "件", "条", "规章", "中", "\u0301", "\uf900", "⼀", "(", "）"]


@FAST
@given(_text(CELL_PIECES))
def test_read_value_agrees_with_the_uncached_reading(raw: str) -> None:
    uncached = tables_cells.read_value.__wrapped__
    assert tables_cells.read_value(raw) == uncached(raw)
    if tables_cells._LABEL_HAN.search(raw):
        s = unicodedata.normalize("NFKC", raw).strip()
        assert tables_cells._NUMBER.fullmatch(s) is None
        assert s not in tables_cells._WORDS | tables_cells._SLASHES | tables_cells._DASHES


@FAST
@given(_text(["a", "12", "中", " ", "  ", "\t", "\u3000", "\u2003", "\x85", "\x1c", "\u00a0"], 20),
       st.integers(0, 50))
def test_tokens_are_the_runs_of_non_space(s: str, base: int) -> None:
    expected = [(m.group(), base + m.start(), base + m.end()) for m in re.finditer(r"\S+", s)]
    assert [tuple(c) for c in tables_cells._tokens(s, base)] == expected


@FAST
@given(_text(["| ", " | ", "｜", "|", " 0 ", "12", "\t", "\u3000", "\u3000\u3000", " ", "规章", "\n", "无"], 16))
def test_pipe_tab_and_ideographic_cells_keep_their_offsets(s: str) -> None:
    for line in tables_cells.split_lines(s):
        for cell in [*line.labels, *line.values]:
            assert s[cell.start:cell.end] == cell.raw
        assert line.label == "".join(c.raw for c in line.labels)


# --- tables_t3 / tables_vocab ----------------------------------------------------------------

@FAST
@given(_text(["本年", "新收", "政府信息公开申请", "上年结转", "本年新收", "newapplications", "其他", "总计", "、"]))
def test_r01_fragments_are_a_necessary_condition(k: str) -> None:
    if tables_t3._label_hits(k, ("R01",)):
        assert any(f in k for f in tables_t3._R01_FRAGMENTS)


@FAST
@given(_text(["Ａ", "b", " ", "\u3000", "\u2003", "\x85", "规章", "（", "1", "\t"], 16))
def test_key_removes_what_the_regex_removed(s: str) -> None:
    assert key(s) == re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).lower()


def test_alias_ids_give_an_alias_to_the_first_id_listing_it() -> None:
    assert alias_ids({"a": ("x", "y"), "b": ("y", "z")}) == {"x": "a", "y": "a", "z": "b"}


# --- sections --------------------------------------------------------------------------------

@FAST
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=6), st.booleans())
def test_section_locator_finds_what_section_at_finds(spans: list[tuple[int, int]], disjoint: bool) -> None:
    if disjoint:  # laid end to end, as split_sections gives them (empty ones included)
        pos, sections = 0, []
        for _, size in spans:
            sections.append(Section("other", "", pos, pos + size))
            pos += size
    else:
        sections = [Section("other", "", a, a + size) for a, size in spans]
    at = section_locator(sections)
    for offset in range(-1, 60):
        assert at(offset) is section_at(sections, offset)


# --- prose -----------------------------------------------------------------------------------

CHANNEL_PIECES = ["网站", "门户", "微信", "公众号", "app", "APP", "App ", "Wechat", "media", "K", "ſ", "公开", "信息",
                  "视频号", "B站", "发布", "12条", "，", " "]


@FAST
@given(_text(CHANNEL_PIECES))
def test_channel_precheck_misses_no_channel_word(text: str) -> None:
    any_word = any(p.search(text) for _, _, p in prose._CHANNEL_RES)
    assert prose._may_name_channel(text) or not any_word


def test_chinese_channel_words_are_plain_literals() -> None:
    words = [w for _, _, pat in prose.CHANNEL_WORDS for w in pat.split("|") if not w.isascii()]
    assert all(re.escape(w) == w for w in words)
    assert all(w.isascii() or not any(c.isascii() for c in w)
               for _, _, pat in prose.CHANNEL_WORDS for w in pat.split("|"))


NUMBER_PIECES = ["12", "1,056", "3.5", "万", "三十", "两", "余", "多", " ", "条", "件", "人次", "次", "（条）", "数",
                 "数量", "|", "\t", "个", "申请", "复议", "诉讼", "咨询", "收到", "其中", "，", "。"]


@FAST
@given(_text(NUMBER_PIECES))
def test_count_and_statistics_hints_are_necessary_conditions(s: str) -> None:
    if prose._CN_COUNT.search(s):
        assert prose._COUNT_HINT.search(s)
    if prose._STAT_ROW.search(s):
        assert prose._STAT_ROW_HINT.search(s)


SENTENCE_PIECES = [*NUMBER_PIECES, "主动公开", "政府信息", "网站", "发布", "没有", "未", "无", "行政复议", "行政诉讼",
                   "申请人", "分别", "、", "累计", "本机关", "全市", "均为0件", "热线"]


@FAST
@given(_text(SENTENCE_PIECES, 16), st.sampled_from(["overview", "proactive", "applications", "review", "other"]))
def test_a_sentence_the_gate_skips_gives_no_fact(sentence: str, kind: str) -> None:
    if prose._may_state_fact(sentence):
        return
    assert prose._sentence_facts(sentence, sentence, 0, kind, sentence, True) == []
    assert prose._sentence_facts(sentence, sentence, 0, kind, sentence, False) == []
    assert prose._category_facts(sentence, sentence, 0, "zh") == []
