"""The engine on plans it was not tuned on: a made-up plan, and the real plan renamed and renumbered.

The same kinds of question must be answered from each corpus's own facts and text — names,
figures, dossiers and refusals all come from the documents, none from code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OTHER = ROOT / "tests" / "data" / "other_plan"
REAL = ROOT / "corpus"
RENAMES = {
    "临港松江科技城": "滨海未来科技城",
    "临港科技城": "滨海科技城",
    "中山工业园": "南山工业园",
    "中山园": "南山园",
    "莘莘学子": "青青学子",
    "洞泾": "洛泾",
    "税收25亿元": "税收27亿元",
    "有注册企业882家": "有注册企业883家",
}


def _assistant(corpus: Path, index: Path, model_cache: Path):
    from assistant.engine.assistant import Assistant
    from assistant.index.build import build_index

    build_index(corpus, index, cache_dir=model_cache, progress=False)
    return Assistant.load(index, corpus)


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    return _assistant(OTHER, tmp_path_factory.mktemp("other") / "index", model_cache)


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory, model_cache: Path):
    corpus = tmp_path_factory.mktemp("renamed-corpus")
    for source in REAL.iterdir():
        text = source.read_text(encoding="utf-8")
        for old, new in RENAMES.items():
            text = text.replace(old, new)
        (corpus / source.name).write_text(text, encoding="utf-8")
    return _assistant(corpus, tmp_path_factory.mktemp("renamed") / "index", model_cache)


def test_other_plan_lookups_refusals_and_prose_figures(other) -> None:
    assert "6.4亿元" in other.ask("北湖数字港2020年税收是多少？").answer
    assert "约1.1万人" in other.ask("南湖医谷有多少员工？").answer
    absent = other.ask("东湖智造基地的产值是多少？")
    assert absent.refused and absent.reason == "field_absent"
    assert "12.5%" in other.ask("专利申请同比增长多少？").answer
    look_alike = other.ask("西湖数字港的税收是多少？")
    assert look_alike.refused and look_alike.reason == "subject_not_in_plan"


def test_other_plan_dossiers_and_suitability(other) -> None:
    assert set(other.dossiers) == {"北湖数字港", "南湖生命科学园", "东湖智造基地"}
    where = other.ask("北湖数字港在哪里？")
    assert "湖滨路" in where.answer
    suits = other.ask("做创新药的企业适合去哪个园区？")
    assert suits.answer.startswith("最相关的是南湖生命科学园")


def test_renamed_plan_answers_from_its_own_names_and_figures(renamed) -> None:
    assert "27亿元" in renamed.ask("滨海科技城2020年税收是多少？").answer
    assert "883家" in renamed.ask("南山工业园注册企业多少家").answer
    top = renamed.ask("哪个子园税收最高？")
    assert top.figures[0].subject == "滨海未来科技城" and "27亿元" in top.answer
    absent = renamed.ask("青青学子创业园有多少员工？")
    assert absent.refused and absent.reason == "field_absent"
    fields = renamed.ask("洛泾那边集聚了哪些细分领域？")
    assert "工业机器人" in fields.answer
    assert all("临港" not in s.label and "莘莘" not in s.label for s in renamed.dossiers.values())
