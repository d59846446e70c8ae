"""Robustness: bad input, broken files and interrupted builds through the CLI and the app.

Every expected failure is one ``error:`` line on stderr (never a traceback) with the exit code of
``assistant/errors.py``: 2 input, 3 corpus, 4 missing, 5 stale, 6 corrupt, 7 not writable, and
130 for an interrupt. Index damage is done to copies of the session index in ``tmp_path``; the
only fresh builds are of the small made-up plan (``tests/data/other_plan``).
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.app.feedback import DATABASE_FILE, MAX_TEXT, FeedbackStore
from assistant.cli import main, read_batch
from assistant.corpus import read_corpus
from assistant.index.build import swap_into_place
from assistant.index.manifest import BM25_DIR, CHUNKS_FILE, FACTS_FILE, FAISS_FILE, FORMAT_VERSION, LEXICON_FILE, MANIFEST_FILE
from assistant.index.store import IndexStore
from assistant.plan import PlanCorpus
from assistant.retrieval.dense import DenseIndex

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SMALL_CORPUS = ROOT / "tests" / "data" / "other_plan"
QUESTION = "临港科技城2020年税收是多少？"
SMALL_QUESTION = "北湖数字港2020年税收是多少？"
REBUILD = "run `plan-assistant build`"
FEEDBACK_COLUMNS = ["id", "timestamp", "question", "history", "answer", "kind", "sources", "rating", "comment"]


@pytest.fixture(autouse=True)
def model_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI finds the converted model in the repository's cache whatever the cwd."""
    monkeypatch.setenv("PLAN_ASSISTANT_HOME", str(ROOT / ".cache"))
    monkeypatch.delenv("PLAN_ASSISTANT_MODEL", raising=False)


