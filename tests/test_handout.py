"""Setup handouts (``setup``) and the Markdown/HTML advice (``recommend --format markdown|html``).

Golden Markdown for two tools (regenerate on purpose with ``GIALAI_REGEN=1``), HTML escaping
with a knowledge base whose texts hold ``<script>``, ``"`` and ``&``, the self-contained page,
and the atomic ``--output`` (existing file kept, no temporary file left, clear errors).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from gialai_remote.advice import Query
from gialai_remote.cli.main import run
from gialai_remote.decide import check
from gialai_remote.handout import build_handout
from gialai_remote.knowledge.load import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
REGEN = os.environ.get("GIALAI_REGEN") == "1"
KB = load_knowledge_base()
TOOLS = [t.id for t in KB.tools]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---- golden Markdown ---------------------------------------------------------------------------

GOLDEN_CASES = [
    pytest.param(
        ["aic-emeeting", "--lang", "vi", "--date", "2026-11-29"], "setup-aic-emeeting.vi.md", id="aic-emeeting-vi"
    ),
    pytest.param(
        ["polycom", "--lang", "en", "--platform", "android", "--date", "2020-04-15"],
        "setup-polycom-android.en.md",
        id="polycom-android-en",
    ),
]


@pytest.mark.parametrize(("args", "name"), GOLDEN_CASES)
def test_markdown_golden(capsys: pytest.CaptureFixture[str], args: list[str], name: str) -> None:
    code, out, err = cli(capsys, "setup", "--format", "markdown", *args)
    assert (code, err) == (0, "")
    path = GOLDEN / name
    if REGEN:
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8"), "regenerate on purpose with GIALAI_REGEN=1"


# ---- what a handout says -------------------------------------------------------------------------


def _html(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = cli(capsys, "setup", "--format", "html", *args)
    assert (code, err) == (0, "")
    return out


def test_aic_emeeting_html_has_everything_an_official_needs(capsys: pytest.CaptureFixture[str]) -> None:
    page = _html(capsys, "aic-emeeting", "--date", "2026-11-29")
    for needle in (
        "Hướng dẫn sử dụng: AIC eMeeting",
        "mục 2.2.b",
        "Áp dụng ngày 29/11/2026",
        "https://emeetingjalai.hcdt.vn:2443/",
        "0934 121 298",  # grouped for reading
        "Ông Lê Văn Hải",
        "Người chủ trì đăng nhập đầu tiên",  # room and password, as the letter says
        "cả chữ hoa và chữ thường",
        "Trên máy tính",
        "Bí mật nhà nước",  # never for state secrets
        "Nghị định 45/2025/NĐ-CP",  # notice in force on the date
        "415/STTTT-CNTT",
        'class="qr"',
    ):
        assert needle in page, needle


def test_public_app_handout_warns_about_internal_content(capsys: pytest.CaptureFixture[str]) -> None:
    page = _html(capsys, "zalo", "--lang", "en", "--date", "2020-04-15")
    assert "must never go onto the Internet through public apps (section 2.3)" in page
    assert "Internal content; State secret" in page  # the "Never for" row
    assert "The letter gives no setup steps for this tool; ask your unit&#39;s IT staff." in page
    assert "The letter names no support contact for this tool; ask your unit&#39;s IT staff." in page
    assert "If anything is unclear, ask your unit&#39;s IT staff." in page
    assert "Call a support contact" not in page  # nobody is listed to call
    assert "The letter sets no platform limit" in page
    assert "<svg" not in page  # no server, no QR code


def test_platform_chooses_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    _, ios, _ = cli(capsys, "setup", "aic-emeeting", "--lang", "en", "-p", "iphone", "-f", "markdown")
    _, web, _ = cli(capsys, "setup", "aic-emeeting", "--lang", "en", "-p", "web", "-f", "markdown")
    assert "App Store" in ios and "in a browser" not in ios and "Steps for: iOS" in ios
    assert "in a browser" in web and "App Store" not in web and "Steps for: Web browser" in web
    # Steps for every platform are shown when none is chosen, each labelled.
    _, every, _ = cli(capsys, "setup", "aic-emeeting", "--lang", "en", "-f", "markdown")
    assert "iOS: Install" in every and "On a computer: Open" in every and "every platform" in every


def test_offer_expired_is_shown_on_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    after = _html(capsys, "vnpt-meeting", "--lang", "en", "--date", "2020-06-01")
    before = _html(capsys, "vnpt-meeting", "--lang", "en", "--date", "2020-05-31")
    assert 'class="blocked"' in after and "free until 2020-05-31; that free offer has ended" in after
    assert 'class="blocked"' not in before


def test_unsupported_platform_is_shown_on_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    page = _html(capsys, "polycom", "--lang", "en", "--platform", "windows")
    assert 'class="blocked"' in page and "not available on Windows" in page


@pytest.mark.parametrize("tool", TOOLS)
def test_who_may_use_it_agrees_with_check(tool: str) -> None:
    """The handout's roles and content levels are exactly those ``check`` lets through."""
    day = dt.date(2020, 4, 15)
    handout = build_handout(KB, tool, date=day, lang="en")
    for role in KB.roles:
        query = Query(role=role.id, task=None, date=day, sensitivity="normal", lang="en")
        allowed = "role_not_allowed" not in {r.code for r in check(KB, query, tool).reasons}
        assert (role.id in handout.scope.of("roles").ids) == allowed
    for sens in KB.sensitivities:
        query = Query(role=KB.roles[0].id, task=None, date=day, sensitivity=sens.id, lang="en")
        allowed = "sensitivity_not_allowed" not in {r.code for r in check(KB, query, tool).reasons}
        assert (sens.id in handout.scope.of("sensitivity").ids) == allowed


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_tool_renders(capsys: pytest.CaptureFixture[str], fmt: str, lang: str) -> None:
    for tool in TOOLS:
        code, out, err = cli(capsys, "setup", tool, "--format", fmt, "--lang", lang)
        assert (code, err) == (0, ""), tool
        if fmt == "html":
            import html

            out = html.unescape(out)
        assert KB.tool(tool).name.get(lang).split()[0] in out
        for contact in KB.tool(tool).contacts:
            phone = KB.contact(contact).phone
            assert f"{phone[:4]} {phone[4:7]} {phone[7:]}" in out


