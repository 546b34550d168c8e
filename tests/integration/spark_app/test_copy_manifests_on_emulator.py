"""COPY manifests on the S3 emulator: they list the Delta snapshot's files, and the Glue entry
point runs locally (no Glue libraries) from a catalogued raw batch to manifests for every table.

The entry point's ``main`` runs in this process, on the suite's Spark session, with the command
line a Glue job run gets; a process of its own would only add a JVM start.
"""

import json
from datetime import date

import pyarrow
import pyarrow.parquet
import pytest
from helpers.lake import upload_batch
from pyspark.sql import SparkSession

from lakehouse.catalog.register_tables import run_crawler
from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.schema import STAR_TABLES, star_table
from lakehouse.warehouse.copy_manifest import (
    CopyExport,
    changes_manifest_key,
    manifest_key,
    read_export,
)
from spark_app import glue_entry
from spark_app.build_report import load_report
from spark_app.copy_changes import FEED_COLUMNS
from spark_app.copy_manifests import write_copy_manifests
from spark_app.delta_io import publish_overwrite
from tests.helpers.frames import local_frame

pytestmark = pytest.mark.integration
RUN_DATE = date(2024, 3, 1)
BATCH = {
    "customers": "customer_id,first_name,last_name,email,city,state,signup_date\n"
    "C1,Ann,Lee,ann@example.com,Austin,TX,2023-01-05\n",
    "products": "product_id,product_name,category,subcategory,brand,unit_price\n"
    "P1,Desk,Office,Furniture,Acme,199.99\n",
    "locations": "location_id,store_name,city,state,region,country\n"
    "L1,Downtown,Austin,TX,South,US\n",
    "sales": "sale_id,sale_date,customer_id,product_id,location_id,quantity,unit_price,"
    "discount_amount,tax_amount\nS1,2024-02-28,C1,P1,L1,2,10.00,,\nS2,2024-03-01,C1,P1,L1,1,5,,\n",
}


def read_manifest(lake: Settings, table: str) -> dict:
    s3 = make_client(lake, "s3")
    body = s3.get_object(Bucket=lake.curated_bucket, Key=manifest_key(table))["Body"].read()
    return json.loads(body)


def object_sizes(lake: Settings, prefix: str) -> dict[str, int]:
    """``s3://`` URL -> size of every Parquet object under ``prefix`` of the curated bucket."""
    s3 = make_client(lake, "s3")
    return {
        lake.curated_url(key): s3.head_object(Bucket=lake.curated_bucket, Key=key)["ContentLength"]
        for key in list_keys(s3, lake.curated_bucket, prefix)
        if key.endswith(".parquet")
    }


LOCATION_COLUMNS = (
    "location_key int, location_id string, store_name string, city string, state string,"
    " region string, country string"
)


def test_the_manifest_lists_only_the_current_snapshots_files_with_their_sizes(
    lake: Settings, spark: SparkSession
):
    table = star_table("location_dim")
    url = lake.curated_url(table.name)
    first = local_frame(spark, [(1, "L1", "A", None, None, None, None)], LOCATION_COLUMNS)
    first.write.format("delta").save(url)
    replaced = object_sizes(lake, f"{table.name}/")
    second = local_frame(
        spark,
        [(1, "L1", "A", None, None, None, None), (2, "L2", "B", None, None, None, None)],
        LOCATION_COLUMNS,
    )
    second.write.format("delta").mode("overwrite").save(url)

    current_files = spark.read.format("delta").load(url).inputFiles()
    assert write_copy_manifests(spark, lake, [table]) == {table.name: len(current_files)}

    entries = read_manifest(lake, table.name)["entries"]
    current = object_sizes(lake, f"{table.name}/")
    listed = {entry["url"]: entry["meta"]["content_length"] for entry in entries}
    assert listed
    assert not set(listed) & set(replaced)
    assert listed == {url: current[url] for url in listed}
    assert all(entry["mandatory"] is True for entry in entries)


def test_a_table_with_curated_only_columns_is_copied_with_its_warehouse_columns_only(
    lake: Settings, spark: SparkSession
):
    table = star_table("location_dim")
    rows = local_frame(
        spark,
        [(1, "L1", "A", "Austin", "TX", "South", "US", "curated only")],
        f"{LOCATION_COLUMNS}, note string",
    )
    rows.write.format("delta").save(lake.curated_url(table.name))

    write_copy_manifests(spark, lake, [table])

    urls = [entry["url"] for entry in read_manifest(lake, table.name)["entries"]]
    assert urls
    assert all(url.startswith(lake.curated_url("_copy_snapshots", table.name, "")) for url in urls)
    copied = spark.read.parquet(*urls)
    assert copied.columns == [column.name for column in table.warehouse_columns]
    assert [tuple(row) for row in copied.collect()] == [
        (1, "L1", "A", "Austin", "TX", "South", "US")
    ]


