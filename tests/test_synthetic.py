"""The synthetic corpus generator: deterministic, renamed throughout, figures scaled as documented."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.evaluation.synthetic import (
    document_factor,
    rename,
    scale_figure_text,
    scale_number,
    synthesize,
    write_corpus,
)
from assistant.lexicon import leading_places
from assistant.plan import PlanCorpus

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "corpus"
OTHER = Path(__file__).parent / "data" / "other_plan"


@pytest.fixture(scope="module")
def real() -> PlanCorpus:
    return PlanCorpus.load(CORPUS)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    target = tmp_path_factory.mktemp("synthetic")
    return target, write_corpus(CORPUS, target, 2)


@pytest.fixture(scope="module")
def synthetic(generated: tuple[Path, list]) -> PlanCorpus:
    return PlanCorpus.load(generated[0])


def test_scale_number_keeps_places_and_grouping() -> None:
    assert scale_number("67.09", Decimal("1.1")) == "73.80"
    assert scale_number("679.90", Decimal("1.2")) == "815.88"
    assert scale_number("8", Decimal("1.1")) == "9"
    assert scale_number("1,274.61", Decimal("1.1")) == "1,402.07"
    assert scale_number("0.25", Decimal("1.1")) == "0.28"  # 0.275 rounds half up


def test_scale_figure_text_leaves_chinese_numerals() -> None:
    assert scale_figure_text("约1.5万人", Decimal("1.1")) == "约1.7万人"
    assert scale_figure_text("百亿元", Decimal("1.1")) == "百亿元"


def test_factors_cycle() -> None:
    assert [document_factor(n) for n in (1, 2, 9, 10)] == [Decimal("1.1"), Decimal("1.2"), Decimal("1.9"), Decimal("1.1")]


def test_deterministic(real: PlanCorpus) -> None:
    first = synthesize(real.documents, real.lexicon, 3)
    second = synthesize(real.documents, real.lexicon, 3)
    assert [d.text for d in first] == [d.text for d in second]
    assert [d.names for d in first] == [d.names for d in second]
    assert len({d.text for d in first}) == 3


def test_two_documents_parse_into_twice_the_facts(real: PlanCorpus, synthetic: PlanCorpus, generated) -> None:
    documents = generated[1]
    assert len(synthetic.documents) == 2
    assert len(synthetic.facts) == 2 * len(real.facts)
    expected = {documents[i].names[s.name] for i in range(2) for s in real.lexicon.subparks}
    assert {s.name for s in synthetic.lexicon.subparks} == expected
    assert synthetic.lexicon.park.name == documents[0].names[real.lexicon.park.name]


def test_values_scaled_and_subjects_renamed(real: PlanCorpus, synthetic: PlanCorpus, generated) -> None:
    """Every document's park-level facts name that document's own park."""
    documents = generated[1]
    for number, document in enumerate(documents):
        facts = [f for f in synthetic.facts if f.doc == document.doc]
        assert len(facts) == len(real.facts)
        for original, copy in zip(real.facts, facts, strict=True):
            assert copy.text == scale_figure_text(original.text, document.factor)
            assert copy.subject == document.names[original.subject]
            assert (copy.indicator, copy.year, copy.unit, copy.origin) == (
                original.indicator,
                original.year,
                original.unit,
                original.origin,
            )
        assert document.factor == document_factor(number + 1)


def test_aliases_resolve(real: PlanCorpus, synthetic: PlanCorpus, generated) -> None:
    names = generated[1][1].names
    table = dict(synthetic.lexicon.alias_table())
    # a short form derived from a name's opening place word depends on the renamed text, not on the renaming
    derived = {
        head
        for heads in leading_places({s.name: set(s.aliases) for s in real.lexicon.subparks}, list(real.texts().values())).values()
        for head in heads
    }
    for subpark in real.lexicon.subparks:
        for alias in subpark.aliases:
            if alias in names and alias not in derived:
                assert table[names[alias]] == names[subpark.name]


def test_no_original_subpark_name_remains(real: PlanCorpus, generated) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(generated[0].glob("*.txt"))]
    lexicon_text = (generated[0] / "lexicon.json").read_text(encoding="utf-8")
    for subpark in real.lexicon.subparks:
        for name in [subpark.name, *subpark.aliases[:3]]:
            assert all(name not in text for text in texts), name
            assert name not in lexicon_text, name


def test_rename_question(generated) -> None:
    document = generated[1][0]
    original, new = next((o, n) for o, n in document.names.items() if len(o) >= 4)
    assert rename(f"{original}2020年税收是多少？", document.names) == f"{new}2020年税收是多少？"


def test_works_on_another_plan(tmp_path: Path) -> None:
    source = PlanCorpus.load(OTHER)
    write_corpus(OTHER, tmp_path, 2)
    copy = PlanCorpus.load(tmp_path)
    assert len(copy.facts) == 2 * len(source.facts)
    originals = {s.name for s in source.lexicon.subparks}
    assert originals.isdisjoint(s.name for s in copy.lexicon.subparks)
