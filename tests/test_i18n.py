"""Two languages, Vietnamese first: the catalogue, the knowledge base's texts, help, errors.

Fails when a catalogue entry lacks either language or its placeholders differ, when a text of
the knowledge base lacks ``vi`` or ``en``, when code passes a sentence to a user-facing call
instead of a catalogue key, and when any help or error a person reads is not in the chosen
language. The system locale must never change the language.
"""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from gialai_remote.catalogue import MESSAGES
from gialai_remote.cli.main import main
from gialai_remote.i18n import LANGS, resolve_lang, t
from gialai_remote.knowledge.load import builtin_bytes, load_knowledge_base
from gialai_remote.model import Text

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "gialai_remote"
DATE = "2026-11-29"
QUERY = ("recommend", "--role", "agency-staff", "--task", "meeting", "--sensitivity", "normal", "--date", DATE)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# ---- the catalogue ----------------------------------------------------------------------


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_catalogue_entry_has_both_languages_and_same_placeholders(key: str) -> None:
    entry = MESSAGES[key]
    assert set(LANGS) <= set(entry) <= {*LANGS, "en_one", "plural"}, f"{key}: fields {sorted(entry)}"
    if "en_one" in entry:  # English singular: same placeholders or fewer, and a number to choose by
        assert placeholders(entry["en_one"]) <= placeholders(entry["en"]), key
        assert entry.get("plural", "count") in placeholders(entry["en"]), key
    for lang in LANGS:
        assert isinstance(entry[lang], str) and entry[lang].strip(), f"{key}: empty {lang}"
    # Leading or trailing spaces are there to join texts ("Chọn số: ", " hoặc "): the same in both.
    vi, en = entry["vi"], entry["en"]
    assert (vi[: len(vi) - len(vi.lstrip())], vi[len(vi.rstrip()) :]) == (
        en[: len(en) - len(en.lstrip())],
        en[len(en.rstrip()) :],
    ), f"{key}: leading/trailing spaces differ"
    assert placeholders(entry["vi"]) == placeholders(entry["en"]), key


def test_catalogue_vietnamese_is_written_with_diacritics() -> None:
    # A Vietnamese sentence without a single marked letter is a sign it was typed unaccented.
    unaccented = [k for k, e in MESSAGES.items() if e["vi"].isascii() and re.search(r"[a-z]{2,} [a-z]{2,}", e["vi"])]
    assert unaccented == []


def test_catalogue_keys_are_well_formed() -> None:
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_-]+)*", key) for key in MESSAGES)


def test_english_number_agreement() -> None:
    assert t("verdict.recommend", "en", count=1) == "Recommended: 1 tool the letter allows"
    assert t("verdict.recommend", "en", count=3) == "Recommended: 3 tools the letter allows"
    assert t("verdict.recommend", "vi", count=1) == "Khuyến nghị: 1 công cụ phù hợp theo Công văn"
    letter = {"document": "415/STTTT-CNTT", "date": "2020-04-01", "issuer": "the issuer", "year": 2020}
    assert "more than a year ago" in t("warn.letter_age", "en", years=1, **letter)
    assert "more than 6 years ago" in t("warn.letter_age", "en", years=6, **letter)


def test_t_fills_placeholders_as_plain_text() -> None:
    assert t("error.bad_lang", "en", value="{x} [bold]") == (
        'Language "{x} [bold]" is not supported; use --lang vi or --lang en.'
    )
    assert t("kind.role", "vi") == "vai trò" and t("kind.role", "xx") == "vai trò"


