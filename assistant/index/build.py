"""``build_index``: corpus folder in, complete index folder out, swapped in only when whole.

Every file is written into a hidden sibling folder first and the manifest last; the finished
folder then replaces the old one by two renames. A failure at any point before the swap leaves
the previous index exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import DEFAULT_MODEL, settings
from assistant.corpus import corpus_hash
from assistant.errors import IndexWriteError
from assistant.index.chunks import CHUNK_OVERLAP, CHUNK_SIZE, Chunk, chunk_documents
from assistant.index.jsonl import jsonl_text
from assistant.index.leftovers import recover_index, remove_leftovers, set_aside_path, staging_path
from assistant.index.manifest import (
    BM25_DIR,
    CHUNKS_FILE,
    FACTS_FILE,
    FAISS_FILE,
    INDICATORS_FILE,
    LEXICON_FILE,
    MANIFEST_FILE,
    USERDICT_FILE,
    Manifest,
    library_versions,
    stamp_files,
)
from assistant.plan import PlanCorpus
from assistant.retrieval.bm25 import BM25Index
from assistant.retrieval.indicators import IndicatorVectors
from assistant.retrieval.dense import PASSAGE_PROMPT, DenseIndex, embed_passages
from assistant.tokenizer import PlanTokenizer

if TYPE_CHECKING:
    from tqdm import tqdm

    from assistant.embedding.encoder import Encoder

KEPT_FILES = frozenset({".gitkeep"})
STEPS = ("parse corpus", "chunk", "tokenise", "embed", "write", "swap in")


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    model: str = DEFAULT_MODEL,
    cache_dir: Path | None = None,
    progress: bool = True,
    encoder: Encoder | None = None,
) -> Manifest:
    """Build the index of ``corpus_dir`` into ``index_dir`` and return its manifest.

    ``cache_dir`` holds converted models (default: the configured model cache); ``encoder``, if
    given, is an already loaded encoder of ``model``, reused instead of loading another.
    """
    from tqdm import tqdm

    if encoder is not None and encoder.name != model:
        raise ValueError(f"encoder is {encoder.name!r} but the index is to be built with {model!r}")
    recover_index(index_dir)  # a build killed between its renames left the index beside its place: back first
    _check_writable(index_dir)
    started = time.perf_counter()
    with tqdm(total=len(STEPS), desc=STEPS[0], unit="step", disable=not progress, leave=False) as steps:
        digest = corpus_hash(corpus_dir)
        corpus = PlanCorpus.load(corpus_dir)
        _advance(steps)
        chunks = chunk_documents(corpus.documents)
        _advance(steps)
        tokenizer = corpus.tokenizer().load()
        bm25 = BM25Index.build([tokenizer.tokens(chunk.passage()) for chunk in chunks])
        _advance(steps)
        encoder = encoder or _load_encoder(model, cache_dir)
        dense = DenseIndex.build(embed_passages(encoder, [chunk.passage() for chunk in chunks], progress))
        indicators = IndicatorVectors.embed(corpus.lexicon, encoder)
        _advance(steps)
        staging = _staging_folder(index_dir)
        try:
            _write_files(staging, chunks, corpus, tokenizer, bm25, dense)
            indicators.save(staging / INDICATORS_FILE)
            manifest = Manifest(
                corpus_hash=digest,
                corpus_dir=str(corpus_dir.resolve()),
                documents=[document.doc for document in corpus.documents],
                model=model,
                dimension=dense.dimension,
                passage_prompt=PASSAGE_PROMPT,
                index_type=dense.kind,
                chunk_count=len(chunks),
                fact_count=len(corpus.facts),
                chunk_size=CHUNK_SIZE,
                chunk_overlap=CHUNK_OVERLAP,
                versions=library_versions(),
                built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                build_seconds=round(time.perf_counter() - started, 2),
                files=stamp_files(staging),
            )
            manifest.write(staging)
            _advance(steps)
            swap_into_place(staging, index_dir)
            _advance(steps)
        except (OSError, RuntimeError) as error:
            raise IndexWriteError(f"cannot write the index to {index_dir}: {_reason(error)}") from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _load_encoder(model: str, cache_dir: Path | None) -> Encoder:
    """A build embeds with every core (queries keep one thread for steady latency, see Encoder.load)."""
    from assistant.embedding.encoder import Encoder

    return Encoder(model, cache_dir or settings().model_cache, threads=build_threads()).load()


def build_threads() -> int:
    """Torch threads for embedding an index: every core (the build has the machine to itself)."""
    return os.cpu_count() or 1


def _advance(steps: tqdm) -> None:
    steps.update(1)
    if steps.n < len(STEPS):
        steps.set_description(STEPS[steps.n])


def _check_writable(index_dir: Path) -> None:
    """Fail before the slow steps when the target cannot possibly be written, or is not ours to replace."""
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexWriteError(f"cannot write the index to {index_dir}: it is a file, not a folder")
    _check_replaceable(index_dir)
    try:
        index_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        blocker = next((folder for folder in index_dir.parents if folder.exists() and not folder.is_dir()), None)
        reason = f"{blocker} is a file, not a folder" if blocker else _reason(error)
        raise IndexWriteError(f"cannot write the index to {index_dir}: {reason}") from error
    for folder in (index_dir.parent, index_dir):
        if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
            raise IndexWriteError(f"cannot write the index to {index_dir}: {folder} is read-only")


def _check_replaceable(index_dir: Path) -> None:
    """A build replaces its target folder whole, so the target must be missing, empty (a
    ``.gitkeep`` aside) or an index of ours (it holds our manifest): never a user's folder."""
    if not index_dir.is_dir() or (index_dir / MANIFEST_FILE).is_file():
        return
    try:
        foreign = sorted(entry.name for entry in index_dir.iterdir() if entry.name not in KEPT_FILES)
    except OSError as error:
        raise IndexWriteError(f"cannot write the index to {index_dir}: {_reason(error)}") from error
    if foreign:
        shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        raise IndexWriteError(
            f"refusing to build the index into {index_dir}: it holds files that are not an index ({shown}); "
            "choose an empty or new folder"
        )


