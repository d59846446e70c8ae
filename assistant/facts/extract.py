"""Facts from tables, annex profiles and narrative text — every one quoting its exact source span.

Rules that keep figures honest: a profile figure counts only when its label holds a known cue
*and* its unit is one the concept allows (so ``年产值贡献率高达95%`` is not an output); a
narrative figure counts only when its label ends with a narrative cue; a field a profile does not
state produces no fact at all (missing is never zero).
"""

from __future__ import annotations

import re

from assistant.facts.figures import TextFigure, find_figures
from assistant.lexicon import Concept, Lexicon, concept_for_label
from assistant.models import Fact, FactKind, Origin, Span
from assistant.parsing.document import PATH_SEPARATOR, PlanDocument
from assistant.parsing.tables import Table

CLAUSE_MARKS = ",，"
NEXT_CLAUSE = re.compile(r"[^,，。;；\n]{2,30}")
STANDING = re.compile(r"在[^,，。]{0,14}(占比|比重)|贡献了?[^,，。]*(分之|百分之|%)")  # a share of the whole, said of this figure


def _kind(year: int | None, document: PlanDocument) -> FactKind:
    return "target" if year is not None and document.issue_year is not None and year > document.issue_year else "actual"


def _span(document: PlanDocument, section: list[str], start: int, end: int) -> Span:
    return Span(doc=document.doc, section=PATH_SEPARATOR.join(section), start=start, end=end, quote=document.text[start:end])


def table_facts(document: PlanDocument, table: Table, lexicon: Lexicon) -> list[Fact]:
    """One fact per value cell; a table with a single remark has it as a merged 备注 cell for all rows."""
    remarks = [row.remark.text for row in table.rows if row.remark]
    shared_note = remarks[0] if len(remarks) == 1 else None
    origin: Origin = "table2" if any(_kind(year, document) == "target" for year in table.years) else "table1"
    section = [*table.section, table.label]
    facts: list[Fact] = []
    for row in table.rows:
        for year, cell in zip(table.years, row.values, strict=False):
            kind = _kind(year, document)
            note = shared_note if kind == "target" else None
            facts.append(
                Fact(
                    id=f"{document.doc}:{table.label}:{len(facts) + 1:03d}",
                    doc=document.doc,
                    subject=lexicon.park_of(document.doc).name,
                    indicator=concept_for_label(lexicon.concepts, row.indicator),
                    year=year,
                    kind=kind,
                    value=float(cell.text.rstrip("%").replace(",", "")),
                    text=cell.text,
                    unit=row.unit,
                    origin=origin,
                    category=row.category,
                    note=note or (row.remark.text if row.remark and kind == "target" else None),
                    source=_span(document, section, row.label.start, cell.end),
                )
            )
    return facts


def _match_concept(concepts: list[Concept], figure: TextFigure, narrative: bool) -> Concept | None:
    best: tuple[int, Concept] | None = None
    for concept in concepts:
        if figure.unit not in concept.units:
            continue
        cues = concept.narrative_cues if narrative else concept.cues
        for cue in cues:
            hit = figure.label.endswith(cue) if narrative else cue in figure.label
            if hit and (best is None or len(cue) > best[0]):
                best = (len(cue), concept)
    return best[1] if best else None


def _figure_fact(
    document: PlanDocument, figure: TextFigure, subject: str, concept: Concept, section: list[str], origin: Origin, number: int
) -> Fact:
    return Fact(
        id=f"{document.doc}:{origin}:{number:03d}",
        doc=document.doc,
        subject=subject,
        indicator=concept.name,
        year=figure.year,
        kind=_kind(figure.year, document),
        value=figure.value,
        text=figure.text,
        unit=figure.unit,
        origin=origin,
        source=_span(document, section, figure.clause_start, figure.end),
    )


def profile_facts(document: PlanDocument, lexicon: Lexicon) -> list[Fact]:
    """Figures of each annex block, its subject being the block's sub-park."""
    facts: list[Fact] = []
    blocks = {tuple(block.path): block for block in document.annex_blocks()}
    names = dict(lexicon.alias_table())
    for paragraph in document.paragraphs:
        block = blocks.get(tuple(paragraph.section))
        if block is None:
            continue
        subject = names.get(block.title, block.title)
        for figure in find_figures(paragraph.text, paragraph.start):
            concept = _match_concept(lexicon.concepts, figure, narrative=False)
            if concept is not None:
                fact = _figure_fact(document, figure, subject, concept, paragraph.section, "profile", len(facts) + 1)
                note = standing_clause(document.text, figure.end)
                if note is not None:  # the clause shown beside the figure lies inside its cited span
                    source = _span(document, paragraph.section, figure.clause_start, figure.end + 1 + len(note))
                    fact = fact.model_copy(update={"note": note, "source": source})
                facts.append(fact)
    return facts


def standing_clause(text: str, end: int) -> str | None:
    """The clause right after a figure when it says what share of the whole the figure is
    (…3.2万人,在全园中占比五分之一): part of what the figure means, shown beside it."""
    if end >= len(text) or text[end] not in CLAUSE_MARKS:
        return None
    match = NEXT_CLAUSE.match(text, end + 1)
    clause = match.group(0) if match else ""
    return clause if STANDING.match(clause) else None  # 以…的占地面积 after a figure is another measure's share


def _sentence_subject(sentence: str, lexicon: Lexicon, doc: str) -> str:
    """The one sub-park a sentence names, else the park of its plan."""
    found: set[str] = set()
    remaining = sentence
    for alias, name in lexicon.alias_table():
        if len(alias) >= 4 and alias in remaining:
            found.add(name)
            remaining = remaining.replace(alias, "")
    subparks = found - lexicon.park_names()
    return subparks.pop() if len(subparks) == 1 else lexicon.park_of(doc).name


def narrative_facts(document: PlanDocument, lexicon: Lexicon) -> list[Fact]:
    """Park-level figures stated in running text, where a narrative cue names the indicator."""
    facts: list[Fact] = []
    blocks = {tuple(block.path) for block in document.annex_blocks()}
    for paragraph in document.paragraphs:
        if tuple(paragraph.section) in blocks:
            continue
        for figure in find_figures(paragraph.text, paragraph.start):
            concept = _match_concept(lexicon.concepts, figure, narrative=True)
            if concept is None:
                continue
            local = figure.start - paragraph.start
            sentence_start = paragraph.text.rfind("。", 0, local) + 1
            sentence_end = paragraph.text.find("。", local)
            sentence = paragraph.text[sentence_start : sentence_end if sentence_end >= 0 else None]
            subject = _sentence_subject(sentence, lexicon, document.doc)
            facts.append(_figure_fact(document, figure, subject, concept, paragraph.section, "narrative", len(facts) + 1))
    return facts


def extract_facts(documents: list[PlanDocument], lexicon: Lexicon) -> list[Fact]:
    """Every structured figure of every document, in document order within each origin."""
    facts: list[Fact] = []
    for document in documents:
        for table in document.tables:
            facts.extend(table_facts(document, table, lexicon))
        facts.extend(profile_facts(document, lexicon))
        facts.extend(narrative_facts(document, lexicon))
    return facts
