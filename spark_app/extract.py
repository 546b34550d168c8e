"""Read one raw-zone partition of an entity as text, with each row's source file and line number."""

from functools import reduce

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from lakehouse.schema import RawEntity

SOURCE_FILE = "_source_file"
LINE_NUMBER = "_line_number"
#: Raw columns of the row, exactly as read, kept for the quarantine record.
RECORD = "_record"


def read_raw(spark: SparkSession, entity: RawEntity, location: str) -> DataFrame:
    """Rows of every CSV file under ``location``, every column as text exactly as in the file.

    Files are read one by one and combined by column name, since column order is free per file.
    Adds ``_source_file``, ``_line_number`` (1 is the header, so the first row is 2; equal to the
    physical line unless a quoted field spans lines) and ``_record`` (a map of every column the
    file has, extra columns included). Contract columns a file lacks are NULL; the raw gates have
    already checked the headers.
    """
    frames = [_read_file(spark, path) for path in list_files(spark, location)]
    frame = reduce(lambda left, right: left.unionByName(right, allowMissingColumns=True), frames)
    columns = [name for name in frame.columns if name not in (SOURCE_FILE, LINE_NUMBER)]
    record = F.create_map(*[item for name in columns for item in (F.lit(name), F.col(name))])
    return frame.select(
        *[_contract_text(name, columns) for name in entity.column_names],
        F.col(SOURCE_FILE),
        F.col(LINE_NUMBER),
        record.alias(RECORD),
    )


def list_files(spark: SparkSession, location: str) -> list[str]:
    """Paths of the ``*.csv`` and ``*.csv.gz`` files under ``location``, sorted by name.

    Listed by Spark's own file index (no rows are read), so a Spark Connect session lists
    them as a local one does. Raw file names start with their entity's name, never with the
    ``_`` or ``.`` of the files Spark leaves out.
    """
    names = spark.read.format("text").load(location).inputFiles()
    return sorted(name for name in names if name.endswith((".csv", ".csv.gz")))


def _read_file(spark: SparkSession, path: str) -> DataFrame:
    """One file's rows with its path and line numbers.

    A multi-line CSV read never splits a file, so the file is one partition and a row's index
    within its partition is its index in the file: line numbers cost no sort.
    """
    frame = (
        spark.read.option("header", "true")
        .option("multiLine", "true")
        .option("escape", '"')
        .option("mode", "PERMISSIVE")
        .option("inferSchema", "false")
        .option("ignoreLeadingWhiteSpace", "false")
        .option("ignoreTrailingWhiteSpace", "false")
        .csv(path)
    )
    frame = frame.toDF(*[name.strip() for name in frame.columns])
    return frame.select(
        "*",
        F.lit(path).alias(SOURCE_FILE),
        (_index_in_partition() + 2).cast("int").alias(LINE_NUMBER),
    )


def _index_in_partition() -> F.Column:
    """0, 1, 2, ... within each partition: the partition's number sits above bit 33 of the id."""
    partition_base = F.shiftleft(F.spark_partition_id().cast("long"), 33)
    return F.monotonically_increasing_id() - partition_base


def _contract_text(name: str, columns: list[str]) -> F.Column:
    """Trimmed text of a contract column, NULL when empty or absent from the file."""
    if name not in columns:
        return F.lit(None).cast("string").alias(name)
    trimmed = F.trim(F.col(name))
    return F.when(trimmed != "", trimmed).alias(name)
