"""Pydantic contracts shared by the CLI, the Python API, the app and the evaluation harness.

Every model that crosses an edge forbids unknown fields, so a typo in a batch file or a gold
record is one clear validation error instead of a silently ignored key.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FactKind = Literal["actual", "target"]
Origin = Literal["table1", "table2", "profile", "narrative"]
AnswerKind = Literal["lookup", "compare", "compute", "list", "passage", "refusal"]


class Strict(BaseModel):
    """Base for edge models: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class Span(Strict):
    """An exact span of one corpus document: ``quote == text[start:end]``."""

    doc: str
    section: str = ""
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str


Citation = Span


class Fact(Strict):
    """One structured figure of a plan, traceable to the characters it was read from."""

    id: str
    doc: str
    subject: str
    indicator: str
    year: int | None
    kind: FactKind
    value: float
    text: str = Field(description="the value as written in the plan, e.g. '123.40' or '约1.5万人'")
    unit: str
    origin: Origin
    category: str | None = Field(default=None, description="table category header, if any")
    note: str | None = Field(default=None, description="a remark attached to the row, if any")
    source: Span


class Figure(Strict):
    """A figure shown in an answer: a fact used, or a result computed from facts."""

    subject: str
    indicator: str
    year: int | None
    value: float
    unit: str
    text: str
    kind: Literal["actual", "target", "computed"] = "actual"
    source: Span | None = None


class Answer(Strict):
    """What every interface returns for one question."""

    id: str | None = None
    question: str
    answer: str
    kind: AnswerKind
    refused: bool = False
    reason: str | None = None
    figures: list[Figure] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    about: list[str] = Field(default_factory=list, description="sub-parks the answer names as its answer (哪个子园适合…), best first")


class SearchHit(Strict):
    """One retrieved chunk, as printed by ``plan-assistant search``."""

    chunk_id: str
    doc: str
    section: str
    start: int
    end: int
    quote: str
    score: float


class BatchQuestion(Strict):
    """One line of a ``--batch`` JSONL file."""

    id: str
    question: str
    history: list[str] = Field(default_factory=list)
