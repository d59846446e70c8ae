"""Building ``Answer`` objects: one place for the shapes of answers and refusals."""

from __future__ import annotations

import itertools
import re

from assistant.engine import phrasing
from assistant.engine.clauses import FIVE_YEAR_PERIOD
from assistant.engine.intent import Intent
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


NOTHING_FOUND = "not_in_plan"
NO_FIGURE = "no_figure"
NO_PROCEDURE = "no_procedure"


def merge(answers: list[Answer]) -> Answer:
    """The answers to the parts of one message as one: a refusal only when every part was refused,
    otherwise each part's answer in order, what the plan lacks said where it lacks it."""
    unique: list[Answer] = []
    for answer in answers:  # a part answered alike twice is said once
        if all(answer.answer != kept.answer for kept in unique):
            unique.append(answer)
    answered = [a for a in unique if not a.refused]
    # a part the plan has nothing on beside answered parts is noise, not a finding (它在哪？以前叫啥？)
    answers = without_repeats([a for a in unique if not (answered and a.refused and a.reason == NOTHING_FOUND)])
    if len(answers) == 1:
        return answers[0]
    if not answered:
        return answers[0].model_copy(update={"answer": "\n".join(a.answer for a in answers)})
    merged = answered[0].model_copy(update={"answer": "\n".join(a.answer for a in answers)})
    for answer in answers:
        if answer is not answered[0]:
            merged = merged.model_copy(
                update={
                    "figures": [*merged.figures, *answer.figures],
                    "citations": [*merged.citations, *[c for c in answer.citations if c not in merged.citations]],
                    "confidence": min(merged.confidence, answer.confidence),
                }
            )
    return merged


def without_repeats(answers: list[Answer]) -> list[Answer]:
    """A sentence quoted for an earlier part is not quoted again for a later one; a part whose
    sentences all were is not repeated."""
    kept: list[Answer] = []
    said = ""
    for answer in answers:
        repeated = [c for c in answer.citations if c.quote in said and c.quote in answer.answer]
        if repeated and len(repeated) == len(answer.citations) and not answer.figures and any(not k.refused for k in kept):
            continue  # every sentence of it was said for an earlier part: nothing new to say
        if repeated and len(repeated) < len(answer.citations):
            text = answer.answer
            for citation in repeated:  # with its quotation marks (原文：“…”), else its full stop
                wrapped = next((w for w in (f"“{citation.quote}”", citation.quote + "。") if w in text), citation.quote)
                text = text.replace(wrapped, "", 1)
            text = renumbered(EMPTIED_ITEM.sub("", text))  # a numbered item whose quote was said before goes with it
            answer = answer.model_copy(update={"answer": text, "citations": [c for c in answer.citations if c not in repeated]})
        if phrasing.DIRECTION_ONLY in said:  # that no figure is given is said once
            answer = answer.model_copy(update={"answer": answer.answer.replace(phrasing.DIRECTION_ONLY, "").strip()})
        kept.append(answer)
        said += answer.answer
    return kept


def renumbered(text: str) -> str:
    """Numbered items (1. …) counted again from one, once some were taken out."""
    number = itertools.count(1)
    return NUMBERED_ITEM.sub(lambda _: f"{next(number)}. ", text)


STATES_A_FIGURE = re.compile(r"\d")
EMPTIED_ITEM = re.compile(r"^\d+\. *\n", re.MULTILINE)
NUMBERED_ITEM = re.compile(r"^\d+\. ", re.MULTILINE)
STATES_A_DATE = re.compile(rf"(?:19|20)\d{{2}}年|\d{{1,2}}月|{FIVE_YEAR_PERIOD}")


def with_direction_note(answer: Answer, intent: Intent) -> Answer:
    """A figure asked (多少奖励, 哪年建成) that the plan answers only with a direction: the measures
    are the answer, and saying that no figure is given is part of it, not a refusal."""
    asked = (intent.asks_quantity and not intent.elliptical) or intent.asks_when
    if answer.refused or answer.figures or not asked or answer.kind not in ("passage", "list"):
        return answer
    if STATES_A_FIGURE.search(answer.answer) and not (intent.asks_when and not _dated(answer)):
        return answer
    return direction_only(answer, intent)


def _dated(answer: Answer) -> bool:
    """The answer's first line, what a time question is answered by, states a date (2018年9月);
    passages quoted on later lines beside it may state other years."""
    return bool(STATES_A_DATE.search(answer.answer.split("\n", 1)[0]))


def direction_only(answer: Answer, intent: Intent) -> Answer:
    """The plan's passage on what was asked gives no figure: asked beside the measures (有什么补贴，
    补多少) that is said as part of the answer; asked alone (补贴标准是多少钱？) what was asked is not
    in the plan, a refusal quoting the measures."""
    if not (intent.asks_measures or intent.asks_overview or intent.asks_whether or intent.operation == "list"):
        return refusal(answer.question, phrasing.figure_not_given(answer.answer), NO_FIGURE, answer.citations, answer.confidence)
    if phrasing.DIRECTION_ONLY in answer.answer:
        return answer  # a skill said it already
    return answer.model_copy(update={"answer": f"{answer.answer}{phrasing.DIRECTION_ONLY}"})
