"""``manifest.json``: what an index folder was built from, with what, and when.

Loading compares it with the configured corpus and model to tell a stale index from a current one,
and its counts with the files to tell a damaged index from a whole one.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from pydantic import Field

from assistant.models import Strict

MANIFEST_FILE = "manifest.json"
CHUNKS_FILE = "chunks.jsonl"
FACTS_FILE = "facts.jsonl"
LEXICON_FILE = "lexicon.json"
USERDICT_FILE = "userdict.txt"
FAISS_FILE = "faiss.index"
BM25_DIR = "bm25"
FORMAT_VERSION = 2
VERSIONED_PACKAGES = {
    "faiss": ("faiss-cpu", "faiss-gpu", "faiss"),
    "bm25s": ("bm25s",),
    "sentence-transformers": ("sentence-transformers",),
    "torch": ("torch",),
    "jieba": ("jieba",),
}


class Manifest(Strict):
    """The stamp of one build."""

    format: int = FORMAT_VERSION
    corpus_hash: str
    documents: list[str]
    model: str
    dimension: int = Field(gt=0)
    passage_prompt: str = Field(description="the encoder prompt chunks were embedded with")
    index_type: str
    chunk_count: int = Field(ge=0)
    fact_count: int = Field(ge=0)
    chunk_size: int
    chunk_overlap: int
    versions: dict[str, str]
    built_at: str = Field(description="ISO 8601 time the build finished, UTC")
    build_seconds: float

    def write(self, folder: Path) -> None:
        (folder / MANIFEST_FILE).write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries whose file formats or scores the index depends on."""
    versions: dict[str, str] = {}
    for name, distributions in VERSIONED_PACKAGES.items():
        for distribution in distributions:
            try:
                versions[name] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
        else:
            versions[name] = "unknown"
    return versions
