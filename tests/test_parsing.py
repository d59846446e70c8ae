"""The plan's structure: notice metadata, table of contents, section tree, paragraphs, tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.corpus import read_corpus
from assistant.parsing.document import PlanDocument, parse_document

CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture(scope="module")
def plan() -> PlanDocument:
    source = read_corpus(CORPUS)[0]
    return parse_document(source.doc, source.text)


def test_notice_metadata(plan: PlanDocument) -> None:
    assert plan.title == "上海张江高新技术产业开发区松江园“十四五”规划"
    assert plan.issuer == "松江区科学技术委员会"
    assert plan.issue_date == "2021年12月21日"
    assert plan.issue_year == 2021


def test_toc_chapters_appear_in_order_as_body_sections(plan: PlanDocument) -> None:
    chapters = [entry for entry in plan.toc if re.match(r"^[一二三四五六七八九十]+、", entry)]
    assert len(chapters) == 5
    body_chapters = [s.title for s in plan.sections if s.level == 1 and re.match(r"^[一二三四五六七八九十]+、", s.path[0])]
    assert [c.split("、", 1)[1] for c in chapters] == body_chapters
    assert plan.toc[-1] == "附件"


def test_toc_entries_are_not_body_headings(plan: PlanDocument) -> None:
    toc_end = plan.text.index("前言")
    assert all(section.start >= toc_end for section in plan.sections)


def test_section_tree_levels(plan: PlanDocument) -> None:
    paths = [" > ".join(s.path) for s in plan.sections]
    assert any(p.endswith("1、打造基于工业互联网的智能制造产业集群 > (1)发展定位") for p in paths)
    assert all(len(s.path) == s.level for s in plan.sections)


def test_annex_blocks_are_the_seven_sub_parks(plan: PlanDocument) -> None:
    blocks = [b.title for b in plan.annex_blocks()]
    assert len(blocks) == 7
    assert "临港松江科技城" in blocks and "松江工业区北区(中山工业园)" in blocks


def test_paragraph_spans_are_exact_and_ids_stable(plan: PlanDocument) -> None:
    for paragraph in plan.paragraphs:
        assert plan.text[paragraph.start : paragraph.end] == paragraph.text
    again = parse_document(plan.doc, plan.text)
    assert [p.id for p in again.paragraphs] == [p.id for p in plan.paragraphs]
    assert len({p.id for p in plan.paragraphs}) == len(plan.paragraphs)


def test_page_noise_is_not_content(plan: PlanDocument) -> None:
    texts = {p.text for p in plan.paragraphs}
    assert not any(t.startswith(("字号", "分享")) for t in texts)


def test_tables_rows_units_and_categories(plan: PlanDocument) -> None:
    table1, table2 = plan.tables
    assert table1.years == [2020] and len(table1.rows) == 12
    assert {row.category for row in table1.rows} == {"知识创造和孕育创新的能力", "产业化和规模经济水平", "国际化和参与全球竞争的能力"}
    assert table2.years == [2020, 2025] and table2.header_unit == "亿元" and len(table2.rows) == 8
    units = {row.indicator: row.unit for row in table2.rows}
    assert units["高新技术企业数"] == "家" and units["当年新增发明专利授权"] == "件" and units["从业人员"] == "万人"
    assert table2.rows[0].remark is not None and table2.rows[0].remark.text == "按年均增速4%测算"
    for table in plan.tables:
        for row in table.rows:
            for cell in [row.label, *row.values]:
                assert plan.text[cell.start : cell.end] == cell.text
