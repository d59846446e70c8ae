"""The scorer over a tiny hand-made corpus, where every expected metric is computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.gold import GoldItem
from assistant.evaluation.report import write_report
from assistant.evaluation.scorer import (
    RunScore,
    evidence_rank,
    locate_evidence,
    percentile,
    score_answer,
    score_run,
    term_share,
)
from assistant.models import Answer, Figure, SearchHit, Span

DOC = (
    "表2 税收(亿元) 2020年 67.09 2025年 81.63\n"
    "西区:员工总数约1.5万人,税收8.1亿元。\n"
    "北区:员工总数约2万人,税收25亿元。\n"
    "园区坚持创新驱动、人才优先、开放合作、绿色发展、数字转型。\n"
)
CORPUS = {"plan": DOC}


def span(quote: str, doc: str = "plan") -> Span:
    start = CORPUS[doc].index(quote)
    return Span(doc=doc, start=start, end=start + len(quote), quote=quote)


def answer(text: str, *cites: Span, refused: bool = False, figures: list[Figure] | None = None) -> Answer:
    return Answer(
        question="q",
        answer=text,
        kind="refusal" if refused else "lookup",
        refused=refused,
        citations=list(cites),
        figures=figures or [],
        confidence=0.5,
    )


def hit(quote: str) -> SearchHit:
    s = span(quote)
    return SearchHit(chunk_id=quote, doc=s.doc, section="", start=s.start, end=s.end, quote=quote, score=1.0)


def gold(kind: str, **fields: object) -> GoldItem:
    return GoldItem.model_validate({"id": fields.pop("id", kind), "kind": kind, "question": "q", "expected": "e", **fields})


TAX = gold("table_lookup", numbers=["81.63亿元"], evidence=["2025年 81.63"])
WEST_STAFF = gold("subpark_lookup", numbers=["约1.5万人"], terms=["西区"], evidence=["员工总数约1.5万人"])
TAX_RISE = gold("compute", numbers=["67.09亿元", "81.63亿元"], result="14.54亿元", tolerance=0.01)
LARGER_TAX = gold("compare", numbers=["25亿元"], terms=["北区", "西区"])
PRINCIPLES = gold("list", terms=["创新驱动", "人才优先", "开放合作", "绿色发展", "数字转型"])
FOREIGN = gold("refuse", refuse=True)


@pytest.mark.parametrize(
    ("item", "given"),
    [
        (TAX, answer("2025年税收预计为81.63亿元。", span("2025年 81.63"))),
        (TAX, answer("2025年税收预计为81.63（亿元）。")),
        (TAX, answer("表2中2025年税收一栏为81.63。")),
        (WEST_STAFF, answer("西区员工总数约1.5万人。")),
        (WEST_STAFF, answer("西区员工总数15000人。")),
        (TAX_RISE, answer("税收将增加14.54亿元。")),
        (TAX_RISE, answer("税收将增加约14.545亿元。")),
        (LARGER_TAX, answer("北区税收25亿元,高于西区的8.1亿元。")),
        (PRINCIPLES, answer("坚持创新驱动、人才优先、开放合作、绿色发展。")),
        (FOREIGN, answer("规划没有提到这一点。", refused=True)),
    ],
)
def test_correct_answers_pass(item: GoldItem, given: Answer) -> None:
    score = score_answer(item, given, CORPUS)
    assert score.correct, score.why


@pytest.mark.parametrize(
    ("item", "given", "why"),
    [
        (TAX, answer("2025年税收预计为67.09亿元。"), "figure 81.63亿元 not stated"),
        (TAX, answer("2025年税收预计为81.63万元。"), "figure 81.63亿元 not stated"),
        (
            TAX,
            answer("请见表2。", span("2025年 81.63")),
            "figure 81.63亿元 only in a citation quote",
        ),
        (WEST_STAFF, answer("北区员工总数约1.5万人。"), "subject 西区 not named"),
        (TAX_RISE, answer("税收将增加14.6亿元。"), "figure 14.54亿元 not stated"),
        (TAX_RISE, answer("增加额为81.63-67.09=14.54。"), "figure 14.54亿元 not stated"),
        (LARGER_TAX, answer("西区税收8.1亿元,较高。"), "figure 25亿元 not stated"),
        (LARGER_TAX, answer("税收较高的是25亿元那个园区。"), "subject 北区 not named"),
        (PRINCIPLES, answer("坚持创新驱动、人才优先、开放合作。"), "terms 60% < 80%"),
        (TAX, answer("规划没有提到这一点。", refused=True), "refused although"),
        (FOREIGN, answer("规划提到的数额是25亿元。"), "a refusal was expected"),
    ],
)
def test_wrong_answers_fail_with_a_reason(item: GoldItem, given: Answer, why: str) -> None:
    score = score_answer(item, given, CORPUS)
    assert not score.correct
    assert any(why in reason for reason in score.why), score.why


def test_compute_items_need_only_the_result() -> None:
    score = score_answer(TAX_RISE, answer("增加14.54亿元。"), CORPUS)
    assert score.correct
    assert score.figures_expected == ["14.54亿元"]


def test_term_share_folds_width_spaces_and_quote_style() -> None:
    share, missing = term_share(["“G60”科创走廊", "ABC", "缺失"], 'Ｇ６０ 的"G60"科创走廊 abc')
    assert share == pytest.approx(2 / 3)
    assert missing == ["缺失"]


def test_locate_evidence_finds_every_occurrence() -> None:
    corpus = {"a": "税收税收", "b": "无"}
    assert [(s.doc, s.start, s.end) for s in locate_evidence(["税收", ""], corpus)] == [
        ("a", 0, 2),
        ("a", 2, 4),
    ]


def test_citation_details_of_one_item() -> None:
    shifted = span("约1.5万人").model_copy(update={"start": 0, "end": 6})
    source = Figure(
        subject="西区",
        indicator="员工",
        year=2020,
        value=15000,
        unit="人",
        text="约1.5万人",
        source=span("约1.5万人"),
    )
    score = score_answer(WEST_STAFF, answer("西区约1.5万人。", shifted, figures=[source]), CORPUS)
    assert (score.citations, score.citations_verbatim, score.cites_evidence) == (2, 1, True)


def test_evidence_rank_is_first_overlapping_hit() -> None:
    evidence = [span("税收25亿元")]
    assert evidence_rank([hit("西区"), hit("25亿元。"), hit("北区:员工")], evidence) == 2
    assert evidence_rank([hit("西区")], evidence) == 0


def test_percentile_interpolates_linearly() -> None:
    assert percentile([400, 100, 300, 1000, 200], 0.5) == 300
    assert percentile([100, 200, 300, 400, 1000], 0.95) == pytest.approx(880)
    assert percentile([], 0.5) is None


def hand_made_run() -> RunScore:
    """Five items and one unanswered; the expected metrics are worked out in the test below."""
    items = [
        gold("table_lookup", id="A", numbers=["81.63亿元"], evidence=["2025年 81.63"]),
        gold("subpark_lookup", id="B", numbers=["约2万人"], terms=["北区"], evidence=["员工总数约2万人"]),
        gold("refuse", id="C", refuse=True),
        gold("text_fact", id="D", terms=["绿色发展"], evidence=["绿色发展"]),
        gold("refuse", id="E", refuse=True),
        gold("list", id="F", terms=["创新驱动"], evidence=["不在语料中的句子"]),
    ]
    answers = {
        "A": answer("2025年税收81.63亿元。", span("2025年 81.63")),
        "B": answer(
            "西区员工总数约2万人。",
            span("员工总数约1.5万人"),
            span("北区").model_copy(update={"start": 0, "end": 2}),
        ),
        "C": answer("规划未提及。", refused=True),
        "D": answer("规划未提及。", refused=True),
        "E": answer("约2万人。"),
    }
    hits = {
        "A": [hit("2025年 81.63"), hit("西区")],
        "B": [hit("西区:员工"), hit("税收8.1亿元"), hit("北区:员工总数")],
        "D": [hit("西区")],
    }
    latencies = {"A": 100.0, "B": 200.0, "C": 300.0, "D": 400.0, "E": 1000.0}
    return score_run(items, answers, CORPUS, hits, latencies)


def test_run_metrics_match_hand_computation() -> None:
    run = hand_made_run()
    m = run.metrics
    # Correct: A and C; wrong: B (wrong sub-park), D (refused), E (answered), F (no answer).
    assert (m.items, m.correct, m.accuracy) == (6, 2, pytest.approx(2 / 6))
    # Refused: C, D; expected refusals: C, E; both sets share only C.
    assert (m.refusal_precision, m.refusal_recall) == (0.5, 0.5)
    # Quotes: A's one is verbatim, B's first is, B's second has shifted offsets: 2 of 3.
    assert (m.citations, m.citation_verbatim) == (3, pytest.approx(2 / 3))
    # Judged (non-refuse, evidence found): A cites it, B cites the other sub-park, D cites nothing.
    assert m.citation_evidence == pytest.approx(1 / 3)
    # Ranks: A 1, B 3, D 0 (miss); F's evidence is not in the corpus, so F is not judged.
    assert [s.retrieval_rank for s in run.items] == [1, 3, None, 0, None, None]
    assert m.retrieval_items == 3
    assert (m.recall_at_1, m.recall_at_5) == (pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert m.mrr == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert (m.latency_p50_ms, m.latency_p95_ms) == (300, pytest.approx(880))
    # Term share over term-judged kinds: D's refusal and F's missing answer state no term.
    assert m.term_share == 0.0
    assert {k.kind: (k.items, k.correct) for k in run.per_kind} == {
        "list": (1, 0),
        "refuse": (2, 1),
        "subpark_lookup": (1, 0),
        "table_lookup": (1, 1),
        "text_fact": (1, 0),
    }
    assert [f.id for f in run.failures] == ["B", "D", "E", "F"]
    assert run.failures[-1].why == "no answer"
    assert run.gold_problems == ["F: evidence not in corpus: 不在语料中的句子"]


def test_report_is_written_atomically_and_round_trips(tmp_path: Path) -> None:
    run = hand_made_run()
    markdown, data = write_report(run, tmp_path / "eval")
    assert RunScore.model_validate(json.loads(data.read_text(encoding="utf-8"))) == run
    text = markdown.read_text(encoding="utf-8")
    assert "| accuracy | 33.3% |" in text
    assert "| refusal precision | 50.0% |" in text
    assert "### B (subpark_lookup)" in text
    assert "subject 北区 not named" in text
    written = sorted(path.name for path in (tmp_path / "eval").iterdir())
    assert written == ["latest.json", "latest.md"]
