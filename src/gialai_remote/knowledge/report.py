"""The problems found in a knowledge-base file: their codes, the collector, the report.

Every check (:mod:`~gialai_remote.knowledge.read`, :mod:`~gialai_remote.knowledge.parse`,
:mod:`~gialai_remote.knowledge.structure`, :mod:`~gialai_remote.knowledge.meaning`) reports
what it finds to one :class:`Collector` per file, which words each problem in the user's
language (through the catalogue), drops exact repeats and keeps a bounded number of them
(:data:`MAX_PROBLEMS`). What validation found is a :class:`Report`.

The bound keeps ``validate`` and every ``--data`` load linear on a file full of mistakes
(issue 11: 100,000 unknown references in a 1.8 MB file): a problem that is not printed costs
one short message and a counter, and whatever makes a message expensive (a suggestion, a list
of known ids, the value YAML 1.1 made of a text) is a :class:`Later` parameter, worked out only
for the problems printed.

This module imports no other module of the package.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gialai_remote.errors import Problem
from gialai_remote.i18n import t

if TYPE_CHECKING:
    from gialai_remote.model import KnowledgeBase
    from gialai_remote.stack import Stack

#: Where a value is in the document: mapping keys and list indexes, e.g. ("tools", 3, "name").
JsonPath = tuple[str | int, ...]
#: (line, column), both 1-based; (0, 0) when unknown. In a stack of files (a base and its
#: layers, :mod:`gialai_remote.knowledge.layers`) it may be an :class:`At`, which also names
#: its file.
Position = tuple[int, int]


class At(tuple):  # type: ignore[type-arg]
    """A (line, column) position in a named file of a stack: ``At(12, 5, "co-quan.yaml")``.

    It unpacks and compares as the plain pair; :class:`Collector` reads :attr:`path` to put
    the problem in that file instead of the collector's own.

    Attributes:
        path: the file's display path.
    """

    path: str

    def __new__(cls, line: int, column: int, path: str) -> At:
        """Args: line, column: 1-based (0 when unknown); path: the file's display path."""
        self = super().__new__(cls, (line, column))
        self.path = path
        return self


ERROR = "error"
WARNING = "warning"

#: Every problem code, with its severity. Codes are stable: scripts may match on them
#: (``docs/contract.md``). ``too-many-problems`` stands for the problems not listed: it is an
#: error when one of them is, else a warning (see :meth:`Collector.problems`).
CODES: dict[str, str] = {
    # reading
    "unreadable": ERROR,
    "too-large": ERROR,
    "not-utf8": ERROR,
    "empty-file": ERROR,
    # YAML
    "yaml-syntax": ERROR,
    "too-deep": ERROR,
    "alias-expansion": ERROR,
    "unsafe-tag": ERROR,
    "duplicate-key": ERROR,
    # YAML 1.1 reading a value as something other than text
    "yaml-octal": ERROR,
    "yaml-number": ERROR,
    "yaml-boolean": ERROR,
    "yaml-sexagesimal": ERROR,
    "yaml-float": ERROR,
    "yaml-date": ERROR,
    "impossible-date": ERROR,
    # structure (the JSON Schema)
    "not-a-mapping": ERROR,
    "unsupported-schema-version": ERROR,
    "missing-key": ERROR,
    "unknown-key": ERROR,
    "wrong-type": ERROR,
    "wrong-value": ERROR,
    "empty-value": ERROR,
    "bad-id": ERROR,
    "bad-date": ERROR,
    "bad-url": ERROR,
    "unknown-section": ERROR,
    # meaning
    "missing-id": ERROR,
    "duplicate-id": ERROR,
    "unknown-reference": ERROR,
    "invalid-phone": ERROR,
    "bad-period": ERROR,
    "unused-contact": WARNING,
    "no-contact": WARNING,
    "tool-without-task": WARNING,
    "public-app-without-sensitivity": WARNING,
    "notice-without-title": WARNING,
    "missing-translation": WARNING,
    "unquoted-phone": WARNING,
    "schema-version-1": WARNING,
    # layers (knowledge/layers.py, docs/layers.md)
    "unknown-base": ERROR,
    "not-a-layer": ERROR,
    "nothing-to-remove": ERROR,
    "removed-in-use": ERROR,
    "layer-conflict": WARNING,
    "contact-age": WARNING,
    "contact-verified-later": WARNING,
    # the bound on the report itself
    "too-many-problems": ERROR,
}

