"""Words typed by sound: a piece of a question the plan never writes that sounds exactly like one
word the plan does write (站略 → 战略, 利闰 → 利润) is read as that word.

Pinyin input makes homophones the commonest typing slip in Chinese. Names and indicator words are
matched by sound already (``names.py``); this does the same for every other word of the plan, so a
slip in a topic word neither misleads retrieval nor reads as a word the plan lacks.
"""

from __future__ import annotations

import re
from functools import cached_property

from assistant.engine.names import sounds, typed_for, usual_sound
from assistant.tokenizer import PlanTokenizer

WORD_LENGTHS = (4, 3, 2)
HAN = re.compile(r"[\u4e00-\u9fff]+")


class SoundAlikeSpelling:
    """Corrects homophone slips against one corpus's vocabulary."""

    def __init__(self, tokenizer: PlanTokenizer, corpus_text: str) -> None:
        self.tokenizer = tokenizer
        self.corpus_text = corpus_text

    @cached_property
    def vocabulary(self) -> dict[tuple[int, str], list[str]]:
        """The plan's words by length and first syllable, built on the first question that needs it."""
        index: dict[tuple[int, str], list[str]] = {}
        words = {w for w in self.tokenizer.cut(self.corpus_text) if len(w) in WORD_LENGTHS and HAN.fullmatch(w)}
        for word in sorted(words):
            for reading in sounds(word[0]):
                index.setdefault((len(word), reading), []).append(word)
        return index

    def correct(self, text: str) -> str:
        """The text with each run of lone characters (how jieba cuts a word it does not know) that
        the plan never writes and that sounds like exactly one plan word replaced by that word."""
        pieces = self.tokenizer.cut(text)
        result: list[str] = []
        lone: list[str] = []
        for piece in [*pieces, ""]:
            if len(piece) == 1 and HAN.fullmatch(piece) and piece not in self.tokenizer.stopwords:
                lone.append(piece)
                continue
            result.append(self._corrected("".join(lone)))
            lone = []
            result.append(piece)
        corrected = "".join(result)
        return corrected if len(corrected) == len(text) else text

    def _corrected(self, run: str) -> str:
        if len(run) < min(WORD_LENGTHS) or run in self.corpus_text:
            return run
        start = 0
        while start < len(run):
            for size in WORD_LENGTHS:
                window = run[start : start + size]
                if len(window) < size or window in self.corpus_text:
                    continue
                match = self._alike(window)
                if match is not None:
                    run = run[:start] + match + run[start + size :]
                    start += size - 1
                    break
            start += 1
        return run

    def _alike(self, window: str) -> str | None:
        candidates = {
            word for word in self.vocabulary.get((len(window), usual_sound(window[0])), []) if word != window and typed_for(window, word)
        }
        return candidates.pop() if len(candidates) == 1 else None
