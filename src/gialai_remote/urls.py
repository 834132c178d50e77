"""One reading of a server URL, shared by ``validate``, ``doctor`` and the handouts.

A knowledge base's ``server_url`` (section 2.2.b of Công văn 415/STTTT-CNTT gives
``https://emeetingjalai.hcdt.vn:2443/``) is read by three parties: a person reading the handout,
a browser or phone scanning its QR code (WHATWG URL rules), and ``doctor`` (Python). This module
parses the text once and refuses every URL that those readers could take for different hosts,
ports or paths, so that what is printed, what is scanned and what is checked are the same:

- only ``https://`` (lower case, with both slashes: a browser reads ``https:host`` and
  ``https:///host`` as ``https://host/``, Python's ``urlsplit`` finds no host in them);
- no control character, no white space, no invisible character anywhere (bidi controls,
  zero-width characters, soft hyphens, private-use or unassigned code points): a browser drops
  tabs and newlines and a terminal or a page may reorder or hide the rest;
- no backslash (a browser reads ``\\`` as ``/``: ``https://evil.example\\@good.example/`` is
  ``evil.example`` to it and ``good.example`` to ``urlsplit``) and no user information
  (``https://good.example@evil.example/``);
- a host that is a DNS name of letters, digits and hyphens, labels of 1 to 63 octets, at most
  253 octets in all (IDNA A-labels counted), no percent-encoding, no trailing dot; a Unicode
  name must already be in the form a browser maps it to (UTS #46, non-transitional: no
  full-width letters, no ideographic full stop), must be valid IDNA 2008, and must not contain
  the deviation characters ß and ς, which IDNA 2003 (Python's own codec) maps differently;
- an IPv4 address only in the dotted-decimal form (a browser reads ``0x7f.1`` and ``127.1`` as
  ``127.0.0.1``), an IPv6 address in brackets without a zone;
- a port, when given, of ASCII digits from 1 to 65535 (``:0`` was checked as 443 before);
- no ``.`` or ``..`` path segment (a browser removes them, Python sends them).

Pure: no network, no file, nothing printed. The ``idna`` package is imported only for host
names that are not plain ASCII (or are ``xn--`` A-labels).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass

#: The reason codes :func:`check_server_url` returns (catalogue key ``url.reason.<code>``).
REASONS: tuple[str, ...] = (
    "not-https",
    "control-character",
    "whitespace",
    "invisible-character",
    "backslash",
    "userinfo",
    "no-host",
    "bad-host",
    "bad-ip",
    "empty-label",
    "label-too-long",
    "host-too-long",
    "bad-idna",
    "bad-port",
    "dot-segment",
)

#: The default port of https.
HTTPS_PORT = 443

_SCHEME = "https://"
# Unicode categories that never belong in a URL a person reads: format characters (bidi
# controls, zero-width joiners and spaces, soft hyphen, BOM), private use, surrogates,
# unassigned code points.
_INVISIBLE = frozenset(("Cf", "Co", "Cs", "Cn"))
_LDH = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_HEX_NUMBER = re.compile(r"0x[0-9a-f]*")
_DEVIATIONS = frozenset("ßς")
# WHATWG percent-encode sets for a special URL's path and query (C0 controls and space are
# refused before): these bytes are percent-encoded by a browser before it sends the request.
_PATH_ENCODE = frozenset('"#<>?`{}')
_QUERY_ENCODE = frozenset("\"#<>'")


class UrlRefused(ValueError):
    """A server URL that :func:`parse_server_url` refuses.

    Attributes:
        reason: one of :data:`REASONS`.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ServerUrl:
    """A server URL as every reader reads it.

    Attributes:
        text: the URL as written in the knowledge base.
        host: the host as a person reads it, lower case: the Unicode name, or the IP address
            (without brackets).
        ascii_host: what DNS, the TLS handshake (SNI, certificate check) and the HTTP ``Host``
            header get: the IDNA A-label form (``xn--...``), or the IP address.
        port: 1 to 65535; 443 when the URL names none.
        target: the HTTP request target, ASCII: the path (at least ``/``) and ``?query``,
            percent-encoded as a browser sends it; the fragment is not part of it.
        is_ip: True when the host is an IP address.
    """

    text: str
    host: str
    ascii_host: str
    port: int
    target: str
    is_ip: bool

    @property
    def host_header(self) -> str:
        """The HTTP ``Host`` header: the ASCII host, bracketed if IPv6, and the port if not 443."""
        host = f"[{self.ascii_host}]" if ":" in self.ascii_host else self.ascii_host
        return host if self.port == HTTPS_PORT else f"{host}:{self.port}"


def check_server_url(url: str) -> str | None:
    """Why ``url`` is not a server URL every reader reads alike, or None when it is.

    Args:
        url: the ``server_url`` text of a knowledge-base tool.

    Returns:
        None for an acceptable URL, else one of :data:`REASONS` (the first problem found).
    """
    try:
        parse_server_url(url)
    except UrlRefused as exc:
        return exc.reason
    return None


def parse_server_url(url: str) -> ServerUrl:
    """Parse ``url`` once into the host, port and request target every reader agrees on.

    Args:
        url: the ``server_url`` text (``https://emeetingjalai.hcdt.vn:2443/``).

    Returns:
        The :class:`ServerUrl`.

    Raises:
        UrlRefused: ``url`` is not an https URL that a browser and Python read alike; its
            ``reason`` is one of :data:`REASONS` (see the module's docstring for the rules).
    """
    if not isinstance(url, str):
        raise UrlRefused("not-https")
    _check_characters(url)
    if not url.startswith(_SCHEME):
        raise UrlRefused("not-https")
    if "\\" in url:
        raise UrlRefused("backslash")
    rest = url[len(_SCHEME) :]
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:end], rest[end:]
    if "@" in authority:
        raise UrlRefused("userinfo")
    host_text, port = _split_port(authority)
    if not host_text:
        raise UrlRefused("no-host")
    host, ascii_host, is_ip = _host(host_text)
    return ServerUrl(text=url, host=host, ascii_host=ascii_host, port=port, target=_target(tail), is_ip=is_ip)


