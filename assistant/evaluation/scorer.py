"""Score answers against gold records: pure functions over plain data, no I/O.

An item is correct when the answer holds what the gold record asks for:

* refusal: a ``refuse`` item is correct iff the answer refused; any other item is wrong when the
  answer refused;
* figures: each of ``numbers`` (except for ``compute`` items, whose inputs may go unstated) and
  ``result`` (within ``tolerance``) is stated in the answer text itself; a figure that only a
  citation quote holds was not told to the user;
* subject: for ``subpark_lookup`` and ``compare`` the first of ``terms`` (the sub-park, or the
  winner) appears in the answer, so the right number for the wrong subject fails;
* terms: for kinds other than the numeric ones, at least ``TERM_PASS_SHARE`` of ``terms`` appear
  (with four terms or fewer, that is all of them).

Citation and retrieval quality are measured, not required: they are run metrics.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from pydantic import Field

from assistant.evaluation.gold import GoldItem
from assistant.models import Answer, SearchHit, Span, Strict
from assistant.quantities import find_match, parse_quantity

NUMERIC_KINDS = frozenset({"table_lookup", "subpark_lookup", "compare", "compute"})
SUBJECT_KINDS = frozenset({"subpark_lookup", "compare"})
TERM_PASS_SHARE = 0.8
RECALL_DEPTH = 5
_QUOTE_MARKS = dict.fromkeys(map(ord, "\"'“”‘’「」『』"), None)


class ItemScore(Strict):
    """How one answer fared against its gold record."""

    id: str
    kind: str
    question: str
    expected: str
    got: str = Field(description="the answer text; empty when no answer was given")
    correct: bool
    refused: bool
    refuse_expected: bool
    figures_expected: list[str] = Field(default_factory=list)
    figures_missing: list[str] = Field(default_factory=list)
    term_share: float | None = Field(default=None, description="share of gold terms stated")
    terms_missing: list[str] = Field(default_factory=list)
    citations: int = Field(default=0, description="citation quotes and figure sources given")
    citations_verbatim: int = 0
    cites_evidence: bool | None = Field(default=None, description="a citation overlaps an evidence span; None when not judged")
    retrieval_rank: int | None = Field(
        default=None,
        description="1-based rank of the first hit overlapping evidence, 0 if none; None: not run",
    )
    latency_ms: float | None = None
    why: list[str] = Field(default_factory=list)


class KindScore(Strict):
    """Accuracy over the items of one gold kind."""

    kind: str
    items: int
    correct: int
    accuracy: float


class RunMetrics(Strict):
    """Named metrics of a run; None where the run holds nothing to measure."""

    items: int
    correct: int
    accuracy: float
    term_share: float | None = Field(description="mean share of terms, over term-judged items")
    refusal_precision: float | None
    refusal_recall: float | None
    citations: int
    citation_verbatim: float | None = Field(description="share of quotes equal to the corpus")
    citation_evidence: float | None = Field(description="share of items citing their evidence")
    retrieval_items: int
    recall_at_1: float | None
    recall_at_5: float | None
    mrr: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None


class Failure(Strict):
    """A wrong answer, as a reader of the report needs it."""

    id: str
    kind: str
    question: str
    expected: str
    got: str
    why: str


class RunScore(Strict):
    """A scored run: metrics, per-kind accuracy, every item, the failures, and gold problems."""

    metrics: RunMetrics
    per_kind: list[KindScore]
    items: list[ItemScore]
    failures: list[Failure]
    gold_problems: list[str] = Field(default_factory=list, description="evidence quotes not found in the corpus")


def normalise_term(text: str) -> str:
    """Fold width (NFKC), case, whitespace and quote style, so “G60” and "Ｇ60" compare equal."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTE_MARKS)
    return "".join(folded.split())


def term_share(terms: Sequence[str], text: str) -> tuple[float, list[str]]:
    """Share of ``terms`` found in ``text`` after normalisation, and the terms missing."""
    haystack = normalise_term(text)
    missing = [term for term in terms if normalise_term(term) not in haystack]
    return (1.0 - len(missing) / len(terms)) if terms else 1.0, missing


def states_figure(figure: str, text: str, tolerance: float = 0.0, allow_bare: bool = True) -> bool:
    """True when ``text`` states the gold ``figure`` (see ``quantities_match``).

    A gold figure that is not one readable quantity ("2021年12月21日") is looked for as
    normalised text.
    """
    expected = parse_quantity(figure)
    if expected is None:
        return normalise_term(figure) in normalise_term(text)
    return find_match(expected, text, tolerance, allow_bare) is not None


