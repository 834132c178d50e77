"""``doctor`` as a browser would check: through the proxy the machine sets, with the OS's trust.

Everything on 127.0.0.1: the HTTPS server and the throwaway CA of ``tests/test_doctor.py``, and
a small threaded ``CONNECT`` proxy defined here, which tunnels to 127.0.0.1 whatever host it is
asked for (so a name the test resolver does not know still reaches the loopback server, as a
real proxy resolves names the office's DNS does not). The proxy settings are read from the
environment by the standard library (``urllib.request.getproxies``/``proxy_bypass``), exactly
as in a real run; the machine's own proxy variables are cleared for every test.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import platform
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trustme

from gialai_remote import doctor as core
from gialai_remote.doctor import proxy as doctor_proxy
from gialai_remote.doctor import system as doctor_system
from gialai_remote.doctor import tls as doctor_tls
from gialai_remote.doctor import trust as doctor_trust
from gialai_remote.render.json_doctor import report_dict
from test_doctor import (
    NOW,
    TOOL,
    VALIDATOR,
    _script,
    closed_port,
    https_server,
    is_proxy_variable,
    kb_file,
    kb_for,
    loopback_resolver,
    silent_listener,
    statuses,
    step,
    text_of,
    trusting,
)

SERVER_NAME = "emeeting.example"  # the loopback resolver has no answer for it


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loopback resolver, and none of the machine's proxy or OpenSSL variables."""
    monkeypatch.setattr(doctor_system, "system_resolver", loopback_resolver)
    for name in [n for n in os.environ if is_proxy_variable(n) or n.startswith("SSL_CERT_")]:
        monkeypatch.delenv(name)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


# ---- a loopback CONNECT proxy ------------------------------------------------------------------


@dataclass
class ProxyLog:
    """What the proxy was asked: one (request line, headers) per connection."""

    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class _ProxyHandler(socketserver.BaseRequestHandler):
    server: _ProxyServer

    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        self.server.log.requests.append((lines[0], headers))
        behaviour = self.server.behaviour
        if behaviour == "silent":
            time.sleep(10)
            return
        if behaviour == "garbage":
            self.request.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
            return
        if isinstance(behaviour, int):
            self.request.sendall(
                f"HTTP/1.1 {behaviour} No\r\nProxy-Authenticate: Basic realm=x\r\nContent-Length: 0\r\n\r\n".encode()
            )
            return
        expected = self.server.credentials
        if expected is not None and headers.get("Proxy-Authorization") != expected:
            self.request.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
            return
        method, target, _ = lines[0].split(" ")
        assert method == "CONNECT"
        port = int(target.rpartition(":")[2])
        # Whatever host is asked for, the tunnel goes to this machine: never beyond 127.0.0.1.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as upstream:
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            _pipe(self.request, upstream)


