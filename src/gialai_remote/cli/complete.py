"""Shell completion of ids: roles, tasks, tools, platforms and sensitivities.

Typer calls these ``autocompletion=`` callbacks (see the options in :mod:`.recommend`) each
time the user presses Tab after an id-taking option, in bash, zsh, fish and PowerShell. They
read the active knowledge base (``--data`` when already typed, else ``GIALAI_REMOTE_DATA``,
else the built-in one) and offer its ids, each with its name in the user's language as the
help that zsh, fish and PowerShell show. The loader is imported only when Tab is pressed, and
a knowledge base that cannot be read completes nothing rather than printing an error into
the user's command line.
"""

# No ``from __future__ import annotations`` here: typer reads each completion function's
# signature (``typing.get_type_hints``) when it builds a command, every run; string annotations
# would be compiled each time (issue 16).
import os
from typing import Any

import typer


def _param(ctx: Any, name: str) -> Any:
    """The value of option ``name`` given so far on the command line, in ``ctx`` or a parent."""
    while ctx is not None:
        value = getattr(ctx, "params", {}).get(name)
        if value is not None and value != () and value != []:  # a repeatable option not given: ()
            return value
        ctx = ctx.parent
    return None


def _ids(ctx: typer.Context, kind: str, incomplete: str) -> list[tuple[str, str]]:
    """``(id, name)`` for every entry of ``kind`` whose id starts with ``incomplete``."""
    from gialai_remote.errors import GialaiError
    from gialai_remote.i18n import resolve_lang
    from gialai_remote.knowledge.load import load_knowledge_base

    lang = resolve_lang(_param(ctx, "lang"), os.environ) or "vi"
    data = _param(ctx, "data") or [p for p in os.environ.get("GIALAI_REMOTE_DATA", "").split(os.pathsep) if p]
    try:
        kb = load_knowledge_base(list(data) or None, lang=lang, cache=not _param(ctx, "no_cache"))
    except (GialaiError, OSError, ValueError):
        return []
    from rich.markup import escape

    from gialai_remote.render.words import safe

    items = kb.tools if kind == "tools" else getattr(kb, kind)
    prefix = incomplete.strip().lower()
    # The name is data: no control character or line break may reach the shell, and Typer
    # renders completion help as rich markup, so brackets are escaped to print literally.
    return [(item.id, escape(one_line(safe(item.name.get(lang))))) for item in items if item.id.startswith(prefix)]


def one_line(text: str, width: int = 60) -> str:
    """``text`` on one line of at most ``width`` characters, cut with "…" when longer.

    Typer wraps completion help at 80 columns, and zsh and fish would take a wrapped line
    for a completion of its own.
    """
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def roles(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Completions for ``--role``."""
    return _ids(ctx, "roles", incomplete)


def tasks(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Completions for ``--task``."""
    return _ids(ctx, "tasks", incomplete)


def tools(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Completions for ``--tool``."""
    return _ids(ctx, "tools", incomplete)


def platforms(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Completions for ``--platform``."""
    return _ids(ctx, "platforms", incomplete)


def sensitivities(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Completions for ``--sensitivity``."""
    return _ids(ctx, "sensitivities", incomplete)


def formats(ctx: typer.Context, incomplete: str) -> list[str]:
    """Completions for ``--format``: the choices its metavar lists ("text|json|...")."""
    for param in getattr(ctx.command, "params", ()):
        if param.name == "fmt" and param.metavar:
            return [choice for choice in str(param.metavar).split("|") if choice.startswith(incomplete)]
    return []


def langs(incomplete: str) -> list[tuple[str, str]]:
    """Completions for ``--lang``: each language with its own name."""
    from gialai_remote.i18n import LANGS, t

    return [(code, t(f"lang.{code}", code)) for code in LANGS if code.startswith(incomplete)]