#: The most problems listed for one file; the rest are counted in one last
#: ``too-many-problems`` problem. Errors are listed before warnings, each in line order, so a
#: file with many warnings never hides an error. A file reaching this has a systematic
#: mistake, which the first problems show.
MAX_PROBLEMS = 200

#: The most ids one message lists ("there are: a, b, c, and 2,960 more"): every id of the
#: shipped file (16 tools and 9 sections for a notice) and of an agency's copy with a few
#: more tools still fits.
MAX_LISTED = 40


class Later:
    """A message parameter worked out only if its problem is listed.

    ``Later(func, *args)`` stands for the text ``func(*args)``. The collector words every
    problem it receives, to tell repeats apart, but with each :class:`Later` parameter left
    empty; so a :class:`Later` value must follow from the message's other text (a suggestion
    for the value the message names, the ids of the kind it names). One object may be shared by
    many problems (the known ids of one kind).

    Args:
        func: returns the parameter's text.
        args: passed to ``func``.
    """

    __slots__ = ("args", "func")

    def __init__(self, func: Callable[..., str], *args: Any) -> None:
        self.func = func
        self.args = args

    def __call__(self) -> str:
        """The parameter's text (``func(*args)``)."""
        return self.func(*self.args)


def listed(values: Sequence[str], lang: str, limit: int | None = None) -> str:
    """``values`` joined by ", ", at most ``limit`` of them then ", and N more" (in ``lang``).

    Args:
        values: the texts, in the order to list them.
        lang: "vi" or "en".
        limit: the most listed; :data:`MAX_LISTED` when None.

    Returns:
        e.g. "a, b, c" or "a, b, c, and 2960 more" ("a, b, c, và 2960 mã khác").
    """
    limit = MAX_LISTED if limit is None else limit
    if len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[:limit]) + t("kb.and_more", lang, count=len(values) - limit)


class Report:
    """What validation found.

    Attributes:
        path: the file's display path.
        problems: the problems listed, errors and warnings, in line order (at most
            :data:`MAX_PROBLEMS`, errors first; then one ``too-many-problems`` problem counting
            the rest, when there are more).
        document: the checked document (plain JSON values: dates as ISO strings) when it has
            no errors, else None. This is what :func:`gialai_remote.knowledge.build.build` reads.
        knowledge_base: the model built from ``document`` when it has no errors, else None.
        unlisted: how many problems the ``too-many-problems`` problem stands for (0: none).
        unlisted_errors: how many of those are errors (the rest are warnings).
        stack: the files of a stack (base first), when the knowledge base is a base with
            layers (:mod:`gialai_remote.knowledge.layers`); None for a single file.
    """

    __slots__ = ("document", "knowledge_base", "path", "problems", "stack", "unlisted", "unlisted_errors")

    def __init__(
        self,
        path: str,
        problems: list[Problem] | None = None,
        document: Any = None,
        knowledge_base: KnowledgeBase | None = None,
        unlisted: int = 0,
        unlisted_errors: int = 0,
        stack: Stack | None = None,
    ) -> None:
        # A plain class, not a dataclass: ``validate`` imports this module at start-up, and a
        # dataclass compiles its methods there (docs/development.md, start-up).
        self.path = path
        self.problems: list[Problem] = [] if problems is None else problems
        self.document = document
        self.knowledge_base = knowledge_base
        self.unlisted = unlisted
        self.unlisted_errors = unlisted_errors
        self.stack = stack

    def __repr__(self) -> str:
        return f"Report(path={self.path!r}, problems={len(self.problems)}, unlisted={self.unlisted})"

    @property
    def errors(self) -> list[Problem]:
        """The problems listed with severity "error"."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems listed with severity "warning"."""
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def unreadable(self) -> bool:
        """True when the file could not be read at all (exit 3 for ``validate``)."""
        return any(p.code == "unreadable" for p in self.problems)


#: One kept problem: its rank (warnings after errors, then file, line, column and arrival),
#: negated so the heap's top is the one to drop first; then its code, severity, message key
#: (None for a worded message), parameters (or the worded message) and file.
_Entry = tuple[int, int, int, int, int, str, str, str | None, dict[str, object] | str, str]


