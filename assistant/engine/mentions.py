"""Answers from figure mentions: a quantity asked about anything the prose names.

The question's topic (its content words, less names the fact base already owns, indicator words,
measure and quantity words) is matched to the sentences that state figures; the measure asked
(investment, tax, output, area, people, count, share, change, rank) picks the compatible figure
of that sentence by its dimension and the label before it. Figure first, sentence quoted.

When the topic is found — a project, company or place the plan writes about — but none of its
sentences states the measure asked, that is positive evidence for a refusal, which says what the
plan does give about it.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from functools import cached_property

from assistant.engine import phrasing
from assistant.engine.abbreviations import spelled_in
from assistant.engine.clauses import LISTED, asking_clause, clauses, counted_noun
from assistant.engine.intent import Intent
from assistant.engine.measures import CHANGE, MEASURES, PEOPLE_NOUNS, PER_AREA, Measure, asked_measures
from assistant.engine.names import in_order
from assistant.engine.passages import PassageAnswerer, held_in
from assistant.engine.replies import combine, refusal, reply
from assistant.facts.mentions import FigureMention, extract_mentions
from assistant.models import Answer, Citation, Figure
from assistant.parsing.document import PlanDocument
from assistant.quantities import AREA, CALENDAR, COUNT, PEOPLE, RATIO, asked_unit, other_counter

STANDING = frozenset({RATIO, "rank"})  # a share of the whole or a place in a ranking
SUPERLATIVE = re.compile(r"最[大多高强]|首个|首家")  # 占地面积最大的园区: the plan ranks it itself
EACH = re.compile(r"各|分别")  # 甲和乙各几家: a figure of each thing listed
RESTATED = re.compile(r"^(折合|相当于)")  # 税收3亿元/年以上,折合亩均税收127万/亩: the same amount put another way

MIN_TOPIC_COVERAGE = 0.6
MIN_THEME_COVERAGE = 0.8
COUNTED_COVERAGE = 0.5  # a figure counting a word of the topic needs less of the rest
SCOPED_COVERAGE = 0.5  # a sentence about the named sub-park holding every rare word of the topic needs less of the rest
SPECIFIC_SHARE = 0.025
MIN_SPECIFIC_CHUNKS = 3
MAX_FIGURES = 4
QUANTITY_TOKENS = re.compile(
    r"^(多少|几|多大|多高|多长|多久|数量|规模|金额|多少钱|大概|大约|左右|目标|是多少|有多少|百分点?|分点|百分比|百分数|[零一二两三四五六七八九十百千万\d]+[个家件项所位名种类大部块]?)$"
)


POINTS_BACK_OPENING = re.compile(r"[^,，。]{0,4}?[,，]?(项目|该|其|此)")  # 预计,项目建成后…: the labelled thing itself
HOW_MANY = re.compile(r"多少|几")
HOW_MUCH = re.compile(r"多少|几|多大|多高|多长|多久|多远|排名|第几|占比|比例|百分")
TIME_OR_NUMBER_TAGS = frozenset({"t", "m", "mq"})  # jieba's time words and numerals
NOUN_TAGS = frozenset("nj")  # jieba's nouns (n, nz, vn is a verb-noun: not taken) and abbreviations
MAX_COUNTED_CHARS = 16
COUNTED_BEFORE = re.compile(r"([\u4e00-\u9fff]{4,12}?)有?(?:多少|几)[个家所项件台套座]")


def clause_topics(question: str, measures: list[Measure | None], topic: set[str], scoped: bool = False) -> dict[int, frozenset[str]]:
    """Each measure's own topic: a later clause asking another measure (某药业产业园占地多少亩，分几个
    功能区) adds words about that measure only; the first clause names what all are about. Among a
    named sub-park's own figures (``scoped``), a measure's own clause says enough (加工区转型来的
    那个园，电子信息制造企业多少家: the first clause only named the park)."""
    parts = clauses(question)
    holding = {
        id(measure): {i for i, clause in enumerate(parts) if measure is not None and measure.asked.search(clause)} for measure in measures
    }
    topics: dict[int, frozenset[str]] = {}
    for measure in measures:
        own = holding[id(measure)]
        others = {i for other in measures if other is not measure for i in holding[id(other)]} - own - {0}
        elsewhere = {t for t in topic if any(t in parts[i] for i in others) and not any(t in parts[i] for i in own | {0})}
        in_own = {t for t in topic if any(t in parts[i] for i in own)}
        topics[id(measure)] = frozenset(in_own if scoped and in_own else topic - elsewhere)
    return topics


def asks_amount_last(question: str) -> bool:
    """The message's last asking clause asks an amount: 手上有几项专利想转化，有没有平台可以对接
    asks whether there is a platform; its 几项 was the asker's own scene."""
    return bool(HOW_MUCH.search(asking_clause(question)))


