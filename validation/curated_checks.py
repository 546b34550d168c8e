"""The curated zone's gate: each published star table passes its expectation suite (GX on Spark).

The suites come from :mod:`validation.suites`: keys unique and not null, every fact key found in
its dimension, measures non-negative, the net formula. Each Delta table is one DataFrame asset of
a Spark data source; the dimensions are also temporary views, for the fact's reference checks.
"""

from typing import Any

from pyspark import StorageLevel
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from lakehouse.schema import STAR_TABLES
from spark_app.delta_io import read_table
from validation.run_suites import new_context, run_table_suites
from validation.suites import star_suite

GATE = "curated_suite"
DATA_SOURCE = "curated_zone"


def curated_view(table: str) -> str:
    """Name of the temporary view that holds a curated table during the gate."""
    return f"curated_{table}"


def validate_curated(
    spark: SparkSession, settings: Settings, run_id: str = "adhoc"
) -> dict[str, int]:
    """Run every star table's suite on its curated Delta table; returns rows per table.

    Raises:
        DataQualityError: A table is missing, or an expectation failed (each one is named).
    """
    frames = {
        table.name: read_table(spark, settings.curated_url(table.name)) for table in STAR_TABLES
    }
    missing = [name for name, frame in frames.items() if frame is None]
    if missing:
        raise DataQualityError(
            f"gate {GATE} failed: no Delta table for {', '.join(missing)} in "
            f"{settings.curated_url()}; the transform did not publish them",
            gate=GATE,
        )
    for name, frame in frames.items():
        # Every expectation reads its table again: cache each snapshot once.
        frame.persist(StorageLevel.MEMORY_AND_DISK)
        frame.createOrReplaceTempView(curated_view(name))
    suites = {table.name: star_suite(table, table.columns, curated_view) for table in STAR_TABLES}
    context = new_context(settings)
    source = context.data_sources.add_spark(DATA_SOURCE)

    def add_batch(_context: Any, table: str) -> Any:
        return source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)

    try:
        outcome = run_table_suites(
            settings,
            context,
            GATE,
            suites,
            add_batch,
            lambda table: {"dataframe": frames[table]},
            run_id,
        )
    finally:
        for frame in frames.values():
            frame.unpersist()
    outcome.raise_on_failure(GATE)
    return outcome.rows
