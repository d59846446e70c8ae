"""Figures written in running text: ``约2.3万人``, ``48亿元``, ``百亿元`` — with the label before them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.quantities import CALENDAR, find_quantities

CLAUSE_BREAK = re.compile(r"[，,。；;：:、（()）]")
LABEL_TAIL = re.compile(r"(为|达到|达|约|超过|了|共|有)+$")
YEAR = re.compile(r"(\d{4})年")
WRITTEN_DECIMALS = 6


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


def find_figures(text: str, offset: int = 0) -> list[TextFigure]:
    """Figures of one paragraph that carry a unit (found by ``quantities``, the one figure reader);
    ``offset`` maps paragraph positions to document positions."""
    figures: list[TextFigure] = []
    for quantity in find_quantities(text):
        if not quantity.unit or quantity.dimension in CALENDAR:
            continue
        breaks = list(CLAUSE_BREAK.finditer(text, 0, quantity.start))
        clause_start = breaks[-1].end() if breaks else 0
        label = LABEL_TAIL.sub("", text[clause_start : quantity.start]).strip()
        years = YEAR.findall(text, 0, quantity.start)
        figures.append(
            TextFigure(
                value=round(quantity.number, WRITTEN_DECIMALS),
                unit=quantity.unit,
                text=quantity.text,
                label=label,
                start=offset + quantity.start,
                end=offset + quantity.end,
                clause_start=offset + clause_start,
                year=int(years[-1]) if years else None,
            )
        )
    return figures
