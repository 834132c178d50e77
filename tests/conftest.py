"""Shared fixtures: no test depends on the machine's locale, colours or the tool's variables."""

from __future__ import annotations

from pathlib import Path

import pytest

_CLEARED = ("LANG", "LANGUAGE", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM", "PYTHONIOENCODING")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Clear locale, colour and gialai-remote variables for every test.

    The knowledge-base cache of the commands a test runs (in-process, or as processes that
    inherit the environment) is a fresh folder of that test's own: no test reads what another
    left there, and nothing is written to the user's cache folder.
    """
    import os

    for name in list(os.environ):
        if name.startswith(("LC_", "GIALAI_REMOTE_")) or name in _CLEARED:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIALAI_REMOTE_CACHE", str(tmp_path_factory.mktemp("kb-cache", numbered=True)))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked ``posix`` on a system that is not (Windows): they need a pty, sh..."""
    import os

    if os.name == "posix":
        return
    skip = pytest.mark.skip(reason="needs a POSIX system (marker posix)")
    for item in items:
        if "posix" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def host_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This machine's offline bundle, built with no network (tests/wheelhouse.py); its folder."""
    from wheelhouse import build_host_bundle

    return build_host_bundle(tmp_path_factory.mktemp("bundle"))
