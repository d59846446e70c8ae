"""The Gradio app: chat with numbered sources, sub-park pages, a figures explorer, a plan browser, and the API.

``AssistantService`` wraps the engine so the app always starts: when the index cannot be loaded,
its one-line error is shown in a banner and given as every answer, and the sub-park, figures and
plan tabs still work from the corpus alone.
"""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import gradio as gr
import pandas as pd
from pandas.io.formats.style import Styler
from pydantic import ValidationError
from starlette.routing import BaseRoute

from assistant.app import dossier_view, render
from assistant.app.api import api_routes
from assistant.app.dossier_view import DossierTab, SubparkPages
from assistant.app.feedback import FeedbackStore, FeedbackStoreError
from assistant.app.review import build_review_tab
from assistant.config import settings
from assistant.embedding.encoder import EmbeddingModelError
from assistant.engine.assistant import Assistant
from assistant.engine.factbase import FactBase
from assistant.errors import AssistantError, CorpusError, IndexCorruptError, IndexMissingError, IndexStaleError
from assistant.facts.dossier import build_dossiers
from assistant.models import Answer, Fact
from assistant.parsing.document import PlanDocument
from assistant.plan import PlanCorpus

TITLE = "规划知识助手"
DOSSIER_TAB = "dossier-tab"
PLAN_TAB = "plan-tab"
OPEN_DOSSIER = "查看子园档案"
EXAMPLES_FILE = "examples.json"
CONCURRENCY = 4
UNAVAILABLE = "暂时无法回答问题："
FIX_HINT = "处理后请重启应用。"
LOAD_PROBLEMS: tuple[tuple[type[AssistantError], str], ...] = (
    (IndexMissingError, "尚未建立规划索引"),
    (IndexStaleError, "规划索引已过期（规划文本或模型已变）"),
    (IndexCorruptError, "规划索引文件已损坏"),
    (CorpusError, "规划文本无法读取"),
    (EmbeddingModelError, "嵌入模型不可用"),
)

CSS = (
    """
.pa-question { white-space: normal; word-break: break-word; }
.pa-answer { line-height: 1.7; }
.pa-meta { display: flex; gap: .6em; align-items: center; margin-bottom: .3em; font-size: .85em; }
.pa-badge { background: #e0ecff; color: #1d4ed8; border-radius: 4px; padding: 0 .45em; font-size: .85em; }
.pa-badge.pa-refused { background: #fff1d6; color: #9a5b00; }
.pa-confidence { color: #6b7280; }
mark.pa-figure { background: #fde68a; color: #111827; border-radius: 3px; padding: 0 .15em; font-weight: 600; }
sup.pa-ref { color: #1d4ed8; margin-left: 1px; }
.pa-sources { margin-top: .6em; border-top: 1px solid #e5e7eb; padding-top: .4em; font-size: .9em; }
.pa-sources-title { color: #6b7280; font-size: .85em; margin-bottom: .2em; }
.pa-source summary { cursor: pointer; }
.pa-num { color: #1d4ed8; font-weight: 600; }
.pa-section { color: #374151; }
.pa-preview { color: #6b7280; }
blockquote.pa-context { margin: .2em 0 .5em 1.2em !important; padding: .3em .6em; border-left: 3px solid #93c5fd !important;
  background: #f8fafc; color: #1f2937; }
mark.pa-cited { background: #dbeafe; color: #111827; }
.pa-notice { background: #fff7ed; border: 1px solid #fdba74; color: #7c2d12; padding: .7em 1em; border-radius: 6px; }
.pa-fact { padding: .4em .2em; }
.pa-fact-head { font-weight: 600; margin-bottom: .2em; }
.pa-hint { color: #6b7280; }
.pa-chart { padding: .5em 0; }
.pa-chart-title { font-weight: 600; margin-bottom: .5em; }
.pa-bar-row { display: flex; align-items: center; margin: .25em 0; }
.pa-bar-label { width: 14em; flex: none; text-align: right; padding-right: .8em; color: #374151; }
.pa-bar-track { flex: 1; display: flex; align-items: center; gap: .5em; }
.pa-bar { display: inline-block; height: 1.2em; background: #3b82f6; border-radius: 2px; }
.pa-bar-value { white-space: nowrap; color: #111827; }
.pa-bar-missing { color: #9ca3af; font-style: italic; border: 1px dashed #d1d5db; padding: 0 .5em; }
.pa-plan p { margin: .5em 0; line-height: 1.8; }
.pa-path { color: #6b7280; font-size: .9em; margin-bottom: .5em; }
table.pa-table { border-collapse: collapse; margin: .8em 0; }
table.pa-table td, table.pa-table th { border: 1px solid #d1d5db; padding: .2em .6em; }
table.pa-table caption { font-weight: 600; padding: .3em; }
#open-dossier { white-space: nowrap; min-width: max-content !important; }
.pa-review-comment { margin-top: .5em; padding: .3em .6em; background: #f9fafb; border-radius: 4px; }
"""
    + dossier_view.CSS
)


