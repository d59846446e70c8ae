"""Start the 规划知识助手 app: the chat UI, figures explorer, plan browser and the ``/ask`` API."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="规划知识助手: Gradio UI and API")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", DEFAULT_PORT)),
        help=f"port (default $GRADIO_SERVER_PORT or {DEFAULT_PORT})",
    )
    parser.add_argument("--index", type=Path, default=None, help="index folder (default $PLAN_ASSISTANT_INDEX or index)")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default $PLAN_ASSISTANT_CORPUS or corpus)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from assistant.app.ui import create_app, launch

    launch(create_app(args.index, args.corpus), args.host, args.port)


if __name__ == "__main__":
    main()
