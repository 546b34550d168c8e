"""Surrogate keys that never change once given: new natural keys are numbered after the largest."""

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F


def number_new_keys(rows: DataFrame, key: str, order_by: str, given: DataFrame | None) -> DataFrame:
    """Rows whose ``key`` is NULL, keyed ``max(given.key) + 1, + 2, ...`` in ``order_by`` order.

    The largest key given so far is joined in as a one-row broadcast instead of being collected,
    so numbering runs inside the job that writes the rows. Re-running the same batch against the
    same ``given`` keys gives the same keys.
    """
    fresh = rows.where(F.col(key).isNull()).drop(key)
    if given is None:
        base = rows.sparkSession.range(1).select(F.lit(0).cast("long").alias("_max_key"))
    else:
        base = given.agg(F.coalesce(F.max(key), F.lit(0)).cast("long").alias("_max_key"))
    ordered = Window.orderBy(order_by)
    return (
        fresh.crossJoin(F.broadcast(base))
        .withColumn(key, F.col("_max_key") + F.row_number().over(ordered))
        .drop("_max_key")
    )
