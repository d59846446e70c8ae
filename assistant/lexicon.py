"""Names and indicator concepts: derived from the documents, completed by ``corpus/lexicon.json``.

Sub-park canonical names are the annex block titles; a parenthesised alternative written in the
plan (``A(B)``, in a title or anywhere in the text) gives an alias; the park's own short name comes
from its ``(以下简称为“X”)`` definition. The data file only adds colloquial aliases and indicator
synonyms the text cannot give.
"""

from __future__ import annotations

import json
import logging
import re
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import CorpusError
from assistant.parsing.document import PlanDocument
from assistant.parsing.sentences import PARAGRAPH_LABEL

DEFAULTS_FILE = "chinese.json"
PAREN = re.compile(r"^(.+?)[（(]([^()（）]+)[)）]$")
SHORT_NAME = re.compile(r"^(.{4,40}?)[（(]以下简称(?:为)?[“\"]([^”\"]+)[”\"][)）]")
NAME_CHARS = r"[\u4e00-\u9fffA-Za-z0-9]"
PLACE_TAG = "ns"  # jieba's tag of a place name
MIN_HEAD = 2  # a one-character head (甲, 乙) names nothing on its own
MIN_VARIANT = 6  # shorter aliases are short forms (湖滨, 北片), not another full name
MIN_SEGMENTED_SYNONYM = 3
QUOTED_TERM = re.compile(r"[“\"]([\u4e00-\u9fffA-Za-z0-9+]{2,12})[”\"]")


class Concept(BaseModel):
    """An indicator: its canonical name, the words users say for it, text cues and units."""

    model_config = ConfigDict(extra="forbid")

    name: str
    aliases: list[str] = Field(default_factory=list)
    cues: list[str] = Field(default_factory=list)
    narrative_cues: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)

    def words(self) -> list[str]:
        return sorted({self.name, *self.aliases}, key=len, reverse=True)


class DossierField(BaseModel):
    """A kind of thing a sub-park dossier holds: words a question asks it with, words a sentence states it with."""

    model_config = ConfigDict(extra="forbid")

    asked: list[str]
    stated: list[str]


