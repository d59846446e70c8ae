"""A second opinion, by meaning, on which indicator a question asks for.

Alias matching finds the indicator whose words a question uses; a question can use the words of a
broad indicator while meaning a narrower one (每百个职工里有几个博士 holds 职工, an alias of
职工人数, but means 百名职工中博士人数), or paraphrase one with no alias at all.
The e5 vectors of every indicator alias (built with the index) are compared with the question's: an
indicator replaces the word match only when it is clearly nearer in meaning (a margin over the one
found, or over the runner-up when none was found) and shares a run of characters with the question, so a
question about something the plan has no indicator for (房价) never borrows one.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher

import numpy as np

from assistant.retrieval.indicators import IndicatorVectors

MEANING_MARGIN = 0.02
REMEMBERED = 1024
MIN_SHARED_RUN = 3
LISTED_MARGIN = 0.01  # a piece listed beside a named indicator is surely an indicator too: a smaller margin suffices
LISTED_SHARED_RUN = 2


class IndicatorMeaning:
    """Indicators matched to a question by the bundled model's vectors."""

    def __init__(self, vectors: IndicatorVectors, embed: Callable[[str], np.ndarray]) -> None:
        self.vectors = vectors
        self.embed = embed  # the retriever's remembered query vectors: a question is embedded once
        self._seen: dict[str, dict[str, tuple[float, str]]] = {}

    def _similarities(self, question: str) -> dict[str, tuple[float, str]]:
        """Remembered per question (bounded): a chat replays its earlier turns on every message."""
        cached = self._seen.get(question)
        if cached is None:
            cached = self.vectors.similarities(self.embed(question))
            if len(self._seen) >= REMEMBERED:
                self._seen.clear()
            self._seen[question] = cached
        return cached

    def forget(self) -> None:
        """Forget remembered question similarities."""
        self._seen.clear()

    def better(self, question: str, found: list[str], margin: float = MEANING_MARGIN, shared_run: int = MIN_SHARED_RUN) -> str | None:
        """The indicator the question means when it is clearly not (one of) ``found``."""
        if not self.vectors.aliases:
            return None
        similarities = self._similarities(question)
        ranked = sorted(similarities.items(), key=lambda pair: -pair[1][0])
        best, (score, _) = ranked[0]
        if best in found:
            return None
        rival = max((similarities[name][0] for name in found if name in similarities), default=None)
        if rival is None:
            rival = ranked[1][1][0] if len(ranked) > 1 else -1.0
        if score - rival < margin or max(_longest_shared(name, question) for name in self.vectors.aliases_of(best)) < shared_run:
            return None  # the nearest name need not be the one the question shares words with (甲以上 of 甲以上学历)
        return best


def _longest_shared(first: str, second: str) -> int:
    """The length of the longest run of characters both texts hold (博士人数)."""
    match = SequenceMatcher(None, first, second, autojunk=False).find_longest_match(0, len(first), 0, len(second))
    return match.size
