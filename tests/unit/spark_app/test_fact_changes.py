"""The curated suite's fact metrics from a batch's changes equal those of the whole fact."""

from datetime import date
from decimal import Decimal

import pytest
from pyspark.sql import DataFrame, SparkSession

from lakehouse.schema import STAR_TABLES
from lakehouse.schema.star import SALES_FACT
from spark_app.jobs.glue_etl import fact_after
from spark_app.schemas import spark_schema
from tests.helpers.frames import local_frame
from validation.curated_checks import star_metrics
from validation.fact_changes import FactChanges
from validation.suites import star_suite

D = Decimal
UNKNOWN = ("UNKNOWN", "Unknown")
DIMENSION_ROWS = {
    "customer_dim": [(-1, *UNKNOWN, None, None, None), (1, "C1", "Ann Lee", None, None, None)],
    "product_dim": [(-1, *UNKNOWN, None, None, None), (1, "P1", "Desk", None, None, None)],
    "location_dim": [(-1, *UNKNOWN, None, None, None, None), (1, "L1", "Downtown", *[None] * 4)],
    "date_dim": [
        (20240301, date(2024, 3, 1), 2024, 1, 3, 1, False, 5, "Friday", "March", 9, "2024-03")
    ],
}


def sale(key: int, sale_id: str, product_key: int = 1, discount: str = "0") -> tuple:
    """A sale line of 10.00 with ``discount``, net as gross - discount + tax (tax 1.00)."""
    gross, tax = D("10.00"), D("1.00")
    net = gross - D(discount) + tax
    return (key, sale_id, 1, product_key, 1, 20240301, 1, gross, D(discount), tax, net,
            "C1", "P1", "L1", 202403)  # fmt: skip


PUBLISHED = [sale(1, "S1"), sale(2, "S2"), sale(3, "S3")]
CHANGES = {
    "new sales only": ([sale(4, "S4"), sale(5, "S5")], False),
    "a correction and a new sale": ([sale(1, "S1", discount="2"), sale(4, "S4")], True),
    # S9 takes S2's key, S6 has a negative discount (net follows), S7 an orphan product and
    # S3 comes twice.
    "broken changes": (
        [
            sale(2, "S9"),
            sale(6, "S6", discount="-1"),
            sale(7, "S7", product_key=7),
            sale(3, "S3"),
            sale(8, "S3"),
        ],
        True,
    ),
}


def fact(spark: SparkSession, rows: list[tuple]) -> DataFrame:
    return local_frame(spark, rows, spark_schema(SALES_FACT))


def fact_metrics(spark: SparkSession, facts: dict, changes: FactChanges | None = None) -> dict:
    """The fact suite's metrics with the dimensions above and ``facts``' fact."""
    tables = {
        table.name: local_frame(spark, DIMENSION_ROWS[table.name], spark_schema(table))
        for table in STAR_TABLES
        if table is not SALES_FACT
    }
    suites = {table.name: star_suite(table, table.columns) for table in STAR_TABLES}
    return star_metrics(spark, suites, {**tables, **facts}, changes)[SALES_FACT.name]


@pytest.mark.parametrize("case", CHANGES)
def test_fact_metrics_from_the_changes_equal_those_of_the_whole_fact(
    spark: SparkSession, case: str
) -> None:
    rows, replaces_published = CHANGES[case]
    published, changes = fact(spark, PUBLISHED), fact(spark, rows)
    whole = {SALES_FACT.name: fact_after(published, changes)}

    from_changes = fact_metrics(spark, whole, FactChanges(published, changes, replaces_published))

    assert from_changes == fact_metrics(spark, whole)


def test_the_broken_changes_break_the_checks_they_are_meant_to(spark: SparkSession) -> None:
    published, changes = fact(spark, PUBLISHED), fact(spark, CHANGES["broken changes"][0])

    metrics = fact_metrics(spark, {SALES_FACT.name: fact_after(published, changes)})

    broken = {name: value for name, value in metrics.items() if value}
    assert broken == {
        "row_count": 7,  # S1 and S2 kept, and the five changes (two replace S3)
        "duplicate_sale_key": 1,
        "duplicate_sale_id": 1,
        "negative_discount": 1,
        "orphan_product_key": 1,
    }
