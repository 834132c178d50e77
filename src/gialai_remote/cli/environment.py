"""Every environment variable the tool reads, or that changes what it does: the one list.

``gialai-remote help environment`` prints it, ``docs/usage.md`` and ``docs/contract.md`` show
it, and ``tests/test_help.py`` checks it against the code: every name the source reads with
``os.environ`` is here, and every variable listed as read by gialai-remote itself is read
somewhere in the source. The others are read by the libraries and the runtime the tool is
built on (rich for colour and width, Python for encodings, OpenSSL for certificates), or are
set by the Tab-completion script; each says who reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gialai_remote.i18n import t

#: Who reads a variable (shown after its meaning).
SELF, RICH, PYTHON, OPENSSL, COMPLETION, NOBODY = "gialai-remote", "rich", "Python", "OpenSSL", "Typer", "-"


@dataclass(frozen=True, slots=True)
class Variable:
    """One environment variable.

    Attributes:
        name: its name.
        reader: who reads it: :data:`SELF`, :data:`RICH`, :data:`PYTHON`, :data:`OPENSSL`,
            :data:`COMPLETION`, or :data:`NOBODY` (listed because people ask: not used).
        also: other names with the same meaning and reader (shown with it).
    """

    name: str
    reader: str
    also: tuple[str, ...] = ()

    def meaning(self, lang: str) -> str:
        """What it does, in ``lang`` (catalogue key ``env.name``, the name in lower case)."""
        return t(f"env.{self.name.lower()}", lang)


VARIABLES: tuple[Variable, ...] = (
    Variable("GIALAI_REMOTE_LANG", SELF),
    Variable("GIALAI_REMOTE_DATA", SELF),
    Variable("GIALAI_REMOTE_NO_INPUT", SELF),
    Variable("GIALAI_REMOTE_DEBUG", SELF),
    Variable("GIALAI_REMOTE_CACHE", SELF, also=("XDG_CACHE_HOME", "LOCALAPPDATA", "HOME")),
    Variable("NO_COLOR", RICH),
    Variable("FORCE_COLOR", RICH),
    Variable("COLUMNS", RICH),
    Variable("PYTHONIOENCODING", PYTHON),
    Variable("PYTHONUTF8", PYTHON),
    Variable("SSL_CERT_FILE", OPENSSL),
    Variable("SSL_CERT_DIR", OPENSSL),
    Variable("HTTPS_PROXY", PYTHON, also=("ALL_PROXY", "NO_PROXY")),
    Variable("_GIALAI_REMOTE_COMPLETE", COMPLETION, also=("COMP_WORDS", "COMP_CWORD", "_TYPER_COMPLETE_ARGS")),
)


def names() -> set[str]:
    """Every variable name listed, with the ones shown alongside another."""
    return {n for v in VARIABLES for n in (v.name, *v.also)}
