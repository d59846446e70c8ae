"""Running the gold set through the real engine and retriever, then scoring it."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.engine.assistant import Assistant
from assistant.errors import InputError
from assistant.evaluation.gold import GoldItem, load_gold
from assistant.evaluation.report import prepare_report_folder, write_comparison, write_report
from assistant.evaluation.scorer import RunScore, score_run
from assistant.evaluation.sets import SetResult, first_contact, halves, read_sets
from assistant.models import Answer, SearchHit

RETRIEVAL_DEPTH = 5


def answer_all(assistant: Assistant, items: list[GoldItem]) -> tuple[dict[str, Answer], dict[str, float], dict[str, list[SearchHit]]]:
    """Answers, latencies (ms) and retrieval hits for every gold item."""
    answers: dict[str, Answer] = {}
    latencies: dict[str, float] = {}
    hits: dict[str, list[SearchHit]] = {}
    for item in items:
        assistant.clear_cache()
        started = time.perf_counter()
        answers[item.id] = assistant.ask(item.question, item.history, question_id=item.id)
        latencies[item.id] = (time.perf_counter() - started) * 1000
        hits[item.id] = assistant.retriever.search(item.question, RETRIEVAL_DEPTH)
    return answers, latencies, hits


def score_file(assistant: Assistant, gold_path: Path) -> RunScore:
    """Every item of one JSONL set answered and scored."""
    items = load_gold(gold_path)
    answers, latencies, hits = answer_all(assistant, items)
    return score_run(items, answers, assistant.texts, hits, latencies)


def evaluate(assistant: Assistant, gold_path: Path, report_dir: Path | None) -> RunScore:
    """Score the whole gold file; write ``latest.md`` / ``latest.json`` when a folder is given."""
    if report_dir is not None:
        prepare_report_folder(report_dir)  # fail before the run, not after it
    run = score_file(assistant, gold_path)
    if report_dir is not None:
        write_report(run, report_dir)
    return run


def evaluate_sets(assistant: Assistant, eval_dir: Path, names: list[str] | None, report_dir: Path | None) -> list[SetResult]:
    """Score the chosen sets of ``eval_dir/sets.json`` (all by default) and write one report."""
    if report_dir is not None:
        prepare_report_folder(report_dir)
    chosen = read_sets(eval_dir)
    if names:
        unknown = sorted(set(names) - {s.name for s in chosen})
        if unknown:
            raise InputError(f"unknown evaluation set(s): {', '.join(unknown)}; known: {', '.join(s.name for s in chosen)}")
        chosen = [s for s in chosen if s.name in names]
    results = []
    for described in chosen:
        run = score_file(assistant, eval_dir / described.file)
        results.append(
            SetResult(set=described, run=run, halves=halves(run, described.dev_half), first_contact=first_contact(eval_dir, described.name))
        )
    if report_dir is not None:
        write_comparison(results, report_dir)
    return results
