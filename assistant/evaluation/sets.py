"""The evaluation sets of a project, described by ``eval/sets.json``, scored side by side.

A set's role says what its figure means: ``tuned`` sets measure memory of the tuning, ``blind``
sets (written by someone who read only the plan) measure the product. A blind set whose one half
was inspected while the engine changed (``dev_half``: odd or even ids) is reported by half too,
so the never-inspected half stays visible. First-contact scores (before any engine change) are
read from ``eval/reports/first-contact/<name>.json`` when present.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from assistant.errors import InputError
from assistant.evaluation.scorer import RunScore
from assistant.models import Strict

SETS_FILE = "sets.json"
FIRST_CONTACT_DIR = Path("reports") / "first-contact"


class EvalSet(Strict):
    name: str
    file: str
    role: Literal["tuned", "blind"]
    dev_half: Literal["odd", "even"] | None = None
    note: str = ""


class SetsFile(Strict):
    about: str = Field(default="", alias="_about")
    sets: list[EvalSet]


class HalfScore(Strict):
    half: str
    items: int
    correct: int


class SetResult(Strict):
    """One set's run, its halves and its first-contact score."""

    set: EvalSet
    run: RunScore
    halves: list[HalfScore] = Field(default_factory=list)
    first_contact: RunScore | None = None


def read_sets(eval_dir: Path) -> list[EvalSet]:
    """The sets ``eval_dir/sets.json`` lists whose files exist, in its order."""
    path = eval_dir / SETS_FILE
    try:
        described = SetsFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as error:
        raise InputError(f"no {SETS_FILE} in {eval_dir}") from error
    except (json.JSONDecodeError, ValidationError) as error:
        raise InputError(f"{path}: {str(error).splitlines()[0]}") from error
    return [s for s in described.sets if (eval_dir / s.file).is_file()]


def first_contact(eval_dir: Path, name: str) -> RunScore | None:
    path = eval_dir / FIRST_CONTACT_DIR / f"{name}.json"
    return RunScore.model_validate_json(path.read_text(encoding="utf-8")) if path.is_file() else None


def halves(run: RunScore, dev_half: str | None) -> list[HalfScore]:
    """Accuracy of the inspected (dev) and never-inspected (test) halves, by the number in the id."""
    if dev_half is None:
        return []
    parity = 1 if dev_half == "odd" else 0
    split: dict[str, list[bool]] = {"dev": [], "test": []}
    for item in run.items:
        digits = "".join(ch for ch in item.id.split("-")[-1] if ch.isdigit())
        half = "dev" if digits and int(digits) % 2 == parity else "test"
        split[half].append(item.correct)
    return [HalfScore(half=name, items=len(marks), correct=sum(marks)) for name, marks in split.items()]
