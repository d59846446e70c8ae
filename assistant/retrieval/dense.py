"""Dense retrieval with FAISS over L2-normalised vectors, so inner product is cosine similarity.

Exact search (``IndexFlatIP``) up to :data:`EXACT_LIMIT` chunks: at that size a brute-force scan of
384-dimensional vectors costs about a millisecond, and exact results keep rankings reproducible.
Above it an HNSW graph keeps queries sub-linear at a small recall cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.fusion import Scored

EXACT_LIMIT = 50_000
HNSW_NEIGHBOURS = 32
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 128
FLAT = "flat-ip"
HNSW = "hnsw-ip"


def index_type_for(count: int, exact_limit: int = EXACT_LIMIT) -> str:
    """The FAISS index kind a collection of ``count`` vectors gets."""
    return FLAT if count <= exact_limit else HNSW


class DenseIndex:
    """A FAISS inner-product index, built, saved and searched here."""

    def __init__(self, index: Any, kind: str) -> None:
        self._index = index
        self.kind = kind

    @classmethod
    def build(cls, vectors: np.ndarray, exact_limit: int = EXACT_LIMIT) -> "DenseIndex":
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        count, dimension = vectors.shape
        kind = index_type_for(count, exact_limit)
        if kind == FLAT:
            index = faiss.IndexFlatIP(dimension)
        else:
            index = faiss.IndexHNSWFlat(dimension, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
        index.add(vectors)
        return cls(index, kind)

    @classmethod
    def load(cls, path: Path) -> "DenseIndex":
        """Read a saved index; FAISS raises RuntimeError on a missing, truncated or foreign file."""
        import faiss

        index = faiss.read_index(str(path))
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = HNSW_EF_SEARCH
            return cls(index, HNSW)
        return cls(index, FLAT)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def search(self, vector: np.ndarray, depth: int) -> list[Scored]:
        """The ``depth`` nearest chunks to one query vector by inner product, best first."""
        depth = min(depth, self.size)
        if depth <= 0:
            return []
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        scores, indices = self._index.search(query, depth)
        return [Scored(int(i), float(s)) for i, s in zip(indices[0], scores[0]) if i >= 0]
