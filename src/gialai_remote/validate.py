"""Check a knowledge-base file and report every problem with its line and column.

Used by ``gialai-remote validate`` and by the loader for any file given with ``--data``.
Problems are :class:`gialai_remote.errors.Problem` objects, printed as
``PATH:LINE:COLUMN: CODE message``; :data:`CODES` lists every code.

The checks run in this order, each on what the previous one produced:

1. bytes: a bound on the size (:data:`MAX_BYTES`); UTF-8 (a BOM is accepted);
2. YAML events, streamed before anything is built: syntax, a bound on nesting
   (:data:`MAX_DEPTH`) and on the values aliases expand to (:data:`MAX_NODES`, against
   "billion laughs" files), and only plain data tags (a ``!!python/...`` tag is an error and
   nothing is ever constructed from it: only the safe loader is used);
3. YAML nodes: duplicate keys, and the JSON view of the document (what the schema and the
   model builder read), noting every plain scalar that YAML 1.1 read as something other than
   text (``0362123456`` as octal, ``yes`` as true, ``17:30`` as 1050, ``1.10`` as 1.1, dates);
4. structure: the published JSON Schema (``gialai-remote schema``), with ``jsonschema``;
   errors where YAML 1.1 changed a value are reported as the trap that caused them;
5. meaning: unique ids, references between entries, Vietnamese phone numbers
   (``phonenumbers``), unused contacts, meeting systems without a contact, missing English.

Heavy libraries (yaml, jsonschema, phonenumbers) are imported inside the functions: the
built-in knowledge base never comes here (see :mod:`gialai_remote.load`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from gialai_remote.errors import Problem
from gialai_remote.i18n import t
from gialai_remote.model import SECTIONS, KnowledgeBase

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]

#: The largest file read, in bytes. guidance.yaml is about 50 KB; an agency's copy with
#: many more contacts stays far below this.
MAX_BYTES = 2 * 1024 * 1024
#: The deepest nesting of mappings and lists accepted (guidance.yaml needs 6).
MAX_DEPTH = 32
#: The most values (scalars, mappings, lists) the document may hold once every alias is
#: expanded; a "billion laughs" file reaches this after a few hundred events.
MAX_NODES = 200_000

ERROR = "error"
WARNING = "warning"

#: Every problem code, with its severity. Codes are stable: scripts may match on them.
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
    "unused-contact": WARNING,
    "no-contact": WARNING,
    "missing-translation": WARNING,
    "unquoted-phone": WARNING,
}

_YAML = "tag:yaml.org,2002:"
#: The only tags a knowledge base may carry: plain data.
_SAFE_TAGS = {_YAML + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge")}

#: The knowledge-base lists whose entries have ids that must be unique, with the catalogue
#: key naming the kind of entry.
_ID_LISTS = {
    "roles": "kind.role",
    "tasks": "kind.task",
    "sensitivities": "kind.sensitivity",
    "platforms": "kind.platform",
    "contacts": "kind.contact",
    "tools": "kind.tool",
    "rules": "kind.rule",
    "notices": "kind.notice",
}

#: Ids the code relies on, so an agency's copy must keep them: a query without a sensitivity
#: assumes "internal" (CONTRACT.md), and "secret" content gets its own warning.
REQUIRED_IDS: dict[str, tuple[str, ...]] = {"sensitivities": ("normal", "internal", "secret")}

#: For each rule kind, the key holding its values and the list those values must name.
_RULE_REFERENCES = {
    "roles": ("roles", "roles"),
    "tasks": ("tasks", "tasks"),
    "sensitivity": ("allowed", "sensitivities"),
    "platforms": ("platforms", "platforms"),
}


@dataclass
class Report:
    """What validation found.

    Attributes:
        path: the file's display path.
        problems: every problem, errors and warnings, in line order.
        document: the checked document (plain JSON values: dates as ISO strings) when it has
            no errors, else None. This is what :func:`gialai_remote.load.build` reads.
        knowledge_base: the model built from ``document`` when it has no errors, else None.
    """

    path: str
    problems: list[Problem] = field(default_factory=list)
    document: Any = None
    knowledge_base: KnowledgeBase | None = None

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity "error"."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems of severity "warning"."""
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def unreadable(self) -> bool:
        """True when the file could not be read at all (exit 3 for ``validate``)."""
        return any(p.code == "unreadable" for p in self.problems)


