"""``make stress``: many users on one app, bad inputs, broken files — nothing crashes, nothing is lost.

1. starts ``python app.py`` on 127.0.0.1 (a free port) over the real index, with a temporary home
   so feedback lands in a fresh file;
2. asks every chosen gold question once, sequentially (the single-user answers), then lets
   ``--users`` concurrent ``gradio_client`` users ask ``--questions`` each (gold questions with their
   histories) and checks every request is answered with exactly the single-user answer;
3. ``--users`` × ``--ratings`` concurrent ``/feedback`` writes: every line lands whole, as valid JSON
   with only the documented keys;
4. ~20 bad inputs through ``/ask``: each gives a valid ``Answer`` (or, for a history that is not a
   list or a question that is not text, one clear rejection);
5. stops the app by its PID (also on error);
6. the file faults through the CLI against temporary copies of a small index: each must give its
   documented exit code and one ``error:`` line, and be fixed by ``build``.

Prints a Markdown summary and writes it to ``eval/reports/stress.md``. Exit status 0 when every
check passed. Everything else it writes goes to a temporary folder; the user's index is only read.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.app.feedback import FEEDBACK_FILE, FeedbackEntry  # noqa: E402
from assistant.config import settings  # noqa: E402
from assistant.corpus import read_corpus  # noqa: E402
from assistant.evaluation.scorer import percentile  # noqa: E402
from assistant.index.manifest import CHUNKS_FILE, FAISS_FILE, MANIFEST_FILE  # noqa: E402
from assistant.models import Answer  # noqa: E402

CORPUS = ROOT / "corpus"
SMALL_CORPUS = ROOT / "tests" / "data" / "other_plan"
SMALL_QUESTION = "北湖数字港2020年税收是多少？"
GOLD = ROOT / "eval" / "gold.jsonl"
REPORT = ROOT / "eval" / "reports" / "stress.md"
FEEDBACK_KEYS = {"question", "answer", "kind", "rating", "comment", "timestamp"}
HISTORY_ERROR = "history must be a list"
QUESTION_ERROR = "question must be a string"

# (label, question, history, expected rejection message or None for "a valid Answer")
BAD_INPUTS: list[tuple[str, object, object, str | None]] = [
    ("empty", "", [], None),
    ("whitespace", "   \n\t ", [], None),
    ("20 000 characters", "临港税收" * 5000, [], None),
    ("emoji", "😀🙂🚀？", [], None),
    ("English", "What was Lingang's tax revenue in 2020?", [], None),
    ("traditional characters", "臨港鬆江科技城2020年稅收是多少？", [], None),
    ("full-width digits", "２０２５年高企数量目标是多少？", [], None),
    ("<script>", "<script>alert(1)</script>", [], None),
    ("SQL-like", "'; DROP TABLE facts; -- 税收", [], None),
    ("control characters", "\x00\x07\x1b[31m税收\x7f", [], None),
    ("bidi override", "\u202e临港科技城税收", [], None),
    ("template syntax", "{{7*7}} ${jndi:x} 税收", [], None),
    ("path-like", "../../etc/passwd", [], None),
    ("history as a JSON string", "那中山工业园呢？", '["临港科技城2020年税收是多少？"]', None),
    ("history as a plain string", "那中山工业园呢？", "临港科技城2020年税收是多少？", None),
    ("history with null and numbers", "税收是多少？", [None, 3, "临港科技城"], None),
    ("history of 50 turns", "那它呢？", ["临港科技城高企有多少？"] * 50, None),
    ("question null", None, [], None),
    ("history a JSON object", "税收？", '{"a": 1}', HISTORY_ERROR),
    ("history a number", "税收？", 5, HISTORY_ERROR),
    ("question a number", 5, [], QUESTION_ERROR),
]


@dataclass
class Fault:
    """One file fault through the CLI: what it gave and whether ``build`` fixed it."""

    name: str
    expected: int
    got: int | None = None
    message: str = ""
    one_line: bool = False
    recovered: bool = False
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.got == self.expected and self.one_line and self.recovered


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self, at_most: float | None = None) -> float:
        left = max(1.0, self.end - time.monotonic())
        return min(left, at_most) if at_most else left


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f} ms"


# The app ----------------------------------------------------------------------------------------


def start_app(index: Path, home: Path, log: Path, deadline: Deadline) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {"PLAN_ASSISTANT_HOME": str(home), "GRADIO_ANALYTICS_ENABLED": "False"}
    command = [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port), "--index", str(index), "--corpus", str(CORPUS)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    limit = time.monotonic() + deadline.left(180)
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"app.py exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return process, url
        except OSError:
            if time.monotonic() > limit:
                stop_app(process)
                raise RuntimeError("app.py did not answer within 180 s") from None
            time.sleep(0.5)


def stop_app(process: subprocess.Popen) -> None:
    """Stop the app we started, by its PID: SIGTERM, then SIGKILL after 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def gold_questions() -> list[tuple[str, list[str]]]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["question"], row["history"]) for row in rows]


