"""Reset the lake, catalog and warehouse of an emulated profile so a run starts from nothing."""

from collections.abc import Iterator, Sequence
from typing import Any

from psycopg import sql

from lakehouse.config import Profile, Settings
from lakehouse.errors import ConfigError
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import connect

#: Warehouse schemas the pipeline creates (CONTRACT.md section 3, plus the loader's staging area).
WAREHOUSE_SCHEMAS = ("star", "audit", "bi", "stage")
_S3_DELETE_BATCH = 1000
_GLUE_DELETE_BATCH = 100


def reset_stack(settings: Settings) -> None:
    """Empty both buckets, delete the Glue database's tables and drop the warehouse schemas.

    The services stay up; buckets, the Glue database and ``salesdb`` remain, empty.

    Raises:
        ConfigError: On the aws profile, where this would destroy real data.
    """
    if settings.profile is Profile.AWS:
        raise ConfigError(
            "`lakehouse reset` refuses to run on the aws profile (it would delete real data);"
            " set LAKEHOUSE_PROFILE=local or docker"
        )
    s3 = make_client(settings, "s3")
    for bucket in (settings.raw_bucket, settings.curated_bucket):
        empty_bucket(s3, bucket)
    delete_glue_tables(make_client(settings, "glue"), settings.glue_database)
    drop_schemas(settings, WAREHOUSE_SCHEMAS)


def empty_bucket(s3: Any, bucket: str) -> None:
    """Delete every object of ``bucket``; a missing bucket counts as empty."""
    try:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
    except s3.exceptions.NoSuchBucket:
        return
    delete_keys(s3, bucket, keys)


def delete_keys(s3: Any, bucket: str, keys: Sequence[str]) -> None:
    """Delete ``keys`` of ``bucket``, as many per request as S3 takes."""
    for chunk in split_batches(keys, _S3_DELETE_BATCH):
        objects = [{"Key": key} for key in chunk]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})


def delete_glue_tables(glue: Any, database: str) -> None:
    """Delete every table of the Glue database ``database``; a missing database counts as empty."""
    try:
        pages = glue.get_paginator("get_tables").paginate(DatabaseName=database)
        names = [table["Name"] for page in pages for table in page["TableList"]]
    except glue.exceptions.EntityNotFoundException:
        return
    for chunk in split_batches(names, _GLUE_DELETE_BATCH):
        glue.batch_delete_table(DatabaseName=database, TablesToDelete=chunk)


def drop_schemas(settings: Settings, schemas: tuple[str, ...]) -> None:
    """Drop the warehouse ``schemas`` with everything in them, in one transaction."""
    statement = sql.SQL("drop schema if exists {} cascade").format(
        sql.SQL(", ").join(sql.Identifier(schema) for schema in schemas)
    )
    with connect(settings) as connection:
        connection.execute(statement)


def split_batches(items: Sequence[str], size: int) -> Iterator[list[str]]:
    """Yield consecutive slices of ``items`` of at most ``size`` elements (API batch limits)."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
