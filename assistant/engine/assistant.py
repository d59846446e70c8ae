"""``Assistant``: the Python API — ``Assistant.load(index_dir).ask(question, history)`` → ``Answer``."""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from functools import cached_property
from pathlib import Path

from assistant.config import settings
from assistant.corpus import read_corpus
from assistant.engine import phrasing
from assistant.engine.chat import ChatState, resolve
from assistant.engine.completion import OPEN_KINDS, AnswerCompletion
from assistant.engine.dossier import DossierAnswerer
from assistant.engine.factbase import FactBase
from assistant.engine.intent import Intent, Understander
from assistant.engine.meaning import IndicatorMeaning
from assistant.engine.mentions import MentionAnswerer
from assistant.engine.normalize import QuestionNormalizer
from assistant.engine.outline import OutlineAnswerer
from assistant.engine.passages import PassageAnswerer, paragraph_label
from assistant.engine.replies import merge, refusal, with_direction_note
from assistant.engine.skills import default_skills
from assistant.engine.spelling import Speller
from assistant.engine.structured import StructuredAnswerer
from assistant.engine.topics import TopicAnswerer
from assistant.engine.understand import QuestionUnderstander
from assistant.facts.dossier import Dossier
from assistant.index.store import checked_corpus
from assistant.models import Answer
from assistant.parsing.document import PlanDocument, parse_document
from assistant.retrieval.retriever import Retriever

MAX_HISTORY = 6
CACHE_SIZE = 1024
LOG = logging.getLogger(__name__)


