"""Reciprocal rank fusion: combines rankings by position only, so BM25 and cosine scores,
which live on unrelated scales, never have to be calibrated against each other."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

RRF_K = 60
Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Scored:
    """A ranked item (a chunk's position in the index) and its score."""

    index: int
    score: float


def reciprocal_rank_fusion(rankings: Sequence[Sequence[Key]], k: int = RRF_K) -> list[tuple[Key, float]]:
    """``score(d) = sum over rankings of 1 / (k + rank(d))`` with ranks from 1, best first.

    Equal scores keep the order in which items first appear (earlier rankings first).
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    fused: dict[Key, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda pair: -pair[1])
