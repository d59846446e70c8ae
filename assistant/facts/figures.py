"""Figures written in running text: ``约1.5万人``, ``165亿元``, ``百亿元`` — with the label before them."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = "万人|人|亿元|万元|平方公里|公顷|家|件|个|%"
FIGURE = re.compile(
    rf"(?P<prefix>约|近|超过)?(?:(?P<num>\d+(?:\.\d+)?)(?P<unit>{UNITS})|(?P<cnum>[一二两三四五六七八九十百千]+)(?P<cunit>亿元|万元))"
)
CLAUSE_BREAK = re.compile(r"[，,。；;：:、（()）]")
LABEL_TAIL = re.compile(r"(为|达到|达|约|超过|了|共|有)+$")
YEAR = re.compile(r"(\d{4})年")


@dataclass(frozen=True)
class TextFigure:
    """One figure in a paragraph: value, unit, the text as written, the label before it, spans."""

    value: float
    unit: str
    text: str
    label: str
    start: int
    end: int
    clause_start: int
    year: int | None


def _value(match: re.Match[str]) -> tuple[float, str] | None:
    """Arabic figures directly; Chinese numerals through cn2an, which wants 一百 for a bare 百."""
    if match.group("num"):
        return float(match.group("num")), match.group("unit")
    numeral = match.group("cnum")
    if numeral[0] in "十百千":
        numeral = "一" + numeral
    import cn2an  # imported on the first Chinese numeral

    try:
        return float(cn2an.cn2an(numeral, "smart")), match.group("cunit")
    except ValueError:
        return None


def find_figures(text: str, offset: int = 0) -> list[TextFigure]:
    """Figures of one paragraph; ``offset`` maps paragraph positions to document positions."""
    figures: list[TextFigure] = []
    for match in FIGURE.finditer(text):
        parsed = _value(match)
        if parsed is None:
            continue
        if match.start() > 0 and (text[match.start() - 1].isdigit() or text[match.start() - 1] == "."):
            continue
        value, unit = parsed
        breaks = list(CLAUSE_BREAK.finditer(text, 0, match.start()))
        clause_start = breaks[-1].end() if breaks else 0
        label = LABEL_TAIL.sub("", text[clause_start : match.start()]).strip()
        years = YEAR.findall(text, 0, match.start())
        figures.append(
            TextFigure(
                value=value,
                unit=unit,
                text=match.group(0),
                label=label,
                start=offset + match.start(),
                end=offset + match.end(),
                clause_start=offset + clause_start,
                year=int(years[-1]) if years else None,
            )
        )
    return figures