class LexiconFile(BaseModel):
    """The schema of ``corpus/lexicon.json``; an unknown key is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    about: str = Field(default="", alias="_about")
    park_aliases: list[str] = Field(default_factory=list)
    subpark_aliases: dict[str, list[str]] = Field(default_factory=dict)
    concepts: list[Concept] = Field(default_factory=list)
    stopwords: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list, description="ordinary plan words jieba would cut wrongly (7个子园 → 个子)")
    synonyms: dict[str, list[str]] = Field(default_factory=dict)
    dossier_fields: dict[str, DossierField] = Field(default_factory=dict)
    ratios: dict[str, list[str]] = Field(default_factory=dict, description="derived indicator → [numerator, denominator] indicators")


class Subject(BaseModel):
    """A park or sub-park with every name it goes by."""

    name: str
    aliases: list[str]
    is_park: bool = False
    doc: str | None = Field(default=None, description="the plan it belongs to")
    title: str | None = Field(default=None, description="the heading that introduces it, when fuller than its name")


class Lexicon(BaseModel):
    """Everything the engine matches names and indicators against."""

    park: Subject
    parks: list[Subject] = Field(default_factory=list, description="one per plan; ``park`` is the first")
    subparks: list[Subject]
    concepts: list[Concept]
    stopwords: list[str]
    terms: list[str] = Field(default_factory=list, description="short quoted terms of the plans")
    synonyms: dict[str, list[str]] = Field(default_factory=dict, description="question word → words plans use")
    dossier_fields: dict[str, DossierField] = Field(default_factory=dict, description="what a sub-park dossier is sorted into")
    ratios: dict[str, list[str]] = Field(default_factory=dict, description="利润率 → [利润总额, 营业收入]: a ratio the plan implies")

    def all_parks(self) -> list[Subject]:
        return self.parks or [self.park]

    def park_names(self) -> set[str]:
        return {park.name for park in self.all_parks()}

    def park_of(self, doc: str) -> Subject:
        """The park a document is about (a corpus may hold several plans)."""
        return next((park for park in self.all_parks() if park.doc == doc), self.park)

    def subjects(self) -> list[Subject]:
        return [*self.all_parks(), *self.subparks]

    def label(self, name: str) -> str:
        """How answers name a subject: as the plan's own heading does (甲工业区(乙工业园)),
        so a reader knows every name it goes by."""
        subject = next((s for s in self.subjects() if s.name == name), None)
        return subject.title if subject is not None and subject.title else name

    def concept(self, name: str) -> Concept | None:
        return next((c for c in self.concepts if c.name == name), None)

    def alias_table(self) -> list[tuple[str, str]]:
        """(alias, canonical subject) pairs, longest alias first, for greedy matching."""
        pairs = [(alias, s.name) for s in self.subjects() for alias in {s.name, *s.aliases} if alias.strip()]
        return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    def _segmented_synonym(self, word: str) -> bool:
        edges = {word[0], word[-1]}
        return len(word) >= MIN_SEGMENTED_SYNONYM and not edges & set(self.stopwords)

    def dictionary_words(self) -> list[str]:
        """Words that must stay whole when segmenting: names, aliases, indicator words, and the
        longer everyday words the lexicon gives plan words for (冲科创板 is 冲 + 科创板, not 冲科 +
        创板; a two-character one, 公司, is jieba's own word, and made a word of the plan it would cut
        跨国公司 in two). A phrase with a stop word on its edge is a word and a particle, not a word:
        made one, 落户了 would hide 落户 in a plan that writes 落户了某企业."""
        words = {alias for alias, _ in self.alias_table()} | {w for w in self.synonyms if self._segmented_synonym(w)}
        for concept in self.concepts:
            words.update(concept.words())
            words.update(concept.cues)
        words.update(self.terms)
        return sorted(w for w in words if len(w) >= 2)


def read_lexicon_file(path: Path) -> LexiconFile:
    """The corpus's data file (none is an empty one) on top of the package's ordinary-Chinese
    defaults: stop words, everyday-word synonyms and dossier fields serve every plan."""
    defaults = _validated(files("assistant.data").joinpath(DEFAULTS_FILE).read_text(encoding="utf-8"), DEFAULTS_FILE)
    if not path.is_file():
        return defaults
    corpus = _validated(path.read_text(encoding="utf-8"), path.name)
    synonyms = {word: sorted({*defaults.synonyms.get(word, []), *others}) for word, others in corpus.synonyms.items()}
    return corpus.model_copy(
        update={
            "stopwords": list(dict.fromkeys([*defaults.stopwords, *corpus.stopwords])),
            "words": list(dict.fromkeys([*defaults.words, *corpus.words])),
            "synonyms": {**defaults.synonyms, **synonyms},
            "dossier_fields": {**defaults.dossier_fields, **corpus.dossier_fields},
        }
    )


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A key written twice would silently lose its first entry's words: an error instead."""
    keys = [key for key, _ in pairs]
    if twice := sorted({key for key in keys if keys.count(key) > 1}):
        raise ValueError(f"key written twice: {', '.join(twice)}")
    return dict(pairs)


def _validated(text: str, name: str) -> LexiconFile:
    try:
        return LexiconFile.model_validate(json.loads(text, object_pairs_hook=_unique_keys))
    except (json.JSONDecodeError, ValueError) as error:
        raise CorpusError(f"{name} is not a valid lexicon: {str(error).splitlines()[0]}") from error


def split_alternative(title: str) -> tuple[str, list[str]]:
    """``甲工业区(乙园)`` → (``甲工业区``, [``乙园``, full title])."""
    match = PAREN.match(title)
    if not match:
        return title, []
    return match.group(1).strip(), [match.group(2).strip(), title]


def text_alternatives(name: str, text: str) -> set[str]:
    """Aliases the text writes right after a name: ``name(X)``."""
    pattern = rf"{re.escape(name)}[（(]({NAME_CHARS}{{2,20}})[)）]"
    return {match.group(1) for match in re.finditer(pattern, text)}


def variant_title(name: str, aliases: set[str], texts: list[str]) -> str | None:
    """``甲基地(乙基地)`` for a sub-park the prose also calls by another full name, so answers name
    it as readers of either chapter know it: the longest such alias the text writes."""
    variants = [a for a in aliases if len(a) >= MIN_VARIANT and name not in a and a not in name and any(a in text for text in texts)]
    return f"{name}({max(variants, key=len)})" if variants else None


def park_subject(document: PlanDocument, extra: list[str]) -> Subject:
    """The park a plan is about: its defined short name, else its title."""
    for paragraph in document.paragraphs:
        match = SHORT_NAME.match(paragraph.text)
        if match:
            return Subject(name=match.group(2), aliases=sorted({match.group(1), *extra}), is_park=True, doc=document.doc)
    return Subject(name=document.title.strip() or document.doc, aliases=sorted(set(extra)), is_park=True, doc=document.doc)