def _theme() -> gr.themes.Base:
    """System fonts only: the app works offline, so no web fonts are fetched."""
    fonts = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
    return gr.themes.Soft(primary_hue="blue", font=fonts, font_mono=["ui-monospace", "monospace"])


def parse_history(history: Sequence[str] | str | None) -> list[str]:
    """Earlier questions from a list, a JSON list in a string, or one plain earlier question."""
    if history is None:
        return []
    if isinstance(history, str):
        try:
            parsed = json.loads(history)
        except json.JSONDecodeError:
            return [history] if history.strip() else []
        if isinstance(parsed, str):
            return [parsed] if parsed.strip() else []
        if not isinstance(parsed, list):
            raise ValueError("history must be a list of earlier questions")
        history = parsed
    if not isinstance(history, (list, tuple)):
        raise ValueError("history must be a list of earlier questions")
    return [str(item) for item in history if item is not None]


def shown_path(path: Path) -> str:
    """How the app shows a path: relative to the working folder when inside it, else by its name
    alone, so no absolute path of this machine reaches a user."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return path.name


def without_machine_paths(message: str, paths: Iterable[Path]) -> str:
    """``message`` with each of ``paths`` (and the working folder) replaced by ``shown_path``."""
    for path in sorted({Path(p) for p in paths if Path(p).is_absolute()}, key=lambda p: len(str(p)), reverse=True):
        message = message.replace(str(path), shown_path(path))
    return message.replace(f"{Path.cwd()}{os.sep}", "")


def load_problem(error: AssistantError, paths: Iterable[Path]) -> str:
    """A load error as the app shows it: what is wrong in Chinese, then the one-line reason."""
    summary = next((text for kind, text in LOAD_PROBLEMS if isinstance(error, kind)), "规划索引无法加载")
    return f"{summary}（{without_machine_paths(str(error), paths)}）"


class AssistantService:
    """The engine behind the app, or the reason it is unavailable.

    Calls into the engine are serialised with a lock: answering takes about 0.1 s, so this costs
    little, and the app does not depend on every engine part being safe to share across threads.
    """

    def __init__(
        self,
        assistant: Assistant | None,
        documents: list[PlanDocument],
        facts: list[Fact],
        error: str | None = None,
        pages: SubparkPages | None = None,
    ) -> None:
        self.assistant = assistant
        self.documents = documents
        self.facts = facts
        self.texts = {document.doc: document.text for document in documents}
        self.error = error
        self.pages = pages or SubparkPages()
        self._lock = threading.Lock()

    @classmethod
    def from_assistant(cls, assistant: Assistant) -> AssistantService:
        base = assistant.structured.base
        pages = SubparkPages.of(assistant.dossiers, base, assistant.documents)
        return cls(assistant, assistant.documents, base.facts, pages=pages)

    @classmethod
    def load(cls, index_dir: Path, corpus_dir: Path) -> AssistantService:
        """Load the engine; on a load error keep its message and what the corpus alone gives."""
        try:
            return cls.from_assistant(Assistant.load(index_dir, corpus_dir))
        except AssistantError as error:
            message = load_problem(error, [index_dir, corpus_dir])
        try:
            corpus = PlanCorpus.load(corpus_dir)
            base = FactBase(corpus.facts, corpus.lexicon, corpus.texts())
            pages = SubparkPages.of(build_dossiers(corpus.documents, corpus.lexicon), base, corpus.documents)
            return cls(None, corpus.documents, corpus.facts, error=message, pages=pages)
        except AssistantError:
            return cls(None, [], [], error=message)

    def ask(self, question: str, history: list[str]) -> Answer:
        if self.assistant is None:
            return Answer(
                question=question,
                answer=f"{UNAVAILABLE}{self.error}。{FIX_HINT}",
                kind="refusal",
                refused=True,
                reason="index_unavailable",
                confidence=0.0,
            )
        with self._lock:
            return self.assistant.ask(question, history)


@dataclass(frozen=True)
class ExampleGroup:
    label: str
    questions: list[str]


def load_examples(corpus_dir: Path) -> list[ExampleGroup]:
    """Example questions from ``corpus/examples.json``; none when the file is absent."""
    path = corpus_dir / EXAMPLES_FILE
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [ExampleGroup(group["label"], list(group["questions"])) for group in data.get("groups", [])]


def _table_facts(document: PlanDocument, facts: list[Fact]) -> list[tuple[str, list[Fact]]]:
    """Each plan table's title and the facts read from inside it."""
    return [
        (
            f"{table.label} {table.caption}".strip(),
            [f for f in facts if f.doc == document.doc and table.start <= f.source.start < table.end],
        )
        for table in document.tables
    ]


