"""Conformed dimensions with surrogate keys that never change once given to a natural key."""

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from lakehouse.schema import ColumnType, StarTable
from lakehouse.schema.star import UNKNOWN_ID, UNKNOWN_KEY, UNKNOWN_TEXT
from spark_app.schemas import as_table, spark_schema
from spark_app.transforms.surrogate_keys import number_new_keys

#: Columns that are not copied from the source entity by name, as Spark SQL expressions.
DERIVED_COLUMNS: dict[str, dict[str, str]] = {
    "customer_dim": {"full_name": "concat(first_name, ' ', last_name)"},
}


def dimension_attributes(staged: DataFrame, table: StarTable) -> DataFrame:
    """Natural key and attributes of a dimension from the entity's staged rows (no keys yet)."""
    derived = DERIVED_COLUMNS.get(table.name, {})
    return staged.select(
        *[
            F.expr(derived.get(column.name, column.name)).alias(column.name)
            for column in table.columns
            if column.name != table.key
        ]
    )


def merge_dimension(existing: DataFrame | None, incoming: DataFrame, table: StarTable) -> DataFrame:
    """The dimension after a batch: keys kept, attributes updated in place, new members appended.

    New natural keys get keys above the largest key given so far, in natural-key order, so a
    re-run of the same batch assigns the same keys. The unknown member ``-1`` is always present.
    """
    spark = incoming.sparkSession
    schema = spark_schema(table)
    current = existing if existing is not None else unknown_member(spark, table).limit(0)
    current = current.where(F.col(table.key) != UNKNOWN_KEY)
    nk, key = table.natural_key, table.key
    known = incoming.join(current.select(nk, key), nk, "left")
    fresh = number_new_keys(known, key, nk, current)
    updated = known.where(F.col(key).isNotNull())
    untouched = current.join(incoming.select(nk), nk, "left_anti")
    members = [untouched, updated, fresh, unknown_member(spark, table)]
    combined = members[0].select(*schema.fieldNames())
    for frame in members[1:]:
        combined = combined.unionByName(frame.select(*schema.fieldNames()))
    return as_table(combined, table)


def unknown_member(spark: SparkSession, table: StarTable) -> DataFrame:
    """The single ``-1`` row of a dimension.

    Made of literals over a one-row range, not from Python rows: a local session ships Python
    rows to Python worker processes, which each query reading them would start and feed.
    """
    values = {}
    for column in table.columns:
        if column.name == table.key:
            values[column.name] = UNKNOWN_KEY
        elif column.name == table.natural_key:
            values[column.name] = UNKNOWN_ID
        else:
            values[column.name] = UNKNOWN_TEXT if column.type is ColumnType.TEXT else None
    return spark.range(1).select(
        *[
            F.lit(values[field.name]).cast(field.dataType).alias(field.name)
            for field in spark_schema(table).fields
        ]
    )
