"""Pure rendering for the app: answers, sources, plan sections and figure tables.

Everything that reaches HTML passes through ``escape`` first, so a question or a plan line
holding ``<script>`` shows as text. Answer HTML is one line without blank lines: the chat
renders Markdown, and a single HTML block passes through it untouched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assistant.engine.factbase import base_value, display_unit, format_number, origin_label
from assistant.models import Answer, Fact, Span
from assistant.parsing.document import PATH_SEPARATOR, PlanDocument, Section
from assistant.parsing.tables import Table

MISSING = "未给出"
KIND_LABELS = {
    "lookup": "查数",
    "compare": "比较",
    "compute": "计算",
    "list": "列举",
    "passage": "原文",
    "refusal": "规划未给出",
}
REASON_LABELS = {"index_unavailable": "服务不可用"}
QUESTION_LIMIT = 300
CONTEXT_CHARS = 80
BLANK_LINES = re.compile(r"\n\s*\n+")

Cell = str | int | float


def escape(text: str) -> str:
    """HTML-escape text, quotes included (it may land in an attribute)."""
    return html.escape(text, quote=True)


def escape_lines(text: str) -> str:
    """Escaped text with line breaks as ``<br>``; blank lines collapse, so no Markdown paragraph breaks out."""
    return "<br>".join(escape(line) for line in BLANK_LINES.sub("\n", text.strip("\n")).split("\n"))


def numbered_sources(answer: Answer) -> list[Span]:
    """The spans an answer rests on, figures' sources first, each span once: what ``[n]`` counts."""
    seen: set[tuple[str, int, int]] = set()
    sources = []
    for span in [*(f.source for f in answer.figures if f.source), *answer.citations]:
        key = (span.doc, span.start, span.end)
        if key not in seen:
            seen.add(key)
            sources.append(span)
    return sources


def _source_number(sources: list[Span], span: Span | None) -> int | None:
    if span is None:
        return None
    for number, source in enumerate(sources, start=1):
        if (source.doc, source.start, source.end) == (span.doc, span.start, span.end):
            return number
    return None


def highlight_figures(text: str, marks: Mapping[str, int | None]) -> str:
    """Escaped ``text`` with every figure text in ``<mark>``, followed by its source number.

    The longest figure wins at a position, and a match must not start inside a number,
    so ``5亿元`` is not marked inside ``25亿元``.
    """
    needles = sorted((needle for needle in marks if needle), key=len, reverse=True)
    out: list[str] = []
    plain_from = 0
    position = 0
    while position < len(text):
        before = text[position - 1] if position else ""
        found = None
        if not (before.isdigit() or before == "."):
            found = next((needle for needle in needles if text.startswith(needle, position)), None)
        if found is None:
            position += 1
            continue
        out.append(escape(text[plain_from:position]))
        number = marks[found]
        reference = f'<sup class="pa-ref">[{number}]</sup>' if number else ""
        out.append(f'<mark class="pa-figure">{escape(found)}</mark>{reference}')
        position += len(found)
        plain_from = position
    out.append(escape(text[plain_from:]))
    return "".join(out)


def span_context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """The cited span with up to ``width`` characters of its own lines on each side; ``…`` where
    the line goes on beyond them (not for its indentation alone)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left = max(line_start, start - width)
    right = min(line_end, end + width)
    before = ("…" if text[line_start:left].strip() else "") + text[left:start]
    after = text[end:right] + ("…" if text[right:line_end].strip() else "")
    return before, text[start:end], after


def render_quote(span: Span, texts: Mapping[str, str], width: int = CONTEXT_CHARS) -> str:
    """The quote in up to ``width`` characters of its context, the cited span marked; the bare
    quote when the text is unknown."""
    text = texts.get(span.doc)
    if text is None or text[span.start : span.end] != span.quote:
        return f'<mark class="pa-cited">{escape_lines(span.quote)}</mark>'
    before, quote, after = span_context(text, span.start, span.end, width)
    return f'{escape_lines(before)}<mark class="pa-cited">{escape_lines(quote)}</mark>{escape_lines(after)}'


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render_source(number: int, span: Span, texts: Mapping[str, str]) -> str:
    """One numbered, expandable source: section path and quote preview; open for the context."""
    where = escape(span.section or span.doc)
    return (
        f'<details class="pa-source"><summary><span class="pa-num">[{number}]</span> '
        f'<span class="pa-section">{where}</span> <span class="pa-preview">“{escape(_short(span.quote, 40))}”</span></summary>'
        f'<blockquote class="pa-context">{render_quote(span, texts)}</blockquote></details>'
    )


def render_question(question: str, limit: int = QUESTION_LIMIT) -> str:
    """The user's turn as text; a very long question is shown cut (the engine cuts it too)."""
    shown = question if len(question) <= limit else f"{question[:limit]}…（共{len(question)}字）"
    return f'<div class="pa-question">{escape_lines(shown) if shown.strip() else "（空）"}</div>'


