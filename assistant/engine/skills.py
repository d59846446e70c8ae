"""Answer strategies as registered skills: one contract, tried in order, the first answer wins.

``answer(question, intent) → Answer | None``: a skill that cannot answer returns None and the next
is tried; passages always answer (or refuse with a reason), so the chain ends there. A new kind of
question is one skill here and one entry in ``default_skills``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Protocol

from assistant.engine import phrasing
from assistant.engine.chat import BETWEEN_SUBJECTS
from assistant.engine.clauses import asking_clause
from assistant.engine.dossier import DossierAnswerer
from assistant.engine.factbase import format_number
from assistant.engine.intent import ChangeKind, Intent
from assistant.engine.measures import asked_measures, asks_change, asks_stated_change, sized_dimensions
from assistant.engine.mentions import MentionAnswerer
from assistant.engine.outline import OutlineAnswerer
from assistant.engine.passages import PassageAnswerer
from assistant.engine.prose_arithmetic import ProseArithmetic
from assistant.engine.replies import NO_PROCEDURE, combine, direction_only, refusal, reply
from assistant.engine.structured import StructuredAnswerer
from assistant.engine.topics import TopicAnswerer
from assistant.models import Answer, Citation, Figure
from assistant.quantities import MONEY, MONEY_USD, asked_unit, find_quantities, same_kind, same_unit_kind, unit_dimension

MONEY_DIMENSIONS = frozenset({MONEY, MONEY_USD})
PROCEDURE_TOLD = re.compile(r"申请|申报|办理|受理|报名|流程")  # a quote telling how one applies
CLOSE_POINTS = 0.5  # two computed growth rates nearer than this are one planned rate, rounded (甲 4.02 %, 乙 4.00 %)


class Skill(Protocol):
    def answer(self, question: str, intent: Intent) -> Answer | None: ...


class EvidenceRefusal:
    """Refusals that need no search: a place the plan does not have, a year the question leaves relative."""

    def __init__(self, structured: StructuredAnswerer) -> None:
        self.base = structured.base
        self.parks = structured.parks

    def answer(self, question: str, intent: Intent) -> Answer | None:
        places = [s for s in intent.subjects if s in self.base.subpark_names]  # the whole park contains any place asked of
        if intent.unknown_subjects and (not places or intent.operation in BETWEEN_SUBJECTS):
            text = phrasing.subject_not_in_plan(
                intent.unknown_subjects, sorted(self.parks), [self.base.lexicon.label(s) for s in self.base.subpark_names]
            )
            return refusal(question, text, "subject_not_in_plan")
        if intent.relative_year and intent.concepts and not intent.years:
            text = phrasing.relative_year(intent.relative_year, sorted(self.base.plan_years()))
            return refusal(question, text, "relative_year")
        return None


class ChangesCompared:
    """Which of two grew faster (甲和乙哪个同比增速更快): each one's change, as the prose states it
    (同比增长…%) or, towards a target year, as the tables imply it, set against the other's. Only
    changes of one kind are compared: five planned years against one stated year is no comparison."""

    def __init__(self, structured: StructuredAnswerer, mentions: MentionAnswerer) -> None:
        self.structured = structured
        self.mentions = mentions

    def answer(self, question: str, intent: Intent) -> Answer | None:
        if intent.compared_change is None:
            return None
        field = "concepts" if len(intent.concepts) >= 2 else "subjects"
        things = getattr(intent, field)[:2]
        first, second = (self._change(question, intent.model_copy(update={field: [thing]}), intent.compared_change) for thing in things)
        if first is None or second is None or first.computed != second.computed:
            return None
        faster = (first.figure.value >= second.figure.value) != (intent.direction == "min")
        top, other = (things[0], things[1]) if faster else (things[1], things[0])
        label = self.structured.label
        said = [(label(thing), change.figure.text) for thing, change in zip(things, (first, second), strict=True)]
        close = first.computed and abs(first.figure.value - second.figure.value) < CLOSE_POINTS
        points = format_number(abs(first.figure.value - second.figure.value), phrasing.PERCENT_DECIMALS)
        text = phrasing.changes_compared(label(top), label(other), intent.direction == "min", said, close, points)
        told = combine(first.answer, second.answer)
        shown = told.answer if first.computed else phrasing.quoted([c.quote for c in told.citations])  # a formula, or the quotes
        return told.model_copy(update={"answer": f"{text}{shown}", "kind": "compare"})

    def _change(self, question: str, one: Intent, kind: ChangeKind) -> Change | None:
        """One thing's change in percent: the tables' growth (or yearly growth) to a target year,
        else the prose's own; a change the plan states (同比) is the prose's only."""
        operation = "cagr" if kind == "cagr" else "growth"
        one = one.model_copy(update={"operation": operation, "asks_quantity": True, "compared_change": None, "direction": None})
        if kind != "stated" and (computed := _percent(self.structured.answer(question, one), computed=True)) is not None:
            return computed
        return _percent(self.mentions.answer(question, one, with_indicators=True), computed=False)


@dataclass(frozen=True)
class Change:
    """One thing's change: the answer telling it, its figure in percent, and whether it was computed."""

    answer: Answer
    figure: Figure
    computed: bool


