"""The app's review tab: users' ratings for staff, 👎 first, with the answer and its sources, and
the chosen ones exported as gold-set candidates (the ``eval/`` JSONL format, evidence to be filled).

The table is read again whenever the tab is opened, a filter changes or 刷新 is pressed. A store
that cannot be read shows one plain line (no path), as the chat's rating buttons do.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import gradio as gr
import pandas as pd

from assistant.app import render
from assistant.app.feedback import KINDS, FeedbackEntry, FeedbackStore, FeedbackStoreError, export_gold_candidates
from assistant.errors import AssistantError

ALL = "all"
HEADERS = ["#", "评价", "类型", "问题", "回答", "意见", "时间"]
RATING_LABELS = {"down": "👎 没帮助", "up": "👍 有帮助"}
COLUMN_WIDTHS: list[str | int] = ["5%", "11%", "14%", "22%", "28%", "12%", "8%"]
PREVIEW = 48
EXPORT_PREFIX = "feedback-gold-candidates"


def _short(text: str, limit: int = PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def kind_label(kind: str) -> str:
    return f"{render.KIND_LABELS.get(kind, kind)}（{kind}）"


def table_frame(entries: list[FeedbackEntry]) -> pd.DataFrame:
    """One row per rating; the first column is the rating's number, which the other controls use."""
    rows = [
        [
            entry.id,
            RATING_LABELS[entry.rating],
            kind_label(entry.kind),
            _short(entry.question),
            _short(entry.answer),
            _short(entry.comment, 30),
            entry.timestamp.replace("T", " ")[:16],
        ]
        for entry in entries
    ]
    return pd.DataFrame(rows, columns=HEADERS)


def pick_choices(entries: list[FeedbackEntry]) -> list[tuple[str, int]]:
    return [
        (f"#{entry.id} {RATING_LABELS[entry.rating][:1]} {_short(entry.question, 30)}", entry.id)
        for entry in entries
        if entry.id is not None
    ]


def render_entry(entry: FeedbackEntry | None, texts: Mapping[str, str]) -> str:
    """One rating as a reviewer reads it: question (and earlier questions), the answer with its
    numbered, expandable sources, the user's comment."""
    if entry is None:
        return '<div class="pa-hint">点击表中一行，查看该回答及其出处。</div>'
    parts = [
        '<div class="pa-review-entry">',
        f'<div class="pa-meta"><span class="pa-badge{" pa-refused" if entry.rating == "down" else ""}">'
        f'{render.escape(RATING_LABELS[entry.rating])}</span><span class="pa-badge">{render.escape(kind_label(entry.kind))}</span>'
        f'<span class="pa-confidence">#{entry.id} · {render.escape(entry.timestamp.replace("T", " "))}</span></div>',
    ]
    if entry.history:
        parts.append(f'<div class="pa-hint">前文：{render.escape(" / ".join(entry.history))}</div>')
    parts.append(f'<div class="pa-question"><strong>问：</strong>{render.escape_lines(entry.question) or "（空）"}</div>')
    parts.append(f'<div class="pa-answer"><div class="pa-text"><strong>答：</strong>{render.escape_lines(entry.answer)}</div>')
    if entry.sources:
        parts.append('<div class="pa-sources"><div class="pa-sources-title">来源</div>')
        parts.extend(render.render_source(number, span, texts) for number, span in enumerate(entry.sources, start=1))
        parts.append("</div>")
    else:
        parts.append('<div class="pa-hint">（未记录出处）</div>')
    parts.append("</div>")
    if entry.comment:
        parts.append(f'<div class="pa-review-comment"><strong>意见：</strong>{render.escape_lines(entry.comment)}</div>')
    parts.append("</div>")
    return "".join(parts)


