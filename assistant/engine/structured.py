"""Answers computed from structured facts: lookup, compare, sum, difference, growth, ratios.

Every operation sees all facts of the indicator (never only top-k chunks), names the subjects
included and those that do not state the figure, shows its inputs and formula, and states its
rounding. When an input is missing the answer is a refusal that says what the plan does give.
"""

from __future__ import annotations

import functools

from assistant.engine import phrasing
from assistant.engine.factbase import (
    FactBase,
    base_value,
    citation,
    display_unit,
    figure,
    format_exact,
    format_number,
    origin_label,
    same_dimension,
    written,
)
from assistant.engine.intent import Intent
from assistant.engine.relation import TIMES_DECIMALS, Relation, Side, inverse_times_text, relation, times_text
from assistant.engine.replies import combine, merge, refusal, reply
from assistant.models import Answer, Fact, Figure
from assistant.quantities import AREA, readable, unit_dimension

AMOUNT_DECIMALS = 2
TABLE_ORIGIN = "table"  # table1, table2: the indicator tables, not a profile or the prose


def _delta(first: Fact, second: Fact) -> tuple[float, str]:
    """``first − second`` in the larger of their units (万人 over 人), and that unit."""
    unit = display_unit([first.unit, second.unit])
    return (base_value(first.value, first.unit)[0] - base_value(second.value, second.unit)[0]) / base_value(1.0, unit)[0], unit


def _year_phrase(fact: Fact) -> str:
    return phrasing.year_phrase(fact.year, fact.kind == "target")


def _computed(subject: str, indicator: str, year: int | None, value: float, unit: str, text: str) -> Figure:
    return Figure(subject=subject, indicator=indicator, year=year, value=value, unit=unit, text=text, kind="computed")


def _relation(first: Fact, second: Fact) -> Relation | None:
    """The gap and multiple of two facts of one dimension, the gap in the larger unit."""
    if not same_dimension(first, second):
        return None
    unit = display_unit([first.unit, second.unit])
    one, other = (Side(base_value(f.value, f.unit)[0], written(f)) for f in (first, second))
    return relation(one, other, unit, base_value(1.0, unit)[0])


def _relation_figures(found: Relation | None, fact: Fact | Figure, indicator: str) -> list[Figure]:
    if found is None:
        return []
    figures = [_computed(fact.subject, f"{indicator}差值", fact.year, found.gap, found.gap_unit, found.gap_text)]
    if found.times is not None and found.times_text is not None:
        figures.append(_computed(fact.subject, f"{indicator}倍数", fact.year, found.times, "倍", found.times_text))
    return figures


def _nearby(facts: list[Fact]) -> list[str]:
    return [f"{_year_phrase(f)}{f.indicator}{written(f)}" for f in facts[:8]]


