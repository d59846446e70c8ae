"""BM25 over pre-tokenised chunks with bm25s; the tokenizer stays outside (injected by the caller).

bm25s's own tokenizer splits on ASCII word boundaries and would see a Chinese sentence as one
token, so only token lists go in and out of this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.retrieval.fusion import Scored


class BM25Index:
    """A bm25s model over token lists, with save/load and a top-``depth`` search."""

    def __init__(self, model: Any) -> None:
        self._model = model

    @classmethod
    def build(cls, documents: list[list[str]]) -> "BM25Index":
        import bm25s

        model = bm25s.BM25()
        model.index(documents, show_progress=False)
        return cls(model)

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        """Load a saved index; bm25s raises OSError or ValueError on missing or damaged files."""
        import bm25s

        return cls(bm25s.BM25.load(str(folder), mmap=False, show_progress=False, verbosity=0))

    def save(self, folder: Path) -> None:
        self._model.save(str(folder), show_progress=False)

    @property
    def size(self) -> int:
        return int(self._model.scores["num_docs"])

    def scores(self, tokens: list[str]) -> np.ndarray:
        """The BM25 score of every document; query tokens unknown to the index score nothing."""
        ids = self._model.get_tokens_ids(tokens)
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._model.get_scores_from_ids(ids), dtype=np.float32)

    def search(self, tokens: list[str], depth: int) -> list[Scored]:
        """Documents that match at least one token, best first (ties by position)."""
        scores = self.scores(tokens)
        return [Scored(index, float(scores[index])) for index in top_indices(scores, depth) if scores[index] > 0]


def top_indices(scores: np.ndarray, depth: int) -> list[int]:
    """Indices of the ``depth`` largest scores, best first; equal scores keep index order."""
    order = np.argsort(-scores, kind="stable")
    return [int(index) for index in order[:depth]]
