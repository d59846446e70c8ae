"""The index folder: manifest stamps, validation (missing / stale / corrupt) and atomic rebuilds."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from assistant.config import DEFAULT_MODEL
from assistant.embedding.encoder import Encoder
from assistant.errors import IndexCorruptError, IndexMissingError, IndexStaleError, IndexWriteError
from assistant.index.build import build_index, swap_into_place
from assistant.index.manifest import BM25_DIR, CHUNKS_FILE, FAISS_FILE, INDICATORS_FILE, MANIFEST_FILE, Manifest
from assistant.index.store import IndexStore
from assistant.retrieval.dense import DenseIndex

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SMALL_CORPUS = ROOT / "tests" / "data" / "other_plan"
FILES = [CHUNKS_FILE, "facts.jsonl", "lexicon.json", "userdict.txt", FAISS_FILE, INDICATORS_FILE, BM25_DIR, MANIFEST_FILE]
REBUILD = "run `plan-assistant build`"


@pytest.fixture(scope="module")
def encoder(model_cache: Path) -> Encoder:
    return Encoder(DEFAULT_MODEL, cache_dir=model_cache).load()


@pytest.fixture
def index_copy(index_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(index_dir, target)
    return target


def _one_line(error: pytest.ExceptionInfo[Exception]) -> str:
    message = str(error.value)
    assert "\n" not in message and message.endswith(REBUILD)
    return message


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def test_manifest_describes_the_build(index_dir: Path) -> None:
    assert sorted(p.name for p in index_dir.iterdir()) == sorted(FILES)
    manifest = Manifest.model_validate_json((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest.model == DEFAULT_MODEL and manifest.dimension == 384
    assert manifest.index_type == "flat-ip"
    assert set(manifest.versions) == {"faiss", "bm25s", "sentence-transformers", "torch", "jieba"}
    assert "unknown" not in manifest.versions.values()
    lines = (index_dir / CHUNKS_FILE).read_text(encoding="utf-8").splitlines()
    assert manifest.chunk_count == len(lines) > 100
    assert manifest.fact_count == len((index_dir / "facts.jsonl").read_text(encoding="utf-8").splitlines()) > 50
    assert manifest.built_at.endswith("+00:00") and manifest.build_seconds > 0
    assert len(manifest.corpus_hash) == 64 and manifest.documents == ["songjiang_park_14th_five_year_plan"]


def test_store_loads_a_current_index(index_dir: Path) -> None:
    store = IndexStore.load(index_dir, corpus_dir=CORPUS, model=DEFAULT_MODEL)
    assert len(store.chunks) == store.bm25.size == store.dense.size == store.manifest.chunk_count
    assert len(store.facts) == store.manifest.fact_count
    assert store.lexicon.subparks
    assert "临港松江科技城" in store.tokenizer().load().tokens("临港松江科技城的税收")


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError) as error:
        IndexStore.load(tmp_path / "nowhere")
    assert "nowhere" in _one_line(error)
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexMissingError) as error:
        IndexStore.load(tmp_path / "empty")
    _one_line(error)


def test_changed_corpus_makes_the_index_stale(index_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    IndexStore.load(index_dir, corpus_dir=corpus)
    plan = next(corpus.glob("*.txt"))
    plan.write_text(plan.read_text(encoding="utf-8") + "\n新增的一段。\n", encoding="utf-8")
    with pytest.raises(IndexStaleError) as error:
        IndexStore.load(index_dir, corpus_dir=corpus)
    assert "changed" in _one_line(error)
    IndexStore.load(index_dir, corpus_dir=tmp_path / "not-shipped")


def test_other_model_makes_the_index_stale(index_dir: Path) -> None:
    with pytest.raises(IndexStaleError) as error:
        IndexStore.load(index_dir, model="BAAI/bge-small-zh-v1.5")
    assert "bge" in _one_line(error)


@pytest.mark.parametrize("change", [{"format": 1}, {"chunk_size": 999}, {"passage_prompt": "passage"}])
def test_index_of_another_version_is_stale(index_copy: Path, change: dict[str, object]) -> None:
    path = index_copy / MANIFEST_FILE
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **change}), encoding="utf-8")
    with pytest.raises(IndexStaleError) as error:
        IndexStore.load(index_copy)
    _one_line(error)


def test_truncated_faiss_file_is_corrupt(index_copy: Path) -> None:
    path = index_copy / FAISS_FILE
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(IndexCorruptError) as error:
        IndexStore.load(index_copy)
    assert FAISS_FILE in _one_line(error)


@pytest.mark.parametrize("damage", ["truncate-bm25", "remove-bm25", "manifest-json", "manifest-field", "chunk-count", "chunk-line"])
def test_damaged_files_are_corrupt(index_copy: Path, damage: str) -> None:
    manifest_path = index_copy / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if damage == "truncate-bm25":
        data = next((index_copy / BM25_DIR).glob("data*.npy"))
        data.write_bytes(data.read_bytes()[:100])
    elif damage == "remove-bm25":
        shutil.rmtree(index_copy / BM25_DIR)
    elif damage == "manifest-json":
        manifest_path.write_text('{"format": 1,', encoding="utf-8")
    elif damage == "manifest-field":
        manifest_path.write_text(json.dumps({**manifest, "dimension": "wide"}), encoding="utf-8")
    elif damage == "chunk-count":
        manifest_path.write_text(json.dumps({**manifest, "chunk_count": manifest["chunk_count"] + 1}), encoding="utf-8")
    else:
        chunks = index_copy / CHUNKS_FILE
        chunks.write_text(chunks.read_text(encoding="utf-8").replace('"start":', '"begin":', 1), encoding="utf-8")
    with pytest.raises(IndexCorruptError) as error:
        IndexStore.load(index_copy)
    _one_line(error)


def test_rebuild_replaces_an_index_atomically(tmp_path: Path, encoder: Encoder) -> None:
    target = tmp_path / "index"
    first = build_index(SMALL_CORPUS, target, progress=False, encoder=encoder)
    (target / ".gitkeep").write_text("", encoding="utf-8")
    (target / "stray.tmp").write_text("left by hand", encoding="utf-8")
    second = build_index(SMALL_CORPUS, target, progress=False, encoder=encoder)
    assert second.corpus_hash == first.corpus_hash
    assert sorted(p.name for p in target.iterdir()) == sorted([*FILES, ".gitkeep"])
    assert _leftovers(target) == []
    store = IndexStore.load(target, corpus_dir=SMALL_CORPUS, model=DEFAULT_MODEL)
    assert store.manifest == second


def test_failed_build_leaves_the_old_index_intact(tmp_path: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "index"
    old = build_index(SMALL_CORPUS, target, progress=False, encoder=encoder)
    before = {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()}

    def broken_save(self: DenseIndex, path: Path) -> None:
        path.write_bytes(b"half")
        raise RuntimeError("disk full while writing the FAISS index")

    monkeypatch.setattr(DenseIndex, "save", broken_save)
    with pytest.raises(IndexWriteError, match="disk full"):
        build_index(SMALL_CORPUS, target, progress=False, encoder=encoder)
    assert {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()} == before
    assert _leftovers(target) == []
    assert IndexStore.load(target, corpus_dir=SMALL_CORPUS).manifest == old


def test_swap_restores_the_old_folder_when_the_new_cannot_move_in(tmp_path: Path) -> None:
    target = tmp_path / "index"
    target.mkdir()
    (target / MANIFEST_FILE).write_text("old", encoding="utf-8")
    with pytest.raises(OSError):
        swap_into_place(tmp_path / "vanished", target)
    assert (target / MANIFEST_FILE).read_text(encoding="utf-8") == "old"
    assert _leftovers(target) == []


def test_unwritable_target_is_a_write_error(tmp_path: Path, encoder: Encoder) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(IndexWriteError) as error:
        build_index(SMALL_CORPUS, blocker / "index", progress=False, encoder=encoder)
    assert "\n" not in str(error.value)
    with pytest.raises(IndexWriteError, match="not a folder"):
        build_index(SMALL_CORPUS, blocker, progress=False, encoder=encoder)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_target_is_a_write_error(tmp_path: Path, encoder: Encoder) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        with pytest.raises(IndexWriteError, match="read-only"):
            build_index(SMALL_CORPUS, parent / "index", progress=False, encoder=encoder)
    finally:
        parent.chmod(0o755)


def test_read_only_target_is_refused_before_building(tmp_path: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "index"
    target.mkdir()
    monkeypatch.setattr("assistant.index.build.os.access", lambda path, mode: Path(path) != target)
    with pytest.raises(IndexWriteError, match="read-only"):
        build_index(SMALL_CORPUS, target, progress=False, encoder=encoder)
    assert list(target.iterdir()) == [] and _leftovers(target) == []
