"""Users' ratings of answers, appended to one JSONL file.

Each entry is one line written by a single ``write`` under an exclusive ``flock``, so concurrent
writers (threads or processes) never interleave lines. Only what helps improve answers is
stored: question, answer text, kind, rating, comment and time — no paths, no addresses.
"""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import Field

from assistant.models import AnswerKind, Strict

FEEDBACK_FILE = "feedback.jsonl"
MAX_TEXT = 4000
Rating = Literal["up", "down"]


class FeedbackEntry(Strict):
    """One rating of one answer."""

    question: str = Field(max_length=MAX_TEXT)
    answer: str = Field(max_length=MAX_TEXT)
    kind: AnswerKind
    rating: Rating
    comment: str = Field(default="", max_length=MAX_TEXT)
    timestamp: str


def _clip(text: str) -> str:
    return text[:MAX_TEXT]


class FeedbackStore:
    """Appends entries to ``<directory>/feedback.jsonl``; the folder is created on first write."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / FEEDBACK_FILE

    def record(self, question: str, answer: str, kind: str, rating: str, comment: str = "") -> FeedbackEntry:
        """Validate (unknown rating or kind → ``ValidationError``), clip long texts, append."""
        entry = FeedbackEntry(
            question=_clip(question),
            answer=_clip(answer),
            kind=kind,
            rating=rating,
            comment=_clip(comment.strip()),
            timestamp=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self.append(entry)
        return entry

    def append(self, entry: FeedbackEntry) -> None:
        line = (entry.model_dump_json() + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            written = os.write(descriptor, line)
            if written != len(line):
                raise OSError(f"short write to {self.path.name}: {written} of {len(line)} bytes")
        finally:
            os.close(descriptor)

    def read(self) -> list[FeedbackEntry]:
        """Every entry so far (for review and tests)."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [FeedbackEntry.model_validate_json(line) for line in lines if line.strip()]
