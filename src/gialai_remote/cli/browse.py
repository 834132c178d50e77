"""Commands for the knowledge base itself: ``validate``, ``schema``, ``tools`` (``tools show``),
``contacts``, ``notices``, ``roles`` and ``tasks``.

Each parses its options, asks the core (:mod:`gialai_remote.knowledge`,
:mod:`gialai_remote.describe`) and picks a renderer (:mod:`gialai_remote.render.text.browse`,
:mod:`gialai_remote.render.json`).
``validate`` prints its problems on stdout: they are its result. Exit codes: 0 clean (warnings
alone still 0), 1 errors found, 3 the file cannot be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from gialai_remote.cli import complete
from gialai_remote.cli.context import (
    Settings,
    check_advice_date,
    check_format,
    finish,
    load_kb,
    parse_date,
    print_bytes,
    print_json,
    print_lines,
    settings,
    terminal_width,
)
from gialai_remote.cli.options import DataOption, DateOption, FormatOption, LangOption, NoCacheOption, NoInputOption
from gialai_remote.errors import ExitCode, KnowledgeBaseError, UsageError
from gialai_remote.i18n import t
from gialai_remote.schema import DEFAULT_SCHEMA, SCHEMAS

if TYPE_CHECKING:
    import datetime as dt

    from gialai_remote.model import KnowledgeBase

#: This module's commands; the root group builds them on first use (cli/lazy.py).
commands = typer.Typer()

FORMATS = ("text", "json")


def _json(obj: Any) -> None:
    from gialai_remote.render.json import dumps

    print_json(dumps(obj))


# ---- validate ----------------------------------------------------------------------------------


@commands.command("validate", help="help.validate", epilog="help.validate.epilog")
def validate(
    ctx: typer.Context,
    path: Annotated[Optional[str], typer.Argument(metavar="PATH", help="help.arg.validate_path")] = None,
    fmt: FormatOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="help.opt.strict")] = False,
    max_age: Annotated[Optional[str], typer.Option("--max-age", metavar="DAYS", help="help.opt.max_age")] = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.validate"""
    s = settings(ctx, data, lang, no_input)
    output = check_format(fmt, FORMATS, s.lang)
    days = _max_age(max_age, s.lang)
    from gialai_remote.knowledge.load import validate_bytes, validate_paths

    target = (path,) if path is not None else s.data
    if target is not None and target != ("builtin",):
        report = validate_paths(target, lang=s.lang, cache=s.cache)
    else:
        from gialai_remote.knowledge.load import BUILTIN, builtin_bytes

        report = validate_bytes(builtin_bytes(), _builtin_path() or BUILTIN, lang=s.lang, cache=s.cache)
    if report.unreadable:
        raise KnowledgeBaseError(report.problems)
    problems = list(report.problems)
    if report.knowledge_base is not None:
        from gialai_remote.dates import vietnam_today
        from gialai_remote.freshness import contact_date_problems

        problems += contact_date_problems(report.knowledge_base, vietnam_today(), days, s.lang)
    warned = any(p.severity == "warning" for p in problems)
    code = ExitCode.NEGATIVE if report.errors or (strict and warned) else ExitCode.OK
    stack = report.stack if report.stack is not None and len(report.stack.layers) > 1 else None

    def write() -> None:
        if output == "json":
            from gialai_remote.render.json import problems_dict

            _json(problems_dict(report.path, problems, report.unlisted, report.unlisted_errors, stack, strict=strict))
        elif problems or stack is not None:  # a clean file prints nothing, and needs no console (rich) for it
            from gialai_remote.cli.context import shown
            from gialai_remote.render.text.lines import line
            from gialai_remote.render.text.problems import render_problems, stack_lines

            head = [line((shown(text), "")) for text in stack_lines(stack, s.lang)] if stack else []
            print_lines([*head, *render_problems(problems)])

    finish(code, write)


def _max_age(value: str | None, lang: str) -> int | None:
    """``--max-age DAYS``: a whole number of days, 0 or more; None when not given.

    Raises:
        UsageError: not a whole number of days.
    """
    if value is None:
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise UsageError(t("error.bad_max_age", lang, value=value))
    return int(text)


