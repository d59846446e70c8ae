"""Terminal output of every command: lines to stdout (a closed pipe propagates so the CLI exits
quietly; any other failure to write, a full disk or ``>/dev/full``, is one error line) and rich
tables rendered as text for the terminal stdout is (width and colours)."""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING, Literal

from assistant.errors import OutputError

if TYPE_CHECKING:
    from rich.table import Table


def write_line(text: str = "") -> None:
    """One line to stdout."""
    try:
        sys.stdout.write(f"{text}\n")
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write the output: {error.strerror or error}") from error


def render_table(table: Table) -> str:
    from rich.console import Console

    terminal = Console()
    rendered = io.StringIO()
    colours: Literal["auto"] | None = "auto" if terminal.color_system else None
    Console(file=rendered, width=terminal.width, color_system=colours, force_terminal=terminal.is_terminal).print(table)
    return rendered.getvalue().rstrip("\n")
