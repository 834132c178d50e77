"""Building the typed model: the JSON view of a checked file -> :class:`~gialai_remote.model.KnowledgeBase`.

:func:`build` reads plain data (what :func:`gialai_remote.knowledge.parse.parse` composes, or
what libyaml's ``CSafeLoader`` gives for the built-in file) and checks only the shapes it needs:
the published schema, checked first by :mod:`gialai_remote.knowledge.structure`, is stricter
(a test proves it). Every accessor names the path of what it reads, so a wrong shape becomes a
:class:`BuildError` that validation places at the right line.

Which YAML key holds a rule's value, and in which model field it goes, is the registry's
(:mod:`gialai_remote.rules`): this module names no rule kind. It imports only the model and the
registry at run time (which ``recommend`` and ``check`` import anyway): nothing heavy, so the
built-in fast path (:func:`gialai_remote.knowledge.load.load_knowledge_base`) stays cheap.

Both formats are read: a version-1 file (an agency's copy made before schema_version 2, with
the letter as its only ``source``) is first turned into version 2 by
:func:`gialai_remote.knowledge.upgrade.from_v1`, so the model is always version 2's
(``docs/knowledge-base.md``, "Version 1 files").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gialai_remote import rules
from gialai_remote.model import (
    Cite,
    Contact,
    KnowledgeBase,
    Letter,
    Notice,
    Opening,
    Rule,
    SetupStep,
    Source,
    Status,
    Term,
    Text,
    Tool,
    ToolSelector,
)
from gialai_remote.rulekind import RuleKind

if TYPE_CHECKING:
    from gialai_remote.knowledge.report import JsonPath

#: The knowledge-base format versions this code reads (1 is upgraded to 2 in memory).
SUPPORTED_SCHEMA_VERSIONS = (1, 2)


class BuildError(Exception):
    """A value of the wrong shape met while building the model.

    Args and attributes:
        path: where in the document (keys and list indexes), e.g. ("tools", 3, "name").
        code: problem code, a key of :data:`gialai_remote.knowledge.report.CODES`, e.g. "wrong-type".
        detail: what was expected, in English (validation reports it as it is).
    """

    def __init__(self, path: JsonPath, code: str, detail: str) -> None:
        super().__init__(f"{'/'.join(map(str, path))}: {detail}")
        self.path = path
        self.code = code
        self.detail = detail


def _get(obj: Mapping[str, Any], key: str, path: JsonPath, required: bool = True) -> Any:
    if key not in obj:
        if required:
            raise BuildError(path + (key,), "missing-key", f"missing required key '{key}'")
        return None
    return obj[key]


def _mapping(value: Any, path: JsonPath) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BuildError(path, "wrong-type", "expected a mapping")
    return value


def _list(value: Any, path: JsonPath) -> Sequence[Any]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BuildError(path, "wrong-type", "expected a list")
    return value


def _str(value: Any, path: JsonPath) -> str:
    if not isinstance(value, str):
        raise BuildError(path, "wrong-type", "expected text")
    return value


def _int(value: Any, path: JsonPath) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BuildError(path, "wrong-type", "expected a whole number")
    return value


def _date(value: Any, path: JsonPath) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise BuildError(path, "wrong-type", "expected a date YYYY-MM-DD")


def _opt_date(m: Mapping[str, Any], key: str, path: JsonPath) -> dt.date | None:
    value = _get(m, key, path, required=False)
    return None if value is None else _date(value, path + (key,))


def _text(value: Any, path: JsonPath) -> Text:
    m = _mapping(value, path)
    # English may be missing while a translation is pending: validate warns, Text.get falls back.
    en = _get(m, "en", path, required=False)
    return Text(
        vi=_str(_get(m, "vi", path), path + ("vi",)),
        en="" if en is None else _str(en, path + ("en",)),
        later=_opt_text(m, "later", path),
    )


def _opt_text(m: Mapping[str, Any], key: str, path: JsonPath) -> Text | None:
    value = _get(m, key, path, required=False)
    return None if value is None else _text(value, path + (key,))


def _texts(m: Mapping[str, Any], key: str, path: JsonPath) -> tuple[Text, ...]:
    items = _list(_get(m, key, path, required=False), path + (key,))
    return tuple(_text(v, path + (key, i)) for i, v in enumerate(items))


def _strs(m: Mapping[str, Any], key: str, path: JsonPath, required: bool = False) -> tuple[str, ...]:
    items = _list(_get(m, key, path, required=required), path + (key,))
    return tuple(_str(v, path + (key, i)) for i, v in enumerate(items))


def _term(m: Mapping[str, Any], path: JsonPath) -> Term:
    return Term(
        id=_str(_get(m, "id", path), path + ("id",)),
        name=_text(_get(m, "name", path), path + ("name",)),
        aliases=_strs(m, "aliases", path),
        section=_str(_get(m, "section", path, required=False) or "", path + ("section",)),
        description=_opt_text(m, "description", path),
    )


def _entries(doc: Mapping[str, Any], key: str) -> list[tuple[JsonPath, Mapping[str, Any]]]:
    items = _list(_get(doc, key, ()), (key,))
    return [((key, i), _mapping(v, (key, i))) for i, v in enumerate(items)]


def _cite(value: Any, p: JsonPath) -> Cite:
    """A citation: a source id, or ``{source, section, article}``."""
    if isinstance(value, str):
        return Cite(value)
    m = _mapping(value, p)
    section = _get(m, "section", p, required=False)
    return Cite(
        source=_str(_get(m, "source", p), p + ("source",)),
        section=None if section is None else _str(section, p + ("section",)),
        article=_opt_text(m, "article", p),
    )


def _cites(m: Mapping[str, Any], key: str, p: JsonPath) -> tuple[Cite, ...]:
    items = _list(_get(m, key, p), p + (key,))
    return tuple(_cite(v, p + (key, i)) for i, v in enumerate(items))


def _source_id(m: Mapping[str, Any], p: JsonPath, letter: Letter) -> str:
    value = _get(m, "source", p, required=False)
    return letter.id if value is None else _str(value, p + ("source",))


def _contact(m: Mapping[str, Any], p: JsonPath, letter: Letter, dates: Mapping[str, dt.date | None]) -> Contact:
    source = _source_id(m, p, letter)
    verified_on = _opt_date(m, "verified_on", p)
    return Contact(
        id=_str(_get(m, "id", p), p + ("id",)),
        name=_str(_get(m, "name", p), p + ("name",)),
        phone=_str(_get(m, "phone", p), p + ("phone",)),
        section=_str(_get(m, "section", p, required=False) or "", p + ("section",)),
        honorific=_opt_text(m, "honorific", p),
        title=_opt_text(m, "title", p),
        organization=_opt_text(m, "organization", p),
        notes=_texts(m, "notes", p),
        source=source,
        # A contact is as fresh as the document that names it, unless the file says otherwise.
        verified_on=verified_on if verified_on is not None else dates.get(source),
    )


def _status(m: Mapping[str, Any], p: JsonPath) -> Status:
    return Status(
        kind=_str(_get(m, "kind", p), p + ("kind",)),
        start=_date(_get(m, "from", p), p + ("from",)),
        sources=_cites(m, "sources", p),
        confidence=_str(_get(m, "confidence", p), p + ("confidence",)),
        text=_text(_get(m, "text", p), p + ("text",)),
    )


def _tool(m: Mapping[str, Any], p: JsonPath, letter: Letter) -> Tool:
    steps = []
    for i, raw in enumerate(_list(_get(m, "setup_steps", p, required=False), p + ("setup_steps",))):
        sp = p + ("setup_steps", i)
        step = _mapping(raw, sp)
        steps.append(
            SetupStep(
                text=_text(_get(step, "text", sp), sp + ("text",)),
                platforms=_strs(step, "platforms", sp),
                label=_opt_text(step, "label", sp),
            )
        )
    category = _str(_get(m, "category", p), p + ("category",))
    if category not in ("official", "public-app"):
        raise BuildError(p + ("category",), "wrong-value", "expected 'official' or 'public-app'")
    server_url = _get(m, "server_url", p, required=False)
    bridge_points = _get(m, "bridge_points", p, required=False)
    return Tool(
        id=_str(_get(m, "id", p), p + ("id",)),
        name=_text(_get(m, "name", p), p + ("name",)),
        section=_str(_get(m, "section", p), p + ("section",)),
        category=category,  # type: ignore[arg-type]
        priority=_int(_get(m, "priority", p), p + ("priority",)),
        aliases=_strs(m, "aliases", p),
        description=_opt_text(m, "description", p),
        operator=_opt_text(m, "operator", p),
        app=_opt_text(m, "app", p),
        server_url=None if server_url is None else _str(server_url, p + ("server_url",)),
        bridge_points=None if bridge_points is None else _int(bridge_points, p + ("bridge_points",)),
        contacts=_strs(m, "contacts", p),
        setup_steps=tuple(steps),
        notes=_texts(m, "notes", p),
        source=_source_id(m, p, letter),
        status=tuple(
            _status(_mapping(v, p + ("status", i)), p + ("status", i))
            for i, v in enumerate(_list(_get(m, "status", p, required=False), p + ("status",)))
        ),
    )


def _rule_value(entry: RuleKind, m: Mapping[str, Any], p: JsonPath) -> dict[str, Any]:
    """The rule's value, read from the YAML key its kind's registry entry names, as the model
    field that entry names ("values", "max_participants" or "until")."""
    key = entry.key
    if entry.field == "values":
        return {"values": _strs(m, key, p, required=True)}
    if entry.field == "max_participants":
        return {"max_participants": _int(_get(m, key, p), p + (key,))}
    if entry.field == "until":
        return {"until": _date(_get(m, key, p), p + (key,))}
    raise BuildError(p + ("kind",), "unknown-rule-kind", f"rule kind '{entry.name}' has no model field {entry.field}")


def _rule_tools(m: Mapping[str, Any], p: JsonPath, tools: tuple[Tool, ...]) -> dict[str, Any]:
    """The tools a rule applies to: "all" (None), a list of ids, or a selector mapping
    (``{category: public-app}``, ``{section: "2.3"}``) resolved against ``tools`` here, so a
    rule about the public apps of section 2.3 covers every public app of the file."""
    raw = _get(m, "tools", p)
    if raw == "all":
        return {"tools": None}
    if isinstance(raw, Mapping):
        tp = p + ("tools",)
        category, section = raw.get("category"), raw.get("section")
        selector = ToolSelector(
            category=None if category is None else _str(category, tp + ("category",)),
            section=None if section is None else _str(section, tp + ("section",)),
        )
        return {"tools": selector.select(tools), "selector": selector}
    return {"tools": _strs(m, "tools", p, required=True)}


def _rule(m: Mapping[str, Any], p: JsonPath, tools: tuple[Tool, ...], letter: Letter) -> Rule:
    name = _str(_get(m, "kind", p), p + ("kind",))
    try:
        entry = rules.kind(name)
    except KeyError:
        raise BuildError(p + ("kind",), "unknown-rule-kind", f"unknown rule kind '{name}'") from None
    in_force = _get(m, "in_force", p, required=False)
    period = {} if in_force is None else _mapping(in_force, p + ("in_force",))
    return Rule(
        id=_str(_get(m, "id", p), p + ("id",)),
        kind=name,
        section=_str(_get(m, "section", p, required=False) or "", p + ("section",)),
        note=_opt_text(m, "note", p),
        warning=_opt_text(m, "warning", p),
        source=_source_id(m, p, letter),
        article=_opt_text(m, "article", p),
        valid_from=_opt_date(period, "from", p + ("in_force",)),
        valid_until=_opt_date(period, "until", p + ("in_force",)),
        **_rule_tools(m, p, tools),
        **_rule_value(entry, m, p),
    )


def _notice(m: Mapping[str, Any], p: JsonPath) -> Notice:
    opening = _get(m, "opening", p, required=False)
    superseded_by = _get(m, "superseded_by", p, required=False)
    op = p + ("opening",)
    return Notice(
        id=_str(_get(m, "id", p), p + ("id",)),
        effective=_date(_get(m, "effective", p), p + ("effective",)),
        text=_text(_get(m, "text", p), p + ("text",)),
        sources=_cites(m, "sources", p),
        affects=_strs(m, "affects", p),
        confidence=_str(_get(m, "confidence", p, required=False) or "high", p + ("confidence",)),
        until=_opt_date(m, "until", p),
        superseded_by=None if superseded_by is None else _str(superseded_by, p + ("superseded_by",)),
        opening=None
        if opening is None
        else Opening(
            code=_str(_get(_mapping(opening, op), "code", op), op + ("code",)),
            text=_text(_get(_mapping(opening, op), "text", op), op + ("text",)),
        ),
    )


def _letter(m: Mapping[str, Any], sp: JsonPath) -> Letter:
    return Letter(
        id=_str(_get(m, "id", sp), sp + ("id",)),
        document=_str(_get(m, "document", sp), sp + ("document",)),
        issuer=_text(_get(m, "issuer", sp), sp + ("issuer",)),
        date=_date(_get(m, "date", sp), sp + ("date",)),
        title=_text(_get(m, "title", sp), sp + ("title",)),
        based_on=_texts(m, "based_on", sp),
        signed_by=_str(_get(m, "signed_by", sp, required=False) or "", sp + ("signed_by",)),
        notes=_texts(m, "notes", sp),
    )


def _source(m: Mapping[str, Any], p: JsonPath) -> Source:
    document = _get(m, "document", p, required=False)
    issuer = _get(m, "issuer", p)
    date = _get(m, "date", p)
    return Source(
        id=_str(_get(m, "id", p), p + ("id",)),
        kind=_str(_get(m, "kind", p), p + ("kind",)),
        title=_text(_get(m, "title", p), p + ("title",)),
        issuer=None if issuer is None else _text(issuer, p + ("issuer",)),
        date=None if date is None else _date(date, p + ("date",)),
        document=None if document is None else _str(document, p + ("document",)),
        effective=_opt_date(m, "effective", p),
        references=_strs(m, "references", p),
        notes=_texts(m, "notes", p),
    )


def build(document: Any, path: str) -> KnowledgeBase:
    """Build the :class:`KnowledgeBase` from parsed YAML.

    Args:
        document: the parsed top-level mapping: the JSON view validation checked, or what
            libyaml's safe loader gives for the built-in file (dates as ``datetime.date`` or
            ISO text, both accepted).
        path: the file's display path, kept on the result.

    Returns:
        The immutable :class:`KnowledgeBase`: every list in file order, ``path`` set.

    Raises:
        BuildError: a value has the wrong shape, an unknown rule kind or an unsupported
            ``schema_version`` (with its path in the document).

    A version-1 document is upgraded first (:func:`~gialai_remote.knowledge.upgrade.from_v1`);
    the result keeps ``schema_version`` 1 so ``--version`` tells which format was read.
    """
    doc = _mapping(document, ())
    version = _int(_get(doc, "schema_version", ()), ("schema_version",))
    if version not in SUPPORTED_SCHEMA_VERSIONS:
        raise BuildError(("schema_version",), "unsupported-schema-version", f"unsupported schema_version {version}")
    if version == 1:  # an agency's older copy; imported here so the built-in path never loads it
        from gialai_remote.knowledge.upgrade import from_v1

        doc = from_v1(doc)
    listed = _entries(doc, "sources")
    if not listed:
        raise BuildError(("sources",), "missing-key", "the first source must be the letter")
    letter = _letter(listed[0][1], listed[0][0])
    later = tuple(_source(m, p) for p, m in listed[1:])
    sources = (
        Source(letter.id, "letter", letter.title, letter.issuer, letter.date, letter.document, notes=letter.notes),
        *later,
    )
    dates = {s.id: s.date for s in sources}
    tools = tuple(_tool(m, p, letter) for p, m in _entries(doc, "tools"))
    return KnowledgeBase(
        schema_version=version,
        source=letter,
        sources=sources,
        roles=tuple(_term(m, p) for p, m in _entries(doc, "roles")),
        tasks=tuple(_term(m, p) for p, m in _entries(doc, "tasks")),
        sensitivities=tuple(_term(m, p) for p, m in _entries(doc, "sensitivities")),
        platforms=tuple(_term(m, p) for p, m in _entries(doc, "platforms")),
        contacts=tuple(_contact(m, p, letter, dates) for p, m in _entries(doc, "contacts")),
        tools=tools,
        rules=tuple(_rule(m, p, tools, letter) for p, m in _entries(doc, "rules")),
        notices=tuple(_notice(m, p) for p, m in _entries(doc, "notices")),
        path=path,
    )
