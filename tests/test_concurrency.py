"""Several users at once: every request answered, each answer the single-user answer, no feedback lost.

A scaled-down ``scripts/stress.py``: the app runs in-process on the session's assistant; 8 users,
each with its own ``gradio_client``, ask 4 questions (gold questions with their histories, and
odd inputs) and send 5 ratings at the same moment, all within a time bound.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pytest
from gradio_client import Client

from assistant.app.feedback import FeedbackStore
from assistant.app.ui import parse_history

ROOT = Path(__file__).parents[1]
GOLD = ROOT / "eval" / "gold.jsonl"
USERS = 8
QUESTIONS_EACH = 4
RATINGS_EACH = 5
TIME_LIMIT_S = 150
ODD = [
    ("", []),
    ("   ", []),
    ("<script>alert(1)</script>", []),
    ("臨港鬆江科技城2020年稅收是多少？", []),
    ("２０２５年高企数量目标是多少？", []),
    ("😀😀", []),
    ("那它的税收呢？", '["临港科技城有多少家高企？"]'),
]

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing")]


def workload() -> list[tuple[str, list[str] | str]]:
    """Gold questions of every kind (follow-ups with their histories first), then odd inputs."""
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    with_history = [row for row in rows if row["history"]][:6]
    by_kind: dict[str, dict] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], row)
    chosen = [*with_history, *(row for row in by_kind.values() if row not in with_history)]
    questions = [(row["question"], row["history"]) for row in chosen]
    return (questions + ODD)[: USERS * QUESTIONS_EACH]


@pytest.fixture(scope="module")
def served(serve_app, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    feedback_dir = tmp_path_factory.mktemp("concurrent-feedback")
    with serve_app(feedback_dir) as url:
        yield url, feedback_dir


def test_concurrent_users_get_the_single_user_answers_and_no_rating_is_lost(assistant, served: tuple[str, Path]) -> None:
    url, feedback_dir = served
    questions = workload()
    expected = {
        index: assistant.ask(question, parse_history(history)).model_dump(mode="json")
        for index, (question, history) in enumerate(questions)
    }
    start = threading.Barrier(USERS)

    def user(number: int) -> tuple[list[tuple[int, dict]], list[str], list[float]]:
        client = Client(url, verbose=False)
        start.wait(timeout=60)
        answers, statuses, latencies = [], [], []
        for turn in range(QUESTIONS_EACH):
            index = (number * QUESTIONS_EACH + turn) % len(questions)
            question, history = questions[index]
            began = time.perf_counter()
            answers.append((index, client.predict(question, history, api_name="/ask")))
            latencies.append(time.perf_counter() - began)
        for turn in range(RATINGS_EACH):
            rating = "up" if turn % 2 else "down"
            comment = f"用户{number}第{turn}条" + "，很长的意见" * (200 * (turn % 3))
            statuses.append(client.predict(f"用户{number}的问题{turn}", "答" * 1500, "passage", rating, comment, api_name="/feedback"))
        return answers, statuses, latencies

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        futures = [pool.submit(user, number) for number in range(USERS)]
        done, pending = wait(futures, timeout=TIME_LIMIT_S)
        for future in pending:
            future.cancel()
    assert not pending, f"{len(pending)} users unfinished after {TIME_LIMIT_S} s"
    results = [future.result() for future in futures]
    assert time.monotonic() - began < TIME_LIMIT_S

    answered = [pair for answers, _, _ in results for pair in answers]
    assert len(answered) == USERS * QUESTIONS_EACH
    for index, answer in answered:
        assert answer == expected[index], questions[index]
    assert all(status == "ok" for _, statuses, _ in results for status in statuses)

    entries = FeedbackStore(feedback_dir).read()
    assert len(entries) == USERS * RATINGS_EACH and len({entry.id for entry in entries}) == len(entries)
    sent = {f"用户{number}的问题{turn}" for number in range(USERS) for turn in range(RATINGS_EACH)}
    assert {entry.question for entry in entries} == sent
    assert all(entry.answer == "答" * 1500 and entry.kind == "passage" for entry in entries)