def client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


def single_user(url: str, questions: list[tuple[str, list[str]]], deadline: Deadline) -> tuple[list[dict], list[float]]:
    """Each question once, in order: the reference answers and the single-user latencies."""
    user = client(url)
    answers, latencies = [], []
    for question, history in questions:
        if time.monotonic() > deadline.end:
            raise RuntimeError("time limit reached during the single-user pass")
        began = time.perf_counter()
        answers.append(user.predict(question, history, api_name="/ask"))
        latencies.append(time.perf_counter() - began)
    return answers, latencies


@dataclass
class Load:
    served: int = 0
    failed: int = 0
    equal: int = 0
    unfinished: int = 0
    wall_s: float = 0.0
    latencies: list[float] | None = None
    errors: list[str] | None = None


def concurrent_users(
    url: str, questions: list[tuple[str, list[str]]], reference: list[dict], users: int, each: int, deadline: Deadline
) -> Load:
    """``users`` clients at once, ``each`` questions each (user u starts at question u·each)."""
    barrier = threading.Barrier(users)
    lock = threading.Lock()
    load = Load(latencies=[], errors=[])

    def user(number: int) -> None:
        session = client(url)
        barrier.wait(timeout=120)
        for turn in range(each):
            index = (number * each + turn) % len(questions)
            question, history = questions[index]
            began = time.perf_counter()
            try:
                answer = session.predict(question, history, api_name="/ask")
            except Exception as error:  # counted, not fatal: the figure is how many failed
                with lock:
                    load.failed += 1
                    load.errors.append(f"{question[:30]}: {str(error).splitlines()[0][:120] if str(error) else type(error).__name__}")
                continue
            elapsed = time.perf_counter() - began
            with lock:
                load.served += 1
                load.latencies.append(elapsed)
                load.equal += answer == reference[index]

    began = time.monotonic()
    pool = ThreadPoolExecutor(max_workers=users)
    futures = [pool.submit(user, number) for number in range(users)]
    done, pending = wait(futures, timeout=deadline.left())
    load.wall_s = time.monotonic() - began
    for future in done:
        if future.exception() is not None:
            load.errors.append(f"user failed: {future.exception()!r}")
    load.unfinished = users * each - load.served - load.failed
    pool.shutdown(wait=not pending, cancel_futures=True)
    return load


def concurrent_feedback(url: str, users: int, each: int, deadline: Deadline) -> tuple[int, list[str]]:
    """``users`` × ``each`` ratings at once; returns how many the app acknowledged and the sent questions."""
    barrier = threading.Barrier(users)
    sent: list[str] = []
    lock = threading.Lock()

    def user(number: int) -> int:
        session = client(url)
        barrier.wait(timeout=120)
        acknowledged = 0
        for turn in range(each):
            question = f"用户{number}的问题{turn}"
            comment = f"用户{number}第{turn}条意见" + "，很长的意见" * (300 * (turn % 2))
            status = session.predict(question, "答" * 2000, "passage", "up" if turn % 2 else "down", comment, api_name="/feedback")
            with lock:
                sent.append(question)
            acknowledged += status == "ok"
        return acknowledged

    with ThreadPoolExecutor(max_workers=users) as pool:
        futures = [pool.submit(user, number) for number in range(users)]
        done, _ = wait(futures, timeout=deadline.left())
    return sum(f.result() for f in done if f.exception() is None), sent


def feedback_lines(path: Path, sent: list[str]) -> tuple[int, int]:
    """Lines in the feedback file, and how many are whole JSON with only the documented keys."""
    if not path.is_file():
        return 0, 0
    lines = path.read_text(encoding="utf-8").splitlines()
    valid = 0
    for line in lines:
        try:
            entry = json.loads(line)
            FeedbackEntry.model_validate(entry)
        except ValueError:
            continue
        valid += set(entry) == FEEDBACK_KEYS and entry["question"] in sent
    return len(lines), valid