class StructuredAnswerer:
    """Answers an ``Intent`` from a ``FactBase``; returns None when facts cannot answer it."""

    def __init__(self, base: FactBase) -> None:
        self.base = base
        self.park = base.lexicon.park.name
        self.parks = base.park_names
        self.label = base.lexicon.label

    def _statement(self, fact: Fact) -> str:
        return phrasing.statement(self.label(fact.subject), _year_phrase(fact), fact.indicator, written(fact), fact.note)

    def answer(self, question: str, intent: Intent) -> Answer | None:
        handlers = {
            "lookup": self.lookup,
            "compare": self.compare,
            "sum": self.total,
            "difference": self.difference,
            "growth": self.growth,
            "cagr": self.growth,
            "ratio": self.ratio,
            "share": self.share,
            "density": self.density,
        }
        handler = handlers.get(intent.operation)
        return handler(question, intent) if handler else None

    # -- helpers -----------------------------------------------------------------------------

    def _requested_year(self, intent: Intent, indicator: str) -> int | None:
        if intent.years:
            return intent.years[-1]
        if intent.period is not None:
            return self.base.latest_year(indicator, intent.period)
        return None

    def _subjects(self, intent: Intent) -> list[str]:
        """Named subjects, else the park(s) whose plans state the indicator."""
        if intent.subjects:
            return intent.subjects
        stating = [p for p in sorted(self.parks) if any(self.base.of(p, c) for c in intent.concepts)]
        return stating or [self.park]

    def _group(self, intent: Intent) -> list[str]:
        """Sub-parks an aggregate runs over: the named ones when two or more, else all."""
        named = [s for s in intent.subjects if s not in self.parks]
        return named if len(named) >= 2 else list(self.base.subpark_names)

    def _concept_units(self, name: str) -> list[str]:
        concept = self.base.lexicon.concept(name)
        return concept.units if concept else []

    def _missing_field(self, question: str, subject: str, indicator: str) -> Answer:
        known = self.base.subject_facts(subject)
        sources = [citation(f) for f in known[:3]]
        if subject in self.parks:
            parts = [f for s in self.base.subpark_names if (f := self.base.at(s, indicator, None))]
            if parts:
                text = phrasing.park_total_absent(self.label(subject), indicator, len(parts))
                return refusal(question, text, "park_total_absent", [citation(f) for f in parts[:3]])
        text = phrasing.field_absent(self.label(subject), indicator, _nearby(known))
        return refusal(question, text, "field_absent", sources)

    def _missing_year(self, question: str, subject: str, indicator: str, year: int) -> Answer:
        facts = self.base.of(subject, indicator)
        plan_years = sorted(self.base.plan_years())
        statements = [self._statement(f) for f in facts]
        if year not in plan_years:
            reason = "year_outside_plan"
            text = phrasing.year_outside_plan(year, plan_years, statements)
        else:
            reason = "no_value_for_year"
            target = year > max(f.year or 0 for f in facts)
            text = phrasing.no_value_for_year(self.label(subject), indicator, year, target, statements)
        return refusal(question, text, reason, [citation(f) for f in facts])

    def _fact(self, question: str, subject: str, indicator: str, year: int | None) -> Fact | Answer:
        if not self.base.of(subject, indicator):
            return self._missing_field(question, subject, indicator)
        fact = self.base.at(subject, indicator, year)
        if fact is None:
            return self._missing_year(question, subject, indicator, year or 0)
        return fact

    def _incompatible(self, question: str, first: Fact, second: Fact) -> Answer:
        """家 ÷ 亿美元 or 亿元 − 家 is no figure at all: say so and give both as the plan states them."""
        text = phrasing.incompatible_units(
            (first.indicator, first.unit), (second.indicator, second.unit), [self._statement(first), self._statement(second)]
        )
        return refusal(question, text, "incompatible_units", [citation(first), citation(second)])

    # -- operations --------------------------------------------------------------------------

    def lookup(self, question: str, intent: Intent) -> Answer | None:
        """Each named indicator of each subject; a field a subject lacks is said so beside the rest."""
        implicit_park = not intent.subjects
        statements: list[str] = []
        facts: list[Fact] = []
        refusals: list[Answer] = []
        for subject in self._subjects(intent):
            for asked in intent.concepts:
                if implicit_park and not self.base.of(subject, asked):
                    continue
                indicator = self._size_stated(subject, asked)
                chosen = self._facts_for_years(question, intent, subject, indicator)
                if isinstance(chosen, Answer):
                    refusals.append(chosen)
                    continue
                facts.extend(chosen)
                statements.append(self._describe(chosen))
        if statements:
            text = "".join(statements + [r.answer for r in refusals])
            return reply(question, text, "lookup", [figure(f) for f in facts], [citation(f) for f in facts], 0.95)
        if refusals:
            return refusals[0]
        for indicator in intent.concepts:
            if any(self.base.of(s, indicator) for s in self.base.subpark_names):
                return self.listing(question, intent, indicator)
        return None

    def _size_stated(self, subject: str, indicator: str) -> str:
        """How big a place is, asked by an area indicator it lacks (the whole park has no annex
        area), is the one area the plan states for it."""
        if self.base.of(subject, indicator) or not any(unit_dimension(u)[0] == AREA for u in self._concept_units(indicator)):
            return indicator
        areas = {f.indicator for f in self.base.subject_facts(subject) if unit_dimension(f.unit)[0] == AREA}
        return areas.pop() if len(areas) == 1 else indicator

    def _describe(self, facts: list[Fact]) -> str:
        """One subject-indicator's figures; disagreeing sources are named; narrative figures keep their sentence."""
        years = sorted({(f.year or 0, f.kind) for f in facts})
        parts = []
        for year, kind in years:
            same = [f for f in facts if (f.year or 0, f.kind) == (year, kind)]
            if len(same) == 1:
                parts.append(self._statement(same[0]))
            else:
                sources = [(origin_label(f), written(f)) for f in same]
                parts.append(phrasing.sources_disagree(self.label(same[0].subject), _year_phrase(same[0]), same[0].indicator, sources))
        text = "，".join(parts) + "。"
        for fact in facts:
            if fact.origin == "narrative":
                text += phrasing.original_sentence(self.base.in_context(fact))
        return text

    def _facts_for_years(self, question: str, intent: Intent, subject: str, indicator: str) -> list[Fact] | Answer:
        """Every year asked (2020年和2025年分别多少) or the requested one; a year without a value is
        said beside the others, refused only when no year has one."""
        years = sorted(set(intent.years)) if len(set(intent.years)) > 1 else [self._requested_year(intent, indicator)]
        found: list[Fact] = []
        missing: Answer | None = None
        for year in years:
            chosen = self._lookup_facts(question, subject, indicator, year)
            if isinstance(chosen, Answer):
                missing = missing or chosen
            else:
                found.extend(f for f in chosen if f not in found)
        if found and intent.asks_planned and all(f.kind == "actual" for f in found) and len(years) == 1 and years[0] is not None:
            # 十三五当初定的目标是多少: the plan states what was reached, not what was planned
            text = phrasing.no_planned_value(self.label(subject), indicator, years[0], [self._statement(f) for f in found])
            return refusal(question, text, "no_value_for_year", [citation(f) for f in found])
        if found and all(f.kind == "target" for f in found) and len(years) == 1:
            base = self.base.at(subject, indicator, self.base.latest_year(indicator, "actual"))
            found = [*found, base] if base is not None and base.kind == "actual" else found  # a target with what it starts from
        return found if found else missing  # type: ignore[return-value]

    def _lookup_facts(self, question: str, subject: str, indicator: str, year: int | None) -> list[Fact] | Answer:
        if year is not None:
            found = self._fact(question, subject, indicator, year)
            return found if isinstance(found, Answer) else [found]
        facts = self.base.of(subject, indicator)
        if not facts:
            return self._missing_field(question, subject, indicator)
        return facts

    def _narrower_stated(self, indicator: str, year: int | None) -> Fact | None:
        """The park's one table indicator whose name holds ``indicator`` (规上工业总产值 for 产值)
        with a value for the year: the plan's nearest figure, named as what it is (an industry's
        output stated in the prose is narrower still, not the park's)."""
        found = [
            fact
            for concept in self.base.lexicon.concepts
            if concept.name != indicator and indicator in concept.name
            if (fact := self.base.at(self.park, concept.name, year)) is not None and fact.origin.startswith(TABLE_ORIGIN)
        ]
        return found[0] if len(found) == 1 else None

    def profile(self, question: str, subject: str, dimensions: frozenset[str] = frozenset()) -> Answer | None:
        """Every figure the plan states for one subject: the answer to "<sub-park>呢？" or "介绍一下<sub-park>";
        those of ``dimensions`` only, where it has any (占地多大: its areas)."""
        facts = self.base.subject_facts(subject)
        if not facts:
            return None
        facts = [f for f in facts if unit_dimension(f.unit)[0] in dimensions] or facts
        years = sorted({f.year for f in facts if f.year})
        text = phrasing.profile(self.label(subject), years, [f"{f.indicator}{written(f)}" for f in facts])
        return reply(question, text, "lookup", [figure(f) for f in facts], [citation(f) for f in facts], 0.85)

    def listing(self, question: str, intent: Intent, indicator: str) -> Answer:
        """An indicator only sub-parks state, asked without a subject: every sub-park's value."""
        year = self._requested_year(intent, indicator)
        present = [f for s in self.base.subpark_names if (f := self.base.at(s, indicator, year))]
        absent = [s for s in self.base.subpark_names if not self.base.at(s, indicator, year)]
        if not present:
            stated = [f for s in self.base.subpark_names if (f := self.base.at(s, indicator, None))]
            years = sorted({f.year for f in stated if f.year})
            text = phrasing.listing_no_year(self.park, year, indicator, years)
            if not intent.strange_words and not intent.all_subparks and (narrower := self._narrower_stated(indicator, year)):
                # 2025年产值: no sub-park has it, the park's 规上工业总产值 does — say which figure it is
                text += phrasing.narrower_stated(self._statement(narrower))
                return reply(question, text, "lookup", [figure(narrower)], [citation(narrower)], 0.8)
            return refusal(question, text, "no_value_for_year", [citation(f) for f in stated[:3]])
        parts = [f"{self.label(f.subject)}{written(f)}" for f in present]
        text = phrasing.listing(self.park, indicator, parts, [self.label(s) for s in absent])
        return reply(question, text, "list", [figure(f) for f in present], [citation(f) for f in present], 0.85)

    def _values(self, subjects: list[str], indicator: str, year: int | None) -> tuple[list[Fact], list[str]]:
        present: list[Fact] = []
        absent: list[str] = []
        for subject in subjects:
            fact = self.base.at(subject, indicator, year)
            if fact is None:
                absent.append(subject)
            else:
                present.append(fact)
        return present, absent

    def compare(self, question: str, intent: Intent) -> Answer | None:
        if not intent.concepts:
            return None
        if len(intent.concepts) == 2 and len([s for s in intent.subjects if s not in self.parks]) < 2:
            between = self._compare_indicators(question, intent)  # 税收和利润总额哪个大: two figures of one place
            if between is not None:
                return between
        indicator = intent.concepts[0]
        year = self._requested_year(intent, indicator)
        subjects = self._group(intent)
        present, absent = self._values(subjects, indicator, year)
        if not present:
            return self._missing_field(question, subjects[0], indicator)
        ranked = sorted(present, key=lambda f: base_value(f.value, f.unit)[0], reverse=intent.direction != "min")
        winner = ranked[0]
        lowest = intent.direction == "min"
        if len(subjects) == 2 and len(present) == 2:
            loser = ranked[1]
            text = phrasing.compare_two(
                self.label(winner.subject),
                _year_phrase(winner),
                indicator,
                written(winner),
                lowest,
                self.label(loser.subject),
                written(loser),
            )
            if intent.supposed in (winner.subject, loser.subject):  # 是不是也是甲多: whether 甲 is the one, said first
                text = phrasing.verdict(intent.supposed == winner.subject) + text
            gap = _relation(winner, loser)
            text += gap.sentence() if gap else ""
            computed = _relation_figures(gap, winner, indicator)
        else:
            computed = []
            order = [f"{self.label(f.subject)}{written(f)}" for f in ranked]
            text = phrasing.compare_many(
                len(present),
                bool(absent),
                indicator,
                lowest,
                self.label(winner.subject),
                _year_phrase(winner),
                written(winner),
                order,
                [self.label(s) for s in absent],
                winner.unit,
            )
        return reply(question, text, "compare", [*computed, *(figure(f) for f in ranked)], [citation(f) for f in ranked], 0.93)

    def _compare_indicators(self, question: str, intent: Intent) -> Answer | None:
        """Which of two indicators of one place is larger, when both are stated in one dimension."""
        subject = self._subjects(intent)[0]
        first, second = (self.base.at(subject, c, self._requested_year(intent, c)) for c in intent.concepts)
        if first is None or second is None or not same_dimension(first, second):
            return None
        ranked = sorted((first, second), key=lambda f: base_value(f.value, f.unit)[0], reverse=intent.direction != "min")
        top, bottom = ranked
        text = phrasing.compare_indicators(
            self.label(subject),
            _year_phrase(top),
            top.indicator,
            written(top),
            intent.direction == "min",
            bottom.indicator,
            written(bottom),
        )
        between = _relation(top, bottom)
        text += between.sentence() if between else ""
        figures = [*_relation_figures(between, top, f"{top.indicator}与{bottom.indicator}"), *(figure(f) for f in ranked)]
        return reply(question, text, "compare", figures, [citation(f) for f in ranked], 0.9)

    def total(self, question: str, intent: Intent) -> Answer | None:
        """A sum over sub-parks; "一共" asked of the park itself or of one sub-park is a lookup of its own figure."""
        if not intent.concepts:
            return None
        indicator = intent.concepts[0]
        if not intent.all_subparks and len(intent.subjects) == 1 and intent.subjects[0] not in self.parks:
            return self.lookup(question, intent)  # 那边员工总共多少人: one place's own total
        if not intent.all_subparks and not [s for s in intent.subjects if s not in self.parks]:
            park = self._subjects(intent)[0]
            own = self.base.related(park, indicator)
            if own is not None:
                return self.lookup(question, intent.model_copy(update={"concepts": [own], "subjects": [park]}))
        year = self._requested_year(intent, indicator)
        subjects = self._group(intent)
        present, absent = self._values(subjects, indicator, year)
        if not present:
            return self._missing_field(question, subjects[0], indicator)
        unit = display_unit([f.unit for f in present])
        scale = base_value(1.0, unit)[0]
        total = sum(base_value(f.value, f.unit)[0] for f in present) / scale
        result = f"{format_exact(total)}{unit}"
        park = self.base.park_of(present[0].subject)
        park_fact = self.base.at(park, indicator, present[0].year)
        caveat = phrasing.total_caveat(self.label(park), _year_phrase(park_fact), indicator, written(park_fact)) if park_fact else ""
        text = phrasing.total(
            len(present),
            _year_phrase(present[0]),
            indicator,
            result,
            [written(f) for f in present],
            [self.label(s) for s in absent],
            caveat,
        )
        figures = [_computed("、".join(f.subject for f in present), f"{indicator}合计", present[0].year, total, unit, result)]
        figures += [figure(f) for f in present]
        return reply(question, text, "compute", figures, [citation(f) for f in present], 0.92)

    def _two_points(self, question: str, intent: Intent) -> tuple[Fact, Fact] | Answer | None:
        """Two facts to difference: two subjects (same year) or one subject at two years."""
        if not intent.concepts:
            return None
        indicator = intent.concepts[0]
        named = intent.subjects if len(intent.subjects) >= 2 else []  # two sub-parks, or a sub-park and the park
        if len(named) >= 2:
            year = self._requested_year(intent, indicator)
            first = self._fact(question, named[0], indicator, year)
            second = self._fact(question, named[1], indicator, year)
            for found in (first, second):
                if isinstance(found, Answer):
                    return found
            return first, second  # type: ignore[return-value]
        subject = self._subjects(intent)[0]
        facts = self.base.of(subject, indicator)
        if not facts:
            return self._missing_field(question, subject, indicator)
        years = sorted(set(intent.years)) or [f.year for f in facts if f.year is not None]
        if len(years) == 1:
            years = sorted({years[0], *(f.year for f in facts if f.year is not None)})
        if len(years) < 2:
            return self._missing_year(
                question, subject, indicator, self.base.latest_year(indicator, "target") or max(self.base.plan_years())
            )
        start = self._fact(question, subject, indicator, years[0])
        end = self._fact(question, subject, indicator, years[-1])
        for found in (start, end):
            if isinstance(found, Answer):
                return found
        return end, start  # type: ignore[return-value]

    def difference(self, question: str, intent: Intent) -> Answer | None:
        pair = self._two_points(question, intent)
        if pair is None or isinstance(pair, Answer):
            return pair
        first, second = pair
        if not same_dimension(first, second):
            return self._incompatible(question, first, second)
        delta, unit = _delta(first, second)
        result = f"{format_exact(abs(delta))}{unit}"
        if first.subject == second.subject:
            signed = f"-{result}" if delta < 0 else result
            text = phrasing.change_over_time(
                self.label(first.subject),
                first.indicator,
                (_year_phrase(second), written(second)),
                (_year_phrase(first), written(first)),
                signed,
            )
        else:
            text = phrasing.difference(
                (self.label(first.subject), written(first)),
                first.indicator,
                (self.label(second.subject), written(second)),
                result,
                delta >= 0,
            )
            between = _relation(first, second)
            text += between.multiple_sentence() if between else ""
        figures = [_computed(first.subject, f"{first.indicator}差值", first.year, delta, unit, result), figure(first), figure(second)]
        return reply(question, text, "compute", figures, [citation(first), citation(second)], 0.92)

    def growth(self, question: str, intent: Intent) -> Answer | None:
        pair = self._two_points(question, intent)
        if pair is None or isinstance(pair, Answer):
            return pair
        end, start = pair
        if start.subject != end.subject or start.year is None or end.year is None or start.value == 0:
            return None
        ratio = base_value(end.value, end.unit)[0] / base_value(start.value, start.unit)[0]
        if intent.operation == "cagr":
            rate = (ratio ** (1 / (end.year - start.year)) - 1) * 100
            formula = f"({written(end)}÷{written(start)})^(1/{end.year - start.year})−1"
        else:
            rate = (ratio - 1) * 100
            formula = f"({written(end)}−{written(start)})÷{written(start)}"
        result = phrasing.percent(rate)
        label = phrasing.growth_label(intent.operation == "cagr")
        delta, unit = _delta(end, start)
        change = f"{'-' if delta < 0 else ''}{format_exact(abs(delta))}{unit}"
        text = phrasing.growth(
            self.label(end.subject),
            end.indicator,
            (_year_phrase(start), written(start)),
            (_year_phrase(end), written(end)),
            label,
            result,
            formula,
            change,
            end.note,
        )
        figures = [
            _computed(end.subject, f"{end.indicator}{label}率", end.year, round(rate, phrasing.PERCENT_DECIMALS), "%", result),
            figure(start),
            figure(end),
        ]
        return reply(question, text, "compute", figures, [citation(start), citation(end)], 0.92)

    def ratio(self, question: str, intent: Intent) -> Answer | None:
        """A ÷ B: two subjects of one indicator (几倍) or two indicators of one subject (as %)."""
        named = [s for s in intent.subjects if s not in self.parks]
        if len(named) >= 2 and intent.concepts:
            pair = self._two_points(question, intent)
            if pair is None or isinstance(pair, Answer):
                return pair
            first, second = pair
            times = base_value(first.value, first.unit)[0] / base_value(second.value, second.unit)[0]
            result = times_text(times)
            text = phrasing.times(
                (self.label(first.subject), written(first)),
                first.indicator,
                (self.label(second.subject), written(second)),
                result,
                inverse_times_text(times),
            )
            between = _relation(first, second)
            text += between.gap_sentence() if between else ""
            figures = [
                _computed(first.subject, f"{first.indicator}倍数", first.year, round(times, TIMES_DECIMALS), "倍", result),
                figure(first),
                figure(second),
            ]
            return reply(question, text, "compute", figures, [citation(first), citation(second)], 0.9)
        if len(intent.concepts) >= 2:
            subject = self._subjects(intent)[0]
            year = self._requested_year(intent, intent.concepts[0])
            top = self._fact(question, subject, intent.concepts[0], year)
            bottom = self._fact(question, subject, intent.concepts[1], year)
            for found in (top, bottom):
                if isinstance(found, Answer):
                    return found
            assert isinstance(top, Fact) and isinstance(bottom, Fact)
            if not same_dimension(top, bottom):
                return self._incompatible(question, top, bottom)
            rate = base_value(top.value, top.unit)[0] / base_value(bottom.value, bottom.unit)[0] * 100
            result = phrasing.percent(rate)
            text = phrasing.share_of_indicator(
                self.label(subject), _year_phrase(top), (top.indicator, written(top)), (bottom.indicator, written(bottom)), result
            )
            figures = [
                _computed(subject, f"{top.indicator}/{bottom.indicator}", top.year, round(rate, phrasing.PERCENT_DECIMALS), "%", result),
                figure(top),
                figure(bottom),
            ]
            return reply(question, text, "compute", figures, [citation(top), citation(bottom)], 0.9)
        return None

    def share(self, question: str, intent: Intent) -> Answer | None:
        """One sub-park's share of the park-wide figure, or of the sum over sub-parks."""
        named = [s for s in intent.subjects if s not in self.parks]
        if len(named) == 1 and intent.each_share:
            # 它的产值和税收各占多少: each indicator's share of the whole, not one over the other
            shares = [self.share(question, intent.model_copy(update={"concepts": [c], "each_share": False})) for c in intent.concepts]
            found = [a for a in shares if a is not None]
            return functools.reduce(combine, found) if found else None
        if not intent.concepts or len(named) != 1 or len(intent.concepts) >= 2:
            return self.ratio(question, intent)
        indicator = intent.concepts[0]
        year = self._requested_year(intent, indicator)
        part = self._fact(question, named[0], indicator, year)
        if isinstance(part, Answer):
            return part
        park_fact = self.base.at(self.base.park_of(part.subject), indicator, part.year)
        if park_fact is not None and not intent.all_subparks:
            whole_value = base_value(park_fact.value, park_fact.unit)[0]
            whole_text = phrasing.whole_of_park(self.label(park_fact.subject), written(park_fact))
            inputs = [part, park_fact]
        else:
            present, _ = self._values(list(self.base.subpark_names), indicator, part.year)
            whole_value = sum(base_value(f.value, f.unit)[0] for f in present)
            unit = display_unit([f.unit for f in present])
            whole_text = phrasing.whole_of_subparks(
                len(present), f"{format_number(whole_value / base_value(1.0, unit)[0], AMOUNT_DECIMALS)}{unit}"
            )
            inputs = [part, *[f for f in present if f is not part]]
        rate = base_value(part.value, part.unit)[0] / whole_value * 100
        result = phrasing.percent(rate)
        text = phrasing.share(self.label(part.subject), _year_phrase(part), indicator, written(part), whole_text, result)
        figures = [
            _computed(part.subject, f"{indicator}占比", part.year, round(rate, phrasing.PERCENT_DECIMALS), "%", result),
            *[figure(f) for f in inputs],
        ]
        return reply(question, text, "compute", figures, [citation(f) for f in inputs], 0.9)

    def density(self, question: str, intent: Intent) -> Answer | None:
        """An indicator per unit of a subject's own area or people (每平方公里产值, 人均产值, 亩均税收):
        the divisor is the subject's profile figure in the dimension of the unit asked for. Two
        subjects named (甲和乙的地均税收差距) are each divided, then compared."""
        if not intent.concepts:
            return None
        per_unit = intent.per_unit or "平方公里"
        found = [self._density(question, intent, subject, per_unit) for subject in self._subjects(intent)]
        if any(part is None for part in found):
            return None
        answers = [part[0] if isinstance(part, tuple) else part for part in found if part is not None]
        merged = merge(answers)
        divided = [part for part in found if isinstance(part, tuple)]
        if len(divided) < 2:
            return merged
        (first, first_base), (second, second_base) = divided[:2]
        unit = first.figures[0].unit.split("/")[0]
        between = relation(
            Side(first_base, first.figures[0].text),
            Side(second_base, second.figures[0].text),
            f"{unit}/{per_unit}",
            base_value(1.0, unit)[0],
            stated=False,
        )
        return merged.model_copy(
            update={
                "answer": merged.answer + between.sentence(),
                "figures": [
                    *merged.figures,
                    *_relation_figures(between, first.figures[0], phrasing.per_unit_label(per_unit, intent.concepts[0])),
                ],
            }
        )

    def _density(self, question: str, intent: Intent, subject: str, per_unit: str) -> tuple[Answer, float] | Answer | None:
        """One subject's figure per unit, with the figure in base units per ``per_unit`` (to compare two)."""
        dimension, per_scale = unit_dimension(per_unit)
        measured = [c for c in intent.concepts if not any(unit_dimension(u)[0] == dimension for u in self._concept_units(c))]
        if not measured:
            return None  # 人均从业人员: nothing to divide
        indicator = measured[0]
        divisors = [c.name for c in self.base.lexicon.concepts if c.cues and any(unit_dimension(u)[0] == dimension for u in c.units)]
        divisor = next((f for name in divisors if (f := self.base.at(subject, name, None))), None)
        value = self._fact(question, subject, indicator, self._requested_year(intent, indicator))
        if isinstance(value, Answer):
            return value
        if divisor is None:
            return self._missing_field(question, subject, divisors[0] if divisors else per_unit)
        if not divisor.value:
            return None
        in_per_unit = base_value(divisor.value, divisor.unit)[0] / per_scale
        per = base_value(value.value, value.unit)[0] / in_per_unit
        number, unit = readable(per, value.unit)
        result = f"{format_number(number, AMOUNT_DECIMALS)}{unit}/{per_unit}"
        divided = written(divisor) if divisor.unit == per_unit else f"{written(divisor)}≈{format_number(in_per_unit, 0)}{per_unit}"
        text = phrasing.per_unit(
            self.label(subject), _year_phrase(value), indicator, written(value), (divisor.indicator, divided), per_unit, result
        )
        figures = [
            _computed(subject, phrasing.per_unit_label(per_unit, indicator), value.year, round(number, 2), f"{unit}/{per_unit}", result),
            figure(value),
            figure(divisor),
        ]
        return reply(question, text, "compute", figures, [citation(value), citation(divisor)], 0.9), per
