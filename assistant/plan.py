"""The corpus as the engine sees it: parsed documents, the lexicon and every structured fact."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.corpus import LEXICON_FILE, read_corpus
from assistant.facts.extract import extract_facts
from assistant.lexicon import Lexicon, build_lexicon, read_lexicon_file
from assistant.models import Fact
from assistant.parsing.document import PlanDocument, parse_document
from assistant.tokenizer import PlanTokenizer


@dataclass(frozen=True)
class PlanCorpus:
    """Everything derived from a corpus folder without any model: cheap enough for ``facts``."""

    documents: list[PlanDocument]
    lexicon: Lexicon
    facts: list[Fact]

    @classmethod
    def load(cls, corpus_dir: Path) -> PlanCorpus:
        documents = [parse_document(source.doc, source.text) for source in read_corpus(corpus_dir)]
        lexicon = build_lexicon(documents, read_lexicon_file(corpus_dir / LEXICON_FILE))
        return cls(documents=documents, lexicon=lexicon, facts=extract_facts(documents, lexicon))

    def texts(self) -> dict[str, str]:
        return {document.doc: document.text for document in self.documents}

    def tokenizer(self) -> PlanTokenizer:
        return PlanTokenizer(self.lexicon.dictionary_words(), self.lexicon.stopwords)