def _pipe(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""

    def copy(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    other = threading.Thread(target=copy, args=(b, a), daemon=True)
    other.start()
    copy(a, b)
    other.join(5)


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    behaviour: str | int = "tunnel"
    credentials: str | None = None
    log: ProxyLog


@contextlib.contextmanager
def connect_proxy(behaviour: str | int = "tunnel", credentials: str | None = None) -> Iterator[tuple[int, ProxyLog]]:
    """A proxy on 127.0.0.1: "tunnel" (to 127.0.0.1), "silent", "garbage", or a status to answer.

    ``credentials``: the ``Proxy-Authorization`` value it requires (else 407).
    """
    server = _ProxyServer(("127.0.0.1", 0), _ProxyHandler)
    server.behaviour, server.credentials, server.log = behaviour, credentials, ProxyLog()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.log
    finally:
        server.shutdown()
        server.server_close()


def run(kb: Any, ca: trustme.CA, **kwargs: Any) -> core.DoctorReport:
    options: dict[str, Any] = {"timeout": 2.0, "lang": "en", "trust": trusting(ca), "now": lambda: NOW}
    options.update(kwargs)
    return core.run_doctor(kb, [TOOL], **options)


def valid_json(report: core.DoctorReport) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(json.dumps(report_dict(report)))
    VALIDATOR.validate(doc)
    return doc


# ---- through a proxy that works ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "setting"),
    [
        ("HTTPS_PROXY", "HTTPS_PROXY"),
        ("https_proxy", "HTTPS_PROXY"),
        ("ALL_PROXY", "ALL_PROXY"),
        ("all_proxy", "ALL_PROXY"),
    ],
)
def test_through_a_working_proxy(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch, variable: str, setting: str
) -> None:
    """A server name this machine cannot resolve is reached through the proxy, as a browser would."""
    with https_server(ca.issue_cert(SERVER_NAME)) as port, connect_proxy() as (proxy_port, log):
        monkeypatch.setenv(variable, f"http://127.0.0.1:{proxy_port}")
        report = run(kb_for(tmp_path, f"https://{SERVER_NAME}:{port}/"), ca)
    assert statuses(report) == ["passed"] * 4, report
    check = report.checks[0]
    assert check.proxy == core.ProxyInfo(mode="proxy", url=f"http://127.0.0.1:{proxy_port}", setting=setting)
    assert step(report, "dns").addresses == ("127.0.0.1",)  # the proxy's, not the server's
    tcp = step(report, "tcp")
    assert (tcp.address, tcp.port, tcp.tunnel_status, tcp.tunnel_text) == (
        "127.0.0.1",
        proxy_port,
        200,
        "Connection established",
    )
    assert step(report, "tls").certificate is not None and step(report, "http").status_code == 200
    ((line, headers),) = log.requests
    assert line == f"CONNECT {SERVER_NAME}:{port} HTTP/1.1"
    assert headers["Host"] == f"{SERVER_NAME}:{port}" and "Proxy-Authorization" not in headers
    doc = valid_json(report)
    assert doc["checks"][0]["proxy"] == {
        "mode": "proxy",
        "url": f"http://127.0.0.1:{proxy_port}",
        "setting": setting,
        "bypassed_by": None,
    }
    assert doc["checks"][0]["steps"][1]["tunnel"] == {"status_code": 200, "status_text": "Connection established"}
    assert doc["checks"][0]["steps"][1]["port"] == proxy_port
    text = text_of(report)
    assert f"connection through the proxy http://127.0.0.1:{proxy_port} (set in {setting})" in text
    assert "IP addresses of the proxy: 127.0.0.1" in text
    assert f"connected to the proxy 127.0.0.1, port {proxy_port}" in text
    assert f"the proxy opened a tunnel to {SERVER_NAME}:{port} (200 Connection established)" in text
    assert "Reachable." in text


def test_https_proxy_wins_over_all_proxy_and_http_proxy_is_not_used(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    with https_server(ca.issue_cert("localhost")) as port, connect_proxy() as (proxy_port, log):
        monkeypatch.setenv("HTTPS_PROXY", f"127.0.0.1:{proxy_port}")  # no scheme: http://, as urllib reads it
        monkeypatch.setenv("ALL_PROXY", f"http://127.0.0.1:{closed_port()}")
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca)
        assert statuses(report) == ["passed"] * 4
        assert report.checks[0].proxy == core.ProxyInfo("proxy", f"http://127.0.0.1:{proxy_port}", "HTTPS_PROXY")
        monkeypatch.delenv("HTTPS_PROXY")
        monkeypatch.delenv("ALL_PROXY")
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")  # plain-HTTP addresses only
        direct = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca)
    assert statuses(direct) == ["passed"] * 4
    assert direct.checks[0].proxy == core.ProxyInfo("none")
    assert len(log.requests) == 1


def test_proxy_credentials_are_sent_and_never_reported(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = "Basic " + base64.b64encode(b"c\xc3\xa1n-b\xe1\xbb\x99:p@ss w").decode()
    with https_server(ca.issue_cert("localhost")) as port, connect_proxy(credentials=expected) as (proxy_port, log):
        monkeypatch.setenv("https_proxy", f"http://c%C3%A1n-b%E1%BB%99:p%40ss%20w@127.0.0.1:{proxy_port}")
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca)
    assert statuses(report) == ["passed"] * 4
    assert log.requests[0][1]["Proxy-Authorization"] == expected
    shown = json.dumps(report_dict(report), ensure_ascii=False) + text_of(report)
    assert f"http://127.0.0.1:{proxy_port}" in shown
    assert "p%40ss" not in shown and "p@ss" not in shown and "n-b" not in shown


# ---- a proxy that is dead, refuses, or talks nonsense ------------------------------------------


