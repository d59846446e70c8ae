"""``IndexStore``: an index folder loaded and checked, or one clear line saying why it cannot be used.

Checks run from cheap to costly: the folder and manifest exist (else missing; a complete copy that a
build killed between its two renames left beside the folder is first put back), the manifest parses
(else corrupt), it matches the configured corpus and model (else stale), every file has the size the
manifest records and, when asked (``check``), its SHA-256 checksum, and every file is readable and
agrees with the manifest's counts and dimension (else corrupt).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from assistant.config import Settings
from assistant.corpus import corpus_hash
from assistant.errors import AssistantError, IndexCorruptError, IndexMissingError, IndexStaleError
from assistant.index.chunks import CHUNK_OVERLAP, CHUNK_SIZE, Chunk
from assistant.index.jsonl import jsonl_lines
from assistant.index.leftovers import recover_index
from assistant.index.manifest import (
    BM25_DIR,
    CHUNKS_FILE,
    FACTS_FILE,
    FAISS_FILE,
    INDICATORS_FILE,
    FORMAT_VERSION,
    LEXICON_FILE,
    MANIFEST_FILE,
    Manifest,
    file_problem,
)
from assistant.lexicon import Lexicon
from assistant.models import Fact
from assistant.retrieval.bm25 import BM25Index
from assistant.retrieval.dense import PASSAGE_PROMPT, DenseIndex
from assistant.retrieval.indicators import IndicatorVectors
from assistant.tokenizer import PlanTokenizer

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
REBUILD = "run `plan-assistant build`"
LOAD_ERRORS = (OSError, ValueError, RuntimeError, EOFError, KeyError, TypeError)


@dataclass(frozen=True)
class IndexStore:
    """Everything in an index folder, loaded."""

    folder: Path
    manifest: Manifest
    chunks: list[Chunk]
    facts: list[Fact]
    lexicon: Lexicon
    bm25: BM25Index
    dense: DenseIndex
    indicators: IndicatorVectors

    @classmethod
    def load(
        cls, index_dir: Path, corpus_dir: Path | None = None, model: str | None = None, verify_checksums: bool = False
    ) -> "IndexStore":
        """Load ``index_dir``; with ``corpus_dir`` or ``model`` given, also check it was built from them.

        Every file's size is compared with the manifest (a ``stat`` each); ``verify_checksums`` also
        reads and hashes every file, which finds damage that keeps the size (``plan-assistant check``).
        """
        index_dir = Path(index_dir)
        recover_index(index_dir)
        manifest = read_manifest(index_dir)
        check_current(manifest, index_dir, corpus_dir, model)
        verify_files(index_dir, manifest, verify_checksums)
        chunks = _read_jsonl(index_dir / CHUNKS_FILE, Chunk, manifest.chunk_count)
        facts = _read_jsonl(index_dir / FACTS_FILE, Fact, manifest.fact_count)
        lexicon = _read_model(index_dir / LEXICON_FILE, Lexicon)
        dense = _load_part(index_dir / FAISS_FILE, DenseIndex.load)
        if dense.size != manifest.chunk_count or dense.dimension != manifest.dimension:
            raise _corrupt(
                index_dir / FAISS_FILE,
                f"holds {dense.size} vectors of dimension {dense.dimension}, "
                f"the manifest says {manifest.chunk_count} of dimension {manifest.dimension}",
            )
        bm25 = _load_part(index_dir / BM25_DIR, BM25Index.load)
        if bm25.size != manifest.chunk_count:
            raise _corrupt(index_dir / BM25_DIR, f"holds {bm25.size} documents, the manifest says {manifest.chunk_count}")
        indicators = _load_part(index_dir / INDICATORS_FILE, IndicatorVectors.load)
        if indicators.vectors.shape[0] and indicators.vectors.shape[1] != manifest.dimension:
            raise _corrupt(index_dir / INDICATORS_FILE, f"holds vectors of dimension {indicators.vectors.shape[1]}, not {manifest.dimension}")
        return cls(index_dir, manifest, chunks, facts, lexicon, bm25, dense, indicators)

    def tokenizer(self) -> PlanTokenizer:
        """The tokenizer the BM25 index was built with (same dictionary words and stop words)."""
        return PlanTokenizer(self.lexicon.dictionary_words(), self.lexicon.stopwords)


def checked_corpus(config: Settings) -> Path:
    """The corpus to check ``config``'s index against: as asked, else the one it was built from."""
    try:
        remembered = read_manifest(config.index_dir).corpus_dir
    except AssistantError:
        remembered = None  # the load that follows reports the index's own problem
    return config.corpus_for(remembered)


