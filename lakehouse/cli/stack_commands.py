"""`lakehouse up | down | status | env | reset`: the embedded stack and its environment."""

import dataclasses

import typer
from rich.console import Console
from rich.table import Table

from lakehouse.config import load_settings

console = Console()


def up(
    spark_cluster: bool = typer.Option(
        False,
        "--spark-cluster",
        help="Also start a standalone Spark master and worker (or LAKEHOUSE_SPARK_CLUSTER=true).",
    ),
    enforce_iam: bool = typer.Option(
        False,
        "--enforce-iam",
        help="Start the emulator with IAM evaluated: a role's session (STS AssumeRole) may call"
        " only what its role's policies allow; the root test credentials stay unrestricted"
        " (or LAKEHOUSE_ENFORCE_IAM=true). Takes effect when the emulator starts.",
    ),
) -> None:
    """Start the embedded stack (S3/Glue/Secrets Manager emulator, PostgreSQL, warm Spark engine).

    Idempotent. Runs share the engine (Spark Connect); LAKEHOUSE_SPARK_ENGINE=false leaves it off.
    """
    from lakehouse.stack.manager import bring_up
    from lakehouse.stack.spark_cluster import cluster_url

    settings = load_settings()
    if spark_cluster:
        settings = dataclasses.replace(settings, spark_cluster=True)
    if enforce_iam:
        settings = dataclasses.replace(settings, enforce_iam=True)
    started = bring_up(settings)
    console.print(f"started: {', '.join(started)}" if started else "already up")
    status()
    if settings.spark_cluster and not settings.spark_master.startswith("spark://"):
        console.print(
            f"Spark cluster: {cluster_url(settings)}; jobs run on it with"
            " LAKEHOUSE_SPARK_CLUSTER=true (or LAKEHOUSE_SPARK_MASTER set to that URL)"
        )


def down() -> None:
    """Stop the services that `lakehouse up` started."""
    from lakehouse.stack.manager import bring_down

    stopped = bring_down(load_settings())
    console.print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


def status() -> None:
    """Show each service of the embedded stack, its endpoint and health."""
    from lakehouse.stack.manager import read_status

    table = Table("service", "endpoint", "state", "pid", "detail")
    for service in read_status(load_settings()):
        state = "healthy" if service.healthy else ("running" if service.running else "stopped")
        table.add_row(
            service.name, service.endpoint, state, str(service.pid or "-"), service.detail
        )
    console.print(table)


def env() -> None:
    """Print `export NAME=value` lines for the active profile: eval "$(lakehouse env)"."""
    from lakehouse.stack.env import env_lines

    for line in env_lines(load_settings()):
        typer.echo(line)


def reset(
    yes: bool = typer.Option(
        False, "--yes", help="Confirm: this deletes the lake and warehouse data."
    ),
) -> None:
    """Empty the lake buckets, catalog tables and warehouse schemas; the stack stays up."""
    if not yes:
        raise typer.BadParameter("reset deletes every table and object; pass --yes to confirm")
    from lakehouse.stack.reset import reset_stack

    reset_stack(load_settings())
    console.print("reset: buckets emptied, catalog tables and warehouse schemas dropped")


def register(app: typer.Typer) -> None:
    """Add the stack commands to ``app``."""
    for command in (up, down, status, env, reset):
        app.command(rich_help_panel="Stack")(command)
