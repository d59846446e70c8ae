"""The Gradio app (``ui``), its pure HTML rendering (``render``) and the feedback store.

Kept import-free so ``render`` and ``feedback`` load without Gradio.
"""
