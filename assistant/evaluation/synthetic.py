"""Synthetic corpora for scaling runs: each document a real plan renamed and renumbered.

Document ``i`` (1-based) is a source plan with every name of its park and sub-parks replaced by a
generated one (``第{i}号高新区``, ``第{i}号甲园``, aliases ``第{i}号甲园东片`` …) and every Arabic
figure that carries a unit (``420家``, ``约1.5万人``, a table cell ``67.09``) multiplied by
:func:`document_factor`, rounded half-up to the decimal places written. Years, numbering, Chinese
numerals (``百亿元``) and all other text stay as they are, so each document parses into exactly the
facts of its source, under new names and values.

Generic park aliases of the data file (``全园``, ``整个园区``) are words, not names: an alias counts as a
name when the documents derive it or when it shares two consecutive characters with a derived name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from assistant.corpus import LEXICON_FILE
from assistant.facts.figures import find_figures
from assistant.lexicon import Lexicon, LexiconFile, Subject, build_lexicon, read_lexicon_file
from assistant.parsing.document import PlanDocument
from assistant.plan import PlanCorpus

SUBPARK_STEMS = "甲乙丙丁戊己庚辛壬癸"
ALIAS_TAGS = tuple(f"{side}{part}" for part in "片坊湾苑林" for side in "东西南北中")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
COMPOSITE = re.compile(r"[（()）]")


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of a source document by ``new``."""

    start: int
    end: int
    new: str


@dataclass(frozen=True)
class SyntheticDocument:
    """One generated plan: its number, source, scale factor, text and original → synthetic names."""

    number: int
    doc: str
    source_doc: str
    factor: Decimal
    text: str
    names: dict[str, str]


def document_factor(number: int) -> Decimal:
    """The figure multiplier of document ``number``: 1.1, 1.2, … 1.9, then again from 1.1."""
    return Decimal(1) + Decimal((number - 1) % 9 + 1) / 10


def scale_number(text: str, factor: Decimal) -> str:
    """``text`` (``67.09``, ``1,274.61``) times ``factor``, with the decimal places and grouping written."""
    plain = text.replace(",", "")
    places = len(plain.partition(".")[2])
    scaled = (Decimal(plain) * factor).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{scaled:,.{places}f}" if "," in text else f"{scaled:.{places}f}"


def scale_figure_text(text: str, factor: Decimal) -> str:
    """A figure as written (``约1.5万人``) with its Arabic number scaled; Chinese numerals unchanged."""
    match = NUMBER.search(text)
    if match is None:
        return text
    return text[: match.start()] + scale_number(match.group(0), factor) + text[match.end() :]


def figure_edits(document: PlanDocument, factor: Decimal) -> list[Edit]:
    """Scaled numbers of every unit-bearing figure in paragraphs and every table value cell."""
    edits: list[Edit] = []
    for paragraph in document.paragraphs:
        for figure in find_figures(paragraph.text, paragraph.start):
            match = NUMBER.search(figure.text)
            if match is not None:
                start = figure.start + match.start()
                edits.append(Edit(start, start + len(match.group(0)), scale_number(match.group(0), factor)))
    for table in document.tables:
        for row in table.rows:
            for cell in row.values:
                match = NUMBER.search(cell.text)
                if match is not None:
                    start = cell.start + match.start()
                    edits.append(Edit(start, start + len(match.group(0)), scale_number(match.group(0), factor)))
    return edits


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def proper_names(subject: Subject, derived: Subject | None) -> list[str]:
    """The names of a subject to replace: canonical first, then aliases that are names, sorted.

    Composite aliases (``A(B)``) are left out: they reappear from the renamed parts.
    """
    derived_names = {subject.name, *(derived.aliases if derived else [])}
    grams = set().union(*(_bigrams(name) for name in derived_names))
    aliases = sorted(
        alias
        for alias in set(subject.aliases) - {subject.name}
        if not COMPOSITE.search(alias) and (alias in derived_names or _bigrams(alias) & grams)
    )
    return [subject.name, *aliases]


def subject_names(number: int, position: int, count: int) -> list[str]:
    """``count`` generated names of subject ``position`` (0 = the park) in document ``number``."""
    if count - 1 > len(ALIAS_TAGS):
        raise ValueError(f"a subject has {count - 1} aliases; at most {len(ALIAS_TAGS)} can be generated")
    if position == 0:
        canonical = f"第{number}号高新区"
    else:
        stem = SUBPARK_STEMS[(position - 1) % len(SUBPARK_STEMS)]
        lap = (position - 1) // len(SUBPARK_STEMS)
        canonical = f"第{number}号{stem}{lap or ''}园"
    return [canonical, *(f"{canonical}{tag}" for tag in ALIAS_TAGS[: count - 1])]