def names_counted(counted: str, after: str) -> bool:
    """The words after a count name the thing counted (3到5家有潜力的软件企业), perhaps with a
    character more (功能区 in 3个功能分区: its characters in order at the start)."""
    return counted in after or in_order(counted, after[: len(counted) + 2])


def labelled_as_companion(mention: FigureMention, measure: Measure, measures: list[Measure | None]) -> bool:
    """A per-area figure answers 每亩产值 only when labelled as the 产值 asked beside it (亩均税收
    is not 亩均产值)."""
    if PER_AREA not in measure.dimensions:
        return True
    companions = [m for m in measures if m is not None and m is not measure and m.labelled is not None]
    return not companions or any(c.labelled is not None and c.labelled.search(mention.label) for c in companions)


def fits(mention: FigureMention, measure: Measure, counted: str | None = None) -> bool:
    """The figure is of the measure's dimension and labelled as it (a count of the thing counted)."""
    numerator, _, per = mention.dimension.partition("/")
    if PER_AREA in measure.dimensions:
        return per == AREA
    dimension = numerator if per in CALENDAR else mention.dimension  # 2亿元/年 is an amount of money
    if dimension not in measure.dimensions:
        return False
    if measure.name == "数量" and counted is not None:
        return counted in mention.label or names_counted(counted, mention.after)
    if measure is CHANGE:
        return mention.change
    return measure.labelled is None or bool(measure.labelled.search(mention.label)) or mention.label == ""


MIN_SPELLED = 3  # two characters a few apart are chance (成…交)


