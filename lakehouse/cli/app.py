"""The Typer application: global error handling and command registration."""

import logging

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from lakehouse.cli import (
    airflow_commands,
    bench_commands,
    dashboard_commands,
    deploy_commands,
    docs_commands,
    lock_commands,
    pipeline_commands,
    rebuild_commands,
    stack_commands,
    step_commands,
)
from lakehouse.errors import LakehouseError

errors = Console(stderr=True)


class _Commands(TyperGroup):
    """The command group: a :class:`LakehouseError` prints its message (no trace), exit code 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LakehouseError as error:
            errors.print(f"[bold red]error:[/] {error}", highlight=False)
            raise typer.Exit(1) from error


app = typer.Typer(
    cls=_Commands,
    name="lakehouse",
    help=(
        "A local-first lakehouse replica of an AWS retail-analytics star-schema pipeline.\n\n"
        "The active profile comes from LAKEHOUSE_PROFILE (local | docker | aws; default local)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
stack_commands.register(app)
pipeline_commands.register(app)
rebuild_commands.register(app)
lock_commands.register(app)
step_commands.register(app)
dashboard_commands.register(app)
docs_commands.register(app)
airflow_commands.register(app)
deploy_commands.register(app)
bench_commands.register(app)


def main() -> None:
    """Run the CLI, warnings and errors of its libraries logged to stderr."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
