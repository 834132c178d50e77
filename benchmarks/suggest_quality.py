"""rapidfuzz or the standard library's difflib for the "did you mean" suggestions?

    python benchmarks/suggest_quality.py            # quality table, then cost
    python benchmarks/suggest_quality.py --rows     # also every row where the two differ
    python benchmarks/suggest_quality.py --runs 41  # more import-time runs

The tool suggests close entries when what a user typed names nothing: ``--role``/``--task``/
``--tool``/``--platform``/``--sensitivity`` values (``resolve`` -> ``_suggest``: the 12 closest
folded spellings, mapped to at most 3 entries) and command names (``suggest`` over the command
names, at most 3). This script runs that same pipeline with two scorers:

- ``rapidfuzz``: ``process.extract(..., scorer=WRatio, score_cutoff=60)``, what the tool uses;
- ``difflib``: ``difflib.get_close_matches(..., cutoff=0.6)``, the standard library's default;
- ``rapidfuzz trimmed (option)``: not what the tool does; WRatio >= 70 and within 10 points of
  the best, a way to drop rapidfuzz's unrelated extra suggestions (tuned on this table);

over :data:`TYPOS`, a table of realistic mistakes (Vietnamese with and without diacritics, id
typos, English, acronyms) with the entry a person meant, or None where nothing should be
suggested (an app the letter does not name, nonsense). Quality: the meant entry first, the
meant entry among those shown, nothing shown when something was meant (a miss), something
shown when nothing should be (noise). Cost: import time in a fresh interpreter (median of
``--runs`` processes, minus ``python -c pass``), time per suggestion, installed size.

Only the scorer differs between the two columns; folding, the index of spellings and the
mapping to entries are the tool's own (:func:`fold`, the knowledge base's names and aliases).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any


def _first(attribute: str, *modules: str) -> Any:
    """``attribute`` from the first of ``modules`` that has it (the restructure moves them)."""
    for name in modules:
        with contextlib.suppress(ImportError):
            module = importlib.import_module(name)
            if hasattr(module, attribute):
                return getattr(module, attribute)
    raise SystemExit(f"none of {modules} has {attribute}")


fold: Callable[[str], str] = _first("fold", "gialai_remote.cli.match", "gialai_remote.cli.query", "gialai_remote.match")
load_knowledge_base: Callable[[], Any] = _first(
    "load_knowledge_base", "gialai_remote", "gialai_remote.knowledge", "gialai_remote.load"
)

COMMANDS = ["check", "contacts", "doctor", "recommend", "roles", "schema", "setup", "tasks", "tools", "validate"]

#: (kind, what the user typed, the id they meant or None when nothing should be suggested).
#: Every value names no entry exactly (checked at start), so each row reaches the suggestions.
TYPOS: list[tuple[str, str, str | None]] = [
    # roles: Vietnamese with and without diacritics, ids, English
    ("roles", "thanh vien", "ubnd-member"),
    ("roles", "thành viên ubdn", "ubnd-member"),
    ("roles", "thanh vein uy ban", "ubnd-member"),
    ("roles", "UBND tỉnh", "ubnd-member"),
    ("roles", "ubnd-membr", "ubnd-member"),
    ("roles", "ubnd memer", "ubnd-member"),
    ("roles", "comittee member", "ubnd-member"),
    ("roles", "agency-staf", "agency-staff"),
    ("roles", "agncy-staff", "agency-staff"),
    ("roles", "can bo cong chuc", "agency-staff"),
    ("roles", "cán bộ công chứ", "agency-staff"),
    ("roles", "cong chuc vien chuc", "agency-staff"),
    ("roles", "nhan vien van phong", "agency-staff"),
    ("roles", "civil servent", "agency-staff"),
    ("roles", "public employe", "agency-staff"),
    # tasks
    ("tasks", "hopp", "meeting"),
    ("tasks", "hop truc tuyn", "meeting"),
    ("tasks", "cuộc họp trực tuyến", "meeting"),
    ("tasks", "meetng", "meeting"),
    ("tasks", "meting", "meeting"),
    ("tasks", "van ban den", "documents"),
    ("tasks", "văn bản đi", "documents"),
    ("tasks", "cong van den", "documents"),
    ("tasks", "documets", "documents"),
    ("tasks", "ho so cong vic", "documents"),
    ("tasks", "thu tuc hanh chin", "public-services"),
    ("tasks", "thủ tục hành chính công", "public-services"),
    ("tasks", "dich vu cong truc tuyen", "public-services"),
    ("tasks", "public service", "public-services"),
    ("tasks", "publc-services", "public-services"),
    ("tasks", "tao nhom zalo", "group-exchange"),
    ("tasks", "trao doi thong tin", "group-exchange"),
    ("tasks", "grup", "group-exchange"),
    ("tasks", "group-exchnge", "group-exchange"),
    # tools
    ("tools", "polycon", "polycom"),
    ("tools", "polycomm", "polycom"),
    ("tools", "zallo", "zalo"),
    ("tools", "zaloo", "zalo"),
    ("tools", "zalo pc", "zalo"),
    ("tools", "telegramm", "telegram"),
    ("tools", "telegarm", "telegram"),
    ("tools", "telgram", "telegram"),
    ("tools", "goggle drive", "google-drive"),
    ("tools", "google driver", "google-drive"),
    ("tools", "ggdrive", "google-drive"),
    ("tools", "teamview", "teamviewer"),
    ("tools", "team viwer", "teamviewer"),
    ("tools", "temviewer", "teamviewer"),
    ("tools", "whatsap", "whatsapp"),
    ("tools", "whatapp", "whatsapp"),
    ("tools", "skipe", "skype"),
    ("tools", "skype for business", "skype"),
    ("tools", "viberr", "viber"),
    ("tools", "facebok", "facebook"),
    ("tools", "facebook messenger", "facebook"),
    ("tools", "vnpt meting", "vnpt-meeting"),
    ("tools", "vnpt-meet", "vnpt-meeting"),
    ("tools", "emeting", "aic-emeeting"),
    ("tools", "e meeting aic", "aic-emeeting"),
    ("tools", "hop thong mnh", "aic-smart-meeting"),
    ("tools", "họp thông minh aic", "aic-smart-meeting"),
    ("tools", "smart meting", "aic-smart-meeting"),
    ("tools", "thư điện tử công vụ tỉnh", "official-email"),
    ("tools", "emial", "official-email"),
    ("tools", "mot cua dien tu tinh", "one-stop-shop"),
    ("tools", "one stop", "one-stop-shop"),
    ("tools", "quản lý văn bản điều hành", "document-management"),
    ("tools", "qlvb dieu hanh", "document-management"),
    ("tools", "qlvbdh", "document-management"),
    ("tools", "dich vu cong muc 3", "online-public-services"),
    ("tools", "dvctt", "online-public-services"),
    ("tools", "zoom", None),
    ("tools", "microsoft teams", None),
    ("tools", "google meet", None),
    ("tools", "xyzxyz", None),
    # platforms
    ("platforms", "andriod", "android"),
    ("platforms", "androi", "android"),
    ("platforms", "adnroid", "android"),
    ("platforms", "iphon", "ios"),
    ("platforms", "ipadd", "ios"),
    ("platforms", "windwos", "windows"),
    ("platforms", "window", "windows"),
    ("platforms", "windows 10", "windows"),
    ("platforms", "macbok", "macos"),
    ("platforms", "macosx", "macos"),
    ("platforms", "linx", "linux"),
    ("platforms", "ubuntu linux", "linux"),
    ("platforms", "trinh duyet chrome", "web"),
    ("platforms", "browsr", "web"),
    # sensitivities
    ("sensitivities", "noi bo co quan", "internal"),
    ("sensitivities", "internel", "internal"),
    ("sensitivities", "thông thươngg", "normal"),
    ("sensitivities", "normall", "normal"),
    ("sensitivities", "bi mat quoc gia", "secret"),
    ("sensitivities", "secrett", "secret"),
    ("sensitivities", "state secrets", "secret"),
    # nonsense for a vocabulary
    ("roles", "xyzxyz", None),
    ("roles", "1234567", None),
    ("tasks", "asdf", None),
    # command names
    ("commands", "recomend", "recommend"),
    ("commands", "recommand", "recommend"),
    ("commands", "reccomend", "recommend"),
    ("commands", "chek", "check"),
    ("commands", "checkk", "check"),
    ("commands", "doctr", "doctor"),
    ("commands", "docter", "doctor"),
    ("commands", "setpu", "setup"),
    ("commands", "stup", "setup"),
    ("commands", "tool", "tools"),
    ("commands", "tols", "tools"),
    ("commands", "contact", "contacts"),
    ("commands", "contatcs", "contacts"),
    ("commands", "role", "roles"),
    ("commands", "task", "tasks"),
    ("commands", "validat", "validate"),
    ("commands", "valdiate", "validate"),
    ("commands", "shema", "schema"),
    ("commands", "schemas", "schema"),
    ("commands", "help", None),
    ("commands", "no-such-command", None),
    ("commands", "install", None),
    ("commands", "run", None),
]

#: A scorer: (folded key, folded choices, how many) -> the chosen choices, best first.
Scorer = Callable[[str, Sequence[str], int], list[str]]


def rapidfuzz_scorer(key: str, choices: Sequence[str], limit: int) -> list[str]:
    """What the tool does today (match.suggest)."""
    from rapidfuzz import process
    from rapidfuzz.fuzz import WRatio

    return [choices[i] for _m, _s, i in process.extract(key, choices, scorer=WRatio, limit=limit, score_cutoff=60)]


def difflib_scorer(key: str, choices: Sequence[str], limit: int) -> list[str]:
    """The standard library's closest matches (Ratcliff/Obershelp ratio, cutoff 0.6)."""
    import difflib

    return difflib.get_close_matches(key, choices, n=limit, cutoff=0.6)


