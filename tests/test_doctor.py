"""``doctor``: each step against servers on 127.0.0.1, never off this machine.

A throwaway CA (``trustme``) signs the certificates of a small threaded HTTPS server on
127.0.0.1; a copy of the knowledge base points ``aic-emeeting``'s ``server_url`` at it. The DNS
resolver is replaced for every test (an autouse fixture), so no test ever queries a real DNS
server; host names other than "localhost" do not resolve. Timings are asserted only where the
issue asks for a bound: a listener that never answers, and Ctrl-C.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import trustme

from gialai_remote import doctor as core
from gialai_remote.cli.main import run
from gialai_remote.doctor import system as doctor_system
from gialai_remote.knowledge.load import load_knowledge_base
from gialai_remote.model import KnowledgeBase
from gialai_remote.render.json_doctor import report_dict
from gialai_remote.render.text.doctor import render_report
from portable import BIN

ROOT = Path(__file__).resolve().parents[1]
KB_TEXT = (ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8")
REAL_URL = "https://emeetingjalai.hcdt.vn:2443/"
SCHEMA = json.loads((ROOT / "schemas" / "doctor.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)
TOOL = "aic-emeeting"


# ---- loopback plumbing -------------------------------------------------------------------------


def loopback_resolver(host: str, port: int) -> list[str]:
    """A resolver that knows only "localhost" and IP literals; anything else has no answer."""
    if host == "localhost":
        return ["127.0.0.1"]
    for family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            socket.inet_pton(family, host)
            return [host]
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def is_proxy_variable(name: str) -> bool:
    """``HTTPS_PROXY``, ``no_proxy``...: what ``urllib.request.getproxies()`` reads."""
    return name.lower().endswith("_proxy")


@pytest.fixture(autouse=True)
def no_real_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run, also through the CLI, uses the loopback resolver; no OpenSSL or proxy variables
    of the machine leak in (a proxy set for this machine would take a check off loopback)."""
    monkeypatch.setattr(doctor_system, "system_resolver", loopback_resolver)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    for name in [n for n in os.environ if is_proxy_variable(n)]:
        monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


class _Handler(http.server.BaseHTTPRequestHandler):
    def setup(self) -> None:
        self.request.do_handshake()  # in the handler's thread, so a failed one blocks nothing
        super().setup()

    def do_GET(self) -> None:
        status = 404 if self.path.startswith("/missing") else 200
        body = b"ok\n"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client rejecting the certificate is what several tests are about


@contextlib.contextmanager
def https_server(cert: trustme.LeafCert) -> Iterator[int]:
    """An HTTPS server on 127.0.0.1 presenting ``cert``; yields its port."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """A TCP listener that accepts connections (the kernel does) and never says a word."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def with_url(text: str, url: str) -> str:
    """``text`` with the one ``server_url:`` line (aic-emeeting's) pointing at ``url``."""
    line = f"server_url: {REAL_URL}"
    assert text.count(line) == 1
    return text.replace(line, f"server_url: {url}")


def kb_file(tmp_path: Path, url: str) -> Path:
    """A copy of the knowledge base with aic-emeeting's server_url replaced by ``url``."""
    path = tmp_path / "guidance.yaml"
    path.write_text(with_url(KB_TEXT, url), encoding="utf-8")
    return path


def kb_for(tmp_path: Path, url: str) -> KnowledgeBase:
    return load_knowledge_base(str(kb_file(tmp_path, url)))


def trusting(ca: trustme.CA) -> core.ContextFactory:
    """An SSL context factory that trusts only ``ca`` (verification stays on)."""
    return lambda: ssl.create_default_context(cadata=ca.cert_pem.bytes().decode("ascii"))


def doctor(kb: KnowledgeBase, ca: trustme.CA, **kwargs: Any) -> core.DoctorReport:
    options: dict[str, Any] = {"timeout": 2.0, "lang": "en", "resolver": loopback_resolver, "trust": trusting(ca)}
    options.update(kwargs)
    return core.run_doctor(kb, [TOOL], now=lambda: NOW, **options)


def statuses(report: core.DoctorReport) -> list[str]:
    return [s.status for s in report.checks[0].steps]


def step(report: core.DoctorReport, name: str) -> core.StepResult:
    return next(s for s in report.checks[0].steps if s.step == name)


