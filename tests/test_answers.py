"""The answer engine on the real plan: every operation, every refusal reason, follow-ups, sources."""

from __future__ import annotations

import pytest

from assistant.models import Answer


def verbatim(assistant, answer: Answer) -> None:
    for span in [*answer.citations, *(f.source for f in answer.figures if f.source)]:
        assert assistant.texts[span.doc][span.start : span.end] == span.quote


def ask(assistant, question: str, history: list[str] | None = None) -> Answer:
    answer = assistant.ask(question, history or [])
    verbatim(assistant, answer)
    return answer


def test_lookup_states_figure_first_with_source(assistant) -> None:
    answer = ask(assistant, "临港科技城2020年税收是多少？")
    assert answer.kind == "lookup" and not answer.refused
    assert answer.answer.startswith("临港松江科技城2020年税收为25亿元")
    assert answer.figures[0].value == 25 and answer.figures[0].source.section.endswith("临港松江科技城")


def test_table2_target_keeps_the_plan_string_and_remark(assistant) -> None:
    answer = ask(assistant, "规上工业总产值2025年的目标是多少？")
    assert "679.90亿元" in answer.answer and "按年均增速4%测算" in answer.answer
    assert answer.figures[0].kind == "target" and answer.figures[0].year == 2025


def test_row_units_are_the_rows_own(assistant) -> None:
    assert "582家" in ask(assistant, "2025年高企数量目标是多少？").answer
    assert "7.93万人" in ask(assistant, "到2025年从业人员预计多少？").answer


def test_compare_sees_all_sub_parks_and_names_the_missing(assistant) -> None:
    answer = ask(assistant, "哪个子园2020年产值最高？")
    assert answer.kind == "compare" and "松江工业区西区" in answer.answer.split("。")[0]
    assert "莘莘学子创业园未给出该项" in answer.answer
    assert len(answer.figures) == 6


def test_compare_min_and_two_way(assistant) -> None:
    assert "莘莘学子创业园" in ask(assistant, "哪个子园税收最少？").answer.split("。")[0]
    two = ask(assistant, "中山工业园和西区，谁交的税多？")
    assert two.answer.startswith("松江工业区北区") and "11.16亿元" in two.answer


def test_sum_with_units_normalised_and_caveat(assistant) -> None:
    answer = ask(assistant, "各子园员工加起来大约多少人？")
    assert answer.kind == "compute" and "7.629万人" in answer.answer
    assert "莘莘学子创业园未给出该项" in answer.answer
    high_tech = ask(assistant, "七个子园的高企加起来有多少家？")
    assert "402家" in high_tech.answer and "478家" in high_tech.answer


def test_difference_growth_cagr_ratio_share_density(assistant) -> None:
    assert "104家" in ask(assistant, "到2025年高企要比2020年多出多少家？").answer
    assert "21.67%" in ask(assistant, "税收从2020年到2025年计划增长百分之几？").answer
    assert "4.02%" in ask(assistant, "按规划目标，高企数量年均增长多少？").answer
    assert "3.1倍" in ask(assistant, "G60电子信息园的产值是环大学城科创园的几倍？").answer
    assert "53.48%" in ask(assistant, "临港科技城的高企占七个子园高企总数的比例是多少？").answer
    assert "13.89" in ask(assistant, "临港科技城每平方公里税收大概多少？").answer
    assert "3.06亿元" in ask(assistant, "中山工业园税收比西区多多少？").answer


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("到2025年出口额要达到多少？", "no_value_for_year"),
        ("莘莘学子创业园有多少员工？", "field_absent"),
        ("漕河泾开发区一年税收多少？", "subject_not_in_plan"),
        ("到2030年高企要发展到多少家？", "year_outside_plan"),
        ("明年的税收是多少？", "relative_year"),
        ("松江园附近的房价大概多少？", "not_in_plan"),
        ("", "empty_question"),
    ],
)
def test_refusals_say_why(assistant, question: str, reason: str) -> None:
    answer = ask(assistant, question)
    assert answer.refused and answer.kind == "refusal" and answer.reason == reason


def test_refusal_gives_what_the_plan_says_nearby(assistant) -> None:
    export = ask(assistant, "到2025年出口额要达到多少？")
    assert "1.96亿美元" in export.answer and export.citations
    missing = ask(assistant, "莘莘学子创业园有多少员工？")
    assert "191家" in missing.answer and "不等于为0" in missing.answer


