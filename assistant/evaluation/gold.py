"""The gold-set record: one question a real user would ask, with what a correct answer holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from assistant.index.jsonl import jsonl_lines
from assistant.models import Strict

GoldKind = Literal[
    "table_lookup",
    "subpark_lookup",
    "text_fact",
    "list",
    "compare",
    "compute",
    "refuse",
    "followup",
    "policy",
]


class GoldItem(Strict):
    """Expected content of a correct answer.

    ``numbers`` are figures as the plan writes them with their unit (``123.40亿元``, ``约1.5万人``);
    their digits occur in an evidence quote. ``result`` is a computed figure (``233.16亿元``,
    ``21.6%``) matched within ``tolerance`` (absolute, in the result's unit). ``terms`` are key
    terms of text and list answers. ``evidence`` quotes are copied exactly from the plan.
    """

    id: str
    kind: GoldKind
    question: str
    history: list[str] = Field(default_factory=list)
    expected: str
    numbers: list[str] = Field(default_factory=list)
    result: str | None = None
    tolerance: float = 0.0
    terms: list[str] = Field(default_factory=list)
    refuse: bool = False
    evidence: list[str] = Field(default_factory=list)


def load_gold(path: Path) -> list[GoldItem]:
    """Read a gold JSONL file; a malformed line raises ValueError naming the line."""
    items: list[GoldItem] = []
    for number, line in jsonl_lines(path.read_text(encoding="utf-8")):
        if not line.strip():
            continue
        try:
            items.append(GoldItem.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as error:
            raise ValueError(f"{path.name} line {number}: {error}") from error
    return items