def _keys_used_in_source() -> Iterator[tuple[str, int, str]]:
    """Every literal key given to ``t()`` and every help text given as a key."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            values = [k.value for k in node.keywords if k.arg in ("help", "epilog", "short_help")]
            if isinstance(node.func, ast.Name) and node.func.id == "t" and node.args:
                values.append(node.args[0])
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield str(path.relative_to(ROOT)), node.lineno, value.value


def test_every_key_used_in_source_exists() -> None:
    used = list(_keys_used_in_source())
    assert len(used) > 50
    missing = [f"{path}:{line}: {key}" for path, line, key in _keys_used_in_source() if key not in MESSAGES]
    assert missing == []


# ---- no user-facing sentences outside the catalogue --------------------------------------

#: Calls whose string arguments a person reads, and keyword arguments that are help texts.
SINKS = {
    "print", "echo", "secho", "write", "Text", "append", "_line", "_heading", "UsageError",
    "Interrupted", "GialaiError", "KnowledgeBaseError", "Problem", "BadParameter", "Exit",
}  # fmt: skip
HELP_KEYWORDS = {"help", "epilog", "short_help", "prompt", "rich_help_panel"}
WORDS = re.compile(r"[^\W\d_]{3,}")  # a word of a sentence; units like "ms" are not
CODE_LIKE = re.compile(r"[a-z][a-z0-9_]*([.-][a-z0-9_]+)*\.?")  # catalogue keys, problem codes
#: Literals that reach the user though not from the catalogue, each with its reason.
ALLOWED = {
    # A broken installation (the packaged YAML itself unreadable): the exception text is
    # Python's, in English, so the prefix is too. Reported to the loader's owner.
    ("load.py", "built-in knowledge base: "),
}


def _texts(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for value in node.values:
            yield from _texts(value)
    elif isinstance(node, ast.BinOp):
        yield from _texts(node.left)
        yield from _texts(node.right)
    elif isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts[:1]:  # (text, style) pairs: the style is not read
            yield from _texts(element)


def _call_name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _user_facing_literals(source: str, filename: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        if _call_name(node.func) in SINKS:
            args = [*node.args, *(k.value for k in node.keywords)]
        else:
            args = [k.value for k in node.keywords if k.arg in HELP_KEYWORDS]
        for arg in args:
            for text in _texts(arg):
                if WORDS.search(text) and not CODE_LIKE.fullmatch(text) and (filename, text) not in ALLOWED:
                    yield node.lineno, text


def test_no_user_facing_literals_outside_the_catalogue() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "catalogue.py"
        for line, text in _user_facing_literals(path.read_text(encoding="utf-8"), path.name)
    ]
    assert found == [], "user-facing text belongs in catalogue.py"


def test_the_literal_scan_catches_sentences() -> None:
    source = """
