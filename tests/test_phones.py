"""Which contact phone numbers `validate` accepts, on a table of real Vietnamese number shapes.

The check is libphonenumber's ``is_valid_number(parse(number, "VN"))`` (``phonenumberslite``,
the same metadata as ``phonenumbers`` without the geocoding, carrier and time-zone data the
tool never uses). This table pins the answers, so a change of library or of its metadata that
moves one of them fails here; ``benchmarks/phone_check.py --compare`` runs the same table and
every phone in the fixtures against two installed libraries side by side.

Numbers are in national format (leading 0), digits only, as ``guidance.yaml`` writes them.
Subscriber digits are made up; prefixes follow the national numbering plan (mobile numbers of
10 digits since the 2018 conversion; landlines 0 + area code + subscriber, since the 2017
change of area codes: Gia Lai 0269 + 7 digits, Hà Nội 024 and TP. Hồ Chí Minh 028 + 8 digits).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gialai_remote.cli.main import main

ROOT = Path(__file__).resolve().parents[1]

#: (number, accepted, what it is)
REAL_NUMBERS: list[tuple[str, bool, str]] = [
    # Mobiles, 10 digits.
    ("0935076079", True, "MobiFone 093, a contact of the letter"),
    ("0913450011", True, "VinaPhone 091, a contact of the letter"),
    ("0912345678", True, "VinaPhone 091"),
    ("0941234567", True, "VinaPhone 094"),
    ("0886123456", True, "VinaPhone 088"),
    ("0812345678", True, "VinaPhone 081"),
    ("0961234567", True, "Viettel 096"),
    ("0987654321", True, "Viettel 098"),
    ("0862123456", True, "Viettel 086"),
    ("0362123456", True, "Viettel 036 (was 0166 before 2018)"),
    ("0321234567", True, "Viettel 032"),
    ("0901234567", True, "MobiFone 090"),
    ("0701234567", True, "MobiFone 070"),
    ("0781234567", True, "MobiFone 078"),
    ("0921234567", True, "Vietnamobile 092"),
    ("0561234567", True, "Vietnamobile 056"),
    ("0591234567", True, "Gmobile 059"),
    ("0991234567", True, "Gmobile 099"),
    ("0871234567", True, "iTel 087"),
    # Landlines.
    ("02693823456", True, "Gia Lai 0269 + 7 digits"),
    ("02696251234", True, "Gia Lai 0269 + 7 digits"),
    ("02691234567", True, "Gia Lai 0269 + 7 digits starting with 1 (the plan's pattern allows it)"),
    ("02438234567", True, "Hà Nội 024 + 8 digits"),
    ("02462821234", True, "Hà Nội 024 + 8 digits"),
    ("02838291234", True, "TP. Hồ Chí Minh 028 + 8 digits"),
    ("02363822222", True, "Đà Nẵng 0236 + 7 digits"),
    # Service numbers.
    ("18001091", True, "toll-free 1800"),
    ("19001234", True, "premium-rate 1900"),
    # Not valid.
    ("0123456789", False, "012: a retired prefix (tests/kb_invalid/invalid-phone.yaml)"),
    ("01234567890", False, "an 11-digit mobile number from before the 2018 conversion"),
    ("01696123456", False, "Viettel 0169, converted to 039 in 2018"),
    ("0591234", False, "too short"),
    ("091234567", False, "a mobile number one digit short"),
    ("09123456789", False, "a mobile number one digit long"),
    ("0269382345", False, "Gia Lai with 6 subscriber digits"),
    ("026938234567", False, "Gia Lai with 8 subscriber digits"),
    ("0243823456", False, "Hà Nội with 7 subscriber digits"),
    ("0000000000", False, "zeros"),
    ("0111111111", False, "no such prefix"),
    ("113", False, "the police's short number: not a subscriber number"),
    ("1080", False, "a short information number"),
    # Accepted, though a reader might not expect it (libphonenumber's answers, kept as they are):
    ("0593823456", True, "Gia Lai's pre-2017 landline shape (059 + 7 digits) reads as a Gmobile 059 mobile"),
    ("84935076079", True, "the country code 84 without '+' is recognised and stripped"),
]


def test_validate_accepts_exactly_the_valid_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One knowledge base with a contact per number; `validate` flags exactly the invalid ones."""
    shipped = (ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8")
    assert shipped.count("\ncontacts:\n") == 1
    added = "".join(
        f'  - id: probe-{i}\n    section: "2.1.a"\n    name: Probe {i}\n    phone: "{number}"\n'
        for i, (number, _, _) in enumerate(REAL_NUMBERS)
    )
    path = tmp_path / "phones.yaml"
    path.write_text(shipped.replace("\ncontacts:\n", "\ncontacts:\n" + added, 1), encoding="utf-8")
    first_line = shipped[: shipped.index("\ncontacts:\n")].count("\n") + 3  # the first probe's line

    code = main(["validate", str(path), "--format", "json", "--lang", "en"])
    report = json.loads(capsys.readouterr().out)
    invalid = [p for p in report["problems"] if p["code"] == "invalid-phone"]
    flagged = {REAL_NUMBERS[(p["line"] - first_line) // 4][0] for p in invalid}
    assert flagged == {number for number, accepted, _ in REAL_NUMBERS if not accepted}
    assert code == 1
    others = {p["code"] for p in report["problems"]} - {"invalid-phone", "unused-contact"}
    assert others == set()
