"""Start the 规划知识助手 app: the chat UI, figures explorer, plan browser and the ``/ask`` API.

A wrong port (not a number, out of range, already in use), a bad setting or Ctrl-C while starting
is one ``error:`` line and the exit code of ``assistant/errors.py``, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from pathlib import Path

from assistant.cli import OneLineParser
from assistant.errors import INTERRUPTED_EXIT, AssistantError, InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
PORT_ENV = "GRADIO_SERVER_PORT"


def port_number(text: str) -> int:
    """A TCP port, 1-65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be a number from 1 to 65535, not {text!r}")
    return port


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = OneLineParser(prog="app.py", description="规划知识助手: Gradio UI and API")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=port_number, default=None, help=f"port (default ${PORT_ENV} or {DEFAULT_PORT})")
    parser.add_argument("--index", type=Path, default=None, help="index folder (default $PLAN_ASSISTANT_INDEX or index)")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default $PLAN_ASSISTANT_CORPUS or corpus)")
    args = parser.parse_args(argv)
    if args.port is None:
        try:
            args.port = port_number(os.environ.get(PORT_ENV, str(DEFAULT_PORT)))
        except argparse.ArgumentTypeError as error:
            parser.error(f"{PORT_ENV}: {error}")
    return args


def check_port_free(host: str, port: int) -> None:
    """Fail in a moment, before the model loads, when the address cannot be listened on."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.create_server((host, port), family=family):
            pass
    except OSError as error:
        raise InputError(_listen_error(host, port, error)) from error


def _listen_error(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE or "empty port" in str(error):  # Gradio's words for a port in use
        reason = "the port is in use; stop the other server or choose another with --port"
    else:
        reason = (error.strerror or str(error) or type(error).__name__).splitlines()[0]
    return f"cannot listen on {host}:{port}: {reason}"


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        check_port_free(args.host, args.port)
        os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
        from assistant.app.ui import create_app, launch

        demo = create_app(args.index, args.corpus)
        try:
            launch(demo, args.host, args.port)
        except OSError as error:  # taken between the check and the launch
            raise InputError(_listen_error(args.host, args.port, error)) from error
    except AssistantError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return INTERRUPTED_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
