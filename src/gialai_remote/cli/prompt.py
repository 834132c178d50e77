"""Prompts: a numbered list answered by number or by name, asked at most three times.

Only used when stdin and stdout are both terminals and ``--no-input`` is not set. End of
input (Ctrl-D) and Ctrl-C raise :class:`gialai_remote.errors.Interrupted` (exit 130).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from gialai_remote.cli.match import Matcher
from gialai_remote.errors import Interrupted, UsageError
from gialai_remote.i18n import t
from gialai_remote.render.text.lines import Line
from gialai_remote.render.words import safe

ATTEMPTS = 3


def _ask(label: str, lang: str) -> str:
    """Read one answer. Raises Interrupted on Ctrl-C or end of input (exit 130)."""
    # input() encodes its prompt itself; on a terminal that cannot show Vietnamese, stdout
    # is cli.streams' unaccenting stream, and the prompt is given the same treatment.
    label = getattr(sys.stdout, "unaccent", str)(label)
    try:
        return input(label)
    except (EOFError, KeyboardInterrupt):
        sys.stdout.write("\n")
        raise Interrupted(t("error.interrupted", lang)) from None


def choose(
    title: str,
    matcher: Matcher,
    names: Sequence[str],
    *,
    what: str,
    flag: str,
    lang: str,
    empty_hint: str | None = None,
    explain: Callable[[str], str | None] | None = None,
) -> str:
    """Ask the user to pick one of ``matcher``'s candidates; return its id.

    Args:
        title: the question (its lines are printed as they are).
        matcher: the entries (ids and spellings accepted as answers), in the order shown.
        names: the display name of each candidate, in the same order.
        what, flag: the kind and its option, for messages.
        lang: message language.
        empty_hint: when given, an empty answer (Enter) is allowed and returns ""; the hint
            says what Enter means ("internal"). None: an answer is required.
        explain: for an answer that matches nothing, a better explanation than "no such ...",
            or None to keep that (the role question's desk words, :mod:`.desk`).

    Raises:
        UsageError: three answers in a row matched nothing (exit 2).
        Interrupted: Ctrl-C or end of input (exit 130).
    """
    candidates = matcher.candidates
    lines = [Line(safe(part)) for part in title.splitlines()]
    # The id too, so that the next run can give it as a flag.
    lines += [
        Line(f"  {number}) {safe(name)} ({cand.id})")
        for number, (cand, name) in enumerate(zip(candidates, names, strict=True), start=1)
    ]
    _show(lines)
    for _ in range(ATTEMPTS):
        question = t("prompt.answer", lang, count=len(candidates))
        if empty_hint is not None:
            question = t("prompt.answer_empty", lang, count=len(candidates), hint=empty_hint)
        answer = _ask(question, lang).strip()
        if not answer and empty_hint is not None:
            return ""
        if answer.isdigit() and 1 <= int(answer) <= len(candidates):
            return candidates[int(answer) - 1].id
        try:
            return matcher.resolve(answer, what=what, flag=flag, lang=lang)
        except UsageError as exc:
            hint = explain(answer) if explain is not None else None
            _show([Line(safe(hint if hint is not None else exc.message))], stderr=True)
    raise UsageError(t("prompt.gave_up", lang, flag=flag))


def _show(lines: Sequence[Line], stderr: bool = False) -> None:
    """Print prompt lines as the answers are printed: wrapped with their hanging indent."""
    from gialai_remote.cli.context import console, print_lines

    print_lines(lines, console(stderr=stderr))


def ask_participants(lang: str) -> int | None:
    """Ask how many people will take part; an empty answer means unknown (None)."""
    from gialai_remote.cli.context import parse_participants

    for _ in range(ATTEMPTS):
        answer = _ask(t("prompt.participants", lang), lang).strip()
        if not answer:
            return None
        try:
            return parse_participants(answer, lang)
        except UsageError as exc:
            _show([Line(safe(exc.message))], stderr=True)
    raise UsageError(t("prompt.gave_up", lang, flag="--participants"))
