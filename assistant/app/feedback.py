"""Users' ratings of answers, kept in one SQLite database for staff to review.

``<directory>/feedback.sqlite3`` holds one row per rating: the question, the earlier questions of
the chat (JSON), the answer text and kind, the spans it cited (JSON), the rating, an optional
comment and the time. Only what helps improve answers is stored — no paths, no addresses.

Several threads and processes may write at once: the database is in WAL mode, every operation
opens its own connection with a busy timeout, and a write is one short ``BEGIN IMMEDIATE``
transaction. A ``feedback.jsonl`` left by earlier versions is imported once (read by ``\\n`` only,
so a U+2028 inside a comment cannot break a record) and then renamed to ``feedback.jsonl.migrated``;
nothing is ever deleted.

Every failure to read or write the store is a ``FeedbackStoreError``: one line for the CLI, and
``plain`` — Chinese, without any path — for the app.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import Field, ValidationError

from assistant.errors import InputError, OutputError
from assistant.evaluation.gold import GoldItem, GoldKind
from assistant.index.jsonl import escape_line_breaks, jsonl_lines
from assistant.models import AnswerKind, Span, Strict

log = logging.getLogger(__name__)

DATABASE_FILE = "feedback.sqlite3"
LEGACY_FILE = "feedback.jsonl"
MIGRATED_SUFFIX = ".migrated"
FEEDBACK_FILE = DATABASE_FILE
MAX_TEXT = 4000
MAX_HISTORY = 20
MAX_SOURCES = 30
BUSY_TIMEOUT_S = 30.0
LOW_SPACE_BYTES = 1 << 20
SCHEMA_VERSION = 1
Rating = Literal["up", "down"]
RATINGS: tuple[str, ...] = get_args(Rating)
KINDS: tuple[str, ...] = get_args(AnswerKind)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ratings (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp TEXT NOT NULL,
    question  TEXT NOT NULL,
    history   TEXT NOT NULL DEFAULT '[]',
    answer    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    sources   TEXT NOT NULL DEFAULT '[]',
    rating    TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS ratings_for_review ON ratings (rating, kind, id);
CREATE TABLE IF NOT EXISTS migrations (
    digest   TEXT PRIMARY KEY,
    source   TEXT NOT NULL,
    imported INTEGER NOT NULL,
    skipped  INTEGER NOT NULL,
    at       TEXT NOT NULL
);
"""
_COLUMNS = ("id", "timestamp", "question", "history", "answer", "kind", "sources", "rating", "comment")


class FeedbackEntry(Strict):
    """One rating of one answer; ``id`` is the store's row number (``None`` until stored)."""

    id: int | None = None
    question: str = Field(max_length=MAX_TEXT)
    history: list[str] = Field(default_factory=list, max_length=MAX_HISTORY)
    answer: str = Field(max_length=MAX_TEXT)
    kind: AnswerKind
    sources: list[Span] = Field(default_factory=list, max_length=MAX_SOURCES)
    rating: Rating
    comment: str = Field(default="", max_length=MAX_TEXT)
    timestamp: str


# Failures --------------------------------------------------------------------------------------

_PLAIN_REASONS = {
    "full": "磁盘已满",
    "readonly": "存储位置只读或没有写入权限",
    "uncreatable": "无法创建反馈存储文件夹",
    "damaged": "反馈数据库已损坏",
    "busy": "反馈存储正忙，请稍后再试",
    "io": "读写出错",
}
_REASONS = {
    "full": "the disk is full",
    "readonly": "the folder is read-only or not writable",
    "uncreatable": "its folder cannot be created",
    "damaged": "the database file is damaged or not a database",
    "busy": "the database stayed locked by another writer",
    "io": "an input/output error",
}


class FeedbackStoreError(OutputError):
    """The feedback store cannot be written or read (a read-only or uncreatable folder, a full
    disk, a damaged file). ``str()`` is the CLI's line; ``plain`` the app's, with no path."""

    def __init__(self, message: str, reason: str, action: str = "write") -> None:
        super().__init__(message)
        self.reason = reason
        self.action = action

    @property
    def plain(self) -> str:
        what = "反馈未能保存" if self.action == "write" else "无法读取反馈记录"
        return f"{what}：{_PLAIN_REASONS.get(self.reason, _PLAIN_REASONS['io'])}。请联系管理员。"


