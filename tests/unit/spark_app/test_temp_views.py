"""Temporary views for SQL over data frames: gone after their block, the frames' cache kept."""

import pytest
from pyspark import StorageLevel
from pyspark.sql import SparkSession

from spark_app.temp_views import temp_views


def test_a_persisted_frame_is_still_cached_once_its_view_is_dropped(spark: SparkSession) -> None:
    frame = spark.range(10).selectExpr("id", "id * 2 as double").persist(StorageLevel.DISK_ONLY)
    try:
        with temp_views(spark, {"numbers": frame}):
            (total,) = spark.sql("select sum(double) from numbers").first()

        assert total == 90
        assert not spark.catalog.tableExists("numbers")
        # Catalog.dropTempView would have uncached it (Spark 3.5 and 4.1)
        assert frame.storageLevel == StorageLevel.DISK_ONLY
    finally:
        frame.unpersist()


def test_the_views_are_dropped_when_the_block_fails(spark: SparkSession) -> None:
    frames = {"left_side": spark.range(1), "right_side": spark.range(2)}

    def count_then_fail() -> None:
        with temp_views(spark, frames):
            assert spark.sql("select count(*) from right_side").first()[0] == 2
            raise RuntimeError("the block failed")

    with pytest.raises(RuntimeError, match="the block failed"):
        count_then_fail()
    assert not any(spark.catalog.tableExists(name) for name in frames)