def assert_valid(report: core.DoctorReport) -> dict[str, Any]:
    doc = report_dict(report)
    VALIDATOR.validate(json.loads(json.dumps(doc)))
    return doc


def text_of(report: core.DoctorReport) -> str:
    return "\n".join(line.plain for line in render_report(report))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---- the core, step by step -------------------------------------------------------------------


def test_all_steps_pass(tmp_path: Path, ca: trustme.CA) -> None:
    cert = ca.issue_cert("localhost", not_after=NOW + dt.timedelta(days=10, hours=1))
    with https_server(cert) as port:
        report = doctor(kb_for(tmp_path, f"https://localhost:{port}/"), ca)
    assert statuses(report) == ["passed"] * 4
    assert report.passed and report.checks[0].hint is None
    assert step(report, "dns").addresses == ("127.0.0.1",)
    assert step(report, "tcp").address == "127.0.0.1"
    tls = step(report, "tls")
    assert tls.hostname_match is True and tls.protocol and tls.protocol.startswith("TLS")
    assert tls.certificate is not None
    assert tls.certificate.days_left == 10
    assert "localhost" in tls.certificate.names
    assert tls.certificate.issuer  # trustme's CA, by name
    assert step(report, "http").status_code == 200
    assert all(isinstance(s.duration_ms, int) for s in report.checks[0].steps)
    doc = assert_valid(report)
    assert doc["passed"] is True and doc["checks"][0]["failed_step"] is None
    text = text_of(report)
    assert text.count("[PASS]") == 4 and "Reachable." in text and "call" not in text


@pytest.mark.parametrize(
    ("issue", "reason", "hostname_match"),
    [
        pytest.param(
            lambda ca: ca.issue_cert(
                "localhost", not_before=NOW - dt.timedelta(days=90), not_after=dt.datetime.now() - dt.timedelta(days=1)
            ),
            "certificate_expired",
            None,
            id="expired",
        ),
        pytest.param(lambda ca: ca.issue_cert("other.example"), "certificate_wrong_name", False, id="another-name"),
        pytest.param(
            lambda ca: trustme.CA().issue_cert("localhost"), "certificate_untrusted", None, id="ca-not-trusted"
        ),
    ],
)
def test_tls_step_fails_with_the_right_reason(
    tmp_path: Path, ca: trustme.CA, issue: Any, reason: str, hostname_match: bool | None
) -> None:
    with https_server(issue(ca)) as port:
        report = doctor(kb_for(tmp_path, f"https://localhost:{port}/"), ca)
    assert statuses(report) == ["passed", "passed", "failed", "skipped"]
    tls = step(report, "tls")
    assert tls.reason == reason
    assert tls.hostname_match is hostname_match
    assert tls.certificate is None and tls.message and tls.error
    assert report.checks[0].hint == "certificate"
    assert not report.passed
    doc = assert_valid(report)
    assert doc["checks"][0]["failed_step"] == "tls"
    assert doc["checks"][0]["steps"][2]["reason"]["code"] == reason


def test_closed_port_is_refused(tmp_path: Path, ca: trustme.CA) -> None:
    port = closed_port()
    report = doctor(kb_for(tmp_path, f"https://localhost:{port}/"), ca)
    assert statuses(report) == ["passed", "failed", "skipped", "skipped"]
    tcp = step(report, "tcp")
    assert tcp.reason == "connection_refused"
    assert f"port {port}" in (tcp.message or "")
    assert_valid(report)


def test_listener_that_never_answers_times_out_within_the_bound(tmp_path: Path, ca: trustme.CA) -> None:
    with silent_listener() as port:
        kb = kb_for(tmp_path, f"https://localhost:{port}/")
        started = time.monotonic()
        report = doctor(kb, ca, timeout=0.5)
        elapsed = time.monotonic() - started
    assert statuses(report) == ["passed", "passed", "failed", "skipped"]
    assert step(report, "tls").reason == "timed_out"
    assert report.bound == core.default_bound(0.5)
    assert elapsed < report.bound
    assert_valid(report)


def test_the_bound_on_the_whole_run_cuts_a_long_step_short(tmp_path: Path, ca: trustme.CA) -> None:
    """A per-step timeout longer than the bound: the run still ends at the bound."""
    with silent_listener() as port:
        kb = kb_for(tmp_path, f"https://localhost:{port}/")
        started = time.monotonic()
        report = doctor(kb, ca, timeout=30.0, bound=0.5)
        elapsed = time.monotonic() - started
    assert elapsed < 5.0
    assert statuses(report) == ["passed", "passed", "failed", "skipped"]
    assert step(report, "tls").reason == "timed_out"
    assert_valid(report)


