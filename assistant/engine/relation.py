"""How two figures of one dimension stand to each other: the gap and the multiple, said together.

Users ask a comparison's parts together (谁交税多？差几个亿？ / 差距多大？是几倍？), and a demanding
reader of 甲高于乙 wants to know by how much; so every two-figure comparison states which is larger,
the gap, and — for amounts and counts, not rates — how many times the smaller the larger is.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.engine import phrasing
from assistant.engine.factbase import format_exact, format_number

GAP_DECIMALS = 2
TIMES_DECIMALS = 2
RATE_UNITS = ("%", "‰")  # a gap of rates is in points; a multiple of rates means nothing to a reader


@dataclass(frozen=True)
class Side:
    """One figure: its value in the dimension's base unit and as the plan writes it."""

    base: float
    written: str


@dataclass(frozen=True)
class Relation:
    """The gap (in ``unit``) and the multiple (None for rates or a zero) of two figures."""

    larger: Side
    smaller: Side
    gap: float
    gap_unit: str
    gap_text: str
    times: float | None
    times_text: str | None

    def sentence(self) -> str:
        """Both parts: appended to 甲高于乙."""
        return _sentence([self._gap(), self._multiple()])

    def gap_sentence(self) -> str:
        """Appended to a multiple (是几倍 → and by how much)."""
        return _sentence([self._gap()])

    def multiple_sentence(self) -> str:
        """Appended to a difference (差多少 → and how many times)."""
        return _sentence([self._multiple()])

    def _gap(self) -> str:
        return phrasing.gap(self.larger.written, self.smaller.written, self.gap_text)

    def _multiple(self) -> str:
        if self.times_text is None:
            return ""
        return phrasing.multiple(self.larger.written, self.smaller.written, self.times_text)


def _sentence(parts: list[str]) -> str:
    said = [p for p in parts if p]
    return f"{'，'.join(said)}。" if said else ""


def relation(first: Side, second: Side, unit: str, unit_scale: float, stated: bool = True) -> Relation:
    """``unit_scale`` is the base value of one ``unit`` (1e8 for 亿元), the unit the gap is shown in;
    the gap of two ``stated`` figures is written exactly, of two computed ones rounded."""
    larger, smaller = (first, second) if first.base >= second.base else (second, first)
    gap = (larger.base - smaller.base) / unit_scale
    rate = unit in RATE_UNITS
    gap_unit = phrasing.POINTS_WORD if rate else unit
    gap_text = f"{format_exact(gap) if stated else format_number(gap, GAP_DECIMALS)}{gap_unit}"
    if rate or smaller.base <= 0:
        return Relation(larger, smaller, gap, gap_unit, gap_text, None, None)
    times = round(larger.base / smaller.base, TIMES_DECIMALS)
    return Relation(larger, smaller, gap, gap_unit, gap_text, times, times_text(times))


def times_text(times: float) -> str:
    """A multiple as answers write it: 5.21倍."""
    return f"{format_number(times, TIMES_DECIMALS)}倍"


def inverse_times_text(times: float) -> str | None:
    """The multiple the other way round, for a first figure smaller than the second (0.19倍 → 5.21倍)."""
    return times_text(1 / times) if 0 < times < 1 else None