def test_follow_ups_carry_subject_indicator_and_year(assistant) -> None:
    assert "25亿元" in ask(assistant, "那它的税收呢？", ["临港松江科技城有多少家高新技术企业？"]).answer
    assert "42.86亿元" in ask(assistant, "中山工业园呢？", ["环大学城科创园2020年产值是多少？"]).answer
    assert "582家" in ask(assistant, "2025年呢？", ["2020年园区有多少家高企？"]).answer
    winner = ask(assistant, "那它有多少家高企？", ["哪个子园税收最高？"])
    assert "215家" in winner.answer
    assert "23家" in ask(assistant, "两个加起来多少家？", ["临港科技城有多少家上市挂牌企业？", "中山工业园呢？"]).answer
    assert ask(assistant, "莘莘学子创业园呢？", ["中山工业园员工有多少？"]).refused


def test_passage_answer_quotes_the_sub_parks_profile(assistant) -> None:
    answer = ask(assistant, "G60电子信息园开展了哪些试点业务？")
    assert not answer.refused and "跨境电商" in answer.answer
    assert answer.citations[0].section.endswith("G60电子信息国际创新创业园")


def test_outline_list_and_metadata(assistant) -> None:
    measures = ask(assistant, "规划的保障措施有哪几方面？")
    assert all(term in measures.answer for term in ("加强组织领导", "加强统筹协调", "加强监督检查"))
    issued = ask(assistant, "这份规划是哪天印发的？")
    assert "2021年12月21日" in issued.answer and "松江区科学技术委员会" in issued.answer


def test_traditional_and_full_width_input(assistant) -> None:
    assert "25亿元" in ask(assistant, "臨港鬆江科技城２０２０年稅收是多少？").answer


def test_long_question_is_cut_with_notice(assistant) -> None:
    answer = ask(assistant, "临港科技城税收是多少？" + "啊" * 20000)
    assert answer.answer.startswith("问题过长")


def test_a_sub_park_alone_gets_its_profile(assistant) -> None:
    answer = ask(assistant, "莘莘学子创业园呢？")
    assert answer.kind == "lookup" and "注册企业191家" in answer.answer and "税收0.68亿元" in answer.answer
    assert "从业人员" not in answer.answer


def test_subject_scoped_passage_prefers_the_sub_parks_own_profile(assistant) -> None:
    answer = ask(assistant, "G60电子信息园的主导产业是什么？")
    assert not answer.refused and answer.citations[0].section.endswith("G60电子信息国际创新创业园")


def test_table_categories_from_the_table_itself(assistant) -> None:
    answer = ask(assistant, "十三五指标表把指标分成了哪几类？")
    assert answer.kind == "list" and "产业化和规模经济水平" in answer.answer and len(answer.citations) == 3


def test_share_of_two_indicators_of_one_sub_park(assistant) -> None:
    answer = ask(assistant, "环大学城科创园的高企占它注册企业的比例？")
    assert "0.94%" in answer.answer and "636家" in answer.answer


def test_question_resting_on_words_no_plan_contains_is_refused(assistant) -> None:
    answer = ask(assistant, "上海有几个自贸区？")
    assert answer.refused and answer.reason == "not_in_plan" and "自贸区" in answer.answer


def test_generic_sub_headings_are_not_an_outline_answer(assistant) -> None:
    answer = ask(assistant, "生物医药方面重点发展哪些药物？")
    assert "发展定位；发展举措" not in answer.answer


def test_synonyms_from_the_corpus_lexicon_reach_the_plans_words(assistant) -> None:
    answer = ask(assistant, "对人才的住房方面有什么政策？")
    assert "人才公寓" in answer.answer


def test_a_question_that_is_not_text_is_refused_not_raised(assistant) -> None:
    answer = assistant.ask(5, [None, "临港科技城税收"])  # type: ignore[arg-type]
    assert answer.refused and answer.reason == "invalid_question"


def test_a_ranking_is_a_comparison_over_all_sub_parks(assistant) -> None:
    answer = ask(assistant, "七个子园的税收排名")
    assert answer.kind == "compare" and len(answer.figures) == 7


def test_a_list_about_a_sub_park_gathers_labelled_paragraphs_naming_it(assistant) -> None:
    answer = ask(assistant, "西区落了哪些大项目？")
    assert answer.kind == "list" and len(answer.citations) >= 4
    assert all(":" in c.quote.split("。")[0] for c in answer.citations[:4])


def test_sub_park_listing_for_a_year_they_do_not_state_is_refused(assistant) -> None:
    answer = ask(assistant, "2025年各子园的产值是多少？")
    assert answer.refused and answer.reason == "no_value_for_year" and "2020" in answer.answer
