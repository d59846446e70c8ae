"""Follow-up questions: what earlier turns established carries into an elliptical question.

``那它的税收呢？`` keeps the subject and takes the new indicator; ``<another sub-park>呢？`` keeps the
indicator and year and takes the new subject; ``两个加起来呢？`` gathers the subjects of earlier
turns. A question that names both its subject and indicator stands on its own.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.engine.clauses import counted_noun
from assistant.engine.intent import Intent
from assistant.engine.measures import asks_own_measure
from assistant.engine.names import written_within
from assistant.models import Answer

TOPIC_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,}")
BETWEEN_SUBJECTS = frozenset({"compare", "ratio", "difference"})  # operations of two places
CHANGE_OPERATIONS = ("growth", "difference", "cagr")  # a change asked from one year runs to the year said before
STRUCTURED_OPERATIONS = ("compare", "sum", "difference", "growth", "cagr", "ratio", "share", "density")


class ChatState(BaseModel):
    """What the conversation is about so far."""

    subjects: list[str] = Field(default_factory=list)
    concepts: list[str] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list)
    period: str | None = None
    operation: str | None = None
    direction: str | None = None
    per_unit: str | None = None
    named: list[str] = Field(default_factory=list, description="the sub-park the last answer named as its answer")
    mentioned_subjects: list[str] = Field(default_factory=list)
    topic: str = Field(default="", description="the last turn's own words beyond names and indicators")
    said: str = Field(default="", description="the paragraphs the last answer quoted from")
    unknown_subjects: list[str] = Field(default_factory=list, description="places the last turn asked of that no plan names")
    asked_amount: bool = Field(default=False, description="the last turn asked how much money (补贴给多少)")
    thing: str = Field(default="", description="the labelled paragraph's thing the last answer quoted first (甲项目)")

    def _topic_of(self, intent: Intent, marked: str) -> str:
        """What a turn was about, for a follow-up pointing back at it: the topic the asker marked
        (甲这块…: 甲), else the turn's residue; 年 少 of 2025年…多少 is no topic."""
        if marked:
            return marked
        return intent.residue if TOPIC_WORD.search(intent.residue) else self.topic

    def after(self, intent: Intent, answer: Answer, parks: set[str], said: str = "", thing: str = "", marked: str = "") -> ChatState:
        """The state once ``intent`` was answered; a comparison's winner becomes "it", and so does
        the sub-park named as the answer (哪个子园合适？) for a question that points back at it.
        ``marked``: the topic words the asker marked (甲这块), what a later 这块 points back at."""
        subjects = intent.subjects
        if answer.kind == "compare" and answer.figures and (intent.compared_change is None or len(intent.subjects) >= 2):
            subjects = [answer.figures[0].subject]  # of two indicators' changes compared, the faster one is no subject
        mentioned = [s for s in self.mentioned_subjects if s not in subjects] + [s for s in subjects if s not in parks]
        from_prose = bool(answer.figures) and all(f.year is None for f in answer.figures)
        # 要培育多少家企业 answered from a sentence: the indicator its wording found (注册企业) was not what was told
        return ChatState(
            subjects=subjects or self.subjects,
            concepts=[] if from_prose else intent.concepts or self.concepts,
            years=intent.years or (self.years if not intent.concepts else []),
            period=intent.period,
            operation=intent.operation,
            direction=intent.direction,
            per_unit=intent.per_unit,
            named=answer.about[:1],
            mentioned_subjects=mentioned,
            topic=self._topic_of(intent, marked),
            said=said,
            unknown_subjects=intent.unknown_subjects if answer.refused else [],
            asked_amount=intent.asks_amount,
            thing=thing,
        )


