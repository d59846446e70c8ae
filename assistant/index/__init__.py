"""The index folder: section-aware chunks, facts, lexicon, BM25 and FAISS files, and their manifest."""
