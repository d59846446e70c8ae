"""Structured facts of the real plan: exact spans, spot checks per table and sub-park, absences."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.models import Fact
from assistant.plan import PlanCorpus

CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture(scope="module")
def corpus() -> PlanCorpus:
    return PlanCorpus.load(CORPUS)


def find(corpus: PlanCorpus, subject: str, indicator: str, year: int | None = 2020) -> list[Fact]:
    return [f for f in corpus.facts if f.subject == subject and f.indicator == indicator and f.year == year]


def test_every_quote_is_a_verbatim_span_containing_the_value(corpus: PlanCorpus) -> None:
    texts = corpus.texts()
    assert corpus.facts
    for fact in corpus.facts:
        assert texts[fact.doc][fact.source.start : fact.source.end] == fact.source.quote
        assert fact.text in fact.source.quote


def test_table1_has_twelve_2020_actuals(corpus: PlanCorpus) -> None:
    table1 = [f for f in corpus.facts if f.origin == "table1"]
    assert len(table1) == 12 and all(f.year == 2020 and f.kind == "actual" for f in table1)
    export = next(f for f in table1 if f.indicator == "出口额")
    assert (export.value, export.unit, export.category) == (1.96, "亿美元", "国际化和参与全球竞争的能力")


def test_table2_base_and_target_with_row_units_and_remark(corpus: PlanCorpus) -> None:
    table2 = [f for f in corpus.facts if f.origin == "table2"]
    assert len(table2) == 16
    targets = {f.indicator: f for f in table2 if f.kind == "target"}
    assert targets["高新区规上工业总产值"].text == "679.90" and targets["高新区规上工业总产值"].year == 2025
    assert (targets["高新技术企业"].value, targets["高新技术企业"].unit) == (582, "家")
    assert targets["当年新增发明专利授权"].unit == "件" and targets["从业人员"].unit == "万人"
    assert all(f.note == "按年均增速4%测算" for f in targets.values())


@pytest.mark.parametrize(
    ("subject", "indicator", "text"),
    [
        ("松江工业区西区", "管辖面积", "18.53平方公里"),
        ("松江工业区西区", "从业人员", "约1.5万人"),
        ("环大学城科创园", "税收", "2.9363亿元"),
        ("松江工业区北区", "注册企业", "882家"),
        ("临港松江科技城", "高新技术企业", "215家"),
        ("临港松江科技城", "税收", "25亿元"),
        ("洞泾智能机器人产业基地", "产值", "44.56亿元"),
        ("G60电子信息国际创新创业园", "从业人员", "约6800人"),
        ("莘莘学子创业园", "税收", "0.68亿元"),
    ],
)
def test_profile_spot_checks(corpus: PlanCorpus, subject: str, indicator: str, text: str) -> None:
    facts = find(corpus, subject, indicator)
    assert [f.text for f in facts] == [text]
    assert facts[0].source.section.endswith(facts[0].source.section.split(" > ")[-1])


@pytest.mark.parametrize(
    ("subject", "indicator"),
    [
        ("莘莘学子创业园", "从业人员"),
        ("莘莘学子创业园", "产值"),
        ("环大学城科创园", "规模以上制造业企业"),
        ("环大学城科创园", "专精特新企业"),
        ("洞泾智能机器人产业基地", "市级企业技术中心"),
        ("G60电子信息国际创新创业园", "科技小巨人企业"),
        ("G60电子信息国际创新创业园", "上市挂牌企业"),
    ],
)
def test_fields_a_profile_lacks_are_absent_not_zero(corpus: PlanCorpus, subject: str, indicator: str) -> None:
    assert find(corpus, subject, indicator) == []


def test_every_sub_park_has_its_profile_figures(corpus: PlanCorpus) -> None:
    for subpark in corpus.lexicon.subparks:
        indicators = {f.indicator for f in corpus.facts if f.subject == subpark.name}
        assert {"注册企业", "高新技术企业", "管辖面积", "税收"} <= indicators, subpark.name


def test_narrative_park_figures(corpus: PlanCorpus) -> None:
    park = corpus.lexicon.park.name
    assert [f.text for f in find(corpus, park, "总面积", None)] == ["约22.98平方公里"]
    assert [f.value for f in find(corpus, park, "专利申请")] == [22106]
    assert [f.value for f in find(corpus, park, "专利授权")] == [15215]
    target = find(corpus, park, "工业互联网产业总产值", 2025)
    assert [(f.value, f.kind) for f in target] == [(600, "target")]
    assert [f.value for f in find(corpus, park, "生物医药产业工业产值", 2025)] == [100]


def test_output_share_is_not_mistaken_for_output(corpus: PlanCorpus) -> None:
    assert all(f.unit != "%" for f in corpus.facts if f.indicator == "产值")


def test_a_profile_figures_share_clause_is_its_note_inside_its_cited_span(corpus: PlanCorpus) -> None:
    noted = [f for f in corpus.facts if f.origin == "profile" and f.note]
    assert noted and all(f.source is not None and f.source.quote.endswith(f.note) for f in noted)
    tax = find(corpus, "临港松江科技城", "税收")
    assert tax and tax[0].note is None  # the clause after it is the share of land, not of tax
