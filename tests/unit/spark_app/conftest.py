"""Helpers for the Spark unit tests: tiny frames from explicit rows, results as sorted tuples."""

from pyspark.sql import DataFrame
from pyspark.sql import types as T

from lakehouse.schema import RawEntity


def text_schema(entity: RawEntity) -> T.StructType:
    """The entity's contract columns as text, the way extract hands them over."""
    return T.StructType([T.StructField(name, T.StringType()) for name in entity.column_names])


def sorted_rows(frame: DataFrame, *columns: str) -> list[tuple]:
    """Rows of ``frame`` (all columns, or ``columns``) as tuples, sorted."""
    selected = frame.select(*columns) if columns else frame
    return sorted(tuple(row) for row in selected.collect())
