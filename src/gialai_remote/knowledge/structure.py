"""The structure of a knowledge base: the published JSON Schema, and the YAML 1.1 traps.

:func:`check_structure` checks the JSON view (:func:`gialai_remote.knowledge.parse.parse`)
against ``schemas/knowledge-base.schema.json`` (the file ``gialai-remote schema`` prints; a file
whose ``schema_version`` is 1 against ``schemas/knowledge-base-v1.schema.json``, the format it
was written in: :mod:`gialai_remote.knowledge.upgrade` reads it) with ``jsonschema``, and words
each error as the user wrote the file: where YAML 1.1 turned a text into something else
(``0362123456`` into an octal number, ``yes`` into true, a date), the error is
reported as that trap, with the advice to write the value in quotes.

jsonschema and PyYAML are imported inside the functions: the built-in knowledge base never
comes here.
"""

from __future__ import annotations

import copy as copy_module
import difflib
import re
from collections.abc import Iterator
from typing import Any

from gialai_remote.i18n import t
from gialai_remote.knowledge.parse import YAML_TAG, Typed, loader_class
from gialai_remote.knowledge.report import Collector, JsonPath, Later


def check_structure(view: Any, typed: Typed, out: Collector, schema: dict[str, Any] | None = None) -> bool:
    """Check ``view`` against the knowledge-base schema and report every place it breaks it.

    Args:
        view: the JSON view of the document.
        typed: where each value is, and the scalars YAML 1.1 retyped.
        out: where problems go.
        schema: the schema to check against; the published knowledge-base schema when None
            (a layer file is checked against the one :mod:`~gialai_remote.knowledge.layers`
            derives from it).

    Returns:
        False when the document is not a mapping at all, or has a ``schema_version`` this code
        does not read (reported; nothing else can be checked), else True (whether or not problems were found).
    """
    from gialai_remote.schema import load_schema

    if not isinstance(view, dict):
        found = type_name(view, out.lang)
        out.add(typed.positions.get((), (1, 1)), "not-a-mapping", "kb.not_a_mapping", found=found)
        return False
    if schema is not None:  # a layer (knowledge/layers.py): its own schema, whatever its version says
        _check_schema(view, schema, typed, out)
        return True
    version = view.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version not in (1, 2):
        # A format this code does not know: its other keys cannot be judged, so say only that.
        out.add(
            typed.position(("schema_version",)),
            "unsupported-schema-version",
            "kb.unsupported_schema_version",
            value=version,
            supported="1, 2",
        )
        return False
    old_format = version == 1 and not isinstance(version, bool)
    if old_format:  # read as format 2 (knowledge/upgrade.py); say in one line how to upgrade it
        out.add(typed.position(("schema_version",)), "schema-version-1", "kb.schema_version_1")
    schema = load_schema("knowledge-base-v1" if old_format else "knowledge-base")
    _check_schema(view, schema, typed, out)
    return True


