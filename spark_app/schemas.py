"""Spark schemas derived from the single schema source."""

from pyspark.sql import types as T

from lakehouse.schema import ColumnType, StarTable
from lakehouse.schema.types import MONEY_DECIMAL, RAW_DECIMAL

SPARK_TYPES: dict[ColumnType, T.DataType] = {
    ColumnType.TEXT: T.StringType(),
    ColumnType.DATE: T.DateType(),
    ColumnType.INTEGER: T.IntegerType(),
    ColumnType.BIGINT: T.LongType(),
    ColumnType.SMALLINT: T.ShortType(),
    ColumnType.DECIMAL: T.DecimalType(*RAW_DECIMAL),
    ColumnType.MONEY: T.DecimalType(*MONEY_DECIMAL),
    ColumnType.BOOLEAN: T.BooleanType(),
}


def spark_schema(table: StarTable) -> T.StructType:
    """Spark schema of a star table in the curated zone."""
    return T.StructType(
        [T.StructField(c.name, SPARK_TYPES[c.type], c.nullable) for c in table.columns]
    )