def _builtin_path() -> str | None:
    """The shipped guidance.yaml as a file path (for editors to jump to), when it is one."""
    from gialai_remote.package_data import package_path

    return package_path("data", "guidance.yaml")


# ---- schema ------------------------------------------------------------------------------------


@commands.command("schema", help="help.schema", epilog="help.schema.epilog")
def schema(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],
        typer.Argument(metavar="|".join(SCHEMAS), help="help.arg.schema_name"),
    ] = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.schema"""
    s = settings(ctx, data, lang, no_input)
    chosen = DEFAULT_SCHEMA if name is None else name.strip().lower()
    if chosen not in SCHEMAS:
        raise UsageError(t("error.bad_schema_name", s.lang, value=name, choices=", ".join(SCHEMAS)))
    from gialai_remote.schema import schema_text

    text = schema_text(chosen)
    finish(ExitCode.OK, lambda: print_bytes(text.encode("utf-8")))


# ---- tools -------------------------------------------------------------------------------------

tools_app = typer.Typer(
    name="tools",
    help="help.tools",
    no_args_is_help=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
commands.add_typer(tools_app, name="tools")


def _inherited(ctx: typer.Context, name: str, value: Any) -> Any:
    """``value``, or the same option given to ``tools`` before ``show``."""
    if value is not None and value is not False:
        return value
    parent = ctx.parent
    return parent.params.get(name, value) if parent is not None else value


@tools_app.callback(invoke_without_command=True, help="help.tools", epilog="help.tools.epilog")
def tools(
    ctx: typer.Context,
    fmt: FormatOption = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.tools"""
    if ctx.invoked_subcommand is not None:
        return
    s = settings(ctx, data, lang, no_input)
    output = check_format(fmt, FORMATS, s.lang)
    kb = load_kb(s)

    def write() -> None:
        if output == "json":
            from gialai_remote.render.json import tools_dict

            _json(tools_dict(kb, s.lang))
        else:
            from gialai_remote.render.text.browse import render_tools

            print_lines(render_tools(kb, s.lang, terminal_width()))

    finish(ExitCode.OK, write)


def _tool_id(kb: KnowledgeBase, value: str | None, s: Settings) -> str:
    """Resolve the tool the user named (forgiving), or ask for it on a terminal."""
    from gialai_remote.cli.query import ask_or_fail, resolve_id

    if value is not None:
        return resolve_id(kb, "tools", value, s.lang, flag="ID")
    return ask_or_fail(kb, "tools", s, flag="ID")


