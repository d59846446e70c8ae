"""``make bench``: the performance and accuracy figures of this machine, as tables.

1. index build time of the real corpus (and the one-off model conversion with ``--fresh-model``);
2. cold start: process start to first answer, of the CLI (median of 3) and of the Gradio app;
3. warm answer latency p50/p95 per answer kind over the gold questions, after a warm-up pass;
4. peak memory (RSS high-water mark) of the answering process, the CLI and the app;
5. gold accuracy, overall and per gold kind;
6. scaling: synthetic corpora of N renamed, rescaled copies of the plan (build, size, latency,
   lookup accuracy as N grows);
7. a Markdown summary, printed and written to ``eval/reports/bench.md``.

The answering figures (3–5) come from a fresh spawned process, so its RSS is that of a process
that loads one assistant and answers, not of this one, which also builds indexes.

Scaling builds embed passages with a hashing stand-in of the model's dimension: the real model
embeds under 10 passages a second on its one thread, and N = 50 holds ~9,500 chunks (~20 minutes).
Every other build step and every query path is the real one (queries are embedded by the real
model); the full build time is estimated from the passage rate measured on the real build. Everything this
script writes except ``eval/reports/bench.md`` goes to a temporary folder; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import platform
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.config import settings
from assistant.embedding.convert import MARKER, MODEL_DIRNAME
from assistant.embedding.encoder import DEFAULT_MODEL, Encoder
from assistant.errors import AssistantError
from assistant.evaluation.gold import GoldItem, load_gold
from assistant.evaluation.scorer import percentile
from assistant.evaluation.synthetic import SyntheticDocument, rename, write_corpus
from assistant.index.build import build_threads
from assistant.index.store import IndexStore, read_manifest

if TYPE_CHECKING:
    from assistant.index.chunks import Chunk

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = ROOT / "eval" / "gold.jsonl"
REPORT = ROOT / "eval" / "reports" / "bench.md"
MODEL_CACHE = ROOT / ".cache" / "models"
VENV_BIN = Path(sys.executable).parent

ANSWER_KINDS = ("lookup", "compare", "compute", "list", "passage", "refusal")
STRUCTURED_TARGET_MS = 30.0
PASSAGE_TARGET_MS = 60.0
RETRIEVAL_KINDS = ("list", "passage", "refusal")  # answered from retrieved passages (refusals: often)
TARGET_MS = {kind: PASSAGE_TARGET_MS if kind in RETRIEVAL_KINDS else STRUCTURED_TARGET_MS for kind in ANSWER_KINDS}
CLI_RUNS = 3
APP_TIMEOUT_S = 300.0
APP_ROUND_TRIPS = 20
DEFAULT_SCALES = (1, 10, 50)
LATENCY_SAMPLE = 40
LOOKUP_SAMPLE = 120
SEARCH_DEPTH = 5
RATE_SAMPLE = 32
SEED = 20240601
OUTLIERS = 5


# ---------------------------------------------------------------- small helpers


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown pipe table, padded so it also reads well in a terminal."""
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(_pad(cell, width) for cell, width in zip(row, widths)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def mib(kib: int | None) -> str:
    return "–" if kib is None else f"{kib / 1024:.0f}"


def section(title: str, body: str) -> None:
    print(f"\n## {title}\n\n{body}", flush=True)


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def current_rss_kib() -> int:
    """This process's resident set size now (VmRSS), to show memory growth between scaling runs."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def machine() -> dict[str, str]:
    """Date, CPU model, cores and memory, as this machine reports them."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")), 0)
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{memory / 1024**2:.1f} GiB",
        "python": platform.python_version(),
    }


# ---------------------------------------------------------------- encoders for measuring


class TimedEncoder(Encoder):
    """The real encoder, keeping the seconds spent embedding (in a build: the passages, its dominant step).

    Both entry points are timed, as an index build may embed chunks with either prompt.
    """

    def __init__(self, model: str, cache_dir: Path) -> None:
        super().__init__(model, cache_dir, threads=build_threads())
        self.seconds = 0.0

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._timed(lambda: super(TimedEncoder, self).encode_queries(texts))

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._timed(lambda: super(TimedEncoder, self).encode_passages(texts, show_progress=show_progress))

    def _timed(self, encode: Callable[[], np.ndarray]) -> np.ndarray:
        started = time.perf_counter()
        vectors = encode()
        self.seconds += time.perf_counter() - started
        return vectors


