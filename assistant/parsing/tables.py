"""Tables as the plan text lays them out: one cell a line, a row label followed by its values.

A header cell is a year (``2020年``) or a short word (``指标``, ``备注``, ``预计``). After the
header, a label with no values that is followed by another label is a category; a text cell
after a complete row, in a table with a 备注 column and without a unit of its own, is a remark.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from assistant.parsing.lines import Line

NUMBER_CELL = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?$")
YEAR_CELL = re.compile(r"^(\d{4})年")
UNIT_SUFFIX = re.compile(r"[（(]([^()（）]{1,12})[）)]$")
HEADER_UNIT = re.compile(r"单位\s*[:：]\s*([^()（）]+)[）)]")
ROW_NUMBER = re.compile(r"^\d{1,2}、\s*")
REMARK_WORDS = ("备注", "说明")


class Cell(BaseModel):
    """One table cell with its exact span."""

    text: str
    start: int
    end: int


class TableRow(BaseModel):
    """One indicator row: label, category header above it, values by column, remark."""

    label: Cell
    indicator: str
    unit: str
    category: str | None = None
    values: list[Cell]
    remark: Cell | None = None
    start: int
    end: int


class Table(BaseModel):
    """A parsed table: years of its value columns, the header unit, and its rows."""

    label: str
    caption: str
    section: list[str]
    years: list[int]
    header_unit: str | None
    rows: list[TableRow]
    start: int
    end: int


def _cell(line: Line) -> Cell:
    return Cell(text=line.text, start=line.start, end=line.end)


def _is_header_cell(text: str) -> bool:
    return bool(YEAR_CELL.match(text)) or (len(text) <= 4 and not any(ch.isdigit() for ch in text))


def split_label(label: str, header_unit: str | None) -> tuple[str, str]:
    """``1、税收(亿元)`` → (``税收``, ``亿元``); a label without its own unit takes the header's."""
    body = ROW_NUMBER.sub("", label).strip()
    match = UNIT_SUFFIX.search(body)
    if match:
        return body[: match.start()].strip(), match.group(1).strip()
    return body, header_unit or ""


def parse_table(label: str, cells: list[Line], section: list[str]) -> Table:
    """Build a Table from the cell lines that follow a ``表N`` mark."""
    caption = cells[0].text if cells else ""
    header_unit_match = HEADER_UNIT.search(caption)
    header_unit = header_unit_match.group(1).strip() if header_unit_match else None
    body = cells[1:]
    position = 0
    header: list[str] = []
    while position < len(body) and _is_header_cell(body[position].text):
        header.append(body[position].text)
        position += 1
    years = [int(match.group(1)) for text in header if (match := YEAR_CELL.match(text))]
    has_remarks = any(text in REMARK_WORDS for text in header)
    rows = _parse_rows(body[position:], len(years), has_remarks, header_unit)
    end = cells[-1].end if cells else 0
    start = cells[0].start if cells else 0
    return Table(label=label, caption=caption, section=section, years=years, header_unit=header_unit, rows=rows, start=start, end=end)


def _parse_rows(cells: list[Line], width: int, has_remarks: bool, header_unit: str | None) -> list[TableRow]:
    rows: list[TableRow] = []
    category: str | None = None
    for index, line in enumerate(cells):
        text = line.text
        current = rows[-1] if rows else None
        if NUMBER_CELL.match(text):
            if current is not None and len(current.values) < max(width, 1):
                current.values.append(_cell(line))
                current.end = line.end
            continue
        if _is_remark(text, current, width, has_remarks):
            assert current is not None
            current.remark = _cell(line)
            current.end = line.end
            continue
        following = cells[index + 1].text if index + 1 < len(cells) else ""
        if not ROW_NUMBER.match(text) and not UNIT_SUFFIX.search(text) and not NUMBER_CELL.match(following):
            category = text
            continue
        indicator, unit = split_label(text, header_unit)
        rows.append(
            TableRow(label=_cell(line), indicator=indicator, unit=unit, category=category, values=[], start=line.start, end=line.end)
        )
    return rows


def _is_remark(text: str, current: TableRow | None, width: int, has_remarks: bool) -> bool:
    return (
        has_remarks
        and current is not None
        and current.remark is None
        and len(current.values) >= width
        and not UNIT_SUFFIX.search(text)
        and not ROW_NUMBER.match(text)
    )
