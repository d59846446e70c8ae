"""Question clean-up before understanding: width, script, invisible and control characters, length."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opencc import OpenCC

MAX_QUESTION_CHARS = 500
# Control characters, line and paragraph separators separate words: they become spaces.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Lone surrogates (undecodable bytes of a command line, ``\udcff``) cannot be encoded as UTF-8 or JSON.
SURROGATES = re.compile(r"[\ud800-\udfff]")
SPACES = re.compile(r"\s+")


def without_format_characters(text: str) -> str:
    """``text`` less every character of Unicode category Cf (zero-width space and joiners, soft
    hyphen, bidi marks and overrides, BOM, tags…), judged by the running Python's Unicode tables
    one character at a time: a question is short, and no table of the whole range is built."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


class QuestionNormalizer:
    """NFKC (full-width digits and letters to ASCII), traditional → simplified, no invisible or control chars.

    Format characters (Unicode category Cf) are invisible and carry no meaning for a question: a
    zero-width space or soft hyphen inside a name is removed, so ``北\\u200b湖`` is still ``北湖``.
    Control characters and line separators become spaces, since they separate words.

    Traditional characters are converted with OpenCC's table (opencc-python-reimplemented, pure
    Python) so a name typed in traditional characters (滬 for 沪) finds its simplified form without a hand-written character map.
    """

    def __init__(self) -> None:
        self._converter: OpenCC | None = None

    def load(self) -> QuestionNormalizer:
        from opencc import OpenCC

        self._converter = OpenCC("t2s")
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
        text = converter.convert(text)
        return SPACES.sub(" ", text).strip(), notice
