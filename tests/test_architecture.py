"""The shape the code promises (docs/development.md, "Architecture"), checked on the source.

- No import circle in ``src/``: every import counts, at module level, inside functions and
  under ``if TYPE_CHECKING:``, absolute and relative, plus the command modules the root group
  imports by name (``cli/commands.py``'s registry, loaded by ``cli/lazy.py``).
- No module over :data:`MAX_LINES` lines but the message catalogue.
- Imports point toward the core: the core (everything outside ``cli/`` and ``render/``)
  imports nothing of typer, rich or click, nor ``gialai_remote.cli`` or
  ``gialai_remote.render``; ``render/`` imports nothing of ``gialai_remote.cli``.

The source is read with :mod:`ast`, never imported, so a circle hidden inside a function is
found as well as one at the top of a module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = "gialai_remote"
MAX_LINES = 500
#: Modules allowed to be longer: the message catalogue is data, one entry per text.
LONG_ALLOWED = frozenset({"gialai_remote.catalogue"})
#: Third-party packages of the terminal, which only cli/ and render/ may import.
TERMINAL_PACKAGES = frozenset({"typer", "rich", "click"})

#: Violations known when this test was written, each fixed on another branch of issue 10.
#: The test passes while each of them still occurs, and FAILS once one no longer does, so
#: that the entry is removed when its branch lands (the list cannot rot). Spelling:
#: "cycle: A <-> B" (the modules of one circle, sorted), "long: MODULE",
#: "core-imports: MODULE -> IMPORTED", "render-imports: MODULE -> IMPORTED".
KNOWN_EXCEPTIONS: frozenset[str] = frozenset()


# ---- reading the source ------------------------------------------------------------------


def modules(src: Path) -> dict[str, Path]:
    """Every module under ``src``: dotted name -> file (a package is its ``__init__.py``)."""
    found: dict[str, Path] = {}
    for path in sorted(src.rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_names(name: str, path: Path) -> Iterator[str]:
    """Every dotted name module ``name`` (file ``path``) imports, at any depth of its code.

    ``import a.b`` gives "a.b"; ``from a import b, c`` gives "a.b" and "a.c" (each may be a
    module or a name in module "a": see :func:`target`); relative imports are made absolute.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*base_parts, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            yield from (f"{base}.{alias.name}" for alias in node.names)