def rapidfuzz_trimmed_scorer(key: str, choices: Sequence[str], limit: int) -> list[str]:
    """An option, not what the tool does: WRatio >= 70 and within 10 points of the best match.

    Tuned on this very table, so its score here is optimistic; shown as a direction to test.
    """
    from rapidfuzz import process
    from rapidfuzz.fuzz import WRatio

    found = process.extract(key, choices, scorer=WRatio, limit=limit, score_cutoff=70)
    return [choices[i] for _m, score, i in found if score >= found[0][1] - 10]


SCORERS: dict[str, Scorer] = {
    "rapidfuzz": rapidfuzz_scorer,
    "difflib": difflib_scorer,
    "rapidfuzz trimmed (option)": rapidfuzz_trimmed_scorer,
}


@dataclass
class Vocabulary:
    """One kind's folded spellings and which entries each names (as resolve() builds them)."""

    index: dict[str, list[str]]

    def suggest(self, scorer: Scorer, typed: str, *, commands: bool) -> list[str]:
        key = fold(typed)
        if not key:
            return []
        choices = list(self.index)
        if commands:  # cli/main.py: suggest(name, names), at most 3 names
            return [self.index[c][0] for c in scorer(key, choices, 3)]
        found: list[str] = []  # match._suggest: 12 spellings -> at most 3 entries
        for spelling in scorer(key, choices, 12):
            for entry in self.index[spelling]:
                if entry not in found:
                    found.append(entry)
        return found[:3]