class Collector:
    """Collects the problems of one file, in the user's language, once per (position, code, message).

    Args:
        path: the file's display path, put on every problem.
        lang: "vi" or "en".
        limit: the most problems listed; :data:`MAX_PROBLEMS` when None.

    Attributes:
        built: the model built from an error-free document, kept so the loader need not build
            it again (set by :func:`gialai_remote.knowledge.load.validate_bytes`).
    """

    def __init__(self, path: str, lang: str, limit: int | None = None) -> None:
        self.path = path
        self.lang = lang
        self.limit = MAX_PROBLEMS if limit is None else limit
        self.built: KnowledgeBase | None = None
        self._seen: set[tuple[str, int, int, str, str]] = set()
        self._files: dict[str, int] = {path: 0}  # file -> rank (the order files were met)
        self._kept: list[_Entry] = []  # a heap of the best `limit` problems
        self._arrivals = 0
        self._errors = 0
        self._unlisted = {ERROR: 0, WARNING: 0}
        self._first_unlisted: tuple[int, int, int] | None = None  # (file rank, line, column)

    def register(self, path: str) -> None:
        """Rank file ``path`` after the files met so far: its problems are listed after theirs."""
        self._files.setdefault(path, len(self._files))

    @property
    def error_count(self) -> int:
        """How many problems of severity "error" were reported, listed or not."""
        return self._errors

    @property
    def has_errors(self) -> bool:
        """True once any problem of severity "error" was reported, listed or not."""
        return self._errors > 0

    def add(self, pos: Position, code: str, message_key: str, /, **params: object) -> None:
        """Report a problem, worded from the catalogue; an exact repeat is dropped.

        Args:
            pos: (line, column) of the offending node.
            code: a key of :data:`CODES`.
            message_key: the catalogue key of the message.
            params: the message's placeholders; a :class:`Later` value is worked out only if
                the problem is listed.
        """
        blank = {k: "" if isinstance(v, Later) else v for k, v in params.items()}
        marker = (getattr(pos, "path", self.path), pos[0], pos[1], code, t(message_key, self.lang, **blank))
        if marker in self._seen:
            return
        self._seen.add(marker)
        self._keep(pos, code, message_key, params)

    def raw(self, pos: Position, code: str, message: str) -> None:
        """Report a problem whose message is already worded (never dropped as a repeat)."""
        self._keep(pos, code, None, message)

    def _keep(self, pos: Position, code: str, key: str | None, said: dict[str, object] | str) -> None:
        severity = CODES.get(code, ERROR)
        if severity == ERROR:
            self._errors += 1
        self._arrivals += 1
        path = getattr(pos, "path", self.path)
        rank = self._files.setdefault(path, len(self._files))
        entry: _Entry = (
            -(severity != ERROR),
            -rank,
            -pos[0],
            -pos[1],
            -self._arrivals,
            code,
            severity,
            key,
            said,
            path,
        )
        if len(self._kept) < self.limit:
            heapq.heappush(self._kept, entry)
            return
        dropped = heapq.heappushpop(self._kept, entry) if self.limit else entry
        self._unlisted[dropped[6]] += 1
        where = (-dropped[1], -dropped[2], -dropped[3])
        if self._first_unlisted is None or where < self._first_unlisted:
            self._first_unlisted = where

    @property
    def unlisted(self) -> int:
        """How many problems are counted but not listed."""
        return self._unlisted[ERROR] + self._unlisted[WARNING]

    @property
    def unlisted_errors(self) -> int:
        """How many of the problems counted but not listed are errors."""
        return self._unlisted[ERROR]

    def problems(self) -> list[Problem]:
        """The problems listed, in line order (reporting order for one position), then the count of the rest.

        Returns:
            At most ``limit`` problems, errors before warnings when there are more, then one
            ``too-many-problems`` problem at the first unlisted problem's position, of severity
            "error" when an unlisted problem is an error, else "warning".
        """
        listed_problems = []
        in_line_order = sorted(self._kept, key=lambda e: (e[1], e[2], e[3], e[4]), reverse=True)
        for _, _, line, column, _, code, severity, key, said, path in in_line_order:
            if key is None:
                message = str(said)
            else:
                assert isinstance(said, dict)
                message = t(key, self.lang, **{k: v() if isinstance(v, Later) else v for k, v in said.items()})
            listed_problems.append(Problem(path, -line, -column, code, message, severity))
        if self.unlisted:
            rank, line, column = self._first_unlisted or (0, 0, 0)
            path = next((p for p, r in self._files.items() if r == rank), self.path)
            errors, warnings = self._unlisted[ERROR], self._unlisted[WARNING]
            message = t(
                "kb.too_many_problems",
                self.lang,
                count=self.unlisted,
                errors=errors,
                warnings=warnings,
                limit=self.limit,
            )
            severity = ERROR if errors else WARNING
            listed_problems.append(Problem(path, line, column, "too-many-problems", message, severity))
        return listed_problems
