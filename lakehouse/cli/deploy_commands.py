"""`lakehouse deploy | destroy`: the pipeline on AWS (or on the emulator, with AWS_ENDPOINT_URL)."""

import dataclasses
import shlex
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from lakehouse.config import Settings, load_settings
from lakehouse.deploy.plan import DeployOptions, Encryption, WarehouseKind

if TYPE_CHECKING:
    from lakehouse.deploy.run_deploy import DeployReport

console = Console()
PROFILE = typer.Option(
    None, "--profile", help="Profile to deploy with (default: LAKEHOUSE_PROFILE); `make` uses aws."
)
REGION = typer.Option(None, "--region", help="AWS region (default: AWS_REGION, else us-east-1).")
PREFIX = typer.Option(
    "lakehouse",
    "--stack-prefix",
    envvar="LAKEHOUSE_STACK_PREFIX",
    help="Prefix of every stack and name; the aws profile's other commands find the deployment"
    " of LAKEHOUSE_STACK_PREFIX (default lakehouse) when the environment does not name it.",
)


def _settings(profile: str | None, region: str | None) -> Settings:
    settings = load_settings(profile=profile)
    return settings if region is None else dataclasses.replace(settings, region=region)


def deploy(
    profile: str | None = PROFILE,
    region: str | None = REGION,
    stack_prefix: str = PREFIX,
    warehouse: WarehouseKind = typer.Option(
        WarehouseKind.SERVERLESS, "--warehouse", help="Redshift Serverless or a cluster."
    ),
    encryption: Encryption = typer.Option(Encryption.KMS, "--encryption", help="Bucket keys."),
    base_capacity: int = typer.Option(8, "--base-capacity", help="Serverless RPUs (8 to 128)."),
    node_type: str = typer.Option("ra3.large", "--node-type", help="Provisioned node type."),
    nodes: int = typer.Option(1, "--nodes", help="Provisioned nodes (1 = single-node)."),
    glue_workers: int = typer.Option(2, "--glue-workers", help="G.1X workers of the Glue job."),
    mwaa: bool = typer.Option(
        False,
        "--mwaa",
        help="Also create an MWAA environment (<prefix>-airflow) that runs the DAG in the"
        " warehouse's private subnets; without it, attach an Airflow of your own.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Print the change sets and the DDL; change nothing."
    ),
) -> None:
    """Deploy buckets, IAM, network, Redshift, Glue and alarms, then the warehouse DDL."""
    from lakehouse.deploy.aws_errors import reported_as_service_errors
    from lakehouse.deploy.run_deploy import deploy as run_deploy
    from lakehouse.deploy.run_deploy import preview

    settings = _settings(profile, region)
    options = DeployOptions(
        prefix=stack_prefix,
        warehouse_kind=warehouse,
        encryption=encryption,
        base_capacity=base_capacity,
        node_type=node_type,
        nodes=nodes,
        glue_workers=glue_workers,
        mwaa=mwaa,
    )
    with reported_as_service_errors("lakehouse deploy"):
        if dry_run:
            for line in preview(settings, options):
                console.print(line, highlight=False, markup=False)
            return
        report = run_deploy(settings, options)
    print_report(report)


def print_report(report: "DeployReport") -> None:
    """What was created, the environment of the aws profile and the Airflow Variables."""
    console.print(f"[bold]deployed[/] to account {report.account}, region {report.region}:")
    for line in report.resources:
        console.print(f"  {line}", highlight=False)
    console.print(f"  Redshift DDL: {len(report.statement_ids)} statements through the Data API")
    console.print("\n[bold]Point the pipeline at it[/] (eval these lines):")
    for name, value in report.env.items():
        _print_whole(f"export {name}={shlex.quote(value)}")
    console.print("\n[bold]Airflow Variables[/] for the aws DAG:")
    for name, value in report.airflow_variables.items():
        _print_whole(f"airflow variables set {name} {shlex.quote(value)}")


def _print_whole(line: str) -> None:
    """Print a command line as it is, to be pasted: no wrapping, markup, colours or emoji.

    Rich would turn the ``:secret:`` of a secret's ARN into an emoji.
    """
    console.print(line, highlight=False, markup=False, emoji=False, soft_wrap=True)


def destroy(
    profile: str | None = PROFILE,
    region: str | None = REGION,
    stack_prefix: str = PREFIX,
    delete_data: bool = typer.Option(
        False,
        "--delete-data",
        help="Also delete the storage stack, empty and delete its buckets, retire the KMS key.",
    ),
    yes: bool = typer.Option(False, "--yes", help="Confirm; destroy refuses without it."),
) -> None:
    """Remove what `lakehouse deploy` created; its storage and data stay unless --delete-data.

    Deploying again after a destroy that kept the data finds the buckets and the key as they were.
    """
    if not yes:
        raise typer.BadParameter(
            "destroy deletes the deployment's stacks; pass --yes (make destroy-aws YES=1)"
        )
    from lakehouse.deploy.aws_errors import reported_as_service_errors
    from lakehouse.deploy.destroy import destroy as destroy_deployment

    with reported_as_service_errors("lakehouse destroy"):
        removed = destroy_deployment(
            _settings(profile, region), DeployOptions(prefix=stack_prefix), delete_data
        )
    console.print("[bold]destroyed[/]" if removed else "nothing to remove")
    for line in removed:
        console.print(f"  {line}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the deployment commands to ``app``."""
    for command in (deploy, destroy):
        app.command(rich_help_panel="Deploy")(command)
