"""Building ``Answer`` objects: one place for the shapes of answers and refusals."""

from __future__ import annotations

from assistant.models import Answer, AnswerKind, Citation, Figure


def reply(
    question: str,
    text: str,
    kind: AnswerKind,
    figures: list[Figure] | None = None,
    citations: list[Citation] | None = None,
    confidence: float = 0.9,
) -> Answer:
    return Answer(question=question, answer=text, kind=kind, figures=figures or [], citations=citations or [], confidence=confidence)


def refusal(question: str, text: str, reason: str, citations: list[Citation] | None = None, confidence: float = 0.85) -> Answer:
    """A refusal says the plan does not give this, why, and (in ``text``) what it gives nearby."""
    return Answer(
        question=question,
        answer=text,
        kind="refusal",
        refused=True,
        reason=reason,
        citations=citations or [],
        confidence=confidence,
    )


def combine(first: Answer, second: Answer) -> Answer:
    """Two answers to the two parts of one question, as one."""
    return first.model_copy(
        update={
            "answer": f"{first.answer}{second.answer}",
            "figures": [*first.figures, *second.figures],
            "citations": [*first.citations, *[c for c in second.citations if c not in first.citations]],
            "confidence": min(first.confidence, second.confidence),
        }
    )
