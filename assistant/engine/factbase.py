"""Facts indexed for answering: by subject and indicator, with units made comparable."""

from __future__ import annotations

from collections import defaultdict

from assistant.lexicon import Lexicon
from assistant.models import Citation, Fact, Figure
from assistant.quantities import unit_dimension

ORIGIN_PRIORITY = {"table2": 0, "table1": 1, "profile": 2, "narrative": 3}
PROSE_LABEL = "正文"


def base_value(value: float, unit: str) -> tuple[float, str]:
    """A value in its dimension's base unit, so 约1.5万人 and 约6800人 compare correctly."""
    dimension, scale = unit_dimension(unit)
    return value * scale, dimension


def same_dimension(first: Fact, second: Fact) -> bool:
    """Two facts can be divided into a share or subtracted only in one dimension (人 and 万人, not 家 and 亿美元)."""
    return base_value(1.0, first.unit)[1] == base_value(1.0, second.unit)[1]


def display_unit(units: list[str]) -> str:
    """The largest unit among inputs of one dimension (万人 over 人): how results are shown."""
    return max(units, key=lambda unit: unit_dimension(unit)[1])


def format_number(value: float, decimals: int = 2) -> str:
    """Rounded, without trailing zeros: 104.0 → 104, 13.888 → 13.89."""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


MOST_EXACT_DECIMALS = 4


def format_exact(value: float) -> str:
    """A sum or gap of stated figures, written exactly (2.35万人 less 4150人 is 1.935万人, not a
    rounded 1.94万人): the fewest decimals, at least two, that hold it, at most four."""
    decimals = next((d for d in range(2, MOST_EXACT_DECIMALS) if abs(round(value, d) - value) < 1e-9), MOST_EXACT_DECIMALS)
    return format_number(value, decimals)


def written(fact: Fact) -> str:
    """The value as written in the plan, with the unit appended when the cell holds a bare number."""
    return fact.text if fact.unit and fact.unit in fact.text else f"{fact.text}{fact.unit}"


def origin_label(fact: Fact) -> str:
    """Where a fact was read, named as the plan names it: its table's own label (表1), the annex
    heading its profile sits under, or the prose."""
    path = fact.source.section.split(" > ") if fact.source.section else []
    if fact.origin in ("table1", "table2") and path:
        return path[-1]
    if fact.origin == "profile" and path:
        return path[0]
    return PROSE_LABEL


def figure(fact: Fact) -> Figure:
    return Figure(
        subject=fact.subject,
        indicator=fact.indicator,
        year=fact.year,
        value=fact.value,
        unit=fact.unit,
        text=written(fact),
        kind=fact.kind,
        source=fact.source,
    )


def citation(fact: Fact) -> Citation:
    return fact.source.model_copy()


class FactBase:
    """All facts, with the lookups the engine needs."""

    def __init__(self, facts: list[Fact], lexicon: Lexicon, texts: dict[str, str]) -> None:
        self.facts = facts
        self.texts = texts
        self.lexicon = lexicon
        self.by_key: dict[tuple[str, str], list[Fact]] = defaultdict(list)
        for fact in sorted(facts, key=lambda f: ORIGIN_PRIORITY[f.origin]):
            self.by_key[(fact.subject, fact.indicator)].append(fact)
        self.subpark_names = [s.name for s in lexicon.subparks]
        self.park_names = lexicon.park_names()
        self._homes = {s.name: s.doc for s in lexicon.subparks}

    def park_of(self, subject: str) -> str:
        """The park whose plan profiles ``subject`` (a park is its own)."""
        if subject in self.park_names:
            return subject
        home = self._homes.get(subject)
        return self.lexicon.park_of(home).name if home else self.lexicon.park.name

    def of(self, subject: str, indicator: str) -> list[Fact]:
        """Facts of one subject and indicator, by year; a figure repeated elsewhere appears once,
        but two sources that disagree (表1 12件, 正文 11.8件) both stay."""
        seen: set[tuple[int | None, str, float]] = set()
        chosen = []
        for fact in self.by_key.get((subject, indicator), []):
            key = (fact.year, fact.kind, fact.value)
            if key not in seen:
                seen.add(key)
                chosen.append(fact)
        return sorted(chosen, key=lambda f: (f.year or 0, ORIGIN_PRIORITY[f.origin]))

    def at(self, subject: str, indicator: str, year: int | None) -> Fact | None:
        """The one figure a computation uses: the best-sourced at ``year`` (default: latest actual)."""
        facts = sorted(self.of(subject, indicator), key=lambda f: (f.year or 0, -ORIGIN_PRIORITY[f.origin]))
        if year is None:
            actual = [f for f in facts if f.kind == "actual"]
            return (actual or facts)[-1] if facts else None
        at_year = [f for f in facts if f.year == year]
        return at_year[-1] if at_year else None

    def sentence(self, fact: Fact) -> str:
        """The whole sentence a narrative figure stands in, for its context (同比增长…, 包括…)."""
        text = self.texts.get(fact.doc, "")
        start = max(text.rfind("。", 0, fact.source.start), text.rfind("\n", 0, fact.source.start)) + 1
        ends = [i for i in (text.find("。", fact.source.end), text.find("\n", fact.source.end)) if i >= 0]
        end = min(ends) + 1 if ends else len(text)
        return text[start:end].strip()

    def in_context(self, fact: Fact) -> str:
        """A narrative figure's sentence; a target's with the sentence before it in its paragraph,
        which says what the target is for (打造…示范区。到某年,产值达到…)."""
        sentence = self.sentence(fact)
        text = self.texts.get(fact.doc, "")
        start = text.find(sentence, max(0, fact.source.start - len(sentence)))
        if fact.kind != "target" or start < 0:
            return sentence
        line = text.rfind("\n", 0, start) + 1
        if not text[line:start].strip():
            return sentence
        previous = max(text.rfind("。", line, start - 1) + 1, line)
        return text[previous : start + len(sentence)].strip()

    def related(self, subject: str, indicator: str) -> str | None:
        """The subject's own indicator, or the one indicator of the subject sharing its last two
        characters and a unit (the park states 总面积 where sub-parks state 管辖面积)."""
        if self.of(subject, indicator):
            return indicator
        concept = self.lexicon.concept(indicator)
        units = set(concept.units) if concept else set()
        related = {
            name
            for (s, name) in self.by_key
            if s == subject and name[-2:] == indicator[-2:] and units & {f.unit for f in self.by_key[(s, name)]}
        }
        return related.pop() if len(related) == 1 else None

    def subject_facts(self, subject: str) -> list[Fact]:
        return [f for (s, _), facts in self.by_key.items() if s == subject for f in facts[:1]]

    def latest_year(self, indicator: str, kind: str) -> int | None:
        """The last year the indicator has a figure of ``kind`` (target: 2025; actual: 2020)."""
        years = [f.year for f in self.facts if f.indicator == indicator and f.kind == kind and f.year]
        return max(years) if years else None

    def plan_years(self) -> set[int]:
        return {f.year for f in self.facts if f.year is not None}