class _Collector:
    """Collects problems for one file, in the user's language, once per (position, code)."""

    def __init__(self, path: str, lang: str) -> None:
        self.path = path
        self.lang = lang
        self.problems: list[Problem] = []
        self._seen: set[tuple[int, int, str, str]] = set()
        #: The model built from an error-free document, kept so the loader need not build it again.
        self.built: KnowledgeBase | None = None

    def add(self, pos: Position, code: str, message_key: str, /, **params: object) -> None:
        message = t(message_key, self.lang, **params)
        marker = (pos[0], pos[1], code, message)
        if marker in self._seen:
            return
        self._seen.add(marker)
        self.problems.append(Problem(self.path, pos[0], pos[1], code, message, CODES.get(code, ERROR)))

    def raw(self, pos: Position, code: str, message: str) -> None:
        self.problems.append(Problem(self.path, pos[0], pos[1], code, message, CODES.get(code, ERROR)))


def read_file(path: str, lang: str) -> tuple[bytes | None, list[Problem]]:
    """Read at most :data:`MAX_BYTES` + 1 bytes of ``path`` ("-": standard input).

    Returns:
        (bytes, []) or, when the file cannot be opened or read, (None, [an "unreadable"
        problem]). A larger file gives its first bytes, so the size check names it without
        reading it all.
    """
    if path == "-":  # `validate -`: the file on standard input
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            return None, [Problem(path, 0, 0, "unreadable", t("kb.unreadable", lang, reason="stdin"))]
        return stream.read(MAX_BYTES + 1), []
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            # A regular file is read whole when small enough; anything else (too large, a pipe)
            # only up to one byte past the bound, so the size check can name it.
            return (fh.read() if 0 < size <= MAX_BYTES else fh.read(MAX_BYTES + 1)), []
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL byte
        reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
        return None, [Problem(path, 0, 0, "unreadable", t("kb.unreadable", lang, reason=reason))]


def validate_file(path: str, *, lang: str = "vi") -> Report:
    """Validate the knowledge base at ``path``.

    Args:
        path: the file, as the user named it (also used in every problem).
        lang: language of the messages, "vi" or "en".

    Returns:
        A :class:`Report`; ``report.document`` is None when the file has errors.
    """
    data, problems = read_file(path, lang)
    if data is None:
        return Report(path, problems)
    size = None
    if len(data) > MAX_BYTES:
        try:
            size = os.stat(path).st_size
        except OSError:
            size = len(data)
    return validate_bytes(data, path, lang=lang, size=size)


#: What :func:`_check` returns when the file could not be parsed into a document.
_FAILED = object()


def validate_bytes(data: bytes, path: str, *, lang: str = "vi", size: int | None = None) -> Report:
    """Validate knowledge-base ``data`` read from ``path`` (used only in messages).

    Args:
        data: the file's bytes.
        path: the display path.
        lang: language of the messages.
        size: the file's real size in bytes when ``data`` is only its beginning.

    Returns:
        A :class:`Report` with every problem found, in line order.
    """
    out = _Collector(path, lang)
    report = Report(path)
    view = _check(data, out, size)
    report.problems = sorted(out.problems, key=lambda p: (p.line, p.column))
    if view is not _FAILED and not report.errors:
        report.document = view
        report.knowledge_base = out.built
    return report