def test_glue_entry_runs_locally_from_the_catalog_to_a_manifest_per_star_table(
    lake: Settings, lake_env: dict[str, str], spark: SparkSession, monkeypatch: pytest.MonkeyPatch
):
    upload_batch(lake, RUN_DATE, BATCH)
    run_crawler(lake)
    arguments = {
        "--run-date": RUN_DATE.isoformat(),
        "--run-id": "run-glue-entry",
        "--raw-bucket": lake.raw_bucket,
        "--curated-bucket": lake.curated_bucket,
        "--glue-database": lake.glue_database,
    }
    for name, value in lake_env.items():
        monkeypatch.setenv(name, value)

    report = glue_entry.main(
        ["glue_entry.py", *(part for pair in arguments.items() for part in pair)]
    )

    assert report.run_id == "run-glue-entry"
    assert report.entities["sales"].rows_loaded == 2
    # saved for the aws DAG's audit, which gets only the job run's id from the Glue task
    assert load_report(lake, "run-glue-entry") == report
    assert load_report(lake, "another-run") is None

    s3 = make_client(lake, "s3")
    sizes = object_sizes(lake, "")
    for table in STAR_TABLES:
        entries = read_manifest(lake, table.name)["entries"]
        assert entries, table.name
        for entry in entries:
            assert entry["meta"]["content_length"] == sizes[entry["url"]]
            key = entry["url"].removeprefix(f"s3://{lake.curated_bucket}/")
            body = s3.get_object(Bucket=lake.curated_bucket, Key=key)["Body"].read()
            columns = pyarrow.parquet.read_schema(pyarrow.BufferReader(body)).names
            assert columns == [column.name for column in table.warehouse_columns], table.name


def read_export_state(lake: Settings, table: str) -> CopyExport | None:
    return read_export(make_client(lake, "s3"), lake.curated_bucket, table)


def test_each_export_lists_the_change_feeds_rows_since_the_export_before(
    lake: Settings, spark: SparkSession
):
    table = star_table("location_dim")
    url = lake.curated_url(table.name)
    rows = [(1, "L1", "A", None, None, None, None), (2, "L2", "B", None, None, None, None)]
    publish_overwrite(local_frame(spark, rows, LOCATION_COLUMNS), table, url)
    write_copy_manifests(spark, lake, [table])
    first = read_export_state(lake, table.name)
    changed = [(1, "L1", "A", None, None, None, None), (3, "L3", "C", None, None, None, None)]
    publish_overwrite(local_frame(spark, changed, LOCATION_COLUMNS), table, url)

    write_copy_manifests(spark, lake, [table])

    second = read_export_state(lake, table.name)
    assert (first.version, first.changes_since) == (0, None)  # the first export: in full
    assert second == CopyExport(first.table_id, 1, changes_since=0)
    body = make_client(lake, "s3").get_object(
        Bucket=lake.curated_bucket, Key=changes_manifest_key(table.name)
    )["Body"]
    urls = [entry["url"] for entry in json.loads(body.read())["entries"]]
    feed = spark.read.parquet(*urls)
    assert feed.columns == [*(c.name for c in table.warehouse_columns), *FEED_COLUMNS]
    # the overwrite deleted every row and inserted the new ones, all in version 1
    assert sorted((r.location_key, r._change_type, r._commit_version) for r in feed.collect()) == [
        (1, "delete", 1),
        (1, "insert", 1),
        (2, "delete", 1),
        (3, "insert", 1),
    ]
    # Exported again at the same version: the changes manifest still leads to it.
    write_copy_manifests(spark, lake, [table])
    assert read_export_state(lake, table.name) == second


def test_an_export_after_versions_the_feed_did_not_record_has_no_changes_to_apply(
    lake: Settings, spark: SparkSession
):
    table = star_table("location_dim")
    url = lake.curated_url(table.name)
    rows = [(1, "L1", "A", None, None, None, None)]
    publish_overwrite(local_frame(spark, rows, LOCATION_COLUMNS), table, url)
    write_copy_manifests(spark, lake, [table])
    spark.sql(f"alter table delta.`{url}` set tblproperties (delta.enableChangeDataFeed = false)")
    more = [*rows, (2, "L2", "B", None, None, None, None)]
    local_frame(spark, more, LOCATION_COLUMNS).write.format("delta").mode("overwrite").save(url)

    write_copy_manifests(spark, lake, [table])

    # versions 1 and 2 have no change data: the load reloads the snapshot in full
    assert read_export_state(lake, table.name).changes_since is None
    assert read_export_state(lake, table.name).version == 2