def _styled(table: render.FactTable) -> Styler:
    """Values stay numbers (so columns sort numerically) while each cell shows its display text."""
    frame = pd.DataFrame(table.rows, columns=table.headers)
    styler = frame.style.hide(axis="index")
    for row, texts in enumerate(table.display):
        for column, text in enumerate(texts):
            styler = styler.format(lambda _value, text=text: text, subset=pd.IndexSlice[[row], [table.headers[column]]])
    return styler


def _fact_table(table: render.FactTable, label: str, texts: dict[str, str]) -> None:
    frame = gr.Dataframe(value=_styled(table), label=label, interactive=False, wrap=True, pinned_columns=1)
    source = gr.HTML(render.render_fact_source(None, texts))

    def show_source(event: gr.SelectData) -> str:
        """The clicked cell's source; keyed by the row's first cell, so it survives sorting."""
        row, column = event.index if isinstance(event.index, (list, tuple)) else (event.index, 0)
        key = event.row_value[0] if event.row_value else (table.rows[row][0] if row < len(table.rows) else "")
        return render.render_fact_source(table.fact_at(str(key), column), texts)

    frame.select(show_source, None, source, api_visibility="private")


def _dossier_button(service: AssistantService, subject: str | None) -> gr.Button:
    """The link under the chat to the sub-park page of the last answer's sub-park, if it has one."""
    if subject is None:
        return gr.Button(OPEN_DOSSIER, visible=False)
    return gr.Button(f"{OPEN_DOSSIER}：{service.pages.label(subject)}", visible=True)