def _check(data: bytes, out: _Collector, size: int | None) -> Any:
    """Run every check; return the JSON view, or :data:`_FAILED` when there is none."""
    if len(data) > MAX_BYTES:
        out.add((1, 1), "too-large", "kb.too_large", size=size or len(data), limit=MAX_BYTES)
        return _FAILED
    text = _decode(data, out)
    if text is None:
        return _FAILED
    if not text.strip() or _only_comments(text):
        out.add((1, 1), "empty-file", "kb.empty")
        return _FAILED
    if not _scan_events(text, out):
        return _FAILED
    parsed = _compose(text, out)
    if parsed is None:
        return _FAILED
    view, typed = parsed
    from gialai_remote.schema import load_schema

    schema = load_schema("knowledge-base")
    if not isinstance(view, dict):
        found = _type_name(view, out.lang)
        out.add(typed.positions.get((), (1, 1)), "not-a-mapping", "kb.not_a_mapping", found=found)
        return _FAILED
    _check_schema(view, schema, typed, out)
    _check_meaning(view, typed, out)
    if any(p.severity == ERROR for p in out.problems):
        return view
    # The schema is stricter than the model builder (a test proves it), so this only fails
    # when the two have drifted apart; the problem is still reported, never a traceback.
    from gialai_remote.load import BuildError, build

    try:
        out.built = build(view, out.path)
    except BuildError as exc:
        out.raw(typed.position(exc.path), exc.code if exc.code in CODES else "wrong-type", exc.detail)
    return view