def test_a_resolver_that_hangs_times_out_the_dns_step(tmp_path: Path, ca: trustme.CA) -> None:
    release = threading.Event()

    def hanging(host: str, port: int) -> list[str]:
        release.wait(10)
        return ["127.0.0.1"]

    try:
        started = time.monotonic()
        report = doctor(kb_for(tmp_path, "https://localhost:2443/"), ca, timeout=0.3, resolver=hanging)
        elapsed = time.monotonic() - started
    finally:
        release.set()
    assert elapsed < report.bound
    assert statuses(report) == ["failed", "skipped", "skipped", "skipped"]
    assert step(report, "dns").reason == "timed_out"


def test_host_name_that_does_not_resolve(tmp_path: Path, ca: trustme.CA) -> None:
    report = doctor(kb_for(tmp_path, "https://meeting.invalid:2443/"), ca)
    assert statuses(report) == ["failed", "skipped", "skipped", "skipped"]
    dns = step(report, "dns")
    assert dns.reason == "no_dns_answer" and "meeting.invalid" in (dns.message or "")
    assert [s.duration_ms for s in report.checks[0].steps[1:]] == [None, None, None]
    check = report.checks[0]
    assert check.hint == "network" and [c.phone for c in check.contacts] == ["0934121298"]
    text = text_of(report)
    assert "[FAIL]" in text and text.count("[SKIP]") == 3
    assert "If it still fails, call:" in text and "Mr Lê Văn Hải: 0934 121 298" in text
    assert_valid(report)


def test_an_empty_answer_is_no_dns_answer(tmp_path: Path, ca: trustme.CA) -> None:
    report = doctor(kb_for(tmp_path, "https://localhost:2443/"), ca, resolver=lambda host, port: [])
    assert step(report, "dns").reason == "no_dns_answer"


def test_http_error_status_fails_the_http_step(tmp_path: Path, ca: trustme.CA) -> None:
    with https_server(ca.issue_cert("localhost")) as port:
        report = doctor(kb_for(tmp_path, f"https://localhost:{port}/missing"), ca)
    assert statuses(report) == ["passed", "passed", "passed", "failed"]
    http_step = step(report, "http")
    assert (http_step.reason, http_step.status_code) == ("http_error", 404)
    assert "404" in (http_step.message or "")
    assert_valid(report)


def test_a_port_that_does_not_speak_tls(tmp_path: Path, ca: trustme.CA) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    _Handler_plain = type("Plain", (_Handler,), {"setup": http.server.BaseHTTPRequestHandler.setup})
    server.RequestHandlerClass = _Handler_plain
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        report = doctor(kb_for(tmp_path, f"https://localhost:{server.server_address[1]}/"), ca)
    finally:
        server.shutdown()
        server.server_close()
    assert statuses(report)[:3] == ["passed", "passed", "failed"]
    assert step(report, "tls").reason in ("tls_failed", "connection_closed")


def test_tools_are_checked_concurrently(tmp_path: Path, ca: trustme.CA) -> None:
    """Two tools behind silent listeners: the run takes one timeout, not two."""
    with silent_listener() as port_a, silent_listener() as port_b:
        text = with_url(KB_TEXT, f"https://localhost:{port_a}/").replace(
            "  - id: vnpt-meeting\n", f"  - id: vnpt-meeting\n    server_url: https://localhost:{port_b}/\n", 1
        )
        path = tmp_path / "two.yaml"
        path.write_text(text, encoding="utf-8")
        kb = load_knowledge_base(str(path))
        started = time.monotonic()
        report = core.run_doctor(kb, timeout=1.0, bound=1.8, resolver=loopback_resolver, trust=trusting(ca))
        elapsed = time.monotonic() - started
    assert [c.tool for c in report.checks] == ["vnpt-meeting", "aic-emeeting"]
    assert all(step.reason == "timed_out" for c in report.checks for step in c.steps if step.status == "failed")
    assert elapsed < report.bound + 1.0


