"""Answers read off the document structure: who issued the plan and when, and outline lists.

"保障措施有哪几方面？" is answered best by the plan's own outline: the headings under the section
whose title names the asked thing. The notice's issuing body and date come from the parser.
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.engine import phrasing
from assistant.engine.clauses import FIVE_YEAR_PERIOD, asking_clause, asking_clauses
from assistant.engine.intent import Intent
from assistant.engine.passages import PassageAnswerer
from assistant.engine.replies import reply
from assistant.lexicon import Lexicon
from assistant.models import Answer, Citation
from assistant.parsing.document import PATH_SEPARATOR, PlanDocument, Section
from assistant.parsing.tables import Table
from assistant.tokenizer import PlanTokenizer

ASKS_DATE = re.compile(
    r"(哪天|哪一天|什么时候|何时|日期|哪年|时间).{0,8}(印发|发布|发文|出台|下发|印的|发的)|(印发|发布|发文|出台|下发).{0,6}(哪天|什么时候|何时|日期|时间)"
)
ASKS_ISSUER = re.compile(
    r"(哪个|什么|哪家|谁)(部门|单位|机构|机关)?.{0,6}(印发|发布|发文|出台|下发|发的|制定)|(印发|发布|发文|下发)(单位|部门|机关)"
)
MIN_OUTLINE_COVERAGE = 0.5
ASKS_PARTS = re.compile(r"(部分|组成|构成|子园|分园|园区|板块|区块)")
COUNTS_PARTS = re.compile(r"(几|多少)个?(子园|分园|部分|板块|区块)")  # 一共几个子园: the listing states the count
ASKS_CATEGORIES = re.compile(r"(表|指标).{0,12}(几类|哪几类|哪些类|分类|类别|几个方面|哪几方面|几大类)")
PERIOD_WORDS = re.compile(rf"({FIVE_YEAR_PERIOD}|\d{{4}}年?|期间|时期)")
MIN_CHILDREN = 2
ENUMERATION = re.compile(r"哪?几大|哪几|哪些|[几两二三四五六七八九十\d]+[个项条大类]")  # 哪几大产业集群, 三个方向: counts, no topic words


def heading_word_counts(documents: list[PlanDocument], tokenizer: PlanTokenizer) -> Counter[str]:
    """How many section headings use each word (a word one heading alone uses names that section)."""
    return Counter(t for d in documents for s in d.sections for t in set(tokenizer.tokens(s.title)))


def headings_answer(question: str, document: PlanDocument, section: Section) -> Answer:
    """A section answered by its sub-headings (保障措施 → 加强组织领导 …), each cited."""
    children = document.children(section)
    text = phrasing.children(section.title, [child.title for child in children])
    citations = [
        Citation(doc=document.doc, section=PATH_SEPARATOR.join(c.path), start=c.start, end=c.end, quote=document.text[c.start : c.end])
        for c in children
    ]
    return reply(question, text, "list", [], citations, 0.85)


class OutlineAnswerer:
    """Metadata and outline answers over parsed documents."""

    def __init__(self, documents: list[PlanDocument], passages: PassageAnswerer, lexicon: Lexicon) -> None:
        self.documents = documents
        self.passages = passages
        self.tokenizer = passages.tokenizer
        self.lexicon = lexicon
        self.heading_count = heading_word_counts(documents, self.tokenizer)

    def answer(self, question: str, intent: Intent) -> Answer | None:
        if ASKS_DATE.search(question) or ASKS_ISSUER.search(question):
            return self._metadata(question)
        if ASKS_CATEGORIES.search(question):
            return self._categories(question)
        if [s for s in intent.subjects if s not in self.lexicon.park_names()]:
            return None
        listing = intent.operation == "list"
        if (listing or COUNTS_PARTS.search(question)) and not intent.concepts and self._only_parts(question, intent):
            return self._parts(question)
        if listing:  # 规划怎么保证落地，保障措施有哪几条: two questions, the listing one names the section
            found = self._outline(question, self._listed_words(question, intent))
            asking = asking_clauses(question)
            return found or (self._outline(question, self._listed_words(asking[-1], intent)) if len(asking) >= 2 else None)
        if (intent.asks_measures or intent.asks_what) and (named := self._named_by_own_word(asking_clause(question), intent)):
            return headings_answer(question, *named)
        return None

    def _listed_words(self, text: str, intent: Intent) -> set[str]:
        """The words naming what is listed: not counts, single characters (定位式), everyday words
        (自己) or words no plan writes (认可: the asker's own)."""
        words = self.passages.content_tokens(ENUMERATION.sub("", PERIOD_WORDS.sub("", text)), intent)
        return {t for t in words if len(t) >= 2 and not self.tokenizer.everyday(t) and self.passages.known(t)}

    def _named_by_own_word(self, question: str, intent: Intent) -> tuple[PlanDocument, Section] | None:
        """The one section with sub-headings whose title holds a word of the asking clause that no
        other heading uses and whose text holds its other words (靠什么监督落实: the chapter on
        监督机制 writes 落实; words no plan writes are the asker's own): its sub-headings are the
        measures or parts asked."""
        wanted = {t for t in self.passages.content_tokens(question, intent) if len(t) >= 2 and not self.tokenizer.everyday(t)}
        own = {t for t in wanted if self.heading_count[t] == 1}
        marked = set().union(*self.passages.marked_topics(question))  # 甲这块有什么计划: the sub-headings must be about 甲
        found = [
            (document, section)
            for document in self.documents
            for section in document.sections
            if own & set(self.tokenizer.tokens(section.title))
            and len(children := document.children(section)) >= MIN_CHILDREN
            and not self._generic(document, children)
            and marked <= set().union(*(self.tokenizer.tokens(s.title) for s in [section, *children]))
            and all(t in "".join(p.text for p in document.section_text(section.path)) or not self.passages.known(t) for t in wanted - own)
        ]
        return found[0] if len(found) == 1 else None

    def _only_parts(self, question: str, intent: Intent) -> bool:
        """The question asks for the plan's parts and about nothing else the plan writes of (园区包括哪几个部分, 一共几个子园，都叫啥名)."""
        wanted = self.passages.content_tokens(question, intent)
        other = [t for t in wanted if not ASKS_PARTS.search(t) and self.passages.known(t) and not self.tokenizer.everyday(t)]
        return bool(ASKS_PARTS.search(question)) and not other  # 园区有哪些不足: the parks' shortcomings, not their parts

    def _categories(self, question: str) -> Answer | None:
        """The category headers of the table the question names (by its five-year period or label)."""
        best: tuple[int, Table, PlanDocument] | None = None
        for document in self.documents:
            for table in document.tables:
                if not any(row.category for row in table.rows):
                    continue
                period = PERIOD_WORDS.findall(table.caption)
                overlap = sum(1 for word in period if word in question) + (table.label in question)
                if best is None or overlap > best[0]:
                    best = (overlap, table, document)
        if best is None:
            return None
        _, table, document = best
        categories = list(dict.fromkeys(row.category for row in table.rows if row.category))
        citations = []
        for category in categories:
            start = document.text.find(category, table.start)
            citations.append(
                Citation(
                    doc=document.doc,
                    section=PATH_SEPARATOR.join([*table.section, table.label]),
                    start=start,
                    end=start + len(category),
                    quote=category,
                )
            )
        text = phrasing.table_categories(table.label, table.caption, categories)
        return reply(question, text, "list", [], citations, 0.9)

    def _parts(self, question: str) -> Answer | None:
        """A park's parts are its plan's annex blocks, cited by their headings."""
        sentences = []
        citations = []
        for document in self.documents:
            blocks = document.annex_blocks()
            if not blocks:
                continue
            spans = [
                Citation(
                    doc=document.doc, section=PATH_SEPARATOR.join(b.path), start=b.start, end=b.end, quote=document.text[b.start : b.end]
                )
                for b in blocks
            ]
            citations += spans
            park = self.lexicon.park_of(document.doc).name
            sentences.append(phrasing.park_parts(park, [c.quote for c in spans]))
        return reply(question, "".join(sentences), "list", [], citations, 0.9) if citations else None

    def _metadata(self, question: str) -> Answer | None:
        for document in self.documents:
            if not document.issue_date:
                continue
            citations = []
            for value in (document.issuer, document.issue_date):
                if value:
                    start = document.text.find(value)
                    if start >= 0:
                        citations.append(Citation(doc=document.doc, section="通知", start=start, end=start + len(value), quote=value))
            text = phrasing.issued(document.title, document.issuer, document.issue_date)
            return reply(question, text, "passage", [], citations, 0.95)
        return None

    def _outline(self, question: str, wanted: set[str]) -> Answer | None:
        """The section whose title (with its sub-headings) covers the question best, if well enough."""
        best: tuple[float, Section, PlanDocument] | None = None
        periods = set(re.findall(FIVE_YEAR_PERIOD, question)) - self.passages.frame_periods  # 比十三五多了哪些: of that period
        for document in self.documents:
            for section in document.sections:
                children = document.children(section)
                title = set(self.tokenizer.tokens(section.title))
                if len(children) < MIN_CHILDREN or not self.passages.weighted_coverage(wanted, title) or self._generic(document, children):
                    continue
                if not all(p in "".join(s.title for s in [section, *children]) for p in periods):
                    continue
                found = title.union(*(self.tokenizer.tokens(c.title) for c in children))
                coverage = self.passages.weighted_coverage(wanted, found)
                if coverage >= MIN_OUTLINE_COVERAGE and (best is None or coverage > best[0]):
                    best = (coverage, section, document)
        if best is None:
            return None
        _, section, document = best
        return headings_answer(question, document, section)

    @staticmethod
    def _generic(document: PlanDocument, children: list[Section]) -> bool:
        """Sub-headings that recur under other sections (发展定位 / 发展举措) list nothing."""
        titles = [s.title for s in document.sections]
        return all(titles.count(child.title) > 1 for child in children)
