"""Chinese word segmentation with jieba, taught the plan's own names so they stay whole words.

Without the user dictionary jieba splits a sub-park name or an indicator such as 科技小巨人 into
pieces and BM25 matches on fragments; with it, names and indicator terms are single tokens, and
search-mode cutting still adds their sub-words (科技城 of a …科技城) so partial names match too.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

WORD_FREQUENCY = 2_000_000
MEMO_SIZE = 50_000
EVERYDAY_SHARE = 3e-4  # as often as this in general Chinese (另外, 一些, 这种), a word is an everyday one
PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nt", "nz", "eng"})
# whole tags of words that say how one asks (a verbal noun vn or an adverbial ad, as jieba tags 积分, name things)
SPEECH_FLAGS = frozenset(
    {"v", "vd", "vg", "d", "dg", "a", "ag", "r", "rr", "rz", "p", "c", "u", "uj", "ul", "uz", "uv", "ug", "ud", "f", "y"}
)
JUDGEMENT_FLAGS = frozenset({"a", "an", "ad", "ag"})
KEEP = re.compile(r"[\w\u4e00-\u9fff]")


class PlanTokenizer:
    """A jieba tokenizer of its own (not jieba's global one), loaded explicitly."""

    def __init__(self, words: list[str], stopwords: list[str]) -> None:
        self.words = sorted(set(words))
        self.stopwords = frozenset(stopwords)
        self._jieba: Any = None  # jieba.Tokenizer, imported in load()
        self._memo: dict[str, list[str]] = {}
        self._general: dict[str, int] = {}
        self._general_total = 1
        self._tagger: Any = None  # jieba.posseg.POSTokenizer, made on first need

    def load(self) -> PlanTokenizer:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        self._general = {word: tokenizer.FREQ.get(word, 0) for word in self.words}
        self._general_total = tokenizer.total
        for word in self.words:
            tokenizer.add_word(word, freq=WORD_FREQUENCY)
        self._jieba = tokenizer
        return self

    def user_dictionary(self) -> str:
        """The generated user dictionary in jieba's file format, for inspection and reuse."""
        return "".join(f"{word} {WORD_FREQUENCY}\n" for word in self.words if " " not in word)

    def write_user_dictionary(self, path: Path) -> None:
        path.write_text(self.user_dictionary(), encoding="utf-8")

    def general_share(self, word: str) -> float:
        """How often general Chinese uses the word (jieba's dictionary counts, before the plan's own
        words were added): 我们 and 没有 are everyday words even where a plan seldom writes them."""
        if self._jieba is None:
            self.load()
        count = self._general[word] if word in self._general else self._jieba.FREQ.get(word, 0)
        return count / self._general_total

    def everyday(self, word: str) -> bool:
        """An everyday word of general Chinese: no sign a question is off the plan. A name general
        Chinese uses often (a city, a country) is a name, not an everyday word."""
        return self.general_share(word) >= EVERYDAY_SHARE and not self.names_something(word)

    def names_something(self, word: str) -> bool:
        """jieba tags a word of it as a place, person, organisation, other proper name or Latin word."""
        return any(flag in PROPER_TAGS for _, flag in self.tags(word))

    def speech(self, word: str) -> bool:
        """jieba tags every word of it as a verb, adverb, adjective, pronoun or function word (成功,
        用不完, 什么样): how one asks, not what about."""
        return all(flag in SPEECH_FLAGS for _, flag in self.tags(word))

    def judges(self, word: str) -> bool:
        """jieba tags every word of it as an adjective (麻烦, 方便, 贵): a judgement a plan leaves to
        its reader, not an event (停工) it would have to state."""
        return all(flag in JUDGEMENT_FLAGS for _, flag in self.tags(word))

    def tags(self, text: str) -> list[tuple[str, str]]:
        """Words with jieba's part-of-speech tags (ns a place, nr a person, n a common noun)."""
        if self._jieba is None:
            self.load()
        if self._tagger is None:
            import jieba.posseg

            self._tagger = jieba.posseg.POSTokenizer(self._jieba)
        return [(pair.word, pair.flag) for pair in self._tagger.lcut(text) if pair.word.strip()]

    def cut(self, text: str) -> list[str]:
        """Whole words as jieba's precise mode gives them (names kept whole)."""
        if self._jieba is None:
            self.load()
        return [token for token in self._jieba.lcut(text) if token.strip()]

    def tokens(self, text: str) -> list[str]:
        """Search tokens: search-mode words, lower-cased, without stop words and punctuation.

        Remembered per text (bounded): passages, figure mentions and dossiers tokenise the same
        sentences when an assistant loads, and a chat replays its earlier questions."""
        cached = self._memo.get(text)
        if cached is None:
            if self._jieba is None:
                self.load()
            cached = [
                token.lower()
                for token in self._jieba.lcut_for_search(text)
                if token.strip() and token not in self.stopwords and KEEP.search(token)
            ]
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[text] = cached
        return list(cached)
