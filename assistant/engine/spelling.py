"""Words typed with a slip of sound (湖光的站略 for 战略, 孵话 for 孵化).

A pinyin keyboard offers every character of a reading, so a question may hold a character that
sounds like the plan's but is another. A window of the question that neither the plan nor general
Chinese writes, and that reads like exactly one word of the plan sharing a character with it in
the same place, is that word. Names have their own, stricter matching (names.py); this serves
every other word, so a slip does not turn a plan word into an unknown one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from assistant.engine.names import sound_the_same
from assistant.engine.understand import ASKS_SOMETHING
from assistant.tokenizer import PlanTokenizer

WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")
RUN = re.compile(r"[\u4e00-\u9fff]+")
SIZES = (4, 3, 2)
ASKED_CLAUSE = re.compile(r"[^？?！!。；;]*[？?]")
THOSE = "那些"  # typed for 哪些 (same sound): in a question with no other question word it asks "which"
WHICH = "哪些"


class Speller:
    """Corrects same-sound slips against one plan's vocabulary."""

    def __init__(self, vocabulary: Iterable[str], written: str, tokenizer: PlanTokenizer) -> None:
        self.written = written
        self.tokenizer = tokenizer
        self.by_place: dict[tuple[int, int, str], set[str]] = defaultdict(set)  # (length, position, character) → words
        for word in vocabulary:
            if WORD.fullmatch(word):
                for position, char in enumerate(word):
                    self.by_place[(len(word), position, char)].add(word)

    def correct(self, text: str) -> str:
        for run in RUN.finditer(text):
            corrected = self._run(run.group())
            if corrected != run.group():
                text = text[: run.start()] + corrected + text[run.end() :]
        return ASKED_CLAUSE.sub(_which_meant, text)

    def _run(self, run: str) -> str:
        """Only characters the segmenter leaves alone (站 略: no word holds them) may be a slip; a
        window across words (有几 of 有 几家) is two words typed right."""
        loose = [len(token) == 1 and token not in self.tokenizer.stopwords for token in self.tokenizer.cut(run) for _ in token]
        for size in SIZES:
            start = 0
            while start + size <= len(run):
                window = run[start : start + size]
                word = self._meant(window) if all(loose[start : start + size]) else None
                if word is not None:
                    run = run[:start] + word + run[start + size :]
                    loose[start : start + size] = [False] * size
                    start += size
                else:
                    start += 1
        return run

    def _meant(self, window: str) -> str | None:
        if window in self.written or self.tokenizer.general_share(window) > 0:
            return None
        sharing = set().union(*(self.by_place.get((len(window), i, char), set()) for i, char in enumerate(window)))
        meant = [word for word in sharing if word != window and sound_the_same(window, word)]
        if len(meant) != 1 or self.tokenizer.speech(meant[0]):
            return None  # 最搭 is no slip for 最大: a slip is taken for a content word only (战略, 孵化)
        return meant[0]


def _which_meant(clause: re.Match[str]) -> str:
    """多了那些部分？ asks which parts: a question whose only question word could be 那些 means 哪些
    (那些呢？ and 那些企业有多少家？ ask with another word, and 那些 points back there)."""
    text = clause.group()
    return text.replace(THOSE, WHICH, 1) if THOSE in text and not ASKS_SOMETHING.search(text) else text