def test_a_dead_proxy_fails_even_though_the_server_answers_directly(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A browser behind this proxy would fail: so does doctor (it used to say "reachable")."""
    dead = closed_port()
    with https_server(ca.issue_cert("localhost")) as port:
        kb = kb_for(tmp_path, f"https://localhost:{port}/")
        assert statuses(run(kb, ca)) == ["passed"] * 4  # directly: reachable
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{dead}")
        report = run(kb, ca)
    assert statuses(report) == ["passed", "failed", "skipped", "skipped"]
    tcp = step(report, "tcp")
    assert tcp.reason == "proxy_unreachable" and "Connection refused" in (tcp.error or "")
    assert tcp.port == dead and tcp.tunnel_status is None
    assert tcp.message == (
        f"Cannot reach the proxy http://127.0.0.1:{dead} (set in HTTPS_PROXY): "
        "a browser using this proxy would fail too."
    )
    assert report.checks[0].hint == "proxy" and not report.passed
    doc = valid_json(report)
    assert doc["checks"][0]["failed_step"] == "tcp"
    assert doc["checks"][0]["hint"].startswith("Check this machine's proxy settings")
    text = text_of(report)
    assert "Reachable." not in text and 'Failed at step "TCP connection".' in text


def test_a_proxy_whose_name_does_not_resolve(tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    report = run(kb_for(tmp_path, "https://localhost:2443/"), ca)
    assert statuses(report) == ["failed", "skipped", "skipped", "skipped"]
    dns = step(report, "dns")
    assert dns.reason == "proxy_unreachable" and "proxy.invalid" in (dns.message or "")
    valid_json(report)


@pytest.mark.parametrize(
    ("answer", "reason", "hint", "words"),
    [
        (407, "proxy_auth_required", "proxy_auth", "asks for a login (HTTP 407)"),
        (403, "proxy_refused", "proxy_blocked", "refused to open a tunnel to localhost:{port} (HTTP 403)"),
        (502, "proxy_refused", "proxy_blocked", "(HTTP 502)"),
    ],
)
def test_a_proxy_that_refuses_the_tunnel(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch, answer: int, reason: str, hint: str, words: str
) -> None:
    with connect_proxy(answer) as (proxy_port, log):
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy_port}")
        report = run(kb_for(tmp_path, "https://localhost:2443/"), ca)
    assert statuses(report) == ["passed", "failed", "skipped", "skipped"]
    tcp = step(report, "tcp")
    assert (tcp.reason, tcp.tunnel_status, tcp.error) == (reason, answer, f"HTTP {answer} No")
    assert words.format(port=2443) in (tcp.message or "")
    assert report.checks[0].hint == hint
    doc = valid_json(report)
    assert doc["checks"][0]["steps"][1]["tunnel"] == {"status_code": answer, "status_text": "No"}
    assert log.requests[0][0] == "CONNECT localhost:2443 HTTP/1.1"


def test_a_proxy_that_requires_credentials_none_were_given(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    with connect_proxy(credentials="Basic eDp5") as (proxy_port, _):
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy_port}")
        report = run(kb_for(tmp_path, "https://localhost:2443/"), ca, lang="vi")
    tcp = step(report, "tcp")
    assert tcp.reason == "proxy_auth_required"
    text = text_of(report)
    assert f"Proxy http://127.0.0.1:{proxy_port} đòi đăng nhập (HTTP 407)" in text
    assert "Proxy cần tài khoản" in text


def test_a_proxy_that_does_not_speak_http(tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch) -> None:
    with connect_proxy("garbage") as (proxy_port, _):
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy_port}")
        report = run(kb_for(tmp_path, "https://localhost:2443/"), ca)
    assert step(report, "tcp").reason == "proxy_bad_response"
    assert report.checks[0].hint == "proxy"
    valid_json(report)


def test_a_proxy_that_never_answers_times_out_within_the_bound(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    with connect_proxy("silent") as (proxy_port, _):
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy_port}")
        started = time.monotonic()
        report = run(kb_for(tmp_path, "https://localhost:2443/"), ca, timeout=0.5)
        elapsed = time.monotonic() - started
    assert elapsed < report.bound
    assert statuses(report) == ["passed", "failed", "skipped", "skipped"]
    assert step(report, "tcp").reason == "timed_out"


def test_a_listener_that_accepts_and_never_answers_connect(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole run's bound cuts the tunnel's wait short, as any other step."""
    with silent_listener() as proxy_port:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy_port}")
        started = time.monotonic()
        report = run(kb_for(tmp_path, "https://localhost:2443/"), ca, timeout=30.0, bound=0.5)
        elapsed = time.monotonic() - started
    assert elapsed < 5.0
    assert step(report, "tcp").reason == "timed_out"
    assert report.checks[0].proxy is not None and report.checks[0].proxy.tunnel
    valid_json(report)


