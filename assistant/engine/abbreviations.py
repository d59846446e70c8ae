"""Short forms people type for the plan's words: 税费 for 减税降费, 营收 for 营业收入, 规上 for 规模以上.

Chinese short forms keep characters of the full form in their order and drop the rest, so a word
the plan never writes whose characters the plan does write in order, a character or two apart
within one run of text, is read as that run: it is the plan's topic, not a sign the question is off
the plan, and the run finds the passages. Derived from the documents, so no list is kept per plan.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Container

from cachetools import LRUCache

MAX_GAP = 2  # characters the short form drops between two it keeps (规[模以]上, 税[降]费)
MIN_LENGTH = 2
MAX_LENGTH = 4
MAX_FORMS = 3  # more runs than this: the characters are too common to point anywhere
CACHED_WORDS = 4096
MIN_SHORTENED = 4  # 人力资源 → 人资; a three-character word keeps too little to shorten
MAX_SHORTENED = 6
CHINESE = re.compile(r"[\u4e00-\u9fff]+")


def spelled_in(word: str, text: str) -> bool:
    """The text writes the word's characters in order, at most ``MAX_GAP`` apart (成交额 in
    成交金额): a label's word the prose spells out."""
    gap = f"[\u4e00-\u9fff]{{0,{MAX_GAP}}}?"
    return re.search(gap.join(re.escape(ch) for ch in word), text) is not None


def shortened(word: str, vocabulary: Container[str]) -> frozenset[str]:
    """The plan's own two-character short forms of a longer word a question spells out (人资 of
    人力资源): two of its characters in order, not side by side, that the plan writes as a word."""
    if not MIN_SHORTENED <= len(word) <= MAX_SHORTENED or not CHINESE.fullmatch(word):
        return frozenset()
    pairs = (word[i] + word[j] for i, j in itertools.combinations(range(len(word)), 2) if j - i > 1)
    return frozenset(pair for pair in pairs if pair in vocabulary)


class Abbreviations:
    """The runs of a plan's text that a short form abbreviates."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: LRUCache[str, tuple[str, ...]] = LRUCache(maxsize=CACHED_WORDS)

    def spelled_out(self, word: str) -> tuple[str, ...]:
        """The plan's runs the word abbreviates (at most a few distinct ones); none for a word the
        plan writes as it is, for one that is not all Chinese, or for one too short or too long."""
        if word not in self._cache:
            self._cache[word] = self._runs(word)
        return self._cache[word]

    def _runs(self, word: str) -> tuple[str, ...]:
        if not MIN_LENGTH <= len(word) <= MAX_LENGTH or not CHINESE.fullmatch(word) or word in self.text:
            return ()
        gap = f"[\u4e00-\u9fff]{{0,{MAX_GAP}}}?"
        pattern = re.compile(gap.join(re.escape(ch) for ch in word))
        runs = list(dict.fromkeys(found.group() for found in pattern.finditer(self.text)))
        return tuple(runs) if len(runs) <= MAX_FORMS else ()
