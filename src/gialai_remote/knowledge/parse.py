"""YAML, read safely: the event scan with the hostile-file bounds, then the JSON view with positions.

:func:`parse` takes the decoded text (see :mod:`gialai_remote.knowledge.read`) and gives what
the later checks read:

1. YAML events, streamed before anything is built: syntax, a bound on nesting
   (:data:`MAX_DEPTH`) and on the values aliases expand to (:data:`MAX_NODES`, against
   "billion laughs" files), and only plain data tags (a ``!!python/...`` tag is an error and
   nothing is ever constructed from it: only the safe loader is used);
2. YAML nodes: duplicate keys, and the JSON view of the document (what the schema and the
   model builder read), noting in a :class:`Typed` where every value is and every plain
   scalar that YAML 1.1 read as something other than text (``0362123456`` as octal, ``yes``
   as true, ``17:30`` as 1050, ``1.10`` as 1.1, dates).

PyYAML is imported inside the functions: the built-in knowledge base never comes here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from gialai_remote.knowledge.report import Collector, JsonPath, Position

#: The deepest nesting of mappings and lists accepted (guidance.yaml needs 6).
MAX_DEPTH = 32
#: The most values (scalars, mappings, lists) the document may hold once every alias is
#: expanded; a "billion laughs" file reaches this after a few hundred events.
MAX_NODES = 200_000

#: The prefix of YAML's own tags ("tag:yaml.org,2002:str").
YAML_TAG = "tag:yaml.org,2002:"
#: The only tags a knowledge base may carry: plain data.
SAFE_TAGS = frozenset(
    YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge")
)


@dataclass
class Typed:
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
        """The position of ``path``, or of its nearest ancestor that has one ((1, 1) at worst)."""
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def key_position(self, path: JsonPath) -> Position:
        """The position of the key of entry ``path``, else of its value."""
        return self.key_positions.get(path) or self.position(path)


def loader_class() -> Any:
    """PyYAML's safe loader: libyaml's ``CSafeLoader`` when it is there, else ``SafeLoader``."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, out: Collector) -> tuple[Any, Typed] | None:
    """Scan and compose ``text``: the JSON view of the document and where each value is.

    Args:
        text: the decoded file.
        out: where problems go.

    Returns:
        (view, typed): ``view`` is made of str, int, float, bool, None, list and dict with
        str keys (dates as ISO text); or None after reporting why there is no document
        (empty, a syntax error, a hostile construct).
    """
    if not text.strip() or _only_comments(text):
        out.add((1, 1), "empty-file", "kb.empty")
        return None
    if not _scan_events(text, out):
        return None
    return _compose(text, out)


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _mark(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _syntax(exc: Exception, out: Collector) -> None:
    import yaml

    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        detail = exc.problem or str(exc)
        if exc.context:
            detail = f"{exc.context}; {detail}"
        out.add(_mark(mark), "yaml-syntax", "kb.yaml_syntax", detail=detail)
    else:
        out.add((0, 0), "yaml-syntax", "kb.yaml_syntax", detail=str(exc).splitlines()[0] if str(exc) else "")


def _scan_events(text: str, out: Collector) -> bool:
    """Stream the YAML events and stop at the first hostile construct.

    Nothing is built here, so the cost is linear in the file's size whatever the nesting or
    aliases: depth and the size every alias expands to are counted as the events arrive.

    Returns:
        True when the document may be composed; False after reporting why not.
    """
    import yaml

    loader = loader_class()(text)
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
                if tag not in (None, "!") and tag not in SAFE_TAGS:
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
    return "!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag


def _compose(text: str, out: Collector) -> tuple[Any, Typed] | None:
    """Compose the YAML nodes (the events were checked) and build the JSON view.

    Returns:
        (view, typed) or None after reporting a syntax error or an empty document.
    """
    import yaml

    loader = loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            out.add((1, 1), "empty-file", "kb.empty")
            return None
        typed = Typed()
        view = _view(node, (), loader, typed, out, {})
        return view, typed
    except yaml.YAMLError as exc:
        _syntax(exc, out)
        return None
    finally:
        loader.dispose()


def _view(node: Any, path: JsonPath, loader: Any, typed: Typed, out: Collector, memo: dict[int, Any]) -> Any:
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
        if tag == YAML_TAG + "str":
            return node.value
        if plain:
            typed.scalars[path] = (tag, node.value)
        if tag == YAML_TAG + "timestamp":
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
            if key_node.tag == YAML_TAG + "merge":
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
