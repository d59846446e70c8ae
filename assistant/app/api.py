"""An OpenAI-compatible chat endpoint and a plain REST API, served beside the Gradio app.

Chat front-ends, notebooks and programs already speak the OpenAI chat API, so the assistant answers
there too, on the app's own server:

- ``POST /v1/chat/completions``: the last user message is the question, the earlier user messages
  are the history (assistant and system turns are ignored: the engine replays questions, not
  answers); streamed as server-sent events when ``stream`` is true. The message text is the answer
  with its numbered sources in Markdown; the full ``Answer`` rides along in an extra ``answer``
  field (on the completion, and on the last chunk of a stream).
- ``GET /v1/models``: the one model id, so front-ends that list models can pick it.
- ``POST /api/ask``: ``{"question", "history"}`` → the ``Answer`` JSON, as ``ask --json`` prints it.
- ``GET /api/openapi.json`` and ``GET /api/docs``: these routes alone, without Gradio's internals.

Every answer comes from the ``Answerer`` it is given (the app's ``AssistantService``), so the API, the
chat tab, the Gradio API and the CLI answer alike. A bad request gets a 4xx whose body is one line
in OpenAI's error shape, ``{"error": {"message", "type", "param", "code"}}``, so OpenAI clients raise
it with its message; nothing a client sends leads to a 500 or a traceback in the log. When
``PLAN_ASSISTANT_API_KEY`` is set, these routes want ``Authorization: Bearer <key>``; the UI stays open.
"""

from __future__ import annotations

import hmac
import json
import os
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from importlib import metadata
from typing import Any, Literal, Protocol

from fastapi import APIRouter, HTTPException, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.routing import BaseRoute

from assistant.app.render import numbered_sources
from assistant.models import Answer, Span

MODEL_ID = "plan-assistant"
API_KEY_ENV = "PLAN_ASSISTANT_API_KEY"
# A long chat with every earlier answer echoed back stays far below this; the engine reads only
# the first few hundred characters of a question and the last few questions anyway.
MAX_BODY_BYTES = 1_000_000
MAX_MESSAGES = 1_000
DOCS_PATH = "/api/docs"
OPENAPI_PATH = "/api/openapi.json"
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
TEXT_PART = '{"type": "text", "text": "..."}'
DESCRIPTION = (
    "OpenAI-compatible chat (`/v1/chat/completions`, `/v1/models`) and a plain REST call (`/api/ask`) "
    'over the plan assistant; errors are `{"error": {"message", "type", "param", "code"}}`.'
)
# Only what could turn plan text into markup: a section path's ">" stays readable as plain text.
MARKDOWN_SPECIAL = str.maketrans({char: f"\\{char}" for char in "\\`*_[]<"})


class Answerer(Protocol):
    """What the API needs of the engine: the app's ``AssistantService`` (never raises)."""

    def ask(self, question: str, history: list[str]) -> Answer: ...


class ApiError(HTTPException):
    """A client error, answered as one line in OpenAI's error shape.

    An ``HTTPException`` so that FastAPI lets it through when it is raised while the body is read.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)
        self.type, self.param, self.code = type, param, code


class ErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorBody(BaseModel):
    """Every error of these routes: ``{"error": {...}}`` with a one-line message."""

    error: ErrorDetail


def error_response(error: ApiError) -> JSONResponse:
    message = " ".join(str(error.detail).split())
    body = ErrorBody(error=ErrorDetail(message=message, type=error.type, param=error.param, code=error.code))
    return JSONResponse(body.model_dump(), status_code=error.status_code, headers=error.headers)


def _well_formed(text: str) -> str:
    """Text that can be written back as UTF-8: JSON escapes can smuggle in lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"text contains an unpaired surrogate at character {error.start}") from None
    return text


# ----------------------------------------------------------------------------------------------
# Request and response models


class Strict(BaseModel):
    """Request models: an unknown key is an error (OpenAI answers them the same way)."""

    model_config = ConfigDict(extra="forbid")


class TextPart(Strict):
    """One part of a message's content; only text parts can be answered."""

    type: Literal["text"]
    text: str


class ChatMessage(Strict):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[TextPart] | None = None
    name: str | None = None

    @field_validator("content", mode="before")
    @classmethod
    def _joined_text(cls, value: Any) -> Any:
        """A list of text parts becomes one string here, so a bad part gets one clear message."""
        if value is None or isinstance(value, str):
            return value if value is None else _well_formed(value)
        if not isinstance(value, list):
            raise ValueError("content must be a string or a list of text parts")
        texts = []
        for part in value:
            if not isinstance(part, dict):
                raise ValueError(f"content parts must be objects like {TEXT_PART}")
            if part.get("type") != "text":
                raise ValueError(f"only text content parts can be answered, not {str(part.get('type'))[:40]!r}")
            if set(part) != {"type", "text"} or not isinstance(part["text"], str):
                raise ValueError(f"a text part must be exactly {TEXT_PART}")
            texts.append(part["text"])
        return _well_formed("".join(texts))

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text for part in self.content)
        return self.content or ""