def _chat_tab(service: AssistantService, feedback: FeedbackStore, examples: list[ExampleGroup]) -> tuple[gr.Button, gr.State]:
    """The chat; returns the button that opens the last answer's sub-park page and that sub-park."""
    texts = service.texts
    history = gr.State([])
    last_turn = gr.State(None)
    linked = gr.State(None)
    chatbot = gr.Chatbot(
        label="对话",
        height=520,
        placeholder="请提问：规划中的目标、子园概况、政策举措……每个回答都附原文出处。",
        feedback_options=None,
        buttons=["copy_all"],
        elem_id="chat",
    )
    with gr.Row():
        open_dossier = gr.Button(
            OPEN_DOSSIER, visible=False, elem_id="open-dossier", size="sm", variant="secondary", scale=0, min_width=160
        )
    with gr.Row():
        question = gr.Textbox(show_label=False, placeholder="输入问题，回车发送", scale=8, elem_id="question", lines=1, max_lines=4)
        send = gr.Button("发送", variant="primary", scale=1, elem_id="send")
        clear = gr.Button("清空对话", scale=1, elem_id="clear")
    for group in examples:
        gr.Examples([[q] for q in group.questions], inputs=[question], label=group.label)
    with gr.Row():
        comment = gr.Textbox(show_label=False, placeholder="对上一个回答的意见（可选）", scale=6)
        up = gr.Button("👍 有帮助", scale=1, elem_id="rate-up")
        down = gr.Button("👎 没帮助", scale=1, elem_id="rate-down")
    status = gr.Markdown(elem_id="feedback-status")

    def respond(text: str, messages: list[dict], asked: list[str]) -> tuple:
        answer = service.ask(text, asked)
        turn = [
            {"role": "user", "content": render.render_question(text)},
            {"role": "assistant", "content": render.render_answer(answer, texts)},
        ]
        rated = {
            "question": text,
            "answer": answer.answer,
            "kind": answer.kind,
            "history": list(asked),
            "sources": [span.model_dump() for span in render.numbered_sources(answer)],
        }
        asked = [*asked, text] if text.strip() else asked
        subject = service.pages.subpark_of(answer)
        return [*messages, *turn], asked, "", rated, "", _dossier_button(service, subject), subject

    def rate(rating: str, turn: dict | None, note: str) -> tuple[str, str]:
        if not turn:
            return "请先提问，再评价回答。", note
        try:
            feedback.record(
                turn["question"],
                turn["answer"],
                turn["kind"],
                rating,
                note or "",
                history=turn.get("history"),
                sources=turn.get("sources"),
            )
        except FeedbackStoreError as error:  # one plain line, no path, the comment kept for a retry
            return error.plain, note
        return "已记录您的反馈，谢谢！", ""

    outputs = [chatbot, history, question, last_turn, status, open_dossier, linked]
    for trigger in (question.submit, send.click):
        trigger(respond, [question, chatbot, history], outputs, api_visibility="private")
    unlinked = (_dossier_button(service, None), None)
    clear.click(
        lambda: ([], [], None, "", "", *unlinked),
        None,
        [chatbot, history, last_turn, question, status, open_dossier, linked],
        api_visibility="private",
    )
    chatbot.clear(lambda: ([], None, "", *unlinked), None, [history, last_turn, status, open_dossier, linked], api_visibility="private")
    for button, rating in ((up, "up"), (down, "down")):
        button.click(partial(rate, rating), [last_turn, comment], [status, comment], api_visibility="private")
    return open_dossier, linked


def _figures_tab(service: AssistantService) -> None:
    texts, facts = service.texts, service.facts
    gr.Markdown("表中每个数字都来自规划原文：**点击数字**即可在表格下方看到它的章节和原文。子园未给出的数值显示为“未给出”，不是 0。")
    for document in service.documents:
        for title, table_facts in _table_facts(document, facts):
            if table_facts:
                _fact_table(render.indicator_table(table_facts), title, texts)
    profile = [f for f in facts if f.origin == "profile"]
    if profile:
        years = "、".join(str(year) for year in sorted({f.year for f in profile if f.year}))
        _fact_table(render.profile_pivot(profile), f"子园概况（{years}年）" if years else "子园概况", texts)
        choices = render.profile_indicators(profile)
        chooser = gr.Dropdown(choices, value=choices[0][1], label="图表：各子园的指标", elem_id="chart-indicator")
        chart = gr.HTML(_chart(profile, choices[0][1]), elem_id="chart")
        chooser.change(partial(_chart, profile), chooser, chart, api_visibility="private")
    with gr.Accordion("全部数字及出处", open=False):
        labels = [(render.fact_label(f), index) for index, f in enumerate(facts)]
        picker = gr.Dropdown(labels, value=None, label="选择一个数字查看出处", type="value")
        detail = gr.HTML(render.render_fact_source(None, texts))
        picker.change(
            lambda i: render.render_fact_source(facts[i] if i is not None else None, texts),
            picker,
            detail,
            api_visibility="private",
        )
        gr.Dataframe(
            value=render.facts_rows(facts),
            headers=render.FACT_HEADERS,
            interactive=False,
            wrap=True,
            show_search="search",
            max_height=420,
        )


