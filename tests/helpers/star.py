"""A small star schema published to a curated bucket of a test's own, and its rows on both sides."""

import dataclasses
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import psycopg
from psycopg import sql
from pyspark.sql import SparkSession

from lakehouse.config import Settings
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import connect
from lakehouse.schema import STAR_TABLES, star_table
from lakehouse.stack.provision import create_bucket
from lakehouse.warehouse.create_schema import create_schema
from lakehouse.warehouse.empty_star import empty_star
from lakehouse.warehouse.load_star import load_star
from spark_app.delta_io import publish_overwrite, read_table
from spark_app.schemas import spark_schema
from spark_app.transforms.date_dim import build_date_dim
from tests.helpers.frames import local_frame

D = Decimal
U = "Unknown"
#: First and last day of STAR_ROWS' sales, the calendar's range.
SALE_DAYS = (date(2024, 2, 28), date(2024, 3, 1))

STAR_ROWS = {
    "customer_dim": [
        (-1, "UNKNOWN", U, U, U, U),
        (1, "C1", "Ann Lee", "ann@example.com", "Austin", "TX"),
        (2, "C2", "Bob Ray", None, "", "TX"),  # NULL and empty string must both survive COPY
    ],
    "product_dim": [
        (-1, "UNKNOWN", U, U, U, U),
        (1, "P1", 'Desk "Pro", oak', "Office", "Furniture", "Acme"),
        (2, "P2", "Lamp", "Lighting", None, "Brite"),
    ],
    "location_dim": [
        (-1, "UNKNOWN", U, U, U, U, U),
        (1, "L1", "Downtown", "Austin", "TX", "South", "US"),
        (2, "L2", "Harbor", "Seattle", "WA", "West", "US"),
    ],
    "sales_fact": [
        (1, "S1", 1, 1, 1, 20240228, 2, D("20.01"), D("0.00"), D("0.00"), D("20.01"),
         "C1", "P1", "L1", 202402),
        (2, "S2", 2, 2, 2, 20240228, 1, D("0.13"), D("0.01"), D("0.02"), D("0.14"),
         "C2", "P2", "L2", 202402),
        (3, "S3", -1, 1, 1, 20240301, 3, D("59.97"), D("5.00"), D("4.50"), D("59.47"),
         "C9", "P1", "L1", 202403),
        (4, "S4", 1, 2, 1, 20240301, 4, D("10.00"), D("10.00"), D("0.80"), D("0.80"),
         "C1", "P2", "L1", 202403),
    ],
}  # fmt: skip
#: A sale that is not in STAR_ROWS, for a batch after theirs.
S5_NEW = (5, "S5", 2, 1, 2, 20240301, 1, D("5.00"), D("0.00"), D("0.40"), D("5.40"),
          "C2", "P1", "L2", 202403)  # fmt: skip


def publish_star(spark: SparkSession, stack: Settings, tag: str) -> Settings:
    """Settings with a fresh curated bucket holding STAR_ROWS and their calendar (version 0).

    The warehouse's star is emptied first: its rows belong to another test's lake.
    """
    empty_star(stack)
    lake = dataclasses.replace(
        stack, curated_bucket=f"{stack.curated_bucket}-{tag}-{uuid.uuid4().hex[:8]}"
    )
    create_bucket(make_client(lake, "s3"), lake.curated_bucket, lake.region)
    for name, rows in STAR_ROWS.items():
        table = star_table(name)
        frame = local_frame(spark, rows, spark_schema(table))
        publish_overwrite(frame, table, lake.curated_url(name))
    date_dim = star_table("date_dim")
    calendar = build_date_dim(spark, *SALE_DAYS)
    publish_overwrite(calendar, date_dim, lake.curated_url(date_dim.name))
    return lake


@contextmanager
def loaded_star(spark: SparkSession, stack: Settings, tag: str) -> Iterator[Settings]:
    """STAR_ROWS published to a curated bucket of their own and loaded into the warehouse once."""
    lake = publish_star(spark, stack, tag)
    create_schema(lake)
    load_star(lake)
    try:
        yield lake
    finally:
        drop_curated(lake)


def drop_curated(lake: Settings) -> None:
    """Empty the warehouse's star tables and delete the lake's curated bucket."""
    empty_star(lake)
    s3 = make_client(lake, "s3")
    for key in list_keys(s3, lake.curated_bucket, ""):
        s3.delete_object(Bucket=lake.curated_bucket, Key=key)
    s3.delete_bucket(Bucket=lake.curated_bucket)


def warehouse_rows(settings: Settings, name: str) -> list[tuple]:
    """Sorted rows of ``star.<name>``, warehouse columns only."""
    with connect(settings) as connection:
        return table_rows(connection, name)


def table_rows(connection: psycopg.Connection, name: str) -> list[tuple]:
    """Sorted rows of ``star.<name>`` over ``connection``, warehouse columns only."""
    columns = [column.name for column in star_table(name).warehouse_columns]
    query = sql.SQL("select {} from {}").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier("star", name)
    )
    return sorted(connection.execute(query).fetchall())


def star_state(settings: Settings) -> dict[str, list[tuple]]:
    """Sorted rows of every warehouse star table."""
    with connect(settings) as connection:
        return star_rows(connection)


def star_rows(connection: psycopg.Connection) -> dict[str, list[tuple]]:
    """Sorted rows of every star table over ``connection``."""
    return {table.name: table_rows(connection, table.name) for table in STAR_TABLES}


def loaded_versions(settings: Settings) -> dict[str, tuple[str, int, int]]:
    """Per star table: load mode, Delta version and rows applied, from ``audit.loaded_versions``."""
    rows = execute(
        settings,
        "select table_name, load_mode, delta_version, rows_applied from audit.loaded_versions",
    )
    return {name: (mode, version, applied) for name, mode, version, applied in rows}


def curated_rows(spark: SparkSession, settings: Settings, name: str) -> list[tuple]:
    """Sorted rows of the curated table ``name``, warehouse columns only."""
    columns = [column.name for column in star_table(name).warehouse_columns]
    frame = read_table(spark, settings.curated_url(name)).select(*columns)
    return sorted(tuple(row) for row in frame.collect())


def execute(settings: Settings, statement: str) -> list[tuple]:
    """Run one statement in the warehouse and commit; returns its rows, if any."""
    with connect(settings) as connection:
        cursor = connection.execute(statement)
        rows = cursor.fetchall() if cursor.description else []
        connection.commit()
    return rows
