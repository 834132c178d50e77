"""Do two phone-number libraries give the same answers on every number the project knows?

    python benchmarks/phone_check.py                       # the installed library's answers
    python benchmarks/phone_check.py --compare DIR1 DIR2   # two libraries side by side

The numbers: every phone-like string in ``data/`` and ``tests/`` (fixtures, tests, the shipped
knowledge base) and the table ``REAL_NUMBERS`` of ``tests/test_phones.py`` (Vietnamese mobiles,
landlines of 0269 Gia Lai, 024 Hà Nội and others, service and invalid numbers). Each is parsed
with region "VN" and compared on what the tool uses, ``is_valid_number``, and on what it could
use one day: ``is_possible_number``, ``number_type``, the E.164 form, the parse error.

``--compare`` takes directories that each hold one library (``pip install --no-deps --target
DIR phonenumberslite==X``) and runs this script once per directory with it first on the path,
then prints the numbers whose answers differ, the size of each directory and the import time.
Exit status: 0 when every answer is the same, 1 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: A digit string of 3 to 13 digits, maybe with a leading '+', not inside a date, version or address.
PHONE_LIKE = re.compile(r"(?<![\w.:/-])\+?\d{3,13}(?![\w.:/-])")


def real_numbers() -> list[str]:
    """The numbers of ``REAL_NUMBERS`` in tests/test_phones.py (read as a literal, not imported)."""
    tree = ast.parse((ROOT / "tests" / "test_phones.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "REAL_NUMBERS":
            assert node.value is not None
            return [number for number, _, _ in ast.literal_eval(node.value)]
    raise SystemExit("REAL_NUMBERS not found in tests/test_phones.py")


def fixture_numbers() -> list[str]:
    """Every phone-like string on a line that mentions a phone, in data/ and tests/ files."""
    found: set[str] = set()
    for top in ("data", "tests"):
        for path in (ROOT / top).rglob("*"):
            if path.suffix not in {".yaml", ".yml", ".py", ".json", ".txt"} or "snapshots" in path.parts:
                continue
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if "phone" in line.lower() or re.search(r"\b0\d{9,10}\b", line):
                    found.update(m.group(0) for m in PHONE_LIKE.finditer(line))
    return sorted(found)


def answers(numbers: list[str]) -> dict[str, list[object]]:
    """The installed library's answers for each number (region VN)."""
    import phonenumbers

    out: dict[str, list[object]] = {}
    for number in numbers:
        try:
            parsed = phonenumbers.parse(number, "VN")
        except phonenumbers.NumberParseException as exc:
            out[number] = ["parse-error", int(exc.error_type)]
            continue
        out[number] = [
            phonenumbers.is_valid_number(parsed),
            phonenumbers.is_possible_number(parsed),
            int(phonenumbers.number_type(parsed)),
            phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        ]
    return out


def _size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def _child(directory: Path, numbers: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(directory)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import phonenumbers"], env=env, check=True, timeout=60)
    import_ms = (time.perf_counter() - start) * 1000
    proc = subprocess.run(
        [sys.executable, __file__, "--child"],
        input=json.dumps(numbers),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    result["import_ms"] = import_ms
    result["bytes"] = _size(directory)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", nargs=2, type=Path, metavar="DIR", help="two library directories")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import phonenumbers

        numbers = json.loads(sys.stdin.read())
        print(
            json.dumps(
                {"version": phonenumbers.__version__, "file": phonenumbers.__file__, "answers": answers(numbers)}
            )
        )
        return 0

    table, fixtures = real_numbers(), fixture_numbers()
    numbers = sorted(set(table) | set(fixtures))
    if not args.compare:
        for number, answer in answers(numbers).items():
            print(number, *answer)
        return 0

    sides = [_child(d, numbers) for d in args.compare]
    a, b = (side["answers"] for side in sides)
    differ = [n for n in numbers if a[n] != b[n]]
    print(
        f"numbers: {len(numbers)} ({len(table)} in the table of tests/test_phones.py, "
        f"{len(fixtures)} phone-like strings in data/ and tests/)"
    )
    for name, side in zip(args.compare, sides, strict=True):
        valid = sum(1 for answer in side["answers"].values() if answer[0] is True)
        print(
            f"{name}: phonenumbers {side['version']}, {side['bytes'] / 1e6:.1f} MB on disk, "
            f"import {side['import_ms']:.0f} ms (process), {valid} valid"
        )
    if differ:
        print(f"{len(differ)} numbers differ:")
        for number in differ:
            print(f"  {number}: {a[number]} vs {b[number]}")
        return 1
    print("every answer is the same (is_valid_number, is_possible_number, number_type, E.164, parse errors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
