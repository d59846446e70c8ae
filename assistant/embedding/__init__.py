"""Sentence embeddings: the bundled multilingual-e5-small, converted once, behind one small encoder."""
