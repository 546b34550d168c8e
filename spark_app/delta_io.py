"""Reading and publishing Delta tables in the curated zone; the only writer of live tables."""

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

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


def latest_commit_notes(spark: SparkSession, urls: list[str]) -> dict[str, str | None]:
    """The note of the latest commit of each Delta table at ``urls``, by URL (``None``: none).

    A missing table is left out. One Spark job for all the tables: Spark's file index lists
    their commit files, and the latest of each is read as text (``DESCRIBE HISTORY`` takes two
    jobs a table).
    """
    logs = [f"{url.rstrip('/')}/_delta_log/*.json" for url in urls]
    try:
        files = spark.read.format("text").load(logs).inputFiles()
    except AnalysisException as error:
        if not _is_missing_table(error):
            raise
        if len(urls) == 1:
            return {}
        return {
            url: note for one in urls for url, note in latest_commit_notes(spark, [one]).items()
        }
    latest: dict[tuple[str, str], str] = {}
    for path in sorted(files):  # zero-padded versions: a table's latest sorts last
        latest[_table_location(path)] = path
    lines = (
        spark.read.text(sorted(latest.values()))
        .where(F.col("value").startswith(_COMMIT_INFO))
        .select("value", "_metadata.file_path")
        .collect()
    )
    notes = {
        _table_location(path): json.loads(line)["commitInfo"].get("userMetadata")
        for line, path in lines
    }
    return {url: notes.get(_location(url)) for url in urls if _location(url) in latest}


def note_latest_commits(spark: SparkSession, urls: list[str], note: str) -> list[str]:
    """Give each Delta table at ``urls`` whose latest commit lacks ``note`` a commit that has it.

    The commit sets a table property (``lakehouse.noted``), and changes no row. Returns the URLs
    of the tables it noted.
    """
    unnoted = [url for url, found in latest_commit_notes(spark, urls).items() if found != note]
    with commit_note(spark, note):
        for url in unnoted:
            spark.sql(f"ALTER TABLE delta.`{url}` SET TBLPROPERTIES ('lakehouse.noted' = 'true')")
    return unnoted


def _table_location(commit_file: str) -> tuple[str, str]:
    """:func:`_location` of the table whose log holds ``commit_file``."""
    return _location(commit_file.rsplit("/_delta_log/", 1)[0])


def _location(url: str) -> tuple[str, str]:
    """Bucket (or host) and path of a URL, however its scheme is spelled (``file:/``, ``file:///``)."""
    parts = urlparse(url)
    return parts.netloc, parts.path.rstrip("/")


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
