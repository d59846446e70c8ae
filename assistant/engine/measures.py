"""What a quantity question measures (投资, 税收, 面积, 增长 …): how it is asked, how a plan labels
its figure, and the dimensions a figure of it may have. One vocabulary for understanding questions,
finding prose figures and computing over them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.quantities import AREA, COUNT, LENGTH, MONEY, MONEY_USD, PEOPLE, POINTS, RATIO, TIMES

PER_AREA = "per_area"


@dataclass(frozen=True)
class Measure:
    """What a quantity question measures: how it is asked, how a plan labels it, its dimensions."""

    name: str
    asked: re.Pattern[str]
    labelled: re.Pattern[str] | None
    dimensions: frozenset[str]
    computed: bool = False


PREVIOUS_YEAR = r"(?:(?:比|较)(?:上一?年|去年|前一年)|(?:与|和|跟|同)(?:上一?年|去年|前一年)相?比)"  # 比上年 and its everyday forms: the change the plan states
PEOPLE_NOUNS = re.compile(r"员工|师生|毕业生|院士|专家")  # who is counted, named in the asking words
MEASURES = (
    Measure(
        "投资", re.compile(r"投资|投入|砸|多少钱|花了?多少|资金|立项"), re.compile(r"投资|资金|投入|立项"), frozenset({MONEY, MONEY_USD})
    ),
    Measure("税收", re.compile(r"税"), re.compile(r"税"), frozenset({MONEY})),
    Measure("产值", re.compile(r"产值|卖|销售|营收|收入|产出"), re.compile(r"产值|销售|收入|营业|产出"), frozenset({MONEY, MONEY_USD})),
    Measure("产能", re.compile(r"产能|年产(?!值)|生产多少|能产"), re.compile(r"产能|年产|形成"), frozenset({COUNT})),
    Measure("面积", re.compile(r"面积|占地|多大地|多少亩|几亩|(?<![每一])亩(?!均)|平方米|(?<![每一])平方公里"), None, frozenset({AREA})),
    Measure("地均", re.compile(r"[每一]亩|亩均|[每一]平方公里|地均|单位面积"), None, frozenset({PER_AREA})),
    Measure("长度", re.compile(r"多长|多远|长度|距离"), None, frozenset({LENGTH})),
    Measure(
        "增长", re.compile(rf"增长|增加|增幅|增速|同比|{PREVIOUS_YEAR}|涨了"), None, frozenset({RATIO, POINTS, COUNT, MONEY, PEOPLE}), True
    ),
    Measure("比例", re.compile(r"百分比|率|比例|比重|占比|百分之|%|几成|份额"), None, frozenset({RATIO, POINTS}), True),
    Measure("倍数", re.compile(r"几倍|多少倍"), None, frozenset({TIMES}), True),
    Measure("人数", re.compile(rf"多少人|几个人|几位|人数|{PEOPLE_NOUNS.pattern}|多少名|几名|多少万人"), None, frozenset({PEOPLE})),
    Measure("排名", re.compile(r"排名|第几|排第|名次|排在"), None, frozenset({"rank"})),
    Measure(
        "数量", re.compile(r"几家|多少家|几个|多少个|几所|多少所|几项|多少项|多少件|几件|几台|多少台|多少片"), None, frozenset({COUNT})
    ),
)
CHANGE = next(measure for measure in MEASURES if measure.name == "增长")
SHARE = next(measure for measure in MEASURES if measure.name == "比例")
AREA_MEASURE = next(measure for measure in MEASURES if measure.name == "面积")
OWN_MEASURES = frozenset({"投资", "产能", "面积", "长度"})  # what a thing has of itself, never another indicator's figure
HOW_BIG = re.compile(r"多大[?？。!！]*$")
SHARE_OF = re.compile(r"[\u4e00-\u9fff]{0,4}")  # 产值|贡献|率: the words between an amount and its share word


def asks_change(text: str) -> bool:
    """比上年 / 同比: a change the plan states beside its figure, not a year to compute from."""
    return bool(CHANGE.asked.search(text))


def asks_stated_change(text: str) -> bool:
    """比上年多了多少 / 同比: the change the plan states beside a figure, whatever the tables give."""
    return re.search(rf"{PREVIOUS_YEAR}|(?<!不)同比", text) is not None


def asked_measures(text: str) -> list[Measure]:
    """The measures a question asks for, in the order it asks them. An amount named just before a
    share word (产值贡献率, 税收占比) is what the share is of, not a second figure asked; 多大 alone
    asks a size (东区多大), beside another measure it asks that one's amount (投资多大)."""
    found = [(match, measure) for measure in MEASURES if (match := measure.asked.search(text))]
    shares = [match.start() for match in SHARE.asked.finditer(text)]
    asked = [
        measure
        for match, measure in sorted(found, key=lambda pair: pair[0].start())
        if measure.computed or not any(start >= match.end() and SHARE_OF.fullmatch(text[match.end() : start]) for start in shares)
    ]
    return asked or ([AREA_MEASURE] if HOW_BIG.search(text) else [])


def sized_dimensions(text: str) -> frozenset[str]:
    """The dimensions a question names a measure of that any figure of the dimension answers (占地 →
    area, 多少人 → people); money asked is not: an investment is no output. Empty when none is named."""
    return frozenset(
        dimension
        for measure in asked_measures(text)
        if measure.labelled is None and not measure.computed and measure.asked.search(text)
        for dimension in measure.dimensions
    )


def asks_own_measure(text: str) -> bool:
    """The question asks what a thing has of itself (占地不大吧, 投资多少): after a turn on an
    indicator, a follow-up asking this asks no figure of that indicator."""
    return any(measure.name in OWN_MEASURES for measure in asked_measures(text))
