"""The ``plan-assistant`` command: build, ask, search, facts, eval, check.

Every expected failure becomes one line on stderr and a specific exit code; only a bug can
produce a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.config import settings
from assistant.errors import AssistantError
from assistant.plan import PlanCorpus


def _print_json_lines(rows: Sequence[object]) -> None:
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


def command_facts(args: argparse.Namespace) -> int:
    """Every structured figure, from the corpus (no index needed)."""
    corpus = PlanCorpus.load(settings(corpus_dir=args.corpus).corpus_dir)
    if args.json:
        _print_json_lines([fact.model_dump() for fact in corpus.facts])
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("subject", "indicator", "year", "kind", "value", "unit", "source", show_lines=False)
    for fact in corpus.facts:
        table.add_row(
            fact.subject, fact.indicator, str(fact.year or "—"), fact.kind, fact.text, fact.unit, fact.source.section
        )
    Console().print(table)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plan-assistant", description="规划知识助手 — answers about development plans")
    commands = parser.add_subparsers(dest="command", required=True)

    facts = commands.add_parser("facts", help="print every structured figure")
    facts.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: corpus)")
    facts.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    facts.set_defaults(handler=command_facts)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; expected errors are one line and an exit code."""
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except AssistantError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