class HashEncoder(Encoder):
    """Hashed character-bigram vectors under the real model's name and dimension, for scaling builds.

    FAISS's exact search costs the same whatever the vectors hold, and structured lookups never use
    them; what this saves is the model's time per passage, accounted for separately.
    """

    def __init__(self, model: str, dimension: int) -> None:
        super().__init__(model)
        self._dimension = dimension
        self.seconds = 0.0

    @property
    def dimension(self) -> int:
        return self._dimension

    def load(self) -> HashEncoder:
        return self

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._vectors(texts)

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._vectors(texts)

    def _vectors(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = np.zeros((len(texts), self._dimension), np.float32)
        for row, text in enumerate(texts):
            for i in range(len(text) - 1):
                vectors[row, zlib.crc32(text[i : i + 2].encode("utf-8")) % self._dimension] += 1.0
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        self.seconds += time.perf_counter() - started
        return vectors


# ---------------------------------------------------------------- 1. build


@dataclass
class BuildFigures:
    """Section 1: what building the real index cost."""

    conversion_s: float | None
    conversion_note: str
    model_load_s: float
    build_s: float
    embed_s: float
    chunks: int
    facts: int
    size_mb: float
    from_manifest: bool
    maxrss_kib: int

    @property
    def seconds_per_passage(self) -> float:
        return self.embed_s / self.chunks if self.chunks else 0.0


def time_conversion(model: str, fresh_model: bool, scratch: Path) -> tuple[float | None, str]:
    """The one-off conversion of the bundled model, into a temp cache with ``--fresh-model``."""
    if model != DEFAULT_MODEL:
        return None, f"{model} is used as is (no conversion)"
    if fresh_model:
        started = time.perf_counter()
        Encoder(model, scratch / "models").load()
        seconds = time.perf_counter() - started
        gc.collect()
        return seconds, "fresh temp cache: conversion + first load"
    if not (MODEL_CACHE / MODEL_DIRNAME / MARKER).is_file():
        return None, "cache was empty: conversion is inside the model load below"
    return None, "already converted (pass --fresh-model to time it)"


def build_pass(index_dir: str, model: str, fresh_model: bool, scratch: str, reuse: bool) -> dict:
    """In a fresh process: build the real corpus's index (with ``--index``: check and reuse it); plain data out."""
    conversion_s, note = time_conversion(model, fresh_model, Path(scratch))
    started = time.perf_counter()
    encoder = TimedEncoder(model, MODEL_CACHE).load()
    model_load_s = time.perf_counter() - started
    if reuse:
        IndexStore.load(Path(index_dir), corpus_dir=CORPUS, model=model)
        manifest = read_manifest(Path(index_dir))
        passages = [chunk.passage() for chunk in _real_chunks()[:RATE_SAMPLE]]
        encoder.encode_passages(passages)
        embed_s = encoder.seconds / len(passages) * manifest.chunk_count
    else:
        from assistant.index.build import build_index

        manifest = build_index(CORPUS, Path(index_dir), model=model, cache_dir=MODEL_CACHE, progress=False, encoder=encoder)
        embed_s = encoder.seconds
    figures = BuildFigures(
        conversion_s=conversion_s,
        conversion_note=note,
        model_load_s=model_load_s,
        build_s=manifest.build_seconds,
        embed_s=embed_s,
        chunks=manifest.chunk_count,
        facts=manifest.fact_count,
        size_mb=folder_mb(Path(index_dir)),
        from_manifest=reuse,
        maxrss_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    )
    return asdict(figures)


def _real_chunks() -> list[Chunk]:
    from assistant.index.chunks import chunk_documents
    from assistant.plan import PlanCorpus

    return chunk_documents(PlanCorpus.load(CORPUS).documents)


def report_build(figures: BuildFigures) -> str:
    build_note = " (from the index's manifest)" if figures.from_manifest else ""
    embed_note = " (estimated from a sample)" if figures.from_manifest else ""
    rows = [
        ("model conversion (one-off)", "–" if figures.conversion_s is None else f"{figures.conversion_s:.1f}", figures.conversion_note),
        ("model load (converted cache)", f"{figures.model_load_s:.1f}", "torch + sentence-transformers + weights"),
        (f"index build{build_note}", f"{figures.build_s:.1f}", f"{figures.chunks} chunks, {figures.facts} facts, {figures.size_mb:.2f} MB"),
        (
            f"  of which embedding passages{embed_note}",
            f"{figures.embed_s:.1f}",
            f"{1 / figures.seconds_per_passage:.1f} passages/s, {build_threads()} torch threads",
        ),
        ("build + model load (= `plan-assistant build`)", f"{figures.build_s + figures.model_load_s:.1f}", ""),
    ]
    return table(("step", "seconds", "note"), rows)


# ---------------------------------------------------------------- 3–5. answering process


def answer_pass(index_dir: str) -> dict:
    """In a fresh process: load, warm up, time every gold question, score the gold set; plain data out."""
    from assistant.engine.assistant import Assistant
    from assistant.evaluation.run import evaluate

    started = time.perf_counter()
    assistant = Assistant.load(Path(index_dir), CORPUS)
    load_s = time.perf_counter() - started
    items = load_gold(GOLD)
    for item in items:
        assistant.ask(item.question, item.history)
    timings: list[tuple[str, str, str, float]] = []
    for item in items:
        assistant.clear_cache()
        started = time.perf_counter()
        answer = assistant.ask(item.question, item.history)
        timings.append((item.id, item.question, answer.kind, (time.perf_counter() - started) * 1000))
    embedding_ms: dict[str, float] = {}
    for item_id, question, _, _ in sorted(timings, key=lambda t: t[3], reverse=True)[:OUTLIERS]:
        started = time.perf_counter()
        assistant.retriever.encoder.encode_queries([question])
        embedding_ms[item_id] = (time.perf_counter() - started) * 1000
    with tempfile.TemporaryDirectory(prefix="bench-eval-") as reports:
        run = evaluate(assistant, GOLD, Path(reports))
    return {
        "load_s": load_s,
        "timings": timings,
        "embedding_ms": embedding_ms,
        "metrics": run.metrics.model_dump(),
        "per_kind": [score.model_dump() for score in run.per_kind],
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def in_fresh_process(function: Callable[..., dict], *args: object) -> dict:
    """Run ``function`` in a new interpreter, so its ``ru_maxrss`` is its own.

    A child's high-water mark starts at its parent's RSS when forked: every measured process is
    started while this one is still small (no model loaded).
    """
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def latency_rows(timings: Sequence[tuple[str, str, str, float]]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for kind in ANSWER_KINDS:
        values = [t[3] for t in timings if t[2] == kind]
        p95 = percentile(values, 0.95)
        verdict = "–" if p95 is None else ("ok" if p95 <= TARGET_MS[kind] else "over")
        rows.append((kind, str(len(values)), ms(percentile(values, 0.5)), ms(p95), f"≤ {TARGET_MS[kind]:.0f}", verdict))
    values = [t[3] for t in timings]
    rows.append(("all", str(len(values)), ms(percentile(values, 0.5)), ms(percentile(values, 0.95)), "", ""))
    return rows


def report_latency(result: dict) -> str:
    body = table(("answer kind", "n", "p50 ms", "p95 ms", "target p95 ms", "p95 vs target"), latency_rows(result["timings"]))
    slowest = sorted(result["timings"], key=lambda t: t[3], reverse=True)[:OUTLIERS]
    outliers = table(
        ("gold id", "kind", "ms", "of which query embedding ms", "question"),
        [(t[0], t[2], ms(t[3]), ms(result["embedding_ms"].get(t[0])), t[1]) for t in slowest],
    )
    return (
        f"{body}\n\nOne warm-up pass first; gold questions asked with their history. Assistant load in that "
        f"process: {result['load_s']:.1f} s. Slowest {OUTLIERS}:\n\n{outliers}"
    )


def report_accuracy(result: dict) -> str:
    metrics = result["metrics"]
    overall = table(
        ("metric", "value"),
        [
            ("accuracy", f"{pct(metrics['accuracy'])} ({metrics['correct']}/{metrics['items']})"),
            ("refusal precision / recall", f"{pct(metrics['refusal_precision'])} / {pct(metrics['refusal_recall'])}"),
            ("citations overlapping evidence", pct(metrics["citation_evidence"])),
            (
                "retrieval recall@1 / @5, MRR",
                f"{pct(metrics['recall_at_1'])} / {pct(metrics['recall_at_5'])}, {metrics['mrr']:.3f}"
                if metrics["mrr"] is not None
                else "–",
            ),
        ],
    )
    kinds = table(
        ("gold kind", "items", "correct", "accuracy"),
        [(k["kind"], k["items"], k["correct"], pct(k["accuracy"])) for k in result["per_kind"]],
    )
    return f"{overall}\n\n{kinds}"


# ---------------------------------------------------------------- 2. cold starts


@dataclass
class Measured:
    """One child process: wall seconds from start to exit, exit code, its peak RSS."""

    seconds: float
    returncode: int
    maxrss_kib: int


def run_measured(command: list[str], log: Path) -> Measured:
    """Run ``command`` to completion; ``wait4`` gives this very child's RSS high-water mark."""
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measured(seconds, process.returncode, usage.ru_maxrss)


def cli_cold_start(index_dir: Path, question: str, scratch: Path) -> list[Measured]:
    """``plan-assistant ask`` from process start to exit, ``CLI_RUNS`` times."""
    command = [str(VENV_BIN / "plan-assistant"), "ask", question, "--index", str(index_dir), "--corpus", str(CORPUS)]
    return measured_runs(command, scratch, "cli")


def measured_runs(command: list[str], scratch: Path, name: str) -> list[Measured]:
    """``command`` from process start to exit, ``CLI_RUNS`` times; a failure stops the bench."""
    runs: list[Measured] = []
    for number in range(CLI_RUNS):
        log = scratch / f"{name}-{number}.log"
        run = run_measured(command, log)
        if run.returncode != 0:
            raise RuntimeError(f"{name} failed ({run.returncode}):\n{log.read_text(errors='replace')[-2000:]}")
        runs.append(run)
    return runs


def dense_question(index_dir: str) -> dict:
    """In a fresh process: the first gold question whose answer embeds the question (dense search)."""
    from assistant.engine.assistant import Assistant

    assistant = Assistant.load(Path(index_dir), CORPUS)
    encoder = assistant.retriever.encoder
    embedded: list[str] = []
    encode = encoder.encode_queries

    def counting(texts: list[str]):  # noqa: ANN202 - a wrapper with the wrapped signature
        embedded.extend(texts)
        return encode(texts)

    encoder.encode_queries = counting  # type: ignore[method-assign]
    for item in load_gold(GOLD):
        if not item.history:
            assistant.ask(item.question)
            if embedded:
                return {"question": item.question}
    return {"question": None}


def cold_ratios(index_dir: Path, lookup: str, passage: str, scratch: Path) -> str:
    """A cold ``ask`` of a lookup and of a passage question against the bare import of torch and
    sentence-transformers, interleaved in one run so the machine's load hits all three alike."""
    ask = [str(VENV_BIN / "plan-assistant"), "ask", "--index", str(index_dir), "--corpus", str(CORPUS)]
    commands = {
        "import torch, sentence_transformers": [sys.executable, "-c", "import torch, sentence_transformers"],
        f"ask (lookup) {lookup}": [*ask, lookup],
        f"ask (passage) {passage}": [*ask, passage],
    }
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for number in range(CLI_RUNS):
        for name, command in commands.items():
            run = run_measured(command, scratch / f"ratio-{number}.log")
            if run.returncode != 0:
                raise RuntimeError(f"{name} failed ({run.returncode})")
            seconds[name].append(run.seconds)
    baseline = statistics.median(seconds["import torch, sentence_transformers"])
    rows = [(name, f"{statistics.median(values):.2f}", f"{statistics.median(values) / baseline:.2f}") for name, values in seconds.items()]
    return table(("process", "seconds (median of 3)", "× the import"), rows)


@dataclass
class AppFigures:
    """The app: start to first answer, warm API round trips, and its RSS high-water mark."""

    cold_s: float | None
    round_trips_ms: list[float] = field(default_factory=list)
    maxrss_kib: int | None = None
    note: str = ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_cold_start(index_dir: Path, question: str, round_trips: Sequence[GoldItem], scratch: Path) -> AppFigures:
    """Start ``app.py``, poll ``/ask`` until the first answer arrives, time a few more, stop it."""
    if not (ROOT / "app.py").is_file():
        return AppFigures(None, note="app not available")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "app.py", "--port", str(port), "--index", str(index_dir), "--corpus", str(CORPUS)]
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    log = scratch / "app.log"
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            client, cold_s = _first_answer(process, url, question, started)
            if client is None:
                return AppFigures(None, note=f"no answer within {APP_TIMEOUT_S:.0f} s: {log.read_text(errors='replace')[-800:]}")
            trips = []
            for item in round_trips:
                begun = time.perf_counter()
                client.predict(item.question, item.history, api_name="/ask")
                trips.append((time.perf_counter() - begun) * 1000)
        finally:
            maxrss = _stop(process)
    return AppFigures(cold_s, trips, maxrss)


def _first_answer(process: subprocess.Popen, url: str, question: str, started: float):
    """Poll until ``/ask`` answers; any error before then means the server is not up yet."""
    from gradio_client import Client

    while time.perf_counter() - started < APP_TIMEOUT_S and process.poll() is None:
        try:
            client = Client(url, verbose=False)
            client.predict(question, [], api_name="/ask")
            return client, time.perf_counter() - started
        except Exception:  # connection refused, config not served yet, app still loading
            time.sleep(0.25)
    return None, None


def _stop(process: subprocess.Popen) -> int | None:
    """SIGTERM, then SIGKILL after 15 s; returns the child's RSS high-water mark when it was reaped here."""
    if process.poll() is not None:
        return None
    process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_maxrss
        time.sleep(0.1)
    process.kill()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss


def report_cold(cli: list[Measured], app: AppFigures | None) -> str:
    seconds = [run.seconds for run in cli]
    rows = [
        (
            "CLI `plan-assistant ask`",
            f"{statistics.median(seconds):.1f}",
            ", ".join(f"{s:.1f}" for s in seconds),
            mib(max(r.maxrss_kib for r in cli)),
        )
    ]
    if app is None:
        rows.append(("app `python app.py` → /ask", "–", "skipped (--skip-app)", "–"))
    elif app.cold_s is None:
        rows.append(("app `python app.py` → /ask", "–", app.note, "–"))
    else:
        trips = f"then /ask round trip p50 {ms(percentile(app.round_trips_ms, 0.5))} ms, p95 {ms(percentile(app.round_trips_ms, 0.95))} ms over {len(app.round_trips_ms)}"
        rows.append(("app `python app.py` → /ask", f"{app.cold_s:.1f}", trips, mib(app.maxrss_kib)))
    return table(("process", "start → first answer, s (median)", "runs / note", "peak RSS MiB"), rows)


# ---------------------------------------------------------------- 6. scaling


@dataclass
class ScaleRow:
    """One synthetic corpus size and what it cost."""

    documents: int
    chunks: int
    facts: int
    generate_s: float
    build_s: float
    stub_embed_s: float
    full_build_est_s: float
    size_mb: float
    load_s: float
    rss_mib: float
    p50_ms: float | None
    p95_ms: float | None
    search_p50_ms: float | None
    search_p95_ms: float | None
    lookups: int
    lookups_correct: int


def lookup_questions(documents: Sequence[SyntheticDocument], corpus_dir: Path, sample: int) -> list[tuple[str, str]]:
    """(question, expected value as written) from the synthetic profile facts, under every name of each sub-park."""
    from assistant.plan import PlanCorpus

    corpus = PlanCorpus.load(corpus_dir)
    names = {s.name: [s.name, *sorted(a for a in s.aliases if "(" not in a)] for s in corpus.lexicon.subparks}
    candidates = [
        (f"{name}{f'{fact.year}年' if fact.year else ''}{fact.indicator}是多少？", fact.text)
        for fact in corpus.facts
        if fact.origin == "profile" and fact.subject in names
        for name in names[fact.subject]
    ]
    return random.Random(SEED).sample(candidates, min(sample, len(candidates)))


def latency_questions(gold: Sequence[GoldItem], documents: Sequence[SyntheticDocument]) -> list[GoldItem]:
    """A fixed sample of gold sub-park lookups, renamed to the first, middle and last document."""
    lookups = [item for item in gold if item.kind == "subpark_lookup"]
    step = max(1, len(lookups) // LATENCY_SAMPLE)
    chosen = lookups[::step][:LATENCY_SAMPLE]
    targets = [documents[0], documents[len(documents) // 2], documents[-1]]
    renamed: list[GoldItem] = []
    for position, item in enumerate(chosen):
        names = targets[position % len(targets)].names
        renamed.append(
            item.model_copy(update={"question": rename(item.question, names), "history": [rename(h, names) for h in item.history]})
        )
    return renamed


def timed_answers(ask: Callable[[str, list[str]], object], items: Sequence[GoldItem]) -> list[float]:
    """Milliseconds per item of a second pass; the first warms caches."""
    for item in items:
        ask(item.question, item.history)
    latencies = []
    for item in items:
        started = time.perf_counter()
        ask(item.question, item.history)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def scale_once(count: int, encoder: Encoder, seconds_per_passage: float, gold: Sequence[GoldItem], scratch: Path) -> ScaleRow:
    """Generate, build, load and query one synthetic corpus of ``count`` documents."""
    from assistant.corpus import read_corpus
    from assistant.engine.assistant import Assistant
    from assistant.index.build import build_index
    from assistant.parsing.document import parse_document
    from assistant.retrieval.retriever import Retriever

    corpus_dir, index_dir = scratch / f"synthetic-{count}", scratch / f"synthetic-{count}-index"
    started = time.perf_counter()
    documents = write_corpus(CORPUS, corpus_dir, count)
    generate_s = time.perf_counter() - started
    stub = HashEncoder(encoder.name, encoder.dimension)
    manifest = build_index(corpus_dir, index_dir, model=encoder.name, progress=False, encoder=stub)
    gc.collect()
    started = time.perf_counter()
    retriever = Retriever.load(index_dir, corpus_dir=corpus_dir, encoder=encoder)
    assistant = Assistant(retriever, [parse_document(s.doc, s.text) for s in read_corpus(corpus_dir)])
    load_s = time.perf_counter() - started
    sample = latency_questions(gold, documents)
    latencies = timed_answers(assistant.ask, sample)
    searches = timed_answers(lambda question, _history: retriever.search(question, SEARCH_DEPTH), sample)
    questions = lookup_questions(documents, corpus_dir, LOOKUP_SAMPLE)
    correct = sum(expected in assistant.ask(question).answer for question, expected in questions)
    return ScaleRow(
        documents=count,
        chunks=manifest.chunk_count,
        facts=manifest.fact_count,
        generate_s=generate_s,
        build_s=manifest.build_seconds,
        stub_embed_s=stub.seconds,
        full_build_est_s=manifest.build_seconds - stub.seconds + manifest.chunk_count * seconds_per_passage,
        size_mb=folder_mb(index_dir),
        load_s=load_s,
        rss_mib=current_rss_kib() / 1024,
        p50_ms=percentile(latencies, 0.5),
        p95_ms=percentile(latencies, 0.95),
        search_p50_ms=percentile(searches, 0.5),
        search_p95_ms=percentile(searches, 0.95),
        lookups=len(questions),
        lookups_correct=correct,
    )


def report_scaling(rows: Sequence[ScaleRow]) -> str:
    return table(
        (
            "N docs",
            "chunks",
            "facts",
            "build s (stub emb.)",
            "full build s (est.)",
            "index MB",
            "load s",
            "RSS MiB",
            "ask p50/p95 ms",
            "search p50/p95 ms",
            "lookup acc.",
        ),
        [
            (
                r.documents,
                r.chunks,
                r.facts,
                f"{r.build_s:.1f}",
                f"{r.full_build_est_s:.0f}",
                f"{r.size_mb:.1f}",
                f"{r.load_s:.1f}",
                f"{r.rss_mib:.0f}",
                f"{ms(r.p50_ms)} / {ms(r.p95_ms)}",
                f"{ms(r.search_p50_ms)} / {ms(r.search_p95_ms)}",
                f"{r.lookups_correct / r.lookups:.1%} ({r.lookups_correct}/{r.lookups})",
            )
            for r in rows
        ],
    )


def growth(rows: Sequence[ScaleRow]) -> str:
    """How each figure grows from the smallest to the largest N."""
    if len(rows) < 2:
        return ""
    first, last = rows[0], rows[-1]
    factor = last.documents / first.documents

    def ratio(a: float | None, b: float | None) -> str:
        return "–" if not a or b is None else f"×{b / a:.1f}"

    return (
        f"From N={first.documents} to N={last.documents} (×{factor:.0f} documents): build {ratio(first.build_s, last.build_s)}, "
        f"estimated full build {ratio(first.full_build_est_s, last.full_build_est_s)}, index size {ratio(first.size_mb, last.size_mb)}, "
        f"load {ratio(first.load_s, last.load_s)}, ask p50 {ratio(first.p50_ms, last.p50_ms)} / p95 {ratio(first.p95_ms, last.p95_ms)}, "
        f"search p50 {ratio(first.search_p50_ms, last.search_p50_ms)} / p95 {ratio(first.search_p95_ms, last.search_p95_ms)}."
    )


# ---------------------------------------------------------------- 7. summary


def summary(
    info: dict[str, str],
    build: BuildFigures,
    cli: list[Measured],
    app: AppFigures | None,
    answers: dict,
    scaling: Sequence[ScaleRow],
) -> str:
    """The Markdown block for the README and ``eval/reports/bench.md``."""
    rows: list[tuple[str, str, str]] = [
        (
            "index build, real plan (s)",
            f"{build.build_s:.1f} + {build.model_load_s:.1f} model load",
            f"{build.chunks} chunks, {build.size_mb:.2f} MB",
        ),
    ]
    if build.conversion_s is not None:
        rows.append(("model conversion, one-off (s)", f"{build.conversion_s:.1f}", ""))
    rows.append(("cold start CLI → first answer (s, median of 3)", f"{statistics.median(r.seconds for r in cli):.1f}", ""))
    if app is not None:
        rows.append(("cold start app → first /ask answer (s)", "–" if app.cold_s is None else f"{app.cold_s:.1f}", app.note))
    if app is not None and app.round_trips_ms:
        trips = app.round_trips_ms
        rows.append(
            (
                "app /ask round trip via gradio_client, p50 / p95 (ms)",
                f"{ms(percentile(trips, 0.5))} / {ms(percentile(trips, 0.95))}",
                f"n={len(trips)}",
            )
        )
    for kind, count, p50, p95, target, verdict in latency_rows(answers["timings"]):
        rows.append(
            (f"warm latency {kind}, p50 / p95 (ms, n={count})", f"{p50} / {p95}", f"p95 {target} {verdict}".strip() if target else "")
        )
    rows.append(("peak RSS, answering process (MiB)", mib(answers["maxrss_kib"]), "loads the assistant, answers the gold set 3×"))
    rows.append(("peak RSS, CLI ask (MiB)", mib(max(r.maxrss_kib for r in cli)), ""))
    if app is not None and app.maxrss_kib is not None:
        rows.append(("peak RSS, app (MiB)", mib(app.maxrss_kib), ""))
    rows.append(("peak RSS, index build (MiB)", mib(build.maxrss_kib), ""))
    metrics = answers["metrics"]
    rows.append(("gold accuracy", f"{pct(metrics['accuracy'])} ({metrics['correct']}/{metrics['items']})", ""))
    rows += [(f"  {k['kind']}", f"{pct(k['accuracy'])} ({k['correct']}/{k['items']})", "") for k in answers["per_kind"]]
    text = f"Benchmarks — {info['date']}, {info['cpu']}, {info['cores']} cores, {info['memory']}, Python {info['python']}\n\n" + table(
        ("figure", "measured", "target / note"), rows
    )
    if scaling:
        text += (
            "\n\nScaling (synthetic renamed, rescaled copies of the plan; stub passage embeddings, full build estimated):\n\n"
            f"{report_scaling(scaling)}\n\n{growth(scaling)}"
        )
    return text


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Print the assistant's performance and accuracy figures on this machine")
    parser.add_argument(
        "--index", type=Path, default=None, help="use this existing, current index instead of building one in a temp folder"
    )
    parser.add_argument(
        "--scale", type=int, action="append", default=[], metavar="N", help="add a synthetic corpus size to the scaling run (e.g. 100)"
    )
    parser.add_argument("--skip-app", action="store_true", help="do not start the Gradio app")
    parser.add_argument("--skip-scaling", action="store_true", help="no synthetic scaling run")
    parser.add_argument("--fresh-model", action="store_true", help="also time the one-off model conversion into a temp cache")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.scale):
        parser.error("--scale takes a document count of at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PLAN_ASSISTANT_HOME", str(ROOT / ".cache"))
    model = settings().model
    info = machine()
    print(
        f"# Benchmarks\n\n{info['date']} · {info['cpu']} · {info['cores']} cores · {info['memory']} · Python {info['python']} · model {model}",
        flush=True,
    )
    gold = load_gold(GOLD)
    cold_question = next(item.question for item in gold if item.kind == "subpark_lookup" and not item.history)
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as tmp:
        scratch = Path(tmp)
        index_dir = args.index.resolve() if args.index else scratch / "index"
        floor_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            build = BuildFigures(**in_fresh_process(build_pass, str(index_dir), model, args.fresh_model, tmp, args.index is not None))
        except AssistantError as error:
            print(f"bench: {error}", file=sys.stderr)
            return 1
        section("1. Index build (real plan)", report_build(build))

        cli = cli_cold_start(index_dir, cold_question, scratch)
        app = (
            None
            if args.skip_app
            else app_cold_start(index_dir, cold_question, gold[:: max(1, len(gold) // APP_ROUND_TRIPS)][:APP_ROUND_TRIPS], scratch)
        )
        section("2. Cold start (process start → first answer)", f"Question: {cold_question}\n\n{report_cold(cli, app)}")
        passage_question = in_fresh_process(dense_question, str(index_dir))["question"] or cold_question
        section(
            "2b. Cold start against importing torch (goals: lookup ≤ 0.25×, passage ≤ 1.2×)",
            cold_ratios(index_dir, cold_question, passage_question, scratch),
        )

        answers = in_fresh_process(answer_pass, str(index_dir))
        section("3. Warm answer latency (gold questions)", report_latency(answers))
        memory = table(
            ("process", "peak RSS MiB"),
            [
                ("load assistant + answer all gold questions (×3 passes)", mib(answers["maxrss_kib"])),
                ("CLI `plan-assistant ask` (max of 3)", mib(max(r.maxrss_kib for r in cli))),
                ("app (until stopped)", "–" if app is None else mib(app.maxrss_kib)),
                ("index build (model load + build)", mib(build.maxrss_kib)),
                ("this bench process when it started them (a floor for each)", mib(floor_kib)),
            ],
        )
        section("4. Peak memory (ru_maxrss of each process)", memory)
        section("5. Gold accuracy", report_accuracy(answers))

        scaling: list[ScaleRow] = []
        if not args.skip_scaling:
            counts = sorted({*DEFAULT_SCALES, *args.scale})
            started = time.perf_counter()
            encoder = Encoder(model, MODEL_CACHE).load()
            for count in counts:
                scaling.append(scale_once(count, encoder, build.seconds_per_passage, gold, scratch))
                print(f"  scaling: N={count} done after {time.perf_counter() - started:.0f} s", flush=True)
            section(
                "6. Scaling (synthetic corpora)",
                f"{report_scaling(scaling)}\n\n{growth(scaling)} Whole scaling run: {time.perf_counter() - started:.0f} s. "
                f"Latency: {LATENCY_SAMPLE} gold sub-park lookups renamed to documents 1, N/2+1 and N; "
                f"lookup accuracy: sampled profile-fact questions under every sub-park name, expected value as written in the answer.",
            )

    text = summary(info, build, cli, app, answers, scaling)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(f"# Benchmarks\n\n{text}\n", encoding="utf-8")
    section(f"7. Summary (Markdown, also in {REPORT.relative_to(ROOT)})", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
