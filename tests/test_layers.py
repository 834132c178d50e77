"""Layers (issue 13): an agency's own file on top of the built-in knowledge base.

- A layer replaces entries by id, adds new ids, removes ids (``remove:``), and attaches a
  contact of its own to tools (``tools:``); every answer (recommend, check, setup, contacts,
  tools) in every format follows, and without the layer the answers are the built-in ones.
- A mistake in a layer is reported at the layer's own file:line:column: exit 3 for the
  commands that need the knowledge base, exit 1 for ``validate``; never a silent fallback.
- Two layers giving the same id: the later wins and ``validate`` warns (``--strict`` fails).
- A layer naming an unknown base, a later ``--data`` that is not a layer, a removal of
  something the stack does not have or that another entry still names: errors, each at its line.
- ``--data`` repeated, and ``GIALAI_REMOTE_DATA`` with the platform's path separator.
- ``--version`` and ``validate`` show the stack, with one digest that differs from the
  built-in file's; a stack seen before comes from the cache, and a changed base is checked again.
- ``tools show`` on an id a layer removed says which layer removed it (exit 2).
- ``layer init`` writes a layer that validates (strictly), and never over an existing file.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from gialai_remote.cli.main import main
from gialai_remote.knowledge.load import load_knowledge_base, validate_paths
from test_cache import spy_validation

DATE = "2026-12-01"
MEETING = ["--role", "agency-staff", "--task", "meeting", "--sensitivity", "internal", "--no-input", "--date", DATE]

LAYER = """\
layer:
  name: Sở KH&CN Gia Lai
  extends: builtin
  date: "2026-11-15"
contacts:
  - id: le-van-hai
    section: "2.1.b"
    name: Lê Văn Hải
    honorific: {vi: Ông, en: Mr}
    phone: "0934121300"
  - id: hotline-emeeting
    section: "2.2.b"
    name: Tổng đài hỗ trợ eMeeting
    organization: {vi: Trung tâm Công nghệ thông tin, en: IT Centre}
    phone: "02693822555"
    verified_on: "2026-11-15"
    tools: [aic-emeeting]
remove:
  tools: [zalo]
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def write(where: Path, name: str, text: str) -> Path:
    path = where / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def layer(tmp_path: Path) -> Path:
    return write(tmp_path, "layer.yaml", LAYER)


# ---- replace, add, remove: every answer follows ---------------------------------------------------


def test_a_layer_replaces_adds_and_removes(layer: Path) -> None:
    kb = load_knowledge_base(str(layer))
    assert kb.contact("le-van-hai").phone == "0934121300"
    assert kb.tool("aic-emeeting").contacts == ("le-van-hai", "hotline-emeeting")
    assert not kb.has("tools", "zalo")
    assert kb.stack is not None
    assert [x.name for x in kb.stack.layers] == [None, "Sở KH&CN Gia Lai"]
    assert kb.stack.origin("contacts", "hotline-emeeting") == kb.stack.layers[1]
    assert kb.stack.origin("contacts", "nguyen-dung") is None
    assert kb.stack.removed_by("tools", "zalo") == kb.stack.layers[1]
    # The rules that named only the removed app go with it; the others stop naming it.
    assert all("zalo" not in (rule.tools or ()) for rule in kb.rules)
    # The built-in file itself is untouched.
    builtin = load_knowledge_base()
    assert builtin.contact("le-van-hai").phone == "0934121298" and builtin.has("tools", "zalo")


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_recommend_shows_the_layer_in_every_format(capsys: pytest.CaptureFixture[str], layer: Path, fmt: str) -> None:
    code, out, _ = run(capsys, "recommend", *MEETING, "--format", fmt, "--data", str(layer))
    assert code == 0
    if fmt == "json":
        recs = {r["tool"]: r for r in json.loads(out)["recommendations"]}
        phones = [c["phone"] for c in recs["aic-emeeting"]["contacts"]]
        assert phones == ["0934121300", "02693822555"]
    else:
        assert "0934 121 300" in out and "0269 3822 555" in out and "0934 121 298" not in out
    code, plain, _ = run(capsys, "recommend", *MEETING, "--format", fmt)
    assert code == 0 and "0934 121 300" not in plain and "02693822555" not in plain


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_contacts_and_tools_show_the_layer(capsys: pytest.CaptureFixture[str], layer: Path, fmt: str) -> None:
    data = ["--data", str(layer), "--format", fmt]
    for argv in (
        ["contacts", "--tool", "aic-emeeting"],
        ["tools", "show", "aic-emeeting", "--date", DATE],
    ):
        code, out, _ = run(capsys, *argv, *data)
        assert code == 0, argv
        assert ("02693822555" if fmt == "json" else "0269 3822 555") in out, argv


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_handout_shows_the_layer(capsys: pytest.CaptureFixture[str], layer: Path, fmt: str) -> None:
    code, out, _ = run(capsys, "setup", "aic-emeeting", "--format", fmt, "--date", DATE, "--data", str(layer))
    assert code == 0 and "0269 3822 555" in out and "0934 121 300" in out


