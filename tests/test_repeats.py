"""No silent overrides: a single-valued option given twice must mean one thing.

Values are compared after resolving (``-s "nội bộ" -s internal`` is one value); two meanings
are a usage error (exit 2) naming both values. Flags and options that collect values on
purpose (``doctor --tool``) are left alone. The vendored click pieces :mod:`gialai_remote.cli.
repeats` reads are checked here, so a Typer upgrade that moves them fails loudly.
"""

from __future__ import annotations

import json
from typing import Annotated

import pytest
import typer

from gialai_remote.cli.main import run

CHECK = ("check", "--tool", "zalo", "-r", "staff", "--no-input")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "twice",
    [
        ("-s", "nội bộ", "-s", "internal"),
        ("-s", "noi bo", "--sensitivity", "Nội dung có tính chất nội bộ"),
        ("-r", "staff", "-r", "agency-staff"),
        ("--tool", "Zalo", "--tool", "zalo"),
        ("-f", "json", "--format", "JSON"),
        ("--date", "1/12/2026", "--date", "2026-12-01"),
        ("-n", "12", "-n", "012"),
        ("--lang", "en", "--lang", "EN"),
        ("--no-device", "--no-device"),
    ],
    ids=["sensitivity", "sensitivity-names", "role", "tool", "format", "date", "participants", "lang", "flag"],
)
def test_the_same_value_twice_is_fine(capsys: pytest.CaptureFixture[str], twice: tuple[str, ...]) -> None:
    code, _, err = cli(capsys, *CHECK, *twice)
    assert code in (0, 1) and err == "", err


@pytest.mark.parametrize(
    ("twice", "message"),
    [
        (("-s", "nội bộ", "-s", "normal"), '--sensitivity được cho hai giá trị khác nhau, "nội bộ" và "normal"'),
        (("-r", "staff", "-r", "thành viên ủy ban"), '--role được cho hai giá trị khác nhau, "staff" và "thành viên ủy '
         'ban"'),
        (("-f", "json", "-f", "text"), '--format được cho hai giá trị khác nhau, "json" và "text"'),
        (("--date", "1/12/2026", "--date", "2/12/2026"), '--date được cho hai giá trị khác nhau, "1/12/2026" và '
         '"2/12/2026"'),
        (("-n", "12", "-n", "13"), '--participants được cho hai giá trị khác nhau, "12" và "13"'),
        (("-t", "họp", "-t", "documents", "-t", "họp"), '--task được cho hai giá trị khác nhau, "họp" và "documents"'),
    ],
    ids=["sensitivity", "role", "format", "date", "participants", "task"],
)  # fmt: skip
def test_two_meanings_are_a_usage_error(
    capsys: pytest.CaptureFixture[str], twice: tuple[str, ...], message: str
) -> None:
    code, out, err = cli(capsys, *CHECK, *twice)
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith(message + "; tùy chọn này chỉ nhận một giá trị: hãy bỏ một.")
    if "json" not in twice:
        assert out == ""


def test_two_tools_on_check_point_to_batch(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "check", "--tool", "zalo", "--tool", "viber", "-r", "staff", "--lang", "en")
    assert code == 2
    assert err.strip() == (
        '--tool was given two different values, "zalo" and "viber"; it takes one value: drop one. '
        "To check several tools in one run, use check --batch (see: gialai-remote help check)."
    )


def test_a_second_language_is_refused_in_both(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (("roles", "--lang", "en", "--lang", "vi"), ("--lang", "en", "--lang", "vi", "roles")):
        code, _, err = cli(capsys, *args)
        assert code == 2, args
        assert '--lang được cho hai giá trị khác nhau, "en" và "vi"' in err
        assert '--lang was given two different values, "en" and "vi"' in err
    # Before the command and after it is the documented precedence, not a repeat.
    code, out, _ = cli(capsys, "--lang", "en", "roles", "--lang", "vi")
    assert code == 0 and "Thành viên UBND tỉnh" in out


def test_an_invalid_second_value_is_reported_as_itself(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, *CHECK, "-s", "internal", "-s", "bogus")
    assert code == 2 and err.startswith('--sensitivity: không có mức độ nội dung "bogus"')


def test_other_commands_refuse_repeats_too(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    assert cli(capsys, "setup", "zalo", "-p", "ios", "-p", "android")[0] == 2
    assert cli(capsys, "tools", "show", "zalo", "-f", "json", "-f", "text")[0] == 2
    assert cli(capsys, "contacts", "--tool", "polycom", "--tool", "zalo")[0] == 2
    code, out, _ = cli(capsys, "setup", "zalo", "-p", "ios", "-p", "iOS", "-f", "markdown")
    assert code == 0 and out.startswith("# ")


def test_json_errors_for_repeats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, *CHECK, "-s", "normal", "-s", "secret", "-f", "json")
    assert code == 2 and json.loads(out)["error"]["code"] == "usage_error"


def test_options_that_collect_values_are_left_alone() -> None:
    from gialai_remote.cli import repeats

    app = typer.Typer()

    @app.command()
    def main(
        tool: Annotated[list[str], typer.Option("--tool")] = [],  # noqa: B006 - never mutated
        one: Annotated[str, typer.Option("--one")] = "",
    ) -> None:
        """A test command."""

    command = typer.main.get_command(app)
    repeats.record_all(command)
    ctx = command.make_context("x", ["--tool", "a", "--tool", "b", "--one", "p", "--one", "q"])
    assert list(ctx.params["tool"]) == ["a", "b"]  # a tuple with typer 0.28, a list with 0.29
    assert [(g.name, g.flag, g.values) for g in repeats.given(ctx)] == [("one", "--one", ("p", "q"))]


def test_the_vendored_click_pieces_repeats_reads() -> None:
    import inspect

    from typer._click.parser import _Option, _OptionParser

    assert list(inspect.signature(_Option.process).parameters) == ["self", "value", "state"]
    parser = _OptionParser()
    assert isinstance(parser._long_opt, dict) and isinstance(parser._short_opt, dict)
    parser.add_option(object(), ["--x", "-x"], dest="x", action="store")  # type: ignore[arg-type]
    option = parser._long_opt["--x"]
    assert option is parser._short_opt["-x"]
    assert (option.action, option.dest) == ("store", "x") and hasattr(option, "obj")
