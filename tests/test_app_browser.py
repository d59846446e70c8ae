"""End to end in a real headless Chromium: ask, see the figure and its source, follow up, explore,
read a sub-park's page and compare two, follow an answer's link to its sub-park's page.

Chromium is Debian's (installed by ``scripts/ensure_chromium.sh`` when missing); the test skips
only when that install fails. Screenshots go to ``test-output/`` for a person to look at.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app.feedback import FeedbackStore
from assistant.evaluation.gold import GoldItem

ROOT = Path(__file__).parents[1]
OUTPUT = ROOT / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 30_000

# Gradio's queue calls pandas APIs that pandas 3 deprecates: not ours to fix.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning:gradio.queueing")]


def ensure_chromium() -> None:
    """Install chromium when missing; skip (with the installer's last words) only if that fails."""
    if CHROMIUM.exists():
        return
    result = subprocess.run(["bash", str(ROOT / "scripts" / "ensure_chromium.sh")], capture_output=True, text=True, timeout=900)
    if result.returncode != 0 or not CHROMIUM.exists():
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        pytest.skip(f"chromium is missing and scripts/ensure_chromium.sh failed: {' | '.join(tail)}")


@pytest.fixture(scope="module")
def feedback_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-feedback")


@pytest.fixture(scope="module")
def app_url(serve_app, feedback_dir: Path) -> Iterator[str]:
    with serve_app(feedback_dir) as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url: str):
    ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(app_url)
        page.locator("#question textarea").wait_for()
        yield page
        browser.close()


def ask(page, question: str) -> None:
    """Type a question, press Enter, and wait until one more answer is in the chat."""
    answers = page.locator("#chat .pa-answer")
    before = answers.count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.wait_for_function("n => document.querySelectorAll('#chat .pa-answer').length > n", arg=before)


def choose(page, dropdown: str, option: str) -> None:
    """Pick an option of a filterable dropdown and wait for its list to close."""
    field = page.locator(f"{dropdown} input")
    field.click()
    field.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.get_by_role("listbox").wait_for(state="hidden")


def test_chat_answer_shows_figure_and_source_then_follow_up(page, feedback_dir: Path) -> None:
    OUTPUT.mkdir(exist_ok=True)
    ask(page, "临港科技城2020年税收是多少？")
    first = page.locator("#chat .pa-answer").nth(0)
    assert first.locator("mark.pa-figure").first.inner_text() == "25亿元"
    source = first.locator("details.pa-source").first
    assert "附件 > 临港松江科技城" in source.locator("summary").inner_text()
    source.locator("summary").click()
    assert source.locator("mark.pa-cited").inner_text() == "税收25亿元"

    ask(page, "莘莘学子创业园呢？")
    second = page.locator("#chat .pa-answer").nth(1)
    assert "0.68亿元" in second.locator(".pa-text").inner_text()
    assert "附件 > 莘莘学子创业园" in second.locator("details.pa-source summary").first.inner_text()

    page.locator("#rate-up").click()
    page.get_by_text("已记录您的反馈").wait_for()
    entry = FeedbackStore(feedback_dir).read()[-1]
    assert entry.question == "莘莘学子创业园呢？" and entry.rating == "up"
    assert entry.history == ["临港科技城2020年税收是多少？"] and entry.sources  # what the reviewer will see
    page.screenshot(path=str(OUTPUT / "app-chat.png"), full_page=True)


def test_script_in_question_is_shown_as_text_not_run(page) -> None:
    ask(page, "<script>window.__injected = 1</script><b>粗体</b>")
    user_turns = page.locator("#chat .pa-question")
    assert "<script>window.__injected = 1</script>" in user_turns.last.inner_text()
    assert page.evaluate("window.__injected") is None
    assert page.locator("#chat .pa-question b").count() == 0


def test_clear_conversation_forgets_history(page, assistant) -> None:
    follow_up = "莘莘学子创业园呢？"
    alone = assistant.ask(follow_up, []).answer
    assert alone != assistant.ask(follow_up, ["临港科技城2020年税收是多少？"]).answer
    page.locator("#clear").click()
    page.wait_for_function("document.querySelectorAll('#chat .pa-answer').length === 0")
    ask(page, follow_up)
    shown = page.locator("#chat .pa-answer .pa-text").last.inner_text()
    assert re.sub(r"\[\d+\]", "", shown) == alone  # the same answer as with no history: it was forgotten


def test_figures_explorer_marks_missing_and_traces_a_cell(page) -> None:
    page.get_by_role("tab", name="数字浏览").click()
    cells = page.locator(".body-cell")
    cells.get_by_text("未给出", exact=True).first.wait_for()
    cells.get_by_text("2.9363", exact=True).first.click()
    source = page.locator(".pa-fact", has_text="环大学城科创园 · 税收")
    source.wait_for()
    assert source.locator("mark.pa-cited").inner_text() == "税收2.9363亿元"
    assert "附件 > 环大学城科创园" in source.inner_text()
    choose(page, "#chart-indicator", "规模以上制造业企业(家)")
    page.locator("#chart .pa-bar-missing", has_text="未给出").first.wait_for()
    page.screenshot(path=str(OUTPUT / "app-figures.png"), full_page=True)


def dossier_columns(page, columns: int) -> None:
    """Wait until the sub-park page shows ``columns`` sub-parks and no update is pending."""
    page.wait_for_function("n => document.querySelector('#dossier .pa-dossier')?.dataset.columns === String(n)", arg=columns)
    page.wait_for_function("!document.querySelector('.pending')")


