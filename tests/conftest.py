"""Shared fixtures: one real index of the real plan per test session, and one loaded assistant.

The embedding model is converted once into the repository's git-ignored ``.cache`` (as ``make``
does), so a second test run reuses it; everything else a test writes goes to tmp folders.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
CORPUS = ROOT / "corpus"
MODEL_CACHE = ROOT / ".cache" / "models"


@pytest.fixture(scope="session")
def model_cache() -> Path:
    return MODEL_CACHE


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Path:
    from assistant.index.build import build_index

    target = tmp_path_factory.mktemp("session-index") / "index"
    build_index(CORPUS, target, cache_dir=model_cache, progress=False)
    return target


@pytest.fixture(scope="session")
def assistant(index_dir: Path, monkeypatch_session: pytest.MonkeyPatch):
    from assistant.engine.assistant import Assistant

    return Assistant.load(index_dir, CORPUS)


@pytest.fixture(scope="session")
def monkeypatch_session():
    """Point all writable state (feedback, model cache) at the repo's .cache for the session."""
    patcher = pytest.MonkeyPatch()
    patcher.setenv("PLAN_ASSISTANT_HOME", str(ROOT / ".cache"))
    yield patcher
    patcher.undo()


def free_port() -> int:
    """A port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def serve_app(assistant) -> Callable[[Path], object]:
    """Start the app in-process on a free loopback port over the session's assistant.

    Returns a context manager: ``with serve_app(feedback_dir) as url: ...`` closes the server after.
    """
    from assistant.app.feedback import FeedbackStore
    from assistant.app.ui import AssistantService, build_app, launch, load_examples

    @contextmanager
    def serve(feedback_dir: Path) -> Iterator[str]:
        demo = build_app(AssistantService.from_assistant(assistant), FeedbackStore(feedback_dir), load_examples(CORPUS))
        try:
            yield launch(demo, "127.0.0.1", free_port(), block=False, quiet=True)
        finally:
            demo.close()

    return serve
