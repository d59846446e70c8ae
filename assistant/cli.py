"""The ``plan-assistant`` command: build, ask, search, facts, eval, check.

Every expected failure becomes one line on stderr and a specific exit code; only a bug can
produce a traceback. Like a Unix tool, it stops quietly when the reader of its output goes away
(``plan-assistant facts --json | head -1``), and Ctrl-C at any moment, even while it is still
importing, is one line and exit 130.
"""

from __future__ import annotations

import os
import signal
import sys
from types import TracebackType

_previous_excepthook = sys.excepthook


def _interrupted_hook(kind: type[BaseException], value: BaseException, traceback: TracebackType | None) -> None:
    """A KeyboardInterrupt that escapes everything else is one line and exit 130; an interactive
    session (``sys.ps1`` set) keeps Python's own report."""
    if not issubclass(kind, KeyboardInterrupt) or hasattr(sys, "ps1"):
        _previous_excepthook(kind, value, traceback)
        return
    _exit_interrupted()


def _exit_interrupted(*_: object) -> None:
    try:
        os.write(2, b"error: interrupted\n")
    finally:
        os._exit(130)


sys.excepthook = _interrupted_hook
# Ctrl-C while the imports below load (a few hundred ms) must not become a KeyboardInterrupt inside
# them: raised in a compiled extension's initialisation it turns into a panic or an ImportError with
# a traceback. Until they are loaded, Ctrl-C ends the process at once with the usual line.
_previous_sigint = signal.getsignal(signal.SIGINT)
_quiet_start = _previous_sigint is signal.default_int_handler
if _quiet_start:
    try:
        signal.signal(signal.SIGINT, _exit_interrupted)
    except ValueError:  # imported outside the main thread, where no signal arrives
        _quiet_start = False

import argparse  # noqa: E402  (after the hook, which must be in place while these load)
import json  # noqa: E402
from collections.abc import Callable, Iterable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NoReturn  # noqa: E402

from pydantic import ValidationError  # noqa: E402

from assistant.app.feedback_command import add_feedback_command  # noqa: E402
from assistant.config import settings  # noqa: E402
from assistant.errors import BROKEN_PIPE_EXIT, INTERRUPTED_EXIT, AssistantError, InputError, OutputError  # noqa: E402
from assistant.index.jsonl import escape_line_breaks, jsonl_lines  # noqa: E402
from assistant.models import Answer, BatchQuestion, SearchHit  # noqa: E402
from assistant.plan import PlanCorpus  # noqa: E402
from assistant.terminal import render_table, write_line  # noqa: E402

if _quiet_start:  # loaded: from here Ctrl-C is a KeyboardInterrupt again, so that builds can clean up
    signal.signal(signal.SIGINT, _previous_sigint)

DEFAULT_EVAL_DIR = Path("eval")
DEFAULT_REPORTS = Path("eval/reports")


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write the output: {error.strerror or error}") from error


def _abandon_stdout() -> None:
    """After a closed pipe or a failed write, point the real stdout at /dev/null so that Python's
    own flush at exit has nowhere to fail (it would print "Exception ignored …")."""
    if sys.stdout is not sys.__stdout__ or sys.stdout is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError):
        pass


def _print_json_lines(rows: Iterable[object]) -> None:
    for row in rows:
        write_line(_json(row))


def _json(row: object) -> str:
    """One JSON line whose Unicode line breaks are escaped, so line-splitting readers keep it whole."""
    return escape_line_breaks(json.dumps(row, ensure_ascii=False))


def _text_argument(text: str | None) -> str | None:
    """A question from the command line as text: bytes that are not UTF-8 arrive as lone surrogates
    (Python's ``surrogateescape``), which no JSON or UTF-8 output can hold; each becomes U+FFFD."""
    if text is None:
        return None
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that did not come from a byte
        return text.encode("utf-8", "replace").decode("utf-8")


def command_facts(args: argparse.Namespace) -> int:
    """Every structured figure, from the corpus (no index needed)."""
    corpus = PlanCorpus.load(settings(corpus_dir=args.corpus).corpus_dir)
    if args.json:
        _print_json_lines(fact.model_dump() for fact in corpus.facts)
        return 0
    from rich.table import Table

    table = Table("subject", "indicator", "year", "kind", "value", "unit", "source", show_lines=False)
    for fact in corpus.facts:
        table.add_row(fact.subject, fact.indicator, str(fact.year or "—"), fact.kind, fact.text, fact.unit, fact.source.section)
    write_line(render_table(table))
    return 0