def _percent(answer: Answer | None, computed: bool) -> Change | None:
    """The change in percent an answer tells: the computed figure (the tables'), or the stated one (the prose's)."""
    if answer is None or answer.refused:
        return None
    figure = next((f for f in answer.figures if f.unit == "%" and (f.kind == "computed") == computed), None)
    return Change(answer, figure, computed) if figure is not None else None


class ProseSubjectFigures:
    """A quantity of something only the prose names (a project, a company, a benchmark park)."""

    def __init__(self, mentions: MentionAnswerer, structured: StructuredAnswerer) -> None:
        self.mentions = mentions
        self.structured = structured

    def answer(self, question: str, intent: Intent) -> Answer | None:
        if not self.mentions.names_prose_subject(question, intent) or self._profiles_state(intent):
            return None
        answer = self.mentions.answer(question, intent)
        # nothing stated of it, while several indicators were named: a question about the tables
        return None if answer is not None and answer.refused and len(intent.concepts) >= 2 else answer

    def _profiles_state(self, intent: Intent) -> bool:
        """A named sub-park's profile states every indicator asked (湖畔AI基地专精特新几家): the
        rest of the name is no prose thing."""
        base = self.structured.base
        named = [s for s in intent.subjects if s in base.subpark_names]
        return bool(named and intent.concepts) and all(base.related(s, c) is not None for s in named for c in intent.concepts)


class TopicTargets:
    """A topic's figures aimed at, asked openly (甲到2025年有啥硬指标): its section's target sentences."""

    def __init__(self, topics: TopicAnswerer) -> None:
        self.topics = topics

    def answer(self, question: str, intent: Intent) -> Answer | None:
        return self.topics.targets(question, intent)