def locate_evidence(quotes: Iterable[str], corpus: Mapping[str, str]) -> list[Span]:
    """Every occurrence of every evidence quote in the corpus documents."""
    spans: list[Span] = []
    for quote in filter(None, quotes):
        for doc, text in corpus.items():
            start = text.find(quote)
            while start >= 0:
                spans.append(Span(doc=doc, start=start, end=start + len(quote), quote=quote))
                start = text.find(quote, start + 1)
    return spans


def is_verbatim(span: Span, corpus: Mapping[str, str]) -> bool:
    """The quote is exactly the corpus characters its offsets name."""
    text = corpus.get(span.doc)
    return text is not None and span.end <= len(text) and text[span.start : span.end] == span.quote


def overlaps(doc: str, start: int, end: int, spans: Iterable[Span]) -> bool:
    """The range ``doc[start:end]`` shares at least one character with one of ``spans``."""
    return any(span.doc == doc and start < span.end and span.start < end for span in spans)


def cited_spans(answer: Answer) -> list[Span]:
    """Citations plus the sources of the answer's figures: everything it points the user to."""
    return [*answer.citations, *(figure.source for figure in answer.figures if figure.source)]


def evidence_rank(hits: Sequence[SearchHit], evidence: Sequence[Span]) -> int:
    """1-based rank of the first hit overlapping an evidence span; 0 when none does."""
    ranks = (rank for rank, hit in enumerate(hits, 1) if overlaps(hit.doc, hit.start, hit.end, evidence))
    return next(ranks, 0)


def _required_figures(item: GoldItem) -> list[tuple[str, float, bool]]:
    """(figure, tolerance, bare allowed) for ``numbers`` unless computing, and for ``result``.

    A computed result is the assistant's own sentence, so it must carry its unit.
    """
    stated = [] if item.kind == "compute" else [(figure, 0.0, True) for figure in item.numbers]
    return stated + ([(item.result, item.tolerance, False)] if item.result is not None else [])


def _missing_figures(item: GoldItem, answer: Answer) -> dict[str, str]:
    """Each required figure the answer text does not state, with where it is instead."""
    quoted = " ".join(span.quote for span in cited_spans(answer))
    missing: dict[str, str] = {}
    for figure, tolerance, bare in _required_figures(item):
        if not states_figure(figure, answer.answer, tolerance, bare):
            quoted_only = states_figure(figure, quoted, tolerance, bare)
            missing[figure] = "only in a citation quote" if quoted_only else "not stated"
    return missing


def _reasons(
    item: GoldItem,
    answer: Answer,
    missing_figures: Mapping[str, str],
    share: float | None,
    missing_terms: Sequence[str],
) -> list[str]:
    """Why the answer is wrong; empty when it is correct."""
    if item.refuse:
        refusal = "answered although the plan does not say; a refusal was expected"
        return [] if answer.refused else [refusal]
    if answer.refused:
        return [f"refused although the plan answers it ({answer.reason or 'no reason given'})"]
    why = [f"figure {figure} {where}" for figure, where in missing_figures.items()]
    if item.kind in SUBJECT_KINDS and item.terms and item.terms[0] in missing_terms:
        why.append(f"subject {item.terms[0]} not named")
    if item.kind not in NUMERIC_KINDS and share is not None and share < TERM_PASS_SHARE:
        why.append(f"terms {share:.0%} < {TERM_PASS_SHARE:.0%}; missing {'、'.join(missing_terms)}")
    return why


def _cites_evidence(item: GoldItem, spans: Sequence[Span], evidence: Sequence[Span]) -> bool | None:
    """Whether a cited span overlaps the evidence; None for refuse items or unfound evidence."""
    if item.refuse or not evidence:
        return None
    return any(overlaps(span.doc, span.start, span.end, evidence) for span in spans)


def score_answer(item: GoldItem, answer: Answer, corpus: Mapping[str, str]) -> ItemScore:
    """Score one answer: correctness with reasons, plus its citation details."""
    checked = not item.refuse and not answer.refused
    missing = _missing_figures(item, answer) if checked else {}
    share, missing_terms = term_share(item.terms, answer.answer) if item.terms else (None, [])
    spans = cited_spans(answer)
    why = _reasons(item, answer, missing, share, missing_terms)
    return ItemScore(
        id=item.id,
        kind=item.kind,
        question=item.question,
        expected=item.expected,
        got=answer.answer,
        correct=not why,
        refused=answer.refused,
        refuse_expected=item.refuse,
        figures_expected=[figure for figure, _, _ in _required_figures(item)],
        figures_missing=list(missing),
        term_share=share,
        terms_missing=missing_terms,
        citations=len(spans),
        citations_verbatim=sum(is_verbatim(span, corpus) for span in spans),
        cites_evidence=_cites_evidence(item, spans, locate_evidence(item.evidence, corpus)),
        why=why,
    )