def failure_reason(error: BaseException) -> str:
    """What kind of failure an OS or SQLite error is: full, readonly, uncreatable, damaged, busy or io."""
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(error).lower()
        if primary == sqlite3.SQLITE_FULL or "full" in text:
            return "full"
        if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH) or "readonly" in text:
            return "readonly"
        if primary == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
            return "readonly"
        if primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT) or "not a database" in text or "malformed" in text:
            return "damaged"
        if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text:
            return "busy"
        return "io"
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return "full"
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "readonly"
        if error.errno in (errno.ENOTDIR, errno.EEXIST, errno.ENOENT, errno.ELOOP, errno.ENAMETOOLONG):
            return "uncreatable"
        if error.errno == errno.EISDIR:
            return "damaged"
    return "io"


def _nearly_full(folder: Path) -> bool:
    """Whether the filesystem holding ``folder`` has (almost) no room left: SQLite reports a full
    disk while extending its shared-memory or journal file as a plain I/O error."""
    probe = next((path for path in (folder, *folder.parents) if path.exists()), None)
    try:
        stats = os.statvfs(probe) if probe is not None else None
    except OSError:
        return False
    return stats is not None and stats.f_bavail * stats.f_frsize < LOW_SPACE_BYTES


def _store_error(error: BaseException, action: str, folder: Path) -> FeedbackStoreError:
    reason = failure_reason(error)
    if reason == "io" and _nearly_full(folder):
        reason = "full"
    return FeedbackStoreError(f"cannot {action} the feedback store in {folder}: {_REASONS[reason]}", reason, action)


# Values ----------------------------------------------------------------------------------------


def _clip(text: str) -> str:
    return text[:MAX_TEXT]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _clipped_sources(entry: FeedbackEntry) -> FeedbackEntry:
    """``entry`` with its source quotes clipped to ``MAX_TEXT`` (only for the review: a clipped quote
    no longer matches the plan, and the app then shows it bare)."""
    if all(len(span.quote) <= MAX_TEXT for span in entry.sources):
        return entry
    spans = [span.model_copy(update={"quote": _clip(span.quote)}) for span in entry.sources]
    return entry.model_copy(update={"sources": spans})


def _row_entry(row: sqlite3.Row) -> FeedbackEntry:
    return FeedbackEntry(
        id=row["id"],
        timestamp=row["timestamp"],
        question=row["question"],
        history=json.loads(row["history"]),
        answer=row["answer"],
        kind=row["kind"],
        sources=json.loads(row["sources"]),
        rating=row["rating"],
        comment=row["comment"],
    )


def _row_values(entry: FeedbackEntry) -> tuple[str, ...]:
    return (
        entry.timestamp,
        entry.question,
        json.dumps(entry.history, ensure_ascii=False),
        entry.answer,
        entry.kind,
        json.dumps([span.model_dump() for span in entry.sources], ensure_ascii=False),
        entry.rating,
        entry.comment,
    )


def _legacy_entries(text: str) -> tuple[list[FeedbackEntry], int]:
    """The entries of an old ``feedback.jsonl`` and how many lines could not be read (kept in the file)."""
    entries, skipped = [], 0
    for number, line in jsonl_lines(text):  # at \n only: U+2028 inside a comment is no line break
        try:
            data = json.loads(line)
            entry = FeedbackEntry(
                question=_clip(str(data["question"])),
                answer=_clip(str(data["answer"])),
                kind=data["kind"],
                rating=data["rating"],
                comment=_clip(str(data.get("comment") or "")),
                timestamp=str(data.get("timestamp") or ""),
                history=[_clip(str(item)) for item in data.get("history") or []][-MAX_HISTORY:],
                sources=list(data.get("sources") or [])[:MAX_SOURCES],
            )
            entries.append(_clipped_sources(entry))
        except (ValueError, TypeError, KeyError, ValidationError):
            skipped += 1
            log.warning("%s line %d is not a rating; left in the renamed file", LEGACY_FILE, number)
    return entries, skipped


# The store -------------------------------------------------------------------------------------


