"""CI gate: every evaluation set through the real engine; accuracy may not drop below the level reached.

Floors sit at the levels measured when they were last raised; blind sets (written by someone
who read only the plan) have floors too, not only the tuned gold set. Raise them as the engine
improves; never lower one to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation.run import evaluate_sets

EVAL = Path(__file__).parents[1] / "eval"
GATED = [
    "gold",
    "heldout",
    "blind",
    "investor",
    "blind2",
    "blind3",
    "investor2",
    "blind4",
    "investor3",
    "dev6",
    "dev7",
    "dev8",
    "dev9",
    "blind5",
    "investor4",
    "investor5",
    "blind6",
    "investor6",
    "dev10",
    "dev11",
    "dev12",
    "dev13",
    "blind7",
    "investor7",
    "blind8",
    "investor8",
    "dev14",
    "dev15",
    "dev16",
    "dev17",
    "blind9",
    "investor9",
    "blind10",
    "investor10",
    "dev18",
    "dev19",
    "blind11",
    "investor11",
    "blind12",
    "investor12",
    "dev20",
    "dev21",
    "blind13",
    "investor13",
    "blind14",
    "investor14",
    "dev22",
    "dev23",
    "blind15",
    "investor15",
    "dev24",
    "dev25",
    "blind16",
    "investor16",
    "dev26",
    "dev27",
    "blind17",
    "investor17",
    "dev28",
    "dev29",
    "blind18",
    "investor18",
    "dev30",
    "dev31",
    "blind19",
    "investor19",
    "dev32",
    "dev33",
    "blind20",
    "investor20",
    "dev34",
    "dev35",
    "blind21",
    "investor21",
    "dev36",
    "dev37",
    "blind22",
    "investor22",
    "dev38",
    "dev39",
    "blind23",
    "investor23",
    "dev40",
    "dev41",
    "blind24",
    "investor24",
    "dev42",
    "dev43",
    "blind25",
    "investor25",
    "dev44",
    "dev45",
    "blind26",
    "investor26",
]
OVERALL_FLOORS = {
    "gold": 0.989,
    "heldout": 0.98,
    "blind": 0.96,
    "investor": 0.85,
    "blind2": 0.96,
    "blind3": 0.95,
    "investor2": 0.81,
    "blind4": 0.9,
    "investor3": 0.76,
    "dev6": 0.91,
    "dev7": 0.97,
    "dev8": 0.94,
    "dev9": 0.76,
    "blind5": 0.93,
    "investor4": 0.93,
    "investor5": 0.68,
    "blind6": 0.91,
    "investor6": 0.78,
    "blind7": 0.92,
    "investor7": 0.73,
    "dev10": 0.96,
    "dev11": 0.88,
    "dev12": 0.96,
    "dev13": 0.68,
    "blind8": 0.9,
    "investor8": 0.63,
    "dev14": 0.98,
    "dev15": 0.86,
    "dev16": 0.96,
    "dev17": 0.85,
    "blind9": 0.83,
    "investor9": 0.73,
    "blind10": 0.91,
    "investor10": 0.7,
    "dev18": 0.95,
    "dev19": 0.88,
    "blind11": 0.91,
    "investor11": 0.72,
    "blind12": 0.86,
    "investor12": 0.75,
    "dev20": 0.93,
    "dev21": 0.8,
    "blind13": 0.91,
    "investor13": 0.7,
    "blind14": 0.93,
    "investor14": 0.78,
    "dev22": 0.96,
    "dev23": 0.92,  # session 19: d23-017 lost (its second passage moved with frame-free nearness), 37/40
    "blind15": 0.9,
    "investor15": 0.93,
    "dev24": 0.96,
    "dev25": 0.9,
    "blind16": 0.88,
    "investor16": 0.83,
    "dev26": 0.98,
    "dev27": 0.8,
    "blind17": 0.86,
    "investor17": 0.85,
    "dev28": 0.91,
    "dev29": 0.83,
    "blind18": 0.74,
    "investor18": 0.73,
    "dev30": 0.96,
    "dev31": 0.90,
    "blind19": 0.91,
    "investor19": 0.83,
    "dev32": 0.98,
    "dev33": 0.88,
    "blind20": 0.94,
    "investor20": 0.85,
    "dev34": 0.96,
    "dev35": 0.93,
    "blind21": 0.94,
    "investor21": 0.75,
    "dev36": 0.93,
    "dev37": 0.78,
    "blind22": 0.96,
    "investor22": 0.83,
    "dev38": 0.81,
    "dev39": 0.8,
    "blind23": 0.88,
    "investor23": 0.73,
    "dev40": 0.94,
    "dev41": 0.83,
    "blind24": 0.89,
    "investor24": 0.75,
    "dev42": 0.96,
    "dev43": 0.88,
    "blind25": 0.91,
    "investor25": 0.73,
    "dev44": 0.93,
    "dev45": 0.98,
    "blind26": 0.78,
    "investor26": 0.70,
}
KIND_FLOORS = {
    ("gold", "table_lookup"): 1.0,
    ("gold", "subpark_lookup"): 1.0,
    ("gold", "compare"): 1.0,
    ("gold", "followup"): 1.0,
    ("gold", "refuse"): 0.9,
    ("gold", "compute"): 0.94,
    ("blind", "compare"): 1.0,
    ("blind", "subpark_lookup"): 1.0,
    ("blind", "refuse"): 0.9,
    ("dev7", "table_lookup"): 1.0,
    ("dev7", "subpark_lookup"): 1.0,
    ("dev10", "table_lookup"): 1.0,
    ("dev10", "subpark_lookup"): 1.0,
    ("dev12", "table_lookup"): 1.0,
    ("dev12", "compare"): 1.0,
    ("blind6", "table_lookup"): 1.0,
    ("dev14", "table_lookup"): 1.0,
    ("dev16", "table_lookup"): 1.0,
}
REFUSAL_FLOORS = {"gold": (0.95, 1.0), "blind": (0.9, 0.9)}
CITES_EVIDENCE_FLOORS = {"gold": 0.95, "blind": 0.93}


@pytest.fixture(scope="module")
def evaluated(assistant, tmp_path_factory: pytest.TempPathFactory):
    return {r.set.name: r for r in evaluate_sets(assistant, EVAL, GATED, tmp_path_factory.mktemp("reports"))}


@pytest.fixture(scope="module")
def results(evaluated):
    return {name: result.run for name, result in evaluated.items()}


@pytest.mark.parametrize(("name", "floor"), sorted(OVERALL_FLOORS.items()))
def test_overall_accuracy_floor(evaluated, name: str, floor: float) -> None:
    """A failing floor names the failures; of a blind set only ids and kinds, since its items are
    never read while the engine is changed."""
    result = evaluated[name]
    run = result.run
    if result.set.role == "blind":
        failures = " ".join(f"{f.id}({f.kind})" for f in run.failures)
    else:
        failures = "\n".join(f"{f.id} {f.question} → {f.got[:80]} ({f.why})" for f in run.failures)
    assert run.metrics.accuracy >= floor, failures


@pytest.mark.parametrize(("key", "floor"), sorted(KIND_FLOORS.items()))
def test_per_kind_floor(results, key: tuple[str, str], floor: float) -> None:
    name, kind = key
    scores = {k.kind: k.accuracy for k in results[name].per_kind}
    assert scores[kind] >= floor


@pytest.mark.parametrize("name", GATED)
def test_every_citation_is_verbatim(results, name: str) -> None:
    assert results[name].metrics.citation_verbatim == 1.0


@pytest.mark.parametrize(("name", "floors"), sorted(REFUSAL_FLOORS.items()))
def test_refusals_are_precise_and_complete(results, name: str, floors: tuple[float, float]) -> None:
    metrics = results[name].metrics
    assert metrics.refusal_precision >= floors[0] and metrics.refusal_recall >= floors[1]


@pytest.mark.parametrize(("name", "floor"), sorted(CITES_EVIDENCE_FLOORS.items()))
def test_citations_point_at_the_evidence(results, name: str, floor: float) -> None:
    assert results[name].metrics.citation_evidence >= floor
