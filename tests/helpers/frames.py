"""Small DataFrames of rows that a test writes out, made without Spark's Python workers."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyspark
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.pandas.types import to_arrow_schema
from pyspark.sql.types import StructType

#: Spark 4 takes an Arrow table; Glue 5's Spark 3.5 (`make test-glue5`) does not.
_TAKES_ARROW = int(pyspark.__version__.split(".")[0]) >= 4

Rows = Iterable[Sequence[Any] | Mapping[str, Any]]


def local_frame(spark: SparkSession, rows: Rows, schema: StructType | str) -> DataFrame:
    """``rows`` (tuples in the schema's order, or dicts by column) as a DataFrame of ``schema``.

    ``schema`` is a ``StructType`` or a DDL string. A list given to a classic session becomes
    an RDD of pickled rows whose tasks run in Python worker processes: about 0.15 s of CPU a
    frame, half a minute of the suite's. An Arrow table goes to the JVM as it is.
    """
    if not _TAKES_ARROW:
        return spark.createDataFrame(list(rows), schema)
    struct = schema if isinstance(schema, StructType) else StructType.fromDDL(schema)
    tuples = [_in_order(row, struct.names) for row in rows]
    arrow = to_arrow_schema(struct)
    columns = [
        pa.array([row[i] for row in tuples], type=field.type) for i, field in enumerate(arrow)
    ]
    return spark.createDataFrame(pa.Table.from_arrays(columns, schema=arrow), struct)


def _in_order(row: Sequence[Any] | Mapping[str, Any], names: list[str]) -> Sequence[Any]:
    if isinstance(row, Mapping):
        return [row[name] for name in names]
    if len(row) != len(names):
        raise ValueError(f"a row of {len(row)} values for {len(names)} columns: {row!r}")
    return row
