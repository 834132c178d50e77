"""Check that, for the letter's own time (``--date 2020-04-15``), schema_version 2 changes
nothing but the citation fixes and the v2 JSON shape (issue 12).

Run before regenerating ``tests/snapshots/sweep.json.gz`` (and after: pass the revision that
holds the version-1 snapshot)::

    python scripts/sweep_v2_check.py [REVISION]     # default: main

It runs every case of ``tests/test_sweep.py`` in-process, takes the stored snapshot from
``git show REVISION:tests/snapshots/sweep.json.gz``, and sorts every case dated 2020-04-15 into:

- ``same``: byte for byte as stored;
- ``shape``: the same once the version-2 JSON shape is taken back to version 1's
  (``schema_version``; warning objects ``{code, message, source?}`` read as their message;
  ``sources``, ``status``, the cites' ``id``/``article``, the contacts' ``id``/``title``/
  ``verified_on``/``source``/``tools``, the notices' ``confidence``/``until``/
  ``superseded_by``/``in_force``/``sources`` left out);
- ``citation``: the same once, besides, the citations are read alike (a section, or a
  state-secrets source, in parentheses; the secret rule's id ``2.3-secret`` and its
  successors) and a tool's repeated sentences for one cause (the two contradicting
  allowed-lists of a public app with secret content) are read as their narrowest one;
- ``other``: anything else. The script exits 1 when any 2020-04-15 case is ``other``.

It prints the counts, for 2020-04-15 and for the other cases, per command and format.
"""

from __future__ import annotations

import collections
import gzip
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LETTER_DAY = "2020-04-15"

#: A citation in parentheses: the letter's section, a state-secrets source, or both.
_CITE = re.compile(
    r"\((?:mục|section|sections) [0-9][0-9.a-z]*(?:[;,] [^()]*(?:\([^()]*\))?[^()]*)?\)"
    r"|\((?:Pháp lệnh|Ordinance|Luật|Law) [^()]*(?:\([^()]*\))?[^()]*\)"
)
#: The secret rule's id before and after: it now names the law it comes from.
_SECRET_RULE = re.compile(r"\b(?:2\.3-secret|secret-ordinance-2000|secret-law-2018|secret-law-2025)\b")
#: A sentence of a reason: "<tool> ... ; <allowed list> (CITE)."
_SENTENCE = re.compile(r"[^.]*?\(CITE\)\.?")
#: Keys that version 2 adds to an object of version 1 (never taken out of version 1's).
_V2_KEYS = {
    "sources",
    "status",
    "id",
    "article",
    "title",
    "verified_on",
    "tools",
    "confidence",
    "until",
    "superseded_by",
    "in_force",
    "source",
}


def run_cases() -> dict[str, dict[str, Any]]:
    """Every sweep case's exit code, stdout and stderr with the current code (as the test runs them)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import test_sweep
    from gialai_remote.cli.main import main

    results: dict[str, dict[str, Any]] = {}
    saved = sys.stdout, sys.stderr
    for case_id, argv in test_sweep.cases():
        out = io.TextIOWrapper(io.BytesIO(), encoding="UTF-8", newline="", write_through=True)
        err = io.TextIOWrapper(io.BytesIO(), encoding="UTF-8", newline="", write_through=True)
        sys.stdout, sys.stderr = out, err
        try:
            code = main(list(argv))
        finally:
            sys.stdout, sys.stderr = saved
        stdout = out.buffer.getvalue().decode("utf-8")
        for pattern, replacement in test_sweep._VOLATILE:
            stdout = pattern.sub(replacement, stdout)
        results[case_id] = {"code": code, "stdout": stdout, "stderr": err.buffer.getvalue().decode("utf-8")}
    return results


def stored(revision: str) -> dict[str, dict[str, Any]]:
    """The snapshot kept at ``revision``."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:tests/snapshots/sweep.json.gz"], capture_output=True, check=True
    ).stdout
    value: dict[str, dict[str, Any]] = json.loads(gzip.decompress(blob))
    return value


def v1_shape(value: Any, old: Any) -> Any:
    """``value`` (version 2) in version 1's shape, guided by ``old`` (what version 1 had there)."""
    if isinstance(value, dict) and set(value) >= {"code", "message"} and isinstance(old, str):
        return value["message"]  # a warning object where version 1 had its text
    if isinstance(value, dict):
        keep = old if isinstance(old, dict) else {}
        out = {}
        for key, item in value.items():
            if key in _V2_KEYS and key not in keep:
                continue
            if key == "schema_version":
                out[key] = keep.get(key, item)
                continue
            out[key] = v1_shape(item, keep.get(key))
        source = value.get("source")
        if "section" in keep and "section" not in value and isinstance(source, dict):
            out["section"] = source.get("section")  # version 2's contact carries its section in its cite
        return out
    if isinstance(value, list):
        olds = old if isinstance(old, list) else []
        return [v1_shape(item, olds[i] if i < len(olds) else None) for i, item in enumerate(value)]
    return value


