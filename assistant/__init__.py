"""规划知识助手: answers questions about Chinese development plans with cited passages and exact figures.

Importing the package is cheap and side-effect free; models and indexes load in explicit steps
(``Assistant.load(index_dir)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.engine.assistant import Assistant

__all__ = ["Assistant"]


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from assistant.engine.assistant import Assistant

        return Assistant
    raise AttributeError(name)
