"""Figures in Chinese text: find them, normalise them to a base unit, and compare them.

Every figure becomes a ``Quantity``: its value in the base unit of its dimension (元, 人, 平方米,
a ratio of 1 for percentages, ...), so ``0.68亿元`` and ``6800万元`` compare equal and ``46.9%``
never equals ``46.9个百分点``.

A number written without a unit has the dimension ``BARE``. Plan tables put the unit in the row
label ("税收(亿元)" / "67.09"), so an answer quoting a row may state ``67.09`` alone. The rule
(``quantities_match``): a bare number matches a figure with a unit when the base values agree
(``200亿`` ~ ``200亿元``, ``15000`` ~ ``1.5万人``) or, when the bare number has no magnitude,
when it equals that figure's number as written in its own unit (``123.40`` ~ ``123.40亿元``).
A unit in brackets right after the number (``123.40（亿元）``) is the figure's own unit. A rate
(``13.89亿元/平方公里``) also matches its numerator figure with the same written number, since
Chinese puts the "per" before the noun: ``每平方公里税收13.89亿元``.

Known limit: ASCII ``,`` between digit groups ("1,274.61") is read as a thousands separator,
so prose written ``478,582`` reads as one number; a full-width ``，`` is a separator only
between full-width digits ("１，２７４．６１"), because in Chinese prose it is a comma.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MONEY = "money_cny"
MONEY_USD = "money_usd"
PEOPLE = "people"
COUNT = "count"
AREA = "area_m2"
LENGTH = "length_m"
RATIO = "ratio"
POINTS = "percentage_points"
TIMES = "times"
YEAR = "year"
MONTH = "month"
DAY = "day"
BARE = "number"
CALENDAR = frozenset({YEAR, MONTH, DAY})  # a date, not an amount
MAGNIFIED = frozenset({MONEY, MONEY_USD, PEOPLE, COUNT})

RELATIVE_TOLERANCE = 1e-9

_MU = 10000 / 15
_UNITS: dict[str, tuple[str, float]] = {
    "美元": (MONEY_USD, 1.0),
    "元": (MONEY, 1.0),
    "人": (PEOPLE, 1.0),
    "位": (PEOPLE, 1.0),
    "名": (PEOPLE, 1.0),
    "个百分点": (POINTS, 1.0),
    "百分点": (POINTS, 1.0),
    "个月": (MONTH, 1.0),
    "家": (COUNT, 1.0),
    "个": (COUNT, 1.0),
    "件": (COUNT, 1.0),
    "所": (COUNT, 1.0),
    "项": (COUNT, 1.0),
    "座": (COUNT, 1.0),
    "台": (COUNT, 1.0),
    "套": (COUNT, 1.0),
    "片": (COUNT, 1.0),
    "平方公里": (AREA, 1e6),
    "平方千米": (AREA, 1e6),
    "公顷": (AREA, 1e4),
    "亩": (AREA, _MU),
    "平方米": (AREA, 1.0),
    "%": (RATIO, 0.01),
    "‰": (RATIO, 0.001),
    "倍": (TIMES, 1.0),
    "公里": (LENGTH, 1000.0),
    "千米": (LENGTH, 1000.0),
    "毫米": (LENGTH, 0.001),
    "米": (LENGTH, 1.0),
    "英寸": (LENGTH, 0.0254),
    "寸": (LENGTH, 0.0254),
    "年": (YEAR, 1.0),
    "月": (MONTH, 1.0),
    "日": (DAY, 1.0),
    "天": (DAY, 1.0),
}
# A unit character that is also the start of a common word after a number ("项目", "人民币").
_NOT_UNIT_AFTER = {"项": "目", "人": "民", "名": "单"}

_MAGNITUDES: dict[str, float] = {
    "万亿": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "十亿": 1e9,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "十万": 1e5,
    "万": 1e4,
    "千": 1e3,
    "百": 1e2,
}

_WRITTEN_MAGNITUDES = "万亿"  # a Chinese numeral ending in one of these states it as its unit's magnitude
_QUALIFIERS = ("大约", "约", "将近", "接近", "近", "超过", "超", "逾", "不足", "不到", "高达", "多达")
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_MAGNITUDES = "百千万亿"
_CN_NUMERAL = rf"[{_CN_DIGITS}十{_CN_MAGNITUDES}]+(?:点[{_CN_DIGITS}]+)?"
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF0C}
_FULL_WIDTH[0x3000] = ord(" ")
_FULL_WIDTH[0x2212] = ord("-")
_FULL_WIDTH_GROUPING = re.compile(r"(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")


def _alternation(words: list[str]) -> str:
    """Longest first, so that ``个百分点`` wins over ``个`` and ``平方米`` over ``米``."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word) + (f"(?!{_NOT_UNIT_AFTER[word]})" if word in _NOT_UNIT_AFTER else "") for word in ordered)


