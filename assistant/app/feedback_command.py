"""``plan-assistant feedback``: users' ratings from the terminal, 👎 first, and their export as
gold-set candidates.

    plan-assistant feedback                      # a table: 👎 first, newest first within each rating
    plan-assistant feedback --json               # one rating per line, as JSON
    plan-assistant feedback --kind refusal --rating down --export candidates.jsonl
    plan-assistant feedback --id 12 15 --export candidates.jsonl

``--export FILE`` writes the chosen ratings in the ``eval/`` JSONL format (evidence to be filled)
and never overwrites a file that holds anything. Failures are one ``error:`` line with the exit
code of ``assistant/errors.py`` (2 bad argument or an existing export file, 8 a store or file
that cannot be read or written).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.terminal import render_table, write_line

RATING_MARKS = {"down": "👎", "up": "👍"}
PREVIEW = 60


def add_feedback_command(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``feedback`` on the CLI's subparsers."""
    from assistant.app.feedback import KINDS, RATINGS

    command = subparsers.add_parser(
        "feedback",
        help="review users' ratings (👎 first); export them as gold-set candidates",
        description="Users' ratings of answers, 👎 first and newest first; --export writes gold-set candidates.",
    )
    command.add_argument("--json", action="store_true", help="one JSON object per rating instead of a table")
    command.add_argument("--kind", choices=KINDS, default=None, help="only answers of this kind")
    command.add_argument("--rating", choices=RATINGS, default=None, help="only this rating")
    command.add_argument("--id", type=int, nargs="+", default=None, metavar="N", help="only these ratings (the # column)")
    command.add_argument(
        "--export",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the ratings shown as gold-set candidates (eval/ JSONL); FILE must be new or empty",
    )
    command.set_defaults(handler=command_feedback)
    return command


def command_feedback(args: argparse.Namespace) -> int:
    """List (table or JSON lines) or export the ratings in ``$PLAN_ASSISTANT_HOME/feedback``."""
    from assistant.app.feedback import FeedbackStore, export_gold_candidates
    from assistant.config import settings
    from assistant.index.jsonl import escape_line_breaks

    store = FeedbackStore(settings().feedback_dir)
    entries = store.review(kind=args.kind, rating=args.rating)
    if args.id:
        wanted = set(args.id)
        entries = [entry for entry in entries if entry.id in wanted]
    if args.export is not None:
        count = export_gold_candidates(entries, args.export)
        write_line(f"exported {count} gold-set candidate(s) to {args.export}; fill in numbers, terms and evidence before use")
        return 0
    if args.json:
        for entry in entries:
            write_line(escape_line_breaks(json.dumps(entry.model_dump(mode="json"), ensure_ascii=False)))
        return 0
    write_line(_table(entries))
    return 0


def _table(entries: list) -> str:
    """The ratings as a rich table rendered for stdout's terminal, or a one-line note when there are none."""
    if not entries:
        return "no ratings yet"
    from rich.table import Table

    table = Table(title=f"用户评价（{len(entries)} 条，👎 在前）", show_lines=False)
    for header in ("#", "评价", "类型", "问题", "回答", "意见", "来源", "时间"):
        table.add_column(header, overflow="fold")
    for entry in entries:
        question = entry.question if not entry.history else f"{entry.question}（前文：{' / '.join(entry.history)}）"
        table.add_row(
            str(entry.id),
            RATING_MARKS[entry.rating],
            entry.kind,
            _short(question),
            _short(entry.answer),
            _short(entry.comment),
            str(len(entry.sources)),
            entry.timestamp.replace("T", " ")[:16],
        )
    return render_table(table)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1] + "…"
