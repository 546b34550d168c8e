"""Temporary views of data frames, for SQL that names them, that leave the frames' cache alone."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from pyspark.sql import DataFrame, SparkSession


@contextmanager
def temp_views(spark: SparkSession, frames: Mapping[str, DataFrame]) -> Iterator[None]:
    """Each frame as a temporary view of its name while the block runs; dropped after it.

    Dropped with SQL's ``DROP VIEW``, which leaves the frame cached: ``Catalog.dropTempView``
    uncaches the plan of the view it drops, so a persisted frame was computed again by its next
    reader (a first run's fact, audited and then published, was built twice).
    """
    for name, frame in frames.items():
        frame.createOrReplaceTempView(name)
    try:
        yield
    finally:
        for name in frames:
            spark.sql(f"DROP VIEW IF EXISTS {name}")
