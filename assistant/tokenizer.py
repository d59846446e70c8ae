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
KEEP = re.compile(r"[\w\u4e00-\u9fff]")


class PlanTokenizer:
    """A jieba tokenizer of its own (not jieba's global one), loaded explicitly."""

    def __init__(self, words: list[str], stopwords: list[str]) -> None:
        self.words = sorted(set(words))
        self.stopwords = frozenset(stopwords)
        self._jieba: Any = None  # jieba.Tokenizer, imported in load()
        self._memo: dict[str, list[str]] = {}

    def load(self) -> PlanTokenizer:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in self.words:
            tokenizer.add_word(word, freq=WORD_FREQUENCY)
        self._jieba = tokenizer
        return self

    def user_dictionary(self) -> str:
        """The generated user dictionary in jieba's file format, for inspection and reuse."""
        return "".join(f"{word} {WORD_FREQUENCY}\n" for word in self.words if " " not in word)

    def write_user_dictionary(self, path: Path) -> None:
        path.write_text(self.user_dictionary(), encoding="utf-8")

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