USAGE = [
    pytest.param(["no-such-tool"], id="unknown-tool"),
    pytest.param(["zalo", "--format", "json"], id="format-json"),
    pytest.param(["zalo", "--platform", "amiga"], id="unknown-platform"),
    pytest.param(["zalo", "--date", "2020-13-01"], id="bad-date"),
    pytest.param(["--no-input"], id="missing-tool"),
    pytest.param(["zalo", "extra"], id="extra-argument"),
]


@pytest.mark.parametrize("args", USAGE)
def test_setup_usage_errors(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = cli(capsys, "setup", *args)
    assert code == 2 and err.strip() and "Traceback" not in err
    if "json" in args:  # asked for JSON: the error is also a JSON object on stdout
        assert json.loads(out)["error"]["code"] == "usage_error"
    else:
        assert out == ""


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_recommend_documents(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = cli(
        capsys,
        "recommend",
        "-f",
        fmt,
        "--lang",
        "en",
        "--role",
        "ubnd-member",
        "--task",
        "meeting",
        "-n",
        "30",
        "--date",
        "2020-04-15",
    )
    assert (code, err) == (0, "")
    assert "Remote-work advice" in out and "0934 121 298" in out and "serves at most 26 people" in out
    code, out, _ = cli(capsys, "recommend", "-f", fmt, "--role", "agency-staff", "--task", "meeting", "-s", "secret")
    assert code == 1 and "bí mật nhà nước" in out


# ---- HTML: escaping and self-containment ----------------------------------------------------------

PAYLOAD = '<script>alert("x")</script> & "quoted" <img src=x onerror=alert(1)>'
HOSTILE_URL = 'https://x.example:2443/?a=1&b="><script>alert(2)</script>'


@pytest.fixture
def hostile_kb(tmp_path: Path) -> Path:
    """A copy of guidance.yaml whose texts hold ``<script>``, quotes and ampersands."""
    doc = yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))
    tool = next(t for t in doc["tools"] if t["id"] == "aic-emeeting")
    tool["server_url"] = HOSTILE_URL
    for lang in ("vi", "en"):
        tool["name"][lang] = f"AIC {PAYLOAD}"
        tool["description"][lang] = PAYLOAD
        tool["setup_steps"][0]["text"][lang] = f"Step {PAYLOAD}"
        tool["notes"][0][lang] = f"Note {PAYLOAD}"
    contact = next(c for c in doc["contacts"] if c["id"] == "le-van-hai")
    contact["name"] = f"Lê Văn Hải {PAYLOAD}"
    notice = next(n for n in doc["notices"] if n["id"] == "department-merger-decree-45-2025")
    notice["text"] = {"vi": f"Thông báo {PAYLOAD}", "en": f"Notice {PAYLOAD}"}
    source = next(s for s in doc["sources"] if s["id"] == "decree-45-2025")
    source["title"] = {"vi": f"Source {PAYLOAD}", "en": f"Source {PAYLOAD}"}
    path = tmp_path / "guidance.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_escapes_knowledge_base_text(capsys: pytest.CaptureFixture[str], hostile_kb: Path, lang: str) -> None:
    code, page, err = cli(
        capsys, "setup", "aic-emeeting", "--data", str(hostile_kb), "-f", "html", "--lang", lang, "--date", "2026-11-29"
    )
    assert (code, err) == (0, "")
    parsed = _parse(page)
    tags = {tag for tag, _ in parsed.tags}
    assert "script" not in tags and "img" not in tags
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quoted&#34;" in page
    # The text a reader sees is the payload, literally, in every place it was put.
    text = "".join(parsed.text)
    assert text.count(PAYLOAD) >= 6  # title, heading, description, step, note, contact, notice text and source
    assert HOSTILE_URL in text
    assert "https://x.example:2443/?a=1&amp;b=&#34;&gt;&lt;script&gt;" in page


