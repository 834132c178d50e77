"""Handouts for a training day: ``setup --all -o DIR``, ``-o DIR/``, the format from the file's
extension, sheets that point to the unit's IT, and the URL kept on one line in print.

``--all`` writes every tool's sheet and an index linking them, the whole set or nothing: every
target is checked before the first write, and a failure or an interrupt part-way removes what
the run had created (docs/handouts.md).
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gialai_remote.cli import output
from gialai_remote.cli.main import run
from gialai_remote.errors import UsageError
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.render.html import BOX_MM, URL_READABLE_PT, url_layout

KB = load_knowledge_base()
TOOLS = [tool.id for tool in KB.tools]
DATE = "2026-11-29"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value or "" for name, value in attrs if name == "href"]


@pytest.mark.parametrize(("fmt", "suffix"), [("html", ".html"), ("markdown", ".md"), ("text", ".txt")])
def test_all_writes_every_sheet_and_an_index(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str, suffix: str
) -> None:
    folder = tmp_path / "huong-dan"
    code, out, err = cli(capsys, "setup", "--all", "-o", f"{folder}/", "--format", fmt, "--date", DATE)
    assert code == 0 and out == ""
    assert err.strip() == f"Đã ghi 17 tệp vào {folder}/ (mục lục: {folder}/index{suffix})"
    assert sorted(os.listdir(folder)) == sorted([f"{tool}{suffix}" for tool in TOOLS] + [f"index{suffix}"])
    for tool in TOOLS:  # each sheet is what `setup TOOL` writes
        alone = tmp_path / f"alone{suffix}"
        assert cli(capsys, "setup", tool, "-o", str(alone), "--date", DATE, "--force")[0] == 0
        assert (folder / f"{tool}{suffix}").read_bytes() == alone.read_bytes(), tool
    index = (folder / f"index{suffix}").read_text(encoding="utf-8")
    if fmt == "html":
        parser = Links()
        parser.feed(index)
        assert parser.hrefs == [f"{tool}.html" for tool in TOOLS]
        assert "<script" not in index and "Content-Security-Policy" in index
    else:
        assert all(f"{tool}{suffix}" in index for tool in TOOLS)
    assert "Tờ hướng dẫn làm việc từ xa theo Công văn 415/STTTT-CNTT" in index


def test_the_index_marks_a_sheet_that_cannot_be_used(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli(capsys, "setup", "--all", "-o", str(tmp_path / "s"), "-f", "markdown", "--lang", "en")[0] == 0
    index = (tmp_path / "s" / "index.md").read_text(encoding="utf-8")
    assert "- [VNPT Meeting](vnpt-meeting.md) (section 2.2.a; not usable as described)" in index
    assert "- [AIC eMeeting](aic-emeeting.md) (section 2.2.b)" in index
    assert "## Official system" in index and "## Public app" in index


def test_all_into_an_existing_folder_and_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli(capsys, "setup", "--all", "-o", str(tmp_path), "--date", DATE)[0] == 0
    assert len(os.listdir(tmp_path)) == 18 and (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    before = {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)}
    code, _, err = cli(capsys, "setup", "--all", "-o", str(tmp_path), "--date", "2020-04-15")
    assert code == 2 and "đã có; không ghi đè" in err
    assert {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)} == before  # untouched
    assert cli(capsys, "setup", "--all", "-o", str(tmp_path), "--date", "2020-04-15", "--force")[0] == 0
    assert "15/4/2020" in (tmp_path / "zalo.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--all",), "--all cần --output THƯ_MỤC/"),
        (("--all", "-o", "-"), "--all cần --output THƯ_MỤC/"),
        (("--all", "zalo", "-o", "x/"), '--all ghi mọi công cụ; bỏ tên công cụ "zalo"'),
        (("--all", "-o", "a-file"), '--all ghi cả bộ tờ vào một thư mục, nhưng "a-file" là một tệp'),
        (("--all", "-o", "missing/deeper/"), 'Không ghi được "missing/deeper"'),
        (("--all", "-o", "x/", "-f", "json"), 'Định dạng "json" không hỗ trợ'),
    ],
    ids=["no-output", "stdout", "with-a-tool", "a-file", "no-parent", "json"],
)
def test_all_usage_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
    message: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    Path("a-file").write_text("x", encoding="utf-8")
    code, _, err = cli(capsys, "setup", *args)
    assert code == 2 and err.startswith(message), err
    assert sorted(os.listdir(tmp_path)) == ["a-file"]


@pytest.mark.parametrize("failing", [1, 9, 17])
def test_a_failure_part_way_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    real = output.write_atomic
    calls: list[str] = []

    def flaky(path: str, data: bytes, *, force: bool, lang: str) -> None:
        calls.append(path)
        if len(calls) == failing:
            raise UsageError(f'Không ghi được "{path}": disk full. Không có tệp nào bị thay đổi.')
        real(path, data, force=force, lang=lang)

    monkeypatch.setattr(output, "write_atomic", flaky)
    code, _, err = cli(capsys, "setup", "--all", "-o", str(tmp_path / "new"), "-f", "html")
    assert code == 2 and "disk full" in err
    assert os.listdir(tmp_path) == []  # the folder this run made is gone too
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "zalo.html").write_text("old", encoding="utf-8")
    calls.clear()
    code, _, _ = cli(capsys, "setup", "--all", "-o", str(tmp_path / "kept"), "-f", "html", "--force")
    assert code == 2
    # Only the files this run created are removed; a replaced file keeps the new content.
    assert os.listdir(tmp_path / "kept") == ["zalo.html"]


def test_an_interrupt_part_way_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = output.write_atomic
    calls: list[str] = []

    def interrupted(path: str, data: bytes, *, force: bool, lang: str) -> None:
        calls.append(path)
        if len(calls) == 5:
            raise KeyboardInterrupt
        real(path, data, force=force, lang=lang)

    monkeypatch.setattr(output, "write_atomic", interrupted)
    code, _, err = cli(capsys, "setup", "--all", "-o", str(tmp_path / "set"))
    assert code == 130 and err.strip() == "Đã dừng."
    assert os.listdir(tmp_path) == []


def test_a_signal_between_two_sheets_undoes_the_set(tmp_path: Path) -> None:
    """SIGTERM while the set is being written (a real process, slowed between files)."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from gialai_remote.cli import output\n"
        "real = output.write_atomic\n"
        "def slow(*a, **k):\n"
        "    real(*a, **k); print('wrote', flush=True); time.sleep(0.3)\n"
        "output.write_atomic = slow\n"
        "from gialai_remote.cli.main import main\n"
        f"sys.exit(main(['setup', '--all', '-o', {str(tmp_path / 'set')!r}]))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    for _ in range(3):
        assert proc.stdout.readline() == b"wrote\n"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    deadline = time.monotonic() + 5
    while proc.returncode is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.returncode == 143, err
    assert err.decode("utf-8").strip() == "Đã dừng vì nhận tín hiệu SIGTERM; không có tệp nào bị thay đổi."
    assert os.listdir(tmp_path) == []


