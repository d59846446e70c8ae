"""Any string gives a valid Answer: property-based, over the real engine and index."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.models import Answer

QUESTION_PARTS = st.sampled_from(
    ["临港科技城", "税收", "2025年", "哪个", "最高", "一共", "<script>alert(1)</script>", "'; DROP TABLE facts; --",
     "😀", "What is the tax?", "臨港鬆江", "１２３", "\x00\x07", "呢？", "它", "增长百分之几", "\u202e", " "]
)
QUESTIONS = st.one_of(st.text(max_size=200), st.lists(QUESTION_PARTS, max_size=8).map("".join))


def valid(answer: Answer, assistant) -> None:
    Answer.model_validate(answer.model_dump())
    assert answer.answer
    assert answer.reason != "internal_error"
    for span in [*answer.citations, *(f.source for f in answer.figures if f.source)]:
        assert assistant.texts[span.doc][span.start : span.end] == span.quote


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=QUESTIONS, history=st.lists(QUESTIONS, max_size=2))
def test_any_question_yields_a_valid_answer(assistant, question: str, history: list[str]) -> None:
    valid(assistant.ask(question, history), assistant)


def test_huge_and_odd_inputs(assistant) -> None:
    for question in ["", "   ", "啊" * 20000, "\n\t", "<b>临港</b>税收？", "SELECT * FROM facts", "🙂🙂🙂"]:
        valid(assistant.ask(question), assistant)