def _decode(data: bytes, out: _Collector) -> str | None:
    """UTF-8 text without a BOM, with CRLF line ends kept (YAML reads them)."""
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + bom
        before = data[bom:start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        out.add((line, column), "not-utf8", "kb.not_utf8", offset=start)
        return None


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _loader_class() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _mark(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _syntax(exc: Exception, out: _Collector) -> None:
    import yaml

    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        detail = exc.problem or str(exc)
        if exc.context:
            detail = f"{exc.context}; {detail}"
        out.add(_mark(mark), "yaml-syntax", "kb.yaml_syntax", detail=detail)
    else:
        out.add((0, 0), "yaml-syntax", "kb.yaml_syntax", detail=str(exc).splitlines()[0] if str(exc) else "")


def _scan_events(text: str, out: _Collector) -> bool:
    """Stream the YAML events and stop at the first hostile construct.

    Nothing is built here, so the cost is linear in the file's size whatever the nesting or
    aliases: depth and the size every alias expands to are counted as the events arrive.

    Returns:
        True when the document may be composed; False after reporting why not.
    """
    import yaml

    loader = _loader_class()(text)
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, expanded size] of each open mapping or list
    total = 0
    aliases = False
    try:
        while loader.check_event():
            event = loader.get_event()
            grown = 0
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                tag = event.tag
                if tag not in (None, "!") and tag not in _SAFE_TAGS:
                    out.add(_mark(event.start_mark), "unsafe-tag", "kb.unsafe_tag", tag=_short_tag(tag))
                    return False
            if isinstance(event, yaml.ScalarEvent):
                grown = 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                aliases = True
                grown = sizes.get(event.anchor or "", 1)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    out.add(_mark(event.start_mark), "too-deep", "kb.too_deep", limit=MAX_DEPTH)
                    return False
                stack.append([event.anchor, 1])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, grown = stack.pop()
                if anchor:
                    sizes[anchor] = grown
            if grown:
                if stack:
                    stack[-1][1] += grown
                    current = stack[-1][1]
                else:
                    total += grown
                    current = total
                if current > MAX_NODES or total > MAX_NODES:
                    if aliases:
                        out.add(_mark(event.start_mark), "alias-expansion", "kb.alias_expansion", limit=MAX_NODES)
                    else:
                        out.add(_mark(event.start_mark), "too-large", "kb.too_many_values", limit=MAX_NODES)
                    return False
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own bound (1000)
            out.add(_mark(getattr(exc, "problem_mark", None)), "too-deep", "kb.too_deep", limit=MAX_DEPTH)
        else:
            _syntax(exc, out)
        return False
    finally:
        loader.dispose()
    return True


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


@dataclass
class _Typed:
    """Where every node is, and the plain scalars YAML 1.1 read as something other than text.

    Attributes:
        positions: JSON path -> (line, column) of the value node.
        key_positions: JSON path of a mapping entry -> (line, column) of its key.
        scalars: JSON path -> (resolved tag, source text) of each plain scalar that is not a
            string (``0362123456`` -> int, ``yes`` -> bool, ``2020-04-01`` -> timestamp).
        quoted: JSON paths of scalars written in quotes or as block text.
    """

    positions: dict[JsonPath, Position] = field(default_factory=dict)
    key_positions: dict[JsonPath, Position] = field(default_factory=dict)
    scalars: dict[JsonPath, tuple[str, str]] = field(default_factory=dict)
    quoted: set[JsonPath] = field(default_factory=set)

    def position(self, path: JsonPath) -> Position:
        """The position of ``path``, or of its nearest ancestor that has one."""
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def key_position(self, path: JsonPath) -> Position:
        """The position of the key of entry ``path``, else of its value."""
        return self.key_positions.get(path) or self.position(path)


def _compose(text: str, out: _Collector) -> tuple[Any, _Typed] | None:
    """Compose the YAML nodes (the events were checked) and build the JSON view.

    Returns:
        (view, typed) or None after reporting a syntax error or an empty document.
    """
    import yaml

    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            out.add((1, 1), "empty-file", "kb.empty")
            return None
        typed = _Typed()
        view = _view(node, (), loader, typed, out, {})
        return view, typed
    except yaml.YAMLError as exc:
        _syntax(exc, out)
        return None
    finally:
        loader.dispose()


def _view(node: Any, path: JsonPath, loader: Any, typed: _Typed, out: _Collector, memo: dict[int, Any]) -> Any:
    """The JSON value of ``node``: str, int, float, bool, None, list or dict with str keys.

    Dates become ISO text (what the schema and the builder expect); an impossible date
    (2020-02-30) is reported and kept as its text. Duplicate keys are reported. The depth is
    bounded by :func:`_scan_events`, and aliases are built once (``memo``).
    """
    import yaml

    typed.positions.setdefault(path, _mark(node.start_mark))
    if isinstance(node, yaml.ScalarNode):
        plain = not node.style  # None from PyYAML, "" from libyaml
        if not plain:
            typed.quoted.add(path)
        tag = node.tag
        if tag == _YAML + "str":
            return node.value
        if plain:
            typed.scalars[path] = (tag, node.value)
        if tag == _YAML + "timestamp":
            try:
                value = loader.construct_yaml_timestamp(node)
            except ValueError:
                out.add(_mark(node.start_mark), "impossible-date", "kb.impossible_date", value=node.value)
                typed.scalars.pop(path, None)  # reported once, as what it is
                return node.value
            return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
        try:
            value = loader.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, LookupError):  # LookupError: !!bool maybe, !!int +
            return node.value
        return value if isinstance(value, (str, int, float, bool)) or value is None else node.value
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, yaml.SequenceNode):
        items: list[Any] = []
        memo[id(node)] = items
        for i, item in enumerate(node.value):
            items.append(_view(item, path + (i,), loader, typed, out, memo))
        return items
    mapping: dict[str, Any] = {}
    memo[id(node)] = mapping
    if isinstance(node, yaml.MappingNode):
        # Keys written twice in this mapping lose data; a key that overrides a merged one
        # (``<<: *anchor``) is how merging is meant to be used.
        first: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _YAML + "merge":
                continue
            key = _key(key_node)
            key_pos = _mark(key_node.start_mark)
            if key in first:
                out.add(key_pos, "duplicate-key", "kb.duplicate_key", key=key, line=first[key])
            else:
                first[key] = key_pos[0]
                typed.key_positions.setdefault(path + (key,), key_pos)
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = _key(key_node)
            typed.key_positions.setdefault(path + (key,), _mark(key_node.start_mark))
            mapping[key] = _view(value_node, path + (key,), loader, typed, out, memo)
    return mapping


