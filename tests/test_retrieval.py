"""Retrieval: RRF by hand, BM25 by hand, FAISS against numpy brute force, and real questions on the real plan."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from assistant.models import SearchHit
from assistant.plan import PlanCorpus
from assistant.retrieval.bm25 import K1, B, BM25Index, QueryExpander
from assistant.retrieval.dense import FLAT, HNSW, DenseIndex
from assistant.retrieval.fusion import Scored, reciprocal_rank_fusion
from assistant.retrieval.retriever import Rankings, Retriever

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def retriever(index_dir: Path, model_cache: Path) -> Retriever:
    return Retriever.load(index_dir, corpus_dir=CORPUS, cache_dir=model_cache)


# --- fusion -------------------------------------------------------------------------------------


def test_rrf_scores_by_hand() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60))
    assert fused == pytest.approx({"a": 1 / 61 + 1 / 62, "b": 1 / 62, "c": 1 / 63 + 1 / 61, "d": 1 / 63})
    assert [item for item, _ in reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])] == ["a", "c", "b", "d"]


def test_rrf_small_k_and_ties() -> None:
    assert reciprocal_rank_fusion([[1, 2], [2, 1]], k=0) == [(1, 1.5), (2, 1.5)]
    assert reciprocal_rank_fusion([["x"], ["y"]]) == [("x", 1 / 61), ("y", 1 / 61)]
    assert reciprocal_rank_fusion([]) == []
    with pytest.raises(ValueError, match="k must be"):
        reciprocal_rank_fusion([["a"]], k=-1)


def test_rankings_fuse_chunk_positions() -> None:
    rankings = Rankings(bm25=[Scored(3, 9.0), Scored(1, 2.0)], dense=[Scored(1, 0.9), Scored(7, 0.8)])
    assert rankings.fused() == [Scored(1, 1 / 62 + 1 / 61), Scored(3, 1 / 61), Scored(7, 1 / 62)]


# --- BM25 ---------------------------------------------------------------------------------------


def test_bm25_scores_by_hand() -> None:
    index = BM25Index.build([["a", "b"], ["a", "c", "c"], ["d"]])
    average = 2.0

    def expected(tf: int, df: int, length: int) -> float:
        idf = math.log(1 + (3 - df + 0.5) / (df + 0.5))
        return idf * tf / (tf + K1 * (1 - B + B * length / average))

    assert index.scores(["c"]) == pytest.approx([0.0, expected(2, 1, 3), 0.0], rel=1e-5)
    assert [s.index for s in index.search(["a"], 10)] == [0, 1]
    assert [s.score for s in index.search(["a"], 10)] == pytest.approx([expected(1, 2, 2), expected(1, 2, 3)], rel=1e-5)
    assert index.search(["zzz"], 10) == []
    assert index.search([], 10) == []


def test_bm25_save_and_load_round_trip(tmp_path: Path) -> None:
    index = BM25Index.build([["临港", "税收"], ["洞泾", "员工"]])
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.size == 2
    assert loaded.search(["税收"], 5) == index.search(["税收"], 5)


def test_query_expander_adds_canonical_words_once() -> None:
    expander = QueryExpander(
        [("洞泾", ["洞泾智能机器人产业基地"]), ("洞泾基地", ["洞泾智能机器人产业基地"]), ("高企", ["高新技术企业", "高企"])]
    )
    assert expander.words("洞泾基地有几家高企？") == ["洞泾智能机器人产业基地", "高新技术企业"]
    assert expander.words("洞泾智能机器人产业基地") == []
    assert expander.words("") == []


# --- dense --------------------------------------------------------------------------------------


def _unit_rows(count: int, dimension: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_flat_index_equals_numpy_brute_force() -> None:
    vectors, queries = _unit_rows(500, 32, 1), _unit_rows(20, 32, 2)
    index = DenseIndex.build(vectors)
    assert index.kind == FLAT
    for query in queries:
        expected = vectors @ query
        order = np.argsort(-expected)[:10]
        hits = index.search(query, 10)
        assert [h.index for h in hits] == order.tolist()
        assert [h.score for h in hits] == pytest.approx(expected[order].tolist(), abs=1e-5)


def test_large_collections_get_an_approximate_index(tmp_path: Path) -> None:
    vectors, queries = _unit_rows(2000, 32, 3), _unit_rows(20, 32, 4)
    index = DenseIndex.build(vectors, exact_limit=1000)
    assert index.kind == HNSW
    index.save(tmp_path / "hnsw.index")
    loaded = DenseIndex.load(tmp_path / "hnsw.index")
    assert loaded.kind == HNSW and loaded.size == 2000
    found = sum(len({h.index for h in loaded.search(query, 10)} & set(np.argsort(-(vectors @ query))[:10].tolist())) for query in queries)
    assert found / (10 * len(queries)) >= 0.95


def test_real_index_matches_brute_force(retriever: Retriever) -> None:
    vectors = retriever.store.dense.vectors()
    assert vectors.shape == (len(retriever.chunks), retriever.manifest.dimension)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx(1.0, abs=1e-3)
    queries = retriever.encoder.encode_queries(["临港松江科技城的税收", "人才安居", "集成电路产业"])
    for query in queries:
        expected = vectors @ query
        hits = retriever.store.dense.search(query, 8)
        assert [h.index for h in hits] == np.argsort(-expected, kind="stable")[:8].tolist()
        assert [h.score for h in hits] == pytest.approx(expected[[h.index for h in hits]].tolist(), abs=1e-4)


# --- the retriever on the real plan ---------------------------------------------------------------

QUESTIONS = [
    ("临港科技城的税收", "附件 > 临港松江科技城", "税收25亿元"),
    ("2025年高企数量目标", "三、发展愿景与目标 > (三)发展指标", "高新技术企业数(家)"),
    ("G60电子信息园有哪些试点业务", "附件 > G60电子信息国际创新创业园", "试点业务"),
    ("人才安居", "打造G60科创走廊人才高地", "人才安居"),
    ("专利申请", "园区产业体系日益完善", "22106件"),
    ("洞泾基地有多少员工", "附件 > 洞泾智能机器人产业基地", "员工"),
    ("十三五时期园区的税收完成了多少", "(二)“十三五”指标完成情况", "67.09"),
    ("规划的保障措施有哪几方面", "五、发展保障措施", "加强"),
    ("集成电路产业的发展定位", "2、打造全国领先的集成电路产业集聚区", "集成电路"),
]


@pytest.mark.parametrize(("question", "section", "phrase"), QUESTIONS)
def test_search_finds_the_right_section(retriever: Retriever, question: str, section: str, phrase: str) -> None:
    hits = retriever.search(question, k=3)
    assert any(section in hit.section and phrase in hit.quote for hit in hits), [(h.section, h.quote[:30]) for h in hits]


def test_hits_are_exact_spans_best_first(retriever: Retriever) -> None:
    texts = {document.doc: document.text for document in PlanCorpus.load(CORPUS).documents}
    for method in ("hybrid", "bm25", "dense"):
        hits = retriever.search("临港松江科技城的产值和税收", k=6, method=method)
        assert len(hits) == 6 and all(isinstance(hit, SearchHit) for hit in hits)
        assert all(texts[hit.doc][hit.start : hit.end] == hit.quote for hit in hits)
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
        assert len({hit.chunk_id for hit in hits}) == 6


def test_hybrid_score_is_the_fused_score(retriever: Retriever) -> None:
    question = "莘莘学子创业园的税收"
    fused = retriever.rankings(question).fused()
    hits = retriever.search(question, k=4)
    assert [hit.chunk_id for hit in hits] == [retriever.chunks[s.index].id for s in fused[:4]]
    assert [hit.score for hit in hits] == pytest.approx([s.score for s in fused[:4]])


def test_rankings_expose_raw_scores(retriever: Retriever) -> None:
    rankings = retriever.rankings("洞泾智能机器人产业基地的员工总数", depth=20)
    assert 0 < len(rankings.bm25) <= 20 and len(rankings.dense) == 20
    assert all(s.score > 0 for s in rankings.bm25)
    assert [s.score for s in rankings.bm25] == sorted((s.score for s in rankings.bm25), reverse=True)
    assert all(-1.0 <= s.score <= 1.0 for s in rankings.dense)
    assert [s.score for s in rankings.dense] == sorted((s.score for s in rankings.dense), reverse=True)
    assert retriever.bm25_ranking("zzzz qqqq") == []


def test_search_validates_its_arguments(retriever: Retriever) -> None:
    with pytest.raises(ValueError, match="hybrid, bm25, dense"):
        retriever.search("税收", method="sparse")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="k must be"):
        retriever.search("税收", k=0)
    assert retriever.search("   ") == []
    assert len(retriever.search("税收", k=500)) == len(retriever.chunks)
