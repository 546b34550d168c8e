"""One command per pipeline step, for running or debugging a step on its own."""

from pathlib import Path

import typer
from rich.console import Console

from lakehouse.cli.pipeline_commands import RUN_DATE_HELP, parse_run_date
from lakehouse.config import load_settings
from lakehouse.schema import star_table
from lakehouse.warehouse.ddl import Dialect, star_ddl

console = Console()
RUN_DATE = typer.Option(None, "--run-date", help=RUN_DATE_HELP)


def land_raw_command(
    source: Path = typer.Option(..., "--source", help="Folder of <entity>*.csv[.gz] files."),
    run_date: str = RUN_DATE,
) -> None:
    """Upload a source folder to the raw zone's ingest_date partition (unchanged files skipped)."""
    from lakehouse.ingest.land_raw import land_raw

    report = land_raw(load_settings(), source, parse_run_date(run_date))
    console.print(f"uploaded {len(report.uploaded)}, unchanged {len(report.unchanged)}")


def validate_s3_command(run_date: str = RUN_DATE) -> None:
    """Check each entity's raw partition: present, non-empty, with the contract's columns."""
    from lakehouse.ingest.validate_s3 import validate_s3

    keys = validate_s3(load_settings(), parse_run_date(run_date))
    for entity, entity_keys in keys.items():
        console.print(f"{entity}: {len(entity_keys)} file(s) ok")


def run_crawler_command() -> None:
    """Crawl the raw zone into the Glue catalog (tables, columns, types, partitions)."""
    from lakehouse.catalog.register_tables import run_crawler

    console.print(run_crawler(load_settings()))


def validate_catalog_command(run_date: str = RUN_DATE) -> None:
    """Check that the Glue catalog has the four raw tables, their columns and the partition."""
    from lakehouse.catalog.validate_catalog import validate_catalog

    validate_catalog(load_settings(), parse_run_date(run_date))
    console.print("catalog ok")


def run_glue_etl_command(run_date: str = RUN_DATE) -> None:
    """Run the Spark job: raw partition -> star schema as Delta tables in the curated zone.

    Like `lakehouse run`, it first checks that the curated zone still holds the warehouse's
    history, and stops if not (see `lakehouse rebuild`).
    """
    from lakehouse.pipeline.run_pipeline import new_run_id
    from lakehouse.pipeline.steps import run_glue_etl

    day = parse_run_date(run_date)
    console.print(run_glue_etl(load_settings(), new_run_id(day), day))


def validate_curated_command() -> None:
    """Check the published star tables with the curated suites (run_glue_etl runs them first).

    Keys unique and not null, the fact's keys resolve, measures and the net formula hold: the
    suites the job audits each batch's star with before it publishes it, on demand.
    """
    from lakehouse.pipeline.steps import spark_session
    from validation.curated_checks import validate_curated

    settings = load_settings()
    console.print(validate_curated(spark_session(settings), settings))


def create_schema_command() -> None:
    """Create the warehouse schemas, star and audit tables, daily tables, marts and views."""
    from lakehouse.warehouse.create_schema import create_schema

    console.print(f"applied: {', '.join(create_schema(load_settings()))}")


def load_table_command(
    table: str = typer.Argument(..., help="Star table, e.g. sales_fact."),
    full: bool = typer.Option(False, "--full", help="Copy the whole snapshot, not the changes."),
) -> None:
    """Bring one warehouse star table up to the curated table: its changes, or the snapshot."""
    from lakehouse.warehouse.load_table import load_table

    rows = load_table(load_settings(), star_table(table), full=full)
    console.print(f"{table}: {rows:,} rows applied")


def quality_checks_command() -> None:
    """Run the warehouse quality checks (rules and totals equal to the curated zone)."""
    from lakehouse.warehouse.quality_checks import run_quality_checks

    for result in run_quality_checks(load_settings()):
        console.print(f"ok {result.name}")


def refresh_mat_views_command() -> None:
    """Refresh the daily tables (the days the loads touched), then the marts."""
    from lakehouse.warehouse.refresh_mat_views import refresh_mat_views

    console.print(f"refreshed: {', '.join(refresh_mat_views(load_settings()))}")


def ddl_command(dialect: Dialect = typer.Option(Dialect.POSTGRES, help="SQL dialect.")) -> None:
    """Print the star tables' DDL generated from the schema source."""
    typer.echo(star_ddl(dialect))


STEP_COMMANDS = {
    "land-raw": land_raw_command,
    "validate-s3": validate_s3_command,
    "run-crawler": run_crawler_command,
    "validate-catalog": validate_catalog_command,
    "run-glue-etl": run_glue_etl_command,
    "validate-curated": validate_curated_command,
    "create-schema": create_schema_command,
    "load-table": load_table_command,
    "quality-checks": quality_checks_command,
    "refresh-mat-views": refresh_mat_views_command,
    "ddl": ddl_command,
}


def register(app: typer.Typer) -> None:
    """Add the step commands to ``app``."""
    for name, command in STEP_COMMANDS.items():
        app.command(name, rich_help_panel="Steps")(command)
