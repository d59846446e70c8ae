"""The sub-park page: one sub-park's dossier, or two side by side with the same rows aligned.

A page shows the sub-park's figures (the value as written, its year and the quote it comes from; a
figure that another sub-park states and this one does not reads 未给出, never 0), then one section per
dossier field in the lexicon's order (位置, 定位, 产业, …) and 其他提及 for the sentences that state
none. Each sentence is quoted with its section path and its exact span marked, and links to the plan
browser at that place. Names, labels, fields and figures all come from the dossiers and the fact
base: nothing here knows a plan.

An answer in the chat that concerns exactly one sub-park (its figures' subject, or the one sub-park
its opening names) gets a button that opens this page at that sub-park (``SubparkPages.subpark_of``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import gradio as gr

from assistant.app import render
from assistant.engine.factbase import FactBase, origin_label, written
from assistant.facts.dossier import Dossier, DossierItem
from assistant.models import Answer, Fact, Span
from assistant.parsing.document import PlanDocument

OTHER = "其他提及"
NOT_MENTIONED = "未专门提及"
NO_COMPARE = ""
NO_COMPARE_LABEL = "（不对比）"
FIGURES_TITLE = "数字"
FIGURE_CONTEXT = 10
ITEM_CONTEXT = 0
ANSWER_LEAD = re.compile(r"[。：:\n]")
HINT = (
    "选择一个子园，查看规划中关于它的全部内容：数字（原文写法及出处）和按类别整理的每一句原文。"
    "选择“对比”可把两个子园并排比较。点击章节路径或引文，可在“规划原文”中定位。"
)

# Clicks on a plan link inside the page become the component's click event with the link's place;
# the listener sits on the component's own element, so it survives every re-render of its value.
PLAN_LINK_JS = """
element.addEventListener('click', (event) => {
  const link = event.target.closest('a.pa-plan-link');
  if (!link) return;
  event.preventDefault();
  trigger('click', {section: link.dataset.section, start: Number(link.dataset.start), end: Number(link.dataset.end)});
});
"""

CSS = """
.pa-dossier-summary { color: #6b7280; font-size: .85em; font-weight: normal; }
table.pa-dossier-grid { width: 100%; table-layout: fixed; border-collapse: collapse; margin: .4em 0 1em; }
table.pa-dossier-grid th, table.pa-dossier-grid td { border: 1px solid #e5e7eb; padding: .35em .6em; vertical-align: top; text-align: left; }
table.pa-dossier-grid thead th { background: #eff6ff; font-size: 1.05em; }
table.pa-dossier-grid th.pa-dossier-indicator { width: 9em; font-weight: 600; color: #374151; }
table.pa-dossier-grid th.pa-dossier-field-name { background: #f8fafc; color: #1d4ed8; }
.pa-dossier-value { font-weight: 600; }
.pa-dossier-quote { color: #4b5563; font-size: .9em; line-height: 1.6; text-align: left; margin: .1em 0; }
table.pa-dossier-grid a.pa-plan-link { display: block; text-align: left; }
.pa-dossier-item { padding: .3em 0; border-bottom: 1px dashed #e5e7eb; }
.pa-dossier-item:last-child { border-bottom: none; }
.pa-dossier-label, .pa-dossier-tags { color: #6b7280; font-size: .85em; }
.pa-dossier-none { color: #9ca3af; font-style: italic; }
a.pa-plan-link { color: inherit; text-decoration: none; cursor: pointer; }
a.pa-plan-link:hover { text-decoration: underline; }
a.pa-plan-link.pa-section { color: #374151; font-size: .85em; }
"""


@dataclass(frozen=True)
class SubparkPages:
    """What the sub-park pages show: each sub-park's dossier and figures, the dossier fields in the
    lexicon's order, and the plan browser's key of every section an item or figure may cite."""

    dossiers: dict[str, Dossier] = field(default_factory=dict)
    figures: dict[str, list[Fact]] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    section_keys: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, dossiers: dict[str, Dossier], base: FactBase, documents: list[PlanDocument]) -> SubparkPages:
        return cls(
            dossiers=dossiers,
            figures={subject: base.subject_facts(subject) for subject in dossiers},
            fields=list(base.lexicon.dossier_fields),
            section_keys=render.section_keys(documents),
        )

    def choices(self) -> list[tuple[str, str]]:
        """(label, subject) per sub-park, in the plans' order."""
        return [(dossier.label, subject) for subject, dossier in self.dossiers.items()]

    def label(self, subject: str) -> str:
        dossier = self.dossiers.get(subject)
        return dossier.label if dossier else subject

    def indicators(self) -> list[str]:
        """Every indicator any sub-park states, in order of first appearance: the rows of every
        page, so a figure one sub-park lacks is shown as absent and two pages align."""
        return list(dict.fromkeys(fact.indicator for facts in self.figures.values() for fact in facts))

    def figure(self, subject: str, indicator: str) -> Fact | None:
        return next((fact for fact in self.figures.get(subject, []) if fact.indicator == indicator), None)

    def sections(self, subject: str) -> dict[str, list[DossierItem]]:
        """Field → items stating it (an item under each field it states), then 其他提及 for items
        stating none; the sub-park's own profile block first, then in the order of the plan."""
        dossier = self.dossiers.get(subject)
        items = sorted(dossier.items, key=lambda item: (not item.own_block, item.doc, item.start)) if dossier else []
        grouped = {name: [item for item in items if name in item.fields] for name in self.fields}
        grouped[OTHER] = [item for item in items if not item.fields]
        return grouped

    def subpark_of(self, answer: Answer) -> str | None:
        """The one sub-park an answer concerns: its figures' only sub-park, or, when no figure names
        one, the only sub-park named in the answer's opening (up to the first 。 or ：)."""
        named = {figure.subject for figure in answer.figures} & self.dossiers.keys()
        if named:
            return named.pop() if len(named) == 1 else None
        lead = ANSWER_LEAD.split(answer.answer, maxsplit=1)[0]
        found = self.named_in(lead)
        return found[0] if len(found) == 1 else None

    def named_in(self, text: str) -> list[str]:
        """The sub-parks ``text`` names by name or label, longest names first, so a name inside a
        longer one (a name inside its own label) is not counted again."""
        names = sorted(
            ((name, subject) for subject, dossier in self.dossiers.items() for name in {subject, dossier.label}),
            key=lambda pair: -len(pair[0]),
        )
        found: list[str] = []
        for name, subject in names:
            if name and name in text:
                text = text.replace(name, "\0")
                if subject not in found:
                    found.append(subject)
        return found


# Rendering ------------------------------------------------------------------------------------


def _plan_link(pages: SubparkPages, span: Span, inner: str, css: str = "") -> str:
    """``inner`` as a link to the plan browser at ``span`` (plain when the section is unknown)."""
    key = pages.section_keys.get((span.doc, span.section))
    if key is None:
        return f'<span class="{css}">{inner}</span>' if css else inner
    classes = " ".join(["pa-plan-link", *([css] if css else [])])
    return (
        f'<a class="{classes}" href="#" data-section="{render.escape(key)}" data-start="{span.start}" '
        f'data-end="{span.end}" title="在规划原文中查看：{render.escape(span.section)}">{inner}</a>'
    )


def _item_span(item: DossierItem) -> Span:
    return Span(doc=item.doc, section=item.section, start=item.start, end=item.end, quote=item.quote)


def _quoted(span: Span, texts: Mapping[str, str], width: int) -> str:
    """The quote with its span marked, carrying its offsets so a reader (or a test) can check it."""
    return (
        f'<div class="pa-dossier-quote" data-doc="{render.escape(span.doc)}" data-start="{span.start}" '
        f'data-end="{span.end}">{render.render_quote(span, texts, width)}</div>'
    )


def render_figure_cell(pages: SubparkPages, fact: Fact | None, texts: Mapping[str, str]) -> str:
    """A figure as written, its year and origin, and the quote it is read from; 未给出 when absent."""
    if fact is None:
        return f'<span class="pa-dossier-none">{render.MISSING}</span>'
    year = f"{fact.year}年{'目标' if fact.kind == 'target' else ''}" if fact.year else ""
    where = " · ".join(part for part in (year, origin_label(fact)) if part)
    return (
        f'<span class="pa-dossier-value">{render.escape(written(fact))}</span> <span class="pa-hint">{render.escape(where)}</span>'
        f"{_plan_link(pages, fact.source, _quoted(fact.source, texts, FIGURE_CONTEXT))}"
    )


def render_item(pages: SubparkPages, item: DossierItem, shown_under: str, texts: Mapping[str, str]) -> str:
    """One sentence about the sub-park: its section path (a link into the plan), the label sentence
    of its paragraph elsewhere in the plan (a project's name and line), the quote with its span
    marked, and the other fields it states."""
    span = _item_span(item)
    parts = [f'<div class="pa-dossier-item">{_plan_link(pages, span, render.escape(item.section or item.doc), "pa-section")}']
    if item.label and item.label != item.quote and not item.own_block:
        parts.append(f'<div class="pa-dossier-label">所在段落：{render.escape(item.label)}</div>')
    parts.append(_quoted(span, texts, ITEM_CONTEXT))
    others = [name for name in item.fields if name != shown_under]
    if others:
        parts.append(f'<div class="pa-dossier-tags">另见：{render.escape("、".join(others))}</div>')
    parts.append("</div>")
    return "".join(parts)


def _items_cell(pages: SubparkPages, items: list[DossierItem], name: str, texts: Mapping[str, str]) -> str:
    if not items:
        return f'<div class="pa-dossier-none">{NOT_MENTIONED}</div>'
    return "".join(render_item(pages, item, name, texts) for item in items)


def _heads(pages: SubparkPages, subjects: list[str]) -> str:
    return "".join(
        f'<th data-subject="{render.escape(s)}">{render.escape(pages.label(s))} <span class="pa-dossier-summary">'
        f"{len(pages.dossiers[s].items)} 句原文 · {len(pages.figures.get(s, []))} 个数字</span></th>"
        for s in subjects
    )


def _section_row(name: str, columns: int, summary: str = "") -> str:
    note = f' <span class="pa-dossier-summary">{render.escape(summary)}</span>' if summary else ""
    return (
        f'<tr class="pa-dossier-section" data-field="{render.escape(name)}"><th class="pa-dossier-field-name" '
        f'colspan="{columns}">{render.escape(name)}{note}</th></tr>'
    )


def render_page(pages: SubparkPages, subjects: list[str], texts: Mapping[str, str]) -> str:
    """One column per sub-park (one, or two to compare): the figures, one row per indicator any
    sub-park states, then one section per dossier field, each row aligned across the columns."""
    subjects = [subject for subject in dict.fromkeys(subjects) if subject in pages.dossiers]
    if not subjects:
        return '<div class="pa-hint">请选择一个子园。</div>'
    columns = len(subjects)
    parts = [
        f'<div class="pa-dossier" data-columns="{columns}">',
        f'<table class="pa-dossier-grid pa-dossier-figures"><thead><tr><th class="pa-dossier-indicator"></th>{_heads(pages, subjects)}</tr></thead><tbody>',
        _section_row(FIGURES_TITLE, columns + 1),
    ]
    for indicator in pages.indicators():
        cells = "".join(
            f'<td class="pa-dossier-figure" data-subject="{render.escape(s)}">{render_figure_cell(pages, pages.figure(s, indicator), texts)}</td>'
            for s in subjects
        )
        parts.append(
            f'<tr data-indicator="{render.escape(indicator)}"><th class="pa-dossier-indicator">{render.escape(indicator)}</th>{cells}</tr>'
        )
    parts.append('</tbody></table><table class="pa-dossier-grid pa-dossier-fields"><tbody>')
    grouped = {s: pages.sections(s) for s in subjects}
    for name in [*pages.fields, OTHER]:
        if name == OTHER and not any(grouped[s][OTHER] for s in subjects):
            continue
        cells = "".join(
            f'<td class="pa-dossier-items" data-subject="{render.escape(s)}">{_items_cell(pages, grouped[s][name], name, texts)}</td>'
            for s in subjects
        )
        counts = " / ".join(str(len(grouped[s][name])) for s in subjects)
        parts.append(_section_row(name, columns, f"{counts} 句"))
        parts.append(f'<tr class="pa-dossier-field" data-field="{render.escape(name)}">{cells}</tr>')
    parts.append("</tbody></table></div>")
    return "".join(parts)


def page_html(pages: SubparkPages, texts: Mapping[str, str], first: str | None, second: str | None) -> str:
    return render_page(pages, [s for s in (first, second) if s and s != NO_COMPARE], texts)


# The tab --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierTab:
    """The tab's controls, for the other tabs to open it at a sub-park."""

    subpark: gr.Dropdown
    compare: gr.Dropdown
    page: gr.HTML

    def open(self, pages: SubparkPages, texts: Mapping[str, str], subject: str | None) -> tuple:
        """Values for (subpark, compare, page) showing ``subject`` alone."""
        return subject, NO_COMPARE, page_html(pages, texts, subject, None)


def build_dossier_tab(pages: SubparkPages, texts: Mapping[str, str]) -> DossierTab | None:
    """The 子园档案 tab: a sub-park, optionally a second one to compare, and the page."""
    choices = pages.choices()
    if not choices:
        gr.Markdown("规划中没有子园档案。")
        return None
    gr.Markdown(HINT)
    first = choices[0][1]
    with gr.Row():
        subpark = gr.Dropdown(choices, value=first, label="子园", elem_id="dossier-subpark", scale=1)
        compare = gr.Dropdown(
            [(NO_COMPARE_LABEL, NO_COMPARE), *choices], value=NO_COMPARE, label="对比", elem_id="dossier-compare", scale=1
        )
    page = gr.HTML(page_html(pages, texts, first, None), elem_id="dossier", js_on_load=PLAN_LINK_JS)
    for dropdown in (subpark, compare):
        dropdown.input(lambda a, b: page_html(pages, texts, a, b), [subpark, compare], page, api_visibility="private")
    return DossierTab(subpark, compare, page)
