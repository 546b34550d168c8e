"""A star table's changes between two Delta versions, as Parquet files that Redshift can COPY.

The change data feed's rows (inserts, update post-images, deletes), warehouse columns first,
then the feed's ``_change_type`` and ``_commit_version``, as the aws load's staging table holds
them. Written under ``_copy_changes/<table>/v<first>-<last>/`` in the curated bucket.
"""

from delta.tables import DeltaTable
from pyspark.errors import AnalysisException
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from lakehouse.config import Settings
from lakehouse.schema import StarTable
from lakehouse.warehouse.copy_manifest import CopyExport

CHANGES_FOLDER = "_copy_changes"
FEED_COLUMNS = ("_change_type", "_commit_version")


def current_export(spark: SparkSession, settings: Settings, table: StarTable) -> CopyExport:
    """The Delta table's id and current version, as an export without changes."""
    delta = DeltaTable.forPath(spark, settings.curated_url(table.name))
    table_id = delta.detail().select("id").first()[0]
    version = delta.history(1).select("version").first()[0]
    return CopyExport(table_id, int(version))


def write_changes(
    spark: SparkSession, settings: Settings, table: StarTable, since: int, until: int
) -> list[str] | None:
    """Write the changes of versions ``since + 1`` to ``until``; their files.

    ``None`` when the feed cannot describe them (off in one of them, or its files gone).
    """
    columns = [column.name for column in table.warehouse_columns]
    try:
        feed = (
            spark.read.format("delta")
            .option("readChangeFeed", "true")
            .option("startingVersion", since + 1)
            .option("endingVersion", until)
            .load(settings.curated_url(table.name))
        )
        rows = feed.where(F.col("_change_type") != "update_preimage").select(
            *columns, *FEED_COLUMNS
        )
        target = settings.curated_url(CHANGES_FOLDER, table.name, f"v{since + 1}-{until}")
        rows.write.mode("overwrite").parquet(target)
    except AnalysisException:
        return None
    return sorted(spark.read.parquet(target).inputFiles())