def test_html_escapes_in_recommend_document(capsys: pytest.CaptureFixture[str], hostile_kb: Path) -> None:
    code, page, _ = cli(
        capsys, "recommend", "--data", str(hostile_kb), "-f", "html", "--role", "agency-staff", "--task", "meeting"
    )
    assert code == 0
    assert "script" not in {tag for tag, _ in _parse(page).tags}
    assert "&lt;script&gt;" in page


def test_markdown_escapes_knowledge_base_text(capsys: pytest.CaptureFixture[str], hostile_kb: Path) -> None:
    code, out, _ = cli(capsys, "setup", "aic-emeeting", "--data", str(hostile_kb), "-f", "markdown")
    assert code == 0
    # The server URL is a code span (copied as is; Markdown never reads HTML inside one).
    assert f"`{HOSTILE_URL}`" in out
    outside_code = out.replace(f"`{HOSTILE_URL}`", "")
    assert not re.search(r"(?<!\\)<(script|img)", outside_code)
    assert '\\<script\\>alert("x")\\</script\\> & "quoted"' in out


@pytest.mark.parametrize("tool", ["aic-emeeting", "zalo", "polycom"])
def test_html_is_self_contained(capsys: pytest.CaptureFixture[str], tool: str) -> None:
    page = _html(capsys, tool)
    parsed = _parse(page)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base", "form", "a"}
    for _, attrs in parsed.tags:
        names = {name for name, _ in attrs}
        assert not names & {"src", "href", "srcset", "action"}
        assert not any(name.startswith("on") for name in names)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style and "@page" in style.group(1) and "A4" in style.group(1)
    assert "url(" not in page and "@import" not in page and "@font-face" not in page
    assert "default-src 'none'" in page.replace("&#39;", "'")


# ---- --output: atomic, never overwriting without --force ------------------------------------------


def _setup_to(capsys: pytest.CaptureFixture[str], target: Path | str, *extra: str) -> tuple[int, str, str]:
    return cli(capsys, "setup", "aic-emeeting", "-f", "html", "--output", str(target), *extra)


@pytest.mark.posix
def test_output_writes_the_file_and_nothing_else(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "huong-dan.html"
    code, out, err = _setup_to(capsys, target)
    assert code == 0 and out == "" and "huong-dan.html" in err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert os.listdir(tmp_path) == ["huong-dan.html"]
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_existing_file_is_kept_without_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "huong-dan.html"
    target.write_text("keep me", encoding="utf-8")
    code, out, err = _setup_to(capsys, target)
    assert code == 2 and out == ""
    assert "--force" in err and "huong-dan.html" in err
    assert target.read_text(encoding="utf-8") == "keep me"
    assert os.listdir(tmp_path) == ["huong-dan.html"]


@pytest.mark.posix
def test_force_replaces_and_keeps_permissions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "huong-dan.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    code, _, _ = cli(capsys, "setup", "zalo", "-f", "markdown", "-o", str(target), "--force")
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert target.stat().st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["huong-dan.md"]


def test_text_format_to_file_is_plain(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "handout.txt"
    assert cli(capsys, "setup", "polycom", "-o", str(target))[0] == 0
    text = target.read_text(encoding="utf-8")
    assert "0935 076 079" in text and "\x1b" not in text


def test_dash_means_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli(capsys, "setup", "aic-emeeting", "-f", "markdown", "--output", "-")
    assert code == 0 and out.startswith("# ")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(lambda tmp: tmp / "no-such-folder" / "h.html", id="missing-folder"),
        pytest.param(lambda tmp: tmp / "a-file" / "h.html", id="under-a-file"),
        pytest.param(lambda tmp: tmp / "a-file" / "", id="a-file-as-folder"),
    ],
)
def test_unwritable_target_is_a_clear_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, where: Any
) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    before = sorted(os.listdir(tmp_path))
    code, out, err = _setup_to(capsys, where(tmp_path))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert sorted(os.listdir(tmp_path)) == before


