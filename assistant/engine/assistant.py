"""``Assistant``: the Python API — ``Assistant.load(index_dir).ask(question, history)`` → ``Answer``."""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from pathlib import Path

from assistant.config import settings
from assistant.corpus import read_corpus
from assistant.facts.mentions import extract_mentions
from assistant.engine.chat import ChatState, resolve
from assistant.engine.factbase import FactBase
from assistant.engine.intent import Intent
from assistant.engine.mentions import MentionAnswerer, asks_change
from assistant.engine.normalize import QuestionNormalizer
from assistant.engine.outline import OutlineAnswerer
from assistant.engine.passages import PassageAnswerer
from assistant.engine.replies import combine, refusal
from assistant.engine.structured import StructuredAnswerer
from assistant.engine.understand import QuestionUnderstander
from assistant.models import Answer
from assistant.parsing.document import PlanDocument, parse_document
from assistant.retrieval.retriever import Retriever

MAX_HISTORY = 6
CACHE_SIZE = 1024
PROFILE_WORDS = re.compile(r"(情况|概况|介绍|简介|怎么样|如何|数据|指标)")
LOG = logging.getLogger(__name__)


class Assistant:
    """Answers questions about the plans of one index; load once, ask many times."""

    def __init__(self, retriever: Retriever, documents: list[PlanDocument]) -> None:
        self.retriever = retriever
        self.documents = documents
        self.texts = {document.doc: document.text for document in documents}
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._cache_lock = threading.Lock()
        lexicon = retriever.store.lexicon
        self.parks = lexicon.park_names()
        self.normalizer = QuestionNormalizer().load()
        self.understander = QuestionUnderstander(lexicon, "\n".join(self.texts.values()))
        self.structured = StructuredAnswerer(FactBase(retriever.store.facts, lexicon, self.texts))
        self.passages = PassageAnswerer(retriever, lexicon, self.texts)
        self.outline = OutlineAnswerer(documents, self.passages, lexicon)
        self.mentions = MentionAnswerer(extract_mentions(documents), self.passages, self.texts)

    @classmethod
    def load(cls, index_dir: Path | None = None, corpus_dir: Path | None = None) -> "Assistant":
        """Load and check the index (stale or corrupt → one clear error), the model and tokenizer."""
        config = settings(corpus_dir=corpus_dir, index_dir=index_dir)
        retriever = Retriever.load(config.index_dir, corpus_dir=config.corpus_dir, cache_dir=config.model_cache, model=config.model)
        documents = [parse_document(source.doc, source.text) for source in read_corpus(config.corpus_dir)]
        return cls(retriever, documents)

    def clear_cache(self) -> None:
        """Forget cached answers (benchmarks time real work, not cache hits)."""
        with self._cache_lock:
            self._answers.clear()

    def ask(self, question: str, history: list[str] | None = None, question_id: str | None = None) -> Answer:
        """One answer; never raises, whatever arrives (a non-text question is refused)."""
        if not isinstance(question, str):
            return refusal(str(question)[:200], "问题必须是文字。", "invalid_question", confidence=1.0).model_copy(update={"id": question_id})
        history = [item for item in history or [] if isinstance(item, str)]
        try:
            answer = self._ask(question, history)
        except Exception:  # a bug must not take the service down; it is logged with its traceback
            LOG.exception("failed to answer %r", question[:200])
            answer = refusal(question, "抱歉，回答这个问题时出现内部错误，已记录。请换个问法再试。", "internal_error", confidence=0.0)
        return answer.model_copy(update={"id": question_id, "question": question})

    def _ask(self, question: str, history: list[str]) -> Answer:
        text, notice = self.normalizer.normalize(question)
        if not text:
            return refusal(question, "问题是空的。请输入一个关于规划的问题，例如某个子园2020年的税收、2025年的目标或园区的发展举措。", "empty_question", confidence=1.0)
        state = ChatState()
        for earlier in history[-MAX_HISTORY:]:
            earlier_text, _ = self.normalizer.normalize(earlier)
            if not earlier_text:
                continue
            intent = resolve(self.understander.understand(earlier_text), state)
            state = state.after(intent, self._answer(earlier_text, intent), self.parks)
        intent = resolve(self.understander.understand(text), state)
        answer = self._answer(text, intent)
        if notice:
            answer = answer.model_copy(update={"answer": f"{notice}{answer.answer}"})
        return answer

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
        if intent.unknown_subjects and not intent.subjects:
            names = "、".join(intent.unknown_subjects)
            return refusal(
                text,
                f"规划中没有“{names}”。本规划涉及{'、'.join(sorted(self.parks))}及其子园：{'、'.join(self.structured.base.subpark_names)}。",
                "subject_not_in_plan",
            )
        if intent.relative_year and intent.concepts and not intent.years:
            return refusal(
                text,
                f"规划没有“{intent.relative_year}”这样的相对年份的数据；规划给出的年份为"
                f"{'、'.join(map(str, sorted(self.structured.base.plan_years())))}年，请指明年份。",
                "relative_year",
            )
        if self.mentions.names_prose_subject(text, intent):
            stated = self.mentions.answer(text, intent)
            if stated is not None:
                return stated
        if self._structured(intent):
            answer = self.structured.answer(text, intent)
            if answer is not None and not answer.refused:
                return self._with_second_part(text, intent, answer)
            if answer is not None and not self._stated_in_prose(text, intent):
                return answer
            stated = self.mentions.answer(text, intent, with_indicators=True)
            if stated is not None and not stated.refused:
                return stated
            if answer is not None:
                return answer
        elif not intent.concepts:
            stated = self.mentions.answer(text, intent)
            if stated is not None and not stated.refused:
                return stated
        if self._asks_profile(intent):
            answer = self.structured.profile(text, intent.subjects[0])
            if answer is not None:
                return answer
        return self.outline.answer(text, intent) or self.passages.answer(text, intent)

    def _asks_profile(self, intent: Intent) -> bool:
        """A sub-park named with nothing else asked (“<sub-park>呢？”, “介绍一下<sub-park>”)."""
        named = [s for s in intent.subjects if s not in self.parks]
        return len(named) == 1 and not intent.concepts and intent.operation == "lookup" and (
            intent.asks_quantity or bool(PROFILE_WORDS.search(intent.text))
        )

    def _with_second_part(self, text: str, intent: Intent, answer: Answer) -> Answer:
        """A two-part question (…多少家, 产值贡献率多少) whose other part the prose states about the same
        subject gets both: the fact base's figure and the stated one."""
        if answer.kind != "lookup" or not intent.subjects:
            return answer
        stated = self.mentions.answer(text, intent)
        if stated is None or stated.refused:
            return answer
        known = {(f.source.start, f.source.end) for f in answer.figures if f.source}
        extra = [f for f in stated.figures if f.source and not any(f.source.start < end and start < f.source.end for start, end in known)]
        if not extra:
            return answer
        return combine(answer, stated.model_copy(update={"figures": extra}))

    def _stated_in_prose(self, text: str, intent: Intent) -> bool:
        """A park-level change the tables cannot give may be stated in the prose (专利授权比上年增长53.6%);
        a sub-park's profile is complete, so a field it lacks is not looked for elsewhere."""
        return asks_change(text) and not [s for s in intent.subjects if s not in self.parks]

    @staticmethod
    def _structured(intent: Intent) -> bool:
        """Facts answer it: an indicator is named, a figure is asked for, no outside place is involved."""
        if not intent.concepts or intent.operation == "list" or intent.mentioned:
            return False
        return intent.operation != "lookup" or intent.asks_quantity or bool(intent.years) or intent.follow_up