@pytest.mark.parametrize(
    "value",
    ["socks5://127.0.0.1:1080", "https://127.0.0.1:3128", "http://127.0.0.1:99999", "http://:3128", "http://[::1"],
)
def test_a_proxy_this_check_cannot_use_is_reported_not_bypassed(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("ALL_PROXY", value)
    report = run(kb_for(tmp_path, "https://localhost:2443/"), ca)
    assert statuses(report) == ["failed", "skipped", "skipped", "skipped"]
    dns = step(report, "dns")
    assert dns.reason == "proxy_unsupported" and "(set in ALL_PROXY)" in (dns.message or "")
    assert report.checks[0].hint == "proxy"
    assert "Traceback" not in text_of(report)
    valid_json(report)


# ---- NO_PROXY ----------------------------------------------------------------------------------


@pytest.mark.parametrize("no_proxy", ["localhost", "example.org, LOCALHOST", ".localhost", "*", "localhost:{port}"])
def test_no_proxy_naming_the_host_connects_directly(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    dead = closed_port()
    with https_server(ca.issue_cert("localhost")) as port:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{dead}")
        monkeypatch.setenv("NO_PROXY", no_proxy.format(port=port))
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca)
    assert statuses(report) == ["passed"] * 4
    proxy = report.checks[0].proxy
    assert proxy == core.ProxyInfo("bypassed", f"http://127.0.0.1:{dead}", "HTTPS_PROXY", "NO_PROXY")
    assert step(report, "tcp").port == port and step(report, "tcp").tunnel_status is None
    doc = valid_json(report)
    assert doc["checks"][0]["proxy"]["mode"] == "bypassed" and doc["checks"][0]["proxy"]["bypassed_by"] == "NO_PROXY"
    text = text_of(report)
    assert f"direct connection: NO_PROXY exempts this server from the proxy http://127.0.0.1:{dead}" in text


def test_no_proxy_naming_another_host_still_goes_through_the_proxy(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("no_proxy", "emeetingjalai.hcdt.vn,127.0.0.2")
    report = run(kb_for(tmp_path, "https://localhost:2443/"), ca)
    assert report.checks[0].proxy is not None and report.checks[0].proxy.mode == "proxy"
    assert step(report, "tcp").reason == "proxy_unreachable"


def test_no_proxy_variable_at_all_is_a_direct_connection(tmp_path: Path, ca: trustme.CA) -> None:
    with https_server(ca.issue_cert("localhost")) as port:
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca)
    assert report.checks[0].proxy == core.ProxyInfo("none")
    none = {"mode": "none", "url": None, "setting": None, "bypassed_by": None}
    assert valid_json(report)["checks"][0]["proxy"] == none
    assert "direct connection (no proxy set)" in text_of(report)


def test_an_unchecked_tool_says_nothing_about_a_proxy(ca: trustme.CA, monkeypatch: pytest.MonkeyPatch) -> None:
    from gialai_remote.knowledge.load import load_knowledge_base

    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    report = core.run_doctor(load_knowledge_base(), ["zalo"], trust=trusting(ca))
    assert report.checks[0].proxy is None
    assert "proxy" not in valid_json(report)["checks"][0]


def test_the_route_reading_itself() -> None:
    assert doctor_proxy.shown("http://u:p@proxy.example:3128/") == "http://proxy.example:3128/"
    assert doctor_proxy.shown("u:p@proxy.example:3128") == "http://proxy.example:3128"
    route = doctor_proxy.parse_proxy("HTTP://Proxy.Example", "ALL_PROXY")
    assert (route.host, route.port, route.problem, route.authorization) == ("proxy.example", 80, None, None)
    route = doctor_proxy.parse_proxy("http://[::1]:3128", "HTTPS_PROXY")
    assert (route.host, route.port) == ("::1", 3128)


# ---- the trust -------------------------------------------------------------------------------


def _ca_file(tmp_path: Path, ca: trustme.CA) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def test_by_default_the_os_trust_through_truststore(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", _ca_file(tmp_path, ca))  # on Linux truststore reads it, as OpenSSL does
    with https_server(ca.issue_cert("localhost")) as port:
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca, trust=None)
    assert statuses(report) == ["passed"] * 4
    tls = step(report, "tls")
    assert tls.trust is not None and tls.trust.code == "truststore"
    if sys.platform.startswith("linux"):
        assert tls.trust.system == "Linux"
    doc = valid_json(report)
    assert doc["checks"][0]["steps"][2]["trust"]["code"] == "truststore"
    assert "certificate checked against: the operating system's trust store (" in text_of(report)


@pytest.mark.parametrize("how", ["forced", "not-installed"])
def test_the_fallback_is_openssl_with_the_system_store(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", _ca_file(tmp_path, ca))
    if how == "forced":
        trust = doctor_trust.system_trust(use_truststore=False)
    else:
        monkeypatch.setitem(sys.modules, "truststore", None)  # import truststore raises ImportError
        trust = doctor_trust.system_trust()
    assert trust.code == "openssl"
    with https_server(ca.issue_cert("localhost")) as port:
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca, trust=trust)
    assert statuses(report) == ["passed"] * 4
    assert step(report, "tls").trust is not None and step(report, "tls").trust.code == "openssl"  # type: ignore[union-attr]
    assert "the system's CA certificates as OpenSSL reads them (truststore not available)" in text_of(report)
    assert valid_json(report)["checks"][0]["steps"][2]["trust"]["code"] == "openssl"


@pytest.mark.parametrize("use_truststore", [True, False])
def test_certifi_only_when_the_system_has_no_ca_at_all(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch, use_truststore: bool
) -> None:
    monkeypatch.setattr(platform, "system", lambda: "Linux")
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "none.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "none"))
    trust = doctor_trust.system_trust(use_truststore)
    assert trust.code == "certifi"
    with https_server(ca.issue_cert("localhost")) as port:
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca, trust=trust, lang="vi")
    tls = step(report, "tls")
    assert tls.reason == "certificate_untrusted" and tls.trust == core.TrustInfo("certifi")
    text = text_of(report)
    assert "chứng thư được kiểm tra theo: bộ chứng thư gốc của certifi (hệ thống không có chứng thư gốc nào)" in text
    assert valid_json(report)["checks"][0]["steps"][2]["trust"]["code"] == "certifi"


