"""Redshift COPY manifests of the curated star tables: the current Delta snapshot's Parquet files.

Redshift cannot COPY a Delta folder (it would also load the files the table has removed), so after
each build the job writes, per star table, ``s3://<curated>/_copy_manifests/<table>.manifest``
listing exactly the snapshot's files, with the ``content_length`` Redshift requires for Parquet.
COPY from Parquet maps columns by position and needs as many as the table has, so a table whose
files hold more than its warehouse columns (``sales_fact`` keeps the natural keys of its
dimensions) is first written, warehouse columns only, as a Parquet copy of the snapshot under
``_copy_snapshots/<table>/``, and the manifest lists that copy's files instead.
Beside it, ``<table>.changes.manifest`` lists the change data feed's rows since the previous
export (:mod:`spark_app.copy_changes`), and ``<table>.json`` says which Delta table and versions
the two describe (:class:`lakehouse.warehouse.copy_manifest.CopyExport`), so the aws load applies
the changes when Redshift holds the previous export, and reloads in full otherwise.
Idempotent: each run replaces the manifests (and copies) with the then-current snapshot.
"""

import dataclasses
import json
import re
from collections.abc import Iterable
from typing import Any

from delta.tables import DeltaTable
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import put_json
from lakehouse.resources.aws import make_client
from lakehouse.schema import STAR_TABLES, StarTable
from lakehouse.warehouse.copy_manifest import (
    CopyExport,
    changes_manifest_key,
    export_key,
    manifest_key,
    read_export,
)
from spark_app.copy_changes import current_export, write_changes

SNAPSHOT_FOLDER = "_copy_snapshots"
_S3_SCHEMES = re.compile(r"^s3[an]?://")


def copy_files(spark: SparkSession, settings: Settings, table: StarTable) -> list[str]:
    """Parquet files of the current snapshot that hold exactly the table's warehouse columns."""
    snapshot = DeltaTable.forPath(spark, settings.curated_url(table.name)).toDF()
    columns = [column.name for column in table.warehouse_columns]
    if [name for name in snapshot.columns if name != table.partition_by] == columns:
        return sorted(snapshot.inputFiles())
    target = settings.curated_url(SNAPSHOT_FOLDER, table.name)
    snapshot.select(*columns).write.mode("overwrite").parquet(target)
    return sorted(spark.read.parquet(target).inputFiles())


def sized(spark: SparkSession, files: list[str]) -> list[tuple[str, int]]:
    """``(s3:// URL, size in bytes)`` of each file, read from Spark's own file system."""
    # The sizes come from the same Hadoop file system Spark reads through (S3A or EMRFS).
    hadoop_conf = spark.sparkContext._jsc.hadoopConfiguration()
    hadoop_path = spark.sparkContext._jvm.org.apache.hadoop.fs.Path
    result = []
    for name in files:
        path = hadoop_path(name)
        length = path.getFileSystem(hadoop_conf).getFileStatus(path).getLen()
        result.append((_S3_SCHEMES.sub("s3://", name), length))
    return result


def build_manifest(files: Iterable[tuple[str, int]]) -> dict[str, Any]:
    """A Redshift COPY manifest: every file mandatory, with its content length."""
    return {
        "entries": [
            {"url": url, "mandatory": True, "meta": {"content_length": size}} for url, size in files
        ]
    }


def write_copy_manifests(
    spark: SparkSession, settings: Settings, tables: Iterable[StarTable] = STAR_TABLES
) -> dict[str, int]:
    """Write each table's COPY manifests and export state; returns snapshot files per table."""
    s3 = make_client(settings, "s3")
    written = {}
    for table in tables:
        files = sized(spark, copy_files(spark, settings, table))
        manifest = json.dumps(build_manifest(files), indent=1)
        put_json(s3, settings.curated_bucket, manifest_key(table.name), manifest)
        export = export_changes(spark, settings, table, s3)
        put_json(s3, settings.curated_bucket, export_key(table.name), export.to_json())
        written[table.name] = len(files)
    return written


def export_changes(
    spark: SparkSession, settings: Settings, table: StarTable, s3: Any
) -> CopyExport:
    """Write the manifest of the table's changes since the previous export; the export's state.

    Without a previous export of this Delta table at an earlier version (first export, the table
    re-created), or when the feed cannot describe the versions between, there is no changes
    manifest and the load reloads the table in full. An export at the previous one's version
    keeps its changes manifest, so a load that missed it can still apply it.
    """
    current = current_export(spark, settings, table)
    previous = read_export(s3, settings.curated_bucket, table.name)
    if previous is None or previous.table_id != current.table_id:
        return current
    if previous.version >= current.version:
        return previous if previous.version == current.version else current
    files = write_changes(spark, settings, table, previous.version, current.version)
    if files is None:
        return current
    manifest = json.dumps(build_manifest(sized(spark, files)), indent=1)
    put_json(s3, settings.curated_bucket, changes_manifest_key(table.name), manifest)
    return dataclasses.replace(current, changes_since=previous.version)
