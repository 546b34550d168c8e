"""Several small results from one Spark job, each with its own columns and types."""

from decimal import Decimal

from pyspark.sql import SparkSession

from spark_app.collect_together import collect_together


def test_each_frames_rows_come_back_by_name_with_their_types_and_nulls(
    spark: SparkSession,
) -> None:
    counts = spark.sql("select 'loaded' as status, array('a', 'b') as reasons, 3L as count")
    metrics = spark.sql(
        "select cast(-0.01 as decimal(12, 2)) as difference, cast(null as int) as missing"
    )
    empty = spark.sql("select 1 as one where false")

    rows = collect_together({"counts": counts, "metrics": metrics, "empty": empty})

    assert rows == {
        "counts": [{"status": "loaded", "reasons": ["a", "b"], "count": 3}],
        "metrics": [{"difference": Decimal("-0.01"), "missing": None}],
        "empty": [],
    }


def test_the_results_of_every_frame_take_one_spark_job(spark: SparkSession) -> None:
    frames = {
        name: spark.range(100).selectExpr(f"sum(id * {factor}) as total")
        for name, factor in (("one", 1), ("two", 2), ("three", 3))
    }
    spark.sparkContext.setJobGroup("collect-together", "three aggregates")
    try:
        rows = collect_together(frames)
    finally:
        spark.sparkContext.setLocalProperty("spark.jobGroup.id", None)

    assert rows == {"one": [{"total": 4950}], "two": [{"total": 9900}], "three": [{"total": 14850}]}
    assert len(spark.sparkContext.statusTracker().getJobIdsForGroup("collect-together")) == 1


def test_no_frames_take_no_job() -> None:
    assert collect_together({}) == {}