def _check_characters(url: str) -> None:
    for ch in url:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            raise UrlRefused("control-character")
        if ch.isspace():
            raise UrlRefused("whitespace")
        if code > 0x7F and unicodedata.category(ch) in _INVISIBLE:
            raise UrlRefused("invisible-character")


def _split_port(authority: str) -> tuple[str, int]:
    """``host[:port]`` or ``[v6][:port]`` -> (host text, port)."""
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            raise UrlRefused("bad-ip")
        host, after = authority[: close + 1], authority[close + 1 :]
        if after and not after.startswith(":"):
            raise UrlRefused("bad-ip")
        digits = after[1:] if after else None
    elif ":" in authority:
        host, digits = authority.split(":", 1)
    else:
        host, digits = authority, None
    return host, _port(digits)


def _port(digits: str | None) -> int:
    """The port of ``digits`` (None or "": 443). ASCII digits only, leading zeros allowed, 1-65535."""
    if not digits:
        return HTTPS_PORT
    if not (digits.isascii() and digits.isdigit()):
        raise UrlRefused("bad-port")
    significant = digits.lstrip("0")
    # The range is checked on the value; the length test only keeps int() off huge strings.
    if not significant or len(significant) > 5 or not 0 < int(significant) < 65536:
        raise UrlRefused("bad-port")
    return int(significant)


def _host(text: str) -> tuple[str, str, bool]:
    """(display host, ASCII host, is an IP) for the host part of the authority."""
    if "%" in text:
        raise UrlRefused("bad-host")  # a browser decodes it, Python does not
    if text.startswith("["):
        try:
            address = ipaddress.IPv6Address(text[1:-1])
        except ValueError:
            raise UrlRefused("bad-ip") from None
        return str(address), str(address), True
    lowered = text.lower()
    if lowered.isascii():
        ascii_host = lowered
        labels = ascii_host.split(".")
        _check_labels(labels)
        for label in labels:
            if label.startswith("xn--"):
                _check_a_label(label)
        display = ascii_host
    else:
        display = lowered
        ascii_host = _to_ascii(lowered)
        labels = ascii_host.split(".")
        _check_labels(labels)
    if _ends_in_number(labels[-1]):
        try:
            v4 = ipaddress.IPv4Address(ascii_host)
        except ValueError:
            raise UrlRefused("bad-ip") from None
        return str(v4), str(v4), True
    if len(ascii_host) > 253:
        raise UrlRefused("host-too-long")
    return display, ascii_host, False


def _check_labels(labels: list[str]) -> None:
    for label in labels:
        if not label:
            raise UrlRefused("empty-label")
        if len(label) > 63:
            raise UrlRefused("label-too-long")
        if not _LDH.fullmatch(label):
            raise UrlRefused("bad-host")


def _ends_in_number(label: str) -> bool:
    """WHATWG's "ends in a number": a browser then reads the whole host as an IPv4 address."""
    return label.isdigit() or _HEX_NUMBER.fullmatch(label) is not None


def _to_ascii(host: str) -> str:
    """The A-label form of a Unicode host name, or UrlRefused when readers could differ."""
    if any(ch in _DEVIATIONS for ch in host):
        raise UrlRefused("bad-idna")
    import idna

    if any(ch in "\uff0e\u3002\uff61" for ch in host):
        raise UrlRefused("bad-host")  # full stops a browser reads as "."
    try:
        mapped = idna.uts46_remap(host, std3_rules=True, transitional=False)
    except idna.IDNAError:
        raise UrlRefused("bad-idna") from None
    if mapped != host:
        raise UrlRefused("bad-host")  # a browser would go to the mapped name, not this one
    labels = host.split(".")
    if any(not label for label in labels):
        raise UrlRefused("empty-label")
    try:
        ascii_host = idna.encode(host, uts46=False, std3_rules=True).decode("ascii")
    except idna.IDNAError as exc:
        raise UrlRefused("label-too-long" if "too long" in str(exc).lower() else "bad-idna") from None
    except UnicodeError:
        raise UrlRefused("bad-idna") from None
    return ascii_host


def _check_a_label(label: str) -> None:
    """An ``xn--`` label must decode to a valid U-label that encodes back to it."""
    import idna

    try:
        unicode = idna.decode(label)
        again = idna.encode(unicode).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise UrlRefused("bad-idna") from None
    if again != label or any(ch in _DEVIATIONS for ch in unicode):
        raise UrlRefused("bad-idna")


def _target(tail: str) -> str:
    """The request target of the URL's path, query and fragment (``tail`` starts with / ? # or is empty)."""
    without_fragment = tail.split("#", 1)[0]
    path, sep, query = without_fragment.partition("?")
    for segment in path.split("/"):
        if segment.lower().replace("%2e", ".") in (".", ".."):
            raise UrlRefused("dot-segment")
    encoded = _encode(path or "/", _PATH_ENCODE)
    return f"{encoded}?{_encode(query, _QUERY_ENCODE)}" if sep else encoded


def _encode(text: str, reserved: frozenset[str]) -> str:
    """Percent-encode what a browser does (``reserved`` and every non-ASCII character, as UTF-8)."""
    out = []
    for ch in text:
        if ch in reserved or not ch.isascii():
            out.append("".join(f"%{byte:02X}" for byte in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)