class ChatCompletionRequest(Strict):
    """OpenAI's chat request. Sampling and length options are accepted so that existing clients work
    unchanged, and ignored: answers are the plan's own words, the same every time."""

    model: str = Field(default=MODEL_ID, description=f"must be {MODEL_ID!r} (see GET /v1/models)")
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    stream_options: dict[str, Any] | None = None
    n: int | None = Field(default=None, ge=1, le=1, description="only one answer per question")
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    logit_bias: dict[str, float] | None = None
    seed: int | None = None
    user: str | None = None
    metadata: dict[str, str] | None = None

    @model_validator(mode="after")
    def _has_a_question(self) -> ChatCompletionRequest:
        if not any(message.role == "user" for message in self.messages):
            raise ValueError("messages must contain a user message: the last one is the question")
        return self

    def question_and_history(self) -> tuple[str, list[str]]:
        """The last user message, and the user messages before it, oldest first."""
        asked = [message.text for message in self.messages if message.role == "user"]
        return asked[-1], asked[:-1]


class AskRequest(Strict):
    question: str = Field(description="the question, in Chinese")
    history: list[str] = Field(default_factory=list, max_length=MAX_MESSAGES, description="earlier questions of the chat, oldest first")

    @field_validator("question")
    @classmethod
    def _question_text(cls, value: str) -> str:
        return _well_formed(value)

    @field_validator("history")
    @classmethod
    def _history_text(cls, value: list[str]) -> list[str]:
        return [_well_formed(item) for item in value]


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: None = None


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletion(BaseModel):
    """OpenAI's ``chat.completion``, plus the full ``Answer`` (figures, citations, kind, refusal)."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    answer: Answer


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


# ----------------------------------------------------------------------------------------------
# Answer → chat message


def markdown_text(text: str) -> str:
    """Plan text on one Markdown line: whitespace collapsed, markup characters escaped."""
    return " ".join(text.split()).translate(MARKDOWN_SPECIAL)


def source_line(number: int, span: Span) -> str:
    """``- [n] section path：“quote”``: bracketed numbers, so they are not confused with a numbered
    list inside the answer itself, and read the same as text or rendered."""
    return f"- [{number}] {markdown_text(span.section or span.doc)}：“{markdown_text(span.quote)}”"


def chat_text(answer: Answer) -> str:
    """The answer, then its sources numbered as the app numbers them (figures' sources first)."""
    sources = numbered_sources(answer)
    if not sources:
        return answer.answer
    lines = [source_line(number, span) for number, span in enumerate(sources, start=1)]
    return "\n".join([answer.answer, "", "**来源**", "", *lines])


def _sse(payload: dict[str, Any] | str) -> str:
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return f"data: {data}\n\n"


def stream_events(completion_id: str, created: int, text: str, answer: Answer) -> Iterator[str]:
    """OpenAI's ``chat.completion.chunk`` events: the role, the text line by line, then a last chunk
    with ``finish_reason`` and the ``Answer``, then ``[DONE]``. The answer is complete before the
    first event, so a stream never breaks off halfway."""

    def chunk(delta: dict[str, str], finish_reason: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
        return {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [choice],
        }

    yield _sse(chunk({"role": "assistant", "content": ""}))
    for line in text.splitlines(keepends=True):
        yield _sse(chunk({"content": line}))
    yield _sse(chunk({}, "stop") | {"answer": answer.model_dump(mode="json")})
    yield _sse("[DONE]")


# ----------------------------------------------------------------------------------------------
# Request reading, errors and the key


class ApiRequest(Request):
    """A request whose body is capped at ``MAX_BODY_BYTES`` while it arrives and must be UTF-8 JSON.

    Starlette would read a body of any size, and FastAPI would turn invalid UTF-8 into a vague
    "error parsing the body"; both become one clear 413 or 400 here.
    """

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            too_large = ApiError(413, f"request body is larger than {MAX_BODY_BYTES} bytes", code="body_too_large")
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise too_large
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise too_large
                chunks.append(chunk)
            self._body = b"".join(chunks)
        return self._body

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                text = body.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ApiError(400, f"request body is not valid UTF-8 (byte {error.start})", code="invalid_utf8") from None
            try:
                self._json = json.loads(text)
            except RecursionError:
                raise ApiError(400, "request body is nested too deeply", code="invalid_json") from None
            except ValueError as error:  # a syntax error, or an integer too long to convert
                raise ApiError(400, f"request body is not valid JSON: {error}", code="invalid_json") from None
        return self._json


def validation_error(error: RequestValidationError) -> ApiError:
    """The first problem of a body, as one line naming the field (``messages.0.role: ...``)."""
    problems = error.errors()
    first = problems[0]
    path = [str(part) for part in first["loc"] if part != "body"]
    if not path and first["type"] == "missing":
        return ApiError(400, "request body is missing: send a JSON object", code="invalid_json")
    # FastAPI reads a body as JSON only under a JSON Content-Type, so a plain form or text post from
    # a web page on another site (no CORS preflight) never reaches the engine.
    if not path and first["type"] in {"model_attributes_type", "dict_type", "model_type"}:
        return ApiError(400, "request body must be a JSON object (Content-Type: application/json)", code="invalid_json")
    message = str(first["msg"]).removeprefix("Value error, ")
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    field = ".".join(path)
    return ApiError(422, f"{field}: {message}{more}" if field else f"{message}{more}", param=field or None)


def configured_key() -> str | None:
    """The API key, read on each request (an empty value means no key)."""
    return os.environ.get(API_KEY_ENV) or None


def check_key(request: Request) -> None:
    key = configured_key()
    if key is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), key.encode()):
        raise ApiError(
            401,
            "missing or wrong API key: send the header 'Authorization: Bearer <key>'",
            code="invalid_api_key",
            headers={"WWW-Authenticate": "Bearer"},
        )


