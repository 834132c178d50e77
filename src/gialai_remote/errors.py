"""Exit codes and the errors that become them.

Every exit code of ``docs/contract.md`` is named once here. The core raises these errors; only
``gialai_remote.cli.main`` turns them into exit codes and one-line messages on stderr.
"""

from __future__ import annotations

import enum

from gialai_remote.records import Record


class ExitCode(enum.IntEnum):
    """The process exit codes of every command (docs/contract.md, "Exit codes")."""

    OK = 0
    #: A negative answer: nothing recommended, plan not allowed, validation problems found.
    NEGATIVE = 1
    #: Usage error: unknown command, option, id or value; a required answer missing.
    USAGE = 2
    #: The knowledge base cannot be read or is invalid.
    KNOWLEDGE_BASE = 3
    #: The answer could not be written to stdout (a full disk, an I/O error): EX_IOERR of
    #: sysexits.h. A closed pipe is not this (the reader left: the answer's own code).
    OUTPUT = 74
    #: Interrupted: Ctrl-C, or end of input at a prompt.
    INTERRUPTED = 130
    #: A bug in gialai-remote itself (EX_SOFTWARE of sysexits.h); not part of docs/contract.md's
    #: answers, so scripts can tell it from every documented outcome.
    INTERNAL = 70


class Problem(Record):
    """One problem found in a knowledge-base file.

    Attributes:
        path: the file as the user named it ("<built-in>" for the shipped file).
        line: 1-based line of the offending node (0 when unknown).
        column: 1-based column (0 when unknown).
        code: a stable kebab-case code, e.g. "duplicate-key".
        message: one line, in the user's language.
        severity: "error" or "warning".
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        """``PATH:LINE:COLUMN: CODE message`` on one line: line breaks in the path or the
        message (a value quoted from the file) are shown as ``\\n`` and ``\\r``."""
        return one_line(f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}")


#: Every character ``str.splitlines`` breaks a line at, and how :func:`one_line` shows it.
_LINE_BREAKS = {
    "\n": "\\n",
    "\r": "\\r",
    "\x0b": "\\x0b",
    "\x0c": "\\x0c",
    "\x1c": "\\x1c",
    "\x1d": "\\x1d",
    "\x1e": "\\x1e",
    "\x85": "\\x85",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_BREAKS = str.maketrans(_LINE_BREAKS)


def one_line(text: str) -> str:
    r"""``text`` with every line break shown as an escape (``\n``, ``\r``, ``\x85``...).

    So a message that quotes a value (a path, a URL) stays one line on stderr, whatever the
    value holds. Other control characters are left to the terminal-safe rendering of the caller
    (``gialai_remote.render.words.safe``), which shows them as ``\xNN``.

    >>> one_line("a\nb")
    'a\\nb'
    """
    return text.translate(_BREAKS)


class GialaiError(Exception):
    """Base of the errors that end a command with a documented exit code.

    Attributes:
        exit_code: the :class:`ExitCode` the process ends with.
    """

    exit_code: int = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(GialaiError):
    """A bad flag, id or value, or a missing answer where no prompt is possible (exit 2).

    The message is one line: line breaks in the values it quotes are shown as ``\\n``.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class UnknownIdError(UsageError, KeyError):
    """An id the knowledge base does not have, given to the Python API (exit 2 at the CLI).

    Raised by :func:`gialai_remote.decide.decide`, :func:`gialai_remote.decide.check`,
    :func:`gialai_remote.describe.describe_tool` and
    :func:`gialai_remote.handout.build_handout` for a role, task, sensitivity, platform or
    tool id that is not in the knowledge base (the CLI resolves what users type first, so
    it never gets there). A subclass of :class:`KeyError`, which those functions raised for
    an unknown tool before, and of :class:`UsageError`.

    Attributes:
        kind: the vocabulary or entry list searched: "roles", "tasks", "sensitivities",
            "platforms" or "tools".
        value: the id that was not found.
        choices: the ids that list does have, in file order.
        message: one line naming the kind, the id and the choices, in the caller's language.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, kind: str, value: str, choices: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.value = value
        self.choices = choices

    def __str__(self) -> str:
        # KeyError would show the message quoted, as a repr.
        return self.message


class KnowledgeBaseError(GialaiError):
    """The knowledge base cannot be read or is invalid (exit 3).

    Attributes:
        problems: every problem found, each printed as ``PATH:LINE:COLUMN: CODE message``.
    """

    exit_code = ExitCode.KNOWLEDGE_BASE

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Interrupted(GialaiError):
    """The user pressed Ctrl-C or ended input at a prompt (exit 130)."""

    exit_code = ExitCode.INTERRUPTED


class Terminated(GialaiError):
    """A termination signal (SIGTERM, SIGHUP, SIGQUIT) arrived while a file was written.

    The write was undone first (the folder is as it was). The exit code is 128 + the signal's
    number (143 for SIGTERM, 129 for SIGHUP, 131 for SIGQUIT), what a shell reports for a
    process the signal ended, so scripts see the same code whether or not the signal came
    during a write; Ctrl-C (SIGINT) keeps its 130.

    Attributes:
        signum: the signal's number.
    """

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(one_line(message))
        self.signum = signum
        self.exit_code = 128 + signum
