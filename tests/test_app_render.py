"""Pure rendering of answers, sources and figure tables: escaping, highlighting, numbering, missing values."""

from __future__ import annotations

from assistant.app import render
from assistant.models import Answer, Fact, Figure, Span

TEXT = "前言\n园区概况：税收25亿元，注册企业1800家。\n附件\n表中<b>不是标签</b>"
DOC = "plan"


def span(quote: str, section: str = "附件 > 甲园") -> Span:
    start = TEXT.index(quote)
    return Span(doc=DOC, section=section, start=start, end=start + len(quote), quote=quote)


def fact(subject: str, indicator: str, value: float, text: str, unit: str, **extra) -> Fact:
    source = extra.pop("source", span("税收25亿元"))
    fields = {"year": 2020, "kind": "actual", "origin": "profile"} | extra
    return Fact(
        id=f"{subject}:{indicator}:{fields['year']}",
        doc=DOC,
        subject=subject,
        indicator=indicator,
        value=value,
        text=text,
        unit=unit,
        source=source,
        **fields,
    )


def answer(text: str, figures: list[Figure] | None = None, citations: list[Span] | None = None, **extra) -> Answer:
    fields = {"kind": "lookup", "confidence": 0.9} | extra
    return Answer(question="q", answer=text, figures=figures or [], citations=citations or [], **fields)


def test_script_in_question_and_answer_is_escaped() -> None:
    question = render.render_question("<script>alert(1)</script>")
    assert "<script>" not in question
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in question
    shown = render.render_answer(answer("规划中没有“<script>”", kind="refusal", refused=True), {DOC: TEXT})
    assert "<script>" not in shown
    assert "&lt;script&gt;" in shown


def test_markup_in_plan_text_is_escaped_in_sources() -> None:
    cited = span("表中<b>不是标签</b>", section="附件 <i>")
    shown = render.render_answer(answer("见原文", citations=[cited], kind="passage"), {DOC: TEXT})
    assert "<b>" not in shown and "<i>" not in shown
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in shown


def test_figures_are_marked_and_referenced_to_their_source() -> None:
    tax = Figure(subject="甲园", indicator="税收", year=2020, value=25, unit="亿元", text="25亿元", source=span("税收25亿元"))
    shown = render.render_answer(answer("甲园2020年税收为25亿元。", figures=[tax], citations=[tax.source]), {DOC: TEXT})
    assert '<mark class="pa-figure">25亿元</mark><sup class="pa-ref">[1]</sup>' in shown
    assert shown.count("<details") == 1  # the figure's source and the same citation are one source


def test_a_figure_is_not_marked_inside_a_longer_number() -> None:
    marked = render.highlight_figures("共125亿元，其中5亿元", {"5亿元": 2})
    assert marked == '共125亿元，其中<mark class="pa-figure">5亿元</mark><sup class="pa-ref">[2]</sup>'


def test_sources_are_numbered_in_order_with_the_cited_span_marked_in_context() -> None:
    first, second = span("税收25亿元"), span("注册企业1800家")
    shown = render.render_answer(answer("两处", citations=[first, second, first], kind="list"), {DOC: TEXT})
    assert shown.count("<details") == 2
    assert shown.index("[1]") < shown.index("[2]") and "[3]" not in shown
    assert '园区概况：<mark class="pa-cited">税收25亿元</mark>，注册企业1800家。' in shown
    assert "附件 &gt; 甲园" in shown


def test_answer_html_has_no_blank_line_for_markdown_to_break() -> None:
    table_quote = Span(doc="other", section="表2", start=0, end=12, quote="税收(亿元)\n\n67.09")
    shown = render.render_answer(answer("67.09亿元", citations=[table_quote]), {})
    assert "\n" not in shown
    assert "税收(亿元)<br>67.09" in shown


def test_long_question_is_shown_cut() -> None:
    shown = render.render_question("长" * 5000)
    assert "共5000字" in shown and len(shown) < 600


