"""The knowledge-base cache (knowledge/cache.py, issue 16 item 2).

- Where it is: GIALAI_REMOTE_CACHE, XDG_CACHE_HOME (absolute only), ~/.cache, %LOCALAPPDATA%;
  none without HOME / LOCALAPPDATA.
- A hit gives the same model and the same output as no cache; --no-cache writes nothing.
- A changed, missing, corrupt, truncated, renamed, forged, foreign (another owner, writable by
  others, a symbolic link) or stale entry is never trusted, and is written again silently.
- A folder that is read-only, absent or unusable never fails a command.
- Concurrent writers and readers never see half an entry.
- The hostile-file bounds apply before anything is kept, and a file with errors is never kept.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from gialai_remote.cli.main import main
from gialai_remote.knowledge import cache, meaning
from gialai_remote.knowledge.cache import KEY_FILE, MAGIC, SUFFIX, Store, digest, entry_key, folder
from gialai_remote.knowledge.load import builtin_bytes, load_bytes, load_knowledge_base

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "guidance.yaml"
WARNED = Path(__file__).parent / "kb_invalid" / "unused-contact.yaml"
QUERY = ["recommend", "--role", "agency-staff", "--task", "meeting", "--no-input", "--date", "2020-04-15"]
POSIX_OWNER = pytest.mark.skipif(not hasattr(os, "geteuid"), reason="no user ids on this system")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def entries(where: Path) -> list[Path]:
    return sorted(where.glob("*" + SUFFIX))


def spy_validation(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the full validations (meaning checks) from now on."""
    calls: list[int] = []
    real = meaning.check_meaning

    def spy(*args: Any) -> None:
        calls.append(1)
        real(*args)

    monkeypatch.setattr(meaning, "check_meaning", spy)
    return calls


