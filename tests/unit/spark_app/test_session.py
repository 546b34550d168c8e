"""The Spark session runs the Spark and Delta of the environment, with ANSI mode pinned.

Under `make test-glue5` this shows the suite ran on Glue 5's Spark and Delta jars, not on `.jars`.
"""

from importlib.metadata import version

from pyspark.sql import SparkSession


def test_the_jvm_runs_the_installed_pyspark_and_delta_spark(spark: SparkSession) -> None:
    jvm = spark.sparkContext._jvm
    loader = jvm.java.lang.Thread.currentThread().getContextClassLoader()
    delta = jvm.java.lang.Class.forName("io.delta.tables.DeltaTable", True, loader)

    assert (spark.version, delta.getPackage().getImplementationVersion()) == (
        version("pyspark"),
        version("delta-spark"),
    )


def test_ansi_mode_is_pinned_off_on_every_spark_version(spark: SparkSession) -> None:
    assert spark.conf.get("spark.sql.ansi.enabled") == "false"
