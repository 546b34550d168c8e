"""The curated zone's gate: each star table passes its suite (one Spark job for them all).

The suites come from :mod:`validation.suites`: keys unique and not null, every fact key found in
its dimension, measures non-negative, the net formula. Each table is a temporary view; one Spark
SQL query per table computes every check of its suite (the queries of all tables run as one Spark
job), and Great Expectations judges the results (:mod:`validation.run_suites`).

The job runs the gate on the star as it is about to publish it (:func:`audit_star`), so a failed
suite leaves the curated zone as it was; :func:`validate_curated` runs the same suites on the
published Delta tables, on demand.
"""

from collections.abc import Mapping

from pyspark.sql import DataFrame, SparkSession

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from lakehouse.schema import STAR_TABLES
from spark_app.collect_together import collect_together
from spark_app.delta_io import read_table
from spark_app.temp_views import temp_views
from validation.run_suites import run_table_suites
from validation.suites import as_metrics, metrics_query, star_suite

GATE = "curated_suite"


def curated_view(table: str) -> str:
    """Name of the temporary view that holds a star table during the gate."""
    return f"curated_{table}"


def audit_star(
    spark: SparkSession, settings: Settings, tables: Mapping[str, DataFrame], run_id: str
) -> dict[str, int]:
    """Run every star table's suite on ``tables`` (star table name -> frame); rows per table.

    Raises:
        DataQualityError: A check failed (each one is named, with where the Data Docs are).
    """
    suites = {table.name: star_suite(table, table.columns) for table in STAR_TABLES}
    with temp_views(spark, {curated_view(name): frame for name, frame in tables.items()}):
        queries = {
            table.name: spark.sql(metrics_query(table, suites[table.name], curated_view))
            for table in STAR_TABLES
        }
        metrics = {name: as_metrics(rows[0]) for name, rows in collect_together(queries).items()}
    outcome = run_table_suites(settings, GATE, suites, metrics, run_id)
    outcome.raise_on_failure(GATE)
    return outcome.rows


def validate_curated(
    spark: SparkSession, settings: Settings, run_id: str = "adhoc"
) -> dict[str, int]:
    """Run every star table's suite on its published Delta table; returns rows per table.

    Raises:
        DataQualityError: A table is missing, or a check failed (each one is named).
    """
    frames = {
        table.name: read_table(spark, settings.curated_url(table.name)) for table in STAR_TABLES
    }
    published = {name: frame for name, frame in frames.items() if frame is not None}
    missing = [name for name in frames if name not in published]
    if missing:
        raise DataQualityError(
            f"gate {GATE} failed: no Delta table for {', '.join(missing)} in "
            f"{settings.curated_url()}; the transform did not publish them",
            gate=GATE,
        )
    return audit_star(spark, settings, published, run_id)
