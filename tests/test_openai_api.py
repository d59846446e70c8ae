"""The OpenAI-compatible chat endpoint and the REST API, against the running app and the real engine.

The official ``openai`` client talks to ``/v1`` in both modes, as a chat front-end or a notebook
would; plain HTTP covers ``/api/ask``, ``/v1/models``, the optional key and malformed bodies (each a
4xx with a one-line message, never a 500, never a traceback in the log).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import openai
import pytest
from gradio_client import Client
from openai.types.chat import ChatCompletionMessageParam

from assistant.app.api import API_KEY_ENV, MAX_BODY_BYTES, MODEL_ID
from assistant.app.render import numbered_sources
from assistant.models import Answer

LOOKUP = "临港科技城2020年税收是多少？"
FOLLOW_UP = "莘莘学子创业园呢？"
LIST = "规划的保障措施有哪几方面？"

# Gradio's queue calls pandas APIs that pandas 3 deprecates: not ours to fix.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing")]


@pytest.fixture(scope="module")
def url(serve_app, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_app(tmp_path_factory.mktemp("feedback")) as served:
        yield served.rstrip("/")


@pytest.fixture
def http(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=60) as client:
        yield client


@pytest.fixture
def chat(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=60)


@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(API_KEY_ENV, raising=False)


def extra_answer(obj: openai.BaseModel) -> Answer:
    """The ``answer`` field the server adds to OpenAI's objects, as the project's ``Answer``."""
    assert obj.model_extra and "answer" in obj.model_extra
    return Answer.model_validate(obj.model_extra["answer"])


# ------------------------------------------------------------------------------------------------
# The openai client


def test_openai_client_lists_the_one_model(chat: openai.OpenAI, no_key: None) -> None:
    assert [model.id for model in chat.models.list()] == [MODEL_ID]
    assert chat.models.retrieve(MODEL_ID).id == MODEL_ID


def test_openai_client_chat_answer_with_numbered_sources(chat: openai.OpenAI, assistant, no_key: None) -> None:
    completion = chat.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": LOOKUP}])
    assert completion.object == "chat.completion" and completion.model == MODEL_ID
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    answer = extra_answer(completion)
    assert answer == assistant.ask(LOOKUP, [])  # the same engine as every other interface
    assert answer.kind == "lookup" and answer.figures[0].text == "25亿元"
    source = answer.figures[0].source
    text = choice.message.content
    assert source is not None and text is not None
    assert text.startswith(answer.answer) and "25亿元" in text
    assert f"\n- [1] {source.section}：“{source.quote}”" in text  # numbered, section path then quote


def test_openai_client_streams_the_same_text_and_the_answer_last(chat: openai.OpenAI, no_key: None) -> None:
    """The stream carries the completion's text, its numbered sources included, then the Answer."""
    messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": LIST}]
    whole = chat.chat.completions.create(model=MODEL_ID, messages=messages)
    chunks = list(chat.chat.completions.create(model=MODEL_ID, messages=messages, stream=True))
    assert len(chunks) > 2 and {chunk.object for chunk in chunks} == {"chat.completion.chunk"}
    assert len({chunk.id for chunk in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert streamed == whole.choices[0].message.content
    cited = len(numbered_sources(extra_answer(whole)))
    assert cited and "**来源**" in streamed and all(f"\n- [{n}] " in streamed for n in range(1, cited + 1))
    assert [chunk.choices[0].finish_reason for chunk in chunks].count("stop") == 1
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert extra_answer(chunks[-1]) == extra_answer(whole)
    assert all(not chunk.model_extra or "answer" not in chunk.model_extra for chunk in chunks[:-1])


def test_earlier_user_messages_are_the_history(chat: openai.OpenAI, assistant, no_key: None) -> None:
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": "你是规划助手。"},
        {"role": "user", "content": LOOKUP},
        {"role": "assistant", "content": "临港松江科技城2020年税收为25亿元。"},
        {"role": "user", "content": [{"type": "text", "text": FOLLOW_UP}]},
    ]
    for stream in (False, True):
        if stream:
            answer = extra_answer(list(chat.chat.completions.create(model=MODEL_ID, messages=messages, stream=True))[-1])
        else:
            answer = extra_answer(chat.chat.completions.create(model=MODEL_ID, messages=messages))
        assert answer == assistant.ask(FOLLOW_UP, [LOOKUP])
        assert "0.68亿元" in answer.answer and answer.figures[0].subject == "莘莘学子创业园"


def test_openai_client_raises_the_one_line_message(chat: openai.OpenAI, no_key: None) -> None:
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        chat.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": LOOKUP}])
    with pytest.raises(openai.UnprocessableEntityError, match="user message"):
        chat.chat.completions.create(model=MODEL_ID, messages=[{"role": "system", "content": "只有系统消息"}])
    with pytest.raises(openai.UnprocessableEntityError, match="foo: Extra inputs are not permitted"):
        chat.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": LOOKUP}], extra_body={"foo": 1})


def test_sampling_options_are_accepted_and_ignored(chat: openai.OpenAI, assistant, no_key: None) -> None:
    completion = chat.chat.completions.create(
        model=MODEL_ID,
        messages=[{"role": "user", "content": LOOKUP}],
        temperature=0.2,
        top_p=0.9,
        max_tokens=50,
        n=1,
        stop=["。"],
        seed=7,
        user="analyst",
        stream_options=None,
    )
    assert extra_answer(completion) == assistant.ask(LOOKUP, [])


# ------------------------------------------------------------------------------------------------
# Plain HTTP


def test_api_ask_returns_the_answer_json(http: httpx.Client, assistant, no_key: None) -> None:
    response = http.post("/api/ask", json={"question": FOLLOW_UP, "history": [LOOKUP]})
    assert response.status_code == 200
    assert response.json() == assistant.ask(FOLLOW_UP, [LOOKUP]).model_dump(mode="json")
    assert http.post("/api/ask", json={"question": LOOKUP}).json()["figures"][0]["source"]["quote"] == "税收25亿元"


def test_api_ask_takes_any_text(http: httpx.Client, no_key: None) -> None:
    empty = http.post("/api/ask", json={"question": "   "}).json()
    assert empty["refused"] is True and empty["reason"] == "empty_question"
    long = http.post("/api/ask", json={"question": "税收" * 3000}).json()
    assert "问题过长" in long["answer"]


def test_models_and_raw_event_stream(http: httpx.Client, no_key: None) -> None:
    models = http.get("/v1/models").json()
    assert models["object"] == "list" and [card["id"] for card in models["data"]] == [MODEL_ID]
    body = {"model": MODEL_ID, "messages": [{"role": "user", "content": LOOKUP}], "stream": True}
    with http.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in events)
    assert events[-1] == "data: [DONE]"
    chunks = [json.loads(line.removeprefix("data: ")) for line in events[:-1]]
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    assert chunks[-1]["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop", "logprobs": None}
    assert chunks[-1]["answer"]["figures"][0]["text"] == "25亿元"