_UNIT = f"(?:{_alternation(list(_UNITS))})"
_MAG = f"(?:{_alternation(list(_MAGNITUDES))})(?!分)"
_UNIT_CHUNK = f"(?:{_MAG})?(?:{_UNIT}(?:/(?:{_MAG})?{_UNIT})?|/(?:{_MAG})?{_UNIT})"
_NUMERAL = rf"\d+(?:\.\d+)?|{_CN_NUMERAL}"

_QUANTITY_RE = re.compile(
    rf"""
    (?P<qual>{"|".join(_QUALIFIERS)})?
    (?:
        (?P<fden>{_NUMERAL})分之(?P<fnum>{_NUMERAL})
    |
        (?P<sign>负|(?<![0-9A-Za-z.])-)?
        (?<![0-9A-Za-z.每第表图])
        (?:
            (?P<arabic>(?>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?))(?P<mag>{_MAG})?
        |
            (?P<cn>{_CN_NUMERAL})
        )
        (?P<more>余|多)?
        (?:
            [ ]*(?P<unit>{_UNIT_CHUNK})
        |
            [ ]*[(（][ ]*(?P<bunit>{_UNIT_CHUNK})[ ]*[)）]
        )?
    )
    """,
    re.VERBOSE,
)
_UNIT_PARTS_RE = re.compile(rf"(?P<mag>{_MAG})?(?P<unit>{_UNIT})?(?:/(?P<dmag>{_MAG})?(?P<dunit>{_UNIT}))?")
SET_PHRASE_END = "一体"  # 三位一体 / 五位一体
_RANGE_JOINER = re.compile(r"[ ]*(?:-|~|～|—|–|至|到)[ ]*")


@dataclass(frozen=True)
class Quantity:
    """One figure found in a text.

    ``value`` is in the base unit of ``dimension``; ``scale`` converts the number as written into
    it (``1.5万人``: value 15000, scale 1e4, unit "万人"), so a tolerance stated in the written
    unit is ``tolerance * scale`` in base units. ``start``/``end`` locate ``text`` in the input.
    """

    value: float
    dimension: str
    text: str
    start: int
    end: int
    unit: str = ""
    scale: float = 1.0
    qualifier: str = ""

    @property
    def number(self) -> float:
        """The number as written, before its magnitude and unit."""
        return self.value / self.scale


def normalise_width(text: str) -> str:
    """Map full-width digits, letters and signs to ASCII, keeping every character's offset.

    A full-width comma stays a comma unless it groups full-width digits by thousands.
    """
    grouped = _FULL_WIDTH_GROUPING.sub(",", text)
    return grouped.translate(_FULL_WIDTH)


def _cn_number(numeral: str) -> float | None:
    """Chinese numeral to float via ``cn2an``.

    cn2an already handles the grammar of 十/百/千 within 万/亿 sections, 零 placeholders, 两 and
    点 decimals, which a hand-written parser would get wrong at the edges. It rejects a numeral
    that starts with a bare magnitude ("百亿", "千"), so a leading 一 is supplied.
    """
    if numeral[0] in _CN_MAGNITUDES:
        numeral = "一" + numeral
    try:
        import cn2an  # imported on the first Chinese numeral: most questions have none

        return float(cn2an.cn2an(numeral, "normal"))
    except ValueError:
        return None