def _chart(facts: list[Fact], indicator: str) -> str:
    unit, bars = render.profile_bars(facts, indicator)
    return render.bar_chart_html(render.with_unit(indicator, unit), bars)


# When a link opens a section at a span, bring the marked span into view.
SCROLL_TO_MARK_JS = """
watch('value', () => { const mark = element.querySelector('mark.pa-cited'); if (mark) mark.scrollIntoView({block: 'center'}); });
"""


def _plan_tab(service: AssistantService) -> tuple[gr.Dropdown, gr.HTML] | None:
    """The plan browser; returns its section picker and text for links that open it at a span."""
    documents = service.documents
    choices = render.section_choices(documents)
    if not choices:
        gr.Markdown("没有可浏览的规划文本。")
        return None
    for document in documents:
        gr.Markdown(f"### {render.escape(document.title)}")
    picker = gr.Dropdown(choices, value=choices[0][1], label="章节", elem_id="section")
    shown = gr.HTML(_section_html(documents, choices[0][1]), elem_id="plan-text", js_on_load=SCROLL_TO_MARK_JS)
    picker.input(partial(_section_html, documents), picker, shown, api_visibility="private")
    return picker, shown


def _section_html(documents: list[PlanDocument], key: str | None, marked: tuple[int, int] | None = None) -> str:
    found = render.find_section(documents, key or "")
    return render.render_section(*found, marked) if found else ""


def _event_value(event: gr.EventData, name: str) -> object:
    """A value the browser sent with an event (``trigger('click', {...})``), or ``None``."""
    try:
        return getattr(event, name)
    except (AttributeError, TypeError):
        return None


def _link_tabs(
    service: AssistantService,
    tabs: gr.Tabs,
    chat_link: tuple[gr.Button, gr.State],
    dossier: DossierTab | None,
    plan: tuple[gr.Dropdown, gr.HTML] | None,
) -> None:
    """The links between tabs: a chat answer's 查看子园档案 opens the sub-park page at its sub-park,
    and a section path or quote on that page opens the plan browser at the span, marked."""
    button, linked = chat_link
    if dossier is not None:

        def open_dossier(subject: str | None) -> tuple:
            return gr.Tabs(selected=DOSSIER_TAB), *dossier.open(service.pages, service.texts, subject)

        button.click(open_dossier, linked, [tabs, dossier.subpark, dossier.compare, dossier.page], api_visibility="private")
    if dossier is not None and plan is not None:
        picker, shown = plan

        def open_plan(event: gr.EventData) -> tuple:
            key, start, end = (_event_value(event, name) for name in ("section", "start", "end"))
            if not isinstance(key, str) or render.find_section(service.documents, key) is None:
                return gr.Tabs(), gr.Dropdown(), gr.HTML()
            marked = (int(start), int(end)) if isinstance(start, (int, float)) and isinstance(end, (int, float)) else None
            return gr.Tabs(selected=PLAN_TAB), key, _section_html(service.documents, key, marked)

        dossier.page.click(open_plan, None, [tabs, picker, shown], api_visibility="private")