@pytest.fixture
def where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own, named by GIALAI_REMOTE_CACHE (not made yet)."""
    path = tmp_path / "cache"
    monkeypatch.setenv("GIALAI_REMOTE_CACHE", str(path))
    return path


@pytest.fixture
def checked(tmp_path: Path) -> Path:
    """A copy of the shipped file, given with --data (validated in full on a miss)."""
    path = tmp_path / "kb.yaml"
    path.write_bytes(SHIPPED.read_bytes())
    return path


# ---- where the folder is -------------------------------------------------------------------------


def test_the_folder_follows_the_variable_then_xdg_then_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert folder({"GIALAI_REMOTE_CACHE": "/srv/c", "HOME": "/home/a"}) == "/srv/c"
    assert folder({"GIALAI_REMOTE_CACHE": "rel"}) == os.path.abspath("rel")
    assert folder({"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/a"}) == "/x/cache/gialai-remote"
    # XDG: a relative XDG_CACHE_HOME is invalid and ignored.
    assert folder({"XDG_CACHE_HOME": "cache", "HOME": "/home/a"}) == "/home/a/.cache/gialai-remote"
    assert folder({"HOME": "/home/a"}) == "/home/a/.cache/gialai-remote"
    assert folder({"GIALAI_REMOTE_CACHE": "", "HOME": "/home/a"}) == "/home/a/.cache/gialai-remote"
    assert folder({}) is None


def test_on_windows_the_folder_is_in_local_app_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    local = os.path.join("C:", "Users", "a", "AppData", "Local")
    assert folder({"LOCALAPPDATA": local, "HOME": "/home/a"}) == os.path.join(local, "gialai-remote", "Cache")
    assert folder({"HOME": "/home/a"}) is None


# ---- a hit is the same answer --------------------------------------------------------------------


def test_a_hit_builds_the_same_model_as_the_parse(where: Path, checked: Path) -> None:
    parsed = load_bytes(builtin_bytes(), "<built-in>")
    assert load_knowledge_base(cache=True) == parsed  # miss: parsed, kept
    assert len(entries(where)) == 1
    assert load_knowledge_base(cache=True) == parsed  # hit
    validated = load_knowledge_base(str(checked), cache=False)
    assert load_knowledge_base(str(checked), cache=True) == validated
    assert load_knowledge_base(str(checked), cache=True) == validated
    assert len(entries(where)) == 2


def test_the_commands_answer_the_same_with_and_without_the_cache(
    capsys: pytest.CaptureFixture[str], where: Path, checked: Path
) -> None:
    for args in (
        [*QUERY, "--format", "json"],
        QUERY,
        ["--data", str(checked), *QUERY],
        ["check", "--tool", "zalo", "--role", "agency-staff", "--no-input", "--date", "2020-04-15"],
        ["tools", "--format", "json"],
        ["validate", str(WARNED)],
        ["validate", str(WARNED), "--format", "json", "--lang", "en"],
        ["--version"],
    ):
        fresh = run(capsys, *args, "--no-cache")
        assert run(capsys, *args) == fresh, args  # a miss
        assert run(capsys, *args) == fresh, args  # a hit
    assert entries(where)


def test_no_cache_writes_nothing(capsys: pytest.CaptureFixture[str], where: Path, checked: Path) -> None:
    assert run(capsys, *QUERY, "--no-cache")[0] == 0
    assert run(capsys, "--no-cache", "--data", str(checked), *QUERY)[0] == 0
    assert run(capsys, "tools", "--no-cache", "show", "zalo")[0] == 0
    assert run(capsys, "validate", "--no-cache")[0] == 0
    assert not where.exists()


def test_no_cache_is_not_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--help"], ["recommend", "--help"], ["validate", "--help"]):
        code, out, _ = run(capsys, *args)
        assert code == 0 and "--no-cache" not in out


def test_validate_gives_the_kept_warnings_without_checking_again(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path
) -> None:
    calls = spy_validation(monkeypatch)
    first = run(capsys, "validate", str(WARNED), "--lang", "en")
    assert first[0] == 0 and "unused-contact" in first[1]
    assert run(capsys, "validate", str(WARNED), "--lang", "en") == first
    assert len(calls) == 1
    # The messages' language is part of the key: Vietnamese is checked (and kept) on its own.
    vi = run(capsys, "validate", str(WARNED))
    assert vi[0] == 0 and "unused-contact" in vi[1] and vi[1] != first[1]
    assert len(calls) == 2
    # The same bytes under another name: the kept warnings name the file as given.
    other = where.parent / "other.yaml"
    other.write_bytes(WARNED.read_bytes())
    renamed = run(capsys, "validate", str(other), "--lang", "en")
    assert renamed[1] == first[1].replace(str(WARNED), str(other)) and len(calls) == 2


# ---- a bad entry is never trusted ----------------------------------------------------------------


def _one_entry(capsys: pytest.CaptureFixture[str], where: Path, checked: Path) -> tuple[Path, str]:
    """Fill the cache with the entry of ``checked``; return it and the command's JSON answer."""
    code, out, _ = run(capsys, "--data", str(checked), *QUERY, "--format", "json")
    assert code == 0
    (entry,) = entries(where)
    return entry, out


@pytest.mark.parametrize(
    "damage",
    ["missing", "flipped byte", "truncated", "empty", "magic", "format", "mac", "appended", "not marshal"],
)
def test_a_damaged_entry_is_checked_again_and_written_again(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path, checked: Path, damage: str
) -> None:
    entry, answer = _one_entry(capsys, where, checked)
    data = entry.read_bytes()
    header = len(MAGIC) + 1 + 32
    damaged = {
        "missing": None,
        "flipped byte": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:],
        "truncated": data[: len(data) // 2],
        "empty": b"",
        "magic": b"XXXX" + data[4:],
        "format": data[:4] + b"\x09" + data[5:],
        "mac": data[:5] + bytes(32) + data[header:],
        "appended": data + b"\0",
        "not marshal": data[:header] + b"\xff" * 10,
    }[damage]
    if damaged is None:
        entry.unlink()
    else:
        entry.write_bytes(damaged)
    calls = spy_validation(monkeypatch)
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == (0, answer, "")
    assert calls == [1]  # validated again
    assert entry.read_bytes() != damaged and len(entries(where)) == 1
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == (0, answer, "")
    assert calls == [1]  # and the new entry is used


