"""Retrieval benchmark: build time, recall@1/@5 and MRR per method over the gold questions, warm latency.

A hit is relevant when its span overlaps an occurrence of one of the item's evidence quotes (items
without evidence are skipped), the same rule ``plan-assistant eval`` scores with. A follow-up is
searched with its earlier turns prepended, since retrieval alone does not resolve "它".

    .venv/bin/python scripts/bench_retrieval.py [--corpus corpus] [--gold eval/gold.jsonl] [--misses]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.config import settings  # noqa: E402
from assistant.corpus import read_corpus  # noqa: E402
from assistant.evaluation.gold import GoldItem, load_gold  # noqa: E402
from assistant.evaluation.scorer import evidence_rank, locate_evidence  # noqa: E402
from assistant.models import Span  # noqa: E402
from assistant.retrieval.retriever import METHODS, Retriever  # noqa: E402

MRR_DEPTH = 10


def query_text(item: GoldItem) -> str:
    return " ".join([*item.history, item.question])


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def evaluate(retriever: Retriever, items: list[tuple[GoldItem, list[Span]]], method: str) -> dict[str, object]:
    ranks: list[int] = []
    misses: list[str] = []
    for item, evidence in items:
        rank = evidence_rank(retriever.search(query_text(item), k=MRR_DEPTH, method=method), evidence)
        ranks.append(rank)
        if not 0 < rank <= 5:
            misses.append(f"{item.id} [{item.kind}] {query_text(item)} (rank {rank or '>10'})")
    count = len(ranks)
    return {
        "recall@1": sum(rank == 1 for rank in ranks) / count,
        "recall@5": sum(0 < rank <= 5 for rank in ranks) / count,
        "mrr": sum(1 / rank for rank in ranks if rank) / count,
        "misses": misses,
    }


def latencies_ms(retriever: Retriever, queries: list[str], method: str, repeat: int) -> list[float]:
    for query in queries[:5]:
        retriever.search(query, method=method)
    timings: list[float] = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            retriever.search(query, method=method)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold.jsonl")
    parser.add_argument("--cache", type=Path, default=None, help="model cache (default: the configured one)")
    parser.add_argument("--repeat", type=int, default=3, help="latency passes over the questions")
    parser.add_argument("--misses", action="store_true", help="list the questions each method misses at 5")
    args = parser.parse_args()

    from assistant.embedding.encoder import Encoder
    from assistant.index.build import build_index

    config = settings()
    started = time.perf_counter()
    encoder = Encoder(config.model, args.cache or config.model_cache).load()
    model_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as scratch:
        index_dir = Path(scratch) / "index"
        started = time.perf_counter()
        manifest = build_index(args.corpus, index_dir, model=config.model, progress=False, encoder=encoder)
        build_seconds = time.perf_counter() - started
        retriever = Retriever.load(index_dir, args.corpus, encoder=encoder)

        corpus = {source.doc: source.text for source in read_corpus(args.corpus)}
        items = [(item, locate_evidence(item.evidence, corpus)) for item in load_gold(args.gold) if item.evidence]
        queries = [query_text(item) for item, _ in items]
        print(
            f"model load {model_seconds:.1f} s · build {build_seconds:.1f} s ({manifest.chunk_count} chunks, "
            f"{manifest.index_type}) · {len(items)} questions with evidence"
        )
        print(f"{'method':<8} {'recall@1':>9} {'recall@5':>9} {'MRR@10':>8} {'p50 ms':>8} {'p95 ms':>8}")
        results = {}
        for method in METHODS:
            results[method] = evaluate(retriever, items, method)
            timings = latencies_ms(retriever, queries, method, args.repeat)
            scores = results[method]
            print(
                f"{method:<8} {scores['recall@1']:>9.3f} {scores['recall@5']:>9.3f} {scores['mrr']:>8.3f} "
                f"{statistics.median(timings):>8.1f} {percentile(timings, 0.95):>8.1f}"
            )
        if args.misses:
            for method in METHODS:
                print(f"\n{method} misses at 5:")
                for line in results[method]["misses"]:
                    print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