def read_manifest(index_dir: Path) -> Manifest:
    """The manifest of ``index_dir``: missing folder or file → missing; unreadable → corrupt."""
    path = index_dir / MANIFEST_FILE
    if not index_dir.is_dir():
        raise IndexMissingError(f"no index at {index_dir}; {REBUILD}")
    if not path.is_file():
        raise IndexMissingError(f"no index at {index_dir} (no {MANIFEST_FILE}); {REBUILD}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise _corrupt(path, _first_line(error)) from error
    if isinstance(data, dict) and data.get("format") != FORMAT_VERSION:
        built = data.get("format")
        by = "a newer" if isinstance(built, int) and built > FORMAT_VERSION else "an older"
        raise IndexStaleError(
            f"the index at {index_dir} was built by {by} version of plan-assistant "
            f"(index format {built!r}, this version reads {FORMAT_VERSION}); {REBUILD}"
        )
    try:
        return Manifest.model_validate(data)
    except ValidationError as error:
        raise _corrupt(path, f"{error.error_count()} invalid field(s), first: {_field_error(error)}") from error


def check_current(manifest: Manifest, index_dir: Path, corpus_dir: Path | None, model: str | None) -> None:
    """Stale when built by other chunking or embedding settings, another model, or from other corpus files."""
    if (manifest.passage_prompt, manifest.chunk_size, manifest.chunk_overlap) != (PASSAGE_PROMPT, CHUNK_SIZE, CHUNK_OVERLAP):
        raise IndexStaleError(f"the index at {index_dir} was chunked or embedded differently by another version; {REBUILD}")
    if model is not None and manifest.model != model:
        raise IndexStaleError(f"the index at {index_dir} was built with model {manifest.model!r}, not {model!r}; {REBUILD}")
    if corpus_dir is not None and Path(corpus_dir).is_dir():
        current = corpus_hash(Path(corpus_dir))
        if current != manifest.corpus_hash:
            raise IndexStaleError(f"the corpus in {corpus_dir} changed since the index at {index_dir} was built; {REBUILD}")


def verify_files(index_dir: Path, manifest: Manifest, checksums: bool) -> None:
    """Every file the manifest lists is there with its size (and, with ``checksums``, its SHA-256)."""
    for name, stamp in manifest.files.items():
        path = index_dir / name
        try:
            problem = file_problem(index_dir, name, stamp, hashes=checksums)
        except OSError as error:
            raise _corrupt(path, _first_line(error)) from error
        if problem:
            raise _corrupt(path, problem)


def _read_jsonl(path: Path, model: type[M], expected: int) -> list[M]:
    try:
        records = [model.model_validate_json(line) for _, line in jsonl_lines(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError) as error:
        raise _corrupt(path, _first_line(error)) from error
    if len(records) != expected:
        raise _corrupt(path, f"holds {len(records)} records, the manifest says {expected}")
    return records


def _read_model(path: Path, model: type[M]) -> M:
    try:
        return model.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise _corrupt(path, _first_line(error)) from error


def _load_part(path: Path, loader: Callable[[Path], T]) -> T:
    """Third-party readers fail in many ways on damaged files; all of them mean the same here."""
    if not path.exists():
        raise _corrupt(path, "missing")
    try:
        return loader(path)
    except FileNotFoundError as error:
        raise _corrupt(path, f"missing {Path(error.filename or path).name}") from error
    except LOAD_ERRORS as error:
        raise _corrupt(path, "truncated or unreadable") from error


def _corrupt(path: Path, reason: str) -> IndexCorruptError:
    return IndexCorruptError(f"index file {path} is damaged ({reason}); {REBUILD}")


def _first_line(error: BaseException) -> str:
    """The reason without the path (the message names the file once): ``missing``, an OS reason, or a parser's first line."""
    if isinstance(error, FileNotFoundError):
        return "missing"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


def _field_error(error: ValidationError) -> str:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "manifest"
    return f"{location}: {first['msg']}"
