"""The example questions the app offers (``corpus/examples.json``) are answered, not refused, and
the investors' open questions get a quoted passage, not only figures."""

from __future__ import annotations

from pathlib import Path

from assistant.app.ui import load_examples

CORPUS = Path(__file__).parents[1] / "corpus"


def test_every_example_question_is_answered_with_its_sources(assistant) -> None:
    groups = load_examples(CORPUS)
    assert len(groups) >= 2 and all(group.questions for group in groups)
    for group in groups:
        for question in group.questions:
            answer = assistant.ask(question, [])
            assert not answer.refused, (question, answer.answer)
            assert answer.citations or answer.figures, question
