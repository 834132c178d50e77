"""Help people can find their way in: grouped commands with examples, ``help [COMMAND|environment]``,
the one list of environment variables (checked against the code), per-command ``--format`` help.
"""

from __future__ import annotations

import re
import ssl
from pathlib import Path

import pytest

from gialai_remote.cli import environment
from gialai_remote.cli.commands import COMMANDS, GROUPS
from gialai_remote.cli.main import run

SRC = Path(__file__).resolve().parents[1] / "src" / "gialai_remote"
DOCS = Path(__file__).resolve().parents[1] / "docs"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_is_in_exactly_one_group() -> None:
    grouped = [name for names in GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(COMMANDS) and len(grouped) == len(set(grouped))
    assert GROUPS["help.group.advice"] == ("recommend", "check", "setup")
    assert GROUPS["help.group.browse"] == ("tools", "contacts", "roles", "tasks")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_root_help_groups_commands_and_shows_examples(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    _, out, _ = cli(capsys, "--help", "--lang", lang)
    listed = re.findall(r"^  ([a-z]+)\s{2,}", out.split("\n\n", 3)[-1], flags=re.M)
    assert listed[: len(COMMANDS)] == [n for names in GROUPS.values() for n in names]
    examples = "Ví dụ:" if lang == "vi" else "Examples:"
    assert f"  {examples}\n    gialai-remote recommend --role agency-staff --task meeting --participants 12\n" in out
    assert "    gialai-remote help environment" in out
    # Every group's descriptions start in the same column.
    columns = {line.index(line.split()[1]) for line in out.splitlines() if re.match(r"^  [a-z]+ {2,}\S", line)}
    assert len(columns) == 1


@pytest.mark.parametrize(
    "topic", [(), ("check",), ("tools", "show"), ("setup",)], ids=["root", "check", "tools-show", "setup"]
)
def test_help_command_is_the_commands_help(capsys: pytest.CaptureFixture[str], topic: tuple[str, ...]) -> None:
    code, via_help, _ = cli(capsys, "help", *topic, "--lang", "en")
    assert code == 0
    _, direct, _ = cli(capsys, "--lang", "en", *topic, "--help")
    assert via_help == direct


def test_help_for_an_unknown_topic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "help", "chek")
    assert code == 2 and out == ""
    assert err.startswith('Không có lệnh hay chủ đề "chek"; chọn một lệnh (recommend, check, setup,')
    assert "Có phải bạn muốn: check" in err
    assert cli(capsys, "help", "tools", "shwo")[0] == 2


@pytest.mark.parametrize("word", ["environment", "env", "ENVIRONMENT"])
def test_help_environment_lists_every_variable(capsys: pytest.CaptureFixture[str], word: str) -> None:
    code, out, _ = cli(capsys, "help", word, "--lang", "en")
    assert code == 0 and out.startswith("The environment variables gialai-remote reads")
    for name in environment.names():
        assert name in out, name
    assert "read by: OpenSSL" in out and "The proxy doctor goes through (http://, a CONNECT tunnel)" in out


def _read_in_source() -> set[str]:
    """Every variable name the source reads: os.environ.get("X"), environ["X"], getenv("X"),
    env.get("X") (a mapping that defaults to os.environ, knowledge/cache.py),
    and the constants passed to them (COMPLETE_VAR)."""
    found: set[str] = set()
    pattern = re.compile(r"""(?:environ(?:\.get)?|getenv|\benv\.get)\(?\[?\s*["']([A-Z_][A-Z0-9_]*)["']""")
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(pattern.findall(text))
        found |= set(re.findall(r"""^[A-Z_]+_VAR = ["']([A-Z_][A-Z0-9_]*)["']""", text, flags=re.M))
    return found


def test_the_list_is_what_the_code_reads() -> None:
    # HOME is where ~/.cache is (the cache folder's last fallback), not a setting of the tool.
    read = _read_in_source() - {"HOME"}
    assert read, "the pattern found nothing"
    listed = environment.names()
    assert read <= listed, f"read but not listed: {sorted(read - listed)}"
    own = {v.name for v in environment.VARIABLES if v.reader == environment.SELF}
    assert own <= read, f"listed as read by gialai-remote but never read: {sorted(own - read)}"
    completion = next(v for v in environment.VARIABLES if v.reader == environment.COMPLETION)
    assert set(completion.also) | {completion.name} <= read | {"COMP_CWORD"}


def test_the_libraries_read_what_the_list_says() -> None:
    import rich.console

    source = Path(rich.console.__file__).read_text(encoding="utf-8")
    for variable in environment.VARIABLES:
        if variable.reader == environment.RICH:
            assert f'"{variable.name}"' in source, variable.name
    paths = ssl.get_default_verify_paths()
    assert {paths.openssl_cafile_env, paths.openssl_capath_env} == {
        v.name for v in environment.VARIABLES if v.reader == environment.OPENSSL
    }


def test_the_docs_list_every_variable() -> None:
    usage = (DOCS / "usage.md").read_text(encoding="utf-8")
    table = usage.split("## Biến môi trường", 1)[1]
    for name in environment.names():
        assert f"`{name}`" in table, name


@pytest.mark.parametrize(
    ("command", "formats"),
    [
        (("recommend",), "text|json|markdown|html"),
        (("check",), "text|json"),
        (("setup",), "text|markdown|html"),
        (("contacts",), "text|json"),
        (("tools",), "text|json"),
        (("tools", "show"), "text|json"),
        (("roles",), "text|json"),
        (("validate",), "text|json"),
        (("doctor",), "text|json"),
    ],
    ids=lambda c: " ".join(c) if isinstance(c, tuple) else c,
)
def test_format_help_lists_only_the_commands_formats(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...], formats: str
) -> None:
    _, out, _ = cli(capsys, "--lang", "en", *command, "--help")
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\s+-f, --format \S", line))
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.strip() or re.match(r"^\s+-", line):
            break
        block.append(line)
    line = " ".join(" ".join(block).split()).removeprefix("-f, --format ")
    assert line.startswith(formats + " ")
    offered = set(formats.split("|"))
    for other in {"json", "markdown", "html"} - offered:
        assert other not in line, (command, line)
