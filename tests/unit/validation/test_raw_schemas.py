"""The raw_schema gate: Pandera schemas and data checks derived from the schema source, on Spark."""

from datetime import date
from decimal import Decimal

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from lakehouse.errors import DataQualityError
from lakehouse.schema import RAW_ENTITIES, raw_entity
from spark_app.schemas import SPARK_TYPES
from tests.helpers.frames import local_frame
from validation.raw_schemas import check_typed_rows, data_checks, raw_schema
from validation.rules import EMAIL_PATTERN

RUN_DATE = date(2024, 3, 1)
D = Decimal
GOOD_SALE = ("S1", date(2024, 2, 29), "C1", "P1", "L1", 2, D("10"), D("1"), D("0.8"))


def typed_frame(spark: SparkSession, entity_name: str, rows: list[tuple]) -> DataFrame:
    entity = raw_entity(entity_name)
    schema = T.StructType(
        [T.StructField(c.name, SPARK_TYPES[c.type], True) for c in entity.columns]
    )
    return local_frame(spark, rows, schema)


def test_each_schema_has_exactly_the_contract_columns_and_each_required_one_a_not_null_check(
    spark: SparkSession,
) -> None:
    for entity in RAW_ENTITIES:
        schema = raw_schema(entity)

        assert list(schema.columns) == list(entity.column_names)
        assert schema.strict
        assert {name for name in data_checks(entity, RUN_DATE) if name.endswith(": not null")} == {
            f"column {column.name}: not null" for column in entity.columns if column.required
        }
    assert [name for name in data_checks(raw_entity("sales"), RUN_DATE) if "rule" in name] == [
        "row rule: discount_above_gross",
        "row rule: sale_date_out_of_window",
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
        ((*GOOD_SALE[:5], 0, *GOOD_SALE[6:]), "column quantity: >= 1: 1 row breaks it"),
        # a discount above quantity * unit_price breaks the row rule
        (
            (*GOOD_SALE[:7], D("25"), *GOOD_SALE[8:]),
            "row rule: discount_above_gross: 1 row breaks it",
        ),
        # a sale date after the run date + 1 day is out of the window
        (
            (*GOOD_SALE[:1], date(2024, 3, 5), *GOOD_SALE[2:]),
            "row rule: sale_date_out_of_window: 1 row breaks it",
        ),
        # a required column that is NULL
        ((None, *GOOD_SALE[1:]), "column sale_id: not null: 1 row breaks it"),
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


def test_every_failing_check_is_listed_with_its_row_count(spark: SparkSession) -> None:
    bad_email = ("C1", "Ann", "Lee", "not-an-email", None, None, None)
    customers = typed_frame(spark, "customers", [bad_email, bad_email, (None, *bad_email[1:])])

    with pytest.raises(DataQualityError) as raised:
        check_typed_rows({"customers": customers}, RUN_DATE)

    assert str(raised.value).splitlines()[1:] == [
        "  - customers: column customer_id: not null: 1 row breaks it",
        f"  - customers: column email: matches {EMAIL_PATTERN}: 3 rows break it",
    ]


def test_a_frame_with_a_missing_and_an_extra_column_fails_on_its_schema_alone(
    spark: SparkSession,
) -> None:
    frame = typed_frame(spark, "sales", [(None, *GOOD_SALE[1:])])
    frame = frame.drop("tax_amount").withColumn("note", F.lit("x"))

    with pytest.raises(DataQualityError) as raised:
        check_typed_rows({"sales": frame}, RUN_DATE)

    problems = str(raised.value).splitlines()[1:]
    assert any("tax_amount" in problem for problem in problems), problems
    assert "  - sales: columns outside the contract: note" in problems
    assert not any("not null" in problem for problem in problems)  # data not checked


def test_the_gate_counts_every_entitys_checks_in_one_spark_job(spark: SparkSession) -> None:
    frames = {
        "sales": typed_frame(spark, "sales", [GOOD_SALE]),
        "customers": typed_frame(
            spark, "customers", [("C1", "Ann", "Lee", None, None, None, None)]
        ),
    }
    spark.sparkContext.setJobGroup("raw-schema-gate", "the raw_schema gate")
    try:
        check_typed_rows(frames, RUN_DATE)
    finally:
        spark.sparkContext.setLocalProperty("spark.jobGroup.id", None)

    # One aggregate per entity, all in one job (adaptive execution, off locally, would add some).
    assert len(spark.sparkContext.statusTracker().getJobIdsForGroup("raw-schema-gate")) == 1