def resolve(intent: Intent, state: ChatState) -> Intent:
    """Fill what an elliptical question leaves out from the conversation state. A topic of its own
    that the last answer's sentences write (分成哪几个功能区 after a project's 4个功能分区) goes on
    about that answer's subject."""
    if intent.own_topic and not intent.subjects and any(written_within(w, state.said) for w in intent.topic_words):
        intent = intent.model_copy(update={"own_topic": False, "elliptical": True})
    if not intent.subjects and state.topic and (intent.elliptical or intent.plural_reference):
        context = f"{intent.context} {state.topic}".strip()  # the asker's own scene stays beside the earlier topic
        intent = intent.model_copy(update={"context": context, "residue": f"{state.topic} {intent.residue}".strip()})
    elif intent.subjects and not intent.concepts and intent.elliptical and not state.concepts and state.topic:
        # “东区有哪些重点项目？” → “那北湖呢？”: the same question of another subject
        operation = state.operation if intent.operation in ("lookup", "open") and state.operation else intent.operation
        intent = intent.model_copy(
            update={"context": state.topic, "residue": f"{state.topic} {intent.residue}".strip(), "operation": operation}
        )
    if (
        state.unknown_subjects
        and (intent.elliptical or intent.points_back)  # 那边主要做什么: 那边 is the place no plan names
        and not intent.unknown_subjects
        and (not intent.subjects or intent.operation in BETWEEN_SUBJECTS)
    ):
        # 某园从业人员多少？和本园比差多少 / 它的税收呢: still about the place no plan names
        return intent.model_copy(update={"unknown_subjects": state.unknown_subjects, "follow_up": True})
    if state.asked_amount and intent.elliptical and not (intent.asks_measures or intent.asks_what or intent.asks_quantity):
        intent = intent.model_copy(update={"asks_amount": True, "asks_quantity": True})  # 租房补贴给多少？购房补贴呢
    if state.thing and intent.points_back and not (intent.subjects or intent.concepts or intent.unknown_subjects):
        # 某园有个甲项目，它多大？→ 那边落了哪几家公司: 那边 is the thing just told of, not the place it lies in
        return intent.model_copy(
            update={
                "context": f"{state.thing} {intent.context}".strip(),
                "residue": f"{state.thing} {intent.residue}".strip(),
                "follow_up": True,
            }
        )
    if not state.subjects and not state.concepts and not state.named:
        return intent
    if intent.subjects and intent.concepts and not intent.elliptical:
        return intent
    if intent.own_topic and not intent.elliptical and not intent.points_back:
        # 另外营商环境方面呢: its own topic; the earlier indicator and years are not carried, the place is;
        # measures asked after an indicator (高企目标多少？有没有配套的培育计划) are sought beside its name
        if intent.asks_measures and state.concepts and not intent.context:
            intent = intent.model_copy(update={"context": " ".join(state.concepts)})
        return (
            intent if intent.subjects or not state.subjects else intent.model_copy(update={"subjects": state.subjects, "follow_up": True})
        )
    update: dict[str, object] = {}
    if not intent.subjects and not intent.unknown_subjects and state.named and intent.points_back:
        update["subjects"] = state.named  # 它/那边 after "最相关的是某子园"
    elif not intent.subjects and not intent.unknown_subjects:
        if intent.plural_reference and len(state.mentioned_subjects) >= 2:
            update["subjects"] = state.mentioned_subjects[-2:]
        elif not intent.all_subparks:
            update["subjects"] = state.subjects
            places = [s for s in state.subjects if s in state.mentioned_subjects]
            if intent.points_back and not intent.plural_reference and places and len(places) < len(state.subjects):
                update["subjects"] = places  # 它 after 甲在全园里是什么定位: the one place, not the whole it lies in
    measures_only = (intent.asks_measures or intent.asks_reason) and not intent.asks_quantity and not intent.years
    counts_its_own = counted_noun(intent.text) is not None  # 里面分几个功能区: what it counts is named
    if (
        not intent.concepts
        and not measures_only
        and not counts_its_own
        and not asks_own_measure(intent.text)  # 占地不大吧 after its 产值: a size, not the 产值 again
        and (intent.asks_quantity or intent.years or not intent.asks_what)
    ):
        # 2025年呢？ keeps the indicator; 它在哪？ asks no figure and is not about it
        update["concepts"] = state.concepts
    elif measures_only and intent.elliptical and not intent.concepts and state.concepts:
        # 打算怎么做到 / 为啥差: the measures or reasons for that indicator, sought beside its name, not its figure again
        update["context"] = " ".join([*state.concepts, intent.context]).strip()
        update["residue"] = " ".join([*state.concepts, intent.residue]).strip()
    if not intent.years and intent.period is None and not intent.every_year:  # 两个年份分别多少: all it gives
        update["years"] = state.years
        update["period"] = state.period
    elif intent.operation in CHANGE_OPERATIONS and len(intent.years) == 1 and (other := [y for y in state.years if y not in intent.years]):
        update["years"] = sorted([*intent.years, *other])  # 2030年目标多少？相对2020年增长多少: from 2020 to 2030
    if (
        intent.operation in ("lookup", "open")
        and not intent.concepts
        and not measures_only
        and state.operation in STRUCTURED_OPERATIONS
        and not intent.subjects
    ):
        update["operation"] = state.operation
        update["direction"] = intent.direction or state.direction
        update["per_unit"] = intent.per_unit or state.per_unit  # 人均税收？ → 2025年呢？ stays per person
    if intent.operation == "open" and update.get("concepts"):
        update["operation"] = "lookup"
    update["follow_up"] = any(update.get(key) for key in ("subjects", "concepts", "years"))
    return intent.model_copy(update=update)
