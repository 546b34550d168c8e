"""The Typer application: global error handling and command registration."""

import logging
import os

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


#: Commands that need no deployment found for them: they make or remove one, or do not use it.
_NO_DEPLOYMENT = frozenset(
    {"deploy", "destroy", "up", "down", "status", "generate", "ddl", "bench"}
)
#: Where a command's context keeps the names of the variables it adopted.
_ADOPTED = "lakehouse.adopted_variables"


class _Commands(TyperGroup):
    """The command group: a :class:`LakehouseError` prints its message (no trace), exit code 1.

    On the aws profile, a command that acts on the deployment finds what the environment does
    not name of it from its stacks (:func:`lakehouse.deploy.discovery.adopt_deployment`).
    """

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LakehouseError as error:
            errors.print(f"[bold red]error:[/] {error}", highlight=False)
            raise typer.Exit(1) from error
        finally:  # the command's own: a caller in this process (a test) keeps its environment
            for name in ctx.meta.pop(_ADOPTED, []):
                os.environ.pop(name, None)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command ``args`` name; on the aws profile, with the deployment found for it."""
        name, command, rest = super().resolve_command(ctx, args)
        if name not in _NO_DEPLOYMENT and "--help" not in rest:
            from lakehouse.deploy.discovery import adopt_deployment

            ctx.meta[_ADOPTED] = adopt_deployment(os.environ)
        return name, command, rest


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