def cli(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def error_line(err: str) -> str:
    """The one ``error:`` line of stderr; progress bars (``\\r``-separated) may precede it."""
    assert "Traceback" not in err, err
    lines = [line for line in re.split(r"[\r\n]", err) if line.startswith("error:")]
    assert len(lines) == 1, err
    return lines[0]


def expect_failure(result: tuple[int, str, str], code: int, *words: str, only_line: bool = True) -> str:
    """Exit ``code``, one ``error:`` line naming ``words``; with ``only_line``, nothing else on stderr."""
    got, _, err = result
    line = error_line(err)
    assert got == code, err
    if only_line:
        assert err == line + "\n", err
    for word in words:
        assert word in line, line
    return line


def leftovers(index: Path) -> list[str]:
    return sorted(p.name for p in index.parent.iterdir() if p.name.startswith(f".{index.name}."))


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def index_copy(index_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(index_dir, target)
    return target


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Path:
    """An index of the small plan, built once; tests copy it before touching it."""
    from assistant.index.build import build_index

    target = tmp_path_factory.mktemp("small") / "index"
    build_index(SMALL_CORPUS, target, cache_dir=model_cache, progress=False)
    return target


# Index files -----------------------------------------------------------------------------------


def _truncate_faiss(index: Path) -> None:
    path = index / FAISS_FILE
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def _manifest_json(index: Path) -> None:
    (index / MANIFEST_FILE).write_text('{"format": 2, "corpus_hash": ', encoding="utf-8")


def _edit_manifest(**change: object) -> Callable[[Path], None]:
    def edit(index: Path) -> None:
        path = index / MANIFEST_FILE
        data = {**json.loads(path.read_text(encoding="utf-8")), **change}
        path.write_text(json.dumps({k: v for k, v in data.items() if v is not None}), encoding="utf-8")

    return edit


def _remove(name: str) -> Callable[[Path], None]:
    return lambda index: (index / name).unlink()


def _garbage_line(index: Path) -> None:
    with (index / FACTS_FILE).open("a", encoding="utf-8") as facts:
        facts.write('{"subject": "半行\n')


DAMAGE: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "truncated FAISS file": (_truncate_faiss, [FAISS_FILE, "bytes, the manifest says"]),
    "manifest not JSON": (_manifest_json, [MANIFEST_FILE]),
    "manifest field of the wrong type": (_edit_manifest(dimension="wide"), [MANIFEST_FILE, "dimension"]),
    "manifest field missing": (_edit_manifest(corpus_hash=None), [MANIFEST_FILE, "corpus_hash", "Field required"]),
    "manifest unknown field": (_edit_manifest(owner="x"), [MANIFEST_FILE, "owner"]),
    "chunks file missing": (_remove(CHUNKS_FILE), [CHUNKS_FILE, "(missing)"]),
    "lexicon file missing": (_remove(LEXICON_FILE), [LEXICON_FILE, "(missing)"]),
    "facts file with a broken line": (_garbage_line, [FACTS_FILE]),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_is_exit_6(index_copy: Path, damage: str, capsys: pytest.CaptureFixture[str]) -> None:
    change, words = DAMAGE[damage]
    change(index_copy)
    line = expect_failure(cli(capsys, "ask", QUESTION, "--index", index_copy, "--corpus", CORPUS), 6, *words)
    assert line.startswith("error: index file ") and line.endswith(REBUILD)
    assert line.count(str(index_copy)) == 1  # the path once, not repeated by an OS error text


def _garble_middle(path: Path) -> None:
    """Same size, other bytes: what a bad disk sector or a stray write does."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(byte ^ 0xFF for byte in data[middle : middle + 16])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name", [f"{BM25_DIR}/data.csc.index.npy", f"{BM25_DIR}/indices.csc.index.npy", FAISS_FILE, CHUNKS_FILE])
def test_same_size_damage_fails_check_with_exit_6(index_copy: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12 (5): a garbled middle of a BM25 .npy kept its size and passed ``check``; every file's
    SHA-256 is in the manifest now and ``check`` compares them (loading compares sizes only)."""
    assert cli(capsys, "check", "--index", index_copy, "--corpus", CORPUS)[0] == 0
    path = index_copy / name
    size = path.stat().st_size
    _garble_middle(path)
    assert path.stat().st_size == size
    line = expect_failure(cli(capsys, "check", "--index", index_copy, "--corpus", CORPUS), 6, name.split("/")[-1], "checksum")
    assert line.startswith("error: index file ") and line.endswith(REBUILD)


def test_index_of_an_older_format_is_stale_with_a_clear_message(index_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An index built before checksums were recorded (format 2) asks for a rebuild; it is not called damaged."""
    _edit_manifest(format=FORMAT_VERSION - 1, files=None)(index_copy)
    for command in (["check"], ["search", QUESTION]):
        expect_failure(
            cli(capsys, *command, "--index", index_copy, "--corpus", CORPUS),
            5,
            "built by an older version",
            f"format {FORMAT_VERSION - 1}",
            REBUILD,
        )


@pytest.mark.parametrize("command", ["ask", "search", "check"])
def test_missing_index_is_exit_4(tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    question = [] if command == "check" else [QUESTION]
    for index in (tmp_path / "nowhere", tmp_path):  # no folder; a folder without a manifest
        line = expect_failure(cli(capsys, command, *question, "--index", index, "--corpus", CORPUS), 4, "no index at")
        assert line.endswith(REBUILD)


def test_index_path_that_is_a_file_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "index"
    path.write_text("not an index", encoding="utf-8")
    expect_failure(cli(capsys, "ask", QUESTION, "--index", path, "--corpus", CORPUS), 4, "no index at")


@pytest.mark.parametrize("edit", ["plan", "lexicon"])
def test_index_of_another_corpus_is_exit_5(index_dir: Path, tmp_path: Path, edit: str, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    assert cli(capsys, "check", "--index", index_dir, "--corpus", corpus)[0] == 0
    if edit == "plan":
        plan = next(corpus.glob("*.txt"))
        plan.write_text(plan.read_text(encoding="utf-8").replace("税收25亿元", "税收26亿元"), encoding="utf-8")
    else:
        lexicon = corpus / "lexicon.json"
        data = json.loads(lexicon.read_text(encoding="utf-8"))
        data.setdefault("stopwords", []).append("罢了")
        lexicon.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for command in (["ask", QUESTION], ["search", QUESTION], ["check"]):
        line = expect_failure(cli(capsys, *command, "--index", index_dir, "--corpus", corpus), 5, "changed since")
        assert line.endswith(REBUILD)


def test_index_of_the_small_plan_is_stale_for_the_real_one(small_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect_failure(cli(capsys, "ask", QUESTION, "--index", small_index, "--corpus", CORPUS), 5, "changed since")


def test_index_of_another_model_is_exit_5(index_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PLAN_ASSISTANT_MODEL", "BAAI/bge-small-zh-v1.5")
    expect_failure(cli(capsys, "check", "--index", index_dir, "--corpus", CORPUS), 5, "bge-small-zh-v1.5", REBUILD)


# Corpus folders ---------------------------------------------------------------------------------


def _corpus(tmp_path: Path, kind: str) -> Path:
    corpus = tmp_path / "corpus"
    if kind == "file":
        corpus.write_text("一段文字", encoding="utf-8")
    elif kind == "empty":
        corpus.mkdir()
    elif kind == "only a lexicon":
        corpus.mkdir()
        shutil.copy(SMALL_CORPUS / "lexicon.json", corpus)
    elif kind == "undecodable plan":
        shutil.copytree(SMALL_CORPUS, corpus)
        (corpus / "broken.txt").write_bytes(b"\xff\xfe\xfd plan")
    elif kind == "broken lexicon":
        shutil.copytree(SMALL_CORPUS, corpus)
        (corpus / "lexicon.json").write_text('{"park_aliases": [', encoding="utf-8")
    elif kind == "lexicon key twice":
        shutil.copytree(SMALL_CORPUS, corpus)
        (corpus / "lexicon.json").write_text('{"synonyms": {"甲": ["乙"], "甲": ["丙"]}}', encoding="utf-8")
    return corpus


CORPUS_FAULTS = {
    "missing": "corpus folder not found",
    "file": "is a file, not a folder",
    "empty": "holds no .txt plan",
    "only a lexicon": "holds no .txt plan",
    "undecodable plan": "broken.txt: not UTF-8 or GBK",
    "broken lexicon": "lexicon.json is not a valid lexicon",
    "lexicon key twice": "key written twice: 甲",
}


@pytest.mark.parametrize("kind", list(CORPUS_FAULTS))
def test_bad_corpus_is_exit_3(tmp_path: Path, kind: str, small_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _corpus(tmp_path, kind)
    index = tmp_path / "index"
    expect_failure(cli(capsys, "build", "--corpus", corpus, "--index", index), 3, CORPUS_FAULTS[kind], only_line=False)
    assert not index.exists() and leftovers(index) == []
    if kind in ("file", "empty", "only a lexicon"):  # checked against the index before any model loads
        expect_failure(cli(capsys, "ask", SMALL_QUESTION, "--index", small_index, "--corpus", corpus), 3, CORPUS_FAULTS[kind])


def test_gbk_and_bom_plans_build_and_answer_with_verbatim_citations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two made-up plans in one corpus: the first saved as GBK, the second as UTF-8 with a BOM."""
    from assistant.engine.assistant import Assistant
    from assistant.evaluation.synthetic import write_corpus

    corpus = tmp_path / "corpus"
    documents = write_corpus(SMALL_CORPUS, corpus, 2)
    gbk, bom = (corpus / f"{document.doc}.txt" for document in documents)
    gbk.write_bytes(documents[0].text.encode("gbk"))
    bom.write_bytes(codecs.BOM_UTF8 + documents[1].text.encode("utf-8"))
    with pytest.raises(UnicodeDecodeError):
        gbk.read_bytes().decode("utf-8")
    decoded = {source.doc: source.text for source in read_corpus(corpus)}
    assert decoded == {document.doc: document.text for document in documents}  # no BOM in the text

    index = tmp_path / "index"
    code, out, err = cli(capsys, "build", "--corpus", corpus, "--index", index)
    assert code == 0 and "2 plan(s)" in out, err
    store = IndexStore.load(index, corpus_dir=corpus)
    for fact in store.facts:
        assert decoded[fact.source.doc][fact.source.start : fact.source.end] == fact.source.quote
    for chunk in store.chunks:
        assert decoded[chunk.doc][chunk.start : chunk.end] == chunk.text

    facts = PlanCorpus.load(corpus).facts
    assistant = Assistant.load(index, corpus)
    for document in documents:
        subpark = document.names["北湖数字港"]
        expected = next(f for f in facts if f.subject == subpark and f.indicator == "税收")
        answer = assistant.ask(f"{subpark}2020年税收是多少？")
        assert not answer.refused and answer.figures, answer.answer
        assert answer.figures[0].value == expected.value and answer.figures[0].source.doc == document.doc
        spans = [*answer.citations, *(f.source for f in answer.figures if f.source)]
        assert spans and all(decoded[s.doc][s.start : s.end] == s.quote for s in spans)
        passage = assistant.ask(f"{subpark}重点发展什么？")
        assert all(decoded[s.doc][s.start : s.end] == s.quote for s in passage.citations)

    code, out, err = cli(
        capsys, "ask", f"{documents[0].names['北湖数字港']}2020年税收是多少？", "--index", index, "--corpus", corpus, "--json"
    )
    answer = json.loads(out)
    assert code == 0 and answer["figures"][0]["source"]["doc"] == documents[0].doc


LINE_BREAKS = "\u2028\u2029\u0085"  # str.splitlines() breaks at these; JSON strings may hold them raw


def test_plan_with_unicode_line_separators_builds_and_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12 (3): such a plan built, then every ``check`` and ``ask`` called the index damaged,
    because its JSONL was read back with ``splitlines()``."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SMALL_CORPUS, corpus)
    plan = next(corpus.glob("*.txt"))
    text = plan.read_text(encoding="utf-8")
    assert text.count("重点发展数字内容") == 1
    plan.write_text(text.replace("重点发展数字内容", "重点\u2028发展\u2029数字\u0085内容"), encoding="utf-8")
    index = tmp_path / "index"
    code, out, err = cli(capsys, "build", "--corpus", corpus, "--index", index)
    assert code == 0 and out.startswith("built "), err
    chunks = (index / CHUNKS_FILE).read_text(encoding="utf-8")
    assert not any(char in chunks for char in LINE_BREAKS) and "\\u2028" in chunks  # escaped on disk
    assert len(chunks.splitlines()) == len(chunks.split("\n")) - 1  # even a careless reader sees whole lines

    assert cli(capsys, "check", "--index", index, "--corpus", corpus)[0] == 0
    store = IndexStore.load(index, corpus_dir=corpus)
    plan_text = {source.doc: source.text for source in read_corpus(corpus)}
    assert any("\u2028" in chunk.text for chunk in store.chunks)
    for chunk in store.chunks:
        assert plan_text[chunk.doc][chunk.start : chunk.end] == chunk.text

    batch = tmp_path / "questions.jsonl"
    questions = [{"id": "tax", "question": "北湖数字港\u2028税收是多少？"}, {"id": "focus", "question": "北湖数字港重点发展什么？"}]
    batch.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    code, out, err = cli(capsys, "ask", "--batch", batch, "--index", index, "--corpus", corpus)
    assert code == 0, err
    lines = out.splitlines()
    answers = [json.loads(line) for line in lines]
    assert [a["id"] for a in answers] == ["tax", "focus"]
    assert "6.4亿元" in answers[0]["answer"] and answers[0]["question"] == questions[0]["question"]
    assert not answers[1]["refused"] and any("\u2028" in citation["quote"] for citation in answers[1]["citations"])
    for answer in answers:
        for span in [*answer["citations"], *(f["source"] for f in answer["figures"])]:
            assert plan_text[span["doc"]][span["start"] : span["end"]] == span["quote"]


def test_batch_lines_holding_unicode_line_separators_are_read_whole(tmp_path: Path) -> None:
    """Valid JSONL whose strings hold U+2028, U+2029 or U+0085 raw; a CRLF file too."""
    rows = [{"id": f"q{i}", "question": f"临港{char}税收？", "history": [f"上一问{char}"]} for i, char in enumerate(LINE_BREAKS)]
    batch = tmp_path / "questions.jsonl"
    batch.write_text("\r\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\r\n\r\n", encoding="utf-8")
    assert [question.model_dump() for question in read_batch(batch)] == rows


# Writing the index ------------------------------------------------------------------------------


def test_index_under_a_file_is_exit_7(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Root ignores permissions, so "cannot be written" is simulated by a parent that is a file."""
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    expect_failure(
        cli(capsys, "build", "--corpus", SMALL_CORPUS, "--index", blocker / "index"),
        7,
        "cannot write the index",
        "file is a file, not a folder",
    )
    expect_failure(cli(capsys, "build", "--corpus", SMALL_CORPUS, "--index", blocker), 7, "not a folder")


@pytest.mark.parametrize("target", ["user folder", "corpus", "cwd"])
def test_build_never_replaces_a_folder_that_is_not_an_index(
    tmp_path: Path, target: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``build --index docs`` / ``--index corpus`` / ``--index .`` refuse and touch nothing."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SMALL_CORPUS, corpus)
    folder = {"user folder": tmp_path / "docs", "corpus": corpus, "cwd": tmp_path}[target]
    folder.mkdir(exist_ok=True)
    (folder / "notes.txt").write_text("a user's file", encoding="utf-8")
    before = file_bytes(folder)
    monkeypatch.chdir(tmp_path)
    index = Path(".") if target == "cwd" else folder
    expect_failure(cli(capsys, "build", "--corpus", corpus, "--index", index), 7, "refusing to build", "notes.txt")
    assert file_bytes(folder) == before


def test_build_into_an_empty_folder_keeps_its_gitkeep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / ".gitkeep").write_text("", encoding="utf-8")
    code, _, err = cli(capsys, "build", "--corpus", SMALL_CORPUS, "--index", index)
    assert code == 0, err
    assert (index / MANIFEST_FILE).is_file() and (index / ".gitkeep").is_file()


@pytest.mark.parametrize("content", [b"", b"   \n\n", codecs.BOM_UTF8])
def test_blank_plan_is_skipped_with_a_warning(tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture) -> None:
    """An empty plan once became a park named "" whose alias matched everywhere, looping forever."""
    from assistant.engine.understand import QuestionUnderstander

    corpus = tmp_path / "corpus"
    shutil.copytree(SMALL_CORPUS, corpus)
    (corpus / "0_empty.txt").write_bytes(content)
    with caplog.at_level(logging.WARNING):
        plan = PlanCorpus.load(corpus)
    assert "0_empty.txt" in caplog.text
    assert all(doc.doc != "0_empty" for doc in plan.documents)
    assert all(alias.strip() for alias, _ in plan.lexicon.alias_table())
    intent = QuestionUnderstander(plan.lexicon, "", plan.tokenizer()).understand(SMALL_QUESTION)
    assert intent.subjects


def test_corpus_of_only_blank_plans_is_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(codecs.BOM_UTF8)
    expect_failure(cli(capsys, "build", "--corpus", corpus, "--index", tmp_path / "index"), 3, "only empty plans", only_line=False)


def test_read_only_index_folder_is_exit_7(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read-only simulated by monkeypatching ``os.access`` in the builder (root ignores chmod)."""
    index = tmp_path / "index"
    shutil.copytree(small_index, index)
    before = file_bytes(index)
    monkeypatch.setattr("assistant.index.build.os.access", lambda path, mode: Path(path) != index)
    expect_failure(cli(capsys, "build", "--corpus", SMALL_CORPUS, "--index", index), 7, "read-only")
    assert file_bytes(index) == before and leftovers(index) == []


def test_interrupted_build_keeps_the_old_index_and_the_next_build_recovers(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "index"
    shutil.copytree(small_index, index)
    before = file_bytes(index)
    original_save = DenseIndex.save

    def interrupted(error: BaseException) -> Callable[[DenseIndex, Path], None]:
        def save(self: DenseIndex, path: Path) -> None:
            path.write_bytes(b"half a FAISS file")
            raise error

        return save

    monkeypatch.setattr(DenseIndex, "save", interrupted(KeyboardInterrupt()))
    code, _, err = cli(capsys, "build", "--corpus", SMALL_CORPUS, "--index", index)
    assert code == 130 and error_line(err) == "error: interrupted"
    assert file_bytes(index) == before and leftovers(index) == []

    monkeypatch.setattr(DenseIndex, "save", interrupted(RuntimeError("disk full")))
    expect_failure(cli(capsys, "build", "--corpus", SMALL_CORPUS, "--index", index), 7, "disk full", only_line=False)
    assert file_bytes(index) == before and leftovers(index) == []

    code, out, err = cli(capsys, "ask", SMALL_QUESTION, "--index", index, "--corpus", SMALL_CORPUS, "--json")
    assert code == 0 and "6.4亿元" in json.loads(out)["answer"], err

    monkeypatch.setattr(DenseIndex, "save", original_save)
    _truncate_faiss(index)  # and a damaged index is one build away from working again
    expect_failure(cli(capsys, "ask", SMALL_QUESTION, "--index", index, "--corpus", SMALL_CORPUS), 6, FAISS_FILE)
    code, out, err = cli(capsys, "build", "--corpus", SMALL_CORPUS, "--index", index)
    assert code == 0 and out.startswith("built "), err
    assert leftovers(index) == []
    assert cli(capsys, "check", "--index", index, "--corpus", SMALL_CORPUS)[0] == 0
    code, out, _ = cli(capsys, "ask", SMALL_QUESTION, "--index", index, "--corpus", SMALL_CORPUS, "--json")
    assert code == 0 and "6.4亿元" in json.loads(out)["answer"]


def test_interrupt_between_the_two_renames_puts_the_old_index_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target, staging = tmp_path / "index", tmp_path / ".index.building-test"
    for folder, text in ((target, "old"), (staging, "new")):
        folder.mkdir()
        (folder / MANIFEST_FILE).write_text(text, encoding="utf-8")
    rename = os.rename

    def interrupted_rename(source: Path, destination: Path) -> None:
        if Path(source) == staging:
            raise KeyboardInterrupt
        rename(source, destination)

    monkeypatch.setattr("assistant.index.build.os.rename", interrupted_rename)
    with pytest.raises(KeyboardInterrupt):
        swap_into_place(staging, target)
    assert (target / MANIFEST_FILE).read_text(encoding="utf-8") == "old"
    assert not any(p.name.startswith(".index.old-") for p in tmp_path.iterdir())


KILL_BETWEEN_RENAMES = """
import os, sys
from pathlib import Path
import assistant.index.build as build

rename = os.rename
def rename_then_die(source, destination):
    if Path(source).name.startswith(".index.building-"):
        os._exit(137)  # SIGKILL's exit status: no cleanup, no finally
    rename(source, destination)

build.os.rename = rename_then_die
build.build_index(Path(sys.argv[1]), Path(sys.argv[2]), cache_dir=Path(sys.argv[3]), progress=False)
"""


def test_build_killed_between_its_renames_is_recovered(
    small_index: Path, model_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12 (7): killed between "old index aside" and "new index in", a build left no index but
    two complete copies, and the next build deleted both. Loading now puts the newest back."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SMALL_CORPUS, corpus)
    plan = next(corpus.glob("*.txt"))
    plan.write_text(plan.read_text(encoding="utf-8").replace("税收6.4亿元", "税收6.5亿元"), encoding="utf-8")
    index = tmp_path / "index"
    shutil.copytree(small_index, index)
    killed = subprocess.run(
        [sys.executable, "-c", KILL_BETWEEN_RENAMES, corpus, index, model_cache],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == 137, killed.stderr
    assert not index.exists()
    assert [name.split("-")[0] for name in leftovers(index)] == [".index.building", ".index.old"]

    code, out, err = cli(capsys, "ask", SMALL_QUESTION, "--index", index, "--corpus", corpus, "--json")
    assert code == 0 and "6.5亿元" in json.loads(out)["answer"], err  # the new build, not the old one
    assert [name.split("-")[0] for name in leftovers(index)] == [".index.old"]
    assert cli(capsys, "check", "--index", index, "--corpus", corpus)[0] == 0
    code, _, err = cli(capsys, "build", "--index", index, "--corpus", corpus)
    assert code == 0 and leftovers(index) == [], err


def _complete_copy(small_index: Path, folder: Path, built_at: str) -> None:
    shutil.copytree(small_index, folder)
    _edit_manifest(built_at=built_at)(folder)


def test_recovery_takes_the_newest_complete_copy_and_nothing_incomplete(
    small_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "index"
    _complete_copy(small_index, tmp_path / ".index.old-aaaa", "2030-01-01T00:00:00+00:00")
    _complete_copy(small_index, tmp_path / ".index.building-bbbb", "2020-01-01T00:00:00+00:00")
    _complete_copy(small_index, tmp_path / ".index.building-cccc", "2040-01-01T00:00:00+00:00")
    _garble_middle(tmp_path / ".index.building-cccc" / FAISS_FILE)  # newest, but damaged
    _complete_copy(small_index, tmp_path / ".index.building-dddd", "2050-01-01T00:00:00+00:00")
    (tmp_path / ".index.building-dddd" / MANIFEST_FILE).unlink()  # killed before its manifest: incomplete
    assert cli(capsys, "check", "--index", index, "--corpus", SMALL_CORPUS)[0] == 0
    assert IndexStore.load(index).manifest.built_at.startswith("2030")
    assert leftovers(index) == [".index.building-bbbb", ".index.building-cccc", ".index.building-dddd"]


def test_no_complete_copy_means_no_index(small_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "index"
    _complete_copy(small_index, tmp_path / ".index.old-aaaa", "2030-01-01T00:00:00+00:00")
    (tmp_path / ".index.old-aaaa" / CHUNKS_FILE).unlink()
    expect_failure(cli(capsys, "check", "--index", index, "--corpus", SMALL_CORPUS), 4, "no index at")
    assert not index.exists() and leftovers(index) == [".index.old-aaaa"]


def test_a_failing_build_after_a_killed_one_keeps_the_recovered_index(
    small_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The next build puts the copy back before anything can fail, instead of deleting it."""
    index = tmp_path / "index"
    _complete_copy(small_index, tmp_path / ".index.old-aaaa", "2030-01-01T00:00:00+00:00")
    expect_failure(
        cli(capsys, "build", "--corpus", tmp_path / "no-corpus", "--index", index), 3, "corpus folder not found", only_line=False
    )
    assert IndexStore.load(index, corpus_dir=SMALL_CORPUS).manifest.built_at.startswith("2030")


# Bad input --------------------------------------------------------------------------------------


BATCHES = {
    "not JSON": ('{"id": "a", "question": "税收？"}\n{"id": "b", "question": ', "line 2"),
    "no question": ('{"id": "a"}\n', "line 1: question: Field required"),
    "history not a list": ('\n{"id": "a", "question": "税收？", "history": "上一问"}\n', "line 2: history"),
    "unknown field": ('{"id": "a", "question": "税收？", "user": "x"}\n', "line 1: user"),
    "not an object": ('["税收？"]\n', "line 1"),
}


@pytest.mark.parametrize("command", ["ask", "search"])
@pytest.mark.parametrize("case", list(BATCHES))
def test_malformed_batch_line_is_exit_2_naming_the_line(
    tmp_path: Path, command: str, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text, words = BATCHES[case]
    batch = tmp_path / "questions.jsonl"
    batch.write_text(text, encoding="utf-8")
    # a missing index as well: the batch is checked first, before anything slow loads
    expect_failure(cli(capsys, command, "--batch", batch, "--index", tmp_path / "none", "--corpus", CORPUS), 2, "questions.jsonl", words)


def test_batch_file_missing_or_not_utf8_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect_failure(cli(capsys, "ask", "--batch", tmp_path / "none.jsonl"), 2, "batch file not found")
    batch = tmp_path / "gbk.jsonl"
    batch.write_bytes('{"id": "a", "question": "临港税收？"}\n'.encode("gbk"))
    expect_failure(cli(capsys, "ask", "--batch", batch), 2, "gbk.jsonl: not UTF-8")


@pytest.mark.parametrize("k", ["0", "-3"])
def test_k_below_one_is_exit_2(k: str, capsys: pytest.CaptureFixture[str]) -> None:
    expect_failure(cli(capsys, "search", QUESTION, "-k", k), 2, "-k must be at least 1")


def test_no_question_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    expect_failure(cli(capsys, "ask"), 2, "QUESTION or --batch")
    expect_failure(cli(capsys, "search"), 2, "QUESTION or --batch")


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [(["ask", QUESTION, "--index", "{tmp}/none"], 4, "no index at"), (["search", QUESTION, "-k", "0"], 2, "-k must")],
)
def test_installed_command_fails_with_one_line(tmp_path: Path, argv: list[str], code: int, words: str) -> None:
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    result = subprocess.run(
        [sys.executable, "-m", "assistant", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ | {"PLAN_ASSISTANT_HOME": str(ROOT / ".cache")},
    )
    assert result.returncode == code and result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1 and words in result.stderr


# The app: load errors in Chinese, no absolute path of the machine --------------------------------


def test_app_load_error_shows_no_absolute_path(tmp_path: Path) -> None:
    from assistant.app.ui import AssistantService, build_app

    service = AssistantService.load(tmp_path / "no-index", CORPUS)
    answer = service.ask(QUESTION, [])
    assert service.error and service.error.startswith("尚未建立规划索引（no index at no-index")
    assert answer.refused and answer.reason == "index_unavailable" and "plan-assistant build" in answer.answer
    assert answer.answer.startswith("暂时无法回答问题：尚未建立规划索引")
    assert service.facts  # the figures and plan tabs still work from the corpus
    demo = build_app(service, FeedbackStore(tmp_path / "feedback"), [])
    page = json.dumps(demo.config, ensure_ascii=False, default=repr)
    assert "尚未建立规划索引" in page
    for shown in (service.error, answer.answer, page):
        assert str(tmp_path) not in shown and str(ROOT) not in shown


def test_app_damaged_index_under_the_cwd_is_shown_relative(index_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.app.ui import AssistantService

    monkeypatch.chdir(tmp_path)
    _truncate_faiss(index_copy)
    service = AssistantService.load(index_copy, CORPUS)  # an absolute path inside the cwd
    assert service.error.startswith(f"规划索引文件已损坏（index file index{os.sep}{FAISS_FILE} is damaged")
    assert str(tmp_path) not in service.error and str(ROOT) not in service.error


def test_app_stale_index_names_the_folders_not_their_paths(index_dir: Path, tmp_path: Path) -> None:
    from assistant.app.ui import AssistantService

    corpus = tmp_path / "my-corpus"
    shutil.copytree(CORPUS, corpus)
    plan = next(corpus.glob("*.txt"))
    plan.write_text(plan.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    answer = AssistantService.load(index_dir, corpus).ask(QUESTION, [])
    assert "规划索引已过期" in answer.answer and "my-corpus" in answer.answer
    assert str(tmp_path) not in answer.answer and str(index_dir.parent) not in answer.answer


def test_app_rejects_malformed_arguments_with_one_line() -> None:
    from assistant.app.ui import parse_history

    assert parse_history('["上一问"]') == ["上一问"] and parse_history("上一问") == ["上一问"]
    assert parse_history([None, 3]) == ["3"] and parse_history(None) == []
    for history in ('{"a": 1}', "5", {"a": 1}, 5, True):
        with pytest.raises(ValueError, match="history must be a list"):
            parse_history(history)  # type: ignore[arg-type]


# Feedback and logs store no more than they need -------------------------------------------------


def test_feedback_row_holds_only_the_documented_columns(tmp_path: Path) -> None:
    import sqlite3

    store = FeedbackStore(tmp_path)
    store.record("问" * (MAX_TEXT + 500), "答" * (MAX_TEXT * 3), "lookup", "down", "  评论\n ")
    store.record("临港税收？", "25亿元", "lookup", "up")
    with sqlite3.connect(tmp_path / DATABASE_FILE) as connection:
        assert [row[1] for row in connection.execute("PRAGMA table_info(ratings)")] == FEEDBACK_COLUMNS
        rows = connection.execute("SELECT * FROM ratings ORDER BY id").fetchall()
    assert len(rows) == 2
    for row in rows:
        entry = dict(zip(FEEDBACK_COLUMNS, row))
        assert all(isinstance(value, str) and len(value) <= MAX_TEXT for key, value in entry.items() if key != "id")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", entry["timestamp"])
        assert json.loads(entry["history"]) == [] and json.loads(entry["sources"]) == []
    first = dict(zip(FEEDBACK_COLUMNS, rows[0]))
    assert first["comment"] == "评论" and len(first["question"]) == len(first["answer"]) == MAX_TEXT


def test_internal_error_log_keeps_only_the_start_of_the_question(
    assistant, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(question: str, history: list[str]) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(assistant, "_ask", broken)
    question = "临港" + "很长的问题" * 4000
    with caplog.at_level(logging.ERROR):
        answer = assistant.ask(question)
    assert answer.reason == "internal_error" and answer.refused
    assert caplog.records and all(len(record.getMessage()) < 1000 for record in caplog.records)


def test_an_index_remembers_the_corpus_it_was_built_from(small_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``ask --index DIR`` works for an index built with ``--corpus OTHER``; ``check`` names the corpus."""
    code, out, err = cli(capsys, "check", "--index", small_index)
    assert code == 0 and str(SMALL_CORPUS) in out, err
    code, out, err = cli(capsys, "ask", SMALL_QUESTION, "--index", small_index)
    assert code == 0 and "6.4亿元" in out, err
    expect_failure(cli(capsys, "check", "--index", small_index, "--corpus", CORPUS), 5, "changed since")
