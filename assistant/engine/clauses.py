"""Clauses of a question: which one asks, and which only set the asker's scene.

"海归博士回国创业的话，园区对高端人才有啥政策" sets a scene in its first clause and asks in its last;
"手上有几项专利想转化，有没有平台可以对接" writes 几 in its scene, not in what it asks.
"""

from __future__ import annotations

import re

CLAUSE_BREAK = re.compile(r"[,，;；。?？!！]+")
QUESTIONED_SENTENCE = re.compile(r"([^;；。?？!！]+)[?？]")
LISTED = re.compile(r"和|以及|及|还有|跟|与|还是|、|\bvs\b|VS|，|,|\s+")  # between the things a question lists or sets against each other
ASKING = re.compile(r"吗|呢|多少|几|哪|什么|啥|怎么|怎样|如何|是否|是不是|有没有|多大|多高|多长|谁")
ASKER = re.compile(r"我(?!区|们?园)|咱(?!们?园)")  # 我们园区 / 我区 is the park, not the asker
FIVE_YEAR_PERIOD = r"十[一二三四五]五"  # 十四五: a plan's period, a time rather than a topic
TOPIC_MARKER = r"这块|这一块|那块|这方面|方面|板块"  # 甲这块 / 甲方面: the asker marks 甲 as the topic
TOPIC_MARK = re.compile(rf"([\u4e00-\u9fffA-Za-z0-9]{{2,8}})({TOPIC_MARKER})")
COUNTED = re.compile(r"(?:多少|几)[个家所项件台套座名位]([\u4e00-\u9fff]{2,4})")


def clauses(text: str) -> list[str]:
    return [clause for clause in CLAUSE_BREAK.split(text) if clause]


def questioned_clauses(text: str) -> list[str]:
    """The clauses of sentences a question mark closes, however tersely they ask (甲 上市挂牌，专精特新？)."""
    return [clause for match in QUESTIONED_SENTENCE.finditer(text) for clause in clauses(match.group(1))]


def asking_clauses(text: str) -> list[str]:
    return [clause for clause in clauses(text) if ASKING.search(clause)]


def asking_clause(text: str) -> str:
    """The last clause holding a question word, else the whole text."""
    asking = asking_clauses(text)
    return asking[-1] if asking else text


def without_asker_scene(text: str) -> str:
    """The text less clauses in which the asker speaks of themselves and asks nothing (我在做某类指标的
    研究，想问下…): their words (指标, 情况) are what the asker does, not what is asked."""
    kept = [clause for clause in clauses(text) if ASKING.search(clause) or not ASKER.search(clause)]
    return "，".join(kept) if any(ASKING.search(clause) for clause in kept) else text  # 我想了解甲的情况，谢谢: a request


def counted_noun(question: str) -> str | None:
    """What a count asks about (多少个机柜 → 机柜, 几家企业 → 企业), if the question says."""
    match = COUNTED.search(question)
    return match.group(1) if match else None
