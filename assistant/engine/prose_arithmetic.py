"""Arithmetic over figures the prose states: a ratio or difference of two stated figures, the growth
a stated change implies, and the whole a stated share implies.

* "对标园是本园的几倍" / "本园比对标园少多少": the sentence that states both, each figure taken by
  the name its label carries (or, for two measures of one project, by the measures asked);
* "比上年增长了百分之几": the figure and its stated change (比上年增加3件) → 3 ÷ (45 − 3);
* "占全区75%，那全区多少" / "占整体三分之一，整体倒推多少": the part and its stated share → part ÷ share.

Inputs are quoted with their spans, the formula and rounding stated; two figures of different
dimensions are never combined.
"""

from __future__ import annotations

import re

from assistant.engine import phrasing
from assistant.engine.clauses import LISTED
from assistant.engine.factbase import format_exact, format_number
from assistant.engine.intent import Intent
from assistant.engine.measures import Measure, asked_measures, asks_change
from assistant.engine.mentions import MentionAnswerer, fits
from assistant.engine.relation import Relation, Side, inverse_times_text, relation, times_text
from assistant.engine.replies import reply
from assistant.facts.mentions import FigureMention
from assistant.models import Answer, AnswerKind, Figure
from assistant.quantities import POINTS, RATIO

ASKS_WHOLE = re.compile(r"(倒推|整体|全区|全部|总共|总额|总产值|总量)")
STATES_SHARE = re.compile(r"(占|比重|份额|分之)")
MIN_COVERAGE = 0.5
ASKS_PERCENT = re.compile(r"(百分比|百分之|百分数|几分之几|几成|%|％)")
DECIMALS = 2