class Facts:
    """Indicators from tables and profiles; the prose's own figure beside it for a two-part question,
    and the prose's stated change (比上年增长) where the tables cannot give one."""

    def __init__(self, structured: StructuredAnswerer, mentions: MentionAnswerer) -> None:
        self.structured = structured
        self.mentions = mentions

    def answer(self, question: str, intent: Intent) -> Answer | None:
        if not self.applies(intent) or self._prices_unknown(intent):
            return None
        if (
            intent.operation in ("lookup", "growth", "difference")
            and len(intent.concepts) == 1
            and asks_stated_change(intent.text)
            and self._year_before_untold(intent)
        ):
            return self._year_on_year(question, intent)
        if intent.operation == "lookup" and intent.paraphrased and not intent.subjects and not intent.years:
            stated = self.mentions.answer(question, intent)  # 高校毕业生多少人: the prose's figure, not an employment indicator by meaning
            if stated is not None and not stated.refused:
                return stated
        if intent.operation == "lookup" and self.mentions.counts_narrower(question, intent):
            stated = self.mentions.answer(question, intent)  # 电子信息制造企业多少家: not all its 注册企业
            if stated is not None and not stated.refused:
                return stated
        answer = self.structured.answer(question, intent)
        if intent.operation == "share" and (shares := self._share_stated(intent)):
            # the plan's own words on the share beside the computation, or instead of a refusal
            if answer is None or answer.refused:
                text = phrasing.about_subpark(self.structured.label(intent.subjects[0]), [c.quote for c in shares])
                return reply(question, text, "lookup", [], shares, 0.8)
            return _also_in_plan(answer, shares)
        asked = asked_unit(intent.text)
        if (
            answer is not None
            and not answer.refused
            and answer.kind == "lookup"  # a computation's result has its own unit (增长多少 → %)
            and asked
            and answer.figures
            and not any(same_kind(asked, f.unit) for f in answer.figures)
        ):
            # 研发经费投入多少亿元 of an indicator kept in %: the amount asked is not what the plan gives
            stated = self.mentions.answer(question, intent, with_indicators=True)
            if stated is not None and not stated.refused:
                return stated
            return refusal(question, phrasing.unit_not_given(asked, answer.answer), "field_absent", answer.citations)
        if answer is not None and not answer.refused and answer.kind == "compare" and len(answer.figures) > 2:
            return self._with_plan_words(answer)
        if answer is not None and not answer.refused:
            answered = self._with_second_part(question, intent, answer)
            if asked and answer.kind == "lookup" and answer.figures and not any(same_unit_kind(asked, f.unit) for f in answer.figures):
                # 多少亿美元 of a figure kept in 亿元: the figure as the plan gives it, and saying so
                return answered.model_copy(update={"answer": answered.answer + phrasing.kept_in(answer.figures[0].unit, asked)})
            return answered
        if answer is not None and not self._stated_in_prose(question, intent) and not self._asked_of_a_topic(intent):
            return answer
        stated = self._stated_of_each(question, intent)
        return stated if stated is not None and not stated.refused else answer

    def _year_on_year(self, question: str, intent: Intent) -> Answer:
        """同比 / 比上年 asks the change over the year before: the prose's statement of it (after the
        tables' level when the level is asked too), else it is not given (the tables' growth towards a
        target year is another change), the level said."""
        level = self.structured.answer(question, intent.model_copy(update={"operation": "lookup"}))
        given = level.answer if level is not None and not level.refused else ""
        stated = self.mentions.answer(question, intent, with_indicators=True)
        if stated is not None and not stated.refused:
            return combine(level, stated) if level is not None and given and intent.operation == "lookup" else stated
        text = phrasing.change_not_stated(self.structured.label(intent.concepts[0]), given)
        return refusal(question, text, "field_absent", level.citations if level is not None and given else [])

    def _year_before_untold(self, intent: Intent) -> bool:
        """The years asked are the plan's, and the tables hold none of the years before them (a
        year outside the plan is refused as such; one whose year before the tables hold is computed)."""
        plan_years = self.structured.base.plan_years()
        return all(year in plan_years for year in intent.years) and not any(year - 1 in plan_years for year in intent.years)

    def _stated_of_each(self, question: str, intent: Intent) -> Answer | None:
        """The prose's figure of each indicator asked (两者的同比增幅分别多少: each one's own change)."""
        if len(intent.concepts) < 2:
            return self.mentions.answer(question, intent, with_indicators=True)
        each = [self.mentions.answer(question, intent.model_copy(update={"concepts": [c]}), with_indicators=True) for c in intent.concepts]
        told = [a for a in each if a is not None and not a.refused]
        if len(told) < len(each):
            return self.mentions.answer(question, intent, with_indicators=True)
        return functools.reduce(combine, told)

    def _share_stated(self, intent: Intent) -> list[Citation]:
        """One sub-park's profile's own words on its share of what is asked (贡献了全园几成的产值)."""
        if len(intent.subjects) != 1 or intent.subjects[0] not in self.structured.base.subpark_names:
            return []
        words = [w for c in intent.concepts for w in self.mentions.concept_words.get(c, [c]) if len(w) >= 2]
        return self.mentions.stated_shares(intent.subjects[0], words)

    def _prices_unknown(self, intent: Intent) -> bool:
        """多少钱 asked of a word no plan writes (一亩地价多少钱): the thing priced is no indicator,
        however near one it sounds (the unstated amount is refused after)."""
        return intent.asks_price and bool(self.mentions.passages.unknown_words(asking_clause(intent.text), intent))

    def _with_plan_words(self, answer: Answer) -> Answer:
        """Which sub-park leads on a measure: the plan's own words on the leader's weight (占地面积最大的
        园区, 占比几成) follow the computed order."""
        return _also_in_plan(answer, self.mentions.standing(answer.figures[0].subject))

    @staticmethod
    def applies(intent: Intent) -> bool:
        """An indicator is named, a figure is asked for, no outside place is involved, and what is
        asked is not a policy's support (评上高企能拿多少奖励 asks about support, not the count)."""
        if not intent.concepts or intent.operation == "list" or intent.mentioned or intent.asks_support:
            return False
        return intent.operation != "lookup" or intent.asks_quantity or bool(intent.years) or intent.follow_up

    def _with_second_part(self, question: str, intent: Intent, answer: Answer) -> Answer:
        if answer.kind != "lookup" or not intent.subjects:
            return answer
        stated = self.mentions.answer(question, intent)
        if stated is None or stated.refused:
            return answer
        known = [(f.source.start, f.source.end) for f in answer.figures if f.source]
        extra = [f for f in stated.figures if f.source and not any(f.source.start < end and start < f.source.end for start, end in known)]
        return combine(answer, stated.model_copy(update={"figures": extra})) if extra else answer

    def _asked_of_a_topic(self, intent: Intent) -> bool:
        """A figure the tables lack for the whole park, asked of a topic the context carries (an earlier
        turn's, 甲这块有哪些企业？→ 到2025年这块产值目标; or the message's own scene): the topic's own
        figure may be stated in the prose."""
        return bool(intent.context) and all(s in self.structured.parks for s in intent.subjects) and bool(self.mentions.topic(intent))

    def _stated_in_prose(self, question: str, intent: Intent) -> bool:
        """A park-level change may be stated in the prose; a sub-park's profile is complete, so a
        field it lacks is not looked for elsewhere."""
        return asks_change(question) and not [s for s in intent.subjects if s not in self.structured.parks]


