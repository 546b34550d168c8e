"""A warehouse database of this package's own, with a small known star schema.

The dashboards' tests need committed rows that a separate app process can read, so they do not
touch ``salesdb``: they create a database and a Secrets Manager secret that points at it, apply
the warehouse DDL (star, marts, bi, grants), load the rows below, and drop both at the end.
"""

import dataclasses
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from psycopg import sql

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import connect, read_credentials
from lakehouse.warehouse.create_schema import create_schema
from lakehouse.warehouse.refresh_mat_views import refresh_mat_views

D = Decimal
U = "Unknown"
CUSTOMERS = [
    (-1, "UNKNOWN", U, U, U, U),
    (1, "C1", "Ann Lee", "ann@example.com", "Austin", "TX"),
    (2, "C2", "Bob Ray", None, "Seattle", "WA"),
    (3, "C3", "Cy Dee", "cy@example.com", "Fresno", "CA"),
]
PRODUCTS = [
    (-1, "UNKNOWN", U, U, U, U),
    (1, "P1", "Desk", "Office", "Furniture", "Acme"),
    (2, "P2", "Lamp", "Lighting", "Lamps", "Brite"),
    (3, "P3", "Chair", "Office", "Seating", "Acme"),
]
LOCATIONS = [
    (-1, "UNKNOWN", U, U, U, U, U),
    (1, "L1", "Downtown", "Austin", "TX", "South", "US"),
    (2, "L2", "Harbor", "Seattle", "WA", "West", "US"),
]
FIRST_DAY, DAYS = date(2024, 3, 1), 8


@dataclasses.dataclass(frozen=True)
class Line:
    """One sale line of the known data set, with its measures computed as the contract says."""

    sale_id: str
    customer_key: int
    product_key: int
    location_key: int
    sale_date: date
    quantity: int
    unit_price: Decimal
    discount: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(D("0.01"), ROUND_HALF_UP)

    @property
    def net(self) -> Decimal:
        return self.gross - self.discount + self.tax


LINES = [
    # previous period (1-4 March) for the growth of the range 5-8 March
    Line("S1", 1, 1, 1, date(2024, 3, 2), 1, D("100.00"), D("10.00"), D("8.00")),
    Line("S2", 2, 2, 2, date(2024, 3, 3), 2, D("20.00"), D("0.00"), D("3.20")),
    # current period: C1 and C2 return, C3 is new, S5 has the unknown customer
    Line("S3", 1, 3, 1, date(2024, 3, 5), 2, D("50.00"), D("5.00"), D("7.60")),
    Line("S4", 3, 2, 2, date(2024, 3, 6), 3, D("20.00"), D("6.00"), D("4.32")),
    Line("S5", -1, 1, 1, date(2024, 3, 7), 1, D("100.00"), D("0.00"), D("8.00")),
    Line("S6", 2, 1, 2, date(2024, 3, 8), 1, D("110.00"), D("11.00"), D("7.92")),
    Line("S7", 3, 3, 1, date(2024, 3, 8), 4, D("45.00"), D("0.00"), D("14.40")),
]


def date_row(day: date) -> tuple:
    """A date_dim row (YYYYMMDD key and the calendar attributes)."""
    return (
        int(f"{day:%Y%m%d}"), day, day.year, (day.month - 1) // 3 + 1, day.month, day.day,
        day.isoweekday() >= 6, day.isoweekday(), f"{day:%A}", f"{day:%B}",
        day.isocalendar().week, f"{day:%Y-%m}",
    )  # fmt: skip


def fact_row(key: int, line: Line) -> tuple:
    """A sales_fact row of one known line."""
    return (
        key, line.sale_id, line.customer_key, line.product_key, line.location_key,
        int(f"{line.sale_date:%Y%m%d}"), line.quantity, line.gross, line.discount, line.tax,
        line.net,
    )  # fmt: skip


def known_rows() -> dict[str, list[tuple]]:
    """The rows of each star table of the known data set, in the tables' column order."""
    return {
        "customer_dim": CUSTOMERS,
        "product_dim": PRODUCTS,
        "location_dim": LOCATIONS,
        "date_dim": [date_row(FIRST_DAY + timedelta(days=n)) for n in range(DAYS)],
        "sales_fact": [fact_row(key, line) for key, line in enumerate(LINES, start=1)],
    }


def insert_known_rows(settings: Settings) -> None:
    """Load the known rows into the star tables and refresh the marts."""
    with connect(settings) as connection, connection.cursor() as cursor:
        for table, rows in known_rows().items():
            marks = sql.SQL(", ").join(sql.Placeholder() * len(rows[0]))
            statement = sql.SQL("insert into {} values ({})").format(
                sql.Identifier("star", table), marks
            )
            cursor.executemany(statement, rows)
        connection.commit()
    refresh_mat_views(settings)


@contextmanager
def own_database(stack: Settings, label: str) -> Iterator[Settings]:
    """A fresh database and a secret pointing at it; both dropped on exit."""
    name = f"dashboard_{label}_{uuid.uuid4().hex[:8]}"
    secret_id = f"{stack.warehouse_secret_id}/{name}"
    credentials = dataclasses.replace(read_credentials(stack), dbname=name)
    secrets = make_client(stack, "secretsmanager")
    with connect(stack, autocommit=True) as connection:
        connection.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    secrets.create_secret(Name=secret_id, SecretString=credentials.to_secret())
    try:
        yield dataclasses.replace(stack, warehouse_secret_id=secret_id)
    finally:
        secrets.delete_secret(SecretId=secret_id, ForceDeleteWithoutRecovery=True)
        with connect(stack, autocommit=True) as connection:
            connection.execute(
                sql.SQL("drop database {} with (force)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="package")
def known_warehouse(stack: Settings) -> Iterator[Settings]:
    """Settings whose warehouse holds the star schema, marts and bi views of the known rows."""
    with own_database(stack, "known") as settings:
        create_schema(settings)
        insert_known_rows(settings)
        yield settings


@pytest.fixture(scope="package")
def empty_warehouse(stack: Settings) -> Iterator[Settings]:
    """Settings whose warehouse has the schema, marts and bi views but no rows."""
    with own_database(stack, "empty") as settings:
        create_schema(settings)
        refresh_mat_views(settings)
        yield settings


@pytest.fixture
def bare_warehouse(stack: Settings) -> Iterator[Settings]:
    """Settings whose warehouse database has nothing: the pipeline never ran there."""
    with own_database(stack, "bare") as settings:
        yield settings