def test_an_entry_renamed_to_another_files_name_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path, checked: Path
) -> None:
    """Each entry's MAC covers its name: another file's valid entry cannot stand in for it."""
    entry, _ = _one_entry(capsys, where, checked)
    other = checked.with_name("other.yaml")
    other.write_bytes(SHIPPED.read_bytes().replace(b"AIC eMeeting", b"AIC eMeeting 2"))
    expected = run(capsys, "--data", str(other), *QUERY, "--format", "json", "--no-cache")
    target = where / (entry_key("checked", "vi", digest(other.read_bytes())) + SUFFIX)
    target.write_bytes(entry.read_bytes())  # the first file's entry under the second's name
    calls = spy_validation(monkeypatch)
    assert run(capsys, "--data", str(other), *QUERY, "--format", "json") == expected
    assert calls == [1]


def test_an_entry_made_with_another_key_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path, checked: Path
) -> None:
    """A forged entry: right name, right shape, a MAC under a key the attacker chose."""
    entry, answer = _one_entry(capsys, where, checked)
    name = entry.name[: -len(SUFFIX)]
    forger = Store(str(where), b"k" * 32)
    forger.put(name, {"view": {"schema_version": 1}, "problems": [], "unlisted": 0})
    calls = spy_validation(monkeypatch)
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == (0, answer, "")
    assert calls == [1]


def test_an_entry_the_builder_refuses_is_a_miss(where: Path, checked: Path) -> None:
    """A genuine entry whose view the model builder no longer accepts (the builder changed)."""
    expected = load_knowledge_base(str(checked), cache=True)
    store = Store.open()
    assert store is not None
    name = entry_key("checked", "vi", digest(checked.read_bytes()))
    store.put(name, {"view": {"schema_version": 999}, "problems": [], "unlisted": 0})
    assert load_knowledge_base(str(checked), cache=True) == expected
    builtin = entry_key("builtin", digest(builtin_bytes()))
    store.put(builtin, {"view": {"schema_version": 999}})
    assert load_knowledge_base(cache=True) == load_bytes(builtin_bytes(), "<built-in>")


def test_an_entry_is_stale_when_a_file_it_was_made_from_changes(tmp_path: Path, where: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text("x = 1\n", encoding="utf-8")
    store = Store.open()
    assert store is not None
    store.put("a" * 64, {"v": 1}, [str(source)])
    assert store.get("a" * 64) == {"v": 1}
    source.write_text("x = 22\n", encoding="utf-8")
    assert store.get("a" * 64) is None
    store.put("a" * 64, {"v": 1}, [str(source)])
    source.unlink()
    assert store.get("a" * 64) is None


def test_the_key_names_the_version_the_kind_the_language_and_every_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = digest(b"one"), digest(b"two")
    key = entry_key("checked", "vi", one)
    assert key != entry_key("checked", "en", one)
    assert key != entry_key("builtin", "vi", one)
    assert key != entry_key("checked", "vi", two)
    assert entry_key("checked", "vi", one, two) != entry_key("checked", "vi", two, one)
    assert entry_key("checked", "vi", one, two) != entry_key("checked", "vi", one)
    import gialai_remote

    monkeypatch.setattr(gialai_remote, "__version__", "9.9.9")
    assert entry_key("checked", "vi", one) != key


@pytest.mark.posix
@POSIX_OWNER
def test_an_entry_writable_by_others_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path, checked: Path
) -> None:
    entry, answer = _one_entry(capsys, where, checked)
    entry.chmod(0o666)
    calls = spy_validation(monkeypatch)
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == (0, answer, "")
    assert calls == [1]
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # written again, the user's own


@pytest.mark.posix
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_an_entry_or_a_key_owned_by_someone_else_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path, checked: Path
) -> None:
    entry, answer = _one_entry(capsys, where, checked)
    os.chown(entry, 4242, -1)
    calls = spy_validation(monkeypatch)
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == (0, answer, "")
    assert calls == [1] and entry.stat().st_uid == os.geteuid()
    # A key that is not the user's own: no cache at all, and the command still answers.
    os.chown(where / KEY_FILE, 4242, -1)
    assert Store.open() is None
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == (0, answer, "")
    assert calls == [1, 1]
    # A folder that is not the user's own is not used.
    os.chown(where / KEY_FILE, os.geteuid(), -1)
    os.chown(where, 4242, -1)
    assert Store.open() is None