def target(imported: str, known: dict[str, Path]) -> str | None:
    """The module of ``known`` that importing ``imported`` runs: the longest known prefix."""
    name = imported
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def registry_imports(known: dict[str, Path]) -> dict[str, set[str]]:
    """The imports made by name: ``cli/lazy.py`` imports every module of the command registry."""
    lazy, registry = f"{PACKAGE}.cli.lazy", f"{PACKAGE}.cli.commands"
    if lazy not in known or registry not in known:
        return {}
    tree = ast.parse(known[registry].read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
            names |= {v.value for v in node.value.values if isinstance(v, ast.Constant) and isinstance(v.value, str)}
    return {lazy: {n for n in names if n in known}}


def import_graph(src: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same tree it imports (itself excluded)."""
    known = modules(src)
    graph = {
        name: {t for i in imported_names(name, path) if (t := target(i, known)) and t != name}
        for name, path in known.items()
    }
    for name, extra in registry_imports(known).items():
        graph[name] |= extra
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``graph``: its strongly connected components of two or more modules.

    Each circle is a sorted list of module names; the list is sorted too. Tarjan's algorithm,
    iterative (no recursion limit on a long chain).
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def _within(name: str, package: str) -> bool:
    """Whether module ``name`` is ``package`` or inside it."""
    return name == package or name.startswith(package + ".")


def is_core(name: str) -> bool:
    """Whether ``name`` is the core: neither the command line nor the renderers.

    ``gialai_remote.__main__`` (``python -m gialai_remote``) is the command line's other door.
    """
    return not (name == f"{PACKAGE}.__main__" or _within(name, f"{PACKAGE}.cli") or _within(name, f"{PACKAGE}.render"))


# ---- what the checks find ----------------------------------------------------------------


def cycle_violations(src: Path) -> set[str]:
    """One "cycle: A <-> B ..." per import circle under ``src``."""
    return {"cycle: " + " <-> ".join(circle) for circle in cycles(import_graph(src))}


def long_violations(src: Path) -> dict[str, int]:
    """Every module over :data:`MAX_LINES` lines, as "long: MODULE" -> its line count."""
    found = {}
    for name, path in modules(src).items():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_LINES and name not in LONG_ALLOWED:
            found[f"long: {name}"] = count
    return found


def layer_violations(src: Path) -> set[str]:
    """Imports against the direction of the pipeline (see the module's docstring)."""
    known = modules(src)
    found: set[str] = set()
    for name, path in known.items():
        for imported in imported_names(name, path):
            local = target(imported, known)
            module = local or imported.rpartition(".")[0] or imported
            if is_core(name):
                if imported.split(".")[0] in TERMINAL_PACKAGES or (
                    local and (_within(local, f"{PACKAGE}.cli") or _within(local, f"{PACKAGE}.render"))
                ):
                    found.add(f"core-imports: {name} -> {module}")
            elif _within(name, f"{PACKAGE}.render") and local and _within(local, f"{PACKAGE}.cli"):
                found.add(f"render-imports: {name} -> {local}")
    return found


def _check(kind: str, found: set[str], exceptions: frozenset[str] = KNOWN_EXCEPTIONS) -> None:
    """Fail on a violation of ``kind`` not in ``exceptions``, and on one there that has gone."""
    known = {e for e in exceptions if e.startswith(kind + ":")}
    new = sorted(found - known)
    gone = sorted(known - found)
    assert not new, f"new {kind} violations: {new}"
    assert not gone, f"fixed, remove from KNOWN_EXCEPTIONS in tests/test_architecture.py: {gone}"


# ---- the rules, on the real source -------------------------------------------------------


def test_no_import_circle() -> None:
    _check("cycle", cycle_violations(SRC))


def test_no_module_over_500_lines() -> None:
    found = long_violations(SRC)
    assert {k for k in found if k not in KNOWN_EXCEPTIONS} == set(), found
    _check("long", set(found))


def test_the_core_imports_nothing_of_the_terminal() -> None:
    found = layer_violations(SRC)
    _check("core-imports", {v for v in found if v.startswith("core-imports:")})
    _check("render-imports", {v for v in found if v.startswith("render-imports:")})


def test_every_known_exception_names_a_real_module() -> None:
    known = modules(SRC)
    for entry in KNOWN_EXCEPTIONS:
        kind, _, rest = entry.partition(": ")
        assert kind in ("cycle", "long", "core-imports", "render-imports"), entry
        names = rest.replace(" -> ", " <-> ").split(" <-> ")
        assert names[0] in known, entry


# ---- the checks themselves, on a small tree built for them --------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_circles_are_found_however_the_import_is_written(tmp_path: Path) -> None:
    src = _tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            # a -> b at module level (relative), b -> a inside a function (absolute).
            "pkg/a.py": "from . import b\n",
            "pkg/b.py": "def f():\n    import pkg.a\n",
            # c -> d under TYPE_CHECKING, d -> c through a relative import of a name.
            "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.d import x\n",
            "pkg/d.py": "def g():\n    from .c import y\n",
            # sub/e -> f two levels up: no circle, f imports nothing back.
            "pkg/sub/__init__.py": "",
            "pkg/sub/e.py": "from ..f import z\n",
            "pkg/f.py": "import os\nimport typer\n",
            # g -> h -> i -> g: one circle of three.
            "pkg/g.py": "class K:\n    def m(self):\n        from pkg import h\n",
            "pkg/h.py": "from pkg.i import thing\n",
            "pkg/i.py": "import pkg.g as alias\n",
        },
    )
    graph = import_graph(src)
    assert graph["pkg.sub.e"] == {"pkg.f"}
    assert graph["pkg.f"] == set()
    assert cycles(graph) == [["pkg.a", "pkg.b"], ["pkg.c", "pkg.d"], ["pkg.g", "pkg.h", "pkg.i"]]
    assert cycle_violations(src) == {
        "cycle: pkg.a <-> pkg.b",
        "cycle: pkg.c <-> pkg.d",
        "cycle: pkg.g <-> pkg.h <-> pkg.i",
    }


def test_a_chain_without_circle_has_none() -> None:
    chain = {f"m{i}": {f"m{i + 1}"} for i in range(5000)}
    chain["m5000"] = set()
    assert cycles(chain) == []
    chain["m5000"] = {"m0"}
    assert cycles(chain) == [sorted(chain)]


def test_the_command_registry_counts_as_imports(tmp_path: Path) -> None:
    src = _tree(
        tmp_path,
        {
            f"{PACKAGE}/__init__.py": "",
            f"{PACKAGE}/cli/__init__.py": "",
            f"{PACKAGE}/cli/commands.py": 'COMMANDS: dict[str, str] = {"run": "gialai_remote.cli.run"}\n',
            f"{PACKAGE}/cli/lazy.py": "import importlib\n",
            f"{PACKAGE}/cli/run.py": "from gialai_remote.cli.lazy import importlib\n",
        },
    )
    assert cycle_violations(src) == {"cycle: gialai_remote.cli.lazy <-> gialai_remote.cli.run"}


def test_long_modules_and_layer_violations_are_found(tmp_path: Path) -> None:
    src = _tree(
        tmp_path,
        {
            f"{PACKAGE}/__init__.py": "",
            f"{PACKAGE}/catalogue.py": "x = 1\n" * 900,
            f"{PACKAGE}/big.py": "x = 1\n" * 501,
            f"{PACKAGE}/fine.py": "x = 1\n" * 500,
            f"{PACKAGE}/core.py": "def f():\n    from rich.text import Text\n    from .render import lines\n",
            f"{PACKAGE}/__main__.py": "from gialai_remote.cli.main import cli\n",
            f"{PACKAGE}/render/__init__.py": "",
            f"{PACKAGE}/render/lines.py": "import rich\nfrom ..cli import app\n",
            f"{PACKAGE}/cli/__init__.py": "",
            f"{PACKAGE}/cli/app.py": "import typer\nfrom gialai_remote import core\n",
        },
    )
    assert long_violations(src) == {"long: gialai_remote.big": 501}
    assert layer_violations(src) == {
        "core-imports: gialai_remote.core -> rich.text",
        "core-imports: gialai_remote.core -> gialai_remote.render.lines",
        "render-imports: gialai_remote.render.lines -> gialai_remote.cli.app",
    }


def test_a_known_exception_that_has_gone_fails() -> None:
    known = frozenset({"cycle: pkg.a <-> pkg.b", "long: pkg.big"})
    _check("cycle", {"cycle: pkg.a <-> pkg.b"}, known)  # still there: passes
    with pytest.raises(AssertionError, match=r"fixed, remove .*'cycle: pkg.a <-> pkg.b'"):
        _check("cycle", set(), known)
    with pytest.raises(AssertionError, match=r"fixed, remove .*'long: pkg.big'"):
        _check("long", set(), known)
    with pytest.raises(AssertionError, match=r"new cycle violations: \['cycle: pkg.c <-> pkg.d'\]"):
        _check("cycle", {"cycle: pkg.a <-> pkg.b", "cycle: pkg.c <-> pkg.d"}, known)