class ProseArithmetic:
    """Computes from two stated figures of one sentence; None when no sentence holds both."""

    def __init__(self, mentions: MentionAnswerer, plan_years: set[int]) -> None:
        self.mentions = mentions
        self.plan_years = plan_years

    def answer(self, question: str, intent: Intent) -> Answer | None:
        earlier = [year for year in intent.years if year not in self.plan_years and year + 1 in self.plan_years]
        if earlier and (answer := self._year_before(question, intent, earlier[0])) is not None:
            return answer
        if intent.operation == "compare" and len(intent.subjects) < 2:
            return self._two_things(question, intent)  # a thing the fact base holds has no figure mention to win
        if not self._about_prose(question, intent):
            return None
        if intent.operation in ("ratio", "difference") or (intent.operation == "growth" and self._names(intent)):
            return self._two_figures(question, intent) or self._two_things(question, intent)
        if intent.operation == "growth":
            return self._from_stated_change(question, intent)
        if STATES_SHARE.search(question) and ASKS_WHOLE.search(question):
            return self._whole_from_share(question, intent)
        return None

    def _about_prose(self, question: str, intent: Intent) -> bool:
        """Only what the fact base cannot compute: a place or thing only the prose names, a change
        the prose states, or a whole implied by a stated share."""
        return bool(
            intent.mentioned
            or self.mentions.names_prose_subject(question, intent, any_operation=True)
            or asks_change(question)
            or (STATES_SHARE.search(question) and ASKS_WHOLE.search(question))
        )

    def _names(self, intent: Intent) -> list[list[str]]:
        """The places and subjects the question compares, in the order it names them, each with
        every name it goes by (the park's short name)."""
        aliases = self.mentions.passages.all_aliases
        named = [[name] for name in intent.mentioned] + [sorted(aliases.get(s, [s]), key=len) for s in intent.subjects]
        if len(named) == 1 and intent.mentioned:  # 比湖滨园少多少: the plan's own park set against the place it names
            named = [sorted(aliases.get(park, [park]), key=len) for park in sorted(self.mentions.passages.park_names)] + named

        def position(names: list[str]) -> int:
            found = [intent.text.find(n) for n in names if n in intent.text]
            return min(found) if found else len(intent.text)

        return sorted(named, key=position)

    def _sentences(self, question: str, intent: Intent) -> list[list[FigureMention]]:
        """Sentences covering the question's own topic best, then its indicator words, each as its figures."""
        broad = self.mentions.topic(intent, with_indicators=True)
        topic = self.mentions.topic(intent) or broad
        if not topic:
            return []
        passages = self.mentions.passages
        scored = [
            (passages.weighted_coverage(topic, held), passages.weighted_coverage(broad, held), group)
            for group in self.mentions.by_sentence
            for held in [self.mentions.held(topic | broad, group[0])]
        ]
        scored = [triple for triple in scored if triple[0] >= MIN_COVERAGE]
        return [group for _, _, group in sorted(scored, key=lambda triple: (-triple[0], -triple[1]))]

    def _two_figures(self, question: str, intent: Intent) -> Answer | None:
        names = self._names(intent)
        measures = asked_measures(question)
        for group in self._sentences(question, intent):
            pair = self._by_names(group, names) or self._by_measures(group, measures)
            if pair is not None:
                return self._combine(question, intent, *pair)
        return None

    def _two_things(self, question: str, intent: Intent) -> Answer | None:
        """Two things the prose writes of in different places (甲项目和乙项目谁投资大), each with its
        own figure of the one measure asked: the figure whose sentence holds most of the thing's words.
        A piece naming nothing specific (哪个项目) is how the question asks, not a third thing."""
        measures = asked_measures(question)
        if len(measures) != 1:
            return None
        pieces = [
            words for piece in LISTED.split(intent.residue) if self.mentions.specific(words := self._words(piece, intent, measures[0]))
        ]
        if len(pieces) != 2:
            return None
        first, second = (self._figure_of(words, measures[0]) for words in pieces)
        if first is None or second is None or first is second or first.dimension != second.dimension:
            return None
        if intent.operation != "compare":
            return self._combine(question, intent, first, second)
        top, other = (first, second) if (first.value >= second.value) != (intent.direction == "min") else (second, first)
        text = phrasing.prose_compare(_named(top), _named(other), top.value < other.value) + _relation(top, other).sentence()
        return self._reply(question, text, None, [top, other], "compare")

    def _words(self, piece: str, intent: Intent, measure: Measure) -> set[str]:
        """A piece's plan words, less the measure's (总投资 names no thing)."""
        passages = self.mentions.passages
        return {t for t in passages.content_tokens(piece, intent) if len(t) >= 2 and passages.known(t) and not measure.asked.search(t)}

    def _figure_of(self, words: set[str], measure: Measure) -> FigureMention | None:
        passages = self.mentions.passages
        scored = [(passages.weighted_coverage(words, self.mentions.held(words, m)), m) for m in self.mentions.mentions if fits(m, measure)]
        best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        return best[1] if best[0] >= MIN_COVERAGE else None

    @staticmethod
    def _by_names(group: list[FigureMention], names: list[list[str]]) -> tuple[FigureMention, FigureMention] | None:
        """Each name's figure: the first figure whose label carries one of its names (one dimension)."""
        if len(names) < 2:
            return None
        picked = [next((m for m in group if any(n in m.label for n in aliases)), None) for aliases in names[:2]]
        first, second = picked
        if first is None or second is None or first is second or first.dimension != second.dimension:
            return None
        return first, second

    @staticmethod
    def _by_measures(group: list[FigureMention], measures: list) -> tuple[FigureMention, FigureMention] | None:
        """Two measures of one thing (总投资 … 年销售收入): each measure's figure, in the question's order."""
        if len(measures) < 2:
            return None
        picked = [next((m for m in group if fits(m, measure)), None) for measure in measures[:2]]
        first, second = picked
        if first is None or second is None or first is second or first.dimension != second.dimension:
            return None
        return first, second

    def _combine(self, question: str, intent: Intent, first: FigureMention, second: FigureMention) -> Answer:
        scale = first.value / first.number if first.number else 1.0
        if intent.operation == "difference":
            delta = (first.value - second.value) / scale
            result = f"{format_exact(abs(delta))}{first.unit}"
            text = (
                phrasing.prose_difference(_named(first), _named(second), result, delta >= 0) + _relation(first, second).multiple_sentence()
            )
            computed = _computed("差值", abs(delta), first.unit, result)
        elif intent.operation == "growth":
            rate = (first.value / second.value - 1) * 100
            result = phrasing.percent(rate)
            text = phrasing.prose_growth(_named(first), _named(second), result)
            computed = _computed("增长率", round(rate, phrasing.PERCENT_DECIMALS), "%", result)
        elif ASKS_PERCENT.search(question):  # 几分之几 / 换算成百分比: the ratio as a percentage
            share = first.value / second.value * 100
            result = phrasing.percent(share)
            text = phrasing.prose_times(_named(first), _named(second), result, phrasing.PERCENT_DECIMALS)
            computed = _computed("比例", round(share, phrasing.PERCENT_DECIMALS), "%", result)
        else:
            times = first.value / second.value
            result = times_text(times)
            text = (
                phrasing.prose_times(_named(first), _named(second), result, DECIMALS, inverse_times_text(times))
                + _relation(first, second).gap_sentence()
            )
            computed = _computed("倍数", round(times, DECIMALS), "倍", result)
        return self._reply(question, text, computed, [first, second])

    def _from_stated_change(self, question: str, intent: Intent) -> Answer | None:
        """A figure with its stated change (45件,比上年增加3件): growth = change ÷ (figure − change)."""
        for group in self._sentences(question, intent):
            changes = [m for m in group if m.change and m.dimension not in (RATIO, POINTS)]
            for change in changes:
                level = next((m for m in group if m is not change and m.dimension == change.dimension and m.start < change.start), None)
                if level is None or level.value <= change.value:
                    continue
                rate = change.value / (level.value - change.value) * 100
                result = phrasing.percent(rate)
                earlier = f"{format_number((level.value - change.value) / (level.value / level.number), DECIMALS)}{level.unit}"
                text = phrasing.prose_growth_from_change(_as_written(level), _as_written(change), earlier, result)
                return self._reply(
                    question, text, _computed("增长率", round(rate, phrasing.PERCENT_DECIMALS), "%", result), [level, change]
                )
        return None

    def _year_before(self, question: str, intent: Intent, year: int) -> Answer | None:
        """A year the plan has no figure for, just before one whose figure it states with its change
        (2020年…45件,比上年增加3件; …同比增长20%), that year said in its paragraph up to it: that
        year's level is the figure less the change."""
        stated = f"{year + 1}年"
        for group in self._sentences(question, intent):
            text = self.mentions.texts[group[0].doc]
            if stated not in text[text.rfind("\n", 0, group[0].sentence_start) + 1 : group[0].sentence_end]:
                continue
            for change in (m for m in group if m.change):
                level = next((m for m in reversed(group) if m.start < change.start and m.dimension not in (RATIO, POINTS)), None)
                if level is None or (change.dimension != RATIO and change.dimension != level.dimension):
                    continue
                scale = level.value / level.number if level.number else 1.0
                before = level.value / (1 + change.value) if change.dimension == RATIO else level.value - change.value
                result = f"{format_number(before / scale, DECIMALS)}{level.unit}"
                text = phrasing.prose_year_before(year, _as_written(level), _as_written(change), result, change.dimension == RATIO)
                return self._reply(
                    question, text, _computed(f"{year}年", round(before / scale, DECIMALS), level.unit, result), [level, change]
                )
        return None

    def _whole_from_share(self, question: str, intent: Intent) -> Answer | None:
        """A part with the share it is of a whole (300亿元,占全区的比重为75%): whole = part ÷ share."""
        for group in self._sentences(question, intent):
            share = next((m for m in group if m.dimension == RATIO and STATES_SHARE.search(m.label + m.text)), None)
            if share is None or not share.value:
                continue
            measures = asked_measures(question)
            parts = [m for m in group if m.dimension not in (RATIO, POINTS) and m.start < share.start]
            parts = [m for m in parts if not measures or any(fits(m, measure) for measure in measures)]
            part = max(parts, key=lambda m: m.start, default=None)
            if part is None:
                continue
            whole = part.value / share.value / (part.value / part.number)
            result = f"{format_number(whole, DECIMALS)}{part.unit}"
            text = phrasing.prose_whole(_as_written(part), _as_written(share), result)
            return self._reply(question, text, _computed("整体", round(whole, DECIMALS), part.unit, result), [part, share])
        return None

    def _reply(
        self, question: str, text: str, computed: Figure | None, inputs: list[FigureMention], kind: AnswerKind = "compute"
    ) -> Answer:
        sentences = list({(m.doc, m.sentence_start): m for m in inputs}.values())
        quotes = [self.mentions.texts[m.doc][m.sentence_start : m.sentence_end] for m in sentences]
        figures = [*([computed] if computed is not None else []), *[self.mentions.figure(m) for m in inputs]]
        citations = [self.mentions.citation(m, m.sentence_start, m.sentence_end) for m in sentences]
        return reply(question, f"{text}{phrasing.quoted(quotes)}", kind, figures, citations, 0.85)


def _named(mention: FigureMention) -> tuple[str, str]:
    """The figure with the thing its paragraph is about (甲项目:… 总投资…): two paragraphs' figures need their names."""
    label = mention.label if mention.paragraph_label in mention.label else f"{mention.paragraph_label}{mention.label}"
    return label, mention.text


def _relation(first: FigureMention, second: FigureMention) -> Relation:
    """Two stated figures of one dimension, the gap in the larger of their units."""
    shown = max((first, second), key=lambda m: m.value / m.number if m.number else 1.0)
    scale = shown.value / shown.number if shown.number else 1.0
    return relation(Side(first.value, first.text), Side(second.value, second.text), shown.unit, scale)


def _as_written(mention: FigureMention) -> tuple[str, str]:
    return mention.label, mention.text


def _computed(indicator: str, value: float, unit: str, text: str) -> Figure:
    return Figure(subject="", indicator=indicator, year=None, value=value, unit=unit, text=text, kind="computed")