def test_openapi_schema_lists_the_api_and_forbids_unknown_keys(http: httpx.Client, no_key: None) -> None:
    schema = http.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {"/v1/chat/completions", "/v1/models", "/v1/models/{model_id}", "/api/ask"}
    components = schema["components"]["schemas"]
    assert components["AskRequest"]["additionalProperties"] is False
    assert components["ChatCompletionRequest"]["additionalProperties"] is False
    assert "answer" in components["ChatCompletion"]["properties"]
    assert http.get("/api/docs").status_code == 200


JSON = {"content-type": "application/json"}
CHAT, ASK = "/v1/chat/completions", "/api/ask"
ONE = b'[{"role": "user", "content": "x"}]'


def messages(items: bytes, extra: bytes = b"") -> bytes:
    return b'{"messages": ' + items + extra + b"}"


MALFORMED = [
    ("bad JSON", CHAT, b'{"messages": [', JSON, 400, "not valid JSON"),
    ("not UTF-8", CHAT, messages(b'[{"role": "user", "content": "\xff\xfe"}]'), JSON, 400, "UTF-8"),
    ("not UTF-8", ASK, b'{"question": "\xc3\x28"}', JSON, 400, "UTF-8"),
    ("no body", ASK, b"", JSON, 400, "missing"),
    ("not an object", ASK, b'["question"]', JSON, 400, "JSON object"),
    ("form encoded", ASK, b"question=x", {"content-type": "application/x-www-form-urlencoded"}, 400, "JSON object"),
    ("number too long", ASK, b'{"question": "x", "history": [' + b"1" * 5000 + b"]}", JSON, 400, "not valid JSON"),
    ("deep nesting", ASK, b"[" * 100_000 + b"]" * 100_000, JSON, 400, "nested"),
    ("missing messages", CHAT, b'{"model": "plan-assistant"}', JSON, 422, "messages: Field required"),
    ("empty messages", CHAT, messages(b"[]"), JSON, 422, "messages"),
    ("no user message", CHAT, messages(b'[{"role": "assistant", "content": "hi"}]'), JSON, 422, "user message"),
    ("messages not a list", CHAT, messages(b'"hi"'), JSON, 422, "messages: Input should be a valid list"),
    ("unknown role", CHAT, messages(b'[{"role": "boss", "content": "hi"}]'), JSON, 422, "messages.0.role"),
    ("content a number", CHAT, messages(b'[{"role": "user", "content": 5}]'), JSON, 422, "messages.0.content"),
    ("image part", CHAT, messages(b'[{"role": "user", "content": [{"type": "image_url"}]}]'), JSON, 422, "only text"),
    ("stream not a bool", CHAT, messages(ONE, b', "stream": "maybe"'), JSON, 422, "stream"),
    ("two answers", CHAT, messages(ONE, b', "n": 2'), JSON, 422, "n:"),
    ("unknown model", CHAT, messages(ONE, b', "model": "gpt-4o"'), JSON, 404, "does not exist"),
    ("too many messages", CHAT, messages(b"[" + b", ".join([ONE[1:-1]] * 1001) + b"]"), JSON, 422, "messages"),
    ("question a list", ASK, b'{"question": ["x"]}', JSON, 422, "question: Input should be a valid string"),
    ("history a string", ASK, b'{"question": "x", "history": "y"}', JSON, 422, "history"),
    ("unknown key", ASK, b'{"question": "x", "id": 1}', JSON, 422, "id: Extra inputs are not permitted"),
    ("lone surrogate", ASK, b'{"question": "\\ud800"}', JSON, 422, "surrogate"),
    ("huge body", ASK, b'{"question": "' + b"x" * (MAX_BODY_BYTES + 1) + b'"}', JSON, 413, "larger than"),
]


