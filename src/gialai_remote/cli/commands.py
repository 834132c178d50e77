"""Every command, and the module that defines it.

A command's module registers it on the module's own ``commands`` Typer and is imported only
when the command is used or listed (``--help``, Tab completion): see
:class:`gialai_remote.cli.lazy.LazyGroup`. To add a command, define it in a module with
``@commands.command(...)`` and add its name and module here, in the order ``--help`` lists
them. :func:`register_all` imports them all (for tools that want every module loaded).
"""

from __future__ import annotations

import importlib

#: Command name -> module that defines it, in the order ``--help`` lists them.
COMMANDS: dict[str, str] = {
    "recommend": "gialai_remote.cli.recommend",
    "check": "gialai_remote.cli.recommend",
    "setup": "gialai_remote.cli.handout",
    "tools": "gialai_remote.cli.browse",
    "contacts": "gialai_remote.cli.browse",
    "notices": "gialai_remote.cli.browse",
    "roles": "gialai_remote.cli.browse",
    "tasks": "gialai_remote.cli.browse",
    "validate": "gialai_remote.cli.browse",
    "schema": "gialai_remote.cli.browse",
    "layer": "gialai_remote.cli.layer",
    "doctor": "gialai_remote.cli.doctor",
    "help": "gialai_remote.cli.helpcmd",
}

#: How ``--help`` groups the commands: catalogue key of the heading -> the commands under it,
#: in order. Every command is in exactly one group (tests/test_help.py).
GROUPS: dict[str, tuple[str, ...]] = {
    "help.group.advice": ("recommend", "check", "setup"),
    "help.group.browse": ("tools", "contacts", "notices", "roles", "tasks"),
    "help.group.knowledge": ("validate", "schema", "layer"),
    "help.group.network": ("doctor",),
    "help.group.help": ("help",),
}


def register_all() -> None:
    """Import every command module (the root group builds their commands when asked)."""
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(module)