def read_batch(path: Path) -> list[BatchQuestion]:
    """A JSONL batch file; a malformed line is one clear error naming the line."""
    if not path.is_file():
        raise InputError(f"batch file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path.name}: not UTF-8 text (byte {error.start}); save it as UTF-8") from error
    questions = []
    for number, line in jsonl_lines(text):
        try:
            questions.append(BatchQuestion.model_validate_json(line))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            field = f"{where}: " if where else ""
            raise InputError(f"{path.name} line {number}: {field}{first['msg']}") from error
    return questions


def command_build(args: argparse.Namespace) -> int:
    """Build the index atomically from the corpus, with progress."""
    from assistant.index.build import build_index

    config = settings(corpus_dir=args.corpus, index_dir=args.index)
    manifest = build_index(config.corpus_dir, config.index_dir, model=config.model, cache_dir=config.model_cache, progress=True)
    write_line(
        f"built {config.index_dir}: {manifest.chunk_count} chunks, {manifest.fact_count} facts, "
        f"{len(manifest.documents)} plan(s), model {manifest.model}, {manifest.build_seconds:.1f} s"
    )
    return 0


def command_check(args: argparse.Namespace) -> int:
    """Exit 0 when the index exists, matches the corpus and model (used by ``make run``) and every
    file still has the checksum the build recorded."""
    from assistant.index.store import IndexStore, checked_corpus

    config = settings(corpus_dir=args.corpus, index_dir=args.index)
    corpus = checked_corpus(config)
    IndexStore.load(config.index_dir, corpus_dir=corpus, model=config.model, verify_checksums=True)
    write_line(f"index {config.index_dir} is up to date with the corpus {corpus}")
    return 0


def _load_assistant(args: argparse.Namespace):
    from assistant.engine.assistant import Assistant

    return Assistant.load(args.index, args.corpus)


def _print_answer(answer: Answer) -> None:
    write_line(answer.answer)
    if answer.reason:
        write_line(f"（{answer.reason}）")
    sources = [*(f.source for f in answer.figures if f.source), *answer.citations]
    seen: set[tuple[str, int, int]] = set()
    number = 0
    for source in sources:
        key = (source.doc, source.start, source.end)
        if key in seen:
            continue
        seen.add(key)
        number += 1
        quote = source.quote.replace("\n", " ")
        write_line(f"  [{number}] {source.section} — {quote[:120]}")


def command_ask(args: argparse.Namespace) -> int:
    """Answer one question (or a batch); the model loads once."""
    if args.batch is None and args.question is None:
        raise InputError("give a QUESTION or --batch FILE.jsonl")
    if args.batch:
        questions = read_batch(args.batch)
    else:
        history = [_text_argument(item) or "" for item in args.history or []]
        questions = [BatchQuestion(id="q1", question=_text_argument(args.question) or "", history=history)]
    assistant = _load_assistant(args)
    for item in questions:
        answer = assistant.ask(item.question, item.history, question_id=item.id)
        if args.json or args.batch:
            write_line(escape_line_breaks(answer.model_dump_json()))
        else:
            _print_answer(answer)
    return 0


def command_search(args: argparse.Namespace) -> int:
    """Retrieval only: the best chunks with their spans."""
    from assistant.index.store import checked_corpus
    from assistant.retrieval.retriever import Retriever

    if args.k < 1:
        raise InputError("-k must be at least 1")
    if args.batch is None and args.question is None:
        raise InputError("give a QUESTION or --batch FILE.jsonl")
    questions = read_batch(args.batch) if args.batch else [BatchQuestion(id="q1", question=_text_argument(args.question) or "")]
    config = settings(corpus_dir=args.corpus, index_dir=args.index)
    retriever = Retriever.load(config.index_dir, corpus_dir=checked_corpus(config), cache_dir=config.model_cache, model=config.model)
    for item in questions:
        hits: list[SearchHit] = retriever.search(item.question, args.k)
        if args.batch:
            write_line(_json({"id": item.id, "hits": [hit.model_dump() for hit in hits]}))
        elif args.json:
            _print_json_lines(hit.model_dump() for hit in hits)
        else:
            for rank, hit in enumerate(hits, start=1):
                write_line(f"{rank}. [{hit.score:.4f}] {hit.section}\n   {hit.quote[:160].replace(chr(10), ' ')}")
    return 0


