"""Reading and publishing Delta tables in the curated zone; the only writer of live tables."""

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from lakehouse.schema import StarTable
from spark_app.temp_views import temp_views

#: Table properties a curated table is created with. The change data feed lets the warehouse load
#: apply only the rows a commit changed; a writer option, so Delta 3.3 (Glue 5) sets it as well.
TABLE_PROPERTIES = {"delta.enableChangeDataFeed": "true"}
#: The session setting whose text Delta records in each commit, as the commit's ``userMetadata``.
_COMMIT_NOTE = "spark.databricks.delta.commitInfo.userMetadata"
#: How the line of a commit file that describes the commit starts.
_COMMIT_INFO = '{"commitInfo"'


def read_table(spark: SparkSession, url: str) -> DataFrame | None:
    """The current snapshot of the Delta table at ``url``, or ``None`` when there is none yet.

    The schema is asked for at once: a Spark Connect session resolves a read only then.
    """
    try:
        frame = spark.read.format("delta").load(url)
        frame.schema  # noqa: B018 (resolves the read)
    except AnalysisException as error:
        if _is_missing_table(error):
            return None
        raise
    return frame


@contextmanager
def commit_note(spark: SparkSession, note: str) -> Iterator[None]:
    """Record ``note`` in every Delta commit made in the block (the commits' ``userMetadata``)."""
    spark.conf.set(_COMMIT_NOTE, note)
    try:
        yield
    finally:
        spark.conf.unset(_COMMIT_NOTE)


def latest_commits_noted(spark: SparkSession, urls: list[str], note: str) -> bool:
    """Whether the latest commit of every Delta table at ``urls`` carries ``note``.

    False as well when a table is missing. One Spark job for all the tables: Spark's file index
    lists their commit files, and the latest of each is read as text (``DESCRIBE HISTORY``
    takes two jobs a table).
    """
    logs = [f"{url.rstrip('/')}/_delta_log/*.json" for url in urls]
    try:
        files = spark.read.format("text").load(logs).inputFiles()
    except AnalysisException as error:
        if _is_missing_table(error):
            return False
        raise
    latest: dict[str, str] = {}
    for path in sorted(files):  # zero-padded versions: the last of a table sorts last
        latest[path.rsplit("/_delta_log/", 1)[0]] = path
    if len(latest) < len(urls):
        return False
    lines = spark.read.text(sorted(latest.values())).where(F.col("value").startswith(_COMMIT_INFO))
    notes = [json.loads(line)["commitInfo"].get("userMetadata") for (line,) in lines.collect()]
    return len(notes) == len(latest) and set(notes) == {note}


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
    _write(frame, table, url, "overwrite")


def _write(frame: DataFrame, table: StarTable, url: str, mode: str) -> None:
    """Write ``frame`` to the table at ``url`` in ``mode``, partitioned as the table is."""
    writer = frame.write.format("delta").mode(mode).options(**TABLE_PROPERTIES)
    if table.partition_by:
        writer = writer.partitionBy(table.partition_by)
    writer.save(url)


def publish_upsert(
    spark: SparkSession,
    frame: DataFrame,
    table: StarTable,
    url: str,
    replaces_rows: bool | None = None,
) -> None:
    """MERGE ``frame`` into the table by natural key: a known key replaces its row, a new one adds.

    Creates the table on the first run, and appends when no key of ``frame`` is in the table yet
    (a day of new sales), where a MERGE runs a dozen Spark jobs (it materializes its source, joins
    it with the table, then writes). One Delta commit either way. The MERGE is written in SQL (the
    source as a temporary view), which Delta runs the same on a local session, a Spark Connect one
    and Glue's.

    Args:
        spark: The session.
        frame: The rows to publish, with the table's columns.
        table: The star table.
        url: Where its Delta table is.
        replaces_rows: Whether a key of ``frame`` is in the table already, when the caller knows
            it; otherwise one Spark job, which reads every key of the table, finds out.
    """
    target = read_table(spark, url)
    if target is None:
        publish_overwrite(frame, table, url)
        return
    key = table.natural_key
    if replaces_rows is None:
        replaces_rows = not frame.join(target.select(key), key, "left_semi").isEmpty()
    if not replaces_rows:
        _write(frame, table, url, "append")
        return
    view = f"{table.name}_changes_{uuid.uuid4().hex}"
    with temp_views(spark, {view: frame}):
        spark.sql(
            f"MERGE INTO delta.`{url}` AS target USING {view} AS source"
            f" ON target.{key} = source.{key}"
            " WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *"
        )
