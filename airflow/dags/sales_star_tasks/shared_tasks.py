"""Tasks that are the same on every profile: the catalog and warehouse gates, the marts' refresh."""

from typing import Any

from airflow.sdk import XComArg

from lakehouse.catalog.validate_catalog import validate_catalog
from lakehouse.config import load_settings
from lakehouse.warehouse.quality_checks import run_quality_checks
from lakehouse.warehouse.refresh_mat_views import refresh_mat_views
from sales_star_tasks.outcome import record_success
from sales_star_tasks.policies import GATE, TRANSIENT
from sales_star_tasks.run_context import read_run_date, read_run_id
from sales_star_tasks.step_task import step_task
from sales_star_tasks.task_settings import task_settings


def build_validate_catalog() -> XComArg:
    """validate_catalog: every raw table and the run date's partitions are in the catalog."""

    @step_task("validate_catalog", **GATE)
    def check_catalog(**context: Any) -> None:
        validate_catalog(load_settings(), read_run_date(context))

    return check_catalog()


def build_quality_checks() -> XComArg:
    """quality_checks: SQL rules and warehouse totals equal to the curated zone's."""

    @step_task("quality_checks", **GATE)
    def check_warehouse(**context: Any) -> list[str]:
        checks = run_quality_checks(task_settings(), read_run_id(context))
        return [result.name for result in checks]

    return check_warehouse()


def build_refresh_mat_views(step_ids: list[str]) -> XComArg:
    """refresh_mat_views: refresh the marts, then audit the run and publish its metrics."""

    @step_task("refresh_mat_views", **TRANSIENT)
    def refresh_views(**context: Any) -> list[str]:
        refreshed = refresh_mat_views(task_settings())
        record_success(context, step_ids)
        return refreshed

    return refresh_views()
