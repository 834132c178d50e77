"""The ``gialai-remote`` console script and ``python -m gialai_remote``: :func:`cli`.

It imports nothing of the command line until it has to, so that Ctrl-C while the tool is
still starting (importing typer, the commands, the message catalogue: the first 70 ms or so)
ends the run the way Ctrl-C does later: one line on stderr ("Đã dừng." / "Interrupted."), exit 130
(docs/contract.md), never a traceback. Only Python's own start-up, before this module runs, is
outside its reach.
"""

from __future__ import annotations

import sys


def cli() -> None:
    """Run :func:`gialai_remote.cli.main.cli`; Ctrl-C while it is imported exits 130 with one line."""
    try:
        from gialai_remote.cli.main import cli as run
    except KeyboardInterrupt:
        _interrupted()
    run()


def _interrupted() -> None:
    """Say on stderr that the run was stopped, in the run's language, and exit 130 at once."""
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the message
    try:
        from gialai_remote.cli.helptext import prescan_lang
        from gialai_remote.i18n import t

        message = t("error.interrupted", prescan_lang(sys.argv[1:]))
    except Exception:  # pragma: no cover - the catalogue itself cannot be imported
        message = "Đã dừng."
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, UnicodeEncodeError):
        pass
    os._exit(130)
