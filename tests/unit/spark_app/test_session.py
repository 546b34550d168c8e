"""The Spark session runs the Spark and Delta of the environment, with ANSI mode pinned.

Under `make test-glue5` this shows the suite ran on Glue 5's Spark and Delta jars, not on `.jars`.
"""

import os
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

from pyspark.sql import SparkSession

from lakehouse.config import Settings
from spark_app.session import (
    CLASS_ARCHIVE,
    DRIVER_JAVA_OPTIONS,
    EMULATOR_RETRIES,
    INTERPRETED_CONF,
    build_session,
    driver_java_options,
    session_conf,
)


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


def test_the_driver_jvm_was_started_with_the_options_of_the_settings_jit(
    spark: SparkSession, spark_settings: Settings
) -> None:
    arguments = spark.sparkContext._jvm.java.lang.management.ManagementFactory.getRuntimeMXBean()
    started_with = set(arguments.getInputArguments())

    assert set(DRIVER_JAVA_OPTIONS[spark_settings.spark_jit].split()) <= started_with


def test_a_session_of_settings_with_code_generation_off_interprets_queries(
    spark: SparkSession, spark_settings: Settings
) -> None:
    # The suite's settings turn it off (tests/conftest.py); this module's tests turn it back on
    # at run time, so the session's start-up configuration is what tells how it was built.
    started_with = spark.sparkContext.getConf()

    assert spark_settings.spark_codegen is False
    assert {key: started_with.get(key, None) for key in INTERPRETED_CONF} == INTERPRETED_CONF


def test_s3a_gives_up_on_the_emulator_in_seconds_not_minutes(spark: SparkSession) -> None:
    hadoop = spark.sparkContext._jsc.hadoopConfiguration()

    assert {name: hadoop.get(f"fs.s3a.{name}") for name in EMULATOR_RETRIES} == EMULATOR_RETRIES


def test_a_later_build_returns_the_running_session_with_its_settings(
    spark: SparkSession, settings: Settings
) -> None:
    # Regression: getOrCreate set each caller's shuffle partitions on the shared session (a
    # pipeline step asks for 4, the suite's session has 1), so they depended on test order.
    started_with = spark.conf.get("spark.sql.shuffle.partitions")

    again = build_session(settings, app_name="a-later-step", shuffle_partitions=7)

    assert again.sparkContext.applicationId == spark.sparkContext.applicationId
    assert (again.conf.get("spark.sql.shuffle.partitions"), started_with) == ("1", "1")
    assert spark.conf.get("spark.sql.shuffle.partitions") == "1"


def test_the_driver_maps_the_class_archive_once_setup_has_made_it(
    settings: Settings, tmp_path: Path
) -> None:
    jars = replace(settings, jars_dir=tmp_path)
    assert "SharedArchiveFile" not in driver_java_options(jars)

    (tmp_path / CLASS_ARCHIVE).write_bytes(b"archive")

    assert f"-XX:SharedArchiveFile={tmp_path / CLASS_ARCHIVE}" in driver_java_options(jars)
    training = driver_java_options(jars, tmp_path / "new.jsa").split()
    assert f"-XX:ArchiveClassesAtExit={tmp_path / 'new.jsa'}" in training
    assert not any("SharedArchiveFile" in option for option in training)


def test_the_suites_driver_has_the_jars_on_its_class_path_and_maps_the_archive_setup_made(
    spark: SparkSession, settings: Settings
) -> None:
    runtime = spark.sparkContext._jvm.java.lang.management.ManagementFactory.getRuntimeMXBean()
    jars = sorted(str(path) for path in settings.jars_dir.glob("*.jar"))
    archive = settings.jars_dir / CLASS_ARCHIVE  # `make setup` makes one; `test-glue5` none

    assert set(jars) <= set(runtime.getClassPath().split(os.pathsep))
    assert spark.sparkContext.getConf().get("spark.jars", "") == ""  # no copy per session
    mapped = f"-XX:SharedArchiveFile={archive}" in set(runtime.getInputArguments())
    assert mapped == archive.is_file()


def test_executors_of_a_cluster_on_this_machine_compile_as_the_driver_does(
    spark_settings: Settings,
) -> None:
    for jit in DRIVER_JAVA_OPTIONS:
        settings = replace(spark_settings, spark_master="spark://127.0.0.1:7077", spark_jit=jit)

        conf = session_conf(settings)

        assert conf["spark.executor.extraJavaOptions"] == DRIVER_JAVA_OPTIONS[jit]
        assert conf["spark.executor.extraClassPath"] == conf["spark.driver.extraClassPath"]
