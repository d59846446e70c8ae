"""Completing an open answer with what else the message asked about.

A long message asks several things in few words (我们做某产品的，有对口基地吗？专利多，知识产权有啥
平台？), and the answer to its parts may leave one of them out. The message's rare plan words that the
answer's text does not hold are looked for in every sentence of the plan; the sentence holding most
of their weight, and near the message as a whole, is quoted after the answer (at most two).

A plan also says what it has on one topic in several places (a sub-park's annex, a project's
paragraph, a measures chapter): the chunks nearest the message in meaning that the answer did not
quote give their sentence holding most of the message's rare words too (at most two), and so do
the few chunks writing a phrase the message writes whole (at most two more): another place the
plan names the very thing asked.
"""

from __future__ import annotations

import math
import re
from functools import cached_property

from assistant.engine import phrasing
from assistant.engine.passages import RARE_CHUNKS, PassageAnswerer, Sentence
from assistant.index.chunks import Chunk
from assistant.models import Answer

MAX_ADDED = 2
MAX_NEAREST = 2  # calibrated on the tuned sets: 1 answered six more open questions, 2 eight, 3 ten (longer answers)
NEAREST_DEPTH = 8
NEAR_SHARE = 0.3  # calibrated on the tuned sets (0.25 and 0.5 tried): a sentence added for a missing word comes from the nearest 30 % of chunks in meaning
MIN_MESSAGE_COVERAGE = 0.15  # calibrated on the tuned sets: a sentence holding one stray word of a long message is noise
OPEN_KINDS = ("passage", "list")
MIN_RARE_WORDS = 2
MIN_PHRASE = 4
NUMBERED_HEADING = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,3}[)）、.]")  # (一) …: a title, not content