def vocabularies() -> dict[str, Vocabulary]:
    kb = load_knowledge_base()
    out: dict[str, Vocabulary] = {"commands": Vocabulary({fold(c): [c] for c in COMMANDS})}
    for kind in ("roles", "tasks", "tools", "platforms", "sensitivities"):
        index: dict[str, list[str]] = {}
        for item in getattr(kb, kind):
            for spelling in (item.id, item.name.vi, item.name.en, *item.aliases):
                entries = index.setdefault(fold(spelling), [])
                if item.id not in entries:
                    entries.append(item.id)
        out[kind] = Vocabulary(index)
    return out


def _squash(key: str) -> str:
    return key.replace(" ", "")


def _check_table(vocab: dict[str, Vocabulary]) -> None:
    for kind, typed, meant in TYPOS:
        v = vocab[kind]
        key = fold(typed)
        exact = key in v.index or _squash(key) in {_squash(s) for s in v.index}
        if exact:
            raise SystemExit(f"TYPOS row ({kind}, {typed!r}) names an entry exactly: it never reaches suggestions")
        if meant is not None and not any(meant in ids for ids in v.index.values()):
            raise SystemExit(f"TYPOS row ({kind}, {typed!r}) means {meant!r}, which is not a {kind} entry")


#: Measures one import in a fresh interpreter, after what the CLI has already loaded when it
#: suggests (typer and rich), printing milliseconds and whether the module was loaded before.
_MARGINAL = """
import sys, time
sys.path[:0] = {path!r}
import typer, rich
before = {module!r} in sys.modules
start = time.perf_counter()
{statement}
print((time.perf_counter() - start) * 1000, before)
"""


def _marginal_ms(module: str, statement: str, runs: int) -> tuple[float, bool]:
    """Median ms that ``statement`` adds in a CLI process (typer and rich already imported),
    over ``runs`` fresh interpreters, and whether ``module`` was already imported there."""
    times, loaded = [], False
    code = _MARGINAL.format(path=sys.path, module=module, statement=statement)
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True, timeout=60
        ).stdout.split()
        times.append(float(out[0]))
        loaded = out[1] == "True"
    return statistics.median(times), loaded


def _importtime_ms(statement: str, runs: int) -> float:
    """Median of what ``-X importtime`` reports for ``statement``'s top-level imports, in ms,
    in an interpreter that has imported nothing else (shared modules such as ``re`` count)."""
    totals = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-S", "-c", f"import sys; sys.path[:0] = {sys.path!r}; {statement}"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        total = 0
        for line in proc.stderr.splitlines():
            parts = line.split("|")
            top_level = len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  ")
            if line.startswith("import time:") and top_level:  # " name": top level; "   name": nested
                total += int(parts[1])
        totals.append(total / 1000)
    return statistics.median(totals)