def _validator(schema: dict[str, Any]) -> Any:
    """A draft 2020-12 validator that checks formats and, as YAML does, never takes 1.0 for 1."""
    from jsonschema import Draft202012Validator, validators

    def is_integer(_checker: Any, instance: Any) -> bool:
        return isinstance(instance, int) and not isinstance(instance, bool)

    checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", is_integer)
    cls = validators.extend(Draft202012Validator, type_checker=checker)  # type: ignore[no-untyped-call]
    return cls(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` where each ``{"$ref": "#/$defs/NAME"}`` is the definition itself.

    Every use of a definition is the same dict (a definition that refers to itself becomes a
    cycle, which validation follows only as deep as the document goes), so errors still name
    their definition by identity. jsonschema then never resolves a reference: that took 60 %
    of the schema check on a file with 100,000 ids (issue 11). The errors are the same.
    """
    copy: dict[str, Any] = copy_module.deepcopy(schema)
    defs = copy.get("$defs", {})

    def target(node: Any) -> Any:
        if isinstance(node, dict) and set(node) == {"$ref"} and isinstance(node["$ref"], str):
            name = node["$ref"].removeprefix("#/$defs/")
            if node["$ref"].startswith("#/$defs/") and name in defs:
                return defs[name]
        return None

    pending: list[Any] = [copy]
    while pending:
        node = pending.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            found = target(value)
            if found is not None:
                node[key] = found  # not walked here: it is walked as a definition
            else:
                pending.append(value)
    return copy


def _check_schema(view: dict[str, Any], schema: dict[str, Any], typed: Typed, out: Collector) -> None:
    """Report every place the JSON view breaks the schema, named as the user wrote it."""
    inlined = _inlined(schema)
    def_names = {id(sub): name for name, sub in inlined.get("$defs", {}).items()}
    validator = _validator(inlined)
    for error in _leaf_errors(validator.iter_errors(view)):
        _report_schema_error(error, def_names, typed, out)
    # Dates became ISO text in the view, so the schema cannot tell a date YAML read where text
    # belongs (name: 2020-04-01) from text; the schema's "format": "date" marks where dates go.
    for path, (tag, _raw) in typed.scalars.items():
        if tag == YAML_TAG + "timestamp":
            found = _schemas_at(schema, path)
            if found and not any(sub.get("format") == "date" for sub in found):
                trap(path, typed, out)


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
            prefix = sub.get("prefixItems", [])
            if isinstance(step, int) and step < len(prefix):
                current.append(prefix[step])
            elif isinstance(step, int) and isinstance(sub.get("items"), dict):
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


def _did_you_mean(key: str, allowed: list[str], lang: str) -> str:
    """' (did you mean "priority"?)' for the allowed key closest to ``key``, or ""."""
    close = difflib.get_close_matches(key, allowed, n=1)
    return t("kb.did_you_mean", lang, key=close[0]) if close else ""


def _report_schema_error(error: Any, def_names: dict[int, str], typed: Typed, out: Collector) -> None:
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
        if "string" in expected_list and trap(path, typed, out):
            return
        if not path:
            out.add(pos, "not-a-mapping", "kb.not_a_mapping", found=type_name(instance, lang))
            return
        out.add(
            pos,
            "wrong-type",
            "kb.wrong_type",
            expected=t("kb.or", lang).join(t(f"kb.type.{e}", lang) for e in expected_list),
            found=type_name(instance, lang),
        )
    elif kind == "anyOf":
        if trap(path, typed, out):
            return
        expected = {"cite": "kb.type.cite", "nullable_date": "kb.type.date_or_null"}.get(name)
        if expected is None:
            expected = "kb.type.tools" if path and path[-1] == "tools" else "kb.type.text_or_null"
        out.add(pos, "wrong-type", "kb.wrong_type", expected=t(expected, lang), found=type_name(instance, lang))
    elif kind == "required":
        present = instance if isinstance(instance, dict) else {}
        for key in error.validator_value:
            if key not in present:
                out.add(pos, "missing-key", "kb.missing_key", key=key)
    elif kind == "additionalProperties":
        allowed = list(sub.get("properties", {}))
        allowed_text = ", ".join(allowed)
        for key in instance:
            if key not in allowed:
                out.add(
                    typed.key_position(path + (key,)),
                    "unknown-key",
                    "kb.unknown_key",
                    key=key,
                    allowed=allowed_text,
                    hint=Later(_did_you_mean, key, allowed, lang),
                )
    elif kind == "const" and path == ("schema_version",):
        out.add(pos, "unsupported-schema-version", "kb.unsupported_schema_version", value=instance, supported="1, 2")
    elif kind == "const":
        if trap(path, typed, out):
            return
        expected = t("kb.type.tools", lang) if path and path[-1] == "tools" else str(error.validator_value)
        out.add(pos, "wrong-type", "kb.wrong_type", expected=expected, found=type_name(instance, lang))
    elif kind == "enum":
        if trap(path, typed, out):
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
            return  # an empty English text is a warning (see meaning.check_translations)
        out.add(pos, "empty-value", "kb.empty_value")
    elif kind == "minimum":
        out.add(pos, "wrong-value", "kb.too_small", value=instance, minimum=error.validator_value)
    else:
        out.raw(pos, "wrong-value", error.message)


def trap(path: JsonPath, typed: Typed, out: Collector) -> bool:
    """Report the YAML 1.1 trap that turned the value at ``path`` into a non-text.

    Args:
        path: where the value is.
        typed: the scalars YAML 1.1 retyped, and where they are.
        out: where the problem goes.

    Returns:
        True when the value was a retyped plain scalar (the problem is reported), else False.
    """
    found = typed.scalars.get(path)
    if found is None:
        return False
    tag, raw = found
    pos = typed.position(path)
    short = tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag
    value = Later(_resolved, short, raw)  # the same raw text always resolves the same way
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
        value = yaml.load(raw, Loader=loader_class())  # noqa: S506 - the safe loader
    except (yaml.YAMLError, ValueError, TypeError):
        return raw
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def type_name(value: Any, lang: str) -> str:
    """The JSON type of ``value`` in words of ``lang`` ("text", "a list", "key: value pairs"...)."""
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
