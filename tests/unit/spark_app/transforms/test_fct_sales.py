"""The sales fact: measures in cents rounded half-up, dimension keys, stable sale keys."""

from datetime import date
from decimal import Decimal

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from lakehouse.schema import raw_entity, star_table
from spark_app.schemas import SPARK_TYPES, spark_schema
from spark_app.transforms.fct_sales import assign_sale_keys, attach_keys, sales_measures
from tests.helpers.frames import local_frame

SALES = raw_entity("sales")
#: Staged sales as stage_rows hands them over: every contract column parsed to its type.
STAGED_SCHEMA = T.StructType([T.StructField(c.name, SPARK_TYPES[c.type]) for c in SALES.columns])
D = Decimal
DAY = date(2024, 3, 1)


def names_and_types(schema) -> list[tuple]:
    """Column names and types; Spark does not carry NOT NULL through casts and unions."""
    return [(field.name, field.dataType) for field in schema.fields]


def sorted_rows(frame: DataFrame) -> list[tuple]:
    return sorted(tuple(row) for row in frame.collect())


def staged_sale(sale_id, quantity, unit_price, discount=None, tax=None, customer="C1") -> tuple:
    money = [None if value is None else D(value) for value in (unit_price, discount, tax)]
    return (sale_id, DAY, customer, "P1", "L1", quantity, *money)


@pytest.fixture
def dimensions(spark: SparkSession) -> dict[str, DataFrame]:
    def dim(name: str, rows: list[tuple]) -> DataFrame:
        table = star_table(name)
        return local_frame(
            spark,
            rows,
            T.StructType([spark_schema(table)[table.key], spark_schema(table)[table.natural_key]]),
        )

    return {
        "customer_dim": dim("customer_dim", [(-1, "UNKNOWN"), (3, "C1"), (4, "C2")]),
        "product_dim": dim("product_dim", [(-1, "UNKNOWN"), (5, "P1")]),
        "location_dim": dim("location_dim", [(-1, "UNKNOWN"), (6, "L1")]),
    }


@pytest.mark.parametrize(
    ("sale", "measures"),
    [
        # 2 x 10.005 = 20.01 exactly; NULL discount and tax count as 0
        (staged_sale("S1", 2, "10.005"), (D("20.01"), D("0.00"), D("0.00"), D("20.01"))),
        # 1 x 0.125 rounds half-up to 0.13 (not to the even 0.12)
        (staged_sale("S2", 1, "0.125"), (D("0.13"), D("0.00"), D("0.00"), D("0.13"))),
        # discount and tax are rounded on their own, then net = gross - discount + tax
        (
            staged_sale("S3", 3, "19.99", "0.005", "4.4950"),
            (D("59.97"), D("0.01"), D("4.50"), D("64.46")),
        ),
        # just below half a cent rounds down
        (
            staged_sale("S4", 1, "0.0049", None, "0.0049"),
            (D("0.00"), D("0.00"), D("0.00"), D("0.00")),
        ),
        # a discount equal to the gross leaves only the tax
        (
            staged_sale("S5", 4, "2.50", "10", "0.80"),
            (D("10.00"), D("10.00"), D("0.80"), D("0.80")),
        ),
    ],
)
def test_sales_measures_round_half_up_to_cents_and_net_is_gross_minus_discount_plus_tax(
    spark: SparkSession, sale: tuple, measures: tuple
) -> None:
    frame = local_frame(spark, [sale], STAGED_SCHEMA)

    [row] = sales_measures(frame).collect()

    assert (row.gross_amount, row.discount, row.tax_amount, row.net_amount) == measures
    assert [f.dataType for f in sales_measures(frame).schema.fields[-4:]] == [
        T.DecimalType(14, 2)
    ] * 4


def test_attach_keys_points_missing_and_unknown_members_at_minus_one(
    spark: SparkSession, dimensions: dict[str, DataFrame]
) -> None:
    staged = local_frame(
        spark,
        [
            staged_sale("S1", 1, "1.00", customer="C2"),
            staged_sale("S2", 1, "1.00", customer=None),  # no customer on the sale
            staged_sale("S3", 1, "1.00", customer="C404"),  # a customer not (yet) known
        ],
        STAGED_SCHEMA,
    )

    keyed = attach_keys(sales_measures(staged), dimensions)
    columns = ["sale_id", "customer_id", "customer_key", "product_key", "location_key"]

    assert sorted(tuple(r) for r in keyed.select(*columns, "date_key", "sale_month").collect()) == [
        ("S1", "C2", 4, 5, 6, 20240301, 202403),
        ("S2", None, -1, 5, 6, 20240301, 202403),
        ("S3", "C404", -1, 5, 6, 20240301, 202403),
    ]


def test_assign_sale_keys_keeps_existing_keys_and_numbers_new_sales_after_the_largest(
    spark: SparkSession, dimensions: dict[str, DataFrame]
) -> None:
    staged = local_frame(
        spark, [staged_sale(sale_id, 1, "2.00") for sale_id in ("S3", "S1", "S2")], STAGED_SCHEMA
    )
    keyed = attach_keys(sales_measures(staged), dimensions)
    existing_keys = local_frame(spark, [("S2", 5), ("S9", 9)], "sale_id string, sale_key long")

    fact = assign_sale_keys(keyed, existing_keys)

    money = (D("2.00"), D("0.00"), D("0.00"), D("2.00"))
    rows = sorted_rows(fact)
    keys = {row[1]: row[0] for row in rows}
    assert names_and_types(fact.schema) == names_and_types(spark_schema(star_table("sales_fact")))
    assert [row[1:] for row in rows] == [
        (sale_id, 3, 5, 6, 20240301, 1, *money, "C1", "P1", "L1", 202403)
        for sale_id in ("S2", "S1", "S3")
    ]
    assert keys["S2"] == 5  # already loaded: keeps its key
    assert 9 < keys["S1"] < keys["S3"]  # new: after the largest key, in sale_id order


def test_assign_sale_keys_on_the_first_run_numbers_sales_from_one_in_sale_id_order(
    spark: SparkSession, dimensions: dict[str, DataFrame]
) -> None:
    staged = local_frame(
        spark, [staged_sale(sale_id, 1, "2.00") for sale_id in ("S3", "S1", "S2")], STAGED_SCHEMA
    )

    fact = assign_sale_keys(attach_keys(sales_measures(staged), dimensions), None)

    assert sorted(tuple(r) for r in fact.select("sale_key", "sale_id").collect()) == [
        (1, "S1"),
        (2, "S2"),
        (3, "S3"),
    ]
