"""The private typer pieces the CLI uses are where the code expects them, with the same shape.

typer is capped below its next minor release (pyproject.toml) because ``src/gialai_remote/cli``
reaches into modules that are not typer's public API. Each piece is checked on its own, so a
typer release that moves one fails with its name and the module of ours that uses it, rather
than with a traceback in some unrelated CLI test. docs/development.md ("Typer's private
pieces") says what to check before raising the cap.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / "src" / "gialai_remote" / "cli"


@dataclass(frozen=True)
class Piece:
    """One private thing of typer the CLI relies on.

    Attributes:
        path: "module:attribute.attribute" (the attribute part may be empty).
        used_by: the file of ours that uses it, below src/gialai_remote/cli.
        parameters: keyword parameters our code passes (the callable must accept them).
        attributes: attributes our code reads on the object (or on an instance, for a class
            whose instances we make: then ``instance`` builds one).
    """

    path: str
    used_by: str
    parameters: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()

    def resolve(self) -> Any:
        module_name, _, attrs = self.path.partition(":")
        try:
            obj: Any = importlib.import_module(module_name)
        except ImportError as exc:
            pytest.fail(f"typer moved {module_name} (used by cli/{self.used_by}): {exc}")
        for attr in filter(None, attrs.split(".")):
            if not hasattr(obj, attr):
                pytest.fail(f"typer moved {self.path}: no {attr!r} (used by cli/{self.used_by})")
            obj = getattr(obj, attr)
        return obj


PIECES = [
    Piece("typer._click.formatting:HelpFormatter", "helptext.py", attributes=("write_usage", "write_heading")),
    Piece("typer._click.formatting:HelpFormatter.write_usage", "helptext.py", parameters=("prog", "args", "prefix")),
    Piece("typer._click.formatting:HelpFormatter.write_heading", "helptext.py", parameters=("heading",)),
    Piece("typer._completion_shared:install", "helptext.py", parameters=("shell",)),
    Piece("typer.main:get_command", "main.py", parameters=("typer_instance",)),
    Piece("typer.main:get_command_name", "lazy.py", parameters=("name",)),
    Piece(
        "typer.main:get_command_from_info",
        "lazy.py",
        parameters=("command_info", "pretty_exceptions_short", "rich_markup_mode"),
    ),
    Piece(
        "typer.main:get_group_from_info",
        "lazy.py",
        parameters=("group_info", "pretty_exceptions_short", "suggest_commands", "rich_markup_mode"),
    ),
    Piece("typer.core:TyperGroup", "lazy.py", attributes=("get_command", "list_commands")),
    # The parser's errors, recognised by class name and read for their fields (helptext.usage_message).
    Piece("typer._click.exceptions:NoSuchOption", "helptext.py"),
    Piece("typer._click.exceptions:BadOptionUsage", "helptext.py"),
    Piece("typer._click.exceptions:NoArgsIsHelpError", "helptext.py"),
    Piece("typer._click.exceptions:UsageError", "helptext.py", attributes=("format_message",)),
    Piece("typer:TyperException", "main.py"),
    Piece("typer:Abort", "main.py"),
    Piece("typer:Exit", "main.py"),
]


@pytest.mark.parametrize("piece", PIECES, ids=lambda p: p.path)
def test_the_private_piece_is_where_the_cli_expects_it(piece: Piece) -> None:
    obj = piece.resolve()
    for attr in piece.attributes:
        assert hasattr(obj, attr), f"typer changed {piece.path}: no {attr!r} (used by cli/{piece.used_by})"
    if piece.parameters:
        accepted = inspect.signature(obj).parameters
        missing = [name for name in piece.parameters if name not in accepted]
        assert not missing, (
            f"typer changed {piece.path}{inspect.signature(obj)}: no parameter {', '.join(missing)} "
            f"(used by cli/{piece.used_by})"
        )


def test_the_completion_installer_still_returns_the_shell_and_the_path() -> None:
    """helptext.py unpacks ``name, path = install(shell=...)``."""
    from typer._completion_shared import install

    returned = inspect.signature(install).return_annotation
    assert "tuple" in str(returned) and "Path" in str(returned), f"typer changed install() -> {returned}"


def test_the_exceptions_carry_the_fields_the_messages_read() -> None:
    from typer._click.exceptions import BadOptionUsage, NoSuchOption

    err = NoSuchOption("--colour", possibilities=["--color"])
    assert (err.option_name, list(err.possibilities or ())) == ("--colour", ["--color"]), "NoSuchOption changed"
    assert BadOptionUsage("--lang", "x").option_name == "--lang", "BadOptionUsage changed"
    import typer

    assert typer.Exit(3).exit_code == 3, "typer.Exit lost exit_code (cli/main.py)"


def test_the_app_and_its_registrations_have_the_fields_lazy_py_reads() -> None:
    import typer

    app = typer.Typer(pretty_exceptions_short=True, rich_markup_mode="rich")

    @app.command("probe")
    def probe() -> None:
        """A command."""

    for attr in ("registered_commands", "registered_groups", "pretty_exceptions_short", "rich_markup_mode"):
        assert hasattr(app, attr), f"typer.Typer has no {attr!r} (used by cli/lazy.py)"
    info = app.registered_commands[0]
    assert (info.name, info.callback) == ("probe", probe), "typer.models.CommandInfo changed (cli/lazy.py)"


def test_help_contexts_and_parameters_have_the_hooks_helptext_py_sets() -> None:
    """formatter_class, get_help_option, display_type_rich, param_type_name: what localize() touches."""
    import typer.core
    from typer.main import get_command

    from gialai_remote.cli.app import app

    command = get_command(app)
    ctx = command.make_context("gialai-remote", ["--help"], resilient_parsing=True)
    assert hasattr(type(ctx), "formatter_class"), "click's Context.formatter_class moved (cli/helptext.py)"
    assert command.get_help_option(ctx) is not None, "Command.get_help_option moved (cli/helptext.py)"
    assert isinstance(command, typer.core.TyperGroup), "typer.main.get_command no longer gives a group (cli/lazy.py)"
    recommend = command.get_command(ctx, "recommend")
    assert recommend is not None, "the lazy group lost recommend (cli/lazy.py)"
    kinds = {getattr(p, "param_type_name", None) for p in recommend.params}
    assert "option" in kinds, "click parameters lost param_type_name (cli/helptext.py)"
    # typer 0.29 writes an argument's Python type next to it ("TOOL <str>") through
    # display_type_rich, which localize() replaces; typer 0.28 writes no type at all.
    from gialai_remote.cli import helptext

    setup = command.get_command(ctx, "setup")
    assert setup is not None, "the lazy group lost setup (cli/lazy.py)"
    helptext.localize(setup, "en")
    text = setup.get_help(setup.make_context("setup", ["--help"], parent=ctx, resilient_parsing=True))
    tool_line = next(line for line in text.splitlines() if line.strip().startswith("TOOL"))
    assert "<" not in tool_line and "TEXT" not in tool_line, f"typer shows the argument's type again: {tool_line!r}"


def test_every_private_import_in_the_cli_is_listed_here() -> None:
    """A new ``from typer.x import y`` in src/gialai_remote/cli (but typer itself) must be added above."""
    listed = {p.path.replace(":", ".") for p in PIECES}
    found = set()
    pattern = re.compile(r"from (typer\.[\w.]+) import ([\w, ]+)")
    for path in CLI.glob("*.py"):
        for module, names in pattern.findall(path.read_text(encoding="utf-8")):
            found |= {f"{module}.{name.split()[0]}" for name in names.split(",")}
    assert found, "the pattern found no typer import at all: is it still right?"
    assert sorted(found - listed) == [], "private typer imports that this file does not check"


def test_typer_is_capped_below_its_next_minor() -> None:
    """The installed metadata says ``typer>=0.29,<0.30``: a cap, and the installed typer within it."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.version import Version

    requirements = [Requirement(r) for r in metadata.requires("gialai-remote") or ()]
    typer = next(r for r in requirements if r.name == "typer")
    caps = [s for s in typer.specifier if s.operator == "<"]
    assert len(caps) == 1, f"typer has no upper bound in pyproject.toml: {typer}"
    cap = Version(caps[0].version)
    assert cap.micro == 0 and cap.minor > 0, f"the cap should be a minor release (0.N.0 or N.M): {cap}"
    installed = Version(metadata.version("typer"))
    assert installed in typer.specifier, f"typer {installed} is outside {typer.specifier}"
    assert (installed.major, installed.minor + 1) == (cap.major, cap.minor), (
        f"the cap {cap} is not the minor after the installed {installed}: raise it on purpose "
        "(docs/development.md, Typer's private pieces)"
    )
