"""Section-aware chunks: the retrieval unit, each an exact span of one document.

Text is split only inside one section's run of consecutive lines (its heading and body paragraphs
up to the next heading or table), so a chunk never mixes two sections. A table row is one chunk of
its own (label, values and remark), so a figure is never cut off from its indicator; the table is
also chunked whole, cut at its category lines, for questions about its structure. The table of
contents is chunked too: it is the one place that lists a plan's headings together.

``context`` (the section path; for tables also the caption with its value years and the category)
is prefixed to the chunk for BM25 and embeddings: a sub-park profile paragraph never names its
sub-park, only its section heading does.

200 characters with a 30-character overlap measured best for hybrid recall on eval/gold.jsonl:
shorter chunks sharpen the embeddings (one or two facts each) while BM25 still gets whole clauses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from assistant.models import Strict
from assistant.parsing.document import PATH_SEPARATOR, PlanDocument
from assistant.parsing.headings import TOC_MARK
from assistant.parsing.lines import split_lines
from assistant.parsing.tables import Table, TableRow

if TYPE_CHECKING:
    from langchain_text_splitters import TextSplitter

CHUNK_SIZE = 200
CHUNK_OVERLAP = 30
SEPARATORS = ["\n\n", "\n", "。", "；", "，", ""]

ChunkKind = Literal["text", "table", "row", "contents"]


class Chunk(Strict):
    """A retrievable span: ``text == document_text[start:end]``; ``context`` says where it sits."""

    id: str
    doc: str
    section: str
    start: int
    end: int
    text: str
    context: str
    kind: ChunkKind = "text"

    def passage(self) -> str:
        """What is indexed: the heading path first, so the chunk's place is part of its meaning."""
        return f"{self.context}\n{self.text}" if self.context else self.text


@dataclass(frozen=True)
class Run:
    """Consecutive lines of one section (or of the table of contents) to be split into chunks."""

    section: list[str]
    start: int
    end: int
    kind: ChunkKind = "text"


def section_runs(document: PlanDocument) -> list[Run]:
    """Headings and paragraphs grouped into runs that stop at a new section or a table."""
    pieces = [(s.start, s.end, s.path) for s in document.sections]
    pieces += [(p.start, p.end, p.section) for p in document.paragraphs]
    barriers = sorted((t.start, t.end) for t in document.tables)
    runs: list[Run] = []
    for start, end, path in sorted(pieces, key=lambda piece: (piece[0], -piece[1])):
        last = runs[-1] if runs else None
        if last is not None and last.section == path and not _table_between(barriers, last.end, start):
            runs[-1] = Run(path, last.start, max(last.end, end))
        else:
            runs.append(Run(path, start, end))
    return runs


def contents_run(document: PlanDocument) -> Run | None:
    """The table of contents, which lists every heading in one place (outline questions)."""
    if not document.toc:
        return None
    lines = split_lines(document.text)
    for index, line in enumerate(lines):
        if TOC_MARK.match(line.text):
            entries = lines[index + 1 : index + 1 + len(document.toc)]
            if entries:
                return Run([line.text], entries[0].start, entries[-1].end, kind="contents")
    return None


def _table_between(barriers: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start <= table_start < end for table_start, _ in barriers)


def make_splitter(chunk_size: int = CHUNK_SIZE, chunk_overlap: int = CHUNK_OVERLAP) -> TextSplitter:
    """A recursive splitter that prefers paragraph, then sentence, then clause boundaries."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        keep_separator="end",
        strip_whitespace=True,
    )


def split_spans(text: str, start: int, end: int, splitter: TextSplitter) -> list[tuple[int, int]]:
    """Exact spans of the splitter's pieces of ``text[start:end]``; each piece starts after the last."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for piece in splitter.split_text(text[start:end]):
        position = text.find(piece, cursor, end)
        if position < 0:
            raise ValueError(f"splitter piece not found in its run at {start}: {piece[:20]!r}")
        spans.append((position, position + len(piece)))
        cursor = position + 1
    return spans


def table_context(table: Table) -> str:
    """Section path, then the table mark and caption with the years of its value columns."""
    years = "、".join(f"{year}年" for year in table.years)
    caption = f"{table.label} {table.caption}" + (f"({years})" if years else "")
    return PATH_SEPARATOR.join([*table.section, caption])


def table_segments(text: str, table: Table) -> list[tuple[int, int, str | None]]:
    """The table cut before each category line after the first: caption, header and first group
    together, then one segment per category with its rows (the whole table when it has none)."""
    starts: list[tuple[int, str | None]] = [(table.start, table.rows[0].category if table.rows else None)]
    previous_end = table.start
    for index, row in enumerate(table.rows):
        if index > 0 and row.category and row.category != table.rows[index - 1].category:
            line = text.rfind(row.category, previous_end, row.start)
            starts.append((line if line >= 0 else row.start, row.category))
        previous_end = row.end
    ends = [start for start, _ in starts[1:]] + [table.end]
    return [(start, end, category) for (start, category), end in zip(starts, ends)]


def row_context(table: Table, row: TableRow) -> str:
    """The table's context and the row's category."""
    return PATH_SEPARATOR.join([table_context(table), row.category]) if row.category else table_context(table)


def chunk_document(document: PlanDocument, splitter: TextSplitter | None = None) -> list[Chunk]:
    """Every chunk of one document, in text order, with ids ``{doc}:c{n:04d}``."""
    splitter = splitter or make_splitter()
    text = document.text
    drafts: list[tuple[int, int, str, str, ChunkKind]] = []
    runs = section_runs(document)
    contents = contents_run(document)
    if contents is not None:
        runs.append(contents)
    for run in runs:
        label = PATH_SEPARATOR.join(run.section)
        for start, end in split_spans(text, run.start, run.end, splitter):
            drafts.append((start, end, label, label, run.kind))
    for table in document.tables:
        section = PATH_SEPARATOR.join(table.section)
        for segment_start, segment_end, category in table_segments(text, table):
            context = PATH_SEPARATOR.join(filter(None, [table_context(table), category]))
            for start, end in split_spans(text, segment_start, segment_end, splitter):
                drafts.append((start, end, section, context, "table"))
        for row in table.rows:
            drafts.append((row.start, row.end, section, row_context(table, row), "row"))
    drafts.sort(key=lambda draft: (draft[0], draft[1]))
    return [
        Chunk(
            id=f"{document.doc}:c{number:04d}",
            doc=document.doc,
            section=section,
            start=start,
            end=end,
            text=text[start:end],
            context=context,
            kind=kind,
        )
        for number, (start, end, section, context, kind) in enumerate(drafts, start=1)
    ]


def chunk_documents(documents: list[PlanDocument], splitter: TextSplitter | None = None) -> list[Chunk]:
    """Chunks of every document, documents in the given order."""
    splitter = splitter or make_splitter()
    return [chunk for document in documents for chunk in chunk_document(document, splitter)]