@pytest.mark.posix
def test_read_only_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, which writes anywhere: the folder's refusal is simulated."""
    real_open = os.open

    def refuse(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        tmpfile = getattr(os, "O_TMPFILE", -1)
        if flags & os.O_CREAT or (tmpfile != -1 and flags & tmpfile == tmpfile):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    code, out, err = cli(capsys, "setup", "aic-emeeting", "-f", "html", "--lang", "en", "-o", str(tmp_path / "h.html"))
    assert code == 2 and out == ""
    assert err.strip() == f'Cannot write "{tmp_path / "h.html"}": Permission denied. No file was changed.'
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "replacing"])
def test_disk_full_leaves_no_partial_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    target = tmp_path / "h.html"
    if existing:
        target.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code, out, err = _setup_to(capsys, target, "--force", "--lang", "en")
    assert code == 2 and out == ""
    assert "No space left on device" in err
    assert os.listdir(tmp_path) == (["h.html"] if existing else [])
    if existing:
        assert target.read_text(encoding="utf-8") == "old"


def test_interrupt_leaves_no_partial_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    code, out, _ = _setup_to(capsys, tmp_path / "h.html")
    assert code == 130 and out == ""
    assert os.listdir(tmp_path) == []


def test_file_appearing_meanwhile_is_not_overwritten(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --force, a file created after the first check still wins (hard link, not rename)."""
    target = tmp_path / "h.html"
    real_fsync = os.fsync

    def someone_else_writes(fd: int) -> None:
        real_fsync(fd)
        if not target.exists():
            target.write_text("theirs", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", someone_else_writes)
    code, _, err = _setup_to(capsys, target)
    assert code == 2 and "--force" in err
    assert target.read_text(encoding="utf-8") == "theirs"
    assert os.listdir(tmp_path) == ["h.html"]


@pytest.mark.parametrize("tool", ["polycom", "zalo", "online-public-services"])
def test_handout_prints_the_notices_about_the_tool_that_are_in_force(
    capsys: pytest.CaptureFixture[str], tool: str
) -> None:
    """``tools show`` lists every notice bearing on the tool (ended ones marked); the one-page
    handout prints those about the tool itself (its id or section) still in force, and none
    that has ended (the 2018 state-secrets law's, replaced on 1/3/2026)."""
    import json as _json

    from gialai_remote.cli.main import main

    main(["tools", "show", tool, "--date", "2026-11-29", "--format", "json"])
    doc = _json.loads(capsys.readouterr().out)
    main(["setup", tool, "--date", "2026-11-29", "--format", "markdown"])
    handout = capsys.readouterr().out
    kb_text = {
        "ministry-merger-2025": "176/2025",
        "issuer-successor-gialai": "Sở Khoa học và Công nghệ tỉnh Gia Lai",
        "communes-2025": "1664/NQ-UBTVQH15",
        "digital-transformation-law-2026": "148/2025",
        "department-merger-decree-45-2025": "45/2025",
        "province-merger-2025": "202/2025",
        "state-secrets-law-2018": "29/2018/QH14 (Điều 5 khoản 5)",
        "state-secrets-law-2025": "117/2025",
        "online-public-services-decree-42-2022": "42/2022",
    }
    own = [n["id"] for n in doc["notices"] if n["in_force"] and {tool, doc["section"]}.intersection(n["affects"])]
    assert own  # every one of these tools has a notice of its own in force
    for notice_id in own:
        assert kb_text[notice_id] in handout, notice_id
    ended = [n["id"] for n in doc["notices"] if not n["in_force"]]
    for notice_id in ended:
        assert kb_text[notice_id] not in handout, notice_id


@pytest.mark.posix
def test_output_refuses_a_device_or_fifo_even_with_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from gialai_remote.cli.main import main

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in (str(fifo), os.devnull):
        assert main(["setup", "polycom", "--output", target, "--force"]) == 2
        assert "--output" in capsys.readouterr().err
    assert not Path(os.devnull).is_file()
    assert fifo.is_fifo()


@pytest.mark.posix
def test_output_refuses_a_symbolic_link_even_with_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A link is neither followed nor replaced (docs/security.md): the user names the file itself."""
    from gialai_remote.cli.main import main

    target = tmp_path / "target.md"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target.name)
    assert main(["setup", "polycom", "--format", "markdown", "--output", str(link)]) == 2  # exists, no --force
    assert main(["setup", "polycom", "--format", "markdown", "--output", str(link), "--force", "--lang", "en"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f'"{link}" is a symbolic link; gialai-remote does not write through links. ' + (
        "Name the file itself. No file was changed."
    )
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "target.md"]
    assert main(["setup", "polycom", "--format", "markdown", "--output", str(target), "--force"]) == 0
    assert "Polycom" in target.read_text(encoding="utf-8")


def test_setup_errors_name_the_argument(capsys: pytest.CaptureFixture[str]) -> None:
    from gialai_remote.cli.main import main

    assert main(["setup", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("TOOL:") and "--tool" not in err
