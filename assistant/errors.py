"""Errors that reach a user as one clear line and a specific exit code, never a traceback."""

from __future__ import annotations


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
    """A batch file or argument is malformed."""

    exit_code = 2
