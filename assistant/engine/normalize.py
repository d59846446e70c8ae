"""Question clean-up before understanding: width, script, invisible and control characters, length."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

MAX_QUESTION_CHARS = 500
# Control characters, line and paragraph separators separate words: they become spaces.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Lone surrogates (undecodable bytes of a command line, ``\udcff``) cannot be encoded as UTF-8 or JSON.
SURROGATES = re.compile(r"[\ud800-\udfff]")
SPACES = re.compile(r"\s+")


@cache
def format_characters() -> re.Pattern[str]:
    """Every character of Unicode category Cf (zero-width space and joiners, soft hyphen, bidi
    marks and overrides, BOM, tags…), from the running Python's Unicode tables, built once (~0.1 s)."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)) == "Cf":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    members = "".join(re.escape(chr(low)) + (f"-{re.escape(chr(high))}" if high > low else "") for low, high in ranges)
    return re.compile(f"[{members}]")


class QuestionNormalizer:
    """NFKC (full-width digits and letters to ASCII), traditional → simplified, no invisible or control chars.

    Format characters (Unicode category Cf) are invisible and carry no meaning for a question: a
    zero-width space or soft hyphen inside a name is removed, so ``临\\u200b港`` is still ``临港``.
    Control characters and line separators become spaces, since they separate words.

    Traditional characters are converted with OpenCC's table (opencc-python-reimplemented, pure
    Python) so a name typed in traditional characters (鬆江 for 松江) finds its simplified form without a hand-written character map.
    """

    def __init__(self) -> None:
        self._converter = None

    def load(self) -> "QuestionNormalizer":
        from opencc import OpenCC

        format_characters()
        self._converter = OpenCC("t2s")
        return self

    def normalize(self, question: str) -> tuple[str, str | None]:
        """The cleaned question and a notice when it had to be shortened."""
        if self._converter is None:
            self.load()
        text = SURROGATES.sub("\ufffd", question)
        text = format_characters().sub("", text)
        text = CONTROL.sub(" ", text)
        notice = None
        if len(text) > MAX_QUESTION_CHARS:
            notice = f"问题过长（{len(text)}字），只按前{MAX_QUESTION_CHARS}字理解。"
            text = text[:MAX_QUESTION_CHARS]
        text = unicodedata.normalize("NFKC", text)
        text = self._converter.convert(text)
        return SPACES.sub(" ", text).strip(), notice