def verbatim(answer: Answer, texts: dict[str, str]) -> bool:
    spans = [*answer.citations, *(f.source for f in answer.figures if f.source)]
    return all(texts.get(s.doc, "")[s.start : s.end] == s.quote for s in spans)


def bad_inputs(url: str, texts: dict[str, str]) -> list[tuple[str, bool, str]]:
    """Each bad input through ``/ask``: (label, passed, what came back)."""
    session = client(url)
    results = []
    for label, question, history, rejection in BAD_INPUTS:
        try:
            data = session.predict(question, history, api_name="/ask")
        except Exception as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            results.append((label, rejection is not None and rejection in message, f"rejected: {message[:80]}"))
            continue
        try:
            answer = Answer.model_validate(data)
        except ValueError as error:
            results.append((label, False, f"not an Answer: {str(error).splitlines()[0]}"))
            continue
        passed = rejection is None and bool(answer.answer) and answer.reason != "internal_error" and verbatim(answer, texts)
        results.append((label, passed, f"{answer.kind}{' / ' + answer.reason if answer.reason else ''}"))
    return results


# File faults through the CLI -------------------------------------------------------------------


class Cli:
    def __init__(self, home: Path, tmp: Path) -> None:
        self.env = os.environ | {"PLAN_ASSISTANT_HOME": str(home)}
        self.env.pop("PLAN_ASSISTANT_MODEL", None)
        self.tmp = tmp

    def command(self, *args: object) -> list[str]:
        return [sys.executable, "-m", "assistant", *map(str, args)]

    def run(self, *args: object, timeout: float = 300) -> tuple[int, str, str]:
        done = subprocess.run(self.command(*args), cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout)
        return done.returncode, done.stdout, done.stderr

    def shown(self, text: str) -> str:
        return text.replace(str(self.tmp), "$TMP")


def error_line(stderr: str) -> tuple[str, bool]:
    """The ``error:`` line, and whether it is the only error line and no traceback came."""
    lines = [line for line in re.split(r"[\r\n]", stderr) if line.startswith("error:")]
    return (lines[-1] if lines else stderr.strip()[-200:]), len(lines) == 1 and "Traceback" not in stderr


def check_ok(cli: Cli, index: Path, corpus: Path = SMALL_CORPUS) -> bool:
    return cli.run("check", "--index", index, "--corpus", corpus)[0] == 0


def rebuilt(cli: Cli, index: Path, corpus: Path = SMALL_CORPUS) -> bool:
    code, _, _ = cli.run("build", "--corpus", corpus, "--index", index)
    leftovers = [p for p in index.parent.iterdir() if p.name.startswith(f".{index.name}.")]
    return code == 0 and not leftovers and check_ok(cli, index, corpus)


