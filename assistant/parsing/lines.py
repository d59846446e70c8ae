"""Lines of a plan with exact spans, and the page noise that is not content."""

from __future__ import annotations

import re
from dataclasses import dataclass

NOISE = re.compile(r"^(字号|分享|打印|打印本页|关闭|关闭窗口|【?大\s*中\s*小】?)\s*[:：]?\s*$")


@dataclass(frozen=True)
class Line:
    """A non-empty line, trimmed; ``text == document[start:end]``."""

    text: str
    start: int
    end: int


def split_lines(text: str) -> list[Line]:
    """Every non-empty, non-noise line with its trimmed span in ``text``."""
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\n"):
        body = _trim(raw)
        if body and not NOISE.match(body):
            start = offset + raw.index(body)
            lines.append(Line(body, start, start + len(body)))
        offset += len(raw) + 1
    return lines


def _trim(raw: str) -> str:
    """Strip every Unicode space (em spaces, no-break spaces) and a stray BOM."""
    return raw.strip().strip("\ufeff").strip()
