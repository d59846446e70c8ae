"""Chunks are exact spans, stay inside one section, keep table rows whole and carry their heading path."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index.chunks import (
    CHUNK_SIZE,
    Chunk,
    chunk_document,
    chunk_documents,
    make_splitter,
    split_spans,
    table_segments,
)
from assistant.parsing.document import PATH_SEPARATOR, PlanDocument
from assistant.plan import PlanCorpus

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "corpus", ROOT / "tests" / "data" / "other_plan"]


@pytest.fixture(scope="module", params=CORPORA, ids=lambda path: path.name)
def parsed(request: pytest.FixtureRequest) -> tuple[list[PlanDocument], list[Chunk]]:
    documents = PlanCorpus.load(request.param).documents
    return documents, chunk_documents(documents)


@pytest.fixture(scope="module")
def plan() -> PlanDocument:
    return PlanCorpus.load(ROOT / "corpus").documents[0]


@pytest.fixture(scope="module")
def plan_chunks(plan: PlanDocument) -> list[Chunk]:
    return chunk_document(plan)


def test_every_chunk_is_its_document_slice(parsed: tuple[list[PlanDocument], list[Chunk]]) -> None:
    documents, chunks = parsed
    texts = {document.doc: document.text for document in documents}
    assert chunks
    for chunk in chunks:
        assert chunk.text == texts[chunk.doc][chunk.start : chunk.end]
        assert chunk.text.strip() == chunk.text and chunk.text


def test_ids_are_stable_and_sequential(parsed: tuple[list[PlanDocument], list[Chunk]]) -> None:
    documents, chunks = parsed
    assert chunk_documents(documents) == chunks
    for document in documents:
        ids = [chunk.id for chunk in chunks if chunk.doc == document.doc]
        assert ids == [f"{document.doc}:c{n:04d}" for n in range(1, len(ids) + 1)]


def test_no_text_chunk_crosses_a_section_boundary(parsed: tuple[list[PlanDocument], list[Chunk]]) -> None:
    documents, chunks = parsed
    by_doc = {document.doc: document for document in documents}
    for chunk in (c for c in chunks if c.kind == "text"):
        document = by_doc[chunk.doc]
        inside = [p.section for p in document.paragraphs if p.start < chunk.end and chunk.start < p.end]
        inside += [s.path for s in document.sections if chunk.start <= s.start < chunk.end]
        assert inside, chunk.id
        assert {PATH_SEPARATOR.join(path) for path in inside} == {chunk.section}, chunk.id
        assert not any(chunk.start < t.end and t.start < chunk.end for t in document.tables), chunk.id
        assert len(chunk.text) <= CHUNK_SIZE


def test_all_body_text_is_covered(plan: PlanDocument, plan_chunks: list[Chunk]) -> None:
    for paragraph in plan.paragraphs:
        covered = [c for c in plan_chunks if c.start < paragraph.end and paragraph.start < c.end]
        assert covered, paragraph.id
        assert min(c.start for c in covered) <= paragraph.start and max(c.end for c in covered) >= paragraph.end


def test_each_table_row_is_one_chunk(plan: PlanDocument, plan_chunks: list[Chunk]) -> None:
    rows = [c for c in plan_chunks if c.kind == "row"]
    assert len(rows) == sum(len(table.rows) for table in plan.tables) > 0
    for table in plan.tables:
        for row in table.rows:
            [chunk] = [c for c in rows if c.start == row.label.start]
            assert chunk.end == row.end == (row.remark or row.values[-1]).end
            assert all(cell.text in chunk.text for cell in row.values)
            assert table.label in chunk.context and table.caption in chunk.context
            if row.category:
                assert chunk.context.endswith(row.category)
    for chunk in rows:
        assert sum(row.label.start in range(chunk.start, chunk.end) for t in plan.tables for row in t.rows) == 1


def test_target_row_context_names_the_value_years(plan_chunks: list[Chunk]) -> None:
    [row] = [c for c in plan_chunks if c.kind == "row" and c.text.startswith("高新技术企业数")]
    assert row.text == "高新技术企业数(家)\n\n478\n\n582"
    assert "2020年、2025年" in row.context


def test_tables_are_also_chunked_by_category(plan: PlanDocument, plan_chunks: list[Chunk]) -> None:
    first = plan.tables[0]
    segments = table_segments(plan.text, first)
    categories = list(dict.fromkeys(row.category for row in first.rows))
    assert [category for _, _, category in segments] == categories
    for (_, _, category), (start, _, _) in zip(segments[1:], segments[1:]):
        assert plan.text[start:].startswith(category)
    table_chunks = [c for c in plan_chunks if c.kind == "table" and first.start <= c.start < first.end]
    assert all(any(c.context.endswith(category) for c in table_chunks) for category in categories)


def test_annex_profiles_are_tied_to_their_sub_park_by_context(plan: PlanDocument, plan_chunks: list[Chunk]) -> None:
    blocks = plan.annex_blocks()
    assert len(blocks) == 7
    silent = 0
    for block in blocks:
        chunks = [c for c in plan_chunks if c.section == block.label]
        assert len(chunks) >= 2
        assert all(c.context == block.label and c.context.endswith(block.title) for c in chunks)
        assert all(c.passage().startswith(block.label + "\n") for c in chunks)
        silent += sum(block.title not in c.text for c in chunks)
    assert silent >= len(blocks)


def test_contents_chunks_cover_the_table_of_contents(plan: PlanDocument, plan_chunks: list[Chunk]) -> None:
    contents = [c for c in plan_chunks if c.kind == "contents"]
    assert contents and all(c.section == "目录" for c in contents)
    text = "".join(c.text for c in contents)
    assert all(entry in text for entry in plan.toc)


def test_split_spans_are_exact_with_overlap() -> None:
    text = "前文。" + "第一句很长的内容，带有逗号；还有分号。" * 12 + "\n\n第二段。"
    spans = split_spans(text, 3, len(text), make_splitter(chunk_size=40, chunk_overlap=10))
    assert len(spans) > 3
    assert all(0 < end - start <= 40 for start, end in spans)
    assert [text[s:e] for s, e in spans] == make_splitter(chunk_size=40, chunk_overlap=10).split_text(text[3:])
    assert spans[0][0] == 3 and spans[-1][1] == len(text)
    assert all(a[0] < b[0] for a, b in zip(spans, spans[1:]))
