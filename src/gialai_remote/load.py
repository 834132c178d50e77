"""Load the knowledge base: bytes -> YAML -> checked data -> :class:`KnowledgeBase`.

The built-in ``guidance.yaml`` ships inside the package and is read through
``importlib.resources`` (:func:`gialai_remote.package_data.package_file`); it is checked by
the test suite, so it takes the fast path (libyaml's
``CSafeLoader`` and the model builder). A file named by ``--data`` or ``GIALAI_REMOTE_DATA``
is first checked in full by :mod:`gialai_remote.validate`, so a broken file gives the same
``PATH:LINE:COLUMN`` problems as ``gialai-remote validate`` and never falls back silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gialai_remote.errors import KnowledgeBaseError, Problem
from gialai_remote.model import (
    Contact,
    KnowledgeBase,
    Notice,
    Rule,
    SetupStep,
    Source,
    Term,
    Text,
    Tool,
)
from gialai_remote.package_data import package_file

BUILTIN = "<built-in>"
#: The knowledge-base format versions this code implements.
SUPPORTED_SCHEMA_VERSIONS = (1,)

JsonPath = tuple[str | int, ...]


class BuildError(Exception):
    """A value of the wrong shape met while building the model.

    Attributes:
        path: where in the document (keys and list indexes), e.g. ("tools", 3, "name").
        code: problem code, e.g. "wrong-type".
        detail: what was expected, in English (validate.py words it for the user).
    """

    def __init__(self, path: JsonPath, code: str, detail: str) -> None:
        super().__init__(f"{'/'.join(map(str, path))}: {detail}")
        self.path = path
        self.code = code
        self.detail = detail


def builtin_bytes() -> bytes:
    """Return the bytes of the shipped ``guidance.yaml`` (package data ``data/guidance.yaml``).

    Raises:
        OSError: the package is installed without its data file.
    """
    return package_file("data", "guidance.yaml").read_bytes()


def load_knowledge_base(path: str | None = None, *, lang: str = "vi") -> KnowledgeBase:
    """Load and check the knowledge base.

    Args:
        path: a YAML file, or None for the built-in one.
        lang: language of problem messages ("vi" or "en").

    Returns:
        The :class:`KnowledgeBase`.

    Raises:
        KnowledgeBaseError: the file cannot be read or has errors (warnings do not raise);
            each problem carries the file's path, line and column.
    """
    if path is None:
        import yaml

        try:
            return load_bytes(builtin_bytes(), BUILTIN)
        except (yaml.YAMLError, BuildError, OSError) as exc:  # a broken install, not user input
            raise KnowledgeBaseError(
                [Problem(BUILTIN, 0, 0, "unreadable", f"built-in knowledge base: {exc}")]
            ) from None

    from gialai_remote.validate import validate_file

    with collector_paused():
        report = validate_file(path, lang=lang)
        if report.errors or report.knowledge_base is None:
            raise KnowledgeBaseError(report.errors or report.problems)
        return report.knowledge_base


def load_bytes(data: bytes, path: str) -> KnowledgeBase:
    """Parse checked knowledge-base bytes with libyaml's ``CSafeLoader`` and build the model.

    The fast path of the built-in file, which the test suite validates; nothing is checked
    here beyond the shapes :func:`build` needs. ``path`` is kept on the result.

    Raises:
        yaml.YAMLError: not YAML.
        BuildError: a value has the wrong shape.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with collector_paused():
        return build(yaml.load(data, Loader=loader), path)  # noqa: S506 - safe loader


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a knowledge base is parsed and built.

    Parsing allocates a tree of containers that all stay alive, and the collector's repeated
    passes over that growing heap free nothing: they made loading grow faster than the file
    (22x the time for 10x the tools, 11x without them; see benchmarks/scale.py). Mercurial's
    ``util.nogc`` does the same for the same reason. Collection resumes afterwards, so any
    cycle made meanwhile (a YAML alias can make one) is still freed.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


# ---------------------------------------------------------------------------------------------
# Model building. Every accessor names the path of what it reads, so a wrong shape becomes a
# problem at the right line (validate.py maps paths to lines).


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


def _text(value: Any, path: JsonPath) -> Text:
    m = _mapping(value, path)
    # English may be missing while a translation is pending: validate warns, Text.get falls back.
    en = _get(m, "en", path, required=False)
    return Text(vi=_str(_get(m, "vi", path), path + ("vi",)), en="" if en is None else _str(en, path + ("en",)))


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


