"""Names come from the document (and the corpus data file); the tokenizer keeps them whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.plan import PlanCorpus

CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture(scope="module")
def corpus() -> PlanCorpus:
    return PlanCorpus.load(CORPUS)


def aliases(corpus: PlanCorpus) -> dict[str, set[str]]:
    return {s.name: set(s.aliases) for s in corpus.lexicon.subparks}


def test_seven_sub_parks_each_with_aliases(corpus: PlanCorpus) -> None:
    table = aliases(corpus)
    assert len(table) == 7
    assert all(table.values())


def test_parenthesised_alternatives_from_the_text(corpus: PlanCorpus) -> None:
    table = aliases(corpus)
    assert "中山工业园" in table["松江工业区北区"]
    assert "洞泾人工智能产业基地" in table["洞泾智能机器人产业基地"]
    assert "松江大学城双创集聚区" in table["环大学城科创园"]


def test_data_file_aliases_merge_into_derived_names(corpus: PlanCorpus) -> None:
    table = aliases(corpus)
    assert "松江经开区西区" in table["松江工业区西区"]
    assert "临港科技城" in table["临港松江科技城"]


def test_park_short_name_from_its_definition(corpus: PlanCorpus) -> None:
    assert corpus.lexicon.park.name == "张江高新区松江园"
    assert "上海张江高新技术开发区松江园" in corpus.lexicon.park.aliases


def test_user_dictionary_keeps_domain_words_whole(corpus: PlanCorpus) -> None:
    tokenizer = corpus.tokenizer().load()
    words = tokenizer.cut("临港松江科技城的专精特新和科技小巨人在G60科创走廊")
    for word in ("临港松江科技城", "专精特新", "科技小巨人", "G60科创走廊"):
        assert word in words
    assert "临港松江科技城" in tokenizer.user_dictionary()


def test_a_synonym_with_a_particle_on_its_edge_is_not_made_a_word(corpus: PlanCorpus) -> None:
    """落户了 is 落户 + 了: made a word it would hide 落户 in the plan's own 落户了海尔…."""
    lexicon = corpus.lexicon.model_copy(update={"synonyms": {**corpus.lexicon.synonyms, "落户了": ["入驻"], "冲科创板": ["上市"]}})
    words = set(lexicon.dictionary_words())
    assert "落户了" not in words
    assert "冲科创板" in words