@pytest.mark.posix
def test_a_symbolic_link_is_never_followed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path, checked: Path, tmp_path: Path
) -> None:
    entry, answer = _one_entry(capsys, where, checked)
    real = tmp_path / "elsewhere.kb"
    real.write_bytes(entry.read_bytes())
    real.chmod(0o600)
    entry.unlink()
    entry.symlink_to(real)
    calls = spy_validation(monkeypatch)
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == (0, answer, "")
    assert calls == [1]
    assert not entry.is_symlink() and real.read_bytes() == entry.read_bytes()  # replaced, not written through
    # A key that is a link (to a file of the user's, readable by nobody else) is not used.
    key = where / KEY_FILE
    secret = tmp_path / "secret"
    secret.write_bytes(b"s" * 32)
    secret.chmod(0o600)
    key.unlink()
    key.symlink_to(secret)
    assert Store.open() is None


@pytest.mark.posix
@pytest.mark.parametrize("mode, size", [(0o644, 32), (0o600, 31), (0o600, 33)])
def test_a_key_readable_by_others_or_of_the_wrong_length_means_no_cache(where: Path, mode: int, size: int) -> None:
    assert Store.open() is not None
    key = where / KEY_FILE
    key.write_bytes(b"k" * size)
    key.chmod(mode)
    assert Store.open() is None
    assert load_knowledge_base(cache=True) == load_bytes(builtin_bytes(), "<built-in>")


def test_the_folder_and_its_files_are_the_users_own(where: Path) -> None:
    load_knowledge_base(cache=True)
    if os.name == "posix":
        assert stat.S_IMODE(where.stat().st_mode) & 0o077 == 0
        for path in [where / KEY_FILE, *entries(where)]:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert len((where / KEY_FILE).read_bytes()) == 32
    assert not list(where.glob("*.tmp"))


# ---- a folder that cannot be used never fails a command ------------------------------------------


def test_an_unusable_folder_never_fails_a_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, checked: Path
) -> None:
    expected = run(capsys, "--data", str(checked), *QUERY, "--format", "json", "--no-cache")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    for path in (blocker, blocker / "below"):
        monkeypatch.setenv("GIALAI_REMOTE_CACHE", str(path))
        assert Store.open() is None
        assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == expected
        assert run(capsys, "validate", str(checked)) == (0, "", "")
    monkeypatch.delenv("GIALAI_REMOTE_CACHE")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == expected


def test_a_folder_that_refuses_writes_never_fails_a_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path, checked: Path
) -> None:
    """A read-only folder (simulated: root may write anywhere): every write fails, nothing is said."""
    expected = run(capsys, "--data", str(checked), *QUERY, "--format", "json", "--no-cache")
    assert Store.open() is not None  # the folder and its key exist

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache, "_write_new", refuse)
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == expected
    assert run(capsys, *QUERY, "--format", "json")[0] == 0
    assert not entries(where)
    monkeypatch.undo()
    monkeypatch.setenv("GIALAI_REMOTE_CACHE", str(where))
    monkeypatch.setattr(os, "replace", refuse)
    assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == expected
    assert not entries(where) and not list(where.glob("*.tmp"))


@pytest.mark.posix
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_folder_never_fails_a_command(
    capsys: pytest.CaptureFixture[str], where: Path, checked: Path
) -> None:
    expected = run(capsys, "--data", str(checked), *QUERY, "--format", "json", "--no-cache")
    Store.open()
    where.chmod(0o500)
    try:
        assert run(capsys, "--data", str(checked), *QUERY, "--format", "json") == expected
    finally:
        where.chmod(0o700)


