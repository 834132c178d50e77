"""The whole knowledge base: its entries (:mod:`gialai_remote.model.entries`) and the lookup
indexes built once when it is made. Import it from :mod:`gialai_remote.model`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from gialai_remote.model.entries import Contact, Letter, Notice, Rule, Source, Term, Tool
    from gialai_remote.stack import Stack


class KnowledgeBase:
    """The whole knowledge base, with lookup indexes built once at load time.

    Immutable like the records it holds: its attributes are set once, by the constructor
    (keywords or positions, in the order below); :meth:`_replace` gives a copy with some of
    them changed, its indexes built again. Two knowledge bases are equal when every attribute
    but ``stack`` is (a plain class, not a dataclass: see :mod:`gialai_remote.records`).

    Attributes:
        schema_version: the version of the knowledge-base format of the file read (1 is read
            as version 2 with the letter as the only source).
        source: the letter.
        roles, tasks, sensitivities, platforms: vocabularies, in file order.
        contacts, tools, rules, notices: entries, in file order.
        path: where it was read from ("<built-in>"); stack: its files (docs/layers.md), or None.
        sources: every source, the letter first (as a :class:`Source` of kind "letter").
    """

    #: The attributes, in constructor order; all but ``stack`` are compared.
    _fields = (
        "schema_version", "source", "roles", "tasks", "sensitivities", "platforms", "contacts",
        "tools", "rules", "notices", "path", "sources", "stack",
    )  # fmt: skip
    __slots__ = (*_fields, "_by_id", "_rules_by_tool", "_tools_by_contact")

    schema_version: int
    source: Letter
    roles: tuple[Term, ...]
    tasks: tuple[Term, ...]
    sensitivities: tuple[Term, ...]
    platforms: tuple[Term, ...]
    contacts: tuple[Contact, ...]
    tools: tuple[Tool, ...]
    rules: tuple[Rule, ...]
    notices: tuple[Notice, ...]
    path: str
    sources: tuple[Source, ...]
    stack: Stack | None
    _by_id: dict[str, dict[str, object]]
    _rules_by_tool: dict[str, tuple[Rule, ...]]
    _tools_by_contact: dict[str, tuple[str, ...]]

    def __init__(
        self,
        schema_version: int,
        source: Letter,
        roles: tuple[Term, ...],
        tasks: tuple[Term, ...],
        sensitivities: tuple[Term, ...],
        platforms: tuple[Term, ...],
        contacts: tuple[Contact, ...],
        tools: tuple[Tool, ...],
        rules: tuple[Rule, ...],
        notices: tuple[Notice, ...],
        path: str = "<built-in>",
        sources: tuple[Source, ...] = (),
        stack: Stack | None = None,
    ) -> None:
        values: tuple[object, ...] = (schema_version, source, roles, tasks, sensitivities, platforms, contacts)
        values += (tools, rules, notices, path, sources, stack)
        for name, value in zip(self._fields, values, strict=True):
            object.__setattr__(self, name, value)
        by_id = {
            kind: {item.id: item for item in getattr(self, kind)}
            for kind in ("roles", "tasks", "sensitivities", "platforms", "contacts", "tools", "sources", "notices")
        }
        # Index rules by tool once, so deciding is linear in tools + rules, never tools x rules.
        global_rules = tuple(r for r in rules if r.tools is None)
        per_tool: dict[str, list[Rule]] = {t.id: list(global_rules) for t in tools}
        for rule in rules:
            for tool_id in rule.tools or ():
                if tool_id in per_tool:
                    per_tool[tool_id].append(rule)
        by_contact: dict[str, list[str]] = {}
        for tool in tools:
            for contact_id in dict.fromkeys(tool.contacts):
                by_contact.setdefault(contact_id, []).append(tool.id)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_rules_by_tool", {k: tuple(v) for k, v in per_tool.items()})
        object.__setattr__(self, "_tools_by_contact", {k: tuple(v) for k, v in by_contact.items()})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: a KnowledgeBase is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: a KnowledgeBase is immutable")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._fields[:-1])

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in self._fields[:-1]))

    def __repr__(self) -> str:
        return f"KnowledgeBase(path={self.path!r}, schema_version={self.schema_version!r}, tools={len(self.tools)})"

    def _replace(self, **changes: object) -> KnowledgeBase:
        """A copy with the attributes named in ``changes`` replaced, its indexes built again.
        Raises TypeError for a name that is not an attribute."""
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"KnowledgeBase has no field {sorted(unknown)[0]!r}")
        return KnowledgeBase(*(changes.get(name, getattr(self, name)) for name in self._fields))  # type: ignore[arg-type]

    def tool(self, tool_id: str) -> Tool:
        """Return the tool with ``tool_id``. Raises KeyError when there is none."""
        return self._by_id["tools"][tool_id]  # type: ignore[return-value]

    def contact(self, contact_id: str) -> Contact:
        """Return the contact with ``contact_id``. Raises KeyError when there is none."""
        return self._by_id["contacts"][contact_id]  # type: ignore[return-value]

    def term(self, kind: str, term_id: str) -> Term:
        """Return the role/task/sensitivity/platform ``term_id`` of vocabulary ``kind``.

        ``kind`` is "roles", "tasks", "sensitivities" or "platforms". Raises KeyError.
        """
        return self._by_id[kind][term_id]  # type: ignore[return-value]

    def has(self, kind: str, item_id: str) -> bool:
        """True when vocabulary or entry list ``kind`` has ``item_id``."""
        return item_id in self._by_id.get(kind, {})

    def source_entry(self, source_id: str) -> Source:
        """Return the source with ``source_id``. Raises KeyError when there is none."""
        return self._by_id["sources"][source_id]  # type: ignore[return-value]

    def notice(self, notice_id: str) -> Notice:
        """Return the notice with ``notice_id``. Raises KeyError when there is none."""
        return self._by_id["notices"][notice_id]  # type: ignore[return-value]

    def rules_for(self, tool_id: str, on: dt.date | None = None) -> tuple[Rule, ...]:
        """The rules that apply to ``tool_id``, global ones first, in file order; with ``on``,
        only those in force that day (the one place dated rule validity is applied)."""
        found = self._rules_by_tool.get(tool_id, ())
        return found if on is None else tuple(r for r in found if r.in_force(on))

    def tools_naming(self, contact_id: str) -> tuple[str, ...]:
        """Ids of the tools that name ``contact_id`` as a support contact, in file order."""
        return self._tools_by_contact.get(contact_id, ())

    def notices_on(self, on: dt.date) -> tuple[Notice, ...]:
        """The notices shown on ``on`` (effective by then, ended ones too), in file order."""
        return tuple(n for n in self.notices if n.shown(on))
