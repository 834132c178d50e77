"""The root command group: a command's module is imported only when that command is used.

Start-up time is what scripts calling ``gialai-remote`` in a loop pay on every call, and
importing every command module (and turning every command's signature into a click command)
costs more than some commands take to run. :class:`LazyGroup` lists every command from the
registry :data:`gialai_remote.cli.commands.COMMANDS` (name -> module) without importing
anything; :meth:`LazyGroup.get_command` imports the module of the one command asked for and
converts what it registered on its own ``commands`` Typer, with the settings of the root app
(:meth:`LazyGroup.typer_app`, which ``cli/app.py``'s subclass answers). ``--help`` asks for
every command, so the help stays complete; Tab completion and the "did you mean" of a
mistyped command see every name too.

Imports point one way: the app imports this group, the group imports the command modules,
and the command modules import neither (their shared options are in :mod:`.options`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from typer.core import TyperGroup

if TYPE_CHECKING:
    import typer


class LazyGroup(TyperGroup):
    """A Typer group whose commands are imported and built on first use.

    Attributes:
        prepare: called with each command built here before it is returned (the CLI entry
            point uses it to translate help texts); None: nothing to do.
    """

    prepare: Callable[[Any], None] | None = None

    def typer_app(self) -> typer.Typer:
        """The root Typer app, whose settings the commands are built with.

        Raises:
            NotImplementedError: always here; the app's own subclass answers it.
        """
        raise NotImplementedError

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command name: the registry's, in its order, then any other already built."""
        from gialai_remote.cli.commands import COMMANDS

        return list(dict.fromkeys([*COMMANDS, *self.commands]))

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands in ``--help``, grouped as :data:`gialai_remote.cli.commands.GROUPS`
        says (advice, browse, knowledge base, network, help), each with its short help; a
        command in no group comes last, under the usual heading."""
        from gialai_remote.cli.commands import GROUPS

        shown = {name: cmd for name in self.list_commands(ctx) if (cmd := self.get_command(ctx, name)) is not None}
        shown = {name: cmd for name, cmd in shown.items() if not cmd.hidden}
        if not shown:
            return
        widest = max(len(name) for name in shown)
        limit = formatter.width - 6 - widest
        grouped = [(title, [n for n in names if n in shown]) for title, names in GROUPS.items()]
        placed = {n for _title, names in grouped for n in names}
        grouped.append(("help.heading.commands", [n for n in shown if n not in placed]))
        for title, names in grouped:
            if names:
                with formatter.section(title):
                    # Names padded to the widest of all, so every group's help starts in one column.
                    formatter.write_dl([(n.ljust(widest), shown[n].get_short_help_str(limit)) for n in names])

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command ``cmd_name``, importing and building it on first use; None if unknown."""
        command = self.commands.get(cmd_name)
        if command is not None:
            return command
        from gialai_remote.cli.commands import COMMANDS

        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command = _build(importlib.import_module(module).commands, self.typer_app(), cmd_name)
        if command is None:
            return None
        if self.prepare is not None:
            self.prepare(command)
        self.commands[cmd_name] = command
        return command


def _build(source: typer.Typer, root: typer.Typer, name: str) -> Any:
    """Build the click command (or group) ``source`` registered under ``name``, or None.

    ``root`` gives the settings a command inherits from the application (how exceptions and
    markup are shown, whether mistyped subcommands get suggestions).
    """
    from typer.main import get_command_from_info, get_command_name, get_group_from_info

    options: dict[str, Any] = {
        "pretty_exceptions_short": root.pretty_exceptions_short,
        "rich_markup_mode": root.rich_markup_mode,
    }
    for info in source.registered_commands:
        callback = info.callback
        if (info.name or (get_command_name(callback.__name__) if callback else None)) == name:
            return get_command_from_info(info, **options)
    for group in source.registered_groups:
        if group.name == name:
            return get_group_from_info(group, suggest_commands=getattr(root, "suggest_commands", True), **options)
    return None