# ---- one sheet into a folder, and the format from the extension ---------------------------------


def test_output_into_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkdir("handouts")
    code, _, err = cli(capsys, "setup", "zalo", "-o", "handouts/", "-f", "html")
    assert code == 0 and err.strip() == "Đã ghi handouts/zalo.html"  # never handouts//...
    code, _, err = cli(capsys, "setup", "polycom", "-o", "handouts")  # an existing folder, no slash
    assert code == 0 and err.strip() == "Đã ghi handouts/polycom.txt"
    assert sorted(os.listdir("handouts")) == ["polycom.txt", "zalo.html"]
    code, _, err = cli(capsys, "setup", "zalo", "-o", "missing/")
    assert code == 2 and err.startswith('Không ghi được "missing/zalo.txt"')


@pytest.mark.parametrize(
    ("name", "fmt", "start"),
    [
        ("h.html", None, "<!DOCTYPE html>"),
        ("h.HTM", None, "<!DOCTYPE html>"),
        ("h.md", None, "# Hướng dẫn sử dụng: Zalo"),
        ("h.markdown", None, "# Hướng dẫn sử dụng: Zalo"),
        ("h.txt", None, "Hướng dẫn sử dụng: Zalo"),
        ("huong-dan", None, "Hướng dẫn sử dụng: Zalo"),
        ("h.html", "html", "<!DOCTYPE html>"),
        ("h.doc", "markdown", "# Hướng dẫn sử dụng: Zalo"),
    ],
)
def test_the_format_follows_the_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, fmt: str | None, start: str
) -> None:
    target = tmp_path / name
    code, _, _ = cli(capsys, "setup", "zalo", "-o", str(target), *(("-f", fmt) if fmt else ()))
    assert code == 0 and target.read_text(encoding="utf-8").startswith(start)


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("p.html", "markdown", '--format markdown không khớp với đuôi tệp "{path}" (đuôi đó là định dạng html)'),
        ("p.md", "text", '--format text không khớp với đuôi tệp "{path}" (đuôi đó là định dạng markdown)'),
        ("p.pdf", None, 'Không biết định dạng nào cho đuôi ".pdf" của "{path}"'),
    ],
)
def test_a_format_conflict_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, fmt: str | None, message: str
) -> None:
    target = tmp_path / name
    code, out, err = cli(capsys, "setup", "zalo", "-o", str(target), *(("-f", fmt) if fmt else ()))
    assert code == 2 and out == "" and err.startswith(message.format(path=target))
    assert os.listdir(tmp_path) == []