def render_answer(answer: Answer, texts: Mapping[str, str]) -> str:
    """An answer: kind badge, text with figures marked and referenced, then numbered sources."""
    sources = numbered_sources(answer)
    marks = {figure.text: _source_number(sources, figure.source) for figure in answer.figures}
    badge_class = "pa-badge pa-refused" if answer.refused else "pa-badge"
    label = REASON_LABELS.get(answer.reason or "") or KIND_LABELS.get(answer.kind, answer.kind)
    parts = [
        f'<div class="pa-answer pa-kind-{escape(answer.kind)}">',
        f'<div class="pa-meta"><span class="{badge_class}">{escape(label)}</span>'
        f'<span class="pa-confidence">置信度 {answer.confidence:.0%}</span></div>',
        f'<div class="pa-text">{highlight_figures(answer.answer, marks)}</div>',
    ]
    if sources:
        parts.append('<div class="pa-sources"><div class="pa-sources-title">来源</div>')
        parts.extend(render_source(number, span, texts) for number, span in enumerate(sources, start=1))
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def render_notice(title: str, message: str) -> str:
    """A warning banner (e.g. the index is missing) with the engine's one-line message."""
    return f'<div class="pa-notice"><strong>{escape(title)}</strong> {escape(message)}</div>'


# Figures explorer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FactTable:
    """Rows for a Dataframe: sortable values, the text each cell shows (the plan's own string
    where it has one, e.g. ``123.40``), and the fact behind each cell keyed by (row's first cell,
    column) so a click still finds it after the user sorts."""

    headers: list[str]
    rows: list[list[Cell | None]] = field(default_factory=list)
    display: list[list[str]] = field(default_factory=list)
    sources: dict[tuple[str, int], Fact] = field(default_factory=dict)

    def add(self, values: list[Cell | None], shown: Mapping[int, str] | None = None) -> None:
        shown = shown or {}
        self.rows.append(values)
        self.display.append([shown.get(column, cell_text(value)) for column, value in enumerate(values)])

    def fact_at(self, row_key: str, column: int) -> Fact | None:
        return self.sources.get((row_key, column))


@dataclass(frozen=True)
class Bar:
    """One bar: a label and its value, or ``None`` when the plan does not state it."""

    label: str
    value: float | None
    text: str


def number(value: float) -> int | float:
    """An int when whole, so tables show ``478``, not ``478.0``."""
    rounded = round(value, 4)
    return int(rounded) if rounded == int(rounded) else rounded


def cell_text(value: Cell | None) -> str:
    """How a cell shows: a missing value (``None``, which sorts as empty) reads 未给出."""
    if value is None:
        return MISSING
    return format_number(value, 4) if isinstance(value, float) else str(value)


def growth_percent(base: float, target: float) -> float | None:
    """Growth from base to target in percent, two decimals; ``None`` without a base."""
    if base == 0:
        return None
    return round((target / base - 1) * 100, 2)


def with_unit(name: str, unit: str) -> str:
    return f"{name}({unit})" if unit else name


def indicator_table(facts: Iterable[Fact]) -> FactTable:
    """An indicator table (one row per indicator, one column per year), with growth % when it
    spans two years and the remarks the plan attaches to rows."""
    facts = list(facts)
    years = sorted({f.year for f in facts if f.year is not None})
    indicators: dict[str, list[Fact]] = {}
    for fact in facts:
        indicators.setdefault(fact.indicator, []).append(fact)
    has_category = any(f.category for f in facts)
    has_growth = len(years) == 2
    has_note = any(f.note for f in facts)
    headers = ["指标", "单位", *(f"{year}年" for year in years)]
    headers += [f"{years[0]}–{years[1]}年增长(%)"] if has_growth else []
    headers += ["类别"] if has_category else []
    headers += ["备注"] if has_note else []
    table = FactTable(headers=headers)
    for indicator, group in indicators.items():
        by_year = {f.year: f for f in group}
        row: list[Cell | None] = [indicator, group[0].unit]
        shown: dict[int, str] = {}
        for column, year in enumerate(years, start=2):
            stated = by_year.get(year)
            row.append(number(stated.value) if stated else None)
            if stated:
                table.sources[(indicator, column)] = stated
                shown[column] = _without_unit(stated.text, stated.unit)
        if has_growth:
            first, last = by_year.get(years[0]), by_year.get(years[1])
            growth = growth_percent(first.value, last.value) if first and last else None
            row.append(growth)
        if has_category:
            row.append(group[0].category or "")
        if has_note:
            row.append("；".join(dict.fromkeys(f.note for f in group if f.note)))
        table.add(row, shown)
    return table


