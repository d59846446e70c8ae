"""Sub-park dossiers: everything a plan says about each sub-park, sentence by sentence, sorted by field.

A sub-park's annex block never names it, and the prose names it in many places under several
names (甲工业区东区 / 甲经开区东区; a base named by its industry in one chapter and by its place
in the annex); a project paragraph names its sub-park once (``项目位于…``) and then describes the
project. A dossier gathers all of these: the block's sentences, every sentence naming the sub-park
under any of its names, and the whole of a paragraph that opens with it or is labelled and names it. Each item keeps its
exact span and the fields (位置, 产业, 企业, 平台, 项目, 土地, 试点, 目标, ...) its words state; the field
vocabulary is data (``dossier_fields`` in the corpus lexicon), not code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.lexicon import Lexicon
from assistant.parsing.document import PATH_SEPARATOR, PlanDocument
from assistant.parsing.sentences import PARAGRAPH_LABEL, sentence_spans

MIN_NAME_LENGTH = 5
MAX_NAMED_SUBPARKS = 2


@dataclass(frozen=True)
class DossierItem:
    """One sentence about a sub-park, its exact span and the dossier fields it states; ``label`` is
    the opening sentence of its paragraph when that paragraph is labelled (``项目名:一句话定位。``)."""

    doc: str
    section: str
    start: int
    end: int
    quote: str
    fields: tuple[str, ...]
    own_block: bool
    names_subject: bool
    paragraph: int = 0
    label: str = ""


@dataclass
class Dossier:
    """What the plans say about one sub-park."""

    subject: str
    label: str
    items: list[DossierItem] = field(default_factory=list)

    def in_field(self, name: str) -> list[DossierItem]:
        return [item for item in self.items if name in item.fields]


def _fields(sentence: str, lexicon: Lexicon) -> tuple[str, ...]:
    return tuple(name for name, spec in lexicon.dossier_fields.items() if any(word in sentence for word in spec.stated))


def _names(lexicon: Lexicon) -> dict[str, list[str]]:
    """Every name of every sub-park long enough to be found in prose without matching inside another
    name (a short name may sit inside a platform of another sub-park, 北湖 inside 北湖新城(南山)科技园)."""
    return {
        s.name: [n for n in {s.name, *s.aliases, *([s.title] if s.title else [])} if len(n) >= MIN_NAME_LENGTH] for s in lexicon.subparks
    }


def _named(sentence: str, names: dict[str, list[str]]) -> int:
    """How many sub-parks a sentence names: one naming all of them lists the parts, about none."""
    return sum(any(w in sentence for w in words) for words in names.values())


def build_dossiers(documents: list[PlanDocument], lexicon: Lexicon) -> dict[str, Dossier]:
    """One dossier per sub-park of every plan, items in document order, each sentence once."""
    names = _names(lexicon)
    dossiers = {s.name: Dossier(s.name, lexicon.label(s.name)) for s in lexicon.subparks}
    owners = dict(lexicon.alias_table())
    for document in documents:
        blocks = {tuple(block.path): owners.get(block.title, block.title) for block in document.annex_blocks()}
        for paragraph in document.paragraphs:
            section = PATH_SEPARATOR.join(paragraph.section)
            spans = list(sentence_spans(paragraph.text, paragraph.start))
            owner = blocks.get(tuple(paragraph.section))
            lead = PARAGRAPH_LABEL.match(paragraph.text)
            labelled = bool(lead)
            label = spans and lead and document.text[spans[0][0] : spans[0][1]] or ""
            listing = [_named(document.text[s:e], names) > MAX_NAMED_SUBPARKS for s, e in spans]
            for subject, words in names.items():
                own = owner == subject
                if owner is not None and not own:
                    continue
                naming = [any(w in document.text[s:e] for w in words) and not lists for (s, e), lists in zip(spans, listing)]
                if not own and not any(naming):
                    continue
                about = own or labelled or naming[0]
                for (start, end), names_it in zip(spans, naming):
                    if about or names_it:
                        quote = document.text[start:end]
                        dossiers[subject].items.append(
                            DossierItem(
                                document.doc, section, start, end, quote, _fields(quote, lexicon), own, names_it, paragraph.start, label
                            )
                        )
    return dossiers
