"""The curated zone's gate: each star table passes its suite (one Spark job for them all).

The suites come from :mod:`validation.suites`: keys unique and not null, every fact key found in
its dimension, measures non-negative, the net formula. Each table is a temporary view; one Spark
SQL query per table computes every check of its suite (the queries of all tables run as one Spark
job), and Great Expectations judges the results (:mod:`validation.run_suites`).

The job runs the gate on the star as it is about to publish it (:func:`audit_star`), so a failed
suite leaves the curated zone as it was; when the published tables passed it before, the fact's
checks read the batch's changes only (:mod:`validation.fact_changes`). :func:`validate_curated`
runs the same suites on the published Delta tables, on demand.
"""

from collections.abc import Mapping

from pyspark.sql import DataFrame, SparkSession

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from lakehouse.schema import STAR_TABLES
from lakehouse.schema.star import SALES_FACT
from spark_app.collect_together import collect_together
from spark_app.delta_io import read_table
from spark_app.temp_views import temp_views
from validation.fact_changes import FactChanges, overlap_counts, whole_fact_metrics
from validation.run_suites import run_table_suites
from validation.suites import Check, Metrics, as_metrics, metrics_query, star_suite

GATE = "curated_suite"
#: The part of the gate's Spark job that counts how the fact's changes meet the published rows.
_OVERLAP = "_overlap"


def curated_view(table: str) -> str:
    """Name of the temporary view that holds a star table during the gate."""
    return f"curated_{table}"


def audit_star(
    spark: SparkSession,
    settings: Settings,
    tables: Mapping[str, DataFrame],
    run_id: str,
    fact_changes: FactChanges | None = None,
) -> dict[str, int]:
    """Run every star table's suite on ``tables`` (star table name -> frame); rows per table.

    Args:
        spark: The session.
        settings: Settings of the GX folder and the curated bucket (the Data Docs).
        tables: Each star table as it is about to be published.
        run_id: Pipeline run id, the run name in the Data Docs.
        fact_changes: The batch's changes to a published fact that passed the suite before:
            the fact's checks then read them instead of the whole fact.

    Raises:
        DataQualityError: A check failed (each one is named, with where the Data Docs are).
    """
    suites = {table.name: star_suite(table, table.columns) for table in STAR_TABLES}
    metrics = star_metrics(spark, suites, tables, fact_changes)
    outcome = run_table_suites(settings, GATE, suites, metrics, run_id)
    outcome.raise_on_failure(GATE)
    return outcome.rows


def star_metrics(
    spark: SparkSession,
    suites: Mapping[str, list[Check]],
    tables: Mapping[str, DataFrame],
    fact_changes: FactChanges | None = None,
) -> dict[str, Metrics]:
    """Each star table's metrics for its suite, from one Spark job (see :func:`audit_star`)."""
    audited = dict(tables)
    if fact_changes is not None:
        audited[SALES_FACT.name] = fact_changes.changes
    with temp_views(spark, {curated_view(name): frame for name, frame in audited.items()}):
        queries = {
            table.name: spark.sql(metrics_query(table, suites[table.name], curated_view))
            for table in STAR_TABLES
        }
        if fact_changes is not None:
            queries[_OVERLAP] = overlap_counts(fact_changes)
        rows = collect_together(queries)
    metrics = {table.name: as_metrics(rows[table.name][0]) for table in STAR_TABLES}
    if fact_changes is not None:
        fact = SALES_FACT.name
        metrics[fact] = whole_fact_metrics(metrics[fact], rows[_OVERLAP][0])
    return metrics


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
