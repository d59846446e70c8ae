"""Indicator names and aliases embedded at build time, so a question can be matched to an indicator
by meaning (每百个职工里有几个博士 ≈ 百名职工中博士人数) as well as by its words.

The vectors are the encoder's query vectors of every concept's name and alias (the same symmetric
prompt as chunks), stored beside the chunk index as ``indicators.npz``: one row per alias, with the
concept each row names. Matching is a dot product of L2-normalised vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.lexicon import Lexicon

if TYPE_CHECKING:
    from assistant.embedding.encoder import Encoder


def indicator_aliases(lexicon: Lexicon) -> list[tuple[str, str]]:
    """(alias, concept) for every concept's name and alias, each once, in lexicon order."""
    pairs: list[tuple[str, str]] = []
    for concept in lexicon.concepts:
        for alias in dict.fromkeys([concept.name, *concept.aliases]):
            pairs.append((alias, concept.name))
    return pairs


@dataclass(frozen=True)
class IndicatorVectors:
    """One normalised vector per alias and the concept it names."""

    aliases: list[str]
    concepts: list[str]
    vectors: np.ndarray

    @classmethod
    def embed(cls, lexicon: Lexicon, encoder: Encoder) -> IndicatorVectors:
        pairs = indicator_aliases(lexicon)
        vectors = encoder.encode_queries([alias for alias, _ in pairs]) if pairs else np.empty((0, encoder.dimension), dtype=np.float32)
        return cls([alias for alias, _ in pairs], [concept for _, concept in pairs], np.asarray(vectors, dtype=np.float32))

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            np.savez(handle, aliases=np.array(self.aliases), concepts=np.array(self.concepts), vectors=self.vectors)

    @classmethod
    def load(cls, path: Path) -> IndicatorVectors:
        with np.load(path, allow_pickle=False) as data:
            aliases, concepts, vectors = list(data["aliases"]), list(data["concepts"]), data["vectors"]
        if len(aliases) != len(concepts) or vectors.shape[0] != len(aliases):
            raise ValueError(f"{len(aliases)} aliases, {len(concepts)} concepts and {vectors.shape[0]} vectors")
        return cls([str(a) for a in aliases], [str(c) for c in concepts], vectors.astype(np.float32))

    def similarities(self, vector: np.ndarray) -> dict[str, tuple[float, str]]:
        """Each concept's best cosine to the query vector and the alias that reaches it."""
        scores = self.vectors @ vector
        best: dict[str, tuple[float, str]] = {}
        for alias, concept, score in zip(self.aliases, self.concepts, scores.tolist(), strict=True):
            if concept not in best or score > best[concept][0]:
                best[concept] = (score, alias)
        return best

    def aliases_of(self, concept: str) -> list[str]:
        """Every name the concept goes by."""
        return [alias for alias, named in zip(self.aliases, self.concepts, strict=True) if named == concept]
