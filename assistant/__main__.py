"""``python -m assistant`` is the ``plan-assistant`` command."""

from assistant.cli import main

raise SystemExit(main())