class Assistant:
    """Answers questions about the plans of one index; load once, ask many times."""

    def __init__(self, retriever: Retriever, documents: list[PlanDocument], understander: Understander | None = None) -> None:
        """``understander`` defaults to the rule-based one over this corpus's lexicon; another (a
        model-based one, say) can be injected: nothing else reads the question's raw text."""
        self.retriever = retriever
        self.documents = documents
        self.texts = {document.doc: document.text for document in documents}
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._cache_lock = threading.Lock()
        lexicon = retriever.store.lexicon
        self.parks = lexicon.park_names()
        self.normalizer = QuestionNormalizer("\n".join(self.texts.values())).load()
        self.structured = StructuredAnswerer(FactBase(retriever.store.facts, lexicon, self.texts))
        self.passages = PassageAnswerer(retriever, lexicon, self.texts)
        self.understander: Understander = understander or QuestionUnderstander(
            lexicon,
            self.passages.corpus_text,
            self.passages.tokenizer,
            IndicatorMeaning(retriever.store.indicators, retriever.query_vector),
        )
        self.mentions = MentionAnswerer(documents, self.passages)
        self.dossier_answerer = DossierAnswerer(documents, self.passages)
        self.completion = AnswerCompletion(self.passages)
        self.skills = default_skills(
            self.structured,
            self.mentions,
            OutlineAnswerer(documents, self.passages, lexicon),
            TopicAnswerer(documents, self.passages),
            self.dossier_answerer,
            self.passages,
        )

    @cached_property
    def speller(self) -> Speller:
        """Built on the first question (the plan's vocabulary is the passages' own)."""
        return Speller(self.passages.idf, self.passages.corpus_text, self.passages.tokenizer)

    @property
    def dossiers(self) -> dict[str, Dossier]:
        """Every sub-park's dossier (built on first use)."""
        return self.dossier_answerer.dossiers

    @classmethod
    def load(cls, index_dir: Path | None = None, corpus_dir: Path | None = None) -> Assistant:
        """Load and check the index (stale or corrupt → one clear error) and its tokenizer; the corpus
        is the one asked for, else the one the index was built from (the model loads on first need)."""
        config = settings(corpus_dir=corpus_dir, index_dir=index_dir)
        corpus = checked_corpus(config)
        retriever = Retriever.load(config.index_dir, corpus_dir=corpus, cache_dir=config.model_cache, model=config.model)
        documents = [parse_document(source.doc, source.text) for source in read_corpus(corpus)]
        return cls(retriever, documents)

    def clear_cache(self) -> None:
        """Forget cached answers and query vectors (benchmarks time real work, not cache hits)."""
        with self._cache_lock:
            self._answers.clear()
        self.retriever.forget_queries()
        if isinstance(self.understander, QuestionUnderstander) and self.understander.meaning is not None:
            self.understander.meaning.forget()

    def ask(self, question: str, history: list[str] | None = None, question_id: str | None = None) -> Answer:
        """One answer; never raises, whatever arrives (a non-text question is refused)."""
        if not isinstance(question, str):
            return refusal(str(question)[:200], phrasing.NOT_TEXT, "invalid_question", confidence=1.0).model_copy(
                update={"id": question_id}
            )
        history = [item for item in history or [] if isinstance(item, str)]
        try:
            answer = self._ask(question, history)
        except Exception:  # a bug must not take the service down; it is logged with its traceback
            LOG.exception("failed to answer %r", question[:200])
            answer = refusal(question, phrasing.INTERNAL_ERROR, "internal_error", confidence=0.0)
        return answer.model_copy(update={"id": question_id, "question": question})

    def _after(self, state: ChatState, intent: Intent, answer: Answer) -> ChatState:
        """The conversation once a part was answered, with the topic its asker marked (甲这块)."""
        marked = self.passages.marked_topics(intent.residue)
        words = sorted(marked[0], key=intent.residue.find) if marked else []
        return state.after(intent, answer, self.parks, self._paragraphs(answer), self._thing(answer), " ".join(words))

    def _paragraphs(self, answer: Answer) -> str:
        """The whole paragraphs an answer quoted from: what the next question may ask more about."""
        spans = []
        for citation in answer.citations:
            text = self.texts.get(citation.doc, "")
            end = text.find("\n", citation.end)
            spans.append(text[text.rfind("\n", 0, citation.start) + 1 : end if end >= 0 else len(text)])
        return " ".join(spans)

    def _thing(self, answer: Answer) -> str:
        """The thing the answer's first quote is told of, when its paragraph is the one labelled with
        its name (甲项目: …; a label many paragraphs share, 区块概况, names no thing) and the question
        named it too."""
        if answer.refused or not answer.citations:
            return ""
        first = answer.citations[0]
        label = paragraph_label(self.texts.get(first.doc, ""), first.start)
        if not label:
            return ""
        uses = sum(len(re.findall(rf"^\s*{re.escape(label)}[:：]", t, re.MULTILINE)) for t in self.texts.values())
        return label if uses == 1 and self.passages.head_written(label, answer.question) else ""

    def _ask(self, question: str, history: list[str]) -> Answer:
        text, notice = self.normalizer.normalize(question)
        if not text:
            return refusal(question, self._empty_hint(), "empty_question", confidence=1.0)
        text = self.speller.correct(text)
        state = ChatState()
        for earlier in history[-MAX_HISTORY:]:
            earlier_text, _ = self.normalizer.normalize(earlier)
            if not earlier_text:
                continue
            earlier_text = self.speller.correct(earlier_text)
            for part in self.understander.parts(earlier_text):
                intent = resolve(self.understander.understand(part), state)
                earlier_answer = self._answer(part, intent)
                state = self._after(state, intent, earlier_answer)
        answers: list[Answer] = []
        names: list[str] = []
        for part in self.understander.parts(text):
            own = self.understander.understand(part)
            intent = resolve(own, state)
            if (
                answers
                and answers[-1].refused
                and own.elliptical
                and state.asked_amount
                and own.asks_quantity
                and not (own.subjects or own.concepts or own.unknown_subjects)
            ):
                # 补贴标准是多少？每平米能补几毛？: more of an amount the plan does not give is not given either
                answers.append(answers[-1].model_copy(update={"question": part}))
                continue
            answers.append(self._answer(part, intent))
            names += intent.subjects
            state = self._after(state, intent, answers[-1])
        open_part = len(answers) > 1 and any(a.kind in OPEN_KINDS and not a.refused for a in answers)
        answer = self.completion.complete(text, merge(answers), names, open_part)
        if notice:
            answer = answer.model_copy(update={"answer": f"{notice}{answer.answer}"})
        return answer

    def _empty_hint(self) -> str:
        """What to ask, in this corpus's own years."""
        years = sorted(self.structured.base.plan_years())
        return phrasing.empty_question(years[0] if years else None, years[-1] if years else None)

    def _answer(self, text: str, intent: Intent) -> Answer:
        """Answers are pure functions of the resolved intent, so a chat's earlier turns, replayed on
        every follow-up, are answered once (a small LRU keyed by the intent)."""
        key = intent.model_dump_json()
        with self._cache_lock:
            cached = self._answers.get(key)
            if cached is not None:
                self._answers.move_to_end(key)
                return cached
        answer = self._compute(text, intent)
        with self._cache_lock:
            self._answers[key] = answer
            if len(self._answers) > CACHE_SIZE:
                self._answers.popitem(last=False)
        return answer

    def _compute(self, question: str, intent: Intent) -> Answer:
        text = f"{intent.context} {question}".strip()
        return self._route(text, intent).model_copy(update={"question": question})

    def _route(self, text: str, intent: Intent) -> Answer:
        for skill in self.skills:
            answer = skill.answer(text, intent)
            if answer is not None:
                return with_direction_note(answer, intent)
        raise AssertionError("the passage skill always answers")
