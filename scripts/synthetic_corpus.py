"""Write a synthetic corpus of N plan-like documents for scaling runs.

Each document is a plan of ``--corpus`` renamed (``第{i}号高新区``, ``第{i}号甲园`` …) and with its
figures scaled by a per-document factor; a matching ``lexicon.json`` makes the new aliases
resolve. See :mod:`assistant.evaluation.synthetic` for the rules. Importable: ``write_corpus`` is
re-exported here.

    python scripts/synthetic_corpus.py 10 /tmp/synthetic-10
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.evaluation.synthetic import SyntheticDocument, write_corpus

__all__ = ["SyntheticDocument", "main", "write_corpus"]

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N renamed and rescaled copies of a corpus's plans")
    parser.add_argument("count", type=int, help="number of documents to generate (≥ 1)")
    parser.add_argument("target", type=Path, help="folder to write (created; existing files are overwritten)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="source corpus (default: corpus)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    documents = write_corpus(args.corpus, args.target, args.count)
    factors = sorted({str(document.factor) for document in documents})
    print(f"wrote {len(documents)} documents and lexicon.json to {args.target} (figure factors {', '.join(factors)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