def _staging_folder(index_dir: Path) -> Path:
    """A fresh hidden sibling (same filesystem, so the final rename is atomic); mode follows the umask.

    What a killed build (SIGKILL, power loss) left beside the index goes first; the newest complete
    copy of it was put back in place when the build started, if the index itself was missing.
    """
    remove_leftovers(index_dir)
    staging = staging_path(index_dir)
    try:
        staging.mkdir()
        return staging
    except OSError as error:
        raise IndexWriteError(f"cannot write the index to {index_dir}: {_reason(error)}") from error


def _reason(error: BaseException) -> str:
    return (getattr(error, "strerror", None) or str(error) or type(error).__name__).splitlines()[0]


def _write_files(
    folder: Path, chunks: list[Chunk], corpus: PlanCorpus, tokenizer: PlanTokenizer, bm25: BM25Index, dense: DenseIndex
) -> None:
    _write_jsonl(folder / CHUNKS_FILE, [chunk.model_dump_json() for chunk in chunks])
    _write_jsonl(folder / FACTS_FILE, [fact.model_dump_json() for fact in corpus.facts])
    (folder / LEXICON_FILE).write_text(corpus.lexicon.model_dump_json(indent=2) + "\n", encoding="utf-8")
    tokenizer.write_user_dictionary(folder / USERDICT_FILE)
    dense.save(folder / FAISS_FILE)
    bm25.save(folder / BM25_DIR)


def _write_jsonl(path: Path, records: list[str]) -> None:
    path.write_text(jsonl_text(records), encoding="utf-8")


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging``: old aside, new in, old deleted; on failure the old comes back.

    Hidden files of the old folder that the build does not write (a ``.gitkeep``) are carried over.
    """
    old: Path | None = None
    if target.exists():
        for entry in target.iterdir():
            if entry.name.startswith(".") and entry.is_file() and not (staging / entry.name).exists():
                shutil.copy2(entry, staging / entry.name)
        old = set_aside_path(target)
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:  # an interrupt between the two renames must not leave the target missing
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