def fault_cases(cli: Cli, base: Path, work: Path) -> list[Fault]:
    """Every file fault on its own copy of ``base`` (an index of the small plan)."""
    results: list[Fault] = []

    def case(name: str, expected: int, body: Callable[[Fault, Path], None]) -> None:
        fault = Fault(name, expected)
        folder = work / f"case{len(results) + 1:02d}"
        folder.mkdir()
        try:
            body(fault, folder)
        except Exception as error:  # a broken case is reported, the others still run
            fault.note = f"case failed: {error!r}"[:200]
        results.append(fault)
        print(f"  {'ok ' if fault.ok else 'BAD'} {name}: exit {fault.got} (expected {expected}) {cli.shown(fault.message)}", flush=True)

    def record(fault: Fault, result: tuple[int, str, str]) -> None:
        fault.got = result[0]
        fault.message, fault.one_line = error_line(result[2])

    def copy(folder: Path) -> Path:
        index = folder / "index"
        shutil.copytree(base, index)
        return index

    def damaged(change: Callable[[Path], None]) -> Callable[[Fault, Path], None]:
        def body(fault: Fault, folder: Path) -> None:
            index = copy(folder)
            change(index)
            record(fault, cli.run("ask", SMALL_QUESTION, "--index", index, "--corpus", SMALL_CORPUS))
            fault.recovered = rebuilt(cli, index)

        return body

    def missing(fault: Fault, folder: Path) -> None:
        index = folder / "index"
        record(fault, cli.run("ask", SMALL_QUESTION, "--index", index, "--corpus", SMALL_CORPUS))
        fault.recovered = rebuilt(cli, index)

    def other_corpus(fault: Fault, folder: Path) -> None:
        index, corpus = copy(folder), folder / "corpus"
        shutil.copytree(SMALL_CORPUS, corpus)
        plan = next(corpus.glob("*.txt"))
        plan.write_text(plan.read_text(encoding="utf-8").replace("税收6.4亿元", "税收6.5亿元"), encoding="utf-8")
        record(fault, cli.run("ask", SMALL_QUESTION, "--index", index, "--corpus", corpus))
        fault.recovered = rebuilt(cli, index, corpus)

    def truncate(index: Path) -> None:
        path = index / FAISS_FILE
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])

    def manifest_field(index: Path) -> None:
        path = index / MANIFEST_FILE
        path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), "dimension": "wide"}), encoding="utf-8")

    def encodings(fault: Fault, folder: Path) -> None:
        from assistant.evaluation.synthetic import write_corpus

        corpus, index = folder / "corpus", folder / "index"
        documents = write_corpus(SMALL_CORPUS, corpus, 2)
        (corpus / f"{documents[0].doc}.txt").write_bytes(documents[0].text.encode("gbk"))
        (corpus / f"{documents[1].doc}.txt").write_bytes(codecs.BOM_UTF8 + documents[1].text.encode("utf-8"))
        code, out, err = cli.run("build", "--corpus", corpus, "--index", index)
        fault.got, fault.one_line = code, "Traceback" not in err
        fault.message = out.strip().splitlines()[-1] if out.strip() else error_line(err)[0]
        texts = {source.doc: source.text for source in read_corpus(corpus)}
        batch = folder / "questions.jsonl"
        batch.write_text(
            "".join(
                json.dumps({"id": d.doc, "question": f"{d.names['北湖数字港']}2020年税收是多少？"}, ensure_ascii=False) + "\n"
                for d in documents
            ),
            encoding="utf-8",
        )
        code, out, _ = cli.run("ask", "--batch", batch, "--index", index, "--corpus", corpus)
        answers = [Answer.model_validate_json(line) for line in out.splitlines() if line.strip()]
        fault.recovered = (
            code == 0
            and len(answers) == 2
            and all(a.figures and not a.refused and a.figures[0].source.doc == a.id and verbatim(a, texts) for a in answers)
        )

    def empty_corpus(fault: Fault, folder: Path) -> None:
        corpus, index = folder / "corpus", folder / "index"
        corpus.mkdir()
        record(fault, cli.run("build", "--corpus", corpus, "--index", index))
        for path in SMALL_CORPUS.iterdir():
            shutil.copy(path, corpus)
        fault.recovered = rebuilt(cli, index, corpus)

    def corpus_file(fault: Fault, folder: Path) -> None:
        corpus, index = folder / "corpus", folder / "index"
        corpus.write_text("一段文字", encoding="utf-8")
        record(fault, cli.run("build", "--corpus", corpus, "--index", index))
        corpus.unlink()
        shutil.copytree(SMALL_CORPUS, corpus)
        fault.recovered = rebuilt(cli, index, corpus)

    def not_writable(fault: Fault, folder: Path) -> None:
        blocker = folder / "parent"
        blocker.write_text("a file where the index's parent folder should be", encoding="utf-8")
        record(fault, cli.run("build", "--corpus", SMALL_CORPUS, "--index", blocker / "index"))
        blocker.unlink()
        fault.recovered = rebuilt(cli, blocker / "index")

    def interrupted(fault: Fault, folder: Path) -> None:
        """SIGINT to a real build once it reports the embedding step (model load or embedding)."""
        index = copy(folder)
        before = {p.name: p.read_bytes() for p in index.iterdir() if p.is_file()}
        process = subprocess.Popen(
            cli.command("build", "--corpus", SMALL_CORPUS, "--index", index),
            cwd=ROOT,
            env=cli.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        seen = bytearray()
        limit = time.monotonic() + 120
        while b"embed" not in seen and time.monotonic() < limit:
            chunk = os.read(process.stderr.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
        time.sleep(0.5)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        rest_out, rest_err = process.communicate(timeout=120)
        stderr = (bytes(seen) + rest_err).decode("utf-8", errors="replace")
        record(fault, (process.returncode, rest_out.decode(), stderr))
        leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".index.")]
        intact = before == {p.name: p.read_bytes() for p in index.iterdir() if p.is_file()}
        fault.note = f"old index intact: {intact}, loads: {check_ok(cli, index)}, leftovers: {leftovers or 'none'}"
        fault.recovered = intact and not leftovers and check_ok(cli, index) and rebuilt(cli, index)

    def bad_batch(fault: Fault, folder: Path) -> None:
        batch = folder / "questions.jsonl"
        batch.write_text('{"id": "a", "question": "北湖数字港税收？"}\n{"id": "b", "question": \n', encoding="utf-8")
        record(fault, cli.run("search", "--batch", batch, "--index", base, "--corpus", SMALL_CORPUS))
        fault.one_line = fault.one_line and "line 2" in fault.message
        batch.write_text('{"id": "a", "question": "北湖数字港税收？"}\n{"id": "b", "question": "专利申请"}\n', encoding="utf-8")
        code, out, _ = cli.run("search", "--batch", batch, "-k", "3", "--index", base, "--corpus", SMALL_CORPUS)
        fault.recovered = code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == ["a", "b"]

    def k_zero(fault: Fault, folder: Path) -> None:
        record(fault, cli.run("search", SMALL_QUESTION, "-k", "0", "--index", base, "--corpus", SMALL_CORPUS))
        code, out, _ = cli.run("search", SMALL_QUESTION, "-k", "2", "--json", "--index", base, "--corpus", SMALL_CORPUS)
        fault.recovered = code == 0 and len(out.splitlines()) == 2

    case("missing index", 4, missing)
    case("index from another corpus (copied corpus modified)", 5, other_corpus)
    case("truncated FAISS file", 6, damaged(truncate))
    case("manifest not JSON", 6, damaged(lambda index: (index / MANIFEST_FILE).write_text('{"format": 2,', encoding="utf-8")))
    case("manifest field of the wrong type", 6, damaged(manifest_field))
    case("chunks file missing", 6, damaged(lambda index: (index / CHUNKS_FILE).unlink()))
    case("corpus of a GBK plan and a UTF-8-BOM plan", 0, encodings)
    case("empty corpus folder", 3, empty_corpus)
    case("corpus path is a file", 3, corpus_file)
    case("index folder not writable (its parent is a file)", 7, not_writable)
    case("build interrupted by SIGINT", 130, interrupted)
    case("malformed --batch line", 2, bad_batch)
    case("search -k 0", 2, k_zero)
    return results