class FeedbackStore:
    """Ratings in ``<directory>/feedback.sqlite3``; the folder and database are created on first write."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / DATABASE_FILE
        self.legacy_path = self.directory / LEGACY_FILE
        self._ready = False
        self._ready_lock = threading.Lock()

    # writing

    def record(
        self,
        question: str,
        answer: str,
        kind: str,
        rating: str,
        comment: str = "",
        *,
        history: Sequence[str] | None = None,
        sources: Iterable[Span | dict[str, Any]] | None = None,
    ) -> FeedbackEntry:
        """Validate (an unknown rating or kind, a malformed source → ``ValidationError``), clip long
        texts, keep the last ``MAX_HISTORY`` earlier questions and the first ``MAX_SOURCES`` sources,
        store; the stored entry, with its ``id``."""
        earlier = [history] if isinstance(history, str) else list(history or [])
        entry = FeedbackEntry.model_validate(
            {
                "question": _clip(question),
                "history": [_clip(item) for item in earlier[-MAX_HISTORY:]],
                "answer": _clip(answer),
                "kind": kind,
                "sources": list(sources or [])[:MAX_SOURCES],  # each validated as a Span (loc: sources.N.field)
                "rating": rating,
                "comment": _clip(comment.strip()),
                "timestamp": _now(),
            }
        )
        return self.append(_clipped_sources(entry))

    def append(self, entry: FeedbackEntry) -> FeedbackEntry:
        """Store one entry in one short transaction; the entry with its new ``id``."""
        with self._connection(create=True, action="write") as connection:
            with _immediate(connection):
                cursor = connection.execute(
                    "INSERT INTO ratings (timestamp, question, history, answer, kind, sources, rating, comment) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    _row_values(entry),
                )
            return entry.model_copy(update={"id": cursor.lastrowid})

    # reading

    def read(self) -> list[FeedbackEntry]:
        """Every entry, oldest first."""
        return self._select("ORDER BY id")

    def review(self, kind: str | None = None, rating: str | None = None) -> list[FeedbackEntry]:
        """Entries for review: 👎 first, newest first within each rating; optionally one kind or rating."""
        if kind is not None and kind not in KINDS:
            raise InputError(f"unknown answer kind {kind!r}; choose one of {', '.join(KINDS)}")
        if rating is not None and rating not in RATINGS:
            raise InputError(f"unknown rating {rating!r}; choose one of {', '.join(RATINGS)}")
        where, values = [], []
        if kind is not None:
            where.append("kind = ?")
            values.append(kind)
        if rating is not None:
            where.append("rating = ?")
            values.append(rating)
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        return self._select(f"{clause}ORDER BY rating = 'down' DESC, id DESC", values)

    def get(self, ids: Iterable[int]) -> list[FeedbackEntry]:
        """The entries with these ids, in the order asked (unknown ids are left out)."""
        wanted = list(dict.fromkeys(int(number) for number in ids))
        found: dict[int | None, FeedbackEntry] = {}
        for start in range(0, len(wanted), 500):  # well below SQLite's limit on bound values
            chunk = wanted[start : start + 500]
            found.update((entry.id, entry) for entry in self._select(f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
        return [found[number] for number in wanted if number in found]

    def _select(self, tail: str, values: Sequence[object] = ()) -> list[FeedbackEntry]:
        if not self.path.exists() and not self.legacy_path.is_file():
            return []  # nothing rated yet: reading creates nothing
        with self._connection(create=False, action="read") as connection:
            rows = connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM ratings {tail}", list(values)).fetchall()
        try:
            return [_row_entry(row) for row in rows]
        except (ValueError, ValidationError) as error:
            raise FeedbackStoreError(
                f"cannot read the feedback store in {self.directory}: a row is malformed", "damaged", "read"
            ) from error

    # connections

    @contextmanager
    def _connection(self, create: bool, action: str) -> Iterator[sqlite3.Connection]:
        """A fresh connection (one per operation, so threads and processes never share one) on a
        database whose schema exists and whose old JSONL has been imported."""
        if not self.path.exists():
            self._ready = False  # new, or removed since: the schema (and the old JSONL) again
        try:
            if create:
                self.directory.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise _store_error(error, action, self.directory) from error
        try:
            connection.row_factory = sqlite3.Row
            self._prepare(connection)
            yield connection
        except (OSError, sqlite3.Error) as error:
            raise _store_error(error, action, self.directory) from error
        finally:
            connection.close()

    def _prepare(self, connection: sqlite3.Connection) -> None:
        """Once per store object: WAL mode, the schema, and the one-time import of ``feedback.jsonl``."""
        if self._ready:
            return
        with self._ready_lock:
            if self._ready:
                return
            _set_wal(connection)
            with _immediate(connection):
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                imported = self._import_legacy(connection)
            if imported:
                _set_aside(self.legacy_path, imported)
            self._ready = True

    def _import_legacy(self, connection: sqlite3.Connection) -> str | None:
        """Import ``feedback.jsonl`` inside the caller's transaction unless a file with the same
        content was imported before (a crash between commit and rename, or another process just
        did); the content's digest when the file is to be set aside."""
        if not self.legacy_path.is_file():
            return None
        data = self.legacy_path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if connection.execute("SELECT 1 FROM migrations WHERE digest = ?", (digest,)).fetchone():
            return digest
        entries, skipped = _legacy_entries(data.decode("utf-8", errors="replace"))
        connection.executemany(
            "INSERT INTO ratings (timestamp, question, history, answer, kind, sources, rating, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [_row_values(entry) for entry in entries],
        )
        connection.execute(
            "INSERT INTO migrations (digest, source, imported, skipped, at) VALUES (?, ?, ?, ?, ?)",
            (digest, LEGACY_FILE, len(entries), skipped, _now()),
        )
        log.info("imported %d rating(s) from %s (%d unreadable line(s) kept in the renamed file)", len(entries), LEGACY_FILE, skipped)
        return digest