def _json_or_none(text: str) -> object:
    """A JSON value given as text (blank → ``None``); not JSON → ``ValueError`` with a short message."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError("sources must be a list of citations (JSON)") from error


# The API's routes of each app: Blocks has no FastAPI app until it is launched, so ``build_app``
# leaves them here for ``launch`` to put on the server ahead of Gradio's own routes.
_API_ROUTES: weakref.WeakKeyDictionary[gr.Blocks, list[BaseRoute]] = weakref.WeakKeyDictionary()


def build_app(service: AssistantService, feedback: FeedbackStore, examples: list[ExampleGroup]) -> gr.Blocks:
    """The Blocks app with its queue, and the OpenAI-compatible and REST API over the same service
    (``assistant.app.api``); launch both on one server with ``launch``."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(f"## {TITLE}")
        if service.error:
            gr.HTML(render.render_notice("无法加载规划索引：", f"{service.error}。{FIX_HINT}"), elem_id="notice")
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="chat-tab"):
                chat_link = _chat_tab(service, feedback, examples)
            with gr.Tab("子园档案", id=DOSSIER_TAB):
                dossier = dossier_view.build_dossier_tab(service.pages, service.texts)
            with gr.Tab("数字浏览", id="figures-tab"):
                _figures_tab(service)
            with gr.Tab("规划原文", id=PLAN_TAB):
                plan = _plan_tab(service)
            with gr.Tab("反馈审阅", id="review-tab") as review_tab:
                build_review_tab(feedback, service.texts, review_tab)
        _link_tabs(service, tabs, chat_link, dossier, plan)

        def ask(question: str, history: list[str] | str | None = None) -> dict:
            """Answer one question about the plan.

            Args:
                question: the question, in Chinese
                history: earlier questions of the conversation, oldest first (a list or a JSON list)
            Returns:
                the Answer: answer, kind, refused, reason, figures, citations, confidence
            """
            if question is not None and not isinstance(question, str):
                raise gr.Error("question must be a string")
            try:
                earlier = parse_history(history)
            except ValueError as error:
                raise gr.Error(str(error)) from error
            return service.ask(question or "", earlier).model_dump(mode="json")

        def rate(
            question: str,
            answer: str,
            kind: str,
            rating: str,
            comment: str = "",
            history: list[str] | str | None = None,
            sources: list[dict] | str | None = None,
        ) -> str:
            """Rate an answer: rating is "up" or "down"; the comment is optional.

            Args:
                question: the question asked
                answer: the answer's text
                kind: the answer's kind (lookup, compare, compute, list, passage, refusal)
                rating: "up" or "down"
                comment: the user's remark, optional
                history: earlier questions of the conversation, oldest first (a list or a JSON list), optional
                sources: the answer's citations (its ``citations``, each with doc, section, start, end, quote), optional
            """
            if not all(isinstance(text, str) for text in (question, answer, kind, rating, comment or "")):
                raise gr.Error("question, answer, kind, rating and comment must be strings")
            try:
                earlier = parse_history(history)
                cited = _json_or_none(sources) if isinstance(sources, str) else sources
                if cited is not None and not isinstance(cited, list):
                    raise ValueError("sources must be a list of citations")
                feedback.record(question, answer, kind, rating, comment or "", history=earlier, sources=cited)
            except ValidationError as error:
                first = error.errors()[0]
                raise gr.Error(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from error
            except ValueError as error:  # malformed history or sources
                raise gr.Error(str(error).splitlines()[0]) from error
            except FeedbackStoreError as error:  # one plain line, never a path or a traceback
                raise gr.Error(error.plain) from error
            return "ok"

        gr.api(ask, api_name="ask")
        gr.api(rate, api_name="feedback")
    demo.queue(default_concurrency_limit=CONCURRENCY)
    _API_ROUTES[demo] = api_routes(service, title=f"{TITLE} API")
    return demo


def create_app(index_dir: Path | None = None, corpus_dir: Path | None = None) -> gr.Blocks:
    """The app for an index and corpus (defaults from ``settings()``), feedback under its home."""
    config = settings(corpus_dir=corpus_dir, index_dir=index_dir)
    service = AssistantService.load(config.index_dir, config.corpus_dir)
    return build_app(service, FeedbackStore(config.feedback_dir), load_examples(config.corpus_dir))


def launch(demo: gr.Blocks, host: str, port: int, *, block: bool = True, quiet: bool = False) -> str:
    """Start the server with the app's theme and styles, and the API of ``build_app`` on the same
    port (``app_kwargs`` routes come before Gradio's, on the FastAPI app Gradio creates); returns
    the local URL."""
    _, url, _ = demo.launch(
        server_name=host,
        server_port=port,
        prevent_thread_lock=not block,
        quiet=quiet,
        theme=_theme(),
        css=CSS,
        show_error=True,
        footer_links=["api"],
        app_kwargs={"routes": list(_API_ROUTES.get(demo, []))},
    )
    return url
