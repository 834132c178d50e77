"""Exit codes and the errors that become them.

Every exit code of ``CONTRACT.md`` is named once here. The core raises these errors; only
``gialai_remote.cli.main`` turns them into exit codes and one-line messages on stderr.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """The process exit codes of every command (CONTRACT.md, "Exit codes")."""

    OK = 0
    #: A negative answer: nothing recommended, plan not allowed, validation problems found.
    NEGATIVE = 1
    #: Usage error: unknown command, option, id or value; a required answer missing.
    USAGE = 2
    #: The knowledge base cannot be read or is invalid.
    KNOWLEDGE_BASE = 3
    #: Interrupted: Ctrl-C, or end of input at a prompt.
    INTERRUPTED = 130
    #: A bug in gialai-remote itself (EX_SOFTWARE of sysexits.h); not part of CONTRACT.md's
    #: answers, so scripts can tell it from every documented outcome.
    INTERNAL = 70


@dataclass(frozen=True, slots=True)
class Problem:
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
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


class GialaiError(Exception):
    """Base of the errors that end a command with a documented exit code.

    Attributes:
        exit_code: the :class:`ExitCode` the process ends with.
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(GialaiError):
    """A bad flag, id or value, or a missing answer where no prompt is possible (exit 2)."""

    exit_code = ExitCode.USAGE


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
