"""The `lakehouse` command line: one dispatcher with verb-noun subcommands."""

from lakehouse.cli.app import main

__all__ = ["main"]
