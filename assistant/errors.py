"""Errors that reach a user as one clear line and a specific exit code, never a traceback.

Exit codes: 2 bad input (arguments, batch files, settings), 3 corpus, 4 index missing, 5 index
stale, 6 index corrupt, 7 index not writable, 8 output not writable (stdout on a full disk, a
report folder that is a file), 130 interrupted (Ctrl-C), 141 the reader of stdout went away
(``… | head -1``: quiet, as a Unix tool killed by SIGPIPE).
"""

from __future__ import annotations

import signal

INTERRUPTED_EXIT = 128 + signal.SIGINT
BROKEN_PIPE_EXIT = 128 + getattr(signal, "SIGPIPE", 13)


class AssistantError(Exception):
    """Base of every expected failure; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class CorpusError(AssistantError):
    """The corpus folder is missing, empty, not a folder, or holds an unreadable file."""

    exit_code = 3


class IndexMissingError(AssistantError):
    """No index has been built at the given path."""

    exit_code = 4


class IndexStaleError(AssistantError):
    """The index was built from another corpus or another model than the one configured."""

    exit_code = 5


class IndexCorruptError(AssistantError):
    """An index file is truncated, malformed or missing."""

    exit_code = 6


class IndexWriteError(AssistantError):
    """The index folder cannot be written (read-only, no space)."""

    exit_code = 7


class InputError(AssistantError):
    """A batch file, argument or setting (environment variable) is malformed."""

    exit_code = 2


class OutputError(AssistantError):
    """Results cannot be written: stdout on a full disk, a report folder that is a file or read-only."""

    exit_code = 8