def test_a_tool_without_server_url_is_reported_not_failed(ca: trustme.CA) -> None:
    kb = load_knowledge_base()
    report = core.run_doctor(kb, ["zalo"], lang="en", resolver=loopback_resolver, trust=trusting(ca))
    check = report.checks[0]
    assert not check.checked and check.steps == () and check.passed and report.passed
    assert "nothing to check" in text_of(report)
    doc = assert_valid(report)
    assert doc["checks"][0]["url"] is None and doc["checks"][0]["checked"] is False


def test_only_tools_with_a_server_url_by_default() -> None:
    kb = load_knowledge_base()
    assert [t.id for t in core.tools_to_check(kb)] == ["aic-emeeting"]


def test_a_server_url_that_is_not_https_is_a_broken_knowledge_base(tmp_path: Path) -> None:
    from gialai_remote.errors import KnowledgeBaseError

    # validate catches it when the file is loaded, with its line, before doctor runs.
    with pytest.raises(KnowledgeBaseError) as info:
        kb = kb_for(tmp_path, "http://emeeting.invalid/")
        core.run_doctor(kb, resolver=loopback_resolver)
    problem = info.value.problems[0]
    assert problem.code == "bad-url"
    assert problem.line > 0


# ---- the defaults that touch the system --------------------------------------------------------


def test_system_resolver_on_an_ip_literal_needs_no_dns() -> None:
    assert core.system_resolver("127.0.0.1", 443) == ["127.0.0.1"]


def test_system_context_verifies() -> None:
    context = core.system_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_certifi_only_when_the_system_has_no_trust_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = str(tmp_path / "none")
    empty = ssl.DefaultVerifyPaths(missing, missing, "SSL_CERT_FILE", missing, "SSL_CERT_DIR", missing)
    monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: empty)
    monkeypatch.setattr(ssl, "create_default_context", lambda: ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
    context = core.system_context()
    assert context.cert_store_stats()["x509_ca"] > 0
    assert context.verify_mode == ssl.CERT_REQUIRED


# ---- the command line --------------------------------------------------------------------------


def test_cli_all_passed_exits_0(
    tmp_path: Path, ca: trustme.CA, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))  # OpenSSL's own variable: the system store plus ours
    with https_server(ca.issue_cert("localhost")) as port:
        data = str(kb_file(tmp_path, f"https://localhost:{port}/"))
        code, out, err = cli(capsys, "doctor", "--data", data, "--format", "json", "--timeout", "3")
        code_text, text, _ = cli(capsys, "doctor", "--data", data)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    VALIDATOR.validate(doc)
    assert doc["passed"] is True and doc["lang"] == "vi" and doc["timeout_seconds"] == 3
    assert code_text == 0 and text.count("[ĐẠT]") == 4 and "Kết nối được." in text


def test_cli_failure_exits_1_and_names_the_contact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(kb_file(tmp_path, f"https://localhost:{closed_port()}/"))
    code, out, err = cli(capsys, "doctor", "--data", data, "--lang", "en", "--tool", "emeeting")
    assert code == 1 and err == ""
    assert "[FAIL] TCP connection" in out and "Connection refused" in out
    assert "Mr Lê Văn Hải: 0934 121 298" in out


def test_cli_real_server_without_dns_fails_at_dns(capsys: pytest.CaptureFixture[str]) -> None:
    """The built-in knowledge base; the test resolver knows no real name, as on a machine offline."""
    code, out, _ = cli(capsys, "doctor", "--format", "json")
    assert code == 1
    doc = json.loads(out)
    VALIDATOR.validate(doc)
    assert doc["checks"][0]["url"] == REAL_URL
    assert doc["checks"][0]["steps"][0]["reason"]["code"] == "no_dns_answer"
    assert doc["checks"][0]["contacts"][0]["phone"] == "0934121298"


def test_cli_tool_without_server_url_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "doctor", "--tool", "zalo", "--format", "json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    VALIDATOR.validate(doc)
    assert doc["checks"][0]["checked"] is False


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--timeout", "abc"], id="timeout-words"),
        pytest.param(["--timeout", "0"], id="timeout-zero"),
        pytest.param(["--timeout", "nan"], id="timeout-nan"),
        pytest.param(["--timeout", "61"], id="timeout-too-long"),
        pytest.param(["--tool", "no-such-tool"], id="unknown-tool"),
        pytest.param(["--format", "xml"], id="bad-format"),
        pytest.param(["--lang", "fr"], id="bad-lang"),
        pytest.param(["--bogus"], id="unknown-option"),
    ],
)
def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = cli(capsys, "doctor", *args)
    assert code == 2 and out == "" and err.strip() and "Traceback" not in err