def test_old_entries_are_removed_beyond_the_limit(monkeypatch: pytest.MonkeyPatch, where: Path) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    store = Store.open()
    assert store is not None
    names = [f"{i:064x}" for i in range(5)]
    for i, name in enumerate(names):
        store.put(name, i)
        os.utime(where / (name + SUFFIX), ns=(10**18 + i, 10**18 + i))
    store.put(names[4], 4)
    assert sorted(p.name for p in entries(where)) == sorted(n + SUFFIX for n in names[2:])


# ---- concurrency ----------------------------------------------------------------------------------

_RACER = """
import sys
from gialai_remote.knowledge.cache import Store
store = Store.open(sys.argv[1])
value = {"view": list(range(20000)), "who": int(sys.argv[2])}
seen = set()
for i in range(150):
    if int(sys.argv[2]) % 2:
        store.put("c" * 64, value)
    got = store.get("c" * 64)
    if got is not None:
        assert got["view"] == value["view"], "half an entry"
        seen.add(got["who"])
print(sorted(seen))
"""


def test_concurrent_writers_and_readers_never_see_half_an_entry(where: Path) -> None:
    assert Store.open(str(where)) is not None
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(where), str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert set(json.loads(out)) <= {1, 3, 5}
    assert len(entries(where)) == 1 and not list(where.glob("*.tmp"))


def test_two_processes_making_the_key_agree_on_one(tmp_path: Path) -> None:
    where = tmp_path / "fresh"
    code = textwrap.dedent(
        """
        import sys
        from gialai_remote.knowledge.cache import Store
        store = Store.open(sys.argv[1])
        store.put("d" * 64, 1)
        print(store.get("d" * 64))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(where)], stdout=subprocess.PIPE, text=True) for _ in range(4)
    ]
    outs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    key = (where / KEY_FILE).read_bytes()
    store = Store.open(str(where))
    assert store is not None and store.get("d" * 64) == 1 and len(key) == 32
    assert set(outs) <= {"1", "None"} and "1" in outs


# ---- the bounds apply first; errors are never kept ----------------------------------------------


def test_a_file_with_errors_is_never_kept(capsys: pytest.CaptureFixture[str], where: Path) -> None:
    for bad in sorted((Path(__file__).parent / "kb_invalid").glob("*.yaml")):
        code, _, _ = run(capsys, "validate", str(bad))
        if code != 0:
            before = set(entries(where))
            assert run(capsys, "validate", str(bad))[0] == code
            assert run(capsys, "--data", str(bad), *QUERY)[0] == 3
            assert set(entries(where)) == before, bad


def test_the_reading_bounds_apply_before_the_cache(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path, checked: Path
) -> None:
    """A file kept once and then grown past the size bound is refused, not answered from the cache."""
    assert run(capsys, "--data", str(checked), *QUERY)[0] == 0
    from gialai_remote.knowledge import read

    monkeypatch.setattr(read, "MAX_BYTES", len(checked.read_bytes()) - 1)
    code, out, err = run(capsys, "--data", str(checked), *QUERY)
    assert code == 3 and out == "" and "too-large" in err


def test_a_hostile_file_is_refused_and_not_kept(
    capsys: pytest.CaptureFixture[str], where: Path, tmp_path: Path
) -> None:
    laughs = tmp_path / "laughs.yaml"
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    laughs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for _ in range(2):
        code, _, err = run(capsys, "--data", str(laughs), *QUERY)
        assert code == 3 and "alias-expansion" in err
    assert not entries(where)


def test_the_key_changes_with_the_knowledge_base_format(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry kept by a build of another knowledge-base format (schema_version 1) is a miss."""
    from gialai_remote.knowledge import cache
    from gialai_remote.knowledge.build import SUPPORTED_SCHEMA_VERSIONS
    from gialai_remote.render.json import SCHEMA_VERSION

    assert cache.KB_SCHEMA_VERSION == max(SUPPORTED_SCHEMA_VERSIONS) == SCHEMA_VERSION == 2
    one = digest(b"one")
    key = entry_key("builtin", one)
    monkeypatch.setattr(cache, "KB_SCHEMA_VERSION", 1)
    assert entry_key("builtin", one) != key
