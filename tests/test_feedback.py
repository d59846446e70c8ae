"""Feedback that staff can review: the SQLite store, its one-time import of the old JSONL, its
export as gold-set candidates, the ``plan-assistant feedback`` command, and a store that cannot be
written shown as one plain line. Real components throughout: real SQLite files, real processes,
real filesystems (a small tmpfs where the machine lets us mount one).
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from assistant.app.feedback import (
    DATABASE_FILE,
    LEGACY_FILE,
    MAX_HISTORY,
    MAX_SOURCES,
    MAX_TEXT,
    FeedbackStore,
    FeedbackStoreError,
    export_gold_candidates,
    failure_reason,
    gold_candidates_jsonl,
)
from assistant.cli import main
from assistant.evaluation.gold import GoldItem, load_gold
from assistant.models import Span

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SPAN = {"doc": "plan", "section": "附件 > 子园甲", "start": 10, "end": 16, "quote": "税收25亿元"}
LINE_BREAKS = "\u2028\u2029\u0085"


def no_path_and_one_line(message: str, *paths: Path) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert "/" not in message and "\\" not in message, message
    for path in paths:
        assert str(path) not in message


# The store ------------------------------------------------------------------------------------


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback")
    assert store.read() == [] and not (tmp_path / "feedback").exists()  # reading creates nothing
    stored = store.record(
        "那它的税收呢？",
        "子园甲2020年税收为25亿元。",
        "lookup",
        "down",
        "  年份不对\n ",
        history=["子园甲有多少家高企？"],
        sources=[SPAN, Span(**{**SPAN, "start": 20, "end": 26})],
    )
    assert stored.id == 1 and stored.comment == "年份不对"
    (entry,) = FeedbackStore(tmp_path / "feedback").read()  # a second store object: from the file
    assert entry == stored
    assert entry.history == ["子园甲有多少家高企？"] and entry.sources[0] == Span(**SPAN)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", entry.timestamp)
    with sqlite3.connect(tmp_path / "feedback" / DATABASE_FILE) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        row = connection.execute("SELECT question, history, answer, kind, sources, rating, comment FROM ratings").fetchone()
    assert json.loads(row[1]) == ["子园甲有多少家高企？"] and json.loads(row[4])[0] == SPAN
    assert row[5] == "down" and row[6] == "年份不对"


def test_long_texts_are_clipped_and_bad_values_refused(tmp_path: Path) -> None:
    from pydantic import ValidationError

    store = FeedbackStore(tmp_path)
    entry = store.record(
        "问" * (MAX_TEXT + 5),
        "答" * (MAX_TEXT * 2),
        "passage",
        "up",
        "意" * (MAX_TEXT + 1),
        history=[f"第{n}问" for n in range(MAX_HISTORY + 5)],
        sources=[SPAN] * (MAX_SOURCES + 5),
    )
    assert len(entry.question) == len(entry.answer) == len(entry.comment) == MAX_TEXT
    assert entry.history[0] == "第5问" and len(entry.history) == MAX_HISTORY and len(entry.sources) == MAX_SOURCES
    for bad in ({"rating": "meh"}, {"kind": "poem"}):
        with pytest.raises(ValidationError):
            store.record(**{"question": "q", "answer": "a", "kind": "lookup", "rating": "up", **bad})
    with pytest.raises(ValidationError):
        store.record("q", "a", "lookup", "up", sources=[{"doc": "plan"}])
    assert len(store.read()) == 1


def test_review_lists_down_first_newest_first_and_filters(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path)
    for question, kind, rating in [("q1", "lookup", "up"), ("q2", "refusal", "down"), ("q3", "lookup", "down"), ("q4", "passage", "up")]:
        store.record(question, "a", kind, rating)
    assert [e.question for e in store.review()] == ["q3", "q2", "q4", "q1"]
    assert [e.question for e in store.review(kind="lookup")] == ["q3", "q1"]
    assert [e.question for e in store.review(rating="up")] == ["q4", "q1"]
    assert [e.question for e in store.get([4, 99, 2])] == ["q4", "q2"]
    assert [e.question for e in store.read()] == ["q1", "q2", "q3", "q4"]


def test_concurrent_threads_lose_nothing(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fresh")  # schema creation races as well
    long_answer = "答" * 3000
    start = threading.Barrier(8)

    def write(worker: int) -> None:
        start.wait()
        for turn in range(25):
            store.record(f"问题{worker}-{turn}", long_answer, "passage", "down", history=[f"前{worker}"], sources=[SPAN])

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = store.read()
    assert len(entries) == 200 and len({e.id for e in entries}) == 200
    assert {e.answer for e in entries} == {long_answer}  # long answers are never interleaved
    assert {e.question for e in entries} == {f"问题{w}-{t}" for w in range(8) for t in range(25)}
    assert all(e.answer == long_answer and e.sources == [Span(**SPAN)] for e in entries)


WRITER = """
import sys, threading
from pathlib import Path
from assistant.app.feedback import FeedbackStore
folder, worker, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = FeedbackStore(folder)  # one store object per process; two threads share it
def write(thread):
    for turn in range(count):
        store.record(f"进程{worker}-{thread}-{turn}", "答" * 2000, "compute", "up" if turn % 2 else "down", "意见\\u2028第二行")
threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
[t.start() for t in threads]
[t.join() for t in threads]
"""


def run_writers(folder: Path, processes: int, count: int) -> None:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    running = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(n), str(count)], env=env, stderr=subprocess.PIPE, text=True)
        for n in range(processes)
    ]
    for process in running:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err


def test_concurrent_processes_lose_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    run_writers(folder, processes=6, count=20)
    entries = FeedbackStore(folder).read()
    assert len(entries) == 6 * 2 * 20
    assert {e.question for e in entries} == {f"进程{p}-{t}-{n}" for p in range(6) for t in range(2) for n in range(20)}
    assert all(e.comment == "意见\u2028第二行" for e in entries)


# The old JSONL file ---------------------------------------------------------------------------


def legacy_text() -> str:
    """An old ``feedback.jsonl``: U+2028/U+2029/U+0085 raw inside strings, a torn last line, CRLF on one."""
    rows = [
        {
            "question": "子园甲税收？",
            "answer": "25亿元",
            "kind": "lookup",
            "rating": "up",
            "comment": "准确\u2028第二行",
            "timestamp": "2025-03-01T08:00:00+00:00",
        },
        {
            "question": "到2030年\u2029呢？",
            "answer": "规划未给出",
            "kind": "refusal",
            "rating": "down",
            "comment": "",
            "timestamp": "2025-03-02T08:00:00+00:00",
        },
        {
            "question": "有哪些\u0085措施？",
            "answer": "一、…",
            "kind": "list",
            "rating": "down",
            "comment": "不全",
            "timestamp": "2025-03-03T08:00:00+00:00",
        },
    ]
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    return f'{lines[0]}\n{lines[1]}\r\n\n{lines[2]}\n{{"question": "torn'


def test_old_jsonl_is_imported_once_and_kept(tmp_path: Path) -> None:
    legacy = tmp_path / LEGACY_FILE
    legacy.write_text(legacy_text(), encoding="utf-8", newline="")
    original = legacy.read_bytes()
    entries = FeedbackStore(tmp_path).read()
    assert [e.comment for e in entries] == ["准确\u2028第二行", "", "不全"]
    assert [e.question for e in entries] == ["子园甲税收？", "到2030年\u2029呢？", "有哪些\u0085措施？"]
    assert entries[0].timestamp == "2025-03-01T08:00:00+00:00" and entries[0].history == [] == entries[0].sources
    assert not legacy.exists() and (tmp_path / f"{LEGACY_FILE}.migrated").read_bytes() == original  # kept whole, torn line too

    FeedbackStore(tmp_path).record("新问题", "答", "passage", "up")
    assert len(FeedbackStore(tmp_path).read()) == 4  # not imported again

    # the same file back (a crash between the import's commit and its rename): not imported twice,
    # and its name goes, since an identical copy is kept already
    legacy.write_bytes(original)
    assert len(FeedbackStore(tmp_path).read()) == 4
    assert not legacy.exists() and (tmp_path / f"{LEGACY_FILE}.migrated").read_bytes() == original

    # a new file written later by an old version: imported, set aside under a free name
    later = json.dumps({**json.loads(legacy_text().split("\n")[0]), "question": "后来的"}, ensure_ascii=False) + "\n"
    legacy.write_text(later, encoding="utf-8")
    assert [e.question for e in FeedbackStore(tmp_path).read()][-1] == "后来的"
    assert (tmp_path / f"{LEGACY_FILE}.migrated").read_bytes() == original
    assert (tmp_path / f"{LEGACY_FILE}.migrated-2").read_text(encoding="utf-8") == later and not legacy.exists()


def test_old_jsonl_imported_once_by_racing_processes(tmp_path: Path) -> None:
    (tmp_path / LEGACY_FILE).write_text(legacy_text(), encoding="utf-8")
    run_writers(tmp_path, processes=4, count=3)
    entries = FeedbackStore(tmp_path).read()
    assert len(entries) == 3 + 4 * 2 * 3
    assert sum(e.question == "子园甲税收？" for e in entries) == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(LEGACY_FILE)) == [f"{LEGACY_FILE}.migrated"]


# Gold-set candidates --------------------------------------------------------------------------


def rated_store(folder: Path) -> FeedbackStore:
    store = FeedbackStore(folder)
    store.record("子园甲2020年税收是多少？", "子园甲2020年税收为25亿元。", "lookup", "up", sources=[SPAN])
    store.record("那它2030年呢？", "规划未给出2030年的数字。", "refusal", "down", "应说明原因", history=["子园甲2020年税收是多少？"])
    store.record("哪个子园税收最高？", "子园甲最高。", "compare", "down", "漏了子园乙")
    store.record("有哪些\u2028保障措施？", "一、…", "passage", "down", history=["上一问"])
    return store


def test_export_is_the_gold_format_with_evidence_to_fill(tmp_path: Path) -> None:
    store = rated_store(tmp_path / "feedback")
    target = tmp_path / "candidates.jsonl"
    assert export_gold_candidates(store.review(), target) == 4
    text = target.read_text(encoding="utf-8")
    assert not any(char in text for char in LINE_BREAKS) and "\\u2028" in text  # one record per line for any reader
    items = [GoldItem.model_validate_json(line) for line in text.splitlines()]
    assert items == load_gold(target)  # what the evaluation reads
    by_question = {item.question: item for item in items}
    refusal = by_question["那它2030年呢？"]
    assert refusal.id == "feedback-2" and refusal.kind == "refuse" and refusal.refuse is True
    assert refusal.history == ["子园甲2020年税收是多少？"] and refusal.expected == "规划未给出2030年的数字。"
    assert by_question["哪个子园税收最高？"].kind == "compare"
    assert by_question["有哪些\u2028保障措施？"].kind == "followup"
    assert by_question["子园甲2020年税收是多少？"].kind == "table_lookup"
    for item in items:
        assert item.evidence == [] and item.numbers == [] and item.terms == [] and item.result is None and item.tolerance == 0
    assert list(json.loads(text.splitlines()[0])) == list(GoldItem.model_fields)  # the field order of eval/*.jsonl


def test_export_never_overwrites(tmp_path: Path) -> None:
    from assistant.errors import InputError, OutputError

    entries = rated_store(tmp_path / "feedback").review()
    taken = tmp_path / "taken.jsonl"
    taken.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        export_gold_candidates(entries, taken)
    assert taken.read_text(encoding="utf-8") == "keep me\n"
    empty = tmp_path / "empty.jsonl"
    empty.touch()
    assert export_gold_candidates(entries[:1], empty) == 1 and gold_candidates_jsonl(entries[:1]) == empty.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="folder"):
        export_gold_candidates(entries, tmp_path)
    with pytest.raises(OutputError):
        export_gold_candidates(entries, tmp_path / "missing" / "x.jsonl")


# The command ----------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLAN_ASSISTANT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "home"


def cli(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_command_lists_down_first_as_table_and_json(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "feedback") == (0, "no ratings yet\n", "")
    assert not home.exists()
    rated_store(home / "feedback")
    code, out, err = cli(capsys, "feedback")
    assert code == 0 and err == ""
    assert out.index("有哪些") < out.index("哪个子园") < out.index("那它2030") < out.index("子园甲2020年税收是多少")
    assert "👎" in out and "👍" in out
    code, out, _ = cli(capsys, "feedback", "--json")
    rows = [json.loads(line) for line in out.split("\n") if line]
    assert code == 0 and [row["id"] for row in rows] == [4, 3, 2, 1]
    assert rows[0]["question"] == "有哪些\u2028保障措施？" and "\u2028" not in out  # escaped: one line per rating
    assert rows[-1]["sources"] == [SPAN] and rows[1]["comment"] == "漏了子园乙"
    code, out, _ = cli(capsys, "feedback", "--json", "--kind", "refusal")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [2]


def test_command_exports_gold_candidates(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rated_store(home / "feedback")
    target = tmp_path / "candidates.jsonl"
    code, out, err = cli(capsys, "feedback", "--rating", "down", "--export", target)
    assert code == 0 and err == "" and "exported 3" in out
    assert [item.id for item in load_gold(target)] == ["feedback-4", "feedback-3", "feedback-2"]
    code, out, err = cli(capsys, "feedback", "--id", 1, 3, "--export", target)
    assert code == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1 and "not empty" in err
    assert len(load_gold(target)) == 3  # untouched
    other = tmp_path / "picked.jsonl"
    assert cli(capsys, "feedback", "--id", 1, 3, "--export", other)[0] == 0
    assert [item.id for item in load_gold(other)] == ["feedback-3", "feedback-1"]
    code, _, err = cli(capsys, "feedback", "--export", "/dev/full")
    assert code == 8 and err.count("\n") == 1 and err.startswith("error: cannot write")
    with pytest.raises(SystemExit) as exited:
        main(["feedback", "--kind", "poem"])
    assert exited.value.code == 2 and capsys.readouterr().err.startswith("error: argument --kind: invalid choice")


def test_command_on_a_damaged_store_is_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "feedback").mkdir(parents=True)
    (home / "feedback" / DATABASE_FILE).write_bytes(b"not a database, just text " * 200)
    code, out, err = cli(capsys, "feedback")
    assert code == 8 and out == "" and err.count("\n") == 1
    assert err.startswith("error: cannot read the feedback store") and "damaged" in err


# A store that cannot be written ---------------------------------------------------------------


def mount_tmpfs(target: Path, size: str) -> None:
    """A tiny tmpfs at ``target``, or skip where this machine does not let us mount one."""
    target.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "small"
    mount_tmpfs(target, "256k")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


def test_a_full_disk_is_a_plain_message(small_disk: Path) -> None:
    store = FeedbackStore(small_disk / "feedback")
    store.record("第一条", "答", "lookup", "up")
    with open(small_disk / "filler", "wb", buffering=0) as filler:
        with pytest.raises(OSError) as full:
            while True:
                filler.write(b"\0" * 4096)
    assert full.value.errno == errno.ENOSPC
    with pytest.raises(FeedbackStoreError) as caught:
        store.record("第二条", "答" * 3000, "lookup", "down", "意" * 3000)
    assert caught.value.reason == "full" and caught.value.plain == "反馈未能保存：磁盘已满。请联系管理员。"
    no_path_and_one_line(caught.value.plain, small_disk)
    (small_disk / "filler").unlink()
    assert [e.question for e in store.read()] == ["第一条"]  # the database is intact


def read_only_folder(tmp_path: Path) -> Path:
    """A folder that cannot be written: a read-only tmpfs as root (root ignores permissions), else mode 0555."""
    folder = tmp_path / "ro"
    if os.geteuid() == 0:
        mount_tmpfs(folder, "64k")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        folder.mkdir()
        folder.chmod(0o555)
    return folder


def test_a_read_only_folder_is_a_plain_message(tmp_path: Path) -> None:
    folder = read_only_folder(tmp_path)
    try:
        for directory in (folder, folder / "feedback"):  # the store's folder, and one that cannot be made
            with pytest.raises(FeedbackStoreError) as caught:
                FeedbackStore(directory).record("问", "答", "lookup", "up")
            assert caught.value.reason == "readonly" and "只读" in caught.value.plain
            no_path_and_one_line(caught.value.plain, tmp_path)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o755)


def test_an_uncreatable_folder_and_a_damaged_file_are_plain_messages(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(FeedbackStoreError) as caught:
        FeedbackStore(tmp_path / "a-file" / "feedback").record("问", "答", "lookup", "up")
    assert caught.value.plain == "反馈未能保存：无法创建反馈存储文件夹。请联系管理员。"
    assert caught.value.exit_code == 8 and str(tmp_path) in str(caught.value)  # the CLI's line may name it
    (tmp_path / "damaged").mkdir()
    (tmp_path / "damaged" / DATABASE_FILE).write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(FeedbackStoreError) as caught:
        FeedbackStore(tmp_path / "damaged").record("问", "答", "lookup", "up")
    assert caught.value.reason == "damaged"
    no_path_and_one_line(caught.value.plain, tmp_path)


def test_failure_reasons() -> None:
    assert failure_reason(OSError(errno.ENOSPC, "No space left on device")) == "full"
    assert failure_reason(sqlite3.OperationalError("database or disk is full")) == "full"
    assert failure_reason(PermissionError(errno.EACCES, "Permission denied")) == "readonly"
    assert failure_reason(sqlite3.OperationalError("attempt to write a readonly database")) == "readonly"
    assert failure_reason(NotADirectoryError(errno.ENOTDIR, "Not a directory")) == "uncreatable"
    assert failure_reason(sqlite3.DatabaseError("file is not a database")) == "damaged"


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing")
def test_the_app_shows_an_unwritable_store_as_a_plain_line(tmp_path: Path) -> None:
    """Both ways of rating in the app: the chat's 👎 button (its handler, as the page calls it) and
    the ``/feedback`` API through ``gradio_client`` against the running app."""
    from conftest import free_port
    from gradio_client import Client

    from assistant.app.ui import AssistantService, build_app, launch

    (tmp_path / "a-file").write_bytes(b"x")
    service = AssistantService.load(tmp_path / "no-index", CORPUS)  # no index needed to rate
    demo = build_app(service, FeedbackStore(tmp_path / "a-file" / "feedback"), [])
    rate_buttons = [block.fn for block in demo.fns.values() if isinstance(block.fn, partial) and block.fn.func.__name__ == "rate"]
    assert len(rate_buttons) == 2
    turn = {"question": "问", "answer": "答", "kind": "lookup", "history": [], "sources": [SPAN]}
    message, kept = rate_buttons[1](turn, "我的意见")
    assert message == "反馈未能保存：无法创建反馈存储文件夹。请联系管理员。" and kept == "我的意见"
    url = launch(demo, "127.0.0.1", free_port(), block=False, quiet=True)
    try:
        with pytest.raises(Exception) as caught:
            Client(url, verbose=False).predict("问", "答", "lookup", "down", "", api_name="/feedback")
        shown = str(caught.value)
        assert "反馈未能保存：无法创建反馈存储文件夹。请联系管理员。" in shown
        assert str(tmp_path) not in shown and "Traceback" not in shown and "a-file" not in shown
    finally:
        demo.close()