def test_cli_timeout_accepts_a_decimal_comma(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "doctor", "--timeout", "2,5", "--format", "json")
    assert code == 1 and json.loads(out)["timeout_seconds"] == 2.5


@pytest.mark.parametrize(
    "content",
    [pytest.param(None, id="missing-file"), pytest.param("http://meeting.invalid/", id="not-https")],
)
def test_cli_broken_knowledge_base_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None
) -> None:
    data = str(tmp_path / "missing.yaml") if content is None else str(kb_file(tmp_path, content))
    code, out, err = cli(capsys, "doctor", "--data", data)
    assert code == 3 and out == "" and err.strip() and "Traceback" not in err


def test_no_other_module_opens_connections() -> None:
    """The doctor package is the only code that opens a network connection (docs/doctor.md)."""
    network = (
        "import socket",
        "import ssl",
        "http.client",
        "urllib.request",
        "import truststore",
        "import requests",
        "import httpx",
    )
    src = ROOT / "src" / "gialai_remote"
    package = src / "doctor"
    offenders = [
        f"{path.relative_to(src)}: {word}"
        for path in src.rglob("*.py")
        if package not in path.parents
        for word in network
        if word in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
    # ... and the package is where the sockets are: the check above is not vacuous.
    assert any("import socket" in path.read_text(encoding="utf-8") for path in package.glob("*.py"))


# ---- the installed command, as a process --------------------------------------------------------


def _script() -> str:
    return BIN if Path(BIN).exists() else "gialai-remote"


def _env(tmp_path: Path, ca: trustme.CA) -> dict[str, str]:
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GIALAI_REMOTE_", "LC_", "SSL_CERT")) and not is_proxy_variable(k)
    }
    env.update({"SSL_CERT_FILE": str(ca_file), "PYTHONIOENCODING": "utf-8"})
    return env


def test_installed_command_against_the_loopback_server(tmp_path: Path, ca: trustme.CA) -> None:
    """An IP literal in the URL (and a certificate for it): the process needs no DNS at all."""
    with https_server(ca.issue_cert("127.0.0.1")) as port:
        data = str(kb_file(tmp_path, f"https://127.0.0.1:{port}/"))
        proc = subprocess.run(
            [_script(), "doctor", "--data", data, "--format", "json"],
            capture_output=True,
            env=_env(tmp_path, ca),
            timeout=60,
        )
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    VALIDATOR.validate(doc)
    assert [s["status"] for s in doc["checks"][0]["steps"]] == ["passed"] * 4


@pytest.mark.posix
def test_ctrl_c_exits_130_at_once(tmp_path: Path, ca: trustme.CA) -> None:
    with silent_listener() as port:
        data = str(kb_file(tmp_path, f"https://127.0.0.1:{port}/"))
        proc = subprocess.Popen(
            [_script(), "doctor", "--data", data, "--timeout", "30"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(tmp_path, ca),
        )
        # Wait until the command is connected (its TLS hello is queued), then interrupt it.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not _has_connection(port):
            time.sleep(0.05)
        time.sleep(0.2)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=10)
        finally:
            proc.kill()
        elapsed = time.monotonic() - started
    assert proc.returncode == 130, err.decode()
    assert elapsed < 3.0
    assert b"Traceback" not in err and out == b""


def _has_connection(port: int) -> bool:
    """True when something is connected to 127.0.0.1:``port`` (Linux: /proc/net/tcp)."""
    try:
        table = Path("/proc/net/tcp").read_text()
    except OSError:
        return True
    needle = f":{port:04X} "
    return any(needle in line.split()[2] + " " and line.split()[3] == "01" for line in table.splitlines()[1:])


def test_the_packaged_schema_is_the_published_one() -> None:
    from gialai_remote.schema import SCHEMAS, schema_text

    assert SCHEMAS["doctor"] == "doctor.schema.json"
    assert json.loads(schema_text("doctor")) == SCHEMA
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_reason_code_has_words_and_a_hint() -> None:
    from gialai_remote.catalogue import MESSAGES

    assert set(core.REASON_CODES) == set(core.HINTS)
    assert set(core.REASON_CODES) == set(SCHEMA["$defs"]["reason"]["properties"]["code"]["enum"])
    for code in core.REASON_CODES:
        assert f"doctor.reason.{code}" in MESSAGES
    for hint in set(core.HINTS.values()):
        assert f"doctor.hint.{hint}" in MESSAGES