def _unanswered(item: GoldItem, corpus: Mapping[str, str]) -> ItemScore:
    """A gold item the run gave no answer for: wrong, and citing nothing."""
    return ItemScore(
        id=item.id,
        kind=item.kind,
        question=item.question,
        expected=item.expected,
        got="",
        correct=False,
        refused=False,
        refuse_expected=item.refuse,
        term_share=0.0 if item.terms else None,
        terms_missing=list(item.terms),
        cites_evidence=_cites_evidence(item, [], locate_evidence(item.evidence, corpus)),
        why=["no answer"],
    )


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _metrics(scores: Sequence[ItemScore], latencies: Sequence[float]) -> RunMetrics:
    correct = sum(score.correct for score in scores)
    refused = [score for score in scores if score.refused]
    expected_refusals = [score for score in scores if score.refuse_expected]
    hits = sum(score.refused and score.refuse_expected for score in scores)
    judged_terms = [
        score.term_share
        for score in scores
        if score.term_share is not None and score.kind not in NUMERIC_KINDS and not score.refuse_expected
    ]
    citing = [score.cites_evidence for score in scores if score.cites_evidence is not None]
    ranks = [score.retrieval_rank for score in scores if score.retrieval_rank is not None]
    citations = sum(score.citations for score in scores)
    return RunMetrics(
        items=len(scores),
        correct=correct,
        accuracy=correct / len(scores) if scores else 0.0,
        term_share=_mean(judged_terms),
        refusal_precision=_share(hits, len(refused)),
        refusal_recall=_share(hits, len(expected_refusals)),
        citations=citations,
        citation_verbatim=_share(sum(score.citations_verbatim for score in scores), citations),
        citation_evidence=_share(sum(citing), len(citing)),
        retrieval_items=len(ranks),
        recall_at_1=_share(sum(rank == 1 for rank in ranks), len(ranks)),
        recall_at_5=_share(sum(0 < rank <= RECALL_DEPTH for rank in ranks), len(ranks)),
        mrr=_mean([1 / rank if rank else 0.0 for rank in ranks]),
        latency_p50_ms=percentile(latencies, 0.50),
        latency_p95_ms=percentile(latencies, 0.95),
    )


def _per_kind(scores: Sequence[ItemScore]) -> list[KindScore]:
    kinds = sorted({score.kind for score in scores})
    result: list[KindScore] = []
    for kind in kinds:
        of_kind = [score for score in scores if score.kind == kind]
        correct = sum(score.correct for score in of_kind)
        accuracy = correct / len(of_kind)
        result.append(KindScore(kind=kind, items=len(of_kind), correct=correct, accuracy=accuracy))
    return result


def score_run(
    items: Sequence[GoldItem],
    answers: Mapping[str, Answer],
    corpus: Mapping[str, str],
    hits_by_id: Mapping[str, Sequence[SearchHit]] | None = None,
    latencies_ms: Mapping[str, float] | None = None,
) -> RunScore:
    """Score every gold item against ``answers`` (keyed by gold id; a missing one is wrong).

    With ``hits_by_id``, items whose evidence is found in the corpus get a retrieval rank (an
    item absent from ``hits_by_id`` ranks 0). Latency percentiles use the gold items' entries.
    """
    scores: list[ItemScore] = []
    problems: list[str] = []
    for item in items:
        answer = answers.get(item.id)
        if answer is None:
            score = _unanswered(item, corpus)
        else:
            score = score_answer(item, answer, corpus)
        evidence = locate_evidence(item.evidence, corpus)
        problems.extend(
            f"{item.id}: evidence not in corpus: {quote}" for quote in item.evidence if not any(span.quote == quote for span in evidence)
        )
        update: dict[str, object] = {}
        if hits_by_id is not None and evidence:
            update["retrieval_rank"] = evidence_rank(hits_by_id.get(item.id, []), evidence)
        if latencies_ms is not None and item.id in latencies_ms:
            update["latency_ms"] = latencies_ms[item.id]
        scores.append(score.model_copy(update=update))
    latencies = [score.latency_ms for score in scores if score.latency_ms is not None]
    failures = [
        Failure(
            id=score.id,
            kind=score.kind,
            question=score.question,
            expected=score.expected,
            got=score.got,
            why="; ".join(score.why),
        )
        for score in scores
        if not score.correct
    ]
    return RunScore(
        metrics=_metrics(scores, latencies),
        per_kind=_per_kind(scores),
        items=scores,
        failures=failures,
        gold_problems=problems,
    )
