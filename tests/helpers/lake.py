"""Lakes of a test's own on the test stack: fresh raw and curated buckets and raw batches."""

import dataclasses
import uuid
from datetime import date

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.stack.provision import create_bucket
from lakehouse.warehouse.empty_star import empty_star


def make_lake(stack: Settings, threshold: float) -> Settings:
    """Settings with fresh raw and curated buckets of their own, and an empty warehouse star.

    The suite shares one warehouse, and a run on a fresh lake stops while it holds another
    test's rows (they would be history lost), so each lake starts with the star emptied.
    """
    empty_star(stack)
    suffix = uuid.uuid4().hex[:8]
    lake = dataclasses.replace(
        stack,
        raw_bucket=f"{stack.raw_bucket}-star-{suffix}",
        curated_bucket=f"{stack.curated_bucket}-star-{suffix}",
        quarantine_threshold=threshold,
    )
    s3 = make_client(lake, "s3")
    for bucket in (lake.raw_bucket, lake.curated_bucket):
        create_bucket(s3, bucket, lake.region)
    return lake


def drop_lake(lake: Settings) -> None:
    """Delete the lake's buckets and everything in them."""
    s3 = make_client(lake, "s3")
    for bucket in (lake.raw_bucket, lake.curated_bucket):
        for key in list_keys(s3, bucket, ""):
            s3.delete_object(Bucket=bucket, Key=key)
        s3.delete_bucket(Bucket=bucket)


def upload_batch(lake: Settings, run_date: date, files: dict[str, str]) -> dict[str, str]:
    """Upload one CSV per entity to its raw partition; returns entity -> partition URL."""
    s3 = make_client(lake, "s3")
    locations = {}
    for entity, text in files.items():
        prefix = f"{entity}/ingest_date={run_date}/"
        s3.put_object(Bucket=lake.raw_bucket, Key=f"{prefix}{entity}.csv", Body=text.encode())
        locations[entity] = lake.raw_url(prefix)
    return locations


def make_catalog_lake(stack: Settings) -> Settings:
    """A lake of its own (see :func:`make_lake`) plus a Glue database of its own."""
    from lakehouse.stack.provision import create_glue_database

    lake = make_lake(stack, threshold=stack.quarantine_threshold)
    lake = dataclasses.replace(lake, glue_database=f"sales_{lake.raw_bucket.rsplit('-', 1)[-1]}")
    create_glue_database(make_client(lake, "glue"), lake.glue_database)
    return lake


def drop_catalog_lake(lake: Settings) -> None:
    """Delete what :func:`make_catalog_lake` made: buckets, tables and the Glue database."""
    drop_lake(lake)
    glue = make_client(lake, "glue")
    for table in glue.get_tables(DatabaseName=lake.glue_database)["TableList"]:
        glue.delete_table(DatabaseName=lake.glue_database, Name=table["Name"])
    glue.delete_database(Name=lake.glue_database)


def lake_cli_env(cli_env: dict[str, str], lake: Settings) -> dict[str, str]:
    """Process environment for the `lakehouse` CLI pointed at ``lake``."""
    return {
        **cli_env,
        "LAKEHOUSE_RAW_BUCKET": lake.raw_bucket,
        "LAKEHOUSE_CURATED_BUCKET": lake.curated_bucket,
        "LAKEHOUSE_GLUE_DATABASE": lake.glue_database,
    }


def engine_cli_env(env: dict[str, str], engine: Settings) -> dict[str, str]:
    """``env`` with runs on the warm ``engine`` (Spark Connect) instead of a Spark of their own."""
    return {
        **env,
        "LAKEHOUSE_SPARK_ENGINE": "true",
        "LAKEHOUSE_SPARK_ENGINE_PORT": str(engine.spark_engine_port),
        "LAKEHOUSE_SPARK_ENGINE_UI_PORT": str(engine.spark_engine_ui_port),
    }
