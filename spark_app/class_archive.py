"""Build the Spark driver's class-data-sharing archive: ``python -m spark_app.class_archive``.

`make setup` runs it. A training session runs a small Spark and Delta workload on local files
(CSV, window, join, aggregate, a Delta write, MERGE, read and change feed), its JVM told to
archive every class it loaded when it exits (the JDK's dynamic CDS). Later drivers map the
archive (:data:`spark_app.session.CLASS_ARCHIVE`). An archive belongs to one JDK and one class
path: a stamp beside it records both, and it is built again only when they change.
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from delta.tables import DeltaTable
from pyspark import SparkContext
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

from lakehouse.config import Settings, load_settings
from spark_app.session import CLASS_ARCHIVE, build_session

#: Seconds the training JVM may take to write the archive once told to exit.
EXIT_SECONDS = 300


def main(argv: list[str] | None = None) -> int:
    """Build the archive unless the one in the jar folder matches this JDK and class path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="build it even when up to date")
    force = parser.parse_args(argv).force
    settings = load_settings()
    archive = settings.jars_dir / CLASS_ARCHIVE
    stamp, wanted = archive.with_suffix(".stamp"), class_path_stamp(settings)
    if not force and archive.is_file() and stamp.is_file() and stamp.read_text() == wanted:
        print(f"class archive up to date: {archive}")
        return 0
    print(f"building the Spark driver's class archive {archive} (about a minute, once) ...")
    partial = archive.with_suffix(".partial")
    try:
        with tempfile.TemporaryDirectory() as scratch:
            spark = build_session(settings, app_name="class-archive", archive_classes_to=partial)
            exercise(spark, Path(scratch))
            stop_jvm(spark)
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)
    stamp.write_text(wanted)
    print(f"class archive ready: {archive} ({archive.stat().st_size // 2**20} MiB)")
    return 0


def class_path_stamp(settings: Settings) -> str:
    """What the archive depends on: the JDK, pyspark and the project's jars (names and sizes)."""
    java = Path(os.environ.get("JAVA_HOME", ""), "bin", "java")
    command = [str(java) if java.is_file() else "java", "-version"]
    jdk = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    jars = sorted(f"{path.name}:{path.stat().st_size}" for path in settings.jars_dir.glob("*.jar"))
    text = "\n".join([jdk, version("pyspark"), *jars])
    return hashlib.sha256(text.encode()).hexdigest()


def exercise(spark: SparkSession, scratch: Path) -> None:
    """Run what the pipeline's steps run, on a few rows, so their classes get loaded."""
    source, table = scratch / "source", (scratch / "table").as_uri()
    rows = [
        (f"S{n}", f"C{n % 7}", n % 5, f"{n}.25", f"2024-03-{n % 28 + 1:02d}") for n in range(50)
    ]
    frame = spark.createDataFrame(
        rows, "id string, customer string, n int, price string, day string"
    )
    frame.write.option("header", "true").csv(str(source))
    read = spark.read.option("header", "true").option("multiLine", "true").csv(str(source))
    typed = read.select(
        "id",
        "customer",
        F.col("n").cast("int").alias("n"),
        F.when(F.col("price").rlike(r"^\d+(\.\d*)?$"), F.col("price").cast("decimal(18,2)")).alias(
            "price"
        ),
        F.to_date("day", "yyyy-MM-dd").alias("day"),
        F.row_number().over(Window.partitionBy("customer").orderBy("id")).alias("rank"),
    )
    customers = typed.groupBy("customer").agg(
        F.count("*").alias("sales"), F.sum("price").alias("spent")
    )
    keyed = typed.join(F.broadcast(customers), "customer", "left").persist()
    keyed.write.format("delta").partitionBy("n").option("delta.enableChangeDataFeed", "true").save(
        table
    )
    (
        DeltaTable.forPath(spark, table)
        .alias("target")
        .merge(keyed.alias("source"), "target.id = source.id")
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute()
    )
    spark.read.format("delta").load(table).createOrReplaceTempView("trained")
    spark.sql("select count(*) - count(distinct id), sum(price) from trained").collect()
    spark.read.format("delta").option("readChangeFeed", "true").option("startingVersion", 0).load(
        table
    ).collect()
    keyed.unpersist()


def stop_jvm(spark: SparkSession) -> None:
    """Stop the session and its JVM, and wait while the JVM writes the archive as it exits."""
    spark.stop()
    gateway = SparkContext._gateway
    if gateway is None:
        return
    gateway.shutdown()
    gateway.proc.stdin.close()  # the JVM exits when Python's end of this pipe closes
    gateway.proc.wait(timeout=EXIT_SECONDS)
    SparkContext._gateway = SparkContext._jvm = None


if __name__ == "__main__":
    sys.exit(main())
