"""Rich tables rendered as text for the terminal stdout is (width and colours), so every command
writes them through its own output path (which handles a closed pipe or a full disk)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.table import Table


def render_table(table: Table) -> str:
    from rich.console import Console

    terminal = Console()
    rendered = io.StringIO()
    colours: Literal["auto"] | None = "auto" if terminal.color_system else None
    Console(file=rendered, width=terminal.width, color_system=colours, force_terminal=terminal.is_terminal).print(table)
    return rendered.getvalue().rstrip("\n")