@pytest.mark.parametrize(
    ("path", "body", "headers", "status", "fragment"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_malformed_bodies_get_a_one_line_4xx(
    http: httpx.Client,
    no_key: None,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    path: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    fragment: str,
) -> None:
    response = http.post(path, content=body, headers=headers)
    assert response.status_code == status
    message = response.json()["error"]["message"]
    assert fragment in message and "\n" not in message and len(message) < 300
    assert "Traceback" not in caplog.text and "Traceback" not in capfd.readouterr().err


def test_a_huge_body_without_a_length_is_cut_off(http: httpx.Client, no_key: None) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(MAX_BODY_BYTES // 10_000 + 1):
            yield b"x" * 10_000
        yield b'"}'

    response = http.post("/api/ask", content=chunks(), headers=JSON)
    assert response.status_code == 413 and "larger than" in response.json()["error"]["message"]


def test_wrong_method_is_a_4xx(http: httpx.Client, no_key: None) -> None:
    assert http.get("/v1/chat/completions").status_code == 405


# ------------------------------------------------------------------------------------------------
# The optional key


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(API_KEY_ENV, "test-key-42")
    return "test-key-42"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/models", None),
        ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": LOOKUP}]}),
        ("POST", "/api/ask", {"question": LOOKUP}),
    ],
)
def test_with_a_key_set_the_api_wants_it(http: httpx.Client, key: str, method: str, path: str, body: dict | None) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": key}, {"Authorization": f"Basic {key}"}):
        response = http.request(method, path, json=body, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "Authorization: Bearer" in response.json()["error"]["message"]
    assert http.request(method, path, json=body, headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_with_a_key_the_key_comes_before_the_body(http: httpx.Client, key: str) -> None:
    assert http.post("/api/ask", content=b"{not json", headers=JSON).status_code == 401


def test_with_a_key_the_openai_client_passes_and_the_ui_stays_open(url: str, key: str) -> None:
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=f"{url}/v1", api_key="wrong", max_retries=0).models.list()
    client = openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=60)
    completion = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": LOOKUP}])
    assert "25亿元" in (completion.choices[0].message.content or "")
    assert httpx.get(f"{url}/", timeout=30).status_code == 200
    assert Client(f"{url}/", verbose=False).predict(LOOKUP, [], api_name="/ask")["figures"][0]["text"] == "25亿元"


def test_an_empty_key_means_no_key(http: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(API_KEY_ENV, "")
    assert http.get("/v1/models").status_code == 200
