"""Checks of the published curated zone: keys unique and not null, the fact's keys resolve."""

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from lakehouse.schema import STAR_TABLES, StarTable
from lakehouse.schema.star import DATE_DIM, SALES_FACT
from spark_app.delta_io import read_table
from spark_app.transforms.fct_sales import KEYED_DIMENSIONS

FACT_REFERENCES = (*KEYED_DIMENSIONS, DATE_DIM)


def validate_curated(spark: SparkSession, settings: Settings) -> dict[str, int]:
    """Check every star table; returns rows per table, or raises naming every failed check.

    Raises:
        DataQualityError: A table is missing or empty, a key repeats or is NULL, or a fact key
            does not resolve to its dimension.
    """
    tables = {
        table.name: read_table(spark, settings.curated_url(table.name)) for table in STAR_TABLES
    }
    missing = [name for name, frame in tables.items() if frame is None]
    if missing:
        raise DataQualityError(
            f"gate validate_curated failed: no Delta table for {', '.join(missing)} in "
            f"{settings.curated_url()}; the transform did not publish them"
        )
    rows, problems = {}, []
    for table in STAR_TABLES:
        rows[table.name], table_problems = _key_problems(tables[table.name], table)
        problems += table_problems
    problems += _reference_problems(tables)
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise DataQualityError(f"gate validate_curated failed:\n{listed}")
    return rows


def _key_problems(frame: DataFrame, table: StarTable) -> tuple[int, list[str]]:
    """Rows of the table and what is wrong with its keys (empty, NULL or repeated), in one job."""
    keys = [key for key in (table.key, table.natural_key) if key]
    row = frame.agg(
        F.count(F.lit(1)).alias("rows"),
        *[F.count_distinct(key).alias(f"distinct_{key}") for key in keys],
        *[F.sum(F.col(key).isNull().cast("int")).alias(f"null_{key}") for key in keys],
    ).first()
    problems = [] if row["rows"] else [f"{table.name} is empty"]
    for key in keys:
        if row[f"null_{key}"]:
            problems.append(f"{table.name}.{key} has {row[f'null_{key}']} NULL values")
        if row[f"distinct_{key}"] != row["rows"]:
            problems.append(f"{table.name}.{key} is not unique")
    return row["rows"], problems


def _reference_problems(tables: dict[str, DataFrame]) -> list[str]:
    """Fact rows whose key is missing from each referenced dimension, in one Spark job."""
    fact = tables[SALES_FACT.name]
    for dimension in FACT_REFERENCES:
        found = tables[dimension.name].select(
            dimension.key, F.lit(True).alias(f"_in_{dimension.name}")
        )
        fact = fact.join(F.broadcast(found), dimension.key, "left")
    row = fact.agg(
        *[F.sum(F.col(f"_in_{d.name}").isNull().cast("int")).alias(d.name) for d in FACT_REFERENCES]
    ).first()
    return [
        f"{row[d.name]} sales_fact rows have a {d.key} not in {d.name}"
        for d in FACT_REFERENCES
        if row[d.name]
    ]
