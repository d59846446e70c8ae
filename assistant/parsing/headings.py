"""Recognising the heading levels Chinese plans use: 一、 / (一) / 1、 / (1), and unnumbered ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

CHINESE_DIGITS = "一二三四五六七八九十"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{CHINESE_DIGITS}]+)、\s*(\S.*)$")),
    (2, re.compile(rf"^[（(]\s*([{CHINESE_DIGITS}]+)\s*[）)]\s*(\S.*)$")),
    (3, re.compile(r"^(\d{1,2})、\s*(\S.*)$")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]\s*(\S.*)$")),
)
TOC_MARK = re.compile(r"^目\s*录$")
FRONT_WORDS = re.compile(r"^(前言|序言|引言|结语|结束语)$")
ANNEX_WORD = re.compile(r"^(附件|附录|附表)\s*\d*$")
TABLE_MARK = re.compile(r"^表\s*\d+$")
FIGURE_CAPTION = re.compile(r"^图\s*\d+")
SENTENCE_END = "。"
MAX_TITLE = 40


@dataclass(frozen=True)
class Heading:
    """A recognised heading: level 1–4, its number as written, its title, and body text after it."""

    level: int
    number: str
    title: str
    rest: str


def numbered_heading(text: str) -> Heading | None:
    """A numbered heading, or None; a title is cut at its first 。 (the rest is body text)."""
    for level, pattern in HEADING_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        number, body = match.group(1), match.group(2).strip()
        title, _, rest = body.partition(SENTENCE_END)
        if len(title) > MAX_TITLE or not title:
            return None
        return Heading(level, number, title.strip(), rest.strip())
    return None


def is_block_title(text: str) -> bool:
    """A short unpunctuated line inside an annex names one block (a sub-park profile)."""
    return (
        len(text) <= 30
        and not any(mark in text for mark in "，。：；,:;、“”")
        and not FIGURE_CAPTION.match(text)
        and not TABLE_MARK.match(text)
    )
