"""The gold set itself is checked against the plan: every quote is real, every figure is quoted."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.evaluation.gold import GoldItem, load_gold  # noqa: E402

GOLD_PATH = ROOT / "eval" / "gold.jsonl"
CORPUS_DIR = ROOT / "corpus"

MIN_ITEMS = 120
MIN_PER_KIND = {
    "table_lookup": 20,
    "subpark_lookup": 30,
    "text_fact": 8,
    "list": 5,
    "compare": 8,
    "compute": 8,
    "refuse": 12,
    "followup": 8,
    "policy": 8,
}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def gold() -> list[GoldItem]:
    return load_gold(GOLD_PATH)


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    files = sorted(CORPUS_DIR.glob("*.txt"))
    assert files, f"no corpus files under {CORPUS_DIR}"
    return [path.read_text(encoding="utf-8") for path in files]


def _digit_runs(figure: str) -> list[str]:
    return NUMBER.findall(figure)


def _occurs_as_number(run: str, quote: str) -> bool:
    """``run`` occurs in ``quote`` as a whole number: "7" does not match inside "478" or "1.7"."""
    pattern = r"(?<![\d.])" + re.escape(run) + r"(?!\d|\.\d)"
    return re.search(pattern, quote) is not None


def test_every_line_parses(gold: list[GoldItem]) -> None:
    non_blank = [line for line in GOLD_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(gold) == len(non_blank)


def test_ids_unique(gold: list[GoldItem]) -> None:
    counts = Counter(item.id for item in gold)
    duplicates = sorted(item_id for item_id, count in counts.items() if count > 1)
    assert not duplicates, f"duplicate ids: {duplicates}"


def test_enough_items(gold: list[GoldItem]) -> None:
    assert len(gold) >= MIN_ITEMS


def test_per_kind_minimums(gold: list[GoldItem]) -> None:
    counts = Counter(item.kind for item in gold)
    short = {kind: (counts[kind], need) for kind, need in MIN_PER_KIND.items() if counts[kind] < need}
    assert not short, f"kinds below their minimum (have, need): {short}"


def test_refuse_items_are_marked(gold: list[GoldItem]) -> None:
    wrong = [item.id for item in gold if item.kind == "refuse" and not item.refuse]
    assert not wrong, f"refuse items without refuse=true: {wrong}"


def test_followups_have_history(gold: list[GoldItem]) -> None:
    followups = [item for item in gold if item.kind == "followup"]
    assert all(item.history for item in followups), [i.id for i in followups if not i.history]
    assert all(all(turn.strip() for turn in item.history) for item in followups)
    assert sum(item.refuse for item in followups) >= 2, "need followups whose second turn is refused"


def test_evidence_quotes_are_verbatim(gold: list[GoldItem], corpus_texts: list[str]) -> None:
    missing = [(item.id, quote) for item in gold for quote in item.evidence if not any(quote in text for text in corpus_texts)]
    assert not missing, f"evidence not found in corpus: {missing}"


def test_evidence_quotes_are_short(gold: list[GoldItem]) -> None:
    bad = [(item.id, len(q)) for item in gold for q in item.evidence if not 10 <= len(q) <= 120]
    assert not bad, f"evidence quotes outside 10-120 characters: {bad}"


def test_non_refuse_items_have_evidence(gold: list[GoldItem]) -> None:
    bare = [item.id for item in gold if not item.refuse and not item.evidence]
    assert not bare, f"answerable items without evidence: {bare}"


def test_numbers_are_quoted(gold: list[GoldItem]) -> None:
    unquoted = []
    for item in gold:
        for figure in item.numbers:
            runs = _digit_runs(figure)
            if not runs:
                continue
            if not any(all(_occurs_as_number(run, quote) for run in runs) for quote in item.evidence):
                unquoted.append((item.id, figure))
    assert not unquoted, f"figures whose digits are in no evidence quote: {unquoted}"


def test_compute_items_have_result(gold: list[GoldItem]) -> None:
    missing = [item.id for item in gold if item.kind == "compute" and not item.result]
    assert not missing, f"compute items without result: {missing}"


def test_results_are_numeric(gold: list[GoldItem]) -> None:
    bad = [(item.id, item.result) for item in gold if item.result is not None and not _digit_runs(item.result)]
    assert not bad, f"results without a number: {bad}"
    assert all(item.tolerance >= 0 for item in gold)


def test_occurs_as_number_respects_boundaries() -> None:
    assert _occurs_as_number("7", "国家级研发机构数(个)\n\n7")
    assert not _occurs_as_number("7", "478")
    assert not _occurs_as_number("1.5", "11.52")
    assert _occurs_as_number("1.5", "员工总数约1.5万人")
    assert _digit_runs("约1.104万人") == ["1.104"]
