"""Text lines without rich in a pipe (issue 16): the same bytes as rich writes, rich kept elsewhere.

:class:`gialai_remote.render.text.lines.Line` builds its rich ``Text`` only when the line goes
through rich; :func:`gialai_remote.cli.context.print_lines` writes a pipe or a file without
colour itself. These tests hold every such line, tricky ones included, to what rich's Console
(as ``cli.context.console`` makes it) writes, and check when rich is still used.
"""

from __future__ import annotations

import builtins
import contextlib
import io

import pytest
from rich.console import Console
from rich.text import Text

from gialai_remote.cli import context, plain
from gialai_remote.render.text.lines import Line, bullets, heading, line

TRICKY = [
    "",
    "plain words",
    "[bold]not markup[/bold] :smile: http://example.org/a?b=[c]",
    "Tiếng Việt có dấu: Nguyễn Văn Hải, 0934 121 298",
    "中文 全角 ｆｕｌｌ width, emoji 🙂",
    "a\ttab\tinside",
    "bell\x07 backspace\x08 vt\x0b ff\x0c cr\x0d end",
    "two\nlines in one",
    "trailing spaces   ",
    "x" * 4999,
    "y" * 5000 + " " * 7000,
    "z " * 6000,
]


def _lines() -> list[Line]:
    out = [Line(), Line("  indented")]
    for text in TRICKY:
        out += [
            line(text),
            line(("- ", "dim"), (text, "bold cyan"), " tail", indent=3),
            heading(text, indent=2),
            *bullets([text, text], indent=5, style="yellow"),
            Line(text).append(text, style="red").append(text),
        ]
    return out


def _through_rich(lines: list[Line]) -> str:
    """What the Console of ``cli.context.console`` wrote before: each Text printed, in a pipe."""
    out = io.StringIO()
    console = Console(file=out, markup=False, emoji=False, highlight=False, soft_wrap=True, width=10_000)
    for item in lines:
        console.print(item.to_text())
    return out.getvalue()


@pytest.fixture
def pipe(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """A pipe (an in-memory stream) in an environment without colour."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return io.StringIO()


def _print(lines: list[Line], stdout: io.StringIO) -> str:
    """``print_lines`` with ``stdout`` as sys.stdout; what was written."""
    with contextlib.redirect_stdout(stdout):
        context.print_lines(lines)
    return stdout.getvalue()


def test_a_line_is_the_text_the_renderers_built() -> None:
    built = line(("- ", "dim"), "a [b] ", ("0934 121 298", "bold cyan"), indent=2).to_text()
    expected = Text("  ")
    expected.append("- ", style="dim")
    expected.append("a [b] ")
    expected.append("0934 121 298", style="bold cyan")
    assert built.plain == expected.plain == "  - a [b] 0934 121 298"
    assert built.spans == expected.spans and built.spans != []
    assert line("x").plain == "x" and str(heading("y")) == "y"


@pytest.mark.parametrize("text", TRICKY)
def test_plain_is_richs_plain(text: str) -> None:
    made = Line(text).append(text, style="bold")
    assert made.plain == made.to_text().plain
    assert line(text).plain == line(text).to_text().plain


def test_a_pipe_gets_the_bytes_rich_writes(pipe: io.StringIO) -> None:
    lines = _lines()
    expected = _through_rich(lines)
    assert _print(lines, pipe) == expected
    assert "\t" not in expected  # rich expanded the tabs: those lines went through rich
    assert _print([line("Khuyến nghị: 2 công cụ"), Line()], io.StringIO()) == "Khuyến nghị: 2 công cụ\n\n"


def test_each_line_is_one_write_as_rich_does(pipe: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[str] = []
    monkeypatch.setattr(pipe, "write", writes.append)
    _print([line("a"), line(("b", "bold")), Line()], pipe)
    assert writes == ["a\n", "b\n", "\n"]


@pytest.mark.parametrize(
    "env",
    [{"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""}, {"TTY_COMPATIBLE": "1"}, {"TTY_COMPATIBLE": "0"}],
)
def test_whatever_rich_may_treat_as_a_terminal_goes_through_rich(
    env: dict[str, str], pipe: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert not plain.rich_writes_plain(context._isatty(pipe))
    lines = [line(("- ", "dim"), ("bold words", "bold"))]
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        console = context.console()
        for item in lines:
            console.print(item.to_text())
    assert _print(lines, pipe) == expected.getvalue()
    if env.get("FORCE_COLOR") or env.get("TTY_COMPATIBLE") == "1":
        assert "\x1b[1m" in pipe.getvalue()


def test_a_terminal_or_a_notebook_goes_through_rich(pipe: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    assert plain.rich_writes_plain(context._isatty(pipe))
    monkeypatch.setattr(pipe, "isatty", lambda: True)
    assert not plain.rich_writes_plain(context._isatty(pipe))
    monkeypatch.setattr(pipe, "isatty", lambda: False)
    monkeypatch.setattr(builtins, "get_ipython", lambda: None, raising=False)
    assert not plain.rich_writes_plain(context._isatty(pipe))


def test_rich_agrees_that_such_a_pipe_is_no_terminal(pipe: io.StringIO) -> None:
    """The condition of the plain path is one where rich has no colour system for the stream."""
    assert plain.rich_writes_plain(context._isatty(pipe))
    with contextlib.redirect_stdout(pipe):
        console = context.console()
        assert context.terminal_width() is None
    assert not console.is_terminal and console.color_system is None and console.soft_wrap
