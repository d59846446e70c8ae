"""Figures in Chinese text: parsing, normalisation to base units, and matching."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.quantities import (
    AREA,
    BARE,
    COUNT,
    MONEY,
    MONEY_USD,
    PEOPLE,
    POINTS,
    RATIO,
    YEAR,
    Quantity,
    find_match,
    find_quantities,
    parse_quantity,
    quantities_match,
)

TO_FULL_WIDTH = {code: code + 0xFEE0 for code in range(ord("0"), ord("9") + 1)} | {ord("."): "．"}


def parsed(text: str) -> Quantity:
    quantity = parse_quantity(text)
    assert quantity is not None, text
    return quantity


def matches(expected: str, got: str, tolerance: float = 0.0) -> bool:
    return quantities_match(parsed(expected), parsed(got), tolerance)


@pytest.mark.parametrize(
    ("text", "value", "dimension"),
    [
        ("约1.5万人", 15000.0, PEOPLE),
        ("百亿元", 1e10, MONEY),
        ("十亿元", 1e9, MONEY),
        ("百亿", 1e10, BARE),
        ("三分之一", 1 / 3, RATIO),
        ("１，２７４．６１亿元", 1274.61e8, MONEY),
        ("1,274.61", 1274.61, BARE),
        ("0.68亿元", 6.8e7, MONEY),
        ("6800万元", 6.8e7, MONEY),
        ("46.9%", 0.469, RATIO),
        ("百分之四十六点九", 0.469, RATIO),
        ("46.9个百分点", 46.9, POINTS),
        ("两千", 2000.0, BARE),
        ("两千人", 2000.0, PEOPLE),
        ("五家", 5.0, COUNT),
        ("7所", 7.0, COUNT),
        ("268位", 268.0, PEOPLE),
        ("约2.5万名", 25000.0, PEOPLE),
        ("-3.5%", -0.035, RATIO),
        ("负3%", -0.03, RATIO),
        ("18.53平方公里", 18.53e6, AREA),
        ("178公顷", 178e4, AREA),
        ("34万平方米", 34e4, AREA),
        ("200亩", 200 * 10000 / 15, AREA),
        ("1.96亿美元", 1.96e8, MONEY_USD),
        ("超过150亿元", 1.5e10, MONEY),
        ("100余家", 100.0, COUNT),
        ("679.90（亿元）", 679.90e8, MONEY),
        ("2020年", 2020.0, YEAR),
    ],
)
def test_parse_quantity_normalises_to_base_unit(text: str, value: float, dimension: str) -> None:
    quantity = parsed(text)
    assert quantity.dimension == dimension
    assert math.isclose(quantity.value, value, rel_tol=1e-12)


def test_parse_quantity_keeps_qualifier_text_and_written_number() -> None:
    quantity = parsed("约1.5万人")
    assert (quantity.qualifier, quantity.text, quantity.unit) == ("约", "约1.5万人", "万人")
    assert math.isclose(quantity.number, 1.5)
    assert (quantity.start, quantity.end) == (0, 6)


def test_compound_units_divide() -> None:
    quantity = parsed("55.47亿元/平方公里")
    assert quantity.dimension == f"{MONEY}/{AREA}"
    assert math.isclose(quantity.value, 55.47e8 / 1e6)


@pytest.mark.parametrize("text", ["", "一方面", "十四五", "G60", "(亿元)", "唯一一家"])
def test_non_figures_parse_to_none(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("expected", "got"),
    [
        ("0.68亿元", "6800万元"),
        ("１，２７４．６１亿元", "1274.61亿元"),
        ("约1.5万人", "15000人"),
        ("百分之四十六点九", "46.9%"),
        ("三分之一", "三分之一"),
        ("18.53平方公里", "1853公顷"),
        ("679.90亿元", "679.90"),
        ("679.90亿元", "679.90（亿元）"),
        ("679.90", "679.90亿元"),
        ("200亿元", "200亿"),
        ("约1.5万人", "15000"),
        ("7个", "7家"),
        ("55.47亿元/平方公里", "55.47"),
        ("13.89亿元/平方公里", "13.89亿元"),
    ],
)
def test_equal_quantities_match(expected: str, got: str) -> None:
    assert matches(expected, got)


@pytest.mark.parametrize(
    ("expected", "got"),
    [
        ("46.9%", "46.9个百分点"),
        ("1.96亿美元", "1.96亿元"),
        ("679.90亿元", "679.90万元"),
        ("1.5亿元", "1.5万"),
        ("2家", "2人"),
        ("81.63亿元", "81.64亿元"),
        ("13.89亿元/平方公里", "13.89万元"),
    ],
)
def test_different_quantities_do_not_match(expected: str, got: str) -> None:
    assert not matches(expected, got)


def test_tolerance_is_in_the_expected_unit() -> None:
    assert matches("233.16亿元", "233.2亿元", tolerance=0.05)
    assert not matches("233.16亿元", "233.3亿元", tolerance=0.05)
    assert matches("21.6%", "21.65%", tolerance=0.1)
    assert not matches("21.6%", "21.8%", tolerance=0.1)


def test_bare_numbers_can_be_refused() -> None:
    assert matches("4.0%", "4")
    assert not quantities_match(parsed("4.0%"), parsed("4"), allow_bare=False)
    assert quantities_match(parsed("4.0%"), parsed("4%"), allow_bare=False)


def test_find_quantities_in_a_sentence_with_spans() -> None:
    text = "西区有注册企业420家,员工总数约1.5万人,2020年产值165亿元,占比三分之一。"
    found = find_quantities(text)
    assert [q.text for q in found] == ["420家", "约1.5万人", "2020年", "165亿元", "三分之一"]
    assert all(text[q.start : q.end] == q.text for q in found)


def test_find_quantities_skips_codes_ordinals_and_unit_labels() -> None:
    text = "表2\n1、G60科创走廊推进5G网络,排名第2,每万人专利,(3)税收(亿元)67.09"
    assert [(q.text, q.dimension) for q in find_quantities(text)] == [("67.09", BARE)]


def test_full_width_comma_is_a_separator_only_between_full_width_digits() -> None:
    assert [q.value for q in find_quantities("分别为478，582")] == [478.0, 582.0]
    assert [q.value for q in find_quantities("１，２７４．６１")] == [1274.61]


def test_range_gives_its_unit_to_both_ends() -> None:
    found = find_quantities("培育3-5家企业")
    assert [(q.value, q.dimension) for q in found] == [(3.0, COUNT), (5.0, COUNT)]


def test_expected_figure_found_in_answer_text() -> None:
    expected = parsed("679.90亿元")
    assert find_match(expected, "2025年规上工业总产值预计为679.90亿元。") is not None
    assert find_match(expected, "规上工业总产值2025年为679.90（亿元）") is not None
    assert find_match(expected, "规上工业总产值 558.83 679.90") is not None
    assert find_match(expected, "规上工业总产值为1679.90亿元") is None
    assert find_match(expected, "规上工业总产值为679.9万元") is None


@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    st.sampled_from([("亿元", MONEY, 1e8), ("万人", PEOPLE, 1e4), ("家", COUNT, 1.0)]),
)
def test_full_width_and_half_width_read_the_same(number: Decimal, unit: tuple[str, str, float]) -> None:
    written, dimension, scale = unit
    half = f"{number}{written}"
    for text in (half, half.translate(TO_FULL_WIDTH)):
        quantity = parsed(text)
        assert quantity.dimension == dimension
        assert math.isclose(quantity.value, float(number) * scale, rel_tol=1e-12)
