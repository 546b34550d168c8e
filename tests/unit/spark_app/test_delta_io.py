"""Delta tables on local folders: missing tables, overwrite, MERGE, append."""

from pathlib import Path

import pytest
from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession

from lakehouse.schema import ColumnType, StarColumn, StarTable
from spark_app.delta_io import (
    commit_note,
    latest_commit_notes,
    note_latest_commits,
    publish_overwrite,
    publish_upsert,
    read_table,
)
from spark_app.schemas import spark_schema
from tests.helpers.frames import local_frame

TABLE = StarTable(
    name="items",
    grain="One row per item.",
    columns=(
        StarColumn("item_key", ColumnType.BIGINT),
        StarColumn("item_id", ColumnType.TEXT),
        StarColumn("month", ColumnType.INTEGER),
    ),
    key="item_key",
    natural_key="item_id",
    partition_by="month",
)


def frame(spark: SparkSession, rows: list[tuple]) -> DataFrame:
    return local_frame(spark, rows, spark_schema(TABLE))


def rows_at(spark: SparkSession, url: str) -> list[tuple]:
    return sorted(
        tuple(row) for row in read_table(spark, url).select(*TABLE.column_names).collect()
    )


def commits(spark: SparkSession, url: str) -> list[tuple[str, str | None]]:
    """Operation and write mode of each commit of the table, oldest first."""
    history = DeltaTable.forPath(spark, url).history().orderBy("version").collect()
    return [(row.operation, row.operationParameters.get("mode")) for row in history]


@pytest.mark.parametrize("kind", ["missing", "empty", "parquet"])
def test_read_table_is_none_where_no_delta_table_is(
    spark: SparkSession, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "items"
    if kind == "empty":
        folder.mkdir()
    elif kind == "parquet":
        frame(spark, [(1, "A", 202401)]).write.parquet(folder.as_uri())

    assert read_table(spark, folder.as_uri()) is None


def test_publish_overwrite_replaces_every_row_in_partition_folders(
    spark: SparkSession, tmp_path: Path
) -> None:
    url = (tmp_path / "items").as_uri()
    publish_overwrite(frame(spark, [(1, "A", 202401), (2, "B", 202402)]), TABLE, url)
    publish_overwrite(frame(spark, [(3, "C", 202403)]), TABLE, url)

    assert rows_at(spark, url) == [(3, "C", 202403)]
    assert (tmp_path / "items" / "month=202403").is_dir()


def test_publish_upsert_creates_the_table_then_merges_by_natural_key(
    spark: SparkSession, tmp_path: Path
) -> None:
    url = (tmp_path / "items").as_uri()
    publish_upsert(spark, frame(spark, [(1, "A", 202401), (2, "B", 202401)]), TABLE, url)
    publish_upsert(spark, frame(spark, [(1, "A", 202402), (3, "C", 202402)]), TABLE, url)

    assert rows_at(spark, url) == [(1, "A", 202402), (2, "B", 202401), (3, "C", 202402)]
    assert commits(spark, url) == [("WRITE", "Overwrite"), ("MERGE", None)]


def test_publish_upsert_of_only_new_keys_appends_them_in_one_commit(
    spark: SparkSession, tmp_path: Path
) -> None:
    url = (tmp_path / "items").as_uri()
    publish_upsert(spark, frame(spark, [(1, "A", 202401)]), TABLE, url)
    publish_upsert(spark, frame(spark, [(2, "B", 202402), (3, "C", 202402)]), TABLE, url)

    assert rows_at(spark, url) == [(1, "A", 202401), (2, "B", 202402), (3, "C", 202402)]
    assert commits(spark, url) == [("WRITE", "Overwrite"), ("WRITE", "Append")]


@pytest.mark.parametrize(
    ("replaces_rows", "commit"), [(True, ("MERGE", None)), (False, ("WRITE", "Append"))]
)
def test_publish_upsert_told_whether_a_key_is_in_the_table_merges_or_appends_as_told(
    spark: SparkSession, tmp_path: Path, replaces_rows: bool, commit: tuple[str, str | None]
) -> None:
    url = (tmp_path / "items").as_uri()
    publish_upsert(spark, frame(spark, [(1, "A", 202401)]), TABLE, url)
    # New keys only: a MERGE, when told to, adds them as the append does
    publish_upsert(spark, frame(spark, [(2, "B", 202402)]), TABLE, url, replaces_rows)

    assert rows_at(spark, url) == [(1, "A", 202401), (2, "B", 202402)]
    assert commits(spark, url)[-1] == commit


def first_plain_second_noted(spark: SparkSession, tmp_path: Path) -> tuple[str, str]:
    """Two tables: ``first`` written without a note, ``second`` with the note ``audited``."""
    first, second = (tmp_path / "first").as_uri(), (tmp_path / "second").as_uri()
    publish_overwrite(frame(spark, [(1, "A", 202401)]), TABLE, first)
    with commit_note(spark, "audited"):
        publish_overwrite(frame(spark, [(2, "B", 202401)]), TABLE, second)
    return first, second


def test_commits_made_under_a_note_carry_it_and_later_ones_do_not(
    spark: SparkSession, tmp_path: Path
) -> None:
    first, second = first_plain_second_noted(spark, tmp_path)
    with commit_note(spark, "audited"):
        publish_upsert(spark, frame(spark, [(1, "A", 202402)]), TABLE, first)  # a MERGE
    noted = latest_commit_notes(spark, [first, second])
    publish_upsert(spark, frame(spark, [(3, "C", 202402)]), TABLE, second)  # an append

    assert noted == {first: "audited", second: "audited"}
    assert latest_commit_notes(spark, [first, second]) == {first: "audited", second: None}
    missing = (tmp_path / "missing").as_uri()
    assert latest_commit_notes(spark, [missing, first]) == {first: "audited"}


def test_noting_the_latest_commits_adds_a_commit_to_the_tables_without_the_note_only(
    spark: SparkSession, tmp_path: Path
) -> None:
    first, second = first_plain_second_noted(spark, tmp_path)

    noted = note_latest_commits(spark, [first, second], "audited")

    assert noted == [first]
    assert latest_commit_notes(spark, [first, second]) == {first: "audited", second: "audited"}
    assert commits(spark, first) == [("WRITE", "Overwrite"), ("SET TBLPROPERTIES", None)]
    assert rows_at(spark, first) == [(1, "A", 202401)]