class ApiRoute(APIRoute):
    """A route that checks the key before it reads a body, and answers every client error itself.

    Errors are handled here rather than by app-wide exception handlers, so Gradio's own routes on
    the same app keep their behaviour.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                check_key(request)
                return await handler(ApiRequest(request.scope, request.receive))
            except RequestValidationError as error:
                return error_response(validation_error(error))
            except ApiError as error:
                return error_response(error)
            except HTTPException as error:
                headers = dict(error.headers) if error.headers else None
                return error_response(ApiError(error.status_code, str(error.detail), headers=headers))

        return guarded


# ----------------------------------------------------------------------------------------------
# Routes

# Declares the bearer scheme in the OpenAPI docs; ``check_key`` enforces it (before the body is read).
BEARER = HTTPBearer(auto_error=False, description=f"required only when {API_KEY_ENV} is set")
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "the body is not a UTF-8 JSON object"),
        (401, "the API key is missing or wrong"),
        (404, "no such model"),
        (413, "the body is too large"),
        (422, "the body does not fit the schema"),
    )
}


def unknown_model(name: str) -> ApiError:
    return ApiError(404, f"model {name[:80]!r} does not exist; use {MODEL_ID!r}", param="model", code="model_not_found")


def _version() -> str:
    try:
        return metadata.version("plan-assistant")
    except metadata.PackageNotFoundError:
        return "0"


def api_routes(service: Answerer, title: str = "Plan assistant API") -> list[BaseRoute]:
    """The API's routes, to be placed ahead of Gradio's on the app's FastAPI app."""
    started = int(time.time())
    router = APIRouter(route_class=ApiRoute, dependencies=[Security(BEARER)], responses=ERRORS)

    @router.post(
        "/v1/chat/completions",
        response_model=ChatCompletion,
        tags=["OpenAI-compatible"],
        responses={200: {"content": {"text/event-stream": {}}, "description": "a completion, or chunks if stream is true"}},
    )
    def chat_completions(body: ChatCompletionRequest) -> ChatCompletion | StreamingResponse:
        """Answer the last user message; earlier user messages are the chat's history."""
        if body.model != MODEL_ID:
            raise unknown_model(body.model)
        question, history = body.question_and_history()
        answer = service.ask(question, history)
        completion_id, created, text = f"chatcmpl-{uuid.uuid4().hex}", int(time.time()), chat_text(answer)
        if body.stream:
            events = stream_events(completion_id, created, text, answer)
            return StreamingResponse(events, media_type="text/event-stream", headers=STREAM_HEADERS)
        choice = Choice(message=AssistantMessage(content=text))
        return ChatCompletion(id=completion_id, created=created, model=MODEL_ID, choices=[choice], answer=answer)

    @router.get("/v1/models", response_model=ModelList, tags=["OpenAI-compatible"])
    def list_models() -> ModelList:
        """The one model this server answers as."""
        return ModelList(data=[ModelCard(id=MODEL_ID, created=started, owned_by=MODEL_ID)])

    @router.get("/v1/models/{model_id}", response_model=ModelCard, tags=["OpenAI-compatible"])
    def get_model(model_id: str) -> ModelCard:
        """The model, if it is this server's."""
        if model_id != MODEL_ID:
            raise unknown_model(model_id)
        return ModelCard(id=MODEL_ID, created=started, owned_by=MODEL_ID)

    @router.post("/api/ask", response_model=Answer, tags=["REST"])
    def ask(body: AskRequest) -> Answer:
        """Answer one question; ``history`` holds the chat's earlier questions, oldest first."""
        return service.ask(body.question, body.history)

    routes = list(router.routes)
    schema = get_openapi(title=title, version=_version(), routes=routes, description=DESCRIPTION)
    docs = APIRouter()

    @docs.get(OPENAPI_PATH, include_in_schema=False)
    def openapi() -> JSONResponse:
        return JSONResponse(schema)

    @docs.get(DOCS_PATH, include_in_schema=False)
    def swagger() -> HTMLResponse:
        """Swagger UI; its scripts come from a CDN, so offline the schema itself is the doc."""
        return get_swagger_ui_html(openapi_url=OPENAPI_PATH, title=title)

    return [*routes, *docs.routes]