def name_map(lexicon: Lexicon, derived: Lexicon, number: int) -> dict[str, str]:
    """Every name and name-like alias of the lexicon's subjects → its generated name in document ``number``."""
    derived_by_name = {subject.name: subject for subject in derived.subjects()}
    mapping: dict[str, str] = {}
    for position, subject in enumerate(lexicon.subjects()):
        originals = proper_names(subject, derived_by_name.get(subject.name))
        mapping.update(zip(originals, subject_names(number, position, len(originals)), strict=True))
    return mapping


def rename(text: str, names: dict[str, str]) -> str:
    """``text`` with every original name replaced, longest first, in one pass."""
    return "".join(edit.new if isinstance(edit, Edit) else edit for edit in _renamed_pieces(text, names))


def _renamed_pieces(text: str, names: dict[str, str]) -> list[str | Edit]:
    if not names:
        return [text]
    pattern = re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)))
    pieces: list[str | Edit] = []
    last = 0
    for match in pattern.finditer(text):
        pieces.append(text[last : match.start()])
        pieces.append(Edit(match.start(), match.end(), names[match.group(0)]))
        last = match.end()
    pieces.append(text[last:])
    return pieces


def name_edits(text: str, names: dict[str, str]) -> list[Edit]:
    """Where each original name occurs in ``text`` (longest match first) and what replaces it."""
    return [piece for piece in _renamed_pieces(text, names) if isinstance(piece, Edit)]


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; overlapping ones mean a name holds a figure, which is refused."""
    out: list[str] = []
    last = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < last:
            raise ValueError(f"overlapping edits at {edit.start}: {text[edit.start : edit.end]!r}")
        out.append(text[last : edit.start])
        out.append(edit.new)
        last = edit.end
    out.append(text[last:])
    return "".join(out)


def synthesize(documents: list[PlanDocument], lexicon: Lexicon, count: int) -> list[SyntheticDocument]:
    """``count`` synthetic documents; document ``i`` renames and rescales source ``(i - 1) % len(documents)``."""
    if not documents:
        raise ValueError("no source document to synthesize from")
    derived = build_lexicon(documents, LexiconFile())
    width = max(3, len(str(count)))
    synthetic: list[SyntheticDocument] = []
    for number in range(1, count + 1):
        source = documents[(number - 1) % len(documents)]
        names = name_map(lexicon, derived, number)
        factor = document_factor(number)
        text = apply_edits(source.text, name_edits(source.text, names) + figure_edits(source, factor))
        doc = f"synthetic_{number:0{width}d}_{source.doc}"
        synthetic.append(SyntheticDocument(number, doc, source.doc, factor, text, names))
    return synthetic


def synthetic_lexicon(data: LexiconFile, documents: list[SyntheticDocument]) -> LexiconFile:
    """The data file for a synthetic corpus: aliases renamed per document; concepts and stopwords kept.

    A corpus has one park in the lexicon (the first document's), so park aliases follow document 1.
    """
    first = documents[0].names if documents else {}
    park_aliases = sorted({first.get(alias, alias) for alias in data.park_aliases})
    subpark_aliases: dict[str, list[str]] = {}
    for document in documents:
        for key, aliases in data.subpark_aliases.items():
            if key in document.names:
                renamed = {document.names[alias] for alias in aliases if alias in document.names}
                subpark_aliases[document.names[key]] = sorted(renamed)
    return data.model_copy(update={"park_aliases": park_aliases, "subpark_aliases": subpark_aliases})


def write_corpus(source_dir: Path, target_dir: Path, count: int) -> list[SyntheticDocument]:
    """Generate ``count`` documents from the plans in ``source_dir`` into ``target_dir`` with a lexicon."""
    corpus = PlanCorpus.load(source_dir)
    documents = synthesize(corpus.documents, corpus.lexicon, count)
    target_dir.mkdir(parents=True, exist_ok=True)
    for document in documents:
        (target_dir / f"{document.doc}.txt").write_text(document.text, encoding="utf-8")
    lexicon = synthetic_lexicon(read_lexicon_file(source_dir / LEXICON_FILE), documents)
    (target_dir / LEXICON_FILE).write_text(json.dumps(lexicon.model_dump(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return documents
