"""Figure mentions: every figure written in the plan's prose, with the sentence that states it.

Tables and annex profiles become ``Fact`` records with a known indicator; most figures of a plan
are neither (``引进相关企业80余家``, ``培育3到5家设计企业``, ``占地150亩``,
``同比增长12.5%``, ``排名全市第三``). A mention keeps the figure as written (value, unit, scale,
qualifier, range), the label before it in its clause, and the exact spans of the figure and of its
sentence, so a question about any prose figure can be answered figure first with its sentence
quoted as the citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.parsing.document import PlanDocument
from assistant.parsing.sentences import PARAGRAPH_LABEL, sentence_spans
from assistant.quantities import BARE, DAY, MONEY, MONTH, YEAR, Quantity, find_quantities

CLAUSE_BREAK = re.compile(r"[，,。；;：:（()）]")
LABEL_TAIL = re.compile(r"(为|达到|达|约|超过|了|共|有|高达|累计|实现|是)+$")
RANGE_JOINER = re.compile(r"\s*(?:-|~|～|—|–|至|到)\s*")
RANK = re.compile(r"(?:排名|排在|位列|位居|名列)[^，,。；]{0,8}?第(?P<rank>[一二三四五六七八九十\d]+)(?:位|名)?")
CHANGE_WORDS = re.compile(r"(增长|增加|提高|提升|下降|减少|同比|比上年|较上年|增幅|增速)")
SKIPPED_DIMENSIONS = frozenset({YEAR, MONTH, DAY, BARE})
MONEY_LABEL = re.compile(r"(投资|资金|产值|税|收入|营收|利润|销售|融资|基金|规模)")
# a bound written after the figure (税收3亿元/年以上, 100人左右) is part of the figure as stated
TRAILING_QUALIFIER = re.compile(r"以上|左右|以内|上下|以下(?!简称|几)")


@dataclass(frozen=True)
class FigureMention:
    """One figure of running text; ``start``/``end`` span the figure, ``sentence_*`` its sentence."""

    doc: str
    section: str
    text: str
    number: float
    value: float
    unit: str
    dimension: str
    qualifier: str
    label: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    context: str = ""
    paragraph_label: str = ""
    after: str = ""
    change: bool = False
    upper: float | None = None


def _label(sentence: str, position: int) -> str:
    breaks = list(CLAUSE_BREAK.finditer(sentence, 0, position))
    clause_start = breaks[-1].end() if breaks else 0
    return LABEL_TAIL.sub("", sentence[clause_start:position]).strip()


def _after(sentence: str, position: int) -> str:
    """The words right after a figure, to the end of its clause (3到5家 → 极具成长性的设计企业)."""
    found = CLAUSE_BREAK.search(sentence, position)
    return sentence[position : found.start() if found else len(sentence)]


def _merge_ranges(sentence: str, found: list[Quantity]) -> list[tuple[Quantity, Quantity | None]]:
    """``3到5家`` / ``3-5家``: one mention spanning both ends, valued at its lower end."""
    merged: list[tuple[Quantity, Quantity | None]] = []
    index = 0
    while index < len(found):
        first = found[index]
        second = found[index + 1] if index + 1 < len(found) else None
        if second is not None and first.dimension == second.dimension and RANGE_JOINER.fullmatch(sentence, first.end, second.start):
            merged.append((first, second))
            index += 2
        else:
            merged.append((first, None))
            index += 1
    return merged


def _dimension(quantity: Quantity, label: str) -> str:
    """``投资200亿`` states money without writing 元: a bare number with a magnitude is money where
    its label is a money word (also over a unit: ``80万/亩``), and no figure otherwise."""
    numerator, _, per = quantity.dimension.partition("/")
    if numerator == BARE and quantity.scale > 1 and MONEY_LABEL.search(label):
        numerator = MONEY  # 投资200亿, 亩均税收80万/亩
    return f"{numerator}/{per}" if per else numerator


def sentence_mentions(
    doc: str, section: str, sentence: str, offset: int, context: str = "", paragraph_label: str = ""
) -> list[FigureMention]:
    """The figures of one sentence whose document span starts at ``offset``; ``context`` names what
    the sentence is about when its paragraph says so once (a labelled paragraph, its heading)."""
    mentions = []
    end = offset + len(sentence)
    for first, second in _merge_ranges(sentence, find_quantities(sentence)):
        stop = second.end if second else first.end
        trailing = TRAILING_QUALIFIER.match(sentence, stop)
        stop = trailing.end() if trailing else stop
        label = _label(sentence, first.start)
        dimension = _dimension(first, label)
        if dimension in SKIPPED_DIMENSIONS:
            continue
        mentions.append(
            FigureMention(
                doc=doc,
                section=section,
                text=sentence[first.start : stop],
                number=first.number,
                value=first.value,
                unit=(second or first).unit,
                dimension=dimension,
                qualifier=first.qualifier or (trailing.group() if trailing else ""),
                label=label,
                start=offset + first.start,
                end=offset + stop,
                sentence_start=offset,
                sentence_end=end,
                context=context,
                paragraph_label=paragraph_label,
                after=_after(sentence, stop),
                change=bool(CHANGE_WORDS.search(label)),
                upper=second.value if second else None,
            )
        )
    for match in RANK.finditer(sentence):
        mentions.append(
            FigureMention(
                doc=doc,
                section=section,
                text=match.group(0),
                number=0.0,
                value=0.0,
                unit="名次",
                dimension="rank",
                qualifier="",
                label=_label(sentence, match.start()),
                start=offset + match.start(),
                end=offset + match.end(),
                sentence_start=offset,
                sentence_end=end,
                context=context,
            )
        )
    return mentions


def extract_mentions(documents: list[PlanDocument]) -> list[FigureMention]:
    """Every figure of every paragraph (prose and annex alike), sentence by sentence."""
    mentions: list[FigureMention] = []
    for document in documents:
        for paragraph in document.paragraphs:
            section = " > ".join(paragraph.section)
            lead = PARAGRAPH_LABEL.match(paragraph.text)
            context = " ".join([paragraph.section[-1] if paragraph.section else "", lead.group(1) if lead else ""])
            for start, end in sentence_spans(paragraph.text, paragraph.start):
                mentions.extend(
                    sentence_mentions(document.doc, section, document.text[start:end], start, context, lead.group(1) if lead else "")
                )
    return mentions