def test_a_knowledge_base_without_servers_has_nothing_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "none.yaml"
    path.write_text(KB_TEXT.replace(f"    server_url: {REAL_URL}\n", ""), encoding="utf-8")
    code, out, err = cli(capsys, "doctor", "--data", str(path))
    assert (code, err) == (0, "")
    assert out.startswith("Không có máy chủ nào để kiểm tra.")


def test_vietnamese_text_names_the_step_the_reason_and_whom_to_call(tmp_path: Path, ca: trustme.CA) -> None:
    with https_server(ca.issue_cert("other.example")) as port:
        report = doctor(kb_for(tmp_path, f"https://localhost:{port}/"), ca, lang="vi")
    text = text_of(report)
    assert "[LỖI]    Bắt tay TLS, kiểm tra chứng thư số" in text
    assert 'Chứng thư số được cấp cho tên khác, không phải "localhost".' in text
    assert 'Lỗi ở bước "Bắt tay TLS, kiểm tra chứng thư số".' in text
    assert "Nếu vẫn lỗi, hãy gọi hỗ trợ:" in text and "Ông Lê Văn Hải: 0934 121 298" in text
    assert "[BỎ QUA] Yêu cầu HTTPS" in text


# ---- hostile and malformed server URLs, and a machine out of file descriptors ------------------

from test_urls import ACCEPTED, REFUSED  # noqa: E402 - the one table of URLs, shared

# URLs validate accepts that once made doctor print a traceback, plus the accepted table.
_EXOTIC_ACCEPTED = [
    "https://127.0.0.1:{port}/đường/họp?q=ở",
    "https://sởtttt.gialai.vn/",
    "https://[::1]:{port}/",
    "https://127.0.0.1:{port}/<a>?x='\"'",
    # Names resolve to nothing here (the loopback resolver); IP literals other than loopback
    # are left out: no test opens a connection beyond 127.0.0.1.
    *(url for url, host, *_ in ACCEPTED if not (host[0].isdigit() or ":" in host) or host in ("127.0.0.1", "::1")),
]


def _yaml_quoted(url: str) -> str:
    return json.dumps(url)  # a JSON string is a YAML double-quoted scalar


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_traceback_for_any_hostile_or_malformed_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    from gialai_remote.urls import check_server_url

    port = closed_port()
    accepted = [u.replace("{port}", str(port)) for u in _EXOTIC_ACCEPTED]
    # A refused URL stops at loading, whatever the format: the refused table runs once.
    urls = accepted + ([url for url, _ in REFUSED] if fmt == "json" else [])
    assert len(urls) >= 30 if fmt == "json" else len(urls) >= 20
    for url in urls:
        data = tmp_path / "kb.yaml"
        data.write_text(with_url(KB_TEXT, _yaml_quoted(url)), encoding="utf-8")
        code, out, err = cli(capsys, "doctor", "--data", str(data), "--format", fmt, "--timeout", "1", "--lang", "en")
        assert "Traceback" not in out + err and 'File "' not in out + err, url
        if check_server_url(url) is not None:
            # validate refuses it as the file loads: one problem, with its position, exit 3
            # (and, asked for JSON, the same as a JSON error object on stdout).
            assert code == 3, url
            if fmt == "json":
                assert json.loads(out)["error"]["problems"][0]["code"] == "bad-url", url
            else:
                assert out == "", url
            lines = err.splitlines()
            assert lines and all(" bad-url " in line for line in lines), (url, err)
            continue
        assert code == 1, (url, err)
        if fmt == "json":
            doc = json.loads(out)
            VALIDATOR.validate(doc)
            reasons = [s["reason"]["code"] for c in doc["checks"] for s in c["steps"] if s["reason"]]
            assert len(reasons) == 1 and reasons[0] in ("no_dns_answer", "connection_refused"), (url, reasons)


