"""Question clean-up before understanding: width, script, invisible and control characters, length."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opencc import OpenCC

MAX_QUESTION_CHARS = 500
# Control characters, line and paragraph separators separate words: they become spaces.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Lone surrogates (undecodable bytes of a command line, ``\udcff``) cannot be encoded as UTF-8 or JSON.
SURROGATES = re.compile(r"[\ud800-\udfff]")
SPACES = re.compile(r"\s+")

SPELLED_YEAR = re.compile(r"(?:一九|二[〇零])[〇零一二三四五六七八九]{2}")  # 二零二五(年), as voice input writes a year
DIGIT_OF = {ch: str(i) for i, ch in enumerate("零一二三四五六七八九")} | {"〇": "0"}


def without_format_characters(text: str) -> str:
    """``text`` less every character of Unicode category Cf (zero-width space and joiners, soft
    hyphen, bidi marks and overrides, BOM, tags…), judged by the running Python's Unicode tables
    one character at a time: a question is short, and no table of the whole range is built."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


ENGLISH_FILE = "english.json"


def english_terms(plan_text: str) -> dict[str, str]:
    """The package's English words with the Chinese word plans use (tax → 税收), less those the plan
    writes itself (AI, R&D): keys lower-case, matched whole and case ignored."""
    from importlib.resources import files

    data = json.loads(files("assistant.data").joinpath(ENGLISH_FILE).read_text(encoding="utf-8"))
    return {
        english.lower(): chinese
        for english, chinese in data["terms"].items()
        if not re.search(rf"(?<![A-Za-z]){re.escape(english)}(?![A-Za-z])", plan_text, re.IGNORECASE)
    }


TAIWAN_PHRASES = "TWPhrasesRev.txt"  # OpenCC's Taiwan → mainland phrases (資訊 → 信息, 軟體 → 软件)


def taiwan_phrases(converter: OpenCC, plan_text: str) -> dict[str, str]:
    """OpenCC's Taiwan phrases in simplified characters, each with its mainland word, less those the
    plan writes itself (新增, 指标, 核心 are mainland words too; only 资讯, 软体, 晶片… are Taiwan's)."""
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / TAIWAN_PHRASES
    phrases = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        taiwan, _, mainland = line.partition("\t")
        source, target = converter.convert(taiwan), converter.convert(mainland.split(" ")[0])
        if source and target and source != target and source not in plan_text:
            phrases[source] = target
    return phrases


class QuestionNormalizer:
    """NFKC (full-width digits and letters to ASCII), traditional → simplified, no invisible or control chars.

    Format characters (Unicode category Cf) are invisible and carry no meaning for a question: a
    zero-width space or soft hyphen inside a name is removed, so ``北\\u200b湖`` is still ``北湖``.
    Control characters and line separators become spaces, since they separate words.

    Traditional characters are converted with OpenCC's table (opencc-python-reimplemented, pure
    Python) so a name typed in traditional characters (滬 for 沪) finds its simplified form without a hand-written character map.
    A question typed in traditional characters also has its Taiwan words put in the mainland words
    plans use (電子資訊 → 电子信息), with OpenCC's own phrase table, except words the plan writes.
    """

    def __init__(self, plan_text: str = "") -> None:
        self.plan_text = plan_text
        self._converter: OpenCC | None = None
        self._taiwan: re.Pattern[str] | None = None
        self._mainland: dict[str, str] = {}
        self._english: dict[str, str] = {}
        self._english_words: re.Pattern[str] | None = None

    def load(self) -> QuestionNormalizer:
        from opencc import OpenCC

        self._converter = OpenCC("t2s")
        self._mainland = taiwan_phrases(self._converter, self.plan_text)
        if self._mainland:  # an empty alternation would match everywhere
            self._taiwan = re.compile("|".join(re.escape(p) for p in sorted(self._mainland, key=len, reverse=True)))
        self._english = english_terms(self.plan_text)
        if self._english:
            alternatives = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(self._english, key=len, reverse=True))
            self._english_words = re.compile(rf"(?<![A-Za-z])(?:{alternatives})(?![A-Za-z])", re.IGNORECASE)
        return self

    def normalize(self, question: str) -> tuple[str, str | None]:
        """The cleaned question and a notice when it had to be shortened."""
        converter = self._converter or self.load()._converter
        assert converter is not None
        text = SURROGATES.sub("\ufffd", question)
        text = without_format_characters(text)
        text = CONTROL.sub(" ", text)
        notice = None
        if len(text) > MAX_QUESTION_CHARS:
            notice = f"问题过长（{len(text)}字），只按前{MAX_QUESTION_CHARS}字理解。"
            text = text[:MAX_QUESTION_CHARS]
        text = unicodedata.normalize("NFKC", text)
        simplified = converter.convert(text)
        if simplified != text and self._taiwan is not None:
            simplified = self._taiwan.sub(lambda found: self._mainland[found.group()], simplified)
        if self._english_words is not None:  # 甲园tax revenue → 甲园税收
            simplified = self._english_words.sub(lambda found: self._english[" ".join(found.group().lower().split())], simplified)
        text = SPELLED_YEAR.sub(lambda year: "".join(DIGIT_OF[ch] for ch in year.group()), simplified)
        return SPACES.sub(" ", text).strip(), notice