# ---- sheets with nobody to call, and the URL in print -------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_sheet_with_no_steps_or_contacts_points_to_the_units_it(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    _, out, _ = cli(capsys, "setup", "telegram", "-f", fmt)
    text = re.sub(r"<[^>]+>", " ", out).replace("\\", "")
    assert "Công văn không hướng dẫn các bước cài đặt cho công cụ này; hãy hỏi bộ phận công nghệ thông tin" in text
    assert "Công văn không nêu người hỗ trợ cho công cụ này; hãy hỏi bộ phận công nghệ thông tin" in text
    assert "Hãy gọi người hỗ trợ" not in text
    _, with_contacts, _ = cli(capsys, "setup", "polycom", "-f", fmt)
    assert "Hãy gọi người hỗ trợ nếu có điều chưa rõ." in with_contacts


def test_the_url_is_laid_out_to_stay_on_one_line() -> None:
    width, size, place = url_layout("https://emeetingjalai.hcdt.vn:2443/")
    assert place == "box" and size == URL_READABLE_PT and BOX_MM < width <= 80
    assert url_layout("https://a.vn/") == (BOX_MM, 9.5, "box")
    assert url_layout("https://" + "a" * 100 + ".vn/")[2] == "wide"
    assert url_layout("https://" + "a" * 300 + ".vn/")[2] == "long"


def test_the_handout_css_never_breaks_a_url(capsys: pytest.CaptureFixture[str]) -> None:
    _, page, _ = cli(capsys, "setup", "aic-emeeting", "-f", "html")
    assert ".url { font-family:" in page and "white-space: nowrap" in page
    assert re.search(r'<p class="url" style="font-size: 7\.50pt">https://emeetingjalai\.hcdt\.vn:2443/</p>', page)
    assert json.dumps("overflow-wrap: anywhere") not in page.split(".url.long", 1)[0]


def test_a_signal_inside_one_files_write_still_says_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal that comes while one sheet is written after an earlier one: the set is undone, and
    the message says so (not "after FILE was written", write_atomic's words for one file)."""
    import signal as signals

    from gialai_remote.cli import output
    from gialai_remote.errors import Terminated

    real = output.write_atomic
    calls: list[str] = []

    def second_is_stopped(path: str, data: bytes, *, force: bool, lang: str) -> None:
        calls.append(path)
        real(path, data, force=force, lang=lang)
        if len(calls) == 2:
            raise Terminated(f"after {path} was written in full", signals.SIGTERM)

    monkeypatch.setattr(output, "write_atomic", second_is_stopped)
    target = tmp_path / "set"
    with pytest.raises(Terminated) as caught:
        output.write_set(str(target), [("a.txt", b"a"), ("b.txt", b"b"), ("index.txt", b"i")], force=False, lang="vi")
    assert str(caught.value) == "Đã dừng vì nhận tín hiệu SIGTERM; không có tệp nào bị thay đổi."
    assert caught.value.exit_code == 143
    assert not target.exists()
