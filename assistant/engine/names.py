"""Finding names in a question: exact aliases first, then names typed with a slip.

People type 湖宾 for 湖滨, 东去 for 东区, 辛辛 for 欣欣 (same sound, other character) or miss one
character of a long name (北湖数码港 for 北湖数字港) or swap its parts (数字北湖港). Indicators are paraphrased more freely (研发投入占GDP的比例);
``closest`` finds the one indicator a question's words align with best, by characters. A window of the question matches an alias when every
character is the alias's own or sounds like it (pypinyin, with every reading of a character), or
when a long alias differs in exactly one character. A difference in a meaningful character —
a direction, a digit, an order word (南区 for 东区) — is a different place, never a typo; so is a
window that two subjects match equally well. Such a window is reported as a look-alike, so the
engine can say the plan has no such place instead of answering with a neighbour's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

MIN_FUZZY_LENGTH = 2
MIN_PARAPHRASE_LENGTH = 4
PARAPHRASE_SCORE = 75.0
PARAPHRASE_MARGIN = 5.0
MIN_ONE_OFF_LENGTH = 5
MIN_SLIP_LENGTH = 3
MIN_REORDERED_LENGTH = 4
MEANINGFUL = frozenset("东南西北中上下内外前后左右新老旧大小一二三四五六七八九十0123456789")
SIBLING_CLASSES = (frozenset("东南西北中"), frozenset("上下内外前后左右"), frozenset("一二三四五六七八九十0123456789"))
MASK = "\0"
NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
NAMED_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z&]")  # a character a word of a name or topic starts with (R&D)


@lru_cache(maxsize=4096)
def _sounds(char: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.NORMAL, heteronym=True)
    return frozenset(readings[0]) if readings and readings[0] and readings[0][0] != char else frozenset()


@lru_cache(maxsize=4096)
def _usual_sound(char: str) -> str:
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.NORMAL, heteronym=False)
    return readings[0][0] if readings and readings[0] else char


def sound_the_same(a: str, b: str) -> bool:
    """Two words of the same length read the same by each character's usual reading (站略 and 战略;
    不 is not 付 although it may be read fu)."""
    return len(a) == len(b) and all(x == y or _usual_sound(x) == _usual_sound(y) for x, y in zip(a, b, strict=True))


def _homophone(a: str, b: str) -> bool:
    return a == b or bool(_sounds(a) & _sounds(b))


def sounds_alike(a: str, b: str) -> bool:
    """Two words of the same length read the same, character by character (智古 and 智谷)."""
    return len(a) == len(b) and all(_homophone(x, y) for x, y in zip(a, b, strict=True))


def written_within(word: str, text: str, slack: int = 1) -> bool:
    """``text`` writes the word, perhaps with ``slack`` characters inside it (功能区 in 功能分区)."""
    return word in text or any(
        in_order(word, text[start : start + len(word) + slack]) for start in range(len(text)) if text[start] == word[0]
    )


def in_order(short: str, long: str) -> bool:
    """Every character of ``short`` occurs in ``long`` in the same order (规上产值 in 规上工业总产值)."""
    rest = iter(long)
    return all(char in rest for char in short)


def _places_of(text: str) -> dict[str, list[int]]:
    places: dict[str, list[int]] = {}
    for start, char in enumerate(text):
        places.setdefault(char, []).append(start)
    return places


def _candidate_starts(places: dict[str, list[int]], alias: str) -> set[int]:
    """Where a window of the text (``places``: where each character stands) may match ``alias`` at all:
    one of its characters in the alias's place (a sound-alike, a slip, a sibling) or its first
    character the alias's (the parts swapped). Every other window shares no place with the alias
    and is skipped unsounded: matching stays the same, only faster."""
    starts = {start for char in set(alias) for start in places.get(char, ())}
    for offset, char in enumerate(alias):
        starts.update(start - offset for start in places.get(char, ()) if start >= offset)
    return starts


@dataclass
class NameMatch:
    """Canonical names found, in question order; the text with them masked; look-alikes."""

    names: list[str]
    remaining: str
    look_alikes: list[str] = field(default_factory=list)


class AliasMatcher:
    """Greedy longest-first matching of (alias, canonical) pairs, with typo tolerance on request."""

    def __init__(self, pairs: list[tuple[str, str]], written: str = "") -> None:
        """``written``: the plan's text; a window it writes (电子信息制 of 电子信息制造业) is no typo of
        a name however close (电子信息港)."""
        self.pairs = sorted(((a, n) for a, n in pairs if a.strip()), key=lambda pair: len(pair[0]), reverse=True)
        self.written = written

    def match(self, text: str, fuzzy: bool = False, slips: bool = True) -> NameMatch:
        """``fuzzy``: typed names too: the same sound, and with ``slips`` also one wrong character in a
        long name or its parts swapped (indicator words are matched by sound only: 企业多少家 is no
        swapped 多少家企业)."""
        found: list[tuple[int, str]] = []
        remaining = text
        look_alikes: list[str] = []
        for alias, name in self.pairs:
            start = remaining.find(alias)
            while start >= 0:
                prefixed = self._prefixed_look_alike(text, start, alias, name) if fuzzy and slips else None
                if prefixed is None:
                    found.append((start, name))
                elif prefixed not in look_alikes:
                    look_alikes.append(prefixed)
                remaining = remaining[:start] + MASK * len(alias) + remaining[start + len(alias) :]
                start = remaining.find(alias)
        if fuzzy:
            remaining = self._fuzzy(remaining, found, look_alikes, slips)
        names: list[str] = []
        for _, name in sorted(found):
            if name not in names:
                names.append(name)
        return NameMatch(names, remaining, look_alikes)

    def _prefixed_look_alike(self, text: str, start: int, alias: str, name: str) -> str | None:
        """A short alias inside a longer name that differs meaningfully from the full one
        (数字港 inside 西湖数字港 when the plan has 北湖数字港) is another place, not this one."""
        for full, owner in self.pairs:
            extra = len(full) - len(alias)
            if owner != name or extra <= 0 or not full.endswith(alias) or start < extra:
                continue
            window = text[start - extra : start + len(alias)]
            if window != full and NAME_CHARS.fullmatch(window) and self._close(window, full) and not self._slip(window, full):
                return window
        return None

    def _fuzzy(self, remaining: str, found: list[tuple[int, str]], look_alikes: list[str], slips: bool = True) -> str:
        """Windows that match one subject's alias by sound or by one slip; ambiguous ones and
        meaningful differences become look-alikes."""
        named = {name for _, name in found}
        places = _places_of(remaining)  # masking later only removes candidates: these stay a superset
        for alias, name in self.pairs:
            if len(alias) < MIN_FUZZY_LENGTH or name in named:
                continue
            size = len(alias)
            candidates = _candidate_starts(places, alias)
            start = 0
            while start + size <= len(remaining):
                if start not in candidates:
                    start += 1
                    continue
                window = remaining[start : start + size]
                if slips and self._reordered(window, alias):
                    found.append((start, name))
                    remaining = remaining[:start] + MASK * size + remaining[start + size :]
                    start += size
                    continue
                if NAME_CHARS.fullmatch(window) and self._sibling(window, alias) and window not in self.written:
                    if not any(window in seen for seen in look_alikes):
                        look_alikes.append(window)  # 南区 beside a plan's 东区: however short, another place
                    start += size
                    continue
                if not NAME_CHARS.fullmatch(window) or window == alias or not self._close(window, alias) or window in self.written:
                    start += 1
                    continue
                if (size < MIN_SLIP_LENGTH or not slips) and not self._sounds_like(window, alias):  # same sound only
                    start += 1
                    continue
                subjects = {n for a, n in self.pairs if len(a) == size and self._sounds_like(window, a)}
                subjects = subjects or {n for a, n in self.pairs if len(a) == size and self._close(window, a)}
                if len(subjects) == 1 and self._slip(window, alias):
                    found.append((start, subjects.pop()))
                    remaining = remaining[:start] + MASK * size + remaining[start + size :]
                    start += size
                    continue
                if not any(window in seen for seen in look_alikes):
                    look_alikes.append(window)
                start += size
        return remaining

    def closest(self, text: str) -> str | None:
        """The one name whose alias the text paraphrases (研发投入占GDP的比例 ≈ 研发投入占比),
        by rapidfuzz's best partial alignment, when it is clearly ahead of any other name."""
        from rapidfuzz import fuzz

        best: dict[str, float] = {}
        for alias, name in self.pairs:
            if len(alias) >= MIN_PARAPHRASE_LENGTH:
                best[name] = max(best.get(name, 0.0), fuzz.partial_ratio(alias, text))
        ranked = sorted(best.items(), key=lambda pair: -pair[1])
        if not ranked or ranked[0][1] < PARAPHRASE_SCORE:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < PARAPHRASE_MARGIN:
            return None
        return ranked[0][0]

    @staticmethod
    def _reordered(window: str, alias: str) -> bool:
        """The alias's own characters in another order (东湖滨江园 for 滨江东湖园): people swap the
        parts of a compound name; no character is changed, so no other place is meant."""
        return len(alias) >= MIN_REORDERED_LENGTH and window != alias and sorted(window) == sorted(alias)

    @classmethod
    def _sounds_like(cls, window: str, alias: str) -> bool:
        return cls._close(window, alias) and all(_homophone(w, a) for w, a in zip(window, alias))

    @staticmethod
    def _close(window: str, alias: str) -> bool:
        """Same sound throughout, or one differing character in a long name; a window sharing
        fewer than half its characters with the alias is neither, and is not sounded out."""
        if sum(w == a for w, a in zip(window, alias)) * 2 < len(alias):
            return False
        different = [(w, a) for w, a in zip(window, alias) if not _homophone(w, a)]
        return not different or (len(different) == 1 and len(alias) >= MIN_ONE_OFF_LENGTH)

    @staticmethod
    def _sibling(window: str, alias: str) -> bool:
        """The alias with one character swapped for another of its kind (南区 for 东区, 三期 for 二期)."""
        different = [(w, a) for w, a in zip(window, alias) if w != a]
        return len(different) == 1 and any(set(different[0]) <= kind for kind in SIBLING_CLASSES)

    @staticmethod
    def _slip(window: str, alias: str) -> bool:
        """No character differs in a way that names another place (东 for 西, 2 for 1, 口 for 东). A
        meaningful character typed as another of its sound (薪 for 新, as voice input writes it) is a
        slip only in a name of three characters or more that differs in nothing else but sound: a
        sound-alike function word (被 beside 北) next to another difference is a word of the sentence."""
        different = [(w, a) for w, a in zip(window, alias, strict=True) if w != a]
        sounded = len(alias) >= MIN_SLIP_LENGTH and all(_homophone(w, a) for w, a in different)
        return not any(w in MEANINGFUL or (a in MEANINGFUL and not (sounded and _homophone(w, a))) for w, a in different)
