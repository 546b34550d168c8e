"""Checks of the published curated zone: keys unique and not null, the fact's keys resolve."""

from functools import reduce

from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql import functions as F

from lakehouse.config import Settings
from lakehouse.errors import DataQualityError
from lakehouse.schema import STAR_TABLES, star_table
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
    profiles = _profile_keys(tables)
    problems = [problem for profile in profiles for problem in _key_problems(profile)]
    problems += _reference_problems(tables)
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise DataQualityError(f"gate validate_curated failed:\n{listed}")
    return {profile["table_name"]: profile["rows"] for profile in profiles}


def _profile_keys(tables: dict[str, DataFrame]) -> list[Row]:
    """Per table: rows, and NULL and distinct counts of its surrogate and natural keys (one job)."""
    profiles = []
    for table in STAR_TABLES:
        natural = F.col(table.natural_key) if table.natural_key else F.lit("")
        profiles.append(
            tables[table.name].agg(
                F.lit(table.name).alias("table_name"),
                F.count(F.lit(1)).alias("rows"),
                F.sum(F.col(table.key).isNull().cast("int")).alias("key_nulls"),
                F.count_distinct(table.key).alias("key_distinct"),
                F.sum(natural.isNull().cast("int")).alias("natural_nulls"),
                F.count_distinct(natural).alias("natural_distinct"),
            )
        )
    return reduce(DataFrame.unionByName, profiles).collect()


def _key_problems(profile: Row) -> list[str]:
    """What is wrong with one table's keys: empty table, NULL or repeated keys."""
    table = star_table(profile["table_name"])
    if not profile["rows"]:
        return [f"{table.name} is empty"]
    problems = []
    for kind, column in (("key", table.key), ("natural", table.natural_key)):
        if column is None:
            continue
        if profile[f"{kind}_nulls"]:
            problems.append(f"{table.name}.{column} has {profile[f'{kind}_nulls']} NULL values")
        if profile[f"{kind}_distinct"] + (profile[f"{kind}_nulls"] or 0) != profile["rows"]:
            problems.append(f"{table.name}.{column} is not unique")
    return problems


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
