"""The warehouse's gate: each star table passes its expectation suite (GX on PostgreSQL).

The star tables must hold the curated zone's rows and totals, with unique keys that resolve and
sound measures. The credentials come from the settings (Secrets Manager); the data source
lives only in memory.
"""

from collections.abc import Mapping
from typing import Any

from lakehouse.config import Settings
from lakehouse.resources.warehouse import read_credentials
from lakehouse.schema import STAR_TABLES
from lakehouse.warehouse.ddl import SCHEMA
from validation.run_suites import SuitesOutcome, new_context, run_table_suites
from validation.suites import Totals, star_suite

GATE = "warehouse_suite"
DATA_SOURCE = "warehouse"


def validate_warehouse(
    settings: Settings, curated: Mapping[str, Totals], run_id: str = "adhoc"
) -> SuitesOutcome:
    """Run every star table's suite on the warehouse; returns rows and failed expectations.

    Args:
        settings: Settings of the warehouse and the state directory.
        curated: Row count (and fact sums) of each curated table, which the warehouse must equal.
        run_id: Pipeline run id, the run name in the Data Docs.
    """
    suites = {
        table.name: star_suite(
            table, table.warehouse_columns, lambda name: f"{SCHEMA}.{name}", curated[table.name]
        )
        for table in STAR_TABLES
    }
    context = new_context(settings)
    source = context.data_sources.add_postgres(
        DATA_SOURCE, connection_string=read_credentials(settings).dsn
    )

    def add_batch(_context: Any, table: str) -> Any:
        asset = source.add_table_asset(table, table_name=table, schema_name=SCHEMA)
        return asset.add_batch_definition_whole_table(table)

    return run_table_suites(settings, context, GATE, suites, add_batch, lambda _: None, run_id)
