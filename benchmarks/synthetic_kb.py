"""Write synthetic knowledge bases, in the format of ``data/guidance.yaml``, for the scale benchmark.

    python benchmarks/synthetic_kb.py 1000 -o /tmp/kb-1000.yaml
    gialai-remote validate /tmp/kb-1000.yaml

A knowledge base with N tools keeps the letter's source, sensitivity levels, platforms and
notices from the shipped file and generates, in proportion to N:

- roles and tasks: the contract's ids plus one more of each per 100 tools;
- contacts: one per 5 tools (valid Vietnamese mobile numbers, in quotes), each used;
- tools: N, spread over the letter's sections, each with aliases, a description, a contact
  and three setup steps (iOS, Android, every platform);
- rules: about N / 2. Tools come in groups of 10, and each group has a ``tasks``, a
  ``roles`` and a ``capacity`` rule, plus ``platforms``, ``sensitivity`` and ``offer`` rules
  on some groups, so every rule names at most 10 tools and every tool has a bounded number
  of rules; two rules apply to ``all`` tools, as in the shipped file.

Every tool serves the ``meeting`` task, so ``recommend --task meeting`` looks at all N tools,
and the mix of rules makes some of them recommended and some ruled out for every reason
code. The output is deterministic (no randomness): the same N gives the same file.

Every string is written in double quotes (JSON string syntax, which YAML reads the same way),
so no value is retyped by YAML's implicit rules. Files above ``validate``'s 2 MB bound
(about 3,000 tools) are refused by the CLI as too large; ``benchmarks/scale.py`` raises the
bound in-process to time them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import yaml

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "guidance.yaml"

#: The letter's leaf sections a synthetic tool is spread over, and its category there.
SECTIONS = (
    ("2.1.a", "official"),
    ("2.1.b", "official"),
    ("2.2.a", "official"),
    ("2.2.b", "official"),
    ("2.3", "public-app"),
    ("1", "official"),
)
ROLES = ("ubnd-member", "agency-staff")
TASKS = ("documents", "public-services", "meeting", "group-exchange")
GROUP = 10


def _text(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


def knowledge_base(tools: int) -> dict[str, Any]:
    """The synthetic knowledge base with ``tools`` tools, as plain data (see the module doc)."""
    shipped = yaml.load(SHIPPED.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    extra = tools // 100
    roles = [
        {"id": r, "section": "2.2.a", "name": _text(f"Vai trò {r}", f"Role {r}"), "aliases": [f"vai trò {r}"]}
        for r in (*ROLES, *(f"role-{i:04d}" for i in range(extra)))
    ]
    tasks = [
        {"id": task, "section": "1", "name": _text(f"Công việc {task}", f"Task {task}"), "aliases": [f"việc {task}"]}
        for task in (*TASKS, *(f"task-{i:04d}" for i in range(extra)))
    ]
    contact_count = max(1, (tools + 4) // 5)
    contacts = [
        {
            "id": f"contact-{i:05d}",
            "section": "2.1.a",
            "name": f"Nguyễn Văn Số {i}",
            "honorific": _text("Ông", "Mr"),
            "phone": f"0935{i:06d}",
            "organization": _text(f"Trung tâm hỗ trợ {i}", f"Support centre {i}"),
        }
        for i in range(contact_count)
    ]
    tool_list = []
    for i in range(tools):
        section, category = SECTIONS[(i // GROUP) % len(SECTIONS)]
        tool_list.append(
            {
                "id": f"tool-{i:05d}",
                "section": section,
                "category": category,
                "priority": 10 + i,
                "name": _text(f"Hệ thống họp trực tuyến số {i}", f"Online meeting system {i}"),
                "aliases": [f"công cụ {i}", f"tool {i}"],
                "description": _text(
                    f"Hệ thống họp số {i} dùng cho các cuộc họp trực tuyến của cơ quan.",
                    f"Meeting system {i}, for the agency's online meetings.",
                ),
                "contacts": [f"contact-{i // 5:05d}"],
                "setup_steps": [
                    {"platforms": ["ios"], "text": _text(f"Cài ứng dụng số {i} từ AppStore.", f"Install app {i}.")},
                    {"platforms": ["android"], "text": _text(f"Cài ứng dụng số {i} từ CH-Play.", f"Install app {i}.")},
                    {"text": _text("Đăng nhập bằng tài khoản được cấp.", "Log in with the account you were given.")},
                ],
            }
        )
    rules: list[dict[str, Any]] = [
        {"id": "1-requires", "kind": "requires", "section": "1", "tools": "all", "needs": ["device", "internet"]},
        {
            "id": "2.3-secret",
            "kind": "sensitivity",
            "section": "2.3",
            "tools": "all",
            "allowed": ["normal", "internal"],
            "note": _text("Không dùng cho bí mật nhà nước.", "Not for state secrets."),
        },
    ]
    for g in range(0, tools, GROUP):
        n = g // GROUP
        members = [t["id"] for t in tool_list[g : g + GROUP]]
        section, category = SECTIONS[n % len(SECTIONS)]
        other_task = f"task-{n % extra:04d}" if extra else "documents"
        rules.append(
            {
                "id": f"{section}-g{n}-tasks",
                "kind": "tasks",
                "section": section,
                "tools": members,
                "tasks": ["meeting", other_task],
                "note": _text("Dùng để họp.", "For meetings."),
            }
        )
        allowed_roles = ["ubnd-member"] if n % 4 == 3 else ["ubnd-member", "agency-staff"]
        rules.append(
            {
                "id": f"{section}-g{n}-roles",
                "kind": "roles",
                "section": section,
                "tools": members,
                "roles": allowed_roles,
            }
        )
        rules.append(
            {
                "id": f"{section}-g{n}-capacity",
                "kind": "capacity",
                "section": section,
                "tools": members,
                "max_participants": 8 + (n % 5) * 10,
                "warning": _text("Kiểm tra số người trước khi họp.", "Check the number of people first."),
            }
        )
        if n % 2 == 0:
            rules.append(
                {
                    "id": f"{section}-g{n}-platforms",
                    "kind": "platforms",
                    "section": section,
                    "tools": members,
                    "platforms": ["ios", "android", "web"],
                }
            )
        if category == "public-app":
            rules.append(
                {
                    "id": f"{section}-g{n}-sensitivity",
                    "kind": "sensitivity",
                    "section": section,
                    "tools": members,
                    "allowed": ["normal"],
                }
            )
        if n % 7 == 6:
            rules.append(
                {
                    "id": f"{section}-g{n}-offer",
                    "kind": "offer",
                    "section": section,
                    "tools": members,
                    "until": "2020-05-31",
                }
            )
    known = {t["id"] for t in tool_list}
    notices = []
    for notice in shipped.get("notices") or ():
        affects = [a for a in notice.get("affects") or () if a in known or "." in a or a.isdigit()]
        notices.append({**notice, "affects": affects or [tool_list[0]["id"]]})
    return {
        "schema_version": shipped["schema_version"],
        "sources": shipped["sources"],
        "roles": roles,
        "tasks": tasks,
        "sensitivities": shipped["sensitivities"],
        "platforms": shipped["platforms"],
        "contacts": contacts,
        "tools": tool_list,
        "rules": rules,
        "notices": notices,
    }


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return json.dumps(value.isoformat())
    return json.dumps(str(value), ensure_ascii=False)


def _emit(value: Any, indent: int, out: list[str]) -> None:
    """Block-style YAML, every string in double quotes."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{key}:")
                _emit(item, indent + 2, out)
            else:
                out.append(f"{pad}{key}: {_scalar(item) if not isinstance(item, (dict, list)) else '[]'}")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                lines: list[str] = []
                _emit(item, indent + 2, lines)
                out.append(f"{pad}- {lines[0].lstrip()}")
                out.extend(lines[1:])
            elif isinstance(item, list) and item:
                out.append(f"{pad}-")
                _emit(item, indent + 2, out)
            else:
                out.append(f"{pad}- {_scalar(item)}")


def dump(document: dict[str, Any]) -> str:
    """The document as YAML text in the knowledge base's layout."""
    lines = [
        f"# Synthetic knowledge base for benchmarks/scale.py: {len(document['tools'])} tools.",
        "# Generated by benchmarks/synthetic_kb.py; not the letter's advice.",
    ]
    _emit(document, 0, lines)
    return "\n".join(lines) + "\n"


def generate(tools: int) -> str:
    """The YAML text of a synthetic knowledge base with ``tools`` tools (``tools`` >= 1)."""
    if tools < 1:
        raise ValueError("at least one tool")
    return dump(knowledge_base(tools))


def main(argv: list[str] | None = None) -> int:
    """``synthetic_kb.py N [-o PATH]``: write the knowledge base (stdout without -o)."""
    parser = argparse.ArgumentParser(description="Write a synthetic gialai-remote knowledge base.")
    parser.add_argument("tools", type=int, help="number of tools (10, 100, 1000, 10000 ...)")
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.tools < 1:
        parser.error("at least one tool")
    text = generate(args.tools)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