def _contact(m: Mapping[str, Any], p: JsonPath) -> Contact:
    return Contact(
        id=_str(_get(m, "id", p), p + ("id",)),
        name=_str(_get(m, "name", p), p + ("name",)),
        phone=_str(_get(m, "phone", p), p + ("phone",)),
        section=_str(_get(m, "section", p), p + ("section",)),
        honorific=_opt_text(m, "honorific", p),
        title=_opt_text(m, "title", p),
        organization=_opt_text(m, "organization", p),
        notes=_texts(m, "notes", p),
    )


def _tool(m: Mapping[str, Any], p: JsonPath) -> Tool:
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
    )


#: For each rule kind, the YAML key that holds its list of values.
RULE_VALUES_KEY = {
    "requires": "needs",
    "roles": "roles",
    "tasks": "tasks",
    "sensitivity": "allowed",
    "platforms": "platforms",
}


def _rule(m: Mapping[str, Any], p: JsonPath) -> Rule:
    kind = _str(_get(m, "kind", p), p + ("kind",))
    tools_raw = _get(m, "tools", p)
    tools: tuple[str, ...] | None
    tools = None if tools_raw == "all" else _strs(m, "tools", p, required=True)
    values: tuple[str, ...] = ()
    max_participants = until = None
    if kind in RULE_VALUES_KEY:
        values = _strs(m, RULE_VALUES_KEY[kind], p, required=True)
    elif kind == "capacity":
        max_participants = _int(_get(m, "max_participants", p), p + ("max_participants",))
    elif kind == "offer":
        until = _date(_get(m, "until", p), p + ("until",))
    else:
        raise BuildError(p + ("kind",), "unknown-rule-kind", f"unknown rule kind '{kind}'")
    return Rule(
        id=_str(_get(m, "id", p), p + ("id",)),
        kind=kind,
        section=_str(_get(m, "section", p), p + ("section",)),
        tools=tools,
        values=values,
        max_participants=max_participants,
        until=until,
        note=_opt_text(m, "note", p),
        warning=_opt_text(m, "warning", p),
    )


def _notice(m: Mapping[str, Any], p: JsonPath) -> Notice:
    return Notice(
        id=_str(_get(m, "id", p), p + ("id",)),
        effective=_date(_get(m, "effective", p), p + ("effective",)),
        text=_text(_get(m, "text", p), p + ("text",)),
        source=_str(_get(m, "source", p), p + ("source",)),
        affects=_strs(m, "affects", p),
    )


def build(document: Any, path: str) -> KnowledgeBase:
    """Build the :class:`KnowledgeBase` from parsed YAML.

    Args:
        document: the parsed top-level mapping.
        path: the file's display path, kept on the result.

    Raises:
        BuildError: a value has the wrong shape (with its path in the document).
    """
    doc = _mapping(document, ())
    version = _int(_get(doc, "schema_version", ()), ("schema_version",))
    if version not in SUPPORTED_SCHEMA_VERSIONS:
        raise BuildError(("schema_version",), "unsupported-schema-version", f"unsupported schema_version {version}")
    sp: JsonPath = ("source",)
    s = _mapping(_get(doc, "source", ()), sp)
    source = Source(
        document=_str(_get(s, "document", sp), sp + ("document",)),
        issuer=_text(_get(s, "issuer", sp), sp + ("issuer",)),
        date=_date(_get(s, "date", sp), sp + ("date",)),
        title=_text(_get(s, "title", sp), sp + ("title",)),
        based_on=_texts(s, "based_on", sp),
        signed_by=_str(_get(s, "signed_by", sp, required=False) or "", sp + ("signed_by",)),
        notes=_texts(s, "notes", sp),
    )
    return KnowledgeBase(
        schema_version=version,
        source=source,
        roles=tuple(_term(m, p) for p, m in _entries(doc, "roles")),
        tasks=tuple(_term(m, p) for p, m in _entries(doc, "tasks")),
        sensitivities=tuple(_term(m, p) for p, m in _entries(doc, "sensitivities")),
        platforms=tuple(_term(m, p) for p, m in _entries(doc, "platforms")),
        contacts=tuple(_contact(m, p) for p, m in _entries(doc, "contacts")),
        tools=tuple(_tool(m, p) for p, m in _entries(doc, "tools")),
        rules=tuple(_rule(m, p) for p, m in _entries(doc, "rules")),
        notices=tuple(_notice(m, p) for p, m in _entries(doc, "notices")),
        path=path,
    )