def _key(node: Any) -> str:
    """A mapping key as the user wrote it (``on:`` stays "on", never YAML 1.1's True)."""
    value = getattr(node, "value", None)
    return value if isinstance(value, str) else f"<{type(node).__name__}>"


# ---------------------------------------------------------------------------------------------
# Structure: the JSON Schema.


def _validator(schema: dict[str, Any]) -> Any:
    """A draft 2020-12 validator that checks formats and, as YAML does, never takes 1.0 for 1."""
    from jsonschema import Draft202012Validator, validators

    def is_integer(_checker: Any, instance: Any) -> bool:
        return isinstance(instance, int) and not isinstance(instance, bool)

    checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", is_integer)
    cls = validators.extend(Draft202012Validator, type_checker=checker)  # type: ignore[no-untyped-call]
    return cls(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _check_schema(view: dict[str, Any], schema: dict[str, Any], typed: _Typed, out: _Collector) -> None:
    """Report every place the JSON view breaks the schema, named as the user wrote it."""
    defs = schema.get("$defs", {})
    def_names = {id(sub): name for name, sub in defs.items()}
    validator = _validator(schema)
    for error in _leaf_errors(validator.iter_errors(view)):
        _report_schema_error(error, def_names, typed, out)
    # Dates became ISO text in the view, so the schema cannot tell a date YAML read where text
    # belongs (name: 2020-04-01) from text; the schema's "format": "date" marks where dates go.
    for path, (tag, _raw) in typed.scalars.items():
        if tag == _YAML + "timestamp":
            found = _schemas_at(schema, path)
            if found and not any(sub.get("format") == "date" for sub in found):
                _trap(path, typed, out)


def _schemas_at(schema: dict[str, Any], path: JsonPath) -> list[dict[str, Any]]:
    """The subschemas that describe the value at ``path`` (local ``$ref``, ``properties``,
    ``items`` and ``anyOf`` branches followed); empty when the schema has no place for it."""
    root = schema
    current = [schema]
    for step in (*path, None):
        resolved: list[dict[str, Any]] = []
        pending = list(current)
        while pending:
            sub = pending.pop()
            ref = sub.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                pending.append(root["$defs"][ref.removeprefix("#/$defs/")])
                continue
            pending.extend(sub.get("anyOf", []))
            resolved.append(sub)
        if step is None:
            return resolved
        current = []
        for sub in resolved:
            if isinstance(step, int) and isinstance(sub.get("items"), dict):
                current.append(sub["items"])
            elif isinstance(step, str) and step in sub.get("properties", {}):
                current.append(sub["properties"][step])
    return current


def _leaf_errors(errors: Any) -> Iterator[Any]:
    """Flatten ``anyOf`` errors into the errors of the branch that fits the value's type."""
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            branches: dict[int, list[Any]] = {}
            for sub in error.context:
                branches.setdefault(sub.relative_schema_path[0], []).append(sub)
            fitting = [subs for subs in branches.values() if not any(s.validator == "type" for s in subs)]
            if len(fitting) == 1:
                yield from _leaf_errors(fitting[0])
                continue
        yield error


def _report_schema_error(error: Any, def_names: dict[int, str], typed: _Typed, out: _Collector) -> None:
    path: JsonPath = tuple(error.absolute_path)
    pos = typed.position(path)
    kind = error.validator
    sub = error.schema if isinstance(error.schema, dict) else {}
    name = def_names.get(id(sub), "")
    instance = error.instance
    lang = out.lang
    if kind == "type":
        expected = error.validator_value
        expected_list = expected if isinstance(expected, list) else [expected]
        # The YAML 1.1 traps (and their "write it in quotes" advice) are about text fields; a
        # number field given 26.5 or yes is simply the wrong type.
        if "string" in expected_list and _trap(path, typed, out):
            return
        if not path:
            out.add(pos, "not-a-mapping", "kb.not_a_mapping", found=_type_name(instance, lang))
            return
        out.add(
            pos,
            "wrong-type",
            "kb.wrong_type",
            expected=t("kb.or", lang).join(t(f"kb.type.{e}", lang) for e in expected_list),
            found=_type_name(instance, lang),
        )
    elif kind == "anyOf":
        if _trap(path, typed, out):
            return
        out.add(pos, "wrong-type", "kb.wrong_type", expected=t("kb.type.tools", lang), found=_type_name(instance, lang))
    elif kind == "required":
        present = instance if isinstance(instance, dict) else {}
        for key in error.validator_value:
            if key not in present:
                out.add(pos, "missing-key", "kb.missing_key", key=key)
    elif kind == "additionalProperties":
        allowed = list(sub.get("properties", {}))
        for key in instance:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = t("kb.did_you_mean", lang, key=close[0]) if close else ""
                out.add(
                    typed.key_position(path + (key,)),
                    "unknown-key",
                    "kb.unknown_key",
                    key=key,
                    allowed=", ".join(allowed),
                    hint=hint,
                )
    elif kind == "const" and path == ("schema_version",):
        out.add(pos, "unsupported-schema-version", "kb.unsupported_schema_version", value=instance, supported=1)
    elif kind == "const":
        if _trap(path, typed, out):
            return
        expected = t("kb.type.tools", lang) if path and path[-1] == "tools" else str(error.validator_value)
        out.add(pos, "wrong-type", "kb.wrong_type", expected=expected, found=_type_name(instance, lang))
    elif kind == "enum":
        if _trap(path, typed, out):
            return
        choices = ", ".join(str(c) for c in error.validator_value)
        if name == "section":
            out.add(pos, "unknown-section", "kb.unknown_section", value=instance, sections=choices)
        else:
            out.add(pos, "wrong-value", "kb.wrong_value", value=instance, choices=choices)
    elif kind == "pattern":
        code, key = {
            "id": ("bad-id", "kb.bad_id"),
            "rule_id": ("bad-id", "kb.bad_rule_id"),
            "phone": ("invalid-phone", "kb.phone_digits"),
            "url": ("bad-url", "kb.bad_url"),
            "date": ("bad-date", "kb.bad_date"),
        }.get(name, ("wrong-value", "kb.bad_pattern"))
        out.add(pos, code, key, value=instance)
    elif kind == "format":
        if isinstance(instance, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", instance):
            out.add(pos, "impossible-date", "kb.impossible_date", value=instance)  # else: bad-date says it
    elif kind == "minLength":
        if path and path[-1] == "en":
            return  # an empty English text is a warning (see _check_translations)
        out.add(pos, "empty-value", "kb.empty_value")
    elif kind == "minimum":
        out.add(pos, "wrong-value", "kb.too_small", value=instance, minimum=error.validator_value)
    else:
        out.raw(pos, "wrong-value", error.message)


def _trap(path: JsonPath, typed: _Typed, out: _Collector) -> bool:
    """Report the YAML 1.1 trap that turned the value at ``path`` into a non-text; True if one did."""
    found = typed.scalars.get(path)
    if found is None:
        return False
    tag, raw = found
    pos = typed.position(path)
    short = tag[len(_YAML) :] if tag.startswith(_YAML) else tag
    value = _resolved(short, raw)
    if short == "int":
        digits = raw.replace("_", "").lstrip("+-")
        if ":" in raw:
            out.add(pos, "yaml-sexagesimal", "kb.yaml_sexagesimal", raw=raw, value=value)
        elif len(digits) > 1 and digits.startswith("0") and not digits.startswith(("0x", "0b")):
            out.add(pos, "yaml-octal", "kb.yaml_octal", raw=raw, value=value)
        else:
            out.add(pos, "yaml-number", "kb.yaml_number", raw=raw, value=value)
    elif short == "float":
        if ":" in raw:
            out.add(pos, "yaml-sexagesimal", "kb.yaml_sexagesimal", raw=raw, value=value)
        else:
            out.add(pos, "yaml-float", "kb.yaml_float", raw=raw, value=value)
    elif short == "bool":
        out.add(pos, "yaml-boolean", "kb.yaml_boolean", raw=raw, value=value)
    elif short == "timestamp":
        out.add(pos, "yaml-date", "kb.yaml_date", raw=raw)
    else:
        return False
    return True


def _resolved(short: str, raw: str) -> str:
    """What YAML 1.1 made of ``raw``, as text: "63481646", "true", "1050", "1.1"."""
    import yaml

    try:
        value = yaml.load(raw, Loader=_loader_class())  # noqa: S506 - the safe loader
    except (yaml.YAMLError, ValueError, TypeError):
        return raw
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _type_name(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        name = "boolean"
    elif value is None:
        name = "null"
    elif isinstance(value, int):
        name = "integer"
    elif isinstance(value, float):
        name = "number"
    elif isinstance(value, str):
        name = "string"
    elif isinstance(value, list):
        name = "array"
    else:
        name = "object"
    return t(f"kb.type.{name}", lang)


# ---------------------------------------------------------------------------------------------
# Meaning: ids, references, phone numbers, translations.


def _entries(view: Mapping[str, Any], key: str) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    items = view.get(key)
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield (key, i), item


def _ids(view: Mapping[str, Any], key: str) -> list[str]:
    return [e["id"] for _, e in _entries(view, key) if isinstance(e.get("id"), str)]


def _check_meaning(view: dict[str, Any], typed: _Typed, out: _Collector) -> None:
    """Unique ids, references, phone numbers, contacts and translations."""
    lang = out.lang
    for key, kind in _ID_LISTS.items():
        first: dict[str, int] = {}
        for path, entry in _entries(view, key):
            item_id = entry.get("id")
            if not isinstance(item_id, str):
                continue
            pos = typed.position(path + ("id",))
            if item_id in first:
                out.add(pos, "duplicate-id", "kb.duplicate_id", what=t(kind, lang), id=item_id, line=first[item_id])
            else:
                first[item_id] = pos[0]
    known = {key: set(_ids(view, key)) for key in _ID_LISTS}
    for key, required in REQUIRED_IDS.items():
        if isinstance(view.get(key), list):
            for item_id in required:
                if item_id not in known[key]:
                    what = t(_ID_LISTS[key], lang)
                    out.add(typed.key_position((key,)), "missing-id", "kb.missing_id", what=what, id=item_id)

    def refer(path: JsonPath, values: Any, kind: str, allowed: set[str], extra: tuple[str, ...] = ()) -> None:
        if not isinstance(values, list):
            return
        for i, value in enumerate(values):
            if isinstance(value, str) and value not in allowed and value not in extra:
                known_values = [*sorted(allowed), *extra]
                close = difflib.get_close_matches(value, known_values, n=1)
                out.add(
                    typed.position(path + (i,)),
                    "unknown-reference",
                    "kb.unknown_reference",
                    what=t(kind, lang),
                    value=value,
                    hint=t("kb.did_you_mean", lang, key=close[0]) if close else "",
                    choices=", ".join(known_values),
                )

    used_contacts: set[str] = set()
    for path, tool in _entries(view, "tools"):
        refer(path + ("contacts",), tool.get("contacts"), "kind.contact", known["contacts"])
        if isinstance(tool.get("contacts"), list):
            used_contacts.update(c for c in tool["contacts"] if isinstance(c, str))
        for step_path, step in _entries(tool, "setup_steps"):
            refer(path + step_path + ("platforms",), step.get("platforms"), "kind.platform", known["platforms"])
    serves_meeting: set[str] = set()
    for path, rule in _entries(view, "rules"):
        if rule.get("tools") != "all":
            refer(path + ("tools",), rule.get("tools"), "kind.tool", known["tools"])
        rule_kind = rule.get("kind")
        if isinstance(rule_kind, str) and rule_kind in _RULE_REFERENCES:
            key, target = _RULE_REFERENCES[rule_kind]
            refer(path + (key,), rule.get(key), _ID_LISTS[target], known[target])
        if rule_kind == "tasks" and isinstance(rule.get("tasks"), list) and "meeting" in rule["tasks"]:
            tools = rule.get("tools")
            if tools == "all":
                serves_meeting.update(known["tools"])
            elif isinstance(tools, list):
                serves_meeting.update(x for x in tools if isinstance(x, str))
    for path, notice in _entries(view, "notices"):
        refer(path + ("affects",), notice.get("affects"), "kind.tool_or_section", known["tools"], SECTIONS)
    _check_phones(view, typed, out)
    for path, contact in _entries(view, "contacts"):
        contact_id = contact.get("id")
        if isinstance(contact_id, str) and contact_id not in used_contacts:
            out.add(typed.position(path + ("id",)), "unused-contact", "kb.unused_contact", id=contact_id)
    for path, tool in _entries(view, "tools"):
        tool_id = tool.get("id")
        url = tool.get("server_url")
        schema_ok = isinstance(url, str) and re.match(r"https?://[^\s/?#]+", url) is not None  # else reported
        if schema_ok and isinstance(url, str) and not _is_server_url(url):
            # What `doctor` connects to: https, a host name, a port from 1 to 65535.
            out.add(typed.position(path + ("server_url",)), "bad-url", "kb.bad_server_url", tool=tool_id, url=url)
        official = tool.get("category") == "official"
        if isinstance(tool_id, str) and tool_id in serves_meeting and official and not tool.get("contacts"):
            out.add(typed.position(path + ("id",)), "no-contact", "kb.no_contact", id=tool_id)
    _check_translations(view, (), typed, out)


def _is_server_url(url: str) -> bool:
    """True for a server URL every reader reads alike (``gialai_remote.urls.check_server_url``)."""
    from gialai_remote.urls import check_server_url

    return check_server_url(url) is None


def _check_phones(view: dict[str, Any], typed: _Typed, out: _Collector) -> None:
    """Each contact's phone must be a valid Vietnamese number (region VN), written in quotes."""
    import phonenumbers

    for path, contact in _entries(view, "contacts"):
        phone = contact.get("phone")
        phone_path = path + ("phone",)
        if not isinstance(phone, str) or not phone.isascii() or not phone.isdigit():
            continue  # the schema reports numbers read by YAML and non-digits
        try:
            valid = phonenumbers.is_valid_number(phonenumbers.parse(phone, "VN"))
        except phonenumbers.NumberParseException:
            valid = False
        if not valid:
            out.add(typed.position(phone_path), "invalid-phone", "kb.invalid_phone", value=phone)
        elif phone_path not in typed.quoted:
            out.add(typed.position(phone_path), "unquoted-phone", "kb.unquoted_phone", raw=phone)


def _check_translations(value: Any, path: JsonPath, typed: _Typed, out: _Collector) -> None:
    """Warn about each text with Vietnamese but no English (missing or empty ``en``)."""
    if isinstance(value, dict):
        if "vi" in value and set(value) <= {"vi", "en"}:
            vi, en = value.get("vi"), value.get("en", "")
            if isinstance(vi, str) and vi.strip() and isinstance(en, str) and not en.strip():
                at = path + ("en",) if "en" in value else path
                out.add(typed.position(at), "missing-translation", "kb.missing_translation", vi=_clip(vi))
            return
        for key, item in value.items():
            _check_translations(item, path + (key,), typed, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_translations(item, path + (i,), typed, out)


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
