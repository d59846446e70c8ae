"""The answer engine: understand a question, answer from facts or passages, or refuse with a reason."""
