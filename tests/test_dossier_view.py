"""The sub-park page's HTML: every quote is the plan text at its offsets, every field and figure row is
shown and aligned, a figure a sub-park does not state reads 未给出 (never 0), links lead to the plan
browser's sections, and a chat answer links to the one sub-park it concerns.

Pages are built from the corpus alone (no index), for the real plan and for the made-up one.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assistant.app import render
from assistant.app.dossier_view import NOT_MENTIONED, OTHER, SubparkPages, page_html, render_page
from assistant.engine.factbase import FactBase, written
from assistant.facts.dossier import Dossier, DossierItem, build_dossiers
from assistant.models import Answer, Fact, Figure, Span
from assistant.plan import PlanCorpus

ROOT = Path(__file__).parents[1]
PLANS = [ROOT / "corpus", ROOT / "tests" / "data" / "other_plan"]


class Page(HTMLParser):
    """The parts of a rendered page the tests check: quotes with their offsets and marked text,
    figure cells and item cells by (subject, row), field rows, plan links."""

    def __init__(self) -> None:
        super().__init__()
        self.quotes: list[dict] = []  # {"doc", "start", "end", "marked"}
        self.cells: dict[tuple[str, str], str] = {}  # (subject, indicator or field) → the cell's text
        self.field_rows: list[str] = []
        self.heads: list[str] = []
        self.links: list[dict] = []
        self._row = ""
        self._stack: list[tuple[str, dict]] = []
        self._text: dict[int, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        if tag == "tr":
            self._row = attributes.get("data-indicator") or attributes.get("data-field", "")
            if "pa-dossier-field" in classes:
                self.field_rows.append(self._row)
        if tag == "a" and "pa-plan-link" in classes:
            self.links.append(attributes)
        kind = None
        if tag == "div" and "pa-dossier-quote" in classes:
            kind = "quote"
            self.quotes.append(
                {"doc": attributes["data-doc"], "start": int(attributes["data-start"]), "end": int(attributes["data-end"]), "marked": []}
            )
        elif tag == "mark" and any(k == "quote" for k, _ in self._stack):
            kind = "mark"
        elif tag == "td" and "data-subject" in attributes:
            kind = "cell"
        elif tag == "th" and "data-subject" in attributes:
            kind = "head"
        self._stack.append((kind or "", attributes))
        self._text[len(self._stack)] = []

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        kind, attributes = self._stack.pop()
        text = "".join(self._text.pop(len(self._stack) + 1, []))
        if kind == "mark":
            self.quotes[-1]["marked"].append(text)
        elif kind == "cell":
            self.cells[(attributes["data-subject"], self._row)] = text
        elif kind == "head":
            self.heads.append(attributes["data-subject"])

    def handle_data(self, data: str) -> None:
        for depth in self._text:
            self._text[depth].append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    return parser


def pages_of(corpus: PlanCorpus) -> SubparkPages:
    base = FactBase(corpus.facts, corpus.lexicon, corpus.texts())
    return SubparkPages.of(build_dossiers(corpus.documents, corpus.lexicon), base, corpus.documents)


@pytest.fixture(scope="module", params=PLANS, ids=lambda path: path.name)
def plan(request: pytest.FixtureRequest) -> tuple[SubparkPages, dict[str, str], PlanCorpus]:
    corpus = PlanCorpus.load(request.param)
    return pages_of(corpus), corpus.texts(), corpus


def test_every_quote_is_the_plan_text_at_its_offsets(plan) -> None:
    pages, texts, _ = plan
    for subject in pages.dossiers:
        shown = parse(render_page(pages, [subject], texts))
        assert shown.quotes, subject
        for quote in shown.quotes:
            assert quote["marked"] == [texts[quote["doc"]][quote["start"] : quote["end"]]], quote


def test_every_item_is_shown_under_each_field_it_states_and_the_rest_under_other(plan) -> None:
    pages, texts, _ = plan
    for subject, dossier in pages.dossiers.items():
        shown = parse(render_page(pages, [subject], texts))
        unfielded = [item for item in dossier.items if not item.fields]
        assert shown.field_rows == [*pages.fields, *([OTHER] if unfielded else [])]
        figures = sum(pages.figure(subject, indicator) is not None for indicator in pages.indicators())
        items = sum(len(item.fields) or 1 for item in dossier.items)
        assert len(shown.quotes) == figures + items
        for name in pages.fields:
            cell = shown.cells[(subject, name)]
            stated = dossier.in_field(name)
            assert all(" ".join(item.quote.split()) in " ".join(cell.split()) for item in stated)
            assert (NOT_MENTIONED in cell) == (not stated)


def test_figures_are_written_as_in_the_plan_and_missing_ones_read_not_given(plan) -> None:
    pages, texts, _ = plan
    subjects = list(pages.dossiers)
    shown = parse(render_page(pages, subjects[:2], texts))
    assert shown.heads == subjects[:2]
    missing = 0
    for subject in subjects[:2]:
        for indicator in pages.indicators():
            cell = shown.cells[(subject, indicator)]
            fact = pages.figure(subject, indicator)
            if fact is None:
                missing += 1
                assert cell.strip() == render.MISSING  # absent, never a 0
            else:
                assert cell.startswith(written(fact)) and fact.source.quote in cell
    assert missing, "both plans leave some figure out for these sub-parks"


def test_two_sub_parks_side_by_side_share_every_row(plan) -> None:
    pages, texts, _ = plan
    first, second = list(pages.dossiers)[:2]
    shown = parse(page_html(pages, texts, first, second))
    rows = [*pages.indicators(), *shown.field_rows]
    assert all((subject, row) in shown.cells for subject in (first, second) for row in rows)
    assert 'data-columns="2"' in page_html(pages, texts, first, second)
    assert 'data-columns="1"' in page_html(pages, texts, first, "")
    assert 'data-columns="1"' in page_html(pages, texts, first, first)  # a sub-park beside itself is shown once


def test_links_open_the_section_the_item_is_in(plan) -> None:
    pages, texts, corpus = plan
    subject = next(iter(pages.dossiers))
    links = parse(render_page(pages, [subject], texts)).links
    assert links
    for link in links:
        document, section = render.find_section(corpus.documents, html.unescape(link["data-section"]))
        start, end = int(link["data-start"]), int(link["data-end"])
        assert section.start <= start < end <= len(document.text)
        marked = render.render_section(document, section, (start, end))
        assert f'<mark class="pa-cited">{render.escape(document.text[start:end])}</mark>' in marked


def test_page_without_a_choice_asks_for_one(plan) -> None:
    pages, texts, _ = plan
    assert "请选择" in page_html(pages, texts, None, None)
    assert "请选择" in render_page(pages, ["no such sub-park"], texts)


# A hand-made page: escaping, labels, order, the link from an answer -----------------------------

TEXT = "附件\n甲园\n四至边界:东至<河>路。区块概况:税收25亿元。\n乙园(乙谷)\n税收3亿元,从业人员约6800人。\n项目一:新园区。项目位于甲园,投资10亿元。"
DOC = "plan"


def item(quote: str, fields: tuple[str, ...], own: bool = True, section: str = "附件 > 甲园", label: str = "") -> DossierItem:
    start = TEXT.index(quote)
    return DossierItem(DOC, section, start, start + len(quote), quote, fields, own, not own, 0, label)


def fact(subject: str, indicator: str, text: str, unit: str, section: str) -> Fact:
    start = TEXT.index(text)
    source = Span(doc=DOC, section=section, start=start, end=start + len(text), quote=text)
    return Fact(
        id=f"{subject}:{indicator}",
        doc=DOC,
        subject=subject,
        indicator=indicator,
        year=2020,
        kind="actual",
        value=1.0,
        text=text,
        unit=unit,
        origin="profile",
        source=source,
    )


@pytest.fixture()
def small() -> SubparkPages:
    a = Dossier(
        "甲园",
        "甲园",
        [
            item("项目位于甲园,投资10亿元。", ("位置", "项目"), own=False, section="其他", label="项目一:新园区。"),
            item("四至边界:东至<河>路。", ("位置",)),
            item("区块概况:税收25亿元。", ()),
        ],
    )
    b = Dossier("乙园", "乙园(乙谷)", [item("税收3亿元,从业人员约6800人。", ("产业",), section="附件 > 乙园(乙谷)")])
    return SubparkPages(
        dossiers={"甲园": a, "乙园": b},
        figures={
            "甲园": [fact("甲园", "税收", "25亿元", "亿元", "附件 > 甲园")],
            "乙园": [
                fact("乙园", "税收", "3亿元", "亿元", "附件 > 乙园(乙谷)"),
                fact("乙园", "从业人员", "约6800人", "人", "附件 > 乙园(乙谷)"),
            ],
        },
        fields=["位置", "产业", "项目"],
        section_keys={(DOC, "附件 > 甲园"): "plan|b001"},
    )


def test_hand_made_page(small: SubparkPages) -> None:
    page = render_page(small, ["甲园", "乙园"], {DOC: TEXT})
    shown = parse(page)
    assert "<河>" not in page and "东至&lt;河&gt;路" in page
    assert shown.cells[("甲园", "从业人员")].strip() == "未给出"
    assert shown.cells[("乙园", "从业人员")].startswith("约6800人")
    assert shown.field_rows == ["位置", "产业", "项目", OTHER]
    location = shown.cells[("甲园", "位置")]
    assert location.index("四至边界") < location.index("项目位于甲园")  # the sub-park's own block first
    assert "所在段落：项目一:新园区。" in location and "另见：项目" in location
    assert NOT_MENTIONED in shown.cells[("乙园", "位置")] and NOT_MENTIONED in shown.cells[("乙园", OTHER)]
    # 甲园's figure and its two own sentences link to their section; sections the browser does not know stay plain
    assert [link["data-section"] for link in shown.links] == ["plan|b001"] * 3
    assert all(q["marked"] == [TEXT[q["start"] : q["end"]]] for q in shown.quotes)


def answer(text: str, *subjects: str) -> Answer:
    figures = [Figure(subject=s, indicator="税收", year=2020, value=1.0, unit="亿元", text="1亿元") for s in subjects]
    return Answer(question="q", answer=text, kind="lookup", figures=figures, confidence=0.9)


def test_an_answer_links_to_the_one_sub_park_it_concerns(small: SubparkPages) -> None:
    assert small.subpark_of(answer("甲园2020年税收为1亿元。", "甲园")) == "甲园"
    assert small.subpark_of(answer("甲园、乙园相比……", "甲园", "乙园")) is None
    assert small.subpark_of(answer("园区税收……", "园区", "乙园")) == "乙园"  # the park beside one sub-park
    assert small.subpark_of(answer("乙园(乙谷)：税收3亿元。")) == "乙园"  # by its label, counted once
    assert small.subpark_of(answer("最相关的是甲园。\n乙园……")) == "甲园"  # only the opening counts
    assert small.subpark_of(answer("最相关的是甲园、乙园。")) is None
    assert small.subpark_of(answer("规划在“人才”中提出：甲园……")) is None


def test_the_app_without_an_index_still_has_its_sub_park_pages(tmp_path: Path) -> None:
    from assistant.app.ui import AssistantService

    service = AssistantService.load(tmp_path / "no-index", PLANS[0])
    assert service.error and service.pages.dossiers and service.pages.fields
    subject = next(iter(service.pages.dossiers))
    assert parse(render_page(service.pages, [subject], service.texts)).quotes