def _without_unit(text: str, unit: str) -> str:
    """The plan's string for a cell whose header names the unit: ``约1.5万人`` → ``约1.5``."""
    return text[: -len(unit)] if unit and text.endswith(unit) else text


def _in_display_unit(fact: Fact, unit: str) -> float:
    value, _ = base_value(fact.value, fact.unit)
    scale, _ = base_value(1.0, unit)
    return value / scale


def _profile_columns(facts: list[Fact]) -> dict[str, str]:
    """Each profile indicator and the unit its column shows (the largest of the units used)."""
    units: dict[str, list[str]] = {}
    for fact in facts:
        units.setdefault(fact.indicator, []).append(fact.unit)
    return {indicator: display_unit(found) for indicator, found in units.items()}


def profile_pivot(facts: Iterable[Fact]) -> FactTable:
    """Sub-park × indicator, units in the headers; a field a sub-park does not state is 未给出.

    A figure written in another unit than its column's (``约6800人`` under 万人) is converted and
    keeps its ``约``; the plan's own string is one click away in the source panel."""
    facts = list(facts)
    columns = _profile_columns(facts)
    subjects = list(dict.fromkeys(f.subject for f in facts))
    cells: dict[tuple[str, str], Fact] = {}
    for fact in facts:
        cells.setdefault((fact.subject, fact.indicator), fact)
    table = FactTable(headers=["子园", *(with_unit(name, unit) for name, unit in columns.items())])
    for subject in subjects:
        row: list[Cell | None] = [subject]
        shown: dict[int, str] = {}
        for column, (indicator, unit) in enumerate(columns.items(), start=1):
            stated = cells.get((subject, indicator))
            if stated is None:
                row.append(None)
                continue
            value = number(_in_display_unit(stated, unit))
            row.append(value)
            table.sources[(subject, column)] = stated
            approximate = "约" if stated.text.startswith("约") else ""
            shown[column] = _without_unit(stated.text, unit) if stated.unit == unit else f"{approximate}{cell_text(value)}"
        table.add(row, shown)
    return table


def profile_indicators(facts: Iterable[Fact]) -> list[tuple[str, str]]:
    """(label with unit, indicator) choices for the chart selector."""
    return [(with_unit(name, unit), name) for name, unit in _profile_columns(list(facts)).items()]


def profile_bars(facts: Iterable[Fact], indicator: str) -> tuple[str, list[Bar]]:
    """The display unit and one bar per sub-park for ``indicator``; missing stays ``None``, not 0."""
    facts = list(facts)
    unit = _profile_columns(facts).get(indicator, "")
    subjects = list(dict.fromkeys(f.subject for f in facts))
    found = {f.subject: f for f in reversed(facts) if f.indicator == indicator}
    bars = []
    for subject in subjects:
        fact = found.get(subject)
        if fact is None:
            bars.append(Bar(subject, None, MISSING))
            continue
        value = _in_display_unit(fact, unit)
        shown = f"{format_number(value, 4)}{unit}"
        text = shown if fact.unit == unit else f"{shown}（{fact.text}）"
        bars.append(Bar(subject, value, text))
    return unit, bars


def bar_chart_html(title: str, bars: list[Bar]) -> str:
    """A horizontal bar chart in plain HTML; a missing value is a labelled gap, never a zero bar."""
    largest = max((bar.value for bar in bars if bar.value is not None), default=0.0)
    rows = []
    for bar in bars:
        if bar.value is None:
            cell = f'<span class="pa-bar-missing">{escape(bar.text)}</span>'
        else:
            width = 0.0 if largest <= 0 else max(bar.value / largest * 100, 0.5)
            cell = f'<span class="pa-bar" style="width:{width:.1f}%"></span><span class="pa-bar-value">{escape(bar.text)}</span>'
        label = f'<span class="pa-bar-label">{escape(bar.label)}</span>'
        rows.append(f'<div class="pa-bar-row">{label}<span class="pa-bar-track">{cell}</span></div>')
    return f'<div class="pa-chart"><div class="pa-chart-title">{escape(title)}</div>{"".join(rows)}</div>'


def fact_label(fact: Fact) -> str:
    """A one-line name of a figure, for selectors."""
    year = f"{fact.year}年" if fact.year else ""
    target = "目标" if fact.kind == "target" else ""
    return f"{fact.subject} · {fact.indicator} · {year}{target} · {fact.text}"