@pytest.mark.parametrize(("url", "reason"), REFUSED, ids=[repr(u)[:60] for u, _ in REFUSED])
def test_run_doctor_refuses_a_bad_url_even_without_validate(url: str, reason: str) -> None:
    """A knowledge base built in code (validate never ran) still cannot smuggle a URL in."""
    from gialai_remote.catalogue import MESSAGES
    from gialai_remote.errors import KnowledgeBaseError

    kb = load_knowledge_base()
    tools = tuple(t._replace(server_url=url) if t.id == TOOL else t for t in kb.tools)
    with pytest.raises(KnowledgeBaseError) as info:
        core.run_doctor(kb._replace(tools=tools), resolver=loopback_resolver)
    (problem,) = info.value.problems
    assert problem.code == "bad-server-url"
    assert MESSAGES[f"url.reason.{reason}"]["vi"] in problem.message


def test_a_unicode_host_is_looked_up_and_checked_as_its_a_label(tmp_path: Path, ca: trustme.CA) -> None:
    asked: list[tuple[str, int]] = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append((host, port))
        return ["127.0.0.1"]

    cert = ca.issue_cert("xn--stttt-5c2b.gialai.vn")
    with https_server(cert) as port:
        report = doctor(kb_for(tmp_path, f"https://sởtttt.gialai.vn:{port}/"), ca, resolver=resolver)
    assert asked == [("xn--stttt-5c2b.gialai.vn", port)]
    assert statuses(report) == ["passed"] * 4
    assert report.checks[0].host == "sởtttt.gialai.vn"


def test_a_non_ascii_path_is_sent_percent_encoded(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    original = _Handler.do_GET

    def record(self: _Handler) -> None:
        seen.append(self.path)
        original(self)

    monkeypatch.setattr(_Handler, "do_GET", record)
    with https_server(ca.issue_cert("localhost")) as port:
        report = doctor(kb_for(tmp_path, f"https://localhost:{port}/đường?q=ở#x"), ca)
    assert statuses(report) == ["passed"] * 4
    assert seen == ["/%C4%91%C6%B0%E1%BB%9Dng?q=%E1%BB%9F"]


def test_out_of_file_descriptors_at_the_socket_is_a_clear_reason(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def exhausted(*args: Any, **kwargs: Any) -> socket.socket:
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))

    monkeypatch.setattr(socket, "socket", exhausted)
    report = doctor(kb_for(tmp_path, "https://localhost:2443/"), ca)
    assert statuses(report) == ["passed", "failed", "skipped", "skipped"]
    tcp = step(report, "tcp")
    assert tcp.reason == "too_many_open_files" and report.checks[0].hint == "local"
    text = text_of(report)
    doc = assert_valid(report)
    assert "Traceback" not in text and "Traceback" not in json.dumps(doc)
    assert "Too many open files" in text


def test_a_bug_inside_a_step_is_one_line_not_a_traceback(tmp_path: Path, ca: trustme.CA) -> None:
    def broken(host: str, port: int) -> list[str]:
        raise ZeroDivisionError("division by zero\nsecond line")

    report = doctor(kb_for(tmp_path, "https://localhost:2443/"), ca, resolver=broken)
    dns = step(report, "dns")
    assert dns.reason == "internal_error" and report.checks[0].hint == "report"
    assert dns.error == "ZeroDivisionError: division by zero second line"
    assert_valid(report)


_EXHAUST = """
import os, resource, sys
from gialai_remote.cli.main import main
import gialai_remote.cli.doctor as command

load = command.load_kb

def load_then_exhaust(settings):
    kb = load(settings)  # the knowledge base is read; then every descriptor is taken
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
    try:
        while True:
            os.open(os.devnull, os.O_RDONLY)
    except OSError:
        pass
    return kb

args = ["doctor", "--data", sys.argv[1], "--format", sys.argv[2], "--lang", "en", "--timeout", "2"]
real_stdout = os.dup(1)
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
main(args)  # a first run imports every module the answer needs
sys.stdout.flush()
os.dup2(real_stdout, 1)
command.load_kb = load_then_exhaust
sys.exit(main(args))
"""


@pytest.mark.posix
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_descriptor_exhaustion_in_a_real_process(tmp_path: Path, fmt: str) -> None:
    data = str(kb_file(tmp_path, "https://127.0.0.1:9/"))
    proc = subprocess.run(
        [sys.executable, "-c", _EXHAUST, data, fmt],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "Traceback" not in out + err, out + err
    assert proc.returncode == 1, err
    if fmt == "json":
        doc = json.loads(out)
        VALIDATOR.validate(doc)
        reasons = [s["reason"]["code"] for s in doc["checks"][0]["steps"] if s["reason"]]
        assert reasons == ["too_many_open_files"]
    else:
        assert "ran out of open files" in out
