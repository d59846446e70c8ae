"""Every sentence an answer says, in one place.

Skills decide what to say (which facts, which figures, why a refusal) and pass the pieces — names,
values as written, years — already formatted; the Chinese wording of answers, refusals and notes
lives here, so it reads consistently and changes in one file.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.quantities import AREA, unit_dimension

DECIMAL_WORDS = {1: "一", 2: "两"}
PERCENT_DECIMALS = 2  # 21.76%: a rate read off two figures is given to the hundredth of a point
PERCENT_ROUNDING = f"保留{DECIMAL_WORDS[PERCENT_DECIMALS]}位小数"


LIST_SEP = "、"
SENTENCE_END = ("。", "；", "！", "？")  # marks that close a quoted sentence


def percent(rate: float) -> str:
    """A computed rate as the answer writes it, the one place its precision is decided."""
    return f"{rate:.{PERCENT_DECIMALS}f}%"


def joined(items: Sequence[str], sep: str = LIST_SEP) -> str:
    return sep.join(items)


def years_list(years: Sequence[int]) -> str:
    return LIST_SEP.join(map(str, years))


# -- facts -----------------------------------------------------------------------------------------


def year_phrase(year: int | None, target: bool) -> str:
    if year is None:
        return ""
    return f"{year}年目标" if target else f"{year}年"


def statement(name: str, when: str, indicator: str, value: str, note: str | None) -> str:
    return f"{name}{when}{indicator}为{value}{f'（{note}）' if note else ''}"


def sources_disagree(name: str, when: str, indicator: str, sources: Sequence[tuple[str, str]]) -> str:
    return f"{name}{when}{indicator}：" + "，".join(f"{label}为{value}" for label, value in sources)


def original_sentence(sentence: str) -> str:
    return f"原文：“{sentence}”"


def profile(name: str, years: Sequence[int], parts: Sequence[str]) -> str:
    when = f"（{years_list(years)}年）" if years else ""
    return f"规划给出的{name}数据{when}：{joined(parts)}。"


def listing(park: str, indicator: str, parts: Sequence[str], absent: Sequence[str]) -> str:
    missing = f"；{joined(absent)}未给出该项" if absent else ""
    return f"规划没有给出{park}整体的{indicator}，各子园的{indicator}为：{'；'.join(parts)}{missing}。"


def compare_two(winner: str, when: str, indicator: str, value: str, lower: bool, loser: str, loser_value: str) -> str:
    return f"{winner}{when}{indicator}为{value}，{'低于' if lower else '高于'}{loser}的{loser_value}。"


def compare_indicators(subject: str, when: str, top: str, value: str, lower: bool, other: str, other_value: str) -> str:
    return f"{subject}{when}{top}为{value}，{'低于' if lower else '高于'}{other}的{other_value}。"


def compare_many(
    count: int,
    partial: bool,
    indicator: str,
    lowest: bool,
    winner: str,
    when: str,
    value: str,
    order: Sequence[str],
    absent: Sequence[str],
    unit: str = "",
) -> str:
    scope = f"给出该项的{count}个子园" if partial else f"{count}个子园"
    missing = f"{joined(absent)}未给出该项，未参与比较。" if absent else ""
    extreme = ("最小" if lowest else "最大") if unit_dimension(unit)[0] == AREA else ("最少" if lowest else "最多")  # large, not many
    return f"{scope}中{indicator}{extreme}的是{winner}，{when}为{value}。排序：{joined(order)}。{missing}"


def total(count: int, when: str, indicator: str, result: str, inputs: Sequence[str], absent: Sequence[str], caveat: str) -> str:
    """``result`` is exact (a sum of stated figures), so no rounding is said."""
    missing = f"{joined(absent)}未给出该项，未计入。" if absent else ""
    return f"{count}个子园{when}{indicator}合计{result}（{'+'.join(inputs)}）。{missing}{caveat}"


def total_caveat(park: str, when: str, indicator: str, value: str) -> str:
    return f"注：规划另给出{park}整体{when}{indicator}为{value}，与子园合计口径不同。"


def change_over_time(name: str, indicator: str, start: tuple[str, str], end: tuple[str, str], result: str) -> str:
    """``start``/``end`` are (when, value as written)."""
    verb = "减少" if result.startswith("-") else "增加"
    return f"{name}{indicator}从{start[0]}的{start[1]}到{end[0]}的{end[1]}，{verb}{result.lstrip('-')}（{end[1]}−{start[1]}）。"


def difference(first: tuple[str, str], indicator: str, second: tuple[str, str], result: str, more: bool) -> str:
    """``first``/``second`` are (name, value as written)."""
    return f"{first[0]}{indicator}为{first[1]}，{second[0]}为{second[1]}，前者{'多' if more else '少'}{result}（{first[1]}−{second[1]}）。"


def growth_label(yearly: bool) -> str:
    return "年均增长" if yearly else "增长"


def growth(
    name: str,
    indicator: str,
    start: tuple[str, str],
    end: tuple[str, str],
    label: str,
    result: str,
    formula: str,
    change: str,
    note: str | None,
) -> str:
    """``change`` is the absolute change with its unit, signed."""
    verb = "减少" if change.startswith("-") else "增加"
    return (
        f"{name}{indicator}从{start[0]}的{start[1]}到{end[0]}的{end[1]}，"
        f"{label}约{result}（{formula}，{PERCENT_ROUNDING}），绝对量{verb}{change.lstrip('-')}{f'（{note}）' if note else ''}。"
    )


def times(first: tuple[str, str], indicator: str, second: tuple[str, str], result: str, inverse: str | None = None) -> str:
    """``inverse``: the multiple the other way round, told when the first is the smaller."""
    return (
        f"{first[0]}{indicator}{first[1]}，{second[0]}{second[1]}，前者约为后者的{result}（{first[1]}÷{second[1]}，保留两位小数）"
        f"{_turned(first[1], second[1], inverse)}。"
    )


def _turned(first: str, second: str, inverse: str | None) -> str:
    """差几倍 of a smaller and a larger figure asks how many times the smaller the larger is."""
    return f"，即后者约为前者的{inverse}（{second}÷{first}）" if inverse else ""


def share_of_indicator(name: str, when: str, top: tuple[str, str], bottom: tuple[str, str], result: str) -> str:
    """``top``/``bottom`` are (indicator, value as written)."""
    return f"{name}{when}{top[0]}{top[1]}，{bottom[0]}{bottom[1]}，前者占后者约{result}（{top[1]}÷{bottom[1]}，{PERCENT_ROUNDING}）。"


def whole_of_park(name: str, value: str) -> str:
    return f"{name}整体{value}"


def whole_of_subparks(count: int, value: str) -> str:
    return f"{count}个子园合计{value}"


def share(name: str, when: str, indicator: str, value: str, whole: str, result: str) -> str:
    return f"{name}{when}{indicator}{value}，占{whole}的约{result}（{PERCENT_ROUNDING}）。"


def per_unit(name: str, when: str, indicator: str, value: str, divisor: tuple[str, str], unit: str, result: str) -> str:
    return (
        f"{name}{when}{indicator}{value}，{divisor[0]}{divisor[1]}，{per_unit_label(unit, indicator)}约{result}"
        f"（{value}÷{divisor[1]}，保留两位小数）。"
    )


def per_unit_label(unit: str, indicator: str) -> str:
    """每平方公里产值, 人均产值, 每亩税收: how a per-unit figure is named."""
    return f"人均{indicator}" if unit == "人" else f"每{unit}{indicator}"


# -- refusals --------------------------------------------------------------------------------------


def park_total_absent(park: str, indicator: str, count: int) -> str:
    return (
        f"规划没有给出{park}整体的{indicator}数据，只在附件中给出了各子园的数据"
        f"（{count}个子园有该项）。可以问“各子园{indicator}合计”或“哪个子园{indicator}最多”。"
    )


def field_absent(name: str, indicator: str, nearby: Sequence[str]) -> str:
    given = f"规划给出的{name}数据有：{joined(nearby)}。" if nearby else ""
    return f"规划没有给出{name}的{indicator}数据（未列出不等于为0）。{given}"


def year_outside_plan(year: int, plan_years: Sequence[int], statements: Sequence[str]) -> str:
    return f"规划没有{year}年的数据（规划给出的年份为{years_list(plan_years)}年）。规划给出的是：{'；'.join(statements)}。"


def no_value_for_year(name: str, indicator: str, year: int, target: bool, statements: Sequence[str]) -> str:
    return f"规划没有给出{name}{indicator}的{year}年{'目标' if target else '数据'}。规划给出的是：{'；'.join(statements)}。"


def listing_no_year(park: str, year: int | None, indicator: str, years: Sequence[int]) -> str:
    return f"规划没有给出{park}整体或各子园{year}年的{indicator}；各子园的{indicator}只有{years_list(years)}年的数据。"


def no_planned_value(name: str, indicator: str, year: int, statements: Sequence[str]) -> str:
    return f"规划没有给出{name}{indicator}{year}年的目标值，只给出实际完成情况：{'；'.join(statements)}。"


def narrower_stated(statement: str) -> str:
    return f"规划给出的相近指标是：{statement}。"


def incompatible_units(first: tuple[str, str], second: tuple[str, str], statements: Sequence[str]) -> str:
    """``first``/``second`` are (indicator, unit)."""
    return f"{first[0]}（{first[1]}）与{second[0]}（{second[1]}）单位不同，不能相除或相减。规划给出的是：{'；'.join(statements)}。"


def subject_not_in_plan(names: Sequence[str], parks: Sequence[str], subparks: Sequence[str]) -> str:
    return f"规划中没有“{joined(names)}”。本规划涉及{joined(parks)}及其子园：{joined(subparks)}。"


def relative_year(word: str, plan_years: Sequence[int]) -> str:
    return f"规划没有“{word}”这样的相对年份的数据；规划给出的年份为{years_list(plan_years)}年，请指明年份。"


def not_said(word: str, nearest: str) -> str:
    return f"规划没有提到“{word}”，无法判断。规划中相关的内容是：{nearest}"


def nothing_found(unknown: Sequence[str]) -> str:
    missing = f"（规划中没有出现“{'”“'.join(unknown)}”）" if unknown else ""
    return f"规划中没有找到与这个问题相关的内容{missing}，规划不涉及这一点。可以换个说法，或询问园区指标、子园概况和发展举措。"


def within(outer: str, heading: str) -> str:
    """A shared heading (发展举措) named with the heading above it."""
    return f"{outer}·{heading}"


def measure_not_given(measures: Sequence[str], given: Sequence[str]) -> str:
    return f"规划没有给出这一项的{joined(measures)}。规划就此给出的数字是：{'；'.join(given)}。"


def empty_question(first_year: int | None, last_year: int | None) -> str:
    examples = f"某个子园{first_year}年的税收、{last_year}年的目标" if first_year and last_year else "某个子园的税收"
    return f"问题是空的。请输入一个关于规划的问题，例如{examples}或园区的发展举措。"


# -- prose, dossiers, topics ---------------------------------------------------------------------------


def stated_figures(about: str | None, figures: Sequence[str], missing: Sequence[str], quotes: Sequence[str]) -> str:
    lead = f"{about}：" if about else ""
    gap = f"规划没有给出其{joined(missing)}。" if missing else ""
    return f"{lead}{'，'.join(figures)}。{gap}{quoted(quotes)}"


def quoted(quotes: Sequence[str]) -> str:
    return "原文：" + "".join(f"“{q}”" for q in quotes)


POINTS_WORD = "个百分点"


def gap(larger: str, smaller: str, amount: str) -> str:
    return f"两者相差{amount}（{larger}−{smaller}）"


def multiple(larger: str, smaller: str, times: str) -> str:
    return f"较大者约为较小者的{times}（{larger}÷{smaller}，保留两位小数）"


def prose_difference(first: tuple[str, str], second: tuple[str, str], result: str, more: bool) -> str:
    """``first``/``second`` are (label before the figure, figure as written)."""
    return f"{''.join(first)}，{''.join(second)}，前者比后者{'多' if more else '少'}{result}（{first[1]}−{second[1]}）。"


def prose_compare(top: tuple[str, str], other: tuple[str, str], lower: bool) -> str:
    return f"{''.join(top)}，{'低于' if lower else '高于'}{''.join(other)}。"


def prose_growth(first: tuple[str, str], second: tuple[str, str], result: str) -> str:
    return f"{''.join(first)}，{''.join(second)}，前者比后者高约{result}（{first[1]}÷{second[1]}−1，{PERCENT_ROUNDING}）。"


def prose_times(first: tuple[str, str], second: tuple[str, str], result: str, decimals: int, inverse: str | None = None) -> str:
    return (
        f"{''.join(first)}，{''.join(second)}，前者约为后者的{result}（{first[1]}÷{second[1]}，保留{DECIMAL_WORDS[decimals]}位小数）"
        f"{_turned(first[1], second[1], inverse)}。"
    )


def prose_growth_from_change(level: tuple[str, str], change: tuple[str, str], earlier: str, result: str) -> str:
    return f"{''.join(level)}，{''.join(change)}，上年约为{earlier}，增长约{result}（{change[1]}÷({level[1]}−{change[1]})，{PERCENT_ROUNDING}）。"


def prose_year_before(year: int, level: tuple[str, str], change: tuple[str, str], result: str, rate: bool) -> str:
    formula = f"{level[1]}÷(1+{change[1]})" if rate else f"{level[1]}−{change[1]}"
    return f"规划没有直接给出{year}年的数字；按{''.join(level)}、{''.join(change)}推算，{year}年约为{result}（{formula}，保留两位小数）。"


def prose_whole(part: tuple[str, str], share: tuple[str, str], result: str) -> str:
    return f"{''.join(part)}，{''.join(share)}，整体约为{result}（{part[1]}÷{share[1]}，保留两位小数）。"


def about_subpark(label: str, quotes: Sequence[str]) -> str:
    return f"{label}：" + sentences(quotes)


def best_subparks(labels: Sequence[str], reasons: Sequence[tuple[str, str]], where: str | None = None) -> str:
    located = f"\n位置：{where}" if where else ""
    return f"最相关的是{joined(labels)}。\n" + "\n".join(f"{label}：{reason}" for label, reason in reasons) + located


def change_not_stated(indicator: str, given: str) -> str:
    return f"规划没有给出{indicator}比上年（同比）的变化，也没有上一年的数字。" + (f"规划给出的是：{given}" if given else "")


def unit_not_given(unit: str, given: str) -> str:
    return f"规划没有给出以{unit}计的这一数字。规划给出的是：{given}"


def sentences(quotes: Sequence[str]) -> str:
    """Quoted sentences run together, each once, closed by its own mark or a full stop (a clause
    the plan ends with a semicolon closes with a full stop here; its citation keeps the semicolon)."""
    return "".join(_closed(q) for q in dict.fromkeys(quotes))


def _closed(quote: str) -> str:
    return quote.rstrip(";；") + "。" if quote.endswith((";", "；")) or not quote.endswith(SENTENCE_END) else quote


def kept_in(unit: str, asked: str) -> str:
    return f"（规划以{unit}计，没有给出以{asked}计的数字。）"


def also_in_plan(quotes: Sequence[str]) -> str:
    return "规划中还写到：" + sentences(quotes)


def topic_measures(heading: str, paragraphs: Sequence[str]) -> str:
    return f"规划在“{heading}”中提出：\n" + "\n".join(f"{index}. {text}" for index, text in enumerate(paragraphs, start=1))


def labelled_items(heading: str, labels: Sequence[str], quotes: Sequence[str]) -> str:
    return f"规划在“{heading}”中列出{len(labels)}项：{'、'.join(labels)}。\n" + "\n".join(
        f"{n}. {q}" for n, q in enumerate(quotes, start=1)
    )


def children(heading: str, titles: Sequence[str]) -> str:
    return f"{heading}包括{len(titles)}个方面：{'；'.join(titles)}。"


def table_categories(label: str, caption: str, categories: Sequence[str]) -> str:
    return f"{label}（{caption}）的指标分为{len(categories)}类：{'；'.join(categories)}。"


def park_parts(park: str, parts: Sequence[str]) -> str:
    return f"{park}共包括{len(parts)}个部分（子园）：{joined(parts)}。"


def issued(title: str, issuer: str | None, date: str | None) -> str:
    return f"《{title}》{f'由{issuer}' if issuer else ''}于{date}印发。"


NOT_TEXT = "问题必须是文字。"
INTERNAL_ERROR = "抱歉，回答这个问题时出现内部错误，已记录。请换个问法再试。"


def figure_not_given(measures: str) -> str:
    return f"规划没有给出具体的金额、数量或时间，只给出方向和举措：{measures}"


def procedure_not_given(measures: str) -> str:
    return f"规划没有写到申请的条件、流程或渠道，只给出方向和举措：{measures}"


DIRECTION_ONLY = "（规划对此只给出方向和举措，没有给出具体的金额、数量或时间。）"


def changes_compared(top: str, other: str, slower: bool, changes: Sequence[tuple[str, str]], close: bool, points: str) -> str:
    """Which of two changed more and by how many points, then each one's change as the plan gives or
    the tables imply it; ``close``: within rounding of each other (targets set at one rate), said so,
    no winner named."""
    each = "，".join(f"{thing}增长{change}" for thing, change in changes)
    if close:
        return f"{top}与{other}增长大致相当：{each}。"
    way = "慢" if slower else "快"
    return f"{top}增长{way}于{other}，{way}{points}{POINTS_WORD}：{each}。"


def verdict(agrees: bool) -> str:
    """The answer to a yes-or-no comparison, before the figures that show it."""
    return "是。" if agrees else "不是。"