def test_a_refused_certificate_says_which_trust_refused_it(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", _ca_file(tmp_path, ca))
    with https_server(trustme.CA().issue_cert("localhost")) as port:
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca, trust=None)
    tls = step(report, "tls")
    assert tls.reason == "certificate_untrusted" and tls.trust is not None and tls.trust.code == "truststore"
    doc = valid_json(report)
    assert doc["checks"][0]["steps"][2]["trust"]["code"] == "truststore"


def test_on_windows_and_macos_ssl_cert_file_adds_roots_to_the_os_store(
    tmp_path: Path, ca: trustme.CA, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the context truststore would verify with the OS also carries SSL_CERT_FILE's roots."""
    monkeypatch.setattr(platform, "system", lambda: "Windows")
    monkeypatch.setenv("SSL_CERT_FILE", _ca_file(tmp_path, ca))
    trust = doctor_trust.system_trust()
    assert (trust.code, trust.system) == ("truststore", "Windows")
    context = trust.context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert len(context._ctx.get_ca_certs()) == 1  # type: ignore[attr-defined]


def test_a_bare_context_factory_is_custom(tmp_path: Path, ca: trustme.CA) -> None:
    with https_server(ca.issue_cert("localhost")) as port:
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca)
    assert step(report, "tls").trust == core.TrustInfo("custom")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (0x800B0109, "certificate_untrusted"),  # Windows: CERT_E_UNTRUSTEDROOT
        (0x800B010F, "certificate_wrong_name"),  # Windows: CERT_E_CN_NO_MATCH
        (0x800B0101, "certificate_expired"),  # Windows: CERT_E_EXPIRED
        (-67843, "certificate_untrusted"),  # macOS: errSecNotTrusted
        (-67602, "certificate_wrong_name"),  # macOS: errSecHostNameMismatch
        (-67818, "certificate_expired"),  # macOS: errSecCertificateExpired
        (12345, "certificate_invalid"),
    ],
)
def test_the_os_verifier_codes_read_as_reasons(tmp_path: Path, ca: trustme.CA, code: int, reason: str) -> None:
    """truststore passes the OS verifier's code on as ``verify_code``: simulated here."""

    class Refusing:
        def wrap_socket(self, sock: socket.socket, **kwargs: Any) -> ssl.SSLSocket:
            error = ssl.SSLCertVerificationError("the system's own words")
            error.verify_code, error.verify_message = code, "the system's own words"
            raise error

    with https_server(ca.issue_cert("localhost")) as port:
        trust = doctor_trust.Trust("truststore", lambda: Refusing(), "Windows")  # type: ignore[arg-type, return-value]
        report = run(kb_for(tmp_path, f"https://localhost:{port}/"), ca, trust=trust)
    tls = step(report, "tls")
    assert (tls.reason, tls.error) == (reason, "the system's own words")


