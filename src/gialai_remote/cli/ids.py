"""The vocabularies users name on the command line, and resolving what they typed to an id.

Every option that takes an id (``--role``, ``--task``, ``--sensitivity``, ``--platform``,
``--tool``, the ``TOOL`` and ``ID`` arguments, and the keys of a ``--batch`` line) goes
through :func:`resolve_id`: forgiving (see :mod:`.match`), with the matchers of a knowledge
base built once per run. :mod:`.query` adds the prompts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gialai_remote.cli.match import Candidate, Matcher
from gialai_remote.errors import UsageError
from gialai_remote.i18n import t
from gialai_remote.memo import per_kb

if TYPE_CHECKING:
    from gialai_remote.model import KnowledgeBase

#: The vocabularies a flag may name, with the flag and the catalogue key of the kind's name.
KINDS = {
    "roles": ("--role", "kind.role"),
    "tasks": ("--task", "kind.task"),
    "sensitivities": ("--sensitivity", "kind.sensitivity"),
    "platforms": ("--platform", "kind.platform"),
    "tools": ("--tool", "kind.tool"),
}


def candidates(kb: KnowledgeBase, kind: str, lang: str) -> list[Candidate]:
    """The entries of vocabulary ``kind`` (a key of :data:`KINDS`) as match candidates.

    Each candidate is labelled "id (name in ``lang``)" and may be typed as its id, either
    name or any alias.
    """
    items = kb.tools if kind == "tools" else getattr(kb, kind)
    return [
        Candidate(
            id=item.id,
            label=f"{item.id} ({item.name.get(lang)})",
            spellings=(item.name.vi, item.name.en, *item.aliases),
        )
        for item in items
    ]


def matcher(kb: KnowledgeBase, kind: str, lang: str) -> Matcher:
    """The :class:`~gialai_remote.cli.match.Matcher` of vocabulary ``kind`` in ``kb``, built once
    per knowledge base, kind and language (:func:`gialai_remote.memo.per_kb`): a batch resolves
    hundreds of values against the same few vocabularies."""
    return per_kb(kb, ("cli.ids.matcher", kind, lang), lambda: Matcher(candidates(kb, kind, lang)))


def resolve_id(kb: KnowledgeBase, kind: str, value: str, lang: str, flag: str | None = None) -> str:
    """Resolve what the user typed for ``kind`` to a canonical id.

    Args:
        kb: the knowledge base whose vocabulary is searched.
        kind: a key of :data:`KINDS` ("roles", "tools", ...).
        value: what the user typed.
        lang: message language.
        flag: where the value came from, for messages (default: the kind's option, e.g.
            "--tool"; "TOOL" or "ID" for a positional argument).

    Raises:
        UsageError: nothing matches, or the value names several entries (exit 2). For a role,
            a word for someone at the desk ("thư ký", "lãnh đạo sở") gets the explanation of
            how to choose (:mod:`.desk`) instead of "no such role"; an id a layer removed says
            which layer removed it (docs/layers.md).
    """
    default_flag, what = KINDS[kind]
    flag = flag or default_flag
    found = matcher(kb, kind, lang)
    try:
        return found.resolve(value, what=t(what, lang), flag=flag, lang=lang)
    except UsageError:
        layer = kb.stack.removed_by(kind, value.strip().lower()) if kb.stack is not None else None
        if layer is not None:
            message = t(
                "kb.removed_by", lang, what=t(what, lang), id=value.strip().lower(), layer=layer.name, path=layer.path
            )
            raise UsageError(f"{flag}: {message}") from None
        if kind != "roles":
            raise
        from gialai_remote.cli.desk import explain

        hint = explain(value, found.candidates, lang, flag=flag, numbered=False)
        if hint is None:
            raise
        raise UsageError(f"{flag}: {hint}") from None
