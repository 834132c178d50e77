"""The printed page, in a real browser: headless Chromium prints every tool's HTML handout to
PDF, in Vietnamese and in English, and the PDF is read back with poppler's tools.

Each handout must be exactly one A4 page, with the Vietnamese diacritics present in the PDF's
text (not lost to a missing font), the support phone numbers grouped for reading, and the
server URL. Skipped, with the reason, when Chromium or poppler-utils is not installed (CI
installs them from ``.ci/apt-packages``). Nothing leaves the machine: the page is a local file
whose Content-Security-Policy forbids fetching anything, and Chromium's background
networking is off.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gialai_remote.handout import build_handout
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.render.html import render_handout
from gialai_remote.render.words import group_phone

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(
        PDFTOTEXT is None or PDFINFO is None,
        reason="pdftotext/pdfinfo are not installed (apt-get install poppler-utils)",
    ),
]

KB = load_knowledge_base()
DATE = "2026-11-29"
#: A4 in PostScript points (210 x 297 mm).
A4 = (595.28, 841.89)
#: Letters only Vietnamese has; at least one of them is on every Vietnamese page, and the
#: English pages carry Vietnamese names ("Lê Văn Hải", "Nghị định").
VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    """Print ``html_path`` with headless Chromium to ``pdf_path`` (no header or footer)."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="gialai-chromium-") as profile:
        result = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf_path}",
                "--no-pdf-header-footer",
                html_path.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    assert pdf_path.exists() and pdf_path.stat().st_size > 0, result.stderr[-2000:]


def pdf_pages(pdf_path: Path) -> tuple[int, tuple[float, float]]:
    """(number of pages, size of the first page in points) from ``pdfinfo``."""
    assert PDFINFO is not None
    info = subprocess.run([PDFINFO, str(pdf_path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert size is not None, info
    return pages, (float(size.group(1)), float(size.group(2)))


def pdf_text(pdf_path: Path) -> str:
    assert PDFTOTEXT is not None
    out = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True).stdout
    return unicodedata.normalize("NFC", out.decode("utf-8"))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every tool's handout in vi and en, printed to PDF (four browsers at a time)."""
    import datetime as dt

    folder = tmp_path_factory.mktemp("handouts")
    jobs: dict[tuple[str, str], tuple[Path, Path]] = {}
    for lang in ("vi", "en"):
        for tool in KB.tools:
            handout = build_handout(KB, tool.id, date=dt.date.fromisoformat(DATE), lang=lang)
            html_path = folder / f"{tool.id}.{lang}.html"
            html_path.write_text(render_handout(handout), encoding="utf-8")
            jobs[(tool.id, lang)] = (html_path, folder / f"{tool.id}.{lang}.pdf")
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda pair: print_pdf(*pair), jobs.values()))
    return {key: pdf for key, (_, pdf) in jobs.items()}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("tool", [t.id for t in KB.tools])
def test_handout_prints_on_one_a4_page(printed: dict[tuple[str, str], Path], tool: str, lang: str) -> None:
    pdf = printed[(tool, lang)]
    pages, (width, height) = pdf_pages(pdf)
    assert pages == 1, f"{tool} ({lang}) prints on {pages} pages"
    assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2, (width, height)

    text = pdf_text(pdf)
    entry = KB.tool(tool)
    assert unicodedata.normalize("NFC", entry.name.get(lang)).split()[0] in text
    assert VIETNAMESE.search(text), "no Vietnamese diacritics in the PDF's text"
    if lang == "vi":
        for phrase in ("Hướng dẫn sử dụng", "Ai được dùng", "Liên hệ hỗ trợ", "Công văn"):
            assert phrase in text, phrase
    for contact_id in entry.contacts:
        phone = KB.contact(contact_id).phone
        assert group_phone(phone) in text, phone
        assert KB.contact(contact_id).name in text
    if entry.server_url:
        # On one line, in the box (a URL broken over two lines cannot be typed from the page).
        assert any(entry.server_url in line for line in text.splitlines()), text
    assert "415/STTTT-CNTT" in text


ZBARIMG = shutil.which("zbarimg")
PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(
    ZBARIMG is None or PDFTOPPM is None, reason="zbarimg/pdftoppm are not installed (apt-get install zbar-tools)"
)
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("tool", [t.id for t in KB.tools if t.server_url])
def test_printed_qr_code_opens_the_server_url(
    printed: dict[tuple[str, str], Path], tool: str, lang: str, tmp_path: Path
) -> None:
    """The QR code on the printed page, scanned at 150 dpi, gives exactly the server URL."""
    assert ZBARIMG is not None and PDFTOPPM is not None
    png = tmp_path / "page"
    subprocess.run([PDFTOPPM, "-png", "-r", "150", "-singlefile", str(printed[(tool, lang)]), str(png)], check=True)
    scan = subprocess.run(
        [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f"{png}.png"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert scan.stdout.strip() == KB.tool(tool).server_url, scan.stderr


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_training_days_set_prints_page_by_page(
    printed: dict[tuple[str, str], Path], tmp_path: Path, lang: str
) -> None:
    """``setup --all --format html``: every sheet is the page printed above (one A4 page each),
    and the index prints on one A4 page, naming every tool."""
    from gialai_remote.cli.main import run

    folder = tmp_path / "set"
    assert run(["setup", "--all", "--format", "html", "-o", f"{folder}/", "--date", DATE, "--lang", lang]) == 0
    for tool in KB.tools:
        sheet = printed[(tool.id, lang)].with_suffix(".html")
        assert (folder / f"{tool.id}.html").read_bytes() == sheet.read_bytes(), tool.id
    pdf = tmp_path / "index.pdf"
    print_pdf(folder / "index.html", pdf)
    pages, (width, height) = pdf_pages(pdf)
    assert pages == 1 and abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2
    text = pdf_text(pdf)
    for tool in KB.tools:
        assert unicodedata.normalize("NFC", tool.name.get(lang)).split()[0] in text, tool.id
    assert "415/STTTT-CNTT" in text
