"""What a question asks, as the engine understands it (no LLM: fast and deterministic)."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, Field

ChangeKind = Literal["growth", "cagr", "stated"]
Operation = Literal["lookup", "compare", "sum", "difference", "growth", "cagr", "ratio", "share", "density", "list", "open"]
Direction = Literal["max", "min"]
Period = Literal["actual", "target"]


class Intent(BaseModel):
    """Subjects, indicators, years and the operation recognised in one question."""

    text: str
    subjects: list[str] = Field(default_factory=list)
    concepts: list[str] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list)
    period: Period | None = None
    relative_year: str | None = None
    operation: Operation = "open"
    direction: Direction | None = None
    per_unit: str | None = Field(default=None, description="每平方公里 / 人均 / 亩均: the unit a figure is divided by")
    all_subparks: bool = False
    unknown_subjects: list[str] = Field(default_factory=list)
    mentioned: list[str] = Field(default_factory=list, description="places the plan mentions that are not subjects")
    elliptical: bool = False
    plural_reference: bool = False
    asks_quantity: bool = False
    asks_planned: bool = Field(default=False, description="目标 / 计划 / 预期: a planned value is asked, not what was reached")
    asks_when: bool = Field(default=False, description="什么时候 / 哪年: a date or time is asked")
    asks_support: bool = Field(default=False, description="补贴 / 奖励 / 扶持: a policy's support is asked")
    paraphrased: bool = Field(default=False, description="the indicator was found by meaning, no word of it written")
    whether: str = Field(default="", description="the word a yes-or-no question asks about (是不是停工了 → 停工)")
    supposed: str | None = Field(default=None, description="是不是也是甲多: the subject a yes-or-no comparison supposes is the one")
    asks_price: bool = Field(default=False, description="多少钱 / 地价: what something costs is asked in the asking clause")
    each_share: bool = Field(default=False, description="甲和乙各占多少: every indicator is written before the share word")
    asks_reason: bool = Field(default=False, description="为什么 / 差在哪: why something is as the plan says")
    asks_amount: bool = Field(default=False, description="多少钱 / 补多少 / 标准: how much money a support or cost is")
    asks_procedure: bool = Field(default=False, description="怎么申请 / 申请条件: how to apply for something, in the asking clause")
    asks_what: bool = Field(default=False, description="在哪 / 是什么 / 有哪些: asks where or what, not a figure")
    asks_whether: bool = Field(default=False, description="有没有 / 什么 / 怎么: asks what there is, beside any figure")
    compared_change: ChangeKind | None = Field(
        default=None, description="哪个增速更快: which of two grows more (同比: as stated; 年均: yearly), not which is larger"
    )
    every_year: bool = Field(default=False, description="两个年份 / 各年: every year an indicator has")
    points_back: bool = Field(default=False, description="它 / 那边: points back at what an earlier answer named")
    asks_measures: bool = Field(default=False, description="举措 / 政策 / 怎么做: what the plan will do about a topic")
    asks_overview: bool = Field(default=False, description="介绍 / 情况 / 怎么样: what a subject is like as a whole")
    own_topic: bool = Field(default=False, description="另外营商环境方面…: a topic of its own, no indicator or figure asked")
    topic_words: list[str] = Field(default_factory=list, description="the rare plan words an own topic is about (功能区)")
    follow_up: bool = Field(default=False, description="parts were filled in from earlier turns")
    context: str = Field(default="", description="what an earlier turn was about, for a follow-up that points back at it (那它…)")
    strange_words: list[str] = Field(
        default_factory=list, description="words of the residue the plan never writes and general Chinese seldom uses (能耗)"
    )
    residue: str = Field(
        default="", description="the question less names, indicator, operation, time and quantity words: what else it is about"
    )

    def own(self) -> Intent:
        """The question as asked, without the earlier turn's topic a follow-up was given."""
        if not self.context or not self.residue.startswith(self.context):
            return self
        return self.model_copy(update={"residue": self.residue[len(self.context) :].strip(), "context": ""})


class Understander(Protocol):
    """The one reader of a question's raw text: how many questions a message asks, and what each
    asks. The chat state is applied afterwards (``chat.resolve``), so an understander is stateless."""

    def parts(self, text: str) -> list[str]: ...

    def understand(self, text: str) -> Intent: ...