class MentionAnswerer:
    """Quantity questions answered from figure mentions, scored by the passages' relevance model."""

    def __init__(self, documents: list[PlanDocument], passages: PassageAnswerer) -> None:
        self.documents = documents
        self.passages = passages
        self.texts = {document.doc: document.text for document in documents}
        self.concept_words = {concept.name: concept.words() for concept in passages.lexicon.concepts}
        self.lexicon = passages.lexicon

    @cached_property
    def mentions(self) -> list[FigureMention]:
        """Extracted on the first question that needs them, so a lookup starts without them."""
        return extract_mentions(self.documents)

    @cached_property
    def by_sentence(self) -> list[list[FigureMention]]:
        """The mentions grouped by the sentence that states them, in document order."""
        groups: dict[tuple[str, int], list[FigureMention]] = {}
        for mention in self.mentions:
            groups.setdefault((mention.doc, mention.sentence_start), []).append(mention)
        return list(groups.values())

    @cached_property
    def tokens(self) -> dict[int, frozenset[str]]:
        return {id(m): self._sentence_tokens(m) for m in self.mentions}

    @cached_property
    def owner(self) -> dict[int, str]:
        """The sub-park whose own profile block a mention stands in."""
        names = dict(self.lexicon.alias_table())
        subparks = {s.name for s in self.lexicon.subparks}
        return {id(m): owner for m in self.mentions if (owner := names.get(m.section.split(" > ")[-1])) in subparks}

    def _sentence_tokens(self, mention: FigureMention) -> frozenset[str]:
        return frozenset(self.passages.tokenizer.tokens(f"{self._said_of(mention)} {mention.context}"))

    def _said_of(self, mention: FigureMention) -> str:
        """A mention's sentence, with what its labelled paragraph (某项目:…) said before it when the
        sentence opens by pointing back at the labelled thing (预计,项目建成后年产… follows 某材料是…主材)."""
        text = self.texts[mention.doc]
        sentence = text[mention.sentence_start : mention.sentence_end]
        if not mention.paragraph_label or not POINTS_BACK_OPENING.match(sentence):
            return sentence
        return text[text.rfind("\n", 0, mention.sentence_start) + 1 : mention.sentence_end]

    def topic(self, intent: Intent, with_indicators: bool = False) -> set[str]:
        """Content words naming what the question is about: its residue less what is measured,
        plus its indicator words when the fact base could not answer them."""
        text = intent.residue
        if with_indicators:
            text += " " + " ".join(intent.concepts)
        for measure in MEASURES:  # people the plan seldom counts (毕业生) are also what the question is about
            text = measure.asked.sub(
                lambda m: m.group(0) if PEOPLE_NOUNS.fullmatch(m.group(0)) and self.specific({m.group(0)}) else " ", text
            )
        tokens = self.passages.content_tokens(text, intent)
        common = self.passages.common_limit()
        return {
            t
            for t in tokens
            if len(t) >= 2 and self.passages.known(t) and self.passages.chunk_frequency(t) <= common and not QUANTITY_TOKENS.match(t)
        }

    def names_prose_subject(self, question: str, intent: Intent, any_operation: bool = False) -> bool:
        """The question names a specific thing of the prose (a project, company, another park):
        a word few chunks hold, which no subject or indicator of the fact base accounts for."""
        operation_fits = any_operation or intent.operation in ("lookup", "density")  # 亩均税收 may be stated in the prose
        named = {t for t in self.specific(self.topic(intent)) - self._indicator_words(intent) if not self._time_or_number(t)}
        return intent.asks_quantity and operation_fits and bool(named)

    def _time_or_number(self, word: str) -> bool:
        """全年, 当年: a time or a quantity, however rarely the plan writes it, names no thing."""
        return all(flag in TIME_OR_NUMBER_TAGS for _, flag in self.passages.tokenizer.tags(word))

    def _indicator_words(self, intent: Intent) -> set[str]:
        """The words of the indicators understood (单位面积某收入… found by meaning): they name no prose thing."""
        return set(self.passages.tokenizer.tokens(" ".join(w for c in intent.concepts for w in self.concept_words.get(c, []))))

    def specific(self, topic: set[str]) -> set[str]:
        rare = max(MIN_SPECIFIC_CHUNKS, SPECIFIC_SHARE * len(self.passages.retriever.chunks))
        return {t for t in topic if len(t) >= 2 and self.passages.chunk_frequency(t) <= rare}

    def answer(self, question: str, intent: Intent, with_indicators: bool = False) -> Answer | None:
        """With the earlier turn's topic first; a follow-up naming a topic of its own that the two
        together do not find (文旅产业产值目标？ → 那物流呢？) is asked of its own topic."""
        topic = self.topic(intent, with_indicators)
        found = self._each_listed(question, intent, topic) or self._answer(question, intent, topic)
        own = self.topic(intent.own(), with_indicators)
        if (found is None or found.refused) and intent.context and (self.specific(own) or (own and intent.subjects)):
            return self._answer(question, intent, own) or found
        if (
            intent.context
            and found is not None
            and not found.refused
            and (specific_own := self.specific(own))
            and not self._quotes_any(found, specific_own)
        ):
            # 那芯片设计企业要培育几家 after a turn on another industry: its own rare words decide the sentence
            alone = self._answer(question, intent, own)
            return alone if alone is not None and not alone.refused and self._quotes_any(alone, specific_own) else found
        if found is not None and found.refused and intent.context and (specific := self.specific(topic)) != topic:
            # 光芯那个项目包括什么？→ 投资多大: what the earlier turn named, not all its words
            return self._answer(question, intent, specific) or found
        return found

    def _each_listed(self, question: str, intent: Intent, topic: set[str]) -> Answer | None:
        """甲和乙各要培育几家: each listed thing's own figure, with the words said of both (the
        industry a scene clause names), not the one sentence best holding both."""
        clause = asking_clause(question)
        if not EACH.search(clause):
            return None
        pieces = [piece for piece in LISTED.split(clause) if piece]
        owned = [{t for t in topic if t in piece} for piece in pieces]
        shared = {t for t in topic if not any(t in piece for piece in pieces)}
        if len(pieces) < 2 or not all(self.specific(words) for words in owned):
            return None
        for context in (shared, set()):  # the words said of all, unless no sentence of each holds them
            found = [self._answer(question, intent, words | context) for words in owned]
            told = [a for a in found if a is not None and not a.refused]
            if len(told) == len(owned) and len({c.start for a in told for c in a.citations}) >= len(told):
                return functools.reduce(combine, told)
        return None

    def _quotes_any(self, answer: Answer, words: set[str]) -> bool:
        quoted = set(self.passages.tokenizer.tokens(" ".join(c.quote for c in answer.citations)))
        return bool(quoted & words)

    def _answer(self, question: str, intent: Intent, topic: set[str]) -> Answer | None:
        if not topic or not intent.asks_quantity or intent.operation == "list":
            return None
        indicator_words = self._indicator_words(intent)
        support = {id(m): len(indicator_words & self.tokens[id(m)]) for m in self.mentions}
        needed = MIN_TOPIC_COVERAGE if self.specific(topic) else MIN_THEME_COVERAGE
        measures: list[Measure | None] = [*asked_measures(question)] or [None]
        chosen: list[FigureMention] = []
        missing: list[Measure] = []
        pool = self._about_subjects(intent)
        scoped = pool is not self.mentions
        specific = self.specific(topic)
        topics = clause_topics(question, measures, topic, scoped=scoped)
        counter = asked_unit(asking_clause(question))
        for measure in measures:
            coverage = self._coverage(topics[id(measure)])
            counted = counted_noun(question)
            counts_topic = measure is None and not intent.concepts and bool(HOW_MANY.search(question))  # 高校资源多少: counting 高校
            fitting = [
                m
                for m in pool
                if (measure is None and intent.concepts and self._labelled_as(m, indicator_words))
                or (counts_topic and self._counts(m, topic))
                or (measure is not None and fits(m, measure, counted) and labelled_as_companion(m, measure, measures))
            ]
            fitting = [m for m in fitting if self._year_fits(m, intent) and not (counter and other_counter(counter, m.unit))]
            told = {m.sentence_start for m in chosen}  # two figures asked in one breath: the sentence stating both
            best = max(
                fitting,
                key=lambda m: (coverage[id(m)], support[id(m)], m.sentence_start in told, -self._others_named(m, intent), -m.start),
                default=None,
            )
            if best is not None and coverage[id(best)] >= self._needed(best, needed, counts_topic, specific if scoped else set()):
                chosen.extend(
                    m
                    for m in fitting
                    if coverage[id(m)] == coverage[id(best)] and m.sentence_start == best.sentence_start and m not in chosen
                )
            elif measure is not None:
                missing.append(measure)
        for measure in list(missing):
            beside = [m for m in pool if m not in chosen and fits(m, measure, counted_noun(question)) and self._beside(m, chosen)]
            if beside:  # 药业产业园占地多大，分几个功能区: the same paragraph is about the same thing
                chosen.append(beside[0])
                missing.remove(measure)
        chosen = [*chosen, *self._restated(chosen)][:MAX_FIGURES]
        if chosen:
            return self._reply(question, chosen, missing)
        return self._refusal(question, intent, topic, missing)

    def _restated(self, chosen: list[FigureMention]) -> list[FigureMention]:
        """The figures right after a chosen one that restate it (折合亩均税收…): part of the answer,
        as the plan gives them together."""
        following = {
            id(earlier): later for group in self.by_sentence for earlier, later in itertools.pairwise(sorted(group, key=lambda m: m.start))
        }
        restated = (following.get(id(c)) for c in chosen)
        return [m for m in restated if m is not None and m not in chosen and RESTATED.match(m.label)]

    def _needed(self, mention: FigureMention, needed: float, counts_topic: bool, specific: set[str]) -> float:
        """How much of the topic a sentence must hold: less when it counts a word of the topic, or
        when it is about the sub-park named and holds every rare word asked (甲那边拆了个市场腾出的地:
        拆除腾出来的近千亩空地, though the plan names the trade city it was, not 市场)."""
        if counts_topic:
            return min(needed, COUNTED_COVERAGE)
        if specific and specific <= self.held(specific, mention):
            return min(needed, SCOPED_COVERAGE)
        return needed

    def _coverage(self, topic: frozenset[str]) -> dict[int, float]:
        """How much of the topic each mention's sentence holds, weighted by rarity."""
        weight = math.fsum(self.passages.idf.get(t, self.passages.unseen_idf) for t in topic)
        return {id(m): self.passages.weighted_coverage(set(topic), self.held(topic, m), weight) for m in self.mentions}

    def held(self, topic: set[str] | frozenset[str], mention: FigureMention) -> frozenset[str]:
        """The words of a mention's sentence, with topic words written inside its longer words (贡献 in
        贡献率) or spelled out there (成交额 in 成交金额)."""
        sentence = self._sentence(mention)
        held = held_in(set(topic), self.tokens[id(mention)], sentence)
        return held | {t for t in topic if len(t) >= MIN_SPELLED and t not in held and spelled_in(t, sentence)}

    def counts_narrower(self, question: str, intent: Intent) -> bool:
        """The question counts a kind of thing (电子信息制造企业有多少家) that a sentence about its
        sub-park counts (40多家电子信息制造业企业), narrower than any indicator it named."""
        match = COUNTED_BEFORE.search(question)
        named = [s for s in intent.subjects if s not in self.lexicon.park_names()]
        if match is None or not named:
            return False
        phrase = match.group(1)
        if any(phrase in self.concept_words.get(c, []) for c in intent.concepts):
            return False
        return any(m.dimension == COUNT and in_order(phrase, self._counted_thing(m)) for m in self._about_subjects(intent))

    def _beside(self, mention: FigureMention, chosen: list[FigureMention]) -> bool:
        """The mention stands in the paragraph of a figure already chosen."""
        return any(self._paragraph(mention) == self._paragraph(other) for other in chosen)

    def _paragraph(self, mention: FigureMention) -> tuple[str, int]:
        text = self.texts[mention.doc]
        return mention.doc, text.rfind("\n", 0, mention.sentence_start)

    def _counts(self, mention: FigureMention, topic: set[str]) -> bool:
        """The figure counts a word of the topic (13所高校 for 高校多少)."""
        if mention.dimension not in (COUNT, PEOPLE):
            return False
        counted = self._counted_thing(mention)
        return any(len(word) >= 2 and word in counted for word in topic)

    def _told(self, mention: FigureMention, chosen: list[FigureMention]) -> str:
        """A figure as the answer tells it: its label (less an earlier figure of the same clause
        told already: 13所高校10万余名师生) and what it counts."""
        label = mention.label
        for earlier in chosen:
            if earlier.sentence_start == mention.sentence_start and mention.start - len(label) <= earlier.start < mention.start:
                label = self.texts[mention.doc][earlier.end : mention.start].removeprefix(self._counted_thing(earlier))
        told = f"{label}{mention.text}" if label and not mention.text.startswith(label) else mention.text
        return told + self._counted_thing(mention)

    def _counted_thing(self, mention: FigureMention) -> str:
        """The words right after a count or a number of people (4个功能分区, 10万余名师生): a short
        rest of the clause whole, else its leading nouns, so the figure reads as what it counts."""
        if mention.dimension not in (COUNT, PEOPLE):
            return ""
        if len(mention.after) <= MAX_COUNTED_CHARS and not any(char.isdigit() for char in mention.after):
            return mention.after
        nouns = itertools.takewhile(lambda pair: pair[1][:1] in NOUN_TAGS, self.passages.tokenizer.tags(mention.after[:MAX_COUNTED_CHARS]))
        return "".join(word for word, _ in nouns)

    def _labelled_as(self, mention: FigureMention, words: set[str]) -> bool:
        """The words before a figure name what it counts (专利授权15215件), not merely its sentence."""
        return bool(words & set(self.passages.tokenizer.tokens(mention.label)))

    def _about_subjects(self, intent: Intent) -> list[FigureMention]:
        """Mentions about the sub-parks a question names: in their own profile or naming them."""
        named = [s for s in intent.subjects if s not in self.lexicon.park_names()]
        if not named:
            return self.mentions
        aliases = [alias for s in named for alias in self.passages.aliases.get(s, [s])]
        return [m for m in self.mentions if self.owner.get(id(m)) in named or any(a in self._said_of(m) for a in aliases)]

    def _others_named(self, mention: FigureMention, intent: Intent) -> int:
        """How many sub-parks the question does not name the figure's sentence names too: a sentence
        listing every sub-park (the park's total area and all its parts) is about none of them in particular."""
        sentence = self._sentence(mention)
        return sum(
            1
            for name, aliases in self.passages.aliases.items()
            if name not in intent.subjects and name not in self.lexicon.park_names() and any(a in sentence for a in aliases)
        )

    def _year_fits(self, mention: FigureMention, intent: Intent) -> bool:
        """A year asked must not contradict the years its sentence states."""
        if not intent.years:
            return True
        sentence = self.texts[mention.doc][mention.sentence_start : mention.sentence_end]
        stated = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", sentence)}
        return not stated or bool(stated & set(intent.years))

    def _reply(self, question: str, chosen: list[FigureMention], missing: list[Measure]) -> Answer:
        parts = [self._told(m, chosen) for m in chosen]
        owners = list(dict.fromkeys(self.owner[id(m)] for m in chosen if id(m) in self.owner))
        labels = list(dict.fromkeys(m.paragraph_label for m in chosen if m.paragraph_label))
        about = self.lexicon.label(owners[0]) if len(owners) == 1 else labels[0] if len(labels) == 1 else None
        sentences: list[FigureMention] = []
        for mention in chosen:
            if all(mention.sentence_start != s.sentence_start for s in sentences):
                sentences.append(mention)
        text = phrasing.stated_figures(about, parts, [m.name for m in missing], [self._sentence(m) for m in sentences])
        figures = [self.figure(m) for m in chosen]
        citations = [self.citation(m, m.sentence_start, m.sentence_end) for m in sentences]
        return reply(question, text, "lookup", figures, citations, 0.85)

    def _refusal(self, question: str, intent: Intent, topic: set[str], missing: list[Measure]) -> Answer | None:
        """The topic names a specific thing the plan writes about (a word few chunks hold), yet no
        sentence about it states the measure asked: the plan positively does not give it. A
        policy's support (补贴多少) is not refused: its measures are answered, with a note that no
        amount is given."""
        specific = self.specific(topic)
        missing = [measure for measure in missing if not measure.computed]
        if not missing or not specific or intent.asks_support or not asks_amount_last(question):
            return None
        rarest = min(self.passages.chunk_frequency(t) for t in specific)
        names = {t for t in specific if self.passages.chunk_frequency(t) == rarest}
        overlap = {id(m): len(names & self.tokens[id(m)]) for m in self.mentions}
        most = max(overlap.values(), default=0)
        if most * 2 < len(names) or most == 0:
            return None
        about = [m for m in self.mentions if overlap[id(m)] == most]
        text = phrasing.measure_not_given([m.name for m in missing], list(dict.fromkeys(f"{m.label}{m.text}" for m in about[:MAX_FIGURES])))
        sentences = list({m.sentence_start: m for m in about}.values())[:MAX_FIGURES]
        return refusal(question, text, "field_absent", [self.citation(m, m.sentence_start, m.sentence_end) for m in sentences])

    def standing(self, subject: str) -> list[Citation]:
        """The plan's own words on a sub-park's weight (its share of the park's output, a rank, the
        largest of the parks): the sentences of its profile stating a share, a rank or a superlative,
        each once, in order."""
        chosen: dict[int, Citation] = {}
        for mention in self.mentions:
            weighs = mention.dimension in STANDING or SUPERLATIVE.search(self._sentence(mention)) is not None
            if self.owner.get(id(mention)) == subject and weighs and mention.sentence_start not in chosen:
                chosen[mention.sentence_start] = self.citation(mention, mention.sentence_start, mention.sentence_end)
        return [chosen[start] for start in sorted(chosen)]

    def stated_shares(self, subject: str, words: list[str]) -> list[Citation]:
        """The sentences of a sub-park's profile stating its share of one of ``words`` (在全园产值中占比
        三分之一, 贡献了…的税收): the word stands in the share's own label or right after it."""
        chosen: dict[int, Citation] = {}
        for mention in self.mentions:
            if self.owner.get(id(mention)) != subject or mention.dimension != RATIO or mention.sentence_start in chosen:
                continue
            if any(word in f"{mention.label}{mention.text}{mention.after}" for word in words):
                chosen[mention.sentence_start] = self.citation(mention, mention.sentence_start, mention.sentence_end)
        return [chosen[start] for start in sorted(chosen)]

    def _sentence(self, mention: FigureMention) -> str:
        return self.texts[mention.doc][mention.sentence_start : mention.sentence_end]

    def citation(self, mention: FigureMention, start: int, end: int) -> Citation:
        return Citation(doc=mention.doc, section=mention.section, start=start, end=end, quote=self.texts[mention.doc][start:end])

    def figure(self, mention: FigureMention) -> Figure:
        return Figure(
            subject=self.owner.get(id(mention), mention.section.split(" > ")[-1]),
            indicator=mention.label or mention.unit,
            year=None,
            value=mention.number,
            unit=mention.unit,
            text=mention.text,
            kind="actual",
            source=self.citation(mention, mention.start, mention.end),
        )
