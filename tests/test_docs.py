"""The documentation stays short where it must, linked, free of machine paths, and true.

- README.md is the five-minute page: at most :data:`README_MAX_LINES` lines, and the Windows
  install lines are on its first screen.
- Every relative link in README.md and docs/*.md names a file that exists, and an anchor
  (``#...``) names a heading of that file (GitHub's way of making anchors).
- No absolute path of a developer's machine (``/root``, ``/home``, ``/work``, ``/tmp``, a
  Windows user folder) appears in the pages.
- Every ```console block is a real transcript: each ``$ COMMAND`` is run with ``sh`` (the
  installed ``gialai-remote`` first on PATH, in a temporary folder holding only the example
  files of ``docs/examples/``) and what it prints,
  stdout and stderr together, must be the lines that follow it. ``$ echo $?`` shows the exit
  code. Examples therefore give ``--date`` when their answer depends on the day.
- The example layer shown in docs/layers.md is the file docs/examples/ holds.
- The lists a script matches on are documented in full: every exit code, reason code and
  doctor reason code in the contract and doctor pages, every problem code in the
  knowledge-base page.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

#: The five-minute page's length (issue 10: "at most about 250 lines").
README_MAX_LINES = 260
#: How many lines a first screen shows: the Windows lines must be within them.
FIRST_SCREEN = 40
#: Pages that may be linked before they exist (written on another branch). One name only.
PAGES = [README, *sorted(DOCS.glob("*.md"))]
PAGE_IDS = [str(p.relative_to(ROOT)) for p in PAGES]

_FENCE = re.compile(r"^[ \t]*(```+|~~~+)[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
#: Absolute paths of a developer's machine: POSIX home and work folders, temporary files,
#: and a Windows user folder.
_MACHINE_PATH = re.compile(r"(?<![\w.~$-])(?:/(?:root|home|work|tmp)(?![\w-])|[A-Za-z]:\\Users\\)")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _prose(markdown: str) -> str:
    """``markdown`` without fenced code blocks and code spans (links there are not links)."""
    return _CODE_SPAN.sub("", _FENCE.sub("", markdown))


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens.

    ``"Mã thoát (exit codes)"`` -> ``"mã-thoát-exit-codes"``; letters with diacritics stay.
    """
    text = unicodedata.normalize("NFC", heading).strip().lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link in a heading: its words
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor of the headings of ``path``, duplicates numbered as GitHub does (-1, -2)."""
    seen: dict[str, int] = {}
    found = set()
    for _, heading in _HEADING.findall(_FENCE.sub("", _text(path))):
        base = anchor(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[str]:
    """The targets of the inline links of ``path``, outside code."""
    return _LINK.findall(_prose(_text(path)))


def test_anchor_follows_github() -> None:
    assert anchor("Mã thoát (exit codes)") == "mã-thoát-exit-codes"
    assert anchor("`gialai-remote tools show`") == "gialai-remote-tools-show"
    assert anchor("Cài đặt trên Windows") == "cài-đặt-trên-windows"
    assert anchor("JSON: `schema_version` 1") == "json-schema_version-1"


def test_readme_is_a_five_minute_page() -> None:
    lines = _text(README).splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; move detail into docs/"


def test_windows_users_find_their_lines_on_the_first_screen() -> None:
    first = "\n".join(_text(README).splitlines()[:FIRST_SCREEN])
    assert "py -m venv .venv" in first
    assert ".venv\\Scripts\\gialai-remote" in first


def test_every_page_is_in_the_index() -> None:
    index = _text(DOCS / "README.md")
    for page in sorted(DOCS.glob("*.md")):
        if page.name != "README.md":
            assert f"]({page.name})" in index, f"docs/README.md does not link {page.name}"
    assert "](docs/README.md)" in _text(README)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:, file:
            continue
        file_part, _, fragment = target.partition("#")
        resolved = (page.parent / file_part).resolve() if file_part else page
        name = resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else str(resolved)
        if not resolved.exists():
            broken.append(f"{target}: no file {name}")
            continue
        if fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            broken.append(f"{target}: no heading #{fragment} in {name}")
    assert not broken, "\n".join(broken)


def test_links_are_found() -> None:
    """The link scanner sees links, and skips those inside code."""
    sample = "See [the contract](docs/contract.md#mã-thoát) and `[not](a-link.md)`.\n```\n[no](x.md)\n```\n"
    assert _LINK.findall(_prose(sample)) == ["docs/contract.md#mã-thoát"]
    assert "docs/README.md" in links(README)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_no_path_of_a_developer_machine(page: Path) -> None:
    hits = [
        f"line {number}: {line.strip()}"
        for number, line in enumerate(_text(page).splitlines(), start=1)
        if _MACHINE_PATH.search(line)
    ]
    assert not hits, "\n".join(hits)


def test_the_machine_path_pattern() -> None:
    for bad in ("/root/x", "cd /work/main", "--output /tmp/h.html", "/home/an/kb.yaml", r"C:\Users\an\kb.yaml"):
        assert _MACHINE_PATH.search(bad), bad
    for fine in ("docs/work/x", "~/.zfunc", "$TMPDIR/x", "/etc/ssl/certs", "https://x.vn/tmp", "./tmp-kb"):
        assert not _MACHINE_PATH.search(fine), fine


# ---- transcripts ------------------------------------------------------------------------------


def transcripts() -> list[tuple[str, str, str]]:
    """Every ```console block: (where, script, expected output).

    ``$ `` starts a command (a line ending in ``\\`` goes on on the next one); the lines up to
    the next command are its output. A block indented in a list item is read without its indent.
    """
    found = []
    for page in PAGES:
        text = _text(page)
        for match in re.finditer(r"^([ \t]*)```console[ \t]*\n(.*?)^\1```[ \t]*$", text, re.S | re.M):
            indent = match.group(1)
            commands: list[str] = []
            output: list[str] = []
            continuing = False
            for line in (row.removeprefix(indent) for row in match.group(2).splitlines()):
                if continuing:
                    commands[-1] += "\n" + line
                    continuing = line.endswith("\\")
                elif line.startswith("$ "):
                    commands.append(line[2:])
                    continuing = line.endswith("\\")
                else:
                    output.append(line)
            line_number = text.count("\n", 0, match.start()) + 1
            where = f"{page.relative_to(ROOT).as_posix()}:{line_number}"
            found.append((where, "\n".join(commands) + "\n", "".join(f"{o}\n" for o in output)))
    return found


TRANSCRIPTS = transcripts()


def test_there_are_transcripts() -> None:
    pages = {where.split(":")[0] for where, _, _ in TRANSCRIPTS}
    assert {"README.md", "docs/usage.md"} <= pages


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX sh")
@pytest.mark.parametrize(("where", "script", "expected"), TRANSCRIPTS, ids=[w for w, _, _ in TRANSCRIPTS])
@pytest.mark.posix
def test_transcript_is_real_output(where: str, script: str, expected: str, tmp_path: Path) -> None:
    assert shutil.which("gialai-remote", path=str(BIN)), "the console script is not installed"
    for example in (DOCS / "examples").glob("*"):
        shutil.copyfile(example, tmp_path / example.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIALAI_REMOTE_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        ["sh", "-c", script],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.stdout.decode("utf-8") == expected, where


def test_the_example_layer_is_the_file_the_docs_show() -> None:
    page = _text(DOCS / "layers.md")
    block = re.search(r"^```yaml\n(# Ví dụ tầng.*?)^```$", page, re.S | re.M)
    assert block is not None
    assert block.group(1) == _text(DOCS / "examples" / "so-khcn-gia-lai.yaml")


# ---- the lists scripts match on ----------------------------------------------------------------


def _problem_codes() -> dict[str, str]:
    """Every problem code and its severity, wherever the validator keeps them."""
    for name in ("gialai_remote.knowledge.report", "gialai_remote.knowledge", "gialai_remote.validate"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "CODES"):
            return dict(module.CODES)
    raise AssertionError("no CODES table of problem codes found")


def test_every_problem_code_is_documented() -> None:
    page = _text(DOCS / "knowledge-base.md")
    for code, severity in _problem_codes().items():
        assert re.search(rf"^\| `{re.escape(code)}` \| {severity}\b", page, re.M), code


def test_every_exit_code_is_documented() -> None:
    from gialai_remote.errors import ExitCode

    contract = _text(DOCS / "contract.md")
    readme = _text(README)
    for code in ExitCode:
        assert re.search(rf"^\| {code.value} \|", contract, re.M), code
        assert re.search(rf"^\| {code.value} \|", readme, re.M), code


def test_every_reason_code_is_documented() -> None:
    from gialai_remote.schema import load_schema

    contract = _text(DOCS / "contract.md")
    for code in load_schema("recommend")["$defs"]["reason_code"]["enum"]:
        assert f"`{code}`" in contract, code
    doctor = _text(DOCS / "doctor.md")
    for code in load_schema("doctor")["$defs"]["reason"]["properties"]["code"]["enum"]:
        assert f"`{code}`" in doctor, code