def _also_in_plan(answer: Answer, citations: list[Citation]) -> Answer:
    """The plan's own sentences on the matter after a computed answer, those it does not quote yet."""
    fresh = [c for c in citations if c not in answer.citations]
    if not fresh:
        return answer
    text = f"{answer.answer}\n{phrasing.also_in_plan([c.quote for c in fresh])}"
    return answer.model_copy(update={"answer": text, "citations": [*answer.citations, *fresh]})


class ProseFigures:
    """A quantity asked without any indicator the fact base knows: the prose's figures."""

    def __init__(self, mentions: MentionAnswerer) -> None:
        self.mentions = mentions

    def answer(self, question: str, intent: Intent) -> Answer | None:
        if intent.concepts:
            return None
        stated = self.mentions.answer(question, intent)
        return stated if stated is not None and not stated.refused else None


class UnstatedProcedure:
    """How to apply for something (某基金怎么申请): a development plan says what will be done, seldom
    how one applies; where the passage on the thing writes no application at all, that is said,
    the measures quoted (asked beside the measures themselves, they answer)."""

    def __init__(self, passages: PassageAnswerer) -> None:
        self.passages = passages

    def answer(self, question: str, intent: Intent) -> Answer | None:
        if not intent.asks_procedure or intent.asks_measures:
            return None
        found = self.passages.answer(question, intent)
        if found.refused or any(PROCEDURE_TOLD.search(c.quote) for c in found.citations):
            return None
        return refusal(question, phrasing.procedure_not_given(found.answer), NO_PROCEDURE, found.citations, found.confidence)


