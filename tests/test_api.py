"""The public Python API: ``gialai_remote.__all__``, imported lazily, and clear errors for ids
the knowledge base does not have."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

import gialai_remote
from gialai_remote.describe import describe_tool
from gialai_remote.handout import build_handout

APRIL = dt.date(2020, 4, 15)
KB = gialai_remote.load_knowledge_base()


def test_import_is_cheap() -> None:
    """``import gialai_remote`` (the CLI's first import) loads none of the API's modules."""
    code = (
        "import sys, gialai_remote\n"
        "heavy = [m for m in ('gialai_remote.decide', 'gialai_remote.advice', 'gialai_remote.model',"
        " 'gialai_remote.knowledge', 'gialai_remote.rules', 'yaml', 'jsonschema') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_name_of_all_resolves() -> None:
    for name in gialai_remote.__all__:
        assert getattr(gialai_remote, name) is not None, name
    assert set(gialai_remote.__all__) == {"__version__", *gialai_remote._API}
    assert set(gialai_remote.__all__) <= set(dir(gialai_remote))
    with pytest.raises(AttributeError):
        _ = gialai_remote.no_such_name


def test_decide_and_check_are_the_functions_even_after_their_module_is_imported() -> None:
    import gialai_remote.decide
    from gialai_remote.decide import evaluate

    assert callable(evaluate)
    assert gialai_remote.decide is sys.modules["gialai_remote.decide"].decide
    assert gialai_remote.check is sys.modules["gialai_remote.decide"].check
    from gialai_remote import decide

    assert decide is gialai_remote.decide


def test_decide_and_check_through_the_api() -> None:
    query = gialai_remote.Query(role="agency-staff", task="meeting", date=APRIL, participants=12, lang="en")
    advice = gialai_remote.decide(KB, query)
    assert isinstance(advice, gialai_remote.Advice)
    assert [r.tool for r in advice.recommendations] == ["vnpt-meeting", "aic-emeeting"]
    assert advice.names == gialai_remote.QueryNames(
        role=KB.term("roles", "agency-staff").name.en,
        sensitivity=KB.term("sensitivities", "internal").name.en,
        task=KB.term("tasks", "meeting").name.en,
    )
    result = gialai_remote.check(KB, query, "polycom")
    assert isinstance(result, gialai_remote.CheckResult)
    assert [r.code for r in result.reasons] == ["role_not_allowed"]


UNKNOWN = [
    pytest.param({"role": "nobody"}, "roles", id="role"),
    pytest.param({"task": "dancing"}, "tasks", id="task"),
    pytest.param({"sensitivity": "top-secret"}, "sensitivities", id="sensitivity"),
    pytest.param({"platform": "amiga"}, "platforms", id="platform"),
]


@pytest.mark.parametrize(("changes", "kind"), UNKNOWN)
def test_an_unknown_id_is_a_clear_error(changes: dict[str, str], kind: str) -> None:
    fields: dict[str, object] = {"role": "agency-staff", "task": "meeting", "date": APRIL, "lang": "en", **changes}
    query = gialai_remote.Query(**fields)  # type: ignore[arg-type]
    for call in (lambda: gialai_remote.decide(KB, query), lambda: gialai_remote.check(KB, query, "zalo")):
        with pytest.raises(gialai_remote.UnknownIdError) as info:
            call()
        error = info.value
        assert isinstance(error, KeyError) and isinstance(error, gialai_remote.UsageError)
        value = next(iter(changes.values()))
        assert (error.kind, error.value) == (kind, value)
        assert error.choices == tuple(item.id for item in getattr(KB, kind))
        assert str(error) == error.message
        assert str(error).startswith("The knowledge base has no ") and f'"{value}"' in str(error)
        assert str(error).endswith(f"choose one of: {', '.join(error.choices)}.")
        assert error.exit_code == 2


def test_an_unknown_tool_is_a_clear_error() -> None:
    query = gialai_remote.Query(role="agency-staff", task=None, date=APRIL)
    with pytest.raises(gialai_remote.UnknownIdError, match='"no-such-tool"') as info:
        gialai_remote.check(KB, query, "no-such-tool")
    assert info.value.kind == "tools" and "zalo" in info.value.choices
    assert str(info.value).startswith('Cơ sở tri thức không có công cụ "no-such-tool"')
    with pytest.raises(KeyError):
        describe_tool(KB, "no-such-tool", APRIL, "en")
    with pytest.raises(gialai_remote.UnknownIdError):
        build_handout(KB, "no-such-tool", date=APRIL)
    with pytest.raises(gialai_remote.UnknownIdError):
        build_handout(KB, "zalo", date=APRIL, platform="amiga")