class AnswerCompletion:
    """Adds the plan's sentences on the message's words an open answer missed."""

    def __init__(self, passages: PassageAnswerer) -> None:
        self.passages = passages

    def complete(self, message: str, answer: Answer, names: list[str], open_part: bool = False) -> Answer:
        """``names``: the subjects the message named (their names' words are not topics);
        ``open_part``: a part of the message asked an open question (its figures came first)."""
        if answer.refused or (answer.kind not in OPEN_KINDS and not open_part) or (answer.kind == "list" and answer.figures):
            return answer  # a list of figures answers what was asked; it needs no prose beside it
        answer = self._naming_place(answer, names)
        words = self._rare_words(message, names)
        if len(words) < MIN_RARE_WORDS:
            return answer  # a question with one topic word asks one thing, and its answer is about it
        said = answer.answer.lower()
        missing = {w for w in words if w not in said}
        whole = not missing
        total = math.fsum(self._weight(w) for w in words)
        taken = [(c.doc, c.start, c.end) for c in answer.citations]
        added: list[Sentence] = []
        chunks = self.passages.retriever.chunks
        near = math.ceil(NEAR_SHARE * len(chunks))
        ranked = [chunks[scored.index] for scored in self.passages.retriever.dense_ranking(message, max(near, NEAREST_DEPTH))]
        close = {chunk.id for chunk in ranked[:near]}
        phrased = self._phrased(message)
        close |= {  # a phrase the message writes whole that few chunks hold (甲乙密码) finds its place however far in meaning
            chunks[index].id for piece, holding in phrased.items() if piece.lower() not in said for index in holding
        }
        while missing and len(added) < MAX_ADDED:
            best = self._best(missing, words, total, taken, close)
            if best is None:
                break
            added.append(best)
            taken.append((best.chunk.doc, best.quote_start, best.end))
            missing = {w for w in missing if w not in best.text.lower()}
        # a list of the plan's headings or table rows is whole; sentences (a measures section, a
        # project's paragraph) are one place of several the plan speaks of the topic
        sentences = any(c.quote.rstrip().endswith(phrasing.SENTENCE_END) for c in answer.citations)
        for sentence in self._nearest(ranked[:NEAREST_DEPTH], words, taken) if answer.kind == "passage" or sentences or not whole else []:
            added.append(sentence)
            taken.append((sentence.chunk.doc, sentence.quote_start, sentence.end))
        # each other place writing such a phrase (甲用地 in a sub-park's annex beside the measures chapter), said or not
        writing = [chunks[index] for index in sorted({index for holding in phrased.values() for index in holding})]
        for sentence in self._nearest(writing, words, taken) if answer.kind == "passage" else []:
            added.append(sentence)
            taken.append((sentence.chunk.doc, sentence.quote_start, sentence.end))
        if not added:
            return answer
        citations = [self.passages.citation(s) for s in added]
        text = f"{answer.answer}\n{phrasing.also_in_plan([c.quote for c in citations])}"
        return answer.model_copy(update={"answer": text, "citations": [*answer.citations, *citations]})

    def _phrased(self, message: str) -> dict[str, list[int]]:
        """The phrases the message writes whole that few chunks hold, with the chunks holding them."""
        pieces = {piece: self.passages.writing(piece) for piece in self.passages.pieces(message) if len(piece) >= MIN_PHRASE}
        return {piece: holding for piece, holding in pieces.items() if len(holding) <= RARE_CHUNKS}

    def _naming_place(self, answer: Answer, names: list[str]) -> Answer:
        """The one sub-park asked about, named first when no quote names it (an annex profile's
        sentences say 概况 and 园区, not the park's name)."""
        places = [n for n in dict.fromkeys(names) if n in self.passages.blocks]
        if len(places) != 1 or any(alias in answer.answer for alias in self.passages.all_aliases[places[0]]):
            return answer
        return answer.model_copy(update={"answer": phrasing.about_subpark(self.passages.lexicon.label(places[0]), [answer.answer])})

    def _best(
        self, missing: set[str], words: set[str], total: float, taken: list[tuple[str, int, int]], close: set[str]
    ) -> Sentence | None:
        """The sentence not yet quoted holding most of the missing words' weight, near enough the
        message in words and in meaning (a vision statement holding 方向 or 效率 is neither)."""
        best: tuple[float, Sentence] | None = None
        for sentence, text in self.lowered:
            gain = math.fsum(self._weight(w) for w in missing if w in text)
            if (
                gain <= 0
                or sentence.chunk.id not in close
                or NUMBERED_HEADING.match(text)
                or any(d == sentence.chunk.doc and a < sentence.end and sentence.start < b for d, a, b in taken)
            ):
                continue
            near = math.fsum(self._weight(w) for w in words if w in text) / total if total else 0.0
            if near < MIN_MESSAGE_COVERAGE:
                continue
            score = gain + near
            if best is None or score > best[0]:
                best = (score, sentence)
        return best[1] if best else None

    def _nearest(self, nearest: list[Chunk], words: set[str], taken: list[tuple[str, int, int]]) -> list[Sentence]:
        """From the chunks nearest the message in meaning that no quote comes from, each one's
        sentence holding most of the message's rare words (none: the chunk is near in tone only)."""
        found: list[Sentence] = []
        for chunk in nearest:
            sentences = self.passages.sentences[chunk.id]
            if any(d == chunk.doc and s.start < b and a < s.end for s in sentences for d, a, b in taken):
                continue
            weighed = [
                (math.fsum(self._weight(w) for w in words if w in s.text.lower()), s)
                for s in sentences
                if not NUMBERED_HEADING.match(s.text)
            ]
            gain, best = max(weighed, key=lambda pair: pair[0], default=(0.0, None))
            if best is not None and gain > 0:
                found.append(best)
            if len(found) >= MAX_NEAREST:
                break
        return found

    @cached_property
    def lowered(self) -> list[tuple[Sentence, str]]:
        """Every sentence with its lower-cased text (search tokens are lower-cased: g60)."""
        return [(s, s.text.lower()) for sentences in self.passages.sentences.values() for s in sentences]

    def _rare_words(self, message: str, names: list[str]) -> set[str]:
        """The message's words that tell a topic: plan words few chunks hold, not everyday Chinese,
        not part of a name it uses."""
        passages = self.passages
        aliases = [alias for name in names for alias in passages.all_aliases.get(name, [name])]
        told = {token for token in passages.tokenizer.tokens(message) if passages.telling(token)}
        spelled = set(passages.spelled_out(message))  # 某保区 asked: the plan's 某保税区 is the word it writes
        return {word for word in told | spelled if not any(word in alias for alias in aliases)}

    def _weight(self, word: str) -> float:
        """A word's weight: its inverse chunk frequency (everyday words weigh little)."""
        return self.passages.idf.get(word, self.passages.unseen_idf)