class UnstatedAmount:
    """How much a support or a cost is (购房补贴能补多少钱), where the plan's passage on it states
    no amount of money (other figures it may state), or how big a thing only the prose names is
    (某基金规模多大) where its passage states no figure at all: said beside the measures, or refused
    alone; the price of a thing no plan writes of is refused outright."""

    def __init__(self, passages: PassageAnswerer, mentions: MentionAnswerer) -> None:
        self.passages = passages
        self.mentions = mentions

    def answer(self, question: str, intent: Intent) -> Answer | None:
        if intent.asks_amount:
            unknown = self.passages.unknown_words(asking_clause(intent.text), intent)
            if unknown:  # 厂房租金多少一平米: what is priced is written in no plan (the scene may use any words)
                return self.passages.nothing(question, unknown)
            found = self.passages.answer(question, intent)
            if found.refused or any(q.dimension in MONEY_DIMENSIONS for c in found.citations for q in find_quantities(c.quote)):
                return None
            return direction_only(found, intent)
        if not self._quantity_of_prose_thing(question, intent):
            return None
        found = self.passages.answer(question, intent)  # 某基金规模多大: the plan names it, states no figure of it
        if found.refused or any(find_quantities(c.quote) for c in found.citations):
            return None
        return direction_only(found, intent)

    def _quantity_of_prose_thing(self, question: str, intent: Intent) -> bool:
        """A figure asked of a thing only the prose names (a fund, a project), not of a sub-park or indicator."""
        return (
            intent.asks_quantity
            and not intent.concepts
            and all(s in self.passages.park_names for s in intent.subjects)
            and self.mentions.names_prose_subject(question, intent)
        )


class Profile:
    """A sub-park named with nothing else asked (“<sub-park>呢？”, “介绍一下<sub-park>”, “体量多大”): its
    figures, then the plan's own words on its weight (a share of the park, a rank) where it has any."""

    def __init__(self, structured: StructuredAnswerer, mentions: MentionAnswerer, dossiers: DossierAnswerer) -> None:
        self.structured = structured
        self.mentions = mentions
        self.dossiers = dossiers

    def answer(self, question: str, intent: Intent) -> Answer | None:
        named = [s for s in intent.subjects if s not in self.structured.parks]
        if len(named) != 1 or intent.concepts or intent.operation != "lookup" or not (intent.asks_quantity or intent.asks_overview):
            return None
        if self.mentions.passages.names_labelled_thing(intent.text):
            return None  # 甲园有个乙项目，规模多大: the project's own paragraph is asked of, not the sub-park's figures
        if self._measures_not_stated(intent, named[0]):
            return None  # 离地铁站多远: a kind of figure its profile has none of is asked, not the place's figures
        if not intent.asks_quantity and self.dossiers.asked_fields(intent.text):
            return None  # 产业基础怎么样，还有空地吗: what its dossier holds is asked, not its figures
        answer = self.structured.profile(question, named[0], sized_dimensions(intent.text))
        standing = self.mentions.standing(named[0])
        if answer is None or not standing:
            return answer
        text = f"{answer.answer}{phrasing.sentences([c.quote for c in standing])}"
        return answer.model_copy(update={"answer": text, "citations": [*answer.citations, *standing]})

    def _measures_not_stated(self, intent: Intent, subject: str) -> bool:
        measures = asked_measures(intent.text)
        stated = {unit_dimension(f.unit)[0] for f in self.structured.base.subject_facts(subject)}
        return bool(measures) and all(not (m.dimensions & stated) for m in measures)


class Suitability:
    def __init__(self, dossiers: DossierAnswerer) -> None:
        self.dossiers = dossiers

    def answer(self, question: str, intent: Intent) -> Answer | None:
        return self.dossiers.which(question, intent)


class SubparkDossier:
    def __init__(self, dossiers: DossierAnswerer) -> None:
        self.dossiers = dossiers

    def answer(self, question: str, intent: Intent) -> Answer | None:
        return self.dossiers.about(question, intent)


def default_skills(
    structured: StructuredAnswerer,
    mentions: MentionAnswerer,
    outline: OutlineAnswerer,
    topics: TopicAnswerer,
    dossiers: DossierAnswerer,
    passages: PassageAnswerer,
) -> list[Skill]:
    """The registry, in the order skills are tried: evidence refusals, figures, structure, text."""
    return [
        EvidenceRefusal(structured),
        ChangesCompared(structured, mentions),
        ProseArithmetic(mentions, structured.base.plan_years()),
        ProseSubjectFigures(mentions, structured),
        TopicTargets(topics),
        Facts(structured, mentions),
        ProseFigures(mentions),
        UnstatedAmount(passages, mentions),
        UnstatedProcedure(passages),
        Profile(structured, mentions, dossiers),
        topics,
        outline,
        Suitability(dossiers),
        SubparkDossier(dossiers),
        passages,
    ]
