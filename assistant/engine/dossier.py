"""Open questions about sub-parks, answered from their dossiers.

* "X 主导产业 / 有哪些企业 / 在哪里 / 空地 / 试点…": the items of X's dossier in the field(s) asked,
  then by how much of the question they cover; the sub-park is named first, each item quoted.
* "做 Y 的企业适合去哪个子园 / 哪个园区有 Z": sub-parks ranked by the dossier item that covers the
  question best; the best one named first, with the sentence that makes it the answer.
"""

from __future__ import annotations

import itertools
import math
import re
from functools import cached_property

from assistant.engine import phrasing
from assistant.engine.abbreviations import spelled_in
from assistant.engine.intent import Intent
from assistant.engine.passages import PassageAnswerer
from assistant.engine.replies import reply
from assistant.facts.dossier import Dossier, DossierItem, build_dossiers
from assistant.models import Answer, Citation
from assistant.parsing.document import PlanDocument

FIELD_WEIGHT = 1.0
OWN_BLOCK_BONUS = 0.5
NAMING_BONUS = 0.3
MAX_ITEMS = 5
MAX_LIST_ITEMS = 8
FOLLOW_RATIO = 0.45  # calibrated on the tuned sets (session 4): 0.6 → 0.45 two more open answers, 0.35 the same
MIN_SUITABILITY = 0.3
MAX_REASONS = 3
FIELD_EVIDENCE = 0.5
RUNNER_UP_RATIO = 0.9
SECOND_WEIGHT = 0.5
GENERIC_SHARE = 0.15  # calibrated on the tuned sets: 0.1 loses a sub-park question, 0.3 an investor one
DENSE_WEIGHT = 1.0  # calibrated on the tuned sets: 0.3-0.6 changed nothing, 1.0-2.0 the same gain, 3.0 costs gold
MIN_COMPARED_PIECE = 4
MIN_SPELLED_PHRASE = 4  # two words of the question the plan writes apart (电子制造 in 电子信息制造业)
LOCATION_FIELD = "位置"  # the dossier field (corpus data) saying where a sub-park is
ASKS_SEVERAL = re.compile(r"(哪些|哪几)")
LOCATED_IN = re.compile(r"(在|位于|属于|落在|落户)(哪|哪个|哪些)")
ASKS_FITTING_THING = re.compile(
    r"(对口|适合|合适)的?[\u4e00-\u9fffA-Za-z]{0,6}?(平台|政策|机构|基金|资金|载体|服务|补贴|措施|支持|方向|领域)"
)
ASKS_PLACE_ITSELF = re.compile(r"(哪个|哪些|哪家|哪一个|哪几个)(子园|园区|园|基地|板块|区块|地方|片区)|去哪|放哪|哪块|哪片|(推荐|选|挑)哪")
ASKS_WHICH_PLACE = re.compile(rf"{ASKS_PLACE_ITSELF.pattern}|适合|合适|对口")