def _is_cn_figure(numeral: str) -> bool:
    """False for a lone magnitude ("(亿元)", "万人") and for runs such as 唯一一家's 一一.

    A run of digits without 十/百/千/万/亿 is a figure only when spelled out with 〇 or 零
    ("二〇二〇年"); otherwise it is a word ending in a numeral followed by one.
    """
    if len(numeral) == 1:
        return numeral not in _CN_MAGNITUDES
    return any(char in numeral for char in "十〇零" + _CN_MAGNITUDES)


def _numeral(text: str) -> float | None:
    if text[0].isdigit():
        return float(text.replace(",", ""))
    return _cn_number(text)


def _unit_of(raw: str) -> tuple[str, float]:
    """Dimension and scale of a unit such as ``亿元``, ``万人``, ``亿元/平方公里`` or ``万/亩``."""
    parts = _UNIT_PARTS_RE.fullmatch(raw)
    if parts is None:
        return BARE, 1.0
    scale = _MAGNITUDES[parts["mag"]] if parts["mag"] else 1.0
    dimension = BARE
    if parts["unit"]:
        dimension, factor = _UNITS[parts["unit"]]
        scale *= factor
    if parts["dunit"]:
        denominator, factor = _UNITS[parts["dunit"]]
        factor *= _MAGNITUDES[parts["dmag"]] if parts["dmag"] else 1.0
        dimension = f"{dimension}/{denominator}"
        scale /= factor
    return dimension, scale


def unit_dimension(unit: str) -> tuple[str, float]:
    """The dimension of a unit as a table or profile writes it (``亿元``, ``万人``, ``亿元/平方公里``)
    and the factor to its base unit. Counted nouns keep their own dimension (``家`` is not ``件``),
    so a share of companies in patents is never computed; a unit this module does not know is a
    dimension of its own."""
    parts = _UNIT_PARTS_RE.fullmatch(unit)
    if parts is None or not unit:
        return unit, 1.0
    dimension, scale = _unit_of(unit)
    if dimension == COUNT or (dimension == PEOPLE and parts["unit"] != "人"):
        return f"{dimension}:{parts['unit']}", scale  # 家 is not 件; 位 (per thousand) is not 万人
    return dimension, scale


_ASKED_UNIT_RE = re.compile(  # 几个点 asks a rate; 多少个亿 asks an amount in 亿, not a count
    rf"(?:多少|几)(?!个(?:[亿万]|[千百][万亿]))(?P<unit>{_UNIT_CHUNK})(?!点)|\((?P<label>{_UNIT_CHUNK})\)"
)
_AMOUNT_FAMILIES = (frozenset({MONEY, MONEY_USD}), frozenset({PEOPLE, COUNT}), frozenset({RATIO, POINTS}))  # 占…几个百分点 asks a share


def asked_unit(question: str) -> str | None:
    """The unit a question asks its figure in (多少亿元 → 亿元, 几家 → 家, a table label's 上市挂牌(家)),
    if it names one; 这几年, 近几天 and 第几名 say when or which place, not the unit of an amount."""
    for match in _ASKED_UNIT_RE.finditer(question):
        unit = match.group("unit") or match.group("label")
        if question[max(0, match.start() - 1) : match.start()] == "第" or _unit_of(unit)[0] in CALENDAR:
            continue
        return unit
    return None


GENERIC_COUNTER = "个"


def other_counter(asked: str, unit: str) -> bool:
    """A count asked with one counter (几家) is not answered by a count of another thing (万片): both
    are counts, their counters differ and neither is the generic 个."""
    (asked_dimension, _), (dimension, _) = _unit_of(asked), _unit_of(unit)
    counters = {asked[-1:], unit[-1:]}
    return asked_dimension == dimension == COUNT and len(counters) == 2 and GENERIC_COUNTER not in counters


