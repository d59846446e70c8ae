"""A second, made-up plan with the same kinds of structure but other names and numbers.

Guards against code that only works for the one real plan.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.plan import PlanCorpus

OTHER = Path(__file__).parent / "data" / "other_plan"


@pytest.fixture(scope="module")
def corpus() -> PlanCorpus:
    return PlanCorpus.load(OTHER)


def value(corpus: PlanCorpus, subject: str, indicator: str, year: int | None = 2020) -> list[str]:
    return [f.text for f in corpus.facts if f.subject == subject and f.indicator == indicator and f.year == year]


def test_metadata_and_structure(corpus: PlanCorpus) -> None:
    plan = corpus.documents[0]
    assert plan.title == "滨江高新技术产业开发区湖畔园“十四五”规划"
    assert (plan.issuer, plan.issue_year) == ("湖畔区经济和信息化局", 2022)
    assert [b.title for b in plan.annex_blocks()] == ["北湖数字港", "南湖生命科学园(南湖医谷)", "东湖智造基地"]


def test_names(corpus: PlanCorpus) -> None:
    assert corpus.lexicon.park.name == "滨江湖畔园"
    table = {s.name: set(s.aliases) for s in corpus.lexicon.subparks}
    assert "南湖医谷" in table["南湖生命科学园"]
    assert "数字港" in table["北湖数字港"]


def test_tables(corpus: PlanCorpus) -> None:
    park = corpus.lexicon.park.name
    assert value(corpus, park, "省级研发机构数") == ["15"]
    assert value(corpus, park, "高新技术企业", 2025) == ["140"]
    target = next(f for f in corpus.facts if f.indicator == "从业人员" and f.year == 2025)
    assert (target.unit, target.kind, target.note) == ("万人", "target", "按年均增速5%测算")


def test_profiles_and_absences(corpus: PlanCorpus) -> None:
    assert value(corpus, "南湖生命科学园", "从业人员") == ["约1.1万人"]
    assert value(corpus, "北湖数字港", "从业人员") == ["约8200人"]
    assert value(corpus, "东湖智造基地", "税收") == ["3.1亿元"]
    assert value(corpus, "东湖智造基地", "产值") == []
    assert value(corpus, "北湖数字港", "规模以上制造业企业") == []


def test_narrative(corpus: PlanCorpus) -> None:
    park = corpus.lexicon.park.name
    assert value(corpus, park, "专利申请") == ["3120件"]
    assert value(corpus, park, "总面积", None) == ["约9.5平方公里"]


def test_spans(corpus: PlanCorpus) -> None:
    text = corpus.documents[0].text
    for fact in corpus.facts:
        assert text[fact.source.start : fact.source.end] == fact.source.quote


def test_a_corpus_of_two_plans_keeps_each_plans_park(tmp_path: Path) -> None:
    real = Path(__file__).parents[1] / "corpus"
    for source in (real / "songjiang_park_14th_five_year_plan.txt", OTHER / "riverside_plan.txt", real / "lexicon.json"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    both = PlanCorpus.load(tmp_path)
    parks = {park.doc: park.name for park in both.lexicon.all_parks()}
    assert len(parks) == 2
    for fact in both.facts:
        if fact.origin in ("table1", "table2"):
            assert fact.subject == parks[fact.doc]
    assert len(both.lexicon.subparks) == 7 + 3