def read_citations_alike(text: str) -> str:
    """``text`` with every citation read as one token and one sentence per tool and cause."""
    text = _SECRET_RULE.sub("SECRET-RULE", _CITE.sub("(CITE)", text))
    lines = []
    for line in text.split("\n"):
        bullet = re.match(r"\s*(?:- )?", line)
        head, body = line[: bullet.end()] if bullet else "", line[bullet.end() :] if bullet else line
        sentences = _SENTENCE.findall(body)
        if len(sentences) > 1:
            by_cause: dict[str, str] = {}
            for sentence in sentences:
                cause = sentence.split(";")[0].strip()
                if cause not in by_cause or len(sentence) < len(by_cause[cause]):
                    by_cause[cause] = sentence.strip()
            line = head + " ".join(by_cause.values()) + _SENTENCE.sub("", body)
        previous = lines[-1] if lines else ""
        if "(CITE)" in line and "(CITE)" in previous and line.split(";")[0] == previous.split(";")[0]:
            lines[-1] = min(previous, line, key=len)  # two bullets for one cause (check's reasons)
            continue
        lines.append(line)
    return "\n".join(lines)


def _texts(value: Any) -> Any:
    """Every string inside ``value`` read with :func:`read_citations_alike`; the letter's
    sections (``"section": "2.1.a"``) and cites (``"source": {"document", "section"...}``) read
    alike too; reasons of one code merged into one."""
    if isinstance(value, dict):
        out = {
            k: "CITE" if k == "source" and isinstance(v, dict) and "document" in v else _texts(v)
            for k, v in value.items()
        }
        if "section" in out and (out["section"] is None or isinstance(out["section"], str)):
            out["section"] = "SECTION"  # a later source's citation has no section of the letter
        if isinstance(out.get("reasons"), list):
            merged: dict[Any, Any] = {}
            for reason in out["reasons"]:
                code = reason.get("code") if isinstance(reason, dict) else reason
                if code not in merged or len(json.dumps(reason)) < len(json.dumps(merged[code])):
                    merged[code] = reason
            out["reasons"] = list(merged.values())
        return out
    if isinstance(value, list):
        return [_texts(v) for v in value]
    if isinstance(value, str):
        return read_citations_alike(value)
    return value


def classify(old: dict[str, Any], new: dict[str, Any]) -> str:
    """``same``, ``shape``, ``citation`` or ``other`` (see the module's docstring)."""
    if old == new:
        return "same"
    if old["code"] != new["code"] or read_citations_alike(old["stderr"]) != read_citations_alike(new["stderr"]):
        return "other"
    try:
        old_doc, new_doc = json.loads(old["stdout"]), json.loads(new["stdout"])
    except ValueError:
        a, b = read_citations_alike(old["stdout"]), read_citations_alike(new["stdout"])
        return "citation" if a == b else "other"
    shaped = v1_shape(new_doc, old_doc)
    if shaped == old_doc:
        return "shape"
    return "citation" if _texts(shaped) == _texts(old_doc) else "other"


def _kind(case_id: str) -> str:
    words = case_id.split()
    command = "tools show" if words[:2] == ["tools", "show"] else words[0]
    fmt = next((words[i + 1] for i, w in enumerate(words) if w == "--format" and i + 1 < len(words)), "text")
    return f"{command} {fmt}"


def main(argv: list[str]) -> int:
    """Print the counts; exit 1 when a 2020-04-15 case changed otherwise than by citation or shape."""
    revision = argv[0] if argv else "main"
    old, new = stored(revision), run_cases()
    counts: dict[str, collections.Counter[str]] = {"2020": collections.Counter(), "later": collections.Counter()}
    per_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    others = []
    for case_id, result in new.items():
        if case_id not in old:
            counts["later" if LETTER_DAY not in case_id else "2020"]["new case"] += 1
            continue
        verdict = classify(old[case_id], result)
        period = "2020" if LETTER_DAY in case_id else "later"
        counts[period][verdict] += 1
        per_kind[f"{period} {_kind(case_id)}"][verdict] += 1
        if period == "2020" and verdict == "other":
            others.append(case_id)
    gone = [case_id for case_id in old if case_id not in new]
    for period in ("2020", "later"):
        print(f"{period}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts[period].items())))
    for kind in sorted(per_kind):
        print(f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in sorted(per_kind[kind].items())))
    if gone:
        print(f"cases no longer in the sweep: {len(gone)}")
    for case_id in others[:20]:
        print(f"OTHER: {case_id}")
    return 1 if others else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