# Report -----------------------------------------------------------------------------------------


def summary(
    args: argparse.Namespace, figures: dict[str, object], bad: list[tuple[str, bool, str]], faults: list[Fault], cli: Cli | None
) -> str:
    lines = [
        "# Stress run",
        "",
        f"{datetime.now(UTC).isoformat(timespec='seconds')} · {platform.machine()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · app `python app.py` on 127.0.0.1 · {args.users} users × {args.questions} questions, "
        f"{args.users} × {args.ratings} ratings",
        "",
        "| figure | value |",
        "|---|---|",
    ]
    lines += [f"| {name} | {value} |" for name, value in figures.items()]
    if bad:
        lines += ["", "Bad inputs through `/ask`:", "", "| input | passed | result |", "|---|---|---|"]
        lines += [f"| {label} | {'yes' if ok else '**no**'} | {result.replace('|', '/')} |" for label, ok, result in bad]
    if faults and cli:
        lines += [
            "",
            "File faults through the CLI (temporary copies of an index of `tests/data/other_plan`):",
            "",
            "| case | exit (expected) | one line, no traceback | message | fixed by `build` |",
            "|---|---|---|---|---|",
        ]
        for fault in faults:
            message = cli.shown(fault.message).replace("|", "/")
            note = f" ({cli.shown(fault.note)})" if fault.note else ""
            lines.append(
                f"| {fault.name} | {fault.got} ({fault.expected}) | {'yes' if fault.one_line else '**no**'} | `` {message} `` | "
                f"{'yes' if fault.recovered else '**no**'}{note} |"
            )
    return "\n".join(lines) + "\n"