def test_certificate_details_when_the_os_not_openssl_verified(ca: trustme.CA) -> None:
    """truststore on Windows/macOS leaves OpenSSL unverifying: getpeercert() is {} then."""
    cert = ca.issue_cert("localhost", not_after=NOW + dt.timedelta(days=30, hours=1))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # as truststore sets it during the handshake there
    with (
        https_server(cert) as port,
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        assert tls.getpeercert() == {}
        fields = doctor_tls.peer_fields(tls)
    details = doctor_tls.certificate(fields, NOW)
    assert details is not None and details.names == ("localhost",) and details.days_left == 30
    assert details.issuer.startswith("O=trustme")


# ---- the installed command, as a process ---------------------------------------------------------


def test_installed_command_through_the_loopback_proxy(tmp_path: Path, ca: trustme.CA) -> None:
    """The variables as a real process reads them: through the proxy, with the OS trust."""
    with https_server(ca.issue_cert("127.0.0.1")) as port, connect_proxy() as (proxy_port, log):
        data = str(kb_file(tmp_path, f"https://127.0.0.1:{port}/"))
        env = {k: v for k, v in os.environ.items() if not (is_proxy_variable(k) or k.startswith(("GIALAI_", "SSL_")))}
        env |= {"SSL_CERT_FILE": _ca_file(tmp_path, ca), "PYTHONIOENCODING": "utf-8"}
        env |= {"HTTPS_PROXY": f"http://127.0.0.1:{proxy_port}", "NO_PROXY": "localhost"}
        proc = subprocess.run(
            [_script(), "doctor", "--data", data, "--format", "json"], capture_output=True, env=env, timeout=60
        )
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    VALIDATOR.validate(doc)
    check = doc["checks"][0]
    assert check["proxy"]["mode"] == "proxy" and check["proxy"]["setting"] == "HTTPS_PROXY"
    assert check["steps"][2]["trust"]["code"] == "truststore"
    assert [s["status"] for s in check["steps"]] == ["passed"] * 4
    assert log.requests[0][0] == f"CONNECT 127.0.0.1:{port} HTTP/1.1"


def test_every_trust_code_has_words_and_is_in_the_schema() -> None:
    from gialai_remote.catalogue import MESSAGES
    from test_doctor import SCHEMA

    assert set(core.TRUST_CODES) == set(SCHEMA["$defs"]["trust"]["properties"]["code"]["enum"])
    for code in core.TRUST_CODES:
        assert f"doctor.trust.{code}" in MESSAGES
    for mode in ("none", "proxy", "bypassed"):
        assert mode in SCHEMA["$defs"]["proxy"]["properties"]["mode"]["enum"]
        assert mode == "none" or f"doctor.route.{mode}" in MESSAGES


def test_a_route_finder_that_breaks_is_one_line_not_a_hang(tmp_path: Path, ca: trustme.CA) -> None:
    """A bug outside the steps' own error handling is reported in the step, within the bound."""

    def broken(url: Any) -> doctor_proxy.Route:
        raise RuntimeError("proxy settings\nunreadable")

    kb = kb_for(tmp_path, "https://localhost:2443/")
    box: list[core.DoctorReport] = []
    worker = threading.Thread(target=lambda: box.append(run(kb, ca, route=broken, timeout=1.0)), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(20)  # a deadlock would hang here: fail instead
    assert box, "run_doctor did not return"
    (report,) = box
    assert time.monotonic() - started < report.bound
    dns = step(report, "dns")
    assert (dns.reason, dns.error) == ("internal_error", "RuntimeError: proxy settings unreadable")
    assert report.checks[0].proxy is None and report.checks[0].hint == "report"
    valid_json(report)
