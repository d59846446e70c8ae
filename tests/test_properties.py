"""Any string gives a valid Answer: property-based, over the real engine and index; invisible
characters (Unicode category Cf) change nothing."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.engine.normalize import QuestionNormalizer
from assistant.models import Answer

# Format characters: zero-width space, non-joiner and joiner, soft hyphen, word joiner, BOM,
# left-to-right and right-to-left marks and overrides, a tag character
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff", "\u200e", "\u202e", "\u2066", "\U000e0041"]

QUESTION_PARTS = st.sampled_from(
    [
        "临港科技城",
        "税收",
        "2025年",
        "哪个",
        "最高",
        "一共",
        "<script>alert(1)</script>",
        "'; DROP TABLE facts; --",
        "😀",
        "What is the tax?",
        "臨港鬆江",
        "１２３",
        "\x00\x07",
        "呢？",
        "它",
        "增长百分之几",
        "\u202e",
        " ",
        "\u2028",
        "\u0085",
        "\udcff",
        *INVISIBLE,
    ]
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


def test_the_invisible_characters_are_format_characters() -> None:
    assert all(unicodedata.category(char) == "Cf" for char in INVISIBLE)


@settings(max_examples=200, deadline=None)
@given(question=QUESTIONS, inserts=st.lists(st.tuples(st.integers(min_value=0), st.sampled_from(INVISIBLE)), max_size=6))
def test_invisible_characters_do_not_change_the_normalised_question(question: str, inserts: list[tuple[int, str]]) -> None:
    """Issue 12 (4): a zero-width space inside a name became a space and the name was lost."""
    normalizer = QuestionNormalizer().load()
    garbled = question
    for position, char in inserts:
        at = position % (len(garbled) + 1)
        garbled = garbled[:at] + char + garbled[at:]
    assert normalizer.normalize(garbled) == normalizer.normalize(question)


def test_invisible_characters_inside_a_name_do_not_change_the_answer(assistant) -> None:
    expected = assistant.ask("临港科技城2020年税收是多少？")
    assert not expected.refused and expected.figures and "25亿元" in expected.answer
    for char in INVISIBLE:
        answer = assistant.ask(f"临{char}港科技城2020年税收{char}是多少？")
        valid(answer, assistant)
        assert (answer.answer, answer.kind, answer.figures) == (expected.answer, expected.kind, expected.figures), repr(char)