def test_a_removed_app_is_in_no_answer(capsys: pytest.CaptureFixture[str], layer: Path) -> None:
    code, out, _ = run(capsys, "recommend", *MEETING, "--format", "json", "--data", str(layer))
    answer = json.loads(out)
    named = [r["tool"] for r in answer["recommendations"]] + [e["tool"] for e in answer["excluded"]]
    assert "viber" in named and "zalo" not in named
    code, out, _ = run(capsys, "tools", "--format", "json", "--data", str(layer))
    assert "zalo" not in out
    for argv in (["tools", "show", "zalo"], ["check", "--tool", "Zalo", *MEETING], ["setup", "zalo"]):
        code, out, err = run(capsys, *argv, "--data", str(layer))
        assert code == 2, argv
        assert 'công cụ "zalo" đã bị tầng "Sở KH&CN Gia Lai"' in err and str(layer) in err, argv
    code, _, err = run(capsys, "tools", "show", "zalo", "--lang", "en", "--data", str(layer))
    assert code == 2 and 'tool "zalo" was removed from the knowledge base by layer "Sở KH&CN Gia Lai"' in err


# ---- mistakes, at their own file:line:column ------------------------------------------------------


def test_a_mistake_in_a_layer_is_at_its_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", LAYER.replace('phone: "02693822555"', "phone: 0362123456"))
    code, out, err = run(capsys, "recommend", *MEETING, "--data", str(bad))
    assert code == 3 and out == ""
    assert f"{bad}:15:12: yaml-octal" in err
    code, out, _ = run(capsys, "validate", str(bad))
    assert code == 1 and f"{bad}:15:12: yaml-octal" in out
    code, out, _ = run(capsys, "validate", str(bad), "--format", "json")
    problem = json.loads(out)["problems"][0]
    assert (problem["path"], problem["line"], problem["column"]) == (str(bad), 15, 12)
    # A key the layer format does not have, in the layer's own mapping.
    typo = write(tmp_path, "typo.yaml", LAYER.replace("  date:", "  dated:"))
    code, out, _ = run(capsys, "validate", str(typo))
    assert code == 1 and f"{typo}:4:3: unknown-key" in out and f"{typo}:2:3: missing-key" in out