def render_fact_source(fact: Fact | None, texts: Mapping[str, str]) -> str:
    """Where one figure comes from: value as written, origin, section path and marked quote."""
    if fact is None:
        return '<div class="pa-fact pa-hint">点击表格中的数字，查看它在规划中的原文出处。</div>'
    origin = origin_label(fact)
    note = f'<div class="pa-fact-note">备注：{escape(fact.note)}</div>' if fact.note else ""
    return (
        f'<div class="pa-fact"><div class="pa-fact-head"><span class="pa-badge">{escape(origin)}</span> '
        f"{escape(fact_label(fact))}</div>"
        f'<div class="pa-section">{escape(fact.source.section or fact.doc)}</div>{note}'
        f'<blockquote class="pa-context">{render_quote(fact.source, texts)}</blockquote></div>'
    )


def facts_rows(facts: Iterable[Fact]) -> list[list[Cell]]:
    """Every figure with its source, for the full traceability table."""
    return [
        [
            fact.subject,
            fact.indicator,
            fact.year or "",
            "目标" if fact.kind == "target" else "实际",
            fact.text,
            fact.unit,
            origin_label(fact),
            fact.source.section,
            " ".join(fact.source.quote.split()),
        ]
        for fact in facts
    ]


FACT_HEADERS = ["主体", "指标", "年份", "类型", "原文数值", "单位", "来源", "章节", "原文"]


# Plan browser -------------------------------------------------------------------------------


def section_key(document: PlanDocument, section: Section) -> str:
    """How the plan browser names a section: ``doc|section id``."""
    return f"{document.doc}|{section.id}"


def section_choices(documents: list[PlanDocument]) -> list[tuple[str, str]]:
    """(label, key) per section; labels are heading paths."""
    many = len(documents) > 1
    choices = []
    for document in documents:
        for section in document.sections:
            prefix = f"{document.title}：" if many else ""
            choices.append((f"{prefix}{section.label}", section_key(document, section)))
    return choices


def section_keys(documents: list[PlanDocument]) -> dict[tuple[str, str], str]:
    """(doc, heading path as a span's ``section`` writes it) → the plan browser's key."""
    return {(document.doc, section.label): section_key(document, section) for document in documents for section in document.sections}


def find_section(documents: list[PlanDocument], key: str) -> tuple[PlanDocument, Section] | None:
    doc, _, section_id = key.partition("|")
    for document in documents:
        if document.doc == doc:
            section = next((s for s in document.sections if s.id == section_id), None)
            return (document, section) if section else None
    return None


def render_table(table: Table) -> str:
    """A plan table as HTML: indicator, unit, one column per year, remark."""
    head = "".join(f"<th>{escape(h)}</th>" for h in ["指标", "单位", *(f"{y}年" for y in table.years), "备注"])
    body = []
    for row in table.rows:
        values = [cell.text for cell in row.values] + [""] * (len(table.years) - len(row.values))
        cells = [row.indicator, row.unit, *values, row.remark.text if row.remark else ""]
        body.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    caption = escape(f"{table.label} {table.caption}".strip())
    return f'<table class="pa-table"><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _paragraph_html(text: str, start: int, marked: tuple[int, int] | None) -> str:
    """A paragraph's text; the part of ``marked`` (plan offsets) inside it in ``<mark>``."""
    if marked is None or not (start <= marked[0] < start + len(text)):
        return escape(text)
    left, right = marked[0] - start, min(marked[1] - start, len(text))
    return f'{escape(text[:left])}<mark class="pa-cited">{escape(text[left:right])}</mark>{escape(text[right:])}'


def render_section(document: PlanDocument, section: Section, marked: tuple[int, int] | None = None) -> str:
    """A section's heading path, its paragraphs (sub-section titles between them) and its tables;
    ``marked`` (start, end in the plan text) is marked where a paragraph holds it."""
    depth = len(section.path)
    parts = [f'<div class="pa-plan"><div class="pa-path">{escape(PATH_SEPARATOR.join(section.path))}</div>']
    current: list[str] = section.path
    for paragraph in document.section_text(section.path):
        if paragraph.section != current and len(paragraph.section) > depth:
            parts.append(f"<h4>{escape(paragraph.section[-1])}</h4>")
        current = paragraph.section
        parts.append(f"<p>{_paragraph_html(paragraph.text, paragraph.start, marked)}</p>")
    parts.extend(render_table(t) for t in document.tables if t.section[:depth] == section.path)
    if len(parts) == 1:
        parts.append('<p class="pa-hint">本节没有正文。</p>')
    parts.append("</div>")
    return "".join(parts)