def same_unit_kind(first: str, second: str) -> bool:
    """Two units of one dimension, magnitudes aside (亿元 and 万元; not 元 and 美元)."""
    return _unit_of(first)[0] == _unit_of(second)[0]


def same_kind(first: str, second: str) -> bool:
    """Two units measure the same kind of thing: money with money (元 or 美元), heads with counts
    (人, 家, 个), a rate with a rate or its points; 亿元 is never an answer in %."""
    return kindred(_unit_of(first)[0], _unit_of(second)[0])


def kindred(one: str, other: str) -> bool:
    """Two dimensions measure the same kind of thing (money and dollars; heads and counts; a rate and its points)."""
    return one == other or any(one in family and other in family for family in _AMOUNT_FAMILIES)


def readable(base: float, unit: str) -> tuple[float, str]:
    """A value in base units written in ``unit``'s family with the largest magnitude that keeps it
    at least 1 (1100000元 in the family of 亿元 → 110万元), so a computed rate reads naturally.
    Only amounts of money, people and counted things take 万/亿; any other unit is kept as given."""
    parts = _UNIT_PARTS_RE.fullmatch(unit)
    dimension, scale = unit_dimension(unit)
    if parts is None or not parts["unit"] or parts["dunit"] or _UNITS[parts["unit"]][0] not in MAGNIFIED:
        return base / scale, unit
    head = parts["unit"]
    head_scale = _UNITS[head][1]
    for magnitude in ("亿", "万"):
        if abs(base) >= _MAGNITUDES[magnitude] * head_scale:
            return base / (_MAGNITUDES[magnitude] * head_scale), magnitude + head
    return base / head_scale, head


def _from_match(match: re.Match[str], original: str, allow_bare_cn: bool) -> Quantity | None:
    """Build the quantity of one regex match; None for a Chinese numeral that is just a word."""
    qualifier = match["qual"] or match["more"] or ""
    start, end = match.span()
    text = original[start:end]
    if match["fden"]:
        denominator, numerator = _numeral(match["fden"]), _numeral(match["fnum"])
        if not denominator or numerator is None:
            return None
        value, scale = numerator / denominator, 1 / denominator
        return Quantity(value, RATIO, text, start, end, "", scale, qualifier)
    magnitude, numeral = match["mag"] or "", match["arabic"] or match["cn"]
    unit = match["unit"] or match["bunit"] or ""
    if match["cn"] and not (unit or allow_bare_cn):
        return None
    if match["cn"] and not (_is_cn_figure(match["cn"]) or (qualifier and unit)):
        return None  # 近千亩, 万余人: a lone magnitude with a qualifier is a figure, (万人) a unit
    if match["cn"] == "一" and original[end : end + 1] == "一":
        return None  # 一人一策, 一园一品: a saying, not a count
    if match["cn"] and unit and len(numeral) > 1 and numeral[-1] in _WRITTEN_MAGNITUDES:
        numeral, magnitude = numeral[:-1], numeral[-1]  # 百亿元 is 百 of 亿元, as 100亿元 is
    raw_unit = magnitude + unit
    number = _numeral(numeral)
    if number is None:
        return None
    if match["sign"]:
        number = -number
    dimension, scale = _unit_of(raw_unit)
    return Quantity(number * scale, dimension, text, start, end, raw_unit, scale, qualifier)


def _spread_range_units(quantities: list[Quantity], text: str) -> list[Quantity]:
    """``3-5家`` and ``3到5家`` state one unit for both ends: give it to the first too."""
    spread = list(quantities)
    for index in range(len(spread) - 1, 0, -1):
        first, second = spread[index - 1], spread[index]
        joined = _RANGE_JOINER.fullmatch(text, first.end, second.start)
        if first.unit or second.dimension == BARE or joined is None:
            continue
        spread[index - 1] = Quantity(
            first.value * second.scale,
            second.dimension,
            first.text,
            first.start,
            first.end,
            second.unit,
            second.scale,
            first.qualifier,
        )
    return spread