def ensure_index(index: Path, cli: Cli, work: Path) -> Path:
    """The configured index when current, else a fresh one in the temporary folder."""
    if cli.run("check", "--index", index, "--corpus", CORPUS)[0] == 0:
        return index
    fresh = work / "index"
    print(f"index {index} missing or stale: building a temporary one", flush=True)
    code, _, err = cli.run("build", "--corpus", CORPUS, "--index", fresh, timeout=600)
    if code != 0:
        raise RuntimeError(f"build failed: {error_line(err)[0]}")
    return fresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=settings().index_dir, help="index of the real corpus (default: index)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10, help="questions per user")
    parser.add_argument("--ratings", type=int, default=5, help="feedback writes per user")
    parser.add_argument("--timeout", type=float, default=900, help="overall time limit in seconds")
    parser.add_argument("--skip-faults", action="store_true", help="only the app part")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    if min(args.users, args.questions, args.ratings) < 1:
        parser.error("--users, --questions and --ratings must be at least 1")

    deadline = Deadline(args.timeout)
    figures: dict[str, object] = {}
    bad: list[tuple[str, bool, str]] = []
    faults: list[Fault] = []
    ok = True
    with tempfile.TemporaryDirectory(prefix="plan-stress-") as temporary:
        work = Path(temporary)
        home = work / "home"
        home.mkdir()
        models = settings().model_cache.resolve()
        models.mkdir(parents=True, exist_ok=True)
        (home / "models").symlink_to(models)  # the converted model, shared; feedback lands in home
        cli = Cli(home, work)
        index = ensure_index(args.index, cli, work)

        questions = gold_questions()
        total = args.users * args.questions
        questions = questions[: min(len(questions), total)]
        texts = {source.doc: source.text for source in read_corpus(CORPUS)}
        print(f"starting app.py on {index} …", flush=True)
        started = time.monotonic()
        process, url = start_app(index, home, work / "app.log", deadline)
        try:
            print(f"app up in {time.monotonic() - started:.1f} s at {url}; single-user pass over {len(questions)} questions", flush=True)
            reference, single = single_user(url, questions, deadline)
            print(f"{args.users} concurrent users × {args.questions} questions …", flush=True)
            load = concurrent_users(url, questions, reference, args.users, args.questions, deadline)
            print(f"{args.users} × {args.ratings} concurrent feedback writes …", flush=True)
            acknowledged, sent = concurrent_feedback(url, args.users, args.ratings, deadline)
            print("bad inputs …", flush=True)
            bad = bad_inputs(url, texts)
            app_alive = process.poll() is None
        finally:
            stop_app(process)
        written, valid = feedback_lines(home / "feedback" / FEEDBACK_FILE, sent)
        expected_feedback = args.users * args.ratings
        figures = {
            "requests served / failed / unfinished": f"{load.served} / {load.failed} / {load.unfinished} (of {total})",
            "answers equal to the single-user answer": f"{load.equal} / {load.served}",
            "latency p50 / p95 under load": f"{ms(percentile(load.latencies, 0.5))} / {ms(percentile(load.latencies, 0.95))}",
            "latency p50 / p95 single user": f"{ms(percentile(single, 0.5))} / {ms(percentile(single, 0.95))}",
            "throughput under load": f"{load.served / load.wall_s:.1f} answers/s over {load.wall_s:.1f} s",
            "feedback lines written / valid": f"{written} / {valid} (sent {expected_feedback}, acknowledged {acknowledged})",
            "bad inputs tried / passed": f"{len(bad)} / {sum(passed for _, passed, _ in bad)}",
            "app still up after the run": "yes" if app_alive else "**no**",
        }
        ok = (
            load.served == load.equal == total
            and load.failed == 0
            and app_alive
            and written == valid == acknowledged == expected_feedback
            and all(passed for _, passed, _ in bad)
        )
        for error in (load.errors or [])[:5]:
            print(f"  request error: {error}", flush=True)

        if not args.skip_faults:
            print("file faults through the CLI …", flush=True)
            base = work / "small-index"
            code, _, err = cli.run("build", "--corpus", SMALL_CORPUS, "--index", base)
            if code != 0:
                raise RuntimeError(f"small build failed: {error_line(err)[0]}")
            faults = fault_cases(cli, base, work)
            figures["fault cases tried / expected exit code / recovered"] = (
                f"{len(faults)} / {sum(f.got == f.expected and f.one_line for f in faults)} / {sum(f.recovered for f in faults)}"
            )
            ok = ok and all(fault.ok for fault in faults)
        figures["total time"] = f"{args.timeout - (deadline.end - time.monotonic()):.0f} s"
        report = summary(args, figures, bad, faults, cli)
    print()
    print(report)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report, encoding="utf-8")
    print(f"written to {args.report.relative_to(ROOT) if args.report.is_relative_to(ROOT) else args.report}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
