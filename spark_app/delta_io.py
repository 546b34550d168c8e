"""Reading and publishing Delta tables in the curated zone; the only writer of live tables."""

from delta.tables import DeltaTable
from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession

from lakehouse.schema import StarTable

#: Table properties a curated table is created with. The change data feed lets the warehouse load
#: apply only the rows a commit changed; a writer option, so Delta 3.3 (Glue 5) sets it as well.
TABLE_PROPERTIES = {"delta.enableChangeDataFeed": "true"}


def read_table(spark: SparkSession, url: str) -> DataFrame | None:
    """The current snapshot of the Delta table at ``url``, or ``None`` when there is none yet."""
    try:
        return spark.read.format("delta").load(url)
    except AnalysisException as error:
        if _is_missing_table(error):
            return None
        raise


def _is_missing_table(error: AnalysisException) -> bool:
    # Spark 4 renamed getErrorClass to getCondition; Glue 5 (Spark 3.5) has only getErrorClass.
    condition = getattr(error, "getCondition", error.getErrorClass)() or ""
    return condition in {
        "DELTA_MISSING_DELTA_TABLE",
        "DELTA_TABLE_NOT_FOUND",
        "PATH_NOT_FOUND",
    } or "is not a Delta table" in str(error)


def publish_overwrite(frame: DataFrame, table: StarTable, url: str) -> None:
    """Replace the whole table in one Delta commit (readers see the old or the new version).

    Creates the table with :data:`TABLE_PROPERTIES` when there is none yet.
    """
    writer = frame.write.format("delta").mode("overwrite").options(**TABLE_PROPERTIES)
    if table.partition_by:
        writer = writer.partitionBy(table.partition_by)
    writer.save(url)


def publish_upsert(spark: SparkSession, frame: DataFrame, table: StarTable, url: str) -> None:
    """MERGE ``frame`` into the table by natural key: a known key replaces its row, a new one adds.

    Creates the table on the first run. One Delta commit either way.
    """
    if not DeltaTable.isDeltaTable(spark, url):
        publish_overwrite(frame, table, url)
        return
    key = table.natural_key
    (
        DeltaTable.forPath(spark, url)
        .alias("target")
        .merge(frame.alias("source"), f"target.{key} = source.{key}")
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute()
    )
