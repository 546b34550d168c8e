"""Tasks of the local and docker profiles: each one calls the step `lakehouse run` calls."""

from dataclasses import asdict
from pathlib import Path
from typing import Any

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import XComArg

from lakehouse.catalog import register_tables
from lakehouse.config import load_settings
from lakehouse.ingest import land_raw, validate_s3
from lakehouse.pipeline import steps
from lakehouse.schema import star_table
from lakehouse.warehouse import create_schema, load_table
from sales_star_tasks.policies import ETL_TIMEOUT, TRANSIENT
from sales_star_tasks.run_context import read_run_date, read_run_id
from sales_star_tasks.step_task import step_task


def build_validate_s3() -> XComArg:
    """validate_s3: land the run's ``source`` folder when given, then check the raw partitions."""

    @step_task("validate_s3", **TRANSIENT)
    def check_raw_zone(**context: Any) -> dict[str, int]:
        settings, run_date = load_settings(), read_run_date(context)
        if source := context["params"].get("source"):
            land_raw.land_raw(settings, Path(source), run_date)
        return {
            name: len(keys) for name, keys in validate_s3.validate_s3(settings, run_date).items()
        }

    return check_raw_zone()


def build_run_crawler() -> XComArg:
    """run_crawler: the project's crawler registers raw tables and partitions in the catalog."""

    @step_task("run_crawler", **TRANSIENT)
    def run_crawler(**_context: Any) -> list[str]:
        report = register_tables.run_crawler(load_settings())
        return sorted({*report.created, *report.updated, *report.new_partitions})

    return run_crawler()


def build_wait_crawler() -> EmptyOperator:
    """wait_crawler: nothing to wait for locally, the project's crawler returns when it is done."""
    return EmptyOperator(task_id="wait_crawler", doc_md=build_wait_crawler.__doc__)


def build_run_glue_etl() -> XComArg:
    """run_glue_etl: the Spark job builds the star schema; its XCom is the rows per entity."""

    @step_task("run_glue_etl", execution_timeout=ETL_TIMEOUT, **TRANSIENT)
    def run_glue_etl(**context: Any) -> dict[str, dict[str, Any]]:
        report = steps.run_glue_etl(load_settings(), read_run_id(context), read_run_date(context))
        return {name: asdict(counts) for name, counts in report.entities.items()}

    return run_glue_etl()


def build_create_schema() -> XComArg:
    """create_schema: schemas, star and audit tables, daily tables, marts and views (idempotent)."""

    @step_task("create_schema", **TRANSIENT)
    def create_warehouse_schema(**_context: Any) -> list[str]:
        return create_schema.create_schema(load_settings())

    return create_warehouse_schema()


def build_load_table(table_name: str) -> XComArg:
    """load_<table>: apply the curated table's changes to the warehouse; XCom: rows applied."""

    @step_task(f"load_{table_name}", **TRANSIENT)
    def load_star_table(**_context: Any) -> int:
        return load_table.load_table(load_settings(), star_table(table_name))

    return load_star_table()