@tools_app.command("show", help="help.tools.show", epilog="help.tools.show.epilog")
def tools_show(
    ctx: typer.Context,
    tool_id: Annotated[
        Optional[str],
        typer.Argument(metavar="ID", help="help.arg.tool_id", autocompletion=complete.tools),
    ] = None,
    date: DateOption = None,
    fmt: FormatOption = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.tools.show"""
    data, lang = _inherited(ctx, "data", data), _inherited(ctx, "lang", lang)
    s = settings(ctx, data, lang, _inherited(ctx, "no_input", no_input))
    output = check_format(_inherited(ctx, "fmt", fmt), FORMATS, s.lang)
    day = parse_date(date, s.lang)
    kb = load_kb(s)
    check_advice_date(kb, day, s.lang)
    resolved = _tool_id(kb, tool_id, s)
    from gialai_remote.describe import describe_tool

    description = describe_tool(kb, resolved, day, s.lang)

    def write() -> None:
        if output == "json":
            from gialai_remote.render.json import tool_dict

            _json(tool_dict(description))
        else:
            from gialai_remote.render.text.browse import render_tool

            print_lines(render_tool(description))

    finish(ExitCode.OK, write)


# ---- contacts, roles, tasks --------------------------------------------------------------------


def _dated(
    ctx: typer.Context,
    data: list[str] | None,
    lang: str | None,
    no_input: bool,
    fmt: str | None,
    date: str | None,
) -> tuple[Settings, str, dt.date, KnowledgeBase]:
    """What a browse command that answers for a day starts with: the settings, the format
    (``text`` or ``json``), the day (today in Vietnam when not given) and the knowledge base.

    Raises:
        UsageError: a bad format or date, or a day before the letter (exit 2).
        KnowledgeBaseError: the knowledge base cannot be read or is invalid (exit 3).
    """
    s = settings(ctx, data, lang, no_input)
    output = check_format(fmt, FORMATS, s.lang)
    day = parse_date(date, s.lang)
    kb = load_kb(s)
    check_advice_date(kb, day, s.lang)
    return s, output, day, kb


@commands.command("contacts", help="help.contacts", epilog="help.contacts.epilog")
def contacts(
    ctx: typer.Context,
    tool: Annotated[
        Optional[str],
        typer.Option("--tool", metavar="TOOL", help="help.opt.contacts_tool", autocompletion=complete.tools),
    ] = None,
    date: DateOption = None,
    fmt: FormatOption = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.contacts"""
    s, output, day, kb = _dated(ctx, data, lang, no_input, fmt, date)
    from gialai_remote.cli.query import resolve_id
    from gialai_remote.describe import contact_warnings, contacts_for

    tool_id = resolve_id(kb, "tools", tool, s.lang) if tool is not None else None
    found = contacts_for(kb, tool_id, s.lang)
    warnings = contact_warnings(kb, day, s.lang, tool_id)

    def write() -> None:
        if output == "json":
            from gialai_remote.render.json import contacts_dict

            _json(contacts_dict(found, warnings))
        else:
            from gialai_remote.render.text.browse import render_contacts

            print_lines(render_contacts(found, warnings, s.lang))

    finish(ExitCode.OK, write)


@commands.command("notices", help="help.notices", epilog="help.notices.epilog")
def notices(
    ctx: typer.Context,
    tool: Annotated[
        Optional[str],
        typer.Option("--tool", metavar="TOOL", help="help.opt.notices_tool", autocompletion=complete.tools),
    ] = None,
    date: DateOption = None,
    fmt: FormatOption = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.notices"""
    s, output, day, kb = _dated(ctx, data, lang, no_input, fmt, date)
    from gialai_remote.cli.query import resolve_id
    from gialai_remote.describe import notices_for

    tool_id = resolve_id(kb, "tools", tool, s.lang) if tool is not None else None
    found = notices_for(kb, day, tool_id, s.lang)

    def write() -> None:
        if output == "json":
            from gialai_remote.render.json import notices_dict

            _json(notices_dict(found, day))
        else:
            from gialai_remote.render.text.browse import render_notices

            print_lines(render_notices(found, day, s.lang))

    finish(ExitCode.OK, write)


def _terms(
    ctx: typer.Context, kind: str, fmt: str | None, no_input: bool, data: list[str] | None, lang: str | None
) -> None:
    s = settings(ctx, data, lang, no_input)
    output = check_format(fmt, FORMATS, s.lang)
    kb = load_kb(s)
    from gialai_remote.describe import describe_terms

    terms = describe_terms(kb, kind, s.lang)

    def write() -> None:
        if output == "json":
            from gialai_remote.render.json import terms_dict

            _json(terms_dict(terms, kind))
        else:
            from gialai_remote.render.text.browse import render_terms

            print_lines(render_terms(terms, s.lang, terminal_width()))

    finish(ExitCode.OK, write)


@commands.command("roles", help="help.roles", epilog="help.browse.epilog")
def roles(
    ctx: typer.Context,
    fmt: FormatOption = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.roles"""
    _terms(ctx, "roles", fmt, no_input, data, lang)


@commands.command("tasks", help="help.tasks", epilog="help.browse.epilog")
def tasks(
    ctx: typer.Context,
    fmt: FormatOption = None,
    no_input: NoInputOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """help.tasks"""
    _terms(ctx, "tasks", fmt, no_input, data, lang)
