"""CI gate: the whole gold set through the real engine; accuracy may not drop below the level reached.

Raise the floors as the engine improves (the aim: overall ≥ 0.95, compare/compute 1.0).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.run import evaluate

GOLD = Path(__file__).parents[1] / "eval" / "gold.jsonl"
OVERALL_FLOOR = 0.96
KIND_FLOORS = {
    "table_lookup": 1.0,
    "subpark_lookup": 1.0,
    "compare": 1.0,
    "followup": 1.0,
    "refuse": 0.9,
    "compute": 0.94,
}


@pytest.fixture(scope="module")
def run(assistant, tmp_path_factory: pytest.TempPathFactory):
    return evaluate(assistant, GOLD, tmp_path_factory.mktemp("reports"))


def test_overall_accuracy_floor(run) -> None:
    failures = "\n".join(f"{f.id} {f.question} → {f.got[:80]} ({f.why})" for f in run.failures)
    assert run.metrics.accuracy >= OVERALL_FLOOR, failures


@pytest.mark.parametrize(("kind", "floor"), sorted(KIND_FLOORS.items()))
def test_per_kind_floor(run, kind: str, floor: float) -> None:
    scores = {k.kind: k.accuracy for k in run.per_kind}
    assert scores[kind] >= floor


def test_every_citation_is_verbatim(run) -> None:
    assert run.metrics.citation_verbatim == 1.0


def test_refusals_are_precise_and_complete(run) -> None:
    assert run.metrics.refusal_recall >= 0.9 and run.metrics.refusal_precision >= 0.85
