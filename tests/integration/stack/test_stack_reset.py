import dataclasses
import uuid

import psycopg
import pytest
from psycopg import sql

from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import connect
from lakehouse.stack.postgres_service import build_credentials
from lakehouse.stack.provision import create_bucket, create_glue_database, store_secret
from lakehouse.stack.reset import reset_stack

pytestmark = pytest.mark.integration


@pytest.fixture
def scratch(stack):
    """Settings whose buckets, Glue database and warehouse database belong to this test alone.

    reset_stack on the shared session settings would wipe what other tests loaded.
    """
    name = f"reset{uuid.uuid4().hex[:8]}"
    settings = dataclasses.replace(
        stack,
        raw_bucket=f"{name}-raw",
        curated_bucket=f"{name}-curated",
        glue_database=name,
        warehouse_secret_id=f"test/{name}",
    )
    credentials = build_credentials(stack)
    with psycopg.connect(credentials.dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    s3 = make_client(settings, "s3")
    for bucket in (settings.raw_bucket, settings.curated_bucket):
        create_bucket(s3, bucket, settings.region)
    create_glue_database(make_client(settings, "glue"), name)
    secrets = make_client(settings, "secretsmanager")
    store_secret(
        secrets, settings.warehouse_secret_id, dataclasses.replace(credentials, dbname=name)
    )
    yield settings
    secrets.delete_secret(SecretId=settings.warehouse_secret_id, ForceDeleteWithoutRecovery=True)
    with psycopg.connect(credentials.dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("drop database {} with (force)").format(sql.Identifier(name)))


def fill(settings):
    """Put an object in each bucket, a table in the Glue database and rows in two schemas."""
    s3 = make_client(settings, "s3")
    for bucket in (settings.raw_bucket, settings.curated_bucket):
        s3.put_object(Bucket=bucket, Key="sales/part-0.csv", Body=b"sale_id\n1\n")
    table = {
        "Name": "sales",
        "StorageDescriptor": {"Columns": [{"Name": "sale_id", "Type": "string"}]},
    }
    make_client(settings, "glue").create_table(
        DatabaseName=settings.glue_database, TableInput=table
    )
    with connect(settings) as connection:
        connection.execute("create schema star; create table star.sales_fact (sale_key int)")
        connection.execute("create schema audit; create view audit.runs as select 1 as run_id")


def read_contents(settings):
    """What is left: keys per bucket, Glue tables, the pipeline's warehouse schemas."""
    s3 = make_client(settings, "s3")
    keys = [
        [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        for bucket in (settings.raw_bucket, settings.curated_bucket)
    ]
    tables = make_client(settings, "glue").get_tables(DatabaseName=settings.glue_database)
    with connect(settings) as connection:
        schemas = connection.execute(
            "select nspname from pg_namespace"
            " where nspname in ('star', 'audit', 'bi', 'stage') order by nspname"
        ).fetchall()
    return keys, [table["Name"] for table in tables["TableList"]], schemas


def test_reset_stack_empties_buckets_catalog_and_warehouse_schemas(scratch):
    fill(scratch)
    before = read_contents(scratch)

    reset_stack(scratch)

    assert (before, read_contents(scratch)) == (
        (
            [["sales/part-0.csv"], ["sales/part-0.csv"]],
            ["sales"],
            [("audit",), ("star",)],
        ),
        ([[], []], [], []),
    )


def test_reset_stack_twice_in_a_row_succeeds_on_an_empty_stack(scratch):
    reset_stack(scratch)
    reset_stack(scratch)

    assert read_contents(scratch) == ([[], []], [], [])
