"""Question clean-up before understanding: width, script, control characters, length."""

from __future__ import annotations

import re
import unicodedata

MAX_QUESTION_CHARS = 500
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
SPACES = re.compile(r"\s+")


class QuestionNormalizer:
    """NFKC (full-width digits and letters to ASCII), traditional → simplified, no control chars.

    Traditional characters are converted with OpenCC's table (opencc-python-reimplemented, pure
    Python) so a name typed in traditional characters (鬆江 for 松江) finds its simplified form without a hand-written character map.
    """

    def __init__(self) -> None:
        self._converter = None

    def load(self) -> "QuestionNormalizer":
        from opencc import OpenCC

        self._converter = OpenCC("t2s")
        return self

    def normalize(self, question: str) -> tuple[str, str | None]:
        """The cleaned question and a notice when it had to be shortened."""
        if self._converter is None:
            self.load()
        text = CONTROL.sub(" ", question)
        notice = None
        if len(text) > MAX_QUESTION_CHARS:
            notice = f"问题过长（{len(text)}字），只按前{MAX_QUESTION_CHARS}字理解。"
            text = text[:MAX_QUESTION_CHARS]
        text = unicodedata.normalize("NFKC", text)
        text = self._converter.convert(text)
        return SPACES.sub(" ", text).strip(), notice