def test_profile_pivot_shows_missing_as_not_given_and_units_in_headers() -> None:
    facts = [
        fact("甲园", "税收", 25, "25亿元", "亿元"),
        fact("甲园", "从业人员", 2, "约2万人", "万人"),
        fact("乙园", "从业人员", 6800, "约6800人", "人"),
    ]
    table = render.profile_pivot(facts)
    assert table.headers == ["子园", "税收(亿元)", "从业人员(万人)"]
    assert table.rows == [["甲园", 25, 2], ["乙园", None, 0.68]]  # None sorts as empty, never as 0
    assert table.display == [["甲园", "25", "约2"], ["乙园", "未给出", "约0.68"]]
    assert table.fact_at("乙园", 2).text == "约6800人"
    assert table.fact_at("乙园", 1) is None


def test_bar_chart_shows_missing_as_not_given_not_zero() -> None:
    facts = [fact("甲园", "税收", 25, "25亿元", "亿元"), fact("乙园", "注册企业", 10, "10家", "家")]
    unit, bars = render.profile_bars(facts, "税收")
    assert unit == "亿元"
    assert [(bar.label, bar.value) for bar in bars] == [("甲园", 25.0), ("乙园", None)]
    chart = render.bar_chart_html("税收(亿元)", bars)
    assert '<span class="pa-bar-missing">未给出</span>' in chart
    assert chart.count('class="pa-bar"') == 1 and "width:0" not in chart


def test_indicator_table_computes_growth_and_keeps_remarks() -> None:
    facts = [
        fact("园区", "税收", 67.09, "67.09", "亿元", origin="table2"),
        fact("园区", "税收", 81.63, "81.630", "亿元", origin="table2", year=2025, kind="target", note="按年均增速4%测算"),
        fact("园区", "从业人员", 6.52, "6.52", "万人", origin="table2"),
    ]
    table = render.indicator_table(facts)
    assert table.headers == ["指标", "单位", "2020年", "2025年", "2020–2025年增长(%)", "备注"]
    assert table.rows[0] == ["税收", "亿元", 67.09, 81.63, 21.67, "按年均增速4%测算"]
    assert table.display[1] == ["从业人员", "万人", "6.52", "未给出", "未给出", ""]
    assert table.display[0][3] == "81.630"  # the plan's own string, beside the sortable number
    assert table.fact_at("税收", 3).kind == "target"


def test_fact_source_names_section_and_marks_quote() -> None:
    shown = render.render_fact_source(fact("甲园", "税收", 25, "25亿元", "亿元"), {DOC: TEXT})
    assert "附件 &gt; 甲园" in shown and '<mark class="pa-cited">税收25亿元</mark>' in shown
    assert "点击" in render.render_fact_source(None, {})


def test_context_width_and_no_ellipsis_for_indentation_alone() -> None:
    text = "　　甲园税收25亿元，注册企业1800家。"
    quote = "甲园税收25亿元，"
    start = text.index(quote)
    assert render.span_context(text, start, start + len(quote), 0) == ("", quote, "…")
    cited = Span(doc=DOC, start=start, end=start + len(quote), quote=quote)
    assert render.render_quote(cited, {DOC: text}, width=2) == f'　　<mark class="pa-cited">{quote}</mark>注册…'


def test_plan_section_marks_a_span_where_a_paragraph_holds_it() -> None:
    from pathlib import Path

    from assistant.plan import PlanCorpus

    document = PlanCorpus.load(Path(__file__).parent / "data" / "other_plan").documents[0]
    paragraph = next(p for p in document.paragraphs if "专利申请3120件" in p.text)
    section = next(s for s in document.sections if s.path == paragraph.section)
    start = document.text.index("专利申请3120件")
    shown = render.render_section(document, section, (start, start + len("专利申请3120件")))
    assert '<mark class="pa-cited">专利申请3120件</mark>' in shown and shown.count("<mark") == 1
    assert "<mark" not in render.render_section(document, section)
    assert render.section_keys([document])[(document.doc, section.label)] == render.section_key(document, section)
