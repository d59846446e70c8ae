"""Write a scored run as ``latest.md`` (for people) and ``latest.json`` (for tools).

Both files are replaced atomically, so a reader never sees half a report. A report folder that
cannot be written (a file, under a file, read-only, a full disk) is one :class:`OutputError` line.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from assistant.errors import OutputError
from assistant.evaluation.scorer import RunScore
from assistant.evaluation.sets import SetResult, halves

MARKDOWN_NAME = "latest.md"
JSON_NAME = "latest.json"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _number(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _cell(text: str) -> str:
    """Table-safe text: no pipes breaking the columns, no line breaks."""
    return " ".join(text.replace("|", "\\|").split())


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return lines


def render_markdown(run: RunScore) -> str:
    """Overall, per kind, refusal, citations, retrieval, latency, then each failure."""
    m = run.metrics
    lines = ["# Evaluation report", "", "## Overall", ""]
    lines += _table(
        ("metric", "value"),
        [
            ("items", str(m.items)),
            ("correct", str(m.correct)),
            ("accuracy", _percent(m.accuracy)),
            ("mean term share (term-judged kinds)", _percent(m.term_share)),
        ],
    )
    lines += ["", "## Per kind", ""]
    lines += _table(
        ("kind", "items", "correct", "accuracy"),
        [(k.kind, str(k.items), str(k.correct), _percent(k.accuracy)) for k in run.per_kind],
    )
    lines += ["", "## Refusal, citations, retrieval", ""]
    lines += _table(
        ("metric", "value"),
        [
            ("refusal precision", _percent(m.refusal_precision)),
            ("refusal recall", _percent(m.refusal_recall)),
            (f"verbatim citations (of {m.citations})", _percent(m.citation_verbatim)),
            ("items citing their evidence", _percent(m.citation_evidence)),
            (f"recall@1 (of {m.retrieval_items})", _percent(m.recall_at_1)),
            ("recall@5", _percent(m.recall_at_5)),
            ("MRR", _number(m.mrr)),
        ],
    )
    lines += ["", "## Latency", ""]
    lines += _table(
        ("p50 ms", "p95 ms"),
        [(_number(m.latency_p50_ms, 1), _number(m.latency_p95_ms, 1))],
    )
    lines += ["", f"## Failures ({len(run.failures)})", ""]
    for failure in run.failures:
        lines += [
            f"### {failure.id} ({failure.kind})",
            "",
            f"- question: {_cell(failure.question)}",
            f"- expected: {_cell(failure.expected)}",
            f"- got: {_cell(failure.got) or '(no answer)'}",
            f"- why: {_cell(failure.why)}",
            "",
        ]
    if run.gold_problems:
        lines += ["## Gold problems", "", *(f"- {_cell(problem)}" for problem in run.gold_problems)]
    return "\n".join(lines).rstrip() + "\n"


def _accuracy(run: RunScore | None, kind: str | None = None) -> str:
    if run is None:
        return "—"
    if kind is None:
        return f"{run.metrics.accuracy:.1%} ({run.metrics.correct}/{run.metrics.items})"
    score = next((k for k in run.per_kind if k.kind == kind), None)
    return "—" if score is None else f"{score.accuracy:.0%} ({score.correct}/{score.items})"


def render_comparison(results: list[SetResult]) -> str:
    """Every set side by side — role, first contact, now, halves, refusals, citations, latency —
    then accuracy by kind across sets, then each set's own report."""
    lines = [
        "# Evaluation report",
        "",
        "Blind sets were written by someone who read only the plan; their figures are the ones to quote.",
        "",
    ]
    lines += ["## Sets side by side", ""]
    rows = []
    for r in results:
        before = {h.half: h for h in halves(r.first_contact, r.set.dev_half)} if r.first_contact else {}
        split = (
            "; ".join(
                f"{h.half} {h.correct}/{h.items}" + (f" (first contact {before[h.half].correct})" if h.half in before else "")
                for h in r.halves
            )
            or "—"
        )
        m = r.run.metrics
        rows.append(
            (
                r.set.name,
                r.set.role,
                _accuracy(r.first_contact),
                _accuracy(r.run),
                split,
                f"{_percent(m.refusal_precision)} / {_percent(m.refusal_recall)}",
                _percent(m.citation_evidence),
                f"{_number(m.latency_p50_ms, 1)} / {_number(m.latency_p95_ms, 1)}",
            )
        )
    lines += _table(
        ("set", "role", "first contact", "now", "halves (dev inspected, test never)", "refusal P / R", "cites evidence", "p50 / p95 ms"),
        rows,
    )
    lines += ["", *(f"- **{r.set.name}**: {r.set.note}" for r in results if r.set.note)]
    kinds = sorted({k.kind for r in results for k in r.run.per_kind})
    lines += ["", "## Accuracy by kind (now; first contact in brackets)", ""]
    lines += _table(
        ("kind", *(r.set.name for r in results)),
        [
            (
                kind,
                *(
                    f"{_accuracy(r.run, kind)} [{_accuracy(r.first_contact, kind)}]" if r.first_contact else _accuracy(r.run, kind)
                    for r in results
                ),
            )
            for kind in kinds
        ],
    )
    for r in results:
        body = render_markdown(r.run).split("\n", 1)[1]
        lines += ["", f"# Set: {r.set.name}", body.replace("\n## ", "\n### ")]
    return "\n".join(lines).rstrip() + "\n"


def write_comparison(results: list[SetResult], out_dir: Path) -> tuple[Path, Path]:
    """Write the side-by-side ``latest.md`` and ``latest.json`` (one entry per set)."""
    out_dir = prepare_report_folder(out_dir)
    markdown, data = out_dir / MARKDOWN_NAME, out_dir / JSON_NAME
    payload = "[\n" + ",\n".join(r.model_dump_json(indent=2) for r in results) + "\n]\n"
    try:
        _write_atomic(data, payload)
        _write_atomic(markdown, render_comparison(results))
    except OSError as error:
        raise OutputError(f"cannot write the report to {out_dir}: {_reason(error)}") from error
    return markdown, data


def _write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def prepare_report_folder(out_dir: Path) -> Path:
    """Create ``out_dir`` if needed and prove a file can be written there, so that a wrong folder
    fails before a run of several minutes rather than after it."""
    out_dir = Path(out_dir)
    blocker = next((path for path in (out_dir, *out_dir.parents) if path.exists() and not path.is_dir()), None)
    if blocker is not None:
        where = "it is a file" if blocker == out_dir else f"{blocker} is a file"
        raise OutputError(f"cannot write the report to {out_dir}: {where}, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir, prefix=".write-test-"):
            pass
    except OSError as error:
        raise OutputError(f"cannot write the report to {out_dir}: {_reason(error)}") from error
    return out_dir


def write_report(run: RunScore, out_dir: Path) -> tuple[Path, Path]:
    """Write ``latest.md`` and ``latest.json`` into ``out_dir``; return their paths."""
    out_dir = prepare_report_folder(out_dir)
    markdown, data = out_dir / MARKDOWN_NAME, out_dir / JSON_NAME
    try:
        _write_atomic(data, run.model_dump_json(indent=2) + "\n")
        _write_atomic(markdown, render_markdown(run))
    except OSError as error:
        raise OutputError(f"cannot write the report to {out_dir}: {_reason(error)}") from error
    return markdown, data


def _reason(error: OSError) -> str:
    """The OS's reason without the path (the message names the folder once)."""
    if error.strerror:
        return error.strerror
    return (str(error).strip() or type(error).__name__).splitlines()[0]
