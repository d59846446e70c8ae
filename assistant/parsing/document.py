"""``PlanDocument``: the notice metadata, table of contents, section tree, paragraphs and tables.

Parsing is one pass over the trimmed lines. The table of contents (after 目录) is recorded and
skipped, so its entries are never mistaken for body headings; a ``表N`` mark opens a table whose
cells run until the next chapter-level heading or sentence paragraph; inside an annex, short
unpunctuated lines open blocks (the sub-park profiles).
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from assistant.parsing.headings import (
    ANNEX_WORD,
    FRONT_WORDS,
    SENTENCE_END,
    TABLE_MARK,
    TOC_MARK,
    Heading,
    is_block_title,
    numbered_heading,
)
from assistant.parsing.lines import Line, split_lines
from assistant.parsing.tables import Table, parse_table

NOTICE_TITLE = re.compile(r"关于印发《(.+?)》的通知")
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
PATH_SEPARATOR = " > "


class Section(BaseModel):
    """A heading and its place in the tree; ``path`` lists the headings from the top down."""

    id: str
    level: int
    title: str
    path: list[str]
    start: int
    end: int

    @property
    def label(self) -> str:
        return PATH_SEPARATOR.join(self.path)


class Paragraph(BaseModel):
    """A body paragraph (one line of the plan) with a stable id and exact span."""

    id: str
    doc: str
    section: list[str]
    text: str
    start: int
    end: int


class PlanDocument(BaseModel):
    """One parsed plan."""

    doc: str
    text: str
    title: str
    issuer: str | None
    issue_date: str | None
    issue_year: int | None
    toc: list[str]
    sections: list[Section]
    paragraphs: list[Paragraph]
    tables: list[Table]

    def section_text(self, path: list[str]) -> list[Paragraph]:
        """Paragraphs under a section and its sub-sections, in order."""
        depth = len(path)
        return [p for p in self.paragraphs if p.section[:depth] == path]

    def children(self, section: Section) -> list[Section]:
        """The sections directly under ``section``."""
        depth = len(section.path)
        return [s for s in self.sections if len(s.path) == depth + 1 and s.path[:depth] == section.path]

    def annex_blocks(self) -> list[Section]:
        """The sections opened by block titles inside an annex (level 2 under an annex heading)."""
        return [s for s in self.sections if s.level == 2 and ANNEX_WORD.match(s.path[0]) and s.id.startswith("b")]


class _Builder:
    """Mutable state of one parsing pass; kept private so ``parse_document`` stays a pure function."""

    def __init__(self, doc: str, text: str) -> None:
        self.doc = doc
        self.text = text
        self.path: list[str] = []
        self.sections: list[Section] = []
        self.paragraphs: list[Paragraph] = []
        self.tables: list[Table] = []
        self.in_annex = False

    def open_section(self, level: int, title: str, line: Line, prefix: str = "s") -> None:
        heading_text = line.text.partition(SENTENCE_END)[0] if level >= 3 else line.text
        self.path = self.path[: level - 1] + [heading_text.strip()]
        section_id = f"{prefix}{len(self.sections) + 1:03d}"
        self.sections.append(
            Section(id=section_id, level=level, title=title, path=list(self.path), start=line.start, end=line.start + len(heading_text))
        )

    def add_paragraph(self, line: Line) -> None:
        paragraph_id = f"{self.doc}:p{len(self.paragraphs) + 1:04d}"
        self.paragraphs.append(
            Paragraph(id=paragraph_id, doc=self.doc, section=list(self.path), text=line.text, start=line.start, end=line.end)
        )


def _front_matter(lines: list[Line]) -> tuple[str, str | None, str | None, int | None]:
    """Title, issuing body, date and year from the notice that precedes the plan."""
    first = lines[0].text if lines else ""
    match = NOTICE_TITLE.search(first)
    title = match.group(1) if match else first
    for index, line in enumerate(lines):
        date = DATE_LINE.match(line.text)
        if date:
            issuer = lines[index - 1].text if index > 0 else None
            return title, issuer, line.text, int(date.group(1))
        if TOC_MARK.match(line.text):
            break
    return title, None, None, None


def _is_toc_entry(text: str) -> bool:
    return numbered_heading(text) is not None or bool(ANNEX_WORD.match(text))


def _table_ends(text: str) -> bool:
    heading = numbered_heading(text)
    structural = TABLE_MARK.match(text) or ANNEX_WORD.match(text) or FRONT_WORDS.match(text)
    return (heading is not None and heading.level <= 2) or SENTENCE_END in text or bool(structural)


def _body_heading(text: str) -> Heading | None:
    heading = numbered_heading(text)
    if heading and heading.rest and heading.level <= 2:
        return None
    return heading


def parse_document(doc: str, text: str) -> PlanDocument:
    """Parse one plan's text; every span indexes into ``text`` exactly."""
    lines = split_lines(text)
    title, issuer, issue_date, issue_year = _front_matter(lines)
    builder = _Builder(doc, text)
    toc: list[str] = []
    body_started = False
    index = 0
    builder.path = [lines[0].text] if lines else []
    while index < len(lines):
        line = lines[index]
        if TOC_MARK.match(line.text):
            index += 1
            while index < len(lines) and _is_toc_entry(lines[index].text):
                toc.append(lines[index].text)
                index += 1
            body_started = True
            continue
        if TABLE_MARK.match(line.text):
            end = index + 1
            while end < len(lines) and not _table_ends(lines[end].text):
                end += 1
            builder.tables.append(parse_table(line.text, lines[index + 1 : end], list(builder.path)))
            index = end
            continue
        index += 1
        if FRONT_WORDS.match(line.text) or ANNEX_WORD.match(line.text):
            body_started = True
            builder.in_annex = bool(ANNEX_WORD.match(line.text))
            builder.open_section(1, line.text, line)
            continue
        heading = _body_heading(line.text) if body_started else None
        if heading is not None:
            builder.in_annex = False
            builder.open_section(heading.level, heading.title, line)
            if heading.rest:
                builder.add_paragraph(line)
            continue
        if builder.in_annex and is_block_title(line.text):
            builder.open_section(2, line.text, line, prefix="b")
            continue
        if body_started or not NOTICE_TITLE.search(line.text):
            builder.add_paragraph(line)
    return PlanDocument(
        doc=doc,
        text=text,
        title=title,
        issuer=issuer,
        issue_date=issue_date,
        issue_year=issue_year,
        toc=toc,
        sections=builder.sections,
        paragraphs=builder.paragraphs,
        tables=builder.tables,
    )