def _installed_mb(dist: str) -> float:
    files = metadata.distribution(dist).files or []
    return sum(Path(str(f.locate())).stat().st_size for f in files if Path(str(f.locate())).is_file()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", action="store_true", help="print every row where the scorers differ")
    parser.add_argument("--runs", type=int, default=21, help="processes per import-time median (default 21)")
    args = parser.parse_args()

    vocab = vocabularies()
    _check_table(vocab)
    results = {
        name: [vocab[k].suggest(s, typed, commands=k == "commands") for k, typed, _ in TYPOS]
        for name, s in SCORERS.items()
    }

    meant_rows = [i for i, row in enumerate(TYPOS) if row[2] is not None]
    none_rows = [i for i, row in enumerate(TYPOS) if row[2] is None]
    print(f"{len(TYPOS)} typos: {len(meant_rows)} with a meant entry, {len(none_rows)} where nothing should be shown")
    print(f"{'':28}{'first':>8}{'shown':>8}{'missed':>8}{'noise':>8}{'avg shown':>11}")
    for name, got in results.items():
        first = sum(1 for i in meant_rows if got[i][:1] == [TYPOS[i][2]])
        shown = sum(1 for i in meant_rows if TYPOS[i][2] in got[i])
        missed = sum(1 for i in meant_rows if not got[i])
        noise = sum(1 for i in none_rows if got[i])
        avg = statistics.mean(len(g) for g in got)
        print(f"{name:28}{first:>8}{shown:>8}{missed:>8}{noise:>8}{avg:>11.2f}")
    print("first: the meant entry is the first suggestion; shown: it is among those shown (<= 3);")
    print("missed: nothing shown though an entry was meant; noise: something shown where nothing should be")

    by_kind: dict[str, list[int]] = {}
    for i, (kind, _, meant) in enumerate(TYPOS):
        if meant is not None:
            by_kind.setdefault(kind, []).append(i)
    print(
        "\nshown, by kind:",
        "; ".join(
            f"{kind} ({len(rows)}): "
            + ", ".join(f"{name} {sum(1 for i in rows if TYPOS[i][2] in got[i])}" for name, got in results.items())
            for kind, rows in by_kind.items()
        ),
    )

    if args.rows:
        print("\nrows where the two differ (kind, typed, meant: rapidfuzz | difflib):")
        for i, (kind, typed, meant) in enumerate(TYPOS):
            if results["rapidfuzz"][i] != results["difflib"][i]:
                print(f"  {kind:13} {typed!r:28} {meant!s:22} {results['rapidfuzz'][i]} | {results['difflib'][i]}")

    print("\ncost")
    rf_stmt = "from rapidfuzz import process; from rapidfuzz.fuzz import WRatio"
    rf_alone, dl_alone = _importtime_ms(rf_stmt, args.runs), _importtime_ms("import difflib", args.runs)
    print(
        f"  import alone (-X importtime, cumulative, median of {args.runs} fresh interpreters): "
        f"rapidfuzz {rf_alone:.1f} ms, difflib {dl_alone:.1f} ms"
    )
    rf_cli, rf_loaded = _marginal_ms("rapidfuzz", rf_stmt, args.runs)
    dl_cli, dl_loaded = _marginal_ms("difflib", "import difflib", args.runs)
    print(
        f"  import in a CLI process (typer and rich loaded), median of {args.runs}: rapidfuzz {rf_cli:.1f} ms"
        f"{' (already loaded)' if rf_loaded else ''}, difflib {dl_cli:.2f} ms"
        f"{' (already loaded by click at start-up)' if dl_loaded else ''}"
    )
    print("  (the tool imports its scorer only when a value matched nothing: no command's start-up pays it)")
    spellings = statistics.mean(len(vocab[k].index) for k, _, _ in TYPOS)
    for name, scorer in list(SCORERS.items())[:2]:
        scorer("warm", ["up"], 1)
        rounds = []
        for _ in range(7):  # the best of 7 rounds over the whole table: the least disturbed
            start = time.perf_counter()
            for kind, typed, _ in TYPOS:
                vocab[kind].suggest(scorer, typed, commands=kind == "commands")
            rounds.append((time.perf_counter() - start) / len(TYPOS) * 1e6)
        print(
            f"  {name}: {min(rounds):.0f} µs per suggestion, best of 7 rounds (the whole pipeline; "
            f"{spellings:.0f} spellings on average)"
        )
    try:
        print(
            f"  installed: rapidfuzz {metadata.version('rapidfuzz')} {_installed_mb('rapidfuzz'):.1f} MB "
            "(compiled, one wheel per platform); difflib 0 MB (standard library)"
        )
    except metadata.PackageNotFoundError:
        print("  installed: rapidfuzz not installed; difflib 0 MB (standard library)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
