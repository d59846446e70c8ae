"""``manifest.json``: what an index folder was built from, with what, and when.

Loading compares it with the configured corpus and model to tell a stale index from a current one,
and its counts, sizes and checksums with the files to tell a damaged index from a whole one.
"""

from __future__ import annotations

import hashlib
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
INDICATORS_FILE = "indicators.npz"
BM25_DIR = "bm25"
FORMAT_VERSION = 4  # 3: size and SHA-256 of every file; 4: indicator vectors
HASH_BLOCK = 1 << 20
VERSIONED_PACKAGES = {
    "faiss": ("faiss-cpu", "faiss-gpu", "faiss"),
    "bm25s": ("bm25s",),
    "sentence-transformers": ("sentence-transformers",),
    "torch": ("torch",),
    "jieba": ("jieba",),
}


class FileStamp(Strict):
    """Size and SHA-256 of one index file as the build wrote it."""

    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Manifest(Strict):
    """The stamp of one build."""

    format: int = FORMAT_VERSION
    corpus_hash: str
    corpus_dir: str | None = Field(default=None, description="the corpus folder it was built from, absolute")
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
    files: dict[str, FileStamp] = Field(description="every file of the index but the manifest, by its path inside the folder (``/``-separated)")

    def write(self, folder: Path) -> None:
        (folder / MANIFEST_FILE).write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")


def stamp_files(folder: Path) -> dict[str, FileStamp]:
    """Size and checksum of every file a build wrote into ``folder`` (the manifest aside)."""
    return {
        path.relative_to(folder).as_posix(): FileStamp(size=path.stat().st_size, sha256=file_sha256(path))
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST_FILE
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def file_problem(folder: Path, name: str, stamp: FileStamp, hashes: bool) -> str | None:
    """Why ``folder/name`` is not the file the build wrote, or None: missing or another size (a
    ``stat``, always), or other content (its SHA-256, when ``hashes``). OS errors propagate."""
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return "named outside the index folder"
    path = folder / name
    if not path.is_file():
        return "missing"
    size = path.stat().st_size
    if size != stamp.size:
        return f"{size} bytes, the manifest says {stamp.size}"
    if hashes and file_sha256(path) != stamp.sha256:
        return "its contents changed since the build: the SHA-256 checksum does not match the manifest"
    return None


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