class ReviewTab:
    """The tab's callbacks over one store; every one turns a store failure into the status line."""

    def __init__(self, feedback: FeedbackStore, texts: Mapping[str, str]) -> None:
        self.feedback = feedback
        self.texts = texts
        self._export_folder: Path | None = None

    def export_folder(self) -> Path:
        """One temporary folder per app for the files offered for download (Gradio serves them from
        its own cache, into which it copies each)."""
        if self._export_folder is None or not self._export_folder.is_dir():
            self._export_folder = Path(tempfile.mkdtemp(prefix="plan-assistant-export-"))
        return self._export_folder

    def entries(self, kind: str | None, rating: str | None) -> list[FeedbackEntry]:
        return self.feedback.review(kind=None if kind in (None, ALL) else kind, rating=None if rating in (None, ALL) else rating)

    def refresh(self, kind: str | None, rating: str | None, picked: list[int] | None = None) -> tuple:
        """Table, choices for export (keeping what is still listed), status, and the first row's detail."""
        try:
            entries = self.entries(kind, rating)
        except FeedbackStoreError as error:
            return table_frame([]), gr.update(choices=[], value=[]), error.plain, render_entry(None, self.texts)
        listed = {entry.id for entry in entries}
        kept = [number for number in picked or [] if number in listed]
        downs = sum(entry.rating == "down" for entry in entries)
        if entries:
            status = f"共 {len(entries)} 条评价，其中 👎 {downs} 条。"
        elif kind not in (None, ALL) or rating not in (None, ALL):
            status = "没有符合筛选条件的评价。"
        else:
            status = "还没有评价。用户在“问答”页点 👍/👎 后会出现在这里。"
        first = render_entry(entries[0] if entries else None, self.texts)
        return table_frame(entries), gr.update(choices=pick_choices(entries), value=kept), status, first

    def show(self, event: gr.SelectData) -> str:
        """The clicked row's rating in full (keyed by its number, so sorting the table is harmless)."""
        try:
            number = int(event.row_value[0]) if event.row_value else None
            entries = self.feedback.get([number]) if number is not None else []
        except (TypeError, ValueError):
            entries = []
        except FeedbackStoreError as error:
            return render.render_notice("", error.plain)
        return render_entry(entries[0] if entries else None, self.texts)

    def export(self, picked: list[int] | None) -> tuple:
        """The chosen ratings as a gold-candidate JSONL file to download, and a status line."""
        if not picked:
            return gr.update(value=None, visible=False), "请先勾选要导出的评价。"
        try:
            entries = self.feedback.get(picked)
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
            path = self.export_folder() / f"{EXPORT_PREFIX}-{stamp}.jsonl"
            count = export_gold_candidates(entries, path)
        except FeedbackStoreError as error:
            return gr.update(value=None, visible=False), error.plain
        except (AssistantError, OSError):
            return gr.update(value=None, visible=False), "导出失败：临时文件无法写入。请联系管理员。"
        message = f"已导出 {count} 条金标准候选（eval/ JSONL 格式）。请补全 numbers、terms 和 evidence 后再加入金标准集。"
        return gr.update(value=str(path), visible=True), message


def build_review_tab(feedback: FeedbackStore, texts: Mapping[str, str], tab: gr.Tab) -> None:
    """The review tab's components, inside the caller's ``gr.Tab``; opening ``tab`` re-reads the store."""
    review = ReviewTab(feedback, texts)
    gr.Markdown("用户对回答的评价，**👎 在前**、新的在前。点击一行查看回答和出处；勾选后可导出为金标准候选（evidence 待补）。")
    kinds = [("全部类型", ALL), *((kind_label(kind), kind) for kind in KINDS)]
    ratings = [("全部评价", ALL), *((label, rating) for rating, label in RATING_LABELS.items())]
    with gr.Row():
        kind = gr.Dropdown(kinds, value=ALL, label="回答类型", elem_id="review-kind", scale=2)
        rating = gr.Dropdown(ratings, value=ALL, label="评价", elem_id="review-rating", scale=2)
        refresh = gr.Button("刷新", scale=1, elem_id="review-refresh")
    frame0, picks0, status0, detail0 = review.refresh(ALL, ALL)
    status = gr.Markdown(status0, elem_id="review-status")
    table = gr.Dataframe(
        value=frame0,
        headers=HEADERS,
        interactive=False,
        wrap=True,
        max_height=420,
        elem_id="review-table",
        column_widths=COLUMN_WIDTHS,
    )
    detail = gr.HTML(detail0, elem_id="review-detail")
    picker = gr.CheckboxGroup(label="选择要导出的评价", elem_id="review-pick", **_choices_of(picks0))
    with gr.Row():
        choose_all = gr.Button("全选", scale=1, elem_id="review-all")
        choose_none = gr.Button("清除选择", scale=1, elem_id="review-none")
        export = gr.Button("导出为金标准候选", variant="primary", scale=2, elem_id="review-export")
    download = gr.File(label="下载导出文件", interactive=False, visible=False, elem_id="review-file")

    outputs = [table, picker, status, detail]
    for trigger in (tab.select, refresh.click, kind.change, rating.change):
        trigger(review.refresh, [kind, rating, picker], outputs, api_visibility="private")
    table.select(review.show, None, detail, api_visibility="private")
    choose_all.click(
        lambda kind_value, rating_value: gr.update(value=[entry.id for entry in _safe(review, kind_value, rating_value)]),
        [kind, rating],
        picker,
        api_visibility="private",
    )
    choose_none.click(lambda: gr.update(value=[]), None, picker, api_visibility="private")
    export.click(review.export, picker, [download, status], api_visibility="private")


def _choices_of(update: dict) -> dict:
    return {"choices": update.get("choices", []), "value": update.get("value", [])}


def _safe(review: ReviewTab, kind: str | None, rating: str | None) -> list[FeedbackEntry]:
    try:
        return review.entries(kind, rating)
    except FeedbackStoreError:
        return []
