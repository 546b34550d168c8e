"""Staging: only loaded rows, every contract column parsed to its type, e-mails lower-cased."""

from datetime import date
from decimal import Decimal

from pyspark.sql import SparkSession
from pyspark.sql import types as T

from lakehouse.schema import raw_entity
from spark_app.schemas import SPARK_TYPES
from spark_app.transforms.stage_rows import stage_rows
from spark_app.transforms.triage_rows import REASONS, STATUS
from tests.helpers.frames import local_frame


def test_stage_rows_keeps_loaded_rows_with_typed_columns_and_lower_case_emails(
    spark: SparkSession,
) -> None:
    customers = raw_entity("customers")
    schema = T.StructType(
        [T.StructField(name, T.StringType()) for name in customers.column_names]
        + [
            T.StructField(STATUS, T.StringType()),
            T.StructField(REASONS, T.ArrayType(T.StringType())),
        ]
    )
    rows = [
        ("C1", "Ann", "Lee", "Ann.Lee@Example.COM", "Austin", "TX", "2023-05-06", "loaded", []),
        ("C2", "Bob", "Ray", None, None, None, None, "loaded", []),
        ("C3", "Cy", "Fox", "bad", None, None, None, "quarantined", ["malformed_email:email"]),
        ("C1", "Ann", "Lee", "Ann.Lee@Example.COM", "Austin", "TX", "2023-05-06", "duplicate", []),
    ]

    staged = stage_rows(local_frame(spark, rows, schema), customers)

    assert [(f.name, f.dataType) for f in staged.schema.fields] == [
        (c.name, SPARK_TYPES[c.type]) for c in customers.columns
    ]
    assert sorted(tuple(row) for row in staged.collect()) == [
        ("C1", "Ann", "Lee", "ann.lee@example.com", "Austin", "TX", date(2023, 5, 6)),
        ("C2", "Bob", "Ray", None, None, None, None),
    ]


def test_stage_rows_parses_sales_numbers_to_integer_and_decimal(spark: SparkSession) -> None:
    sales = raw_entity("sales")
    schema = T.StructType(
        [T.StructField(name, T.StringType()) for name in sales.column_names]
        + [
            T.StructField(STATUS, T.StringType()),
            T.StructField(REASONS, T.ArrayType(T.StringType())),
        ]
    )
    rows = [("S1", "2024-02-29", "C1", "P1", "L1", "+3", ".5", "0.125", None, "loaded", [])]

    staged = stage_rows(local_frame(spark, rows, schema), sales)

    assert [tuple(row) for row in staged.collect()] == [
        ("S1", date(2024, 2, 29), "C1", "P1", "L1", 3, Decimal("0.5000"), Decimal("0.1250"), None)
    ]
