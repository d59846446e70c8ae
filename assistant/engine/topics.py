"""Park-wide topics (人才, 金融, 营商环境, an industry …) answered by the plan's own sub-section on them.

A plan organises its measures under headings ("完善金融服务体系,打造产融结合新高地"); each
paragraph under such a heading is one measure that opens with its lead phrase. The section whose
heading covers the question's topic words best (weighted by how few headings use each word, so
园区/打造/发展 count for little; on a tie, a section of the plan's measures chapter rather than of its
analysis of problems) is the answer: its measures in order, each quoted whole, so an
enumeration (在…领域,重点发展…) is complete rather than cut at its first item.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cached_property

from assistant.engine import phrasing
from assistant.engine.clauses import asking_clause
from assistant.engine.intent import Intent
from assistant.engine.outline import heading_word_counts, headings_answer
from assistant.engine.passages import RARE_CHUNKS, PassageAnswerer
from assistant.engine.replies import combine, reply
from assistant.models import Answer, Citation
from assistant.parsing.document import PATH_SEPARATOR, Paragraph, PlanDocument, Section
from assistant.parsing.sentences import PARAGRAPH_LABEL, sentence_spans
from assistant.quantities import states_figure

MIN_HEADING_COVERAGE = 0.5
MAX_MEASURES = 8
MIN_LEVEL = 2
MEASURES_MARGIN = 0.75
MIN_LABELLED = 2
EVIDENCE_CHUNKS = 5
EVIDENCE_POOL = 15  # the nearest passages looked through for those of the measures chapter
MAX_ELSEWHERE = 4
MIN_NAMED = 4  # a piece this long written in few passages names a thing (a project, a company)
MIN_EVIDENCE_CHUNKS = 2
MEASURES_CHAPTER = re.compile(r"(举措|措施|任务|路径|重点工作)")
ASKS_TARGETS = re.compile(r"(啥|什么|哪些|有没有|几个)(硬|量化|具体|主要|考核)?(目标|指标)|(目标|指标)(是啥|是什么|有哪些|有啥)")
TARGET_WORDS = re.compile(r"硬?指标|量化|目标")
AIMS = re.compile(r"到\d{4}年|力争|达到|争取|培育|拥有|突破")  # a sentence aiming at a figure

POLICY_NOUNS = re.compile(r"政策|措施|举措|办法|手段")  # how one asks for measures, never their topic


class TopicAnswerer:
    """Finds the sub-section a question is about and lists its measures."""

    def __init__(self, documents: list[PlanDocument], passages: PassageAnswerer) -> None:
        self.documents = documents
        self.passages = passages
        self.tokenizer = passages.tokenizer
        titles = [s.title for d in documents for s in d.sections]
        self.generic = {title for title, count in Counter(titles).items() if count > 1}
        frequency = heading_word_counts(documents, self.tokenizer)
        self.heading_idf = {t: math.log((len(titles) + 1) / (n + 1)) + 1.0 for t, n in frequency.items()}
        self.heading_count = frequency
        self.unseen = math.log(len(titles) + 1) + 1.0

    def answer(self, question: str, intent: Intent) -> Answer | None:
        listing = intent.operation == "list" and not intent.asks_measures
        if not (intent.asks_measures or listing) or intent.concepts or [s for s in intent.subjects if s not in self.passages.park_names]:
            return None
        wanted = self._wanted(intent.residue, intent)
        found = self._best_section(wanted)
        retried = False
        marked = self._marked(intent.text)
        if found is not None and marked and not marked & set(self.tokenizer.tokens(found[1].title)):
            found = None  # 科创企业融资这块有啥支持: a heading on 科创 that never says the marked 融资 is not its section
        if found is None and marked and (leaf := self._leaf(self._best_section(marked))):
            wanted, found = marked, leaf  # 甲这块有啥政策，乙咋解决: the topic the asker marks is what the heading must name
        if (
            found is None
            and (asking := asking_clause(intent.text)) != intent.text
            and self._telling(asking_wanted := self._wanted(asking, intent))
        ):
            wanted = asking_wanted  # 中小企业贷款难，园区在金融上有什么招: the clause that asks (园区这块有啥计划 names no topic)
            found, retried = self._best_section(wanted), True
        by_evidence = found is None and intent.asks_measures
        if by_evidence:
            found = self._section_by_evidence(intent.text)  # 住房怎么解决，有啥人才安居政策: no heading says 安居
        if found is None:
            return None
        document, section = found
        if self._misses_named(question, "".join([*section.path, *(p.text for p in document.section_text(section.path))])):
            return None
        if listing:
            return self._labelled(question, document, section)
        if any(child.title not in self.generic for child in document.children(section)):
            # a chapter's heading sharing the asking clause's words is too broad to be its topic
            return None if retried else headings_answer(question, document, section)
        paragraphs = self._measures(document, section, wanted)
        if not paragraphs:
            return None
        text = phrasing.topic_measures(self._title(section), [p.text.strip() for p in paragraphs])
        citations = [
            Citation(
                doc=document.doc, section=PATH_SEPARATOR.join(p.section), start=p.start, end=p.end, quote=document.text[p.start : p.end]
            )
            for p in paragraphs
        ]
        asked = self._wanted(intent.text, intent)  # with the words of how one asks (保障, 机制): a chapter may be named by them
        answer = self._under_outline(reply(question, text, "list", [], citations, 0.8), question, document, section, asked)
        return self._with_passage(answer, question, intent, section) if by_evidence else answer

    def targets(self, question: str, intent: Intent) -> Answer | None:
        """“甲到2025年有啥硬指标 / 量化目标”: every paragraph of the plan's own section on the topic
        with a sentence stating a figure it aims at (到2025年…, 力争…, 达到…), each quoted whole (what
        the figure is for is often said just before it)."""
        if not ASKS_TARGETS.search(intent.text) or [s for s in intent.subjects if s not in self.passages.park_names]:
            return None
        found = self._best_section(self._wanted(TARGET_WORDS.sub(" ", question), intent))  # with an earlier part's topic
        if found is None:
            return None
        document, section = found
        aims = [
            Citation(
                doc=document.doc, section=PATH_SEPARATOR.join(p.section), start=p.start, end=p.end, quote=document.text[p.start : p.end]
            )
            for p in document.section_text(section.path)
            if any(
                AIMS.search(document.text[start:end]) and states_figure(document.text[start:end])
                for start, end in sentence_spans(p.text, p.start)
            )
        ][:MAX_MEASURES]
        if not aims:
            return None
        return reply(question, phrasing.topic_measures(self._title(section), [c.quote for c in aims]), "list", [], aims, 0.8)

    def _under_outline(self, answer: Answer, question: str, document: PlanDocument, section: Section, wanted: set[str]) -> Answer:
        """A word the section's heading leaves out that a heading above it holds (甲保障和乙机制: the
        chapter on 保障 holds the section on 乙机制): that chapter's sub-headings come first."""
        rest = {w for w in wanted - set(self.tokenizer.tokens(section.title)) if self.heading_count[w] == 1}  # one heading's own word
        for depth in range(len(section.path) - 1, 0, -1):
            above = next((s for s in document.sections if s.path == section.path[:depth]), None)
            if above is None or not rest & set(self.tokenizer.tokens(above.title)):
                continue
            if any(child.title not in self.generic for child in document.children(above)):  # not headings every topic repeats
                outline = headings_answer(question, document, above)
                return combine(outline.model_copy(update={"answer": f"{outline.answer}\n"}), answer)
        return answer

    def _with_passage(self, answer: Answer, question: str, intent: Intent, section: Section) -> Answer | None:
        """A section found by its passages, not its heading, may not be all the plan says: the
        sentences a passage answer quotes from elsewhere follow it. When every sentence found is
        another measure's, the section is no answer (None): the passage answer is."""
        quoted = self.passages.answer(question, intent)
        path = PATH_SEPARATOR.join(section.path)
        first = quoted.citations[0] if quoted.citations else None
        if first is not None and (first.doc, first.section) in self._measure_leaves and all(c.section != path for c in quoted.citations):
            return None  # the sentences found are all of other measures: they outweigh the section
        elsewhere = [c for c in quoted.citations if not quoted.refused and c.section != path][:MAX_ELSEWHERE]
        if not elsewhere:
            return answer
        text = f"{answer.answer}\n{phrasing.also_in_plan([c.quote for c in elsewhere])}"
        return answer.model_copy(update={"answer": text, "citations": [*answer.citations, *elsewhere]})

    def _labelled(self, question: str, document: PlanDocument, section: Section) -> Answer | None:
        """“Which ones does that part list”: a section whose paragraphs each open with a label
        (项目名:定位。) lists the labels, each quoted with its first sentence."""
        items: list[Citation] = []
        labels: list[str] = []
        for paragraph in document.section_text(section.path):
            match = PARAGRAPH_LABEL.match(paragraph.text)
            if match is None:
                continue
            labels.append(match.group(1))
            start = paragraph.start + match.start(1)
            stop = document.text.find("。", start, paragraph.end)
            end = stop + 1 if stop >= 0 else paragraph.end
            items.append(
                Citation(
                    doc=document.doc, section=PATH_SEPARATOR.join(paragraph.section), start=start, end=end, quote=document.text[start:end]
                )
            )
        if len(items) < MIN_LABELLED:
            return None
        text = phrasing.labelled_items(section.title, labels, [c.quote for c in items])
        return reply(question, text, "list", [], items, 0.8)

    def _leaf(self, found: tuple[PlanDocument, Section] | None) -> tuple[PlanDocument, Section] | None:
        """A section whose own sub-sections are topics (a chapter) is too broad for one marked word."""
        if found is None or any(child.title not in self.generic for child in found[0].children(found[1])):
            return None
        return found

    def _telling(self, words: set[str]) -> bool:
        return any(self.passages.chunk_frequency(w) <= self.passages.common_limit() for w in words)

    def _marked(self, text: str) -> set[str]:
        """The words the asker marks as the topic (甲这块), less the park's names (本园甲这块)."""
        names = self.passages.alias_words
        return {w for words in self.passages.marked_topics(text) for w in words if not any(w in name for name in names)}

    def _wanted(self, text: str, intent: Intent) -> set[str]:
        return {
            t
            for t in self.passages.content_tokens(text, intent)
            if self.passages.known(t) and len(t) >= 2 and not self.tokenizer.everyday(t)
        }

    def _weight(self, token: str) -> float:
        """A word no heading uses weighs as much as the rarest heading word: the question is about
        it too, so a heading without it covers the question less. A noun one asks for measures
        by (政策, 措施) weighs half: 人才政策 is about 人才 before any heading on 政策."""
        weight = self.heading_idf.get(token, self.unseen)
        return weight / 2 if POLICY_NOUNS.fullmatch(token) else weight

    def _best_section(self, wanted: set[str]) -> tuple[PlanDocument, Section] | None:
        """The best-covering heading; on a tie, one in the measures chapter, then for a question
        asking "which ones" the broader heading (its sub-headings list them), else the narrower."""
        total = math.fsum(self._weight(t) for t in wanted)
        if not total:
            return None
        found: list[tuple[tuple[float, bool, int], PlanDocument, Section]] = []  # (key, document, section)
        for document in self.documents:
            annex = {tuple(block.path) for block in document.annex_blocks()}
            for section in document.sections:
                if section.title in self.generic or tuple(section.path) in annex:
                    continue
                heading = set(self.tokenizer.tokens(section.title))
                coverage = math.fsum(self._weight(t) for t in wanted if t in heading) / total
                if coverage >= MIN_HEADING_COVERAGE:
                    found.append(((round(coverage, 6), bool(MEASURES_CHAPTER.search(section.path[0])), section.level), document, section))
        if not found:
            return None
        top = max(key[0] for key, _, _ in found)
        # a question asking measures is answered from the measures chapter when one of its headings
        # covers the question nearly as well as an analysis heading (人才政策: not "某项短板需提升")
        measures = [entry for entry in found if entry[0][1] and entry[0][0] >= MEASURES_MARGIN * top]
        _, document, section = max(measures or found, key=lambda entry: entry[0])
        return (document, section) if section.level >= MIN_LEVEL else None

    def _misses_named(self, question: str, text: str) -> bool:
        """The question names a thing of the plan only a few passages write (湖光智造港, a
        project) that the section never mentions: it asks about that thing, not the section's topic."""
        return any(
            len(word) >= MIN_NAMED and word in question and word not in text and 0 < len(self.passages.writing(word)) <= RARE_CHUNKS
            for word in self.passages.known_words
        )

    def _title(self, section: Section) -> str:
        """A heading many sections share (发展举措) is named with the heading above it."""
        parent = next((s for d in self.documents for s in d.sections if s.path == section.path[:-1]), None)
        return phrasing.within(parent.title, section.title) if section.title in self.generic and parent else section.title

    @cached_property
    def _measure_leaves(self) -> dict[tuple[str, str], tuple[PlanDocument, Section]]:
        """The innermost sections of the measures chapters, by (document, path)."""
        return {
            (document.doc, PATH_SEPARATOR.join(section.path)): (document, section)
            for document in self.documents
            for section in document.sections
            if MEASURES_CHAPTER.search(section.path[0]) and section.level >= MIN_LEVEL and not document.children(section)
        }

    def _section_by_evidence(self, text: str) -> tuple[PlanDocument, Section] | None:
        """The measures sub-section holding the measures passage nearest the question and more of
        the few nearest measures passages than any other section: the plan's own section on a topic
        its headings name in other words. The analysis of problems may rank first (某项短板需提升
        beside 某项举措): a question asking what is done is answered by what the plan will do."""
        leaves = self._measure_leaves
        ranked = self.passages.retriever.ranked(text, "hybrid", EVIDENCE_POOL)
        chunks = [self.passages.retriever.chunks[s.index] for s in ranked]
        nearest = [(c.doc, c.section) for c in chunks if (c.doc, c.section) in leaves][:EVIDENCE_CHUNKS]
        places = Counter(nearest)
        if not places:
            return None
        (first, held), *others = places.most_common()
        if first != nearest[0] or held < MIN_EVIDENCE_CHUNKS or (others and others[0][1] == held):
            return None
        return leaves[first]

    def _measures(self, document: PlanDocument, section: Section, content: set[str]) -> list[Paragraph]:
        """The section's paragraphs: those sharing the question's words first, then the rest, in order."""
        paragraphs = [p for p in document.section_text(section.path) if p.text.strip() and p.section != section.path[:-1]]
        if len(paragraphs) <= MAX_MEASURES:
            return paragraphs
        sharing = [p for p in paragraphs if content & set(self.tokenizer.tokens(p.text))]
        chosen = (sharing + [p for p in paragraphs if p not in sharing])[:MAX_MEASURES]
        return sorted(chosen, key=lambda p: p.start)
