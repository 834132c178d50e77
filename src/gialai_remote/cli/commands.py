"""Importing this module registers every command on :data:`gialai_remote.cli.app.app`."""

from gialai_remote.cli import recommend  # noqa: F401
from gialai_remote.cli import doctor  # noqa: F401
