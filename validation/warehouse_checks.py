"""The warehouse's gate: each star table passes its suite (one PostgreSQL query each).

The star tables must hold the curated zone's rows and totals, with unique keys that resolve and
sound measures. One query per table computes every check of its suite, and Great Expectations
judges the results (:mod:`validation.run_suites`); on the aws profile, whose Airflow worker has
no Great Expectations (MWAA), the same bounds are judged without it, and no Data Docs are made.
The queries run on the warehouse the caller reaches (:mod:`lakehouse.warehouse.warehouse_rows`).
"""

from collections.abc import Mapping

from lakehouse.config import Profile, Settings
from lakehouse.schema import STAR_TABLES
from lakehouse.warehouse.ddl import SCHEMA
from lakehouse.warehouse.warehouse_rows import Rows
from validation.run_suites import SuitesOutcome, judge_table_suites, run_table_suites
from validation.suites import Totals, as_metrics, metrics_query, star_suite

GATE = "warehouse_suite"


def validate_warehouse(
    settings: Settings, rows: Rows, curated: Mapping[str, Totals], run_id: str = "adhoc"
) -> SuitesOutcome:
    """Run every star table's suite on the warehouse; returns rows and failed checks.

    Args:
        settings: Settings of the GX folder and the curated bucket (the Data Docs).
        rows: Runs a query on the warehouse.
        curated: Row count (and fact sums) of each curated table, which the warehouse must equal.
        run_id: Pipeline run id, the run name in the Data Docs.
    """
    suites = {
        table.name: star_suite(table, table.warehouse_columns, curated[table.name])
        for table in STAR_TABLES
    }
    metrics = {}
    for table in STAR_TABLES:
        suite = suites[table.name]
        (values,) = rows(metrics_query(table, suite, lambda name: f"{SCHEMA}.{name}"))
        names = [check.metric for check in suite]  # the query's columns, in order
        metrics[table.name] = as_metrics(dict(zip(names, values, strict=True)))
    if settings.profile is Profile.AWS:  # on the Airflow worker, which has no GX (MWAA)
        return judge_table_suites(suites, metrics)
    return run_table_suites(settings, GATE, suites, metrics, run_id)