@contextmanager
def _immediate(connection: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taking the write lock at its start (waiting up to the busy timeout)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _set_wal(connection: sqlite3.Connection) -> None:
    """WAL mode (stored in the file, so this is a no-op once set). Switching needs a moment with no
    other connection mid-transaction; a first start by several processes at once waits its turn."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as error:
            if failure_reason(error) != "busy" or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _set_aside(legacy: Path, digest: str) -> None:
    """Rename the imported JSONL to ``feedback.jsonl.migrated`` (``.migrated-2``, … when taken by
    another file). Where an identical copy is already set aside (another process got there first),
    the name alone goes; a file that changed since it was read is kept as it is."""
    for number in range(1, 1000):
        target = legacy.with_name(legacy.name + MIGRATED_SUFFIX + ("" if number == 1 else f"-{number}"))
        try:
            os.link(legacy, target)  # never replaces an existing file, unlike rename
        except FileExistsError:
            if _digest(target) == digest and _digest(legacy) == digest:
                legacy.unlink(missing_ok=True)
                return
            continue
        except FileNotFoundError:
            return  # another process set it aside first
        except OSError:  # a filesystem without hard links
            if target.exists():
                continue
            legacy.rename(target)
            return
        legacy.unlink(missing_ok=True)
        return


# Gold-set candidates ---------------------------------------------------------------------------

_GOLD_KINDS: dict[str, GoldKind] = {
    "lookup": "table_lookup",
    "compare": "compare",
    "compute": "compute",
    "list": "list",
    "passage": "text_fact",
    "refusal": "refuse",
}


def gold_kind(entry: FeedbackEntry) -> GoldKind:
    """The gold-set kind a reviewer starts from: a follow-up when the chat had earlier questions,
    a refusal for a refused answer, else by the answer's kind (a lookup may be a sub-park lookup:
    the reviewer decides)."""
    if entry.kind == "refusal":
        return "refuse"
    if entry.history:
        return "followup"
    return _GOLD_KINDS[entry.kind]


def gold_candidate(entry: FeedbackEntry) -> GoldItem:
    """One entry as an ``eval/`` gold record: the answer given as ``expected``, evidence to be filled."""
    return GoldItem(
        id=f"feedback-{entry.id}",
        kind=gold_kind(entry),
        question=entry.question,
        history=list(entry.history),
        expected=entry.answer,
        numbers=[],
        result=None,
        tolerance=0.0,
        terms=[],
        refuse=entry.kind == "refusal",
        evidence=[],
    )


def gold_candidates_jsonl(entries: Iterable[FeedbackEntry]) -> str:
    """The gold records of ``entries`` as JSONL text written as ``eval/*.jsonl`` is, one ``\\n``-terminated line each."""
    return "".join(f"{escape_line_breaks(json.dumps(gold_candidate(entry).model_dump(), ensure_ascii=False))}\n" for entry in entries)


def export_gold_candidates(entries: Sequence[FeedbackEntry], path: Path) -> int:
    """Write gold candidates to ``path``, which must not exist or be empty (nothing is overwritten);
    how many were written. A non-empty file → ``InputError``; a failed write → ``OutputError``."""
    text = gold_candidates_jsonl(entries)
    path = Path(path)
    try:
        if path.is_dir():
            raise InputError(f"{path} is a folder; give a file name for the export")
        if path.is_file():
            if path.stat().st_size > 0:
                raise InputError(f"{path} exists and is not empty; choose another file (nothing was overwritten)")
            mode = "r+"
        else:
            mode = "w" if path.exists() else "x"  # a device or pipe (/dev/stdout), or a new file
        with open(path, mode, encoding="utf-8", newline="\n") as handle:
            if mode == "r+" and handle.read(1):  # written by someone else since the check
                raise InputError(f"{path} exists and is not empty; choose another file (nothing was overwritten)")
            if mode == "r+":
                handle.seek(0)
            handle.write(text)
    except FileExistsError as error:
        raise InputError(f"{path} was created meanwhile; choose another file (nothing was overwritten)") from error
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error
    return len(entries)