def test_a_layer_naming_an_unknown_base(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    lost = write(tmp_path, "lost.yaml", LAYER.replace("extends: builtin", "extends: ../nowhere.yaml"))
    code, out, _ = run(capsys, "validate", str(lost))
    assert code == 1 and f"{lost}:3:12: unknown-base" in out and "nowhere.yaml" in out
    code, _, err = run(capsys, "contacts", "--data", str(lost))
    assert code == 3 and f"{lost}:3:12: unknown-base" in err


def test_removing_what_another_entry_names_is_an_error_at_the_removal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    remover = write(
        tmp_path,
        "remover.yaml",
        """\
        layer: {name: Gỡ, extends: builtin, date: "2026-11-15"}
        remove:
          contacts: [le-van-hai]
          roles: [ubnd-member]
        """,
    )
    code, out, _ = run(capsys, "validate", str(remover), "--lang", "en")
    assert code == 1
    lines = [x for x in out.splitlines() if "removed-in-use" in x]
    assert lines and all(x.startswith(f"{remover}:3:") or x.startswith(f"{remover}:4:") for x in lines)
    assert any(
        'contact "le-van-hai" is removed here but still named by tool aic-emeeting (<built-in>:' in x for x in lines
    )
    assert any('role "ubnd-member" is removed here' in x for x in lines)
    assert "unknown-reference" not in out
    code, _, err = run(capsys, "recommend", *MEETING, "--data", str(remover))
    assert code == 3 and "removed-in-use" in err


def test_removing_what_is_not_there(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path, "nothing.yaml", 'layer: {name: X, extends: builtin, date: "2026-11-15"}\nremove: {tools: [zallo]}\n'
    )
    code, out, _ = run(capsys, "validate", str(path), "--lang", "en")
    assert code == 1 and f"{path}:2:18: nothing-to-remove" in out and 'no tool "zallo"' in out


def test_a_duplicate_id_in_a_layer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = LAYER + '  - id: hotline-emeeting\n    section: "2.2.b"\n    name: X\n    phone: "0934121301"\n'
    path = write(tmp_path, "dup.yaml", text.replace("remove:\n  tools: [zalo]\n", "contacts:\n"))
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1 and "duplicate" in out


# ---- stacks ---------------------------------------------------------------------------------------


SECOND = """\
layer:
  name: Phòng CNTT
  extends: builtin
  date: "2026-11-20"
contacts:
  - id: le-van-hai
    section: "2.1.b"
    name: Lê Văn Hải
    honorific: {vi: Ông, en: Mr}
    phone: "0934121399"
"""


def test_conflicting_layers_the_later_wins_and_validate_says_so(
    capsys: pytest.CaptureFixture[str], layer: Path, tmp_path: Path
) -> None:
    second = write(tmp_path, "second.yaml", SECOND)
    kb = load_knowledge_base([str(layer), str(second)])
    assert kb.contact("le-van-hai").phone == "0934121399"
    assert kb.contact("hotline-emeeting").phone == "02693822555"  # the first layer's other changes stay
    kb = load_knowledge_base([str(second), str(layer)])
    assert kb.contact("le-van-hai").phone == "0934121300"
    data = ["--data", str(layer), "--data", str(second)]
    code, out, _ = run(capsys, "validate", *data)
    assert code == 0
    assert f"{second}:6:9: layer-conflict" in out and f"{layer}:6" in out and "Sở KH&CN Gia Lai" in out
    assert run(capsys, "validate", "--strict", *data)[0] == 1
    code, out, _ = run(capsys, "validate", "--strict", *data, "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["valid"] is False and report["warnings"] == 1
    assert [x["name"] for x in report["stack"]["layers"]] == [None, "Sở KH&CN Gia Lai", "Phòng CNTT"]


def test_the_environment_variable_holds_a_stack(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, layer: Path, tmp_path: Path
) -> None:
    second = write(tmp_path, "second.yaml", SECOND)
    monkeypatch.setenv("GIALAI_REMOTE_DATA", os.pathsep.join([str(layer), str(second)]))
    code, out, _ = run(capsys, "contacts", "--format", "json")
    phones = {c["id"]: c["phone"] for c in json.loads(out)["contacts"]}
    assert code == 0 and phones["le-van-hai"] == "0934121399" and phones["hotline-emeeting"] == "02693822555"
    # A flag beats the variable.
    code, out, _ = run(capsys, "contacts", "--format", "json", "--data", "builtin")
    assert code == 0 and "hotline-emeeting" not in out


def test_a_layer_on_a_file_of_the_agencys_own(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from gialai_remote.knowledge.load import builtin_bytes

    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "copy.yaml").write_bytes(builtin_bytes())
    middle = write(tmp_path / "base", "middle.yaml", LAYER.replace("extends: builtin", "extends: copy.yaml"))
    top = write(tmp_path, "top.yaml", SECOND.replace("extends: builtin", "extends: base/middle.yaml"))
    kb = load_knowledge_base(str(top))
    assert kb.stack is not None
    assert [x.path for x in kb.stack.layers] == [str(tmp_path / "base" / "copy.yaml"), str(middle), str(top)]
    assert kb.contact("le-van-hai").phone == "0934121399" and kb.has("contacts", "hotline-emeeting")
    # A later --data must be a layer, on a file already in the stack.
    code, out, _ = run(capsys, "validate", "--data", str(top), "--data", str(tmp_path / "base" / "copy.yaml"))
    assert code == 1 and "not-a-layer" in out
    code, out, _ = run(
        capsys, "validate", "--data", str(tmp_path / "base" / "copy.yaml"), "--data", str(SECOND_BUILTIN(tmp_path))
    )
    assert code == 1 and "unknown-base" in out


def SECOND_BUILTIN(tmp_path: Path) -> Path:
    """A layer on the built-in file, given after a base that is not the built-in file."""
    return write(tmp_path, "on-builtin.yaml", SECOND)


def test_a_cycle_of_extends_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", 'layer: {name: A, extends: b.yaml, date: "2026-11-15"}\n')
    write(tmp_path, "b.yaml", 'layer: {name: B, extends: a.yaml, date: "2026-11-15"}\n')
    code, out, _ = run(capsys, "validate", str(tmp_path / "a.yaml"))
    assert code == 1 and "unknown-base" in out


def test_version_shows_the_stack_and_its_digest(capsys: pytest.CaptureFixture[str], layer: Path) -> None:
    code, plain, _ = run(capsys, "--version")
    assert code == 0 and plain.count("\n") == 2
    code, stacked, _ = run(capsys, "--version", "--data", str(layer))
    assert code == 0 and f'2. {layer}: tầng "Sở KH&CN Gia Lai", ngày 15/11/2026' in stacked
    assert plain.splitlines()[-1] != stacked.splitlines()[-1]
    code, out, _ = run(capsys, "--version", "--format", "json", "--data", str(layer))
    info: dict[str, Any] = json.loads(out)
    assert code == 0 and len(info["stack"]["digest"]) == 64
    assert info["stack"]["layers"][1] == {
        "path": str(layer),
        "digest": info["stack"]["layers"][1]["digest"],
        "name": "Sở KH&CN Gia Lai",
        "date": "2026-11-15",
        "extends": "builtin",
    }
    assert stacked.splitlines()[-1].endswith(info["stack"]["digest"])
    code, out, _ = run(capsys, "--version", "--format", "json")
    assert json.loads(out)["stack"]["digest"] != info["stack"]["digest"]


def test_a_stack_seen_before_comes_from_the_cache(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GIALAI_REMOTE_CACHE", str(tmp_path / "cache"))
    calls = spy_validation(monkeypatch)
    from gialai_remote.knowledge.load import builtin_bytes

    base = tmp_path / "base.yaml"
    base.write_bytes(builtin_bytes())
    top = write(tmp_path, "top.yaml", LAYER.replace("extends: builtin", "extends: base.yaml"))
    first = run(capsys, "contacts", "--format", "json", "--data", str(top))
    assert first[0] == 0 and len(calls) == 1
    assert run(capsys, "contacts", "--format", "json", "--data", str(top)) == first
    assert len(calls) == 1
    # The base it extends changes: the stack is checked again.
    base.write_bytes(builtin_bytes().replace(b'phone: "0935076079"', b'phone: "0935076070"'))
    changed = run(capsys, "contacts", "--format", "json", "--data", str(top))
    assert len(calls) == 2 and "0935076070" in changed[1]
    # A stack with an error is never kept.
    bad = write(tmp_path, "bad.yaml", LAYER.replace('"02693822555"', '"12"'))
    assert run(capsys, "validate", str(bad))[0] == 1
    assert run(capsys, "validate", str(bad))[0] == 1
    assert len(calls) == 4


def test_validate_paths_reports_each_file(tmp_path: Path, layer: Path) -> None:
    report = validate_paths(["builtin", str(layer)])
    assert report.errors == [] and report.stack is not None and len(report.stack.layers) == 2


# ---- layer init -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_layer_init_writes_a_layer_that_validates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    path = tmp_path / "co-quan.yaml"
    code, out, err = run(capsys, "layer", "init", str(path), "--name", "Sở KH&CN", "--lang", lang)
    assert code == 0 and out == "" and str(path) in err
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ") and 'name: "Sở KH&CN"' in text and "extends: builtin" in text
    code, out, _ = run(capsys, "validate", "--strict", str(path))
    assert code == 0 and "problem" not in out and "warning" not in out
    kb = load_knowledge_base(str(path))
    assert len(kb.contacts) == len(load_knowledge_base().contacts) + 1
    # Never over an existing file, a link or a folder.
    before = path.read_bytes()
    code, _, err = run(capsys, "layer", "init", str(path))
    assert code == 2 and path.read_bytes() == before
    link = tmp_path / "link.yaml"
    link.symlink_to(tmp_path / "missing.yaml")
    assert run(capsys, "layer", "init", str(link))[0] == 2 and not (tmp_path / "missing.yaml").exists()
    assert run(capsys, "layer", "init", str(tmp_path))[0] == 2


# ---- phone numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "shown"),
    [
        ("02693822555", "0269 3822 555"),
        ("02438251234", "024 3825 1234"),
        ("0934121298", "0934 121 298"),
        ("0913450011", "0913 450 011"),
        ("12", "12"),
    ],
)
def test_phone_numbers_are_grouped_as_vietnamese_write_them(digits: str, shown: str) -> None:
    from gialai_remote.phones import national
    from gialai_remote.render.words import group_phone

    assert national(digits) == shown == group_phone(digits)


def test_the_readings_are_kept_with_the_knowledge_base(layer: Path) -> None:
    kb = load_knowledge_base(str(layer))
    assert kb.stack is not None
    assert kb.stack.readings["02693822555"] == "0269 3822 555"
    assert kb.stack.readings["0934121300"] == "0934 121 300"


# ---- validate --max-age ---------------------------------------------------------------------------


def test_max_age_warns_about_the_letters_contacts(capsys: pytest.CaptureFixture[str], layer: Path) -> None:
    code, out, _ = run(capsys, "validate", "--max-age", "365", "--lang", "en")
    assert code == 0 and out.count("contact-age") == 4 and "last verified on 2020-04-01" in out
    assert run(capsys, "validate", "--max-age", "365", "--strict")[0] == 1
    assert run(capsys, "validate", "--max-age", "100000")[0] == 0
    code, _, err = run(capsys, "validate", "--max-age", "soon")
    assert code == 2 and "--max-age" in err


# ---- no traceback, whatever the layer holds --------------------------------------------------------


def test_every_line_deleted_or_retyped_ends_with_a_contract_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = (
        (Path(__file__).parent.parent / "docs" / "examples" / "so-khcn-gia-lai.yaml")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    variants = []
    for i in range(len(lines)):
        variants.append(lines[:i] + lines[i + 1 :])  # one line deleted
        variants.append([*lines[:i], lines[i].replace(": ", ": [", 1), *lines[i + 1 :]])  # one value broken
    variants.append(["layer: builtin"])
    variants.append(["layer: {name: X, extends: builtin, date: '2026-11-15'}", "remove: [zalo]"])
    variants.append(["layer: {name: X, extends: builtin, date: '2026-11-15'}", "remove: {tools: zalo}"])
    variants.append(["layer: {name: X, extends: '', date: '2026-11-15'}"])
    variants.append(["layer: {name: X, extends: ., date: '2026-11-15'}"])
    variants.append(["layer: {name: X, extends: /dev/null, date: '2026-11-15'}"])
    path = tmp_path / "v.yaml"
    for variant in variants:
        path.write_text("\n".join(variant) + "\n", encoding="utf-8")
        assert run(capsys, "validate", str(path))[0] in (0, 1, 3), variant
        assert run(capsys, "contacts", "--data", str(path))[0] in (0, 3), variant


# ---- contacts that say how fresh they are (issue 13 item 2) ---------------------------------------

FRESH_VI = "(xác minh ngày 15/11/2026, Sở KH&CN Gia Lai)"
LETTER_VI = "(theo Công văn, 2020)"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_number_says_how_fresh_it_is(capsys: pytest.CaptureFixture[str], layer: Path, fmt: str) -> None:
    fresh = FRESH_VI.replace("&", "&amp;") if fmt == "html" else FRESH_VI
    after = {"html": '</span> <span class="fresh">', "markdown": "** ", "text": " "}[fmt]
    code, out, _ = run(capsys, "recommend", *MEETING, "--format", fmt, "--data", str(layer))
    assert code == 0 and f"0269 3822 555{after}{fresh}" in out
    code, out, _ = run(capsys, "setup", "aic-emeeting", "--format", fmt, "--date", DATE, "--data", str(layer))
    assert code == 0 and f"0269 3822 555{after}{fresh}" in out
    code, plain, _ = run(capsys, "recommend", *MEETING, "--format", fmt)
    assert f"0934 121 298{after}{LETTER_VI}" in plain and "xác minh ngày" not in plain


def test_text_commands_show_the_freshness(capsys: pytest.CaptureFixture[str], layer: Path) -> None:
    data = ["--data", str(layer)]
    for argv in (
        ["check", "--tool", "aic-emeeting", *MEETING],
        ["contacts", "--tool", "aic-emeeting"],
        ["tools", "show", "aic-emeeting", "--date", DATE],
    ):
        code, out, _ = run(capsys, *argv, *data)
        assert code == 0 and f"0269 3822 555 {FRESH_VI}" in out and "0934 121 300 (xác minh ngày 15/11/2026" in out, (
            argv
        )
    code, out, _ = run(capsys, "contacts", "--lang", "en", *data)
    assert "0269 3822 555 (verified on 2026-11-15, Sở KH&CN Gia Lai)" in out
    assert "0935 076 079 (per the letter, 2020)" in out


def test_the_json_contact_carries_its_date_and_source(capsys: pytest.CaptureFixture[str], layer: Path) -> None:
    code, out, _ = run(capsys, "check", "--tool", "aic-emeeting", *MEETING, "--format", "json", "--data", str(layer))
    answer = json.loads(out)
    contacts = {c["id"]: c for c in answer["contacts"]}
    assert code == 0 and contacts["hotline-emeeting"]["verified_on"] == "2026-11-15"
    assert contacts["hotline-emeeting"]["source"]["id"] == "layer-1"
    assert contacts["hotline-emeeting"]["source"]["section"] is None
    assert contacts["hotline-emeeting"]["organization"] == "Trung tâm Công nghệ thông tin"
    layer_source = next(s for s in answer["sources"] if s["id"] == "layer-1")
    assert layer_source["kind"] == "layer" and layer_source["title"] == "Sở KH&CN Gia Lai"
    # A replaced contact without a date of its own counts as verified on the layer's date.
    assert contacts["le-van-hai"]["verified_on"] == "2026-11-15"
    code, out, _ = run(capsys, "check", "--tool", "aic-emeeting", *MEETING, "--format", "json")
    builtin = json.loads(out)["contacts"][0]
    assert builtin["verified_on"] == "2020-04-01" and builtin["source"]["id"] == "letter-415"
    assert builtin["source"]["section"] == "2.1.b"
    # Not allowed: no contacts to call.
    code, out, _ = run(capsys, "check", "--tool", "polycom", *MEETING, "--format", "json")
    assert code == 1 and json.loads(out)["contacts"] == []


def test_a_section_1_tool_says_whom_to_ask(capsys: pytest.CaptureFixture[str]) -> None:
    ask = "Công văn không nêu người hỗ trợ cho công cụ này; hãy hỏi bộ phận công nghệ thông tin của đơn vị."
    argv = ["recommend", "--role", "agency-staff", "--task", "documents", "--no-input", "--date", DATE]
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.count(ask) == 2  # document-management, official-email
    code, out, _ = run(capsys, *argv, "--format", "json")
    for rec in json.loads(out)["recommendations"]:
        assert rec["contacts"] == [] and [w["code"] for w in rec["warnings"]].count("no_contact") == 1
    for other in (["tools", "show", "one-stop-shop", "--date", DATE], ["contacts", "--tool", "official-email"]):
        code, out, _ = run(capsys, *other)
        assert code == 0 and ask in out, other
    code, out, _ = run(capsys, "check", "--tool", "official-email", *argv[1:], "--format", "json")
    assert "no_contact" in [w["code"] for w in json.loads(out)["warnings"]]


def test_a_layer_on_a_format_1_copy(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_bytes((Path(__file__).parent / "kb_v1" / "minimal.yaml").read_bytes())
    top = write(
        tmp_path, "top.yaml", 'layer: {name: Mới, extends: old.yaml, date: "2026-11-15"}\nremove: {tools: []}\n'
    )
    code, out, _ = run(capsys, "validate", "--strict", str(top))
    assert code == 0 and "schema-version-1" not in out  # the base's own warning is the base's
    kb = load_knowledge_base(str(top))
    assert kb.schema_version == 2 and kb.sources[0].kind == "letter" and kb.sources[-1].kind == "layer"


FORBIDS_ZALO = """\
layer:
  name: {name}
  extends: builtin
  date: "2026-11-15"
remove:
  tools: [zalo]
"""


def test_two_layers_removing_the_same_app_is_a_conflict_not_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The province and the agency both forbid Zalo: the same outcome, a layer-conflict warning
    (found by a new user: it was nothing-to-remove, an error that broke every command)."""
    first = write(tmp_path, "tinh.yaml", FORBIDS_ZALO.format(name="Tỉnh"))
    second = write(tmp_path, "don-vi.yaml", FORBIDS_ZALO.format(name="Đơn vị"))
    data = ["--data", str(first), "--data", str(second)]
    code, out, _ = run(capsys, "validate", *data)
    assert code == 0 and f"{second}:6:11: layer-conflict" in out and "nothing-to-remove" not in out
    kb = load_knowledge_base([str(first), str(second)])
    assert "zalo" not in [tool.id for tool in kb.tools]
    assert run(capsys, "recommend", *data, "-r", "agency-staff", "-t", "meeting", "-s", "normal", "--no-input")[0] == 0


def test_a_system_the_agency_adds_is_not_counted_as_the_letters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The late answer's count is of the tools the letter names: an added system cites its layer."""
    added = write(
        tmp_path,
        "them.yaml",
        """\
        layer:
          name: Thêm
          extends: builtin
          date: "2026-11-15"
        tools:
          - id: phong-hop-x
            section: "2.2"
            category: official
            priority: 40
            name: {vi: Phòng họp X, en: Room X}
            description: {vi: Phòng họp X., en: Room X.}
        """,
    )
    kb = load_knowledge_base([str(added)])
    assert next(tool for tool in kb.tools if tool.id == "phong-hop-x").source == "layer-1"
    code, out, _ = run(capsys, "--data", str(added), "recommend", "-r", "agency-staff", "-t", "meeting", "--no-input")
    assert code == 0 and "Trong 16 công cụ Công văn nêu" in out


def test_a_contact_verified_after_today_is_a_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A verified_on after today is a typing mistake (found by a new user: it passed every check)."""
    later = write(
        tmp_path,
        "sau.yaml",
        """\
        layer:
          name: Sau
          extends: builtin
          date: "2026-11-15"
        contacts:
          - id: le-van-hai
            section: "2.1.b"
            name: Lê Văn Hải
            phone: "0934121300"
            verified_on: "2999-06-01"
        """,
    )
    code, out, _ = run(capsys, "validate", "--data", str(later), "--lang", "en")
    assert code == 0
    assert f'{later}:0:0: contact-verified-later contact "le-van-hai" says it was verified on 2999-06-01' in out
    assert run(capsys, "validate", "--data", str(later), "--strict")[0] == 1


@pytest.mark.parametrize("target", ["-", ".", "", "  "])
def test_layer_init_needs_a_file_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not stdout, not a folder, not an empty name (a new user got a file named "-")."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "layer", "init", target, "--lang", "en")
    assert (code, out) == (2, "")
    assert err.startswith("The layer needs the name of a file to write (not a folder, not -)")
    assert list(tmp_path.iterdir()) == []


def test_the_same_id_twice_in_one_remove_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    twice = write(
        tmp_path,
        "hai-lan.yaml",
        'layer:\n  name: T\n  extends: builtin\n  date: "2026-11-15"\nremove:\n  tools: [zalo, zalo]\n',
    )
    code, out, _ = run(capsys, "validate", "--data", str(twice), "--lang", "en")
    assert code == 1 and f"{twice}:6:17: duplicate-id" in out and "nothing-to-remove" not in out


def test_a_cached_stack_shows_the_path_this_run_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same layer named from its folder and by its full path from elsewhere: each run shows
    the path its user typed, as without the cache (a new user's trial found the first one kept)."""
    folder = tmp_path / "co-quan"
    folder.mkdir()
    layer = folder / "p.yaml"
    layer.write_bytes((Path(__file__).resolve().parents[1] / "docs/examples/so-khcn-gia-lai.yaml").read_bytes())
    monkeypatch.setenv("GIALAI_REMOTE_CACHE", str(tmp_path / "cache"))

    def version_from(where: Path, named: str, *extra: str) -> str:
        monkeypatch.chdir(where)
        assert main(["--data", named, "--version", "--format", "json", *extra]) == 0
        return capsys.readouterr().out

    first = version_from(folder, "p.yaml")
    assert json.loads(first)["stack"]["layers"][1]["path"] == "p.yaml"
    for _ in range(2):  # the second time from the cache
        other = json.loads(version_from(tmp_path, str(layer)))
        assert other["stack"]["layers"][1]["path"] == str(layer)
    assert version_from(tmp_path, str(layer)) == version_from(tmp_path, str(layer), "--no-cache")
    assert version_from(folder, "p.yaml") == first