class DossierAnswerer:
    """Answers from sub-park dossiers, scored with the passages' relevance model."""

    def __init__(self, documents: list[PlanDocument], passages: PassageAnswerer) -> None:
        self.documents = documents
        self.passages = passages
        self.fields = passages.lexicon.dossier_fields

    @cached_property
    def dossiers(self) -> dict[str, Dossier]:
        """Built on the first question that needs them, so a lookup starts without them."""
        return build_dossiers(self.documents, self.passages.lexicon)

    @cached_property
    def tokens(self) -> dict[tuple[str, int], frozenset[str]]:
        tokenizer = self.passages.tokenizer
        return {(item.doc, item.start): frozenset(tokenizer.tokens(item.quote)) for d in self.dossiers.values() for item in d.items}

    @cached_property
    def chunk_of(self) -> dict[tuple[str, int], str]:
        """The chunk each dossier sentence lies in, by its id."""
        chunks = self.passages.retriever.chunks
        located: dict[tuple[str, int], str] = {}
        for dossier in self.dossiers.values():
            for item in dossier.items:
                key = (item.doc, item.start)
                if key not in located:
                    located[key] = next((c.id for c in chunks if c.doc == item.doc and c.start <= item.start < c.end), "")
        return located

    def asked_fields(self, question: str) -> set[str]:
        return {name for name, spec in self.fields.items() if any(word in question for word in spec.asked)}

    def about(self, question: str, intent: Intent) -> Answer | None:
        """An open question about one named sub-park."""
        named = [s for s in intent.subjects if s in self.dossiers]
        if len(named) != 1 or intent.concepts:
            return None
        dossier = self.dossiers[named[0]]
        fields = self.asked_fields(question)
        content = self._topic(question, intent)
        nearness = self.passages.nearness(question)  # the embedding model's half, beside keywords and words
        matched = [(score, item) for item in dossier.items if (score := self._score(item, fields, content)) > 0]
        scored = sorted(
            ((score + DENSE_WEIGHT * nearness.get(self.chunk_of[(item.doc, item.start)], 0.0), item) for score, item in matched),
            key=lambda pair: -pair[0],
        )  # meaning sorts the sentences the question's words or fields found; it never finds one alone
        if not scored or scored[0][0] <= 0:
            return None
        best = scored[0][0]
        if intent.operation == "list":
            return self._listing(question, dossier, [item for score, item in scored if score >= best * FOLLOW_RATIO])
        chosen = [item for score, item in scored if score >= best * FOLLOW_RATIO][:MAX_ITEMS]
        if ASKS_WHICH_PLACE.search(intent.text) and (where := self._location(dossier, chosen)):
            chosen.append(where)  # 推荐哪个 answered by the one place named: where it is, as for a ranked choice
        return self._reply(question, dossier, best_paragraphs_first([*chosen, *self._labels(dossier, chosen)], chosen), 0.8)

    @staticmethod
    def _labels(dossier: Dossier, chosen: list[DossierItem]) -> list[DossierItem]:
        """The label sentences (项目名:定位。) of the labelled paragraphs quoted: what the quoted
        sentence is about is named, not only where it lies."""
        wanted = {(i.doc, i.paragraph, i.label) for i in chosen if i.label and not i.own_block}
        taken = {(i.doc, i.start) for i in chosen}
        return [i for i in dossier.items if (i.doc, i.paragraph, i.quote) in wanted and (i.doc, i.start) not in taken]

    def _listing(self, question: str, dossier: Dossier, items: list[DossierItem]) -> Answer:
        """“有哪些项目/企业”: one entry per paragraph, a labelled paragraph by its label sentence
        (项目名:定位), so the list names every project rather than quoting one at length."""
        entries: dict[tuple[str, int], DossierItem] = {}
        for item in items:
            key = (item.doc, item.paragraph) if item.label and not item.own_block else (item.doc, item.start)
            if key not in entries:
                label = next((i for i in dossier.items if (i.doc, i.paragraph) == key and i.quote == item.label), None)
                entries[key] = label or item
        chosen = sorted(entries.values(), key=lambda item: (item.doc, item.start))[:MAX_LIST_ITEMS]
        answer = self._reply(question, dossier, chosen, 0.8)
        return answer.model_copy(update={"kind": "list"})

    def which(self, question: str, intent: Intent) -> Answer | None:
        """ "Which sub-park suits / has …": the sub-park whose dossier holds the question's telling
        phrases best, with its most telling sentences; a close runner-up is named too."""
        named = [s for s in intent.subjects if s not in self.passages.park_names]
        if named or intent.concepts or not ASKS_WHICH_PLACE.search(intent.text):  # asked now, not in an earlier turn
            return None
        if ASKS_FITTING_THING.search(intent.text) and not ASKS_PLACE_ITSELF.search(intent.text):
            return None  # 有没有对口的平台: a fitting platform or policy is asked for, not a sub-park
        if (intent.mentioned or self.passages.names_labelled_thing(intent.text)) and LOCATED_IN.search(intent.text):
            return None  # 某项目在哪个园区 / 甲那个项目在哪个子园: where a named thing is, which its own paragraph says
        pieces = self._pieces(question)
        phrases = self._telling_phrases(question, intent, pieces)
        fields = self.asked_fields(question) - {LOCATION_FIELD}  # 哪里合适 asks which one; where it is, the answer says anyway
        if not phrases and not fields:
            return None
        ranked: list[tuple[float, Dossier, list[DossierItem]]] = []
        for dossier in self.dossiers.values():
            scored = sorted(((self._evidence(item, fields, phrases), item) for item in dossier.items), key=lambda pair: -pair[0])
            if scored and scored[0][0] > 0:
                depth = scored[0][0] + SECOND_WEIGHT * (scored[1][0] if len(scored) > 1 else 0.0)  # more than one sentence shows it
                ranked.append((depth, dossier, [item for score, item in scored[:MAX_REASONS] if score >= scored[0][0] * FOLLOW_RATIO]))
        ranked.sort(key=lambda triple: -triple[0])
        if not ranked or ranked[0][0] < MIN_SUITABILITY or self._plan_compares(question, pieces):
            return None
        best = ranked[0][0]
        chosen = [(d, self._with_labels(d, items)) for score, d, items in ranked if score >= best * RUNNER_UP_RATIO][:2]
        reasons = [(d.label, "".join(i.quote for i in items)) for d, items in chosen]
        where = self._location(chosen[0][0], chosen[0][1])
        citations = [self._citation(i) for _, items in chosen for i in items] + ([self._citation(where)] if where else [])
        text = phrasing.best_subparks([d.label for d, _ in chosen], reasons, where.quote if where else None)
        answer = reply(question, text, "passage", [], citations, round(min(0.9, 0.3 + 0.4 * best), 2))
        return answer.model_copy(update={"about": [d.subject for d, _ in chosen]})

    @staticmethod
    def _location(dossier: Dossier, items: list[DossierItem]) -> DossierItem | None:
        """Where the recommended sub-park is (该区块位于综合保税区内…): the shortest sentence of its
        own profile stating the location field, unless a reason already says it."""
        stating = [i for i in dossier.items if LOCATION_FIELD in i.fields and i.own_block]
        where = min(stating, key=lambda i: len(i.quote), default=None)
        return None if where is None or any(LOCATION_FIELD in i.fields for i in items) else where

    @staticmethod
    def _with_labels(dossier: Dossier, items: list[DossierItem]) -> list[DossierItem]:
        """Each sentence of a labelled paragraph with the paragraph's label sentence (项目名:定位), so a
        reason quoted from a project's description names the project; paragraphs in the order of
        their best reason (``items`` are best first), each in the plan's order."""
        labels = [
            label
            for item in items
            if item.label
            for label in dossier.items
            if (label.doc, label.paragraph) == (item.doc, item.paragraph) and label.quote == item.label
        ]
        return best_paragraphs_first([*labels, *items], items)

    def _plan_compares(self, question: str, pieces: set[str]) -> bool:
        """A question asking which ones (哪几个板块处于某阶段) whose longest phrase the plan writes stands
        in a sentence naming several sub-parks: the plan's own sentence answers it, and passages
        quote it whole instead of one sub-park's dossier."""
        if not ASKS_SEVERAL.search(question):
            return False
        longest = max((p for p in pieces if len(p) >= MIN_COMPARED_PIECE), key=len, default=None)
        return longest is not None and any(
            longest in sentence.text and len(self._named(sentence.text)) >= 2
            for sentences in self.passages.sentences.values()
            for sentence in sentences
        )

    def _named(self, text: str) -> set[str]:
        """The sub-parks a text names, under any of their names."""
        return {name for name, aliases in self.passages.all_aliases.items() if name in self.dossiers and any(a in text for a in aliases)}

    def _pieces(self, question: str) -> set[str]:
        return self.passages.pieces(question)

    def _evidence(self, item: DossierItem, fields: set[str], phrases: dict[str, float]) -> float:
        """How well one sentence shows a sub-park has what the question looks for: the share of the
        telling phrases' weight it holds, plus the fields asked that it states."""
        total = math.fsum(phrases.values())
        coverage = math.fsum(weight for phrase, weight in phrases.items() if holds(item.quote, phrase)) / total if total else 0.0
        return coverage + FIELD_EVIDENCE * len(fields.intersection(item.fields)) / max(1, len(fields))

    def _telling_phrases(self, question: str, intent: Intent, pieces: set[str]) -> dict[str, float]:
        """The question's words and the longest pieces of it the plan writes (车联网平台, 自贸区),
        each weighted by how few sub-parks' dossiers hold it: a phrase every sub-park has tells
        none apart, however rare it is in the plan, and one only a sub-park has tells the most."""
        words = {t for t in self.passages.content_tokens(question, intent) if len(t) >= 2 and self.passages.known(t)}
        words |= pieces
        # 电子制造: two words side by side the plan writes with a word between them (电子信息制造业)
        cut = self.passages.tokenizer.cut(question)
        words |= {a + b for a, b in itertools.pairwise(cut) if len(a + b) >= MIN_SPELLED_PHRASE and {a, b} <= words}
        # AI: the plan's 人工智能, when that tells sub-parks apart (工厂 → 制造, which most hold, does not)
        others = {other for word in words for other in self.passages.synonyms.get(word, ())} - words
        total = len(self.dossiers)
        weights: dict[str, float] = {}
        for word in words | others:
            holding = sum(1 for d in self.dossiers.values() if any(holds(item.quote, word) for item in d.items))
            if 0 < holding < (total if word in words else total / 2):
                weights[word] = math.log((total + 1) / holding)
        return weights

    def _topic(self, question: str, intent: Intent) -> set[str]:
        """The question's own content words, without names, words many chunks hold (GENERIC_SHARE) and
        the words that ask for a field: within one sub-park's sentences a word the plan uses often
        (布局, 长三角) still tells them apart."""
        text = question
        for name in self.asked_fields(question):
            for word in self.fields[name].asked:
                text = text.replace(word, " ")
        common = GENERIC_SHARE * len(self.passages.retriever.chunks)
        return {
            t
            for t in self.passages.content_tokens(text, intent)
            if self.passages.known(t) and self.passages.chunk_frequency(t) <= common and len(t) >= 2
        }

    def _score(self, item: DossierItem, fields: set[str], content: set[str]) -> float:
        """Asked fields stated, question words covered, and how surely the sentence is about the
        sub-park: its own profile, then a sentence naming it, then the rest of a paragraph about it."""
        field_hits = len(fields.intersection(item.fields))
        coverage = self.passages.weighted_coverage(content, self.tokens[(item.doc, item.start)]) if content else 0.0
        if not field_hits and not coverage:
            return 0.0
        closeness = OWN_BLOCK_BONUS if item.own_block else NAMING_BONUS if item.names_subject else 0.0
        return FIELD_WEIGHT * field_hits / max(1, len(fields)) + coverage + closeness

    def _reply(self, question: str, dossier: Dossier, items: list[DossierItem], confidence: float) -> Answer:
        return reply(
            question,
            phrasing.about_subpark(dossier.label, [i.quote for i in items]),
            "passage",
            [],
            [self._citation(i) for i in items],
            confidence,
        )

    @staticmethod
    def _citation(item: DossierItem) -> Citation:
        return Citation(doc=item.doc, section=item.section, start=item.start, end=item.end, quote=item.quote)


def best_paragraphs_first(items: list[DossierItem], ranked: list[DossierItem]) -> list[DossierItem]:
    """Each item once, paragraphs in the order of their best item in ``ranked`` (best first), each
    paragraph in the plan's order: the substance asked for leads, and reads as the plan writes it."""
    rank: dict[tuple[str, int], int] = {}
    for place, item in enumerate(ranked):
        rank.setdefault((item.doc, item.paragraph), place)
    unique = {(i.doc, i.start): i for i in items}.values()
    return sorted(unique, key=lambda i: (rank.get((i.doc, i.paragraph), len(ranked)), i.doc, i.start))


def holds(quote: str, phrase: str) -> bool:
    """The sentence writes the phrase, or spells a long one out with a word or two between."""
    return phrase in quote or (len(phrase) >= MIN_SPELLED_PHRASE and spelled_in(phrase, quote))