def test_subpark_page_shows_figures_and_fields_compares_two_and_opens_the_plan(page) -> None:
    page.get_by_role("tab", name="子园档案").click()
    choose(page, "#dossier-subpark", "临港松江科技城")
    page.locator('#dossier th[data-subject="临港松江科技城"]').wait_for()
    dossier_columns(page, 1)
    tax = page.locator('#dossier tr[data-indicator="税收"] td.pa-dossier-figure')
    assert tax.locator(".pa-dossier-value").inner_text() == "25亿元"
    assert tax.locator("mark.pa-cited").inner_text() == "税收25亿元"  # the source quote, its span marked
    location = page.locator('#dossier tr.pa-dossier-field[data-field="位置"] td')
    assert "四至边界" in location.locator("mark.pa-cited").first.inner_text()
    assert "附件 > 临港松江科技城" in location.locator("a.pa-plan-link").first.inner_text()

    choose(page, "#dossier-compare", "莘莘学子创业园")
    dossier_columns(page, 2)
    assert page.locator('#dossier tr[data-indicator="税收"] .pa-dossier-value').all_inner_texts() == ["25亿元", "0.68亿元"]
    staff = page.locator('#dossier tr[data-indicator="从业人员"] td')
    assert staff.nth(0).inner_text().startswith("约2万人") and staff.nth(1).inner_text().strip() == "未给出"  # not 0
    fields = page.locator("#dossier tr.pa-dossier-field")
    assert fields.count() >= 2 and all(fields.nth(i).locator("td").count() == 2 for i in range(fields.count()))
    page.screenshot(path=str(OUTPUT / "app-dossier.png"), full_page=True)

    quote = location.first.locator("mark.pa-cited").first.inner_text()
    location.first.locator("a.pa-plan-link").first.click()
    page.locator("#plan-text mark.pa-cited").wait_for()
    assert page.locator("#plan-text mark.pa-cited").inner_text() == quote
    assert page.locator("#section input").input_value() == "附件 > 临港松江科技城"


def test_answer_about_one_subpark_links_to_its_page(page) -> None:
    page.get_by_role("tab", name="问答").click()
    ask(page, "哪个子园税收最高？")  # about every sub-park: no link
    assert not page.locator("#open-dossier").is_visible()
    ask(page, "莘莘学子创业园的税收是多少？")
    link = page.locator("#open-dossier")
    link.wait_for(state="visible")
    assert link.inner_text() == "查看子园档案：莘莘学子创业园"
    link.click()
    dossier_columns(page, 1)
    page.locator('#dossier th[data-subject="莘莘学子创业园"]').wait_for()
    assert page.locator("#dossier-subpark input").input_value() == "莘莘学子创业园"
    assert page.locator("#dossier-compare input").input_value() == "（不对比）"
    assert page.locator('#dossier tr[data-indicator="税收"] .pa-dossier-value').inner_text() == "0.68亿元"
    page.screenshot(path=str(OUTPUT / "app-dossier-link.png"), full_page=False)
    page.get_by_role("tab", name="问答").click()


def test_plan_browser_shows_a_section(page) -> None:
    page.get_by_role("tab", name="规划原文").click()
    choose(page, "#section", "附件 > 临港松江科技城")
    page.locator(".pa-plan", has_text="1800家").wait_for()
    page.screenshot(path=str(OUTPUT / "app-plan.png"), full_page=True)


def test_rated_down_answer_is_reviewed_first_and_exported(page, feedback_dir: Path) -> None:
    question = "临港科技城有多少家高企？"
    page.get_by_role("tab", name="问答").click()
    ask(page, question)
    shown = re.sub(r"\[\d+\]", "", page.locator("#chat .pa-answer .pa-text").last.inner_text())
    page.get_by_placeholder("对上一个回答的意见（可选）").fill("请核对年份")
    page.locator("#rate-down").click()
    page.get_by_text("已记录您的反馈").wait_for()

    page.get_by_role("tab", name="反馈审阅").click()
    first_row = page.locator("#review-table .body-cell")
    page.wait_for_function(
        "q => { const c = document.querySelectorAll('#review-table .body-cell'); return c.length > 3 && c[3].innerText.trim() === q; }",
        arg=question,
    )
    assert "👎" in first_row.nth(1).inner_text()
    detail = page.locator("#review-detail")
    assert question in detail.inner_text() and "请核对年份" in detail.inner_text() and shown in detail.inner_text()
    detail.locator("details.pa-source summary").first.click()
    assert detail.locator("mark.pa-cited").first.inner_text()  # the cited span, in its context

    choose(page, "#review-kind", "比较（compare）")
    page.locator("#review-status", has_text="没有符合筛选条件的评价").wait_for()
    choose(page, "#review-kind", "全部类型")
    page.wait_for_function(
        "q => { const c = document.querySelectorAll('#review-table .body-cell'); return c.length > 3 && c[3].innerText.trim() === q; }",
        arg=question,
    )
    page.locator("#review-pick input[type=checkbox]").first.check()
    page.locator("#review-export").click()
    link = page.locator("#review-file a[download]").first
    link.wait_for()
    exported = page.request.get(link.get_attribute("href")).text()
    items = [GoldItem.model_validate_json(line) for line in exported.split("\n") if line]
    stored = FeedbackStore(feedback_dir).review()[0]
    assert [(item.id, item.question, item.expected) for item in items] == [(f"feedback-{stored.id}", question, stored.answer)]
    assert items[0].evidence == [] and "已导出 1 条" in page.locator("#review-status").inner_text()
    page.screenshot(path=str(OUTPUT / "app-review.png"), full_page=True)
