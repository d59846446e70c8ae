"""Retrieval over an index folder: BM25 and dense rankings, fused by reciprocal rank."""
