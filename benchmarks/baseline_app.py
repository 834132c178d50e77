"""The no-Typer baseline: what ``recommend --format json`` costs without a command-line framework.

    python benchmarks/baseline_app.py

Reads the shipped ``data/guidance.yaml`` with libyaml's ``CSafeLoader``, builds the model,
runs ``decide()`` for ``--role agency-staff --task meeting`` (the query every start-up row
uses) and prints the JSON answer, with nothing of Typer, click or rich imported and no cache:
the work a process must do at least, done the plain way. ``benchmarks/startup.py`` times it
next to the peer (the tldr client) and next to ours, so a row shows how much of our time is the
framework's and how much is the work's.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml

from gialai_remote.advice import Query
from gialai_remote.decide import decide
from gialai_remote.knowledge.build import build
from gialai_remote.render.json import advice_dict, dumps

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "guidance.yaml"


def main() -> int:
    """Print the advice as JSON; return 0 when a tool is recommended, else 1 (as ``recommend``)."""
    document = yaml.load(SHIPPED.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    kb = build(document, "<built-in>")
    query = Query(role="agency-staff", task="meeting", date=dt.date.today(), sensitivity_assumed=True)
    advice = decide(kb, query)
    sys.stdout.write(dumps(advice_dict(advice)))
    return 0 if advice.recommendations else 1


if __name__ == "__main__":
    sys.exit(main())
