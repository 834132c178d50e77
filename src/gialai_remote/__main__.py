"""``python -m gialai_remote``."""

from gialai_remote.cli.entry import cli

cli()
