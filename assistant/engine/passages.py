"""Passage answers: the best sentences of the best retrieved chunks, quoted verbatim with spans.

Retrieval (hybrid BM25 + dense) proposes chunks; sentences are then scored by how much of the
question's content they cover, weighted by inverse document frequency, so the answer quotes the
sentence that holds the asked thing rather than a whole chunk. When a question names a sub-park,
the sub-park's own annex block (which never names it) and sentences naming it are candidates too.
Nothing relevant above the calibrated thresholds means an honest refusal.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from assistant.engine import phrasing
from assistant.engine.abbreviations import Abbreviations, shortened, spelled_in
from assistant.engine.clauses import FIVE_YEAR_PERIOD, TOPIC_MARK, asking_clause
from assistant.engine.intent import Intent
from assistant.engine.names import NAME_CHARS, NAMED_WORD, sounds_alike
from assistant.engine.replies import NOTHING_FOUND, refusal, reply
from assistant.index.chunks import Chunk
from assistant.lexicon import Lexicon
from assistant.models import Answer, AnswerKind, Citation
from assistant.parsing.headings import numbered_heading
from assistant.parsing.sentences import PARAGRAPH_LABEL, SENTENCE
from assistant.quantities import states_figure
from assistant.retrieval.retriever import Retriever
from assistant.tokenizer import PlanTokenizer

COMMON_SHARE = 0.1
UNMARKABLE_SHARE = 0.25  # 园区 (in 40 % of the chunks) marks no topic, 人才 (14 %) does
CANDIDATE_CHUNKS = 8
MAX_SENTENCES = 4  # calibrated on the tuned sets (session 4): 3 → 4 answered six more open questions, 5 one more
MAX_LIST_SENTENCES = 6
FOLLOWER_RATIO = 0.6
TIE_RATIO = 0.93  # calibrated on the tuned sets: 0.97 → 0.95 → 0.93 answered four and three more open questions, 0.9 none more
MIN_COVERAGE = 0.2
MIN_COVERAGE_IN_SUBJECT = 0.1
MAX_LISTED_UNKNOWN = 3
MAX_UNKNOWN_SHARE = 0.5
STRONG_EVIDENCE_WEIGHT = 9.0  # about two rare words of the plan (idf ≈ 4-5 each); refusals of the tuned sets reach 6.0
ENUMERATION_STEP = 0.03
ENUMERATION_CAP = 0.15
MIN_ENUMERATION = 2  # enumeration marks (、) that make a sentence a list of its own
OWN_BLOCK_BONUS = 1.0
MENTION_BONUS = 0.6
MOST_SUBPARKS = 0.75  # a sentence naming this share of the sub-parks is about all of them
MIN_ALIAS_IN_TEXT = 5
RANK_PENALTY = 0.03
MAX_ELSEWHERE = 4  # calibrated on the tuned sets (session 8): 3 → 4 answered two more open questions, 5 none more
DENSE_WEIGHT = 1.5  # calibrated on the tuned sets: 0.15-1.0 gain less, 1.5-2.5 the same, 4.0 loses an investor item
ELSEWHERE_SHARE = 0.4
LABEL_SPAN = 40  # a paragraph's label (湖光芯片:) is within its first characters
FULL_NAME_CHARS = 6
RARE_CHUNKS = 2  # a question word at most this many chunks hold brings them in, whatever retrieval ranked
MIN_PIECE = 3
MAX_PIECE = 10
PHRASE_WEIGHT = 0.2  # calibrated on the tuned sets (0.5 lost four, 0.2 gained one): a sentence writing a phrase of the question verbatim (国际合作) beats one holding its words apart
MARKED_WEIGHT = 0.3
MARKED_CHUNKS = 16  # chunks on a topic the asker marks that say another word asked, this many or fewer, are all candidates
MAX_NAMED_ELSEWHERE = 2
STATED_FIGURE_BONUS = 0.2  # of the other places naming a thing, one stating a figure of it (its funding) tells more
MAX_UNDER_HEADING = 2
ASKED_CATEGORY = re.compile(r"(?:哪些|哪几[个家类种项]|有什么)([\u4e00-\u9fffA-Za-z0-9]{2,16})")
MIN_CATEGORY_CHARS = 4  # 平台 alone is every kind of platform; 某某服务平台 is a kind
MIN_CATEGORY_ITEMS = 2
MAX_CATEGORY_LISTS = 2
EXCLUDED = re.compile(r"除了([^,，。？?！!；;]{1,12}?)(?:以外|之外)?(?=[,，])")
EXAMPLE_OPENING = re.compile(r"(例如|比如|譬如)")
SEMICOLONS = (";", "；")
ASKS_WHERE = re.compile(r"在哪|哪个园|哪个子园|哪里|哪儿|位置|位于|挨着|地块|占地|(基地|园)吗")
SAYS_WHERE = re.compile(r"位于|坐落|占地")
MIN_HEAD_CHARS = 2
MAX_HEAD_USES = 4  # 甲 of 甲集团 and 甲产业园: a name, not a word the plan writes throughout
SERIES_CLAUSE = re.compile(r"([^,，。;；]{2,16})[,，]")
SERIES_KEY = 2
MIN_SERIES = 2
LEAD_CHARS = 16  # a sentence this short opening its paragraph is a measure's lead phrase
LEAD_FOLLOWERS = 2
INDENT_SPAN = 8
PARAGRAPH_OPENING = re.compile(r"\n[^\S\n]*$")  # a line break, then only indentation (full-width spaces too)
SAID_OF_SUBJECT = re.compile(r"(在|有|是否|是不是|会不会|落户|入驻|布局|投资|建)")
EVERYDAY_RATIO = 0.2  # a word the plan writes at under a fifth of its rate in general Chinese (我们, 没有, 可能)
EVERYDAY_WEIGHT = 1.0  # weighs like a word found in every chunk: it tells nothing about the topic


def series_key(text: str) -> str:
    """How a sentence of a series opens: the last characters of a short first clause (领域 of
    在甲设备领域,…), or nothing."""
    clause = SERIES_CLAUSE.match(text)
    return clause.group(1)[-SERIES_KEY:] if clause and not any(ch.isdigit() for ch in clause.group(1)) else ""


def held_in(content: set[str], tokens: frozenset[str], text: str) -> frozenset[str]:
    """A sentence's tokens plus the question's words written inside its longer words (分区 in
    功能分区, 合同 in 技术合同): jieba cuts a compound one way in the plan and another in a question."""
    return tokens | {t for t in content if len(t) >= 2 and t not in tokens and t in text}


def written_pieces(question: str, corpus: str) -> list[str]:
    """The longest pieces of the question (3 to 10 characters) that the plan writes verbatim,
    left to right without overlap: compounds a word tokenizer splits (车联网平台 → 车联/联网/平台)."""
    pieces: list[str] = []
    start = 0
    while start < len(question):
        found = next(
            (size for size in range(min(MAX_PIECE, len(question) - start), MIN_PIECE - 1, -1) if question[start : start + size] in corpus),
            0,
        )
        if found:
            pieces.append(question[start : start + found])
        start += found or 1
    return pieces


@dataclass(frozen=True)
class Sentence:
    """One sentence of a chunk with its document span and search tokens (its heading's included)."""

    chunk: Chunk
    text: str
    start: int
    end: int
    tokens: frozenset[str]
    lead: int | None = None

    @property
    def quote_start(self) -> int:
        """Where its quote starts: a sentence of a labelled paragraph (``项目名:…。项目位于…``)
        is quoted from the label on, so a list of projects names them."""
        return self.start if self.lead is None else self.lead


@dataclass(frozen=True)
class Candidate:
    """A sentence proposed for one question, with its chunk's retrieval rank."""

    sentence: Sentence
    rank: int


def split_sentences(chunk: Chunk, tokenizer: PlanTokenizer, document: str) -> list[Sentence]:
    """Sentences of a chunk, tokenised once at load so answering only intersects sets."""
    heading = set(tokenizer.tokens(chunk.context.split(" > ")[-1])) if chunk.context else set()
    sentences = []
    for match in SENTENCE.finditer(chunk.text):
        text = match.group(0).strip()
        if len(text) < 4:
            continue
        offset = match.start() + match.group(0).index(text)
        start = chunk.start + offset
        tokens = frozenset(heading.union(tokenizer.tokens(text)))
        sentences.append(Sentence(chunk, text, start, start + len(text), tokens, labelled_line_start(document, start)))
    return sentences


def blanked(text: str, words: Iterable[str]) -> str:
    """The text with each word (longest first, so a name goes before a name inside it) blanked out."""
    for word in sorted(set(words), key=len, reverse=True):
        text = text.replace(word, " ")
    return text


def _place(sentence: Sentence) -> tuple[str, int]:
    """Where a sentence is, across every plan: its document and start."""
    return (sentence.chunk.doc, sentence.start)


def paragraph_label(document: str, start: int) -> str:
    """The label the paragraph holding ``start`` opens with (甲项目: …), or "" when it has none."""
    opening = document.rfind("\n", 0, start) + 1
    match = PARAGRAPH_LABEL.match(document[opening : opening + LABEL_SPAN])
    return match.group(1) if match else ""


def labelled_line_start(document: str, start: int) -> int | None:
    """The start of a sentence's line when that line opens with a short ``label:`` before it."""
    line_start = document.rfind("\n", 0, start) + 1
    before = document[line_start:start]
    line = before.lstrip()
    if not line or not PARAGRAPH_LABEL.match(line):
        return None
    return line_start + len(before) - len(line)


def outermost(citations: list[Citation]) -> list[Citation]:
    """Citations not lying inside another (a labelled paragraph's sentence is quoted from its label,
    which already holds the label sentence); each span, and each wording, once, in order (a heading
    the contents list repeats is quoted once)."""
    kept: list[Citation] = []
    for citation in citations:
        spans = [(o.doc, o.start, o.end) for o in citations if o is not citation]
        inside = any(
            d == citation.doc and s <= citation.start and citation.end <= e and (s, e) != (citation.start, citation.end)
            for d, s, e in spans
        )
        if not inside and all(
            (k.doc, k.start, k.end) != (citation.doc, citation.start, citation.end) and k.quote != citation.quote for k in kept
        ):
            kept.append(citation)
    return kept


def in_own_block(chunk: Chunk, subject: str) -> bool:
    """The chunk belongs to the subject's own profile block (its innermost heading names it)."""
    return chunk.section.split(" > ")[-1].startswith(subject)


class PassageAnswerer:
    """Answers open and list questions from retrieved text; refuses when nothing relevant is found."""

    def __init__(self, retriever: Retriever, lexicon: Lexicon, texts: dict[str, str]) -> None:
        self.retriever = retriever
        self.lexicon = lexicon
        self.tokenizer = retriever.tokenizer
        self.holding: dict[str, list[int]] = {}  # token → the chunks holding it (filled with the idf)
        self.idf = self._idf(retriever.chunks)
        self.corpus_text = "\n".join(texts.values())
        self.abbreviations = Abbreviations(self.corpus_text)
        self.known_words = frozenset(lexicon.dictionary_words())
        self.park_names = lexicon.park_names()
        self.blocks = {subject.name: [c for c in retriever.chunks if in_own_block(c, subject.name)] for subject in lexicon.subparks}
        self.synonyms = {word: frozenset(others) for word, others in lexicon.synonyms.items()}
        self.texts = texts
        # 十四五 in a question about the 十四五 plan: the frame every passage shares, not a topic of one
        self.frame_periods = frozenset(p for text in texts.values() for p in re.findall(FIVE_YEAR_PERIOD, text.strip().split("\n", 1)[0]))

        self.all_aliases = {s.name: [s.name, *s.aliases] for s in lexicon.subjects()}
        self.aliases = {
            s.name: [name for name in (s.name, *s.aliases) if len(name) >= MIN_ALIAS_IN_TEXT or name == s.name] for s in lexicon.subjects()
        }

    @cached_property
    def sentences(self) -> dict[str, list[Sentence]]:
        """Every chunk's sentences, tokenised on the first passage question rather than at load."""
        return {chunk.id: split_sentences(chunk, self.tokenizer, self.texts[chunk.doc]) for chunk in self.retriever.chunks}

    def _idf(self, chunks: list[Chunk]) -> dict[str, float]:
        """Inverse chunk frequency; an everyday word the plan happens to write rarely (我们, 不)
        weighs like a common one, so it neither finds sentences nor counts as evidence."""
        frequency: Counter[str] = Counter()
        occurrences: Counter[str] = Counter()
        for index, chunk in enumerate(chunks):
            tokens = self.tokenizer.tokens(chunk.passage())
            occurrences.update(tokens)
            frequency.update(set(tokens))
            for token in set(tokens):
                self.holding.setdefault(token, []).append(index)
        total = len(chunks)
        self.frequency = frequency
        self.unseen_idf = math.log(total + 1) + 1.0
        written = sum(occurrences.values()) or 1
        names = frozenset(self.lexicon.dictionary_words())
        return {
            token: EVERYDAY_WEIGHT
            if token not in names and occurrences[token] / written < EVERYDAY_RATIO * self.tokenizer.general_share(token)
            else math.log((total + 1) / (count + 1)) + 1.0
            for token, count in frequency.items()
        }

    def pieces(self, question: str) -> set[str]:
        """Pieces of the question the plan writes, names of sub-parks and parks and the plan's own period left out."""
        unnamed = blanked(question, [*self.alias_words, *self.frame_periods])
        return {piece for part in NAME_CHARS.findall(unnamed) for piece in written_pieces(part, self.corpus_text)}

    @cached_property
    def alias_words(self) -> list[str]:
        """Every name and alias, longest first."""
        return sorted({a for names in self.all_aliases.values() for a in names}, key=len, reverse=True)

    def content_tokens(self, question: str, intent: Intent) -> set[str]:
        """The question's words less its subjects' names; a period (十四五) is one word, not three
        (its pieces 十四, 四五 would triple its weight over the topic's)."""
        tokens = set(self.tokenizer.tokens(question))
        for period in re.findall(FIVE_YEAR_PERIOD, question):
            tokens -= set(self.tokenizer.tokens(period)) - ({period} - self.frame_periods)
        for subject in intent.subjects:
            for alias in self.all_aliases.get(subject, []):
                tokens -= set(self.tokenizer.tokens(alias))
        for excluded in EXCLUDED.findall(question):  # 除了甲，还有什么平台: 甲 is not what is asked about
            tokens -= set(self.tokenizer.tokens(excluded))
        return {t for t in tokens if not t.isdigit()} or tokens

    def _candidates(self, question: str, intent: Intent, written: dict[str, list[int]]) -> list[tuple[Chunk, int]]:
        """Retrieved chunks, the few chunks holding a rare question word or writing a piece of it
        (``written``: piece → the chunks writing it) or holding the topic the asker marks, and the
        named subjects' chunks."""
        content = self.content_tokens(question, intent)
        # sorted: a query written in set order would embed differently from one run to the next
        short = sorted(self.short_forms(question))
        related = sorted({word for token in content for word in self.synonyms.get(token, ())} | set(short))
        framed = blanked(question, self.frame_periods)
        query = " ".join([framed, *intent.subjects, *related, *(piece for piece in written if piece not in question)])
        ranked = self.retriever.ranked(query, "hybrid", CANDIDATE_CHUNKS * 3)
        chunks = [(self.retriever.chunks[s.index], rank) for rank, s in enumerate(ranked[:CANDIDATE_CHUNKS])]
        seen = {chunk.id for chunk, _ in chunks}
        rare = [  # a word or phrase only a few chunks hold points at them
            self.holding.get(token, []) for token in sorted(content) if self.telling(token, RARE_CHUNKS)
        ] + [held for held in written.values() if 0 < len(held) <= RARE_CHUNKS]
        rare += [self.holding.get(form, []) for form in related if self.telling(form, RARE_CHUNKS)]  # 跨城 → 异地
        for words in self.marked_topics(question):  # 孵化这块…模式: the chunks on the marked topic saying another word asked
            holding = set.intersection(*(set(self.holding.get(word, [])) for word in words))
            saying = holding & {i for token in content - words if len(token) >= 2 for i in self.holding.get(token, [])}
            if len(saying) <= MARKED_CHUNKS:
                rare.append(sorted(saying))
        for indices in rare:
            for index in indices:
                if self.retriever.chunks[index].id not in seen:
                    seen.add(self.retriever.chunks[index].id)
                    chunks.append((self.retriever.chunks[index], CANDIDATE_CHUNKS))
        for subject in intent.subjects:
            names = self.aliases.get(subject, [subject])
            retrieved = [(self.retriever.chunks[s.index], rank) for rank, s in enumerate(ranked)]
            about = [(c, r) for c, r in retrieved if in_own_block(c, subject) or any(n in c.text for n in names)]
            block = [(c, len(ranked)) for c in self.blocks.get(subject, [])]
            for chunk, rank in about + block:
                if chunk.id not in seen:
                    seen.add(chunk.id)
                    chunks.append((chunk, rank))
        return chunks

    def writing(self, piece: str) -> list[int]:
        """The chunks that write a piece verbatim."""
        return [index for index, chunk in enumerate(self.retriever.chunks) if piece in chunk.text]

    def marked_topics(self, question: str) -> list[frozenset[str]]:
        """The words the asker marks as the topic (对汽车这块, 营商环境方面): the content words right
        before the mark, which the sentences must be about, beside the words of how one asks (对接,
        资源, 规划)."""
        marked = []
        for match in TOPIC_MARK.finditer(question):
            words: list[str] = []
            for word in reversed(self.tokenizer.cut(match.group(1))):
                if len(word) < 2 or word in self.tokenizer.stopwords or self.tokenizer.everyday(word) or not self.chunk_frequency(word):
                    break
                if self.chunk_frequency(word) > UNMARKABLE_SHARE * len(self.retriever.chunks):
                    continue  # 园区这块: a word every chapter writes marks no topic; the word before it may
                words.append(word)
            if words:
                marked.append(frozenset(words))
        return marked

    def _telling_pieces(self, written: dict[str, list[int]]) -> frozenset[str]:
        """The question's pieces the plan writes in few places (国际合作, 产业联盟), not everyday words."""
        return frozenset(p for p, held in written.items() if not self.tokenizer.everyday(p) and 0 < len(held) <= self.common_limit())

    def _score(
        self,
        candidate: Candidate,
        content: set[str],
        intent: Intent,
        total_weight: float,
        near: float = 0.0,
        phrases: frozenset[str] = frozenset(),
        marked: list[frozenset[str]] | None = None,
    ) -> float:
        """Words covered (by idf), a phrase of the question written verbatim, enumeration for a
        list, the subject's own block or name, and how near in meaning the sentence's chunk is
        (only for a sentence the words found)."""
        sentence = candidate.sentence
        score = self.weighted_coverage(content, self.held(content, sentence), total_weight)
        if score > 0 and any(phrase in sentence.text for phrase in phrases):
            score += PHRASE_WEIGHT
        if score > 0 and any(all(word in sentence.text for word in words) for words in marked or []):
            score += MARKED_WEIGHT
        if score > 0 and (sentence.chunk.kind == "text" or intent.asks_quantity):
            score += DENSE_WEIGHT * near  # table rows (and contents lines) are near any question on their topic, but answer only figures
        if intent.operation == "list":
            score += min(ENUMERATION_CAP, ENUMERATION_STEP * sentence.text.count("、"))
        if score <= 0:
            return score - RANK_PENALTY * candidate.rank
        for subject in intent.subjects:
            if subject in self.park_names:
                continue
            if in_own_block(sentence.chunk, subject):
                score += OWN_BLOCK_BONUS
            elif any(n in sentence.text for n in self.aliases.get(subject, [subject])):
                score += MENTION_BONUS
        if any(place in sentence.text for place in intent.mentioned):
            score += MENTION_BONUS
        if intent.all_subparks and self._names_most_subparks(sentence.text):
            score += MENTION_BONUS  # 这几个子园怎么分布: the sentence naming them all is about them all
        return score - RANK_PENALTY * candidate.rank

    def _names_most_subparks(self, text: str) -> bool:
        subparks = [s.name for s in self.lexicon.subparks]
        named = sum(1 for name in subparks if any(alias in text for alias in self.aliases.get(name, [name])))
        return bool(subparks) and named >= MOST_SUBPARKS * len(subparks)

    def answer(self, question: str, intent: Intent) -> Answer:
        content = self.content_tokens(question, intent)
        spelled = self.spelled_out(question)
        spelled_words = {t for run in spelled for t in self.tokenizer.tokens(run) if len(t) >= 2 and self.known(t)}
        # 某保区: the words of the plan's 某保税区; 人力资源: the plan's 人资 too
        known = {t for t in content if self.known(t)} | spelled_words | self.short_forms(question)
        total_weight = math.fsum(self.idf.get(t, self.unseen_idf) for t in known)
        written = {piece: self.writing(piece) for piece in [*self.pieces(question), *spelled]}
        candidates = self._candidates(question, intent, written)
        proposed = [Candidate(s, rank) for chunk, rank in candidates for s in self.sentences[chunk.id]]
        unknown = self.unknown_words(question, intent)
        if not proposed or not known or self._about_unknown(intent.text, unknown):
            return self.nothing(question, unknown)
        nearness = self.nearness(self.unframed(question))
        phrases = self._telling_pieces(written)
        marked = self.marked_topics(question)
        scored = sorted(
            (
                (self._score(c, known, intent, total_weight, nearness.get(c.sentence.chunk.id, 0.0), phrases, marked), c.sentence)
                for c in proposed
            ),
            key=lambda p: -p[0],
        )
        best_score, best = scored[0]
        coverage = max(self.weighted_coverage(known, sentence.tokens, total_weight) for _, sentence in scored[:CANDIDATE_CHUNKS])
        scoped = any(in_own_block(best.chunk, subject) for subject in intent.subjects)
        strong = self._covered_weight(known, best.tokens) >= STRONG_EVIDENCE_WEIGHT
        if not strong and (
            coverage < (MIN_COVERAGE_IN_SUBJECT if scoped else MIN_COVERAGE)
            or (not intent.subjects and self._unknown_share(question, unknown) >= MAX_UNKNOWN_SHARE)
            or (
                intent.asks_price and any(w in asking_clause(intent.text) for w in unknown)
            )  # 周边房价什么水平: a price of what no plan writes
        ):
            return self.nothing(question, unknown)
        if self._never_said(intent.whether):  # 某项目是不是停工了: the plan never says 停工 of anything
            text = phrasing.not_said(intent.whether, best.text)
            return refusal(question, text, NOTHING_FOUND, [self.citation(best)], confidence=0.7)
        named = self._named(best, known, written) or (self._own_label(best) if intent.asks_overview else [])
        rest = [  # 星云算力中心: its own paragraph, not the next project's
            (score, s)
            for score, s in scored[1:]
            if not named or any(t in s.text for t in named) or self._same_paragraph(best, s) or score >= best_score * TIE_RATIO
        ]
        chosen = self._followers(best, best_score, rest, intent)
        if not intent.concepts and not named:
            chosen += self._section_goes_on(best, chosen)
        if named:  # a named thing's paragraph says what it is, all of it, and other places say more of it
            chosen += self._rest_of_paragraph(best, chosen)
            chosen += self._named_elsewhere(best, chosen, named, known, total_weight)
        chosen.sort(key=lambda s: (s.chunk.doc, s.start))
        chosen = [best, *[s for s in chosen if s is not best]] if chosen[0] is not best and intent.operation != "list" else chosen
        chosen = self._with_examples(self._with_series(self._with_lead_content(self._whole_sentences(chosen))))
        if not intent.concepts and not named:  # a named thing is what its own paragraph says
            forms = {
                f: frozenset(self.tokenizer.tokens(piece))
                for piece in self.pieces(question)
                if piece in best.text
                for f in shortened(piece, self.idf)
            }
            chosen += self.elsewhere(best, chosen, known, total_weight, forms)
        chosen += self._under_headings(chosen, known, total_weight)
        if intent.operation == "list":
            chosen += self._category_lists(question, chosen)
        if ASKS_WHERE.search(question):
            chosen += self._where_owned(chosen)
        citations = [self.citation(s) for s in chosen]
        citations = outermost(citations)
        text = phrasing.sentences([c.quote for c in citations])
        kind: AnswerKind = "list" if intent.operation == "list" else "passage"
        confidence = round(min(0.9, 0.4 + 0.5 * coverage), 2)
        return reply(question, text, kind, [], citations, confidence)

    def _with_lead_content(self, chosen: list[Sentence]) -> list[Sentence]:
        """A measure's lead phrase (加快发展某产业。) opening its paragraph says only what the measure
        is about; the paragraph's next sentences say what it does, so they follow it."""
        result: list[Sentence] = []
        for sentence in chosen:
            result.append(sentence)
            if len(sentence.text) > LEAD_CHARS or not self._opens_paragraph(sentence):
                continue
            following = [s for s in self.sentences[sentence.chunk.id] if s.start >= sentence.end]
            previous = sentence
            for nxt in following[:LEAD_FOLLOWERS]:
                if "\n" in self.texts[sentence.chunk.doc][previous.end : nxt.start]:
                    break
                if all(nxt.start != c.start for c in chosen):
                    result.append(nxt)
                previous = nxt
        return result

    def _with_examples(self, chosen: list[Sentence]) -> list[Sentence]:
        """A sentence the next one illustrates (…仍需提升。例如,2020年…) brings its example: the
        figures that bear the claim out."""
        result: list[Sentence] = []
        for sentence in chosen:
            if any(_place(sentence) == _place(r) for r in result):
                continue
            result.append(sentence)
            paragraph = self._paragraph_of(sentence)
            following = [s for s in paragraph if s.start >= sentence.end][:1]
            if following and EXAMPLE_OPENING.match(following[0].text) and all(_place(following[0]) != _place(c) for c in chosen):
                result.append(following[0])
        return result

    def _whole_sentences(self, chosen: list[Sentence]) -> list[Sentence]:
        """A clause closed by a semicolon is one measure of a sentence that lists several (争取甲试点;
        探索建立乙平台。): the clauses joined to a chosen one by semicolons come with it, in order."""
        result: list[Sentence] = []
        for sentence in chosen:
            paragraph = self._paragraph_of(sentence)
            at = next((i for i, s in enumerate(paragraph) if s.start == sentence.start), None)
            if at is None:
                result.append(sentence)
                continue
            first = at
            while first > 0 and paragraph[first - 1].text.endswith(SEMICOLONS):
                first -= 1
            last = at
            while last < len(paragraph) - 1 and paragraph[last].text.endswith(SEMICOLONS):
                last += 1
            for joined in paragraph[first : last + 1]:
                if joined.start == sentence.start:
                    joined = sentence
                elif any(joined.start == c.start for c in chosen):
                    continue  # it comes in its own turn
                if all(joined.start != r.start for r in result):
                    result.append(joined)
        return result

    def _with_series(self, chosen: list[Sentence]) -> list[Sentence]:
        """A sentence of a series its paragraph runs (在甲领域,… 在乙领域,… 在丙领域,…) brings the
        series' other sentences, in order: an enumeration is answered whole, not from its first item."""
        result: list[Sentence] = []
        for sentence in chosen:
            if any(sentence.start == r.start for r in result):
                continue
            key = series_key(sentence.text)
            siblings = [s for s in self._paragraph_of(sentence) if key and series_key(s.text) == key]
            if len(siblings) < MIN_SERIES:
                result.append(sentence)
                continue
            result += [s for s in siblings if all(s.start != r.start for r in result)]
        return result

    @cached_property
    def paragraphs(self) -> dict[tuple[str, int], list[Sentence]]:
        """Every paragraph's sentences, once each (chunks overlap), in order, under its key: found by
        the key, not by a scan of every sentence for each one asked about."""
        found: dict[tuple[str, int], dict[int, Sentence]] = {}
        for sentences in self.sentences.values():
            for sentence in sentences:
                found.setdefault(self._paragraph_key(sentence), {}).setdefault(sentence.start, sentence)
        return {key: [by_start[start] for start in sorted(by_start)] for key, by_start in found.items()}

    def _paragraph_key(self, sentence: Sentence) -> tuple[str, int]:
        """Its document and the line break before it (a sentence never holds one: SENTENCE stops there)."""
        return sentence.chunk.doc, self.texts[sentence.chunk.doc].rfind("\n", 0, sentence.start)

    def _paragraph_of(self, sentence: Sentence) -> list[Sentence]:
        """The sentences of a sentence's paragraph, once each, in order, whichever chunks hold them."""
        return self.paragraphs[self._paragraph_key(sentence)]

    def _named(self, best: Sentence, known: set[str], pieces: dict[str, list[int]]) -> list[str]:
        """The question's rare words naming what the best sentence's paragraph is about: a proper
        name (星云), or a word of the paragraph's own label (光芯 of 湖光芯片: …); a full name
        written whole (湖光脑科学创新基地) names it however many paragraphs write it."""
        label = paragraph_label(self.texts[best.chunk.doc], best.start)
        written = best.text.casefold()  # tokens are casefolded (A1 → a1)
        return [
            t
            for t in known
            if t in written
            and (t in label or self.tokenizer.names_something(t))
            and self.telling(t, RARE_CHUNKS if len(t) < FULL_NAME_CHARS else None)
        ] + [  # 星云基地 of the label 湖光星云基地: a piece of the label the question writes
            piece for piece, held in pieces.items() if piece in label and piece in best.text and 0 < len(held) <= self.common_limit()
        ]

    def _own_label(self, best: Sentence) -> list[str]:
        """The label of the best sentence's paragraph when no other paragraph shares it (甲基地: …, not
        区块概况: …): asked how the plan describes something, that thing is what the answer is about."""
        label = paragraph_label(self.texts[best.chunk.doc], best.start)
        leads = {sentence.lead for sentence in self.labelled_paragraphs.get(label, [])}
        return [label] if label and len(leads) == 1 else []

    def _named_elsewhere(
        self, best: Sentence, chosen: list[Sentence], named: list[str], known: set[str], total_weight: float
    ) -> list[Sentence]:
        """Sentences of other paragraphs that write the named thing (a project's funding stated in the
        measures chapter, its description in the annex), the ones covering the question best."""
        found: dict[int, tuple[float, Sentence]] = {}
        forms = {word: shortened(word, self.idf) for word in named}  # 人资: the plan's short form of 人力资源
        for sentences in self.sentences.values():
            for sentence in sentences:
                if (
                    all(  # 湖光基地 in “湖光科创基地”
                        spelled_in(word.casefold(), sentence.text.casefold()) or any(f in sentence.text for f in forms[word])
                        for word in named
                    )
                    and not self._same_paragraph(best, sentence)
                    and all(sentence.start != c.start for c in chosen)
                ):
                    coverage = self.weighted_coverage(known, self.held(known, sentence), total_weight)
                    found[sentence.start] = (coverage + (STATED_FIGURE_BONUS if states_figure(sentence.text) else 0.0), sentence)
        ranked = sorted(found.values(), key=lambda pair: (-pair[0], pair[1].start))
        return [sentence for _, sentence in ranked[:MAX_NAMED_ELSEWHERE]]

    @cached_property
    def labelled_paragraphs(self) -> dict[str, list[Sentence]]:
        """Each labelled paragraph's sentences under its label (甲产业园: …), in order."""
        found: dict[str, dict[int, Sentence]] = {}
        for sentences in self.sentences.values():
            for sentence in sentences:
                text = self.texts[sentence.chunk.doc]
                if sentence.lead is not None and (match := PARAGRAPH_LABEL.match(text[sentence.lead : sentence.lead + LABEL_SPAN])):
                    found.setdefault(match.group(1), {})[sentence.start] = sentence
        return {label: [by_start[start] for start in sorted(by_start)] for label, by_start in found.items()}

    def names_labelled_thing(self, text: str) -> bool:
        """``text`` writes the name a labelled paragraph opens with (腾讯 of 腾讯: 长三角AI超算中心)."""
        return any(self.head_written(label, text) for label in self.labelled_paragraphs)

    def head_written(self, label: str, text: str) -> bool:
        """The label's opening name (甲 of 甲产业园, at least two characters the plan seldom writes) is in ``text``."""
        plan = "".join(self.texts.values())
        for end in range(len(label), MIN_HEAD_CHARS - 1, -1):
            head = label[:end]
            if head in text:
                return plan.count(head) <= MAX_HEAD_USES and not self.tokenizer.everyday(head)
        return False

    def _where_owned(self, chosen: list[Sentence]) -> list[Sentence]:
        """Where a thing a quoted sentence names is, said in the paragraph its name opens elsewhere (an
        industry's 以甲集团为主导的基地 → 甲产业园: 项目位于某子园): asked where, that place is the answer."""
        found: list[Sentence] = []
        for sentence in chosen:
            for label, owned in self.labelled_paragraphs.items():
                if any(self._same_paragraph(sentence, o) for o in owned) or not self.head_written(label, sentence.text):
                    continue
                found += [o for o in owned if SAYS_WHERE.search(o.text) and all(o.start != c.start for c in [*chosen, *found])][:1]
        return found

    def _rest_of_paragraph(self, best: Sentence, chosen: list[Sentence]) -> list[Sentence]:
        """The best sentence's paragraph, whichever chunks hold its sentences, less those chosen."""
        return [sentence for sentence in self._paragraph_of(best) if all(sentence.start != c.start for c in chosen)]

    def _section_goes_on(self, best: Sentence, chosen: list[Sentence]) -> list[Sentence]:
        """The best sentence's paragraph opens its section (its heading line right before): the
        section's next paragraph goes on with what the lead paragraph sets out (甲模式 → 依托乙联盟,
        定期举办丙会), so it is quoted too, unless a lead phrase opens it as a measure of its own."""
        text = self.texts[best.chunk.doc]
        opening = text.rfind("\n", 0, best.start) + 1
        before = text[:opening].rstrip()
        heading = best.chunk.section.split(" > ")[-1].strip()
        if not heading or before[before.rfind("\n") + 1 :].strip() != heading:
            return []
        closing = text.find("\n", best.start)
        following = [
            s
            for sentences in self.sentences.values()
            for s in sentences
            if closing >= 0
            and s.chunk.doc == best.chunk.doc
            and s.start > closing
            and s.chunk.section == best.chunk.section
            and all(s.start != c.start for c in chosen)
        ]
        if not following:
            return []
        first = min(following, key=lambda s: s.start)
        if len(first.text) <= LEAD_CHARS:
            return []  # 加速布局甲平台。: a measure of its own, led by its phrase
        return sorted({s.start: s for s in following if self._same_paragraph(first, s)}.values(), key=lambda s: s.start)

    def _under_headings(self, chosen: list[Sentence], known: set[str], total_weight: float) -> list[Sentence]:
        """A heading quoted (3、提升甲利用水平) promises what its section's paragraphs do: the
        sentences under it holding the question's rare words the heading holds come with it."""
        found: dict[tuple[str, int], Sentence] = {}
        taken = {_place(s) for s in chosen}
        for heading in chosen:
            title = self._heading_title(heading)
            held = {t for t in known if t in heading.tokens and self.telling(t)} if title else set()
            if not held:
                continue
            body = {
                s.start: s
                for sentences in self.sentences.values()
                for s in sentences
                if s.chunk.doc == heading.chunk.doc and s.start > heading.end and s.chunk.section.split(" > ")[-1] == title
            }
            ranked = sorted(
                (s for s in body.values() if _place(s) not in taken and held & s.tokens - self._heading_tokens(s)),
                key=lambda s: (-self.weighted_coverage(known, s.tokens, total_weight), s.start),
            )
            for sentence in ranked[:MAX_UNDER_HEADING]:
                found.setdefault(_place(sentence), sentence)
        return [found[place] for place in sorted(found)]

    def _category_lists(self, question: str, chosen: list[Sentence]) -> list[Sentence]:
        """哪些某类平台: the plan's enumerations naming several items of the asked kind, wherever
        they are (the platforms one measure pushes beside those another builds), not only the best
        passage's; retrieval ranks a passage by the question's words, not by what it lists."""
        phrase = self._asked_category(question)
        if not phrase:
            return []
        words = self.tokenizer.tokens(phrase)
        if not words:
            return []
        head = words[-1]
        taken = {_place(s) for s in chosen}
        pool = {
            _place(s): s
            for sentences in self.sentences.values()
            for s in sentences
            if phrase in s.text
            and s.text.count("、") >= MIN_ENUMERATION
            and s.text.count(head) >= MIN_CATEGORY_ITEMS
            and _place(s) not in taken
        }
        ranked = sorted(pool.values(), key=lambda s: (-s.text.count(head), s.start))
        return ranked[:MAX_CATEGORY_LISTS]

    def _asked_category(self, question: str) -> str:
        """The kind of thing a list question asks for (哪些甲乙平台可以合作 → 甲乙平台, 哪些
        国家级或市级的某某产业基地 → 某某产业基地): the longest run of the words after the list word
        that the plan writes and that ends in a noun."""
        match = ASKED_CATEGORY.search(question)
        if not match:
            return ""
        rest = match.group(1)
        runs = sorted(
            (rest[i:j] for i in range(len(rest)) for j in range(i + MIN_CATEGORY_CHARS, len(rest) + 1)),
            key=lambda run: (-len(run), rest.index(run)),
        )
        return next((r for r in runs if r in self.corpus_text and (tags := self.tokenizer.tags(r)) and tags[-1][1].startswith("n")), "")

    def _heading_title(self, sentence: Sentence) -> str:
        """The numbered heading line the sentence is (as the sections' paths write it), or ""."""
        text = self.texts[sentence.chunk.doc]
        line = text[text.rfind("\n", 0, sentence.start) + 1 : text.find("\n", sentence.end) if "\n" in text[sentence.end :] else len(text)]
        heading = numbered_heading(line.strip())
        return line.strip() if heading is not None and not heading.rest else ""

    def _heading_tokens(self, sentence: Sentence) -> frozenset[str]:
        """The tokens a sentence holds only through its section's heading (split_sentences adds them)."""
        return sentence.tokens - frozenset(self.tokenizer.tokens(sentence.text))

    def _same_paragraph(self, first: Sentence, second: Sentence) -> bool:
        return self._paragraph_key(first) == self._paragraph_key(second)

    def _opens_paragraph(self, sentence: Sentence) -> bool:
        """Only indentation stands between the sentence and the line break before it."""
        before = self.texts[sentence.chunk.doc][max(0, sentence.start - INDENT_SPAN) : sentence.start]
        return sentence.start == 0 or bool(PARAGRAPH_OPENING.search(before))

    def citation(self, sentence: Sentence) -> Citation:
        """A sentence's exact span as a citation (from its paragraph's label, when it has one)."""
        return Citation(
            doc=sentence.chunk.doc,
            section=sentence.chunk.section,
            start=sentence.quote_start,
            end=sentence.end,
            quote=self.texts[sentence.chunk.doc][sentence.quote_start : sentence.end],
        )

    def _followers(self, best: Sentence, best_score: float, rest: list[tuple[float, Sentence]], intent: Intent) -> list[Sentence]:
        """Sentences quoted after the best: from its section, or as good as it from anywhere; for a
        list about a named sub-park, any sentence naming it (projects located there are described
        across paragraphs)."""
        named = [s for s in intent.subjects if s not in self.park_names]
        listing = intent.operation == "list" and bool(named)
        limit = MAX_LIST_SENTENCES if listing else MAX_SENTENCES
        chosen = [best]
        for score, sentence in rest:
            if len(chosen) >= limit or score < best_score * FOLLOWER_RATIO:
                break
            if any(sentence.start == c.start for c in chosen):
                continue
            naming = listing and any(n in sentence.text for s in named for n in self.aliases.get(s, [s]))
            if sentence.chunk.section == best.chunk.section or naming or score >= best_score * TIE_RATIO:
                chosen.append(sentence)  # a sentence elsewhere as good as the best is a second answer
        if intent.operation == "list":  # the plan lists them in another place too: its best list there
            chosen += [
                sentence
                for score, sentence in rest
                if score >= best_score * FOLLOWER_RATIO
                and sentence.chunk.section != best.chunk.section
                and sentence.text.count("、") >= MIN_ENUMERATION
                and all(sentence.start != c.start for c in chosen)
            ][:1]
        return chosen

    @staticmethod
    def held(content: set[str], sentence: Sentence) -> frozenset[str]:
        return held_in(content, sentence.tokens, sentence.text)

    def focus(self, known: set[str], sentence: frozenset[str]) -> str | None:
        """The question's rarest word that its best sentence holds (专利, 冷链, 孵化): what the
        question is about, rather than how it asks."""
        held = sorted(t for t in known if t in sentence and self.telling(t))  # sorted: ties fall the same way every run
        return max(held, key=lambda t: (self.idf.get(t, self.unseen_idf), len(t)), default=None)

    def elsewhere(
        self, best: Sentence, chosen: list[Sentence], known: set[str], total_weight: float, forms: dict[str, frozenset[str]] | None = None
    ) -> list[Sentence]:
        """Sentences from other parts of the plan on the same focus word that cover the question
        well: a plan says what it has on a topic in its analysis, its measures and its annex, and an
        open question deserves all of it (the IP platform one sub-park has beside the IP service
        system the measures chapter builds), not only the best paragraph; ``forms``: the plan's short
        forms of what the best sentence writes in full (人资 of 人力资源, holding its words)."""
        focus = self.focus(known, best.tokens)
        if focus is None:
            return []
        floor = ELSEWHERE_SHARE * self.weighted_coverage(known, best.tokens, total_weight)
        taken = [(s.chunk.doc, s.start, s.end) for s in chosen]
        pool: dict[tuple[str, int], tuple[float, Sentence]] = {}
        for sentences in self.sentences.values():
            for sentence in sentences:
                shortened_words = frozenset().union(*(words for f, words in (forms or {}).items() if f in sentence.text))
                if (focus not in sentence.text and not shortened_words) or any(
                    d == sentence.chunk.doc and a < sentence.end and sentence.start < b for d, a, b in taken
                ):
                    continue
                coverage = self.weighted_coverage(known, sentence.tokens | shortened_words, total_weight)
                if coverage >= floor:
                    pool[(sentence.chunk.doc, sentence.start)] = (coverage, sentence)
        ranked = sorted(pool.values(), key=lambda pair: (-pair[0], pair[1].start))
        return [sentence for _, sentence in ranked[:MAX_ELSEWHERE]]

    def unframed(self, question: str) -> str:
        """The question less what every passage of the plan is about: the park's own names and the
        plan's period (甲园有相关的基地吗 is near the passages on its topic, not on the park)."""
        return blanked(question, {*self.frame_periods, *(a for p in self.park_names for a in self.all_aliases.get(p, [p]))})

    def nearness(self, question: str) -> dict[str, float]:
        """Every chunk's nearness in meaning to the question, 1 for the nearest down to 0."""
        ranked = self.retriever.dense_ranking(question, len(self.retriever.chunks))
        last = max(1, len(ranked) - 1)
        return {self.retriever.chunks[scored.index].id: 1.0 - rank / last for rank, scored in enumerate(ranked)}

    def weighted_coverage(self, wanted: set[str], found: set[str] | frozenset[str], total_weight: float | None = None) -> float:
        """Share of the wanted tokens' idf weight that ``found`` holds."""
        total = total_weight if total_weight is not None else math.fsum(self.idf.get(t, self.unseen_idf) for t in wanted)
        return self._covered_weight(wanted, found) / total if total else 0.0

    def _covered_weight(self, wanted: set[str], found: set[str] | frozenset[str]) -> float:
        """The idf weight of the question's words a sentence holds: several rare plan words together
        (码头 + 仓储 + 航运) are positive evidence the question is about the plan, whatever
        everyday words (手上, 一直) surround them."""
        return math.fsum(self.idf.get(t, self.unseen_idf) for t in wanted if t in found or self.synonyms.get(t, frozenset()) & found)

    def short_forms(self, question: str) -> set[str]:
        """The plan's own short forms of words the question spells out (人资 for 人力资源)."""
        return {short for piece in self.pieces(question) for short in shortened(piece, self.idf)}

    def telling(self, token: str, limit: float | None = None) -> bool:
        """A word that says what a question is about: a plan word at most ``limit`` chunks hold
        (a tenth of them by default), not a number, not everyday Chinese."""
        most = self.common_limit() if limit is None else limit
        return len(token) >= 2 and not token.isdigit() and 0 < self.chunk_frequency(token) <= most and not self.tokenizer.everyday(token)

    def common_limit(self) -> float:
        """In more chunks than this a word is common: it cannot tell topics or sub-parks apart."""
        return COMMON_SHARE * len(self.retriever.chunks)

    def chunk_frequency(self, token: str) -> int:
        """In how many chunks a search token occurs."""
        return self.frequency.get(token, 0)

    def known(self, token: str) -> bool:
        return token in self.idf or token in self.synonyms or token in self.known_words

    def _unknown_share(self, question: str, unknown: list[str]) -> float:
        """The share of the question's words that no plan contains (上海有几个自贸区？ → 自贸区): a
        question mostly made of such words is positively not about the plan; a few everyday words
        (那边, 打算) beside the plan's own words are not."""
        cut = self.tokenizer.cut(question)
        words = {w for w in cut if len(w) >= 2 and w not in self.tokenizer.stopwords}
        # 落户积分: a plan word modifying a word no plan writes; what is asked (积分) is not in the plan
        heads = sum(1 for before, word in itertools.pairwise(cut) if word in unknown and len(before) >= 2 and self.known(before))
        return (len(unknown) + heads) / len(words) if words else 0.0

    def _about_unknown(self, text: str, unknown: list[str]) -> bool:
        """The asking clause opens with a name no plan writes, said to be or have something
        (某公司在园区有什么项目, 某公司有没有落户): what the question is about is not in the plan,
        whatever plan words follow it."""
        words = [w for w in self.tokenizer.cut(asking_clause(text)) if w.strip() and not (len(w) >= 2 and self.tokenizer.speech(w))]
        return (
            len(words) >= 2
            and words[0] in unknown
            and self.tokenizer.names_something(words[0])
            and SAID_OF_SUBJECT.match(words[1]) is not None
        )

    def unknown_words(self, question: str, intent: Intent) -> list[str]:
        """Nouns of the question (precise cut) written nowhere in any plan (房价, 积分)."""
        words = [
            w
            for w in self.tokenizer.cut(question)
            if len(w) >= 2 and w not in self.tokenizer.stopwords and w not in self.known_words and w not in self.synonyms
        ]
        unknown = [
            w
            for w in words
            if w not in self.corpus_text
            and not any(ch.isdigit() for ch in w)
            and not self._known_parts(w)
            and not self.tokenizer.everyday(w)
            and not self.tokenizer.speech(w)  # 成功, 用不完, 什么样 are how one asks, not what about
            and not self._typed_for(w)
            and not self.abbreviations.spelled_out(w)  # 税费: a short form of 减税降费
        ]
        return list(dict.fromkeys(unknown))

    def spelled_out(self, question: str) -> list[str]:
        """The plan's runs the question's short forms abbreviate (税费 → 税降费 of 减税降费), for words
        no plan writes that are no everyday Chinese."""
        cut = self.tokenizer.cut(question)
        pairs = [  # 进|博会 → 进博会: a short form cut in two, one piece written in no plan
            a + b
            for a, b in itertools.pairwise(cut)
            if (a not in self.corpus_text or b not in self.corpus_text) and self.abbreviations.spelled_out(a + b)
        ]
        words = [w for w in cut if not self.tokenizer.everyday(w) and not self.tokenizer.speech(w) and not any(w in p for p in pairs)]
        return [run for w in [*pairs, *words] for run in self.abbreviations.spelled_out(w)]

    def _never_said(self, word: str) -> bool:
        """A word asked whether it holds that no plan writes, nor a word typed for one."""
        return (
            bool(word)
            and NAMED_WORD.match(word) is not None
            and word not in self.corpus_text
            and not self.tokenizer.everyday(word)
            and not self._typed_for(word)
            and not self.abbreviations.spelled_out(word)  # 某保区: a short form of what the plan writes
            and not self.tokenizer.judges(word)  # 会不会很麻烦: answered by what the plan does about it
        )

    def _typed_for(self, word: str) -> bool:
        """The word reads like words the plan writes (智古 for 智谷 of 湖畔智谷): a typing slip, not a
        new topic."""
        size = len(word)
        return any(
            sounds_alike(word, known[start : start + size])
            for known in self.idf
            if len(known) >= size
            for start in range(len(known) - size + 1)
        )

    def _known_parts(self, word: str) -> bool:
        """A compound the plan never writes whole but whose parts it uses (引进人才 → 引进 + 人才;
        比新加 → 比 + 新加; 办事效率 → everyday 办事 + 效率): the word splits into pieces that are all
        known words, stop words or everyday words."""
        reachable = [True] + [False] * len(word)
        for end in range(1, len(word) + 1):
            reachable[end] = any(reachable[start] and word[start:end] != word and self._part(word[start:end]) for start in range(end))
        return reachable[-1]

    def _part(self, piece: str) -> bool:
        return self.known(piece) or piece in self.tokenizer.stopwords or (len(piece) >= 2 and self.tokenizer.everyday(piece))

    @staticmethod
    def nothing(question: str, unknown: list[str] | None = None) -> Answer:
        text = phrasing.nothing_found((unknown or [])[:MAX_LISTED_UNKNOWN])
        return refusal(question, text, NOTHING_FOUND, confidence=0.7)