def _rounded(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def command_eval(args: argparse.Namespace) -> int:
    """Score the evaluation sets side by side (or one --gold file); write Markdown and JSON reports."""
    from assistant.evaluation.report import prepare_report_folder
    from assistant.evaluation.run import evaluate, evaluate_sets

    if args.gold is not None and not args.gold.is_file():
        raise InputError(f"gold file not found: {args.gold}")
    prepare_report_folder(args.reports)  # before the slow part: a wrong --reports fails at once
    assistant = _load_assistant(args)
    try:
        if args.gold is not None:
            runs = [(args.gold.stem, evaluate(assistant, args.gold, args.reports))]
        else:
            runs = [(r.set.name, r.run) for r in evaluate_sets(assistant, args.eval_dir, args.set, args.reports)]
    except ValueError as error:
        raise InputError(str(error)) from error
    for name, run in runs:
        metrics = run.metrics
        write_line(f"{name}: accuracy {metrics.accuracy:.3f} ({metrics.correct}/{metrics.items})")
        for kind in run.per_kind:
            write_line(f"  {kind.kind:<15} {kind.accuracy:.3f} ({kind.correct}/{kind.items})")
        write_line(
            f"  refusal precision {_rounded(metrics.refusal_precision)} recall {_rounded(metrics.refusal_recall)}; "
            f"citations verbatim {_rounded(metrics.citation_verbatim)}, at evidence {_rounded(metrics.citation_evidence)}; "
            f"recall@1 {_rounded(metrics.recall_at_1)} recall@5 {_rounded(metrics.recall_at_5)} MRR {_rounded(metrics.mrr)}; "
            f"latency p50 {_rounded(metrics.latency_p50_ms, 1)} ms p95 {_rounded(metrics.latency_p95_ms, 1)} ms"
        )
    write_line(f"report: {args.reports / 'latest.md'}")
    return 0


class OneLineParser(argparse.ArgumentParser):
    """Argument mistakes are one ``error:`` line and exit 2, like every other failure."""

    def error(self, message: str) -> NoReturn:
        self.exit(InputError.exit_code, f"error: {message} (see {self.prog.split()[0]} --help)\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("plan-assistant")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="plan-assistant", description="规划知识助手 — answers about development plans")
    parser.add_argument("--version", action="version", version=f"plan-assistant {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    facts = commands.add_parser("facts", help="print every structured figure")
    facts.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: corpus)")
    facts.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    facts.set_defaults(handler=command_facts)

    build = commands.add_parser("build", help="build the index from the corpus (atomic)")
    build.add_argument("--corpus", type=Path, default=None)
    build.add_argument("--index", type=Path, default=None)
    build.set_defaults(handler=command_build)

    check = commands.add_parser("check", help="is the index present and current?")
    check.add_argument("--corpus", type=Path, default=None)
    check.add_argument("--index", type=Path, default=None)
    check.set_defaults(handler=command_check)

    ask = commands.add_parser("ask", help="answer a question")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--index", type=Path, default=None)
    ask.add_argument("--corpus", type=Path, default=None)
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    ask.add_argument("--history", nargs="*", default=None, metavar="Q", help="earlier questions of the chat")
    ask.add_argument("--batch", type=Path, default=None, help="JSONL file of {id, question, history}")
    ask.set_defaults(handler=command_ask)

    search = commands.add_parser("search", help="retrieval only")
    search.add_argument("question", nargs="?")
    search.add_argument("--index", type=Path, default=None)
    search.add_argument("--corpus", type=Path, default=None)
    search.add_argument("--json", action="store_true")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--batch", type=Path, default=None)
    search.set_defaults(handler=command_search)

    evaluation = commands.add_parser("eval", help="score the evaluation sets side by side and write a report")
    evaluation.add_argument("--set", action="append", default=None, help="a set named in eval/sets.json (repeatable; default: all)")
    evaluation.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR, help="folder holding sets.json and the sets")
    evaluation.add_argument("--gold", type=Path, default=None, help="score this one JSONL file instead of the sets")
    evaluation.add_argument("--index", type=Path, default=None)
    evaluation.add_argument("--corpus", type=Path, default=None)
    evaluation.add_argument("--reports", type=Path, default=DEFAULT_REPORTS)
    evaluation.set_defaults(handler=command_eval)
    add_feedback_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; expected errors are one line and an exit code."""
    try:
        args = _parser().parse_args(argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        code = handler(args)
        _flush_stdout()  # inside the try: a full disk shows here when stdout is a file
        return code
    except BrokenPipeError:  # the reader went away (``| head -1``): stop quietly, as a Unix tool does
        _abandon_stdout()
        return BROKEN_PIPE_EXIT
    except AssistantError as error:
        if isinstance(error, OutputError):
            _abandon_stdout()
        _error_line(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        _error_line("interrupted")
        return INTERRUPTED_EXIT


def _error_line(message: str) -> None:
    try:
        print(f"error: {message}", file=sys.stderr, flush=True)
    except OSError:  # stderr gone as well: the exit code is all that is left
        pass
