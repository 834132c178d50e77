"""One reading of a server URL: what a browser, Python and a person would read alike.

The table of hostile URLs is shared with ``tests/test_doctor_hostile.py``: every refused URL is
refused by ``validate`` (``--data`` loading), never printed with a QR code, and never reaches
``doctor``'s network steps.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from gialai_remote.urls import REASONS, ServerUrl, UrlRefused, check_server_url, parse_server_url

#: (url, reason refused with) for URLs a browser and Python (or a reader) would read differently.
REFUSED: list[tuple[str, str]] = [
    ("http://emeeting.example/", "not-https"),
    ("HTTPS://emeeting.example/", "not-https"),
    ("https:emeeting.example/", "not-https"),
    ("ftp://emeeting.example/", "not-https"),
    ("//emeeting.example/", "not-https"),
    ("https:///emeeting.example/", "no-host"),
    ("https://", "no-host"),
    ("https://:2443/", "no-host"),
    ("https://evil.example\\@good.example/", "backslash"),
    ("https://good.example\\evil/", "backslash"),
    ("https://good.example@evil.example/", "userinfo"),
    ("https://user:pass@good.example/", "userinfo"),
    ("https://@good.example/", "userinfo"),
    ("https://good.example:0/", "bad-port"),
    ("https://good.example:65536/", "bad-port"),
    ("https://good.example:99999999999/", "bad-port"),
    ("https://good.example:-1/", "bad-port"),
    ("https://good.example:+443/", "bad-port"),
    ("https://good.example:4_43/", "bad-port"),
    ("https://good.example:\u0664\u0664\u0663/", "bad-port"),
    ("https://good.example:443:443/", "bad-port"),
    ("https://good.example:https/", "bad-port"),
    ("https://a..example/", "empty-label"),
    ("https://.example/", "empty-label"),
    ("https://good.example./", "empty-label"),
    ("https://" + "a" * 64 + ".example/", "label-too-long"),
    ("https://" + ("a" * 63 + ".") * 4 + "vn/", "host-too-long"),
    ("https://good\u202e.example/", "invisible-character"),
    ("https://good.example/\u202etxt.exe", "invisible-character"),
    ("https://go\u200bod.example/", "invisible-character"),
    ("https://good\u2066.example/", "invisible-character"),
    ("https://\ufeffgood.example/", "invisible-character"),
    ("https://good.example/\u00ad", "invisible-character"),
    ("https://good.example/\ue000", "invisible-character"),
    ("https://good.example\t/", "control-character"),
    ("https://good.example/\n", "control-character"),
    ("https://good.example/\x1b[31m", "control-character"),
    ("https://good.example/\x85", "control-character"),
    (" https://good.example/", "whitespace"),
    ("https://good.example/a b", "whitespace"),
    ("https://good.example/\u00a0", "whitespace"),
    ("https://good.example/\u3000", "whitespace"),
    ("https://%65vil.example/", "bad-host"),
    ("https://good_host.example/", "bad-host"),
    ("https://-good.example/", "bad-host"),
    ("https://good-.example/", "bad-host"),
    ("https://good.example^/", "bad-host"),
    ("https://goo|d.example/", "bad-host"),
    ("https://go<od.example/", "bad-host"),
    ("https://\uff45vil.example/", "bad-host"),  # full-width e: a browser goes to evil.example
    ("https://evil\u3002example/", "bad-host"),  # ideographic full stop: a browser reads "."
    ("https://stra\u00dfe.example/", "bad-idna"),  # IDNA 2003 reads strasse, IDNA 2008 straße
    ("https://xn--zz.example/", "bad-idna"),
    ("https://xn--.example/", "bad-host"),
    ("https://xn--stttt-5c2b.xn--zz9999.vn/", "bad-idna"),
    ("https://a\u05d0.example/", "bad-idna"),  # a label mixing left-to-right and right-to-left
    ("https://\u2603.example/", "bad-idna"),  # a snowman: not a letter
    ("https://0x7f.1/", "bad-ip"),
    ("https://127.1/", "bad-ip"),
    ("https://2130706433/", "bad-ip"),
    ("https://127.0.0.01/", "bad-ip"),
    ("https://0177.0.0.1/", "bad-ip"),
    ("https://1.2.3.4.5/", "bad-ip"),
    ("https://256.1.1.1/", "bad-ip"),
    ("https://example.123/", "bad-ip"),
    ("https://[::1/", "bad-ip"),
    ("https://[::1]x/", "bad-ip"),
    ("https://[not-v6]/", "bad-ip"),
    ("https://[fe80::1%25eth0]/", "bad-host"),
    ("https://good.example/a/../admin", "dot-segment"),
    ("https://good.example/./a", "dot-segment"),
    ("https://good.example/%2e%2E/admin", "dot-segment"),
    ("https://good.example/.%2e", "dot-segment"),
]

#: (url, host shown, ASCII host, port, request target) for URLs every reader reads alike.
ACCEPTED: list[tuple[str, str, str, int, str]] = [
    ("https://emeetingjalai.hcdt.vn:2443/", "emeetingjalai.hcdt.vn", "emeetingjalai.hcdt.vn", 2443, "/"),
    ("https://emeeting.example", "emeeting.example", "emeeting.example", 443, "/"),
    ("https://EMEETING.Example/", "emeeting.example", "emeeting.example", 443, "/"),
    ("https://emeeting.example:443/", "emeeting.example", "emeeting.example", 443, "/"),
    ("https://emeeting.example:02443/", "emeeting.example", "emeeting.example", 2443, "/"),
    ("https://emeeting.example:/", "emeeting.example", "emeeting.example", 443, "/"),
    ("https://emeeting.example?room=1", "emeeting.example", "emeeting.example", 443, "/?room=1"),
    ("https://emeeting.example/a#part", "emeeting.example", "emeeting.example", 443, "/a"),
    (
        "https://emeeting.example/đường/họp",
        "emeeting.example",
        "emeeting.example",
        443,
        "/%C4%91%C6%B0%E1%BB%9Dng/h%E1%BB%8Dp",
    ),
    ("https://emeeting.example/a?q=ở&x='1'", "emeeting.example", "emeeting.example", 443, "/a?q=%E1%BB%9F&x=%271%27"),
    ("https://emeeting.example/<a>`{b}`", "emeeting.example", "emeeting.example", 443, "/%3Ca%3E%60%7Bb%7D%60"),
    ("https://emeeting.example/%41b", "emeeting.example", "emeeting.example", 443, "/%41b"),
    ("https://emeeting.example/a..b/.well-known", "emeeting.example", "emeeting.example", 443, "/a..b/.well-known"),
    ("https://sởtttt.gialai.vn/", "sởtttt.gialai.vn", "xn--stttt-5c2b.gialai.vn", 443, "/"),
    ("https://xn--stttt-5c2b.gialai.vn/", "xn--stttt-5c2b.gialai.vn", "xn--stttt-5c2b.gialai.vn", 443, "/"),
    ("https://localhost:8443/", "localhost", "localhost", 8443, "/"),
    ("https://127.0.0.1:2443/", "127.0.0.1", "127.0.0.1", 2443, "/"),
    ("https://[::1]:2443/x", "::1", "::1", 2443, "/x"),
    ("https://[2001:DB8::1]/", "2001:db8::1", "2001:db8::1", 443, "/"),
    ("https://" + "a" * 63 + ".vn/", "a" * 63 + ".vn", "a" * 63 + ".vn", 443, "/"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED, ids=[repr(u)[:60] for u, _ in REFUSED])
def test_refused_with_its_reason(url: str, reason: str) -> None:
    assert reason in REASONS
    assert check_server_url(url) == reason
    with pytest.raises(UrlRefused) as info:
        parse_server_url(url)
    assert info.value.reason == reason


@pytest.mark.parametrize(("url", "host", "ascii_host", "port", "target"), ACCEPTED, ids=[u[:60] for u, *_ in ACCEPTED])
def test_accepted_and_read_once(url: str, host: str, ascii_host: str, port: int, target: str) -> None:
    assert check_server_url(url) is None
    parsed = parse_server_url(url)
    assert parsed == ServerUrl(text=url, host=host, ascii_host=ascii_host, port=port, target=target, is_ip=parsed.is_ip)
    assert parsed.target.isascii() and parsed.ascii_host.isascii()
    assert parsed.is_ip == (host[0].isdigit() or ":" in host)


@pytest.mark.parametrize(("url", "host", "ascii_host", "port", "target"), ACCEPTED, ids=[u[:60] for u, *_ in ACCEPTED])
def test_python_reads_the_same_host_and_port(url: str, host: str, ascii_host: str, port: int, target: str) -> None:
    """Wherever urlsplit finds a host, it is ours (before IDNA encoding) and so is the port."""
    parts = urlsplit(url)
    assert parts.hostname == host
    assert (parts.port or 443) == port


def test_host_header_brackets_ipv6_and_names_a_port_other_than_443() -> None:
    assert parse_server_url("https://[::1]:2443/").host_header == "[::1]:2443"
    assert parse_server_url("https://sởtttt.gialai.vn/").host_header == "xn--stttt-5c2b.gialai.vn"
    assert parse_server_url("https://a.example:443/").host_header == "a.example"


def test_every_reason_has_words_in_both_languages() -> None:
    from gialai_remote.catalogue import MESSAGES

    for reason in REASONS:
        entry = MESSAGES[f"url.reason.{reason}"]
        assert entry["vi"] and entry["en"] and entry["vi"] != entry["en"]
    assert {reason for _, reason in REFUSED} == set(REASONS)


def test_not_a_string_is_refused() -> None:
    assert check_server_url(None) == "not-https"  # type: ignore[arg-type]


def test_a_huge_port_is_refused_without_converting_it() -> None:
    assert check_server_url("https://a.example:" + "9" * 10_000 + "/") == "bad-port"
    assert check_server_url("https://a.example:" + "0" * 10_000 + "443/") is None
