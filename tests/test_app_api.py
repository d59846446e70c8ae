"""The app's API through ``gradio_client``: answers, follow-ups, bad input, feedback, missing index.

The app runs in-process once for the module, on the session's assistant (one index build, one
model load for the whole test session); the missing-index case runs ``app.py`` itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port
from gradio_client import Client

from assistant.app.feedback import FeedbackStore

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "corpus"
LOOKUP = "临港科技城2020年税收是多少？"

# Gradio's queue calls pandas APIs that pandas 3 deprecates: not ours to fix.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing")]


@pytest.fixture(scope="module")
def feedback_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feedback")


@pytest.fixture(scope="module")
def client(serve_app, feedback_dir: Path) -> Iterator[Client]:
    with serve_app(feedback_dir) as url:
        yield Client(url, verbose=False)


def test_lookup_answer_is_the_answer_json(client: Client) -> None:
    answer = client.predict(LOOKUP, [], api_name="/ask")
    assert "25亿元" in answer["answer"]
    assert answer["kind"] == "lookup" and answer["refused"] is False
    figure = answer["figures"][0]
    assert figure["text"] == "25亿元" and figure["source"]["quote"] == "税收25亿元"
    assert answer["citations"] and answer["question"] == LOOKUP


def test_follow_up_through_history(client: Client) -> None:
    answer = client.predict("莘莘学子创业园呢？", [LOOKUP], api_name="/ask")
    assert "0.68亿元" in answer["answer"]
    assert answer["figures"][0]["subject"] == "莘莘学子创业园"


def test_history_as_a_json_string(client: Client) -> None:
    answer = client.predict("莘莘学子创业园呢？", json.dumps([LOOKUP], ensure_ascii=False), api_name="/ask")
    assert "0.68亿元" in answer["answer"]


def test_empty_question_is_answered_not_an_error(client: Client) -> None:
    answer = client.predict("   ", [], api_name="/ask")
    assert answer["refused"] is True and answer["reason"] == "empty_question"
    assert "问题是空的" in answer["answer"]


def test_script_tag_question_is_answered_as_text(client: Client) -> None:
    question = "<script>alert(1)</script>"
    answer = client.predict(question, [], api_name="/ask")
    assert answer["question"] == question
    assert answer["refused"] is True and answer["figures"] == []


def test_very_long_question_is_cut_with_a_notice(client: Client) -> None:
    answer = client.predict("税收" * 3000, [], api_name="/ask")
    assert "问题过长" in answer["answer"]


def test_feedback_lands_as_one_row(client: Client, feedback_dir: Path) -> None:
    answer = client.predict(LOOKUP, [], api_name="/ask")
    status = client.predict(LOOKUP, answer["answer"], answer["kind"], "up", "数字准确", api_name="/feedback")
    assert status == "ok"
    entry = FeedbackStore(feedback_dir).read()[-1]
    assert entry.rating == "up" and entry.comment == "数字准确" and "25亿元" in entry.answer
    assert entry.question == LOOKUP and entry.kind == "lookup" and entry.history == [] and entry.sources == []


def test_feedback_with_history_and_sources(client: Client, feedback_dir: Path) -> None:
    answer = client.predict("莘莘学子创业园呢？", [LOOKUP], api_name="/ask")
    status = client.predict(
        answer["question"], answer["answer"], answer["kind"], "down", "", [LOOKUP], answer["citations"], api_name="/feedback"
    )
    assert status == "ok"
    entry = FeedbackStore(feedback_dir).read()[-1]
    assert entry.history == [LOOKUP] and entry.rating == "down"
    assert [span.model_dump() for span in entry.sources] == answer["citations"] and entry.sources
    as_text = client.predict(LOOKUP, "答", "lookup", "up", "", json.dumps([LOOKUP]), json.dumps(answer["citations"]), api_name="/feedback")
    assert as_text == "ok" and FeedbackStore(feedback_dir).read()[-1].sources == entry.sources


def test_feedback_with_malformed_sources_is_refused_in_one_line(client: Client) -> None:
    for sources, words in (("not json", "sources must be a list"), ({"a": 1}, "sources must be a list"), ([{"doc": "x"}], "sources")):
        with pytest.raises(Exception, match=words) as caught:
            client.predict(LOOKUP, "答", "lookup", "up", "", [], sources, api_name="/feedback")
        assert "Traceback" not in str(caught.value)


def test_feedback_with_an_unknown_rating_is_refused(client: Client) -> None:
    with pytest.raises(Exception, match="rating"):
        client.predict(LOOKUP, "答", "lookup", "meh", "", api_name="/feedback")


def test_app_with_missing_index_answers_with_the_build_message(tmp_path: Path) -> None:
    port = free_port()
    env = os.environ | {"GRADIO_SERVER_PORT": str(port), "PLAN_ASSISTANT_HOME": str(tmp_path / "home")}
    command = [sys.executable, "app.py", "--index", str(tmp_path / "no-index"), "--corpus", str(CORPUS)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, f"app.py exited: {process.stdout.read()}"
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "app.py did not start within 90 s"
                time.sleep(0.5)
        page = urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
        assert "plan-assistant build" in page  # the banner, in the page's config
        answer = Client(url, verbose=False).predict(LOOKUP, [], api_name="/ask")
        assert answer["refused"] is True and answer["reason"] == "index_unavailable"
        assert "plan-assistant build" in answer["answer"] and "no index" in answer["answer"]
    finally:
        process.terminate()
        process.wait(timeout=30)
