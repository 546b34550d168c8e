"""Curated tables keep a change data feed from their first version (the warehouse load reads it)."""

from pathlib import Path

from delta.tables import DeltaTable
from pyspark.sql import SparkSession

from lakehouse.schema import ColumnType, StarColumn, StarTable
from spark_app.delta_io import publish_overwrite, publish_upsert
from spark_app.schemas import spark_schema
from tests.helpers.frames import local_frame

TABLE = StarTable(
    name="items",
    grain="One row per item.",
    columns=(StarColumn("item_id", ColumnType.TEXT), StarColumn("price", ColumnType.INTEGER)),
    key="item_id",
    natural_key="item_id",
)


def changes(spark: SparkSession, url: str, version: int) -> list[tuple]:
    feed = (
        spark.read.format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", version)
        .load(url)
    )
    return sorted(tuple(row) for row in feed.select("item_id", "price", "_change_type").collect())


def test_a_table_created_by_a_publish_has_the_change_data_feed_on(
    spark: SparkSession, tmp_path: Path
) -> None:
    url = (tmp_path / "items").as_uri()
    publish_upsert(spark, local_frame(spark, [("A", 1)], spark_schema(TABLE)), TABLE, url)

    properties = DeltaTable.forPath(spark, url).detail().first()["properties"]

    assert properties.get("delta.enableChangeDataFeed") == "true"


def test_the_feed_of_an_append_of_new_keys_holds_them_as_inserts(
    spark: SparkSession, tmp_path: Path
) -> None:
    url = (tmp_path / "items").as_uri()
    schema = spark_schema(TABLE)
    publish_upsert(spark, local_frame(spark, [("A", 1)], schema), TABLE, url)
    publish_upsert(spark, local_frame(spark, [("B", 2), ("C", 3)], schema), TABLE, url)

    assert changes(spark, url, 1) == [("B", 2, "insert"), ("C", 3, "insert")]


def test_the_feed_of_a_merge_holds_the_updated_and_inserted_rows_and_of_an_overwrite_every_row(
    spark: SparkSession, tmp_path: Path
) -> None:
    url = (tmp_path / "items").as_uri()
    schema = spark_schema(TABLE)
    publish_overwrite(local_frame(spark, [("A", 1), ("B", 2)], schema), TABLE, url)
    publish_upsert(spark, local_frame(spark, [("B", 3), ("C", 4)], schema), TABLE, url)
    publish_overwrite(local_frame(spark, [("C", 4)], schema), TABLE, url)

    assert changes(spark, url, 1) == [
        ("A", 1, "delete"),
        ("B", 2, "update_preimage"),
        ("B", 3, "delete"),
        ("B", 3, "update_postimage"),
        ("C", 4, "delete"),
        ("C", 4, "insert"),
        ("C", 4, "insert"),
    ]