print("Xin chào")
typer.echo(f"Done: {n} tools")
raise UsageError("bad role " + value)
lines.append(_line(("Cảnh báo", "bold")))
typer.Option("--x", help="Some help")
print(t("error.usage", lang), f"{a}: {b}", "\\n", " ms)")
Problem(path, 0, 0, "duplicate-key", t("kb.duplicate_key", lang))
"""
    found = {text for _, text in _user_facing_literals(source, "x.py")}
    assert found == {"Xin chào", "Done: ", " tools", "bad role ", "Cảnh báo", "Some help"}


# ---- the knowledge base's texts -----------------------------------------------------------


def _bilingual_nodes(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "vi" in node or "en" in node:
            yield path, node
        for key, value in node.items():
            yield from _bilingual_nodes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _bilingual_nodes(value, f"{path}[{i}]")


def test_every_knowledge_base_text_has_vi_and_en() -> None:
    document = yaml.safe_load(builtin_bytes())
    nodes = list(_bilingual_nodes(document))
    assert len(nodes) > 50
    for path, node in nodes:
        for lang in LANGS:
            assert isinstance(node.get(lang), str) and node[lang].strip(), f"{path}: no {lang}"


def _model_texts(obj: Any, path: str = "kb") -> Iterator[tuple[str, Text]]:
    if isinstance(obj, Text):
        yield path, obj
    elif hasattr(obj, "_fields"):  # a record, or the KnowledgeBase
        for name in obj._fields:
            yield from _model_texts(getattr(obj, name), f"{path}.{name}")
    elif isinstance(obj, (tuple, list)):
        for i, item in enumerate(obj):
            yield from _model_texts(item, f"{path}[{i}]")


def test_every_loaded_text_has_vi_and_en() -> None:
    texts = list(_model_texts(load_knowledge_base()))
    assert len(texts) > 50
    for path, text in texts:
        assert text.vi.strip() and text.en.strip(), path


def test_vietnamese_names_are_written_with_diacritics() -> None:
    kb = load_knowledge_base()
    names = [term.name.vi for kind in ("roles", "tasks", "sensitivities") for term in getattr(kb, kind)]
    assert all(not name.isascii() for name in names), names


# ---- choosing the language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        (None, {}, "vi"),
        ("en", {}, "en"),
        ("EN ", {}, "en"),
        (None, {"GIALAI_REMOTE_LANG": "en"}, "en"),
        ("vi", {"GIALAI_REMOTE_LANG": "en"}, "vi"),  # a flag beats its variable
        (None, {"GIALAI_REMOTE_LANG": ""}, "vi"),
        ("fr", {}, None),
        (None, {"GIALAI_REMOTE_LANG": "english"}, None),
        # The system locale is never consulted.
        (None, {"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8", "LANGUAGE": "en"}, "vi"),
    ],
)
def test_resolve_lang(flag: str | None, env: dict[str, str], expected: str | None) -> None:
    assert resolve_lang(flag, env) == expected


@pytest.mark.posix
def test_english_system_locale_still_gives_vietnamese() -> None:
    env = {"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": "en_US:en"}
    proc = subprocess.run(
        [sys.executable, "-m", "gialai_remote", *QUERY], capture_output=True, env=env, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8").startswith("Đây là hướng dẫn của Công văn")  # the opening block


@pytest.mark.parametrize(
    "args",
    [
        ("--lang", "fr", *QUERY),
        (*QUERY, "--lang", "fr"),
        (*QUERY, "--lang=english"),
        ("--lang", "xx", "--help"),
        ("recommend", "--lang", "vn", "--help"),
        ("--lang", "", "recommend"),
    ],
)
def test_other_lang_is_a_usage_error(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert "--lang vi" in err and "không hỗ trợ" in err and "not supported" in err
    assert len(err.strip().splitlines()) == 1


def test_lang_variable_with_another_value_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIALAI_REMOTE_LANG", "de")
    code, out, err = run(capsys, *QUERY)
    assert code == 2 and out == "" and '"de"' in err
    monkeypatch.setenv("GIALAI_REMOTE_LANG", "en")
    code, out, _ = run(capsys, *QUERY)
    assert code == 0 and out.startswith("This is the guidance of letter")


# ---- help -----------------------------------------------------------------------------


def _all_commands() -> list[tuple[str, ...]]:
    """Every command path of the app: (), ("recommend",), ("tools", "show"), ..."""
    from typer.main import get_command

    import gialai_remote.cli.commands  # noqa: F401 - registers the commands
    from gialai_remote.cli.app import app

    paths: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        paths.append(path)
        if hasattr(command, "list_commands"):  # a group, maybe one that imports commands lazily
            ctx = typer.Context(command)
            for name in sorted(command.list_commands(ctx)):
                walk(command.get_command(ctx, name), (*path, name))

    walk(get_command(app), ())
    return paths


COMMANDS = _all_commands()
#: Typer's and click's own English (their gettext calls are not translated: no option may show
#: a default, "required" or "env var" line; write it in the option's catalogue help instead).
TYPER_ENGLISH = (
    "Usage:", "Options:", "Commands:", "Arguments:", "Show this message and exit.", "[OPTIONS]", "COMMAND [ARGS]",
    "Install completion", "[default:", "[required]", "env var:", "(dynamic)",
)  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "root")
def test_help_in_vietnamese_has_no_english_headings(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    code, out, err = run(capsys, *command, "--help")
    assert code == 0 and err == ""
    assert out.startswith("Cách dùng: gialai-remote")
    assert "Tùy chọn:" in out and "In hướng dẫn này rồi thoát." in out
    for english in TYPER_ENGLISH:
        assert english not in out
    assert not re.search(r"\b(help|error|label|kind)\.[a-z_.]+", out), "an untranslated catalogue key"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "root")
def test_help_in_english(capsys: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    code, out, err = run(capsys, "--lang", "en", *command, "--help")
    assert code == 0 and err == ""
    assert out.startswith("Usage: gialai-remote") and "Options:" in out and "Show this message and exit." in out
    assert "Cách dùng" not in out and "Tùy chọn" not in out
    assert not re.search(r"\b(help|error|label|kind)\.[a-z_.]+", out)


def test_root_help_lists_commands_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    _, vi, _ = run(capsys, "--help")
    _, en, _ = run(capsys, "--help", "--lang", "en")
    assert "Khuyến nghị công cụ" in vi and "Cài gợi ý lệnh" in vi
    assert "Recommend tools" in en and "Install Tab completion" in en
    # Grouped: advice first, then browsing, the knowledge base, the network, help.
    headings = [line for line in vi.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings == ["Tùy chọn:", "Lời khuyên:", "Tra cứu:", "Cơ sở tri thức:", "Mạng:", "Trợ giúp:"]
    headings = [line for line in en.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings == ["Options:", "Advice:", "Browse:", "Knowledge base:", "Network:", "Help:"]


def test_help_from_the_environment_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIALAI_REMOTE_LANG", "en")
    _, out, _ = run(capsys, "recommend", "-h")
    assert out.startswith("Usage:")


# ---- errors -------------------------------------------------------------------------------

PARSER_ERRORS = [
    (("recommend", "--rol", "x"), "Không có tùy chọn --rol. Có phải bạn muốn: --role?", "No such option: --rol."),
    (("recommend", "--role"), "Tùy chọn --role cần một giá trị", "Option --role needs a value"),
    (("recommend", "--no-device=1"), "Tùy chọn --no-device không nhận giá trị", "Option --no-device takes no value"),
    (("recommend", "thanh", "vien"), "Thừa đối số: thanh vien.", "Unexpected extra argument(s): thanh vien."),
    (("recomend",), 'Không có lệnh "recomend". Có phải bạn muốn: recommend?', 'No such command "recomend".'),
    (("recommend", "--role", "x", "--no-input"), '--role: không có vai trò "x".', '--role: no role "x".'),
    (("recommend", "--format", "pdf"), 'Định dạng "pdf" không hỗ trợ', 'Format "pdf" is not supported'),
    (("recommend", "-r", "staff", "-t", "hop", "-n", "0"), '--participants "0" phải là số nguyên', "must be a whole"),
    (("recommend", "-r", "staff", "-t", "hop", "--date", "2020-02-30"), "không phải một ngày có thật", "not a real"),
    (("recommend", "--no-input"), "Thiếu --role (vai trò)", "Missing --role (role)"),
]
CLICK_ENGLISH = ("No such option", "requires an argument", "does not take a value", "Got unexpected", "No such command")


@pytest.mark.parametrize(("args", "vi", "en"), PARSER_ERRORS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_errors_in_both_languages(capsys: pytest.CaptureFixture[str], args: tuple[str, ...], vi: str, en: str) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert vi in err and len(err.strip().splitlines()) == 1
    assert not any(english in err for english in CLICK_ENGLISH)
    code, out, err = run(capsys, "--lang", "en", *args)
    assert (code, out) == (2, "")
    assert en in err and len(err.strip().splitlines()) == 1


def test_no_command_shows_the_help_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    assert err.startswith("Cách dùng:") and err.strip().endswith("Thiếu lệnh. Xem: gialai-remote --help")


# ---- the advice itself ------------------------------------------------------------------


def test_advice_reads_in_each_language(capsys: pytest.CaptureFixture[str]) -> None:
    _, vi, _ = run(capsys, *QUERY)
    _, en, _ = run(capsys, *QUERY, "--lang", "en")
    assert vi.startswith("Đây là hướng dẫn của Công văn") and en.startswith("This is the guidance of letter")
    for label in ("Khuyến nghị:", "Vai trò:", "Tình trạng sau Công văn:", "Vì sao:", "Cài đặt:", "Liên hệ hỗ trợ:"):
        assert label in vi
    for label in ("Lưu ý:", "Thông báo mới sau Công văn:", "Nguồn:"):
        assert label in vi
    for label in ("Recommended:", "Role:", "Since the letter:", "Why:", "Setup:", "Support contacts:"):
        assert label in en
    for label in ("Keep in mind:", "Notices from after the letter:", "Source:"):
        assert label in en
    # Vietnamese words of the interface never leak into English output (names of Vietnamese
    # bodies, people and laws may, as in any English text about Vietnam).
    for word in ("Vai trò", "Công việc", "Vì sao", "Cài đặt", "Lưu ý", "Cảnh báo", "mục ", "người liên hệ"):
        assert word not in en


def test_json_messages_follow_the_language(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    _, vi, _ = run(capsys, *QUERY, "--format", "json")
    _, en, _ = run(capsys, *QUERY, "--format", "json", "--lang", "en")
    vi_doc, en_doc = json.loads(vi), json.loads(en)
    assert vi_doc["query"]["lang"] == "vi" and en_doc["query"]["lang"] == "en"
    assert vi_doc["excluded"][0]["reasons"][0]["message"] != en_doc["excluded"][0]["reasons"][0]["message"]
    assert [r["tool"] for r in vi_doc["recommendations"]] == [r["tool"] for r in en_doc["recommendations"]]
