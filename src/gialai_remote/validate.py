"""Check a knowledge-base file and report every problem with its line and column.

Used by ``gialai-remote validate`` and by the loader for any file given with ``--data``.
Problems are :class:`gialai_remote.errors.Problem` objects, printed as
``PATH:LINE:COLUMN: CODE message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gialai_remote.errors import Problem
from gialai_remote.i18n import t

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class Report:
    """What validation found.

    Attributes:
        path: the file's display path.
        problems: every problem, errors and warnings, in line order.
        document: the parsed document when it could be parsed, else None.
    """

    path: str
    problems: list[Problem] = field(default_factory=list)
    document: Any = None

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity "error"."""
        return [p for p in self.problems if p.severity == "error"]


def read_file(path: str, lang: str) -> tuple[bytes | None, list[Problem]]:
    """Read ``path``'s bytes; on failure return None and an "unreadable" problem."""
    try:
        with open(path, "rb") as fh:
            return fh.read(), []
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return None, [Problem(path, 0, 0, "unreadable", t("kb.unreadable", lang, reason=reason))]


def validate_file(path: str, *, lang: str = "vi") -> Report:
    """Validate the knowledge base at ``path``.

    Returns:
        A :class:`Report`; ``report.document`` is None when the file could not be parsed.
    """
    data, problems = read_file(path, lang)
    if data is None:
        return Report(path, problems)
    return validate_bytes(data, path, lang=lang)


def validate_bytes(data: bytes, path: str, *, lang: str = "vi") -> Report:
    """Validate knowledge-base ``data`` read from ``path`` (used only for messages)."""
    import yaml

    from gialai_remote.load import BuildError, build

    report = Report(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.problems.append(
            Problem(path, 0, 0, "not-utf8", t("kb.not_utf8", lang, offset=exc.start))
        )
        return report
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
        if node is None:
            report.problems.append(Problem(path, 1, 1, "empty-file", t("kb.empty", lang)))
            return report
        positions: dict[JsonPath, Position] = {}
        _walk(node, (), positions, report, lang)
        document = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        report.problems.append(
            Problem(path, line, col, "yaml-syntax", t("kb.yaml_syntax", lang, detail=exc.problem or str(exc)))
        )
        return report
    except yaml.YAMLError as exc:
        report.problems.append(Problem(path, 0, 0, "yaml-syntax", t("kb.yaml_syntax", lang, detail=str(exc))))
        return report
    finally:
        loader.dispose()
    if report.errors:
        return report
    try:
        build(document, path)
    except BuildError as exc:
        line, col = _position(positions, exc.path)
        report.problems.append(Problem(path, line, col, exc.code, exc.detail))
        return report
    report.document = document
    return report


def _position(positions: dict[JsonPath, Position], path: JsonPath) -> Position:
    """The position of ``path``, or of its nearest ancestor that has one."""
    while path and path not in positions:
        path = path[:-1]
    return positions.get(path, (1, 1))


def _walk(node: Any, path: JsonPath, positions: dict[JsonPath, Position], report: Report, lang: str) -> None:
    """Record the position of every node and report duplicate keys."""
    import yaml

    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in seen:
                report.problems.append(
                    Problem(
                        report.path,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        "duplicate-key",
                        t("kb.duplicate_key", lang, key=key, line=seen[key]),
                    )
                )
            else:
                seen[key] = key_node.start_mark.line + 1
            _walk(value_node, path + (str(key),), positions, report, lang)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), positions, report, lang)
