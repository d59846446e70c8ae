"""Reading a corpus folder: plan texts decoded exactly once, plus the data files beside them."""

from __future__ import annotations

import codecs
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import CorpusError

LEXICON_FILE = "lexicon.json"
ENCODINGS = ("utf-8", "gb18030")
LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceText:
    """One plan document: ``doc`` is its file stem, the id every citation uses."""

    doc: str
    text: str


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM) or GBK/GB18030; the BOM is not part of the text."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CorpusError(f"{name}: not UTF-8 or GBK text; save it as UTF-8 and rebuild")


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The plan files of a corpus folder, sorted, with clear errors for a wrong path."""
    if not corpus_dir.exists():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus path is a file, not a folder: {corpus_dir}")
    files = sorted(path for path in corpus_dir.glob("*.txt") if path.is_file())
    if not files:
        raise CorpusError(f"corpus folder holds no .txt plan: {corpus_dir}")
    return files


def read_corpus(corpus_dir: Path) -> list[SourceText]:
    """Every plan of the folder, decoded; a blank file (empty, spaces, a lone BOM) is skipped with a
    warning, since a plan without text has no name and no content to answer from."""
    sources = []
    for path in corpus_files(corpus_dir):
        text = decode(path.read_bytes(), path.name)
        if text.strip():
            sources.append(SourceText(path.stem, text))
        else:
            LOG.warning("skipping %s: the plan file is empty", path.name)
    if not sources:
        raise CorpusError(f"corpus folder holds only empty plans: {corpus_dir}")
    return sources


def corpus_hash(corpus_dir: Path) -> str:
    """SHA-256 over every file that shapes the index: plans and the lexicon."""
    digest = hashlib.sha256()
    paths = corpus_files(corpus_dir)
    lexicon = corpus_dir / LEXICON_FILE
    if lexicon.is_file():
        paths.append(lexicon)
    for path in paths:
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()
