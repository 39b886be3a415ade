"""Gazetteer: loading, name and stem lookups, former names, pinyin, scanning text."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import places


def test_loads_once_and_fast() -> None:
    start = time.perf_counter()
    first = places.divisions()
    assert places.divisions() is first
    assert len(first) > 3000
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(("name", "level", "province", "prefecture"), [
    ("信丰县", "county", "江西省", "赣州市"),
    ("涧西区", "county", "河南省", "洛阳市"),
    ("根河市", "county", "内蒙古自治区", "呼伦贝尔市"),
    ("庄河市", "county", "辽宁省", "大连市"),
    ("集安市", "county", "吉林省", "通化市"),
    ("涿州市", "county", "河北省", "保定市"),
    ("澧县", "county", "湖南省", "常德市"),
    ("南平市", "prefecture", "福建省", "南平市"),
    ("云南省", "province", "云南省", None),
    ("仙桃市", "prefecture", "湖北省", "仙桃市"),
])
def test_lookup_unique_names(name: str, level: str, province: str, prefecture: str | None) -> None:
    (div,) = places.lookup(name)
    assert (div.level, div.province, div.prefecture) == (level, province, prefecture)


def test_municipality_is_its_districts_province_and_prefecture() -> None:
    (shanghai,) = places.lookup("上海市")
    assert shanghai.level == "province"
    putuo = {d.prefecture for d in places.lookup("普陀区")}
    assert putuo == {"上海市", "舟山市"}
    (yubei,) = places.lookup("渝北区")
    assert (yubei.province, yubei.prefecture) == ("重庆市", "重庆市")


@pytest.mark.parametrize(("name", "prefectures"), [
    ("长安区", {"西安市", "石家庄市"}),
    ("城关区", {"兰州市", "拉萨市"}),
])
def test_ambiguous_county_names_keep_every_candidate(name: str, prefectures: set[str]) -> None:
    assert {d.prefecture for d in places.lookup(name)} == prefectures


def test_former_name_points_to_its_successor() -> None:
    (old,) = places.lookup("海门市")
    assert not old.current
    assert old.prefecture == "南通市"
    assert places.current_of(old).name == "海门区"


@pytest.mark.parametrize(("name", "stem"), [
    ("恩施土家族苗族自治州", "恩施"),
    ("内蒙古自治区", "内蒙古"),
    ("宁夏回族自治区", "宁夏"),
    ("乐东黎族自治县", "乐东"),
    ("保亭黎族苗族自治县", "保亭"),
    ("信丰县", "信丰"),
    ("澧县", "澧"),
    ("神农架林区", "神农架"),
])
def test_stem_of(name: str, stem: str) -> None:
    assert places.stem_of(name) == stem


def test_everyday_short_forms() -> None:
    assert places.lookup("恩施州")[0].name == "恩施土家族苗族自治州"
    assert places.lookup("广西")[0].name == "广西壮族自治区"


@pytest.mark.parametrize(("word", "type_word", "expected"), [
    ("Shangqiu", None, "商丘市"),
    ("Jianou", None, "建瓯市"),
    ("Nanping", None, "南平市"),
    ("Changde", "City", "常德市"),
    ("Hunan", "Province", "湖南省"),
    ("Shaanxi", None, "陕西省"),
])
def test_pinyin_lookup(word: str, type_word: str | None, expected: str) -> None:
    assert expected in [d.name for d in places.lookup_pinyin(word, type_word)]


def test_pinyin_keeps_same_sounding_names_apart_by_type() -> None:
    li_county = {d.name for d in places.lookup_pinyin("Li", "County")}
    assert "澧县" in li_county
    assert all(n.endswith("县") for n in li_county)
    assert "西安市" in {d.name for d in places.lookup_pinyin("Xi'an")}
    assert places.pinyin_key("Xi'an") == "xian"


def test_find_places_in_chinese_text() -> None:
    text = "编制了《2010年西安市长安区教育局信息公开目录》"
    assert [m.text for m in places.find_places(text)] == ["西安市", "长安区"]


def test_listed_stems_place_jiangmen() -> None:
    text = "我局指导蓬江、江海、新会三区和台山、开平、鹤山、恩平四市交通运输部门统一使用交通运输领域主动公开目录"
    mentions = places.find_listed_stems(text)
    stems = [m.text for m in mentions]
    assert {"蓬江", "江海", "新会", "台山", "开平", "鹤山", "恩平"} <= set(stems)
    assert all(any(c.prefecture == "江门市" for c in m.candidates) for m in mentions)


def test_find_english_places() -> None:
    text = ("according to the provincial deployment, five counties and cities including Jianou, "
            "Shunchang, Pucheng, Songxi, and Zhenghe carried out the work")
    found = {m.text: {c.prefecture for c in m.candidates} for m in places.find_english_places(text)}
    for word in ("Jianou", "Shunchang", "Songxi", "Zhenghe"):
        assert "南平市" in found[word]


def test_one_syllable_stem_needs_its_type_word() -> None:
    assert not places.find_english_places("Li said so.")
    assert places.find_english_places("Li County Education Bureau")[0].text == "Li County"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([d.name for d in places.divisions()]))
def test_stem_is_a_prefix_of_the_name(name: str) -> None:
    stem = places.stem_of(name)
    assert stem and name.startswith(stem)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="西安市长安区海门信丰县教育局，、和" + "abc", max_size=60))
def test_found_places_do_not_overlap(text: str) -> None:
    found = places.find_places(text)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    for m in found:
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(("former", "current", "prefecture"), [
    ("富阳市", "富阳区", "杭州市"),
    ("遵义县", "播州区", "遵义市"),
    ("襄樊市", "襄阳市", "襄樊市"),
])
def test_renames_older_than_the_old_table_are_known(former: str, current: str, prefecture: str) -> None:
    (old,) = places.lookup(former)
    assert not old.current and old.prefecture == prefecture
    assert places.current_of(old).name == current


def test_two_character_former_names_that_are_everyday_strings_are_not_scanned() -> None:
    assert [m.text for m in places.find_places("县政府召开县长办公会议")] == []


def test_pinyin_of() -> None:
    assert places.pinyin_of("周庄") == "zhouzhuang"


@pytest.mark.parametrize(("name", "restored"), [
    ("bao鸡市陈仓区人民政府", "宝鸡市陈仓区人民政府"),
    ("ning波市江北区教育局", "宁波市江北区教育局"),
    ("宁du县教育局", "宁都县教育局"),
    ("guang州市越秀区教育局", "广州市越秀区教育局"),
    ("zheng府信息公开", "zheng府信息公开"),
    ("xx市交通运输局", "xx市交通运输局"),
])
def test_pinyin_in_a_leading_place_is_restored_only_when_one_division_fits(name: str, restored: str) -> None:
    assert places.restore_pinyin_place(name) == restored
