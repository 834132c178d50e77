"""``python -m gialai_remote``."""

from gialai_remote.cli.main import cli

cli()
