"""Sentences of a paragraph with their exact offsets: one splitter for mentions, dossiers and passages."""

from __future__ import annotations

import re
from collections.abc import Iterator

SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
PARAGRAPH_LABEL = re.compile(r"^\s*([^,，。:：;；\s]{2,30})[:：]")  # 项目名: … / 区块概况: …


def sentence_spans(text: str, offset: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of every non-blank sentence of ``text``, shifted by ``offset``, whitespace trimmed."""
    for match in SENTENCE.finditer(text):
        piece = match.group(0)
        stripped = piece.strip()
        if stripped:
            start = offset + match.start() + piece.index(stripped)
            yield start, start + len(stripped)
