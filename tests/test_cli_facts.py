"""``plan-assistant facts`` works from the corpus alone and fails with one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main

CORPUS = Path(__file__).parents[1] / "corpus"


def test_facts_json_lists_both_tables_and_all_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", "--json", "--corpus", str(CORPUS)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    origins = {row["origin"] for row in rows}
    assert {"table1", "table2", "profile", "narrative"} <= origins
    assert len({row["subject"] for row in rows if row["origin"] == "profile"}) == 7


def test_facts_table_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", "--corpus", str(CORPUS)]) == 0
    assert "subject" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["missing", "file", "empty"])
def test_bad_corpus_path_is_one_line(tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "corpus"
    if kind == "file":
        target.write_text("x", encoding="utf-8")
    if kind == "empty":
        target.mkdir()
    assert main(["facts", "--corpus", str(target)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_argument_mistakes_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["search", "-k", "abc", "税收"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_leftovers_of_a_killed_build_are_removed(tmp_path: Path) -> None:
    from assistant.index.build import remove_leftovers

    index = tmp_path / "index"
    for name in (".index.building-dead", ".index.old-dead"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "faiss.index").write_bytes(b"x")
    (tmp_path / ".other.building-keep").mkdir()
    remove_leftovers(index)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.building-keep"]


def test_version_is_printed(capsys) -> None:
    from assistant.cli import main

    try:
        main(["--version"])
    except SystemExit as exit_:
        assert exit_.code == 0
    assert capsys.readouterr().out.startswith("plan-assistant 0.")
