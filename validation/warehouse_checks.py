"""The warehouse's gate: each star table passes its suite (one PostgreSQL query each).

The star tables must hold the curated zone's rows and totals, with unique keys that resolve and
sound measures. One query per table computes every check of its suite, and Great Expectations
judges the results (:mod:`validation.run_suites`). The credentials come from the settings
(Secrets Manager).
"""

from collections.abc import Mapping

from lakehouse.config import Settings
from lakehouse.resources.warehouse import connect
from lakehouse.schema import STAR_TABLES
from lakehouse.warehouse.ddl import SCHEMA
from validation.run_suites import SuitesOutcome, run_table_suites
from validation.suites import Totals, as_metrics, metrics_query, star_suite

GATE = "warehouse_suite"


def validate_warehouse(
    settings: Settings, curated: Mapping[str, Totals], run_id: str = "adhoc"
) -> SuitesOutcome:
    """Run every star table's suite on the warehouse; returns rows and failed checks.

    Args:
        settings: Settings of the warehouse and the state directory.
        curated: Row count (and fact sums) of each curated table, which the warehouse must equal.
        run_id: Pipeline run id, the run name in the Data Docs.
    """
    suites = {
        table.name: star_suite(table, table.warehouse_columns, curated[table.name])
        for table in STAR_TABLES
    }
    metrics = {}
    with connect(settings) as connection:
        for table in STAR_TABLES:
            query = metrics_query(table, suites[table.name], lambda name: f"{SCHEMA}.{name}")
            cursor = connection.execute(query)
            names = [column.name for column in cursor.description]
            metrics[table.name] = as_metrics(dict(zip(names, cursor.fetchone(), strict=True)))
    return run_table_suites(settings, GATE, suites, metrics, run_id)
