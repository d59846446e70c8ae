"""``Retriever``: BM25, dense and hybrid search over a loaded index, returning ``SearchHit`` records.

Hybrid fuses the two rankings by reciprocal rank: BM25 finds exact names and figures (with the
plan's own words kept whole by the tokenizer), the embeddings find paraphrases. The separate
rankings with their raw scores are public too, so the answer engine can calibrate when nothing
relevant was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np

from assistant.config import settings
from assistant.index.chunks import Chunk
from assistant.index.manifest import Manifest
from assistant.index.store import IndexStore
from assistant.models import SearchHit
from assistant.retrieval.bm25 import QueryExpander
from assistant.retrieval.fusion import RRF_K, Scored, reciprocal_rank_fusion

if TYPE_CHECKING:
    from assistant.embedding.encoder import Encoder
    from assistant.tokenizer import PlanTokenizer

Method = Literal["hybrid", "bm25", "dense"]
METHODS: tuple[str, ...] = get_args(Method)
CANDIDATES = 50

REMEMBERED_QUERIES = 1024


@dataclass(frozen=True)
class Rankings:
    """The two rankings behind a hybrid search, best first, with raw scores.

    ``bm25`` holds only chunks sharing a token with the query (BM25 score > 0); ``dense`` holds the
    nearest chunks by cosine similarity, however far.
    """

    bm25: list[Scored]
    dense: list[Scored]

    def fused(self, k: int = RRF_K) -> list[Scored]:
        ranked = reciprocal_rank_fusion([[s.index for s in self.bm25], [s.index for s in self.dense]], k=k)
        return [Scored(index, score) for index, score in ranked]


class Retriever:
    """Search one index; build it with :meth:`load` (the tokenizer loads there, the encoder on first need)."""

    def __init__(self, store: IndexStore, encoder: Encoder, tokenizer: PlanTokenizer, candidates: int = CANDIDATES) -> None:
        if candidates < 1:
            raise ValueError(f"candidates must be >= 1, got {candidates}")
        self.store = store
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.candidates = candidates
        self.expander = QueryExpander.from_lexicon(store.lexicon)
        self._vectors: dict[str, np.ndarray] = {}  # query vectors, remembered: a question is searched more than once

    @classmethod
    def load(
        cls,
        index_dir: Path,
        corpus_dir: Path | None = None,
        encoder: Encoder | None = None,
        cache_dir: Path | None = None,
        model: str | None = None,
    ) -> Retriever:
        """Load and check the index and its tokenizer; the encoder it was built with (unless given)
        is set up but loads on the first dense search, so figure answers never wait for torch.

        ``model``, or a given ``encoder``'s name, must be the index's model, else the index is stale.
        """
        from assistant.embedding.encoder import Encoder

        store = IndexStore.load(index_dir, corpus_dir=corpus_dir, model=encoder.name if encoder else model)
        if encoder is None:
            encoder = Encoder(store.manifest.model, cache_dir or settings().model_cache)
        return cls(store, encoder, store.tokenizer().load())

    @property
    def chunks(self) -> list[Chunk]:
        return self.store.chunks

    @property
    def manifest(self) -> Manifest:
        return self.store.manifest

    def bm25_ranking(self, query: str, depth: int | None = None) -> list[Scored]:
        """Chunks sharing search tokens (or canonical words of its aliases) with the query, by BM25 score."""
        tokens = self.tokenizer.tokens(query) + self.expander.words(query)
        return self.store.bm25.search(tokens, depth or self.candidates)

    def forget_queries(self) -> None:
        """Forget remembered query vectors."""
        self._vectors.clear()

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding, remembered: one question is searched, and matched to indicators by
        meaning, more than once, and embedding it is the dearest step of answering."""
        vector = self._vectors.get(query)
        if vector is None:
            vector = self.encoder.encode_queries([query])[0]
            if len(self._vectors) >= REMEMBERED_QUERIES:
                self._vectors.clear()
            self._vectors[query] = vector
        return vector

    def dense_ranking(self, query: str, depth: int | None = None) -> list[Scored]:
        """The chunks nearest to the query embedding, by cosine similarity."""
        return self.store.dense.search(self.query_vector(query), depth or self.candidates)

    def rankings(self, query: str, depth: int | None = None) -> Rankings:
        """Both rankings with raw scores, ``depth`` (default: ``candidates``) deep each."""
        return Rankings(bm25=self.bm25_ranking(query, depth), dense=self.dense_ranking(query, depth))

    def ranked(self, query: str, method: Method = "hybrid", depth: int | None = None) -> list[Scored]:
        """One method's ranking: raw scores for ``bm25`` and ``dense``, fused scores for ``hybrid``."""
        if method not in METHODS:
            raise ValueError(f"unknown retrieval method {method!r}; valid: {', '.join(METHODS)}")
        if not query.strip():
            return []
        if method == "bm25":
            return self.bm25_ranking(query, depth)
        if method == "dense":
            return self.dense_ranking(query, depth)
        return self.rankings(query, depth).fused()

    def search(self, query: str, k: int = 5, method: Method = "hybrid") -> list[SearchHit]:
        """The ``k`` best chunks for ``query``; an empty query finds nothing."""
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        ranked = self.ranked(query, method, max(k, self.candidates))
        return [self.hit(scored) for scored in ranked[:k]]

    def hit(self, scored: Scored) -> SearchHit:
        chunk = self.chunks[scored.index]
        return SearchHit(
            chunk_id=chunk.id,
            doc=chunk.doc,
            section=chunk.section,
            start=chunk.start,
            end=chunk.end,
            quote=chunk.text,
            score=scored.score,
        )
