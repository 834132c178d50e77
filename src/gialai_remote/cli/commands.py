"""Importing this module registers every command on :data:`gialai_remote.cli.app.app`."""

from gialai_remote.cli import (
    browse,  # noqa: F401
    doctor,  # noqa: F401
    handout,  # noqa: F401
    recommend,  # noqa: F401
)