def build_lexicon(documents: list[PlanDocument], data: LexiconFile) -> Lexicon:
    """Derive names from the documents and merge the data file's additions."""
    subparks: dict[str, set[str]] = {}
    homes: dict[str, str] = {}
    titles: dict[str, str] = {}
    for document in documents:
        for block in document.annex_blocks():
            name, alternatives = split_alternative(block.title)
            homes.setdefault(name, document.doc)
            if alternatives:
                titles.setdefault(name, block.title.strip())
            aliases = subparks.setdefault(name, set())
            aliases.update(alternatives)
            aliases.update(text_alternatives(name, document.text))
            for alternative in alternatives[:1]:
                aliases.update(text_alternatives(alternative, document.text))
    texts = [document.text for document in documents]
    for name, heads in leading_places(subparks, texts).items():
        subparks[name].update(heads)
    for key, extra in data.subpark_aliases.items():
        target = next((name for name, aliases in subparks.items() if key == name or key in aliases), None)
        if target is not None:
            subparks[target].update(extra)
    parks = [park_subject(document, data.park_aliases if index == 0 else []) for index, document in enumerate(documents)]
    parks = list({park.name: park for park in reversed(parks)}.values())[::-1]
    park = parks[0] if parks else Subject(name="", aliases=[], is_park=True)
    subjects = [
        Subject(name=name, aliases=sorted(aliases - {name}), doc=homes[name], title=titles.get(name) or variant_title(name, aliases, texts))
        for name, aliases in subparks.items()
    ]
    concepts = _table_concepts(documents, data.concepts)
    terms = sorted({m.group(1) for d in documents for m in QUOTED_TERM.finditer(d.text)} | set(data.words) | paragraph_names(documents))
    return Lexicon(
        park=park,
        parks=parks,
        subparks=subjects,
        concepts=concepts,
        stopwords=data.stopwords,
        terms=terms,
        synonyms=data.synonyms,
        dossier_fields=data.dossier_fields,
        ratios=data.ratios,
    )


def leading_places(subparks: dict[str, set[str]], texts: list[str]) -> dict[str, set[str]]:
    """The place word a sub-park's name opens with (湖光 of 湖光工业园), as people call it in
    short: only when no other sub-park's name opens with it and the plan writes it mostly inside
    this sub-park's names (a word the plan uses for other things, 某走廊, stays unclaimed)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    text = "\n".join(texts)
    names = {name: {name, *aliases} for name, aliases in subparks.items()}
    heads: dict[str, set[str]] = {}
    for name, own in names.items():
        others = {alias for other, aliases in names.items() if other != name for alias in aliases}
        for alias in own:
            words = tokenizer.lcut(alias)
            head = words[0] if len(words) >= 2 else ""
            if len(head) < MIN_HEAD or any(other.startswith(head) for other in others):
                continue
            inside = sum(text.count(written) for written in own if written.startswith(head))
            if inside * 2 >= text.count(head):
                heads.setdefault(name, set()).add(head)
    return heads


def paragraph_names(documents: list[PlanDocument]) -> set[str]:
    """The names paragraphs open with (湖光芯片: …, 星云: …), and a name's own part after the
    place it starts with (光芯片 of 上海光芯片), so a question writing either keeps it one word."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    labels = {m.group(1) for d in documents for line in d.text.splitlines() if (m := PARAGRAPH_LABEL.match(line))}
    tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    names = set(labels)
    for label in labels:
        words = tagger.lcut(label)
        rest = "".join(pair.word for pair in words[1:])
        if len(words) >= 2 and words[0].flag == PLACE_TAG and len(rest) >= 2:
            names.add(rest)
    return names


def _table_concepts(documents: list[PlanDocument], concepts: list[Concept]) -> list[Concept]:
    """Every table row indicator is a concept; one the data file names as an alias joins that concept."""
    merged = [concept.model_copy(deep=True) for concept in concepts]
    for document in documents:
        for table in document.tables:
            for row in table.rows:
                if any(row.indicator in c.words() for c in merged):
                    continue
                merged.append(Concept(name=row.indicator, aliases=[row.indicator.strip('“”"')], units=[row.unit]))
    return merged


def concept_for_label(lexicon_concepts: list[Concept], label: str) -> str:
    """The canonical concept name of a table row label (the label itself when unknown)."""
    for concept in lexicon_concepts:
        if label in concept.words():
            return concept.name
    return label