def _is_label(match: re.Match[str], text: str) -> bool:
    """A bare Arabic number glued to a Latin letter, or numbering a list item; a set phrase
    (三位一体) counts nothing."""
    if not match["arabic"] and text.startswith(SET_PHRASE_END, match.end()):
        return True
    if not match["arabic"] or match["unit"] or match["bunit"] or match["mag"]:
        return False
    before = text[match.start() - 1] if match.start() else "\n"
    after = text[match.end()] if match.end() < len(text) else ""
    if after.isascii() and after.isalpha():
        return True
    return (before.isspace() and after == "、") or (before in "(（" and after in {")", "）"})


def find_quantities(text: str) -> list[Quantity]:
    """Every figure stated in ``text``, in order, with spans into ``text`` as given.

    Chinese numerals count only with a unit ("五家"), so words such as 一方面 or 十四五 are not
    figures. Labels are skipped: codes ("G60", "5G"), ordinals ("第2"), per-unit words ("每万人"),
    table and figure numbers ("表2") and enumerators ("1、", "(2)").
    """
    normal = normalise_width(text)
    found: list[Quantity] = []
    for match in _QUANTITY_RE.finditer(normal):
        if _is_label(match, normal):
            continue
        quantity = _from_match(match, text, allow_bare_cn=False)
        if quantity is not None:
            found.append(quantity)
    return _spread_range_units(found, normal)


def states_figure(text: str) -> bool:
    """The text states a figure, not only a date (资金达…亿元, not 某年某月)."""
    return any(q.dimension not in CALENDAR for q in find_quantities(text))


def parse_quantity(text: str) -> Quantity | None:
    """The one figure that ``text`` consists of ("约1.5万人", "百亿元", "三分之一"), else None.

    A figure followed by words ("200亿元以上") is still read when it is the only figure.
    """
    normal = normalise_width(text)
    start = len(normal) - len(normal.lstrip())
    end = len(normal.rstrip())
    match = _QUANTITY_RE.fullmatch(normal, start, end)
    if match is not None:
        return _from_match(match, text, allow_bare_cn=True)
    found = find_quantities(text)
    return found[0] if len(found) == 1 else None


def _close(expected: float, got: float, absolute: float) -> bool:
    return math.isclose(expected, got, rel_tol=RELATIVE_TOLERANCE, abs_tol=absolute)


def _per_unit_elsewhere(expected: Quantity, got: Quantity, tolerance: float) -> bool:
    """``每平方公里税收13.89亿元`` states ``13.89亿元/平方公里`` with the "per" before the noun.

    So a rate matches a figure with the rate's numerator unit and the same written number.
    """
    if expected.unit.split("/")[0] != got.unit.split("/")[0]:
        return False
    return _close(expected.number, got.number, tolerance)


def quantities_match(expected: Quantity, got: Quantity, tolerance: float = 0.0, allow_bare: bool = True) -> bool:
    """Same dimension and value, within ``tolerance`` stated in the expected figure's unit.

    A bare number matches by the rule in the module docstring (its value against the other's
    base value, or, when it has no magnitude, against the other's number as written) unless
    ``allow_bare`` is off, as for a computed result, which has no table row to take a unit from.
    """
    if expected.dimension == got.dimension:
        return _close(expected.value, got.value, tolerance * abs(expected.scale))
    if BARE in (expected.dimension, got.dimension):
        if not allow_bare:
            return False
        bare, other = (expected, got) if expected.dimension == BARE else (got, expected)
        as_base = _close(bare.value, other.value, tolerance * abs(expected.scale))
        return as_base or (bare.scale == 1.0 and _close(bare.value, other.number, tolerance))
    if ("/" in expected.dimension) != ("/" in got.dimension):
        return _per_unit_elsewhere(expected, got, tolerance)
    return False


def find_match(expected: Quantity, text: str, tolerance: float = 0.0, allow_bare: bool = True) -> Quantity | None:
    """The first figure of ``text`` that matches ``expected`` (see ``quantities_match``)."""
    found = find_quantities(text)
    matching = (got for got in found if quantities_match(expected, got, tolerance, allow_bare))
    return next(matching, None)
