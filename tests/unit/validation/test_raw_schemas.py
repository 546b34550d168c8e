"""Pandera schemas of the raw entities: derived from the schema source, run on Spark DataFrames."""

from datetime import date
from decimal import Decimal

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from lakehouse.errors import DataQualityError
from lakehouse.schema import RAW_ENTITIES, raw_entity
from spark_app.schemas import SPARK_TYPES
from validation.raw_schemas import check_typed_rows, raw_schema

RUN_DATE = date(2024, 3, 1)
D = Decimal
GOOD_SALE = ("S1", date(2024, 2, 29), "C1", "P1", "L1", 2, D("10"), D("1"), D("0.8"))


def typed_frame(spark: SparkSession, entity_name: str, rows: list[tuple]) -> DataFrame:
    entity = raw_entity(entity_name)
    schema = T.StructType(
        [T.StructField(c.name, SPARK_TYPES[c.type], True) for c in entity.columns]
    )
    return spark.createDataFrame(rows, schema)


def test_each_schema_has_exactly_the_contract_columns_and_required_ones_are_not_nullable(
    spark: SparkSession,
) -> None:
    for entity in RAW_ENTITIES:
        schema = raw_schema(entity, RUN_DATE)

        assert list(schema.columns) == list(entity.column_names)
        assert {n for n, c in schema.columns.items() if not c.nullable} == {
            c.name for c in entity.columns if c.required
        }
    assert [check.name for check in raw_schema(raw_entity("sales"), RUN_DATE).checks] == [
        "discount_above_gross",
        "sale_date_out_of_window",
    ]


def test_typed_rows_that_hold_the_contract_pass(spark: SparkSession) -> None:
    customers = typed_frame(spark, "customers", [("C1", "Ann", "Lee", "a@b.co", None, None, None)])

    check_typed_rows(
        {"customers": customers, "sales": typed_frame(spark, "sales", [GOOD_SALE])}, RUN_DATE
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # quantity 0 breaks the minimum of 1
        (
            (*GOOD_SALE[:5], 0, *GOOD_SALE[6:]),
            "column quantity: greater_than_or_equal_to(1) (dataframe_check)",
        ),
        # a discount above quantity * unit_price breaks the row rule
        (
            (*GOOD_SALE[:7], D("25"), *GOOD_SALE[8:]),
            "row rule: discount_above_gross (dataframe_check)",
        ),
        # a sale date after the run date + 1 day is out of the window
        (
            (*GOOD_SALE[:1], date(2024, 3, 5), *GOOD_SALE[2:]),
            "row rule: sale_date_out_of_window (dataframe_check)",
        ),
        # a required column that is NULL
        ((None, *GOOD_SALE[1:]), "column sale_id: not_nullable (series_contains_nulls)"),
    ],
)
def test_a_staged_row_that_breaks_the_contract_fails_the_gate_naming_entity_and_check(
    spark: SparkSession, row: tuple, expected: str
) -> None:
    with pytest.raises(DataQualityError) as raised:
        check_typed_rows({"sales": typed_frame(spark, "sales", [GOOD_SALE, row])}, RUN_DATE)

    assert str(raised.value).startswith("gate raw_schema failed")
    assert f"  - sales: {expected}" in str(raised.value)
    assert raised.value.gate == "raw_schema"


def test_a_staged_frame_with_a_wrong_column_type_fails_the_gate(spark: SparkSession) -> None:
    frame = typed_frame(spark, "sales", [GOOD_SALE])
    frame = frame.withColumn("quantity", F.col("quantity").cast("string"))

    with pytest.raises(DataQualityError, match="sales: column quantity: dtype"):
        check_typed_rows({"sales": frame}, RUN_DATE)
