"""BM25 over pre-tokenised chunks with bm25s, and lexicon expansion of query words.

bm25s's own tokenizer splits on ASCII word boundaries and would see a Chinese sentence as one
token, so only token lists go in and out of the index; the caller injects the tokenizer.

Users say 高企 or a short name where the plan writes 高新技术企业 or heads a profile with the full name;
the lexicon knows these pairs, so a query naming an alias also searches the canonical whole word.
The added words are single tokens (not cut again), so a long name adds one precise match instead of
its common fragments (园区, 科技).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.lexicon import Lexicon
from assistant.retrieval.fusion import Scored

K1 = 1.2
B = 0.75


class BM25Index:
    """A bm25s model over token lists, with save/load and a top-``depth`` search."""

    def __init__(self, model: Any) -> None:
        self._model = model

    @classmethod
    def build(cls, documents: list[list[str]]) -> BM25Index:
        import bm25s

        model = bm25s.BM25(k1=K1, b=B)
        model.index(documents, show_progress=False)
        return cls(model)

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
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


class QueryExpander:
    """Canonical words for the aliases a query contains, longest alias first, never overlapping."""

    def __init__(self, synonyms: list[tuple[str, list[str]]]) -> None:
        self.synonyms = sorted(synonyms, key=lambda pair: len(pair[0]), reverse=True)

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> QueryExpander:
        """Sub-park aliases → the sub-park's name; indicator words → the indicator's name and text cues.

        The park itself is left out: its name is in nearly every chunk and would only add noise.
        """
        synonyms = [(alias, [subject.name]) for subject in lexicon.subparks for alias in {subject.name, *subject.aliases}]
        for concept in lexicon.concepts:
            synonyms += [(word, [concept.name, *concept.cues]) for word in concept.words()]
        return cls(synonyms)

    def words(self, query: str) -> list[str]:
        """Lower-cased canonical words to add to the query's tokens, each once, none already said."""
        taken = [False] * len(query)
        found: list[str] = []
        for alias, canonical in self.synonyms:
            start = query.find(alias)
            while start >= 0:
                end = start + len(alias)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * (end - start)
                    found += [word.lower() for word in canonical if word not in query]
                start = query.find(alias, end)
        return list(dict.fromkeys(found))
