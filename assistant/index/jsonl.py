"""JSON Lines as the format defines them: records separated by ``\\n`` and nothing else.

``str.splitlines()`` also breaks at U+2028, U+2029, U+0085, form feeds and more, all of which may
stand inside a JSON string, so it cuts a valid record in two. Reading splits at ``\\n`` only;
writing escapes those characters as well (``\\u2028``), which JSON allows, so that the files and
the CLI's output survive line-splitting tools that are less careful.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

JSON_WHITESPACE = " \t\r\n"
# Inside JSON text a raw character of these can only stand in a string, where its escape means the same
# (the other breaks of ``splitlines()`` are control characters, which JSON always escapes).
_ESCAPES = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"})


def escape_line_breaks(record: str) -> str:
    """One JSON record with the Unicode line breaks that ``splitlines()`` honours escaped."""
    return record.translate(_ESCAPES)


def jsonl_text(records: Iterable[str]) -> str:
    """JSON records (already serialised) as the text of a JSONL file: one per line, ``\\n``-terminated."""
    return "".join(f"{escape_line_breaks(record)}\n" for record in records)


def jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` for every line of a JSONL text that is more than JSON whitespace,
    split at ``\\n`` only (a ``\\r`` before it, as Windows writes, is JSON whitespace and harmless)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip(JSON_WHITESPACE):
            yield number, line
