"""Spark schemas derived from the single schema source."""

from collections.abc import Sequence

from pyspark.sql import DataFrame
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


def as_table(frame: DataFrame, table: StarTable, keep: Sequence[str] = ()) -> DataFrame:
    """``frame``'s columns of ``table``, in the table's order and cast to its Spark types.

    The columns named in ``keep`` follow them, as they are. One SQL projection: on a local
    session every Column built in Python is a call into the JVM (a cast to a type, several), and
    the casts of the star's columns came to over a thousand calls a run.
    """
    return frame.selectExpr(
        *[
            f"cast(`{field.name}` as {field.dataType.simpleString()}) as `{field.name}`"
            for field in spark_schema(table).fields
        ],
        *[f"`{name}`" for name in keep],
    )
